//! `api`: the member listing as a table or Markdown (JSON and YAML are the
//! view itself).

use super::{json, markdown, table, yaml, Format};
use crate::basis::Basis;
use crate::error::Error;
use crate::knowledge::{ApiView, MemberView};
use crate::output::Styles;
use std::fmt::Write;

/// `api` in the chosen format.
pub fn api(view: &ApiView<'_>, format: Format, styles: &Styles) -> Result<String, Error> {
    match format {
        Format::Json => json::to_string(view),
        Format::Yaml => yaml::to_string(view),
        Format::Markdown => Ok(api_markdown(view)),
        Format::Text | Format::Table => Ok(api_table(view, styles)),
    }
}

/// What the listing shows, in one sentence.
fn api_scope(view: &ApiView<'_>) -> String {
    let versions = match view.version {
        Some(v) => format!("available in CIF {v}"),
        None => format!("of CIF {}", view.versions.join(" and ")),
    };
    if view.diff {
        format!(
            "Microsoft.CIFramework members {versions} that exist in only one version, and deprecated members"
        )
    } else {
        format!("Microsoft.CIFramework methods and client-side events {versions}")
    }
}

/// "1.0, 2.0", or "only in 2.0" when one version of several has it.
fn versions_text(m: &MemberView<'_>, all: &[String]) -> String {
    match m.versions {
        [one] if all.len() > 1 => format!("only in {one}"),
        many => many.join(", "),
    }
}

/// " (inferred)" after an inferred note.
fn inferred(basis: Basis) -> &'static str {
    match basis {
        Basis::Inferred => " (inferred)",
        Basis::Documented => "",
    }
}

/// The number of a source link: each distinct one numbered once, in order
/// of first use.
fn number(notes: &mut Vec<String>, url: &str) -> usize {
    let i = notes.iter().position(|u| u == url).unwrap_or_else(|| {
        notes.push(url.to_string());
        notes.len() - 1
    });
    i + 1
}

fn api_table(view: &ApiView<'_>, s: &Styles) -> String {
    let mut out = format!("{} (reviewed {}).\n", api_scope(view), view.reviewed);
    if view.groups.is_empty() {
        let _ = writeln!(out, "\nNo member to show.");
        return out;
    }
    let mut notes = Vec::new();
    for g in &view.groups {
        let header = ["Member", "Kind", "Versions", "Description", "Source"].map(String::from);
        let mut rows = Vec::with_capacity(g.members.len());
        for m in &g.members {
            let source = number(&mut notes, m.source);
            let mut description: Vec<String> = m
                .signature
                .into_iter()
                .chain([m.summary])
                .map(String::from)
                .collect();
            if let Some(d) = m.deprecated {
                let n = number(&mut notes, &d.source);
                description.push(format!("DEPRECATED since {}: {} [{n}]", d.since, d.note));
            }
            for note in &m.notes {
                let n = number(&mut notes, &note.source);
                description.push(format!("• {}{} [{n}]", note.text, inferred(note.basis)));
            }
            let deprecated = m.deprecated.map_or("", |_| "\ndeprecated");
            let versions_cell = versions_text(m, view.versions) + deprecated;
            let (description, source) = (description.join("\n"), format!("[{source}]"));
            let row = [m.name, m.kind, &versions_cell, &description, &source];
            rows.push(row.map(String::from).to_vec());
        }
        let _ = writeln!(out, "\n{} ({})", g.name, g.members.len());
        out.push_str(&table::draw(header.to_vec(), rows, s));
    }
    let _ = writeln!(out, "\nSources:");
    for (i, url) in notes.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {url}", i + 1);
    }
    out
}

fn api_markdown(view: &ApiView<'_>) -> String {
    let scope = markdown::cell(&api_scope(view));
    let mut out = format!("# {scope}\n\nReviewed {}.\n", view.reviewed);
    if view.groups.is_empty() {
        let _ = writeln!(out, "\nNo member to show.");
    }
    for g in &view.groups {
        let _ = writeln!(out, "\n## {}\n", markdown::cell(g.name));
        out.push_str(
            "| Member | Kind | Versions | Description | Source |\n|---|---|---|---|---|\n",
        );
        for m in &g.members {
            let signature = m.signature.map(|sig| format!("`{}`", markdown::cell(sig)));
            let summary = markdown::cell(m.summary);
            let mut description: Vec<String> = signature.into_iter().chain([summary]).collect();
            if let Some(d) = m.deprecated {
                let (since, note, source) = (&d.since, markdown::cell(&d.note), &d.source);
                let line = format!("**Deprecated since {since}**: {note} ([source]({source}))");
                description.push(line);
            }
            for n in &m.notes {
                let (text, inferred) = (markdown::cell(&n.text), inferred(n.basis));
                description.push(format!("• {text}{inferred} ([source]({}))", n.source));
            }
            let (name, kind, source) = (markdown::cell(m.name), m.kind, m.source);
            let versions = markdown::cell(&versions_text(m, view.versions));
            let description = description.join("<br>");
            let _ = writeln!(
                out,
                "| `{name}` | {kind} | {versions} | {description} | [source]({source}) |"
            );
        }
    }
    out
}
