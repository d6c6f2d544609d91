//! `cif-advisor matrix sources [--docs DIR]`: every page the data
//! files cite (the matrix, api, problems, migrate and check-rules files), with
//! the facts that rest on it; with `--docs DIR` (a full or
//! sparse checkout of `MicrosoftDocs/dynamics-365-customer-engagement`), the
//! cited pages that are missing there and those whose `ms.date` is later than
//! the `reviewed` date of a fact that cites them (its own, or its file's).

use crate::check::model::RuleCatalogue;
use crate::knowledge::{ApiCatalogue, MigrateGuide, ProblemCatalogue};
use crate::matrix::{Basis, Capability, Matrix, Note};
use crate::validators::parse_date;
use serde::Serialize;
use std::io::Read as _;
use std::path::Path;

/// The docs repository whose pages `--docs` checks.
pub const DOCS_REPO: &str = "MicrosoftDocs/dynamics-365-customer-engagement";

/// The Learn folders (`https://learn.microsoft.com/dynamics365/<folder>/...`)
/// whose pages live in that repository, under `ce/<folder>/`. Other Learn
/// areas (Project Operations, Power Platform, ...) have repositories of their own.
pub const DOCS_FOLDERS: [&str; 5] = [
    "channel-integration-framework",
    "customer-service",
    "sales",
    "developer",
    "contact-center",
];

/// The largest page read for its front matter.
const MAX_PAGE_BYTES: u64 = 1024 * 1024;

/// One fact that cites a source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    /// The data file, e.g. `cif-matrix.yaml` (or the `--matrix` file).
    pub file: String,
    /// Where the fact is in that file, e.g. `apps[sales].support."1.0"`.
    pub path: String,
    /// "documented" or "inferred"; null when the file does not say (schema 1).
    pub basis: Option<&'static str>,
    /// The fact's own `reviewed` date, or else its file's (YYYY-MM-DD).
    pub reviewed: String,
}

/// What a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A page of the docs repository (a Learn URL or a GitHub link to its file).
    Page,
    /// An include of the docs repository: no date of its own, never compared.
    Include,
    /// Anything else: other Learn areas, GitHub issues and pull requests, ...
    Outside,
}

/// What `--docs` found for a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The page's `ms.date` is not later than every citing file's review.
    Unchanged,
    /// The page's `ms.date` is later than the review of a citing file.
    Changed,
    /// The page is not in the checkout.
    Missing,
    /// The page has no readable `ms.date` in its front matter.
    Undated,
    /// The page is there but cannot be read (see `problem`).
    Unreadable,
    /// An include: no date of its own, not compared.
    NotCompared,
    /// Not in the docs repository.
    Outside,
}

impl Status {
    pub fn words(self) -> &'static str {
        match self {
            Status::Unchanged => "not changed since the review",
            Status::Changed => "CHANGED after the review: re-read the facts below",
            Status::Missing => "MISSING from the checkout",
            Status::Undated => "no ms.date in its front matter: not compared",
            Status::Unreadable => "UNREADABLE in the checkout: not compared",
            Status::NotCompared => "an include: no date of its own, not compared",
            Status::Outside => "not a page of the docs repository: listed, not checked",
        }
    }
}

/// One cited source with the facts that rest on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The link as first cited.
    pub url: String,
    pub kind: Kind,
    /// The Markdown file in the docs repository (`ce/...md`), or null.
    pub file: Option<String>,
    /// With `--docs`: what was found; else null.
    pub status: Option<Status>,
    /// With `--docs`: the page's `ms.date` (MM/DD/YYYY), or null.
    pub ms_date: Option<String>,
    /// Why a page in the checkout could not be read (only then present).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    pub facts: Vec<Citation>,
}

/// What `matrix sources --format json` prints.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The checkout given with `--docs`, or null.
    pub docs: Option<String>,
    pub sources: Vec<Source>,
    pub summary: Summary,
}

