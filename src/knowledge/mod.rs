//! The built-in catalogues that `api`, `migrate` and `troubleshoot` read
//! (`data/api.yaml`, `data/problems.yaml`, `data/migrate.yaml` and
//! troubleshoot's word lists, `data/troubleshoot-words.yaml`), checked by
//! `build.rs` and embedded as postcard, and the views `api` and `migrate`
//! render (`api_view`, `migrate_view`).
//!
//! Each catalogue is decoded only by the command that needs it.

pub use cif_data::knowledge as model;
pub use model::*;

use crate::engine::{Engine, StatedRequirements};
use crate::error::Error;
use crate::requirements::{Requirements, Value};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Each built-in catalogue: a function that decodes it from the postcard
/// `build.rs` wrote (checked at build time, so this fails only for a broken build).
macro_rules! built_in {
    ($($(#[$doc:meta])* $name:ident -> $ty:ty = $file:literal, $what:literal;)*) => {$(
        $(#[$doc])*
        pub fn $name() -> Result<$ty, Error> {
            let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/", $file));
            postcard::from_bytes(bytes).map_err(|e| {
                Error::BuiltIn(format!("the built-in {} cannot be read ({e})", $what))
            })
        }
    )*};
}

built_in! {
    /// The built-in API catalogue (checked at build time).
    api_catalogue -> ApiCatalogue = "api.postcard", "API catalogue";
    /// The built-in catalogue of known problems (checked at build time).
    problem_catalogue -> ProblemCatalogue = "problems.postcard", "problem catalogue";
    /// The built-in word lists of `troubleshoot` (checked at build time).
    troubleshoot_words -> WordLists = "troubleshoot-words.postcard", "troubleshoot word lists";
    /// The index of the built-in problem catalogue's words, by the built-in
    /// word lists (built at build time).
    problem_index -> cif_data::troubleshoot::index::Index = "problem-index.postcard", "problem index";
    /// The built-in 1.0 → 2.0 checklist (checked at build time).
    migrate_guide -> MigrateGuide = "migrate.postcard", "migration checklist";
}

/// Finds `given` among `versions`, accepting "2", "v2" and "2.0" alike;
/// otherwise a usage error for `flag` that names the valid versions.
pub fn resolve_version(given: &str, versions: &[String], flag: &str) -> Result<String, Error> {
    let canonical = |v: &str| {
        let v = v.trim().to_ascii_lowercase();
        let v = v.strip_prefix('v').unwrap_or(&v);
        format!("{v}{}", if v.contains('.') { "" } else { ".0" })
    };
    let wanted = canonical(given);
    versions
        .iter()
        .find(|v| canonical(v) == wanted)
        .cloned()
        .ok_or_else(|| Error::UnknownValue {
            flag: flag.to_string(),
            value: given.to_string(),
            what: "versions",
            valid: versions.join(", "),
        })
}

// ===================================================================== api

/// One member as `api --format json` prints it.
#[derive(Debug, Serialize)]
pub struct MemberView<'a> {
    pub name: &'a str,
    /// "method" or "event".
    pub kind: &'a str,
    pub versions: &'a [String],
    /// The call signature, or null when not documented in the catalogue.
    pub signature: Option<&'a str>,
    pub summary: &'a str,
    /// `{since, note, source}`, or null.
    pub deprecated: Option<&'a Deprecation>,
    pub source: &'a str,
    /// "documented" or "inferred" (the summary and versions).
    pub basis: &'a str,
    /// Each `{text, versions, source, basis, reviewed}`; with `--version`,
    /// only the notes about that version.
    pub notes: Vec<&'a MemberNote>,
    /// Only with `--diff`: the one version that has the member, or null
    /// (a deprecated member present in several versions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_in: Option<Option<&'a str>>,
}

/// One group as `api --format json` prints it.
#[derive(Debug, Serialize)]
pub struct GroupView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub members: Vec<MemberView<'a>>,
}

