//! `Requirements`: what the user needs, as one plain value built from flags,
//! a requirements file, the interactive prompts or a batch line. Values are
//! stored as indices into the matrix, so checking them is cheap.

use crate::matrix::{Dimension, DimensionKind, Matrix, Scope};
use crate::yaml::YamlError;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// One stated requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value {
    /// A set of value indices (bit i = the dimension's value i; for `apps`,
    /// app i; for a flag, bit 0 = needed). A `choice` has exactly one bit.
    Set(u64),
    /// A number (>= 1) for a `count` dimension.
    Count(u32),
}

/// The stated requirements, one slot per matrix dimension (None = not stated).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Requirements {
    pub values: Vec<Option<Value>>,
    /// Dimensions left open on purpose (bit i = dimension i: `--skip`, a
    /// requirements file's `skipped`, "no preference" in the interactive
    /// advisor): listed as skipped, not as unanswered. A stated dimension is
    /// never skipped.
    pub skipped: u64,
}

impl Requirements {
    /// No requirement stated.
    pub fn empty(matrix: &Matrix) -> Self {
        let values = vec![None; matrix.dimensions.len()];
        Requirements { values, skipped: 0 }
    }

    /// Marks `dim` as left open on purpose (its value, if any, is dropped).
    pub fn skip(&mut self, dim: usize) {
        self.values[dim] = None;
        self.skipped |= 1 << dim;
    }

    /// Whether `dim` was left open on purpose.
    pub fn is_skipped(&self, dim: usize) -> bool {
        self.skipped & (1 << dim) != 0 && self.values.get(dim).is_some_and(Option::is_none)
    }

    /// Whether `dim` is stated or left open on purpose.
    pub fn is_answered(&self, dim: usize) -> bool {
        self.values[dim].is_some() || self.is_skipped(dim)
    }

    /// The dimensions left open on purpose, by index.
    pub fn skipped_dims(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.values.len()).filter(|&d| self.is_skipped(d))
    }

    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    /// The stated dimensions, by index.
    pub fn stated(&self) -> impl Iterator<Item = (usize, Value)> + '_ {
        let stated = |(i, v): (usize, &Option<Value>)| v.map(|v| (i, v));
        self.values.iter().enumerate().filter_map(stated)
    }

    /// Overrides this value's stated keys with `other`'s (flags over a file).
    pub fn overlay(&mut self, other: &Requirements) {
        for (dim, (slot, value)) in self.values.iter_mut().zip(&other.values).enumerate() {
            if value.is_some() {
                *slot = *value;
                self.skipped &= !(1 << dim);
            } else if other.skipped & (1 << dim) != 0 {
                *slot = None;
                self.skipped |= 1 << dim;
            }
        }
    }
}

/// An unknown value for a dimension, with the valid ones and the nearest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value '{value}' for {key}{} (valid: {})", did_you_mean(.suggestion.as_deref()), .valid.join(", "))]
pub struct UnknownValue {
    pub key: String,
    pub value: String,
    pub valid: Vec<String>,
    pub suggestion: Option<String>,
}

/// "; did you mean 'x'?" when there is a suggestion.
fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map_or(String::new(), |s| format!("; did you mean '{s}'?"))
}

/// The spellings the matrix accepts: dimension keys and, per dimension, the
/// lower-cased ids, aliases and names of its values. The spelling tables are
/// built on first use (a command usually resolves canonical ids only).
#[derive(Debug, Clone)]
pub struct Lexicon<'m> {
    matrix: &'m Matrix,
    keys: Vec<String>,
    spellings: Vec<std::sync::OnceLock<HashMap<String, u8>>>,
    canonical: Vec<Vec<String>>,
}

impl<'m> Lexicon<'m> {
    pub fn new(matrix: &'m Matrix) -> Self {
        let canonical = matrix
            .dimensions
            .iter()
            .map(|d| values(matrix, d).into_iter().map(|v| v.0.clone()).collect())
            .collect();
        Lexicon {
            matrix,
            keys: matrix.dimensions.iter().map(|d| d.key.clone()).collect(),
            spellings: vec![std::sync::OnceLock::new(); matrix.dimensions.len()],
            canonical,
        }
    }

