//! Semantic checks on a parsed matrix: what serde cannot see.

pub use super::fields::{check_date, check_item_date, check_link, MAX_NAME_CHARS, MAX_TEXT_CHARS};
use super::fields::{check_id, check_key, check_name, check_plain, check_text};
use super::model::{
    Capability, Cond, Dimension, DimensionKind, Matrix, Note, Support, VersionMap, When,
    OLDEST_SCHEMA_VERSION, SCHEMA_VERSION,
};
pub use crate::basis::Shape;
use crate::dates::parse_day_or_month;
use std::collections::{BTreeMap, HashSet};

/// The most values a `choice`, `multi` or `apps` dimension may have.
pub const MAX_VALUES: usize = 64;

/// Why a matrix is invalid. Each message names the field path and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("schema_version: this build reads schema versions {oldest} to {expected}, the file has {found}")]
    SchemaVersion {
        found: u32,
        oldest: u32,
        expected: u32,
    },
    #[error("{path}: a fact with a source but no basis; add `basis: documented` (the source states it) or `basis: inferred` (read from the sources) beside its source")]
    NoBasis { path: String },
    #[error("versions: the list is empty; expected at least one version")]
    NoVersions,
    #[error("{path}: duplicate {what} '{id}'; ids must be unique")]
    Duplicate {
        path: String,
        what: &'static str,
        id: String,
    },
    #[error("{path}: unknown version '{id}'; expected one of {known}")]
    UnknownVersion {
        path: String,
        id: String,
        known: String,
    },
    #[error("{path}: version '{version}' is not described; every version needs an entry here")]
    Undescribed { path: String, version: String },
    #[error("{path}: {problem}")]
    Field { path: String, problem: String },
    /// Several problems, each with its path, in the order found.
    #[error("{0}")]
    Many(crate::validators::Problems),
}

pub(super) fn field(path: impl Into<String>, problem: impl Into<String>) -> ValidationError {
    let (path, problem) = (path.into(), problem.into());
    ValidationError::Field { path, problem }
}

/// Checks everything that typed parsing does not: unique ids, references,
/// completeness, sources, the review date. Every field problem is reported,
/// each with its path; a structural one (a duplicate or unknown id, a
/// missing version) stops the check, as what follows would only repeat it.
pub fn validate(matrix: &Matrix) -> Result<(), ValidationError> {
    let mut v = Validator {
        matrix,
        found: Vec::new(),
        versions: Vec::new(),
    };
    let stop = v.sections().err();
    let mut found = v.found;
    found.extend(stop);
    match found.len() {
        0 => Ok(()),
        1 => Err(found.remove(0)),
        _ => {
            let mut problems = crate::validators::Problems::new();
            for e in found {
                match e {
                    ValidationError::Field { path, problem } => problems.push(path, problem),
                    other => problems.push("", other.to_string()),
                }
            }
            Err(ValidationError::Many(problems))
        }
    }
}

/// The problems a matrix check has found so far, and the version ids it
/// checks the rest against.
struct Validator<'m> {
    matrix: &'m Matrix,
    found: Vec<ValidationError>,
    /// The version ids, in matrix order.
    versions: Vec<&'m str>,
}

/// `Err` is a structural problem: it stops the check.
type Stop = Result<(), ValidationError>;

impl<'m> Validator<'m> {
    fn sections(&mut self) -> Stop {
        self.head()?;
        self.version_list()?;
        self.preference()?;
        self.apps()?;
        self.dimensions()?;
        self.replacements()?;
        self.caveat_ids()?;
        self.side_by_side();
        self.routes()?;
        self.rows()?;
        self.combinations()?;
        for i in 0..self.matrix.lifecycle.len() {
            self.lifecycle(i);
        }
        Ok(())
    }

    /// Records a problem and goes on.
    fn fail(&mut self, path: impl Into<String>, problem: impl Into<String>) {
        self.found.push(field(path, problem));
    }

    /// Records the problem of a field check, if any, and goes on.
    fn keep(&mut self, result: Result<(), ValidationError>) {
        if let Err(e) = result {
            self.found.push(e);
        }
    }

    fn unknown(&self, path: String, id: &str) -> ValidationError {
        let (id, known) = (id.to_string(), self.versions.join(", "));
        ValidationError::UnknownVersion { path, id, known }
    }

