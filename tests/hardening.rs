//! Bad input, table-driven: each row is a command line (with its standard
//! input, files and environment) and the exit code and message words it must
//! give. One loop runs every row and reports every failure at once.
//!
//! Every row also checks what no bad input may do: panic, print a backtrace
//! (the binary runs with RUST_BACKTRACE=1), print more than the one
//! `error: …` line (clap's usage errors may add usage lines), or run past the
//! timeout.
//!
//! `docs/bad-inputs.md` mirrors the table; regenerate it with
//! `UPDATE_BAD_INPUTS_DOC=1 cargo test --test hardening`.

use cif_advisor::matrix::EMBEDDED_YAML;
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cif-advisor");
const TIMEOUT: Duration = Duration::from_secs(10);

/// What standard error must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Exactly one line, starting with `error: `.
    ErrorLine,
    /// clap's usage error: starts with `error:`, usage lines may follow.
    Clap,
    /// clap's help for a missing subcommand (by design, exit 2).
    Help,
    /// Nothing at all.
    Empty,
    /// A batch: the one-line summary `cif-advisor: N lines; …`.
    BatchSummary,
}

/// Where standard output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Out {
    /// Captured.
    Pipe,
    /// A pipe whose read end is closed at once (`| head -0`).
    Closed,
    /// `/dev/full`: every write fails with ENOSPC.
    Full,
    /// A regular file, `out.txt` in the row's directory.
    File,
}

