//! Batch lines that describe teams (SPEC 4.9): the organisation read from
//! the line, and its compact (headlines only) or full result.

use crate::engine::teams::OrgHeadline;
use crate::engine::{Confidence, Decision, Engine, OutcomeKind, PlanItem};
use crate::matrix::Scope;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Finds the `teams` key: a line that names it may describe teams and
/// takes this path; any other takes the plain one.
pub fn teams_finder() -> memchr::memmem::Finder<'static> {
    memchr::memmem::Finder::new(b"\"teams\"")
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

/// A team of a compact line.
#[derive(Serialize)]
struct TeamLine<'a> {
    name: &'a str,
    outcome: OutcomeKind,
    recommended: &'a Option<String>,
    confidence: Option<Confidence>,
    valid_until: &'a Option<String>,
    failed: Failed<'a>,
}

/// Per version that does not fit, the requirements that fail it (a map).
struct Failed<'a>(&'a [(String, Vec<String>)]);

impl Serialize for Failed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(v, keys)| (v, keys)))
    }
}

/// The compact result of a line with teams (SPEC 4.3's keys, and `teams`).
#[derive(Serialize)]
struct CompactLine<'a> {
    line: u64,
    id: &'a Value,
    outcome: OutcomeKind,
    recommended: &'a Option<String>,
    confidence: Option<Confidence>,
    plan: &'a [PlanItem],
    fits: &'a [String],
    failed: Failed<'a>,
    teams: Vec<TeamLine<'a>>,
}

/// Writes the compact result of a line with teams.
pub fn compact(n: u64, id: &Value, head: &OrgHeadline, out: &mut Vec<u8>) {
    let d = &head.org;
    let line = CompactLine {
        line: n,
        id,
        outcome: d.outcome,
        recommended: &d.recommended,
        confidence: d.confidence,
        plan: &d.plan,
        fits: &d.fits,
        failed: Failed(&[]),
        teams: head
            .teams
            .iter()
            .map(|(name, h)| TeamLine {
                name,
                outcome: h.outcome,
                recommended: &h.recommended,
                confidence: h.confidence,
                valid_until: &h.valid_until,
                failed: Failed(&h.failed),
            })
            .collect(),
    };
    let _ = serde_json::to_writer(&mut *out, &line);
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
