//! The documentation against the binary (issue 28):
//! - every example of README.md and docs/guide.md (a ```text block whose
//!   first line is `$ …`) is run, and each line it shows must appear in the
//!   real output, in order (`…` alone skips lines; a line ending in `…` is a
//!   prefix; `$ echo $?` shows the previous command's exit code), with the
//!   dates pinned (CIF_ADVISOR_AS_OF, SOURCE_DATE_EPOCH);
//! - every relative link and `#anchor` of every Markdown file (README.md,
//!   CONTRIBUTING.md, docs/*.md) resolves, anchors as GitHub slugs headings;
//! - every long option of `--help` and of the man pages is in
//!   docs/reference.md, and every option the reference names exists;
//! - the reference's JSON table names the keys of docs/recommend-schema.json,
//!   and the exit-code tables hold every code `--help` names;
//! - the README stays small, with its install facts and its one-line test
//!   command.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const BIN: &str = env!("CARGO_BIN_EXE_cif-advisor");
/// The evaluation date of every example (as `.cargo/config.toml`).
const AS_OF: &str = "2026-12-07";
/// 2026-12-02, the date line of a record unless an example sets its own.
const EPOCH: &str = "1796169600";

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// README.md, CONTRIBUTING.md and every docs/*.md, relative to the root.
fn markdown_files() -> Vec<String> {
    let mut files = vec!["README.md".to_string(), "CONTRIBUTING.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The fenced blocks of a Markdown text: (info string, content).
fn fenced_blocks(md: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                current = Some((info.to_string(), String::new()));
            }
            Event::Text(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// One example: a command line and the lines shown under it.
struct Example {
    command: String,
    shown: Vec<String>,
}

fn examples(md: &str) -> Vec<Vec<Example>> {
    let mut all = Vec::new();
    for (info, text) in fenced_blocks(md) {
        if info != "text" || !text.starts_with("$ ") {
            continue;
        }
        let mut block: Vec<Example> = Vec::new();
        for line in text.lines() {
            if let Some(command) = line.strip_prefix("$ ") {
                block.push(Example {
                    command: command.to_string(),
                    shown: Vec::new(),
                });
            } else {
                block.last_mut().expect("a command").shown.push(line.into());
            }
        }
        // The interactive advisor needs a terminal: its transcript is
        // tested by tests/interactive.rs.
        if block.first().is_some_and(|e| e.command == "cif-advisor") {
            continue;
        }
        all.push(block);
    }
    all
}

/// Runs a command line from the repository's root, the binary first on PATH.
fn run_shell(command: &str) -> (i32, String, String) {
    let dir = Path::new(BIN).parent().expect("the binary's folder");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![dir.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let out = Command::new("sh")
        .args(["-c", command])
        .current_dir(ROOT)
        .env("PATH", std::env::join_paths(paths).expect("PATH"))
        .env("CIF_ADVISOR_AS_OF", AS_OF)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env_remove("COLUMNS")
        .output()
        .expect("sh");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        String::from_utf8(out.stderr).expect("UTF-8 errors"),
    )
}

/// Each shown line in the output, in order: equal (trailing spaces aside),
/// a prefix when it ends in `…`, and `…` alone skips.
fn check_lines(file: &str, example: &Example, out: &str) {
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    let mut at = 0;
    for shown in &example.shown {
        let shown = shown.trim_end();
        if shown == "…" {
            continue;
        }
        let found = match shown.strip_suffix('…') {
            Some(prefix) => {
                let prefix = prefix.trim_end();
                lines[at..].iter().position(|l| l.starts_with(prefix))
            }
            None => lines[at..].iter().position(|l| *l == shown),
        };
        match found {
            Some(i) => at += i + 1,
            None => panic!(
                "{file}: `{}` shows a line its output lacks (or out of order):\n  {shown}\nthe output:\n{out}",
                example.command
            ),
        }
    }
}

fn run_examples(file: &str) -> usize {
    let md = read(file);
    let mut count = 0;
    for block in examples(&md) {
        let mut last_code: Option<i32> = None;
        for example in &block {
            if example.command == "echo $?" {
                let code = last_code.expect("`echo $?` after a command");
                let shown: Vec<&str> = example.shown.iter().map(|s| s.trim()).collect();
                assert_eq!(
                    shown,
                    vec![code.to_string().as_str()],
                    "{file}: the exit code shown after the command"
                );
                continue;
            }
            assert!(
                example.command.starts_with("cif-advisor ")
                    || example.command.contains(" cif-advisor "),
                "{file}: an example runs cif-advisor: {}",
                example.command
            );
            let (code, out, err) = run_shell(&example.command);
            assert!(
                code != 2 && !err.contains("error:"),
                "{file}: `{}` is not a valid command line: {err}",
                example.command
            );
            check_lines(file, example, &out);
            last_code = Some(code);
            count += 1;
        }
    }
    count
}

#[test]
fn the_readme_examples_are_real_output() {
    let n = run_examples("README.md");
    assert!(n >= 5, "the README shows five examples, found {n}");
    let readme = read("README.md");
    for command in [
        "$ cif-advisor recommend --app ",
        "$ cif-advisor recommend --requirements docs/examples/teams.yaml",
        "--format markdown",
        "$ cif-advisor check ",
        "$ cif-advisor troubleshoot ",
    ] {
        assert!(
            readme.contains(command),
            "README lacks the example {command:?}"
        );
    }
}

#[test]
fn the_guide_examples_are_real_output() {
    let n = run_examples("docs/guide.md");
    assert!(n >= 10, "the guide's examples: {n}");
}

#[test]
fn the_readme_is_short_and_says_how_to_install_and_test() {
    let readme = read("README.md");
    assert!(
        readme.len() <= 16 * 1024,
        "README.md is {} bytes; at most 16 KiB",
        readme.len()
    );
    let cargo = read("Cargo.toml");
    let rust = cargo
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("rust-version in Cargo.toml");
    assert!(
        readme.contains(&format!("Rust **{rust}** or later")),
        "the README names Rust {rust}"
    );
    let blocks = fenced_blocks(&readme);
    let sh: Vec<&str> = blocks
        .iter()
        .filter(|(info, _)| info == "sh")
        .map(|(_, text)| text.as_str())
        .collect();
    assert!(
        sh.iter()
            .any(|t| t.lines().any(|l| l.starts_with("git clone "))
                && t.contains("\ncargo install --path .\n")),
        "the README's install block: git clone, then cargo install --path ."
    );
    // CI reads the README's test command: one fenced line.
    assert!(
        sh.contains(&"cargo test --locked\n"),
        "the README's test command is one fenced line, `cargo test --locked`"
    );
}

/// GitHub's anchor for a heading: lower case; letters, digits, `-` and `_`
/// kept, spaces to `-`, the rest dropped; a repeated one gets `-1`, `-2`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown text's headings.
fn anchors(md: &str) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = BTreeSet::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let base = slug(&heading.take().expect("heading"));
                let n = seen.entry(base.clone()).or_insert(0);
                let anchor = if *n == 0 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                };
                *n += 1;
                out.insert(anchor);
            }
            _ => {}
        }
    }
    out
}

