//! The caveats and routes of an answer.

use super::reasons::{self, basis_suffix};
use super::{Caveat, Check, Engine, Evaluation, Group, Outcome, OutcomeKind, RouteView, Status};
use crate::matrix::{Basis, CaveatKind, DimensionKind, Note};
use crate::requirements::{bits, Requirements, Value};

impl Engine<'_> {
    /// Routes for the parts no version serves: by failing value, then by app.
    pub(super) fn routes(&self, req: &Requirements, out: &Outcome) -> Vec<RouteView> {
        if out.kind != OutcomeKind::None || out.contradictory {
            return Vec::new();
        }
        let wanted = super::teams::union(self.route_keys(req, out).iter());
        let routes = &self.matrix.routes;
        wanted
            .iter()
            .flat_map(|key| routes.iter().filter(move |r| r.for_ == key.as_str()))
            .map(RouteView::of)
            .collect()
    }

    /// The subjects (`key` or `key=value`) of the routes an answer with no
    /// version asks for, in order, perhaps twice.
    fn route_keys(&self, req: &Requirements, out: &Outcome) -> Vec<String> {
        let all = self.rules.order();
        let app = |a: usize| self.matrix.apps.get(a).map(|a| format!("apps={}", a.id));
        let Some(ad) = self.rules.apps_dim().filter(|&d| req.values[d].is_some()) else {
            let failing = |(d, value)| self.failing(d, value, all);
            return req.stated().flat_map(failing).collect();
        };
        let mut keys = Vec::new();
        // Apps no version serves: the org-wide values that rule them out.
        for a in bits(out.no_version) {
            let serves = |&v: &usize| self.rules.check(v, ad, Value::Set(1 << a)) != Status::Fail;
            let serving: Vec<usize> = all.iter().copied().filter(serves).collect();
            let binds = self.rules.binds_app(req, a);
            for (d, value) in req.stated().filter(|(d, _)| binds & (1 << d) != 0) {
                keys.extend(self.failing(d, value, &serving));
            }
            if serving.is_empty() {
                keys.extend(app(a));
            }
        }
        // Group requirements no group meets, and the apps of those groups.
        let versions: Vec<usize> = out.groups.iter().map(|g| g.version).collect();
        for d in bits(out.unmet_all) {
            if let Some(value) = req.values.get(d).copied().flatten() {
                keys.extend(self.failing(d, value, &versions));
            }
            for g in out.groups.iter().filter(|g| g.unmet & (1 << d) != 0) {
                keys.extend(bits(g.apps).filter_map(app));
            }
        }
        keys
    }

    /// The route subjects of a stated value that fails for one of
    /// `versions`: `key=value` for each failing value, else the key.
    fn failing(&self, d: usize, value: Value, versions: &[usize]) -> Vec<String> {
        let dim = &self.matrix.dimensions[d];
        let fails = |b: &usize| {
            versions
                .iter()
                .any(|&v| self.rules.check(v, d, Value::Set(1 << b)) == Status::Fail)
        };
        match value {
            Value::Set(mask) if dim.kind != DimensionKind::Flag => bits(mask)
                .filter(fails)
                .filter_map(|b| self.lexicon.value_ids(d).get(b))
                .map(|id| format!("{}={id}", dim.key))
                .collect(),
            _ => vec![dim.key.to_string()],
        }
    }

    pub(super) fn caveats(
        &self,
        req: &Requirements,
        out: &Outcome,
        evaluations: &[Evaluation],
    ) -> Vec<Caveat> {
        let matrix = self.matrix;
        let mut list = Caveats {
            list: Vec::new(),
            stated: matrix.basis_stated(),
        };
        // A single answer's one part is its (first fitting) version, its
        // apps not narrowed (none: every group has some).
        let single = [Group {
            version: out.fits.first().copied().unwrap_or_default(),
            ..Group::default()
        }];
        let parts = match out.kind {
            OutcomeKind::Single => &single[..],
            _ => &out.groups,
        };
        // The checked requirements, as the evaluations hold their checks.
        let checked = self.checked(req);
        for p in parts {
            let vid = self.version_id(p.version);
            if let Some(e) = evaluations.iter().find(|e| e.version == vid) {
                self.unknown_caveats(&mut list, p, e, &checked);
            }
            self.capability_caveats(&mut list, p, &checked);
            if out.kind == OutcomeKind::Plan {
                self.unmet_caveat(&mut list, req, p);
            }
        }
        // Status notes of the chosen apps.
        for app in self.apps_in(self.rules.stated_apps(req).unwrap_or(0)) {
            list.notes(&app.id, &app.name, &app.notes);
        }
        if let (OutcomeKind::Plan, Some(n)) = (out.kind, &matrix.side_by_side) {
            let id = n.id.as_deref().unwrap_or("side-by-side").to_string();
            list.add(id, n.kind, n.text.to_string(), &n.source, n.basis);
        }
        for p in parts {
            let version = &matrix.versions[p.version];
            list.notes(&version.id, &version.name, &version.notes);
        }
        list.list.sort_by_key(|c| c.kind);
        list.list
    }

    /// The unknown and limited checks behind a part of the answer, its
    /// apps' check narrowed to the part's apps; then those of the
    /// combinations the requirements trigger.
    fn unknown_caveats(
        &self,
        list: &mut Caveats,
        p: &Group,
        e: &Evaluation,
        checked: &[(usize, Value)],
    ) {
        let vid = self.version_id(p.version);
        for (i, c) in e.checks.iter().enumerate() {
            // The checks of the combinations follow those of the requirements.
            let d = checked.get(i).map(|&(d, _)| d);
            if d.is_some_and(|d| (p.unmet | p.exempt) & (1 << d) != 0) {
                continue;
            }
            let narrowed = d
                .filter(|&d| Some(d) == self.rules.apps_dim() && p.apps != 0)
                .map(|d| self.check(p.version, d, Value::Set(p.apps)));
            // The reason is the narrowed check's; the source, the whole check's.
            let n = narrowed.as_ref().unwrap_or(c);
            if matches!(n.status, Status::Unknown | Status::Limited) {
                // A risk whose reason names its basis already.
                list.push(Caveat {
                    id: format!("{}:{}:{vid}", n.status.as_str(), c.requirement),
                    kind: CaveatKind::Risk,
                    text: n.reason.clone(),
                    basis: list.stated.then(|| n.basis.unwrap_or_default()),
                    source: c.sources.first().cloned().unwrap_or_default(),
                });
            }
        }
    }

    /// The caveats attached to the capabilities a part of the answer relies on.
    fn capability_caveats(&self, list: &mut Caveats, p: &Group, checked: &[(usize, Value)]) {
        let vid = self.version_id(p.version);
        for &(d, value) in checked {
            if (p.unmet | p.exempt) & (1 << d) != 0 {
                continue;
            }
            let narrowed = Some(d) == self.rules.apps_dim() && p.apps != 0;
            let value = if narrowed { Value::Set(p.apps) } else { value };
            // A count caveat is about going beyond one.
            if matches!(value, Value::Count(n) if n <= 1) {
                continue;
            }
            let key = &self.matrix.dimensions[d].key;
            for (label, cap) in self.capabilities(p.version, d, value) {
                let Some(text) = &cap.caveat else {
                    continue;
                };
                let id = match (label.is_empty(), value) {
                    (true, _) | (_, Value::Count(_)) => format!("{key}:{vid}"),
                    _ => format!("{key}:{}:{vid}", slug(&label)),
                };
                let source = cap.caveat_source.as_deref().unwrap_or(&cap.source);
                let kind = cap.caveat_kind.unwrap_or(CaveatKind::Setup);
                list.add(id, kind, text.to_string(), source, cap.basis);
            }
        }
    }

    /// What a plan group's version cannot meet, named for the group.
    fn unmet_caveat(&self, list: &mut Caveats, req: &Requirements, p: &Group) {
        let (a, unmet) = (p.apps, p.unmet & !p.exempt);
        if a == 0 || unmet == 0 {
            return;
        }
        // (Combinations' bits follow the dimensions'.)
        let checks: Vec<Check> = bits(unmet)
            .filter_map(|d| match req.values.get(d) {
                Some(value) => value.map(|value| self.check(p.version, d, value)),
                None => Some(self.combo_check(p.version, d)),
            })
            .collect();
        let reasons: Vec<&str> = checks.iter().map(|c| c.reason.as_str()).collect();
        let name = &self.matrix.versions[p.version].name;
        list.push(Caveat {
            id: format!("unmet:{}", self.app_ids(a).join("+")),
            kind: CaveatKind::Risk,
            text: reasons::unmet_caveat(&self.app_names(a), name, &reasons),
            // Each reason names its own basis already.
            basis: list.stated.then_some(Basis::Documented),
            source: checks
                .iter()
                .find_map(|c| c.sources.first())
                .cloned()
                .unwrap_or_default(),
        });
    }
}

