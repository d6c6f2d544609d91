//! The output of `check`: text (grouped by record, errors first), JSON
//! (docs/check-schema.json) and Markdown (a review to attach to a change
//! request), and the `--queries` requests.

use super::text::wrap;
use super::Format;
use crate::check::config::{RecordRef, Table};
use crate::check::rules::{parse_url, Finding};
use crate::check::{model::Severity, Report};
use crate::output::Styles;
// Text from a file, safe for a terminal: control characters and
// bidirectional overrides escaped.
use crate::sanitize::escape;
use serde_json::json;
use std::fmt::Write as _;

/// `check` in the chosen format.
pub fn check(report: &Report, format: Format, s: &Styles) -> Result<String, crate::error::Error> {
    match format {
        Format::Json => {
            let mut out = Vec::new();
            json(report, &mut out)
                .map_err(|e| crate::error::Error::Render(format!("write JSON: {e}")))?;
            Ok(String::from_utf8_lossy(&out).into_owned())
        }
        Format::Markdown => Ok(markdown(report)),
        Format::Text | Format::Table | Format::Yaml => Ok(text(report, s)),
    }
}

/// The JSON schema version of `check --format json`.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// Text from a file, safe in Markdown (and for a terminal): markup
/// characters escaped, no autolink (`http\://`, `www\.`), and an e-mail
/// address, which no escape keeps from linking, in a code span (D25).
fn md(s: &str) -> String {
    super::markdown::with_emails(&escape(s), |text| {
        let mut out = String::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            if "\\`*_[]<>|#~".contains(c) || super::markdown::starts_autolink(text, i, c) {
                out.push('\\');
            }
            out.push(c);
        }
        out
    })
}

/// How a record is named in a heading.
fn record_title(r: &RecordRef) -> String {
    let mut t = format!("{} \"{}\"", r.table.label(), r.name);
    if !r.id.is_empty() && r.id != r.name {
        let _ = write!(t, " ({})", r.id);
    }
    t
}

/// The groups of findings, in order: by record (or file, or the whole
/// configuration), the group with the worst finding first.
fn groups(report: &Report) -> Vec<(String, Vec<&Finding>)> {
    let mut groups: Vec<(String, Vec<&Finding>)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let path = |i: usize| report.files.get(i).map_or("?", |f| f.path.as_str());
    for f in &report.findings {
        let key = match (&f.record, f.file) {
            (Some(r), _) => record_title(r),
            (None, Some(i)) => format!("File {}", path(i)),
            (None, None) => "The configuration as a whole".to_string(),
        };
        let i = *index.entry(key.clone()).or_insert(groups.len());
        if i == groups.len() {
            groups.push((key, Vec::new()));
        }
        groups[i].1.push(f);
    }
    groups.sort_by_key(|(_, list)| list.iter().map(|f| f.severity).min());
    groups
}

/// `n` and a noun, with an `s` unless `n` is 1.
fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn summary_line(report: &Report) -> String {
    let c = report.counts;
    let (errors, warnings) = (plural(c.errors, "error"), plural(c.warnings, "warning"));
    format!("{errors}, {warnings}, {}", plural(c.infos, "info"))
}

fn records_line(report: &Report) -> String {
    let mut parts: Vec<String> = report
        .records
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{n} {}", t.entity_set()))
        .collect();
    if parts.is_empty() {
        parts.push("no records".into());
    }
    parts.join(", ")
}

fn orgs(report: &Report) -> std::collections::BTreeSet<&str> {
    report
        .files
        .iter()
        .filter_map(|f| f.org.as_deref())
        .collect()
}

/// The text report.
pub fn text(report: &Report, s: &Styles) -> String {
    let mut out = String::new();
    let (h, h_off) = (s.heading.render(), s.heading.render_reset());
    let current: Vec<_> = report.files.iter().filter(|f| !f.previous).collect();
    let read = current.iter().filter(|f| f.error.is_none()).count();
    let files = plural(current.len(), "file");
    let records = records_line(report);
    let _ = writeln!(out, "{h}Checked {read} of {files}: {records}{h_off}");
    let previous = report.files.len() - current.len();
    if previous > 0 {
        let files = plural(previous, "earlier file");
        let _ = writeln!(out, "Compared with {files} (--diff)");
    }
    for org in orgs(report) {
        let _ = writeln!(out, "Organisation: {}", escape(org));
    }
    let unreadable = report.files.iter().filter(|f| f.error.is_some()).count();
    if unreadable > 0 {
        let files = plural(unreadable, "file");
        let _ = writeln!(out, "{files} could not be read (see the error lines)");
    }
    let _ = writeln!(out, "Result: {}", summary_line(report));
    for (title, findings) in groups(report) {
        let _ = writeln!(out, "\n{h}{}{h_off}", escape(&title));
        for f in findings {
            let style = match f.severity {
                Severity::Error => s.bad,
                Severity::Warning => s.warn,
                Severity::Info => s.dim,
            };
            let indent = "          ";
            // Wrapped to the terminal (at most 100 columns); one line each into a pipe.
            let mut say = |first: &str, text: &str| wrap(&mut out, s.width, first, indent, text);
            let (on, off) = (style.render(), style.render_reset());
            let head = format!("  {on}{:<7}{off} ", f.severity.as_str());
            let line = format!("{} {}: {}", f.text.rule, f.text.title, escape(&f.message));
            say(&head, &line);
            say(&format!("{indent}fix: "), &f.text.fix);
            if let Some(u) = &f.text.unknown {
                say(&format!("{indent}not known: "), u);
            }
            // A link is never broken.
            let _ = writeln!(out, "{indent}basis: {}", f.basis.as_str());
            for source in &f.text.sources {
                let _ = writeln!(out, "{indent}source: {source}");
            }
        }
    }
    if report.findings.is_empty() {
        let _ = writeln!(out, "\nNo findings.");
    }
    out
}

