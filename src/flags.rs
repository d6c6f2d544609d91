//! The requirement flags, in one table: each names one dimension of the
//! matrix by its key. From this table come the command line's arguments
//! (`cli::flags` builds them), the conversion of what was given into
//! `Requirements` (`requirements_from`), the command line that reproduces
//! a set of requirements (`command_line`), the completion hints, and the
//! flag table of docs/reference.md (a test compares them). A matrix's own dimension
//! without a flag is stated through a requirements file.
//!
//! Adding a flag: add its row here (in `--help` order) and its dimension to
//! data/cif-matrix.yaml, then its row to docs/reference.md's table; the tests name
//! whatever is missing.

use crate::engine::Engine;
use crate::error::CliError;
use crate::matrix::{DimensionKind, MatrixSource};
use crate::render::Format;
use crate::requirements::{self, Requirements, Value};

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// One value (`--session multi`).
    One,
    /// Values, repeated or comma-separated (`--app sales,cs-workspace`).
    List,
    /// No value: present is "needed" (`--analytics`).
    Switch,
    /// A whole number from 1 to `requirements::MAX_COUNT` (`--providers 2`).
    Count,
}

/// One requirement flag.
#[derive(Debug, PartialEq, Eq)]
pub struct RequirementFlag {
    /// The matrix dimension it states.
    pub key: &'static str,
    /// The long flag, without `--`.
    pub long: &'static str,
    /// The value's name in `--help` (none for a switch).
    pub value_name: &'static str,
    pub kind: FlagKind,
    /// The line in `--help`.
    pub help: &'static str,
}

impl RequirementFlag {
    /// `--app` and the like.
    pub fn flag(&self) -> String {
        format!("--{}", self.long)
    }
}

const fn flag(
    key: &'static str,
    long: &'static str,
    value_name: &'static str,
    kind: FlagKind,
    help: &'static str,
) -> RequirementFlag {
    RequirementFlag {
        key,
        long,
        value_name,
        kind,
        help,
    }
}

/// The requirement flags, in `--help` order.
pub const REQUIREMENT_FLAGS: [RequirementFlag; 14] = [
    flag("session", "session", "MODE", FlagKind::One,
        "Session mode the agents work in: single, multi"),
    flag("apps", "app", "APP", FlagKind::List,
        "Model-driven app(s) the agents use: an id, alias or name (repeat or comma-separate), e.g. sales, cs-workspace"),
    flag("providers", "providers", "N", FlagKind::Count,
        "Channel providers agents use at the same time (1 or more), Microsoft's own Omnichannel channels included; the tool never adds one itself"),
    flag("analytics", "analytics", "", FlagKind::Switch,
        "Channel analytics is needed"),
    flag("channels", "channel", "TYPE", FlagKind::List,
        "Channel type(s) to integrate: telephony, sms, chat, email, social (repeat or comma-separate)"),
    flag("panel_side", "panel-side", "SIDE", FlagKind::One,
        "Side of the screen for the communication panel: right, left"),
    flag("panel_modes", "panel-mode", "MODE", FlagKind::List,
        "Communication panel mode(s) needed: minimized, expanded, docked, hidden, collapsed"),
    flag("templates", "template", "KIND", FlagKind::List,
        "Template kind(s) needed: notification, application-tab, session"),
    flag("presence", "presence", "", FlagKind::Switch,
        "Agent presence must be synchronised with the provider"),
    flag("cloud", "cloud", "CLOUD", FlagKind::One,
        "Cloud of the organisation: commercial, gcc, gcc-high, dod"),
    flag("client", "client", "CLIENT", FlagKind::One,
        "Client the agents use: web, mobile"),
    flag("deployment", "deployment", "KIND", FlagKind::One,
        "Deployment of Dynamics 365: online, on-premises"),
    flag("host", "host", "HOST", FlagKind::One,
        "Where agents run the app, today or after the move: browser, usd (Unified Service Desk), teams"),
    flag("dialers", "dialer", "KIND", FlagKind::List,
        "Other telephony already on for the same users: teams-dialer, sales-hub-dialer (repeat or comma-separate)"),
];

/// The flag that states the dimension `key`, if one does.
pub fn flag_for(key: &str) -> Option<&'static RequirementFlag> {
    REQUIREMENT_FLAGS.iter().find(|f| f.key == key)
}

