//! The participant-month panel the outcome evaluation fits its models to (issue 9).
//!
//! For each enrolled participant: the month before referral (the baseline, answered at
//! intake) and every month from the referral month to the as-of month. Each status comes from
//! the latest snapshot recorded for that month; a month without one, or a question answered
//! "doesn't know", "prefers not" or "not asked", is unknown (`None`), never "no".
//!
//! Arrests come from the jail and agency feeds (legal coordination): a booking, or a
//! citation (arrested and let go); a new charge without an arrest is not one. The days from
//! a booking to release are days in jail, which days at risk leave out.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use crate::snapshot::{Answer, Employment, Housing, IncomeSource, LivingSituation, Month};

/// One answer recorded for one month (the latest correction wins; see [`History::status`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub month: Month,
    pub living: Answer<LivingSituation>,
    pub employment: Answer<Employment>,
    pub income: Answer<BTreeSet<IncomeSource>>,
}

/// What the records say about one participant, on the site's calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// The day of the referral, or of enrolment when there was no referral.
    pub referred: Option<Date>,
    pub enrolled: Option<Date>,
    /// Statuses in the order they were recorded (oldest first), so a later one for the same
    /// month is its correction.
    pub statuses: Vec<Status>,
    /// The day of each case-manager contact.
    pub contacts: Vec<Date>,
    /// Each booking from the feeds.
    pub bookings: Vec<Stay>,
    /// The day of each citation from the feeds: an arrest without a booking.
    pub citations: Vec<Date>,
}

/// A booking: the day of it and of release (none while still in custody), on the site's
/// calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    pub booked: Date,
    pub released: Option<Date>,
}

impl Stay {
    /// The days in custody up to `as_of`: the booking day to the day before release (a night
    /// counts for the day it begins, so a release the same day is none), or to `as_of` while
    /// still held.
    fn days(self, as_of: Date) -> impl Iterator<Item = Date> {
        let last = match self.released {
            Some(released) => released.yesterday().ok(),
            None => Some(as_of),
        }
        .map(|d| d.min(as_of));
        let mut day = Some(self.booked);
        std::iter::from_fn(move || {
            let today = day?;
            if last.is_none_or(|l| today > l) {
                return None;
            }
            day = today.tomorrow().ok();
            Some(today)
        })
    }
}

/// One participant-month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelRow {
    pub month: Month,
    /// 0 for the baseline month (the month before referral), 1 for the referral month, …
    pub months_since_baseline: u32,
    /// Any month after the baseline.
    pub followup: bool,
    /// Slept somewhere meant for living in: a shelter, a temporary stay, an institution or a
    /// home; "no" is a place not meant for habitation. "Other" is unknown.
    pub sheltered: Option<bool>,
    /// Renting or owning.
    pub permanent: Option<bool>,
    pub employment: Option<Employment>,
    /// Any paid work, formal or informal.
    pub employed: Option<bool>,
    /// Any legitimate income or benefit (cash or non-cash).
    pub income_or_benefits: Option<bool>,
    pub contacts: u32,
    /// Arrests (bookings and citations) on days of the month observed.
    pub arrests: u32,
    /// Bookings into jail on days of the month observed.
    pub bookings: u32,
    /// Days of the month observed spent in jail.
    pub jail_days: u32,
    /// Days of the month the participant could be observed and was not in jail: the whole
    /// baseline month; from the first of each later month (the referral day in the referral
    /// month) to its end, or to the as-of day in the as-of month; less the days in jail.
    pub days_at_risk: u32,
}

