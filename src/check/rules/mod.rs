//! The rules: a configuration in, findings out. What each rule checks is
//! in `data/check-rules.yaml` (severity, basis, fix, sources); the code
//! names the rule and case and says what it found.

use super::config::*;
use super::model::{RuleBasis, RuleCatalogue, Severity};
use super::read::{org_host, short, Issue};
use super::Case;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

mod columns;
mod expect;
mod profiles;
mod url;
mod v1;

use columns::*;
// The public items of expect (Expectation, Expected, OMNICHANNEL), url
// (parse_url, Url) and v1 (created_key) are the rules' own.
pub use expect::*;
use profiles::*;
pub use url::*;
pub use v1::*;

/// At most this many findings of one rule and case are listed; the rest
/// are counted in one more finding of that case (README, Limits).
pub const MAX_FINDINGS_PER_CASE: usize = 100;

/// The catalogue's text of one rule and case, shared by its findings.
#[derive(Debug)]
pub struct CaseText {
    pub rule: String,
    pub case: String,
    pub title: String,
    pub fix: String,
    pub sources: Vec<String>,
    pub unknown: Option<String>,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule's text, shared by every finding of its case.
    pub text: Arc<CaseText>,
    pub severity: Severity,
    pub basis: RuleBasis,
    pub record: Option<RecordRef>,
    pub file: Option<usize>,
    pub message: String,
    /// For the one finding that stands for the findings of its case past
    /// [`MAX_FINDINGS_PER_CASE`]: how many it stands for (else 0).
    pub more: usize,
}

/// The apps of the matrix that a rule recognises by name.
#[derive(Debug, Default)]
pub struct KnownApps {
    /// Normalised names (id, name, aliases) of multisession apps -> display name.
    pub multisession: BTreeMap<String, String>,
    /// Normalised names of removed apps -> display name.
    pub removed: BTreeMap<String, String>,
}

impl KnownApps {
    pub fn from_matrix(matrix: &crate::matrix::Matrix) -> KnownApps {
        let mut known = KnownApps::default();
        for app in &matrix.apps {
            let names = [&app.id, &app.name].into_iter().chain(&app.aliases);
            for key in names.map(|n| normalise(n)).filter(|k| !k.is_empty()) {
                if app.session == crate::matrix::SessionMode::Multi {
                    known.multisession.insert(key.clone(), app.name.to_string());
                }
                if app.state == crate::matrix::AppState::Removed {
                    known.removed.insert(key, app.name.to_string());
                }
            }
        }
        known
    }

    /// The matrix app an app module's names match, from `table`.
    fn matches<'a>(table: &'a BTreeMap<String, String>, names: &[Option<&str>]) -> Option<&'a str> {
        names.iter().flatten().find_map(|n| {
            // A unique name with Microsoft's publisher prefix
            // (msdyn_CustomerServiceWorkspace); the matrix's apps are Microsoft's.
            let prefixed = n.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("msdyn_"));
            let rest = n.get(6..).filter(|_| prefixed);
            let mut keys = [Some(*n), rest].into_iter().flatten();
            keys.find_map(|k| table.get(&normalise(k)).map(String::as_str))
        })
    }
}

/// Lowercase letters and digits only, for comparing app names.
fn normalise(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    lower.replace(|c: char| !c.is_ascii_alphanumeric(), "")
}

/// What the rules need besides the records.
pub struct Inputs<'a> {
    pub catalogue: &'a RuleCatalogue,
    pub apps: &'a KnownApps,
    /// The org URL of each file (by index), when known.
    pub file_orgs: Vec<Option<String>>,
    /// `--expect`.
    pub expect: Vec<Expectation>,
}

/// Collects findings: at most [`MAX_FINDINGS_PER_CASE`] of each rule and
/// case, the rest counted.
struct Out<'a> {
    inputs: &'a Inputs<'a>,
    findings: Vec<Finding>,
    needs: BTreeSet<String>,
    /// Each case met so far: a finding of it with its shared text (and no
    /// record or message yet), and how many were found.
    slots: HashMap<Case, (Finding, usize)>,
}

