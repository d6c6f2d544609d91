//! The typed form of the knowledge catalogues: `data/api.yaml` (the
//! `Microsoft.CIFramework` API), `data/problems.yaml` (known problems and
//! their fixes) and `data/migrate.yaml` (the 1.0 → 2.0 checklist), all schema
//! version 2 (every sourced entry states its basis), and troubleshoot's
//! word lists, with their checks.
//!
//! `build.rs` stores them as postcard: keep every attribute compatible with a
//! non-self-describing format: no `untagged`, `flatten` or `skip_serializing_if`.

mod api;
mod migrate;
mod problems;
mod words;

pub use api::*;
pub use migrate::*;
pub use problems::*;
pub use words::*;

use crate::validators::Problems;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The schema version this build understands, for all three catalogues.
pub const SCHEMA_VERSION: u32 = 2;

/// The framework versions a catalogue may name.
pub const KNOWN_VERSIONS: [&str; 2] = ["1.0", "2.0"];

/// A sourced sentence on an API member, about some of its versions (the
/// matrix's notes are `matrix::Note`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberNote {
    pub text: String,
    /// The versions the note is about (of the catalogue's `versions`).
    pub versions: Vec<String>,
    pub source: String,
    pub basis: Basis,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    pub reviewed: Option<String>,
}

pub use crate::basis::Basis;

