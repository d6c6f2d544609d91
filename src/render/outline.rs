//! One walk over a decision: what its two forms for people, the text
//! answer (text.rs) and the decision record (record.rs), both take from the
//! engine's `Decision`, worked out once. Each form then writes its own
//! sections over it.

use crate::engine::dated::{parse_day, until_text};
use crate::engine::{Check, Confidence, Decision, Engine, Evaluation, OutcomeKind, Status};
use crate::matrix::DimensionKind;
use crate::requirements::Value;

/// A decision with what its forms for people show of it: the versions it
/// uses, and the checks behind a plan's groups.
pub struct DecisionOutline<'a> {
    pub engine: &'a Engine<'a>,
    pub d: &'a Decision,
    /// The versions the answer uses: the recommended one, or the plan's
    /// (in `none`, the plan of the served parts).
    pub used: Vec<&'a str>,
    /// The key of the apps dimension ("" when the matrix has none).
    pub apps_key: &'a str,
    /// In a plan and in `none`, each group's check that its version serves
    /// its apps, with the version's name.
    pub group_checks: Vec<(&'a str, Check)>,
}

impl<'a> DecisionOutline<'a> {
    pub fn new(engine: &'a Engine<'a>, d: &'a Decision) -> Self {
        let matrix = engine.matrix;
        let used = match d.outcome {
            OutcomeKind::Single => d.recommended.iter().map(String::as_str).collect(),
            _ => d.plan.iter().map(|p| p.version.as_str()).collect(),
        };
        let apps_dim = matrix
            .dimensions
            .iter()
            .position(|dim| dim.kind == DimensionKind::Apps);
        let apps_key = apps_dim.map_or("", |i| matrix.dimensions[i].key.as_ref());
        let group_check = |p: &crate::engine::PlanItem| {
            let v = matrix.versions.iter().position(|v| v.id == p.version)?;
            let app = |a: &String| matrix.apps.iter().position(|x| x.id == *a);
            let mask = p.apps.iter().filter_map(app).fold(0u64, |m, i| m | 1 << i);
            let c = engine.check(v, apps_dim?, Value::Set(mask));
            Some((matrix.versions[v].name.as_ref(), c))
        };
        let groups = d.plan.iter().filter(|_| d.outcome != OutcomeKind::Single);
        let group_checks = groups.filter_map(group_check).collect();
        DecisionOutline {
            engine,
            d,
            used,
            apps_key,
            group_checks,
        }
    }

    /// The names, in lower case, of the unstated requirements an open
    /// answer depends on.
    pub fn open_dims(&self) -> Vec<String> {
        let dimension = |k: &String| self.engine.matrix.dimension(k);
        let dims = self.d.open_on.iter().filter_map(dimension);
        dims.map(|dim| dim.name.to_lowercase()).collect()
    }

    /// True for a version the answer uses.
    pub fn uses(&self, version: &str) -> bool {
        self.used.contains(&version)
    }

    /// True for the apps check in an answer of groups (a plan, or `none`'s
    /// served parts): there a version serves only its own group's apps.
    pub fn covers_other_groups(&self, c: &Check) -> bool {
        self.d.outcome != OutcomeKind::Single && c.requirement == self.apps_key
    }

    /// True for a requirement that some version fails.
    pub fn is_decisive(&self, key: &str) -> bool {
        self.failures()
            .any(|(_, failed)| failed.iter().any(|c| c.requirement == key))
    }

    /// Each evaluation with its failed checks, those that fail any.
    pub fn failures(&self) -> impl Iterator<Item = (&'a Evaluation, Vec<&'a Check>)> {
        self.d.evaluations.iter().filter_map(|e| {
            let fails = |c: &&Check| c.status == Status::Fail;
            let failed: Vec<&Check> = e.checks.iter().filter(fails).collect();
            (!failed.is_empty()).then_some((e, failed))
        })
    }
}

/// "confirmed", "confirmed until April 2027", or "conditional on …" (on a
/// retirement when no check is behind it).
pub fn confirmed_or_conditional(d: &Decision) -> String {
    match d.confidence {
        Some(Confidence::Confirmed) => match d.valid_until.as_deref().and_then(parse_day) {
            Some(day) => format!("confirmed until {}", until_text(day)),
            None => "confirmed".into(),
        },
        Some(Confidence::Conditional) if d.conditional_on.is_empty() => {
            let unmet: Vec<String> = d
                .plan
                .iter()
                .filter(|p| !p.unmet.is_empty())
                .map(|p| {
                    let (apps, unmet) = (p.apps.join(", "), p.unmet.join(", "));
                    format!("{apps} on CIF {} cannot meet {unmet}", p.version)
                })
                .collect();
            if unmet.is_empty() {
                "conditional — it rests on something removed or past its end of support".into()
            } else {
                format!("conditional — {}", unmet.join("; "))
            }
        }
        Some(Confidence::Conditional) => format!("conditional on {}", d.conditional_on.join(", ")),
        _ => String::new(),
    }
}