    /// The schema version, the review date, the number of versions, the
    /// preference note.
    fn head(&mut self) -> Stop {
        let m = self.matrix;
        if !(OLDEST_SCHEMA_VERSION..=SCHEMA_VERSION).contains(&m.schema_version) {
            return Err(ValidationError::SchemaVersion {
                found: m.schema_version,
                oldest: OLDEST_SCHEMA_VERSION,
                expected: SCHEMA_VERSION,
            });
        }
        self.keep(check_date("reviewed", &m.reviewed));
        if m.versions.is_empty() {
            return Err(ValidationError::NoVersions);
        }
        at_most("versions", m.versions.len(), "versions")?;
        if !m.preference_note.is_empty() {
            self.keep(check_text("preference_note", &m.preference_note));
        }
        Ok(())
    }

    /// Each version: a unique id, a name, a docs link, its notes.
    fn version_list(&mut self) -> Stop {
        let m = self.matrix;
        for (i, v) in m.versions.iter().enumerate() {
            let path = format!("versions[{i}]");
            self.keep(check_id(&format!("{path}.id"), &v.id));
            if self.versions.contains(&v.id.as_str()) {
                return Err(dup(format!("{path}.id"), "version", &v.id));
            }
            self.versions.push(&v.id);
            self.keep(check_name(&format!("{path}.name"), &v.name));
            self.keep(check_link(&format!("{path}.docs"), &v.docs));
            self.notes(&path, &v.notes);
        }
        Ok(())
    }

    /// The preference lists every version exactly once.
    fn preference(&mut self) -> Stop {
        let mut seen = HashSet::new();
        for (i, p) in self.matrix.preference.iter().enumerate() {
            if !self.versions.contains(&p.as_str()) {
                return Err(self.unknown(format!("preference[{i}]"), p));
            }
            if !seen.insert(p.as_str()) {
                return Err(dup(format!("preference[{i}]"), "version", p));
            }
        }
        let missing = self.versions.iter().find(|v| !seen.contains(*v));
        missing.map_or(Ok(()), |v| Err(undescribed("preference", v)))
    }

    /// Apps: unique ids, unique names and aliases (case-insensitive), every
    /// version described.
    fn apps(&mut self) -> Stop {
        let m = self.matrix;
        at_most("apps", m.apps.len(), "apps")?;
        let mut names: BTreeMap<String, &str> = BTreeMap::new();
        let mut ids = HashSet::new();
        for (i, app) in m.apps.iter().enumerate() {
            let path = format!("apps[{i}]");
            self.keep(check_id(&format!("{path}.id"), &app.id));
            if !ids.insert(app.id.as_str()) {
                return Err(dup(format!("{path}.id"), "app", &app.id));
            }
            self.keep(check_name(&format!("{path}.name"), &app.name));
            let spellings = [&app.id, &app.name].into_iter().chain(&app.aliases);
            for (k, s) in spellings.enumerate() {
                let lower = s.to_lowercase();
                match names.get(&lower) {
                    // An app may repeat its own spelling (e.g. name equal to id).
                    Some(owner) if *owner == app.id => {}
                    Some(owner) => {
                        return Err(ValidationError::Duplicate {
                            path: format!("{path} ('{}')", app.id),
                            what: if k == 0 { "app" } else { "app name or alias" },
                            id: format!("{s}' (already used by '{owner}"),
                        })
                    }
                    None => {
                        names.insert(lower, &app.id);
                    }
                }
            }
            self.notes(&path, &app.notes);
            self.aliases(&path, &app.aliases);
            self.support(&format!("{path}.support"), &app.support, false)?;
        }
        Ok(())
    }

