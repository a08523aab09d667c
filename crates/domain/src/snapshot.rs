//! Monthly status snapshots: where a participant lives, how they work, what income and
//! benefits they have and what health coverage, month by month.
//!
//! Evaluations compare each month with the month before referral, so an answer that was not
//! known must stay "not known": every question has explicit unknown answers (as HUD's
//! "client doesn't know", "client prefers not to answer", "data not collected"), and "none"
//! is an answer of its own, never the default of an empty form. Snapshots are history: a
//! correction is a new snapshot for the same month, and the latest one for a month counts.

use std::collections::BTreeSet;
use std::fmt;

use crate::referral::code_enum;
use crate::text::{FieldError, FormErrors};

code_enum!(
    /// Why an answer is not known.
    Unknown {
        DoesNotKnow => "dont_know",
        PrefersNot => "prefers_not",
        NotAsked => "not_asked",
    }
);

impl Unknown {
    pub fn label(self) -> &'static str {
        match self {
            Unknown::DoesNotKnow => "Doesn't know",
            Unknown::PrefersNot => "Prefers not to answer",
            Unknown::NotAsked => "Not asked",
        }
    }
}

/// An answer to one question: known, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<T> {
    Known(T),
    Unknown(Unknown),
}

impl<T> Answer<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Answer::Known(value) => Some(value),
            Answer::Unknown(_) => None,
        }
    }
}

code_enum!(
    /// Current living situation, with HUD's codes (HMIS data standard 4.12).
    LivingSituation {
        PlaceNotMeantForHabitation => "116",
        EmergencyShelter => "101",
        SafeHaven => "118",
        TransitionalHousing => "302",
        HotelWithoutVoucher => "314",
        Family => "335",
        Friends => "336",
        HostHome => "332",
        ResidentialProject => "329",
        PsychiatricFacility => "204",
        TreatmentFacility => "205",
        Hospital => "206",
        JailOrPrison => "207",
        FosterCare => "215",
        LongTermCare => "225",
        RentalNoSubsidy => "410",
        RentalWithSubsidy => "435",
        OwnedNoSubsidy => "411",
        OwnedWithSubsidy => "421",
        Other => "17",
    }
);

/// Living situations grouped as outcome analyses count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Housing {
    Unsheltered,
    /// Emergency shelter, safe haven, transitional housing.
    Sheltered,
    /// Staying with family or friends, in a hotel, a host home or a residential project.
    Temporary,
    /// Hospital, treatment, jail, long-term care, foster care.
    Institution,
    /// Renting or owning.
    Permanent,
    Other,
}

impl LivingSituation {
    /// HUD's wording.
    pub fn label(self) -> &'static str {
        use LivingSituation::*;
        match self {
            PlaceNotMeantForHabitation => {
                "Place not meant for habitation (outside, a vehicle, a station)"
            }
            EmergencyShelter => "Emergency shelter (or hotel paid with a shelter voucher)",
            SafeHaven => "Safe Haven",
            TransitionalHousing => "Transitional housing for homeless persons",
            HotelWithoutVoucher => "Hotel or motel paid without a shelter voucher",
            Family => "Staying in a family member's room, apartment or house",
            Friends => "Staying in a friend's room, apartment or house",
            HostHome => "Host home (non-crisis)",
            ResidentialProject => "Residential project or halfway house",
            PsychiatricFacility => "Psychiatric hospital or facility",
            TreatmentFacility => "Substance use treatment facility or detox",
            Hospital => "Hospital or other medical facility",
            JailOrPrison => "Jail, prison or juvenile detention",
            FosterCare => "Foster care",
            LongTermCare => "Long-term care or nursing home",
            RentalNoSubsidy => "Renting, no ongoing subsidy",
            RentalWithSubsidy => "Renting, with an ongoing subsidy",
            OwnedNoSubsidy => "Owns, no ongoing subsidy",
            OwnedWithSubsidy => "Owns, with an ongoing subsidy",
            Other => "Other",
        }
    }

    pub fn housing(self) -> Housing {
        use LivingSituation::*;
        match self {
            PlaceNotMeantForHabitation => Housing::Unsheltered,
            EmergencyShelter | SafeHaven | TransitionalHousing => Housing::Sheltered,
            HotelWithoutVoucher | Family | Friends | HostHome | ResidentialProject => {
                Housing::Temporary
            }
            PsychiatricFacility | TreatmentFacility | Hospital | JailOrPrison | FosterCare
            | LongTermCare => Housing::Institution,
            RentalNoSubsidy | RentalWithSubsidy | OwnedNoSubsidy | OwnedWithSubsidy => {
                Housing::Permanent
            }
            Other => Housing::Other,
        }
    }
}

