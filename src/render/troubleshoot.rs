//! `troubleshoot`: the answer and the list as text or JSON.

use super::json;
use super::text::{item_title, labelled_list, source_list, styled, wrap};
use super::Format;
use crate::error::Error;
use crate::knowledge::{Basis, Problem, ProblemCatalogue};
use crate::output::Styles;
use crate::troubleshoot::{Answer, Fit, Match, MatchedOn};
use serde_json::{json, Value};
use std::fmt::Write;

/// `troubleshoot TEXT` in the chosen format (its JSON: the module
/// documentation of `troubleshoot`).
pub fn answer(a: &Answer<'_>, format: Format, s: &Styles) -> Result<String, Error> {
    if format != Format::Json {
        return Ok(text_report(a, s));
    }
    let matches: Vec<Value> = a
        .matches
        .iter()
        .map(|m| {
            let p = m.problem;
            json!({
                "id": p.id,
                "title": p.title,
                "score": (m.score * 100.0).round() / 100.0,
                "versions": p.versions,
                "fix": p.fix,
                "basis": p.basis.as_str(),
                "sources": p.sources,
                "matched": m.matched,
                "fit": m.fit,
            })
        })
        .collect();
    let mut report = json!({"query": a.query, "version": a.version, "matches": matches});
    // What to check first: only when nothing matches.
    if !a.next_steps.is_empty() {
        report["next_steps"] = json!(a.next_steps);
    }
    json::to_string(&report)
}

fn write_match(out: &mut String, number: usize, m: &Match<'_>, s: &Styles) {
    let p = m.problem;
    let first = format!("{number}. ");
    let indent = " ".repeat(first.len());
    item_title(out, s, &first, &indent, &format!("{} — {}", p.id, p.title));
    let matched = match m.matched {
        MatchedOn::Id => "problem id",
        MatchedOn::Error => "error message",
        MatchedOn::Symptom => "symptom",
    };
    let (versions, fit) = (p.versions.join(", "), m.fit.as_str());
    let _ = writeln!(
        out,
        "{indent}Applies to CIF {versions}; matched on the {matched}; fit: {fit}"
    );
    labelled_list(out, s, &indent, "Fix", &p.fix);
    // What the basis means, for people.
    let (style, basis) = match p.basis {
        Basis::Inferred => (s.warn, "inferred — advice, not a Microsoft statement"),
        Basis::Documented => (anstyle::Style::new(), "documented"),
    };
    let _ = writeln!(out, "{style}{indent}Basis: {basis}{style:#}");
    source_list(out, s, &indent, &p.sources);
}

fn text_report(a: &Answer<'_>, s: &Styles) -> String {
    let (query, matches, mut out) = (&a.query, &a.matches, String::new());
    let scope = match &a.version {
        Some(v) => format!(" (problems that apply to CIF {v})"),
        None => String::new(),
    };
    if matches.is_empty() {
        let text = format!("No known problem matches \"{query}\"{scope}.");
        wrap(&mut out, s.width, "", "", &text);
        let _ = writeln!(out, "What to check first:");
        for step in &a.next_steps {
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
    let title = format!("{what} for \"{query}\"{scope}:");
    item_title(&mut out, s, "", "", &title);
    if !sure {
        let mut note = String::new();
        let weak = "Weak fit: few of the words point to one known problem. \
             Check that the symptom fits before applying a fix, or paste the exact error message.";
        wrap(&mut note, s.width, "", "", weak);
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
    let applies = |p: &&Problem| version.is_none_or(|v| p.versions.iter().any(|x| x == v));
    let problems: Vec<&Problem> = catalogue.problems.iter().filter(applies).collect();
    match format {
        Format::Json => {
            let problems: Vec<Value> = problems.iter()
                .map(|p| {
                    let (id, category) = (&p.id, p.category.as_str());
                    json!({"id": id, "category": category, "versions": p.versions, "title": p.title})
                })
                .collect();
            json::to_string(&json!({"version": version, "problems": problems}))
        }
        _ => {
            let id_width = problems.iter().map(|p| p.id.len()).fold(2, usize::max);
            let rows: Vec<String> = problems.iter().map(|p| p.versions.join(", ")).collect();
            let v_width = rows.iter().map(String::len).fold(8, usize::max);
            let mut out = format!("{:<id_width$}  {:<v_width$}  Title\n", "ID", "Versions");
            let indent = " ".repeat(id_width + v_width + 4);
            for (p, versions) in problems.iter().zip(&rows) {
                let first = format!("{:<id_width$}  {versions:<v_width$}  ", p.id);
                wrap(&mut out, s.width, &first, &indent, &p.title);
            }
            Ok(out)
        }
    }
}
