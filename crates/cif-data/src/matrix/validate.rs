//! Semantic checks on a parsed matrix: what serde cannot see.

use super::model::{DimensionKind, Matrix, OLDEST_SCHEMA_VERSION, SCHEMA_VERSION};
use std::collections::{BTreeMap, HashSet};

/// The most values a `choice`, `multi` or `apps` dimension may have.
pub const MAX_VALUES: usize = 64;

/// Why a matrix is invalid. Each message names the field path and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("schema_version: this build reads schema versions {oldest} to {expected}, the file has {found}")]
    SchemaVersion {
        found: u32,
        oldest: u32,
        expected: u32,
    },
    #[error("{path}: a fact with a source but no basis; add `basis: documented` (the source states it) or `basis: inferred` (read from the sources) beside its source")]
    NoBasis { path: String },
    #[error("versions: the list is empty; expected at least one version")]
    NoVersions,
    #[error("{path}: duplicate {what} '{id}'; ids must be unique")]
    Duplicate {
        path: String,
        what: &'static str,
        id: String,
    },
    #[error("{path}: unknown version '{id}'; expected one of {known}")]
    UnknownVersion {
        path: String,
        id: String,
        known: String,
    },
    #[error("{path}: version '{version}' is not described; every version needs an entry here")]
    Undescribed { path: String, version: String },
    #[error("{path}: {problem}")]
    Field { path: String, problem: String },
    /// Several problems, each with its path, in the order found.
    #[error("{0}")]
    Many(crate::validators::Problems),
}

fn field(path: impl Into<String>, problem: impl Into<String>) -> ValidationError {
    ValidationError::Field {
        path: path.into(),
        problem: problem.into(),
    }
}

