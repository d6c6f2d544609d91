//! Terminal tables (comfy-table), fitted to the terminal width.

use crate::matrix::{Matrix, Support};
use comfy_table::{presets, Attribute, Cell, ContentArrangement, Table};
use std::fmt::Write;

/// A table with the project's style.
pub fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    // Fit the terminal (or COLUMNS); a pipe gets the table unwrapped.
    match crate::output::width() {
        Some(w) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(u16::try_from(w).unwrap_or(u16::MAX));
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

pub fn header(names: impl IntoIterator<Item = String>, color: bool) -> Vec<Cell> {
    names
        .into_iter()
        .map(|n| {
            let cell = Cell::new(n);
            if color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        })
        .collect()
}

fn bullets<S: AsRef<str>>(values: &[S]) -> String {
    if values.len() <= 1 {
        values.iter().map(|v| v.as_ref()).collect()
    } else {
        values
            .iter()
            .map(|v| format!("• {}", v.as_ref()))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The comparison table, then the rows' sources and notes as footnotes.
pub fn compare(matrix: &Matrix, color: bool) -> String {
    let mut table = new_table(color);
    let mut names = vec!["Feature".to_string()];
    names.extend(matrix.versions.iter().map(|v| v.name.to_string()));
    table.set_header(header(names, color));
    for (i, r) in matrix.rows.iter().enumerate() {
        let mut row = vec![Cell::new(format!("{} [{}]", r.feature, i + 1))];
        for v in &matrix.versions {
            let values = r.values.get(&v.id).map(|l| l.as_slice()).unwrap_or(&[]);
            row.push(Cell::new(bullets(values)));
        }
        table.add_row(row);
    }
    let mut out = table.to_string();
    out.push('\n');
    let from_page = matrix.rows.iter().filter(|r| r.from_source_page).count();
    let _ = writeln!(
        out,
        "Rows 1-{from_page} reproduce Microsoft's comparison matrix; facts reviewed {}.",
        matrix.reviewed
    );
    let _ = writeln!(out, "Sources:");
    for (i, r) in matrix.rows.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {}", i + 1, r.source);
        for s in &r.see_also {
            let _ = writeln!(out, "      {s}");
        }
        if let Some(note) = &r.note {
            let _ = writeln!(out, "      Note: {note}");
        }
    }
    out
}

fn support_word(s: Option<Support>) -> &'static str {
    match s {
        Some(Support::Yes) => "yes",
        Some(Support::No) => "no",
        Some(Support::Unconfirmed) => "unconfirmed",
        Some(Support::Conflicting) => "conflicting",
        None => "-",
    }
}

/// The apps table.
pub fn apps(matrix: &Matrix, color: bool) -> String {
    let mut table = new_table(color);
    let mut names: Vec<String> = ["App", "Name and aliases", "Session", "State"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    names.extend(matrix.versions.iter().map(|v| v.name.to_string()));
    table.set_header(header(names, color));
    for a in &matrix.apps {
        let mut spellings = vec![a.name.to_string()];
        spellings.extend(a.aliases.iter().map(|s| s.to_string()));
        let mut row = vec![
            Cell::new(&a.id),
            Cell::new(spellings.join(", ")),
            Cell::new(a.session.as_str()),
            Cell::new(a.state.as_str()),
        ];
        for v in &matrix.versions {
            row.push(Cell::new(support_word(
                a.support.get(&v.id).map(|c| c.status),
            )));
        }
        table.add_row(row);
    }
    let mut out = table.to_string();
    out.push('\n');
    let noted: Vec<_> = matrix.apps.iter().filter(|a| !a.notes.is_empty()).collect();
    if !noted.is_empty() {
        let _ = writeln!(out, "Notes:");
        for a in noted {
            for n in &a.notes {
                let _ = writeln!(out, "  {}: {}", a.name, n.text);
                let _ = writeln!(out, "      {}", n.source);
            }
        }
    }
    out
}
