//! Teams in a requirements file: an organisation's own keys at
//! the top, and each team's name and keys under `teams:`.

use crate::requirements::{parse_document, Lexicon, Requirements, RequirementsSeed};
use serde_json::{Map, Value as Json};

/// The key of the teams list in a requirements file.
pub const TEAMS_KEY: &str = "teams";

const EMPTY_LIST: &str =
    "teams: the list is empty; describe at least one team (a name and its keys), or remove `teams:`";

/// The longest team name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// One team: its name, the keys it states itself, and its requirements
/// (the organisation's keys with the team's own over them).
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub name: String,
    /// The requirements the team states itself.
    pub own: Requirements,
    /// The top-level requirements with `own` over them.
    pub req: Requirements,
}

/// A requirements file read whole: the top level and the teams (none when
/// the file has no `teams:`).
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub top: Requirements,
    pub teams: Vec<Team>,
}

impl Organisation {
    /// The organisation of requirements stated without teams.
    pub fn without_teams(top: Requirements) -> Self {
        Organisation {
            top,
            teams: Vec::new(),
        }
    }

    /// Applies requirements stated over the file (the flags) to the top
    /// level, and so to every team that does not state them itself.
    pub fn overlay_top(&mut self, flags: &Requirements) {
        self.top.overlay(flags);
        for t in &mut self.teams {
            t.req = self.top.clone();
            t.req.overlay(&t.own);
        }
    }
}

/// Reads a requirements document that may describe teams (an `org` key,
/// `Lexicon::is_org_key`, may be stated only at the top).
pub fn parse_organisation(text: &str, lexicon: &Lexicon) -> Result<Organisation, String> {
    // Only a document with `teams:` at the top takes the longer path; any
    // other is read once, by the requirements reader, with its own messages
    // (line and column).
    if !text.contains(TEAMS_KEY) {
        return plain(text, lexicon);
    }
    match crate::yaml::from_str_borrowed::<Json>(text) {
        Ok(Json::Object(top)) if top.contains_key(TEAMS_KEY) => organisation_of(top, lexicon),
        Ok(_) => plain(text, lexicon),
        // A document that does not read as data: the reader's own message
        // when it is about the text (line and column), not the `teams` key
        // it stopped at.
        Err(e) => plain(text, lexicon).map_err(|plain| {
            if plain.contains(&format!("'{TEAMS_KEY}'")) {
                e.to_string()
            } else {
                plain
            }
        }),
    }
}

/// An organisation from a mapping already read (a requirements file's
/// document, or a batch line without its `id`) that holds `teams`.
pub fn organisation_of(
    mut top: Map<String, Json>,
    lexicon: &Lexicon,
) -> Result<Organisation, String> {
    let teams = top.remove(TEAMS_KEY).unwrap_or(Json::Null);
    let top = requirements_of(top, lexicon)?;
    let Json::Array(list) = teams else {
        return Err(
            "teams: expected a list of teams, each with a name and its requirements".into(),
        );
    };
    gather(top, list, |n, entry, top| read_team(n, entry, top, lexicon))
}

/// An organisation from its top-level requirements and its teams' names
/// (as written) and own requirements, already read (a batch line read
/// straight from its text); the checks `organisation_of` makes of them.
pub fn assemble(
    top: Requirements,
    teams: Vec<(String, Requirements)>,
) -> Result<Organisation, String> {
    gather(top, teams, |n, (raw, own), top| {
        team_of(n, checked_name(n, &raw)?, own, top)
    })
}

/// The organisation of `top` and its teams, the `n`th (from 1) made by
/// `team` from its entry; each name once, ignoring case.
fn gather<T>(
    top: Requirements,
    entries: Vec<T>,
    team: impl Fn(usize, T, &Requirements) -> Result<Team, String>,
) -> Result<Organisation, String> {
    if entries.is_empty() {
        return Err(EMPTY_LIST.into());
    }
    let mut teams: Vec<Team> = Vec::with_capacity(entries.len());
    for (n, entry) in (1..).zip(entries) {
        let team = team(n, entry, &top)?;
        let lower = team.name.to_lowercase();
        if let Some(o) = teams.iter().position(|t| t.name.to_lowercase() == lower) {
            let (name, other) = (&team.name, &teams[o].name);
            return Err(format!(
                "teams[{n}] \"{name}\": the same name as teams[{}] \"{other}\" (names are compared ignoring case); give each team its own name",
                o + 1
            ));
        }
        teams.push(team);
    }
    Ok(Organisation { top, teams })
}

