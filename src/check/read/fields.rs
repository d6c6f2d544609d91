//! The typed columns of one record, from a JSON row or a CMT record.

use super::*;

/// The columns a CMT entity exported: its schema's (borrowed, not copied
/// per entity element: D3) and any seen on one of its records.
pub(super) struct Exported<'e> {
    pub(super) schema: Option<&'e BTreeSet<String>>,
    pub(super) seen: BTreeSet<&'e str>,
}

impl Exported<'_> {
    pub(super) fn contains(&self, col: &str) -> bool {
        self.seen.contains(col) || self.schema.is_some_and(|s| s.contains(col))
    }
}

/// N:N links and user counts of a CMT record (from its entity's
/// m2mrelationships).
pub(super) struct XmlLinks<'e> {
    pub(super) exported: &'e Exported<'e>,
    pub(super) providers: Option<Vec<Link>>,
    pub(super) users: Option<usize>,
}

/// Where a record's values come from.
pub(super) enum Source<'a> {
    Json(&'a Map<String, Value>),
    Xml(&'a BTreeMap<&'a str, &'a str>, XmlLinks<'a>),
}

/// Reads typed columns of one record, collecting type errors.
pub(super) struct Fields<'s, 'a> {
    pub(super) src: &'s Source<'a>,
    /// X01 (a value of the wrong type) and X02 (flattened) issues.
    pub(super) issues: Vec<(Case, String)>,
}