/// Checks everything that typed parsing does not: unique ids, references,
/// completeness, sources, the review date.
pub fn validate(matrix: &Matrix) -> Result<(), ValidationError> {
    // Every field problem, with its path; a structural one (a duplicate or
    // unknown id, a missing version) stops the check, as what follows
    // would only repeat it.
    let mut found: Vec<ValidationError> = Vec::new();
    if !(OLDEST_SCHEMA_VERSION..=SCHEMA_VERSION).contains(&matrix.schema_version) {
        return Err(stop(
            found,
            ValidationError::SchemaVersion {
                found: matrix.schema_version,
                oldest: OLDEST_SCHEMA_VERSION,
                expected: SCHEMA_VERSION,
            },
        ));
    }
    keep(&mut found, check_date("reviewed", &matrix.reviewed));
    if matrix.versions.is_empty() {
        return Err(stop(found, ValidationError::NoVersions));
    }
    if matrix.versions.len() > MAX_VALUES {
        return Err(stop(
            found,
            field(
                "versions",
                format!(
                    "{} versions; at most {MAX_VALUES} are supported",
                    matrix.versions.len()
                ),
            ),
        ));
    }
    if !matrix.preference_note.is_empty() {
        keep(
            &mut found,
            check_text("preference_note", &matrix.preference_note),
        );
    }
    // In matrix order (for messages) and as a set (for the lookups).
    let mut version_ids = Vec::new();
    let mut version_set = HashSet::new();
    for (i, v) in matrix.versions.iter().enumerate() {
        let path = format!("versions[{i}]");
        keep(&mut found, check_id(&format!("{path}.id"), &v.id));
        if !version_set.insert(v.id.as_str()) {
            return Err(stop(found, dup(format!("{path}.id"), "version", &v.id)));
        }
        version_ids.push(v.id.as_str());
        keep(&mut found, check_name(&format!("{path}.name"), &v.name));
        keep(&mut found, check_link(&format!("{path}.docs"), &v.docs));
        check_notes(&mut found, &path, &v.notes);
    }
    let known = version_ids.join(", ");
    let unknown = |path: String, id: &str| ValidationError::UnknownVersion {
        path,
        id: id.to_string(),
        known: known.clone(),
    };

    // The preference lists every version exactly once.
    let mut seen = HashSet::new();
    for (i, p) in matrix.preference.iter().enumerate() {
        if !version_set.contains(p.as_str()) {
            return Err(stop(found, unknown(format!("preference[{i}]"), p)));
        }
        if !seen.insert(p.as_str()) {
            return Err(stop(found, dup(format!("preference[{i}]"), "version", p)));
        }
    }
    for v in &version_ids {
        if !seen.contains(v) {
            return Err(stop(
                found,
                ValidationError::Undescribed {
                    path: "preference".into(),
                    version: v.to_string(),
                },
            ));
        }
    }

    // Apps: unique ids, unique names and aliases (case-insensitive), every version described.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    if matrix.apps.len() > MAX_VALUES {
        return Err(stop(
            found,
            field(
                "apps",
                format!(
                    "{} apps; at most {MAX_VALUES} are supported",
                    matrix.apps.len()
                ),
            ),
        ));
    }
    let mut app_ids = HashSet::new();
    for (i, app) in matrix.apps.iter().enumerate() {
        let path = format!("apps[{i}]");
        keep(&mut found, check_id(&format!("{path}.id"), &app.id));
        if !app_ids.insert(app.id.as_str()) {
            return Err(stop(found, dup(format!("{path}.id"), "app", &app.id)));
        }
        keep(&mut found, check_name(&format!("{path}.name"), &app.name));
        let mut spellings = vec![app.id.as_str(), app.name.as_str()];
        spellings.extend(app.aliases.iter().map(|s| s.as_str()));
        for (k, s) in spellings.into_iter().enumerate() {
            let lower = s.to_lowercase();
            match names.get(&lower) {
                // An app may repeat its own spelling (e.g. name equal to id).
                Some(owner) if owner == &app.id => {}
                Some(owner) => {
                    let what = if k == 0 { "app" } else { "app name or alias" };
                    return Err(stop(
                        found,
                        ValidationError::Duplicate {
                            path: format!("{path} ('{}')", app.id),
                            what,
                            id: format!("{s}' (already used by '{owner}"),
                        },
                    ));
                }
                None => {
                    names.insert(lower, app.id.to_string());
                }
            }
        }
        check_notes(&mut found, &path, &app.notes);
        keep(
            &mut found,
            check_count(&format!("{path}.aliases"), app.aliases.len()),
        );
        for (j, a) in app.aliases.iter().enumerate() {
            keep(&mut found, check_plain(&format!("{path}.aliases[{j}]"), a));
        }
        if let Err(e) = check_support(
            &format!("{path}.support"),
            &app.support,
            (&version_ids, &version_set),
            &unknown,
            &mut found,
        ) {
            return Err(stop(found, e));
        }
        for (ver, cap) in app.support.iter() {
            if cap.max.is_some() {
                return Err(stop(
                    found,
                    field(
                        format!("{path}.support.{ver}.max"),
                        "only count dimensions take 'max'",
                    ),
                ));
            }
        }
    }

    // Dimensions.
    if matrix.dimensions.len() > MAX_VALUES {
        return Err(stop(
            found,
            field(
                "dimensions",
                format!(
                    "{} dimensions; at most {MAX_VALUES} are supported",
                    matrix.dimensions.len()
                ),
            ),
        ));
    }
    let mut keys = HashSet::new();
    let mut has_apps = false;
    for (i, d) in matrix.dimensions.iter().enumerate() {
        let path = format!("dimensions[{i}]");
        keep(&mut found, check_key(&format!("{path}.key"), &d.key));
        if d.key == "id" {
            return Err(stop(
                found,
                field(format!("{path}.key"), "'id' is reserved for batch line ids"),
            ));
        }
        if !keys.insert(d.key.as_str()) {
            return Err(stop(found, dup(format!("{path}.key"), "dimension", &d.key)));
        }
        keep(&mut found, check_name(&format!("{path}.name"), &d.name));
        keep(
            &mut found,
            check_text(&format!("{path}.question"), &d.question),
        );
        keep(&mut found, check_text(&format!("{path}.help"), &d.help));
        match d.kind {
            DimensionKind::Choice | DimensionKind::Multi => {
                if d.values.is_empty() {
                    return Err(stop(
                        found,
                        field(
                            format!("{path}.values"),
                            format!("a {} dimension needs at least one value", d.kind.as_str()),
                        ),
                    ));
                }
                if d.values.len() > MAX_VALUES {
                    return Err(stop(
                        found,
                        field(
                            format!("{path}.values"),
                            format!(
                                "{} values; at most {MAX_VALUES} are supported",
                                d.values.len()
                            ),
                        ),
                    ));
                }
                if !d.support.is_empty() {
                    return Err(stop(
                        found,
                        field(
                            format!("{path}.support"),
                            format!(
                                "a {} dimension gives support per value, under values[].support",
                                d.kind.as_str()
                            ),
                        ),
                    ));
                }
                let mut spellings: BTreeMap<String, &str> = BTreeMap::new();
                for (j, c) in d.values.iter().enumerate() {
                    let vpath = format!("{path}.values[{j}]");
                    keep(&mut found, check_key(&format!("{vpath}.id"), &c.id));
                    keep(&mut found, check_name(&format!("{vpath}.name"), &c.name));
                    keep(
                        &mut found,
                        check_count(&format!("{vpath}.aliases"), c.aliases.len()),
                    );
                    for (k, a) in c.aliases.iter().enumerate() {
                        keep(&mut found, check_plain(&format!("{vpath}.aliases[{k}]"), a));
                    }
                    let mut all = vec![c.id.as_str()];
                    all.extend(c.aliases.iter().map(|s| s.as_str()));
                    for s in all {
                        let lower = s.to_lowercase();
                        if let Some(owner) = spellings.get(&lower) {
                            if *owner != c.id {
                                return Err(stop(found, dup(vpath.clone(), "value or alias", s)));
                            }
                            if s == c.id {
                                return Err(stop(found, dup(format!("{vpath}.id"), "value", s)));
                            }
                        }
                        spellings.insert(lower, c.id.as_str());
                    }
                    if let Err(e) = check_support(
                        &format!("{vpath}.support"),
                        &c.support,
                        (&version_ids, &version_set),
                        &unknown,
                        &mut found,
                    ) {
                        return Err(stop(found, e));
                    }
                    for (ver, cap) in c.support.iter() {
                        if cap.max.is_some() {
                            return Err(stop(
                                found,
                                field(
                                    format!("{vpath}.support.{ver}.max"),
                                    "only count dimensions take 'max'",
                                ),
                            ));
                        }
                    }
                }
            }
            DimensionKind::Flag | DimensionKind::Count => {
                if !d.values.is_empty() {
                    return Err(stop(
                        found,
                        field(
                            format!("{path}.values"),
                            format!(
                            "a {} dimension has no values; give support per version under support",
                            d.kind.as_str()
                        ),
                        ),
                    ));
                }
                if let Err(e) = check_support(
                    &format!("{path}.support"),
                    &d.support,
                    (&version_ids, &version_set),
                    &unknown,
                    &mut found,
                ) {
                    return Err(stop(found, e));
                }
                if d.kind == DimensionKind::Flag {
                    for (ver, cap) in d.support.iter() {
                        if cap.max.is_some() {
                            return Err(stop(
                                found,
                                field(
                                    format!("{path}.support.{ver}.max"),
                                    "only count dimensions take 'max'",
                                ),
                            ));
                        }
                    }
                } else {
                    for (ver, cap) in d.support.iter() {
                        if cap.max == Some(0) {
                            return Err(stop(
                                found,
                                field(
                                    format!("{path}.support.{ver}.max"),
                                    "must be at least 1 (use status: no for 'not supported')",
                                ),
                            ));
                        }
                    }
                }
            }
            DimensionKind::Apps => {
                if has_apps {
                    return Err(stop(
                        found,
                        field(
                            format!("{path}.kind"),
                            "only one dimension may be of kind 'apps'",
                        ),
                    ));
                }
                has_apps = true;
                if !d.values.is_empty() || !d.support.is_empty() {
                    return Err(stop(
                        found,
                        field(
                            path.clone(),
                            "an apps dimension takes its values and support from the apps list",
                        ),
                    ));
                }
            }
        }
        if d.implied_by_apps {
            let ok = d.kind == DimensionKind::Choice
                && ["single", "multi"]
                    .iter()
                    .all(|m| d.values.iter().any(|v| v.id == *m));
            if !ok {
                return Err(stop(found, field(
                    format!("{path}.implied_by_apps"),
                    "only a choice dimension with the values 'single' and 'multi' can be implied by the apps' session mode",
                )));
            }
        }
    }
    if !matrix.apps.is_empty() && !has_apps {
        return Err(stop(
            found,
            field(
                "dimensions",
                "the matrix lists apps but no dimension of kind 'apps' checks them",
            ),
        ));
    }

    // Replacements name a listed app other than the app itself.
    for (i, app) in matrix.apps.iter().enumerate() {
        if let Some(r) = &app.replaced_by {
            if r == &app.id || !matrix.apps.iter().any(|a| &a.id == r) {
                return Err(stop(
                    found,
                    field(
                        format!("apps[{i}].replaced_by"),
                        format!("'{r}' is not another app of the apps list"),
                    ),
                ));
            }
        }
    }
    // Caveat ids are unique (a caveat is shown once).
    let mut note_ids = HashSet::new();
    let notes = matrix
        .versions
        .iter()
        .flat_map(|v| v.notes.iter())
        .chain(matrix.apps.iter().flat_map(|a| a.notes.iter()));
    for n in notes {
        if let Some(id) = &n.id {
            keep(&mut found, check_key("notes[].id", id));
            if !note_ids.insert(id.as_str()) {
                return Err(stop(found, dup("notes[].id".into(), "caveat id", id)));
            }
        }
    }
    if let Some(n) = &matrix.side_by_side {
        keep(&mut found, check_text("side_by_side.text", &n.text));
        keep(&mut found, check_link("side_by_side.source", &n.source));
        keep(
            &mut found,
            check_item_date("side_by_side", n.reviewed.as_deref()),
        );
        for (k, l) in n.see_also.iter().enumerate() {
            keep(
                &mut found,
                check_link(&format!("side_by_side.see_also[{k}]"), l),
            );
        }
    }
    // Routes: `key=value` of a dimension value (or app), or the key of a flag.
    for (i, r) in matrix.routes.iter().enumerate() {
        let path = format!("routes[{i}]");
        keep(&mut found, check_text(&format!("{path}.text"), &r.text));
        keep(&mut found, check_link(&format!("{path}.source"), &r.source));
        keep(&mut found, check_item_date(&path, r.reviewed.as_deref()));
        for (j, l) in r.see_also.iter().enumerate() {
            keep(&mut found, check_link(&format!("{path}.see_also[{j}]"), l));
        }
        let (key, value) = match r.for_.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (r.for_.as_str(), None),
        };
        let Some(d) = matrix.dimensions.iter().find(|d| d.key == key) else {
            return Err(stop(
                found,
                field(
                    format!("{path}.for"),
                    format!("'{}' names no dimension of the matrix", r.for_),
                ),
            ));
        };
        let known = match (d.kind, value) {
            (DimensionKind::Apps, Some(v)) => matrix.apps.iter().any(|a| a.id == v),
            (DimensionKind::Choice | DimensionKind::Multi, Some(v)) => {
                d.values.iter().any(|c| c.id == v)
            }
            (DimensionKind::Flag | DimensionKind::Count, None) => true,
            _ => false,
        };
        if !known {
            return Err(stop(
                found,
                field(
                    format!("{path}.for"),
                    format!(
                        "'{}' is not a value of '{key}' (write key=value, or the key of a flag)",
                        r.for_
                    ),
                ),
            ));
        }
    }

    // Rows.
    let mut features = HashSet::new();
    for (i, r) in matrix.rows.iter().enumerate() {
        let path = format!("rows[{i}]");
        keep(
            &mut found,
            check_name(&format!("{path}.feature"), &r.feature),
        );
        if !features.insert(r.feature.to_lowercase()) {
            return Err(stop(
                found,
                dup(format!("{path}.feature"), "row", &r.feature),
            ));
        }
        for (ver, cells) in r.values.iter() {
            if !version_set.contains(ver.as_str()) {
                return Err(stop(found, unknown(format!("{path}.values.{ver}"), ver)));
            }
            if cells.len() > MAX_VALUES {
                return Err(stop(
                    found,
                    field(
                        format!("{path}.values.{ver}"),
                        format!("{} lines; at most {MAX_VALUES} are supported", cells.len()),
                    ),
                ));
            }
            for (j, cell) in cells.iter().enumerate() {
                keep(
                    &mut found,
                    check_text(&format!("{path}.values.{ver}[{j}]"), cell),
                );
            }
        }
        if let Some(note) = &r.note {
            keep(&mut found, check_text(&format!("{path}.note"), note));
        }
        for ver in &version_ids {
            if !r.values.contains_key(ver) {
                return Err(stop(
                    found,
                    ValidationError::Undescribed {
                        path: format!("{path}.values"),
                        version: ver.to_string(),
                    },
                ));
            }
        }
        keep(&mut found, check_link(&format!("{path}.source"), &r.source));
        keep(&mut found, check_item_date(&path, r.reviewed.as_deref()));
        keep(
            &mut found,
            check_count(&format!("{path}.see_also"), r.see_also.len()),
        );
        for (j, l) in r.see_also.iter().enumerate() {
            keep(&mut found, check_link(&format!("{path}.see_also[{j}]"), l));
        }
    }
    if let Err(e) = check_dated(matrix, (&version_ids, &version_set), &unknown, &mut found) {
        return Err(stop(found, e));
    }
    finish(found)
}

