//! Snapshot tests (insta) of `troubleshoot`, through the binary with a fixed
//! width and no colour: text and JSON for an id, an error message, a
//! symptom, a query nothing matches, and `--list`. In a file of their own
//! because the scores are tuned apart from the rest: re-accept these with
//! `cargo insta test --test snapshots_troubleshoot` after a retuning.

mod common;

/// The exit code, then standard output; standard error must be empty.
fn run(args: &[&str]) -> String {
    let mut line = vec!["troubleshoot"];
    line.extend_from_slice(args);
    let (code, text, stderr) = common::run_binary(&line, None, "100");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(!text.contains('\x1b'), "no colour codes without a terminal");
    format!("exit {code}\n{text}")
}

#[test]
fn troubleshoot_text_id_c5() {
    insta::assert_snapshot!(run(&["C5"]));
}

#[test]
fn troubleshoot_json_id_c5() {
    insta::assert_snapshot!(run(&["C5", "--format", "json"]));
}

#[test]
fn troubleshoot_text_message_microsoft_is_not_defined() {
    insta::assert_snapshot!(run(&["Microsoft is not defined"]));
}

#[test]
fn troubleshoot_json_message_microsoft_is_not_defined() {
    insta::assert_snapshot!(run(&["Microsoft is not defined", "--format", "json"]));
}

#[test]
fn troubleshoot_text_symptom_setwidth_does_nothing() {
    insta::assert_snapshot!(run(&["setWidth", "does", "nothing"]));
}

#[test]
fn troubleshoot_json_symptom_setwidth_does_nothing() {
    insta::assert_snapshot!(run(&["setWidth", "does", "nothing", "--format", "json"]));
}

#[test]
fn troubleshoot_text_no_match() {
    insta::assert_snapshot!(run(&["zzqx flurble"]));
}

#[test]
fn troubleshoot_json_no_match() {
    insta::assert_snapshot!(run(&["zzqx flurble", "--format", "json"]));
}

#[test]
fn troubleshoot_text_list() {
    insta::assert_snapshot!(run(&["--list"]));
}

#[test]
fn troubleshoot_json_list() {
    insta::assert_snapshot!(run(&["--list", "--format", "json"]));
}
