//! The matrix compiled for fast checks (`Rules`: per version and dimension,
//! the masks of failing and unknown values) and the fast answer (`Outcome`).

use super::combine;
use super::scope::dims_of;
use crate::matrix::{
    AppState, Capability, Choice, Dimension, DimensionKind, Matrix, Scope, Support,
};
use crate::requirements::{bits, Requirements, Value};
use serde::Serialize;

cif_data::spelled! {
    /// A check's outcome.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    pub enum Status {
        Pass = "pass",
        Fail = "fail",
        Unknown = "unknown",
        /// Supported with a documented limit that the stated requirements reach.
        Limited = "limited",
    }
}

/// The status of a capability; an undescribed one counts as unconfirmed.
/// (Validation guarantees every version is described.)
pub(super) fn status_of(cap: Option<&Capability>) -> Status {
    match cap.map(|c| c.status) {
        Some(Support::Yes) => Status::Pass,
        Some(Support::No) => Status::Fail,
        Some(Support::Unconfirmed | Support::Conflicting) | None => Status::Unknown,
        Some(Support::Limited) => Status::Limited,
    }
}

/// The bit mask of the `true`s, in order.
pub(super) fn mask(flags: impl Iterator<Item = bool>) -> u64 {
    flags.enumerate().fold(0, |m, (i, f)| m | u64::from(f) << i)
}

/// Each value of dimension `d` (the apps for `apps`, the dimension itself
/// for a flag or a count), with its name and its capability for `vid`.
pub(super) fn value_caps<'m>(
    matrix: &'m Matrix,
    d: &'m Dimension,
    vid: &str,
) -> Vec<(&'m str, Option<&'m Capability>)> {
    match d.kind {
        DimensionKind::Apps => matrix
            .apps
            .iter()
            .map(|a| (a.name.as_ref(), a.support.get(vid)))
            .collect(),
        DimensionKind::Choice | DimensionKind::Multi => d
            .values
            .iter()
            .map(|c| (c.name.as_ref(), c.support.get(vid)))
            .collect(),
        DimensionKind::Flag | DimensionKind::Count => vec![("", d.support.get(vid))],
    }
}

/// The cell of one dimension for version `vid`: which of its values (apps,
/// values, or the flag or count itself) fail, are unknown or limited.
fn cell_of(matrix: &Matrix, d: &Dimension, vid: &str) -> Cell {
    let caps = value_caps(matrix, d, vid);
    let having = |s: Status| mask(caps.iter().map(|&(_, cap)| status_of(cap) == s));
    Cell {
        fail: having(Status::Fail),
        unknown: having(Status::Unknown),
        limited: having(Status::Limited),
        max: caps.last().and_then(|&(_, cap)| cap?.max),
    }
}

/// Per version and dimension: which stated values fail or are unknown.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Cell {
    pub(super) fail: u64,
    pub(super) unknown: u64,
    pub(super) limited: u64,
    /// For count dimensions: the largest supported number.
    pub(super) max: Option<u32>,
}

cif_data::spelled! {
    /// What kind of answer: one version, a plan of versions per group of apps, or none.
    /// Ordered from one version to none: an organisation's outcome is its teams' greatest.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    pub enum OutcomeKind {
        Single = "single",
        Plan = "plan",
        #[default]
        None = "none",
    }
}

cif_data::spelled! {
    /// How sure an answer is: weakest first.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    pub enum Confidence {
        /// A deciding dimension is unstated and stating it could change the outcome.
        Open = "open",
        /// Some check is unknown (unconfirmed or conflicting facts).
        Conditional = "conditional",
        Confirmed = "confirmed",
    }
}

impl Confidence {
    /// Open, else conditional, else confirmed.
    fn of(open: bool, conditional: bool) -> Confidence {
        match (open, conditional) {
            (true, _) => Confidence::Open,
            (_, true) => Confidence::Conditional,
            _ => Confidence::Confirmed,
        }
    }
}

