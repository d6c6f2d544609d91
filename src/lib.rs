//! cif-advisor: which Dynamics 365 Channel Integration Framework version fits,
//! and why.
//!
//! The library holds everything; `main.rs` only calls [`run`]. The pipeline:
//! `cli` (clap) → `commands` (one handler per command) → `Requirements` →
//! `engine` (a `Decision`) → `render` (text, tables, Markdown, JSON, YAML) →
//! the handler writes. Only `app`, `cli` and `commands` know the command
//! line (a test reads the sources to keep it so); see CONTRIBUTING.md
//! for the map of every module.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod advisor;
pub mod app;
pub mod batch;
pub mod batch_teams;
pub mod check;
pub mod cli;
pub mod commands;
pub mod engine;
pub mod error;
pub mod exit;
pub mod flags;
pub mod knowledge;
pub mod lint;
pub mod matrix;
pub mod output;
pub mod render;
pub mod requirements;
pub mod sources;
pub mod teams;
pub mod troubleshoot;

pub use app::{run, run_with};
pub use cif_data::{basis, dates, input, sanitize, validators, yaml};
