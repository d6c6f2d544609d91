//! Batch mode: every line's result equals the single-shot answer; bad lines
//! are reported in place; the line count matches; empty input is silent.

use serde_json::Value;

mod common;

#[path = "schema/mod.rs"]
mod schema;

fn batch(input: &str, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let args: Vec<&str> = ["recommend", "--batch", "-"]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
    let (code, stdout, stderr) = common::run_binary(&args, Some(input), "100");
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    // Every line matches the schema (docs/recommend-schema.json); a large
    // input is checked on a sample.
    for value in lines.iter().take(200) {
        schema::assert_batch_line(value);
    }
    (code, lines, stderr)
}

/// The single-shot answer for one requirements object (as a file).
fn single(requirements: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("req.json");
    let mut req = requirements.clone();
    req.as_object_mut().unwrap().remove("id");
    std::fs::write(&path, req.to_string()).unwrap();
    let (_, stdout, _) = common::run_binary(
        &[
            "recommend",
            "--format",
            "json",
            "--requirements",
            path.to_str().unwrap(),
        ],
        None,
        "100",
    );
    let value: Value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    schema::assert_answer(&value);
    value
}

const FIXTURE: &str = include_str!("fixtures/batch-varied.jsonl");

#[test]
fn every_line_equals_the_single_shot_answer() {
    let (code, results, stderr) = batch(FIXTURE, &[]);
    assert_eq!(code, 0, "{stderr}");
    let inputs: Vec<Value> = FIXTURE
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), inputs.len());
    for (i, (input, result)) in inputs.iter().zip(&results).enumerate() {
        assert_eq!(result["line"], i + 1);
        assert_eq!(
            result["id"],
            input.get("id").cloned().unwrap_or(Value::Null)
        );
        let one = single(input);
        assert_eq!(result["recommended"], one["recommended"], "line {}", i + 1);
        assert_eq!(result["fits"], one["fits"], "line {}", i + 1);
        // failed: version → the requirement keys of its failed checks.
        let mut failed = serde_json::Map::new();
        for e in one["evaluations"].as_array().unwrap() {
            let keys: Vec<Value> = e["checks"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["status"] == "fail")
                .map(|c| c["requirement"].clone())
                .collect();
            if !keys.is_empty() {
                failed.insert(
                    e["version"].as_str().unwrap().to_string(),
                    Value::Array(keys),
                );
            }
        }
        assert_eq!(result["failed"], Value::Object(failed), "line {}", i + 1);
    }
    assert!(
        stderr.starts_with("cif-advisor: 20 lines; recommended: 2.0 "),
        "{stderr}"
    );
}

#[test]
fn full_detail_is_the_whole_recommend_object() {
    let (code, results, _) = batch(FIXTURE, &["--detail", "full"]);
    assert_eq!(code, 0);
    let inputs: Vec<Value> = FIXTURE
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (i, (input, result)) in inputs.iter().zip(&results).enumerate() {
        let mut expected = single(input);
        let obj = expected.as_object_mut().unwrap();
        let mut with_line = serde_json::Map::new();
        with_line.insert("line".into(), Value::from(i + 1));
        with_line.insert("id".into(), input.get("id").cloned().unwrap_or(Value::Null));
        with_line.extend(obj.clone());
        assert_eq!(result, &Value::Object(with_line), "line {}", i + 1);
    }
}

