//! Every YAML call of the project goes through this module, so the YAML
//! library (serde_yaml, archived upstream) can be swapped in one place.

use crate::sanitize::code_point;
use serde::de::{Deserialize, DeserializeSeed};
use serde::Serialize;

/// A YAML error: the message (with the field path where there is one) and
/// the 1-based line and column where the parser stopped, when known.
/// (serde_yaml already appends "at line L column C" to its messages.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

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

/// The text without a leading byte-order mark (Windows editors write one;
/// with CRLF line ends libyaml would take the rest for a second document).
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Parses a YAML (or JSON) document into `T`, which may borrow from `text`.
pub fn from_str_borrowed<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, YamlError> {
    let text = without_bom(text);
    check_limits(text)?;
    Ok(serde_yaml::from_str(text)?)
}

/// Parses a YAML (or JSON) document with a stateful seed.
pub fn from_str_seed<'de, S: DeserializeSeed<'de>>(
    text: &'de str,
    seed: S,
) -> Result<S::Value, YamlError> {
    let text = without_bom(text);
    check_limits(text)?;
    Ok(seed.deserialize(serde_yaml::Deserializer::from_str(text))?)
}

/// The deepest nesting of lists and maps accepted, block (`- - -`, `? ? ?`,
/// `key:` under `key:`) and flow (`[`, `{`) alike; the top-level node is
/// level 1. serde_yaml refuses anything deeper than 128 levels anyway, but
/// only after it has read the whole document into memory (~150 bytes a
/// level), and the scanner spends time proportional to the flow depth on
/// every token.
pub const MAX_DEPTH: usize = 128;

/// The most nodes (scalars, aliases, lists and maps) a document may hold,
/// aliases counted as the nodes they repeat. serde_yaml keeps ~150 bytes per
/// node before it deserialises anything, so this bounds its memory (~40 MB);
/// a 4 MiB matrix of real text holds well under 100,000.
pub const MAX_NODES: u64 = 250_000;

/// How many times its own nodes a document may grow by its aliases: an alias
/// replays the whole node it names, so a few aliases of a long list would
/// otherwise expand a small file without limit (a "billion laughs").
pub const MAX_ALIAS_GROWTH: u64 = 4;

/// Rejects a document that is nested too deep, too large in nodes, grown
/// too much by its aliases or holding a control character in a value
/// (see [`crate::sanitize`]), before serde_yaml loads it. The check reads the
/// parser events of libyaml (the parser inside serde_yaml, so both see the
/// same document) one at a time, keeping nothing but a count per anchor; it
/// stops at the first limit passed. A syntax error ends the check quietly:
/// serde_yaml then reports it, at the same place, having read no further.
fn check_limits(text: &str) -> Result<(), YamlError> {
    let Some(mut events) = events::Events::new(text) else {
        return Ok(());
    };
    let mut depth = 0usize;
    let (mut own, mut expanded) = (0u64, 0u64);
    // The nodes each anchor stands for; the anchored lists and maps still open.
    let mut anchors: std::collections::HashMap<Vec<u8>, u64> = Default::default();
    let mut open: Vec<(usize, Vec<u8>, u64)> = Vec::new();
    while let Some(event) = events.next_event() {
        let (line, column) = (event.line + 1, event.column + 1);
        let fail = |what: String, fix: &str| YamlError {
            message: format!("{what} at line {line} column {column}; {fix}"),
            line: Some(line),
            column: Some(column),
        };
        match event.kind {
            events::Kind::Start => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let what = format!("lists and maps nested more than {MAX_DEPTH} levels deep");
                    return Err(fail(what, "flatten the structure"));
                }
                own += 1;
                expanded += 1;
                if let Some(name) = event.anchor {
                    open.push((depth, name, expanded - 1));
                }
            }
            events::Kind::End => {
                if let Some((_, name, start)) = open.pop_if(|o| o.0 == depth) {
                    anchors.insert(name, expanded - start);
                }
                depth = depth.saturating_sub(1);
            }
            events::Kind::Scalar => {
                if let Some(c) = event.unsafe_char {
                    let what = format!("a control character ({}) in a value", code_point(c));
                    let fix = "remove it: text may hold newlines and tabs, but no other control \
                         character or bidirectional override";
                    return Err(fail(what, fix));
                }
                own += 1;
                expanded += 1;
                if let Some(name) = event.anchor {
                    anchors.insert(name, 1);
                }
            }
            events::Kind::Alias => {
                own += 1;
                let repeats = event
                    .anchor
                    .and_then(|name| anchors.get(&name).copied())
                    .unwrap_or(1);
                expanded = expanded.saturating_add(repeats);
                if expanded > MAX_NODES {
                    let what = format!(
                        "aliases repeat more than {MAX_NODES} nodes (values, lists and maps)"
                    );
                    return Err(fail(what, "use fewer aliases"));
                }
            }
            events::Kind::Other => {}
        }
        if own > MAX_NODES {
            let what = format!("more than {MAX_NODES} nodes (values, lists and maps)");
            return Err(fail(what, "is it the right file?"));
        }
    }
    if expanded > own.saturating_mul(MAX_ALIAS_GROWTH) {
        return Err(YamlError {
            message: format!(
                "aliases repeat {expanded} nodes, more than {MAX_ALIAS_GROWTH} times the \
                 document's own {own}; write the repeated parts out"
            ),
            line: None,
            column: None,
        });
    }
    Ok(())
}

