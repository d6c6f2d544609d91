//! `api`: the member listing as a table or Markdown (JSON and YAML are the
//! view itself).

use super::{json, markdown, table, yaml, Format};
use crate::basis::Basis;
use crate::error::Error;
use crate::knowledge::{ApiView, Deprecation, MemberView};
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

fn deprecation_text(d: &Deprecation) -> String {
    format!("DEPRECATED since {}: {}", d.since, d.note)
}

/// Numbers each distinct source link once, in order of first use.
#[derive(Default)]
struct Footnotes(Vec<String>);

impl Footnotes {
    fn number(&mut self, url: &str) -> usize {
        match self.0.iter().position(|u| u == url) {
            Some(i) => i + 1,
            None => {
                self.0.push(url.to_string());
                self.0.len()
            }
        }
    }
}

fn api_table(view: &ApiView<'_>, s: &Styles) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} (reviewed {}).", api_scope(view), view.reviewed);
    if view.groups.is_empty() {
        let _ = writeln!(out, "\nNo member to show.");
        return out;
    }
    let mut notes = Footnotes::default();
    for g in &view.groups {
        let header = ["Member", "Kind", "Versions", "Description", "Source"].map(String::from);
        let mut rows = Vec::with_capacity(g.members.len());
        for m in &g.members {
            let source = notes.number(m.source);
            let mut description = vec![m.summary.to_string()];
            if let Some(sig) = m.signature {
                description.insert(0, sig.to_string());
            }
            if let Some(d) = m.deprecated {
                description.push(format!(
                    "{} [{}]",
                    deprecation_text(d),
                    notes.number(&d.source)
                ));
            }
            for n in &m.notes {
                let inferred = if n.basis == Basis::Inferred {
                    " (inferred)"
                } else {
                    ""
                };
                description.push(format!(
                    "• {}{inferred} [{}]",
                    n.text,
                    notes.number(&n.source)
                ));
            }
            let mut versions_cell = versions_text(m, view.versions);
            if m.deprecated.is_some() {
                versions_cell.push_str("\ndeprecated");
            }
            rows.push(vec![
                m.name.to_string(),
                m.kind.to_string(),
                versions_cell,
                description.join("\n"),
                format!("[{source}]"),
            ]);
        }
        let _ = writeln!(out, "\n{} ({})", g.name, g.members.len());
        out.push_str(&table::draw(header.to_vec(), rows, s));
    }
    let _ = writeln!(out, "\nSources:");
    for (i, url) in notes.0.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {url}", i + 1);
    }
    out
}

fn api_markdown(view: &ApiView<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", markdown::cell(&api_scope(view)));
    let _ = writeln!(out, "Reviewed {}.", view.reviewed);
    if view.groups.is_empty() {
        let _ = writeln!(out, "\nNo member to show.");
    }
    for g in &view.groups {
        let _ = writeln!(out, "\n## {}\n", markdown::cell(g.name));
        let _ = writeln!(out, "| Member | Kind | Versions | Description | Source |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for m in &g.members {
            let mut description = Vec::new();
            if let Some(sig) = m.signature {
                description.push(format!("`{}`", markdown::cell(sig)));
            }
            description.push(markdown::cell(m.summary));
            if let Some(d) = m.deprecated {
                description.push(format!(
                    "**Deprecated since {}**: {} ([source]({}))",
                    d.since,
                    markdown::cell(&d.note),
                    d.source
                ));
            }
            for n in &m.notes {
                let inferred = if n.basis == Basis::Inferred {
                    " (inferred)"
                } else {
                    ""
                };
                description.push(format!(
                    "• {}{inferred} ([source]({}))",
                    markdown::cell(&n.text),
                    n.source
                ));
            }
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | [source]({}) |",
                markdown::cell(m.name),
                m.kind,
                markdown::cell(&versions_text(m, view.versions)),
                description.join("<br>"),
                m.source
            );
        }
    }
    out
}
