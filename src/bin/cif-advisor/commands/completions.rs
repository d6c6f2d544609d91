//! `completions SHELL`: a shell completion script.

use super::write;
use crate::cli::Cli;
use cif_advisor::exit::ExitCode;
use cif_advisor::flags::flag_for;
use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::CommandFactory;

pub fn run(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    write(completion_script(shell))
}
/// The completion script for `shell`.
///
/// The script is clap_complete's, from a command whose requirement flags
/// (and `--version`) list the built-in matrix's values, so that
/// `--app <TAB>` offers app ids and aliases and `--cloud <TAB>` the clouds.
/// The values are taken when the script is generated: regenerate it after
/// an upgrade. (clap_complete's dynamic completion, which would ask the
/// binary at each TAB, is behind its `unstable-dynamic` feature.)
///
/// Bash: clap_complete up to 4.6.12, the newest release, spells the state
/// of a subcommand of a hyphenated binary one way where it sets it
/// (`cif__advisor__subcmd__recommend`) and another where it matches it
/// (`cif__subcmd__advisor__subcmd__recommend`), so nothing completes after
/// a subcommand (clap-rs/clap#6421, #6529; the fixes were not merged). The
/// matching side is corrected here; a test completes through the script in
/// bash and fails when the generated script changes shape.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut completion_command(), "cif-advisor", &mut buf);
    let script = String::from_utf8_lossy(&buf);
    match shell {
        clap_complete::Shell::Bash => script.replace("cif__subcmd__advisor", "cif__advisor"),
        _ => script.into_owned(),
    }
}

/// The full command with the built-in matrix's values as the possible
/// values of the requirement flags and of `--version` (for completion
/// scripts only; parsing keeps the plain strings and its own messages).
fn completion_command() -> clap::Command {
    let cmd = Cli::command();
    let Ok(matrix) = cif_advisor::matrix::embedded() else {
        return cmd;
    };
    // In the matrix's dimension order (clap moves each argument it changes
    // to the end, so this order is the order of the script's options).
    // Every flag has its dimension in the built-in matrix (tests/flags.rs).
    let hints: Vec<(&str, Vec<PossibleValue>)> = matrix
        .dimensions
        .iter()
        .filter_map(|d| flag_for(&d.key))
        .map(|flag| {
            let values: Vec<PossibleValue> = if flag.key == "apps" {
                matrix
                    .apps
                    .iter()
                    .flat_map(|a| spellings(&a.id, &a.name, &a.aliases))
                    .collect()
            } else {
                matrix
                    .dimension(flag.key)
                    .into_iter()
                    .flat_map(|d| &d.values)
                    .flat_map(|v| spellings(&v.id, &v.name, &v.aliases))
                    .collect()
            };
            (flag.long, values)
        })
        .filter(|(_, values)| !values.is_empty())
        .collect();
    let versions: Vec<PossibleValue> = matrix
        .versions
        .iter()
        .map(|v| PossibleValue::new(v.id.clone()).help(v.name.clone()))
        .collect();
    let with_values = |sub: clap::Command, long: &str, values: Vec<PossibleValue>| {
        let arg = sub.get_arguments().find(|a| a.get_long() == Some(long));
        match arg.map(|a| a.get_id().to_string()) {
            Some(id) => sub.mut_arg(id, |a| a.value_parser(PossibleValuesParser::new(values))),
            None => sub,
        }
    };
    // recommend and migrate take the same requirement flags.
    let with_hints = |sub: clap::Command| {
        hints.iter().fold(sub, |sub, (long, values)| {
            with_values(sub, long, values.clone())
        })
    };
    cmd.mut_subcommand("recommend", with_hints)
        .mut_subcommand("migrate", with_hints)
        .mut_subcommand("api", |sub| with_values(sub, "version", versions.clone()))
        .mut_subcommand("troubleshoot", |sub| with_values(sub, "version", versions))
}

/// A value's id (described by its name) and its aliases that are single
/// words (an alias with a space is accepted when typed, quoted, but a
/// completion list splits it).
fn spellings(id: &str, name: &str, aliases: &[String]) -> Vec<PossibleValue> {
    let others = aliases.iter().filter(|a| a.as_str() != id);
    let words = others.filter(|a| !a.contains(char::is_whitespace));
    std::iter::once(PossibleValue::new(id.to_string()).help(name.to_string()))
        .chain(words.map(|a| PossibleValue::new(a.clone()).help(format!("{name} ({id})"))))
        .collect()
}
