//! The one table of requirement flags (`cif_advisor::flags`) against what
//! it must agree with: the built-in matrix's dimensions, the parsed command
//! line, `--help`, and docs/reference.md's flag table. A custom matrix's own
//! dimension (which has no flag) is stated through a requirements file.

mod common;

use cif_advisor::flags::{FlagKind, REQUIREMENT_FLAGS};
use cif_advisor::matrix::{DimensionKind, Matrix, EMBEDDED_YAML};
use common::run_binary;

fn matrix() -> Matrix {
    Matrix::from_yaml(EMBEDDED_YAML, "cif-matrix.yaml").expect("embedded matrix")
}

#[test]
fn every_dimension_has_its_flag_and_every_flag_its_dimension() {
    let m = matrix();
    for d in &m.dimensions {
        let flag = REQUIREMENT_FLAGS
            .iter()
            .find(|f| f.key == d.key.as_str())
            .unwrap_or_else(|| panic!("dimension '{}' has no requirement flag", d.key));
        let expected = match d.kind {
            DimensionKind::Choice => FlagKind::One,
            DimensionKind::Multi | DimensionKind::Apps => FlagKind::List,
            DimensionKind::Flag => FlagKind::Switch,
            DimensionKind::Count => FlagKind::Count,
        };
        assert_eq!(
            flag.kind, expected,
            "--{} for dimension '{}'",
            flag.long, d.key
        );
    }
    for f in &REQUIREMENT_FLAGS {
        assert!(
            m.dimensions.iter().any(|d| d.key.as_str() == f.key),
            "--{} names '{}', which the built-in matrix has no dimension for",
            f.long,
            f.key
        );
    }
    assert_eq!(m.dimensions.len(), REQUIREMENT_FLAGS.len());
}

#[test]
fn each_flags_help_lists_its_dimensions_values_in_the_matrix_order() {
    let m = matrix();
    for f in REQUIREMENT_FLAGS
        .iter()
        .filter(|f| matches!(f.kind, FlagKind::One | FlagKind::List) && f.key != "apps")
    {
        let d = m.dimension(f.key).expect("dimension");
        // "…: a, b (what b is), c (repeat or comma-separate)" → a, b, c
        let (_, list) = f.help.split_once(": ").expect("a list of values");
        let mut plain = String::new();
        let mut depth = 0;
        for c in list.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                c if depth == 0 => plain.push(c),
                _ => {}
            }
        }
        let listed: Vec<&str> = plain.split(',').map(str::trim).collect();
        let ids: Vec<&str> = d.values.iter().map(|v| v.id.as_ref()).collect();
        assert_eq!(listed, ids, "--{}'s help: {}", f.long, f.help);
    }
}

#[test]
fn help_lists_every_flag_in_table_order_with_its_line() {
    let (code, help, _) = run_binary(&["recommend", "--help"], None, "1000");
    assert_eq!(code, 0);
    // One line per flag once clap's wrapping (at 100 columns) is undone.
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut at = 0;
    for f in &REQUIREMENT_FLAGS {
        let name = if f.value_name.is_empty() {
            format!("--{}", f.long)
        } else {
            format!("--{} <{}>", f.long, f.value_name)
        };
        let line = format!("{name} {}", f.help);
        let found = help[at..]
            .find(&line)
            .unwrap_or_else(|| panic!("{line:?} missing (or out of order) in:\n{help}"));
        at += found + line.len();
    }
}

/// docs/reference.md's row for a flag: the flag cell, the key cell and, for a flag
/// with values, the values cell opening with the matrix's value ids.
fn readme_row(m: &Matrix, f: &cif_advisor::flags::RequirementFlag) -> (String, String) {
    let flag_cell = match f.kind {
        FlagKind::Switch => format!("`--{}`", f.long),
        FlagKind::List => format!("`--{} {}` (repeat, or `a,b`)", f.long, f.value_name),
        FlagKind::One | FlagKind::Count => format!("`--{} {}`", f.long, f.value_name),
    };
    let ids: Vec<String> = match f.kind {
        FlagKind::One | FlagKind::List => {
            let d = m.dimension(f.key).expect("dimension");
            if d.kind == DimensionKind::Apps {
                m.apps.iter().map(|a| format!("`{}`", a.id)).collect()
            } else {
                d.values.iter().map(|v| format!("`{}`", v.id)).collect()
            }
        }
        FlagKind::Switch | FlagKind::Count => Vec::new(),
    };
    (format!("| {flag_cell} | `{}` | ", f.key), ids.join(", "))
}

