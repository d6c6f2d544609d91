//! The readers: a file (Web API JSON, a CMT data.xml, or the zip holding
//! it; UTF-8 or UTF-16 with a byte-order mark) into typed records.
//!
//! Limits: a file is at most [`MAX_FILE_BYTES`]; a zip at most
//! [`MAX_ZIP_ENTRIES`] entries, each entry and all of them together at most
//! [`MAX_FILE_BYTES`] uncompressed; XML with a DTD is refused (so no external
//! entity is fetched and no entity is expanded), and so is XML with an
//! element of more than [`MAX_XML_ATTRIBUTES`] attributes or more than
//! [`MAX_XML_NAMESPACES`] namespace declarations.

use super::config::*;
use super::Case;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

/// The largest file (and the largest uncompressed zip content) read: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most entries a zip may have (a CMT zip has three).
pub const MAX_ZIP_ENTRIES: usize = 100;
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

/// What the reader found in the input itself (becomes an X.. finding).
#[derive(Debug, Clone)]
pub struct Issue {
    pub case: Case,
    pub record: Option<RecordRef>,
    pub file: Option<usize>,
    pub message: String,
}

/// What one file held, or why it could not be read.
#[derive(Debug, Clone, Default)]
pub struct FileInfo {
    pub path: String,
    /// `web-api-json`, `cmt-xml` or `cmt-zip`; `None` when unreadable.
    pub format: Option<&'static str>,
    pub tables: Vec<Table>,
    pub records: usize,
    /// The org URL from `@odata.context`, when the file has one.
    pub org: Option<String>,
    /// Tables of this file whose page has a next link.
    pub next_link: Vec<Table>,
    pub error: Option<String>,
    /// An earlier export given with --diff (compared, not checked).
    pub previous: bool,
}

/// Reads every file into one configuration.
pub struct Reader {
    pub config: Config,
    pub files: Vec<FileInfo>,
    pub issues: Vec<Issue>,
    /// Records read, by organisation key, table and id.
    /// (Organisation keys are numbered in `orgs`, so that each key holds
    /// no copy of its org's host: D10.)
    seen: HashSet<(u32, Table, Box<str>)>,
    orgs: HashMap<String, u32>,
    /// The org and table of each key of `seen` the file being read added,
    /// in order (its id is its record's): taken back if the file fails.
    added: Vec<(u32, Table)>,
    /// The org of a file that names none (`--org`), as `https://host`.
    pub default_org: Option<String>,
    /// Issues found per rule and case; past the cap they are counted, not kept.
    issue_counts: HashMap<Case, usize>,
    /// X05 and X02 issues of the file being read: (kept, counted past the cap).
    line_issues: [(usize, usize); 2],
}

/// Why a solution package is refused (SPEC 4.7).
const SOLUTION: &str = "a solution package (solution.xml, customizations.xml), not exported data: channel-provider records travel as data, not in a solution; export them with the Configuration Migration tool (give its data zip) or with the Web API requests of cif-advisor check --queries ORG_URL";

const EXPECTED: &str = "expected a Dataverse Web API response ({\"@odata.context\": ..., \"value\": [...]} or {\"entities\": [...]} from Xrm.WebApi) or a Configuration Migration tool data.xml or its zip";

impl Default for Reader {
    fn default() -> Self {
        Self::new()
    }
}

impl Reader {
    pub fn new() -> Reader {
        Reader {
            config: Config::default(),
            files: Vec::new(),
            issues: Vec::new(),
            seen: HashSet::new(),
            orgs: HashMap::new(),
            added: Vec::new(),
            default_org: None,
            issue_counts: HashMap::new(),
            line_issues: [(0, 0); 2],
        }
    }

    /// The issues found but not kept, per rule and case (past
    /// [`MAX_FINDINGS_PER_CASE`](super::rules::MAX_FINDINGS_PER_CASE)).
    pub fn folded(&self) -> Vec<(Case, usize)> {
        let cap = super::rules::MAX_FINDINGS_PER_CASE;
        let mut v: Vec<_> = self
            .issue_counts
            .iter()
            .filter(|(_, n)| **n > cap)
            .map(|(k, n)| (*k, n - cap))
            .collect();
        v.sort();
        v
    }

    /// The org of a file: its own (`@odata.context`), else `--org`.
    pub fn org_of(&self, index: usize) -> Option<&str> {
        self.files
            .get(index)
            .and_then(|f| f.org.as_deref())
            .or(self.default_org.as_deref())
    }

    /// The organisation a file's records belong to: its org's host
    /// (lower-cased), or the file itself when it names none.
    pub fn org_key(&self, index: usize) -> String {
        org_key(self.org_of(index), index)
    }

