//! The decision record: a Markdown architecture decision record in
//! the shape of MADR, for a design document or a pull request. Plain
//! GitHub-flavoured Markdown: no colour, no box drawing, no terminal width;
//! every text from the matrix is escaped and every source is an https link.

use super::outline::DecisionOutline;
use super::{and_list, app_names, or_list, version_name};
use crate::engine::{
    Caveat, Check, Confidence, Decision, Engine, OutcomeKind, PlanItem, StatedValue, Status,
};
use crate::error::Error;
use crate::matrix::{CaveatKind, DimensionKind};
use std::fmt::Write;

/// Escapes matrix text for inline Markdown: no emphasis, code, links
/// (autolinks of bare addresses included), HTML or table cells can come out
/// of it, and it stays on one line.
pub fn escape(text: &str) -> String {
    super::markdown::with_emails(text, escape_part)
}

fn escape_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if super::markdown::starts_autolink(text, i, c) || "\\`*_[]<>|&~#".contains(c) {
            out.push('\\');
        }
        out.push(if "\n\r\t".contains(c) { ' ' } else { c });
    }
    out
}

/// A source as a Markdown link, or as escaped text when it is not a plain
/// https address (links only ever point at https pages).
fn link(label: &str, url: &str) -> String {
    let odd = |c: char| c.is_whitespace() || c.is_control() || "()<>[]\\`".contains(c);
    let plain = url.starts_with("https://") && !url.chars().any(odd);
    if plain {
        format!("[{}]({url})", escape(label))
    } else {
        format!("{} (`{}`)", escape(label), url.replace('`', "'"))
    }
}

/// "[source](a), [2](b)": every source of a fact.
fn links(sources: &[String]) -> String {
    let numbered = |(i, s): (usize, &String)| match i {
        0 => link("source", s),
        i => link(&format!("source {}", i + 1), s),
    };
    let links: Vec<String> = sources.iter().enumerate().map(numbered).collect();
    links.join(", ")
}

/// A check's reason without the "(inferred from …)" words the engine adds:
/// the record says so itself, beside the links ([`cited`]).
fn reason(c: &Check) -> &str {
    if c.basis != Some(crate::matrix::Basis::Inferred) {
        return &c.reason;
    }
    let suffix = crate::engine::basis_suffix(c.basis, c.sources.iter().map(String::as_str));
    c.reason.strip_suffix(suffix.as_str()).unwrap_or(&c.reason)
}

/// A check's sources, saying whether the fact is documented or inferred.
fn cited(c: &Check) -> String {
    if c.sources.is_empty() {
        return "No source recorded.".into();
    }
    let lead = match c.basis {
        Some(crate::matrix::Basis::Inferred) => "Inferred from",
        Some(crate::matrix::Basis::Documented) => "Documented in",
        None => "Source:",
    };
    format!("{lead} {}.", links(&c.sources))
}

/// Today's date in UTC (`YYYY-MM-DD`), or the one `SOURCE_DATE_EPOCH` names.
pub fn today() -> Result<String, Error> {
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(raw) if !raw.trim().is_empty() => raw
            .trim()
            .parse::<i64>()
            .map_err(|_| Error::SourceDateEpoch(raw.clone()))?,
        _ => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0),
    };
    Ok(civil_date(seconds))
}

