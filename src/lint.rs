//! The lint of `matrix validate`: what is valid but suspicious in a matrix
//! (values no version supports, versions no answer can select, a stale
//! review date).

use crate::engine::{Rules, Status};
use crate::matrix::{Capability, DimensionKind, Matrix, Support, VersionMap};
use crate::requirements::{Requirements, Value};
use crate::validators::parse_date;

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    pub message: String,
}

/// Lint findings for a valid matrix, relative to `today`.
pub fn lint(matrix: &Matrix, today: (u32, u32, u32)) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut push = |path: String, message: String| found.push(Finding { path, message });
    // A review date in the future, or more than a year ago.
    let future = "is in the future; give the date the facts were last checked";
    let stale =
        "is more than a year ago; re-check the facts against their sources and update the date";
    let problem = match parse_date(&matrix.reviewed) {
        Some(day) if day > today => Some(future),
        Some((y, m, d)) if today > (y + 1, m, d) => Some(stale),
        _ => None,
    };
    if let Some(problem) = problem {
        push("reviewed".into(), format!("{} {problem}", matrix.reviewed));
    }
    if !matrix.basis_stated() {
        let message = format!(
            "{} states no basis for its facts (shown as 'basis not stated'); set schema_version: 2 and add `basis: documented` or `basis: inferred` beside every source (docs/matrix-format.md)",
            matrix.schema_version
        );
        push("schema_version".into(), message);
    }
    find_unsupported(matrix, &mut push);
    find_unselectable(matrix, &mut push);
    found
}

/// Whether some version supports it, and whether some version may.
fn supported(caps: &VersionMap<Capability>) -> (bool, bool) {
    let yes = |c: &Capability| matches!(c.status, Support::Yes | Support::Limited);
    let yes = caps.values().any(yes);
    (yes, caps.values().any(|c| c.status != Support::No))
}

/// Values, flags and apps no version supports (or none is confirmed to).
fn find_unsupported(matrix: &Matrix, push: &mut impl FnMut(String, String)) {
    let unconfirmed = "no version is confirmed to support it";
    for d in &matrix.dimensions {
        for v in &d.values {
            let message = match supported(&v.support) {
                (_, false) => "no version supports it: stating it never fits".into(),
                (false, true) => format!("{unconfirmed} (only unconfirmed or conflicting)"),
                (true, true) => continue,
            };
            let path = format!("dimensions[{}].values[{}]", d.key, v.id);
            push(path, message);
        }
        if d.kind == DimensionKind::Flag && !supported(&d.support).0 {
            push(format!("dimensions[{}]", d.key), unconfirmed.into());
        }
    }
    for a in &matrix.apps {
        let message = match supported(&a.support) {
            (_, false) => "no version supports it",
            (false, true) => unconfirmed,
            (true, true) => continue,
        };
        push(format!("apps[{}]", a.id), message.into());
    }
}

/// Versions no answer can select: one budget of search steps for them all,
/// so that the time is bounded whatever the matrix (each step evaluates
/// every version).
fn find_unselectable(matrix: &Matrix, push: &mut impl FnMut(String, String)) {
    let rules = Rules::new(matrix);
    let mut budget = LINT_STEPS;
    for (rank, &v) in rules.order().iter().enumerate() {
        let id = &matrix.versions[v].id;
        if budget == 0 {
            let message = format!(
                "the search for versions no answer can select stopped after {LINT_STEPS} steps; \
                 versions from '{id}' on were not checked"
            );
            push("versions".into(), message);
            break;
        }
        if !selectable(matrix, &rules, v, &rules.order()[..rank], &mut budget) {
            let message = "no combination of answers makes it the recommendation (a version earlier in the preference always fits too); give it a capability the earlier ones lack, or move it up in preference";
            push(format!("versions[{id}]"), message.into());
        }
    }
}

/// The search steps `matrix validate` may spend on all versions together.
pub const LINT_STEPS: u32 = 100_000;

