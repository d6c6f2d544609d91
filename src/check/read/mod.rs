//! The readers: a file (Web API JSON, a CMT data.xml, or the zip holding
//! it; UTF-8 or UTF-16 with a byte-order mark) into typed records.
//!
//! Limits: a file is at most [`MAX_FILE_BYTES`]; a zip at most
//! [`MAX_ZIP_ENTRIES`] entries, each entry and all of them together at most
//! [`MAX_FILE_BYTES`] uncompressed; XML with a DTD is refused (so no external
//! entity is fetched and no entity is expanded), and so is XML with an
//! element of more than [`MAX_XML_ATTRIBUTES`] attributes or more than
//! [`MAX_XML_NAMESPACES`] namespace declarations; at most
//! [`MAX_RECORDS_PER_TABLE`] records of one table are read.

use super::config::*;
use super::Case;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

mod error;
mod fields;
mod json;
mod xml;
mod zip;

pub use error::ReadError;
use fields::*;
use json::*;
use xml::*;
use zip::*;

/// The largest file (and the largest uncompressed zip content) read: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most entries a zip may have (a CMT zip has three).
pub const MAX_ZIP_ENTRIES: usize = 100;
/// The records of one table check keeps (D10: 64 MiB of tiny rows took
/// 23 times the file in memory); an organisation has far fewer.
pub const MAX_RECORDS_PER_TABLE: usize = 200_000;
/// The most XML nodes parsed.
const MAX_XML_NODES: u32 = 4_000_000;
/// The most attributes one XML element may have (a CMT file has fewer than
/// ten): roxmltree checks each attribute against the element's earlier ones,
/// so an element of 100,000 attributes took half a minute (D1).
pub const MAX_XML_ATTRIBUTES: usize = 256;
/// The most namespace declarations (`xmlns`, `xmlns:p`) in one XML file (a
/// CMT file has two): roxmltree copies and compares the prefixes in scope
/// for each element that declares one (D2).
pub const MAX_XML_NAMESPACES: usize = 64;

/// The cases said in one line per file (X05 tables ignored, X02 records
/// flattened), which name a few and count the rest, and what that line says.
const LINE_CASES: [(Case, &str); 2] = [
    (Case::X05OtherTable, "tables check does not read are ignored"),
    (Case::X02Flattened, "records hold nested values that PowerShell's ConvertTo-Json flattened to text (default depth 2), so their links cannot be read"),
];

/// The N:N relationships read: profiles and 2.0 providers, profiles and
/// their users.
const PROVIDER_LINKS: &str = "msdyn_appconfig_msdyn_channelprovider";
const USER_LINKS: &str = "msdyn_appconfiguration_systemuser";

/// What the reader found in the input itself (becomes an X.. finding).
#[derive(Debug, Clone)]
pub struct Issue {
    pub case: Case,
    pub record: Option<RecordRef>,
    pub file: Option<usize>,
    pub message: String,
}

/// What one file held, or why it could not be read (as the JSON report
/// lists it).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FileInfo {
    pub path: String,
    /// `web-api-json`, `cmt-xml` or `cmt-zip`; `None` when unreadable.
    pub format: Option<&'static str>,
    pub tables: Vec<Table>,
    pub records: usize,
    /// The org URL from `@odata.context`, when the file has one.
    pub org: Option<String>,
    /// Tables of this file whose page has a next link.
    #[serde(skip)]
    pub next_link: Vec<Table>,
    pub error: Option<String>,
    /// An earlier export given with --diff (compared, not checked).
    pub previous: bool,
}

/// Reads every file into one configuration.
#[derive(Default)]
pub struct Reader {
    pub config: Config,
    pub files: Vec<FileInfo>,
    pub issues: Vec<Issue>,
    /// Records read, by organisation key, table and id.
    /// (Organisation keys are numbered in `orgs`, so that each key holds
    /// no copy of its org's host: D10.)
    seen: HashSet<(u32, Table, Box<str>)>,
    /// The keys of the file being read, kept in `seen` only if it is read
    /// to the end (a file that fails part-way adds nothing).
    file_seen: HashSet<(u32, Table, Box<str>)>,
    orgs: HashMap<String, u32>,
    /// The org of a file that names none (`--org`), as `https://host`.
    pub default_org: Option<String>,
    /// Issues found per rule and case (X05 and X02 aside); past
    /// [`MAX_FINDINGS_PER_CASE`](super::rules::MAX_FINDINGS_PER_CASE) they
    /// are counted, not kept.
    pub issue_counts: HashMap<Case, usize>,
    /// X05 and X02 issues found in the file being read (kept up to the cap).
    line_issues: [usize; 2],
    /// The table that reached [`MAX_RECORDS_PER_TABLE`] in the file being read.
    too_many: Option<Table>,
}

