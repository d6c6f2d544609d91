//! placeholder
use crate::commands::Context;
use crate::error::CliError;
use crate::exit::ExitCode;
use std::path::Path;
pub fn run(_c: &Context, _f: Option<&Path>) -> Result<ExitCode, CliError> {
    Err(CliError::Other("lint: not built yet".into()))
}
