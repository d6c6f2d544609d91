//! Words: a text split into raw words (names of several words joined),
//! compound names split into parts, each word lowercased, stop words
//! dropped, synonyms applied and stemmed (Porter2, `rust-stemmers`). The
//! word lists are data: `data/troubleshoot-words.yaml`, checked by build.rs
//! and embedded.

use crate::error::CliError;
use crate::knowledge::{self, WordLists};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// A query word this close (normalised Damerau-Levenshtein) to a stop word
/// of five or more letters is read as that stop word ("dosent", "doesnt").
pub const STOP_WORD_TYPO: f64 = 0.8;
/// Jaro-Winkler similarity from which two words count as the same.
pub const FUZZY_THRESHOLD: f64 = 0.88;
/// The factor a weak word's weight is multiplied by.
pub const WEAK: f64 = 0.3;
/// Similarity of a name of 6+ letters found inside a longer word.
const CONTAINED: f64 = 0.75;

/// The word lists, indexed once per process.
pub(crate) struct Lexicon {
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

impl Lexicon {
    fn new(lists: WordLists) -> Lexicon {
        Lexicon {
            ignored: lists
                .stop_words
                .iter()
                .chain(&lists.domain_words)
                .cloned()
                .collect(),
            long_stop_words: lists
                .stop_words
                .iter()
                .filter(|s| s.len() >= 5)
                .cloned()
                .collect(),
            weak: lists.weak_words.iter().cloned().collect(),
            kept: lists
                .weak_words
                .iter()
                .chain(lists.names.iter().map(|n| &n.word))
                .cloned()
                .collect(),
            synonyms: lists
                .synonyms
                .into_iter()
                .flat_map(|g| {
                    let canonical = g.canonical;
                    g.words.into_iter().map(move |w| (w, canonical.clone()))
                })
                .collect(),
            names: lists.names.into_iter().map(|n| (n.words, n.word)).collect(),
            versions: lists
                .versions
                .into_iter()
                .map(|v| (v.word, v.version))
                .collect(),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
        }
    }
}

fn empty_lists() -> WordLists {
    WordLists {
        schema_version: knowledge::SCHEMA_VERSION,
        reviewed: String::new(),
        stop_words: Vec::new(),
        domain_words: Vec::new(),
        synonyms: Vec::new(),
        weak_words: Vec::new(),
        names: Vec::new(),
        versions: Vec::new(),
    }
}

/// The built-in word lists, decoded once per process (or why they cannot be).
fn loaded() -> &'static Result<Lexicon, String> {
    static LEXICON: OnceLock<Result<Lexicon, String>> = OnceLock::new();
    LEXICON.get_or_init(|| match knowledge::troubleshoot_words() {
        Ok(lists) => Ok(Lexicon::new(lists)),
        Err(CliError::BuiltIn(what)) => Err(what),
        Err(e) => Err(e.to_string()),
    })
}

/// The built-in word lists, or the error that they cannot be read (they
/// are checked at build time, so this fails only for a broken build).
/// `answer` asks this before it searches, so that a search has the real lists.
pub(crate) fn ready() -> Result<(), CliError> {
    match loaded() {
        Ok(_) => Ok(()),
        Err(e) => Err(CliError::BuiltIn(e.clone())),
    }
}

/// The built-in word lists; empty lists if they cannot be read (see
/// [`ready`]), so a search never panics.
pub(crate) fn lexicon() -> &'static Lexicon {
    static EMPTY: OnceLock<Lexicon> = OnceLock::new();
    match loaded() {
        Ok(lexicon) => lexicon,
        Err(_) => EMPTY.get_or_init(|| Lexicon::new(empty_lists())),
    }
}

/// True for a normalised word that tells little about which problem it is.
pub(crate) fn is_weak(word: &str) -> bool {
    lexicon().weak.contains(word)
}

/// The canonical word of a lowercase word (itself when it has none).
pub(crate) fn synonym(word: &str) -> &str {
    lexicon()
        .synonyms
        .get(word)
        .map(String::as_str)
        .unwrap_or(word)
}

/// The version ("2.0") a canonical word ("v2") names, if any.
pub(crate) fn version_of(canonical: &str) -> Option<&'static str> {
    lexicon()
        .versions
        .iter()
        .find(|(w, _)| w == canonical)
        .map(|(_, v)| v.as_str())
}

/// English stemming (Porter2); words with digits or `_`, and words of
/// three letters or fewer, are kept as they are.
pub(crate) fn stem(word: &str) -> String {
    if word.len() <= 3 || word.bytes().any(|c| c.is_ascii_digit()) || word.contains('_') {
        return word.to_string();
    }
    lexicon().stemmer.stem(word).into_owned()
}