#[test]
fn bad_lines_are_reported_in_place_and_the_batch_goes_on() {
    let input = "{\"apps\": [\"sales\"]}\nnot json\n{\"apps\": [\"salez\"]}\n{\"providers\": \"two\"}\n{\"colour\": \"red\"}\n[1,2]\n{\"apps\": \"cs-workspace\"}\n";
    let (code, results, stderr) = batch(input, &[]);
    assert_eq!(code, 1);
    assert_eq!(results.len(), 7);
    assert_eq!(results[0]["recommended"], "1.0");
    assert_eq!(results[1]["line"], 2);
    assert!(results[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("not valid JSON"));
    assert_eq!(results[2]["line"], 3);
    assert!(results[2]["error"]
        .as_str()
        .unwrap()
        .contains("did you mean 'sales'?"));
    assert!(results[3]["error"].as_str().unwrap().contains("providers"));
    assert!(results[4]["error"]
        .as_str()
        .unwrap()
        .contains("unknown requirement key 'colour'"));
    assert_eq!(results[5]["line"], 6);
    assert!(results[5].get("error").is_some());
    assert_eq!(results[6]["line"], 7);
    assert_eq!(results[6]["recommended"], "2.0");
    assert!(stderr.contains("7 lines"), "{stderr}");
    assert!(stderr.contains("bad lines 5"), "{stderr}");
}

#[test]
fn empty_input_gives_no_output_and_exit_0() {
    let (code, results, _) = batch("", &[]);
    assert_eq!(code, 0);
    assert!(results.is_empty());
    let (code, results, _) = batch("\n\n  \n", &[]);
    assert_eq!(code, 0);
    assert!(results.is_empty());
}

#[test]
fn line_numbers_count_physical_lines_and_the_last_line_needs_no_newline() {
    let (code, results, _) = batch("\n{\"apps\":\"sales\"}\n\n{\"apps\":\"csw\"}", &[]);
    assert_eq!(code, 0);
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["line"], 2);
    assert_eq!(results[1]["line"], 4);
    assert_eq!(results[1]["recommended"], "2.0");
}

#[test]
fn output_count_matches_a_large_input() {
    let line =
        "{\"id\": \"org-17\", \"apps\": [\"sales\"], \"providers\": 2, \"analytics\": true}\n";
    let input = line.repeat(50_000);
    let (code, results, _) = batch(&input, &[]);
    assert_eq!(code, 0);
    assert_eq!(results.len(), 50_000);
    assert_eq!(results[49_999]["line"], 50_000);
    assert_eq!(
        results[0],
        serde_json::json!({"line": 1, "id": "org-17", "outcome": "none", "recommended": null, "confidence": null,
            "plan": [{"apps": ["sales"], "version": "1.0", "confidence": null, "conditional_on": [], "unmet": ["providers", "analytics"]}],
            "fits": [], "failed": {"2.0": ["apps"], "1.0": ["providers", "analytics"]}})
    );
}

#[test]
fn compact_lines_carry_the_outcome_the_confidence_and_the_plan() {
    let input = concat!(
        "{\"id\": \"mixed\", \"apps\": [\"sales\", \"cs-workspace\"]}\n",
        "{\"id\": \"presence\", \"presence\": true}\n",
        "{\"id\": 7, \"apps\": \"field-service\", \"client\": \"mobile\"}\n",
        "{\"id\": \"gov\", \"apps\": \"cs-workspace\", \"cloud\": \"gcc-high\"}\n",
    );
    let (code, results, stderr) = batch(input, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        results[0],
        serde_json::json!({"line": 1, "id": "mixed", "outcome": "plan", "recommended": null, "confidence": "confirmed",
            "plan": [
                {"apps": ["cs-workspace"], "version": "2.0", "confidence": "confirmed", "conditional_on": [], "unmet": []},
                {"apps": ["sales"], "version": "1.0", "confidence": "confirmed", "conditional_on": [], "unmet": []}
            ],
            "fits": [], "failed": {"2.0": ["apps"], "1.0": ["apps"]}})
    );
    assert_eq!(results[1]["outcome"], "single");
    assert_eq!(results[1]["recommended"], "2.0");
    assert_eq!(results[1]["confidence"], "open");
    assert_eq!(results[1]["plan"], serde_json::json!([]));
    assert_eq!(results[2]["id"], 7);
    assert_eq!(results[2]["recommended"], "1.0");
    assert_eq!(results[2]["confidence"], "conditional");
    assert_eq!(results[3]["recommended"], "2.0");
    assert_eq!(results[3]["confidence"], "conditional");
    assert!(stderr.contains("plan 1"), "{stderr}");
}

