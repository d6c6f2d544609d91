//! Runs every scenario in tests/scenarios/: requirements (flags and/or a
//! requirements file) and the expected answer, derived from the facts file by
//! a reader who did not see the code. One loop; adding a case is adding a file.

use assert_cmd::Command;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[path = "schema/mod.rs"]
mod schema;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    description: String,
    #[allow(dead_code)]
    basis: String,
    args: Vec<String>,
    requirements: Option<serde_json::Value>,
    /// The evaluation date (`--as-of`); without it the suite's pinned date.
    as_of: Option<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    recommended: Option<String>,
    fits: Vec<String>,
    #[serde(default)]
    status: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    mentions: Vec<String>,
    /// single, plan or none.
    outcome: Option<String>,
    /// open, conditional, confirmed; "null" for none.
    confidence: Option<String>,
    conditional_on: Option<Vec<String>>,
    /// App id → version of each plan group.
    plan: Option<BTreeMap<String, String>>,
    /// The `for` of routes that must be given (routes shown first).
    #[serde(default)]
    routes: Vec<String>,
    /// Caveat id → kind that must be present.
    #[serde(default)]
    caveats: BTreeMap<String, String>,
    /// What `-q` prints (without the newline; "" for nothing).
    quiet: Option<String>,
    /// The exit code with `--strict`.
    strict_exit: Option<i32>,
    /// A change (its words) that `would_change` must list.
    #[serde(default)]
    would_change: Vec<String>,
    /// The top-level `valid_until` (a date, or null).
    valid_until: Option<serde_json::Value>,
    /// App id → the exact `unmet` of its plan item.
    unmet: Option<BTreeMap<String, Vec<String>>>,
    /// App id → version, each in some item of `fork` (a subset check).
    fork: Option<BTreeMap<String, String>>,
    /// Caveat kind → words, each in the text of some caveat of that kind.
    #[serde(default)]
    caveat_kinds: BTreeMap<String, Vec<String>>,
    /// No `would_change` entry adds an app or a value.
    #[serde(default)]
    no_change_adds_app: bool,
    /// Team name → what its part of the answer must be.
    #[serde(default)]
    teams: BTreeMap<String, TeamExpect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamExpect {
    outcome: Option<String>,
    recommended: Option<serde_json::Value>,
    confidence: Option<String>,
    plan: Option<BTreeMap<String, String>>,
    valid_until: Option<serde_json::Value>,
}

/// `null` or a string, as YAML states it, against a JSON value.
fn same(want: &serde_json::Value, got: &serde_json::Value) -> bool {
    (want.is_null() || want.is_string()) && want == got
}

/// App id → version of each plan item.
fn plan_map(items: &serde_json::Value) -> BTreeMap<String, String> {
    let mut got = BTreeMap::new();
    for item in items.as_array().into_iter().flatten() {
        for app in item["apps"].as_array().into_iter().flatten() {
            got.insert(
                app.as_str().unwrap_or("").to_string(),
                item["version"].as_str().unwrap_or("").to_string(),
            );
        }
    }
    got
}

/// The keys of dates, unmet, the fork, caveat kinds, changes, teams.
fn check_spec_4_9(e: &Expect, json: &serde_json::Value) -> Result<(), String> {
    if let Some(want) = &e.valid_until {
        if !same(want, &json["valid_until"]) {
            return Err(format!(
                "valid_until {}, expected {want:?}",
                json["valid_until"]
            ));
        }
    }
    for (app, want) in e.unmet.iter().flatten() {
        let item = json["plan"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| {
                p["apps"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|a| a == app.as_str())
            })
            .ok_or_else(|| format!("no plan item holds {app}"))?;
        if item["unmet"] != serde_json::json!(want) {
            return Err(format!("{app} unmet {}, expected {want:?}", item["unmet"]));
        }
    }
    if let Some(want) = &e.fork {
        let got = plan_map(&json["fork"]);
        for (app, version) in want {
            if got.get(app) != Some(version) {
                return Err(format!("fork {got:?} lacks {app} → {version}"));
            }
        }
    }
    for (kind, words) in &e.caveat_kinds {
        let texts: Vec<String> = json["caveats"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["kind"] == kind.as_str())
            .map(|c| c["text"].as_str().unwrap_or("").to_lowercase())
            .collect();
        for w in words {
            if !texts.iter().any(|t| t.contains(&w.to_lowercase())) {
                return Err(format!("no {kind} caveat mentions {w:?} ({texts:?})"));
            }
        }
    }
    if e.no_change_adds_app {
        for g in json["would_change"].as_array().into_iter().flatten() {
            for c in g["changes"].as_array().into_iter().flatten() {
                let words = c["change"].as_str().unwrap_or("");
                if words.contains(": add ") {
                    return Err(format!("would_change adds: {words}"));
                }
            }
        }
    }
    for (name, want) in &e.teams {
        let team = json["teams"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["name"] == name.as_str())
            .ok_or_else(|| format!("no team {name:?}"))?;
        check_team(name, want, team)?;
    }
    Ok(())
}

