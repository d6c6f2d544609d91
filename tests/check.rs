//! `cif-advisor check`: the readers, every rule on a fixture that breaks it
//! and on one that does not, the output formats (every JSON validated
//! against docs/check-schema.json), the exit codes and the bad inputs.

mod common;

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(rel)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    // No COLUMNS: unwrapped, one line per item, as into a pipe.
    common::run_binary(&all, None, "")
}

fn schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check-schema.json"),
        )
        .expect("docs/check-schema.json");
        let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
        jsonschema::validator_for(&schema).expect("a valid JSON Schema")
    })
}

/// Runs check with `--format json`, validates the output against the
/// schema, and checks the exit code agrees with the JSON.
fn run_json(args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    let value: Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON output ({e}): {out}"));
    let errors: Vec<String> = schema()
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "output breaks docs/check-schema.json: {errors:?}\n{out}"
    );
    assert_eq!(value["exit_code"], json!(code), "{out}");
    (code, value, err)
}

/// The (rule, case, severity) of every finding.
fn findings(v: &Value) -> Vec<(String, String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["case"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(v: &Value, rule: &str, case: &str, severity: &str) -> bool {
    findings(v)
        .iter()
        .any(|(r, c, s)| r == rule && c == case && s == severity)
}

fn has_rule(v: &Value, rule: &str) -> bool {
    findings(v).iter().any(|(r, _, _)| r == rule)
}

fn errors_and_warnings(v: &Value) -> Vec<(String, String, String)> {
    findings(v)
        .into_iter()
        .filter(|(_, _, s)| s != "info")
        .collect()
}

fn load(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(rel)).unwrap()).unwrap()
}

/// A set of export files in a temporary directory.
struct Export {
    dir: tempfile::TempDir,
    files: Vec<(String, Value)>,
}

impl Export {
    fn v1() -> Export {
        Export::of(&[
            "v1-clean/msdyn_ciproviders.json",
            "v1-clean/appmodules.json",
            "v1-clean/roles.json",
        ])
    }
    fn v2() -> Export {
        Export::of(&[
            "v2-clean/msdyn_channelproviders.json",
            "v2-clean/msdyn_appconfigurations.json",
            "v2-clean/msdyn_appprofilerolemappings.json",
            "v1-clean/roles.json",
        ])
    }
    fn of(rels: &[&str]) -> Export {
        Export {
            dir: tempfile::tempdir().unwrap(),
            files: rels
                .iter()
                .map(|r| {
                    (
                        Path::new(r)
                            .file_name()
                            .unwrap()
                            .to_string_lossy()
                            .into_owned(),
                        load(r),
                    )
                })
                .collect(),
        }
    }
    fn table(&mut self, file_prefix: &str) -> &mut Vec<Value> {
        let (_, v) = self
            .files
            .iter_mut()
            .find(|(n, _)| n.starts_with(file_prefix))
            .expect("file");
        v["value"].as_array_mut().unwrap()
    }
    /// Sets a column of the first row of a file.
    fn set(mut self, file_prefix: &str, column: &str, value: Value) -> Export {
        self.table(file_prefix)[0][column] = value;
        self
    }
    /// Adds a copy of the first row with other values.
    fn add_row(mut self, file_prefix: &str, changes: &[(&str, Value)]) -> Export {
        let rows = self.table(file_prefix);
        let mut row = rows[0].clone();
        for (k, v) in changes {
            row[*k] = v.clone();
        }
        rows.push(row);
        self
    }
    /// Adds a second 1.0 provider, "Fabrikam Phone", a copy of the first
    /// with other values.
    fn second_provider(self, changes: &[(&str, Value)]) -> Export {
        let mut row = vec![
            (
                "msdyn_ciproviderid",
                json!("5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b702"),
            ),
            ("msdyn_name", json!("Fabrikam Phone")),
        ];
        row.extend_from_slice(changes);
        self.add_row("msdyn_ciproviders", &row)
    }
    fn paths(&self) -> Vec<String> {
        self.files
            .iter()
            .map(|(name, v)| {
                let p = self.dir.path().join(name);
                std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
                p.display().to_string()
            })
            .collect()
    }
    fn check(&self, extra: &[&str]) -> (i32, Value) {
        let paths = self.paths();
        let mut args: Vec<&str> = extra.to_vec();
        args.extend(paths.iter().map(String::as_str));
        let (code, v, _) = run_json(&args);
        (code, v)
    }
}

const SALES: &str = "3f6b1a2c-4d5e-4f60-8a71-92b3c4d5e601";
const CSW: &str = "3f6b1a2c-4d5e-4f60-8a71-92b3c4d5e602";
const V1_URL: &str = "https://cti.contoso.example/widget?ucilib=https://contoso.crm.dynamics.com/webresources/Widget/msdyn_ciLibrary.js";
const PROFILE: &str = "9a1e5f32-6b7c-4d8e-9f0a-1b2c3d4e5f01";

// ------------------------------------------------------------ clean

#[test]
fn clean_configurations_of_each_version_have_no_error_and_no_warning() {
    for set in [
        vec![
            "v1-clean/msdyn_ciproviders.json",
            "v1-clean/appmodules.json",
            "v1-clean/roles.json",
        ],
        vec![
            "v2-clean/msdyn_channelproviders.json",
            "v2-clean/msdyn_appconfigurations.json",
            "v2-clean/msdyn_appprofilerolemappings.json",
        ],
        vec!["mixed-org/contoso-bundle.json"],
        vec!["cmt/data.xml"],
    ] {
        let paths: Vec<String> = set.iter().map(|r| fixture(r)).collect();
        let mut args: Vec<&str> = vec!["--strict"];
        args.extend(paths.iter().map(String::as_str));
        let (code, v, err) = run_json(&args);
        assert_eq!(code, 0, "{set:?}: {v}");
        assert!(err.is_empty(), "{err}");
        assert!(
            errors_and_warnings(&v).is_empty(),
            "{set:?}: {:?}",
            findings(&v)
        );
        // With every table the rules need, not even an info; the CMT file
        // alone lacks appmodules and roles, and says so.
        if set[0].starts_with("cmt/") {
            assert!(
                findings(&v).iter().all(|(r, _, _)| r == "X03"),
                "{:?}",
                findings(&v)
            );
        } else {
            assert!(findings(&v).is_empty(), "{set:?}: {:?}", findings(&v));
        }
    }
    // The six sandbox defaults: R18 holds.
    let (_, v) = Export::v1()
        .set(
            "msdyn_ciproviders",
            "msdyn_sandboxconfiguration",
            json!("allow-forms,allow-popups,allow-scripts,allow-same-origin,allow-modals,allow-downloads"),
        )
        .check(&[]);
    assert!(findings(&v).is_empty(), "{:?}", findings(&v));
}

#[test]
fn the_mixed_org_bundle_is_read_table_by_table() {
    let (code, v, _) = run_json(&[&fixture("mixed-org/contoso-bundle.json")]);
    assert_eq!(code, 0);
    assert_eq!(
        v["records"],
        json!({"msdyn_ciproviders": 1, "msdyn_channelproviders": 1, "msdyn_appconfigurations": 1,
               "msdyn_appprofilerolemappings": 1, "appmodules": 3, "roles": 2})
    );
    assert_eq!(v["files"][0]["format"], "web-api-json");
    assert_eq!(v["files"][0]["org"], "https://contoso.crm.dynamics.com");
    // Clean, with every table given: no finding at all.
    assert!(findings(&v).is_empty(), "{:?}", findings(&v));
}

#[test]
fn text_output_groups_by_record_with_fix_and_source() {
    let files: Vec<String> = [
        "msdyn_ciproviders.json",
        "msdyn_channelproviders.json",
        "appmodules.json",
        "roles.json",
    ]
    .iter()
    .map(|f| fixture(&format!("other-environment/{f}")))
    .collect();
    let mut args = vec![];
    args.extend(files.iter().map(String::as_str));
    let (code, out, err) = run(&args);
    assert_eq!(code, 3, "{out}{err}");
    assert!(out.starts_with("Checked 4 of 4 files: 1 msdyn_ciproviders, 1 msdyn_channelproviders, 3 appmodules, 2 roles\n"), "{out}");
    assert!(out.contains("Result: 3 errors, 0 warnings, "), "{out}");
    assert!(out.contains("\nCIF 1.0 provider \"Contoso Phone\" (5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b701)\n  error   R15 "), "{out}");
    assert!(out.contains("  error   R20 Widget library (ucilib) or org URL from another environment: ucilib= in msdyn_landingurl loads the library from contoso-dev.crm4.dynamics.com, but the export is from https://contoso.crm.dynamics.com\n"), "{out}");
    assert!(
        out.contains(
            "          fix: An organisation URL in the Channel URL's parameters (ucilib=, base="
        ),
        "{out}"
    );
    assert!(out.contains("          basis: documented\n          source: https://learn.microsoft.com/dynamics365/channel-integration-framework/v2/administer/pass-url-widget-library\n          source: https://learn.microsoft.com/dynamics365/channel-integration-framework/v2/administer/add-cif-solution-dependent-solution\n"), "{out}");
    // Within a record by rule; the records with errors before the infos.
    let record = out
        .split("CIF 1.0 provider \"Contoso Phone\"")
        .nth(1)
        .unwrap();
    assert!(
        record.find("error   R15").unwrap() < record.find("error   R20").unwrap(),
        "{out}"
    );
    assert!(
        out.find("CIF 2.0 provider \"Contoso Voice\"").unwrap()
            < out
                .find("\nThe configuration as a whole\n  info    X03 ")
                .unwrap(),
        "{out}"
    );
}

#[test]
fn markdown_is_a_review_with_checkboxes() {
    let files: Vec<String> = ["msdyn_ciproviders.json", "appmodules.json", "roles.json"]
        .iter()
        .map(|f| fixture(&format!("other-environment/{f}")))
        .collect();
    let mut args = vec!["--format", "markdown"];
    args.extend(files.iter().map(String::as_str));
    let (code, out, _) = run(&args);
    assert_eq!(code, 3);
    assert!(
        out.starts_with("# CIF channel-provider configuration review\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "| Result | 2 errors, 0 warnings, 0 infos — fix the errors before the change (exit 3) |"
        ),
        "{out}"
    );
    assert!(out.contains("## To fix\n"), "{out}");
    assert!(
        out.contains(
            "- [ ] **error R20** Widget library (ucilib) or org URL from another environment: "
        ),
        "{out}"
    );
    assert!(
        out.contains("  - Basis: documented; sources: <https://learn.microsoft.com/"),
        "{out}"
    );
    assert!(!out.contains("## Notes"), "{out}");
    // A clean configuration: nothing to fix, the infos as notes.
    let (code, out, _) = run(&[
        "--format",
        "markdown",
        &fixture("v1-clean/msdyn_ciproviders.json"),
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "| Result | 0 errors, 0 warnings, 2 infos — no error-level finding (exit 0) |"
        ),
        "{out}"
    );
    assert!(
        out.contains("## To fix\n\nNothing: no error and no warning.\n"),
        "{out}"
    );
    assert!(
        out.contains("## Notes\n\n### The configuration as a whole\n"),
        "{out}"
    );
}

// ------------------------------------------------------------ rules

/// An export that breaks a rule, with the rule, case and severity it gets.
type RuleCase = (Export, &'static str, &'static str, &'static str);

/// Each case: the clean export does not have it, the broken one does (and
/// exits 3 for an error, else 0).
fn break_and_hold(clean: &Value, cases: Vec<RuleCase>) {
    for (export, rule, case, severity) in cases {
        assert!(
            !has(clean, rule, case, severity),
            "clean export has {rule}/{case}"
        );
        let (code, v) = export.check(&[]);
        assert!(
            has(&v, rule, case, severity),
            "{rule}/{case}/{severity} not found: {:?}",
            findings(&v)
        );
        let error = findings(&v).iter().any(|(_, _, s)| s == "error");
        assert_eq!(code, if error { 3 } else { 0 }, "{rule}/{case}");
    }
}

/// Each rule: the clean export does not have it; the broken one does.
#[test]
fn v1_rules_break_and_hold() {
    let (code, clean) = Export::v1().check(&[]);
    assert_eq!(code, 0);
    break_and_hold(&clean, v1_cases());
}

#[test]
fn v1_rule_edges() {
    // R01 as a warning only when R02 does not fire, and R02 alongside the error.
    let (_, v) = Export::v1()
        .set("msdyn_ciproviders", "msdyn_ciproviderapiversion", json!(1))
        .set("msdyn_ciproviders", "msdyn_appselector", json!(CSW))
        .check(&[]);
    assert!(
        has(&v, "R02", "multisession-app", "error") && !has(&v, "R01", "api-version-2", "warning")
    );
    // An equal Channel Order is an error on both providers.
    let (_, v) = Export::v1().second_provider(&[]).check(&[]);
    assert_eq!(
        findings(&v).iter().filter(|(r, _, _)| r == "R08").count(),
        2
    );
    // An inactive second provider in the same app is not counted (R08 holds).
    let (_, v) = Export::v1()
        .add_row(
            "msdyn_ciproviders",
            &[
                (
                    "msdyn_ciproviderid",
                    json!("5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b702"),
                ),
                ("statecode", json!(1)),
                ("msdyn_appselector", json!("")),
            ],
        )
        .check(&[]);
    assert!(
        !has_rule(&v, "R08") && errors_and_warnings(&v).is_empty(),
        "{:?}",
        findings(&v)
    );
    assert!(V1_URL.contains("ucilib"));
}

/// An export that breaks each v1 rule, with the rule, case and severity.
fn v1_cases() -> Vec<RuleCase> {
    let long = format!("https://cti.contoso.example/{}", "a".repeat(1100));
    vec![
        (Export::v1().set("msdyn_ciproviders", "msdyn_ciproviderapiversion", json!(1)), "R01", "api-version-2", "warning"),
        (
            Export::v1()
                .set("msdyn_ciproviders", "msdyn_ciproviderapiversion", json!(1))
                .set("msdyn_ciproviders", "msdyn_appselector", json!(CSW)),
            "R01",
            "api-version-2-multisession",
            "error",
        ),
        (Export::v1().set("msdyn_ciproviders", "msdyn_appselector", json!(format!("{SALES};{CSW}"))), "R02", "multisession-app", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_appselector", json!(format!("{SALES}, {CSW}"))), "R02", "multisession-app", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_landingurl", json!("http://cti.contoso.example/widget")), "R03", "not-https", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_landingurl", json!("cti.contoso.example/widget")), "R04", "not-absolute", "warning"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_landingurl", json!("https://localhost:8443/widget")), "R04", "developer-host", "warning"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_landingurl", json!("https://10.1.2.3/widget")), "R04", "host", "warning"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_landingurl", json!(long)), "R04", "too-long", "warning"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_trusteddomain", json!("contoso.com")), "R05", "no-scheme", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_trusteddomain", json!("https://login*.contoso.example")), "R06", "misplaced", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_trusteddomain", json!("https://*.contoso.example")), "R06", "leading", "warning"),
        (
            Export::v1().set("msdyn_ciproviders", "msdyn_trusteddomain", json!("https://a.contoso.example;https://b.contoso.example")),
            "R07",
            "several",
            "error",
        ),
        (
            Export::v1().second_provider(&[("msdyn_sortorder", json!(5))]),
            "R08",
            "shadowed",
            "warning",
        ),
        (
            Export::v1().second_provider(&[]),
            "R08",
            "equal-order",
            "error",
        ),
        (Export::v1().set("msdyn_ciproviders", "msdyn_sortorder", json!(1001)), "R09", "channel-order", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_sortorder", json!(-1)), "R09", "channel-order", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_ciproviderapiversion", json!(7)), "R13", "v1-value", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_roleselector", json!("")), "R14", "no-roles", "warning"),
        (
            Export::v1().set("msdyn_ciproviders", "msdyn_roleselector", json!("00000000-1111-4222-8333-444444444444")),
            "R14",
            "unknown-role",
            "warning",
        ),
        (Export::v1().set("msdyn_ciproviders", "msdyn_appselector", json!("")), "R15", "no-apps", "error"),
        (
            Export::v1().set("msdyn_ciproviders", "msdyn_appselector", json!("{0B9F8E7D-6C5B-4A39-8281-7F6E5D4C3B2A}")),
            "R15",
            "unknown-app",
            "error",
        ),
        (Export::v1().set("msdyn_ciproviders", "statecode", json!(1)), "R17", "inactive-provider", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_sandboxconfiguration", json!("allow-scripts allow-forms")), "R18", "space-separated", "warning"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_sandboxconfiguration", json!("allow-scripts,allow-forms")), "R18", "missing-defaults", "warning"),
        (
            Export::v1().set(
                "msdyn_ciproviders",
                "msdyn_sandboxconfiguration",
                json!("allow-forms,allow-popups,allow-scripts,allow-same-origin,allow-modals,allow-downloads,allow-everything"),
            ),
            "R18",
            "unknown-token",
            "error",
        ),
        (
            Export::v1().set(
                "msdyn_ciproviders",
                "msdyn_landingurl",
                json!("https://cti.contoso.example/widget?ucilib=https%3A%2F%2Fcontoso.crm.dynamics.com%2Fwebresources%2Fcif.js"),
            ),
            "R20",
            "library-path",
            "error",
        ),
        (
            Export::v1().set(
                "msdyn_ciproviders",
                "msdyn_landingurl",
                json!("https://cti.contoso.example/widget?lang=en&ucilib=https://fabrikam.crm.dynamics.com/webresources/Widget/msdyn_ciLibrary.js"),
            ),
            "R20",
            "other-org",
            "error",
        ),
        (Export::v1().set("msdyn_ciproviders", "msdyn_enableanalytics", json!(true)), "R21", "v1-analytics", "info"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_customparams", json!("{\"region\": eu")), "R22", "bad-json", "warning"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_customparams", json!("{\"password\":\"hunter2\"}")), "R22", "secret", "warning"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_customparams", json!("x".repeat(2001))), "R22", "too-long", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_name", json!("")), "R26", "empty", "error"),
        (Export::v1().set("msdyn_ciproviders", "msdyn_label", json!("L".repeat(101))), "R26", "too-long", "error"),
    ]
}

