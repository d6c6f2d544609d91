//! The typed form of the knowledge catalogues: `data/api.yaml` (the
//! `Microsoft.CIFramework` API), `data/problems.yaml` (known problems and
//! their fixes) and `data/migrate.yaml` (the 1.0 → 2.0 checklist), all schema
//! version 2 (every sourced entry states its basis), with their checks.
//!
//! `build.rs` stores them as postcard: keep every attribute compatible with a
//! non-self-describing format: no `untagged`, `flatten` or `skip_serializing_if`.

use crate::validators::Problems;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The schema version this build understands, for all three catalogues.
pub const SCHEMA_VERSION: u32 = 2;

/// The framework versions a catalogue may name.
pub const KNOWN_VERSIONS: [&str; 2] = ["1.0", "2.0"];

/// A sourced sentence on an API member, about some of its versions (the
/// matrix's notes are `matrix::Note`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberNote {
    pub text: String,
    /// The versions the note is about (of the catalogue's `versions`).
    pub versions: Vec<String>,
    pub source: String,
    pub basis: Basis,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    #[serde(default)]
    pub reviewed: Option<String>,
}

pub use crate::basis::Basis;

// ---------------------------------------------------------------- api.yaml

/// The `Microsoft.CIFramework` methods and client-side events, grouped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiCatalogue {
    pub schema_version: u32,
    /// The date (YYYY-MM-DD) the entries were last checked against their sources.
    pub reviewed: String,
    /// The versions the catalogue describes, in display order.
    pub versions: Vec<String>,
    pub groups: Vec<ApiGroup>,
}

/// A group of members, e.g. "Session management".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiGroup {
    pub id: String,
    pub name: String,
    pub members: Vec<ApiMember>,
}

/// Method or client-side event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberKind {
    Method,
    Event,
}

impl MemberKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Method => "method",
            MemberKind::Event => "event",
        }
    }
}

/// One method or event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiMember {
    pub name: String,
    pub kind: MemberKind,
    /// The versions that have this member.
    pub versions: Vec<String>,
    /// The call signature, or "" when the facts do not give it.
    pub signature: String,
    pub summary: String,
    /// Set when the member is deprecated.
    pub deprecated: Option<Deprecation>,
    /// The reference page.
    pub source: String,
    /// How the summary, versions and signature are known.
    pub basis: Basis,
    #[serde(default)]
    pub notes: Vec<MemberNote>,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    #[serde(default)]
    pub reviewed: Option<String>,
}

/// When and why a member was deprecated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// YYYY-MM-DD.
    pub since: String,
    pub note: String,
    pub source: String,
    pub basis: Basis,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    #[serde(default)]
    pub reviewed: Option<String>,
}

// ----------------------------------------------------------- problems.yaml

/// The catalogue of known problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemCatalogue {
    pub schema_version: u32,
    pub reviewed: String,
    pub problems: Vec<Problem>,
}

/// Where a problem shows up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Configuration,
    Migration,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Configuration => "configuration",
            Category::Migration => "migration",
        }
    }
}

/// One known problem, how users describe it, and its fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// E.g. "C5" (configuration) or "M2" (migration).
    pub id: String,
    pub category: Category,
    pub title: String,
    /// How users describe the problem (matched word by word).
    pub symptoms: Vec<String>,
    /// Exact error texts (matched as a whole).
    #[serde(default)]
    pub errors: Vec<String>,
    /// The versions the problem applies to.
    pub versions: Vec<String>,
    /// The fix, step by step.
    pub fix: Vec<String>,
    pub basis: Basis,
    pub sources: Vec<String>,
    /// Further words and names users may type (API names, field names, ...).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    #[serde(default)]
    pub reviewed: Option<String>,
}

// ------------------------------------------------ troubleshoot-words.yaml

/// The word lists of `troubleshoot` (data/troubleshoot-words.yaml): how the
/// words of a query and of the problem catalogue are read before scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordLists {
    pub schema_version: u32,
    pub reviewed: String,
    /// Words that carry no meaning for matching.
    pub stop_words: Vec<String>,
    /// Words every CIF question shares (ignored like stop words).
    pub domain_words: Vec<String>,
    /// Each word of a group is read as the group's canonical word.
    pub synonyms: Vec<SynonymGroup>,
    /// Canonical words every kind of problem shares: they count less.
    pub weak_words: Vec<String>,
    /// Names of several words read as one word, tried in order.
    pub names: Vec<Name>,
    /// Canonical words that name one framework version.
    pub versions: Vec<VersionWord>,
}

