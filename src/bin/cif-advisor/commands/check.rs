//! `check`: an exported channel-provider configuration, against the rules.

use super::{usage, write, write_as, Context};
use crate::cli::CheckArgs;
use crate::error::CliError;
use cif_advisor::check::{catalogue, check, KnownApps, Options};
use cif_advisor::exit::ExitCode;
use cif_advisor::input;
use cif_advisor::output::safe_json_bytes;
use cif_advisor::render::check as render;

/// The command: `check FILE...` or `check --queries ORG_URL`.
pub fn run(ctx: &Context, args: CheckArgs) -> anyhow::Result<ExitCode> {
    if let Some(org) = &args.queries {
        return write(render::queries(org).map_err(CliError::Usage)?);
    }
    // clap requires FILE unless --queries is given.
    let stdin = args
        .files
        .iter()
        .chain(&args.diff)
        .filter(|p| input::is_stdin(p))
        .count();
    if stdin > 1 {
        return usage("standard input (-) can be given once; give the other exports as files");
    }
    if ctx.matrix_reads_stdin() && stdin > 0 {
        return usage("--matrix - and an export file - cannot both read standard input; give one of them as a file");
    }
    let org = args
        .org
        .as_deref()
        .map(|o| render::org_url("--org", o).map_err(CliError::Usage))
        .transpose()?;
    let (known, catalogue) = (KnownApps::from_matrix(&ctx.load_matrix()?), catalogue()?);
    let options = Options {
        strict: args.strict,
        previous: args.diff.clone(),
        // The same expectation twice is checked once.
        expect: args
            .expect
            .iter()
            .enumerate()
            .filter(|(i, e)| !args.expect[..*i].contains(e))
            .map(|(_, e)| e.clone())
            .collect(),
        org,
    };
    let report = check(&args.files, &known, &catalogue, &options);
    let format = args.format;
    if format == cif_advisor::render::Format::Json {
        // Written as it is serialised, with JSON's escapes (output::safe).
        let mut out = SafeJson(std::io::BufWriter::new(std::io::stdout().lock()));
        render::json(&report, &mut out)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(CliError::output)?;
    } else {
        write_as(render::check(&report, format, &ctx.styles())?, format)?;
    }
    // A file that cannot be read: one error line each, after the report.
    for f in &report.files {
        if let Some(e) = &f.error {
            let message = format!("export file '{}': {e}", f.path);
            crate::error::print_error(&CliError::input(message).into());
        }
    }
    Ok(report.exit_code())
}

/// Standard output for serde_json's writes, each made safe as a JSON
/// document is (DEL, C1 controls and overrides escaped).
struct SafeJson<W>(W);

impl<W: std::io::Write> std::io::Write for SafeJson<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(&safe_json_bytes(bytes))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
