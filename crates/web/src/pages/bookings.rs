//! The booking feed: the upload form (an administrator, a liaison or the project manager
//! sends the jail's or an agency's CSV export), what became of each upload (counts only),
//! and the review of rows the engine was not sure of (the project manager).
//!
//! A file with any problem imports nothing and comes back with every problem by line and
//! column, and with the agency and column names as typed (a browser cannot refill a file
//! input, so the page asks for the file again).

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::access::{Action, allowed};
use leadhub_domain::booking::{self, ColumnMap, EventKind, FileErrors, FileProblem};
use leadhub_domain::ids::{BookingImportId, BookingReviewId, ParticipantId};
use leadhub_store::{ImportCounts, ImportLine, Imported, ReviewChoice, Reviewed};
use serde::Deserialize;

use super::chrome::render;
use super::staff::{Frame, moment};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::upload::Upload;
use crate::{AppError, AppState};

/// What a feed row records, as the pages say it.
pub fn kind_label(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Booking => "Booked",
        EventKind::Citation => "Arrested and cited",
        EventKind::Charge => "Charged without an arrest",
    }
}

/// The file field of the upload form.
const FEED_FIELD: &str = "feed";
/// Uploads listed on the page.
const RECENT_IMPORTS: i64 = 20;

#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    imported: String,
}

/// An upload's line on the page.
struct ImportRow {
    at: String,
    by: String,
    counts: ImportCounts,
}

#[derive(Template)]
#[template(path = "staff/bookings.html")]
struct FeedPage {
    frame: Frame,
    csrf: String,
    columns: String,
    agency: String,
    /// Every problem with the file sent, and how many more there were.
    problems: Vec<String>,
    more: usize,
    /// The upload just made.
    done: Option<ImportCounts>,
    imports: Vec<ImportRow>,
    /// Rows waiting for review, when the reader may review them.
    waiting: Option<i64>,
    known_columns: String,
}

async fn feed_page(
    state: &AppState,
    user: &StaffUser,
    typed: &FormFields,
    errors: Option<FileErrors>,
    done: Option<BookingImportId>,
) -> Result<FeedPage, AppError> {
    let mut frame = Frame::staff(state, user, "Booking feed", "/staff/bookings");
    let recent = state.db.recent_imports(RECENT_IMPORTS).await?;
    let done = done.and_then(|id| recent.iter().find(|i| i.id == id).map(|i| i.counts));
    if done.is_some() {
        frame.notice = "Imported.".into();
    }
    let (problems, more) = match errors {
        Some(errors) => {
            frame.error = "Nothing was imported: see below.".into();
            (
                errors.problems.iter().map(ToString::to_string).collect(),
                errors.more,
            )
        }
        None => (Vec::new(), 0),
    };
    let waiting = match allowed(user.session.role, Action::BookingsReview) {
        Some(_) => Some(state.db.bookings_waiting().await?),
        None => None,
    };
    Ok(FeedPage {
        frame,
        csrf: user.csrf.clone(),
        columns: typed.get("columns"),
        agency: typed.get("agency"),
        problems,
        more,
        done,
        imports: recent.iter().map(|i| import_row(state, i)).collect(),
        waiting,
        known_columns: booking::known_columns(),
    })
}

fn import_row(state: &AppState, line: &ImportLine) -> ImportRow {
    ImportRow {
        at: moment(state, line.uploaded_at),
        by: line.uploaded_by.clone(),
        counts: line.counts,
    }
}

pub async fn feed(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<FeedQuery>,
) -> Result<Response, AppError> {
    let done = query.imported.parse().ok();
    let page = feed_page(&state, &user, &FormFields::default(), None, done).await?;
    Ok(render(&page)?.into_response())
}

