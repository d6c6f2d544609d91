//! The embedded matrix tested like code: the source page's rows reproduced
//! exactly, every fact sourced, references resolved; and the loader's errors
//! for bad files.

use assert_cmd::Command;
use cif_advisor::matrix::{DimensionKind, Matrix};
use std::collections::BTreeMap;

mod common;

fn embedded() -> Matrix {
    cif_advisor::matrix::embedded().expect("embedded matrix")
}

/// Parses the comparison table of the source page: feature → (1.0 lines, 2.0 lines).
fn source_page_rows() -> Vec<(String, Vec<String>, Vec<String>)> {
    let page = include_str!("fixtures/choose-cif-version.md");
    let split_cell = |cell: &str| -> Vec<String> {
        cell.split("<li>")
            .map(|p| {
                p.replace("<br />", "")
                    .replace("<br>", "")
                    .trim()
                    .to_string()
            })
            .filter(|p| !p.is_empty())
            .collect()
    };
    page.lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|Feature|") && !l.starts_with("|---"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').collect();
            (
                cells[0].trim().to_string(),
                split_cell(cells[1]),
                split_cell(cells[2]),
            )
        })
        .collect()
}

#[test]
fn the_source_pages_six_rows_are_reproduced_exactly() {
    let matrix = embedded();
    let page = source_page_rows();
    assert_eq!(page.len(), 6, "the fixture's table has six rows");
    let from_page: Vec<_> = matrix.rows.iter().filter(|r| r.from_source_page).collect();
    assert_eq!(from_page.len(), 6);
    for (i, (feature, v1, v2)) in page.iter().enumerate() {
        let row = &matrix.rows[i];
        assert_eq!(&row.feature, feature, "row {i} is the page's row {i}");
        assert!(row.from_source_page);
        assert_eq!(&*row.values["1.0"].0, v1, "{feature}: 1.0");
        assert_eq!(&*row.values["2.0"].0, v2, "{feature}: 2.0");
        assert!(row.source.ends_with("/choose-between-versions"));
    }
    // Further sourced rows follow.
    assert!(matrix.rows.len() > 6);
    for row in &matrix.rows[6..] {
        assert!(!row.from_source_page);
    }
    let features: Vec<&str> = matrix.rows.iter().map(|r| r.feature.as_ref()).collect();
    for extra in [
        "Channel types",
        "Government Community Cloud (GCC)",
        "Licensing and prerequisites",
        "Where the provider is configured",
        "Browsers",
        "Sessions per agent",
        "Presence sync",
    ] {
        assert!(features.contains(&extra), "missing row {extra}");
    }
}

fn is_source(link: &str) -> bool {
    link.starts_with("https://learn.microsoft.com/") || link.starts_with("https://github.com/")
}

#[test]
fn every_fact_carries_a_source_link() {
    let m = embedded();
    let mut facts = 0;
    for v in &m.versions {
        assert!(is_source(&v.docs), "{}", v.docs);
        for n in &v.notes {
            assert!(is_source(&n.source), "{}", n.text);
            facts += 1;
        }
    }
    for a in &m.apps {
        for n in &a.notes {
            assert!(is_source(&n.source), "{}", n.text);
            facts += 1;
        }
        for (ver, c) in &a.support {
            assert!(is_source(&c.source), "{} {ver}", a.id);
            assert!(c.see_also.iter().all(|s| is_source(s)));
            facts += 1;
        }
    }
    for d in &m.dimensions {
        for c in d.support.values() {
            assert!(is_source(&c.source), "{}", d.key);
            facts += 1;
        }
        for v in &d.values {
            for (ver, c) in &v.support {
                assert!(is_source(&c.source), "{}.{} {ver}", d.key, v.id);
                facts += 1;
            }
        }
    }
    for r in &m.rows {
        assert!(is_source(&r.source), "{}", r.feature);
        facts += 1;
    }
    assert!(facts >= 90, "{facts} facts");
    assert!(cif_advisor::dates::parse_date(&m.reviewed).is_some());
}

