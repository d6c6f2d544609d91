//! The rule engine: `Requirements` + matrix → `Decision`.
//!
//! It knows no version, app or channel by name: every check comes from the
//! matrix. A compact precomputed form (`Rules`: per version and dimension, the
//! masks of failing and unknown values) makes a check a few bit operations, so
//! batches and "what would change" re-evaluations are cheap.

use crate::matrix::{App, Basis, Capability, DimensionKind, Matrix, Support, VersionMap};
use crate::requirements::{bits, Lexicon, Requirements, Value};

pub mod combine;
pub mod dated;
pub mod reasons;
mod scope;
pub mod teams;

pub use reasons::{basis_suffix, source_label};

mod caveats;
mod changes;
mod decision;
mod rules;

pub use decision::*;
use rules::status_of;
pub use rules::*;

/// The engine: the matrix, its spellings and its compiled rules.
pub struct Engine<'m> {
    pub matrix: &'m Matrix,
    pub lexicon: Lexicon<'m>,
    pub rules: Rules,
    /// The evaluation date of the lifecycle.
    pub as_of: AsOf,
    /// The lifecycle's `blocks` entries, read at `as_of`.
    standings: Vec<dated::Standing>,
}

impl<'m> Engine<'m> {
    pub fn new(matrix: &'m Matrix) -> Self {
        let (as_of, lexicon) = (AsOf::default(), Lexicon::new(matrix));
        Engine {
            matrix,
            standings: dated::standings(matrix, &lexicon, as_of.day),
            lexicon,
            rules: Rules::new(matrix),
            as_of,
        }
    }

    /// The same engine, evaluating the lifecycle at `as_of`.
    pub fn at(mut self, as_of: AsOf) -> Self {
        if as_of.day != self.as_of.day {
            self.standings = dated::standings(self.matrix, &self.lexicon, as_of.day);
        }
        self.as_of = as_of;
        self
    }

    /// The app ids stated in `stated` (the apps dimension's, whatever its key).
    pub fn stated_app_ids(&self, stated: &StatedRequirements) -> Vec<String> {
        let key = |d: usize| &self.matrix.dimensions[d].key;
        self.rules
            .apps_dim()
            .map_or_else(Vec::new, |d| stated.ids(key(d)).to_vec())
    }

