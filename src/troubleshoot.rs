//! placeholder
use crate::cli::TroubleshootArgs;
use crate::commands::Context;
use crate::error::CliError;
use crate::exit::ExitCode;
pub fn run(_c: &Context, _a: TroubleshootArgs) -> Result<ExitCode, CliError> {
    Err(CliError::Other("troubleshoot: not built yet".into()))
}