impl<'s> Fields<'s, '_> {
    pub(super) fn wrong(&mut self, col: &str, expected: &str, found: &Value) {
        let message = format!(
            "{col} holds {}, expected {expected}; the rules that read {col} skip this record",
            describe(found)
        );
        self.issues.push((Case::X01WrongType, message));
    }

    pub(super) fn text(&mut self, col: &str) -> Option<String> {
        match self.src {
            Source::Json(map) => match map.get(col)? {
                Value::String(s) => Some(s.clone()),
                Value::Null => Some(String::new()),
                other => {
                    self.wrong(col, "text", other);
                    None
                }
            },
            Source::Xml(fields, extra) => fields
                .get(col)
                .map(|s| s.to_string())
                .or_else(|| extra.exported.contains(col).then(String::new)),
        }
    }

    /// A typed column: `json` reads a JSON value, `xml` the text of a CMT
    /// field; `expected` says the type in JSON's and in CMT's words.
    fn typed<T>(
        &mut self,
        col: &str,
        expected: [&str; 2],
        json: fn(&Value) -> Option<T>,
        xml: fn(&str) -> Option<T>,
    ) -> Option<T> {
        match self.src {
            Source::Json(map) => match map.get(col)? {
                Value::Null => None,
                v => json(v).or_else(|| {
                    self.wrong(col, expected[0], v);
                    None
                }),
            },
            Source::Xml(fields, _) => {
                let s = fields.get(col)?;
                xml(s.trim()).or_else(|| {
                    self.wrong(col, expected[1], &Value::String(s.to_string()));
                    None
                })
            }
        }
    }

    pub(super) fn int(&mut self, col: &str) -> Option<i64> {
        let whole = "a whole number";
        self.typed(col, [whole, whole], Value::as_i64, |s| s.parse().ok())
    }

    pub(super) fn boolean(&mut self, col: &str) -> Option<bool> {
        let xml = |s: &str| match s.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        };
        self.typed(col, ["true or false", "True or False"], Value::as_bool, xml)
    }

    /// An expanded N:N collection (JSON), or the CMT links.
    pub(super) fn nav(&mut self, col: &str) -> Option<Vec<&'s Map<String, Value>>> {
        let Source::Json(map) = self.src else {
            return None;
        };
        let bad = match map.get(col)? {
            Value::Null => return Some(Vec::new()),
            Value::Array(items) => match items.iter().find(|i| !i.is_object()) {
                Some(item) => item,
                None => return Some(items.iter().filter_map(Value::as_object).collect()),
            },
            other => other,
        };
        match bad {
            Value::String(s) if is_flattened(s) => {
                let message = format!(
                    "{col} holds the text \"{}\": PowerShell's ConvertTo-Json flattened the nested values (default depth 2), so the links cannot be read",
                    short(s)
                );
                self.issues.push((Case::X02Flattened, message));
            }
            other => self.wrong(col, "an array of objects", other),
        }
        None
    }

    /// The links between a 2.0 provider and its profiles
    /// ([`PROVIDER_LINKS`]), to records of `other`.
    pub(super) fn links(&mut self, other: Table) -> Option<Vec<Link>> {
        if let Source::Xml(_, extra) = self.src {
            return extra.providers.clone();
        }
        let link = |m: &&Map<String, Value>| {
            let text = |col: &str| m.get(col).and_then(Value::as_str);
            Link {
                id: text(other.primary_id()).map(guid),
                unique_name: text("msdyn_uniquename").map(str::to_string),
                state: m.get("statecode").and_then(Value::as_i64),
            }
        };
        Some(self.nav(PROVIDER_LINKS)?.iter().map(link).collect())
    }

    /// A 1.0 provider or (`v2`) a 2.0 one, its columns read in this order.
    pub(super) fn provider(&mut self, v2: bool) -> Provider {
        // A column named differently in 1.0 and 2.0.
        let pick = |v1_col: &'static str, v2_col| if v2 { v2_col } else { v1_col };
        Provider {
            name: self.text("msdyn_name"),
            unique_name: v2.then(|| self.text("msdyn_uniquename")).flatten(),
            label: self.text("msdyn_label"),
            url: self.text(pick("msdyn_landingurl", "msdyn_channelurl")),
            trusted_domain: self.text("msdyn_trusteddomain"),
            sort_order: self.int("msdyn_sortorder"),
            outbound: self.boolean(pick("msdyn_clicktoact", "msdyn_enableoutbound")),
            api_version: self.int(pick("msdyn_ciproviderapiversion", "msdyn_apiversion")),
            app_selector: (!v2).then(|| self.text("msdyn_appselector")).flatten(),
            role_selector: (!v2).then(|| self.text("msdyn_roleselector")).flatten(),
            custom_params: self.text("msdyn_customparams"),
            sandbox: self.text("msdyn_sandboxconfiguration"),
            analytics: self.boolean("msdyn_enableanalytics"),
            state: self.int("statecode"),
            created: (!v2).then(|| self.text("createdon")).flatten(),
            profiles: v2.then(|| self.links(Table::Profile)).flatten(),
        }
    }

    pub(super) fn profile(&mut self) -> Profile {
        Profile {
            name: self.text("msdyn_name"),
            unique_name: self.text("msdyn_uniquename"),
            app_module: self.text("msdyn_appmoduleuniquename"),
            order: self.int("msdyn_profileorder"),
            state: self.int("statecode"),
            providers: self.links(Table::V2Provider),
            users: match self.src {
                Source::Xml(_, extra) => extra.users,
                Source::Json(_) => self.nav(USER_LINKS).map(|u| u.len()),
            },
        }
    }

    /// A lookup's id: the Web API's `_COL_value`, else a CMT file's `COL`
    /// (both names written out: this runs for every record).
    fn id(&mut self, web_api: &str, cmt: &str) -> Option<String> {
        let text = self.text(web_api);
        text.or_else(|| self.text(cmt)).map(|s| guid(&s))
    }

    pub(super) fn role_mapping(&mut self) -> RoleMapping {
        RoleMapping {
            profile_id: self.id("_msdyn_appprofileid_value", "msdyn_appprofileid"),
            role_id: self.id("_msdyn_securityroleid_value", "msdyn_securityroleid"),
            state: self.int("statecode"),
            unique_name: self.text("msdyn_uniquename"),
        }
    }

    /// An app module (`app`) or a role.
    pub(super) fn named(&mut self, app: bool) -> Named {
        Named {
            unique_name: self.text("uniquename"),
            name: self.text("name"),
            navigation: app.then(|| self.int("navigationtype")).flatten(),
            state: app.then(|| self.int("statecode")).flatten(),
            root: (!app)
                .then(|| self.id("_parentrootroleid_value", "parentrootroleid"))
                .flatten()
                .filter(|s| !s.is_empty()),
        }
    }
}
