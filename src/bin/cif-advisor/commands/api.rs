//! `api`: the Microsoft.CIFramework methods and events of each version.

use super::{write_as, Context};
use crate::cli::ApiArgs;
use cif_advisor::exit::ExitCode;
use cif_advisor::knowledge::{api_catalogue, api_view, resolve_version};
use cif_advisor::render;

pub fn run(ctx: &Context, args: ApiArgs) -> anyhow::Result<ExitCode> {
    let catalogue = api_catalogue()?;
    let version = args
        .api_version
        .as_deref()
        .map(|v| resolve_version(v, &catalogue.versions, "--version"))
        .transpose()?;
    let view = api_view(&catalogue, version.as_deref(), args.diff);
    let format = args.format;
    write_as(render::api::api(&view, format, &ctx.styles())?, format)
}
