//! Web API JSON: a response page (streamed row by row), a top-level array, or Xrm.WebApi output.

use super::*;

impl Reader {
    /// A response object, its rows read one at a time (so a large page is
    /// never held whole; other keys are kept), or a top-level array, read
    /// one item at a time (D10: it was parsed whole).
    pub(super) fn read_json(&mut self, index: usize, text: &str) -> Result<(), ReadError> {
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
        let result = serde::Deserializer::deserialize_any(&mut de, TopSeed(&mut state))
            .and_then(|()| de.end());
        let (rest, streamed, ignore) = (state.rest, state.streamed, state.ignore);
        // Our own sentence of why the file cannot be read, else serde's.
        result.map_err(|e| state.failure.unwrap_or_else(|| ReadError::json(e)))?;
        match streamed {
            Some(Some(t)) if has_next_link(&rest) => self.files[index].next_link.push(t),
            Some(_) => {}
            // A table check does not read (said once, as X05).
            None if ignore => {}
            // A bundle keyed by name: {"msdyn_ciproviders": {"value": [...]}, ...}.
            None if !rest.is_empty() && rest.values().all(is_envelope) => {
                return self.read_pages(index, rest.into_values().collect())
            }
            None => return self.read_page(index, rest),
        }
        Ok(())
    }

    /// The table named by `@odata.context` (and the org it holds); `Err(())`
    /// when it names a table check does not read (reported as X05).
    fn context(&mut self, index: usize, context: &str) -> Result<Option<Table>, ()> {
        let org = context.split_once("/api/data/").map(|(org, _)| org);
        if let Some(org) = org.filter(|org| org.contains("://")) {
            let org = || org.trim_end_matches('/').to_ascii_lowercase();
            self.files[index].org.get_or_insert_with(org);
        }
        let Some(rest) = context.split("$metadata#").nth(1) else {
            return Ok(None);
        };
        let set = rest.split(['(', '/', '?']).next().unwrap_or("");
        if let Some(t) = Table::ALL.into_iter().find(|t| t.entity_set() == set) {
            return Ok(Some(t));
        }
        let set = short(set);
        let m = format!("the rows are of '{set}', a table check does not read; ignored");
        self.issue(Case::X05OtherTable, None, Some(index), m);
        Err(())
    }

    fn read_page(&mut self, index: usize, mut map: Map<String, Value>) -> Result<(), ReadError> {
        let context = map.get("@odata.context").and_then(Value::as_str);
        let context = context.unwrap_or("").to_string();
        let mut next = has_next_link(&map);
        let rows = match map.remove("value").or_else(|| map.remove("entities")) {
            Some(Value::Array(rows)) => rows,
            Some(Value::String(s)) if is_flattened(&s) => {
                return Err(ReadError::FlattenedValue(short(&s)))
            }
            Some(other) => return Err(ReadError::ValueKind(kind(&other))),
            // One record (GET .../msdyn_channelproviders(id)): the row itself.
            None if context.ends_with("/$entity") || table_from_columns(&map).is_some() => {
                next = false;
                vec![Value::Object(map)]
            }
            None => return Err(ReadError::NoRows),
        };
        let Ok(table) = self.context(index, &context) else {
            return Ok(());
        };
        let mut state = self.rows_begin(index, table);
        for row in rows {
            self.rows_push(index, &mut state, row)?;
        }
        if let (true, Some(t)) = (next, self.rows_end(index, state)) {
            self.files[index].next_link.push(t);
        }
        Ok(())
    }

    /// The responses of a bundle (each one an object: [`is_envelope`]).
    fn read_pages(&mut self, index: usize, pages: Vec<Value>) -> Result<(), ReadError> {
        for page in pages {
            if let Value::Object(map) = page {
                self.read_page(index, map)?;
            }
        }
        Ok(())
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
    fn rows_push(&mut self, index: usize, state: &mut Rows, row: Value) -> Result<(), ReadError> {
        if let Some(s) = row.as_str().filter(|s| is_flattened(s)) {
            return Err(ReadError::FlattenedRows(short(s)));
        }
        let Some(table) = state
            .table
            .or_else(|| row.as_object().and_then(table_from_columns))
        else {
            match state.pending.last_mut() {
                Some((last, n)) if !row.is_object() && kind(last) == kind(&row) => *n += 1,
                _ => state.pending.push((row, 1)),
            }
            return Ok(());
        };
        if state.table.is_none() {
            state.table = Some(table);
            self.note_table(index, table);
            for (earlier, count) in std::mem::take(&mut state.pending) {
                for _ in 1..count {
                    self.other_row(index, table, state.n, kind(&earlier));
                    state.n += 1;
                }
                self.row(index, table, &mut state.n, earlier);
            }
        }
        self.row(index, table, &mut state.n, row);
        self.records_kept()
    }

    fn rows_end(&mut self, index: usize, state: Rows) -> Option<Table> {
        if state.table.is_none() && !state.pending.is_empty() {
            let m = "the rows have none of the columns of the tables check reads; ignored";
            self.issue(Case::X05OtherTable, None, Some(index), m.into());
        }
        state.table
    }

    /// Row `n`, counted.
    fn row(&mut self, index: usize, table: Table, n: &mut usize, row: Value) {
        match row {
            Value::Object(map) => {
                let id = map.get(table.primary_id()).and_then(Value::as_str);
                self.read_record(index, table, id.map(guid), *n, &Source::Json(&map));
            }
            other => self.other_row(index, table, *n, kind(&other)),
        }
        *n += 1;
    }

    /// A row that is no object (X01).
    fn other_row(&mut self, index: usize, table: Table, n: usize, kind: &str) {
        let r = RecordRef {
            table,
            name: format!("row {}", n + 1),
            id: String::new(),
            file: index,
        };
        let m = format!("the row is a JSON {kind}, not an object; it is skipped");
        self.issue(Case::X01WrongType, Some(r), None, m);
    }

    pub(super) fn note_table(&mut self, index: usize, table: Table) {
        self.config.given.insert(table);
        if !self.files[index].tables.contains(&table) {
            self.files[index].tables.push(table);
        }
    }
}

/// Rows being read: the table once known, rows waiting for it, the count.
/// Rows read before their table is known wait whole, but a run of rows
/// that are no object is one entry, its first and a count (D10: 60 MB of
/// `0` rows were kept as 30 million values).
pub(super) struct Rows {
    table: Option<Table>,
    pending: Vec<(Value, usize)>,
    n: usize,
}

/// The state of a streamed response object or top-level array.
pub(super) struct Stream<'r> {
    reader: &'r mut Reader,
    index: usize,
    /// Why the file cannot be read (a sentence of ours, not serde's).
    failure: Option<ReadError>,
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
    /// Keeps why the file cannot be read, for serde to stop with.
    pub(super) fn fail<E: serde::de::Error>(&mut self, e: ReadError) -> E {
        let message = e.to_string();
        self.failure = Some(e);
        E::custom(message)
    }
}