    /// Reads one file; a file that cannot be read gets its `error`.
    pub fn read_file(&mut self, path: &Path) {
        // A folder of exports: its .json, .xml and .zip files, in name order.
        if path.is_dir() {
            let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(path)
                .map(|dir| {
                    dir.filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| p.is_file() && is_export_name(p))
                        .collect()
                })
                .unwrap_or_default();
            if !entries.is_empty() {
                entries.sort();
                for p in entries {
                    self.read_file(&p);
                }
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
        self.added.clear();
        self.line_issues = [(0, 0); 2];
        let before = Snapshot {
            counts: [
                self.config.v1.len(),
                self.config.v2.len(),
                self.config.profiles.len(),
                self.config.mappings.len(),
                self.config.apps.len(),
                self.config.roles.len(),
                self.issues.len(),
            ],
            given: self.config.given.clone(),
            issue_counts: self.issue_counts.clone(),
        };
        let result = read_bytes(path).and_then(|bytes| self.read_content(index, bytes));
        if result.is_ok() {
            self.one_line_per_file(before.counts[6], index);
        }
        if let Err(e) = result {
            self.take_back_keys(&before.counts);
            let [v1, v2, profiles, mappings, apps, roles, issues] = before.counts;
            self.config.v1.truncate(v1);
            self.config.v2.truncate(v2);
            self.config.profiles.truncate(profiles);
            self.config.mappings.truncate(mappings);
            self.config.apps.truncate(apps);
            self.config.roles.truncate(roles);
            self.issues.truncate(issues);
            self.config.given = before.given;
            self.issue_counts = before.issue_counts;
            let info = &mut self.files[index];
            info.error = Some(e);
            info.format = None;
            info.tables.clear();
            info.records = 0;
            info.org = None;
            info.next_link.clear();
        }
    }

    /// Takes back the keys of `seen` that the failed file added: each is
    /// the org and table in `added` and the id of the record it read, in
    /// the same order (every key added is a record pushed).
    fn take_back_keys(&mut self, counts: &[usize; 7]) {
        let c = &self.config;
        let ids = |table: Table| -> Vec<&str> {
            let tail: Vec<&RecordRef> = match table {
                Table::V1Provider => c.v1[counts[0]..].iter().map(|r| &r.r).collect(),
                Table::V2Provider => c.v2[counts[1]..].iter().map(|r| &r.r).collect(),
                Table::Profile => c.profiles[counts[2]..].iter().map(|r| &r.r).collect(),
                Table::RoleMapping => c.mappings[counts[3]..].iter().map(|r| &r.r).collect(),
                Table::AppModule => c.apps[counts[4]..].iter().map(|r| &r.r).collect(),
                Table::Role => c.roles[counts[5]..].iter().map(|r| &r.r).collect(),
            };
            tail.into_iter()
                .map(|r| r.id.as_str())
                .filter(|id| !id.is_empty())
                .collect()
        };
        let mut per_table: HashMap<Table, std::vec::IntoIter<&str>> = HashMap::new();
        let mut keys = Vec::with_capacity(self.added.len());
        for (org, table) in &self.added {
            let it = per_table
                .entry(*table)
                .or_insert_with(|| ids(*table).into_iter());
            if let Some(id) = it.next() {
                keys.push((*org, *table, Box::<str>::from(id)));
            }
        }
        for key in keys {
            self.seen.remove(&key);
        }
        self.added.clear();
    }

    /// The X05 (tables ignored) and X02 (records flattened) issues of the
    /// file read last, from `from` on, as one line each.
    fn one_line_per_file(&mut self, from: usize, index: usize) {
        let mut ignored = Vec::new();
        let mut flattened = Vec::new();
        let mut kept = Vec::new();
        for i in self.issues.drain(from..) {
            match i.case {
                Case::X05OtherTable => ignored.push(i),
                Case::X02Flattened => flattened.push(i),
                _ => kept.push(i),
            }
        }
        self.issues.extend(kept);
        // What an issue names: the quoted table, or the record and column.
        let quoted = |m: &str| m.split('\'').nth(1).map(str::to_string);
        let [(_, more_ignored), (_, more_flattened)] = std::mem::take(&mut self.line_issues);
        let listed = |names: Vec<String>, more: usize| -> String {
            let n = names.len() + more;
            let mut shown: Vec<String> = names.into_iter().take(6).collect();
            if n > shown.len() {
                shown.push(format!("and {} more", n - shown.len()));
            }
            shown.join(", ")
        };
        if ignored.len() == 1 && more_ignored == 0 {
            self.issues.append(&mut ignored);
        } else if !ignored.is_empty() {
            let n = ignored.len() + more_ignored;
            let names: Vec<String> = ignored
                .iter()
                .map(|i| quoted(&i.message).unwrap_or_else(|| "rows of no known table".into()))
                .collect();
            let message = format!(
                "{n} tables check does not read are ignored: {}",
                listed(names, more_ignored)
            );
            self.issue(Case::X05OtherTable, None, Some(index), message);
        }
        if flattened.len() == 1 && more_flattened == 0 {
            self.issues.append(&mut flattened);
        } else if !flattened.is_empty() {
            let n = flattened.len() + more_flattened;
            let names: Vec<String> = flattened
                .iter()
                .filter_map(|i| i.record.as_ref())
                .map(|r| format!("\"{}\"", r.name))
                .collect();
            let message = format!(
                "{n} records hold nested values that PowerShell's ConvertTo-Json flattened to text (default depth 2), so their links cannot be read: {}",
                listed(names, more_flattened)
            );
            self.issue(Case::X02Flattened, None, Some(index), message);
        }
    }

    /// Reads a file's content (for tests and standard input alike).
    fn read_content(&mut self, index: usize, bytes: Vec<u8>) -> Result<(), String> {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            self.files[index].format = Some("cmt-zip");
            let (data, schema) = unzip(bytes)?;
            let schema = match schema {
                Some(s) => Some(schema_relationships(&decode(s)?)?),
                None => None,
            };
            let text = decode(data)?;
            return self.read_xml(index, &text, schema.as_ref());
        }
        let text = decode(bytes)?;
        let start = text.trim_start();
        if start.starts_with('{') || start.starts_with('[') {
            self.files[index].format = Some("web-api-json");
            self.read_json(index, &text)
        } else if start.starts_with('<') {
            self.files[index].format = Some("cmt-xml");
            self.read_xml(index, &text, None)
        } else if start.is_empty() {
            Err(format!("the file is empty; {EXPECTED}"))
        } else {
            Err(format!("not JSON, XML or a zip; {EXPECTED}"))
        }
    }

    fn issue(
        &mut self,
        case: Case,
        record: Option<RecordRef>,
        file: Option<usize>,
        message: String,
    ) {
        // X05 and X02 become one line per file (one_line_per_file), which
        // names a few: past the cap they are only counted.
        if let Some(k) = [Case::X05OtherTable, Case::X02Flattened]
            .iter()
            .position(|c| *c == case)
        {
            let (kept, more) = &mut self.line_issues[k];
            if *kept >= super::rules::MAX_FINDINGS_PER_CASE {
                *more += 1;
                return;
            }
            *kept += 1;
        } else {
            let n = self.issue_counts.entry(case).or_insert(0);
            *n += 1;
            if *n > super::rules::MAX_FINDINGS_PER_CASE {
                return;
            }
        }
        self.issues.push(Issue {
            case,
            record,
            file,
            message,
        });
    }

    // ------------------------------------------------------------ JSON

    fn read_json(&mut self, index: usize, text: &str) -> Result<(), String> {
        if text.trim_start().starts_with('{') {
            return self.read_json_object(index, text);
        }
        if text.trim_start().starts_with('[') {
            return self.read_json_array(index, text);
        }
        let value: Value = serde_json::from_str(text).map_err(json_error)?;
        self.read_json_value(index, value)
    }

    /// A top-level array, read one item at a time (D10: it was parsed
    /// whole): responses (a bundle) while every item is one, else rows
    /// without the envelope (`$r.value | ConvertTo-Json`).
    fn read_json_array(&mut self, index: usize, text: &str) -> Result<(), String> {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut state = TopArray {
            reader: self,
            index,
            failure: None,
        };
        let result =
            serde::de::DeserializeSeed::deserialize(&mut state, &mut de).and_then(|()| de.end());
        if let Some(f) = state.failure {
            return Err(f);
        }
        result.map_err(json_error)
    }

    /// A response object, its rows read one at a time (so a large page is
    /// never held whole); other keys are kept.
    fn read_json_object(&mut self, index: usize, text: &str) -> Result<(), String> {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut state = Stream {
            reader: self,
            index,
            failure: None,
            rest: Map::new(),
            table: None,
            ignore: false,
            streamed: None,
        };
        let result = serde::de::DeserializeSeed::deserialize(TopSeed(&mut state), &mut de)
            .and_then(|()| de.end());
        let Stream {
            failure,
            rest,
            streamed,
            ignore,
            ..
        } = state;
        if let Some(f) = failure {
            return Err(f);
        }
        result.map_err(json_error)?;
        match streamed {
            Some(found) => {
                let next = ["@odata.nextLink", "nextLink"]
                    .iter()
                    .any(|k| rest.get(*k).is_some_and(|v| !v.is_null()));
                if let (true, Some(t)) = (next, found) {
                    self.files[index].next_link.push(t);
                }
                Ok(())
            }
            // A table check does not read (said once, as X05).
            None if ignore => Ok(()),
            None => self.read_json_value(index, Value::Object(rest)),
        }
    }

