//! The interactive advisor: asks the matrix's questions one at a time (apps
//! first), every one whose answer can change the outcome or its caveats,
//! and returns the answers as `Requirements`, with a note on each question
//! it did not ask. It neither renders nor prints the answer: the
//! `recommend` handler does, as for flags.
//!
//! The prompts go to standard error, the terminal, so standard output
//! carries only the answer (`-i --format json > f` writes valid JSON).

use crate::engine::Engine;
use crate::error::Error;
use crate::exit::ExitCode;
use crate::matrix::{AppState, Dimension, DimensionKind, Matrix};
use crate::output::write_stderr;
use crate::requirements::{bits, parse_count, Requirements, Value};
use inquire::error::InquireError;
use inquire::validator::Validation;
use inquire::{MultiSelect, Select, Text};
use std::collections::BTreeSet;

fn map_err(e: InquireError) -> Error {
    match e {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => Error::Interrupted,
        InquireError::NotTTY => Error::NoTerminal,
        other => Error::Prompt(other.to_string()),
    }
}

/// What an answer is judged by: which versions fit, the plan (which
/// version serves which apps), and the caveats.
fn signature(engine: &Engine, req: &Requirements) -> (Vec<String>, Vec<String>, Vec<String>) {
    let d = engine.evaluate(req);
    let plan = d
        .plan
        .iter()
        .map(|p| format!("{}={}", p.apps.join("+"), p.version));
    let caveats = d.caveats.into_iter().map(|c| c.id);
    (d.fits, plan.collect(), caveats.collect())
}

/// The requirement sets a question is judged against: the answers so far
/// and, when several apps are stated, each app on its own with the other
/// answers (in a mixed organisation every group of apps has its own answer
/// and caveats).
fn contexts(engine: &Engine, req: &Requirements) -> Vec<Requirements> {
    let mut out = vec![req.clone()];
    let apps = engine.rules.apps_dim().zip(engine.rules.stated_apps(req));
    if let Some((dim, mask)) = apps.filter(|(_, mask)| mask.count_ones() > 1) {
        out.extend(bits(mask).map(|app| {
            let mut one = req.clone();
            one.values[dim] = Some(Value::Set(1 << app));
            one
        }));
    }
    out
}

/// Every possible single answer to a question.
fn answers(matrix: &Matrix, dim: usize) -> Vec<Value> {
    let d = &matrix.dimensions[dim];
    if d.kind != DimensionKind::Count {
        // Each value (app, or the flag itself) alone.
        let n = match d.kind {
            DimensionKind::Apps => matrix.apps.len(),
            DimensionKind::Flag => 1,
            _ => d.values.len(),
        };
        return (0..n).map(|i| Value::Set(1 << i)).collect();
    }
    let maxima = matrix
        .versions
        .iter()
        .filter_map(|v| d.support.get(&v.id)?.max);
    let counts: BTreeSet<u32> = maxima.map(|m| m.saturating_add(1)).chain([1, 2]).collect();
    counts.into_iter().map(Value::Count).collect()
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

/// What the advisor found out.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    /// The requirements: `given` with the answers (and skips) added.
    pub requirements: Requirements,
    /// Why each question not asked was not asked, in matrix order.
    pub not_asked: Vec<String>,
    /// The teams described (name, the keys each states), when the chosen
    /// apps need different versions and the user said their needs differ.
    pub teams: Vec<(String, Requirements)>,
}

