//! The interactive advisor: asks the matrix's questions one at a time (apps
//! first), every one whose answer can change the outcome or its caveats,
//! then prints the same answer as the flags would give, and the command
//! line that reproduces it.
//!
//! Standard output carries only the answer (so `-i --format json > f`
//! writes valid JSON); the prompts, the notes on the questions not asked and
//! the command line go to standard error, the terminal.

use crate::cli::DecisionFormat;
use crate::commands::{
    command_line, extra_options, outcome_code, shell_word, write_requirements_file, Context,
};
use crate::engine::Engine;
use crate::error::CliError;
use crate::exit::ExitCode;
use crate::matrix::{AppState, DimensionKind, Matrix};
use crate::render;
use crate::requirements::{bits, Requirements, Value};
use inquire::error::InquireError;
use inquire::{MultiSelect, Select, Text};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

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

/// What an answer is judged by: which versions fit, the plan (which
/// version serves which apps), and the caveats.
fn signature(engine: &Engine, req: &Requirements) -> (Vec<String>, Vec<String>, Vec<String>) {
    let d = engine.evaluate(req);
    let plan = d
        .plan
        .iter()
        .map(|p| format!("{}={}", p.apps.join("+"), p.version))
        .collect();
    (d.fits, plan, d.caveats.into_iter().map(|c| c.id).collect())
}

/// The requirement sets a question is judged against: the answers so far
/// and, when several apps are stated, each app on its own with the other
/// answers (in a mixed organisation every group of apps has its own answer
/// and caveats).
fn contexts(engine: &Engine, req: &Requirements) -> Vec<Requirements> {
    let mut out = vec![req.clone()];
    for (dim, value) in req.stated() {
        if let (DimensionKind::Apps, Value::Set(mask)) = (engine.matrix.dimensions[dim].kind, value)
        {
            if mask.count_ones() > 1 {
                for app in bits(mask) {
                    let mut one = req.clone();
                    one.values[dim] = Some(Value::Set(1 << app));
                    out.push(one);
                }
            }
        }
    }
    out
}

/// Every possible single answer to a question.
fn answers(matrix: &Matrix, dim: usize) -> Vec<Value> {
    let d = &matrix.dimensions[dim];
    match d.kind {
        DimensionKind::Choice | DimensionKind::Multi => {
            (0..d.values.len()).map(|i| Value::Set(1 << i)).collect()
        }
        DimensionKind::Apps => (0..matrix.apps.len()).map(|i| Value::Set(1 << i)).collect(),
        DimensionKind::Flag => vec![Value::Set(1)],
        DimensionKind::Count => {
            let mut counts = vec![1u32, 2];
            for v in &matrix.versions {
                if let Some(m) = d.support.get(&v.id).and_then(|c| c.max) {
                    counts.push(m.saturating_add(1));
                }
            }
            counts.sort_unstable();
            counts.dedup();
            counts.into_iter().map(Value::Count).collect()
        }
    }
}

/// Whether some answer to `dim` changes the outcome or the caveats of the
/// answers so far, for the whole organisation or for one of its apps.
fn matters(engine: &Engine, dim: usize, req: &Requirements) -> bool {
    let answers = answers(engine.matrix, dim);
    contexts(engine, req).iter().any(|context| {
        let base = signature(engine, context);
        answers.iter().any(|a| {
            let mut r = context.clone();
            r.values[dim] = Some(*a);
            signature(engine, &r) != base
        })
    })
}