/// The JSON report (docs/check-schema.json), its keys in the schema's order.
pub fn json(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let path = |i: usize| report.files.get(i).map(|f| f.path.as_str());
    let finding = |f: &Finding| {
        let record = f.record.as_ref().map(|r| {
            json!({
                "table": r.table.logical(),
                "name": r.name,
                "id": r.id,
                "file": path(r.file),
            })
        });
        json!({
            "rule": f.text.rule,
            "case": f.text.case,
            "severity": f.severity.as_str(),
            "basis": f.basis.as_str(),
            "title": f.text.title,
            "record": record,
            "file": f.file.and_then(path),
            "message": f.message,
            "fix": f.text.fix,
            "unknown": f.text.unknown,
            "sources": f.text.sources,
        })
    };
    let records: serde_json::Map<String, serde_json::Value> = report
        .records
        .iter()
        .map(|(t, n)| (t.entity_set().to_string(), (*n).into()))
        .collect();
    let c = report.counts;
    let json = json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "exit_code": i32::from(report.exit_code()),
        "strict": report.strict,
        "summary": {
            "errors": c.errors,
            "warnings": c.warnings,
            "infos": c.infos,
            "files": report.files.len(),
            "unreadable_files": report.files.iter().filter(|f| f.error.is_some()).count(),
        },
        "records": records,
        "files": report.files,
        "findings": report.findings.iter().map(finding).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")
}

/// The Markdown review.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = markdown_head(&mut out, report);
    let (to_fix, notes): (Vec<_>, Vec<_>) = groups(report)
        .into_iter()
        .partition(|(_, list)| list.iter().any(|f| f.severity != Severity::Info));
    out.push_str("\n## To fix\n\n");
    if to_fix.is_empty() {
        out.push_str("Nothing: no error and no warning.\n\n");
    }
    let _ = markdown_findings(&mut out, &to_fix);
    if !notes.is_empty() {
        out.push_str("## Notes\n\n");
        let _ = markdown_findings(&mut out, &notes);
    }
    out
}

/// How a file given with `--diff` is marked in the review.
const EARLIER: &str = " (earlier export, --diff)";

/// The review's title, its table of result, records, organisations and
/// tool, and its list of files: what each held, or why it was not read.
fn markdown_head(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "# CIF channel-provider configuration review\n")?;
    let code = i32::from(report.exit_code());
    let verdict = match code {
        0 => "no error-level finding",
        1 => "a file could not be read",
        _ => "fix the errors before the change",
    };
    writeln!(out, "| | |\n|---|---|")?;
    let summary = summary_line(report);
    writeln!(out, "| Result | {summary} — {verdict} (exit {code}) |")?;
    writeln!(out, "| Records | {} |", records_line(report))?;
    for org in orgs(report) {
        writeln!(out, "| Organisation | {} |", md(org))?;
    }
    let strict = if report.strict { " --strict" } else { "" };
    let checked = format!("cif-advisor {} check{strict}", env!("CARGO_PKG_VERSION"));
    writeln!(out, "| Checked with | {checked} |")?;
    writeln!(out, "\n## Files\n")?;
    for f in &report.files {
        if let Some(e) = &f.error {
            let path = md(&f.path).replace('`', "'");
            writeln!(out, "- `{path}`: **not read**: {}", md(e))?;
            continue;
        }
        let mut tables: Vec<&str> = f.tables.iter().map(|t| t.entity_set()).collect();
        if tables.is_empty() {
            tables.push("no table");
        }
        let previous = if f.previous { EARLIER } else { "" };
        let (path, format) = (md(&f.path), f.format.unwrap_or("?"));
        let records = plural(f.records, "record");
        let tables = tables.join(", ");
        writeln!(out, "- {path}{previous}: {format}, {tables}, {records}")?;
    }
    Ok(())
}

