//! The layering rules, read from the sources: the library's modules import
//! each other one way (no cycle in the `crate::` edges); only the binary
//! (`src/bin/cif-advisor/`) knows the command line (the compiler keeps clap
//! out of the library: it is an optional dependency of the `cli` feature,
//! and CI checks the library without it); only the binary writes to
//! standard output. The library takes plain values and returns results, so
//! it can be called and tested without a parser or a terminal.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each source file under src/, as (path relative to src/, code lines
/// without comments).
fn library() -> Vec<(String, Vec<(usize, String)>)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(&src)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).expect("read source");
            let code = text
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, code_of(l).to_string()))
                .filter(|(_, l)| !l.trim().is_empty())
                .collect();
            (name, code)
        })
        .collect()
}

/// A line without its `//` comment; a `//` inside a string literal (a
/// link's `https://`) is code.
fn code_of(line: &str) -> &str {
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '/' if !in_string && line[i + 1..].starts_with('/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The binary (`src/bin/cif-advisor/`): the command line, the handlers
/// and the exit codes.
fn at_the_edge(name: &str) -> bool {
    name.starts_with("bin/")
}

/// The library's top module of a source file: `matrix` for
/// `matrix/validate.rs`, `yaml` for `yaml.rs`.
fn module_of(name: &str) -> &str {
    let first = name.split('/').next().unwrap_or(name);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// Every `crate::m` a file's code names (in a `use` or inline), as the
/// top module `m`, brace lists (`use crate::{a, b::c}`) included.
fn imports(code: &[(usize, String)]) -> Vec<String> {
    let text: String = code.iter().map(|(_, l)| format!("{l}\n")).collect();
    let mut found = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let before = text[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[i + "crate::".len()..];
        if let Some(list) = rest.strip_prefix('{') {
            let list = &list[..list.find('}').unwrap_or(list.len())];
            found.extend(list.split(',').map(|p| head_of(p.trim())));
        } else {
            found.push(head_of(rest));
        }
    }
    found.retain(|m| !m.is_empty() && m != "self");
    found
}

fn head_of(path: &str) -> String {
    path.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The library's import graph between top modules (an edge `a → b` when a
/// file of `a` names `crate::b`), the binary and unit tests aside.
fn import_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for (name, code) in library() {
        if at_the_edge(&name) || name == "lib.rs" {
            continue;
        }
        let from = module_of(&name).to_string();
        let code: Vec<_> = code
            .into_iter()
            .take_while(|(_, l)| !l.trim_start().starts_with("#[cfg(test)]"))
            .collect();
        let entry = graph.entry(from.clone()).or_default();
        entry.extend(imports(&code).into_iter().filter(|m| *m != from));
    }
    graph
}

/// The modules that reach themselves again, each cycle once (as the set
/// of modules in one strongly connected component of more than one).
fn cycles(
    graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let mut groups: Vec<Vec<String>> = Vec::new();
    for m in graph.keys() {
        let from_m = reach(m);
        if !from_m.contains(m) || groups.iter().any(|g| g.contains(m)) {
            continue;
        }
        let group = graph
            .keys()
            .filter(|o| from_m.contains(*o) && reach(o).contains(m))
            .cloned()
            .collect();
        groups.push(group);
    }
    groups
}

#[test]
fn imports_point_one_way() {
    let graph = import_graph();
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "the library's modules import each other in a circle: {}",
        found
            .iter()
            .map(|g| format!("{{{}}}", g.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    );
}

#[test]
fn the_library_knows_no_command_line() {
    let mut found = Vec::new();
    for (name, code) in library() {
        if at_the_edge(&name) {
            continue;
        }
        for (n, line) in &code {
            if line.contains("clap") {
                found.push(format!("src/{name}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the library names clap:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_handlers_write_to_standard_output() {
    // Any use of stdout() but asking whether it is a terminal.
    let writes = ["print!(", "println!(", "stdout()", "write_stdout("];
    let mut found = Vec::new();
    for (name, code) in library() {
        // The binary writes (its handlers, and clap's help and version);
        // output.rs defines the writer the handlers call.
        if at_the_edge(&name) {
            continue;
        }
        for (n, line) in &code {
            if name == "output.rs" && line.contains("fn write_stdout") {
                continue;
            }
            for w in writes {
                let asks =
                    line.matches(w).count() == line.matches("stdout().is_terminal()").count();
                if line.contains(w)
                    && !(w == "stdout()" && asks)
                    && !(name == "output.rs" && line.contains("stdout().lock()"))
                {
                    found.push(format!("src/{name}:{n}: {}", line.trim()));
                    break;
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the library writes to standard output:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_rule_is_not_vacuous() {
    // The reading finds what it looks for: the edge does both.
    let files = library();
    let edge = |pred: &dyn Fn(&str) -> bool| {
        files
            .iter()
            .filter(|(n, _)| at_the_edge(n))
            .any(|(_, code)| code.iter().any(|(_, l)| pred(l)))
    };
    assert!(edge(&|l| l.contains("clap")));
    assert!(edge(&|l| l.contains("crate::cli")));
    // The import reading finds edges, braces included, and tells a cycle.
    let code = |l: &str| vec![(1, l.to_string())];
    assert_eq!(
        imports(&code(
            "use crate::{engine::Engine, yaml}; x(crate::dates::iso(d));"
        )),
        ["engine", "yaml", "dates"]
    );
    assert!(imports(&code("my_crate::x(); use crate::{self};")).is_empty());
    let graph = |edges: &[(&str, &str)]| {
        let mut g: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            Default::default();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(
        cycles(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])),
        [["a", "b", "c"]]
    );
    assert!(cycles(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])).is_empty());
    assert!(import_graph().values().map(|e| e.len()).sum::<usize>() > 20);
    assert!(edge(
        &|l| l.contains("write_stdout(") || l.contains("write(")
    ));
    assert!(files.len() > 40, "{} source files", files.len());
    // A link in a string is code, a comment after code is not.
    assert_eq!(
        code_of(r#"let u = "https://x"; f(); // note"#),
        r#"let u = "https://x"; f(); "#
    );
    assert_eq!(
        code_of(r#"let q = "\"//"; g();"#),
        r#"let q = "\"//"; g();"#
    );
}