#[test]
fn v2_rules_break_and_hold() {
    let (code, clean) = Export::v2().check(&[]);
    assert_eq!(code, 0, "{clean}");
    assert!(errors_and_warnings(&clean).is_empty());
    break_and_hold(&clean, v2_cases());
}

#[test]
fn v2_rule_edges() {
    // Different ranks for the same role: R23 holds.
    let (_, v) = Export::v2()
        .add_row(
            "msdyn_appconfigurations",
            &[
                (
                    "msdyn_appconfigurationid",
                    json!("9a1e5f32-6b7c-4d8e-9f0a-1b2c3d4e5f02"),
                ),
                ("msdyn_uniquename", json!("contoso_supervisors")),
                ("msdyn_profileorder", json!(20)),
            ],
        )
        .add_row(
            "msdyn_appprofilerolemappings",
            &[
                (
                    "msdyn_appprofilerolemappingid",
                    json!("c4d5e6f7-1a2b-4c3d-8e4f-5a6b7c8d9e02"),
                ),
                (
                    "_msdyn_appprofileid_value",
                    json!("9a1e5f32-6b7c-4d8e-9f0a-1b2c3d4e5f02"),
                ),
            ],
        )
        .check(&[]);
    assert!(!has_rule(&v, "R23"), "{:?}", findings(&v));
    // The Omnichannel provider with its default URL: R19 holds.
    let (_, v) = Export::v2()
        .set(
            "msdyn_channelproviders",
            "msdyn_uniquename",
            json!("msdyn_omnichannel"),
        )
        .check(&[]);
    assert!(
        !has_rule(&v, "R19") && errors_and_warnings(&v).is_empty(),
        "{:?}",
        findings(&v)
    );
}

/// An export that breaks each v2 rule, with the rule, case and severity.
fn v2_cases() -> Vec<RuleCase> {
    let second_provider = |uniquename: &str| -> Vec<(&'static str, Value)> {
        vec![
            (
                "msdyn_channelproviderid",
                json!("3f0c4e21-7a8b-4c9d-8e0f-1a2b3c4d5e02"),
            ),
            ("msdyn_name", json!("Fabrikam Chat")),
            ("msdyn_uniquename", json!(uniquename)),
        ]
    };
    vec![
        (Export::v2().set("msdyn_channelproviders", "msdyn_channelurl", json!("http://cti.contoso.example/agent")), "R03", "not-https", "error"),
        (Export::v2().set("msdyn_channelproviders", "msdyn_trusteddomain", json!("login.contoso.example")), "R05", "no-scheme", "error"),
        (Export::v2().set("msdyn_channelproviders", "msdyn_sortorder", json!(2000)), "R09", "channel-order", "error"),
        (Export::v2().set("msdyn_appconfigurations", "msdyn_profileorder", json!(101)), "R09", "profile-rank", "error"),
        (Export::v2().set("msdyn_channelproviders", "msdyn_uniquename", json!("voice")), "R10", "format", "error"),
        (Export::v2().set("msdyn_channelproviders", "msdyn_uniquename", json!("ab_voice")), "R10", "format", "error"),
        (Export::v2().set("msdyn_appconfigurations", "msdyn_uniquename", json!("contosoagentsprofile")), "R10", "format", "error"),
        (Export::v2().set("msdyn_channelproviders", "msdyn_uniquename", json!(format!("cto_{}", "v".repeat(130)))), "R10", "too-long", "error"),
        (Export::v2().add_row("msdyn_channelproviders", &second_provider("contoso_voice")), "R10", "duplicate", "error"),
        (Export::v2().set("msdyn_channelproviders", "msdyn_apiversion", json!(1)), "R13", "v2-value", "error"),
        (
            Export::v2()
                .set("msdyn_channelproviders", "msdyn_appconfig_msdyn_channelprovider", json!([]))
                .set("msdyn_appconfigurations", "msdyn_appconfig_msdyn_channelprovider", json!([])),
            "R16",
            "no-profile",
            "error",
        ),
        (
            {
                let mut e = Export::v2().set("msdyn_appconfigurations", "msdyn_appconfiguration_systemuser", json!([]));
                e.table("msdyn_appprofilerolemappings").clear();
                e
            },
            "R16",
            "profile-unassigned",
            "warning",
        ),
        (Export::v2().set("msdyn_channelproviders", "statecode", json!(1)), "R17", "inactive-provider", "error"),
        (
            Export::v2().set("msdyn_appconfigurations", "statecode", json!(1)).set(
                "msdyn_channelproviders",
                "msdyn_appconfig_msdyn_channelprovider",
                json!([{"msdyn_uniquename": "contoso_voiceagents", "statecode": 1, "msdyn_appconfigurationid": PROFILE}]),
            ),
            "R17",
            "inactive-profile",
            "error",
        ),
        (
            Export::v2()
                .set("msdyn_channelproviders", "msdyn_uniquename", json!("msdyn_omnichannel"))
                .set(
                    "msdyn_channelproviders",
                    "msdyn_channelurl",
                    json!("https://cti.contoso.example/agent?ucilib=https://contoso.crm.dynamics.com/webresources/Widget/msdyn_ciLibrary.js&idleTimeThreshold=300000"),
                ),
            "R19",
            "overwritten-on-deploy",
            "warning",
        ),
        (
            Export::v2().add_row(
                "msdyn_appconfigurations",
                &[
                    ("msdyn_appconfigurationid", json!("9a1e5f32-6b7c-4d8e-9f0a-1b2c3d4e5f02")),
                    ("msdyn_name", json!("Contoso supervisors")),
                    ("msdyn_uniquename", json!("contoso_supervisors")),
                ],
            )
            .add_row(
                "msdyn_appprofilerolemappings",
                &[
                    ("msdyn_appprofilerolemappingid", json!("c4d5e6f7-1a2b-4c3d-8e4f-5a6b7c8d9e02")),
                    ("_msdyn_appprofileid_value", json!("9a1e5f32-6b7c-4d8e-9f0a-1b2c3d4e5f02")),
                ],
            ),
            "R23",
            "equal-rank",
            "warning",
        ),
        (Export::v2().set("msdyn_appconfigurations", "msdyn_appmoduleuniquename", json!("OmnichannelForCustomerService")), "R24", "retired-app", "warning"),
        (
            Export::v2().add_row("msdyn_channelproviders", &second_provider("fabrikam_chat")),
            "R25",
            "several-providers",
            "info",
        ),
        (Export::v2().set("msdyn_channelproviders", "msdyn_label", json!("  ")), "R26", "empty", "error"),
    ]
}

#[test]
fn expect_outbound_is_rule_r12() {
    let (code, v) = Export::v1().check(&["--expect", "outbound"]);
    assert_eq!(code, 0);
    assert!(!has_rule(&v, "R12"));
    let (code, v) = Export::v1()
        .set("msdyn_ciproviders", "msdyn_clicktoact", json!(false))
        .check(&["--expect", "outbound"]);
    assert_eq!(code, 3);
    assert!(has(&v, "R12", "off", "error"));
    let (code, v) = Export::v1()
        .set("msdyn_ciproviders", "msdyn_clicktoact", json!(false))
        .check(&[]);
    assert_eq!(code, 0);
    assert!(!has_rule(&v, "R12"));
    let (_, v) = Export::v2()
        .set(
            "msdyn_channelproviders",
            "msdyn_enableoutbound",
            json!(false),
        )
        .check(&["--expect=outbound"]);
    assert!(has(&v, "R12", "off", "error"));
}

#[test]
fn strict_fails_on_warnings() {
    let e = Export::v1().set(
        "msdyn_ciproviders",
        "msdyn_trusteddomain",
        json!("https://*.contoso.example"),
    );
    let (code, v) = e.check(&[]);
    assert_eq!((code, v["summary"]["warnings"].clone()), (0, json!(1)));
    let (code, v) = e.check(&["--strict"]);
    assert_eq!((code, v["strict"].clone()), (3, json!(true)));
}

#[test]
fn a_rule_that_needs_another_export_says_so_once() {
    let (code, v) = Export::of(&["v1-clean/msdyn_ciproviders.json"])
        .add_row(
            "msdyn_ciproviders",
            &[
                (
                    "msdyn_ciproviderid",
                    json!("5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b702"),
                ),
                ("msdyn_sortorder", json!(3)),
            ],
        )
        .check(&[]);
    assert_eq!(code, 0);
    let needs: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "X03")
        .collect();
    assert_eq!(needs.len(), 2, "{needs:?}");
    assert!(needs
        .iter()
        .all(|f| f["severity"] == "info" && f["record"].is_null()));
    assert!(
        needs[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("R02 and R15 (app ids) not checked: give the appmodules export"),
        "{needs:?}"
    );
    // A 2.0 provider from Xrm.WebApi (no expanded profile links, no org URL).
    let (code, v, _) = run_json(&[&fixture("v2-clean/xrm-webapi-channelproviders.json")]);
    assert_eq!(code, 0);
    assert_eq!(v["files"][0]["tables"], json!(["msdyn_channelproviders"]));
    assert!(v["files"][0]["org"].is_null());
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("R16, R17 and R25 (profile links) not checked")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("R20 (org URLs in the Channel URL) not checked")),
        "{messages:?}"
    );
}