/// Splits text into raw words: letters, digits and `_` (and a `.` between
/// digits, so "1.0" is one word); apostrophes are dropped (so "doesn't" is
/// one word), everything else separates.
pub(crate) fn raw_words(text: &str) -> Vec<String> {
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

/// Raw words with each name of the word lists' `names` made one word:
/// "Copilot Service workspace" → workspace, "version 2" → v2.
fn names(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let found = lexicon().names.iter().find(|(name, _)| {
            words.len() - i >= name.len()
                && name
                    .iter()
                    .zip(&words[i..])
                    .all(|(n, w)| w.eq_ignore_ascii_case(n))
        });
        match found {
            Some((name, word)) => {
                out.push(word.clone());
                i += name.len();
            }
            None => {
                out.push(words[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// The words of a query or a catalogue text: raw words, names joined.
pub(crate) fn text_words(text: &str) -> Vec<String> {
    names(raw_words(text))
}

/// The parts of a compound name: `setWidth` → set, width;
/// `msdyn_channelurl` → msdyn, channelurl; `CIFInitDone` → cif, init, done.
pub(crate) fn parts(word: &str) -> Vec<String> {
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

/// A raw word made ready for comparison, or None for a stop word or noise:
/// lowercased, a listed word read as its canonical word, a weak word or a
/// name's word ("workspace") kept as it is, any other stemmed
/// (and then read as the canonical word of its stem, if listed).
pub(crate) fn normalise(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if lower.chars().count() < 2 || lexicon().ignored.contains(lower.as_str()) {
        return None;
    }
    // A listed word is read as its canonical word, unstemmed (Porter2 would
    // make "presence" "presenc").
    if let Some(canonical) = lexicon().synonyms.get(&lower) {
        return Some(canonical.clone());
    }
    if lexicon().kept.contains(&lower) {
        return Some(lower);
    }
    let stemmed = stem(&lower);
    Some(synonym(&stemmed).to_string())
}

/// True for a query word that is no catalogue word but a misspelt stop
/// word of five or more letters ("dosent", "dosnt", "shoud").
pub(crate) fn is_stop_word_typo(word: &str, vocabulary: &[String]) -> bool {
    word.len() >= 5
        && !vocabulary.iter().any(|v| v == word)
        && lexicon()
            .long_stop_words
            .iter()
            .any(|s| strsim::normalized_damerau_levenshtein(word, s) >= STOP_WORD_TYPO)
}

/// How similar two normalised words are: 1 when equal, less for a close
/// spelling, 0 otherwise.
pub(crate) fn similarity(a: &str, b: &str) -> f64 {
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
mod tests {
    use super::*;

    #[test]
    fn words_are_split_stemmed_and_filtered() {
        assert_eq!(
            raw_words("doesn't load: msdyn_ciLibrary.js!"),
            ["doesnt", "load", "msdyn_ciLibrary", "js"]
        );
        assert_eq!(parts("setWidth"), ["set", "width"]);
        assert_eq!(parts("CIFInitDone"), ["cif", "init", "done"]);
        assert!(parts("widget").is_empty());
        assert_eq!(normalise("doesnt"), None);
        assert_eq!(normalise("Softphone").as_deref(), Some("widget"));
        let words: Vec<String> =
            text_words("The notifications weren't configured in Copilot Service workspace")
                .iter()
                .filter_map(|w| normalise(w))
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
            assert_eq!(stem(word), stemmed, "{word}");
        }
        // Listed words keep their canonical form, unstemmed.
        assert_eq!(normalise("presence").as_deref(), Some("presence"));
        assert_eq!(normalise("manager").as_deref(), Some("manager"));
        assert_eq!(normalise("ended").as_deref(), Some("close"));
    }

    #[test]
    fn versions_and_names_are_one_word() {
        assert_eq!(
            raw_words("CIF 1.0 to v2.0, then setWidth(300).js"),
            ["CIF", "1.0", "to", "v2.0", "then", "setWidth", "300", "js"]
        );
        for (word, canonical) in [("1.0", "v1"), ("CIF1", "v1"), ("v2.0", "v2"), ("2.0", "v2")] {
            assert_eq!(normalise(word).as_deref(), Some(canonical), "{word}");
        }
        assert_eq!(
            text_words("missing in Copilot Service workspace, version 2"),
            ["missing", "in", "workspace", "v2"]
        );
        assert_eq!(
            text_words("the Customer Service workspace app"),
            ["the", "workspace", "app"]
        );
        // "Customer Service Hub" is a 1.0 host, not the workspace.
        assert_eq!(
            text_words("Customer Service Hub"),
            ["Customer", "Service", "Hub"]
        );
        assert_eq!(normalise("listeners").as_deref(), Some("handler"));
        assert_eq!(version_of("v2"), Some("2.0"));
        assert_eq!(version_of("widget"), None);
    }

    #[test]
    fn weak_words_are_canonical_and_not_ignored() {
        let weak: Vec<&String> = lexicon().weak.iter().collect();
        assert_eq!(weak.len(), 9);
        for w in weak {
            assert_eq!(normalise(w).as_deref(), Some(w.as_str()), "{w}");
        }
        assert!(is_weak(&normalise("softphone").expect("word")));
        assert!(!is_weak("visible"));
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
        assert!(is_stop_word_typo("dosent", &vocabulary));
        assert!(is_stop_word_typo("dosnt", &vocabulary));
        assert!(!is_stop_word_typo("widget", &vocabulary));
        assert!(!is_stop_word_typo("setmode", &vocabulary));
        assert!(!is_stop_word_typo("hom", &vocabulary));
    }
}