/// Every column of the panel with what it means: docs/METRICS.md and, later, the evaluator
/// export's data dictionary.
pub const PANEL_FIELDS: &[(&str, &str)] = &[
    (
        "participant",
        "The participant (in the evaluator export, a pseudonym that cannot be reversed without the site's key).",
    ),
    (
        "month",
        "The calendar month on the site's clock, `YYYY-MM`.",
    ),
    (
        "months_since_baseline",
        "0 for the baseline, the month before referral (before enrolment when there was no referral); 1 for the referral month; and so on.",
    ),
    (
        "followup",
        "1 for every month after the baseline, 0 for the baseline.",
    ),
    (
        "sheltered",
        "1 when the latest status recorded for the month is somewhere meant for living in: a shelter, transitional housing, a stay with family or friends, a hotel, a host home, a residential project, an institution (hospital, treatment, jail, long-term care) or a home; 0 for a place not meant for habitation; blank for \"other\", an unknown answer, or a month with no status recorded.",
    ),
    (
        "permanent",
        "1 when renting or owning (HUD living situations 410, 411, 421, 435), 0 for any other known situation, blank when unknown or not recorded.",
    ),
    (
        "employment",
        "The employment continuum code (not_working, looking, training, unable, informal, part_time, full_time), blank when unknown or not recorded.",
    ),
    (
        "employed",
        "1 for any paid work, formal or informal (informal, part_time, full_time), 0 for the other codes, blank when unknown.",
    ),
    (
        "income_or_benefits",
        "1 when any legitimate income or benefit source is recorded (earned income, unemployment, SSI, SSDI, VA, TANF/MFIP, General Assistance, retirement, pension, other income, SNAP, WIC, other benefit), 0 when the answer is \"none\", blank when unknown or not recorded.",
    ),
    (
        "contacts",
        "Case-manager contacts logged in the month (counted on the site's clock, up to the as-of day).",
    ),
    (
        "arrests",
        "Arrests from the jail and agency feeds on the days of the month observed (see days_at_risk): bookings, and citations (arrested and let go). A new charge filed without an arrest is not one. Arrests no feed reports are not counted.",
    ),
    (
        "bookings",
        "Bookings into jail from the feeds on the days of the month observed.",
    ),
    (
        "jail_days",
        "Days of the month observed spent in custody after a booking: from the booking day to the day before release (a night counts for the day it begins, so a release the same day adds none), or to the as-of day while still held.",
    ),
    (
        "days_at_risk",
        "Days the participant could be observed in the month and was not in jail: the whole baseline month; from the referral day to the month's end in the referral month; whole months after; up to the as-of day in the as-of month; less jail_days.",
    ),
];

/// The panel's columns as Markdown, for docs/METRICS.md.
pub fn panel_markdown() -> String {
    let mut out = String::from(
        "# The participant-month panel (outcome evaluation)\n\n\
         Generated from `crates/domain/src/outcomes.rs` by `leadhub metrics`. One row per enrolled\n\
         participant and month, from the month before referral to the as-of month. A status comes\n\
         from the latest snapshot recorded for the month; an unknown answer is blank, never 0.\n\n\
         | Column | Meaning |\n|---|---|\n",
    );
    for (column, meaning) in PANEL_FIELDS {
        out.push_str(&format!("| `{column}` | {meaning} |\n"));
    }
    out
}

impl PanelRow {
    /// The row's cells in the order of `PANEL_FIELDS` after `participant`: 1/0 for yes/no,
    /// blank for unknown, codes for the employment continuum.
    pub fn cells(&self) -> [String; 13] {
        let yes_no = |v: Option<bool>| v.map_or(String::new(), |v| u8::from(v).to_string());
        [
            self.month.to_string(),
            self.months_since_baseline.to_string(),
            u8::from(self.followup).to_string(),
            yes_no(self.sheltered),
            yes_no(self.permanent),
            self.employment.map_or(String::new(), |e| e.to_string()),
            yes_no(self.employed),
            yes_no(self.income_or_benefits),
            self.contacts.to_string(),
            self.arrests.to_string(),
            self.bookings.to_string(),
            self.jail_days.to_string(),
            self.days_at_risk.to_string(),
        ]
    }
}

impl History {
    /// The latest status recorded for `month`.
    fn status(&self, month: Month) -> Option<&Status> {
        self.statuses.iter().rev().find(|s| s.month == month)
    }
}

/// The rows for one participant as of `as_of`; none when the participant is not enrolled by
/// then.
pub fn panel(history: &History, as_of: Date) -> Vec<PanelRow> {
    let (Some(enrolled), Some(referred)) =
        (history.enrolled, history.referred.or(history.enrolled))
    else {
        return Vec::new();
    };
    if enrolled > as_of || referred > as_of {
        return Vec::new();
    }
    let referral_month = Month::of(referred);
    let baseline = referral_month.previous();
    let last = Month::of(as_of);
    let mut contacts: BTreeMap<Month, u32> = BTreeMap::new();
    for day in history.contacts.iter().filter(|&&d| d <= as_of) {
        *contacts.entry(Month::of(*day)).or_default() += 1;
    }
    let booked: Vec<Date> = history.bookings.iter().map(|b| b.booked).collect();
    let custody: BTreeSet<Date> = history
        .bookings
        .iter()
        .flat_map(|stay| stay.days(as_of))
        .collect();
    let mut rows = Vec::new();
    let mut month = baseline;
    let mut index = 0;
    while month <= last {
        let status = history.status(month);
        let housing = status.and_then(|s| s.living.known()).map(|l| l.housing());
        let employment = status.and_then(|s| s.employment.known()).copied();
        let first = if month == referral_month {
            referred
        } else {
            month.first_day()
        };
        let end = if month == last {
            as_of
        } else {
            month.next().first_day().yesterday().unwrap_or(as_of)
        };
        let observed = |day: &&Date| **day >= first && **day <= end;
        let jail_days = u32::try_from(custody.range(first..=end).count()).unwrap_or(0);
        let bookings = u32::try_from(booked.iter().filter(observed).count()).unwrap_or(0);
        let citations =
            u32::try_from(history.citations.iter().filter(observed).count()).unwrap_or(0);
        let days = if index == 0 {
            days_in(month)
        } else {
            days_between(first, end)
        };
        rows.push(PanelRow {
            month,
            months_since_baseline: index,
            followup: index > 0,
            sheltered: housing.and_then(|h| match h {
                Housing::Unsheltered => Some(false),
                Housing::Other => None,
                _ => Some(true),
            }),
            permanent: housing.map(|h| h == Housing::Permanent),
            employment,
            employed: employment.map(Employment::is_employed),
            income_or_benefits: status
                .and_then(|s| s.income.known())
                .map(|set| !set.is_empty()),
            contacts: contacts.get(&month).copied().unwrap_or(0),
            arrests: bookings + citations,
            bookings,
            jail_days,
            days_at_risk: days.saturating_sub(jail_days),
        });
        month = month.next();
        index += 1;
    }
    rows
}

