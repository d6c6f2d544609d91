//! Text that came from a user (a matrix file, a query, a file name) made
//! safe for a terminal: no control character or bidirectional override
//! reaches it raw. One place, for every renderer and message.
//!
//! Also compiled into `build.rs` (the data files are checked with it).

use std::borrow::Cow;

/// True for a character that must not reach a terminal raw: the C0
/// controls (ESC starts escape sequences, CR overwrites a line), DEL, the C1
/// controls (0x9B is a one-byte CSI on some terminals) and the bidirectional
/// embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which
/// make text read differently from what it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// As [`is_unsafe`], but newlines and tabs are allowed (prose may hold them).
pub fn is_unsafe_in_text(c: char) -> bool {
    c != '\n' && c != '\t' && is_unsafe(c)
}

/// The first unsafe character of `text` (newlines and tabs allowed), if any.
pub fn first_unsafe_in_text(text: &str) -> Option<char> {
    text.chars().find(|&c| is_unsafe_in_text(c))
}

/// `text` with every unsafe character written as an escape (`\u{1b}`,
/// `\n`): one line, nothing for the terminal to act on.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_if(text, is_unsafe)
}

/// As [`escape`], but newlines and tabs are kept.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape_if(text, is_unsafe_in_text)
}

fn escape_if(text: &str, unsafe_char: fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A character named for an error message: `U+001B`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_and_the_rest_is_kept() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape("x\ny\tz"), "x\\ny\\tz");
        assert_eq!(escape_text("x\ny\tz\u{7}"), "x\ny\tz\\u{7}");
        assert_eq!(escape("\u{202e}abc\u{2066}"), "\\u{202e}abc\\u{2066}");
        assert_eq!(escape("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape("\u{7f}"), "\\u{7f}");
        assert!(matches!(
            escape("plain – ü 中"),
            Cow::Borrowed("plain – ü 中")
        ));
        assert_eq!(first_unsafe_in_text("ok\n\tok"), None);
        assert_eq!(first_unsafe_in_text("ok\r"), Some('\r'));
        assert_eq!(code_point('\u{1b}'), "U+001B");
        assert_eq!(code_point('\u{202e}'), "U+202E");
        // The marks that are not overrides are fine.
        assert!(!is_unsafe('\u{200e}'));
    }
}
