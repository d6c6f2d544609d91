//! The errors that end a command, each with its exit code, and the one place
//! that prints them.
//!
//! The library returns `CliError` (thiserror); the command handlers return
//! `anyhow::Error`, which carries a `CliError` or another error with the
//! context a handler adds. `exit_code` and `print_error` read either.

use crate::exit::ExitCode;
use crate::input::InputError;
use crate::matrix::MatrixError;

/// An error that ends the command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A usage error (exit 2): the message says what was wrong and what to do.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Matrix(#[from] MatrixError),
    /// A requirements file or other input that cannot be used (exit 1).
    #[error("{0}")]
    Input(String),
    #[error("requirements file {0}")]
    RequirementsFile(InputError),
    /// Writing the output failed (other than a closed pipe).
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
    /// The user left the interactive advisor (Ctrl-C or Esc).
    #[error("interrupted")]
    Interrupted,
    #[error("{0}")]
    Other(String),
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::Usage,
            CliError::Interrupted => ExitCode::Interrupted,
            _ => ExitCode::Error,
        }
    }

    /// True when standard output was closed early (`| head`): end quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// The longest error line printed (a longer one loses its middle).
pub const MAX_ERROR_CHARS: usize = 2000;

/// `text` cut to about `max` characters: its start and its end (where the
/// fix is said) with the number of characters left out between.
pub fn shorten(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let tail = max / 4;
    let head = max - tail;
    let cut = count - head - tail;
    let mut out: String = text.chars().take(head).collect();
    out.push_str(&format!(" … [{cut} characters left out] … "));
    out.extend(text.chars().skip(head + cut));
    out
}

/// The exit code of an error that ended a command: the `CliError`'s, or 1.
pub fn exit_code(error: &anyhow::Error) -> ExitCode {
    error
        .chain()
        .find_map(|e| e.downcast_ref::<CliError>())
        .map_or(ExitCode::Error, CliError::exit_code)
}

/// True when standard output was closed early (`| head`): end quietly.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| match e.downcast_ref::<CliError>() {
        Some(c) => c.is_broken_pipe(),
        None => e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe),
    })
}

/// The message of an error: each context a handler added, then the error
/// itself ("context: error"). The library's errors already say what lies
/// beneath them, so the chain stops at the first of them.
pub fn message(error: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for e in error.chain() {
        match e.downcast_ref::<CliError>() {
            Some(CliError::Output(io)) => {
                parts.push(format!(
                    "cannot write output: {}",
                    crate::input::describe_io(io)
                ));
                break;
            }
            Some(other) => {
                parts.push(other.to_string());
                break;
            }
            // The library's own errors, too, say what lies beneath them.
            None if e.is::<MatrixError>() || e.is::<InputError>() => {
                parts.push(e.to_string());
                break;
            }
            None => parts.push(e.to_string()),
        }
    }
    parts.join(": ")
}

/// Prints `error: …` on standard error (the only place that does).
pub fn print_error(error: &anyhow::Error) {
    let message = message(error);
    // One line, whatever the message quotes: a control character (a newline
    // in a value, a terminal escape, a bidirectional override) is shown
    // escaped, and a huge quoted value is cut in the middle.
    let line = shorten(&crate::sanitize::escape(&message), MAX_ERROR_CHARS);
    crate::output::write_stderr(&format!("error: {line}\n"));
}
