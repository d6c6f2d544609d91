//! The catalogue's words, indexed: every distinct normalised word once,
//! each entry as references into it. `build.rs` builds the built-in
//! catalogue's index and embeds it; the tool's `Searcher` builds the index
//! of any other catalogue at its first word search and keeps it.

use super::words::{parts, WordRules};
use crate::knowledge::{Problem, ProblemCatalogue};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub id: usize,
    pub weight: f64,
    pub strong: bool,
    /// Written as a code name (`setMode`) somewhere in the entry.
    pub code: bool,
}

/// True for a raw word written like a code name: `setWidth`,
/// `msdyn_channelurl`, `CIFInitDone`.
fn is_code_name(raw: &str) -> bool {
    raw.contains('_') || raw.chars().skip(1).any(char::is_uppercase)
}

/// One entry's words, and its phrases (title, each symptom, each error) as
/// lists of vocabulary ids.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Entry {
    pub words: Vec<Word>,
    pub phrases: Vec<Vec<usize>>,
    /// The title's phrase (also among `phrases`), unless the title has no
    /// word that counts.
    pub title: Option<Vec<usize>>,
}

/// The catalogue's words: every distinct normalised word once, each entry
/// as references into it, and how many entries use each word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub vocabulary: Vec<String>,
    pub entries: Vec<Entry>,
    pub entry_count: Vec<usize>,
}

impl Index {
    /// Indexes `catalogue` with the word lists' `rules`.
    pub fn new(catalogue: &ProblemCatalogue, rules: &WordRules) -> Index {
        let mut builder = Builder {
            rules,
            vocabulary: Vec::new(),
            ids: HashMap::new(),
            normalised: HashMap::new(),
        };
        let entries: Vec<Entry> = catalogue
            .problems
            .iter()
            .map(|p| builder.entry(p))
            .collect();
        let mut entry_count = vec![0; builder.vocabulary.len()];
        for w in entries.iter().flat_map(|e| &e.words) {
            entry_count[w.id] += 1;
        }
        Index {
            vocabulary: builder.vocabulary,
            entries,
            entry_count,
        }
    }
}

/// What an index is built with: the vocabulary so far, and each distinct
/// raw word normalised (stemmed) once: the catalogue writes about 1,200
/// words, 435 of them distinct.
struct Builder<'r> {
    rules: &'r WordRules,
    vocabulary: Vec<String>,
    ids: HashMap<String, usize>,
    normalised: HashMap<String, Option<String>>,
}

impl Builder<'_> {
    fn normalise(&mut self, raw: &str) -> Option<String> {
        let rules = self.rules;
        let cached = self.normalised.entry(raw.to_string());
        cached.or_insert_with(|| rules.normalise(raw)).clone()
    }

    /// The entry of problem `p`: the words of its title, symptoms, errors
    /// and keywords, and its phrases.
    fn entry(&mut self, p: &Problem) -> Entry {
        let mut entry = Entry::default();
        let fields: [(&[String], f64); 4] = [
            (std::slice::from_ref(&p.title), TITLE),
            (&p.symptoms, SYMPTOM),
            (&p.errors, ERROR),
            (&p.keywords, KEYWORD),
        ];
        for (i, (texts, weight)) in fields.into_iter().enumerate() {
            let is_keyword = i == 3;
            for text in texts {
                let phrase = self.phrase(&mut entry.words, text, weight, is_keyword);
                // Keywords are names, not descriptions.
                if !is_keyword && !phrase.is_empty() {
                    if i == 0 {
                        entry.title = Some(phrase.clone());
                    }
                    entry.phrases.push(phrase);
                }
            }
        }
        entry
    }

    /// Adds the words of `text` (a field's, of `weight`) to `words`, and
    /// returns them as a phrase (their parts aside).
    fn phrase(
        &mut self,
        words: &mut Vec<Word>,
        text: &str,
        weight: f64,
        keyword: bool,
    ) -> Vec<usize> {
        let raws = self.rules.text_words(text);
        // A one-word keyword is a name (AppSource, ucilib, ...).
        let single = raws.len() == 1;
        let mut phrase: Vec<usize> = Vec::new();
        for raw in &raws {
            if let Some(w) = self.normalise(raw) {
                let telling = !self.rules.is_weak(&w);
                let code = telling && is_code_name(raw);
                let strong = code || (telling && keyword && single);
                let id = self.add(words, w, weight, strong, code);
                if !phrase.contains(&id) {
                    phrase.push(id);
                }
            }
            for part in parts(raw) {
                if let Some(w) = self.normalise(&part) {
                    self.add(words, w, weight * PART, false, false);
                }
            }
        }
        phrase
    }

    /// Adds word `w` to `words` (its best weight, strong or code if once
    /// so), and to the vocabulary if new; its vocabulary id.
    fn add(
        &mut self,
        words: &mut Vec<Word>,
        w: String,
        weight: f64,
        strong: bool,
        code: bool,
    ) -> usize {
        let next = self.vocabulary.len();
        let id = *self.ids.entry(w.clone()).or_insert(next);
        if id == next {
            self.vocabulary.push(w);
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
    }
}

impl Entry {
    /// How well the query word with similarities `sims` (one per vocabulary
    /// word) is found in this entry (0 when not at all), and whether it was
    /// found as a strong word.
    pub fn find(&self, sims: &[f64]) -> (f64, bool) {
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
        let text = include_str!("../../../../data/problems.yaml");
        let catalogue: ProblemCatalogue = crate::yaml::from_str_borrowed(text).expect("catalogue");
        let rules = WordRules::new(super::super::words::tests::word_lists());
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