/// What `api --format json` prints:
/// `{"reviewed", "versions", "version", "diff", "groups": [{"id", "name",
/// "members": [{"name", "kind", "versions", "signature", "summary",
/// "deprecated", "source", "basis", "notes", "only_in"?}]}]}`.
///
/// `versions` lists every version the catalogue describes; `version` is the
/// `--version` filter (or null); `only_in` appears only with `--diff`.
/// Groups with no member left after filtering are omitted.
#[derive(Debug, Serialize)]
pub struct ApiView<'a> {
    pub reviewed: &'a str,
    pub versions: &'a [String],
    pub version: Option<&'a str>,
    pub diff: bool,
    pub groups: Vec<GroupView<'a>>,
}

/// True when `m` belongs in `--diff`: missing from some version, or deprecated.
fn differs(m: &ApiMember, catalogue: &ApiCatalogue) -> bool {
    m.deprecated.is_some() || catalogue.versions.iter().any(|v| !m.versions.contains(v))
}

/// Selects the members to show.
pub fn api_view<'a>(
    catalogue: &'a ApiCatalogue,
    version: Option<&'a str>,
    diff: bool,
) -> ApiView<'a> {
    // Whether an item of these versions is shown (all, without `--version`).
    let shown = |versions: &[String]| version.is_none_or(|v| versions.iter().any(|x| x == v));
    let groups = catalogue
        .groups
        .iter()
        .map(|g| GroupView {
            id: &g.id,
            name: &g.name,
            members: g
                .members
                .iter()
                .filter(|m| shown(&m.versions))
                .filter(|m| !diff || differs(m, catalogue))
                .map(|m| MemberView {
                    name: &m.name,
                    kind: m.kind.as_str(),
                    versions: &m.versions,
                    signature: Some(m.signature.as_str()).filter(|s| !s.trim().is_empty()),
                    summary: &m.summary,
                    deprecated: m.deprecated.as_ref(),
                    source: &m.source,
                    basis: m.basis.as_str(),
                    notes: m.notes.iter().filter(|n| shown(&n.versions)).collect(),
                    // The one version that has it, when the catalogue has several.
                    only_in: diff.then_some(match m.versions.as_slice() {
                        [one] if catalogue.versions.len() > 1 => Some(one.as_str()),
                        _ => None,
                    }),
                })
                .collect::<Vec<_>>(),
        })
        .filter(|g| !g.members.is_empty())
        .collect();
    ApiView {
        reviewed: &catalogue.reviewed,
        versions: &catalogue.versions,
        version,
        diff,
        groups,
    }
}

// ================================================================= migrate

/// One step as `migrate --format json` prints it.
#[derive(Debug, Serialize)]
pub struct StepView<'a> {
    pub number: usize,
    pub id: &'a str,
    pub title: &'a str,
    pub detail: &'a [String],
    /// "documented" or "inferred".
    pub basis: &'a str,
    pub sources: &'a [String],
    /// The capability the step is needed for, in words, or null (always).
    pub when: Option<String>,
}

/// One pitfall (a problem of the troubleshooting catalogue).
#[derive(Debug, Serialize)]
pub struct PitfallView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub versions: &'a [String],
    /// The fix lines that no step of the checklist already says.
    pub fix: Vec<&'a str>,
    /// The numbers of the steps that already say the rest of the fix.
    pub covered_by: Vec<usize>,
    /// "documented" or "inferred".
    pub basis: &'a str,
    pub sources: &'a [String],
    /// The capability the pitfall concerns, in words, or null (always).
    pub when: Option<String>,
}

/// A step or pitfall left out of a tailored checklist.
#[derive(Debug, Serialize)]
pub struct LeftOutView<'a> {
    /// "step" or "pitfall".
    pub kind: &'static str,
    pub id: &'a str,
    pub title: &'a str,
    /// What it is needed for, in words.
    pub when: String,
}

