//! Words: a text split into raw words, compound names split into parts,
//! each word lowercased, stop words dropped, synonyms applied and stemmed
//! (`cif_data::troubleshoot::words`, which `build.rs` also indexes the
//! catalogue with), by the built-in word lists.

use crate::error::Error;
use crate::knowledge;

pub use cif_data::troubleshoot::words::*;

/// The rules of the built-in word lists (checked at build time, so this
/// fails only for a broken build).
pub fn word_rules() -> Result<WordRules, Error> {
    knowledge::troubleshoot_words().map(WordRules::new)
}
