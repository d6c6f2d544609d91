//! The rules: a configuration in, findings out. What each rule checks is
//! in `data/check-rules.yaml` (severity, basis, fix, sources); the code
//! names the rule and case and says what it found.

use super::config::*;
use super::model::{RuleBasis, RuleCatalogue, Severity};
use super::read::{short, Issue};
use super::Case;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

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

impl Finding {
    /// How many findings this one counts for in the summary.
    pub fn weight(&self) -> usize {
        if self.more > 0 {
            self.more
        } else {
            1
        }
    }
}

/// The text of one case, and how many findings of it were found.
struct Slot {
    text: Arc<CaseText>,
    severity: Severity,
    basis: RuleBasis,
    found: usize,
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
    pub fn from_matrix(matrix: &crate::matrix::Matrix<'_>) -> KnownApps {
        let mut known = KnownApps::default();
        for app in &matrix.apps {
            let names = std::iter::once(app.id.as_ref())
                .chain(std::iter::once(app.name.as_ref()))
                .chain(app.aliases.iter().map(|a| a.as_ref()));
            for n in names {
                let key = normalise(n);
                if key.is_empty() {
                    continue;
                }
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
            let mut keys = vec![normalise(n)];
            // A unique name with Microsoft's publisher prefix
            // (msdyn_CustomerServiceWorkspace); the matrix's apps are Microsoft's.
            if let Some(rest) = n
                .get(..6)
                .filter(|p| p.eq_ignore_ascii_case("msdyn_"))
                .and_then(|_| n.get(6..))
            {
                keys.push(normalise(rest));
            }
            keys.iter().find_map(|k| table.get(k).map(String::as_str))
        })
    }
}

/// Lowercase letters and digits only, for comparing app names.
fn normalise(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
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

/// What a team can expect of its providers (`--expect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Outbound,
    Analytics,
}

impl Expected {
    const ALL: [(Expected, &'static str); 2] = [
        (Expected::Outbound, "outbound"),
        (Expected::Analytics, "analytics"),
    ];

    fn word(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(e, _)| *e == self)
            .map_or("", |(_, w)| w)
    }
}

/// `--expect WHAT[=NAME]`: NAME a provider's unique name or name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub what: Expected,
    pub name: Option<String>,
}

impl std::str::FromStr for Expectation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (word, name) = match s.split_once('=') {
            Some((w, n)) => (w, Some(n.trim())),
            None => (s, None),
        };
        let word = word.trim().to_ascii_lowercase();
        let Some((what, _)) = Expected::ALL.iter().find(|(_, w)| *w == word) else {
            return Err(format!(
                "'{word}' is not something check can expect; use outbound[=NAME] or analytics[=NAME] (NAME a provider's unique name or name)"
            ));
        };
        if name == Some("") {
            return Err(format!(
                "'{s}' names no provider; give its unique name or name after '=', e.g. {}=contoso_voice",
                what.word()
            ));
        }
        Ok(Expectation {
            what: *what,
            name: name.map(str::to_string),
        })
    }
}

impl Expectation {
    /// As given on the command line.
    fn flag(&self) -> String {
        match &self.name {
            Some(n) => format!("--expect {}={}", self.what.word(), short(n)),
            None => format!("--expect {}", self.what.word()),
        }
    }

    /// Whether it is about this provider: the named one, or (no name) every
    /// provider but Omnichannel's own (`msdyn_omnichannel`).
    fn applies(&self, names: [Option<&str>; 2]) -> bool {
        match &self.name {
            Some(n) => names
                .iter()
                .flatten()
                .any(|v| v.trim().eq_ignore_ascii_case(n)),
            None => !names[0].is_some_and(|u| u.eq_ignore_ascii_case(OMNICHANNEL)),
        }
    }
}

/// The unique name of Omnichannel's own provider (the conversation control).
pub const OMNICHANNEL: &str = "msdyn_omnichannel";

/// Collects findings: at most [`MAX_FINDINGS_PER_CASE`] of each rule and
/// case, the rest counted.
struct Out<'a> {
    inputs: &'a Inputs<'a>,
    findings: Vec<Finding>,
    needs: BTreeSet<String>,
    /// Each case met so far, in the order first met.
    slots: HashMap<Case, usize>,
    slot_list: Vec<Slot>,
}

impl<'a> Out<'a> {
    fn new(inputs: &'a Inputs<'a>) -> Out<'a> {
        Out {
            inputs,
            findings: Vec::new(),
            needs: BTreeSet::new(),
            slots: HashMap::new(),
            slot_list: Vec::new(),
        }
    }

    /// The slot of a case (its shared text), made the first time.
    fn slot(&mut self, case: Case) -> Option<usize> {
        if let Some(i) = self.slots.get(&case) {
            return Some(*i);
        }
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
        self.slot_list.push(Slot {
            text,
            severity: c.severity,
            basis: c.basis,
            found: 0,
        });
        let i = self.slot_list.len() - 1;
        self.slots.insert(case, i);
        Some(i)
    }

    /// Counts findings of a case that were found but not kept (the reader's).
    fn count_more(&mut self, case: Case, n: usize) {
        if let Some(i) = self.slot(case) {
            self.slot_list[i].found += n;
        }
    }

    fn add(
        &mut self,
        case: Case,
        record: Option<&RecordRef>,
        file: Option<usize>,
        message: String,
    ) {
        let Some(i) = self.slot(case) else {
            return;
        };
        let slot = &mut self.slot_list[i];
        slot.found += 1;
        if slot.found > MAX_FINDINGS_PER_CASE {
            return;
        }
        self.findings.push(Finding {
            text: Arc::clone(&slot.text),
            severity: slot.severity,
            basis: slot.basis,
            record: record.cloned(),
            file,
            message,
            more: 0,
        });
    }

    /// The findings, with one for the rest of each case past the cap.
    fn finish(mut self) -> Vec<Finding> {
        for slot in &self.slot_list {
            let more = slot.found.saturating_sub(MAX_FINDINGS_PER_CASE);
            if more == 0 {
                continue;
            }
            self.findings.push(Finding {
                text: Arc::clone(&slot.text),
                severity: slot.severity,
                basis: slot.basis,
                record: None,
                file: None,
                message: format!(
                    "and {more} more {} like these, not listed: check lists at most {MAX_FINDINGS_PER_CASE} findings of one rule and case",
                    if more == 1 { "finding" } else { "findings" }
                ),
                more,
            });
        }
        self.findings
    }

    fn at(&mut self, case: Case, record: &RecordRef, message: String) {
        self.add(case, Some(record), None, message);
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
        self.inputs
            .catalogue
            .case(rule, key)
            .map(|(_, c)| c.values.clone())
            .unwrap_or_default()
    }
}

