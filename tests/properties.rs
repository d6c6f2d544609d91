//! Property tests over random requirements (proptest), plus a custom matrix
//! with a third version and a new channel type.

use cif_advisor::batch::Batch;
use cif_advisor::batch::Detail;
use cif_advisor::engine::{Confidence, Engine, OutcomeKind};
use cif_advisor::matrix::{
    AppState, Basis, Capability, Choice, DimensionKind, Matrix, Scope, Support, Version,
};
use cif_advisor::requirements::{Requirements, Value};
use proptest::prelude::*;
use std::sync::OnceLock;

mod common;

#[path = "schema/mod.rs"]
mod schema;

fn matrix() -> &'static Matrix<'static> {
    static M: OnceLock<Matrix<'static>> = OnceLock::new();
    M.get_or_init(|| Matrix::embedded().unwrap())
}

/// A random value for dimension `d` of the embedded matrix.
fn value_for(m: &Matrix, d: usize, seed: u64) -> Value {
    let dim = &m.dimensions[d];
    let n = match dim.kind {
        DimensionKind::Apps => m.apps.len(),
        DimensionKind::Choice | DimensionKind::Multi => dim.values.len(),
        DimensionKind::Flag => 1,
        DimensionKind::Count => return Value::Count((seed % 4) as u32 + 1),
    };
    let all = (1u64 << n) - 1;
    match dim.kind {
        DimensionKind::Choice | DimensionKind::Flag => Value::Set(1 << (seed as usize % n)),
        _ => {
            let mask = seed & all;
            Value::Set(if mask == 0 { 1 } else { mask })
        }
    }
}

fn requirements() -> impl Strategy<Value = Requirements> {
    let m = matrix();
    let dims = m.dimensions.len();
    proptest::collection::vec(proptest::option::weighted(0.35, any::<u64>()), dims).prop_map(
        move |seeds| Requirements {
            values: seeds
                .into_iter()
                .enumerate()
                .map(|(d, s)| s.map(|s| value_for(m, d, s)))
                .collect(),
            skipped: 0,
        },
    )
}

/// The independent oracle: a direct reading of the matrix (statuses, scopes,
/// preference), not the engine's compiled rules. For one version and one
/// stated requirement (with the apps optionally narrowed): "pass", "fail" or "unknown".
fn oracle_status(
    m: &Matrix,
    version: &str,
    d: usize,
    value: Value,
    apps: Option<u64>,
) -> &'static str {
    let dim = &m.dimensions[d];
    let status = |s: Support| match s {
        Support::Yes => "pass",
        Support::No => "fail",
        _ => "unknown",
    };
    let caps: Vec<&Capability> = match (dim.kind, value) {
        (DimensionKind::Apps, Value::Set(mask)) => {
            let mask = apps.unwrap_or(mask);
            (0..m.apps.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| &m.apps[i].support[version])
                .collect()
        }
        (DimensionKind::Choice | DimensionKind::Multi, Value::Set(mask)) => (0..dim.values.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| &dim.values[i].support[version])
            .collect(),
        (DimensionKind::Count, Value::Count(n)) => {
            let c = &dim.support[version];
            if c.max.is_some_and(|max| n > max) {
                return "fail";
            }
            vec![c]
        }
        _ => vec![&dim.support[version]],
    };
    let all: Vec<&str> = caps.iter().map(|c| status(c.status)).collect();
    if all.contains(&"fail") {
        "fail"
    } else if all.contains(&"unknown") {
        "unknown"
    } else {
        "pass"
    }
}

/// The oracle's answer, read from the matrix by the README's rules.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    outcome: &'static str,
    recommended: Option<String>,
    /// The fitting versions, in preference order.
    fits: Vec<String>,
    /// The groups (version, app ids) in preference order; for `none`, the
    /// groups formed before some part was found unserved.
    plan: Vec<(String, Vec<String>)>,
}

impl Answer {
    /// What "the answer" is when two are compared: the outcome, the
    /// recommended version and the versions of a plan.
    fn key(&self) -> (&'static str, Option<String>, Vec<String>) {
        let plan = match self.outcome {
            "plan" => self.plan.iter().map(|g| g.0.clone()).collect(),
            _ => Vec::new(),
        };
        (self.outcome, self.recommended.clone(), plan)
    }
}

fn apps_dim(m: &Matrix) -> usize {
    m.dimensions
        .iter()
        .position(|d| d.kind == DimensionKind::Apps)
        .unwrap()
}