    /// The lower-cased spellings of a dimension's values (built once).
    fn spellings(&self, dim: usize) -> &HashMap<String, u8> {
        self.spellings[dim].get_or_init(|| {
            let values = values(self.matrix, &self.matrix.dimensions[dim]);
            let mut map = HashMap::new();
            for (i, (id, others)) in values.into_iter().enumerate() {
                for spelling in std::iter::once(id).chain(others) {
                    map.insert(spelling.to_lowercase(), i as u8);
                }
            }
            map
        })
    }

    pub fn dimension_index(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }

    /// Whether `key` is a property of the whole organisation (scope `org`):
    /// stated at the top of a requirements file, never in a team.
    pub fn is_org_key(&self, key: &str) -> bool {
        self.dimension_index(key)
            .is_some_and(|d| self.matrix.dimensions[d].scope == Scope::Org)
    }

    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    pub fn kind(&self, dim: usize) -> DimensionKind {
        self.matrix.dimensions[dim].kind
    }

    /// Canonical value ids of a dimension (app ids for `apps`).
    pub fn value_ids(&self, dim: usize) -> &[String] {
        &self.canonical[dim]
    }

    /// Resolves a value spelling (id, alias or name, any case) to its index.
    pub fn resolve(&self, dim: usize, raw: &str) -> Result<u8, UnknownValue> {
        let trimmed = raw.trim_ascii();
        // Fast path: the canonical id, as batch files usually give it.
        if let Some(i) = self.canonical[dim].iter().position(|id| id == trimmed) {
            return Ok(i as u8);
        }
        let lower = trimmed
            .bytes()
            .all(|b| !b.is_ascii_uppercase() && b.is_ascii());
        let map = self.spellings(dim);
        let found = if lower {
            map.get(trimmed)
        } else {
            map.get(&trimmed.trim().to_lowercase())
        };
        found.copied().ok_or_else(|| self.unknown(dim, raw))
    }

    fn unknown(&self, dim: usize, raw: &str) -> UnknownValue {
        let lower = raw.trim().to_lowercase();
        let suggestion = self
            .spellings(dim)
            .iter()
            .filter_map(|(s, i)| slip_distance(&lower, s).map(|d| (d, *i, s)))
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(b.2)))
            .map(|(_, i, _)| self.canonical[dim][i as usize].clone());
        UnknownValue {
            key: self.keys[dim].clone(),
            value: raw.to_string(),
            valid: self.canonical[dim].clone(),
            suggestion,
        }
    }

    /// The nearest dimension key to an unknown one.
    pub fn suggest_key(&self, raw: &str) -> Option<&str> {
        let len = raw.chars().count();
        self.keys
            .iter()
            .map(|k| (similarity(raw, len, k), k))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k.as_str())
    }

    /// Builds a value for `dim` from value spellings (choice: exactly one).
    pub fn set_of<'s>(
        &self,
        dim: usize,
        raws: impl IntoIterator<Item = &'s str>,
    ) -> Result<Option<Value>, UnknownValue> {
        let mut mask = 0u64;
        for raw in raws {
            mask |= 1u64 << self.resolve(dim, raw)?;
        }
        Ok((mask != 0).then_some(Value::Set(mask)))
    }
}

/// The values of dimension `d` (the apps, for `apps`): each one's id, and
/// its other spellings (its aliases; an app's name too).
fn values<'a>(matrix: &'a Matrix, d: &'a Dimension) -> Vec<(&'a String, Vec<&'a String>)> {
    let value = |id, name: Option<&'a String>, aliases: &'a [String]| {
        (id, name.into_iter().chain(aliases).collect())
    };
    match d.kind {
        DimensionKind::Apps => matrix
            .apps
            .iter()
            .map(|a| value(&a.id, Some(&a.name), &a.aliases))
            .collect(),
        DimensionKind::Choice | DimensionKind::Multi => d
            .values
            .iter()
            .map(|c| value(&c.id, None, &c.aliases))
            .collect(),
        DimensionKind::Flag | DimensionKind::Count => Vec::new(),
    }
}

/// The edit distance (with transpositions) from a typed value to a known
/// spelling, when the value is a spelling slip of it: at most one edit for
/// values of up to five characters, two for longer ones. A different product
/// or cloud ("gcc-h" for "gcc", "project operations" for "project-service")
/// is further away than that, so it is never "corrected" into its neighbour.
fn slip_distance(typed: &str, known: &str) -> Option<usize> {
    let (a, b) = (typed.chars().count(), known.chars().count());
    // A longer name that starts with a known one ("gcch", "gcc-high") names
    // something more specific, not a slip of it.
    if a.abs_diff(b) > 2 || a == 0 || (a > b && typed.starts_with(known)) {
        return None;
    }
    let limit = if a.min(b) <= 5 { 1 } else { 2 };
    let d = strsim::osa_distance(typed, known);
    (d <= limit).then_some(d)
}

