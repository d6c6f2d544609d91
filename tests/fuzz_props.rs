//! Fuzz-style properties (proptest): the parsers of user input never panic,
//! whatever the bytes. Arbitrary byte strings, arbitrary strings, and valid
//! documents with random byte flips, insertions and truncations go into
//! `Matrix::from_yaml`, `requirements::parse_document` and the batch line
//! parser (`Batch::process`), and each either returns a value or an error;
//! a batch line always gives exactly one line of JSON with its "line".
//!
//! Case counts: see `CASES_*` below (about 23,600 inputs in all); the file
//! takes about 20 seconds of CPU in a debug build, so the properties are
//! `#[ignore = "fuzz"]`: CI runs them (`cargo test --locked -- --include-ignored`).

use cif_advisor::batch::Batch;
use cif_advisor::batch::Detail;
use cif_advisor::engine::Engine;
use cif_advisor::matrix::{DimensionKind, Matrix, EMBEDDED_YAML};
use cif_advisor::output::Styles;
use cif_advisor::render;
use cif_advisor::render::Format;
use cif_advisor::requirements::{parse_document, Lexicon, Requirements, Value};
use proptest::prelude::*;
use std::sync::OnceLock;

/// Cases for the cheap properties (short inputs).
const CASES_SMALL: u32 = 2_000;
/// Cases for the troubleshoot search (about 10 ms a query in a debug build).
const CASES_SEARCH: u32 = 300;
/// Cases for the stemmer's word endings (one in 64 ends in a character
/// whose last two bytes are equal, the case that once panicked).
const CASES_STEM: u32 = 500;
/// Cases for the properties that parse the whole 40 KB embedded matrix.
const CASES_MATRIX: u32 = 400;

fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| cif_advisor::matrix::embedded().expect("embedded matrix"))
}

fn lexicon() -> &'static Lexicon<'static> {
    static L: OnceLock<Lexicon<'static>> = OnceLock::new();
    L.get_or_init(|| Lexicon::new(matrix()))
}

fn engine() -> &'static Engine<'static> {
    static E: OnceLock<Engine<'static>> = OnceLock::new();
    E.get_or_init(|| Engine::new(matrix()))
}

fn problems() -> &'static cif_advisor::knowledge::ProblemCatalogue {
    static P: OnceLock<cif_advisor::knowledge::ProblemCatalogue> = OnceLock::new();
    P.get_or_init(|| cif_advisor::knowledge::problem_catalogue().expect("problem catalogue"))
}

/// The built-in catalogue, indexed once for all the cases.
fn searcher() -> &'static cif_advisor::troubleshoot::Searcher<'static> {
    static S: OnceLock<cif_advisor::troubleshoot::Searcher<'static>> = OnceLock::new();
    S.get_or_init(|| {
        static R: OnceLock<cif_advisor::troubleshoot::WordRules> = OnceLock::new();
        let rules = R.get_or_init(|| cif_advisor::troubleshoot::word_rules().expect("words"));
        cif_advisor::troubleshoot::Searcher::new(problems(), rules)
    })
}

/// A small valid matrix (one version, one app, one flag dimension, one row),
/// cheap enough to mutate thousands of times.
const SMALL_MATRIX: &str = r#"schema_version: 1
reviewed: "2025-01-01"
preference: ["1.0"]
versions:
  - id: "1.0"
    name: CIF 1.0
    docs: https://learn.microsoft.com/a
apps:
  - id: sales
    name: Sales Hub
    aliases: [sales-hub]
    session: single
    state: active
    support:
      "1.0": {status: yes, fact: It works., source: "https://learn.microsoft.com/b"}
dimensions:
  - key: apps
    name: App
    kind: apps
    question: Which app?
    help: The app matters.
  - key: analytics
    name: Analytics
    kind: flag
    question: Analytics?
    help: Analytics matters.
    support:
      "1.0": {status: no, fact: No analytics., source: "https://learn.microsoft.com/c"}
rows:
  - feature: Analytics
    values: {"1.0": ["No"]}
    source: https://learn.microsoft.com/c
"#;

const REQUIREMENTS: &str = "apps: [sales, field-service]\nproviders: 2\nchannels: telephony\ncloud: gcc\nanalytics: true\nsession: single\npanel_modes: [docked, hidden]\n";

