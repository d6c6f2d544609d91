//! `data/api.yaml`: the `Microsoft.CIFramework` methods and client-side events.

use super::{Basis, MemberNote, SCHEMA_VERSION};
use crate::validators::Problems;
use serde::{Deserialize, Serialize};

/// The `Microsoft.CIFramework` methods and client-side events, grouped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiCatalogue {
    pub schema_version: u32,
    /// The date (YYYY-MM-DD) the entries were last checked against their sources.
    pub reviewed: String,
    /// The versions the catalogue describes, in display order.
    pub versions: Vec<String>,
    pub groups: Vec<ApiGroup>,
}

/// A group of members, e.g. "Session management".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiGroup {
    pub id: String,
    pub name: String,
    pub members: Vec<ApiMember>,
}

spelled! {
    /// Method or client-side event.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum MemberKind {
        Method = "method",
        Event = "event",
    }
}

/// One method or event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiMember {
    pub name: String,
    pub kind: MemberKind,
    /// The versions that have this member.
    pub versions: Vec<String>,
    /// The call signature, or "" when the facts do not give it.
    pub signature: String,
    pub summary: String,
    /// Set when the member is deprecated.
    pub deprecated: Option<Deprecation>,
    /// The reference page.
    pub source: String,
    /// How the summary, versions and signature are known.
    pub basis: Basis,
    #[serde(default)]
    pub notes: Vec<MemberNote>,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    pub reviewed: Option<String>,
}

/// When and why a member was deprecated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// YYYY-MM-DD.
    pub since: String,
    pub note: String,
    pub source: String,
    pub basis: Basis,
    /// The date (YYYY-MM-DD) this item was last checked against its
    /// source, when later than the file's `reviewed` (which it inherits).
    pub reviewed: Option<String>,
}

impl ApiCatalogue {
    /// Checks ids, texts, sources, versions and dates.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::head(self.schema_version, SCHEMA_VERSION, &self.reviewed);
        p.versions("versions", &self.versions, &[]);
        if self.groups.is_empty() {
            p.push("groups", "must list at least one group");
        }
        p.unique("groups", "group id", self.groups.iter().map(|g| &*g.id));
        let members = self.groups.iter().flat_map(|g| &g.members);
        p.unique("groups[].members", "member name", members.map(|m| &*m.name));
        for (gi, g) in self.groups.iter().enumerate() {
            let gp = format!("groups[{gi}] ({})", g.id);
            p.text(&format!("{gp}.id"), &g.id);
            p.text(&format!("{gp}.name"), &g.name);
            if g.members.is_empty() {
                p.push(format!("{gp}.members"), "must list at least one member");
            }
            for (mi, m) in g.members.iter().enumerate() {
                let mp = format!("{gp}.members[{mi}] ({})", m.name);
                p.text(&format!("{mp}.name"), &m.name);
                p.text(&format!("{mp}.summary"), &m.summary);
                p.versions(&format!("{mp}.versions"), &m.versions, &self.versions);
                p.link(&format!("{mp}.source"), &m.source);
                p.item_date(&format!("{mp}.reviewed"), m.reviewed.as_deref());
                if let Some(d) = &m.deprecated {
                    p.date(&format!("{mp}.deprecated.since"), &d.since);
                    p.text(&format!("{mp}.deprecated.note"), &d.note);
                    p.link(&format!("{mp}.deprecated.source"), &d.source);
                    p.item_date(&format!("{mp}.deprecated.reviewed"), d.reviewed.as_deref());
                }
                for (ni, n) in m.notes.iter().enumerate() {
                    p.text(&format!("{mp}.notes[{ni}].text"), &n.text);
                    let np = format!("{mp}.notes[{ni}].versions");
                    p.versions(&np, &n.versions, &self.versions);
                    p.link(&format!("{mp}.notes[{ni}].source"), &n.source);
                    p.item_date(&format!("{mp}.notes[{ni}].reviewed"), n.reviewed.as_deref());
                }
            }
        }
        p.into_result()
    }
}
