//! Operational Workgroup case conferencing: the meetings (every two weeks by default), the
//! reasons a participant comes onto the agenda, minutes kept to what the group needs to
//! act, and action items with an owner, their agency and a due date.

use time::OffsetDateTime;

use crate::consent::parse_day;
use crate::referral::code_enum;
use crate::site::SiteProfile;
use crate::text::{self, FieldError, FormErrors, limits};

/// Days between meetings unless the group says otherwise.
pub const CADENCE_DAYS: i64 = 14;
/// Court dates this many days after a meeting put the person on its agenda.
pub const COURT_WINDOW_DAYS: i64 = 14;
/// Someone not seen for this many days before a meeting is on its agenda.
pub const NOT_SEEN_DAYS: i64 = 30;
/// Longest minutes of one item: what was agreed and why, not a case note.
pub const MINUTES_MAX: usize = 600;
/// Longest action item.
pub const ACTION_MAX: usize = 300;

code_enum!(
    /// Why an item is on a meeting's agenda.
    Flag {
        /// Booked or newly charged since the last meeting (from a booking feed).
        NewBooking => "new_booking",
        /// A court date within `COURT_WINDOW_DAYS` of the meeting.
        CourtSoon => "court_soon",
        /// A warrant is out on an open matter.
        Warrant => "warrant",
        /// A referral past its one-business-day answer.
        ReferralOverdue => "referral_overdue",
        /// No contact for `NOT_SEEN_DAYS`.
        NotSeen => "not_seen",
        /// An action item from an earlier meeting is past due and not done.
        ActionOverdue => "action_overdue",
        /// An action item from an earlier meeting, not done yet, to follow up.
        FollowUp => "follow_up",
        /// Put on the agenda by hand.
        Added => "added",
    }
);

impl Flag {
    /// Whether the reason is about the legal system (and so reaches a liaison under a release
    /// covering legal matters); the others are casework, told only to LEAD's own staff.
    pub fn is_legal(self) -> bool {
        matches!(self, Flag::NewBooking | Flag::CourtSoon | Flag::Warrant)
    }
}

/// The form that plans a meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingInput {
    /// `2026-12-15T14:00`, as a `datetime-local` field sends it.
    pub starts_at: String,
    pub place: String,
}

/// A meeting to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeeting {
    pub starts_at: OffsetDateTime,
    /// Its day on the site's clock.
    pub day: jiff::civil::Date,
    pub place: String,
}

impl MeetingInput {
    pub fn parse(&self, site: &SiteProfile) -> Result<NewMeeting, FormErrors> {
        let mut errors = FormErrors::default();
        let starts_at = errors.take(
            "starts_at",
            match self.starts_at.trim() {
                "" => Err(FieldError::Required),
                raw => site.local_time(raw).and_then(|at| {
                    let local: jiff::civil::DateTime =
                        raw.parse().map_err(|_| FieldError::Choice)?;
                    Ok((at, local.date()))
                }),
            },
        );
        let place = errors.take("place", text::required(&self.place, limits::SHORT));
        match (starts_at, place) {
            (Some((starts_at, day)), Some(place)) => Ok(NewMeeting {
                starts_at,
                day,
                place,
            }),
            _ => Err(errors),
        }
    }
}

/// The form that adds an action item to an agenda item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionInput {
    pub words: String,
    /// Who does it: a person.
    pub owner: String,
    /// And the agency they work for.
    pub agency: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
}

/// An action item as agreed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub words: String,
    pub owner: String,
    pub agency: String,
    pub due_on: jiff::civil::Date,
}

impl ActionInput {
    /// `today` is the site's day now: nothing can be due before it.
    pub fn parse(&self, today: jiff::civil::Date) -> Result<NewAction, FormErrors> {
        let mut errors = FormErrors::default();
        let words = errors.take("words", text::required(&self.words, ACTION_MAX));
        let owner = errors.take("owner", text::required(&self.owner, limits::NAME));
        let agency = errors.take("agency", text::required(&self.agency, limits::NAME));
        let due_on = errors.take(
            "due_on",
            parse_day(&self.due_on).and_then(|day| {
                if day < today {
                    Err(FieldError::Past)
                } else {
                    Ok(day)
                }
            }),
        );
        match (words, owner, agency, due_on) {
            (Some(words), Some(owner), Some(agency), Some(due_on)) => Ok(NewAction {
                words,
                owner,
                agency,
                due_on,
            }),
            _ => Err(errors),
        }
    }
}

/// An item's minutes as typed: empty clears them.
pub fn parse_minutes(raw: &str) -> Result<Option<String>, FormErrors> {
    let mut errors = FormErrors::default();
    match errors.take("minutes", text::optional(raw, MINUTES_MAX)) {
        Some(minutes) => Ok(minutes),
        None => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_needs_a_time_on_the_sites_clock_and_a_place() {
        let site = SiteProfile::minneapolis().unwrap();
        let meeting = MeetingInput {
            starts_at: "2026-12-15T14:00".into(),
            place: "Lake Street office".into(),
        }
        .parse(&site)
        .unwrap();
        assert_eq!(
            meeting.starts_at,
            time::macros::datetime!(2026-12-15 20:00 UTC)
        );
        assert_eq!(meeting.day.to_string(), "2026-12-15");
        let errors = MeetingInput::default().parse(&site).unwrap_err();
        assert_eq!(errors.get("starts_at"), Some(&FieldError::Required));
        assert_eq!(errors.get("place"), Some(&FieldError::Required));
    }

    #[test]
    fn an_action_has_an_owner_an_agency_and_a_due_day_not_past() {
        let today = jiff::civil::date(2026, 12, 3);
        let input = ActionInput {
            words: "Ask the court to reset the hearing".into(),
            owner: "Ana Ruiz".into(),
            agency: "Hennepin County Public Defender".into(),
            due_on: "2026-12-10".into(),
        };
        assert_eq!(input.parse(today).unwrap().due_on.to_string(), "2026-12-10");
        let late = ActionInput {
            due_on: "2026-12-02".into(),
            ..input.clone()
        };
        assert_eq!(
            late.parse(today).unwrap_err().get("due_on"),
            Some(&FieldError::Past)
        );
        let errors = ActionInput::default().parse(today).unwrap_err();
        for field in ["words", "owner", "agency", "due_on"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn minutes_are_short_or_refused() {
        assert_eq!(parse_minutes("  "), Ok(None));
        assert_eq!(
            parse_minutes("Prosecutor agrees to hold filing to January."),
            Ok(Some("Prosecutor agrees to hold filing to January.".into()))
        );
        let long = "x".repeat(MINUTES_MAX + 1);
        assert_eq!(
            parse_minutes(&long).unwrap_err().get("minutes"),
            Some(&FieldError::TooLong { max: MINUTES_MAX })
        );
        assert!(Flag::CourtSoon.is_legal() && !Flag::NotSeen.is_legal());
    }
}