/// Runs every rule, the cross-record ones within each organisation's
/// configuration; `issues` (from the readers) become findings first.
pub fn run(
    configs: &[Config],
    issues: &[Issue],
    folded: &[(Case, usize)],
    inputs: &Inputs<'_>,
) -> Vec<Finding> {
    let mut out = Out::new(inputs);
    for i in issues {
        out.add(i.case, i.record.as_ref(), i.file, i.message.clone());
    }
    for (case, n) in folded {
        out.count_more(*case, *n);
    }
    for config in configs {
        run_org(&mut out, config);
    }
    for e in &inputs.expect {
        expectation(&mut out, configs, e);
    }
    out.finish()
}

/// R12 and R21 for one `--expect`; X08 when its NAME is no provider's.
fn expectation(out: &mut Out<'_>, configs: &[Config], e: &Expectation) {
    let mut named = false;
    for c in configs {
        for p in c.v1.iter().filter(|_| e.what == Expected::Outbound) {
            let d = &p.data;
            if !e.applies([None, d.name.as_deref()]) {
                continue;
            }
            named = true;
            if d.click_to_act == Some(false) && active(d.state) {
                let m = format!(
                    "outbound is expected ({}) but msdyn_clicktoact is false",
                    e.flag()
                );
                out.at(Case::R12Off, &p.r, m);
            }
        }
        for p in &c.v2 {
            let d = &p.data;
            if !e.applies([d.unique_name.as_deref(), d.name.as_deref()]) {
                continue;
            }
            named = true;
            if !active(d.state) {
                continue;
            }
            let (case, column, value) = match e.what {
                Expected::Outbound => (Case::R12Off, "msdyn_enableoutbound", d.outbound),
                Expected::Analytics => {
                    (Case::R21AnalyticsOff, "msdyn_enableanalytics", d.analytics)
                }
            };
            match value {
                Some(false) => out.at(
                    case,
                    &p.r,
                    format!("{} is expected ({}) but {column} is false", e.what.word(), e.flag()),
                ),
                Some(true) => {}
                None => out.needs(
                    &format!("{} ({column})", e.flag()),
                    &format!("export {column} of msdyn_channelproviders (cif-advisor check --queries ORG_URL)"),
                ),
            }
        }
    }
    if let (Some(name), false) = (&e.name, named) {
        out.add(
            Case::X08UnknownProvider,
            None,
            None,
            format!(
                "{} names no {} of the export: none has the unique name or name \"{}\"",
                e.flag(),
                if e.what == Expected::Analytics {
                    "CIF 2.0 provider"
                } else {
                    "provider"
                },
                short(name)
            ),
        );
    }
}

/// The rules on one organisation's records.
fn run_org(out: &mut Out<'_>, config: &Config) {
    let app_names: BTreeMap<String, &Rec<Named>> =
        config.apps.iter().map(|a| (a.r.id.clone(), a)).collect();
    let have_apps = config.given.contains(&Table::AppModule);
    let have_roles = config.given.contains(&Table::Role);
    let roles: HashMap<&str, &Rec<Named>> =
        config.roles.iter().map(|r| (r.r.id.as_str(), r)).collect();

    // ---------------------------------------------------------- 1.0
    for p in &config.v1 {
        let d = &p.data;
        let r = &p.r;
        names(out, r, &d.name, &d.label);
        if let Some(url) = &d.landing_url {
            channel_url(out, r, "msdyn_landingurl", url);
            idle_time(out, r, "msdyn_landingurl", url, None);
        }
        if let Some(td) = &d.trusted_domain {
            trusted_domain(out, r, td);
        }
        sort_order(out, r, d.sort_order);
        custom_params(out, r, d.custom_params.as_deref());
        sandbox(out, r, d.sandbox.as_deref());
        if d.analytics == Some(true) {
            out.at(
                Case::R21V1Analytics,
                r,
                "msdyn_enableanalytics is true on a CIF 1.0 provider".into(),
            );
        }
        // Apps (an inactive provider loads nowhere: only R17 applies).
        let apps = d.app_selector.as_deref().map(selector_ids);
        let is_active = active(d.state);
        let multisession = match apps.as_ref().filter(|_| is_active) {
            Some(ids) => v1_apps(out, r, ids, &app_names, have_apps),
            None => Vec::new(),
        };
        if !multisession.is_empty() {
            out.at(
                Case::R02MultisessionApp,
                r,
                format!(
                    "msdyn_appselector includes the multisession app {}",
                    multisession.join(", ")
                ),
            );
        }
        match d.api_version {
            Some(1) if multisession.is_empty() => out.at(
                Case::R01ApiVersion2,
                r,
                "msdyn_ciproviderapiversion is 1 (\"2.0\") on a CIF 1.0 provider record".into(),
            ),
            Some(1) => out.at(
                Case::R01ApiVersion2Multisession,
                r,
                "msdyn_ciproviderapiversion is 1 (\"2.0\") and the record is selected for a multisession app".into(),
            ),
            Some(0) | None => {}
            Some(v) => out.at(
                Case::R13V1Value,
                r,
                format!("msdyn_ciproviderapiversion is {v}; valid values are 0 (\"1.0\") and 1 (\"2.0\")"),
            ),
        }
        if let Some(sel) = d.role_selector.as_ref().filter(|_| is_active) {
            v1_roles(out, r, sel, &roles, have_roles);
        }
        if !is_active && apps.as_ref().is_none_or(|a| !a.is_empty()) {
            let why = if apps.is_some() {
                "but has apps selected"
            } else {
                "(the export does not show its apps)"
            };
            out.at(
                Case::R17InactiveProvider,
                r,
                format!("the provider is inactive (statecode 1) {why}"),
            );
        }
    }
    one_provider_per_app(out, config, &app_names);
    v2_providers(out, config);
    profiles_and_links(out, config);
}