    /// The table named by `@odata.context` (and the org it holds); `Err(())`
    /// when it names a table check does not read (reported as X05).
    fn context(&mut self, index: usize, context: &str) -> Result<Option<Table>, ()> {
        if context.is_empty() {
            return Ok(None);
        }
        if let Some(org) = context
            .split("/api/data/")
            .next()
            .filter(|o| o.contains("://") && context.contains("/api/data/"))
        {
            let org = org.trim_end_matches('/').to_ascii_lowercase();
            if self.files[index].org.is_none() {
                self.files[index].org = Some(org);
            }
        }
        let Some(rest) = context.split("$metadata#").nth(1) else {
            return Ok(None);
        };
        let set = rest.split(['(', '/', '?']).next().unwrap_or("");
        match Table::from_entity_set(set) {
            Some(t) => Ok(Some(t)),
            None => {
                self.issue(
                    Case::X05OtherTable,
                    None,
                    Some(index),
                    format!(
                        "the rows are of '{}', a table check does not read; ignored",
                        short(set)
                    ),
                );
                Err(())
            }
        }
    }

    fn read_json_value(&mut self, index: usize, value: Value) -> Result<(), String> {
        match value {
            Value::Object(map)
                if !is_envelope_map(&map) && !map.is_empty() && map.values().all(is_envelope) =>
            {
                // A bundle keyed by name: {"msdyn_ciproviders": {"value": [...]}, ...}.
                for (_, item) in map {
                    if let Value::Object(page) = item {
                        self.read_page(index, page)?;
                    }
                }
                Ok(())
            }
            Value::Object(map) => self.read_page(index, map),
            Value::Array(items) => {
                if items.is_empty() {
                    return Err(format!("an empty JSON array; {EXPECTED}"));
                }
                if items.iter().all(is_envelope) {
                    // A bundle: one response per item.
                    for item in items {
                        if let Value::Object(map) = item {
                            self.read_page(index, map)?;
                        }
                    }
                    Ok(())
                } else {
                    // Rows without the envelope (`$r.value | ConvertTo-Json`).
                    self.read_rows(index, None, items).map(|_| ())
                }
            }
            _ => Err(format!("a JSON {}; {EXPECTED}", kind(&value))),
        }
    }

