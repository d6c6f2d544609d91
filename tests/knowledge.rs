//! `cif-advisor api` and `cif-advisor migrate` end to end: what they list,
//! in which shape, and their exit codes.

use serde_json::Value;
use std::collections::BTreeSet;

mod common;

/// Runs the binary; returns the exit code, standard output and standard error.
fn run(args: &[&str]) -> (i32, String, String) {
    common::run_binary(args, None, "160")
}

fn json(args: &[&str]) -> Value {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"))
}

fn members(view: &Value) -> Vec<&Value> {
    view["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["members"].as_array().expect("members").iter())
        .collect()
}

fn names(view: &Value) -> Vec<&str> {
    members(view)
        .iter()
        .map(|m| m["name"].as_str().expect("name"))
        .collect()
}

fn member<'a>(view: &'a Value, name: &str) -> &'a Value {
    members(view)
        .into_iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("{name} not listed"))
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect()
}

const GROUPS: [&str; 10] = [
    "panel",
    "crud",
    "misc",
    "notifications",
    "tabs",
    "sessions",
    "analytics",
    "indicators",
    "presence",
    "events",
];

/// Members that exist only in CIF 2.0 (facts section 3.2 and 3.3).
const ONLY_2_0: [&str; 26] = [
    "updateContext",
    "updateConversation",
    "notifyEvent",
    "cancelEvent",
    "createTab",
    "getTabs",
    "focusTab",
    "getFocusedTab",
    "refreshTab",
    "setTabTitle",
    "closeTab",
    "canCreateSession",
    "createSession",
    "getSession",
    "getFocusedSession",
    "getAllSessions",
    "setSessionTitle",
    "requestFocusSession",
    "logAnalyticsEvent",
    "notifyKpiBreach",
    "notifyNewActivity",
    "setPresence",
    "getPresence",
    "onSessionSwitched",
    "onSessionClosed",
    "onPresenceChange",
];

#[test]
fn api_json_has_the_documented_shape() {
    let view = json(&["api", "--format", "json"]);
    assert_eq!(
        keys(&view),
        BTreeSet::from(["reviewed", "versions", "version", "diff", "groups"])
    );
    assert_eq!(view["versions"], serde_json::json!(["1.0", "2.0"]));
    assert_eq!(view["version"], Value::Null);
    assert_eq!(view["diff"], false);
    let ids: Vec<&str> = view["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            assert_eq!(keys(g), BTreeSet::from(["id", "name", "members"]));
            g["id"].as_str().expect("id")
        })
        .collect();
    assert_eq!(ids, GROUPS);
    let all = members(&view);
    assert_eq!(all.len(), 50);
    for m in &all {
        assert_eq!(
            keys(m),
            BTreeSet::from([
                "name",
                "kind",
                "versions",
                "signature",
                "summary",
                "deprecated",
                "source",
                "basis",
                "notes"
            ])
        );
        assert!(["method", "event"].contains(&m["kind"].as_str().expect("kind")));
        assert!(m["source"]
            .as_str()
            .expect("source")
            .starts_with("https://"));
        assert!(m["signature"].is_null() || m["signature"].is_string());
        for n in m["notes"].as_array().expect("notes") {
            assert_eq!(
                keys(n),
                BTreeSet::from(["text", "versions", "source", "basis", "reviewed"])
            );
            assert!(n["reviewed"].is_null() || n["reviewed"].is_string());
            for v in n["versions"].as_array().expect("versions") {
                assert!(m["versions"].as_array().unwrap().contains(v), "{n}");
            }
            assert!(["documented", "inferred"].contains(&n["basis"].as_str().expect("basis")));
            assert!(n["source"]
                .as_str()
                .expect("source")
                .starts_with("https://"));
        }
    }
    let create = member(&view, "createSession");
    assert_eq!(create["kind"], "method");
    assert_eq!(create["versions"], serde_json::json!(["2.0"]));
    assert_eq!(create["signature"], "createSession(input, correlationId?)");
    assert_eq!(member(&view, "CIFInitDone")["kind"], "event");
    assert_eq!(member(&view, "getWidth")["signature"], Value::Null);
}

