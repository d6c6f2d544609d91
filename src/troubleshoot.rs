//! `cif-advisor troubleshoot`: a pasted error message or a described symptom,
//! matched against the catalogue of known problems (`data/problems.yaml`).
//!
//! Matching, in order:
//! 1. A problem id (`C5`, any case) shows that problem.
//! 2. An entry's exact error text wins outright: the query contains it, or
//!    (for a query of at least two words and 16 characters) it contains the
//!    query. Case, punctuation and apostrophes are ignored, and a word of
//!    four or more letters may be misspelt (one in three words).
//! 3. Otherwise the words of the query are scored against each entry's
//!    title, symptoms, keywords and errors. Words are lowercased, stop words
//!    and words every CIF question shares ("cif", "not", "does") are
//!    dropped, a light stemmer and a short list of general synonyms
//!    ("softphone" = "widget", "refused" = "fail", "1.0" = "cif1" = "v1")
//!    are applied, names of several words count as one ("Copilot Service
//!    workspace" = "Customer Service workspace" = "workspace"), and compound
//!    names also count by their parts (`setWidth` → set, width). Close
//!    spellings count: Jaro-Winkler ≥ [`FUZZY_THRESHOLD`] with a
//!    Damerau-Levenshtein guard (words of 4+ letters), or a name of 6+
//!    letters inside a longer one.
//!
//!    Each query word weighs by how rare it is in the catalogue (a word no
//!    entry knows weighs 1); words that fit any CIF problem ("widget",
//!    "app", "code", "phone", "agent", …) weigh [`WEAK`] times as much. An
//!    entry's score mixes the weighted share of the query it covers
//!    ([`QUERY_SHARE`]) with the share of its best-covered phrase (title, a
//!    symptom or an error). A query that names one version ("CIF 2.0",
//!    "v1") scores the other version's configuration problems lower
//!    ([`OTHER_VERSION`]); migration pitfalls concern both versions. A match
//!    needs two telling (not weak) words in common, or one strong word (a
//!    code name or a one-word keyword); a score of at least [`MIN_SCORE`];
//!    matched weight of at least [`MIN_WEIGHT`]; and half the best score.
//!    At most [`MAX_MATCHES`] are shown.
//!
//!    A word match on thin evidence has its score multiplied by
//!    [`THIN_EVIDENCE`]: full evidence is a matched weight of
//!    [`FULL_EVIDENCE_WEIGHT`] or a cover of [`FULL_EVIDENCE_COVER`] of one
//!    phrase (the thresholds above apply before it). An API or code name
//!    typed as the catalogue has it (`setMode`, also lower case) weighs
//!    [`CODE_NAME`] times as much as another word as rare, so it carries a
//!    query full of typos; a misspelt stop word ("dosent") is dropped.
//!
//!    One measure is shown: the fit, banded from the score. `exact` for an
//!    id or error match (score 1), `good` for a word match from
//!    [`GOOD_FIT`], `weak` below (a possible match: check that the symptom
//!    fits). When nothing matches at all, the exit code is 3 and the answer
//!    says what to check first.
//!
//! `--format json` prints one object:
//!
//! ```json
//! {
//!   "query": "setWidth is ignored",
//!   "version": null,
//!   "matches": [
//!     {"id": "C7", "title": "setWidth has no effect", "score": 1.0,
//!      "versions": ["1.0", "2.0"], "fix": ["..."], "basis": "documented",
//!      "sources": ["https://..."], "matched": "symptom",
//!      "fit": "good"}
//!   ]
//! }
//! ```
//!
//! `version` is the `--version` filter or null; `score` is 0–1 (1 for an
//! error or id match); `basis` is "documented" or "inferred" (advice, not a
//! Microsoft statement); `matched` is "error" (exact error text), "symptom"
//! (word match) or "id" (the query was a problem id); `fit` is "exact",
//! "good" or "weak" (the score, banded: see above). When nothing matches,
//! `matches` is empty, the object also has `next_steps` (what to check
//! first), and the exit code is 3.
//! `--list --format json` prints
//! `{"version", "problems": [{"id", "category", "versions", "title"}]}`.

use crate::cli::{TextFormat, TroubleshootArgs};
use crate::commands::Context;
use crate::error::CliError;
use crate::exit::ExitCode;
use crate::knowledge::{self, basis_label, styled, wrap, Problem, ProblemCatalogue};
use crate::output::{self, Styles};
use crate::render::json;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write;

/// The lowest score (0–1, see the module documentation) a word match needs.
pub const MIN_SCORE: f64 = 0.3;
/// The lowest matched weight a word match needs (one rare word, or several
/// common ones): a lone common word such as "widget" is too vague.
pub const MIN_WEIGHT: f64 = 2.0;
/// How much the share of the query covered counts in a score; the rest is
/// the share of the entry's best-covered phrase (title, symptom or error).
pub const QUERY_SHARE: f64 = 0.6;
/// Phrases lighter than this count as if they weighed this much.
pub const MIN_PHRASE_WEIGHT: f64 = 4.0;
/// Score factor for a problem of another version than the one the query names.
pub const OTHER_VERSION: f64 = 0.8;
/// A word match is a good fit from this score up, a weak fit below it.
pub const GOOD_FIT: f64 = 0.5;
/// The evidence behind a word match is full when its matched weight is at
/// least this (two rare words, or three or four common ones)…
pub const FULL_EVIDENCE_WEIGHT: f64 = 6.0;
/// …or when the query covers at least this share of one of its phrases.
pub const FULL_EVIDENCE_COVER: f64 = 0.8;
/// The factor a word match's score is multiplied by when its evidence is
/// not full (a few common words): it then reads as a weak fit unless its
/// words fit almost entirely.
pub const THIN_EVIDENCE: f64 = 0.55;
/// An API or code name typed exactly as the catalogue has it (`setMode`,
/// `msdyn_channelurl`, also in lower case) weighs this many times a word
/// as rare: it names the problem more surely than any prose around it,
/// typos included.
pub const CODE_NAME: f64 = 3.0;
/// A query word this close (normalised Damerau-Levenshtein) to a stop word
/// of five or more letters is read as that stop word ("dosent", "doesnt").
pub const STOP_WORD_TYPO: f64 = 0.8;
/// At most this many matches are shown.
pub const MAX_MATCHES: usize = 3;
/// Jaro-Winkler similarity from which two words count as the same.
pub const FUZZY_THRESHOLD: f64 = 0.88;

