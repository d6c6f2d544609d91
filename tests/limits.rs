//! The Limits table of the README (outside `check`), each limit tried at
//! its value and one past it (issue 27, item 6). The YAML limits (nesting,
//! nodes, alias growth) are tried the same way in `tests/hardening.rs`
//! (`the_yaml_limits_hold_exactly_at_their_values`), versions, row features,
//! facts and the troubleshoot text in its table.

use cif_advisor::matrix::EMBEDDED_YAML;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cif-advisor");

/// (exit code, standard output, standard error) of the binary in `dir`.
fn run(dir: &Path, args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = std::io::Write::write_all(&mut pipe, &input);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = feeder.join();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs with `file` written as `name` in a fresh folder.
fn with_file(name: &str, file: &[u8], args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), file).unwrap();
    run(dir.path(), args, b"")
}

/// `head`, then a comment padding it to exactly `len` bytes.
fn padded(head: &str, len: usize) -> Vec<u8> {
    let mut v = format!("{head}# ").into_bytes();
    assert!(v.len() < len);
    v.resize(len - 1, b'x');
    v.push(b'\n');
    assert_eq!(v.len(), len);
    v
}

#[test]
fn matrix_file_of_4_mib_is_read_and_one_byte_more_is_not() {
    let limit = 4 * 1024 * 1024;
    let (code, out, err) = with_file(
        "m.yaml",
        &padded(EMBEDDED_YAML, limit),
        &["matrix", "validate", "m.yaml"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("m.yaml: valid"), "{out}");
    let (code, out, err) = with_file(
        "m.yaml",
        &padded(EMBEDDED_YAML, limit + 1),
        &["matrix", "validate", "m.yaml"],
    );
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.starts_with("error: ") && err.lines().count() == 1,
        "{err}"
    );
    assert!(err.contains("larger than the 4194304-byte limit"), "{err}");
}

#[test]
fn requirements_file_of_1_mib_is_read_and_one_byte_more_is_not() {
    let limit = 1024 * 1024;
    let args = ["recommend", "--requirements", "r.yaml", "-q"];
    let (code, out, err) = with_file("r.yaml", &padded("apps: [sales]\n", limit), &args);
    assert_eq!((code, out.as_str()), (0, "1.0\n"), "{err}");
    let (code, out, err) = with_file("r.yaml", &padded("apps: [sales]\n", limit + 1), &args);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.starts_with("error: ") && err.lines().count() == 1,
        "{err}"
    );
    assert!(err.contains("larger than the 1048576-byte limit"), "{err}");
}

/// A batch line of exactly `len` bytes (without its newline).
fn batch_line(len: usize) -> String {
    let head = "{\"apps\":[\"sales\"],\"id\":\"";
    let line = format!("{head}{}\"}}", "x".repeat(len - head.len() - 2));
    assert_eq!(line.len(), len);
    line
}

#[test]
fn batch_line_of_1_mib_is_read_and_one_byte_more_is_bad() {
    let dir = tempfile::tempdir().unwrap();
    let limit = 1024 * 1024;
    let input = format!(
        "{}\n{}\n{{\"apps\":\"sales\"}}\n",
        batch_line(limit),
        batch_line(limit + 1)
    );
    let (code, out, err) = run(dir.path(), &["recommend", "--batch", "-"], input.as_bytes());
    assert_eq!(code, 1, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["recommended"], "1.0");
    assert_eq!(lines[0]["id"].as_str().map(str::len), Some(limit - 26));
    assert_eq!(
        lines[1],
        serde_json::json!({"line": 2, "error": "line is longer than 1048576 bytes; split it or shorten it"})
    );
    assert_eq!(lines[2]["recommended"], "1.0");
    assert_eq!(
        err,
        "cif-advisor: 3 lines; recommended: 2.0 0, 1.0 2, plan 0, none fits 0, bad lines 1\n"
    );
}