#[test]
fn api_for_version_1_0_lists_only_its_members() {
    let view = json(&["api", "--version", "1.0", "--format", "json"]);
    assert_eq!(view["version"], "1.0");
    let listed = names(&view);
    for present in [
        "setMode",
        "setWidth",
        "searchAndOpenRecords",
        "CIFInitDone",
        "onclicktoact",
    ] {
        assert!(listed.contains(&present), "{present} missing");
    }
    for absent in ONLY_2_0 {
        assert!(!listed.contains(&absent), "{absent} listed for 1.0");
    }
    assert_eq!(listed.len(), 50 - ONLY_2_0.len());
    let groups: Vec<&str> = view["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["id"].as_str().expect("id"))
        .collect();
    assert_eq!(groups, ["panel", "crud", "misc", "events"]);

    let (code, table, _) = run(&["api", "--version", "1.0"]);
    assert_eq!(code, 0);
    assert!(table
        .starts_with("Microsoft.CIFramework methods and client-side events available in CIF 1.0"));
    assert!(table.contains("│ setMode "));
    // No row for a 2.0 member (notes of 1.0 members may still mention them).
    for absent in ["createSession", "createTab", "notifyEvent", "getSession"] {
        let row = format!("│ {absent} ");
        assert!(!table.contains(&row), "{absent} has a row in the 1.0 table");
    }
    for group in [
        "Session management",
        "Application tab management",
        "Presence (",
    ] {
        assert!(!table.contains(group), "{group} in the 1.0 table");
    }
}

#[test]
fn api_for_a_version_shows_only_the_notes_about_it() {
    // Member name → the note texts' starts, per version.
    let notes = |version: &str| -> Vec<(String, String)> {
        let view = json(&["api", "--version", version, "--format", "json"]);
        members(&view)
            .iter()
            .flat_map(|m| {
                let name = m["name"].as_str().unwrap().to_string();
                m["notes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |n| (name.clone(), n["text"].as_str().unwrap().to_string()))
            })
            .collect()
    };
    let (one, two) = (notes("1.0"), notes("2.0"));
    let has = |list: &[(String, String)], member: &str, start: &str| {
        list.iter()
            .any(|(m, t)| m == member && t.starts_with(start))
    };
    // 2.0-only notes of members both versions have are not shown for 1.0.
    for (member, start) in [
        ("setMode", "In 2.0, call it only"),
        ("setMode", "In 2.0, a session template"),
        ("setClickToAct", "In 2.0 it needs"),
        ("onmodechanged", "The v2 client-side-events overview"),
    ] {
        assert!(!has(&one, member, start), "{member}: {start}");
        assert!(has(&two, member, start), "{member}: {start}");
    }
    for (member, start) in [
        ("getEntityMetadata", "The 1.0 what's-new page"),
        ("renderSearchPage", "The 1.0 what's-new page"),
        ("onmodechanged", "Conflicting for 1.0"),
    ] {
        assert!(has(&one, member, start), "{member}: {start}");
        assert!(!has(&two, member, start), "{member}: {start}");
    }
    // Both versions: the setClickToAct banner.
    let banner =
        "Both reference pages carry a banner: \"This API will be deprecated on October 31, 2025.";
    assert!(has(&one, "setClickToAct", banner) && has(&two, "setClickToAct", banner));
    let (code, table, _) = run(&["api", "--version", "1.0"]);
    assert_eq!(code, 0);
    assert!(!table.contains("In 2.0"), "{table}");
    assert!(!table.contains("msdyn_writechannelprovider"), "{table}");
    // No filter: every note.
    let all = json(&["api", "--format", "json"]);
    let count: usize = members(&all)
        .iter()
        .map(|m| m["notes"].as_array().unwrap().len())
        .sum();
    assert_eq!(count, 49);
    assert_eq!(one.len(), 18);
    assert_eq!(two.len(), 46);
}

#[test]
fn api_version_accepts_short_forms() {
    assert_eq!(
        json(&["api", "--version", "2", "--format", "json"])["version"],
        "2.0"
    );
    assert_eq!(
        json(&["api", "--version", "v1", "--format", "json"])["version"],
        "1.0"
    );
}

#[test]
fn api_unknown_version_is_a_usage_error() {
    let (code, stdout, stderr) = run(&["api", "--version", "3.0"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "error: invalid value '3.0' for '--version': valid versions: 1.0, 2.0\n"
    );
}

#[test]
fn api_diff_lists_one_version_members_and_deprecations() {
    let view = json(&["api", "--diff", "--format", "json"]);
    assert_eq!(view["diff"], true);
    let all = members(&view);
    let only_2: Vec<&str> = all
        .iter()
        .filter(|m| m["only_in"] == "2.0")
        .map(|m| m["name"].as_str().expect("name"))
        .collect();
    assert_eq!(only_2, ONLY_2_0);
    assert!(all.iter().all(|m| m["only_in"] != "1.0"));
    let deprecated: Vec<&str> = all
        .iter()
        .filter(|m| !m["deprecated"].is_null())
        .map(|m| m["name"].as_str().expect("name"))
        .collect();
    assert_eq!(deprecated, ["setClickToAct"]);
    assert_eq!(all.len(), ONLY_2_0.len() + 1);

    assert_eq!(member(&view, "createSession")["only_in"], "2.0");
    let click = member(&view, "setClickToAct");
    assert_eq!(click["only_in"], Value::Null);
    assert_eq!(click["versions"], serde_json::json!(["1.0", "2.0"]));
    assert_eq!(click["deprecated"]["since"], "2025-10-31");
    assert!(click["deprecated"]["source"]
        .as_str()
        .expect("source")
        .starts_with("https://learn.microsoft.com/"));
    assert!(!names(&view).contains(&"setMode"));

    let (code, table, _) = run(&["api", "--diff"]);
    assert_eq!(code, 0);
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("│ {name} ")))
            .unwrap_or_else(|| panic!("no row for {name} in\n{table}"))
            .to_string()
    };
    assert!(row("createSession").contains("only in 2.0"));
    assert!(row("setClickToAct").contains("1.0, 2.0"));
    assert!(table.contains("DEPRECATED since 2025-10-31"));
    assert!(!table.contains("│ setMode "));
}