/// How a problem was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchedOn {
    /// The query was the problem's id.
    Id,
    /// The query contains (or is part of) one of the problem's error texts.
    Error,
    /// The query's words match the problem's title, symptoms, keywords or errors.
    Symptom,
}

/// How well a match fits: the one measure shown, banded from the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fit {
    /// The query was the problem's id, or contains its exact error text
    /// (score 1).
    Exact,
    /// A word match scoring at least [`GOOD_FIT`].
    Good,
    /// A word match scoring less: a few common words, or a small part of
    /// the query and of every symptom. Check that the symptom fits.
    Weak,
}

impl Fit {
    /// The band of a word match's score.
    pub fn of_score(score: f64) -> Fit {
        if score >= GOOD_FIT {
            Fit::Good
        } else {
            Fit::Weak
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Fit::Exact => "exact",
            Fit::Good => "good",
            Fit::Weak => "weak",
        }
    }
}

/// One ranked match.
#[derive(Debug, Clone)]
pub struct Match<'a> {
    pub problem: &'a Problem,
    /// 0–1; 1 for an id or error match.
    pub score: f64,
    pub matched: MatchedOn,
    pub fit: Fit,
}

// ----------------------------------------------------------------- words

/// Words that carry no meaning for matching (after apostrophes are dropped).
const STOP_WORDS: &str = "\
    a about after again aint all also am an and any anymore anything are arent as at be \
    been before being but by can cannot cant could couldnt did didnt do does doesnt \
    doing done dont each even every everything for from get gets getting got had hadnt \
    has hasnt have havent having he help her here his how i id if im in into is isnt \
    issue issues it its ive just keep keeps like make makes making many may me might \
    more most much must my no none nor not now of off on once only onto or our out over \
    please problem problems really seem seems seemed shall she should shouldnt so some \
    something still that thats the their them then there theres these they thing things \
    this those to too try tried tries trying under until up us use used uses using very \
    was wasnt way we were werent what when where which while who whom whose why will \
    with without wont work worked working works would wouldnt you your";

/// Words every CIF question shares: they tell no problem from another.
const DOMAIN_WORDS: &str = "microsoft dynamics d365 365 crm cif ciframework framework integration";

/// General equivalences: each word on the right is read as the word on the
/// left, in queries and in the catalogue alike.
const SYNONYMS: &[(&str, &str)] = &[
    (
        "widget",
        "softphone widget widgets panel panels sidebar sidepanel cti",
    ),
    (
        "visible",
        "visible invisible visibility appear appears appeared appearing show shows showed \
         showing shown display displays displayed displaying missing disappear disappears \
         disappeared vanish vanished vanishes see sees seen hidden hide hides",
    ),
    ("blank", "blank white grey gray"),
    (
        "fail",
        "fail fails failed failing failure failures error errors broken break breaks \
         broke rejected refuse refuses refused deny denies denied decline declined",
    ),
    ("noeffect", "nothing ignored ignores effect"),
    (
        "login",
        "login logon signin sign signon authentication authenticate auth sso",
    ),
    ("popup", "popup popups pop"),
    (
        "switch",
        "switch switches switched switching flip flips flipped",
    ),
    (
        "close",
        "close closes closed closing terminate terminates terminated",
    ),
    (
        "microphone",
        "mic mics microphone microphones headset audio speaker speakers",
    ),
    (
        "permission",
        "permission permissions prompt prompts prompted",
    ),
    (
        "call",
        "call calls dial dials dialing dialling dialed dialled",
    ),
    (
        "agent",
        "agent agents user users rep reps representative representatives",
    ),
    (
        "admin",
        "admin admins administrator administrators sysadmin sysadmins",
    ),
    ("url", "url urls link links address addresses"),
    (
        "timeout",
        "timeout timeouts time times timed hang hangs hanging stuck freeze freezes frozen",
    ),
    (
        "width",
        "width narrow narrower wide wider resize resized resizing size",
    ),
    ("presence", "presence status availability"),
    (
        "deploy",
        "deploy deploys deployed deploying deployment deployments",
    ),
    (
        "change",
        "change changes changed changing reset resets overwrite overwrites overwritten \
         overwriting overwrote revert reverts reverted",
    ),
    (
        "guide",
        "guide guides tutorial tutorials blog blogs instructions walkthrough",
    ),
    (
        "removed",
        "removed retired retire retirement deprecated gone discontinued sunset",
    ),
    (
        "migrate",
        "migrate migrates migrated migrating migration upgrade upgraded upgrading",
    ),
    ("find", "find finds found locate located"),
    // Version names: "1.0", "v1", "cif1" (and "version 1", see `names`).
    ("v1", "v1 v1.0 cif1 cifv1 1.0"),
    ("v2", "v2 v2.0 cif2 cifv2 2.0"),
    (
        "handler",
        "handler handlers listener listeners listen listens listening subscribe subscribes",
    ),
];