const BATCH_LINE: &str = r#"{"id": "org-17", "apps": ["sales", "csw"], "providers": 2, "analytics": true, "channels": "telephony,sms", "cloud": "gcc"}"#;

/// One edit of a document.
#[derive(Debug, Clone)]
enum Edit {
    /// Replace the byte at (position mod length).
    Flip(usize, u8),
    /// Insert a byte.
    Insert(usize, u8),
    /// Delete a byte.
    Delete(usize),
    /// Cut the document at this point.
    Truncate(usize),
}

/// Bytes that matter to YAML and JSON, more often than chance would pick them.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(b"[]{}:,-'\"#&*!|>?\n\t \\\xff\xc3\x80".to_vec()),
        1 => any::<u8>(),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), interesting_byte()).prop_map(|(p, b)| Edit::Flip(p, b)),
        3 => (any::<usize>(), interesting_byte()).prop_map(|(p, b)| Edit::Insert(p, b)),
        2 => any::<usize>().prop_map(Edit::Delete),
        1 => any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// `doc` with 1 to 8 random edits.
fn mutated(doc: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(edit(), 1..8).prop_map(move |edits| {
        let mut bytes = doc.as_bytes().to_vec();
        for e in edits {
            let len = bytes.len().max(1);
            match e {
                Edit::Flip(p, b) if !bytes.is_empty() => bytes[p % len] = b,
                Edit::Insert(p, b) => bytes.insert(p % (bytes.len() + 1), b),
                Edit::Delete(p) if !bytes.is_empty() => {
                    bytes.remove(p % len);
                }
                Edit::Truncate(p) => bytes.truncate(p % (bytes.len() + 1)),
                _ => {}
            }
        }
        bytes
    })
}

/// Arbitrary bytes, mostly short, sometimes a few kilobytes.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 0..64),
        2 => prop::collection::vec(interesting_byte(), 0..256),
        1 => prop::collection::vec(any::<u8>(), 0..4096),
    ]
}

/// Text that looks a little like YAML or JSON: words, indicators, brackets.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop::sample::select(vec![
            "[",
            "]",
            "{",
            "}",
            ": ",
            ",",
            "- ",
            "\n",
            "\n  ",
            "'",
            "\"",
            "#",
            "&a ",
            "*a",
            "!!str ",
            "|\n",
            ">-\n",
            "? ",
            "---\n",
            "...\n",
            "~",
            "null",
            "true",
            "1",
            "-1",
            "1e999",
            "apps",
            "sales",
            "providers",
            "schema_version",
            "versions",
            "id",
            "\t",
            "\\",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,8}".prop_map(|s| s),
    ];
    prop::collection::vec(token, 0..64).prop_map(|t| t.concat())
}

