//! The decision for people: the recommendation first, then why, why not the
//! others, caveats, what is still open, what would change it, the next step.

use super::{app_name, or_list, version_name};
use crate::basis::Basis;
use crate::engine::{
    ChangeGroup, Check, Confidence, Decision, Engine, OutcomeKind, StatedRequirements, Status,
};
use crate::matrix::CaveatKind;
use crate::output::Styles;
use std::fmt::Write;

/// Writes `text` wrapped to `width` (none: one line), the first line after
/// `first`, the rest after `rest`.
pub(crate) fn wrap(out: &mut String, width: Option<usize>, first: &str, rest: &str, text: &str) {
    // At most 100 columns in a terminal; unwrapped into a pipe or a file.
    // One column short of the edge: some terminals wrap a line that fills it.
    let Some(width) = width.map(|w| (w - 1).min(100)) else {
        let _ = writeln!(out, "{first}{text}");
        return;
    };
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, options) {
        let _ = writeln!(out, "{line}");
    }
}

fn mark(status: Status, s: &Styles) -> String {
    let (style, glyph) = match status {
        Status::Pass => (s.good, "✓"),
        Status::Fail => (s.bad, "✗"),
        Status::Unknown => (s.warn, "?"),
        Status::Limited => (s.warn, "~"),
    };
    format!("{style}{glyph}{style:#}")
}

