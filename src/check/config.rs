//! The configuration `check` reads, as typed records, whatever file format
//! it came from.

/// The tables `check` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    V1Provider,
    V2Provider,
    Profile,
    RoleMapping,
    AppModule,
    Role,
}

impl Table {
    pub const ALL: [Table; 6] = [
        Table::V1Provider,
        Table::V2Provider,
        Table::Profile,
        Table::RoleMapping,
        Table::AppModule,
        Table::Role,
    ];

    /// The table's logical name (as in a CMT data.xml).
    pub fn logical(self) -> &'static str {
        let id = self.primary_id();
        &id[..id.len() - 2]
    }

    /// The entity set name (as in a Web API URL and `@odata.context`).
    pub fn entity_set(self) -> &'static str {
        NAMES[self as usize].0
    }

    /// The primary id column.
    pub fn primary_id(self) -> &'static str {
        NAMES[self as usize].1
    }

    /// What the record is, in words.
    pub fn label(self) -> &'static str {
        NAMES[self as usize].2
    }
}

/// A table is written by its entity set name.
impl serde::Serialize for Table {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.entity_set())
    }
}

/// Per table, in [`Table::ALL`]'s order: its entity set, primary id
/// column (its logical name and `id`) and what it is in words.
const NAMES: [(&str, &str, &str); 6] = [
    (
        "msdyn_ciproviders",
        "msdyn_ciproviderid",
        "CIF 1.0 provider",
    ),
    (
        "msdyn_channelproviders",
        "msdyn_channelproviderid",
        "CIF 2.0 provider",
    ),
    (
        "msdyn_appconfigurations",
        "msdyn_appconfigurationid",
        "experience profile",
    ),
    (
        "msdyn_appprofilerolemappings",
        "msdyn_appprofilerolemappingid",
        "profile role mapping",
    ),
    ("appmodules", "appmoduleid", "app module"),
    ("roles", "roleid", "security role"),
];

/// Which record a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordRef {
    pub table: Table,
    /// The name (or unique name) shown, "" when the export has none.
    pub name: String,
    /// The record id, "" when the export has none.
    pub id: String,
    /// The index of the file it came from.
    pub file: usize,
}

/// A channel provider: a 1.0 one (`msdyn_ciprovider`) or a 2.0 one
/// (`msdyn_channelprovider`), most of whose columns are the same; a column
/// its kind does not have is `None`.
#[derive(Debug, Clone, Default)]
pub struct Provider {
    pub name: Option<String>,
    /// 2.0 only.
    pub unique_name: Option<String>,
    pub label: Option<String>,
    /// The Channel URL: `msdyn_landingurl` (1.0) or `msdyn_channelurl` (2.0).
    pub url: Option<String>,
    pub trusted_domain: Option<String>,
    pub sort_order: Option<i64>,
    /// `msdyn_clicktoact` (1.0) or `msdyn_enableoutbound` (2.0).
    pub outbound: Option<bool>,
    /// `msdyn_ciproviderapiversion` (1.0) or `msdyn_apiversion` (2.0).
    pub api_version: Option<i64>,
    /// 1.0 only.
    pub app_selector: Option<String>,
    /// 1.0 only.
    pub role_selector: Option<String>,
    pub custom_params: Option<String>,
    pub sandbox: Option<String>,
    pub analytics: Option<bool>,
    pub state: Option<i64>,
    /// 1.0 only: `createdon` as exported (the 1.0 loader's tie-break).
    pub created: Option<String>,
    /// 2.0 only: the profiles it is on; `None` when the export does not say.
    pub profiles: Option<Vec<Link>>,
}

/// A link between a 2.0 provider and a profile, as far as the export tells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub id: Option<String>,
    pub unique_name: Option<String>,
    pub state: Option<i64>,
}

/// An experience profile, formerly agent experience profile (`msdyn_appconfiguration`).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub name: Option<String>,
    pub unique_name: Option<String>,
    pub app_module: Option<String>,
    pub order: Option<i64>,
    pub state: Option<i64>,
    /// The providers on it; `None` when the export does not say.
    pub providers: Option<Vec<Link>>,
    /// How many users it is assigned to directly; `None` when not exported.
    pub users: Option<usize>,
}

/// A profile role mapping (`msdyn_appprofilerolemapping`).
#[derive(Debug, Clone, Default)]
pub struct RoleMapping {
    pub profile_id: Option<String>,
    pub role_id: Option<String>,
    pub state: Option<i64>,
    /// Its name, shown.
    pub unique_name: Option<String>,
}

/// An app module or a role: an id and names.
#[derive(Debug, Clone, Default)]
pub struct Named {
    pub unique_name: Option<String>,
    pub name: Option<String>,
    /// An app module's `navigationtype` (0 single session, 1 multisession).
    pub navigation: Option<i64>,
    /// An app module's `statecode` (0 active, 1 inactive).
    pub state: Option<i64>,
    /// A role's `_parentrootroleid_value`: its own id for a root role, the
    /// root's for a business unit's copy.
    pub root: Option<String>,
}

/// A record of one table, with where it came from.
#[derive(Debug, Clone)]
pub struct Rec<T> {
    pub r: RecordRef,
    pub data: T,
}

/// Everything read from the files.
#[derive(Debug, Default)]
pub struct Config {
    pub v1: Vec<Rec<Provider>>,
    pub v2: Vec<Rec<Provider>>,
    pub profiles: Vec<Rec<Profile>>,
    pub mappings: Vec<Rec<RoleMapping>>,
    pub apps: Vec<Rec<Named>>,
    pub roles: Vec<Rec<Named>>,
    /// The tables some file held (even with no rows).
    pub given: std::collections::BTreeSet<Table>,
}

impl Config {
    /// How many records of `table` were read.
    pub fn len(&self, table: Table) -> usize {
        match table {
            Table::V1Provider => self.v1.len(),
            Table::V2Provider => self.v2.len(),
            Table::Profile => self.profiles.len(),
            Table::RoleMapping => self.mappings.len(),
            Table::AppModule => self.apps.len(),
            Table::Role => self.roles.len(),
        }
    }

    /// Drops the records read after `lens`: how many of each table to keep,
    /// in [`Table::ALL`]'s order.
    pub fn truncate(&mut self, lens: [usize; 6]) {
        let [v1, v2, profiles, mappings, apps, roles] = lens;
        self.v1.truncate(v1);
        self.v2.truncate(v2);
        self.profiles.truncate(profiles);
        self.mappings.truncate(mappings);
        self.apps.truncate(apps);
        self.roles.truncate(roles);
    }

    /// Moves each record into `groups[group(its file)]`.
    pub fn split_into(self, groups: &mut [Config], group: impl Fn(usize) -> usize) {
        macro_rules! split {
            ($($list:ident),+) => {$(
                for r in self.$list {
                    groups[group(r.r.file)].$list.push(r);
                }
            )+};
        }
        split!(v1, v2, profiles, mappings, apps, roles);
    }
}

/// A GUID as compared: lowercase, without braces or spaces.
pub fn guid(text: &str) -> String {
    text.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim()
        .to_ascii_lowercase()
}

/// The values of a selector column (`;`, `,` or whitespace separated), as GUIDs.
pub fn selector_ids(text: &str) -> Vec<String> {
    text.split([';', ',', ' ', '\t', '\r', '\n'])
        .map(guid)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether a state code means active (0); `None` (not exported) counts as active.
pub fn active(state: Option<i64>) -> bool {
    state.is_none_or(|s| s == 0)
}
