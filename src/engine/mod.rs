//! The rule engine: `Requirements` + matrix → `Decision`.
//!
//! It knows no version, app or channel by name: every check comes from the
//! matrix. A compact precomputed form (`Rules`: per version and dimension, the
//! masks of failing and unknown values) makes a check a few bit operations, so
//! batches and "what would change" re-evaluations are cheap.

use crate::matrix::{
    AppState, Basis, Capability, CaveatKind, DimensionKind, Matrix, Scope, Support, VersionMap,
};
use crate::requirements::{bits, Lexicon, Requirements, Value};
use serde::Serialize;

pub mod combine;
pub mod dated;
pub mod reasons;
mod scope;
pub mod teams;

use reasons::ChangeWords;
pub use reasons::{basis_suffix, source_label};

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Unknown,
    /// Supported with a documented limit that the stated requirements reach.
    Limited,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::Limited => "limited",
        }
    }
}

fn status_of(support: Support) -> Status {
    match support {
        Support::Yes => Status::Pass,
        Support::No => Status::Fail,
        Support::Unconfirmed | Support::Conflicting => Status::Unknown,
        Support::Limited => Status::Limited,
    }
}

/// "Unified Service Desk" → "unified-service-desk" (for caveat ids).
fn slug(label: &str) -> String {
    label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Per version and dimension: which stated values fail or are unknown.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    fail: u64,
    unknown: u64,
    limited: u64,
    /// For count dimensions: the largest supported number.
    max: Option<u32>,
}

/// What kind of answer: one version, a plan of versions per group of apps, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    Single,
    Plan,
    None,
}

impl OutcomeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Single => "single",
            OutcomeKind::Plan => "plan",
            OutcomeKind::None => "none",
        }
    }
}

/// How sure an answer is (SPEC 4.1): weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A deciding dimension is unstated and stating it could change the outcome.
    Open,
    /// Some check is unknown (unconfirmed or conflicting facts).
    Conditional,
    Confirmed,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Open => "open",
            Confidence::Conditional => "conditional",
            Confidence::Confirmed => "confirmed",
        }
    }
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
    /// The dimension of kind `apps`, if any.
    apps_dim: Option<usize>,
    /// Dimensions of scope `org` (every group must meet them).
    org: u64,
    /// Dimensions marked `decides`.
    decides: u64,
    /// Dimensions implied by the apps' session mode.
    implied: u64,
    /// Per app: the index of its session mode among an implied dimension's values.
    app_mode: Vec<Option<u8>>,
    /// Apps a change may suggest (active ones).
    suggestable: u64,
    /// Per dimension: how many values it has (1 for a flag, 0 for a count).
    widths: Vec<u8>,
    /// The combinations; combination `i` is bit `dimensions + i` of the masks.
    combos: Vec<combine::ComboRule>,
    /// applies[dimension][value]: the apps (mask) a value exists in; 0: every app.
    applies: Vec<Vec<u64>>,
    /// Dimensions with a value that exists only in some apps.
    app_bound_dims: u64,
}

/// One group of a plan: the apps one version serves.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Group {
    pub version: usize,
    /// Apps (bit mask) in this group.
    pub apps: u64,
    /// Stated group-scope dimensions this group's version cannot meet.
    pub unmet: u64,
    /// Dimensions with an unknown check for this group.
    pub unknown: u64,
    /// Stated dimensions that do not bind this group (values that exist only
    /// in apps it does not hold).
    pub exempt: u64,
}

/// The fast result: which versions fit, the plan, and per version which dimensions fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub kind: OutcomeKind,
    /// Fitting version indices (every stated requirement met), in preference order.
    pub fits: Vec<usize>,
    /// failed[version] = bit mask of failing dimensions (matrix order of versions).
    pub failed: Vec<u64>,
    /// unknown[version] = bit mask of dimensions with an unknown check.
    pub unknown: Vec<u64>,
    /// The stated dimensions.
    pub stated: u64,
    /// The groups of apps with their version (a plan; also the served parts of `none`).
    pub groups: Vec<Group>,
    /// Apps (mask) that no version serves under the org-wide requirements.
    pub no_version: u64,
    /// Group-scope dimensions that no group meets.
    pub unmet_all: u64,
    /// The stated session mode contradicts a stated app's own.
    pub contradictory: bool,
    /// Null for `none`.
    pub confidence: Option<Confidence>,
    /// Dimensions with unknown checks behind the answer.
    pub conditional_on: u64,
    /// Deciding dimensions whose statement could change the answer.
    pub open_on: u64,
    /// For `open` on apps: the apps (mask) with which the answer stays.
    pub open_keeps: u64,
}

impl Default for Outcome {
    fn default() -> Self {
        Outcome {
            kind: OutcomeKind::None,
            fits: Vec::new(),
            failed: Vec::new(),
            unknown: Vec::new(),
            stated: 0,
            groups: Vec::new(),
            no_version: 0,
            unmet_all: 0,
            contradictory: false,
            confidence: None,
            conditional_on: 0,
            open_on: 0,
            open_keeps: 0,
        }
    }
}

impl Outcome {
    /// The recommended version of a `single` answer.
    pub fn recommended(&self) -> Option<usize> {
        match self.kind {
            OutcomeKind::Single => self.fits.first().copied(),
            _ => None,
        }
    }

    /// What "the answer" is, for comparing two outcomes: the kind, the
    /// recommended version, and the versions of a plan.
    /// (An app that joins a group of the same version changes nothing.)
    pub fn result(&self) -> (OutcomeKind, Option<usize>, Vec<usize>) {
        (self.kind, self.recommended(), self.plan_versions())
    }