/// Jaro-Winkler similarity of `a` (`a_len` characters) and `b`; 0 without
/// comparing when one is ten or more times longer than the other: such a
/// pair scores at most 0.7 (below the 0.8 a suggestion needs), and comparing
/// a megabyte-long value with every spelling would take seconds.
fn similarity(a: &str, a_len: usize, b: &str) -> f64 {
    let b_len = b.chars().count();
    if a_len >= 10 * b_len.max(1) || b_len >= 10 * a_len.max(1) {
        0.0
    } else {
        strsim::jaro_winkler(a, b)
    }
}

/// The largest count a requirement takes (`--providers`, a batch line's
/// `providers`): anything larger is a mistake, not an organisation.
pub const MAX_COUNT: u64 = 1_000_000;

/// A count as a person types it (`--providers 2`, the advisor's answer): a
/// whole number from 1 to `MAX_COUNT`, spaces around it allowed.
pub fn parse_count(raw: &str) -> Option<u32> {
    let n = raw.trim().parse::<u64>().ok()?;
    (1..=MAX_COUNT).contains(&n).then_some(n as u32)
}

/// A batch line's optional `id`, kept as JSON text, and written back as
/// given (a number as written).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum LineId<'a> {
    Str(Cow<'a, str>),
    /// A number of a batch line, as written (no rounding, any length).
    Number(#[serde(serialize_with = "as_written")] &'a str),
    Bool(bool),
    Null,
}

/// A number as written (a string, should it not be a JSON number).
fn as_written<S: serde::Serializer>(text: &&str, s: S) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    match serde_json::value::RawValue::from_string(text.to_string()) {
        Ok(raw) => raw.serialize(s),
        Err(_) => s.serialize_str(text),
    }
}

/// A visitor that is its own seed: as a `DeserializeSeed`, it asks the
/// deserializer for what `$ask` names (`deserialize_map`, ...).
macro_rules! self_seed {
    ($($seed:ty => $ask:ident),* $(,)?) => {$(
        impl<'de> serde::de::DeserializeSeed<'de> for $seed {
            type Value = <Self as serde::de::Visitor<'de>>::Value;
            fn deserialize<D>(self, d: D) -> Result<Self::Value, D::Error>
            where
                D: serde::de::Deserializer<'de>,
            {
                d.$ask(self)
            }
        }
    )*};
}
pub(crate) use self_seed;

self_seed! {
    RequirementsSeed<'_> => deserialize_map,
    SkippedSeed<'_> => deserialize_any,
    // `key: null` (`key: ~`, or `key:` in YAML) means "not stated" for
    // every kind of key; anything else is read as the kind asks.
    ValueSeed<'_> => deserialize_option,
    StrSeed => deserialize_str,
}

/// Deserialises a requirements object (file, batch line) against the matrix.
/// With `allow_id`, an `id` key is accepted and returned.
pub struct RequirementsSeed<'l> {
    pub lexicon: &'l Lexicon<'l>,
    pub allow_id: bool,
    /// Storage to reuse (its contents are replaced), so a batch allocates once.
    pub buffer: Requirements,
}

impl<'de, 'l> Visitor<'de> for RequirementsSeed<'l> {
    type Value = (Requirements, Option<LineId<'de>>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping of requirement keys (session, apps, providers, ...) to values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut reader = KeyReader::new(self.lexicon, self.allow_id, self.buffer);
        let mut id = None;
        while let Some(key) = map.next_key_seed(StrSeed)? {
            match &*key {
                "id" if self.allow_id && id.is_none() => id = Some(map.next_value_seed(IdSeed)?),
                "id" if self.allow_id => return Err(de::Error::custom("duplicate key 'id'")),
                key => reader.read(key, &mut map)?,
            }
        }
        Ok((reader.finish(), id))
    }
}

/// Reads a requirements mapping one key at a time (the caller reads the
/// keys, and may take some of them itself: a batch line's `id`, `teams`).
pub struct KeyReader<'l> {
    lexicon: &'l Lexicon<'l>,
    /// Whether the mapping may hold `id` (named in the unknown key's message).
    allow_id: bool,
    req: Requirements,
    seen: u64,
    skipped_seen: bool,
}