fn prefs<'a>(m: &'a Matrix) -> Vec<&'a str> {
    m.preference.iter().map(|p| p.as_ref()).collect()
}

/// The stated dimensions whose check fails `version`.
fn oracle_failed(m: &Matrix, req: &Requirements, version: &str) -> Vec<usize> {
    req.stated()
        .filter(|&(d, value)| oracle_status(m, version, d, value, None) == "fail")
        .map(|(d, _)| d)
        .collect()
}

/// The versions none of whose checks fails, in preference order.
fn oracle_fits(m: &Matrix, req: &Requirements) -> Vec<String> {
    prefs(m)
        .into_iter()
        .filter(|v| oracle_failed(m, req, v).is_empty())
        .map(String::from)
        .collect()
}

/// A stated session mode that a stated app does not have.
fn oracle_contradictory(m: &Matrix, req: &Requirements) -> bool {
    let Some(Value::Set(apps)) = req.values[apps_dim(m)] else {
        return false;
    };
    req.stated().any(|(d, value)| {
        let dim = &m.dimensions[d];
        let Value::Set(mode) = value else {
            return false;
        };
        dim.implied_by_apps
            && (0..m.apps.len()).filter(|i| apps & (1 << i) != 0).any(|i| {
                dim.values
                    .iter()
                    .position(|v| v.id == m.apps[i].session.as_str())
                    .is_some_and(|p| mode & (1 << p) == 0)
            })
    })
}

fn keys(m: &Matrix, dims: impl IntoIterator<Item = usize>) -> Vec<String> {
    dims.into_iter()
        .map(|d| m.dimensions[d].key.to_string())
        .collect()
}

fn app_mask(m: &Matrix, ids: &[String]) -> u64 {
    ids.iter()
        .map(|id| 1u64 << m.apps.iter().position(|a| a.id == id.as_str()).unwrap())
        .fold(0, |a, b| a | b)
}

fn oracle(m: &Matrix, req: &Requirements) -> Answer {
    let prefs = prefs(m);
    let fits = oracle_fits(m, req);
    let apps_dim = apps_dim(m);
    let contradictory = oracle_contradictory(m, req);
    if !fits.is_empty() && !contradictory {
        let recommended = Some(fits[0].clone());
        return Answer {
            outcome: "single",
            recommended,
            fits,
            plan: vec![],
        };
    }
    let none = |plan| Answer {
        outcome: "none",
        recommended: None,
        fits: fits.clone(),
        plan,
    };
    let Some(Value::Set(apps)) = req.values[apps_dim] else {
        return none(vec![]);
    };
    let org = |d: usize| m.dimensions[d].scope == Scope::Org && d != apps_dim;
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut unserved = false;
    for i in (0..m.apps.len()).filter(|i| apps & (1 << i) != 0) {
        let v = prefs.iter().copied().find(|v| {
            oracle_status(m, v, apps_dim, Value::Set(1 << i), None) != "fail"
                && req
                    .stated()
                    .all(|(d, value)| !org(d) || oracle_status(m, v, d, value, None) != "fail")
        });
        match v {
            Some(v) => match groups.iter_mut().find(|g| g.0 == v) {
                Some(g) => g.1.push(m.apps[i].id.to_string()),
                None => groups.push((v.to_string(), vec![m.apps[i].id.to_string()])),
            },
            None => unserved = true,
        }
    }
    groups.sort_by_key(|g| prefs.iter().position(|p| *p == g.0));
    let unmet_by_all = req.stated().any(|(d, value)| {
        d != apps_dim
            && !org(d)
            && groups
                .iter()
                .all(|g| oracle_status(m, &g.0, d, value, None) == "fail")
    });
    if unserved || unmet_by_all || contradictory || groups.is_empty() {
        none(groups)
    } else {
        Answer {
            outcome: "plan",
            recommended: None,
            fits,
            plan: groups,
        }
    }
}

/// The values a deciding dimension could be stated with, one at a time (for
/// the apps, each app offered to new organisations).
fn single_values(m: &Matrix, d: usize) -> Vec<Value> {
    let dim = &m.dimensions[d];
    match dim.kind {
        DimensionKind::Apps => (0..m.apps.len())
            .filter(|&i| m.apps[i].state == AppState::Active)
            .map(|i| Value::Set(1 << i))
            .collect(),
        DimensionKind::Choice | DimensionKind::Multi => {
            (0..dim.values.len()).map(|i| Value::Set(1 << i)).collect()
        }
        DimensionKind::Flag => vec![Value::Set(1)],
        DimensionKind::Count => vec![],
    }
}

