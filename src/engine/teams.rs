//! An organisation of teams: each team decided on its own
//! requirements exactly as if stated alone, then the organisation's answer.

use super::{Caveat, ChangeGroup, Confidence, Decision, Engine, OutcomeKind, PlanItem, RouteView};
use crate::requirements::Requirements;
use crate::teams::Organisation;
use serde::Serialize;

/// One team's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamDecision {
    pub name: String,
    pub decision: Decision,
}

impl Serialize for TeamDecision {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = &self.decision;
        serde_json::json!({
            "name": self.name, "requirements": d.requirements, "outcome": d.outcome,
            "recommended": d.recommended, "confidence": d.confidence,
            "conditional_on": d.conditional_on, "valid_until": d.valid_until, "plan": d.plan,
            "routes": d.routes, "evaluations": d.evaluations, "caveats": d.caveats,
            "unanswered": d.unanswered, "would_change": d.would_change,
            "relaxations": d.relaxations,
        })
        .serialize(s)
    }
}

/// What an organisation's answer reads of a team's (and a compact batch
/// line prints), made by [`Engine::headline`] from the rules and the dates
/// alone, without reasons, caveats or changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub outcome: OutcomeKind,
    pub recommended: Option<String>,
    pub confidence: Option<Confidence>,
    pub conditional_on: Vec<String>,
    pub valid_until: Option<String>,
    pub plan: Vec<PlanItem>,
    pub fits: Vec<String>,
    /// The stated apps, in matrix order.
    pub apps: Vec<String>,
    /// Per version that does not fit, in preference order: the
    /// requirements that fail it.
    pub failed: Vec<(String, Vec<String>)>,
}

/// An organisation's answer, briefly: its headline and each team's.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgHeadline {
    pub org: Headline,
    pub teams: Vec<(String, Headline)>,
}

impl Engine<'_> {
    /// The headline of the answer to `req`, from the rules and the dates
    /// alone: what [`Engine::evaluate`] states of it, without its words.
    pub fn headline(&self, req: &Requirements) -> Headline {
        let outcome = self.rules.outcome(req);
        let (confidence, valid_until) = self.dated_confidence(req, &outcome);
        Headline {
            outcome: outcome.kind,
            recommended: outcome
                .recommended()
                .map(|v| self.version_id(v).to_string()),
            confidence,
            conditional_on: self.keys(outcome.conditional_on),
            valid_until: valid_until.map(crate::dates::iso),
            plan: self.plan_items(req, &outcome),
            fits: self.ids(&outcome.fits),
            apps: self.app_ids(self.rules.stated_apps(req).unwrap_or(0)),
            failed: self
                .rules
                .order()
                .iter()
                .filter(|&&v| outcome.failed[v] != 0)
                .map(|&v| (self.version_id(v).to_string(), self.keys(outcome.failed[v])))
                .collect(),
        }
    }

    /// An organisation's answer, briefly (a compact batch line): each
    /// team's headline, and the organisation's made from them as
    /// [`Engine::evaluate_org`] makes it.
    pub fn headline_org(&self, org: &Organisation) -> OrgHeadline {
        let teams: Vec<(String, Headline)> = org
            .teams
            .iter()
            .map(|t| (t.name.clone(), self.headline(&t.req)))
            .collect();
        OrgHeadline {
            org: org_headline(self, &teams),
            teams,
        }
    }

    /// The answer for an organisation: its teams' answers, or the answer to
    /// its requirements when it describes no team.
    pub fn evaluate_org(&self, org: &Organisation) -> Decision {
        if org.teams.is_empty() {
            return self.evaluate(&org.top);
        }
        let teams: Vec<TeamDecision> = org
            .teams
            .iter()
            .map(|t| TeamDecision {
                name: t.name.clone(),
                decision: self.evaluate(&t.req),
            })
            .collect();
        let head = self.headline_org(org).org;
        compose(self, self.evaluate(&org.top), teams, head)
    }
}

/// The organisation's outcome: `single` when every team's is `single` with
/// the same version, `none` when some team's is `none`, else `plan`.
fn outcome_of<'a>(
    teams: impl Iterator<Item = (OutcomeKind, &'a Option<String>)> + Clone,
) -> (OutcomeKind, Option<String>) {
    let first = teams.clone().next().map_or(&None, |(_, r)| r);
    let split = teams.clone().any(|(_, r)| r != first);
    // The kinds are ordered single, plan, none (see `OutcomeKind`): the
    // furthest from one version wins.
    match teams.map(|(outcome, _)| outcome).max() {
        Some(OutcomeKind::Single) if split => (OutcomeKind::Plan, None),
        Some(OutcomeKind::Single) | None => (OutcomeKind::Single, first.clone()),
        Some(outcome) => (outcome, None),
    }
}

/// The version ids, in preference order, that `keep` keeps.
fn ordered(engine: &Engine, keep: impl Fn(&String) -> bool) -> Vec<String> {
    let ids = engine.ids(engine.rules.order());
    ids.into_iter().filter(keep).collect()
}

