//! The typed form of `data/check-rules.yaml` (the rules of `check`), with its
//! checks. `build.rs` embeds it as postcard: keep every attribute one a
//! non-self-describing format can carry.

use crate::validators::Problems;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The schema version this build understands.
pub const SCHEMA_VERSION: u32 = 1;

spelled! {
    /// How bad a finding is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    pub enum Severity {
        Error = "error",
        Warning = "warning",
        Info = "info",
    }
}

/// A rule case's basis: the one of every data file.
pub use crate::basis::Basis as RuleBasis;

/// The catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCatalogue {
    pub schema_version: u32,
    pub reviewed: String,
    pub rules: Vec<Rule>,
}

/// One rule, with the ids of the reference (R01 ...), or X01 ... for
/// findings about the input itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub sources: Vec<String>,
    pub cases: Vec<Case>,
    /// The date (YYYY-MM-DD) this rule was last checked against its
    /// sources, when later than the file's `reviewed` (which it inherits).
    pub reviewed: Option<String>,
}

/// One way a rule is broken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub case: String,
    pub severity: Severity,
    pub basis: RuleBasis,
    pub fix: String,
    /// What the sources leave open, said in the finding.
    pub unknown: Option<String>,
    /// The values the case checks against (keywords, paths).
    #[serde(default)]
    pub values: Vec<String>,
}

impl RuleCatalogue {
    /// The rule with this id and the case with this key.
    pub fn case(&self, id: &str, case: &str) -> Option<(&Rule, &Case)> {
        let rule = self.rules.iter().find(|r| r.id == id)?;
        let c = rule.cases.iter().find(|c| c.case == case)?;
        Some((rule, c))
    }

    /// Checks the catalogue: schema version, date, ids `R01`/`X01` style and
    /// unique, non-empty texts, https:// sources, unique case keys.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::head(self.schema_version, SCHEMA_VERSION, &self.reviewed);
        if self.rules.is_empty() {
            p.push("rules", "must list at least one rule");
        }
        let mut ids = BTreeSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let path = format!("rules[{i}] ({})", rule.id);
            let b = rule.id.as_bytes();
            if !(b.len() == 3
                && (b[0] == b'R' || b[0] == b'X')
                && b[1..].iter().all(u8::is_ascii_digit))
            {
                let message = "expected R or X and two digits, e.g. R01";
                p.push(format!("{path}.id"), message);
            }
            if !ids.insert(rule.id.as_str()) {
                p.push(format!("{path}.id"), format!("'{}' is used twice", rule.id));
            }
            p.text(&format!("{path}.title"), &rule.title);
            p.links(&format!("{path}.sources"), &rule.sources);
            p.item_date(&format!("{path}.reviewed"), rule.reviewed.as_deref());
            if rule.cases.is_empty() {
                p.push(format!("{path}.cases"), "must list at least one case");
            }
            let mut keys = BTreeSet::new();
            for (j, c) in rule.cases.iter().enumerate() {
                let cpath = format!("{path}.cases[{j}]");
                if c.case.is_empty()
                    || !c
                        .case
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                {
                    let message = format!("'{}' must be lowercase letters, digits and '-'", c.case);
                    p.push(format!("{cpath}.case"), message);
                }
                if !keys.insert(c.case.as_str()) {
                    let message = format!("'{}' is used twice", c.case);
                    p.push(format!("{cpath}.case"), message);
                }
                p.text(&format!("{cpath}.fix"), &c.fix);
                if c.unknown.as_deref().is_some_and(|u| u.trim().is_empty()) {
                    p.push(format!("{cpath}.unknown"), "must not be empty when given");
                }
                if c.values.iter().any(|v| v.trim().is_empty()) {
                    p.push(format!("{cpath}.values"), "must not hold an empty value");
                }
            }
        }
        p.into_result()
    }
}