/// Words read as one canonical word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymGroup {
    pub canonical: String,
    pub words: Vec<String>,
}

/// A name of several words ("copilot service workspace") read as one word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Name {
    pub words: Vec<String>,
    #[serde(rename = "as")]
    pub word: String,
}

/// A canonical word ("v2") that names a version ("2.0").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionWord {
    pub word: String,
    pub version: String,
}

// ------------------------------------------------------------ migrate.yaml

/// The 1.0 → 2.0 checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrateGuide {
    pub schema_version: u32,
    pub reviewed: String,
    pub steps: Vec<Step>,
    /// The problems (in problems.yaml) shown as the pitfalls of the move.
    pub pitfalls: Vec<Pitfall>,
}

/// One step of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub detail: Vec<String>,
    pub basis: Basis,
    pub sources: Vec<String>,
    /// Set when the step is needed only for a capability (see `When`).
    #[serde(default)]
    pub when: Option<When>,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    #[serde(default)]
    pub reviewed: Option<String>,
}

/// A pitfall of the move: a problem id of problems.yaml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pitfall {
    pub id: String,
    /// Set when the pitfall concerns only a capability (see `When`).
    #[serde(default)]
    pub when: Option<When>,
}

/// When a checklist item applies: requirement keys of the matrix (the
/// dimensions, as in a requirements file) and a condition on each; the item
/// applies when every condition holds for the stated requirements. Written
/// `when: {providers: ">1"}`, `when: {analytics: true}`,
/// `when: {templates: [session, notification]}`.
///
/// `migrate` with no requirement shows every item; with requirements, an
/// item whose `when` does not hold is left out: a capability not stated is
/// not needed. An unstated requirement meets no condition, except `false`
/// for a flag.
pub type When = BTreeMap<String, Condition>;

/// A condition on one requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// A `flag` dimension: stated (true) or not (false).
    Flag(bool),
    /// A `count` dimension compared with a number: `">1"`, `">=2"`, `"<=1"`,
    /// `"=1"` or a bare number (equal).
    Count(Comparison, u32),
    /// A `choice`, `multi` or `apps` dimension: any of these value ids is
    /// stated (a list, or one id).
    AnyOf(Vec<String>),
}

/// How a `count` condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    Less,
    AtMost,
    Equal,
    AtLeast,
    More,
}

impl Comparison {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Less => "<",
            Comparison::AtMost => "<=",
            Comparison::Equal => "=",
            Comparison::AtLeast => ">=",
            Comparison::More => ">",
        }
    }
    pub fn holds(self, value: u32, bound: u32) -> bool {
        match self {
            Comparison::Less => value < bound,
            Comparison::AtMost => value <= bound,
            Comparison::Equal => value == bound,
            Comparison::AtLeast => value >= bound,
            Comparison::More => value > bound,
        }
    }
}

impl Condition {
    /// The condition in words for people, e.g. "providers > 1".
    pub fn describe(&self, key: &str) -> String {
        match self {
            Condition::Flag(true) => key.to_string(),
            Condition::Flag(false) => format!("no {key}"),
            Condition::Count(c, n) => format!("{key} {} {n}", c.as_str()),
            Condition::AnyOf(ids) => format!("{key}: {}", ids.join(" or ")),
        }
    }

    /// Reads `">1"`, `">=2"`, `"3"`, ... ; `None` when `text` is no comparison.
    fn parse_count(text: &str) -> Option<Condition> {
        let t = text.trim();
        let (cmp, rest) = [
            (">=", Comparison::AtLeast),
            ("<=", Comparison::AtMost),
            (">", Comparison::More),
            ("<", Comparison::Less),
            ("=", Comparison::Equal),
        ]
        .into_iter()
        .find_map(|(op, c)| t.strip_prefix(op).map(|r| (c, r)))
        .unwrap_or((Comparison::Equal, t));
        rest.trim().parse().ok().map(|n| Condition::Count(cmp, n))
    }
}

