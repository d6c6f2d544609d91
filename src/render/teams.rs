//! An organisation of teams (SPEC 4.9), as text and as a decision record:
//! the organisation's headline naming every team, then each team's own
//! answer, rendered as a team stated alone would be.

use super::version_name;
use crate::engine::teams::TeamDecision;
use crate::engine::{Confidence, Decision, Engine, OutcomeKind};
use crate::output::Styles;
use std::fmt::Write as _;

/// "CIF 2.0", "no CIF version", or "CIF 1.0 for Sales Hub and CIF 2.0 for …".
fn team_answer(engine: &Engine, d: &Decision) -> String {
    let answer = match d.outcome {
        OutcomeKind::Single => {
            version_name(engine, d.recommended.as_deref().unwrap_or("?")).to_string()
        }
        OutcomeKind::None if d.plan.is_empty() => "no CIF version".to_string(),
        _ => {
            let mut parts: Vec<String> = d
                .plan
                .iter()
                .map(|p| super::text::version_for(engine, Some(&p.version), "", &p.apps))
                .collect();
            if !d.no_version.is_empty() {
                parts.push(super::text::version_for(engine, None, "", &d.no_version));
            }
            parts.join(" and ")
        }
    };
    let conf = match d.confidence {
        Some(Confidence::Confirmed) => super::outline::confirmed_or_conditional(d),
        Some(c) => c.as_str().to_string(),
        None => return answer,
    };
    format!("{answer} ({conf})")
}

/// The organisation's headline: its outcome and each team's answer.
pub fn headline(engine: &Engine, d: &Decision) -> String {
    let parts: Vec<String> = d
        .teams
        .iter()
        .map(|t| format!("{} → {}", t.name, team_answer(engine, &t.decision)))
        .collect();
    let lead = match d.outcome {
        OutcomeKind::Single => format!(
            "Recommended: {} for every team",
            version_name(engine, d.recommended.as_deref().unwrap_or("?"))
        ),
        OutcomeKind::Plan => "Plan".to_string(),
        OutcomeKind::None => "No CIF version fits every team".to_string(),
    };
    let conf = match d.confidence {
        Some(Confidence::Confirmed) => {
            format!(" ({})", super::outline::confirmed_or_conditional(d))
        }
        Some(c) => format!(" ({})", c.as_str()),
        None => String::new(),
    };
    format!("{lead}{conf}: {}", parts.join("; "))
}

/// The text answer for an organisation of teams.
pub fn text(engine: &Engine, d: &Decision, s: &Styles, verbose: bool) -> String {
    let mut out = String::new();
    let (good, h) = (s.good, s.heading);
    let _ = writeln!(out, "{good}{}{good:#}", headline(engine, d));
    let stated = super::text::stated_summary(&d.requirements);
    if !stated.is_empty() {
        let _ = writeln!(out, "For the organisation: {stated}");
    }
    for t in &d.teams {
        let _ = writeln!(out, "\n{h}── Team \"{}\" ──{h:#}", t.name);
        out.push_str(&super::text::decision(engine, &t.decision, s, verbose));
    }
    out
}

/// The decision record of an organisation of teams: the summary, then each
/// team's record with its headings one level down.
pub fn record(
    engine: &Engine,
    d: &Decision,
    date: &str,
    command: Option<&str>,
    reproduce: &str,
) -> String {
    let mut out = String::new();
    let esc = super::record::escape;
    let _ = writeln!(out, "# CIF versions for {} teams\n", d.teams.len());
    super::record::write_facts(&mut out, d, date);
    let conf = d
        .confidence
        .map_or("none".to_string(), |c| c.as_str().to_string());
    let _ = writeln!(out, "- Outcome: {}, confidence {conf}", d.outcome.as_str());
    if let Some(until) = &d.valid_until {
        let _ = writeln!(out, "- Valid until: {until}");
    }
    let _ = writeln!(out, "\n## Context\n");
    let stated = super::text::stated_summary(&d.requirements);
    let _ = writeln!(
        out,
        "The organisation: {}. Each team below is decided on its own requirements, as if stated alone.\n",
        if stated.is_empty() { "no key of its own".to_string() } else { esc(&stated) }
    );
    for t in &d.teams {
        let team = super::text::stated_summary(&t.decision.requirements);
        let _ = writeln!(out, "- **{}**: {}", esc(&t.name), esc(&team));
    }
    let _ = writeln!(out, "\n## Decision\n");
    let _ = writeln!(out, "{}\n", esc(&headline(engine, d)));
    for t in &d.teams {
        let answer = team_answer(engine, &t.decision);
        let _ = writeln!(out, "- **{}**: {}", esc(&t.name), esc(&answer));
    }
    for t in &d.teams {
        let _ = writeln!(out, "\n## Team: {}\n", esc(&t.name));
        out.push_str(&team_body(engine, t, date));
    }
    let _ = writeln!(out, "\n## Reproduce\n");
    if let Some(c) = command {
        let _ = writeln!(out, "```sh\n{}\n```\n", c.replace("```", "'''"));
    }
    out.push_str(reproduce);
    out
}

/// A team's own record without its title, date and Reproduce, headings down one level.
fn team_body(engine: &Engine, t: &TeamDecision, date: &str) -> String {
    let full = super::record::decision(engine, &t.decision, date, None);
    let mut out = String::new();
    let mut started = false;
    for line in full.lines() {
        if line.starts_with("## Reproduce") {
            break;
        }
        if line.starts_with("## ") {
            started = true;
        }
        if !started {
            continue;
        }
        if line.starts_with('#') {
            let _ = writeln!(out, "#{line}");
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// The `## Reproduce` block's requirements (SPEC 4.9): the normalised
/// requirements as YAML, teams included (each team with the keys it states
/// over the organisation's), in a fenced block.
pub fn reproduce_yaml(d: &Decision) -> String {
    let mut doc = match serde_json::to_value(&d.requirements) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    if !d.teams.is_empty() {
        let teams: Vec<serde_json::Value> = d
            .teams
            .iter()
            .map(|t| {
                let mut team = serde_json::Map::new();
                team.insert("name".into(), t.name.clone().into());
                for r in t.decision.requirements.iter() {
                    if d.requirements.get(&r.key) != Some(&r.value) {
                        let value = serde_json::to_value(&r.value).unwrap_or_default();
                        team.insert(r.key.clone(), value);
                    }
                }
                serde_json::Value::Object(team)
            })
            .collect();
        doc.insert(crate::teams::TEAMS_KEY.into(), teams.into());
    }
    let yaml = if doc.is_empty() {
        "{}\n".to_string()
    } else {
        super::yaml::to_string(&doc).unwrap_or_default()
    };
    // User text (team names) escaped; the fence is longer than any run of
    // backticks in it, so the block cannot close early.
    let yaml = crate::sanitize::escape_text(&yaml);
    let longest = yaml.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!(
        "The requirements, normalised (save them as a file for `--requirements`):\n\n{fence}yaml\n{yaml}{fence}\n"
    )
}
