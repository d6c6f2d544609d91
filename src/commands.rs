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
                let none = Requirements::empty(matrix);
                crate::prompt::run(&ctx, matrix, DecisionFormat::Text, false, none, None)
            } else {
                let help = Cli::command().render_help().to_string();
                // Exit 2 whether or not standard error takes the help.
                let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), help.as_bytes());
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
        Some(Command::Migrate(args)) => crate::knowledge::migrate(&ctx, *args),
        Some(Command::Troubleshoot(args)) => crate::troubleshoot::run(&ctx, args),
        Some(Command::Check(args)) => crate::check::run(&ctx, args),
        Some(Command::Matrix { action }) => match action {
            MatrixCommand::Export => {
                output::write_stdout(EMBEDDED_YAML.as_bytes())?;
                Ok(ExitCode::Success)
            }
            MatrixCommand::Validate { file } => crate::lint::run(&ctx, file.as_deref()),
            MatrixCommand::Sources { docs, format } => {
                crate::matrix::sources::run(&ctx, docs.as_deref(), format)
            }
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
    // (`/dev/stdin` and the like count as `-`.)
    let reads_stdin = |p: Option<&Path>| p.is_some_and(input::is_stdin);
    if matches!(&ctx.source, MatrixSource::File(m) if input::is_stdin(m))
        && (reads_stdin(args.batch.as_deref())
            || reads_stdin(args.requirements.requirements.as_deref()))
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
    let mut req = requirements_from_flags(&engine, &args.requirements)?;
    skip_from_flags(&engine, &mut req, &args.skip)?;
    let save = args.save.as_deref();
    if save.is_some_and(input::is_stdin) {
        return Err(CliError::Usage(
            "--save - is not possible: standard output carries the answer; give a file name".into(),
        ));
    }
    let terminal = std::io::stdin().is_terminal();
    if args.interactive {
        if !terminal {
            return Err(CliError::Usage(
                "-i needs a terminal; state the requirements with flags instead, e.g. \
                 `cif-advisor recommend --app sales --providers 1` (see --help), or --requirements FILE"
                    .into(),
            ));
        }
        return crate::prompt::run(ctx, matrix, args.format, args.verbose, req, save);
    }
    if req.is_empty() {
        if terminal && !args.no_input && !args.quiet {
            return crate::prompt::run(ctx, matrix, args.format, args.verbose, req, save);
        }
        return Err(CliError::Usage(
            "no requirement stated; give at least one, e.g. `--app sales`, `--providers 2`, \
             `--analytics` or `--requirements FILE` (see `cif-advisor recommend --help`)"
                .into(),
        ));
    }
    if let Some(path) = save {
        write_requirements_file(&engine, &req, path)?;
    }
    let decision = engine.evaluate(&req);
    let mut code = outcome_code(&decision);
    if args.strict && code == ExitCode::Success && strict_fails(&decision) {
        code = ExitCode::Strict;
    }
    let text = if args.quiet {
        quiet_line(
            &engine,
            &decision,
            &stated_app_order(&engine, &args.requirements),
        )
    } else {
        let command = record_command(ctx, &engine, &req, args.format);
        render::decision_with_command(
            &engine,
            &decision,
            args.format,
            &ctx.styles(),
            args.verbose,
            command.as_deref(),
        )?
    };
    output::write_stdout(text.as_bytes())?;
    Ok(code)
}

/// The command line a decision record names to reproduce it (with the
/// options it depends on); none for the other formats.
fn record_command(
    ctx: &Context,
    engine: &Engine,
    req: &Requirements,
    format: DecisionFormat,
) -> Option<String> {
    if format != DecisionFormat::Markdown {
        return None;
    }
    let mut line = command_line(engine, req);
    let comment = line.find("  # ").map(|i| line.split_off(i));
    line.push_str(&extra_options(ctx, format));
    line.push_str(comment.as_deref().unwrap_or_default());
    Some(line)
}

/// A command-line word, quoted for a POSIX shell when it needs it.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The options beside the requirements that the answer depends on.
pub fn extra_options(ctx: &Context, format: DecisionFormat) -> String {
    use std::fmt::Write as _;
    let mut extra = String::new();
    if let MatrixSource::File(path) = &ctx.source {
        let _ = write!(
            extra,
            " --matrix {}",
            shell_word(&path.display().to_string())
        );
    }
    if format != DecisionFormat::Text {
        if let Some(name) = clap::ValueEnum::to_possible_value(&format) {
            let _ = write!(extra, " --format {}", name.get_name());
        }
    }
    extra
}

/// Exit code of a decision: 0 when a version or a plan serves every part, 3 when not.
pub fn outcome_code(decision: &crate::engine::Decision) -> ExitCode {
    match decision.outcome {
        crate::engine::OutcomeKind::None => ExitCode::NoMatch,
        _ => ExitCode::Success,
    }
}

