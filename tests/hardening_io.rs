//! Bad inputs and faults that the table of `tests/hardening.rs` cannot
//! state: files left behind by a failed write, signals in a batch, FIFOs in
//! a checkout, and the property that no command writes a raw control
//! character from user text.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cif-advisor");

const ORG: &str = "apps: [sales, cs-workspace]\nproviders: 2\nchannels: [telephony]\n";

/// Runs the binary in `dir`, under `wrap` if given (`prlimit --fsize=100
/// --`, `timeout 10`).
fn run_in(dir: &Path, wrap: &[&str], args: &[&str]) -> Output {
    let mut cmd = match wrap.split_first() {
        None => Command::new(BIN),
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(BIN);
            c
        }
    };
    cmd.args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
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
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: prlimit, /dev/full, mkfifo, timeout"
)]
fn a_save_over_the_file_size_limit_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.yaml"), ORG).unwrap();
    let out = run_in(
        dir.path(),
        &["prlimit", "--fsize=100", "--"],
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
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: prlimit, /dev/full, mkfifo, timeout"
)]
fn a_failed_save_onto_the_requirements_file_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org.yaml");
    std::fs::write(&org, ORG).unwrap();
    let out = run_in(
        dir.path(),
        &["prlimit", "--fsize=100", "--"],
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
    // A link to a file not there yet: the file is made where it points.
    std::os::unix::fs::symlink("real/new.yaml", dir.path().join("new.yaml")).unwrap();
    let out = run_in(
        dir.path(),
        &[],
        &["recommend", "--app", "sales", "--save", "new.yaml", "-q"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(names(&dir.path().join("real")), ["new.yaml", "org.yaml"]);
    assert!(std::fs::symlink_metadata(dir.path().join("new.yaml"))
        .unwrap()
        .file_type()
        .is_symlink());
}

/// D11: a full disk (`/dev/full` takes no byte): one error line, exit 1.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: prlimit, /dev/full, mkfifo, timeout"
)]
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

const CIF_PAGE: &str = "ce/channel-integration-framework/choose-between-versions.md";

/// A checkout with `page` at `CIF_PAGE` written by `make`.
fn checkout(make: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("docs/ce/channel-integration-framework");
    std::fs::create_dir_all(&folder).unwrap();
    make(&dir.path().join("docs").join(CIF_PAGE));
    dir
}

/// The two lines after `file: CIF_PAGE` in `matrix sources --docs docs`.
fn page_status(dir: &Path, matrix: Option<&str>) -> (Option<i32>, String) {
    let mut args = vec![];
    if let Some(m) = matrix {
        args.extend(["--matrix", m]);
    }
    args.extend(["matrix", "sources", "--docs", "docs"]);
    // A hang (D20) ends in 124 after 10 seconds.
    let out = run_in(dir, &["timeout", "10"], &args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let after = text
        .split(&format!("  file: {CIF_PAGE}\n"))
        .nth(1)
        .map(|rest| rest.lines().next().unwrap_or("").to_string())
        .unwrap_or_default();
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    (out.status.code(), after)
}

/// D20: a FIFO in the checkout is reported, not opened (which blocked).
#[cfg(unix)]
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: prlimit, /dev/full, mkfifo, timeout"
)]
fn a_fifo_in_the_docs_checkout_is_unreadable_not_a_hang() {
    let dir = checkout(|page| {
        let made = Command::new("mkfifo").arg(page).status().unwrap();
        assert!(made.success());
    });
    let (code, status) = page_status(dir.path(), None);
    assert_eq!(code, Some(0));
    assert_eq!(
        status,
        "  UNREADABLE in the checkout: not compared (not a regular file)"
    );
}

/// D21: a page that is not UTF-8 after its front matter is read for its date.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: prlimit, /dev/full, mkfifo, timeout"
)]
fn a_page_that_is_not_utf8_is_read_for_its_date() {
    let dir = checkout(|page| {
        std::fs::write(page, b"---\nms.date: 01/15/2027\n---\nCaf\xe9 au lait\n").unwrap()
    });
    let (code, status) = page_status(dir.path(), None);
    assert_eq!(code, Some(0));
    assert_eq!(
        status,
        "  ms.date 01/15/2027: CHANGED after the review: re-read the facts below"
    );
}

/// D21: a page over 1 MiB whose cut falls inside a character.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: prlimit, /dev/full, mkfifo, timeout"
)]
fn a_long_page_cut_inside_a_character_is_read_for_its_date() {
    let dir = checkout(|page| {
        let mut text = b"---\nms.date: 01/15/2027\n---\n".to_vec();
        text.resize(1024 * 1024 - 1, b'x');
        text.extend_from_slice("é and more\n".as_bytes());
        std::fs::write(page, text).unwrap()
    });
    let (_, status) = page_status(dir.path(), None);
    assert_eq!(
        status,
        "  ms.date 01/15/2027: CHANGED after the review: re-read the facts below"
    );
}

