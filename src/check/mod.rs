//! `cif-advisor check`: reads a team's exported channel-provider
//! configuration and reports its mistakes, with the rules of
//! `data/check-rules.yaml`.

pub mod config;
pub use cif_data::check as model;
pub mod read;
pub mod rules;

pub use rules::KnownApps;

include!(concat!(env!("OUT_DIR"), "/check_cases.rs"));

use crate::error::Error;
use crate::exit::ExitCode;
use model::{RuleCatalogue, Severity};
use std::path::PathBuf;

static RULES_BINARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/check-rules.postcard"));

/// The embedded rules (validated by build.rs).
pub fn catalogue() -> Result<RuleCatalogue, Error> {
    postcard::from_bytes(RULES_BINARY)
        .map_err(|e| Error::BuiltIn(format!("the built-in check rules cannot be read ({e})")))
}

/// The outcome of a check: what was read and what was found.
pub struct Report {
    pub files: Vec<read::FileInfo>,
    pub findings: Vec<rules::Finding>,
    pub counts: Counts,
    pub strict: bool,
    /// Records read, per table.
    pub records: [(config::Table, usize); 6],
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Report {
    /// 1 if a file cannot be read, else 3 for an error-level
    /// finding (or, with --strict, a warning), else 0.
    pub fn exit_code(&self) -> ExitCode {
        if self.files.iter().any(|f| f.error.is_some()) {
            ExitCode::Error
        } else if self.counts.errors > 0 || (self.strict && self.counts.warnings > 0) {
            ExitCode::NoMatch
        } else {
            ExitCode::Success
        }
    }
}

/// Options of one check.
pub struct Options {
    pub strict: bool,
    /// Earlier exports to compare with (`--diff`).
    pub previous: Vec<PathBuf>,
    /// `--expect outbound[=NAME]`, `--expect analytics[=NAME]`.
    pub expect: Vec<rules::Expectation>,
    /// `--org URL`: the org of the files that name none (CMT, Xrm.WebApi).
    pub org: Option<String>,
}

/// Reads the files and runs the rules.
pub fn check(
    paths: &[PathBuf],
    known: &rules::KnownApps,
    catalogue: &RuleCatalogue,
    options: &Options,
) -> Report {
    let mut reader = read::Reader::default();
    reader.default_org.clone_from(&options.org);
    paths.iter().for_each(|p| reader.read_file(p));
    reader.run_level_issues();
    let inputs = rules::Inputs {
        catalogue,
        apps: known,
        file_orgs: (0..reader.files.len())
            .map(|i| reader.org_of(i).map(str::to_string))
            .collect(),
        expect: options.expect.clone(),
    };
    let records = config::Table::ALL.map(|t| (t, reader.config.len(t)));
    let groups = by_org(&mut reader);
    let mut findings = rules::run(&groups, &reader.issues, &reader.issue_counts, &inputs);
    let mut files = reader.files;
    if !options.previous.is_empty() {
        let mut old = read::Reader::default();
        options.previous.iter().for_each(|p| old.read_file(p));
        findings.extend(rules::renamed(&old.config, &groups, catalogue));
        old.files.iter_mut().for_each(|f| f.previous = true);
        files.append(&mut old.files);
    }
    // Errors first, then by record, rule and case.
    fn order(f: &rules::Finding) -> (Severity, &Option<config::RecordRef>, &str, &str, &str) {
        let t = &f.text;
        (f.severity, &f.record, &t.rule, &t.case, &f.message)
    }
    findings.sort_by(|a, b| order(a).cmp(&order(b)));
    let mut counts = Counts::default();
    for f in &findings {
        *match f.severity {
            Severity::Error => &mut counts.errors,
            Severity::Warning => &mut counts.warnings,
            Severity::Info => &mut counts.infos,
        } += f.more.max(1); // the one past the cap stands for `more`
    }
    Report {
        files,
        findings,
        counts,
        strict: options.strict,
        records,
    }
}

/// The records read, one configuration per organisation: the
/// org of each file, compared by lower-cased host; a file with no org is
/// its own unless `--org` joins it. The reader's configuration is taken.
fn by_org(reader: &mut read::Reader) -> Vec<config::Config> {
    use std::collections::HashMap;
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut group_of = Vec::with_capacity(reader.files.len());
    for i in 0..reader.files.len() {
        let next = index.len();
        group_of.push(*index.entry(reader.org_key(i)).or_insert(next));
    }
    let mut groups = Vec::new();
    groups.resize_with(index.len().max(1), config::Config::default);
    for (i, f) in reader.files.iter().enumerate() {
        groups[group_of[i]].given.extend(f.tables.iter().copied());
    }
    let g = |file: usize| group_of.get(file).copied().unwrap_or(0);
    std::mem::take(&mut reader.config).split_into(&mut groups, g);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_the_reference_rules() {
        let c = catalogue().unwrap();
        // The reference's rules that read one export are all there.
        for n in (1..=10).chain(13..=20) {
            let id = format!("R{n:02}");
            assert!(c.rules.iter().any(|r| r.id == id), "{id}");
        }
    }

    #[test]
    fn a_bad_catalogue_is_refused() {
        let mut c = catalogue().unwrap();
        c.rules[0].id = "R1".into();
        c.rules[1].sources = vec!["http://example.com".into()];
        c.rules[2].cases[0].fix = " ".into();
        let e = c.validate().unwrap_err().to_string();
        assert!(
            e.contains("rules[0] (R1).id: expected R or X and two digits"),
            "{e}"
        );
        assert!(
            e.contains("is not a source link: it does not start with https://"),
            "{e}"
        );
        assert!(e.contains(".cases[0].fix: must not be empty"), "{e}");
    }
}