/// Words (after normalisation) that every kind of CIF problem shares: they
/// count [`WEAK`] times their weight, are never strong evidence on their
/// own, and a match needs more than these in common.
const WEAK_WORDS: &str = "widget app code example sample phone telephony system agent";

/// The factor a weak word's weight is multiplied by.
pub const WEAK: f64 = 0.3;

/// Names of several words read as one word (lowercase raw words): the
/// workspace has had two names, and a version can be written as two words.
const NAMES: &[(&[&str], &str)] = &[
    (&["copilot", "service", "workspace"], "workspace"),
    (&["customer", "service", "workspace"], "workspace"),
    (&["version", "1"], "v1"),
    (&["version", "2"], "v2"),
    (&["cif", "1"], "v1"),
    (&["cif", "2"], "v2"),
    // A host of its own (no entry is about it): one word, not "service".
    (&["unified", "service", "desk"], "usd"),
];

/// The word lists, indexed once per run.
struct Lexicon {
    ignored: std::collections::HashSet<&'static str>,
    weak: std::collections::HashSet<&'static str>,
    synonyms: std::collections::HashMap<&'static str, &'static str>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    LEXICON.get_or_init(|| Lexicon {
        ignored: STOP_WORDS
            .split_whitespace()
            .chain(DOMAIN_WORDS.split_whitespace())
            .collect(),
        weak: WEAK_WORDS.split_whitespace().collect(),
        synonyms: SYNONYMS
            .iter()
            .flat_map(|(canonical, words)| words.split_whitespace().map(move |w| (w, *canonical)))
            .collect(),
    })
}

/// True for a normalised word that tells little about which problem it is.
fn is_weak(word: &str) -> bool {
    lexicon().weak.contains(word)
}

fn synonym(word: &str) -> &str {
    lexicon().synonyms.get(word).copied().unwrap_or(word)
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// How many runs of vowels a word has (Porter's measure, roughly).
fn vowel_groups(word: &[u8]) -> usize {
    let mut groups = 0;
    let mut in_vowels = false;
    for &c in word {
        let v = is_vowel(c);
        if v && !in_vowels {
            groups += 1;
        }
        in_vowels = v;
    }
    groups
}

/// A light English stemmer (Porter's step 1a and 1b, simplified).
fn stem(word: &str) -> String {
    let w = word;
    if w.len() <= 3 || w.bytes().any(|c| c.is_ascii_digit()) || w.contains('_') {
        return w.to_string();
    }
    let mut s = if let Some(b) = w.strip_suffix("sses") {
        format!("{b}ss")
    } else if let Some(b) = w.strip_suffix("ies") {
        format!("{b}y")
    } else if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        w.to_string()
    } else if let Some(b) = w.strip_suffix('s') {
        b.to_string()
    } else {
        w.to_string()
    };
    let base = s
        .strip_suffix("ing")
        .or_else(|| s.strip_suffix("ed"))
        .filter(|b| b.len() >= 3 && b.bytes().any(is_vowel))
        .map(str::to_string);
    if let Some(b) = base {
        let bytes = b.as_bytes();
        let n = bytes.len();
        s = if b.ends_with("at") || b.ends_with("bl") || b.ends_with("iz") {
            format!("{b}e")
        } else if n >= 2
            && bytes[n - 1].is_ascii()
            && bytes[n - 1] == bytes[n - 2]
            && !is_vowel(bytes[n - 1])
            && !matches!(bytes[n - 1], b'l' | b's' | b'z')
        {
            b[..n - 1].to_string()
        } else if n >= 3
            && vowel_groups(bytes) == 1
            && !is_vowel(bytes[n - 3])
            && is_vowel(bytes[n - 2])
            && !is_vowel(bytes[n - 1])
            && !matches!(bytes[n - 1], b'w' | b'x' | b'y')
        {
            // A short stem ending consonant-vowel-consonant: "clos" → "close".
            format!("{b}e")
        } else {
            b
        };
    }
    s
}