/// The top-level object or array.
pub(super) struct TopSeed<'s, 'r>(&'s mut Stream<'r>);

impl<'de> serde::de::Visitor<'de> for TopSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object or array")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let st = self.0;
        while let Some(key) = map.next_key::<String>()? {
            if key == "value" || key == "entities" {
                if st.streamed.is_some() {
                    // D33: the second array was filed with the other keys, unread.
                    return Err(st.fail(ReadError::TwoRowsArrays(key)));
                }
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
                match st.reader.context(st.index, value.as_str().unwrap_or("")) {
                    Ok(t) => st.table = t,
                    Err(()) => st.ignore = true,
                }
            }
            st.rest.insert(key, value);
        }
        Ok(())
    }
    /// Responses (a bundle) while every item is one, else rows without the
    /// envelope (`$r.value | ConvertTo-Json`).
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let st = self.0;
        let (reader, index) = (&mut *st.reader, st.index);
        // Nothing is left to read once the array is.
        st.streamed = Some(None);
        // Responses, held until an item that is none (they are few).
        let mut responses: Vec<Value> = Vec::new();
        let mut rows: Option<Rows> = None;
        while let Some(item) = seq.next_element::<Value>()? {
            if rows.is_none() && is_envelope(&item) {
                responses.push(item);
                continue;
            }
            // From the first item that is none on, all are rows.
            let state = rows.get_or_insert_with(|| reader.rows_begin(index, None));
            let mut items = std::mem::take(&mut responses).into_iter().chain([item]);
            if let Err(e) = items.try_for_each(|row| reader.rows_push(index, state, row)) {
                return Err(st.fail(e));
            }
        }
        if let Some(state) = rows {
            reader.rows_end(index, state);
            return Ok(());
        }
        if responses.is_empty() {
            return Err(st.fail(ReadError::EmptyArray));
        }
        reader.read_pages(index, responses).map_err(|e| st.fail(e))
    }
}

/// Visits of a value that is no array of rows: the file is refused, with
/// the value's kind.
macro_rules! refuse {
    ($($visit:ident($($t:ty)?) $kind:literal),*) => {$(
        fn $visit<E: serde::de::Error>(self, $(_: $t)?) -> Result<(), E> {
            Err(self.0.fail(ReadError::ValueKind($kind)))
        }
    )*};
}

/// The rows array, read one row at a time.
pub(super) struct RowsSeed<'s, 'r>(&'s mut Stream<'r>);

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
        let e = if is_flattened(s) {
            ReadError::FlattenedValue(short(s))
        } else {
            ReadError::ValueKind("string")
        };
        Err(self.0.fail(e))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.0.fail(ReadError::ValueKind("object")))
    }
    refuse!(visit_bool(bool) "boolean", visit_i64(i64) "number", visit_u64(u64) "number",
        visit_f64(f64) "number", visit_unit() "null");
}

/// The table a row belongs to, from its columns.
pub(super) fn table_from_columns(row: &Map<String, Value>) -> Option<Table> {
    let has = |cols: &[&str]| cols.iter().any(|c| row.contains_key(*c));
    if let Some(t) = Table::ALL.into_iter().find(|t| has(&[t.primary_id()])) {
        return Some(t);
    }
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

pub(super) fn is_envelope(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.contains_key("value") || m.contains_key("entities"))
}

/// Whether a response says it has more pages.
fn has_next_link(map: &Map<String, Value>) -> bool {
    ["@odata.nextLink", "nextLink"]
        .iter()
        .any(|k| map.get(*k).is_some_and(|v| !v.is_null()))
}

/// A value PowerShell's ConvertTo-Json wrote as text past its depth.
pub(super) fn is_flattened(s: &str) -> bool {
    let s = s.trim();
    s == "System.Object[]"
        || s.starts_with("System.Collections.")
        || (s.starts_with("@{") && s.ends_with('}'))
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the text \"{}\"", short(s)),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("the boolean {b}"),
        other => format!("a JSON {}", kind(other)),
    }
}