    /// The versions of a plan, in preference order (empty unless a plan).
    pub fn plan_versions(&self) -> Vec<usize> {
        match self.kind {
            OutcomeKind::Plan => self.groups.iter().map(|g| g.version).collect(),
            _ => Vec::new(),
        }
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
                                Status::Limited => cell.limited |= 1 << i,
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
        let mask_of = |f: &dyn Fn(&crate::matrix::Dimension) -> bool| {
            matrix
                .dimensions
                .iter()
                .enumerate()
                .filter(|(_, d)| f(d))
                .fold(0u64, |m, (i, _)| m | 1 << i)
        };
        let implied_dim = matrix.dimensions.iter().find(|d| d.implied_by_apps);
        Rules {
            cells,
            dimensions: matrix.dimensions.len(),
            versions: matrix.versions.len(),
            order,
            apps_dim: matrix
                .dimensions
                .iter()
                .position(|d| d.kind == DimensionKind::Apps),
            org: mask_of(&|d| d.scope != Scope::Group && d.kind != DimensionKind::Apps),
            decides: mask_of(&|d| d.decides),
            implied: mask_of(&|d| d.implied_by_apps),
            app_mode: matrix
                .apps
                .iter()
                .map(|a| {
                    implied_dim.and_then(|d| {
                        d.values
                            .iter()
                            .position(|v| v.id == a.session.as_str())
                            .map(|i| i as u8)
                    })
                })
                .collect(),
            suggestable: matrix
                .apps
                .iter()
                .enumerate()
                .filter(|(_, a)| a.state == AppState::Active)
                .fold(0u64, |m, (i, _)| m | 1 << i),
            widths: matrix
                .dimensions
                .iter()
                .map(|d| match d.kind {
                    DimensionKind::Apps => matrix.apps.len() as u8,
                    DimensionKind::Choice | DimensionKind::Multi => d.values.len() as u8,
                    DimensionKind::Flag => 1,
                    DimensionKind::Count => 0,
                })
                .collect(),
            combos: combine::compile_combos(matrix),
            app_bound_dims: matrix
                .dimensions
                .iter()
                .enumerate()
                .filter(|(_, d)| d.values.iter().any(|v| !v.applies_to.is_empty()))
                .fold(0u64, |m, (i, _)| m | 1 << i),
            applies: matrix
                .dimensions
                .iter()
                .map(|d| {
                    d.values
                        .iter()
                        .map(|v| {
                            v.applies_to.iter().fold(0u64, |m, id| {
                                m | matrix
                                    .apps
                                    .iter()
                                    .position(|a| a.id == *id)
                                    .map_or(0, |i| 1 << i)
                            })
                        })
                        .collect()
                })
                .collect(),
        }
    }

    fn cell(&self, version: usize, dim: usize) -> &Cell {
        &self.cells[version * self.dimensions + dim]
    }

    /// Versions in preference order.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The apps dimension, if the matrix has one.
    pub fn apps_dim(&self) -> Option<usize> {
        self.apps_dim
    }

    /// Whether dimension `dim` has scope `org`.
    pub fn is_org(&self, dim: usize) -> bool {
        self.org & (1 << dim) != 0
    }

