//! The interactive advisor driven through a real pseudo-terminal (expectrl):
//! arrow keys and space to pick an app, answers typed, the printed command
//! line re-run and compared byte for byte; flags taken as answered; standard
//! output redirected to a file (through `sh -c`) holds only the answer;
//! `--save` read back; Ctrl-C and Esc leave with 130; no terminal gives exit 2.

use assert_cmd::Command as Cmd;
use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const DOWN: &str = "\x1b[B";

fn spawn(args: &[&str]) -> expectrl::session::OsSession {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("cif-advisor"));
    cmd.args(args)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
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

/// Runs `cif-advisor ARGS > OUT` through `sh -c` in a pseudo-terminal:
/// the prompts and notes reach the terminal, standard output the file.
fn spawn_redirected(args: &[&str], dir: &Path, out: &str) -> expectrl::session::OsSession {
    let bin = assert_cmd::cargo::cargo_bin("cif-advisor");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"out="$1"; shift; exec "$@" > "$out""#)
        .arg("sh")
        .arg(out)
        .arg(bin)
        .args(args)
        .current_dir(dir)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    let mut session = Session::spawn(cmd).expect("spawn in a pseudo-terminal");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session
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
                Box::new("Nothing was stated"),
            ]))
            .expect("a question or the answer");
        let text = String::from_utf8_lossy(found.as_bytes()).into_owned();
        transcript.push_str(&text);
        if text.contains("Same answer from a script:") || text.contains("Nothing was stated") {
            break;
        }
        s.send("\r").unwrap();
    }
    transcript.push_str(&rest(s));
    transcript
}

/// The command line the advisor printed for scripts.
fn printed_line(transcript: &str) -> String {
    let at = transcript
        .find("Same answer from a script:")
        .unwrap_or_else(|| panic!("no command line printed:\n{transcript}"));
    transcript[at..]
        .lines()
        .nth(1)
        .expect("the line under the heading")
        .trim()
        .to_string()
}

/// Runs a printed line (plain words, as the advisor prints them for the
/// built-in matrix) in `dir`, as a script would; returns the exit code and
/// standard output.
fn run_line(line: &str, dir: &Path) -> (i32, Vec<u8>) {
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[0], "cif-advisor", "{line}");
    assert!(
        words.iter().all(|w| !w.contains(['\'', '"', '#'])),
        "{line}"
    );
    let out = Cmd::cargo_bin("cif-advisor")
        .unwrap()
        .args(&words[1..])
        .current_dir(dir)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .write_stdin("")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), out.stdout)
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
    let line = printed_line(&transcript);
    assert_eq!(
        line,
        "cif-advisor recommend --app sales --providers 1 --skip channels,analytics,templates,presence,panel_side,panel_modes,cloud,client,deployment,host,dialers"
    );

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
        transcript.contains("cif-advisor recommend --app cs-workspace --skip "),
        "{transcript}"
    );
}

/// The questions that change the caveats but no version are asked
/// too (providers, analytics, presence in the workspace), and an app given
/// with -i is not asked again.
#[test]
fn the_workspace_is_asked_about_providers_analytics_and_presence() {
    let mut s = spawn(&["recommend", "-i", "--app", "cs-workspace"]);
    let before = s
        .expect("How many channel providers")
        .expect("providers question");
    let before = String::from_utf8_lossy(before.before()).into_owned();
    assert!(!before.contains("Which model-driven apps"), "{before}");
    s.send("2\r").unwrap();
    let transcript = answer_defaults(&mut s);
    assert_eq!(exit_code(&s), 0, "{transcript}");
    for question in [
        "Do you need channel analytics",
        "Must agent presence be kept in sync",
    ] {
        assert!(transcript.contains(question), "{question}: {transcript}");
    }
    assert!(
        !transcript.contains("Which model-driven apps"),
        "{transcript}"
    );
    assert!(
        transcript.contains("App: given on the command line"),
        "{transcript}"
    );
    // The several-providers caveat is in the answer: a setup note, which the
    // short text counts (and -v or the decision record shows).
    assert!(
        transcript.contains("setup notes (what to configure or build)"),
        "{transcript}"
    );
    assert!(transcript.contains("Skipped on purpose"), "{transcript}");
    assert!(
        !transcript.contains("Not stated, and could"),
        "{transcript}"
    );
    assert_eq!(
        printed_line(&transcript),
        "cif-advisor recommend --app cs-workspace --providers 2 --skip channels,analytics,presence,panel_side,panel_modes,cloud,client,deployment,host"
    );
}

