//! Terminal tables (comfy-table), fitted to the terminal width.

use crate::matrix::{Matrix, Row, Version};
use crate::output::Styles;
use comfy_table::{presets, Attribute, Cell, ColumnConstraint, ContentArrangement, Table, Width};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// The table with a header and rows (a cell may hold several lines), in the
/// project's style, fitted to the table width (the terminal's, `COLUMNS`,
/// or 100 columns in a pipe: `Styles::table_width`), and a newline.
///
/// The first column holds what a reader copies (an app id, an API member,
/// a feature), so its words are never broken: it is at least as wide as its
/// longest word. The other columns too, when the table fits that way;
/// otherwise comfy-table breaks their long words.
pub fn draw(header: Vec<String>, rows: Vec<Vec<String>>, s: &Styles) -> String {
    let (color, width) = (s.color, s.table_width());
    let header: Vec<String> = header.into_iter().map(tidy).collect();
    let tidy_row = |r: Vec<String>| r.into_iter().map(tidy).collect();
    let rows: Vec<Vec<String>> = rows.into_iter().map(tidy_row).collect();
    let lines = longest(&header, &rows, |cell| cell.split('\n'));
    let wraps = table_width_of(lines.iter().copied()) > width;
    // Only a table that wraps needs its longest words.
    let words = wraps.then(|| longest(&header, &rows, str::split_whitespace));
    let words = words.unwrap_or_default();
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX));
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    let bold = if color { vec![Attribute::Bold] } else { vec![] };
    let cell = |n: String| Cell::new(n).add_attributes(bold.clone());
    table.set_header(header.into_iter().map(cell));
    table.add_rows(rows);
    // Keep words whole when the table wraps: in the first column always,
    // in all when they fit.
    if wraps {
        if table_width_of(words.iter().copied()) <= width {
            for (column, w) in table.column_iter_mut().zip(fill(&words, &lines, width)) {
                let w = u16::try_from(w + 2).unwrap_or(u16::MAX); // with the padding
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w)));
            }
        } else if let Some(column) = table.column_mut(0) {
            let w = u16::try_from(words[0] + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
        }
    }
    let mut out = table.to_string();
    out.push('\n');
    out
}

/// A cell without spaces at its lines' ends (comfy-table drops them when it
/// fits a table to a width, so they must not count).
fn tidy(cell: String) -> String {
    if cell.split('\n').all(|line| line.trim().len() == line.len()) {
        return cell;
    }
    cell.split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each column's widest piece (at least 1, comfy-table's narrowest column),
/// the cells split into pieces by `split`.
fn longest<'a, I: Iterator<Item = &'a str>>(
    header: &'a [String],
    rows: &'a [Vec<String>],
    split: impl Fn(&'a str) -> I,
) -> Vec<usize> {
    let columns = rows.iter().map(Vec::len).fold(header.len(), usize::max);
    let mut widths = vec![1; columns];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = split(cell).map(UnicodeWidthStr::width).fold(*w, usize::max);
        }
    }
    widths
}

/// The width of a table of columns this wide: each column, its padding (a
/// space each side) and the borders.
fn table_width_of(columns: impl ExactSizeIterator<Item = usize>) -> usize {
    let n = columns.len();
    columns.sum::<usize>() + 3 * n + 1
}

/// Column widths for a table `width` wide: each column its longest word,
/// then what is left given a column at a time to the narrowest column that
/// would still wrap (none beyond its widest line), so that the wrapping
/// columns come out even.
fn fill(words: &[usize], lines: &[usize], width: usize) -> Vec<usize> {
    let mut widths = words.to_vec();
    let spare = width.saturating_sub(table_width_of(words.iter().copied()));
    for _ in 0..spare {
        let narrowest = (0..widths.len())
            .filter(|&i| widths[i] < lines[i])
            .min_by_key(|&i| widths[i]);
        match narrowest {
            Some(i) => widths[i] += 1,
            None => break,
        }
    }
    widths
}

/// A cell of several values, one bullet a line (a lone value bare).
fn bullets(values: &[String]) -> String {
    match values {
        [] => String::new(),
        [one] => one.clone(),
        many => format!("• {}", many.join("\n• ")),
    }
}

/// The comparison table, then the rows' sources and notes as footnotes.
pub fn compare(matrix: &Matrix, s: &Styles) -> String {
    let mut header = vec!["Feature".to_string()];
    header.extend(matrix.versions.iter().map(|v| v.name.to_string()));
    let row = |(i, r): (usize, &Row)| {
        let cell = |v: &Version| bullets(r.values.get(&v.id).map_or(&[], |l| l));
        let values = matrix.versions.iter().map(cell);
        std::iter::once(format!("{} [{}]", r.feature, i + 1))
            .chain(values)
            .collect()
    };
    let rows = matrix.rows.iter().enumerate().map(row).collect();
    let mut out = draw(header, rows, s);
    let from_page = matrix.rows.iter().filter(|r| r.from_source_page).count();
    let _ = writeln!(
        out,
        "Rows 1-{from_page} reproduce Microsoft's comparison matrix; facts reviewed {}.\nSources:",
        matrix.reviewed
    );
    for (i, r) in matrix.rows.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {}", i + 1, r.source);
        for s in &r.see_also {
            let _ = writeln!(out, "      {s}");
        }
        if let Some(note) = &r.note {
            footnote(&mut out, s, "      Note: ", "      ", note);
        }
    }
    out
}