/// D29: `..` in a matrix link does not lead out of the checkout.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: prlimit, /dev/full, mkfifo, timeout"
)]
fn dot_dot_in_a_matrix_link_is_not_a_page_of_the_checkout() {
    let dir = checkout(|page| std::fs::write(page, "---\nms.date: 01/15/2020\n---\n").unwrap());
    let export = run_in(dir.path(), &[], &["matrix", "export"]);
    let matrix = String::from_utf8(export.stdout).unwrap().replacen(
        "docs: https://learn.microsoft.com/dynamics365/channel-integration-framework/v1/administer/overview-channel-integration-framework",
        "docs: https://learn.microsoft.com/dynamics365/sales/../../../outside/secret",
        1,
    );
    assert!(matrix.contains("outside/secret"));
    std::fs::write(dir.path().join("t.yaml"), matrix).unwrap();
    std::fs::create_dir_all(dir.path().join("outside")).unwrap();
    std::fs::write(
        dir.path().join("outside/secret.md"),
        "---\nms.date: 01/15/2030\n---\n",
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &[],
        &["--matrix", "t.yaml", "matrix", "sources", "--docs", "docs"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\nhttps://learn.microsoft.com/dynamics365/sales/../../../outside/secret\n  not a page of the docs repository: listed, not checked\n"),
        "{text}"
    );
    assert!(!text.contains("01/15/2030"), "{text}");
}

// Item 4 of issue 27: one escaping rule at the writers. Every command is
// driven with hostile text in every string the user supplies (arguments,
// file names, values and keys of requirements files and batch lines, record
// names of an export); nothing it writes, to standard output, standard error
// or a file, may hold a raw control character (newlines and tabs aside) or a
// bidirectional override, and colour (--color always) may only be the tool's
// own style sequences.

/// What one command of the property gives: its problems (empty: fine).
fn hostile_problems(dir: &Path, args: &[String], stdin: Option<&str>) -> Vec<String> {
    let mut cmd = Command::new("timeout");
    cmd.arg("10")
        .arg(BIN)
        .args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().expect("spawn");
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        use std::io::Write as _;
        let _ = pipe.write_all(text.as_bytes());
    }
    let out = child.wait_with_output().expect("wait");
    let mut problems = Vec::new();
    if !matches!(out.status.code(), Some(0..=3)) {
        problems.push(format!("exit {:?}", out.status.code()));
    }
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("panicked") || err.contains("backtrace") {
        problems.push("a panic".into());
    }
    if err.lines().filter(|l| l.starts_with("error:")).count() > 1 {
        problems.push("more than one error: line".into());
    }
    for (name, text) in [
        ("stdout", String::from_utf8_lossy(&out.stdout)),
        ("stderr", err),
    ] {
        if let Some(c) = raw_control(&text) {
            problems.push(format!("{name} holds a raw {c:?}"));
        }
    }
    problems
}

/// The first raw control character or override of `text` (newlines and
/// tabs allowed, and SGR colour sequences `ESC [ digits ; m`).
fn raw_control(text: &str) -> Option<char> {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(sgr) = rest.strip_prefix("\u{1b}[") {
            let n = sgr
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b';')
                .count();
            if sgr.as_bytes().get(n) == Some(&b'm') {
                rest = &sgr[n + 1..];
                continue;
            }
        }
        if cif_advisor::sanitize::is_unsafe_in_text(c) {
            return Some(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    None
}

/// Every command, with `x` in each user-supplied string: (args, stdin).
fn hostile_commands(x: &str) -> Vec<(Vec<String>, Option<String>)> {
    let json = serde_json::to_string(x).unwrap();
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut v: Vec<(Vec<String>, Option<String>)> = [
        &["recommend", "--app", x][..],
        &["recommend", "--app", "sales", "--channel", x],
        &[
            "recommend",
            "--app",
            "sales",
            "--session",
            x,
            "--format",
            "json",
        ],
        &["recommend", "--providers", x],
        &["recommend", "--app", "sales", "--skip", x],
        &["recommend", "--requirements", x],
        &[
            "recommend",
            "--requirements",
            "r.json",
            "--format",
            "markdown",
        ],
        &["recommend", "--requirements", "k.json"],
        &["recommend", "--app", "sales", "--save", x, "-q"],
        &["--matrix", x, "compare"],
        &["--color", "always", "recommend", "--app", x],
        &["--color", x, "apps"],
        &["compare", "--format", x],
        &["apps", "--format", x],
        &["api", "--version", x],
        &["api", "--format", x],
        &["migrate", "--app", x],
        &["troubleshoot", x],
        &["--color", "always", "troubleshoot", x],
        &["troubleshoot", "--format", "json", x],
        &["troubleshoot", "--version", x, "widget"],
        &["check", x],
        &["check", "--queries", x],
        &["check", "e.json"],
        &["check", "--format", "json", "e.json"],
        &["check", "--format", "markdown", "e.json"],
        &["matrix", "validate", x],
        &["matrix", "sources", "--docs", x],
        &["matrix", "sources", "--format", "json", "--docs", x],
        &["completions", x],
        &["man", x],
        &[x],
        &["recommend", x],
    ]
    .iter()
    .map(|a| (args(a), None))
    .collect();
    for detail in ["compact", "full"] {
        let lines = format!(
            "{{\"id\":{json},\"apps\":\"sales\"}}\n{{\"apps\":{json}}}\n{{{json}:1}}\n{{\"id\":{json},\"providers\":0}}\n"
        );
        v.push((
            args(&["recommend", "--batch", "-", "--detail", detail]),
            Some(lines),
        ));
    }
    v
}

/// Writes the files the commands read, with `x` in them.
fn hostile_files(dir: &Path, x: &str) {
    let json = serde_json::to_string(x).unwrap();
    std::fs::write(dir.join("r.json"), format!("{{\"apps\": {json}}}")).unwrap();
    std::fs::write(dir.join("k.json"), format!("{{{json}: \"sales\"}}")).unwrap();
    let row = format!(
        "{{\"msdyn_ciproviderid\":\"5b2d7c10-8e9f-4a0b-b1c2-d3e4f5a6b701\",\"msdyn_name\":{json},\
         \"msdyn_landingurl\":{json},\"msdyn_trusteddomain\":{json},\"statecode\":0}}"
    );
    std::fs::write(
        dir.join("e.json"),
        format!("{{\"@odata.context\":\"https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#msdyn_ciproviders\",\"value\":[{row}]}}"),
    )
    .unwrap();
    // A folder of that name with ce/ in it, where the name can be one.
    let _ = std::fs::create_dir_all(dir.join(x).join("ce"));
}

/// Runs every command with `x`; the problems found, with the command.
fn hostile_run(x: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    hostile_files(dir.path(), x);
    let mut problems = Vec::new();
    for (args, stdin) in hostile_commands(x) {
        for p in hostile_problems(dir.path(), &args, stdin.as_deref()) {
            problems.push(format!("{args:?}: {p}"));
        }
    }
    // Every file a command wrote (--save), too.
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
            let name = entry.file_name().to_string_lossy().into_owned();
            let read = ["r.json", "k.json", "e.json"].contains(&name.as_str());
            if let (false, Some(c)) = (read, raw_control(&text)) {
                problems.push(format!("the written file {name:?} holds a raw {c:?}"));
            }
        }
    }
    problems
}