/// The rules on each 2.0 provider's own columns, and R10 duplicate.
fn v2_providers(out: &mut Out<'_>, config: &Config) {
    let mut unique: BTreeMap<String, Vec<&RecordRef>> = BTreeMap::new();
    for p in &config.v2 {
        let d = &p.data;
        let r = &p.r;
        names(out, r, &d.name, &d.label);
        if let Some(url) = &d.channel_url {
            channel_url(out, r, "msdyn_channelurl", url);
            idle_time(out, r, "msdyn_channelurl", url, d.unique_name.as_deref());
        }
        if let Some(td) = &d.trusted_domain {
            trusted_domain(out, r, td);
        }
        sort_order(out, r, d.sort_order);
        custom_params(out, r, d.custom_params.as_deref());
        sandbox(out, r, d.sandbox.as_deref());
        if let Some(v) = d.api_version.filter(|v| *v != 162_450_000) {
            out.at(
                Case::R13V2Value,
                r,
                format!("msdyn_apiversion is {v}, not 162450000 (\"2\")"),
            );
        }
        if let Some(un) = &d.unique_name {
            unique_name(out, r, un);
            unique.entry(un.to_ascii_lowercase()).or_default().push(r);
        }
    }
    duplicates(out, &unique);
}

/// R02, R15: the apps a 1.0 provider selects; returns the multisession
/// ones, shown.
fn v1_apps(
    out: &mut Out<'_>,
    r: &RecordRef,
    ids: &[String],
    app_names: &BTreeMap<String, &Rec<Named>>,
    have_apps: bool,
) -> Vec<String> {
    let mut multisession = Vec::new();
    if ids.is_empty() {
        let m = "msdyn_appselector is empty: the provider is shown in no app";
        out.at(Case::R15NoApps, r, m.into());
        return multisession;
    }
    if !have_apps {
        out.needs(
            "R02 and R15 (app ids)",
            "give the appmodules export to turn the app ids into apps",
        );
        return multisession;
    }
    let known = out.inputs.apps;
    // (app shown, why it loads nowhere) per selected app that is exported.
    let mut unusable: Vec<String> = Vec::new();
    let mut usable = 0;
    for id in ids {
        let Some(app) = app_names.get(id) else {
            let m =
                format!("msdyn_appselector names app {id}, which is not in the appmodules export");
            out.at(Case::R15UnknownApp, r, m);
            continue;
        };
        let names = [app.data.name.as_deref(), app.data.unique_name.as_deref()];
        // navigationtype says it (R2); the matrix's app names are the fallback.
        match app.data.navigation {
            Some(1) => {
                multisession.push(format!("{} (navigationtype 1, multisession)", app.r.name))
            }
            Some(_) => {}
            None => {
                if let Some(m) = KnownApps::matches(&known.multisession, &names) {
                    multisession.push(format!("{} ({m})", app.r.name));
                }
            }
        }
        if !active(app.data.state) {
            unusable.push(format!(
                "\"{}\" (inactive, statecode {})",
                app.r.name,
                app.data.state.unwrap_or(1)
            ));
        } else if let Some(m) = KnownApps::matches(&known.removed, &names) {
            unusable.push(format!("\"{}\" ({m}, removed)", app.r.name));
        } else {
            usable += 1;
        }
    }
    if usable == 0 && !unusable.is_empty() {
        let m = format!(
            "every app msdyn_appselector selects is inactive or removed: {}",
            unusable.join(", ")
        );
        out.at(Case::R15NoActiveApp, r, m);
    }
    multisession
}

/// R14: a 1.0 provider's role selector, as the product reads it: ids
/// separated by ';', matched with the user's root role ids.
fn v1_roles(
    out: &mut Out<'_>,
    r: &RecordRef,
    sel: &str,
    roles: &HashMap<&str, &Rec<Named>>,
    have_roles: bool,
) {
    let ids = selector_ids(sel);
    if ids.is_empty() {
        out.at(Case::R14NoRoles, r, "msdyn_roleselector is empty".into());
        return;
    }
    // A ';'-part that holds several ids is one id to the loader.
    let joined = sel
        .split(';')
        .filter(|part| selector_ids(part).len() > 1)
        .count();
    if joined > 0 {
        let m = format!(
            "msdyn_roleselector \"{}\" separates role ids with something other than ';', which is the only separator the loader splits on",
            short(sel)
        );
        out.at(Case::R14Separator, r, m);
    }
    if !have_roles {
        out.needs(
            "R14 (role ids)",
            "give the roles export to check the role ids",
        );
        return;
    }
    let mut roots_known = false;
    for id in &ids {
        let Some(role) = roles.get(id.as_str()) else {
            let m = format!("msdyn_roleselector names role {id}, which is not in the roles export");
            out.at(Case::R14UnknownRole, r, m);
            continue;
        };
        let Some(root) = &role.data.root else {
            continue;
        };
        roots_known = true;
        if root != id {
            let root_shown = roles
                .get(root.as_str())
                .map_or_else(|| root.clone(), |o| format!("\"{}\" ({root})", o.r.name));
            let m = format!(
                "msdyn_roleselector names role \"{}\" ({id}), a business unit's copy of the root role {root_shown}",
                role.r.name
            );
            out.at(Case::R14NotRootRole, r, m);
        }
    }
    if !roots_known && ids.iter().any(|id| roles.contains_key(id.as_str())) {
        out.needs(
            "R14 (root roles)",
            "export roles with _parentrootroleid_value (cif-advisor check --queries ORG_URL) to tell root roles from their business-unit copies",
        );
    }
}

fn names(out: &mut Out<'_>, r: &RecordRef, name: &Option<String>, label: &Option<String>) {
    for (col, v) in [("msdyn_name", name), ("msdyn_label", label)] {
        let Some(v) = v else { continue };
        let n = v.chars().count();
        if v.trim().is_empty() {
            out.at(Case::R26Empty, r, format!("{col} is empty"));
        } else if n > 100 {
            out.at(
                Case::R26TooLong,
                r,
                format!("{col} has {n} characters (at most 100)"),
            );
        }
    }
}

