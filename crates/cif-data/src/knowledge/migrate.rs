//! `data/migrate.yaml`: the 1.0 → 2.0 checklist, and the `when` of its items.

use super::{Basis, SCHEMA_VERSION};
use crate::matrix::{DimensionKind, Matrix};
use crate::validators::Problems;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    pub when: Option<When>,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    pub reviewed: Option<String>,
}

/// A pitfall of the move: a problem id of problems.yaml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pitfall {
    pub id: String,
    /// Set when the pitfall concerns only a capability (see `When`).
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

spelled! {
    /// How a `count` condition compares.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Comparison {
        Less = "<",
        AtMost = "<=",
        Equal = "=",
        AtLeast = ">=",
        More = ">",
    }
}

impl Comparison {
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

/// The binary (postcard) form of a condition: serde's own.
#[derive(Deserialize)]
#[serde(remote = "Condition")]
enum ConditionRepr {
    Flag(bool),
    Count(Comparison, u32),
    AnyOf(Vec<String>),
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            return ConditionRepr::deserialize(d);
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
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Condition, A::Error> {
        let ids = Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Condition::AnyOf(ids))
    }
}

impl Problems {
    /// A `when` must name dimensions of the matrix, with conditions of
    /// their kind and values they have.
    fn when(&mut self, path: &str, when: &Option<When>, matrix: &Matrix) {
        let Some(when) = when else {
            return;
        };
        if when.is_empty() {
            self.push(path, "must name at least one requirement");
        }
        for (key, condition) in when {
            let place = format!("{path}.{key}");
            let Some(d) = matrix.dimension(key) else {
                let keys: Vec<&str> = matrix.dimensions.iter().map(|d| d.key.as_str()).collect();
                let keys = keys.join(", ");
                let message =
                    format!("'{key}' is not a dimension of the matrix (expected one of: {keys})");
                self.push(place, message);
                continue;
            };
            match (condition, d.kind) {
                (Condition::Flag(_), DimensionKind::Flag)
                | (Condition::Count(..), DimensionKind::Count) => {}
                (Condition::AnyOf(ids), DimensionKind::Choice | DimensionKind::Multi)
                | (Condition::AnyOf(ids), DimensionKind::Apps) => {
                    let values: Vec<&str> = match d.kind {
                        DimensionKind::Apps => matrix.apps.iter().map(|a| a.id.as_str()).collect(),
                        _ => d.values.iter().map(|v| v.id.as_str()).collect(),
                    };
                    if ids.is_empty() {
                        self.push(&place, "must list at least one value");
                    }
                    let expected = values.join(", ");
                    for id in ids.iter().filter(|id| !values.contains(&id.as_str())) {
                        let message = format!(
                            "'{id}' is not a value of '{key}' (expected one of: {expected})"
                        );
                        self.push(&place, message);
                    }
                }
                (_, kind) => {
                    let expected = match kind {
                        DimensionKind::Flag => "true or false",
                        DimensionKind::Count => "a comparison such as \">1\"",
                        _ => "a list of value ids",
                    };
                    let message =
                        format!("the condition does not fit the dimension (expected {expected})");
                    self.push(place, message);
                }
            }
        }
    }
}

impl MigrateGuide {
    /// Checks ids, texts, sources and dates, that every pitfall names a
    /// problem of `problem_ids` (the ids in problems.yaml), and that every
    /// `when` fits the dimensions of `matrix`.
    pub fn validate(&self, problem_ids: &[String], matrix: &Matrix) -> Result<(), Problems> {
        let mut p = Problems::head(self.schema_version, SCHEMA_VERSION, &self.reviewed);
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
            p.when(&format!("{sp}.when"), &s.when, matrix);
        }
        p.unique("pitfalls", "pitfall", self.pitfalls.iter().map(|x| &*x.id));
        for (i, x) in self.pitfalls.iter().enumerate() {
            if !problem_ids.contains(&x.id) {
                let message = format!("'{}' is not a problem id in problems.yaml", x.id);
                p.push(format!("pitfalls[{i}]"), message);
            }
            p.when(&format!("pitfalls[{i}] ({}).when", x.id), &x.when, matrix);
        }
        p.into_result()
    }
}
