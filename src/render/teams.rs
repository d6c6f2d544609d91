//! An organisation of teams, as text and as a decision record:
//! the organisation's headline naming every team, then each team's own
//! answer, rendered as a team stated alone would be.

use super::record::{self, escape};
use super::text::{plan_parts, stated_summary, version_for};
use super::{outline::confirmed_or_conditional, version_name};
use crate::engine::teams::TeamDecision;
use crate::engine::{Confidence, Decision, Engine, OutcomeKind, StatedRequirement};
use crate::output::Styles;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// The confidence as a team's or the organisation's headline says it,
/// " (confirmed)", or nothing without one.
fn confidence(d: &Decision) -> String {
    match d.confidence {
        Some(Confidence::Confirmed) => format!(" ({})", confirmed_or_conditional(d)),
        Some(c) => format!(" ({})", c.as_str()),
        None => String::new(),
    }
}

/// "CIF 2.0", "no CIF version", or "CIF 1.0 for Sales Hub and CIF 2.0 for …".
fn team_answer(engine: &Engine, d: &Decision) -> String {
    let answer = match d.outcome {
        OutcomeKind::Single => {
            version_name(engine, d.recommended.as_deref().unwrap_or("?")).to_string()
        }
        OutcomeKind::None if d.plan.is_empty() => "no CIF version".to_string(),
        _ => {
            let mut parts = plan_parts(engine, &d.plan);
            if !d.no_version.is_empty() {
                parts.push(version_for(engine, None, "", &d.no_version));
            }
            parts.join(" and ")
        }
    };
    format!("{answer}{}", confidence(d))
}

/// The organisation's headline: its outcome and each team's answer.
fn headline(engine: &Engine, d: &Decision) -> String {
    let team = |t: &TeamDecision| format!("{} → {}", t.name, team_answer(engine, &t.decision));
    let parts: Vec<String> = d.teams.iter().map(team).collect();
    let r = version_name(engine, d.recommended.as_deref().unwrap_or("?"));
    let lead = match d.outcome {
        OutcomeKind::Single => format!("Recommended: {r} for every team"),
        OutcomeKind::Plan => "Plan".to_string(),
        OutcomeKind::None => "No CIF version fits every team".to_string(),
    };
    format!("{lead}{}: {}", confidence(d), parts.join("; "))
}

/// The text answer for an organisation of teams.
pub fn text(engine: &Engine, d: &Decision, s: &Styles, verbose: bool) -> String {
    let (good, h) = (s.good, s.heading);
    let (headline, stated) = (headline(engine, d), stated_summary(&d.requirements));
    let mut out = format!("{good}{headline}{good:#}\nFor the organisation: {stated}\n");
    for t in &d.teams {
        let _ = writeln!(out, "\n{h}── Team \"{}\" ──{h:#}", t.name);
        out.push_str(&super::text::decision(engine, &t.decision, s, verbose));
    }
    out
}

/// The decision record of an organisation of teams: the summary, then each
/// team's record with its headings one level down.
pub fn record(engine: &Engine, d: &Decision, date: &str, command: Option<&str>) -> String {
    let mut out = format!("# CIF versions for {} teams\n\n", d.teams.len());
    record::write_facts(&mut out, d, date);
    let conf = d.confidence.map_or("none", |c| c.as_str());
    let _ = writeln!(out, "- Outcome: {}, confidence {conf}", d.outcome.as_str());
    if let Some(until) = &d.valid_until {
        let _ = writeln!(out, "- Valid until: {until}");
    }
    let stated = escape(&stated_summary(&d.requirements));
    let _ = writeln!(
        out,
        "\n## Context\n\nThe organisation: {stated}. Each team below is decided on its own requirements, as if stated alone.\n"
    );
    for t in &d.teams {
        let team = stated_summary(&t.decision.requirements);
        let _ = writeln!(out, "- **{}**: {}", escape(&t.name), escape(&team));
    }
    let _ = writeln!(out, "\n## Decision\n\n{}\n", escape(&headline(engine, d)));
    for t in &d.teams {
        let answer = team_answer(engine, &t.decision);
        let _ = writeln!(out, "- **{}**: {}", escape(&t.name), escape(&answer));
    }
    for t in &d.teams {
        let _ = writeln!(out, "\n## Team: {}\n", escape(&t.name));
        // The team's own record without its title, facts and Reproduce,
        // its headings one level down.
        let full = record::decision(engine, &t.decision, date, None);
        let body = full.lines().skip_while(|l| !l.starts_with("## "));
        for line in body.take_while(|l| !l.starts_with("## Reproduce")) {
            let hash = if line.starts_with('#') { "#" } else { "" };
            let _ = writeln!(out, "{hash}{line}");
        }
    }
    write_reproduce(&mut out, d, command);
    out
}

/// The `## Reproduce` section: the command line, if any, and the
/// normalised requirements as YAML, teams included (each team with the keys
/// it states over the organisation's), in a fenced block.
pub(crate) fn write_reproduce(out: &mut String, d: &Decision, command: Option<&str>) {
    let _ = writeln!(out, "\n## Reproduce\n");
    if let Some(c) = command {
        let _ = writeln!(out, "```sh\n{}\n```\n", c.replace("```", "'''"));
    }
    let mut doc = match serde_json::to_value(&d.requirements) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let team = |t: &TeamDecision| {
        let mut team = Map::from_iter([("name".to_string(), Value::from(t.name.clone()))]);
        let requirements = t.decision.requirements.iter();
        let own = requirements.filter(|r| d.requirements.get(&r.key) != Some(&r.value));
        let value = |r: &StatedRequirement| serde_json::to_value(&r.value).unwrap_or_default();
        team.extend(own.map(|r| (r.key.clone(), value(r))));
        Value::Object(team)
    };
    if !d.teams.is_empty() {
        let teams = d.teams.iter().map(team).collect();
        doc.insert(crate::teams::TEAMS_KEY.into(), teams);
    }
    let yaml = super::yaml::to_string(&doc).unwrap_or_default();
    // User text (team names) escaped; the fence is longer than any run of
    // backticks in it, so the block cannot close early.
    let yaml = crate::sanitize::escape_text(&yaml);
    let longest = yaml.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = write!(
        out,
        "The requirements, normalised (save them as a file for `--requirements`):\n\n{fence}yaml\n{yaml}{fence}\n"
    );
}
