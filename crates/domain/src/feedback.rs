//! Community feedback on referrals: how someone who referred a person (or anyone in the
//! community) found LEAD's answer. The Community Leadership Team sees the ratings as counts and
//! the comments only once the project manager has shared them, reworded where they would
//! identify anyone.

use crate::ids::ReferenceCode;
use crate::language::Language;
use crate::referral::{ReferrerType, code_enum};
use crate::results::suppression::{PublishedLine, PublishedTable, Sheet};
use crate::snapshot::Month;
use crate::text::{self, FieldError, FormErrors, limits, required_code};

code_enum!(
    /// Whether someone from LEAD got back to the referrer.
    Answered {
        /// Within the promised business day.
        InTime => "in_time",
        Later => "later",
        NotYet => "not_yet",
        /// The referrer asked not to be contacted.
        NotAsked => "not_asked",
    }
);

code_enum!(
    /// How well LEAD handled the referral, as the referrer saw it. Best first.
    Rating {
        VeryWell => "very_well",
        Well => "well",
        NotWell => "not_well",
        Poorly => "poorly",
    }
);

code_enum!(
    /// Where a comment stands with the project manager.
    Review {
        Waiting => "waiting",
        /// Shown to the Community Leadership Team, in the words the reviewer chose.
        Shared => "shared",
        /// Read by the project manager and kept from the team.
        Kept => "kept",
        /// No comment came with it: there is nothing to decide, only a rating to count.
        NoComment => "none",
    }
);

/// The "who are you?" answer of someone who would rather not say.
pub const UNSAID: &str = "unsaid";

/// The feedback form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackInput {
    pub code: String,
    pub respondent: String,
    pub answered: String,
    pub rating: String,
    pub comment: String,
}

/// Valid feedback, ready to store (the code is checked against the referrals there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    pub code: Option<ReferenceCode>,
    pub respondent: Option<ReferrerType>,
    pub answered: Answered,
    pub rating: Rating,
    pub comment: Option<String>,
    /// The language of the page the form was sent from.
    pub language: Language,
}

impl FeedbackInput {
    pub fn parse(&self, language: Language) -> Result<NewFeedback, FormErrors> {
        let mut errors = FormErrors::default();
        let code = match self.code.trim() {
            "" => Some(None),
            typed => errors.take(
                "code",
                typed
                    .parse::<ReferenceCode>()
                    .map(Some)
                    .map_err(|_| FieldError::UnknownCode),
            ),
        };
        let respondent = match self.respondent.trim() {
            "" | UNSAID => Some(None),
            typed => errors.take("respondent", typed.parse().map(Some)),
        };
        let answered = errors.take("answered", required_code(&self.answered));
        let rating = errors.take("rating", required_code(&self.rating));
        let comment = errors.take(
            "comment",
            text::optional(&self.comment, limits::DESCRIPTION),
        );
        match (code, respondent, answered, rating, comment) {
            (Some(code), Some(respondent), Some(answered), Some(rating), Some(comment)) => {
                Ok(NewFeedback {
                    code,
                    respondent,
                    answered,
                    rating,
                    comment,
                    language,
                })
            }
            _ => Err(errors),
        }
    }
}

/// What the project manager decided about a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Share it with the Community Leadership Team in these words.
    Share(String),
    /// Keep it from the team.
    Keep,
}

impl Decision {
    /// The review form: `share` with the wording to show, or `keep`.
    pub fn parse(decision: &str, wording: &str) -> Result<Decision, FormErrors> {
        let mut errors = FormErrors::default();
        match decision.trim() {
            "keep" => return Ok(Decision::Keep),
            "share" => {
                if let Some(text) =
                    errors.take("wording", text::required(wording, limits::DESCRIPTION))
                {
                    return Ok(Decision::Share(text));
                }
            }
            _ => errors.add("decision", FieldError::Choice),
        }
        Err(errors)
    }
}

/// One response as the tally counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response {
    pub month: Month,
    pub rating: Rating,
    pub answered: Answered,
}

