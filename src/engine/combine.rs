//! Combinations: the check of a limit that appears only when two
//! stated requirements meet.

use super::rules::status_of;
use super::{Check, DimensionKind, Engine, Matrix, Rules, Status};
use crate::matrix::Cond;
use crate::requirements::{Requirements, Value};

impl Engine<'_> {
    /// The check of combination bit `bit` (triggered) for `version`.
    pub fn combo_check(&self, version: usize, bit: usize) -> Check {
        let status = self.rules.combo_status(version, bit);
        let combo = &self.matrix.combinations[bit - self.matrix.dimensions.len()];
        let Some(cap) = combo.support.get(self.version_id(version)) else {
            return Check {
                requirement: combo.id.to_string(),
                status,
                reason: format!(
                    "{} is not described for '{}'.",
                    self.matrix.versions[version].name, combo.name
                ),
                basis: None,
                sources: Vec::new(),
            };
        };
        self.check_of(version, (&combo.id, &combo.name), status, &[cap])
    }
}

/// A combination compiled: its conditions and each version's status.
#[derive(Debug, Clone)]
pub(super) struct ComboRule {
    when: Vec<(usize, CondRule)>,
    /// status[version], matrix order.
    status: Vec<Status>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum CondRule {
    Flag(bool),
    Any(u64),
    Min(u32),
}

impl ComboRule {
    /// The dimensions whose condition the requirements do not meet.
    fn unmet<'a>(&'a self, req: &'a Requirements) -> impl Iterator<Item = usize> + 'a {
        self.when
            .iter()
            .filter(|&&(d, cond)| !cond.holds(req.values.get(d).copied().flatten()))
            .map(|&(d, _)| d)
    }
}

impl CondRule {
    fn holds(self, value: Option<Value>) -> bool {
        match (self, value) {
            (CondRule::Flag(want), v) => v.is_some() == want,
            (CondRule::Any(mask), Some(Value::Set(m))) => m & mask != 0,
            (CondRule::Min(n), Some(Value::Count(c))) => c >= n,
            _ => false,
        }
    }
}

/// Compiles the matrix's combinations (as many as fit beside the dimensions
/// in a 64-bit mask; validation keeps the total within it).
pub(super) fn compile_combos(matrix: &Matrix) -> Vec<ComboRule> {
    let room = 64usize.saturating_sub(matrix.dimensions.len());
    matrix
        .combinations
        .iter()
        .take(room)
        .map(|c| ComboRule {
            when: c
                .when
                .0
                .iter()
                .filter_map(|(key, cond)| compile_cond(matrix, key, cond))
                .collect(),
            status: matrix
                .versions
                .iter()
                .map(|v| status_of(c.support.get(&v.id)))
                .collect(),
        })
        .collect()
}

/// A combination's condition on the dimension `key`, against the matrix's
/// indices (none when the matrix lacks the dimension).
fn compile_cond(matrix: &Matrix, key: &str, cond: &Cond) -> Option<(usize, CondRule)> {
    let d = matrix.dimensions.iter().position(|d| d.key == key)?;
    let dim = &matrix.dimensions[d];
    let index = |id: &String| match dim.kind {
        DimensionKind::Apps => matrix.apps.iter().position(|a| a.id == id.as_str()),
        _ => dim.values.iter().position(|v| v.id == id.as_str()),
    };
    let rule = match cond {
        Cond::Flag(b) => CondRule::Flag(*b),
        Cond::Min(n) => CondRule::Min(*n),
        Cond::Any(ids) => CondRule::Any(ids.iter().filter_map(index).fold(0, |m, i| m | 1 << i)),
    };
    Some((d, rule))
}

impl Rules {
    /// The combinations that the stated requirements trigger, as mask bits.
    pub fn triggered(&self, req: &Requirements) -> u64 {
        self.combos
            .iter()
            .enumerate()
            .filter(|(_, c)| c.unmet(req).next().is_none())
            .fold(0, |m, (i, _)| m | 1 << (self.dimensions + i))
    }

    /// Unstated dimensions that would complete a combination whose other
    /// conditions hold, and that does not simply pass for one of `versions`.
    pub fn half_stated(&self, req: &Requirements, versions: &[usize]) -> u64 {
        let mut mask = 0u64;
        for (i, c) in self.combos.iter().enumerate() {
            let status = |&v: &usize| self.combo_status(v, self.dimensions + i);
            let matters = versions.iter().any(|v| status(v) != Status::Pass);
            if let [d] = c.unmet(req).collect::<Vec<_>>()[..] {
                if matters && req.values.get(d).is_some_and(Option::is_none) {
                    mask |= 1 << d;
                }
            }
        }
        mask
    }

    /// The status of combination bit `bit` for `version`.
    pub fn combo_status(&self, version: usize, bit: usize) -> Status {
        self.combos
            .get(bit.wrapping_sub(self.dimensions))
            .and_then(|c| c.status.get(version).copied())
            .unwrap_or(Status::Unknown)
    }
}
