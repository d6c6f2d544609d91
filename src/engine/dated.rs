//! Lifecycle dates (SPEC 4.9): what an answer rests on that is deprecated,
//! past its end of support or removed at the evaluation date.

use super::{reasons::basis_suffix, Caveat, RouteView};
use crate::dates::{from_days, iso, parse_day_or_month, spell};
use crate::matrix::{AppState, CaveatKind, Effect, Lifecycle, Matrix};

/// A calendar day (year, month, day).
pub type Day = (u32, u32, u32);

/// Today, from the system clock (UTC).
pub fn today() -> Day {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    from_days((secs / 86_400) as i64)
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
    let read = |d: &Option<std::borrow::Cow<str>>, last| {
        d.as_deref().and_then(|t| parse_day_or_month(t, last))
    };
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
    let mut parts = Vec::new();
    if let Some((day, month)) = d.deprecated {
        let verb = if day <= as_of {
            "deprecated"
        } else {
            "to be deprecated"
        };
        parts.push(format!("{verb} {}", spell(day, month)));
    }
    if let Some((day, month)) = d.end_of_support {
        let verb = if day < as_of {
            "out of support after"
        } else {
            "supported until"
        };
        parts.push(format!("{verb} {}", spell(day, month)));
    }
    if let Some((day, month)) = d.removed {
        let verb = if day <= as_of {
            "removed"
        } else {
            "to be removed"
        };
        parts.push(format!("{verb} {}", spell(day, month)));
    }
    parts.join("; ")
}

