//! A query answered: the problem text made safe and bounded, matched by id
//! or by words against the catalogue, and what to check first when nothing
//! matches. `render::troubleshoot` shows the answer; the handler writes it.

use super::search::{find_by_id, Fit, Match, MatchedOn, Searcher};
use super::words::WordRules;
use crate::error::Error;
use crate::knowledge::{self, ProblemCatalogue};
use std::collections::BTreeSet;

/// The longest problem text `troubleshoot` takes (a longer one is a usage error).
pub const MAX_QUERY_CHARS: usize = 8192;

/// What `troubleshoot TEXT` found.
#[derive(Debug)]
pub struct Answer<'c> {
    /// The query as matched: one line, control characters escaped.
    pub query: String,
    /// The `--version` filter, as the catalogue spells it.
    pub version: Option<String>,
    pub matches: Vec<Match<'c>>,
    /// What to check first, when nothing matches.
    pub next_steps: Vec<String>,
}

/// The versions the catalogue knows, sorted; `given` resolved among them
/// ("2", "v2" and "2.0" alike), or a usage error naming them.
pub fn resolve_version(
    catalogue: &ProblemCatalogue,
    given: Option<&str>,
) -> Result<Option<String>, Error> {
    let all = catalogue
        .problems
        .iter()
        .flat_map(|p| p.versions.iter().cloned());
    let versions: Vec<String> = BTreeSet::from_iter(all).into_iter().collect();
    let resolve = |v| knowledge::resolve_version(v, &versions, "--version");
    given.map(resolve).transpose()
}

/// The problem text as pasted, bounded: at most `MAX_QUERY_CHARS`, on one
/// line (whitespace as spaces), trimmed. Its other control characters are
/// escaped by [`answer`] for matching and echoing, and kept for the Learn
/// search link (percent-encoded there).
pub fn clean_query(text: &str) -> Result<String, Error> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Error::ProblemTooLong {
            chars,
            max: MAX_QUERY_CHARS,
        });
    }
    // Line breaks and tabs of a pasted message are spaces; other controls escaped.
    let query = text.replace(char::is_whitespace, " ");
    Ok(query.trim().to_string())
}

/// Answers `pasted` (from [`clean_query`], not empty): a problem id shows
/// that problem, anything else is searched; `version` keeps that version's.
/// The query is matched and echoed with its control characters escaped
/// (docs/bad-inputs.md). `searcher` holds the catalogue, the word lists'
/// rules the query's and the catalogue's words are read by, and the index.
pub fn answer<'c>(
    searcher: &Searcher<'c>,
    pasted: &str,
    version: Option<&str>,
) -> Result<Answer<'c>, Error> {
    let escaped = crate::sanitize::escape(pasted);
    let query: &str = &escaped;
    let (matches, next_steps) = match find_by_id(searcher.catalogue, query) {
        Some(p) if version.is_none_or(|v| p.versions.iter().any(|x| x == v)) => {
            let found = Match {
                problem: p,
                score: 1.0,
                matched: MatchedOn::Id,
                fit: Fit::Exact,
            };
            (vec![found], Vec::new())
        }
        Some(p) => {
            let (versions, v) = (p.versions.join(", "), version.unwrap_or_default());
            let step = format!(
                "{} applies to CIF {versions} only, not {v}; drop --version to see it.",
                p.id
            );
            (Vec::new(), vec![step])
        }
        None => {
            let matches = searcher.search(query, version);
            let steps = matches
                .is_empty()
                .then(|| next_steps(searcher.rules, query, pasted));
            (matches, steps.unwrap_or_default())
        }
    };
    Ok(Answer {
        query: query.to_string(),
        version: version.map(str::to_string),
        matches,
        next_steps,
    })
}

/// Percent-encodes text for a URL query value.
fn url_encode(text: &str) -> String {
    let encode = |b: u8| match b {
        _ if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) => char::from(b).to_string(),
        b' ' => "+".to_string(),
        _ => format!("%{b:02X}"),
    };
    text.bytes().map(encode).collect()
}

/// Topics the catalogue has no problem about, by the word a query names
/// them with (after `text_words` and `normalise`), and what to say.
const NOT_COVERED: &[(&str, &str)] = &[(
    "usd",
    "No known problem here is about Unified Service Desk: its configuration is outside what \
     cif-advisor covers (see the README, \"What it does not cover\").",
)];

/// What to check when no known problem matches; the search link searches
/// the text as pasted, not its escaped form.
fn next_steps(rules: &WordRules, query: &str, pasted: &str) -> Vec<String> {
    let words = rules.text_words(query);
    let words: Vec<String> = words.iter().filter_map(|w| rules.normalise(w)).collect();
    let mut steps: Vec<String> = NOT_COVERED
        .iter()
        .filter(|(word, _)| words.iter().any(|w| w == word))
        .map(|(_, text)| text.to_string())
        .collect();
    let terms = url_encode(pasted);
    steps.extend([
        "Open the browser's developer tools (F12) and read the console for the exact error message.",
        "Check that the CIFInitDone event fired before the widget called any Microsoft.CIFramework API.",
        "Check the provider record's Channel URL and Trusted Domain: HTTPS, and the host the widget really runs on.",
        &format!("Search Microsoft Learn for the exact error text: https://learn.microsoft.com/search/?terms={terms}"),
        "`cif-advisor troubleshoot --list` lists every known problem.",
    ].map(String::from));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoding() {
        assert_eq!(url_encode("a b&c"), "a+b%26c");
    }

    #[test]
    fn a_query_is_one_bounded_line() {
        assert_eq!(
            clean_query("  a\n\tb \u{1b}[31m ").unwrap(),
            "a  b \u{1b}[31m"
        );
        let rules = crate::troubleshoot::word_rules().expect("word lists");
        let steps = next_steps(&rules, "zzqx \\u{202e}", "zzqx \u{202e}");
        assert!(
            steps.iter().any(|s| s.ends_with("?terms=zzqx+%E2%80%AE")),
            "{steps:?}"
        );
        assert!(clean_query(&"x".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }
}
