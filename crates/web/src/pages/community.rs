//! The Community Leadership Team's view (`/staff/community`): how the community's referrals
//! went, as the referrers rated them (counts, suppressed like everything published), and the
//! comments the project manager shared. And the project manager's review of comments as they
//! were written (`/staff/feedback`): share each in words that identify no one, or keep it.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::access::{Action, allowed};
use leadhub_domain::feedback::{Answered, Decision, Rating, tally};
use leadhub_domain::ids::FeedbackId;
use leadhub_domain::referral::ReferrerType;
use leadhub_domain::results::Cell;
use leadhub_domain::snapshot::Month;
use leadhub_domain::text::limits;
use leadhub_store::FeedbackReviewed;

use super::chrome::render;
use super::results::cell_text;
use super::staff::{Frame, moment};
use super::typed::{SavedQuery, Typed};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

/// Completed months the team's view covers.
const MONTHS_SHOWN: i32 = 12;

/// The public form's own words for a rating or an answer, in English: the staff pages'.
fn label(en: &crate::Tr, prefix: &str, code: &str) -> String {
    en.t(&format!("{prefix}{code}"))
}

#[derive(Template)]
#[template(path = "staff/community.html")]
struct CommunityPage {
    frame: Frame,
    /// Whether a month has ended since the program started.
    ended: bool,
    from: String,
    to: String,
    ratings: Vec<String>,
    /// (month, cells in `ratings` order, month's total).
    rows: Vec<(String, Vec<String>, String)>,
    column_totals: Vec<String>,
    total: String,
    /// (label, count) in [`Answered::ALL`] order.
    answered: Vec<(String, String)>,
    /// The words shared, newest first.
    shared: Vec<String>,
    reviews: bool,
}

/// The months shown: the last twelve that have ended, from the program's start at the
/// earliest; none while the program's first month runs. Only ended months, because their
/// counts never change: someone watching a live count go up as a neighbour sends their
/// feedback would learn that neighbour's rating.
fn months_shown(state: &AppState, now: time::OffsetDateTime) -> Vec<Month> {
    let start = Month::of(state.site.program_start);
    let mut months = Vec::new();
    let mut month = Month::of(state.site.calendar.day_of(now)).previous();
    while months.len() < MONTHS_SHOWN as usize && start.months_until(month) >= 0 {
        months.push(month);
        month = month.previous();
    }
    months.reverse();
    months
}

pub async fn show(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    let now = leadhub_store::now();
    let months = months_shown(&state, now);
    let calendar = &state.site.calendar;
    let (from, to) = match (months.first(), months.last()) {
        (Some(first), Some(last)) => (
            calendar.start_of(first.first_day()),
            calendar.start_of(last.next().first_day()),
        ),
        _ => (now, now),
    };
    let view = state.db.community_feedback(from, to).await?;
    let counted = tally(&months, &view.by_month(calendar));
    let en = crate::Tr::new(state.i18n.clone(), leadhub_domain::Language::En);
    let cell = |c: &Cell| cell_text(&en, *c);
    let rows = months
        .iter()
        .zip(&counted.ratings.rows)
        .zip(&counted.ratings.row_totals)
        .rev()
        .map(|((m, cells), total)| (m.to_string(), cells.iter().map(cell).collect(), cell(total)))
        .collect();
    let page = CommunityPage {
        ended: !months.is_empty(),
        frame: Frame::staff(&state, &user, "Community view", "/staff/community"),
        from: months.first().map(Month::to_string).unwrap_or_default(),
        to: months.last().map(Month::to_string).unwrap_or_default(),
        ratings: Rating::ALL
            .iter()
            .map(|r| label(&en, "feedback-rating-", r.code()))
            .collect(),
        rows,
        column_totals: counted.ratings.column_totals.iter().map(cell).collect(),
        total: cell(&counted.ratings.total),
        answered: Answered::ALL
            .iter()
            .zip(&counted.answered.cells)
            .map(|(a, c)| (label(&en, "feedback-answered-", a.code()), cell(c)))
            .collect(),
        shared: view.shared,
        reviews: allowed(user.session.role, Action::FeedbackReview).is_some(),
    };
    Ok(render(&page)?.into_response())
}

