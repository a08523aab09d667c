//! The inquiry queue (messages from the contact form): the same one-business-day clock as
//! referrals, an answer stops it, and closing an unanswered inquiry says why.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::ids::InquiryId;
use leadhub_domain::inquiry::{InquiryError, InquiryState};
use leadhub_domain::text::{self, FormErrors, limits};
use leadhub_domain::triage::{Clock, ClosureReason, ContactMethod};
use leadhub_store::{InquiryDetail, Refusal, Triaged};
use serde::Deserialize;

use super::chrome::render;
use super::form::Choice;
use super::referrals::{
    clock_words, closure_label, display_code, edit, field_message, method_label, required_choice,
    version,
};
use super::staff::{Frame, moment};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

/// Why an unanswered inquiry may be closed.
const INQUIRY_CLOSURES: [ClosureReason; 3] = [
    ClosureReason::Duplicate,
    ClosureReason::Withdrawn,
    ClosureReason::Other,
];

fn state_label(state: InquiryState) -> &'static str {
    match state {
        InquiryState::Received => "Received",
        InquiryState::Answered => "Answered",
        InquiryState::Closed => "Closed",
    }
}

/// An inquiry's clock, as a referral's: running until the first answer.
fn clock(
    state: &AppState,
    inquiry: InquiryState,
    due: time::OffsetDateTime,
    answered: Option<time::OffsetDateTime>,
    now: time::OffsetDateTime,
) -> (String, &'static str) {
    let waiting = inquiry == InquiryState::Received;
    let clock = Clock::of(&state.site.calendar, waiting, due, answered, now);
    clock_words(state, clock, due)
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    view: String,
}

struct Item {
    href: String,
    code: String,
    preview: String,
    state: &'static str,
    clock: String,
    clock_class: &'static str,
    received: String,
}

#[derive(Template)]
#[template(path = "staff/inquiries.html")]
struct QueuePage {
    frame: Frame,
    overdue: bool,
    items: Vec<Item>,
}

pub async fn queue(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<QueueQuery>,
) -> Result<Response, AppError> {
    let overdue = query.view == "overdue";
    let now = leadhub_store::now();
    let lines = state
        .db
        .inquiry_queue(overdue, &user.session.actor(), &user.address, now)
        .await?;
    let items = lines
        .into_iter()
        .map(|l| {
            let (clock, clock_class) = clock(&state, l.state, l.due_at, l.answered_at, now);
            Item {
                href: format!("/staff/inquiries/{}", l.id),
                code: display_code(&l.code),
                preview: l.preview,
                state: state_label(l.state),
                clock,
                clock_class,
                received: moment(&state, l.received_at),
            }
        })
        .collect();
    let page = QueuePage {
        frame: Frame::staff(&state, &user, "Inquiries", "/staff/inquiries"),
        overdue,
        items,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "staff/inquiry.html")]
struct InquiryPage {
    frame: Frame,
    csrf: String,
    id: InquiryId,
    version: i64,
    state: &'static str,
    open: bool,
    clock: String,
    clock_class: &'static str,
    received: String,
    name: String,
    reach: String,
    reach_href: String,
    message: String,
    preferred_language: String,
    methods: Vec<Choice>,
    note: String,
    closures: Vec<(&'static str, &'static str, bool)>,
    reason: String,
    errors: std::collections::BTreeMap<&'static str, String>,
    problem: String,
    history: Vec<(String, String, String)>,
}

impl InquiryPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

/// What was posted, to show again.
#[derive(Debug, Default)]
struct Typed {
    fields: FormFields,
    errors: std::collections::BTreeMap<&'static str, String>,
    problem: String,
}

fn inquiry_id(raw: &str) -> Result<InquiryId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