/// The property, with one string holding every kind of hostile character.
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: prlimit, /dev/full, mkfifo, timeout"
)]
fn no_command_writes_a_raw_control_character_from_user_text() {
    let x = "sa\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{85}\u{7f}\r\n\tx\u{202e}\u{2066}\u{8}les";
    let problems = hostile_run(x);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// The same, with random strings of hostile and plain characters.
    #[test]
    #[ignore = "fuzz"]
    fn no_command_writes_a_raw_control_character_whatever_the_text(
        chars in proptest::collection::vec(proptest::sample::select(vec![
            '\u{1b}', '[', ']', '0', ';', 'm', '2', 'J', '\u{7}', '\u{9b}', '\u{85}', '\u{7f}',
            '\r', '\n', '\t', '\u{8}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200e}', 'a', 's',
            'l', 'e', ' ', '"', '\'', ',', ':', '\\', 'é', '.', '-', '=', '{', '%',
        ]), 0..16)
    ) {
        let x: String = chars.into_iter().collect();
        // `.` and `..` name folders: `check` reads every export in one and
        // writes an error line for each file it cannot read, as documented.
        proptest::prop_assume!(x.is_empty() || x.chars().any(|c| c != '.'));
        let problems = hostile_run(&x);
        proptest::prop_assert!(problems.is_empty(), "{:?}: {}", x, problems.join("\n"));
    }
}

/// D20 for an include: a FIFO where a cited include belongs is reported,
/// not taken for the include (nor for a missing one).
#[cfg(unix)]
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: prlimit, /dev/full, mkfifo, timeout"
)]
fn a_fifo_where_an_include_belongs_is_unreadable() {
    let include = "ce/channel-integration-framework/shared/token-setWidth.md";
    let dir = checkout(|_| {});
    std::fs::create_dir_all(
        dir.path()
            .join("docs/ce/channel-integration-framework/shared"),
    )
    .unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.path().join("docs").join(include))
        .status()
        .unwrap();
    assert!(made.success());
    let export = run_in(dir.path(), &[], &["matrix", "export"]);
    let matrix = String::from_utf8(export.stdout).unwrap().replacen(
        "source: https://learn.microsoft.com/dynamics365/channel-integration-framework/v1/administer/get-channel-integration-framework",
        &format!("source: https://github.com/MicrosoftDocs/dynamics-365-customer-engagement/blob/main/{include}"),
        1,
    );
    std::fs::write(dir.path().join("t.yaml"), matrix).unwrap();
    let out = run_in(
        dir.path(),
        &["timeout", "10"],
        &["--matrix", "t.yaml", "matrix", "sources", "--docs", "docs"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "  file: {include}\n  UNREADABLE in the checkout: not compared (not a regular file)\n"
        )),
        "{text}"
    );
    assert!(text.contains(", 1 unreadable.\n"), "{text}");
}