impl<'l> KeyReader<'l> {
    /// A reader into `buffer` (its contents are replaced).
    pub fn new(lexicon: &'l Lexicon<'l>, allow_id: bool, mut buffer: Requirements) -> Self {
        buffer.values.clear();
        buffer.values.resize(lexicon.keys.len(), None);
        buffer.skipped = 0;
        KeyReader {
            lexicon,
            allow_id,
            req: buffer,
            seen: 0,
            skipped_seen: false,
        }
    }

    /// Reads the value of `key`, the key `map` has just given.
    pub fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let lexicon = self.lexicon;
        // `skipped: [key, ...]`: dimensions left open on purpose (unless
        // the matrix has a dimension of that name).
        if key == SKIPPED_KEY && lexicon.dimension_index(SKIPPED_KEY).is_none() {
            if self.skipped_seen {
                return Err(de::Error::custom("duplicate key 'skipped'"));
            }
            self.skipped_seen = true;
            self.req.skipped = map.next_value_seed(SkippedSeed(lexicon))?;
            return Ok(());
        }
        let Some(dim) = lexicon.dimension_index(key) else {
            let hint = did_you_mean(lexicon.suggest_key(key));
            return Err(de::Error::custom(format!(
                "unknown requirement key '{key}'{hint} (valid: {}{})",
                lexicon.keys.join(", "),
                if self.allow_id { ", id" } else { "" }
            )));
        };
        if self.seen & (1 << dim) != 0 {
            return Err(de::Error::custom(format!("duplicate key '{key}'")));
        }
        self.seen |= 1 << dim;
        self.req.values[dim] = map.next_value_seed(ValueSeed { lexicon, dim })?;
        Ok(())
    }

    /// The requirements read (a dimension both stated and skipped counts as stated).
    pub fn finish(mut self) -> Requirements {
        let stated = self
            .req
            .stated()
            .fold(0u64, |mask, (dim, _)| mask | 1 << dim);
        self.req.skipped &= !stated;
        self.req
    }
}

/// The requirements file's key for the dimensions left open on purpose.
pub const SKIPPED_KEY: &str = "skipped";

/// Reads `skipped`: a list of dimension keys (or one key) into a bit mask.
struct SkippedSeed<'l>(&'l Lexicon<'l>);

impl<'l> SkippedSeed<'l> {
    fn bit<E: de::Error>(&self, key: &str) -> Result<u64, E> {
        match self.0.dimension_index(key.trim()) {
            Some(dim) => Ok(1 << dim),
            None => Err(E::custom(format!(
                "unknown requirement key '{key}' in 'skipped' (valid: {})",
                self.0.keys.join(", ")
            ))),
        }
    }
}

