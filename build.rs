//! Checks the embedded data files at build time and stores them in a compact
//! binary form (postcard), so a bad data file fails the build and the binary
//! never parses YAML for its built-in data.

use cif_data::check as check_rules;
use cif_data::matrix::validate;
use cif_data::{knowledge, yaml};

use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR is not set"));
    let matrix = load("data/cif-matrix.yaml", validate::validate);
    write_part(&out_dir, "matrix.postcard", &matrix);
    // The knowledge catalogues (api, troubleshoot, migrate): unique ids,
    // non-empty texts, https:// sources, known versions, YYYY-MM-DD dates,
    // and migrate pitfalls that name problems of problems.yaml.
    let api = load("data/api.yaml", knowledge::ApiCatalogue::validate);
    write_part(&out_dir, "api.postcard", &api);
    let problems = load("data/problems.yaml", knowledge::ProblemCatalogue::validate);
    write_part(&out_dir, "problems.postcard", &problems);
    // troubleshoot's word lists: words lower case and listed once, one
    // meaning each, weak and version words among the canonical ones.
    let words = load(
        "data/troubleshoot-words.yaml",
        knowledge::WordLists::validate,
    );
    write_part(&out_dir, "troubleshoot-words.postcard", &words);
    let problem_ids = problems.ids();
    // A checklist item's `when` names matrix dimensions, with their values.
    let dimensions = knowledge::dimension_specs(&matrix);
    let guide = load("data/migrate.yaml", |c: &knowledge::MigrateGuide| {
        c.validate(&problem_ids, &dimensions)
    });
    write_part(&out_dir, "migrate.postcard", &guide);
    // The rules of `check`: ids, severities, bases, https:// sources, fixes.
    let rules = load(
        "data/check-rules.yaml",
        check_rules::RuleCatalogue::validate,
    );
    write_part(&out_dir, "check-rules.postcard", &rules);
}

/// Reads, parses and checks one data file; any problem fails the build.
fn load<T, E>(path: &str, check: impl Fn(&T) -> Result<(), E>) -> T
where
    T: serde::de::DeserializeOwned,
    E: std::fmt::Display,
{
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    let value: T = yaml::from_str_borrowed(&text).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    // No fact without a source and a basis, in every data file.
    let shape: validate::Shape =
        yaml::from_str_borrowed(&text).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    validate::check_basis(&shape).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    check(&value).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    value
}

fn write_part<T: serde::Serialize>(out_dir: &str, name: &str, value: &T) {
    let bytes = postcard::to_allocvec(value).unwrap_or_else(|e| fail(&format!("{name}: {e}")));
    std::fs::write(Path::new(out_dir).join(name), bytes)
        .unwrap_or_else(|e| fail(&format!("{name}: {e}")));
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
