//! Legal matters and the coordination around them.
//!
//! A participant's other cases (the ones LEAD did not divert) can undo the progress of their
//! plan: a warrant, a court date missed while in detox, a charge filed the week housing came
//! through. A legal matter records such a case as the legal system knows it (jurisdiction,
//! case number, charges and their level, next court date, warrant, who prosecutes and who
//! defends) and whether every charge is on the divertible list the Policy Coordinating Group
//! keeps in the site profile. The coordination log holds what the case manager and the
//! liaison asked of each other about it, which plan goals it serves, and who decided what
//! and when.

use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;

use crate::consent::parse_day;
use crate::ids::GoalId;
use crate::referral::code_enum;
use crate::site::SiteProfile;
use crate::text::{self, FieldError, FormErrors, limits, required_code};

code_enum!(
    /// How serious a charge is, in Minnesota's terms.
    ChargeLevel {
        PettyMisdemeanor => "petty_misdemeanor",
        Misdemeanor => "misdemeanor",
        GrossMisdemeanor => "gross_misdemeanor",
        Felony => "felony",
    }
);

code_enum!(
    /// Where a matter stands in the legal system.
    MatterStatus {
        /// Referred for charging; nothing filed yet.
        PreCharge => "pre_charge",
        /// The prosecutor holds off filing while the person is engaged with LEAD.
        FilingHeld => "filing_held",
        /// Filed and before the court.
        Charged => "charged",
        /// The prosecutor decided not to charge.
        NotCharged => "not_charged",
        Dismissed => "dismissed",
        /// Resolved by plea, trial or an agreed disposition.
        Resolved => "resolved",
    }
);

impl MatterStatus {
    /// Still something to coordinate on (court dates and warrants count only for these).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            MatterStatus::PreCharge | MatterStatus::FilingHeld | MatterStatus::Charged
        )
    }
}

code_enum!(
    /// Whether a warrant is out on the matter.
    WarrantStatus {
        NoWarrant => "none",
        Active => "active",
        Quashed => "quashed",
    }
);

/// A case number as the court or prosecutor writes it (`27-CR-26-1234`, `MPD 26-004512`):
/// letters, digits, spaces, dashes, dots and slashes, folded to upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseNumber(String);

/// A case number is at most this long.
pub const CASE_NUMBER_MAX: usize = 40;

impl CaseNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for CaseNumber {
    type Err = FieldError;
    fn from_str(raw: &str) -> Result<Self, FieldError> {
        let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if folded.is_empty() {
            return Err(FieldError::Required);
        }
        if folded.chars().count() > CASE_NUMBER_MAX {
            return Err(FieldError::TooLong {
                max: CASE_NUMBER_MAX,
            });
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || " -./".contains(c);
        if !folded.chars().all(allowed) || !folded.chars().any(|c| c.is_ascii_digit()) {
            return Err(FieldError::CaseNumber);
        }
        Ok(CaseNumber(folded.to_ascii_uppercase()))
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One charge of a matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// The key of the divertible charge it is, on the site's list when it was entered; `None`
    /// for a charge that is not on the list.
    pub listed: Option<String>,
    /// The charge as written (for a listed one, the list's label unless more was typed).
    pub words: String,
    pub level: ChargeLevel,
}

impl Charge {
    pub fn divertible(&self) -> bool {
        self.listed.is_some()
    }
}

/// A charge as typed: one row of the matter form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChargeInput {
    pub listed: String,
    pub words: String,
    pub level: String,
}

impl ChargeInput {
    fn is_blank(&self) -> bool {
        [&self.listed, &self.words, &self.level]
            .iter()
            .all(|f| f.trim().is_empty())
    }
}

/// A matter form has this many charge rows; a matter has at most this many charges.
pub const CHARGE_ROWS: usize = 6;

/// The field names of each charge row: (listed, words, level).
pub const CHARGE_FIELDS: [(&str, &str, &str); CHARGE_ROWS] = [
    ("charge1_listed", "charge1_words", "charge1_level"),
    ("charge2_listed", "charge2_words", "charge2_level"),
    ("charge3_listed", "charge3_words", "charge3_level"),
    ("charge4_listed", "charge4_words", "charge4_level"),
    ("charge5_listed", "charge5_words", "charge5_level"),
    ("charge6_listed", "charge6_words", "charge6_level"),
];

/// A legal matter as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matter {
    /// The court or prosecuting office (`Hennepin County District Court`).
    pub jurisdiction: String,
    /// `None` before anything is filed.
    pub case_number: Option<CaseNumber>,
    /// At least one, in the order typed.
    pub charges: Vec<Charge>,
    pub status: MatterStatus,
    pub next_court_at: Option<OffsetDateTime>,
    pub warrant: WarrantStatus,
    pub prosecutor: Option<String>,
    pub defender: Option<String>,
}

