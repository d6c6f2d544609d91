//! `matrix export`, `matrix validate` (checks and lint), completions and the
//! man page. The shells and `man` are installed by `.ci/run`.

use std::io::Write;
use std::process::Stdio;

mod common;

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    common::run_binary(args, stdin, "100")
}

const DATA: &str = include_str!("../data/cif-matrix.yaml");

#[test]
fn export_is_the_data_file_byte_for_byte() {
    let (code, out, _) = run(&["matrix", "export"], None);
    assert_eq!(code, 0);
    assert_eq!(out, DATA);
}

#[test]
fn the_exported_matrix_validates_and_gives_the_same_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exported.yaml");
    let (_, exported, _) = run(&["matrix", "export"], None);
    std::fs::write(&path, &exported).unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&["matrix", "validate", p], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "{p}: valid (schema 3, 2 versions, 10 apps, 14 dimensions, 18 rows"
        )),
        "{out}"
    );
    for format in ["table", "markdown", "json", "yaml"] {
        let (_, builtin, _) = run(&["compare", "--format", format], None);
        let (code, from_file, err) = run(&["--matrix", p, "compare", "--format", format], None);
        assert_eq!(code, 0, "{err}");
        assert_eq!(from_file, builtin, "compare --format {format}");
    }
    // And the same recommendation.
    let (_, a, _) = run(&["recommend", "--app", "sales", "--format", "json"], None);
    let (_, b, _) = run(
        &[
            "--matrix",
            p,
            "recommend",
            "--app",
            "sales",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(a, b);
}

#[test]
fn validate_reads_standard_input() {
    let (code, out, _) = run(&["matrix", "validate", "-"], Some(DATA));
    assert_eq!(code, 0);
    assert!(out.starts_with("-: valid"), "{out}");
}

#[test]
fn the_built_in_matrix_lints_with_its_documented_gaps() {
    let (code, out, _) = run(&["matrix", "validate"], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("built-in matrix: valid"), "{out}");
    assert!(
        out.contains("lint: dimensions[deployment].values[on-premises]: no version supports it"),
        "{out}"
    );
    assert!(
        out.contains("lint: dimensions[cloud].values[gcc]: no version is confirmed to support it"),
        "{out}"
    );
    assert!(!out.contains("lint: versions["), "{out}");
}

fn validate_text(text: &str) -> (i32, String, String) {
    run(&["matrix", "validate", "-"], Some(text))
}

#[test]
fn an_unknown_key_is_reported() {
    let bad = DATA.replacen(
        "    session: single\n",
        "    session: single\n    sesion: single\n",
        1,
    );
    let (code, _, err) = validate_text(&bad);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: matrix file '-': apps[0]: unknown field `sesion`"),
        "{err}"
    );
}

#[test]
fn a_dangling_reference_is_reported() {
    let bad = DATA.replacen(
        "      \"2.0\":\n        status: \"no\"",
        "      \"2.5\":\n        status: \"no\"",
        1,
    );
    let (code, _, err) = validate_text(&bad);
    assert_eq!(code, 1);
    assert!(
        err.contains("apps[0].support.2.5: unknown version '2.5'; expected one of 1.0, 2.0"),
        "{err}"
    );
}

#[test]
fn a_stale_review_date_is_linted() {
    let bad = DATA.replacen("reviewed: \"2026-12-02\"", "reviewed: \"2023-01-15\"", 1);
    let (code, out, err) = validate_text(&bad);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("lint: reviewed: 2023-01-15 is more than a year ago"),
        "{out}"
    );
}

/// Writes the completion script for `shell` to a file in `dir`.
fn completion_file(shell: &str, dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let (code, script, err) = run(&["completions", shell], None);
    assert_eq!(code, 0, "{err}");
    let file = dir.join(name);
    std::fs::write(&file, &script).unwrap();
    file
}

