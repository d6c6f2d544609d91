//! `apps`: the model-driven apps and the version that supports each.

use super::{write, Context};
use crate::cli::AppsArgs;
use crate::exit::ExitCode;
use crate::matrix::Parts;
use crate::render;

pub fn run(ctx: &Context, args: AppsArgs) -> anyhow::Result<ExitCode> {
    let matrix = ctx.load_matrix(Parts::APPS)?;
    write(render::apps(matrix, args.format.into(), &ctx.styles())?)?;
    Ok(ExitCode::Success)
}