/// The combinations and the lifecycle (SPEC 4.9): field problems go to
/// `found`; a structural one (a duplicate id, an undescribed version) is
/// returned, as it stops the check.
fn check_dated<F>(
    matrix: &Matrix,
    (version_ids, version_set): (&[&str], &HashSet<&str>),
    unknown: &F,
    found: &mut Vec<ValidationError>,
) -> Result<(), ValidationError>
where
    F: Fn(String, &str) -> ValidationError,
{
    for (i, c) in matrix.combinations.iter().enumerate() {
        let path = format!("combinations[{i}]");
        if matrix.combinations[..i].iter().any(|o| o.id == c.id) {
            return Err(dup(format!("{path}.id"), "combination", &c.id));
        }
        keep(found, check_id(&format!("{path}.id"), &c.id));
        keep(found, check_name(&format!("{path}.name"), &c.name));
        check_when(matrix, &path, &c.when, found);
        check_support(
            &format!("{path}.support"),
            &c.support,
            (version_ids, version_set),
            unknown,
            found,
        )?;
    }
    for (i, l) in matrix.lifecycle.iter().enumerate() {
        check_lifecycle(matrix, i, l, found);
    }
    Ok(())
}

/// A combination's `when`: at least two conditions, each on a known
/// requirement key with known values.
fn check_when(
    matrix: &Matrix,
    path: &str,
    when: &super::model::When,
    found: &mut Vec<ValidationError>,
) {
    use super::model::Cond;
    if when.0.len() < 2 {
        found.push(field(
            format!("{path}.when"),
            "a combination needs at least two conditions; one requirement alone is a dimension's cell",
        ));
    }
    for (key, cond) in &when.0 {
        let place = format!("{path}.when.{key}");
        let Some(d) = matrix.dimensions.iter().find(|d| d.key == key.as_str()) else {
            let keys: Vec<&str> = matrix.dimensions.iter().map(|d| d.key.as_str()).collect();
            found.push(field(
                place,
                format!(
                    "unknown requirement '{key}'; expected one of {}",
                    keys.join(", ")
                ),
            ));
            continue;
        };
        let fits = match (d.kind, cond) {
            (DimensionKind::Flag, Cond::Flag(_)) | (DimensionKind::Count, Cond::Min(_)) => true,
            (DimensionKind::Apps, Cond::Any(v)) => {
                for id in v
                    .iter()
                    .filter(|id| !matrix.apps.iter().any(|a| a.id == id.as_str()))
                {
                    found.push(field(&place, format!("unknown app '{id}'")));
                }
                true
            }
            (DimensionKind::Choice | DimensionKind::Multi, Cond::Any(v)) => {
                for id in v
                    .iter()
                    .filter(|id| !d.values.iter().any(|c| c.id == id.as_str()))
                {
                    let ids: Vec<&str> = d.values.iter().map(|c| c.id.as_str()).collect();
                    found.push(field(
                        &place,
                        format!("unknown value '{id}'; expected one of {}", ids.join(", ")),
                    ));
                }
                true
            }
            _ => false,
        };
        if !fits {
            found.push(field(
                place,
                format!(
                    "a {} requirement takes {}",
                    d.kind.as_str(),
                    match d.kind {
                        DimensionKind::Flag => "true or false",
                        DimensionKind::Count => "{min: N}",
                        _ => "a value or a list of values",
                    }
                ),
            ));
        }
    }
}

