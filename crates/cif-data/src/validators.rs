//! The shared checks of the data files (the matrix, the knowledge catalogues
//! and the rules of `check`): one date check, one https check, and one way
//! of collecting every problem with its field path.

use std::fmt;

pub use crate::dates::{is_date, parse_date};

/// The longest link accepted.
pub const MAX_LINK_CHARS: usize = 2048;

/// Why `link` cannot be a source, as the error says it for every data file
/// (the matrix, the catalogues, the rules of `check`), or `None`.
pub fn link_problem(link: &str) -> Option<String> {
    is_https_url(link).err().map(|why| {
        format!(
            "'{link}' is not a source link: {why}; expected an https:// URL, with `()<>\"` percent-encoded"
        )
    })
}

/// Every fact carries a link to its source: an `https://` URL with a host,
/// printable, without spaces, at most [`MAX_LINK_CHARS`] characters, and
/// without the characters that would end it in Markdown or HTML (`(`, `)`,
/// `<`, `>`, `"`, `\`, `` ` ``, `{`, `}`, `|`, `^`; written percent-encoded,
/// `%28` for `(`). `Err` says why not, e.g. "it does not start with https://".
pub fn is_https_url(link: &str) -> Result<(), String> {
    let Some(rest) = link.strip_prefix("https://") else {
        return Err("it does not start with https://".into());
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with([':', '@', '.']) {
        return Err("it has no host".into());
    }
    if link.chars().count() > MAX_LINK_CHARS {
        return Err(format!("it is longer than {MAX_LINK_CHARS} characters"));
    }
    if let Some(c) = link
        .chars()
        .find(|&c| c.is_whitespace() || crate::sanitize::is_unsafe(c))
    {
        return Err(format!(
            "it contains a space or a control character ({})",
            crate::sanitize::code_point(c)
        ));
    }
    if let Some(c) = link.chars().find(|c| {
        matches!(
            c,
            '(' | ')' | '<' | '>' | '"' | '\\' | '`' | '{' | '}' | '|' | '^'
        )
    }) {
        return Err(format!("it contains '{c}'"));
    }
    Ok(())
}

/// One problem of a data file: the field path and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// E.g. `versions[1].id`; empty for the file as a whole.
    pub path: String,
    pub message: String,
}

/// Collects every problem of a data file, each with its path; shown as one
/// line, the problems in the order found, joined by "; ".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn new() -> Self {
        Problems::default()
    }

    /// Records a problem at `path`.
    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    /// `Ok` when nothing was found, else every problem.
    pub fn into_result(self) -> Result<(), Problems> {
        self.0.is_empty().then_some(()).ok_or(self)
    }

    /// A data file's problems, first those of its head: the schema version
    /// (`found`, where this build reads `expected`) and the review date.
    pub fn head(found: u32, expected: u32, reviewed: &str) -> Problems {
        let mut p = Problems::new();
        if found != expected {
            let message = format!("{found} is not supported (this build reads {expected})");
            p.push("schema_version", message);
        }
        p.date("reviewed", reviewed);
        p
    }

    /// Text that must not be empty.
    pub fn text(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(path, "must not be empty");
        }
    }

    /// A list of texts, none empty; `required`: at least one.
    pub fn texts(&mut self, path: &str, values: &[String], required: bool) {
        if required && values.is_empty() {
            self.push(path, "must list at least one entry");
        }
        for (i, v) in values.iter().enumerate() {
            self.text(&format!("{path}[{i}]"), v);
        }
    }

    /// A source link (see [`link_problem`]).
    pub fn link(&mut self, path: &str, value: &str) {
        if let Some(message) = link_problem(value) {
            self.push(path, message);
        }
    }

    /// At least one source link.
    pub fn links(&mut self, path: &str, values: &[String]) {
        if values.is_empty() {
            self.push(path, "must list at least one source");
        }
        for (i, v) in values.iter().enumerate() {
            self.link(&format!("{path}[{i}]"), v);
        }
    }

    /// A date written `YYYY-MM-DD`.
    pub fn date(&mut self, path: &str, value: &str) {
        if !is_date(value) {
            self.push(path, format!("'{value}' is not a date written YYYY-MM-DD"));
        }
    }

    /// An item's own `reviewed` date, when it has one.
    pub fn item_date(&mut self, path: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.date(path, v);
        }
    }

    /// The ids of the list at `path` (e.g. `groups`) differ.
    pub fn unique<'a>(&mut self, path: &str, what: &str, ids: impl IntoIterator<Item = &'a str>) {
        let mut seen = std::collections::BTreeSet::new();
        for id in ids {
            if !seen.insert(id) {
                self.push(path, format!("duplicate {what} '{id}'"));
            }
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all: Vec<String> = (self.0.iter())
            .map(|p| match p.path.as_str() {
                "" => p.message.clone(),
                path => format!("{path}: {}", p.message),
            })
            .collect();
        f.write_str(&all.join("; "))
    }
}

impl std::error::Error for Problems {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_check_takes_real_days_only() {
        assert!(is_date("2026-02-28"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2026-02-31"));
        assert!(!is_date("2026-2-28"));
        assert_eq!(parse_date("2026-12-02"), Some((2026, 12, 2)));
    }

    #[test]
    fn the_https_check_says_why() {
        assert_eq!(is_https_url("https://learn.microsoft.com/x"), Ok(()));
        assert_eq!(
            is_https_url("http://learn.microsoft.com/x"),
            Err("it does not start with https://".to_string())
        );
        assert_eq!(is_https_url("https://"), Err("it has no host".to_string()));
        assert_eq!(
            is_https_url("https:///path"),
            Err("it has no host".to_string())
        );
        assert_eq!(
            is_https_url("https://a.b/x y"),
            Err("it contains a space or a control character (U+0020)".to_string())
        );
        assert_eq!(
            is_https_url("https://a.b/(x)"),
            Err("it contains '('".to_string())
        );
        let long = format!("https://a.b/{}", "x".repeat(MAX_LINK_CHARS));
        assert_eq!(
            is_https_url(&long),
            Err(format!("it is longer than {MAX_LINK_CHARS} characters"))
        );
    }

    #[test]
    fn problems_keep_every_problem_with_its_path() {
        let mut p = Problems::new();
        assert_eq!(p.clone().into_result(), Ok(()));
        p.push("reviewed", "'2026-02-31' is not a date");
        p.push("rules[0].sources[0]", "'http://x' is not an https:// URL");
        p.push("", "the file as a whole");
        let err = p.into_result().unwrap_err();
        assert_eq!(
            err.to_string(),
            "reviewed: '2026-02-31' is not a date; \
             rules[0].sources[0]: 'http://x' is not an https:// URL; the file as a whole"
        );
    }
}