/// Seconds since the epoch → `YYYY-MM-DD` in UTC (the proleptic Gregorian
/// calendar; H. Hinnant's `civil_from_days`).
pub fn civil_date(seconds: i64) -> String {
    let (year, month, day) = crate::dates::civil_from_days(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// "A, B and C": the apps' names.
fn apps_and(engine: &Engine, ids: &[String]) -> String {
    and_list(&app_names(engine, ids))
}

/// Inline code (backslashes are literal there; backticks cannot occur).
fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'").replace(['\n', '\r'], " "))
}

/// "Channel analytics (`analytics`)".
fn dimension_label(engine: &Engine, key: &str) -> String {
    match engine.matrix.dimension(key) {
        Some(d) => format!("{} ({})", escape(&d.name), code(key)),
        None => code(key),
    }
}

/// A stated requirement's value in words.
fn value_words(engine: &Engine, key: &str, value: &StatedValue) -> String {
    let dim = engine.matrix.dimension(key);
    let name_of = |id: &String| -> String {
        let name = match dim {
            Some(d) if d.kind == DimensionKind::Apps => engine.matrix.app(id).map(|a| &a.name),
            Some(d) => d.values.iter().find(|v| v.id == *id).map(|v| &v.name),
            None => None,
        };
        name.map_or_else(|| id.to_string(), |n| n.to_string())
    };
    match value {
        StatedValue::Many(ids) => escape(&and_list(&ids.iter().map(name_of).collect::<Vec<_>>())),
        StatedValue::One(Some(id)) => escape(&name_of(id)),
        StatedValue::Flag => "needed".into(),
        other => escape(&other.to_string()),
    }
}

fn confidence_words(d: &Decision) -> String {
    let on = escape(&d.conditional_on.join(", "));
    match d.confidence {
        Some(Confidence::Confirmed | Confidence::Conditional) => {
            escape(&super::outline::confirmed_or_conditional(d))
        }
        Some(Confidence::Open) if d.conditional_on.is_empty() => "open".into(),
        Some(Confidence::Open) => format!("open, and conditional on {on}"),
        None => "none".into(),
    }
}

fn title<'a>(engine: &'a Engine, d: &'a Decision) -> String {
    let version = |id: &'a str| version_name(engine, id);
    match d.outcome {
        OutcomeKind::Single => {
            let v = version(d.recommended.as_deref().unwrap_or("?"));
            match engine.stated_app_ids(&d.requirements).as_slice() {
                [] => format!("Use {v}"),
                ids => format!("Use {v} for {}", apps_and(engine, ids)),
            }
        }
        OutcomeKind::Plan => {
            let part = |p: &'a PlanItem| {
                format!("{} for {}", version(&p.version), apps_and(engine, &p.apps))
            };
            let parts: Vec<String> = d.plan.iter().map(part).collect();
            format!("Use {}", and_list(&parts))
        }
        OutcomeKind::None if d.contradiction.is_some() => {
            "No CIF version: the requirements contradict each other".into()
        }
        OutcomeKind::None if !d.no_version.is_empty() => {
            let apps = apps_and(engine, &d.no_version);
            format!("No CIF version for {apps}: take another route")
        }
        OutcomeKind::None if !d.unmet.is_empty() => {
            let name = |k: &'a String| engine.matrix.dimension(k).map_or(k.as_str(), |x| &x.name);
            let what: Vec<&str> = d.unmet.iter().map(name).collect();
            let what = and_list(&what).to_lowercase();
            format!("No CIF version meets {what}: take another route")
        }
        OutcomeKind::None => "No CIF version fits these requirements".into(),
    }
}

/// The plan table: one row per group of apps.
fn write_plan_table(out: &mut String, engine: &Engine, plan: &[PlanItem]) {
    out.push_str(
        "| Apps | Version | Confidence | Conditional on | Cannot meet |\n|---|---|---|---|---|\n",
    );
    let dash = |v: &[String]| match v {
        [] => "-".to_string(),
        v => escape(&v.join(", ")),
    };
    for p in plan {
        let apps = escape(&apps_and(engine, &p.apps));
        let version = escape(version_name(engine, &p.version));
        let conf = p.confidence.map_or("-", Confidence::as_str);
        let (on, unmet) = (dash(&p.conditional_on), dash(&p.unmet));
        let _ = writeln!(out, "| {apps} | {version} | {conf} | {on} | {unmet} |");
    }
}