/// A lifecycle entry: a known subject, real dates in order, a source, and
/// no subject dated twice.
fn check_lifecycle(
    matrix: &Matrix,
    i: usize,
    l: &super::model::Lifecycle,
    found: &mut Vec<ValidationError>,
) {
    use crate::dates::parse_day_or_month;
    let path = format!("lifecycle[{i}]");
    if let Some(j) = matrix.lifecycle[..i]
        .iter()
        .position(|o| o.subject == l.subject && o.applies_to == l.applies_to)
    {
        found.push(field(
            format!("{path}.subject"),
            format!(
                "'{}' is dated twice (also lifecycle[{j}]); keep one entry per subject",
                l.subject
            ),
        ));
    }
    if let Some(problem) = subject_problem(matrix, &l.subject) {
        found.push(field(format!("{path}.subject"), problem));
    }
    keep(found, check_name(&format!("{path}.name"), &l.name));
    keep(found, check_text(&format!("{path}.text"), &l.text));
    keep(found, check_link(&format!("{path}.source"), &l.source));
    keep(found, check_item_date(&path, l.reviewed.as_deref()));
    for (j, s) in l.see_also.iter().enumerate() {
        keep(found, check_link(&format!("{path}.see_also[{j}]"), s));
    }
    let mut last: Option<((u32, u32, u32), &str)> = None;
    let dates = [
        ("deprecated", &l.deprecated, false),
        ("end_of_support", &l.end_of_support, true),
        ("removed", &l.removed, false),
    ];
    for (name, date, end) in dates {
        let Some(text) = date else { continue };
        match parse_day_or_month(text, end) {
            None => found.push(field(
                format!("{path}.{name}"),
                format!("'{text}' is not a date; expected YYYY-MM-DD or YYYY-MM"),
            )),
            Some((day, _)) => {
                if let Some((before, which)) = last.filter(|(b, _)| *b > day) {
                    let _ = before;
                    found.push(field(
                        format!("{path}.{name}"),
                        format!("'{text}' comes before {which}; the dates go deprecated, end_of_support, removed"),
                    ));
                }
                last = Some((day, name));
            }
        }
    }
    if last.is_none() {
        found.push(field(
            &path,
            "no date; give deprecated, end_of_support or removed",
        ));
    }
    for (key, values) in &l.successor.0 {
        let value = values.join(",");
        if subject_problem(matrix, &format!("{key}={value}")).is_some() && values.len() == 1 {
            found.push(field(
                format!("{path}.successor.{key}"),
                format!("unknown '{key}: {value}'"),
            ));
        }
    }
}

