//! YAML output (through the project's one YAML module).

use crate::error::CliError;
use serde::Serialize;

pub fn to_string<T: Serialize>(value: &T) -> Result<String, CliError> {
    crate::yaml::to_string(value).map_err(|e| CliError::Render(format!("render YAML: {e}")))
}