/// The binary (postcard) form of a condition.
#[derive(Serialize, Deserialize)]
enum ConditionRepr {
    Flag(bool),
    Count(Comparison, u32),
    AnyOf(Vec<String>),
}

impl Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let repr = match self {
            Condition::Flag(b) => ConditionRepr::Flag(*b),
            Condition::Count(c, n) => ConditionRepr::Count(*c, *n),
            Condition::AnyOf(ids) => ConditionRepr::AnyOf(ids.clone()),
        };
        repr.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            return Ok(match ConditionRepr::deserialize(d)? {
                ConditionRepr::Flag(b) => Condition::Flag(b),
                ConditionRepr::Count(c, n) => Condition::Count(c, n),
                ConditionRepr::AnyOf(ids) => Condition::AnyOf(ids),
            });
        }
        d.deserialize_any(ConditionVisitor)
    }
}

/// Reads a condition as the data file writes it (YAML).
struct ConditionVisitor;

impl<'de> serde::de::Visitor<'de> for ConditionVisitor {
    type Value = Condition;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("true or false, a comparison such as \">1\", or a list of value ids")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Condition, E> {
        Ok(Condition::Flag(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Condition, E> {
        u32::try_from(v)
            .map(|n| Condition::Count(Comparison::Equal, n))
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Condition, E> {
        u64::try_from(v)
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            .and_then(|v| self.visit_u64(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Condition, E> {
        let t = v.trim();
        if t.starts_with(['<', '>', '=']) || t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            return Condition::parse_count(t)
                .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self));
        }
        Ok(Condition::AnyOf(vec![t.to_string()]))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Condition, A::Error> {
        let mut ids = Vec::new();
        while let Some(id) = seq.next_element::<String>()? {
            ids.push(id);
        }
        Ok(Condition::AnyOf(ids))
    }
}

/// What `MigrateGuide::validate` needs to know of a matrix dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionSpec {
    pub key: String,
    pub kind: SpecKind,
    /// The value ids (app ids for `apps`); empty for flags and counts.
    pub values: Vec<String>,
}

/// The kind of a dimension, as far as a condition is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecKind {
    Flag,
    Count,
    /// `choice`, `multi` or `apps`.
    Values,
}

// ------------------------------------------------------------------ checks

impl Problems {
    /// `values` must be non-empty, known versions, each once; `allowed`
    /// narrows the known set further.
    fn versions(&mut self, path: &str, values: &[String], allowed: &[String]) {
        if values.is_empty() {
            self.push(path, "must list at least one version");
        }
        let mut seen = BTreeSet::new();
        for (i, v) in values.iter().enumerate() {
            if !KNOWN_VERSIONS.contains(&v.as_str()) {
                self.push(
                    format!("{path}[{i}]"),
                    format!(
                        "unknown version '{v}' (expected one of: {})",
                        KNOWN_VERSIONS.join(", ")
                    ),
                );
            } else if !allowed.is_empty() && !allowed.contains(v) {
                self.push(
                    format!("{path}[{i}]"),
                    format!(
                        "version '{v}' is not in the catalogue's versions ({})",
                        allowed.join(", ")
                    ),
                );
            }
            if !seen.insert(v.as_str()) {
                self.push(
                    format!("{path}[{i}]"),
                    format!("version '{v}' is listed twice"),
                );
            }
        }
    }
}

impl ApiCatalogue {
    /// Checks ids, texts, sources, versions and dates.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::new();
        p.schema(self.schema_version, SCHEMA_VERSION);
        p.date("reviewed", &self.reviewed);
        p.versions("versions", &self.versions, &[]);
        if self.groups.is_empty() {
            p.push("groups", "must list at least one group");
        }
        p.unique(
            "groups",
            "group id",
            self.groups.iter().map(|g| g.id.as_str()),
        );
        p.unique(
            "groups[].members",
            "member name",
            self.groups
                .iter()
                .flat_map(|g| g.members.iter().map(|m| m.name.as_str())),
        );
        for (gi, g) in self.groups.iter().enumerate() {
            let gp = format!("groups[{gi}] ({})", g.id);
            p.text(&format!("{gp}.id"), &g.id);
            p.text(&format!("{gp}.name"), &g.name);
            if g.members.is_empty() {
                p.push(format!("{gp}.members"), "must list at least one member");
            }
            for (mi, m) in g.members.iter().enumerate() {
                let mp = format!("{gp}.members[{mi}] ({})", m.name);
                p.text(&format!("{mp}.name"), &m.name);
                p.text(&format!("{mp}.summary"), &m.summary);
                p.versions(&format!("{mp}.versions"), &m.versions, &self.versions);
                p.link(&format!("{mp}.source"), &m.source);
                p.item_date(&format!("{mp}.reviewed"), m.reviewed.as_deref());
                if let Some(d) = &m.deprecated {
                    p.date(&format!("{mp}.deprecated.since"), &d.since);
                    p.text(&format!("{mp}.deprecated.note"), &d.note);
                    p.link(&format!("{mp}.deprecated.source"), &d.source);
                    p.item_date(&format!("{mp}.deprecated.reviewed"), d.reviewed.as_deref());
                }
                for (ni, n) in m.notes.iter().enumerate() {
                    p.text(&format!("{mp}.notes[{ni}].text"), &n.text);
                    let np = format!("{mp}.notes[{ni}].versions");
                    p.versions(&np, &n.versions, &self.versions);
                    p.link(&format!("{mp}.notes[{ni}].source"), &n.source);
                    p.item_date(&format!("{mp}.notes[{ni}].reviewed"), n.reviewed.as_deref());
                }
            }
        }
        p.into_result()
    }
}

impl ProblemCatalogue {
    /// Checks ids, texts, sources, versions and dates.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::new();
        p.schema(self.schema_version, SCHEMA_VERSION);
        p.date("reviewed", &self.reviewed);
        if self.problems.is_empty() {
            p.push("problems", "must list at least one problem");
        }
        // Ids are typed by users in any case, so they must differ ignoring case.
        let lower: Vec<String> = self
            .problems
            .iter()
            .map(|x| x.id.to_ascii_lowercase())
            .collect();
        p.unique(
            "problems",
            "problem id (ignoring case)",
            lower.iter().map(String::as_str),
        );
        for (i, x) in self.problems.iter().enumerate() {
            let xp = format!("problems[{i}] ({})", x.id);
            p.text(&format!("{xp}.id"), &x.id);
            if x.id.chars().any(char::is_whitespace) {
                p.push(format!("{xp}.id"), "must be one word");
            }
            p.text(&format!("{xp}.title"), &x.title);
            p.texts(&format!("{xp}.symptoms"), &x.symptoms, true);
            p.texts(&format!("{xp}.errors"), &x.errors, false);
            p.versions(&format!("{xp}.versions"), &x.versions, &[]);
            p.texts(&format!("{xp}.fix"), &x.fix, true);
            p.links(&format!("{xp}.sources"), &x.sources);
            p.texts(&format!("{xp}.keywords"), &x.keywords, false);
            p.item_date(&format!("{xp}.reviewed"), x.reviewed.as_deref());
        }
        p.into_result()
    }

    /// The problem ids, in catalogue order.
    pub fn ids(&self) -> Vec<String> {
        self.problems.iter().map(|x| x.id.clone()).collect()
    }
}

impl Problems {
    /// A word of a word list: not empty, one word, lower case.
    fn word(&mut self, path: &str, value: &str) {
        if value.is_empty() {
            self.push(path, "must not be empty");
        } else if value.chars().any(char::is_whitespace) {
            self.push(path, format!("'{value}' must be one word (no spaces)"));
        } else if value.to_lowercase() != value {
            self.push(path, format!("'{value}' must be lower case"));
        } else if let Some(c) = value.chars().enumerate().find_map(|(i, c)| {
            // What the tokeniser keeps in a word: letters, digits, `_`, and
            // a `.` between digits ("1.0").
            let digit = |j: Option<char>| j.is_some_and(|d| d.is_ascii_digit());
            let point = c == '.'
                && digit(i.checked_sub(1).and_then(|j| value.chars().nth(j)))
                && digit(value.chars().nth(i + 1));
            (!(c.is_alphanumeric() || c == '_' || point)).then_some(c)
        }) {
            self.push(
                path,
                format!(
                    "'{value}' can never match: a query's words are split at '{c}' (or it is dropped); write the word as the tokeniser keeps it"
                ),
            );
        }
    }
    /// A list of words: at least one, each a word, each once.
    fn words(&mut self, path: &str, values: &[String]) {
        if values.is_empty() {
            self.push(path, "must list at least one word");
        }
        let mut seen = BTreeSet::new();
        for (i, v) in values.iter().enumerate() {
            self.word(&format!("{path}[{i}]"), v);
            if !seen.insert(v.as_str()) {
                self.push(format!("{path}[{i}]"), format!("'{v}' is listed twice"));
            }
        }
    }
}

impl WordLists {
    /// Checks every word (not empty, one word, lower case, listed once), that
    /// no word is both ignored and read as another, that weak and name words
    /// are not ignored, that a weak word is its own canonical word, and that
    /// a version word is a canonical word of `synonyms` naming a known
    /// version. Every problem is reported, each with its path.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::new();
        p.schema(self.schema_version, SCHEMA_VERSION);
        p.date("reviewed", &self.reviewed);
        p.words("stop_words", &self.stop_words);
        p.words("domain_words", &self.domain_words);
        for (i, w) in self.domain_words.iter().enumerate() {
            if self.stop_words.contains(w) {
                p.push(
                    format!("domain_words[{i}]"),
                    format!("'{w}' is also a stop word"),
                );
            }
        }
        if self.synonyms.is_empty() {
            p.push("synonyms", "must list at least one group");
        }
        let read_as = self.check_synonyms(&mut p);
        self.check_weak_words(&mut p, &read_as);
        self.check_names(&mut p, &read_as);
        self.check_versions(&mut p);
        p.into_result()
    }

