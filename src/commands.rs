//! One function per command: turn the parsed command line into plain values,
//! call the library, render, write.

use crate::cli::{Cli, Command, DecisionFormat, MatrixCommand, RecommendArgs, RequirementFlags};
use crate::engine::Engine;
use crate::error::CliError;
use crate::exit::ExitCode;
use crate::input;
use crate::matrix::{Matrix, MatrixSource, Parts, EMBEDDED_YAML};
use crate::output::{self, Styles};
use crate::render;
use crate::requirements::{self, Requirements};
use clap::CommandFactory;
use std::io::IsTerminal;
use std::path::Path;

/// The largest requirements file accepted.
pub const MAX_REQUIREMENTS_BYTES: u64 = 1024 * 1024;

/// What every command may need: where the matrix comes from, and colour.
pub struct Context {
    pub source: MatrixSource,
    pub color: bool,
}

impl Context {
    /// Loads the parts of the matrix a command uses. A command loads it once
    /// and uses it until the process ends, so it is never freed (no work at exit).
    pub fn load_matrix(&self, parts: Parts) -> Result<&'static Matrix<'static>, CliError> {
        let matrix = Matrix::load_parts(&self.source, parts)?;
        Ok(Box::leak(Box::new(matrix)))
    }
    pub fn styles(&self) -> Styles {
        Styles::new(self.color)
    }
}

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> Result<ExitCode, CliError> {
    let ctx = Context {
        source: match &cli.options.matrix {
            Some(p) if !p.as_os_str().is_empty() => MatrixSource::File(p.clone()),
            _ => MatrixSource::Embedded,
        },
        color: output::use_color(cli.options.color),
    };
    match cli.command {
        None => {
            if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
                let matrix = ctx.load_matrix(Parts::ENGINE)?;
                crate::prompt::run(&ctx, matrix, DecisionFormat::Text)
            } else {
                let help = Cli::command().render_help().to_string();
                eprint!("{help}");
                Ok(ExitCode::Usage)
            }
        }
        Some(Command::Recommend(args)) => recommend(&ctx, *args),
        Some(Command::Compare(args)) => {
            let matrix = ctx.load_matrix(Parts::ROWS)?;
            let text = render::compare(matrix, args.format, ctx.color)?;
            output::write_stdout(text.as_bytes())?;
            Ok(ExitCode::Success)
        }
        Some(Command::Apps(args)) => {
            let matrix = ctx.load_matrix(Parts::APPS)?;
            let text = render::apps(matrix, args.format, ctx.color)?;
            output::write_stdout(text.as_bytes())?;
            Ok(ExitCode::Success)
        }
        Some(Command::Api(args)) => crate::knowledge::api(&ctx, args),
        Some(Command::Migrate(args)) => crate::knowledge::migrate(&ctx, args),
        Some(Command::Troubleshoot(args)) => crate::troubleshoot::run(&ctx, args),
        Some(Command::Matrix { action }) => match action {
            MatrixCommand::Export => {
                output::write_stdout(EMBEDDED_YAML.as_bytes())?;
                Ok(ExitCode::Success)
            }
            MatrixCommand::Validate { file } => crate::lint::run(&ctx, file.as_deref()),
        },
        Some(Command::Completions { shell, .. }) => {
            output::write_stdout(completion_script(shell).as_bytes())?;
            Ok(ExitCode::Success)
        }
        Some(Command::Man { command, .. }) => {
            output::write_stdout(&man_page(&command)?)?;
            Ok(ExitCode::Success)
        }
    }
}

