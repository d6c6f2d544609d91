//! The engine's answer and its parts.

use super::{dated, teams, Confidence, Outcome, OutcomeKind, Status};
use crate::matrix::{Basis, CaveatKind, DimensionKind, VersionMap};
use crate::requirements::{bits, Lexicon, Requirements, Value};
use serde::Serialize;

/// One check: a stated requirement against one version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The requirement key (dimension), e.g. "apps".
    pub requirement: String,
    pub status: Status,
    /// A sentence naming the version, the requirement and the fact.
    pub reason: String,
    /// How the deciding facts are known: `inferred` when any of them is,
    /// null when the matrix (schema version 1) does not say.
    pub basis: Option<Basis>,
    /// The fact's source link(s).
    pub sources: Vec<String>,
}

/// All checks of one version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub version: String,
    pub name: String,
    pub fits: bool,
    pub checks: Vec<Check>,
}

/// A sourced caveat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caveat {
    pub id: String,
    pub kind: CaveatKind,
    pub text: String,
    /// How the caveat is known (null: the matrix does not say).
    pub basis: Option<Basis>,
    pub source: String,
}

/// A single change to the stated requirements that changes the recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The requirement key changed.
    pub requirement: String,
    /// What changes, in words (e.g. "providers: 1 instead of 2").
    pub change: String,
    /// The changed requirements, normalised.
    pub requirements: StatedRequirements,
    #[serde(skip)]
    pub changed: Requirements,
}

/// The stated requirements of a decision, normalised: canonical ids, in
/// matrix order. Serialises as a requirements document writes them: a flag
/// as `true`, a count as a number, a choice as its value id, the values of
/// a `multi` or `apps` dimension as a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatedRequirements(pub Vec<StatedRequirement>);

/// One stated requirement: the dimension key and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedRequirement {
    pub key: String,
    pub value: StatedValue,
}

/// The value of a stated requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum StatedValue {
    /// A flag, stated (`true`).
    #[serde(serialize_with = "stated_flag")]
    Flag,
    /// A count.
    Count(u32),
    /// The value id of a `choice` dimension (`None`, written `null`: a value
    /// the matrix does not have).
    One(Option<String>),
    /// The value ids of a `multi` or `apps` dimension, in matrix order.
    Many(Vec<String>),
}

impl StatedRequirements {
    /// The stated values of `req`, with the canonical ids of `lexicon`.
    pub fn new(req: &Requirements, lexicon: &Lexicon) -> Self {
        let one = |(dim, value): (usize, Value)| {
            let ids = lexicon.value_ids(dim);
            let value = match (lexicon.kind(dim), value) {
                (_, Value::Count(n)) => StatedValue::Count(n),
                (DimensionKind::Flag, Value::Set(_)) => StatedValue::Flag,
                (DimensionKind::Choice, Value::Set(mask)) => {
                    StatedValue::One(ids.get(mask.trailing_zeros() as usize).cloned())
                }
                (_, Value::Set(mask)) => {
                    StatedValue::Many(bits(mask).filter_map(|i| ids.get(i).cloned()).collect())
                }
            };
            let key = lexicon.keys()[dim].clone();
            StatedRequirement { key, value }
        };
        StatedRequirements(req.stated().map(one).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &StatedRequirement> {
        self.0.iter()
    }

    /// The value stated for the dimension `key`, if any.
    pub fn get(&self, key: &str) -> Option<&StatedValue> {
        self.0.iter().find(|r| r.key == key).map(|r| &r.value)
    }

    /// The value ids stated for `key` (a `multi` or `apps` dimension).
    pub fn ids(&self, key: &str) -> &[String] {
        match self.get(key) {
            Some(StatedValue::Many(ids)) => ids,
            _ => &[],
        }
    }
}

impl Serialize for StatedRequirements {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|r| (&r.key, &r.value)))
    }
}

/// A stated flag, as a requirements document writes it: `true`.
fn stated_flag<S: serde::Serializer>(s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(true)
}

impl std::fmt::Display for StatedValue {
    /// The value as the text answer writes it: `true`, `2`, `chat`,
    /// `sales, cs-workspace`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatedValue::Flag => f.write_str("true"),
            StatedValue::Count(n) => write!(f, "{n}"),
            StatedValue::One(Some(id)) => f.write_str(id),
            StatedValue::One(None) => f.write_str("null"),
            StatedValue::Many(ids) => f.write_str(&ids.join(", ")),
        }
    }
}

