//! `matrix validate`: the matrix's figures, then each lint finding.

use crate::lint::Finding;
use crate::matrix::Matrix;
use std::fmt::Write as _;

/// The report on the matrix `name` (already escaped for a terminal).
pub fn validated(name: &str, matrix: &Matrix, findings: &[Finding]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{name}: valid (schema {}, {} versions, {} apps, {} dimensions, {} rows; reviewed {})",
        matrix.schema_version,
        matrix.versions.len(),
        matrix.apps.len(),
        matrix.dimensions.len(),
        matrix.rows.len(),
        matrix.reviewed
    );
    for f in findings {
        let _ = writeln!(out, "lint: {}: {}", f.path, f.message);
    }
    if findings.is_empty() {
        let _ = writeln!(out, "lint: nothing to report");
    }
    out
}
