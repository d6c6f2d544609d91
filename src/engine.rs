//! The rule engine: `Requirements` + matrix → `Decision`.
//!
//! It knows no version, app or channel by name: every check comes from the
//! matrix. A compact precomputed form (`Rules`: per version and dimension, the
//! masks of failing and unknown values) makes a check a few bit operations, so
//! batches and "what would change" re-evaluations are cheap.

use crate::matrix::{Basis, Capability, DimensionKind, Matrix, Support, VersionMap};
use crate::requirements::{bits, Lexicon, Requirements, RequirementsView, Value};
use serde::Serialize;

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }
}

fn status_of(support: Support) -> Status {
    match support {
        Support::Yes => Status::Pass,
        Support::No => Status::Fail,
        Support::Unconfirmed | Support::Conflicting => Status::Unknown,
    }
}

/// Per version and dimension: which stated values fail or are unknown.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    fail: u64,
    unknown: u64,
    /// For count dimensions: the largest supported number.
    max: Option<u32>,
}

/// The matrix compiled for fast checks.
#[derive(Debug, Clone)]
pub struct Rules {
    /// cells[version * dimensions + dimension], versions in matrix order.
    cells: Vec<Cell>,
    dimensions: usize,
    versions: usize,
    /// Version indices in preference order.
    order: Vec<usize>,
}

/// The fast result: which versions fit, and per version which dimensions fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Fitting version indices, in preference order.
    pub fits: Vec<usize>,
    /// failed[version] = bit mask of failing dimensions (matrix order of versions).
    pub failed: Vec<u64>,
}

impl Outcome {
    pub fn recommended(&self) -> Option<usize> {
        self.fits.first().copied()
    }
}

impl Rules {
    pub fn new(matrix: &Matrix) -> Rules {
        let cells = matrix
            .versions
            .iter()
            .flat_map(|v| {
                matrix
                    .dimensions
                    .iter()
                    .map(|d| {
                        let mut cell = Cell::default();
                        let caps: Vec<Option<&Capability>> = match d.kind {
                            DimensionKind::Apps => {
                                matrix.apps.iter().map(|a| a.support.get(&v.id)).collect()
                            }
                            DimensionKind::Choice | DimensionKind::Multi => {
                                d.values.iter().map(|c| c.support.get(&v.id)).collect()
                            }
                            DimensionKind::Flag | DimensionKind::Count => {
                                vec![d.support.get(&v.id)]
                            }
                        };
                        for (i, cap) in caps.into_iter().enumerate() {
                            // Validation guarantees every version is described;
                            // an undescribed one would count as unconfirmed.
                            let (status, max) = cap
                                .map(|c| (status_of(c.status), c.max))
                                .unwrap_or((Status::Unknown, None));
                            match status {
                                Status::Fail => cell.fail |= 1 << i,
                                Status::Unknown => cell.unknown |= 1 << i,
                                Status::Pass => {}
                            }
                            cell.max = max;
                        }
                        cell
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let order = matrix
            .preference
            .iter()
            .filter_map(|id| matrix.versions.iter().position(|v| &v.id == id))
            .collect();
        Rules {
            cells,
            dimensions: matrix.dimensions.len(),
            versions: matrix.versions.len(),
            order,
        }
    }

    fn cell(&self, version: usize, dim: usize) -> &Cell {
        &self.cells[version * self.dimensions + dim]
    }

    /// Versions in preference order.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The status of one stated requirement for one version.
    pub fn check(&self, version: usize, dim: usize, value: Value) -> Status {
        let cell = self.cell(version, dim);
        let mask = match value {
            Value::Set(mask) => mask,
            Value::Count(n) => {
                if cell.max.is_some_and(|m| n > m) {
                    return Status::Fail;
                }
                1
            }
        };
        if mask & cell.fail != 0 {
            Status::Fail
        } else if mask & cell.unknown != 0 {
            Status::Unknown
        } else {
            Status::Pass
        }
    }

    /// Which versions fit (fast path: no text).
    pub fn outcome(&self, req: &Requirements) -> Outcome {
        let mut failed = vec![0u64; self.versions];
        self.outcome_into(req, &mut failed);
        let fits = self
            .order
            .iter()
            .copied()
            .filter(|&v| failed[v] == 0)
            .collect();
        Outcome { fits, failed }
    }

    /// Fills `failed[version]` with the mask of failing dimensions.
    pub fn outcome_into(&self, req: &Requirements, failed: &mut [u64]) {
        failed.fill(0);
        for (dim, value) in req.stated() {
            for (v, slot) in failed.iter_mut().enumerate().take(self.versions) {
                if self.check(v, dim, value) == Status::Fail {
                    *slot |= 1 << dim;
                }
            }
        }
    }

    /// Could some value of an unstated dimension rule this version out?
    fn can_fail(&self, version: usize, dim: usize) -> bool {
        let cell = self.cell(version, dim);
        cell.fail != 0 || cell.max.is_some()
    }
}

/// One check: a stated requirement against one version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The requirement key (dimension), e.g. "apps".
    pub requirement: String,
    pub status: Status,
    /// A sentence naming the version, the requirement and the fact.
    pub reason: String,
    /// How the deciding facts are known: `inferred` when any of them is,
    /// null when the matrix (schema version 1) does not say.
    pub basis: Option<Basis>,
    /// The fact's source link(s).
    pub sources: Vec<String>,
}

/// All checks of one version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub version: String,
    pub name: String,
    pub fits: bool,
    pub checks: Vec<Check>,
}

/// A sourced caveat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caveat {
    pub text: String,
    /// How the caveat is known (null: the matrix does not say).
    pub basis: Option<Basis>,
    pub source: String,
}

/// A short name for a source link, for "inferred from ..." (the last part of
/// its path, or the last two when that is a number, as in `issues/1711`).
pub fn source_label(link: &str) -> &str {
    let path = link.split(['#', '?']).next().unwrap_or(link);
    let path = path.trim_end_matches('/');
    let Some(cut) = path.rfind('/') else {
        return path;
    };
    let last = &path[cut + 1..];
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(prev) = path[..cut].rfind('/') {
            return &path[prev + 1..];
        }
    }
    last
}

