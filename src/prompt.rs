//! The interactive advisor: asks the matrix's questions one at a time (apps
//! first), skips the ones that no longer matter, then prints the same
//! recommendation as the flags would give, and the equivalent command line.

use crate::cli::DecisionFormat;
use crate::commands::{command_line, outcome_code, Context};
use crate::engine::Engine;
use crate::error::CliError;
use crate::exit::ExitCode;
use crate::matrix::{AppState, DimensionKind, Matrix};
use crate::render;
use crate::requirements::{Requirements, Value};
use inquire::error::InquireError;
use inquire::{MultiSelect, Select, Text};
use std::fmt::Write as _;

const NO_PREFERENCE: &str = "No preference / skip";

fn map_err(e: InquireError) -> CliError {
    match e {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => {
            CliError::Interrupted
        }
        InquireError::NotTTY => CliError::Usage(
            "the interactive advisor needs a terminal; state the requirements with flags instead \
             (e.g. `cif-advisor recommend --app sales`)"
                .into(),
        ),
        other => CliError::Other(format!("interactive prompt failed: {other}")),
    }
}

/// Why a question was not asked.
fn skipped_note(engine: &Engine, dim: usize, req: &Requirements) -> Option<String> {
    let matrix = engine.matrix;
    let d = &matrix.dimensions[dim];
    let base = engine.outcome(req).recommended();
    if base.is_none() {
        return Some(format!(
            "{}: not asked, no version fits the answers so far",
            d.name
        ));
    }
    // Every possible single answer, and whether any changes the result.
    let mut answers: Vec<Value> = Vec::new();
    match d.kind {
        DimensionKind::Choice | DimensionKind::Multi => {
            answers.extend((0..d.values.len()).map(|i| Value::Set(1 << i)));
        }
        DimensionKind::Apps => answers.extend((0..matrix.apps.len()).map(|i| Value::Set(1 << i))),
        DimensionKind::Flag => answers.push(Value::Set(1)),
        DimensionKind::Count => {
            answers.push(Value::Count(1));
            for v in &matrix.versions {
                if let Some(m) = d.support.get(&v.id).and_then(|c| c.max) {
                    answers.push(Value::Count(m.saturating_add(1)));
                }
            }
        }
    }
    let same = answers.iter().all(|a| {
        let mut r = req.clone();
        r.values[dim] = Some(*a);
        engine.outcome(&r).recommended() == base
    });
    let name = base.map(|v| matrix.versions[v].name.as_ref()).unwrap_or("");
    same.then(|| format!("{}: not asked, every answer gives {name}", d.name))
}

/// Runs the advisor; returns the exit code of the outcome.
pub fn run(ctx: &Context, matrix: &Matrix, format: DecisionFormat) -> Result<ExitCode, CliError> {
    let engine = Engine::new(matrix);
    let mut req = Requirements::empty(matrix);
    let mut notes: Vec<String> = Vec::new();
    watch_terminal();
    eprintln_quiet("cif-advisor: a few questions to pick the CIF version (Esc or Ctrl-C leaves).");

    // Apps first.
    let apps_dim = matrix
        .dimensions
        .iter()
        .position(|d| d.kind == DimensionKind::Apps);
    if let Some(dim) = apps_dim {
        let d = &matrix.dimensions[dim];
        let labels: Vec<String> = matrix
            .apps
            .iter()
            .map(|a| match a.state {
                AppState::Active => format!("{} ({}-session)", a.name, a.session.as_str()),
                other => format!(
                    "{} ({}-session, {})",
                    a.name,
                    a.session.as_str(),
                    other.as_str()
                ),
            })
            .collect();
        let chosen = MultiSelect::new(&d.question, labels.clone())
            .with_help_message(&format!(
                "↑↓ move, space selects, enter confirms; none = no preference. {}",
                d.help
            ))
            .with_page_size(10)
            .raw_prompt()
            .map_err(map_err)?;
        let mask = chosen.iter().fold(0u64, |m, o| m | 1 << o.index);
        if mask != 0 {
            req.values[dim] = Some(Value::Set(mask));
        }
    }

    for (dim, d) in matrix.dimensions.iter().enumerate() {
        if d.kind == DimensionKind::Apps {
            continue;
        }
        if d.implied_by_apps {
            if let Some(Some(Value::Set(mask))) = apps_dim.map(|a| req.values[a]) {
                let modes: Vec<&str> = crate::requirements::bits(mask)
                    .filter_map(|i| matrix.apps.get(i))
                    .map(|a| a.session.as_str())
                    .collect();
                let mut unique = modes.clone();
                unique.dedup();
                notes.push(format!(
                    "{}: not asked, implied by the apps ({})",
                    d.name,
                    unique.join(" and ")
                ));
                continue;
            }
        }
        if let Some(note) = skipped_note(&engine, dim, &req) {
            notes.push(note);
            continue;
        }
        req.values[dim] = ask(d).map_err(map_err)?;
    }

    let decision = engine.evaluate(&req);
    let code = outcome_code(&decision);
    let mut text = String::new();
    if !notes.is_empty() {
        let _ = writeln!(text, "Questions skipped:");
        for n in &notes {
            let _ = writeln!(text, "  - {n}");
        }
        let _ = writeln!(text);
    }
    text.push_str(&render::decision(
        &engine,
        &decision,
        format,
        &ctx.styles(),
    )?);
    let _ = writeln!(
        text,
        "\nSame answer from a script:\n  {}",
        command_line(&engine, &req)
    );
    let _ = writeln!(
        text,
        "  (exit code {}: {})",
        i32::from(code),
        if code == ExitCode::Success {
            "a version fits"
        } else {
            "no version fits"
        }
    );
    crate::output::write_stdout(text.as_bytes())?;
    Ok(code)
}

