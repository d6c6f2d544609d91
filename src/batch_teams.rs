//! Batch lines that describe teams (SPEC 4.9): the slower, serde-built path
//! beside the compact writer of plain lines.

use crate::engine::{teams::TeamDecision, Decision, Engine, Status};
use crate::matrix::Scope;
use serde_json::{json, Map, Value};

/// Whether a line may describe teams (it names the key); such a line takes
/// this path, any other the fast one.
pub fn mentions_teams(line: &[u8]) -> bool {
    memchr::memmem::find(line, b"\"teams\"").is_some()
}

/// A line with teams: its id, and the organisation it describes.
pub fn parse(
    engine: &Engine,
    line: &[u8],
) -> Result<(Value, crate::teams::Organisation), (Value, String)> {
    let text = std::str::from_utf8(line).map_err(|_| {
        (
            Value::Null,
            "not UTF-8 text; save the file as UTF-8".to_string(),
        )
    })?;
    let mut map: Map<String, Value> = match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            return Err((
                Value::Null,
                "expected a JSON object of requirement keys".into(),
            ))
        }
        Err(e) => return Err((Value::Null, format!("not valid JSON: {e}"))),
    };
    let id = map.remove("id").unwrap_or(Value::Null);
    if !map.contains_key(crate::teams::TEAMS_KEY) {
        return Ok((
            id,
            crate::teams::Organisation::without_teams(Default::default()),
        ));
    }
    let scopes: Vec<Scope> = engine.matrix.dimensions.iter().map(|d| d.scope).collect();
    crate::teams::organisation_of(map, &engine.lexicon, &scopes)
        .map(|org| (id.clone(), org))
        .map_err(|e| (id, e))
}

/// Per version that does not fit: the requirements whose check fails.
fn failed(d: &Decision) -> Map<String, Value> {
    d.evaluations
        .iter()
        .filter(|e| !e.fits)
        .map(|e| {
            let keys: Vec<&str> = e
                .checks
                .iter()
                .filter(|c| c.status == Status::Fail)
                .map(|c| c.requirement.as_str())
                .collect();
            (e.version.clone(), json!(keys))
        })
        .collect()
}

fn team_line(t: &TeamDecision) -> Value {
    let d = &t.decision;
    json!({
        "name": t.name,
        "outcome": d.outcome,
        "recommended": d.recommended,
        "confidence": d.confidence,
        "valid_until": d.valid_until,
        "failed": failed(d),
    })
}

/// The compact result of a line with teams.
pub fn compact(n: u64, id: &Value, d: &Decision) -> Value {
    json!({
        "line": n,
        "id": id,
        "outcome": d.outcome,
        "recommended": d.recommended,
        "confidence": d.confidence,
        "plan": d.plan,
        "fits": d.fits,
        "failed": {},
        "teams": d.teams.iter().map(team_line).collect::<Vec<_>>(),
    })
}

/// The full result of a line with teams: the whole answer after line and id.
pub fn full(engine: &Engine, n: u64, id: &Value, d: &Decision) -> Value {
    let mut out = Map::new();
    out.insert("line".into(), json!(n));
    out.insert("id".into(), id.clone());
    if let Ok(Value::Object(body)) =
        serde_json::to_value(crate::render::json::DecisionView::new(engine, d))
    {
        out.extend(body);
    }
    Value::Object(out)
}
