//! Lifecycle dates: what an answer rests on that is deprecated,
//! past its end of support or removed at the evaluation date.

use super::{reasons::basis_suffix, Caveat, Confidence, Group, Outcome, OutcomeKind, RouteView};
use crate::dates::{from_days, iso, parse_day_or_month, spell};
use crate::matrix::{AppState, CaveatKind, Effect, Lifecycle, Matrix};
use crate::requirements::{Lexicon, Requirements, Value};

/// A calendar day (year, month, day).
pub type Day = (u32, u32, u32);

/// Today, from the system clock (UTC).
pub fn today() -> Day {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    from_days((since.map_or(0, |d| d.as_secs()) / 86_400) as i64)
}

/// Reads `YYYY-MM-DD` (the `--as-of` date).
pub fn parse_day(text: &str) -> Option<Day> {
    crate::dates::parse_date(text)
}

/// One lifecycle date, read: the day and whether only the month was given.
type Dated = Option<(Day, bool)>;

/// An entry's three dates.
struct Dates {
    deprecated: Dated,
    end_of_support: Dated,
    removed: Dated,
}

fn dates_of(l: &Lifecycle) -> Dates {
    let read = |d: &Option<String>, last| d.as_deref().and_then(|t| parse_day_or_month(t, last));
    Dates {
        deprecated: read(&l.deprecated, false),
        end_of_support: read(&l.end_of_support, true),
        removed: read(&l.removed, false),
    }
}

/// Where an entry stands at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Every date is ahead.
    Ahead,
    /// Deprecated, still supported.
    Deprecated,
    /// Past its end of support, or removed.
    Past,
}

fn phase(d: &Dates, as_of: Day) -> Phase {
    if d.removed.is_some_and(|(r, _)| r <= as_of)
        || d.end_of_support.is_some_and(|(e, _)| e < as_of)
    {
        Phase::Past
    } else if d.deprecated.is_some_and(|(p, _)| p <= as_of) {
        Phase::Deprecated
    } else {
        Phase::Ahead
    }
}

/// "deprecated April 1, 2026; supported until April 2027; to be removed June 2028".
fn timeline(d: &Dates, as_of: Day) -> String {
    // (date, past only after its day, words when past, words when ahead)
    let parts = [
        (d.deprecated, false, "deprecated", "to be deprecated"),
        (
            d.end_of_support,
            true,
            "out of support after",
            "supported until",
        ),
        (d.removed, false, "removed", "to be removed"),
    ];
    let words = parts.into_iter().filter_map(|(date, after, past, ahead)| {
        let (day, month) = date?;
        let gone = day < as_of || (!after && day == as_of);
        let verb = if gone { past } else { ahead };
        Some(format!("{verb} {}", spell(day, month)))
    });
    words.collect::<Vec<_>>().join("; ")
}

/// Sets each app's state (and its replacement) from the lifecycle at `as_of`:
/// removed, deprecated, or limited when the dates concern only some
/// organisations. An app with no dated entry keeps the state it states.
pub fn apply(matrix: &mut Matrix, as_of: Day) {
    // The entries are read while the apps change (no copy of the lifecycle).
    for l in &matrix.lifecycle {
        let id = l.subject.strip_prefix("apps=");
        let Some(app) = id.and_then(|id| matrix.apps.iter_mut().find(|a| a.id == id)) else {
            continue;
        };
        let d = dates_of(l);
        let state = match (phase(&d, as_of), l.applies_to.is_some()) {
            (Phase::Ahead, _) => continue,
            (_, true) => AppState::Limited,
            (Phase::Past, false) if d.removed.is_some_and(|(r, _)| r <= as_of) => AppState::Removed,
            (_, false) if l.effect == Effect::Blocks => AppState::Deprecated,
            _ => continue,
        };
        // The weaker of the two states.
        app.state = app.state.max(state);
        if app.replaced_by.is_none() {
            app.replaced_by = l.successor.get("apps").and_then(|a| a.first().cloned());
        }
    }
}

/// What the dates say about one answer, in words: its caveats and the
/// routes to successors (`Engine::evaluate` keeps the first of a
/// subject's routes). (Whether they block it, and until when it holds,
/// is [`Standing`]'s, read without words.)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatedView {
    pub caveats: Vec<Caveat>,
    pub routes: Vec<RouteView>,
}

/// A lifecycle entry read at the evaluation date, against the matrix's
/// indices: the entry, the value or version it concerns, and for a
/// `blocks` entry whether it is past (removed or out of support), and else
/// the day it holds until.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    entry: usize,
    subject: Subject,
    blocks: bool,
    past: bool,
    until: Option<Day>,
}

