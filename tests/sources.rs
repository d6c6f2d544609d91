//! `matrix sources [--docs DIR]`, against a small docs tree built
//! here: a page unchanged since the review, a page changed after it, a missing
//! page, a Learn URL with and without a locale, and an include.

use serde_json::Value;
use std::path::Path;

mod common;

const DATA: &str = include_str!("../data/cif-matrix.yaml");
const CIF: &str = "https://learn.microsoft.com/dynamics365/channel-integration-framework";
const INCLUDE: &str = "https://github.com/MicrosoftDocs/dynamics-365-customer-engagement/blob/main/ce/channel-integration-framework/shared/token-setMode.md";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn page(date: &str) -> String {
    format!("---\ntitle: \"A page\"\nms.date: {date}\nms.topic: article\n---\n\n# A page\n")
}

/// The built-in matrix with one source given with a locale and one see-also
/// pointing at an include.
fn test_matrix() -> String {
    let locale = format!("        source: {CIF}/v1/administer/get-channel-integration-framework\n");
    assert_eq!(DATA.matches(&locale).count(), 1);
    let with_locale = locale.replace(
        "learn.microsoft.com/dynamics365",
        "learn.microsoft.com/en-us/dynamics365",
    );
    let expanded =
        format!("            see_also: [{CIF}/v1/develop/reference/microsoft-ciframework]\n");
    let first = DATA.find(&expanded).expect("see_also of expanded 1.0");
    let mut text = DATA.to_string();
    text.replace_range(
        first..first + expanded.len(),
        &format!("            see_also: [{INCLUDE}]\n"),
    );
    text.replacen(&locale, &with_locale, 1)
}

struct Tree {
    _dir: tempfile::TempDir,
    docs: String,
    matrix: String,
}

fn tree() -> Tree {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    let c = "ce/channel-integration-framework";
    // Unchanged: older than the review (2026-12-02).
    write(
        &docs,
        &format!("{c}/choose-between-versions.md"),
        &page("12/10/2024"),
    );
    // Changed after the review.
    write(
        &docs,
        &format!("{c}/v2/administer/overview-channel-integration-framework.md"),
        &page("01/15/2027"),
    );
    // The same day as the review: not later, so unchanged.
    write(
        &docs,
        &format!("{c}/v1/administer/get-channel-integration-framework.md"),
        &page("12/02/2026"),
    );
    // An include: no front matter, never compared.
    write(
        &docs,
        &format!("{c}/shared/token-setMode.md"),
        "| Value | Mode |\n|---|---|\n",
    );
    // The FAQ is left out: missing.
    let matrix = dir.path().join("m.yaml");
    std::fs::write(&matrix, test_matrix()).unwrap();
    Tree {
        docs: docs.to_str().unwrap().to_string(),
        matrix: matrix.to_str().unwrap().to_string(),
        _dir: dir,
    }
}

fn json(args: &[&str]) -> Value {
    let (code, out, err) = common::run_binary(args, None, "100");
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    serde_json::from_str(&out).expect("JSON")
}

fn find<'a>(report: &'a Value, file: &str) -> &'a Value {
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"] == file)
        .unwrap_or_else(|| panic!("no source for {file}"))
}

