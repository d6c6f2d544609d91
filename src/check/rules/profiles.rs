//! The rules on profiles and their links to CIF 2.0 providers (R09, R10,
//! R16, R17, R23-R25).

use super::*;

/// A provider's link to a profile: the profile's id (or unique name), its
/// state when known, and its record when the profiles were exported.
type ProfileLink<'c> = (String, Option<i64>, Option<&'c Rec<Profile>>);

/// R09 (rank), R10 (format, length, duplicates) and R24 on each profile.
pub(super) fn check_profiles(out: &mut Out<'_>, config: &Config) {
    let app_by_un: HashMap<String, &Rec<Named>> = config
        .apps
        .iter()
        .filter_map(|a| Some((a.data.unique_name.as_deref()?.to_ascii_lowercase(), a)))
        .collect();
    for p in &config.profiles {
        let d = &p.data;
        if let Some(o) = d.order.filter(|o| !(0..=100).contains(o)) {
            let m = format!("msdyn_profileorder is {o}, outside 0-100");
            out.at(Case::R09ProfileRank, &p.r, m);
        }
        check_unique_name(out, &p.r, d.unique_name.as_deref());
        let Some(app) = &d.app_module else { continue };
        // The app module's own name, when the appmodules export has it.
        let app_name = app_by_un
            .get(&app.to_ascii_lowercase())
            .and_then(|a| a.data.name.as_deref());
        let names = [Some(app.as_str()), app_name];
        if let Some(m) = KnownApps::matches(&out.inputs.apps.removed, &names) {
            let app = short(app);
            let m = format!("msdyn_appmoduleuniquename \"{app}\" is {m}, which has been removed");
            out.at(Case::R24RetiredApp, &p.r, m);
        }
    }
    check_duplicates(out, &config.profiles, |p| p.unique_name.as_deref());
}

