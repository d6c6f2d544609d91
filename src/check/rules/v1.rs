//! The rules on CIF 1.0 providers' apps and roles (R01, R02, R08, R14, R15).

use super::*;

/// R21 v1-analytics: analytics switched on where only 2.0 has it.
pub(super) fn check_v1_analytics(out: &mut Out<'_>, p: &Rec<Provider>, _: &Org<'_>) {
    if p.data.analytics == Some(true) {
        let m = "msdyn_enableanalytics is true on a CIF 1.0 provider";
        out.at(Case::R21V1Analytics, &p.r, m.into());
    }
}

/// R15 and R02 on an active provider's apps, then R01 (whose case depends
/// on R02) or R13 v1-value on its API version.
pub(super) fn check_v1_apps_and_version(out: &mut Out<'_>, p: &Rec<Provider>, org: &Org<'_>) {
    let (d, r) = (&p.data, &p.r);
    let ids = d.app_selector.as_deref().map(selector_ids);
    let multisession = ids
        .filter(|_| active(d.state))
        .map_or_else(Vec::new, |ids| check_v1_apps(out, r, &ids, org));
    if !multisession.is_empty() {
        let apps = multisession.join(", ");
        let m = format!("msdyn_appselector includes the multisession app {apps}");
        out.at(Case::R02MultisessionApp, r, m);
    }
    let (case, m) = match d.api_version {
        Some(1) if multisession.is_empty() => (
            Case::R01ApiVersion2,
            "msdyn_ciproviderapiversion is 1 (\"2.0\") on a CIF 1.0 provider record".into(),
        ),
        Some(1) => (
            Case::R01ApiVersion2Multisession,
            "msdyn_ciproviderapiversion is 1 (\"2.0\") and the record is selected for a multisession app".into(),
        ),
        Some(0) | None => return,
        Some(v) => (
            Case::R13V1Value,
            format!("msdyn_ciproviderapiversion is {v}; valid values are 0 (\"1.0\") and 1 (\"2.0\")"),
        ),
    };
    out.at(case, r, m);
}

/// R17 inactive-provider: an inactive 1.0 provider with apps selected (or
/// not exported), which loads nowhere.
pub(super) fn check_v1_inactive(out: &mut Out<'_>, p: &Rec<Provider>, _: &Org<'_>) {
    let apps = p.data.app_selector.as_deref().map(selector_ids);
    if active(p.data.state) || apps.as_ref().is_some_and(Vec::is_empty) {
        return;
    }
    let why = if apps.is_some() {
        "but has apps selected"
    } else {
        "(the export does not show its apps)"
    };
    let m = format!("the provider is inactive (statecode 1) {why}");
    out.at(Case::R17InactiveProvider, &p.r, m);
}

/// R02, R15: the apps a 1.0 provider selects; returns the multisession
/// ones, shown.
fn check_v1_apps(out: &mut Out<'_>, r: &RecordRef, ids: &[String], org: &Org<'_>) -> Vec<String> {
    let mut multisession = Vec::new();
    if ids.is_empty() {
        let m = "msdyn_appselector is empty: the provider is shown in no app";
        out.at(Case::R15NoApps, r, m.into());
        return multisession;
    }
    if !org.has(Table::AppModule) {
        out.needs(
            "R02 and R15 (app ids)",
            "give the appmodules export to turn the app ids into apps",
        );
        return multisession;
    }
    let known = out.inputs.apps;
    // (app shown, why it loads nowhere) per selected app that is exported.
    let mut unusable: Vec<String> = Vec::new();
    let mut usable = 0;
    for id in ids {
        let Some(app) = org.apps.get(id.as_str()) else {
            let m =
                format!("msdyn_appselector names app {id}, which is not in the appmodules export");
            out.at(Case::R15UnknownApp, r, m);
            continue;
        };
        let names = [app.data.name.as_deref(), app.data.unique_name.as_deref()];
        // navigationtype says it (R2); the matrix's app names are the fallback.
        let why = match app.data.navigation {
            Some(1) => Some("navigationtype 1, multisession"),
            Some(_) => None,
            None => KnownApps::matches(&known.multisession, &names),
        };
        multisession.extend(why.map(|why| format!("{} ({why})", app.r.name)));
        if !active(app.data.state) {
            let state = app.data.state.unwrap_or(1);
            unusable.push(format!("\"{}\" (inactive, statecode {state})", app.r.name));
        } else if let Some(m) = KnownApps::matches(&known.removed, &names) {
            unusable.push(format!("\"{}\" ({m}, removed)", app.r.name));
        } else {
            usable += 1;
        }
    }
    if usable == 0 && !unusable.is_empty() {
        let unusable = unusable.join(", ");
        let m = format!("every app msdyn_appselector selects is inactive or removed: {unusable}");
        out.at(Case::R15NoActiveApp, r, m);
    }
    multisession
}