    /// A stop or domain word: one the search ignores.
    fn ignored(&self, w: &str) -> bool {
        self.stop_words
            .iter()
            .chain(&self.domain_words)
            .any(|d| d == w)
    }

    /// Each group: a canonical word of its own, words read one way only.
    /// Returns each word with the canonical word it is read as.
    fn check_synonyms(&self, p: &mut Problems) -> BTreeMap<&str, &str> {
        // Each word of a group, with the group's canonical word.
        let mut read_as: BTreeMap<&str, &str> = BTreeMap::new();
        let mut canonicals = BTreeSet::new();
        for (gi, g) in self.synonyms.iter().enumerate() {
            let gp = format!("synonyms[{gi}] ({})", g.canonical);
            p.word(&format!("{gp}.canonical"), &g.canonical);
            if !canonicals.insert(g.canonical.as_str()) {
                p.push(
                    format!("{gp}.canonical"),
                    format!("'{}' is the canonical word of two groups", g.canonical),
                );
            }
            if self.ignored(&g.canonical) {
                p.push(
                    format!("{gp}.canonical"),
                    format!("'{}' is also a stop or domain word", g.canonical),
                );
            }
            p.words(&format!("{gp}.words"), &g.words);
            for (wi, w) in g.words.iter().enumerate() {
                let wp = format!("{gp}.words[{wi}]");
                if self.ignored(w) {
                    p.push(wp.as_str(), format!("'{w}' is also a stop or domain word"));
                }
                let first = *read_as.entry(w.as_str()).or_insert(g.canonical.as_str());
                if first != g.canonical {
                    p.push(
                        wp.as_str(),
                        format!("'{w}' is also read as '{first}' (a word has one meaning)"),
                    );
                }
            }
        }
        read_as
    }

