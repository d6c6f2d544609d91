//! The decision record (`recommend --format markdown`): parsed as
//! GitHub-flavoured Markdown with pulldown-cmark, and snapshots of real
//! situations (plan, none, conditional, single) with a fixed date.

use assert_cmd::Command;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// 2026-12-02 00:00:00 UTC.
const EPOCH: &str = "1796169600";

const SECTIONS: [&str; 8] = [
    "Context",
    "Decision",
    "Reasons",
    "Consequences",
    "Open questions",
    "Alternatives considered",
    "What would change it",
    "Reproduce",
];

fn run_with(args: &[&str], epoch: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("cif-advisor").expect("binary");
    cmd.args(args)
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "60");
    match epoch {
        Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
        None => cmd.env_remove("SOURCE_DATE_EPOCH"),
    };
    let out = cmd.output().expect("run cif-advisor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// The record of `args` (exit code checked).
fn record(args: &[&str], code: i32) -> String {
    let mut all = vec!["recommend"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "markdown"]);
    let (got, out, err) = run_with(&all, Some(EPOCH));
    assert_eq!(got, code, "exit code of {all:?}: {err}");
    assert!(err.is_empty(), "{err}");
    out
}

/// The JSON answer of the same requirements.
fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["recommend"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let (_, out, _) = run_with(&all, Some(EPOCH));
    serde_json::from_str(&out).expect("JSON")
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// A parsed record: the level-2 sections with their plain text, links and
/// table rows.
#[derive(Debug, Default)]
struct Section {
    heading: String,
    text: String,
    links: Vec<String>,
    rows: Vec<Vec<String>>,
    code_blocks: Vec<String>,
}

#[derive(Debug, Default)]
struct Doc {
    title: String,
    front: String,
    sections: Vec<Section>,
    html: Vec<String>,
}

impl Doc {
    fn section(&self, name: &str) -> &Section {
        self.sections
            .iter()
            .find(|s| s.heading == name)
            .unwrap_or_else(|| panic!("no section {name}"))
    }
    fn links(&self) -> Vec<&str> {
        self.sections
            .iter()
            .flat_map(|s| s.links.iter().map(String::as_str))
            .collect()
    }
}

fn parse(md: &str) -> Doc {
    let mut doc = Doc::default();
    let mut in_h1 = false;
    let mut in_h2 = false;
    let mut in_code = false;
    let mut row: Option<Vec<String>> = None;
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => doc.html.push(h.to_string()),
            Event::Start(Tag::Heading { level, .. }) => match level {
                HeadingLevel::H1 => {
                    assert!(doc.title.is_empty(), "one title");
                    in_h1 = true;
                }
                HeadingLevel::H2 => {
                    in_h2 = true;
                    doc.sections.push(Section::default());
                }
                _ => {}
            },
            Event::End(TagEnd::Heading(_)) => {
                in_h1 = false;
                in_h2 = false;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let s = doc.sections.last_mut().expect("links are in sections");
                s.links.push(dest_url.to_string());
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                if let Some(s) = doc.sections.last_mut() {
                    s.code_blocks.push(String::new());
                }
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::TableRow | Tag::TableHead) => row = Some(Vec::new()),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                if let (Some(r), Some(s)) = (row.take(), doc.sections.last_mut()) {
                    s.rows.push(r);
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(c), Some(r)) = (cell.take(), row.as_mut()) {
                    r.push(c);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
                if in_h1 {
                    doc.title.push_str(&t);
                } else if in_h2 {
                    doc.sections.last_mut().unwrap().heading.push_str(&t);
                } else if in_code {
                    let s = doc.sections.last_mut().unwrap();
                    s.code_blocks.last_mut().unwrap().push_str(&t);
                } else if let Some(s) = doc.sections.last_mut() {
                    s.text.push_str(&t);
                } else {
                    doc.front.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Item) => {
                if let Some(s) = doc.sections.last_mut() {
                    s.text.push('\n');
                } else {
                    doc.front.push('\n');
                }
            }
            _ => {}
        }
    }
    doc
}

/// Every source the JSON answer names: checks, caveats, routes, docs.
fn sources(answer: &serde_json::Value) -> Vec<String> {
    let mut all = Vec::new();
    for e in answer["evaluations"].as_array().unwrap() {
        for c in e["checks"].as_array().unwrap() {
            for s in c["sources"].as_array().unwrap() {
                all.push(s.as_str().unwrap().to_string());
            }
        }
    }
    for c in answer["caveats"].as_array().unwrap() {
        all.push(c["source"].as_str().unwrap().to_string());
    }
    for r in answer["routes"].as_array().unwrap() {
        all.push(r["source"].as_str().unwrap().to_string());
    }
    for d in answer["docs"].as_array().unwrap() {
        all.push(d.as_str().unwrap().to_string());
    }
    all.sort();
    all.dedup();
    all
}

