//! The typed form of `data/cif-matrix.yaml` (schema version 2; version 1
//! files, which have no `basis`, still load).
//!
//! `build.rs` stores the embedded matrix as postcard: keep every attribute
//! compatible with a non-self-describing format: no `untagged`, `flatten` or
//! `skip_serializing_if`.

use super::version_map::{text_list, text_option};
pub use super::version_map::{Lines, VersionMap};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde::{Deserializer, Serializer};
use std::fmt;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 3;

/// The oldest schema version this build still reads. A version-1 file has no
/// `basis` on its facts: it loads, each fact's basis is "not stated"
/// (see `Matrix::basis_stated`), and `matrix validate` says what to add.
pub const OLDEST_SCHEMA_VERSION: u32 = 1;

pub use crate::basis::Basis;

/// The whole feature matrix: versions, apps, requirement dimensions and the
/// comparison rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    /// Format version of this file; this build reads versions 1 and 2.
    pub schema_version: u32,
    /// The date (YYYY-MM-DD) the facts were last checked against their sources.
    pub reviewed: String,
    /// Tie-break order: the first fitting version in this list is recommended.
    #[serde(deserialize_with = "text_list")]
    pub preference: Vec<String>,
    /// Why the preference order is what it is (shown by `compare` and docs/guide.md).
    #[serde(default)]
    pub preference_note: String,
    pub versions: Vec<Version>,
    pub apps: Vec<App>,
    pub dimensions: Vec<Dimension>,
    pub rows: Vec<Row>,
    /// What to use instead when no CIF version fits a part of the organisation.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// What running two versions side by side means (shown with a plan).
    pub side_by_side: Option<Note>,
    /// What a version does when two stated requirements meet.
    #[serde(default)]
    pub combinations: Vec<Combination>,
    /// Retirement dates of apps, requirement values, versions and API members.
    #[serde(default)]
    pub lifecycle: Vec<Lifecycle>,
}

/// A limit that appears only when two (or more) stated requirements meet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Combination {
    /// Its id: the `requirement` of its check (e.g. `presence-across-providers`).
    pub id: String,
    /// A short label, e.g. "Presence sync with several providers".
    pub name: String,
    /// When it applies: every condition holds.
    pub when: When,
    /// Each version's capability when it applies.
    pub support: VersionMap<Capability>,
}

/// The conditions of a combination, in file order: `key: condition`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct When(pub Vec<(String, Cond)>);

/// One condition of a combination on one requirement key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cond {
    /// A flag stated true (or false).
    Flag(bool),
    /// Any of these values is stated (apps: any of these apps in the group).
    Any(Vec<String>),
    /// A count of at least N.
    Min(u32),
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return self.0.serialize(serializer);
        }
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, c) in &self.0 {
            match c {
                Cond::Flag(b) => map.serialize_entry(k, b)?,
                Cond::Any(v) => map.serialize_entry(k, v)?,
                Cond::Min(n) => map.serialize_entry(k, &MinText { min: *n })?,
            }
        }
        map.end()
    }
}

/// `{min: N}` as written.
#[derive(Serialize)]
struct MinText {
    min: u32,
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            return Vec::<(String, Cond)>::deserialize(d).map(When);
        }
        d.deserialize_map(WhenVisitor)
    }
}

struct WhenVisitor;

impl<'de> Visitor<'de> for WhenVisitor {
    type Value = When;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping from requirement key to a condition (true, a value, a list of values, or {min: N})")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<When, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = access.next_key::<String>()? {
            if out.iter().any(|(k, _): &(String, Cond)| *k == key) {
                return Err(de::Error::custom(format!("duplicate key '{key}'")));
            }
            let cond = access.next_value::<CondText>()?;
            out.push((key, cond.0));
        }
        Ok(When(out))
    }
}

/// A condition as written in YAML: `true`, `sms`, `[sms, chat]` or `{min: 2}`.
struct CondText(Cond);

