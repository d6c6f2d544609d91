//! Values that exist only in some apps (`applies_to`): the Teams
//! dialer binds the Sales Hub group only, and nobody when Sales Hub is not
//! stated.

use super::rules::mask;
use super::Rules;
use crate::requirements::{bits, Requirements, Value};

/// The dimensions of `bound` (of [`Rules::app_bound`]) whose apps `keep` keeps.
pub(super) fn dims_of(bound: &[(usize, u64)], keep: impl Fn(u64) -> bool) -> u64 {
    bound
        .iter()
        .fold(0, |acc, &(d, m)| acc | u64::from(keep(m)) << d)
}

impl Rules {
    /// The stated dimensions that bind app `a` as org-wide ones do: the
    /// `org` scope and the values that exist only in some apps, `a` among them.
    pub fn binds_app(&self, req: &Requirements, a: usize) -> u64 {
        self.org | dims_of(&self.app_bound(req), |m| m & 1 << a != 0)
    }

    /// Stated dimensions whose values exist only in apps none of which is
    /// stated (apps being stated): they bind nobody and are not checked.
    pub fn idle(&self, req: &Requirements) -> u64 {
        self.stated_apps(req)
            .map_or(0, |apps| dims_of(&self.app_bound(req), |m| apps & m == 0))
    }

    /// Stated dimensions whose every stated value exists only in some apps
    /// (the Teams dialer: Sales Hub), each with those apps: such a value
    /// binds the groups that hold them, and only them.
    pub(super) fn app_bound(&self, req: &Requirements) -> Vec<(usize, u64)> {
        let stated = req.stated().fold(0u64, |m, (d, _)| m | 1 << d);
        if self.app_bound_dims & stated == 0 {
            return Vec::new();
        }
        req.stated()
            .filter_map(|(d, value)| {
                let Value::Set(mask) = value else { return None };
                let per = self.applies.get(d)?;
                let apps = |b: usize| per.get(b).copied().unwrap_or(0);
                (mask != 0 && bits(mask).all(|b| apps(b) != 0))
                    .then(|| (d, bits(mask).fold(0, |m, b| m | apps(b))))
            })
            .collect()
    }

    /// Could some value of an unstated dimension rule this version out,
    /// given the stated apps? (A value that exists only in apps none of
    /// which is stated cannot.)
    pub fn can_fail_with(&self, version: usize, dim: usize, apps: Option<u64>) -> bool {
        let cell = self.cell(version, dim);
        let live = match (apps, self.applies.get(dim)) {
            (Some(apps), Some(per)) if !per.is_empty() => {
                mask(per.iter().map(|&m| m == 0 || m & apps != 0))
            }
            _ => u64::MAX,
        };
        cell.fail & live != 0 || cell.max.is_some()
    }
}
