//! `man [COMMAND]`: a man page (roff), from the command line definition.

use super::{usage, write};
use crate::cli::Cli;
use anyhow::Context as _;
use cif_advisor::exit::ExitCode;
use clap::CommandFactory;

pub fn run(words: &[String]) -> anyhow::Result<ExitCode> {
    // roff from clap_mangen: UTF-8 text.
    write(String::from_utf8_lossy(&man_page(words)?))
}

/// The man page (roff) of the command named by `words` (`[]` the tool's,
/// `["recommend"]`, `["matrix", "validate"]` or `["matrix-validate"]`),
/// as clap_mangen renders it from the command line definition. The tool's
/// page ends with a SEE ALSO of every page this prints.
pub fn man_page(words: &[String]) -> anyhow::Result<Vec<u8>> {
    let mut top = Cli::command().disable_help_subcommand(true);
    top.build();
    let mut pages = Vec::new();
    man_pages(&top, &mut Vec::new(), &mut pages);
    let wanted = words.join(" ").replace('-', " ");
    let wanted = wanted.trim();
    let wanted = wanted.strip_prefix("cif advisor").unwrap_or(wanted).trim();
    let Some((_, path, cmd)) = pages.iter().find(|(name, _, _)| name == wanted) else {
        // (The first page is the tool's.)
        let names: Vec<&str> = pages[1..].iter().map(|(n, _, _)| n.as_str()).collect();
        return usage(format!(
            "no man page for '{}'; the pages are the tool's (`cif-advisor man`) and: {}",
            words.join(" "),
            names.join(", ")
        ));
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut buf)
        .with_context(|| format!("cannot render the man page '{wanted}'"))?;
    if path.is_empty() {
        buf.extend_from_slice(b".SH \"SEE ALSO\"\n");
        let refs: Vec<String> = pages[1..]
            .iter()
            .map(|(_, p, _)| format!("\\fBcif\\-advisor\\-{}\\fR(1)", p.join("\\-")))
            .collect();
        buf.extend_from_slice(refs.join(",\n").as_bytes());
        buf.extend_from_slice(
            b"\n.PP\nEach is printed by \\fBcif\\-advisor man\\fR \\fICOMMAND\\fR, \
              e.g. \\fBcif\\-advisor man recommend\\fR or \\fBcif\\-advisor man matrix validate\\fR.\n",
        );
    }
    Ok(buf)
}

/// A man page: its name as `man` takes it ("" for the tool's, "matrix
/// validate"), the subcommand path to it, and its command.
type ManPage = (String, Vec<String>, clap::Command);

/// Every page of `cmd` and its subcommands.
fn man_pages(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<ManPage>) {
    out.push((path.join(" "), path.clone(), cmd.clone()));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        path.push(sub.get_name().to_string());
        man_pages(sub, path, out);
        path.pop();
    }
}