#[test]
fn an_export_from_another_environment_is_found() {
    let files: Vec<String> = std::fs::read_dir(fixture("other-environment"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (code, v, _) = run_json(&args);
    assert_eq!(code, 3);
    let errors: Vec<(String, String, String)> = errors_and_warnings(&v);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(
        errors
            .iter()
            .filter(|(r, c, _)| r == "R20" && c == "other-org")
            .count(),
        2
    );
    assert!(has(&v, "R15", "unknown-app", "error"));
}

#[test]
fn files_from_two_orgs_are_checked_apart() {
    let mut other = load("v1-clean/appmodules.json");
    other["@odata.context"] = json!("https://fabrikam.crm.dynamics.com/api/data/v9.2/$metadata#appmodules(appmoduleid,uniquename,name)");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("appmodules.json");
    std::fs::write(&p, other.to_string()).unwrap();
    let (_, v, _) = run_json(&[
        &fixture("v1-clean/msdyn_ciproviders.json"),
        &p.display().to_string(),
        &fixture("v1-clean/roles.json"),
    ]);
    // Said once, as info; the provider's app ids are not looked up in
    // the other org's appmodules (no R15 unknown-app), so R15 needs them.
    assert!(has(&v, "X06", "several-orgs", "info"), "{:?}", findings(&v));
    assert_eq!(v["exit_code"], 0);
    assert!(!has_rule(&v, "R15"), "{:?}", findings(&v));
    assert!(errors_and_warnings(&v).is_empty(), "{:?}", findings(&v));
}

// ------------------------------------------------------------ readers

#[test]
fn pages_of_one_table_are_read_together() {
    let (code, v, _) = run_json(&[
        &fixture("paged/appmodules-page1.json"),
        &fixture("paged/appmodules-page2.json"),
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["records"]["appmodules"], 3);
    // No provider in the input: nothing checked (X07).
    assert_eq!(
        findings(&v),
        vec![("X07".into(), "no-provider".into(), "warning".into())]
    );
    let (code, v, _) = run_json(&[&fixture("paged/appmodules-page1.json")]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&v),
        vec![
            ("X07".into(), "no-provider".into(), "warning".into()),
            ("X04".into(), "next-page".into(), "info".into())
        ]
    );
    // The same page twice is read once.
    let (_, v, _) = run_json(&[
        &fixture("paged/appmodules-page2.json"),
        &fixture("paged/appmodules-page2.json"),
    ]);
    assert_eq!(v["records"]["appmodules"], 1);
}

#[test]
fn utf16_and_bom_files_read_like_utf8() {
    let text = std::fs::read_to_string(fixture("v1-clean/msdyn_ciproviders.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        le.extend(u.to_le_bytes());
        be.extend(u.to_be_bytes());
    }
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend(text.as_bytes());
    let (_, expected, _) = run_json(&[&fixture("v1-clean/msdyn_ciproviders.json")]);
    for (name, bytes) in [("le.json", le), ("be.json", be), ("bom8.json", bom8)] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let (code, v, err) = run_json(&[&p.display().to_string()]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(findings(&v), findings(&expected), "{name}");
        assert_eq!(v["records"]["msdyn_ciproviders"], 1, "{name}");
    }
    // UTF-16 cut in the middle of a code unit.
    let p = dir.path().join("odd.json");
    std::fs::write(&p, [0xFF, 0xFE, b'{', 0, b'}']).unwrap();
    let (code, _, err) = run(&[&p.display().to_string()]);
    assert_eq!(code, 1);
    assert!(err.contains("odd number of bytes"), "{err}");
}

#[test]
fn a_cmt_zip_is_read_with_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/octet-stream\" /></Types>").unwrap();
    for name in ["data.xml", "data_schema.xml"] {
        zip.start_file(name, options).unwrap();
        zip.write_all(&std::fs::read(fixture(&format!("cmt/{name}"))).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
    let (code, v, _) = run_json(&["--strict", &path.display().to_string()]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["files"][0]["format"], "cmt-zip");
    assert_eq!(v["records"]["msdyn_channelproviders"], 1);
    assert!(errors_and_warnings(&v).is_empty());
    // A CMT provider without profile links, while the schema declares them: R16.
    let xml = std::fs::read_to_string(fixture("cmt/data.xml")).unwrap();
    let start = xml.find("<m2mrelationships>").unwrap();
    let end = xml.find("</m2mrelationships>").unwrap() + "</m2mrelationships>".len();
    let unlinked = format!("{}{}", &xml[..start], &xml[end..]);
    let path = dir.path().join("unlinked.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("data.xml", options).unwrap();
    zip.write_all(unlinked.as_bytes()).unwrap();
    zip.start_file("data_schema.xml", options).unwrap();
    zip.write_all(&std::fs::read(fixture("cmt/data_schema.xml")).unwrap())
        .unwrap();
    zip.finish().unwrap();
    let (code, v, _) = run_json(&[&path.display().to_string()]);
    assert_eq!(code, 3);
    assert!(has(&v, "R16", "no-profile", "error"), "{:?}", findings(&v));
    // In the admin center's current words (the 2026-12-07 facts update).
    let r16 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "R16")
        .unwrap();
    assert_eq!(r16["message"], "the provider is on no experience profile");
    assert_eq!(
        r16["fix"],
        "Add the provider to an experience profile (formerly agent experience profile: Copilot Service admin center > Support experience > Workspaces > Experience profiles > (profile) > Channel providers) and assign that profile to the agents."
    );
    // CMT values are text: a bad number is an X01 finding on its record.
    let bad = xml.replace(
        "<field name=\"msdyn_sortorder\" value=\"0\" />",
        "<field name=\"msdyn_sortorder\" value=\"first\" />",
    );
    let p = dir.path().join("data.xml");
    std::fs::write(&p, bad).unwrap();
    let (code, v, _) = run_json(&[&p.display().to_string()]);
    assert_eq!(code, 3);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "X01")
        .expect("X01");
    assert_eq!(f["record"]["name"], "Contoso Phone");
    assert_eq!(f["message"], "msdyn_sortorder holds the text \"first\", expected a whole number; the rules that read msdyn_sortorder skip this record");
}

#[test]
fn powershell_flattened_exports_are_explained() {
    let (code, v, _) = run_json(&[&fixture("bad/powershell-depth2.json")]);
    assert_eq!(code, 3);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "X02")
        .expect("X02");
    assert_eq!(f["severity"], "error");
    assert!(f["fix"]
        .as_str()
        .unwrap()
        .contains("ConvertTo-Json -Depth 5"));
    let (code, out, err) = run(&[&fixture("bad/powershell-rows-flattened.json")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        err.starts_with("error: export file '")
            && err.contains("\"System.Object[]\"")
            && err.contains("ConvertTo-Json -Depth 5"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn wrong_types_are_findings_on_the_record() {
    let (code, v, err) = run_json(&[&fixture("bad/wrong-types.json")]);
    assert_eq!(code, 3, "{err}");
    let x01: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "X01")
        .collect();
    assert_eq!(x01.len(), 3);
    assert!(x01
        .iter()
        .all(|f| f["record"]["name"] == "Contoso Phone" && f["severity"] == "error"));
    assert!(x01.iter().any(|f| f["message"] == "msdyn_clicktoact holds the text \"Yes\", expected true or false; the rules that read msdyn_clicktoact skip this record"));
}

#[test]
fn unknown_columns_and_tables_are_ignored() {
    let (code, v) = Export::v1()
        .set(
            "msdyn_ciproviders",
            "new_somethingelse",
            json!({"deep": [1, 2]}),
        )
        .check(&["--strict"]);
    assert_eq!(code, 0);
    assert!(errors_and_warnings(&v).is_empty());
    let (code, v, _) = run_json(&[&fixture("bad/accounts.json")]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&v),
        vec![
            ("X07".into(), "no-provider".into(), "warning".into()),
            ("X05".into(), "other-table".into(), "info".into())
        ]
    );
}

// ------------------------------------------------------------ bad input

#[test]
fn a_file_that_is_neither_format_is_exit_1_and_the_others_are_still_checked() {
    for (rel, says) in [
        ("bad/truncated.json", "the JSON ends early (truncated?)"),
        (
            "bad/not-an-export.txt",
            "not JSON, XML or a zip; expected a Dataverse Web API response",
        ),
        (
            "cmt/data_schema.xml",
            "this is the schema file (data_schema.xml), not the data",
        ),
    ] {
        let (code, out, err) = run(&[
            &fixture(rel),
            &fixture("other-environment/msdyn_ciproviders.json"),
        ]);
        assert_eq!(code, 1, "{rel}: {out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("error: export file '{}': {says}", fixture(rel))),
            "{err}"
        );
        // The other file is still checked and reported.
        assert!(out.contains("Checked 1 of 2 files"), "{out}");
        assert!(out.contains("error   R20"), "{out}");
        let (code, v, _) = run_json(&[
            &fixture(rel),
            &fixture("other-environment/msdyn_ciproviders.json"),
        ]);
        assert_eq!(code, 1);
        assert_eq!(v["summary"]["unreadable_files"], 1);
        assert!(v["files"][0]["error"].as_str().unwrap().starts_with(says));
        assert!(v["files"][0]["format"].is_null());
    }
    let (code, _, err) = run(&["/no/such/export.json"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: export file '/no/such/export.json': cannot read it: no such file\n"
    );
}

#[test]
fn xml_entities_are_refused_not_expanded() {
    for rel in ["bad/external-entity.xml", "bad/billion-laughs.xml"] {
        let started = std::time::Instant::now();
        let (code, out, err) = run(&[&fixture(rel)]);
        assert!(started.elapsed().as_secs() < 10);
        assert_eq!(code, 1, "{out}");
        assert!(
            err.contains("XML with a DTD (<!DOCTYPE ...>) is refused"),
            "{err}"
        );
        assert!(!out.contains("root:") && !out.contains("lollol"), "{out}");
    }
}

#[test]
fn a_50_mb_export_is_read_and_a_larger_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("appmodules.json");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write!(f, "{{\"@odata.context\":\"https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#appmodules(appmoduleid,uniquename,name)\",\"value\":[").unwrap();
    let pad = "p".repeat(900);
    let mut n = 0u64;
    let mut size = 0usize;
    while size < 50 * 1000 * 1000 {
        let row = format!(
            "{}{{\"appmoduleid\":\"00000000-0000-4000-8000-{n:012}\",\"uniquename\":\"app{n}\",\"name\":\"App {n} {pad}\"}}",
            if n == 0 { "" } else { "," }
        );
        size += row.len();
        f.write_all(row.as_bytes()).unwrap();
        n += 1;
    }
    f.write_all(b"]}").unwrap();
    drop(f);
    assert!(std::fs::metadata(&path).unwrap().len() > 50_000_000);
    let (code, v, err) = run_json(&[&path.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["records"]["appmodules"], json!(n));
    // Over 64 MiB: refused with the limit named.
    let big = dir.path().join("big.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    let (code, _, err) = run(&[&big.display().to_string()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("larger than the 64 MiB limit of check"),
        "{err}"
    );
}

#[test]
fn zip_bombs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    // One entry that unpacks to 100 MiB (about 100 KB packed).
    let bomb = dir.path().join("bomb.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    zip.start_file("data.xml", options).unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..100 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 * 1024 * 1024);
    let started = std::time::Instant::now();
    let (code, _, err) = run(&[&bomb.display().to_string()]);
    assert!(started.elapsed().as_secs() < 20);
    assert_eq!(code, 1);
    assert!(err.contains("refused as a possible zip bomb"), "{err}");
    // Many entries.
    let many = dir.path().join("many.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&many).unwrap());
    for i in 0..500 {
        zip.start_file(format!("f{i}.xml"), options).unwrap();
    }
    zip.finish().unwrap();
    let (code, _, err) = run(&[&many.display().to_string()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("a zip with 500 entries, more than the 100 check accepts"),
        "{err}"
    );
    // A zip without data.xml.
    let other = dir.path().join("other.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&other).unwrap());
    zip.start_file("readme.txt", options).unwrap();
    zip.write_all(b"hello").unwrap();
    zip.finish().unwrap();
    let (code, _, err) = run(&[&other.display().to_string()]);
    assert_eq!(code, 1);
    assert!(err.contains("a zip without data.xml"), "{err}");
}

#[test]
fn control_characters_from_a_file_never_reach_the_terminal() {
    let e = Export::v1()
        .set(
            "msdyn_ciproviders",
            "msdyn_name",
            json!("Evil\u{1b}[31m\u{7}Phone\u{202e}"),
        )
        .set(
            "msdyn_ciproviders",
            "msdyn_landingurl",
            json!("http://cti.contoso.example/\u{1b}]0;title\u{7}"),
        );
    let paths = e.paths();
    for format in ["text", "markdown"] {
        let mut args = vec!["--format", format];
        args.extend(paths.iter().map(String::as_str));
        let (code, out, _) = run(&args);
        assert_eq!(code, 3);
        assert!(
            !out.chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{format}: {out:?}"
        );
        assert!(
            out.contains("Evil\\u{1b}[31m\\u{7}Phone\\u{202e}")
                || out.contains("Evil\\\\u{1b}\\[31m"),
            "{format}: {out}"
        );
    }
}

#[test]
fn d25_bare_addresses_in_the_markdown_review_link_nothing() {
    // J35: a record named with a web address, a URL and an e-mail address.
    let e = Export::v1()
        .set(
            "msdyn_ciproviders",
            "msdyn_name",
            json!("Phone www.evil.example/login http://evil.example/x help@evil.example"),
        )
        .set(
            "msdyn_ciproviders",
            "msdyn_landingurl",
            json!("http://cti.contoso.example/w"),
        );
    let mut args = vec!["--format", "markdown"];
    let paths = e.paths();
    args.extend(paths.iter().map(String::as_str));
    let (_, out, _) = run(&args);
    assert!(
        out.contains("Phone www\\.evil.example/login http\\://evil.example/x `help@evil.example`"),
        "{out}"
    );
    assert!(
        !out.contains("www.evil") && !out.contains("http://evil"),
        "{out}"
    );
}

// ------------------------------------------------------------ command line

#[test]
fn queries_prints_the_requests_that_export_what_check_reads() {
    let (code, out, err) = run(&["--queries", "https://contoso.crm.dynamics.com/"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(
        out.contains(
            "\nPrefer: odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"\n"
        ),
        "{out}"
    );
    let gets: Vec<&str> = out.lines().filter(|l| l.starts_with("GET ")).collect();
    assert_eq!(gets.len(), 6);
    assert_eq!(
        gets[1],
        "GET https://contoso.crm.dynamics.com/api/data/v9.2/msdyn_channelproviders?$select=msdyn_name,msdyn_uniquename,msdyn_label,msdyn_channelurl,msdyn_trusteddomain,msdyn_sortorder,msdyn_enableoutbound,msdyn_apiversion,msdyn_customparams,msdyn_sandboxconfiguration,msdyn_enableanalytics,statecode&$expand=msdyn_appconfig_msdyn_channelprovider($select=msdyn_uniquename,statecode)"
    );
    for set in [
        "msdyn_ciproviders",
        "msdyn_channelproviders",
        "msdyn_appconfigurations",
        "msdyn_appprofilerolemappings",
        "appmodules",
        "roles",
    ] {
        assert!(
            gets.iter().any(|g| g.starts_with(&format!(
                "GET https://contoso.crm.dynamics.com/api/data/v9.2/{set}?$select="
            ))),
            "{set}"
        );
    }
    assert!(out.contains("ConvertTo-Json -Depth 5"));
    for bad in [
        "contoso.crm.dynamics.com",
        "http://contoso.crm.dynamics.com",
        "https://contoso.crm.dynamics.com/main.aspx?appid=1",
        "",
    ] {
        let (code, _, err) = run(&["--queries", bad]);
        assert_eq!(code, 2, "{bad}");
        assert!(
            err.contains("expected the organisation URL, e.g. https://contoso.crm.dynamics.com"),
            "{err}"
        );
    }
}

#[test]
fn usage_errors_are_exit_2() {
    for args in [
        &[][..],
        &["--format", "xml", "x.json"],
        &["--queries", "https://a.crm.dynamics.com", "x.json"],
        &["--expect", "inbound", "x.json"],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    let (code, out, _) = common::run_binary(&["check", "--help"], None, "100");
    assert_eq!(code, 0);
    assert!(
        out.contains("--queries <ORG_URL>")
            && out.contains("--strict")
            && out.contains("Exit codes: 0 no error-level finding"),
        "{out}"
    );
}

#[test]
fn standard_input_is_read() {
    let text = std::fs::read_to_string(fixture("v1-clean/msdyn_ciproviders.json")).unwrap();
    let (code, out, _) = common::run_binary(&["check", "-"], Some(&text), "100");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("Checked 1 of 1 file: 1 msdyn_ciproviders"),
        "{out}"
    );
    let _ = PathBuf::new();
}

#[test]
fn diff_finds_a_changed_unique_name_r11() {
    let old = fixture("v2-clean/msdyn_channelproviders.json");
    // The same export: R11 holds.
    let (code, v) = Export::v2().check(&["--diff", &old]);
    assert_eq!(code, 0);
    assert!(!has_rule(&v, "R11"), "{:?}", findings(&v));
    assert_eq!(
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["previous"] == true)
            .count(),
        1
    );
    // Same id, another Unique Name: R11.
    let (code, v) = Export::v2()
        .set(
            "msdyn_channelproviders",
            "msdyn_uniquename",
            json!("contoso_voice2"),
        )
        .check(&["--diff", &old]);
    assert_eq!(code, 0);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "R11")
        .expect("R11");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["message"], "msdyn_uniquename was \"contoso_voice\" in the earlier export and is \"contoso_voice2\" now");
    // An unreadable earlier export is exit 1 too.
    let (code, _, err) = run(&[
        "--diff",
        &fixture("bad/truncated.json"),
        &fixture("v1-clean/msdyn_ciproviders.json"),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("bad/truncated.json"), "{err}");
    let (code, out, _) = run(&[
        "--diff",
        &old,
        &fixture("v2-clean/msdyn_channelproviders.json"),
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Checked 1 of 1 file: 1 msdyn_channelproviders\n")
            && out.contains("Compared with 1 earlier file (--diff)"),
        "{out}"
    );
}

#[test]
fn r08_names_the_provider_that_loads() {
    let second = |order: Value| Export::v1().second_provider(&[("msdyn_sortorder", order)]);
    let (_, v) = second(json!(5)).check(&[]);
    let r08: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "R08")
        .collect();
    assert_eq!(r08.len(), 1);
    assert_eq!(r08[0]["record"]["name"], "Fabrikam Phone");
    assert_eq!(
        r08[0]["message"],
        "in app \"Sales Hub\", \"Contoso Phone\" (Channel Order 0) loads instead of this provider (Channel Order 5)"
    );
    // Without the Channel Order, R08 says it cannot tell.
    let (code, v) = second(Value::Null).check(&[]);
    assert_eq!(code, 0);
    assert!(!has_rule(&v, "R08"));
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "X03"
            && f["message"]
                .as_str()
                .unwrap()
                .starts_with("R08 (Channel Order) not checked")));
}

#[test]
fn more_export_shapes_are_read() {
    // A bundle keyed by table name.
    let bundle = json!({
        "msdyn_ciproviders": load("v1-clean/msdyn_ciproviders.json"),
        "appmodules": load("v1-clean/appmodules.json"),
        "roles": load("v1-clean/roles.json"),
    });
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bundle.json");
    std::fs::write(&p, bundle.to_string()).unwrap();
    let (code, v, _) = run_json(&["--strict", &p.display().to_string()]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["records"]["appmodules"], 3);
    assert_eq!(v["records"]["msdyn_ciproviders"], 1);
    // Rows without the envelope ($r.value | ConvertTo-Json -Depth 5).
    let rows = load("v2-clean/msdyn_channelproviders.json")["value"].clone();
    let p = dir.path().join("rows.json");
    std::fs::write(&p, rows.to_string()).unwrap();
    let (code, v, _) = run_json(&[&p.display().to_string()]);
    assert_eq!(code, 0);
    assert_eq!(v["files"][0]["tables"], json!(["msdyn_channelproviders"]));
    // ConvertTo-Json at depth 2 on the envelope: the expanded rows become text in the array.
    let mut flat = load("v2-clean/msdyn_channelproviders.json");
    flat["value"][0]["msdyn_appconfig_msdyn_channelprovider"] =
        json!(["@{@odata.etag=W/\"815\"; msdyn_uniquename=contoso_voiceagents; statecode=0}"]);
    let p = dir.path().join("flat.json");
    std::fs::write(&p, flat.to_string()).unwrap();
    let (code, v, _) = run_json(&[&p.display().to_string()]);
    assert_eq!(code, 3);
    assert!(has(&v, "X02", "flattened", "error"));
}

#[test]
fn cmt_empty_values_are_left_out_and_still_checked() {
    // CMT leaves out empty values: a provider without msdyn_appselector,
    // next to one that has it, has no apps (R15).
    let xml = std::fs::read_to_string(fixture("cmt/data.xml")).unwrap();
    let record_start = xml.find("      <record id=\"5b2d7c10").unwrap();
    let record_end =
        xml[record_start..].find("</record>").unwrap() + record_start + "</record>\n".len();
    let second = xml[record_start..record_end]
        .replace("5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b701", "5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b702")
        .replace("Contoso Phone", "Fabrikam Phone")
        .replace("        <field name=\"msdyn_appselector\" value=\"3f6b1a2c-4d5e-4f60-8a71-92b3c4d5e601\" />\n", "");
    let two = format!("{}{}{}", &xml[..record_end], second, &xml[record_end..]);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("data.xml");
    std::fs::write(&p, two).unwrap();
    let (code, v, _) = run_json(&[&p.display().to_string()]);
    assert_eq!(code, 3);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "R15")
        .expect("R15");
    assert_eq!(
        (f["case"].as_str(), f["record"]["name"].as_str()),
        (Some("no-apps"), Some("Fabrikam Phone"))
    );
    // An inactive 2.0 provider whose profile links are not exported: R17.
    let inactive = xml.replace(
        "<field name=\"msdyn_apiversion\" value=\"162450000\" />\n        <field name=\"statecode\" value=\"0\" />",
        "<field name=\"msdyn_apiversion\" value=\"162450000\" />\n        <field name=\"statecode\" value=\"1\" />",
    );
    let start = inactive.find("<m2mrelationships>").unwrap();
    let end = inactive.find("</m2mrelationships>").unwrap() + "</m2mrelationships>".len();
    std::fs::write(&p, format!("{}{}", &inactive[..start], &inactive[end..])).unwrap();
    let (code, v, _) = run_json(&[&p.display().to_string()]);
    assert_eq!(code, 3);
    assert!(
        has(&v, "R17", "inactive-provider", "error"),
        "{:?}",
        findings(&v)
    );
}

#[test]
fn r24_resolves_the_profile_app_through_the_appmodules_export() {
    let mut e = Export::of(&[
        "v2-clean/msdyn_channelproviders.json",
        "v2-clean/msdyn_appconfigurations.json",
        "v2-clean/msdyn_appprofilerolemappings.json",
        "v1-clean/appmodules.json",
    ])
    .set(
        "msdyn_appconfigurations",
        "msdyn_appmoduleuniquename",
        json!("contoso_ocapp"),
    );
    let (code, v) = e.check(&[]);
    assert_eq!(code, 0);
    assert!(!has_rule(&v, "R24"));
    e.table("appmodules").push(json!({"appmoduleid": "3f6b1a2c-4d5e-4f60-8a71-92b3c4d5e604", "uniquename": "contoso_ocapp", "name": "Omnichannel for Customer Service"}));
    let (code, v) = e.check(&[]);
    assert_eq!(code, 0);
    assert!(
        has(&v, "R24", "retired-app", "warning"),
        "{:?}",
        findings(&v)
    );
}

#[test]
fn a_single_record_response_is_read() {
    let mut row = load("v2-clean/msdyn_channelproviders.json")["value"][0].clone();
    row["@odata.context"] = json!(
        "https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#msdyn_channelproviders/$entity"
    );
    row["msdyn_channelurl"] = json!("http://cti.contoso.example/agent");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("one.json");
    std::fs::write(&p, row.to_string()).unwrap();
    let (code, v, _) = run_json(&[&p.display().to_string()]);
    assert_eq!(code, 3);
    assert_eq!(v["records"]["msdyn_channelproviders"], 1);
    assert!(has(&v, "R03", "not-https", "error"));
    // An object that is neither: exit 1.
    std::fs::write(&p, r#"{"name": "Contoso"}"#).unwrap();
    let (code, _, err) = run(&[&p.display().to_string()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("a JSON object with no \"value\" or \"entities\" array"),
        "{err}"
    );
}

#[test]
fn r25_works_from_the_provider_links_alone() {
    let e = Export::of(&["v2-clean/msdyn_channelproviders.json"]).add_row(
        "msdyn_channelproviders",
        &[
            (
                "msdyn_channelproviderid",
                json!("3f0c4e21-7a8b-4c9d-8e0f-1a2b3c4d5e02"),
            ),
            ("msdyn_name", json!("Fabrikam Chat")),
            ("msdyn_uniquename", json!("fabrikam_chat")),
        ],
    );
    let (code, v) = e.check(&[]);
    assert_eq!(code, 0);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "R25")
        .expect("R25");
    assert_eq!(f["record"]["table"], "msdyn_appconfiguration");
    assert_eq!(f["record"]["name"], "contoso_voiceagents");
    assert_eq!(f["record"]["id"], PROFILE);
    assert_eq!(
        f["message"],
        "2 active CIF 2.0 providers are on this profile: Contoso Voice, Fabrikam Chat"
    );
}

#[test]
fn only_microsofts_prefix_is_stripped_from_app_unique_names() {
    let mut e = Export::v1();
    e.table("appmodules")[0]["uniquename"] = json!("contoso_workspace");
    e.table("appmodules")[0]["name"] = json!("Contoso Sales");
    let (_, v) = e.check(&[]);
    assert!(!has_rule(&v, "R02"), "{:?}", findings(&v));
    let mut e = Export::v1();
    e.table("appmodules")[0]["uniquename"] = json!("msdyn_CustomerServiceWorkspace");
    e.table("appmodules")[0]["name"] = json!("Contoso Sales");
    let (_, v) = e.check(&[]);
    assert!(
        has(&v, "R02", "multisession-app", "error"),
        "{:?}",
        findings(&v)
    );
}

#[test]
fn text_is_wrapped_to_the_terminal_and_links_are_never_broken() {
    let files: Vec<String> = ["msdyn_ciproviders.json", "appmodules.json", "roles.json"]
        .iter()
        .map(|f| fixture(&format!("other-environment/{f}")))
        .collect();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let (code, out, _) = common::run_binary(&args, None, "80");
    assert_eq!(code, 3);
    for line in out.lines().filter(|l| !l.contains("https://")) {
        assert!(line.chars().count() <= 79, "{line:?}");
    }
    assert!(out.contains("\n          source: https://learn.microsoft.com/dynamics365/channel-integration-framework/v1/administer/configure-channel-provider-channel-integration-framework\n"), "{out}");
    assert!(out.contains("  error   R15 CIF 1.0 provider app selection: msdyn_appselector names app\n          0b9f8e7d"), "{out}");
}

#[test]
fn standard_input_is_read_once() {
    let (code, _, err) = run(&["-", "-"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("standard input (-) can be given once"),
        "{err}"
    );
    let (code, _, err) = common::run_binary(&["--matrix", "-", "check", "-"], Some("{}"), "");
    assert_eq!(code, 2);
    assert!(
        err.contains("--matrix - and an export file - cannot both read standard input"),
        "{err}"
    );
    // /dev/stdin is standard input too, as for recommend.
    let (code, _, err) = common::run_binary(&["check", "-", "/dev/stdin"], Some("{}"), "");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: standard input (-) can be given once; give the other exports as files\n"
    );
    let (code, _, err) = common::run_binary(
        &["--matrix", "/dev/stdin", "check", "/dev/stdin"],
        Some("{}"),
        "",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--matrix - and an export file - cannot both read standard input"),
        "{err}"
    );
}

#[test]
fn a_folder_is_read_file_by_file() {
    let (code, v, _) = run_json(&[&fixture("other-environment")]);
    assert_eq!(code, 3);
    assert_eq!(v["files"].as_array().unwrap().len(), 6);
    assert_eq!(
        v["files"][0]["path"],
        json!(fixture("other-environment/appmodules.json"))
    );
    assert_eq!(errors_and_warnings(&v).len(), 3);
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[&empty.path().display().to_string()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("a folder with no .json, .xml or .zip file"),
        "{err}"
    );
}

#[test]
fn a_file_cut_short_adds_none_of_its_rows() {
    let mut two = load("v1-clean/msdyn_ciproviders.json");
    let mut second = two["value"][0].clone();
    second["msdyn_ciproviderid"] = json!("5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b702");
    second["msdyn_landingurl"] = json!("http://cti.contoso.example/widget");
    two["value"].as_array_mut().unwrap().push(second);
    let text = serde_json::to_string_pretty(&two).unwrap();
    let cut = &text[..text.rfind("msdyn_sortorder").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cut.json");
    std::fs::write(&p, cut).unwrap();
    let (code, v, err) = run_json(&[
        &p.display().to_string(),
        &fixture("v1-clean/appmodules.json"),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(v["records"]["msdyn_ciproviders"], 0);
    assert_eq!(v["files"][0]["records"], 0);
    assert_eq!(v["files"][0]["tables"], json!([]));
    assert_eq!(
        findings(&v),
        vec![("X07".into(), "no-provider".into(), "warning".into())]
    );
    assert!(err.contains("the JSON ends early (truncated?)"), "{err}");
}

// ------------------------------------------------------------ issue 26

impl Export {
    /// The same files as exported from another org (its host in
    /// @odata.context and in the URLs that name the org).
    fn exported_from(mut self, host: &str) -> Export {
        for (_, v) in &mut self.files {
            let text = v.to_string().replace("contoso.crm.dynamics.com", host);
            *v = serde_json::from_str(&text).unwrap();
        }
        self
    }
}

/// Runs check on several exports together.
fn check_together(exports: &[&Export], extra: &[&str]) -> (i32, Value) {
    let paths: Vec<String> = exports.iter().flat_map(|e| e.paths()).collect();
    let mut args: Vec<&str> = extra.to_vec();
    args.extend(paths.iter().map(String::as_str));
    let (code, v, _) = run_json(&args);
    (code, v)
}

#[test]
fn cross_record_rules_run_within_each_organisation() {
    // Two orgs with the same records (ids and unique names, as a solution or
    // data import leaves them) and their own app and role ids: checked
    // together, nothing is compared across them.
    let contoso = Export::v2();
    let fabrikam = Export::v2().exported_from("fabrikam.crm4.dynamics.com");
    let (code, v) = check_together(&[&contoso, &fabrikam], &["--strict"]);
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert_eq!(v["records"]["msdyn_channelproviders"], 2);
    assert_eq!(
        findings(&v),
        vec![("X06".into(), "several-orgs".into(), "info".into())]
    );
    // The same unique name twice within one org is still R10.
    let (_, v) = Export::v2()
        .add_row(
            "msdyn_channelproviders",
            &[(
                "msdyn_channelproviderid",
                json!("3f0c4e21-7a8b-4c9d-8e0f-1a2b3c4d5e02"),
            )],
        )
        .check(&[]);
    assert!(has(&v, "R10", "duplicate", "error"), "{:?}", findings(&v));
    // 1.0: the other org's appmodules and roles hold other ids; no R14/R15.
    let fabrikam = Export::v1()
        .exported_from("fabrikam.crm4.dynamics.com")
        .set(
            "msdyn_ciproviders",
            "msdyn_appselector",
            json!("0b9f8e7d-6c5b-4a39-8281-7f6e5d4c3b2a"),
        )
        .set(
            "appmodules",
            "appmoduleid",
            json!("0b9f8e7d-6c5b-4a39-8281-7f6e5d4c3b2a"),
        )
        .set(
            "msdyn_ciproviders",
            "msdyn_landingurl",
            json!("https://cti.contoso.example/widget"),
        )
        .set(
            "msdyn_ciproviders",
            "msdyn_roleselector",
            json!("11111111-0a1b-4c2d-9e3f-a4b5c6d7e801"),
        )
        .set(
            "roles",
            "roleid",
            json!("11111111-0a1b-4c2d-9e3f-a4b5c6d7e801"),
        )
        .set(
            "roles",
            "_parentrootroleid_value",
            json!("11111111-0a1b-4c2d-9e3f-a4b5c6d7e801"),
        );
    let (code, v) = check_together(&[&Export::v1(), &fabrikam], &["--strict"]);
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert!(errors_and_warnings(&v).is_empty(), "{:?}", findings(&v));
    // Hosts are compared lower-cased, and the Web API's api. host is the org.
    let upper = Export::of(&["v1-clean/appmodules.json", "v1-clean/roles.json"])
        .exported_from("CONTOSO.api.crm.dynamics.com");
    let (code, v) = check_together(
        &[&Export::of(&["v1-clean/msdyn_ciproviders.json"]), &upper],
        &["--strict"],
    );
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert!(findings(&v).is_empty(), "{:?}", findings(&v));
}

#[test]
fn a_file_with_no_org_is_its_own_organisation_unless_org_joins_it() {
    // The CMT data.xml (no org) beside the Web API exports of contoso: the
    // same provider ids are two records, one per organisation.
    let web = Export::v1();
    let paths = web.paths();
    let cmt = fixture("cmt/data.xml");
    let mut args: Vec<&str> = vec![&cmt];
    args.extend(paths.iter().map(String::as_str));
    let (code, v, _) = run_json(&args);
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert_eq!(v["records"]["msdyn_ciproviders"], 2);
    // The CMT provider's app and role ids are not looked up in contoso's
    // exports: the rules that need them say so.
    assert!(
        !has_rule(&v, "R15") && !has_rule(&v, "R14"),
        "{:?}",
        findings(&v)
    );
    assert!(has(&v, "X03", "needs-export", "info"));
    // Joined with --org: one organisation, the record read once, the ids
    // looked up, no X03 for them.
    let mut joined = vec!["--org", "https://Contoso.crm.dynamics.com/"];
    joined.extend(args.iter());
    let (code, v, _) = run_json(&joined);
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert_eq!(v["records"]["msdyn_ciproviders"], 1);
    assert!(!findings(&v)
        .iter()
        .any(|(r, _, _)| r == "R14" || r == "R15" || r == "R02"));
    // --org takes an organisation URL, as --queries does.
    let (code, _, err) = run(&["--org", "contoso", &cmt]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value 'contoso' for '--org': expected the organisation URL, e.g. https://contoso.crm.dynamics.com"),
        "{err}"
    );
}

#[test]
fn an_input_with_no_provider_record_is_a_run_level_warning() {
    let (code, v, _) = run_json(&[&fixture("v1-clean/appmodules.json")]);
    assert_eq!(code, 0);
    let f = &v["findings"][0];
    assert_eq!(
        (
            &f["rule"],
            &f["case"],
            &f["severity"],
            &f["record"],
            &f["file"]
        ),
        (
            &json!("X07"),
            &json!("no-provider"),
            &json!("warning"),
            &Value::Null,
            &Value::Null
        )
    );
    let (code, _, _) = run_json(&["--strict", &fixture("v1-clean/appmodules.json")]);
    assert_eq!(code, 3);
    // A provider table with no rows is nothing checked too.
    let mut e = Export::of(&["v1-clean/msdyn_ciproviders.json"]);
    e.table("msdyn_ciproviders").clear();
    let (code, v) = e.check(&["--strict"]);
    assert_eq!(code, 3);
    assert!(has(&v, "X07", "no-provider", "warning"));
    // With a provider: no X07.
    let (_, v) = Export::v1().check(&[]);
    assert!(!has_rule(&v, "X07"));
}

#[test]
fn expect_outbound_skips_omnichannel_and_may_name_a_provider() {
    // c06: the built-in chat provider never does click-to-call.
    let omni = || {
        Export::v2()
            .set(
                "msdyn_channelproviders",
                "msdyn_uniquename",
                json!("msdyn_omnichannel"),
            )
            .set(
                "msdyn_channelproviders",
                "msdyn_enableoutbound",
                json!(false),
            )
    };
    let (code, v) = omni().check(&["--expect", "outbound"]);
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert!(!has_rule(&v, "R12"));
    // Named, it is checked.
    let (code, v) = omni().check(&["--expect", "outbound=msdyn_omnichannel"]);
    assert_eq!(code, 3);
    assert!(has(&v, "R12", "off", "error"));
    // A named provider (by unique name, any case, or by name): only it.
    let two = || {
        Export::v2()
            .set(
                "msdyn_channelproviders",
                "msdyn_uniquename",
                json!("alex_acvprovider_poc"),
            )
            .add_row(
                "msdyn_channelproviders",
                &[
                    (
                        "msdyn_channelproviderid",
                        json!("3f0c4e21-7a8b-4c9d-8e0f-1a2b3c4d5e02"),
                    ),
                    ("msdyn_name", json!("Fabrikam Chat")),
                    ("msdyn_uniquename", json!("fab_chat")),
                    ("msdyn_enableoutbound", json!(false)),
                ],
            )
    };
    for flag in ["outbound=ALEX_acvprovider_poc", "outbound=Contoso Voice"] {
        let (code, v) = two().check(&["--expect", flag]);
        assert!(!has_rule(&v, "R12"), "{flag}: {:?}", findings(&v));
        assert_eq!(code, 0, "{flag}");
    }
    let (code, v) = two().check(&["--expect", "outbound=fab_chat"]);
    assert_eq!(code, 3);
    let f: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "R12")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["record"]["name"], "Fabrikam Chat");
    assert_eq!(
        f[0]["message"],
        "outbound is expected (--expect outbound=fab_chat) but msdyn_enableoutbound is false"
    );
    // A name no provider has: X08, a warning.
    let (code, v) = two().check(&["--expect", "outbound=contoso_nothere"]);
    assert_eq!(code, 0);
    assert!(
        has(&v, "X08", "unknown-provider", "warning"),
        "{:?}",
        findings(&v)
    );
    // Bad values are usage errors.
    for bad in ["inbound", "outbound=", "analytics= "] {
        let (code, _, err) = run(&[
            "--expect",
            bad,
            &fixture("v2-clean/msdyn_channelproviders.json"),
        ]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.starts_with("error: "), "{err}");
    }
}

#[test]
fn expect_analytics_needs_msdyn_enableanalytics_on_2_0_providers() {
    // c02: the widget calls logAnalyticsEvent, but analytics is off.
    let off = Export::v2().set(
        "msdyn_channelproviders",
        "msdyn_enableanalytics",
        json!(false),
    );
    let (code, v) = off.check(&["--expect", "analytics"]);
    assert_eq!(code, 3);
    assert!(
        has(&v, "R21", "analytics-off", "error"),
        "{:?}",
        findings(&v)
    );
    // Without --expect analytics, nothing.
    let (code, v) = off.check(&[]);
    assert_eq!(code, 0);
    assert!(!has_rule(&v, "R21"));
    // On: holds.
    let (code, v) = Export::v2()
        .set(
            "msdyn_channelproviders",
            "msdyn_enableanalytics",
            json!(true),
        )
        .check(&["--expect", "analytics=contoso_voice"]);
    assert_eq!(code, 0);
    assert!(
        !has_rule(&v, "R21") && !has_rule(&v, "X08"),
        "{:?}",
        findings(&v)
    );
    // Not exported: the expectation needs the column (X03, once).
    let (code, v) = Export::v2().check(&["--expect", "analytics"]);
    assert_eq!(code, 0);
    let x03: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "X03")
        .collect();
    assert_eq!(x03.len(), 1, "{x03:?}");
    assert!(x03[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("--expect analytics (msdyn_enableanalytics) not checked"));
    // A 1.0 provider's name: channel analytics is a CIF 2.0 feature.
    let (_, v) = Export::v1().check(&["--expect", "analytics=Contoso Phone"]);
    assert!(
        has(&v, "X08", "unknown-provider", "warning"),
        "{:?}",
        findings(&v)
    );
}

/// A zip of (name, content) entries in `dir`.
fn zip_of(dir: &Path, name: &str, entries: &[(&str, &[u8])]) -> String {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (entry, content) in entries {
        zip.start_file(*entry, options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap();
    path.display().to_string()
}

#[test]
fn a_solution_package_is_unreadable_and_says_what_to_export() {
    // S2's TwilioSampleData.zip: solution.xml and customizations.xml.
    let dir = tempfile::tempdir().unwrap();
    let solution = br#"<ImportExportXml version="9.2.0.0" SolutionPackageVersion="9.2"><SolutionManifest><UniqueName>TwilioSampleData</UniqueName></SolutionManifest></ImportExportXml>"#;
    let zip = zip_of(
        dir.path(),
        "TwilioSampleData.zip",
        &[
            ("[Content_Types].xml", b"<Types/>"),
            ("solution.xml", solution),
            (
                "customizations.xml",
                b"<ImportExportXml><Entities/></ImportExportXml>",
            ),
        ],
    );
    let xml = dir.path().join("customizations.xml");
    std::fs::write(&xml, "<ImportExportXml><Entities/></ImportExportXml>").unwrap();
    for input in [zip, xml.display().to_string()] {
        let (code, out, err) = run(&[&input, &fixture("v1-clean/msdyn_ciproviders.json")]);
        assert_eq!(code, 1, "{out}{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: export file '")
                && err.contains("a solution package (solution.xml, customizations.xml), not exported data: channel-provider records travel as data, not in a solution; export them with the Configuration Migration tool (give its data zip) or with the Web API requests of cif-advisor check --queries ORG_URL"),
            "{err}"
        );
        // The other file is still checked.
        assert!(
            out.starts_with("Checked 1 of 2 files: 1 msdyn_ciproviders"),
            "{out}"
        );
    }
}

#[test]
fn a_cmt_zip_of_templates_only_checks_nothing_and_says_it_once() {
    // S2's sample_data_cifv2.zip holds templates, no provider table.
    let dir = tempfile::tempdir().unwrap();
    let data = br#"<?xml version="1.0" encoding="utf-8"?><entities>
<entity name="msdyn_consoleapplicationtemplate"><records><record id="1"><field name="msdyn_name" value="CIF session"/></record></records></entity>
<entity name="msdyn_sessiontemplate"><records/></entity>
<entity name="msdyn_notificationtemplate"><records/></entity>
</entities>"#;
    let zip = zip_of(dir.path(), "sample_data_cifv2.zip", &[("data.xml", data)]);
    let (code, v, _) = run_json(&[&zip]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&v),
        vec![
            ("X07".into(), "no-provider".into(), "warning".into()),
            ("X05".into(), "other-table".into(), "info".into())
        ]
    );
    let x05 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "X05")
        .unwrap();
    assert_eq!(
        x05["message"],
        "3 tables check does not read are ignored: msdyn_consoleapplicationtemplate, msdyn_sessiontemplate, msdyn_notificationtemplate"
    );
    let (code, _, _) = run_json(&["--strict", &zip]);
    assert_eq!(code, 3);
}

#[test]
fn flattened_links_are_one_line_per_file() {
    let flat =
        || json!("@{@odata.etag=W/\"815\"; msdyn_uniquename=contoso_voiceagents; statecode=0}");
    let (code, v) = Export::of(&["v2-clean/msdyn_channelproviders.json"])
        .set(
            "msdyn_channelproviders",
            "msdyn_appconfig_msdyn_channelprovider",
            json!([flat()]),
        )
        .add_row(
            "msdyn_channelproviders",
            &[
                (
                    "msdyn_channelproviderid",
                    json!("3f0c4e21-7a8b-4c9d-8e0f-1a2b3c4d5e02"),
                ),
                ("msdyn_name", json!("Fabrikam Chat")),
                ("msdyn_uniquename", json!("fab_chat")),
            ],
        )
        .check(&[]);
    assert_eq!(code, 3);
    let x02: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "X02")
        .collect();
    assert_eq!(x02.len(), 1, "{x02:?}");
    assert_eq!(
        (&x02[0]["severity"], &x02[0]["record"]),
        (&json!("error"), &Value::Null)
    );
    assert!(x02[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("msdyn_channelproviders.json"));
    assert_eq!(x02[0]["message"], "2 records hold nested values that PowerShell's ConvertTo-Json flattened to text (default depth 2), so their links cannot be read: \"Contoso Voice\", \"Fabrikam Chat\"");
}

#[test]
fn a_directly_assigned_user_is_assignment_enough() {
    // c06: the profile has a user; no role mapping export is needed.
    let e = Export::of(&[
        "v2-clean/msdyn_channelproviders.json",
        "v2-clean/msdyn_appconfigurations.json",
    ]);
    let (code, v) = e.check(&["--strict"]);
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert!(findings(&v).is_empty(), "{:?}", findings(&v));
    // No user and no mapping export: R16 needs the mappings (X03).
    let (code, v) = Export::of(&[
        "v2-clean/msdyn_channelproviders.json",
        "v2-clean/msdyn_appconfigurations.json",
    ])
    .set(
        "msdyn_appconfigurations",
        "msdyn_appconfiguration_systemuser",
        json!([]),
    )
    .check(&[]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&v),
        vec![("X03".into(), "needs-export".into(), "info".into())]
    );
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("R16 (profile assignment) not checked"));
}

/// The findings of one rule, as (case, severity, record name, message).
fn of_rule(v: &Value, rule: &str) -> Vec<(String, String, String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (
                s("case"),
                s("severity"),
                f["record"]["name"].as_str().unwrap_or("").to_string(),
                s("message"),
            )
        })
        .collect()
}

#[test]
fn channel_url_parameters_without_a_question_mark_and_idle_time_on_other_providers() {
    // c11: S11's script appends "&idleTimeThreshold=60" (real value) to a
    // Channel URL that has no query.
    let (code, v) = Export::v2()
        .set(
            "msdyn_channelproviders",
            "msdyn_channelurl",
            json!("https://cti.contoso.example/agent&idleTimeThreshold=60"),
        )
        .check(&[]);
    assert_eq!(code, 3);
    assert_eq!(
        of_rule(&v, "R04"),
        vec![(
            "no-question-mark".into(),
            "error".into(),
            "Contoso Voice".into(),
            "msdyn_channelurl \"https://cti.contoso.example/agent&idleTimeThreshold=60\" has \"&idleTimeThreshold=60\" in its path and no '?': the parameters become part of the path".into()
        )]
    );
    assert_eq!(
        of_rule(&v, "R19"),
        vec![(
            "other-provider".into(),
            "warning".into(),
            "Contoso Voice".into(),
            "msdyn_channelurl has idleTimeThreshold=, which only the msdyn_omnichannel provider reads".into()
        )]
    );
    // With its '?', the same parameter on another provider: R19 only.
    let (code, v) = Export::v2()
        .set("msdyn_channelproviders", "msdyn_channelurl", json!("https://cti.contoso.example/agent?ucilib=https://contoso.crm.dynamics.com/webresources/Widget/msdyn_ciLibrary.js&idleTimeThreshold=60"))
        .check(&[]);
    assert_eq!(code, 0);
    assert!(!has_rule(&v, "R04"));
    assert!(has(&v, "R19", "other-provider", "warning"));
    // On msdyn_omnichannel it is the documented customisation (R19
    // overwritten-on-deploy), not other-provider.
    let (_, v) = Export::v2()
        .set(
            "msdyn_channelproviders",
            "msdyn_uniquename",
            json!("msdyn_omnichannel"),
        )
        .set(
            "msdyn_channelproviders",
            "msdyn_channelurl",
            json!("https://cti.contoso.example/agent?idleTimeThreshold=60"),
        )
        .check(&[]);
    assert_eq!(
        of_rule(&v, "R19")
            .iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>(),
        vec!["overwritten-on-deploy"]
    );
    // The clean exports: neither.
    let (_, v) = Export::v2().check(&[]);
    assert!(!has_rule(&v, "R04") && !has_rule(&v, "R19"));
    // A '&' in a path with no parameter is not flagged.
    let (_, v) = Export::v2()
        .set(
            "msdyn_channelproviders",
            "msdyn_channelurl",
            json!("https://cti.contoso.example/a&b/agent"),
        )
        .check(&[]);
    assert!(!has_rule(&v, "R04"), "{:?}", findings(&v));
}

#[test]
fn every_org_url_in_the_channel_url_is_compared_with_the_export_org() {
    // A variant of c01: S2's widget loads msdyn_ciLibrary.js from base=.
    let with = |url: &str| {
        Export::v2()
            .set("msdyn_channelproviders", "msdyn_channelurl", json!(url))
            .check(&[])
    };
    let (code, v) =
        with("https://cti.contoso.example/agent?base=https://twiliosampledev.crm.dynamics.com");
    assert_eq!(code, 3);
    assert_eq!(
        of_rule(&v, "R20"),
        vec![(
            "other-org".into(),
            "error".into(),
            "Contoso Voice".into(),
            "base= in msdyn_channelurl points at twiliosampledev.crm.dynamics.com, but the export is from https://contoso.crm.dynamics.com".into()
        )]
    );
    // Any Dynamics 365 org URL, percent-encoded too.
    let (code, v) = with("https://cti.contoso.example/agent?crm=https%3A%2F%2Ffabrikam.crm4.dynamics.com%2Fmain.aspx");
    assert_eq!(code, 3);
    assert!(has(&v, "R20", "other-org", "error"));
    // The export's own org (any case, or its api. host), and URLs that are
    // no org's, hold.
    for ok in [
        "https://cti.contoso.example/agent?base=https://CONTOSO.crm.dynamics.com/",
        "https://cti.contoso.example/agent?base=https://contoso.api.crm.dynamics.com",
        "https://cti.contoso.example/agent?cdn=https://oc-cdn-ocprod.azureedge.net/x&help=https://learn.microsoft.com/dynamics365",
    ] {
        let (code, v) = with(ok);
        assert_eq!(code, 0, "{ok}: {:?}", findings(&v));
        assert!(!has_rule(&v, "R20"), "{ok}");
    }
    // No org in the export: said once; --org gives it.
    let cmt = std::fs::read_to_string(fixture("cmt/data.xml"))
        .unwrap()
        .replace(
        "value=\"https://cti.contoso.example/agent\"",
        "value=\"https://cti.contoso.example/agent?base=https://twiliosampledev.crm.dynamics.com\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("data.xml");
    std::fs::write(&p, cmt).unwrap();
    let p = p.display().to_string();
    let (_, v, _) = run_json(&[&p]);
    assert!(!has_rule(&v, "R20"));
    assert!(findings(&v).iter().any(|(r, _, _)| r == "X03"));
    let (code, v, _) = run_json(&["--org", "https://contoso.crm.dynamics.com", &p]);
    assert_eq!(code, 3);
    assert!(has(&v, "R20", "other-org", "error"), "{:?}", findings(&v));
}

#[test]
fn navigationtype_says_an_app_is_multisession_and_names_stay_a_fallback() {
    // c09: a custom multisession app (navigationtype 1, R2) the matrix cannot
    // know by name; Sales Hub is the provider's only app.
    let (code, v) = Export::v1()
        .set("appmodules", "navigationtype", json!(1))
        .set("appmodules", "name", json!("Contoso Agent Desk"))
        .set("appmodules", "uniquename", json!("cont_agentdesk"))
        .check(&[]);
    assert_eq!(code, 3);
    assert_eq!(
        of_rule(&v, "R02"),
        vec![(
            "multisession-app".into(),
            "error".into(),
            "Contoso Phone".into(),
            "msdyn_appselector includes the multisession app Contoso Agent Desk (navigationtype 1, multisession)".into()
        )]
    );
    // navigationtype 0 is single session, whatever the name says.
    let (code, v) = Export::v1()
        .set("msdyn_ciproviders", "msdyn_appselector", json!(CSW))
        .check(&[]);
    assert!(has(&v, "R02", "multisession-app", "error") && code == 3);
    let mut e = Export::v1().set("msdyn_ciproviders", "msdyn_appselector", json!(CSW));
    for row in e.table("appmodules") {
        row["navigationtype"] = json!(0);
    }
    let (code, v) = e.check(&[]);
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert!(!has_rule(&v, "R02"));
}

#[test]
fn a_provider_whose_every_app_is_inactive_or_removed_is_found() {
    // c10: the provider's only app is inactive.
    let (code, v) = Export::v1()
        .set("appmodules", "statecode", json!(1))
        .check(&[]);
    assert_eq!(code, 0);
    assert_eq!(
        of_rule(&v, "R15"),
        vec![(
            "no-active-app".into(),
            "warning".into(),
            "Contoso Phone".into(),
            "every app msdyn_appselector selects is inactive or removed: \"Sales Hub\" (inactive, statecode 1)".into()
        )]
    );
    // The removed Omnichannel for Customer Service app (by name, the matrix).
    let (_, v) = Export::v1()
        .set(
            "appmodules",
            "name",
            json!("Omnichannel for Customer Service"),
        )
        .set(
            "appmodules",
            "uniquename",
            json!("OmnichannelEngagementHub"),
        )
        .set("appmodules", "navigationtype", json!(1))
        .check(&["--strict"]);
    assert!(
        has(&v, "R15", "no-active-app", "warning"),
        "{:?}",
        findings(&v)
    );
    // One active app among them: holds.
    let (code, v) = Export::v1()
        .set(
            "msdyn_ciproviders",
            "msdyn_appselector",
            json!(format!("{SALES};3f6b1a2c-4d5e-4f60-8a71-92b3c4d5e603")),
        )
        .set("appmodules", "statecode", json!(1))
        .check(&["--strict"]);
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert!(!has_rule(&v, "R15"));
}

#[test]
fn role_selectors_are_read_as_the_product_reads_them() {
    let roles = "9d99e1f2-0a1b-4c2d-9e3f-a4b5c6d7e801";
    // A variant of c07: the ids separated by a comma.
    let (code, v) = Export::v1()
        .set(
            "msdyn_ciproviders",
            "msdyn_roleselector",
            json!(format!("{roles},9d99e1f2-0a1b-4c2d-9e3f-a4b5c6d7e802")),
        )
        .check(&[]);
    assert_eq!(code, 0);
    assert_eq!(
        of_rule(&v, "R14")
            .iter()
            .map(|f| (f.0.as_str(), f.1.as_str()))
            .collect::<Vec<_>>(),
        vec![("separator", "warning")]
    );
    // ';' with spaces around, or a trailing ';': holds.
    for ok in [
        format!("{roles}; 9d99e1f2-0a1b-4c2d-9e3f-a4b5c6d7e802"),
        format!("{roles};"),
    ] {
        let (_, v) = Export::v1()
            .set("msdyn_ciproviders", "msdyn_roleselector", json!(ok))
            .check(&["--strict"]);
        assert!(!has_rule(&v, "R14"), "{ok}: {:?}", findings(&v));
    }
    // A business unit's copy of a role: its own id, the root's id as parent.
    let copy = "9d99e1f2-0a1b-4c2d-9e3f-a4b5c6d7e8aa";
    let e = Export::v1()
        .set("msdyn_ciproviders", "msdyn_roleselector", json!(copy))
        .add_row(
            "roles",
            &[
                ("roleid", json!(copy)),
                ("name", json!("Customer Service Representative")),
                ("_parentrootroleid_value", json!(roles)),
            ],
        );
    let (code, v) = e.check(&[]);
    assert_eq!(code, 0);
    assert_eq!(
        of_rule(&v, "R14"),
        vec![(
            "not-root-role".into(),
            "warning".into(),
            "Contoso Phone".into(),
            format!("msdyn_roleselector names role \"Customer Service Representative\" ({copy}), a business unit's copy of the root role \"Customer Service Representative\" ({roles})")
        )]
    );
    // Roles exported without _parentrootroleid_value: said as X03.
    let mut e = Export::v1();
    for row in e.table("roles") {
        row.as_object_mut()
            .unwrap()
            .remove("_parentrootroleid_value");
    }
    let (_, v) = e.check(&[]);
    assert_eq!(
        findings(&v),
        vec![("X03".into(), "needs-export".into(), "info".into())]
    );
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("R14 (root roles) not checked"));
}

#[test]
fn an_equal_channel_order_names_the_provider_that_loads_by_created_on() {
    // c09: two providers in one app with Channel Order 0, created at
    // 7:18:20 and 7:33:33 (real times, CMT); the dates here are made up.
    let tied = |first: &str, second: &str| {
        Export::v1()
            .set("msdyn_ciproviders", "createdon", json!(first))
            .second_provider(&[("createdon", json!(second))])
    };
    let (code, v) = tied("2020-06-10T07:33:33Z", "2020-06-10T07:18:20Z").check(&[]);
    assert_eq!(code, 0, "{:?}", findings(&v));
    assert_eq!(
        of_rule(&v, "R08"),
        vec![(
            "equal-order-created".into(),
            "warning".into(),
            "Contoso Phone".into(),
            "in app \"Sales Hub\", this provider and \"Fabrikam Phone\" have the same Channel Order 0; \"Fabrikam Phone\" loads, created on 2020-06-10T07:18:20Z, before this one (2020-06-10T07:33:33Z)".into()
        )]
    );
    assert!(!has_rule(&v, "X03"), "{:?}", findings(&v));
    // CMT's US date format, AM/PM read.
    let (_, v) = tied("6/10/2020 7:18:20 PM", "6/10/2020 7:33:33 AM").check(&[]);
    let r08 = of_rule(&v, "R08");
    assert_eq!((r08.len(), r08[0].2.as_str()), (1, "Contoso Phone"));
    // Equal or missing dates: the tie stays an error (equal-order on both),
    // and a missing createdon is asked for.
    let (code, v) = tied("2020-06-10T07:18:20Z", "2020-06-10T07:18:20Z").check(&[]);
    assert_eq!(code, 3);
    assert_eq!(
        of_rule(&v, "R08")
            .iter()
            .filter(|f| f.0 == "equal-order" && f.1 == "error")
            .count(),
        2
    );
    let (code, v) = Export::v1().second_provider(&[]).check(&[]);
    assert_eq!(code, 3);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "X03"
            && f["message"]
                .as_str()
                .unwrap()
                .starts_with("R08 (which of equal Channel Orders loads) not checked")));
}