    pub fn version_id(&self, v: usize) -> &'m str {
        &self.matrix.versions[v].id
    }

    pub(crate) fn ids(&self, versions: &[usize]) -> Vec<String> {
        owned(versions.iter().map(|&v| self.version_id(v)).collect())
    }

    pub(crate) fn app_ids(&self, mask: u64) -> Vec<String> {
        owned(self.app_id_names(mask))
    }

    /// The apps of `mask`, in matrix order.
    pub(crate) fn apps_in(&self, mask: u64) -> impl Iterator<Item = &'m App> {
        bits(mask).filter_map(|i| self.matrix.apps.get(i))
    }

    pub(crate) fn app_names(&self, mask: u64) -> Vec<&'m str> {
        self.apps_in(mask).map(|a| a.name.as_ref()).collect()
    }

    /// The keys of `mask`, borrowed from the matrix (dimensions, then combinations).
    pub fn key_names(&self, mask: u64) -> Vec<&'m str> {
        let (dims, combos) = (&self.matrix.dimensions, &self.matrix.combinations);
        bits(mask)
            .filter_map(|d| match dims.get(d) {
                Some(dim) => Some(dim.key.as_ref()),
                None => combos.get(d - dims.len()).map(|c| c.id.as_ref()),
            })
            .collect()
    }

    /// The app ids of `mask`, borrowed from the matrix.
    pub fn app_id_names(&self, mask: u64) -> Vec<&'m str> {
        self.apps_in(mask).map(|a| a.id.as_ref()).collect()
    }

    pub fn keys(&self, mask: u64) -> Vec<String> {
        owned(self.key_names(mask))
    }

    /// The stated requirements, normalised (canonical ids, matrix order).
    pub fn stated(&self, req: &Requirements) -> StatedRequirements {
        StatedRequirements::new(req, &self.lexicon)
    }

    /// Normalised requirements as JSON (canonical ids, matrix order).
    pub fn requirements_json(&self, req: &Requirements) -> serde_json::Value {
        serde_json::to_value(self.stated(req)).unwrap_or(serde_json::Value::Null)
    }

    /// Capabilities behind a stated value for one version: (value label, capability).
    fn capabilities(
        &self,
        version: usize,
        dim: usize,
        value: Value,
    ) -> Vec<(String, &'m Capability)> {
        let caps = value_caps(
            self.matrix,
            &self.matrix.dimensions[dim],
            self.version_id(version),
        );
        // A count is labelled with the number stated.
        let (mask, count) = match value {
            Value::Set(mask) => (mask, None),
            Value::Count(n) => (1, Some(n.to_string())),
        };
        bits(mask)
            .filter_map(|i| caps.get(i))
            .filter_map(|&(name, cap)| {
                Some((count.clone().unwrap_or_else(|| name.to_string()), cap?))
            })
            .collect()
    }

    /// The full check of one requirement for one version, with its reason.
    pub fn check(&self, version: usize, dim: usize, value: Value) -> Check {
        let status = self.rules.check(version, dim, value);
        let d = &self.matrix.dimensions[dim];
        let caps = self.capabilities(version, dim, value);
        // Name the values that decide the status.
        let (mut labels, caps): (Vec<&str>, Vec<&Capability>) = caps
            .iter()
            .filter(|(_, c)| match (status, d.kind) {
                (_, DimensionKind::Count) | (Status::Pass, _) => true,
                (s, _) => status_of(Some(c)) == s,
            })
            .map(|(l, c)| (l.as_str(), *c))
            .unzip();
        labels.retain(|l| !l.is_empty());
        let values = (!labels.is_empty()).then(|| format!(" = {}", labels.join(", ")));
        let label = format!("{}{}", d.name, values.unwrap_or_default());
        self.check_of(version, (&d.key, &label), status, &caps)
    }

    /// The check of `requirement` (named `label` in its reason) for
    /// `version`, from the capabilities that decide its `status`.
    fn check_of(
        &self,
        version: usize,
        (requirement, label): (&str, &str),
        status: Status,
        caps: &[&Capability],
    ) -> Check {
        let (facts, sources) = facts_and_sources(status, caps.iter().copied());
        let conflicting = caps.iter().any(|c| c.status == Support::Conflicting);
        let inferred = caps.iter().map(|c| c.basis).find(|&b| b == Basis::Inferred);
        let basis = self
            .matrix
            .basis_stated()
            .then_some(inferred.unwrap_or(Basis::Documented));
        Check {
            requirement: requirement.to_string(),
            status,
            reason: reasons::check_reason(
                &self.matrix.versions[version].name,
                status,
                label,
                conflicting,
                &facts,
                basis,
                &sources,
            ),
            basis,
            sources,
        }
    }

    /// The stated requirements that are checked: all but those bound to apps
    /// none of which is stated.
    pub fn checked(&self, req: &Requirements) -> Vec<(usize, Value)> {
        let idle = self.rules.idle(req);
        req.stated().filter(|(d, _)| idle & (1 << d) == 0).collect()
    }

    /// The fast answer only.
    pub fn outcome(&self, req: &Requirements) -> Outcome {
        self.rules.outcome(req)
    }

    /// What to drop so that version `v` fits: its failing requirements, and
    /// one key of each failing combination they do not already remove.
    fn relaxation(&self, v: usize, failed: u64) -> Relaxation {
        let dims = self.matrix.dimensions.len();
        // The dimensions' own bits (combinations follow them).
        let own = failed & !u64::MAX.checked_shl(dims as u32).unwrap_or(0);
        let drop = self.keys(own);
        let drop_one_of = bits(failed & !own)
            .filter_map(|bit| self.matrix.combinations.get(bit - dims))
            .map(|c| c.when.0.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
            .filter(|keys| !keys.iter().any(|k| drop.contains(k)))
            .collect();
        Relaxation {
            version: self.version_id(v).to_string(),
            drop,
            drop_one_of,
        }
    }

    /// The fork of an answer left open by unstated apps.
    fn fork(&self, req: &Requirements, out: &Outcome) -> Vec<ForkItem> {
        let Some(ad) = self
            .rules
            .apps_dim()
            .filter(|&d| out.open_on & (1 << d) != 0)
        else {
            return Vec::new();
        };
        // (version, confidence, apps): the apps that get the same answer.
        let mut items: Vec<(Option<usize>, Option<Confidence>, Vec<String>)> = Vec::new();
        let mut with = req.clone();
        let apps = self.matrix.apps.iter().enumerate();
        for (i, app) in apps.filter(|(_, a)| a.state != crate::matrix::AppState::Removed) {
            with.values[ad] = Some(Value::Set(1 << i));
            let o = self.rules.outcome(&with);
            let answer = (o.recommended(), o.confidence);
            match items.iter_mut().find(|(v, c, _)| (*v, *c) == answer) {
                Some((_, _, apps)) => apps.push(app.id.to_string()),
                None => items.push((answer.0, answer.1, vec![app.id.to_string()])),
            }
        }
        // Versions in preference order, then the apps no version serves.
        items.sort_by_key(|(v, _, _)| v.map_or(usize::MAX, |v| self.rules.rank(v)));
        items
            .into_iter()
            .map(|(v, confidence, apps)| ForkItem {
                apps,
                version: v.map(|v| self.version_id(v).to_string()),
                confidence,
            })
            .collect()
    }

    /// The plan items of an outcome, with what the lifecycle says of each
    /// group (a single answer has none).
    pub(crate) fn plan_items(&self, req: &Requirements, out: &Outcome) -> Vec<PlanItem> {
        let item = |g: &Group| {
            let (confidence, until) = self.dated_group_confidence(req, out, g);
            PlanItem {
                team: None,
                apps: self.app_ids(g.apps),
                version: self.version_id(g.version).to_string(),
                confidence,
                conditional_on: self.keys(g.unknown),
                unmet: self.keys(g.unmet),
                valid_until: until.map(crate::dates::iso),
            }
        };
        out.groups.iter().map(item).collect()
    }

    /// The full decision for the stated requirements.
    pub fn evaluate(&self, req: &Requirements) -> Decision {
        let outcome = self.rules.outcome(req);
        // A single answer's next fitting version.
        let alternative = outcome
            .fits
            .get(1)
            .filter(|_| outcome.kind == OutcomeKind::Single);

        let evaluations: Vec<Evaluation> = self
            .rules
            .order()
            .iter()
            .map(|&v| Evaluation {
                version: self.version_id(v).to_string(),
                name: self.matrix.versions[v].name.to_string(),
                fits: outcome.failed[v] == 0,
                checks: self
                    .checked(req)
                    .into_iter()
                    .map(|(d, value)| self.check(v, d, value))
                    .chain(bits(self.rules.triggered(req)).map(|bit| self.combo_check(v, bit)))
                    .collect(),
            })
            .collect();

        let mut why_not = VersionMap::default();
        for e in evaluations.iter().filter(|e| !e.fits) {
            let failed = e.checks.iter().filter(|c| c.status == Status::Fail);
            why_not.insert(e.version.clone(), failed.cloned().collect());
        }

        let used = outcome.used();
        let mut caveats = self.caveats(req, &outcome, &evaluations);
        let mut routes = self.routes(req, &outcome);
        let (confidence, valid_until) = self.dated_confidence(req, &outcome);
        // The lifecycle's caveats (each replacing a static one with the same
        // id; blocking ones first) and routes join the answer's.
        let dated = self.dated_view(req, &used);
        for c in dated.caveats {
            caveats.retain(|o| o.id != c.id);
            caveats.push(c);
        }
        caveats.sort_by_key(|c| c.kind);
        for r in dated.routes {
            if !routes.iter().any(|o| o.for_ == r.for_) {
                routes.push(r);
            }
        }
        let unanswered = self.unanswered(req, &outcome, &used);
        // What to drop so that each version fits, for an answer with none.
        let relaxations = match outcome.kind {
            OutcomeKind::None => self
                .rules
                .order()
                .iter()
                .map(|&v| self.relaxation(v, outcome.failed[v]))
                .collect(),
            _ => Vec::new(),
        };

        Decision {
            matrix_reviewed: self.matrix.reviewed.to_string(),
            outcome: outcome.kind,
            recommended: outcome
                .recommended()
                .map(|v| self.version_id(v).to_string()),
            alternative: alternative.map(|&v| self.version_id(v).to_string()),
            as_of: crate::dates::iso(self.as_of.day),
            confidence,
            valid_until: valid_until.map(crate::dates::iso),
            conditional_on: self.keys(outcome.conditional_on),
            open_on: self.keys(outcome.open_on),
            holds_for: owned(self.app_names(outcome.open_keeps)),
            contradiction: outcome.contradictory.then(|| self.contradiction(req)),
            plan: self.plan_items(req, &outcome),
            fork: self.fork(req, &outcome),
            no_version: self.app_ids(outcome.no_version),
            unmet: self.keys(outcome.unmet_all),
            routes,
            fits: self.ids(&outcome.fits),
            requirements: self.stated(req),
            evaluations,
            why_not,
            caveats,
            unanswered,
            skipped: self.keys(req.skipped),
            would_change: self.would_change(req, &outcome),
            relaxations,
            core: outcome,
            teams: Vec::new(),
            as_of_given: self.as_of.given,
        }
    }

    /// Why a contradictory input contradicts itself.
    fn contradiction(&self, req: &Requirements) -> String {
        let mut parts = Vec::new();
        let apps = self.rules.stated_apps(req).unwrap_or(0);
        for (d, value) in req.stated() {
            let (dim, Value::Set(mode)) = (&self.matrix.dimensions[d], value) else {
                continue;
            };
            let stated = dim.values.get(mode.trailing_zeros() as usize);
            let Some(stated) = stated.filter(|_| dim.implied_by_apps) else {
                continue;
            };
            for app in self.apps_in(apps) {
                let session = app.session.as_str();
                if session != stated.id {
                    parts.push(format!(
                        "{} is {session} ({}) but {} = {} is stated",
                        app.name, dim.name, dim.key, stated.id
                    ));
                }
            }
        }
        format!(
            "The requirements contradict each other: {}; state the apps alone (they imply the {}).",
            parts.join("; "),
            self.keys(self.rules.implied).join(", ")
        )
    }

    /// Unstated dimensions that could still change the answer, deciding ones first.
    fn unanswered(&self, req: &Requirements, outcome: &Outcome, used: &[usize]) -> Vec<String> {
        if outcome.kind == OutcomeKind::None {
            return Vec::new();
        }
        let matrix = self.matrix;
        let stated_apps = self.rules.stated_apps(req);
        let mut dims: Vec<usize> = (0..req.values.len())
            .filter(|&d| {
                req.values[d].is_none()
                    && !req.is_skipped(d)
                    && used
                        .iter()
                        .any(|&v| self.rules.can_fail_with(v, d, stated_apps))
                    && !(stated_apps.is_some() && matrix.dimensions[d].implied_by_apps)
            })
            .collect();
        // The key a half-stated combination lacks.
        for d in bits(self.rules.half_stated(req, used)) {
            if !dims.contains(&d) && !req.is_skipped(d) {
                dims.push(d);
            }
        }
        dims.sort_by_key(|&d| !matrix.dimensions[d].decides);
        dims.into_iter()
            .map(|d| matrix.dimensions[d].key.to_string())
            .collect()
    }
}