/// Checks one batch result: exactly one line of JSON with this line number.
fn check_batch_output(n: u64, out: &[u8]) -> Result<(), TestCaseError> {
    prop_assert!(
        out.ends_with(b"\n"),
        "no newline at the end: {:?}",
        String::from_utf8_lossy(out)
    );
    let body = &out[..out.len() - 1];
    prop_assert!(
        !body.contains(&b'\n'),
        "more than one line: {:?}",
        String::from_utf8_lossy(out)
    );
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "not JSON ({e}): {:?}",
                String::from_utf8_lossy(out)
            )))
        }
    };
    prop_assert_eq!(value.get("line").and_then(|v| v.as_u64()), Some(n));
    let is_error = value.get("error").is_some_and(|e| e.is_string());
    let is_result = value.get("recommended").is_some() && value.get("fits").is_some();
    prop_assert!(
        is_error != is_result,
        "neither an error nor a result: {}",
        value
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES_SMALL))]

    #[test]
    #[ignore = "fuzz"]
    fn matrix_from_arbitrary_bytes_never_panics(b in bytes()) {
        let text = String::from_utf8_lossy(&b);
        let _ = Matrix::from_yaml(&text, "fuzz.yaml");
    }

    #[test]
    #[ignore = "fuzz"]
    fn matrix_from_yamlish_text_never_panics(text in yamlish()) {
        let _ = Matrix::from_yaml(&text, "fuzz.yaml");
    }

    #[test]
    #[ignore = "fuzz"]
    fn matrix_from_a_mutated_small_matrix_never_panics(b in mutated(SMALL_MATRIX)) {
        let text = String::from_utf8_lossy(&b);
        if let Err(e) = Matrix::from_yaml(&text, "fuzz.yaml") {
            // Every error names the file.
            let message = e.to_string();
            prop_assert!(message.contains("fuzz.yaml"), "{}", message);
        }
    }

    #[test]
    #[ignore = "fuzz"]
    fn a_mutated_small_matrix_that_still_loads_can_be_used(
        b in mutated(SMALL_MATRIX),
        seed in any::<u64>(),
    ) {
        let text = String::from_utf8_lossy(&b);
        let Ok(m) = Matrix::from_yaml(&text, "fuzz.yaml") else {
            return Ok(());
        };
        let engine = Engine::new(&m);
        let mut req = Requirements::empty(&m);
        for (d, dim) in m.dimensions.iter().enumerate() {
            let n = match dim.kind {
                DimensionKind::Apps => m.apps.len(),
                DimensionKind::Choice | DimensionKind::Multi => dim.values.len(),
                DimensionKind::Flag => 1,
                DimensionKind::Count => {
                    req.values[d] = Some(Value::Count((seed % 5) as u32 + 1));
                    continue;
                }
            };
            if n > 0 {
                req.values[d] = Some(Value::Set(1 << (seed.rotate_right(d as u32) as usize % n)));
            }
        }
        let decision = engine.evaluate(&req);
        let styles = Styles::new(false);
        for format in [Format::Text, Format::Json, Format::Yaml, Format::Markdown] {
            prop_assert!(render::decision(&engine, &decision, format, &styles, true, None).is_ok());
        }
        for format in [Format::Table, Format::Markdown, Format::Json, Format::Yaml] {
            prop_assert!(render::compare(&m, format, &Styles::new(false)).is_ok());
        }
        prop_assert!(render::apps(&m, Format::Table, &Styles::new(false)).is_ok());
        let _ = cif_advisor::lint::lint(&m, (2030, 1, 1));
    }

    #[test]
    #[ignore = "fuzz"]
    fn requirements_from_arbitrary_bytes_never_panic(b in bytes()) {
        let text = String::from_utf8_lossy(&b);
        let _ = parse_document(&text, lexicon());
    }

    #[test]
    #[ignore = "fuzz"]
    fn requirements_from_arbitrary_strings_never_panic(text in any::<String>()) {
        let _ = parse_document(&text, lexicon());
    }

    #[test]
    #[ignore = "fuzz"]
    fn requirements_from_yamlish_text_never_panic(text in yamlish()) {
        let _ = parse_document(&text, lexicon());
    }

    #[test]
    #[ignore = "fuzz"]
    fn requirements_from_a_mutated_document_never_panic(b in mutated(REQUIREMENTS)) {
        let text = String::from_utf8_lossy(&b);
        match parse_document(&text, lexicon()) {
            Ok(req) => prop_assert_eq!(req.values.len(), matrix().dimensions.len()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    #[ignore = "fuzz"]
    fn a_batch_line_of_arbitrary_bytes_gives_one_json_line(b in bytes(), n in 1u64..u64::MAX) {
        let mut batch = Batch::new(engine(), Detail::Compact);
        let mut out = Vec::new();
        batch.process(n, &b, &mut out);
        check_batch_output(n, &out)?;
    }

    #[test]
    #[ignore = "fuzz"]
    fn a_batch_line_of_arbitrary_text_gives_one_json_line(text in any::<String>()) {
        let mut batch = Batch::new(engine(), Detail::Compact);
        let mut out = Vec::new();
        batch.process(1, text.as_bytes(), &mut out);
        check_batch_output(1, &out)?;
    }

    #[test]
    #[ignore = "fuzz"]
    fn a_mutated_batch_line_gives_one_json_line(b in mutated(BATCH_LINE), n in 1u64..1_000_000) {
        let mut batch = Batch::new(engine(), Detail::Compact);
        let mut out = Vec::new();
        batch.process(n, &b, &mut out);
        check_batch_output(n, &out)?;
        prop_assert_eq!(batch.summary.lines, 1);
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES_MATRIX))]

    #[test]
    #[ignore = "fuzz"]
    fn matrix_from_the_mutated_embedded_matrix_never_panics(b in mutated(EMBEDDED_YAML)) {
        let text = String::from_utf8_lossy(&b);
        if let Err(e) = Matrix::from_yaml(&text, "fuzz.yaml") {
            prop_assert!(e.to_string().contains("fuzz.yaml"));
        }
    }

    #[test]
    #[ignore = "fuzz"]
    fn a_mutated_batch_line_with_full_detail_gives_one_json_line(b in mutated(BATCH_LINE)) {
        let mut batch = Batch::new(engine(), Detail::Full);
        let mut out = Vec::new();
        batch.process(7, &b, &mut out);
        check_batch_output(7, &out)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES_SEARCH))]

    #[test]
    #[ignore = "fuzz"]
    fn troubleshoot_search_never_panics(text in any::<String>()) {
        let _ = searcher().search(&text, None);
        let _ = searcher().search(&text, Some("2.0"));
        let _ = cif_advisor::troubleshoot::find_by_id(problems(), &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES_STEM))]

    #[test]
    #[ignore = "fuzz"]
    fn troubleshoot_search_of_word_endings_never_panics(
        word in "[aeiou][a-z]{0,2}[\\u{800}-\\u{10ffff}](ed|ing)",
    ) {
        // The stemmer works on byte offsets: words ending in non-ASCII
        // letters must not be cut inside a character.
        let _ = searcher().search(&word, None);
    }
}