/// The decision record of `d`. `command` is the command line that reproduces
/// it; without one the record gives its requirements on standard input.
pub fn decision(engine: &Engine, d: &Decision, date: &str, command: Option<&str>) -> String {
    if !d.teams.is_empty() {
        return super::teams::record(engine, d, date, command);
    }
    let o = DecisionOutline::new(engine, d);
    let mut out = String::new();
    write_header(&mut out, &o, date);
    write_context(&mut out, &o);
    write_decision(&mut out, &o);
    let mut behind = Vec::new();
    let reasons = |out: &mut String| behind = write_reasons(out, &o);
    section(&mut out, "Reasons", "No check decides it.", reasons);
    let consequences = |out: &mut String| write_consequences(out, d);
    let none = "None recorded in the facts.";
    section(&mut out, "Consequences", none, consequences);
    let questions = |out: &mut String| write_open_questions(out, &o, &behind);
    let none = "None: every check is confirmed and nothing left unstated could change the answer.";
    section(&mut out, "Open questions", none, questions);
    let alternatives = |out: &mut String| write_alternatives(out, &o);
    let none = "None: no other version was in question.";
    section(&mut out, "Alternatives considered", none, alternatives);
    let changes = |out: &mut String| write_would_change(out, &o);
    let none = "No single change to the stated requirements changes the outcome.";
    section(&mut out, "What would change it", none, changes);
    // Without a command line, the requirements on standard input.
    let json = serde_json::to_string(&d.requirements).unwrap_or_default();
    let echo = format!(
        "echo '{}' | cif-advisor recommend --requirements - --format markdown",
        json.replace('\'', "'\\''")
    );
    super::teams::write_reproduce(&mut out, d, Some(command.unwrap_or(&echo)));
    out
}

/// Writes `## title`, then what `body` writes, or `none` when it writes nothing.
fn section(out: &mut String, title: &str, none: &str, body: impl FnOnce(&mut String)) {
    let _ = writeln!(out, "\n## {title}\n");
    let start = out.len();
    body(out);
    if out.len() == start {
        let _ = writeln!(out, "{none}");
    }
}

/// The title and the record's facts.
fn write_header(out: &mut String, o: &DecisionOutline, date: &str) {
    let d = o.d;
    let _ = writeln!(out, "# {}\n", escape(&title(o.engine, d)));
    write_facts(out, d, date);
    let (outcome, conf) = (d.outcome.as_str(), confidence_words(d));
    let _ = match d.confidence {
        Some(_) => writeln!(out, "- Outcome: {outcome}, confidence {conf}"),
        None => writeln!(out, "- Outcome: none (no CIF version fits)"),
    };
}

/// The record's status, date, tool and facts.
pub(crate) fn write_facts(out: &mut String, d: &Decision, date: &str) {
    let tool = escape(super::json::TOOL_VERSION);
    let _ = writeln!(
        out,
        "- Status: proposed\n- Date: {date}\n- Tool: cif-advisor {tool}\n- Facts reviewed: {}",
        escape(&d.matrix_reviewed)
    );
}

/// The requirements, stated and not.
fn write_context(out: &mut String, o: &DecisionOutline) {
    let (engine, d) = (o.engine, o.d);
    out.push_str("\n## Context\n\nWhich Channel Integration Framework (CIF) version serves which part of the organisation, for these stated requirements:\n\n");
    if d.requirements.is_empty() {
        let _ = writeln!(out, "- No requirement stated.");
    }
    for r in d.requirements.iter() {
        let label = dimension_label(engine, &r.key);
        let _ = writeln!(out, "- {label}: {}", value_words(engine, &r.key, &r.value));
    }
    if let Some(c) = &d.contradiction {
        let _ = writeln!(out, "\n{}", escape(c));
    }
    let said = |k: &String| {
        d.requirements.get(k).is_some() || d.unanswered.contains(k) || d.skipped.contains(k)
    };
    let keys = engine.matrix.dimensions.iter().map(|dim| &dim.key);
    let silent: Vec<String> = keys.filter(|k| !said(k)).cloned().collect();
    let unstated = "Not stated, and could still change the answer";
    for (what, keys) in [
        (unstated, &d.unanswered),
        ("Skipped on purpose", &d.skipped),
        ("Not stated, and cannot change the answer", &silent),
    ] {
        let labels: Vec<String> = keys.iter().map(|k| dimension_label(engine, k)).collect();
        if !labels.is_empty() {
            let _ = writeln!(out, "\n{what}: {}.", labels.join(", "));
        }
    }
}