/// Can some requirements make `v` fit while every `earlier` version fails?
/// Spends steps from `budget`; when it runs out, the answer is "yes" (not
/// reported).
fn selectable(m: &Matrix, rules: &Rules, v: usize, earlier: &[usize], budget: &mut u32) -> bool {
    if earlier.is_empty() {
        return true;
    }
    // Every set/flag/count dimension: state everything `v` does not fail on
    // (it can only rule out more of the others). Choice dimensions: try each
    // value `v` does not fail on, up to a bound.
    let mut base = Requirements::empty(m);
    let mut choices: Vec<(usize, Vec<Value>)> = Vec::new();
    for (d, dim) in m.dimensions.iter().enumerate() {
        let fits = |val: &Value| rules.check(v, d, *val) != Status::Fail;
        let n = match dim.kind {
            DimensionKind::Apps => m.apps.len(),
            _ => dim.values.len(),
        };
        let each = (0..n).filter(|&i| fits(&Value::Set(1 << i)));
        base.values[d] = match dim.kind {
            DimensionKind::Multi | DimensionKind::Apps => {
                let mask = each.fold(0u64, |bits, i| bits | 1 << i);
                (mask != 0).then_some(Value::Set(mask))
            }
            DimensionKind::Flag => Some(Value::Set(1)).filter(fits),
            DimensionKind::Count => {
                let support = dim.support.get(&m.versions[v].id);
                let max = support.and_then(|c| c.max).unwrap_or(u32::MAX);
                Some(Value::Count(max)).filter(fits)
            }
            DimensionKind::Choice => {
                choices.push((d, each.map(|i| Value::Set(1 << i)).collect()));
                None
            }
        };
    }
    search(rules, v, earlier, &mut base, &choices, budget)
}

fn search(
    rules: &Rules,
    v: usize,
    earlier: &[usize],
    req: &mut Requirements,
    choices: &[(usize, Vec<Value>)],
    budget: &mut u32,
) -> bool {
    if *budget == 0 {
        return true; // undecided: do not report
    }
    *budget -= 1;
    let outcome = rules.outcome(req);
    if outcome.failed[v] == 0 && earlier.iter().all(|&u| outcome.failed[u] != 0) {
        return true;
    }
    let Some(((d, options), rest)) = choices.split_first() else {
        return false;
    };
    let found = options.iter().map(Some).chain([None]).any(|value| {
        req.values[*d] = value.copied();
        search(rules, v, earlier, req, rest, budget)
    });
    req.values[*d] = None;
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_matrix_has_every_version_selectable_and_a_fresh_date() {
        let m = crate::matrix::embedded().unwrap();
        let findings = lint(&m, (2026, 12, 2));
        assert!(
            findings.iter().all(|f| !f.path.starts_with("versions")),
            "{findings:?}"
        );
        assert!(findings.iter().all(|f| f.path != "reviewed"));
        // On-premises is documented as unsupported by both versions.
        assert!(findings
            .iter()
            .any(|f| f.path == "dimensions[deployment].values[on-premises]"));
    }

    #[test]
    fn a_stale_date_and_an_unselectable_version_are_reported() {
        let mut m = crate::matrix::embedded().unwrap();
        m.reviewed = "2024-01-01".into();
        // Make 1.0 support everything 2.0 does: then 1.0 (later in the
        // preference) can never be recommended.
        for app in &mut m.apps {
            let c = app.support["1.0"].clone();
            app.support.insert("2.0", c);
        }
        for d in &mut m.dimensions {
            if let Some(c) = d.support.get("1.0").cloned() {
                d.support.insert("2.0", c);
            }
            for v in &mut d.values {
                let c = v.support["1.0"].clone();
                v.support.insert("2.0", c);
            }
        }
        let findings = lint(&m, (2026, 12, 2));
        assert!(
            findings.iter().any(|f| f.path == "reviewed"),
            "{findings:?}"
        );
        assert!(
            findings.iter().any(|f| f.path == "versions[1.0]"),
            "{findings:?}"
        );
    }
}
