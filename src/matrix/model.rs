//! The typed form of `data/cif-matrix.yaml` (schema version 1).
//!
//! This file is also compiled into `build.rs`, which checks the embedded
//! matrix at build time and stores it in a compact binary form, so it uses
//! only `serde` and `std`. Keep every attribute compatible with a
//! non-self-describing format: no `untagged`, `flatten` or `skip_serializing_if`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema version this build understands.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole feature matrix: versions, apps, requirement dimensions and the
/// comparison rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    /// Format version of this file; this build reads version 1.
    pub schema_version: u32,
    /// The date (YYYY-MM-DD) the facts were last checked against their sources.
    pub reviewed: String,
    /// Tie-break order: the first fitting version in this list is recommended.
    pub preference: Vec<String>,
    /// Why the preference order is what it is (shown by `compare` and the README).
    #[serde(default)]
    pub preference_note: String,
    pub versions: Vec<Version>,
    pub apps: Vec<App>,
    pub dimensions: Vec<Dimension>,
    pub rows: Vec<Row>,
}

/// One framework version, e.g. "1.0".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    pub id: String,
    pub name: String,
    /// The version's documentation page (the "next step" link).
    pub docs: String,
    /// Notes shown as caveats whenever this version is recommended
    /// (licensing, prerequisites, status).
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A sourced sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub text: String,
    pub source: String,
}

/// Session mode of a model-driven app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionMode {
    Single,
    Multi,
}

impl SessionMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionMode::Single => "single",
            SessionMode::Multi => "multi",
        }
    }
}

/// Whether an app can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppState {
    /// Available and supported.
    Active,
    /// Supported, but not offered to every organisation.
    Limited,
    /// Announced for removal.
    Deprecated,
    /// No longer available.
    Removed,
}

impl AppState {
    pub fn as_str(self) -> &'static str {
        match self {
            AppState::Active => "active",
            AppState::Limited => "limited",
            AppState::Deprecated => "deprecated",
            AppState::Removed => "removed",
        }
    }
}

/// A model-driven app an agent works in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub id: String,
    pub name: String,
    /// Other names accepted for `--app` (case-insensitive).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub session: SessionMode,
    pub state: AppState,
    /// Status notes (removed, deprecated, limited availability, pitfalls),
    /// shown as caveats when the app is chosen.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Each version's support for this app.
    pub support: BTreeMap<String, Capability>,
}

/// How a dimension is stated and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DimensionKind {
    /// One value out of `values`.
    Choice,
    /// A set of values out of `values`; every one must be supported.
    Multi,
    /// Needed or not; checked against `support`.
    Flag,
    /// A number >= 1; checked against each version's `max`.
    Count,
    /// A set of apps out of the `apps` list.
    Apps,
}

impl DimensionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DimensionKind::Choice => "choice",
            DimensionKind::Multi => "multi",
            DimensionKind::Flag => "flag",
            DimensionKind::Count => "count",
            DimensionKind::Apps => "apps",
        }
    }
}

/// A requirement the engine can check, e.g. `session` or `channels`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// The key used in requirement files, JSON output and (with `-` for `_`) flags.
    pub key: String,
    /// A short label, e.g. "Session mode".
    pub name: String,
    pub kind: DimensionKind,
    /// The question the interactive advisor asks.
    pub question: String,
    /// One line on why the question matters.
    pub help: String,
    /// For a `choice` dimension: the value is implied by the chosen apps'
    /// session mode, so the interactive advisor does not ask it again.
    #[serde(default)]
    pub implied_by_apps: bool,
    /// The values of a `choice` or `multi` dimension, each with its support.
    #[serde(default)]
    pub values: Vec<Choice>,
    /// For `flag` and `count` dimensions: each version's capability.
    #[serde(default)]
    pub support: BTreeMap<String, Capability>,
}

/// One value of a `choice` or `multi` dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub support: BTreeMap<String, Capability>,
}

/// What the sources say about a version and one requirement value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// Documented as supported.
    Yes,
    /// Documented (or listed) as not supported.
    No,
    /// The sources do not state it.
    Unconfirmed,
    /// The sources disagree.
    Conflicting,
}

impl Support {
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Yes => "yes",
            Support::No => "no",
            Support::Unconfirmed => "unconfirmed",
            Support::Conflicting => "conflicting",
        }
    }
}

/// One version's capability on one requirement value, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    pub status: Support,
    /// The fact behind the status, as a sentence.
    pub fact: String,
    /// Link to the documentation the fact comes from.
    pub source: String,
    /// Further sources for the same fact.
    #[serde(default)]
    pub see_also: Vec<String>,
    /// For `count` dimensions: the largest supported number (absent: no
    /// documented limit).
    #[serde(default)]
    pub max: Option<u32>,
    /// A note shown as a caveat when this capability is relied on.
    #[serde(default)]
    pub caveat: Option<String>,
}

/// One row of the comparison table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub feature: String,
    /// Each version's value, as one or more lines.
    pub values: BTreeMap<String, Vec<String>>,
    pub source: String,
    #[serde(default)]
    pub see_also: Vec<String>,
    /// True for the rows reproduced from the source page's matrix.
    #[serde(default)]
    pub from_source_page: bool,
    #[serde(default)]
    pub note: Option<String>,
}