impl Matter {
    /// Divertible only when every charge is on the list: one charge that is not makes the
    /// whole matter one to coordinate on.
    pub fn divertible(&self) -> bool {
        !self.charges.is_empty() && self.charges.iter().all(Charge::divertible)
    }
}

/// A legal matter as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatterInput {
    pub jurisdiction: String,
    pub case_number: String,
    /// One per row of the form, blank rows included (they are skipped).
    pub charges: Vec<ChargeInput>,
    pub status: String,
    /// `datetime-local`, on the site's clock; empty for none.
    pub next_court: String,
    pub warrant: String,
    pub prosecutor: String,
    pub defender: String,
}

impl MatterInput {
    /// Parses the form against the site's divertible list. Errors name the field: a charge
    /// row's own fields, or `charges` when there is none at all.
    pub fn parse(&self, site: &SiteProfile) -> Result<Matter, FormErrors> {
        let mut errors = FormErrors::default();
        let jurisdiction = errors.take(
            "jurisdiction",
            text::required(&self.jurisdiction, limits::SHORT),
        );
        let case_number = errors.take(
            "case_number",
            match self.case_number.trim() {
                "" => Ok(None),
                raw => raw.parse().map(Some),
            },
        );
        let charges = parse_charges(&self.charges, site, &mut errors);
        let status = errors.take("status", required_code(&self.status));
        let next_court_at = errors.take(
            "next_court",
            match self.next_court.trim() {
                "" => Ok(None),
                raw => site.local_time(raw).map(Some),
            },
        );
        let warrant = errors.take(
            "warrant",
            match self.warrant.trim() {
                "" => Ok(WarrantStatus::NoWarrant),
                raw => raw.parse(),
            },
        );
        let prosecutor = errors.take("prosecutor", text::optional(&self.prosecutor, limits::NAME));
        let defender = errors.take("defender", text::optional(&self.defender, limits::NAME));
        if !errors.is_empty() {
            return Err(errors);
        }
        match (
            jurisdiction,
            case_number,
            status,
            next_court_at,
            warrant,
            prosecutor,
            defender,
        ) {
            (
                Some(jurisdiction),
                Some(case_number),
                Some(status),
                Some(next_court_at),
                Some(warrant),
                Some(prosecutor),
                Some(defender),
            ) => Ok(Matter {
                jurisdiction,
                case_number,
                charges,
                status,
                next_court_at,
                warrant,
                prosecutor,
                defender,
            }),
            _ => Err(errors),
        }
    }
}

/// The charge rows that are not blank, each checked; at least one.
fn parse_charges(rows: &[ChargeInput], site: &SiteProfile, errors: &mut FormErrors) -> Vec<Charge> {
    if rows.len() > CHARGE_ROWS {
        errors.add("charges", FieldError::TooMany { max: CHARGE_ROWS });
        return Vec::new();
    }
    let mut charges = Vec::new();
    for (row, (listed_field, words_field, level_field)) in rows.iter().zip(CHARGE_FIELDS) {
        if row.is_blank() {
            continue;
        }
        let listed = errors.take(
            listed_field,
            match row.listed.trim() {
                "" => Ok(None),
                key => site
                    .divertible(key)
                    .map(|c| Some(c.clone()))
                    .ok_or(FieldError::Choice),
            },
        );
        let words = errors.take(
            words_field,
            match (&listed, text::optional(&row.words, limits::SHORT)) {
                (_, Err(e)) => Err(e),
                (_, Ok(Some(words))) => Ok(Some(words)),
                // A listed charge needs no words: its label says what it is.
                (Some(Some(charge)), Ok(None)) => Ok(Some(charge.label.clone())),
                (_, Ok(None)) => Err(FieldError::Required),
            },
        );
        let level = errors.take(level_field, required_code(&row.level));
        if let (Some(listed), Some(Some(words)), Some(level)) = (listed, words, level) {
            charges.push(Charge {
                listed: listed.map(|c| c.key),
                words,
                level,
            });
        }
    }
    if charges.is_empty() && errors.is_empty() {
        errors.add("charges", FieldError::Required);
    }
    charges
}