#[test]
fn r04_localhost_is_a_developer_host_not_a_rejected_one() {
    let (code, v) = Export::v1()
        .set(
            "msdyn_ciproviders",
            "msdyn_landingurl",
            json!("https://localhost:44300/widget"),
        )
        .check(&[]);
    assert_eq!(code, 0);
    assert_eq!(
        of_rule(&v, "R04"),
        vec![(
            "developer-host".into(),
            "warning".into(),
            "Contoso Phone".into(),
            "the host of msdyn_landingurl is localhost: a developer's machine, which agents' browsers do not reach".into()
        )]
    );
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "R04")
        .unwrap();
    assert!(!f["fix"].as_str().unwrap().contains("reject"), "{f}");
    // The length, range and option rules say they apply to pre-import files.
    let (_, v) = Export::v1()
        .set("msdyn_ciproviders", "msdyn_sortorder", json!(1001))
        .check(&[]);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "R09")
        .unwrap();
    assert!(f["fix"].as_str().unwrap().ends_with("Dataverse refuses such a value, so an export never holds one: this finding applies to a file made or edited before import."));
}

/// A finding as (rule, case, severity, record name).
type Outcome = (String, String, String, String);

/// Every finding but the X03 infos.
fn outcome(v: &Value) -> Vec<Outcome> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] != "X03")
        .map(|f| {
            let s = |x: &Value| x.as_str().unwrap_or("").to_string();
            (
                s(&f["rule"]),
                s(&f["case"]),
                s(&f["severity"]),
                s(&f["record"]["name"]),
            )
        })
        .collect()
}