#[test]
fn batch_lines_nested_128_and_129_deep_are_bad_lines_and_the_batch_goes_on() {
    // A list or map where a value belongs is refused at once, however deep:
    // serde_json's own 128-level limit is never reached.
    let dir = tempfile::tempdir().unwrap();
    let nested = |d: usize| {
        format!(
            "{{\"apps\":\"sales\",\"id\":{}{}}}\n",
            "[".repeat(d),
            "]".repeat(d)
        )
    };
    let input = format!("{}{}{{\"apps\":\"sales\"}}\n", nested(128), nested(129));
    let (code, out, _) = run(dir.path(), &["recommend", "--batch", "-"], input.as_bytes());
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (i, column) in [(0, 278), (1, 280)] {
        assert_eq!(
            lines[i]["error"],
            format!(
                "invalid type: sequence, expected a string or a number for 'id' (column {column})"
            ),
            "{}",
            lines[i]
        );
    }
    assert_eq!(lines[2]["recommended"], "1.0");
}

#[test]
fn providers_of_1_000_000_are_accepted_and_1_000_001_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["recommend", "--providers", "1000000", "-q"],
        b"",
    );
    assert_eq!((code, out.as_str(), err.as_str()), (0, "2.0\n", ""));
    let (code, out, err) = run(
        dir.path(),
        &["recommend", "--providers", "1000001", "-q"],
        b"",
    );
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err.lines().next(),
        Some("error: invalid value '1000001' for '--providers <N>': expected a whole number from 1 to 1000000")
    );
    let (code, out, _) = with_file(
        "r.yaml",
        b"providers: 1000000\n",
        &["recommend", "--requirements", "r.yaml", "-q"],
    );
    assert_eq!((code, out.as_str()), (0, "2.0\n"));
    let (code, _, err) = with_file(
        "r.yaml",
        b"providers: 1000001\n",
        &["recommend", "--requirements", "r.yaml", "-q"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("integer `1000001`, expected a whole number from 1 to 1000000"),
        "{err}"
    );
    let input = b"{\"providers\":1000000}\n{\"providers\":1000001}\n";
    let (code, out, _) = run(dir.path(), &["recommend", "--batch", "-"], input);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("\"recommended\":\"2.0\""), "{out}");
    assert!(
        lines[1].contains("integer `1000001`, expected a whole number from 1 to 1000000"),
        "{out}"
    );
}

/// A valid matrix of one version, `apps` apps, the apps dimension and
/// `choices` choice dimensions of `values` values each.
fn sized_matrix(apps: usize, choices: usize, values: usize) -> Vec<u8> {
    let yes = "{v0: {status: \"yes\", fact: f, source: \"https://x.example\"}}";
    let mut lines = vec![
        "schema_version: 1".to_string(),
        "reviewed: \"2026-11-26\"".to_string(),
        "preference: [v0]".to_string(),
        "versions:".to_string(),
        "- {id: v0, name: v0, docs: \"https://x.example\"}".to_string(),
        "rows: []".to_string(),
        "apps:".to_string(),
    ];
    lines.extend((0..apps).map(|a| {
        format!("- {{id: a{a}, name: A{a}, session: single, state: active, support: {yes}}}")
    }));
    lines.push("dimensions:".to_string());
    lines.push("- {key: apps, name: App, kind: apps, question: Q, help: H}".to_string());
    for d in 0..choices {
        lines.push(format!(
            "- key: c{d}\n  name: C\n  kind: choice\n  question: Q\n  help: H\n  values:"
        ));
        lines.extend((0..values).map(|k| format!("  - {{id: x{k}, name: X, support: {yes}}}")));
    }
    (lines.join("\n") + "\n").into_bytes()
}

/// `matrix validate` of `m`: Ok(the first line) or Err(the error line).
fn validate(m: &[u8]) -> Result<String, String> {
    let (code, out, err) = with_file("m.yaml", m, &["matrix", "validate", "m.yaml"]);
    match code {
        0 => Ok(out.lines().next().unwrap_or_default().to_string()),
        1 if err.lines().count() == 1 => Err(err.trim_end().to_string()),
        _ => panic!("exit {code}: {err}"),
    }
}