code_enum!(
    /// What one side of the coordination asks of the other.
    RequestKind {
        /// Hold off filing while the person is engaged with LEAD.
        HoldFiling => "hold_filing",
        /// Recommend a disposition (dismissal, a deferred or diverted resolution).
        RecommendDisposition => "recommend_disposition",
        ResetCourtDate => "reset_court_date",
        QuashWarrant => "quash_warrant",
        /// Conditions of release that the plan can live with.
        ReleaseConditions => "release_conditions",
        Other => "other",
    }
);

code_enum!(
    /// How a request was settled.
    RequestAnswer {
        Agreed => "agreed",
        Declined => "declined",
        /// The asker took it back (no longer needed).
        Withdrawn => "withdrawn",
    }
);

/// A request's words, and an answer's, are at most this long.
pub const REQUEST_WORDS: usize = limits::DESCRIPTION;

/// A request as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestInput {
    pub kind: String,
    pub words: String,
    /// Plan goals it serves (ids, from checkboxes).
    pub goals: Vec<String>,
}

/// A request as made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub kind: RequestKind,
    pub words: String,
    pub goals: Vec<GoalId>,
}

impl RequestInput {
    pub fn parse(&self) -> Result<NewRequest, FormErrors> {
        let mut errors = FormErrors::default();
        let kind = errors.take("kind", required_code(&self.kind));
        let words = errors.take("words", text::required(&self.words, REQUEST_WORDS));
        let goals = errors.take(
            "goals",
            self.goals
                .iter()
                .map(|g| g.trim().parse::<GoalId>().map_err(|_| FieldError::Choice))
                .collect::<Result<Vec<_>, _>>(),
        );
        match (kind, words, goals) {
            (Some(kind), Some(words), Some(mut goals)) => {
                goals.sort();
                goals.dedup();
                Ok(NewRequest { kind, words, goals })
            }
            _ => Err(errors),
        }
    }
}

/// An answer as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerInput {
    pub answer: String,
    pub words: String,
    /// Who decided: a name and an agency (`ACA Lee, Hennepin County Attorney`).
    pub decided_by: String,
    /// The day it was decided, on the site's clock.
    pub decided_on: String,
}

/// A request's answer: what was decided, by whom, on which day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub answer: RequestAnswer,
    pub words: Option<String>,
    pub decided_by: String,
    pub decided_on: jiff::civil::Date,
}