/// The words added to a reason or caveat for its basis: nothing for a
/// documented fact, "(inferred from ...)" for an inferred one, "(basis not
/// stated)" for a fact of a schema-1 matrix.
pub fn basis_suffix<'s>(
    basis: Option<Basis>,
    sources: impl IntoIterator<Item = &'s str>,
) -> String {
    match basis {
        Some(Basis::Documented) => String::new(),
        Some(Basis::Inferred) => {
            let labels: Vec<&str> = sources.into_iter().map(source_label).collect();
            if labels.is_empty() {
                " (inferred)".to_string()
            } else {
                format!(" (inferred from {})", labels.join(", "))
            }
        }
        None => " (basis not stated)".to_string(),
    }
}

/// A single change to the stated requirements that changes the recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The requirement key changed.
    pub requirement: String,
    /// What changes, in words (e.g. "providers: 1 instead of 2").
    pub change: String,
    /// The changed requirements, normalised.
    pub requirements: serde_json::Value,
    pub recommended: Option<String>,
    pub fits: Vec<String>,
    #[serde(skip)]
    pub changed: Requirements,
}

/// For a version that does not fit: the stated requirements to drop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relaxation {
    pub version: String,
    pub drop: Vec<String>,
}

/// When the stated apps need different versions: which versions serve each app.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppSplit {
    pub app: String,
    pub name: String,
    pub versions: Vec<String>,
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub recommended: Option<String>,
    pub alternative: Option<String>,
    pub fits: Vec<String>,
    pub requirements: serde_json::Value,
    /// One per version, in preference order.
    pub evaluations: Vec<Evaluation>,
    /// For each version that does not fit, its failed checks.
    pub why_not: VersionMap<'static, Vec<Check>>,
    pub caveats: Vec<String>,
    pub caveat_details: Vec<Caveat>,
    pub unanswered: Vec<String>,
    /// Dimensions left open on purpose (not listed in `unanswered`).
    pub skipped: Vec<String>,
    pub would_change: Vec<Change>,
    pub relaxations: Vec<Relaxation>,
    pub split: Vec<AppSplit>,
    /// The recommended version's documentation (the next step).
    pub docs: Option<String>,
    /// The matrix's review date.
    pub matrix_reviewed: String,
    #[serde(skip)]
    pub outcome: Outcome,
}

/// The engine: the matrix, its spellings and its compiled rules.
pub struct Engine<'m> {
    pub matrix: &'m Matrix<'m>,
    pub lexicon: Lexicon<'m>,
    pub rules: Rules,
}

impl<'m> Engine<'m> {
    pub fn new(matrix: &'m Matrix<'m>) -> Self {
        Engine {
            matrix,
            lexicon: Lexicon::new(matrix),
            rules: Rules::new(matrix),
        }
    }