impl<'a> Out<'a> {
    fn new(inputs: &'a Inputs<'a>) -> Out<'a> {
        Out {
            inputs,
            findings: Vec::new(),
            needs: BTreeSet::new(),
            slots: HashMap::new(),
        }
    }

    /// The slot of a case, made the first time.
    fn slot(&mut self, case: Case) -> Option<&mut (Finding, usize)> {
        if !self.slots.contains_key(&case) {
            let (rule, key) = case.ids();
            let Some((r, c)) = self.inputs.catalogue.case(rule, key) else {
                debug_assert!(false, "{rule}/{key} is not in the built-in catalogue");
                return None;
            };
            let text = Arc::new(CaseText {
                rule: r.id.clone(),
                case: c.case.clone(),
                title: r.title.clone(),
                fix: c.fix.clone(),
                sources: r.sources.clone(),
                unknown: c.unknown.clone(),
            });
            let model = Finding {
                text,
                severity: c.severity,
                basis: c.basis,
                record: None,
                file: None,
                message: String::new(),
                more: 0,
            };
            self.slots.insert(case, (model, 0));
        }
        self.slots.get_mut(&case)
    }

    fn add(
        &mut self,
        case: Case,
        record: Option<&RecordRef>,
        file: Option<usize>,
        message: String,
    ) {
        let Some((model, found)) = self.slot(case) else {
            return;
        };
        *found += 1;
        if *found <= MAX_FINDINGS_PER_CASE {
            let f = Finding {
                record: record.cloned(),
                file,
                message,
                ..model.clone()
            };
            self.findings.push(f);
        }
    }

    /// The findings, with one for the rest of each case past the cap.
    fn finish(mut self) -> Vec<Finding> {
        let past_cap = self.slots.values().filter(|s| s.1 > MAX_FINDINGS_PER_CASE);
        self.findings.extend(past_cap.map(|(model, found)| {
            let more = found - MAX_FINDINGS_PER_CASE;
            let message = format!(
                "and {more} more {} like these, not listed: check lists at most {MAX_FINDINGS_PER_CASE} findings of one rule and case",
                if more == 1 { "finding" } else { "findings" }
            );
            Finding {
                message,
                more,
                ..model.clone()
            }
        }));
        self.findings
    }

    fn at(&mut self, case: Case, record: &RecordRef, message: String) {
        self.add(case, Some(record), None, message);
    }

    /// R04, R10, R22, R26 too-long: a value of more than `max` characters.
    fn check_length(&mut self, case: Case, r: &RecordRef, col: &str, v: &str, max: usize) {
        let n = v.chars().count();
        if n > max {
            self.at(case, r, format!("{col} has {n} characters (at most {max})"));
        }
    }

    /// Says once that `rules` need `what`.
    fn needs(&mut self, rules: &str, what: &str) {
        let message = format!("{rules} not checked: {what}");
        if self.needs.insert(message.clone()) {
            self.add(Case::X03NeedsExport, None, None, message);
        }
    }

    fn values(&self, case: Case) -> Vec<String> {
        let (rule, key) = case.ids();
        let case = self.inputs.catalogue.case(rule, key);
        case.map(|(_, c)| c.values.clone()).unwrap_or_default()
    }
}

/// Runs every rule, the cross-record ones within each organisation's
/// configuration; `issues` (from the readers) become findings first, and
/// `counts` (the readers' issues per case) count those not kept.
pub fn run(
    configs: &[Config],
    issues: &[Issue],
    counts: &HashMap<Case, usize>,
    inputs: &Inputs<'_>,
) -> Vec<Finding> {
    let mut out = Out::new(inputs);
    for i in issues {
        out.add(i.case, i.record.as_ref(), i.file, i.message.clone());
    }
    // The reader's issues found but not kept, counted.
    for (case, n) in counts {
        if let Some((_, found)) = out.slot(*case) {
            *found += n.saturating_sub(MAX_FINDINGS_PER_CASE);
        }
    }
    configs.iter().for_each(|c| run_org(&mut out, c));
    for e in &inputs.expect {
        check_expectation(&mut out, configs, e);
    }
    out.finish()
}

/// The Channel URL's column, by the provider's kind.
fn url_column(p: &Rec<Provider>) -> &'static str {
    if p.r.table == Table::V1Provider {
        "msdyn_landingurl"
    } else {
        "msdyn_channelurl"
    }
}

/// The records of one organisation, with the lookups the rules share.
struct Org<'c> {
    config: &'c Config,
    /// App modules by id.
    apps: BTreeMap<&'c str, &'c Rec<Named>>,
    /// Roles by id.
    roles: HashMap<&'c str, &'c Rec<Named>>,
    /// Profiles by id.
    profiles: HashMap<&'c str, &'c Rec<Profile>>,
}