    fn read_page(&mut self, index: usize, mut map: Map<String, Value>) -> Result<(), String> {
        let rows = match map.remove("value").or_else(|| map.remove("entities")) {
            Some(Value::Array(rows)) => rows,
            Some(Value::String(s)) if is_flattened(&s) => {
                return Err(format!(
                    "the rows were flattened to the text \"{}\" by PowerShell's ConvertTo-Json (default depth 2); export again with ConvertTo-Json -Depth 5",
                    short(&s)
                ))
            }
            Some(other) => {
                return Err(format!(
                    "\"value\" is a JSON {}, not an array of rows; {EXPECTED}",
                    kind(&other)
                ))
            }
            None => {
                // One record (GET .../msdyn_channelproviders(id)): the row itself.
                let single = map
                    .get("@odata.context")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.ends_with("/$entity"))
                    || table_from_columns(&map).is_some();
                if !single {
                    return Err(format!(
                        "a JSON object with no \"value\" or \"entities\" array; {EXPECTED}"
                    ));
                }
                let context = map.get("@odata.context").cloned();
                let mut envelope = Map::new();
                if let Some(c) = context {
                    envelope.insert("@odata.context".into(), c);
                }
                envelope.insert("value".into(), Value::Array(vec![Value::Object(map)]));
                return self.read_page(index, envelope);
            }
        };
        let context = map
            .get("@odata.context")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let Ok(table) = self.context(index, &context) else {
            return Ok(());
        };
        let next = ["@odata.nextLink", "nextLink"]
            .iter()
            .any(|k| map.get(*k).is_some_and(|v| !v.is_null()));
        let found = self.read_rows(index, table, rows)?;
        if next {
            if let Some(t) = found {
                self.files[index].next_link.push(t);
            }
        }
        Ok(())
    }

    /// Reads an array of rows of `table` (found from the rows when `None`);
    /// returns the table.
    fn read_rows(
        &mut self,
        index: usize,
        table: Option<Table>,
        rows: Vec<Value>,
    ) -> Result<Option<Table>, String> {
        let mut state = self.rows_begin(index, table);
        for row in rows {
            self.rows_push(index, &mut state, row)?;
        }
        Ok(self.rows_end(index, state))
    }

    fn rows_begin(&mut self, index: usize, table: Option<Table>) -> Rows {
        if let Some(t) = table {
            self.note_table(index, t);
        }
        Rows {
            table,
            pending: Vec::new(),
            n: 0,
        }
    }

    /// One row; rows before the table is known wait in `pending`.
    fn rows_push(&mut self, index: usize, state: &mut Rows, row: Value) -> Result<(), String> {
        if let Value::String(s) = &row {
            if is_flattened(s) {
                return Err(format!(
                    "the rows were flattened to text (\"{}\") by PowerShell's ConvertTo-Json (default depth 2); export again with ConvertTo-Json -Depth 5",
                    short(s)
                ));
            }
        }
        let table = match state.table {
            Some(t) => t,
            None => match row.as_object().and_then(table_from_columns) {
                Some(t) => {
                    state.table = Some(t);
                    self.note_table(index, t);
                    for earlier in std::mem::take(&mut state.pending) {
                        match earlier {
                            Pending::Row(row) => {
                                self.row(index, t, state.n, row);
                                state.n += 1;
                            }
                            Pending::Others(kind, count) => {
                                for _ in 0..count {
                                    self.other_row(index, t, state.n, kind);
                                    state.n += 1;
                                }
                            }
                        }
                    }
                    t
                }
                None => {
                    if row.is_object() {
                        state.pending.push(Pending::Row(row));
                    } else if let Some(Pending::Others(k, n)) = state.pending.last_mut() {
                        if *k == kind(&row) {
                            *n += 1;
                        } else {
                            state.pending.push(Pending::Others(kind(&row), 1));
                        }
                    } else {
                        state.pending.push(Pending::Others(kind(&row), 1));
                    }
                    return Ok(());
                }
            },
        };
        self.row(index, table, state.n, row);
        state.n += 1;
        Ok(())
    }

    fn rows_end(&mut self, index: usize, state: Rows) -> Option<Table> {
        if state.table.is_none() && !state.pending.is_empty() {
            self.issue(
                Case::X05OtherTable,
                None,
                Some(index),
                "the rows have none of the columns of the tables check reads; ignored".into(),
            );
        }
        state.table
    }

    fn row(&mut self, index: usize, table: Table, n: usize, row: Value) {
        match row {
            Value::Object(map) => {
                let id = map
                    .get(table.primary_id())
                    .and_then(Value::as_str)
                    .map(guid);
                let source = Source::Json(&map);
                self.read_record(index, table, id, n, &source);
            }
            other => self.other_row(index, table, n, kind(&other)),
        }
    }

    /// A row that is no object (X01).
    fn other_row(&mut self, index: usize, table: Table, n: usize, kind: &str) {
        let r = RecordRef {
            table,
            name: format!("row {}", n + 1),
            id: String::new(),
            file: index,
        };
        self.issue(
            Case::X01WrongType,
            Some(r),
            None,
            format!("the row is a JSON {kind}, not an object; it is skipped"),
        );
    }

    fn note_table(&mut self, index: usize, table: Table) {
        self.config.given.insert(table);
        if !self.files[index].tables.contains(&table) {
            self.files[index].tables.push(table);
        }
    }

    // ------------------------------------------------------------- XML

    fn read_xml(
        &mut self,
        index: usize,
        text: &str,
        schema: Option<&Schema>,
    ) -> Result<(), String> {
        let doc = parse_xml(text)?;
        let root = doc.root_element();
        if root.tag_name().name() == "ImportExportXml" {
            return Err(SOLUTION.into());
        }
        if root.tag_name().name() != "entities" {
            return Err(format!(
                "XML whose root is <{}>, not <entities>; {EXPECTED}",
                short(root.tag_name().name())
            ));
        }
        for entity in root.children().filter(|n| n.has_tag_name("entity")) {
            let name = entity.attribute("name").unwrap_or("");
            let records = entity.children().find(|n| n.has_tag_name("records"));
            if records.is_none() && entity.children().any(|n| n.has_tag_name("fields")) {
                return Err("this is the schema file (data_schema.xml), not the data; give data.xml or the zip that holds both".into());
            }
            let Some(table) = Table::from_logical(name) else {
                self.issue(
                    Case::X05OtherTable,
                    None,
                    Some(index),
                    format!(
                        "the entity '{}' is not a table check reads; ignored",
                        short(name)
                    ),
                );
                continue;
            };
            self.note_table(index, table);
            // N:N links: relationship name -> source id -> target ids.
            let mut links: BTreeMap<&str, BTreeMap<String, Vec<String>>> = BTreeMap::new();
            for rel in entity
                .children()
                .filter(|n| n.has_tag_name("m2mrelationships"))
                .flat_map(|n| n.children())
                .filter(|n| n.has_tag_name("m2mrelationship"))
            {
                let rel_name = rel.attribute("m2mrelationshipname").unwrap_or("");
                let source = guid(rel.attribute("sourceid").unwrap_or(""));
                // Links of no record (D4: they went to every record without an id).
                if source.is_empty() {
                    continue;
                }
                let targets = rel
                    .descendants()
                    .filter(|n| n.has_tag_name("targetid"))
                    .filter_map(|n| n.text())
                    .map(guid)
                    .filter(|t| !t.is_empty());
                links
                    .entry(rel_name)
                    .or_default()
                    .entry(source)
                    .or_default()
                    .extend(targets);
            }
            let declared = |rel: &str| {
                links.contains_key(rel)
                    || schema
                        .is_some_and(|s| s.relationships.get(name).is_some_and(|r| r.contains(rel)))
            };
            let provider_links = declared("msdyn_appconfig_msdyn_channelprovider");
            // The columns exported: an absent one of these is empty (CMT
            // leaves out empty values). From the schema, or seen on any record.
            let mut exported = Exported {
                schema: schema.and_then(|s| s.fields.get(name)),
                seen: BTreeSet::new(),
            };
            for f in records
                .iter()
                .flat_map(|r| r.descendants())
                .filter(|n| n.has_tag_name("field"))
            {
                if let Some(k) = f.attribute("name") {
                    exported.seen.insert(k);
                }
            }
            let user_links = declared("msdyn_appconfiguration_systemuser");
            for (n, record) in records
                .into_iter()
                .flat_map(|r| r.children())
                .filter(|n| n.has_tag_name("record"))
                .enumerate()
            {
                let mut fields = BTreeMap::new();
                for f in record.children().filter(|n| n.has_tag_name("field")) {
                    if let (Some(k), Some(v)) = (f.attribute("name"), f.attribute("value")) {
                        fields.insert(k, v);
                    }
                }
                let id = record
                    .attribute("id")
                    .map(guid)
                    .or_else(|| fields.get(table.primary_id()).map(|v| guid(v)));
                let key = id.clone().unwrap_or_default();
                // A record's links are taken, not copied: a second record
                // with its id (read once anyway) or one without an id gets
                // none (D4).
                let mut ids = |rel: &str| -> Vec<Link> {
                    if key.is_empty() {
                        return Vec::new();
                    }
                    links
                        .get_mut(rel)
                        .and_then(|m| m.remove(&key))
                        .map(|t| {
                            t.into_iter()
                                .map(|id| Link {
                                    id: Some(id),
                                    ..Link::default()
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let providers =
                    provider_links.then(|| ids("msdyn_appconfig_msdyn_channelprovider"));
                let users = user_links.then(|| ids("msdyn_appconfiguration_systemuser").len());
                let extra = XmlLinks {
                    exported: &exported,
                    providers,
                    users,
                };
                let source = Source::Xml(&fields, extra);
                self.read_record(index, table, id, n, &source);
            }
        }
        Ok(())
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
        if !id.is_empty() {
            let org = self.org_key(index);
            let next = u32::try_from(self.orgs.len()).unwrap_or(u32::MAX);
            let org = *self.orgs.entry(org).or_insert(next);
            if !self.seen.insert((org, table, id.as_str().into())) {
                // The same record in two files (a page given twice): read once.
                return;
            }
            self.added.push((org, table));
        }
        let mut f = Fields {
            src,
            errors: Vec::new(),
            flattened: Vec::new(),
        };
        let mut r = RecordRef {
            table,
            name: String::new(),
            id,
            file: index,
        };
        match table {
            Table::V1Provider => {
                let d = V1Provider {
                    name: f.text("msdyn_name"),
                    label: f.text("msdyn_label"),
                    landing_url: f.text("msdyn_landingurl"),
                    trusted_domain: f.text("msdyn_trusteddomain"),
                    sort_order: f.int("msdyn_sortorder"),
                    click_to_act: f.boolean("msdyn_clicktoact"),
                    api_version: f.int("msdyn_ciproviderapiversion"),
                    app_selector: f.text("msdyn_appselector"),
                    role_selector: f.text("msdyn_roleselector"),
                    custom_params: f.text("msdyn_customparams"),
                    sandbox: f.text("msdyn_sandboxconfiguration"),
                    analytics: f.boolean("msdyn_enableanalytics"),
                    state: f.int("statecode"),
                    created: f.text("createdon"),
                };
                r.name = display(&[&d.name], &r.id, n);
                self.finish(&r, f);
                self.config.v1.push(Rec { r, data: d });
            }
            Table::V2Provider => {
                let d = V2Provider {
                    name: f.text("msdyn_name"),
                    unique_name: f.text("msdyn_uniquename"),
                    label: f.text("msdyn_label"),
                    channel_url: f.text("msdyn_channelurl"),
                    trusted_domain: f.text("msdyn_trusteddomain"),
                    sort_order: f.int("msdyn_sortorder"),
                    outbound: f.boolean("msdyn_enableoutbound"),
                    api_version: f.int("msdyn_apiversion"),
                    custom_params: f.text("msdyn_customparams"),
                    sandbox: f.text("msdyn_sandboxconfiguration"),
                    analytics: f.boolean("msdyn_enableanalytics"),
                    state: f.int("statecode"),
                    profiles: f.links("msdyn_appconfig_msdyn_channelprovider", Table::Profile),
                };
                r.name = display(&[&d.name, &d.unique_name], &r.id, n);
                self.finish(&r, f);
                self.config.v2.push(Rec { r, data: d });
            }
            Table::Profile => {
                let d = Profile {
                    name: f.text("msdyn_name"),
                    unique_name: f.text("msdyn_uniquename"),
                    app_module: f.text("msdyn_appmoduleuniquename"),
                    order: f.int("msdyn_profileorder"),
                    state: f.int("statecode"),
                    providers: f.links("msdyn_appconfig_msdyn_channelprovider", Table::V2Provider),
                    users: f.user_count("msdyn_appconfiguration_systemuser"),
                };
                r.name = display(&[&d.name, &d.unique_name], &r.id, n);
                self.finish(&r, f);
                self.config.profiles.push(Rec { r, data: d });
            }
            Table::RoleMapping => {
                let d = RoleMapping {
                    profile_id: f
                        .text("_msdyn_appprofileid_value")
                        .or_else(|| f.text("msdyn_appprofileid"))
                        .map(|s| guid(&s)),
                    role_id: f
                        .text("_msdyn_securityroleid_value")
                        .or_else(|| f.text("msdyn_securityroleid"))
                        .map(|s| guid(&s)),
                    state: f.int("statecode"),
                };
                let uname = f.text("msdyn_uniquename");
                r.name = display(&[&uname], &r.id, n);
                self.finish(&r, f);
                self.config.mappings.push(Rec { r, data: d });
            }
            Table::AppModule | Table::Role => {
                let app = table == Table::AppModule;
                let d = Named {
                    unique_name: f.text("uniquename"),
                    name: f.text("name"),
                    navigation: if app { f.int("navigationtype") } else { None },
                    state: if app { f.int("statecode") } else { None },
                    root: if app {
                        None
                    } else {
                        f.text("_parentrootroleid_value")
                            .or_else(|| f.text("parentrootroleid"))
                            .map(|s| guid(&s))
                            .filter(|s| !s.is_empty())
                    },
                };
                r.name = display(&[&d.name, &d.unique_name], &r.id, n);
                self.finish(&r, f);
                if table == Table::AppModule {
                    self.config.apps.push(Rec { r, data: d });
                } else {
                    self.config.roles.push(Rec { r, data: d });
                }
            }
        }
    }

    fn finish(&mut self, r: &RecordRef, f: Fields<'_, '_>) {
        for e in f.errors {
            self.issue(Case::X01WrongType, Some(r.clone()), None, e);
        }
        for e in f.flattened {
            self.issue(Case::X02Flattened, Some(r.clone()), None, e);
        }
    }
}

/// What the reader held before a file, to take a failed file back.
struct Snapshot {
    counts: [usize; 7],
    given: BTreeSet<Table>,
    issue_counts: HashMap<Case, usize>,
}

/// The organisation key of a file: the host of its org URL, lower-cased
/// (`contoso.api.crm.dynamics.com` is `contoso.crm.dynamics.com`), or
/// `file N` for a file with no org.
pub fn org_key(org: Option<&str>, index: usize) -> String {
    match org.and_then(|o| super::rules::parse_url(o).map(|u| u.host.to_ascii_lowercase())) {
        Some(host) => org_host(&host),
        None => format!("file {index}"),
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

/// Rows being read: the table once known, rows waiting for it, the count.
struct Rows {
    table: Option<Table>,
    pending: Vec<Pending>,
    n: usize,
}

/// Rows read before their table is known: an object whole; rows that are
/// no object only counted, by kind, a run of them in one entry (D10: 60 MB
/// of `0` rows were kept as 30 million values).
enum Pending {
    Row(Value),
    Others(&'static str, usize),
}

fn json_error(e: serde_json::Error) -> String {
    let what = if e.is_eof() {
        "the JSON ends early (truncated?)"
    } else {
        "not valid JSON"
    };
    format!("{what}: {e}; {EXPECTED}")
}

/// The state of a streamed response object.
struct Stream<'r> {
    reader: &'r mut Reader,
    index: usize,
    /// Why the file cannot be read (a sentence of ours, not serde's).
    failure: Option<String>,
    /// The keys other than the rows.
    rest: Map<String, Value>,
    /// The table from `@odata.context`.
    table: Option<Table>,
    /// The context names a table check does not read.
    ignore: bool,
    /// `Some(table found)` once the rows were read.
    streamed: Option<Option<Table>>,
}

impl Stream<'_> {
    fn fail<E: serde::de::Error>(&mut self, message: String) -> E {
        self.failure = Some(message.clone());
        E::custom(message)
    }
}

/// A top-level array.
struct TopArray<'r> {
    reader: &'r mut Reader,
    index: usize,
    failure: Option<String>,
}

impl TopArray<'_> {
    fn fail<E: serde::de::Error>(&mut self, message: String) -> E {
        self.failure = Some(message.clone());
        E::custom(message)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut TopArray<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for &mut TopArray<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let index = self.index;
        // Responses, held until an item that is none (they are few).
        let mut responses: Vec<Value> = Vec::new();
        let mut rows: Option<Rows> = None;
        while let Some(item) = seq.next_element::<Value>()? {
            let result = match rows.as_mut() {
                Some(state) => self.reader.rows_push(index, state, item),
                None if is_envelope(&item) => {
                    responses.push(item);
                    Ok(())
                }
                None => {
                    let mut state = self.reader.rows_begin(index, None);
                    let mut r = Ok(());
                    for earlier in std::mem::take(&mut responses).into_iter().chain([item]) {
                        r = r.and_then(|()| self.reader.rows_push(index, &mut state, earlier));
                    }
                    rows = Some(state);
                    r
                }
            };
            if let Err(e) = result {
                return Err(self.fail(e));
            }
        }
        if let Some(state) = rows {
            self.reader.rows_end(index, state);
            return Ok(());
        }
        if responses.is_empty() {
            return Err(self.fail(format!("an empty JSON array; {EXPECTED}")));
        }
        for item in responses {
            if let Value::Object(map) = item {
                if let Err(e) = self.reader.read_page(index, map) {
                    return Err(self.fail(e));
                }
            }
        }
        Ok(())
    }
}

/// The top-level object.
struct TopSeed<'s, 'r>(&'s mut Stream<'r>);

impl<'de> serde::de::DeserializeSeed<'de> for TopSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for TopSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let st = self.0;
        while let Some(key) = map.next_key::<String>()? {
            if (key == "value" || key == "entities") && st.streamed.is_some() {
                // D33: the second array was filed with the other keys, unread.
                return Err(st.fail(format!(
                    "two rows arrays in one response (a second '{key}'); give each response as it was saved"
                )));
            }
            if (key == "value" || key == "entities") && st.streamed.is_none() {
                if st.ignore {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    st.streamed = Some(None);
                } else {
                    map.next_value_seed(RowsSeed(&mut *st))?;
                }
                continue;
            }
            let value: Value = map.next_value()?;
            if key == "@odata.context" {
                let context = value.as_str().unwrap_or("").to_string();
                match st.reader.context(st.index, &context) {
                    Ok(t) => st.table = t,
                    Err(()) => st.ignore = true,
                }
            }
            st.rest.insert(key, value);
        }
        Ok(())
    }
}

/// The rows array, read one row at a time.
struct RowsSeed<'s, 'r>(&'s mut Stream<'r>);

impl<'de> serde::de::DeserializeSeed<'de> for RowsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RowsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of rows")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let st = self.0;
        let mut rows = st.reader.rows_begin(st.index, st.table);
        while let Some(row) = seq.next_element::<Value>()? {
            if let Err(e) = st.reader.rows_push(st.index, &mut rows, row) {
                return Err(st.fail(e));
            }
        }
        st.streamed = Some(st.reader.rows_end(st.index, rows));
        Ok(())
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<(), E> {
        let message = if is_flattened(s) {
            format!(
                "the rows were flattened to the text \"{}\" by PowerShell's ConvertTo-Json (default depth 2); export again with ConvertTo-Json -Depth 5",
                short(s)
            )
        } else {
            format!("\"value\" is a JSON string, not an array of rows; {EXPECTED}")
        };
        Err(self.0.fail(message))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.0.fail(format!(
            "\"value\" is a JSON object, not an array of rows; {EXPECTED}"
        )))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.0.fail(format!(
            "\"value\" is a JSON boolean, not an array of rows; {EXPECTED}"
        )))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.0.fail(format!(
            "\"value\" is a JSON number, not an array of rows; {EXPECTED}"
        )))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.0.fail(format!(
            "\"value\" is a JSON number, not an array of rows; {EXPECTED}"
        )))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.0.fail(format!(
            "\"value\" is a JSON number, not an array of rows; {EXPECTED}"
        )))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(self.0.fail(format!(
            "\"value\" is a JSON null, not an array of rows; {EXPECTED}"
        )))
    }
}

