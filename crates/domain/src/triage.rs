//! Triage: the rules for working a referral from the queue to enrolment or closure.
//!
//! The response clock, which moves a referral may make and what each move must say,
//! the screening checklist (its rules come from the site profile) and when outreach has gone
//! on long enough to suggest "unable to locate". No I/O: the store records, this decides.

use jiff::SignedDuration;
use time::OffsetDateTime;

use crate::calendar::{BusinessCalendar, from_offset_date_time};
use crate::referral::{AgeRange, ReferralState, code_enum};
use crate::text::{self, FieldError, FormErrors, limits};

code_enum!(
    /// How staff reached the referrer.
    ContactMethod {
        Call => "call",
        Text => "text",
        Email => "email",
        InPerson => "in_person",
        Voicemail => "voicemail",
    }
);

code_enum!(
    /// Why a referral was closed without enrolment or a link.
    ClosureReason {
        Duplicate => "duplicate",
        Withdrawn => "withdrawn",
        NotEligible => "not_eligible",
        UnableToLocate => "unable_to_locate",
        Declined => "declined",
        Other => "other",
    }
);

/// Where a referral's one-business-day clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Someone answered (acknowledged the referrer, or started work on it). `at` is unknown
    /// for referrals moved on before the time was recorded.
    Answered {
        at: Option<OffsetDateTime>,
        late: bool,
    },
    /// Not answered yet; this much open time is left.
    Running { left: SignedDuration },
    /// Not answered and past due by this much open time.
    Overdue { by: SignedDuration },
}

impl Clock {
    /// The clock of something due at `due`, answered at `answered` (if it was); `waiting`
    /// when it still stands where it needs an answer (a referral or inquiry "received": one
    /// moved on before answer times were recorded counts as answered). Time is counted in the
    /// site's open hours, so a weekend does not make a referral "two days late".
    pub fn of(
        calendar: &BusinessCalendar,
        waiting: bool,
        due: OffsetDateTime,
        answered: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Clock {
        if answered.is_some() || !waiting {
            return Clock::Answered {
                at: answered,
                late: answered.is_some_and(|at| at > due),
            };
        }
        let (due, now) = (from_offset_date_time(due), from_offset_date_time(now));
        if now < due {
            Clock::Running {
                left: calendar.open_time_between(now, due),
            }
        } else {
            Clock::Overdue {
                by: calendar.open_time_between(due, now),
            }
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Clock::Overdue { .. })
    }
}

/// What a referrer may be told about their referral: nothing about the person, nothing that
/// says whether LEAD knew them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicStatus {
    Received,
    BeingWorked,
    Closed,
}

impl PublicStatus {
    pub fn of(state: ReferralState) -> PublicStatus {
        use ReferralState::*;
        match state {
            Received => PublicStatus::Received,
            Acknowledged | Screening | Outreach | UnableToLocate | Declined | NotEligible => {
                PublicStatus::BeingWorked
            }
            Enrolled | Linked | Closed => PublicStatus::Closed,
        }
    }
}

/// Why a move was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("a referral that is {from} cannot move to {to}")]
    NotAllowed {
        from: ReferralState,
        to: ReferralState,
    },
    #[error("say why the referral moves to {0}")]
    ReasonRequired(ReferralState),
    #[error("choose why the referral is closed")]
    ClosureRequired,
    #[error("a referral moves to {0} through its own step, which records what that needs")]
    OwnStep(ReferralState),
}

/// A move a person asks for: where to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub to: ReferralState,
    pub reason: Option<String>,
    /// Only for moves to `Closed`.
    pub closure: Option<ClosureReason>,
}