/// Writes `text` wrapped to the table width (the first line after `first`,
/// the rest after `rest`), words whole: a link stays on one line, however
/// long, so that it can be copied or clicked.
fn footnote(out: &mut String, s: &Styles, first: &str, rest: &str, text: &str) {
    let options = textwrap::Options::new(s.table_width()).break_words(false);
    super::text::wrap_with(out, options, first, rest, text);
}

/// The apps table: each app's id, name and aliases (what `--app` takes),
/// its session mode and state, and which version supports it.
///
/// The id column is never broken (see `draw`). The aliases are copied as
/// whole words too, so they stay in the table only when it fits that way
/// (at 100 columns, what a pipe gets, with today's matrix); in a narrower
/// table they are listed under it, one app a line.
pub fn apps(matrix: &Matrix, s: &Styles) -> String {
    let (header, rows) = apps_table(matrix, true);
    let words = longest(&header, &rows, str::split_whitespace);
    let aliases_in_table = table_width_of(words.into_iter()) <= s.table_width();
    let (header, rows) = match aliases_in_table {
        true => (header, rows),
        false => apps_table(matrix, false),
    };
    let mut out = draw(header, rows, s);
    if !aliases_in_table {
        let _ = writeln!(out, "Aliases (--app takes each as the app's id):");
        for a in matrix.apps.iter().filter(|a| !a.aliases.is_empty()) {
            let first = format!("  {}: ", a.id);
            let rest = " ".repeat(first.len() + 2);
            footnote(&mut out, s, &first, &rest, &a.aliases.join(", "));
        }
    }
    write_app_notes(&mut out, matrix, s);
    out
}

/// The apps table's header and rows, with or without the aliases.
fn apps_table(matrix: &Matrix, with_aliases: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let names = if with_aliases {
        "Name (state) and aliases"
    } else {
        "Name (state)"
    };
    let mut header: Vec<String> = vec!["App".into(), names.into(), "Session".into()];
    header.extend(matrix.versions.iter().map(|v| v.name.to_string()));
    let row = |a: &crate::matrix::App| {
        let mut spellings = vec![match a.state.as_str() {
            "active" => a.name.to_string(),
            state => format!("{} ({state})", a.name),
        }];
        if with_aliases {
            spellings.extend(a.aliases.iter().map(|s| s.to_string()));
        }
        let support = |v: &Version| a.support.get(&v.id).map_or("-", |c| c.status.as_str());
        let row: [&str; 3] = [&a.id, &spellings.join(", "), a.session.as_str()];
        let versions = matrix.versions.iter().map(support);
        row.into_iter().chain(versions).map(String::from).collect()
    };
    (header, matrix.apps.iter().map(row).collect())
}

/// The apps' notes and the retirement dates, under the apps table.
fn write_app_notes(out: &mut String, matrix: &Matrix, s: &Styles) {
    if matrix.apps.iter().any(|a| !a.notes.is_empty()) {
        let _ = writeln!(out, "Notes:");
    }
    for a in &matrix.apps {
        for n in &a.notes {
            let first = format!("  {}: ", a.name);
            footnote(out, s, &first, "    ", &super::note_text(matrix, n));
            let _ = writeln!(out, "      {}", n.source);
        }
    }
    if !matrix.lifecycle.is_empty() {
        out.push_str("Dates (deprecated, end of support, removed; `--as-of` evaluates them):\n");
        for l in &matrix.lifecycle {
            let line = super::lifecycle_line(l);
            footnote(out, s, &format!("  {}: ", l.subject), "    ", &line);
            let _ = writeln!(out, "      {}", l.source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Cells of characters one column wide, spaces and line breaks.
    fn cell() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a', 'Z', '7', ' ', '-', '•', 'é', '✓', '\n', '(', '/', '.',
        ]);
        prop::collection::vec(chars, 0..14).prop_map(|c| c.into_iter().collect::<String>())
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
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Fitted to a width that holds the first column's longest word
        /// (and a column each for the rest), no line is wider, and the
        /// first column's words are whole.
        #[test]
        fn fitted_tables_keep_to_the_width(
            (header, rows) in table(),
            width in 10usize..80,
        ) {
            let tidy_rows: Vec<Vec<String>> =
                rows.iter().map(|r| r.iter().cloned().map(tidy).collect()).collect();
            let tidy_header: Vec<String> = header.iter().cloned().map(tidy).collect();
            let words = longest(&tidy_header, &tidy_rows, str::split_whitespace);
            let least = table_width_of(
                words.iter().enumerate().map(|(i, &w)| if i == 0 { w } else { 1 }),
            );
            prop_assume!(width >= least);
            let styles = Styles::new(false).with_width(Some(width));
            let out = draw(header.clone(), rows.clone(), &styles);
            for line in out.lines() {
                prop_assert!(line.width() <= width, "{} > {}:\n{}", line.width(), width, out);
            }
            // Each word of the first column is on one line of the table;
            // every word of every column too when the widths allow it.
            let all = table_width_of(words.iter().copied()) <= width;
            let column = |c: usize| -> Vec<String> {
                out.lines()
                    .filter_map(|l| l.strip_prefix('│'))
                    .filter_map(|l| l.split(['┆', '│']).nth(c).map(str::to_string))
                    .collect()
            };
            for c in 0..words.len() {
                if c > 0 && !all {
                    continue;
                }
                let lines = column(c);
                let cells = std::iter::once(&header).chain(rows.iter()).filter_map(|r| r.get(c));
                for cell in cells {
                    for word in cell.split_whitespace() {
                        prop_assert!(
                            lines.iter().any(|l| l.contains(word)),
                            "{:?} broken at {}:\n{}", word, width, out
                        );
                    }
                }
            }
        }
    }
}