/// Reads the file whole; imports it only when every row is good.
pub async fn import(
    State(state): State<AppState>,
    user: StaffUser,
    upload: Option<Extension<Upload>>,
) -> Result<Response, AppError> {
    // The guard hands on every form with a file; anything else is not this page's form.
    let Some(Extension(upload)) = upload else {
        return Err(AppError::BadRequest);
    };
    let now = leadhub_store::now();
    let read = ColumnMap::parse(&upload.fields.get("columns")).and_then(|map| {
        let file = upload.file(FEED_FIELD).ok_or(FileProblem::Empty)?;
        Ok((map, file))
    });
    let rows = match read {
        Ok((map, file)) => booking::read(
            file,
            &map,
            &upload.fields.get("agency"),
            state.site.calendar.time_zone(),
            now,
        ),
        Err(problem) => Err(FileErrors {
            problems: vec![problem],
            more: 0,
        }),
    };
    let rows = match rows {
        Ok(rows) => rows,
        Err(errors) => {
            let page = feed_page(&state, &user, &upload.fields, Some(errors), None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let actor = user.session.actor();
    match state
        .db
        .import_bookings(&actor, &rows, &user.address, now)
        .await?
    {
        Imported::Done(id, _) => {
            Ok(Redirect::to(&format!("/staff/bookings?imported={id}")).into_response())
        }
        Imported::PeopleChanged => {
            let mut page = feed_page(&state, &user, &upload.fields, None, None).await?;
            page.frame.error = "Participants were merged while this file was being matched, so nothing was imported. Upload it again.".into();
            Ok((StatusCode::CONFLICT, render(&page)?).into_response())
        }
    }
}

// ---------------------------------------------------------------------------------------
// Review of the rows the engine was not sure of.

struct CandidateRow {
    participant: ParticipantId,
    name: String,
    born: String,
    case_manager: String,
    likely: String,
}

struct ReviewCard {
    id: BookingReviewId,
    kind: &'static str,
    name: String,
    born_on: String,
    booked_at: String,
    charges: String,
    agency: String,
    booking_number: String,
    received: String,
    candidates: Vec<CandidateRow>,
}

#[derive(Template)]
#[template(path = "staff/booking_reviews.html")]
struct ReviewPage {
    frame: Frame,
    csrf: String,
    reviews: Vec<ReviewCard>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DecidedQuery {
    #[serde(default)]
    decided: String,
}

pub async fn reviews(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<DecidedQuery>,
) -> Result<Response, AppError> {
    let now = leadhub_store::now();
    let actor = user.session.actor();
    let waiting = state.db.booking_reviews(&actor, &user.address, now).await?;
    let mut frame = Frame::staff(&state, &user, "Bookings to review", "/staff/bookings");
    frame.notice = match query.decided.as_str() {
        "linked" => "Linked: their case manager is told.",
        "discarded" => "Deleted: it was no one's.",
        "already" => "Someone had already decided that one.",
        _ => "",
    }
    .into();
    if query.decided == "unchosen" {
        frame.error = "Nothing was decided: choose one of the people, or none of them.".into();
    }
    let reviews = waiting
        .into_iter()
        .map(|r| ReviewCard {
            id: r.id,
            kind: kind_label(r.kind),
            name: format!("{} {}", r.given_name, r.family_name)
                .trim()
                .to_owned(),
            born_on: r.born_on,
            booked_at: moment(&state, r.booked_at),
            charges: r.charges,
            agency: r.agency,
            booking_number: r.booking_number.unwrap_or_default(),
            received: moment(&state, r.created_at),
            candidates: r
                .candidates
                .into_iter()
                .map(|c| CandidateRow {
                    participant: c.participant,
                    name: c.name,
                    born: c
                        .birth_year
                        .map_or_else(|| "birth year not recorded".into(), |y| format!("born {y}")),
                    case_manager: c.case_manager.unwrap_or_else(|| "no case manager".into()),
                    likely: super::people::likely_text(c.probability),
                })
                .collect(),
        })
        .collect();
    let page = ReviewPage {
        frame,
        csrf: user.csrf.clone(),
        reviews,
    };
    Ok(render(&page)?.into_response())
}

/// Settles one row: `choice` is a candidate's participant id, or `none`.
pub async fn decide(
    State(state): State<AppState>,
    user: StaffUser,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let review: BookingReviewId = fields
        .get("review")
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    let choice = match fields.get("choice").trim() {
        "" => return Ok(Redirect::to("/staff/bookings/review?decided=unchosen").into_response()),
        "none" => ReviewChoice::NoOne,
        id => ReviewChoice::Participant(id.parse().map_err(|_| AppError::BadRequest)?),
    };
    let actor = user.session.actor();
    let decided = state
        .db
        .decide_booking(&actor, review, choice, &user.address, leadhub_store::now())
        .await?;
    let word = match decided {
        Reviewed::Linked(_) => "linked",
        Reviewed::Discarded => "discarded",
        Reviewed::AlreadyDecided => "already",
        // Only an altered page names someone the row was not matched with.
        Reviewed::NotACandidate => return Err(AppError::BadRequest),
    };
    Ok(Redirect::to(&format!("/staff/bookings/review?decided={word}")).into_response())
}