impl<'de> Deserialize<'de> for CondText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CondVisitor)
    }
}

struct CondVisitor;

impl<'de> Visitor<'de> for CondVisitor {
    type Value = CondText;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("true, false, a value, a list of values, or {min: N}")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<CondText, E> {
        Ok(CondText(Cond::Flag(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<CondText, E> {
        Ok(CondText(Cond::Any(vec![v.to_string()])))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<CondText, A::Error> {
        let values = Vec::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(CondText(Cond::Any(values)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<CondText, A::Error> {
        let mut min = None;
        while let Some(key) = access.next_key::<String>()? {
            if key != "min" {
                return Err(de::Error::custom(format!(
                    "unknown condition '{key}'; a count condition is {{min: N}}"
                )));
            }
            min = Some(access.next_value::<u32>()?);
        }
        min.map(|n| CondText(Cond::Min(n)))
            .ok_or_else(|| de::Error::custom("a count condition is {min: N}"))
    }
}

/// How a retirement weighs on an answer that rests on its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Past its end of support or removal it blocks; before, it is a risk with a date.
    #[default]
    Blocks,
    /// A risk caveat only.
    Informs,
}

/// A dated retirement: what retires, when, and what replaces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// What an answer rests on for this date to matter: `apps=ID`,
    /// `KEY=VALUE` (a dimension value), `version=ID` or `api=MEMBER`.
    pub subject: String,
    /// What retires, as a reader names it ("Unified Service Desk").
    pub name: String,
    /// The id of the caveat it gives (default: `lifecycle-` and the subject).
    #[serde(default, deserialize_with = "text_option")]
    pub id: Option<String>,
    /// `YYYY-MM-DD`, or `YYYY-MM` (the first day of the month).
    #[serde(default, deserialize_with = "text_option")]
    pub deprecated: Option<String>,
    /// The last supported day: `YYYY-MM-DD`, or `YYYY-MM` (its last day).
    #[serde(default, deserialize_with = "text_option")]
    pub end_of_support: Option<String>,
    /// `YYYY-MM-DD`, or `YYYY-MM` (the first day of the month).
    #[serde(default, deserialize_with = "text_option")]
    pub removed: Option<String>,
    #[serde(default)]
    pub effect: Effect,
    /// Whom it concerns when not every organisation (`new-organisations`).
    #[serde(default, deserialize_with = "text_option")]
    pub applies_to: Option<String>,
    /// What Microsoft names instead, as requirements (`{apps: [cs-workspace], host: browser}`).
    #[serde(default)]
    pub successor: Fragment,
    /// Microsoft's words on it, quoted where a date turns on them.
    pub text: String,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    #[serde(default, deserialize_with = "text_list")]
    pub see_also: Vec<String>,
    /// The date this entry was last checked against its source, when later
    /// than the file's `reviewed`.
    #[serde(default, deserialize_with = "text_option")]
    pub reviewed: Option<String>,
}

/// A requirements fragment: key → values, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fragment(pub Vec<(String, Vec<String>)>);

impl Fragment {
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Fragment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return self.0.serialize(serializer);
        }
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for Fragment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            return Vec::<(String, Vec<String>)>::deserialize(d).map(Fragment);
        }
        let when = When::deserialize(d)?;
        when.0
            .into_iter()
            .map(|(k, c)| match c {
                Cond::Any(v) => Ok((k, v)),
                Cond::Flag(b) => Ok((k, vec![b.to_string()])),
                Cond::Min(_) => Err(de::Error::custom(format!(
                    "successor '{k}': a value or a list of values"
                ))),
            })
            .collect::<Result<_, _>>()
            .map(Fragment)
    }
}

spelled! {
    /// How much a caveat weighs: `blocking` first, `info` last.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
    pub enum CaveatKind {
        /// Stops the plan as it stands (a removed app, a host being retired).
        Blocking = "blocking",
        /// May break it, or leaves a part without a stated need.
        Risk = "risk",
        /// Something the team must configure or build.
        Setup = "setup",
        /// Good to know.
        #[default]
        Info = "info",
    }
}

/// Which part of an organisation a stated requirement binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The tenant's (cloud, deployment): every group must meet it, and a
    /// team may not state it.
    Org,
    /// A team's (session, client, host): a team may state its own; it binds
    /// every app of that team (without teams, every group, as `org` does).
    Team,
    /// It applies to the groups whose version can meet it.
    #[default]
    Group,
}

/// What to use instead of CIF for one requirement value or app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// `key=value` (a dimension value, or `apps=APP`), or `key` for a flag.
    #[serde(rename = "for")]
    pub for_: String,
    pub text: String,
    pub source: String,
    /// How the route is known (absent only in schema version 1 files).
    #[serde(default)]
    pub basis: Basis,
    /// Further sources for the same route.
    #[serde(default, deserialize_with = "text_list")]
    pub see_also: Vec<String>,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    #[serde(default, deserialize_with = "text_option")]
    pub reviewed: Option<String>,
}

impl Matrix {
    /// Whether the file states a basis for its facts (schema version 2 and
    /// later). For a version-1 file every fact's basis is "not stated".
    pub fn basis_stated(&self) -> bool {
        self.schema_version >= 2
    }
}

/// One framework version, e.g. "1.0".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    pub id: String,
    pub name: String,
    /// The version's documentation page (the "next step" link).
    pub docs: String,
    /// Notes shown as caveats whenever this version is recommended
    /// (licensing, prerequisites, status).
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A sourced sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub text: String,
    pub source: String,
    /// How the note is known (absent only in schema version 1 files).
    #[serde(default)]
    pub basis: Basis,
    /// Further sources for the same note.
    #[serde(default, deserialize_with = "text_list")]
    pub see_also: Vec<String>,
    /// A stable id for the caveat this note gives (default: derived from its place).
    #[serde(default, deserialize_with = "text_option")]
    pub id: Option<String>,
    /// The caveat's weight (default `info`).
    #[serde(default)]
    pub kind: CaveatKind,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    #[serde(default, deserialize_with = "text_option")]
    pub reviewed: Option<String>,
}

