//! `data/problems.yaml`: the known problems and their fixes.

use super::{Basis, SCHEMA_VERSION};
use crate::validators::Problems;
use serde::{Deserialize, Serialize};

/// The catalogue of known problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemCatalogue {
    pub schema_version: u32,
    pub reviewed: String,
    pub problems: Vec<Problem>,
}

spelled! {
    /// Where a problem shows up.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Category {
        Configuration = "configuration",
        Migration = "migration",
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
    pub reviewed: Option<String>,
}

impl ProblemCatalogue {
    /// Checks ids, texts, sources, versions and dates.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::head(self.schema_version, SCHEMA_VERSION, &self.reviewed);
        if self.problems.is_empty() {
            p.push("problems", "must list at least one problem");
        }
        // Ids are typed by users in any case, so they must differ ignoring case.
        let lower: Vec<String> = self
            .problems
            .iter()
            .map(|x| x.id.to_ascii_lowercase())
            .collect();
        let what = "problem id (ignoring case)";
        p.unique("problems", what, lower.iter().map(String::as_str));
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