/// Asks one question; `None` is "no preference".
fn ask(d: &crate::matrix::Dimension) -> Result<Option<Value>, InquireError> {
    match d.kind {
        DimensionKind::Choice => {
            let mut options: Vec<String> = vec![NO_PREFERENCE.to_string()];
            options.extend(d.values.iter().map(|v| v.name.to_string()));
            let answer = Select::new(&d.question, options)
                .with_help_message(&d.help)
                .with_starting_cursor(0)
                .raw_prompt()?;
            Ok((answer.index > 0).then(|| Value::Set(1 << (answer.index - 1))))
        }
        DimensionKind::Multi => {
            let options: Vec<String> = d.values.iter().map(|v| v.name.to_string()).collect();
            let chosen = MultiSelect::new(&d.question, options)
                .with_help_message(&format!(
                    "space selects, enter confirms; none = no preference. {}",
                    d.help
                ))
                .raw_prompt()?;
            let mask = chosen.iter().fold(0u64, |m, o| m | 1 << o.index);
            Ok((mask != 0).then_some(Value::Set(mask)))
        }
        DimensionKind::Flag => {
            let options = vec![NO_PREFERENCE.to_string(), "Yes, needed".to_string()];
            let answer = Select::new(&d.question, options)
                .with_help_message(&d.help)
                .raw_prompt()?;
            Ok((answer.index == 1).then_some(Value::Set(1)))
        }
        DimensionKind::Count => {
            let answer = Text::new(&d.question)
                .with_help_message(&format!(
                    "{} Enter a number, or leave empty for no preference.",
                    d.help
                ))
                .with_placeholder("no preference")
                .with_validator(|s: &str| {
                    let t = s.trim();
                    if t.is_empty() || t.parse::<u32>().is_ok_and(|n| (1..=1_000_000).contains(&n))
                    {
                        Ok(inquire::validator::Validation::Valid)
                    } else {
                        Ok(inquire::validator::Validation::Invalid(
                            "a whole number from 1 to 1000000, or empty".into(),
                        ))
                    }
                })
                .prompt()?;
            Ok(answer.trim().parse::<u32>().ok().map(Value::Count))
        }
        DimensionKind::Apps => Ok(None),
    }
}

/// Ends the process (exit 1 with an error) when the terminal goes away
/// while a question waits: the prompt library takes a read of nothing for
/// "no key yet" and would spin for ever when SIGHUP is ignored (`nohup`, a
/// supervisor) or never sent (a terminal that is not the controlling one).
/// A hung-up terminal is no longer a terminal to `isatty`.
fn watch_terminal() {
    use std::io::IsTerminal;
    let _ = std::thread::Builder::new()
        .name("terminal-watch".into())
        .spawn(|| loop {
            std::thread::sleep(std::time::Duration::from_millis(200));
            if !std::io::stdin().is_terminal() {
                crate::error::print_error(&CliError::Other(
                    "the terminal closed; the advisor ended without an answer".into(),
                ));
                std::process::exit(i32::from(ExitCode::Error));
            }
        });
}

fn eprintln_quiet(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
