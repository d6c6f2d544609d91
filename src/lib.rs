//! cif-advisor: which Dynamics 365 Channel Integration Framework version fits,
//! and why.
//!
//! The library knows no command line: the binary (`src/bin/cif-advisor/`:
//! clap, one handler per command, the exit codes) calls it. The pipeline:
//! `Requirements` → `engine` (a `Decision`) → `render` (text, tables,
//! Markdown, JSON, YAML) → the handler writes. Imports point one way (a
//! test reads the `use crate::` edges and fails on a cycle); see
//! CONTRIBUTING.md for the map of every module.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod advisor;
pub mod basis;
pub mod batch;
pub mod batch_teams;
pub mod check;
pub mod dates;
pub mod engine;
pub mod error;
pub mod exit;
pub mod flags;
pub mod input;
pub mod knowledge;
pub mod matrix;
pub mod output;
pub mod render;
pub mod requirements;
pub mod sanitize;
pub mod teams;
pub mod troubleshoot;
pub mod validators;
pub mod yaml;
