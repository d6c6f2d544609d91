//! The edge's errors: the command line's own usage errors, the exit code of
//! every error, and the one place that prints them.

use cif_advisor::error::{error_line, Error};
use cif_advisor::exit::ExitCode;
use cif_advisor::input::InputError;
use cif_advisor::matrix::MatrixError;

/// An error of a command: the command line's own usage error, or the
/// library's.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A usage error (exit 2): the message says what was wrong and what to do.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Lib(#[from] Error),
}

impl CliError {
    /// Input that cannot be used (exit 1).
    pub fn input(message: String) -> Self {
        CliError::Lib(Error::Input(message))
    }

    /// Writing the output failed.
    pub fn output(e: std::io::Error) -> Self {
        CliError::Lib(Error::Output(e))
    }
}

/// The exit code of a library error: a value the user gave that the tool
/// cannot take is a usage error (2); leaving the advisor is 130; any other
/// error is 1.
fn code_of(error: &Error) -> ExitCode {
    match error {
        Error::UnknownValue { .. }
        | Error::ProblemTooLong { .. }
        | Error::SourceDateEpoch(_)
        | Error::NoTerminal => ExitCode::Usage,
        Error::Interrupted => ExitCode::Interrupted,
        _ => ExitCode::Error,
    }
}

/// What one link of an error chain is: the edge's usage error (`Some(None)`),
/// a library error, or neither (`None`).
fn known<'e>(e: &'e (dyn std::error::Error + 'static)) -> Option<Option<&'e Error>> {
    match e.downcast_ref::<CliError>() {
        Some(CliError::Usage(_)) => Some(None),
        Some(CliError::Lib(lib)) => Some(Some(lib)),
        None => e.downcast_ref::<Error>().map(Some),
    }
}

/// The exit code of an error that ended a command: the first known
/// error's in the chain, or 1.
pub fn exit_code(error: &anyhow::Error) -> ExitCode {
    error
        .chain()
        .find_map(known)
        .map_or(ExitCode::Error, |lib| lib.map_or(ExitCode::Usage, code_of))
}

/// True when standard output was closed early (`| head`): end quietly.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| match known(e) {
        Some(lib) => lib.is_some_and(Error::is_broken_pipe),
        None => e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe),
    })
}

/// The message of an error: each context a handler added, then the error
/// itself ("context: error"). The library's errors already say what lies
/// beneath them, so the chain stops at the first of them.
pub fn message(error: &anyhow::Error) -> String {
    let ours = |e: &(dyn std::error::Error + 'static)| {
        e.is::<CliError>() || e.is::<Error>() || e.is::<MatrixError>() || e.is::<InputError>()
    };
    let last = error.chain().position(ours).map_or(usize::MAX, |i| i + 1);
    let parts: Vec<String> = error.chain().take(last).map(|e| e.to_string()).collect();
    parts.join(": ")
}

/// Prints `error: …` on standard error (the only place that does).
pub fn print_error(error: &anyhow::Error) {
    cif_advisor::output::write_stderr(&error_line(&message(error)));
}
