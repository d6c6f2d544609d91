//! The knowledge commands `api` and `migrate`, and the built-in catalogues
//! they (and `troubleshoot`) read: `data/api.yaml`, `data/problems.yaml` and
//! `data/migrate.yaml`, checked by `build.rs` and embedded as postcard.
//!
//! Each catalogue is decoded only by the command that needs it.

pub mod model;

pub use model::*;

use crate::cli::{ApiArgs, DocFormat, MigrateArgs, TextFormat};
use crate::commands::Context;
use crate::error::CliError;
use crate::exit::ExitCode;
use crate::output::{self, Styles};
use crate::render::{json, markdown, table};
use serde::Serialize;
use std::fmt::Write;

static API_BINARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/api.postcard"));
static PROBLEMS_BINARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/problems.postcard"));
static MIGRATE_BINARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/migrate.postcard"));

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, CliError> {
    postcard::from_bytes(bytes).map_err(|e| {
        CliError::Other(format!(
            "the built-in {what} cannot be read ({e}); rebuild cif-advisor"
        ))
    })
}

/// The built-in API catalogue (checked at build time).
pub fn api_catalogue() -> Result<ApiCatalogue, CliError> {
    decode(API_BINARY, "API catalogue")
}

/// The built-in catalogue of known problems (checked at build time).
pub fn problem_catalogue() -> Result<ProblemCatalogue, CliError> {
    decode(PROBLEMS_BINARY, "problem catalogue")
}

/// The built-in 1.0 → 2.0 checklist (checked at build time).
pub fn migrate_guide() -> Result<MigrateGuide, CliError> {
    decode(MIGRATE_BINARY, "migration checklist")
}

/// Finds `given` among `versions`, accepting "2", "v2" and "2.0" alike;
/// otherwise a usage error for `flag` that names the valid versions.
pub fn resolve_version(given: &str, versions: &[String], flag: &str) -> Result<String, CliError> {
    let canonical = |v: &str| {
        let v = v.trim().to_ascii_lowercase();
        let v = v.strip_prefix('v').unwrap_or(&v).to_string();
        if v.contains('.') {
            v
        } else {
            format!("{v}.0")
        }
    };
    let wanted = canonical(given);
    versions
        .iter()
        .find(|v| canonical(v) == wanted)
        .cloned()
        .ok_or_else(|| {
            CliError::Usage(format!(
                "invalid value '{given}' for '{flag}': valid versions: {}",
                versions.join(", ")
            ))
        })
}

pub(crate) use crate::render::text::wrap;

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
    wrap(&mut text, first, indent, title);
    styled(out, s.heading, &text);
}

/// Writes `{indent}{label}:`, then each entry under it as a wrapped bullet.
pub(crate) fn labelled_list(out: &mut String, indent: &str, label: &str, entries: &[String]) {
    let _ = writeln!(out, "{indent}{label}:");
    for e in entries {
        wrap(out, &format!("{indent}  - "), &format!("{indent}    "), e);
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
pub fn basis_label(basis: Basis) -> &'static str {
    match basis {
        Basis::Documented => "documented",
        Basis::Inferred => "inferred — advice, not a Microsoft statement",
    }
}

// ===================================================================== api

/// One member as `api --format json` prints it.
#[derive(Debug, Serialize)]
pub struct MemberView<'a> {
    pub name: &'a str,
    /// "method" or "event".
    pub kind: &'a str,
    pub versions: &'a [String],
    /// The call signature, or null when not documented in the catalogue.
    pub signature: Option<&'a str>,
    pub summary: &'a str,
    /// `{since, note, source}`, or null.
    pub deprecated: Option<&'a Deprecation>,
    pub source: &'a str,
    /// "documented" or "inferred" (the summary and versions).
    pub basis: &'a str,
    /// Each `{text, source, basis}`.
    pub notes: &'a [Note],
    /// Only with `--diff`: the one version that has the member, or null
    /// (a deprecated member present in several versions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_in: Option<Option<&'a str>>,
}