    /// A weak word is not ignored, and is its own canonical word.
    fn check_weak_words(&self, p: &mut Problems, read_as: &BTreeMap<&str, &str>) {
        p.words("weak_words", &self.weak_words);
        for (i, w) in self.weak_words.iter().enumerate() {
            if self.ignored(w) {
                p.push(
                    format!("weak_words[{i}]"),
                    format!("'{w}' is also a stop or domain word"),
                );
            }
            if let Some(c) = read_as.get(w.as_str()).filter(|c| **c != w.as_str()) {
                p.push(
                    format!("weak_words[{i}]"),
                    format!("'{w}' is read as '{c}' (list the canonical word)"),
                );
            }
        }
    }

    /// A name: two words or more, listed once, read as a canonical word.
    fn check_names(&self, p: &mut Problems, read_as: &BTreeMap<&str, &str>) {
        if self.names.is_empty() {
            p.push("names", "must list at least one name");
        }
        let mut seen = BTreeSet::new();
        for (i, n) in self.names.iter().enumerate() {
            let np = format!("names[{i}] ({})", n.words.join(" "));
            p.words(&format!("{np}.words"), &n.words);
            if n.words.len() == 1 {
                p.push(format!("{np}.words"), "a name has at least two words");
            }
            if !seen.insert(n.words.clone()) {
                p.push(np.as_str(), "the name is listed twice");
            }
            p.word(&format!("{np}.as"), &n.word);
            if self.ignored(&n.word) {
                p.push(
                    format!("{np}.as"),
                    format!("'{}' is a stop or domain word", n.word),
                );
            }
            if let Some(c) = read_as
                .get(n.word.as_str())
                .filter(|c| **c != n.word.as_str())
            {
                p.push(
                    format!("{np}.as"),
                    format!("'{}' is read as '{c}' (name the canonical word)", n.word),
                );
            }
        }
    }

