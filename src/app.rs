//! The top of a run: parse the command line, dispatch to the command's
//! handler, print an error, and map the result to an exit code.

use crate::error::CliError;
use crate::exit::ExitCode;
use crate::{cli, commands, error, sanitize};

/// Runs the tool with the process arguments and returns the exit code.
pub fn run() -> i32 {
    startup();
    run_with(std::env::args_os())
}

/// Process-wide settings made before anything else runs (single-threaded).
fn startup() {
    // An empty CIF_ADVISOR_MATRIX switches it off: the built-in matrix.
    if std::env::var_os("CIF_ADVISOR_MATRIX").is_some_and(|v| v.is_empty()) {
        std::env::remove_var("CIF_ADVISOR_MATRIX");
    }
    // Over the file-size limit (`ulimit -f`), a write fails with EFBIG and
    // is reported, instead of SIGXFSZ killing the process mid-line.
    #[cfg(unix)]
    {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag);
    }
}

/// Runs the tool with the given arguments (the first is the program name).
pub fn run_with<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    // clap quotes a bad value as given: one with a control character or a
    // bidirectional override is written escaped, in plain text.
    let raw_args = args
        .iter()
        .any(|a| a.to_string_lossy().chars().any(sanitize::is_unsafe));
    let cli = match cli::Cli::parse_args(args) {
        Ok(cli) => cli,
        Err(e) if raw_args && e.use_stderr() => {
            let text = e.render().to_string();
            let mut stderr = std::io::stderr().lock();
            let _ = std::io::Write::write_all(&mut stderr, sanitize::escape_text(&text).as_bytes());
            return e.exit_code();
        }
        Err(e) => {
            // clap prints help/version to stdout and errors to stderr.
            let code = e.exit_code();
            return match e.print() {
                Ok(()) => code,
                // A usage error that standard error cannot take: its code stands.
                Err(_) if e.use_stderr() => code,
                // `--help | head -0`: as for a command, a closed pipe ends quietly.
                Err(io) if io.kind() == std::io::ErrorKind::BrokenPipe => {
                    i32::from(ExitCode::Success)
                }
                Err(io) => {
                    error::print_error(&CliError::Output(io).into());
                    i32::from(ExitCode::Error)
                }
            };
        }
    };
    match commands::dispatch(cli) {
        Ok(code) => i32::from(code),
        Err(e) if error::is_broken_pipe(&e) => i32::from(ExitCode::Success),
        Err(e) => {
            let code = error::exit_code(&e);
            if code != ExitCode::Interrupted {
                error::print_error(&e);
            }
            i32::from(code)
        }
    }
}