fn row(rule: &str, case: &str, severity: &str, record: &str) -> Outcome {
    (rule.into(), case.into(), severity.into(), record.into())
}

#[test]
fn the_real_value_fixtures_of_issue_26_break_and_hold() {
    let cases: Vec<(&str, i32, Vec<Outcome>)> = vec![
        (
            "c11-idle-time.json",
            3,
            vec![
                row("R04", "no-question-mark", "error", "ACV provider PoC"),
                row("R19", "other-provider", "warning", "ACV provider PoC"),
                row("R19", "overwritten-on-deploy", "warning", "Omnichannel"),
                row("R25", "several-providers", "info", "contoso_voiceagents"),
            ],
        ),
        (
            "c11-clean.json",
            0,
            vec![row(
                "R25",
                "several-providers",
                "info",
                "contoso_voiceagents",
            )],
        ),
        (
            "c01-base-other-org.json",
            3,
            vec![row("R20", "other-org", "error", "Twilio")],
        ),
        ("c01-base-this-org.json", 0, vec![]),
        (
            "c09-equal-order.xml",
            3,
            vec![
                row("R02", "multisession-app", "error", "Softphone A"),
                row("R02", "multisession-app", "error", "Softphone B"),
                row("R08", "equal-order-created", "warning", "Softphone A"),
                row("X05", "other-table", "info", ""),
            ],
        ),
        (
            "c09-clean.xml",
            0,
            vec![row("X05", "other-table", "info", "")],
        ),
    ];
    for (file, code, expected) in cases {
        let (got, v, err) = run_json(&[&fixture(&format!("issue-26/{file}"))]);
        assert_eq!((got, err.as_str()), (code, ""), "{file}");
        assert_eq!(outcome(&v), expected, "{file}");
    }
    // All of them in one run: each file with no org is its own organisation,
    // the JSON files are contoso's; nothing is compared across them, so
    // the findings are those of the files alone, plus nothing.
    let files: Vec<String> = [
        "c11-idle-time.json",
        "c01-base-other-org.json",
        "c09-equal-order.xml",
        "c09-clean.xml",
    ]
    .iter()
    .map(|f| fixture(&format!("issue-26/{f}")))
    .collect();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (code, v, _) = run_json(&args);
    assert_eq!(code, 3);
    let rules: Vec<(String, String)> = outcome(&v).into_iter().map(|(r, c, _, _)| (r, c)).collect();
    for absent in ["R10", "R14", "R15", "R16"] {
        assert!(!rules.iter().any(|(r, _)| r == absent), "{rules:?}");
    }
    assert_eq!(
        rules.iter().filter(|(r, _)| r == "R08").count(),
        1,
        "{rules:?}"
    );
    assert_eq!(v["records"]["msdyn_ciproviders"], 4);
}

