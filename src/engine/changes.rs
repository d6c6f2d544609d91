//! What would change the answer: every single change to the stated
//! requirements, and those that change the outcome, grouped.

use super::{Change, ChangeGroup, Engine, Outcome, OutcomeKind};
use crate::matrix::DimensionKind;
use crate::requirements::{bits, Requirements, Value};
use std::collections::BTreeSet;

impl Engine<'_> {
    /// Every single change to the stated requirements, as (dimension, words, changed).
    pub fn single_changes(&self, req: &Requirements) -> Vec<(usize, String, Requirements)> {
        let mut out = Vec::new();
        for (d, value) in req.stated() {
            for (words, v) in self.changes_of(d, value) {
                let mut changed = req.clone();
                changed.values[d] = v;
                out.push((d, words, changed));
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

    /// The single changes to the value stated for dimension `d`, in words
    /// ("key: <what changes>"), and the new value (`None`: no requirement).
    fn changes_of(&self, d: usize, value: Value) -> Vec<(String, Option<Value>)> {
        let matrix = self.matrix;
        let ids = self.lexicon.value_ids(d);
        let (kind, key) = (matrix.dimensions[d].kind, &matrix.dimensions[d].key);
        let mut out = Vec::new();
        match (kind, value) {
            (DimensionKind::Flag, _) => return vec![(format!("{key}: not needed"), None)],
            (DimensionKind::Count, Value::Count(n)) => {
                let maxima = (0..matrix.versions.len()).filter_map(|v| self.rules.cell(v, d).max);
                let limits = maxima.flat_map(|m| [m, m.saturating_add(1)]);
                let counts: BTreeSet<u32> = limits.chain([1]).collect();
                for c in counts.into_iter().filter(|&c| c != n && c >= 1) {
                    out.push((format!("{key}: {c} instead of {n}"), Some(Value::Count(c))));
                }
            }
            (DimensionKind::Choice, Value::Set(mask)) => {
                let old = ids
                    .get(mask.trailing_zeros() as usize)
                    .map_or("", String::as_str);
                for (i, new) in ids.iter().enumerate().filter(|(i, _)| mask & (1 << i) == 0) {
                    let words = format!("{key}: {new} instead of {old}");
                    out.push((words, Some(Value::Set(1 << i))));
                }
            }
            (_, Value::Set(mask)) => {
                // One of several values or apps removed, never one added.
                if mask.count_ones() > 1 {
                    out.extend(bits(mask).filter_map(|i| {
                        let without = Some(Value::Set(mask & !(1 << i)));
                        Some((format!("{key}: without {}", ids.get(i)?), without))
                    }));
                }
                if kind == DimensionKind::Apps {
                    // Apps: never dropped as a requirement; one replaced by its successor.
                    out.extend(self.replacements(key, mask));
                    return out;
                }
            }
            (_, Value::Count(_)) => return out,
        }
        out.push((format!("{key}: no requirement"), None));
        out
    }

    /// Each stated app replaced by its successor, if that is offered (active)
    /// and not stated already.
    fn replacements(&self, key: &str, mask: u64) -> Vec<(String, Option<Value>)> {
        let apps = &self.matrix.apps;
        bits(mask)
            .filter_map(|i| {
                let app = apps.get(i)?;
                let r = app
                    .replaced_by
                    .as_deref()
                    .and_then(|r| apps.iter().position(|a| a.id == r))
                    .filter(|&r| self.rules.suggestable & (1 << r) != 0 && mask & (1 << r) == 0)?;
                let words = format!("{key}: {} replaced by {}", app.id, apps[r].id);
                Some((words, Some(Value::Set((mask & !(1 << i)) | 1 << r))))
            })
            .collect()
    }

    pub(super) fn would_change(&self, req: &Requirements, outcome: &Outcome) -> Vec<ChangeGroup> {
        let current = outcome.result();
        // Each group with what its changes lead to and its best rank.
        let mut groups: Vec<(ChangeGroup, _, u8)> = Vec::new();
        // The confidence as the answer states it: a retirement it rests on
        // makes it at most conditional.
        let now = self.dated_confidence(req, outcome).0;
        for (d, change, changed) in self.single_changes(req) {
            let mut new = self.rules.outcome(&changed);
            new.confidence = self.dated_confidence(&changed, &new).0;
            // The same answer, made surer, is listed after the changes of outcome.
            let surer = new.result() == current && new.confidence > now;
            let raised_to = surer.then_some(new.confidence).flatten();
            let result = ((new.result(), new.fits.clone()), raised_to);
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

/// The rank of a change: 0 a value, flag or count changed; 1 an
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