/// The checks every record must pass: the front matter, each section once in
/// order, no HTML, https links only, every source linked, the command line.
fn check_record(args: &[&str], code: i32) -> (String, Doc) {
    let md = record(args, code);
    let doc = parse(&md);
    assert!(!doc.title.is_empty(), "a title:\n{md}");
    assert!(doc.front.contains("Status: proposed"), "{}", doc.front);
    assert!(doc.front.contains("Date: 2026-12-02"), "{}", doc.front);
    assert!(
        doc.front
            .contains(&format!("Tool: cif-advisor {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        doc.front
    );
    assert!(
        doc.front.contains("Facts reviewed: 2026-12-02"),
        "{}",
        doc.front
    );
    let headings: Vec<&str> = doc.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings, SECTIONS, "each section once, in order:\n{md}");
    for h in SECTIONS {
        assert_eq!(
            md.matches(&format!("\n## {h}\n")).count(),
            1,
            "heading '## {h}' exactly once"
        );
    }
    assert!(doc.html.is_empty(), "no HTML: {:?}", doc.html);
    for l in doc.links() {
        assert!(l.starts_with("https://"), "links only https: {l}");
    }
    let linked = doc.links();
    for s in sources(&json(args)) {
        assert!(
            linked.contains(&s.as_str()),
            "source {s} is not linked in:\n{md}"
        );
    }
    assert!(!md.contains('\x1b'), "no colour");
    for c in ['│', '─', '┌', '└', '✓', '✗'] {
        assert!(!md.contains(c), "no box drawing or marks: {c}");
    }
    // The reproducing command, run, gives the same record and exit code.
    let reproduce = &doc.section("Reproduce").code_blocks;
    assert_eq!(reproduce.len(), 2, "a command block and the requirements");
    // The second block is the normalised requirements, as YAML: the JSON
    // answer's own `requirements`.
    let stated: serde_json::Value =
        cif_advisor::yaml::from_str_borrowed(&reproduce[1]).expect("YAML");
    assert_eq!(stated, json(args)["requirements"], "{}", reproduce[1]);
    let line = reproduce[0].trim();
    let mut words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words.remove(0), "cif-advisor", "{line}");
    let (again, out, _) = run_with(&words, Some(EPOCH));
    assert_eq!(again, code, "{line}");
    assert_eq!(out, md, "the command reproduces the record: {line}");
    (md, doc)
}

#[test]
fn plan_for_a_mixed_organisation_shows_both_groups() {
    let (md, doc) = check_record(&["--app", "sales", "--app", "cs-workspace"], 0);
    assert_eq!(
        doc.title,
        "Use CIF 2.0 for Copilot Service workspace and CIF 1.0 for Sales Hub"
    );
    assert!(doc.front.contains("Outcome: plan, confidence confirmed"));
    let decision = doc.section("Decision");
    assert_eq!(
        decision.rows,
        vec![
            vec![
                "Apps",
                "Version",
                "Confidence",
                "Conditional on",
                "Cannot meet"
            ],
            vec![
                "Copilot Service workspace",
                "CIF 2.0",
                "confirmed",
                "-",
                "-"
            ],
            vec!["Sales Hub", "CIF 1.0", "confirmed", "-", "-"],
        ]
    );
    assert!(decision.text.contains("side by side"), "{}", decision.text);
    // The risk with a raw `<org>` in it is escaped, not HTML.
    assert!(md.contains("https\\://\\<org\\>.dynamics.com/apps"), "{md}");
    assert!(doc
        .section("Consequences")
        .text
        .contains("https://<org>.dynamics.com/apps"));
    let alternatives = &doc.section("Alternatives considered").text;
    assert!(alternatives.contains("CIF 2.0 for every app: not chosen"));
    assert!(alternatives.contains("CIF 1.0 for every app: not chosen"));
    let change = &doc.section("What would change it").text;
    assert!(change.contains("apps: without sales: the answer becomes CIF 2.0."));
    assert!(change.contains("apps: without cs-workspace: the answer becomes CIF 1.0."));
    insta::assert_snapshot!("record_plan_sales_and_workspace", md);
}

