//! `migrate`: the checklist as text or a Markdown `- [ ]` list (JSON and YAML
//! are the view itself).

use super::text::{heading, item_title, labelled_list, section, source_list, wrap};
use super::{json, yaml, Format};
use crate::engine::StatedValue;
use crate::error::Error;
use crate::knowledge::{LeftOutView, MigrateView, PitfallView};
use crate::output::Styles;
use std::fmt::Write;

/// `migrate` in the chosen format.
pub fn migrate(view: &MigrateView<'_>, format: Format, styles: &Styles) -> Result<String, Error> {
    match format {
        Format::Json => json::to_string(view),
        Format::Yaml => yaml::to_string(view),
        Format::Markdown => Ok(migrate_markdown(view)),
        Format::Text | Format::Table => Ok(migrate_text(view, styles)),
    }
}

const INFERRED: &str = "inferred";

const TITLE: &str = "Moving a channel provider from CIF 1.0 to CIF 2.0";

/// The sentence under the title: what the checklist covers, with the stated
/// requirements in words ("providers: 2; analytics").
fn scope_sentence(view: &MigrateView<'_>) -> String {
    if !view.tailored {
        return "Every step and pitfall (no requirement stated; the requirement flags tailor it)."
            .to_string();
    }
    let stated: Vec<String> = view
        .requirements
        .iter()
        .map(|r| match &r.value {
            StatedValue::Flag => r.key.clone(),
            value => format!("{}: {value}", r.key),
        })
        .collect();
    let stated = match stated.join("; ") {
        s if s.is_empty() => "nothing stated".to_string(),
        s => s,
    };
    format!(
        "Tailored to: {stated}. A capability not stated is taken as not needed, so its steps and pitfalls are left out."
    )
}

/// "Fix: see steps 2 and 5." for a pitfall the steps cover (in part: "The
/// rest of the fix: see …").
fn covered(p: &PitfallView<'_>) -> Option<String> {
    let list: Vec<String> = p.covered_by.iter().map(usize::to_string).collect();
    let steps = match list.as_slice() {
        [] => return None,
        [one] => format!("step {one}"),
        [init @ .., last] => format!("steps {} and {last}", init.join(", ")),
    };
    let whole = p.fix.is_empty();
    let lead = if whole { "Fix" } else { "The rest of the fix" };
    Some(format!("{lead}: see {steps}."))
}

fn left_out_line(l: &LeftOutView<'_>) -> String {
    match l.kind {
        "pitfall" => format!("pitfall {}: {} (needs {})", l.id, l.title, l.when),
        _ => format!("step: {} (needs {})", l.title, l.when),
    }
}

fn migrate_text(view: &MigrateView<'_>, s: &Styles) -> String {
    let mut out = String::new();
    let title = format!("{TITLE} (checklist reviewed {})", view.reviewed);
    heading(&mut out, s, &title);
    wrap(&mut out, s.width, "", "", &scope_sentence(view));
    write_steps(&mut out, view, s);
    if !view.pitfalls.is_empty() {
        write_pitfalls(&mut out, view, s);
    }
    if !view.left_out.is_empty() {
        let left_out = "Left out (not needed for the stated situation)";
        section(&mut out, s, left_out);
        for l in &view.left_out {
            wrap(&mut out, s.width, "  - ", "    ", &left_out_line(l));
        }
    }
    out
}

/// " (inferred)" after an inferred step's or pitfall's title.
fn marker(basis: &str) -> &'static str {
    if basis == INFERRED {
        " (inferred)"
    } else {
        ""
    }
}

/// The numbered steps, and what "(inferred)" means when one is.
fn write_steps(out: &mut String, view: &MigrateView<'_>, s: &Styles) {
    for step in &view.steps {
        out.push('\n');
        let number = format!("{}. ", step.number);
        let indent = " ".repeat(number.len());
        let title = format!("{}{}", step.title, marker(step.basis));
        item_title(out, s, &number, &indent, &title);
        let (first, rest) = (format!("{indent}- "), format!("{indent}  "));
        for d in step.detail {
            wrap(out, s.width, &first, &rest, d);
        }
        source_list(out, s, &indent, step.sources);
    }
    if view.steps.iter().any(|st| st.basis == INFERRED) {
        let inferred = "(inferred): our reading of the sources, not a Microsoft statement; \
             check it against the linked pages.";
        out.push('\n');
        wrap(out, s.width, "", "", inferred);
    }
}