/// What bash's programmable completion offers for `line` (the words typed,
/// the last one being completed, "" for a fresh word): the script is
/// sourced, COMP_WORDS and COMP_CWORD set, the function `complete -p`
/// names called, and COMPREPLY read back, one entry a line.
fn bash_complete(script: &std::path::Path, line: &[&str]) -> Vec<String> {
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let cur = line.last().unwrap();
    let prev = line[line.len() - 2];
    let program = format!(
        "source '{}' || exit 9\n\
         f=$(complete -p cif-advisor | sed -E 's/.*-F ([^ ]+).*/\\1/')\n\
         COMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE=\"${{COMP_WORDS[*]}}\"\nCOMP_POINT=${{#COMP_LINE}}\n\
         \"$f\" cif-advisor '{cur}' '{prev}' || exit 8\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        words.join(" "),
        line.len() - 1,
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_subcommand_options_and_the_matrix_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = completion_file("bash", dir.path(), "cif-advisor.bash");
    let text = std::fs::read_to_string(&script).unwrap();
    // clap_complete's misspelt state (clap-rs/clap#6421) is corrected.
    assert!(!text.contains("cif__subcmd__advisor"), "{text}");

    // Subcommands.
    let subs = bash_complete(&script, &["cif-advisor", ""]);
    for sub in ["recommend", "compare", "apps", "api", "troubleshoot", "man"] {
        assert!(subs.contains(&sub.to_string()), "{sub} in {subs:?}");
    }

    // The options of `recommend` after the subcommand.
    let options = bash_complete(&script, &["cif-advisor", "recommend", "--"]);
    for flag in [
        "--app",
        "--cloud",
        "--session",
        "--providers",
        "--channel",
        "--template",
        "--format",
        "--batch",
        "--matrix",
        "--color",
        "--help",
    ] {
        assert!(options.contains(&flag.to_string()), "{flag} in {options:?}");
    }
    assert!(options.iter().all(|o| o.starts_with("--")), "{options:?}");

    // App ids and their one-word aliases, from the matrix, and nothing else.
    let apps = bash_complete(&script, &["cif-advisor", "recommend", "--app", ""]);
    for app in [
        "sales",
        "cs-workspace",
        "csw",
        "copilot-service-workspace",
        "customer-service",
        "cs-hub",
        "field-service",
        "omnichannel",
        "custom-single-session",
    ] {
        assert!(apps.contains(&app.to_string()), "{app} in {apps:?}");
    }
    assert!(!apps.iter().any(|a| a.contains(' ')), "{apps:?}");
    assert!(!apps.contains(&"--app".to_string()), "{apps:?}");
    // A prefix narrows the list.
    assert_eq!(
        bash_complete(&script, &["cif-advisor", "recommend", "--app", "sal"]),
        ["sales", "sales-hub"]
    );
    // migrate takes the same requirement flags, with the same values.
    assert_eq!(
        bash_complete(&script, &["cif-advisor", "migrate", "--app", "sal"]),
        ["sales", "sales-hub"]
    );
    // With a global option before the subcommand, too.
    assert_eq!(
        bash_complete(
            &script,
            &[
                "cif-advisor",
                "--color",
                "never",
                "recommend",
                "--app",
                "field"
            ]
        ),
        ["field-service"]
    );
}

#[test]
fn bash_completes_each_flags_values_and_no_global_option_where_none_applies() {
    let dir = tempfile::tempdir().unwrap();
    let script = completion_file("bash", dir.path(), "cif-advisor.bash");
    let clouds = bash_complete(&script, &["cif-advisor", "recommend", "--cloud", ""]);
    for cloud in ["commercial", "gcc"] {
        assert!(clouds.contains(&cloud.to_string()), "{cloud} in {clouds:?}");
    }
    let sessions = bash_complete(&script, &["cif-advisor", "recommend", "--session", ""]);
    assert!(sessions.contains(&"single".to_string()), "{sessions:?}");
    assert!(sessions.contains(&"multi".to_string()), "{sessions:?}");
    let channels = bash_complete(&script, &["cif-advisor", "recommend", "--channel", ""]);
    for channel in ["telephony", "sms", "chat"] {
        assert!(
            channels.contains(&channel.to_string()),
            "{channel} in {channels:?}"
        );
    }
    assert_eq!(
        bash_complete(&script, &["cif-advisor", "compare", "--format", ""]),
        ["table", "markdown", "json", "yaml"]
    );
    assert_eq!(
        bash_complete(&script, &["cif-advisor", "api", "--version", ""]),
        ["1.0", "2.0"]
    );
    // `man` and `completions` offer no --matrix or --color.
    let man = bash_complete(&script, &["cif-advisor", "man", "--"]);
    assert_eq!(man, ["--help"]);
    let completions = bash_complete(&script, &["cif-advisor", "completions", "--"]);
    assert_eq!(completions, ["--help"]);
}

#[test]
#[ignore = "needs fish: run by .ci/run, which installs it"]
fn fish_completes_subcommand_options_and_the_matrix_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = completion_file("fish", dir.path(), "cif-advisor.fish");
    let complete = |line: &str| -> Vec<String> {
        let out = std::process::Command::new("fish")
            .args(["--no-config", "-c"])
            .arg(format!(
                "source '{}'; and complete -C '{line}'",
                script.display()
            ))
            .output()
            .expect("fish is needed for this test (.ci/run installs it)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Each line: the value, a tab, its description.
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    let apps = complete("cif-advisor recommend --app ");
    for app in ["sales", "cs-workspace", "csw", "customer-service"] {
        assert!(apps.contains(&app.to_string()), "{app} in {apps:?}");
    }
    let clouds = complete("cif-advisor recommend --cloud ");
    assert!(clouds.contains(&"gcc".to_string()), "{clouds:?}");
    let options = complete("cif-advisor recommend --");
    for flag in ["--app", "--cloud", "--providers", "--format"] {
        assert!(options.contains(&flag.to_string()), "{flag} in {options:?}");
    }
    let man = complete("cif-advisor man --");
    assert!(!man.contains(&"--matrix".to_string()), "{man:?}");
}

#[test]
#[ignore = "needs zsh: run by .ci/run, which installs it"]
fn zsh_loads_the_completion_with_the_matrix_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = completion_file("zsh", dir.path(), "_cif-advisor");
    let text = std::fs::read_to_string(&script).unwrap();
    // The --app and --cloud specs list the matrix's values.
    let start = text.find("'*--app=[").expect("an --app spec");
    let app_spec = &text[start..start + text[start..].find("))'").expect("its end")];
    for app in ["sales", "cs-workspace", "csw", "customer-service"] {
        let entry = format!("{app}\\:\"");
        assert!(
            app_spec.contains(&format!("\n{entry}")) || app_spec.contains(&format!("(({entry}")),
            "{app} in {app_spec}"
        );
    }
    // zsh loads it through compinit: the function is defined and registered.
    let out = std::process::Command::new("zsh")
        .args(["-f", "-c"])
        .arg(format!(
            "fpath=('{}' $fpath); autoload -U compinit; compinit -u -D; \
             autoload -U +X _cif-advisor || exit 7; \
             print -r -- \"$_comps[cif-advisor]\"; whence -w _cif-advisor",
            dir.path().display()
        ))
        .output()
        .expect("zsh is needed for this test (.ci/run installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, "_cif-advisor\n_cif-advisor: function\n");
}

#[test]
fn completion_scripts_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script, err) = run(&["completions", shell], None);
        assert_eq!(code, 0, "{err}");
        assert!(script.contains("cif-advisor"), "{shell}");
        assert!(script.contains("cs-workspace"), "{shell}: the app ids");
    }
    // They take no matrix and print no colour.
    for option in ["--matrix", "--color"] {
        let (code, _, err) = run(&["completions", "bash", option, "x"], None);
        assert_eq!(code, 2);
        assert!(
            err.starts_with(&format!("error: unexpected argument '{option}' found")),
            "{err}"
        );
    }
}

