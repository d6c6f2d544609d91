//! Every YAML call of the project goes through this module, so the YAML
//! library (serde_yaml, archived upstream) can be swapped in one place.
//! Also compiled into `build.rs`.

use serde::de::{DeserializeOwned, DeserializeSeed};
use serde::Serialize;

/// A YAML error: the message (with the field path where there is one) and
/// the 1-based line and column where the parser stopped, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // serde_yaml already appends "at line L column C" to its messages.
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

impl From<serde_yaml::Error> for YamlError {
    fn from(e: serde_yaml::Error) -> Self {
        let location = e.location();
        YamlError {
            message: e.to_string(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    }
}

/// Parses a YAML (or JSON) document into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    Ok(serde_yaml::from_str(text)?)
}

/// Parses a YAML (or JSON) document with a stateful seed.
#[allow(dead_code)] // not used by build.rs
pub fn from_str_seed<'de, S: DeserializeSeed<'de>>(
    text: &'de str,
    seed: S,
) -> Result<S::Value, YamlError> {
    Ok(seed.deserialize(serde_yaml::Deserializer::from_str(text))?)
}

/// Writes `value` as a YAML document.
#[allow(dead_code)] // not used by build.rs
pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    Ok(serde_yaml::to_string(value)?)
}