    /// Apps that a change may suggest (active ones), as a mask.
    pub fn suggestable(&self) -> u64 {
        self.suggestable
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
        } else if mask & cell.limited != 0 {
            Status::Limited
        } else {
            Status::Pass
        }
    }

    /// The whole answer, with its confidence (fast path: no text).
    pub fn outcome(&self, req: &Requirements) -> Outcome {
        let mut out = Outcome::default();
        self.outcome_in(req, &mut out);
        out
    }

    /// `outcome` into reused storage.
    pub fn outcome_in(&self, req: &Requirements, out: &mut Outcome) {
        self.core_into(req, out);
        self.assess(req, out);
    }

    /// Whether the stated session mode contradicts a stated app's own.
    fn contradictory(&self, req: &Requirements) -> bool {
        let Some(Some(Value::Set(apps))) = self.apps_dim.map(|d| req.values[d]) else {
            return false;
        };
        req.stated().any(|(d, value)| {
            let Value::Set(mode) = value else {
                return false;
            };
            self.implied & (1 << d) != 0
                && bits(apps).any(|a| {
                    self.app_mode
                        .get(a)
                        .copied()
                        .flatten()
                        .is_some_and(|m| mode & (1 << m) == 0)
                })
        })
    }

    /// The answer without its confidence: single, plan or none.
    pub fn core(&self, req: &Requirements) -> Outcome {
        let mut out = Outcome::default();
        self.core_into(req, &mut out);
        out
    }

    /// `core` into reused storage (a batch allocates once).
    pub fn core_into(&self, req: &Requirements, out: &mut Outcome) {
        out.failed.clear();
        out.failed.resize(self.versions, 0);
        out.unknown.clear();
        out.unknown.resize(self.versions, 0);
        let mut stated = 0u64;
        for (dim, value) in req.stated() {
            stated |= 1 << dim;
            for v in 0..self.versions {
                match self.check(v, dim, value) {
                    Status::Fail => out.failed[v] |= 1 << dim,
                    // A limit makes the answer conditional, as an unknown does.
                    Status::Unknown | Status::Limited => out.unknown[v] |= 1 << dim,
                    Status::Pass => {}
                }
            }
        }
        // A value that exists only in apps none of which is stated binds nothing.
        let idle = self.idle(req);
        if idle != 0 {
            stated &= !idle;
            for v in 0..self.versions {
                out.failed[v] &= !idle;
                out.unknown[v] &= !idle;
            }
        }
        let combos = self.triggered(req);
        for bit in bits(combos) {
            stated |= 1 << bit;
            for v in 0..self.versions {
                match self.combo_status(v, bit) {
                    Status::Fail => out.failed[v] |= 1 << bit,
                    Status::Unknown | Status::Limited => out.unknown[v] |= 1 << bit,
                    Status::Pass => {}
                }
            }
        }
        out.stated = stated;
        out.fits.clear();
        let failed = &out.failed;
        out.fits
            .extend(self.order.iter().copied().filter(|&v| failed[v] == 0));
        let contradictory = stated & self.implied != 0 && self.contradictory(req);
        out.kind = OutcomeKind::None;
        out.groups.clear();
        out.no_version = 0;
        out.unmet_all = 0;
        out.contradictory = contradictory;
        out.confidence = None;
        out.conditional_on = 0;
        out.open_on = 0;
        out.open_keeps = 0;
        if !out.fits.is_empty() && !contradictory {
            out.kind = OutcomeKind::Single;
            return;
        }
        let Some(ad) = self.apps_dim else {
            return;
        };
        let Some(Value::Set(apps)) = req.values[ad] else {
            return;
        };
        // Each app joins the first version, in preference order, that serves
        // it under the org-wide requirements and those bound to it.
        let bound = self.app_bound(req);
        for a in bits(apps) {
            let own = self.org | self.binding(&bound, a);
            let chosen = self
                .order
                .iter()
                .copied()
                .find(|&v| out.failed[v] & own == 0 && self.cell(v, ad).fail & (1 << a) == 0);
            match chosen {
                Some(v) => match out.groups.iter_mut().find(|g| g.version == v) {
                    Some(g) => g.apps |= 1 << a,
                    None => out.groups.push(Group {
                        version: v,
                        apps: 1 << a,
                        unmet: 0,
                        unknown: 0,
                        exempt: 0,
                    }),
                },
                None => out.no_version |= 1 << a,
            }
        }
        out.groups
            .sort_by_key(|g| self.order.iter().position(|&v| v == g.version));
        // Group requirements bind the groups whose version can meet them.
        // (Only the apps differ per group, so the whole-set failures say it.)
        let bound_dims = bound.iter().fold(0u64, |m, (d, _)| m | 1 << d);
        let stated_group = stated & !self.org & !(1 << ad) & !bound_dims;
        let mut met = 0u64;
        for g in &mut out.groups {
            g.exempt = bound
                .iter()
                .filter(|(_, m)| m & g.apps == 0)
                .fold(0u64, |m, (d, _)| m | 1 << d);
            let failed = out.failed[g.version] & stated_group;
            g.unmet = failed;
            met |= stated_group & !failed;
        }
        out.unmet_all = stated_group & !met;
        out.kind = if out.no_version != 0 || out.unmet_all != 0 || contradictory {
            OutcomeKind::None
        } else {
            OutcomeKind::Plan
        };
    }

    /// Unknown checks (dimension mask) of version `v`, with the apps narrowed to `apps`.
    fn unknown_mask(
        &self,
        req: &Requirements,
        out: &Outcome,
        v: usize,
        apps: Option<u64>,
        skip: u64,
    ) -> u64 {
        let mut mask = out.unknown[v] & !skip;
        if let (Some(ad), Some(a)) = (self.apps_dim, apps) {
            mask &= !(1 << ad);
            if req.values[ad].is_some()
                && skip & (1 << ad) == 0
                && matches!(
                    self.check(v, ad, Value::Set(a)),
                    Status::Unknown | Status::Limited
                )
            {
                mask |= 1 << ad;
            }
        }
        mask
    }

    /// Sets the confidence: open, else conditional, else confirmed (SPEC 4.1).
    fn assess(&self, req: &Requirements, out: &mut Outcome) {
        for i in 0..out.groups.len() {
            let g = &out.groups[i];
            let unknown = self.unknown_mask(req, out, g.version, Some(g.apps), g.unmet | g.exempt);
            out.groups[i].unknown = unknown;
        }
        match out.kind {
            OutcomeKind::None => return,
            OutcomeKind::Single => {
                if let Some(&r) = out.fits.first() {
                    out.conditional_on = out.unknown[r];
                }
            }
            OutcomeKind::Plan => {
                out.conditional_on = out.groups.iter().fold(0, |m, g| m | g.unknown);
            }
        }
        // Open: a deciding dimension left unstated whose statement could change the answer.
        let apps_stated = self.apps_dim.is_some_and(|d| req.values[d].is_some());
        let open = self.decides & !out.stated & !if apps_stated { self.implied } else { 0 };
        let base = (open != 0).then(|| out.result());
        for d in bits(open) {
            let mut changes = false;
            let mut keeps = 0u64;
            let mut with = req.clone();
            let mut scratch = Outcome::default();
            for candidate in self.candidates(req, d) {
                with.values[d] = Some(candidate);
                if self.contradictory(&with) {
                    continue;
                }
                self.core_into(&with, &mut scratch);
                if Some(scratch.result()) == base {
                    if let Value::Set(m) = candidate {
                        keeps |= m;
                    }
                } else {
                    changes = true;
                }
            }
            if changes {
                out.open_on |= 1 << d;
                if Some(d) == self.apps_dim {
                    out.open_keeps = keeps;
                }
            }
        }
        let unmet = out.kind == OutcomeKind::Plan && out.groups.iter().any(|g| g.unmet != 0);
        out.confidence = Some(if out.open_on != 0 {
            Confidence::Open
        } else if out.conditional_on != 0 || unmet {
            Confidence::Conditional
        } else {
            Confidence::Confirmed
        });
    }

    /// The single values a deciding dimension could be stated with.
    fn candidates(&self, _req: &Requirements, d: usize) -> Vec<Value> {
        if Some(d) == self.apps_dim {
            return bits(self.suggestable).map(|a| Value::Set(1 << a)).collect();
        }
        match self.widths[d] {
            0 => Vec::new(),
            n => (0..n).map(|i| Value::Set(1 << i)).collect(),
        }
    }

    /// Dimensions implied by the apps' session mode.
    pub fn implied_mask(&self) -> u64 {
        self.implied
    }

    /// Could some value of an unstated dimension rule this version out?
    pub fn can_fail(&self, version: usize, dim: usize) -> bool {
        let cell = self.cell(version, dim);
        cell.fail != 0 || cell.max.is_some()
    }

    /// The confidence of one plan group.
    pub fn group_confidence(&self, out: &Outcome, g: &Group) -> Option<Confidence> {
        out.confidence?;
        Some(if out.open_on != 0 {
            Confidence::Open
        } else if g.unknown != 0 || g.unmet != 0 {
            Confidence::Conditional
        } else {
            Confidence::Confirmed
        })
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
    pub id: String,
    pub kind: CaveatKind,
    pub text: String,
    /// How the caveat is known (null: the matrix does not say).
    pub basis: Option<Basis>,
    pub source: String,
}

