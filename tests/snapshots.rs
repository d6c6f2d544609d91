//! Snapshot tests (insta) of every output format, through the binary with a
//! fixed width and no colour.

mod common;

#[path = "schema/mod.rs"]
mod schema;

fn run(args: &[&str]) -> String {
    let (_, text, stderr) = common::run_binary(args, None, "100");
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
    let text = run(&[
        "recommend",
        "--deployment",
        "on-premises",
        "--format",
        "yaml",
    ]);
    // The YAML is the same structure as the JSON, so the same schema holds.
    let value: serde_json::Value = serde_yaml::from_str(&text).unwrap();
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
    insta::assert_snapshot!(run(&[
        "recommend",
        "--app",
        "cs-workspace",
        "--channel",
        "chat"
    ]));
}

#[test]
fn recommend_text_open_answer() {
    insta::assert_snapshot!(run(&["recommend", "--presence"]));
}