/// The links between 2.0 providers and profiles, from either side.
#[derive(Default)]
struct Links<'c> {
    /// Per 2.0 provider (by index): its profiles.
    of: Vec<Vec<ProfileLink<'c>>>,
    /// Per 2.0 provider: whether the export shows its links.
    known: Vec<bool>,
    /// Profile key -> unique name, for profiles known only from a link.
    names: BTreeMap<String, String>,
    /// What each provider is already linked to (keys and records), so that
    /// a link seen from both sides is kept once.
    seen: HashSet<(usize, &'c str)>,
    seen_recs: HashSet<(usize, &'c RecordRef)>,
}

impl<'c> Links<'c> {
    fn read(org: &Org<'c>) -> Links<'c> {
        let config = org.config;
        let profile_links_known = config.given.contains(&Table::Profile)
            && !config.profiles.is_empty()
            && config.profiles.iter().all(|p| p.data.providers.is_some());
        let mut links = Links {
            of: vec![Vec::new(); config.v2.len()],
            known: vec![profile_links_known; config.v2.len()],
            ..Links::default()
        };
        links.add_providers_links(org);
        links.add_profiles_links(config);
        links
    }

    /// The links a provider's `msdyn_appconfig_msdyn_channelprovider` lists.
    fn add_providers_links(&mut self, org: &Org<'c>) {
        let (config, by_id) = (org.config, &org.profiles);
        let by_un: HashMap<String, &Rec<Profile>> = config
            .profiles
            .iter()
            .filter_map(|p| Some((p.data.unique_name.as_ref()?.to_ascii_lowercase(), p)))
            .collect();
        for (i, p) in config.v2.iter().enumerate() {
            let Some(links) = &p.data.profiles else {
                continue;
            };
            self.known[i] = true;
            for l in links {
                let un = l.unique_name.as_ref();
                let rec = l.id.as_deref().and_then(|id| by_id.get(id).copied());
                let rec =
                    rec.or_else(|| un.and_then(|u| by_un.get(&u.to_ascii_lowercase()).copied()));
                let key = l.id.as_deref().or(l.unique_name.as_deref()).unwrap_or("");
                if let Some(u) = un {
                    self.names.entry(key.into()).or_insert_with(|| u.clone());
                }
                self.seen.insert((i, key));
                self.seen_recs.extend(rec.map(|rec| (i, &rec.r)));
                let state = l.state.or(rec.and_then(|r| r.data.state));
                self.of[i].push((key.into(), state, rec));
            }
        }
    }

    /// The links a profile's `msdyn_appconfig_msdyn_channelprovider` lists,
    /// when its provider has not listed them already.
    fn add_profiles_links(&mut self, config: &'c Config) {
        // The 2.0 providers by id and by unique name (lower-cased), the first
        // of equal keys.
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        let mut by_un: HashMap<String, usize> = HashMap::new();
        for (i, p) in config.v2.iter().enumerate().rev() {
            if !p.r.id.is_empty() {
                by_id.insert(&p.r.id, i);
            }
            if let Some(u) = &p.data.unique_name {
                by_un.insert(u.to_ascii_lowercase(), i);
            }
        }
        for prof in &config.profiles {
            for l in prof.data.providers.iter().flatten() {
                let id = l.id.as_deref().and_then(|id| by_id.get(id));
                let un = l.unique_name.as_deref();
                let un = un.and_then(|u| by_un.get(&u.to_ascii_lowercase()));
                let Some(i) = id.into_iter().chain(un).min().copied() else {
                    continue;
                };
                let key = (i, prof.r.id.as_str());
                if !self.seen.contains(&key) && self.seen_recs.insert((i, &prof.r)) {
                    self.of[i].push((prof.r.id.clone(), prof.data.state, Some(prof)));
                    self.seen.insert(key);
                }
            }
        }
    }
}

/// R16, R17, R23 and R25: the rules on the links.
pub(super) fn check_links(out: &mut Out<'_>, org: &Org<'_>) {
    let (config, links) = (org.config, Links::read(org));
    let mappings = config.mappings.iter().filter(|m| active(m.data.state));
    let mapped: HashSet<&str> = mappings
        .filter_map(|m| m.data.profile_id.as_deref())
        .collect();
    let have_mappings = config.given.contains(&Table::RoleMapping);
    for (i, p) in config.v2.iter().enumerate() {
        if links.known[i] {
            check_provider_links(out, p, &links.of[i], &mapped, have_mappings);
        } else {
            check_links_unknown(out, p);
        }
    }
    check_several_providers(out, config, &links);
    check_equal_rank(out, org);
}

/// R17 when a provider's links are not exported: an inactive provider may
/// be one agents expect.
fn check_links_unknown(out: &mut Out<'_>, p: &Rec<Provider>) {
    if !active(p.data.state) {
        let m = "the provider is inactive (statecode 1); the export does not show its profiles";
        out.at(Case::R17InactiveProvider, &p.r, m.into());
    }
    out.needs(
        "R16, R17 and R25 (profile links)",
        "export msdyn_channelproviders with $expand=msdyn_appconfig_msdyn_channelprovider, or msdyn_appconfigurations with it",
    );
}

/// R16 and R17 on one provider whose links are known: on no profile, on
/// inactive ones only, or on profiles that reach no user.
fn check_provider_links(
    out: &mut Out<'_>,
    p: &Rec<Provider>,
    links: &[ProfileLink<'_>],
    mapped: &HashSet<&str>,
    have_mappings: bool,
) {
    let r = &p.r;
    if !active(p.data.state) {
        if !links.is_empty() {
            let n = links.len();
            let m = format!("the provider is inactive (statecode 1) but is on {n} profile(s)");
            out.at(Case::R17InactiveProvider, r, m);
        }
        return;
    }
    if links.is_empty() {
        let m = "the provider is on no experience profile";
        out.at(Case::R16NoProfile, r, m.into());
        return;
    }
    let active_links: Vec<_> = links.iter().filter(|(_, s, _)| active(*s)).collect();
    if active_links.is_empty() {
        let shown: Vec<String> = links
            .iter()
            .map(|(k, _, rec)| rec.map_or(k.clone(), |r| r.r.name.clone()))
            .collect();
        let m = format!("every profile it is on is inactive: {}", shown.join(", "));
        out.at(Case::R17InactiveProfile, r, m);
        return;
    }
    // Assigned: users, role mappings (the default flag is not exported).
    let recs: Vec<&Rec<Profile>> = active_links.iter().filter_map(|(_, _, rec)| *rec).collect();
    // A user assigned directly is assignment enough.
    if recs.iter().any(|p| p.data.users.unwrap_or(0) > 0) {
        return;
    }
    if recs.len() < active_links.len()
        || recs.iter().any(|p| p.data.users.is_none())
        || !have_mappings
    {
        out.needs(
            "R16 (profile assignment)",
            "give msdyn_appconfigurations with $expand=msdyn_appconfiguration_systemuser and msdyn_appprofilerolemappings to see whether the profiles reach users",
        );
        return;
    }
    if !recs.iter().any(|p| mapped.contains(p.r.id.as_str())) {
        let shown: Vec<String> = recs.iter().map(|p| format!("\"{}\"", p.r.name)).collect();
        let shown = shown.join(", ");
        let m = format!("its profile(s) {shown} have no users and no role mapping");
        out.at(Case::R16ProfileUnassigned, r, m);
    }
}

/// R25: several active providers on one active profile.
fn check_several_providers(out: &mut Out<'_>, config: &Config, links: &Links<'_>) {
    let mut per_profile: BTreeMap<RecordRef, Vec<&str>> = BTreeMap::new();
    for (i, p) in config.v2.iter().enumerate() {
        if !active(p.data.state) {
            continue;
        }
        for (key, state, rec) in &links.of[i] {
            if !active(*state) || key.is_empty() && rec.is_none() {
                continue;
            }
            // The profile's record, or (not exported) the link's own names.
            let is_guid = key.len() == 36 && key.matches('-').count() == 4;
            let r = match rec {
                Some(rec) => rec.r.clone(),
                None => RecordRef {
                    table: Table::Profile,
                    name: links.names.get(key).unwrap_or(key).clone(),
                    id: if is_guid { key.clone() } else { String::new() },
                    file: p.r.file,
                },
            };
            let list = per_profile.entry(r).or_default();
            if !list.contains(&p.r.name.as_str()) {
                list.push(&p.r.name);
            }
        }
    }
    for (prof, providers) in per_profile.iter().filter(|(_, v)| v.len() > 1) {
        let (n, names) = (providers.len(), providers.join(", "));
        let m = format!("{n} active CIF 2.0 providers are on this profile: {names}");
        out.at(Case::R25SeveralProviders, prof, m);
    }
}

/// R23: one role mapped to several active profiles of equal rank.
fn check_equal_rank(out: &mut Out<'_>, org: &Org<'_>) {
    let (config, profiles, roles) = (org.config, &org.profiles, &org.roles);
    let mut by_role: BTreeMap<&str, Vec<&Rec<Profile>>> = BTreeMap::new();
    let mut in_role: HashSet<(&str, &RecordRef)> = HashSet::new();
    for m in config.mappings.iter().filter(|m| active(m.data.state)) {
        let (Some(role), Some(pid)) = (&m.data.role_id, &m.data.profile_id) else {
            continue;
        };
        let Some(p) = profiles.get(pid.as_str()).filter(|p| active(p.data.state)) else {
            continue;
        };
        if in_role.insert((role, &p.r)) {
            by_role.entry(role).or_default().push(p);
        }
    }
    for (role, profs) in &by_role {
        let role_name = roles.get(role).map_or_else(
            || format!("role {role}"),
            |r| format!("role \"{}\"", r.r.name),
        );
        let mut by_rank: BTreeMap<i64, Vec<&Rec<Profile>>> = BTreeMap::new();
        for (o, p) in profs.iter().filter_map(|p| Some((p.data.order?, p))) {
            by_rank.entry(o).or_default().push(p);
        }
        for (rank, tied) in by_rank.iter().filter(|(_, t)| t.len() > 1) {
            for p in tied {
                let others = name_a_few(tied.iter().map(|o| &o.r), &p.r, tied.len() - 1);
                let m = format!(
                    "{role_name} is mapped to this profile and to {others}, all of rank {rank}"
                );
                out.at(Case::R23EqualRank, &p.r, m);
            }
        }
    }
}
