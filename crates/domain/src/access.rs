//! Who may do what: roles, actions and the scope of each permission, as data.
//!
//! The matrix is one exhaustive `match` per role with no wildcard arm, so adding a role or an
//! action does not compile until every cell has been decided. `leadhub permissions` prints it
//! as Markdown (docs/PERMISSIONS.md is that output). Enforcement on every staff route arrives
//! with the routes themselves: a route names its action, an extractor checks it here.

use std::fmt;
use std::str::FromStr;

/// A staff role. The public has no role and no account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    CaseManager,
    ProjectManager,
    LegalLiaison,
    CommunityLead,
    Evaluator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::CaseManager,
        Role::ProjectManager,
        Role::LegalLiaison,
        Role::CommunityLead,
        Role::Evaluator,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::CaseManager => "case_manager",
            Role::ProjectManager => "project_manager",
            Role::LegalLiaison => "legal_liaison",
            Role::CommunityLead => "community_lead",
            Role::Evaluator => "evaluator",
            Role::Admin => "admin",
        }
    }

    /// Whether the role can reach any personal data, and so must sign in with a second factor.
    pub fn sees_personal_data(self) -> bool {
        Action::ALL
            .iter()
            .any(|a| a.is_personal() && allowed(self, *a).is_some())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role {0:?} (one of case_manager, project_manager, legal_liaison, community_lead, evaluator, admin)"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// Something a signed-in person can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// See the referral queue and open a referral.
    ReferralView,
    /// Acknowledge, screen, move or close a referral.
    ReferralTriage,
    /// Make a referral from inside (arrest diversion, social contact, provider).
    ReferralSubmit,
    /// Assign referrals and participants to case managers.
    WorkAssign,
    /// Open a participant's record (general information, plan, status).
    ParticipantView,
    /// Change a participant's record, plan or status; log contacts.
    ParticipantEdit,
    /// See the whole team's caseload list (names, case manager, when last seen), to cover
    /// for a colleague; the records themselves stay in each one's scope.
    CaseloadTeam,
    /// Read notes labelled health.
    HealthNotesView,
    /// Read notes labelled substance use (42 CFR Part 2).
    SubstanceUseNotesView,
    /// Record, change or revoke a release of information.
    ConsentManage,
    /// See legal cases and coordinate on them.
    LegalCoordinate,
    /// Run Operational Workgroup case conferencing (agenda, minutes, action items).
    OwgRun,
    /// Attend Operational Workgroup meetings: see the agenda items one's role and the
    /// participants' consents allow.
    OwgAttend,
    /// Open a record outside one's scope, with a stated reason ("break the glass").
    BreakGlass,
    /// Review the records opened by breaking the glass.
    BreakGlassReview,
    /// Aggregate, de-identified figures.
    AggregatesView,
    /// De-identified extracts for evaluation.
    DeidentifiedExtract,
    /// Publish Data & Results.
    ResultsPublish,
    /// Invite people, change roles, disable accounts, reset second factors.
    UsersManage,
    /// Site settings (hours, holidays, places, texts).
    SettingsManage,
    /// Read and filter the audit log.
    AuditView,
    /// Read the messages leadhub sent or holds for sending (the outbox).
    OutboxView,
    /// Review likely duplicate people; merge two participants' records, or undo a merge.
    PeopleMerge,
    /// Upload a booking feed (bookings and new charges from the jail or an agency). The
    /// uploader is told only how many rows matched, never whom.
    BookingsImport,
    /// Say whose a booking is when the feed's match was not sure enough to link it.
    BookingsReview,
    /// Record a new version of the Policy Coordinating Group's policy (the divertible
    /// charges and eligibility rules), as the group approved it.
    PolicyManage,
    /// Read community feedback as written and choose which comments the Community Leadership
    /// Team sees, and in what words (a comment may name or describe someone).
    FeedbackReview,
    /// Look a person up among everyone known to LEAD (referred or enrolled) by any form of
    /// their name, birth year, age or place, before making a second record of them.
    PeopleFind,
}

