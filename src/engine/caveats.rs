//! The caveats and routes of an answer.

use super::reasons::{self, basis_suffix};
use super::{dated, Caveat, Check, Engine, Evaluation, Outcome, OutcomeKind, RouteView, Status};
use crate::matrix::{Basis, CaveatKind, DimensionKind};
use crate::requirements::{bits, Requirements, Value};

impl Engine<'_> {
    /// Routes for the parts no version serves: by failing value, then by app.
    pub(super) fn routes(&self, req: &Requirements, out: &Outcome) -> Vec<RouteView> {
        if out.kind != OutcomeKind::None || out.contradictory {
            return Vec::new();
        }
        let matrix = self.matrix;
        let apps_dim = self.rules.apps_dim();
        let mut wanted: Vec<String> = Vec::new();
        let mut want = |key: String| {
            if !wanted.contains(&key) {
                wanted.push(key);
            }
        };
        // A stated value that fails for `versions` asks for its route.
        let failing_values =
            |d: usize, value: Value, versions: &[usize], want: &mut dyn FnMut(String)| {
                let dim = &matrix.dimensions[d];
                match value {
                    Value::Set(mask) if dim.kind != DimensionKind::Flag => {
                        for b in bits(mask) {
                            if versions.iter().any(|&v| {
                                self.rules.check(v, d, Value::Set(1 << b)) == Status::Fail
                            }) {
                                if let Some(id) = self.lexicon.value_ids(d).get(b) {
                                    want(format!("{}={id}", dim.key));
                                }
                            }
                        }
                    }
                    _ => want(dim.key.to_string()),
                }
            };
        let all: Vec<usize> = self.rules.order().to_vec();
        let apps_stated = apps_dim.and_then(|d| req.values[d]);
        match apps_stated {
            None => {
                for (d, value) in req.stated() {
                    failing_values(d, value, &all, &mut want);
                }
            }
            Some(_) => {
                // Apps no version serves: the org-wide values that rule them out.
                for a in bits(out.no_version) {
                    let serving: Vec<usize> = all
                        .iter()
                        .copied()
                        .filter(|&v| {
                            apps_dim.is_some_and(|ad| {
                                self.rules.check(v, ad, Value::Set(1 << a)) != Status::Fail
                            })
                        })
                        .collect();
                    let binds = self.rules.binds_app(req, a);
                    for (d, value) in req.stated() {
                        if binds & (1 << d) != 0 {
                            failing_values(d, value, &serving, &mut want);
                        }
                    }
                    if serving.is_empty() {
                        if let Some(app) = matrix.apps.get(a) {
                            want(format!("apps={}", app.id));
                        }
                    }
                }
                // Group requirements no group meets, and the apps of those groups.
                for d in bits(out.unmet_all) {
                    let versions: Vec<usize> = out.groups.iter().map(|g| g.version).collect();
                    if let Some(value) = req.values.get(d).copied().flatten() {
                        failing_values(d, value, &versions, &mut want);
                    }
                    for g in out.groups.iter().filter(|g| g.unmet & (1 << d) != 0) {
                        for a in bits(g.apps).filter_map(|a| matrix.apps.get(a)) {
                            want(format!("apps={}", a.id));
                        }
                    }
                }
            }
        }
        wanted
            .iter()
            .flat_map(|key| matrix.routes.iter().filter(move |r| r.for_ == key.as_str()))
            .map(|r| RouteView {
                for_: r.for_.to_string(),
                text: r.text.to_string(),
                source: r.source.to_string(),
            })
            .collect()
    }

    pub(super) fn caveats(
        &self,
        req: &Requirements,
        out: &Outcome,
        evaluations: &[Evaluation],
    ) -> Vec<Caveat> {
        let matrix = self.matrix;
        let mut list: Vec<Caveat> = Vec::new();
        let stated = matrix.basis_stated();
        // `named`: the text (a check's reason) already names its basis.
        let mut push = |id: String,
                        kind: CaveatKind,
                        text: String,
                        source: &str,
                        basis: Basis,
                        named: bool| {
            let basis = stated.then_some(basis);
            let text = if named {
                text
            } else {
                text + &basis_suffix(basis, [source])
            };
            if !list.iter().any(|c| c.id == id || c.text == text) {
                list.push(Caveat {
                    id,
                    kind,
                    text,
                    basis,
                    source: source.to_string(),
                });
            }
        };
        // (version, apps narrowed to, dims to skip, dims that do not bind it)
        // for each part of the answer.
        let parts: Vec<(usize, Option<u64>, u64, u64)> = match out.kind {
            OutcomeKind::Single => out
                .fits
                .first()
                .map(|&r| (r, None, 0, 0))
                .into_iter()
                .collect(),
            _ => out
                .groups
                .iter()
                .map(|g| (g.version, Some(g.apps), g.unmet | g.exempt, g.exempt))
                .collect(),
        };
        let dims = matrix.dimensions.len();
        // The checked requirements, as the evaluations hold their checks.
        let checked = self.checked(req);
        for &(v, apps, skip, exempt) in &parts {
            let vid = self.version_id(v);
            // Unknown checks behind the answer.
            if let Some(e) = evaluations.iter().find(|e| e.version == vid) {
                for (c, &(d, _)) in e.checks.iter().zip(&checked) {
                    if skip & (1 << d) != 0 {
                        continue;
                    }
                    let status = match (Some(d) == self.rules.apps_dim(), apps) {
                        (true, Some(a)) => self.rules.check(v, d, Value::Set(a)),
                        _ => c.status,
                    };
                    if matches!(status, Status::Unknown | Status::Limited) {
                        let (reason, basis) = match (Some(d) == self.rules.apps_dim(), apps) {
                            (true, Some(a)) => {
                                let narrowed = self.check(v, d, Value::Set(a));
                                (narrowed.reason, narrowed.basis)
                            }
                            _ => (c.reason.clone(), c.basis),
                        };
                        push(
                            format!("{}:{}:{vid}", status.as_str(), c.requirement),
                            CaveatKind::Risk,
                            reason,
                            c.sources.first().map(String::as_str).unwrap_or(""),
                            basis.unwrap_or_default(),
                            true,
                        );
                    }
                }
                // Limits and unknowns of the combinations the requirements trigger.
                let combos = e.checks.iter().skip(checked.len());
                for c in combos.filter(|c| matches!(c.status, Status::Unknown | Status::Limited)) {
                    push(
                        format!("{}:{}:{vid}", c.status.as_str(), c.requirement),
                        CaveatKind::Risk,
                        c.reason.clone(),
                        c.sources.first().map(String::as_str).unwrap_or(""),
                        c.basis.unwrap_or_default(),
                        true,
                    );
                }
            }
            // Notes attached to the capabilities relied on.
            for &(d, value) in &checked {
                if skip & (1 << d) != 0 {
                    continue;
                }
                let value = match (Some(d) == self.rules.apps_dim(), apps) {
                    (true, Some(a)) => Value::Set(a),
                    _ => value,
                };
                if let Value::Count(n) = value {
                    // A count caveat is about going beyond one.
                    if n <= 1 {
                        continue;
                    }
                }
                let key = &matrix.dimensions[d].key;
                for (label, cap) in self.capabilities(v, d, value) {
                    if let Some(text) = &cap.caveat {
                        let id = match (label.is_empty(), value) {
                            (true, _) | (_, Value::Count(_)) => format!("{key}:{vid}"),
                            _ => format!("{key}:{}:{vid}", slug(&label)),
                        };
                        push(
                            id,
                            cap.caveat_kind.unwrap_or(CaveatKind::Setup),
                            text.to_string(),
                            cap.caveat_source.as_deref().unwrap_or(&cap.source),
                            cap.basis,
                            false,
                        );
                    }
                }
            }
            // What this group's version cannot meet, named for the group.
            let unmet = skip & !exempt;
            if let (Some(a), true, OutcomeKind::Plan) = (apps, unmet != 0, out.kind) {
                let checks: Vec<Check> = bits(unmet)
                    .filter_map(|d| match req.values.get(d) {
                        Some(value) => value.map(|value| self.check(v, d, value)),
                        None => (d >= dims).then(|| self.combo_check(v, d)),
                    })
                    .collect();
                push(
                    format!("unmet:{}", self.app_ids(a).join("+")),
                    CaveatKind::Risk,
                    reasons::unmet_caveat(
                        &self.app_names(a),
                        &matrix.versions[v].name,
                        &checks.iter().map(|c| c.reason.as_str()).collect::<Vec<_>>(),
                    ),
                    checks
                        .iter()
                        .find_map(|c| c.sources.first())
                        .map(String::as_str)
                        .unwrap_or(""),
                    // Each reason names its own basis already.
                    Basis::Documented,
                    true,
                );
            }
        }
        // Status notes of the chosen apps.
        if let Some(ad) = self.rules.apps_dim() {
            if let Some(Value::Set(mask)) = req.values[ad] {
                for app in bits(mask).filter_map(|i| matrix.apps.get(i)) {
                    for (j, n) in app.notes.iter().enumerate() {
                        push(
                            n.id.as_deref()
                                .map(String::from)
                                .unwrap_or_else(|| format!("{}:note{j}", app.id)),
                            n.kind,
                            reasons::note_caveat(&app.name, &n.text),
                            &n.source,
                            n.basis,
                            false,
                        );
                    }
                }
            }
        }
        if out.kind == OutcomeKind::Plan {
            if let Some(n) = &matrix.side_by_side {
                push(
                    n.id.as_deref().unwrap_or("side-by-side").to_string(),
                    n.kind,
                    n.text.to_string(),
                    &n.source,
                    n.basis,
                    false,
                );
            }
        }
        for &(v, _, _, _) in &parts {
            let version = &matrix.versions[v];
            for (j, n) in version.notes.iter().enumerate() {
                push(
                    n.id.as_deref()
                        .map(String::from)
                        .unwrap_or_else(|| format!("{}:note{j}", version.id)),
                    n.kind,
                    reasons::note_caveat(&version.name, &n.text),
                    &n.source,
                    n.basis,
                    false,
                );
            }
        }
        list.sort_by_key(|c| c.kind);
        list
    }
}

/// Adds the lifecycle's caveats (each replacing a static one with the
/// same id; blocking ones first) and routes to an answer's.
pub(super) fn merge_dated(
    caveats: &mut Vec<Caveat>,
    routes: &mut Vec<RouteView>,
    view: &dated::DatedView,
) {
    for c in &view.caveats {
        caveats.retain(|o| o.id != c.id);
        caveats.push(c.clone());
    }
    caveats.sort_by_key(|c| c.kind);
    for r in &view.routes {
        if !routes.iter().any(|o| o.for_ == r.for_) {
            routes.push(r.clone());
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