#[test]
fn none_gives_the_route() {
    let (md, doc) = check_record(&["--app", "cs-workspace", "--channel", "chat"], 3);
    assert!(doc.front.contains("Outcome: none"));
    let decision = doc.section("Decision");
    assert!(decision.text.contains("No CIF version fits"));
    assert!(
        decision
            .text
            .contains("For Channel type (channels) = Chat: For chat in the multisession workspace"),
        "{}",
        decision.text
    );
    assert!(decision
        .links
        .iter()
        .any(|l| l == "https://learn.microsoft.com/dynamics365/customer-service/develop/bring-your-own-channel"));
    assert_eq!(
        decision.rows[1],
        vec!["Copilot Service workspace", "CIF 2.0", "-", "-", "channels"]
    );
    assert!(doc
        .section("Alternatives considered")
        .text
        .contains("Routes other than CIF:"));
    insta::assert_snapshot!("record_none_chat_in_the_workspace", md);
}

#[test]
fn conditional_names_what_to_verify() {
    let (md, doc) = check_record(&["--app", "field-service", "--client", "mobile"], 0);
    assert_eq!(doc.title, "Use CIF 1.0 for Field Service");
    assert!(doc
        .section("Decision")
        .text
        .contains("Use CIF 1.0 for every stated requirement (confidence: conditional on client)."));
    let open = &doc.section("Open questions").text;
    let first = open.lines().next().unwrap();
    assert!(
        first.starts_with(
            "Client (client) for CIF 1.0: CIF 1.0 may not meet 'Client = Mobile app' (unconfirmed)"
        ),
        "{first}"
    );
    assert!(
        first.contains("test it in a sandbox organisation"),
        "{first}"
    );
    assert!(first.contains("ask Microsoft"), "{first}");
    assert!(open.contains("Channel providers at once (providers): not stated, and it could change the answer. Verify: agree it with the team and state it with --providers.\n"), "{open}");
    let context = &doc.section("Context").text;
    assert!(context.contains("Client (client): Mobile app"), "{context}");
    assert!(context.contains("Not stated, and could still change the answer:"));
    insta::assert_snapshot!("record_conditional_field_service_on_mobile", md);
}

#[test]
fn single_lists_the_setup_the_team_must_build() {
    let (md, doc) = check_record(
        &["--app", "cs-workspace", "--providers", "2", "--analytics"],
        0,
    );
    assert_eq!(doc.title, "Use CIF 2.0 for Copilot Service workspace");
    assert!(doc.front.contains("Outcome: single, confidence confirmed"));
    let context = &doc.section("Context").text;
    assert!(context.contains("Channel providers at once (providers): 2"));
    assert!(context.contains("Channel analytics (analytics): needed"));
    let reasons = &doc.section("Reasons").text;
    assert_eq!(
        reasons.matches("Meets: CIF 2.0 meets").count(),
        3,
        "{reasons}"
    );
    let consequences = &doc.section("Consequences").text;
    assert!(consequences.contains("the widget is not visible in the home session"));
    assert!(consequences.contains("Channel analytics needs Enable Analytics"));
    assert!(md.contains("### Setup: what the team must build or configure"));
    assert!(doc
        .section("Alternatives considered")
        .text
        .contains("CIF 1.0: not chosen, because:"));
    insta::assert_snapshot!("record_single_workspace_two_providers_analytics", md);
}

