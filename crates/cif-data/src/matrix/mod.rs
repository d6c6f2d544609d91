//! The feature matrix: its model, validation, loading from a file, lookups.

mod fields;
pub mod model;
pub mod validate;
mod version_map;

pub use model::*;
pub use validate::ValidationError;

use crate::input::{self, InputError};
use crate::yaml::{self, YamlError};
use std::path::Path;

/// The largest matrix file accepted.
pub const MAX_MATRIX_BYTES: u64 = 4 * 1024 * 1024;

/// Why a matrix could not be loaded. Messages name the file and the place.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("matrix file {0}; check --matrix or CIF_ADVISOR_MATRIX")]
    Input(#[from] InputError),
    #[error("matrix file '{path}': {error} (format: docs/matrix-format.md; `cif-advisor matrix export` prints a valid one)")]
    Parse { path: String, error: YamlError },
    #[error("matrix file '{path}': {error} (format: docs/matrix-format.md)")]
    Invalid {
        path: String,
        error: ValidationError,
    },
    #[error("the built-in matrix cannot be read ({0}); rebuild cif-advisor")]
    Embedded(String),
}

impl Matrix {
    /// Reads, parses and validates a matrix file (`-` reads standard input).
    pub fn from_file(path: &Path) -> Result<Matrix, MatrixError> {
        let text = input::read_text(path, MAX_MATRIX_BYTES)?;
        Matrix::from_yaml(&text, &path.display().to_string())
    }

    /// Parses and validates matrix text; `name` is used in error messages.
    pub fn from_yaml(text: &str, name: &str) -> Result<Matrix, MatrixError> {
        let path = || name.to_string();
        let parse = |error| MatrixError::Parse {
            path: path(),
            error,
        };
        let invalid = |error| MatrixError::Invalid {
            path: path(),
            error,
        };
        let matrix: Matrix = yaml::from_str_borrowed(text).map_err(parse)?;
        validate::validate(&matrix).map_err(invalid)?;
        if matrix.basis_stated() {
            // Every fact names its basis beside its source (schema 2).
            let shape: validate::Shape = yaml::from_str_borrowed(text).map_err(parse)?;
            validate::check_basis(&shape).map_err(invalid)?;
        }
        Ok(matrix)
    }

    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    pub fn dimension(&self, key: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.key == key)
    }

    pub fn app(&self, id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.id == id)
    }

    /// Version ids in preference order.
    pub fn preferred_versions(&self) -> impl Iterator<Item = &Version> {
        self.preference.iter().filter_map(|id| self.version(id))
    }
}
