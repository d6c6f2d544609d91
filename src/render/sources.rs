//! `matrix sources`: every cited page with the facts resting on it.

use super::{json, yaml, Format};
use crate::error::Error;
use crate::sources::{Kind, Report, Status, DOCS_REPO};
use std::fmt::Write as _;

/// `matrix sources` in the chosen format.
pub fn sources(report: &Report, format: Format) -> Result<String, Error> {
    match format {
        Format::Json => json::to_string(report),
        Format::Yaml => yaml::to_string(report),
        Format::Text | Format::Table | Format::Markdown => Ok(text(report)),
    }
}

/// The report as text.
fn text(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{} pages and {} includes of {DOCS_REPO}, and {} sources outside it, cited by {} facts.",
        s.pages, s.includes, s.outside, s.facts
    );
    if let Some(dir) = &report.docs {
        let _ = writeln!(
            out,
            "Checked against {dir}: {} changed after the review, {} missing, {} without ms.date{}.",
            s.changed,
            s.missing,
            s.undated,
            match s.unreadable {
                0 => String::new(),
                n => format!(", {n} unreadable"),
            }
        );
    }
    for src in &report.sources {
        let _ = writeln!(out, "\n{}", src.url);
        if let Some(f) = &src.file {
            let _ = writeln!(out, "  file: {f}");
        }
        match (src.status, &src.ms_date) {
            (Some(st), Some(date)) => {
                let _ = writeln!(out, "  ms.date {date}: {}", st.words());
            }
            (Some(st), None) => match &src.problem {
                Some(why) => {
                    let _ = writeln!(out, "  {} ({why})", st.words());
                }
                None => {
                    let _ = writeln!(out, "  {}", st.words());
                }
            },
            (None, _) if src.kind == Kind::Outside => {
                let _ = writeln!(out, "  {}", Status::Outside.words());
            }
            (None, _) if src.kind == Kind::Include => {
                let _ = writeln!(out, "  {}", Status::NotCompared.words());
            }
            (None, _) => {}
        }
        for c in &src.facts {
            let basis = c.basis.unwrap_or("basis not stated");
            let _ = writeln!(
                out,
                "  - {}: {} ({basis}; reviewed {})",
                c.file, c.path, c.reviewed
            );
        }
    }
    out
}
