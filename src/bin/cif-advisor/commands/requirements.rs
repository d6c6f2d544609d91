//! The requirements a command is given: a requirements file and the
//! requirement flags over it (shared by `recommend` and `migrate`), and
//! `--save FILE`.

use crate::cli::RequirementFlags;
use crate::error::CliError;
use cif_advisor::engine::Engine;
use cif_advisor::flags::{flag_for, RequirementFlag};
use cif_advisor::input;
use cif_advisor::requirements::{self, Requirements};
use cif_advisor::teams::Organisation;
use std::path::Path;

/// The largest requirements file accepted.
pub const MAX_REQUIREMENTS_BYTES: u64 = 1024 * 1024;

/// The organisation the command is given: a requirements file that may
/// describe teams, with the flags over its top level; and what
/// the flags alone state (a reproducing command line names them).
pub fn org_from_flags(
    engine: &Engine,
    flags: &RequirementFlags,
) -> Result<(Organisation, Requirements), CliError> {
    let mut org = match &flags.requirements {
        Some(path) => read_org(engine, path)?,
        None => Organisation::without_teams(Requirements::empty(engine.matrix)),
    };
    let flagged = crate::given::requirements_from(engine, &flags.given)?;
    // With teams, a flag that every team states for itself changes nothing.
    let every_team_states = |&(d, _): &(usize, _)| {
        !org.teams.is_empty() && org.teams.iter().all(|t| t.own.values[d].is_some())
    };
    if let Some((d, _)) = flagged.stated().find(every_team_states) {
        let key = &engine.matrix.dimensions[d].key;
        let names = org.teams.iter().map(|t| format!("\"{}\"", t.name));
        let flag = flag_for(key).map_or_else(|| key.to_string(), RequirementFlag::flag);
        return Err(CliError::Usage(format!(
            "{flag} changes nothing: every team states its own {key} ({}); drop {flag}, or change the teams in the requirements file",
            names.collect::<Vec<_>>().join(", ")
        )));
    }
    org.overlay_top(&flagged);
    Ok((org, flagged))
}

/// Reads a requirements file that may describe teams.
pub fn read_org(engine: &Engine, path: &Path) -> Result<Organisation, CliError> {
    let text = input::read_text(path, MAX_REQUIREMENTS_BYTES)
        .map_err(|e| CliError::Lib(cif_advisor::error::Error::RequirementsFile(e)))?;
    cif_advisor::teams::parse_organisation(&text, &engine.lexicon)
        .map_err(|e| CliError::input(format!("requirements file '{}': {e}", path.display())))
}

/// Writes an organisation as a requirements file (YAML) to `path`
/// (`--save FILE`), which `--requirements` reads back to the same
/// requirements: the stated keys, then `skipped`; or its own keys, then
/// `teams:` with each team's name and the keys it states itself. The file
/// is written whole or not at all (a failure leaves the old file as it was).
pub fn save(engine: &Engine, org: &Organisation, path: &Path) -> Result<(), CliError> {
    let mut doc = stated_map(engine, &org.top);
    let skipped = "# `skipped` lists what was left open on purpose.\n";
    let header = if org.teams.is_empty() {
        skipped
    } else {
        let teams: Vec<serde_json::Value> = org
            .teams
            .iter()
            .map(|t| {
                let mut team = serde_json::Map::new();
                team.insert("name".into(), t.name.clone().into());
                team.extend(stated_map(engine, &t.own));
                serde_json::Value::Object(team)
            })
            .collect();
        doc.insert(cif_advisor::teams::TEAMS_KEY.into(), teams.into());
        ""
    };
    // (No key at all is `{}`.)
    let body = cif_advisor::render::yaml::to_string(&doc)?;
    let text = format!(
        "# cif-advisor requirements: `cif-advisor recommend --requirements FILE` reads them.\n{header}{body}"
    );
    cif_advisor::output::write_file(path, &text).map_err(|e| {
        CliError::input(format!(
            "cannot write the requirements file '{}': {}; check the path and its permissions",
            path.display(),
            input::describe_io(&e)
        ))
    })
}

/// The stated keys of `req`, then `skipped` (the keys left open on purpose).
fn stated_map(engine: &Engine, req: &Requirements) -> serde_json::Map<String, serde_json::Value> {
    let stated = engine.requirements_json(req);
    let mut map = stated.as_object().cloned().unwrap_or_default();
    let skipped: Vec<serde_json::Value> = req
        .skipped_dims()
        .map(|d| engine.matrix.dimensions[d].key.to_string().into())
        .collect();
    if !skipped.is_empty() {
        map.insert(requirements::SKIPPED_KEY.into(), skipped.into());
    }
    map
}