/// A single change to the stated requirements that changes the recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The requirement key changed.
    pub requirement: String,
    /// What changes, in words (e.g. "providers: 1 instead of 2").
    pub change: String,
    /// The changed requirements, normalised.
    pub requirements: StatedRequirements,
    #[serde(skip)]
    pub changed: Requirements,
}

/// The stated requirements of a decision, normalised: canonical ids, in
/// matrix order. Serialises as a requirements document writes them: a flag
/// as `true`, a count as a number, a choice as its value id, the values of
/// a `multi` or `apps` dimension as a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatedRequirements(pub Vec<StatedRequirement>);

/// One stated requirement: the dimension key and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedRequirement {
    pub key: String,
    pub value: StatedValue,
}

/// The value of a stated requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatedValue {
    /// A flag, stated (`true`).
    Flag,
    /// A count.
    Count(u32),
    /// The value id of a `choice` dimension (`None`, written `null`: a value
    /// the matrix does not have).
    One(Option<String>),
    /// The value ids of a `multi` or `apps` dimension, in matrix order.
    Many(Vec<String>),
}

impl StatedRequirements {
    /// The stated values of `req`, with the canonical ids of `lexicon`.
    pub fn new(req: &Requirements, lexicon: &Lexicon) -> Self {
        let list = req
            .stated()
            .map(|(dim, value)| {
                let ids = lexicon.value_ids(dim);
                let value = match (lexicon.kind(dim), value) {
                    (_, Value::Count(n)) => StatedValue::Count(n),
                    (DimensionKind::Flag, Value::Set(_)) => StatedValue::Flag,
                    (DimensionKind::Choice, Value::Set(mask)) => {
                        StatedValue::One(ids.get(mask.trailing_zeros() as usize).cloned())
                    }
                    (_, Value::Set(mask)) => {
                        StatedValue::Many(bits(mask).filter_map(|i| ids.get(i).cloned()).collect())
                    }
                };
                StatedRequirement {
                    key: lexicon.keys()[dim].clone(),
                    value,
                }
            })
            .collect();
        StatedRequirements(list)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &StatedRequirement> {
        self.0.iter()
    }

    /// The value stated for the dimension `key`, if any.
    pub fn get(&self, key: &str) -> Option<&StatedValue> {
        self.0.iter().find(|r| r.key == key).map(|r| &r.value)
    }

    /// The value ids stated for `key` (a `multi` or `apps` dimension).
    pub fn ids(&self, key: &str) -> &[String] {
        match self.get(key) {
            Some(StatedValue::Many(ids)) => ids,
            _ => &[],
        }
    }
}

impl Serialize for StatedRequirements {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for r in &self.0 {
            map.serialize_entry(&r.key, &r.value)?;
        }
        map.end()
    }
}

impl Serialize for StatedValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StatedValue::Flag => s.serialize_bool(true),
            StatedValue::Count(n) => s.serialize_u32(*n),
            StatedValue::One(id) => id.serialize(s),
            StatedValue::Many(ids) => ids.serialize(s),
        }
    }
}

impl std::fmt::Display for StatedValue {
    /// The value as the text answer writes it: `true`, `2`, `chat`,
    /// `sales, cs-workspace`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatedValue::Flag => f.write_str("true"),
            StatedValue::Count(n) => write!(f, "{n}"),
            StatedValue::One(Some(id)) => f.write_str(id),
            StatedValue::One(None) => f.write_str("null"),
            StatedValue::Many(ids) => f.write_str(&ids.join(", ")),
        }
    }
}