/// An absolute URL, split the way the checks need it.
#[derive(Debug, PartialEq, Eq)]
pub struct Url<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    pub query: &'a str,
}

/// Splits `scheme://[user@]host[:port][/path][?query][#fragment]`; `None`
/// when the text is not such an absolute URL with a host.
pub fn parse_url(text: &str) -> Option<Url<'_>> {
    let text = text.trim();
    let (scheme, rest) = text.split_once("://")?;
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let after = &rest[end..];
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.is_empty() || host.chars().any(char::is_whitespace) {
        return None;
    }
    let after = after.split('#').next().unwrap_or("");
    let (path, query) = after.split_once('?').unwrap_or((after, ""));
    Some(Url {
        scheme,
        host,
        path,
        query,
    })
}

/// The host check of the form and plug-in: `^((www.)?[0-9a-zA-Z-_.]+[a-zA-Z]{2,}$)`.
fn host_ok(host: &str) -> bool {
    let b = host.as_bytes();
    let letters = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    b.iter()
        .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
        && letters >= 2
        && b.len() > 2
}

fn channel_url(out: &mut Out<'_>, r: &RecordRef, col: &str, url: &str) {
    let n = url.chars().count();
    if n > 1024 {
        out.at(
            Case::R04TooLong,
            r,
            format!("{col} has {n} characters (at most 1024)"),
        );
    }
    let Some(u) = parse_url(url) else {
        let shown = if url.trim().is_empty() {
            "empty".to_string()
        } else {
            format!("\"{}\", not an absolute URL", short(url))
        };
        out.at(Case::R04NotAbsolute, r, format!("{col} is {shown}"));
        return;
    };
    if !u.scheme.eq_ignore_ascii_case("https") {
        out.at(
            Case::R03NotHttps,
            r,
            format!("{col} \"{}\" uses {}://", short(url), u.scheme),
        );
    }
    if u.host.eq_ignore_ascii_case("localhost") {
        out.at(
            Case::R04DeveloperHost,
            r,
            format!("the host of {col} is localhost: a developer's machine, which agents' browsers do not reach"),
        );
    } else if !host_ok(u.host) {
        out.at(
            Case::R04Host,
            r,
            format!(
                "the host \"{}\" of {col} is likely rejected by the form's host check",
                short(u.host)
            ),
        );
    }
    if let Some((_, rest)) = u
        .path
        .split_once('&')
        .filter(|(_, rest)| rest.contains('=') && u.query.is_empty())
    {
        out.at(
            Case::R04NoQuestionMark,
            r,
            format!(
                "{col} \"{}\" has \"&{}\" in its path and no '?': the parameters become part of the path",
                short(url),
                short(rest)
            ),
        );
    }
    ucilib(out, r, col, &u);
}

/// R19: `idleTimeThreshold=` customised on the Omnichannel provider (lost
/// on deployment), or on another provider (the documented script appends
/// it to every provider's Channel URL, and only Omnichannel reads it).
fn idle_time(out: &mut Out<'_>, r: &RecordRef, col: &str, url: &str, unique: Option<&str>) {
    let markers = out.values(Case::R19OverwrittenOnDeploy);
    let (Some(omnichannel), Some(marker)) = (markers.first(), markers.get(1)) else {
        return;
    };
    if !url
        .to_ascii_lowercase()
        .contains(&marker.to_ascii_lowercase())
    {
        return;
    }
    let parameter = marker.trim_end_matches('=');
    match unique {
        Some(un) if un.eq_ignore_ascii_case(omnichannel) => out.at(
            Case::R19OverwrittenOnDeploy,
            r,
            format!("the Channel URL of {un} was customised ({parameter})"),
        ),
        _ => out.at(
            Case::R19OtherProvider,
            r,
            format!("{col} has {parameter}=, which only the {omnichannel} provider reads"),
        ),
    }
}

/// The parameters of a Channel URL: its query, or (no `?`) what follows
/// the first `&` of its path, which the server reads as path (R04).
fn parameters<'u>(u: &Url<'u>) -> &'u str {
    if u.query.is_empty() {
        u.path.split_once('&').map_or("", |(_, rest)| rest)
    } else {
        u.query
    }
}

/// Whether a host is a Dynamics 365 organisation's (`org.crm4.dynamics.com`,
/// `org.api.crm.dynamics.com`).
fn is_org_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host.strip_suffix(".dynamics.com").is_some_and(|rest| {
        let labels: Vec<&str> = rest.split('.').collect();
        labels.len() >= 2 && labels.last().is_some_and(|l| l.starts_with("crm"))
    })
}

/// R20: every organisation URL in the Channel URL's parameters (`ucilib=`,
/// `base=`, any Dynamics 365 org URL) against the export's org.
fn ucilib(out: &mut Out<'_>, r: &RecordRef, col: &str, u: &Url<'_>) {
    let org = out.inputs.file_orgs.get(r.file).cloned().flatten();
    let org_host = org
        .as_deref()
        .and_then(parse_url)
        .map(|o| super::read::org_host(o.host));
    for (key, raw) in parameters(u).split('&').filter_map(|kv| kv.split_once('=')) {
        let value = percent_decode(raw);
        let is_lib = key.eq_ignore_ascii_case("ucilib");
        let lib = parse_url(&value);
        if is_lib && !library_path(out, r, col, &value, lib.as_ref()) {
            continue;
        }
        let Some(lib) =
            lib.filter(|l| is_lib || key.eq_ignore_ascii_case("base") || is_org_host(l.host))
        else {
            continue;
        };
        let key = short(key);
        match (&org, &org_host) {
            (Some(org), Some(h)) if *h != super::read::org_host(lib.host) => {
                let what = if is_lib { "loads the library from" } else { "points at" };
                out.at(
                    Case::R20OtherOrg,
                    r,
                    format!("{key}= in {col} {what} {}, but the export is from {org}", short(lib.host)),
                );
            }
            (Some(_), _) => {}
            (None, _) => out.needs(
                "R20 (org URLs in the Channel URL)",
                "the export has no org URL (a CMT file or Xrm.WebApi output); export with the Web API, or give --org ORG_URL, to compare ucilib= and base= with the org",
            ),
        }
    }
}

