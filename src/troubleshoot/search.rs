//! Scoring: error texts matched whole, otherwise the query's words scored
//! against each entry of the index (see the module documentation of
//! `troubleshoot` for the rules), best first.

use super::index::{Entry, Index};
use super::words::{raw_words, similarity, WordRules, WEAK};
use crate::knowledge::{Problem, ProblemCatalogue};
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::OnceLock;

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
/// At most this many matches are shown.
pub const MAX_MATCHES: usize = 3;

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

cif_data::spelled! {
    /// How well a match fits: the one measure shown, banded from the score.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    pub enum Fit {
        /// The query was the problem's id, or contains its exact error text
        /// (score 1).
        Exact = "exact",
        /// A word match scoring at least [`GOOD_FIT`].
        Good = "good",
        /// A word match scoring less: a few common words, or a small part of
        /// the query and of every symptom. Check that the symptom fits.
        Weak = "weak",
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

/// Lowercase, apostrophes dropped, other punctuation as spaces, spaces
/// collapsed: the form error texts are compared in.
pub(crate) fn error_form(text: &str) -> String {
    raw_words(text).join(" ").to_lowercase()
}

/// True when `query` and the error text `error` (both in `error_form`) are
/// the same message: one contains the other (the error the query, or, for
/// a query of at least two words and 16 characters, the query the error),
/// word for word, a word of four or more letters also in a close spelling
/// (a typo: "defind", "recognized"), at most one such word in three.
pub(crate) fn error_matches(query: &str, error: &str) -> bool {
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
    let allowed = needle.len() / 3;
    // (A needle longer than the haystack has no window.)
    haystack.windows(needle.len()).any(|window| {
        let mut typos = 0;
        window.iter().zip(needle).all(|(h, n)| {
            let digits = h.bytes().any(|c| c.is_ascii_digit());
            let typo = h != n && typos < allowed && !digits && similarity(h, n) > 0.0;
            typos += usize::from(typo);
            h == n || typo
        })
    })
}

/// The one framework version the query names ("CIF 2.0", "v2", "cif1",
/// "version 1"), if it names exactly one.
pub(crate) fn version_hint(rules: &WordRules, query: &str) -> Option<String> {
    let found: BTreeSet<&str> = rules
        .text_words(query)
        .iter()
        .filter_map(|w| rules.version_of(rules.synonym(&w.to_lowercase())))
        .collect();
    let one = found.len() == 1;
    found.first().filter(|_| one).map(|v| v.to_string())
}

/// Where a query lies wholly inside one phrase of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Within {
    /// Its title: the query restates the problem ("widget not visible" in
    /// C4's "Widget not visible in a 1.0 app"), full evidence.
    Title,
    /// A symptom or an error: enough to match, however common its words.
    Phrase,
}

/// Whether every word of a query of two or more words (`sims`, one row per
/// query word) is found in one phrase of `e`, and in which.
fn within_phrase(e: &Entry, sims: &[Vec<f64>]) -> Option<Within> {
    if sims.len() < 2 {
        return None;
    }
    let inside = |phrase: &[usize]| sims.iter().all(|s| phrase.iter().any(|&u| s[u] > 0.0));
    if e.title.as_deref().is_some_and(inside) {
        Some(Within::Title)
    } else if e.phrases.iter().any(|ph| inside(ph)) {
        Some(Within::Phrase)
    } else {
        None
    }
}

/// A problem id given as the whole query, e.g. "c5".
pub fn find_by_id<'a>(catalogue: &'a ProblemCatalogue, query: &str) -> Option<&'a Problem> {
    let (q, all) = (query.trim(), &catalogue.problems);
    all.iter().find(|p| p.id.eq_ignore_ascii_case(q))
}

/// A catalogue to search with the word lists, and its index, built (or, for
/// the built-in catalogue, loaded) at the first search that compares words
/// (an error match does not need it) and kept for the next.
pub struct Searcher<'c> {
    /// The catalogue searched.
    pub catalogue: &'c ProblemCatalogue,
    /// The rules words are read by.
    pub rules: &'c WordRules,
    index: OnceLock<Index>,
    /// The catalogue and rules are the built-in ones, whose index is
    /// embedded (built by `build.rs`).
    built_in: bool,
}

