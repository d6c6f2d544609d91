//! YAML output (through the project's one YAML module).

use crate::error::Error;
use serde::Serialize;

pub fn to_string<T: Serialize>(value: &T) -> Result<String, Error> {
    crate::yaml::to_string(value).map_err(|e| Error::Render(format!("render YAML: {e}")))
}
