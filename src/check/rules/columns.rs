//! The rules on one column of a provider or profile (R09, R10, R18, R22, R26).

use super::*;

/// R26: a name or label empty or too long.
pub(super) fn check_names(out: &mut Out<'_>, p: &Rec<Provider>) {
    for (col, v) in [("msdyn_name", &p.data.name), ("msdyn_label", &p.data.label)] {
        let Some(v) = v else { continue };
        if v.trim().is_empty() {
            out.at(Case::R26Empty, &p.r, format!("{col} is empty"));
        } else {
            out.check_length(Case::R26TooLong, &p.r, col, v, 100);
        }
    }
}

/// R09 channel-order: Channel Order outside 0-1000.
pub(super) fn check_sort_order(out: &mut Out<'_>, p: &Rec<Provider>) {
    if let Some(o) = p.data.sort_order.filter(|o| !(0..=1000).contains(o)) {
        let msg = format!("msdyn_sortorder is {o}, outside 0-1000");
        out.at(Case::R09ChannelOrder, &p.r, msg);
    }
}

/// R22: Custom Parameters too long, bad JSON, or holding a secret.
pub(super) fn check_custom_params(out: &mut Out<'_>, p: &Rec<Provider>) {
    let v = p.data.custom_params.as_deref().unwrap_or("");
    if v.trim().is_empty() {
        return;
    }
    out.check_length(Case::R22TooLong, &p.r, "msdyn_customparams", v, 2000);
    let t = v.trim();
    if t.starts_with(['{', '[']) && serde_json::from_str::<serde_json::Value>(t).is_err() {
        let m = "msdyn_customparams starts like JSON but does not parse";
        out.at(Case::R22BadJson, &p.r, m.into());
    }
    let lower = v.to_ascii_lowercase();
    let hits: Vec<String> = out
        .values(Case::R22Secret)
        .into_iter()
        .filter(|k| lower.contains(&k.to_ascii_lowercase()))
        .map(|h| format!("\"{h}\""))
        .collect();
    if !hits.is_empty() {
        let msg = format!("msdyn_customparams contains {}", hits.join(", "));
        out.at(Case::R22Secret, &p.r, msg);
    }
}

/// R18: the sandbox configuration's keywords and separators.
pub(super) fn check_sandbox(out: &mut Out<'_>, p: &Rec<Provider>) {
    let v = p.data.sandbox.as_deref().unwrap_or("").trim();
    if v.is_empty() {
        return;
    }
    let tokens: Vec<String> = v
        .split([',', ' ', '\t', '\r', '\n', ';'])
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if tokens.len() > 1 && !v.contains(',') {
        let m = "msdyn_sandboxconfiguration is separated by spaces, not commas";
        out.at(Case::R18SpaceSeparated, &p.r, m.into());
    }
    let keywords = out.values(Case::R18UnknownToken);
    let unknown: Vec<String> = tokens
        .iter()
        .filter(|t| !keywords.contains(t))
        .map(|t| format!("\"{}\"", short(t)))
        .collect();
    if !unknown.is_empty() {
        let unknown = unknown.join(", ");
        let msg =
            format!("msdyn_sandboxconfiguration holds {unknown}, not an iframe sandbox keyword");
        out.at(Case::R18UnknownToken, &p.r, msg);
    }
    let missing: Vec<String> = out
        .values(Case::R18MissingDefaults)
        .into_iter()
        .filter(|d| !tokens.contains(d))
        .collect();
    if !missing.is_empty() {
        let missing = missing.join(", ");
        let msg = format!("msdyn_sandboxconfiguration lacks the default(s) {missing}");
        out.at(Case::R18MissingDefaults, &p.r, msg);
    }
}

/// R10 too-long and format: a unique name's length and prefix, when exported.
pub(super) fn check_unique_name(out: &mut Out<'_>, r: &RecordRef, un: Option<&str>) {
    let Some(un) = un else { return };
    out.check_length(Case::R10TooLong, r, "msdyn_uniquename", un, 128);
    let ok = un.split_once('_').is_some_and(|(prefix, rest)| {
        (3..=8).contains(&prefix.len())
            && prefix.bytes().all(|b| b.is_ascii_alphanumeric())
            && !rest.is_empty()
    });
    if !ok {
        let msg = format!(
            "msdyn_uniquename \"{}\" is not <prefix>_<name> with a 3-8 letter or digit prefix",
            short(un)
        );
        out.at(Case::R10Format, r, msg);
    }
}

/// R10 duplicate: a unique name (compared lower-cased) on several records.
pub(super) fn check_duplicates<T>(
    out: &mut Out<'_>,
    recs: &[Rec<T>],
    name_of: fn(&T) -> Option<&str>,
) {
    let mut unique: BTreeMap<String, Vec<&RecordRef>> = BTreeMap::new();
    for (un, r) in recs.iter().filter_map(|r| Some((name_of(&r.data)?, &r.r))) {
        unique.entry(un.to_ascii_lowercase()).or_default().push(r);
    }
    for (un, recs) in unique.iter().filter(|(_, recs)| recs.len() > 1) {
        let (un, n) = (short(un), recs.len());
        let m = format!("msdyn_uniquename \"{un}\" is used by {n} records");
        for r in recs {
            out.at(Case::R10Duplicate, r, m.clone());
        }
    }
}
