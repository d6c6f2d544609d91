//! `compare`: the comparison table of every version.

use super::{write, Context};
use crate::cli::CompareArgs;
use crate::exit::ExitCode;
use crate::matrix::Parts;
use crate::render;

pub fn run(ctx: &Context, args: CompareArgs) -> anyhow::Result<ExitCode> {
    let matrix = ctx.load_matrix(Parts::ROWS)?;
    write(render::compare(matrix, args.format.into(), &ctx.styles())?)?;
    Ok(ExitCode::Success)
}