impl Move {
    /// Checks the move from `from`: it must be in the machine's table, and moves that end or
    /// pause the work must say why.
    pub fn check(&self, from: ReferralState) -> Result<(), MoveError> {
        if !from.can_move_to(self.to) {
            return Err(MoveError::NotAllowed { from, to: self.to });
        }
        if self.to == ReferralState::Closed {
            match self.closure {
                None => return Err(MoveError::ClosureRequired),
                Some(ClosureReason::Other) if self.reason.is_none() => {
                    return Err(MoveError::ReasonRequired(self.to));
                }
                Some(_) => {}
            }
        }
        if needs_reason(self.to) && self.reason.is_none() {
            return Err(MoveError::ReasonRequired(self.to));
        }
        Ok(())
    }
}

/// Whether the "change the stage" form may make this move. The other moves have their own
/// step, which records what they need: answering the referrer (a contact), screening (its
/// checklist), linking (a participant), enrolling (a person and their agreement).
pub fn by_hand(from: ReferralState, to: ReferralState) -> bool {
    use ReferralState::*;
    from.can_move_to(to)
        && match to {
            UnableToLocate | Declined | Closed => true,
            Outreach => matches!(from, UnableToLocate | Declined),
            Received | Acknowledged | Screening | NotEligible | Enrolled | Linked => false,
        }
}

/// Moves that pause or end the work without enrolment are explained in words.
pub fn needs_reason(to: ReferralState) -> bool {
    matches!(
        to,
        ReferralState::NotEligible | ReferralState::UnableToLocate | ReferralState::Declined
    )
}

/// One screening criterion, as the site defines it (its label is shown to staff).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct NexusOption {
    pub key: String,
    pub label: String,
}

/// The site's screening rules (from its profile).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ScreeningRules {
    /// Youngest age served.
    pub min_age: u8,
    /// Whether the person must live in or frequent the corridor.
    pub corridor: bool,
    /// The needs of which at least one must underlie the conduct.
    pub nexus: Vec<NexusOption>,
}

impl Default for ScreeningRules {
    fn default() -> Self {
        let option = |key: &str, label: &str| NexusOption {
            key: key.into(),
            label: label.into(),
        };
        Self {
            min_age: 18,
            corridor: true,
            nexus: vec![
                option("substance_use", "Substance use"),
                option("mental_illness", "Mental illness"),
                option("extreme_poverty", "Extreme poverty"),
            ],
        }
    }
}

/// The screening form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreeningInput {
    /// "yes" / "no": lives in or frequents the corridor.
    pub corridor: String,
    /// "yes" / "no": is (or appears) at least the minimum age.
    pub adult: String,
    pub nexus: Vec<String>,
    /// "yes" / "no": a conflict with a current participant (a no-contact order, say).
    pub conflict: String,
    pub note: String,
}

/// A screening's recorded evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screening {
    pub corridor: bool,
    pub adult: bool,
    pub nexus: Vec<String>,
    pub conflict: bool,
    pub note: Option<String>,
}

/// Why a screened referral does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmet {
    Corridor,
    Age,
    Nexus,
    Conflict,
}

impl Unmet {
    pub fn describe(self) -> &'static str {
        match self {
            Unmet::Corridor => "does not live in or frequent the corridor",
            Unmet::Age => "under the minimum age",
            Unmet::Nexus => "no link to substance use, mental illness or extreme poverty",
            Unmet::Conflict => "conflict with a current participant",
        }
    }
}

fn yes_no(raw: &str) -> Result<bool, FieldError> {
    match raw {
        "yes" => Ok(true),
        "no" => Ok(false),
        "" => Err(FieldError::Required),
        _ => Err(FieldError::Choice),
    }
}

impl ScreeningInput {
    pub fn parse(&self, rules: &ScreeningRules) -> Result<Screening, FormErrors> {
        let mut errors = FormErrors::default();
        let corridor = if rules.corridor {
            errors.take("corridor", yes_no(&self.corridor))
        } else {
            Some(true)
        };
        let adult = errors.take("adult", yes_no(&self.adult));
        let conflict = errors.take("conflict", yes_no(&self.conflict));
        let mut nexus = Vec::new();
        for key in &self.nexus {
            if !rules.nexus.iter().any(|n| &n.key == key) {
                errors.add("nexus", FieldError::Choice);
            } else if !nexus.contains(key) {
                nexus.push(key.clone());
            }
        }
        let note = errors.take("note", text::optional(&self.note, limits::DESCRIPTION));
        match (corridor, adult, conflict, note) {
            (Some(corridor), Some(adult), Some(conflict), Some(note)) if errors.is_empty() => {
                Ok(Screening {
                    corridor,
                    adult,
                    nexus,
                    conflict,
                    note,
                })
            }
            _ => Err(errors),
        }
    }