impl Reader {
    /// The org of a file: its own (`@odata.context`), else `--org`.
    pub fn org_of(&self, index: usize) -> Option<&str> {
        let own = self.files.get(index).and_then(|f| f.org.as_deref());
        own.or(self.default_org.as_deref())
    }

    /// The organisation a file's records belong to: its org's host,
    /// lower-cased (`contoso.api.crm.dynamics.com` is
    /// `contoso.crm.dynamics.com`), or `file N` for a file with no org.
    pub fn org_key(&self, index: usize) -> String {
        let url = self.org_of(index).and_then(super::rules::parse_url);
        url.map_or_else(|| format!("file {index}"), |u| org_host(u.host))
    }

    /// Reads one file; a file that cannot be read gets its `error`.
    pub fn read_file(&mut self, path: &Path) {
        // A folder of exports: its .json, .xml and .zip files, in name order.
        if path.is_dir() {
            let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && is_export_name(p))
                .collect();
            if !entries.is_empty() {
                entries.sort();
                entries.iter().for_each(|p| self.read_file(p));
                return;
            }
        }
        let index = self.files.len();
        self.files.push(FileInfo {
            path: path.display().to_string(),
            ..FileInfo::default()
        });
        // A file that fails part-way (truncated) adds nothing: its rows
        // read so far are taken back.
        self.file_seen = HashSet::new();
        self.line_issues = [0; 2];
        let records = Table::ALL.map(|t| self.config.len(t));
        let issues = self.issues.len();
        let (given, issue_counts) = (self.config.given.clone(), self.issue_counts.clone());
        self.too_many = None;
        let result = read_bytes(path).and_then(|bytes| self.read_format(index, bytes));
        if let Err(e) = result.and_then(|()| self.records_kept()) {
            self.config.truncate(records);
            self.issues.truncate(issues);
            self.config.given = given;
            self.issue_counts = issue_counts;
            let info = &mut self.files[index];
            *info = FileInfo {
                path: std::mem::take(&mut info.path),
                error: Some(e.to_string()),
                ..FileInfo::default()
            };
        } else {
            self.seen.extend(std::mem::take(&mut self.file_seen));
            self.one_line_per_file(issues, index);
        }
    }

    /// The X05 (tables ignored) and X02 (records flattened) issues of the
    /// file read last, from `from` on, as one line each.
    fn one_line_per_file(&mut self, from: usize, index: usize) {
        let counted = std::mem::take(&mut self.line_issues);
        for (k, (case, what)) in LINE_CASES.into_iter().enumerate() {
            // The issues of the case taken out; the others (and an earlier
            // case's line) stay in order.
            let (mut list, rest): (Vec<_>, Vec<_>) =
                self.issues.drain(from..).partition(|i| i.case == case);
            self.issues.extend(rest);
            let n = counted[k];
            if n <= 1 {
                self.issues.append(&mut list);
                continue;
            }
            // What an issue names: its record (X02), or the table its
            // message quotes (X05).
            let names = list.iter().map(|i| match (&i.record, case) {
                (Some(r), Case::X02Flattened) => format!("\"{}\"", r.name),
                _ => {
                    let quoted = i.message.split('\'').nth(1);
                    quoted.unwrap_or("rows of no known table").to_string()
                }
            });
            let mut shown: Vec<String> = names.take(6).collect();
            if n > shown.len() {
                shown.push(format!("and {} more", n - shown.len()));
            }
            let message = format!("{n} {what}: {}", shown.join(", "));
            self.issue(case, None, Some(index), message);
        }
    }

    /// An error once a table holds more than [`MAX_RECORDS_PER_TABLE`] records.
    fn records_kept(&self) -> Result<(), ReadError> {
        let too_many = |t: Table| Err(ReadError::TooManyRecords(t.entity_set()));
        self.too_many.map_or(Ok(()), too_many)
    }

    /// Reads a file's content in its format.
    fn read_format(&mut self, index: usize, bytes: Vec<u8>) -> Result<(), ReadError> {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            self.files[index].format = Some("cmt-zip");
            let (data, schema) = unzip(bytes)?;
            let schema = schema
                .map(|s| schema_relationships(&decode(s)?))
                .transpose()?;
            return self.read_xml(index, &decode(data)?, schema.as_ref());
        }
        let text = decode(bytes)?;
        let format = match text.trim_start().bytes().next() {
            Some(b'{' | b'[') => "web-api-json",
            Some(b'<') => "cmt-xml",
            Some(_) => return Err(ReadError::NotAnExport),
            None => return Err(ReadError::Empty),
        };
        self.files[index].format = Some(format);
        if format == "cmt-xml" {
            self.read_xml(index, &text, None)
        } else {
            self.read_json(index, &text)
        }
    }

    fn issue(&mut self, case: Case, record: Option<RecordRef>, file: Option<usize>, text: String) {
        // X05 and X02 become one line per file (one_line_per_file), which
        // names a few: past the cap they are only counted.
        let n = match LINE_CASES.iter().position(|(c, _)| *c == case) {
            Some(k) => &mut self.line_issues[k],
            None => self.issue_counts.entry(case).or_insert(0),
        };
        *n += 1;
        if *n <= super::rules::MAX_FINDINGS_PER_CASE {
            self.issues.push(Issue {
                case,
                record,
                file,
                message: text,
            });
        }
    }

    /// X04 (a table of an organisation whose every page has a next link), X06
    /// (files of several organisations) and X07 (no provider record read).
    pub fn run_level_issues(&mut self) {
        // Per organisation and table: whether every file has a next link, and
        // the org as shown (its URL, or the file with none).
        let mut pages: BTreeMap<(String, Table), (bool, String)> = BTreeMap::new();
        for (i, f) in self.files.iter().enumerate() {
            for t in f.tables.iter().filter(|_| f.error.is_none()) {
                let shown = self.org_of(i).unwrap_or(&f.path).to_string();
                let key = (self.org_key(i), *t);
                let e = pages.entry(key).or_insert((true, shown));
                e.0 &= f.next_link.contains(t);
            }
        }
        let several = pages.keys().map(|(o, _)| o).collect::<BTreeSet<_>>().len() > 1;
        for ((_, table), (_, shown)) in pages.iter().filter(|(_, (all_next, _))| *all_next) {
            let of = if several {
                format!(" of {shown}")
            } else {
                String::new()
            };
            let set = table.entity_set();
            self.issue(Case::X04NextPage, None, None, format!("every file of {set}{of} has @odata.nextLink: the rows of at least one page are missing"));
        }
        // Organisations by host (a file with no org is not counted here).
        let orgs: BTreeSet<String> = (0..self.files.len())
            .filter(|i| self.files[*i].org.is_some())
            .map(|i| self.org_key(i))
            .collect();
        if orgs.len() > 1 {
            let (n, orgs) = (orgs.len(), Vec::from_iter(orgs).join(", "));
            self.issue(Case::X06SeveralOrgs, None, None, format!(
                "the files come from {n} organisations: {orgs}; the rules that compare records run within each"
            ));
        }
        let provider_records = self.config.v1.len() + self.config.v2.len();
        if provider_records == 0 && self.files.iter().any(|f| f.error.is_none()) {
            self.issue(Case::X07NoProvider, None, None, "no msdyn_ciproviders or msdyn_channelproviders record in the input: nothing was checked".into());
        }
    }

    // --------------------------------------------------------- records

    fn read_record(
        &mut self,
        index: usize,
        table: Table,
        id: Option<String>,
        n: usize,
        src: &Source<'_>,
    ) {
        let id = id.unwrap_or_default();
        // Rows of the file; a record already read from another file (a page
        // given twice) is counted here but read once.
        self.files[index].records += 1;
        if self.config.len(table) >= MAX_RECORDS_PER_TABLE {
            self.too_many.get_or_insert(table);
            return;
        }
        if !id.is_empty() {
            let org = self.org_key(index);
            let next = u32::try_from(self.orgs.len()).unwrap_or(u32::MAX);
            let org = *self.orgs.entry(org).or_insert(next);
            let key = (org, table, id.as_str().into());
            // The same record in two files (a page given twice): read once.
            if self.seen.contains(&key) || !self.file_seen.insert(key) {
                return;
            }
        }
        let mut f = Fields {
            src,
            issues: Vec::new(),
        };
        let mut r = RecordRef {
            table,
            name: String::new(),
            id,
            file: index,
        };
        // Reads the record, names it by the first of its `names` that is
        // set, says its issues and keeps it in `list`.
        macro_rules! keep {
            ($list:ident, $read:expr, $($names:ident),+) => {{
                let d = $read;
                r.name = display(&[$(&d.$names),+], &r.id, n);
                for (case, e) in f.issues {
                    self.issue(case, Some(r.clone()), None, e);
                }
                self.config.$list.push(Rec { r, data: d });
            }};
        }
        match table {
            Table::V1Provider => keep!(v1, f.provider(false), name),
            Table::V2Provider => keep!(v2, f.provider(true), name, unique_name),
            Table::Profile => keep!(profiles, f.profile(), name, unique_name),
            Table::RoleMapping => keep!(mappings, f.role_mapping(), unique_name),
            Table::AppModule => keep!(apps, f.named(true), name, unique_name),
            Table::Role => keep!(roles, f.named(false), name, unique_name),
        }
    }
}