/// Team `n` of its own requirements over the organisation's.
fn team_of(n: usize, name: String, own: Requirements, top: &Requirements) -> Result<Team, String> {
    let mut req = top.clone();
    req.overlay(&own);
    if req.is_empty() {
        return Err(format!(
            "teams[{n}] \"{name}\": no requirement stated, here or at the top; give the team its keys, e.g. apps: [sales]"
        ));
    }
    Ok(Team { name, own, req })
}

fn plain(text: &str, lexicon: &Lexicon) -> Result<Organisation, String> {
    parse_document(text, lexicon)
        .map(Organisation::without_teams)
        .map_err(|e| e.to_string())
}

/// The requirements of a mapping (without `teams` or `name`), read by the
/// requirements reader straight from the value (no text, so no position).
fn requirements_of(map: Map<String, Json>, lexicon: &Lexicon) -> Result<Requirements, String> {
    use serde::de::DeserializeSeed;
    let seed = RequirementsSeed {
        lexicon,
        allow_id: false,
        buffer: Requirements::default(),
    };
    seed.deserialize(Json::Object(map))
        .map(|(req, _)| req)
        .map_err(|e| e.to_string())
}

/// One entry of `teams:`, number `n` (from 1).
fn read_team(n: usize, entry: Json, top: &Requirements, lexicon: &Lexicon) -> Result<Team, String> {
    let Json::Object(mut own_keys) = entry else {
        return Err(format!(
            "teams[{n}]: expected a team (a mapping with `name:` and its keys), e.g. {{name: Sellers, apps: [sales]}}"
        ));
    };
    let name = team_name(n, own_keys.remove("name").as_ref())?;
    let place = format!("teams[{n}] \"{name}\"");
    for key in own_keys.keys() {
        let why = match key.as_str() {
            TEAMS_KEY => "a team cannot hold teams; list every team at the top".to_string(),
            _ if lexicon.is_org_key(key) => {
                format!("{key} is a property of the organisation; state it at the top")
            }
            _ => continue,
        };
        return Err(format!("{place}: {why}"));
    }
    let own = requirements_of(own_keys, lexicon).map_err(|e| format!("{place}: {e}"))?;
    team_of(n, name, own, top)
}

/// A team's name: 1 to 64 printable characters, trimmed.
fn team_name(n: usize, raw: Option<&Json>) -> Result<String, String> {
    match raw {
        Some(Json::String(raw)) => checked_name(n, raw),
        Some(other) => Err(format!(
            "teams[{n}]: the name {other} is not text; quote it, e.g. name: \"{}\"",
            other.to_string().trim_matches('"')
        )),
        None => Err(format!(
            "teams[{n}]: no name; give each team a `name:` (1 to {MAX_NAME_CHARS} characters), e.g. name: Sellers"
        )),
    }
}

/// A team's name as written, checked and trimmed.
fn checked_name(n: usize, raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(format!(
            "teams[{n}]: the name is empty; give it 1 to {MAX_NAME_CHARS} characters"
        ));
    }
    if name.chars().any(refused) {
        return Err(format!(
            "teams[{n}] \"{}\": the name holds a tab, a line break, a control or an invisible character; write it on one line with visible characters",
            name.escape_debug()
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "teams[{n}] \"{name}\": the name has {chars} characters; shorten it to at most {MAX_NAME_CHARS}"
        ));
    }
    Ok(name.to_string())
}

/// Characters a name may not hold: those `sanitize::is_unsafe` refuses,
/// and those that print as nothing: zero-width spaces, joiners and marks,
/// the line and paragraph separators, word joiners, the byte-order mark,
/// the soft hyphen.
fn refused(c: char) -> bool {
    crate::sanitize::is_unsafe(c)
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}')
}