fn check_team(name: &str, want: &TeamExpect, team: &serde_json::Value) -> Result<(), String> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("null").to_string();
    if let Some(o) = &want.outcome {
        if text(&team["outcome"]) != *o {
            return Err(format!(
                "team {name}: outcome {}, expected {o}",
                team["outcome"]
            ));
        }
    }
    if let Some(r) = &want.recommended {
        if !same(r, &team["recommended"]) {
            return Err(format!(
                "team {name}: recommended {}, expected {r:?}",
                team["recommended"]
            ));
        }
    }
    if let Some(c) = &want.confidence {
        if text(&team["confidence"]) != *c {
            return Err(format!(
                "team {name}: confidence {}, expected {c}",
                team["confidence"]
            ));
        }
    }
    if let Some(p) = &want.plan {
        if plan_map(&team["plan"]) != *p {
            return Err(format!(
                "team {name}: plan {:?}, expected {p:?}",
                plan_map(&team["plan"])
            ));
        }
    }
    if let Some(v) = &want.valid_until {
        if !same(v, &team["valid_until"]) {
            return Err(format!(
                "team {name}: valid_until {}, expected {v:?}",
                team["valid_until"]
            ));
        }
    }
    Ok(())
}

/// The `recommend … --format json` command line of a scenario (its
/// requirements written to a file in `dir`).
fn args_of(sc: &Scenario, dir: &Path) -> Result<Vec<String>, String> {
    let mut args: Vec<String> = vec!["recommend".into()];
    if let Some(day) = &sc.as_of {
        args.push("--as-of".into());
        args.push(day.clone());
    }
    if let Some(req) = &sc.requirements {
        let file = dir.join("requirements.yaml");
        std::fs::write(
            &file,
            cif_advisor::yaml::to_string(req).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        args.push("--requirements".into());
        args.push(file.display().to_string());
    }
    args.extend(sc.args.iter().cloned());
    args.push("--format".into());
    args.push("json".into());
    Ok(args)
}

/// Runs the binary with `args`, its date pinned.
fn run(args: &[String]) -> Result<std::process::Output, String> {
    Command::cargo_bin("cif-advisor")
        .map_err(|e| e.to_string())?
        .args(args)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .output()
        .map_err(|e| e.to_string())
}

fn run_scenario(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let sc: Scenario =
        cif_advisor::yaml::from_str_borrowed(&text).map_err(|e| format!("bad scenario: {e}"))?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let args = args_of(&sc, dir.path())?;
    let out = run(&args)?;
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ctx = |m: String| {
        format!(
            "{m} — {}\n  args: {args:?}\n  stderr: {stderr}",
            sc.description
        )
    };
    if code != sc.expect.exit {
        return Err(ctx(format!("exit {code}, expected {}", sc.expect.exit)));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        return Err(ctx("panic".into()));
    }
    // A usage error (2) or a bad requirements file (1): one line on stderr.
    if sc.expect.exit == 2 || sc.expect.exit == 1 {
        return check_error(&sc.expect, &stdout, &stderr).map_err(ctx);
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout).map_err(|e| ctx(format!("not JSON ({e})")))?;
    schema::assert_answer(&json);
    check_spec_4_9(&sc.expect, &json)
        .and_then(|()| check_headline(&sc.expect, &json))
        .and_then(|()| check_lists(&sc.expect, &json))
        .and_then(|()| check_fits(&sc.expect, &json))
        .and_then(|()| check_mentions(&sc.expect, &json))
        .and_then(|()| check_other_forms(&sc.expect, &json, &args))
        .map_err(ctx)
}

/// An error answer: nothing on stdout, one `error:` line (clap's usage
/// errors add a "try '--help'" line) that mentions what it must.
fn check_error(e: &Expect, stdout: &str, stderr: &str) -> Result<(), String> {
    if !stdout.is_empty() {
        return Err("an error printed to stdout".into());
    }
    let one_line = e.exit == 2 || stderr.trim_end().lines().count() == 1;
    if !one_line || stderr.trim_end().contains('\t') {
        return Err("stderr is not one line without a tab".into());
    }
    let lower = stderr.to_lowercase();
    for m in &e.mentions {
        if !lower.contains(&m.to_lowercase()) {
            return Err(format!("stderr does not mention {m:?}"));
        }
    }
    if !stderr.starts_with("error:") {
        return Err("stderr does not start with 'error:'".into());
    }
    Ok(())
}

/// The outcome, the confidence, what it is conditional on, the plan.
fn check_headline(e: &Expect, json: &serde_json::Value) -> Result<(), String> {
    if let Some(want) = &e.outcome {
        if json["outcome"] != want.as_str() {
            return Err(format!("outcome {}, expected {want}", json["outcome"]));
        }
    }
    if let Some(want) = &e.confidence {
        let got = json["confidence"].as_str().unwrap_or("null");
        if got != want {
            return Err(format!("confidence {got}, expected {want}"));
        }
    }
    if let Some(want) = &e.conditional_on {
        if json["conditional_on"] != serde_json::json!(want) {
            return Err(format!(
                "conditional_on {}, expected {want:?}",
                json["conditional_on"]
            ));
        }
    }
    if let Some(want) = &e.plan {
        let mut got = BTreeMap::new();
        for item in json["plan"].as_array().into_iter().flatten() {
            for app in item["apps"].as_array().into_iter().flatten() {
                got.insert(
                    app.as_str().unwrap_or("").to_string(),
                    item["version"].as_str().unwrap_or("").to_string(),
                );
            }
        }
        if &got != want {
            return Err(format!("plan {got:?}, expected {want:?}"));
        }
    }
    Ok(())
}

/// The routes, the caveats (with their kinds) and the changes.
fn check_lists(e: &Expect, json: &serde_json::Value) -> Result<(), String> {
    let routes: Vec<&str> = json["routes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["for"].as_str())
        .collect();
    for r in &e.routes {
        if !routes.contains(&r.as_str()) {
            return Err(format!("no route for {r} (routes: {routes:?})"));
        }
    }
    for (id, kind) in &e.caveats {
        let found = json["caveats"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["id"] == id.as_str());
        match found {
            Some(c) if c["kind"] == kind.as_str() => {}
            Some(c) => return Err(format!("caveat {id} is {}, expected {kind}", c["kind"])),
            None => return Err(format!("no caveat {id}")),
        }
    }
    let changes: Vec<&str> = json["would_change"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["changes"].as_array().into_iter().flatten())
        .filter_map(|c| c["change"].as_str())
        .collect();
    for w in &e.would_change {
        if !changes.contains(&w.as_str()) {
            return Err(format!("would_change lacks {w:?} (has {changes:?})"));
        }
    }
    Ok(())
}

/// The recommended version, the versions that fit, and each check's status.
fn check_fits(e: &Expect, json: &serde_json::Value) -> Result<(), String> {
    let recommended = json["recommended"].as_str().map(String::from);
    if recommended != e.recommended {
        return Err(format!(
            "recommended {recommended:?}, expected {:?}",
            e.recommended
        ));
    }
    let fits: Vec<String> = json["fits"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if fits != e.fits {
        return Err(format!("fits {fits:?}, expected {:?}", e.fits));
    }
    for (version, statuses) in &e.status {
        let eval = json["evaluations"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["version"] == version.as_str()))
            .ok_or_else(|| format!("no evaluation for {version}"))?;
        for (req, want) in statuses {
            let got = eval["checks"]
                .as_array()
                .and_then(|a| a.iter().find(|c| c["requirement"] == req.as_str()))
                .and_then(|c| c["status"].as_str())
                .unwrap_or("(no check)");
            if got != want {
                return Err(format!("{version} {req}: {got}, expected {want}"));
            }
        }
    }
    Ok(())
}

/// The words must appear in the reasons or caveats (not merely the input echo).
fn check_mentions(e: &Expect, json: &serde_json::Value) -> Result<(), String> {
    let mut prose = String::new();
    for e in json["evaluations"].as_array().into_iter().flatten() {
        for c in e["checks"].as_array().into_iter().flatten() {
            prose.push_str(c["reason"].as_str().unwrap_or(""));
            prose.push('\n');
        }
    }
    for c in json["caveats"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(json["routes"].as_array().into_iter().flatten())
    {
        prose.push_str(c["text"].as_str().unwrap_or(""));
        prose.push('\n');
    }
    prose.push_str(json["contradiction"].as_str().unwrap_or(""));
    let prose = prose.to_lowercase();
    for m in &e.mentions {
        if !prose.contains(&m.to_lowercase()) {
            return Err(format!("reasons/caveats do not mention {m:?}"));
        }
    }
    Ok(())
}

/// The text format agrees on the exit code (and shows a `none` answer's
/// routes first); `-q` prints the expected line; `--strict` exits as
/// expected.
fn check_other_forms(e: &Expect, json: &serde_json::Value, args: &[String]) -> Result<(), String> {
    let text_args: Vec<String> = args[..args.len() - 2].to_vec();
    let with = |extra: &str| {
        let mut a = text_args.clone();
        a.push(extra.to_string());
        run(&a)
    };
    let text_out = run(&text_args)?;
    // A `none` text shows the routes first, before the reasons (a
    // successor's route in a `single` or `plan` answer comes under its caveat).
    if !e.routes.is_empty() && json["outcome"] == "none" {
        let text = String::from_utf8_lossy(&text_out.stdout);
        let routes_at = text.find("\nInstead\n");
        let reasons_at = text.find("\nWhy");
        if routes_at.is_none() || reasons_at.is_some_and(|r| routes_at > Some(r)) {
            return Err(format!("text does not show the routes first\n{text}"));
        }
    }
    if text_out.status.code() != Some(e.exit) {
        return Err(format!("text format exit {:?}", text_out.status.code()));
    }
    if let Some(want) = &e.quiet {
        let out = with("-q")?;
        let got = String::from_utf8_lossy(&out.stdout);
        let expected = if want.is_empty() {
            String::new()
        } else {
            format!("{want}\n")
        };
        if got != expected || out.status.code() != Some(e.exit) {
            return Err(format!(
                "-q printed {got:?} (exit {:?}), expected {expected:?}",
                out.status.code()
            ));
        }
    }
    if let Some(want) = e.strict_exit {
        let out = with("--strict")?;
        if out.status.code() != Some(want) {
            return Err(format!(
                "--strict exit {:?}, expected {want}",
                out.status.code()
            ));
        }
    }
    Ok(())
}

#[test]
fn every_scenario_gets_its_expected_answer() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 30,
        "expected at least 30 scenarios, found {}",
        files.len()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| {
            run_scenario(f).err().map(|e| {
                format!(
                    "{}: {e}",
                    f.file_name().unwrap_or_default().to_string_lossy()
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// A suggestion is made only for a spelling slip: a different product or
/// cloud is never "corrected" into its neighbour.
#[test]
fn suggestions_never_turn_one_product_or_cloud_into_another() {
    let cases: &[(&[&str], Option<&str>)] = &[
        (&["--cloud", "gcc-h"], None),
        (&["--cloud", "gcch"], None),
        (&["--cloud", "gcc-moderate"], None),
        (&["--app", "project"], None),
        (&["--app", "project-opps"], Some("project-operations")),
        (&["--app", "salse"], Some("sales")),
        (&["--cloud", "gcc-hihg"], Some("gcc-high")),
        (&["--cloud", "dood"], Some("dod")),
        (&["--host", "uds"], Some("usd")),
        (&["--dialer", "teams-dailer"], Some("teams-dialer")),
    ];
    for (args, want) in cases {
        let out = Command::cargo_bin("cif-advisor")
            .unwrap()
            .arg("recommend")
            .args(*args)
            .env_remove("CIF_ADVISOR_MATRIX")
            .env("CIF_ADVISOR_AS_OF", "2026-12-07")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        match want {
            Some(s) => assert!(
                stderr.contains(&format!("did you mean '{s}'?")),
                "{args:?}: {stderr}"
            ),
            None => assert!(!stderr.contains("did you mean"), "{args:?}: {stderr}"),
        }
    }
    // Spelled as people write them, they are accepted as themselves.
    for (args, value) in [
        (&["--cloud", "GCC High"][..], "gcc-high"),
        (&["--app", "Project Operations"][..], "project-operations"),
        (
            &["--app", "Dynamics 365 Contact Center"][..],
            "contact-center",
        ),
    ] {
        let out = Command::cargo_bin("cif-advisor")
            .unwrap()
            .arg("recommend")
            .args(args)
            .args(["--format", "json"])
            .env_remove("CIF_ADVISOR_MATRIX")
            .env("CIF_ADVISOR_AS_OF", "2026-12-07")
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        schema::assert_answer(&json);
        assert!(
            json["requirements"].to_string().contains(value),
            "{args:?}: {json}"
        );
    }
}