/// The name shown for a record: the first non-empty of `names`, else its
/// id, else its row number.
fn display(names: &[&Option<String>], id: &str, n: usize) -> String {
    names
        .iter()
        .filter_map(|s| s.as_deref())
        .map(str::trim)
        .find(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| {
            if id.is_empty() {
                format!("row {}", n + 1)
            } else {
                id.to_string()
            }
        })
}

/// The columns a CMT entity exported: its schema's (borrowed, not copied
/// per entity element: D3) and any seen on one of its records.
#[derive(Debug)]
struct Exported<'e> {
    schema: Option<&'e BTreeSet<String>>,
    seen: BTreeSet<&'e str>,
}

impl Exported<'_> {
    fn contains(&self, col: &str) -> bool {
        self.seen.contains(col) || self.schema.is_some_and(|s| s.contains(col))
    }
}

/// N:N links and user counts of a CMT record (from its entity's
/// m2mrelationships).
#[derive(Debug)]
struct XmlLinks<'e> {
    exported: &'e Exported<'e>,
    providers: Option<Vec<Link>>,
    users: Option<usize>,
}

/// Where a record's values come from.
enum Source<'a> {
    Json(&'a Map<String, Value>),
    Xml(&'a BTreeMap<&'a str, &'a str>, XmlLinks<'a>),
}

