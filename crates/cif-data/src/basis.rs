//! How a fact is known, in every data file (the matrix, the catalogues and
//! the rules of `check`).

use serde::{Deserialize, Serialize};

/// How a fact is known: stated by its source, or the project's reading of
/// the sources. Required beside every `source` from schema version 2 of the
/// matrix, and in every catalogue entry and rule case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// The cited page states the fact (or a maintainer's answer does).
    #[default]
    Documented,
    /// No page states it; it is read from the cited pages.
    Inferred,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Documented => "documented",
            Basis::Inferred => "inferred",
        }
    }
}
