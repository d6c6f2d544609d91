//! The interactive advisor driven through a real pseudo-terminal (expectrl):
//! arrow keys and space to pick an app, answers typed, the printed command
//! line re-run; Ctrl-C and Esc leave with 130; no terminal gives exit 2.

use assert_cmd::Command as Cmd;
use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};
use std::process::Command;
use std::time::Duration;

const DOWN: &str = "\x1b[B";

fn spawn(args: &[&str]) -> expectrl::session::OsSession {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("cif-advisor"));
    cmd.args(args)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    let mut session = Session::spawn(cmd).expect("spawn in a pseudo-terminal");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session
}

fn exit_code(session: &expectrl::session::OsSession) -> i32 {
    match session.get_process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("unexpected status {other:?}"),
    }
}

/// Reads everything until the process closes the terminal.
fn rest(session: &mut expectrl::session::OsSession) -> String {
    let captures = session.expect(Eof).expect("end of output");
    String::from_utf8_lossy(captures.as_bytes()).into_owned()
}

/// Answers every further question with its default (no preference) and
/// returns everything printed until the process ends.
fn answer_defaults(s: &mut expectrl::session::OsSession) -> String {
    let mut transcript = String::new();
    loop {
        let found = s
            .expect(expectrl::Any::boxed(vec![
                Box::new("No preference / skip"),
                Box::new("none = no preference"),
                Box::new("leave empty for no preference"),
                Box::new("Same answer from a script:"),
            ]))
            .expect("a question or the answer");
        let text = String::from_utf8_lossy(found.as_bytes()).into_owned();
        transcript.push_str(&text);
        if text.contains("Same answer from a script:") {
            break;
        }
        s.send("\r").unwrap();
    }
    transcript.push_str(&rest(s));
    transcript
}

#[test]
fn picks_an_app_by_arrow_keys_and_prints_the_equivalent_command() {
    let mut s = spawn(&["recommend", "-i"]);
    s.expect("Which model-driven apps").expect("apps question");
    // Second entry of the list is Sales Hub.
    s.send(DOWN).unwrap();
    s.send(" ").unwrap();
    s.send("\r").unwrap();
    s.expect("How many channel providers")
        .expect("providers question");
    s.send("1").unwrap();
    s.send("\r").unwrap();
    // Every further question: take the default (no preference).
    let transcript = answer_defaults(&mut s);
    assert_eq!(exit_code(&s), 0, "transcript:\n{transcript}");
    assert!(transcript.contains("Recommended: CIF 1.0"), "{transcript}");
    assert!(
        transcript.contains("Session mode: not asked, implied by the apps (single)"),
        "{transcript}"
    );
    let line = transcript
        .lines()
        .find(|l| l.trim_start().starts_with("cif-advisor recommend"))
        .expect("the printed command line")
        .trim()
        .to_string();
    assert_eq!(line, "cif-advisor recommend --app sales --providers 1");

    // The printed command gives the same answer from a script.
    let args: Vec<&str> = line.split_whitespace().skip(1).collect();
    let out = Cmd::cargo_bin("cif-advisor")
        .unwrap()
        .args(&args)
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1.0\n");
}

#[test]
fn a_multisession_app_leads_to_2_0() {
    let mut s = spawn(&["recommend", "-i"]);
    s.expect("Which model-driven apps").unwrap();
    for _ in 0..4 {
        s.send(DOWN).unwrap();
    }
    s.send(" ").unwrap(); // Customer Service workspace
    s.send("\r").unwrap();
    let transcript = answer_defaults(&mut s);
    assert_eq!(exit_code(&s), 0, "{transcript}");
    assert!(transcript.contains("Recommended: CIF 2.0"), "{transcript}");
    assert!(
        transcript.contains("cif-advisor recommend --app cs-workspace"),
        "{transcript}"
    );
}

#[test]
fn ctrl_c_leaves_with_130_and_no_trace() {
    let mut s = spawn(&["recommend", "-i"]);
    s.expect("Which model-driven apps").unwrap();
    s.send("\x03").unwrap();
    let out = rest(&mut s);
    assert_eq!(exit_code(&s), 130);
    assert!(!out.contains("panicked"), "{out}");
    assert!(!out.contains("error:"), "{out}");
}

#[test]
fn esc_leaves_with_130() {
    let mut s = spawn(&[]);
    s.expect("Which model-driven apps").unwrap();
    s.send("\x1b").unwrap();
    let out = rest(&mut s);
    assert_eq!(exit_code(&s), 130);
    assert!(!out.contains("panicked"), "{out}");
}

#[test]
fn dash_i_without_a_terminal_is_a_usage_error_naming_the_flags() {
    let out = Cmd::cargo_bin("cif-advisor")
        .unwrap()
        .args(["recommend", "-i"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: -i needs a terminal"), "{err}");
    assert!(err.contains("--app sales"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn nothing_stated_without_a_terminal_is_a_usage_error() {
    for args in [vec!["recommend"], vec!["recommend", "--no-input"]] {
        let out = Cmd::cargo_bin("cif-advisor")
            .unwrap()
            .args(&args)
            .write_stdin("")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: no requirement stated"), "{err}");
    }
}

#[test]
fn no_input_in_a_terminal_never_asks() {
    let mut s = spawn(&["recommend", "--no-input"]);
    let out = rest(&mut s);
    assert_eq!(exit_code(&s), 2);
    assert!(out.contains("error: no requirement stated"), "{out}");
    assert!(!out.contains("Which model-driven apps"), "{out}");
}

#[test]
fn bare_command_without_a_terminal_prints_help_and_exits_2() {
    let out = Cmd::cargo_bin("cif-advisor")
        .unwrap()
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Usage: cif-advisor"), "{err}");
    assert!(err.contains("recommend"), "{err}");
}