#[test]
fn the_unmutated_documents_are_valid() {
    // The properties above start from valid documents; make sure they are.
    Matrix::from_yaml(SMALL_MATRIX, "small.yaml").expect("small matrix");
    Matrix::from_yaml(EMBEDDED_YAML, "embedded.yaml").expect("embedded matrix");
    let req = parse_document(REQUIREMENTS, lexicon()).expect("requirements");
    assert!(!req.is_empty());
    let mut batch = Batch::new(engine(), Detail::Compact);
    let mut out = Vec::new();
    batch.process(1, BATCH_LINE.as_bytes(), &mut out);
    let value: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert!(value.get("error").is_none(), "{value}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES_SMALL))]

    #[test]
    #[ignore = "fuzz"]
    fn escaped_text_holds_nothing_a_terminal_acts_on(s in "(\\PC|[\\x00-\\x1f\\x7f-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}]){0,40}") {
        use cif_advisor::sanitize::{escape, escape_text, is_unsafe, is_unsafe_in_text};
        prop_assert!(!escape(&s).chars().any(is_unsafe));
        prop_assert!(!escape_text(&s).chars().any(is_unsafe_in_text));
        if !s.chars().any(is_unsafe) {
            let escaped = escape(&s);
            prop_assert_eq!(escaped.as_ref(), s.as_str());
        }
    }

    #[test]
    #[ignore = "fuzz"]
    fn an_accepted_link_is_a_plain_https_url(s in "https://[ -~\\u{80}-\\u{a0}\\u{202e}]{0,24}") {
        if cif_advisor::matrix::validate::check_link("x", &s).is_ok() {
            prop_assert!(!s.chars().any(|c| c.is_whitespace() || c.is_control()
                || "()<>\"\\`{}|^".contains(c) || cif_advisor::sanitize::is_unsafe(c)), "{s:?}");
            let md = cif_advisor::render::markdown::link("source", &s);
            // Brackets (an IPv6 host) are percent-encoded in Markdown; nothing else changes.
            let target = s.replace('[', "%5B").replace(']', "%5D");
            prop_assert_eq!(md, format!("[source]({target})"));
        }
    }

    #[test]
    #[ignore = "fuzz"]
    fn markdown_text_from_data_has_no_html_and_no_link(s in "\\PC{0,40}") {
        let t = cif_advisor::render::markdown::text(&s);
        prop_assert!(!t.contains('<') && !t.contains('>'));
        prop_assert!(!t.contains("](") || t.contains("\\]("));
        prop_assert!(!t.chars().any(cif_advisor::sanitize::is_unsafe));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES_MATRIX))]

    #[test]
    #[ignore = "fuzz"]
    fn an_accepted_mutated_matrix_renders_nothing_raw(b in mutated(EMBEDDED_YAML)) {
        let text = String::from_utf8_lossy(&b);
        if let Ok(m) = Matrix::from_yaml(&text, "fuzz.yaml") {
            for format in [Format::Table, Format::Markdown, Format::Json] {
                let out = render::compare(&m, format, &Styles::new(false)).expect("render");
                prop_assert!(!out.chars().any(cif_advisor::sanitize::is_unsafe_in_text), "{format:?}");
            }
        }
    }
}
