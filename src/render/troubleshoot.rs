//! `troubleshoot`: the answer and the list as text or JSON.

use super::json;
use super::text::{basis_label, item_title, labelled_list, source_list, styled, wrap};
use super::Format;
use crate::error::Error;
use crate::knowledge::{Problem, ProblemCatalogue};
use crate::output::Styles;
use crate::troubleshoot::{Answer, Fit, Match, MatchedOn};
use serde::Serialize;
use std::fmt::Write;

/// `troubleshoot TEXT` in the chosen format.
pub fn answer(a: &Answer<'_>, format: Format, s: &Styles) -> Result<String, Error> {
    match format {
        Format::Json => json::to_string(&Report {
            query: &a.query,
            version: a.version.as_deref(),
            matches: a.matches.iter().map(view).collect(),
            next_steps: a.next_steps.clone(),
        }),
        _ => Ok(text_report(
            &a.query,
            a.version.as_deref(),
            &a.matches,
            &a.next_steps,
            s,
        )),
    }
}

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
    item_title(out, s, &first, &indent, &format!("{} — {}", p.id, p.title));
    let _ = writeln!(
        out,
        "{indent}Applies to {}; matched on the {}; fit: {}",
        versions_text(&p.versions),
        matched_text(m.matched),
        m.fit.as_str()
    );
    labelled_list(out, s, &indent, "Fix", &p.fix);
    let basis = format!("{indent}Basis: {}", basis_label(p.basis));
    match p.basis {
        crate::knowledge::Basis::Inferred => {
            let warn = s.warn;
            let _ = writeln!(out, "{warn}{basis}{warn:#}");
        }
        crate::knowledge::Basis::Documented => {
            let _ = writeln!(out, "{basis}");
        }
    }
    source_list(out, s, &indent, &p.sources);
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
        let text = format!("No known problem matches \"{query}\"{scope}.");
        wrap(&mut out, s.width, "", "", &text);
        let _ = writeln!(out, "What to check first:");
        for step in steps {
            wrap(&mut out, s.width, "  - ", "    ", step);
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
    item_title(
        &mut out,
        s,
        "",
        "",
        &format!("{what} for \"{query}\"{scope}:"),
    );
    if !sure {
        let mut note = String::new();
        wrap(
            &mut note,
            s.width,
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

pub fn list(
    catalogue: &ProblemCatalogue,
    version: Option<&str>,
    format: Format,
    s: &Styles,
) -> Result<String, Error> {
    let problems: Vec<&Problem> = catalogue
        .problems
        .iter()
        .filter(|p| version.is_none_or(|v| p.versions.iter().any(|x| x == v)))
        .collect();
    match format {
        Format::Json => json::to_string(&ListReport {
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
        _ => {
            let id_width = problems.iter().map(|p| p.id.len()).fold(2, usize::max);
            let rows: Vec<String> = problems.iter().map(|p| p.versions.join(", ")).collect();
            let v_width = rows.iter().map(String::len).fold(8, usize::max);
            let mut out = String::new();
            let _ = writeln!(out, "{:<id_width$}  {:<v_width$}  Title", "ID", "Versions");
            for (p, versions) in problems.iter().zip(&rows) {
                let indent = " ".repeat(id_width + v_width + 4);
                wrap(
                    &mut out,
                    s.width,
                    &format!("{:<id_width$}  {versions:<v_width$}  ", p.id),
                    &indent,
                    &p.title,
                );
            }
            Ok(out)
        }
    }
}