fn recommend(ctx: &Context, args: RecommendArgs) -> Result<ExitCode, CliError> {
    // Standard input can be read once: the matrix would take it all.
    let stdin = Path::new("-");
    if ctx.source == MatrixSource::File(stdin.into())
        && (args.batch.as_deref() == Some(stdin)
            || args.requirements.requirements.as_deref() == Some(stdin))
    {
        return Err(CliError::Usage(
            "--matrix - and --batch - (or --requirements -) cannot both read standard input; \
             give one of them as a file"
                .into(),
        ));
    }
    let matrix = ctx.load_matrix(Parts::ENGINE)?;
    let engine = Engine::new(matrix);
    if let Some(path) = &args.batch {
        if args.requirements.any() {
            return Err(CliError::Usage(
                "--batch reads the requirements from each line; drop the requirement flags".into(),
            ));
        }
        return crate::batch::run(&engine, path, args.detail);
    }
    let req = requirements_from_flags(&engine, &args.requirements)?;
    let terminal = std::io::stdin().is_terminal();
    if args.interactive {
        if !terminal {
            return Err(CliError::Usage(
                "-i needs a terminal; state the requirements with flags instead, e.g. \
                 `cif-advisor recommend --app sales --providers 1` (see --help), or --requirements FILE"
                    .into(),
            ));
        }
        return crate::prompt::run(ctx, matrix, args.format);
    }
    if req.is_empty() {
        if terminal && !args.no_input && !args.quiet {
            return crate::prompt::run(ctx, matrix, args.format);
        }
        return Err(CliError::Usage(
            "no requirement stated; give at least one, e.g. `--app sales`, `--providers 2`, \
             `--analytics` or `--requirements FILE` (see `cif-advisor recommend --help`)"
                .into(),
        ));
    }
    let decision = engine.evaluate(&req);
    let code = outcome_code(&decision);
    let text = if args.quiet {
        match &decision.recommended {
            Some(v) => format!("{v}\n"),
            None => String::new(),
        }
    } else {
        render::decision(&engine, &decision, args.format, &ctx.styles())?
    };
    output::write_stdout(text.as_bytes())?;
    Ok(code)
}

/// Exit code of a decision: 0 when a version fits, 3 when none does.
pub fn outcome_code(decision: &crate::engine::Decision) -> ExitCode {
    if decision.recommended.is_some() {
        ExitCode::Success
    } else {
        ExitCode::NoMatch
    }
}

/// Builds `Requirements` from a requirements file (if any) and the flags,
/// flags overriding the file key by key.
pub fn requirements_from_flags(
    engine: &Engine,
    flags: &RequirementFlags,
) -> Result<Requirements, CliError> {
    let lexicon = &engine.lexicon;
    let mut req = match &flags.requirements {
        Some(path) => read_requirements_file(engine, path)?,
        None => Requirements::empty(engine.matrix),
    };
    let mut from_flags = Requirements::empty(engine.matrix);
    let singles: [(&str, Option<&String>); 5] = [
        ("session", flags.session.as_ref()),
        ("panel_side", flags.panel_side.as_ref()),
        ("cloud", flags.cloud.as_ref()),
        ("client", flags.client.as_ref()),
        ("deployment", flags.deployment.as_ref()),
    ];
    for (key, value) in singles {
        if let Some(value) = value {
            let (dim, flag) = dimension_for(engine, key)?;
            from_flags.values[dim] = lexicon
                .set_of(dim, [value.as_str()])
                .map_err(|e| bad_value(flag, &e))?;
        }
    }
    let lists: [(&str, &Vec<String>); 4] = [
        ("apps", &flags.apps),
        ("channels", &flags.channels),
        ("panel_modes", &flags.panel_modes),
        ("templates", &flags.templates),
    ];
    for (key, values) in lists {
        if values.is_empty() {
            continue;
        }
        let mut values: Vec<&str> = values
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            // `--app ""` states no value: an unknown value, as `--session ""` is.
            values.push("");
        }
        let (dim, flag) = dimension_for(engine, key)?;
        from_flags.values[dim] = lexicon
            .set_of(dim, values)
            .map_err(|e| bad_value(flag, &e))?;
    }
    for (key, on) in [("analytics", flags.analytics), ("presence", flags.presence)] {
        if on {
            let (dim, _) = dimension_for(engine, key)?;
            from_flags.values[dim] = Some(requirements::Value::Set(1));
        }
    }
    if let Some(n) = flags.providers {
        let (dim, _) = dimension_for(engine, "providers")?;
        if u64::from(n) > requirements::MAX_COUNT {
            return Err(CliError::Usage(format!(
                "invalid value '{n}' for '--providers': expected a whole number from 1 to {}",
                requirements::MAX_COUNT
            )));
        }
        from_flags.values[dim] = Some(requirements::Value::Count(n));
    }
    req.overlay(&from_flags);
    Ok(req)
}