/// Splits text into raw words: letters, digits and `_` (and a `.` between
/// digits, so "1.0" is one word); apostrophes are dropped (so "doesn't" is
/// one word), everything else separates.
fn raw_words(text: &str) -> Vec<String> {
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

/// Raw words with each name of [`NAMES`] made one word:
/// "Copilot Service workspace" → workspace, "version 2" → v2.
fn names(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let found = NAMES.iter().find(|(name, _)| {
            words.len() - i >= name.len()
                && name
                    .iter()
                    .zip(&words[i..])
                    .all(|(n, w)| w.eq_ignore_ascii_case(n))
        });
        match found {
            Some((name, word)) => {
                out.push((*word).to_string());
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
fn text_words(text: &str) -> Vec<String> {
    names(raw_words(text))
}

/// The parts of a compound name: `setWidth` → set, width;
/// `msdyn_channelurl` → msdyn, channelurl; `CIFInitDone` → cif, init, done.
fn parts(word: &str) -> Vec<String> {
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

/// A raw word made ready for comparison, or None for a stop word or noise.
fn normalise(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if lower.chars().count() < 2 || lexicon().ignored.contains(lower.as_str()) {
        return None;
    }
    let canonical = synonym(&lower);
    if canonical != lower {
        return Some(canonical.to_string());
    }
    let stemmed = stem(&lower);
    Some(synonym(&stemmed).to_string())
}

/// True for a query word that is no catalogue word but a misspelt stop
/// word of five or more letters ("dosent", "dosnt", "shoud").
fn is_stop_word_typo(word: &str, vocabulary: &[String]) -> bool {
    word.len() >= 5
        && !vocabulary.iter().any(|v| v == word)
        && STOP_WORDS
            .split_whitespace()
            .filter(|s| s.len() >= 5)
            .any(|s| strsim::normalized_damerau_levenshtein(word, s) >= STOP_WORD_TYPO)
}

/// How similar two normalised words are: 1 when equal, less for a close
/// spelling, 0 otherwise.
fn similarity(a: &str, b: &str) -> f64 {
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

// ----------------------------------------------------------------- index

/// Field weights: how much a word found in each part of an entry counts.
const TITLE: f64 = 1.0;
const SYMPTOM: f64 = 1.0;
const ERROR: f64 = 1.0;
const KEYWORD: f64 = 0.9;
/// Similarity of a name of 6+ letters found inside a longer word.
const CONTAINED: f64 = 0.75;
/// A part of a compound name (`width` of `setWidth`) counts less than the name.
const PART: f64 = 0.7;

/// A word of an entry: its place in the vocabulary, its weight (the best
/// field it is in) and whether it is strong evidence on its own: a word of
/// the title, a code name, or a one-word keyword (rather than a word of a
/// symptom's prose).
struct Word {
    id: usize,
    weight: f64,
    strong: bool,
    /// Written as a code name (`setMode`) somewhere in the entry.
    code: bool,
}

/// True for a raw word written like a code name: `setWidth`,
/// `msdyn_channelurl`, `CIFInitDone`.
fn is_code_name(raw: &str) -> bool {
    raw.contains('_') || raw.chars().skip(1).any(char::is_uppercase)
}

/// One entry's words, and its phrases (title, each symptom, each error) as
/// lists of vocabulary ids.
struct Entry {
    words: Vec<Word>,
    phrases: Vec<Vec<usize>>,
}

/// The catalogue's words: every distinct normalised word once, each entry
/// as references into it, and how many entries use each word.
struct Index {
    vocabulary: Vec<String>,
    entries: Vec<Entry>,
    entry_count: Vec<usize>,
}

impl Index {
    fn new(catalogue: &ProblemCatalogue) -> Index {
        let mut vocabulary: Vec<String> = Vec::new();
        let mut ids: std::collections::HashMap<String, usize> = Default::default();
        let mut entries = Vec::new();
        for p in &catalogue.problems {
            let mut words: Vec<Word> = Vec::new();
            let mut phrases = Vec::new();
            let fields: [(&[String], f64); 4] = [
                (std::slice::from_ref(&p.title), TITLE),
                (&p.symptoms, SYMPTOM),
                (&p.errors, ERROR),
                (&p.keywords, KEYWORD),
            ];
            for (i, (texts, weight)) in fields.into_iter().enumerate() {
                let is_keyword = i == 3;
                for text in texts {
                    let raws = text_words(text);
                    // A one-word keyword is a name (AppSource, ucilib, ...).
                    let single = raws.len() == 1;
                    let mut phrase: Vec<usize> = Vec::new();
                    let mut add = |w: String, weight: f64, strong: bool, code: bool| {
                        let next = vocabulary.len();
                        let id = *ids.entry(w.clone()).or_insert(next);
                        if id == next {
                            vocabulary.push(w);
                        }
                        match words.iter_mut().find(|x| x.id == id) {
                            Some(x) => {
                                x.weight = x.weight.max(weight);
                                x.strong |= strong;
                                x.code |= code;
                            }
                            None => words.push(Word {
                                id,
                                weight,
                                strong,
                                code,
                            }),
                        }
                        id
                    };
                    for raw in &raws {
                        if let Some(w) = normalise(raw) {
                            let code = !is_weak(&w) && is_code_name(raw);
                            let strong = code || (!is_weak(&w) && is_keyword && single);
                            let id = add(w, weight, strong, code);
                            if !phrase.contains(&id) {
                                phrase.push(id);
                            }
                        }
                        for part in parts(raw) {
                            if let Some(w) = normalise(&part) {
                                add(w, weight * PART, false, false);
                            }
                        }
                    }
                    // Keywords are names, not descriptions.
                    if !is_keyword && !phrase.is_empty() {
                        phrases.push(phrase);
                    }
                }
            }
            entries.push(Entry { words, phrases });
        }
        let mut entry_count = vec![0; vocabulary.len()];
        for e in &entries {
            for w in &e.words {
                entry_count[w.id] += 1;
            }
        }
        Index {
            vocabulary,
            entries,
            entry_count,
        }
    }
}

impl Entry {
    /// How well the query word with similarities `sims` (one per vocabulary
    /// word) is found in this entry (0 when not at all), and whether it was
    /// found as a strong word.
    fn find(&self, sims: &[f64]) -> (f64, bool) {
        self.words
            .iter()
            .map(|w| (w.weight * sims[w.id], w.strong))
            .fold((0.0, false), |best, x| if x.0 > best.0 { x } else { best })
    }
}

/// Lowercase, apostrophes dropped, other punctuation as spaces, spaces
/// collapsed: the form error texts are compared in.
fn error_form(text: &str) -> String {
    raw_words(text)
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when `query` and the error text `error` (both in `error_form`) are
/// the same message: one contains the other (the error the query, or, for
/// a query of at least two words and 16 characters, the query the error),
/// word for word, a word of four or more letters also in a close spelling
/// (a typo: "defind", "recognized"), at most one such word in three.
fn error_matches(query: &str, error: &str) -> bool {
    if error.is_empty() || query.is_empty() {
        return false;
    }
    let q: Vec<&str> = query.split(' ').collect();
    let e: Vec<&str> = error.split(' ').collect();
    let long_query = query.len() >= 16 && q.len() >= 2;
    contains_words(&q, &e) || (long_query && contains_words(&e, &q))
}

/// True when `needle` occurs in `haystack` as consecutive words, each the
/// same or a close spelling, with at most one close spelling in three words.
fn contains_words(haystack: &[&str], needle: &[&str]) -> bool {
    if needle.len() > haystack.len() {
        return false;
    }
    let allowed = needle.len() / 3;
    haystack.windows(needle.len()).any(|window| {
        let mut typos = 0;
        window.iter().zip(needle).all(|(h, n)| {
            if h == n {
                true
            } else if typos < allowed
                && !h.bytes().any(|c| c.is_ascii_digit())
                && similarity(h, n) > 0.0
            {
                typos += 1;
                true
            } else {
                false
            }
        })
    })
}

/// The one framework version the query names ("CIF 2.0", "v2", "cif1",
/// "version 1"), if it names exactly one.
fn version_hint(query: &str) -> Option<String> {
    let found: BTreeSet<&str> = text_words(query)
        .iter()
        .filter_map(|w| match synonym(&w.to_lowercase()) {
            "v1" => Some("1.0"),
            "v2" => Some("2.0"),
            _ => None,
        })
        .collect();
    match found.len() {
        1 => found.into_iter().next().map(str::to_string),
        _ => None,
    }
}

/// A problem id given as the whole query, e.g. "c5".
pub fn find_by_id<'a>(catalogue: &'a ProblemCatalogue, query: &str) -> Option<&'a Problem> {
    let q = query.trim();
    catalogue
        .problems
        .iter()
        .find(|p| p.id.eq_ignore_ascii_case(q))
}

/// Ranks the problems (those that apply to `version`, when given) for
/// `query`: error matches win outright; otherwise word matches above the
/// thresholds, best first, at most [`MAX_MATCHES`].
pub fn search<'a>(
    catalogue: &'a ProblemCatalogue,
    query: &str,
    version: Option<&str>,
) -> Vec<Match<'a>> {
    let candidates: Vec<&Problem> = catalogue
        .problems
        .iter()
        .filter(|p| version.is_none_or(|v| p.versions.iter().any(|x| x == v)))
        .collect();

    let q_error = error_form(query);
    let exact: Vec<Match<'a>> = candidates
        .iter()
        .filter(|p| {
            p.errors
                .iter()
                .any(|e| error_matches(&q_error, &error_form(e)))
        })
        .map(|p| Match {
            problem: p,
            score: 1.0,
            matched: MatchedOn::Error,
            fit: Fit::Exact,
        })
        .take(MAX_MATCHES)
        .collect();
    if !exact.is_empty() {
        return exact;
    }

    // Query words, each once; a misspelt stop word ("dosent") is dropped.
    let index = Index::new(catalogue);
    let mut seen = BTreeSet::new();
    let words: Vec<String> = text_words(query)
        .iter()
        .filter_map(|w| normalise(w))
        .filter(|w| !is_stop_word_typo(w, &index.vocabulary))
        .filter(|w| seen.insert(w.clone()))
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    // Each query word against each catalogue word, once.
    let sims: Vec<Vec<f64>> = words
        .iter()
        .map(|w| index.vocabulary.iter().map(|v| similarity(w, v)).collect())
        .collect();
    // Rarity is measured over the whole catalogue, so a filter does not
    // change what a word is worth. Weak words count WEAK times as much.
    let n = index.entries.len() as f64;
    let weak_factor = |word: &str| if is_weak(word) { WEAK } else { 1.0 };
    let weights: Vec<f64> = sims
        .iter()
        .zip(&words)
        .map(|(s, w)| {
            let df = index.entries.iter().filter(|e| e.find(s).0 > 0.0).count();
            let rarity = if df == 0 {
                1.0
            } else {
                libm::log(1.0 + n / df as f64)
            };
            // An API or code name, exactly: the strongest evidence there is.
            let code = index
                .entries
                .iter()
                .any(|e| e.words.iter().any(|x| x.code && s[x.id] >= 1.0));
            rarity * weak_factor(w) * if code { CODE_NAME } else { 1.0 }
        })
        .collect();
    let total: f64 = weights.iter().sum();
    // The weight of a catalogue word, by how many entries use it.
    let rarity = |id: usize| {
        libm::log(1.0 + n / index.entry_count[id].max(1) as f64)
            * weak_factor(&index.vocabulary[id])
    };
    // How much of an entry's best phrase the query covers.
    let phrase_cover = |e: &Entry| {
        e.phrases
            .iter()
            .map(|phrase| {
                let (mut found, mut all) = (0.0, 0.0);
                for &u in phrase {
                    let r = rarity(u);
                    all += r;
                    found += r * sims.iter().map(|s| s[u]).fold(0.0, f64::max);
                }
                // A phrase of a common word or two is weak evidence even
                // when fully covered.
                found / all.max(MIN_PHRASE_WEIGHT)
            })
            .fold(0.0, f64::max)
    };

    // A query that names one version prefers the problems of that version;
    // migration pitfalls concern both versions and are not scored lower.
    let hint = version_hint(query);
    let mut ranked: Vec<(Match<'a>, (f64, f64))> = catalogue
        .problems
        .iter()
        .zip(&index.entries)
        .filter(|(p, _)| candidates.iter().any(|c| std::ptr::eq(*c, *p)))
        .map(|(p, e)| {
            let found: Vec<(f64, bool)> = sims.iter().map(|s| e.find(s)).collect();
            let matched: f64 = found.iter().zip(&weights).map(|((f, _), w)| w * f).sum();
            // One word in common is enough only when it is strong evidence;
            // weak words do not count.
            let telling: Vec<&(f64, bool)> = found
                .iter()
                .zip(&words)
                .filter(|((f, _), w)| *f > 0.0 && !is_weak(w))
                .map(|(f, _)| f)
                .collect();
            let enough = telling.len() >= 2 || telling.iter().any(|(_, strong)| *strong);
            let cover = phrase_cover(e);
            let mut score = QUERY_SHARE * matched / total + (1.0 - QUERY_SHARE) * cover;
            if p.category != crate::knowledge::Category::Migration
                && hint
                    .as_ref()
                    .is_some_and(|v| !p.versions.iter().any(|x| x == v))
            {
                score *= OTHER_VERSION;
            }
            let raw = if enough { score } else { 0.0 };
            // Thin evidence (a few common words) lowers the score, so that
            // the one measure shown, the fit (the score banded), says it.
            let full = matched >= FULL_EVIDENCE_WEIGHT || cover >= FULL_EVIDENCE_COVER;
            let score = if full { raw } else { raw * THIN_EVIDENCE };
            (
                Match {
                    problem: p,
                    score,
                    matched: MatchedOn::Symptom,
                    fit: Fit::of_score(score),
                },
                (raw, matched),
            )
        })
        // Which entries match at all goes by how well the words fit.
        .filter(|(_, (raw, matched))| *raw >= MIN_SCORE && *matched >= MIN_WEIGHT)
        .collect();
    let best_raw = ranked.iter().map(|(_, (raw, _))| *raw).fold(0.0, f64::max);
    ranked.retain(|(_, (raw, _))| *raw >= best_raw / 2.0);
    // Best score first; on a tie, more matched weight; then catalogue order.
    ranked.sort_by(|a, b| {
        b.0.score
            .total_cmp(&a.0.score)
            .then(b.1 .1.total_cmp(&a.1 .1))
    });
    ranked
        .into_iter()
        .map(|(m, _)| m)
        .take(MAX_MATCHES)
        .collect()
}

// ---------------------------------------------------------------- output

/// One match as JSON.
#[derive(Debug, Serialize)]
pub struct MatchView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// 0–1, two decimals.
    pub score: f64,
    pub versions: &'a [String],
    pub fix: &'a [String],
    /// "documented" or "inferred".
    pub basis: &'a str,
    pub sources: &'a [String],
    /// "error", "symptom" or "id".
    pub matched: MatchedOn,
    /// How well it fits: "exact", "good" or "weak" (the score, banded).
    pub fit: Fit,
}

/// What `troubleshoot --format json` prints (see the module documentation).
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub query: &'a str,
    pub version: Option<&'a str>,
    pub matches: Vec<MatchView<'a>>,
    /// What to check first; only when nothing matches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next_steps: Vec<String>,
}

/// One problem of `--list --format json`.
#[derive(Debug, Serialize)]
pub struct ListItem<'a> {
    pub id: &'a str,
    pub category: &'a str,
    pub versions: &'a [String],
    pub title: &'a str,
}

/// What `troubleshoot --list --format json` prints.
#[derive(Debug, Serialize)]
pub struct ListReport<'a> {
    pub version: Option<&'a str>,
    pub problems: Vec<ListItem<'a>>,
}