/// Counts over the report.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub pages: usize,
    pub includes: usize,
    pub outside: usize,
    pub facts: usize,
    /// With `--docs` (else 0).
    pub changed: usize,
    pub missing: usize,
    pub undated: usize,
    /// Pages there but unreadable (only present when some are).
    #[serde(skip_serializing_if = "is_zero")]
    pub unreadable: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The docs-repository file a link points to: a Learn URL, with or without a
/// locale (`https://learn.microsoft.com/en-us/dynamics365/<folder>/<path>`
/// → `ce/<folder>/<path>.md`), or a GitHub link to a file of the repository.
pub fn docs_file(url: &str) -> Option<String> {
    let url = url.split(['#', '?']).next().unwrap_or(url);
    if let Some(rest) = url.strip_prefix("https://learn.microsoft.com/") {
        let mut parts = rest.split('/').filter(|p| !p.is_empty()).peekable();
        parts.next_if(|p| is_locale(p));
        let parts: Vec<&str> = parts.collect();
        let ours =
            parts.len() >= 3 && parts[0] == "dynamics365" && DOCS_FOLDERS.contains(&parts[1]);
        // `.` or `..`: no page of the repository has one, and it would lead
        // out of the checkout when joined to it.
        if !ours || parts.iter().any(|p| matches!(*p, "." | "..")) {
            return None;
        }
        let path = parts[1..].join("/");
        let path = path.strip_suffix(".md").unwrap_or(&path);
        return Some(format!("ce/{path}.md"));
    }
    let github = format!("https://github.com/{DOCS_REPO}/");
    let rest = url.strip_prefix(github.as_str())?;
    // blob/<branch>/<path> or raw forms; issues and pull requests are not files.
    let mut parts = rest.splitn(3, '/');
    let (Some("blob"), Some(_branch), Some(path)) = (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let inside = !path.split('/').any(|p| matches!(p, "." | ".."));
    (inside && path.starts_with("ce/") && path.ends_with(".md")).then(|| path.to_string())
}

/// `en-us`, `de-de`, `zh-hans`, ...: a Learn locale segment.
fn is_locale(segment: &str) -> bool {
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    segment.split_once('-').is_some_and(|(lang, region)| {
        lang.len() == 2 && (2..=4).contains(&region.len()) && alpha(lang) && alpha(region)
    })
}

/// An include: `shared/token-*.md` or a file under an `includes/` folder.
fn is_include(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    file.split('/').any(|p| p == "includes") || name.starts_with("token-")
}

/// Collects the citations of every data file, one file after another.
#[derive(Default)]
struct Collector {
    sources: Vec<Source>,
    /// The file being read, its `reviewed` date, and whether it states bases.
    file: String,
    reviewed: String,
    stated: bool,
}

impl Collector {
    /// Reads `name` next.
    fn file(&mut self, name: &str, reviewed: &str, stated: bool) {
        (self.file, self.reviewed, self.stated) = (name.into(), reviewed.into(), stated);
    }

    /// A fact at `path` citing `urls`, reviewed on its own date when it has
    /// one (else on the file's).
    fn fact<S: AsRef<str>>(
        &mut self,
        path: String,
        basis: Basis,
        own: Option<&str>,
        urls: impl IntoIterator<Item = S>,
    ) {
        let citation = Citation {
            file: self.file.clone(),
            path,
            basis: self.stated.then(|| basis.as_str()),
            reviewed: own.unwrap_or(&self.reviewed).to_string(),
        };
        for url in urls {
            self.cite(url.as_ref(), &citation);
        }
    }

    fn cite(&mut self, url: &str, citation: &Citation) {
        let file = docs_file(url);
        let same = |s: &&mut Source| match (&s.file, &file) {
            (Some(a), Some(b)) => a == b,
            _ => s.url == url,
        };
        if let Some(s) = self.sources.iter_mut().find(same) {
            if !s.facts.contains(citation) {
                s.facts.push(citation.clone());
            }
            return;
        }
        let kind = match &file {
            Some(f) if is_include(f) => Kind::Include,
            Some(_) => Kind::Page,
            None => Kind::Outside,
        };
        self.sources.push(Source {
            url: url.to_string(),
            kind,
            file,
            status: None,
            ms_date: None,
            problem: None,
            facts: vec![citation.clone()],
        });
    }
}

fn note(c: &mut Collector, path: String, n: &Note) {
    let urls = std::iter::once(&n.source).chain(&n.see_also);
    c.fact(path, n.basis, n.reviewed.as_deref(), urls);
}

fn capability(c: &mut Collector, path: String, cap: &Capability) {
    let own = cap.reviewed.as_deref();
    let urls = std::iter::once(&cap.source).chain(&cap.see_also);
    c.fact(path.clone(), cap.basis, own, urls);
    if let Some(url) = &cap.caveat_source {
        c.fact(format!("{path}.caveat"), cap.basis, own, [url]);
    }
}

fn matrix_citations(c: &mut Collector, m: &Matrix, name: &str) {
    c.file(name, &m.reviewed, m.basis_stated());
    if let Some(n) = &m.side_by_side {
        note(c, "side_by_side".to_string(), n);
    }
    for r in &m.routes {
        let urls = std::iter::once(&r.source).chain(&r.see_also);
        let path = format!("routes[for={}]", r.for_);
        c.fact(path, r.basis, r.reviewed.as_deref(), urls);
    }
    for v in &m.versions {
        let path = format!("versions[{}].docs", v.id);
        c.fact(path, Basis::Documented, None, [&v.docs]);
        for (j, n) in v.notes.iter().enumerate() {
            note(c, format!("versions[{}].notes[{j}]", v.id), n);
        }
    }
    for a in &m.apps {
        for (j, n) in a.notes.iter().enumerate() {
            note(c, format!("apps[{}].notes[{j}]", a.id), n);
        }
        for (ver, s) in &a.support {
            capability(c, format!("apps[{}].support.\"{ver}\"", a.id), s);
        }
    }
    for d in &m.dimensions {
        for (ver, s) in &d.support {
            capability(c, format!("dimensions[{}].support.\"{ver}\"", d.key), s);
        }
        for v in &d.values {
            for (ver, s) in &v.support {
                let path = format!("dimensions[{}].values[{}].support.\"{ver}\"", d.key, v.id);
                capability(c, path, s);
            }
        }
    }
    for r in &m.rows {
        let urls = std::iter::once(&r.source).chain(&r.see_also);
        let path = format!("rows[{}]", r.feature);
        c.fact(path, r.basis, r.reviewed.as_deref(), urls);
    }
}

fn catalogue_citations(c: &mut Collector, data: &Catalogues) {
    c.file("api.yaml", &data.api.reviewed, true);
    for g in &data.api.groups {
        for m in &g.members {
            let p = format!("groups[{}].members[{}]", g.id, m.name);
            c.fact(p.clone(), m.basis, m.reviewed.as_deref(), [&m.source]);
            if let Some(d) = &m.deprecated {
                let own = d.reviewed.as_deref();
                c.fact(format!("{p}.deprecated"), d.basis, own, [&d.source]);
            }
            for (j, n) in m.notes.iter().enumerate() {
                let own = n.reviewed.as_deref();
                c.fact(format!("{p}.notes[{j}]"), n.basis, own, [&n.source]);
            }
        }
    }
    c.file("problems.yaml", &data.problems.reviewed, true);
    for p in &data.problems.problems {
        let path = format!("problems[{}]", p.id);
        c.fact(path, p.basis, p.reviewed.as_deref(), &p.sources);
    }
    c.file("migrate.yaml", &data.guide.reviewed, true);
    for s in &data.guide.steps {
        let path = format!("steps[{}]", s.id);
        c.fact(path, s.basis, s.reviewed.as_deref(), &s.sources);
    }
    c.file("check-rules.yaml", &data.rules.reviewed, true);
    for r in &data.rules.rules {
        for case in &r.cases {
            let path = format!("rules[{}].cases[{}]", r.id, case.case);
            c.fact(path, case.basis, r.reviewed.as_deref(), &r.sources);
        }
    }
}

/// The `ms.date` of a page's front matter, as written (MM/DD/YYYY) and as
/// (year, month, day), if it has one.
fn ms_date(text: &str) -> Option<(String, (u32, u32, u32))> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().map(str::trim);
    if lines.next()? != "---" {
        return None;
    }
    let v = lines
        .take_while(|l| *l != "---")
        .find_map(|l| l.strip_prefix("ms.date:"))?;
    let v = v.trim().trim_matches(['"', '\'']).trim();
    // MM/DD/YYYY.
    let parts = v.split('/').map(str::parse::<u32>);
    let parts: Vec<u32> = parts.collect::<Result<_, _>>().ok()?;
    let [m, d, y] = parts[..] else { return None };
    let valid = (1..=12).contains(&m) && (1..=31).contains(&d) && y >= 1990;
    valid.then(|| (v.to_string(), (y, m, d)))
}