struct WaitingRow {
    id: String,
    received: String,
    rating: String,
    answered: String,
    respondent: String,
    /// The language tag of the page it was sent from, and its name.
    language: String,
    language_name: String,
    referral: Option<(String, String)>,
    comment: String,
}

#[derive(Template)]
#[template(path = "staff/feedback.html")]
struct ReviewPage {
    frame: Frame,
    csrf: String,
    waiting: Vec<WaitingRow>,
    total: i64,
    typed: Typed,
    max: usize,
}

/// Who sent it, in the public form's own words.
fn respondent_label(en: &crate::Tr, respondent: Option<ReferrerType>) -> String {
    match respondent {
        Some(r) => en.t(&format!("referrer-{}", r.code())),
        None => "Did not say".to_owned(),
    }
}

async fn review_page_for(
    state: &AppState,
    user: &StaffUser,
    typed: Typed,
    notice: &str,
) -> Result<ReviewPage, AppError> {
    let now = leadhub_store::now();
    let (comments, total) = state
        .db
        .waiting_feedback(&user.session.actor(), &user.address, now)
        .await?;
    let en = crate::Tr::new(state.i18n.clone(), leadhub_domain::Language::En);
    let mut frame = Frame::staff(state, user, "Community feedback", "/staff/feedback");
    frame.notice = notice.to_owned();
    frame.error = typed.page_error("");
    let waiting = comments
        .into_iter()
        .map(|c| WaitingRow {
            id: c.id.to_string(),
            received: moment(state, c.received_at),
            rating: label(&en, "feedback-rating-", c.rating.code()),
            answered: label(&en, "feedback-answered-", c.answered.code()),
            respondent: respondent_label(&en, c.respondent),
            language_name: en.t(&format!("lang-{}", c.language)),
            language: c.language,
            referral: c.referral.map(|(id, code)| (id.to_string(), code)),
            comment: c.comment,
        })
        .collect();
    Ok(ReviewPage {
        frame,
        csrf: user.csrf.clone(),
        waiting,
        total,
        typed,
        max: limits::DESCRIPTION,
    })
}

pub async fn review_page(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let notice = match query.saved.as_str() {
        "shared" => "Shared: the Community Leadership Team now sees it in your words.",
        "kept" => "Kept: the team will not see this comment; its rating still counts.",
        "decided" => "Someone decided about that comment already; nothing was changed.",
        _ => "",
    };
    let page = review_page_for(&state, &user, Typed::default(), notice).await?;
    Ok(render(&page)?.into_response())
}

pub async fn review(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let id: FeedbackId = fields
        .get("id")
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    let decision = match Decision::parse(&fields.get("decision"), &fields.get("wording")) {
        Ok(decision) => decision,
        // The two buttons send one of the decisions: anything else is not our form.
        Err(errors) if errors.get("decision").is_some() => return Err(AppError::BadRequest),
        Err(errors) => {
            let typed = Typed::new(format!("comment-{id}"), fields, &errors);
            let page = review_page_for(&state, &user, typed, "").await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let reviewed = state
        .db
        .review_feedback(
            &user.session.actor(),
            id,
            &decision,
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    let saved = match (reviewed, &decision) {
        (FeedbackReviewed::NotFound, _) => return Err(AppError::NotFound),
        (FeedbackReviewed::AlreadyReviewed, _) => "decided",
        (FeedbackReviewed::Done, Decision::Share(_)) => "shared",
        (FeedbackReviewed::Done, Decision::Keep) => "kept",
    };
    Ok(Redirect::to(&format!("/staff/feedback?saved={saved}")).into_response())
}
