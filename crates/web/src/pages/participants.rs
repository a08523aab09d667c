//! Participants' records under the permission matrix and consent: the list of those in
//! reach, one record, breaking the glass, and the project manager's review of such openings.
//! What may be shown is decided by `Db::open_participant`; these handlers only present it.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::access::Scope;
use leadhub_domain::consent::REDISCLOSURE_NOTICE;
use leadhub_domain::ids::{BreakGlassId, ParticipantId};
use leadhub_store::{Opened, ParticipantView};

use super::chrome::render;
use super::staff::{Frame, moment};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

fn participant_id(id: &str) -> Result<ParticipantId, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

#[derive(Template)]
#[template(path = "staff/participants.html")]
struct ListPage {
    frame: Frame,
    scope_words: &'static str,
    rows: Vec<(ParticipantId, String)>,
}

pub async fn list(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    let rows = state
        .db
        .participants_for(
            &user.reader(),
            user.scope,
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    let scope_words = match user.scope {
        Scope::Own => "Your caseload.",
        Scope::Consented => "People with an active release of information to your organisation.",
        Scope::All => "Everyone enrolled (the first 500 by name).",
    };
    let page = ListPage {
        frame: Frame::staff(&state, &user, "Participants", "/staff/participants"),
        scope_words,
        rows,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "staff/participant.html")]
struct RecordPage {
    frame: Frame,
    enrolled: Option<String>,
    last_contact: Option<String>,
    notes: Vec<(String, &'static str, String)>,
    release_id: String,
    release_covers: Option<String>,
    notice: &'static str,
    view: ParticipantView,
}

#[derive(Template)]
#[template(path = "staff/out_of_scope.html")]
struct OutOfScopePage {
    frame: Frame,
    id: ParticipantId,
    message: &'static str,
    can_break_glass: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let opened = state
        .db
        .open_participant(
            &user.reader(),
            user.scope,
            id,
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    let refused = |message, can_break_glass| -> Result<Response, AppError> {
        let page = OutOfScopePage {
            frame: Frame::staff(&state, &user, "Not in your reach", "/staff/participants"),
            id,
            message,
            can_break_glass,
        };
        Ok((StatusCode::FORBIDDEN, render(&page)?).into_response())
    };
    let view = match opened {
        Opened::NotFound => return Err(AppError::NotFound),
        Opened::OutOfScope { can_break_glass } => {
            return refused("This person is not in your caseload.", can_break_glass);
        }
        Opened::NoRelease => {
            return refused(
                "This person has no active release of information to your organisation, so nothing about them can be shown.",
                false,
            );
        }
        Opened::Shown(view) => *view,
    };
    let page = RecordPage {
        frame: Frame::staff(&state, &user, &view.name.clone(), "/staff/participants"),
        enrolled: view.enrolled_at.map(|at| moment(&state, at)),
        last_contact: view.last_contact.map(|at| moment(&state, at)),
        notes: view
            .notes
            .iter()
            .map(|n| {
                (
                    moment(&state, n.written_at),
                    n.sensitivity.code(),
                    n.body.clone(),
                )
            })
            .collect(),
        release_id: view
            .release
            .as_ref()
            .map(|r| r.0.to_string())
            .unwrap_or_default(),
        release_covers: view.release.as_ref().map(|(_, covers)| {
            covers
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>()
                .join(", ")
        }),
        notice: REDISCLOSURE_NOTICE,
        view,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "staff/break_glass.html")]
struct BreakGlassPage {
    frame: Frame,
    id: ParticipantId,
    csrf: String,
    reason: String,
    reason_error: String,
}

fn break_glass_page(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    reason: String,
    reason_error: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut frame = Frame::staff(
        state,
        user,
        "Open a record outside your caseload",
        "/staff/participants",
    );
    if !reason_error.is_empty() {
        frame.error = "The record was not opened: see below.".into();
    }
    let page = BreakGlassPage {
        frame,
        id,
        csrf: user.csrf.clone(),
        reason,
        reason_error: reason_error.to_owned(),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn break_glass_form(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    break_glass_page(&state, &user, id, String::new(), "", StatusCode::OK)
}

/// Reasons shorter than this are not reasons.
const MIN_REASON_CHARS: usize = 10;

pub async fn break_glass(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let typed = FormFields::parse(&body).get("reason");
    let reason = leadhub_domain::text::required(&typed, leadhub_domain::text::limits::DESCRIPTION)
        .unwrap_or_default();
    if reason.chars().count() < MIN_REASON_CHARS {
        let error = "Say why you need this record (at least a short sentence).";
        return break_glass_page(
            &state,
            &user,
            id,
            typed,
            error,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let opened = state
        .db
        .break_glass(
            &user.reader(),
            id,
            &reason,
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    if !opened {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/staff/participants/{id}")).into_response())
}

struct EventLine {
    id: BreakGlassId,
    opened: String,
    who: String,
    participant: ParticipantId,
    reason: String,
    reviewed: bool,
}

#[derive(Template)]
#[template(path = "staff/break_glass_review.html")]
struct ReviewPage {
    frame: Frame,
    csrf: String,
    events: Vec<EventLine>,
}

pub async fn review(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    let events = state
        .db
        .break_glass_events(&user.reader(), &user.address)
        .await?
        .into_iter()
        .map(|e| EventLine {
            id: e.id,
            opened: moment(&state, e.opened_at),
            who: e.user_name,
            participant: e.participant_id,
            reason: e.reason,
            reviewed: e.reviewed,
        })
        .collect();
    let page = ReviewPage {
        frame: Frame::staff(
            &state,
            &user,
            "Records opened by breaking the glass",
            "/staff/break-glass",
        ),
        csrf: user.csrf.clone(),
        events,
    };
    Ok(render(&page)?.into_response())
}

pub async fn mark_reviewed(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let id: BreakGlassId = FormFields::parse(&body)
        .get("id")
        .parse()
        .map_err(|_| AppError::NotFound)?;
    state
        .db
        .review_break_glass(id, &user.reader(), &user.address, leadhub_store::now())
        .await?;
    Ok(Redirect::to("/staff/break-glass").into_response())
}