/// Changes that lead to the same different answer, grouped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeGroup {
    pub outcome: OutcomeKind,
    pub recommended: Option<String>,
    /// The confidence of the changed answer.
    pub confidence: Option<Confidence>,
    /// The versions of the changed plan (empty unless a plan).
    pub plan: Vec<String>,
    pub fits: Vec<String>,
    pub changes: Vec<Change>,
}

/// For a version that does not fit: the stated requirements to drop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relaxation {
    pub version: String,
    /// The stated requirements that rule the version out.
    pub drop: Vec<String>,
    /// For each failing combination none of whose keys is in `drop`: its
    /// keys, one of which to drop (SPEC 4.9).
    pub drop_one_of: Vec<Vec<String>>,
}

/// One group of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// The team the item belongs to (with teams only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// App ids, in matrix order.
    pub apps: Vec<String>,
    pub version: String,
    pub confidence: Option<Confidence>,
    pub conditional_on: Vec<String>,
    /// Stated requirements this group's version cannot meet.
    pub unmet: Vec<String>,
    /// The end of support (or removal) ahead of what this group rests on
    /// (absent when there is none; the compact batch line has none yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
}

/// One branch of an open answer's fork: the apps that would get this version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForkItem {
    pub apps: Vec<String>,
    /// Null when no CIF version serves these apps under the stated requirements.
    pub version: Option<String>,
    pub confidence: Option<Confidence>,
}

/// What to use instead of CIF for a part no version serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteView {
    #[serde(rename = "for")]
    pub for_: String,
    pub text: String,
    pub source: String,
}

/// The version of the JSON answer's layout (docs/recommend-schema.json).
pub const OUTPUT_SCHEMA_VERSION: u32 = 2;

/// The answer is evaluated at this date (`--as-of`, else today).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    pub day: dated::Day,
    /// Given with `--as-of` (the text then says so).
    pub given: bool,
}

impl Default for AsOf {
    fn default() -> Self {
        AsOf {
            day: dated::today(),
            given: false,
        }
    }
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub schema_version: u32,
    pub tool_version: &'static str,
    /// The matrix's review date.
    pub matrix_reviewed: String,
    /// The date the lifecycle dates were evaluated at (YYYY-MM-DD).
    pub as_of: String,
    pub outcome: OutcomeKind,
    pub recommended: Option<String>,
    pub alternative: Option<String>,
    pub confidence: Option<Confidence>,
    pub conditional_on: Vec<String>,
    /// The earliest end of support (or removal) ahead of what the answer rests on.
    pub valid_until: Option<String>,
    /// Deciding dimensions left unstated that could change the answer.
    pub open_on: Vec<String>,
    /// For an open answer: the apps with which it holds.
    pub holds_for: Vec<String>,
    /// Why the input contradicts itself (empty when it does not).
    pub contradiction: Option<String>,
    pub plan: Vec<PlanItem>,
    /// For an answer open on the apps: each app not removed, grouped by the
    /// version it would get under the other stated requirements.
    pub fork: Vec<ForkItem>,
    /// Apps that no version serves.
    pub no_version: Vec<String>,
    /// Stated requirements that no group of apps can meet.
    pub unmet: Vec<String>,
    pub routes: Vec<RouteView>,
    pub fits: Vec<String>,
    pub requirements: StatedRequirements,
    /// One per version, in preference order.
    pub evaluations: Vec<Evaluation>,
    /// For each version that does not fit, its failed checks.
    pub why_not: VersionMap<'static, Vec<Check>>,
    pub caveats: Vec<Caveat>,
    pub unanswered: Vec<String>,
    /// Dimensions left open on purpose (not listed in `unanswered`).
    pub skipped: Vec<String>,
    pub would_change: Vec<ChangeGroup>,
    pub relaxations: Vec<Relaxation>,
    /// The documentation of the answer's versions (the next step).
    pub docs: Vec<String>,
    /// Each team's answer, in the file's order (empty without teams).
    pub teams: Vec<teams::TeamDecision>,
    #[serde(skip)]
    pub core: Outcome,
    /// `as_of` was given on the command line.
    #[serde(skip)]
    pub as_of_given: bool,
}

/// The engine: the matrix, its spellings and its compiled rules.
pub struct Engine<'m> {
    pub matrix: &'m Matrix<'m>,
    pub lexicon: Lexicon<'m>,
    pub rules: Rules,
    /// The evaluation date of the lifecycle.
    pub as_of: AsOf,
    /// The lifecycle's `blocks` entries, read at `as_of`.
    standings: Vec<dated::Standing>,
}

impl<'m> Engine<'m> {
    pub fn new(matrix: &'m Matrix<'m>) -> Self {
        let as_of = AsOf::default();
        Engine {
            matrix,
            lexicon: Lexicon::new(matrix),
            rules: Rules::new(matrix),
            as_of,
            standings: dated::standings(matrix, as_of.day),
        }
    }

    /// The same engine, evaluating the lifecycle at `as_of`.
    pub fn at(mut self, as_of: AsOf) -> Self {
        self.as_of = as_of;
        self.standings = dated::standings(self.matrix, as_of.day);
        self
    }

