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
//!    dropped, the Porter2 stemmer (not for listed, weak or name words) and
//!    a short list of general synonyms
//!    ("softphone" = "widget", "refused" = "fail", "1.0" = "cif1" = "v1")
//!    are applied, names of several words count as one ("Copilot Service
//!    workspace" = "Customer Service workspace" = "workspace"), and compound
//!    names also count by their parts (`setWidth` → set, width). Close
//!    spellings count: Jaro-Winkler ≥ [`FUZZY_THRESHOLD`](words::FUZZY_THRESHOLD) with a
//!    Damerau-Levenshtein guard (words of 4+ letters), or a name of 6+
//!    letters inside a longer one.
//!
//!    Each query word weighs by how rare it is in the catalogue (a word no
//!    entry knows weighs 1); words that fit any CIF problem ("widget",
//!    "app", "code", "phone", "agent", …) weigh [`WEAK`](words::WEAK) times as much. An
//!    entry's score mixes the weighted share of the query it covers
//!    ([`QUERY_SHARE`](search::QUERY_SHARE)) with the share of its best-covered phrase (title, a
//!    symptom or an error). A query that names one version ("CIF 2.0",
//!    "v1") scores the other version's configuration problems lower
//!    ([`OTHER_VERSION`](search::OTHER_VERSION)); migration pitfalls concern both versions. A match
//!    needs two telling (not weak) words in common, or one strong word (a
//!    code name or a one-word keyword); a score of at least [`MIN_SCORE`](search::MIN_SCORE);
//!    matched weight of at least [`MIN_WEIGHT`](search::MIN_WEIGHT); and half the best score. A
//!    query of two or more words lying wholly inside one phrase of an entry
//!    is enough evidence and weight on its own, however common its words;
//!    inside its title ("widget not visible" in C4's), it is full evidence.
//!    At most [`MAX_MATCHES`](search::MAX_MATCHES) are shown.
//!
//!    A word match on thin evidence has its score multiplied by
//!    [`THIN_EVIDENCE`](search::THIN_EVIDENCE): full evidence is a matched weight of
//!    [`FULL_EVIDENCE_WEIGHT`](search::FULL_EVIDENCE_WEIGHT) or a cover of [`FULL_EVIDENCE_COVER`](search::FULL_EVIDENCE_COVER) of one
//!    phrase (the thresholds above apply before it). An API or code name
//!    typed as the catalogue has it (`setMode`, also lower case) weighs
//!    [`CODE_NAME`](search::CODE_NAME) times as much as another word as rare, so it carries a
//!    query full of typos; a misspelt stop word ("dosent") is dropped.
//!
//!    One measure is shown: the fit, banded from the score. `exact` for an
//!    id or error match (score 1), `good` for a word match from
//!    [`GOOD_FIT`](search::GOOD_FIT), `weak` below (a possible match: check that the symptom
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
//!
//! The module in rooms: [`words`] reads words (tokens, names, stems, the
//! word lists of `data/troubleshoot-words.yaml`), [`index`] holds the
//! catalogue's words (built at build time for the built-in catalogue), [`search`] scores and ranks,
//! and [`answer`] answers a query (the id, the search, what to check when
//! nothing matches). `render::troubleshoot` shows it.

pub mod answer;
pub mod index;
pub mod search;
pub mod words;

pub use answer::{answer, clean_query, resolve_version, Answer};
pub use search::{find_by_id, Fit, Match, MatchedOn, Searcher};
pub use words::{word_rules, WordRules};