fn fact_paths(source: &Value) -> Vec<String> {
    source["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f["file"].as_str().unwrap(),
                f["path"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn every_cited_page_is_listed_with_its_facts() {
    let r = json(&["matrix", "sources", "--format", "json"]);
    assert!(r["docs"].is_null());
    let faq = find(
        &r,
        "ce/channel-integration-framework/faq-channel-integration-framework.md",
    );
    assert_eq!(faq["kind"], "page");
    assert!(faq["status"].is_null());
    let paths = fact_paths(faq);
    // Facts of all four data files rest on the FAQ.
    for p in [
        "cif-matrix.yaml: apps[omnichannel].support.\"1.0\"",
        "problems.yaml: problems[M1]",
        "migrate.yaml: steps[leave-v1]",
    ] {
        assert!(paths.iter().any(|x| x == p), "{p} in {paths:?}");
    }
    let setwidth = find(
        &r,
        "ce/channel-integration-framework/v1/develop/reference/microsoft-ciframework/setWidth.md",
    );
    assert!(fact_paths(setwidth).contains(&"api.yaml: groups[panel].members[setWidth]".to_string()));
    // A GitHub issue is listed, as outside the docs pages.
    let issue = r["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["url"]
                == "https://github.com/MicrosoftDocs/dynamics-365-customer-engagement/issues/1711"
        })
        .expect("issue 1711");
    assert_eq!(issue["kind"], "outside");
    assert!(issue["file"].is_null());
    let po = r["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["url"]
                == "https://learn.microsoft.com/dynamics365/project-operations/psa/white-papers"
        })
        .expect("Project Operations page");
    assert_eq!(po["kind"], "outside");
    // Every fact names its basis.
    for s in r["sources"].as_array().unwrap() {
        for f in s["facts"].as_array().unwrap() {
            assert!(
                ["documented", "inferred"].contains(&f["basis"].as_str().unwrap()),
                "{f}"
            );
            // The file's date, or the item's own (the 2026-12-07 facts update).
            assert!(
                ["2026-12-02", "2026-12-07"].contains(&f["reviewed"].as_str().unwrap()),
                "{f}"
            );
        }
    }
    let summary = &r["summary"];
    assert_eq!(summary["changed"], 0);
    assert!(summary["pages"].as_u64().unwrap() >= 60, "{summary}");
}

#[test]
fn docs_finds_changed_missing_and_include_pages() {
    let t = tree();
    let r = json(&[
        "--matrix", &t.matrix, "matrix", "sources", "--docs", &t.docs, "--format", "json",
    ]);
    assert_eq!(r["docs"], t.docs.as_str());
    let c = "ce/channel-integration-framework";
    let unchanged = find(&r, &format!("{c}/choose-between-versions.md"));
    assert_eq!(unchanged["status"], "unchanged");
    assert_eq!(unchanged["ms_date"], "12/10/2024");
    let changed = find(
        &r,
        &format!("{c}/v2/administer/overview-channel-integration-framework.md"),
    );
    assert_eq!(changed["status"], "changed");
    assert_eq!(changed["ms_date"], "01/15/2027");
    let paths = fact_paths(changed);
    assert!(
        paths.iter().any(|p| p.ends_with(": versions[2.0].docs")),
        "{paths:?}"
    );
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with(": dimensions[channels].values[telephony].support.\"2.0\"")),
        "{paths:?}"
    );
    // With and without a locale: one page, the facts of both citations.
    let get = find(
        &r,
        &format!("{c}/v1/administer/get-channel-integration-framework.md"),
    );
    assert_eq!(get["status"], "unchanged");
    assert_eq!(
        get["url"],
        "https://learn.microsoft.com/en-us/dynamics365/channel-integration-framework/v1/administer/get-channel-integration-framework"
    );
    let paths = fact_paths(get);
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with(": versions[1.0].notes[0]")),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"problems.yaml: problems[M6]".to_string()),
        "{paths:?}"
    );
    // The missing FAQ.
    let faq = find(&r, &format!("{c}/faq-channel-integration-framework.md"));
    assert_eq!(faq["status"], "missing");
    assert!(faq["ms_date"].is_null());
    // The include: found, not compared.
    let include = find(&r, &format!("{c}/shared/token-setMode.md"));
    assert_eq!(include["kind"], "include");
    assert_eq!(include["status"], "not-compared");
    assert!(include["ms_date"].is_null());
    assert!(fact_paths(include)
        .iter()
        .any(|p| p.ends_with(": dimensions[panel_modes].values[expanded].support.\"1.0\"")));
    // Outside sources are listed, never missing.
    let issue = r["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["url"]
                == "https://github.com/MicrosoftDocs/dynamics-365-customer-engagement/issues/1711"
        })
        .unwrap();
    assert_eq!(issue["status"], "outside");
    let summary = &r["summary"];
    assert_eq!(summary["changed"], 1, "{summary}");
    assert_eq!(summary["includes"], 1, "{summary}");
    let pages = summary["pages"].as_u64().unwrap();
    // Every page but the three written here is missing.
    assert_eq!(summary["missing"].as_u64().unwrap(), pages - 3, "{summary}");
    assert_eq!(summary["undated"], 0);
}

