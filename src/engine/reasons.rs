//! The English sentences of the engine: a check's reason, the basis words,
//! a contradiction, the caveats it writes and the words of a change. One
//! place, so the wording is read, reviewed and changed together.

use super::Status;
use crate::matrix::Basis;

/// A short name for a source link, for "inferred from ..." (the last part of
/// its path, or the last two when that is a number, as in `issues/1711`).
pub fn source_label(link: &str) -> &str {
    let path = link.split(['#', '?']).next().unwrap_or(link);
    let path = path.trim_end_matches('/');
    let Some(cut) = path.rfind('/') else {
        return path;
    };
    let last = &path[cut + 1..];
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(prev) = path[..cut].rfind('/') {
            return &path[prev + 1..];
        }
    }
    last
}

/// The words added to a reason or caveat for its basis: nothing for a
/// documented fact, "(inferred from ...)" for an inferred one, "(basis not
/// stated)" for a fact of a schema-1 matrix.
pub fn basis_suffix<'s>(
    basis: Option<Basis>,
    sources: impl IntoIterator<Item = &'s str>,
) -> String {
    match basis {
        Some(Basis::Documented) => String::new(),
        Some(Basis::Inferred) => {
            let labels: Vec<&str> = sources.into_iter().map(source_label).collect();
            if labels.is_empty() {
                " (inferred)".to_string()
            } else {
                format!(" (inferred from {})", labels.join(", "))
            }
        }
        None => " (basis not stated)".to_string(),
    }
}

/// The requirement as a reason names it: the dimension's name, with the
/// deciding values when there are any ("Apps = Sales, Customer Service").
pub fn requirement_label(dimension: &str, values: &[&str]) -> String {
    if values.is_empty() {
        dimension.to_string()
    } else {
        format!("{dimension} = {}", values.join(", "))
    }
}

/// A check's reason: "CIF 2.0 does not meet 'Apps = Sales': <facts>." with
/// "(unconfirmed)" or "(the sources conflict)" for an unknown status and the
/// words of its basis.
pub fn check_reason(
    version: &str,
    status: Status,
    requirement: &str,
    conflicting: bool,
    facts: &[&str],
    basis: Option<Basis>,
    sources: &[String],
) -> String {
    let verb = match status {
        Status::Pass => "meets",
        Status::Fail => "does not meet",
        Status::Unknown => "may not meet",
        Status::Limited => "meets, with a documented limit,",
    };
    let qualifier = match (status, conflicting) {
        (Status::Unknown, true) => " (the sources conflict)",
        (Status::Unknown, false) => " (unconfirmed)",
        _ => "",
    };
    format!(
        "{version} {verb} '{requirement}'{qualifier}: {}{}",
        facts
            .iter()
            .map(|f| f.trim_end_matches('.'))
            .collect::<Vec<_>>()
            .join("; ")
            + ".",
        basis_suffix(basis, sources.iter().map(String::as_str))
    )
}

/// One part of a contradiction: "Sales is multi (Session mode) but
/// session = single is stated".
pub fn contradiction_part(
    app: &str,
    session: &str,
    dimension: &str,
    key: &str,
    stated: &str,
) -> String {
    format!("{app} is {session} ({dimension}) but {key} = {stated} is stated")
}

/// Why the requirements contradict each other, from its parts and the keys
/// the apps imply.
pub fn contradiction(parts: &[String], implied: &[String]) -> String {
    format!(
        "The requirements contradict each other: {}; state the apps alone (they imply the {}).",
        parts.join("; "),
        implied.join(", ")
    )
}

/// The caveat of a plan's group whose version cannot meet some requirements:
/// "Sales users, on CIF 1.0: <reasons>".
pub fn unmet_caveat(apps: &[&str], version: &str, reasons: &[&str]) -> String {
    format!(
        "{} users, on {version}: {} If these users need it, CIF cannot give it to them; \
         describe teams (`teams:` in a requirements file) to say who needs what.",
        apps.join(", "),
        reasons.join(" ")
    )
}

/// A note of an app or a version, as a caveat: "CIF 1.0: <note>".
pub fn note_caveat(owner: &str, text: &str) -> String {
    format!("{owner}: {text}")
}

/// The words of a single change to the stated requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeWords<'a> {
    /// A flag dropped: "analytics: not needed".
    NotNeeded,
    /// A requirement dropped: "providers: no requirement".
    NoRequirement,
    /// A count changed: "providers: 1 instead of 2".
    Count { new: u32, old: u32 },
    /// A choice changed: "session: multi instead of single".
    Choice { new: &'a str, old: &'a str },
    /// A value removed: "apps: without sales".
    Without(&'a str),
    /// An app replaced by its successor: "apps: old replaced by new".
    Replaced { old: &'a str, new: &'a str },
}

/// "key: <what changes>".
pub fn change(key: &str, words: ChangeWords<'_>) -> String {
    match words {
        ChangeWords::NotNeeded => format!("{key}: not needed"),
        ChangeWords::NoRequirement => format!("{key}: no requirement"),
        ChangeWords::Count { new, old } => format!("{key}: {new} instead of {old}"),
        ChangeWords::Choice { new, old } => format!("{key}: {new} instead of {old}"),
        ChangeWords::Without(id) => format!("{key}: without {id}"),
        ChangeWords::Replaced { old, new } => format!("{key}: {old} replaced by {new}"),
    }
}

/// What to drop so that a version fits: "providers, presence" and, for a
/// failing combination, "one of presence or providers".
pub fn relaxation_words(drop: &[String], one_of: &[Vec<String>]) -> String {
    let mut parts: Vec<String> = drop.to_vec();
    parts.extend(
        one_of
            .iter()
            .map(|keys| format!("one of {}", keys.join(" or "))),
    );
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_names_version_requirement_facts_and_basis() {
        let sources = ["https://learn.microsoft.com/a/b/overview".to_string()];
        assert_eq!(
            check_reason(
                "CIF 2.0",
                Status::Unknown,
                &requirement_label("Apps", &["Sales", "Field Service"]),
                false,
                &["Fact one.", "Fact two"],
                Some(Basis::Inferred),
                &sources,
            ),
            "CIF 2.0 may not meet 'Apps = Sales, Field Service' (unconfirmed): \
             Fact one; Fact two. (inferred from overview)"
        );
        assert_eq!(
            check_reason(
                "CIF 1.0",
                Status::Fail,
                "Analytics",
                true,
                &["No."],
                None,
                &[]
            ),
            "CIF 1.0 does not meet 'Analytics': No. (basis not stated)"
        );
        assert_eq!(
            change("providers", ChangeWords::Count { new: 1, old: 2 }),
            "providers: 1 instead of 2"
        );
        assert_eq!(
            change("apps", ChangeWords::Replaced { old: "a", new: "b" }),
            "apps: a replaced by b"
        );
    }
}