/// Open: the deciding dimensions left unstated (the session mode counts as
/// stated with the apps) whose statement could change the answer; and, when
/// the apps are among them, the names of the apps with which it holds.
fn oracle_open_on(m: &Matrix, req: &Requirements, base: &Answer) -> (Vec<String>, Vec<String>) {
    if base.outcome == "none" {
        return (vec![], vec![]);
    }
    let ad = apps_dim(m);
    let apps_stated = req.values[ad].is_some();
    let mut open = Vec::new();
    let mut holds_for = Vec::new();
    for d in 0..m.dimensions.len() {
        let dim = &m.dimensions[d];
        if !dim.decides || req.values[d].is_some() || (apps_stated && dim.implied_by_apps) {
            continue;
        }
        let mut changes = false;
        let mut keeps = Vec::new();
        for value in single_values(m, d) {
            let mut with = req.clone();
            with.values[d] = Some(value);
            if oracle_contradictory(m, &with) {
                continue;
            }
            if oracle(m, &with).key() == base.key() {
                keeps.push(value);
            } else {
                changes = true;
            }
        }
        if changes {
            open.push(d);
            if d == ad {
                holds_for = (0..m.apps.len())
                    .filter(|&i| keeps.contains(&Value::Set(1 << i)))
                    .map(|i| m.apps[i].name.to_string())
                    .collect();
            }
        }
    }
    (keys(m, open), holds_for)
}

/// The stated dimensions with an unknown check for `version`, the apps
/// narrowed to `apps` (a plan group's).
fn oracle_unknown(m: &Matrix, req: &Requirements, version: &str, apps: Option<u64>) -> Vec<usize> {
    req.stated()
        .filter(|&(d, value)| oracle_status(m, version, d, value, apps) == "unknown")
        .map(|(d, _)| d)
        .collect()
}

/// Could some value of dimension `d` rule `version` out?
fn can_fail(m: &Matrix, version: &str, d: usize) -> bool {
    let dim = &m.dimensions[d];
    let no = |c: &Capability| c.status == Support::No;
    match dim.kind {
        DimensionKind::Apps => m.apps.iter().any(|a| no(&a.support[version])),
        DimensionKind::Choice | DimensionKind::Multi => {
            dim.values.iter().any(|v| no(&v.support[version]))
        }
        DimensionKind::Flag => no(&dim.support[version]),
        DimensionKind::Count => no(&dim.support[version]) || dim.support[version].max.is_some(),
    }
}

/// Every single change to the stated requirements, as the README lists them:
/// another value (or none), an app added (if offered to new organisations),
/// one of several removed, one replaced by its offered successor, a flag off,
/// 1 vs several providers (1, and each version's maximum and one above it).
fn oracle_single_changes(m: &Matrix, req: &Requirements) -> Vec<Requirements> {
    let mut out = Vec::new();
    for (d, value) in req.stated() {
        let dim = &m.dimensions[d];
        let with = |v: Option<Value>| {
            let mut r = req.clone();
            r.values[d] = v;
            r
        };
        match (dim.kind, value) {
            (DimensionKind::Flag, _) => out.push(with(None)),
            (DimensionKind::Count, Value::Count(n)) => {
                let mut counts = vec![1];
                for v in prefs(m) {
                    if let Some(max) = dim.support[v].max {
                        counts.extend([max, max + 1]);
                    }
                }
                counts.sort_unstable();
                counts.dedup();
                out.extend(
                    counts
                        .into_iter()
                        .filter(|&c| c != n)
                        .map(|c| with(Some(Value::Count(c)))),
                );
                out.push(with(None));
            }
            (DimensionKind::Choice, Value::Set(mask)) => {
                for i in (0..dim.values.len()).filter(|i| mask & (1 << i) == 0) {
                    out.push(with(Some(Value::Set(1 << i))));
                }
                out.push(with(None));
            }
            (DimensionKind::Apps, Value::Set(mask)) => {
                let offered = |i: usize| m.apps[i].state == AppState::Active;
                for i in 0..m.apps.len() {
                    if mask & (1 << i) == 0 && offered(i) {
                        out.push(with(Some(Value::Set(mask | 1 << i))));
                    } else if mask & (1 << i) != 0 && mask.count_ones() > 1 {
                        out.push(with(Some(Value::Set(mask & !(1 << i)))));
                    }
                }
                for i in (0..m.apps.len()).filter(|i| mask & (1 << i) != 0) {
                    let successor = m.apps[i]
                        .replaced_by
                        .as_deref()
                        .and_then(|r| m.apps.iter().position(|a| a.id == r))
                        .filter(|&r| offered(r) && mask & (1 << r) == 0);
                    if let Some(r) = successor {
                        out.push(with(Some(Value::Set((mask & !(1 << i)) | 1 << r))));
                    }
                }
            }
            (DimensionKind::Multi, Value::Set(mask)) => {
                for i in 0..dim.values.len() {
                    if mask & (1 << i) == 0 {
                        out.push(with(Some(Value::Set(mask | 1 << i))));
                    } else if mask.count_ones() > 1 {
                        out.push(with(Some(Value::Set(mask & !(1 << i)))));
                    }
                }
                out.push(with(None));
            }
            _ => unreachable!("{}: {value:?}", dim.key),
        }
    }
    out
}

