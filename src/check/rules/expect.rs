//! `--expect`: what a team can expect of its providers (R12, R21, X08).

use super::*;

/// What a team can expect of its providers (`--expect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Outbound,
    Analytics,
}

impl Expected {
    /// Each one, its word and the providers that can have it.
    const ALL: [(Expected, &'static str, &'static str); 2] = [
        (Expected::Outbound, "outbound", "provider"),
        (Expected::Analytics, "analytics", "CIF 2.0 provider"),
    ];

    fn word(self) -> &'static str {
        Self::ALL[self as usize].1
    }
}

/// `--expect WHAT[=NAME]`: NAME a provider's unique name or name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub what: Expected,
    pub name: Option<String>,
}

impl std::str::FromStr for Expectation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (word, name) = s
            .split_once('=')
            .map_or((s, None), |(w, n)| (w, Some(n.trim())));
        let word = word.trim().to_ascii_lowercase();
        let Some((what, word, _)) = Expected::ALL.iter().find(|(_, w, _)| *w == word) else {
            return Err(format!(
                "'{word}' is not something check can expect; use outbound[=NAME] or analytics[=NAME] (NAME a provider's unique name or name)"
            ));
        };
        if name == Some("") {
            return Err(format!(
                "'{s}' names no provider; give its unique name or name after '=', e.g. {word}=contoso_voice"
            ));
        }
        Ok(Expectation {
            what: *what,
            name: name.map(str::to_string),
        })
    }
}

impl Expectation {
    /// As given on the command line.
    fn flag(&self) -> String {
        let name = self.name.as_ref().map(|n| format!("={}", short(n)));
        format!("--expect {}{}", self.what.word(), name.unwrap_or_default())
    }

    /// Whether it is about this provider: the named one, or (no name) every
    /// provider but Omnichannel's own (`msdyn_omnichannel`).
    fn applies(&self, names: [Option<&str>; 2]) -> bool {
        match &self.name {
            Some(n) => names
                .iter()
                .flatten()
                .any(|v| v.trim().eq_ignore_ascii_case(n)),
            None => !names[0].is_some_and(|u| u.eq_ignore_ascii_case(OMNICHANNEL)),
        }
    }
}

/// The unique name of Omnichannel's own provider (the conversation control).
pub const OMNICHANNEL: &str = "msdyn_omnichannel";

/// R12 and R21 for one `--expect`; X08 when its NAME is no provider's.
pub(super) fn check_expectation(out: &mut Out<'_>, configs: &[Config], e: &Expectation) {
    let (mut named, flag) = (false, e.flag());
    let (_, word, kind) = Expected::ALL[e.what as usize];
    for c in configs {
        // A 1.0 provider has outbound (msdyn_clicktoact), no analytics and
        // no unique name.
        let v1 = c.v1.iter().filter(|_| e.what == Expected::Outbound);
        for p in v1.chain(&c.v2) {
            let (d, v2) = (&p.data, p.r.table == Table::V2Provider);
            if !e.applies([d.unique_name.as_deref(), d.name.as_deref()]) {
                continue;
            }
            named = true;
            if !active(d.state) {
                continue;
            }
            let (case, column, value) = match e.what {
                Expected::Outbound if !v2 => (Case::R12Off, "msdyn_clicktoact", d.outbound),
                Expected::Outbound => (Case::R12Off, "msdyn_enableoutbound", d.outbound),
                Expected::Analytics => {
                    (Case::R21AnalyticsOff, "msdyn_enableanalytics", d.analytics)
                }
            };
            match value {
                Some(false) => {
                    let m = format!("{word} is expected ({flag}) but {column} is false");
                    out.at(case, &p.r, m);
                }
                // Said of 2.0 providers only.
                None if v2 => out.needs(
                    &format!("{flag} ({column})"),
                    &format!("export {column} of msdyn_channelproviders (cif-advisor check --queries ORG_URL)"),
                ),
                _ => {}
            }
        }
    }
    if let (Some(name), false) = (&e.name, named) {
        let name = short(name);
        let m = format!(
            "{flag} names no {kind} of the export: none has the unique name or name \"{name}\""
        );
        out.add(Case::X08UnknownProvider, None, None, m);
    }
}