/// R20 library-path: `ucilib=` is an absolute URL of the library; false when
/// it is not a URL at all.
fn library_path(
    out: &mut Out<'_>,
    r: &RecordRef,
    col: &str,
    value: &str,
    lib: Option<&Url<'_>>,
) -> bool {
    let Some(lib) = lib else {
        out.at(
            Case::R20LibraryPath,
            r,
            format!(
                "ucilib= in {col} is \"{}\", not an absolute URL",
                short(value)
            ),
        );
        return false;
    };
    let expected = out.values(Case::R20LibraryPath);
    if let Some(path) = expected
        .first()
        .filter(|p| !lib.path.eq_ignore_ascii_case(p))
    {
        out.at(
            Case::R20LibraryPath,
            r,
            format!(
                "ucilib= in {col} points at the path \"{}\", not {path}",
                short(lib.path)
            ),
        );
    }
    true
}

/// `%XX` sequences decoded (invalid ones kept as they are).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn trusted_domain(out: &mut Out<'_>, r: &RecordRef, value: &str) {
    let v = value.trim();
    if v.is_empty() {
        return;
    }
    let parts: Vec<&str> = v
        .split([',', ';', ' ', '\t', '\r', '\n'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        out.at(
            Case::R07Several,
            r,
            format!(
                "msdyn_trusteddomain holds {} values: \"{}\"",
                parts.len(),
                short(v)
            ),
        );
        return;
    }
    let Some(u) = parse_url(v) else {
        out.at(
            Case::R05NoScheme,
            r,
            format!(
                "msdyn_trusteddomain \"{}\" is not an absolute URL (no scheme such as https://)",
                short(v)
            ),
        );
        return;
    };
    let rest_has_star = u.path.contains('*') || u.query.contains('*');
    if u.host.contains('*') || rest_has_star {
        let leading = u.host.starts_with("*.") && !u.host[2..].contains('*') && !rest_has_star;
        if leading {
            out.at(
                Case::R06Leading,
                r,
                format!(
                    "msdyn_trusteddomain \"{}\" also accepts any host ending in \"{}\"",
                    short(v),
                    short(&u.host[2..])
                ),
            );
        } else {
            out.at(
                Case::R06Misplaced,
                r,
                format!(
                    "msdyn_trusteddomain \"{}\" has a wildcard that is not a leading '*.'",
                    short(v)
                ),
            );
        }
    }
}

fn sort_order(out: &mut Out<'_>, r: &RecordRef, order: Option<i64>) {
    if let Some(o) = order.filter(|o| !(0..=1000).contains(o)) {
        out.at(
            Case::R09ChannelOrder,
            r,
            format!("msdyn_sortorder is {o}, outside 0-1000"),
        );
    }
}

