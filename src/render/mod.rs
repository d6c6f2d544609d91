//! Rendering: a decision or the matrix into text, a table, Markdown, JSON or
//! YAML. Each function returns the whole output as a `String`, so every
//! format can be snapshot-tested; nothing here decides anything.

pub mod api;
pub mod check;
pub mod json;
pub mod markdown;
pub mod migrate;
pub mod outline;
pub mod record;
pub mod sources;
pub mod table;
pub mod teams;
pub mod text;
pub mod troubleshoot;
pub mod validate;
pub mod yaml;

use crate::engine::{Decision, Engine};
use crate::error::Error;
use crate::matrix::{App, Lifecycle, Matrix, Support, Version};
use crate::output::Styles;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// An output format. Each command offers some of them (its `--format`
/// values, which the command line turns into this); a view given a format
/// it has no form in takes its plain one (`Text` and `Table` are the plain
/// forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Table,
    Markdown,
    Json,
    Yaml,
}

impl Format {
    /// The name `--format` takes for it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Table => "table",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }
}

/// The comparison as data: what `compare --format json|yaml` prints.
fn comparison(matrix: &Matrix) -> Value {
    let versions: Vec<Value> = matrix
        .versions
        .iter()
        .map(|v| serde_json::json!({"id": v.id, "name": v.name, "docs": v.docs}))
        .collect();
    let rows: Vec<Value> = matrix
        .rows
        .iter()
        .map(|r| {
            // Each version's value lines, keyed by version id, in matrix order.
            let lines = |id: &str| Value::from(r.values.get(id).map_or(&[][..], |l| l.as_slice()));
            let values: Map<String, Value> = matrix
                .versions
                .iter()
                .map(|v| (v.id.to_string(), lines(&v.id)))
                .collect();
            // The basis is null for a schema-1 matrix.
            let basis = matrix.basis_stated().then(|| r.basis.as_str());
            serde_json::json!({
                "feature": r.feature,
                "values": values,
                "source": r.source,
                "basis": basis,
                "see_also": r.see_also,
                "note": r.note,
                "from_source_page": r.from_source_page,
            })
        })
        .collect();
    let (reviewed, preference) = (&matrix.reviewed, &matrix.preference);
    serde_json::json!({"reviewed": reviewed, "preference": preference, "versions": versions, "rows": rows})
}

/// `compare` in the chosen format.
pub fn compare(matrix: &Matrix, format: Format, styles: &Styles) -> Result<String, Error> {
    match format {
        Format::Text | Format::Table => Ok(table::compare(matrix, styles)),
        Format::Markdown => Ok(markdown::compare(matrix)),
        Format::Json => json::to_string(&comparison(matrix)),
        Format::Yaml => yaml::to_string(&comparison(matrix)),
    }
}

/// One dated retirement as data: what, when, for whom, and what replaces it
/// (the successor as requirements: `{apps: [cs-workspace], host: [browser]}`).
fn lifecycle_view(l: &Lifecycle) -> Value {
    serde_json::json!({
        "name": l.name,
        "deprecated": l.deprecated,
        "end_of_support": l.end_of_support,
        "removed": l.removed,
        "applies_to": l.applies_to,
        "successor": l.successor,
        "source": l.source,
    })
}

/// "Name: deprecated 2023-04; removed 2024-06 (for new-organisations);
/// successor apps: cs-workspace".
pub fn lifecycle_line(l: &Lifecycle) -> String {
    let dates = [
        ("deprecated", &l.deprecated),
        ("end of support", &l.end_of_support),
        ("removed", &l.removed),
    ];
    let dates: Vec<String> = dates
        .iter()
        .filter_map(|(word, date)| date.as_ref().map(|d| format!("{word} {d}")))
        .collect();
    let mut line = format!("{}: {}", l.name, dates.join("; "));
    if let Some(a) = &l.applies_to {
        let _ = write!(line, " (for {a})");
    }
    if !l.successor.0.is_empty() {
        let pair = |(k, ids): &(String, Vec<String>)| format!("{k}: {}", ids.join(", "));
        let next: Vec<String> = l.successor.0.iter().map(pair).collect();
        let _ = write!(line, "; successor {}", next.join("; "));
    }
    line
}