/// The dimension a requirement flag states, and the flag's name (from `FLAGS`).
fn dimension_for(engine: &Engine, key: &str) -> Result<(usize, &'static str), CliError> {
    let flag = FLAGS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("--requirements", |(_, f)| *f);
    engine
        .lexicon
        .dimension_index(key)
        .map(|d| (d, flag))
        .ok_or_else(|| {
            CliError::Usage(format!(
                "{flag} cannot be used: the matrix has no '{key}' dimension (it has: {}); \
             state it in --requirements FILE with the matrix's keys",
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

/// Reads and parses a requirements file (YAML or JSON; `-` is standard input).
pub fn read_requirements_file(engine: &Engine, path: &Path) -> Result<Requirements, CliError> {
    let text = input::read_text(path, MAX_REQUIREMENTS_BYTES)?;
    requirements::parse_document(&text, &engine.lexicon)
        .map_err(|e| CliError::Input(format!("requirements file '{}': {e}", path.display())))
}

/// The requirement flags and the matrix keys they state.
pub const FLAGS: [(&str, &str); 12] = [
    ("apps", "--app"),
    ("session", "--session"),
    ("providers", "--providers"),
    ("channels", "--channel"),
    ("analytics", "--analytics"),
    ("templates", "--template"),
    ("presence", "--presence"),
    ("panel_side", "--panel-side"),
    ("panel_modes", "--panel-mode"),
    ("cloud", "--cloud"),
    ("client", "--client"),
    ("deployment", "--deployment"),
];

/// The command line that states `req` (for scripts). Dimensions without a
/// flag (a custom matrix's own) are noted as needing --requirements.
pub fn command_line(engine: &Engine, req: &Requirements) -> String {
    let mut parts = vec!["cif-advisor".to_string(), "recommend".to_string()];
    let mut unflagged = Vec::new();
    for (dim, value) in req.stated() {
        let d = &engine.matrix.dimensions[dim];
        let Some((_, flag)) = FLAGS.iter().find(|(k, _)| *k == d.key) else {
            unflagged.push(d.key.to_string());
            continue;
        };
        match (d.kind, value) {
            (_, requirements::Value::Count(n)) => parts.push(format!("{flag} {n}")),
            (crate::matrix::DimensionKind::Flag, _) => parts.push(flag.to_string()),
            (_, requirements::Value::Set(mask)) => {
                for i in requirements::bits(mask) {
                    if let Some(id) = engine.lexicon.value_ids(dim).get(i) {
                        parts.push(format!("{flag} {id}"));
                    }
                }
            }
        }
    }
    let mut line = parts.join(" ");
    if !unflagged.is_empty() {
        line.push_str(&format!(
            "  # plus {} in --requirements FILE",
            unflagged.join(", ")
        ));
    }
    line
}

/// The completion script for `shell`.
///
/// The script is clap_complete's, from a command whose requirement flags
/// (and `--version`) list the built-in matrix's values, so that
/// `--app <TAB>` offers app ids and aliases and `--cloud <TAB>` the clouds.
/// The values are taken when the script is generated: regenerate it after
/// an upgrade. (clap_complete's dynamic completion, which would ask the
/// binary at each TAB, is behind its `unstable-dynamic` feature.)
///
/// Bash: clap_complete up to 4.6.12, the newest release, spells the state
/// of a subcommand of a hyphenated binary one way where it sets it
/// (`cif__advisor__subcmd__recommend`) and another where it matches it
/// (`cif__subcmd__advisor__subcmd__recommend`), so nothing completes after
/// a subcommand (clap-rs/clap#6421, #6529; the fixes were not merged). The
/// matching side is corrected here; a test completes through the script in
/// bash and fails when the generated script changes shape.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut completion_command(), "cif-advisor", &mut buf);
    let script = String::from_utf8_lossy(&buf).into_owned();
    if shell == clap_complete::Shell::Bash {
        script.replace("cif__subcmd__advisor", "cif__advisor")
    } else {
        script
    }
}

/// The full command with the built-in matrix's values as the possible
/// values of the requirement flags and of `--version` (for completion
/// scripts only; parsing keeps the plain strings and its own messages).
fn completion_command() -> clap::Command {
    let cmd = Cli::command();
    let Ok(matrix) = Matrix::embedded() else {
        return cmd;
    };
    let mut hints: Vec<(&str, Vec<clap::builder::PossibleValue>)> = Vec::new();
    for (key, flag) in FLAGS {
        let long = flag.trim_start_matches("--");
        let values = if key == "apps" {
            matrix
                .apps
                .iter()
                .flat_map(|a| spellings(&a.id, &a.name, &a.aliases))
                .collect()
        } else {
            match matrix.dimension(key) {
                Some(d) => d
                    .values
                    .iter()
                    .flat_map(|v| spellings(&v.id, &v.name, &v.aliases))
                    .collect(),
                None => Vec::new(),
            }
        };
        if !values.is_empty() {
            hints.push((long, values));
        }
    }
    let versions: Vec<clap::builder::PossibleValue> = matrix
        .versions
        .iter()
        .map(|v| clap::builder::PossibleValue::new(leak(&v.id)).help(leak(&v.name)))
        .collect();
    let with_values =
        |sub: clap::Command, long: &str, values: Vec<clap::builder::PossibleValue>| {
            let id = sub
                .get_arguments()
                .find(|a| a.get_long() == Some(long))
                .map(|a| a.get_id().to_string());
            match id {
                Some(id) => sub.mut_arg(id, |a| {
                    a.value_parser(clap::builder::PossibleValuesParser::new(values))
                }),
                None => sub,
            }
        };
    let versions_too = versions.clone();
    cmd.mut_subcommand("recommend", |sub| {
        hints
            .into_iter()
            .fold(sub, |sub, (long, values)| with_values(sub, long, values))
    })
    .mut_subcommand("api", |sub| with_values(sub, "version", versions))
    .mut_subcommand("troubleshoot", |sub| {
        with_values(sub, "version", versions_too)
    })
}

/// A value's id (described by its name) and its aliases that are single
/// words (an alias with a space is accepted when typed, quoted, but a
/// completion list splits it).
fn spellings(
    id: &str,
    name: &str,
    aliases: &[crate::matrix::Text<'_>],
) -> Vec<clap::builder::PossibleValue> {
    let mut out = vec![clap::builder::PossibleValue::new(leak(id)).help(leak(name))];
    out.extend(
        aliases
            .iter()
            .filter(|a| !a.contains(char::is_whitespace) && a.as_ref() != id)
            .map(|a| {
                clap::builder::PossibleValue::new(leak(a)).help(leak(&format!("{name} ({id})")))
            }),
    );
    out
}

/// A string for clap's `'static` names; the completion command is built
/// once, just before the process ends.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// The man page (roff) of the command named by `words` (`[]` the tool's,
/// `["recommend"]`, `["matrix", "validate"]` or `["matrix-validate"]`),
/// as clap_mangen renders it from the command line definition. The tool's
/// page ends with a SEE ALSO of every page this prints.
pub fn man_page(words: &[String]) -> Result<Vec<u8>, CliError> {
    let mut top = Cli::command().disable_help_subcommand(true);
    top.build();
    let mut pages = Vec::new();
    man_pages(&top, &mut Vec::new(), &mut pages);
    let wanted = words.join(" ").replace('-', " ");
    let wanted = wanted.trim();
    let wanted = wanted.strip_prefix("cif advisor").unwrap_or(wanted).trim();
    let Some((_, path, cmd)) = pages.iter().find(|(name, _, _)| name == wanted) else {
        let names: Vec<&str> = pages
            .iter()
            .map(|(name, _, _)| name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        return Err(CliError::Usage(format!(
            "no man page for '{}'; the pages are the tool's (`cif-advisor man`) and: {}",
            words.join(" "),
            names.join(", ")
        )));
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    if path.is_empty() {
        buf.extend_from_slice(b".SH \"SEE ALSO\"\n");
        let refs: Vec<String> = pages
            .iter()
            .filter(|(_, p, _)| !p.is_empty())
            .map(|(_, p, _)| format!("\\fBcif\\-advisor\\-{}\\fR(1)", p.join("\\-")))
            .collect();
        buf.extend_from_slice(refs.join(",\n").as_bytes());
        buf.extend_from_slice(
            b"\n.PP\nEach is printed by \\fBcif\\-advisor man\\fR \\fICOMMAND\\fR, \
              e.g. \\fBcif\\-advisor man recommend\\fR or \\fBcif\\-advisor man matrix validate\\fR.\n",
        );
    }
    Ok(buf)
}

/// A man page: its name as `man` takes it ("" for the tool's, "matrix
/// validate"), the subcommand path to it, and its command.
type ManPage = (String, Vec<String>, clap::Command);

/// Every page of `cmd` and its subcommands.
fn man_pages(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<ManPage>) {
    out.push((path.join(" "), path.clone(), cmd.clone()));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        path.push(sub.get_name().to_string());
        man_pages(sub, path, out);
        path.pop();
    }
}
