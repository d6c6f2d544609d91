//! JSON output: pretty-printed, one document, newline-terminated.

use crate::error::CliError;
use serde::Serialize;

pub fn to_string<T: Serialize>(value: &T) -> Result<String, CliError> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Render(format!("render JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}
