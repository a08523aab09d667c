//! Participants after enrolment: the contacts case managers log, and whether someone is
//! active or inactive over time.
//!
//! LEAD has no completion and no failing out. "Inactive" only describes contact: a
//! participant not seen for the site's number of days is inactive from then until the next
//! contact, and active again from that contact on. The periods are derived from the contacts
//! themselves (`status_periods`), so a contact logged late puts the history right by itself,
//! and periods can never overlap or leave gaps.

use std::collections::BTreeSet;

use time::{Duration, OffsetDateTime};

use crate::referral::code_enum;
use crate::site::{ActivityRules, SiteProfile, Whereabouts};
use crate::text::{self, FieldError, FormErrors, limits};

code_enum!(
    /// How a case manager was in contact with a participant.
    ContactKind {
        StreetOutreach => "street_outreach",
        Office => "office",
        Phone => "phone",
        Text => "text",
        Accompaniment => "accompaniment",
        CourtSupport => "court_support",
    }
);

code_enum!(
    /// What was given or done during a contact.
    Service {
        HarmReduction => "harm_reduction",
        Food => "food",
        Transport => "transport",
        IdDocuments => "id_documents",
        BenefitsApplication => "benefits_application",
        HousingNavigation => "housing_navigation",
        TreatmentLinkage => "treatment_linkage",
    }
);

/// A contact's length in minutes: at least one, at most a long day (an accompaniment to
/// court and back can take most of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Minutes(u16);

impl Minutes {
    pub const MIN: u16 = 1;
    pub const MAX: u16 = 720;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::Required);
        }
        let range = FieldError::OutOfRange {
            min: i64::from(Self::MIN),
            max: i64::from(Self::MAX),
        };
        let n: u16 = raw.parse().map_err(|_| range.clone())?;
        if (Self::MIN..=Self::MAX).contains(&n) {
            Ok(Self(n))
        } else {
            Err(range)
        }
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

/// A contact time this far ahead of the clock is a phone whose clock is slightly off, not a
/// plan; further ahead it is refused.
const FUTURE_SLACK: Duration = Duration::minutes(5);
/// Contacts may be logged up to this many days late (after a week of outreach rounds
/// without signal, say); anything older is almost surely a typing slip in the year.
pub const LOG_WITHIN_DAYS: u16 = 30;

/// The contact form as typed. `at` empty means now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInput {
    pub at: String,
    pub kind: String,
    pub minutes: String,
    pub place: String,
    pub place_other: String,
    pub point: String,
    pub services: Vec<String>,
    pub note: String,
}

/// A contact ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub at: OffsetDateTime,
    pub kind: ContactKind,
    pub minutes: Minutes,
    pub whereabouts: Whereabouts,
    pub services: BTreeSet<Service>,
    pub note: Option<String>,
}

