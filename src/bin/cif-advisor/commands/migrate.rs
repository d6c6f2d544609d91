//! `migrate`: the 1.0 → 2.0 checklist, tailored by the requirement flags.
//!
//! With requirements, it runs the engine on them first: the
//! checklist covers the parts the answer puts on CIF 2.0 and names them;
//! when no part goes to 2.0 it says why in one line (exit 0). A requirements
//! file with teams gives one checklist per team that moves to 2.0.

use super::requirements::org_from_flags;
use super::{write_as, Context};
use crate::cli::MigrateArgs;
use cif_advisor::engine::{Decision, Engine, OutcomeKind};
use cif_advisor::exit::ExitCode;
use cif_advisor::knowledge::{
    migrate_guide, migrate_view, problem_catalogue, MigrateGuide, ProblemCatalogue,
};
use cif_advisor::render::{self, Format};
use cif_advisor::requirements::{Requirements, Value};
use serde_json::{json, Value as Json};

/// The version the checklist moves a provider to (the guide's subject).
const TARGET: &str = "2.0";

pub fn run(ctx: &Context, args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let (guide, problems, format) = (migrate_guide()?, problem_catalogue()?, args.format);
    if !args.requirements.any() {
        let view = migrate_view(&guide, &problems, None)?;
        let text = render::migrate::migrate(&view, format, &ctx.styles())?;
        return write_as(text, format);
    }
    let matrix = ctx.load_matrix()?;
    let engine = Engine::new(&matrix).at(ctx.as_of);
    let (org, _) = org_from_flags(&engine, &args.requirements)?;
    let parts: Vec<(Option<&str>, &Requirements)> = if org.teams.is_empty() {
        vec![(None, &org.top)]
    } else {
        org.teams
            .iter()
            .map(|t| (Some(t.name.as_str()), &t.req))
            .collect()
    };
    let (texts, mut values): (Vec<String>, Vec<Json>) = parts
        .into_iter()
        .map(|(team, req)| part(ctx, &engine, (&guide, &problems), team, req, format))
        .collect::<anyhow::Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    let out = match format {
        Format::Json | Format::Yaml if org.teams.is_empty() => values.remove(0),
        Format::Json | Format::Yaml => json!({
            "applies": values.iter().any(|v| v["applies"] == true),
            "teams": values,
        }),
        _ => return write_as(texts.join("\n"), format),
    };
    let text = match format {
        Format::Yaml => render::yaml::to_string(&out)?,
        _ => render::json::to_string(&out)?,
    };
    write_as(text, format)
}

/// One part (the organisation, or a team): its checklist, or the line that
/// says why it has none; as text in `format`, and as a JSON value.
fn part(
    ctx: &Context,
    engine: &Engine,
    (guide, problems): (&MigrateGuide, &ProblemCatalogue),
    team: Option<&str>,
    req: &Requirements,
    format: Format,
) -> anyhow::Result<(String, Json)> {
    let decision = engine.evaluate(req);
    let heading = match (team, format) {
        (Some(name), Format::Markdown) => format!("# Team: {}\n\n", render::record::escape(name)),
        (Some(name), _) => format!("Team \"{name}\"\n"),
        (None, _) => String::new(),
    };
    // Nothing on 2.0 today, but a retirement the answer rests on points to
    // a successor on 2.0 (Unified Service Desk): the checklist moves there.
    let successor = || {
        engine
            .successor_changes(req)
            .into_iter()
            .find_map(|(_, words, changed)| {
                let d = engine.evaluate(&changed);
                on_target(engine, &d, &changed).map(|m| (words, m))
            })
    };
    let target = on_target(engine, &decision, req)
        .map(|m| (m, None))
        .or_else(|| successor().map(|(words, m)| (m, Some(words))));
    let Some((moving, through)) = target else {
        let reason = no_part_reason(engine, &decision);
        let mut value =
            json!({"applies": false, "reason": reason, "requirements": decision.requirements});
        if let Some(name) = team {
            value["name"] = json!(name);
        }
        return Ok((format!("{heading}{reason}\n"), value));
    };
    let apps = engine.stated_app_ids(&engine.stated(&moving));
    let view = migrate_view(guide, problems, Some((engine, &moving)))?;
    let mut value = serde_json::to_value(&view)?;
    value["applies"] = json!(true);
    value["part"] = json!(apps);
    if let Some(name) = team {
        value["name"] = json!(name);
    }
    let mut text = heading;
    if let Some(words) = &through {
        // The retirement's own words: its name and dates.
        let caveats = engine.dated_view(req, &[]).caveats;
        let dated = caveats
            .first()
            .map_or("", |c| c.text.split(". ").next().unwrap_or(""));
        text.push_str(&format!(
            "No part is on CIF 2.0 today, but the answer rests on a retirement ({dated}); this checklist moves to its successor: {words}.\n\n"
        ));
        value["through_successor"] = json!(words);
    }
    if through.is_none() && decision.outcome != OutcomeKind::Single && !apps.is_empty() {
        let names = render::app_names(engine, &apps).join(", ");
        text.push_str(&format!(
            "The part of the answer on CIF {TARGET}: {names} (the other parts stay where they are).\n\n"
        ));
    }
    let checklist = render::migrate::migrate(&view, format, &ctx.styles())?;
    if team.is_some() && format == Format::Markdown {
        // Under the team's heading, the checklist's own headings go one level down.
        for line in checklist.lines() {
            let deeper = if line.starts_with('#') { "#" } else { "" };
            text.push_str(&format!("{deeper}{line}\n"));
        }
    } else {
        text.push_str(&checklist);
    }
    Ok((text, value))
}

/// The requirements of the part that moves to the target version: the
/// whole answer when it is the target, else the apps of its groups on it.
fn on_target(engine: &Engine, d: &Decision, req: &Requirements) -> Option<Requirements> {
    if d.outcome == OutcomeKind::Single {
        return (d.recommended.as_deref() == Some(TARGET)).then(|| req.clone());
    }
    let ad = engine.rules.apps_dim()?;
    let mask = d
        .plan
        .iter()
        .filter(|p| p.version == TARGET)
        .flat_map(|p| p.apps.iter())
        .filter_map(|a| engine.matrix.apps.iter().position(|x| x.id == *a))
        .fold(0u64, |m, i| m | 1 << i);
    (mask != 0).then(|| {
        let mut part = req.clone();
        part.values[ad] = Some(Value::Set(mask));
        part
    })
}

/// Why a part has nothing to migrate, in one line.
fn no_part_reason(engine: &Engine, d: &Decision) -> String {
    let answer = match (d.outcome, d.recommended.as_deref()) {
        (OutcomeKind::Single, Some(v)) => {
            format!("the answer is {}", render::version_name(engine, v))
        }
        (OutcomeKind::None, _) => "no CIF version fits them".to_string(),
        _ => format!("no part of the plan is on CIF {TARGET}"),
    };
    format!(
        "Nothing to migrate: {answer}, so no provider moves from CIF 1.0 to CIF {TARGET} (`cif-advisor recommend` with the same requirements says why)."
    )
}
