//! The requirement flags, in one table: each names one dimension of the
//! matrix by its key. From this table come the command line's arguments
//! (`cli::flags` builds them), the conversion of what was given into
//! `Requirements` (`requirements_from`), the command line that reproduces
//! a set of requirements (`command_line`), the completion hints, and the
//! flag table of docs/reference.md (a test compares them). A matrix's own dimension
//! without a flag is stated through a requirements file.
//!
//! Adding a flag: add its row here (in `--help` order) and its dimension to
//! data/cif-matrix.yaml, then its row to docs/reference.md's table; the tests name
//! whatever is missing.

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// One value (`--session multi`).
    One,
    /// Values, repeated or comma-separated (`--app sales,cs-workspace`).
    List,
    /// No value: present is "needed" (`--analytics`).
    Switch,
    /// A whole number from 1 to `requirements::MAX_COUNT` (`--providers 2`).
    Count,
}

/// One requirement flag.
#[derive(Debug, PartialEq, Eq)]
pub struct RequirementFlag {
    /// The matrix dimension it states.
    pub key: &'static str,
    /// The long flag, without `--`.
    pub long: &'static str,
    /// The value's name in `--help` (none for a switch).
    pub value_name: &'static str,
    pub kind: FlagKind,
    /// The line in `--help`.
    pub help: &'static str,
}

impl RequirementFlag {
    /// `--app` and the like.
    pub fn flag(&self) -> String {
        format!("--{}", self.long)
    }
}

const fn flag(
    key: &'static str,
    long: &'static str,
    value_name: &'static str,
    kind: FlagKind,
    help: &'static str,
) -> RequirementFlag {
    RequirementFlag {
        key,
        long,
        value_name,
        kind,
        help,
    }
}

/// The requirement flags, in `--help` order.
pub const REQUIREMENT_FLAGS: [RequirementFlag; 14] = [
    flag("session", "session", "MODE", FlagKind::One,
        "Session mode the agents work in: single, multi"),
    flag("apps", "app", "APP", FlagKind::List,
        "Model-driven app(s) the agents use: an id, alias or name (repeat or comma-separate), e.g. sales, cs-workspace"),
    flag("providers", "providers", "N", FlagKind::Count,
        "Channel providers agents use at the same time (1 or more), Microsoft's own Omnichannel channels included; the tool never adds one itself"),
    flag("analytics", "analytics", "", FlagKind::Switch,
        "Channel analytics is needed"),
    flag("channels", "channel", "TYPE", FlagKind::List,
        "Channel type(s) to integrate: telephony, sms, chat, email, social (repeat or comma-separate)"),
    flag("panel_side", "panel-side", "SIDE", FlagKind::One,
        "Side of the screen for the communication panel: right, left"),
    flag("panel_modes", "panel-mode", "MODE", FlagKind::List,
        "Communication panel mode(s) needed: minimized, expanded, docked, hidden, collapsed"),
    flag("templates", "template", "KIND", FlagKind::List,
        "Template kind(s) needed: notification, application-tab, session"),
    flag("presence", "presence", "", FlagKind::Switch,
        "Agent presence must be synchronised with the provider"),
    flag("cloud", "cloud", "CLOUD", FlagKind::One,
        "Cloud of the organisation: commercial, gcc, gcc-high, dod"),
    flag("client", "client", "CLIENT", FlagKind::One,
        "Client the agents use: web, mobile"),
    flag("deployment", "deployment", "KIND", FlagKind::One,
        "Deployment of Dynamics 365: online, on-premises"),
    flag("host", "host", "HOST", FlagKind::One,
        "Where agents run the app, today or after the move: browser, usd (Unified Service Desk), teams"),
    flag("dialers", "dialer", "KIND", FlagKind::List,
        "Other telephony already on for the same users: teams-dialer, sales-hub-dialer (repeat or comma-separate)"),
];

/// The flag that states the dimension `key`, if one does.
pub fn flag_for(key: &str) -> Option<&'static RequirementFlag> {
    REQUIREMENT_FLAGS.iter().find(|f| f.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_flags_are_unique() {
        for (i, a) in REQUIREMENT_FLAGS.iter().enumerate() {
            for b in &REQUIREMENT_FLAGS[i + 1..] {
                assert_ne!(a.key, b.key);
                assert_ne!(a.long, b.long);
            }
            assert_eq!(
                a.value_name.is_empty(),
                a.kind == FlagKind::Switch,
                "{}",
                a.key
            );
            assert!(
                !a.help.ends_with('.'),
                "{}: help lines end without a period",
                a.key
            );
        }
    }
}
