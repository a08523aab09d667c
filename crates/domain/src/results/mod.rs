//! Data & Results: what each published figure counts, for a period and at a point in time,
//! and the groupings the figures are broken down by.
//!
//! The definitions are written once, here. `docs/METRICS.md` is generated from them
//! (`leadhub metrics`) and every published figure names [`DEFINITIONS_VERSION`], so a figure
//! frozen in a published quarter always says which definitions it was counted under.

pub mod figures;
pub mod suppression;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use jiff::civil::Date;
use serde::Serialize;

use time::OffsetDateTime;

use crate::calendar::BusinessCalendar;
use crate::referral::{Door, ReferrerType, code_enum};
use crate::snapshot::Month;
use crate::text::FieldError;
pub use figures::{COMMUNITY_SOURCES, Counts, Figures, MonthCounts, median};
pub use suppression::{
    Cell, MIN_CELL, PublishedLine, PublishedTable, publish_line, publish_share, publish_table,
};

/// Bump when any definition below changes what it counts.
pub const DEFINITIONS_VERSION: u32 = 1;

/// What one published figure counts.
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    pub key: &'static str,
    pub name: &'static str,
    /// What one unit of the figure is.
    pub counts: &'static str,
    /// How the figure is counted for a period (a month, a quarter).
    pub for_a_period: &'static str,
    /// How the figure is counted up to a point in time (the "as of" date).
    pub as_of: &'static str,
    /// Whether counts under 11 are suppressed (counts of people are; counts of events are not).
    pub counts_people: bool,
}