#[test]
fn a_missing_page_is_found_per_organisation() {
    // contoso gives only the first page of its appmodules; fabrikam all of
    // its own: X04 for contoso's, even in one run with fabrikam.
    let fabrikam =
        Export::of(&["v1-clean/appmodules.json"]).exported_from("fabrikam.crm4.dynamics.com");
    let paths = fabrikam.paths();
    let page1 = fixture("paged/appmodules-page1.json");
    let (code, v, _) = run_json(&[&page1, &paths[0]]);
    assert_eq!(code, 0);
    let x04: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "X04")
        .collect();
    assert_eq!(x04.len(), 1, "{:?}", findings(&v));
    assert_eq!(
        x04[0]["message"],
        "every file of appmodules of https://contoso.crm.dynamics.com has @odata.nextLink: the rows of at least one page are missing"
    );
}

#[test]
fn a_record_of_a_file_cut_short_is_read_from_the_next_file() {
    // Its first row (read before the cut) is the next file's row.
    let mut two = load("v1-clean/msdyn_ciproviders.json");
    let mut second = two["value"][0].clone();
    second["msdyn_ciproviderid"] = json!("5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b702");
    two["value"].as_array_mut().unwrap().push(second);
    let text = serde_json::to_string_pretty(&two).unwrap();
    let cut = &text[..text.rfind("statecode").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cut.json");
    std::fs::write(&p, cut).unwrap();
    let (code, v, _) = run_json(&[
        &p.display().to_string(),
        &fixture("v1-clean/msdyn_ciproviders.json"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["records"]["msdyn_ciproviders"], 1);
    assert_eq!(v["files"][1]["records"], 1);
}

// ------------------------------------------------------------------
// Issue 27: check linear in its input and bounded in memory. Each
// reproduction of the 2026-12-07 sweep (D1-D9) runs the binary under
// prlimit: a CPU-time and an address-space bound, generous for a debug
// build on a shared 2-core machine, far below what the defect took.

/// Runs check in `dir` under `prlimit --cpu=CPU --as=MIB MiB`; a run over
/// either bound is killed (no exit code: -1).
fn run_bounded(dir: &Path, args: &[&str], cpu: u32, mib: u64) -> (i32, String, String) {
    let out = std::process::Command::new("prlimit")
        .arg(format!("--cpu={cpu}"))
        .arg(format!("--as={}", mib * 1024 * 1024))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_cif-advisor"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "")
        .output()
        .expect("run prlimit cif-advisor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// The one `error:` line of a refused file.
fn one_error_line(err: &str, words: &str) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(lines[0].contains(words), "{err}");
}

const CTX: &str = "https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn d1_an_element_of_100000_attributes_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let attrs: Vec<String> = (0..100_000).map(|i| format!("a{i}=\"\"")).collect();
    write(
        dir.path(),
        "attrs.xml",
        &format!("<entities {}/>", attrs.join(" ")),
    );
    let (code, out, err) = run_bounded(dir.path(), &["attrs.xml"], 2, 1024);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(&err, "more than 256 attributes at line 1");
    // 256 attributes are read.
    let attrs: Vec<String> = (0..255).map(|i| format!("a{i}=\"\"")).collect();
    write(
        dir.path(),
        "ok.xml",
        &format!("<entities xmlns:x=\"u\" {}/>", attrs.join(" ")),
    );
    let (code, out, err) = run_bounded(dir.path(), &["ok.xml"], 2, 1024);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn d2_twenty_thousand_namespace_declarations_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let decls: Vec<String> = (0..20_000)
        .map(|i| format!("xmlns:p{i}=\"u{i}\""))
        .collect();
    let text = format!(
        "<entities {}>{}</entities>",
        decls.join(" "),
        "<c xmlns:z=\"u\"/>".repeat(200)
    );
    write(dir.path(), "ns.xml", &text);
    let (code, out, err) = run_bounded(dir.path(), &["ns.xml"], 2, 1024);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(&err, "more than 64 XML namespace declarations");
    // 64 are read; an attribute value holding "xmlns:" or '=' is no declaration.
    let decls: Vec<String> = (0..64).map(|i| format!("xmlns:p{i}=\"u{i}\"")).collect();
    let text = format!(
        "<entities {}><!-- xmlns:a=\"\" --><c v=\"xmlns:q='1' = =\"/></entities>",
        decls.join(" ")
    );
    write(dir.path(), "ok.xml", &text);
    let (code, out, err) = run_bounded(dir.path(), &["ok.xml"], 2, 1024);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn d3_a_cmt_zip_of_200000_schema_fields_and_2000_entities_is_linear() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("cmt.zip")).unwrap();
    let mut z = zip::ZipWriter::new(file);
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("data.xml", deflate).unwrap();
    let data = format!(
        "<entities>{}</entities>",
        "<entity name=\"role\"><records/></entity>".repeat(2000)
    );
    z.write_all(data.as_bytes()).unwrap();
    z.start_file("data_schema.xml", deflate).unwrap();
    let fields: String = (0..200_000)
        .map(|i| format!("<field name=\"f{i}\"/>"))
        .collect();
    let schema =
        format!("<entities><entity name=\"role\"><fields>{fields}</fields></entity></entities>");
    z.write_all(schema.as_bytes()).unwrap();
    z.finish().unwrap();
    let (code, out, err) = run_bounded(dir.path(), &["cmt.zip"], 5, 1024);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Checked 1 of 1 file"), "{out}");
}