#[test]
fn an_app_given_with_dash_i_is_taken_as_answered() {
    let mut s = spawn(&["recommend", "-i", "--app", "sales"]);
    let found = s.expect("?").expect("the first question");
    let mut seen = String::from_utf8_lossy(found.before()).into_owned();
    let question = s.expect("\n").expect("its line");
    seen.push_str(&String::from_utf8_lossy(question.before()));
    assert!(seen.contains("How many channel providers"), "{seen}");
    assert!(!seen.contains("Which model-driven apps"), "{seen}");
    s.send("\x03").unwrap();
    let _ = rest(&mut s);
    assert_eq!(exit_code(&s), 130);
}

/// `-i --format json > f`: f holds valid JSON and only that; the printed
/// line gives the same bytes and exit code; skipped questions are `skipped`,
/// not `unanswered`.
#[test]
fn json_to_a_redirected_stdout_is_clean_and_the_printed_line_reproduces_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn_redirected(
        &["recommend", "-i", "--app", "sales", "--format", "json"],
        dir.path(),
        "out.json",
    );
    s.expect("How many channel providers").unwrap();
    s.send("1\r").unwrap();
    let transcript = answer_defaults(&mut s);
    let code = exit_code(&s);
    assert_eq!(code, 0, "{transcript}");
    let written = std::fs::read(dir.path().join("out.json")).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&written)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(&written)));
    assert_eq!(json["recommended"], "1.0");
    assert_eq!(
        json["requirements"],
        serde_json::json!({"apps": ["sales"], "providers": 1})
    );
    let skipped = json["skipped"].as_array().expect("skipped");
    assert!(skipped.contains(&"analytics".into()), "{json}");
    for key in json["unanswered"].as_array().expect("unanswered") {
        assert!(!skipped.contains(key), "{key} both skipped and unanswered");
    }
    let line = printed_line(&transcript);
    assert!(line.ends_with(" --format json"), "{line}");
    let (again, stdout) = run_line(&line, dir.path());
    assert_eq!(again, code);
    assert_eq!(
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&written)
    );
}

/// A mixed choice of apps goes on asking, and the printed line
/// gives the same text and exit code (0: a plan, the two versions side by side).
#[test]
fn a_mixed_choice_goes_on_asking_and_the_text_answer_is_reproduced() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn_redirected(&["recommend", "-i"], dir.path(), "answer.txt");
    s.expect("Which model-driven apps").unwrap();
    s.send(DOWN).unwrap();
    s.send(" ").unwrap(); // Sales Hub
    for _ in 0..3 {
        s.send(DOWN).unwrap();
    }
    s.send(" ").unwrap(); // Customer Service workspace
    s.send("\r").unwrap();
    // The apps need different versions: the advisor offers teams; no.
    s.expect("have different needs?")
        .expect("the teams question");
    s.send("\r").unwrap();
    s.expect("How many channel providers")
        .expect("asked after the mixed choice");
    s.send("2\r").unwrap();
    let transcript = answer_defaults(&mut s);
    let code = exit_code(&s);
    assert_eq!(code, 0, "{transcript}");
    assert!(
        transcript.contains("Do you need channel analytics"),
        "{transcript}"
    );
    assert!(
        transcript.contains("Session mode: not asked, implied by the apps (multi and single)"),
        "{transcript}"
    );
    let written = std::fs::read(dir.path().join("answer.txt")).unwrap();
    let text = String::from_utf8_lossy(&written);
    assert!(!text.contains("Questions not asked"), "{text}");
    assert!(!text.contains("Same answer from a script"), "{text}");
    let line = printed_line(&transcript);
    assert!(
        line.starts_with(
            "cif-advisor recommend --app sales --app cs-workspace --providers 2 --skip "
        ),
        "{line}"
    );
    let (again, stdout) = run_line(&line, dir.path());
    assert_eq!(again, code);
    assert_eq!(String::from_utf8_lossy(&stdout), text);
}

/// Review defect 1 (bad-inputs D18): each session mode once, sorted.
#[test]
fn the_implied_session_note_names_each_mode_once() {
    let mut s = spawn(&["recommend", "-i"]);
    s.expect("Which model-driven apps").unwrap();
    s.send(" ").unwrap(); // Customer Service Hub (single)
    for _ in 0..4 {
        s.send(DOWN).unwrap();
    }
    s.send(" ").unwrap(); // Customer Service workspace (multi)
    for _ in 0..2 {
        s.send(DOWN).unwrap();
    }
    s.send(" ").unwrap(); // Custom single-session app (single)
    s.send("\r").unwrap();
    let transcript = answer_defaults(&mut s);
    assert!(
        transcript.contains("Session mode: not asked, implied by the apps (multi and single)\r\n"),
        "{transcript}"
    );
    assert!(!transcript.contains("single and multi"), "{transcript}");
}