impl<'c> Searcher<'c> {
    /// A searcher of any catalogue: it indexes the catalogue itself.
    pub fn new(catalogue: &'c ProblemCatalogue, rules: &'c WordRules) -> Searcher<'c> {
        Searcher {
            catalogue,
            rules,
            index: OnceLock::new(),
            built_in: false,
        }
    }

    /// A searcher of the built-in catalogue
    /// ([`knowledge::problem_catalogue`](crate::knowledge::problem_catalogue))
    /// by the built-in word lists ([`word_rules`](super::word_rules)): it
    /// loads the index built at build time.
    pub fn built_in(catalogue: &'c ProblemCatalogue, rules: &'c WordRules) -> Searcher<'c> {
        Searcher {
            built_in: true,
            ..Searcher::new(catalogue, rules)
        }
    }

    /// The catalogue's index: loaded or built at the first call, then kept.
    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let embedded = self.built_in.then(crate::knowledge::problem_index);
            let embedded = embedded.and_then(Result::ok);
            embedded.unwrap_or_else(|| Index::new(self.catalogue, self.rules))
        })
    }

    /// Ranks the problems (those that apply to `version`, when given) for
    /// `query`: error matches win outright; otherwise word matches above
    /// the thresholds, best first, at most [`MAX_MATCHES`].
    pub fn search(&self, query: &str, version: Option<&str>) -> Vec<Match<'c>> {
        let applies = |p: &&Problem| version.is_none_or(|v| p.versions.iter().any(|x| x == v));
        let candidates: Vec<&Problem> = self.catalogue.problems.iter().filter(applies).collect();
        let exact = error_matches_of(&candidates, query);
        if !exact.is_empty() {
            return exact;
        }
        let index = self.index();
        let Some(q) = Query::new(self.rules, index, query) else {
            return Vec::new();
        };
        let hint = version_hint(self.rules, query);
        let mut ranked: Vec<Scored<'c>> = self
            .catalogue
            .problems
            .iter()
            .zip(&index.entries)
            .filter(|(p, _)| applies(p))
            .map(|(p, e)| q.score(p, e, hint.as_deref()))
            // Which entries match at all goes by how well the words fit.
            .filter(|s| s.raw >= MIN_SCORE && s.weight >= MIN_WEIGHT)
            .collect();
        let best_raw = ranked.iter().map(|s| s.raw).fold(0.0, f64::max);
        ranked.retain(|s| s.raw >= best_raw / 2.0);
        // Best score first; on a tie, more matched weight; then catalogue order.
        ranked.sort_by(|a, b| {
            let by_score = b.found.score.total_cmp(&a.found.score);
            by_score.then(b.weight.total_cmp(&a.weight))
        });
        let best = ranked.into_iter().map(|s| s.found);
        best.take(MAX_MATCHES).collect()
    }
}

/// The problems one of whose error texts the query is (at most
/// [`MAX_MATCHES`]).
fn error_matches_of<'a>(candidates: &[&'a Problem], query: &str) -> Vec<Match<'a>> {
    let q_error = error_form(query);
    candidates
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
        .collect()
}

/// A word match with what ranks it: the score before thin evidence
/// lowered it, and the matched weight.
struct Scored<'a> {
    found: Match<'a>,
    raw: f64,
    weight: f64,
}

/// A query's words, each against each catalogue word, and their weights.
struct Query<'i> {
    rules: &'i WordRules,
    index: &'i Index,
    words: Vec<String>,
    /// One row per query word: its similarity to each vocabulary word.
    sims: Vec<Vec<f64>>,
    weights: Vec<f64>,
    total: f64,
}

