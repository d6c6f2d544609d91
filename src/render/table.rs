//! Terminal tables (comfy-table), fitted to the terminal width.

use crate::matrix::{Matrix, Support};
use crate::output::Styles;
use comfy_table::{presets, Attribute, Cell, ColumnConstraint, ContentArrangement, Table, Width};
use std::fmt::Write;

/// A table with the project's style, fitted to `width` columns.
fn new_table(color: bool, width: usize) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX));
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

/// The table with a header and rows (a cell may hold several lines), in the
/// project's style, fitted to the table width (the terminal's, `COLUMNS`,
/// or 100 columns in a pipe: `Styles::table_width`), and a newline.
///
/// The first column holds what a reader copies (an app id, an API member,
/// a feature), so its words are never broken: it is at least as wide as its
/// longest word. The other columns too, when the table fits that way;
/// otherwise comfy-table breaks their long words.
pub fn draw(header: Vec<String>, rows: Vec<Vec<String>>, s: &Styles) -> String {
    let color = s.color;
    let header: Vec<String> = header.into_iter().map(tidy).collect();
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| r.into_iter().map(tidy).collect())
        .collect();
    let width = s.table_width();
    if !color {
        let widths = column_widths(&header, &rows);
        let naturals: Vec<usize> = widths.iter().map(|w| w.0).collect();
        if table_width_of(naturals.iter().copied()) <= width {
            return draw_lines(&header, &rows, &naturals);
        }
        let words: Vec<usize> = widths.iter().map(|w| w.1).collect();
        if table_width_of(words.iter().copied()) <= width {
            let widths = fill(&words, &naturals, width);
            if let Some(out) = draw_wrapped(&header, &rows, &widths) {
                return out;
            }
        }
    }
    draw_comfy(header, rows, color, width)
}

/// A table whose every word fits whole at `widths`, wrapped here (greedy,
/// as comfy-table wraps) and drawn directly: comfy-table's layout and
/// wrapping cost `compare` into a pipe about 1.1 M of its 2.8 M
/// instructions. A property test checks that both draw the same text.
/// `None` when a wrapped line is still wider than its column (a "word" of
/// textwrap's that `split_whitespace` splits, as at a no-break space):
/// comfy-table lays such a table out.
fn draw_wrapped(header: &[String], rows: &[Vec<String>], widths: &[usize]) -> Option<String> {
    let wrap = |cell: &String, w: usize| -> String {
        let options = textwrap::Options::new(w.max(1))
            .break_words(false)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        // The wrapped lines, each without its trailing spaces, one String.
        let mut out = String::with_capacity(cell.len() + 16);
        let mut first = true;
        for line in cell.split('\n') {
            for l in textwrap::wrap(line, &options) {
                if !std::mem::take(&mut first) {
                    out.push('\n');
                }
                out.push_str(l.trim_end());
            }
        }
        out
    };
    let wrap_row = |row: &[String]| -> Vec<String> {
        row.iter()
            .zip(widths)
            .map(|(cell, &w)| wrap(cell, w))
            .collect()
    };
    let header = wrap_row(header);
    let rows: Vec<Vec<String>> = rows.iter().map(|r| wrap_row(r)).collect();
    let fits = std::iter::once(&header).chain(&rows).all(|row| {
        row.iter()
            .zip(widths)
            .all(|(cell, &w)| cell.split('\n').all(|l| width(l) <= w))
    });
    fits.then(|| draw_lines(&header, &rows, widths))
}

/// The columns `text` takes, as unicode-width counts them; printable ASCII,
/// most of a table, is one column a byte and is not looked up.
fn width(text: &str) -> usize {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        text.len()
    } else {
        unicode_width::UnicodeWidthStr::width(text)
    }
}