/// Reads typed columns of one record, collecting type errors.
struct Fields<'s, 'a> {
    src: &'s Source<'a>,
    errors: Vec<String>,
    flattened: Vec<String>,
}

impl Fields<'_, '_> {
    fn wrong(&mut self, col: &str, expected: &str, found: &Value) {
        self.errors.push(format!(
            "{col} holds {}, expected {expected}; the rules that read {col} skip this record",
            describe(found)
        ));
    }

    fn text(&mut self, col: &str) -> Option<String> {
        match self.src {
            Source::Json(map) => match map.get(col)? {
                Value::String(s) => Some(s.clone()),
                Value::Null => Some(String::new()),
                other => {
                    let other = other.clone();
                    self.wrong(col, "text", &other);
                    None
                }
            },
            Source::Xml(fields, extra) => fields
                .get(col)
                .map(|s| s.to_string())
                .or_else(|| extra.exported.contains(col).then(String::new)),
        }
    }

    fn int(&mut self, col: &str) -> Option<i64> {
        match self.src {
            Source::Json(map) => match map.get(col)? {
                Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
                Value::Null => None,
                other => {
                    let other = other.clone();
                    self.wrong(col, "a whole number", &other);
                    None
                }
            },
            Source::Xml(fields, _) => {
                let s = fields.get(col)?;
                match s.trim().parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        self.wrong(col, "a whole number", &Value::String(s.to_string()));
                        None
                    }
                }
            }
        }
    }

    fn boolean(&mut self, col: &str) -> Option<bool> {
        match self.src {
            Source::Json(map) => match map.get(col)? {
                Value::Bool(b) => Some(*b),
                Value::Null => None,
                other => {
                    let other = other.clone();
                    self.wrong(col, "true or false", &other);
                    None
                }
            },
            Source::Xml(fields, _) => {
                let s = fields.get(col)?;
                match s.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => Some(true),
                    "false" | "0" => Some(false),
                    _ => {
                        self.wrong(col, "True or False", &Value::String(s.to_string()));
                        None
                    }
                }
            }
        }
    }

    /// An expanded N:N collection (JSON), or the CMT links.
    fn nav(&mut self, col: &str) -> Option<Vec<Map<String, Value>>> {
        let Source::Json(map) = self.src else {
            return None;
        };
        match map.get(col)? {
            Value::Array(items) => {
                let mut rows = Vec::new();
                for item in items {
                    match item {
                        Value::Object(m) => rows.push(m.clone()),
                        Value::String(s) if is_flattened(s) => {
                            self.flat(col, s);
                            return None;
                        }
                        other => {
                            let other = other.clone();
                            self.wrong(col, "an array of objects", &other);
                            return None;
                        }
                    }
                }
                Some(rows)
            }
            Value::String(s) if is_flattened(s) => {
                let s = s.clone();
                self.flat(col, &s);
                None
            }
            Value::Null => Some(Vec::new()),
            other => {
                let other = other.clone();
                self.wrong(col, "an array of objects", &other);
                None
            }
        }
    }

    fn flat(&mut self, col: &str, s: &str) {
        self.flattened.push(format!(
            "{col} holds the text \"{}\": PowerShell's ConvertTo-Json flattened the nested values (default depth 2), so the links cannot be read",
            short(s)
        ));
    }

    fn links(&mut self, col: &str, other: Table) -> Option<Vec<Link>> {
        if let Source::Xml(_, extra) = self.src {
            return extra.providers.clone();
        }
        let rows = self.nav(col)?;
        Some(
            rows.iter()
                .map(|m| Link {
                    id: m.get(other.primary_id()).and_then(Value::as_str).map(guid),
                    unique_name: m
                        .get("msdyn_uniquename")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    state: m.get("statecode").and_then(Value::as_i64),
                })
                .collect(),
        )
    }

    fn user_count(&mut self, col: &str) -> Option<usize> {
        if let Source::Xml(_, extra) = self.src {
            return extra.users;
        }
        self.nav(col).map(|rows| rows.len())
    }
}