    /// A version word: a canonical word naming a known version, listed once.
    fn check_versions(&self, p: &mut Problems) {
        let mut seen = BTreeSet::new();
        for (i, v) in self.versions.iter().enumerate() {
            let vp = format!("versions[{i}] ({})", v.word);
            if !self.synonyms.iter().any(|g| g.canonical == v.word) {
                p.push(
                    format!("{vp}.word"),
                    format!("'{}' is not a canonical word of synonyms", v.word),
                );
            }
            if !KNOWN_VERSIONS.contains(&v.version.as_str()) {
                p.push(
                    format!("{vp}.version"),
                    format!(
                        "unknown version '{}' (expected one of: {})",
                        v.version,
                        KNOWN_VERSIONS.join(", ")
                    ),
                );
            }
            if !seen.insert(v.word.as_str()) {
                p.push(
                    format!("{vp}.word"),
                    format!("'{}' is listed twice", v.word),
                );
            }
        }
    }
}

impl Problems {
    /// A `when` must name dimensions of the matrix, with conditions of
    /// their kind and values they have.
    fn when(&mut self, path: &str, when: &Option<When>, dimensions: &[DimensionSpec]) {
        let Some(when) = when else {
            return;
        };
        if when.is_empty() {
            self.push(path, "must name at least one requirement");
        }
        for (key, condition) in when {
            let Some(d) = dimensions.iter().find(|d| &d.key == key) else {
                let keys: Vec<&str> = dimensions.iter().map(|d| d.key.as_str()).collect();
                self.push(
                    format!("{path}.{key}"),
                    format!(
                        "'{key}' is not a dimension of the matrix (expected one of: {})",
                        keys.join(", ")
                    ),
                );
                continue;
            };
            match (condition, d.kind) {
                (Condition::Flag(_), SpecKind::Flag) | (Condition::Count(..), SpecKind::Count) => {}
                (Condition::AnyOf(ids), SpecKind::Values) => {
                    if ids.is_empty() {
                        self.push(format!("{path}.{key}"), "must list at least one value");
                    }
                    for id in ids.iter().filter(|id| !d.values.contains(id)) {
                        self.push(
                            format!("{path}.{key}"),
                            format!(
                                "'{id}' is not a value of '{key}' (expected one of: {})",
                                d.values.join(", ")
                            ),
                        );
                    }
                }
                (_, kind) => {
                    let expected = match kind {
                        SpecKind::Flag => "true or false",
                        SpecKind::Count => "a comparison such as \">1\"",
                        SpecKind::Values => "a list of value ids",
                    };
                    self.push(
                        format!("{path}.{key}"),
                        format!("the condition does not fit the dimension (expected {expected})"),
                    );
                }
            }
        }
    }
}