/// Every published figure. Public figures come only from coded fields, never from free text.
pub const DEFINITIONS: &[Definition] = &[
    Definition {
        key: "referrals_received",
        name: "Referrals received",
        counts: "A referral: one request, through any door, for LEAD to reach one person. A person referred twice counts twice; a referral later linked to someone already enrolled still counts.",
        for_a_period: "Referrals whose received time falls in the period, on the site's clock.",
        as_of: "Referrals received from the program start to the end of the as-of day.",
        counts_people: true,
    },
    Definition {
        key: "enrolled_clients",
        name: "Enrolled clients",
        counts: "A person enrolled in LEAD (a participant). LEAD has no completion and no failing out, so a person stays counted once enrolled, active or not.",
        for_a_period: "Enrolments: participants whose enrolment time falls in the period.",
        as_of: "Participants enrolled from the program start to the end of the as-of day.",
        counts_people: true,
    },
    Definition {
        key: "client_contacts",
        name: "Client contacts",
        counts: "A contact a case manager logged with an enrolled participant (on the street, by phone, in the office, accompanying them, or any other kind). Outreach to find a referred person before enrolment is not a client contact.",
        for_a_period: "Contacts whose time falls in the period.",
        as_of: "Contacts from the program start to the end of the as-of day.",
        counts_people: false,
    },
    Definition {
        key: "referral_sources",
        name: "Referral sources",
        counts: "Referrals by who made them: for community referrals the kind of referrer the form recorded (resident, business, visitor, service provider, other); otherwise the door (police social contact, arrest diversion, self-referral, provider referral).",
        for_a_period: "Referrals received in the period, by source.",
        as_of: "Referrals received up to the as-of day, by source.",
        counts_people: true,
    },
    Definition {
        key: "time_to_first_contact",
        name: "Time from referral to first contact",
        counts: "A referral that led to an enrolment, by the whole days on the site's clock between its received time and the first time staff met the person: the earlier of an outreach attempt that found them and their enrolment (client contacts come only after enrolment).",
        for_a_period: "Referrals received in the period that have led to an enrolment by the as-of day.",
        as_of: "The same, for referrals received up to the as-of day.",
        counts_people: true,
    },
    Definition {
        key: "equity",
        name: "Race and ethnicity",
        counts: "People by race and ethnicity as they describe themselves, recorded at enrolment with HUD's categories (several may be chosen). Each person is counted in one group, as the census does: Hispanic/Latina/e/o of any race; otherwise the one category they chose, or \"more than one race\"; or \"not known\" when they did not know, preferred not to answer, or were not asked. Referrals are grouped by the person they led to, so a referral of someone never enrolled is \"not known\".",
        for_a_period: "Referrals received and participants enrolled in the period, by group.",
        as_of: "The same, up to the as-of day, beside the population of the site's area from the source named in the site profile.",
        counts_people: true,
    },
    Definition {
        key: "housed",
        name: "Permanently housed at the latest status",
        counts: "An enrolled participant whose latest monthly status up to the as-of month says they live in permanent housing (renting or owning, with or without a subsidy). A participant with no status recorded, or whose living situation was not known, is not counted as housed and not counted as unhoused: they are left out of the share.",
        for_a_period: "Not counted by period: it describes each participant's latest known situation.",
        as_of: "The latest status with a month up to the as-of month. Shown only when both the housed and the not housed in a group number at least 11.",
        counts_people: true,
    },
    Definition {
        key: "answered_in_time",
        name: "Referrals answered within one business day (staff dashboard)",
        counts: "A referral whose first answer (acknowledgement to the referrer, or the first step of triage) was recorded by its due time: one business day of open hours after it was received, by the site's calendar.",
        for_a_period: "Referrals received in the period (and through the chosen door), with the share of them answered in time.",
        as_of: "Not counted as of a day: open and overdue referrals are counted at the moment the dashboard is shown.",
        counts_people: true,
    },
    Definition {
        key: "contacts_per_participant_seen",
        name: "Contacts per participant seen (staff dashboard)",
        counts: "For a month: client contacts in the month divided by the participants with at least one contact in the month.",
        for_a_period: "Each month of the period on its own.",
        as_of: "Not counted as of a day.",
        counts_people: false,
    },
    Definition {
        key: "days_to_enrolment",
        name: "Time from referral to enrolment (staff dashboard)",
        counts: "An enrolment, by the whole days on the site's clock between the referral it came from and the enrolment. The dashboard shows the median.",
        for_a_period: "Enrolments in the period (of referrals through the chosen door).",
        as_of: "Not counted as of a day.",
        counts_people: true,
    },
    Definition {
        key: "change_since_enrolment",
        name: "Change since enrolment (staff dashboard)",
        counts: "Participants enrolled in the period with at least two monthly statuses: the first (the month before referral, or at enrolment) beside the latest up to the period's last month, for permanent housing, any work (formal or not) and any income or benefits. An answer not known is left out of that side, never counted as no.",
        for_a_period: "Participants enrolled in the period.",
        as_of: "The latest status up to the period's last month.",
        counts_people: true,
    },
];

/// The text of `docs/METRICS.md`.
pub fn definitions_markdown() -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "# Data & Results: what each figure counts\n\n\
         Generated from `crates/domain/src/results/mod.rs` by `leadhub metrics`; do not edit by hand.\n\
         Definitions version: **{DEFINITIONS_VERSION}**. Every published figure carries the version it was\n\
         counted under.\n\n\
         ## Rules for every figure\n\n\
         - Times are counted on the site's clock: a day runs from midnight to midnight in the site's time\n  \
           zone, and a month from its first day to the first day of the next.\n\
         - The period starts at the program start in the site profile and ends with the as-of day\n  \
           (today unless `?as_of=YYYY-MM-DD` asks for an earlier day). A month the period cuts\n  \
           short counts only its days inside the period.\n\
         - Public figures come only from coded fields (doors, referrer kinds, times, HUD categories),\n  \
           never from free text.\n\
         - Counts of people from 1 to 10 are shown as \"fewer than 11\" (`\"<11\"` in JSON and CSV).\n  \
           Zero is shown. Where a total is published beside them, further cells are hidden\n  \
           (`\"suppressed\"`), smallest first and never a zero, until no hidden value can be worked out\n  \
           by subtraction; tables are checked row by row, column by column and on their margins.\n\
         - Counts of events (client contacts) are not people and are shown as they are.\n\
         - The public page and its JSON and CSV are recounted when a visitor asks for figures\n  \
           counted more than five minutes before; that visitor still gets the earlier count.\n\
         - A published quarter is frozen: its figures as of the quarter's last day are stored as\n  \
           they were counted, with the definitions version, and never recounted.\n\
         - On the staff dashboard, roles that do not assign work see counts of people under 11 as\n  \
           \"fewer than 11\" and caseloads without names.\n"
    );
    for d in DEFINITIONS {
        let _ = writeln!(
            out,
            "## {} (`{}`)\n\n{}\n\n- **For a period:** {}\n- **As of a day:** {}\n- **Small counts:** {}\n",
            d.name,
            d.key,
            d.counts,
            d.for_a_period,
            d.as_of,
            if d.counts_people {
                "counts of people: suppressed under 11."
            } else {
                "counts of events: shown as they are."
            }
        );
    }
    out
}

