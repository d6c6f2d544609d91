//! `matrix export | validate | sources`.

use super::{usage, write, write_as, Context};
use crate::cli::MatrixCommand;
use cif_advisor::engine::dated::today;
use cif_advisor::exit::ExitCode;
use cif_advisor::lint::lint;
use cif_advisor::matrix::{MatrixSource, EMBEDDED_YAML};
use cif_advisor::render::{self, Format};
use cif_advisor::sanitize::escape;
use cif_advisor::sources::DOCS_REPO;
use std::path::Path;

pub fn run(ctx: &Context, action: MatrixCommand) -> anyhow::Result<ExitCode> {
    match action {
        MatrixCommand::Export => write(EMBEDDED_YAML),
        MatrixCommand::Validate { file } => validate(ctx, file.as_deref()),
        MatrixCommand::Sources { docs, format } => sources(ctx, docs.as_deref(), format),
    }
}

/// `cif-advisor matrix sources [--docs DIR] [--format text|json]`.
fn sources(ctx: &Context, docs: Option<&Path>, format: Format) -> anyhow::Result<ExitCode> {
    if let Some(dir) = docs {
        if !dir.is_dir() {
            return usage(format!(
                "--docs '{}' is not a directory; give a checkout (full or sparse) of {DOCS_REPO}",
                dir.display()
            ));
        }
        if !dir.join("ce").is_dir() {
            return usage(format!(
                "--docs '{}' has no ce/ folder; give the root of a checkout of {DOCS_REPO} (see the README, \"Re-reviewing the facts\")",
                dir.display()
            ));
        }
    }
    let matrix = ctx.load_matrix()?;
    // The file name as given, with nothing a terminal would act on.
    let name = match &ctx.source {
        MatrixSource::File(p) => escape(&p.display().to_string()).into_owned(),
        MatrixSource::Embedded => "cif-matrix.yaml".to_string(),
    };
    let data = cif_advisor::sources::Catalogues {
        api: cif_advisor::knowledge::api_catalogue()?,
        problems: cif_advisor::knowledge::problem_catalogue()?,
        guide: cif_advisor::knowledge::migrate_guide()?,
        rules: cif_advisor::check::catalogue()?,
    };
    let report = cif_advisor::sources::report(&matrix, &name, &data, docs);
    write_as(render::sources::sources(&report, format)?, format)
}

/// `matrix validate [FILE|-]`: the loader's checks, then the lint.
fn validate(ctx: &Context, file: Option<&Path>) -> anyhow::Result<ExitCode> {
    let source = file.map_or(ctx.source.clone(), |p| MatrixSource::File(p.to_path_buf()));
    let name = match &source {
        MatrixSource::File(p) => p.display().to_string(),
        MatrixSource::Embedded => "built-in matrix".to_string(),
    };
    let matrix = cif_advisor::matrix::load(&source)?;
    // The file name as given, with nothing a terminal would act on.
    let name = escape(&name);
    let findings = lint(&matrix, today());
    write(render::validate::validated(&name, &matrix, &findings))
}