/// Runs the advisor: `given` holds what the flags (or `--requirements`)
/// already state or skip, taken as answered; `save` is `--save FILE`.
/// Returns the exit code of the outcome.
pub fn run(
    ctx: &Context,
    matrix: &Matrix,
    format: DecisionFormat,
    verbose: bool,
    given: Requirements,
    save: Option<&Path>,
) -> Result<ExitCode, CliError> {
    let engine = Engine::new(matrix);
    let mut req = given;
    let mut notes: Vec<String> = Vec::new();
    watch_terminal();
    eprintln_quiet("cif-advisor: a few questions to pick the CIF version (Esc or Ctrl-C leaves).");
    let answered =
        |req: &Requirements, dim: usize| req.values[dim].is_some() || req.is_skipped(dim);

    // Apps first.
    let apps_dim = matrix
        .dimensions
        .iter()
        .position(|d| d.kind == DimensionKind::Apps);
    if let Some(dim) = apps_dim {
        let d = &matrix.dimensions[dim];
        if answered(&req, dim) {
            notes.push(format!("{}: given on the command line", d.name));
        } else {
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
            let chosen = MultiSelect::new(&d.question, labels)
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
            } else {
                req.skip(dim);
            }
        }
    }

    for (dim, d) in matrix.dimensions.iter().enumerate() {
        if d.kind == DimensionKind::Apps {
            continue;
        }
        if answered(&req, dim) {
            notes.push(format!("{}: given on the command line", d.name));
            continue;
        }
        if d.implied_by_apps {
            if let Some(Some(Value::Set(mask))) = apps_dim.map(|a| req.values[a]) {
                let modes: BTreeSet<&str> = bits(mask)
                    .filter_map(|i| matrix.apps.get(i))
                    .map(|a| a.session.as_str())
                    .collect();
                notes.push(format!(
                    "{}: not asked, implied by the apps ({})",
                    d.name,
                    modes.into_iter().collect::<Vec<_>>().join(" and ")
                ));
                continue;
            }
        }
        if !matters(&engine, dim, &req) {
            notes.push(format!(
                "{}: not asked, no answer changes the outcome or its caveats",
                d.name
            ));
            continue;
        }
        match ask(d).map_err(map_err)? {
            Some(value) => req.values[dim] = Some(value),
            None => req.skip(dim),
        }
    }

    let decision = engine.evaluate(&req);
    let code = outcome_code(&decision);
    let mut before = String::new();
    if !notes.is_empty() {
        let _ = writeln!(before, "\nQuestions not asked:");
        for n in &notes {
            let _ = writeln!(before, "  - {n}");
        }
    }
    let _ = writeln!(before);
    eprint_quiet(&before);
    if let Some(path) = save {
        write_requirements_file(&engine, &req, path)?;
    }
    // The decision record names the command that reproduces it: the same
    // line as the note below, when flags can say every answer.
    let record_line = (format == DecisionFormat::Markdown && !req.is_empty())
        .then(|| command_line(&engine, &req))
        .filter(|l| !l.contains("  # "))
        .map(|l| format!("{l}{}", extra_options(ctx, format)));
    let answer = render::decision_with_command(
        &engine,
        &decision,
        format,
        &ctx.styles(),
        verbose,
        record_line.as_deref(),
    )?;
    crate::output::write_stdout(answer.as_bytes())?;
    eprint_quiet(&script_note(ctx, &engine, &req, format, save, code));
    Ok(code)
}

/// What ends the session on the terminal: the command line that gives the
/// same answer and exit code from a script, or why there is none.
fn script_note(
    ctx: &Context,
    engine: &Engine,
    req: &Requirements,
    format: DecisionFormat,
    save: Option<&Path>,
    code: ExitCode,
) -> String {
    let mut out = String::new();
    if let Some(path) = save {
        let _ = writeln!(
            out,
            "\nThe answers are saved in {} (read them with --requirements).",
            path.display()
        );
    }
    if req.is_empty() {
        let _ = writeln!(
            out,
            "\nNothing was stated, so no command line gives this answer from a script: \
             `cif-advisor recommend` with no requirement is a usage error (exit code 2). \
             State at least one requirement, e.g. `cif-advisor recommend --app sales`."
        );
        return out;
    }
    let extra = extra_options(ctx, format);
    let line = command_line(engine, req);
    let line = match (line.split_once("  # "), save) {
        // Dimensions without a flag: only the saved file states them all.
        (Some(_), Some(path)) => format!(
            "cif-advisor recommend --requirements {}{extra}",
            shell_word(&path.display().to_string())
        ),
        (Some((flags, comment)), None) => format!(
            "{}{extra}  # {comment} (--save FILE writes one)",
            flags.trim_end()
        ),
        (None, _) => format!("{line}{extra}"),
    };
    let _ = writeln!(out, "\nSame answer from a script:\n  {line}");
    let _ = writeln!(
        out,
        "  (exit code {}: {})",
        i32::from(code),
        if code == ExitCode::Success {
            "a version fits"
        } else {
            "no version fits"
        }
    );
    out
}

/// Asks one question; `None` is "no preference / skip".
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

fn eprint_quiet(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().write_all(text.as_bytes());
}
