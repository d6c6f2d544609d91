//! Words: a text split into raw words (names of several words joined),
//! compound names split into parts, each word lowercased, stop words
//! dropped, synonyms applied and stemmed (Porter2, `rust-stemmers`). The
//! word lists are data: `data/troubleshoot-words.yaml`, checked by build.rs
//! and embedded.

use crate::knowledge::WordLists;
use std::collections::{HashMap, HashSet};

/// A query word this close (normalised Damerau-Levenshtein) to a stop word
/// of five or more letters is read as that stop word ("dosent", "doesnt").
pub const STOP_WORD_TYPO: f64 = 0.8;
/// Jaro-Winkler similarity from which two words count as the same.
pub const FUZZY_THRESHOLD: f64 = 0.88;
/// The factor a weak word's weight is multiplied by.
pub const WEAK: f64 = 0.3;
/// Similarity of a name of 6+ letters found inside a longer word.
const CONTAINED: f64 = 0.75;

/// The word lists (`data/troubleshoot-words.yaml`) as rules for reading a
/// text: which words to drop, which to read as another, which to keep
/// unstemmed, which names to join. Not the requirements' `Lexicon` (the
/// matrix's names for apps and values, for `--app` and the requirement
/// flags): these are plain English words, for the search.
pub struct WordRules {
    /// Stop words and domain words.
    ignored: HashSet<String>,
    /// Stop words of five or more letters (for misspelt stop words).
    long_stop_words: Vec<String>,
    weak: HashSet<String>,
    /// Weak words and the words names are read as: kept unstemmed.
    kept: HashSet<String>,
    synonyms: HashMap<String, String>,
    names: Vec<(Vec<String>, String)>,
    versions: Vec<(String, String)>,
    stemmer: rust_stemmers::Stemmer,
}

impl WordRules {
    /// The rules of word lists `lists` (the tool's are built in:
    /// `cif_advisor::troubleshoot::word_rules`).
    pub fn new(lists: WordLists) -> WordRules {
        let stop_words = lists.stop_words;
        let long_stop_words = stop_words
            .iter()
            .filter(|s| s.len() >= 5)
            .cloned()
            .collect();
        let name_words = lists.names.iter().map(|n| n.word.clone());
        let synonyms = lists.synonyms.into_iter().flat_map(|g| {
            let canonical = g.canonical;
            g.words.into_iter().map(move |w| (w, canonical.clone()))
        });
        WordRules {
            kept: lists.weak_words.iter().cloned().chain(name_words).collect(),
            weak: lists.weak_words.into_iter().collect(),
            ignored: stop_words.into_iter().chain(lists.domain_words).collect(),
            long_stop_words,
            synonyms: synonyms.collect(),
            names: lists.names.into_iter().map(|n| (n.words, n.word)).collect(),
            versions: lists
                .versions
                .into_iter()
                .map(|v| (v.word, v.version))
                .collect(),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
        }
    }

    /// True for a normalised word that tells little about which problem it is.
    pub fn is_weak(&self, word: &str) -> bool {
        self.weak.contains(word)
    }

    /// The canonical word of a lowercase word (itself when it has none).
    pub fn synonym<'a>(&'a self, word: &'a str) -> &'a str {
        self.synonyms.get(word).map_or(word, String::as_str)
    }

    /// The version ("2.0") a canonical word ("v2") names, if any.
    pub fn version_of(&self, canonical: &str) -> Option<&str> {
        let found = self.versions.iter().find(|(w, _)| w == canonical);
        found.map(|(_, v)| v.as_str())
    }

    /// English stemming (Porter2); words with digits or `_`, and words of
    /// three letters or fewer, are kept as they are.
    pub fn stem(&self, word: &str) -> String {
        if word.len() <= 3 || word.bytes().any(|c| c.is_ascii_digit()) || word.contains('_') {
            return word.to_string();
        }
        self.stemmer.stem(word).into_owned()
    }

    /// Raw words with each name of the word lists' `names` made one word:
    /// "Copilot Service workspace" → workspace, "version 2" → v2.
    fn join_names(&self, words: Vec<String>) -> Vec<String> {
        let mut out = Vec::with_capacity(words.len());
        let mut rest = &words[..];
        while let Some(first) = rest.first() {
            let found = self.names.iter().find(|(name, _)| {
                rest.len() >= name.len()
                    && name
                        .iter()
                        .zip(rest)
                        .all(|(n, w)| w.eq_ignore_ascii_case(n))
            });
            let (word, len) = found.map_or((first, 1), |(name, word)| (word, name.len()));
            out.push(word.clone());
            rest = &rest[len..];
        }
        out
    }