fn view<'a>(m: &Match<'a>) -> MatchView<'a> {
    MatchView {
        id: &m.problem.id,
        title: &m.problem.title,
        score: (m.score * 100.0).round() / 100.0,
        versions: &m.problem.versions,
        fix: &m.problem.fix,
        basis: m.problem.basis.as_str(),
        sources: &m.problem.sources,
        matched: m.matched,
        fit: m.fit,
    }
}

/// Percent-encodes text for a URL query value.
fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Topics the catalogue has no problem about, by the word a query names
/// them with (after `text_words` and `normalise`), and what to say.
const NOT_COVERED: &[(&str, &str)] = &[(
    "usd",
    "No known problem here is about Unified Service Desk: its configuration is outside what \
     cif-advisor covers (see the README, \"What it does not cover\").",
)];

/// What to check when no known problem matches.
fn next_steps(query: &str) -> Vec<String> {
    let words: Vec<String> = text_words(query)
        .iter()
        .filter_map(|w| normalise(w))
        .collect();
    let mut steps: Vec<String> = NOT_COVERED
        .iter()
        .filter(|(word, _)| words.iter().any(|w| w == word))
        .map(|(_, text)| text.to_string())
        .collect();
    steps.extend([
        "Open the browser's developer tools (F12) and read the console for the exact error message."
            .to_string(),
        "Check that the CIFInitDone event fired before the widget called any Microsoft.CIFramework API."
            .to_string(),
        "Check the provider record's Channel URL and Trusted Domain: HTTPS, and the host the widget really runs on."
            .to_string(),
        format!(
            "Search Microsoft Learn for the exact error text: https://learn.microsoft.com/search/?terms={}",
            url_encode(query)
        ),
        "`cif-advisor troubleshoot --list` lists every known problem.".to_string(),
    ]);
    steps
}

