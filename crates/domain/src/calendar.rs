//! The site's business-hours calendar: when the response clock runs.
//!
//! "Answered within one business day" means: within one working day's worth of open hours,
//! counting only open hours. A referral sent on Tuesday at 10:00 is due on Wednesday at 10:00;
//! one sent on Friday evening is due at Monday's closing time (or later, across holidays).
//! Arithmetic is done on the local wall clock, so daylight-saving changes never shift the clock.

use std::collections::BTreeSet;

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("opening time {opens} must be before closing time {closes}")]
    EmptyDay { opens: Time, closes: Time },
    #[error("at least one weekday must be a working day")]
    NoWorkdays,
}

/// Open hours in one time zone, on some weekdays, except holidays.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    tz: TimeZone,
    opens: Time,
    closes: Time,
    /// Indexed by `Weekday::to_monday_zero_offset`.
    workdays: [bool; 7],
    holidays: BTreeSet<Date>,
}

/// A moment as a reader in the site's time zone sees it, for messages like "by Monday at 4 PM".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalMoment {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i8,
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
}

impl BusinessCalendar {
    pub fn new(
        tz: TimeZone,
        opens: Time,
        closes: Time,
        workdays: impl IntoIterator<Item = Weekday>,
        holidays: impl IntoIterator<Item = Date>,
    ) -> Result<Self, CalendarError> {
        if opens >= closes {
            return Err(CalendarError::EmptyDay { opens, closes });
        }
        let mut days = [false; 7];
        for day in workdays {
            days[weekday_index(day)] = true;
        }
        if !days.contains(&true) {
            return Err(CalendarError::NoWorkdays);
        }
        Ok(Self {
            tz,
            opens,
            closes,
            workdays: days,
            holidays: holidays.into_iter().collect(),
        })
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The day `at` falls on, on the site's clock.
    pub fn day_of(&self, at: time::OffsetDateTime) -> Date {
        from_offset_date_time(at).to_zoned(self.tz.clone()).date()
    }

    /// The instant `date` begins on the site's clock.
    pub fn start_of(&self, date: Date) -> time::OffsetDateTime {
        // Dates here are years 2000–2100 and midnight exists in every zone leadhub runs in
        // (DST moves 2 AM); were it ever refused, the day's UTC midnight is the closest answer.
        let start = date
            .to_zoned(self.tz.clone())
            .map(|z| z.timestamp())
            .unwrap_or_else(|_| {
                date.to_zoned(TimeZone::UTC)
                    .map(|z| z.timestamp())
                    .unwrap_or_default()
            });
        to_offset_date_time(start)
    }

    /// The open hours of one working day.
    pub fn day_length(&self) -> SignedDuration {
        self.opens.duration_until(self.closes)
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        self.workdays[weekday_index(date.weekday())] && !self.holidays.contains(&date)
    }

    /// Whether staff are at work at `at`.
    pub fn is_open(&self, at: Timestamp) -> bool {
        let local = self.local(at);
        self.is_working_day(local.date())
            && local.time() >= self.opens
            && local.time() < self.closes
    }

    /// When an answer to something received at `received` is due: `days` working days of
    /// open hours later.
    pub fn due(&self, received: Timestamp, days: u8) -> Timestamp {
        let mut remaining = self.day_length() * i32::from(days);
        let mut cursor = self.next_open_moment(self.local(received));
        loop {
            let left_today = cursor.time().duration_until(self.closes);
            if remaining <= left_today {
                // Cannot overflow: `cursor.time() + remaining` stays at or before closing time.
                let end = cursor.date().to_datetime(cursor.time()) + remaining;
                return self.instant(end);
            }
            remaining -= left_today;
            cursor = self.next_open_moment(self.start_of_next_day(cursor));
        }
    }

    /// Open hours between two moments (zero if `to` is not after `from`).
    pub fn open_time_between(&self, from: Timestamp, to: Timestamp) -> SignedDuration {
        let (from, to) = (self.local(from), self.local(to));
        let mut total = SignedDuration::ZERO;
        let mut cursor = from;
        while cursor < to {
            let date = cursor.date();
            if self.is_working_day(date) {
                let start = cursor.time().max(self.opens);
                let end = if to.date() == date {
                    to.time().min(self.closes)
                } else {
                    self.closes
                };
                if end > start {
                    total += start.duration_until(end);
                }
            }
            cursor = self.start_of_next_day(cursor);
        }
        total
    }

    /// How a moment reads on the site's wall clock.
    pub fn local_moment(&self, at: Timestamp) -> LocalMoment {
        let local = self.local(at);
        LocalMoment {
            weekday: local.weekday().to_monday_one_offset(),
            month: local.month(),
            day: local.day(),
            hour: local.hour(),
            minute: local.minute(),
        }
    }

    fn local(&self, at: Timestamp) -> DateTime {
        self.tz.to_datetime(at)
    }

    fn instant(&self, local: DateTime) -> Timestamp {
        // A wall-clock time that falls in a DST gap or fold resolves to the later instant;
        // open hours never straddle one in any real time zone, so this is theoretical.
        self.tz
            .to_ambiguous_timestamp(local)
            .later()
            .unwrap_or_else(|_| {
                local
                    .to_zoned(TimeZone::UTC)
                    .map(|z| z.timestamp())
                    .unwrap_or(Timestamp::MAX)
            })
    }

    fn start_of_next_day(&self, at: DateTime) -> DateTime {
        at.date()
            .tomorrow()
            .map(|d| d.to_datetime(Time::midnight()))
            .unwrap_or(DateTime::MAX)
    }

    /// The first moment at or after `at` when staff are at work.
    ///
    /// Terminates: each pass either returns or moves to the next day, and among any
    /// `holidays + 7` consecutive days at least one is a working day (there is at least one
    /// working weekday and holidays are finite).
    fn next_open_moment(&self, mut at: DateTime) -> DateTime {
        loop {
            if at == DateTime::MAX {
                return at;
            }
            if self.is_working_day(at.date()) && at.time() < self.closes {
                return at.date().to_datetime(at.time().max(self.opens));
            }
            at = self.start_of_next_day(at);
        }
    }
}

/// The same instant in the `time` crate's type, which the database layer uses.
pub fn to_offset_date_time(at: Timestamp) -> time::OffsetDateTime {
    // Every jiff timestamp (years -9999..=9999) is within time's range, so this cannot fail;
    // fall back to the epoch rather than panic.
    time::OffsetDateTime::from_unix_timestamp_nanos(at.as_nanosecond())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// The same instant in jiff's type, which the calendar uses.
pub fn from_offset_date_time(at: time::OffsetDateTime) -> Timestamp {
    Timestamp::from_nanosecond(at.unix_timestamp_nanos()).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn weekday_index(day: Weekday) -> usize {
    // 0..=6 by jiff's contract, so the cast cannot truncate.
    day.to_monday_zero_offset() as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn minneapolis() -> BusinessCalendar {
        BusinessCalendar::new(
            TimeZone::get("America/Chicago").unwrap(),
            Time::constant(9, 0, 0, 0),
            Time::constant(16, 0, 0, 0),
            [
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
            ],
            [date(2026, 11, 26), date(2026, 11, 27), date(2026, 12, 25)],
        )
        .unwrap()
    }

    fn at(cal: &BusinessCalendar, y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
        date(y, m, d)
            .at(h, min, 0, 0)
            .to_zoned(cal.time_zone().clone())
            .unwrap()
            .timestamp()
    }

    #[test]
    fn the_day_is_the_sites_not_utcs() {
        let cal = minneapolis();
        // 03:00 UTC on 2 December is the evening of 1 December in Minneapolis.
        let late_evening = time::macros::datetime!(2026-12-02 03:00 UTC);
        assert_eq!(cal.day_of(late_evening), date(2026, 12, 1));
        assert_eq!(
            cal.day_of(late_evening + time::Duration::hours(6)),
            date(2026, 12, 2)
        );
    }

    #[test]
    fn during_hours_the_answer_is_due_a_day_later() {
        let cal = minneapolis();
        assert_eq!(
            cal.due(at(&cal, 2026, 12, 1, 10, 30), 1),
            at(&cal, 2026, 12, 2, 10, 30)
        );
    }

    #[test]
    fn friday_evening_is_due_monday_at_closing() {
        let cal = minneapolis();
        assert_eq!(
            cal.due(at(&cal, 2026, 12, 4, 18, 0), 1),
            at(&cal, 2026, 12, 7, 16, 0)
        );
    }

    #[test]
    fn early_morning_is_due_at_closing_the_same_day() {
        let cal = minneapolis();
        assert_eq!(
            cal.due(at(&cal, 2026, 12, 2, 6, 0), 1),
            at(&cal, 2026, 12, 2, 16, 0)
        );
    }

    #[test]
    fn holidays_do_not_count() {
        let cal = minneapolis();
        // Wednesday before Thanksgiving, 15:00: one hour left that day, then Thursday and Friday
        // are holidays, so the remaining six hours run on Monday.
        assert_eq!(
            cal.due(at(&cal, 2026, 11, 25, 15, 0), 1),
            at(&cal, 2026, 11, 30, 15, 0)
        );
    }

    #[test]
    fn the_clock_ignores_daylight_saving_changes() {
        let cal = minneapolis();
        // DST ended on Sunday 2026-11-01; Friday 10:00 CDT is due Monday 10:00 CST.
        assert_eq!(
            cal.due(at(&cal, 2026, 10, 30, 10, 0), 1),
            at(&cal, 2026, 11, 2, 10, 0)
        );
    }

    #[test]
    fn open_hours_are_known() {
        let cal = minneapolis();
        assert!(cal.is_open(at(&cal, 2026, 12, 1, 9, 0)));
        assert!(!cal.is_open(at(&cal, 2026, 12, 1, 16, 0)));
        assert!(!cal.is_open(at(&cal, 2026, 11, 27, 10, 0)));
        assert!(!cal.is_open(at(&cal, 2026, 12, 5, 10, 0)));
    }

    #[test]
    fn bad_calendars_are_refused() {
        let tz = TimeZone::UTC;
        let nine = Time::constant(9, 0, 0, 0);
        assert!(BusinessCalendar::new(tz.clone(), nine, nine, [Weekday::Monday], []).is_err());
        assert!(BusinessCalendar::new(tz, nine, Time::constant(17, 0, 0, 0), [], []).is_err());
    }

    proptest! {
        #[test]
        fn due_is_exactly_the_promised_open_time_later(secs in 1_700_000_000i64..1_900_000_000, days in 1u8..4) {
            let cal = minneapolis();
            let received = Timestamp::from_second(secs).unwrap();
            let due = cal.due(received, days);
            prop_assert!(due > received);
            prop_assert_eq!(cal.open_time_between(received, due), cal.day_length() * i32::from(days));
            let local = cal.local_moment(due);
            prop_assert!((9..=16).contains(&local.hour));
        }
    }
}