fn plan_of(d: &cif_advisor::engine::Decision) -> Vec<(String, Vec<String>)> {
    d.plan
        .iter()
        .map(|p| (p.version.clone(), p.apps.clone()))
        .collect()
}

// Each property below compares the engine with the oracle above, which reads
// the `Matrix` directly (status per value, `max`, `preference`, scopes, app
// states) and never calls `Rules` or `Engine`. Three properties compare the
// library with itself on purpose, because they test a law or a second
// implementation, not the engine's answer: `adding_a_requirement_never_adds_a_fitting_version`
// (monotonicity, checked on the oracle too), `the_fast_compact_line_equals_serdes_rendering`
// (the hand-written batch writer against serde) and `parse_args_agrees_with_the_full_command`
// (the fast clap path against the full command). Removed: "the same input gives
// the same output" (two evaluations of one input: nothing random or hash-ordered
// reaches the output, so it could not fail); its schema half is kept as
// `every_answer_matches_the_schema`. Rewritten against the oracle (they
// compared `Rules` with `Rules` before): `a_version_fits_exactly_when_none_of_its_checks_fails`
// is `every_check_and_fit_is_the_oracles`, `dropping_a_versions_relaxations_makes_it_fit`
// is `relaxations_drop_exactly_what_fails_each_version`, `every_would_change_entry_is_what_re_evaluation_gives`
// is `every_would_change_entry_is_the_oracles_answer_to_that_change` (its
// completeness half enumerates the single changes itself), and
// `unanswered_dimensions_could_really_rule_out_the_recommendation` is
// `unanswered_is_what_could_still_rule_out_the_answer`; the answer and the
// confidence (`open_on`, `holds_for`, per-group confidence) are the oracle's too.
// Each was seen to fail under a local mutation of the engine or the oracle.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_answer_is_the_oracles_reading_of_the_matrix(req in requirements()) {
        let m = matrix();
        let d = Engine::new(m).evaluate(&req);
        let o = oracle(m, &req);
        prop_assert_eq!(d.outcome.as_str(), o.outcome);
        prop_assert_eq!(&d.recommended, &o.recommended);
        prop_assert_eq!(&d.fits, &o.fits);
        prop_assert_eq!(plan_of(&d), o.plan.clone());
        // The alternative is the next fitting version of a single answer.
        let alternative = match o.outcome {
            "single" => o.fits.get(1).cloned(),
            _ => None,
        };
        prop_assert_eq!(&d.alternative, &alternative);
        // A version's docs are given for each version used.
        let used: Vec<&str> = match o.outcome {
            "single" => vec![o.fits[0].as_str()],
            _ => o.plan.iter().map(|g| g.0.as_str()).collect(),
        };
        let docs: Vec<String> = used
            .iter()
            .map(|v| m.versions.iter().find(|x| x.id == *v).unwrap().docs.to_string())
            .collect();
        prop_assert_eq!(&d.docs, &docs);
    }

    #[test]
    fn confidence_follows_its_precedence(req in requirements()) {
        let m = matrix();
        let d = Engine::new(m).evaluate(&req);
        let o = oracle(m, &req);
        let (open_on, holds_for) = oracle_open_on(m, &req, &o);
        prop_assert_eq!(&d.open_on, &open_on);
        prop_assert_eq!(&d.holds_for, &holds_for);
        let open = !open_on.is_empty();
        let weakest = |unknown: &[usize]| {
            if open {
                Confidence::Open
            } else if unknown.is_empty() {
                Confidence::Confirmed
            } else {
                Confidence::Conditional
            }
        };
        match o.outcome {
            "none" => {
                prop_assert!(d.confidence.is_none());
                prop_assert!(d.conditional_on.is_empty());
                prop_assert!(d.plan.iter().all(|p| p.confidence.is_none()));
            }
            "single" => {
                let unknown = oracle_unknown(m, &req, &o.fits[0], None);
                prop_assert_eq!(&d.conditional_on, &keys(m, unknown.clone()));
                prop_assert_eq!(d.confidence, Some(weakest(&unknown)));
            }
            _ => {
                let mut all = Vec::new();
                for (p, g) in d.plan.iter().zip(&o.plan) {
                    let unknown = oracle_unknown(m, &req, &g.0, Some(app_mask(m, &g.1)));
                    prop_assert_eq!(p.confidence, Some(weakest(&unknown)), "group {}", g.0);
                    all.extend(unknown);
                }
                all.sort_unstable();
                all.dedup();
                prop_assert_eq!(&d.conditional_on, &keys(m, all.clone()));
                prop_assert_eq!(d.confidence, Some(weakest(&all)));
            }
        }
    }

    #[test]
    fn every_check_and_fit_is_the_oracles(req in requirements()) {
        let m = matrix();
        let engine = Engine::new(m);
        let d = engine.evaluate(&req);
        let order: Vec<&str> = d.evaluations.iter().map(|e| e.version.as_str()).collect();
        prop_assert_eq!(order, prefs(m));
        let stated: Vec<String> = keys(m, req.stated().map(|(d, _)| d));
        for e in &d.evaluations {
            prop_assert_eq!(e.fits, oracle_failed(m, &req, &e.version).is_empty(), "{}", e.version);
            let checked: Vec<String> = e.checks.iter().map(|c| c.requirement.clone()).collect();
            prop_assert_eq!(&checked, &stated);
            for (c, (dim, value)) in e.checks.iter().zip(req.stated()) {
                prop_assert_eq!(c.status.as_str(), oracle_status(m, &e.version, dim, value, None));
            }
        }
        // The fast path (no sentences) gives the same fits.
        let fast = engine.outcome(&req);
        let ids: Vec<String> = fast.fits.iter().map(|&v| engine.version_id(v).to_string()).collect();
        prop_assert_eq!(ids, oracle_fits(m, &req));
    }

    #[test]
    fn adding_a_requirement_never_adds_a_fitting_version(req in requirements(), d in 0usize..16, seed in any::<u64>()) {
        let m = matrix();
        let engine = Engine::new(m);
        let d = d % m.dimensions.len();
        prop_assume!(req.values[d].is_none());
        let before = engine.evaluate(&req).fits;
        let mut more = req.clone();
        more.values[d] = Some(value_for(m, d, seed));
        let after = engine.evaluate(&more).fits;
        for v in &after {
            prop_assert!(before.contains(v), "{v} fits only after adding a requirement");
        }
        // The law holds for the oracle too (else the oracle is wrong).
        let before = oracle_fits(m, &req);
        prop_assert!(oracle_fits(m, &more).iter().all(|v| before.contains(v)));
    }

    #[test]
    fn relaxations_drop_exactly_what_fails_each_version(req in requirements()) {
        let m = matrix();
        let d = Engine::new(m).evaluate(&req);
        if oracle(m, &req).outcome == "none" {
            let expected: Vec<(String, Vec<String>)> = prefs(m)
                .into_iter()
                .map(|v| (v.to_string(), keys(m, oracle_failed(m, &req, v))))
                .collect();
            let got: Vec<(String, Vec<String>)> =
                d.relaxations.iter().map(|r| (r.version.clone(), r.drop.clone())).collect();
            prop_assert_eq!(got, expected.clone());
            // Dropping them makes the version fit.
            for (v, drop) in &expected {
                let mut relaxed = req.clone();
                for key in drop {
                    let i = m.dimensions.iter().position(|x| &x.key == key).unwrap();
                    relaxed.values[i] = None;
                }
                prop_assert!(oracle_fits(m, &relaxed).contains(v));
            }
        } else {
            prop_assert!(d.relaxations.is_empty());
        }
    }

    #[test]
    fn every_would_change_entry_is_the_oracles_answer_to_that_change(req in requirements()) {
        let m = matrix();
        let d = Engine::new(m).evaluate(&req);
        let base = oracle(m, &req);
        let mut listed: Vec<Vec<Option<Value>>> = Vec::new();
        for g in &d.would_change {
            prop_assert!(!g.changes.is_empty());
            for c in &g.changes {
                listed.push(c.changed.values.clone());
                let again = oracle(m, &c.changed);
                prop_assert_eq!(g.outcome.as_str(), again.outcome, "{}", c.change);
                prop_assert_eq!(&g.recommended, &again.recommended, "{}", c.change);
                prop_assert_eq!(&g.fits, &again.fits, "{}", c.change);
                prop_assert_eq!(&g.plan, &again.key().2, "{}", c.change);
                prop_assert!(again.key() != base.key(), "{} does not change the answer", c.change);
                // The change is to the one requirement it names.
                let changed: Vec<String> = keys(
                    m,
                    (0..m.dimensions.len()).filter(|&i| c.changed.values[i] != req.values[i]),
                );
                prop_assert_eq!(changed, vec![c.requirement.clone()], "{}", c.change);
                // It states the changed requirements: each dimension that has
                // a value there, by its key, in the matrix's order.
                let stated = serde_json::to_value(&c.requirements).expect("json");
                let stated: Vec<String> = stated.as_object().expect("object").keys().cloned().collect();
                let set = keys(m, (0..m.dimensions.len()).filter(|&i| c.changed.values[i].is_some()));
                prop_assert_eq!(stated, set, "{}", c.change);
                // No change suggests an app that is removed or not offered to new organisations.
                if let Some(id) = c.change.strip_prefix("apps: add ") {
                    prop_assert_eq!(m.app(id).unwrap().state, AppState::Active);
                }
                if let Some((_, id)) = c.change.split_once(" replaced by ") {
                    prop_assert_eq!(m.app(id).unwrap().state, AppState::Active);
                }
                // The only stated app is replaced, never dropped.
                if c.requirement == "apps" {
                    prop_assert!(c.requirements.get("apps").is_some(), "{} drops every app", c.change);
                }
            }
        }
        // Changes with the same result are one group.
        for (i, a) in d.would_change.iter().enumerate() {
            for b in &d.would_change[i + 1..] {
                prop_assert!((a.outcome, &a.recommended, &a.plan, &a.fits) != (b.outcome, &b.recommended, &b.plan, &b.fits));
            }
        }
        // And every single change (by the README's list) that changes the
        // oracle's answer is listed (in whatever order the engine gives).
        let expected: Vec<Vec<Option<Value>>> = oracle_single_changes(m, &req)
            .into_iter()
            .filter(|changed| oracle(m, changed).key() != base.key())
            .map(|r| r.values)
            .collect();
        let mut sorted = listed.clone();
        sorted.sort_by_key(|v| expected.iter().position(|e| e == v));
        prop_assert_eq!(sorted, expected);
    }

    #[test]
    fn caveats_are_shown_once_blocking_first_and_never_change_the_outcome(req in requirements()) {
        let m = matrix();
        let d = Engine::new(m).evaluate(&req);
        let kinds: Vec<_> = d.caveats.iter().map(|c| c.kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        prop_assert_eq!(kinds, sorted);
        for (i, a) in d.caveats.iter().enumerate() {
            for b in &d.caveats[i + 1..] {
                prop_assert!(a.id != b.id && a.text != b.text, "{} shown twice", a.id);
            }
        }
        // The outcome is the oracle's, which reads no caveat.
        prop_assert_eq!(d.outcome.as_str(), oracle(m, &req).outcome);
        // Routes only for `none`, and each from the matrix.
        if d.outcome != OutcomeKind::None {
            prop_assert!(d.routes.is_empty());
        }
        for r in &d.routes {
            prop_assert!(m.routes.iter().any(|x| x.for_ == r.for_.as_str() && x.text == r.text.as_str()));
        }
    }

    #[test]
    fn every_answer_matches_the_schema(req in requirements()) {
        let d = Engine::new(matrix()).evaluate(&req);
        schema::assert_answer(&serde_json::to_value(&d).unwrap());
    }

    #[test]
    fn unanswered_is_what_could_still_rule_out_the_answer(req in requirements()) {
        let m = matrix();
        let d = Engine::new(m).evaluate(&req);
        let o = oracle(m, &req);
        let used: Vec<&str> = match o.outcome {
            "none" => vec![],
            "single" => vec![o.fits[0].as_str()],
            _ => o.plan.iter().map(|g| g.0.as_str()).collect(),
        };
        let apps_stated = req.values[apps_dim(m)].is_some();
        let mut expected: Vec<usize> = (0..m.dimensions.len())
            .filter(|&i| {
                req.values[i].is_none()
                    && !(apps_stated && m.dimensions[i].implied_by_apps)
                    && used.iter().any(|v| can_fail(m, v, i))
            })
            .collect();
        expected.sort_by_key(|&i| !m.dimensions[i].decides);
        prop_assert_eq!(&d.unanswered, &keys(m, expected));
        // And each could really rule out the recommendation (by the oracle).
        if let Some(rec) = &o.recommended {
            for key in &d.unanswered {
                let i = m.dimensions.iter().position(|x| &x.key == key).unwrap();
                let can = (0..64u64).any(|seed| {
                    let mut r = req.clone();
                    r.values[i] = Some(value_for(m, i, seed));
                    !oracle_fits(m, &r).contains(rec)
                });
                prop_assert!(can, "{key} cannot rule out {rec}");
            }
        }
    }

    #[test]
    fn the_fast_compact_line_equals_serdes_rendering(req in requirements(), n in 1u64..1_000_000, id in "[a-z0-9-]{0,8}") {
        let engine = Engine::new(matrix());
        prop_assume!(!req.is_empty());
        let mut line = engine.requirements_json(&req);
        line["id"] = serde_json::Value::from(id.clone());
        let text = serde_json::to_string(&line).unwrap();
        let mut batch = Batch::new(&engine, Detail::Compact);
        let mut out = Vec::new();
        batch.process(n, text.as_bytes(), &mut out);
        let value = batch.compact_value(n, &req, serde_json::Value::from(id));
        schema::assert_batch_line(&value);
        let mut expected = serde_json::to_vec(&value).unwrap();
        expected.push(b'\n');
        prop_assert_eq!(String::from_utf8(out).unwrap(), String::from_utf8(expected).unwrap());
        // Again, from the batch's cache of recent answers: the same line.
        let mut again = Vec::new();
        batch.process(n + 1, text.as_bytes(), &mut again);
        let mut expected = serde_json::to_vec(&batch.compact_value(n + 1, &req, line["id"].clone())).unwrap();
        expected.push(b'\n');
        prop_assert_eq!(String::from_utf8(again).unwrap(), String::from_utf8(expected).unwrap());
        prop_assert_eq!(batch.summary.lines, 2);
    }
}