    /// Dimensions: unique keys, a name, a question and help, and the values
    /// or support their kind takes.
    fn dimensions(&mut self) -> Stop {
        let m = self.matrix;
        at_most("dimensions", m.dimensions.len(), "dimensions")?;
        let mut keys = HashSet::new();
        let mut has_apps = false;
        for (i, d) in m.dimensions.iter().enumerate() {
            let path = format!("dimensions[{i}]");
            self.keep(check_key(&format!("{path}.key"), &d.key));
            if d.key == "id" {
                let message = "'id' is reserved for batch line ids";
                return Err(field(format!("{path}.key"), message));
            }
            if !keys.insert(d.key.as_str()) {
                return Err(dup(format!("{path}.key"), "dimension", &d.key));
            }
            self.keep(check_name(&format!("{path}.name"), &d.name));
            self.keep(check_text(&format!("{path}.question"), &d.question));
            self.keep(check_text(&format!("{path}.help"), &d.help));
            match d.kind {
                DimensionKind::Choice | DimensionKind::Multi => self.values(&path, d)?,
                DimensionKind::Flag | DimensionKind::Count => self.flag_or_count(&path, d)?,
                DimensionKind::Apps if has_apps => {
                    let message = "only one dimension may be of kind 'apps'";
                    return Err(field(format!("{path}.kind"), message));
                }
                DimensionKind::Apps => {
                    has_apps = true;
                    if !d.values.is_empty() || !d.support.is_empty() {
                        let message =
                            "an apps dimension takes its values and support from the apps list";
                        return Err(field(path, message));
                    }
                }
            }
            let sessions = ["single", "multi"]
                .iter()
                .all(|s| d.values.iter().any(|v| v.id == *s));
            if d.implied_by_apps && !(d.kind == DimensionKind::Choice && sessions) {
                let message = "only a choice dimension with the values 'single' and 'multi' can be implied by the apps' session mode";
                return Err(field(format!("{path}.implied_by_apps"), message));
            }
        }
        if !m.apps.is_empty() && !has_apps {
            let message = "the matrix lists apps but no dimension of kind 'apps' checks them";
            return Err(field("dimensions", message));
        }
        Ok(())
    }

    /// The values of a choice or multi dimension: unique ids and aliases
    /// (case-insensitive), each with its support.
    fn values(&mut self, path: &str, d: &Dimension) -> Stop {
        let kind = d.kind.as_str();
        if d.values.is_empty() {
            let message = format!("a {kind} dimension needs at least one value");
            return Err(field(format!("{path}.values"), message));
        }
        at_most(&format!("{path}.values"), d.values.len(), "values")?;
        if !d.support.is_empty() {
            let message =
                format!("a {kind} dimension gives support per value, under values[].support");
            return Err(field(format!("{path}.support"), message));
        }
        let mut spellings: BTreeMap<String, &str> = BTreeMap::new();
        for (j, c) in d.values.iter().enumerate() {
            let path = format!("{path}.values[{j}]");
            self.keep(check_key(&format!("{path}.id"), &c.id));
            self.keep(check_name(&format!("{path}.name"), &c.name));
            self.aliases(&path, &c.aliases);
            for s in std::iter::once(&c.id).chain(&c.aliases) {
                let lower = s.to_lowercase();
                if let Some(owner) = spellings.get(&lower) {
                    if *owner != c.id {
                        return Err(dup(path, "value or alias", s));
                    }
                    if *s == c.id {
                        return Err(dup(format!("{path}.id"), "value", s));
                    }
                }
                spellings.insert(lower, &c.id);
            }
            self.support(&format!("{path}.support"), &c.support, false)?;
        }
        Ok(())
    }

    /// A flag or count dimension: no values, each version's support; a
    /// count's `max` is at least 1.
    fn flag_or_count(&mut self, path: &str, d: &Dimension) -> Stop {
        if !d.values.is_empty() {
            let kind = d.kind.as_str();
            let message =
                format!("a {kind} dimension has no values; give support per version under support");
            return Err(field(format!("{path}.values"), message));
        }
        let support = format!("{path}.support");
        self.support(&support, &d.support, d.kind == DimensionKind::Count)?;
        let message = "must be at least 1 (use status: no for 'not supported')";
        match d.support.iter().find(|(_, c)| c.max == Some(0)) {
            Some((ver, _)) => Err(field(format!("{support}.{ver}.max"), message)),
            None => Ok(()),
        }
    }

    /// Replacements name a listed app other than the app itself.
    fn replacements(&self) -> Stop {
        let apps = &self.matrix.apps;
        for (i, app) in apps.iter().enumerate() {
            let Some(r) = &app.replaced_by else { continue };
            if r == &app.id || !apps.iter().any(|a| &a.id == r) {
                let message = format!("'{r}' is not another app of the apps list");
                return Err(field(format!("apps[{i}].replaced_by"), message));
            }
        }
        Ok(())
    }

    /// Caveat ids are unique (a caveat is shown once).
    fn caveat_ids(&mut self) -> Stop {
        let m = self.matrix;
        let mut ids = HashSet::new();
        let notes = m.versions.iter().flat_map(|v| &v.notes);
        let notes = notes.chain(m.apps.iter().flat_map(|a| &a.notes));
        for id in notes.filter_map(|n| n.id.as_deref()) {
            self.keep(check_key("notes[].id", id));
            if !ids.insert(id) {
                return Err(dup("notes[].id".into(), "caveat id", id));
            }
        }
        Ok(())
    }

