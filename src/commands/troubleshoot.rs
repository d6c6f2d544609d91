//! `troubleshoot`: match an error message or symptom against known problems.

use super::Context;
use crate::cli::TroubleshootArgs;
use crate::error::CliError;
use crate::exit::ExitCode;

pub fn run(ctx: &Context, args: TroubleshootArgs) -> Result<ExitCode, CliError> {
    crate::troubleshoot::run(ctx, args)
}
