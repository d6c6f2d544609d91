//! Property tests over random requirements (proptest), plus a custom matrix
//! with a third version and a new channel type.

use cif_advisor::batch::Batch;
use cif_advisor::batch::Detail;
use cif_advisor::engine::{Confidence, Engine, OutcomeKind, Status};
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

/// The oracle's answer: (outcome, recommended, plan as (version, app ids)).
/// (outcome, recommended, plan as (version, app ids)).
type Answer = (String, Option<String>, Vec<(String, Vec<String>)>);

fn oracle(m: &Matrix, req: &Requirements) -> Answer {
    let prefs: Vec<&str> = m.preference.iter().map(|p| p.as_ref()).collect();
    let fails = |v: &str| {
        req.stated()
            .any(|(d, value)| oracle_status(m, v, d, value, None) == "fail")
    };
    let fits: Vec<&str> = prefs.iter().copied().filter(|v| !fails(v)).collect();
    let apps_dim = m
        .dimensions
        .iter()
        .position(|d| d.kind == DimensionKind::Apps)
        .unwrap();
    // Contradiction: a stated session mode that a stated app does not have.
    let contradictory = match req.values[apps_dim] {
        Some(Value::Set(apps)) => req.stated().any(|(d, value)| {
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
        }),
        _ => false,
    };
    if !fits.is_empty() && !contradictory {
        return ("single".into(), Some(fits[0].to_string()), vec![]);
    }
    let Some(Value::Set(apps)) = req.values[apps_dim] else {
        return ("none".into(), None, vec![]);
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
        ("none".into(), None, groups)
    } else {
        ("plan".into(), None, groups)
    }
}

/// The versions of a plan (empty unless a plan).
fn versions_of(d: &cif_advisor::engine::Decision) -> Vec<String> {
    match d.outcome {
        OutcomeKind::Plan => d.plan.iter().map(|p| p.version.clone()).collect(),
        _ => Vec::new(),
    }
}

