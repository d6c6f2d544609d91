//! Markdown output: GitHub-flavoured tables that paste into documents.

use crate::matrix::{Matrix, Row};
use std::fmt::Write;

/// True when the character at `i` of `text` would let GitHub's renderer
/// (cmark-gfm's extended autolinks, which need no syntax) make a link: the
/// `:` of `://` and the `.` of `www.`. Written with a backslash (`http\://`,
/// `www\.`) it reads the same and links nothing: links in the tool's
/// Markdown are only the `https://` sources it writes as links itself.
pub fn starts_autolink(text: &str, i: usize, c: char) -> bool {
    match c {
        ':' => text[i + 1..].starts_with("//"),
        '.' => i >= 3 && text.as_bytes()[i - 3..i].eq_ignore_ascii_case(b"www"),
        _ => false,
    }
}

/// The e-mail addresses in `text` as GitHub's renderer links them with
/// no syntax (a local part, `@`, a domain with a dot), as byte ranges. No
/// escape stops that autolink, so the escapers put each in a code span.
pub fn email_ranges(text: &str) -> Vec<(usize, usize)> {
    let local = |c: char| c.is_ascii_alphanumeric() || "._+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let before = (text[..at].char_indices().rev()).take_while(|&(_, c)| local(c));
        let start = before.last().map_or(at, |(i, _)| i);
        let rest = &text[at + 1..];
        let len = rest.find(|c: char| !domain(c)).unwrap_or(rest.len());
        let host = rest[..len].trim_end_matches(['.', '-', '_']);
        let linked = start < at
            && host.starts_with(|c: char| c.is_ascii_alphanumeric())
            && host.contains('.')
            && out.last().is_none_or(|&(_, end)| end <= start);
        if linked {
            out.push((start, at + 1 + host.len()));
        }
    }
    out
}

/// `text` escaped by `escape`, its e-mail addresses as code spans.
pub fn with_emails(text: &str, escape: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (start, end) in email_ranges(text) {
        out.push_str(&escape(&text[from..start]));
        let _ = write!(out, "`{}`", &text[start..end]);
        from = end;
    }
    out.push_str(&escape(&text[from..]));
    out
}

/// Escapes text for a Markdown table cell.
pub fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// Escapes prose from a matrix (which may be a user's file) for a Markdown
/// table cell: as [`cell`], and no raw HTML (`<`, `>`, `&` as entities), no
/// link or image syntax (`[`, `]` escaped), no control character, no
/// autolink (e-mail addresses in code spans).
pub fn text(text: &str) -> String {
    with_emails(text, text_part)
}

fn text_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if starts_autolink(text, i, c) || "\\|[]".contains(c) {
            out.push('\\');
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\t' => out.push(' '),
            c if crate::sanitize::is_unsafe(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// A link target: an `https://` URL (the matrix validation refuses any
/// other), with every character that could end it or start markup
/// percent-encoded; anything else becomes no link at all.
pub fn link(label: &str, url: &str) -> String {
    if !url.starts_with("https://") {
        return text(label);
    }
    let mut target = String::with_capacity(url.len());
    for c in url.chars() {
        let plain = c.is_ascii_graphic() && !"()<>\"\\`[]|{}".contains(c);
        if !plain && (c.is_ascii() || crate::sanitize::is_unsafe(c) || c.is_whitespace()) {
            for b in c.encode_utf8(&mut [0; 4]).bytes() {
                let _ = write!(target, "%{b:02X}");
            }
        } else {
            target.push(c);
        }
    }
    format!("[{}]({target})", text(label))
}

/// The comparison table.
pub fn compare(matrix: &Matrix) -> String {
    let names: Vec<String> = matrix.versions.iter().map(|v| text(&v.name)).collect();
    let (versions, rule) = (names.join(" vs "), "---|".repeat(names.len()));
    let header: String = names.iter().map(|n| format!(" {n} |")).collect();
    let mut out = format!(
        "# Channel Integration Framework: {versions}\n\n| Feature |{header} Source |\n|---|{rule}---|\n"
    );
    for r in &matrix.rows {
        // Several lines in one cell.
        let cell = |lines: &[String]| -> String {
            let lines: Vec<String> = lines.iter().map(|l| text(l)).collect();
            format!(" {} |", lines.join("<br>"))
        };
        let values: String = matrix
            .versions
            .iter()
            .map(|v| cell(r.values.get(&v.id).map_or(&[][..], |l| l.as_slice())))
            .collect();
        let see_also = r.see_also.iter().enumerate();
        let sources: Vec<String> = std::iter::once(link("source", &r.source))
            .chain(see_also.map(|(i, s)| link(&(i + 2).to_string(), s)))
            .collect();
        let (feature, sources) = (text(&r.feature), sources.join(" "));
        let _ = writeln!(out, "| {feature} |{values} {sources} |");
    }
    let note = |r: &Row| Some((text(&r.feature), text(r.note.as_ref()?)));
    let note_line = |(feature, note)| format!("- **{feature}**: {note}\n");
    let notes: String = matrix.rows.iter().filter_map(note).map(note_line).collect();
    if !notes.is_empty() {
        let _ = write!(out, "\nNotes:\n\n{notes}");
    }
    let from_page = matrix.rows.iter().filter(|r| r.from_source_page).count();
    let _ = writeln!(
        out,
        "\nThe first {from_page} rows reproduce Microsoft's comparison matrix. Facts reviewed {}.",
        text(&matrix.reviewed)
    );
    out
}