#[test]
fn the_spec_dimensions_and_apps_are_all_there() {
    let m = embedded();
    let keys: Vec<&str> = m.dimensions.iter().map(|d| d.key.as_ref()).collect();
    for k in [
        "session",
        "apps",
        "providers",
        "analytics",
        "channels",
        "panel_side",
        "panel_modes",
        "templates",
        "presence",
        "cloud",
        "client",
        "deployment",
    ] {
        assert!(keys.contains(&k), "missing dimension {k}");
    }
    let apps: Vec<&str> = m.apps.iter().map(|a| a.id.as_ref()).collect();
    for a in [
        "customer-service",
        "sales",
        "project-service",
        "field-service",
        "cs-workspace",
        "omnichannel",
    ] {
        assert!(apps.contains(&a), "missing app {a}");
    }
    let csw = m.app("cs-workspace").unwrap();
    assert_eq!(csw.name, "Copilot Service workspace");
    assert!(csw
        .aliases
        .iter()
        .any(|a| a == "Customer Service workspace"));
    // The app's state comes from its lifecycle dates: removed in June 2024.
    assert_eq!(m.app("omnichannel").unwrap().state.as_str(), "active");
    let mut dated = m.clone();
    cif_advisor::engine::dated::apply(&mut dated, (2026, 12, 7));
    assert_eq!(dated.app("omnichannel").unwrap().state.as_str(), "removed");
    cif_advisor::engine::dated::apply(&mut dated, (2024, 1, 15));
    let mut before = m.clone();
    cif_advisor::engine::dated::apply(&mut before, (2024, 1, 15));
    assert_eq!(
        before.app("omnichannel").unwrap().state.as_str(),
        "deprecated"
    );
    assert_eq!(m.preference, ["2.0", "1.0"]);
    // Unconfirmed and conflicting capabilities are marked so.
    let gcc = m
        .dimension("cloud")
        .unwrap()
        .values
        .iter()
        .find(|v| v.id == "gcc")
        .unwrap();
    assert_eq!(gcc.support["1.0"].status.as_str(), "conflicting");
    let mobile = m
        .dimension("client")
        .unwrap()
        .values
        .iter()
        .find(|v| v.id == "mobile")
        .unwrap();
    assert_eq!(mobile.support["1.0"].status.as_str(), "unconfirmed");
    assert_eq!(mobile.support["2.0"].status.as_str(), "no");
    assert_eq!(m.dimension("apps").unwrap().kind, DimensionKind::Apps);
}

#[test]
fn the_embedded_form_equals_the_yaml_file() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/cif-matrix.yaml"))
            .unwrap();
    let parsed = Matrix::from_yaml(&text, "data/cif-matrix.yaml").unwrap();
    assert_eq!(parsed, embedded());
}

fn run_with_matrix(content: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.yaml");
    std::fs::write(&path, content).unwrap();
    let (code, _, stderr) = common::run_binary(
        &["--matrix", path.to_str().unwrap(), "compare"],
        None,
        "100",
    );
    (code, stderr)
}

fn embedded_text() -> String {
    cif_advisor::matrix::EMBEDDED_YAML.to_string()
}