fn links(md: &str) -> Vec<String> {
    Parser::new_ext(md, options())
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in markdown_files() {
        let md = read(&file);
        let dir = Path::new(&file).parent().unwrap_or(Path::new(""));
        for link in links(&md) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = match link.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (link.as_str(), None),
            };
            let target: PathBuf = if path.is_empty() {
                PathBuf::from(&file)
            } else {
                dir.join(path)
            };
            let full = Path::new(ROOT).join(&target);
            if !full.exists() {
                broken.push(format!("{file}: {link} (no {})", target.display()));
                continue;
            }
            if let Some(anchor) = anchor {
                let text = std::fs::read_to_string(&full).unwrap_or_default();
                if !target.to_string_lossy().ends_with(".md") || !anchors(&text).contains(anchor) {
                    broken.push(format!("{file}: {link} (no heading #{anchor})"));
                }
            }
        }
    }
    assert!(checked > 20, "links checked: {checked}");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn slugs_are_githubs() {
    assert_eq!(
        slug("Dates: retirements and `--as-of`".replace('`', "").as_str()),
        "dates-retirements-and---as-of"
    );
    assert_eq!(
        slug("After \"which version\": API and migration"),
        "after-which-version-api-and-migration"
    );
    let a = anchors("# A\n\n## Limits\n\n## Limits\n");
    assert!(a.contains("limits") && a.contains("limits-1"), "{a:?}");
}

/// Every command, as its words (the tool itself is the empty list).
const COMMANDS: &[&[&str]] = &[
    &[],
    &["recommend"],
    &["compare"],
    &["apps"],
    &["api"],
    &["migrate"],
    &["troubleshoot"],
    &["check"],
    &["matrix"],
    &["matrix", "export"],
    &["matrix", "validate"],
    &["matrix", "sources"],
    &["completions"],
    &["man"],
];