/// A matrix with a third version "3.0" that also supports Sales and a new
/// channel type "video" that only 3.0 carries.
fn three_version_matrix() -> Matrix<'static> {
    let mut m = matrix().clone();
    m.versions.push(Version {
        id: "3.0".into(),
        name: "CIF 3.0 (test)".into(),
        docs: "https://learn.microsoft.com/dynamics365/channel-integration-framework/".into(),
        notes: vec![],
    });
    m.preference.insert(0, "3.0".into());
    let yes = |fact: &'static str| Capability {
        status: Support::Yes,
        fact: fact.into(),
        source: "https://learn.microsoft.com/dynamics365/channel-integration-framework/".into(),
        basis: Basis::Documented,
        see_also: vec![],
        max: None,
        caveat: None,
        caveat_kind: None,
        caveat_source: None,
        reviewed: None,
    };
    for app in &mut m.apps {
        let cap = if app.id == "sales" {
            yes("CIF 3.0 runs in Sales.")
        } else {
            app.support["2.0"].clone()
        };
        app.support.insert("3.0", cap);
    }
    for d in &mut m.dimensions {
        if let Some(c) = d.support.get("2.0").cloned() {
            d.support.insert("3.0", c);
        }
        for v in &mut d.values {
            let c = v.support["2.0"].clone();
            v.support.insert("3.0", c);
        }
        if d.key == "channels" {
            let mut video = Choice {
                id: "video".into(),
                name: "Video".into(),
                aliases: vec![],
                support: Default::default(),
            };
            for v in ["1.0", "2.0"] {
                let mut no = yes("Only CIF 3.0 carries video.");
                no.status = Support::No;
                video.support.insert(v, no);
            }
            video.support.insert("3.0", yes("CIF 3.0 carries video."));
            d.values.push(video);
        }
    }
    for r in &mut m.rows {
        let v = r.values["2.0"].clone();
        r.values.insert("3.0", v);
    }
    cif_advisor::matrix::validate::validate(&m).unwrap();
    m
}