/// One group as `api --format json` prints it.
#[derive(Debug, Serialize)]
pub struct GroupView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub members: Vec<MemberView<'a>>,
}

/// What `api --format json` prints:
/// `{"reviewed", "versions", "version", "diff", "groups": [{"id", "name",
/// "members": [{"name", "kind", "versions", "signature", "summary",
/// "deprecated", "source", "basis", "notes", "only_in"?}]}]}`.
///
/// `versions` lists every version the catalogue describes; `version` is the
/// `--version` filter (or null); `only_in` appears only with `--diff`.
/// Groups with no member left after filtering are omitted.
#[derive(Debug, Serialize)]
pub struct ApiView<'a> {
    pub reviewed: &'a str,
    pub versions: &'a [String],
    pub version: Option<&'a str>,
    pub diff: bool,
    pub groups: Vec<GroupView<'a>>,
}

/// The one version that has `m`, when the catalogue has several.
fn only_in<'a>(m: &'a ApiMember, catalogue: &ApiCatalogue) -> Option<&'a str> {
    match m.versions.as_slice() {
        [one] if catalogue.versions.len() > 1 => Some(one.as_str()),
        _ => None,
    }
}

/// True when `m` belongs in `--diff`: missing from some version, or deprecated.
fn differs(m: &ApiMember, catalogue: &ApiCatalogue) -> bool {
    m.deprecated.is_some() || catalogue.versions.iter().any(|v| !m.versions.contains(v))
}

/// Selects the members to show.
pub fn api_view<'a>(
    catalogue: &'a ApiCatalogue,
    version: Option<&'a str>,
    diff: bool,
) -> ApiView<'a> {
    let groups = catalogue
        .groups
        .iter()
        .map(|g| GroupView {
            id: &g.id,
            name: &g.name,
            members: g
                .members
                .iter()
                .filter(|m| version.is_none_or(|v| m.versions.iter().any(|x| x == v)))
                .filter(|m| !diff || differs(m, catalogue))
                .map(|m| MemberView {
                    name: &m.name,
                    kind: m.kind.as_str(),
                    versions: &m.versions,
                    signature: Some(m.signature.as_str()).filter(|s| !s.trim().is_empty()),
                    summary: &m.summary,
                    deprecated: m.deprecated.as_ref(),
                    source: &m.source,
                    basis: m.basis.as_str(),
                    notes: &m.notes,
                    only_in: diff.then(|| only_in(m, catalogue)),
                })
                .collect::<Vec<_>>(),
        })
        .filter(|g| !g.members.is_empty())
        .collect();
    ApiView {
        reviewed: &catalogue.reviewed,
        versions: &catalogue.versions,
        version,
        diff,
        groups,
    }
}

/// `cif-advisor api`.
pub fn api(ctx: &Context, args: ApiArgs) -> Result<ExitCode, CliError> {
    let catalogue = api_catalogue()?;
    let version = match &args.api_version {
        Some(v) => Some(resolve_version(v, &catalogue.versions, "--version")?),
        None => None,
    };
    let view = api_view(&catalogue, version.as_deref(), args.diff);
    let text = match args.format {
        DocFormat::Json => json::to_string(&view)?,
        DocFormat::Markdown => api_markdown(&view),
        DocFormat::Table => api_table(&view, ctx.color),
    };
    output::write_stdout(text.as_bytes())?;
    Ok(ExitCode::Success)
}

/// What the listing shows, in one sentence.
fn api_scope(view: &ApiView<'_>) -> String {
    let versions = match view.version {
        Some(v) => format!("available in CIF {v}"),
        None => format!("of CIF {}", view.versions.join(" and ")),
    };
    if view.diff {
        format!(
            "Microsoft.CIFramework members {versions} that exist in only one version, and deprecated members"
        )
    } else {
        format!("Microsoft.CIFramework methods and client-side events {versions}")
    }
}

