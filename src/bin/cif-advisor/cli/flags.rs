//! The requirement flags as clap arguments, made from the one table
//! (`cif_advisor::flags::REQUIREMENT_FLAGS`) rather than written out field by
//! field, and read back into what was given.

use crate::given::{Given, GivenFlag};
use cif_advisor::flags::{FlagKind, REQUIREMENT_FLAGS};
use cif_advisor::requirements::MAX_COUNT;
use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Args, FromArgMatches};
use std::path::PathBuf;

/// The help heading of the requirement flags (and of `recommend --skip`).
pub const HEADING: &str = "Requirements";

/// The requirement flags given, in table order, and `--requirements FILE`.
#[derive(Debug, Default, PartialEq)]
pub struct RequirementFlags {
    pub given: Vec<GivenFlag>,
    pub requirements: Option<PathBuf>,
}

impl RequirementFlags {
    /// Whether any requirement flag (or `--requirements`) was given.
    pub fn any(&self) -> bool {
        !self.given.is_empty() || self.requirements.is_some()
    }

    /// The values given to the flag of dimension `key` (none when not given).
    pub fn values_of(&self, key: &str) -> &[String] {
        match self.given.iter().find(|(f, _)| f.key == key) {
            Some((_, Given::Values(v))) => v,
            _ => &[],
        }
    }
}

impl Args for RequirementFlags {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        let ids = REQUIREMENT_FLAGS
            .iter()
            .map(|f| f.key)
            .chain(["requirements"]);
        let mut cmd = cmd.group(ArgGroup::new("RequirementFlags").multiple(true).args(ids));
        for f in &REQUIREMENT_FLAGS {
            let arg = Arg::new(f.key)
                .long(f.long)
                .help(f.help)
                .help_heading(HEADING);
            let valued = || arg.clone().value_name(f.value_name);
            let arg = match f.kind {
                FlagKind::One => valued().action(ArgAction::Set),
                FlagKind::List => valued().value_delimiter(',').action(ArgAction::Append),
                FlagKind::Switch => arg.action(ArgAction::SetTrue),
                FlagKind::Count => {
                    let count = valued().value_parser(parse_count);
                    count.allow_negative_numbers(true).action(ArgAction::Set)
                }
            };
            cmd = cmd.arg(arg);
        }
        cmd.arg(
            Arg::new("requirements")
                .long("requirements")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .action(ArgAction::Set)
                .help("A YAML or JSON file with the same keys (session, apps, providers, ...); flags override it key by key")
                .help_heading(HEADING),
        )
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for RequirementFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let given = REQUIREMENT_FLAGS.iter().filter_map(|f| {
            let value = match f.kind {
                FlagKind::One | FlagKind::List => matches
                    .get_many::<String>(f.key)
                    .map(|v| Given::Values(v.cloned().collect())),
                FlagKind::Switch => matches.get_flag(f.key).then_some(Given::On),
                FlagKind::Count => matches.get_one::<u32>(f.key).copied().map(Given::Count),
            };
            Some((f, value?))
        });
        Ok(RequirementFlags {
            given: given.collect(),
            requirements: matches.get_one::<PathBuf>("requirements").cloned(),
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

/// A count flag (`--providers N`): a whole number from 1 to `MAX_COUNT`,
/// with the same message for 0, -1, a huge number or a word.
fn parse_count(raw: &str) -> Result<u32, String> {
    cif_advisor::requirements::parse_count(raw)
        .ok_or_else(|| format!("expected a whole number from 1 to {MAX_COUNT}"))
}
