//! `check`: an exported channel-provider configuration, against the rules.

use super::{write, write_as, Context};
use crate::cli::CheckArgs;
use crate::error::CliError;
use cif_advisor::check::{catalogue, check, KnownApps, Options};
use cif_advisor::exit::ExitCode;
use cif_advisor::input;
use cif_advisor::matrix::Parts;
use cif_advisor::render::check as render;

/// The command: `check FILE...` or `check --queries ORG_URL`.
pub fn run(ctx: &Context, args: CheckArgs) -> anyhow::Result<ExitCode> {
    if let Some(org) = &args.queries {
        write(render::queries(org).map_err(CliError::Usage)?)?;
        return Ok(ExitCode::Success);
    }
    // clap requires FILE unless --queries is given.
    if args
        .files
        .iter()
        .chain(&args.diff)
        .filter(|p| input::is_stdin(p))
        .count()
        > 1
    {
        return Err(CliError::Usage(
            "standard input (-) can be given once; give the other exports as files".into(),
        )
        .into());
    }
    if ctx.matrix_reads_stdin()
        && args
            .files
            .iter()
            .chain(&args.diff)
            .any(|p| input::is_stdin(p))
    {
        return Err(CliError::Usage(
            "--matrix - and an export file - cannot both read standard input; give one of them as a file"
                .into(),
        ).into());
    }
    let org = match &args.org {
        Some(o) => Some(render::org_url("--org", o).map_err(CliError::Usage)?),
        None => None,
    };
    let matrix = ctx.load_matrix(Parts::APPS)?;
    let known = KnownApps::from_matrix(matrix);
    let catalogue = catalogue()?;
    let options = Options {
        strict: args.strict,
        previous: args.diff.clone(),
        expect: {
            // The same expectation twice is checked once.
            let mut expect = Vec::new();
            for e in &args.expect {
                if !expect.contains(e) {
                    expect.push(e.clone());
                }
            }
            expect
        },
        org,
    };
    let report = check(&args.files, &known, &catalogue, &options);
    let format = args.format.into();
    write_as(render::check(&report, format, &ctx.styles())?, format)?;
    // A file that cannot be read: one error line each, after the report.
    for f in report.files.iter() {
        if let Some(e) = &f.error {
            crate::error::print_error(
                &CliError::input(format!("export file '{}': {e}", f.path)).into(),
            );
        }
    }
    Ok(report.exit_code())
}