/// Why a lifecycle subject names nothing in the matrix, if it does not.
fn subject_problem(matrix: &Matrix, subject: &str) -> Option<String> {
    let Some((key, value)) = subject.split_once('=') else {
        return Some(format!(
            "'{subject}' is not KEY=VALUE (apps=ID, host=usd, version=ID, api=MEMBER)"
        ));
    };
    let known = match key {
        "apps" => matrix.apps.iter().any(|a| a.id == value) || matrix.apps.is_empty(),
        "version" => matrix.versions.iter().any(|v| v.id == value),
        "api" => !value.is_empty(),
        _ => match matrix.dimensions.iter().find(|d| d.key == key) {
            Some(d) => d.values.iter().any(|c| c.id == value),
            None => matrix.dimensions.is_empty(),
        },
    };
    (!known).then(|| format!("'{subject}' names nothing in the matrix"))
}

/// The notes of a version or an app: how many, and each one's text and links.
fn check_notes(found: &mut Vec<ValidationError>, path: &str, notes: &[super::model::Note]) {
    keep(found, check_count(&format!("{path}.notes"), notes.len()));
    for (j, n) in notes.iter().enumerate() {
        keep(
            found,
            check_text(&format!("{path}.notes[{j}].text"), &n.text),
        );
        keep(
            found,
            check_link(&format!("{path}.notes[{j}].source"), &n.source),
        );
        keep(
            found,
            check_item_date(&format!("{path}.notes[{j}]"), n.reviewed.as_deref()),
        );
        for (k, l) in n.see_also.iter().enumerate() {
            keep(
                found,
                check_link(&format!("{path}.notes[{j}].see_also[{k}]"), l),
            );
        }
    }
}