/// The caveats of an answer, each once (by id and by text).
struct Caveats {
    list: Vec<Caveat>,
    /// The matrix states the basis of its facts.
    stated: bool,
}

impl Caveats {
    fn push(&mut self, c: Caveat) {
        if !self.list.iter().any(|o| o.id == c.id || o.text == c.text) {
            self.list.push(c);
        }
    }

    /// A caveat whose text gets its basis named.
    fn add(&mut self, id: String, kind: CaveatKind, text: String, source: &str, basis: Basis) {
        let basis = self.stated.then_some(basis);
        self.push(Caveat {
            id,
            kind,
            text: text + &basis_suffix(basis, [source]),
            basis,
            source: source.to_string(),
        });
    }

    /// The notes of an app or a version, named for their owner.
    fn notes(&mut self, owner_id: &str, owner: &str, notes: &[Note]) {
        for (j, n) in notes.iter().enumerate() {
            let id =
                n.id.clone()
                    .unwrap_or_else(|| format!("{owner_id}:note{j}"));
            let text = format!("{owner}: {}", n.text);
            self.add(id, n.kind, text, &n.source, n.basis);
        }
    }
}

/// "Unified Service Desk" → "unified-service-desk" (for caveat ids).
pub(super) fn slug(label: &str) -> String {
    label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}
