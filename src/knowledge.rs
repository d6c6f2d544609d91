//! placeholder
use crate::cli::{ApiArgs, MigrateArgs};
use crate::commands::Context;
use crate::error::CliError;
use crate::exit::ExitCode;
pub fn api(_c: &Context, _a: ApiArgs) -> Result<ExitCode, CliError> {
    Err(CliError::Other("api: not built yet".into()))
}
pub fn migrate(_c: &Context, _a: MigrateArgs) -> Result<ExitCode, CliError> {
    Err(CliError::Other("migrate: not built yet".into()))
}
