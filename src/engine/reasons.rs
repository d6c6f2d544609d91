//! The sentences the engine and the renderers share: a check's reason, the
//! basis words, a plan group's unmet caveat and what to drop so that a
//! version fits. (A sentence made in one place is written there.)

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
    let numbered = !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit());
    match path[..cut].rfind('/').filter(|_| numbered) {
        Some(prev) => &path[prev + 1..],
        None => last,
    }
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
            let from = (!labels.is_empty()).then(|| format!(" from {}", labels.join(", ")));
            format!(" (inferred{})", from.unwrap_or_default())
        }
        None => " (basis not stated)".to_string(),
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
    let facts: Vec<&str> = facts.iter().map(|f| f.trim_end_matches('.')).collect();
    let basis = basis_suffix(basis, sources.iter().map(String::as_str));
    let facts = facts.join("; ");
    format!("{version} {verb} '{requirement}'{qualifier}: {facts}.{basis}")
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

/// What to drop so that a version fits: "providers, presence" and, for a
/// failing combination, "one of presence or providers".
pub fn relaxation_words(drop: &[String], one_of: &[Vec<String>]) -> String {
    let one_of = one_of
        .iter()
        .map(|keys| format!("one of {}", keys.join(" or ")));
    let parts: Vec<String> = drop.iter().cloned().chain(one_of).collect();
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
                "Apps = Sales, Field Service",
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
    }
}