async fn page(
    state: &AppState,
    user: &StaffUser,
    id: InquiryId,
    typed: Typed,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = leadhub_store::now();
    let d: InquiryDetail = state
        .db
        .open_inquiry(id, &user.session.actor(), &user.address, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let (clock, clock_class) = clock(state, d.state, d.due_at, d.answered_at, now);
    let reach_href = if d.reach.contains('@') {
        format!("mailto:{}", d.reach)
    } else {
        format!("tel:+1{}", d.reach.replace('-', ""))
    };
    let chosen_method = typed.fields.get("method");
    let chosen_closure = typed.fields.get("closure");
    let mut frame = Frame::staff(
        state,
        user,
        &format!("Inquiry {}", display_code(&d.code)),
        "/staff/inquiries",
    );
    if !typed.errors.is_empty() || !typed.problem.is_empty() {
        frame.error = "Nothing was saved: see below.".into();
    }
    let page = InquiryPage {
        frame,
        csrf: user.csrf.clone(),
        id,
        version: d.version,
        state: state_label(d.state),
        open: d.state != InquiryState::Closed,
        clock,
        clock_class,
        received: moment(state, d.received_at),
        name: d.name.unwrap_or_default(),
        reach: d.reach,
        reach_href,
        message: d.message,
        preferred_language: d.preferred_language,
        methods: ContactMethod::ALL
            .iter()
            .filter(|m| **m != ContactMethod::Email)
            .map(|m| Choice {
                value: m.code().into(),
                label: method_label(*m).into(),
                checked: m.code() == chosen_method,
                lang: "",
            })
            .collect(),
        note: typed.fields.get("note"),
        closures: [
            ClosureReason::Duplicate,
            ClosureReason::Withdrawn,
            ClosureReason::Other,
        ]
        .iter()
        .map(|c| (c.code(), closure_label(*c), c.code() == chosen_closure))
        .collect(),
        reason: typed.fields.get("reason"),
        errors: typed.errors,
        problem: typed.problem,
        history: d
            .events
            .into_iter()
            .rev()
            .map(|(at, what, who)| (moment(state, at), what, who))
            .collect(),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = inquiry_id(&id)?;
    page(&state, &user, id, Typed::default(), StatusCode::OK).await
}

fn inquiry_message(error: InquiryError) -> &'static str {
    match error {
        InquiryError::Closed => "This inquiry is closed.",
        InquiryError::ClosureRequired => "It was never answered: choose why it is closed.",
        InquiryError::ReasonRequired => "Say why, in a few words.",
    }
}

async fn finish(
    state: &AppState,
    user: &StaffUser,
    id: InquiryId,
    mut typed: Typed,
    outcome: Triaged,
) -> Result<Response, AppError> {
    let status = match outcome {
        Triaged::Done(()) => {
            return Ok(Redirect::to(&format!("/staff/inquiries/{id}")).into_response());
        }
        Triaged::NotFound => return Err(AppError::NotFound),
        Triaged::Stale => {
            typed.problem =
                "Someone changed this inquiry while you had it open, so nothing was saved. \
                 It is shown as it is now, with what you typed; send again if it still applies."
                    .into();
            StatusCode::CONFLICT
        }
        Triaged::Refused(Refusal::Inquiry(e)) => {
            typed.problem = inquiry_message(e).into();
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Triaged::Refused(_) => {
            typed.problem = "That step does not fit this inquiry.".into();
            StatusCode::CONFLICT
        }
    };
    page(state, user, id, typed, status).await
}

async fn invalid(
    state: &AppState,
    user: &StaffUser,
    id: InquiryId,
    fields: FormFields,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let typed = Typed {
        fields,
        errors: errors.iter().map(|(f, e)| (f, field_message(e))).collect(),
        problem: String::new(),
    };
    page(state, user, id, typed, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn answer(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = inquiry_id(&id)?;
    let fields = FormFields::parse(&body);
    let version = version(&fields)?;
    let mut errors = FormErrors::default();
    let method: Option<ContactMethod> =
        required_choice(&mut errors, "method", &fields.get("method"));
    // leadhub writes no email to inquirers (yet): only the ways offered on the page.
    let method = method.filter(|m| {
        let offered = *m != ContactMethod::Email;
        if !offered {
            errors.add("method", leadhub_domain::text::FieldError::Choice);
        }
        offered
    });
    let note = errors.take(
        "note",
        text::optional(&fields.get("note"), limits::DESCRIPTION),
    );
    let (Some(method), Some(note)) = (method, note) else {
        return invalid(&state, &user, id, fields, &errors).await;
    };
    let outcome = state
        .db
        .answer_inquiry(&edit(&user, id, version), method, note.as_deref())
        .await?;
    finish(
        &state,
        &user,
        id,
        Typed {
            fields,
            ..Default::default()
        },
        outcome,
    )
    .await
}

pub async fn close(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = inquiry_id(&id)?;
    let fields = FormFields::parse(&body);
    let version = version(&fields)?;
    let mut errors = FormErrors::default();
    let closure = match fields.get("closure").as_str() {
        "" => Some(None),
        raw => errors.take(
            "closure",
            raw.parse::<ClosureReason>()
                .ok()
                .filter(|c| INQUIRY_CLOSURES.contains(c))
                .map(Some)
                .ok_or(leadhub_domain::text::FieldError::Choice),
        ),
    };
    let reason = errors.take(
        "reason",
        text::optional(&fields.get("reason"), limits::DESCRIPTION),
    );
    let (Some(closure), Some(reason)) = (closure, reason) else {
        return invalid(&state, &user, id, fields, &errors).await;
    };
    let outcome = state
        .db
        .close_inquiry(&edit(&user, id, version), closure, reason.as_deref())
        .await?;
    finish(
        &state,
        &user,
        id,
        Typed {
            fields,
            ..Default::default()
        },
        outcome,
    )
    .await
}
