//! The layering rule, read from the sources: only `app.rs`, `cli/` and
//! `commands/` know the command line (clap, `crate::cli`,
//! `crate::commands`), and only the handlers in `commands/` write to
//! standard output. The library below them takes plain values and returns
//! results, so it can be called and tested without a parser or a terminal.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each source file under src/, as (path relative to src/, code lines
/// without comments).
fn library() -> Vec<(String, Vec<(usize, String)>)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(&src)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).expect("read source");
            let code = text
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, code_of(l).to_string()))
                .filter(|(_, l)| !l.trim().is_empty())
                .collect();
            (name, code)
        })
        .collect()
}

/// A line without its `//` comment; a `//` inside a string literal (a
/// link's `https://`) is code.
fn code_of(line: &str) -> &str {
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '/' if !in_string && line[i + 1..].starts_with('/') => return &line[..i],
            _ => {}
        }
    }
    line
}

fn at_the_edge(name: &str) -> bool {
    name == "main.rs"
        || name == "app.rs"
        || name.starts_with("cli/")
        || name.starts_with("commands/")
}

#[test]
fn only_the_edge_knows_the_command_line() {
    let words = [
        "clap::",
        "use clap",
        "clap_complete",
        "clap_mangen",
        "cli::",
        "commands::",
    ];
    let mut found = Vec::new();
    for (name, code) in library() {
        if at_the_edge(&name) {
            continue;
        }
        for (n, line) in &code {
            for w in words {
                let hit = line.match_indices(w).any(|(i, _)| {
                    // A whole path segment: not `xcli::` or `my_commands::`.
                    line[..i]
                        .chars()
                        .last()
                        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                });
                if hit {
                    found.push(format!("src/{name}:{n}: {}", line.trim()));
                    break;
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the library imports the command line:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_handlers_write_to_standard_output() {
    // Any use of stdout() but asking whether it is a terminal.
    let writes = ["print!(", "println!(", "stdout()", "write_stdout("];
    let mut found = Vec::new();
    for (name, code) in library() {
        // commands/ writes; app.rs prints clap's help and version; output.rs
        // defines the writer the handlers call.
        if name.starts_with("commands/") || name == "app.rs" {
            continue;
        }
        for (n, line) in &code {
            if name == "output.rs" && line.contains("fn write_stdout") {
                continue;
            }
            for w in writes {
                let asks =
                    line.matches(w).count() == line.matches("stdout().is_terminal()").count();
                if line.contains(w)
                    && !(w == "stdout()" && asks)
                    && !(name == "output.rs" && line.contains("stdout().lock()"))
                {
                    found.push(format!("src/{name}:{n}: {}", line.trim()));
                    break;
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the library writes to standard output:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_rule_is_not_vacuous() {
    // The reading finds what it looks for: the edge does both.
    let files = library();
    let edge = |pred: &dyn Fn(&str) -> bool| {
        files
            .iter()
            .filter(|(n, _)| at_the_edge(n))
            .any(|(_, code)| code.iter().any(|(_, l)| pred(l)))
    };
    assert!(edge(&|l| l.contains("clap")));
    assert!(edge(&|l| l.contains("crate::cli")));
    assert!(edge(
        &|l| l.contains("write_stdout(") || l.contains("write(")
    ));
    assert!(files.len() > 40, "{} source files", files.len());
    // A link in a string is code, a comment after code is not.
    assert_eq!(
        code_of(r#"let u = "https://x"; f(); // note"#),
        r#"let u = "https://x"; f(); "#
    );
    assert_eq!(
        code_of(r#"let q = "\"//"; g();"#),
        r#"let q = "\"//"; g();"#
    );
}