fn custom_params(out: &mut Out<'_>, r: &RecordRef, value: Option<&str>) {
    let Some(v) = value.filter(|v| !v.trim().is_empty()) else {
        return;
    };
    let n = v.chars().count();
    if n > 2000 {
        out.at(
            Case::R22TooLong,
            r,
            format!("msdyn_customparams has {n} characters (at most 2000)"),
        );
    }
    let t = v.trim();
    if (t.starts_with('{') || t.starts_with('['))
        && serde_json::from_str::<serde_json::Value>(t).is_err()
    {
        out.at(
            Case::R22BadJson,
            r,
            "msdyn_customparams starts like JSON but does not parse".into(),
        );
    }
    let lower = v.to_ascii_lowercase();
    let hits: Vec<String> = out
        .values(Case::R22Secret)
        .into_iter()
        .filter(|k| lower.contains(&k.to_ascii_lowercase()))
        .collect();
    if !hits.is_empty() {
        out.at(
            Case::R22Secret,
            r,
            format!(
                "msdyn_customparams contains {}",
                hits.iter()
                    .map(|h| format!("\"{h}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

fn sandbox(out: &mut Out<'_>, r: &RecordRef, value: Option<&str>) {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return;
    };
    let tokens: Vec<String> = v
        .split([',', ' ', '\t', '\r', '\n', ';'])
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if tokens.len() > 1 && !v.contains(',') {
        out.at(
            Case::R18SpaceSeparated,
            r,
            "msdyn_sandboxconfiguration is separated by spaces, not commas".into(),
        );
    }
    let keywords = out.values(Case::R18UnknownToken);
    let unknown: Vec<&String> = tokens.iter().filter(|t| !keywords.contains(t)).collect();
    if !unknown.is_empty() {
        out.at(
            Case::R18UnknownToken,
            r,
            format!(
                "msdyn_sandboxconfiguration holds {}, not an iframe sandbox keyword",
                unknown
                    .iter()
                    .map(|t| format!("\"{}\"", short(t)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let missing: Vec<String> = out
        .values(Case::R18MissingDefaults)
        .into_iter()
        .filter(|d| !tokens.contains(d))
        .collect();
    if !missing.is_empty() {
        out.at(
            Case::R18MissingDefaults,
            r,
            format!(
                "msdyn_sandboxconfiguration lacks the default(s) {}",
                missing.join(", ")
            ),
        );
    }
}

fn unique_name(out: &mut Out<'_>, r: &RecordRef, un: &str) {
    let n = un.chars().count();
    if n > 128 {
        out.at(
            Case::R10TooLong,
            r,
            format!("msdyn_uniquename has {n} characters (at most 128)"),
        );
    }
    let ok = un.split_once('_').is_some_and(|(prefix, rest)| {
        (3..=8).contains(&prefix.len())
            && prefix.bytes().all(|b| b.is_ascii_alphanumeric())
            && !rest.is_empty()
    });
    if !ok {
        out.at(
            Case::R10Format,
            r,
            format!(
                "msdyn_uniquename \"{}\" is not <prefix>_<name> with a 3-8 letter or digit prefix",
                short(un)
            ),
        );
    }
}

fn duplicates(out: &mut Out<'_>, unique: &BTreeMap<String, Vec<&RecordRef>>) {
    for (un, recs) in unique {
        if recs.len() > 1 {
            for r in recs {
                out.at(
                    Case::R10Duplicate,
                    r,
                    format!(
                        "msdyn_uniquename \"{}\" is used by {} records",
                        short(un),
                        recs.len()
                    ),
                );
            }
        }
    }
}

/// R08: at most one active 1.0 provider per app.
fn one_provider_per_app(
    out: &mut Out<'_>,
    config: &Config,
    app_names: &BTreeMap<String, &Rec<Named>>,
) {
    let mut by_app: BTreeMap<String, Vec<&Rec<V1Provider>>> = BTreeMap::new();
    for p in config.v1.iter().filter(|p| active(p.data.state)) {
        let ids: BTreeSet<String> = p
            .data
            .app_selector
            .as_deref()
            .map(selector_ids)
            .unwrap_or_default()
            .into_iter()
            .collect();
        for id in ids {
            by_app.entry(id).or_default().push(p);
        }
    }
    for (app, providers) in by_app.iter().filter(|(_, p)| p.len() > 1) {
        let app_shown = app_names
            .get(app)
            .map_or_else(|| format!("app {app}"), |a| format!("app \"{}\"", a.r.name));
        // Without every Channel Order, which one loads cannot be told.
        let orders: Option<Vec<i64>> = providers.iter().map(|p| p.data.sort_order).collect();
        let Some(best) = orders.and_then(|o| o.into_iter().min()) else {
            out.needs(
                "R08 (Channel Order)",
                "export msdyn_sortorder of msdyn_ciproviders to tell which provider loads in an app",
            );
            continue;
        };
        let order = |p: &Rec<V1Provider>| p.data.sort_order.unwrap_or(i64::MAX);
        let winners: Vec<&&Rec<V1Provider>> =
            providers.iter().filter(|p| order(p) == best).collect();
        // The other winners, a few named (each finding names at most a few).
        let named = |not: &Rec<V1Provider>| {
            let others = winners.len() - usize::from(order(not) == best);
            let names = winners
                .iter()
                .filter(|o| o.r != not.r)
                .map(|o| format!("\"{}\"", o.r.name));
            few(names, others)
        };
        let first = (winners.len() > 1).then(|| oldest(&winners)).flatten();
        if winners.len() > 1 && winners.iter().any(|w| w.data.created.is_none()) {
            out.needs(
                "R08 (which of equal Channel Orders loads)",
                "export createdon of msdyn_ciproviders (cif-advisor check --queries ORG_URL): the loader takes the oldest first",
            );
        }
        for p in providers {
            if let Some(w) = first.filter(|_| order(p) == best) {
                if w.r != p.r {
                    let created =
                        |q: &Rec<V1Provider>| short(q.data.created.as_deref().unwrap_or(""));
                    let m = format!(
                        "in {app_shown}, this provider and \"{}\" have the same Channel Order {best}; \"{}\" loads, created on {}, before this one ({})",
                        w.r.name,
                        w.r.name,
                        created(w),
                        created(p)
                    );
                    out.at(Case::R08EqualOrderCreated, &p.r, m);
                }
            } else if order(p) == best && winners.len() > 1 {
                let others = named(p);
                out.at(
                    Case::R08EqualOrder,
                    &p.r,
                    format!(
                        "in {app_shown}, this provider and {others} are active with the same Channel Order {best}"
                    ),
                );
            } else if order(p) > best {
                let others = named(p);
                out.at(
                    Case::R08Shadowed,
                    &p.r,
                    format!(
                        "in {app_shown}, {others} (Channel Order {best}) loads instead of this provider (Channel Order {})",
                        order(p)
                    ),
                );
            }
        }
    }
}

/// At most this many other records are named in one finding; past it, a
/// few are named and the rest counted (D7: N tied records, N findings).
const NAMED_OTHERS: usize = 5;

/// `count` names, all of them up to [`NAMED_OTHERS`], else the first three
/// and "and N more".
fn few(names: impl Iterator<Item = String>, count: usize) -> String {
    if count <= NAMED_OTHERS {
        return names.collect::<Vec<_>>().join(", ");
    }
    let shown: Vec<String> = names.take(3).collect();
    format!("{} and {} more", shown.join(", "), count - shown.len())
}

/// Of providers with the same Channel Order, the one the 1.0 loader takes
/// (`createdon asc`): the oldest, when every `createdon` is known and no
/// two are equal.
fn oldest<'c>(tied: &[&&'c Rec<V1Provider>]) -> Option<&'c Rec<V1Provider>> {
    let mut keyed: Vec<(Created, &'c Rec<V1Provider>)> = tied
        .iter()
        .map(|p| {
            p.data
                .created
                .as_deref()
                .and_then(created_key)
                .map(|k| (k, **p))
        })
        .collect::<Option<_>>()?;
    keyed.sort_by_key(|(k, _)| *k);
    match keyed.as_slice() {
        [(a, first), (b, _), ..] if a < b => Some(*first),
        _ => None,
    }
}

/// A date and time as compared: (year, month, day, hour, minute, second).
type Created = (u32, u32, u32, u32, u32, u32);

/// `createdon` as the Web API (`2020-06-10T07:18:20Z`) or a CMT file
/// (the same, or `6/10/2020 7:18:20 AM`) writes it.
pub fn created_key(text: &str) -> Option<Created> {
    let text = text.trim();
    let nums = |s: &str, sep: char| -> Option<Vec<u32>> {
        s.split(sep).map(|n| n.trim().parse().ok()).collect()
    };
    let (date, time) = text.split_once(['T', ' '])?;
    let time = time.trim_end_matches('Z');
    let (clock, meridiem) = match time.split_once(' ') {
        Some((c, m)) => (c, Some(m.trim().to_ascii_uppercase())),
        None => (time, None),
    };
    let clock = clock.split(['.', '+']).next()?;
    let hms = nums(clock, ':')?;
    let &[h, mi, se, ..] = hms.as_slice() else {
        return None;
    };
    let h = match meridiem.as_deref() {
        Some("PM") if h < 12 => h + 12,
        Some("AM") if h == 12 => 0,
        _ => h,
    };
    let (y, mo, d) = match (nums(date, '-'), nums(date, '/')) {
        (Some(v), _) if v.len() == 3 => (v[0], v[1], v[2]),
        (_, Some(v)) if v.len() == 3 => (v[2], v[0], v[1]),
        _ => return None,
    };
    Some((y, mo, d, h, mi, se))
}

/// A provider's link to a profile: the profile's id (or unique name), its
/// state when known, and its record when the profiles were exported.
type ProfileLink<'c> = (String, Option<i64>, Option<&'c Rec<Profile>>);

/// R09 (rank), R10 (profiles), R16, R17, R23, R24, R25.
fn profiles_and_links(out: &mut Out<'_>, config: &Config) {
    let have_profiles = config.given.contains(&Table::Profile);
    let have_mappings = config.given.contains(&Table::RoleMapping);
    let mut unique: BTreeMap<String, Vec<&RecordRef>> = BTreeMap::new();
    let app_by_un: HashMap<String, &Rec<Named>> = config
        .apps
        .iter()
        .filter_map(|a| Some((a.data.unique_name.as_deref()?.to_ascii_lowercase(), a)))
        .collect();
    for p in &config.profiles {
        let d = &p.data;
        if let Some(o) = d.order.filter(|o| !(0..=100).contains(o)) {
            out.at(
                Case::R09ProfileRank,
                &p.r,
                format!("msdyn_profileorder is {o}, outside 0-100"),
            );
        }
        if let Some(un) = &d.unique_name {
            unique_name(out, &p.r, un);
            unique
                .entry(un.to_ascii_lowercase())
                .or_default()
                .push(&p.r);
        }
        if let Some(app) = &d.app_module {
            // The app module's own name, when the appmodules export has it.
            let app_name = app_by_un
                .get(&app.to_ascii_lowercase())
                .and_then(|a| a.data.name.as_deref());
            if let Some(m) =
                KnownApps::matches(&out.inputs.apps.removed, &[Some(app.as_str()), app_name])
            {
                out.at(
                    Case::R24RetiredApp,
                    &p.r,
                    format!(
                        "msdyn_appmoduleuniquename \"{}\" is {m}, which has been removed",
                        short(app)
                    ),
                );
            }
        }
    }
    duplicates(out, &unique);

    // The links, from either side: (provider key, profile key).
    let profile_by_id: BTreeMap<&str, &Rec<Profile>> = config
        .profiles
        .iter()
        .map(|p| (p.r.id.as_str(), p))
        .collect();
    let profile_by_un: BTreeMap<String, &Rec<Profile>> = config
        .profiles
        .iter()
        .filter_map(|p| {
            p.data
                .unique_name
                .as_ref()
                .map(|u| (u.to_ascii_lowercase(), p))
        })
        .collect();
    let profile_links_known = have_profiles
        && !config.profiles.is_empty()
        && config.profiles.iter().all(|p| p.data.providers.is_some());
    // provider index -> linked profiles: (id or unique name, state if known)
    let mut linked: Vec<Vec<ProfileLink<'_>>> = vec![Vec::new(); config.v2.len()];
    let mut known = vec![profile_links_known; config.v2.len()];
    // What each provider is already linked to (keys and records), so that a
    // link seen from both sides is kept once, without scanning the list.
    let mut linked_ids: HashSet<(usize, &str)> = HashSet::new();
    let mut linked_recs: HashSet<(usize, &RecordRef)> = HashSet::new();
    // Profile key -> unique name, for profiles known only from a link.
    let mut link_names: BTreeMap<String, String> = BTreeMap::new();
    for (i, p) in config.v2.iter().enumerate() {
        if let Some(links) = &p.data.profiles {
            known[i] = true;
            for l in links {
                let rec =
                    l.id.as_deref()
                        .and_then(|id| profile_by_id.get(id).copied())
                        .or_else(|| {
                            l.unique_name
                                .as_ref()
                                .and_then(|u| profile_by_un.get(&u.to_ascii_lowercase()).copied())
                        });
                let key =
                    l.id.clone()
                        .or_else(|| l.unique_name.clone())
                        .unwrap_or_default();
                if let Some(u) = &l.unique_name {
                    link_names.entry(key.clone()).or_insert_with(|| u.clone());
                }
                linked_ids.insert((
                    i,
                    l.id.as_deref().or(l.unique_name.as_deref()).unwrap_or(""),
                ));
                if let Some(rec) = rec {
                    linked_recs.insert((i, &rec.r));
                }
                linked[i].push((key, l.state.or(rec.and_then(|r| r.data.state)), rec));
            }
        }
    }
    // The 2.0 providers by id and by unique name (lower-cased).
    let mut v2_index: HashMap<String, usize> = HashMap::new();
    for (i, p) in config.v2.iter().enumerate().rev() {
        if !p.r.id.is_empty() {
            v2_index.insert(p.r.id.clone(), i);
        }
    }
    let mut v2_by_un: HashMap<String, usize> = HashMap::new();
    for (i, p) in config.v2.iter().enumerate().rev() {
        if let Some(u) = &p.data.unique_name {
            v2_by_un.insert(u.to_ascii_lowercase(), i);
        }
    }
    for prof in &config.profiles {
        for l in prof.data.providers.iter().flatten() {
            let by_id = l.id.as_deref().and_then(|id| v2_index.get(id));
            let by_un = || {
                l.unique_name
                    .as_deref()
                    .and_then(|u| v2_by_un.get(&u.to_ascii_lowercase()))
            };
            let idx = match (by_id, by_un()) {
                (Some(a), Some(b)) => Some(*a.min(b)),
                (a, b) => a.or(b).copied(),
            };
            if let Some(i) = idx {
                if !linked_ids.contains(&(i, prof.r.id.as_str()))
                    && !linked_recs.contains(&(i, &prof.r))
                {
                    linked[i].push((prof.r.id.clone(), prof.data.state, Some(prof)));
                    linked_ids.insert((i, prof.r.id.as_str()));
                    linked_recs.insert((i, &prof.r));
                }
            }
        }
    }
    // Role mappings per profile id.
    let mut mapped: BTreeMap<String, Vec<&Rec<RoleMapping>>> = BTreeMap::new();
    for m in config.mappings.iter().filter(|m| active(m.data.state)) {
        if let Some(pid) = &m.data.profile_id {
            mapped.entry(pid.clone()).or_default().push(m);
        }
    }
    for (i, p) in config.v2.iter().enumerate() {
        let r = &p.r;
        let links = &linked[i];
        if !known[i] {
            // Links unknown: an inactive provider may be one agents expect.
            if !active(p.data.state) {
                out.at(
                    Case::R17InactiveProvider,
                    r,
                    "the provider is inactive (statecode 1); the export does not show its profiles"
                        .into(),
                );
            }
            out.needs(
                "R16, R17 and R25 (profile links)",
                "export msdyn_channelproviders with $expand=msdyn_appconfig_msdyn_channelprovider, or msdyn_appconfigurations with it",
            );
            continue;
        }
        if !active(p.data.state) {
            if !links.is_empty() {
                out.at(
                    Case::R17InactiveProvider,
                    r,
                    format!(
                        "the provider is inactive (statecode 1) but is on {} profile(s)",
                        links.len()
                    ),
                );
            }
            continue;
        }
        if links.is_empty() {
            out.at(
                Case::R16NoProfile,
                r,
                "the provider is on no experience profile".into(),
            );
            continue;
        }
        let active_links: Vec<_> = links.iter().filter(|(_, s, _)| active(*s)).collect();
        if active_links.is_empty() {
            let shown: Vec<String> = links
                .iter()
                .map(|(k, _, rec)| rec.map_or(k.clone(), |r| r.r.name.clone()))
                .collect();
            out.at(
                Case::R17InactiveProfile,
                r,
                format!("every profile it is on is inactive: {}", shown.join(", ")),
            );
            continue;
        }
        // Assigned: users, role mappings (the default flag is not exported).
        let recs: Vec<&Rec<Profile>> = active_links.iter().filter_map(|(_, _, rec)| *rec).collect();
        // A user assigned directly is assignment enough.
        if recs.iter().any(|p| p.data.users.unwrap_or(0) > 0) {
            continue;
        }
        if recs.len() < active_links.len()
            || recs.iter().any(|p| p.data.users.is_none())
            || !have_mappings
        {
            out.needs(
                "R16 (profile assignment)",
                "give msdyn_appconfigurations with $expand=msdyn_appconfiguration_systemuser and msdyn_appprofilerolemappings to see whether the profiles reach users",
            );
            continue;
        }
        let assigned = recs.iter().any(|p| {
            p.data.users.unwrap_or(0) > 0 || mapped.get(&p.r.id).is_some_and(|m| !m.is_empty())
        });
        if !assigned {
            let shown: Vec<String> = recs.iter().map(|p| format!("\"{}\"", p.r.name)).collect();
            out.at(
                Case::R16ProfileUnassigned,
                r,
                format!(
                    "its profile(s) {} have no users and no role mapping",
                    shown.join(", ")
                ),
            );
        }
    }
    // R25: several active providers on one active profile.
    type Providers<'n> = (Vec<&'n str>, HashSet<&'n str>);
    let mut per_profile: BTreeMap<RecordRef, Providers<'_>> = BTreeMap::new();
    for (i, p) in config.v2.iter().enumerate() {
        if !active(p.data.state) {
            continue;
        }
        for (key, state, rec) in &linked[i] {
            if !active(*state) || key.is_empty() && rec.is_none() {
                continue;
            }
            // The profile's record, or (not exported) the link's own names.
            let r = match rec {
                Some(rec) => rec.r.clone(),
                None => RecordRef {
                    table: Table::Profile,
                    name: link_names.get(key).cloned().unwrap_or_else(|| key.clone()),
                    id: if key.len() == 36 && key.matches('-').count() == 4 {
                        key.clone()
                    } else {
                        String::new()
                    },
                    file: p.r.file,
                },
            };
            let (list, names) = per_profile.entry(r).or_default();
            if names.insert(p.r.name.as_str()) {
                list.push(&p.r.name);
            }
        }
    }
    for (prof, (providers, _)) in per_profile.iter().filter(|(_, (v, _))| v.len() > 1) {
        out.at(
            Case::R25SeveralProviders,
            prof,
            format!(
                "{} active CIF 2.0 providers are on this profile: {}",
                providers.len(),
                providers.join(", ")
            ),
        );
    }
    // R23: one role mapped to several profiles of equal rank.
    let mut by_role: BTreeMap<&str, Vec<&Rec<Profile>>> = BTreeMap::new();
    let mut in_role: HashSet<(&str, &RecordRef)> = HashSet::new();
    for m in config.mappings.iter().filter(|m| active(m.data.state)) {
        let (Some(role), Some(pid)) = (&m.data.role_id, &m.data.profile_id) else {
            continue;
        };
        if let Some(p) = profile_by_id
            .get(pid.as_str())
            .filter(|p| active(p.data.state))
        {
            if in_role.insert((role.as_str(), &p.r)) {
                by_role.entry(role.as_str()).or_default().push(p);
            }
        }
    }
    let roles: HashMap<&str, &Rec<Named>> =
        config.roles.iter().map(|r| (r.r.id.as_str(), r)).collect();
    let role_name = |id: &str| -> String {
        roles.get(id).map_or_else(
            || format!("role {id}"),
            |r| format!("role \"{}\"", r.r.name),
        )
    };
    for (role, profs) in &by_role {
        let mut by_rank: BTreeMap<i64, Vec<&&Rec<Profile>>> = BTreeMap::new();
        for p in profs {
            if let Some(o) = p.data.order {
                by_rank.entry(o).or_default().push(p);
            }
        }
        for (rank, tied) in by_rank.iter().filter(|(_, t)| t.len() > 1) {
            for p in tied {
                let names = tied
                    .iter()
                    .filter(|o| o.r != p.r)
                    .map(|o| format!("\"{}\"", o.r.name));
                let others = few(names, tied.len() - 1);
                out.at(
                    Case::R23EqualRank,
                    &p.r,
                    format!(
                        "{} is mapped to this profile and to {}, all of rank {rank}",
                        role_name(role),
                        others
                    ),
                );
            }
        }
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
    let before_by_id: std::collections::HashMap<&str, &str> = old
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
            out.at(
                Case::R11Changed,
                &p.r,
                format!(
                    "msdyn_uniquename was \"{}\" in the earlier export and is \"{}\" now",
                    short(before),
                    short(now)
                ),
            );
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
