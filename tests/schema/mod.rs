//! The JSON Schema of `recommend --format json` (docs/recommend-schema.json),
//! compiled once, for tests that check every JSON answer they see.

#![allow(dead_code)]

use serde_json::Value;
use std::sync::OnceLock;

fn root() -> &'static Value {
    static ROOT: OnceLock<Value> = OnceLock::new();
    ROOT.get_or_init(|| {
        serde_json::from_str(include_str!("../../docs/recommend-schema.json"))
            .expect("docs/recommend-schema.json is JSON")
    })
}

/// A validator for the root schema or one of its `$defs`.
fn validator(def: Option<&str>) -> jsonschema::Validator {
    let schema = match def {
        None => root().clone(),
        Some(name) => serde_json::json!({
            "$schema": root()["$schema"],
            "$defs": root()["$defs"],
            "$ref": format!("#/$defs/{name}"),
        }),
    };
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn check(v: &jsonschema::Validator, what: &str, value: &Value) {
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match docs/recommend-schema.json:\n{}\n{value}",
        errors.join("\n")
    );
}

/// Asserts that `value` is a valid `recommend --format json` answer.
pub fn assert_answer(value: &Value) {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    check(V.get_or_init(|| validator(None)), "recommend JSON", value);
}

/// Asserts that `value` is a valid batch output line (compact, full or error).
pub fn assert_batch_line(value: &Value) {
    static COMPACT: OnceLock<jsonschema::Validator> = OnceLock::new();
    static ERROR: OnceLock<jsonschema::Validator> = OnceLock::new();
    if value.get("error").is_some() {
        check(
            ERROR.get_or_init(|| validator(Some("batch_error"))),
            "batch error line",
            value,
        );
    } else if value.get("evaluations").is_some() {
        assert_answer(value);
    } else {
        check(
            COMPACT.get_or_init(|| validator(Some("batch_line"))),
            "batch line",
            value,
        );
    }
}