/// The words of `text`, one space apart (man justifies its lines).
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `page` rendered by `man -l` at 80 columns, as plain text.
fn man_render(page: &str) -> String {
    let mut child = std::process::Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .env("MAN_KEEP_FORMATTING", "")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("man is needed for this test (.ci/run installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // No overstrike (bold, underline) and no hyphenation at line ends.
    let text = String::from_utf8_lossy(&out.stdout).replace("\u{2010}\n", "");
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if chars.peek() == Some(&'\u{8}') {
            chars.next();
            continue;
        }
        plain.push(c);
    }
    plain
}

#[test]
fn man_pages_are_printed_for_the_tool_and_each_command() {
    let (code, page, _) = run(&["man"], None);
    assert_eq!(code, 0);
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "roff output");
    assert!(page.contains(".TH cif-advisor 1"), "{}", &page[..200]);
    assert!(page.contains(".SH \"SEE ALSO\""), "{page}");
    // Every page the SEE ALSO names is one `man COMMAND` prints.
    let see_also = &page[page.find(".SH \"SEE ALSO\"").unwrap()..];
    let mut named = 0;
    for part in see_also.split("\\fBcif\\-advisor\\-").skip(1) {
        let name = part.split("\\fR").next().unwrap().replace("\\-", " ");
        let words: Vec<&str> = name.split(' ').collect();
        let mut args = vec!["man"];
        args.extend(&words);
        let (code, sub, err) = run(&args, None);
        assert_eq!(code, 0, "man {name}: {err}");
        let title = format!(".TH cif-advisor-{} 1", words.join("-"));
        assert!(sub.contains(&title), "man {name}: {}", &sub[..200]);
        named += 1;
    }
    assert_eq!(named, 13, "{see_also}");

    let (code, _, err) = run(&["man", "recomend"], None);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: no man page for 'recomend'; the pages are"),
        "{err}"
    );
    assert!(err.contains("recommend, compare"), "{err}");
    let (code, _, err) = run(&["man", "--color", "never"], None);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("error: unexpected argument '--color' found"),
        "{err}"
    );
}