code_enum!(
    /// Where someone stands on the way to work, from no work to full-time.
    Employment {
        NotWorking => "not_working",
        Looking => "looking",
        Training => "training",
        Informal => "informal",
        PartTime => "part_time",
        FullTime => "full_time",
        UnableToWork => "unable",
    }
);

impl Employment {
    pub fn label(self) -> &'static str {
        match self {
            Employment::NotWorking => "Not working, not looking",
            Employment::Looking => "Looking for work",
            Employment::Training => "In job training or education",
            Employment::Informal => "Day labour or occasional work",
            Employment::PartTime => "Working part-time",
            Employment::FullTime => "Working full-time",
            Employment::UnableToWork => "Unable to work (disability, retired)",
        }
    }

    /// Any paid work, formal or not.
    pub fn is_employed(self) -> bool {
        matches!(
            self,
            Employment::Informal | Employment::PartTime | Employment::FullTime
        )
    }
}

code_enum!(
    /// Sources of income and benefits (HUD's income and non-cash benefit sources, with
    /// Minnesota's General Assistance and MFIP under their HUD headings).
    IncomeSource {
        Earned => "earned",
        Unemployment => "unemployment",
        Ssi => "ssi",
        Ssdi => "ssdi",
        VaDisability => "va",
        Tanf => "tanf",
        GeneralAssistance => "ga",
        Retirement => "retirement",
        Pension => "pension",
        OtherIncome => "other_income",
        Snap => "snap",
        Wic => "wic",
        OtherBenefit => "other_benefit",
    }
);

impl IncomeSource {
    pub fn label(self) -> &'static str {
        use IncomeSource::*;
        match self {
            Earned => "Earned income (a job)",
            Unemployment => "Unemployment insurance",
            Ssi => "SSI",
            Ssdi => "SSDI",
            VaDisability => "VA disability compensation",
            Tanf => "TANF (MFIP)",
            GeneralAssistance => "General Assistance",
            Retirement => "Social Security retirement",
            Pension => "Pension or retirement income",
            OtherIncome => "Other income",
            Snap => "SNAP (food support)",
            Wic => "WIC",
            OtherBenefit => "Other non-cash benefit",
        }
    }

    /// Money, as opposed to a non-cash benefit.
    pub fn is_cash(self) -> bool {
        !matches!(
            self,
            IncomeSource::Snap | IncomeSource::Wic | IncomeSource::OtherBenefit
        )
    }
}

code_enum!(
    /// Health coverage (HUD's health insurance sources).
    Coverage {
        Medicaid => "medicaid",
        Medicare => "medicare",
        StateProgram => "state",
        Va => "va",
        Employer => "employer",
        Private => "private",
        IndianHealthService => "ihs",
        OtherCoverage => "other",
    }
);

impl Coverage {
    pub fn label(self) -> &'static str {
        match self {
            Coverage::Medicaid => "Medical Assistance (Medicaid)",
            Coverage::Medicare => "Medicare",
            Coverage::StateProgram => "MinnesotaCare or other state plan",
            Coverage::Va => "VA health care",
            Coverage::Employer => "Through an employer (or COBRA)",
            Coverage::Private => "Bought privately",
            Coverage::IndianHealthService => "Indian Health Service",
            Coverage::OtherCoverage => "Other",
        }
    }
}

/// A calendar month, as `2026-12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i16,
    month: i8,
}