/// A Dataverse host without the Web API's `api.` label.
pub fn org_host(host: &str) -> String {
    let host = host.to_ascii_lowercase();
    match host.split_once(".api.") {
        Some((org, rest)) if !org.contains('.') => format!("{org}.{rest}"),
        _ => host,
    }
}

/// The name shown for a record: the first non-empty of `names`, else its
/// id, else its row number.
fn display(names: &[&Option<String>], id: &str, n: usize) -> String {
    let mut names = names.iter().filter_map(|s| s.as_deref()).map(str::trim);
    match names.find(|s| !s.is_empty()) {
        Some(name) => name.to_string(),
        None if id.is_empty() => format!("row {}", n + 1),
        None => id.to_string(),
    }
}

/// At most 80 characters of a value, for messages.
pub fn short(s: &str) -> String {
    if s.chars().count() <= 80 {
        return s.to_string();
    }
    s.chars().take(77).chain("...".chars()).collect()
}

/// Whether a file in a folder looks like an export (.json, .xml, .zip).
fn is_export_name(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["json", "xml", "zip"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads a file of at most [`MAX_FILE_BYTES`] (`-` is standard input), with
/// check's own words for what went wrong (the file name is said beside them).
fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    use crate::input::InputError;
    crate::input::read_bytes(path, MAX_FILE_BYTES).map_err(|e| match e {
        InputError::Read { path, reason } if path == "-" => ReadError::Stdin(reason),
        InputError::Read { reason, .. } => ReadError::Unreadable(reason),
        InputError::Directory { .. } => ReadError::EmptyFolder,
        InputError::TooLarge { limit, .. } => ReadError::TooLarge(limit),
        InputError::NotUtf8 { .. } => ReadError::Input(e.to_string()),
    })
}

/// Text from bytes: UTF-8 (with or without a byte-order mark) or UTF-16 LE/BE
/// with a byte-order mark (PowerShell's Out-File).
pub fn decode(mut bytes: Vec<u8>) -> Result<String, ReadError> {
    // D32: before UTF-16's FF FE, which UTF-32 LE's FF FE 00 00 starts with.
    if bytes.starts_with(b"\xFF\xFE\x00\x00") || bytes.starts_with(b"\x00\x00\xFE\xFF") {
        return Err(ReadError::Utf32);
    }
    // Little-endian after FF FE, big-endian after FE FF.
    let from_bytes: Option<fn([u8; 2]) -> u16> = match bytes.get(..2) {
        Some(b"\xFF\xFE") => Some(u16::from_le_bytes),
        Some(b"\xFE\xFF") => Some(u16::from_be_bytes),
        _ => None,
    };
    if let Some(from_bytes) = from_bytes {
        let b = &bytes[2..];
        if !b.len().is_multiple_of(2) {
            return Err(ReadError::Utf16Odd);
        }
        let unit = |c: &[u8]| from_bytes([c[0], c[1]]);
        return char::decode_utf16(b.chunks_exact(2).map(unit))
            .collect::<Result<String, _>>()
            .map_err(|e| ReadError::Utf16(e.to_string()));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))
}