/// R14: a 1.0 provider's role selector, as the product reads it: ids
/// separated by ';', matched with the user's root role ids.
pub(super) fn check_v1_roles(out: &mut Out<'_>, p: &Rec<Provider>, org: &Org<'_>) {
    let (Some(sel), true) = (p.data.role_selector.as_deref(), active(p.data.state)) else {
        return;
    };
    let (r, roles) = (&p.r, &org.roles);
    let ids = selector_ids(sel);
    if ids.is_empty() {
        out.at(Case::R14NoRoles, r, "msdyn_roleselector is empty".into());
        return;
    }
    // A ';'-part that holds several ids is one id to the loader.
    if sel.split(';').any(|part| selector_ids(part).len() > 1) {
        let m = format!(
            "msdyn_roleselector \"{}\" separates role ids with something other than ';', which is the only separator the loader splits on",
            short(sel)
        );
        out.at(Case::R14Separator, r, m);
    }
    if !org.has(Table::Role) {
        out.needs(
            "R14 (role ids)",
            "give the roles export to check the role ids",
        );
        return;
    }
    let mut roots_known = false;
    for id in &ids {
        let Some(role) = roles.get(id.as_str()) else {
            let m = format!("msdyn_roleselector names role {id}, which is not in the roles export");
            out.at(Case::R14UnknownRole, r, m);
            continue;
        };
        let Some(root) = &role.data.root else {
            continue;
        };
        roots_known = true;
        if root != id {
            let root_shown = roles
                .get(root.as_str())
                .map_or_else(|| root.clone(), |o| format!("\"{}\" ({root})", o.r.name));
            let m = format!(
                "msdyn_roleselector names role \"{}\" ({id}), a business unit's copy of the root role {root_shown}",
                role.r.name
            );
            out.at(Case::R14NotRootRole, r, m);
        }
    }
    if !roots_known && ids.iter().any(|id| roles.contains_key(id.as_str())) {
        out.needs(
            "R14 (root roles)",
            "export roles with _parentrootroleid_value (cif-advisor check --queries ORG_URL) to tell root roles from their business-unit copies",
        );
    }
}

/// R08: at most one active 1.0 provider per app.
pub(super) fn check_one_provider_per_app(out: &mut Out<'_>, org: &Org<'_>) {
    let mut by_app: BTreeMap<String, Vec<&Rec<Provider>>> = BTreeMap::new();
    for p in org.config.v1.iter().filter(|p| active(p.data.state)) {
        let ids = p.data.app_selector.iter().flat_map(|s| selector_ids(s));
        for id in ids.collect::<BTreeSet<_>>() {
            by_app.entry(id).or_default().push(p);
        }
    }
    for (app, providers) in by_app.iter().filter(|(_, p)| p.len() > 1) {
        let app_shown = org
            .apps
            .get(app.as_str())
            .map_or_else(|| format!("app {app}"), |a| format!("app \"{}\"", a.r.name));
        // Without every Channel Order, which one loads cannot be told.
        let orders: Option<Vec<i64>> = providers.iter().map(|p| p.data.sort_order).collect();
        let Some(best) = orders.and_then(|o| o.into_iter().min()) else {
            out.needs(
                "R08 (Channel Order)",
                "export msdyn_sortorder of msdyn_ciproviders to tell which provider loads in an app",
            );
            continue;
        };
        let order = |p: &Rec<Provider>| p.data.sort_order.unwrap_or(i64::MAX);
        let winners: Vec<&&Rec<Provider>> = providers.iter().filter(|p| order(p) == best).collect();
        let first = (winners.len() > 1).then(|| find_oldest(&winners)).flatten();
        if winners.len() > 1 && winners.iter().any(|w| w.data.created.is_none()) {
            out.needs(
                "R08 (which of equal Channel Orders loads)",
                "export createdon of msdyn_ciproviders (cif-advisor check --queries ORG_URL): the loader takes the oldest first",
            );
        }
        for p in providers {
            // The other winners, a few named (each finding names at most a few).
            let count = winners.len() - usize::from(order(p) == best);
            let others = name_a_few(winners.iter().map(|w| &w.r), &p.r, count);
            if let Some(w) = first.filter(|_| order(p) == best) {
                if w.r != p.r {
                    let created =
                        |q: &Rec<Provider>| short(q.data.created.as_deref().unwrap_or(""));
                    let (name, when, now) = (&w.r.name, created(w), created(p));
                    let m = format!(
                        "in {app_shown}, this provider and \"{name}\" have the same Channel Order {best}; \"{name}\" loads, created on {when}, before this one ({now})"
                    );
                    out.at(Case::R08EqualOrderCreated, &p.r, m);
                }
            } else if order(p) == best && winners.len() > 1 {
                let msg = format!(
                        "in {app_shown}, this provider and {others} are active with the same Channel Order {best}"
                    );
                out.at(Case::R08EqualOrder, &p.r, msg);
            } else if order(p) > best {
                let msg = format!(
                        "in {app_shown}, {others} (Channel Order {best}) loads instead of this provider (Channel Order {})",
                        order(p)
                    );
                out.at(Case::R08Shadowed, &p.r, msg);
            }
        }
    }
}