/// What `migrate --format json` prints:
/// `{"reviewed", "tailored", "requirements", "steps": [{"number", "id",
/// "title", "detail", "basis", "sources", "when"}], "pitfalls": [{"id",
/// "title", "versions", "fix", "covered_by", "basis", "sources", "when"}],
/// "left_out": [{"kind", "id", "title", "when"}]}`.
///
/// `tailored` is true when requirements were stated (`requirements`, the
/// normalised ones, as `recommend` prints them); then the items needed only
/// for a capability not stated are in `left_out`, not in `steps` or
/// `pitfalls`. Pitfalls come from the troubleshooting catalogue; their fix
/// lines that a listed step already says are left out and the step named
/// in `covered_by`.
#[derive(Debug, Serialize)]
pub struct MigrateView<'a> {
    pub reviewed: &'a str,
    pub tailored: bool,
    pub requirements: StatedRequirements,
    pub steps: Vec<StepView<'a>>,
    pub pitfalls: Vec<PitfallView<'a>>,
    pub left_out: Vec<LeftOutView<'a>>,
}

/// The situation a checklist describes: the stated requirements against
/// the active matrix, or `None` for every item.
pub type Situation<'s> = Option<(&'s Engine<'s>, &'s Requirements)>;

/// Whether `when` holds for the stated requirements (see `When`).
pub fn when_holds(engine: &Engine, req: &Requirements, when: &When) -> bool {
    when.iter().all(|(key, condition)| {
        let value = engine
            .lexicon
            .dimension_index(key)
            .and_then(|dim| req.values[dim].map(|v| (dim, v)));
        match (condition, value) {
            (Condition::Flag(needed), value) => value.is_some() == *needed,
            (Condition::Count(cmp, bound), Some((_, Value::Count(n)))) => cmp.holds(n, *bound),
            (Condition::AnyOf(ids), Some((dim, Value::Set(mask)))) => engine
                .lexicon
                .value_ids(dim)
                .iter()
                .enumerate()
                .any(|(i, id)| mask & (1 << i) != 0 && ids.contains(id)),
            _ => false,
        }
    })
}

fn describe(when: &When) -> String {
    let each: Vec<String> = when.iter().map(|(k, c)| c.describe(k)).collect();
    each.join(" and ")
}

/// The words of `text` that carry meaning: lower-cased, three letters or
/// more, without the commonest function words.
fn content_words(text: &str) -> HashSet<String> {
    const STOP: [&str; 30] = [
        "the", "and", "for", "with", "its", "that", "from", "are", "not", "any", "can", "use",
        "into", "was", "this", "their", "them", "they", "then", "than", "have", "has", "been",
        "before", "after", "your", "you", "all", "only", "each",
    ];
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(w))
        .map(str::to_string)
        .collect()
}

/// A pitfall's fix line counts as said by a step when at least this share
/// of its content words are in the step's title and detail ...
const COVERED: f64 = 0.7;

/// ... or by two neighbouring steps together, with this share.
const COVERED_BY_TWO: f64 = 0.8;

/// Which listed steps (by place, from 0) say each content word.
type StepIndex = HashMap<String, Vec<usize>>;

fn index_steps(steps: &[StepView]) -> StepIndex {
    let mut index = StepIndex::new();
    for (i, s) in steps.iter().enumerate() {
        let mut words = content_words(s.title);
        s.detail.iter().for_each(|d| words.extend(content_words(d)));
        for w in words {
            index.entry(w).or_default().push(i);
        }
    }
    index
}

/// The numbers of the `steps` listed steps that already say `line` (none,
/// one, or two neighbours).
fn covering_steps(line: &str, index: &StepIndex, steps: usize) -> Vec<usize> {
    let words = content_words(line);
    if words.is_empty() {
        return Vec::new();
    }
    // How many of the line's words each step says, and each two neighbours.
    let (mut one, mut two) = (vec![0; steps], vec![0; steps.saturating_sub(1)]);
    for places in words.iter().filter_map(|w| index.get(w)) {
        places.iter().for_each(|&i| one[i] += 1);
        for (p, n) in two.iter_mut().enumerate() {
            *n += usize::from(places.contains(&p) || places.contains(&(p + 1)));
        }
    }
    // The first place with the largest share of the line's words.
    let best = |counts: &[usize]| {
        counts
            .iter()
            .enumerate()
            .map(|(i, &n)| (i, n as f64 / words.len() as f64))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    };
    match best(&one) {
        Some((i, share)) if share >= COVERED => vec![i + 1],
        _ => match best(&two) {
            Some((p, share)) if share >= COVERED_BY_TWO => vec![p + 1, p + 2],
            _ => Vec::new(),
        },
    }
}

