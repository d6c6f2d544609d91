//! What the requirement flags were given on a command line, read
//! (`requirements_from`, `skip_keys`), and the command
//! line that reproduces a set of requirements (`command_line`,
//! `shell_word`). The flags themselves are the library's
//! one table, `cif_advisor::flags::REQUIREMENT_FLAGS`.

use crate::error::CliError;
use cif_advisor::engine::Engine;
use cif_advisor::flags::{flag_for, FlagKind, RequirementFlag};
use cif_advisor::matrix::DimensionKind;
use cif_advisor::requirements::{self, Requirements, Value};

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

/// A requirement flag given, and what it was given.
pub type GivenFlag = (&'static RequirementFlag, Given);

/// The requirements the flags state. Flags are resolved one kind at a time
/// (single values, lists, switches, counts), so the first bad one is reported.
pub fn requirements_from(engine: &Engine, given: &[GivenFlag]) -> Result<Requirements, CliError> {
    let mut from_flags = Requirements::empty(engine.matrix);
    use FlagKind::{Count, List, One, Switch};
    for kind in [One, List, Switch, Count] {
        for (flag, value) in given.iter().filter(|(f, _)| f.kind == kind) {
            let dim = dimension_for(engine, flag)?;
            from_flags.values[dim] = match value {
                Given::Values(values) => {
                    // A list's items are trimmed, and the empty ones dropped.
                    let list = kind == List;
                    let items = values.iter().map(|v| if list { v.trim() } else { v });
                    let mut items: Vec<&str> = items.filter(|v| !list || !v.is_empty()).collect();
                    if items.is_empty() {
                        // `--app ""` states no value: an unknown value, as `--session ""` is.
                        items.push("");
                    }
                    let set = engine.lexicon.set_of(dim, items);
                    set.map_err(|e| bad_value(&flag.flag(), &e))?
                }
                Given::On => Some(Value::Set(1)),
                Given::Count(n) => Some(Value::Count(*n)),
            };
        }
    }
    Ok(from_flags)
}

/// The dimension a requirement flag states.
fn dimension_for(engine: &Engine, flag: &RequirementFlag) -> Result<usize, CliError> {
    engine.lexicon.dimension_index(flag.key).ok_or_else(|| {
        let (name, key, keys) = (flag.flag(), flag.key, engine.lexicon.keys().join(", "));
        CliError::Usage(format!(
            "{name} cannot be used: the matrix has no '{key}' dimension (it has: {keys}); \
             state it in --requirements FILE with the matrix's keys"
        ))
    })
}

fn bad_value(flag: &str, e: &requirements::UnknownValue) -> CliError {
    CliError::Usage(format!(
        "invalid value '{}' for '{flag}': {}valid values: {}",
        e.value,
        did_you_mean(e.suggestion.as_deref()),
        e.valid.join(", ")
    ))
}

/// "did you mean 'x'? " when there is a suggestion.
fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map_or(String::new(), |s| format!("did you mean '{s}'? "))
}

/// Marks the `--skip` keys as left open on purpose (a flag overrides the
/// requirements file's value for that key). A key that a flag also states
/// is a usage error: which of the two was meant cannot be known.
pub fn skip_keys(
    engine: &Engine,
    req: &mut Requirements,
    keys: &[String],
    given: &[GivenFlag],
) -> Result<(), CliError> {
    for key in keys.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        let lexicon = &engine.lexicon;
        let dim = lexicon.dimension_index(key).ok_or_else(|| {
            CliError::Usage(format!(
                "invalid value '{key}' for '--skip': {}valid requirement keys: {}",
                did_you_mean(lexicon.suggest_key(key)),
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
            (_, Value::Set(mask)) => parts.extend(
                requirements::bits(mask)
                    .filter_map(|i| engine.lexicon.value_ids(dim).get(i))
                    .map(|id| format!("{flag} {id}")),
            ),
        }
    }
    let skipped = engine.key_names(req.skipped);
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
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c));
    if plain {
        word.to_string()
    } else if word.chars().any(cif_advisor::sanitize::is_unsafe) {
        let escape = |c: char| match c {
            '\'' | '\\' => format!("\\{c}"),
            c if !cif_advisor::sanitize::is_unsafe(c) => c.to_string(),
            c if c.is_ascii() => format!("\\x{:02x}", u32::from(c)),
            c => format!("\\u{:04x}", u32::from(c)),
        };
        format!("$'{}'", word.chars().map(escape).collect::<String>())
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
