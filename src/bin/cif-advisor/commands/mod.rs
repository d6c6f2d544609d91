//! One handler per command. Each turns its parsed arguments into plain
//! values, calls the library, renders with `render`, and writes: the
//! handlers are the only code that writes to standard output.

mod api;
mod apps;
mod check;
mod compare;
mod completions;
mod man;
mod matrix;
mod migrate;
mod recommend;
mod requirements;
mod troubleshoot;

use cif_advisor::engine::AsOf;

use crate::cli::{Cli, Command};
use crate::error::CliError;
use cif_advisor::error::Error;
use cif_advisor::exit::ExitCode;
use cif_advisor::input;
use cif_advisor::matrix::{Matrix, MatrixSource};
use cif_advisor::output::{self, ColorWhen, Styles};
use cif_advisor::render::Format;

/// What every command may need: where the matrix comes from, and when to
/// colour (decided by the commands that render, in `styles`).
pub struct Context {
    pub source: MatrixSource,
    pub color: ColorWhen,
    /// The evaluation date of the lifecycle (`--as-of`, else today).
    pub as_of: AsOf,
}

impl Context {
    /// Loads the matrix, with the apps' states at the evaluation date.
    pub fn load_matrix(&self) -> Result<Matrix, CliError> {
        let mut matrix = cif_advisor::matrix::load(&self.source).map_err(Error::Matrix)?;
        cif_advisor::engine::dated::apply(&mut matrix, self.as_of.day);
        Ok(matrix)
    }
    /// How a command's output looks; the width is read only by the
    /// commands that render (not at start-up for every command).
    pub fn styles(&self) -> Styles {
        Styles::new(output::use_color(self.color)).with_width(output::width())
    }
    /// Whether the matrix is read from standard input (`--matrix -`, or
    /// `/dev/stdin` and the like), which another input then cannot be.
    pub fn matrix_reads_stdin(&self) -> bool {
        matches!(&self.source, MatrixSource::File(m) if input::is_stdin(m))
    }
}

/// The evaluation date: `--as-of`, else `CIF_ADVISOR_AS_OF` (read here, not
/// by clap, so that it never counts as an argument given), else today.
fn as_of(flag: Option<cif_advisor::engine::dated::Day>) -> Result<AsOf, CliError> {
    match (flag, std::env::var("CIF_ADVISOR_AS_OF")) {
        (Some(day), _) => Ok(AsOf { day, given: true }),
        // A pinned date (tests, reproducible pipelines) is not announced.
        (None, Ok(text)) if !text.is_empty() => crate::cli::parse_as_of(&text)
            .map(|day| AsOf { day, given: false })
            .map_err(|e| CliError::Usage(format!("CIF_ADVISOR_AS_OF: {e}"))),
        _ => Ok(AsOf::default()),
    }
}

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context {
        // (An empty --matrix is refused by clap, an empty
        // CIF_ADVISOR_MATRIX removed at start-up.)
        source: cli
            .options
            .matrix
            .map_or(MatrixSource::Embedded, MatrixSource::File),
        color: cli.options.color,
        as_of: as_of(cli.options.as_of)?,
    };
    match cli.command {
        None => recommend::no_command(&ctx),
        Some(Command::Recommend(args)) => recommend::run(&ctx, *args),
        Some(Command::Compare(args)) => compare::run(&ctx, args),
        Some(Command::Apps(args)) => apps::run(&ctx, args),
        Some(Command::Api(args)) => api::run(&ctx, args),
        Some(Command::Migrate(args)) => migrate::run(&ctx, *args),
        Some(Command::Troubleshoot(args)) => troubleshoot::run(&ctx, args),
        Some(Command::Check(args)) => check::run(&ctx, args),
        Some(Command::Matrix { action }) => matrix::run(&ctx, action),
        Some(Command::Completions { shell, .. }) => completions::run(shell),
        Some(Command::Man { command, .. }) => man::run(&command),
    }
}

/// A usage error (exit 2) that ends a command.
fn usage<T>(message: impl Into<String>) -> anyhow::Result<T> {
    Err(CliError::Usage(message.into()).into())
}

/// Writes a command's output (text) to standard output: the command succeeded.
fn write(text: impl AsRef<str>) -> anyhow::Result<ExitCode> {
    write_as(text, Format::Text)
}

/// Writes a command's output in `format` to standard output (a JSON
/// document with JSON's escapes, anything else as text): the command succeeded.
fn write_as(text: impl AsRef<str>, format: Format) -> anyhow::Result<ExitCode> {
    let escape = match format {
        Format::Json => output::Escape::Json,
        _ => output::Escape::Text,
    };
    output::write_stdout(text.as_ref(), escape).map_err(CliError::output)?;
    Ok(ExitCode::Success)
}