/// Joins the checklist with its pitfalls, tailored to `situation`.
pub fn migrate_view<'a>(
    guide: &'a MigrateGuide,
    problems: &'a ProblemCatalogue,
    situation: Situation<'_>,
) -> Result<MigrateView<'a>, Error> {
    let applies = |when: &Option<When>| match (when, situation) {
        (Some(when), Some((engine, req))) => when_holds(engine, req, when),
        _ => true,
    };
    // An item the situation does not need, with what it is needed for.
    let left = |kind, id: &'a str, title: &'a str, when: &Option<When>| LeftOutView {
        kind,
        id,
        title,
        when: when.as_ref().map(describe).unwrap_or_default(),
    };
    let (mut left_out, mut steps) = (Vec::new(), Vec::new());
    for s in &guide.steps {
        if !applies(&s.when) {
            left_out.push(left("step", &s.id, &s.title, &s.when));
            continue;
        }
        steps.push(StepView {
            number: steps.len() + 1,
            id: &s.id,
            title: &s.title,
            detail: &s.detail,
            basis: s.basis.as_str(),
            sources: &s.sources,
            when: s.when.as_ref().map(describe),
        });
    }
    let step_words = index_steps(&steps);
    let mut pitfalls = Vec::new();
    for x in &guide.pitfalls {
        let Some(p) = problems.problems.iter().find(|p| p.id == x.id) else {
            return Err(Error::BuiltIn(format!(
                "the migration checklist names pitfall '{}', which the problem catalogue lacks",
                x.id
            )));
        };
        if !applies(&x.when) {
            left_out.push(left("pitfall", &p.id, &p.title, &x.when));
            continue;
        }
        let (mut fix, mut covered_by) = (Vec::new(), BTreeSet::new());
        for line in &p.fix {
            let covering = covering_steps(line, &step_words, steps.len());
            if covering.is_empty() {
                fix.push(line.as_str());
            }
            covered_by.extend(covering);
        }
        pitfalls.push(PitfallView {
            id: &p.id,
            title: &p.title,
            versions: &p.versions,
            fix,
            covered_by: covered_by.into_iter().collect(),
            basis: p.basis.as_str(),
            sources: &p.sources,
            when: x.when.as_ref().map(describe),
        });
    }
    Ok(MigrateView {
        reviewed: &guide.reviewed,
        tailored: situation.is_some(),
        requirements: situation
            .map(|(engine, req)| engine.stated(req))
            .unwrap_or_default(),
        steps,
        pitfalls,
        left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogues_decode_and_validate() {
        let api = api_catalogue().unwrap();
        api.validate().unwrap();
        let problems = problem_catalogue().unwrap();
        problems.validate().unwrap();
        let guide = migrate_guide().unwrap();
        guide.validate(&problems.ids(), &specs()).unwrap();
    }

    fn specs() -> crate::matrix::Matrix {
        crate::matrix::embedded().unwrap()
    }

    #[test]
    fn when_fields_are_checked_against_the_matrix() {
        let problems = problem_catalogue().unwrap();
        let mut guide = migrate_guide().unwrap();
        let when = |pairs: &[(&str, Condition)]| {
            Some(
                pairs
                    .iter()
                    .map(|(k, c)| (k.to_string(), c.clone()))
                    .collect::<When>(),
            )
        };
        guide.steps[0].when = when(&[("provider", Condition::Flag(true))]);
        guide.steps[1].when = when(&[("analytics", Condition::Count(Comparison::More, 1))]);
        guide.steps[2].when = when(&[("templates", Condition::AnyOf(vec!["sesion".into()]))]);
        guide.pitfalls[0].when = Some(When::new());
        let err = guide
            .validate(&problems.ids(), &specs())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("steps[0] (check-host).when.provider: 'provider' is not a dimension of the matrix (expected one of: apps, session, providers"),
            "{err}"
        );
        assert!(
            err.contains(
                "when.analytics: the condition does not fit the dimension (expected true or false)"
            ),
            "{err}"
        );
        assert!(
            err.contains("when.templates: 'sesion' is not a value of 'templates' (expected one of: notification, application-tab, session)"),
            "{err}"
        );
        assert!(
            err.contains("pitfalls[0] (M1).when: must name at least one requirement"),
            "{err}"
        );
    }

    #[test]
    fn conditions_read_from_yaml() {
        let when: When = crate::yaml::from_str_borrowed(
            "{providers: \">1\", analytics: true, templates: [session], client: web, n: 2, m: \">= 3\"}",
        )
        .unwrap();
        assert_eq!(when["providers"], Condition::Count(Comparison::More, 1));
        assert_eq!(when["analytics"], Condition::Flag(true));
        assert_eq!(when["templates"], Condition::AnyOf(vec!["session".into()]));
        assert_eq!(when["client"], Condition::AnyOf(vec!["web".into()]));
        assert_eq!(when["n"], Condition::Count(Comparison::Equal, 2));
        assert_eq!(when["m"], Condition::Count(Comparison::AtLeast, 3));
        let bad: Result<When, _> = crate::yaml::from_str_borrowed("{providers: \">x\"}");
        assert!(bad.is_err());
        // The binary form round-trips.
        let bytes = postcard::to_allocvec(&when).unwrap();
        assert_eq!(postcard::from_bytes::<When>(&bytes).unwrap(), when);
    }

    #[test]
    fn versions_resolve_leniently() {
        let versions = vec!["1.0".to_string(), "2.0".to_string()];
        assert_eq!(resolve_version("2", &versions, "--version").unwrap(), "2.0");
        assert_eq!(
            resolve_version("V1.0", &versions, "--version").unwrap(),
            "1.0"
        );
        let err = resolve_version("3.0", &versions, "--version").unwrap_err();
        assert!(matches!(err, Error::UnknownValue { ref valid, .. } if valid == "1.0, 2.0"));
    }

    #[test]
    fn validation_names_the_faults() {
        let mut api = api_catalogue().unwrap();
        api.groups[0].members[0].versions.push("3.0".into());
        api.groups[0].members[1].source = "http://example.com".into();
        api.groups[1].members[0].name = api.groups[0].members[0].name.clone();
        let err = api.validate().unwrap_err().to_string();
        assert!(err.contains("unknown version '3.0'"), "{err}");
        assert!(
            err.contains("is not a source link: it does not start with https://"),
            "{err}"
        );
        assert!(err.contains("duplicate member name"), "{err}");

        let mut problems = problem_catalogue().unwrap();
        problems.problems[1].id = problems.problems[0].id.to_ascii_lowercase();
        problems.problems[2].fix[0] = " ".into();
        problems.reviewed = "2026-02-30".into();
        let err = problems.validate().unwrap_err().to_string();
        assert!(err.contains("duplicate problem id"), "{err}");
        assert!(err.contains(".fix[0]: must not be empty"), "{err}");
        assert!(err.contains("reviewed"), "{err}");

        let mut guide = migrate_guide().unwrap();
        guide.pitfalls.push(Pitfall {
            id: "Z9".into(),
            when: None,
        });
        let err = guide
            .validate(&problem_catalogue().unwrap().ids(), &specs())
            .unwrap_err()
            .to_string();
        assert!(err.contains("'Z9' is not a problem id"), "{err}");
    }

    #[test]
    fn version_filter_and_diff_select_members() {
        let api = api_catalogue().unwrap();
        let names = |view: &ApiView<'_>| -> Vec<String> {
            view.groups
                .iter()
                .flat_map(|g| g.members.iter().map(|m| m.name.to_string()))
                .collect()
        };
        let v1 = names(&api_view(&api, Some("1.0"), false));
        assert!(v1.contains(&"setMode".to_string()));
        assert!(!v1.contains(&"createSession".to_string()));
        let diff = api_view(&api, None, true);
        for g in &diff.groups {
            for m in &g.members {
                assert!(
                    m.deprecated.is_some() || m.versions.len() == 1,
                    "{}",
                    m.name
                );
            }
        }
    }
}