/// Writes `text` as a list item: `  G first line`, then lines indented by
/// four. The glyph may carry colour codes, so the text is wrapped with a
/// plain four-column indent and the glyph put in its place.
fn item(out: &mut String, s: &Styles, glyph: &str, text: &str) {
    let mut body = String::new();
    wrap(&mut body, s.width, "    ", "    ", text);
    for (i, line) in body.lines().enumerate() {
        if i == 0 {
            let _ = writeln!(out, "  {glyph} {}", line.trim_start());
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
}

fn checks(out: &mut String, list: &[&Check], s: &Styles) {
    for c in list {
        item(out, s, &mark(c.status, s), &c.reason);
        for src in c.sources.iter().take(1) {
            let _ = writeln!(out, "    {}{src}{}", s.dim.render(), s.dim.render_reset());
        }
    }
}

fn names(engine: &Engine, apps: &[String]) -> String {
    apps.iter()
        .map(|a| app_name(engine, a))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "CIF 2.0 for Copilot Service workspace, Custom multisession app" (no
/// version: "no CIF version for …"): one part of a plan, a fork or a team;
/// `note` follows the version ("CIF 2.0 (conditional) for …").
pub(crate) fn version_for(
    engine: &Engine,
    version: Option<&str>,
    note: &str,
    apps: &[String],
) -> String {
    let version = version.map_or("no CIF version", |v| version_name(engine, v));
    format!("{version}{note} for {}", names(engine, apps))
}

/// The routes: what to use instead, each with its source.
fn routes(out: &mut String, d: &Decision, s: &Styles) {
    if d.routes.is_empty() {
        return;
    }
    let h = s.heading;
    let _ = writeln!(out, "\n{}Instead{}", h.render(), h.render_reset());
    for r in &d.routes {
        let glyph = format!("{}→{}", s.good.render(), s.good.render_reset());
        item(out, s, &glyph, &r.text);
        let _ = writeln!(
            out,
            "    {}{}{}",
            s.dim.render(),
            r.source,
            s.dim.render_reset()
        );
    }
}

/// "confirmed", "confirmed until April 2027", or "conditional on …" (on a
/// retirement when no check is behind it).
pub fn confirmed_or_conditional(d: &Decision) -> String {
    match d.confidence {
        Some(Confidence::Confirmed) => match d
            .valid_until
            .as_deref()
            .and_then(crate::engine::dated::parse_day)
        {
            Some(day) => format!("confirmed until {}", crate::engine::dated::until_text(day)),
            None => "confirmed".into(),
        },
        Some(Confidence::Conditional) if d.conditional_on.is_empty() => {
            let unmet: Vec<String> = d
                .plan
                .iter()
                .filter(|p| !p.unmet.is_empty())
                .map(|p| {
                    format!(
                        "{} on CIF {} cannot meet {}",
                        p.apps.join(", "),
                        p.version,
                        p.unmet.join(", ")
                    )
                })
                .collect();
            if unmet.is_empty() {
                "conditional — it rests on something removed or past its end of support".into()
            } else {
                format!("conditional — {}", unmet.join("; "))
            }
        }
        Some(Confidence::Conditional) => format!("conditional on {}", d.conditional_on.join(", ")),
        _ => String::new(),
    }
}

/// The headline's confidence words.
fn confidence_words(engine: &Engine, d: &Decision) -> String {
    match d.confidence {
        Some(Confidence::Open) => {
            let mut parts = Vec::new();
            if !d.holds_for.is_empty() {
                let held: Vec<&str> = d.holds_for.iter().map(String::as_str).collect();
                parts.push(format!("if your agents work in {}", or_list(&held)));
            }
            let dims: Vec<String> = d
                .open_on
                .iter()
                .filter_map(|k| engine.matrix.dimension(k))
                .map(|dim| dim.name.to_lowercase())
                .collect();
            let also = if d.conditional_on.is_empty() {
                String::new()
            } else {
                format!("; and conditional on {}", d.conditional_on.join(", "))
            };
            format!(
                "open: {}{}the answer depends on the {} you have not stated{also}",
                parts.join(""),
                if parts.is_empty() { "" } else { "; " },
                dims.join(" and ")
            )
        }
        Some(Confidence::Conditional | Confidence::Confirmed) => confirmed_or_conditional(d),
        None => String::new(),
    }
}

/// The one-line summary of a changed answer.
fn result_words(engine: &Engine, g: &ChangeGroup) -> String {
    let words = outcome_words(engine, g);
    match g.confidence {
        Some(Confidence::Confirmed) => format!("{words} (confirmed)"),
        _ => words,
    }
}

fn outcome_words(engine: &Engine, g: &ChangeGroup) -> String {
    match g.outcome {
        OutcomeKind::Single => g
            .recommended
            .as_deref()
            .map(|v| version_name(engine, v).to_string())
            .unwrap_or_default(),
        OutcomeKind::Plan => format!(
            "a plan with {} side by side",
            g.plan
                .iter()
                .map(|v| version_name(engine, v))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        OutcomeKind::None => "no CIF version fits".into(),
    }
}

/// An open answer's headline: the fork (which apps get which version), then
/// the preference pick that `-q` prints.
fn fork_headline(out: &mut String, engine: &Engine, d: &Decision, s: &Styles, conf: &str) {
    let parts: Vec<String> = d
        .fork
        .iter()
        .map(|f| {
            let note = match f.confidence {
                Some(Confidence::Conditional) => " (conditional)",
                _ => "",
            };
            version_for(engine, f.version.as_deref(), note, &f.apps)
        })
        .collect();
    let _ = writeln!(
        out,
        "{}Open: the apps decide: {}{}",
        s.warn.render(),
        parts.join("; "),
        s.warn.render_reset()
    );
    let r = d.recommended.as_deref().unwrap_or("?");
    let _ = writeln!(
        out,
        "Without the apps, the preference order picks {} ({conf}); state them with --app.",
        version_name(engine, r)
    );
}

/// Renders a decision as text: short by default, everything with `verbose`.
pub fn decision(engine: &Engine, d: &Decision, s: &Styles, verbose: bool) -> String {
    if !d.teams.is_empty() {
        return super::teams::text(engine, d, s, verbose);
    }
    let mut out = String::new();
    let h = s.heading;
    let stated = stated_summary(&d.requirements);
    let conf = confidence_words(engine, d);
    match d.outcome {
        OutcomeKind::Single if !d.fork.is_empty() => fork_headline(&mut out, engine, d, s, &conf),
        OutcomeKind::Single => {
            let r = d.recommended.as_deref().unwrap_or("?");
            let _ = writeln!(
                out,
                "{}Recommended: {}{} ({conf})",
                s.good.render(),
                version_name(engine, r),
                s.good.render_reset()
            );
            if let Some(a) = &d.alternative {
                let _ = writeln!(
                    out,
                    "Also fits: {} (the preference order puts {} first)",
                    version_name(engine, a),
                    version_name(engine, r)
                );
            }
        }
        OutcomeKind::Plan => {
            let parts: Vec<String> = d
                .plan
                .iter()
                .map(|p| version_for(engine, Some(&p.version), "", &p.apps))
                .collect();
            let _ = writeln!(
                out,
                "{}Plan: {}{} ({conf})",
                s.good.render(),
                parts.join("; "),
                s.good.render_reset()
            );
            let _ = writeln!(
                out,
                "The versions run side by side in one organisation: two provider records, configured in two places."
            );
        }
        OutcomeKind::None => {
            let what = if d.contradiction.is_some() {
                "these requirements: they contradict each other".to_string()
            } else if !d.no_version.is_empty() {
                names(engine, &d.no_version)
            } else if !d.unmet.is_empty() && !d.plan.is_empty() {
                let apps: Vec<String> = d.plan.iter().flat_map(|p| p.apps.clone()).collect();
                format!("{} with {}", names(engine, &apps), d.unmet.join(", "))
            } else {
                "these requirements".to_string()
            };
            let _ = writeln!(
                out,
                "{}No CIF version fits {what}.{}",
                s.bad.render(),
                s.bad.render_reset()
            );
        }
    }
    wrap(&mut out, s.width, "For: ", "     ", &stated);
    if d.as_of_given {
        let _ = writeln!(
            out,
            "As of {} (--as-of): the retirement dates are read at that day.",
            d.as_of
        );
    }
    if let Some(c) = &d.contradiction {
        let _ = writeln!(out);
        wrap(&mut out, s.width, "", "", c);
    }

    // Routes first, before the relaxations (in a `single` or `plan`
    // answer, a successor's route comes under its caveat).
    if d.outcome == OutcomeKind::None {
        routes(&mut out, d, s);
    }

    // A plan: why each group's version serves it.
    if d.outcome == OutcomeKind::Plan {
        let matrix = engine.matrix;
        let apps_dim = matrix
            .dimensions
            .iter()
            .position(|dim| dim.kind == crate::matrix::DimensionKind::Apps);
        let _ = writeln!(out, "\n{}Why this plan{}", h.render(), h.render_reset());
        for p in &d.plan {
            let version = matrix.versions.iter().position(|v| v.id == p.version);
            let mask = p.apps.iter().fold(0u64, |m, a| {
                m | matrix
                    .apps
                    .iter()
                    .position(|x| x.id == *a)
                    .map_or(0, |i| 1u64 << i)
            });
            if let (Some(dim), Some(v)) = (apps_dim, version) {
                let c = engine.check(v, dim, crate::requirements::Value::Set(mask));
                checks(&mut out, &[&c], s);
            }
        }
    }

    // Plan groups (and the served parts of a `none`).
    if !d.plan.is_empty() && (verbose || d.outcome == OutcomeKind::None) {
        let _ = writeln!(out, "\n{}Per group of apps{}", h.render(), h.render_reset());
        for p in &d.plan {
            let mut line = format!(
                "{} → {}",
                names(engine, &p.apps),
                version_name(engine, &p.version)
            );
            if !p.unmet.is_empty() {
                line.push_str(&format!(" (cannot meet: {})", p.unmet.join(", ")));
            }
            if let Some(c) = p.confidence {
                line.push_str(&format!(", {}", c.as_str()));
            }
            wrap(&mut out, s.width, "  - ", "    ", &line);
        }
    }

    // Reasons: the decisive ones by default, every check with -v.
    let used: Vec<&str> = match d.outcome {
        OutcomeKind::Single => d.recommended.iter().map(String::as_str).collect(),
        OutcomeKind::Plan => d.plan.iter().map(|p| p.version.as_str()).collect(),
        OutcomeKind::None => Vec::new(),
    };
    let decisive = |key: &str| {
        d.evaluations.iter().any(|e| {
            e.checks
                .iter()
                .any(|c| c.requirement == key && c.status == Status::Fail)
        })
    };
    let apps_key = engine
        .matrix
        .dimensions
        .iter()
        .find(|dim| dim.kind == crate::matrix::DimensionKind::Apps)
        .map(|dim| dim.key.to_string())
        .unwrap_or_default();
    let mut ordered: Vec<&crate::engine::Evaluation> = d.evaluations.iter().collect();
    ordered.sort_by_key(|e| {
        if used.contains(&e.version.as_str()) {
            0
        } else {
            1
        }
    });
    let mut shown_reasons: Vec<&str> = Vec::new();
    for e in ordered {
        let is_used = used.contains(&e.version.as_str());
        let list: Vec<&Check> = e
            .checks
            .iter()
            .filter(|c| {
                if d.outcome == OutcomeKind::Plan && is_used && c.requirement == apps_key {
                    // In a plan, a version serves only its own group's apps.
                    false
                } else if verbose {
                    e.fits || is_used || c.status == Status::Fail
                } else if is_used {
                    c.status != Status::Fail
                        && (decisive(&c.requirement) || c.status == Status::Unknown)
                } else {
                    c.status == Status::Fail && (d.outcome == OutcomeKind::None || e.fits)
                }
            })
            .collect();
        if list.is_empty() {
            continue;
        }
        let title = if is_used || (e.fits && verbose) {
            format!("Why {}", e.name)
        } else {
            format!("Why not {}", e.name)
        };
        let _ = writeln!(out, "\n{}{title}{}", h.render(), h.render_reset());
        checks(&mut out, &list, s);
        shown_reasons.extend(list.iter().map(|c| c.reason.as_str()));
    }
    if d.outcome == OutcomeKind::Single && !verbose {
        // One line on why the other versions do not fit.
        let others: Vec<String> = d
            .evaluations
            .iter()
            .filter(|e| !e.fits)
            .map(|e| {
                let failed: Vec<&str> = e
                    .checks
                    .iter()
                    .filter(|c| c.status == Status::Fail)
                    .map(|c| c.requirement.as_str())
                    .collect();
                format!("{} (fails {})", e.name, failed.join(", "))
            })
            .collect();
        if !others.is_empty() {
            wrap(&mut out, s.width, "  Not: ", "    ", &others.join("; "));
        }
    }

    if verbose && !d.relaxations.is_empty() {
        let _ = writeln!(
            out,
            "\n{}To make a version fit, drop{}",
            h.render(),
            h.render_reset()
        );
        for r in &d.relaxations {
            let _ = writeln!(
                out,
                "  {}: {}",
                version_name(engine, &r.version),
                crate::engine::reasons::relaxation_words(&r.drop, &r.drop_one_of)
            );
        }
    }

    // Caveats: blocking and risk by default, every one with -v; each once.
    let caveats: Vec<_> = d
        .caveats
        .iter()
        .filter(|c| verbose || matches!(c.kind, CaveatKind::Blocking | CaveatKind::Risk))
        .filter(|c| !shown_reasons.contains(&c.text.as_str()))
        .collect();
    if !caveats.is_empty() {
        let _ = writeln!(out, "\n{}Caveats{}", h.render(), h.render_reset());
        for c in caveats {
            let glyph = format!("{}!{}", s.warn.render(), s.warn.render_reset());
            item(
                &mut out,
                s,
                &glyph,
                &format!("[{}] {}", c.kind.as_str(), c.text),
            );
            let _ = writeln!(
                out,
                "    {}{}{}",
                s.dim.render(),
                c.source,
                s.dim.render_reset()
            );
        }
    }
    if d.outcome != OutcomeKind::None {
        routes(&mut out, d, s);
    }

    // The setup and info notes left out of the short answer: say how many.
    if !verbose {
        let hidden = |kind: CaveatKind| d.caveats.iter().filter(|c| c.kind == kind).count();
        let (setup, info) = (hidden(CaveatKind::Setup), hidden(CaveatKind::Info));
        if setup + info > 0 {
            let mut parts = Vec::new();
            if setup > 0 {
                parts.push(format!(
                    "{setup} setup note{} (what to configure or build)",
                    if setup == 1 { "" } else { "s" }
                ));
            }
            if info > 0 {
                parts.push(format!("{info} note{}", if info == 1 { "" } else { "s" }));
            }
            let _ = writeln!(
                out,
                "\nAlso: {}; -v or --format markdown shows them.",
                parts.join(" and ")
            );
        }
    }

    if verbose && !d.unanswered.is_empty() {
        let names: Vec<String> = d
            .unanswered
            .iter()
            .filter_map(|k| engine.matrix.dimension(k))
            .map(|dim| format!("{} ({})", dim.name, dim.key))
            .collect();
        let _ = writeln!(
            out,
            "\n{}Not stated, and could still change the answer{}",
            h.render(),
            h.render_reset()
        );
        wrap(&mut out, s.width, "  ", "  ", &names.join(", "));
    }

    if !d.skipped.is_empty() {
        let names: Vec<String> = d
            .skipped
            .iter()
            .filter_map(|k| engine.matrix.dimension(k))
            .map(|dim| format!("{} ({})", dim.name, dim.key))
            .collect();
        let _ = writeln!(
            out,
            "\n{}Skipped on purpose{}",
            h.render(),
            h.render_reset()
        );
        wrap(&mut out, s.width, "  ", "  ", &names.join(", "));
    }

    if !d.would_change.is_empty() {
        if verbose {
            let _ = writeln!(
                out,
                "\n{}What would change the answer{}",
                h.render(),
                h.render_reset()
            );
            for g in &d.would_change {
                let changes: Vec<&str> = g.changes.iter().map(|c| c.change.as_str()).collect();
                wrap(
                    &mut out,
                    s.width,
                    "  - ",
                    "    ",
                    &format!("{} → {}", changes.join("; or "), result_words(engine, g)),
                );
            }
        } else {
            let g = &d.would_change[0];
            let changes: Vec<&str> = g.changes.iter().map(|c| c.change.as_str()).collect();
            let more = d.would_change.len() - 1;
            let _ = writeln!(out);
            wrap(
                &mut out,
                s.width,
                "Would change it: ",
                "  ",
                &format!(
                    "{} → {}{}",
                    changes.join("; or "),
                    result_words(engine, g),
                    if more > 0 {
                        format!(" (and {more} more with -v)")
                    } else {
                        String::new()
                    }
                ),
            );
        }
    }

    let _ = writeln!(out);
    let docs = super::json::docs(engine, d);
    if docs.is_empty() {
        if d.routes.is_empty() {
            let _ = writeln!(
                out,
                "Next step: revisit the requirements above (-v lists what to drop), or compare the versions with `cif-advisor compare`."
            );
        } else {
            let _ = writeln!(out, "Next step: follow the route above.");
        }
    } else {
        match docs.as_slice() {
            [one] => {
                let _ = writeln!(out, "Next step: {one}");
            }
            many => {
                // A plan: each version's documentation, named.
                let _ = writeln!(out, "Next steps:");
                let versions = d.plan.iter().map(|p| p.version.as_str());
                for (docs, v) in many.iter().zip(versions) {
                    let _ = writeln!(out, "  {}: {docs}", version_name(engine, v));
                }
            }
        }
    }
    if verbose {
        let _ = writeln!(
            out,
            "{}Facts reviewed {}; sources are Microsoft Learn pages.{}",
            s.dim.render(),
            d.matrix_reviewed,
            s.dim.render_reset()
        );
    }
    out
}

/// "apps = sales, cs-workspace; providers = 2".
pub fn stated_summary(requirements: &StatedRequirements) -> String {
    if requirements.is_empty() {
        return "no requirement stated".into();
    }
    requirements
        .iter()
        .map(|r| format!("{} = {}", r.key, r.value))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A heading line in the heading style.
pub(crate) fn heading(out: &mut String, s: &Styles, text: &str) {
    let _ = writeln!(
        out,
        "{}{text}{}",
        s.heading.render(),
        s.heading.render_reset()
    );
}

/// Writes each line of `text` in `style` (resetting before each newline).
pub(crate) fn styled(out: &mut String, style: anstyle::Style, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "{}{line}{}", style.render(), style.render_reset());
    }
}

/// Writes an item's title wrapped after `first` (its number or id), later
/// lines after `indent`, in the heading style.
pub(crate) fn item_title(out: &mut String, s: &Styles, first: &str, indent: &str, title: &str) {
    let mut text = String::new();
    wrap(&mut text, s.width, first, indent, title);
    styled(out, s.heading, &text);
}

/// Writes `{indent}{label}:`, then each entry under it as a wrapped bullet.
pub(crate) fn labelled_list(
    out: &mut String,
    s: &Styles,
    indent: &str,
    label: &str,
    entries: &[String],
) {
    let _ = writeln!(out, "{indent}{label}:");
    for e in entries {
        wrap(
            out,
            s.width,
            &format!("{indent}  - "),
            &format!("{indent}    "),
            e,
        );
    }
}

/// Writes `{indent}Sources:`, then each source under it, dimmed.
pub(crate) fn source_list(out: &mut String, s: &Styles, indent: &str, sources: &[String]) {
    let _ = writeln!(out, "{indent}Sources:");
    for src in sources {
        let _ = writeln!(
            out,
            "{indent}  {}{src}{}",
            s.dim.render(),
            s.dim.render_reset()
        );
    }
}

/// What a basis means, for people.
pub(crate) fn basis_label(basis: Basis) -> &'static str {
    match basis {
        Basis::Documented => "documented",
        Basis::Inferred => "inferred — advice, not a Microsoft statement",
    }
}
