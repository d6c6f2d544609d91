//! The command line (clap derive). Only `app` and the handlers in
//! `commands` see these types: each handler turns them into plain values
//! (`Requirements`, a `render::Format`, options) before calling the library.
//! The requirement flags are built from one table (`flags`).

use cif_advisor::batch::Detail::{self, Compact, Full};
use cif_advisor::output::ColorWhen::{self, Always, Auto, Never};
use cif_advisor::render::Format::{self, Json, Markdown, Table, Text, Yaml};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::path::PathBuf;

pub mod flags;
pub use flags::RequirementFlags;

const AFTER_HELP: &str = "\
Examples:
  cif-advisor recommend --app sales --providers 1
  cif-advisor recommend --app cs-workspace --analytics --format json
  cif-advisor compare --format markdown
  cif-advisor troubleshoot \"Microsoft is not defined\"

Exit codes: 0 success (a version fits), 1 error, 2 usage, 3 no version fits / no known problem matches, 4 --strict and the answer is not firm, 130 interrupted, 143 terminated.";

/// Which Dynamics 365 Channel Integration Framework version (1.0 or 2.0) fits your organisation, and why.
#[derive(Debug, Args)]
#[command(name = "cif-advisor", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub options: GlobalOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands that take no `--matrix` or `--color`.
const WITHOUT_GLOBALS: [&str; 2] = ["man", "completions"];

/// The command line: clap's derived definition, with the global options
/// `--matrix` and `--color` only on the subcommands they apply to.
///
/// clap copies a global option into every subcommand; instead, the top
/// level keeps them as its own options (`cif-advisor --matrix F compare`)
/// and every subcommand but `WITHOUT_GLOBALS` gets a global copy
/// (`cif-advisor compare --matrix F`, and `matrix validate --matrix F`),
/// whose value clap hands up to the top level, where `GlobalOptions` reads
/// it. So `man` and `completions` neither offer nor accept them (help, man
/// pages and completion scripts follow the definition).
impl CommandFactory for Cli {
    fn command() -> clap::Command {
        scope_globals(Self::augment_args)
    }
    fn command_for_update() -> clap::Command {
        scope_globals(Self::augment_args_for_update)
    }
}

impl Parser for Cli {}

/// The command `define` makes, with the global options scoped (see above).
fn scope_globals(define: fn(clap::Command) -> clap::Command) -> clap::Command {
    let cmd = define(clap::Command::new("cif-advisor"));
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let cmd = cmd.mut_args(|a| a.global(false));
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|n| !WITHOUT_GLOBALS.contains(&n.as_str()))
        .collect();
    names.into_iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name, |sub| sub.args(globals.iter().cloned()))
    })
}

/// The options of every subcommand but `man` and `completions`.
#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// Use this matrix file instead of the built-in one (YAML; see `matrix export`).
    #[arg(long, global = true, value_name = "FILE", env = "CIF_ADVISOR_MATRIX")]
    pub matrix: Option<PathBuf>,

    /// When to use colour: auto (only on a terminal, and not when NO_COLOR is set), always, never.
    #[arg(long, global = true, default_value = "auto", value_name = "WHEN",
        value_parser = one_of(&[Auto, Always, Never], ColorWhen::as_str))]
    pub color: ColorWhen,

    /// Evaluate retirement dates (deprecated, end of support, removed) at this day, YYYY-MM-DD, instead of today (or CIF_ADVISOR_AS_OF).
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<cif_advisor::engine::dated::Day>,
}

/// `--as-of`: a real calendar day, `YYYY-MM-DD`.
pub fn parse_as_of(text: &str) -> Result<cif_advisor::engine::dated::Day, String> {
    cif_advisor::engine::dated::parse_day(text).ok_or_else(|| {
        format!("'{text}' is not a date; give a real day as YYYY-MM-DD, e.g. 2026-12-07")
    })
}