spelled! {
    /// Session mode of a model-driven app.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum SessionMode {
        Single = "single",
        Multi = "multi",
    }
}

spelled! {
    /// Whether an app can still be used, ordered from the strongest state
    /// (active) to the weakest (removed): the greater of two is the weaker.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
    pub enum AppState {
        /// Available and supported.
        #[default]
        Active = "active",
        /// Supported, but not offered to every organisation.
        Limited = "limited",
        /// Announced for removal.
        Deprecated = "deprecated",
        /// No longer available.
        Removed = "removed",
    }
}

/// A model-driven app an agent works in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub id: String,
    pub name: String,
    /// Other names accepted for `--app` (case-insensitive).
    #[serde(default, deserialize_with = "text_list")]
    pub aliases: Vec<String>,
    pub session: SessionMode,
    /// Schema 2; from schema 3 the state is derived from `lifecycle` at the
    /// evaluation date (an undated limit, such as `limited`, may still be stated).
    #[serde(default)]
    pub state: AppState,
    /// Status notes (removed, deprecated, limited availability, pitfalls),
    /// shown as caveats when the app is chosen.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Each version's support for this app.
    pub support: VersionMap<Capability>,
    /// The app Microsoft points this app's users to (an app id), offered as a
    /// replacement in "what would change".
    #[serde(default, deserialize_with = "text_option")]
    pub replaced_by: Option<String>,
}

spelled! {
    /// How a dimension is stated and checked.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum DimensionKind {
        /// One value out of `values`.
        Choice = "choice",
        /// A set of values out of `values`; every one must be supported.
        Multi = "multi",
        /// Needed or not; checked against `support`.
        Flag = "flag",
        /// A number >= 1; checked against each version's `max`.
        Count = "count",
        /// A set of apps out of the `apps` list.
        Apps = "apps",
    }
}

