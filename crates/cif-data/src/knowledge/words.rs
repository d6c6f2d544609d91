//! `data/troubleshoot-words.yaml`: the word lists of `troubleshoot`.

use super::{KNOWN_VERSIONS, SCHEMA_VERSION};
use crate::validators::Problems;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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
            let message = format!("'{value}' can never match: a query's words are split at '{c}' (or it is dropped); write the word as the tokeniser keeps it");
            self.push(path, message);
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
        let mut p = Problems::head(self.schema_version, SCHEMA_VERSION, &self.reviewed);
        p.words("stop_words", &self.stop_words);
        p.words("domain_words", &self.domain_words);
        for (i, w) in self.domain_words.iter().enumerate() {
            if self.stop_words.contains(w) {
                let message = format!("'{w}' is also a stop word");
                p.push(format!("domain_words[{i}]"), message);
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
            let (c, path) = (g.canonical.as_str(), format!("{gp}.canonical"));
            p.word(&path, c);
            if !canonicals.insert(c) {
                p.push(&path, format!("'{c}' is the canonical word of two groups"));
            }
            if self.ignored(c) {
                p.push(&path, format!("'{c}' is also a stop or domain word"));
            }
            p.words(&format!("{gp}.words"), &g.words);
            for (wi, w) in g.words.iter().enumerate() {
                let wp = format!("{gp}.words[{wi}]");
                if self.ignored(w) {
                    p.push(wp.as_str(), format!("'{w}' is also a stop or domain word"));
                }
                let first = *read_as.entry(w.as_str()).or_insert(g.canonical.as_str());
                if first != g.canonical {
                    let message =
                        format!("'{w}' is also read as '{first}' (a word has one meaning)");
                    p.push(wp.as_str(), message);
                }
            }
        }
        read_as
    }

    /// A weak word is not ignored, and is its own canonical word.
    fn check_weak_words(&self, p: &mut Problems, read_as: &BTreeMap<&str, &str>) {
        p.words("weak_words", &self.weak_words);
        for (i, w) in self.weak_words.iter().enumerate() {
            let path = format!("weak_words[{i}]");
            if self.ignored(w) {
                p.push(&path, format!("'{w}' is also a stop or domain word"));
            }
            if let Some(c) = read_as.get(w.as_str()).filter(|c| **c != w.as_str()) {
                let message = format!("'{w}' is read as '{c}' (list the canonical word)");
                p.push(&path, message);
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
            let (w, path) = (n.word.as_str(), format!("{np}.as"));
            p.word(&path, w);
            if self.ignored(w) {
                p.push(&path, format!("'{w}' is a stop or domain word"));
            }
            if let Some(c) = read_as.get(w).filter(|c| **c != w) {
                let message = format!("'{w}' is read as '{c}' (name the canonical word)");
                p.push(&path, message);
            }
        }
    }

    /// A version word: a canonical word naming a known version, listed once.
    fn check_versions(&self, p: &mut Problems) {
        let mut seen = BTreeSet::new();
        for (i, v) in self.versions.iter().enumerate() {
            let (w, version) = (&v.word, &v.version);
            let vp = format!("versions[{i}] ({w})");
            if !self.synonyms.iter().any(|g| g.canonical == *w) {
                let message = format!("'{w}' is not a canonical word of synonyms");
                p.push(format!("{vp}.word"), message);
            }
            if !KNOWN_VERSIONS.contains(&version.as_str()) {
                let known = KNOWN_VERSIONS.join(", ");
                let message = format!("unknown version '{version}' (expected one of: {known})");
                p.push(format!("{vp}.version"), message);
            }
            if !seen.insert(w.as_str()) {
                p.push(format!("{vp}.word"), format!("'{w}' is listed twice"));
            }
        }
    }
}
