//! `apps`: the model-driven apps and the version that supports each.

use super::{write_as, Context};
use crate::cli::AppsArgs;
use cif_advisor::exit::ExitCode;
use cif_advisor::matrix::Parts;
use cif_advisor::render;

pub fn run(ctx: &Context, args: AppsArgs) -> anyhow::Result<ExitCode> {
    let matrix = ctx.load_matrix(Parts::APPS)?;
    let format = args.format.into();
    write_as(render::apps(matrix, format, &ctx.styles())?, format)?;
    Ok(ExitCode::Success)
}