impl Action {
    pub const ALL: [Action; 28] = [
        Action::ReferralView,
        Action::ReferralTriage,
        Action::ReferralSubmit,
        Action::WorkAssign,
        Action::ParticipantView,
        Action::ParticipantEdit,
        Action::CaseloadTeam,
        Action::HealthNotesView,
        Action::SubstanceUseNotesView,
        Action::ConsentManage,
        Action::LegalCoordinate,
        Action::OwgRun,
        Action::OwgAttend,
        Action::BreakGlass,
        Action::BreakGlassReview,
        Action::AggregatesView,
        Action::DeidentifiedExtract,
        Action::ResultsPublish,
        Action::UsersManage,
        Action::SettingsManage,
        Action::AuditView,
        Action::OutboxView,
        Action::PeopleMerge,
        Action::BookingsImport,
        Action::BookingsReview,
        Action::PolicyManage,
        Action::FeedbackReview,
        Action::PeopleFind,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::ReferralView => "referral.view",
            Action::ReferralTriage => "referral.triage",
            Action::ReferralSubmit => "referral.submit",
            Action::WorkAssign => "work.assign",
            Action::ParticipantView => "participant.view",
            Action::ParticipantEdit => "participant.edit",
            Action::CaseloadTeam => "caseload.team",
            Action::HealthNotesView => "notes.health.view",
            Action::SubstanceUseNotesView => "notes.part2.view",
            Action::ConsentManage => "consent.manage",
            Action::LegalCoordinate => "legal.coordinate",
            Action::OwgRun => "owg.run",
            Action::OwgAttend => "owg.attend",
            Action::BreakGlass => "break_glass",
            Action::BreakGlassReview => "break_glass.review",
            Action::AggregatesView => "aggregates.view",
            Action::DeidentifiedExtract => "extract.deidentified",
            Action::ResultsPublish => "results.publish",
            Action::UsersManage => "users.manage",
            Action::SettingsManage => "settings.manage",
            Action::AuditView => "audit.view",
            Action::OutboxView => "outbox.view",
            Action::PeopleMerge => "people.merge",
            Action::BookingsImport => "bookings.import",
            Action::BookingsReview => "bookings.review",
            Action::PolicyManage => "policy.manage",
            Action::FeedbackReview => "feedback.review",
            Action::PeopleFind => "people.find",
        }
    }

    /// Whether the action shows or changes information about an identifiable person.
    pub fn is_personal(self) -> bool {
        !matches!(
            self,
            Action::AggregatesView
                | Action::DeidentifiedExtract
                | Action::ResultsPublish
                | Action::SettingsManage
                | Action::UsersManage
                | Action::PolicyManage
        )
    }
}

/// How far a permission reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// The person's own caseload (participants assigned to them).
    Own,
    /// Only what an active, unexpired, unrevoked release of information covers for this
    /// person's organisation, and never anything labelled substance use (Part 2).
    Consented,
    /// Everything at the site.
    All,
}

impl Scope {
    pub fn code(self) -> &'static str {
        match self {
            Scope::Own => "own",
            Scope::Consented => "consented",
            Scope::All => "all",
        }
    }
}

/// The permission matrix: what `role` may do with `action`, and how far; `None` is a refusal.
pub fn allowed(role: Role, action: Action) -> Option<Scope> {
    use Action::*;
    use Scope::*;
    match role {
        Role::CaseManager => match action {
            ReferralView | ReferralTriage | ReferralSubmit | PeopleFind => Some(All),
            ParticipantView
            | ParticipantEdit
            | HealthNotesView
            | SubstanceUseNotesView
            | ConsentManage
            | LegalCoordinate
            | OwgAttend => Some(Own),
            BreakGlass | CaseloadTeam => Some(All),
            BreakGlassReview | OwgRun | WorkAssign | AggregatesView | DeidentifiedExtract
            | ResultsPublish | UsersManage | SettingsManage | AuditView | OutboxView
            | PeopleMerge | BookingsImport | BookingsReview | PolicyManage | FeedbackReview => None,
        },
        Role::ProjectManager => match action {
            ReferralView
            | ReferralTriage
            | ReferralSubmit
            | WorkAssign
            | ParticipantView
            | ParticipantEdit
            | CaseloadTeam
            | HealthNotesView
            | SubstanceUseNotesView
            | ConsentManage
            | LegalCoordinate
            | OwgRun
            | OwgAttend
            | AggregatesView
            | DeidentifiedExtract
            | ResultsPublish
            | UsersManage
            | SettingsManage
            | BreakGlassReview
            | PeopleMerge
            | BookingsImport
            | BookingsReview
            | PolicyManage
            | FeedbackReview
            | PeopleFind => Some(All),
            // Sees everything already; the audit log is the administrator's to review.
            BreakGlass | AuditView | OutboxView => None,
        },
        Role::LegalLiaison => match action {
            // Their agency's feed goes in; what comes back is only counts.
            ReferralSubmit | BookingsImport => Some(All),
            ParticipantView | LegalCoordinate | OwgAttend => Some(Consented),
            ReferralView
            | ReferralTriage
            | WorkAssign
            | ParticipantEdit
            | CaseloadTeam
            | HealthNotesView
            | SubstanceUseNotesView
            | ConsentManage
            | OwgRun
            | BreakGlass
            | BreakGlassReview
            | AggregatesView
            | DeidentifiedExtract
            | ResultsPublish
            | UsersManage
            | SettingsManage
            | AuditView
            | OutboxView
            | PeopleMerge
            | BookingsReview
            | PolicyManage
            | FeedbackReview
            | PeopleFind => None,
        },
        Role::CommunityLead => match action {
            AggregatesView => Some(All),
            ReferralView
            | ReferralTriage
            | ReferralSubmit
            | WorkAssign
            | ParticipantView
            | ParticipantEdit
            | CaseloadTeam
            | HealthNotesView
            | SubstanceUseNotesView
            | ConsentManage
            | LegalCoordinate
            | OwgRun
            | OwgAttend
            | BreakGlass
            | BreakGlassReview
            | DeidentifiedExtract
            | ResultsPublish
            | UsersManage
            | SettingsManage
            | AuditView
            | OutboxView
            | PeopleMerge
            | BookingsImport
            | BookingsReview
            | PolicyManage
            | FeedbackReview
            | PeopleFind => None,
        },
        Role::Evaluator => match action {
            AggregatesView | DeidentifiedExtract => Some(All),
            ReferralView
            | ReferralTriage
            | ReferralSubmit
            | WorkAssign
            | ParticipantView
            | ParticipantEdit
            | CaseloadTeam
            | HealthNotesView
            | SubstanceUseNotesView
            | ConsentManage
            | LegalCoordinate
            | OwgRun
            | OwgAttend
            | BreakGlass
            | BreakGlassReview
            | ResultsPublish
            | UsersManage
            | SettingsManage
            | AuditView
            | OutboxView
            | PeopleMerge
            | BookingsImport
            | BookingsReview
            | PolicyManage
            | FeedbackReview
            | PeopleFind => None,
        },
        Role::Admin => match action {
            UsersManage | SettingsManage | AuditView | OutboxView | BookingsImport
            | PolicyManage => Some(All),
            ReferralView
            | ReferralTriage
            | ReferralSubmit
            | WorkAssign
            | ParticipantView
            | ParticipantEdit
            | CaseloadTeam
            | HealthNotesView
            | SubstanceUseNotesView
            | ConsentManage
            | LegalCoordinate
            | OwgRun
            | OwgAttend
            | BreakGlass
            | BreakGlassReview
            | AggregatesView
            | DeidentifiedExtract
            | ResultsPublish
            | PeopleMerge
            | BookingsReview
            | FeedbackReview
            | PeopleFind => None,
        },
    }
}

