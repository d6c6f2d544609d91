//! `cif-advisor troubleshoot` end to end: matching against the catalogue of
//! known problems, the filters, the JSON shape and the exit codes.

use serde_json::Value;
use std::collections::BTreeSet;

/// One symptom per catalogue entry, written the way a user would type it,
/// without the entry's own wording (see `paraphrases_are_not_copies`).
const PARAPHRASES: [(&str, &str); 23] = [
    (
        "C1",
        "all the Microsoft.CIFramework requests from our phone widget get refused with an origin complaint",
    ),
    (
        "C2",
        "ReferenceError in the iframe, the CIF object is undefined when the widget starts",
    ),
    (
        "C3",
        "the cif script request bounces to the Microsoft login screen inside the iframe",
    ),
    (
        "C4",
        "only sysadmins can see the phone toolbar in Sales Hub, regular reps get nothing",
    ),
    (
        "C5",
        "after go-live none of our agents get the phone widget in copilot service workspace",
    ),
    (
        "C6",
        "after each release the provider's landing page link points somewhere else",
    ),
    ("C7", "calling setWidth(200) leaves the panel the same size"),
    (
        "C8",
        "pressing the telephone icon next to a contact's number does not start a call",
    ),
    (
        "C9",
        "the microphone access dialog is suppressed inside the embedded phone",
    ),
    ("C10", "the phone frame is just white with nothing rendered"),
    ("C11", "agent availability stays unknown in the workspace"),
    (
        "C12",
        "after we switched on Teams calling in Sales our CTI vendor's phone stopped",
    ),
    (
        "C13",
        "my widget wants to end or focus a session by itself but nothing happens",
    ),
    (
        "C14",
        "searching a phone number with several hits opens no list for our custom table",
    ),
    (
        "C15",
        "our vendor's hosted phone page sends a header that stops Dynamics from embedding it",
    ),
    (
        "M1",
        "where is the place to register a version 2 telephony provider now",
    ),
    (
        "M2",
        "we moved to 2.0 and our old softphone is not picked up, the unique name field complains",
    ),
    (
        "M3",
        "when an agent flips between sessions our widget shows data from the other customer",
    ),
    (
        "M4",
        "session and notification templates didn't come across to production",
    ),
    (
        "M5",
        "the Omnichannel agent app was retired, which app should host our telephony now",
    ),
    (
        "M6",
        "a partner blog tells me to get CIF from AppSource and use the app profile manager",
    ),
    (
        "M7",
        "our ISV managed solution ships the CIF solution inside it and the import breaks the provider",
    ),
    (
        "M8",
        "how can I confirm the 2.0 migration actually loaded in the browser",
    ),
];

/// Held-out phrasings, one per entry for ten different entries, written
/// before the matcher was last tuned and never tuned to. They measure how
/// well matching carries over to wording nobody fitted the catalogue to;
/// `held_out_phrasings` prints which rank their entry first.
/// Before the tuning 7 of 10 did (C3 and M8 matched nothing, C7 came
/// third); after it 8 of 10 (M8 now first; C3 gets C14 and C7 gets C8, both
/// as weak fits).
const HELD_OUT: [(&str, &str); 10] = [
    (
        "C1",
        "the connector calls stopped working after we moved the widget to a new hosting domain",
    ),
    (
        "C3",
        "in Safari the embedded phone shows the Microsoft account picker instead of our dialer",
    ),
    (
        "C6",
        "every time we push the workspace profile to prod the provider url goes back to the default",
    ),
    (
        "C7",
        "trying to shrink the communication panel to 250px has no effect",
    ),
    (
        "C9",
        "Chrome blocks the Okta window our dialer opens from inside Dynamics",
    ),
    (
        "C10",
        "the communication panel is just an empty grey box for some agents",
    ),
    (
        "C12",
        "since the Teams dialer rollout in Sales Hub our Genesys phone bar no longer loads",
    ),
    (
        "C14",
        "when a caller matches several leads the screen pop opens nothing useful",
    ),
    (
        "M4",
        "after deploying to UAT the session templates we built in dev aren't there",
    ),
    (
        "M8",
        "how do I tell from devtools whether the v2 loader is actually running",
    ),
];

mod common;