impl<'de, 'l> Visitor<'de> for SkippedSeed<'l> {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let keys = self.0.keys.join(", ");
        write!(f, "a list of requirement keys ({keys}) for 'skipped'")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        self.bit(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<u64, E> {
        Ok(0)
    }
    fn visit_none<E: de::Error>(self) -> Result<u64, E> {
        Ok(0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let mut mask = 0;
        while let Some(key) = seq.next_element_seed(StrSeed)? {
            mask |= self.bit::<A::Error>(&key)?;
        }
        Ok(mask)
    }
}

struct ValueSeed<'l> {
    lexicon: &'l Lexicon<'l>,
    dim: usize,
}

impl<'l> ValueSeed<'l> {
    fn one<E: de::Error>(&self, raw: &str) -> Result<u64, E> {
        self.lexicon
            .resolve(self.dim, raw)
            .map(|i| 1u64 << i)
            .map_err(|e| E::custom(e.to_string()))
    }
}

impl<'de, 'l> Visitor<'de> for ValueSeed<'l> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let key = &self.lexicon.keys[self.dim];
        let ids = self.lexicon.canonical[self.dim].join(", ");
        match self.lexicon.kind(self.dim) {
            DimensionKind::Flag => write!(f, "true or false for '{key}'"),
            DimensionKind::Count => write!(f, "a whole number from 1 to {MAX_COUNT} for '{key}'"),
            DimensionKind::Choice => write!(f, "one of {ids} for '{key}'"),
            DimensionKind::Multi | DimensionKind::Apps => {
                write!(f, "a value or a list of values ({ids}) for '{key}'")
            }
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        match self.lexicon.kind(self.dim) {
            DimensionKind::Flag => Ok(v.then_some(Value::Set(1))),
            _ => Err(E::invalid_type(de::Unexpected::Bool(v), &self)),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match self.lexicon.kind(self.dim) {
            DimensionKind::Count if (1..=MAX_COUNT).contains(&v) => {
                Ok(Some(Value::Count(v as u32)))
            }
            DimensionKind::Count => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
            _ => Err(E::invalid_type(de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match self.lexicon.kind(self.dim) {
            _ if v >= 0 => self.visit_u64(v as u64),
            DimensionKind::Count => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
            _ => Err(E::invalid_type(de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match self.lexicon.kind(self.dim) {
            DimensionKind::Choice | DimensionKind::Multi | DimensionKind::Apps => {
                if memchr::memchr(b',', v.as_bytes()).is_none() {
                    return self.one::<E>(v).map(|bit| Some(Value::Set(bit)));
                }
                let (mut mask, choice) = (0, self.lexicon.kind(self.dim) == DimensionKind::Choice);
                // A single string may be a comma list, as on the command line
                // (empty items skipped, but for a choice).
                for part in v.split(',').filter(|p| choice || !p.trim().is_empty()) {
                    mask |= self.one::<E>(part)?;
                }
                if choice && mask.count_ones() > 1 {
                    return Err(E::invalid_value(de::Unexpected::Other("a list"), &self));
                }
                Ok((mask != 0).then_some(Value::Set(mask)))
            }
            _ => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
        }
    }

    /// A stated value, read as its kind asks.
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match self.lexicon.kind(self.dim) {
            DimensionKind::Flag => d.deserialize_bool(self),
            DimensionKind::Count => d.deserialize_u64(self),
            DimensionKind::Choice => d.deserialize_str(self),
            DimensionKind::Multi | DimensionKind::Apps => d.deserialize_any(self),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        // `key: null` (or `key:` in YAML) means "not stated".
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        match self.lexicon.kind(self.dim) {
            DimensionKind::Multi | DimensionKind::Apps => {
                let mut mask = 0;
                while let Some(item) = seq.next_element_seed(StrSeed)? {
                    mask |= self.one::<A::Error>(&item)?;
                }
                Ok((mask != 0).then_some(Value::Set(mask)))
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Drain nothing further: report the type error at once.
        let _ = map.next_key::<IgnoredAny>();
        Err(de::Error::invalid_type(de::Unexpected::Map, &self))
    }
}

/// A string, borrowed from the input when it has no escapes (serde's own
/// `Cow<str>` always allocates).
pub(crate) struct StrSeed;

impl<'de> Visitor<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

struct IdSeed;

impl<'de> DeserializeSeed<'de> for IdSeed {
    type Value = LineId<'de>;
    /// Only batch lines take an id, and they are JSON (serde_json): the id
    /// comes as its JSON text, so a number keeps every digit.
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let raw: &'de serde_json::value::RawValue = de::Deserialize::deserialize(d)?;
        let text = raw.get().trim();
        let mut de = serde_json::Deserializer::from_str(text);
        let read = match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => return Ok(LineId::Number(text)),
            Some(b'"') => StrSeed.deserialize(&mut de).map(LineId::Str),
            _ => de::Deserializer::deserialize_any(&mut de, IdSeed),
        };
        read.map_err(|e| de::Error::custom(strip_position(&e.to_string())))
    }
}

fn strip_position(message: &str) -> String {
    let end = message.rfind(" at line ").unwrap_or(message.len());
    message[..end].to_string()
}

impl<'de> Visitor<'de> for IdSeed {
    type Value = LineId<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number for 'id'")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(LineId::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(LineId::Null)
    }
}

/// Parses a requirements document (YAML or JSON) against the matrix.
pub fn parse_document(text: &str, lexicon: &Lexicon) -> Result<Requirements, YamlError> {
    if text.trim().is_empty() {
        return Ok(Requirements::empty(lexicon.matrix));
    }
    let seed = RequirementsSeed {
        lexicon,
        allow_id: false,
        buffer: Requirements::default(),
    };
    crate::yaml::from_str_seed(text, seed).map(|(req, _)| req)
}

/// The indices of the set bits of `mask`, lowest first.
pub fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let i = (mask != 0).then(|| mask.trailing_zeros() as usize)?;
        mask &= mask - 1;
        Some(i)
    })
}