/// The apps as data: what `apps --format json|yaml` prints.
fn app_views(matrix: &Matrix) -> Vec<Value> {
    let app = |a: &App| {
        // Version id → support (yes, no, unconfirmed, conflicting).
        let support: Map<String, Value> = matrix
            .versions
            .iter()
            .map(|v| {
                let s = a.support.get(&v.id).map(|c| c.status.as_str());
                (v.id.to_string(), Value::from(s.unwrap_or("unconfirmed")))
            })
            .collect();
        let yes = |v: &&Version| {
            a.support
                .get(&v.id)
                .is_some_and(|c| c.status == Support::Yes)
        };
        let versions = matrix.preferred_versions().filter(yes);
        let versions: Vec<&str> = versions.map(|v| v.id.as_ref()).collect();
        // Each note's text; an inferred one ends "(inferred from …)".
        let notes: Vec<String> = a.notes.iter().map(|n| note_text(matrix, n)).collect();
        let its = |l: &&Lifecycle| l.subject.strip_prefix("apps=") == Some(a.id.as_ref());
        let lifecycle = matrix.lifecycle.iter().filter(its).map(lifecycle_view);
        let lifecycle: Vec<Value> = lifecycle.collect();
        serde_json::json!({
            "id": a.id,
            "name": a.name,
            "aliases": a.aliases,
            "session": a.session.as_str(),
            "state": a.state.as_str(),
            "support": support,
            "versions": versions,
            "notes": notes,
            "lifecycle": lifecycle,
        })
    };
    matrix.apps.iter().map(app).collect()
}

/// A note's text with its basis, as reasons and caveats show it.
pub fn note_text(matrix: &Matrix, n: &crate::matrix::Note) -> String {
    let basis = matrix.basis_stated().then_some(n.basis);
    let suffix = crate::engine::basis_suffix(basis, [n.source.as_ref()]);
    format!("{}{suffix}", n.text)
}

/// `apps` in the chosen format.
pub fn apps(matrix: &Matrix, format: Format, styles: &Styles) -> Result<String, Error> {
    match format {
        Format::Json => json::to_string(&app_views(matrix)),
        Format::Yaml => yaml::to_string(&app_views(matrix)),
        Format::Text | Format::Table | Format::Markdown => Ok(table::apps(matrix, styles)),
    }
}

/// A decision in the chosen format; `command` is the command line that
/// reproduces it, which the decision record (`markdown`) shows.
pub fn decision(
    engine: &Engine,
    d: &Decision,
    format: Format,
    styles: &Styles,
    verbose: bool,
    command: Option<&str>,
) -> Result<String, Error> {
    match format {
        Format::Text | Format::Table => Ok(text::decision(engine, d, styles, verbose)),
        Format::Json => json::to_string(&json::DecisionView::new(engine, d)),
        Format::Yaml => yaml::to_string(&json::DecisionView::new(engine, d)),
        Format::Markdown => Ok(record::decision(engine, d, &record::today()?, command)),
    }
}

/// A version's display name (its id when the matrix has no such version).
pub fn version_name<'a>(engine: &'a Engine, id: &'a str) -> &'a str {
    engine.matrix.version(id).map_or(id, |v| v.name.as_ref())
}

/// The apps' display names (an id where the matrix has no such app).
pub fn app_names<'a>(engine: &'a Engine, ids: &'a [String]) -> Vec<&'a str> {
    let name = |id: &'a String| {
        engine
            .matrix
            .app(id)
            .map_or(id.as_str(), |a| a.name.as_ref())
    };
    ids.iter().map(name).collect()
}

/// "a, b or c".
pub(crate) fn or_list<S: AsRef<str>>(items: &[S]) -> String {
    list(items, "or")
}

/// "a, b and c".
pub(crate) fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    list(items, "and")
}

fn list<S: AsRef<str>>(items: &[S], last_word: &str) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.as_slice() {
        [rest @ .., last] if !rest.is_empty() => format!("{} {last_word} {last}", rest.join(", ")),
        _ => items.concat(),
    }
}