/// Runs the advisor: `req` holds what the flags (or `--requirements`)
/// already state or skip, taken as answered.
pub fn ask(engine: &Engine, mut req: Requirements) -> Result<Answers, Error> {
    let matrix = engine.matrix;
    let mut notes: Vec<String> = Vec::new();
    watch_terminal();
    write_stderr("cif-advisor: a few questions to pick the CIF version (Esc or Ctrl-C leaves).\n");
    // Apps first.
    let apps_dim = engine.rules.apps_dim();
    if let Some(dim) = apps_dim {
        let d = &matrix.dimensions[dim];
        if req.is_answered(dim) {
            notes.push(format!("{}: given on the command line", d.name));
        } else {
            let labels: Vec<String> = matrix
                .apps
                .iter()
                .map(|a| {
                    let state = match a.state {
                        AppState::Active => String::new(),
                        other => format!(", {}", other.as_str()),
                    };
                    format!("{} ({}-session{state})", a.name, a.session.as_str())
                })
                .collect();
            let keys = "↑↓ move, space selects, enter confirms;";
            match ask_many(d, labels, keys, 10).map_err(map_err)? {
                Some(apps) => req.values[dim] = Some(apps),
                None => req.skip(dim),
            }
        }
    }

    // The groups of apps (masks) the chosen apps fall into: when several,
    // their teams may have different needs.
    let plan = engine.rules.core(&req);
    let groups: Vec<u64> = plan.groups.iter().map(|g| g.apps).collect();
    if let Some(ad) = apps_dim.filter(|_| groups.len() > 1) {
        if ask_teams(engine, &groups)? {
            return ask_per_team(engine, req, ad, groups, notes);
        }
    }
    ask_rest(engine, &mut req, &mut notes, &[])?;
    Ok(Answers {
        requirements: req,
        not_asked: notes,
        teams: Vec::new(),
    })
}

/// A team's name: its apps' names, "… users".
fn team_name(engine: &Engine, apps: u64) -> String {
    let name = format!("{} users", engine.app_names(apps).join(" and "));
    name.chars().take(crate::teams::MAX_NAME_CHARS).collect()
}

/// Asks where to write the teams (a requirements file).
pub fn ask_file_name() -> Result<std::path::PathBuf, Error> {
    let name = Text::new("Save the teams as a requirements file:")
        .with_default("cif-advisor-teams.yaml")
        .with_help_message("`cif-advisor recommend --requirements FILE` reads it back")
        .prompt()
        .map_err(map_err)?;
    Ok(std::path::PathBuf::from(name.trim()))
}

/// Asks whether the groups of apps have different needs.
fn ask_teams(engine: &Engine, groups: &[u64]) -> Result<bool, Error> {
    let who: Vec<String> = groups.iter().map(|&g| team_name(engine, g)).collect();
    let options = vec![
        "No: one set of answers for everyone",
        "Yes: answer for each team",
    ];
    let who = who.join(" and the ");
    let question =
        format!("The apps need different CIF versions. Do the {who} have different needs?");
    let help =
        "Yes: the questions are asked per team, and the teams are saved as a requirements file.";
    let answer = Select::new(&question, options)
        .with_help_message(help)
        .raw_prompt()
        .map_err(map_err)?;
    Ok(answer.index == 1)
}

/// The organisation's questions once, then the rest per team.
fn ask_per_team(
    engine: &Engine,
    mut top: Requirements,
    ad: usize,
    groups: Vec<u64>,
    mut notes: Vec<String>,
) -> Result<Answers, Error> {
    top.values[ad] = None;
    let (org, groupwise): (Vec<usize>, Vec<usize>) = (0..engine.matrix.dimensions.len())
        .partition(|&d| engine.matrix.dimensions[d].scope == crate::matrix::Scope::Org);
    ask_rest(engine, &mut top, &mut notes, &groupwise)?;
    let mut teams = Vec::new();
    for apps in groups {
        let name = team_name(engine, apps);
        write_stderr(&format!("\n{name}:\n"));
        let mut own = Requirements::empty(engine.matrix);
        own.values[ad] = Some(Value::Set(apps));
        let mut with = top.clone();
        with.overlay(&own);
        let mut team_notes = Vec::new();
        ask_rest(engine, &mut with, &mut team_notes, &org)?;
        for d in (0..with.values.len()).filter(|d| !org.contains(d)) {
            own.values[d] = with.values[d];
        }
        own.skipped = with.skipped & !org.iter().fold(0u64, |m, &d| m | 1 << d);
        notes.extend(team_notes.into_iter().map(|n| format!("{name}: {n}")));
        teams.push((name, own));
    }
    Ok(Answers {
        requirements: top,
        not_asked: notes,
        teams,
    })
}