/// Bad-inputs D14: with nothing stated there is no command line to print
/// (`cif-advisor recommend` alone exits 2), and the advisor says so.
#[test]
fn nothing_stated_prints_no_command_line_that_would_fail() {
    let mut s = spawn(&["recommend", "-i"]);
    s.expect("Which model-driven apps").unwrap();
    s.send("\r").unwrap();
    let transcript = answer_defaults(&mut s);
    assert_eq!(exit_code(&s), 0, "{transcript}");
    assert!(
        transcript.contains("Nothing was stated, so no command line gives this answer"),
        "{transcript}"
    );
    assert!(
        !transcript.contains("Same answer from a script"),
        "{transcript}"
    );
    let (code, _) = run_line("cif-advisor recommend", Path::new("."));
    assert_eq!(code, 2);
}

/// `--save FILE` writes the answers as a requirements file that
/// `--requirements FILE` reads back to the same answer.
#[test]
fn saved_answers_read_back_to_the_same_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn_redirected(
        &[
            "recommend",
            "-i",
            "--app",
            "cs-workspace",
            "--save",
            "answers.yaml",
            "--format",
            "json",
        ],
        dir.path(),
        "out.json",
    );
    s.expect("How many channel providers").unwrap();
    s.send("2\r").unwrap();
    let transcript = answer_defaults(&mut s);
    let code = exit_code(&s);
    assert_eq!(code, 0, "{transcript}");
    assert!(
        transcript.contains("The answers are saved in answers.yaml"),
        "{transcript}"
    );
    let saved = std::fs::read_to_string(dir.path().join("answers.yaml")).unwrap();
    assert!(
        saved.contains("\napps:\n- cs-workspace\nproviders: 2\nskipped:\n- channels\n"),
        "{saved}"
    );
    let written = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    let out = Cmd::cargo_bin("cif-advisor")
        .unwrap()
        .args([
            "recommend",
            "--requirements",
            "answers.yaml",
            "--format",
            "json",
        ])
        .current_dir(dir.path())
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(code));
    assert_eq!(String::from_utf8_lossy(&out.stdout), written);
}

