//! `matrix export`, `matrix validate` (checks and lint), completions and the
//! man page. The shells and `man` are installed by `.ci/run`.

use std::io::Write;
use std::process::Stdio;

mod common;

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    common::run_binary(args, stdin, "100")
}

const DATA: &str = include_str!("../data/cif-matrix.yaml");

#[test]
fn export_is_the_data_file_byte_for_byte() {
    let (code, out, _) = run(&["matrix", "export"], None);
    assert_eq!(code, 0);
    assert_eq!(out, DATA);
}

#[test]
fn the_exported_matrix_validates_and_gives_the_same_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exported.yaml");
    let (_, exported, _) = run(&["matrix", "export"], None);
    std::fs::write(&path, &exported).unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&["matrix", "validate", p], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "{p}: valid (schema 2, 2 versions, 10 apps, 14 dimensions, 18 rows"
        )),
        "{out}"
    );
    for format in ["table", "markdown", "json", "yaml"] {
        let (_, builtin, _) = run(&["compare", "--format", format], None);
        let (code, from_file, err) = run(&["--matrix", p, "compare", "--format", format], None);
        assert_eq!(code, 0, "{err}");
        assert_eq!(from_file, builtin, "compare --format {format}");
    }
    // And the same recommendation.
    let (_, a, _) = run(&["recommend", "--app", "sales", "--format", "json"], None);
    let (_, b, _) = run(
        &[
            "--matrix",
            p,
            "recommend",
            "--app",
            "sales",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(a, b);
}

#[test]
fn validate_reads_standard_input() {
    let (code, out, _) = run(&["matrix", "validate", "-"], Some(DATA));
    assert_eq!(code, 0);
    assert!(out.starts_with("-: valid"), "{out}");
}

#[test]
fn the_built_in_matrix_lints_with_its_documented_gaps() {
    let (code, out, _) = run(&["matrix", "validate"], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("built-in matrix: valid"), "{out}");
    assert!(
        out.contains("lint: dimensions[deployment].values[on-premises]: no version supports it"),
        "{out}"
    );
    assert!(
        out.contains("lint: dimensions[cloud].values[gcc]: no version is confirmed to support it"),
        "{out}"
    );
    assert!(!out.contains("lint: versions["), "{out}");
}

fn validate_text(text: &str) -> (i32, String, String) {
    run(&["matrix", "validate", "-"], Some(text))
}

#[test]
fn an_unknown_key_is_reported() {
    let bad = DATA.replacen(
        "    session: single\n",
        "    session: single\n    sesion: single\n",
        1,
    );
    let (code, _, err) = validate_text(&bad);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: matrix file '-': apps[0]: unknown field `sesion`"),
        "{err}"
    );
}

#[test]
fn a_dangling_reference_is_reported() {
    let bad = DATA.replacen(
        "      \"2.0\":\n        status: \"no\"",
        "      \"2.5\":\n        status: \"no\"",
        1,
    );
    let (code, _, err) = validate_text(&bad);
    assert_eq!(code, 1);
    assert!(
        err.contains("apps[0].support.2.5: unknown version '2.5'; expected one of 1.0, 2.0"),
        "{err}"
    );
}

#[test]
fn a_stale_review_date_is_linted() {
    let bad = DATA.replacen("reviewed: \"2026-12-02\"", "reviewed: \"2023-01-15\"", 1);
    let (code, out, err) = validate_text(&bad);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("lint: reviewed: 2023-01-15 is more than a year ago"),
        "{out}"
    );
}

#[test]
fn completions_parse_in_their_shells() {
    for (shell, checker) in [
        ("bash", vec!["bash", "-n"]),
        ("zsh", vec!["zsh", "-n"]),
        ("fish", vec!["fish", "--no-execute"]),
    ] {
        let (code, script, err) = run(&["completions", shell], None);
        assert_eq!(code, 0, "{err}");
        assert!(script.contains("cif-advisor"), "{shell}");
        assert!(script.contains("recommend"), "{shell}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!("completion.{shell}"));
        std::fs::write(&file, &script).unwrap();
        let status = std::process::Command::new(checker[0])
            .args(&checker[1..])
            .arg(&file)
            .status()
            .unwrap_or_else(|e| {
                panic!(
                    "{} is needed for this test (.ci/run installs it): {e}",
                    checker[0]
                )
            });
        assert!(status.success(), "{shell} rejects the completion script");
    }
    for shell in ["powershell", "elvish"] {
        let (code, script, _) = run(&["completions", shell], None);
        assert_eq!(code, 0);
        assert!(script.contains("cif-advisor"));
    }
}

#[test]
fn the_man_page_renders() {
    let (code, page, _) = run(&["man"], None);
    assert_eq!(code, 0);
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "roff output");
    assert!(page.contains(".TH cif-advisor 1"), "{}", &page[..200]);
    let mut child = std::process::Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("man is needed for this test (.ci/run installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NAME"), "{text}");
    assert!(text.contains("cif-advisor"), "{text}");
    assert!(text.contains("recommend"), "{text}");
}
