//! Snapshot tests (insta) of every output format, through the binary with a
//! fixed width and no colour.

mod common;

#[path = "schema/mod.rs"]
mod schema;

/// The output of a command that succeeds.
fn run(args: &[&str]) -> String {
    run_exiting(args, 0)
}

/// The output of a command that exits with `expected`.
fn run_exiting(args: &[&str], expected: i32) -> String {
    let (code, text, stderr) = common::run_binary(args, None, "100");
    assert_eq!(code, expected, "{args:?}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(!text.contains('\x1b'), "no colour codes without a terminal");
    text
}

#[test]
fn compare_table() {
    insta::assert_snapshot!(run(&["compare"]));
}

#[test]
fn compare_markdown() {
    insta::assert_snapshot!(run(&["compare", "--format", "markdown"]));
}

#[test]
fn compare_json() {
    insta::assert_snapshot!(run(&["compare", "--format", "json"]));
}

#[test]
fn compare_yaml() {
    insta::assert_snapshot!(run(&["compare", "--format", "yaml"]));
}

#[test]
fn apps_table() {
    insta::assert_snapshot!(run(&["apps"]));
}

#[test]
fn recommend_text_workspace_with_two_providers() {
    insta::assert_snapshot!(run(&[
        "recommend",
        "--app",
        "cs-workspace",
        "--providers",
        "2",
        "--analytics"
    ]));
}

#[test]
fn recommend_text_split_apps() {
    insta::assert_snapshot!(run(&["recommend", "--app", "sales,cs-workspace"]));
}

#[test]
fn recommend_json_gcc_unknown() {
    let text = run(&[
        "recommend",
        "--cloud",
        "gcc",
        "--app",
        "field-service",
        "--format",
        "json",
    ]);
    schema::assert_answer(&serde_json::from_str(&text).unwrap());
    insta::assert_snapshot!(text);
}

#[test]
fn recommend_yaml_none_fits() {
    let text = run_exiting(
        &[
            "recommend",
            "--deployment",
            "on-premises",
            "--format",
            "yaml",
        ],
        3,
    );
    // The YAML is the same structure as the JSON, so the same schema holds.
    let value: serde_json::Value = cif_advisor::yaml::from_str_borrowed(&text).unwrap();
    schema::assert_answer(&value);
    insta::assert_snapshot!(text);
}

#[test]
fn recommend_text_verbose_plan() {
    insta::assert_snapshot!(run(&[
        "recommend",
        "--app",
        "sales,cs-workspace",
        "--providers",
        "2",
        "-v"
    ]));
}

#[test]
fn recommend_text_route_for_chat_in_the_workspace() {
    insta::assert_snapshot!(run_exiting(
        &["recommend", "--app", "cs-workspace", "--channel", "chat"],
        3
    ));
}

#[test]
fn recommend_text_open_answer() {
    insta::assert_snapshot!(run(&["recommend", "--presence"]));
}

#[test]
fn apps_table_at_80_columns() {
    let (_, text, stderr) = common::run_binary(&["apps"], None, "80");
    assert!(stderr.is_empty(), "{stderr}");
    insta::assert_snapshot!(text);
}

/// The output of `args` into a pipe with no `COLUMNS` (none of the caller's).
fn run_in_pipe(args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("cif-advisor")
        .unwrap()
        .args(args)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The widest line, in columns (characters: the tables have no wide ones).
fn widest(text: &str, skip_links: bool) -> usize {
    text.lines()
        .filter(|l| !(skip_links && l.trim_start().starts_with("https://")))
        .filter(|l| !(skip_links && l.trim_start().starts_with('[') && l.contains("https://")))
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn tables_in_a_pipe_are_drawn_for_100_columns() {
    for args in [
        &["apps"][..],
        &["compare"],
        &["api"],
        &["api", "--version", "2.0"],
    ] {
        let text = run_in_pipe(args);
        let table: String = text
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(!table.is_empty(), "{args:?}: {text}");
        assert_eq!(widest(&table, false), 100, "{args:?}:\n{table}");
        // Notes wrap to the same width; only a link, never broken, is longer.
        if args != ["api"] && args != ["api", "--version", "2.0"] {
            assert!(widest(&text, true) <= 100, "{args:?}:\n{text}");
        }
    }
    // The same as with COLUMNS=100.
    let (_, at_100, _) = common::run_binary(&["compare"], None, "100");
    assert_eq!(run_in_pipe(&["compare"]), at_100);
    // The text answer of `recommend` is not wrapped in a pipe: one reason a line.
    let text = run_in_pipe(&["recommend", "--app", "cs-workspace", "--providers", "2"]);
    assert!(widest(&text, false) > 100, "{text}");
}

#[test]
fn ids_and_aliases_are_never_broken_at_80_columns_or_wider() {
    let (_, json, _) = common::run_binary(&["apps", "--format", "json"], None, "80");
    let apps: serde_json::Value = serde_json::from_str(&json).unwrap();
    let apps = apps
        .as_array()
        .or_else(|| apps["apps"].as_array())
        .expect("apps");
    for columns in ["80", "90", "100", "120"] {
        let (_, text, _) = common::run_binary(&["apps"], None, columns);
        assert!(
            widest(&text, true) <= columns.parse().unwrap(),
            "{columns}:\n{text}"
        );
        for app in apps {
            let id = app["id"].as_str().unwrap();
            assert!(
                text.lines().any(|l| l.starts_with(&format!("│ {id} "))),
                "{id} whole at {columns}:\n{text}"
            );
            for alias in app["aliases"].as_array().unwrap() {
                let alias = alias.as_str().unwrap();
                for word in alias.split(' ') {
                    assert!(
                        text.lines().any(|l| l.split([' ', ',']).any(|w| w == word)),
                        "alias {alias}: {word} whole at {columns}:\n{text}"
                    );
                }
            }
        }
    }
}

#[test]
fn api_table() {
    insta::assert_snapshot!(run(&["api"]));
}

#[test]
fn api_json() {
    let text = run(&["api", "--format", "json"]);
    serde_json::from_str::<serde_json::Value>(&text).expect("JSON");
    insta::assert_snapshot!(text);
}

#[test]
fn api_markdown() {
    insta::assert_snapshot!(run(&["api", "--format", "markdown"]));
}

#[test]
fn api_diff_table() {
    insta::assert_snapshot!(run(&["api", "--diff"]));
}

#[test]
fn api_diff_json() {
    insta::assert_snapshot!(run(&["api", "--diff", "--format", "json"]));
}

#[test]
fn api_version_1_0_table() {
    insta::assert_snapshot!(run(&["api", "--version", "1.0"]));
}

#[test]
fn api_version_1_0_json() {
    insta::assert_snapshot!(run(&["api", "--version", "1.0", "--format", "json"]));
}

/// `recommend --batch` on the varied fixture: the bytes of standard output
/// (one JSON line per input line) and the one-line summary on standard error.
fn batch(detail: &str) -> String {
    let (code, text, stderr) = common::run_binary(
        &[
            "recommend",
            "--batch",
            "tests/fixtures/batch-varied.jsonl",
            "--detail",
            detail,
        ],
        None,
        "100",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "cif-advisor: 20 lines; recommended: 2.0 9, 1.0 6, plan 1, none fits 4, bad lines 0\n"
    );
    assert!(!text.contains('\x1b'));
    text
}

#[test]
fn batch_compact() {
    insta::assert_snapshot!(batch("compact"));
}

#[test]
fn batch_full() {
    insta::assert_snapshot!(batch("full"));
}
