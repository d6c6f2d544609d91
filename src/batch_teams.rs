//! Batch lines that describe teams: the organisation read from
//! the line, and its compact (headlines only) or full result.

use crate::engine::teams::OrgHeadline;
use crate::engine::{Confidence, Engine, OutcomeKind};
use crate::requirements::{KeyReader, Requirements, StrSeed};
use crate::teams::{Organisation, TEAMS_KEY};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// What is wrong with a line that is not UTF-8 text, or not a JSON object.
const NOT_UTF8: &str = "not UTF-8 text; save the file as UTF-8";
const NOT_OBJECT: &str = "expected a JSON object of requirement keys";

/// A line with teams: its id, and the organisation it describes.
pub fn parse(engine: &Engine, line: &[u8]) -> Result<(Value, Organisation), (Value, String)> {
    let text = std::str::from_utf8(line).map_err(|_| (Value::Null, NOT_UTF8.into()))?;
    if let Some(read) = read_direct(engine, text) {
        return Ok(read);
    }
    let mut map: Map<String, Value> = match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err((Value::Null, NOT_OBJECT.into())),
        Err(e) => return Err((Value::Null, format!("not valid JSON: {e}"))),
    };
    let id = map.remove("id").unwrap_or(Value::Null);
    if !map.contains_key(TEAMS_KEY) {
        return Ok((id, Organisation::without_teams(Default::default())));
    }
    crate::teams::organisation_of(map, &engine.lexicon)
        .map(|org| (id.clone(), org))
        .map_err(|e| (id, e))
}

/// A line with teams read straight from its text, without a JSON tree
/// (a line that names no teams after all gives none, for the plain path):
/// `None` when it does not read cleanly, for [`parse`] to read again the
/// slow way, and word what is wrong as it always has.
fn read_direct(engine: &Engine, text: &str) -> Option<(Value, Organisation)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let (id, top, teams) = LineSeed(engine).deserialize(&mut de).ok()?;
    de.end().ok()?;
    let org = match teams {
        Some(teams) => crate::teams::assemble(top, teams).ok()?,
        None => Organisation::without_teams(Default::default()),
    };
    Some((id.unwrap_or(Value::Null), org))
}

/// A line's id, its top-level requirements and its teams (names as
/// written, and their own requirements), if it names `teams`.
type Line = (Option<Value>, Requirements, Option<Teams>);

/// Teams as a line names them, each with its own requirements.
type Teams = Vec<(String, Requirements)>;

/// Reads a line that describes teams (see [`read_direct`]).
struct LineSeed<'e, 'm>(&'e Engine<'m>);

impl<'de> Visitor<'de> for LineSeed<'_, '_> {
    type Value = Line;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping of requirement keys and teams")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line, A::Error> {
        let mut reader = KeyReader::new(&self.0.lexicon, false, Requirements::default());
        let (mut id, mut teams) = (None, None);
        while let Some(key) = map.next_key_seed(StrSeed)? {
            match &*key {
                "id" if id.is_none() => id = Some(map.next_value()?),
                TEAMS_KEY if teams.is_none() => {
                    teams = Some(map.next_value_seed(TeamsSeed(self.0))?)
                }
                "id" | TEAMS_KEY => return Err(de::Error::custom("duplicate key")),
                key => reader.read(key, &mut map)?,
            }
        }
        Ok((id, reader.finish(), teams))
    }
}

/// Reads `teams:`, a list of teams (see [`read_direct`]).
struct TeamsSeed<'e, 'm>(&'e Engine<'m>);

impl<'de> Visitor<'de> for TeamsSeed<'_, '_> {
    type Value = Teams;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of teams")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        std::iter::from_fn(|| seq.next_element_seed(TeamSeed(self.0)).transpose()).collect()
    }
}

/// Reads one team: its name and its own keys, none of them the
/// organisation's (see [`read_direct`]).
struct TeamSeed<'e, 'm>(&'e Engine<'m>);

impl<'de> Visitor<'de> for TeamSeed<'_, '_> {
    type Value = (String, Requirements);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a team")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let lexicon = &self.0.lexicon;
        let mut reader = KeyReader::new(lexicon, false, Requirements::default());
        let mut name = None;
        while let Some(key) = map.next_key_seed(StrSeed)? {
            match &*key {
                "name" if name.is_none() => name = Some(map.next_value::<String>()?),
                _ if key == "name" || key == TEAMS_KEY || lexicon.is_org_key(&key) => {
                    return Err(de::Error::custom("not read here"))
                }
                key => reader.read(key, &mut map)?,
            }
        }
        let name = name.ok_or_else(|| de::Error::custom("no name"))?;
        Ok((name, reader.finish()))
    }
}