/// Runs the binary; returns the exit code, standard output and standard error.
fn run(args: &[&str]) -> (i32, String, String) {
    common::run_binary(args, None, "100")
}

/// `troubleshoot QUERY [extra…] --format json`: the exit code and the report.
fn troubleshoot_json(query: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["troubleshoot", query];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--format", "json"]);
    let (code, stdout, stderr) = run(&args);
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{query}: not JSON ({e}): {stdout}\nstderr: {stderr}"));
    (code, value)
}

fn match_ids(report: &Value) -> Vec<String> {
    report["matches"]
        .as_array()
        .expect("matches array")
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_string())
        .collect()
}

/// One catalogue entry, read from the data file.
struct Entry {
    id: String,
    texts: Vec<String>,
    errors: Vec<String>,
}

fn catalogue() -> Vec<Entry> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/problems.yaml");
    let text = std::fs::read_to_string(path).expect("read problems.yaml");
    let doc: serde_json::Value =
        cif_advisor::yaml::from_str_borrowed(&text).expect("parse problems.yaml");
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    doc["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            let mut texts = vec![p["title"].as_str().expect("title").to_string()];
            texts.extend(strings(&p["symptoms"]));
            texts.extend(strings(&p["keywords"]));
            Entry {
                id: p["id"].as_str().expect("id").to_string(),
                texts,
                errors: strings(&p["errors"]),
            }
        })
        .collect()
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\'', '’'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_error_text_ranks_its_entry_first() {
    let mut checked = 0;
    for entry in catalogue() {
        for error in &entry.errors {
            let (code, report) = troubleshoot_json(error, &[]);
            assert_eq!(code, 0, "{error}");
            assert_eq!(match_ids(&report).first(), Some(&entry.id), "{error}");
            assert_eq!(report["matches"][0]["matched"], "error", "{error}");
            assert_eq!(report["matches"][0]["score"], 1.0, "{error}");
            assert_eq!(report["matches"][0]["fit"], "exact", "{error}");
            checked += 1;
        }
    }
    // C1 (1), C2 (3), C13 (2), C15 (4), M4 (1).
    assert_eq!(checked, 11);
}

#[test]
fn a_pasted_console_line_matches_its_error() {
    let (code, report) = troubleshoot_json(
        "Uncaught ReferenceError: Microsoft is not defined at widget.js:14:5",
        &[],
    );
    assert_eq!(code, 0);
    assert_eq!(match_ids(&report), ["C2"]);
    assert_eq!(report["matches"][0]["matched"], "error");
}

