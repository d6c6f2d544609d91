//! Every YAML call of the project goes through this module, so the YAML
//! library (serde_yaml, archived upstream) can be swapped in one place.
//! Also compiled into `build.rs`.

use serde::de::{Deserialize, DeserializeSeed};
use serde::Serialize;

/// A YAML error: the message (with the field path where there is one) and
/// the 1-based line and column where the parser stopped, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // serde_yaml already appends "at line L column C" to its messages.
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

impl From<serde_yaml::Error> for YamlError {
    fn from(e: serde_yaml::Error) -> Self {
        let location = e.location();
        YamlError {
            message: e.to_string(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    }
}

/// Parses a YAML (or JSON) document into `T`, which may borrow from `text`.
pub fn from_str_borrowed<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, YamlError> {
    check_nesting(text)?;
    Ok(serde_yaml::from_str(text)?)
}

/// Parses a YAML (or JSON) document with a stateful seed.
#[allow(dead_code)] // not used by build.rs
pub fn from_str_seed<'de, S: DeserializeSeed<'de>>(
    text: &'de str,
    seed: S,
) -> Result<S::Value, YamlError> {
    check_nesting(text)?;
    Ok(seed.deserialize(serde_yaml::Deserializer::from_str(text))?)
}

/// The deepest nesting of `[` and `{` accepted. The YAML scanner spends time
/// proportional to this depth on every token (100,000 `[` take minutes), and
/// serde_yaml refuses anything nested deeper than 128 levels anyway.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Rejects text nested deeper than [`MAX_FLOW_DEPTH`] before the scanner
/// sees it. An over-estimate of the real depth: brackets in comments and in
/// quoted scalars are skipped, every other `[`/`{` counts (a bracket in plain
/// text too), so a valid file is only rejected if it holds more than 128
/// unmatched brackets. It is counted twice, once letting a quoted scalar run
/// over several lines and once not, so that a quote the count mistakes (one
/// inside a block scalar, say) cannot hide brackets from both counts.
fn check_nesting(text: &str) -> Result<(), YamlError> {
    let too_deep = [true, false]
        .into_iter()
        .filter_map(|multiline| too_deep_at(text.as_bytes(), multiline))
        .min();
    let Some(i) = too_deep else {
        return Ok(());
    };
    let before = text.get(..i).unwrap_or(text);
    let line = before.bytes().filter(|&c| c == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    Err(YamlError {
        message: format!(
            "'[' and '{{' nested more than {MAX_FLOW_DEPTH} levels deep at line {line} column {column}"
        ),
        line: Some(line),
        column: Some(column),
    })
}

/// The offset of the first `[` or `{` deeper than [`MAX_FLOW_DEPTH`], if any.
/// With `multiline` false, a quote that is not closed on its own line is
/// taken for an ordinary character.
fn too_deep_at(bytes: &[u8], multiline: bool) -> Option<usize> {
    let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let mut depth = 0usize;
    // The last byte that is not blank (b'\n' at the start of a line), and
    // the first byte of the word before the last blank (`&anchor`, `!tag`).
    let (mut prev, mut word, mut word_start) = (b'\n', b'\n', b'\n');
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let after_blank = i == 0 || blank(bytes[i - 1]);
        if after_blank && !blank(b) {
            word = word_start;
            word_start = b;
        }
        match b {
            b'\n' => prev = b'\n',
            b' ' | b'\t' | b'\r' => {}
            b'#' if after_blank => {
                // A comment, to the end of the line.
                i = bytes[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'"' | b'\''
                if matches!(prev, b'\n' | b'[' | b'{' | b',' | b':')
                    || (after_blank && matches!(prev, b'-' | b'?'))
                    || (after_blank && matches!(word, b'&' | b'!')) =>
            {
                // A quoted scalar: skip to its closing quote.
                let mut j = i + 1;
                while j < bytes.len() {
                    match bytes[j] {
                        b'\\' if b == b'"' => j += 1,
                        b'\'' if b == b'\'' && bytes.get(j + 1) == Some(&b'\'') => j += 1,
                        b'\n' if !multiline => break,
                        c if c == b => break,
                        _ => {}
                    }
                    j += 1;
                }
                prev = b;
                if bytes.get(j) == Some(&b) {
                    i = j + 1;
                    continue;
                }
                if multiline {
                    return None; // open to the end: nothing more is scanned
                }
                // Not closed on its line: an ordinary character after all.
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
                prev = b;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                prev = b;
            }
            _ => prev = b,
        }
        i += 1;
    }
    None
}

/// Writes `value` as a YAML document.
#[allow(dead_code)] // not used by build.rs
pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    Ok(serde_yaml::to_string(value)?)
}
