//! JSON output: pretty-printed, one document, newline-terminated; and the
//! view of a decision that the JSON and YAML outputs write.

use crate::engine::{teams::TeamDecision, Decision, Engine};
use crate::error::Error;
use serde::Serialize;

/// The version of the JSON answer's layout (docs/recommend-schema.json).
pub const OUTPUT_SCHEMA_VERSION: u32 = 2;

/// This build's version, as the outputs name it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn to_string<T: Serialize>(value: &T) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Render(format!("render JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// A decision as the outputs write it: the engine's answer after the
/// layout's and the tool's versions, then the documentation of the versions
/// it uses, then the teams.
#[derive(Serialize)]
pub struct DecisionView<'a> {
    schema_version: u32,
    tool_version: &'static str,
    #[serde(flatten)]
    decision: &'a Decision,
    docs: Vec<&'a str>,
    teams: &'a [TeamDecision],
}

impl<'a> DecisionView<'a> {
    pub fn new(engine: &'a Engine, decision: &'a Decision) -> Self {
        DecisionView {
            schema_version: OUTPUT_SCHEMA_VERSION,
            tool_version: TOOL_VERSION,
            decision,
            docs: docs(engine, decision),
            teams: &decision.teams,
        }
    }
}

/// The documentation of the versions a decision uses (the next step); with
/// teams, of the versions theirs use, each once.
pub fn docs<'a>(engine: &'a Engine, d: &Decision) -> Vec<&'a str> {
    let used: Vec<usize> = match d.teams.is_empty() {
        true => d.core.used(),
        false => d
            .teams
            .iter()
            .flat_map(|t| t.decision.core.used())
            .collect(),
    };
    let mut docs: Vec<&str> = Vec::new();
    for v in used {
        let doc: &str = &engine.matrix.versions[v].docs;
        if !docs.contains(&doc) {
            docs.push(doc);
        }
    }
    docs
}
