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
    let s = &report.summary;
    let mut out = format!(
        "{} pages and {} includes of {DOCS_REPO}, and {} sources outside it, cited by {} facts.\n",
        s.pages, s.includes, s.outside, s.facts
    );
    if let Some(dir) = &report.docs {
        let unreadable = match s.unreadable {
            0 => String::new(),
            n => format!(", {n} unreadable"),
        };
        let (changed, missing, undated) = (s.changed, s.missing, s.undated);
        let _ = writeln!(
            out,
            "Checked against {dir}: {changed} changed after the review, {missing} missing, {undated} without ms.date{unreadable}."
        );
    }
    for src in &report.sources {
        let _ = writeln!(out, "\n{}", src.url);
        if let Some(f) = &src.file {
            let _ = writeln!(out, "  file: {f}");
        }
        // Without --docs, what an include or an outside source would get.
        let status = src.status.or(match src.kind {
            Kind::Outside => Some(Status::Outside),
            Kind::Include => Some(Status::NotCompared),
            Kind::Page => None,
        });
        if let Some(words) = status.map(Status::words) {
            let _ = match (&src.ms_date, &src.problem) {
                (Some(date), _) => writeln!(out, "  ms.date {date}: {words}"),
                (None, Some(why)) => writeln!(out, "  {words} ({why})"),
                (None, None) => writeln!(out, "  {words}"),
            };
        }
        for c in &src.facts {
            let basis = c.basis.unwrap_or("basis not stated");
            let (file, path, reviewed) = (&c.file, &c.path, &c.reviewed);
            let _ = writeln!(out, "  - {file}: {path} ({basis}; reviewed {reviewed})");
        }
    }
    out
}
