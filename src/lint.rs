//! `matrix validate [FILE|-]`: the loader's checks, then the lint of
//! `crate::matrix::lint` for what is valid but suspicious.

use crate::commands::Context;
use crate::error::CliError;
use crate::exit::ExitCode;
use crate::matrix::{Matrix, MatrixSource};
use std::fmt::Write as _;
use std::path::Path;

pub use crate::matrix::lint::{lint, today, Finding, LINT_STEPS};

/// Runs `matrix validate`.
pub fn run(ctx: &Context, file: Option<&Path>) -> Result<ExitCode, CliError> {
    let (source, name) = match file {
        Some(p) => (MatrixSource::File(p.to_path_buf()), p.display().to_string()),
        None => match &ctx.source {
            MatrixSource::File(p) => (ctx.source.clone(), p.display().to_string()),
            MatrixSource::Embedded => (MatrixSource::Embedded, "built-in matrix".to_string()),
        },
    };
    let matrix = Matrix::load(&source)?;
    // The file name as given, with nothing a terminal would act on.
    let name = crate::sanitize::escape(&name);
    let findings = lint(&matrix, today());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{name}: valid (schema {}, {} versions, {} apps, {} dimensions, {} rows; reviewed {})",
        matrix.schema_version,
        matrix.versions.len(),
        matrix.apps.len(),
        matrix.dimensions.len(),
        matrix.rows.len(),
        matrix.reviewed
    );
    for f in &findings {
        let _ = writeln!(out, "lint: {}: {}", f.path, f.message);
    }
    if findings.is_empty() {
        let _ = writeln!(out, "lint: nothing to report");
    }
    crate::output::write_stdout(out.as_bytes())?;
    Ok(ExitCode::Success)
}
