//! The feature matrix: loading (embedded or from a file), validation, lookups.

pub mod lint;
pub mod model;
pub mod sources;
pub mod validate;

pub use model::*;
pub use validate::ValidationError;

use crate::input::{self, InputError};
use crate::yaml::{self, YamlError};
use std::path::{Path, PathBuf};

/// The largest matrix file accepted.
pub const MAX_MATRIX_BYTES: u64 = 4 * 1024 * 1024;

/// The embedded matrix as written in the repository (for `matrix export`).
pub const EMBEDDED_YAML: &str = include_str!("../../data/cif-matrix.yaml");

/// The embedded matrix, checked by `build.rs` and stored in four parts.
static HEAD: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matrix-head.postcard"));
static APPS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matrix-apps.postcard"));
static DIMENSIONS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matrix-dimensions.postcard"));
static ROWS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matrix-rows.postcard"));

/// Which parts of the matrix a command uses. The versions, preference and
/// review date always come; a part left out is empty. (Only the embedded
/// matrix is loaded in parts; a matrix file is always read whole.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    pub apps: bool,
    pub dimensions: bool,
    pub rows: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        apps: true,
        dimensions: true,
        rows: true,
    };
    /// What the engine needs (`recommend`, the advisor): apps and
    /// dimensions, not the comparison rows.
    pub const ENGINE: Parts = Parts {
        apps: true,
        dimensions: true,
        rows: false,
    };
    /// The comparison rows (`compare`).
    pub const ROWS: Parts = Parts {
        apps: false,
        dimensions: false,
        rows: true,
    };
    /// The apps (`apps`).
    pub const APPS: Parts = Parts {
        apps: true,
        dimensions: false,
        rows: false,
    };
}

/// Where the matrix comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatrixSource {
    Embedded,
    File(PathBuf),
}

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

impl Matrix<'static> {
    /// Loads the matrix from its source and validates it.
    pub fn load(source: &MatrixSource) -> Result<Matrix<'static>, MatrixError> {
        Matrix::load_parts(source, Parts::ALL)
    }

    /// Loads the matrix, decoding only `parts` of the embedded one.
    pub fn load_parts(source: &MatrixSource, parts: Parts) -> Result<Matrix<'static>, MatrixError> {
        match source {
            MatrixSource::Embedded => Matrix::embedded_parts(parts),
            MatrixSource::File(path) => Matrix::from_file(path),
        }
    }

    /// The built-in matrix (validated at build time). Its text is borrowed
    /// from the binary, not copied.
    pub fn embedded() -> Result<Matrix<'static>, MatrixError> {
        Matrix::embedded_parts(Parts::ALL)
    }

    /// The parts of the built-in matrix a command needs.
    pub fn embedded_parts(parts: Parts) -> Result<Matrix<'static>, MatrixError> {
        fn decode<T: serde::Deserialize<'static>>(bytes: &'static [u8]) -> Result<T, MatrixError> {
            postcard::from_bytes(bytes).map_err(|e| MatrixError::Embedded(e.to_string()))
        }
        let head: MatrixHead<'static> = decode(HEAD)?;
        Ok(Matrix {
            schema_version: head.schema_version,
            reviewed: head.reviewed,
            preference: head.preference,
            preference_note: head.preference_note,
            versions: head.versions,
            apps: if parts.apps {
                decode(APPS)?
            } else {
                Vec::new()
            },
            dimensions: if parts.dimensions {
                decode(DIMENSIONS)?
            } else {
                Vec::new()
            },
            rows: if parts.rows {
                decode(ROWS)?
            } else {
                Vec::new()
            },
            routes: head.routes,
            side_by_side: head.side_by_side,
            combinations: head.combinations,
            lifecycle: head.lifecycle,
        })
    }

    /// Reads, parses and validates a matrix file (`-` reads standard input).
    /// The file's text is kept for the rest of the process (a command loads
    /// one matrix once).
    pub fn from_file(path: &Path) -> Result<Matrix<'static>, MatrixError> {
        let text = input::read_text(path, MAX_MATRIX_BYTES)?;
        let text: &'static str = Box::leak(text.into_boxed_str());
        Matrix::from_yaml(text, &path.display().to_string())
    }
}

impl<'a> Matrix<'a> {
    /// Parses and validates matrix text; `name` is used in error messages.
    pub fn from_yaml(text: &'a str, name: &str) -> Result<Matrix<'a>, MatrixError> {
        let matrix: Matrix<'a> =
            yaml::from_str_borrowed(text).map_err(|error| MatrixError::Parse {
                path: name.to_string(),
                error,
            })?;
        validate::validate(&matrix).map_err(|error| MatrixError::Invalid {
            path: name.to_string(),
            error,
        })?;
        if matrix.basis_stated() {
            // Every fact names its basis beside its source (schema 2).
            let shape: validate::Shape =
                yaml::from_str_borrowed(text).map_err(|error| MatrixError::Parse {
                    path: name.to_string(),
                    error,
                })?;
            validate::check_basis(&shape).map_err(|error| MatrixError::Invalid {
                path: name.to_string(),
                error,
            })?;
        }
        Ok(matrix)
    }

    pub fn version(&self, id: &str) -> Option<&Version<'a>> {
        self.versions.iter().find(|v| v.id == id)
    }

    pub fn dimension(&self, key: &str) -> Option<&Dimension<'a>> {
        self.dimensions.iter().find(|d| d.key == key)
    }

    pub fn app(&self, id: &str) -> Option<&App<'a>> {
        self.apps.iter().find(|a| a.id == id)
    }

    /// Version ids in preference order.
    pub fn preferred_versions(&self) -> impl Iterator<Item = &Version<'a>> {
        self.preference.iter().filter_map(|id| self.version(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn the_embedded_matrix_borrows_its_text() {
        let m = Matrix::embedded().unwrap();
        assert!(matches!(m.versions[0].name, Cow::Borrowed(_)));
        assert!(matches!(m.apps[0].support["1.0"].fact, Cow::Borrowed(_)));
    }
}

#[cfg(test)]
mod parts_tests {
    use super::*;

    #[test]
    fn parts_decode_only_what_is_asked_and_agree_with_the_whole() {
        let all = Matrix::embedded().unwrap();
        let rows_only = Matrix::embedded_parts(Parts::ROWS).unwrap();
        assert!(rows_only.apps.is_empty() && rows_only.dimensions.is_empty());
        assert_eq!(rows_only.rows, all.rows);
        assert_eq!(rows_only.versions, all.versions);
        assert_eq!(rows_only.preference, all.preference);
        let engine = Matrix::embedded_parts(Parts::ENGINE).unwrap();
        assert_eq!(engine.apps, all.apps);
        assert_eq!(engine.dimensions, all.dimensions);
        assert!(engine.rows.is_empty());
    }
}
