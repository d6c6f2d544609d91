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

fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| cif_advisor::matrix::embedded().unwrap())
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
        Support::Limited => "limited",
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
    } else if all.contains(&"limited") {
        "limited"
    } else {
        "pass"
    }
}

/// The combinations the stated requirements trigger, read from each
/// `when` (every condition holds): their index in the matrix's list.
fn oracle_triggered(m: &Matrix, req: &Requirements) -> Vec<usize> {
    m.combinations
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.when
                .0
                .iter()
                .all(|(key, cond)| oracle_cond(m, req, key, cond))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Whether one condition of a combination holds for the stated requirements.
fn oracle_cond(
    m: &Matrix,
    req: &Requirements,
    key: &str,
    cond: &cif_advisor::matrix::Cond,
) -> bool {
    use cif_advisor::matrix::Cond;
    let Some(d) = m.dimensions.iter().position(|d| d.key == key) else {
        return false;
    };
    let dim = &m.dimensions[d];
    match (cond, req.values[d]) {
        (Cond::Flag(want), v) => v.is_some() == *want,
        (Cond::Min(n), Some(Value::Count(c))) => c >= *n,
        (Cond::Any(ids), Some(Value::Set(mask))) => ids.iter().any(|id| {
            let i = match dim.kind {
                DimensionKind::Apps => m.apps.iter().position(|a| a.id == id.as_str()),
                _ => dim.values.iter().position(|v| v.id == id.as_str()),
            };
            i.is_some_and(|i| mask & (1 << i) != 0)
        }),
        _ => false,
    }
}

/// A triggered combination's status for one version.
fn oracle_combo_status(m: &Matrix, version: &str, c: usize) -> &'static str {
    match m.combinations[c].support[version].status {
        Support::Yes => "pass",
        Support::No => "fail",
        Support::Limited => "limited",
        _ => "unknown",
    }
}

/// The app-bound requirements (`oracle_app_bound`) whose apps are all
/// unstated while some app is stated: they bind nobody.
fn oracle_idle(m: &Matrix, req: &Requirements) -> Vec<usize> {
    let Some(Value::Set(apps)) = req.values[apps_dim(m)] else {
        return Vec::new();
    };
    oracle_app_bound(m, req)
        .into_iter()
        .filter(|(_, ids)| app_mask(m, ids) & apps == 0)
        .map(|(d, _)| d)
        .collect()
}

/// The stated dimensions whose every stated value exists only in some apps
/// (`applies_to`), with those apps' ids.
fn oracle_app_bound(m: &Matrix, req: &Requirements) -> Vec<(usize, Vec<String>)> {
    req.stated()
        .filter_map(|(d, value)| {
            let Value::Set(mask) = value else { return None };
            let values: Vec<_> = (0..m.dimensions[d].values.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| &m.dimensions[d].values[i])
                .collect();
            (!values.is_empty() && values.iter().all(|v| !v.applies_to.is_empty())).then(|| {
                (
                    d,
                    values
                        .iter()
                        .flat_map(|v| v.applies_to.iter().map(|a| a.to_string()))
                        .collect(),
                )
            })
        })
        .collect()
}

/// The oracle's answer, read from the matrix by the rules of docs/guide.md.
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

fn prefs(m: &Matrix) -> Vec<&str> {
    m.preference.iter().map(|p| p.as_ref()).collect()
}

