//! Terminal tables (comfy-table), fitted to the terminal width.

use crate::matrix::{Matrix, Support};
use comfy_table::{presets, Attribute, Cell, ContentArrangement, Table};
use std::fmt::Write;

/// A table with the project's style.
fn new_table(color: bool, width: Option<usize>) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    // Fit the terminal (or COLUMNS); a pipe gets the table unwrapped.
    match width {
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

/// The table with a header and rows (a cell may hold several lines), in the
/// project's style, fitted to the output width, and a newline.
pub fn draw(header: Vec<String>, rows: Vec<Vec<String>>, color: bool) -> String {
    let width = crate::output::width();
    if width.is_none() && !color {
        return draw_unbounded(&header, &rows);
    }
    draw_comfy(header, rows, color, width)
}

/// What comfy-table draws, and a newline.
fn draw_comfy(
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    color: bool,
    width: Option<usize>,
) -> String {
    let mut table = new_table(color, width);
    table.set_header(header.into_iter().map(|n| {
        let cell = Cell::new(n);
        if color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    for row in rows {
        table.add_row(row);
    }
    let mut out = table.to_string();
    out.push('\n');
    out
}

/// The same table as `draw_comfy` with no width to fit and no colour, drawn
/// directly. With nothing to wrap, each column is as wide as its widest
/// line, and that is all the layout there is; comfy-table's general layout
/// cost `compare` into a pipe about 0.5 M instructions and 16 pages of
/// memory, a quarter of its run time. A property test checks that both draw
/// the same text.
fn draw_unbounded(header: &[String], rows: &[Vec<String>]) -> String {
    use unicode_width::UnicodeWidthStr;
    let columns = rows.iter().map(Vec::len).fold(header.len(), usize::max);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            std::iter::once(header)
                .chain(rows.iter().map(Vec::as_slice))
                .filter_map(|row| row.get(c))
                .flat_map(|cell| cell.split('\n'))
                .map(UnicodeWidthStr::width)
                .fold(1, usize::max) // comfy-table's narrowest column
        })
        .collect();
    let mut out = String::new();
    let rule = |out: &mut String, left: char, line: char, cross: char, right: char| {
        out.push(left);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                out.push(cross);
            }
            out.extend(std::iter::repeat_n(line, w + 2));
        }
        out.push(right);
        out.push('\n');
    };
    let row_lines = |out: &mut String, row: &[String]| {
        let cells: Vec<Vec<&str>> = row.iter().map(|c| c.split('\n').collect()).collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for l in 0..height {
            out.push('│');
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    out.push('┆');
                }
                let text = cells.get(i).and_then(|c| c.get(l)).copied().unwrap_or("");
                out.push(' ');
                out.push_str(text);
                out.extend(std::iter::repeat_n(' ', w - text.width() + 1));
            }
            out.push('│');
            out.push('\n');
        }
    };
    rule(&mut out, '┌', '─', '┬', '┐');
    row_lines(&mut out, header);
    rule(&mut out, '╞', '═', '╪', '╡');
    for row in rows {
        row_lines(&mut out, row);
    }
    rule(&mut out, '└', '─', '┴', '┘');
    out
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
    let mut header = vec!["Feature".to_string()];
    header.extend(matrix.versions.iter().map(|v| v.name.to_string()));
    let rows = matrix
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = vec![format!("{} [{}]", r.feature, i + 1)];
            for v in &matrix.versions {
                let values = r.values.get(&v.id).map(|l| l.as_slice()).unwrap_or(&[]);
                row.push(bullets(values));
            }
            row
        })
        .collect();
    let mut out = draw(header, rows, color);
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
    let mut header: Vec<String> = ["App", "Name and aliases", "Session", "State"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(matrix.versions.iter().map(|v| v.name.to_string()));
    let rows = matrix
        .apps
        .iter()
        .map(|a| {
            let mut spellings = vec![a.name.to_string()];
            spellings.extend(a.aliases.iter().map(|s| s.to_string()));
            let mut row = vec![
                a.id.to_string(),
                spellings.join(", "),
                a.session.as_str().to_string(),
                a.state.as_str().to_string(),
            ];
            for v in &matrix.versions {
                row.push(support_word(a.support.get(&v.id).map(|c| c.status)).to_string());
            }
            row
        })
        .collect();
    let mut out = draw(header, rows, color);
    let noted: Vec<_> = matrix.apps.iter().filter(|a| !a.notes.is_empty()).collect();
    if !noted.is_empty() {
        let _ = writeln!(out, "Notes:");
        for a in noted {
            for n in &a.notes {
                let _ = writeln!(out, "  {}: {}", a.name, super::note_text(matrix, n));
                let _ = writeln!(out, "      {}", n.source);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cell() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a', 'Z', '7', ' ', '-', '•', 'é', '漢', '✓', '\n', '\t', '\u{200b}', '\u{301}', '🙂',
        ]);
        prop::collection::vec(chars, 0..14).prop_map(|c| c.into_iter().collect())
    }

    fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
        // Rows may be shorter or longer than the header.
        (1usize..5).prop_flat_map(|columns| {
            (
                prop::collection::vec(cell(), columns),
                prop::collection::vec(prop::collection::vec(cell(), 0..columns + 2), 0..6),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1_000))]

        /// With no width to fit and no colour, the direct drawing is
        /// comfy-table's, character for character.
        #[test]
        fn unbounded_tables_are_drawn_as_comfy_table_draws_them((header, rows) in table()) {
            let comfy = draw_comfy(header.clone(), rows.clone(), false, None);
            prop_assert_eq!(draw_unbounded(&header, &rows), comfy);
        }
    }

    #[test]
    fn the_compare_and_apps_tables_are_drawn_as_comfy_table_draws_them() {
        let matrix = Matrix::embedded().expect("embedded matrix");
        let mut header = vec!["Feature".to_string()];
        header.extend(matrix.versions.iter().map(|v| v.name.to_string()));
        let rows: Vec<Vec<String>> =
            matrix
                .rows
                .iter()
                .map(|r| {
                    let mut row = vec![r.feature.to_string()];
                    row.extend(matrix.versions.iter().map(|v| {
                        bullets(r.values.get(&v.id).map(|l| l.as_slice()).unwrap_or(&[]))
                    }));
                    row
                })
                .collect();
        assert_eq!(
            draw_unbounded(&header, &rows),
            draw_comfy(header, rows, false, None)
        );
    }
}