code_enum!(
    /// HUD's race and ethnicity categories (HMIS data standards, FY2024 and later): a person
    /// may choose several.
    RaceEthnicity {
        AmericanIndian => "am_ind_ak_native",
        Asian => "asian",
        Black => "black_af_american",
        Hispanic => "hispanic_latinaeo",
        MiddleEastern => "mid_east_n_african",
        PacificIslander => "native_hi_pacific",
        White => "white",
    }
);

impl RaceEthnicity {
    pub fn label(self) -> &'static str {
        use RaceEthnicity::*;
        match self {
            AmericanIndian => "American Indian, Alaska Native, or Indigenous",
            Asian => "Asian or Asian American",
            Black => "Black, African American, or African",
            Hispanic => "Hispanic/Latina/e/o",
            MiddleEastern => "Middle Eastern or North African",
            PacificIslander => "Native Hawaiian or Pacific Islander",
            White => "White",
        }
    }
}

/// What a person said about their race and ethnicity: the categories they chose, or why
/// there are none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RaceAnswer {
    Chosen(BTreeSet<RaceEthnicity>),
    DoesNotKnow,
    PrefersNot,
    /// Not asked yet (and every person recorded before the question existed).
    #[default]
    NotAsked,
}

impl RaceAnswer {
    /// From the enrolment form: the ticked categories, or the reason none was ticked.
    pub fn parse(ticked: &[String], reason: &str) -> Result<Self, FieldError> {
        let chosen = ticked
            .iter()
            .map(|c| c.parse::<RaceEthnicity>())
            .collect::<Result<BTreeSet<_>, _>>()?;
        match (chosen.is_empty(), reason) {
            (false, "") => Ok(RaceAnswer::Chosen(chosen)),
            (true, "dont_know") => Ok(RaceAnswer::DoesNotKnow),
            (true, "prefers_not") => Ok(RaceAnswer::PrefersNot),
            (true, "" | "not_asked") => Ok(RaceAnswer::NotAsked),
            _ => Err(FieldError::Choice),
        }
    }

    /// As stored: the codes separated by spaces, or the reason.
    pub fn stored(&self) -> String {
        match self {
            RaceAnswer::Chosen(set) => set.iter().map(|r| r.code()).collect::<Vec<_>>().join(" "),
            RaceAnswer::DoesNotKnow => "dont_know".into(),
            RaceAnswer::PrefersNot => "prefers_not".into(),
            RaceAnswer::NotAsked => "not_asked".into(),
        }
    }

    /// Reads what [`RaceAnswer::stored`] wrote; anything unreadable (or nothing) is "not asked".
    pub fn from_stored(stored: Option<&str>) -> Self {
        match stored.map(str::trim) {
            None | Some("" | "not_asked") => RaceAnswer::NotAsked,
            Some("dont_know") => RaceAnswer::DoesNotKnow,
            Some("prefers_not") => RaceAnswer::PrefersNot,
            Some(codes) => codes
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<BTreeSet<RaceEthnicity>, _>>()
                .ok()
                .filter(|set| !set.is_empty())
                .map_or(RaceAnswer::NotAsked, RaceAnswer::Chosen),
        }
    }
}

