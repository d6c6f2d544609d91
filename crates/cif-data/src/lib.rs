//! The data files of cif-advisor: the feature matrix (`data/cif-matrix.yaml`),
//! the knowledge catalogues (api, problems, migrate, troubleshoot's words)
//! and the rules of `check`: their typed model, their validation and their
//! loading from YAML. The main crate uses it twice: `build.rs` checks the
//! embedded files with it, and the tool reads them with it.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod basis;
pub mod check;
pub mod dates;
pub mod input;
pub mod knowledge;
pub mod matrix;
pub mod sanitize;
pub mod troubleshoot;
pub mod validators;
pub mod yaml;