    pub fn version_id(&self, v: usize) -> &'m str {
        &self.matrix.versions[v].id
    }

    pub(crate) fn ids(&self, versions: &[usize]) -> Vec<String> {
        versions
            .iter()
            .map(|&v| self.version_id(v).to_string())
            .collect()
    }

    pub(crate) fn app_ids(&self, mask: u64) -> Vec<String> {
        self.app_id_names(mask)
            .into_iter()
            .map(String::from)
            .collect()
    }

    fn app_names(&self, mask: u64) -> Vec<&'m str> {
        bits(mask)
            .filter_map(|i| self.matrix.apps.get(i))
            .map(|a| a.name.as_ref())
            .collect()
    }

    /// Dimension keys of a mask, in matrix order.
    /// The keys of `mask`, borrowed from the matrix (dimensions, then combinations).
    pub fn key_names(&self, mask: u64) -> Vec<&'m str> {
        let dims = self.matrix.dimensions.len();
        bits(mask)
            .filter_map(|d| match self.matrix.dimensions.get(d) {
                Some(dim) => Some(dim.key.as_ref()),
                None => self
                    .matrix
                    .combinations
                    .get(d - dims)
                    .map(|c| c.id.as_ref()),
            })
            .collect()
    }

    /// The app ids of `mask`, borrowed from the matrix.
    pub fn app_id_names(&self, mask: u64) -> Vec<&'m str> {
        bits(mask)
            .filter_map(|i| self.matrix.apps.get(i))
            .map(|a| a.id.as_ref())
            .collect()
    }

    pub fn keys(&self, mask: u64) -> Vec<String> {
        self.key_names(mask).into_iter().map(String::from).collect()
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
            if let (Status::Limited, Some(limit)) = (status, &c.limit) {
                facts.push(limit.as_ref());
                // The page the limit quotes leads the sources.
                if let Some(s) = c
                    .limit_source
                    .as_deref()
                    .filter(|s| !sources.iter().any(|x| x == s))
                {
                    sources.insert(0, s.to_string());
                }
            }
            for s in std::iter::once(&c.source).chain(&c.see_also) {
                if !sources.iter().any(|x| x == s) {
                    sources.push(s.to_string());
                }
            }
        }
        let conflicting = deciding
            .iter()
            .any(|(_, c)| c.status == Support::Conflicting);
        let basis = if !self.matrix.basis_stated() {
            None
        } else if deciding.iter().any(|(_, c)| c.basis == Basis::Inferred) {
            Some(Basis::Inferred)
        } else {
            Some(Basis::Documented)
        };
        let reason = reasons::check_reason(
            vname,
            status,
            &reasons::requirement_label(&d.name, &labels),
            conflicting,
            &facts,
            basis,
            &sources,
        );
        Check {
            requirement: d.key.to_string(),
            status,
            reason,
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

    /// The plan items of an outcome.
    pub fn plan_items(&self, out: &Outcome) -> Vec<PlanItem> {
        if out.kind == OutcomeKind::Single {
            return Vec::new();
        }
        out.groups
            .iter()
            .map(|g| PlanItem {
                team: None,
                apps: self.app_ids(g.apps),
                version: self.version_id(g.version).to_string(),
                confidence: self.rules.group_confidence(out, g),
                conditional_on: self.keys(g.unknown),
                unmet: self.keys(g.unmet),
                valid_until: None,
            })
            .collect()
    }

    /// What to drop so that version `v` fits: its failing requirements, and
    /// one key of each failing combination they do not already remove.
    fn relaxation(&self, v: usize, failed: u64) -> Relaxation {
        let dims = self.matrix.dimensions.len();
        let own = if dims >= 64 {
            failed
        } else {
            failed & ((1u64 << dims) - 1)
        };
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

    /// The fork of an answer left open by unstated apps (SPEC 4.9).
    fn fork(&self, req: &Requirements, out: &Outcome) -> Vec<ForkItem> {
        let Some(ad) = self.rules.apps_dim() else {
            return Vec::new();
        };
        if out.open_on & (1 << ad) == 0 {
            return Vec::new();
        }
        let mut items: Vec<(ForkItem, Option<usize>)> = Vec::new();
        let mut with = req.clone();
        for (i, app) in self.matrix.apps.iter().enumerate() {
            if app.state == crate::matrix::AppState::Removed {
                continue;
            }
            with.values[ad] = Some(Value::Set(1 << i));
            let o = self.rules.outcome(&with);
            let version = o.recommended();
            let confidence = o.confidence;
            match items
                .iter_mut()
                .find(|(f, v)| *v == version && f.confidence == confidence)
            {
                Some((f, _)) => f.apps.push(app.id.to_string()),
                None => items.push((
                    ForkItem {
                        apps: vec![app.id.to_string()],
                        version: version.map(|v| self.version_id(v).to_string()),
                        confidence,
                    },
                    version,
                )),
            }
        }
        // Versions in preference order, then the apps no version serves.
        items.sort_by_key(|(_, v)| {
            v.map_or(usize::MAX, |v| {
                self.rules
                    .order()
                    .iter()
                    .position(|&o| o == v)
                    .unwrap_or(usize::MAX)
            })
        });
        items.into_iter().map(|(f, _)| f).collect()
    }

    /// The plan items, with what the lifecycle says of each group.
    pub(crate) fn plan_items_of(&self, req: &Requirements, out: &Outcome) -> Vec<PlanItem> {
        let mut items = self.plan_items(out);
        for (item, g) in items.iter_mut().zip(&out.groups) {
            let (confidence, until) = self.dated_group_confidence(req, out, g);
            item.confidence = confidence;
            item.valid_until = until.map(crate::dates::iso);
        }
        items
    }

    /// The full decision for the stated requirements.
    pub fn evaluate(&self, req: &Requirements) -> Decision {
        let matrix = self.matrix;
        let outcome = self.rules.outcome(req);
        let recommended = outcome.recommended();
        let alternative = match outcome.kind {
            OutcomeKind::Single => outcome.fits.get(1).copied(),
            _ => None,
        };

        let evaluations: Vec<Evaluation> = self
            .rules
            .order()
            .iter()
            .map(|&v| Evaluation {
                version: self.version_id(v).to_string(),
                name: matrix.versions[v].name.to_string(),
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
            let failed: Vec<Check> = e
                .checks
                .iter()
                .filter(|c| c.status == Status::Fail)
                .cloned()
                .collect();
            why_not.insert(e.version.clone(), failed);
        }

        // The versions the answer uses.
        let used: Vec<usize> = match outcome.kind {
            OutcomeKind::Single => recommended.into_iter().collect(),
            _ => outcome.groups.iter().map(|g| g.version).collect(),
        };
        let mut caveats = self.caveats(req, &outcome, &evaluations);
        let mut routes = self.routes(req, &outcome);
        let dated = self.dated_view(req, &self.subjects(req, None, &used));
        let (confidence, valid_until) = self.dated_confidence(req, &outcome);
        merge_dated(&mut caveats, &mut routes, &dated);
        let unanswered = self.unanswered(req, &outcome, &used);
        let relaxations = if outcome.kind == OutcomeKind::None {
            self.rules
                .order()
                .iter()
                .map(|&v| self.relaxation(v, outcome.failed[v]))
                .collect()
        } else {
            Vec::new()
        };
        let contradiction = outcome.contradictory.then(|| self.contradiction(req));

        Decision {
            schema_version: OUTPUT_SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION"),
            matrix_reviewed: matrix.reviewed.to_string(),
            outcome: outcome.kind,
            recommended: recommended.map(|v| self.version_id(v).to_string()),
            alternative: alternative.map(|v| self.version_id(v).to_string()),
            as_of: crate::dates::iso(self.as_of.day),
            confidence,
            valid_until: valid_until.map(crate::dates::iso),
            conditional_on: self.keys(outcome.conditional_on),
            open_on: self.keys(outcome.open_on),
            holds_for: self
                .app_names(outcome.open_keeps)
                .into_iter()
                .map(String::from)
                .collect(),
            contradiction,
            plan: self.plan_items_of(req, &outcome),
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
            skipped: req
                .skipped_dims()
                .map(|d| matrix.dimensions[d].key.to_string())
                .collect(),
            would_change: self.would_change(req, &outcome),
            relaxations,
            docs: used
                .iter()
                .map(|&v| matrix.versions[v].docs.to_string())
                .collect(),
            core: outcome,
            teams: Vec::new(),
            as_of_given: self.as_of.given,
        }
    }

    /// Why a contradictory input contradicts itself.
    fn contradiction(&self, req: &Requirements) -> String {
        let matrix = self.matrix;
        let mut parts = Vec::new();
        let apps = self
            .rules
            .apps_dim()
            .and_then(|d| match req.values[d] {
                Some(Value::Set(m)) => Some(m),
                _ => None,
            })
            .unwrap_or(0);
        for (d, value) in req.stated() {
            let (dim, Value::Set(mode)) = (&matrix.dimensions[d], value) else {
                continue;
            };
            if !dim.implied_by_apps {
                continue;
            }
            let Some(stated) = dim.values.get(mode.trailing_zeros() as usize) else {
                continue;
            };
            for app in bits(apps).filter_map(|a| matrix.apps.get(a)) {
                if app.session.as_str() != stated.id {
                    parts.push(reasons::contradiction_part(
                        &app.name,
                        app.session.as_str(),
                        &dim.name,
                        &dim.key,
                        &stated.id,
                    ));
                }
            }
        }
        reasons::contradiction(&parts, &self.keys(self.rules.implied_mask()))
    }

    /// Unstated dimensions that could still change the answer, deciding ones first.
    fn unanswered(&self, req: &Requirements, outcome: &Outcome, used: &[usize]) -> Vec<String> {
        if outcome.kind == OutcomeKind::None {
            return Vec::new();
        }
        let matrix = self.matrix;
        let apps_stated = self
            .rules
            .apps_dim()
            .is_some_and(|d| req.values[d].is_some());
        let stated_apps = match self.rules.apps_dim().and_then(|d| req.values[d]) {
            Some(Value::Set(m)) => Some(m),
            _ => None,
        };
        let mut dims: Vec<usize> = (0..req.values.len())
            .filter(|&d| {
                req.values[d].is_none()
                    && !req.is_skipped(d)
                    && used
                        .iter()
                        .any(|&v| self.rules.can_fail_with(v, d, stated_apps))
                    && !(apps_stated && matrix.dimensions[d].implied_by_apps)
            })
            .collect();
        // The key a half-stated combination lacks (SPEC 4.9).
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

    /// Routes for the parts no version serves: by failing value, then by app.
    fn routes(&self, req: &Requirements, out: &Outcome) -> Vec<RouteView> {
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

    fn caveats(
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

    /// Every single change to the stated requirements, as (dimension, words, changed).
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
                    out.push((d, reasons::change(key, ChangeWords::NotNeeded), with(None)));
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
                            reasons::change(key, ChangeWords::Count { new: c, old: n }),
                            with(Some(Value::Count(c))),
                        ));
                    }
                    out.push((
                        d,
                        reasons::change(key, ChangeWords::NoRequirement),
                        with(None),
                    ));
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
                                reasons::change(
                                    key,
                                    ChangeWords::Choice {
                                        new: id,
                                        old: current,
                                    },
                                ),
                                with(Some(Value::Set(1 << i))),
                            ));
                        }
                    }
                    out.push((
                        d,
                        reasons::change(key, ChangeWords::NoRequirement),
                        with(None),
                    ));
                }
                (DimensionKind::Apps, Value::Set(mask)) => {
                    // Apps: remove one of several, or replace one by its
                    // successor; never add one (SPEC 4.9), never drop the only one.
                    let offered = self.rules.suggestable();
                    for (i, id) in ids.iter().enumerate() {
                        if mask & (1 << i) != 0 && mask.count_ones() > 1 {
                            out.push((
                                d,
                                reasons::change(key, ChangeWords::Without(id)),
                                with(Some(Value::Set(mask & !(1 << i)))),
                            ));
                        }
                    }
                    for i in bits(mask) {
                        let Some(app) = matrix.apps.get(i) else {
                            continue;
                        };
                        // Only a replacement that is offered (active) is suggested.
                        let Some(r) = app
                            .replaced_by
                            .as_deref()
                            .and_then(|r| matrix.apps.iter().position(|a| a.id == r))
                            .filter(|&r| offered & (1 << r) != 0 && mask & (1 << r) == 0)
                        else {
                            continue;
                        };
                        out.push((
                            d,
                            reasons::change(
                                key,
                                ChangeWords::Replaced {
                                    old: &app.id,
                                    new: &matrix.apps[r].id,
                                },
                            ),
                            with(Some(Value::Set((mask & !(1 << i)) | 1 << r))),
                        ));
                    }
                }
                (_, Value::Set(mask)) => {
                    // A value of several removed, never one added.
                    for (i, id) in ids.iter().enumerate() {
                        if mask & (1 << i) != 0 && mask.count_ones() > 1 {
                            out.push((
                                d,
                                reasons::change(key, ChangeWords::Without(id)),
                                with(Some(Value::Set(mask & !(1 << i)))),
                            ));
                        }
                    }
                    out.push((
                        d,
                        reasons::change(key, ChangeWords::NoRequirement),
                        with(None),
                    ));
                }
                (_, Value::Count(_)) => {}
            }
        }
        // A successor the app's own replacement already offers is not repeated.
        for c in self.successor_changes(req) {
            if !out.iter().any(|o| o.2.values == c.2.values) {
                out.push(c);
            }
        }
        out
    }

    fn would_change(&self, req: &Requirements, outcome: &Outcome) -> Vec<ChangeGroup> {
        type Key = ((OutcomeKind, Option<usize>, Vec<usize>), Vec<usize>);
        let current = outcome.result();
        let mut groups: Vec<(ChangeGroup, (Key, Option<Confidence>), u8)> = Vec::new();
        // The confidence as the answer states it: a retirement it rests on
        // makes it at most conditional.
        let stated_confidence =
            |req: &Requirements, out: &Outcome| self.dated_confidence(req, out).0;
        let now = stated_confidence(req, outcome);
        for (d, change, changed) in self.single_changes(req) {
            let mut new = self.rules.outcome(&changed);
            new.confidence = stated_confidence(&changed, &new);
            // The same answer, made surer, is listed after the changes of outcome.
            let surer = new.result() == current && new.confidence > now;
            let result = (
                (new.result(), new.fits.clone()),
                surer.then_some(new.confidence).flatten(),
            );
            // A change to no version at all is news only when there is none already.
            if (result.0 .0 == current && !surer)
                || (new.kind == OutcomeKind::None && outcome.kind != OutcomeKind::None)
            {
                continue;
            }
            let rank = change_rank(&change) + if surer { 3 } else { 0 };
            let item = Change {
                requirement: self.matrix.dimensions[d].key.to_string(),
                change,
                requirements: self.stated(&changed),
                changed,
            };
            match groups.iter_mut().find(|(_, r, _)| *r == result) {
                Some((g, _, best)) => {
                    g.changes.push(item);
                    *best = (*best).min(rank);
                }
                None => groups.push((
                    ChangeGroup {
                        outcome: new.kind,
                        recommended: new.recommended().map(|v| self.version_id(v).to_string()),
                        confidence: new.confidence,
                        plan: self.ids(&new.plan_versions()),
                        fits: self.ids(&new.fits),
                        changes: vec![item],
                    },
                    result,
                    rank,
                )),
            }
        }
        // What a team can act on first: a value changed, a flag off, a count
        // changed; then an app replaced; then one of several apps removed.
        groups.sort_by_key(|(_, _, rank)| *rank);
        for (g, _, _) in &mut groups {
            g.changes.sort_by_key(|c| change_rank(&c.change));
        }
        groups.into_iter().map(|(g, _, _)| g).collect()
    }
}

/// The rank of a change (SPEC 4.9): 0 a value, flag or count changed; 1 an
/// app replaced; 2 one of several values or apps removed.
fn change_rank(words: &str) -> u8 {
    if words.contains(" replaced by ") || words.contains("the successor of ") {
        1
    } else if words.contains(": without ") {
        2
    } else {
        0
    }
}

/// Adds the lifecycle's caveats (each replacing a static one with the
/// same id; blocking ones first) and routes to an answer's.
fn merge_dated(caveats: &mut Vec<Caveat>, routes: &mut Vec<RouteView>, view: &dated::DatedView) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requirements::parse_document;

    #[test]
    fn stated_requirements_serialise_in_matrix_order_with_canonical_ids() {
        let m = Matrix::embedded().unwrap();
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
