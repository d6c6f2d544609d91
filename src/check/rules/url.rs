//! The rules on URLs: Channel URL (R03, R04, R19, R20) and trusted domain (R05-R07).

use super::*;

/// An absolute URL, split the way the checks need it.
#[derive(Debug, PartialEq, Eq)]
pub struct Url<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    pub query: &'a str,
}

/// Splits `scheme://[user@]host[:port][/path][?query][#fragment]`; `None`
/// when the text is not such an absolute URL with a host.
pub fn parse_url(text: &str) -> Option<Url<'_>> {
    let text = text.trim();
    let (scheme, rest) = text.split_once("://")?;
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !chars.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    {
        return None;
    }
    let (authority, after) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.is_empty() || host.chars().any(char::is_whitespace) {
        return None;
    }
    let after = after.split('#').next().unwrap_or("");
    let (path, query) = after.split_once('?').unwrap_or((after, ""));
    Some(Url {
        scheme,
        host,
        path,
        query,
    })
}

/// The host check of the form and plug-in: `^((www.)?[0-9a-zA-Z-_.]+[a-zA-Z]{2,}$)`.
pub(super) fn host_ok(host: &str) -> bool {
    let allowed = |c: &u8| c.is_ascii_alphanumeric() || b"-_.".contains(c);
    let letters = host.bytes().rev().take_while(u8::is_ascii_alphabetic);
    host.as_bytes().iter().all(allowed) && letters.count() >= 2 && host.len() > 2
}

/// R03, R04, R19 and R20 on the Channel URL.
pub(super) fn check_channel_url(out: &mut Out<'_>, p: &Rec<Provider>) {
    let (r, col, Some(url)) = (&p.r, url_column(p), p.data.url.as_deref()) else {
        return;
    };
    check_idle_time(out, p, col, url);
    out.check_length(Case::R04TooLong, r, col, url, 1024);
    let Some(u) = parse_url(url) else {
        let shown = if url.trim().is_empty() {
            "empty".to_string()
        } else {
            format!("\"{}\", not an absolute URL", short(url))
        };
        out.at(Case::R04NotAbsolute, r, format!("{col} is {shown}"));
        return;
    };
    if !u.scheme.eq_ignore_ascii_case("https") {
        let msg = format!("{col} \"{}\" uses {}://", short(url), u.scheme);
        out.at(Case::R03NotHttps, r, msg);
    }
    if u.host.eq_ignore_ascii_case("localhost") {
        let msg = format!("the host of {col} is localhost: a developer's machine, which agents' browsers do not reach");
        out.at(Case::R04DeveloperHost, r, msg);
    } else if !host_ok(u.host) {
        let host = short(u.host);
        let msg =
            format!("the host \"{host}\" of {col} is likely rejected by the form's host check");
        out.at(Case::R04Host, r, msg);
    }
    let params = u.path.split_once('&').filter(|(_, r)| r.contains('='));
    if let (Some((_, rest)), true) = (params, u.query.is_empty()) {
        let (url, rest) = (short(url), short(rest));
        let msg = format!(
            "{col} \"{url}\" has \"&{rest}\" in its path and no '?': the parameters become part of the path"
        );
        out.at(Case::R04NoQuestionMark, r, msg);
    }
    check_org_urls(out, r, col, &u);
}

/// R19: `idleTimeThreshold=` customised on the Omnichannel provider (lost
/// on deployment), or on another provider (the documented script appends
/// it to every provider's Channel URL, and only Omnichannel reads it).
fn check_idle_time(out: &mut Out<'_>, p: &Rec<Provider>, col: &str, url: &str) {
    let markers = out.values(Case::R19OverwrittenOnDeploy);
    let (Some(omnichannel), Some(marker)) = (markers.first(), markers.get(1)) else {
        return;
    };
    let url = url.to_ascii_lowercase();
    if !url.contains(&marker.to_ascii_lowercase()) {
        return;
    }
    let parameter = marker.trim_end_matches('=');
    match &p.data.unique_name {
        Some(un) if un.eq_ignore_ascii_case(omnichannel) => out.at(
            Case::R19OverwrittenOnDeploy,
            &p.r,
            format!("the Channel URL of {un} was customised ({parameter})"),
        ),
        _ => out.at(
            Case::R19OtherProvider,
            &p.r,
            format!("{col} has {parameter}=, which only the {omnichannel} provider reads"),
        ),
    }
}

/// The parameters of a Channel URL: its query, or (no `?`) what follows
/// the first `&` of its path, which the server reads as path (R04).
pub(super) fn parameters<'u>(u: &Url<'u>) -> &'u str {
    if u.query.is_empty() {
        u.path.split_once('&').map_or("", |(_, rest)| rest)
    } else {
        u.query
    }
}