    /// What running two versions side by side means.
    fn side_by_side(&mut self) {
        if let Some(n) = &self.matrix.side_by_side {
            self.note("side_by_side", n);
        }
    }

    /// Routes: `key=value` of a dimension value (or app), or the key of a flag.
    fn routes(&mut self) -> Stop {
        let m = self.matrix;
        for (i, r) in m.routes.iter().enumerate() {
            let path = format!("routes[{i}]");
            let (reviewed, see_also) = (r.reviewed.as_deref(), &r.see_also);
            self.sourced(&path, &r.text, &r.source, reviewed, see_also);
            let (key, value) = match r.for_.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (r.for_.as_str(), None),
            };
            let (f, place) = (&r.for_, format!("{path}.for"));
            let Some(d) = m.dimension(key) else {
                let message = format!("'{f}' names no dimension of the matrix");
                return Err(field(place, message));
            };
            let known = match (d.kind, value) {
                (DimensionKind::Apps, Some(v)) => m.app(v).is_some(),
                (DimensionKind::Choice | DimensionKind::Multi, Some(v)) => {
                    d.values.iter().any(|c| c.id == v)
                }
                (DimensionKind::Flag | DimensionKind::Count, None) => true,
                _ => false,
            };
            if !known {
                let message = format!(
                    "'{f}' is not a value of '{key}' (write key=value, or the key of a flag)"
                );
                return Err(field(place, message));
            }
        }
        Ok(())
    }

    /// The comparison rows: unique features, a cell for every version.
    fn rows(&mut self) -> Stop {
        let m = self.matrix;
        let mut features = HashSet::new();
        for (i, r) in m.rows.iter().enumerate() {
            let path = format!("rows[{i}]");
            self.keep(check_name(&format!("{path}.feature"), &r.feature));
            if !features.insert(r.feature.to_lowercase()) {
                return Err(dup(format!("{path}.feature"), "row", &r.feature));
            }
            for (ver, cells) in r.values.iter() {
                if !self.versions.contains(&ver.as_str()) {
                    return Err(self.unknown(format!("{path}.values.{ver}"), ver));
                }
                at_most(&format!("{path}.values.{ver}"), cells.len(), "lines")?;
                for (j, cell) in cells.iter().enumerate() {
                    self.keep(check_text(&format!("{path}.values.{ver}[{j}]"), cell));
                }
            }
            if let Some(note) = &r.note {
                self.keep(check_text(&format!("{path}.note"), note));
            }
            if let Some(v) = self.versions.iter().find(|v| !r.values.contains_key(v)) {
                return Err(undescribed(format!("{path}.values"), v));
            }
            self.keep(check_link(&format!("{path}.source"), &r.source));
            self.keep(check_item_date(&path, r.reviewed.as_deref()));
            self.counted_see_also(&path, &r.see_also);
        }
        Ok(())
    }

    /// The combinations: unique ids, conditions, support.
    fn combinations(&mut self) -> Stop {
        let m = self.matrix;
        for (i, c) in m.combinations.iter().enumerate() {
            let path = format!("combinations[{i}]");
            if m.combinations[..i].iter().any(|o| o.id == c.id) {
                return Err(dup(format!("{path}.id"), "combination", &c.id));
            }
            self.keep(check_id(&format!("{path}.id"), &c.id));
            self.keep(check_name(&format!("{path}.name"), &c.name));
            self.when(&path, &c.when);
            self.support(&format!("{path}.support"), &c.support, true)?;
        }
        Ok(())
    }

    /// A combination's `when`: at least two conditions, each on a known
    /// requirement key with known values.
    fn when(&mut self, path: &str, when: &When) {
        let matrix = self.matrix;
        if when.0.len() < 2 {
            let message = "a combination needs at least two conditions; one requirement alone is a dimension's cell";
            self.fail(format!("{path}.when"), message);
        }
        for (key, cond) in &when.0 {
            let place = format!("{path}.when.{key}");
            let Some(d) = matrix.dimension(key) else {
                let keys: Vec<&str> = matrix.dimensions.iter().map(|d| d.key.as_str()).collect();
                let keys = keys.join(", ");
                let message = format!("unknown requirement '{key}'; expected one of {keys}");
                self.fail(place, message);
                continue;
            };
            match (d.kind, cond) {
                (DimensionKind::Flag, Cond::Flag(_)) | (DimensionKind::Count, Cond::Min(_)) => {}
                (DimensionKind::Apps, Cond::Any(v)) => {
                    for id in v.iter().filter(|id| matrix.app(id).is_none()) {
                        self.fail(&place, format!("unknown app '{id}'"));
                    }
                }
                (DimensionKind::Choice | DimensionKind::Multi, Cond::Any(v)) => {
                    let ids: Vec<&str> = d.values.iter().map(|c| c.id.as_str()).collect();
                    for id in v.iter().filter(|id| !ids.contains(&id.as_str())) {
                        let ids = ids.join(", ");
                        let message = format!("unknown value '{id}'; expected one of {ids}");
                        self.fail(&place, message);
                    }
                }
                (kind, _) => {
                    let takes = match kind {
                        DimensionKind::Flag => "true or false",
                        DimensionKind::Count => "{min: N}",
                        _ => "a value or a list of values",
                    };
                    let message = format!("a {} requirement takes {takes}", kind.as_str());
                    self.fail(place, message);
                }
            }
        }
    }

    /// A lifecycle entry: a known subject, real dates in order, a source, and
    /// no subject dated twice.
    fn lifecycle(&mut self, i: usize) {
        let matrix = self.matrix;
        let l = &matrix.lifecycle[i];
        let path = format!("lifecycle[{i}]");
        if let Some(j) = matrix.lifecycle[..i]
            .iter()
            .position(|o| o.subject == l.subject && o.applies_to == l.applies_to)
        {
            let subject = &l.subject;
            let message = format!(
                "'{subject}' is dated twice (also lifecycle[{j}]); keep one entry per subject"
            );
            self.fail(format!("{path}.subject"), message);
        }
        if let Some(problem) = subject_problem(matrix, &l.subject) {
            self.fail(format!("{path}.subject"), problem);
        }
        self.keep(check_name(&format!("{path}.name"), &l.name));
        let (reviewed, see_also) = (l.reviewed.as_deref(), &l.see_also);
        self.sourced(&path, &l.text, &l.source, reviewed, see_also);
        let mut last: Option<((u32, u32, u32), &str)> = None;
        let dates = [
            ("deprecated", &l.deprecated, false),
            ("end_of_support", &l.end_of_support, true),
            ("removed", &l.removed, false),
        ];
        for (name, date, end) in dates {
            let Some(text) = date else { continue };
            let place = format!("{path}.{name}");
            match parse_day_or_month(text, end) {
                None => {
                    let message = format!("'{text}' is not a date; expected YYYY-MM-DD or YYYY-MM");
                    self.fail(place, message);
                }
                Some((day, _)) => {
                    if let Some((_, which)) = last.filter(|(b, _)| *b > day) {
                        self.fail(place, format!("'{text}' comes before {which}; the dates go deprecated, end_of_support, removed"));
                    }
                    last = Some((day, name));
                }
            }
        }
        if last.is_none() {
            self.fail(&path, "no date; give deprecated, end_of_support or removed");
        }
        for (key, values) in &l.successor.0 {
            let value = values.join(",");
            if subject_problem(matrix, &format!("{key}={value}")).is_some() && values.len() == 1 {
                let message = format!("unknown '{key}: {value}'");
                self.fail(format!("{path}.successor.{key}"), message);
            }
        }
    }

    /// The notes of a version or an app: how many, and each one's text and links.
    fn notes(&mut self, path: &str, notes: &[Note]) {
        self.keep(at_most(&format!("{path}.notes"), notes.len(), "entries"));
        for (j, n) in notes.iter().enumerate() {
            self.note(&format!("{path}.notes[{j}]"), n);
        }
    }

    fn note(&mut self, path: &str, n: &Note) {
        self.sourced(path, &n.text, &n.source, n.reviewed.as_deref(), &n.see_also);
    }

    /// A sourced sentence: its text, its source link, its own review date
    /// and its further sources.
    fn sourced(&mut self, path: &str, text: &str, src: &str, date: Option<&str>, more: &[String]) {
        self.keep(check_text(&format!("{path}.text"), text));
        self.keep(check_link(&format!("{path}.source"), src));
        self.keep(check_item_date(path, date));
        self.see_also(path, more);
    }

    /// How many aliases, and each one's text.
    fn aliases(&mut self, path: &str, aliases: &[String]) {
        let count = at_most(&format!("{path}.aliases"), aliases.len(), "entries");
        self.keep(count);
        for (j, a) in aliases.iter().enumerate() {
            self.keep(check_plain(&format!("{path}.aliases[{j}]"), a));
        }
    }

    /// Further sources, at most [`MAX_VALUES`].
    fn counted_see_also(&mut self, path: &str, links: &[String]) {
        self.keep(at_most(&format!("{path}.see_also"), links.len(), "entries"));
        self.see_also(path, links);
    }

    /// Further sources: each a source link.
    fn see_also(&mut self, path: &str, links: &[String]) {
        for (j, l) in links.iter().enumerate() {
            self.keep(check_link(&format!("{path}.see_also[{j}]"), l));
        }
    }

    /// A support map: known versions, every version described, each
    /// capability's texts and links.
    /// Only count dimensions (and combinations) take `max`.
    fn support(&mut self, path: &str, support: &VersionMap<Capability>, max: bool) -> Stop {
        if let Some(ver) = support
            .keys()
            .find(|v| !self.versions.contains(&v.as_str()))
        {
            return Err(self.unknown(format!("{path}.{ver}"), ver));
        }
        for ver in self.versions.clone() {
            let Some(cap) = support.get(ver) else {
                return Err(undescribed(path, ver));
            };
            self.capability(&format!("{path}.{ver}"), cap);
        }
        match support.iter().find(|(_, c)| c.max.is_some() && !max) {
            Some((ver, _)) => Err(field(
                format!("{path}.{ver}.max"),
                "only count dimensions take 'max'",
            )),
            None => Ok(()),
        }
    }

    /// One version's capability: its fact, links and dates, and a `limit`
    /// exactly when it is `limited`.
    fn capability(&mut self, path: &str, cap: &Capability) {
        self.keep(check_text(&format!("{path}.fact"), &cap.fact));
        self.keep(check_link(&format!("{path}.source"), &cap.source));
        self.keep(check_item_date(path, cap.reviewed.as_deref()));
        self.counted_see_also(path, &cap.see_also);
        if let Some(l) = &cap.caveat_source {
            self.keep(check_link(&format!("{path}.caveat_source"), l));
        }
        let place = format!("{path}.limit");
        match (cap.status, &cap.limit) {
            (Support::Limited, None) => {
                let message = "a `limited` capability needs `limit:`, the sentence that says what does not work";
                self.fail(place, message);
            }
            (Support::Limited, Some(l)) => {
                self.keep(check_text(&place, l));
                if let Some(s) = &cap.limit_source {
                    self.keep(check_link(&format!("{path}.limit_source"), s));
                }
            }
            (_, Some(_)) => {
                let message = "`limit:` belongs to a `limited` capability; set `status: limited` or remove it";
                self.fail(place, message);
            }
            (_, None) => {}
        }
    }
}