impl ContactInput {
    pub fn parse(&self, site: &SiteProfile, now: OffsetDateTime) -> Result<NewContact, FormErrors> {
        let mut errors = FormErrors::default();
        let at = errors
            .take("at", parse_when(site, &self.at, now))
            .map(|at| at.unwrap_or(now));
        let kind = errors.take("kind", self.kind.trim().parse::<ContactKind>());
        let minutes = errors.take("minutes", Minutes::parse(&self.minutes));
        let whereabouts =
            site.whereabouts(&self.place, &self.place_other, &self.point, &mut errors);
        let services = errors.take("services", parse_services(&self.services));
        let note = errors.take("note", text::optional(&self.note, limits::DESCRIPTION));
        match (at, kind, minutes, whereabouts, services, note) {
            (
                Some(at),
                Some(kind),
                Some(minutes),
                Some(whereabouts),
                Some(services),
                Some(note),
            ) if errors.is_empty() => Ok(NewContact {
                at,
                kind,
                minutes,
                whereabouts,
                services,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// When something happened, typed on the site's clock: empty is now (`None`), the future is
/// refused, and so is anything more than `LOG_WITHIN_DAYS` ago.
pub fn parse_when(
    site: &SiteProfile,
    raw: &str,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let at = site.local_time(raw)?;
    if at > now + FUTURE_SLACK {
        return Err(FieldError::Future);
    }
    if at < now - Duration::days(i64::from(LOG_WITHIN_DAYS)) {
        return Err(FieldError::TooLongAgo {
            days: LOG_WITHIN_DAYS,
        });
    }
    Ok(Some(at.min(now)))
}

fn parse_services(raw: &[String]) -> Result<BTreeSet<Service>, FieldError> {
    raw.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect()
}

/// Whether a participant is active, as described by their contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Activity {
    Active,
    Inactive,
}

impl Activity {
    pub fn code(self) -> &'static str {
        match self {
            Activity::Active => "active",
            Activity::Inactive => "inactive",
        }
    }
}

/// A stretch of time with one activity status; `until` is `None` for the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusPeriod {
    pub activity: Activity,
    pub from: OffsetDateTime,
    pub until: Option<OffsetDateTime>,
}

impl ActivityRules {
    fn window(&self) -> Duration {
        Duration::days(i64::from(self.inactive_after_days))
    }

    /// The status at `now`, from enrolment and the last contact (enrolment counts as a
    /// contact: a new participant is active).
    pub fn activity(
        &self,
        enrolled_at: OffsetDateTime,
        last_contact: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Activity {
        let last = last_contact.map_or(enrolled_at, |c| c.max(enrolled_at));
        if now - last >= self.window() {
            Activity::Inactive
        } else {
            Activity::Active
        }
    }

    /// Every status period from enrolment to `now`, oldest first. `contacts` may be in any
    /// order; contacts before enrolment or after `now` are ignored.
    pub fn status_periods(
        &self,
        enrolled_at: OffsetDateTime,
        contacts: &[OffsetDateTime],
        now: OffsetDateTime,
    ) -> Vec<StatusPeriod> {
        if now < enrolled_at {
            return Vec::new();
        }
        let mut seen: Vec<OffsetDateTime> = contacts
            .iter()
            .copied()
            .filter(|at| *at >= enrolled_at && *at <= now)
            .collect();
        seen.sort_unstable();
        let window = self.window();
        let mut periods = vec![StatusPeriod {
            activity: Activity::Active,
            from: enrolled_at,
            until: None,
        }];
        let mut last = enrolled_at;
        for at in seen {
            let lapse = last + window;
            if lapse < at {
                // The gap was long enough: inactive from the lapse until this contact.
                start(&mut periods, Activity::Inactive, lapse);
                start(&mut periods, Activity::Active, at);
            }
            last = at;
        }
        let lapse = last + window;
        if lapse <= now {
            start(&mut periods, Activity::Inactive, lapse);
        }
        periods
    }
}

/// Ends the current period at `from` and begins one of `activity`.
fn start(periods: &mut Vec<StatusPeriod>, activity: Activity, from: OffsetDateTime) {
    if let Some(current) = periods.last_mut() {
        current.until = Some(from);
    }
    periods.push(StatusPeriod {
        activity,
        from,
        until: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn site() -> SiteProfile {
        SiteProfile::minneapolis().unwrap()
    }

    fn now() -> OffsetDateTime {
        // 2026-12-01 12:00 in Minneapolis (UTC−6).
        OffsetDateTime::from_unix_timestamp(1_796_148_000).unwrap()
    }

    fn common() -> ContactInput {
        ContactInput {
            kind: "street_outreach".into(),
            minutes: "15".into(),
            place: "lake-chicago".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_common_contact_needs_only_kind_and_minutes_and_happens_now() {
        let contact = common().parse(&site(), now()).unwrap();
        assert_eq!(contact.at, now());
        assert_eq!(contact.kind, ContactKind::StreetOutreach);
        assert_eq!(contact.minutes.get(), 15);
        assert_eq!(contact.whereabouts.place.as_deref(), Some("lake-chicago"));
        assert_eq!(contact.whereabouts.in_corridor, Some(true));
        assert!(contact.services.is_empty());
    }

    #[test]
    fn a_time_is_read_on_the_site_clock() {
        let input = ContactInput {
            at: "2026-12-01T09:30".into(),
            ..common()
        };
        let contact = input.parse(&site(), now()).unwrap();
        assert_eq!(contact.at, now() - Duration::minutes(150));
    }

    #[test]
    fn future_and_old_times_and_bad_minutes_are_refused_by_field() {
        let input = ContactInput {
            at: "2026-12-01T18:00".into(),
            minutes: "0".into(),
            kind: "visit".into(),
            services: vec!["food".into(), "money".into()],
            ..common()
        };
        let errors = input.parse(&site(), now()).unwrap_err();
        assert_eq!(errors.get("at"), Some(&FieldError::Future));
        assert_eq!(
            errors.get("minutes"),
            Some(&FieldError::OutOfRange { min: 1, max: 720 })
        );
        assert_eq!(errors.get("kind"), Some(&FieldError::Choice));
        assert_eq!(errors.get("services"), Some(&FieldError::Choice));
        let old = ContactInput {
            at: "2026-10-01T10:00".into(),
            minutes: "721".into(),
            ..common()
        };
        let errors = old.parse(&site(), now()).unwrap_err();
        assert_eq!(
            errors.get("at"),
            Some(&FieldError::TooLongAgo {
                days: LOG_WITHIN_DAYS
            })
        );
        assert!(errors.get("minutes").is_some());
        let blank = ContactInput {
            minutes: " ".into(),
            ..common()
        };
        assert_eq!(
            blank.parse(&site(), now()).unwrap_err().get("minutes"),
            Some(&FieldError::Required)
        );
    }

    #[test]
    fn a_point_outside_the_corridor_is_kept_and_flagged() {
        let input = ContactInput {
            place: String::new(),
            point: "44.9778,-93.2650".into(),
            ..common()
        };
        let contact = input.parse(&site(), now()).unwrap();
        assert_eq!(contact.whereabouts.in_corridor, Some(false));
        let inside = ContactInput {
            place: String::new(),
            point: "44.9483, -93.2624".into(),
            ..common()
        };
        assert_eq!(
            inside
                .parse(&site(), now())
                .unwrap()
                .whereabouts
                .in_corridor,
            Some(true)
        );
        let nowhere = ContactInput {
            place: String::new(),
            ..common()
        };
        let contact = nowhere.parse(&site(), now()).unwrap();
        assert!(contact.whereabouts.is_empty());
        assert_eq!(contact.whereabouts.in_corridor, None);
    }

    fn days(n: i64) -> Duration {
        Duration::days(n)
    }

    #[test]
    fn inactive_after_the_window_and_active_again_at_the_next_contact() {
        let rules = ActivityRules {
            inactive_after_days: 90,
        };
        let start = now() - days(400);
        let contacts = [start + days(10), start + days(200)];
        let periods = rules.status_periods(start, &contacts, now());
        let expected = [
            (Activity::Active, start, Some(start + days(100))),
            (
                Activity::Inactive,
                start + days(100),
                Some(start + days(200)),
            ),
            (Activity::Active, start + days(200), Some(start + days(290))),
            (Activity::Inactive, start + days(290), None),
        ];
        let got: Vec<_> = periods
            .iter()
            .map(|p| (p.activity, p.from, p.until))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(
            rules.activity(start, Some(start + days(200)), now()),
            Activity::Inactive
        );
        assert_eq!(
            rules.activity(start, Some(now() - days(89)), now()),
            Activity::Active
        );
        // Someone just enrolled is active.
        assert_eq!(rules.activity(now(), None, now()), Activity::Active);
        assert_eq!(
            rules.status_periods(now(), &[], now()),
            vec![StatusPeriod {
                activity: Activity::Active,
                from: now(),
                until: None
            }]
        );
    }

    proptest! {
        /// Periods start at enrolment, follow each other without gaps or overlaps, alternate,
        /// only the last is open, every contact falls in an active period, and the last
        /// period agrees with `activity`.
        #[test]
        fn periods_tile_time_and_agree_with_the_status(
            window in 1u16..200,
            offsets in proptest::collection::vec(-50i64..1_000, 0..30),
            span in 0i64..1_000,
        ) {
            let rules = ActivityRules { inactive_after_days: window };
            let start = now() - days(span);
            let contacts: Vec<_> = offsets.iter().map(|d| start + Duration::hours(d * 24 + d % 7)).collect();
            let periods = rules.status_periods(start, &contacts, now());
            prop_assert!(!periods.is_empty());
            prop_assert_eq!(periods[0].from, start);
            prop_assert_eq!(periods[0].activity, Activity::Active);
            for pair in periods.windows(2) {
                prop_assert_eq!(pair[0].until, Some(pair[1].from));
                prop_assert!(pair[0].from < pair[1].from);
                prop_assert_ne!(pair[0].activity, pair[1].activity);
            }
            let last = periods[periods.len() - 1];
            prop_assert_eq!(last.until, None);
            let latest = contacts.iter().copied().filter(|c| *c >= start && *c <= now()).max();
            prop_assert_eq!(last.activity, rules.activity(start, latest, now()));
            for c in contacts.iter().filter(|c| **c >= start && **c <= now()) {
                let period = periods.iter().rev().find(|p| p.from <= *c).unwrap();
                prop_assert_eq!(period.activity, Activity::Active);
            }
        }
    }
}
