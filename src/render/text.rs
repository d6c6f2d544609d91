//! The decision for people: the recommendation first, then why, why not the
//! others, caveats, what is still open, what would change it, the next step.

use super::outline::{confirmed_or_conditional, DecisionOutline};
use super::{app_names, or_list, version_name};
use crate::engine::{
    Caveat, ChangeGroup, Check, Confidence, Decision, Engine, Evaluation, ForkItem, OutcomeKind,
    PlanItem, StatedRequirement, StatedRequirements, Status,
};
use crate::matrix::CaveatKind;
use crate::output::Styles;
use std::fmt::Write;
use textwrap::{Options, WordSplitter};

/// Writes `text` wrapped to `width` (none: one line), the first line after
/// `first`, the rest after `rest`.
pub(crate) fn wrap(out: &mut String, width: Option<usize>, first: &str, rest: &str, text: &str) {
    // At most 100 columns in a terminal; unwrapped into a pipe or a file.
    // One column short of the edge: some terminals wrap a line that fills it.
    let Some(width) = width.map(|w| (w - 1).min(100)) else {
        let _ = writeln!(out, "{first}{text}");
        return;
    };
    wrap_with(out, Options::new(width), first, rest, text);
}

/// Writes `text` wrapped by `options`, never hyphenated, the first line
/// after `first`, the rest after `rest`.
pub(crate) fn wrap_with(out: &mut String, options: Options, first: &str, rest: &str, text: &str) {
    let o = options.initial_indent(first).subsequent_indent(rest);
    for line in textwrap::wrap(text, o.word_splitter(WordSplitter::NoHyphenation)) {
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
/// four, and its source under it, dimmed. The glyph may carry colour codes,
/// so the text is wrapped with a plain four-column indent and the glyph put
/// in its place.
fn write_item(out: &mut String, s: &Styles, glyph: &str, text: &str, source: Option<&str>) {
    let mut body = String::new();
    wrap(&mut body, s.width, "    ", "    ", text);
    let mut lines = body.lines();
    let first = lines.next().unwrap_or_default().trim_start();
    let _ = writeln!(out, "  {glyph} {first}");
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    if let Some(source) = source {
        let _ = writeln!(out, "    {}{source}{:#}", s.dim, s.dim);
    }
}

fn write_checks(out: &mut String, list: &[&Check], s: &Styles) {
    for c in list {
        let source = c.sources.first().map(String::as_str);
        write_item(out, s, &mark(c.status, s), &c.reason, source);
    }
}

/// "CIF 2.0 for Copilot Service workspace, Custom multisession app" (no
/// version: "no CIF version for …"): one part of a plan, a fork or a team;
/// `note` follows the version ("CIF 2.0 (conditional) for …").
pub(crate) fn version_for(e: &Engine, id: Option<&str>, note: &str, apps: &[String]) -> String {
    let version = id.map_or("no CIF version", |v| version_name(e, v));
    format!("{version}{note} for {}", app_names(e, apps).join(", "))
}

/// Each part of a plan: "CIF 2.0 for Sales Hub".
pub(crate) fn plan_parts(engine: &Engine, plan: &[PlanItem]) -> Vec<String> {
    let part = |p: &PlanItem| version_for(engine, Some(&p.version), "", &p.apps);
    plan.iter().map(part).collect()
}

/// The routes: what to use instead, each with its source.
fn write_routes(out: &mut String, d: &Decision, s: &Styles) {
    if d.routes.is_empty() {
        return;
    }
    section(out, s, "Instead");
    let arrow = format!("{}→{:#}", s.good, s.good);
    for r in &d.routes {
        write_item(out, s, &arrow, &r.text, Some(&r.source));
    }
}

/// The headline's confidence words.
fn confidence_words(o: &DecisionOutline) -> String {
    let d = o.d;
    match d.confidence {
        Some(Confidence::Open) => {
            let holds = match d.holds_for.as_slice() {
                [] => String::new(),
                held => format!("if your agents work in {}; ", or_list(held)),
            };
            let also = match d.conditional_on.as_slice() {
                [] => String::new(),
                on => format!("; and conditional on {}", on.join(", ")),
            };
            let dims = o.open_dims().join(" and ");
            format!("open: {holds}the answer depends on the {dims} you have not stated{also}")
        }
        Some(Confidence::Conditional | Confidence::Confirmed) => confirmed_or_conditional(d),
        None => String::new(),
    }
}

/// The one-line summary of a changed answer.
fn result_words(engine: &Engine, g: &ChangeGroup) -> String {
    let words = match g.outcome {
        OutcomeKind::Single => g
            .recommended
            .as_deref()
            .map_or(String::new(), |v| version_name(engine, v).to_string()),
        OutcomeKind::Plan => {
            let names: Vec<&str> = g.plan.iter().map(|v| version_name(engine, v)).collect();
            format!("a plan with {} side by side", names.join(" and "))
        }
        OutcomeKind::None => "no CIF version fits".into(),
    };
    match g.confidence {
        Some(Confidence::Confirmed) => format!("{words} (confirmed)"),
        _ => words,
    }
}

/// An open answer's headline: the fork (which apps get which version), then
/// the preference pick that `-q` prints.
fn write_fork_headline(out: &mut String, engine: &Engine, d: &Decision, s: &Styles, conf: &str) {
    let part = |f: &ForkItem| {
        let conditional = f.confidence == Some(Confidence::Conditional);
        let note = if conditional { " (conditional)" } else { "" };
        version_for(engine, f.version.as_deref(), note, &f.apps)
    };
    let parts: Vec<String> = d.fork.iter().map(part).collect();
    let (warn, parts) = (s.warn, parts.join("; "));
    let r = version_name(engine, d.recommended.as_deref().unwrap_or("?"));
    let _ = writeln!(
        out,
        "{warn}Open: the apps decide: {parts}{warn:#}\nWithout the apps, the preference order picks {r} ({conf}); state them with --app."
    );
}

/// Renders a decision as text: short by default, everything with `verbose`.
pub fn decision(engine: &Engine, d: &Decision, s: &Styles, verbose: bool) -> String {
    if !d.teams.is_empty() {
        return super::teams::text(engine, d, s, verbose);
    }
    let o = DecisionOutline::new(engine, d);
    let mut out = String::new();
    write_headline(&mut out, &o, s);
    // Routes first, before the relaxations (in a `single` or `plan`
    // answer, a successor's route comes under its caveat).
    if d.outcome == OutcomeKind::None {
        write_routes(&mut out, d, s);
    }
    // A plan: why each group's version serves it.
    if d.outcome == OutcomeKind::Plan {
        section(&mut out, s, "Why this plan");
        let checks: Vec<&Check> = o.group_checks.iter().map(|(_, c)| c).collect();
        write_checks(&mut out, &checks, s);
    }
    write_groups(&mut out, engine, d, s, verbose);
    let shown = write_reasons(&mut out, &o, s, verbose);
    write_relaxations(&mut out, &o, s, verbose);
    write_caveats(&mut out, d, s, verbose, &shown);
    if d.outcome != OutcomeKind::None {
        write_routes(&mut out, d, s);
    }
    if !verbose {
        write_hidden_notes(&mut out, d);
    } else {
        let unstated = "Not stated, and could still change the answer";
        write_dimensions(&mut out, engine, s, unstated, &d.unanswered);
    }
    write_dimensions(&mut out, engine, s, "Skipped on purpose", &d.skipped);
    write_would_change(&mut out, &o, s, verbose);
    write_next_step(&mut out, engine, d);
    if verbose {
        let (dim, reviewed) = (s.dim, &d.matrix_reviewed);
        let _ = writeln!(
            out,
            "{dim}Facts reviewed {reviewed}; sources are Microsoft Learn pages.{dim:#}"
        );
    }
    out
}

/// The answer in a line (or two), what it is for, and a contradiction.
fn write_headline(out: &mut String, o: &DecisionOutline, s: &Styles) {
    let (engine, d) = (o.engine, o.d);
    let conf = confidence_words(o);
    let (good, bad) = (s.good, s.bad);
    match d.outcome {
        OutcomeKind::Single if !d.fork.is_empty() => write_fork_headline(out, engine, d, s, &conf),
        OutcomeKind::Single => {
            let r = version_name(o.engine, d.recommended.as_deref().unwrap_or("?"));
            let _ = writeln!(out, "{good}Recommended: {r}{good:#} ({conf})");
            if let Some(a) = &d.alternative {
                let a = version_name(o.engine, a);
                let _ = writeln!(out, "Also fits: {a} (the preference order puts {r} first)");
            }
        }
        OutcomeKind::Plan => {
            let parts = plan_parts(engine, &d.plan).join("; ");
            let _ = writeln!(out, "{good}Plan: {parts}{good:#} ({conf})");
            out.push_str("The versions run side by side in one organisation: two provider records, configured in two places.\n");
        }
        OutcomeKind::None => {
            let _ = writeln!(out, "{bad}No CIF version fits {}.{bad:#}", none_subject(o));
        }
    }
    let stated = stated_summary(&d.requirements);
    wrap(out, s.width, "For: ", "     ", &stated);
    if d.as_of_given {
        let _ = writeln!(
            out,
            "As of {} (--as-of): the retirement dates are read at that day.",
            d.as_of
        );
    }
    if let Some(c) = &d.contradiction {
        let _ = writeln!(out);
        wrap(out, s.width, "", "", c);
    }
}

/// What no version fits: "these requirements", or the apps without one.
fn none_subject(o: &DecisionOutline) -> String {
    let d = o.d;
    if d.contradiction.is_some() {
        "these requirements: they contradict each other".to_string()
    } else if !d.no_version.is_empty() {
        app_names(o.engine, &d.no_version).join(", ")
    } else if !d.unmet.is_empty() && !d.plan.is_empty() {
        let apps: Vec<String> = d.plan.iter().flat_map(|p| p.apps.clone()).collect();
        let names = super::app_names(o.engine, &apps).join(", ");
        format!("{names} with {}", d.unmet.join(", "))
    } else {
        "these requirements".to_string()
    }
}

/// The plan's groups (and the served parts of a `none`).
fn write_groups(out: &mut String, e: &Engine, d: &Decision, s: &Styles, verbose: bool) {
    if d.plan.is_empty() || !(verbose || d.outcome == OutcomeKind::None) {
        return;
    }
    section(out, s, "Per group of apps");
    for p in &d.plan {
        let names = app_names(e, &p.apps).join(", ");
        let mut line = format!("{names} → {}", version_name(e, &p.version));
        if !p.unmet.is_empty() {
            let _ = write!(line, " (cannot meet: {})", p.unmet.join(", "));
        }
        if let Some(c) = p.confidence {
            let _ = write!(line, ", {}", c.as_str());
        }
        wrap(out, s.width, "  - ", "    ", &line);
    }
}

/// Reasons: the decisive ones by default, every check with -v; then, in a
/// short single answer, one line on why the other versions do not fit.
/// Returns the reasons shown, which the caveats do not repeat.
fn write_reasons(out: &mut String, o: &DecisionOutline, s: &Styles, verbose: bool) -> Vec<String> {
    let d = o.d;
    // In text, `none` uses no version.
    let used = |e: &Evaluation| d.outcome != OutcomeKind::None && o.uses(&e.version);
    let mut ordered: Vec<&Evaluation> = d.evaluations.iter().collect();
    ordered.sort_by_key(|e| !used(e));
    let mut shown = Vec::new();
    for e in ordered {
        let is_used = used(e);
        let shows = |c: &&Check| {
            if is_used && o.covers_other_groups(c) {
                false // in a plan, a version serves only its own group's apps
            } else if verbose {
                e.fits || is_used || c.status == Status::Fail
            } else if is_used {
                c.status != Status::Fail
                    && (o.is_decisive(&c.requirement) || c.status == Status::Unknown)
            } else {
                c.status == Status::Fail && (d.outcome == OutcomeKind::None || e.fits)
            }
        };
        let list: Vec<&Check> = e.checks.iter().filter(shows).collect();
        if list.is_empty() {
            continue;
        }
        let fits = is_used || (e.fits && verbose);
        let why = if fits { "Why" } else { "Why not" };
        section(out, s, &format!("{why} {}", e.name));
        write_checks(out, &list, s);
        shown.extend(list.iter().map(|c| c.reason.clone()));
    }
    if d.outcome == OutcomeKind::Single && !verbose {
        let others: Vec<String> = d
            .evaluations
            .iter()
            .filter(|e| !e.fits)
            .map(|e| {
                let fails = e.checks.iter().filter(|c| c.status == Status::Fail);
                let keys: Vec<&str> = fails.map(|c| c.requirement.as_str()).collect();
                format!("{} (fails {})", e.name, keys.join(", "))
            })
            .collect();
        if !others.is_empty() {
            wrap(out, s.width, "  Not: ", "    ", &others.join("; "));
        }
    }
    shown
}

/// With -v, what to drop for each version to fit.
fn write_relaxations(out: &mut String, o: &DecisionOutline, s: &Styles, verbose: bool) {
    if !verbose || o.d.relaxations.is_empty() {
        return;
    }
    section(out, s, "To make a version fit, drop");
    for r in &o.d.relaxations {
        let words = crate::engine::reasons::relaxation_words(&r.drop, &r.drop_one_of);
        let _ = writeln!(out, "  {}: {words}", version_name(o.engine, &r.version));
    }
}

/// Caveats: blocking and risk by default, every one with -v; none that
/// repeats a reason shown.
fn write_caveats(out: &mut String, d: &Decision, s: &Styles, verbose: bool, shown: &[String]) {
    let shows = |c: &&Caveat| {
        (verbose || matches!(c.kind, CaveatKind::Blocking | CaveatKind::Risk))
            && !shown.contains(&c.text)
    };
    let caveats: Vec<&Caveat> = d.caveats.iter().filter(shows).collect();
    if caveats.is_empty() {
        return;
    }
    section(out, s, "Caveats");
    let bang = format!("{}!{:#}", s.warn, s.warn);
    for c in caveats {
        let text = format!("[{}] {}", c.kind.as_str(), c.text);
        write_item(out, s, &bang, &text, Some(&c.source));
    }
}

/// The setup and info notes left out of the short answer: how many.
fn write_hidden_notes(out: &mut String, d: &Decision) {
    let count = |kind, what: &str| match d.caveats.iter().filter(|c| c.kind == kind).count() {
        0 => None,
        1 => Some(format!("1 {what}")),
        n => Some(format!("{n} {}", what.replacen("note", "notes", 1))),
    };
    let setup = count(CaveatKind::Setup, "setup note (what to configure or build)");
    let info = count(CaveatKind::Info, "note");
    let parts: Vec<String> = [setup, info].into_iter().flatten().collect();
    if !parts.is_empty() {
        let parts = parts.join(" and ");
        let _ = writeln!(out, "\nAlso: {parts}; -v or --format markdown shows them.");
    }
}

/// A titled list of requirements by name and key, if there are any.
fn write_dimensions(out: &mut String, e: &Engine, s: &Styles, title: &str, keys: &[String]) {
    if keys.is_empty() {
        return;
    }
    let dims = keys.iter().filter_map(|k| e.matrix.dimension(k));
    let names: Vec<String> = dims.map(|d| format!("{} ({})", d.name, d.key)).collect();
    section(out, s, title);
    wrap(out, s.width, "  ", "  ", &names.join(", "));
}

/// What would change the answer: every change with -v, else the first.
fn write_would_change(out: &mut String, o: &DecisionOutline, s: &Styles, verbose: bool) {
    let groups = &o.d.would_change;
    let Some(first) = groups.first() else { return };
    let line = |g: &ChangeGroup| {
        let changes: Vec<&str> = g.changes.iter().map(|c| c.change.as_str()).collect();
        format!("{} → {}", changes.join("; or "), result_words(o.engine, g))
    };
    if verbose {
        section(out, s, "What would change the answer");
        for g in groups {
            wrap(out, s.width, "  - ", "    ", &line(g));
        }
    } else {
        let more = match groups.len() - 1 {
            0 => String::new(),
            more => format!(" (and {more} more with -v)"),
        };
        let _ = writeln!(out);
        let text = format!("{}{more}", line(first));
        wrap(out, s.width, "Would change it: ", "  ", &text);
    }
}

/// The next step: the documentation to build on, or what to do instead.
fn write_next_step(out: &mut String, engine: &Engine, d: &Decision) {
    let _ = writeln!(out);
    match super::json::docs(engine, d).as_slice() {
        [] if d.routes.is_empty() => out.push_str("Next step: revisit the requirements above (-v lists what to drop), or compare the versions with `cif-advisor compare`.\n"),
        [] => out.push_str("Next step: follow the route above.\n"),
        [one] => {
            let _ = writeln!(out, "Next step: {one}");
        }
        many => {
            // A plan: each version's documentation, named.
            let _ = writeln!(out, "Next steps:");
            for (docs, p) in many.iter().zip(&d.plan) {
                let _ = writeln!(out, "  {}: {docs}", version_name(engine, &p.version));
            }
        }
    }
}

/// "apps = sales, cs-workspace; providers = 2".
pub fn stated_summary(requirements: &StatedRequirements) -> String {
    if requirements.is_empty() {
        return "no requirement stated".into();
    }
    let pair = |r: &StatedRequirement| format!("{} = {}", r.key, r.value);
    requirements.iter().map(pair).collect::<Vec<_>>().join("; ")
}

/// A blank line, then a heading.
pub(crate) fn section(out: &mut String, s: &Styles, text: &str) {
    out.push('\n');
    heading(out, s, text);
}

/// A heading line in the heading style.
pub(crate) fn heading(out: &mut String, s: &Styles, text: &str) {
    let _ = writeln!(out, "{}{text}{:#}", s.heading, s.heading);
}

/// Writes each line of `text` in `style` (resetting before each newline).
pub(crate) fn styled(out: &mut String, style: anstyle::Style, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "{style}{line}{style:#}");
    }
}

/// Writes an item's title wrapped after `first` (its number or id), later
/// lines after `indent`, in the heading style.
pub(crate) fn item_title(out: &mut String, s: &Styles, first: &str, indent: &str, title: &str) {
    let mut text = String::new();
    wrap(&mut text, s.width, first, indent, title);
    styled(out, s.heading, &text);
}

/// Writes `{pad}{label}:`, then each entry of `list` under it as a wrapped bullet.
pub(crate) fn labelled_list(out: &mut String, s: &Styles, pad: &str, label: &str, list: &[String]) {
    let _ = writeln!(out, "{pad}{label}:");
    let (first, rest) = (format!("{pad}  - "), format!("{pad}    "));
    for e in list {
        wrap(out, s.width, &first, &rest, e);
    }
}

/// Writes `{indent}Sources:`, then each source under it, dimmed.
pub(crate) fn source_list(out: &mut String, s: &Styles, indent: &str, sources: &[String]) {
    let _ = writeln!(out, "{indent}Sources:");
    for src in sources {
        let _ = writeln!(out, "{indent}  {}{src}{:#}", s.dim, s.dim);
    }
}
