//! The answer of `troubleshoot`: the JSON views, the text rendering and
//! the command's handler.

use super::search::{find_by_id, search, Fit, Match, MatchedOn};
use super::words::{normalise, text_words};
use crate::cli::{TextFormat, TroubleshootArgs};
use crate::commands::Context;
use crate::error::CliError;
use crate::exit::ExitCode;
use crate::knowledge::{self, basis_label, styled, wrap, Problem, ProblemCatalogue};
use crate::output::{self, Styles};
use crate::render::json;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write;

// ---------------------------------------------------------------- output

/// One match as JSON.
#[derive(Debug, Serialize)]
pub struct MatchView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// 0–1, two decimals.
    pub score: f64,
    pub versions: &'a [String],
    pub fix: &'a [String],
    /// "documented" or "inferred".
    pub basis: &'a str,
    pub sources: &'a [String],
    /// "error", "symptom" or "id".
    pub matched: MatchedOn,
    /// How well it fits: "exact", "good" or "weak" (the score, banded).
    pub fit: Fit,
}

/// What `troubleshoot --format json` prints (see the module documentation).
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub query: &'a str,
    pub version: Option<&'a str>,
    pub matches: Vec<MatchView<'a>>,
    /// What to check first; only when nothing matches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next_steps: Vec<String>,
}

/// One problem of `--list --format json`.
#[derive(Debug, Serialize)]
pub struct ListItem<'a> {
    pub id: &'a str,
    pub category: &'a str,
    pub versions: &'a [String],
    pub title: &'a str,
}

/// What `troubleshoot --list --format json` prints.
#[derive(Debug, Serialize)]
pub struct ListReport<'a> {
    pub version: Option<&'a str>,
    pub problems: Vec<ListItem<'a>>,
}

fn view<'a>(m: &Match<'a>) -> MatchView<'a> {
    MatchView {
        id: &m.problem.id,
        title: &m.problem.title,
        score: (m.score * 100.0).round() / 100.0,
        versions: &m.problem.versions,
        fix: &m.problem.fix,
        basis: m.problem.basis.as_str(),
        sources: &m.problem.sources,
        matched: m.matched,
        fit: m.fit,
    }
}

/// Percent-encodes text for a URL query value.
fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Topics the catalogue has no problem about, by the word a query names
/// them with (after `text_words` and `normalise`), and what to say.
const NOT_COVERED: &[(&str, &str)] = &[(
    "usd",
    "No known problem here is about Unified Service Desk: its configuration is outside what \
     cif-advisor covers (see the README, \"What it does not cover\").",
)];

/// What to check when no known problem matches.
fn next_steps(query: &str) -> Vec<String> {
    let words: Vec<String> = text_words(query)
        .iter()
        .filter_map(|w| normalise(w))
        .collect();
    let mut steps: Vec<String> = NOT_COVERED
        .iter()
        .filter(|(word, _)| words.iter().any(|w| w == word))
        .map(|(_, text)| text.to_string())
        .collect();
    steps.extend([
        "Open the browser's developer tools (F12) and read the console for the exact error message."
            .to_string(),
        "Check that the CIFInitDone event fired before the widget called any Microsoft.CIFramework API."
            .to_string(),
        "Check the provider record's Channel URL and Trusted Domain: HTTPS, and the host the widget really runs on."
            .to_string(),
        format!(
            "Search Microsoft Learn for the exact error text: https://learn.microsoft.com/search/?terms={}",
            url_encode(query)
        ),
        "`cif-advisor troubleshoot --list` lists every known problem.".to_string(),
    ]);
    steps
}

fn versions_text(versions: &[String]) -> String {
    format!("CIF {}", versions.join(", "))
}

fn matched_text(m: MatchedOn) -> &'static str {
    match m {
        MatchedOn::Id => "problem id",
        MatchedOn::Error => "error message",
        MatchedOn::Symptom => "symptom",
    }
}

fn write_match(out: &mut String, number: usize, m: &Match<'_>, s: &Styles) {
    let p = m.problem;
    let first = format!("{number}. ");
    let indent = " ".repeat(first.len());
    knowledge::item_title(out, s, &first, &indent, &format!("{} — {}", p.id, p.title));
    let _ = writeln!(
        out,
        "{indent}Applies to {}; matched on the {}; fit: {}",
        versions_text(&p.versions),
        matched_text(m.matched),
        m.fit.as_str()
    );
    knowledge::labelled_list(out, &indent, "Fix", &p.fix);
    let basis = format!("{indent}Basis: {}", basis_label(p.basis));
    match p.basis {
        crate::knowledge::Basis::Inferred => {
            let _ = writeln!(out, "{}{basis}{}", s.warn.render(), s.warn.render_reset());
        }
        crate::knowledge::Basis::Documented => {
            let _ = writeln!(out, "{basis}");
        }
    }
    knowledge::source_list(out, s, &indent, &p.sources);
}