/// "1.0, 2.0", or "only in 2.0" when one version of several has it.
fn versions_text(m: &MemberView<'_>, all: &[String]) -> String {
    match m.versions {
        [one] if all.len() > 1 => format!("only in {one}"),
        many => many.join(", "),
    }
}

fn deprecation_text(d: &Deprecation) -> String {
    format!("DEPRECATED since {}: {}", d.since, d.note)
}

/// Numbers each distinct source link once, in order of first use.
#[derive(Default)]
struct Footnotes(Vec<String>);

impl Footnotes {
    fn number(&mut self, url: &str) -> usize {
        match self.0.iter().position(|u| u == url) {
            Some(i) => i + 1,
            None => {
                self.0.push(url.to_string());
                self.0.len()
            }
        }
    }
}

fn api_table(view: &ApiView<'_>, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} (reviewed {}).", api_scope(view), view.reviewed);
    if view.groups.is_empty() {
        let _ = writeln!(out, "\nNo member to show.");
        return out;
    }
    let mut notes = Footnotes::default();
    for g in &view.groups {
        let header = ["Member", "Kind", "Versions", "Description", "Source"].map(String::from);
        let mut rows = Vec::with_capacity(g.members.len());
        for m in &g.members {
            let source = notes.number(m.source);
            let mut description = vec![m.summary.to_string()];
            if let Some(sig) = m.signature {
                description.insert(0, sig.to_string());
            }
            if let Some(d) = m.deprecated {
                description.push(format!(
                    "{} [{}]",
                    deprecation_text(d),
                    notes.number(&d.source)
                ));
            }
            for n in m.notes {
                let inferred = if n.basis == Basis::Inferred {
                    " (inferred)"
                } else {
                    ""
                };
                description.push(format!(
                    "• {}{inferred} [{}]",
                    n.text,
                    notes.number(&n.source)
                ));
            }
            let mut versions_cell = versions_text(m, view.versions);
            if m.deprecated.is_some() {
                versions_cell.push_str("\ndeprecated");
            }
            rows.push(vec![
                m.name.to_string(),
                m.kind.to_string(),
                versions_cell,
                description.join("\n"),
                format!("[{source}]"),
            ]);
        }
        let _ = writeln!(out, "\n{} ({})", g.name, g.members.len());
        out.push_str(&table::draw(header.to_vec(), rows, color));
    }
    let _ = writeln!(out, "\nSources:");
    for (i, url) in notes.0.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {url}", i + 1);
    }
    out
}

fn api_markdown(view: &ApiView<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", markdown::cell(&api_scope(view)));
    let _ = writeln!(out, "Reviewed {}.", view.reviewed);
    if view.groups.is_empty() {
        let _ = writeln!(out, "\nNo member to show.");
    }
    for g in &view.groups {
        let _ = writeln!(out, "\n## {}\n", markdown::cell(g.name));
        let _ = writeln!(out, "| Member | Kind | Versions | Description | Source |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for m in &g.members {
            let mut description = Vec::new();
            if let Some(sig) = m.signature {
                description.push(format!("`{}`", markdown::cell(sig)));
            }
            description.push(markdown::cell(m.summary));
            if let Some(d) = m.deprecated {
                description.push(format!(
                    "**Deprecated since {}**: {} ([source]({}))",
                    d.since,
                    markdown::cell(&d.note),
                    d.source
                ));
            }
            for n in m.notes {
                let inferred = if n.basis == Basis::Inferred {
                    " (inferred)"
                } else {
                    ""
                };
                description.push(format!(
                    "• {}{inferred} ([source]({}))",
                    markdown::cell(&n.text),
                    n.source
                ));
            }
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | [source]({}) |",
                markdown::cell(m.name),
                m.kind,
                markdown::cell(&versions_text(m, view.versions)),
                description.join("<br>"),
                m.source
            );
        }
    }
    out
}