/// The decision: the version, the plan or why none, and the next step.
fn write_decision(out: &mut String, o: &DecisionOutline) {
    let d = o.d;
    let _ = writeln!(out, "\n## Decision\n");
    match d.outcome {
        OutcomeKind::Single => write_single(out, o),
        OutcomeKind::Plan => {
            let _ = writeln!(
                out,
                "A plan: each group of apps uses the version that serves it (confidence: {}).\n",
                confidence_words(d)
            );
            write_plan_table(out, o.engine, &d.plan);
            out.push_str("\nThe versions run side by side in one organisation: one provider record per version, configured in two places.\n");
        }
        OutcomeKind::None => write_none(out, o),
    }
    let docs = super::json::docs(o.engine, d);
    if !docs.is_empty() {
        let _ = writeln!(out, "\nNext step, the documentation to build on:\n");
        for doc in docs {
            let version = o.engine.matrix.versions.iter().find(|v| v.docs == doc);
            let label = version.map_or(doc.to_string(), |v| format!("{} documentation", v.name));
            let _ = writeln!(out, "- {}", link(&label, doc));
        }
    }
}

/// A single version, and what could still change it.
fn write_single(out: &mut String, o: &DecisionOutline) {
    let d = o.d;
    let r = version_name(o.engine, d.recommended.as_deref().unwrap_or("?"));
    let (r, conf) = (escape(r), confidence_words(d));
    let _ = writeln!(
        out,
        "Use **{r}** for every stated requirement (confidence: {conf})."
    );
    let places = escape(&or_list(&d.holds_for));
    let held = match d.holds_for.as_slice() {
        [] if d.open_on.is_empty() => return,
        [] => String::new(),
        _ => format!("it holds if the agents work in {places}; "),
    };
    let dims = escape(&or_list(&o.open_dims()));
    let _ = writeln!(
        out,
        "\nThe answer is open: {held}stating the {dims} could change it."
    );
}

/// No version: why, the parts that keep one, and the route instead.
fn write_none(out: &mut String, o: &DecisionOutline) {
    let d = o.d;
    let lead = if !d.routes.is_empty() {
        "No CIF version fits; take the route below instead."
    } else if d.contradiction.is_some() {
        "No CIF version fits: the stated requirements contradict each other (see the context)."
    } else {
        "No CIF version fits these requirements; the alternatives below say what each version would need dropped."
    };
    let _ = writeln!(out, "{lead}");
    if !d.plan.is_empty() {
        let _ = writeln!(out, "\nThe parts that have a version keep it:\n");
        write_plan_table(out, o.engine, &d.plan);
    }
    if !d.routes.is_empty() {
        let _ = writeln!(out, "\nRoute:\n");
        write_routes(out, o.engine, d, "- ");
    }
}

/// Each route as a list item after `bullet`.
fn write_routes(out: &mut String, engine: &Engine, d: &Decision, bullet: &str) {
    for r in &d.routes {
        let what = dimension_or_app(engine, &r.for_);
        let text = escape(r.text.trim_end_matches('.'));
        let source = link("source", &r.source);
        let _ = writeln!(out, "{bullet}For {what}: {text} ({source}).");
    }
}

