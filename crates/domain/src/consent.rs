//! Releases of information (consent to disclose) and the sensitivity labels that decide what a
//! legal-system role may ever learn about a participant.
//!
//! A release names the elements 42 CFR 2.31 requires: who may disclose, what, to whom (a named
//! organisation or a class of recipients), for what purpose, until when, and when it was
//! signed. It can be revoked. A legal-system role sees only the categories an active release
//! to its organisation covers, and never anything labelled substance use (Part 2), whatever a
//! release says: that rule is here, in one function every path uses.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;

/// How sensitive a note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sensitivity {
    General,
    /// Physical or mental health.
    Health,
    /// Substance use treatment information protected by 42 CFR Part 2.
    SubstanceUse,
}

impl Sensitivity {
    pub const ALL: [Sensitivity; 3] = [
        Sensitivity::General,
        Sensitivity::Health,
        Sensitivity::SubstanceUse,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Sensitivity::General => "general",
            Sensitivity::Health => "health",
            Sensitivity::SubstanceUse => "substance_use",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code {0:?}")]
pub struct UnknownCode(pub String);

impl FromStr for Sensitivity {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.code() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

/// What a release may allow to be told to the legal system (DESIGN: whether the person works
/// with LEAD, who their case manager is, their progress and their barriers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// That the person is enrolled with LEAD, and since when.
    Participation,
    /// Who the case manager is.
    CaseManager,
    /// Engagement: how often and how lately they have been in contact.
    Progress,
    /// General notes (never health or substance-use notes).
    Barriers,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Participation,
        Category::CaseManager,
        Category::Progress,
        Category::Barriers,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Participation => "participation",
            Category::CaseManager => "case_manager",
            Category::Progress => "progress",
            Category::Barriers => "barriers",
        }
    }
}

impl FromStr for Category {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.code() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The statement every disclosure under a release carries (42 CFR 2.32(a)(1), the short form
/// the regulation allows).
pub const REDISCLOSURE_NOTICE: &str =
    "42 CFR part 2 prohibits unauthorized use or disclosure of these records.";

/// A release of information, with its 42 CFR 2.31 elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Who may disclose (the program or person).
    pub discloser: String,
    /// To whom: an organisation's name, or a class of recipients.
    pub recipient: String,
    /// What may be disclosed.
    pub covers: BTreeSet<Category>,
    pub purpose: String,
    pub signed_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

impl Release {
    /// Signed, not yet expired, not revoked, at `now`.
    pub fn is_active(&self, now: OffsetDateTime) -> bool {
        self.signed_at <= now
            && now < self.expires_at
            && self.revoked_at.is_none_or(|revoked| now < revoked)
    }

    /// Whether the release is to `organisation` (names compared without case or spacing
    /// differences).
    pub fn is_to(&self, organisation: &str) -> bool {
        let norm = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        !organisation.trim().is_empty() && norm(&self.recipient) == norm(organisation)
    }
}

/// Whether a note with `label` may be shown to someone who sees a participant under a
/// release covering `covers`. Substance-use notes: never. Health notes: never (no category
/// covers them). General notes: only when the release covers barriers.
pub fn note_disclosable(label: Sensitivity, covers: &BTreeSet<Category>) -> bool {
    match label {
        Sensitivity::SubstanceUse | Sensitivity::Health => false,
        Sensitivity::General => covers.contains(&Category::Barriers),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn release() -> Release {
        Release {
            discloser: "LEAD Minneapolis case management".into(),
            recipient: "Hennepin County Attorney's Office".into(),
            covers: [Category::Participation, Category::Barriers].into(),
            purpose: "coordinate a pending case".into(),
            signed_at: datetime!(2026-01-10 15:00 UTC),
            expires_at: datetime!(2027-01-10 15:00 UTC),
            revoked_at: None,
        }
    }

    #[test]
    fn a_release_is_active_between_signature_and_expiry_until_revoked() {
        let mut r = release();
        assert!(!r.is_active(datetime!(2026-01-10 14:59 UTC)));
        assert!(r.is_active(datetime!(2026-06-01 12:00 UTC)));
        assert!(!r.is_active(datetime!(2027-01-10 15:00 UTC)));
        r.revoked_at = Some(datetime!(2026-03-01 00:00 UTC));
        assert!(r.is_active(datetime!(2026-02-28 23:59 UTC)));
        assert!(!r.is_active(datetime!(2026-03-01 00:00 UTC)));
    }

    #[test]
    fn a_release_names_its_recipient_loosely_but_never_matches_nobody() {
        let r = release();
        assert!(r.is_to("hennepin  county attorney's office"));
        assert!(!r.is_to("Minneapolis Police Department"));
        assert!(!r.is_to("  "));
    }

    #[test]
    fn substance_use_and_health_notes_are_never_disclosed() {
        let all: BTreeSet<Category> = Category::ALL.into();
        assert!(!note_disclosable(Sensitivity::SubstanceUse, &all));
        assert!(!note_disclosable(Sensitivity::Health, &all));
        assert!(note_disclosable(Sensitivity::General, &all));
        assert!(!note_disclosable(
            Sensitivity::General,
            &[Category::Progress].into()
        ));
    }
}