/// What a flag was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// The values of a `One` (a single value) or `List` flag, as typed.
    Values(Vec<String>),
    /// A switch that is on.
    On,
    /// A count, already checked to be from 1 to `requirements::MAX_COUNT`.
    Count(u32),
}

/// The requirement flags given on a command line, in table order.
pub type GivenFlags = Vec<(&'static RequirementFlag, Given)>;

/// `base` (the requirements file's, or none) with the flags laid over it
/// key by key. Flags are resolved one kind at a time (single values, lists,
/// switches, counts), so the first bad one is reported.
pub fn requirements_from(
    engine: &Engine,
    base: Requirements,
    given: &[(&'static RequirementFlag, Given)],
) -> Result<Requirements, CliError> {
    let lexicon = &engine.lexicon;
    let mut req = base;
    let mut from_flags = Requirements::empty(engine.matrix);
    for kind in [
        FlagKind::One,
        FlagKind::List,
        FlagKind::Switch,
        FlagKind::Count,
    ] {
        for (flag, value) in given.iter().filter(|(f, _)| f.kind == kind) {
            let dim = dimension_for(engine, flag)?;
            from_flags.values[dim] = match value {
                Given::Values(values) if kind == FlagKind::One => lexicon
                    .set_of(dim, values.iter().map(String::as_str))
                    .map_err(|e| bad_value(&flag.flag(), &e))?,
                Given::Values(values) => {
                    let mut values: Vec<&str> = values
                        .iter()
                        .map(|v| v.trim())
                        .filter(|v| !v.is_empty())
                        .collect();
                    if values.is_empty() {
                        // `--app ""` states no value: an unknown value, as `--session ""` is.
                        values.push("");
                    }
                    lexicon
                        .set_of(dim, values)
                        .map_err(|e| bad_value(&flag.flag(), &e))?
                }
                Given::On => Some(Value::Set(1)),
                Given::Count(n) => Some(Value::Count(*n)),
            };
        }
    }
    req.overlay(&from_flags);
    Ok(req)
}

/// The dimension a requirement flag states.
fn dimension_for(engine: &Engine, flag: &RequirementFlag) -> Result<usize, CliError> {
    engine.lexicon.dimension_index(flag.key).ok_or_else(|| {
        CliError::Usage(format!(
            "{} cannot be used: the matrix has no '{}' dimension (it has: {}); \
             state it in --requirements FILE with the matrix's keys",
            flag.flag(),
            flag.key,
            engine.lexicon.keys().join(", ")
        ))
    })
}

fn bad_value(flag: &str, e: &requirements::UnknownValue) -> CliError {
    let hint = match &e.suggestion {
        Some(s) => format!("did you mean '{s}'? "),
        None => String::new(),
    };
    CliError::Usage(format!(
        "invalid value '{}' for '{flag}': {hint}valid values: {}",
        e.value,
        e.valid.join(", ")
    ))
}

/// Marks the `--skip` keys as left open on purpose (a flag overrides the
/// requirements file's value for that key). A key that a flag also states
/// is a usage error: which of the two was meant cannot be known.
pub fn skip_keys(
    engine: &Engine,
    req: &mut Requirements,
    keys: &[String],
    given: &[(&'static RequirementFlag, Given)],
) -> Result<(), CliError> {
    for key in keys.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        let lexicon = &engine.lexicon;
        let dim = lexicon.dimension_index(key).ok_or_else(|| {
            let hint = match lexicon.suggest_key(key) {
                Some(k) => format!("did you mean '{k}'? "),
                None => String::new(),
            };
            CliError::Usage(format!(
                "invalid value '{key}' for '--skip': {hint}valid requirement keys: {}",
                lexicon.keys().join(", ")
            ))
        })?;
        if let Some((flag, value)) = given.iter().find(|(f, _)| f.key == key) {
            let stated = match value {
                Given::Values(v) => format!("{} {}", flag.flag(), v.join(",")),
                Given::On => flag.flag(),
                Given::Count(n) => format!("{} {n}", flag.flag()),
            };
            return Err(CliError::Usage(format!(
                "--skip {key} contradicts {stated}; give one of them"
            )));
        }
        req.skip(dim);
    }
    Ok(())
}

/// The command line that states a set of requirements: its flags, and the
/// dimensions no flag can state (a custom matrix's own).
pub struct CommandLine {
    /// `cif-advisor recommend --app sales …`
    pub flags: String,
    /// The keys of the stated dimensions that have no flag.
    pub unflagged: Vec<String>,
}

impl CommandLine {
    /// "plus softphones in --requirements FILE", when a dimension has no flag.
    pub fn note(&self) -> Option<String> {
        (!self.unflagged.is_empty())
            .then(|| format!("plus {} in --requirements FILE", self.unflagged.join(", ")))
    }
}

/// The command line that states `req` (for scripts).
pub fn command_line(engine: &Engine, req: &Requirements) -> CommandLine {
    let mut parts = vec!["cif-advisor".to_string(), "recommend".to_string()];
    let mut unflagged = Vec::new();
    for (dim, value) in req.stated() {
        let d = &engine.matrix.dimensions[dim];
        let Some(flag) = flag_for(&d.key) else {
            unflagged.push(d.key.to_string());
            continue;
        };
        let flag = flag.flag();
        match (d.kind, value) {
            (_, Value::Count(n)) => parts.push(format!("{flag} {n}")),
            (DimensionKind::Flag, _) => parts.push(flag),
            (_, Value::Set(mask)) => {
                for i in requirements::bits(mask) {
                    if let Some(id) = engine.lexicon.value_ids(dim).get(i) {
                        parts.push(format!("{flag} {id}"));
                    }
                }
            }
        }
    }
    let skipped: Vec<&str> = req
        .skipped_dims()
        .map(|d| engine.matrix.dimensions[d].key.as_ref())
        .collect();
    if !skipped.is_empty() {
        parts.push(format!("--skip {}", skipped.join(",")));
    }
    CommandLine {
        flags: parts.join(" "),
        unflagged,
    }
}

/// A command-line word, quoted for a POSIX shell when it needs it. A word
/// with a control character or a bidirectional override (a file name can
/// hold one) is written `$'…'` with those characters as escapes, so that
/// nothing reaches the terminal raw and the line still runs as it was.
pub fn shell_word(word: &str) -> String {
    use std::fmt::Write as _;
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c));
    if plain {
        word.to_string()
    } else if word.chars().any(crate::sanitize::is_unsafe) {
        let mut out = String::from("$'");
        for c in word.chars() {
            match c {
                '\'' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                c if crate::sanitize::is_unsafe(c) => {
                    let _ = match u32::from(c) {
                        n @ 0..=0x7f => write!(out, "\\x{n:02x}"),
                        n => write!(out, "\\u{n:04x}"),
                    };
                }
                c => out.push(c),
            }
        }
        out.push('\'');
        out
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The options beside the requirements that the answer depends on: the
/// matrix file and a format other than text.
pub fn extra_options(source: &MatrixSource, format: Format) -> String {
    use std::fmt::Write as _;
    let mut extra = String::new();
    if let MatrixSource::File(path) = source {
        let _ = write!(
            extra,
            " --matrix {}",
            shell_word(&path.display().to_string())
        );
    }
    if format != Format::Text {
        let _ = write!(extra, " --format {}", format.name());
    }
    extra
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_flags_are_unique() {
        for (i, a) in REQUIREMENT_FLAGS.iter().enumerate() {
            for b in &REQUIREMENT_FLAGS[i + 1..] {
                assert_ne!(a.key, b.key);
                assert_ne!(a.long, b.long);
            }
            assert_eq!(
                a.value_name.is_empty(),
                a.kind == FlagKind::Switch,
                "{}",
                a.key
            );
            assert!(
                !a.help.ends_with('.'),
                "{}: clap's help lines end without a period",
                a.key
            );
        }
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("org.yaml"), "org.yaml");
        assert_eq!(shell_word("my org.yaml"), "'my org.yaml'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        // Control characters and overrides are escaped, for bash and zsh.
        assert_eq!(shell_word("m\u{1b}[31mX's.yaml"), r"$'m\x1b[31mX\'s.yaml'");
        assert_eq!(shell_word("a\u{202e}b\\c"), r"$'a\u202eb\\c'");
    }
}