#[test]
fn every_entry_is_found_first_by_a_paraphrase() {
    let ids: BTreeSet<String> = catalogue().into_iter().map(|e| e.id).collect();
    let covered: BTreeSet<String> = PARAPHRASES.iter().map(|(id, _)| id.to_string()).collect();
    assert_eq!(covered, ids, "one paraphrase per catalogue entry");
    let mut failures = Vec::new();
    for (id, query) in PARAPHRASES {
        let (code, report) = troubleshoot_json(query, &[]);
        let ids = match_ids(&report);
        if code != 0 || ids.first().map(String::as_str) != Some(id) {
            failures.push(format!("{id}: got {ids:?} (exit {code}) for {query:?}"));
        } else {
            assert_eq!(report["matches"][0]["matched"], "symptom", "{query}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn paraphrases_are_not_copies() {
    // No paraphrase shares a run of five words with its entry's title,
    // symptoms or keywords.
    let catalogue = catalogue();
    for (id, query) in PARAPHRASES {
        let entry = catalogue.iter().find(|e| e.id == id).expect("entry");
        let q = words(query);
        for text in &entry.texts {
            let t = words(text);
            for run in t.windows(5) {
                assert!(
                    !q.windows(5).any(|w| w == run),
                    "{id}: {query:?} copies {text:?}"
                );
            }
        }
    }
}

#[test]
fn version_filter_keeps_only_that_versions_problems() {
    let c4 = PARAPHRASES[3].1;
    let (code, report) = troubleshoot_json(c4, &["--version", "1.0"]);
    assert_eq!(code, 0);
    assert_eq!(match_ids(&report).first().map(String::as_str), Some("C4"));
    assert_eq!(report["version"], "1.0");

    // C4 applies to 1.0 only.
    let (_, report) = troubleshoot_json(c4, &["--version", "2.0"]);
    assert!(!match_ids(&report).contains(&"C4".to_string()));
    assert_eq!(report["version"], "2.0");
    for m in report["matches"].as_array().expect("matches") {
        assert!(m["versions"]
            .as_array()
            .expect("versions")
            .contains(&Value::from("2.0")));
    }

    // C1 applies to 2.0 only, even for its exact error text.
    let (code, report) = troubleshoot_json(
        "Sender domain is not a recognised or is invalid and hence the message cant be processed",
        &["--version", "1.0"],
    );
    assert!(!match_ids(&report).contains(&"C1".to_string()));
    assert_eq!(code, if match_ids(&report).is_empty() { 3 } else { 0 });

    // An id outside the filter is not shown.
    let (code, stdout, _) = run(&["troubleshoot", "c4", "--version", "2.0"]);
    assert_eq!(code, 3);
    assert!(
        stdout.contains("C4 applies to CIF 1.0 only, not 2.0"),
        "{stdout}"
    );
}

#[test]
fn unknown_version_is_a_usage_error() {
    let (code, stdout, stderr) = run(&["troubleshoot", "widget", "--version", "3.0"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("1.0, 2.0"), "{stderr}");
}

#[test]
fn unrelated_text_matches_nothing() {
    let (code, stdout, _) = run(&["troubleshoot", "how", "do", "I", "bake", "bread"]);
    assert_eq!(code, 3);
    assert!(stdout.starts_with("No known problem matches \"how do I bake bread\"."));
    for hint in [
        "developer tools",
        "CIFInitDone",
        "Channel URL",
        "Trusted Domain",
        "Microsoft Learn",
        "https://learn.microsoft.com/search/?terms=how+do+I+bake+bread",
    ] {
        assert!(stdout.contains(hint), "missing {hint:?} in {stdout}");
    }

    let (code, report) = troubleshoot_json("how do I bake bread", &[]);
    assert_eq!(code, 3);
    assert_eq!(report["matches"], Value::Array(vec![]));
    assert!(report["next_steps"]
        .as_array()
        .is_some_and(|s| s.len() >= 4));

    for vague in ["widget", "it does not work", "my car won't start"] {
        let (code, report) = troubleshoot_json(vague, &[]);
        assert_eq!(code, 3, "{vague}: {report}");
    }
}

#[test]
fn json_report_has_the_documented_shape() {
    let (code, report) = troubleshoot_json(PARAPHRASES[6].1, &[]);
    assert_eq!(code, 0);
    let keys: BTreeSet<&str> = report
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["query", "version", "matches"]));
    assert_eq!(report["query"], PARAPHRASES[6].1);
    assert_eq!(report["version"], Value::Null);
    let matches = report["matches"].as_array().expect("matches");
    assert!(!matches.is_empty() && matches.len() <= 3);
    let mut last = f64::INFINITY;
    for m in matches {
        let keys: BTreeSet<&str> = m
            .as_object()
            .expect("match object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "id", "title", "score", "versions", "fix", "basis", "sources", "matched", "fit"
            ])
        );
        let score = m["score"].as_f64().expect("score");
        assert!(score > 0.0 && score <= 1.0 && score <= last);
        last = score;
        assert!(["documented", "inferred"].contains(&m["basis"].as_str().expect("basis")));
        assert!(["error", "symptom", "id"].contains(&m["matched"].as_str().expect("matched")));
        // One measure: the fit is the score, banded.
        let fit = m["fit"].as_str().expect("fit");
        match m["matched"].as_str().expect("matched") {
            "symptom" => assert_eq!(fit, if score >= 0.5 { "good" } else { "weak" }, "{m}"),
            _ => assert_eq!((fit, score), ("exact", 1.0), "{m}"),
        }
        assert!(!m["fix"].as_array().expect("fix").is_empty());
        for s in m["sources"].as_array().expect("sources") {
            assert!(s.as_str().expect("source").starts_with("https://"));
        }
    }
    assert_eq!(matches[0]["id"], "C7");
    assert_eq!(matches[0]["title"], "setWidth has no effect");
    // Documented on the setWidth page since the facts update of 2026-12.
    assert_eq!(
        matches[0]["fix"][0],
        "Use a width of at least 300: the API ignores any value below 300."
    );
    assert_eq!(
        matches[0]["sources"][0],
        "https://learn.microsoft.com/dynamics365/channel-integration-framework/v1/develop/reference/microsoft-ciframework/setWidth"
    );
}