/// One section of the review: a heading per group, its findings with their
/// fix, what is not known, basis and sources; an error or a warning has a
/// checkbox (the notes hold neither).
fn markdown_findings(out: &mut String, groups: &[(String, Vec<&Finding>)]) -> std::fmt::Result {
    for (title, list) in groups {
        writeln!(out, "### {}\n", md(title))?;
        for f in list {
            let info = f.severity == Severity::Info;
            let mark = if info { "" } else { "[ ] " };
            let (severity, rule) = (f.severity.as_str(), &f.text.rule);
            let (title, message) = (md(&f.text.title), md(&f.message));
            writeln!(out, "- {mark}**{severity} {rule}** {title}: {message}")?;
            writeln!(out, "  - Fix: {}", md(&f.text.fix))?;
            if let Some(u) = &f.text.unknown {
                writeln!(out, "  - Not known: {}", md(u))?;
            }
            let sources: Vec<String> = f.text.sources.iter().map(|s| format!("<{s}>")).collect();
            let (basis, sources) = (f.basis.as_str(), sources.join(", "));
            writeln!(out, "  - Basis: {basis}; sources: {sources}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The Web API requests that export what check reads, for `--queries`.
pub const QUERIES: [(Table, &str); 6] = [
    (Table::V1Provider, "$select=msdyn_name,msdyn_label,msdyn_landingurl,msdyn_trusteddomain,msdyn_sortorder,msdyn_clicktoact,msdyn_ciproviderapiversion,msdyn_appselector,msdyn_roleselector,msdyn_customparams,msdyn_sandboxconfiguration,msdyn_enableanalytics,statecode,createdon"),
    (Table::V2Provider, "$select=msdyn_name,msdyn_uniquename,msdyn_label,msdyn_channelurl,msdyn_trusteddomain,msdyn_sortorder,msdyn_enableoutbound,msdyn_apiversion,msdyn_customparams,msdyn_sandboxconfiguration,msdyn_enableanalytics,statecode&$expand=msdyn_appconfig_msdyn_channelprovider($select=msdyn_uniquename,statecode)"),
    (Table::Profile, "$select=msdyn_name,msdyn_uniquename,msdyn_appmoduleuniquename,msdyn_profileorder,statecode&$expand=msdyn_appconfig_msdyn_channelprovider($select=msdyn_uniquename),msdyn_appconfiguration_systemuser($select=fullname)"),
    (Table::RoleMapping, "$select=msdyn_uniquename,_msdyn_appprofileid_value,_msdyn_securityroleid_value,statecode"),
    (Table::AppModule, "$select=appmoduleid,uniquename,name,navigationtype,statecode"),
    (Table::Role, "$select=roleid,name,_parentrootroleid_value"),
];

/// The `--queries` output for an org URL, or a usage message.
pub fn queries(org: &str) -> Result<String, String> {
    let base = org_url("--queries", org)?;
    // The Prefer header adds the formatted values (labels) to each response.
    let files = QUERIES.map(|(t, _)| format!("{}.json", t.entity_set()));
    let mut out = format!(
        "# The Dataverse Web API requests that export what `cif-advisor check` reads.
# Send each one signed in to the organisation (curl or Invoke-RestMethod with a bearer token,
# or paste the URL into a browser where you are signed in), with the header below, and save
# each response as its own file. A response with @odata.nextLink has more pages: fetch and
# save each page too. From PowerShell, save with: ... | ConvertTo-Json -Depth 5 | Out-File FILE
# Then: cif-advisor check {}

Prefer: odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"

",
        files.join(" ")
    );
    for (table, query) in QUERIES {
        let set = table.entity_set();
        let _ = writeln!(out, "GET {base}/api/data/v9.2/{set}?{query}");
    }
    Ok(out)
}

/// An organisation URL given as `flag` (`--queries`, `--org`), as
/// `https://host`, or the usage message.
pub fn org_url(flag: &str, org: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "invalid value '{}' for '{flag}': expected the organisation URL, e.g. https://contoso.crm.dynamics.com",
            escape(org)
        )
    };
    let u = parse_url(org).ok_or_else(bad)?;
    let path = u.path.trim_end_matches('/');
    let path_ok = path.is_empty() || path.to_ascii_lowercase().starts_with("/api/data");
    if !u.scheme.eq_ignore_ascii_case("https")
        || !u.query.is_empty()
        || !path_ok
        || org.contains('#')
    {
        return Err(bad());
    }
    // D30: the port was dropped and `*` taken for a host; a Dataverse org
    // URL is a host name alone.
    let authority = org
        .trim()
        .split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '?', '#']).next())
        .unwrap_or("");
    if authority != u.host {
        let bad = bad();
        let message = format!("{bad}: give the host alone, with no port or user name");
        return Err(message);
    }
    if !u
        .host
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-.".contains(&c))
    {
        return Err(bad());
    }
    Ok(format!("https://{}", u.host.to_ascii_lowercase()))
}