    /// The words of a query or a catalogue text: raw words, names joined.
    pub fn text_words(&self, text: &str) -> Vec<String> {
        self.join_names(raw_words(text))
    }

    /// A raw word made ready for comparison, or None for a stop word or
    /// noise: lowercased, a listed word read as its canonical word, a weak
    /// word or a name's word ("workspace") kept as it is, any other stemmed
    /// (and then read as the canonical word of its stem, if listed).
    pub fn normalise(&self, word: &str) -> Option<String> {
        let lower = word.to_lowercase();
        if lower.chars().count() < 2 || self.ignored.contains(lower.as_str()) {
            return None;
        }
        // A listed word is read as its canonical word, unstemmed (Porter2
        // would make "presence" "presenc").
        if let Some(canonical) = self.synonyms.get(&lower) {
            return Some(canonical.clone());
        }
        if self.kept.contains(&lower) {
            return Some(lower);
        }
        let stemmed = self.stem(&lower);
        Some(self.synonym(&stemmed).to_string())
    }

    /// True for a query word that is no catalogue word but a misspelt stop
    /// word of five or more letters ("dosent", "dosnt", "shoud").
    pub fn is_stop_word_typo(&self, word: &str, vocabulary: &[String]) -> bool {
        word.len() >= 5
            && !vocabulary.iter().any(|v| v == word)
            && self
                .long_stop_words
                .iter()
                .any(|s| strsim::normalized_damerau_levenshtein(word, s) >= STOP_WORD_TYPO)
    }
}