impl<'i> Query<'i> {
    /// The query's words, each once (a misspelt stop word, "dosent", is
    /// dropped); None when no word is left.
    fn new(rules: &'i WordRules, index: &'i Index, query: &str) -> Option<Query<'i>> {
        let mut seen = BTreeSet::new();
        let words: Vec<String> = rules
            .text_words(query)
            .iter()
            .filter_map(|w| rules.normalise(w))
            .filter(|w| !rules.is_stop_word_typo(w, &index.vocabulary))
            .filter(|w| seen.insert(w.clone()))
            .collect();
        if words.is_empty() {
            return None;
        }
        let sims: Vec<Vec<f64>> = words
            .iter()
            .map(|w| index.vocabulary.iter().map(|v| similarity(w, v)).collect())
            .collect();
        let mut q = Query {
            rules,
            index,
            words,
            sims,
            weights: Vec::new(),
            total: 0.0,
        };
        q.weights = (0..q.words.len()).map(|i| q.weight(i)).collect();
        q.total = q.weights.iter().sum();
        Some(q)
    }

    /// How much the query's word `i` weighs. Rarity is measured over the
    /// whole catalogue, so a filter does not change what a word is worth.
    /// Weak words count [`WEAK`] times as much.
    fn weight(&self, i: usize) -> f64 {
        let (s, entries) = (&self.sims[i], &self.index.entries);
        let df = entries.iter().filter(|e| e.find(s).0 > 0.0).count();
        let n = entries.len() as f64;
        let rarity = if df == 0 {
            1.0
        } else {
            (1.0 + n / df as f64).ln()
        };
        // An API or code name, exactly: the strongest evidence there is.
        let code = entries
            .iter()
            .any(|e| e.words.iter().any(|x| x.code && s[x.id] >= 1.0));
        rarity * self.weak_factor(&self.words[i]) * if code { CODE_NAME } else { 1.0 }
    }

    fn weak_factor(&self, word: &str) -> f64 {
        if self.rules.is_weak(word) {
            WEAK
        } else {
            1.0
        }
    }

    /// How much of an entry's best phrase the query covers, each catalogue
    /// word weighing by how many entries use it.
    fn phrase_cover(&self, e: &Entry) -> f64 {
        let index = self.index;
        let n = index.entries.len() as f64;
        let rarity = |id: usize| {
            let used = index.entry_count[id].max(1) as f64;
            (1.0 + n / used).ln() * self.weak_factor(&index.vocabulary[id])
        };
        let cover = |phrase: &Vec<usize>| {
            let (mut found, mut all) = (0.0, 0.0);
            for &u in phrase {
                let r = rarity(u);
                all += r;
                found += r * self.sims.iter().map(|s| s[u]).fold(0.0, f64::max);
            }
            // A phrase of a common word or two is weak evidence even when
            // fully covered.
            found / all.max(MIN_PHRASE_WEIGHT)
        };
        e.phrases.iter().map(cover).fold(0.0, f64::max)
    }

    /// The query scored against problem `p` (its index entry `e`). A query
    /// that names one version (`hint`) prefers the problems of that
    /// version; migration pitfalls concern both and are not scored lower.
    fn score<'a>(&self, p: &'a Problem, e: &Entry, hint: Option<&str>) -> Scored<'a> {
        let found: Vec<(f64, bool)> = self.sims.iter().map(|s| e.find(s)).collect();
        let weighed = found.iter().zip(&self.weights).map(|((f, _), w)| w * f);
        let matched: f64 = weighed.sum();
        // One word in common is enough only when it is strong evidence;
        // weak words do not count.
        let telling: Vec<&(f64, bool)> = found
            .iter()
            .zip(&self.words)
            .filter(|((f, _), w)| *f > 0.0 && !self.rules.is_weak(w))
            .map(|(f, _)| f)
            .collect();
        let whole = within_phrase(e, &self.sims);
        let enough =
            whole.is_some() || telling.len() >= 2 || telling.iter().any(|(_, strong)| *strong);
        let cover = self.phrase_cover(e);
        let mut score = QUERY_SHARE * matched / self.total + (1.0 - QUERY_SHARE) * cover;
        let other_version = hint.is_some_and(|v| !p.versions.iter().any(|x| x == v));
        if p.category != crate::knowledge::Category::Migration && other_version {
            score *= OTHER_VERSION;
        }
        let raw = if enough { score } else { 0.0 };
        // Thin evidence (a few common words) lowers the score, so that the
        // one measure shown, the fit (the score banded), says it.
        let full = matched >= FULL_EVIDENCE_WEIGHT
            || cover >= FULL_EVIDENCE_COVER
            || whole == Some(Within::Title);
        let score = if full { raw } else { raw * THIN_EVIDENCE };
        Scored {
            found: Match {
                problem: p,
                score,
                matched: MatchedOn::Symptom,
                // The score, banded.
                fit: if score >= GOOD_FIT {
                    Fit::Good
                } else {
                    Fit::Weak
                },
            },
            raw,
            weight: whole.map_or(matched, |_| matched.max(MIN_WEIGHT)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> &'static WordRules {
        static RULES: OnceLock<WordRules> = OnceLock::new();
        RULES.get_or_init(|| crate::troubleshoot::word_rules().expect("word lists"))
    }

    fn search<'a>(
        catalogue: &'a ProblemCatalogue,
        query: &str,
        version: Option<&str>,
    ) -> Vec<Match<'a>> {
        Searcher::new(catalogue, rules()).search(query, version)
    }

    #[test]
    fn a_searcher_indexes_at_its_first_word_search_and_keeps_the_index() {
        let catalogue = crate::knowledge::problem_catalogue().expect("catalogue");
        let searcher = Searcher::new(&catalogue, rules());
        // An error match needs no index.
        let found = searcher.search("Microsoft is not defined", None);
        assert_eq!(found[0].matched, MatchedOn::Error);
        assert!(searcher.index.get().is_none());
        let first = searcher.search("setWidth is ignored", None);
        let index: *const Index = searcher.index.get().expect("indexed");
        let again = searcher.search("widget is blank", Some("2.0"));
        assert!(std::ptr::eq(index, searcher.index.get().unwrap()));
        // The same answers as one-off searches.
        let ids = |m: &[Match]| m.iter().map(|m| m.problem.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(&first),
            ids(&search(&catalogue, "setWidth is ignored", None))
        );
        assert_eq!(
            ids(&again),
            ids(&search(&catalogue, "widget is blank", Some("2.0")))
        );
    }

    #[test]
    fn a_query_inside_a_title_or_a_symptom_is_enough() {
        let catalogue = crate::knowledge::problem_catalogue().expect("catalogue");
        let got = |q: &str| -> Vec<(String, Fit)> {
            search(&catalogue, q, None)
                .iter()
                .map(|m| (m.problem.id.clone(), m.fit))
                .collect()
        };
        // Common words, but C4's and C5's titles: a good fit for both.
        let visible = got("widget not visible");
        assert_eq!(
            visible[..2],
            [("C4".to_string(), Fit::Good), ("C5".to_string(), Fit::Good)]
        );
        // Inside a symptom only: found, as a weak fit.
        assert_eq!(
            got("softphone doesn't load")[0],
            ("C10".to_string(), Fit::Weak)
        );
        // One word is never enough this way.
        assert!(got("visible").is_empty());
    }

    #[test]
    fn version_hints() {
        let rules = crate::troubleshoot::word_rules().expect("word lists");
        assert_eq!(
            version_hint(&rules, "CIF 2.0 widget").as_deref(),
            Some("2.0")
        );
        assert_eq!(version_hint(&rules, "cif v1 panel").as_deref(), Some("1.0"));
        assert_eq!(
            version_hint(&rules, "version 2 provider").as_deref(),
            Some("2.0")
        );
        assert_eq!(
            version_hint(&rules, "CIF1 session events").as_deref(),
            Some("1.0")
        );
        assert_eq!(version_hint(&rules, "v2.0 widget").as_deref(), Some("2.0"));
        assert_eq!(version_hint(&rules, "the Copilot Service workspace"), None);
        assert_eq!(version_hint(&rules, "moving from 1.0 to 2.0"), None);
        assert_eq!(version_hint(&rules, "300 px"), None);
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
    fn a_search_ranks_exactly() {
        let catalogue = crate::knowledge::problem_catalogue().expect("catalogue");
        let got: Vec<(&str, f64, Fit)> = search(&catalogue, "setWidth is ignored", None)
            .iter()
            .map(|m| {
                (
                    m.problem.id.as_str(),
                    (m.score * 100.0).round() / 100.0,
                    m.fit,
                )
            })
            .collect();
        assert_eq!(got, [("C7", 1.0, Fit::Good)]);
        let m = search(&catalogue, "Microsoft is not defined", None);
        assert_eq!(m.len(), 1);
        assert_eq!(
            (m[0].problem.id.as_str(), m[0].matched),
            ("C2", MatchedOn::Error)
        );
        assert!(search(&catalogue, "report builder crashes on export", None).is_empty());
    }
}
