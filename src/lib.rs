//! cif-advisor: which Dynamics 365 Channel Integration Framework version fits,
//! and why.
//!
//! The library holds everything; `main.rs` only calls [`run`]. The pipeline:
//! `cli` (clap, at the edge) → `Requirements` → `engine` (a `Decision`) →
//! `render` (text, JSON, YAML, tables).

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod batch;
pub mod check;
pub mod cli;
pub mod commands;
pub mod engine;
pub mod error;
pub mod exit;
pub mod input;
pub mod knowledge;
pub mod lint;
pub mod matrix;
pub mod output;
pub mod prompt;
pub mod render;
pub mod requirements;
pub mod troubleshoot;
pub mod yaml;

use error::CliError;
use exit::ExitCode;

/// Runs the tool with the process arguments and returns the exit code.
pub fn run() -> i32 {
    run_with(std::env::args_os())
}

/// Runs the tool with the given arguments (the first is the program name).
pub fn run_with<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match cli::Cli::parse_args(args) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout and errors to stderr.
            let code = e.exit_code();
            if e.print().is_err() {
                return i32::from(ExitCode::Error);
            }
            return code;
        }
    };
    match commands::dispatch(cli) {
        Ok(code) => i32::from(code),
        Err(e) if e.is_broken_pipe() => i32::from(ExitCode::Success),
        Err(e) => {
            if !matches!(e, CliError::Interrupted) {
                error::print_error(&e);
            }
            i32::from(e.exit_code())
        }
    }
}