/// The matrix compiled for fast checks.
#[derive(Debug, Clone)]
pub struct Rules {
    /// cells[version * dimensions + dimension], versions in matrix order.
    pub(super) cells: Vec<Cell>,
    pub(super) dimensions: usize,
    pub(super) versions: usize,
    /// Version indices in preference order.
    pub(super) order: Vec<usize>,
    /// The dimension of kind `apps`, if any.
    pub(super) apps_dim: Option<usize>,
    /// Dimensions of scope `org` (every group must meet them).
    pub(super) org: u64,
    /// Dimensions marked `decides`.
    pub(super) decides: u64,
    /// Dimensions implied by the apps' session mode.
    pub(super) implied: u64,
    /// Per app: the index of its session mode among an implied dimension's values.
    pub(super) app_mode: Vec<Option<u8>>,
    /// Apps a change may suggest (active ones).
    pub(super) suggestable: u64,
    /// Per dimension but the apps: how many values it has (1 for a flag, none
    /// for a count).
    pub(super) widths: Vec<u8>,
    /// The combinations; combination `i` is bit `dimensions + i` of the masks.
    pub(super) combos: Vec<combine::ComboRule>,
    /// applies[dimension][value]: the apps (mask) a value exists in; 0: every app.
    pub(super) applies: Vec<Vec<u64>>,
    /// Dimensions with a value that exists only in some apps.
    pub(super) app_bound_dims: u64,
}

/// One group of a plan: the apps one version serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

impl Outcome {
    /// The recommended version of a `single` answer.
    pub fn recommended(&self) -> Option<usize> {
        self.fits
            .first()
            .copied()
            .filter(|_| self.kind == OutcomeKind::Single)
    }

    /// What "the answer" is, for comparing two outcomes: the kind, the
    /// recommended version, and the versions of a plan.
    /// (An app that joins a group of the same version changes nothing.)
    pub fn result(&self) -> (OutcomeKind, Option<usize>, Vec<usize>) {
        (self.kind, self.recommended(), self.plan_versions())
    }

    /// Whether `other` gives the same answer as [`Outcome::result`] reads
    /// it, without building either.
    pub fn same_result(&self, other: &Outcome) -> bool {
        let versions = |o: &Outcome| o.groups.iter().map(|g| g.version).collect::<Vec<_>>();
        self.kind == other.kind
            && self.recommended() == other.recommended()
            && (self.kind != OutcomeKind::Plan || versions(self) == versions(other))
    }

    /// The versions the answer uses: the recommended one, else the groups'
    /// (a single answer has no groups).
    pub fn used(&self) -> Vec<usize> {
        let groups = self.groups.iter().map(|g| g.version);
        self.recommended().into_iter().chain(groups).collect()
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
        let dims = &matrix.dimensions;
        let implied_dim = dims.iter().find(|d| d.implied_by_apps);
        // The dimensions (a mask) with a property.
        let having = |p: fn(&Dimension) -> bool| mask(dims.iter().map(p));
        // The apps (a mask) a value exists in.
        let apps = |v: &Choice| mask(matrix.apps.iter().map(|a| v.applies_to.contains(&a.id)));
        Rules {
            cells: matrix
                .versions
                .iter()
                .flat_map(|v| dims.iter().map(|d| cell_of(matrix, d, &v.id)))
                .collect(),
            dimensions: dims.len(),
            versions: matrix.versions.len(),
            order: matrix
                .preference
                .iter()
                .filter_map(|id| matrix.versions.iter().position(|v| &v.id == id))
                .collect(),
            apps_dim: dims.iter().position(|d| d.kind == DimensionKind::Apps),
            org: having(|d| d.scope != Scope::Group && d.kind != DimensionKind::Apps),
            decides: having(|d| d.decides),
            implied: having(|d| d.implied_by_apps),
            app_mode: matrix
                .apps
                .iter()
                .map(|a| {
                    let values = &implied_dim?.values;
                    let i = values.iter().position(|v| v.id == a.session.as_str())?;
                    Some(i as u8)
                })
                .collect(),
            suggestable: mask(matrix.apps.iter().map(|a| a.state == AppState::Active)),
            widths: dims
                .iter()
                .map(|d| match d.kind {
                    DimensionKind::Flag => 1,
                    _ => d.values.len() as u8,
                })
                .collect(),
            combos: combine::compile_combos(matrix),
            app_bound_dims: having(|d| d.values.iter().any(|v| !v.applies_to.is_empty())),
            applies: dims
                .iter()
                .map(|d| d.values.iter().map(apps).collect())
                .collect(),
        }
    }