code_enum!(
    /// One group per person, as the census counts: Hispanic of any race first.
    EquityGroup {
        Hispanic => "hispanic_latinaeo",
        AmericanIndian => "am_ind_ak_native",
        Asian => "asian",
        Black => "black_af_american",
        MiddleEastern => "mid_east_n_african",
        PacificIslander => "native_hi_pacific",
        White => "white",
        MoreThanOne => "more_than_one",
        NotKnown => "not_known",
    }
);

impl EquityGroup {
    pub fn of(answer: &RaceAnswer) -> Self {
        let RaceAnswer::Chosen(set) = answer else {
            return EquityGroup::NotKnown;
        };
        if set.contains(&RaceEthnicity::Hispanic) {
            return EquityGroup::Hispanic;
        }
        let mut chosen = set.iter();
        match (chosen.next(), chosen.next()) {
            (Some(one), None) => match one {
                RaceEthnicity::AmericanIndian => EquityGroup::AmericanIndian,
                RaceEthnicity::Asian => EquityGroup::Asian,
                RaceEthnicity::Black => EquityGroup::Black,
                RaceEthnicity::Hispanic => EquityGroup::Hispanic,
                RaceEthnicity::MiddleEastern => EquityGroup::MiddleEastern,
                RaceEthnicity::PacificIslander => EquityGroup::PacificIslander,
                RaceEthnicity::White => EquityGroup::White,
            },
            (Some(_), Some(_)) => EquityGroup::MoreThanOne,
            (None, _) => EquityGroup::NotKnown,
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|g| *g == self).unwrap_or(0)
    }
}

code_enum!(
    /// Who made a referral, as the public figures group it.
    Source {
        Resident => "resident",
        Business => "business",
        Visitor => "visitor",
        CommunityProvider => "community_provider",
        OtherCommunity => "other_community",
        SocialContact => "social_contact",
        ArrestDiversion => "arrest_diversion",
        SelfReferral => "self",
        Provider => "provider",
    }
);