/// Owned copies of names borrowed from the matrix.
fn owned(names: Vec<&str>) -> Vec<String> {
    names.into_iter().map(String::from).collect()
}

/// The facts and the sources behind the capabilities `caps`, each once: a
/// limit the requirements reach follows its fact, and the page it quotes
/// leads the sources.
fn facts_and_sources<'c>(
    status: Status,
    caps: impl Iterator<Item = &'c Capability>,
) -> (Vec<&'c str>, Vec<String>) {
    let (mut facts, mut sources): (Vec<&str>, Vec<String>) = (Vec::new(), Vec::new());
    for c in caps {
        if !facts.contains(&c.fact.as_ref()) {
            facts.push(&c.fact);
        }
        if let (Status::Limited, Some(limit)) = (status, &c.limit) {
            facts.push(limit);
            match c.limit_source.as_deref() {
                Some(s) if !sources.iter().any(|x| x == s) => sources.insert(0, s.to_string()),
                _ => {}
            }
        }
        for s in std::iter::once(&c.source).chain(&c.see_also) {
            if !sources.iter().any(|x| x == s) {
                sources.push(s.to_string());
            }
        }
    }
    (facts, sources)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requirements::parse_document;

    #[test]
    fn stated_requirements_serialise_in_matrix_order_with_canonical_ids() {
        let m = crate::matrix::embedded().unwrap();
        let engine = Engine::new(&m);
        let req = parse_document(
            "analytics: true\nproviders: 2\nsession: Single\napps: [sales]\n",
            &engine.lexicon,
        )
        .unwrap();
        let stated = engine.stated(&req);
        assert_eq!(
            serde_json::to_string(&stated).unwrap(),
            r#"{"apps":["sales"],"session":"single","providers":2,"analytics":true}"#
        );
        assert_eq!(stated.ids("apps"), ["sales"]);
        assert_eq!(stated.ids("providers"), [] as [String; 0]);
        assert_eq!(stated.get("providers"), Some(&StatedValue::Count(2)));
        assert_eq!(stated.get("cloud"), None);
        assert_eq!(
            crate::render::text::stated_summary(&stated),
            "apps = sales; session = single; providers = 2; analytics = true"
        );
        let none = engine.stated(&Requirements::empty(&m));
        assert_eq!(serde_json::to_string(&none).unwrap(), "{}");
        assert_eq!(
            crate::render::text::stated_summary(&none),
            "no requirement stated"
        );
    }
}
