//! The decision for people: the recommendation first, then why, why not the
//! others, caveats, what is still open, what would change it, the next step.

use crate::engine::{Check, Decision, Engine, Status};
use crate::output::Styles;
use std::fmt::Write;

/// Writes `text` wrapped, the first line after `first`, the rest after `rest`.
pub(crate) fn wrap(out: &mut String, first: &str, rest: &str, text: &str) {
    // At most 100 columns in a terminal; unwrapped into a pipe or a file.
    // One column short of the edge: some terminals wrap a line that fills it.
    let Some(width) = crate::output::width().map(|w| (w - 1).min(100)) else {
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

fn version_name<'a>(engine: &'a Engine, id: &str) -> &'a str {
    engine
        .matrix
        .version(id)
        .map(|v| v.name.as_ref())
        .unwrap_or("?")
}

fn mark(status: Status, s: &Styles) -> String {
    let (style, glyph) = match status {
        Status::Pass => (s.good, "✓"),
        Status::Fail => (s.bad, "✗"),
        Status::Unknown => (s.warn, "?"),
    };
    format!("{style}{glyph}{style:#}")
}

/// Writes `text` as a list item: `  G first line`, then lines indented by
/// four. The glyph may carry colour codes, so the text is wrapped with a
/// plain four-column indent and the glyph put in its place.
fn item(out: &mut String, glyph: &str, text: &str) {
    let mut body = String::new();
    wrap(&mut body, "    ", "    ", text);
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
        item(out, &mark(c.status, s), &c.reason);
        for src in c.sources.iter().take(1) {
            let _ = writeln!(out, "    {}{src}{}", s.dim.render(), s.dim.render_reset());
        }
    }
}

/// Renders a decision as text.
pub fn decision(engine: &Engine, d: &Decision, s: &Styles) -> String {
    let mut out = String::new();
    let h = s.heading;
    let stated = stated_summary(&d.requirements);
    match &d.recommended {
        Some(r) => {
            let _ = writeln!(
                out,
                "{}Recommended: {}{}",
                s.good.render(),
                version_name(engine, r),
                s.good.render_reset()
            );
            match &d.alternative {
                Some(a) => {
                    let _ = writeln!(
                        out,
                        "Also fits: {} (the preference order puts {} first)",
                        version_name(engine, a),
                        version_name(engine, r)
                    );
                }
                None => {
                    let others: Vec<&str> = d
                        .evaluations
                        .iter()
                        .filter(|e| !e.fits)
                        .map(|e| e.name.as_ref())
                        .collect();
                    if !others.is_empty() {
                        let _ = writeln!(
                            out,
                            "Alternative: none ({} does not fit)",
                            others.join(", ")
                        );
                    }
                }
            }
        }
        None => {
            let _ = writeln!(
                out,
                "{}No CIF version fits these requirements.{}",
                s.bad.render(),
                s.bad.render_reset()
            );
        }
    }
    wrap(&mut out, "For: ", "     ", &stated);

    if !d.split.is_empty() {
        let parts: Vec<String> = d
            .split
            .iter()
            .map(|a| {
                let versions: Vec<&str> =
                    a.versions.iter().map(|v| version_name(engine, v)).collect();
                if versions.is_empty() {
                    format!("{} → no version", a.name)
                } else {
                    format!("{} → {}", a.name, versions.join(" or "))
                }
            })
            .collect();
        let _ = writeln!(out);
        wrap(
            &mut out,
            "",
            "  ",
            &format!(
                "The apps need different versions: {}. No single version serves all of them.",
                parts.join("; ")
            ),
        );
    }

    // The recommended version first, then the other fitting ones, then the rest.
    let mut ordered: Vec<&crate::engine::Evaluation> = d.evaluations.iter().collect();
    ordered.sort_by_key(|e| {
        if d.recommended.as_deref() == Some(e.version.as_str()) {
            0
        } else if e.fits {
            1
        } else {
            2
        }
    });
    for e in ordered {
        let is_recommended = d.recommended.as_deref() == Some(e.version.as_str());
        let list: Vec<&Check> = if e.fits {
            e.checks.iter().collect()
        } else {
            e.checks
                .iter()
                .filter(|c| c.status == Status::Fail)
                .collect()
        };
        if list.is_empty() {
            continue;
        }
        let title = if e.fits {
            if is_recommended {
                format!("Why {}", e.name)
            } else {
                format!("{} also fits", e.name)
            }
        } else {
            format!("Why not {}", e.name)
        };
        let _ = writeln!(out, "\n{}{title}{}", h.render(), h.render_reset());
        checks(&mut out, &list, s);
    }

    if !d.relaxations.is_empty() {
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
                r.drop.join(", ")
            );
        }
    }

    // Unknown checks are caveats too, but the "Why" list above already shows them.
    let shown: Vec<&str> = d
        .evaluations
        .iter()
        .filter(|e| d.recommended.as_deref() == Some(e.version.as_str()))
        .flat_map(|e| e.checks.iter().map(|c| c.reason.as_str()))
        .collect();
    let caveats: Vec<_> = d
        .caveat_details
        .iter()
        .filter(|c| !shown.contains(&c.text.as_ref()))
        .collect();
    if !caveats.is_empty() {
        let _ = writeln!(out, "\n{}Caveats{}", h.render(), h.render_reset());
        for c in caveats {
            let glyph = format!("{}!{}", s.warn.render(), s.warn.render_reset());
            item(&mut out, &glyph, &c.text);
            let _ = writeln!(
                out,
                "    {}{}{}",
                s.dim.render(),
                c.source,
                s.dim.render_reset()
            );
        }
    }

    if let (Some(r), false) = (&d.recommended, d.unanswered.is_empty()) {
        let names: Vec<String> = d
            .unanswered
            .iter()
            .filter_map(|k| engine.matrix.dimension(k))
            .map(|dim| format!("{} ({})", dim.name, dim.key))
            .collect();
        let _ = writeln!(
            out,
            "\n{}Not stated, and could still rule out {}{}",
            h.render(),
            version_name(engine, r),
            h.render_reset()
        );
        wrap(&mut out, "  ", "  ", &names.join(", "));
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
        wrap(&mut out, "  ", "  ", &names.join(", "));
    }

    if !d.would_change.is_empty() {
        let _ = writeln!(
            out,
            "\n{}What would change the answer{}",
            h.render(),
            h.render_reset()
        );
        for c in &d.would_change {
            let result = match &c.recommended {
                Some(v) => version_name(engine, v).to_string(),
                None => "no version fits".to_string(),
            };
            wrap(
                &mut out,
                "  - ",
                "    ",
                &format!("{} → {result}", c.change),
            );
        }
    }

    let _ = writeln!(out);
    match &d.docs {
        Some(docs) => {
            let _ = writeln!(out, "Next step: {docs}");
        }
        None => {
            let _ = writeln!(
                out,
                "Next step: revisit the requirements above, or compare the versions with `cif-advisor compare`."
            );
        }
    }
    let _ = writeln!(
        out,
        "{}Facts reviewed {}; sources are Microsoft Learn pages.{}",
        s.dim.render(),
        d.matrix_reviewed,
        s.dim.render_reset()
    );
    out
}

/// "apps = sales, cs-workspace; providers = 2".
pub fn stated_summary(requirements: &serde_json::Value) -> String {
    let Some(map) = requirements.as_object() else {
        return String::new();
    };
    if map.is_empty() {
        return "no requirement stated".into();
    }
    map.iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{k} = {value}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}