/// Sets each app's state (and its replacement) from the lifecycle at `as_of`:
/// removed, deprecated, or limited when the dates concern only some
/// organisations. An app with no dated entry keeps the state it states.
pub fn apply(matrix: &mut Matrix, as_of: Day) {
    // The entries are read while the apps change (no copy of the lifecycle).
    let Matrix {
        lifecycle, apps, ..
    } = matrix;
    for l in lifecycle.iter() {
        let Some(id) = l.subject.strip_prefix("apps=") else {
            continue;
        };
        let Some(app) = apps.iter_mut().find(|a| a.id == id) else {
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
        app.state = app.state.max_by(state);
        if app.replaced_by.is_none() {
            if let Some(next) = l.successor.get("apps").and_then(|a| a.first()) {
                app.replaced_by = Some(next.clone().into());
            }
        }
    }
}

impl AppState {
    /// The weaker of two states (removed weakest).
    fn max_by(self, other: AppState) -> AppState {
        let rank = |s: AppState| match s {
            AppState::Active => 0,
            AppState::Limited => 1,
            AppState::Deprecated => 2,
            AppState::Removed => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// What the dates say about one answer, in words: its caveats and the
/// routes to successors. (Whether they block it, and until when it holds,
/// is [`Standing`]'s, read without words.)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatedView {
    pub caveats: Vec<Caveat>,
    pub routes: Vec<RouteView>,
}

/// A `blocks` entry of the lifecycle read at the evaluation date, against
/// the matrix's indices: the value or version it concerns, whether it is
/// past (removed or out of support), and else the day it holds until.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    subject: Subject,
    past: bool,
    until: Option<Day>,
}

#[derive(Debug, Clone, PartialEq)]
enum Subject {
    /// Bit `bit` of dimension `dim` (an app, when `apps`).
    Value {
        dim: usize,
        bit: u32,
        apps: bool,
    },
    Version(usize),
}

/// The lifecycle's `blocks` entries read at `as_of` (an entry whose
/// subject the matrix lacks concerns nothing).
pub fn standings(matrix: &Matrix, as_of: Day) -> Vec<Standing> {
    use crate::matrix::DimensionKind;
    let read = |l: &Lifecycle| {
        let (key, id) = l.subject.split_once('=')?;
        let subject = if key == "version" {
            Subject::Version(matrix.versions.iter().position(|v| v.id == id)?)
        } else {
            let dim = matrix.dimensions.iter().position(|d| d.key == key)?;
            let apps = matrix.dimensions[dim].kind == DimensionKind::Apps;
            let bit = if apps {
                matrix.apps.iter().position(|a| a.id == id)?
            } else {
                matrix.dimensions[dim]
                    .values
                    .iter()
                    .position(|v| v.id == id)?
            };
            Subject::Value {
                dim,
                bit: u32::try_from(bit).ok()?,
                apps,
            }
        };
        let d = dates_of(l);
        let past = phase(&d, as_of) == Phase::Past;
        let until = d.end_of_support.or(d.removed).map(|(day, _)| day);
        Some(Standing {
            subject,
            past,
            until: until.filter(|&day| !past && day >= as_of),
        })
    };
    matrix
        .lifecycle
        .iter()
        .filter(|l| l.effect == Effect::Blocks)
        .filter_map(read)
        .collect()
}

/// Weighs the lifecycle entries whose subject is among `subjects`
/// (`apps=ID`, `host=usd`, `version=ID`) at `as_of`.
pub fn assess(
    matrix: &Matrix,
    subjects: &[String],
    as_of: Day,
    successor: &dyn Fn(&Lifecycle) -> Option<String>,
) -> DatedView {
    let mut view = DatedView::default();
    let stated = matrix.basis_stated();
    for l in matrix
        .lifecycle
        .iter()
        .filter(|l| subjects.iter().any(|s| *s == l.subject))
    {
        let d = dates_of(l);
        let now = phase(&d, as_of);
        let blocks = l.effect == Effect::Blocks;
        let kind = if blocks && now == Phase::Past {
            CaveatKind::Blocking
        } else {
            CaveatKind::Risk
        };
        if !blocks && now == Phase::Ahead && l.applies_to.is_none() {
            continue;
        }
        let whom = match l.applies_to.as_deref() {
            Some("new-organisations") => " (for new organisations)",
            Some(_) => " (for some organisations)",
            None => "",
        };
        let basis = stated.then_some(l.basis);
        let next = match successor(l) {
            Some(next) if blocks => format!(" Successor: {next}."),
            _ => String::new(),
        };
        let text = format!(
            "{}{whom}: {}. {}{next}{}",
            l.name,
            timeline(&d, as_of),
            l.text.trim_end(),
            basis_suffix(basis, [l.source.as_ref()])
        );
        view.caveats.push(Caveat {
            id: l.id.as_deref().map_or_else(
                || format!("lifecycle-{}", l.subject.replace('=', "-")),
                str::to_string,
            ),
            kind,
            text,
            basis,
            source: l.source.to_string(),
        });
        if blocks && now == Phase::Past {
            push_route(matrix, l, successor, &mut view.routes);
        }
    }
    view
}

/// The route to an entry's successor: the matrix's own route for the same
/// subject when it has one, else one made from the successor.
fn push_route(
    matrix: &Matrix,
    l: &Lifecycle,
    successor: &dyn Fn(&Lifecycle) -> Option<String>,
    routes: &mut Vec<RouteView>,
) {
    let route = match matrix.routes.iter().find(|r| r.for_ == l.subject) {
        Some(r) => RouteView {
            for_: r.for_.to_string(),
            text: r.text.to_string(),
            source: r.source.to_string(),
        },
        None => {
            let Some(next) = successor(l) else { return };
            RouteView {
                for_: l.subject.to_string(),
                text: format!("{} is no longer available: move to {next}.", l.name),
                source: l.source.to_string(),
            }
        }
    };
    if !routes.iter().any(|r| r.for_ == route.for_) {
        routes.push(route);
    }
}

/// "April 2027" when the date is the last day of its month, else the day.
pub fn until_text(day: Day) -> String {
    let last = parse_day_or_month(&iso(day)[..7], true).map(|(d, _)| d);
    spell(day, last == Some(day))
}

impl super::Engine<'_> {
    /// The lifecycle subjects an answer rests on: its stated values (the
    /// apps narrowed to `apps`) and the versions it uses.
    pub fn subjects(
        &self,
        req: &crate::requirements::Requirements,
        apps: Option<u64>,
        versions: &[usize],
    ) -> Vec<String> {
        use crate::matrix::DimensionKind;
        use crate::requirements::{bits, Value};
        let mut out = Vec::new();
        for (d, value) in req.stated() {
            let (Some(dim), Value::Set(mask)) = (self.matrix.dimensions.get(d), value) else {
                continue;
            };
            match dim.kind {
                DimensionKind::Apps => out.extend(
                    bits(apps.unwrap_or(mask) & mask)
                        .filter_map(|a| self.matrix.apps.get(a))
                        .map(|a| format!("apps={}", a.id)),
                ),
                DimensionKind::Choice | DimensionKind::Multi => out.extend(
                    bits(mask)
                        .filter_map(|b| self.lexicon.value_ids(d).get(b))
                        .map(|id| format!("{}={id}", dim.key)),
                ),
                _ => {}
            }
        }
        out.extend(
            versions
                .iter()
                .map(|&v| format!("version={}", self.version_id(v))),
        );
        out
    }

    /// Whether a retirement the answer rests on is past, and the earliest
    /// day one it rests on holds until: its stated values (the apps
    /// narrowed to `apps`) and the versions it uses, as [`Self::subjects`].
    pub fn standing(
        &self,
        req: &crate::requirements::Requirements,
        apps: Option<u64>,
        versions: &[usize],
    ) -> (bool, Option<Day>) {
        use crate::requirements::Value;
        let (mut past, mut until) = (false, None::<Day>);
        for s in &self.standings {
            let rests = match s.subject {
                Subject::Version(v) => versions.contains(&v),
                Subject::Value {
                    dim,
                    bit,
                    apps: is_apps,
                } => match req.values.get(dim) {
                    Some(Some(Value::Set(mask))) => {
                        let mask = if is_apps {
                            apps.unwrap_or(*mask) & mask
                        } else {
                            *mask
                        };
                        mask >> bit & 1 == 1
                    }
                    _ => false,
                },
            };
            if rests {
                past |= s.past;
                if let Some(day) = s.until {
                    until = Some(until.map_or(day, |u| u.min(day)));
                }
            }
        }
        (past, until)
    }

    /// The confidence as the answer states it (a retirement it rests on
    /// makes it at most conditional), and the day it holds until.
    pub fn dated_confidence(
        &self,
        req: &crate::requirements::Requirements,
        out: &super::Outcome,
    ) -> (Option<super::Confidence>, Option<Day>) {
        use super::{Confidence, OutcomeKind};
        let (past, until) = match out.kind {
            OutcomeKind::Single => self.standing(req, None, &out.fits[..1]),
            _ => {
                let used: Vec<usize> = out.groups.iter().map(|g| g.version).collect();
                self.standing(req, None, &used)
            }
        };
        let confidence = match out.confidence {
            Some(Confidence::Confirmed) if past => Some(Confidence::Conditional),
            c => c,
        };
        (confidence, until)
    }

    /// A plan group's confidence as the answer states it (a retirement the
    /// group rests on makes it at most conditional), and the day it holds until.
    pub fn dated_group_confidence(
        &self,
        req: &crate::requirements::Requirements,
        out: &super::Outcome,
        g: &super::Group,
    ) -> (Option<super::Confidence>, Option<Day>) {
        use super::Confidence;
        let (past, until) = self.standing(req, Some(g.apps), &[g.version]);
        let confidence = match self.rules.group_confidence(out, g) {
            Some(Confidence::Confirmed) if past => Some(Confidence::Conditional),
            c => c,
        };
        (confidence, until)
    }

    /// What the lifecycle says about an answer resting on `subjects`.
    pub fn dated_view(
        &self,
        req: &crate::requirements::Requirements,
        subjects: &[String],
    ) -> DatedView {
        assess(self.matrix, subjects, self.as_of.day, &|l| {
            self.successor_text(req, l)
        })
    }

    /// "Copilot Service workspace in a Web browser, with CIF 2.0": the
    /// successor's names and the version the stated requirements get with it.
    fn successor_text(
        &self,
        req: &crate::requirements::Requirements,
        l: &Lifecycle,
    ) -> Option<String> {
        use crate::requirements::Value;
        if l.successor.is_empty() {
            return None;
        }
        let mut with = req.clone();
        let mut names = Vec::new();
        for (key, ids) in &l.successor.0 {
            let d = self.lexicon.dimension_index(key)?;
            let mut mask = 0u64;
            for id in ids {
                let i = self.lexicon.resolve(d, id).ok()?;
                mask |= 1 << i;
                names.push(self.value_name(d, i as usize));
            }
            with.values[d] = Some(Value::Set(mask));
        }
        let out = self.rules.core(&with);
        let version = match out.recommended() {
            Some(v) => format!(", with {}", self.matrix.versions[v].name),
            None => String::new(),
        };
        Some(format!("{}{version}", names.join(" in a ")))
    }

    /// The display name of value `i` of dimension `d` (an app's name for apps).
    fn value_name(&self, d: usize, i: usize) -> String {
        let dim = &self.matrix.dimensions[d];
        if dim.kind == crate::matrix::DimensionKind::Apps {
            return self
                .matrix
                .apps
                .get(i)
                .map_or_else(String::new, |a| a.name.to_string());
        }
        dim.values
            .get(i)
            .map_or_else(String::new, |c| c.name.to_string())
    }
}

impl super::Engine<'_> {
    /// One change per dated subject the requirements state that has a
    /// successor (SPEC 4.9): "host: the successor of Unified Service Desk
    /// (apps: cs-workspace; host: browser)", setting every key it names.
    pub fn successor_changes(
        &self,
        req: &crate::requirements::Requirements,
    ) -> Vec<(usize, String, crate::requirements::Requirements)> {
        use crate::requirements::Value;
        let stated = self.subjects(req, None, &[]);
        let mut out = Vec::new();
        for l in self.matrix.lifecycle.iter().filter(|l| {
            l.effect == Effect::Blocks
                && !l.successor.is_empty()
                && stated.contains(&l.subject.to_string())
        }) {
            let Some((key, _)) = l.subject.split_once('=') else {
                continue;
            };
            let Some(d) = self.lexicon.dimension_index(key) else {
                continue;
            };
            let mut changed = req.clone();
            let mut words = Vec::new();
            let mut ok = true;
            for (k, ids) in &l.successor.0 {
                let Some(sd) = self.lexicon.dimension_index(k) else {
                    ok = false;
                    break;
                };
                let mask = ids
                    .iter()
                    .filter_map(|id| self.lexicon.resolve(sd, id).ok())
                    .fold(0u64, |m, i| m | 1 << i);
                changed.values[sd] = Some(Value::Set(mask));
                changed.skipped &= !(1 << sd);
                words.push(format!("{k}: {}", ids.join(", ")));
            }
            if ok && changed.values != req.values {
                out.push((
                    d,
                    format!("{key}: the successor of {} ({})", l.name, words.join("; ")),
                    changed,
                ));
            }
        }
        out
    }
}