impl MigrateGuide {
    /// Checks ids, texts, sources and dates, that every pitfall names a
    /// problem of `problem_ids` (the ids in problems.yaml), and that every
    /// `when` fits the matrix's `dimensions`.
    pub fn validate(
        &self,
        problem_ids: &[String],
        dimensions: &[DimensionSpec],
    ) -> Result<(), Problems> {
        let mut p = Problems::new();
        p.schema(self.schema_version, SCHEMA_VERSION);
        p.date("reviewed", &self.reviewed);
        if self.steps.is_empty() {
            p.push("steps", "must list at least one step");
        }
        p.unique("steps", "step id", self.steps.iter().map(|s| s.id.as_str()));
        for (i, s) in self.steps.iter().enumerate() {
            let sp = format!("steps[{i}] ({})", s.id);
            p.text(&format!("{sp}.id"), &s.id);
            p.text(&format!("{sp}.title"), &s.title);
            p.texts(&format!("{sp}.detail"), &s.detail, true);
            p.links(&format!("{sp}.sources"), &s.sources);
            p.item_date(&format!("{sp}.reviewed"), s.reviewed.as_deref());
            p.when(&format!("{sp}.when"), &s.when, dimensions);
        }
        p.unique(
            "pitfalls",
            "pitfall",
            self.pitfalls.iter().map(|x| x.id.as_str()),
        );
        for (i, x) in self.pitfalls.iter().enumerate() {
            if !problem_ids.contains(&x.id) {
                p.push(
                    format!("pitfalls[{i}]"),
                    format!("'{}' is not a problem id in problems.yaml", x.id),
                );
            }
            p.when(
                &format!("pitfalls[{i}] ({}).when", x.id),
                &x.when,
                dimensions,
            );
        }
        p.into_result()
    }
}

