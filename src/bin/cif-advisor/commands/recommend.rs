//! `recommend`: the requirements (flags, a requirements file, the
//! interactive advisor, or each line of a batch) → the engine's `Decision`
//! → the answer in the chosen format. Also the tool run with no command.

use super::requirements::{org_from_flags, save};
use super::{usage, write_as, Context};
use crate::cli::{Cli, RecommendArgs, RequirementFlags};
use crate::given::{command_line, shell_word, skip_keys};
use cif_advisor::engine::teams::TeamDecision;
use cif_advisor::engine::{Confidence, Decision, Engine, OutcomeKind};
use cif_advisor::exit::ExitCode;
use cif_advisor::input;
use cif_advisor::matrix::{CaveatKind, MatrixSource};
use cif_advisor::output::write_stderr;
use cif_advisor::render::{self, Format};
use cif_advisor::requirements::Requirements;
use cif_advisor::sanitize::escape;
use cif_advisor::teams::Organisation;
use clap::CommandFactory;
use std::io::IsTerminal;
use std::path::Path;

/// `cif-advisor` alone: the advisor in a terminal, else the help (exit 2).
pub fn no_command(ctx: &Context) -> anyhow::Result<ExitCode> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        let matrix = ctx.load_matrix()?;
        let engine = Engine::new(&matrix).at(ctx.as_of);
        let none = Requirements::empty(engine.matrix);
        interactive(ctx, &engine, Format::Text, false, none, None)
    } else {
        // Exit 2 whether or not standard error takes the help.
        write_stderr(&Cli::command().render_help().to_string());
        Ok(ExitCode::Usage)
    }
}

/// The inputs that cannot go together: two readers of standard input, or
/// a batch with requirement flags.
fn check_inputs(ctx: &Context, args: &RecommendArgs) -> anyhow::Result<()> {
    // Standard input can be read once: the matrix would take it all.
    // (`/dev/stdin` and the like count as `-`.)
    let file = args.requirements.requirements.as_deref();
    let inputs = [args.batch.as_deref(), file];
    if ctx.matrix_reads_stdin() && inputs.into_iter().flatten().any(input::is_stdin) {
        return usage(
            "--matrix - and --batch - (or --requirements -) cannot both read standard input; \
             give one of them as a file",
        );
    }
    if args.batch.is_some() && args.requirements.any() {
        return usage("--batch reads the requirements from each line; drop the requirement flags");
    }
    Ok(())
}

pub fn run(ctx: &Context, args: RecommendArgs) -> anyhow::Result<ExitCode> {
    check_inputs(ctx, &args)?;
    let matrix = ctx.load_matrix()?;
    let engine = Engine::new(&matrix).at(ctx.as_of);
    if let Some(path) = &args.batch {
        let stdout = std::io::stdout().lock();
        return Ok(cif_advisor::batch::run(&engine, path, args.detail, stdout)?);
    }
    let (format, save_to) = (args.format, args.save.as_deref());
    let (mut org, flagged) = org_from_flags(&engine, &args.requirements)?;
    // A file that describes teams is taken as answered.
    if org.teams.is_empty() {
        skip_keys(&engine, &mut org.top, &args.skip, &args.requirements.given)?;
        if save_to.is_some_and(input::is_stdin) {
            return usage(
                "--save - is not possible: standard output carries the answer; give a file name",
            );
        }
        // Asked only when it matters: `stdin()` sets up its 8 KiB buffer.
        let terminal = || std::io::stdin().is_terminal();
        if args.interactive && !terminal() {
            return usage(
                "-i needs a terminal; state the requirements with flags instead, e.g. \
                 `cif-advisor recommend --app sales --providers 1` (see --help), or --requirements FILE",
            );
        }
        if args.interactive || (org.top.is_empty() && !args.no_input && !args.quiet && terminal()) {
            return interactive(ctx, &engine, format, args.verbose, org.top, save_to);
        }
        if org.top.is_empty() {
            return usage(
                "no requirement stated; give at least one, e.g. `--app sales`, `--providers 2`, \
                 `--analytics` or `--requirements FILE` (see `cif-advisor recommend --help`)",
            );
        }
    }
    if let Some(path) = save_to {
        save(&engine, &org, path)?;
    }
    answer(ctx, &engine, &args, (&org, &flagged))
}

