//! The feature matrix (its model and validation live in the data crate) and
//! where it comes from: the embedded one, or a file.

pub use cif_data::matrix::*;

use std::path::PathBuf;

/// The embedded matrix as written in the repository (for `matrix export`).
pub const EMBEDDED_YAML: &str = include_str!("../data/cif-matrix.yaml");

/// The embedded matrix, checked by `build.rs` and stored in postcard form
/// (decoding it is far cheaper than parsing the YAML at every start).
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matrix.postcard"));

/// Where the matrix comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatrixSource {
    Embedded,
    File(PathBuf),
}

/// Loads the matrix from its source and validates it.
pub fn load(source: &MatrixSource) -> Result<Matrix, MatrixError> {
    match source {
        MatrixSource::Embedded => embedded(),
        MatrixSource::File(path) => Matrix::from_file(path),
    }
}

/// The built-in matrix (validated at build time).
pub fn embedded() -> Result<Matrix, MatrixError> {
    postcard::from_bytes(EMBEDDED).map_err(|e| MatrixError::Embedded(e.to_string()))
}