#[test]
fn d4_links_without_a_source_id_go_to_no_record() {
    let dir = tempfile::tempdir().unwrap();
    let n = 5000;
    let targets: String = (0..n)
        .map(|i| format!("<targetid>{i:08}-0000-4000-8000-000000000000</targetid>"))
        .collect();
    let text = format!(
        "<entities><entity name=\"msdyn_appconfiguration\"><records>{}</records><m2mrelationships><m2mrelationship m2mrelationshipname=\"msdyn_appconfig_msdyn_channelprovider\"><targetids>{targets}</targetids></m2mrelationship></m2mrelationships></entity></entities>",
        "<record/>".repeat(n)
    );
    write(dir.path(), "m2m.xml", &text);
    // Before: 5.2 s and 2.7 GB.
    let (code, out, err) = run_bounded(dir.path(), &["m2m.xml"], 3, 512);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("5000 msdyn_appconfigurations"), "{out}");
}

#[test]
fn d5_findings_past_100_of_one_case_are_counted_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let rows = vec!["0"; 300_000].join(",");
    write(
        dir.path(),
        "rows.json",
        &format!("{{\"@odata.context\":\"{CTX}roles\",\"value\":[{rows}]}}"),
    );
    // Before: 2.54 GB and 249 MB of JSON for 300,000 bad rows.
    for format in ["json", "text", "markdown"] {
        let (code, out, err) = run_bounded(dir.path(), &["--format", format, "rows.json"], 5, 1024);
        assert!(code == 0 || code == 3, "{format}: {code} {err}");
        assert!(out.len() < 400_000, "{format}: {} bytes", out.len());
        assert!(
            out.contains("and 299900 more findings like these, not listed: check lists at most 100 findings of one rule and case"),
            "{format}: {}",
            &out[..out.len().min(3000)]
        );
        if format == "json" {
            let v: Value = serde_json::from_str(&out).unwrap();
            let s = &v["summary"];
            let total = s["errors"].as_u64().unwrap()
                + s["warnings"].as_u64().unwrap()
                + s["infos"].as_u64().unwrap();
            // The summary counts every finding; the list holds 100 and one for the rest.
            assert!(total >= 300_000, "{s}");
            assert!(v["findings"].as_array().unwrap().len() <= 110, "{s}");
            let errors: Vec<String> = schema()
                .iter_errors(&v)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:?}");
        }
    }
}

/// `n` active 1.0 providers with an http landing URL (R03, one finding each).
fn v1_rows(n: usize) -> String {
    let rows: Vec<Value> = (0..n)
        .map(|i| {
            json!({"msdyn_ciproviderid": format!("{i:08}-0000-4000-8000-000000000000"),
                   "msdyn_name": format!("p{i}"), "msdyn_landingurl": "http://x.example/w", "statecode": 0})
        })
        .collect();
    json!({"@odata.context": format!("{CTX}msdyn_ciproviders"), "value": rows}).to_string()
}

#[test]
fn d6_text_and_markdown_of_40000_records_with_findings_are_linear() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "v1.json", &v1_rows(40_000));
    // Before: 2.7 s in a release build (160,000 rows: 40 s).
    for format in ["text", "markdown", "json"] {
        let (code, out, err) = run_bounded(dir.path(), &["--format", format, "v1.json"], 5, 1024);
        assert_eq!(code, 3, "{format}: {err}");
        assert!(
            out.contains("and 39900 more findings like these"),
            "{format}"
        );
        assert!(out.len() < 1_000_000, "{format}: {} bytes", out.len());
    }
}

#[test]
fn d7_tied_providers_are_named_a_few_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Value> = (0..12_000)
        .map(|i| {
            json!({"msdyn_ciproviderid": format!("{i:08}-0000-4000-8000-000000000000"),
                   "msdyn_name": format!("p{i}"),
                   "msdyn_appselector": "3f6b1a2c-4d5e-4f60-8a71-92b3c4d5e601",
                   "msdyn_sortorder": 0, "statecode": 0})
        })
        .collect();
    let text = json!({"@odata.context": format!("{CTX}msdyn_ciproviders"), "value": rows});
    write(dir.path(), "r08.json", &text.to_string());
    // Before: 3.9 GB, then an abort (exit 134).
    let (code, out, err) = run_bounded(dir.path(), &["--format", "json", "r08.json"], 5, 1024);
    assert!(code == 0 || code == 3, "{code} {err}");
    assert!(out.len() < 1_000_000, "{} bytes", out.len());
    let v: Value = serde_json::from_str(&out).unwrap();
    let r08: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "R08")
        .collect();
    assert!(!r08.is_empty() && r08.len() <= 101, "{}", r08.len());
    let m = r08
        .iter()
        .find(|f| !f["record"].is_null())
        .and_then(|f| f["message"].as_str())
        .unwrap();
    assert!(
        m.contains("this provider and \"p")
            && m.contains(" and 11996 more are active with the same Channel Order 0"),
        "{m}"
    );
    assert!(r08.iter().any(|f| f["message"]
        .as_str()
        .unwrap()
        .starts_with("and 11900 more findings like these")));
}

/// D8's export: `n` 2.0 providers and `n` profiles, each profile linked to
/// a provider that is not there.
fn d8_files(dir: &Path, n: usize) {
    let pv: Vec<Value> = (0..n)
        .map(|i| {
            json!({"msdyn_channelproviderid": format!("{i:08}-0000-4000-8000-000000000000"),
                   "msdyn_name": format!("p{i}"), "msdyn_uniquename": format!("new_p{i}"), "statecode": 0})
        })
        .collect();
    let pr: Vec<Value> = (0..n)
        .map(|i| {
            json!({"msdyn_appconfigurationid": format!("{i:08}-1111-4000-8000-000000000000"),
                   "msdyn_name": format!("prof{i}"), "msdyn_uniquename": format!("new_prof{i}"), "statecode": 0,
                   "msdyn_appconfig_msdyn_channelprovider": [{"msdyn_channelproviderid": format!("ffffffff-0000-4000-8000-{i:012}")}]})
        })
        .collect();
    let renamed: Vec<Value> = pv
        .iter()
        .rev()
        .map(|r| {
            let mut r = r.clone();
            r["msdyn_uniquename"] = json!(format!("{}x", r["msdyn_uniquename"].as_str().unwrap()));
            r
        })
        .collect();
    let page = |set: &str, rows: Vec<Value>| {
        json!({"@odata.context": format!("{CTX}{set}"), "value": rows}).to_string()
    };
    write(dir, "v2.json", &page("msdyn_channelproviders", pv));
    write(dir, "prof.json", &page("msdyn_appconfigurations", pr));
    write(dir, "v2new.json", &page("msdyn_channelproviders", renamed));
}

#[test]
fn d8_rules_look_records_up_by_key() {
    let dir = tempfile::tempdir().unwrap();
    d8_files(dir.path(), 20_000);
    // Before: 3.4 s (profiles) and 1.4 s (--diff) in a release build.
    let (code, _, err) = run_bounded(
        dir.path(),
        &["--format", "json", "v2.json", "prof.json"],
        5,
        1536,
    );
    assert!(code == 0 || code == 3, "{code} {err}");
    let (code, out, err) = run_bounded(
        dir.path(),
        &["--format", "json", "--diff", "v2.json", "v2new.json"],
        5,
        1536,
    );
    assert!(code == 0 || code == 3, "{code} {err}");
    assert!(
        out.contains("and 19900 more findings like these"),
        "R11 folded"
    );
}

#[test]
fn d9_many_files_after_a_large_one_cost_what_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<String> = (0..100_000)
        .map(|i| format!("{{\"roleid\":\"{i}\"}}"))
        .collect();
    write(
        dir.path(),
        "roles.json",
        &format!(
            "{{\"@odata.context\":\"{CTX}roles\",\"value\":[{}]}}",
            rows.join(",")
        ),
    );
    let mut args = vec!["roles.json".to_string()];
    args.extend((1..=100).map(|i| format!("page-{i}.json")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, err) = run_bounded(dir.path(), &args, 5, 1024);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.lines().count(), 100, "{err}");
}

/// A zip of `entries` (name, bytes, compression), as written.
fn zip_with(path: &Path, entries: &[(&str, &[u8], zip::CompressionMethod)]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes, method) in entries {
        let options = zip::write::SimpleFileOptions::default().compression_method(*method);
        z.start_file(*name, options).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

const D23_DATA: &str = "<entities><entity name=\"msdyn_ciprovider\"><records><record id=\"5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b701\"><field name=\"msdyn_name\" value=\"Contoso Phone\"/><field name=\"msdyn_landingurl\" value=\"http://cti.example/w\"/><field name=\"statecode\" value=\"0\"/></record></records></entity></entities>";

#[test]
fn d23_a_zip_with_two_data_xml_entries_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let stored = zip::CompressionMethod::Stored;
    zip_with(
        &dir.path().join("two.zip"),
        &[
            ("a/data.xml", D23_DATA.as_bytes(), stored),
            ("b/data.xml", b"<entities/>", stored),
        ],
    );
    let (code, out, err) = run_bounded(dir.path(), &["two.zip"], 5, 1024);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(
        &err,
        "a zip with two data.xml entries ('a/data.xml' and 'b/data.xml')",
    );
    zip_with(
        &dir.path().join("one.zip"),
        &[("data.xml", D23_DATA.as_bytes(), stored)],
    );
    let (code, _, err) = run_bounded(dir.path(), &["one.zip"], 5, 1024);
    assert_eq!(code, 3, "{err}");
}