/// Records the problem of a field check, if any, and goes on.
fn keep(found: &mut Vec<ValidationError>, result: Result<(), ValidationError>) {
    if let Err(e) = result {
        found.push(e);
    }
}

/// The problems found so far and the one that stops the check.
fn stop(mut found: Vec<ValidationError>, last: ValidationError) -> ValidationError {
    if found.is_empty() {
        return last;
    }
    found.push(last);
    many(found)
}

/// Every problem found: none, one (as it is), or several (each with its path).
fn finish(found: Vec<ValidationError>) -> Result<(), ValidationError> {
    let mut found = found;
    match found.len() {
        0 => Ok(()),
        1 => Err(found.remove(0)),
        _ => Err(many(found)),
    }
}

fn many(found: Vec<ValidationError>) -> ValidationError {
    let mut problems = crate::validators::Problems::new();
    for e in found {
        match e {
            ValidationError::Field { path, problem } => problems.push(path, problem),
            other => problems.push("", other.to_string()),
        }
    }
    ValidationError::Many(problems)
}

fn dup(path: String, what: &'static str, id: &str) -> ValidationError {
    ValidationError::Duplicate {
        path,
        what,
        id: id.to_string(),
    }
}

fn check_support<F>(
    path: &str,
    support: &super::model::VersionMap<super::model::Capability>,
    (versions, known): (&[&str], &HashSet<&str>),
    unknown: &F,
    found: &mut Vec<ValidationError>,
) -> Result<(), ValidationError>
where
    F: Fn(String, &str) -> ValidationError,
{
    for ver in support.keys() {
        if !known.contains(ver.as_str()) {
            return Err(unknown(format!("{path}.{ver}"), ver));
        }
    }
    for ver in versions {
        match support.get(ver) {
            None => {
                return Err(ValidationError::Undescribed {
                    path: path.to_string(),
                    version: ver.to_string(),
                })
            }
            Some(cap) => {
                keep(found, check_text(&format!("{path}.{ver}.fact"), &cap.fact));
                keep(
                    found,
                    check_link(&format!("{path}.{ver}.source"), &cap.source),
                );
                keep(
                    found,
                    check_item_date(&format!("{path}.{ver}"), cap.reviewed.as_deref()),
                );
                keep(
                    found,
                    check_count(&format!("{path}.{ver}.see_also"), cap.see_also.len()),
                );
                for (j, l) in cap.see_also.iter().enumerate() {
                    keep(found, check_link(&format!("{path}.{ver}.see_also[{j}]"), l));
                }
                if let Some(l) = &cap.caveat_source {
                    keep(found, check_link(&format!("{path}.{ver}.caveat_source"), l));
                }
                match (cap.status, &cap.limit) {
                    (super::model::Support::Limited, None) => found.push(field(
                        format!("{path}.{ver}.limit"),
                        "a `limited` capability needs `limit:`, the sentence that says what does not work",
                    )),
                    (super::model::Support::Limited, Some(l)) => {
                        keep(found, check_text(&format!("{path}.{ver}.limit"), l));
                        if let Some(s) = &cap.limit_source {
                            keep(found, check_link(&format!("{path}.{ver}.limit_source"), s));
                        }
                    }
                    (_, Some(_)) => found.push(field(
                        format!("{path}.{ver}.limit"),
                        "`limit:` belongs to a `limited` capability; set `status: limited` or remove it",
                    )),
                    (_, None) => {}
                }
            }
        }
    }
    Ok(())
}