/// The table a row belongs to, from its columns.
fn table_from_columns(row: &Map<String, Value>) -> Option<Table> {
    if let Some(t) = Table::ALL
        .into_iter()
        .find(|t| row.contains_key(t.primary_id()))
    {
        return Some(t);
    }
    let has = |cols: &[&str]| cols.iter().any(|c| row.contains_key(*c));
    if has(&[
        "msdyn_landingurl",
        "msdyn_ciproviderapiversion",
        "msdyn_appselector",
        "msdyn_clicktoact",
    ]) {
        Some(Table::V1Provider)
    } else if has(&[
        "msdyn_channelurl",
        "msdyn_apiversion",
        "msdyn_enableoutbound",
    ]) {
        Some(Table::V2Provider)
    } else if has(&["msdyn_appmoduleuniquename", "msdyn_profileorder"]) {
        Some(Table::Profile)
    } else if has(&["_msdyn_appprofileid_value", "_msdyn_securityroleid_value"]) {
        Some(Table::RoleMapping)
    } else {
        None
    }
}

fn is_envelope(v: &Value) -> bool {
    v.as_object().is_some_and(is_envelope_map)
}

fn is_envelope_map(m: &Map<String, Value>) -> bool {
    m.contains_key("value") || m.contains_key("entities")
}

/// A value PowerShell's ConvertTo-Json wrote as text past its depth.
fn is_flattened(s: &str) -> bool {
    let s = s.trim();
    s == "System.Object[]"
        || s.starts_with("System.Collections.")
        || (s.starts_with("@{") && s.ends_with('}'))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the text \"{}\"", short(s)),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("the boolean {b}"),
        other => format!("a JSON {}", kind(other)),
    }
}

/// At most 80 characters of a value, for messages.
pub fn short(s: &str) -> String {
    if s.chars().count() <= 80 {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(77).collect();
        t.push_str("...");
        t
    }
}

/// Whether a file in a folder looks like an export (.json, .xml, .zip).
fn is_export_name(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["json", "xml", "zip"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads a file of at most [`MAX_FILE_BYTES`] (`-` is standard input), with
/// check's own words for what went wrong (the file name is said beside them).
fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    use crate::input::InputError;
    crate::input::read_bytes(path, MAX_FILE_BYTES).map_err(|e| match e {
        InputError::Read { path, reason } if path == "-" => {
            format!("cannot read standard input: {reason}")
        }
        InputError::Read { reason, .. } => format!("cannot read it: {reason}"),
        InputError::Directory { .. } => {
            "a folder with no .json, .xml or .zip file; give the exported files".into()
        }
        InputError::TooLarge { limit, .. } => format!(
            "larger than the {} MiB limit of check; export only the tables and columns check reads (cif-advisor check --queries ORG_URL)",
            limit / (1024 * 1024)
        ),
        InputError::NotUtf8 { .. } => e.to_string(),
    })
}

/// Text from bytes: UTF-8 (with or without a byte-order mark) or UTF-16 LE/BE
/// with a byte-order mark (PowerShell's Out-File).
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    // D32: before UTF-16's FF FE, which UTF-32 LE's FF FE 00 00 starts with.
    if bytes.starts_with(b"\xFF\xFE\x00\x00") || bytes.starts_with(b"\x00\x00\xFE\xFF") {
        return Err("UTF-32 text; save it as UTF-8 (Out-File -Encoding utf8)".into());
    }
    let utf16 = |b: &[u8], le: bool| -> Result<String, String> {
        if !b.len().is_multiple_of(2) {
            return Err(
                "UTF-16 text with an odd number of bytes (cut short?); save it again".into(),
            );
        }
        let units = b.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| format!("invalid UTF-16 text ({e}); save it again as UTF-8"))
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}) and no UTF-16 byte-order mark; save it as UTF-8 (Out-File -Encoding utf8)",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The data.xml (and data_schema.xml, if any) of a CMT zip, within the limits.
fn unzip(bytes: Vec<u8>) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
    // D26: refused before the whole central directory is indexed.
    if let Some(n) = declared_entries(&bytes).filter(|n| *n > MAX_ZIP_ENTRIES as u64) {
        return Err(format!(
            "a zip with {n} entries, more than the {MAX_ZIP_ENTRIES} check accepts (a Configuration Migration zip has three)"
        ));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable zip ({e}); {EXPECTED}"))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(format!(
            "a zip with {} entries, more than the {MAX_ZIP_ENTRIES} check accepts (a Configuration Migration zip has three)",
            zip.len()
        ));
    }
    let mut total: u64 = 0;
    let mut data: Option<(usize, String)> = None;
    let mut schema: Option<(usize, String)> = None;
    let mut solution = false;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| format!("a damaged zip ({e})"))?;
        total = total.saturating_add(entry.size());
        if entry.size() > MAX_FILE_BYTES || total > MAX_FILE_BYTES {
            return Err(format!(
                "the zip unpacks to more than the {} MiB limit (entry '{}'); refused as a possible zip bomb",
                MAX_FILE_BYTES / (1024 * 1024),
                short(entry.name())
            ));
        }
        let name = entry
            .name()
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if name == "data.xml" || name == "data_schema.xml" {
            let slot = if name == "data.xml" {
                &mut data
            } else {
                &mut schema
            };
            if let Some((_, first)) = slot {
                // D23: the last one was read and the first ignored.
                return Err(format!(
                    "a zip with two {name} entries ('{}' and '{}'); give one export per zip",
                    short(first),
                    short(entry.name())
                ));
            }
            // D27: say what to do, not "a damaged zip".
            if entry.encrypted() {
                return Err(format!(
                    "{name} is encrypted; export the data zip without a password"
                ));
            }
            if !matches!(
                entry.compression(),
                zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
            ) {
                return Err(format!(
                    "{name} is compressed with {}, which check does not read; zip it again with deflate (the default of most zip tools)",
                    entry.compression()
                ));
            }
            *slot = Some((i, entry.name().to_string()));
        } else if name == "solution.xml" || name == "customizations.xml" {
            solution = true;
        }
    }
    let Some(data) = data else {
        if solution {
            return Err(SOLUTION.into());
        }
        return Err("a zip without data.xml; give the Configuration Migration tool's data zip (data.xml, data_schema.xml)".into());
    };
    // One budget for the bytes actually unpacked, whatever the headers
    // declare (D24: each entry had its own).
    let mut budget = MAX_FILE_BYTES;
    let mut read = |i: usize| -> Result<Vec<u8>, String> {
        let entry = zip
            .by_index(i)
            .map_err(|e| format!("a damaged zip ({e})"))?;
        let mut out = Vec::new();
        entry
            .take(budget + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("a damaged zip entry ({e})"))?;
        if out.len() as u64 > budget {
            return Err(format!(
                "the zip unpacks to more than the {} MiB limit; refused as a possible zip bomb",
                MAX_FILE_BYTES / (1024 * 1024)
            ));
        }
        budget -= out.len() as u64;
        Ok(out)
    };
    let data_bytes = read(data.0)?;
    let schema_bytes = match schema {
        Some((i, _)) => Some(read(i)?),
        None => None,
    };
    Ok((data_bytes, schema_bytes))
}

