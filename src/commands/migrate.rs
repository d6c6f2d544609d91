//! `migrate`: the 1.0 → 2.0 checklist, tailored by the requirement flags.

use super::requirements::from_flags;
use super::{write_as, Context};
use crate::cli::MigrateArgs;
use crate::engine::Engine;
use crate::exit::ExitCode;
use crate::knowledge::{migrate_guide, migrate_view, problem_catalogue};
use crate::matrix::Parts;
use crate::render;

pub fn run(ctx: &Context, args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let guide = migrate_guide()?;
    let problems = problem_catalogue()?;
    let engine;
    let req;
    let situation = if args.requirements.any() {
        engine = Engine::new(ctx.load_matrix(Parts::ENGINE)?);
        req = from_flags(&engine, &args.requirements)?;
        Some((&engine, &req))
    } else {
        None
    };
    let view = migrate_view(&guide, &problems, situation)?;
    let format = args.format.into();
    write_as(
        render::migrate::migrate(&view, format, &ctx.styles())?,
        format,
    )?;
    Ok(ExitCode::Success)
}