/// Ids are non-empty, without spaces or commas (they appear in comma lists).
fn check_id(path: &str, id: &str) -> Result<(), ValidationError> {
    if id.is_empty() || id.len() > 64 {
        return Err(field(path, "must be 1 to 64 characters"));
    }
    if id.chars().any(|c| c.is_whitespace() || c == ',') {
        return Err(field(
            path,
            format!("'{id}' contains a space or a comma; ids may not"),
        ));
    }
    if let Some(c) = id.chars().find(|&c| crate::sanitize::is_unsafe(c)) {
        return Err(field(
            path,
            format!(
                "contains a control character ({}); ids may not",
                crate::sanitize::code_point(c)
            ),
        ));
    }
    Ok(())
}

/// Keys and value ids: lower-case letters, digits, '-' and '_'.
fn check_key(path: &str, key: &str) -> Result<(), ValidationError> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(field(
            path,
            format!("'{key}' is not a valid key; use lower-case letters, digits, '-' and '_'"),
        ))
    }
}

/// Prose: not empty, and nothing a terminal would act on (newlines and
/// tabs aside; see `crate::sanitize`).
fn check_text(path: &str, text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() {
        return Err(field(path, "is empty; expected text"));
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(field(
            path,
            format!("is {chars} characters long; at most {MAX_TEXT_CHARS} are supported"),
        ));
    }
    if let Some(c) = crate::sanitize::first_unsafe_in_text(text) {
        return Err(field(
            path,
            format!(
                "contains a control character ({}); remove it (text may hold newlines and tabs, \
                 but no other control character or bidirectional override)",
                crate::sanitize::code_point(c)
            ),
        ));
    }
    Ok(())
}

/// A list (notes, aliases, see_also) holds at most [`MAX_VALUES`] entries.
fn check_count(path: &str, len: usize) -> Result<(), ValidationError> {
    if len > MAX_VALUES {
        Err(field(
            path,
            format!("{len} entries; at most {MAX_VALUES} are supported"),
        ))
    } else {
        Ok(())
    }
}

/// The longest prose (a fact, a note, a question) accepted: tables fit
/// their cells in time that grows with a cell's length.
pub const MAX_TEXT_CHARS: usize = 4000;

/// The longest name (of a version, an app, a dimension, a value, a row).
pub const MAX_NAME_CHARS: usize = 200;

/// A name: prose of at most [`MAX_NAME_CHARS`] characters.
fn check_name(path: &str, name: &str) -> Result<(), ValidationError> {
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(field(
            path,
            format!("is {chars} characters long; at most {MAX_NAME_CHARS} are supported"),
        ));
    }
    check_text(path, name)
}