/// One expected batch output line: its line number and, for a bad line, a
/// word of its error (`None`: a result).
type BatchLine = (u64, Option<&'static str>);

struct Row {
    /// What is wrong, in words (also the first column of the doc).
    what: &'static str,
    /// The arguments; `\u{0}X` stands for the non-UTF-8 argument `X\xff`.
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    /// Standard input is the working directory itself (reads fail).
    stdin_dir: bool,
    /// Files to create in the row's working directory (None: a directory).
    files: Vec<(&'static str, Option<Vec<u8>>)>,
    env: Vec<(&'static str, &'static str)>,
    code: i32,
    /// Words standard error must contain.
    words: Vec<&'static str>,
    shape: Shape,
    out: Out,
    /// For a batch: the lines standard output must hold, in order.
    batch: Option<Vec<BatchLine>>,
    /// Words standard output must contain.
    stdout_words: Vec<&'static str>,
    /// A command the binary runs under (`prlimit --as=…`), if any.
    wrap: Vec<&'static str>,
    /// Standard error is `/dev/full` (nothing is captured).
    stderr_full: bool,
}

fn row(what: &'static str, args: &[&str]) -> Row {
    Row {
        what,
        args: args.iter().map(OsString::from).collect(),
        stdin: None,
        stdin_dir: false,
        files: Vec::new(),
        env: Vec::new(),
        code: 2,
        words: Vec::new(),
        shape: Shape::ErrorLine,
        out: Out::Pipe,
        batch: None,
        stdout_words: Vec::new(),
        wrap: Vec::new(),
        stderr_full: false,
    }
}

impl Row {
    fn code(mut self, code: i32) -> Self {
        self.code = code;
        self
    }
    fn says(mut self, words: &[&'static str]) -> Self {
        self.words.extend_from_slice(words);
        self
    }
    fn clap(mut self) -> Self {
        self.shape = Shape::Clap;
        self
    }
    fn shape(mut self, shape: Shape) -> Self {
        self.shape = shape;
        self
    }
    fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }
    fn stdin_dir(mut self) -> Self {
        self.stdin_dir = true;
        self
    }
    fn file(mut self, name: &'static str, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.push((name, Some(bytes.into())));
        self
    }
    fn dir(mut self, name: &'static str) -> Self {
        self.files.push((name, None));
        self
    }
    fn env(mut self, key: &'static str, value: &'static str) -> Self {
        self.env.push((key, value));
        self
    }
    fn arg_os(mut self, arg: &[u8]) -> Self {
        self.args.push(OsStr::from_bytes(arg).to_os_string());
        self
    }
    fn out(mut self, out: Out) -> Self {
        self.out = out;
        self
    }
    /// A batch that goes to the end: exit 1 if any line is bad, else 0;
    /// the summary on standard error.
    fn batch(mut self, lines: &[BatchLine]) -> Self {
        self.code = i32::from(lines.iter().any(|(_, e)| e.is_some()));
        self.shape = Shape::BatchSummary;
        self.batch = Some(lines.to_vec());
        self
    }
    /// Runs the binary under `prlimit` with these options (memory, file size).
    fn limited(mut self, options: &[&'static str]) -> Self {
        self.wrap = std::iter::once("prlimit")
            .chain(options.iter().copied())
            .chain(std::iter::once("--"))
            .collect();
        self
    }
    fn stderr_full(mut self) -> Self {
        self.stderr_full = true;
        self.shape = Shape::Empty;
        self
    }
    fn stdout_has(mut self, words: &[&'static str]) -> Self {
        self.stdout_words.extend_from_slice(words);
        self
    }
}

/// The embedded matrix with the line starting with `key:` replaced.
fn matrix_with_line(key: &str, line: &str) -> Vec<u8> {
    let mut found = false;
    let text: Vec<String> = EMBEDDED_YAML
        .lines()
        .map(|l| {
            if !found && l.starts_with(&format!("{key}:")) {
                found = true;
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(found, "the embedded matrix has no top-level '{key}:' line");
    (text.join("\n") + "\n").into_bytes()
}

/// The embedded matrix with the first `from` replaced by `to`.
fn matrix_replacing(from: &str, to: &str) -> Vec<u8> {
    assert!(
        EMBEDDED_YAML.contains(from),
        "the embedded matrix has no {from:?}"
    );
    EMBEDDED_YAML.replacen(from, to, 1).into_bytes()
}

/// Deterministic junk bytes (not UTF-8: they start with 0xFF).
fn junk(len: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut out = vec![0xff];
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push((x >> 24) as u8);
    }
    out
}

/// A YAML "billion laughs": nine levels of nine aliases each.
fn alias_bomb(first_key: &str) -> Vec<u8> {
    let mut text = format!("{first_key}: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (prev, next) = (w[0], w[1]);
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    text.into_bytes()
}

fn nested(depth: usize, prefix: &str, suffix: &str) -> Vec<u8> {
    format!("{prefix}{}{}{suffix}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
}

fn stale_matrix() -> Vec<u8> {
    matrix_with_line("reviewed", "reviewed: \"2020-01-01\"")
}

fn big_batch_input() -> Vec<u8> {
    "{\"id\": \"org-17\", \"apps\": [\"sales\"], \"providers\": 2}\n"
        .repeat(100_000)
        .into_bytes()
}

/// A matrix with `n` versions (v0, v1, …) and nothing else.
fn versions_matrix(n: usize) -> Vec<u8> {
    let ids: Vec<String> = (0..n).map(|i| format!("v{i}")).collect();
    let mut text = format!(
        "schema_version: 1\nreviewed: \"2026-11-26\"\napps: []\ndimensions: []\nrows: []\npreference: [{}]\nversions:\n",
        ids.join(", ")
    );
    for id in &ids {
        text.push_str(&format!(
            "- {{id: {id}, name: {id}, docs: \"https://x.example\"}}\n"
        ));
    }
    text.into_bytes()
}

/// 64 versions and three choice dimensions of 64 values each, all of them
/// supported by every version: the lint's search has 65^3 combinations per
/// version (written out and within the caps).
fn lint_matrix() -> Vec<u8> {
    let vs: Vec<String> = (0..64).map(|i| format!("v{i}")).collect();
    let caps = format!(
        "{{{}}}",
        vs.iter()
            .map(|v| format!("{v}: {{status: \"yes\", fact: f, source: \"https://x.example\"}}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut lines = vec![
        "schema_version: 1".to_string(),
        "reviewed: \"2026-11-26\"".to_string(),
        format!("preference: [{}]", vs.join(", ")),
        "versions:".to_string(),
    ];
    lines.extend(
        vs.iter()
            .map(|v| format!("- {{id: {v}, name: {v}, docs: \"https://x.example\"}}")),
    );
    lines.extend([
        "apps: []".to_string(),
        "rows: []".to_string(),
        "dimensions:".to_string(),
    ]);
    for d in 0..3 {
        lines.push(format!(
            "- key: c{d}\n  name: C\n  kind: choice\n  question: Q\n  help: H\n  values:"
        ));
        lines.extend((0..64).map(|k| format!("  - {{id: x{k}, name: X, support: {caps}}}")));
    }
    (lines.join("\n") + "\n").into_bytes()
}

/// One alias of a 20,000-link list used 5,000
/// times (529 KB that serde_yaml expands to 100 M values).
fn replay_bomb() -> Vec<u8> {
    let mut rows = vec![format!(
        "- {{feature: f0, values: &v {{\"1.0\": [x], \"2.0\": [y]}}, source: \"https://a\", see_also: &s [{}]}}",
        vec!["https://a"; 20_000].join(",")
    )];
    rows.extend(
        (1..5000).map(|i| {
            format!("- {{feature: f{i}, values: *v, source: \"https://a\", see_also: *s}}")
        }),
    );
    format!(
        "schema_version: 1\nreviewed: \"2026-11-26\"\npreference: [\"2.0\", \"1.0\"]\nversions:\n  - {{id: \"1.0\", name: A, docs: \"https://a\"}}\n  - {{id: \"2.0\", name: B, docs: \"https://a\"}}\napps: []\ndimensions: []\nrows:\n{}\n",
        rows.join("\n")
    )
    .into_bytes()
}

/// A flow list of `n` scalars: `n + 1` nodes.
fn flat_list(n: usize) -> Vec<u8> {
    format!("[{}]\n", vec!["a"; n].join(",")).into_bytes()
}

/// A key nested `n` block maps deep: `a:` under `a:` under ….
fn block_maps(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| format!("{}a:\n", "  ".repeat(i)))
        .collect::<String>()
        .into_bytes()
}

const FACT: &str =
    "fact: CIF 1.0 integrates channels into the single-session Dynamics 365 Customer Service app.";
const FIRST_SOURCE: &str = "source: https://learn.microsoft.com/dynamics365/channel-integration-framework/v1/administer/get-channel-integration-framework";

/// The embedded matrix with its first source link replaced by `link` (a
/// YAML double-quoted scalar's content).
fn matrix_with_link(link: &str) -> Vec<u8> {
    matrix_replacing(FIRST_SOURCE, &format!("source: \"{link}\""))
}

#[expect(
    clippy::too_many_lines,
    reason = "the bad-input table: one row per case"
)]
fn table() -> Vec<Row> {
    let ok_line = b"{\"apps\": [\"sales\"]}\n".to_vec();
    let over_4mib = {
        let mut m = EMBEDDED_YAML.as_bytes().to_vec();
        m.extend_from_slice(b"# ");
        m.extend(std::iter::repeat_n(b'x', 4 * 1024 * 1024));
        m.push(b'\n');
        m
    };
    let over_1mib = {
        let mut r = b"apps: [sales]\n# ".to_vec();
        r.extend(std::iter::repeat_n(b'x', 1024 * 1024));
        r.push(b'\n');
        r
    };
    let line_5mb = {
        let mut l = b"{\"apps\": [\"".to_vec();
        l.extend(std::iter::repeat_n(b'a', 5_000_000));
        l.extend_from_slice(b"\"]}\n");
        l.extend_from_slice(&ok_line);
        l
    };
    vec![
        // --- Flags and arguments -------------------------------------------------
        row("unknown flag", &["--bogus"])
            .clap()
            .says(&["unexpected argument '--bogus'"]),
        row("unknown flag of a subcommand", &["recommend", "--sales"])
            .clap()
            .says(&["unexpected argument '--sales'"]),
        row("unknown subcommand", &["recomend"])
            .clap()
            .says(&["unrecognized subcommand 'recomend'"]),
        row("--providers 0", &["recommend", "--providers", "0"])
            .clap()
            .says(&["'0'", "from 1 to 1000000"]),
        row("--providers -1", &["recommend", "--providers", "-1"])
            .clap()
            .says(&["'-1'", "from 1 to 1000000"]),
        row(
            "--providers 99999999999",
            &["recommend", "--providers", "99999999999"],
        )
        .clap()
        .says(&["'99999999999'", "from 1 to 1000000"]),
        row(
            "--providers 1000001 (above the cap)",
            &["recommend", "--providers", "1000001"],
        )
        .clap()
        .says(&["from 1 to 1000000"]),
        row("--providers abc", &["recommend", "--providers", "abc"])
            .clap()
            .says(&["'abc'", "from 1 to 1000000"]),
        row("--providers \"\"", &["recommend", "--providers", ""])
            .clap()
            .says(&["''", "from 1 to 1000000"]),
        row("--providers without a value", &["recommend", "--providers"])
            .clap()
            .says(&["a value is required for '--providers <N>'"]),
        row("--app \"\"", &["recommend", "--app", ""])
            .says(&["invalid value '' for '--app'", "valid values: "]),
        row(
            "--app \"\" beside a valid flag",
            &["recommend", "--app", "", "--providers", "2"],
        )
        .says(&["invalid value '' for '--app'"]),
        row("--app \",,\" (only commas)", &["recommend", "--app", ",,"])
            .says(&["invalid value '' for '--app'"]),
        row("--app salse (near miss)", &["recommend", "--app", "salse"]).says(&[
            "invalid value 'salse' for '--app'",
            "did you mean 'sales'?",
            "valid values:",
        ]),
        row(
            "--app with an unknown second value",
            &["recommend", "--app", "sales,nope"],
        )
        .says(&["invalid value 'nope' for '--app'"]),
        row("--app of 100,000 characters", &[]).says(&["invalid value 'xxxx", "for '--app'"]),
        row(
            "--app with a newline and an escape",
            &["recommend", "--app", "a\nb\u{1b}[31m"],
        )
        .says(&["invalid value 'a\\nb\\u{1b}[31m' for '--app'"]),
        row("--channel fax", &["recommend", "--channel", "fax"])
            .says(&["invalid value 'fax' for '--channel'", "telephony"]),
        row(
            "--channel telefony (near miss)",
            &["recommend", "--channel", "telefony"],
        )
        .says(&["did you mean 'telephony'?"]),
        row("--session both", &["recommend", "--session", "both"])
            .says(&["invalid value 'both' for '--session'", "single, multi"]),
        row("--session \"\"", &["recommend", "--session", ""])
            .says(&["invalid value '' for '--session'"]),
        row("--cloud gov", &["recommend", "--cloud", "gov"])
            .says(&["invalid value 'gov' for '--cloud'", "commercial, gcc"]),
        row("--panel-mode big", &["recommend", "--panel-mode", "big"])
            .says(&["invalid value 'big' for '--panel-mode'", "docked"]),
        row("--panel-side up", &["recommend", "--panel-side", "up"]).says(&[
            "invalid value 'up' for '--panel-side'",
            "left",
            "right",
        ]),
        row("--template popup", &["recommend", "--template", "popup"])
            .says(&["invalid value 'popup' for '--template'", "notification"]),
        row("--client fridge", &["recommend", "--client", "fridge"])
            .says(&["invalid value 'fridge' for '--client'", "web, mobile"]),
        row(
            "--deployment hybrid",
            &["recommend", "--deployment", "hybrid"],
        )
        .says(&["invalid value 'hybrid' for '--deployment'", "on-premises"]),
        row(
            "unknown --format",
            &["recommend", "--app", "sales", "--format", "xml"],
        )
        .clap()
        .says(&[
            "invalid value 'xml' for '--format <FORMAT>'",
            "text, json, yaml",
        ]),
        row("unknown compare --format", &["compare", "--format", "html"])
            .clap()
            .says(&["invalid value 'html' for '--format <FORMAT>'"]),
        row("--color sometimes", &["--color", "sometimes", "compare"])
            .clap()
            .says(&[
                "invalid value 'sometimes' for '--color <WHEN>'",
                "auto, always, never",
            ]),
        row("non-UTF-8 --app value", &["recommend", "--app"])
            .arg_os(b"sa\xffles")
            .clap()
            .says(&["invalid UTF-8"]),
        row("non-UTF-8 --matrix path", &["compare", "--matrix"])
            .arg_os(b"m\xff.yaml")
            .code(1)
            .says(&["matrix file", "no such file"]),
        row("non-UTF-8 subcommand", &[])
            .arg_os(b"\xff")
            .clap()
            .says(&["unrecognized subcommand"]),
        row("non-UTF-8 troubleshoot text", &["troubleshoot"])
            .arg_os(b"\xffoops")
            .clap()
            .says(&["invalid UTF-8"]),
        row(
            "--detail full without --batch",
            &["recommend", "--app", "sales", "--detail", "full"],
        )
        .clap()
        .says(&["--batch <FILE>"]),
        row("-q with -i", &["recommend", "-q", "-i"])
            .clap()
            .says(&["'--quiet' cannot be used with '--interactive'"]),
        row(
            "--batch with --app",
            &["recommend", "--batch", "-", "--app", "sales"],
        )
        .stdin(ok_line.clone())
        .says(&[
            "--batch reads the requirements from each line",
            "drop the requirement flags",
        ]),
        row(
            "--batch with --requirements",
            &["recommend", "--batch", "-", "--requirements", "r.yaml"],
        )
        .stdin(ok_line.clone())
        .says(&["drop the requirement flags"]),
        row(
            "--matrix - with --batch - (one standard input)",
            &["--matrix", "-", "recommend", "--batch", "-"],
        )
        .stdin(EMBEDDED_YAML)
        .says(&["cannot both read standard input"]),
        row(
            "CIF_ADVISOR_MATRIX=- with --requirements -",
            &["recommend", "--requirements", "-"],
        )
        .env("CIF_ADVISOR_MATRIX", "-")
        .stdin(EMBEDDED_YAML)
        .says(&["cannot both read standard input"]),
        row("-i without a terminal", &["recommend", "-i"])
            .says(&["-i needs a terminal", "--app sales"]),
        row("recommend with nothing stated", &["recommend"])
            .says(&["no requirement stated", "--requirements FILE"]),
        row("api --version 3.0", &["api", "--version", "3.0"])
            .says(&["invalid value '3.0' for '--version'", "1.0, 2.0"]),
        row(
            "troubleshoot --version 9",
            &["troubleshoot", "--version", "9", "widget"],
        )
        .says(&["invalid value '9' for '--version'"]),
        row("troubleshoot with no text", &["troubleshoot"])
            .clap()
            .says(&["required arguments were not provided", "<TEXT>"]),
        row("troubleshoot \"\"", &["troubleshoot", ""]).says(&["describe the problem"]),
        row(
            "troubleshoot with a word ending in a multi-byte letter",
            &["troubleshoot", "a\u{820}ed"],
        )
        .code(3)
        .shape(Shape::Empty)
        .stdout_has(&["No known problem matches"]),
        row("completions for an unknown shell", &["completions", "tcsh"])
            .clap()
            .says(&["invalid value 'tcsh'"]),
        row("matrix without a subcommand", &["matrix"])
            .shape(Shape::Help)
            .says(&["Usage: cif-advisor matrix"]),
        row("no arguments, no terminal", &[])
            .shape(Shape::Help)
            .says(&["Usage: cif-advisor"]),
        // --- Matrix files --------------------------------------------------------
        row(
            "matrix file missing",
            &["--matrix", "missing.yaml", "compare"],
        )
        .code(1)
        .says(&["matrix file", "'missing.yaml'", "no such file", "--matrix"]),
        row("matrix file is a directory", &["--matrix", "d", "compare"])
            .dir("d")
            .code(1)
            .says(&["'d' is a directory"]),
        row("matrix file empty", &["--matrix", "m.yaml", "compare"])
            .file("m.yaml", "")
            .code(1)
            .says(&["matrix file 'm.yaml'", "missing field `schema_version`"]),
        row(
            "matrix file of random bytes",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", junk(3000))
        .code(1)
        .says(&["'m.yaml' is not UTF-8 text", "offset 0"]),
        row(
            "matrix file not UTF-8 (Latin-1)",
            &["--matrix", "m.yaml", "compare"],
        )
        .file(
            "m.yaml",
            b"schema_version: 1\nreviewed: \"caf\xe9\"\n".to_vec(),
        )
        .code(1)
        .says(&["not UTF-8 text", "offset 32", "save it as UTF-8"]),
        row(
            "matrix file indented with tabs",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", "schema_version: 1\nversions:\n\t- id: \"1.0\"\n")
        .code(1)
        .says(&["matrix file 'm.yaml'", "cannot start any token", "line 3"]),
        row(
            "matrix file is a YAML alias bomb",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", alias_bomb("schema_version"))
        .code(1)
        .says(&[
            "matrix file 'm.yaml'",
            "aliases repeat more than 250000 nodes",
        ]),
        row(
            "matrix file nested 100,000 deep",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", nested(100_000, "", "\n"))
        .code(1)
        .says(&["nested more than 128 levels", "line 1 column 129"]),
        row(
            "matrix file nested 100,000 deep under a key",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", nested(100_000, "rows: ", "\n"))
        .code(1)
        .says(&["nested more than 128 levels"]),
        row(
            "matrix file is a JSON array",
            &["--matrix", "m.json", "compare"],
        )
        .file("m.json", "[1, 2, 3]\n")
        .code(1)
        .says(&["invalid type: sequence, expected struct Matrix"]),
        row(
            "matrix file with a wrong type",
            &["--matrix", "m.yaml", "compare"],
        )
        .file(
            "m.yaml",
            matrix_with_line("schema_version", "schema_version: \"one\""),
        )
        .code(1)
        .says(&["schema_version: invalid type: string \"one\"", "line 7"]),
        row(
            "matrix file of another schema version",
            &["--matrix", "m.yaml", "compare"],
        )
        .file(
            "m.yaml",
            matrix_with_line("schema_version", "schema_version: 4"),
        )
        .code(1)
        .says(&["schema versions 1 to 3", "the file has 4"]),
        row(
            "matrix file with an unknown key",
            &["--matrix", "m.yaml", "compare"],
        )
        .file(
            "m.yaml",
            matrix_with_line("schema_version", "schema_version: 1\ncolour: red"),
        )
        .code(1)
        .says(&["unknown field `colour`", "expected one of"]),
        row(
            "matrix file with a dangling version reference",
            &["--matrix", "m.yaml", "compare"],
        )
        .file(
            "m.yaml",
            matrix_with_line("preference", "preference: [\"9.9\"]"),
        )
        .code(1)
        .says(&["preference[0]: unknown version '9.9'"]),
        row(
            "matrix file with a duplicate version id",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", matrix_replacing("id: \"2.0\"", "id: \"1.0\""))
        .code(1)
        .says(&["duplicate version '1.0'"]),
        row(
            "matrix file with a bad date",
            &["--matrix", "m.yaml", "compare"],
        )
        .file(
            "m.yaml",
            matrix_with_line("reviewed", "reviewed: \"yesterday\""),
        )
        .code(1)
        .says(&["reviewed: 'yesterday' is not a date"]),
        row(
            "matrix file over the 4 MiB cap",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", over_4mib)
        .code(1)
        .says(&["larger than the 4194304-byte limit"]),
        row(
            "matrix file stale but valid (matrix validate)",
            &["matrix", "validate", "m.yaml"],
        )
        .file("m.yaml", stale_matrix())
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&[
            "m.yaml: valid",
            "lint: reviewed: 2020-01-01 is more than a year ago",
        ]),
        row("CIF_ADVISOR_MATRIX names a missing file", &["compare"])
            .env("CIF_ADVISOR_MATRIX", "gone.yaml")
            .code(1)
            .says(&["'gone.yaml'", "no such file", "CIF_ADVISOR_MATRIX"]),
        row(
            "matrix validate - with junk on stdin",
            &["matrix", "validate", "-"],
        )
        .stdin("hello\n")
        .code(1)
        .says(&["matrix file '-'", "invalid type: string \"hello\""]),
        row(
            "matrix validate - with binary junk on stdin",
            &["matrix", "validate", "-"],
        )
        .stdin(junk(500))
        .code(1)
        .says(&["not UTF-8 text"]),
        row(
            "matrix validate - with nothing on stdin",
            &["matrix", "validate", "-"],
        )
        .stdin("")
        .code(1)
        .says(&["missing field `schema_version`"]),
        // --- Requirements files --------------------------------------------------
        row(
            "requirements file missing",
            &["recommend", "--requirements", "r.yaml"],
        )
        .code(1)
        .says(&["requirements file", "'r.yaml'", "no such file"]),
        row(
            "requirements file is a directory",
            &["recommend", "--requirements", "d"],
        )
        .dir("d")
        .code(1)
        .says(&["'d' is a directory"]),
        row(
            "requirements file empty (nothing stated)",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "")
        .says(&["no requirement stated"]),
        row(
            "requirements file of comments only",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "# nothing yet\n")
        .says(&["no requirement stated"]),
        row(
            "requirements file of random bytes",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", junk(2000))
        .code(1)
        .says(&["'r.yaml' is not UTF-8 text"]),
        row(
            "requirements file not UTF-8",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", b"apps: [caf\xe9]\n".to_vec())
        .code(1)
        .says(&["not UTF-8 text", "offset 10"]),
        row(
            "requirements file of plain text",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "sales please\n")
        .code(1)
        .says(&[
            "invalid type: string \"sales please\"",
            "expected a mapping of requirement keys",
        ]),
        row(
            "requirements: providers: \"two\"",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "providers: \"two\"\n")
        .code(1)
        .says(&[
            "providers: invalid type: string \"two\"",
            "from 1 to 1000000",
        ]),
        row(
            "requirements: providers: 0",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "providers: 0\n")
        .code(1)
        .says(&["providers: invalid value: integer `0`", "from 1 to 1000000"]),
        row(
            "requirements: providers: -3",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "providers: -3\n")
        .code(1)
        .says(&["integer `-3`", "from 1 to 1000000"]),
        row(
            "requirements: providers: 2.5",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "providers: 2.5\n")
        .code(1)
        .says(&["floating point `2.5`"]),
        row(
            "requirements: providers beyond u64",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "providers: 99999999999999999999999\n")
        .code(1)
        .says(&["providers:", "from 1 to 1000000"]),
        row(
            "requirements: analytics: \"yes\"",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "analytics: \"yes\"\n")
        .code(1)
        .says(&["expected true or false for 'analytics'"]),
        row(
            "requirements: session given a list",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "session: single,multi\n")
        .code(1)
        .says(&["session: invalid value: a list", "one of single, multi"]),
        row(
            "requirements: apps given a map",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "apps: {sales: 1}\n")
        .code(1)
        .says(&["apps: invalid type: map"]),
        row(
            "requirements: unknown key (near miss)",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "provider: 2\n")
        .code(1)
        .says(&[
            "unknown requirement key 'provider'",
            "did you mean 'providers'?",
        ]),
        row(
            "requirements: 'id' (batch only)",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "id: x\napps: sales\n")
        .code(1)
        .says(&["unknown requirement key 'id'"]),
        row(
            "requirements: duplicate key",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "apps: [sales]\napps: [csw]\n")
        .code(1)
        .says(&["duplicate key 'apps'"]),
        row(
            "requirements: unknown app (near miss)",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "apps: [salse]\n")
        .code(1)
        .says(&["unknown value 'salse' for apps", "did you mean 'sales'?"]),
        row(
            "requirements file is a JSON array",
            &["recommend", "--requirements", "r.json"],
        )
        .file("r.json", "[\"sales\"]\n")
        .code(1)
        .says(&["invalid type: sequence", "expected a mapping"]),
        row(
            "requirements file nested 100,000 deep",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", nested(100_000, "apps: ", "\n"))
        .code(1)
        .says(&["nested more than 128 levels"]),
        row(
            "requirements: an unknown value over two lines",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "apps: |\n  sales\n  csw\n")
        .code(1)
        .says(&["unknown value 'sales\\ncsw\\n' for apps"]),
        row(
            "requirements: nesting behind a quote in a block scalar",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", {
            let mut t = b"apps: |\n  '\nchannels: ".to_vec();
            t.extend(nested(100_000, "", "\n"));
            t
        })
        .code(1)
        .says(&["nested more than 128 levels", "line 3"]),
        row(
            "requirements: nesting behind quoted brackets over two lines",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file(
            "r.yaml",
            format!("channels: {}\n", "[\"\n]\", ".repeat(100_000)),
        )
        .code(1)
        .says(&["nested more than 128 levels"]),
        row(
            "requirements file nested 129 deep in a JSON object",
            &["recommend", "--requirements", "r.json"],
        )
        .file("r.json", nested(129, "{\"apps\": ", "}\n"))
        .code(1)
        .says(&["nested more than 128 levels", "line 1 column 137"]),
        row(
            "requirements file is a YAML alias bomb",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", alias_bomb("apps"))
        .code(1)
        .says(&[
            "requirements file 'r.yaml'",
            "aliases repeat more than 250000 nodes",
        ]),
        row(
            "requirements file with two documents",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "apps: [sales]\n---\nproviders: 2\n")
        .code(1)
        .says(&["more than one document"]),
        row(
            "requirements file over the 1 MiB cap",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", over_1mib)
        .code(1)
        .says(&["larger than the 1048576-byte limit"]),
        row(
            "requirements: an unknown value of a megabyte",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", format!("apps: {}\n", "x".repeat(1_000_000)))
        .code(1)
        .says(&["unknown value 'xxx"]),
        row(
            "requirements - with a directory as stdin",
            &["recommend", "--requirements", "-"],
        )
        .stdin_dir()
        .code(1)
        .says(&["requirements file", "'-'", "is a directory"]),
        row(
            "batch - with a directory as stdin",
            &["recommend", "--batch", "-"],
        )
        .stdin_dir()
        .code(1)
        .says(&["cannot read batch input: is a directory"]),
        row(
            "matrix validate - with a directory as stdin",
            &["matrix", "validate", "-"],
        )
        .stdin_dir()
        .code(1)
        .says(&["matrix file", "is a directory"]),
        // --- Batch lines ---------------------------------------------------------
        row("batch line not JSON", &["recommend", "--batch", "-"])
            .stdin("not json\n")
            .batch(&[(1, Some("not valid JSON"))]),
        row(
            "batch line with a wrong type",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"apps\": 5}\n")
        .batch(&[(1, Some("invalid type: integer `5`"))]),
        row(
            "batch line with providers 0",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"providers\": 0}\n")
        .batch(&[(1, Some("invalid value: integer `0`"))]),
        row(
            "batch line with an unknown value",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"apps\": [\"salse\"]}\n")
        .batch(&[(1, Some("did you mean 'sales'?"))]),
        row(
            "batch line with an unknown key",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"colour\": \"red\"}\n")
        .batch(&[(1, Some("unknown requirement key 'colour'"))]),
        row(
            "batch line of 5 MB, then a good line",
            &["recommend", "--batch", "-"],
        )
        .stdin(line_5mb)
        .batch(&[(1, Some("longer than 1048576 bytes")), (2, None)]),
        row(
            "batch line nested 200,000 deep",
            &["recommend", "--batch", "-"],
        )
        .stdin(nested(200_000, "{\"apps\": ", "}\n"))
        .batch(&[(1, Some("invalid type: sequence"))]),
        row(
            "batch line nested 200,000 deep at the top",
            &["recommend", "--batch", "-"],
        )
        .stdin(nested(200_000, "", "\n"))
        .batch(&[(1, Some("expected a mapping"))]),
        row(
            "batch line with an unknown value of a megabyte",
            &["recommend", "--batch", "-"],
        )
        .stdin(format!("{{\"apps\": \"{}\"}}\n", "x".repeat(1_000_000)))
        .batch(&[(1, Some("unknown value 'xxx"))]),
        row("batch input empty", &["recommend", "--batch", "-"])
            .stdin("")
            .batch(&[]),
        row(
            "batch input of blank lines only",
            &["recommend", "--batch", "-"],
        )
        .stdin("\n  \n\t\n\r\n")
        .batch(&[]),
        row(
            "batch blank lines between good lines",
            &["recommend", "--batch", "-"],
        )
        .stdin("\n{\"apps\": \"sales\"}\n\n\n{\"apps\": \"csw\"}")
        .batch(&[(2, None), (5, None)]),
        row("batch line is a JSON array", &["recommend", "--batch", "-"])
            .stdin("[1, 2]\n")
            .batch(&[(1, Some("expected a mapping of requirement keys"))]),
        row("batch line is null", &["recommend", "--batch", "-"])
            .stdin("null\n")
            .batch(&[(1, Some("invalid type: null"))]),
        row(
            "batch line with trailing garbage",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"apps\": [\"sales\"]} x\n")
        .batch(&[(1, Some("trailing characters"))]),
        row("batch line of two objects", &["recommend", "--batch", "-"])
            .stdin("{}{}\n")
            .batch(&[(1, Some("trailing characters"))]),
        row("batch line not closed", &["recommend", "--batch", "-"])
            .stdin("{\"apps\": [\"sales\"]\n")
            .batch(&[(1, Some("EOF while parsing"))]),
        row(
            "batch line with invalid UTF-8",
            &["recommend", "--batch", "-"],
        )
        .stdin(b"{\"apps\": \"sa\xffles\"}\n".to_vec())
        .batch(&[(1, Some("not UTF-8 text"))]),
        row(
            "batch line with a lone surrogate escape",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"apps\": \"\\ud800\"}\n")
        .batch(&[(1, Some("not valid JSON"))]),
        row(
            "batch line with an object as id",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"id\": {}, \"apps\": \"sales\"}\n")
        .batch(&[(1, Some("for 'id'"))]),
        row(
            "batch line with a duplicate key",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"id\": 1, \"id\": 2}\n")
        .batch(&[(1, Some("duplicate key 'id'"))]),
        row(
            "batch bad lines among good ones",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"apps\": \"sales\"}\n]\n{\"apps\": \"csw\"}\n{\"apps\": 1}\n")
        .batch(&[
            (1, None),
            (2, Some("not valid JSON")),
            (3, None),
            (4, Some("invalid type")),
        ]),
        row(
            "batch first line with a byte-order mark",
            &["recommend", "--batch", "-"],
        )
        .stdin(b"\xef\xbb\xbf{\"apps\": \"sales\"}\n".to_vec())
        .batch(&[(1, None)]),
        row(
            "batch with --detail full and a bad line",
            &["recommend", "--batch", "-", "--detail", "full"],
        )
        .stdin("oops\n{\"apps\": \"sales\"}\n")
        .batch(&[(1, Some("not valid JSON")), (2, None)]),
        row(
            "batch file missing",
            &["recommend", "--batch", "orgs.jsonl"],
        )
        .code(1)
        .says(&["cannot read batch file 'orgs.jsonl'", "no such file"]),
        row("batch file is a directory", &["recommend", "--batch", "d"])
            .dir("d")
            .code(1)
            .says(&["batch file 'd' is a directory"]),
        // --- Output --------------------------------------------------------------
        row("stdout closed early (compare | head -0)", &["compare"])
            .out(Out::Closed)
            .code(0)
            .shape(Shape::Empty),
        row("stdout closed early (matrix export)", &["matrix", "export"])
            .out(Out::Closed)
            .code(0)
            .shape(Shape::Empty),
        row(
            "stdout closed early during a 100,000-line batch",
            &["recommend", "--batch", "-"],
        )
        .stdin(big_batch_input())
        .out(Out::Closed)
        .code(0)
        .shape(Shape::Empty),
        row("stdout is /dev/full (compare)", &["compare"])
            .out(Out::Full)
            .code(1)
            .says(&["cannot write output: No space left on device"]),
        row(
            "stdout is /dev/full (recommend --format json)",
            &["recommend", "--app", "sales", "--format", "json"],
        )
        .out(Out::Full)
        .code(1)
        .says(&["cannot write output: No space left on device"]),
        row(
            "stdout is /dev/full (batch)",
            &["recommend", "--batch", "-"],
        )
        .stdin(ok_line)
        .out(Out::Full)
        .code(1)
        .says(&["cannot write output: No space left on device"]),
        // --- Bounded memory and time ------------------------------------------------
        row(
            "requirements file of 524,000 nested block lists (- - -), under 1 MiB",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", format!("{}x\n", "- ".repeat(524_000)))
        .code(1)
        .says(&["requirements file 'r.yaml'", "lists and maps nested more than 128 levels deep at line 1 column 257"]),
        row(
            "requirements file of 524,000 nested block lists, in 100 MB of address space",
            &["recommend", "--requirements", "r.yaml"],
        )
        .limited(&["--as=100000000"])
        .file("r.yaml", format!("{}x\n", "- ".repeat(524_000)))
        .code(1)
        .says(&["nested more than 128 levels deep"]),
        row(
            "requirements file of 524,000 nested complex keys (? ? ?), in 100 MB of address space",
            &["recommend", "--requirements", "r.yaml"],
        )
        .limited(&["--as=100000000"])
        .file("r.yaml", format!("{}x\n", "? ".repeat(524_000)))
        .code(1)
        .says(&["nested more than 128 levels deep"]),
        row(
            "requirements file nested 200 block maps deep (a: under a:)",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", block_maps(200))
        .code(1)
        .says(&["nested more than 128 levels deep at line 129"]),
        row(
            "requirements file with a control character in a value",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "apps: [\"sales\\e[2J\"]\n")
        .code(1)
        .says(&["control character (U+001B) in a value at line 1 column 8"]),
        row(
            "matrix file of 2,097,000 nested block lists (4 MiB), in 100 MB of address space",
            &["--matrix", "m.yaml", "compare"],
        )
        .limited(&["--as=100000000"])
        .file("m.yaml", format!("{}x\n", "- ".repeat(2_097_000)))
        .code(1)
        .says(&["matrix file 'm.yaml'", "nested more than 128 levels deep"]),
        row(
            "matrix file whose aliases replay 100 M values (529 KB), in 100 MB of address space",
            &["--matrix", "m.yaml", "compare", "--format", "json"],
        )
        .limited(&["--as=100000000"])
        .file("m.yaml", replay_bomb())
        .code(1)
        .says(&["aliases repeat more than 250000 nodes", "line 22"]),
        row(
            "matrix file grown more than four times by its aliases",
            &["--matrix", "m.yaml", "compare"],
        )
        .file(
            "m.yaml",
            "schema_version: 1\nx: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\ny: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
        )
        .code(1)
        .says(&["aliases repeat 116 nodes, more than 4 times the document's own 26"]),
        row(
            "matrix file of 250,001 nodes (one list of 250,000 values)",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", flat_list(250_000))
        .code(1)
        .says(&["more than 250000 nodes", "is it the right file?"]),
        row("matrix row feature of 201 characters", &["matrix", "validate", "m.yaml"])
            .file("m.yaml", matrix_replacing("feature: Session", &format!("feature: {}", "f".repeat(201))))
            .code(1)
            .says(&["rows[0].feature: is 201 characters long; at most 200 are supported"]),
        row("matrix row feature of 200 characters (the most)", &["matrix", "validate", "m.yaml"])
            .file("m.yaml", matrix_replacing("feature: Session", &format!("feature: {}", "f".repeat(200))))
            .code(0)
            .shape(Shape::Empty)
            .stdout_has(&["m.yaml: valid"]),
        row("matrix fact of 4,001 characters", &["matrix", "validate", "m.yaml"])
            .file("m.yaml", matrix_replacing(FACT, &format!("fact: {}", "w ".repeat(2001).trim_end())))
            .code(1)
            .says(&["fact: is 4001 characters long; at most 4000 are supported"]),
        row("matrix fact of 4,000 characters (the most)", &["matrix", "validate", "m.yaml"])
            .file("m.yaml", matrix_replacing(FACT, &format!("fact: {}w", "w ".repeat(2000).trim_end())))
            .code(0)
            .shape(Shape::Empty)
            .stdout_has(&["m.yaml: valid"]),
        row("matrix row with 65 see_also links", &["matrix", "validate", "m.yaml"])
            .file(
                "m.yaml",
                matrix_replacing("feature: Session", &format!("feature: Session\n    see_also: [{}]", vec!["https://a.example"; 65].join(", "))),
            )
            .code(1)
            .says(&["rows[0].see_also: 65 entries; at most 64 are supported"]),
        row("matrix row cell of 65 lines", &["matrix", "validate", "m.yaml"])
            .file(
                "m.yaml",
                matrix_replacing("\"1.0\": [Single-session]", &format!("\"1.0\": [{}]", vec!["l"; 65].join(", "))),
            )
            .code(1)
            .says(&["rows[0].values.1.0: 65 lines; at most 64 are supported"]),
        row("matrix with 65 versions", &["matrix", "validate", "m.yaml"])
            .file("m.yaml", versions_matrix(65))
            .code(1)
            .says(&["versions: 65 versions; at most 64 are supported"]),
        row("matrix with 64 versions (the most)", &["matrix", "validate", "m.yaml"])
            .file("m.yaml", versions_matrix(64))
            .code(0)
            .shape(Shape::Empty)
            .stdout_has(&["m.yaml: valid (schema 1, 64 versions"]),
        row(
            "matrix validate: 64 versions, 3 dimensions of 64 values (one lint budget)",
            &["matrix", "validate", "m.yaml"],
        )
        .file("m.yaml", lint_matrix())
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["lint: versions: the search for versions no answer can select stopped after 100000 steps"]),
        row(
            "troubleshoot text of 8,193 characters",
            &["troubleshoot"],
        )
        .code(2)
        .says(&["the problem text is 8193 characters long; give at most 8192"]),
        row(
            "troubleshoot text of 8,192 characters (the most)",
            &["troubleshoot"],
        )
        .code(3)
        .shape(Shape::Empty)
        .stdout_has(&["No known problem matches"]),
        // --- Nothing raw to the terminal --------------------------------------------
        row(
            "matrix fact with terminal escapes (clear screen, window title)",
            &["--matrix", "m.yaml", "recommend", "--app", "customer-service"],
        )
        .file("m.yaml", matrix_replacing(FACT, "fact: \"CIF 1.0 \\e[2J\\e]0;pwned\\a\""))
        .code(1)
        .says(&["a control character (U+001B) in a value at line 98 column 15"]),
        row(
            "matrix version id with a colour escape",
            &["--matrix", "m.yaml", "recommend", "--app", "sales", "-q"],
        )
        .file("m.yaml", EMBEDDED_YAML.replace("\"1.0\"", "\"1.0\\e[31m\"").into_bytes())
        .code(1)
        .says(&["control character (U+001B)"]),
        row(
            "matrix app name with a right-to-left override (U+202E)",
            &["--matrix", "m.yaml", "apps"],
        )
        .file("m.yaml", matrix_replacing("name: Customer Service Hub", "name: \"Customer \\u202EbuH\""))
        .code(1)
        .says(&["control character (U+202E)"]),
        row(
            "matrix version name with a C1 control (U+009B, a one-byte CSI)",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", matrix_replacing("name: CIF 1.0", "name: \"CIF \\u009B2J1.0\""))
        .code(1)
        .says(&["control character (U+009B)"]),
        row(
            "matrix link that is an OSC 8 hyperlink showing another address",
            &["--matrix", "m.yaml", "recommend", "--app", "sales"],
        )
        .file("m.yaml", matrix_with_link("\\e]8;;https://evil.example/\\e\\\\clickhere\\e]8;;\\e\\\\"))
        .code(1)
        .says(&["control character (U+001B)"]),
        row(
            "matrix link with ')' and a javascript: link after it",
            &["--matrix", "m.yaml", "compare", "--format", "markdown"],
        )
        .file("m.yaml", matrix_with_link("https://learn.microsoft.com)[Fix](javascript:alert(document.cookie)"))
        .code(1)
        .says(&["is not a source link: it contains ')'", "percent-encoded"]),
        row(
            "matrix link with raw HTML (<img onerror>)",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", matrix_with_link("https://a<img/src=x/onerror=alert(1)>"))
        .code(1)
        .says(&["it contains '<'"]),
        row(
            "matrix link with a newline",
            &["--matrix", "m.yaml", "compare"],
        )
        .file("m.yaml", matrix_with_link("https://example.com/a\\nInjected-line"))
        .code(1)
        .says(&["a space or a control character (U+000A)"]),
        row("matrix link javascript:", &["--matrix", "m.yaml", "compare"])
            .file("m.yaml", matrix_with_link("javascript:alert(1)"))
            .code(1)
            .says(&["it does not start with https://"]),
        row("matrix link data:", &["--matrix", "m.yaml", "compare"])
            .file("m.yaml", matrix_with_link("data:text/html,<script>alert(1)</script>"))
            .code(1)
            .says(&["it does not start with https://"]),
        row("matrix link without a host (https:///x)", &["--matrix", "m.yaml", "compare"])
            .file("m.yaml", matrix_with_link("https:///x"))
            .code(1)
            .says(&["it has no host"]),
        row(
            "matrix feature with raw HTML and a Markdown link (compare --format markdown)",
            &["--matrix", "m.yaml", "compare", "--format", "markdown"],
        )
        .file(
            "m.yaml",
            matrix_replacing(
                "feature: Session",
                "feature: \"Row <img src=x onerror=alert(1)> [x](javascript:alert(1))\"",
            ),
        )
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["| Row &lt;img src=x onerror=alert(1)&gt; \\[x\\](javascript:alert(1)) |"]),
        row(
            "matrix validate of a file whose name holds an escape",
            &["matrix", "validate", "m\u{1b}[2J.yaml"],
        )
        .file("m\u{1b}[2J.yaml", EMBEDDED_YAML)
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["m\\u{1b}[2J.yaml: valid"]),
        row(
            "troubleshoot text with escape sequences",
            &["troubleshoot", "\u{1b}]0;pwned\u{7}\u{1b}[2Jzzqx"],
        )
        .code(3)
        .shape(Shape::Empty)
        .stdout_has(&["No known problem matches \"\\u{1b}]0;pwned\\u{7}\\u{1b}[2Jzzqx\"."]),
        row(
            "troubleshoot text with bidirectional overrides",
            &["troubleshoot", "\u{202e}\u{2066} RTL override zzqx"],
        )
        .code(3)
        .shape(Shape::Empty)
        .stdout_has(&["\"\\u{202e}\\u{2066} RTL override zzqx\""]),
        row(
            "--app of 120,000 characters (the error line is cut)",
            &["recommend", "--app"],
        )
        .code(2)
        .says(&["characters left out", "valid values: customer-service"]),
        row(
            "unknown subcommand with a bidirectional override",
            &["x\u{202e}"],
        )
        .clap()
        .says(&["unrecognized subcommand 'x\\u{202e}'"]),
        row(
            "completions for a shell named with an escape and an override",
            &["completions", "\u{1b}[31m\u{202e}"],
        )
        .clap()
        .says(&["invalid value '\\u{1b}[31m\\u{202e}' for '<SHELL>'"]),
        // The writers escape what a
        // renderer echoes, in text and in JSON.
        row(
            "D12: check --queries with escape sequences in the organisation URL",
            &["check", "--queries", "https://x\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}.example"],
        )
        // D30: characters no host has are refused (and escaped in the error line).
        .code(2)
        .says(&[
            "invalid value 'https://x\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{202e}.example'",
            "expected the organisation URL",
        ]),
        row(
            "D13: matrix sources --docs with escape sequences in the folder name",
            &["matrix", "sources", "--docs", "docs\u{1b}]0;pwned\u{7}\u{1b}[2J"],
        )
        .dir("docs\u{1b}]0;pwned\u{7}\u{1b}[2J/ce")
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["Checked against docs\\u{1b}]0;pwned\\u{7}\\u{1b}[2J: "]),
        row(
            "D16: matrix sources --format json with an override in the folder name",
            &["matrix", "sources", "--format", "json", "--docs", "docs\u{202e}\u{9b}"],
        )
        .dir("docs\u{202e}\u{9b}/ce")
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["\"docs\": \"docs\\\\u{202e}\\\\u{9b}\""]),
        row(
            "D16: check --format json with DEL, a C1 control and an override in a record name",
            &["check", "--format", "json", "h.json"],
        )
        .file("h.json", r#"{"@odata.context": "https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#msdyn_ciproviders", "value": [{"msdyn_ciproviderid": "5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b701", "msdyn_name": "Evil \u009b2J \u202eenohP\u007f", "statecode": 0, "msdyn_sortorder": "x"}]}"#)
        .code(3)
        .shape(Shape::Empty)
        .stdout_has(&["\"name\": \"Evil \\u009b2J \\u202eenohP\\u007f\""]),
        row(
            "D15: batch ids with DEL, C1 controls and overrides",
            &["recommend", "--batch", "-"],
        )
        .stdin(concat!(
            r#"{"id":"a\u009b2J\u202e\u007fz","apps":"sales"}"#,
            "\n",
            r#"{"id":"b\u2066q","apps":"nope"}"#,
            "\n"
        ))
        .batch(&[(1, None), (2, Some("unknown value 'nope'"))])
        .stdout_has(&[r#"{"line":1,"id":"a\u009b2J\u202e\u007fz","#, r#"{"line":2,"id":"b\u2066q","#]),
        row(
            "D15: batch --detail full with an override in the id",
            &["recommend", "--batch", "-", "--detail", "full"],
        )
        .stdin("{\"id\":\"\\u202e\\u0085\",\"apps\":\"sales\"}\n")
        .batch(&[(1, None)])
        .stdout_has(&[r#"{"line":1,"id":"\u202e\u0085","schema_version":2,"#]),
        row(
            "D22: --skip names a key that a flag states",
            &["recommend", "--app", "sales", "--providers", "2", "--skip", "apps", "-q"],
        )
        .says(&["error: --skip apps contradicts --app sales; give one of them"]),
        row(
            "D22: --skip names a switch that is given",
            &["recommend", "--analytics", "--skip", "channels,analytics"],
        )
        .says(&["error: --skip analytics contradicts --analytics; give one of them"]),
        row(
            "D22: --skip over a requirements file's value (flags override the file)",
            &["recommend", "--requirements", "r.yaml", "--skip", "apps", "-q"],
        )
        .file("r.yaml", "apps: sales\nproviders: 2\n")
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["2.0"]),
        row(
            "D25: bare addresses in matrix text are no links in the decision record",
            &["--matrix", "m.yaml", "recommend", "--app", "sales", "--format", "markdown"],
        )
        .file(
            "m.yaml",
            matrix_replacing(
                "fact: CIF 1.0 integrates channels into the single-session Dynamics 365 Sales app.",
                "fact: \"CIF 1.0 integrates channels; get the connector at www.evil.example/cif or http://evil.example/x\"",
            ),
        )
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["connector at www\\.evil.example/cif or http\\://evil.example/x"]),
        row(
            "D31: the Learn search link searches the text as pasted",
            &["troubleshoot", "zzqx \u{202e}"],
        )
        .code(3)
        .shape(Shape::Empty)
        .stdout_has(&["https://learn.microsoft.com/search/?terms=zzqx+%E2%80%AE\n"]),
        row(
            "D28: null for a choice, a switch and a count key means not stated",
            &["recommend", "--requirements", "r.yaml", "-q"],
        )
        .file("r.yaml", "session: ~\nanalytics:\nproviders: null\napps: sales\n")
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["1.0"]),
        row(
            "D28: null for every key states nothing",
            &["recommend", "--requirements", "r.yaml"],
        )
        .file("r.yaml", "session: ~\nproviders:\n")
        .says(&["error: no requirement stated;"]),
        row(
            "D28: null for a count key in a batch line",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"providers\":null,\"session\":null,\"apps\":\"sales\"}\n")
        .batch(&[(1, None)]),
        row(
            "D17: a newline in an unknown argument cannot forge a second error line",
            &["--bogus\nerror: everything is fine, exit 0"],
        )
        .clap()
        .says(&["error: unexpected argument '--bogus\\nerror: everything is fine, exit 0' found"]),
        row(
            "D17: a newline in a --format value",
            &["compare", "--format", "x\nerror: forged"],
        )
        .clap()
        .says(&["error: invalid value 'x\\nerror: forged' for '--format <FORMAT>'"]),
        row(
            "D17: a newline in --format=value",
            &["recommend", "--app", "sales", "--format=x\nerror: forged"],
        )
        .clap()
        .says(&["error: invalid value 'x\\nerror: forged' for '--format <FORMAT>'"]),
        row(
            "D17: a newline in a shell name",
            &["completions", "bash\nerror: z"],
        )
        .clap()
        .says(&["error: invalid value 'bash\\nerror: z' for '<SHELL>'"]),
        row(
            "batch line with an unknown key holding an override",
            &["recommend", "--batch", "-"],
        )
        .stdin("{\"\u{202e}\": 1}\n")
        .batch(&[(1, Some("unknown requirement key '\\u{202e}'"))]),
        row(
            "requirements file with a byte-order mark and CRLF line ends (Notepad)",
            &["recommend", "--requirements", "r.yaml", "-q"],
        )
        .file("r.yaml", "\u{feff}apps: [sales]\r\ncloud: commercial\r\n")
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["1.0"]),
        row(
            "matrix file with a byte-order mark and CRLF line ends",
            &["matrix", "validate", "m.yaml"],
        )
        .file("m.yaml", format!("\u{feff}{}", EMBEDDED_YAML.replace('\n', "\r\n")))
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["m.yaml: valid"]),
        row("matrix reviewed 2026-02-31", &["matrix", "validate", "m.yaml"])
            .file("m.yaml", matrix_with_line("reviewed", "reviewed: \"2026-02-31\""))
            .code(1)
            .says(&["reviewed: '2026-02-31' is not a date"]),
        row("matrix reviewed in the future (9999-12-31)", &["matrix", "validate", "m.yaml"])
            .file("m.yaml", matrix_with_line("reviewed", "reviewed: \"9999-12-31\""))
            .code(0)
            .shape(Shape::Empty)
            .stdout_has(&["lint: reviewed: 9999-12-31 is in the future"]),
        // --- The smaller defects ------------------------------------------------------
        row(
            "empty CIF_ADVISOR_MATRIX (the built-in matrix)",
            &["recommend", "--app", "sales", "-q"],
        )
        .env("CIF_ADVISOR_MATRIX", "")
        .code(0)
        .shape(Shape::Empty)
        .stdout_has(&["1.0"]),
        row("batch line {} (nothing stated)", &["recommend", "--batch", "-"])
            .stdin("{}\n{\"id\": 7}\n{\"apps\": \"sales\"}\n")
            .batch(&[
                (1, Some("no requirement stated")),
                (2, Some("no requirement stated")),
                (3, None),
            ])
            .stdout_has(&["{\"line\":2,\"id\":7,\"error\""]),
        row("batch ids beyond 64 bits", &["recommend", "--batch", "-"])
            .stdin(
                "{\"id\":123456789012345678901234567890,\"apps\":\"sales\"}\n{\"id\":18446744073709551616,\"apps\":\"sales\"}\n{\"id\":-1.5e300,\"apps\":\"sales\"}\n",
            )
            .batch(&[(1, None), (2, None), (3, None)])
            .stdout_has(&[
                "\"id\":123456789012345678901234567890,",
                "\"id\":18446744073709551616,",
                "\"id\":-1.5e300,",
            ]),
        row(
            "--matrix /dev/stdin with --batch - (one standard input)",
            &["--matrix", "/dev/stdin", "recommend", "--batch", "-"],
        )
        .stdin(EMBEDDED_YAML)
        .says(&["cannot both read standard input"]),
        row(
            "--matrix /dev/fd/0 with --requirements /dev/stdin",
            &["--matrix", "/dev/fd/0", "recommend", "--requirements", "/dev/stdin"],
        )
        .stdin(EMBEDDED_YAML)
        .says(&["cannot both read standard input"]),
        // --- Output and ends ----------------------------------------------------------
        row("--help > /dev/full", &["--help"])
            .out(Out::Full)
            .code(1)
            .says(&["cannot write output: No space left on device"]),
        row("--version > /dev/full", &["--version"])
            .out(Out::Full)
            .code(1)
            .says(&["cannot write output: No space left on device"]),
        row("--help into a closed pipe", &["--help"])
            .out(Out::Closed)
            .code(0)
            .shape(Shape::Empty),
        row("--version into a closed pipe", &["--version"])
            .out(Out::Closed)
            .code(0)
            .shape(Shape::Empty),
        row("no arguments, standard error /dev/full", &[])
            .stderr_full()
            .code(2),
        row("usage error, standard error /dev/full", &["--bogus"])
            .stderr_full()
            .code(2),
        row(
            "batch output over a 16 KiB file-size limit (SIGXFSZ)",
            &["recommend", "--batch", "-"],
        )
        .limited(&["--fsize=16384"])
        .stdin(big_batch_input())
        .out(Out::File)
        .code(1)
        .says(&["cannot write output: File too large"]),
    ]
}

/// What a run gave.
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    elapsed: Duration,
    timed_out: bool,
}

fn run(row: &Row, dir: &Path) -> std::io::Result<Run> {
    for (name, content) in &row.files {
        match content {
            Some(bytes) => std::fs::write(dir.join(name), bytes)?,
            None => std::fs::create_dir_all(dir.join(name))?,
        }
    }
    let mut cmd = match row.wrap.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    cmd.args(&row.args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env_remove("NO_COLOR");
    if row.stderr_full {
        cmd.stderr(std::fs::OpenOptions::new().write(true).open("/dev/full")?);
    } else {
        cmd.stderr(Stdio::piped());
    }
    for (k, v) in &row.env {
        cmd.env(k, v);
    }
    if row.stdin_dir {
        cmd.stdin(std::fs::File::open(dir)?);
    } else if row.stdin.is_some() {
        cmd.stdin(Stdio::piped());
    } else {
        cmd.stdin(Stdio::null());
    }
    match row.out {
        Out::Pipe | Out::Closed => cmd.stdout(Stdio::piped()),
        Out::Full => cmd.stdout(std::fs::OpenOptions::new().write(true).open("/dev/full")?),
        Out::File => cmd.stdout(std::fs::File::create(dir.join("out.txt"))?),
    };
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    if row.out == Out::Closed {
        drop(child.stdout.take());
    }
    let feeder = match (child.stdin.take(), &row.stdin) {
        (Some(mut pipe), Some(bytes)) => {
            let bytes = bytes.clone();
            // The child may stop reading early (an error); a broken pipe is fine.
            Some(std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            }))
        }
        _ => None,
    };
    let stdout_reader = child.stdout.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = s.read_to_end(&mut v);
            v
        })
    });
    let stderr_reader = child.stderr.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = s.read_to_end(&mut v);
            v
        })
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            timed_out = true;
            let _ = child.kill();
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = start.elapsed();
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let stdout = stdout_reader
        .map(|t| t.join().unwrap_or_default())
        .unwrap_or_default();
    let stderr = stderr_reader
        .map(|t| t.join().unwrap_or_default())
        .unwrap_or_default();
    Ok(Run {
        code: status.code(),
        stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        elapsed,
        timed_out,
    })
}

/// The problems of one run against its row (empty: as expected).
fn check(row: &Row, r: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    let err = &r.stderr;
    if r.timed_out {
        problems.push(format!("still running after {TIMEOUT:?}; killed"));
    }
    if r.code != Some(row.code) {
        problems.push(format!("exit code {:?}, expected {}", r.code, row.code));
    }
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        if err.contains(bad) {
            problems.push(format!("standard error contains {bad:?}"));
        }
    }
    // One `error:` line at most, whatever a value quotes (a newline in it).
    if err.lines().filter(|l| l.starts_with("error:")).count() > 1 {
        problems.push("standard error has more than one `error:` line".into());
    }
    check_shape(row.shape, err, &mut problems);
    for w in &row.words {
        if !err.contains(w) {
            problems.push(format!("standard error lacks {w:?}"));
        }
    }
    let stdout = String::from_utf8_lossy(&r.stdout);
    for w in &row.stdout_words {
        if !stdout.contains(w) {
            problems.push(format!("standard output lacks {w:?}"));
        }
    }
    if let Some(expected) = &row.batch {
        check_batch(expected, &stdout, err, &mut problems);
    }
    // Nothing a terminal acts on, whatever the input (no colour: NO_COLOR
    // is unset but the output is a pipe).
    let stdout_text = String::from_utf8_lossy(&r.stdout);
    for (name, text) in [
        ("standard error", err.as_str()),
        ("standard output", &*stdout_text),
    ] {
        if let Some(c) = text
            .chars()
            .find(|&c| cif_advisor::sanitize::is_unsafe_in_text(c))
        {
            problems.push(format!("{name} holds a raw {c:?}"));
        }
    }
    if row.out == Out::Closed && !r.stdout.is_empty() {
        problems.push("wrote to a closed standard output".into());
    }
    problems
}

/// Standard error has the shape the row expects.
fn check_shape(shape: Shape, err: &str, problems: &mut Vec<String>) {
    let lines = err.lines().count();
    match shape {
        Shape::ErrorLine => {
            if !err.starts_with("error: ") || lines != 1 || !err.ends_with('\n') {
                problems.push("standard error is not exactly one `error: …` line".into());
            }
        }
        Shape::Clap => {
            if !err.starts_with("error: ") {
                problems.push("standard error does not start with `error: `".into());
            }
        }
        Shape::Help => {
            if !err.contains("Usage:") || err.starts_with("error") {
                problems.push("standard error is not the help".into());
            }
        }
        Shape::Empty => {
            if !err.is_empty() {
                problems.push("standard error is not empty".into());
            }
        }
        Shape::BatchSummary => {
            if !err.starts_with("cif-advisor: ") || lines != 1 {
                problems.push("standard error is not the one-line batch summary".into());
            }
        }
    }
}

/// The batch output holds the expected lines (each its number, and its
/// error or its answer), and the summary counts them.
fn check_batch(expected: &[BatchLine], stdout: &str, err: &str, problems: &mut Vec<String>) {
    let got: Vec<&str> = stdout.lines().collect();
    if got.len() != expected.len() {
        problems.push(format!(
            "{} output lines, expected {}",
            got.len(),
            expected.len()
        ));
    }
    for (line, (n, error)) in got.iter().zip(expected) {
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("output line is not JSON ({e})"));
                continue;
            }
        };
        if value["line"] != *n {
            problems.push(format!(
                "output \"line\" is {}, expected {n}",
                value["line"]
            ));
        }
        match (error, value.get("error").and_then(|e| e.as_str())) {
            (Some(word), Some(message)) if message.contains(word) => {}
            (Some(word), Some(message)) => {
                problems.push(format!("line {n}: error {message:?} lacks {word:?}"))
            }
            (Some(_), None) => problems.push(format!("line {n}: no \"error\" in {value}")),
            (None, Some(message)) => {
                problems.push(format!("line {n}: unexpected error {message:?}"))
            }
            (None, None) => {
                if value.get("recommended").is_none() {
                    problems.push(format!("line {n}: no \"recommended\" in {value}"));
                }
            }
        }
    }
    let bad = expected.iter().filter(|(_, e)| e.is_some()).count();
    let plural = if expected.len() == 1 { "" } else { "s" };
    if !err.starts_with(&format!("cif-advisor: {} line{plural};", expected.len())) {
        problems.push(format!(
            "the summary does not count {} lines",
            expected.len()
        ));
    }
    if !err.contains(&format!("bad lines {bad}")) {
        problems.push(format!("the summary does not count {bad} bad lines"));
    }
}

/// The args of the rows that need computed values.
fn finish(mut rows: Vec<Row>) -> Vec<Row> {
    for row in &mut rows {
        if row.what == "--app of 120,000 characters (the error line is cut)" {
            row.args.push(OsString::from("y".repeat(120_000)));
        }
        if row.what == "troubleshoot text of 8,193 characters" {
            row.args
                .push(OsString::from("zzqxw ".repeat(1366)[..8193].to_string()));
        }
        if row.what == "troubleshoot text of 8,192 characters (the most)" {
            row.args
                .push(OsString::from("zzqxw ".repeat(1366)[..8192].to_string()));
        }
        if row.what == "--app of 100,000 characters" {
            row.args = ["recommend", "--app", &"x".repeat(100_000)]
                .iter()
                .map(OsString::from)
                .collect();
        }
    }
    rows
}

#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "needs Linux: prlimit, /dev/full")]
fn every_bad_input_gives_its_exit_code_and_one_clear_message() {
    let rows = finish(table());
    assert!(rows.len() >= 70, "the table has {} rows", rows.len());
    let mut names = std::collections::HashSet::new();
    for r in &rows {
        assert!(names.insert(r.what), "duplicate row {:?}", r.what);
    }

    let mut failures = Vec::new();
    let mut doc_rows = Vec::new();
    for row in &rows {
        let dir = tempfile::tempdir().expect("temp dir");
        match run(row, dir.path()) {
            Err(e) => failures.push(format!("{}: cannot run: {e}", row.what)),
            Ok(r) => {
                let problems = check(row, &r);
                if !problems.is_empty() {
                    failures.push(format!(
                        "{} (args {:?}, {:?}):\n    - {}\n    stderr: {:?}\n    stdout: {:?}",
                        row.what,
                        row.args
                            .iter()
                            .map(|a| a.to_string_lossy())
                            .collect::<Vec<_>>(),
                        r.elapsed,
                        problems.join("\n    - "),
                        r.stderr.chars().take(600).collect::<String>(),
                        String::from_utf8_lossy(&r.stdout)
                            .chars()
                            .take(300)
                            .collect::<String>(),
                    ));
                }
                doc_rows.push(doc_row(row, &r));
            }
        }
    }
    // docs/bad-inputs.md is a golden file: the table regenerated from the
    // rows (and their outputs) must be what it says.
    let doc_path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/bad-inputs.md");
    if std::env::var_os("UPDATE_BAD_INPUTS_DOC").is_some() {
        std::fs::write(doc_path, render_doc(&doc_rows)).expect("write docs/bad-inputs.md");
    } else if std::fs::read_to_string(doc_path).ok().as_deref()
        != Some(render_doc(&doc_rows).as_str())
    {
        failures.push(
            "docs/bad-inputs.md is not the table's output; run \
             `UPDATE_BAD_INPUTS_DOC=1 cargo test --test hardening` and review the diff"
                .to_string(),
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_doc_lists_every_row() {
    if std::env::var_os("UPDATE_BAD_INPUTS_DOC").is_some() {
        return; // being rewritten by the other test
    }
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/bad-inputs.md"))
        .expect("docs/bad-inputs.md");
    let missing: Vec<&str> = table()
        .iter()
        .map(|r| r.what)
        .filter(|w| !doc.contains(&format!("| {} |", md(w))))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/bad-inputs.md lacks rows (run `UPDATE_BAD_INPUTS_DOC=1 cargo test --test hardening`): {missing:?}"
    );
}

#[test]
fn brackets_in_comments_quotes_and_text_do_not_count_as_nesting() {
    let matrix = cif_advisor::matrix::embedded().expect("matrix");
    let lexicon = cif_advisor::requirements::Lexicon::new(&matrix);
    let many = "[".repeat(500);
    let text = format!("# {many}\napps: [sales, \"{many}\"]\n");
    // Rejected for the unknown app, not for nesting.
    let err = cif_advisor::requirements::parse_document(&text, &lexicon).unwrap_err();
    assert!(err.to_string().contains("unknown value"), "{err}");
    let text = format!("apps: ['{many}', sales]\n");
    let err = cif_advisor::requirements::parse_document(&text, &lexicon).unwrap_err();
    assert!(err.to_string().contains("unknown value"), "{err}");
    // A quoted `]` does not close a level.
    let text = format!("apps: {}\n", "[\"]\", ".repeat(200));
    let err = cif_advisor::requirements::parse_document(&text, &lexicon).unwrap_err();
    assert!(err.to_string().contains("nested more than 128"), "{err}");
    // 128 levels (the top-level map is one) are still parsed (and then
    // refused for their type); 129 are not.
    let text = format!("apps: {}{}\n", "[".repeat(127), "]".repeat(127));
    let err = cif_advisor::requirements::parse_document(&text, &lexicon).unwrap_err();
    assert!(!err.to_string().contains("nested more than"), "{err}");
    let text = format!("apps: {}{}\n", "[".repeat(128), "]".repeat(128));
    let err = cif_advisor::requirements::parse_document(&text, &lexicon).unwrap_err();
    assert!(err.to_string().contains("nested more than 128"), "{err}");
}

/// `|` and newlines out of a Markdown table cell.
fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn doc_row(row: &Row, r: &Run) -> String {
    let mut message = match (&row.batch, row.shape) {
        (Some(_), _) => {
            let stdout = String::from_utf8_lossy(&r.stdout);
            let errors: Vec<&str> = stdout.lines().filter(|l| l.contains("\"error\"")).collect();
            if errors.is_empty() {
                "(results only)".to_string()
            } else {
                errors.join(" ")
            }
        }
        (None, Shape::Help) => "(the help, on standard error)".to_string(),
        (None, Shape::Empty) if r.code == Some(0) || r.code == Some(3) => {
            let stdout = String::from_utf8_lossy(&r.stdout);
            let first_word = row.stdout_words.first().copied().unwrap_or("\u{0}");
            match stdout.lines().find(|l| {
                l.contains("lint: reviewed") || l.contains("No known") || l.contains(first_word)
            }) {
                Some(l) => format!("(standard output) {l}"),
                None => "(nothing on standard error)".to_string(),
            }
        }
        (None, Shape::Empty) if row.stderr_full => "(standard error is /dev/full)".to_string(),
        _ => r.stderr.lines().next().unwrap_or("").to_string(),
    };
    if message.chars().count() > 220 {
        message = message.chars().take(220).collect::<String>() + "…";
    }
    let args: Vec<String> = row
        .args
        .iter()
        .map(|a| {
            let s: String = a
                .to_string_lossy()
                .chars()
                .flat_map(|c| match c.is_control() {
                    true => c.escape_default().collect::<Vec<_>>(),
                    false => vec![c],
                })
                .collect();
            if s.chars().count() > 24 {
                format!("{}…", s.chars().take(8).collect::<String>())
            } else if s.is_empty() || s.contains(' ') {
                format!("\"{s}\"")
            } else {
                s
            }
        })
        .collect();
    let mut input = format!("`{}`", format!("cif-advisor {}", args.join(" ")).trim_end());
    if row.stdin.is_some() {
        input.push_str(" + stdin");
    }
    if !row.env.is_empty() {
        input = format!(
            "`{}` {input}",
            row.env
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    match row.out {
        Out::Pipe => {}
        Out::Closed => input.push_str(" (stdout closed)"),
        Out::Full => input.push_str(" > /dev/full"),
        Out::File => input.push_str(" > out.txt"),
    }
    if row.stderr_full {
        input.push_str(" 2> /dev/full");
    }
    if !row.wrap.is_empty() {
        input = format!("`{}` {input}", row.wrap.join(" "));
    }
    format!(
        "| {} | {} | {} | {} |",
        md(row.what),
        md(&input),
        r.code.map_or("signal".to_string(), |c| c.to_string()),
        md(&message)
    )
}

fn render_doc(rows: &[String]) -> String {
    let mut doc = String::from(DOC_HEAD);
    doc.push_str("| input | command | exit | message |\n|---|---|---|---|\n");
    for r in rows {
        doc.push_str(r);
        doc.push('\n');
    }
    doc.push_str(DOC_TAIL);
    doc
}

const DOC_HEAD: &str = "# Bad inputs and what they give

Generated from the table in `tests/hardening.rs` (regenerate with
`UPDATE_BAD_INPUTS_DOC=1 cargo test --test hardening`). Each row is run by the
test with `RUST_BACKTRACE=1`; every row must end within 10 seconds, print no
panic or backtrace, and print at most one `error: …` line on standard error
(clap's usage errors add usage lines after it). File names are relative to the
working directory; long arguments are cut short here.

Exit codes: 0 success, 1 error (file, I/O, a bad batch line), 2 usage,
3 no version fits / no known problem matches.

## Limits

| what | limit | beyond it |
|---|---|---|
| matrix file (`--matrix`, `CIF_ADVISOR_MATRIX`, `matrix validate`) | 4 MiB (4,194,304 bytes) | exit 1, \"larger than the 4194304-byte limit\" |
| requirements file (`--requirements`) | 1 MiB (1,048,576 bytes) | exit 1, \"larger than the 1048576-byte limit\" |
| batch line (`--batch`) | 1 MiB (1,048,576 bytes) | that line gives `{\"line\": N, \"error\": \"line is longer than …\"}`, the batch goes on, exit 1 |
| nesting of a batch line (JSON) | none: a list or map where a value belongs is refused where it starts, however deep (serde_json's 128-level limit is never reached) | that line is reported bad |
| nesting of lists and maps in a YAML or JSON file, block (`- - -`, `? ? ?`, `key:` under `key:`) and flow (`[`, `{`) alike | 128 levels (the top-level node is level 1), counted on libyaml's events before serde_yaml loads the document (`src/yaml.rs`) | exit 1, \"lists and maps nested more than 128 levels deep at line L column C\" |
| nodes (values, lists, maps) in a YAML or JSON file, aliases counted as the nodes they repeat | 250,000 | exit 1, \"more than 250000 nodes … is it the right file?\" or \"aliases repeat more than 250000 nodes\" |
| growth by YAML aliases | the nodes aliases repeat, plus the document's own, at most 4 times the document's own | exit 1, \"aliases repeat N nodes, more than 4 times the document's own M\" |
| control characters in a YAML or JSON file | none in any value (newlines and tabs aside): C0, DEL, C1 and the bidirectional overrides U+202A-U+202E, U+2066-U+2069; the data files are checked the same way at build time | exit 1, \"a control character (U+001B) in a value at line L column C\" |
| YAML documents per file | 1 | exit 1, \"more than one document\" |
| `--providers`, `providers` | 1 to 1,000,000 | exit 2 (flag) or 1 (file); a batch line is reported bad |
| versions, values per dimension, apps, dimensions (matrix) | 64 each | the matrix is rejected, e.g. \"versions: 65 versions; at most 64 are supported\" |
| matrix links (`docs`, `source`, `see_also`) | `https://` with a host, at most 2,048 characters, no whitespace or control character, none of `(` `)` `<` `>` `\"` `\\` `{` `}` `\\|` `^` or a backquote (percent-encode them: `%28` for `(`) | exit 1, \"'…' is not a source link: it contains ')'…\" |
| matrix text length | names (versions, apps, dimensions, values, row features, aliases) 200 characters; prose (facts, notes, questions, help, row cells) 4,000; lines in a row cell, notes, aliases and see_also links 64 each | exit 1, \"rows[0].feature: is 201 characters long; at most 200 are supported\" |
| matrix text (names, facts, notes, questions, ids) | no control character (newlines and tabs aside in prose) or bidirectional override | exit 1, \"…: contains a control character (U+001B)…\" |
| `matrix validate` lint search | 100,000 steps for all versions together | the lint says \"the search for versions no answer can select stopped after 100000 steps\" and is otherwise complete |
| `troubleshoot` text | 8,192 characters | exit 2, \"the problem text is N characters long; give at most 8192\" |
| an error line | 2,000 characters | the middle of a long quoted value is left out: \"… [N characters left out] …\" |
| \"did you mean\" suggestions | compared only when the value is less than ten times longer than a known spelling (a longer one can never score high enough) | no suggestion |

## Text from users on the terminal

Text from a matrix file is refused at validation if it holds a control
character; text echoed from the command line (a `troubleshoot` query, a file
name, a value in an error) is written with its control characters and
bidirectional overrides escaped (`\\u{1b}`). `compare --format markdown` writes
no raw HTML from the matrix (`<`, `>`, `&` as entities, `[`, `]` escaped) and
links only as `https://` URLs.

## The table

";

/// Cases run outside the table (they need a signal or a terminal).
const DOC_TAIL: &str = "
## Outside the table

Run by their own tests in `tests/hardening.rs`:

| input | outcome |
|---|---|
| SIGTERM during `recommend --batch FILE` into a slow pipe | the lines so far, each whole; the summary on standard error; exit 143 |
| SIGINT during `recommend --batch FILE` into a slow pipe | the same, exit 130 |
| SIGINT while `recommend --batch -` waits for input | the lines so far, the summary; exit 130 at once |
| SIGHUP, SIGQUIT during `recommend --batch FILE` into a slow pipe | the lines so far, each whole; the summary; exit 129, 131 |
| SIGINT, SIGTERM, SIGHUP while `recommend --batch -` waits in the middle of a line; SIGHUP, SIGQUIT while it waits for a line | the whole lines so far (the half line dropped), the summary; exit 130, 143, 129, 131 at once |
| `--save` over the file-size limit (`prlimit --fsize`), onto `/dev/full`, onto the requirements file it read | one `error:` line, exit 1; no file (nor temporary file) left, the old file exactly as it was (`tests/hardening_io.rs`) |
| a FIFO in the `matrix sources --docs` checkout where a cited page belongs | not opened: `UNREADABLE in the checkout: not compared (not a regular file)`, exit 0 (`tests/hardening_io.rs`) |
| a cited page that is not UTF-8 after its front matter, or over 1 MiB with the cut inside a character | dated from its front matter as any page (`tests/hardening_io.rs`) |
| a matrix link with `..` segments (`…/dynamics365/sales/../../../outside/secret`) | not a page of the checkout: listed as outside, never read (`tests/hardening_io.rs`) |
| the advisor's `--save` name with escape sequences | shown escaped on its last screen (`tests/interactive.rs`) |
| every command with control characters and overrides in every user-supplied string (arguments, file names, values and keys of requirements files and batch lines, record names) | none raw on standard output, standard error or in a file written (`tests/hardening_io.rs`; random strings with `--include-ignored`) |
| a second SIGTERM while the batch is blocked writing into a pipe nobody reads | the process ends by the signal |
| the terminal of the interactive advisor goes away, SIGHUP ignored | `error: the terminal closed; the advisor ended without an answer`, exit 1 (no spin) |
| the limits above, just under and just over (nesting 128/129 block and flow, 250,000/250,001 nodes, alias growth 4×/over) | accepted / refused with the message above |
";

/// Each limit of `src/yaml.rs` just under and just over.
#[test]
fn the_yaml_limits_hold_exactly_at_their_values() {
    use cif_advisor::yaml::{from_str_borrowed, MAX_DEPTH, MAX_NODES};
    use serde::de::IgnoredAny;
    let parse = |text: &str| from_str_borrowed::<IgnoredAny>(text).map(|_| ());
    // Flow and block nesting: 128 levels pass, 129 do not.
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let ok = format!("{}x{}", open.repeat(MAX_DEPTH), close.repeat(MAX_DEPTH));
        assert_eq!(parse(&ok), Ok(()), "{open} x {MAX_DEPTH}");
        let over = format!(
            "{}x{}",
            open.repeat(MAX_DEPTH + 1),
            close.repeat(MAX_DEPTH + 1)
        );
        let err = parse(&over).unwrap_err();
        assert!(
            err.message.contains("nested more than 128 levels deep"),
            "{err}"
        );
    }
    for indicator in ["- ", "? "] {
        assert_eq!(parse(&format!("{}x", indicator.repeat(MAX_DEPTH))), Ok(()));
        let err = parse(&format!("{}x", indicator.repeat(MAX_DEPTH + 1))).unwrap_err();
        assert!(
            err.message
                .contains("nested more than 128 levels deep at line 1 column 257"),
            "{err}"
        );
    }
    let maps = |n: usize| String::from_utf8(block_maps(n)).unwrap() + &"  ".repeat(n) + "x\n";
    // n keys nested: n maps, the last one's value a scalar.
    assert_eq!(parse(&maps(MAX_DEPTH)), Ok(()));
    assert!(parse(&maps(MAX_DEPTH + 1))
        .unwrap_err()
        .message
        .contains("nested more than"));
    // Nodes: a list of n values is n + 1 nodes.
    let n = MAX_NODES as usize;
    assert_eq!(
        parse(std::str::from_utf8(&flat_list(n - 1)).unwrap()),
        Ok(())
    );
    let err = parse(std::str::from_utf8(&flat_list(n)).unwrap()).unwrap_err();
    assert!(err.message.contains("more than 250000 nodes"), "{err}");
    // Alias growth: 4 times the document's own nodes pass, more do not.
    // `[&a [x, x, x, x, x, x], *a × k]`: own 8 + k, expanded 8 + 7k.
    let aliased = |k: usize| format!("[&a [x, x, x, x, x, x], {}]", vec!["*a"; k].join(", "));
    // 8 + 7k <= 4 (8 + k) for k <= 8.
    assert_eq!(parse(&aliased(8)), Ok(()));
    let err = parse(&aliased(9)).unwrap_err();
    assert!(
        err.message
            .contains("aliases repeat 71 nodes, more than 4 times the document's own 17"),
        "{err}"
    );
    // A control character in a value (also how the data files are checked at build time).
    let err = parse("a: \"x\\e[31m\"").unwrap_err();
    assert!(
        err.message
            .contains("a control character (U+001B) in a value at line 1 column 4"),
        "{err}"
    );
    assert_eq!(parse("a: \"x\\ny\\tz\""), Ok(()));
    let err = parse("a: \"\\u2066x\"").unwrap_err();
    assert!(err.message.contains("U+2066"), "{err}");
}

/// Runs a batch of `lines` lines from a file into a pipe read slowly, sends
/// `signal` after a while, and checks the whole-lines outcome.
fn batch_signal(signal: &str, code: i32) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("orgs.jsonl");
    std::fs::write(&input, "{\"apps\":[\"sales\"]}\n".repeat(400_000)).expect("write");
    let mut child = Command::new(BIN)
        .args(["recommend", "--batch"])
        .arg(&input)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut data = Vec::new();
    let mut buf = [0u8; 2000];
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(300) {
        let n = stdout.read(&mut buf).expect("read");
        data.extend_from_slice(&buf[..n]);
        std::thread::sleep(Duration::from_millis(2));
    }
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    stdout.read_to_end(&mut data).expect("read the rest");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(code), "stderr: {stderr}");
    assert!(
        data.ends_with(b"\n"),
        "the last line is cut: {:?}",
        String::from_utf8_lossy(&data[data.len().saturating_sub(80)..])
    );
    let text = String::from_utf8(data).expect("UTF-8");
    let lines = text.lines().count();
    assert!(lines > 0 && lines < 400_000, "{lines} lines");
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a whole JSON line");
        assert_eq!(v["recommended"], "1.0");
    }
    assert!(
        stderr.starts_with(&format!("cif-advisor: {lines} lines; recommended:")),
        "{stderr}"
    );
}

#[test]
fn sigterm_during_a_batch_into_a_slow_pipe_keeps_whole_lines_and_exits_143() {
    batch_signal("TERM", 143);
}

#[test]
fn sigint_during_a_batch_into_a_slow_pipe_keeps_whole_lines_and_exits_130() {
    batch_signal("INT", 130);
}

#[test]
fn sigint_while_a_batch_waits_for_input_ends_it_with_the_summary() {
    let mut child = Command::new(BIN)
        .args(["recommend", "--batch", "-"])
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(b"{\"apps\":[\"sales\"]}\n{\"apps\":[\"cs-workspace\"]}\n")
        .expect("write");
    stdin.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(500));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    // Standard input stays open: the batch must not wait for its end.
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "still waiting for input after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(stdin);
    let mut out = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("stdout");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    assert_eq!(status.code(), Some(130), "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert_eq!(
        err,
        "cif-advisor: 2 lines; recommended: 2.0 1, 1.0 1, plan 0, none fits 0, bad lines 0\n"
    );
}

#[test]
fn sighup_during_a_batch_into_a_slow_pipe_keeps_whole_lines_and_exits_129() {
    // SIGHUP cut the last line, without a summary.
    batch_signal("HUP", 129);
}

#[test]
fn sigquit_during_a_batch_into_a_slow_pipe_keeps_whole_lines_and_exits_131() {
    batch_signal("QUIT", 131);
}

/// Writes `input` to a batch reading standard input (which stays open),
/// sends `signal`, and checks that the batch ends at once with `code`, the
/// whole lines so far and their summary.
fn batch_waiting(input: &[u8], signal: &str, code: i32, summary: &str) {
    let mut child = Command::new(BIN)
        .args(["recommend", "--batch", "-"])
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write");
    stdin.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(500));
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "still reading after SIG{signal}"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(stdin);
    let mut out = String::new();
    let mut err = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("stdout");
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    assert_eq!(status.code(), Some(code), "{err}");
    assert_eq!(out, "{\"line\":1,\"id\":null,\"outcome\":\"single\",\"recommended\":\"1.0\",\"confidence\":\"confirmed\",\"plan\":[],\"fits\":[\"1.0\"],\"failed\":{\"2.0\":[\"apps\"]}}\n");
    assert_eq!(err, summary);
}

const ONE_LINE_SUMMARY: &str =
    "cif-advisor: 1 line; recommended: 2.0 0, 1.0 1, plan 0, none fits 0, bad lines 0\n";

#[test]
fn sigint_while_a_batch_line_is_half_read_ends_it_at_once() {
    // SIGINT waited for the rest of the line.
    batch_waiting(
        b"{\"apps\":\"sales\"}\n{\"apps\":",
        "INT",
        130,
        ONE_LINE_SUMMARY,
    );
}

#[test]
fn sigterm_and_sighup_while_a_batch_line_is_half_read_end_it_at_once() {
    batch_waiting(
        b"{\"apps\":\"sales\"}\n{\"apps\":",
        "TERM",
        143,
        ONE_LINE_SUMMARY,
    );
    batch_waiting(
        b"{\"apps\":\"sales\"}\n{\"apps\":",
        "HUP",
        129,
        ONE_LINE_SUMMARY,
    );
}

#[test]
fn sighup_and_sigquit_while_a_batch_waits_for_a_line_end_it_at_once() {
    batch_waiting(b"{\"apps\":\"sales\"}\n", "HUP", 129, ONE_LINE_SUMMARY);
    batch_waiting(b"{\"apps\":\"sales\"}\n", "QUIT", 131, ONE_LINE_SUMMARY);
}

/// The advisor's terminal closes while SIGHUP is
/// ignored; it must end with an error instead of spinning.
#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "needs Linux: script")]
fn the_advisor_ends_with_an_error_when_its_terminal_goes_away() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rc = dir.path().join("rc");
    let err = dir.path().join("err");
    let inner = format!(
        "trap '' HUP; '{BIN}' 2>'{}'; echo $? > '{}'",
        err.display(),
        rc.display()
    );
    let mut script = Command::new("script")
        .args(["-qfc", &inner, "/dev/null"])
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("script(1) from util-linux is needed for this test");
    std::thread::sleep(Duration::from_millis(1500));
    // The terminal closes: script dies, the pty's other end hangs up.
    script.kill().expect("kill script");
    let _ = script.wait();
    let start = Instant::now();
    while !rc.exists() || std::fs::read_to_string(&rc).unwrap_or_default().is_empty() {
        assert!(
            start.elapsed() < TIMEOUT,
            "the advisor did not end after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&rc).expect("rc").trim(), "1");
    let err = std::fs::read_to_string(&err).expect("err");
    assert!(
        err.contains("error: the terminal closed; the advisor ended without an answer"),
        "{err:?}"
    );
    assert!(!err.contains("panicked"), "{err:?}");
}

#[test]
fn a_second_sigterm_ends_a_batch_stuck_on_a_pipe_nobody_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("orgs.jsonl");
    std::fs::write(&input, "{\"apps\":[\"sales\"]}\n".repeat(400_000)).expect("write");
    let mut child = Command::new(BIN)
        .args(["recommend", "--batch"])
        .arg(&input)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(500));
    let kill = |child: &std::process::Child| {
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
    };
    kill(&child);
    std::thread::sleep(Duration::from_millis(300));
    // Blocked in a write: the first signal waits for it.
    assert!(child.try_wait().expect("wait").is_none());
    kill(&child);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "still running after two SIGTERMs"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(15));
}