    /// The answers a referral suggests before anyone has asked: the corridor when every
    /// place picked lies in it (the site's places all do), adulthood from the age range.
    /// Staff confirm or change them.
    pub fn suggested(places_picked: bool, age: AgeRange) -> ScreeningInput {
        ScreeningInput {
            corridor: if places_picked {
                "yes".into()
            } else {
                String::new()
            },
            adult: match age {
                AgeRange::Unknown => String::new(),
                AgeRange::Under18 => "no".into(),
                _ => "yes".into(),
            },
            ..Default::default()
        }
    }
}

impl Screening {
    /// Every criterion the screening does not meet; empty means eligible.
    pub fn unmet(&self) -> Vec<Unmet> {
        let mut unmet = Vec::new();
        if !self.corridor {
            unmet.push(Unmet::Corridor);
        }
        if !self.adult {
            unmet.push(Unmet::Age);
        }
        if self.nexus.is_empty() {
            unmet.push(Unmet::Nexus);
        }
        if self.conflict {
            unmet.push(Unmet::Conflict);
        }
        unmet
    }

    pub fn is_eligible(&self) -> bool {
        self.unmet().is_empty()
    }
}

/// When to suggest that a person cannot be found (from the site profile). Never automatic:
/// the suggestion is shown, a person decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct OutreachRules {
    /// At least this many attempts without finding the person…
    pub suggest_after_attempts: u32,
    /// …spread over at least this many days.
    pub suggest_after_days: u32,
}

impl Default for OutreachRules {
    fn default() -> Self {
        Self {
            suggest_after_attempts: 5,
            suggest_after_days: 14,
        }
    }
}

/// One outreach attempt, as the rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub at: OffsetDateTime,
    pub found: bool,
}

