//! Runs every scenario in tests/scenarios/: requirements (flags and/or a
//! requirements file) and the expected answer, derived from the facts file by
//! a reader who did not see the code. One loop; adding a case is adding a file.

use assert_cmd::Command;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    description: String,
    #[allow(dead_code)]
    basis: String,
    args: Vec<String>,
    requirements: Option<serde_yaml::Value>,
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
}

fn run_scenario(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let sc: Scenario = serde_yaml::from_str(&text).map_err(|e| format!("bad scenario: {e}"))?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut args: Vec<String> = vec!["recommend".into()];
    if let Some(req) = &sc.requirements {
        let file = dir.path().join("requirements.yaml");
        std::fs::write(
            &file,
            serde_yaml::to_string(req).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        args.push("--requirements".into());
        args.push(file.display().to_string());
    }
    args.extend(sc.args.iter().cloned());
    args.push("--format".into());
    args.push("json".into());

    let out = Command::cargo_bin("cif-advisor")
        .map_err(|e| e.to_string())?
        .args(&args)
        .env_remove("CIF_ADVISOR_MATRIX")
        .output()
        .map_err(|e| e.to_string())?;
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ctx = || format!("{}\n  args: {args:?}\n  stderr: {stderr}", sc.description);
    if code != sc.expect.exit {
        return Err(format!(
            "exit {code}, expected {} — {}",
            sc.expect.exit,
            ctx()
        ));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        return Err(format!("panic — {}", ctx()));
    }
    if sc.expect.exit == 2 {
        if !stdout.is_empty() {
            return Err(format!("usage error printed to stdout — {}", ctx()));
        }
        let lower = stderr.to_lowercase();
        for m in &sc.expect.mentions {
            if !lower.contains(&m.to_lowercase()) {
                return Err(format!("stderr does not mention {m:?} — {}", ctx()));
            }
        }
        if !stderr.starts_with("error:") {
            return Err(format!("stderr does not start with 'error:' — {}", ctx()));
        }
        return Ok(());
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout).map_err(|e| format!("not JSON ({e}) — {}", ctx()))?;
    let recommended = json["recommended"].as_str().map(String::from);
    if recommended != sc.expect.recommended {
        return Err(format!(
            "recommended {recommended:?}, expected {:?} — {}",
            sc.expect.recommended,
            ctx()
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
    if fits != sc.expect.fits {
        return Err(format!(
            "fits {fits:?}, expected {:?} — {}",
            sc.expect.fits,
            ctx()
        ));
    }
    for (version, statuses) in &sc.expect.status {
        let eval = json["evaluations"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["version"] == version.as_str()))
            .ok_or_else(|| format!("no evaluation for {version} — {}", ctx()))?;
        for (req, want) in statuses {
            let got = eval["checks"]
                .as_array()
                .and_then(|a| a.iter().find(|c| c["requirement"] == req.as_str()))
                .and_then(|c| c["status"].as_str())
                .unwrap_or("(no check)");
            if got != want {
                return Err(format!(
                    "{version} {req}: {got}, expected {want} — {}",
                    ctx()
                ));
            }
        }
    }
    // The words must appear in the reasons or caveats (not merely the input echo).
    let mut prose = String::new();
    for e in json["evaluations"].as_array().into_iter().flatten() {
        for c in e["checks"].as_array().into_iter().flatten() {
            prose.push_str(c["reason"].as_str().unwrap_or(""));
            prose.push('\n');
        }
    }
    for c in json["caveats"].as_array().into_iter().flatten() {
        prose.push_str(c.as_str().unwrap_or(""));
        prose.push('\n');
    }
    let prose = prose.to_lowercase();
    for m in &sc.expect.mentions {
        if !prose.contains(&m.to_lowercase()) {
            return Err(format!("reasons/caveats do not mention {m:?} — {}", ctx()));
        }
    }
    // The text format agrees on the exit code.
    let text_args: Vec<&String> = args.iter().take(args.len() - 2).collect();
    let text_code = Command::cargo_bin("cif-advisor")
        .map_err(|e| e.to_string())?
        .args(text_args)
        .env_remove("CIF_ADVISOR_MATRIX")
        .output()
        .map_err(|e| e.to_string())?
        .status
        .code();
    if text_code != Some(sc.expect.exit) {
        return Err(format!("text format exit {text_code:?} — {}", ctx()));
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