impl Month {
    pub fn of(date: jiff::civil::Date) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> jiff::civil::Date {
        // Always valid: `month` is 1–12 (checked on every way in) and day 1 exists.
        jiff::civil::Date::new(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Months from `self` to `later` (0 for the same month, negative if earlier).
    pub fn months_until(self, later: Month) -> i32 {
        (i32::from(later.year) - i32::from(self.year)) * 12 + i32::from(later.month)
            - i32::from(self.month)
    }
}

impl std::str::FromStr for Month {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        let (year, month) = s.trim().split_once('-').ok_or(FieldError::Choice)?;
        let year: i16 = year.parse().map_err(|_| FieldError::Choice)?;
        let month: i8 = month.parse().map_err(|_| FieldError::Choice)?;
        if year < 1900 || !(1..=12).contains(&month) || s.trim().len() != 7 {
            return Err(FieldError::Choice);
        }
        Ok(Self { year, month })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The snapshot form as typed. Each question has a radio answer; the sets have checkboxes
/// and an answer of `yes` (the ticked sources), `none`, or an unknown code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotInput {
    pub month: String,
    pub living: String,
    pub employment: String,
    pub income_answer: String,
    pub income: Vec<String>,
    pub coverage_answer: String,
    pub coverage: Vec<String>,
}

/// A snapshot ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSnapshot {
    pub month: Month,
    pub living: Answer<LivingSituation>,
    pub employment: Answer<Employment>,
    /// Known and empty means "none".
    pub income: Answer<BTreeSet<IncomeSource>>,
    pub coverage: Answer<BTreeSet<Coverage>>,
}

impl SnapshotInput {
    /// `earliest` is the first month a snapshot may describe (the baseline month before the
    /// referral), `current` the month it is now on the site's clock.
    pub fn parse(&self, earliest: Month, current: Month) -> Result<NewSnapshot, FormErrors> {
        let mut errors = FormErrors::default();
        let month = errors.take("month", parse_month(&self.month, earliest, current));
        let living = errors.take("living", one(&self.living));
        let employment = errors.take("employment", one(&self.employment));
        let income = errors.take("income", set(&self.income_answer, &self.income));
        let coverage = errors.take("coverage", set(&self.coverage_answer, &self.coverage));
        match (month, living, employment, income, coverage) {
            (Some(month), Some(living), Some(employment), Some(income), Some(coverage)) => {
                Ok(NewSnapshot {
                    month,
                    living,
                    employment,
                    income,
                    coverage,
                })
            }
            _ => Err(errors),
        }
    }
}

fn parse_month(raw: &str, earliest: Month, current: Month) -> Result<Month, FieldError> {
    if raw.trim().is_empty() {
        return Err(FieldError::Required);
    }
    let month: Month = raw.parse()?;
    if month > current {
        return Err(FieldError::Future);
    }
    if month < earliest {
        return Err(FieldError::BeforeStart);
    }
    Ok(month)
}

fn one<T: std::str::FromStr<Err = FieldError>>(raw: &str) -> Result<Answer<T>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::Required);
    }
    if let Ok(unknown) = raw.parse::<Unknown>() {
        return Ok(Answer::Unknown(unknown));
    }
    raw.parse().map(Answer::Known)
}

fn set<T: std::str::FromStr<Err = FieldError> + Ord>(
    answer: &str,
    ticked: &[String],
) -> Result<Answer<BTreeSet<T>>, FieldError> {
    let ticked: BTreeSet<T> = ticked
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    match answer.trim() {
        // Ticking a source answers the question, even if the radio was left alone.
        "yes" | "" if !ticked.is_empty() => Ok(Answer::Known(ticked)),
        "" => Err(FieldError::Required),
        "yes" => Err(FieldError::Required),
        // Contradictions are asked again rather than guessed.
        _ if !ticked.is_empty() => Err(FieldError::Choice),
        "none" => Ok(Answer::Known(BTreeSet::new())),
        other => other.parse::<Unknown>().map(Answer::Unknown),
    }
}

/// How a set answer is stored: the codes separated by spaces, `none`, or an unknown code.
pub fn set_code<T: Copy + fmt::Display>(answer: &Answer<BTreeSet<T>>) -> String {
    match answer {
        Answer::Known(set) if set.is_empty() => "none".to_owned(),
        Answer::Known(set) => set
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        Answer::Unknown(unknown) => unknown.code().to_owned(),
    }
}

/// Reads a stored set answer back.
pub fn parse_set_code<T: std::str::FromStr<Err = FieldError> + Ord>(
    code: &str,
) -> Result<Answer<BTreeSet<T>>, FieldError> {
    match code {
        "none" => Ok(Answer::Known(BTreeSet::new())),
        other => match other.parse::<Unknown>() {
            Ok(unknown) => Ok(Answer::Unknown(unknown)),
            Err(_) => other
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<_, _>>()
                .map(Answer::Known),
        },
    }
}

/// How a single answer is stored: the value's code or the unknown code.
pub fn one_code<T: Copy + fmt::Display>(answer: &Answer<T>) -> String {
    match answer {
        Answer::Known(value) => value.to_string(),
        Answer::Unknown(unknown) => unknown.code().to_owned(),
    }
}