#[derive(Debug, Clone, PartialEq)]
enum Subject {
    /// Bit `bit` of dimension `dim` (an app, for the apps dimension).
    Value {
        dim: usize,
        bit: usize,
    },
    Version(usize),
}

/// The lifecycle's entries read at `as_of`, in its order (an entry whose
/// subject the matrix lacks concerns nothing).
pub fn standings(matrix: &Matrix, lexicon: &Lexicon, as_of: Day) -> Vec<Standing> {
    let read = |(entry, l): (usize, &Lifecycle)| {
        let (key, id) = l.subject.split_once('=')?;
        let subject = if key == "version" {
            Subject::Version(matrix.versions.iter().position(|v| v.id == id)?)
        } else {
            let dim = lexicon.dimension_index(key)?;
            let bit = lexicon.value_ids(dim).iter().position(|v| v == id)?;
            Subject::Value { dim, bit }
        };
        let d = dates_of(l);
        let blocks = l.effect == Effect::Blocks;
        let past = blocks && phase(&d, as_of) == Phase::Past;
        let until = d.end_of_support.or(d.removed).map(|(day, _)| day);
        Some(Standing {
            entry,
            subject,
            blocks,
            past,
            until: until.filter(|&day| blocks && !past && day >= as_of),
        })
    };
    matrix
        .lifecycle
        .iter()
        .enumerate()
        .filter_map(read)
        .collect()
}

/// "April 2027" when the date is the last day of its month, else the day.
pub fn until_text(day: Day) -> String {
    let last = parse_day_or_month(&iso(day)[..7], true).map(|(d, _)| d);
    spell(day, last == Some(day))
}

