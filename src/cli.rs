//! The command line (clap derive). Nothing past `run` sees these types:
//! they are turned into plain values (`Requirements`, formats) at the edge.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  cif-advisor recommend --app sales --providers 1
  cif-advisor recommend --app cs-workspace --analytics --format json
  cif-advisor compare --format markdown
  cif-advisor troubleshoot \"Microsoft is not defined\"

Exit codes: 0 success (a version fits), 1 error, 2 usage, 3 no version fits / no known problem matches, 130 interrupted.";

/// Which Dynamics 365 Channel Integration Framework version (1.0 or 2.0) fits your organisation, and why.
#[derive(Debug, Parser)]
#[command(name = "cif-advisor", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// Use this matrix file instead of the built-in one (YAML; see `matrix export`).
    #[arg(long, global = true, value_name = "FILE", env = "CIF_ADVISOR_MATRIX")]
    pub matrix: Option<PathBuf>,

    /// When to use colour: auto (only on a terminal, and not when NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
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
    /// The checklist for moving a channel provider from CIF 1.0 to 2.0.
    Migrate(MigrateArgs),
    /// Match an error message or a symptom against known problems and their fixes.
    Troubleshoot(TroubleshootArgs),
    /// Export or validate a matrix file.
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
    /// Print the man page (roff) to standard output.
    Man,
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

    /// Output format.
    #[arg(long, value_enum, default_value_t = DecisionFormat::Text, value_name = "FORMAT")]
    pub format: DecisionFormat,

    /// Print only the recommended version id (nothing when none fits); the exit code tells the outcome.
    #[arg(short, long, conflicts_with_all = ["interactive", "batch"])]
    pub quiet: bool,

    /// Ask the questions interactively (needs a terminal).
    #[arg(short, long, conflicts_with_all = ["no_input", "batch"])]
    pub interactive: bool,

    /// Never ask questions, even in a terminal.
    #[arg(long)]
    pub no_input: bool,

    /// Read JSON Lines (one requirements object per line) from FILE or `-` and write one JSON result per line.
    #[arg(long, value_name = "FILE")]
    pub batch: Option<PathBuf>,

    /// Batch output: `compact` (line, id, recommended, fits, failed) or `full` (the whole recommend object).
    #[arg(long, value_enum, default_value_t = Detail::Compact, requires = "batch")]
    pub detail: Detail,
}

/// The requirement flags; each names one dimension of the matrix.
#[derive(Debug, Default, Args)]
pub struct RequirementFlags {
    /// Session mode the agents work in: single, multi.
    #[arg(long, value_name = "MODE", help_heading = "Requirements")]
    pub session: Option<String>,

    /// Model-driven app(s) the agents use: an id, alias or name (repeat or comma-separate), e.g. sales, cs-workspace.
    #[arg(
        long = "app",
        value_name = "APP",
        value_delimiter = ',',
        help_heading = "Requirements"
    )]
    pub apps: Vec<String>,

    /// Channel providers needed at the same time (1 or more).
    #[arg(long, value_name = "N", value_parser = parse_providers, allow_negative_numbers = true, help_heading = "Requirements")]
    pub providers: Option<u32>,

    /// Channel analytics is needed.
    #[arg(long, help_heading = "Requirements")]
    pub analytics: bool,

    /// Channel type(s) to integrate: telephony, sms, chat, email, social (repeat or comma-separate).
    #[arg(
        long = "channel",
        value_name = "TYPE",
        value_delimiter = ',',
        help_heading = "Requirements"
    )]
    pub channels: Vec<String>,

    /// Side of the screen for the communication panel: left, right.
    #[arg(long, value_name = "SIDE", help_heading = "Requirements")]
    pub panel_side: Option<String>,

    /// Communication panel mode(s) needed: minimized, expanded, docked, hidden, collapsed.
    #[arg(
        long = "panel-mode",
        value_name = "MODE",
        value_delimiter = ',',
        help_heading = "Requirements"
    )]
    pub panel_modes: Vec<String>,

    /// Template kind(s) needed: notification, application-tab, session.
    #[arg(
        long = "template",
        value_name = "KIND",
        value_delimiter = ',',
        help_heading = "Requirements"
    )]
    pub templates: Vec<String>,

    /// Agent presence must be synchronised with the provider.
    #[arg(long, help_heading = "Requirements")]
    pub presence: bool,

    /// Cloud of the organisation: commercial, gcc.
    #[arg(long, value_name = "CLOUD", help_heading = "Requirements")]
    pub cloud: Option<String>,

    /// Client the agents use: web, mobile.
    #[arg(long, value_name = "CLIENT", help_heading = "Requirements")]
    pub client: Option<String>,

    /// Deployment of Dynamics 365: online, on-premises.
    #[arg(long, value_name = "KIND", help_heading = "Requirements")]
    pub deployment: Option<String>,

    /// A YAML or JSON file with the same keys (session, apps, providers, ...); flags override it key by key.
    #[arg(long, value_name = "FILE", help_heading = "Requirements")]
    pub requirements: Option<PathBuf>,
}

/// `--providers N`: a whole number from 1 to `MAX_COUNT`, with the same
/// message for 0, -1, a huge number or a word.
fn parse_providers(raw: &str) -> Result<u32, String> {
    let max = crate::requirements::MAX_COUNT;
    match raw.trim().parse::<u64>() {
        Ok(n) if (1..=max).contains(&n) => u32::try_from(n).map_err(|e| e.to_string()),
        _ => Err(format!("expected a whole number from 1 to {max}")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecisionFormat {
    Text,
    Json,
    Yaml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Detail {
    Compact,
    Full,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table, value_name = "FORMAT")]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Markdown,
    Json,
    Yaml,
}

#[derive(Debug, Args)]
pub struct AppsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table, value_name = "FORMAT")]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
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
    #[arg(long, value_enum, default_value_t = DocFormat::Table, value_name = "FORMAT")]
    pub format: DocFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Text, value_name = "FORMAT")]
    pub format: TextFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    Text,
    Json,
}

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
    #[arg(long, value_enum, default_value_t = TextFormat::Text, value_name = "FORMAT")]
    pub format: TextFormat,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