/// Reasons: the checks behind the versions used (in a plan, each group's
/// own apps), then for `none` the failed checks. Returns the checks
/// behind, with their versions' names.
fn write_reasons<'a>(out: &mut String, o: &'a DecisionOutline<'a>) -> Vec<(&'a str, &'a Check)> {
    let mut behind: Vec<(&str, &Check)> = o.group_checks.iter().map(|(v, c)| (*v, c)).collect();
    let used = o.d.evaluations.iter().filter(|e| o.uses(&e.version));
    let checks = used.flat_map(|e| e.checks.iter().map(|c| (e.name.as_str(), c)));
    behind.extend(checks.filter(|(_, c)| c.status != Status::Fail && !o.covers_other_groups(c)));
    let none = o.d.outcome == OutcomeKind::None;
    let failed = o.failures().filter(|_| none).flat_map(|(_, failed)| failed);
    for c in behind.iter().map(|(_, c)| *c).chain(failed) {
        let status = match c.status {
            Status::Pass => "Meets",
            Status::Fail => "Does not meet",
            Status::Unknown => "Unknown",
            Status::Limited => "Limited",
        };
        let _ = writeln!(out, "- **{status}**: {} {}", escape(reason(c)), cited(c));
    }
    behind
}

/// The caveats by kind.
fn write_consequences(out: &mut String, d: &Decision) {
    let setup = "Setup: what the team must build or configure";
    let kinds = [
        (CaveatKind::Blocking, "Blocking"),
        (CaveatKind::Risk, "Risks"),
        (CaveatKind::Setup, setup),
        (CaveatKind::Info, "Good to know"),
    ];
    let item = |c: &Caveat| {
        let text = escape(c.text.trim_end_matches('.'));
        format!("- {text} ({}).\n", link("source", &c.source))
    };
    let group = |(kind, heading): (CaveatKind, &str)| {
        let items = d.caveats.iter().filter(|c| c.kind == kind);
        let items: String = items.map(item).collect();
        (!items.is_empty()).then(|| format!("### {heading}\n\n{items}"))
    };
    let groups: Vec<String> = kinds.into_iter().filter_map(group).collect();
    out.push_str(&groups.join("\n"));
}

/// What is unknown, unstated or skipped, and how to settle it.
fn write_open_questions(out: &mut String, o: &DecisionOutline, behind: &[(&str, &Check)]) {
    let (engine, d) = (o.engine, o.d);
    for (name, c) in behind.iter().filter(|(_, c)| c.status == Status::Unknown) {
        let verify = if c.reason.contains("(the sources conflict)") {
            "the sources conflict: ask Microsoft (a support request) which one holds, and test it in a sandbox organisation"
        } else {
            "no page confirms it: test it in a sandbox organisation before committing, or ask Microsoft (a support request) to confirm it"
        };
        let (label, name) = (dimension_label(engine, &c.requirement), escape(name));
        let (why, sources) = (escape(reason(c)), cited(c));
        let _ = writeln!(
            out,
            "- {label} for {name}: {why} Verify: {verify}. {sources}"
        );
    }
    for key in &d.unanswered {
        let flag = crate::flags::flag_for(key).map(|f| format!("`{}`", f.flag()));
        let flag = flag.unwrap_or_else(|| "the requirements file".into());
        let _ = writeln!(
            out,
            "- {}: not stated, and it could change the answer. Verify: agree it with the team and state it with {flag}.",
            dimension_label(engine, key)
        );
    }
    for key in &d.skipped {
        let _ = writeln!(
            out,
            "- {}: skipped on purpose; the answer does not take it into account.",
            dimension_label(engine, key)
        );
    }
}