#[test]
#[ignore = "needs man and groff: run by .ci/run, which installs them"]
fn the_man_pages_render_with_every_option() {
    let (_, page, _) = run(&["man"], None);
    let text = man_render(&page);
    assert!(text.contains("NAME"), "{text}");
    assert!(text.contains("cif-advisor-recommend(1)"), "{text}");
    assert!(text.contains("SEE ALSO"), "{text}");

    let (code, page, _) = run(&["man", "recommend"], None);
    assert_eq!(code, 0);
    let text = man_render(&page);
    assert!(
        squeezed(&text).contains("cif-advisor-recommend - Recommend a CIF version"),
        "{text}"
    );
    for flag in [
        "--app <APP>",
        "--session <MODE>",
        "--providers <N>",
        "--analytics",
        "--channel <TYPE>",
        "--panel-side <SIDE>",
        "--panel-mode <MODE>",
        "--template <KIND>",
        "--presence",
        "--cloud <CLOUD>",
        "--client <CLIENT>",
        "--deployment <KIND>",
        "--requirements <FILE>",
        "--format <FORMAT>",
        "--batch <FILE>",
        "--matrix <FILE>",
    ] {
        assert!(
            text.lines()
                .any(|l| l.trim() == flag || l.trim().starts_with(&format!("{flag} ["))),
            "{flag} in man recommend:\n{text}"
        );
    }

    let (_, page, _) = run(&["man", "matrix", "validate"], None);
    let text = man_render(&page);
    assert!(text.contains("cif-advisor-matrix-validate"), "{text}");
    let (_, page, _) = run(&["man", "man"], None);
    let text = man_render(&page);
    assert!(text.contains("COMMAND"), "{text}");
    assert!(!text.contains("--matrix"), "{text}");
}