/// The values an option takes (a command's `--format`: the formats it
/// offers), each read as the value `name` names so.
fn one_of<T: Copy + Send + Sync + 'static>(
    values: &'static [T],
    name: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T> {
    let value = move |given: String| values.iter().copied().find(|&v| name(v) == given);
    PossibleValuesParser::new(values.iter().map(move |&v| name(v)))
        .map(move |given| value(given).unwrap_or(values[0]))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Recommend a CIF version for your requirements (asks in a terminal when none are given).
    #[command(after_help = RECOMMEND_AFTER_HELP)]
    Recommend(Box<RecommendArgs>),
    /// Show the comparison table of all versions.
    Compare(CompareArgs),
    /// List the model-driven apps, their session mode and the version that supports each.
    Apps(AppsArgs),
    /// Show the Microsoft.CIFramework JavaScript methods and events of each version.
    Api(ApiArgs),
    /// The checklist for moving a channel provider from CIF 1.0 to 2.0 (tailored by the requirement flags).
    #[command(after_help = MIGRATE_AFTER_HELP)]
    Migrate(Box<MigrateArgs>),
    /// Match an error message or a symptom against known problems and their fixes.
    #[command(after_help = TROUBLESHOOT_AFTER_HELP)]
    Troubleshoot(TroubleshootArgs),
    /// Check an exported channel-provider configuration (Web API JSON, CMT data.xml or zip) for mistakes.
    #[command(after_help = CHECK_AFTER_HELP)]
    Check(CheckArgs),
    /// Export or validate a matrix file, or list the sources the data cite.
    Matrix {
        #[command(subcommand)]
        action: MatrixCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell to generate completions for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): the tool's, or a command's (`man recommend`, `man matrix validate`).
    Man {
        /// The command whose page to print (e.g. recommend, compare, matrix validate); none: the tool's page.
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
    },
}

const RECOMMEND_AFTER_HELP: &str = "\
Values come from the matrix: see `cif-advisor apps` for app ids and aliases, and
`cif-advisor matrix export` for every dimension and value.

Examples:
  cif-advisor recommend --app sales --providers 1
  cif-advisor recommend --app cs-workspace --template session --analytics -q
  cif-advisor recommend --requirements org.yaml --cloud gcc
  cif-advisor recommend --batch orgs.jsonl > results.jsonl";

#[derive(Debug, Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub requirements: RequirementFlags,

    /// Output format (markdown: the decision record, to paste into a design document).
    #[arg(long, default_value = "text", value_name = "FORMAT", value_parser = one_of(&[Text, Json, Yaml, Markdown], Format::name))]
    pub format: Format,

    /// Print only the answer: the version id, or APP=VERSION pairs for a plan (nothing when none fits); the exit code tells the outcome.
    #[arg(short, long, conflicts_with_all = ["interactive", "batch"])]
    pub quiet: bool,

    /// Show every check, caveat and change (the default text is short).
    #[arg(short, long, conflicts_with = "batch")]
    pub verbose: bool,

    /// Exit with 4 when the answer is conditional or open, or carries a blocking caveat.
    #[arg(long, conflicts_with = "batch")]
    pub strict: bool,

    /// Ask the questions interactively (needs a terminal).
    #[arg(short, long, conflicts_with_all = ["no_input", "batch"])]
    pub interactive: bool,

    /// Never ask questions, even in a terminal.
    #[arg(long)]
    pub no_input: bool,

    /// Requirement key(s) left open on purpose (repeat or comma-separate), e.g. providers: listed as skipped, not as unanswered.
    #[arg(long, value_name = "KEY", value_delimiter = ',', conflicts_with = "batch", help_heading = flags::HEADING)]
    pub skip: Vec<String>,

    /// Also write the requirements (the answers, with -i) to FILE as a requirements file, for --requirements FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "batch")]
    pub save: Option<PathBuf>,

    /// Read JSON Lines (one requirements object per line) from FILE or `-` and write one JSON result per line.
    #[arg(long, value_name = "FILE")]
    pub batch: Option<PathBuf>,

    /// Batch output: `compact` (line, id, outcome, recommended, confidence, plan, fits, failed) or `full` (the whole recommend object).
    #[arg(long, default_value = "compact", requires = "batch",
        value_parser = one_of(&[Compact, Full], Detail::as_str))]
    pub detail: Detail,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Output format.
    #[arg(long, default_value = "table", value_name = "FORMAT", value_parser = one_of(&[Table, Markdown, Json, Yaml], Format::name))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AppsArgs {
    /// Output format.
    #[arg(long, default_value = "table", value_name = "FORMAT", value_parser = one_of(&[Table, Json], Format::name))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// Show only this version's members (e.g. 1.0).
    #[arg(long = "version", value_name = "V")]
    pub api_version: Option<String>,
    /// Show only what differs between versions, and what is deprecated.
    #[arg(long)]
    pub diff: bool,
    /// Output format.
    #[arg(long, default_value = "table", value_name = "FORMAT", value_parser = one_of(&[Table, Json, Markdown], Format::name))]
    pub format: Format,
}