#[test]
fn a_problem_id_shows_that_problem() {
    let (code, stdout, _) = run(&["troubleshoot", "c5"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("Best match for \"c5\":\n\n1. C5 — Widget not visible in a 2.0 app\n")
    );
    assert!(stdout.contains("Applies to CIF 2.0; matched on the problem id"));
    assert!(stdout.contains("Call setMode(1)"));
    assert!(stdout.contains("Basis: documented"));

    let (code, report) = troubleshoot_json("C5", &[]);
    assert_eq!(code, 0);
    assert_eq!(match_ids(&report), ["C5"]);
    assert_eq!(report["matches"][0]["matched"], "id");
    assert_eq!(report["matches"][0]["score"], 1.0);
    assert_eq!(report["matches"][0]["fit"], "exact");
}

#[test]
fn inferred_fixes_are_labelled_as_advice() {
    let (code, stdout, _) = run(&["troubleshoot", "C1"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Basis: inferred — advice, not a Microsoft statement"));
    let (_, report) = troubleshoot_json("c1", &[]);
    assert_eq!(report["matches"][0]["basis"], "inferred");
}

#[test]
fn list_shows_every_problem() {
    let ids: Vec<String> = catalogue().into_iter().map(|e| e.id).collect();
    let (code, stdout, _) = run(&["troubleshoot", "--list"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "ID   Versions  Title");
    assert_eq!(lines.len(), ids.len() + 1);
    assert_eq!(
        lines[1],
        "C1   2.0       Calls fail: sender domain not recognised"
    );
    for (line, id) in lines[1..].iter().zip(&ids) {
        assert!(line.starts_with(&format!("{id} ")), "{line}");
    }

    let (code, stdout, _) = run(&[
        "troubleshoot",
        "--list",
        "--version",
        "2.0",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(report["version"], "2.0");
    let listed: Vec<&str> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["id"].as_str().expect("id"))
        .collect();
    assert!(listed.contains(&"C1") && listed.contains(&"C5"));
    assert!(!listed.contains(&"C4") && !listed.contains(&"C12"));
    assert_eq!(listed.len(), ids.len() - 2);
}

#[test]
fn missing_or_conflicting_input_is_a_usage_error() {
    assert_eq!(run(&["troubleshoot"]).0, 2);
    assert_eq!(run(&["troubleshoot", "  "]).0, 2);
    assert_eq!(run(&["troubleshoot", "--list", "widget"]).0, 2);
}

/// The first match's id, or None when nothing matches.
fn first_id(query: &str) -> Option<String> {
    let (code, report) = troubleshoot_json(query, &[]);
    let ids = match_ids(&report);
    assert_eq!(code, if ids.is_empty() { 3 } else { 0 }, "{query}");
    ids.into_iter().next()
}

#[test]
fn every_title_and_symptom_ranks_its_own_entry_first() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/problems.yaml");
    let text = std::fs::read_to_string(path).expect("read");
    let doc: serde_json::Value = cif_advisor::yaml::from_str_borrowed(&text).expect("parse");
    let mut failures = Vec::new();
    for p in doc["problems"].as_array().expect("problems") {
        let id = p["id"].as_str().expect("id");
        let symptoms = p["symptoms"].as_array().expect("symptoms");
        let texts = std::iter::once(&p["title"]).chain(symptoms);
        for text in texts.map(|t| t.as_str().expect("text")) {
            let got = first_id(text);
            if got.as_deref() != Some(id) {
                failures.push(format!("{id}: got {got:?} for {text:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_widget_missing_from_the_workspace_is_c5() {
    // The workspace (Customer Service / Copilot Service workspace) is a 2.0
    // host and "does not show" is C5's symptom; M2 is about a moved 1.0
    // widget.
    let query = "the widget does not show in the workspace";
    let (code, report) = troubleshoot_json(query, &[]);
    assert_eq!(code, 0);
    assert_eq!(match_ids(&report).first().map(String::as_str), Some("C5"));
    for query in [
        "widget doesn't show up in Copilot Service workspace",
        "the softphone is missing in the Customer Service workspace",
    ] {
        assert_eq!(first_id(query).as_deref(), Some("C5"), "{query}");
    }
}

#[test]
fn misranked_queries_from_the_review() {
    // Session events exist only in 2.0, so a 1.0 widget has none to handle:
    // M3. A query naming CIF 1 does not push a migration pitfall down.
    for query in [
        "CIF1 … no event listeners for session changes",
        "CIF1 widget has no event listeners for session changes",
    ] {
        assert_eq!(first_id(query).as_deref(), Some("M3"), "{query}");
    }
    // ClickToAct is C8's event, not session-blind widget code.
    assert_eq!(
        first_id("custom ClickToAct event code example").as_deref(),
        Some("C8")
    );
    // M2's own title, which is all widget and version words.
    assert_eq!(
        first_id("The 1.0 widget does not just work in 2.0").as_deref(),
        Some("M2")
    );
    // No entry covers role persona mapping. The nearest are the admin-centre
    // and stale-guide pitfalls (M1, M6), as weak fits; the retired agent
    // app (M5) is not one of them.
    let (_, report) = troubleshoot_json("Manage for Role persona mapping not found", &[]);
    assert!(!match_ids(&report).contains(&"M5".to_string()), "{report}");
    for m in report["matches"].as_array().expect("matches") {
        assert_eq!(m["fit"], "weak", "{report}");
    }
}

#[test]
fn vague_queries_match_nothing_or_are_labelled_weak_fits() {
    for query in [
        "our phone system is down",
        "the record does not open",
        "agents miss calls",
        "the page is slow",
        "provider not working",
    ] {
        let (code, report) = troubleshoot_json(query, &[]);
        let matches = report["matches"].as_array().expect("matches");
        if matches.is_empty() {
            assert_eq!(code, 3, "{query}");
        } else {
            assert_eq!(code, 0, "{query}");
            for m in matches {
                assert_eq!(m["fit"], "weak", "{query}: {report}");
            }
            let (_, stdout, _) = run(&["troubleshoot", query]);
            assert!(stdout.starts_with("Possible match"), "{stdout}");
            assert!(stdout.contains("Weak fit:"), "{stdout}");
            assert!(stdout.contains("; fit: weak\n"), "{stdout}");
            // One measure: no score beside the fit in the text.
            assert!(!stdout.contains("score"), "{stdout}");
        }
    }
    // A precise query is not labelled.
    let (_, stdout, _) = run(&["troubleshoot", "setWidth is ignored"]);
    assert!(stdout.starts_with("Best match"), "{stdout}");
    assert!(!stdout.contains("eak fit"), "{stdout}");
    assert!(stdout.contains("; fit: good\n"), "{stdout}");
}

#[test]
fn held_out_phrasings() {
    let ids: BTreeSet<&str> = HELD_OUT.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), HELD_OUT.len(), "one phrasing per entry");
    let mut first = 0;
    for (id, query) in HELD_OUT {
        let (_, report) = troubleshoot_json(query, &[]);
        let ids = match_ids(&report);
        let hit = ids.first().map(String::as_str) == Some(id);
        first += usize::from(hit);
        println!(
            "{id}: {} got {ids:?} for {query:?}",
            if hit { "ok" } else { "MISS" }
        );
    }
    println!(
        "held-out: {first}/{} rank their entry first",
        HELD_OUT.len()
    );
    // The count measured after the tuning (see HELD_OUT), as a floor.
    assert!(first >= HELD_OUT_FLOOR, "{first}/{} first", HELD_OUT.len());
}

/// How many held-out phrasings ranked first when last measured.
const HELD_OUT_FLOOR: usize = 8;

#[test]
fn an_api_name_counts_beside_typos() {
    // The API name says which problem it is, whatever the prose around it.
    for query in [
        "setMode dosent work on hom page",
        "setmode not working",
        "setMode(1) dosnt do anthing",
    ] {
        let (code, report) = troubleshoot_json(query, &[]);
        assert_eq!(code, 0, "{query}");
        assert_eq!(
            match_ids(&report).first().map(String::as_str),
            Some("C5"),
            "{query}: {report}"
        );
    }
    // A misspelt stop word is not a word to match.
    let (_, a) = troubleshoot_json("setWidth doesnt change the panel", &[]);
    let (_, b) = troubleshoot_json("setWidth dosent change the panel", &[]);
    assert_eq!(a["matches"], b["matches"]);
    assert_eq!(match_ids(&a).first().map(String::as_str), Some("C7"));
}

#[test]
fn error_texts_match_with_a_typo_or_two() {
    for (query, id) in [
        ("Sender domain is not a recognized or is invalid", "C1"),
        (
            "timeout occured as no response was received from listener",
            "C2",
        ),
        ("Uncaught ReferenceError: Microsoft is not defned", "C2"),
    ] {
        let (code, report) = troubleshoot_json(query, &[]);
        assert_eq!(code, 0, "{query}");
        assert_eq!(report["matches"][0]["id"], id, "{query}: {report}");
        assert_eq!(report["matches"][0]["matched"], "error", "{query}");
        assert_eq!(report["matches"][0]["fit"], "exact", "{query}");
    }
    // Short or different texts are not an error match.
    for query in ["not defined", "Sender domain is fine"] {
        let (_, report) = troubleshoot_json(query, &[]);
        for m in report["matches"].as_array().expect("matches") {
            assert_ne!(m["matched"], "error", "{query}: {report}");
        }
    }
}

#[test]
fn a_topic_the_catalogue_does_not_cover_exits_3_with_what_to_check() {
    let (code, report) = troubleshoot_json("moving off unified service desk", &[]);
    assert_eq!(code, 3, "{report}");
    assert_eq!(report["matches"], serde_json::json!([]));
    let steps = report["next_steps"].as_array().expect("next_steps");
    assert!(
        steps[0]
            .as_str()
            .unwrap()
            .starts_with("No known problem here is about Unified Service Desk"),
        "{report}"
    );
    let (code, stdout, _) = run(&[
        "troubleshoot",
        "moving",
        "off",
        "unified",
        "service",
        "desk",
    ]);
    assert_eq!(code, 3);
    assert!(
        stdout.starts_with(
            "No known problem matches \"moving off unified service desk\".\nWhat to check first:\n"
        ),
        "{stdout}"
    );
}

/// Held-out phrasings typed as users type them (lowercase, typos, partial
/// error text, no punctuation), written for issue 12 before the matcher
/// was changed there and not tuned to: 15 that name a catalogue problem and
/// 5 that no entry is about. Measured before the change: 12 of 15 first,
/// 4 of 5 exit 3; after it: 13 of 15 first (C2's partial error text with a
/// typo now matches its error; C5 with "workspce" and C10 still miss), 4 of
/// 5 exit 3 (the licence question gets weak fits).
const TYPED_HELD_OUT: [(&str, &str); 20] = [
    ("C1", "cti calls blocked, domain not recgnised by crm"),
    ("C2", "microsoft is not defind in console"),
    ("C3", "ciLibrary.js redirects to login.microsoftonline.com"),
    ("C4", "sales reps cant see the phone panel only admins can"),
    ("C5", "softphone not showing in copilot service workspce"),
    ("C6", "channel url keeps reseting after deploy"),
    ("C7", "setwidth dosnt change anything"),
    ("C8", "clicktoact not firing when i click a phone number"),
    ("C9", "mic permission popup blocked in iframe"),
    ("C10", "widget is blank white after login"),
    ("C11", "presense status shows unknown"),
    ("C12", "teams dialer broke our cti in sales"),
    ("C13", "cant close a session from the widget"),
    (
        "M1",
        "where do i configure a 2.0 provider cant find it in the cif app",
    ),
    ("M5", "omnichannel app retired what now"),
    ("-", "how do i license the voice channel"),
    ("-", "usd hosted control configuration"),
    ("-", "report builder crashes on export"),
    ("-", "sharepoint document upload fails"),
    ("-", "outlook app for dynamics not syncing"),
];

#[test]
fn typed_held_out_phrasings() {
    let (mut first, mut none) = (0, 0);
    for (id, query) in TYPED_HELD_OUT {
        let (code, report) = troubleshoot_json(query, &[]);
        let ids = match_ids(&report);
        let hit = if id == "-" {
            code == 3
        } else {
            code == 0 && ids.first().map(String::as_str) == Some(id)
        };
        if id == "-" {
            none += usize::from(hit);
        } else {
            first += usize::from(hit);
        }
        println!(
            "{id}: {} got {ids:?} (exit {code}) for {query:?}",
            if hit { "ok" } else { "MISS" }
        );
    }
    println!("typed held-out: {first}/15 first, {none}/5 exit 3");
    // As measured (see TYPED_HELD_OUT), as floors; 14 since issue 25 (C10's
    // "widget is blank white after login" now ranks C10 first).
    assert!(first >= 14, "{first}/15 first");
    assert!(none >= 4, "{none}/5 exit 3");
}

/// One phrasing the tests know: its wanted entry (or entries), and the
/// rank and fit recorded after the issue 25 tuning.
struct Recorded {
    wanted: Vec<String>,
    rank: Option<usize>,
    fit: &'static str,
    query: String,
}

/// The phrasings of tests/fixtures/troubleshoot/ranks.tsv.
fn recorded_ranks() -> Vec<Recorded> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/troubleshoot/ranks.tsv"
    );
    std::fs::read_to_string(path)
        .expect("read ranks.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, '\t').collect();
            let fit = ["-", "weak", "good", "exact"]
                .into_iter()
                .find(|x| *x == f[2])
                .unwrap_or_else(|| panic!("fit {:?} in {l:?}", f[2]));
            Recorded {
                wanted: f[0].split('|').map(str::to_string).collect(),
                rank: f[1].parse().ok(),
                fit,
                query: f[3].to_string(),
            }
        })
        .collect()
}

/// How well a fit is: none, weak, good, exact.
fn fit_order(fit: &str) -> usize {
    ["-", "weak", "good", "exact"]
        .iter()
        .position(|x| *x == fit)
        .expect("a fit")
}

#[test]
fn ranks_do_not_drop() {
    let ranks = recorded_ranks();
    // 36 everyday phrasings and 60 of tests/troubleshoot.rs.
    assert_eq!(ranks.len(), 96);
    let mut failures = Vec::new();
    for r in &ranks {
        let (_, report) = troubleshoot_json(&r.query, &[]);
        let matches = report["matches"].as_array().expect("matches");
        let found = matches
            .iter()
            .position(|m| r.wanted.iter().any(|w| m["id"] == w.as_str()));
        let rank = found.map(|i| i + 1);
        let fit = found.map_or("-", |i| matches[i]["fit"].as_str().expect("fit"));
        let lower = match (r.rank, rank) {
            (Some(want), Some(got)) => got > want,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if lower || fit_order(fit) < fit_order(r.fit) {
            failures.push(format!(
                "{:?}: rank {rank:?} fit {fit}, recorded {:?} {} for {:?}",
                r.wanted, r.rank, r.fit, r.query
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn everyday_phrasings_rank_their_entry_first() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/troubleshoot/everyday.tsv"
    );
    let text = std::fs::read_to_string(path).expect("read everyday.tsv");
    let everyday: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(everyday.len(), 36);
    // Each is in ranks.tsv; those of the issue rank their entry first.
    let ranks = recorded_ranks();
    let first = ranks
        .iter()
        .take(everyday.len())
        .filter(|r| r.rank == Some(1))
        .count();
    assert_eq!(first, 32, "32 of 36 recorded first");
    for query in [
        "can't see the widget",
        "I can't see any widget",
        "widget not visible",
        "widget not showing in workspace",
        "panel is blank",
        "softphone doesn't load",
        "nothing happens when I click the number",
    ] {
        let (code, report) = troubleshoot_json(query, &[]);
        assert_eq!(code, 0, "{query}");
        let top = match_ids(&report).into_iter().next().unwrap_or_default();
        let want: &[&str] = match query {
            "widget not showing in workspace" => &["C5"],
            "panel is blank" | "softphone doesn't load" => &["C10", "C15"],
            "nothing happens when I click the number" => &["C8"],
            _ => &["C4", "C5"],
        };
        assert!(want.contains(&top.as_str()), "{query}: {report}");
    }
    for (line, r) in everyday.iter().zip(&ranks) {
        assert!(line.ends_with(r.query.as_str()), "{line} vs {:?}", r.query);
    }
}