/// Counts the attributes of each start tag and the namespace declarations
/// of the whole text in one pass, before the parser (whose cost is
/// quadratic in both) sees it: over [`MAX_XML_ATTRIBUTES`] on one element
/// or [`MAX_XML_NAMESPACES`] in all, the file is refused.
fn xml_prescan(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    let line = |at: usize| memchr::memchr_iter(b'\n', &b[..at.min(b.len())]).count() + 1;
    let skip_to = |from: usize, end: &[u8]| {
        memchr::memmem::find(&b[from..], end).map_or(b.len(), |p| from + p + end.len())
    };
    let mut namespaces = 0usize;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let start = i + p;
        let rest = &b[start + 1..];
        if rest.starts_with(b"!--") {
            i = skip_to(start + 4, b"-->");
            continue;
        }
        if rest.starts_with(b"![CDATA[") {
            i = skip_to(start + 9, b"]]>");
            continue;
        }
        if rest.starts_with(b"?") {
            i = skip_to(start + 2, b"?>");
            continue;
        }
        if rest.starts_with(b"!") || rest.starts_with(b"/") {
            i = skip_to(start + 1, b">");
            continue;
        }
        // A start tag: '=' outside quotes ends an attribute name.
        let mut attributes = 0usize;
        let mut quote = None;
        let mut j = start + 1;
        while j < b.len() {
            let c = b[j];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    b'"' | b'\'' => quote = Some(c),
                    b'>' => break,
                    b'=' => {
                        attributes += 1;
                        if attributes > MAX_XML_ATTRIBUTES {
                            return Err(format!(
                                "an XML element with more than {MAX_XML_ATTRIBUTES} attributes at line {}; refused (a Configuration Migration data.xml has fewer than ten per element)",
                                line(start)
                            ));
                        }
                        let name_end = b[..j]
                            .iter()
                            .rposition(|c| !c.is_ascii_whitespace())
                            .map_or(0, |e| e + 1);
                        let name_start = b[..name_end]
                            .iter()
                            .rposition(|c| c.is_ascii_whitespace() || b"<=\"'".contains(c))
                            .map_or(0, |s| s + 1);
                        let name = &b[name_start..name_end];
                        if name == b"xmlns" || name.starts_with(b"xmlns:") {
                            namespaces += 1;
                            if namespaces > MAX_XML_NAMESPACES {
                                return Err(format!(
                                    "more than {MAX_XML_NAMESPACES} XML namespace declarations (xmlns), the last at line {}; refused (a Configuration Migration data.xml declares two)",
                                    line(start)
                                ));
                            }
                        }
                    }
                    _ => {}
                },
            }
            j += 1;
        }
        i = j;
    }
    Ok(())
}

/// The number of entries a zip's end-of-central-directory record declares
/// (its zip64 record's when the count is 0xFFFF), or `None` when it cannot
/// be found; the zip reader checks the rest.
fn declared_entries(b: &[u8]) -> Option<u64> {
    let from = b.len().saturating_sub(22 + 65_535);
    let pos = memchr::memmem::rfind(&b[from..], b"PK\x05\x06")? + from;
    let eocd = b.get(pos..pos + 22)?;
    let n = u64::from(u16::from_le_bytes([eocd[10], eocd[11]]));
    if n != 0xFFFF {
        return Some(n);
    }
    let locator = b.get(pos.checked_sub(20)?..pos)?;
    if &locator[..4] != b"PK\x06\x07" {
        return Some(n);
    }
    let at = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let record = b.get(at..at.checked_add(56)?)?;
    if &record[..4] != b"PK\x06\x06" {
        return Some(n);
    }
    Some(u64::from_le_bytes(record[32..40].try_into().ok()?))
}

fn parse_xml(text: &str) -> Result<roxmltree::Document<'_>, String> {
    xml_prescan(text)?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => "XML with a DTD (<!DOCTYPE ...>) is refused: check reads no DTD, so no external entity is fetched and no entity is expanded; a Configuration Migration data.xml has none".to_string(),
        roxmltree::Error::NodesLimitReached => format!("XML with more than {MAX_XML_NODES} nodes; refused"),
        other => format!("not valid XML ({other}); {EXPECTED}"),
    })
}

/// The N:N relationships a data_schema.xml declares: (entity, relationship).
/// What a data_schema.xml declares: (entity, N:N relationship) and (entity, field).
#[derive(Debug, Default)]
struct Schema {
    /// Entity -> its N:N relationships.
    relationships: HashMap<String, BTreeSet<String>>,
    /// Entity -> its fields, grouped once (D3).
    fields: HashMap<String, BTreeSet<String>>,
}

fn schema_relationships(text: &str) -> Result<Schema, String> {
    let doc = parse_xml(text).map_err(|e| format!("data_schema.xml: {e}"))?;
    let mut out = Schema::default();
    for entity in doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("entity"))
    {
        let name = entity.attribute("name").unwrap_or("").to_string();
        for rel in entity
            .descendants()
            .filter(|n| n.has_tag_name("relationship"))
        {
            if let Some(r) = rel.attribute("name") {
                out.relationships
                    .entry(name.clone())
                    .or_default()
                    .insert(r.to_string());
            }
        }
        for field in entity
            .children()
            .filter(|n| n.has_tag_name("fields"))
            .flat_map(|n| n.children())
            .filter(|n| n.has_tag_name("field"))
        {
            if let Some(f) = field.attribute("name") {
                out.fields
                    .entry(name.clone())
                    .or_default()
                    .insert(f.to_string());
            }
        }
    }
    Ok(out)
}
