//! The `cif-advisor` binary: the command line (clap), one handler per
//! command, and the mapping of errors to exit codes. Everything it decides
//! with lives in the library, which knows no command line.

mod app;
mod cli;
mod commands;
mod error;
mod given;

fn main() {
    std::process::exit(app::run());
}