#[test]
fn a_yaml_syntax_error_names_the_file_line_and_column() {
    let bad = embedded_text().replacen(
        "preference: [\"2.0\", \"1.0\"]",
        "preference: [\"2.0\", \"1.0\"",
        1,
    );
    let (code, err) = run_with_matrix(&bad);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: matrix file '"), "{err}");
    assert!(err.contains("m.yaml"), "{err}");
    assert!(err.contains("line "), "{err}");
    assert!(err.contains("column "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_wrong_type_names_the_field_path_and_what_is_expected() {
    let bad = embedded_text().replacen("status: \"yes\"", "status: maybe", 1);
    let (code, err) = run_with_matrix(&bad);
    assert_eq!(code, 1);
    assert!(err.contains("apps[0].support.1.0.status"), "{err}");
    assert!(err.contains("unknown variant `maybe`"), "{err}");
    assert!(
        err.contains("expected one of `yes`, `no`, `unconfirmed`, `conflicting`"),
        "{err}"
    );
}

#[test]
fn an_unknown_key_is_rejected_with_its_name() {
    let bad = embedded_text().replacen(
        "schema_version: 3",
        "schema_version: 3\nreviwed: \"2026-01-01\"",
        1,
    );
    let (code, err) = run_with_matrix(&bad);
    assert_eq!(code, 1);
    assert!(err.contains("unknown field `reviwed`"), "{err}");
    assert!(err.contains("expected one of"), "{err}");
}

#[test]
fn a_duplicate_id_is_rejected() {
    let bad = embedded_text().replacen("  - id: project-service\n", "  - id: sales\n", 1);
    let (code, err) = run_with_matrix(&bad);
    assert_eq!(code, 1);
    assert!(err.contains("duplicate"), "{err}");
    assert!(err.contains("'sales'"), "{err}");
    assert!(err.contains("apps[2]"), "{err}");
}

#[test]
fn a_dangling_version_reference_is_rejected() {
    let bad = embedded_text().replacen(
        "preference: [\"2.0\", \"1.0\"]",
        "preference: [\"2.0\", \"1.5\"]",
        1,
    );
    let (code, err) = run_with_matrix(&bad);
    assert_eq!(code, 1);
    assert!(
        err.contains("preference[1]: unknown version '1.5'"),
        "{err}"
    );
}

#[test]
fn a_version_left_undescribed_is_rejected() {
    let text = embedded_text();
    // Drop 2.0 from the analytics dimension.
    let start = text.find("  - key: analytics").unwrap();
    let two = start + text[start..].find("      \"2.0\":").unwrap();
    let end = two + text[two..].find("\n\n").unwrap();
    let bad = format!("{}{}", &text[..two], &text[end..]);
    let (code, err) = run_with_matrix(&bad);
    assert_eq!(code, 1);
    assert!(err.contains("version '2.0' is not described"), "{err}");
}

#[test]
fn an_empty_version_list_is_rejected() {
    let m = embedded();
    let mut bad = m.clone();
    bad.versions.clear();
    assert!(matches!(
        cif_advisor::matrix::validate::validate(&bad),
        Err(cif_advisor::matrix::ValidationError::NoVersions)
    ));
}

#[test]
fn a_missing_file_is_named() {
    let (code, _, err) =
        common::run_binary(&["--matrix", "/nonexistent/m.yaml", "compare"], None, "100");
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        "error: matrix file cannot read '/nonexistent/m.yaml': no such file; check --matrix or CIF_ADVISOR_MATRIX"
    );
}

#[test]
fn the_environment_variable_replaces_the_matrix() {
    let out = Command::cargo_bin("cif-advisor")
        .unwrap()
        .arg("compare")
        .env("CIF_ADVISOR_MATRIX", "/nonexistent/env.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/env.yaml"));
}

#[test]
fn runs_from_an_empty_directory_with_no_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("cif-advisor")
        .unwrap()
        .current_dir(dir.path())
        .args(["compare", "--format", "json"])
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["rows"][0]["feature"], "Session");
}

#[test]
fn compare_json_has_the_documented_shape() {
    let (_, stdout, _) = common::run_binary(&["compare", "--format", "json"], None, "100");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let versions: Vec<&str> = json["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1.0", "2.0"]);
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), embedded().rows.len());
    let modes = &rows[4];
    assert_eq!(modes["feature"], "Communication panel modes");
    assert_eq!(
        modes["values"]["1.0"],
        serde_json::json!(["Minimized", "Expanded"])
    );
    assert_eq!(
        modes["values"]["2.0"],
        serde_json::json!(["Docked", "Minimized", "Hidden"])
    );
    let mut keys: BTreeMap<&str, ()> = BTreeMap::new();
    for k in rows[0].as_object().unwrap().keys() {
        keys.insert(k, ());
    }
    assert!(
        keys.contains_key("feature") && keys.contains_key("values") && keys.contains_key("source")
    );
}

/// Every data file's text, as embedded.
const DATA_FILES: [(&str, &str); 4] = [
    ("cif-matrix.yaml", include_str!("../data/cif-matrix.yaml")),
    ("api.yaml", include_str!("../data/api.yaml")),
    ("migrate.yaml", include_str!("../data/migrate.yaml")),
    ("problems.yaml", include_str!("../data/problems.yaml")),
];

