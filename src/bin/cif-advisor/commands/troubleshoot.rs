//! `troubleshoot`: match an error message or symptom against known problems.

use super::{usage, write_as, Context};
use crate::cli::TroubleshootArgs;
use cif_advisor::exit::ExitCode;
use cif_advisor::knowledge::problem_catalogue;
use cif_advisor::render;
use cif_advisor::troubleshoot::{answer, clean_query, resolve_version, word_rules, Searcher};

pub fn run(ctx: &Context, args: TroubleshootArgs) -> anyhow::Result<ExitCode> {
    let catalogue = problem_catalogue()?;
    let version = resolve_version(&catalogue, args.for_version.as_deref())?;
    let (query, format) = (clean_query(&args.text.join(" "))?, args.format);
    if args.list {
        if !query.is_empty() {
            return usage("--list lists every problem; give either TEXT or --list, not both");
        }
        let text =
            render::troubleshoot::list(&catalogue, version.as_deref(), format, &ctx.styles())?;
        return write_as(text, format);
    }
    if query.is_empty() {
        return usage(
            "describe the problem: paste the error message or a few words about the symptom, \
             e.g. `cif-advisor troubleshoot \"Microsoft is not defined\"` (or use --list)",
        );
    }
    let rules = word_rules()?;
    let searcher = Searcher::built_in(&catalogue, &rules);
    let found = answer(&searcher, &query, version.as_deref())?;
    let text = render::troubleshoot::answer(&found, format, &ctx.styles())?;
    let written = write_as(text, format)?;
    // Exit 3 when nothing matches.
    Ok(found.matches.first().map_or(ExitCode::NoMatch, |_| written))
}