const MIGRATE_AFTER_HELP: &str = "\
With no requirement flag, every step and pitfall is listed. With flags, the checklist describes
exactly the stated situation: a capability not stated is not needed there, so its steps and
pitfalls are left out (e.g. the home-session step needs --providers 2 or more, the analytics
step --analytics, the template pitfall --template ...). The output names what was left out.

With requirements, the engine decides first: the checklist covers the part of the answer on CIF
2.0 (and names it), or a retired host's successor on CIF 2.0 (Unified Service Desk); when no part
goes to 2.0 it says why in one line and exits 0. A requirements file with teams gives one
checklist per team.

Examples:
  cif-advisor migrate --providers 2 --analytics
  cif-advisor migrate --requirements teams.yaml
  cif-advisor migrate --template session --format markdown > checklist.md";

#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub requirements: RequirementFlags,

    /// Output format (markdown: a `- [ ]` checklist with source links).
    #[arg(long, default_value = "text", value_name = "FORMAT", value_parser = one_of(&[Text, Json, Markdown], Format::name))]
    pub format: Format,
}

const TROUBLESHOOT_AFTER_HELP: &str = "\
How well a problem fits is shown as one measure, the fit:
  exact  the text is the problem's id or contains its error message (score 1)
  good   a word match scoring 0.5 or more (of 1): enough words, or rare ones, in common
  weak   a word match scoring less: few or common words; check that the symptom fits
The score (0-1, in --format json beside the fit) weighs the words the query and a
problem share by how rare they are, and is lowered when only a few common words
match; an API name typed as documented (setMode, msdyn_channelurl) counts most.
Exit 3 when nothing matches, with what to check first.

Examples:
  cif-advisor troubleshoot \"Microsoft is not defined\"
  cif-advisor troubleshoot setWidth does nothing
  cif-advisor troubleshoot C5
  cif-advisor troubleshoot --list --version 2.0";

#[derive(Debug, Args)]
pub struct TroubleshootArgs {
    /// The error message or symptom (quote it, or give several words); a problem id such as C5 shows that problem.
    #[arg(value_name = "TEXT", required_unless_present = "list")]
    pub text: Vec<String>,
    /// Only problems that apply to this CIF version (e.g. 2.0).
    #[arg(long = "version", value_name = "V")]
    pub for_version: Option<String>,
    /// List every known problem.
    #[arg(long)]
    pub list: bool,
    /// Output format.
    #[arg(long, default_value = "text", value_name = "FORMAT", value_parser = one_of(&[Text, Json], Format::name))]
    pub format: Format,
}