#[test]
fn no_fact_without_a_source_and_a_basis() {
    use cif_advisor::matrix::validate::Shape;
    for (name, text) in DATA_FILES {
        let shape: Shape = cif_advisor::yaml::from_str_borrowed(text).expect(name);
        assert_eq!(shape.first_without_basis(), None, "{name}");
        // Each basis is one of the two words, and each sits beside a source.
        let mut sources = 0;
        let mut bases = 0;
        for line in text.lines() {
            let t = line.trim_start();
            if t.starts_with("source:") || t.starts_with("sources:") {
                sources += 1;
            }
            if let Some(rest) = t.strip_prefix("basis:") {
                assert!(
                    ["documented", "inferred"].contains(&rest.trim()),
                    "{name}: {line}"
                );
                bases += 1;
            }
        }
        assert_eq!(sources, bases, "{name}: one basis per source");
    }
    // The typed matrix: the inferred facts are the ones the update names.
    let m = embedded();
    let csw = m.app("cs-workspace").unwrap();
    assert_eq!(csw.support["1.0"].status.as_str(), "no");
    assert_eq!(csw.support["1.0"].basis.as_str(), "inferred");
    assert_eq!(csw.support["2.0"].basis.as_str(), "documented");
}

#[test]
fn a_source_without_a_basis_is_rejected_with_its_path() {
    let bad = embedded_text().replacen(
        "        source: https://learn.microsoft.com/dynamics365/channel-integration-framework/v1/administer/get-channel-integration-framework\n        basis: documented\n",
        "        source: https://learn.microsoft.com/dynamics365/channel-integration-framework/v1/administer/get-channel-integration-framework\n",
        1,
    );
    assert_ne!(bad, embedded_text());
    let (code, err) = run_with_matrix(&bad);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("versions[0].notes[0]: a fact with a source but no basis"),
        "{err}"
    );
    assert!(err.contains("add `basis: documented`"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// The embedded matrix as a schema-1 file: no `basis` anywhere.
fn version_one_text() -> String {
    embedded_text()
        .replacen("schema_version: 3", "schema_version: 1", 1)
        .lines()
        .filter(|l| !l.trim_start().starts_with("basis:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn a_schema_one_matrix_loads_with_its_basis_not_stated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.yaml");
    std::fs::write(&path, version_one_text()).unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = common::run_binary(
        &[
            "--matrix",
            p,
            "recommend",
            "--app",
            "cs-workspace",
            "--format",
            "json",
        ],
        None,
        "100",
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for e in v["evaluations"].as_array().unwrap() {
        for c in e["checks"].as_array().unwrap() {
            assert!(c["basis"].is_null(), "{c}");
            assert!(
                c["reason"]
                    .as_str()
                    .unwrap()
                    .ends_with(" (basis not stated)"),
                "{c}"
            );
        }
    }
    let caveats = v["caveats"].to_string();
    assert!(caveats.contains("(basis not stated)"), "{caveats}");
    let (code, out, err) = common::run_binary(&["matrix", "validate", p], None, "100");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(schema 1,"), "{out}");
    assert!(
        out.contains("lint: schema_version: 1 states no basis for its facts"),
        "{out}"
    );
}

#[test]
fn checks_and_caveats_name_their_basis() {
    let (code, out, err) = common::run_binary(
        &["recommend", "--app", "cs-workspace", "--format", "json"],
        None,
        "100",
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let one = v["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["version"] == "1.0")
        .unwrap();
    let check = &one["checks"][0];
    assert_eq!(check["requirement"], "apps");
    assert_eq!(check["status"], "fail");
    assert_eq!(check["basis"], "inferred");
    assert!(
        check["reason"].as_str().unwrap().ends_with(
            " (inferred from choose-between-versions, migrate-config-data, faq-channel-integration-framework)"
        ),
        "{check}"
    );
    let two = v["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["version"] == "2.0")
        .unwrap();
    assert_eq!(two["checks"][0]["basis"], "documented");
    // An inferred caveat says so (the Sales Hub Dialer and the 1.0 provider slot).
    let (code, out, err) = common::run_binary(
        &["recommend", "--app", "sales", "--format", "json"],
        None,
        "100",
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let caveats = v["caveats"].to_string();
    assert!(
        caveats.contains("compete for the same provider slot in Sales Hub (the Channel Order decides which one shows); no page says how the two coexist. (inferred from choose-between-versions)"),
        "{caveats}"
    );
    // Text (-v shows the version that does not fit): the inferred reason says so.
    let (_, text, _) =
        common::run_binary(&["recommend", "--app", "cs-workspace", "-v"], None, "200");
    assert!(
        text.contains("(inferred from\n    choose-between-versions, migrate-config-data"),
        "{text}"
    );
}

#[test]
fn every_field_problem_is_reported_with_its_path_and_a_structural_one_stops() {
    let text = embedded_text();
    // Two field problems: both, in file order, each with its path.
    let m = embedded();
    let bad = text
        .replacen(
            &format!("\nreviewed: \"{}\"", m.reviewed),
            "\nreviewed: \"2026-02-31\"",
            1,
        )
        .replacen("docs: https://", "docs: http://", 1);
    let (code, err) = run_with_matrix(&bad);
    assert_eq!(code, 1, "{err}");
    let reviewed = err
        .find("reviewed: '2026-02-31' is not a date")
        .expect(&err);
    let docs = err
        .find("versions[0].docs: 'http://")
        .unwrap_or_else(|| panic!("both problems: {err}"));
    assert!(reviewed < docs, "in file order: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");

    // A duplicate version id stops the check there: what follows would only
    // repeat it (every later reference to the renamed version).
    let (first, second) = (&m.versions[0].id, &m.versions[1].id);
    let dup = text.replacen(
        &format!("- id: \"{second}\""),
        &format!("- id: \"{first}\""),
        1,
    );
    let (code, err) = run_with_matrix(&dup);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "versions[1].id: duplicate version '{first}'; ids must be unique"
        )),
        "{err}"
    );
    assert!(!err.contains("unknown version"), "{err}");
}

/// Lifecycle dates and combinations are checked: real dates, in
/// order, a subject the matrix has, no subject dated twice, a `when` on
/// known keys and values; each problem named by its path.
#[test]
fn bad_dates_and_combinations_are_named_by_their_path() {
    let cases: [(&str, &str, &str); 7] = [
        (
            "    deprecated: 2023-04\n    removed: 2024-06\n",
            "    deprecated: 2023-04\n    removed: 2024-13\n",
            "lifecycle[0].removed: '2024-13' is not a date",
        ),
        (
            "    deprecated: 2026-04-01\n    end_of_support: 2027-04\n",
            "    deprecated: 2028-04-01\n    end_of_support: 2027-04\n",
            "lifecycle[1].end_of_support: '2027-04' comes before deprecated",
        ),
        (
            "  - subject: host=usd\n",
            "  - subject: host=usb\n",
            "lifecycle[1].subject: 'host=usb' names nothing in the matrix",
        ),
        (
            "  - subject: api=setClickToAct\n",
            "  - subject: apps=omnichannel\n",
            "lifecycle[2].subject: 'apps=omnichannel' is dated twice (also lifecycle[0])",
        ),
        (
            "    when: {presence: true, providers: {min: 2}}\n",
            "    when: {presense: true, providers: {min: 2}}\n",
            "combinations[0].when.presense: unknown requirement 'presense'",
        ),
        (
            "    when: {presence: true, providers: {min: 2}}\n",
            "    when: {presence: true, channels: [video]}\n",
            "combinations[0].when.channels: unknown value 'video'",
        ),
        (
            "    when: {presence: true, providers: {min: 2}}\n",
            "    when: {presence: true}\n",
            "combinations[0].when: a combination needs at least two conditions",
        ),
    ];
    for (good, bad, says) in cases {
        let text = embedded_text();
        assert!(text.contains(good), "the test's anchor moved: {good}");
        let (code, err) = run_with_matrix(&text.replacen(good, bad, 1));
        assert_eq!(code, 1, "{bad}: {err}");
        assert!(err.contains(says), "{bad}: expected {says:?} in {err}");
    }
}

/// `limited` needs its `limit` sentence, and only `limited` has one.
#[test]
fn a_limited_cell_states_its_limit() {
    let text = embedded_text();
    let anchor = "      \"2.0\":\n        status: limited\n        fact: CIF 2.0 syncs presence";
    assert!(text.contains(anchor));
    let without = text.replacen(
        "        limit: >-\n          \"User presence synchronization across providers isn't supported\": each\n          provider's presence stays its own.\n",
        "",
        1,
    );
    assert_ne!(without, text, "the test's anchor moved");
    let (code, err) = run_with_matrix(&without);
    assert_eq!(code, 1);
    assert!(
        err.contains("combinations[0].support.2.0.limit: a `limited` capability needs `limit:`"),
        "{err}"
    );
}
