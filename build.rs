//! Checks the embedded data files at build time and stores them in a compact
//! binary form (postcard), so a bad data file fails the build and the binary
//! never parses YAML for its built-in data.

use std::path::Path;

#[path = "src/knowledge/model.rs"]
#[allow(dead_code)]
mod knowledge;
#[path = "src/matrix/model.rs"]
#[allow(dead_code)]
mod model;
#[path = "src/sanitize.rs"]
#[allow(dead_code)]
mod sanitize;
#[path = "src/matrix/validate.rs"]
#[allow(dead_code)]
mod validate;
#[path = "src/yaml.rs"]
mod yaml;

/// Release builds on x86_64 Linux, where rustc links with lld (the default
/// since Rust 1.90), place the functions the single commands run side by
/// side, in the order of `link/startup-order.txt` (written by
/// `scripts/startup-order.sh`): a short run then faults in a few 64 KB
/// windows of code instead of dozens (SPEC 6). Elsewhere, or with an older
/// rustc, nothing changes.
fn order_startup_code() {
    const ORDER: &str = "link/startup-order.txt";
    println!("cargo:rerun-if-changed={ORDER}");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    let target = std::env::var("TARGET").as_deref() == Ok("x86_64-unknown-linux-gnu");
    if !(release && target && rustc_links_with_lld()) {
        return;
    }
    let Ok(dir) = std::env::var("CARGO_MANIFEST_DIR") else {
        return;
    };
    let path = std::path::Path::new(&dir).join(ORDER);
    if path.is_file() {
        // A function the list names but the binary lacks (the list is older
        // than the code) is skipped without a warning.
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={},--no-warn-symbol-ordering",
            path.display()
        );
    }
}

/// Whether this rustc is 1.90 or newer, which links x86_64 Linux binaries
/// with its own lld (`--symbol-ordering-file` is an lld option).
fn rustc_links_with_lld() -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = std::process::Command::new(rustc).arg("-vV").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let Some(version) = text.lines().find_map(|l| l.strip_prefix("release: ")) else {
        return false;
    };
    let mut parts = version
        .split(['.', '-'])
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (1, 90)
}

fn main() {
    // A position-dependent executable needs no load-time relocation of its
    // data, which is most of a short run's start-up cost here (SPEC 6).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    order_startup_code();
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR is not set"));
    let matrix = load("data/cif-matrix.yaml", |m: &model::Matrix<'static>| {
        validate::validate(m).map_err(|e| e.to_string())
    });
    // The matrix in four parts, so each command decodes only what it uses.
    let head = model::MatrixHead {
        schema_version: matrix.schema_version,
        reviewed: matrix.reviewed.clone(),
        preference: matrix.preference.clone(),
        preference_note: matrix.preference_note.clone(),
        versions: matrix.versions.clone(),
    };
    write_part(&out_dir, "matrix-head.postcard", &head);
    write_part(&out_dir, "matrix-apps.postcard", &matrix.apps);
    write_part(&out_dir, "matrix-dimensions.postcard", &matrix.dimensions);
    write_part(&out_dir, "matrix-rows.postcard", &matrix.rows);
    // The knowledge catalogues (api, troubleshoot, migrate): unique ids,
    // non-empty texts, https:// sources, known versions, YYYY-MM-DD dates,
    // and migrate pitfalls that name problems of problems.yaml.
    let api = load("data/api.yaml", knowledge::ApiCatalogue::validate);
    write_part(&out_dir, "api.postcard", &api);
    let problems = load("data/problems.yaml", knowledge::ProblemCatalogue::validate);
    write_part(&out_dir, "problems.postcard", &problems);
    let problem_ids = problems.ids();
    let guide = load("data/migrate.yaml", |c: &knowledge::MigrateGuide| {
        c.validate(&problem_ids)
    });
    write_part(&out_dir, "migrate.postcard", &guide);
}

/// Reads, parses and checks one data file; any problem fails the build.
fn load<T>(path: &str, check: impl Fn(&T) -> Result<(), String>) -> T
where
    T: serde::Deserialize<'static>,
{
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    // The build script ends right after: the text may live as long as it does.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let value: T = yaml::from_str_borrowed(text).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    check(&value).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    value
}

fn write_part<T: serde::Serialize>(out_dir: &str, name: &str, value: &T) {
    let bytes = postcard::to_allocvec(value).unwrap_or_else(|e| fail(&format!("{name}: {e}")));
    std::fs::write(Path::new(out_dir).join(name), bytes)
        .unwrap_or_else(|e| fail(&format!("{name}: {e}")));
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