/// The responses of some months as the Community Leadership Team sees them: counts only,
/// suppressed as everything published is (a respondent is a person too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Rows are the months asked for, columns [`Rating::ALL`].
    pub ratings: PublishedTable,
    /// In [`Answered::ALL`] order; its total is the ratings' total.
    pub answered: PublishedLine,
}

/// Counts `responses` in `months` (others are left out). The two tables share their total,
/// so they go through one suppression sheet.
pub fn tally(months: &[Month], responses: &[Response]) -> Tally {
    let rating_column = |r: Rating| Rating::ALL.iter().position(|x| *x == r);
    let answered_column = |a: Answered| Answered::ALL.iter().position(|x| *x == a);
    let mut rows = vec![vec![0u64; Rating::ALL.len()]; months.len()];
    let mut answered = vec![0u64; Answered::ALL.len()];
    for response in responses {
        let Some(row) = months.iter().position(|m| *m == response.month) else {
            continue;
        };
        if let (Some(cell), Some(column)) = (
            rows.get_mut(row)
                .and_then(|r| rating_column(response.rating).and_then(|c| r.get_mut(c))),
            answered_column(response.answered).and_then(|c| answered.get_mut(c)),
        ) {
            *cell += 1;
            *column += 1;
        }
    }
    let mut sheet = Sheet::default();
    let table = sheet.add_table(&rows, Rating::ALL.len());
    let answered_slots: Vec<_> = answered.iter().map(|&n| sheet.add(n)).collect();
    sheet.sum(&answered_slots, table.total);
    let solved = sheet.solve();
    Tally {
        ratings: PublishedTable::from_slots(&solved, &table),
        answered: PublishedLine::from_slots(&solved, &answered_slots, table.total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::Cell;

    fn input() -> FeedbackInput {
        FeedbackInput {
            code: String::new(),
            respondent: String::new(),
            answered: "in_time".into(),
            rating: "well".into(),
            comment: String::new(),
        }
    }

    #[test]
    fn only_the_two_answers_are_required() {
        let feedback = input().parse(Language::So).unwrap();
        assert_eq!(feedback.code, None);
        assert_eq!(feedback.respondent, None);
        assert_eq!(feedback.answered, Answered::InTime);
        assert_eq!(feedback.rating, Rating::Well);
        assert_eq!(feedback.comment, None);
        assert_eq!(feedback.language, Language::So);

        let empty = FeedbackInput::default().parse(Language::En).unwrap_err();
        assert_eq!(empty.get("answered"), Some(&FieldError::Required));
        assert_eq!(empty.get("rating"), Some(&FieldError::Required));
        assert_eq!(empty.get("code"), None);
    }

    #[test]
    fn a_code_is_read_as_people_type_it_and_anything_else_is_refused() {
        let code = ReferenceCode::random();
        let typed = FeedbackInput {
            code: format!(" {} ", code.as_str().to_lowercase()),
            ..input()
        };
        assert_eq!(typed.parse(Language::En).unwrap().code, Some(code));
        let bad = FeedbackInput {
            // "not a code" would read as N0TA-C0DE: a code that is too short cannot.
            code: "K7QM-4Z".into(),
            ..input()
        };
        let errors = bad.parse(Language::En).unwrap_err();
        assert_eq!(errors.get("code"), Some(&FieldError::UnknownCode));
    }

    #[test]
    fn choices_and_lengths_are_checked() {
        let bad = FeedbackInput {
            respondent: "officer".into(),
            answered: "sometimes".into(),
            rating: "5".into(),
            comment: "x".repeat(limits::DESCRIPTION + 1),
            ..input()
        };
        let errors = bad.parse(Language::En).unwrap_err();
        assert_eq!(errors.get("respondent"), Some(&FieldError::Choice));
        assert_eq!(errors.get("answered"), Some(&FieldError::Choice));
        assert_eq!(errors.get("rating"), Some(&FieldError::Choice));
        assert_eq!(
            errors.get("comment"),
            Some(&FieldError::TooLong {
                max: limits::DESCRIPTION
            })
        );
        let business = FeedbackInput {
            respondent: "business".into(),
            comment: "  They came the same afternoon.  ".into(),
            ..input()
        };
        let feedback = business.parse(Language::Es).unwrap();
        assert_eq!(feedback.respondent, Some(ReferrerType::Business));
        assert_eq!(
            feedback.comment.as_deref(),
            Some("They came the same afternoon.")
        );
    }

    #[test]
    fn sharing_needs_words_and_keeping_does_not() {
        assert_eq!(Decision::parse("keep", ""), Ok(Decision::Keep));
        assert_eq!(
            Decision::parse("share", " Quick and kind. "),
            Ok(Decision::Share("Quick and kind.".into()))
        );
        let unsaid = FeedbackInput {
            respondent: UNSAID.into(),
            ..input()
        };
        assert_eq!(unsaid.parse(Language::En).unwrap().respondent, None);
        let empty = Decision::parse("share", "  ").unwrap_err();
        assert_eq!(empty.get("wording"), Some(&FieldError::Required));
        let none = Decision::parse("", "words").unwrap_err();
        assert_eq!(none.get("decision"), Some(&FieldError::Choice));
    }

    fn month(m: i8) -> Month {
        Month::of(jiff::civil::date(2026, m, 1))
    }

    fn responses(m: i8, rating: Rating, answered: Answered, n: usize) -> Vec<Response> {
        vec![
            Response {
                month: month(m),
                rating,
                answered,
            };
            n
        ]
    }

    #[test]
    fn the_tally_counts_by_month_and_hides_small_numbers_in_both_tables() {
        let months = [month(10), month(11)];
        let mut all = responses(10, Rating::VeryWell, Answered::InTime, 12);
        all.extend(responses(11, Rating::VeryWell, Answered::InTime, 11));
        all.extend(responses(11, Rating::Poorly, Answered::NotYet, 3));
        // Outside the months asked for: not counted.
        all.extend(responses(9, Rating::Poorly, Answered::Later, 5));
        let tally = tally(&months, &all);
        assert_eq!(tally.ratings.total, Cell::Count(26));
        assert_eq!(tally.ratings.rows[0][3], Cell::Count(0));
        assert_eq!(tally.ratings.rows[1][3], Cell::FewerThan11);
        // November's 14 less its 11 "very well" would give the 3 away: one of them is hidden,
        // and so then is something in the "very well" column (23 = 12 + 11).
        assert!(
            tally.ratings.rows[1][0].is_suppressed() || tally.ratings.row_totals[1].is_suppressed()
        );
        assert!(
            tally.ratings.rows[0][0].is_suppressed()
                || tally.ratings.column_totals[0].is_suppressed()
        );
        // The same 3 in the other table: 26 less 23 "in time" would tell it.
        assert_eq!(tally.answered.total, Cell::Count(26));
        assert_eq!(tally.answered.cells[2], Cell::FewerThan11);
        assert!(tally.answered.cells[0].is_suppressed());
        assert_eq!(tally.answered.cells[1], Cell::Count(0));
    }

    #[test]
    fn large_counts_are_shown_as_they_are() {
        let mut all = responses(10, Rating::Well, Answered::Later, 15);
        all.extend(responses(10, Rating::NotWell, Answered::InTime, 11));
        let tally = tally(&[month(10)], &all);
        assert_eq!(
            tally.ratings.rows[0],
            vec![
                Cell::Count(0),
                Cell::Count(15),
                Cell::Count(11),
                Cell::Count(0)
            ]
        );
        assert_eq!(
            tally.answered.cells,
            vec![
                Cell::Count(11),
                Cell::Count(15),
                Cell::Count(0),
                Cell::Count(0)
            ]
        );
        assert_eq!(tally.answered.total, Cell::Count(26));
    }

    #[test]
    fn no_responses_are_zeros() {
        let tally = tally(&[month(1)], &[]);
        assert_eq!(tally.ratings.total, Cell::Count(0));
        assert!(tally.answered.cells.iter().all(|c| *c == Cell::Count(0)));
    }
}