/// A cell without spaces at its lines' ends (comfy-table drops them when it
/// fits a table to a width, so the direct drawing must not count them).
fn tidy(cell: String) -> String {
    if cell.split('\n').all(|l| l.len() == l.trim().len()) {
        return cell;
    }
    cell.split('\n')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The widths (in columns) of each column's widest line and of its longest
/// word.
fn column_widths(header: &[String], rows: &[Vec<String>]) -> Vec<(usize, usize)> {
    let columns = rows.iter().map(Vec::len).fold(header.len(), usize::max);
    (0..columns)
        .map(|c| {
            let cells = || {
                std::iter::once(header)
                    .chain(rows.iter().map(Vec::as_slice))
                    .filter_map(move |row| row.get(c))
            };
            let line = cells()
                .flat_map(|cell| cell.split('\n'))
                .map(width)
                .fold(1, usize::max); // comfy-table's narrowest column
            let word = cells()
                .flat_map(|cell| cell.split_whitespace())
                .map(width)
                .fold(1, usize::max);
            (line, word)
        })
        .collect()
}

/// The width of a table of columns this wide: each column, its padding (a
/// space each side) and the borders.
fn table_width_of(columns: impl ExactSizeIterator<Item = usize>) -> usize {
    let n = columns.len();
    columns.sum::<usize>() + 3 * n + 1
}

/// The width of the table drawn with nothing wrapped.
#[cfg(test)]
fn natural_width(header: &[String], rows: &[Vec<String>]) -> usize {
    let widths = column_widths(header, rows);
    table_width_of(widths.iter().map(|w| w.0))
}

/// Column widths for a table `width` wide: each column its longest word,
/// then what is left given a column at a time to the narrowest column that
/// would still wrap (none beyond its widest line), so that the wrapping
/// columns come out as even as comfy-table makes them.
fn fill(words: &[usize], naturals: &[usize], width: usize) -> Vec<usize> {
    let mut widths = words.to_vec();
    let spare = width.saturating_sub(table_width_of(words.iter().copied()));
    for _ in 0..spare {
        let narrowest = (0..widths.len())
            .filter(|&i| widths[i] < naturals[i])
            .min_by_key(|&i| widths[i]);
        match narrowest {
            Some(i) => widths[i] += 1,
            None => break,
        }
    }
    widths
}

/// What comfy-table draws at `width` columns, and a newline.
fn draw_comfy(header: Vec<String>, rows: Vec<Vec<String>>, color: bool, width: usize) -> String {
    let widths = column_widths(&header, &rows);
    let words: Vec<usize> = widths.iter().map(|w| w.1).collect();
    // Nothing to wrap when the table fits as it is; comfy-table would pin a
    // column with a lower boundary to it, so there is none then.
    let wraps = table_width_of(widths.iter().map(|w| w.0)) > width;
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
    // Keep words whole: in the first column always, in all when they fit.
    if wraps {
        let naturals: Vec<usize> = widths.iter().map(|w| w.0).collect();
        if table_width_of(words.iter().copied()) <= width {
            // Every word fits whole: the widths are laid out here, and
            // comfy-table only wraps within them.
            for (column, w) in table.column_iter_mut().zip(fill(&words, &naturals, width)) {
                let w = u16::try_from(w + 2).unwrap_or(u16::MAX); // with the padding
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w)));
            }
        } else if let Some(column) = table.column_mut(0) {
            // The first column's words whole; comfy-table lays out the rest.
            let w = u16::try_from(words[0] + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
        }
    }
    let mut out = table.to_string();
    out.push('\n');
    out
}

/// The same table as `draw_comfy` when it fits the width unwrapped and has
/// no colour, drawn directly (as `draw` draws it, with the widths it has
/// measured). With nothing to wrap, each column is as wide as its widest
/// line, and that is all the layout there is; comfy-table's general layout
/// cost `compare` into a pipe about 0.5 M instructions and 16 pages of
/// memory, a quarter of its run time. A property test checks that both draw
/// the same text.
#[cfg(test)]
fn draw_unbounded(header: &[String], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = column_widths(header, rows).iter().map(|w| w.0).collect();
    draw_lines(header, rows, &widths)
}

/// At least the bytes `draw_lines` writes: a line holds its borders (3
/// bytes each) and each column's width and padding (a rule's are 3 bytes
/// each), and a text line its text's bytes beyond that.
fn most_bytes(header: &[String], rows: &[Vec<String>], widths: &[usize]) -> usize {
    let lines = |row: &[String]| row.iter().map(|c| c.split('\n').count()).max().unwrap_or(1);
    let text: usize = std::iter::once(header)
        .chain(rows.iter().map(Vec::as_slice))
        .flatten()
        .map(String::len)
        .sum();
    let height = 3 + lines(header) + rows.iter().map(|r| lines(r)).sum::<usize>();
    let line = 3 * (widths.len() + 1) + 3 * widths.iter().map(|w| w + 2).sum::<usize>() + 1;
    height * line + text
}

