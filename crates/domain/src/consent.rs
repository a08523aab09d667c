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

use crate::access::Action;
use crate::calendar::to_offset_date_time;
use crate::site::SiteProfile;
use crate::text::{self, FieldError, FormErrors, limits};

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

    /// The permission it takes to read what carries this label (notes, plan goals,
    /// referrals out); `None` for what anyone who may open the record sees.
    pub fn read_permission(self) -> Option<Action> {
        match self {
            Sensitivity::General => None,
            Sensitivity::Health => Some(Action::HealthNotesView),
            Sensitivity::SubstanceUse => Some(Action::SubstanceUseNotesView),
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
    /// The participant's legal matters and the coordination on them (never anything
    /// labelled health or substance use, such as the plan goals they serve).
    Legal,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Participation,
        Category::CaseManager,
        Category::Progress,
        Category::Barriers,
        Category::Legal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Participation => "participation",
            Category::CaseManager => "case_manager",
            Category::Progress => "progress",
            Category::Barriers => "barriers",
            Category::Legal => "legal",
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

/// A release of information as typed on the record page. Dates are days on the site's
/// clock: in force from the start of the day it was signed through the end of its last day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseInput {
    pub discloser: String,
    pub recipient: String,
    pub covers: Vec<String>,
    pub purpose: String,
    pub signed_on: String,
    pub expires_on: String,
}

impl ReleaseInput {
    pub fn parse(&self, site: &SiteProfile, now: OffsetDateTime) -> Result<Release, FormErrors> {
        let mut errors = FormErrors::default();
        let discloser = errors.take("discloser", text::required(&self.discloser, limits::SHORT));
        let recipient = errors.take("recipient", text::required(&self.recipient, limits::SHORT));
        let covers = errors.take("covers", parse_covers(&self.covers));
        let purpose = errors.take(
            "purpose",
            text::required(&self.purpose, limits::DESCRIPTION),
        );
        let tz = site.calendar.time_zone();
        let today = site.calendar.day_of(now);
        let signed = errors
            .take("signed_on", parse_day(&self.signed_on))
            .and_then(|d| {
                if d > today {
                    errors.add("signed_on", FieldError::Future);
                    None
                } else {
                    Some(d)
                }
            });
        let expires = errors
            .take("expires_on", parse_day(&self.expires_on))
            .and_then(|d| {
                if d < today || signed.is_some_and(|s| d < s) {
                    errors.add("expires_on", FieldError::EndsTooSoon);
                    None
                } else {
                    Some(d)
                }
            });
        let start_of = |day: jiff::civil::Date| {
            day.to_zoned(tz.clone())
                .map(|z| to_offset_date_time(z.timestamp()))
                .map_err(|_| FieldError::Choice)
        };
        let signed_at = signed.and_then(|d| errors.take("signed_on", start_of(d)));
        let expires_at = expires.and_then(|d| {
            let next = d.tomorrow().map_err(|_| FieldError::Choice);
            errors.take("expires_on", next.and_then(start_of))
        });
        match (discloser, recipient, covers, purpose, signed_at, expires_at) {
            (
                Some(discloser),
                Some(recipient),
                Some(covers),
                Some(purpose),
                Some(signed_at),
                Some(expires_at),
            ) => Ok(Release {
                discloser,
                recipient,
                covers,
                purpose,
                signed_at,
                expires_at,
                revoked_at: None,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_covers(raw: &[String]) -> Result<BTreeSet<Category>, FieldError> {
    let covers: BTreeSet<Category> = raw
        .iter()
        .map(|c| c.trim().parse().map_err(|_| FieldError::Choice))
        .collect::<Result<_, _>>()?;
    if covers.is_empty() {
        return Err(FieldError::Required);
    }
    Ok(covers)
}

/// A day typed as YYYY-MM-DD (what a date input sends).
pub(crate) fn parse_day(raw: &str) -> Result<jiff::civil::Date, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::Required);
    }
    raw.parse().map_err(|_| FieldError::Choice)
}

/// A labelled note as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteInput {
    pub sensitivity: String,
    pub body: String,
}

impl NoteInput {
    pub fn parse(&self) -> Result<(Sensitivity, String), FormErrors> {
        let mut errors = FormErrors::default();
        let label = errors.take(
            "sensitivity",
            self.sensitivity
                .trim()
                .parse::<Sensitivity>()
                .map_err(|_| FieldError::Choice),
        );
        let body = errors.take("body", text::required(&self.body, limits::LONG));
        match (label, body) {
            (Some(label), Some(body)) => Ok((label, body)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_participants_team_reads_health_and_substance_use() {
        use crate::access::{Role, allowed};
        for role in Role::ALL {
            let reads = |label: Sensitivity| {
                label
                    .read_permission()
                    .is_none_or(|action| allowed(role, action).is_some())
            };
            let team = matches!(role, Role::CaseManager | Role::ProjectManager);
            assert!(reads(Sensitivity::General), "{role}");
            assert_eq!(reads(Sensitivity::Health), team, "{role}");
            assert_eq!(reads(Sensitivity::SubstanceUse), team, "{role}");
        }
    }
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

    fn now() -> OffsetDateTime {
        // 2026-12-01 12:00 in Minneapolis (UTC−6).
        OffsetDateTime::from_unix_timestamp(1_796_148_000).unwrap()
    }

    fn typed() -> ReleaseInput {
        ReleaseInput {
            discloser: "LEAD Minneapolis".into(),
            recipient: "Hennepin County Attorney".into(),
            covers: vec!["participation".into(), "progress".into()],
            purpose: "coordinate a pending case".into(),
            signed_on: "2026-12-01".into(),
            expires_on: "2027-11-30".into(),
        }
    }

    #[test]
    fn a_typed_release_is_in_force_through_its_last_day_on_the_site_clock() {
        let site = SiteProfile::minneapolis().unwrap();
        let r = typed().parse(&site, now()).unwrap();
        assert_eq!(r.signed_at, datetime!(2026-12-01 06:00 UTC));
        assert_eq!(r.expires_at, datetime!(2027-12-01 06:00 UTC));
        assert!(r.is_active(now()));
        assert_eq!(
            r.covers,
            [Category::Participation, Category::Progress].into()
        );
    }

    #[test]
    fn a_typed_release_with_gaps_is_refused_by_field() {
        let site = SiteProfile::minneapolis().unwrap();
        let bad = ReleaseInput {
            recipient: " ".into(),
            covers: vec![],
            signed_on: "2026-12-02".into(),
            expires_on: "2026-11-30".into(),
            ..typed()
        };
        let errors = bad.parse(&site, now()).unwrap_err();
        assert_eq!(errors.get("recipient"), Some(&FieldError::Required));
        assert_eq!(errors.get("covers"), Some(&FieldError::Required));
        assert_eq!(errors.get("signed_on"), Some(&FieldError::Future));
        assert_eq!(errors.get("expires_on"), Some(&FieldError::EndsTooSoon));
        let odd = ReleaseInput {
            covers: vec!["everything".into()],
            signed_on: "yesterday".into(),
            ..typed()
        };
        let errors = odd.parse(&site, now()).unwrap_err();
        assert_eq!(errors.get("covers"), Some(&FieldError::Choice));
        assert_eq!(errors.get("signed_on"), Some(&FieldError::Choice));
    }

    #[test]
    fn a_note_needs_a_label_and_words() {
        let note = NoteInput {
            sensitivity: "substance_use".into(),
            body: " asked about a treatment bed ".into(),
        };
        assert_eq!(
            note.parse().unwrap(),
            (
                Sensitivity::SubstanceUse,
                "asked about a treatment bed".into()
            )
        );
        let errors = NoteInput::default().parse().unwrap_err();
        assert_eq!(errors.get("sensitivity"), Some(&FieldError::Choice));
        assert_eq!(errors.get("body"), Some(&FieldError::Required));
    }
}