impl Source {
    pub fn of(door: Door, referrer: Option<ReferrerType>) -> Self {
        match (door, referrer) {
            (Door::Community, Some(ReferrerType::Resident)) => Source::Resident,
            (Door::Community, Some(ReferrerType::Business)) => Source::Business,
            (Door::Community, Some(ReferrerType::Visitor)) => Source::Visitor,
            (Door::Community, Some(ReferrerType::Provider)) => Source::CommunityProvider,
            (Door::Community, _) => Source::OtherCommunity,
            (Door::SocialContact, _) => Source::SocialContact,
            (Door::ArrestDiversion, _) => Source::ArrestDiversion,
            (Door::SelfReferral, _) => Source::SelfReferral,
            (Door::Provider, _) => Source::Provider,
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

code_enum!(
    /// How long it took to meet a referred person, in whole days on the site's clock.
    Wait {
        SameOrNextDay => "0_1",
        UpToAWeek => "2_7",
        UpToTwoWeeks => "8_14",
        UpToAMonth => "15_30",
        Longer => "over_30",
    }
);

impl Wait {
    pub fn of(days: i64) -> Self {
        match days {
            ..=1 => Wait::SameOrNextDay,
            2..=7 => Wait::UpToAWeek,
            8..=14 => Wait::UpToTwoWeeks,
            15..=30 => Wait::UpToAMonth,
            _ => Wait::Longer,
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|w| *w == self).unwrap_or(0)
    }
}

/// The days figures are counted over: from the program start to the as-of day, both whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: Date,
    pub as_of: Date,
}

impl Period {
    /// Every month the period touches, first to last.
    pub fn months(self) -> Vec<Month> {
        let last = Month::of(self.as_of);
        let mut month = Month::of(self.start);
        let mut months = Vec::new();
        while month.months_until(last) >= 0 {
            months.push(month);
            month = month.next();
        }
        months
    }

    /// The days of `month` inside the period: `[first, end)`.
    pub fn days_of(self, month: Month) -> (Date, Date) {
        let first = month.first_day().max(self.start);
        let end = month.next().first_day().min(self.end());
        (first, end)
    }

    /// The period as instants: `[start, end)`.
    pub fn instants(self, calendar: &BusinessCalendar) -> (OffsetDateTime, OffsetDateTime) {
        (calendar.start_of(self.start), calendar.start_of(self.end()))
    }

    /// Each month of the period as instants, cut to the period.
    pub fn month_instants(
        self,
        calendar: &BusinessCalendar,
    ) -> Vec<(Month, OffsetDateTime, OffsetDateTime)> {
        self.months()
            .into_iter()
            .map(|m| {
                let (first, end) = self.days_of(m);
                (m, calendar.start_of(first), calendar.start_of(end))
            })
            .collect()
    }

    /// The day after the as-of day: the period's exclusive end.
    pub fn end(self) -> Date {
        self.as_of.tomorrow().unwrap_or(self.as_of)
    }
}

/// Why an as-of date was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AsOfError {
    #[error("not a date: write it as YYYY-MM-DD, for example 2024-03-25")]
    Malformed,
    #[error("before the program started on {start}")]
    BeforeStart { start: Date },
    #[error("after today ({today}): figures are only known up to today")]
    Future { today: Date },
}

/// The as-of day asked for (none means today), within the program's life.
pub fn parse_as_of(raw: Option<&str>, start: Date, today: Date) -> Result<Period, AsOfError> {
    let as_of = match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => today,
        Some(raw) => {
            if raw.len() != 10 {
                return Err(AsOfError::Malformed);
            }
            raw.parse::<Date>().map_err(|_| AsOfError::Malformed)?
        }
    };
    if as_of < start {
        return Err(AsOfError::BeforeStart { start });
    }
    if as_of > today {
        return Err(AsOfError::Future { today });
    }
    Ok(Period { start, as_of })
}

/// A calendar quarter, written `2024-Q1`: what the project manager publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i16,
    /// 1 to 4.
    number: i8,
}

impl Quarter {
    pub fn of(date: Date) -> Self {
        Self {
            year: date.year(),
            number: (date.month() - 1) / 3 + 1,
        }
    }

    pub fn first_day(self) -> Date {
        // Always valid: `number` is 1–4, so the month is 1, 4, 7 or 10.
        Date::new(self.year, (self.number - 1) * 3 + 1, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> Date {
        let next_first = if self.number == 4 {
            Date::new(self.year + 1, 1, 1)
        } else {
            Date::new(self.year, self.number * 3 + 1, 1)
        };
        next_first
            .ok()
            .and_then(|d| d.yesterday().ok())
            .unwrap_or_else(|| self.first_day())
    }

    /// The quarter before this one.
    pub fn previous(self) -> Self {
        if self.number == 1 {
            Self {
                year: self.year - 1,
                number: 4,
            }
        } else {
            Self {
                year: self.year,
                number: self.number - 1,
            }
        }
    }
}

impl std::str::FromStr for Quarter {
    type Err = QuarterError;
    fn from_str(s: &str) -> Result<Self, QuarterError> {
        let s = s.trim();
        let (year, number) = s.split_once("-Q").ok_or(QuarterError::Malformed)?;
        let (Ok(year), Ok(number)) = (year.parse::<i16>(), number.parse::<i8>()) else {
            return Err(QuarterError::Malformed);
        };
        if s.len() != 7 || !(2000..=2100).contains(&year) || !(1..=4).contains(&number) {
            return Err(QuarterError::Malformed);
        }
        Ok(Self { year, number })
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.number)
    }
}

/// Why a quarter cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuarterError {
    #[error("not a quarter: write it as YYYY-Qn, for example 2024-Q1")]
    Malformed,
    #[error("the quarter ended before the program started on {start}")]
    BeforeStart { start: Date },
    #[error("the quarter is not over until the end of {last_day}")]
    NotOver { last_day: Date },
}