#[test]
fn a_third_version_and_a_new_channel_need_no_code_change() {
    let m = three_version_matrix();
    // Through the library…
    let engine = Engine::new(&m);
    let lexicon = &engine.lexicon;
    let channels = lexicon.dimension_index("channels").unwrap();
    let apps = lexicon.dimension_index("apps").unwrap();
    let mut req = Requirements::empty(&m);
    req.values[channels] = lexicon.set_of(channels, ["video"]).unwrap();
    req.values[apps] = lexicon.set_of(apps, ["sales"]).unwrap();
    let d = engine.evaluate(&req);
    assert_eq!(d.recommended.as_deref(), Some("3.0"));
    assert_eq!(d.fits, ["3.0"]);

    // …and through the binary with the matrix as a file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("three.yaml");
    std::fs::write(&path, cif_advisor::yaml::to_string(&m).unwrap()).unwrap();
    let path = path.to_str().unwrap();
    let (code, stdout, stderr) = common::run_binary(
        &[
            "--matrix",
            path,
            "recommend",
            "--channel",
            "video",
            "--app",
            "sales",
            "--format",
            "json",
        ],
        None,
        "100",
    );
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["recommended"], "3.0");
    assert_eq!(json["fits"], serde_json::json!(["3.0"]));
    assert_eq!(json["evaluations"].as_array().unwrap().len(), 3);
    let why_not = json["why_not"].as_object().unwrap();
    assert!(why_not["2.0"]
        .to_string()
        .contains("Only CIF 3.0 carries video"));

    // Without the new channel both 3.0 and 2.0 fit a multisession app; 3.0 is preferred.
    let (_, stdout, _) = common::run_binary(
        &["--matrix", path, "recommend", "--app", "cs-workspace", "-q"],
        None,
        "100",
    );
    assert_eq!(stdout, "3.0\n");
}