/// Asks every question but the apps and those in `skip`.
fn ask_rest(
    engine: &Engine,
    req: &mut Requirements,
    notes: &mut Vec<String>,
    skip: &[usize],
) -> Result<(), Error> {
    for (dim, d) in engine.matrix.dimensions.iter().enumerate() {
        if d.kind == DimensionKind::Apps || skip.contains(&dim) {
            continue;
        }
        let implied = engine.rules.stated_apps(req).filter(|_| d.implied_by_apps);
        let note = if req.is_answered(dim) {
            "given on the command line".to_string()
        } else if let Some(mask) = implied {
            let modes: BTreeSet<&str> = engine.apps_in(mask).map(|a| a.session.as_str()).collect();
            let modes = Vec::from_iter(modes).join(" and ");
            format!("not asked, implied by the apps ({modes})")
        } else if !matters(engine, dim, req) {
            "not asked, no answer changes the outcome or its caveats".to_string()
        } else {
            match ask_one(d).map_err(map_err)? {
                Some(value) => req.values[dim] = Some(value),
                None => req.skip(dim),
            }
            continue;
        };
        notes.push(format!("{}: {note}", d.name));
    }
    Ok(())
}

/// Asks one question; `None` is "no preference / skip".
fn ask_one(d: &Dimension) -> Result<Option<Value>, InquireError> {
    match d.kind {
        DimensionKind::Choice | DimensionKind::Flag => {
            let mut options: Vec<String> = vec!["No preference / skip".to_string()];
            match d.kind {
                DimensionKind::Flag => options.push("Yes, needed".to_string()),
                _ => options.extend(d.values.iter().map(|v| v.name.to_string())),
            }
            let answer = Select::new(&d.question, options)
                .with_help_message(&d.help)
                .raw_prompt()?;
            Ok((answer.index > 0).then(|| Value::Set(1 << (answer.index - 1))))
        }
        DimensionKind::Multi => {
            let options = d.values.iter().map(|v| v.name.to_string()).collect();
            let page = MultiSelect::<String>::DEFAULT_PAGE_SIZE;
            ask_many(d, options, "space selects, enter confirms;", page)
        }
        DimensionKind::Count => {
            let help = format!(
                "{} Enter a number, or leave empty for no preference.",
                d.help
            );
            let answer = Text::new(&d.question)
                .with_help_message(&help)
                .with_placeholder("no preference")
                .with_validator(|s: &str| {
                    if s.trim().is_empty() || parse_count(s).is_some() {
                        return Ok(Validation::Valid);
                    }
                    let max = crate::requirements::MAX_COUNT;
                    let wrong = format!("a whole number from 1 to {max}, or empty");
                    Ok(Validation::Invalid(wrong.into()))
                })
                .prompt()?;
            Ok(parse_count(&answer).map(Value::Count))
        }
        DimensionKind::Apps => Ok(None),
    }
}

/// A question with several answers (`keys` says how to choose): those
/// chosen (`None`: none, no preference).
fn ask_many(
    d: &Dimension,
    labels: Vec<String>,
    keys: &str,
    page: usize,
) -> Result<Option<Value>, InquireError> {
    let chosen = MultiSelect::new(&d.question, labels)
        .with_help_message(&format!("{keys} none = no preference. {}", d.help))
        .with_page_size(page)
        .raw_prompt()?;
    let mask = chosen.iter().fold(0u64, |m, o| m | 1 << o.index);
    Ok((mask != 0).then_some(Value::Set(mask)))
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
                // Exiting from this thread skips the main thread's pending
                // writes; it holds none: the advisor is waiting for input,
                // and nothing of the answer is written before it returns.
                let message = Error::TerminalClosed.to_string();
                write_stderr(&crate::error::error_line(&message));
                std::process::exit(i32::from(ExitCode::Error));
            }
        });
}
