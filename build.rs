//! Checks the embedded data files at build time and stores them in a compact
//! binary form (postcard), so a bad data file fails the build and the binary
//! never parses YAML for its built-in data.

use cif_data::check as check_rules;
use cif_data::matrix::validate;
use cif_data::{knowledge, troubleshoot, yaml};

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
    // The problem catalogue's words, indexed by those lists once here
    // rather than at each `troubleshoot` run.
    let word_rules = troubleshoot::words::WordRules::new(words);
    let index = troubleshoot::index::Index::new(&problems, &word_rules);
    write_part(&out_dir, "problem-index.postcard", &index);
    let problem_ids = problems.ids();
    let guide = load("data/migrate.yaml", |c: &knowledge::MigrateGuide| {
        c.validate(&problem_ids, &matrix)
    });
    write_part(&out_dir, "migrate.postcard", &guide);
    // The rules of `check`: ids, severities, bases, https:// sources, fixes.
    let rules = load(
        "data/check-rules.yaml",
        check_rules::RuleCatalogue::validate,
    );
    write_part(&out_dir, "check-rules.postcard", &rules);
    write_check_cases(&out_dir, &rules);
}

/// Writes `check_cases.rs`: one `Case` variant per rule case of
/// data/check-rules.yaml (`R15NoApps`), so the code names a case the
/// catalogue has, or does not compile.
fn write_check_cases(out_dir: &str, rules: &check_rules::RuleCatalogue) {
    let camel = |s: &str| -> String {
        s.split('-')
            .flat_map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase())
                    .into_iter()
                    .chain(c)
            })
            .collect()
    };
    let (mut variants, mut arms) = (String::new(), String::new());
    for r in &rules.rules {
        for c in &r.cases {
            let name = format!("{}{}", r.id, camel(&c.case));
            variants.push_str(&format!("    {name},\n"));
            arms.push_str(&format!(
                "            Case::{name} => ({:?}, {:?}),\n",
                r.id, c.case
            ));
        }
    }
    let code = format!(
        "/// A case of a rule of data/check-rules.yaml (written by build.rs).\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]\n\
         pub enum Case {{\n{variants}}}\n\n\
         impl Case {{\n    /// The rule id and case key.\n    \
         pub const fn ids(self) -> (&'static str, &'static str) {{\n        \
         match self {{\n{arms}        }}\n    }}\n}}\n"
    );
    std::fs::write(Path::new(out_dir).join("check_cases.rs"), code)
        .unwrap_or_else(|e| fail(&format!("check_cases.rs: {e}")));
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