/// Words a command line is made of: subcommands, flags with and without
/// values, values, misspellings and stray words.
const CLI_WORDS: &[&str] = &[
    "recommend",
    "compare",
    "apps",
    "api",
    "migrate",
    "troubleshoot",
    "matrix",
    "validate",
    "completions",
    "man",
    "help",
    "bash",
    "--app",
    "sales",
    "cs-workspace",
    "--app=sales",
    "--providers",
    "1",
    "0",
    "--analytics",
    "--channel",
    "sms",
    "--template",
    "session",
    "--session",
    "multi",
    "--format",
    "json",
    "yaml",
    "markdown",
    "xml",
    "--detail",
    "full",
    "--batch",
    "-",
    "-q",
    "-i",
    "--no-input",
    "--requirements",
    "r.yaml",
    "--matrix",
    "m.yaml",
    "--matrix=compare",
    "--color",
    "never",
    "--color=always",
    "--list",
    "--version",
    "2.0",
    "--diff",
    "-V",
    "-h",
    "--help",
    "--provders",
    "recommand",
    "C5",
    "--",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// `Cli::parse_args` (which first tries a command holding only the named
    /// subcommand) gives what the full clap command gives, on any line:
    /// the same value, or the same error kind and message.
    #[test]
    fn parse_args_agrees_with_the_full_command(
        words in proptest::collection::vec(proptest::sample::select(CLI_WORDS), 0..8)
    ) {
        use clap::Parser;
        use cif_advisor::cli::Cli;
        let line: Vec<&str> = std::iter::once("cif-advisor").chain(words.iter().copied()).collect();
        match (Cli::parse_args(&line), Cli::try_parse_from(&line)) {
            (Ok(fast), Ok(full)) => prop_assert_eq!(format!("{fast:?}"), format!("{full:?}")),
            (Err(fast), Err(full)) => {
                prop_assert_eq!(fast.kind(), full.kind());
                prop_assert_eq!(fast.to_string(), full.to_string());
            }
            (fast, full) => prop_assert!(false, "{:?}: parse_args {:?}, full {:?}", line, fast.is_ok(), full.is_ok()),
        }
    }
}