/// Changes that lead to the same different answer, grouped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeGroup {
    pub outcome: OutcomeKind,
    pub recommended: Option<String>,
    /// The confidence of the changed answer.
    pub confidence: Option<Confidence>,
    /// The versions of the changed plan (empty unless a plan).
    pub plan: Vec<String>,
    pub fits: Vec<String>,
    pub changes: Vec<Change>,
}

/// For a version that does not fit: the stated requirements to drop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relaxation {
    pub version: String,
    /// The stated requirements that rule the version out.
    pub drop: Vec<String>,
    /// For each failing combination none of whose keys is in `drop`: its
    /// keys, one of which to drop.
    pub drop_one_of: Vec<Vec<String>>,
}

/// One group of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// The team the item belongs to (with teams only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// App ids, in matrix order.
    pub apps: Vec<String>,
    pub version: String,
    pub confidence: Option<Confidence>,
    pub conditional_on: Vec<String>,
    /// Stated requirements this group's version cannot meet.
    pub unmet: Vec<String>,
    /// The end of support (or removal) ahead of what this group rests on
    /// (absent when there is none; the compact batch line has none yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
}

/// One branch of an open answer's fork: the apps that would get this version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForkItem {
    pub apps: Vec<String>,
    /// Null when no CIF version serves these apps under the stated requirements.
    pub version: Option<String>,
    pub confidence: Option<Confidence>,
}

/// What to use instead of CIF for a part no version serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteView {
    #[serde(rename = "for")]
    pub for_: String,
    pub text: String,
    pub source: String,
}

impl RouteView {
    /// A route of the matrix.
    pub fn of(r: &crate::matrix::Route) -> RouteView {
        RouteView {
            for_: r.for_.to_string(),
            text: r.text.to_string(),
            source: r.source.to_string(),
        }
    }
}

/// The answer is evaluated at this date (`--as-of`, else today).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    pub day: dated::Day,
    /// Given with `--as-of` (the text then says so).
    pub given: bool,
}

impl Default for AsOf {
    fn default() -> Self {
        AsOf {
            day: dated::today(),
            given: false,
        }
    }
}

/// The engine's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Decision {
    /// The matrix's review date.
    pub matrix_reviewed: String,
    /// The date the lifecycle dates were evaluated at (YYYY-MM-DD).
    pub as_of: String,
    pub outcome: OutcomeKind,
    pub recommended: Option<String>,
    pub alternative: Option<String>,
    pub confidence: Option<Confidence>,
    pub conditional_on: Vec<String>,
    /// The earliest end of support (or removal) ahead of what the answer rests on.
    pub valid_until: Option<String>,
    /// Deciding dimensions left unstated that could change the answer.
    pub open_on: Vec<String>,
    /// For an open answer: the apps with which it holds.
    pub holds_for: Vec<String>,
    /// Why the input contradicts itself (empty when it does not).
    pub contradiction: Option<String>,
    pub plan: Vec<PlanItem>,
    /// For an answer open on the apps: each app not removed, grouped by the
    /// version it would get under the other stated requirements.
    pub fork: Vec<ForkItem>,
    /// Apps that no version serves.
    pub no_version: Vec<String>,
    /// Stated requirements that no group of apps can meet.
    pub unmet: Vec<String>,
    pub routes: Vec<RouteView>,
    pub fits: Vec<String>,
    pub requirements: StatedRequirements,
    /// One per version, in preference order.
    pub evaluations: Vec<Evaluation>,
    /// For each version that does not fit, its failed checks.
    pub why_not: VersionMap<Vec<Check>>,
    pub caveats: Vec<Caveat>,
    pub unanswered: Vec<String>,
    /// Dimensions left open on purpose (not listed in `unanswered`).
    pub skipped: Vec<String>,
    pub would_change: Vec<ChangeGroup>,
    pub relaxations: Vec<Relaxation>,
    /// Each team's answer, in the file's order (empty without teams).
    #[serde(skip)]
    pub teams: Vec<teams::TeamDecision>,
    #[serde(skip)]
    pub core: Outcome,
    /// `as_of` was given on the command line.
    #[serde(skip)]
    pub as_of_given: bool,
}
