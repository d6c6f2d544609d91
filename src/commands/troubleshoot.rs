//! `troubleshoot`: match an error message or symptom against known problems.

use super::Context;
use crate::cli::TroubleshootArgs;
use crate::exit::ExitCode;

pub fn run(ctx: &Context, args: TroubleshootArgs) -> anyhow::Result<ExitCode> {
    Ok(crate::troubleshoot::run(ctx, args)?)
}
