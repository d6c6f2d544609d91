//! The small ordered maps and string lists of the matrix: a `VersionMap`
//! (version id to value, in file order), a comparison cell's `Lines`, and
//! the string fields' deserialisers.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A small map from version id to a value, in file order. (A `BTreeMap` node
/// is far larger than the two or three entries these maps hold.) Duplicate
/// keys are an error.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionMap<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for VersionMap<V> {
    fn default() -> Self {
        VersionMap {
            entries: Vec::new(),
        }
    }
}

impl<V> VersionMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    /// Sets `key` to `value`, replacing an existing entry.
    pub fn insert(&mut self, key: impl Into<String>, value: V) {
        let key = key.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.entries.push((key, value)),
        }
    }
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// `map["1.0"]`, for tests and examples; the tool itself uses `get`, so no
/// run-time path can panic on a user's matrix.
impl<V> std::ops::Index<&str> for VersionMap<V> {
    type Output = V;
    /// Panics when the key is missing (validation guarantees every version).
    fn index(&self, key: &str) -> &V {
        self.get(key)
            .unwrap_or_else(|| panic!("no entry for version '{key}'"))
    }
}

impl<V: Serialize> Serialize for VersionMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for VersionMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(VersionMapVisitor(PhantomData))
    }
}

struct VersionMapVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for VersionMapVisitor<V> {
    type Value = VersionMap<V>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping from version id to a value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map = VersionMap {
            entries: Vec::with_capacity(access.size_hint().unwrap_or(2).min(16)),
        };
        while let Some(key) = access.next_key::<Text>()? {
            if map.contains_key(&key.0) {
                return Err(de::Error::custom(format!("duplicate key '{}'", key.0)));
            }
            let value = access.next_value()?;
            map.entries.push((key.0, value));
        }
        Ok(map)
    }
}

/// A string of the matrix; another shape is refused with a hint on quoting.
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a version id (a string; quote it, e.g. \"1.0\")")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

impl<'m, V> IntoIterator for &'m VersionMap<V> {
    type Item = &'m (String, V);
    type IntoIter = std::slice::Iter<'m, (String, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

/// Deserialises a list of strings.
pub(crate) fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let texts: Vec<Text> = Deserialize::deserialize(d)?;
    Ok(texts.into_iter().map(|t| t.0).collect())
}

/// Deserialises an optional string.
pub(crate) fn text_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text: Option<Text> = Deserialize::deserialize(d)?;
    Ok(text.map(|t| t.0))
}

/// The lines of one comparison cell.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Lines(#[serde(deserialize_with = "text_list")] pub Vec<String>);

impl std::ops::Deref for Lines {
    type Target = Vec<String>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
