//! `rust-version` in Cargo.toml must be true for the locked dependencies: no
//! package in Cargo.lock may declare a newer minimum Rust than this crate does.
//! Reads what `cargo metadata` reports for them.

use std::process::Command;

/// "1.88" and "1.88.0" are the same version.
fn version(text: &str) -> [u64; 3] {
    let mut parts = text.split('.').map(|p| p.parse().unwrap_or(0));
    [0; 3].map(|_| parts.next().unwrap_or(0))
}

#[test]
fn rust_version_covers_every_locked_dependency() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let ours = version(env!("CARGO_PKG_RUST_VERSION"));
    assert!(ours[0] == 1, "rust-version is set");
    let mut newer = Vec::new();
    for package in meta["packages"].as_array().expect("packages") {
        let Some(theirs) = package["rust_version"].as_str() else {
            continue;
        };
        if version(theirs) > ours {
            newer.push(format!(
                "{} {} needs {theirs}",
                package["name"].as_str().unwrap_or("?"),
                package["version"].as_str().unwrap_or("?")
            ));
        }
    }
    assert!(
        newer.is_empty(),
        "rust-version {} is older than what these locked packages declare: {}",
        env!("CARGO_PKG_RUST_VERSION"),
        newer.join(", ")
    );
}