const CHECK_AFTER_HELP: &str = "\
Reads (detected by content): Dataverse Web API JSON of msdyn_ciproviders, msdyn_channelproviders,
msdyn_appconfigurations, msdyn_appprofilerolemappings, appmodules and roles (one file per query,
pages as several files; {\"value\": [...]} or {\"entities\": [...]} from Xrm.WebApi), and the
Configuration Migration tool's data.xml or its zip. UTF-8 or UTF-16 with a byte-order mark; at most
64 MiB a file. Rules: R01... of data/check-rules.yaml (each finding names its rule, fix and source).

Examples:
  cif-advisor check --queries https://contoso.crm.dynamics.com
  cif-advisor check msdyn_ciproviders.json appmodules.json roles.json
  cif-advisor check data.zip --format markdown > review.md
  cif-advisor check *.json --strict --format json
  cif-advisor check --diff dev/msdyn_channelproviders.json prod/msdyn_channelproviders.json
  cif-advisor check --org https://contoso.crm.dynamics.com data.zip appmodules.json roles.json
  cif-advisor check --expect outbound=contoso_voice --expect analytics *.json

Exit codes: 0 no error-level finding, 1 a file cannot be read, 2 usage,
3 an error-level finding (with --strict, a warning too).";

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The exported files, or folders of them (their .json, .xml and .zip files); `-` reads standard input.
    #[arg(
        value_name = "FILE",
        required_unless_present = "queries",
        conflicts_with = "queries"
    )]
    pub files: Vec<PathBuf>,

    /// Print the Web API requests that export what check reads from this org (e.g. https://contoso.crm.dynamics.com), and exit.
    #[arg(long, value_name = "ORG_URL")]
    pub queries: Option<String>,

    /// Output format.
    #[arg(long, default_value = "text", value_name = "FORMAT", value_parser = one_of(&[Text, Json, Markdown], Format::name))]
    pub format: Format,

    /// Fail (exit 3) on warnings too, for pipelines.
    #[arg(long)]
    pub strict: bool,

    /// An earlier export of the same org (repeat for several files): rule R11 compares the CIF 2.0 providers' Unique Names with it.
    #[arg(long, value_name = "OLD")]
    pub diff: Vec<PathBuf>,

    /// What the team expects of its providers: outbound (click-to-call on; rule R12) or analytics (channel analytics on; rule R21), of every provider but msdyn_omnichannel, or with =NAME of the provider with that unique name or name (repeatable).
    #[arg(long, value_name = "WHAT[=NAME]", value_delimiter = ',', value_parser = clap::value_parser!(cif_advisor::check::rules::Expectation))]
    pub expect: Vec<cif_advisor::check::rules::Expectation>,

    /// The organisation of the files that name none (a CMT data.xml or zip, Xrm.WebApi output), e.g. https://contoso.crm.dynamics.com: they are checked with that org's other files.
    #[arg(long, value_name = "ORG_URL")]
    pub org: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MatrixCommand {
    /// Print the built-in matrix, byte for byte (a starting point for your own).
    Export,
    /// Check a matrix file (default: the active matrix) and lint it.
    Validate {
        /// The file to check; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// List every page the data cite, with the facts that rest on it; with
    /// --docs, the pages missing from a checkout of the docs and those changed
    /// (ms.date) after the data's review.
    Sources {
        /// A local checkout (full or sparse) of
        /// MicrosoftDocs/dynamics-365-customer-engagement (the folder holding ce/).
        #[arg(long, value_name = "DIR")]
        docs: Option<PathBuf>,
        /// Output format.
        #[arg(long, default_value = "text", value_name = "FORMAT", value_parser = one_of(&[Text, Json], Format::name))]
        format: Format,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn man_and_completions_take_no_global_option() {
        let full = Cli::command();
        for name in WITHOUT_GLOBALS {
            let sub = full.find_subcommand(name).expect(name);
            assert!(sub.get_arguments().all(|a| !a.is_global_set()), "{name}");
        }
    }
}