/// libyaml's event parser (through `unsafe-libyaml`, the crate serde_yaml
/// runs), read one event at a time. The only unsafe code of the project.
mod events {
    use std::mem::MaybeUninit;
    use unsafe_libyaml as unsafe_sys;

    /// What an event is, as far as the limits care.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Kind {
        /// A list or map starts.
        Start,
        /// A list or map ends.
        End,
        Scalar,
        Alias,
        /// Stream and document start and end.
        Other,
    }

    pub struct Event {
        pub kind: Kind,
        /// The anchor a node defines, or the one an alias names.
        pub anchor: Option<Vec<u8>>,
        /// A scalar's first character that may not reach a terminal.
        pub unsafe_char: Option<char>,
        /// 0-based.
        pub line: usize,
        pub column: usize,
    }

    pub struct Events<'a> {
        // Boxed: libyaml keeps a pointer to the parser in the parser.
        parser: Box<MaybeUninit<unsafe_sys::yaml_parser_t>>,
        done: bool,
        _text: std::marker::PhantomData<&'a str>,
    }

    impl<'a> Events<'a> {
        /// A parser over `text` (None if libyaml cannot allocate one).
        pub fn new(text: &'a str) -> Option<Events<'a>> {
            let mut parser = Box::new(MaybeUninit::<unsafe_sys::yaml_parser_t>::uninit());
            // SAFETY: as serde_yaml does (src/libyaml/parser.rs): the parser
            // is initialised before use, stays at one address (boxed), and the
            // input outlives it (the lifetime 'a).
            unsafe {
                let p = parser.as_mut_ptr();
                if unsafe_sys::yaml_parser_initialize(p).fail {
                    return None;
                }
                unsafe_sys::yaml_parser_set_encoding(p, unsafe_sys::YAML_UTF8_ENCODING);
                unsafe_sys::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64);
            }
            Some(Events {
                parser,
                done: false,
                _text: std::marker::PhantomData,
            })
        }

        /// The next event; None at the end of the stream or at a syntax error.
        pub fn next_event(&mut self) -> Option<Event> {
            if self.done {
                return None;
            }
            let mut raw = MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
            // SAFETY: the parser was initialised in `new`; a parsed event is
            // read (its union by its type) and then deleted once.
            unsafe {
                if unsafe_sys::yaml_parser_parse(self.parser.as_mut_ptr(), raw.as_mut_ptr()).fail {
                    self.done = true;
                    return None;
                }
                let e = raw.as_mut_ptr();
                let d = &(*e).data;
                let (kind, anchor_ptr) = match (*e).type_ {
                    unsafe_sys::YAML_ALIAS_EVENT => (Kind::Alias, d.alias.anchor),
                    unsafe_sys::YAML_SCALAR_EVENT => (Kind::Scalar, d.scalar.anchor),
                    unsafe_sys::YAML_SEQUENCE_START_EVENT => (Kind::Start, d.sequence_start.anchor),
                    unsafe_sys::YAML_MAPPING_START_EVENT => (Kind::Start, d.mapping_start.anchor),
                    unsafe_sys::YAML_SEQUENCE_END_EVENT | unsafe_sys::YAML_MAPPING_END_EVENT => {
                        (Kind::End, std::ptr::null_mut())
                    }
                    t => {
                        self.done = t == unsafe_sys::YAML_STREAM_END_EVENT;
                        (Kind::Other, std::ptr::null_mut())
                    }
                };
                let anchor = (!anchor_ptr.is_null()).then(|| {
                    std::ffi::CStr::from_ptr(anchor_ptr.cast())
                        .to_bytes()
                        .to_vec()
                });
                let unsafe_char = match kind {
                    Kind::Scalar if !d.scalar.value.is_null() => {
                        let value =
                            std::slice::from_raw_parts(d.scalar.value, d.scalar.length as usize);
                        String::from_utf8_lossy(value)
                            .chars()
                            .find(|&c| crate::sanitize::is_unsafe_in_text(c))
                    }
                    _ => None,
                };
                let mark = (*e).start_mark;
                unsafe_sys::yaml_event_delete(e);
                Some(Event {
                    kind,
                    anchor,
                    unsafe_char,
                    line: mark.line as usize,
                    column: mark.column as usize,
                })
            }
        }
    }

    impl Drop for Events<'_> {
        fn drop(&mut self) {
            // SAFETY: initialised in `new` (a failed initialisation returns
            // before an `Events` exists), deleted once.
            unsafe { unsafe_sys::yaml_parser_delete(self.parser.as_mut_ptr()) }
        }
    }
}

/// Writes `value` as a YAML document.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    Ok(serde_yaml::to_string(value)?)
}
