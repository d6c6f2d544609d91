//! Combinations (SPEC 4.9): the check of a limit that appears only when two
//! stated requirements meet.

use super::{reasons, Basis, Check, Engine};

impl Engine<'_> {
    /// The check of combination bit `bit` (triggered) for `version`.
    pub fn combo_check(&self, version: usize, bit: usize) -> Check {
        let status = self.rules.combo_status(version, bit);
        let combo = &self.matrix.combinations[bit - self.matrix.dimensions.len()];
        let vid = &self.matrix.versions[version].id;
        let Some(cap) = combo.support.get(vid) else {
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
        let mut facts = vec![cap.fact.as_ref()];
        if let (super::Status::Limited, Some(limit)) = (status, &cap.limit) {
            facts.push(limit.as_ref());
        }
        // The page the limit quotes leads the sources.
        let limit_source = cap
            .limit_source
            .as_ref()
            .filter(|_| status == super::Status::Limited);
        let mut sources: Vec<String> = Vec::new();
        for s in limit_source
            .into_iter()
            .chain(std::iter::once(&cap.source))
            .chain(&cap.see_also)
        {
            if !sources.iter().any(|x| x == s.as_ref()) {
                sources.push(s.to_string());
            }
        }
        let basis = self.matrix.basis_stated().then_some(cap.basis);
        let reason = reasons::check_reason(
            &self.matrix.versions[version].name,
            status,
            &combo.name,
            cap.status == crate::matrix::Support::Conflicting,
            &facts,
            basis.map(|b: Basis| b),
            &sources,
        );
        Check {
            requirement: combo.id.to_string(),
            status,
            reason,
            basis,
            sources,
        }
    }
}
