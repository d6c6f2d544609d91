//! `matrix validate`: the matrix's figures, then each lint finding.

use crate::lint::Finding;
use crate::matrix::Matrix;
use std::fmt::Write as _;

/// The report on the matrix `name` (already escaped for a terminal).
pub fn validated(name: &str, matrix: &Matrix, findings: &[Finding]) -> String {
    let (schema, reviewed) = (matrix.schema_version, &matrix.reviewed);
    let (versions, apps) = (matrix.versions.len(), matrix.apps.len());
    let (dimensions, rows) = (matrix.dimensions.len(), matrix.rows.len());
    let mut out = format!(
        "{name}: valid (schema {schema}, {versions} versions, {apps} apps, {dimensions} dimensions, {rows} rows; reviewed {reviewed})\n"
    );
    for f in findings {
        let _ = writeln!(out, "lint: {}: {}", f.path, f.message);
    }
    if findings.is_empty() {
        let _ = writeln!(out, "lint: nothing to report");
    }
    out
}