/// At most this many other records are named in one finding; past it, a
/// few are named and the rest counted (D7: N tied records, N findings).
pub(super) const NAMED_OTHERS: usize = 5;

/// The `count` records other than `not`, quoted: all of them up to
/// [`NAMED_OTHERS`], else the first three and "and N more".
pub(super) fn name_a_few<'r>(
    records: impl Iterator<Item = &'r RecordRef>,
    not: &RecordRef,
    count: usize,
) -> String {
    let names = records
        .filter(|r| *r != not)
        .map(|r| format!("\"{}\"", r.name));
    if count <= NAMED_OTHERS {
        return names.collect::<Vec<_>>().join(", ");
    }
    let shown: Vec<String> = names.take(3).collect();
    format!("{} and {} more", shown.join(", "), count - shown.len())
}

/// Of providers with the same Channel Order, the one the 1.0 loader takes
/// (`createdon asc`): the oldest, when every `createdon` is known and no
/// two are equal.
pub(super) fn find_oldest<'c>(tied: &[&&'c Rec<Provider>]) -> Option<&'c Rec<Provider>> {
    let created = |p: &&&'c Rec<Provider>| Some((created_key(p.data.created.as_deref()?)?, **p));
    let mut keyed: Vec<(Created, &'c Rec<Provider>)> =
        tied.iter().map(created).collect::<Option<_>>()?;
    keyed.sort_by_key(|(k, _)| *k);
    match keyed.as_slice() {
        [(a, first), (b, _), ..] if a < b => Some(*first),
        _ => None,
    }
}

/// A date and time as compared: (year, month, day, hour, minute, second).
pub(super) type Created = (u32, u32, u32, u32, u32, u32);

/// `createdon` as the Web API (`2020-06-10T07:18:20Z`) or a CMT file
/// (the same, or `6/10/2020 7:18:20 AM`) writes it.
pub fn created_key(text: &str) -> Option<Created> {
    let text = text.trim();
    let nums = |s: &str, sep: char| -> Option<Vec<u32>> {
        s.split(sep).map(|n| n.trim().parse().ok()).collect()
    };
    let (date, time) = text.split_once(['T', ' '])?;
    let time = time.trim_end_matches('Z');
    let (clock, meridiem) = match time.split_once(' ') {
        Some((c, m)) => (c, Some(m.trim().to_ascii_uppercase())),
        None => (time, None),
    };
    let clock = clock.split(['.', '+']).next()?;
    let &[h, mi, se, ..] = nums(clock, ':')?.as_slice() else {
        return None;
    };
    let h = match meridiem.as_deref() {
        Some("PM") if h < 12 => h + 12,
        Some("AM") if h == 12 => 0,
        _ => h,
    };
    let (y, mo, d) = match (nums(date, '-'), nums(date, '/')) {
        (Some(v), _) if v.len() == 3 => (v[0], v[1], v[2]),
        (_, Some(v)) if v.len() == 3 => (v[2], v[0], v[1]),
        _ => return None,
    };
    Some((y, mo, d, h, mi, se))
}
