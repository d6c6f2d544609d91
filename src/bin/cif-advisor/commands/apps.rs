//! `apps`: the model-driven apps and the version that supports each.

use super::{write_as, Context};
use crate::cli::AppsArgs;
use cif_advisor::exit::ExitCode;
use cif_advisor::render;

pub fn run(ctx: &Context, args: AppsArgs) -> anyhow::Result<ExitCode> {
    let matrix = ctx.load_matrix()?;
    let format = args.format;
    write_as(render::apps(&matrix, format, &ctx.styles())?, format)
}