fn plan_of(d: &cif_advisor::engine::Decision) -> Vec<(String, Vec<String>)> {
    d.plan
        .iter()
        .map(|p| (p.version.clone(), p.apps.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_answer_is_the_oracles_reading_of_the_matrix(req in requirements()) {
        let m = matrix();
        let engine = Engine::new(m);
        let d = engine.evaluate(&req);
        let (outcome, recommended, plan) = oracle(m, &req);
        prop_assert_eq!(d.outcome.as_str(), outcome.as_str());
        prop_assert_eq!(&d.recommended, &recommended);
        prop_assert_eq!(plan_of(&d), plan);
        // recommended ∈ fits, and it is the first; the alternative the next.
        if let Some(r) = &d.recommended {
            prop_assert_eq!(Some(r), d.fits.first());
            prop_assert_eq!(d.alternative.as_ref(), d.fits.get(1));
        } else {
            prop_assert!(d.alternative.is_none());
        }
        // A plan has at least two versions, each serving its apps under the org requirements.
        if d.outcome == OutcomeKind::Plan {
            prop_assert!(d.plan.len() >= 2);
            prop_assert!(d.recommended.is_none());
        }
    }

    #[test]
    fn confidence_follows_its_precedence(req in requirements()) {
        let m = matrix();
        let engine = Engine::new(m);
        let d = engine.evaluate(&req);
        match d.outcome {
            OutcomeKind::None => prop_assert!(d.confidence.is_none()),
            OutcomeKind::Single => {
                let r = d.recommended.clone().unwrap();
                let unknown: Vec<String> = req
                    .stated()
                    .filter(|&(dim, value)| oracle_status(m, &r, dim, value, None) == "unknown")
                    .map(|(dim, _)| m.dimensions[dim].key.to_string())
                    .collect();
                prop_assert_eq!(&d.conditional_on, &unknown);
                // Open only when a deciding dimension is unstated.
                let open = d.confidence == Some(Confidence::Open);
                prop_assert_eq!(open, !d.open_on.is_empty());
                for key in &d.open_on {
                    let i = m.dimensions.iter().position(|x| &x.key == key).unwrap();
                    prop_assert!(m.dimensions[i].decides && req.values[i].is_none());
                }
                if !open {
                    prop_assert_eq!(
                        d.confidence,
                        Some(if unknown.is_empty() { Confidence::Confirmed } else { Confidence::Conditional })
                    );
                }
            }
            OutcomeKind::Plan => {
                let weakest = d.plan.iter().filter_map(|p| p.confidence).min();
                prop_assert_eq!(d.confidence, weakest);
            }
        }
    }

    #[test]
    fn a_version_fits_exactly_when_none_of_its_checks_fails(req in requirements()) {
        let engine = Engine::new(matrix());
        let d = engine.evaluate(&req);
        for e in &d.evaluations {
            let failed = e.checks.iter().any(|c| c.status == Status::Fail);
            prop_assert_eq!(e.fits, !failed);
            prop_assert_eq!(d.fits.contains(&e.version), e.fits);
            prop_assert_eq!(e.checks.len(), req.stated().count());
            for (c, (dim, value)) in e.checks.iter().zip(req.stated()) {
                prop_assert_eq!(c.status.as_str(), oracle_status(matrix(), &e.version, dim, value, None));
            }
        }
        // The fast path agrees with the full evaluation.
        let fast = engine.outcome(&req);
        let ids: Vec<String> = fast.fits.iter().map(|&v| engine.version_id(v).to_string()).collect();
        prop_assert_eq!(ids, d.fits.clone());
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
    }

    #[test]
    fn dropping_a_versions_relaxations_makes_it_fit(req in requirements()) {
        let m = matrix();
        let engine = Engine::new(m);
        let d = engine.evaluate(&req);
        if d.outcome == OutcomeKind::None {
            prop_assert_eq!(d.relaxations.len(), m.versions.len());
            for r in &d.relaxations {
                let mut relaxed = req.clone();
                for key in &r.drop {
                    let i = m.dimensions.iter().position(|x| &x.key == key).unwrap();
                    relaxed.values[i] = None;
                }
                let after = engine.evaluate(&relaxed);
                prop_assert!(after.fits.contains(&r.version), "{} still does not fit", r.version);
            }
        } else {
            prop_assert!(d.relaxations.is_empty());
        }
    }

    #[test]
    fn every_would_change_entry_is_what_re_evaluation_gives(req in requirements()) {
        let m = matrix();
        let engine = Engine::new(m);
        let d = engine.evaluate(&req);
        let mut listed = 0;
        for g in &d.would_change {
            prop_assert!(!g.changes.is_empty());
            for c in &g.changes {
                listed += 1;
                let again = engine.evaluate(&c.changed);
                prop_assert_eq!(&again.outcome, &g.outcome);
                prop_assert_eq!(&again.recommended, &g.recommended);
                prop_assert_eq!(&again.fits, &g.fits);
                prop_assert_eq!(versions_of(&again), g.plan.clone());
                prop_assert!(
                    (again.outcome, &again.recommended, versions_of(&again)) != (d.outcome, &d.recommended, versions_of(&d)),
                    "{} does not change the answer", c.change
                );
                prop_assert_eq!(&again.requirements, &c.requirements);
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
        // And every single change that changes the answer is listed.
        let key = |x: &cif_advisor::engine::Decision| (x.outcome, x.recommended.clone(), versions_of(x));
        let changing = engine
            .single_changes(&req)
            .into_iter()
            .filter(|(_, _, changed)| key(&engine.evaluate(changed)) != key(&d))
            .count();
        prop_assert_eq!(changing, listed);
    }

    #[test]
    fn caveats_are_shown_once_blocking_first_and_never_change_the_outcome(req in requirements()) {
        let engine = Engine::new(matrix());
        let d = engine.evaluate(&req);
        let kinds: Vec<_> = d.caveats.iter().map(|c| c.kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        prop_assert_eq!(kinds, sorted);
        for (i, a) in d.caveats.iter().enumerate() {
            for b in &d.caveats[i + 1..] {
                prop_assert!(a.id != b.id && a.text != b.text, "{} shown twice", a.id);
            }
        }
        // Routes only for `none`, and each from the matrix.
        if d.outcome != OutcomeKind::None {
            prop_assert!(d.routes.is_empty());
        }
        for r in &d.routes {
            prop_assert!(matrix().routes.iter().any(|x| x.for_ == r.for_.as_str() && x.text == r.text.as_str()));
        }
    }

    #[test]
    fn the_same_input_gives_the_same_output(req in requirements()) {
        let engine = Engine::new(matrix());
        let a = engine.evaluate(&req);
        let b = Engine::new(matrix()).evaluate(&req.clone());
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        // Every answer matches docs/recommend-schema.json.
        schema::assert_answer(&serde_json::to_value(&a).unwrap());
    }

    #[test]
    fn unanswered_dimensions_could_really_rule_out_the_recommendation(req in requirements()) {
        let m = matrix();
        let engine = Engine::new(m);
        let d = engine.evaluate(&req);
        if d.outcome != OutcomeKind::Single {
            return Ok(());
        }
        for key in &d.unanswered {
            let i = m.dimensions.iter().position(|x| &x.key == key).unwrap();
            prop_assert!(req.values[i].is_none());
            let rec = d.recommended.clone().unwrap();
            let can_fail = (0..64u64).any(|seed| {
                let mut r = req.clone();
                r.values[i] = Some(value_for(m, i, seed));
                !engine.evaluate(&r).fits.contains(&rec)
            });
            prop_assert!(can_fail, "{key} cannot rule out {rec}");
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