#[test]
fn docs_text_names_the_changed_page_and_its_facts() {
    let t = tree();
    let (code, out, err) = common::run_binary(
        &[
            "--matrix", &t.matrix, "matrix", "sources", "--docs", &t.docs,
        ],
        None,
        "100",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "Checked against {}: 1 changed after the review,",
            t.docs
        )),
        "{out}"
    );
    let at = out
        .find(&format!(
            "\n{CIF}/v2/administer/overview-channel-integration-framework\n"
        ))
        .expect("changed page");
    let block = &out[at..];
    let block = &block[..block[1..].find("\n\n").map_or(block.len(), |i| i + 1)];
    assert!(block.contains("  file: ce/channel-integration-framework/v2/administer/overview-channel-integration-framework.md\n"), "{block}");
    assert!(
        block.contains("  ms.date 01/15/2027: CHANGED after the review: re-read the facts below\n"),
        "{block}"
    );
    // Each fact with its own review date (the capability was reviewed on
    // 2026-12-07, the version's docs link on the file's date).
    assert!(block.contains(": dimensions[channels].values[telephony].support.\"2.0\" (documented; reviewed 2026-12-07)\n"), "{block}");
    assert!(
        block.contains(": versions[2.0].docs (documented; reviewed 2026-12-02)\n"),
        "{block}"
    );
    assert!(out.contains("  MISSING from the checkout\n"), "{out}");
    assert!(
        out.contains("  an include: no date of its own, not compared\n"),
        "{out}"
    );
}

#[test]
fn a_bad_docs_directory_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, err) = common::run_binary(&["matrix", "sources", "--docs", d], None, "100");
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("error: --docs '{d}' has no ce/ folder;")),
        "{err}"
    );
    let missing = dir.path().join("nope");
    let m = missing.to_str().unwrap();
    let (code, _, err) = common::run_binary(&["matrix", "sources", "--docs", m], None, "100");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with(&format!("error: --docs '{m}' is not a directory;")),
        "{err}"
    );
}

#[test]
fn docs_compares_each_fact_on_its_own_review_date() {
    // A page dated between the file's review (2026-12-02) and the items
    // reviewed in the 2026-12-07 update.
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    // Cited only by the telephony caveat, reviewed 2026-12-07: not changed.
    write(
        &docs,
        "ce/customer-service/administer/voice-channel-bring-your-own-number.md",
        &page("12/05/2026"),
    );
    // Cited by facts of the file's date: changed.
    write(
        &docs,
        "ce/channel-integration-framework/choose-between-versions.md",
        &page("12/05/2026"),
    );
    let r = json(&[
        "matrix",
        "sources",
        "--docs",
        docs.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let voice = find(
        &r,
        "ce/customer-service/administer/voice-channel-bring-your-own-number.md",
    );
    assert_eq!(voice["status"], "unchanged", "{voice}");
    let facts = voice["facts"].as_array().unwrap();
    assert_eq!(facts.len(), 1, "{voice}");
    assert_eq!(
        facts[0]["path"],
        "dimensions[channels].values[telephony].support.\"2.0\".caveat"
    );
    assert_eq!(facts[0]["reviewed"], "2026-12-07");
    let choose = find(
        &r,
        "ce/channel-integration-framework/choose-between-versions.md",
    );
    assert_eq!(choose["status"], "changed", "{choose}");
    assert!(choose["facts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["reviewed"] == "2026-12-02"));
    assert_eq!(r["summary"]["changed"], 1);
    // The rules of `check` are cited too, per case, on the rule's own date.
    let profiles = find(
        &r,
        "ce/customer-service/administer/create-agent-experience-profile.md",
    );
    let r16 = profiles["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "rules[R16].cases[no-profile]")
        .unwrap_or_else(|| panic!("{profiles}"));
    assert_eq!(r16["file"], "check-rules.yaml");
    assert_eq!(r16["basis"], "documented");
    assert_eq!(r16["reviewed"], "2026-12-07");
}

#[test]
fn an_item_review_date_is_checked_like_the_file_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    let first = DATA
        .find("reviewed: \"2026-12-07\"")
        .expect("an item reviewed");
    let mut text = DATA.to_string();
    text.replace_range(first..first + 22, "reviewed: \"2026-12-32\"");
    std::fs::write(&path, text).unwrap();
    let (code, out, err) =
        common::run_binary(&["matrix", "validate", path.to_str().unwrap()], None, "100");
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err,
        format!(
            "error: matrix file '{}': versions[1].notes[1].reviewed: '2026-12-32' is not a date; expected YYYY-MM-DD (format: docs/matrix-format.md)\n",
            path.display()
        )
    );
}