impl super::Engine<'_> {
    /// The lifecycle entries an answer rests on, in the lifecycle's order:
    /// those of its stated values (the apps narrowed to `apps`) and of the
    /// versions it uses.
    fn resting<'s>(
        &'s self,
        req: &'s Requirements,
        apps: Option<u64>,
        versions: &'s [usize],
    ) -> impl Iterator<Item = &'s Standing> {
        self.standings.iter().filter(move |s| match s.subject {
            Subject::Version(v) => versions.contains(&v),
            Subject::Value { dim, bit } => match req.values.get(dim) {
                Some(Some(Value::Set(mask))) => {
                    // The apps narrowed to `apps`.
                    let is_apps = Some(dim) == self.rules.apps_dim();
                    let narrow = apps.filter(|_| is_apps).unwrap_or(u64::MAX);
                    (mask & narrow) >> bit & 1 == 1
                }
                _ => false,
            },
        })
    }

    /// `confidence` as the answer states it (a confirmed answer that rests
    /// on a past retirement is only conditional), and the earliest day one
    /// retirement it rests on holds until (see [`Self::resting`]).
    fn standing(
        &self,
        req: &Requirements,
        apps: Option<u64>,
        versions: &[usize],
        confidence: Option<Confidence>,
    ) -> (Option<Confidence>, Option<Day>) {
        let resting = || self.resting(req, apps, versions);
        let until = resting().filter_map(|s| s.until).min();
        match confidence {
            Some(Confidence::Confirmed) if resting().any(|s| s.past) => {
                (Some(Confidence::Conditional), until)
            }
            c => (c, until),
        }
    }

    /// The confidence as the answer states it, and the day it holds until.
    pub fn dated_confidence(
        &self,
        req: &Requirements,
        out: &Outcome,
    ) -> (Option<Confidence>, Option<Day>) {
        // A single answer uses its first fitting version (no allocation).
        match out.kind {
            OutcomeKind::Single => self.standing(req, None, &out.fits[..1], out.confidence),
            _ => self.standing(req, None, &out.used(), out.confidence),
        }
    }

    /// A plan group's confidence as the answer states it, and the day it holds until.
    pub fn dated_group_confidence(
        &self,
        req: &Requirements,
        out: &Outcome,
        g: &Group,
    ) -> (Option<Confidence>, Option<Day>) {
        let confidence = self.rules.group_confidence(out, g);
        self.standing(req, Some(g.apps), &[g.version], confidence)
    }

    /// What the lifecycle says about an answer to `req` that uses
    /// `versions` (see [`Self::resting`]).
    pub fn dated_view(&self, req: &Requirements, versions: &[usize]) -> DatedView {
        let (matrix, as_of) = (self.matrix, self.as_of.day);
        let mut view = DatedView::default();
        let entries = self.resting(req, None, versions);
        for l in entries.map(|s| &matrix.lifecycle[s.entry]) {
            let d = dates_of(l);
            let now = phase(&d, as_of);
            let blocks = l.effect == Effect::Blocks;
            if !blocks && now == Phase::Ahead && l.applies_to.is_none() {
                continue;
            }
            let whom = match l.applies_to.as_deref() {
                Some("new-organisations") => " (for new organisations)",
                Some(_) => " (for some organisations)",
                None => "",
            };
            let basis = matrix.basis_stated().then_some(l.basis);
            let successor = self.successor_text(req, l);
            let next = successor
                .as_ref()
                .filter(|_| blocks)
                .map_or(String::new(), |next| format!(" Successor: {next}."));
            let text = format!(
                "{}{whom}: {}. {}{next}{}",
                l.name,
                timeline(&d, as_of),
                l.text.trim_end(),
                basis_suffix(basis, [l.source.as_ref()])
            );
            let gone = blocks && now == Phase::Past;
            view.caveats.push(Caveat {
                id: l
                    .id
                    .clone()
                    .unwrap_or_else(|| format!("lifecycle-{}", l.subject.replace('=', "-"))),
                kind: if gone {
                    CaveatKind::Blocking
                } else {
                    CaveatKind::Risk
                },
                text,
                basis,
                source: l.source.to_string(),
            });
            // The route to the successor: the matrix's own route for the same
            // subject when it has one, else one made from the successor.
            let route = match matrix.routes.iter().find(|r| r.for_ == l.subject) {
                _ if !gone => None,
                Some(r) => Some(RouteView::of(r)),
                None => successor.map(|next| RouteView {
                    for_: l.subject.to_string(),
                    text: format!("{} is no longer available: move to {next}.", l.name),
                    source: l.source.to_string(),
                }),
            };
            view.routes.extend(route);
        }
        view
    }

    /// "Copilot Service workspace in a Web browser, with CIF 2.0": the
    /// successor's names and the version the stated requirements get with it.
    fn successor_text(&self, req: &Requirements, l: &Lifecycle) -> Option<String> {
        if l.successor.is_empty() {
            return None;
        }
        let mut with = req.clone();
        let mut names = Vec::new();
        for (key, ids) in &l.successor.0 {
            let d = self.lexicon.dimension_index(key)?;
            // The display names of the values (an app's name for apps).
            let caps = super::rules::value_caps(self.matrix, &self.matrix.dimensions[d], "");
            let mut mask = 0u64;
            for id in ids {
                let i = self.lexicon.resolve(d, id).ok()?;
                mask |= 1 << i;
                names.push(caps.get(usize::from(i)).map_or("", |c| c.0));
            }
            with.values[d] = Some(Value::Set(mask));
        }
        let out = self.rules.core(&with);
        let version = out.recommended().map_or(String::new(), |v| {
            format!(", with {}", self.matrix.versions[v].name)
        });
        Some(format!("{}{version}", names.join(" in a ")))
    }

    /// One change per dated subject the requirements state that has a
    /// successor: "host: the successor of Unified Service Desk
    /// (apps: cs-workspace; host: browser)", setting every key it names.
    pub fn successor_changes(&self, req: &Requirements) -> Vec<(usize, String, Requirements)> {
        let mut out = Vec::new();
        let blocking = self.resting(req, None, &[]).filter(|s| s.blocks);
        'entry: for s in blocking.filter(|s| !self.matrix.lifecycle[s.entry].successor.is_empty()) {
            // (Resting on no version, each is a value's.)
            let Subject::Value { dim: d, .. } = s.subject else {
                continue;
            };
            let (l, key) = (&self.matrix.lifecycle[s.entry], &self.lexicon.keys()[d]);
            let mut changed = req.clone();
            let mut parts = Vec::new();
            for (k, ids) in &l.successor.0 {
                let Some(sd) = self.lexicon.dimension_index(k) else {
                    continue 'entry;
                };
                let mask = ids
                    .iter()
                    .filter_map(|id| self.lexicon.resolve(sd, id).ok())
                    .fold(0u64, |m, i| m | 1 << i);
                changed.values[sd] = Some(Value::Set(mask));
                changed.skipped &= !(1 << sd);
                parts.push(format!("{k}: {}", ids.join(", ")));
            }
            if changed.values != req.values {
                let words = format!("{key}: the successor of {} ({})", l.name, parts.join("; "));
                out.push((d, words, changed));
            }
        }
        out
    }
}