/// A requirement the engine can check, e.g. `session` or `channels`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// The key used in requirement files, JSON output and (with `-` for `_`) flags.
    pub key: String,
    /// A short label, e.g. "Session mode".
    pub name: String,
    pub kind: DimensionKind,
    /// The question the interactive advisor asks.
    pub question: String,
    /// One line on why the question matters.
    pub help: String,
    /// For a `choice` dimension: the value is implied by the chosen apps'
    /// session mode, so the interactive advisor does not ask it again.
    #[serde(default)]
    pub implied_by_apps: bool,
    /// Which groups of apps a stated value binds: `org` (all) or `group`.
    #[serde(default)]
    pub scope: Scope,
    /// The dimension decides between the versions: left unstated, the answer is `open`.
    #[serde(default)]
    pub decides: bool,
    /// The values of a `choice` or `multi` dimension, each with its support.
    #[serde(default)]
    pub values: Vec<Choice>,
    /// For `flag` and `count` dimensions: each version's capability.
    #[serde(default)]
    pub support: VersionMap<Capability>,
}

/// One value of a `choice` or `multi` dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub name: String,
    #[serde(default, deserialize_with = "text_list")]
    pub aliases: Vec<String>,
    pub support: VersionMap<Capability>,
    /// The apps this value exists in (the Teams dialer: Sales Hub): a stated
    /// value binds only the groups that hold one of them (empty: every group).
    #[serde(default, deserialize_with = "text_list")]
    pub applies_to: Vec<String>,
}

spelled! {
    /// What the sources say about a version and one requirement value.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Support {
        /// Documented as supported.
        Yes = "yes",
        /// Documented (or listed) as not supported.
        No = "no",
        /// The sources do not state it.
        Unconfirmed = "unconfirmed",
        /// The sources disagree.
        Conflicting = "conflicting",
        /// Documented as supported, with a documented limit (its `limit` says what does not work).
        Limited = "limited",
    }
}

/// One version's capability on one requirement value, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    pub status: Support,
    /// The fact behind the status, as a sentence.
    pub fact: String,
    /// Link to the documentation the fact comes from.
    pub source: String,
    /// How the fact is known (absent only in schema version 1 files).
    #[serde(default)]
    pub basis: Basis,
    /// Further sources for the same fact.
    #[serde(default, deserialize_with = "text_list")]
    pub see_also: Vec<String>,
    /// For `count` dimensions: the largest supported number (absent: no
    /// documented limit).
    pub max: Option<u32>,
    /// A note shown as a caveat when this capability is relied on.
    #[serde(default, deserialize_with = "text_option")]
    pub caveat: Option<String>,
    /// The weight of `caveat` (default `setup`).
    pub caveat_kind: Option<CaveatKind>,
    /// The source of `caveat` when it is not `source`.
    #[serde(default, deserialize_with = "text_option")]
    pub caveat_source: Option<String>,
    /// For `limited`: what does not work, as a sentence.
    #[serde(default, deserialize_with = "text_option")]
    pub limit: Option<String>,
    /// The page the `limit` quotes, when it is not `source`.
    #[serde(default, deserialize_with = "text_option")]
    pub limit_source: Option<String>,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    #[serde(default, deserialize_with = "text_option")]
    pub reviewed: Option<String>,
}

/// One row of the comparison table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub feature: String,
    /// Each version's value, as one or more lines.
    pub values: VersionMap<Lines>,
    pub source: String,
    /// How the row's values are known (absent only in schema version 1 files).
    #[serde(default)]
    pub basis: Basis,
    #[serde(default, deserialize_with = "text_list")]
    pub see_also: Vec<String>,
    /// True for the rows reproduced from the source page's matrix.
    #[serde(default)]
    pub from_source_page: bool,
    #[serde(default, deserialize_with = "text_option")]
    pub note: Option<String>,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    #[serde(default, deserialize_with = "text_option")]
    pub reviewed: Option<String>,
}