/// Draws cells whose lines fit `widths`, in comfy-table's style.
fn draw_lines(header: &[String], rows: &[Vec<String>], widths: &[usize]) -> String {
    // Room for the whole table at once: growing it by doubling touched
    // pages of memory that cost more than the drawing.
    let most = most_bytes(header, rows, widths);
    let mut out = String::with_capacity(most);
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
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(text)) + 1));
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
    // Checked on every table the tests draw (random ones among them).
    debug_assert!(out.len() <= most, "{} > {most} bytes", out.len());
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
pub fn compare(matrix: &Matrix, s: &Styles) -> String {
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
    let mut out = draw(header, rows, s);
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
            footnote(&mut out, s, "      Note: ", "      ", note);
        }
    }
    out
}

/// Writes `text` wrapped to the table width (the first line after `first`,
/// the rest after `rest`), words whole: a link stays on one line, however
/// long, so that it can be copied or clicked.
fn footnote(out: &mut String, s: &Styles, first: &str, rest: &str, text: &str) {
    let options = textwrap::Options::new(s.table_width())
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, options) {
        let _ = writeln!(out, "{line}");
    }
}

fn support_word(s: Option<Support>) -> &'static str {
    match s {
        Some(Support::Yes) => "yes",
        Some(Support::No) => "no",
        Some(Support::Unconfirmed) => "unconfirmed",
        Some(Support::Conflicting) => "conflicting",
        Some(Support::Limited) => "limited",
        None => "-",
    }
}