/// The exit code of an answer: 0 when a version or a plan serves every
/// part, 3 when not; 4 under `--strict` when it is conditional, open, has
/// a `valid_until` or carries a blocking caveat.
fn exit_code(strict: bool, decision: &Decision) -> ExitCode {
    let firm = !matches!(
        decision.confidence,
        Some(Confidence::Open | Confidence::Conditional)
    ) && decision.valid_until.is_none()
        && !decision
            .caveats
            .iter()
            .any(|c| c.kind == CaveatKind::Blocking);
    match decision.outcome {
        OutcomeKind::None => ExitCode::NoMatch,
        _ if strict && !firm => ExitCode::Strict,
        _ => ExitCode::Success,
    }
}

/// Writes a decision in `format` (with `-v`), naming `command` as the line
/// that reproduces it in a record.
fn write_decision(
    ctx: &Context,
    engine: &Engine,
    decision: &Decision,
    (format, verbose): (Format, bool),
    command: Option<String>,
) -> anyhow::Result<()> {
    let (styles, command) = (ctx.styles(), command.as_deref());
    let text = render::decision(engine, decision, format, &styles, verbose, command)?;
    write_as(text, format).map(|_| ())
}

/// The answer to the stated requirements, or to a requirements file that
/// describes teams (the file is taken as answered, and `-q`
/// prints a line per team), written in `format` (or `-q`'s line), and its
/// exit code. `flagged` is what the flags alone state.
fn answer(
    ctx: &Context,
    engine: &Engine,
    args: &RecommendArgs,
    (org, flagged): (&Organisation, &Requirements),
) -> anyhow::Result<ExitCode> {
    let (format, teams) = (args.format, !org.teams.is_empty());
    let decision = engine.evaluate_org(org);
    let code = exit_code(args.strict, &decision);
    if args.quiet {
        let team_line = |t: &TeamDecision| {
            let apps = engine.stated_app_ids(&t.decision.requirements);
            let line = quiet_line(&t.decision, &apps);
            let version = line.trim_end();
            let version = if version.is_empty() { "none" } else { version };
            format!("{}\t{version}\n", t.name)
        };
        let text = if teams {
            decision.teams.iter().map(team_line).collect()
        } else {
            quiet_line(&decision, &stated_app_order(engine, &args.requirements))
        };
        return write_as(text, Format::Text).map(|_| code);
    }
    let command = if teams {
        // The flags given over the file, then the options: the line gives
        // this very answer.
        let over = command_line(engine, flagged).flags;
        let over = over.strip_prefix("cif-advisor recommend").unwrap_or("");
        args.requirements
            .requirements
            .as_deref()
            .map(|p| reading(ctx, p, over, format))
    } else {
        (format == Format::Markdown).then(|| {
            let line = command_line(engine, &org.top);
            let note = line.note().map(|n| format!("  # {n}")).unwrap_or_default();
            format!("{}{}{note}", line.flags, extras(ctx, format))
        })
    };
    write_decision(ctx, engine, &decision, (format, args.verbose), command).map(|()| code)
}

/// The options a reproducing command line needs besides the requirements:
/// `--matrix`, `--format`, and `--as-of` when the date was given.
fn extras(ctx: &Context, format: Format) -> String {
    let mut extra = String::new();
    if let MatrixSource::File(path) = &ctx.source {
        extra += &format!(" --matrix {}", shell_word(&path.display().to_string()));
    }
    if format != Format::Text {
        extra += &format!(" --format {}", format.name());
    }
    if ctx.as_of.given {
        extra += &format!(" --as-of {}", cif_advisor::dates::iso(ctx.as_of.day));
    }
    extra
}

/// The line that answers from the requirements file `path`, with `over`
/// (flags over it) and the options.
fn reading(ctx: &Context, path: &Path, over: &str, format: Format) -> String {
    let (file, extra) = (shell_word(&path.display().to_string()), extras(ctx, format));
    format!("cif-advisor recommend --requirements {file}{over}{extra}")
}

