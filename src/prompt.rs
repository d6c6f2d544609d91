//! placeholder
use crate::cli::DecisionFormat;
use crate::commands::Context;
use crate::error::CliError;
use crate::exit::ExitCode;
use crate::matrix::Matrix;
pub fn run(_c: &Context, _m: &Matrix, _f: DecisionFormat) -> Result<ExitCode, CliError> {
    Err(CliError::Other("interactive: not built yet".into()))
}