#[test]
fn the_reference_table_is_the_flag_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md"))
        .expect("docs/reference.md");
    let start = readme
        .find("| flag | key | values |")
        .expect("the flag table");
    let rows: Vec<&str> = readme[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter(|l| !l.starts_with("| `--requirements") && !l.starts_with("| `--skip"))
        .collect();
    let m = matrix();
    let mut wanted = Vec::new();
    for f in &REQUIREMENT_FLAGS {
        let (head, ids) = readme_row(&m, f);
        wanted.push(format!("{head}{ids}…"));
        let row = rows
            .iter()
            .find(|r| r.starts_with(&head))
            .unwrap_or_else(|| {
                panic!("docs/reference.md's flag table has no row starting {head:?}")
            });
        let values = &row[head.len()..];
        assert!(
            values.starts_with(&ids),
            "docs/reference.md row for --{}: the values should open with {ids:?}, found {values:?}",
            f.long
        );
        if !ids.is_empty() {
            let rest = &values[ids.len()..];
            assert!(
                rest.starts_with(" |") || rest.starts_with(';'),
                "docs/reference.md row for --{}: values beyond the matrix's: {values:?}",
                f.long
            );
        }
    }
    let heads: Vec<String> = REQUIREMENT_FLAGS
        .iter()
        .map(|f| readme_row(&m, f).0)
        .collect();
    let in_readme: Vec<&str> = rows
        .iter()
        .map(|r| {
            heads
                .iter()
                .find(|h| r.starts_with(h.as_str()))
                .map(String::as_str)
                .unwrap_or(r)
        })
        .collect();
    assert_eq!(
        in_readme,
        heads.iter().map(String::as_str).collect::<Vec<_>>(),
        "docs/reference.md's flag rows, in --help order, should be:\n{}",
        wanted.join("\n")
    );
}

/// The built-in matrix with the `dialers` dimension renamed `softphones`:
/// a dimension no flag states.
fn matrix_with_an_unflagged_dimension(dir: &std::path::Path) -> std::path::PathBuf {
    let yaml = EMBEDDED_YAML
        .replace("\n  - key: dialers\n", "\n  - key: softphones\n")
        .replace("for: dialers=", "for: softphones=");
    assert!(yaml.contains("key: softphones"));
    let path = dir.join("matrix.yaml");
    std::fs::write(&path, yaml).expect("write matrix");
    path
}

#[test]
fn a_custom_dimension_is_stated_through_a_requirements_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let matrix = matrix_with_an_unflagged_dimension(dir.path());
    let req = dir.path().join("org.yaml");
    std::fs::write(&req, "apps: [sales]\nsoftphones: [teams-dialer]\n").expect("write");
    let m = matrix.to_str().expect("utf-8 path");
    let r = req.to_str().expect("utf-8 path");

    let (code, out, err) = run_binary(
        &[
            "recommend",
            "--matrix",
            m,
            "--requirements",
            r,
            "--format",
            "json",
        ],
        None,
        "100",
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        json["requirements"],
        serde_json::json!({"apps": ["sales"], "softphones": ["teams-dialer"]}),
        "{err}"
    );
    // The answer is the built-in matrix's for the same requirements by flag.
    let (builtin_code, builtin, _) = run_binary(
        &[
            "recommend",
            "--app",
            "sales",
            "--dialer",
            "teams-dialer",
            "--format",
            "json",
        ],
        None,
        "100",
    );
    let builtin: serde_json::Value = serde_json::from_str(&builtin).expect("json");
    assert_eq!(code, builtin_code);
    for key in ["outcome", "recommended", "fits", "confidence"] {
        assert_eq!(json[key], builtin[key], "{key}");
    }

    // The decision record's command line says what flags cannot.
    let (code, out, _) = run_binary(
        &[
            "recommend",
            "--matrix",
            m,
            "--requirements",
            r,
            "--format",
            "markdown",
        ],
        None,
        "100",
    );
    assert_eq!(code, builtin_code);
    assert!(
        out.contains(&format!(
            "cif-advisor recommend --app sales --matrix {m} --format markdown  # plus softphones in --requirements FILE"
        )),
        "{out}"
    );

    // The flag of a dimension this matrix lacks is refused, with the way out.
    let (code, _, err) = run_binary(
        &["recommend", "--matrix", m, "--dialer", "teams-dialer"],
        None,
        "100",
    );
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --dialer cannot be used: the matrix has no 'dialers' dimension (it has: apps, \
         session, providers, channels, analytics, templates, presence, panel_side, panel_modes, \
         cloud, client, deployment, host, softphones); state it in --requirements FILE with the \
         matrix's keys\n"
    );
}
