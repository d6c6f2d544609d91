//! Text that came from a user (a matrix file, a query, a file name) made
//! safe for a terminal: no control character or bidirectional override
//! reaches it raw. One place, for every renderer and message.

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

/// What the writers of standard output and standard error apply to all
/// they write (`output::write_stdout`, `output::write_stderr`): as
/// [`escape_text`], but the style sequences the tool writes itself for
/// colour (SGR, `ESC [ 1;32 m`) are kept. Any other sequence (a window
/// title, a screen clear, a cursor move) has its ESC escaped, so text from a
/// user that a renderer forgot to escape still cannot act on the terminal.
pub fn escape_terminal(text: &str) -> Cow<'_, str> {
    let Some(first) = first_unsafe_in_text_at(text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(c) = rest.chars().next() {
        let sgr = if c == '\u{1b}' { sgr_len(rest) } else { 0 };
        if sgr > 0 {
            out.push_str(&rest[..sgr]);
            rest = &rest[sgr..];
            continue;
        }
        if is_unsafe_in_text(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The byte offset of the first character of UTF-8 `bytes` that
/// [`is_unsafe_in_text`], if any. The writers see every byte of output, so
/// this scans bytes: one table look-up each, and a closer look only at a C0
/// control other than newline and tab, DEL, and the first bytes of the C1
/// controls (0xC2) and of the bidirectional controls (0xE2).
fn first_unsafe_in_text_at(bytes: &[u8]) -> Option<usize> {
    const SUSPECT: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            t[b] = b != b'\n' as usize && b != b'\t' as usize;
            b += 1;
        }
        t[0x7f] = true;
        t[0xc2] = true;
        t[0xe2] = true;
        t
    };
    bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| SUSPECT[usize::from(b)])
        .map(|(i, _)| i)
        .find(|&i| unsafe_at(bytes, i))
}

/// Whether the character starting at byte `i` of UTF-8 `bytes` is unsafe
/// (newlines and tabs allowed): C0, DEL, C1 (U+0080-U+009F: C2 80-9F),
/// U+202A-U+202E (E2 80 AA-AE), U+2066-U+2069 (E2 81 A6-A9).
fn unsafe_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' | b'\t' => false,
        b if b < 0x20 || b == 0x7f => true,
        0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    }
}

/// The length of the SGR sequence (`ESC [`, digits and `;`, `m`) at the
/// start of `text`, or 0.
fn sgr_len(text: &str) -> usize {
    let Some(params) = text.strip_prefix("\u{1b}[") else {
        return 0;
    };
    let digits = params
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    match params.as_bytes().get(digits) {
        Some(b'm') if digits <= 32 => 2 + digits + 1,
        _ => 0,
    }
}

/// What the writers of JSON apply to a whole JSON document or line: every
/// unsafe character (see [`is_unsafe`]; newlines and tabs aside, which
/// serde_json only writes between values) written as a JSON escape,
/// `\u202e`. In valid JSON such a character can only be inside a string,
/// where the escape reads back as the same character: the value is
/// unchanged, only its spelling is safe for a terminal.
pub fn escape_json(text: &str) -> Cow<'_, str> {
    let Some(first) = first_unsafe_in_text_at(text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if is_unsafe_in_text(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
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
        // The writers: the tool's own colour stays, anything else is escaped.
        assert_eq!(
            escape_terminal("\u{1b}[1;32mok\u{1b}[0m\n\u{1b}]0;t\u{7}\u{1b}[2J\u{1b}[m"),
            "\u{1b}[1;32mok\u{1b}[0m\n\\u{1b}]0;t\\u{7}\\u{1b}[2J\u{1b}[m"
        );
        assert_eq!(escape_terminal("\u{1b}["), "\\u{1b}[");
        assert_eq!(escape_terminal("a\u{202e}\u{9b}\t"), "a\\u{202e}\\u{9b}\t");
        assert_eq!(
            escape_json("{\"a\": \"x\u{7f}\u{9b}\u{202e}\u{2069}y\"}\n"),
            "{\"a\": \"x\\u007f\\u009b\\u202e\\u2069y\"}\n"
        );
        assert!(matches!(escape_json("{\"é\": 1}"), Cow::Borrowed(_)));
        // The byte scan finds what the character rule finds, and where.
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let text = format!("{}ab{c}", "x".repeat(40));
            let want = is_unsafe_in_text(c).then_some(42);
            assert_eq!(first_unsafe_in_text_at(text.as_bytes()), want, "{c:?}");
        }
        // The marks that are not overrides are fine.
        assert!(!is_unsafe('\u{200e}'));
    }
}