/// The interactive advisor: asks (on the terminal), then answers as for
/// flags, with the questions not asked before the answer and the command
/// line that gives the same answer after it (both on standard error).
fn interactive(
    ctx: &Context,
    engine: &Engine,
    format: Format,
    verbose: bool,
    given: Requirements,
    save_to: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let answers = cif_advisor::advisor::ask(engine, given)?;
    if !answers.teams.is_empty() {
        // Teams described: the organisation's answer, the teams written as a
        // requirements file (the `--save` path, or one it asks for), and the
        // line that reads it back.
        let mut org = Organisation::without_teams(answers.requirements);
        for (name, own) in answers.teams {
            let mut req = org.top.clone();
            req.overlay(&own);
            org.teams.push(cif_advisor::teams::Team { name, own, req });
        }
        let asked = cif_advisor::advisor::ask_file_name;
        let path = save_to.map_or_else(asked, |p| Ok(p.to_path_buf()))?;
        save(engine, &org, &path)?;
        let decision = engine.evaluate_org(&org);
        let code = exit_code(false, &decision);
        let line = reading(ctx, &path, "", format);
        let note = format!(
            "\nThe teams are saved in {}.\n\nSame answer from a script:\n  {line}\n  (exit code {})\n",
            escape(&path.display().to_string()),
            i32::from(code)
        );
        write_decision(ctx, engine, &decision, (format, verbose), Some(line))?;
        write_stderr(&note);
        return Ok(code);
    }
    let req = answers.requirements;
    let decision = engine.evaluate(&req);
    let code = exit_code(false, &decision);
    let not_asked: String = answers
        .not_asked
        .iter()
        .map(|n| format!("  - {n}\n"))
        .collect();
    let heading = (!not_asked.is_empty()).then_some("\nQuestions not asked:\n");
    write_stderr(&format!("{}{not_asked}\n", heading.unwrap_or_default()));
    if let Some(path) = save_to {
        save(engine, &Organisation::without_teams(req.clone()), path)?;
    }
    // The decision record names the command that reproduces it: the same
    // line as the note below, when flags can say every answer.
    let record_line = (format == Format::Markdown && !req.is_empty())
        .then(|| command_line(engine, &req))
        .filter(|l| l.unflagged.is_empty())
        .map(|l| format!("{}{}", l.flags, extras(ctx, format)));
    write_decision(ctx, engine, &decision, (format, verbose), record_line)?;
    write_stderr(&script_note(ctx, engine, &req, format, save_to, code));
    Ok(code)
}

/// What ends the session on the terminal: the command line that gives the
/// same answer and exit code from a script, or why there is none.
fn script_note(
    ctx: &Context,
    engine: &Engine,
    req: &Requirements,
    format: Format,
    save: Option<&Path>,
    code: ExitCode,
) -> String {
    let saved = save.map_or(String::new(), |path| {
        format!(
            "\nThe answers are saved in {} (read them with --requirements).\n",
            escape(&path.display().to_string())
        )
    });
    if req.is_empty() {
        return saved
            + "\nNothing was stated, so no command line gives this answer from a script: \
               `cif-advisor recommend` with no requirement is a usage error (exit code 2). \
               State at least one requirement, e.g. `cif-advisor recommend --app sales`.\n";
    }
    let extra = extras(ctx, format);
    let line = command_line(engine, req);
    let line = match (line.note(), save) {
        // Dimensions without a flag: only the saved file states them all.
        (Some(_), Some(path)) => reading(ctx, path, "", format),
        (Some(note), None) => format!("{}{extra}  # {note} (--save FILE writes one)", line.flags),
        (None, _) => format!("{}{extra}", line.flags),
    };
    let fits = match code {
        ExitCode::Success => "a version fits",
        _ => "no version fits",
    };
    format!(
        "{saved}\nSame answer from a script:\n  {line}\n  (exit code {}: {fits})\n",
        i32::from(code)
    )
}

/// The app ids in the order the flags state them (canonical ids; unknown
/// spellings were rejected before).
fn stated_app_order(engine: &Engine, flags: &RequirementFlags) -> Vec<String> {
    let Some(dim) = engine.lexicon.dimension_index("apps") else {
        return Vec::new();
    };
    // (A spelling stated twice counts at its first place.)
    flags
        .values_of("apps")
        .iter()
        .filter_map(|raw| engine.lexicon.resolve(dim, raw).ok())
        .filter_map(|i| engine.lexicon.value_ids(dim).get(usize::from(i)).cloned())
        .collect()
}

/// `-q`: the version for `single`, `APP=VERSION` pairs for `plan` (in the
/// stated order, then matrix order), nothing for `none`.
fn quiet_line(decision: &Decision, stated_order: &[String]) -> String {
    match (decision.outcome, &decision.recommended) {
        (OutcomeKind::Single, Some(v)) => format!("{v}\n"),
        (OutcomeKind::Plan, _) => {
            let mut pairs: Vec<(&String, &String)> = decision
                .plan
                .iter()
                .flat_map(|p| p.apps.iter().map(move |a| (a, &p.version)))
                .collect();
            // (A stable sort: the apps not stated keep their order, last.)
            pairs.sort_by_key(|(app, _)| {
                stated_order
                    .iter()
                    .position(|s| s == *app)
                    .unwrap_or(usize::MAX)
            });
            let line: Vec<String> = pairs.iter().map(|(a, v)| format!("{a}={v}")).collect();
            format!("{}\n", line.join(" "))
        }
        _ => String::new(),
    }
}