#[test]
fn a_bad_line_keeps_its_id_and_a_line_with_no_requirement_is_bad() {
    let input = concat!(
        "{\"id\": \"org-1\", \"apps\": [\"salez\"]}\n",
        "{\"id\": \"org-2\"}\n",
        "{}\n",
        "{\"id\": 3, \"apps\": null}\n",
        "{\"id\": \"org-4\", \"apps\": \"sales\"}\n",
    );
    let (code, results, stderr) = batch(input, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(results[0]["id"], "org-1");
    assert!(results[0]["error"]
        .as_str()
        .unwrap()
        .contains("did you mean 'sales'?"));
    assert_eq!(results[1]["id"], "org-2");
    assert!(results[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("no requirement stated"));
    assert!(results[2].get("id").is_none());
    assert!(results[2]["error"]
        .as_str()
        .unwrap()
        .starts_with("no requirement stated"));
    assert_eq!(results[3]["id"], 3);
    assert!(results[3]["error"]
        .as_str()
        .unwrap()
        .starts_with("no requirement stated"));
    assert_eq!(results[4]["recommended"], "1.0");
    assert!(stderr.contains("bad lines 4"), "{stderr}");
}

#[test]
fn a_line_over_the_cap_is_reported_and_skipped() {
    let long = format!(
        "{{\"id\": \"{}\"}}\n{{\"apps\": \"sales\"}}\n",
        "x".repeat(2 * 1024 * 1024)
    );
    let (code, results, _) = batch(&long, &[]);
    assert_eq!(code, 1);
    assert_eq!(results.len(), 2);
    assert!(results[0]["error"]
        .as_str()
        .unwrap()
        .contains("longer than"));
    assert_eq!(results[1]["line"], 2);
    assert_eq!(results[1]["recommended"], "1.0");
}

/// A line may describe teams: the compact line adds each team's
/// outcome; the full line is the answer the requirements file gives; a bad
/// team is a bad line that names it.
#[test]
fn a_line_with_teams_answers_each_team() {
    let input = concat!(
        r#"{"id":"acme","cloud":"commercial","teams":[{"name":"Sellers","apps":["sales"],"dialers":["teams-dialer"]},{"name":"Service desk","apps":["cs-workspace"],"providers":2}]}"#,
        "\n",
        r#"{"id":"both-1.0","teams":[{"name":"A","apps":["sales"]},{"name":"B","apps":["field-service"]}]}"#,
        "\n",
        r#"{"id":"bad","teams":[{"name":"A","cloud":"gcc","apps":["sales"]}]}"#,
        "\n",
    );
    let (code, lines, _) = batch(input, &[]);
    assert_eq!(code, 1, "a bad line makes the batch exit 1");
    assert_eq!(lines[0]["outcome"], "none");
    assert_eq!(lines[0]["teams"][0]["name"], "Sellers");
    assert_eq!(lines[0]["teams"][0]["outcome"], "none");
    assert_eq!(
        lines[0]["teams"][0]["failed"]["1.0"],
        serde_json::json!(["dialers"])
    );
    assert_eq!(lines[0]["teams"][1]["recommended"], "2.0");
    assert_eq!(lines[0]["plan"][0]["team"], "Service desk");
    assert_eq!(lines[1]["outcome"], "single");
    assert_eq!(lines[1]["recommended"], "1.0");
    assert_eq!(lines[2]["id"], "bad");
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("teams[1] \"A\": cloud is a property of the organisation"),
        "{}",
        lines[2]
    );
    let (_, full, _) = batch(input, &["--detail", "full"]);
    assert_eq!(full[0]["schema_version"], 2);
    assert_eq!(full[0]["teams"].as_array().unwrap().len(), 2);
}

/// A compact line states what the full answer states (outcome, version,
/// confidence, each plan item's confidence), also when a retirement makes
/// the answer at most conditional: every app alone and beside Sales, on
/// each host, at dates before and after the retirements.
#[test]
fn a_compact_line_states_the_full_answers_confidence_at_every_date() {
    let apps = [
        "customer-service",
        "sales",
        "project-service",
        "field-service",
        "cs-workspace",
        "omnichannel",
        "custom-single-session",
        "custom-multisession",
        "contact-center",
        "project-operations",
    ];
    let mut input = String::new();
    for app in apps {
        for host in ["", "browser", "usd"] {
            for with in [vec![app], vec![app, "sales"]] {
                let mut line = serde_json::json!({ "id": format!("{app}-{host}"), "apps": with });
                if !host.is_empty() {
                    line["host"] = host.into();
                }
                input.push_str(&format!("{line}\n"));
            }
        }
    }
    let mut conditional = 0;
    for day in ["2026-12-07", "2027-06-01", "2028-07-01"] {
        let (_, compact, _) = batch(&input, &["--as-of", day]);
        let (_, full, _) = batch(&input, &["--as-of", day, "--detail", "full"]);
        assert_eq!(compact.len(), full.len());
        for (c, f) in compact.iter().zip(&full) {
            for key in ["outcome", "recommended", "confidence", "fits"] {
                assert_eq!(c[key], f[key], "{day} {}: {key}", c["id"]);
            }
            let items = |v: &Value| -> Vec<(Value, Value)> {
                v["plan"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| (p["apps"].clone(), p["confidence"].clone()))
                    .collect()
            };
            assert_eq!(items(c), items(f), "{day} {}: plan", c["id"]);
            conditional += usize::from(c["confidence"] == "conditional");
        }
    }
    // The dates make a difference somewhere (USD after April 2027, the
    // removed Omnichannel app), so the comparison is not vacuous.
    assert!(conditional > 10, "{conditional} conditional lines");
}

/// A compact line with teams states what the full answer states: the
/// organisation's outcome, version, confidence, plan and fits, and each
/// team's outcome, version, confidence, date and failed requirements (read
/// from its checks), over teams of every app with dialers, hosts, presence
/// and providers, at dates before and after the retirements.
#[test]
fn a_compact_line_with_teams_states_the_full_answer() {
    let apps = [
        "customer-service",
        "sales",
        "field-service",
        "cs-workspace",
        "omnichannel",
        "custom-multisession",
        "contact-center",
    ];
    let extras = [
        serde_json::json!({}),
        serde_json::json!({"host": "usd"}),
        serde_json::json!({"dialers": ["teams-dialer"]}),
        serde_json::json!({"presence": true, "providers": 2}),
        serde_json::json!({"client": "mobile", "session": "single"}),
    ];
    let mut input = String::new();
    for (i, a) in apps.iter().enumerate() {
        for (j, extra) in extras.iter().enumerate() {
            let mut first = serde_json::json!({"name": "A", "apps": [a]});
            for (k, v) in extra.as_object().unwrap() {
                first[k] = v.clone();
            }
            let b = apps[(i + j + 1) % apps.len()];
            let second = serde_json::json!({"name": "B", "apps": [b], "presence": j % 2 == 0});
            let line = serde_json::json!({"id": format!("{i}-{j}"), "teams": [first, second]});
            input.push_str(&format!("{line}\n"));
        }
    }
    for day in ["2026-12-07", "2027-06-01", "2028-07-01"] {
        let (_, compact, _) = batch(&input, &["--as-of", day]);
        let (_, full, _) = batch(&input, &["--as-of", day, "--detail", "full"]);
        assert_eq!(compact.len(), apps.len() * extras.len());
        for (c, f) in compact.iter().zip(&full) {
            let at = format!("{day} line {}", c["id"]);
            for key in ["outcome", "recommended", "confidence", "plan", "fits"] {
                assert_eq!(c[key], f[key], "{at}: {key}");
            }
            let teams = f["teams"].as_array().unwrap();
            assert_eq!(c["teams"].as_array().unwrap().len(), teams.len(), "{at}");
            for (ct, ft) in c["teams"].as_array().unwrap().iter().zip(teams) {
                for key in [
                    "name",
                    "outcome",
                    "recommended",
                    "confidence",
                    "valid_until",
                ] {
                    assert_eq!(ct[key], ft[key], "{at} team {}: {key}", ft["name"]);
                }
                let mut failed = serde_json::Map::new();
                for e in ft["evaluations"].as_array().unwrap() {
                    if e["fits"] == false {
                        let keys: Vec<&Value> = e["checks"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .filter(|k| k["status"] == "fail")
                            .map(|k| &k["requirement"])
                            .collect();
                        failed.insert(
                            e["version"].as_str().unwrap().into(),
                            serde_json::json!(keys),
                        );
                    }
                }
                assert_eq!(
                    ct["failed"],
                    Value::Object(failed),
                    "{at} team {}",
                    ft["name"]
                );
            }
        }
    }
}