/// The pitfalls from the troubleshooting catalogue.
fn write_pitfalls(out: &mut String, view: &MigrateView<'_>, s: &Styles) {
    section(out, s, "Pitfalls");
    let from = "From the troubleshooting catalogue; `cif-advisor troubleshoot ID` shows one. \
         What a step above already says is not repeated.";
    wrap(out, s.width, "", "", from);
    for p in &view.pitfalls {
        out.push('\n');
        let title = format!("{}{}", p.title, marker(p.basis));
        item_title(out, s, &format!("{:<4} ", p.id), "     ", &title);
        if !p.fix.is_empty() {
            let fix: Vec<String> = p.fix.iter().map(|f| f.to_string()).collect();
            labelled_list(out, s, "     ", "Fix", &fix);
        }
        if let Some(text) = covered(p) {
            wrap(out, s.width, "     ", "       ", &text);
        }
        source_list(out, s, "     ", p.sources);
    }
}

/// Escapes text for Markdown prose (inline: no character starts markup).
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>|#".contains(c) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

/// A short label for a source link: the page name, or `repo/issues/N`.
fn link_label(url: &str) -> String {
    let path = url.trim_start_matches("https://").trim_end_matches('/');
    let path = path.split(['?', '#']).next().unwrap_or(url);
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [.., repo, kind, number] if number.chars().all(|c| c.is_ascii_digit()) => {
            format!("{repo}/{kind}/{number}")
        }
        [.., last] => last.to_string(),
        [] => url.to_string(),
    }
}

/// A checklist item: its title, each line under it, then its sources
/// (`Sources: [label](url), …`).
fn md_item(out: &mut String, title: &str, lines: impl Iterator<Item = String>, sources: &[String]) {
    let _ = writeln!(out, "- [ ] {title}");
    for line in lines {
        let _ = writeln!(out, "  - {line}");
    }
    let link = |u: &String| {
        let label = md_text(&link_label(u));
        if u.contains(['(', ')', '<', '>']) {
            format!("[{label}](<{}>)", u.replace('<', "%3C").replace('>', "%3E"))
        } else {
            format!("[{label}]({u})")
        }
    };
    let links: Vec<String> = sources.iter().map(link).collect();
    let _ = writeln!(out, "  - Sources: {}", links.join(", "));
}

fn migrate_markdown(view: &MigrateView<'_>) -> String {
    let scope = md_text(&scope_sentence(view));
    let reviewed = view.reviewed;
    let mut out = format!("# {TITLE}\n\nChecklist reviewed {reviewed}. {scope}\n\n## Steps\n\n");
    for step in &view.steps {
        let inferred = " *(inferred: our reading of the sources, not a Microsoft statement)*";
        let marker = if step.basis == INFERRED { inferred } else { "" };
        let title = format!("**{}. {}**{marker}", step.number, md_text(step.title));
        let details = step.detail.iter().map(|d| md_text(d));
        md_item(&mut out, &title, details, step.sources);
    }
    if !view.pitfalls.is_empty() {
        out.push_str(
            "\n## Pitfalls\n\nFrom the troubleshooting catalogue (`cif-advisor troubleshoot ID` shows one); \
             what a step already says is not repeated.\n\n",
        );
        for p in &view.pitfalls {
            let inferred = p.basis == INFERRED;
            let marker = if inferred { " *(inferred)*" } else { "" };
            let title = format!("**{}: {}**{marker}", p.id, md_text(p.title));
            let lines = p.fix.iter().map(|f| md_text(f)).chain(covered(p));
            md_item(&mut out, &title, lines, p.sources);
        }
    }
    if !view.left_out.is_empty() {
        out.push_str("\n## Left out\n\nNot needed for the stated situation:\n\n");
        for l in &view.left_out {
            let _ = writeln!(out, "- {}", md_text(&left_out_line(l)));
        }
    }
    out
}
