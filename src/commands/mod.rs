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

pub use completions::completion_script;
pub use man::man_page;

use crate::cli::{Cli, Command};
use crate::error::CliError;
use crate::exit::ExitCode;
use crate::matrix::{Matrix, MatrixSource, Parts};
use crate::output::{self, Styles};

/// What every command may need, decided once: where the matrix comes
/// from, and colour.
pub struct Context {
    pub source: MatrixSource,
    pub color: bool,
}

impl Context {
    /// Loads the parts of the matrix a command uses. A command loads it once
    /// and uses it until the process ends, so it is never freed (no work at exit).
    pub fn load_matrix(&self, parts: Parts) -> Result<&'static Matrix<'static>, CliError> {
        let matrix = Matrix::load_parts(&self.source, parts)?;
        Ok(Box::leak(Box::new(matrix)))
    }
    /// How a command's output looks; the width is read only by the
    /// commands that render (not at start-up for every command).
    pub fn styles(&self) -> Styles {
        Styles::new(self.color).with_width(output::width())
    }
}

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context {
        source: match &cli.options.matrix {
            Some(p) if !p.as_os_str().is_empty() => MatrixSource::File(p.clone()),
            _ => MatrixSource::Embedded,
        },
        color: output::use_color(cli.options.color.into()),
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

/// Writes a command's output to standard output.
fn write(text: impl AsRef<[u8]>) -> Result<(), CliError> {
    output::write_stdout(text.as_ref()).map_err(CliError::Output)
}
