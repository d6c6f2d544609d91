//! The process exit codes (docs/reference.md, Exit codes).

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Success; for `recommend`, a version fits.
    Success,
    /// An error: unreadable or invalid matrix or requirements file, I/O, a bad batch line.
    Error,
    /// Usage: unknown flag or value, missing input, `-i` without a terminal.
    Usage,
    /// `recommend`: no version fits; `troubleshoot`: no known problem matches.
    NoMatch,
    /// `recommend --strict`: the answer is conditional or open, or carries a blocking caveat.
    Strict,
    /// Interrupted (Ctrl-C or Esc in the interactive advisor, SIGINT in a batch).
    Interrupted,
    /// Terminated (SIGTERM in a batch).
    Terminated,
    /// Hung up (SIGHUP in a batch: the terminal or the ssh connection went away).
    HungUp,
    /// Quit (SIGQUIT in a batch).
    Quit,
}

impl From<ExitCode> for i32 {
    fn from(code: ExitCode) -> i32 {
        match code {
            ExitCode::Success => 0,
            ExitCode::Error => 1,
            ExitCode::Usage => 2,
            ExitCode::NoMatch => 3,
            ExitCode::Strict => 4,
            ExitCode::Interrupted => 130,
            ExitCode::Terminated => 143,
            ExitCode::HungUp => 129,
            ExitCode::Quit => 131,
        }
    }
}
