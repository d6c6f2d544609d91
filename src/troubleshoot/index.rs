//! The catalogue's words, indexed: every distinct normalised word once,
//! each entry as references into it. A [`Searcher`](super::Searcher)
//! builds it at its first word search and keeps it.

use super::words::{parts, WordRules};
use crate::knowledge::ProblemCatalogue;

/// Field weights: how much a word found in each part of an entry counts.
const TITLE: f64 = 1.0;
const SYMPTOM: f64 = 1.0;
const ERROR: f64 = 1.0;
const KEYWORD: f64 = 0.9;
/// A part of a compound name (`width` of `setWidth`) counts less than the name.
const PART: f64 = 0.7;

/// A word of an entry: its place in the vocabulary, its weight (the best
/// field it is in) and whether it is strong evidence on its own: a word of
/// the title, a code name, or a one-word keyword (rather than a word of a
/// symptom's prose).
pub(crate) struct Word {
    pub(crate) id: usize,
    pub(crate) weight: f64,
    pub(crate) strong: bool,
    /// Written as a code name (`setMode`) somewhere in the entry.
    pub(crate) code: bool,
}

/// True for a raw word written like a code name: `setWidth`,
/// `msdyn_channelurl`, `CIFInitDone`.
fn is_code_name(raw: &str) -> bool {
    raw.contains('_') || raw.chars().skip(1).any(char::is_uppercase)
}

/// One entry's words, and its phrases (title, each symptom, each error) as
/// lists of vocabulary ids.
pub(crate) struct Entry {
    pub(crate) words: Vec<Word>,
    pub(crate) phrases: Vec<Vec<usize>>,
    /// The title's phrase (also among `phrases`), unless the title has no
    /// word that counts.
    pub(crate) title: Option<Vec<usize>>,
}

/// The catalogue's words: every distinct normalised word once, each entry
/// as references into it, and how many entries use each word.
pub struct Index {
    pub(crate) vocabulary: Vec<String>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) entry_count: Vec<usize>,
}

impl Index {
    /// Indexes `catalogue` (a [`Searcher`](super::Searcher) keeps the index).
    pub fn new(catalogue: &ProblemCatalogue, rules: &WordRules) -> Index {
        let mut vocabulary: Vec<String> = Vec::new();
        let mut ids: std::collections::HashMap<String, usize> = Default::default();
        let mut entries = Vec::new();
        // Each distinct word is normalised (stemmed) once: the catalogue
        // writes about 1,200 words, 435 of them distinct.
        let mut normalised: std::collections::HashMap<String, Option<String>> = Default::default();
        let mut normalise = |raw: &str| -> Option<String> {
            if let Some(w) = normalised.get(raw) {
                return w.clone();
            }
            let w = rules.normalise(raw);
            normalised.insert(raw.to_string(), w.clone());
            w
        };
        for p in &catalogue.problems {
            let mut words: Vec<Word> = Vec::new();
            let mut phrases = Vec::new();
            let mut title = None;
            let fields: [(&[String], f64); 4] = [
                (std::slice::from_ref(&p.title), TITLE),
                (&p.symptoms, SYMPTOM),
                (&p.errors, ERROR),
                (&p.keywords, KEYWORD),
            ];
            for (i, (texts, weight)) in fields.into_iter().enumerate() {
                let is_keyword = i == 3;
                for text in texts {
                    let raws = rules.text_words(text);
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
                            let code = !rules.is_weak(&w) && is_code_name(raw);
                            let strong = code || (!rules.is_weak(&w) && is_keyword && single);
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
                        if i == 0 {
                            title = Some(phrase.clone());
                        }
                        phrases.push(phrase);
                    }
                }
            }
            entries.push(Entry {
                words,
                phrases,
                title,
            });
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
    pub(crate) fn find(&self, sims: &[f64]) -> (f64, bool) {
        self.words
            .iter()
            .map(|w| (w.weight * sims[w.id], w.strong))
            .fold((0.0, false), |best, x| if x.0 > best.0 { x } else { best })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_hold_their_words() {
        let catalogue = crate::knowledge::problem_catalogue().expect("catalogue");
        let rules = WordRules::load().expect("word lists");
        let index = Index::new(&catalogue, &rules);
        let c7 = catalogue
            .problems
            .iter()
            .position(|p| p.id == "C7")
            .expect("C7");
        let words: Vec<&str> = index.entries[c7]
            .words
            .iter()
            .filter(|w| w.code)
            .map(|w| index.vocabulary[w.id].as_str())
            .collect();
        assert!(words.contains(&"setwidth"), "{words:?}");
        assert!(is_code_name("setWidth") && is_code_name("msdyn_channelurl"));
        assert!(!is_code_name("widget"));
    }
}