/// Whether a host is a Dynamics 365 organisation's (`org.crm4.dynamics.com`,
/// `org.api.crm.dynamics.com`).
pub(super) fn is_org_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host.strip_suffix(".dynamics.com").is_some_and(|rest| {
        let labels: Vec<&str> = rest.split('.').collect();
        labels.len() >= 2 && labels.last().is_some_and(|l| l.starts_with("crm"))
    })
}

/// R20: every organisation URL in the Channel URL's parameters (`ucilib=`,
/// `base=`, any Dynamics 365 org URL) against the export's org.
pub(super) fn check_org_urls(out: &mut Out<'_>, r: &RecordRef, col: &str, u: &Url<'_>) {
    let org = out.inputs.file_orgs.get(r.file).cloned().flatten();
    let host = org.as_deref().and_then(parse_url).map(|o| org_host(o.host));
    for (key, raw) in parameters(u).split('&').filter_map(|kv| kv.split_once('=')) {
        let value = percent_decode(raw);
        let is_lib = key.eq_ignore_ascii_case("ucilib");
        let lib = parse_url(&value);
        if is_lib && !check_library_path(out, r, col, &value, lib.as_ref()) {
            continue;
        }
        let Some(lib) =
            lib.filter(|l| is_lib || key.eq_ignore_ascii_case("base") || is_org_host(l.host))
        else {
            continue;
        };
        let key = short(key);
        match (&org, &host) {
            (Some(org), Some(h)) if *h != org_host(lib.host) => {
                let what = if is_lib { "loads the library from" } else { "points at" };
                let msg = format!("{key}= in {col} {what} {}, but the export is from {org}", short(lib.host));
                out.at(Case::R20OtherOrg, r, msg);
            }
            (Some(_), _) => {}
            (None, _) => out.needs(
                "R20 (org URLs in the Channel URL)",
                "the export has no org URL (a CMT file or Xrm.WebApi output); export with the Web API, or give --org ORG_URL, to compare ucilib= and base= with the org",
            ),
        }
    }
}

/// R20 library-path: `ucilib=` is an absolute URL of the library; false when
/// it is not a URL at all.
pub(super) fn check_library_path(
    out: &mut Out<'_>,
    r: &RecordRef,
    col: &str,
    value: &str,
    lib: Option<&Url<'_>>,
) -> bool {
    let Some(lib) = lib else {
        let value = short(value);
        let msg = format!("ucilib= in {col} is \"{value}\", not an absolute URL");
        out.at(Case::R20LibraryPath, r, msg);
        return false;
    };
    let expected = out.values(Case::R20LibraryPath);
    if let Some(path) = expected
        .first()
        .filter(|p| !lib.path.eq_ignore_ascii_case(p))
    {
        let lib_path = short(lib.path);
        let msg = format!("ucilib= in {col} points at the path \"{lib_path}\", not {path}");
        out.at(Case::R20LibraryPath, r, msg);
    }
    true
}

/// `%XX` sequences decoded (invalid ones kept as they are).
pub(super) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |k: usize| b.get(i + k).and_then(|c| (*c as char).to_digit(16));
        if let (b'%', Some(h), Some(l)) = (b[i], hex(1), hex(2)) {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// R05-R07: the trusted domain, one absolute URL with at most a leading `*.`.
pub(super) fn check_trusted_domain(out: &mut Out<'_>, p: &Rec<Provider>) {
    let value = p.data.trusted_domain.as_deref().map(str::trim);
    let (r, Some(v)) = (&p.r, value.filter(|v| !v.is_empty())) else {
        return;
    };
    let parts: Vec<&str> = v
        .split([',', ';', ' ', '\t', '\r', '\n'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        let (n, v) = (parts.len(), short(v));
        let msg = format!("msdyn_trusteddomain holds {n} values: \"{v}\"");
        out.at(Case::R07Several, r, msg);
        return;
    }
    let Some(u) = parse_url(v) else {
        let msg = format!(
            "msdyn_trusteddomain \"{}\" is not an absolute URL (no scheme such as https://)",
            short(v)
        );
        out.at(Case::R05NoScheme, r, msg);
        return;
    };
    let rest_has_star = u.path.contains('*') || u.query.contains('*');
    if u.host.contains('*') || rest_has_star {
        let v = short(v);
        if u.host.starts_with("*.") && !u.host[2..].contains('*') && !rest_has_star {
            let rest = short(&u.host[2..]);
            let msg =
                format!("msdyn_trusteddomain \"{v}\" also accepts any host ending in \"{rest}\"");
            out.at(Case::R06Leading, r, msg);
        } else {
            let msg =
                format!("msdyn_trusteddomain \"{v}\" has a wildcard that is not a leading '*.'");
            out.at(Case::R06Misplaced, r, msg);
        }
    }
}