    pub(super) fn cell(&self, version: usize, dim: usize) -> &Cell {
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

    /// The stated apps (a mask), if the matrix has an apps dimension and they are stated.
    pub fn stated_apps(&self, req: &Requirements) -> Option<u64> {
        match req.values[self.apps_dim?] {
            Some(Value::Set(apps)) => Some(apps),
            _ => None,
        }
    }

    /// The place of version `v` in the preference order.
    pub fn rank(&self, v: usize) -> usize {
        self.order
            .iter()
            .position(|&o| o == v)
            .unwrap_or(usize::MAX)
    }

    /// The status of one stated requirement for one version.
    pub fn check(&self, version: usize, dim: usize, value: Value) -> Status {
        let cell = self.cell(version, dim);
        let mask = match value {
            Value::Set(mask) => mask,
            Value::Count(n) if cell.max.is_some_and(|m| n > m) => return Status::Fail,
            Value::Count(_) => 1,
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
        self.outcome_into(req, &mut out);
        out
    }

    /// `outcome` into reused storage (a batch allocates once).
    pub fn outcome_into(&self, req: &Requirements, out: &mut Outcome) {
        self.core_into(req, out);
        self.assess(req, out);
    }

    /// Whether the stated session mode contradicts a stated app's own.
    pub(super) fn contradictory(&self, req: &Requirements) -> bool {
        let Some(apps) = self.stated_apps(req) else {
            return false;
        };
        req.stated().any(|(d, value)| match value {
            Value::Set(mode) if self.implied & (1 << d) != 0 => bits(apps)
                .any(|a| matches!(self.app_mode.get(a), Some(&Some(m)) if mode & (1 << m) == 0)),
            _ => false,
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
        let stated = self.check_stated(req, out);
        let contradictory = stated & self.implied != 0 && self.contradictory(req);
        out.fits.clear();
        out.fits
            .extend(self.order.iter().copied().filter(|&v| out.failed[v] == 0));
        out.groups.clear();
        *out = Outcome {
            kind: if out.fits.is_empty() || contradictory {
                OutcomeKind::None
            } else {
                OutcomeKind::Single
            },
            fits: std::mem::take(&mut out.fits),
            failed: std::mem::take(&mut out.failed),
            unknown: std::mem::take(&mut out.unknown),
            stated,
            groups: std::mem::take(&mut out.groups),
            contradictory,
            ..Outcome::default()
        };
        if let (OutcomeKind::None, Some(ad), Some(apps)) =
            (out.kind, self.apps_dim, self.stated_apps(req))
        {
            self.plan(req, ad, apps, out);
        }
    }

    /// Checks every stated requirement, and each combination they trigger,
    /// against every version, into `out.failed` and `out.unknown`; returns
    /// the stated dimensions (and combinations) that bind.
    fn check_stated(&self, req: &Requirements, out: &mut Outcome) -> u64 {
        out.failed.clear();
        out.failed.resize(self.versions, 0);
        out.unknown.clear();
        out.unknown.resize(self.versions, 0);
        let mut mark = |v: usize, bit: usize, status: Status| match status {
            Status::Fail => out.failed[v] |= 1 << bit,
            // A limit makes the answer conditional, as an unknown does.
            Status::Unknown | Status::Limited => out.unknown[v] |= 1 << bit,
            Status::Pass => {}
        };
        // A value that exists only in apps none of which is stated binds nothing.
        let idle = self.idle(req);
        let mut stated = 0u64;
        for (dim, value) in req.stated().filter(|(d, _)| idle & (1 << d) == 0) {
            stated |= 1 << dim;
            (0..self.versions).for_each(|v| mark(v, dim, self.check(v, dim, value)));
        }
        for bit in bits(self.triggered(req)) {
            stated |= 1 << bit;
            (0..self.versions).for_each(|v| mark(v, bit, self.combo_status(v, bit)));
        }
        stated
    }

    /// The plan for the stated `apps`: each joins the first version, in
    /// preference order, that serves it under the org-wide requirements and
    /// those bound to it; group requirements bind the groups whose version
    /// can meet them.
    fn plan(&self, req: &Requirements, ad: usize, apps: u64, out: &mut Outcome) {
        let bound = self.app_bound(req);
        for a in bits(apps) {
            let own = self.org | dims_of(&bound, |m| m & 1 << a != 0);
            let serves =
                |&v: &usize| out.failed[v] & own == 0 && self.cell(v, ad).fail & (1 << a) == 0;
            match self.order.iter().copied().find(serves) {
                Some(v) => match out.groups.iter_mut().find(|g| g.version == v) {
                    Some(g) => g.apps |= 1 << a,
                    None => out.groups.push(Group {
                        version: v,
                        apps: 1 << a,
                        ..Group::default()
                    }),
                },
                None => out.no_version |= 1 << a,
            }
        }
        out.groups.sort_by_key(|g| self.rank(g.version));
        // (Only the apps differ per group, so the whole-set failures say it.)
        let stated_group = out.stated & !self.org & !(1 << ad) & !dims_of(&bound, |_| true);
        let mut met = 0u64;
        for g in &mut out.groups {
            g.exempt = dims_of(&bound, |m| m & g.apps == 0);
            g.unmet = out.failed[g.version] & stated_group;
            met |= stated_group & !g.unmet;
        }
        out.unmet_all = stated_group & !met;
        out.kind = if out.no_version != 0 || out.unmet_all != 0 || out.contradictory {
            OutcomeKind::None
        } else {
            OutcomeKind::Plan
        };
    }

    /// The unknown checks (dimension mask) of a group: its version's, with
    /// the apps narrowed to the group's own.
    fn group_unknown(&self, req: &Requirements, unknown: &[u64], g: &Group) -> u64 {
        let skip = g.unmet | g.exempt;
        let mut mask = unknown[g.version] & !skip;
        if let Some(ad) = self.apps_dim {
            mask &= !(1 << ad);
            let narrowed = self.check(g.version, ad, Value::Set(g.apps));
            if req.values[ad].is_some()
                && skip & (1 << ad) == 0
                && matches!(narrowed, Status::Unknown | Status::Limited)
            {
                mask |= 1 << ad;
            }
        }
        mask
    }

    /// Sets the confidence: open, else conditional, else confirmed.
    fn assess(&self, req: &Requirements, out: &mut Outcome) {
        let unknown = &out.unknown;
        for g in &mut out.groups {
            g.unknown = self.group_unknown(req, unknown, g);
        }
        out.conditional_on = match out.kind {
            OutcomeKind::None => return,
            OutcomeKind::Single => out.fits.first().map_or(0, |&r| out.unknown[r]),
            OutcomeKind::Plan => out.groups.iter().fold(0, |m, g| m | g.unknown),
        };
        self.find_open(req, out);
        let unmet = out.kind == OutcomeKind::Plan && out.groups.iter().any(|g| g.unmet != 0);
        let conditional = out.conditional_on != 0 || unmet;
        out.confidence = Some(Confidence::of(out.open_on != 0, conditional));
    }

    /// Sets `open_on`: the deciding dimensions left unstated whose statement
    /// could change the answer (and, for the apps, those it holds with).
    fn find_open(&self, req: &Requirements, out: &mut Outcome) {
        let apps_stated = self.apps_dim.is_some_and(|d| req.values[d].is_some());
        let open = self.decides & !out.stated & !if apps_stated { self.implied } else { 0 };
        if open == 0 {
            return;
        }
        let mut with = req.clone();
        let mut scratch = Outcome::default();
        for d in bits(open) {
            let mut changes = false;
            let mut keeps = 0u64;
            // The apps' candidates are all weighed (which keep the answer);
            // another dimension is open at its first value that changes it.
            let all = Some(d) == self.apps_dim;
            for candidate in self.candidates(d) {
                with.values[d] = Some(candidate);
                if self.contradictory(&with) {
                    continue;
                }
                self.core_into(&with, &mut scratch);
                match candidate {
                    _ if !scratch.same_result(out) => changes = true,
                    Value::Set(m) => keeps |= m,
                    Value::Count(_) => {}
                }
                if changes && !all {
                    break;
                }
            }
            with.values[d] = req.values[d];
            if changes {
                out.open_on |= 1 << d;
                if Some(d) == self.apps_dim {
                    out.open_keeps = keeps;
                }
            }
        }
    }

    /// The single values a deciding dimension could be stated with.
    fn candidates(&self, d: usize) -> Vec<Value> {
        if Some(d) == self.apps_dim {
            return bits(self.suggestable).map(|a| Value::Set(1 << a)).collect();
        }
        (0..self.widths[d]).map(|i| Value::Set(1 << i)).collect()
    }

    /// The confidence of one plan group.
    pub fn group_confidence(&self, out: &Outcome, g: &Group) -> Option<Confidence> {
        let conditional = g.unknown != 0 || g.unmet != 0;
        out.confidence
            .map(|_| Confidence::of(out.open_on != 0, conditional))
    }
}
