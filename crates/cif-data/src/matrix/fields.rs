//! The checks of one matrix field: ids, keys, prose, names, links, dates.

use super::validate::{field, ValidationError};
use crate::sanitize::code_point;

/// Ids are non-empty, without spaces or commas (they appear in comma lists).
pub(super) fn check_id(path: &str, id: &str) -> Result<(), ValidationError> {
    if id.is_empty() || id.len() > 64 {
        return Err(field(path, "must be 1 to 64 characters"));
    }
    if id.chars().any(|c| c.is_whitespace() || c == ',') {
        let message = format!("'{id}' contains a space or a comma; ids may not");
        return Err(field(path, message));
    }
    match id.chars().find(|&c| crate::sanitize::is_unsafe(c)) {
        Some(c) => {
            let message = format!(
                "contains a control character ({}); ids may not",
                code_point(c)
            );
            Err(field(path, message))
        }
        None => Ok(()),
    }
}

/// Keys and value ids: lower-case letters, digits, '-' and '_'.
pub(super) fn check_key(path: &str, key: &str) -> Result<(), ValidationError> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    let message =
        format!("'{key}' is not a valid key; use lower-case letters, digits, '-' and '_'");
    ok.then_some(()).ok_or_else(|| field(path, message))
}

/// Prose: not empty, and nothing a terminal would act on (newlines and
/// tabs aside; see `crate::sanitize`).
pub(super) fn check_text(path: &str, text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() {
        return Err(field(path, "is empty; expected text"));
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        let message = format!("is {chars} characters long; at most {MAX_TEXT_CHARS} are supported");
        return Err(field(path, message));
    }
    match crate::sanitize::first_unsafe_in_text(text) {
        Some(c) => Err(field(
            path,
            format!(
                "contains a control character ({}); remove it (text may hold newlines and tabs, \
                 but no other control character or bidirectional override)",
                code_point(c)
            ),
        )),
        None => Ok(()),
    }
}

/// The longest prose (a fact, a note, a question) accepted: tables fit
/// their cells in time that grows with a cell's length.
pub const MAX_TEXT_CHARS: usize = 4000;

/// The longest name (of a version, an app, a dimension, a value, a row).
pub const MAX_NAME_CHARS: usize = 200;

/// A name: prose of at most [`MAX_NAME_CHARS`] characters.
pub(super) fn check_name(path: &str, name: &str) -> Result<(), ValidationError> {
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        let message = format!("is {chars} characters long; at most {MAX_NAME_CHARS} are supported");
        return Err(field(path, message));
    }
    check_text(path, name)
}

/// Text that may be empty but holds nothing a terminal would act on.
pub(super) fn check_plain(path: &str, text: &str) -> Result<(), ValidationError> {
    if text.chars().count() > MAX_NAME_CHARS {
        let message = format!("is longer than {MAX_NAME_CHARS} characters");
        return Err(field(path, message));
    }
    match text.chars().find(|&c| crate::sanitize::is_unsafe(c)) {
        None => Ok(()),
        Some(c) => {
            let message = format!(
                "contains a control character ({}); remove it",
                code_point(c)
            );
            Err(field(path, message))
        }
    }
}

/// Every fact carries a link to its source: an `https://` URL with a host,
/// printable, without spaces, and without the characters that would end it
/// in Markdown or HTML (see [`crate::validators::is_https_url`]).
pub fn check_link(path: &str, link: &str) -> Result<(), ValidationError> {
    match crate::validators::link_problem(link) {
        Some(message) => Err(field(path, message)),
        None => Ok(()),
    }
}

/// A date in the form YYYY-MM-DD with a plausible month and day.
pub fn check_date(path: &str, date: &str) -> Result<(), ValidationError> {
    let message = || field(path, format!("'{date}' is not a date; expected YYYY-MM-DD"));
    crate::validators::is_date(date)
        .then_some(())
        .ok_or_else(message)
}

/// An item's own `reviewed` date (at `path.reviewed`), when it has one.
pub fn check_item_date(path: &str, date: Option<&str>) -> Result<(), ValidationError> {
    date.map_or(Ok(()), |d| check_date(&format!("{path}.reviewed"), d))
}