#[test]
fn api_table_and_markdown() {
    let (code, table, _) = run(&["api"]);
    assert_eq!(code, 0);
    for heading in [
        "Communication panel (4)",
        "CRUD (4)",
        "Miscellaneous (12)",
        "Notification management (2)",
        "Application tab management (7)",
        "Session management (7)",
        "Channel analytics (1)",
        "Session indicators (2)",
        "Presence (2)",
        "Client-side events (9)",
        "\nSources:\n  [1] https://",
    ] {
        assert!(table.contains(heading), "{heading:?} missing");
    }

    let (code, md, _) = run(&["api", "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(md.starts_with(
        "# Microsoft.CIFramework methods and client-side events of CIF 1.0 and 2.0\n"
    ));
    assert_eq!(
        md.matches("| Member | Kind | Versions | Description | Source |")
            .count(),
        10
    );
    assert!(md.contains("\n## Session management\n"));
    assert!(md.contains(
        "| `createSession` | method | only in 2.0 | `createSession(input, correlationId?)`"
    ));
    assert!(md.contains("**Deprecated since 2025-10-31**"));
    assert!(md.contains("[source](https://learn.microsoft.com/"));
}

/// The checklist steps of data/migrate.yaml, in order.
const STEPS: [&str; 12] = [
    "Confirm the target is a multisession app (Copilot Service workspace)",
    "Recreate the provider in Copilot Service admin center",
    "Copy the 1.0 provider's values to the 2.0 provider",
    "Enable the provider in an experience profile and assign users",
    "Dock the panel with setMode(1) and handle the home session",
    "With several providers, start a default session for the widget",
    "Adopt sessions, tabs, notifications and templates",
    "Keep widget state per session and move templates as data",
    "Optionally turn on channel analytics",
    "Replace setClickToAct with the provider's outbound flag",
    "Verify the migration in the browser",
    "Leave 1.0 users untouched",
];

/// The steps needed only for a capability.
const HOME_SESSION: &str = "With several providers, start a default session for the widget";
const ANALYTICS: &str = "Optionally turn on channel analytics";