// ================================================================= migrate

/// One step as `migrate --format json` prints it.
#[derive(Debug, Serialize)]
pub struct StepView<'a> {
    pub number: usize,
    pub id: &'a str,
    pub title: &'a str,
    pub detail: &'a [String],
    /// "documented" or "inferred".
    pub basis: &'a str,
    pub sources: &'a [String],
}

/// One pitfall (a problem of the troubleshooting catalogue).
#[derive(Debug, Serialize)]
pub struct PitfallView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub versions: &'a [String],
    pub fix: &'a [String],
    /// "documented" or "inferred".
    pub basis: &'a str,
    pub sources: &'a [String],
}

/// What `migrate --format json` prints:
/// `{"reviewed", "steps": [{"number", "id", "title", "detail", "basis",
/// "sources"}], "pitfalls": [{"id", "title", "versions", "fix", "basis",
/// "sources"}]}`. Pitfalls come from the troubleshooting catalogue.
#[derive(Debug, Serialize)]
pub struct MigrateView<'a> {
    pub reviewed: &'a str,
    pub steps: Vec<StepView<'a>>,
    pub pitfalls: Vec<PitfallView<'a>>,
}

/// Joins the checklist with its pitfalls.
pub fn migrate_view<'a>(
    guide: &'a MigrateGuide,
    problems: &'a ProblemCatalogue,
) -> Result<MigrateView<'a>, CliError> {
    let pitfalls = guide
        .pitfalls
        .iter()
        .map(|id| {
            problems
                .problems
                .iter()
                .find(|p| &p.id == id)
                .map(|p| PitfallView {
                    id: &p.id,
                    title: &p.title,
                    versions: &p.versions,
                    fix: &p.fix,
                    basis: p.basis.as_str(),
                    sources: &p.sources,
                })
                .ok_or_else(|| {
                    CliError::Other(format!(
                        "the migration checklist names pitfall '{id}', which the problem catalogue lacks; rebuild cif-advisor"
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(MigrateView {
        reviewed: &guide.reviewed,
        steps: guide
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepView {
                number: i + 1,
                id: &s.id,
                title: &s.title,
                detail: &s.detail,
                basis: s.basis.as_str(),
                sources: &s.sources,
            })
            .collect(),
        pitfalls,
    })
}

/// `cif-advisor migrate`.
pub fn migrate(ctx: &Context, args: MigrateArgs) -> Result<ExitCode, CliError> {
    let guide = migrate_guide()?;
    let problems = problem_catalogue()?;
    let view = migrate_view(&guide, &problems)?;
    let text = match args.format {
        TextFormat::Json => json::to_string(&view)?,
        TextFormat::Text => migrate_text(&view, &ctx.styles()),
    };
    output::write_stdout(text.as_bytes())?;
    Ok(ExitCode::Success)
}

const INFERRED: &str = "inferred";

fn migrate_text(view: &MigrateView<'_>, s: &Styles) -> String {
    let mut out = String::new();
    heading(
        &mut out,
        s,
        &format!(
            "Moving a channel provider from CIF 1.0 to CIF 2.0 (checklist reviewed {})",
            view.reviewed
        ),
    );
    for step in &view.steps {
        out.push('\n');
        let marker = if step.basis == INFERRED {
            " (inferred)"
        } else {
            ""
        };
        let number = format!("{}. ", step.number);
        let indent = " ".repeat(number.len());
        item_title(
            &mut out,
            s,
            &number,
            &indent,
            &format!("{}{marker}", step.title),
        );
        for d in step.detail {
            wrap(&mut out, &format!("{indent}- "), &format!("{indent}  "), d);
        }
        source_list(&mut out, s, &indent, step.sources);
    }
    if view.steps.iter().any(|st| st.basis == INFERRED) {
        out.push('\n');
        wrap(
            &mut out,
            "",
            "",
            "(inferred): our reading of the sources, not a Microsoft statement; \
             check it against the linked pages.",
        );
    }
    if !view.pitfalls.is_empty() {
        out.push('\n');
        heading(&mut out, s, "Pitfalls");
        wrap(
            &mut out,
            "",
            "",
            "From the troubleshooting catalogue; `cif-advisor troubleshoot ID` shows one.",
        );
        for p in &view.pitfalls {
            out.push('\n');
            let marker = if p.basis == INFERRED {
                " (inferred)"
            } else {
                ""
            };
            item_title(
                &mut out,
                s,
                &format!("{:<4} ", p.id),
                "     ",
                &format!("{}{marker}", p.title),
            );
            labelled_list(&mut out, "     ", "Fix", p.fix);
            source_list(&mut out, s, "     ", p.sources);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogues_decode_and_validate() {
        let api = api_catalogue().unwrap();
        api.validate().unwrap();
        let problems = problem_catalogue().unwrap();
        problems.validate().unwrap();
        let guide = migrate_guide().unwrap();
        guide.validate(&problems.ids()).unwrap();
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2025-10-31"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2025-13-01"));
        assert!(!is_date("10/31/2025"));
        assert!(!is_date("2025-1-01"));
    }

    #[test]
    fn versions_resolve_leniently() {
        let versions = vec!["1.0".to_string(), "2.0".to_string()];
        assert_eq!(resolve_version("2", &versions, "--version").unwrap(), "2.0");
        assert_eq!(
            resolve_version("V1.0", &versions, "--version").unwrap(),
            "1.0"
        );
        let err = resolve_version("3.0", &versions, "--version").unwrap_err();
        assert!(matches!(err, CliError::Usage(ref m) if m.contains("1.0, 2.0")));
    }

    #[test]
    fn validation_names_the_faults() {
        let mut api = api_catalogue().unwrap();
        api.groups[0].members[0].versions.push("3.0".into());
        api.groups[0].members[1].source = "http://example.com".into();
        api.groups[1].members[0].name = api.groups[0].members[0].name.clone();
        let err = api.validate().unwrap_err();
        assert!(err.contains("unknown version '3.0'"), "{err}");
        assert!(err.contains("is not an https:// URL"), "{err}");
        assert!(err.contains("duplicate member name"), "{err}");

        let mut problems = problem_catalogue().unwrap();
        problems.problems[1].id = problems.problems[0].id.to_ascii_lowercase();
        problems.problems[2].fix[0] = " ".into();
        problems.reviewed = "2026-02-30".into();
        let err = problems.validate().unwrap_err();
        assert!(err.contains("duplicate problem id"), "{err}");
        assert!(err.contains(".fix[0]: must not be empty"), "{err}");
        assert!(err.contains("reviewed"), "{err}");

        let mut guide = migrate_guide().unwrap();
        guide.pitfalls.push("Z9".into());
        let err = guide
            .validate(&problem_catalogue().unwrap().ids())
            .unwrap_err();
        assert!(err.contains("'Z9' is not a problem id"), "{err}");
    }

    #[test]
    fn version_filter_and_diff_select_members() {
        let api = api_catalogue().unwrap();
        let names = |view: &ApiView<'_>| -> Vec<String> {
            view.groups
                .iter()
                .flat_map(|g| g.members.iter().map(|m| m.name.to_string()))
                .collect()
        };
        let v1 = names(&api_view(&api, Some("1.0"), false));
        assert!(v1.contains(&"setMode".to_string()));
        assert!(!v1.contains(&"createSession".to_string()));
        let diff = api_view(&api, None, true);
        for g in &diff.groups {
            for m in &g.members {
                assert!(
                    m.deprecated.is_some() || m.versions.len() == 1,
                    "{}",
                    m.name
                );
            }
        }
    }
}
