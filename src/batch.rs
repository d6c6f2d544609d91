//! placeholder
use crate::cli::Detail;
use crate::engine::Engine;
use crate::error::CliError;
use crate::exit::ExitCode;
use std::path::Path;
pub fn run(_e: &Engine, _p: &Path, _d: Detail) -> Result<ExitCode, CliError> {
    Err(CliError::Other("batch: not built yet".into()))
}