fn output(args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .output()
        .expect("the binary");
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The long options a `--help` defines: the lines that open with an option
/// (two spaces then `-x, --long`, or six spaces then `--long`).
fn help_options(help: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in help.lines() {
        let rest = line.trim_start();
        let indent = line.len() - rest.len();
        if (indent == 2 && rest.starts_with('-')) || (indent == 6 && rest.starts_with("--")) {
            if let Some(at) = rest.find("--") {
                let name: String = rest[at..]
                    .chars()
                    .take_while(|c| *c == '-' || c.is_ascii_alphanumeric())
                    .collect();
                out.insert(name);
            }
        }
    }
    out
}

/// The long options a man page (roff) names: `\fB\-\-long\fR`.
fn man_options(roff: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for piece in roff.split("\\fB").skip(1) {
        let bold = piece.split("\\fR").next().unwrap_or("").replace("\\-", "-");
        if bold.starts_with("--") {
            let name: String = bold
                .chars()
                .take_while(|c| *c == '-' || c.is_ascii_alphanumeric())
                .collect();
            out.insert(name);
        }
    }
    out
}

/// The options docs/reference.md names in its code spans.
fn reference_options() -> BTreeSet<String> {
    let md = read("docs/reference.md");
    let mut out = BTreeSet::new();
    for event in Parser::new_ext(&md, options()) {
        if let Event::Code(code) = event {
            for (at, _) in code.match_indices("--") {
                let before = code[..at].chars().last();
                if before.is_some_and(|c| c != ' ' && c != '[') {
                    continue;
                }
                let name: String = code[at..]
                    .chars()
                    .take_while(|c| *c == '-' || c.is_ascii_alphanumeric())
                    .collect();
                if name.len() > 2 && name.as_bytes()[2].is_ascii_alphabetic() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn the_reference_lists_every_option_and_only_real_ones() {
    let mut real = BTreeSet::new();
    for words in COMMANDS {
        let mut help = words.to_vec();
        help.push("--help");
        let from_help = help_options(&output(&help));
        assert!(from_help.contains("--help"), "{words:?}: {from_help:?}");
        let mut man = vec!["man"];
        man.extend_from_slice(words);
        let from_man = man_options(&output(&man));
        assert!(
            from_man.is_subset(&from_help),
            "{words:?}: the man page names options --help lacks: {:?}",
            from_man.difference(&from_help).collect::<Vec<_>>()
        );
        real.extend(from_help);
        real.extend(from_man);
    }
    let listed = reference_options();
    let missing: Vec<&String> = real.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "docs/reference.md lacks the options {missing:?}"
    );
    let unknown: Vec<&String> = listed.difference(&real).collect();
    assert!(
        unknown.is_empty(),
        "docs/reference.md names options no command has: {unknown:?}"
    );
}

/// The text of a Markdown file from a heading line to the next heading of
/// the same or a higher level.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no heading {heading:?}"))
        + 1;
    let level = heading.chars().take_while(|c| *c == '#').count();
    let body = &md[start + heading.len()..];
    let end = body
        .match_indices("\n#")
        .find(|(at, _)| {
            let hashes = body[at + 1..].chars().take_while(|c| *c == '#').count();
            hashes <= level && body[at + 1 + hashes..].starts_with(' ')
        })
        .map_or(body.len(), |(at, _)| at);
    &body[..end]
}

#[test]
fn the_reference_names_every_key_of_the_json_answer() {
    let reference = read("docs/reference.md");
    let table = section(&reference, "### `recommend --format json`");
    let mut named = BTreeSet::new();
    for row in table.lines().filter(|l| l.starts_with("| `")) {
        let first = row.split(" | ").next().unwrap_or("");
        for part in first.split('`').skip(1).step_by(2) {
            named.insert(part.to_string());
        }
    }
    let schema: serde_json::Value =
        serde_json::from_str(&read("docs/recommend-schema.json")).expect("the schema");
    let keys: BTreeSet<String> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .filter(|k| *k != "line" && *k != "id")
        .cloned()
        .collect();
    assert_eq!(
        named, keys,
        "docs/reference.md's JSON table and docs/recommend-schema.json name different keys"
    );
}

#[test]
fn the_exit_code_tables_hold_every_code_of_the_help() {
    let help = output(&["--help"]);
    let line = help
        .lines()
        .skip_while(|l| !l.starts_with("Exit codes:"))
        .take_while(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let codes: Vec<&str> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .collect();
    assert!(codes.len() >= 7, "{line}");
    for file in ["README.md", "docs/reference.md"] {
        let md = read(file);
        let table = section(&md, "## Exit codes");
        for code in &codes {
            assert!(
                table.contains(&format!("\n| {code} | ")),
                "{file}'s exit codes lack {code} (the help says: {line})"
            );
        }
    }
}