/// Reads a stored single answer back.
pub fn parse_one_code<T: std::str::FromStr<Err = FieldError>>(
    code: &str,
) -> Result<Answer<T>, FieldError> {
    one(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn month(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn input() -> SnapshotInput {
        SnapshotInput {
            month: "2026-12".into(),
            living: "116".into(),
            employment: "looking".into(),
            income_answer: "yes".into(),
            income: vec!["ga".into(), "snap".into()],
            coverage_answer: "none".into(),
            coverage: vec![],
        }
    }

    #[test]
    fn a_full_snapshot_parses() {
        let s = input().parse(month("2026-09"), month("2026-12")).unwrap();
        assert_eq!(s.month, month("2026-12"));
        assert_eq!(
            s.living,
            Answer::Known(LivingSituation::PlaceNotMeantForHabitation)
        );
        assert_eq!(
            s.living.known().map(|l| l.housing()),
            Some(Housing::Unsheltered)
        );
        assert_eq!(
            s.income,
            Answer::Known([IncomeSource::GeneralAssistance, IncomeSource::Snap].into())
        );
        assert_eq!(s.coverage, Answer::Known(BTreeSet::new()));
    }

    #[test]
    fn unknown_is_never_none() {
        let unknown = SnapshotInput {
            income_answer: "dont_know".into(),
            income: vec![],
            coverage_answer: String::new(),
            ..input()
        };
        let errors = unknown
            .parse(month("2026-09"), month("2026-12"))
            .unwrap_err();
        // An untouched question is asked again, not stored as "none".
        assert_eq!(errors.get("coverage"), Some(&FieldError::Required));
        assert!(errors.get("income").is_none());
        let fixed = SnapshotInput {
            coverage_answer: "not_asked".into(),
            ..unknown
        };
        let s = fixed.parse(month("2026-09"), month("2026-12")).unwrap();
        assert_eq!(s.income, Answer::Unknown(Unknown::DoesNotKnow));
        assert_eq!(s.coverage, Answer::Unknown(Unknown::NotAsked));
    }

    #[test]
    fn contradictions_and_months_out_of_reach_are_refused() {
        let bad = SnapshotInput {
            month: "2027-01".into(),
            living: "".into(),
            employment: "astronaut".into(),
            income_answer: "none".into(),
            income: vec!["earned".into()],
            coverage_answer: "yes".into(),
            coverage: vec![],
        };
        let errors = bad.parse(month("2026-09"), month("2026-12")).unwrap_err();
        assert_eq!(errors.get("month"), Some(&FieldError::Future));
        assert_eq!(errors.get("living"), Some(&FieldError::Required));
        assert_eq!(errors.get("employment"), Some(&FieldError::Choice));
        assert_eq!(errors.get("income"), Some(&FieldError::Choice));
        assert_eq!(errors.get("coverage"), Some(&FieldError::Required));
        let early = SnapshotInput {
            month: "2026-08".into(),
            ..input()
        };
        assert!(
            early
                .parse(month("2026-09"), month("2026-12"))
                .unwrap_err()
                .get("month")
                .is_some()
        );
        assert!("2026-13".parse::<Month>().is_err());
        assert!("2026-1".parse::<Month>().is_err());
    }

    #[test]
    fn months_count_across_years() {
        assert_eq!(month("2026-01").previous(), month("2025-12"));
        assert_eq!(month("2025-11").months_until(month("2026-02")), 3);
        assert_eq!(month("2026-02").to_string(), "2026-02");
    }

    fn any_income() -> impl Strategy<Value = Answer<BTreeSet<IncomeSource>>> {
        prop_oneof![
            proptest::sample::subsequence(IncomeSource::ALL.to_vec(), 0..5)
                .prop_map(|v| Answer::Known(v.into_iter().collect())),
            proptest::sample::select(Unknown::ALL.to_vec()).prop_map(Answer::Unknown),
        ]
    }

    proptest! {
        #[test]
        fn stored_answers_read_back_the_same(income in any_income()) {
            let code = set_code(&income);
            prop_assert_eq!(parse_set_code::<IncomeSource>(&code).unwrap(), income);
        }
    }

    #[test]
    fn single_answers_read_back_the_same() {
        for living in LivingSituation::ALL {
            let answer = Answer::Known(*living);
            assert_eq!(parse_one_code(&one_code(&answer)), Ok(answer));
        }
        for unknown in Unknown::ALL {
            let answer: Answer<Employment> = Answer::Unknown(*unknown);
            assert_eq!(parse_one_code(&one_code(&answer)), Ok(answer));
        }
    }
}