/// The organisation's headline from its teams': the outcome; the least
/// confidence (none when no version serves some team); the earliest day
/// it holds until; each team's plan items; the versions every team fits.
fn org_headline(engine: &Engine, teams: &[(String, Headline)]) -> Headline {
    let heads = || teams.iter().map(|(_, h)| h);
    let (outcome, recommended) = outcome_of(heads().map(|h| (h.outcome, &h.recommended)));
    Headline {
        outcome,
        recommended,
        confidence: match outcome {
            OutcomeKind::None => None,
            _ => heads().filter_map(|h| h.confidence).min(),
        },
        conditional_on: Vec::new(),
        valid_until: heads().filter_map(|h| h.valid_until.clone()).min(),
        plan: match outcome {
            OutcomeKind::Single => Vec::new(),
            _ => teams.iter().flat_map(|(n, h)| team_items(n, h)).collect(),
        },
        fits: ordered(engine, |v| heads().all(|h| h.fits.contains(v))),
        apps: Vec::new(),
        failed: Vec::new(),
    }
}

/// The organisation's answer: its headline `head` and the teams' answers
/// composed, with the top level's own requirements as its `requirements`.
fn compose(engine: &Engine, top: Decision, teams: Vec<TeamDecision>, head: Headline) -> Decision {
    let decisions = || teams.iter().map(|t| &t.decision);
    let mut routes: Vec<RouteView> = Vec::new();
    for r in decisions().flat_map(|d| d.routes.iter()) {
        if !routes.iter().any(|o| o.for_ == r.for_) {
            routes.push(r.clone());
        }
    }
    Decision {
        outcome: head.outcome,
        recommended: head.recommended,
        confidence: head.confidence,
        conditional_on: union(decisions().flat_map(|d| &d.conditional_on)),
        valid_until: head.valid_until,
        open_on: union(decisions().flat_map(|d| &d.open_on)),
        plan: head.plan,
        no_version: union(decisions().flat_map(|d| &d.no_version)),
        unmet: union(decisions().flat_map(|d| &d.unmet)),
        routes,
        fits: head.fits,
        caveats: caveats(&teams),
        unanswered: union(decisions().flat_map(|d| &d.unanswered)),
        would_change: teams
            .iter()
            .enumerate()
            .flat_map(|(i, t)| named_changes(engine, &teams, i, t))
            .collect(),
        matrix_reviewed: top.matrix_reviewed,
        as_of: top.as_of,
        requirements: top.requirements,
        skipped: top.skipped,
        core: top.core,
        as_of_given: top.as_of_given,
        teams,
        ..Decision::default()
    }
}

/// The plan items of one team, each naming it: its own plan, or one item
/// for the version its stated apps get.
fn team_items(name: &str, h: &Headline) -> Vec<PlanItem> {
    let mut items = match h.outcome {
        OutcomeKind::Single => vec![PlanItem {
            team: None,
            apps: h.apps.clone(),
            version: h.recommended.clone().unwrap_or_default(),
            confidence: h.confidence,
            conditional_on: h.conditional_on.clone(),
            unmet: Vec::new(),
            valid_until: h.valid_until.clone(),
        }],
        _ => h.plan.clone(),
    };
    for item in &mut items {
        item.team = Some(name.to_string());
    }
    items
}

/// Every team's caveats, each once, blocking first; a caveat that only some
/// teams have says whose it is.
fn caveats(teams: &[TeamDecision]) -> Vec<Caveat> {
    let mut out: Vec<Caveat> = Vec::new();
    for c in teams.iter().flat_map(|t| t.decision.caveats.iter()) {
        if !out.iter().any(|o| o.id == c.id) {
            let whose: Vec<&str> = teams
                .iter()
                .filter(|t| t.decision.caveats.iter().any(|x| x.id == c.id))
                .map(|t| t.name.as_str())
                .collect();
            let mut c = c.clone();
            if whose.len() < teams.len() {
                c.text = format!("{}: {}", whose.join(", "), c.text);
            }
            out.push(c);
        }
    }
    out.sort_by_key(|c| c.kind);
    out
}

/// One team's answer as the organisation's outcome reads it.
struct Part<'a> {
    outcome: OutcomeKind,
    recommended: &'a Option<String>,
    fits: &'a [String],
    /// The versions it uses: the recommended one, else its plan's.
    used: Vec<&'a String>,
}

/// A team's changes, each naming the team, each with the organisation's
/// answer after it (the other teams' answers as they are).
fn named_changes(
    engine: &Engine,
    teams: &[TeamDecision],
    i: usize,
    t: &TeamDecision,
) -> Vec<ChangeGroup> {
    let mut groups = t.decision.would_change.clone();
    for g in &mut groups {
        // Each team's answer as the organisation's outcome reads it, this
        // one's changed (a single answer has no plan).
        let mut parts: Vec<Part> = teams
            .iter()
            .map(|o| &o.decision)
            .map(|d| Part {
                outcome: d.outcome,
                recommended: &d.recommended,
                fits: &d.fits,
                used: d
                    .recommended
                    .iter()
                    .chain(d.plan.iter().map(|p| &p.version))
                    .collect(),
            })
            .collect();
        parts[i] = Part {
            outcome: g.outcome,
            recommended: &g.recommended,
            fits: &g.fits,
            used: g.recommended.iter().chain(&g.plan).collect(),
        };
        let (outcome, recommended) = outcome_of(parts.iter().map(|p| (p.outcome, p.recommended)));
        let fits = ordered(engine, |v| parts.iter().all(|p| p.fits.contains(v)));
        let plan = match outcome {
            OutcomeKind::Plan => ordered(engine, |v| parts.iter().any(|p| p.used.contains(&v))),
            _ => Vec::new(),
        };
        (g.outcome, g.recommended, g.fits, g.plan) = (outcome, recommended, fits, plan);
        for c in &mut g.changes {
            c.change = format!("{}: {}", t.name, c.change);
        }
    }
    groups
}

/// The distinct strings, in order of first appearance.
pub(super) fn union<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in items {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}