    pub fn version_id(&self, v: usize) -> &'m str {
        &self.matrix.versions[v].id
    }

    fn ids(&self, versions: &[usize]) -> Vec<String> {
        versions
            .iter()
            .map(|&v| self.version_id(v).to_string())
            .collect()
    }

    /// Normalised requirements as JSON (canonical ids, matrix order).
    pub fn requirements_json(&self, req: &Requirements) -> serde_json::Value {
        serde_json::to_value(RequirementsView {
            requirements: req,
            lexicon: &self.lexicon,
        })
        .unwrap_or(serde_json::Value::Null)
    }

    /// Capabilities behind a stated value for one version: (value label, capability).
    fn capabilities(
        &self,
        version: usize,
        dim: usize,
        value: Value,
    ) -> Vec<(String, &'m Capability<'m>)> {
        let matrix = self.matrix;
        let d = &matrix.dimensions[dim];
        let vid = &matrix.versions[version].id;
        match (d.kind, value) {
            (DimensionKind::Apps, Value::Set(mask)) => bits(mask)
                .filter_map(|i| matrix.apps.get(i))
                .filter_map(|a| a.support.get(vid).map(|c| (a.name.to_string(), c)))
                .collect(),
            (DimensionKind::Choice | DimensionKind::Multi, Value::Set(mask)) => bits(mask)
                .filter_map(|i| d.values.get(i))
                .filter_map(|c| c.support.get(vid).map(|cap| (c.name.to_string(), cap)))
                .collect(),
            (DimensionKind::Count, Value::Count(n)) => d
                .support
                .get(vid)
                .map(|c| vec![(n.to_string(), c)])
                .unwrap_or_default(),
            (_, _) => d
                .support
                .get(vid)
                .map(|c| vec![(String::new(), c)])
                .unwrap_or_default(),
        }
    }

    /// The full check of one requirement for one version, with its reason.
    pub fn check(&self, version: usize, dim: usize, value: Value) -> Check {
        let status = self.rules.check(version, dim, value);
        let d = &self.matrix.dimensions[dim];
        let vname = &self.matrix.versions[version].name;
        let caps = self.capabilities(version, dim, value);
        // Name the values that decide the status.
        let deciding: Vec<&(String, &Capability)> = caps
            .iter()
            .filter(|(_, c)| match (status, d.kind) {
                (_, DimensionKind::Count) => true,
                (Status::Pass, _) => true,
                (s, _) => status_of(c.status) == s,
            })
            .collect();
        let labels: Vec<&str> = deciding
            .iter()
            .map(|(l, _)| l.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        let mut facts: Vec<&str> = Vec::new();
        let mut sources: Vec<String> = Vec::new();
        for (_, c) in &deciding {
            if !facts.contains(&c.fact.as_ref()) {
                facts.push(c.fact.as_ref());
            }
            for s in std::iter::once(&c.source).chain(&c.see_also) {
                if !sources.iter().any(|x| x == s) {
                    sources.push(s.to_string());
                }
            }
        }
        let verb = match status {
            Status::Pass => "meets",
            Status::Fail => "does not meet",
            Status::Unknown => "may not meet",
        };
        let qualifier = if status == Status::Unknown {
            let conflicting = deciding
                .iter()
                .any(|(_, c)| c.status == Support::Conflicting);
            if conflicting {
                " (the sources conflict)"
            } else {
                " (unconfirmed)"
            }
        } else {
            ""
        };
        let requirement = if labels.is_empty() {
            d.name.to_string()
        } else {
            format!("{} = {}", d.name, labels.join(", "))
        };
        let basis = if !self.matrix.basis_stated() {
            None
        } else if deciding.iter().any(|(_, c)| c.basis == Basis::Inferred) {
            Some(Basis::Inferred)
        } else {
            Some(Basis::Documented)
        };
        let reason = format!(
            "{vname} {verb} '{requirement}'{qualifier}: {}{}",
            facts
                .iter()
                .map(|f| f.trim_end_matches('.'))
                .collect::<Vec<_>>()
                .join("; ")
                + ".",
            basis_suffix(basis, sources.iter().map(String::as_str))
        );
        Check {
            requirement: d.key.to_string(),
            status,
            reason,
            basis,
            sources,
        }
    }

    /// The fast answer only: which versions fit.
    pub fn outcome(&self, req: &Requirements) -> Outcome {
        self.rules.outcome(req)
    }

    /// The full decision for the stated requirements.
    pub fn evaluate(&self, req: &Requirements) -> Decision {
        let matrix = self.matrix;
        let outcome = self.rules.outcome(req);
        let recommended = outcome.recommended();
        let alternative = outcome.fits.get(1).copied();

        let evaluations: Vec<Evaluation> = self
            .rules
            .order()
            .iter()
            .map(|&v| Evaluation {
                version: self.version_id(v).to_string(),
                name: matrix.versions[v].name.to_string(),
                fits: outcome.failed[v] == 0,
                checks: req
                    .stated()
                    .map(|(d, value)| self.check(v, d, value))
                    .collect(),
            })
            .collect();

        let mut why_not = VersionMap::default();
        for e in evaluations.iter().filter(|e| !e.fits) {
            let failed: Vec<Check> = e
                .checks
                .iter()
                .filter(|c| c.status == Status::Fail)
                .cloned()
                .collect();
            why_not.insert(e.version.clone(), failed);
        }

        let caveat_details = self.caveats(req, recommended, &evaluations);
        // A dimension implied by the chosen apps (session mode) is answered by them.
        let apps_stated = req
            .stated()
            .any(|(d, _)| matrix.dimensions[d].kind == DimensionKind::Apps);
        let unanswered = match recommended {
            Some(r) => req
                .values
                .iter()
                .enumerate()
                .filter(|(d, v)| {
                    v.is_none()
                        && !req.is_skipped(*d)
                        && self.rules.can_fail(r, *d)
                        && !(apps_stated && matrix.dimensions[*d].implied_by_apps)
                })
                .map(|(d, _)| matrix.dimensions[d].key.to_string())
                .collect(),
            None => Vec::new(),
        };
        let relaxations = if recommended.is_none() {
            self.rules
                .order()
                .iter()
                .map(|&v| Relaxation {
                    version: self.version_id(v).to_string(),
                    drop: bits(outcome.failed[v])
                        .map(|d| matrix.dimensions[d].key.to_string())
                        .collect(),
                })
                .collect()
        } else {
            Vec::new()
        };

        Decision {
            recommended: recommended.map(|v| self.version_id(v).to_string()),
            alternative: alternative.map(|v| self.version_id(v).to_string()),
            fits: self.ids(&outcome.fits),
            requirements: self.requirements_json(req),
            evaluations,
            why_not,
            caveats: caveat_details.iter().map(|c| c.text.to_string()).collect(),
            caveat_details,
            unanswered,
            skipped: req
                .skipped_dims()
                .map(|d| matrix.dimensions[d].key.to_string())
                .collect(),
            would_change: self.would_change(req, &outcome),
            relaxations,
            split: self.split(req),
            docs: recommended.map(|v| matrix.versions[v].docs.to_string()),
            matrix_reviewed: matrix.reviewed.to_string(),
            outcome,
        }
    }

    fn caveats(
        &self,
        req: &Requirements,
        recommended: Option<usize>,
        evaluations: &[Evaluation],
    ) -> Vec<Caveat> {
        let matrix = self.matrix;
        let mut out: Vec<Caveat> = Vec::new();
        let stated = matrix.basis_stated();
        // `named`: the text (a check's reason) already names its basis.
        let mut push = |text: String, source: &str, basis: Basis, named: bool| {
            let basis = stated.then_some(basis);
            let text = if named {
                text
            } else {
                text + &basis_suffix(basis, [source])
            };
            if !out.iter().any(|c| c.text == text) {
                out.push(Caveat {
                    text,
                    basis,
                    source: source.to_string(),
                });
            }
        };
        if let Some(r) = recommended {
            let rid = self.version_id(r);
            // Unknown checks of the recommended version.
            if let Some(e) = evaluations.iter().find(|e| e.version == rid) {
                for c in e.checks.iter().filter(|c| c.status == Status::Unknown) {
                    push(
                        c.reason.clone(),
                        c.sources.first().map(String::as_str).unwrap_or(""),
                        c.basis.unwrap_or_default(),
                        true,
                    );
                }
            }
            // Notes attached to the capabilities relied on.
            for (d, value) in req.stated() {
                let relied = match value {
                    // A count caveat is about going beyond one.
                    Value::Count(n) => n > 1,
                    Value::Set(_) => true,
                };
                if !relied {
                    continue;
                }
                for (_, cap) in self.capabilities(r, d, value) {
                    if let Some(text) = &cap.caveat {
                        push(text.to_string(), &cap.source, cap.basis, false);
                    }
                }
            }
        }
        // Status notes of the chosen apps.
        for (d, value) in req.stated() {
            if let (DimensionKind::Apps, Value::Set(mask)) = (matrix.dimensions[d].kind, value) {
                for app in bits(mask).filter_map(|i| matrix.apps.get(i)) {
                    for n in &app.notes {
                        push(
                            format!("{}: {}", app.name, n.text),
                            &n.source,
                            n.basis,
                            false,
                        );
                    }
                }
            }
        }
        if let Some(r) = recommended {
            for n in &matrix.versions[r].notes {
                push(
                    format!("{}: {}", matrix.versions[r].name, n.text),
                    &n.source,
                    n.basis,
                    false,
                );
            }
        }
        out
    }

    /// When several apps are stated and no version serves them all.
    fn split(&self, req: &Requirements) -> Vec<AppSplit> {
        let matrix = self.matrix;
        for (d, value) in req.stated() {
            let (DimensionKind::Apps, Value::Set(mask)) = (matrix.dimensions[d].kind, value) else {
                continue;
            };
            if mask.count_ones() < 2 {
                continue;
            }
            let serves_all = self
                .rules
                .order()
                .iter()
                .any(|&v| self.rules.check(v, d, value) != Status::Fail);
            if serves_all {
                continue;
            }
            return bits(mask)
                .filter_map(|i| matrix.apps.get(i).map(|a| (i, a)))
                .map(|(i, app)| AppSplit {
                    app: app.id.to_string(),
                    name: app.name.to_string(),
                    versions: self
                        .rules
                        .order()
                        .iter()
                        .filter(|&&v| self.rules.check(v, d, Value::Set(1 << i)) != Status::Fail)
                        .map(|&v| self.version_id(v).to_string())
                        .collect(),
                })
                .collect();
        }
        Vec::new()
    }

    /// Every single change to the stated requirements, as (key, words, changed).
    pub fn single_changes(&self, req: &Requirements) -> Vec<(usize, String, Requirements)> {
        let matrix = self.matrix;
        let mut out = Vec::new();
        for (d, value) in req.stated() {
            let dim = &matrix.dimensions[d];
            let key = &dim.key;
            let ids = self.lexicon.value_ids(d);
            let with = |v: Option<Value>| {
                let mut changed = req.clone();
                changed.values[d] = v;
                changed
            };
            match (dim.kind, value) {
                (DimensionKind::Flag, _) => {
                    out.push((d, format!("{key}: not needed"), with(None)));
                }
                (DimensionKind::Count, Value::Count(n)) => {
                    let mut candidates = vec![1u32];
                    for v in 0..matrix.versions.len() {
                        if let Some(m) = self.rules.cell(v, d).max {
                            candidates.push(m);
                            candidates.push(m.saturating_add(1));
                        }
                    }
                    candidates.sort_unstable();
                    candidates.dedup();
                    for c in candidates.into_iter().filter(|&c| c != n && c >= 1) {
                        out.push((
                            d,
                            format!("{key}: {c} instead of {n}"),
                            with(Some(Value::Count(c))),
                        ));
                    }
                    out.push((d, format!("{key}: no requirement"), with(None)));
                }
                (DimensionKind::Choice, Value::Set(mask)) => {
                    let current = ids
                        .get(mask.trailing_zeros() as usize)
                        .map(String::as_str)
                        .unwrap_or("");
                    for (i, id) in ids.iter().enumerate() {
                        if mask & (1 << i) == 0 {
                            out.push((
                                d,
                                format!("{key}: {id} instead of {current}"),
                                with(Some(Value::Set(1 << i))),
                            ));
                        }
                    }
                    out.push((d, format!("{key}: no requirement"), with(None)));
                }
                (_, Value::Set(mask)) => {
                    for (i, id) in ids.iter().enumerate() {
                        if mask & (1 << i) == 0 {
                            out.push((
                                d,
                                format!("{key}: add {id}"),
                                with(Some(Value::Set(mask | 1 << i))),
                            ));
                        } else if mask.count_ones() > 1 {
                            out.push((
                                d,
                                format!("{key}: without {id}"),
                                with(Some(Value::Set(mask & !(1 << i)))),
                            ));
                        }
                    }
                    out.push((d, format!("{key}: no requirement"), with(None)));
                }
                (_, Value::Count(_)) => {}
            }
        }
        out
    }

    fn would_change(&self, req: &Requirements, outcome: &Outcome) -> Vec<Change> {
        let current = outcome.recommended();
        self.single_changes(req)
            .into_iter()
            .filter_map(|(d, change, changed)| {
                let new = self.rules.outcome(&changed);
                (new.recommended() != current).then(|| Change {
                    requirement: self.matrix.dimensions[d].key.to_string(),
                    change,
                    requirements: self.requirements_json(&changed),
                    recommended: new.recommended().map(|v| self.version_id(v).to_string()),
                    fits: self.ids(&new.fits),
                    changed,
                })
            })
            .collect()
    }
}