/// Splits text into raw words: letters, digits and `_` (and a `.` between
/// digits, so "1.0" is one word); apostrophes are dropped (so "doesn't" is
/// one word), everything else separates.
pub fn raw_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let decimal_point = c == '.'
            && current.ends_with(|p: char| p.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit);
        if c.is_alphanumeric() || c == '_' || decimal_point {
            current.push(c);
        } else if matches!(c, '\'' | '’' | '`') {
            continue;
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The parts of a compound name: `setWidth` → set, width;
/// `msdyn_channelurl` → msdyn, channelurl; `CIFInitDone` → cif, init, done.
pub fn parts(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in word.split('_').filter(|p| !p.is_empty()) {
        let chars: Vec<char> = piece.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let boundary = i > 0
                && c.is_uppercase()
                && (chars[i - 1].is_lowercase()
                    || chars.get(i + 1).is_some_and(|n| n.is_lowercase()));
            if boundary && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    if out.len() <= 1 {
        return Vec::new();
    }
    out.into_iter().map(|p| p.to_lowercase()).collect()
}

/// How similar two normalised words are: 1 when equal, less for a close
/// spelling, 0 otherwise.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.min(lb) < 4
        || a.bytes().any(|c| c.is_ascii_digit())
        || b.bytes().any(|c| c.is_ascii_digit())
    {
        return 0.0;
    }
    // A long name inside a compound: "clicktoact" in "onclicktoact".
    let (short, long) = if la <= lb { (a, b) } else { (b, a) };
    if short.chars().count() >= 6 && long.contains(short) {
        return CONTAINED;
    }
    let jw = strsim::jaro_winkler(a, b);
    // Jaro-Winkler rewards a shared beginning; the edit distance guard keeps
    // "setmode" and "setwidth" apart while letting typos through.
    if jw >= FUZZY_THRESHOLD && strsim::normalized_damerau_levenshtein(a, b) >= 0.75 {
        0.85 * jw
    } else {
        0.0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn rules() -> &'static WordRules {
        static RULES: std::sync::OnceLock<WordRules> = std::sync::OnceLock::new();
        RULES.get_or_init(|| WordRules::new(word_lists()))
    }

    /// The word lists of `data/troubleshoot-words.yaml`.
    pub(crate) fn word_lists() -> WordLists {
        let text = include_str!("../../../../data/troubleshoot-words.yaml");
        crate::yaml::from_str_borrowed(text).expect("word lists")
    }

    #[test]
    fn words_are_split_stemmed_and_filtered() {
        assert_eq!(
            raw_words("doesn't load: msdyn_ciLibrary.js!"),
            ["doesnt", "load", "msdyn_ciLibrary", "js"]
        );
        assert_eq!(parts("setWidth"), ["set", "width"]);
        assert_eq!(parts("CIFInitDone"), ["cif", "init", "done"]);
        assert!(parts("widget").is_empty());
        assert_eq!(rules().normalise("doesnt"), None);
        assert_eq!(rules().normalise("Softphone").as_deref(), Some("widget"));
        let words: Vec<String> = rules()
            .text_words("The notifications weren't configured in Copilot Service workspace")
            .iter()
            .filter_map(|w| rules().normalise(w))
            .collect();
        assert_eq!(words, ["notif", "configur", "workspace"]);
    }

    #[test]
    fn stems_are_porter2_and_listed_words_are_not_stemmed() {
        for (word, stemmed) in [
            ("sessions", "session"),
            ("loaded", "load"),
            ("fired", "fire"),
            ("closing", "close"),
            ("process", "process"),
            ("notification", "notif"),
            ("presence", "presenc"),
            ("managed", "manag"),
            ("v2.0", "v2.0"),
            ("msdyn_ciprovider", "msdyn_ciprovider"),
            ("ids", "ids"),
        ] {
            assert_eq!(rules().stem(word), stemmed, "{word}");
        }
        // Listed words keep their canonical form, unstemmed.
        assert_eq!(rules().normalise("presence").as_deref(), Some("presence"));
        assert_eq!(rules().normalise("manager").as_deref(), Some("manager"));
        assert_eq!(rules().normalise("ended").as_deref(), Some("close"));
    }

    #[test]
    fn versions_and_names_are_one_word() {
        assert_eq!(
            raw_words("CIF 1.0 to v2.0, then setWidth(300).js"),
            ["CIF", "1.0", "to", "v2.0", "then", "setWidth", "300", "js"]
        );
        for (word, canonical) in [("1.0", "v1"), ("CIF1", "v1"), ("v2.0", "v2"), ("2.0", "v2")] {
            assert_eq!(
                rules().normalise(word).as_deref(),
                Some(canonical),
                "{word}"
            );
        }
        assert_eq!(
            rules().text_words("missing in Copilot Service workspace, version 2"),
            ["missing", "in", "workspace", "v2"]
        );
        assert_eq!(
            rules().text_words("the Customer Service workspace app"),
            ["the", "workspace", "app"]
        );
        // "Customer Service Hub" is a 1.0 host, not the workspace.
        assert_eq!(
            rules().text_words("Customer Service Hub"),
            ["Customer", "Service", "Hub"]
        );
        assert_eq!(rules().normalise("listeners").as_deref(), Some("handler"));
        assert_eq!(rules().version_of("v2"), Some("2.0"));
        assert_eq!(rules().version_of("widget"), None);
    }

    #[test]
    fn weak_words_are_canonical_and_not_ignored() {
        let weak: Vec<&String> = rules().weak.iter().collect();
        assert_eq!(weak.len(), 9);
        for w in weak {
            assert_eq!(rules().normalise(w).as_deref(), Some(w.as_str()), "{w}");
        }
        assert!(rules().is_weak(&rules().normalise("softphone").expect("word")));
        assert!(!rules().is_weak("visible"));
    }

    #[test]
    fn close_spellings_match_but_different_names_do_not() {
        assert!(similarity("notifcation", "notification") > 0.0);
        assert!(similarity("presense", "presence") > 0.0);
        assert_eq!(similarity("setmode", "setwidth"), 0.0);
        assert_eq!(similarity("call", "cell"), 0.0);
    }

    #[test]
    fn misspelt_stop_words_are_dropped_but_catalogue_words_kept() {
        let vocabulary = vec!["widget".to_string()];
        assert!(rules().is_stop_word_typo("dosent", &vocabulary));
        assert!(rules().is_stop_word_typo("dosnt", &vocabulary));
        assert!(!rules().is_stop_word_typo("widget", &vocabulary));
        assert!(!rules().is_stop_word_typo("setmode", &vocabulary));
        assert!(!rules().is_stop_word_typo("hom", &vocabulary));
    }
}