impl OutreachRules {
    /// Whether to suggest "unable to locate": enough attempts since the person was last
    /// found (or ever), spread over enough days.
    pub fn suggests_unable_to_locate(&self, attempts: &[Attempt]) -> bool {
        let last_found = attempts.iter().filter(|a| a.found).map(|a| a.at).max();
        let misses: Vec<OffsetDateTime> = attempts
            .iter()
            .filter(|a| !a.found && last_found.is_none_or(|f| a.at > f))
            .map(|a| a.at)
            .collect();
        let (Some(first), Some(last)) = (misses.iter().min(), misses.iter().max()) else {
            return false;
        };
        let enough = u32::try_from(misses.len()).unwrap_or(u32::MAX) >= self.suggest_after_attempts;
        enough && (*last - *first) >= time::Duration::days(i64::from(self.suggest_after_days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cal() -> BusinessCalendar {
        crate::SiteProfile::minneapolis().unwrap().calendar
    }

    fn chicago(y: i32, m: u8, d: u8, h: u8, min: u8) -> OffsetDateTime {
        // Central Standard Time (UTC−6) in December.
        time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d)
            .unwrap()
            .with_hms(h, min, 0)
            .unwrap()
            .assume_offset(time::UtcOffset::from_hms(-6, 0, 0).unwrap())
    }

    #[test]
    fn friday_afternoon_is_due_monday_afternoon() {
        let received = chicago(2026, 12, 4, 15, 30);
        let due =
            crate::calendar::to_offset_date_time(cal().due(from_offset_date_time(received), 1));
        assert_eq!(due, chicago(2026, 12, 7, 15, 30));
        // Saturday noon: still running, with Monday's 6.5 open hours left.
        let clock = Clock::of(&cal(), true, due, None, chicago(2026, 12, 5, 12, 0));
        assert_eq!(
            clock,
            Clock::Running {
                left: SignedDuration::from_mins(390)
            }
        );
        // Tuesday 10:00: overdue by the open time since Monday 15:30 (30 min + 1 h).
        let clock = Clock::of(&cal(), true, due, None, chicago(2026, 12, 8, 10, 0));
        assert_eq!(
            clock,
            Clock::Overdue {
                by: SignedDuration::from_mins(90)
            }
        );
    }

    #[test]
    fn an_answer_stops_the_clock() {
        let due = chicago(2026, 12, 7, 15, 30);
        let late = Clock::of(
            &cal(),
            false,
            due,
            Some(chicago(2026, 12, 8, 9, 5)),
            chicago(2026, 12, 20, 9, 0),
        );
        assert_eq!(
            late,
            Clock::Answered {
                at: Some(chicago(2026, 12, 8, 9, 5)),
                late: true
            }
        );
        assert!(!late.is_overdue());
        // Moved on before answer times were recorded: answered, time unknown.
        let moved = Clock::of(&cal(), false, due, None, due);
        assert_eq!(
            moved,
            Clock::Answered {
                at: None,
                late: false
            }
        );
    }

    #[test]
    fn the_referrer_learns_nothing_personal() {
        // Enrolled, linked and closed read the same: whether LEAD knew the person stays unsaid.
        for s in [
            ReferralState::Enrolled,
            ReferralState::Linked,
            ReferralState::Closed,
        ] {
            assert_eq!(PublicStatus::of(s), PublicStatus::Closed);
        }
        assert_eq!(
            PublicStatus::of(ReferralState::NotEligible),
            PublicStatus::BeingWorked
        );
    }

    #[test]
    fn closing_says_why() {
        let close = |closure, reason: Option<&str>| Move {
            to: ReferralState::Closed,
            reason: reason.map(str::to_owned),
            closure,
        };
        let from = ReferralState::Outreach;
        assert_eq!(
            close(None, None).check(from),
            Err(MoveError::ClosureRequired)
        );
        assert_eq!(
            close(Some(ClosureReason::Other), None).check(from),
            Err(MoveError::ReasonRequired(ReferralState::Closed))
        );
        assert_eq!(
            close(Some(ClosureReason::Duplicate), None).check(from),
            Ok(())
        );
        let decline = Move {
            to: ReferralState::Declined,
            reason: None,
            closure: None,
        };
        assert_eq!(
            decline.check(from),
            Err(MoveError::ReasonRequired(ReferralState::Declined))
        );
        let back = Move {
            to: ReferralState::Received,
            reason: Some("oops".into()),
            closure: None,
        };
        assert_eq!(
            back.check(from),
            Err(MoveError::NotAllowed {
                from,
                to: ReferralState::Received
            })
        );
    }

    #[test]
    fn screening_needs_every_answer_and_lists_what_is_unmet() {
        let rules = ScreeningRules::default();
        let errors = ScreeningInput::default().parse(&rules).unwrap_err();
        for field in ["corridor", "adult", "conflict"] {
            assert_eq!(errors.get(field), Some(&FieldError::Required), "{field}");
        }
        let input = ScreeningInput {
            corridor: "yes".into(),
            adult: "yes".into(),
            nexus: vec!["substance_use".into(), "substance_use".into()],
            conflict: "no".into(),
            note: String::new(),
        };
        let screening = input.parse(&rules).unwrap();
        assert!(screening.is_eligible());
        assert_eq!(screening.nexus, vec!["substance_use"]);
        let no = ScreeningInput {
            adult: "no".into(),
            nexus: vec![],
            conflict: "yes".into(),
            ..input.clone()
        };
        assert_eq!(
            no.parse(&rules).unwrap().unmet(),
            vec![Unmet::Age, Unmet::Nexus, Unmet::Conflict]
        );
        let bad = ScreeningInput {
            nexus: vec!["jaywalking".into()],
            ..input
        };
        assert_eq!(
            bad.parse(&rules).unwrap_err().get("nexus"),
            Some(&FieldError::Choice)
        );
    }

    #[test]
    fn a_site_without_a_corridor_rule_does_not_ask() {
        let rules = ScreeningRules {
            corridor: false,
            ..Default::default()
        };
        let input = ScreeningInput {
            adult: "yes".into(),
            nexus: vec!["mental_illness".into()],
            conflict: "no".into(),
            ..Default::default()
        };
        assert!(input.parse(&rules).unwrap().is_eligible());
    }

    #[test]
    fn suggestions_come_from_the_referral() {
        let s = ScreeningInput::suggested(true, AgeRange::Under18);
        assert_eq!((s.corridor.as_str(), s.adult.as_str()), ("yes", "no"));
        let s = ScreeningInput::suggested(false, AgeRange::Unknown);
        assert_eq!((s.corridor.as_str(), s.adult.as_str()), ("", ""));
    }

    #[test]
    fn unable_to_locate_is_suggested_after_enough_misses_over_enough_days() {
        let rules = OutreachRules {
            suggest_after_attempts: 3,
            suggest_after_days: 7,
        };
        let day = |d: i64, found| Attempt {
            at: chicago(2026, 12, 1, 12, 0) + time::Duration::days(d),
            found,
        };
        assert!(!rules.suggests_unable_to_locate(&[]));
        assert!(!rules.suggests_unable_to_locate(&[day(0, false), day(1, false), day(2, false)]));
        assert!(rules.suggests_unable_to_locate(&[day(0, false), day(3, false), day(7, false)]));
        // Found on day 3: only the misses after it count.
        assert!(!rules.suggests_unable_to_locate(&[
            day(0, false),
            day(3, true),
            day(5, false),
            day(12, false)
        ]));
    }

    #[test]
    fn steps_with_their_own_form_are_not_moves_by_hand() {
        use ReferralState::*;
        assert!(!by_hand(Outreach, Enrolled));
        assert!(!by_hand(Received, Linked));
        assert!(!by_hand(Received, Acknowledged));
        assert!(
            !by_hand(Screening, Outreach),
            "outreach comes from a screening"
        );
        assert!(by_hand(UnableToLocate, Outreach), "looking again");
        assert!(by_hand(Received, Closed));
        for from in ReferralState::ALL {
            for to in ReferralState::ALL {
                if by_hand(*from, *to) {
                    assert!(from.can_move_to(*to), "{from} -> {to}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn a_running_clock_and_its_due_time_agree(secs in 1_750_000_000i64..1_850_000_000, ahead in 0i64..400_000) {
            let cal = cal();
            let received = OffsetDateTime::from_unix_timestamp(secs).unwrap();
            let due = crate::calendar::to_offset_date_time(cal.due(from_offset_date_time(received), 1));
            let now = received + time::Duration::seconds(ahead);
            match Clock::of(&cal, true, due, None, now) {
                Clock::Running { left } => {
                    prop_assert!(now < due);
                    prop_assert!(left <= cal.day_length());
                }
                Clock::Overdue { by } => {
                    prop_assert!(now >= due);
                    prop_assert!(by >= SignedDuration::ZERO);
                }
                Clock::Answered { .. } => prop_assert!(false, "unanswered"),
            }
        }

        #[test]
        fn every_move_the_table_allows_passes_with_its_reasons(from in 0usize..10, to in 0usize..10) {
            let (from, to) = (ReferralState::ALL[from], ReferralState::ALL[to]);
            let full = Move { to, reason: Some("because".into()), closure: Some(ClosureReason::Other) };
            prop_assert_eq!(full.check(from).is_ok(), from.can_move_to(to));
            let bare = Move { to, reason: None, closure: None };
            if bare.check(from).is_ok() {
                prop_assert!(from.can_move_to(to) && !needs_reason(to) && to != ReferralState::Closed);
            }
        }
    }
}
