//! The process exit codes (docs/reference.md, Exit codes).

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Success; for `recommend`, a version fits.
    Success = 0,
    /// An error: unreadable or invalid matrix or requirements file, I/O, a bad batch line.
    Error = 1,
    /// Usage: unknown flag or value, missing input, `-i` without a terminal.
    Usage = 2,
    /// `recommend`: no version fits; `troubleshoot`: no known problem matches.
    NoMatch = 3,
    /// `recommend --strict`: the answer is conditional or open, or carries a blocking caveat.
    Strict = 4,
    /// Interrupted (Ctrl-C or Esc in the interactive advisor, SIGINT in a batch).
    Interrupted = 130,
    /// Terminated (SIGTERM in a batch).
    Terminated = 143,
    /// Hung up (SIGHUP in a batch: the terminal or the ssh connection went away).
    HungUp = 129,
    /// Quit (SIGQUIT in a batch).
    Quit = 131,
}

impl From<ExitCode> for i32 {
    fn from(code: ExitCode) -> i32 {
        code as i32
    }
}