/// Text that may be empty but holds nothing a terminal would act on.
fn check_plain(path: &str, text: &str) -> Result<(), ValidationError> {
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(field(
            path,
            format!("is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    match text.chars().find(|&c| crate::sanitize::is_unsafe(c)) {
        None => Ok(()),
        Some(c) => Err(field(
            path,
            format!(
                "contains a control character ({}); remove it",
                crate::sanitize::code_point(c)
            ),
        )),
    }
}

/// Every fact carries a link to its source: an `https://` URL with a host,
/// printable, without spaces, and without the characters that would end it
/// in Markdown or HTML (see [`crate::validators::is_https_url`]).
pub fn check_link(path: &str, link: &str) -> Result<(), ValidationError> {
    match crate::validators::link_problem(link) {
        Some(message) => Err(field(path, message)),
        None => Ok(()),
    }
}

/// A date in the form YYYY-MM-DD with a plausible month and day.
pub fn check_date(path: &str, date: &str) -> Result<(), ValidationError> {
    if crate::validators::is_date(date) {
        Ok(())
    } else {
        Err(field(
            path,
            format!("'{date}' is not a date; expected YYYY-MM-DD"),
        ))
    }
}

/// An item's own `reviewed` date (at `path.reviewed`), when it has one.
pub fn check_item_date(path: &str, date: Option<&str>) -> Result<(), ValidationError> {
    date.map_or(Ok(()), |d| check_date(&format!("{path}.reviewed"), d))
}

/// The shape of a YAML (or JSON) document: enough to see which mappings
/// carry a `source` without a `basis`. Independent of the YAML library.
#[derive(Debug)]
pub enum Shape {
    Map(Vec<(String, Shape)>),
    Seq(Vec<Shape>),
    Scalar,
}

impl<'de> serde::Deserialize<'de> for Shape {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Shape;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_none<E>(self) -> Result<Shape, E> {
                Ok(Shape::Scalar)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
                serde::Deserialize::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Shape, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = a.next_element()? {
                    items.push(x);
                }
                Ok(Shape::Seq(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Shape, A::Error> {
                let mut items = Vec::new();
                while let Some((k, v)) = a.next_entry::<KeyText, Shape>()? {
                    items.push((k.0, v));
                }
                Ok(Shape::Map(items))
            }
        }
        d.deserialize_any(V)
    }
}

/// A mapping key as text (non-string keys become "?").
struct KeyText(String);

impl<'de> serde::Deserialize<'de> for KeyText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let shape = KeyShape::deserialize(d)?;
        Ok(KeyText(shape.0))
    }
}

struct KeyShape(String);

impl<'de> serde::Deserialize<'de> for KeyShape {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = KeyShape;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyShape, E> {
                Ok(KeyShape(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyShape, E> {
                Ok(KeyShape(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyShape, E> {
                Ok(KeyShape(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyShape, E> {
                Ok(KeyShape(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyShape, E> {
                Ok(KeyShape(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyShape, E> {
                Ok(KeyShape("?".into()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Shape {
    /// The path of the first mapping that has a `source` or `sources` key
    /// but no `basis` key ("no fact without a source and a basis"). A
    /// mapping whose facts are its `cases` (the rules of `check`: one source
    /// list, a basis per case) states its basis in each case.
    pub fn first_without_basis(&self) -> Option<String> {
        fn walk(s: &Shape, path: &str) -> Option<String> {
            match s {
                Shape::Scalar => None,
                Shape::Seq(items) => items
                    .iter()
                    .enumerate()
                    .find_map(|(i, x)| walk(x, &format!("{path}[{i}]"))),
                Shape::Map(items) => {
                    let has = |k: &str| items.iter().any(|(key, _)| key == k);
                    let cases_state_it = items.iter().any(|(key, v)| {
                        key == "cases"
                            && matches!(v, Shape::Seq(cases) if !cases.is_empty() && cases.iter().all(
                                |c| matches!(c, Shape::Map(kv) if kv.iter().any(|(k, _)| k == "basis"))
                            ))
                    });
                    if (has("source") || has("sources")) && !has("basis") && !cases_state_it {
                        return Some(if path.is_empty() {
                            "(top level)".to_string()
                        } else {
                            path.to_string()
                        });
                    }
                    items.iter().find_map(|(k, v)| {
                        let p = if path.is_empty() {
                            k.clone()
                        } else if k.contains('.') {
                            format!("{path}.\"{k}\"")
                        } else {
                            format!("{path}.{k}")
                        };
                        walk(v, &p)
                    })
                }
            }
        }
        walk(self, "")
    }
}

/// From schema version 2, every mapping with a source also states its basis.
pub fn check_basis(shape: &Shape) -> Result<(), ValidationError> {
    match shape.first_without_basis() {
        Some(path) => Err(ValidationError::NoBasis { path }),
        None => Ok(()),
    }
}