/// The apps table: each app's id, name and aliases (what `--app` takes),
/// its session mode and state, and which version supports it.
///
/// The id column is never broken (see `draw`). The aliases are copied as
/// whole words too, so they stay in the table only when it fits that way
/// (at 100 columns, what a pipe gets, with today's matrix); in a narrower
/// table they are listed under it, one app a line.
pub fn apps(matrix: &Matrix, s: &Styles) -> String {
    let width = s.table_width();
    let name = |a: &crate::matrix::App| match a.state.as_str() {
        "active" => a.name.to_string(),
        state => format!("{} ({state})", a.name),
    };
    let aliases = |a: &crate::matrix::App| -> Vec<String> {
        a.aliases.iter().map(|s| s.to_string()).collect()
    };
    let table = |with_aliases: bool| {
        let mut header: Vec<String> = vec![
            "App".into(),
            if with_aliases {
                "Name (state) and aliases".into()
            } else {
                "Name (state)".into()
            },
            "Session".into(),
        ];
        header.extend(matrix.versions.iter().map(|v| v.name.to_string()));
        let rows: Vec<Vec<String>> = matrix
            .apps
            .iter()
            .map(|a| {
                let mut spellings = vec![name(a)];
                if with_aliases {
                    spellings.extend(aliases(a));
                }
                let mut row = vec![
                    a.id.to_string(),
                    spellings.join(", "),
                    a.session.as_str().to_string(),
                ];
                for v in &matrix.versions {
                    row.push(support_word(a.support.get(&v.id).map(|c| c.status)).to_string());
                }
                row
            })
            .collect();
        (header, rows)
    };
    let (header, rows) = table(true);
    let words: Vec<usize> = column_widths(&header, &rows).iter().map(|w| w.1).collect();
    let aliases_in_table = table_width_of(words.into_iter()) <= width;
    let (header, rows) = if aliases_in_table {
        (header, rows)
    } else {
        table(false)
    };
    let mut out = draw(header, rows, s);
    if !aliases_in_table {
        let _ = writeln!(out, "Aliases (--app takes each as the app's id):");
        for a in matrix.apps.iter().filter(|a| !a.aliases.is_empty()) {
            let first = format!("  {}: ", a.id);
            let rest = " ".repeat(first.len() + 2);
            footnote(&mut out, s, &first, &rest, &aliases(a).join(", "));
        }
    }
    let noted: Vec<_> = matrix.apps.iter().filter(|a| !a.notes.is_empty()).collect();
    if !noted.is_empty() {
        let _ = writeln!(out, "Notes:");
        for a in noted {
            for n in &a.notes {
                footnote(
                    &mut out,
                    s,
                    &format!("  {}: ", a.name),
                    "    ",
                    &super::note_text(matrix, n),
                );
                let _ = writeln!(out, "      {}", n.source);
            }
        }
    }
    if !matrix.lifecycle.is_empty() {
        let _ = writeln!(
            out,
            "Dates (deprecated, end of support, removed; `--as-of` evaluates them):"
        );
        for l in &matrix.lifecycle {
            let view = super::LifecycleView::of(l);
            footnote(
                &mut out,
                s,
                &format!("  {}: ", l.subject),
                "    ",
                &view.line(),
            );
            let _ = writeln!(out, "      {}", l.source);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Cells of characters one column wide, spaces and line breaks.
    /// (comfy-table's dynamic layout does not measure double-width
    /// characters, CJK or emoji, as it then draws them; the matrix has none.)
    fn cell() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a', 'Z', '7', ' ', '-', '•', 'é', '✓', '\n', '(', '/', '.',
        ]);
        // As `draw` passes them on: no spaces at the lines' ends.
        prop::collection::vec(chars, 0..14).prop_map(|c| tidy(c.into_iter().collect::<String>()))
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

        /// The ASCII shortcut counts as unicode-width counts, for any text
        /// (control characters, and ASCII beside other characters, too).
        #[test]
        fn width_is_unicode_widths(text in "[ -~]{0,12}|\\PC{0,12}|[\\x00-\\x7f]{0,12}") {
            use unicode_width::UnicodeWidthStr;
            prop_assert_eq!(width(&text), text.width());
        }

        /// When the table fits the width unwrapped (and has no colour), the
        /// direct drawing is comfy-table's, character for character.
        #[test]
        fn unbounded_tables_are_drawn_as_comfy_table_draws_them(
            (header, rows) in table(),
            spare in 0usize..30,
        ) {
            let width = natural_width(&header, &rows) + spare;
            let comfy = draw_comfy(header.clone(), rows.clone(), false, width);
            prop_assert_eq!(draw_unbounded(&header, &rows), comfy);
        }

        /// When every word fits whole at the width (and there is no
        /// colour), the direct wrapped drawing is comfy-table's.
        #[test]
        fn wrapped_tables_are_drawn_as_comfy_table_draws_them(
            (header, rows) in table(),
            at in 0.0f64..1.0,
        ) {
            let widths = column_widths(&header, &rows);
            let naturals: Vec<usize> = widths.iter().map(|w| w.0).collect();
            let words: Vec<usize> = widths.iter().map(|w| w.1).collect();
            // A width from "every word just fits" up to one short of unwrapped.
            let (least, most) = (
                table_width_of(words.iter().copied()),
                table_width_of(naturals.iter().copied()),
            );
            prop_assume!(most > least);
            let width = least + ((most - 1 - least) as f64 * at) as usize;
            let comfy = draw_comfy(header.clone(), rows.clone(), false, width);
            let widths = fill(&words, &naturals, width);
            if let Some(direct) = draw_wrapped(&header, &rows, &widths) {
                prop_assert_eq!(direct, comfy);
            }
        }

        /// Fitted to a width that holds the first column's longest word
        /// (and a column each for the rest), no line is wider, and the
        /// first column's words are whole.
        #[test]
        fn fitted_tables_keep_to_the_width(
            (header, rows) in table(),
            width in 10usize..80,
        ) {
            use unicode_width::UnicodeWidthStr;
            let widths = column_widths(&header, &rows);
            let least = table_width_of(
                widths.iter().enumerate().map(|(i, w)| if i == 0 { w.1 } else { 1 }),
            );
            prop_assume!(width >= least);
            let out = draw_comfy(header.clone(), rows.clone(), false, width);
            for line in out.lines() {
                prop_assert!(line.width() <= width, "{} > {}:\n{}", line.width(), width, out);
            }
            // Each word of the first column is on one line of the table;
            // every word of every column too when the widths allow it.
            let all = table_width_of(widths.iter().map(|w| w.1)) <= width;
            let column = |c: usize| -> Vec<String> {
                out.lines()
                    .filter_map(|l| l.strip_prefix('│'))
                    .filter_map(|l| l.split(['┆', '│']).nth(c).map(str::to_string))
                    .collect()
            };
            for c in 0..widths.len() {
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

    #[test]
    fn the_compare_and_apps_tables_are_drawn_as_comfy_table_draws_them() {
        let matrix = crate::matrix::embedded().expect("embedded matrix");
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
        let width = natural_width(&header, &rows);
        assert_eq!(
            draw_unbounded(&header, &rows),
            draw_comfy(header.clone(), rows.clone(), false, width)
        );
        // Wrapped for a pipe (100 columns) and at 80.
        for width in [100, 80] {
            let widths = column_widths(&header, &rows);
            let naturals: Vec<usize> = widths.iter().map(|w| w.0).collect();
            let words: Vec<usize> = widths.iter().map(|w| w.1).collect();
            assert_eq!(
                draw_wrapped(&header, &rows, &fill(&words, &naturals, width)),
                Some(draw_comfy(header.clone(), rows.clone(), false, width)),
                "at {width}"
            );
        }
    }
}