fn versions_text(versions: &[String]) -> String {
    format!("CIF {}", versions.join(", "))
}

fn matched_text(m: MatchedOn) -> &'static str {
    match m {
        MatchedOn::Id => "problem id",
        MatchedOn::Error => "error message",
        MatchedOn::Symptom => "symptom",
    }
}

fn write_match(out: &mut String, number: usize, m: &Match<'_>, s: &Styles) {
    let p = m.problem;
    let first = format!("{number}. ");
    let indent = " ".repeat(first.len());
    knowledge::item_title(out, s, &first, &indent, &format!("{} — {}", p.id, p.title));
    let _ = writeln!(
        out,
        "{indent}Applies to {}; matched on the {}; fit: {}",
        versions_text(&p.versions),
        matched_text(m.matched),
        m.fit.as_str()
    );
    knowledge::labelled_list(out, s, &indent, "Fix", &p.fix);
    let basis = format!("{indent}Basis: {}", basis_label(p.basis));
    match p.basis {
        crate::knowledge::Basis::Inferred => {
            let _ = writeln!(out, "{}{basis}{}", s.warn.render(), s.warn.render_reset());
        }
        crate::knowledge::Basis::Documented => {
            let _ = writeln!(out, "{basis}");
        }
    }
    knowledge::source_list(out, s, &indent, &p.sources);
}

