//! The library's errors, as types: each says in its `Display` what was
//! wrong and what to do. The binary maps each to an exit code and prints
//! it (`src/bin/cif-advisor/error.rs`); the library decides neither.

use crate::input::InputError;
use crate::matrix::MatrixError;

/// An error that ends what the library was asked to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Matrix(#[from] MatrixError),
    /// A requirements file that cannot be read or used.
    #[error("requirements file {0}")]
    RequirementsFile(InputError),
    /// Other input that cannot be used (a batch file, a batch stream).
    #[error("{0}")]
    Input(String),
    /// A value the tool cannot take; `valid` lists what it can.
    #[error("invalid value '{value}' for '{flag}': valid {what}: {valid}")]
    UnknownValue {
        flag: String,
        value: String,
        what: &'static str,
        valid: String,
    },
    /// A problem text longer than the search takes.
    #[error(
        "the problem text is {chars} characters long; give at most {max} \
         (the error message itself or a few words about the symptom)"
    )]
    ProblemTooLong { chars: usize, max: usize },
    /// `SOURCE_DATE_EPOCH` is set to something other than whole seconds.
    #[error(
        "invalid SOURCE_DATE_EPOCH '{0}': expected whole seconds since 1970-01-01 UTC \
         (e.g. 1764633600), or unset it to date the record today"
    )]
    SourceDateEpoch(String),
    /// The interactive advisor was started without a terminal.
    #[error(
        "the interactive advisor needs a terminal; state the requirements with flags instead \
         (e.g. `cif-advisor recommend --app sales`)"
    )]
    NoTerminal,
    /// The terminal went away during the interactive advisor.
    #[error("the terminal closed; the advisor ended without an answer")]
    TerminalClosed,
    /// The interactive prompt failed for another reason.
    #[error("interactive prompt failed: {0}")]
    Prompt(String),
    /// The user left the interactive advisor (Ctrl-C or Esc).
    #[error("interrupted")]
    Interrupted,
    /// Data built into the binary cannot be read or does not hold together
    /// (it is checked at build time, so only a broken build gets this).
    #[error("{0}; rebuild cif-advisor")]
    BuiltIn(String),
    /// An output form (JSON, YAML) cannot be written from a result.
    #[error("cannot {0}")]
    Render(String),
    /// Writing the output failed (other than a closed pipe).
    #[error("cannot write output: {}", crate::input::describe_io(.0))]
    Output(std::io::Error),
}

impl Error {
    /// True when standard output was closed early (`| head`): end quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// The longest error line printed (a longer one loses its middle).
pub const MAX_ERROR_CHARS: usize = 2000;

/// The line that reports an error, `error: …` and a newline: one line
/// whatever the message quotes. A control character (a newline in a
/// value, a terminal escape, a bidirectional override) is shown escaped,
/// and a line over `MAX_ERROR_CHARS` loses its middle: its start and its
/// end (where the fix is said) stay, with the number of characters left
/// out between.
pub fn error_line(message: &str) -> String {
    let line = crate::sanitize::escape(message);
    let (count, max) = (line.chars().count(), MAX_ERROR_CHARS);
    if count <= max {
        return format!("error: {line}\n");
    }
    let (head, tail) = (max - max / 4, max / 4);
    let cut = count - head - tail;
    let start: String = line.chars().take(head).collect();
    let end: String = line.chars().skip(head + cut).collect();
    format!("error: {start} … [{cut} characters left out] … {end}\n")
}
