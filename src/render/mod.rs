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
use crate::matrix::Matrix;
use crate::output::Styles;
use serde::Serialize;

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
#[derive(Debug, Serialize)]
pub struct Comparison<'a> {
    pub reviewed: &'a str,
    pub preference: &'a [String],
    pub versions: Vec<VersionView<'a>>,
    pub rows: Vec<RowView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct VersionView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub docs: &'a str,
}

#[derive(Debug, Serialize)]
pub struct RowView<'a> {
    pub feature: &'a str,
    /// Each version's value lines, keyed by version id, in matrix order.
    pub values: serde_json::Map<String, serde_json::Value>,
    pub source: &'a str,
    /// "documented" or "inferred"; null for a schema-1 matrix.
    pub basis: Option<&'static str>,
    pub see_also: &'a [String],
    pub note: Option<&'a str>,
    pub from_source_page: bool,
}

impl<'a> Comparison<'a> {
    pub fn new(matrix: &'a Matrix) -> Self {
        Comparison {
            reviewed: &matrix.reviewed,
            preference: &matrix.preference,
            versions: matrix
                .versions
                .iter()
                .map(|v| VersionView {
                    id: &v.id,
                    name: &v.name,
                    docs: &v.docs,
                })
                .collect(),
            rows: matrix
                .rows
                .iter()
                .map(|r| RowView {
                    feature: &r.feature,
                    values: matrix
                        .versions
                        .iter()
                        .map(|v| {
                            let lines = r.values.get(&v.id).cloned().unwrap_or_default();
                            (v.id.to_string(), serde_json::Value::from(lines.0))
                        })
                        .collect(),
                    source: &r.source,
                    basis: matrix.basis_stated().then(|| r.basis.as_str()),
                    see_also: &r.see_also,
                    note: r.note.as_deref(),
                    from_source_page: r.from_source_page,
                })
                .collect(),
        }
    }
}

/// `compare` in the chosen format.
pub fn compare(matrix: &Matrix, format: Format, styles: &Styles) -> Result<String, Error> {
    match format {
        Format::Text | Format::Table => Ok(table::compare(matrix, styles)),
        Format::Markdown => Ok(markdown::compare(matrix)),
        Format::Json => json::to_string(&Comparison::new(matrix)),
        Format::Yaml => yaml::to_string(&Comparison::new(matrix)),
    }
}

/// The apps as data: what `apps --format json` prints.
#[derive(Debug, Serialize)]
pub struct AppView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub aliases: &'a [String],
    pub session: &'a str,
    pub state: &'a str,
    /// Version id → support (yes, no, unconfirmed, conflicting).
    pub support: serde_json::Map<String, serde_json::Value>,
    /// Versions that support the app.
    pub versions: Vec<&'a str>,
    /// Each note's text; an inferred one ends "(inferred from …)".
    pub notes: Vec<String>,
    /// The app's retirement dates (SPEC 4.9), as the matrix writes them.
    pub lifecycle: Vec<LifecycleView<'a>>,
}

/// One dated retirement: what, when, for whom, and what replaces it.
#[derive(Debug, Serialize)]
pub struct LifecycleView<'a> {
    pub name: &'a str,
    pub deprecated: Option<&'a str>,
    pub end_of_support: Option<&'a str>,
    pub removed: Option<&'a str>,
    pub applies_to: Option<&'a str>,
    /// The successor as requirements (`{apps: [cs-workspace], host: [browser]}`).
    pub successor: serde_json::Map<String, serde_json::Value>,
    pub source: &'a str,
}

impl<'a> LifecycleView<'a> {
    pub fn of(l: &'a crate::matrix::Lifecycle) -> Self {
        LifecycleView {
            name: &l.name,
            deprecated: l.deprecated.as_deref(),
            end_of_support: l.end_of_support.as_deref(),
            removed: l.removed.as_deref(),
            applies_to: l.applies_to.as_deref(),
            successor: l
                .successor
                .0
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone())))
                .collect(),
            source: &l.source,
        }
    }

    /// "deprecated 2023-04; removed 2024-06 (new-organisations) → apps: cs-workspace".
    pub fn line(&self) -> String {
        let mut parts = Vec::new();
        for (word, date) in [
            ("deprecated", self.deprecated),
            ("end of support", self.end_of_support),
            ("removed", self.removed),
        ] {
            if let Some(d) = date {
                parts.push(format!("{word} {d}"));
            }
        }
        let mut line = format!("{}: {}", self.name, parts.join("; "));
        if let Some(a) = self.applies_to {
            line.push_str(&format!(" (for {a})"));
        }
        if !self.successor.is_empty() {
            let next: Vec<String> = self
                .successor
                .iter()
                .map(|(k, v)| {
                    let ids: Vec<&str> = v
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str())
                        .collect();
                    format!("{k}: {}", ids.join(", "))
                })
                .collect();
            line.push_str(&format!("; successor {}", next.join("; ")));
        }
        line
    }
}

pub fn app_views<'a>(matrix: &'a Matrix) -> Vec<AppView<'a>> {
    matrix
        .apps
        .iter()
        .map(|a| AppView {
            id: &a.id,
            name: &a.name,
            aliases: &a.aliases,
            session: a.session.as_str(),
            state: a.state.as_str(),
            support: matrix
                .versions
                .iter()
                .map(|v| {
                    let s = a
                        .support
                        .get(&v.id)
                        .map(|c| c.status.as_str())
                        .unwrap_or("unconfirmed");
                    (v.id.to_string(), serde_json::Value::from(s))
                })
                .collect(),
            versions: matrix
                .preferred_versions()
                .filter(|v| {
                    a.support
                        .get(&v.id)
                        .is_some_and(|c| c.status == crate::matrix::Support::Yes)
                })
                .map(|v| v.id.as_ref())
                .collect(),
            notes: a.notes.iter().map(|n| note_text(matrix, n)).collect(),
            lifecycle: matrix
                .lifecycle
                .iter()
                .filter(|l| l.subject.strip_prefix("apps=") == Some(a.id.as_ref()))
                .map(LifecycleView::of)
                .collect(),
        })
        .collect()
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

/// A decision in the chosen format.
pub fn decision(
    engine: &Engine,
    decision: &Decision,
    format: Format,
    styles: &Styles,
    verbose: bool,
) -> Result<String, Error> {
    decision_with_command(engine, decision, format, styles, verbose, None)
}

/// A decision in the chosen format; `command` is the command line that
/// reproduces it, which the decision record (`markdown`) shows.
pub fn decision_with_command(
    engine: &Engine,
    decision: &Decision,
    format: Format,
    styles: &Styles,
    verbose: bool,
    command: Option<&str>,
) -> Result<String, Error> {
    match format {
        Format::Text | Format::Table => Ok(text::decision(engine, decision, styles, verbose)),
        Format::Json => json::to_string(&json::DecisionView::new(engine, decision)),
        Format::Yaml => yaml::to_string(&json::DecisionView::new(engine, decision)),
        Format::Markdown => Ok(record::decision(
            engine,
            decision,
            &record::today()?,
            command,
        )),
    }
}

/// A version's display name (its id when the matrix has no such version).
pub fn version_name<'a>(engine: &'a Engine, id: &'a str) -> &'a str {
    engine
        .matrix
        .version(id)
        .map(|v| v.name.as_ref())
        .unwrap_or(id)
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