fn text_report(
    query: &str,
    version: Option<&str>,
    matches: &[Match<'_>],
    steps: &[String],
    s: &Styles,
) -> String {
    let mut out = String::new();
    let scope = match version {
        Some(v) => format!(" (problems that apply to CIF {v})"),
        None => String::new(),
    };
    if matches.is_empty() {
        wrap(
            &mut out,
            s.width,
            "",
            "",
            &format!("No known problem matches \"{query}\"{scope}."),
        );
        let _ = writeln!(out, "What to check first:");
        for step in steps {
            wrap(&mut out, s.width, "  - ", "    ", step);
        }
        return out;
    }
    let sure = matches[0].fit != Fit::Weak;
    let what = match (sure, matches.len()) {
        (true, 1) => "Best match",
        (true, _) => "Best matches",
        (false, 1) => "Possible match",
        (false, _) => "Possible matches",
    };
    let mut head = String::new();
    wrap(
        &mut head,
        s.width,
        "",
        "",
        &format!("{what} for \"{query}\"{scope}:"),
    );
    styled(&mut out, s.heading, &head);
    if !sure {
        let mut note = String::new();
        wrap(
            &mut note,
            s.width,
            "",
            "",
            "Weak fit: few of the words point to one known problem. \
             Check that the symptom fits before applying a fix, or paste the exact error message.",
        );
        styled(&mut out, s.warn, &note);
    }
    for (i, m) in matches.iter().enumerate() {
        out.push('\n');
        write_match(&mut out, i + 1, m, s);
    }
    out
}

fn list(
    catalogue: &ProblemCatalogue,
    version: Option<&str>,
    format: TextFormat,
    s: &Styles,
) -> Result<String, CliError> {
    let problems: Vec<&Problem> = catalogue
        .problems
        .iter()
        .filter(|p| version.is_none_or(|v| p.versions.iter().any(|x| x == v)))
        .collect();
    match format {
        TextFormat::Json => json::to_string(&ListReport {
            version,
            problems: problems
                .iter()
                .map(|p| ListItem {
                    id: &p.id,
                    category: p.category.as_str(),
                    versions: &p.versions,
                    title: &p.title,
                })
                .collect(),
        }),
        TextFormat::Text => {
            let id_width = problems
                .iter()
                .map(|p| p.id.len())
                .max()
                .unwrap_or(2)
                .max(2);
            let rows: Vec<String> = problems.iter().map(|p| p.versions.join(", ")).collect();
            let v_width = rows.iter().map(String::len).max().unwrap_or(8).max(8);
            let mut out = String::new();
            let _ = writeln!(out, "{:<id_width$}  {:<v_width$}  Title", "ID", "Versions");
            for (p, versions) in problems.iter().zip(&rows) {
                let indent = " ".repeat(id_width + v_width + 4);
                wrap(
                    &mut out,
                    s.width,
                    &format!("{:<id_width$}  {versions:<v_width$}  ", p.id),
                    &indent,
                    &p.title,
                );
            }
            Ok(out)
        }
    }
}

/// The longest problem text `troubleshoot` takes (a longer one is a usage error).
pub const MAX_QUERY_CHARS: usize = 8192;

/// `cif-advisor troubleshoot`.
pub fn run(ctx: &Context, args: TroubleshootArgs) -> Result<ExitCode, CliError> {
    let catalogue = knowledge::problem_catalogue()?;
    // The versions the catalogue knows, sorted.
    let versions: Vec<String> = catalogue
        .problems
        .iter()
        .flat_map(|p| p.versions.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let version = match &args.for_version {
        Some(v) => Some(knowledge::resolve_version(v, &versions, "--version")?),
        None => None,
    };
    let version = version.as_deref();
    let query = args.text.join(" ");
    // Bounded work and nothing raw echoed to the terminal (docs/bad-inputs.md).
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(CliError::Usage(format!(
            "the problem text is {chars} characters long; give at most {MAX_QUERY_CHARS} \
             (the error message itself or a few words about the symptom)"
        )));
    }
    // Line breaks and tabs of a pasted message are spaces; other controls escaped.
    let query: String = query
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let query = crate::sanitize::escape(&query);
    let query = query.trim();

    if args.list {
        if !query.is_empty() {
            return Err(CliError::Usage(
                "--list lists every problem; give either TEXT or --list, not both".into(),
            ));
        }
        let text = list(&catalogue, version, args.format, &ctx.styles())?;
        output::write_stdout(text.as_bytes()).map_err(CliError::Output)?;
        return Ok(ExitCode::Success);
    }
    if query.is_empty() {
        return Err(CliError::Usage(
            "describe the problem: paste the error message or a few words about the symptom, \
             e.g. `cif-advisor troubleshoot \"Microsoft is not defined\"` (or use --list)"
                .into(),
        ));
    }

    let by_id = find_by_id(&catalogue, query);
    let matches = match by_id {
        Some(p) if version.is_none_or(|v| p.versions.iter().any(|x| x == v)) => vec![Match {
            problem: p,
            score: 1.0,
            matched: MatchedOn::Id,
            fit: Fit::Exact,
        }],
        Some(_) => Vec::new(),
        None => search(&catalogue, query, version),
    };
    let steps = match (by_id, version) {
        (Some(p), Some(v)) if matches.is_empty() => vec![format!(
            "{} applies to CIF {} only, not {v}; drop --version to see it.",
            p.id,
            p.versions.join(", ")
        )],
        _ if matches.is_empty() => next_steps(query),
        _ => Vec::new(),
    };

    let text = match args.format {
        TextFormat::Json => json::to_string(&Report {
            query,
            version,
            matches: matches.iter().map(view).collect(),
            next_steps: steps,
        })?,
        TextFormat::Text => text_report(query, version, &matches, &steps, &ctx.styles()),
    };
    output::write_stdout(text.as_bytes()).map_err(CliError::Output)?;
    Ok(if matches.is_empty() {
        ExitCode::NoMatch
    } else {
        ExitCode::Success
    })
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
        assert_eq!(stem("sessions"), "session");
        assert_eq!(stem("loaded"), "load");
        assert_eq!(stem("fired"), "fire");
        assert_eq!(stem("closing"), "close");
        assert_eq!(stem("process"), "process");
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
    }

    #[test]
    fn weak_words_are_canonical_and_not_ignored() {
        for w in WEAK_WORDS.split_whitespace() {
            assert_eq!(normalise(w).as_deref(), Some(w), "{w}");
            assert!(is_weak(w));
        }
        assert!(is_weak(&normalise("softphone").expect("word")));
        assert!(!is_weak("visible"));
    }

    #[test]
    fn word_lists_do_not_overlap() {
        let mut seen = BTreeSet::new();
        for (_, words) in SYNONYMS {
            for w in words.split_whitespace() {
                assert!(seen.insert(w), "{w} has two meanings");
                assert!(!lexicon().ignored.contains(w), "{w} is also ignored");
            }
        }
    }

    #[test]
    fn version_hints() {
        assert_eq!(version_hint("CIF 2.0 widget").as_deref(), Some("2.0"));
        assert_eq!(version_hint("cif v1 panel").as_deref(), Some("1.0"));
        assert_eq!(version_hint("version 2 provider").as_deref(), Some("2.0"));
        assert_eq!(version_hint("CIF1 session events").as_deref(), Some("1.0"));
        assert_eq!(version_hint("v2.0 widget").as_deref(), Some("2.0"));
        assert_eq!(version_hint("the Copilot Service workspace"), None);
        assert_eq!(version_hint("moving from 1.0 to 2.0"), None);
        assert_eq!(version_hint("300 px"), None);
    }

    #[test]
    fn close_spellings_match_but_different_names_do_not() {
        assert!(similarity("notifcation", "notification") > 0.0);
        assert!(similarity("presense", "presence") > 0.0);
        assert_eq!(similarity("setmode", "setwidth"), 0.0);
        assert_eq!(similarity("call", "cell"), 0.0);
    }

    #[test]
    fn error_text_matches_both_ways_for_long_queries() {
        let e = error_form("Microsoft is not defined");
        assert!(error_matches(
            &error_form("Uncaught ReferenceError: Microsoft is not defined at app.js:3"),
            &e
        ));
        assert!(error_matches(&error_form("microsoft is not"), &e));
        assert!(!error_matches(&error_form("not defined"), &e));
        assert!(error_matches(
            &error_form("message can't be processed"),
            &error_form("the message cant be processed")
        ));
    }

    #[test]
    fn error_texts_allow_one_typo_in_three_words() {
        let e = error_form("Microsoft is not defined");
        assert!(error_matches(&error_form("microsoft is not defind"), &e));
        assert!(!error_matches(&error_form("microsft is not defind"), &e));
        assert!(!error_matches(
            &error_form("Microsoft is not definitely"),
            &e
        ));
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

    #[test]
    fn url_encoding() {
        assert_eq!(url_encode("a b&c"), "a+b%26c");
    }
}