fn text_report(
    query: &str,
    version: Option<&str>,
    matches: &[Match<'_>],
    steps: &[String],
    s: &Styles,
) -> String {
    let mut out = String::new();
    let scope = match version {
        Some(v) => format!(" (problems that apply to CIF {v})"),
        None => String::new(),
    };
    if matches.is_empty() {
        wrap(
            &mut out,
            "",
            "",
            &format!("No known problem matches \"{query}\"{scope}."),
        );
        let _ = writeln!(out, "What to check first:");
        for step in steps {
            wrap(&mut out, "  - ", "    ", step);
        }
        return out;
    }
    let sure = matches[0].fit != Fit::Weak;
    let what = match (sure, matches.len()) {
        (true, 1) => "Best match",
        (true, _) => "Best matches",
        (false, 1) => "Possible match",
        (false, _) => "Possible matches",
    };
    let mut head = String::new();
    wrap(
        &mut head,
        "",
        "",
        &format!("{what} for \"{query}\"{scope}:"),
    );
    styled(&mut out, s.heading, &head);
    if !sure {
        let mut note = String::new();
        wrap(
            &mut note,
            "",
            "",
            "Weak fit: few of the words point to one known problem. \
             Check that the symptom fits before applying a fix, or paste the exact error message.",
        );
        styled(&mut out, s.warn, &note);
    }
    for (i, m) in matches.iter().enumerate() {
        out.push('\n');
        write_match(&mut out, i + 1, m, s);
    }
    out
}

fn list(
    catalogue: &ProblemCatalogue,
    version: Option<&str>,
    format: TextFormat,
) -> Result<String, CliError> {
    let problems: Vec<&Problem> = catalogue
        .problems
        .iter()
        .filter(|p| version.is_none_or(|v| p.versions.iter().any(|x| x == v)))
        .collect();
    match format {
        TextFormat::Json => json::to_string(&ListReport {
            version,
            problems: problems
                .iter()
                .map(|p| ListItem {
                    id: &p.id,
                    category: p.category.as_str(),
                    versions: &p.versions,
                    title: &p.title,
                })
                .collect(),
        }),
        TextFormat::Text => {
            let id_width = problems
                .iter()
                .map(|p| p.id.len())
                .max()
                .unwrap_or(2)
                .max(2);
            let rows: Vec<String> = problems.iter().map(|p| p.versions.join(", ")).collect();
            let v_width = rows.iter().map(String::len).max().unwrap_or(8).max(8);
            let mut out = String::new();
            let _ = writeln!(out, "{:<id_width$}  {:<v_width$}  Title", "ID", "Versions");
            for (p, versions) in problems.iter().zip(&rows) {
                let indent = " ".repeat(id_width + v_width + 4);
                wrap(
                    &mut out,
                    &format!("{:<id_width$}  {versions:<v_width$}  ", p.id),
                    &indent,
                    &p.title,
                );
            }
            Ok(out)
        }
    }
}

/// The longest problem text `troubleshoot` takes (a longer one is a usage error).
pub const MAX_QUERY_CHARS: usize = 8192;

/// `cif-advisor troubleshoot`.
pub fn run(ctx: &Context, args: TroubleshootArgs) -> Result<ExitCode, CliError> {
    let catalogue = knowledge::problem_catalogue()?;
    super::words::ready()?;
    // The versions the catalogue knows, sorted.
    let versions: Vec<String> = catalogue
        .problems
        .iter()
        .flat_map(|p| p.versions.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let version = match &args.for_version {
        Some(v) => Some(knowledge::resolve_version(v, &versions, "--version")?),
        None => None,
    };
    let version = version.as_deref();
    let query = args.text.join(" ");
    // Bounded work and nothing raw echoed to the terminal (docs/bad-inputs.md).
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(CliError::Usage(format!(
            "the problem text is {chars} characters long; give at most {MAX_QUERY_CHARS} \
             (the error message itself or a few words about the symptom)"
        )));
    }
    // Line breaks and tabs of a pasted message are spaces; other controls escaped.
    let query: String = query
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let query = crate::sanitize::escape(&query);
    let query = query.trim();

    if args.list {
        if !query.is_empty() {
            return Err(CliError::Usage(
                "--list lists every problem; give either TEXT or --list, not both".into(),
            ));
        }
        let text = list(&catalogue, version, args.format)?;
        output::write_stdout(text.as_bytes())?;
        return Ok(ExitCode::Success);
    }
    if query.is_empty() {
        return Err(CliError::Usage(
            "describe the problem: paste the error message or a few words about the symptom, \
             e.g. `cif-advisor troubleshoot \"Microsoft is not defined\"` (or use --list)"
                .into(),
        ));
    }

    let by_id = find_by_id(&catalogue, query);
    let matches = match by_id {
        Some(p) if version.is_none_or(|v| p.versions.iter().any(|x| x == v)) => vec![Match {
            problem: p,
            score: 1.0,
            matched: MatchedOn::Id,
            fit: Fit::Exact,
        }],
        Some(_) => Vec::new(),
        None => search(&catalogue, query, version),
    };
    let steps = match (by_id, version) {
        (Some(p), Some(v)) if matches.is_empty() => vec![format!(
            "{} applies to CIF {} only, not {v}; drop --version to see it.",
            p.id,
            p.versions.join(", ")
        )],
        _ if matches.is_empty() => next_steps(query),
        _ => Vec::new(),
    };

    let text = match args.format {
        TextFormat::Json => json::to_string(&Report {
            query,
            version,
            matches: matches.iter().map(view).collect(),
            next_steps: steps,
        })?,
        TextFormat::Text => text_report(query, version, &matches, &steps, &ctx.styles()),
    };
    output::write_stdout(text.as_bytes())?;
    Ok(if matches.is_empty() {
        ExitCode::NoMatch
    } else {
        ExitCode::Success
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoding() {
        assert_eq!(url_encode("a b&c"), "a+b%26c");
    }
}
