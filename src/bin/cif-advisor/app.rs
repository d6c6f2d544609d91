//! The top of a run: parse the command line, dispatch to the command's
//! handler, print an error, and map the result to an exit code.

use crate::error;
use crate::error::CliError;
use crate::{cli, commands};
use cif_advisor::exit::ExitCode;
use cif_advisor::sanitize;

/// Runs the tool with the process arguments and returns the exit code.
pub fn run() -> i32 {
    startup();
    run_with(std::env::args_os().collect())
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
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, Default::default());
}

/// clap's error for arguments that hold a control character, a newline or a
/// bidirectional override, with each such argument shown escaped (`'a\nb'`),
/// as the tool's own value errors show it: a newline inside a quoted value
/// cannot start a second `error:` line. The error is rendered again from the
/// arguments escaped (the same mistake, spelled safely); should that give
/// another error, the first rendering is used with each argument (and the
/// value of each `--flag=value`) replaced by its escaped form.
fn escaped_clap_error(args: &[std::ffi::OsString], first: &clap::Error) -> String {
    let escaped = args.iter().map(|a| match a.to_str() {
        Some(text) => std::ffi::OsString::from(sanitize::escape(text).into_owned()),
        None => a.clone(),
    });
    if let Err(e) = <cli::Cli as clap::Parser>::try_parse_from(escaped.collect::<Vec<_>>()) {
        if e.use_stderr() && e.kind() == first.kind() {
            return e.render().to_string();
        }
    }
    let words = args
        .iter()
        .filter_map(|a| a.to_str())
        .flat_map(|arg| std::iter::once(arg).chain(arg.split_once('=').map(|(_, v)| v)));
    let raw = words.filter(|w| w.chars().any(sanitize::is_unsafe));
    raw.fold(first.render().to_string(), |text, w| {
        text.replace(w, &sanitize::escape(w))
    })
}

/// Runs the tool with the given arguments (the first is the program name).
fn run_with(args: Vec<std::ffi::OsString>) -> i32 {
    // clap quotes a bad value as given: one with a control character or a
    // bidirectional override is written escaped, in plain text.
    let raw_args = args
        .iter()
        .any(|a| a.to_string_lossy().chars().any(sanitize::is_unsafe));
    let cli = match <cli::Cli as clap::Parser>::try_parse_from(args.clone()) {
        Ok(cli) => cli,
        Err(e) if raw_args && e.use_stderr() => {
            cif_advisor::output::write_stderr(&escaped_clap_error(&args, &e));
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
                    error::print_error(&CliError::output(io).into());
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