#[test]
fn apps_dimensions_and_values_of_64_are_accepted_and_65_are_not() {
    let valid = |apps, dims| {
        format!("m.yaml: valid (schema 1, 1 versions, {apps} apps, {dims} dimensions, 0 rows; reviewed 2026-11-26)")
    };
    assert_eq!(validate(&sized_matrix(64, 1, 1)), Ok(valid(64, 2)));
    let err = validate(&sized_matrix(65, 1, 1)).unwrap_err();
    assert!(
        err.contains("apps: 65 apps; at most 64 are supported"),
        "{err}"
    );
    assert_eq!(validate(&sized_matrix(1, 63, 1)), Ok(valid(1, 64)));
    let err = validate(&sized_matrix(1, 64, 1)).unwrap_err();
    assert!(
        err.contains("dimensions: 65 dimensions; at most 64 are supported"),
        "{err}"
    );
    assert_eq!(validate(&sized_matrix(1, 1, 64)), Ok(valid(1, 2)));
    let err = validate(&sized_matrix(1, 1, 65)).unwrap_err();
    assert!(err.contains("65 values; at most 64 are supported"), "{err}");
}

const FIRST_SOURCE: &str = "source: https://learn.microsoft.com/dynamics365/channel-integration-framework/v1/administer/get-channel-integration-framework";

#[test]
fn links_of_2048_characters_are_accepted_and_2049_are_not() {
    let link = |len: usize| {
        let head = "https://x.example/";
        format!("{head}{}", "p".repeat(len - head.len()))
    };
    let with =
        |len: usize| EMBEDDED_YAML.replacen(FIRST_SOURCE, &format!("source: \"{}\"", link(len)), 1);
    assert!(EMBEDDED_YAML.contains(FIRST_SOURCE));
    assert!(validate(with(2048).as_bytes()).is_ok());
    let err = validate(with(2049).as_bytes()).unwrap_err();
    assert!(
        err.contains("is not a source link: it is longer than 2048 characters"),
        "{err}"
    );
}

#[test]
fn row_cells_and_see_also_of_64_are_accepted_and_65_are_not() {
    let cell = |n: usize| {
        EMBEDDED_YAML.replacen(
            "\"1.0\": [Single-session]",
            &format!("\"1.0\": [{}]", vec!["l"; n].join(", ")),
            1,
        )
    };
    assert!(validate(cell(64).as_bytes()).is_ok());
    let err = validate(cell(65).as_bytes()).unwrap_err();
    assert!(
        err.contains("rows[0].values.1.0: 65 lines; at most 64 are supported"),
        "{err}"
    );
    let see = |n: usize| {
        EMBEDDED_YAML.replacen(
            "feature: Session",
            &format!(
                "feature: Session\n    see_also: [{}]",
                vec!["https://a.example"; n].join(", ")
            ),
            1,
        )
    };
    assert!(validate(see(64).as_bytes()).is_ok());
    let err = validate(see(65).as_bytes()).unwrap_err();
    assert!(
        err.contains("rows[0].see_also: 65 entries; at most 64 are supported"),
        "{err}"
    );
}

#[test]
fn an_error_line_of_2000_characters_is_whole_and_2001_loses_its_middle() {
    let dir = tempfile::tempdir().unwrap();
    let message = |value: &str| {
        let (code, _, err) = run(dir.path(), &["recommend", "--app", value], b"");
        assert_eq!(code, 2);
        assert_eq!(err.lines().count(), 1, "{err}");
        err.trim_end().strip_prefix("error: ").unwrap().to_string()
    };
    let base = message("q").chars().count() - 1;
    let at = message(&"q".repeat(2000 - base));
    assert_eq!(at.chars().count(), 2000);
    assert!(!at.contains("characters left out"), "{at}");
    let over = message(&"q".repeat(2001 - base));
    assert!(over.contains(" … [1 characters left out] … "), "{over}");
}
