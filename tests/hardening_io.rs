//! Bad inputs and faults of the third sweep (bad-inputs-2026-12-07) that
//! the table of `tests/hardening.rs` cannot state: files left behind by a
//! failed write, signals in a batch, FIFOs in a checkout, and the property
//! that no command writes a raw control character from user text.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cif-advisor");

const ORG: &str = "apps: [sales, cs-workspace]\nproviders: 2\nchannels: [telephony]\n";

/// Runs the binary in `dir` (optionally under `prlimit OPTIONS --`).
fn run_in(dir: &Path, limit: &[&str], args: &[&str]) -> Output {
    let mut cmd = if limit.is_empty() {
        Command::new(BIN)
    } else {
        let mut c = Command::new("prlimit");
        c.args(limit).arg("--").arg(BIN);
        c
    };
    cmd.args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .env_remove("CIF_ADVISOR_MATRIX")
        .stdin(Stdio::null())
        .output()
        .expect("run cif-advisor")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Exactly one line, `error: ` and then `words`.
fn assert_one_error_line(out: &Output, words: &str) {
    let err = stderr(out);
    assert!(
        err.starts_with("error: ") && err.lines().count() == 1 && err.contains(words),
        "{err:?} lacks {words:?}"
    );
}

/// D11: over the file-size limit, `--save` leaves no file (and no
/// temporary file) behind, and says why.
#[test]
fn a_save_over_the_file_size_limit_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.yaml"), ORG).unwrap();
    let out = run_in(
        dir.path(),
        &["--fsize=100"],
        &[
            "recommend",
            "--requirements",
            "org.yaml",
            "--save",
            "saved.yaml",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_one_error_line(
        &out,
        "error: cannot write the requirements file 'saved.yaml': File too large; check the path and its permissions",
    );
    assert!(out.stdout.is_empty());
    assert_eq!(names(dir.path()), ["org.yaml"]);
}

/// D11: `--save` onto the requirements file it read, over the file-size
/// limit: the file is exactly as it was.
#[test]
fn a_failed_save_onto_the_requirements_file_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org.yaml");
    std::fs::write(&org, ORG).unwrap();
    let out = run_in(
        dir.path(),
        &["--fsize=100"],
        &[
            "recommend",
            "--requirements",
            "org.yaml",
            "--save",
            "org.yaml",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_one_error_line(&out, "'org.yaml': File too large");
    assert_eq!(std::fs::read_to_string(&org).unwrap(), ORG);
    assert_eq!(names(dir.path()), ["org.yaml"]);
    let again = run_in(
        dir.path(),
        &[],
        &["recommend", "--requirements", "org.yaml", "-q"],
    );
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        "cs-workspace=2.0 sales=1.0\n"
    );
}

/// D11: `--save` onto the requirements file it read (no fault) rewrites it
/// whole, with its permissions, to the same answer.
#[cfg(unix)]
#[test]
fn a_save_onto_the_requirements_file_rewrites_it_whole() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org.yaml");
    std::fs::write(&org, ORG).unwrap();
    std::fs::set_permissions(&org, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = run_in(
        dir.path(),
        &[],
        &[
            "recommend",
            "--requirements",
            "org.yaml",
            "--save",
            "org.yaml",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "cs-workspace=2.0 sales=1.0\n"
    );
    let saved = std::fs::read_to_string(&org).unwrap();
    assert!(
        saved.ends_with("apps:\n- sales\n- cs-workspace\nproviders: 2\nchannels:\n- telephony\n"),
        "{saved}"
    );
    let mode = std::fs::metadata(&org).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(names(dir.path()), ["org.yaml"]);
    let again = run_in(
        dir.path(),
        &[],
        &["recommend", "--requirements", "org.yaml", "-q"],
    );
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        "cs-workspace=2.0 sales=1.0\n"
    );
}

/// D11: a save through a symbolic link replaces the file it points to and
/// keeps the link.
#[cfg(unix)]
#[test]
fn a_save_through_a_symbolic_link_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::write(dir.path().join("real/org.yaml"), ORG).unwrap();
    std::os::unix::fs::symlink("real/org.yaml", dir.path().join("link.yaml")).unwrap();
    let out = run_in(
        dir.path(),
        &[],
        &["recommend", "--app", "sales", "--save", "link.yaml", "-q"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(dir.path().join("link.yaml")).unwrap();
    assert!(link.file_type().is_symlink());
    let saved = std::fs::read_to_string(dir.path().join("real/org.yaml")).unwrap();
    assert!(saved.ends_with("\napps:\n- sales\n"), "{saved}");
    assert_eq!(names(&dir.path().join("real")), ["org.yaml"]);
}

/// D11: a full disk (`/dev/full` takes no byte): one error line, exit 1.
#[test]
fn a_save_onto_a_full_device_is_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &[],
        &["recommend", "--app", "sales", "--save", "/dev/full", "-q"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_one_error_line(
        &out,
        "error: cannot write the requirements file '/dev/full': No space left on device; check the path and its permissions",
    );
}

/// D11: a save into a folder that is not there, or onto a folder.
#[test]
fn a_save_to_a_missing_folder_or_onto_a_folder_is_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let out = run_in(
        dir.path(),
        &[],
        &["recommend", "--app", "sales", "--save", "no/such.yaml"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_one_error_line(&out, "'no/such.yaml': no such file");
    let out = run_in(
        dir.path(),
        &[],
        &["recommend", "--app", "sales", "--save", "sub"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_one_error_line(&out, "'sub': is a directory");
    assert_eq!(names(dir.path()), ["sub"]);
    assert!(names(&dir.path().join("sub")).is_empty());
}