impl Problems {
    /// `values` must be non-empty, known versions, each once; `allowed`
    /// narrows the known set further.
    fn versions(&mut self, path: &str, values: &[String], allowed: &[String]) {
        if values.is_empty() {
            self.push(path, "must list at least one version");
        }
        let mut seen = BTreeSet::new();
        for (i, v) in values.iter().enumerate() {
            let (path, known) = (format!("{path}[{i}]"), KNOWN_VERSIONS.join(", "));
            if !KNOWN_VERSIONS.contains(&v.as_str()) {
                let message = format!("unknown version '{v}' (expected one of: {known})");
                self.push(&path, message);
            } else if !allowed.is_empty() && !allowed.contains(v) {
                let allowed = allowed.join(", ");
                let message =
                    format!("version '{v}' is not in the catalogue's versions ({allowed})");
                self.push(&path, message);
            }
            if !seen.insert(v.as_str()) {
                self.push(&path, format!("version '{v}' is listed twice"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(yaml: &str) -> WordLists {
        crate::yaml::from_str_borrowed(yaml).expect("parse")
    }

    #[test]
    fn the_built_in_word_lists_are_valid() {
        let text = include_str!("../../../../data/troubleshoot-words.yaml");
        assert_eq!(lists(text).validate(), Ok(()));
    }

    #[test]
    fn bad_word_lists_are_reported_with_every_path() {
        let bad = lists(
            r#"
schema_version: 2
reviewed: "2026-12-02"
stop_words: [a, the, a, ""]
domain_words: [cif, the]
synonyms:
  - {canonical: widget, words: [Widget, panel, the]}
  - {canonical: blank, words: [white, panel]}
weak_words: [panel]
names:
  - {words: [copilot service], as: workspace}
versions:
  - {word: v9, version: "9.0"}
"#,
        );
        let err = bad.validate().expect_err("invalid").to_string();
        assert_eq!(
            err.split("; ").collect::<Vec<_>>(),
            [
                "stop_words[2]: 'a' is listed twice",
                "stop_words[3]: must not be empty",
                "domain_words[1]: 'the' is also a stop word",
                "synonyms[0] (widget).words[0]: 'Widget' must be lower case",
                "synonyms[0] (widget).words[2]: 'the' is also a stop or domain word",
                "synonyms[1] (blank).words[1]: 'panel' is also read as 'widget' (a word has one meaning)",
                "weak_words[0]: 'panel' is read as 'widget' (list the canonical word)",
                "names[0] (copilot service).words[0]: 'copilot service' must be one word (no spaces)",
                "names[0] (copilot service).words: a name has at least two words",
                "versions[0] (v9).word: 'v9' is not a canonical word of synonyms",
                "versions[0] (v9).version: unknown version '9.0' (expected one of: 1.0, 2.0)",
            ]
        );
    }

    #[test]
    fn a_word_the_tokeniser_cannot_produce_is_refused() {
        let mut l = lists(include_str!("../../../../data/troubleshoot-words.yaml"));
        l.stop_words.push("don't".into());
        l.weak_words.push("set-width".into());
        l.stop_words.push("cif2.0".into()); // a point between digits stays
        let err = l.validate().expect_err("invalid").to_string();
        assert!(
            err.contains("'don't' can never match: a query's words are split at '''"),
            "{err}"
        );
        assert!(err.contains("'set-width' can never match"), "{err}");
        assert!(!err.contains("cif2.0"), "{err}");
    }
}

#[cfg(test)]
mod item_tests {
    use super::*;

    /// A one-member API catalogue with `note` as the member's one note.
    fn api(note: &str) -> ApiCatalogue {
        let yaml = format!(
            r#"
schema_version: 2
reviewed: "2026-12-02"
versions: ["1.0", "2.0"]
groups:
  - id: panel
    name: Panel
    members:
      - name: setMode
        kind: method
        versions: ["1.0", "2.0"]
        signature: "setMode(mode)"
        summary: "Sets the panel mode."
        source: "https://learn.microsoft.com/dynamics365/channel-integration-framework/"
        basis: documented
        reviewed: "2026-12-07"
        notes:
          - {note}
"#
        );
        crate::yaml::from_str_borrowed(&yaml).expect("parse")
    }

    #[test]
    fn a_note_names_known_versions_and_an_item_a_real_review_date() {
        let good = r#"{text: "In 2.0 only.", versions: ["2.0"], source: "https://learn.microsoft.com/x", basis: documented, reviewed: "2026-12-07"}"#;
        assert_eq!(api(good).validate(), Ok(()));
        let bad = r#"{text: "In 3.0.", versions: ["3.0", "2.0", "2.0"], source: "https://learn.microsoft.com/x", basis: documented, reviewed: "2026-13-07"}"#;
        assert_eq!(
            api(bad).validate().expect_err("invalid").to_string().split("; ").collect::<Vec<_>>(),
            [
                "groups[0] (panel).members[0] (setMode).notes[0].versions[0]: unknown version '3.0' (expected one of: 1.0, 2.0)",
                "groups[0] (panel).members[0] (setMode).notes[0].versions[2]: version '2.0' is listed twice",
                "groups[0] (panel).members[0] (setMode).notes[0].reviewed: '2026-13-07' is not a date written YYYY-MM-DD",
            ]
        );
        // A note must say which versions it is about.
        let missing = r#"{text: "x", source: "https://learn.microsoft.com/x", basis: documented}"#;
        let err = crate::yaml::from_str_borrowed::<ApiCatalogue>(&format!(
            "schema_version: 2\nreviewed: \"2026-12-02\"\nversions: [\"1.0\"]\ngroups: [{{id: g, name: G, members: [{{name: m, kind: method, versions: [\"1.0\"], signature: \"\", summary: s, source: \"https://learn.microsoft.com/x\", basis: documented, notes: [{missing}]}}]}}]\n"
        ))
        .expect_err("no versions");
        assert!(
            err.to_string().contains("missing field `versions`"),
            "{err}"
        );
    }

    #[test]
    fn the_built_in_catalogues_carry_the_2026_12_07_reviews() {
        let api: ApiCatalogue =
            crate::yaml::from_str_borrowed(include_str!("../../../../data/api.yaml")).expect("api");
        let problems: ProblemCatalogue =
            crate::yaml::from_str_borrowed(include_str!("../../../../data/problems.yaml"))
                .expect("problems");
        let reviewed: Vec<&str> = problems
            .problems
            .iter()
            .filter(|p| p.reviewed.as_deref() == Some("2026-12-07"))
            .map(|p| p.id.as_str())
            .collect();
        // Changed in the 2026-12-07 update: facts (C5, M1, M6), the new
        // entry (C15), and the words troubleshoot matches (C1, C4, C8, C10,
        // C11, C14).
        assert_eq!(
            reviewed,
            ["C1", "C4", "C5", "C8", "C10", "C11", "C14", "C15", "M1", "M6"]
        );
        let set_click = api
            .groups
            .iter()
            .flat_map(|g| &g.members)
            .find(|m| m.name == "setClickToAct")
            .expect("setClickToAct");
        assert!(set_click
            .notes
            .iter()
            .any(|n| n.reviewed.as_deref() == Some("2026-12-07")
                && n.text
                    .contains("This API will be deprecated on October 31, 2025")));
    }
}