#[test]
fn the_date_is_today_without_source_date_epoch() {
    let (code, md, err) = run_with(
        &["recommend", "--app", "sales", "--format", "markdown"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let today = cif_advisor::render::record::civil_date(now as i64);
    assert!(md.contains(&format!("- Date: {today}\n")), "{md}");
}

#[test]
fn a_bad_source_date_epoch_is_one_error_line() {
    let (code, out, err) = run_with(
        &["recommend", "--app", "sales", "--format", "markdown"],
        Some("yesterday"),
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: invalid SOURCE_DATE_EPOCH 'yesterday'"),
        "{err}"
    );
}

#[test]
fn a_custom_matrix_file_is_in_the_reproducing_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("matrix.yaml");
    let (_, matrix, _) = run_with(&["matrix", "export"], None);
    std::fs::write(&path, matrix).unwrap();
    let path = path.to_str().unwrap();
    let (code, md, err) = run_with(
        &[
            "--matrix",
            path,
            "recommend",
            "--app",
            "sales",
            "--format",
            "markdown",
        ],
        Some(EPOCH),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains(&format!(
            "```sh\ncif-advisor recommend --app sales --matrix {path} --format markdown\n```"
        )),
        "{md}"
    );
}

#[test]
fn without_a_command_line_the_record_reproduces_itself_from_its_requirements() {
    // The interactive advisor renders the record without the flags' command
    // line: the record then pipes its normalised requirements into the binary.
    use cif_advisor::engine::Engine;
    let matrix = cif_advisor::matrix::embedded().expect("embedded matrix");
    let engine = Engine::new(&matrix);
    let req = cif_advisor::requirements::parse_document(
        "apps: [sales, cs-workspace]\nproviders: 2\nanalytics: true\n",
        &engine.lexicon,
    )
    .expect("requirements");
    let decision = engine.evaluate(&req);
    let md = cif_advisor::render::record::decision(&engine, &decision, "2026-12-02", None);
    let doc = parse(&md);
    let block = &doc.section("Reproduce").code_blocks[0];
    let line = block.trim();
    assert_eq!(
        line,
        r#"echo '{"apps":["sales","cs-workspace"],"providers":2,"analytics":true}' | cif-advisor recommend --requirements - --format markdown"#
    );
    let bin = assert_cmd::cargo::cargo_bin("cif-advisor");
    let script = line.replace("cif-advisor", &bin.display().to_string());
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .env_remove("CIF_ADVISOR_MATRIX")
        .env("CIF_ADVISOR_AS_OF", "2026-12-07")
        .output()
        .expect("sh");
    assert_eq!(out.status.code(), Some(0));
    // The same record; the binary's own names the flags that state them.
    let again = String::from_utf8(out.stdout).unwrap();
    let cut = |t: &str| t[..t.find("## Reproduce").expect("reproduce")].to_string();
    assert!(cut(&again) == cut(&md), "not the same record:\n{again}");
    assert!(again.contains(
        "```sh\ncif-advisor recommend --app sales --app cs-workspace --providers 2 --analytics --format markdown\n```\n"
    ));
    assert!(
        again.ends_with(
            "```yaml\napps:\n- sales\n- cs-workspace\nproviders: 2\nanalytics: true\n```\n"
        ),
        "{again}"
    );
}

#[test]
fn the_guide_record_is_what_the_binary_writes() {
    let guide = include_str!("../docs/guide.md");
    let start = guide
        .find("````markdown\n")
        .expect("the user guide shows a decision record")
        + "````markdown\n".len();
    let end = start + guide[start..].find("````\n").expect("its fence closes");
    let shown = &guide[start..end];
    let md = record(
        &[
            "--app",
            "field-service",
            "--channel",
            "sms",
            "--client",
            "mobile",
        ],
        0,
    );
    assert!(shown == md, "docs/guide.md's record is stale; paste:\n{md}");
}

#[test]
fn inferred_facts_say_so() {
    let (_, doc) = check_record(&["--app", "project-operations"], 0);
    let reasons = &doc.section("Reasons").text;
    assert!(
        reasons.contains("no CIF page covers Project Operations. Inferred from source, source 2."),
        "{reasons}"
    );
    let alternatives = &doc.section("Alternatives considered").text;
    assert!(
        alternatives.contains("a single-session model-driven app. Inferred from source"),
        "{alternatives}"
    );
    // A documented fact says where it is documented.
    let (_, doc) = check_record(&["--app", "contact-center"], 0);
    assert!(
        doc.section("Reasons").text.contains("Documented in source"),
        "{}",
        doc.section("Reasons").text
    );
}

/// An organisation of teams: the record names every team, gives
/// each its own sections, and ends with the requirements, teams included,
/// which reproduce it without the file.
#[test]
fn a_record_of_teams_names_each_team_and_reproduces_without_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("teams.yaml");
    std::fs::write(
        &file,
        "cloud: commercial\nteams:\n  - name: Sellers\n    apps: [sales]\n    dialers: [teams-dialer]\n  - name: Service desk\n    apps: [cs-workspace]\n    providers: 2\n    analytics: true\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let args = ["recommend", "--requirements", path, "--format", "markdown"];
    let (code, md, err) = run_with(&args, Some(EPOCH));
    assert_eq!(code, 3, "{err}");
    let doc = parse(&md);
    assert!(md.contains("- **Sellers**: no CIF version"), "{md}");
    assert!(
        md.contains("- **Service desk**: CIF 2.0 (confirmed)"),
        "{md}"
    );
    assert!(!doc.section("Team: Sellers").text.is_empty(), "{md}");
    assert!(!doc.section("Team: Service desk").text.is_empty(), "{md}");
    let blocks = &doc.section("Reproduce").code_blocks;
    assert_eq!(blocks.len(), 2, "{md}");
    assert!(blocks[0].contains("--requirements"), "{}", blocks[0]);
    // The YAML block, saved as a file, gives the same record.
    let again_file = dir.path().join("again.yaml");
    std::fs::write(&again_file, &blocks[1]).unwrap();
    let again_path = again_file.to_str().unwrap();
    let (code2, md2, err2) = run_with(
        &[
            "recommend",
            "--requirements",
            again_path,
            "--format",
            "markdown",
        ],
        Some(EPOCH),
    );
    assert_eq!(code2, 3, "{err2}");
    let cut = |t: &str| t[..t.find("## Reproduce").expect("reproduce")].to_string();
    assert_eq!(cut(&md2), cut(&md));
}