#[test]
fn skip_flag_and_skipped_key_list_dimensions_as_skipped() {
    let run = |args: &[&str], stdin: &str| {
        let out = Cmd::cargo_bin("cif-advisor")
            .unwrap()
            .args(args)
            .env_remove("CIF_ADVISOR_MATRIX")
            .env("CIF_ADVISOR_AS_OF", "2026-12-07")
            .write_stdin(stdin.to_string())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(
        &[
            "recommend",
            "--app",
            "sales",
            "--skip",
            "providers",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["skipped"], serde_json::json!(["providers"]));
    assert!(!json["unanswered"]
        .as_array()
        .unwrap()
        .contains(&"providers".into()));
    // Without --skip, the same dimension is unanswered.
    let (_, out, _) = run(&["recommend", "--app", "sales", "--format", "json"], "");
    let plain: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(plain["unanswered"]
        .as_array()
        .unwrap()
        .contains(&"providers".into()));
    assert_eq!(plain["skipped"], serde_json::json!([]));
    // A requirements file says the same with `skipped`; a flag overrides it.
    let (code, out, err) = run(
        &["recommend", "--requirements", "-", "--format", "json"],
        "apps: sales\nskipped: [providers, analytics]\n",
    );
    assert_eq!(code, 0, "{err}");
    let file: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        file["skipped"],
        serde_json::json!(["providers", "analytics"])
    );
    let (_, out, _) = run(
        &[
            "recommend",
            "--requirements",
            "-",
            "--providers",
            "1",
            "--format",
            "json",
        ],
        "apps: sales\nskipped: [providers]\n",
    );
    let over: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(over["skipped"], serde_json::json!([]));
    assert_eq!(over["requirements"]["providers"], 1);
    // Bad keys are named with the valid ones.
    let (code, _, err) = run(&["recommend", "--app", "sales", "--skip", "provider"], "");
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: invalid value 'provider' for '--skip': did you mean 'providers'? valid requirement keys: apps, session, providers"),
        "{err}"
    );
    let (code, _, err) = run(
        &["recommend", "--requirements", "-"],
        "apps: sales\nskipped: [nope]\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("unknown requirement key 'nope' in 'skipped'"),
        "{err}"
    );
    // Skipped only is still nothing stated.
    let (code, _, err) = run(&["recommend", "--skip", "providers"], "");
    assert_eq!(code, 2);
    assert!(err.starts_with("error: no requirement stated"), "{err}");
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

#[test]
fn save_writes_the_stated_requirements_and_names_a_bad_path() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Cmd::cargo_bin("cif-advisor")
            .unwrap()
            .args(args)
            .current_dir(dir.path())
            .env_remove("CIF_ADVISOR_MATRIX")
            .env("CIF_ADVISOR_AS_OF", "2026-12-07")
            .write_stdin("")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, _) = run(&[
        "recommend",
        "--app",
        "sales",
        "--skip",
        "analytics",
        "--save",
        "r.yaml",
        "-q",
    ]);
    assert_eq!((code, out.as_str()), (0, "1.0\n"));
    let saved = std::fs::read_to_string(dir.path().join("r.yaml")).unwrap();
    assert!(
        saved.ends_with("\napps:\n- sales\nskipped:\n- analytics\n"),
        "{saved}"
    );
    let (code, out, err) = run(&[
        "recommend",
        "--app",
        "sales",
        "--save",
        "no/such/dir/r.yaml",
    ]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        err,
        "error: cannot write the requirements file 'no/such/dir/r.yaml': no such file; check the path and its permissions\n"
    );
    let (code, _, err) = run(&["recommend", "--app", "sales", "--save", "-"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: --save - is not possible"), "{err}");
}

/// When the chosen apps need different versions the advisor
/// offers teams; it asks the organisation's questions once and the rest per
/// team, writes the teams as a requirements file (here with --save) and
/// prints the line that reads it back, which gives the same answer.
#[test]
fn different_needs_per_team_are_asked_per_team_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn_redirected(
        &["recommend", "-i", "--save", "teams.yaml"],
        dir.path(),
        "answer.txt",
    );
    s.expect("Which model-driven apps").unwrap();
    s.send(DOWN).unwrap();
    s.send(" ").unwrap(); // Sales Hub
    for _ in 0..3 {
        s.send(DOWN).unwrap();
    }
    s.send(" ").unwrap(); // Copilot Service workspace
    s.send("\r").unwrap();
    s.expect("have different needs?")
        .expect("the teams question");
    s.send(DOWN).unwrap();
    s.send("\r").unwrap(); // yes
                           // The organisation's questions once, before the teams'.
    s.expect("Which cloud").expect("the cloud, asked once");
    s.send("\r").unwrap();
    s.expect("online or on-premises")
        .expect("the deployment, asked once");
    s.send("\r").unwrap();
    s.expect("Copilot Service workspace users:")
        .expect("the first team");
    s.expect("How many channel providers").unwrap();
    s.send("2\r").unwrap();
    let transcript = answer_defaults(&mut s);
    assert!(transcript.contains("Sales Hub users:"), "{transcript}");
    let code = exit_code(&s);
    assert_eq!(code, 0, "{transcript}");
    let saved = std::fs::read_to_string(dir.path().join("teams.yaml")).unwrap();
    assert!(saved.contains("teams:"), "{saved}");
    assert!(
        saved.contains("- name: Copilot Service workspace users"),
        "{saved}"
    );
    assert!(saved.contains("providers: 2"), "{saved}");
    let line = printed_line(&transcript);
    assert_eq!(line, "cif-advisor recommend --requirements teams.yaml");
    let (again, stdout) = run_line(&line, dir.path());
    assert_eq!(again, code);
    let written = std::fs::read(dir.path().join("answer.txt")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&written)
    );
}

/// The `--save` file name on the advisor's
/// last screen is written escaped, not as the escape sequences it holds.
#[test]
fn the_saved_file_name_is_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "ans\u{1b}]0;pwned\u{7}\u{1b}[2J.yaml";
    let mut s = spawn_redirected(
        &[
            "recommend",
            "-i",
            "--app",
            "sales",
            "--providers",
            "1",
            "--save",
            name,
        ],
        dir.path(),
        "out.txt",
    );
    let transcript = answer_defaults(&mut s);
    assert_eq!(exit_code(&s), 0, "{transcript}");
    assert!(
        transcript.contains(
            "The answers are saved in ans\\u{1b}]0;pwned\\u{7}\\u{1b}[2J.yaml (read them with --requirements)."
        ),
        "{transcript}"
    );
    assert!(!transcript.contains("\u{1b}]0;pwned"), "{transcript}");
    assert!(!transcript.contains("\u{1b}[2J"), "{transcript}");
    assert!(dir.path().join(name).is_file());
}