/// `--strict`: a conditional or open answer, or a blocking caveat, fails.
pub fn strict_fails(decision: &crate::engine::Decision) -> bool {
    use crate::engine::Confidence;
    matches!(
        decision.confidence,
        Some(Confidence::Open | Confidence::Conditional)
    ) || decision
        .caveats
        .iter()
        .any(|c| c.kind == crate::matrix::CaveatKind::Blocking)
}

/// The app ids in the order the flags state them (canonical ids; unknown
/// spellings were rejected before).
fn stated_app_order(engine: &Engine, flags: &RequirementFlags) -> Vec<String> {
    let Some(dim) = engine.lexicon.dimension_index("apps") else {
        return Vec::new();
    };
    let mut order = Vec::new();
    for raw in flags
        .apps
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        if let Ok(i) = engine.lexicon.resolve(dim, raw) {
            if let Some(id) = engine.lexicon.value_ids(dim).get(usize::from(i)) {
                if !order.contains(id) {
                    order.push(id.clone());
                }
            }
        }
    }
    order
}

/// `-q`: the version for `single`, `APP=VERSION` pairs for `plan` (in the
/// stated order, then matrix order), nothing for `none`.
pub fn quiet_line(
    _engine: &Engine,
    decision: &crate::engine::Decision,
    stated_order: &[String],
) -> String {
    use crate::engine::OutcomeKind;
    match decision.outcome {
        OutcomeKind::Single => decision
            .recommended
            .as_ref()
            .map(|v| format!("{v}\n"))
            .unwrap_or_default(),
        OutcomeKind::Plan => {
            let mut pairs: Vec<(usize, String)> = decision
                .plan
                .iter()
                .flat_map(|p| p.apps.iter().map(move |a| (a.clone(), p.version.clone())))
                .enumerate()
                .map(|(i, (app, version))| {
                    let rank = stated_order
                        .iter()
                        .position(|s| *s == app)
                        .unwrap_or(stated_order.len() + i);
                    (rank, format!("{app}={version}"))
                })
                .collect();
            pairs.sort_by_key(|(rank, _)| *rank);
            let line: Vec<String> = pairs.into_iter().map(|(_, p)| p).collect();
            format!("{}\n", line.join(" "))
        }
        OutcomeKind::None => String::new(),
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
    let singles: [(&str, Option<&String>); 6] = [
        ("session", flags.session.as_ref()),
        ("panel_side", flags.panel_side.as_ref()),
        ("cloud", flags.cloud.as_ref()),
        ("client", flags.client.as_ref()),
        ("deployment", flags.deployment.as_ref()),
        ("host", flags.host.as_ref()),
    ];
    for (key, value) in singles {
        if let Some(value) = value {
            let (dim, flag) = dimension_for(engine, key)?;
            from_flags.values[dim] = lexicon
                .set_of(dim, [value.as_str()])
                .map_err(|e| bad_value(flag, &e))?;
        }
    }
    let lists: [(&str, &Vec<String>); 5] = [
        ("apps", &flags.apps),
        ("channels", &flags.channels),
        ("panel_modes", &flags.panel_modes),
        ("templates", &flags.templates),
        ("dialers", &flags.dialers),
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

/// Marks the `--skip` keys as left open on purpose (a flag overrides the
/// requirements file's value for that key).
pub fn skip_from_flags(
    engine: &Engine,
    req: &mut Requirements,
    keys: &[String],
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
        req.skip(dim);
    }
    Ok(())
}

/// The requirements as a requirements file (YAML) that `--requirements`
/// reads back to the same requirements: the stated keys, then `skipped`.
pub fn requirements_document(engine: &Engine, req: &Requirements) -> Result<String, CliError> {
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
        render::yaml::to_string(&doc)?
    };
    Ok(format!(
        "# cif-advisor requirements: `cif-advisor recommend --requirements FILE` reads them.\n\
         # `skipped` lists what was left open on purpose.\n{body}"
    ))
}

/// Writes `requirements_document` to `path` (`--save FILE`).
pub fn write_requirements_file(
    engine: &Engine,
    req: &Requirements,
    path: &Path,
) -> Result<(), CliError> {
    let text = requirements_document(engine, req)?;
    std::fs::write(path, text).map_err(|e| {
        CliError::Input(format!(
            "cannot write the requirements file '{}': {}; check the path and its permissions",
            path.display(),
            input::describe_io(&e)
        ))
    })
}

/// Reads and parses a requirements file (YAML or JSON; `-` is standard input).
pub fn read_requirements_file(engine: &Engine, path: &Path) -> Result<Requirements, CliError> {
    let text = input::read_text(path, MAX_REQUIREMENTS_BYTES)?;
    requirements::parse_document(&text, &engine.lexicon)
        .map_err(|e| CliError::Input(format!("requirements file '{}': {e}", path.display())))
}

/// The requirement flags and the matrix keys they state.
pub const FLAGS: [(&str, &str); 14] = [
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
    ("host", "--host"),
    ("dialers", "--dialer"),
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
    let skipped: Vec<&str> = req
        .skipped_dims()
        .map(|d| engine.matrix.dimensions[d].key.as_ref())
        .collect();
    if !skipped.is_empty() {
        parts.push(format!("--skip {}", skipped.join(",")));
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