/// A quarter that may be published: it has ended, and the program had begun by its end.
/// Its figures are the figures as of its last day.
pub fn publishable_quarter(
    raw: &str,
    start: Date,
    today: Date,
) -> Result<(Quarter, Period), QuarterError> {
    let quarter: Quarter = raw.parse()?;
    let last_day = quarter.last_day();
    if last_day < start {
        return Err(QuarterError::BeforeStart { start });
    }
    if last_day >= today {
        return Err(QuarterError::NotOver { last_day });
    }
    Ok((
        quarter,
        Period {
            start,
            as_of: last_day,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn race_answers_round_trip_and_group_like_the_census() {
        let ticked = |codes: &[&str]| codes.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        let both = RaceAnswer::parse(&ticked(&["white", "hispanic_latinaeo"]), "").unwrap();
        assert_eq!(RaceAnswer::from_stored(Some(&both.stored())), both);
        assert_eq!(EquityGroup::of(&both), EquityGroup::Hispanic);
        let two = RaceAnswer::parse(&ticked(&["white", "black_af_american"]), "").unwrap();
        assert_eq!(EquityGroup::of(&two), EquityGroup::MoreThanOne);
        let one = RaceAnswer::parse(&ticked(&["am_ind_ak_native"]), "").unwrap();
        assert_eq!(EquityGroup::of(&one), EquityGroup::AmericanIndian);
        for reason in ["dont_know", "prefers_not", "not_asked", ""] {
            let answer = RaceAnswer::parse(&[], reason).unwrap();
            assert_eq!(EquityGroup::of(&answer), EquityGroup::NotKnown);
            assert_eq!(RaceAnswer::from_stored(Some(&answer.stored())), answer);
        }
        assert_eq!(
            RaceAnswer::parse(&ticked(&["white"]), "prefers_not"),
            Err(FieldError::Choice),
            "a category and a reason for none contradict each other"
        );
        assert!(RaceAnswer::parse(&ticked(&["purple"]), "").is_err());
        assert_eq!(RaceAnswer::from_stored(None), RaceAnswer::NotAsked);
        assert_eq!(RaceAnswer::from_stored(Some("junk")), RaceAnswer::NotAsked);
    }

    #[test]
    fn sources_follow_the_door_and_the_referrer() {
        assert_eq!(
            Source::of(Door::Community, Some(ReferrerType::Business)),
            Source::Business
        );
        assert_eq!(Source::of(Door::Community, None), Source::OtherCommunity);
        assert_eq!(
            Source::of(Door::ArrestDiversion, Some(ReferrerType::Resident)),
            Source::ArrestDiversion
        );
    }

    #[test]
    fn waits_fall_in_one_bucket_each() {
        assert_eq!(Wait::of(0), Wait::SameOrNextDay);
        assert_eq!(Wait::of(1), Wait::SameOrNextDay);
        assert_eq!(Wait::of(2), Wait::UpToAWeek);
        assert_eq!(Wait::of(14), Wait::UpToTwoWeeks);
        assert_eq!(Wait::of(30), Wait::UpToAMonth);
        assert_eq!(Wait::of(31), Wait::Longer);
    }

    #[test]
    fn as_of_must_be_a_day_in_the_programs_life() {
        let (start, today) = (date(2023, 1, 1), date(2026, 12, 2));
        assert_eq!(parse_as_of(None, start, today).map(|p| p.as_of), Ok(today));
        assert_eq!(
            parse_as_of(Some("2024-03-25"), start, today).map(|p| p.as_of),
            Ok(date(2024, 3, 25))
        );
        for bad in [
            "2024-3-25",
            "25/03/2024",
            "2024-02-30",
            "yesterday",
            "2024-03-25T00:00",
        ] {
            assert_eq!(
                parse_as_of(Some(bad), start, today),
                Err(AsOfError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(
            parse_as_of(Some("2022-12-31"), start, today),
            Err(AsOfError::BeforeStart { start })
        );
        assert_eq!(
            parse_as_of(Some("2026-12-03"), start, today),
            Err(AsOfError::Future { today })
        );
    }

    #[test]
    fn a_period_has_every_month_it_touches_cut_to_its_days() {
        let period = Period {
            start: date(2023, 1, 1),
            as_of: date(2024, 3, 25),
        };
        let months = period.months();
        assert_eq!(months.len(), 15);
        assert_eq!(
            months.last().map(ToString::to_string).as_deref(),
            Some("2024-03")
        );
        let last = months[14];
        assert_eq!(period.days_of(last), (date(2024, 3, 1), date(2024, 3, 26)));
        assert_eq!(
            period.days_of(months[1]),
            (date(2023, 2, 1), date(2023, 3, 1))
        );
    }

    #[test]
    fn quarters_are_written_and_bounded_plainly() {
        let q: Quarter = "2024-Q1".parse().unwrap();
        assert_eq!(q.to_string(), "2024-Q1");
        assert_eq!(
            (q.first_day(), q.last_day()),
            (date(2024, 1, 1), date(2024, 3, 31))
        );
        let q4: Quarter = "2023-Q4".parse().unwrap();
        assert_eq!(q4.last_day(), date(2023, 12, 31));
        assert_eq!(q.previous(), q4);
        assert_eq!(Quarter::of(date(2024, 3, 25)), q);
        for bad in ["2024-Q5", "2024Q1", "24-Q1", "2024-Q01", "", "2024-q1"] {
            assert_eq!(
                bad.parse::<Quarter>(),
                Err(QuarterError::Malformed),
                "{bad}"
            );
        }
        let (start, today) = (date(2023, 1, 1), date(2024, 4, 1));
        assert_eq!(
            publishable_quarter("2024-Q1", start, today).map(|(_, p)| p.as_of),
            Ok(date(2024, 3, 31))
        );
        assert_eq!(
            publishable_quarter("2024-Q2", start, today),
            Err(QuarterError::NotOver {
                last_day: date(2024, 6, 30)
            })
        );
        assert_eq!(
            publishable_quarter("2024-Q1", start, date(2024, 3, 31)),
            Err(QuarterError::NotOver {
                last_day: date(2024, 3, 31)
            }),
            "not on its own last day"
        );
        assert_eq!(
            publishable_quarter("2022-Q4", start, today),
            Err(QuarterError::BeforeStart { start })
        );
    }

    #[test]
    fn published_figures_read_back_the_same() {
        let period = Period {
            start: date(2023, 1, 1),
            as_of: date(2023, 1, 31),
        };
        let counts = Counts {
            months: vec![MonthCounts {
                month: "2023-01".parse().unwrap(),
                referrals_by_door: vec![30, 4, 0, 0, 0],
                enrolments: 12,
                contacts: 99,
            }],
            ..Counts::default()
        };
        let figures = Figures::publish(period, &counts, None);
        let json = serde_json::to_string(&figures).unwrap();
        let back: Figures = serde_json::from_str(&json).unwrap();
        assert_eq!(back, figures);
        assert!(serde_json::from_str::<Cell>("\"seven\"").is_err());
    }

    #[test]
    fn every_definition_is_in_the_generated_document() {
        let doc = definitions_markdown();
        for d in DEFINITIONS {
            assert!(doc.contains(&format!("(`{}`)", d.key)), "{}", d.key);
        }
        let keys: BTreeSet<&str> = DEFINITIONS.iter().map(|d| d.key).collect();
        assert_eq!(keys.len(), DEFINITIONS.len(), "keys are unique");
    }
}