/// The migration pitfalls M1-M8 of data/problems.yaml.
const PITFALLS: [(&str, &str); 8] = [
    ("M1", "2.0 provider configured in the wrong place"),
    ("M2", "The 1.0 widget does not just work in 2.0"),
    ("M3", "Widget code is session-blind"),
    ("M4", "Templates not carried over"),
    ("M5", "The host app is retired"),
    ("M6", "Third-party guides are out of date"),
    ("M7", "Solution transport breaks the provider"),
    ("M8", "Verifying the move to 2.0"),
];

#[test]
fn migrate_lists_the_steps_in_order_then_the_pitfalls() {
    let (code, text, stderr) = run(&["migrate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.starts_with("Moving a channel provider from CIF 1.0 to CIF 2.0"));
    assert!(text.contains("\nEvery step and pitfall (no requirement stated"));
    let mut at = 0;
    for (i, title) in STEPS.iter().enumerate() {
        // The facts update of 2026-12: the profile step (4) is documented;
        // the per-session state and template bullets (step 8) are inferences.
        let inferred = if i == 7 { " (inferred)" } else { "" };
        let line = format!("\n{}. {title}{inferred}\n", i + 1);
        let found = text[at..]
            .find(&line)
            .unwrap_or_else(|| panic!("step {line:?} missing or out of order"));
        at += found + line.len();
    }
    // One inferred step and two inferred pitfalls (M3, M4).
    assert_eq!(text.matches(" (inferred)\n").count(), 3);
    let pitfalls = text.find("\nPitfalls\n").expect("Pitfalls heading");
    assert!(pitfalls > at);
    let mut at = pitfalls;
    for (id, title) in PITFALLS {
        let inferred = if ["M3", "M4"].contains(&id) {
            " (inferred)"
        } else {
            ""
        };
        let line = format!("\n{id:<4} {title}{inferred}\n");
        let found = text[at..]
            .find(&line)
            .unwrap_or_else(|| panic!("pitfall {line:?} missing or out of order"));
        at += found + line.len();
    }
    assert!(text.contains("Sources:\n     https://learn.microsoft.com/"));
    assert!(!text.contains("Left out"), "{text}");
}

#[test]
fn migrate_json_takes_its_pitfalls_from_the_problem_catalogue() {
    let view = json(&["migrate", "--format", "json"]);
    assert_eq!(
        keys(&view),
        BTreeSet::from([
            "reviewed",
            "tailored",
            "requirements",
            "steps",
            "pitfalls",
            "left_out"
        ])
    );
    assert_eq!(view["tailored"], false);
    assert_eq!(view["requirements"], serde_json::json!({}));
    assert_eq!(view["left_out"], serde_json::json!([]));
    let steps = view["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), STEPS.len());
    for (i, (step, title)) in steps.iter().zip(STEPS).enumerate() {
        assert_eq!(step["number"], i + 1);
        assert_eq!(step["title"], title);
        let basis = if i == 7 { "inferred" } else { "documented" };
        assert_eq!(step["basis"], basis);
        assert!(!step["detail"].as_array().expect("detail").is_empty());
        assert!(!step["sources"].as_array().expect("sources").is_empty());
    }
    assert_eq!(steps[5]["when"], "providers > 1");
    assert_eq!(steps[8]["when"], "analytics");
    assert_eq!(steps[0]["when"], Value::Null);
    let pitfalls = view["pitfalls"].as_array().expect("pitfalls");
    assert_eq!(pitfalls.len(), PITFALLS.len());
    for (p, (id, title)) in pitfalls.iter().zip(PITFALLS) {
        assert_eq!(p["id"], id);
        assert_eq!(p["title"], title);
        // One source of truth: the same problem as `troubleshoot ID` shows.
        let problem = json(&["troubleshoot", id, "--format", "json"]);
        let shown = &problem["matches"][0];
        for key in ["title", "sources", "basis", "versions"] {
            assert_eq!(p[key], shown[key], "{id}.{key}");
        }
        // The fix keeps the catalogue's lines a step does not already say,
        // in order; the rest names the steps that say it.
        let full: Vec<&Value> = shown["fix"].as_array().expect("fix").iter().collect();
        let kept: Vec<&Value> = p["fix"].as_array().expect("fix").iter().collect();
        let covered = p["covered_by"].as_array().expect("covered_by");
        assert!(
            full.iter().filter(|l| kept.contains(l)).eq(kept.iter()),
            "{id}"
        );
        assert_eq!(kept.len() < full.len(), !covered.is_empty(), "{id}");
        for n in covered {
            let n = n.as_u64().expect("a step number") as usize;
            assert!((1..=STEPS.len()).contains(&n), "{id}: {n}");
        }
    }
}

/// Each fix line that is shown under a pitfall, as the steps' detail lines.
fn detail_and_fix_lines(view: &Value) -> (Vec<String>, Vec<String>) {
    let lines = |items: &Value, key: &str| -> Vec<String> {
        items
            .as_array()
            .expect("list")
            .iter()
            .flat_map(|i| i[key].as_array().expect("lines").iter())
            .map(|l| l.as_str().expect("text").to_string())
            .collect()
    };
    (
        lines(&view["steps"], "detail"),
        lines(&view["pitfalls"], "fix"),
    )
}

#[test]
fn migrate_pitfalls_do_not_repeat_the_steps() {
    let view = json(&["migrate", "--format", "json"]);
    let (detail, fix) = detail_and_fix_lines(&view);
    let by_id = |id: &str| {
        view["pitfalls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()
            .clone()
    };
    // M8 is the verify step, word for word: nothing of its fix is left.
    let m8 = by_id("M8");
    assert_eq!(m8["fix"], serde_json::json!([]));
    assert_eq!(m8["covered_by"], serde_json::json!([11]));
    // M2's home-session line is step 6's; its Unique Name line is step 2's.
    let m2 = by_id("M2");
    assert_eq!(m2["fix"], serde_json::json!([]));
    assert_eq!(m2["covered_by"], serde_json::json!([2, 6, 7]));
    // What stays says something no step says.
    let m7 = by_id("M7");
    assert_eq!(m7["fix"].as_array().unwrap().len(), 2);
    assert!(m7["fix"][0]
        .as_str()
        .unwrap()
        .starts_with("Do not bundle the CIF solution"));
    for line in &fix {
        assert!(!detail.contains(line), "repeated: {line}");
    }
    let (_, text, _) = run(&["migrate"]);
    assert!(
        text.contains("\nM8   Verifying the move to 2.0\n     Fix: see step 11.\n"),
        "{text}"
    );
}

/// The step titles a checklist lists, in order.
fn step_titles(view: &Value) -> Vec<String> {
    view["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["title"].as_str().expect("title").to_string())
        .collect()
}

fn pitfall_ids(view: &Value) -> Vec<String> {
    view["pitfalls"]
        .as_array()
        .expect("pitfalls")
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn migrate_flags_describe_exactly_the_stated_situation() {
    let all = json(&["migrate", "--format", "json"]);
    assert!(step_titles(&all).contains(&HOME_SESSION.to_string()));
    assert!(step_titles(&all).contains(&ANALYTICS.to_string()));
    assert!(pitfall_ids(&all).contains(&"M4".to_string()));

    // One provider, nothing else needed: no home-session or analytics step,
    // no template pitfall; the others are renumbered.
    let one = json(&["migrate", "--providers", "1", "--format", "json"]);
    assert_eq!(one["tailored"], true);
    assert_eq!(one["requirements"], serde_json::json!({"providers": 1}));
    let titles = step_titles(&one);
    let expected: Vec<String> = STEPS
        .iter()
        .filter(|t| **t != HOME_SESSION && **t != ANALYTICS)
        .map(|t| t.to_string())
        .collect();
    assert_eq!(titles, expected);
    assert_eq!(one["steps"][8]["number"], 9);
    assert!(!pitfall_ids(&one).contains(&"M4".to_string()));
    assert_eq!(
        one["left_out"],
        serde_json::json!([
            {"kind": "step", "id": "home-session", "title": HOME_SESSION, "when": "providers > 1"},
            {"kind": "step", "id": "enable-analytics", "title": ANALYTICS, "when": "analytics"},
            {"kind": "pitfall", "id": "M4", "title": "Templates not carried over",
             "when": "templates: notification or application-tab or session"}
        ])
    );

    // Several providers: the home-session step; analytics: its step.
    let two = json(&["migrate", "--providers", "2", "--format", "json"]);
    assert!(step_titles(&two).contains(&HOME_SESSION.to_string()));
    assert!(!step_titles(&two).contains(&ANALYTICS.to_string()));
    let analytics = json(&["migrate", "--analytics", "--format", "json"]);
    assert!(!step_titles(&analytics).contains(&HOME_SESSION.to_string()));
    assert!(step_titles(&analytics).contains(&ANALYTICS.to_string()));
    let templates = json(&["migrate", "--template", "session", "--format", "json"]);
    assert!(pitfall_ids(&templates).contains(&"M4".to_string()));
    let both = json(&[
        "migrate",
        "--providers",
        "3",
        "--analytics",
        "--template",
        "notification",
        "--format",
        "json",
    ]);
    assert_eq!(step_titles(&both), STEPS.map(String::from).to_vec());
    assert_eq!(both["left_out"], serde_json::json!([]));

    // Without home-session step, M2's home-session line is not covered: it stays.
    let m2 = one["pitfalls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "M2")
        .unwrap();
    assert!(
        m2["fix"][0].as_str().unwrap().contains("several providers"),
        "{m2}"
    );
}

#[test]
fn migrate_flags_are_checked_like_recommend_s() {
    let (code, out, err) = run(&["migrate", "--template", "sesion"]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        err,
        "error: invalid value 'sesion' for '--template': did you mean 'session'? valid values: notification, application-tab, session\n"
    );
    let (code, _, err) = run(&["migrate", "--providers", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("expected a whole number from 1"), "{err}");
    let (code, help, _) = run(&["migrate", "--help"]);
    assert_eq!(code, 0);
    assert!(help.contains("--providers <N>"), "{help}");
    assert!(help.contains("--analytics"), "{help}");
    assert!(help.contains("--template <KIND>"), "{help}");
    assert!(
        help.contains(
            "a capability not stated is not needed there, so its steps and\npitfalls are left out"
        ),
        "{help}"
    );
}

#[test]
fn migrate_text_snapshots() {
    let (_, all, _) = run(&["migrate"]);
    insta::assert_snapshot!("migrate_text_all", all);
    let (_, tailored, _) = run(&["migrate", "--providers", "2", "--analytics"]);
    insta::assert_snapshot!("migrate_text_two_providers_analytics", tailored);
}

#[test]
fn migrate_markdown_snapshots() {
    let (_, all, _) = run(&["migrate", "--format", "markdown"]);
    insta::assert_snapshot!("migrate_markdown_all", all);
    let (_, tailored, _) = run(&["migrate", "--providers", "1", "--format", "markdown"]);
    insta::assert_snapshot!("migrate_markdown_one_provider", tailored);
}

/// The checklist is Markdown: parsed by pulldown-cmark (GFM task lists on),
/// every step and pitfall is a `- [ ]` task item, every source a link.
#[test]
fn migrate_markdown_is_a_checklist_that_parses() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    for args in [
        &["migrate"][..],
        &["migrate", "--providers", "2", "--analytics"],
    ] {
        let (code, md, err) = run(&[args, &["--format", "markdown"]].concat());
        assert_eq!(code, 0, "{err}");
        let view = json(&[args, &["--format", "json"]].concat());
        let items =
            view["steps"].as_array().unwrap().len() + view["pitfalls"].as_array().unwrap().len();
        let sources: BTreeSet<String> = ["steps", "pitfalls"]
            .iter()
            .flat_map(|k| view[*k].as_array().unwrap().iter())
            .flat_map(|i| i["sources"].as_array().unwrap().iter())
            .map(|s| s.as_str().unwrap().to_string())
            .collect();

        let mut tasks = 0;
        let mut links = BTreeSet::new();
        let mut headings = Vec::new();
        let mut in_heading = false;
        let mut text = String::new();
        for event in Parser::new_ext(&md, Options::ENABLE_TASKLISTS) {
            match event {
                Event::TaskListMarker(done) => {
                    assert!(!done);
                    tasks += 1;
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    links.insert(dest_url.to_string());
                }
                Event::Start(Tag::Heading { .. }) => in_heading = true,
                Event::End(TagEnd::Heading(_)) => {
                    headings.push(std::mem::take(&mut text));
                    in_heading = false;
                }
                Event::Text(t) | Event::Code(t) if in_heading => text.push_str(&t),
                Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in the checklist: {h}"),
                _ => {}
            }
        }
        assert_eq!(tasks, items, "{md}");
        assert_eq!(md.matches("\n- [ ] ").count(), items);
        assert_eq!(links, sources);
        let expected: Vec<&str> = if view["tailored"] == true {
            vec![
                "Moving a channel provider from CIF 1.0 to CIF 2.0",
                "Steps",
                "Pitfalls",
                "Left out",
            ]
        } else {
            vec![
                "Moving a channel provider from CIF 1.0 to CIF 2.0",
                "Steps",
                "Pitfalls",
            ]
        };
        assert_eq!(headings, expected);
        // The text survives escaping: `<prefix>_<name>` is text, not HTML.
        assert!(md.contains(r"\<prefix\>\_\<name\>"), "{md}");
    }
}

#[test]
fn migrate_json_snapshots() {
    let (_, all, _) = run(&["migrate", "--format", "json"]);
    insta::assert_snapshot!("migrate_json_all", all);
    let (_, tailored, _) = run(&[
        "migrate",
        "--providers",
        "2",
        "--analytics",
        "--format",
        "json",
    ]);
    insta::assert_snapshot!("migrate_json_two_providers_analytics", tailored);
}

/// `migrate` with requirements runs the engine first: no part on
/// CIF 2.0 is one line and exit 0; a plan's checklist names the part on 2.0;
/// teams get a checklist each, headed by the team's name.
#[test]
fn migrate_covers_only_what_the_answer_puts_on_2_0() {
    let (code, out, err) = run(&["migrate", "--app", "sales"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("Nothing to migrate: the answer is CIF 1.0"),
        "{out}"
    );
    let v = json(&["migrate", "--app", "sales", "--format", "json"]);
    assert_eq!(v["applies"], false);
    assert!(v["reason"].as_str().unwrap().contains("CIF 1.0"));

    let (code, out, _) = run(&["migrate", "--app", "sales,cs-workspace", "--providers", "2"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("The part of the answer on CIF 2.0: Copilot Service workspace"),
        "{out}"
    );
    let v = json(&["migrate", "--app", "sales,cs-workspace", "--format", "json"]);
    assert_eq!(v["applies"], true);
    assert_eq!(v["part"], serde_json::json!(["cs-workspace"]));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("teams.yaml");
    std::fs::write(
        &file,
        "teams:\n  - name: Sellers\n    apps: [sales]\n  - name: Service desk\n    apps: [cs-workspace]\n    providers: 2\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (code, out, _) = run(&["migrate", "--requirements", path]);
    assert_eq!(code, 0);
    let sellers = out
        .find("Team \"Sellers\"\nNothing to migrate")
        .expect(&out);
    let desk = out
        .find("Team \"Service desk\"\nMoving a channel provider")
        .expect(&out);
    assert!(sellers < desk);
    let v = json(&["migrate", "--requirements", path, "--format", "json"]);
    assert_eq!(v["teams"][0]["name"], "Sellers");
    assert_eq!(v["teams"][0]["applies"], false);
    assert_eq!(v["teams"][1]["applies"], true);
}

/// A dated API member is one fact: the matrix's lifecycle entry for
/// `api=NAME` and the API catalogue's `deprecated.since` agree, and `api`
/// marks the member.
#[test]
fn a_dated_api_member_is_kept_once_and_marked() {
    let matrix = cif_advisor::matrix::embedded().unwrap();
    let catalogue = cif_advisor::knowledge::api_catalogue().unwrap();
    let mut seen = 0;
    for l in &matrix.lifecycle {
        let Some(name) = l.subject.strip_prefix("api=") else {
            continue;
        };
        seen += 1;
        let entry = catalogue
            .groups
            .iter()
            .flat_map(|g| g.members.iter())
            .find(|m| m.name == name)
            .unwrap_or_else(|| {
                panic!("lifecycle names api member {name}, which the catalogue lacks")
            });
        let since = entry.deprecated.as_ref().map(|d| d.since.as_str());
        assert_eq!(
            since,
            l.deprecated.as_deref(),
            "{name}: the two dates differ"
        );
        let v = json(&["api", "--format", "json"]);
        let shown = member(&v, name);
        assert_eq!(
            shown["deprecated"]["since"],
            l.deprecated.as_deref().unwrap()
        );
    }
    assert!(seen >= 1, "setClickToAct is dated");
}