/// The matrix as a Markdown table: one row per action, one column per role.
pub fn matrix_markdown() -> String {
    let mut out = String::from("| action |");
    for role in Role::ALL {
        out.push_str(&format!(" {role} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(Role::ALL.len()));
    out.push('\n');
    for action in Action::ALL {
        out.push_str(&format!("| `{}` |", action.code()));
        for role in Role::ALL {
            let cell = allowed(role, action).map_or("—", Scope::code);
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substance_use_notes_never_reach_the_legal_system_or_aggregate_roles() {
        for role in [
            Role::LegalLiaison,
            Role::CommunityLead,
            Role::Evaluator,
            Role::Admin,
        ] {
            assert_eq!(allowed(role, Action::SubstanceUseNotesView), None, "{role}");
            assert_eq!(allowed(role, Action::HealthNotesView), None, "{role}");
        }
    }

    #[test]
    fn legal_liaisons_see_only_what_consent_covers() {
        for action in Action::ALL {
            match allowed(Role::LegalLiaison, action) {
                // Referring, and sending a booking feed in (which tells only counts back),
                // are the only things a liaison does without a participant's consent.
                Some(Scope::All) => assert!(
                    matches!(action, Action::ReferralSubmit | Action::BookingsImport),
                    "{} is unconditional",
                    action.code()
                ),
                Some(Scope::Own) => panic!("{} has no caseload", action.code()),
                Some(Scope::Consented) | None => {}
            }
        }
    }

    #[test]
    fn aggregate_roles_and_admins_touch_no_identifiable_person() {
        for role in [Role::CommunityLead, Role::Evaluator, Role::Admin] {
            let personal: Vec<_> = Action::ALL
                .iter()
                // The administrator's two windows on the system itself: the audit log, and the
                // outbox of emails to referrers (their addresses, never a participant's record);
                // and the booking feed, which takes names in and tells only counts back.
                .filter(|a| {
                    a.is_personal()
                        && !matches!(
                            **a,
                            Action::AuditView | Action::OutboxView | Action::BookingsImport
                        )
                        && allowed(role, **a).is_some()
                })
                .collect();
            assert!(personal.is_empty(), "{role}: {personal:?}");
            assert!(!role.sees_personal_data() || role == Role::Admin, "{role}");
        }
    }

    #[test]
    fn only_administrators_and_project_managers_manage_accounts() {
        let managers: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| allowed(*r, Action::UsersManage).is_some())
            .collect();
        assert_eq!(managers, vec![Role::ProjectManager, Role::Admin]);
    }

    #[test]
    fn every_role_can_do_something_and_roles_round_trip() {
        for role in Role::ALL {
            assert!(
                Action::ALL.iter().any(|a| allowed(role, *a).is_some()),
                "{role} can do nothing"
            );
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn the_markdown_has_a_row_per_action_and_a_column_per_role() {
        let md = matrix_markdown();
        assert_eq!(md.lines().count(), 2 + Action::ALL.len());
        assert!(
            md.lines()
                .all(|l| l.matches('|').count() == Role::ALL.len() + 2)
        );
        assert!(md.contains("| `notes.part2.view` | own | all | — | — | — | — |"));
    }
}