crate::requirements::self_seed! {
    LineSeed<'_, '_> => deserialize_map,
    TeamsSeed<'_, '_> => deserialize_seq,
    TeamSeed<'_, '_> => deserialize_map,
}

/// Per version that does not fit, in preference order, the requirements
/// that fail it: a map.
pub(crate) struct Failed<'a, V, K>(pub &'a [(V, K)]);

impl<V: Serialize, K: Serialize> Serialize for Failed<'_, V, K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(version, keys)| (version, keys)))
    }
}

/// A team of a compact line.
#[derive(Serialize)]
struct TeamLine<'a> {
    name: &'a str,
    outcome: OutcomeKind,
    recommended: &'a Option<String>,
    confidence: Option<Confidence>,
    valid_until: &'a Option<String>,
    failed: Failed<'a, String, Vec<String>>,
}

/// The compact result of a line (`teams` only for a line with teams).
#[derive(Serialize)]
pub(crate) struct CompactLine<I, R, P, F, X, T> {
    pub line: u64,
    pub id: I,
    pub outcome: OutcomeKind,
    pub recommended: R,
    pub confidence: Option<Confidence>,
    pub plan: P,
    pub fits: F,
    pub failed: X,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub teams: Option<T>,
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
        failed: Failed::<String, Vec<String>>(&[]),
        teams: Some(
            head.teams
                .iter()
                .map(|(name, h)| TeamLine {
                    name,
                    outcome: h.outcome,
                    recommended: &h.recommended,
                    confidence: h.confidence,
                    valid_until: &h.valid_until,
                    failed: Failed(&h.failed),
                })
                .collect::<Vec<_>>(),
        ),
    };
    let _ = serde_json::to_writer(&mut *out, &line);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reading of the tree, as `parse` made it before the direct path.
    fn by_tree(engine: &Engine, line: &str) -> Result<(Value, Organisation), String> {
        let mut map: Map<String, Value> = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let id = map.remove("id").unwrap_or(Value::Null);
        crate::teams::organisation_of(map, &engine.lexicon).map(|org| (id, org))
    }

    #[test]
    fn a_line_read_directly_is_read_as_the_tree_reads_it_or_left_to_the_tree() {
        let m = crate::matrix::embedded().unwrap();
        let engine = Engine::new(&m);
        let direct = [
            r#"{"id":7,"cloud":"gcc","teams":[{"name":" Sellers ","apps":["sales"]},{"name":"Desk","apps":"cs-workspace","providers":2}]}"#,
            r#"{"teams":[{"name":"A","skipped":["client"],"session":"single"}],"apps":["sales"],"id":"x"}"#,
            r#"{"teams":[{"apps":["sales"],"name":"Ünïcode"}],"id":null}"#,
        ];
        for line in direct {
            let read = read_direct(&engine, line).expect(line);
            assert_eq!(Ok(read), by_tree(&engine, line), "{line}");
        }
        // What the direct reading leaves to the tree: every error, and
        // duplicate keys (the tree keeps the last).
        let left = [
            r#"{"teams":[]}"#,
            r#"{"teams":[{"name":"A","cloud":"gcc"}]}"#,
            r#"{"teams":[{"name":"A","apps":["sales"]},{"name":"a","apps":["sales"]}]}"#,
            r#"{"teams":[{"apps":["sales"]}]}"#,
            r#"{"teams":[{"name":"A"}]}"#,
            r#"{"teams":[{"name":"A","apps":["sales"],"teams":[]}]}"#,
            r#"{"teams":[{"name":5,"apps":["sales"]}]}"#,
            r#"{"teams":[{"name":"A","apps":["nope"]}]}"#,
            r#"{"id":1,"id":2,"teams":[{"name":"A","apps":["sales"]}]}"#,
            r#"{"apps":["sales"],"apps":["sales"],"teams":[{"name":"A"}]}"#,
            r#"{"teams":null}"#,
            r#"{"teams":[{"name":"A","apps":["sales"]}]} x"#,
        ];
        for line in left {
            assert_eq!(read_direct(&engine, line), None, "{line}");
        }
        // A line that names no teams after all goes to the plain path
        // without a second reading, as the tree sends it.
        let no_teams = Organisation::without_teams(Default::default());
        assert_eq!(
            read_direct(&engine, r#"{"apps":["sales"],"id":"x","note":"teams"}"#),
            None
        );
        assert_eq!(
            read_direct(&engine, r#"{"apps":["sales"],"id":"x"}"#),
            Some((Value::from("x"), no_teams))
        );
    }
}