/// A list of `what` holds at most [`MAX_VALUES`] entries.
fn at_most(path: &str, len: usize, what: &str) -> Stop {
    let message = format!("{len} {what}; at most {MAX_VALUES} are supported");
    (len <= MAX_VALUES)
        .then_some(())
        .ok_or_else(|| field(path, message))
}

/// Why a lifecycle subject names nothing in the matrix, if it does not.
fn subject_problem(matrix: &Matrix, subject: &str) -> Option<String> {
    let Some((key, value)) = subject.split_once('=') else {
        return Some(format!(
            "'{subject}' is not KEY=VALUE (apps=ID, host=usd, version=ID, api=MEMBER)"
        ));
    };
    let known = match key {
        "apps" => matrix.apps.iter().any(|a| a.id == value) || matrix.apps.is_empty(),
        "version" => matrix.versions.iter().any(|v| v.id == value),
        "api" => !value.is_empty(),
        _ => match matrix.dimensions.iter().find(|d| d.key == key) {
            Some(d) => d.values.iter().any(|c| c.id == value),
            None => matrix.dimensions.is_empty(),
        },
    };
    (!known).then(|| format!("'{subject}' names nothing in the matrix"))
}

fn undescribed(path: impl Into<String>, version: &str) -> ValidationError {
    let (path, version) = (path.into(), version.to_string());
    ValidationError::Undescribed { path, version }
}

fn dup(path: String, what: &'static str, id: &str) -> ValidationError {
    let id = id.to_string();
    ValidationError::Duplicate { path, what, id }
}

/// From schema version 2, every mapping with a source also states its basis.
pub fn check_basis(shape: &Shape) -> Result<(), ValidationError> {
    match shape.first_without_basis() {
        Some(path) => Err(ValidationError::NoBasis { path }),
        None => Ok(()),
    }
}