/// The matrix's dimensions as `MigrateGuide::validate` checks a `when`
/// against them.
pub fn dimension_specs(matrix: &crate::matrix::Matrix) -> Vec<DimensionSpec> {
    use crate::matrix::DimensionKind;
    matrix
        .dimensions
        .iter()
        .map(|d| DimensionSpec {
            key: d.key.to_string(),
            kind: match d.kind {
                DimensionKind::Flag => SpecKind::Flag,
                DimensionKind::Count => SpecKind::Count,
                _ => SpecKind::Values,
            },
            values: match d.kind {
                DimensionKind::Apps => matrix.apps.iter().map(|a| a.id.to_string()).collect(),
                _ => d.values.iter().map(|v| v.id.to_string()).collect(),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(yaml: &str) -> WordLists {
        crate::yaml::from_str_borrowed(yaml).expect("parse")
    }

    #[test]
    fn the_built_in_word_lists_are_valid() {
        let text = include_str!("../../../data/troubleshoot-words.yaml");
        assert_eq!(lists(text).validate(), Ok(()));
    }

    #[test]
    fn bad_word_lists_are_reported_with_every_path() {
        let bad = lists(
            r#"
schema_version: 2
reviewed: "2026-12-02"
stop_words: [a, the, a, ""]
domain_words: [cif, the]
synonyms:
  - {canonical: widget, words: [Widget, panel, the]}
  - {canonical: blank, words: [white, panel]}
weak_words: [panel]
names:
  - {words: [copilot service], as: workspace}
versions:
  - {word: v9, version: "9.0"}
"#,
        );
        let err = bad.validate().expect_err("invalid").to_string();
        assert_eq!(
            err.split("; ").collect::<Vec<_>>(),
            [
                "stop_words[2]: 'a' is listed twice",
                "stop_words[3]: must not be empty",
                "domain_words[1]: 'the' is also a stop word",
                "synonyms[0] (widget).words[0]: 'Widget' must be lower case",
                "synonyms[0] (widget).words[2]: 'the' is also a stop or domain word",
                "synonyms[1] (blank).words[1]: 'panel' is also read as 'widget' (a word has one meaning)",
                "weak_words[0]: 'panel' is read as 'widget' (list the canonical word)",
                "names[0] (copilot service).words[0]: 'copilot service' must be one word (no spaces)",
                "names[0] (copilot service).words: a name has at least two words",
                "versions[0] (v9).word: 'v9' is not a canonical word of synonyms",
                "versions[0] (v9).version: unknown version '9.0' (expected one of: 1.0, 2.0)",
            ]
        );
    }

    #[test]
    fn a_word_the_tokeniser_cannot_produce_is_refused() {
        let mut l = lists(include_str!("../../../data/troubleshoot-words.yaml"));
        l.stop_words.push("don't".into());
        l.weak_words.push("set-width".into());
        l.stop_words.push("cif2.0".into()); // a point between digits stays
        let err = l.validate().expect_err("invalid").to_string();
        assert!(
            err.contains("'don't' can never match: a query's words are split at '''"),
            "{err}"
        );
        assert!(err.contains("'set-width' can never match"), "{err}");
        assert!(!err.contains("cif2.0"), "{err}");
    }
}

#[cfg(test)]
mod item_tests {
    use super::*;

    /// A one-member API catalogue with `note` as the member's one note.
    fn api(note: &str) -> ApiCatalogue {
        let yaml = format!(
            r#"
schema_version: 2
reviewed: "2026-12-02"
versions: ["1.0", "2.0"]
groups:
  - id: panel
    name: Panel
    members:
      - name: setMode
        kind: method
        versions: ["1.0", "2.0"]
        signature: "setMode(mode)"
        summary: "Sets the panel mode."
        source: "https://learn.microsoft.com/dynamics365/channel-integration-framework/"
        basis: documented
        reviewed: "2026-12-07"
        notes:
          - {note}
"#
        );
        crate::yaml::from_str_borrowed(&yaml).expect("parse")
    }

    #[test]
    fn a_note_names_known_versions_and_an_item_a_real_review_date() {
        let good = r#"{text: "In 2.0 only.", versions: ["2.0"], source: "https://learn.microsoft.com/x", basis: documented, reviewed: "2026-12-07"}"#;
        assert_eq!(api(good).validate(), Ok(()));
        let bad = r#"{text: "In 3.0.", versions: ["3.0", "2.0", "2.0"], source: "https://learn.microsoft.com/x", basis: documented, reviewed: "2026-13-07"}"#;
        assert_eq!(
            api(bad).validate().expect_err("invalid").to_string().split("; ").collect::<Vec<_>>(),
            [
                "groups[0] (panel).members[0] (setMode).notes[0].versions[0]: unknown version '3.0' (expected one of: 1.0, 2.0)",
                "groups[0] (panel).members[0] (setMode).notes[0].versions[2]: version '2.0' is listed twice",
                "groups[0] (panel).members[0] (setMode).notes[0].reviewed: '2026-13-07' is not a date written YYYY-MM-DD",
            ]
        );
        // A note must say which versions it is about.
        let missing = r#"{text: "x", source: "https://learn.microsoft.com/x", basis: documented}"#;
        let err = crate::yaml::from_str_borrowed::<ApiCatalogue>(&format!(
            "schema_version: 2\nreviewed: \"2026-12-02\"\nversions: [\"1.0\"]\ngroups: [{{id: g, name: G, members: [{{name: m, kind: method, versions: [\"1.0\"], signature: \"\", summary: s, source: \"https://learn.microsoft.com/x\", basis: documented, notes: [{missing}]}}]}}]\n"
        ))
        .expect_err("no versions");
        assert!(
            err.to_string().contains("missing field `versions`"),
            "{err}"
        );
    }

    #[test]
    fn the_built_in_catalogues_carry_the_2026_12_07_reviews() {
        let api: ApiCatalogue =
            crate::yaml::from_str_borrowed(include_str!("../../../data/api.yaml")).expect("api");
        let problems: ProblemCatalogue =
            crate::yaml::from_str_borrowed(include_str!("../../../data/problems.yaml"))
                .expect("problems");
        let reviewed: Vec<&str> = problems
            .problems
            .iter()
            .filter(|p| p.reviewed.as_deref() == Some("2026-12-07"))
            .map(|p| p.id.as_str())
            .collect();
        // Changed in the 2026-12-07 update: facts (C5, M1, M6), the new
        // entry (C15), and the words troubleshoot matches (C1, C4, C8, C10,
        // C11, C14).
        assert_eq!(
            reviewed,
            ["C1", "C4", "C5", "C8", "C10", "C11", "C14", "C15", "M1", "M6"]
        );
        let set_click = api
            .groups
            .iter()
            .flat_map(|g| &g.members)
            .find(|m| m.name == "setClickToAct")
            .expect("setClickToAct");
        assert!(set_click
            .notes
            .iter()
            .any(|n| n.reviewed.as_deref() == Some("2026-12-07")
                && n.text
                    .contains("This API will be deprecated on October 31, 2025")));
    }
}
