//! The requirements a command is given: a requirements file and the
//! requirement flags over it (shared by `recommend` and `migrate`), and
//! `--save FILE`.

use crate::cli::RequirementFlags;
use crate::engine::Engine;
use crate::error::CliError;
use crate::input;
use crate::requirements::{self, Requirements};
use std::path::Path;

/// The largest requirements file accepted.
pub const MAX_REQUIREMENTS_BYTES: u64 = 1024 * 1024;

/// `Requirements` from a requirements file (if any) and the flags, flags
/// overriding the file key by key.
pub fn from_flags(engine: &Engine, flags: &RequirementFlags) -> Result<Requirements, CliError> {
    let base = match &flags.requirements {
        Some(path) => read_file(engine, path)?,
        None => Requirements::empty(engine.matrix),
    };
    crate::flags::requirements_from(engine, base, &flags.given)
}

/// Reads and parses a requirements file (YAML or JSON; `-` is standard input).
pub fn read_file(engine: &Engine, path: &Path) -> Result<Requirements, CliError> {
    let text =
        input::read_text(path, MAX_REQUIREMENTS_BYTES).map_err(CliError::RequirementsFile)?;
    requirements::parse_document(&text, &engine.lexicon)
        .map_err(|e| CliError::Input(format!("requirements file '{}': {e}", path.display())))
}

/// Writes the requirements as a requirements file to `path` (`--save FILE`):
/// whole or not at all (a failure leaves the old file as it was).
pub fn save(engine: &Engine, req: &Requirements, path: &Path) -> Result<(), CliError> {
    let text = document(engine, req)?;
    crate::output::write_file(path, &text).map_err(|e| {
        CliError::Input(format!(
            "cannot write the requirements file '{}': {}; check the path and its permissions",
            path.display(),
            input::describe_io(&e)
        ))
    })
}

/// The requirements as a requirements file (YAML) that `--requirements`
/// reads back to the same requirements: the stated keys, then `skipped`.
pub fn document(engine: &Engine, req: &Requirements) -> Result<String, CliError> {
    let mut doc = match engine.requirements_json(req) {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let skipped: Vec<serde_json::Value> = req
        .skipped_dims()
        .map(|d| engine.matrix.dimensions[d].key.to_string().into())
        .collect();
    if !skipped.is_empty() {
        doc.insert(requirements::SKIPPED_KEY.into(), skipped.into());
    }
    let body = if doc.is_empty() {
        "{}\n".to_string()
    } else {
        crate::render::yaml::to_string(&doc)?
    };
    Ok(format!(
        "# cif-advisor requirements: `cif-advisor recommend --requirements FILE` reads them.\n\
         # `skipped` lists what was left open on purpose.\n{body}"
    ))
}