impl AnswerInput {
    /// `today` is the site's day now: a decision cannot be dated later.
    pub fn parse(&self, today: jiff::civil::Date) -> Result<Answer, FormErrors> {
        let mut errors = FormErrors::default();
        let answer = errors.take("answer", required_code(&self.answer));
        let words = errors.take("words", text::optional(&self.words, REQUEST_WORDS));
        let decided_by = errors.take(
            "decided_by",
            text::required(&self.decided_by, limits::SHORT),
        );
        let decided_on = errors.take(
            "decided_on",
            parse_day(&self.decided_on).and_then(|day| {
                if day > today {
                    Err(FieldError::Future)
                } else {
                    Ok(day)
                }
            }),
        );
        match (answer, words, decided_by, decided_on) {
            (Some(answer), Some(words), Some(decided_by), Some(decided_on)) => Ok(Answer {
                answer,
                words,
                decided_by,
                decided_on,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteProfile {
        SiteProfile::minneapolis().unwrap()
    }

    fn charge(listed: &str, words: &str, level: &str) -> ChargeInput {
        ChargeInput {
            listed: listed.into(),
            words: words.into(),
            level: level.into(),
        }
    }

    fn matter(charges: Vec<ChargeInput>) -> MatterInput {
        MatterInput {
            jurisdiction: "Hennepin County District Court".into(),
            case_number: " 27-cr-26-1234 ".into(),
            charges,
            status: "charged".into(),
            next_court: "2026-12-14T09:30".into(),
            warrant: String::new(),
            prosecutor: "Minneapolis City Attorney".into(),
            defender: String::new(),
        }
    }

    #[test]
    fn case_numbers_are_folded_and_checked() {
        let n: CaseNumber = " 27-cr-26-1234 ".parse().unwrap();
        assert_eq!(n.as_str(), "27-CR-26-1234");
        assert_eq!(
            "MPD  26/004512".parse::<CaseNumber>().unwrap().as_str(),
            "MPD 26/004512"
        );
        assert_eq!(
            "=HYPERLINK(1)".parse::<CaseNumber>(),
            Err(FieldError::CaseNumber)
        );
        assert_eq!(
            "no digits".parse::<CaseNumber>(),
            Err(FieldError::CaseNumber)
        );
        assert_eq!(
            "1".repeat(41).parse::<CaseNumber>(),
            Err(FieldError::TooLong { max: 40 })
        );
    }

    #[test]
    fn a_matter_is_divertible_only_when_every_charge_is_on_the_list() {
        let only_listed = matter(vec![charge("trespass", "", "misdemeanor")]);
        let parsed = only_listed.parse(&site()).unwrap();
        assert!(parsed.divertible());
        assert_eq!(
            parsed.charges[0].words, "Trespass",
            "the list's label stands in"
        );
        assert_eq!(parsed.warrant, WarrantStatus::NoWarrant);
        assert_eq!(parsed.case_number.unwrap().as_str(), "27-CR-26-1234");

        let mixed = matter(vec![
            charge("trespass", "", "misdemeanor"),
            ChargeInput::default(),
            charge("", "Assault in the fifth degree", "misdemeanor"),
        ]);
        let parsed = mixed.parse(&site()).unwrap();
        assert_eq!(parsed.charges.len(), 2, "the blank row is skipped");
        assert!(!parsed.divertible());
    }

    #[test]
    fn a_matter_needs_a_charge_and_names_each_bad_field() {
        let errors = matter(vec![ChargeInput::default()])
            .parse(&site())
            .unwrap_err();
        assert_eq!(errors.get("charges"), Some(&FieldError::Required));

        let mut bad = matter(vec![
            charge("not-on-the-list", "", "misdemeanor"),
            charge("", "", "felony"),
            charge("", "Robbery", "capital"),
        ]);
        bad.next_court = "next tuesday".into();
        bad.jurisdiction = " ".into();
        let errors = bad.parse(&site()).unwrap_err();
        assert_eq!(errors.get("charge1_listed"), Some(&FieldError::Choice));
        assert_eq!(errors.get("charge2_words"), Some(&FieldError::Required));
        assert_eq!(errors.get("charge3_level"), Some(&FieldError::Choice));
        assert_eq!(errors.get("next_court"), Some(&FieldError::Choice));
        assert_eq!(errors.get("jurisdiction"), Some(&FieldError::Required));
        assert_eq!(
            errors.get("charges"),
            None,
            "rows with errors are not missing"
        );
    }

    #[test]
    fn more_rows_than_the_form_has_are_refused() {
        let rows = vec![charge("", "Theft", "misdemeanor"); CHARGE_ROWS + 1];
        let errors = matter(rows).parse(&site()).unwrap_err();
        assert_eq!(
            errors.get("charges"),
            Some(&FieldError::TooMany { max: CHARGE_ROWS })
        );
    }

    #[test]
    fn only_open_matters_are_coordinated_on() {
        let open: Vec<_> = MatterStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.code())
            .collect();
        assert_eq!(open, ["pre_charge", "filing_held", "charged"]);
    }

    #[test]
    fn a_request_names_its_goals_once() {
        let goal = GoalId::new();
        let input = RequestInput {
            kind: "hold_filing".into(),
            words: "Housing interview on the 12th; please hold filing until after.".into(),
            goals: vec![goal.to_string(), goal.to_string()],
        };
        let request = input.parse().unwrap();
        assert_eq!(request.kind, RequestKind::HoldFiling);
        assert_eq!(request.goals, vec![goal]);

        let bad = RequestInput {
            kind: "arrest".into(),
            words: String::new(),
            goals: vec!["not-a-goal".into()],
        };
        let errors = bad.parse().unwrap_err();
        assert_eq!(errors.get("kind"), Some(&FieldError::Choice));
        assert_eq!(errors.get("words"), Some(&FieldError::Required));
        assert_eq!(errors.get("goals"), Some(&FieldError::Choice));
    }

    #[test]
    fn an_answer_says_who_decided_and_cannot_be_dated_later_than_today() {
        let today = jiff::civil::date(2026, 12, 3);
        let input = AnswerInput {
            answer: "agreed".into(),
            words: String::new(),
            decided_by: "ACA Lee, Hennepin County Attorney".into(),
            decided_on: "2026-12-03".into(),
        };
        let answer = input.parse(today).unwrap();
        assert_eq!(answer.answer, RequestAnswer::Agreed);
        assert_eq!(answer.words, None);

        let later = AnswerInput {
            decided_on: "2026-12-04".into(),
            decided_by: String::new(),
            ..input
        };
        let errors = later.parse(today).unwrap_err();
        assert_eq!(errors.get("decided_on"), Some(&FieldError::Future));
        assert_eq!(errors.get("decided_by"), Some(&FieldError::Required));
    }
}