#[test]
fn d24_the_zip_budget_counts_the_bytes_unpacked_not_the_declared_sizes() {
    let dir = tempfile::tempdir().unwrap();
    // Two entries of 40 MiB each: each under the cap, together over it.
    let mut pad = b"<!--".to_vec();
    pad.resize(40 * 1024 * 1024, b'x');
    pad.extend_from_slice(b"--><entities/>");
    let deflate = zip::CompressionMethod::Deflated;
    zip_with(
        &dir.path().join("big.zip"),
        &[
            ("data.xml", &pad, deflate),
            ("data_schema.xml", &pad, deflate),
        ],
    );
    // The headers lie: 1,000 bytes each, as the sweep's liar.zip.
    let path = dir.path().join("big.zip");
    let mut bytes = std::fs::read(&path).unwrap();
    for (sig, off) in [(&b"PK\x03\x04"[..], 22), (&b"PK\x01\x02"[..], 24)] {
        let mut i = 0;
        while let Some(j) = bytes[i..].windows(4).position(|w| w == sig) {
            let at = i + j + off;
            bytes[at..at + 4].copy_from_slice(&1000u32.to_le_bytes());
            i += j + 4;
        }
    }
    std::fs::write(&path, &bytes).unwrap();
    let (code, out, err) = run_bounded(dir.path(), &["big.zip"], 10, 1536);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(&err, "unpacks to more than the 64 MiB limit");
}

#[test]
fn d27_an_encrypted_or_bzip2_entry_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let mut z = zip::ZipWriter::new(std::fs::File::create(dir.path().join("enc.zip")).unwrap());
    // The zip crate's writer: flag the entry encrypted by hand (ZipCrypto
    // writing needs a feature this crate leaves off).
    z.start_file("data.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"<entities/>").unwrap();
    z.finish().unwrap();
    let mut bytes = std::fs::read(dir.path().join("enc.zip")).unwrap();
    for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let at = bytes.windows(4).position(|w| w == sig).unwrap();
        // General purpose flag: local header at +6, central at +8.
        let flag = at + if sig[2] == 3 { 6 } else { 8 };
        bytes[flag] |= 1;
    }
    std::fs::write(dir.path().join("enc.zip"), &bytes).unwrap();
    let (code, out, err) = run_bounded(dir.path(), &["enc.zip"], 5, 1024);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(
        &err,
        "data.xml is encrypted; export the data zip without a password",
    );
    // bzip2 (method 12), written stored and relabelled.
    zip_with(
        &dir.path().join("bz.zip"),
        &[("data.xml", b"<entities/>", zip::CompressionMethod::Stored)],
    );
    let mut bytes = std::fs::read(dir.path().join("bz.zip")).unwrap();
    for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let at = bytes.windows(4).position(|w| w == sig).unwrap();
        let method = at + if sig[2] == 3 { 8 } else { 10 };
        bytes[method] = 12;
    }
    std::fs::write(dir.path().join("bz.zip"), &bytes).unwrap();
    let (code, out, err) = run_bounded(dir.path(), &["bz.zip"], 5, 1024);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(&err, "zip it again with deflate");
}

#[test]
fn d32_utf32_text_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xFF\xFE\x00\x00".to_vec();
    for c in "{\"value\":[]}".chars() {
        bytes.extend_from_slice(&(c as u32).to_le_bytes());
    }
    std::fs::write(dir.path().join("u32.json"), bytes).unwrap();
    let (code, out, err) = run_bounded(dir.path(), &["u32.json"], 5, 1024);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(&err, "UTF-32 text; save it as UTF-8");
}

#[test]
fn d33_a_second_value_array_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.json",
        &format!("{{\"@odata.context\":\"{CTX}roles\",\"value\":[{{\"roleid\":\"1\"}}],\"value\":[{{\"roleid\":\"2\"}}]}}"),
    );
    let (code, out, err) = run_bounded(dir.path(), &["p.json"], 5, 1024);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(&err, "two rows arrays in one response (a second 'value')");
}

#[test]
fn d30_queries_refuse_a_port_and_a_wildcard_host() {
    let (code, out, err) = run(&["--queries", "https://org.example:8443"]);
    assert_eq!(code, 2, "{out}");
    one_error_line(&err, "give the host alone, with no port or user name");
    let (code, out, err) = run(&["--queries", "https://*.x"]);
    assert_eq!(code, 2, "{out}");
    one_error_line(&err, "expected the organisation URL");
    let (code, out, _) = run(&["--queries", "https://Contoso.crm.dynamics.com/"]);
    assert_eq!(code, 0);
    assert!(out.contains("GET https://contoso.crm.dynamics.com/api/data/v9.2/"));
}

#[test]
fn d26_a_zip_of_too_many_entries_is_refused_from_its_end_record() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..70_000).map(|i| format!("{i:x}")).collect();
    let entries: Vec<(&str, &[u8], zip::CompressionMethod)> = names
        .iter()
        .map(|n| (n.as_str(), &b""[..], zip::CompressionMethod::Stored))
        .collect();
    zip_with(&dir.path().join("many.zip"), &entries);
    let (code, out, err) = run_bounded(dir.path(), &["many.zip"], 5, 512);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(
        &err,
        "a zip with 70000 entries, more than the 100 check accepts",
    );
}

#[test]
fn d10_a_top_level_array_is_streamed_and_rows_of_no_table_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    // 6 MB of `0` rows (the sweep's 60 MB took 4.2 GB): no table, one X05.
    write(
        dir.path(),
        "arr.json",
        &format!("[{}]", vec!["0"; 3_000_000].join(",")),
    );
    let (code, out, err) = run_bounded(dir.path(), &["--format", "json", "arr.json"], 10, 512);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        has(&v, "X05", "other-table", "info") || has_rule(&v, "X05"),
        "{out}"
    );
    // Rows of roles after the zeros: the zeros are X01, counted past 100.
    write(
        dir.path(),
        "mixed.json",
        &format!("[{},{{\"roleid\":\"1\"}}]", vec!["0"; 300_000].join(",")),
    );
    let (code, out, err) = run_bounded(dir.path(), &["--format", "json", "mixed.json"], 10, 512);
    assert!(code == 0 || code == 3, "{err}");
    assert!(out.contains("and 299900 more findings like these"), "{out}");
    assert!(out.contains("\"roles\": 1"), "{out}");
    // A bundle of responses is still read as one.
    let page =
        |set: &str, rows: &str| format!("{{\"@odata.context\":\"{CTX}{set}\",\"value\":[{rows}]}}");
    write(
        dir.path(),
        "bundle.json",
        &format!(
            "[{},{}]",
            page("roles", "{\"roleid\":\"1\"}"),
            page("roles", "{\"roleid\":\"2\"}")
        ),
    );
    let (code, out, err) = run_bounded(dir.path(), &["--format", "json", "bundle.json"], 5, 512);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"roles\": 2"), "{out}");
}

#[test]
fn d10_64_mib_of_tiny_rows_stop_at_the_record_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("{{\"@odata.context\":\"{CTX}roles\",\"value\":[");
    let mut i = 0;
    while text.len() < 63 * 1024 * 1024 {
        text.push_str(&format!("{{\"roleid\":\"{i}\"}},"));
        i += 1;
    }
    text.push_str("{\"roleid\":\"last\"}]}");
    write(dir.path(), "roles.json", &text);
    // Before: 4.6 s and 876 MB-1.46 GB (14-23 times the file) in release.
    let (code, out, err) = run_bounded(dir.path(), &["roles.json"], 10, 768);
    assert_eq!(code, 1, "{out}{err}");
    one_error_line(&err, "more than 200000 roles records");
}

#[test]
fn d7_r23_names_a_few_of_the_profiles_tied_for_a_role() {
    let dir = tempfile::tempdir().unwrap();
    let n = 5000;
    let role = "9d99e1f2-0a1b-4c2d-9e3f-a4b5c6d7e801";
    let profiles: Vec<Value> = (0..n)
        .map(|i| {
            json!({"msdyn_appconfigurationid": format!("{i:08}-1111-4000-8000-000000000000"),
                   "msdyn_name": format!("prof{i}"), "msdyn_uniquename": format!("new_prof{i}"),
                   "msdyn_profileorder": 1, "statecode": 0})
        })
        .collect();
    let mappings: Vec<Value> = (0..n)
        .map(|i| {
            json!({"msdyn_appprofilerolemappingid": format!("{i:08}-2222-4000-8000-000000000000"),
                   "msdyn_uniquename": format!("new_map{i}"),
                   "_msdyn_appprofileid_value": format!("{i:08}-1111-4000-8000-000000000000"),
                   "_msdyn_securityroleid_value": role, "statecode": 0})
        })
        .collect();
    let page = |set: &str, rows: Vec<Value>| {
        json!({"@odata.context": format!("{CTX}{set}"), "value": rows}).to_string()
    };
    write(
        dir.path(),
        "prof.json",
        &page("msdyn_appconfigurations", profiles),
    );
    write(
        dir.path(),
        "map.json",
        &page("msdyn_appprofilerolemappings", mappings),
    );
    // Before: 624 MB of JSON, 2.34 GB, 9.6 s.
    let (code, out, err) = run_bounded(
        dir.path(),
        &["--format", "json", "prof.json", "map.json"],
        5,
        1024,
    );
    assert!(code == 0 || code == 3, "{code} {err}");
    assert!(out.len() < 1_000_000, "{} bytes", out.len());
    let v: Value = serde_json::from_str(&out).unwrap();
    let r23: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "R23")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        r23.iter()
            .any(|m| m.contains(" and 4996 more, all of rank 1")),
        "{r23:?}"
    );
    assert!(r23
        .iter()
        .any(|m| m.starts_with("and 4900 more findings like these")));
}

#[test]
fn d5_300000_ignored_tables_are_one_line_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "x05.xml",
        &format!(
            "<entities>{}</entities>",
            "<entity name=\"x\"/>".repeat(300_000)
        ),
    );
    // Before: 1.9 GB in JSON (the sweep's C05); every ignored table kept.
    let (code, out, err) = run_bounded(dir.path(), &["--format", "json", "x05.xml"], 5, 512);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "300000 tables check does not read are ignored: x, x, x, x, x, x, and 299994 more"
        ),
        "{out}"
    );
}

/// The Limits table's `check` rows, each at its limit and one past it.
#[test]
fn check_limits_hold_at_the_limit_and_refuse_one_past() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 256 attributes on one element are read; 257 are refused.
    for (n, code) in [(256, 0), (257, 1)] {
        let attrs: Vec<String> = (0..n).map(|i| format!("a{i}=\"\"")).collect();
        write(d, "a.xml", &format!("<entities {}/>", attrs.join(" ")));
        let (got, out, err) = run_bounded(d, &["a.xml"], 5, 1024);
        assert_eq!(got, code, "{n} attributes: {out}{err}");
    }
    // 64 namespace declarations are read; 65 are refused.
    for (n, code) in [(64, 0), (65, 1)] {
        let decls: Vec<String> = (0..n).map(|i| format!("xmlns:p{i}=\"u{i}\"")).collect();
        write(d, "n.xml", &format!("<entities {}/>", decls.join(" ")));
        let (got, out, err) = run_bounded(d, &["n.xml"], 5, 1024);
        assert_eq!(got, code, "{n} declarations: {out}{err}");
    }
    // A zip of 100 entries is read; 101 are refused.
    for (n, code) in [(100, 0), (101, 1)] {
        let names: Vec<String> = (1..n).map(|i| format!("other-{i}.txt")).collect();
        let mut entries: Vec<(&str, &[u8], zip::CompressionMethod)> = names
            .iter()
            .map(|n| (n.as_str(), &b""[..], zip::CompressionMethod::Stored))
            .collect();
        entries.push(("data.xml", b"<entities/>", zip::CompressionMethod::Stored));
        zip_with(&d.join("z.zip"), &entries);
        let (got, out, err) = run_bounded(d, &["z.zip"], 5, 1024);
        assert_eq!(got, code, "{n} entries: {out}{err}");
        if code == 1 {
            one_error_line(
                &err,
                "a zip with 101 entries, more than the 100 check accepts",
            );
        }
    }
    // 100 findings of one rule and case are listed; the 101st is counted.
    for (n, listed, more) in [(100, 100, 0), (101, 100, 1)] {
        let rows: Vec<Value> = (0..n)
            .map(|i| json!({"msdyn_ciproviderid": format!("{i:08}-0000-4000-8000-000000000000"), "msdyn_name": ""}))
            .collect();
        let page = json!({"@odata.context": format!("{CTX}msdyn_ciproviders"), "value": rows});
        write(d, "p.json", &page.to_string());
        let (_, out, err) = run_bounded(d, &["--format", "json", "p.json"], 5, 1024);
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
        let empty = findings(&v)
            .into_iter()
            .filter(|(r, c, _)| r == "R26" && c == "empty");
        assert_eq!(
            empty.count(),
            listed + usize::from(more > 0),
            "{n} findings"
        );
        assert_eq!(v["summary"]["errors"], json!(n), "{n} findings");
        assert_eq!(
            out.contains("and 1 more finding like these"),
            more == 1,
            "{n} findings"
        );
    }
    // 200,000 records of one table are read; one more is refused (D10).
    let roles = |n: usize| {
        let rows: Vec<String> = (0..n).map(|i| format!("{{\"roleid\":\"{i}\"}}")).collect();
        format!(
            "{{\"@odata.context\":\"{CTX}roles\",\"value\":[{}]}}",
            rows.join(",")
        )
    };
    for (n, code) in [(200_000, 0), (200_001, 1)] {
        write(d, "r.json", &roles(n));
        let (got, out, err) = run_bounded(d, &["r.json"], 20, 1024);
        assert_eq!(got, code, "{n} roles: {out}{err}");
        if code == 1 {
            one_error_line(
                &err,
                "more than 200000 roles records; check reads at most 200000",
            );
        } else {
            assert!(out.contains("200000 roles"), "{out}");
        }
    }
    // A file of exactly 64 MiB is read; one byte more is refused.
    let head = format!("{{\"@odata.context\":\"{CTX}roles\",\"value\":[]}}");
    for (extra, code) in [(0, 0), (1, 1)] {
        let mut text = head.clone().into_bytes();
        text.resize(64 * 1024 * 1024 + extra, b' ');
        std::fs::write(d.join("big.json"), text).unwrap();
        let (got, out, err) = run_bounded(d, &["big.json"], 20, 2048);
        assert_eq!(got, code, "64 MiB + {extra}: {out}{err}");
    }
}