/// Days from `first` to `last`, both counted.
fn days_between(first: Date, last: Date) -> u32 {
    let span = first.until(last).map_or(0, |s| s.get_days());
    u32::try_from(span + 1).unwrap_or(0)
}

fn days_in(month: Month) -> u32 {
    u32::try_from(month.first_day().days_in_month()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Unknown;
    use jiff::civil::date;

    fn status(
        month: &str,
        living: &str,
        employment: Employment,
        income: &[IncomeSource],
    ) -> Status {
        Status {
            month: month.parse().unwrap(),
            living: Answer::Known(living.parse().unwrap()),
            employment: Answer::Known(employment),
            income: Answer::Known(income.iter().copied().collect()),
        }
    }

    #[test]
    fn baseline_then_every_month_with_unknown_months_left_unknown() {
        let history = History {
            referred: Some(date(2026, 3, 10)),
            enrolled: Some(date(2026, 3, 20)),
            statuses: vec![
                status("2026-02", "116", Employment::NotWorking, &[]),
                // April's first answer, then its correction.
                status("2026-04", "101", Employment::Looking, &[IncomeSource::Snap]),
                status(
                    "2026-04",
                    "435",
                    Employment::PartTime,
                    &[IncomeSource::Earned],
                ),
                Status {
                    month: "2026-05".parse().unwrap(),
                    living: Answer::Unknown(Unknown::PrefersNot),
                    employment: Answer::Unknown(Unknown::NotAsked),
                    income: Answer::Unknown(Unknown::DoesNotKnow),
                },
            ],
            contacts: vec![
                date(2026, 3, 20),
                date(2026, 3, 27),
                date(2026, 5, 2),
                date(2026, 6, 1),
            ],
            bookings: Vec::new(),
            citations: Vec::new(),
        };
        let rows = panel(&history, date(2026, 5, 15));
        let months: Vec<String> = rows.iter().map(|r| r.month.to_string()).collect();
        assert_eq!(months, ["2026-02", "2026-03", "2026-04", "2026-05"]);
        let [baseline, referral, april, may] = &rows[..] else {
            panic!()
        };
        assert_eq!(
            (baseline.months_since_baseline, baseline.followup),
            (0, false)
        );
        assert_eq!(baseline.sheltered, Some(false));
        assert_eq!(baseline.permanent, Some(false));
        assert_eq!(baseline.employed, Some(false));
        assert_eq!(baseline.income_or_benefits, Some(false));
        assert_eq!(baseline.days_at_risk, 28);
        // March has no snapshot: unknown, not "no".
        assert_eq!(
            (
                referral.sheltered,
                referral.permanent,
                referral.employed,
                referral.income_or_benefits
            ),
            (None, None, None, None)
        );
        assert_eq!(referral.contacts, 2);
        assert_eq!(referral.days_at_risk, 22, "10–31 March");
        assert_eq!(april.sheltered, Some(true));
        assert_eq!(april.permanent, Some(true), "the correction counts");
        assert_eq!(april.employment, Some(Employment::PartTime));
        assert_eq!(april.employed, Some(true));
        assert_eq!(april.income_or_benefits, Some(true));
        assert_eq!(april.days_at_risk, 30);
        assert_eq!(
            (may.sheltered, may.employed, may.income_or_benefits),
            (None, None, None)
        );
        assert_eq!(may.contacts, 1, "June's contact is after the as-of day");
        assert_eq!(may.days_at_risk, 15);
        assert!(rows[1..].iter().all(|r| r.followup));
    }

    #[test]
    fn bookings_count_where_they_fall_and_jail_days_leave_days_at_risk() {
        let history = History {
            referred: Some(date(2026, 3, 10)),
            enrolled: Some(date(2026, 3, 20)),
            bookings: vec![
                // Before the referral day in the referral month: not observed.
                Stay {
                    booked: date(2026, 3, 2),
                    released: Some(date(2026, 3, 2)),
                },
                // Released the same day: a booking, no jail day.
                Stay {
                    booked: date(2026, 3, 15),
                    released: Some(date(2026, 3, 15)),
                },
                // Across the month's end: three nights in April, two in May.
                Stay {
                    booked: date(2026, 4, 28),
                    released: Some(date(2026, 5, 3)),
                },
                // Still held on the as-of day: the 10th to the 15th.
                Stay {
                    booked: date(2026, 5, 10),
                    released: None,
                },
            ],
            // Arrested and let go: an arrest, no booking, no jail day.
            citations: vec![date(2026, 4, 2)],
            ..History::default()
        };
        let rows = panel(&history, date(2026, 5, 15));
        let [baseline, march, april, may] = &rows[..] else {
            panic!("{rows:?}")
        };
        assert_eq!(
            (baseline.bookings, baseline.jail_days, baseline.days_at_risk),
            (0, 0, 28)
        );
        assert_eq!(
            (march.bookings, march.jail_days, march.days_at_risk),
            (1, 0, 22)
        );
        assert_eq!(
            (april.bookings, april.jail_days, april.days_at_risk),
            (1, 3, 27)
        );
        assert_eq!((april.arrests, march.arrests, may.arrests), (2, 1, 1));
        assert_eq!(
            (may.bookings, may.jail_days, may.days_at_risk),
            (1, 8, 7),
            "two nights to the 3rd, six days held to the as-of day"
        );
    }

    #[test]
    fn every_panel_field_is_documented_once() {
        let columns: Vec<&str> = PANEL_FIELDS.iter().map(|(c, _)| *c).collect();
        let unique: BTreeSet<&str> = columns.iter().copied().collect();
        assert_eq!(unique.len(), columns.len());
        let row = format!(
            "{:?}",
            panel(
                &History {
                    enrolled: Some(date(2026, 1, 5)),
                    ..History::default()
                },
                date(2026, 1, 5)
            )[0]
        );
        for column in &columns[1..] {
            assert!(
                row.contains(&format!("{column}:")),
                "{column} is not a field of PanelRow"
            );
        }
        assert!(panel_markdown().contains("| `days_at_risk` |"));
        // Cells come in the documented order: each field's Debug position matches.
        let rows = panel(
            &History {
                enrolled: Some(date(2026, 1, 5)),
                ..History::default()
            },
            date(2026, 1, 5),
        );
        assert_eq!(rows[1].cells().len() + 1, PANEL_FIELDS.len());
        let positions: Vec<usize> = columns[1..]
            .iter()
            .map(|c| row.find(&format!("{c}:")).unwrap())
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "PanelRow's fields follow PANEL_FIELDS"
        );
        assert_eq!(rows[1].cells()[2], "1", "followup");
        assert_eq!(rows[1].cells()[3], "", "sheltered unknown");
    }

    #[test]
    fn enrolled_today_gives_baseline_and_today() {
        let today = date(2026, 12, 2);
        let history = History {
            referred: None,
            enrolled: Some(today),
            statuses: vec![status(
                "2026-11",
                "101",
                Employment::Looking,
                &[IncomeSource::GeneralAssistance],
            )],
            contacts: vec![today],
            bookings: Vec::new(),
            citations: Vec::new(),
        };
        let rows = panel(&history, today);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].month.to_string(), "2026-11");
        assert_eq!(rows[0].sheltered, Some(true));
        assert_eq!((rows[1].days_at_risk, rows[1].contacts), (1, 1));
        assert!(
            panel(&history, date(2026, 12, 1)).is_empty(),
            "not enrolled yet"
        );
        assert!(panel(&History::default(), today).is_empty());
    }

    #[test]
    fn other_living_situations_are_unknown_for_sheltered_but_known_for_permanent() {
        let history = History {
            referred: Some(date(2026, 1, 31)),
            enrolled: Some(date(2026, 2, 1)),
            statuses: vec![status(
                "2025-12",
                "17",
                Employment::UnableToWork,
                &[IncomeSource::Ssi],
            )],
            contacts: Vec::new(),
            bookings: Vec::new(),
            citations: Vec::new(),
        };
        let rows = panel(&history, date(2026, 2, 1));
        assert_eq!(rows[0].sheltered, None);
        assert_eq!(rows[0].permanent, Some(false));
        assert_eq!(rows[0].employed, Some(false));
        assert_eq!(rows[1].days_at_risk, 1, "referred on the 31st");
        assert_eq!(rows[2].days_at_risk, 1);
    }
}