/// Reads a page the tool found by itself in the checkout: its first bytes
/// (at most `MAX_PAGE_BYTES`; the front matter is at the start), decoded
/// lossily (`ms.date` is ASCII, the rest may be anything); with `open`
/// false, only whether it is there. Only a regular file is opened (a FIFO
/// would block `open` for ever, a device never end). The error is `None`
/// for a missing page, else why it cannot be read.
fn read_page(path: &Path, open: bool) -> Result<String, Option<String>> {
    let why = |e: std::io::Error| {
        (e.kind() != std::io::ErrorKind::NotFound).then(|| crate::input::describe_io(&e))
    };
    let not_regular = || Err(Some("not a regular file".to_string()));
    if !std::fs::metadata(path).map_err(why)?.is_file() {
        return not_regular();
    }
    if !open {
        return Ok(String::new());
    }
    let file = std::fs::File::open(path).map_err(why)?;
    // Swapped for something else since the check above: not read.
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return not_regular();
    }
    let mut bytes = Vec::new();
    file.take(MAX_PAGE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(why)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Compares each page with the checkout at `docs`.
fn check_docs(sources: &mut [Source], docs: &Path) {
    for s in sources {
        s.status = Some(match (&s.file, s.kind) {
            (None, _) | (_, Kind::Outside) => Status::Outside,
            (Some(f), kind) => match read_page(&docs.join(f), kind == Kind::Page) {
                Err(None) => Status::Missing,
                Err(Some(why)) => {
                    s.problem = Some(why);
                    Status::Unreadable
                }
                Ok(_) if kind == Kind::Include => Status::NotCompared,
                Ok(text) => match ms_date(&text) {
                    None => Status::Undated,
                    Some((date, page)) => {
                        s.ms_date = Some(date);
                        let later =
                            |c: &Citation| parse_date(&c.reviewed).is_some_and(|r| page > r);
                        if s.facts.iter().any(later) {
                            Status::Changed
                        } else {
                            Status::Unchanged
                        }
                    }
                },
            },
        });
    }
}

/// The data files that cite sources, besides the matrix.
pub struct Catalogues {
    pub api: ApiCatalogue,
    pub problems: ProblemCatalogue,
    pub guide: MigrateGuide,
    pub rules: RuleCatalogue,
}

/// Builds the report over the active matrix and the catalogues.
pub fn report(matrix: &Matrix, name: &str, data: &Catalogues, docs: Option<&Path>) -> Report {
    let mut c = Collector::default();
    matrix_citations(&mut c, matrix, name);
    catalogue_citations(&mut c, data);
    let mut sources = c.sources;
    // Pages of the docs repository by file, then includes, then the rest by link.
    sources.sort_by_key(|s| (s.kind, s.file.clone().unwrap_or_else(|| s.url.clone())));
    if let Some(dir) = docs {
        check_docs(&mut sources, dir);
    }
    let count = |k: Kind| sources.iter().filter(|s| s.kind == k).count();
    let status = |st: Status| sources.iter().filter(|s| s.status == Some(st)).count();
    let summary = Summary {
        pages: count(Kind::Page),
        includes: count(Kind::Include),
        outside: count(Kind::Outside),
        facts: sources.iter().map(|s| s.facts.len()).sum(),
        changed: status(Status::Changed),
        missing: status(Status::Missing),
        undated: status(Status::Undated),
        unreadable: status(Status::Unreadable),
    };
    Report {
        // As given, with nothing a terminal would act on (as the matrix name).
        docs: docs.map(|d| crate::sanitize::escape(&d.display().to_string()).into_owned()),
        sources,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learn_urls_map_to_their_markdown_files() {
        let cif = "ce/channel-integration-framework/choose-between-versions.md";
        for url in [
            "https://learn.microsoft.com/dynamics365/channel-integration-framework/choose-between-versions",
            "https://learn.microsoft.com/en-us/dynamics365/channel-integration-framework/choose-between-versions",
            "https://learn.microsoft.com/de-de/dynamics365/channel-integration-framework/choose-between-versions#the-matrix",
            "https://learn.microsoft.com/en-US/dynamics365/channel-integration-framework/choose-between-versions/",
            "https://github.com/MicrosoftDocs/dynamics-365-customer-engagement/blob/main/ce/channel-integration-framework/choose-between-versions.md",
        ] {
            assert_eq!(docs_file(url).as_deref(), Some(cif), "{url}");
        }
        assert_eq!(
            docs_file("https://learn.microsoft.com/dynamics365/sales/faq-sales-hub-dialer")
                .as_deref(),
            Some("ce/sales/faq-sales-hub-dialer.md")
        );
        for outside in [
            "https://learn.microsoft.com/dynamics365/project-operations/psa/white-papers",
            "https://github.com/MicrosoftDocs/dynamics-365-customer-engagement/issues/1711",
            "https://github.com/MicrosoftDocs/dynamics-365-customer-engagement/pull/2314",
            "https://learn.microsoft.com/en-us/power-platform/admin/overview",
            "https://example.com/dynamics365/sales/x",
            "https://learn.microsoft.com/dynamics365/sales/../../../outside/secret",
            "https://learn.microsoft.com/dynamics365/sales/./x",
            "https://github.com/MicrosoftDocs/dynamics-365-customer-engagement/blob/main/ce/../../x.md",
        ] {
            assert_eq!(docs_file(outside), None, "{outside}");
        }
        assert!(is_include(
            "ce/channel-integration-framework/shared/token-setWidth.md"
        ));
        assert!(is_include(
            "ce/channel-integration-framework/v2/includes/session-api-omnichannel.md"
        ));
        assert!(!is_include(cif));
    }

    #[test]
    fn ms_date_is_read_from_the_front_matter_only() {
        assert_eq!(
            ms_date("---\ntitle: x\nms.date: 06/02/2026\n---\n# x\n"),
            Some(("06/02/2026".into(), (2026, 6, 2)))
        );
        assert_eq!(
            ms_date("---\nms.date: \"12/10/2024\"\n---\n"),
            Some(("12/10/2024".into(), (2024, 12, 10)))
        );
        assert_eq!(ms_date("# no front matter\nms.date: 01/01/2030\n"), None);
        assert_eq!(ms_date("---\ntitle: x\n---\nms.date: 01/01/2030\n"), None);
        assert_eq!(ms_date("---\nms.date: 2026-06-02\n---\n"), None);
    }
}
