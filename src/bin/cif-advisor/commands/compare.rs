//! `compare`: the comparison table of every version.

use super::{write_as, Context};
use crate::cli::CompareArgs;
use cif_advisor::exit::ExitCode;
use cif_advisor::render;

pub fn run(ctx: &Context, args: CompareArgs) -> anyhow::Result<ExitCode> {
    let matrix = ctx.load_matrix()?;
    let format = args.format;
    write_as(render::compare(&matrix, format, &ctx.styles())?, format)
}