/// The other versions and routes, and why they were not chosen.
fn write_alternatives(out: &mut String, o: &DecisionOutline) {
    let d = o.d;
    if let (OutcomeKind::Single, Some(a)) = (d.outcome, &d.alternative) {
        let r = version_name(o.engine, d.recommended.as_deref().unwrap_or("?"));
        let (a, r) = (escape(version_name(o.engine, a)), escape(r));
        let note = escape(o.engine.matrix.preference_note.trim());
        let _ = writeln!(
            out,
            "- **{a}** also fits every stated requirement; the preference order puts {r} first. {note}"
        );
    }
    for (e, failed) in o.failures() {
        let name = escape(&e.name);
        let used = o.uses(&e.version);
        let every = if used { " for every app" } else { "" };
        let _ = writeln!(out, "- **{name}**{every}: not chosen, because:");
        for c in failed {
            let _ = writeln!(out, "  - {} {}", escape(reason(c)), cited(c));
        }
        if let Some(r) = d.relaxations.iter().find(|r| r.version == e.version) {
            let words = crate::engine::reasons::relaxation_words(&r.drop, &r.drop_one_of);
            let _ = writeln!(out, "  - It would fit without: {}.", escape(&words));
        }
    }
    if !d.routes.is_empty() {
        let _ = writeln!(out, "- Routes other than CIF:");
        write_routes(out, o.engine, d, "  - ");
    }
}

/// Each change to the requirements that changes the answer, and to what.
fn write_would_change(out: &mut String, o: &DecisionOutline) {
    let (engine, d) = (o.engine, o.d);
    for g in &d.would_change {
        let result = match g.outcome {
            OutcomeKind::Single => escape(version_name(
                engine,
                g.recommended.as_deref().unwrap_or("?"),
            )),
            OutcomeKind::Plan => {
                let names: Vec<&str> = g.plan.iter().map(|v| version_name(engine, v)).collect();
                format!("a plan with {} side by side", escape(&and_list(&names)))
            }
            OutcomeKind::None => "no CIF version fits".into(),
        };
        let changes: Vec<String> = g.changes.iter().map(|c| escape(&c.change)).collect();
        let changes = changes.join("; or ");
        let same = g.outcome == d.outcome && g.recommended == d.recommended;
        let result = match (same, g.confidence) {
            (true, Some(c)) => format!("{result}, {}", c.as_str()),
            _ => result,
        };
        let _ = writeln!(out, "- {changes}: the answer becomes {result}.");
    }
}

/// The subject of a route: an app's name or a requirement's label.
fn dimension_or_app(engine: &Engine, id: &str) -> String {
    if let Some(a) = engine.matrix.app(id) {
        return escape(&a.name);
    }
    match id.split_once('=') {
        Some((key, value)) => {
            let value = value_words(engine, key, &StatedValue::One(Some(value.to_string())));
            format!("{} = {value}", dimension_label(engine, key))
        }
        None => dimension_label(engine, id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(951_782_400), "2000-02-29");
        assert_eq!(civil_date(1_764_633_600), "2025-12-02");
        assert_eq!(civil_date(1_796_169_599), "2026-12-01");
        assert_eq!(civil_date(-86_400), "1969-12-31");
    }

    #[test]
    fn escapes_markdown() {
        assert_eq!(
            escape("a <b> | *c* [d](e)"),
            "a \\<b\\> \\| \\*c\\* \\[d\\](e)"
        );
        assert_eq!(link("x", "http://a"), "x (`http://a`)");
        // Bare addresses are no autolinks.
        assert_eq!(
            escape("at www.evil.example/cif or http://evil.example/x, WWW.x"),
            "at www\\.evil.example/cif or http\\://evil.example/x, WWW\\.x"
        );
        assert_eq!(escape("a: b. www"), "a: b. www");
        // E-mail addresses, which no escape stops, go in code spans.
        assert_eq!(
            escape("mail ops@evil.example. or a@b, x@y.z_"),
            "mail `ops@evil.example`. or a@b, `x@y.z`\\_"
        );
        assert_eq!(escape("@x.y a@ b@.c"), "@x.y a@ b@.c");
        assert_eq!(link("x", "https://a/b"), "[x](https://a/b)");
    }
}