/// The stated dimensions whose check fails `version`.
/// (A combination counts as index `dimensions + its index`.)
fn oracle_failed(m: &Matrix, req: &Requirements, version: &str) -> Vec<usize> {
    let idle = oracle_idle(m, req);
    req.stated()
        .filter(|&(d, _)| !idle.contains(&d))
        .filter(|&(d, value)| oracle_status(m, version, d, value, None) == "fail")
        .map(|(d, _)| d)
        .chain(
            oracle_triggered(m, req)
                .into_iter()
                .filter(|&c| oracle_combo_status(m, version, c) == "fail")
                .map(|c| m.dimensions.len() + c),
        )
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
        .map(|d| match m.dimensions.get(d) {
            Some(dim) => dim.key.to_string(),
            None => m.combinations[d - m.dimensions.len()].id.to_string(),
        })
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
    let org = |d: usize| m.dimensions[d].scope != Scope::Group && d != apps_dim;
    let bound = oracle_app_bound(m, req);
    let binds = |d: usize, app: &str| {
        org(d)
            || bound
                .iter()
                .any(|(b, apps)| *b == d && apps.iter().any(|a| a == app))
    };
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut unserved = false;
    for i in (0..m.apps.len()).filter(|i| apps & (1 << i) != 0) {
        let app = m.apps[i].id.as_ref();
        let v = prefs.iter().copied().find(|v| {
            oracle_status(m, v, apps_dim, Value::Set(1 << i), None) != "fail"
                && req.stated().all(|(d, value)| {
                    !binds(d, app) || oracle_status(m, v, d, value, None) != "fail"
                })
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
            && !bound.iter().any(|(b, _)| *b == d)
            && groups
                .iter()
                .all(|g| oracle_status(m, &g.0, d, value, None) == "fail")
    }) || oracle_triggered(m, req).into_iter().any(|c| {
        groups
            .iter()
            .all(|g| oracle_combo_status(m, &g.0, c) == "fail")
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
/// (Limited checks count: they too make an answer conditional; so do the
/// triggered combinations. For a group, the requirements it cannot meet and
/// those bound to apps it does not hold are left out.)
fn oracle_unknown(m: &Matrix, req: &Requirements, version: &str, apps: Option<u64>) -> Vec<usize> {
    let soft = |s: &str| s == "unknown" || s == "limited";
    let exempt = |d: usize| {
        apps.is_some_and(|a| {
            oracle_app_bound(m, req)
                .iter()
                .any(|(b, ids)| *b == d && app_mask(m, ids) & a == 0)
        })
    };
    let idle = oracle_idle(m, req);
    req.stated()
        .filter(|&(d, value)| {
            soft(oracle_status(m, version, d, value, apps)) && !exempt(d) && !idle.contains(&d)
        })
        .map(|(d, _)| d)
        .chain(
            oracle_triggered(m, req)
                .into_iter()
                .filter(|&c| soft(oracle_combo_status(m, version, c)))
                .map(|c| m.dimensions.len() + c),
        )
        .collect()
}

/// The stated requirements a plan group's version cannot meet (not bound
/// to other apps), combinations included.
fn oracle_unmet(m: &Matrix, req: &Requirements, version: &str, apps: u64) -> Vec<usize> {
    let bound = oracle_app_bound(m, req);
    let ad = apps_dim(m);
    req.stated()
        .filter(|&(d, value)| {
            d != ad
                && m.dimensions[d].scope == Scope::Group
                && !bound.iter().any(|(b, _)| *b == d)
                && oracle_status(m, version, d, value, None) == "fail"
        })
        .map(|(d, _)| d)
        .chain(
            oracle_triggered(m, req)
                .into_iter()
                .filter(|&c| oracle_combo_status(m, version, c) == "fail")
                .map(|c| m.dimensions.len() + c),
        )
        .filter(|_| apps != 0)
        .collect()
}

/// Whether something stated (an app or a value, narrowed to `apps`) or the
/// version used is removed or past its end of support on `day`, by a
/// lifecycle entry that blocks.
fn oracle_retired(
    m: &Matrix,
    req: &Requirements,
    version: &str,
    apps: Option<u64>,
    day: (u32, u32, u32),
) -> bool {
    use cif_advisor::dates::parse_day_or_month;
    let mut subjects = vec![format!("version={version}")];
    for (d, value) in req.stated() {
        let dim = &m.dimensions[d];
        let Value::Set(mask) = value else { continue };
        let mask = if dim.kind == DimensionKind::Apps {
            apps.unwrap_or(mask) & mask
        } else {
            mask
        };
        for i in (0..64).filter(|i| mask & (1u64 << i) != 0) {
            match dim.kind {
                DimensionKind::Apps => subjects.push(format!("apps={}", m.apps[i].id)),
                DimensionKind::Choice | DimensionKind::Multi => {
                    subjects.push(format!("{}={}", dim.key, dim.values[i].id))
                }
                _ => {}
            }
        }
    }
    m.lifecycle.iter().any(|l| {
        let past = |t: &Option<String>, last: bool, strict: bool| {
            t.as_deref()
                .and_then(|t| parse_day_or_month(t, last))
                .is_some_and(|(d, _)| if strict { d < day } else { d <= day })
        };
        l.effect == cif_advisor::matrix::Effect::Blocks
            && subjects.contains(&l.subject)
            && (past(&l.removed, false, false) || past(&l.end_of_support, true, true))
    })
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

/// `can_fail`, given the stated apps: only values that exist in every app
/// or in a stated one count.
fn can_fail_with(m: &Matrix, version: &str, d: usize, apps: Option<Value>) -> bool {
    let dim = &m.dimensions[d];
    let Some(Value::Set(apps)) = apps else {
        return can_fail(m, version, d);
    };
    if !matches!(dim.kind, DimensionKind::Choice | DimensionKind::Multi) {
        return can_fail(m, version, d);
    }
    dim.values.iter().any(|v| {
        v.support[version].status == Support::No
            && (v.applies_to.is_empty()
                || v.applies_to.iter().any(|a| {
                    m.apps
                        .iter()
                        .position(|x| x.id == *a)
                        .is_some_and(|i| apps & (1 << i) != 0)
                }))
    })
}

/// Every single change to the stated requirements, as docs/guide.md lists them:
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
                // Never an app added.
                let offered = |i: usize| m.apps[i].state == AppState::Active;
                for i in 0..m.apps.len() {
                    if mask & (1 << i) != 0 && mask.count_ones() > 1 {
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
                // Never a value added.
                for i in 0..dim.values.len() {
                    if mask & (1 << i) != 0 && mask.count_ones() > 1 {
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
// states) and never calls `Rules` or `Engine`. One property compares the
// library with itself on purpose, because it tests a law, not the engine's
// answer: `adding_a_requirement_never_adds_a_fitting_version`
// (monotonicity, checked on the oracle too). Removed: "the same input gives
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

    /// A team alone answers as the same requirements stated
    /// without teams, and the organisation of that one team gives its answer.
    #[test]
    fn a_team_alone_answers_as_its_requirements_without_teams(req in requirements()) {
        let m = matrix();
        let engine = Engine::new(m);
        let alone = engine.evaluate(&req);
        let org = cif_advisor::teams::Organisation {
            top: Requirements::empty(m),
            teams: vec![cif_advisor::teams::Team {
                name: "Team".into(),
                own: req.clone(),
                req: req.clone(),
            }],
        };
        let d = engine.evaluate_org(&org);
        prop_assert_eq!(&d.teams[0].decision, &alone);
        prop_assert_eq!(d.outcome, alone.outcome);
        prop_assert_eq!(&d.recommended, &alone.recommended);
        prop_assert_eq!(d.confidence, alone.confidence);
        prop_assert_eq!(&d.fits, &alone.fits);
        prop_assert_eq!(d.outcome.as_str(), oracle(m, &req).outcome);
    }

    #[test]
    fn the_answer_is_the_oracles_reading_of_the_matrix(req in requirements()) {
        let m = matrix();
        let engine = Engine::new(m);
        let d = engine.evaluate(&req);
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
        let docs: Vec<&str> = used
            .iter()
            .map(|v| m.versions.iter().find(|x| x.id == *v).unwrap().docs.as_ref())
            .collect();
        prop_assert_eq!(cif_advisor::render::json::docs(&engine, &d), docs);
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
        let day = Engine::new(m).as_of.day;
        let weakest = |unknown: &[usize]| {
            if open {
                Confidence::Open
            } else if unknown.is_empty() {
                Confidence::Confirmed
            } else {
                Confidence::Conditional
            }
        };
        // A retirement the answer rests on makes a confirmed answer conditional.
        let retired = |c: Confidence, gone: bool| {
            if gone && c == Confidence::Confirmed { Confidence::Conditional } else { c }
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
                let gone = oracle_retired(m, &req, &o.fits[0], None, day);
                prop_assert_eq!(d.confidence, Some(retired(weakest(&unknown), gone)));
            }
            _ => {
                let mut all = Vec::new();
                let mut any_unmet = false;
                let mut any_gone = false;
                for (p, g) in d.plan.iter().zip(&o.plan) {
                    let mask = app_mask(m, &g.1);
                    let unknown = oracle_unknown(m, &req, &g.0, Some(mask));
                    let unmet = oracle_unmet(m, &req, &g.0, mask);
                    let unknown: Vec<usize> = unknown.into_iter().filter(|d| !unmet.contains(d)).collect();
                    let gone = oracle_retired(m, &req, &g.0, Some(mask), day);
                    let group = if unmet.is_empty() { weakest(&unknown) } else { weakest(&[0]) };
                    prop_assert_eq!(p.confidence, Some(retired(group, gone)), "group {}", g.0);
                    prop_assert_eq!(&p.unmet, &keys(m, unmet.clone()), "group {}", g.0);
                    any_unmet |= !unmet.is_empty();
                    any_gone |= gone;
                    all.extend(unknown);
                }
                all.sort_unstable();
                all.dedup();
                prop_assert_eq!(&d.conditional_on, &keys(m, all.clone()));
                let top = if any_unmet { weakest(&[0]) } else { weakest(&all) };
                let whole = o.plan.iter().any(|g| oracle_retired(m, &req, &g.0, None, day));
                let _ = any_gone;
                prop_assert_eq!(d.confidence, Some(retired(top, whole)));
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
        let triggered = oracle_triggered(m, &req);
        // (A value bound to apps none of which is stated is not checked.)
        let idle = oracle_idle(m, &req);
        let stated: Vec<String> = keys(
            m,
            req.stated()
                .map(|(d, _)| d)
                .filter(|d| !idle.contains(d))
                .chain(triggered.iter().map(|c| m.dimensions.len() + c)),
        );
        for e in &d.evaluations {
            prop_assert_eq!(e.fits, oracle_failed(m, &req, &e.version).is_empty(), "{}", e.version);
            let checked: Vec<String> = e.checks.iter().map(|c| c.requirement.clone()).collect();
            prop_assert_eq!(&checked, &stated);
            for (c, (dim, value)) in e.checks.iter().zip(req.stated().filter(|(d, _)| !idle.contains(d))) {
                prop_assert_eq!(c.status.as_str(), oracle_status(m, &e.version, dim, value, None));
            }
            let checked = req.stated().filter(|(d, _)| !idle.contains(d)).count();
            for (c, &k) in e.checks.iter().skip(checked).zip(&triggered) {
                prop_assert_eq!(c.status.as_str(), oracle_combo_status(m, &e.version, k));
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
        let mut more = req.clone();
        more.values[d] = Some(value_for(m, d, seed));
        // The one exception: stating the apps can say that nobody holds the
        // apps a stated value exists in (the Teams dialer without Sales Hub).
        prop_assume!(oracle_idle(m, &more).is_empty());
        let before = engine.evaluate(&req).fits;
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
            // The failing requirements; a failing combination none of whose
            // keys they drop is named by its keys (drop one of them).
            let dims = m.dimensions.len();
            let expected: Vec<(String, Vec<String>)> = prefs(m)
                .into_iter()
                .map(|v| {
                    let failed = oracle_failed(m, &req, v);
                    (v.to_string(), keys(m, failed.iter().copied().filter(|&d| d < dims)))
                })
                .collect();
            let one_of: Vec<Vec<Vec<String>>> = prefs(m)
                .into_iter()
                .zip(&expected)
                .map(|(v, (_, drop))| {
                    oracle_failed(m, &req, v)
                        .into_iter()
                        .filter(|&d| d >= dims)
                        .map(|d| m.combinations[d - dims].when.0.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
                        .filter(|ks| !ks.iter().any(|k| drop.contains(k)))
                        .collect()
                })
                .collect();
            let got: Vec<(String, Vec<String>)> =
                d.relaxations.iter().map(|r| (r.version.clone(), r.drop.clone())).collect();
            prop_assert_eq!(got, expected.clone());
            let got_one_of: Vec<Vec<Vec<String>>> =
                d.relaxations.iter().map(|r| r.drop_one_of.clone()).collect();
            prop_assert_eq!(got_one_of, one_of.clone());
            // Dropping them makes the version fit. (Dropping the apps also
            // drops what binds only apps none of which was stated: with no
            // app stated, it would bind everyone again.)
            let idle = oracle_idle(m, &req);
            for ((v, drop), combos) in expected.iter().zip(&one_of) {
                let mut relaxed = req.clone();
                for keys in combos {
                    let i = m.dimensions.iter().position(|x| x.key == keys[0].as_str()).unwrap();
                    relaxed.values[i] = None;
                }
                if drop.iter().any(|k| k == "apps") {
                    for &d in &idle {
                        relaxed.values[d] = None;
                    }
                }
                for key in drop {
                    match m.dimensions.iter().position(|x| &x.key == key) {
                        Some(i) => relaxed.values[i] = None,
                        // A combination: dropping one of its keys is enough.
                        None => {
                            let c = m.combinations.iter().find(|c| c.id == key.as_str()).unwrap();
                            let first = &c.when.0[0].0;
                            let i = m.dimensions.iter().position(|x| x.key == first.as_str()).unwrap();
                            relaxed.values[i] = None;
                        }
                    }
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
            // A group with the same answer lists changes that make it surer.
            let surer = g.confidence > d.confidence && g.outcome == d.outcome && g.recommended == d.recommended;
            for c in &g.changes {
                // A successor taken is one change that may set several keys:
                // exactly those its lifecycle entry names.
                if c.change.contains("the successor of ") {
                    let entry = m
                        .lifecycle
                        .iter()
                        .find(|l| c.change.contains(&format!("the successor of {} (", l.name)))
                        .expect("a dated subject");
                    let changed: Vec<String> = keys(
                        m,
                        (0..m.dimensions.len()).filter(|&i| c.changed.values[i] != req.values[i]),
                    );
                    for k in &changed {
                        prop_assert!(entry.successor.get(k).is_some(), "{} sets {k}", c.change);
                    }
                    continue;
                }
                if !surer {
                    listed.push(c.changed.values.clone());
                }
                let again = oracle(m, &c.changed);
                prop_assert_eq!(g.outcome.as_str(), again.outcome, "{}", c.change);
                prop_assert_eq!(&g.recommended, &again.recommended, "{}", c.change);
                prop_assert_eq!(&g.fits, &again.fits, "{}", c.change);
                prop_assert_eq!(&g.plan, &again.key().2, "{}", c.change);
                prop_assert!(surer || again.key() != base.key(), "{} does not change the answer", c.change);
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
                // No change adds an app or a value.
                prop_assert!(!c.change.contains(": add "), "{}", c.change);
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
        // And every single change (by docs/guide.md's list) that changes the
        // oracle's answer is listed (in whatever order the engine gives).
        // (A change to `none` only when the answer is `none` already.)
        let expected: Vec<Vec<Option<Value>>> = oracle_single_changes(m, &req)
            .into_iter()
            .filter(|changed| oracle(m, changed).key() != base.key())
            .filter(|changed| base.outcome == "none" || oracle(m, changed).outcome != "none")
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
        // Routes for `none`, and otherwise only to a retired subject's
        // successor; each from the matrix or its lifecycle.
        for r in &d.routes {
            let dated = m.lifecycle.iter().any(|l| l.subject == r.for_.as_str());
            prop_assert!(d.outcome == OutcomeKind::None || dated, "route {} outside none", r.for_);
            prop_assert!(
                dated || m.routes.iter().any(|x| x.for_ == r.for_.as_str() && x.text == r.text.as_str())
            );
        }
    }

    #[test]
    fn every_answer_matches_the_schema(req in requirements()) {
        let engine = Engine::new(matrix());
        let d = engine.evaluate(&req);
        let view = cif_advisor::render::json::DecisionView::new(&engine, &d);
        schema::assert_answer(&serde_json::to_value(&view).unwrap());
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
                    && used.iter().any(|v| can_fail_with(m, v, i, req.values[apps_dim(m)]))
            })
            .collect();
        let mut half: Vec<usize> = Vec::new();
        // And the key that a half-stated combination lacks, when the
        // combination would not simply pass for a version the answer uses.
        for (c, combo) in m.combinations.iter().enumerate() {
            let failing: Vec<usize> = combo
                .when
                .0
                .iter()
                .filter(|(key, cond)| !oracle_cond(m, &req, key, cond))
                .filter_map(|(key, _)| m.dimensions.iter().position(|x| x.key == key.as_str()))
                .collect();
            let matters = used.iter().any(|v| oracle_combo_status(m, v, c) != "pass");
            if let [i] = failing[..] {
                if matters && req.values[i].is_none() && !req.is_skipped(i) && !expected.contains(&i) {
                    half.push(i);
                    expected.push(i);
                }
            }
        }
        expected.sort_by_key(|&i| !m.dimensions[i].decides);
        prop_assert_eq!(&d.unanswered, &keys(m, expected));
        // And each could really rule out the recommendation (by the oracle).
        if let Some(rec) = &o.recommended {
            for key in &d.unanswered {
                let i = m.dimensions.iter().position(|x| &x.key == key).unwrap();
                if half.contains(&i) {
                    continue; // it completes a limit, which keeps the version
                }
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
    fn a_compact_batch_line_is_the_oracles_answer(req in requirements(), n in 1u64..1_000_000, id in "[a-z0-9-]{0,8}") {
        let m = matrix();
        let engine = Engine::new(m);
        prop_assume!(!req.is_empty());
        let mut line = engine.requirements_json(&req);
        line["id"] = serde_json::Value::from(id.clone());
        let text = serde_json::to_string(&line).unwrap();
        let mut batch = Batch::new(&engine, Detail::Compact);
        let mut out = Vec::new();
        batch.process(n, text.as_bytes(), &mut out);
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        schema::assert_batch_line(&value);
        let o = oracle(m, &req);
        prop_assert_eq!(&value["line"], &serde_json::json!(n));
        prop_assert_eq!(&value["id"], &serde_json::json!(id));
        prop_assert_eq!(value["outcome"].as_str(), Some(o.outcome));
        prop_assert_eq!(value["recommended"].as_str().map(String::from), o.recommended.clone());
        prop_assert_eq!(&value["fits"], &serde_json::json!(o.fits));
        for v in prefs(m) {
            let failed = keys(m, oracle_failed(m, &req, v));
            if failed.is_empty() {
                prop_assert!(value["failed"].get(v).is_none());
            } else {
                prop_assert_eq!(&value["failed"][v], &serde_json::json!(failed));
            }
        }
        prop_assert_eq!(batch.summary.lines, 1);
    }
}

/// A matrix with a third version "3.0" that also supports Sales and a new
/// channel type "video" that only 3.0 carries.
fn three_version_matrix() -> Matrix {
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
        limit: None,
        limit_source: None,
        reviewed: None,
    };
    for c in &mut m.combinations {
        let cap = c.support["2.0"].clone();
        c.support.insert("3.0", cap);
    }
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
                applies_to: vec![],
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
