//! Shared by the tests that drive the binary.

use assert_cmd::Command;

/// Runs `cif-advisor` with `args` (no colour, the built-in matrix, output
/// `columns` wide, `stdin` fed when given); returns the exit code, standard
/// output and standard error.
pub fn run_binary(args: &[&str], stdin: Option<&str>, columns: &str) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("cif-advisor").expect("binary");
    cmd.args(args)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env("NO_COLOR", "1")
        .env("COLUMNS", columns);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_string());
    }
    let out = cmd.output().expect("run cif-advisor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}
