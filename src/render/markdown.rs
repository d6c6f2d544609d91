//! Markdown output: GitHub-flavoured tables that paste into documents.

use crate::matrix::Matrix;
use std::fmt::Write;

/// Escapes text for a Markdown table cell.
pub fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// Several lines in one cell.
pub fn lines<S: AsRef<str>>(values: &[S]) -> String {
    values
        .iter()
        .map(|v| cell(v.as_ref()))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The comparison table.
pub fn compare(matrix: &Matrix) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Channel Integration Framework: {}\n",
        matrix
            .versions
            .iter()
            .map(|v| v.name.as_ref())
            .collect::<Vec<_>>()
            .join(" vs ")
    );
    let _ = write!(out, "| Feature |");
    for v in &matrix.versions {
        let _ = write!(out, " {} |", cell(&v.name));
    }
    let _ = writeln!(out, " Source |");
    let _ = write!(out, "|---|");
    for _ in &matrix.versions {
        let _ = write!(out, "---|");
    }
    let _ = writeln!(out, "---|");
    for r in &matrix.rows {
        let _ = write!(out, "| {} |", cell(&r.feature));
        for v in &matrix.versions {
            let values = r.values.get(&v.id).map(|l| l.as_slice()).unwrap_or(&[]);
            let _ = write!(out, " {} |", lines(values));
        }
        let mut sources = vec![format!("[source]({})", r.source)];
        sources.extend(
            r.see_also
                .iter()
                .enumerate()
                .map(|(i, s)| format!("[{}]({s})", i + 2)),
        );
        let _ = writeln!(out, " {} |", sources.join(" "));
    }
    let notes: Vec<_> = matrix
        .rows
        .iter()
        .filter_map(|r| r.note.as_ref().map(|n| (&r.feature, n)))
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(out, "\nNotes:\n");
        for (feature, note) in notes {
            let _ = writeln!(out, "- **{}**: {}", cell(feature), cell(note));
        }
    }
    let from_page = matrix.rows.iter().filter(|r| r.from_source_page).count();
    let _ = writeln!(
        out,
        "\nThe first {from_page} rows reproduce Microsoft's comparison matrix. Facts reviewed {}.",
        matrix.reviewed
    );
    out
}