impl<'c> Org<'c> {
    fn new(config: &'c Config) -> Org<'c> {
        Org {
            config,
            apps: config.apps.iter().map(|a| (a.r.id.as_str(), a)).collect(),
            roles: config.roles.iter().map(|r| (r.r.id.as_str(), r)).collect(),
            profiles: config
                .profiles
                .iter()
                .map(|p| (p.r.id.as_str(), p))
                .collect(),
        }
    }

    fn has(&self, table: Table) -> bool {
        self.config.given.contains(&table)
    }
}

type ProviderRule = fn(&mut Out<'_>, &Rec<Provider>);
type V1Rule = fn(&mut Out<'_>, &Rec<Provider>, &Org<'_>);

/// The rules on the columns both provider kinds have.
const COLUMN_RULES: &[ProviderRule] = &[
    check_names,
    check_channel_url,
    check_trusted_domain,
    check_sort_order,
    check_custom_params,
    check_sandbox,
];
/// The rules on one CIF 1.0 provider.
const V1_RULES: &[V1Rule] = &[
    check_v1_analytics,
    check_v1_apps_and_version,
    check_v1_roles,
    check_v1_inactive,
];

/// The rules on one organisation's records.
fn run_org(out: &mut Out<'_>, config: &Config) {
    let org = Org::new(config);
    for p in &config.v1 {
        COLUMN_RULES.iter().for_each(|rule| rule(out, p));
        V1_RULES.iter().for_each(|rule| rule(out, p, &org));
    }
    check_one_provider_per_app(out, &org);
    for p in &config.v2 {
        COLUMN_RULES.iter().for_each(|rule| rule(out, p));
        check_v2_api_version(out, p);
        check_unique_name(out, &p.r, p.data.unique_name.as_deref());
    }
    check_duplicates(out, &config.v2, |p| p.unique_name.as_deref());
    check_profiles(out, config);
    check_links(out, &org);
}

/// R13 v2-value: an API version other than 162450000 ("2").
fn check_v2_api_version(out: &mut Out<'_>, p: &Rec<Provider>) {
    if let Some(v) = p.data.api_version.filter(|v| *v != 162_450_000) {
        let m = format!("msdyn_apiversion is {v}, not 162450000 (\"2\")");
        out.at(Case::R13V2Value, &p.r, m);
    }
}

/// R11: a CIF 2.0 provider whose Unique Name differs from the earlier export's.
pub fn renamed(old: &Config, new: &[Config], catalogue: &RuleCatalogue) -> Vec<Finding> {
    let inputs = Inputs {
        catalogue,
        apps: &KnownApps::default(),
        file_orgs: Vec::new(),
        expect: Vec::new(),
    };
    let mut out = Out::new(&inputs);
    let before_by_id: HashMap<&str, &str> = old
        .v2
        .iter()
        .filter(|o| !o.r.id.is_empty())
        .filter_map(|o| Some((o.r.id.as_str(), o.data.unique_name.as_deref()?)))
        .collect();
    for p in new.iter().flat_map(|c| &c.v2) {
        let Some(now) = &p.data.unique_name else {
            continue;
        };
        let before = before_by_id.get(p.r.id.as_str());
        if let Some(before) = before.filter(|b| **b != now) {
            let (before, now) = (short(before), short(now));
            let msg = format!(
                "msdyn_uniquename was \"{before}\" in the earlier export and is \"{now}\" now"
            );
            out.at(Case::R11Changed, &p.r, msg);
        }
    }
    if old.v2.is_empty() {
        out.needs(
            "R11",
            "the --diff export holds no msdyn_channelproviders rows to compare with",
        );
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_as_the_checks_need() {
        let u = parse_url("https://cti.contoso.example:8443/agent/?ucilib=x#top").unwrap();
        assert_eq!(
            (u.scheme, u.host, u.path, u.query),
            ("https", "cti.contoso.example", "/agent/", "ucilib=x")
        );
        assert_eq!(parse_url("contoso.com"), None);
        assert_eq!(parse_url("https://"), None);
        assert_eq!(
            parse_url("https://*.contoso.com").unwrap().host,
            "*.contoso.com"
        );
        assert!(host_ok("cti.contoso.example"));
        assert!(!host_ok("10.0.0.1"));
        assert!(!host_ok("*.contoso.com"));
    }

    #[test]
    fn created_on_as_the_web_api_and_cmt_write_it() {
        assert_eq!(
            created_key("2020-06-10T07:18:20Z"),
            Some((2020, 6, 10, 7, 18, 20))
        );
        assert_eq!(
            created_key("2020-06-10T07:33:33.0000000Z"),
            Some((2020, 6, 10, 7, 33, 33))
        );
        assert_eq!(
            created_key("6/10/2020 7:18:20 PM"),
            Some((2020, 6, 10, 19, 18, 20))
        );
        assert_eq!(
            created_key("6/10/2020 12:05:00 AM"),
            Some((2020, 6, 10, 0, 5, 0))
        );
        assert_eq!(created_key("yesterday"), None);
        assert_eq!(created_key(""), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("https%3A%2F%2Fa.b%2Fc"), "https://a.b/c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn app_names_normalise() {
        assert_eq!(
            normalise("Copilot Service workspace"),
            "copilotserviceworkspace"
        );
        let mut t = BTreeMap::new();
        t.insert(
            "customerserviceworkspace".to_string(),
            "Customer Service workspace".to_string(),
        );
        assert_eq!(
            KnownApps::matches(&t, &[Some("msdyn_CustomerServiceWorkspace")]),
            Some("Customer Service workspace")
        );
        assert_eq!(KnownApps::matches(&t, &[Some("contoso_sales")]), None);
    }
}
