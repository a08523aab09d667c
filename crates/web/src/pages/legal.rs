//! A participant's legal matters and the coordination log on each: the page, and the forms
//! that add and change a matter, ask something of the other side, and record the answer.
//!
//! Who reaches the page, and which plan goals a request may show, is decided in the store;
//! a legal-system reader sees it under a release of information, and then the page says so
//! and carries the 42 CFR 2.32 notice. A stale change comes back as the page as it is now,
//! with what was typed still in its form.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::FormErrors;
use leadhub_domain::access::{Action, Role, allowed};
use leadhub_domain::consent::REDISCLOSURE_NOTICE;
use leadhub_domain::ids::{LegalRequestId, MatterId, ParticipantId};
use leadhub_domain::legal::{
    AnswerInput, CASE_NUMBER_MAX, CHARGE_FIELDS, Charge, ChargeInput, ChargeLevel, Matter,
    MatterInput, MatterStatus, REQUEST_WORDS, RequestAnswer, RequestInput, RequestKind,
    WarrantStatus,
};
use leadhub_store::{Casework, LegalAccess, LegalFile, MatterView, RequestView};

use super::casework::{participant_id, worker};
use super::chrome::render;
use super::plan::domain_label;
use super::staff::{Frame, moment};
use super::typed::{SavedQuery, Sent, Typed, choices};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

pub fn status_label(status: MatterStatus) -> &'static str {
    match status {
        MatterStatus::PreCharge => "Not charged yet",
        MatterStatus::FilingHeld => "Filing held while engaged",
        MatterStatus::Charged => "Charged, before the court",
        MatterStatus::NotCharged => "Not charged (the prosecutor declined)",
        MatterStatus::Dismissed => "Dismissed",
        MatterStatus::Resolved => "Resolved",
    }
}

fn level_label(level: ChargeLevel) -> &'static str {
    match level {
        ChargeLevel::PettyMisdemeanor => "Petty misdemeanour",
        ChargeLevel::Misdemeanor => "Misdemeanour",
        ChargeLevel::GrossMisdemeanor => "Gross misdemeanour",
        ChargeLevel::Felony => "Felony",
    }
}

fn warrant_label(warrant: WarrantStatus) -> &'static str {
    match warrant {
        WarrantStatus::NoWarrant => "No warrant",
        WarrantStatus::Active => "Warrant out",
        WarrantStatus::Quashed => "Warrant quashed",
    }
}

fn kind_label(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::HoldFiling => "Hold filing while they are engaged",
        RequestKind::RecommendDisposition => "Recommend a disposition",
        RequestKind::ResetCourtDate => "Reset a court date",
        RequestKind::QuashWarrant => "Quash a warrant",
        RequestKind::ReleaseConditions => "Conditions of release",
        RequestKind::Other => "Something else",
    }
}

fn answer_label(answer: RequestAnswer) -> &'static str {
    match answer {
        RequestAnswer::Agreed => "Agreed",
        RequestAnswer::Declined => "Declined",
        RequestAnswer::Withdrawn => "Withdrawn by the asker",
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::CaseManager => "case manager",
        Role::ProjectManager => "project manager",
        Role::LegalLiaison => "legal liaison",
        Role::CommunityLead => "community leadership",
        Role::Evaluator => "evaluator",
        Role::Admin => "administrator",
    }
}

/// One charge row of a matter form: its field names and what it shows unless typed over.
struct ChargeRow {
    number: usize,
    listed_field: &'static str,
    words_field: &'static str,
    level_field: &'static str,
    listed: String,
    words: String,
    level: &'static str,
}

/// The rows of a matter form: the matter's charges, then blank rows up to the form's size.
fn charge_rows(charges: &[Charge]) -> Vec<ChargeRow> {
    CHARGE_FIELDS
        .iter()
        .enumerate()
        .map(|(i, (listed_field, words_field, level_field))| {
            let charge = charges.get(i);
            ChargeRow {
                number: i + 1,
                listed_field,
                words_field,
                level_field,
                listed: charge.and_then(|c| c.listed.clone()).unwrap_or_default(),
                words: charge.map(|c| c.words.clone()).unwrap_or_default(),
                level: charge.map(|c| c.level.code()).unwrap_or(""),
            }
        })
        .collect()
}

/// How a charge reads: "Trespass (misdemeanour, on the divertible list)".
fn charge_line(charge: &Charge) -> String {
    let listed = if charge.divertible() {
        ", on the divertible list"
    } else {
        ""
    };
    format!(
        "{} ({}{listed})",
        charge.words,
        level_label(charge.level).to_lowercase()
    )
}

/// The facts of one version of a matter, for its card and its history.
fn matter_summary(state: &AppState, matter: &Matter) -> String {
    let court = matter
        .next_court_at
        .map(|t| format!("next court {}", moment(state, t)))
        .unwrap_or_else(|| "no court date".into());
    let charges: Vec<String> = matter.charges.iter().map(charge_line).collect();
    format!(
        "{} · {court} · {} · {}",
        status_label(matter.status),
        warrant_label(matter.warrant),
        charges.join("; ")
    )
}

struct RequestRow {
    key: String,
    id: LegalRequestId,
    kind: &'static str,
    words: String,
    asked: String,
    goals: Vec<String>,
    withheld_goals: usize,
    /// "Agreed by ACA Lee on 2026-12-03", with the words and who recorded it.
    answer: Option<(String, String, String)>,
}

fn request_row(state: &AppState, r: &RequestView) -> RequestRow {
    let asked_by = r
        .asked_by
        .as_ref()
        .map(|(name, role)| format!("{name} ({})", role_label(*role)))
        .unwrap_or_else(|| "someone no longer on staff".into());
    RequestRow {
        key: format!("request-{}", r.id),
        id: r.id,
        kind: kind_label(r.kind),
        words: r.words.clone(),
        asked: format!("asked by {asked_by}, {}", moment(state, r.asked_at)),
        goals: r
            .goals
            .iter()
            .map(|(domain, words)| format!("{}: “{words}”", domain_label(*domain)))
            .collect(),
        withheld_goals: r.withheld_goals,
        answer: r.answer.as_ref().map(|a| {
            (
                format!(
                    "{} by {} on {}",
                    answer_label(a.answer.answer),
                    a.answer.decided_by,
                    a.answer.decided_on
                ),
                a.answer.words.clone().unwrap_or_default(),
                format!(
                    "recorded by {}, {}",
                    a.answered_by
                        .as_deref()
                        .unwrap_or("someone no longer on staff"),
                    moment(state, a.answered_at)
                ),
            )
        }),
    }
}

struct MatterRow {
    key: String,
    request_key: String,
    id: MatterId,
    version: i64,
    title: String,
    open: bool,
    divertible: bool,
    status: &'static str,
    status_label: &'static str,
    court: String,
    court_value: String,
    warrant: &'static str,
    warrant_label: &'static str,
    warrant_out: bool,
    jurisdiction: String,
    case_number: String,
    prosecutor: String,
    defender: String,
    charges: Vec<String>,
    charge_rows: Vec<ChargeRow>,
    requests: Vec<RequestRow>,
    history: Vec<String>,
}

/// A time for a `datetime-local` field, on the site's clock.
fn local_field(state: &AppState, at: time::OffsetDateTime) -> String {
    moment(state, at).replacen(' ', "T", 1)
}

fn matter_row(state: &AppState, m: &MatterView) -> MatterRow {
    let matter = &m.matter;
    let case_number = matter
        .case_number
        .as_ref()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let title = if case_number.is_empty() {
        format!("{} (nothing filed yet)", matter.jurisdiction)
    } else {
        format!("{} {case_number}", matter.jurisdiction)
    };
    let history = m
        .history
        .iter()
        .map(|h| {
            format!(
                "v{} · {} · {} · {}",
                h.version,
                moment(state, h.changed_at),
                h.changed_by
                    .as_deref()
                    .unwrap_or("someone no longer on staff"),
                matter_summary(state, &h.matter)
            )
        })
        .collect();
    MatterRow {
        key: format!("matter-{}", m.id),
        request_key: format!("request-new-{}", m.id),
        id: m.id,
        version: m.version,
        title,
        open: matter.status.is_open(),
        divertible: matter.divertible(),
        status: matter.status.code(),
        status_label: status_label(matter.status),
        court: matter
            .next_court_at
            .map(|t| moment(state, t))
            .unwrap_or_default(),
        court_value: matter
            .next_court_at
            .map(|t| local_field(state, t))
            .unwrap_or_default(),
        warrant: matter.warrant.code(),
        warrant_label: warrant_label(matter.warrant),
        warrant_out: matter.warrant == WarrantStatus::Active,
        jurisdiction: matter.jurisdiction.clone(),
        case_number,
        prosecutor: matter.prosecutor.clone().unwrap_or_default(),
        defender: matter.defender.clone().unwrap_or_default(),
        charges: matter.charges.iter().map(charge_line).collect(),
        charge_rows: charge_rows(&matter.charges),
        requests: m.requests.iter().map(|r| request_row(state, r)).collect(),
        history,
    }
}

#[derive(Template)]
#[template(path = "staff/legal.html")]
struct LegalPage {
    frame: Frame,
    csrf: String,
    id: ParticipantId,
    /// The release a legal-system reader sees this under, with the notice.
    release: Option<String>,
    notice: &'static str,
    matters: Vec<MatterRow>,
    new_rows: Vec<ChargeRow>,
    goals: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    warrants: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    answers: Vec<(&'static str, &'static str)>,
    divertible: Vec<(String, String)>,
    today: String,
    case_number_max: usize,
    request_max: usize,
    typed: Typed,
    bookings: Vec<BookingRow>,
}

/// A booking from a feed, as the page shows it.
struct BookingRow {
    kind: &'static str,
    booked_at: String,
    released_at: String,
    charges: String,
    agency: String,
    booking_number: String,
    reviewed: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let notice = match query.saved.as_str() {
        "matter" => "Legal matter saved.",
        "request" => "Request added to the coordination log.",
        "answer" => "Answer recorded.",
        _ => "",
    };
    legal_response(
        &state,
        &user,
        id,
        Typed::default(),
        StatusCode::OK,
        notice,
        "",
    )
    .await
}

/// The page as it is now, with a form's typing and errors (or a conflict) when one comes
/// back.
async fn legal_response(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    typed: Typed,
    status: StatusCode,
    notice: &str,
    error: &str,
) -> Result<Response, AppError> {
    let file: LegalFile = match state.db.legal_file(&worker(user), id).await? {
        Casework::Done(file) => file,
        Casework::NotFound => return Err(AppError::NotFound),
        _ => return refused_page(state, user),
    };
    let mut frame = Frame::staff(
        state,
        user,
        &format!("Legal matters: {}", file.name),
        "/staff/participants",
    );
    frame.notice = notice.to_owned();
    frame.error = typed.page_error(error);
    let page = LegalPage {
        frame,
        csrf: user.csrf.clone(),
        id,
        release: match file.access {
            LegalAccess::Release(release) => Some(release.to_string()),
            LegalAccess::Team => None,
        },
        notice: REDISCLOSURE_NOTICE,
        matters: file.matters.iter().map(|m| matter_row(state, m)).collect(),
        bookings: file
            .bookings
            .iter()
            .map(|b| BookingRow {
                kind: super::bookings::kind_label(b.kind),
                booked_at: moment(state, b.booked_at),
                released_at: b
                    .released_at
                    .map_or_else(|| "not yet".into(), |at| moment(state, at)),
                charges: b.charges.clone(),
                agency: b.agency.clone(),
                booking_number: b.booking_number.clone().unwrap_or_default(),
                reviewed: b.reviewed,
            })
            .collect(),
        new_rows: charge_rows(&[]).into_iter().take(3).collect(),
        goals: file
            .goals
            .iter()
            .map(|(goal, domain, words)| {
                (
                    goal.to_string(),
                    format!("{}: {words}", domain_label(*domain)),
                )
            })
            .collect(),
        statuses: choices(MatterStatus::ALL, MatterStatus::code, status_label),
        levels: choices(ChargeLevel::ALL, ChargeLevel::code, level_label),
        warrants: choices(WarrantStatus::ALL, WarrantStatus::code, warrant_label),
        kinds: choices(RequestKind::ALL, RequestKind::code, kind_label),
        answers: choices(RequestAnswer::ALL, RequestAnswer::code, answer_label),
        divertible: state
            .site_now()
            .await?
            .divertible_charges
            .into_iter()
            .map(|c| (c.key, c.label))
            .collect(),
        today: state.site.calendar.day_of(leadhub_store::now()).to_string(),
        case_number_max: CASE_NUMBER_MAX,
        request_max: REQUEST_WORDS,
        typed,
    };
    Ok((status, render(&page)?).into_response())
}

/// Out of reach: not in their caseload, or (for a legal-system role) no active release
/// covering legal matters. The same page either way, so it tells nothing about which.
fn refused_page(state: &AppState, user: &StaffUser) -> Result<Response, AppError> {
    let mut frame = Frame::staff(state, user, "Not in your reach", "/staff/participants");
    frame.error = "You cannot see this person's legal matters.".into();
    let page = super::login::MessagePage {
        frame,
        message: "Legal matters are open to the person's case manager, the project manager, and a legal liaison while a release of information to their organisation covers them.".into(),
        link: "/staff/participants".into(),
        link_label: "Back to participants".into(),
    };
    Ok((StatusCode::FORBIDDEN, render(&page)?).into_response())
}

const CONFLICT: &str = "Someone changed this since you opened the page, so yours was not saved. Here it is as it is now; what you typed is still in its form.";

/// The record a legal form names in `field`: an id that is not one is an old or altered
/// page, answered like a stale one.
fn named<I: std::str::FromStr>(sent: &Sent, field: &str) -> Option<I> {
    sent.fields.get(field).trim().parse().ok()
}

/// How a legal write is answered: saved (back to the page), its errors (422), a conflict
/// (409), not found, or out of reach.
async fn answer<T>(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    outcome: Result<Casework<T>, FormErrors>,
    what: &str,
    sent: Sent,
) -> Result<Response, AppError> {
    let conflict = |sent: Sent| {
        let typed = Typed::new(sent.key, sent.fields, &FormErrors::default());
        legal_response(state, user, id, typed, StatusCode::CONFLICT, "", CONFLICT)
    };
    match outcome {
        Err(errors) => {
            let typed = Typed::new(sent.key, sent.fields, &errors);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            legal_response(state, user, id, typed, status, "", "").await
        }
        Ok(Casework::Done(_)) => Ok(Redirect::to(&format!(
            "/staff/participants/{id}/legal?saved={what}"
        ))
        .into_response()),
        Ok(Casework::Stale) => conflict(sent).await,
        Ok(Casework::NotFound) => Err(AppError::NotFound),
        Ok(Casework::OutOfReach | Casework::BeforeStart | Casework::NotAssignable) => {
            refused_page(state, user)
        }
    }
}

fn matter_input(fields: &FormFields) -> MatterInput {
    MatterInput {
        jurisdiction: fields.get("jurisdiction"),
        case_number: fields.get("case_number"),
        charges: CHARGE_FIELDS
            .iter()
            .map(|(listed, words, level)| ChargeInput {
                listed: fields.get(listed),
                words: fields.get(words),
                level: fields.get(level),
            })
            .collect(),
        status: fields.get("status"),
        next_court: fields.get("next_court"),
        warrant: fields.get("warrant"),
        prosecutor: fields.get("prosecutor"),
        defender: fields.get("defender"),
    }
}

pub async fn add_matter(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (
        participant_id(&id)?,
        Sent::new(&body, |_| "matter-new".into()),
    );
    let outcome = match matter_input(&sent.fields).parse(&state.site_now().await?) {
        Ok(matter) => Ok(state.db.add_matter(&worker(&user), id, &matter).await?),
        Err(errors) => Err(errors),
    };
    answer(&state, &user, id, outcome, "matter", sent).await
}

pub async fn change_matter(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (
        participant_id(&id)?,
        Sent::naming(&body, "matter-", "matter"),
    );
    let Some(matter_id) = named::<MatterId>(&sent, "matter") else {
        return answer(&state, &user, id, Ok(Casework::<()>::Stale), "", sent).await;
    };
    // A missing or mangled version is no version, so stale.
    let version = named::<i64>(&sent, "version").unwrap_or(0);
    let outcome = match matter_input(&sent.fields).parse(&state.site_now().await?) {
        Ok(matter) => Ok(state
            .db
            .change_matter(&worker(&user), id, matter_id, version, &matter)
            .await?),
        Err(errors) => Err(errors),
    };
    answer(&state, &user, id, outcome, "matter", sent).await
}

pub async fn ask(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (
        participant_id(&id)?,
        Sent::naming(&body, "request-new-", "matter"),
    );
    let Some(matter_id) = named::<MatterId>(&sent, "matter") else {
        return answer(&state, &user, id, Ok(Casework::<()>::Stale), "", sent).await;
    };
    let input = RequestInput {
        kind: sent.fields.get("kind"),
        words: sent.fields.get("words"),
        goals: sent.fields.all("goals"),
    };
    let outcome = match input.parse() {
        Ok(request) => Ok(state
            .db
            .ask(&worker(&user), id, matter_id, &request)
            .await?),
        Err(errors) => Err(errors),
    };
    answer(&state, &user, id, outcome, "request", sent).await
}

pub async fn answer_request(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (
        participant_id(&id)?,
        Sent::naming(&body, "request-", "request"),
    );
    let Some(request) = named::<LegalRequestId>(&sent, "request") else {
        return answer(&state, &user, id, Ok(Casework::<()>::Stale), "", sent).await;
    };
    let input = AnswerInput {
        answer: sent.fields.get("answer"),
        words: sent.fields.get("words"),
        decided_by: sent.fields.get("decided_by"),
        decided_on: sent.fields.get("decided_on"),
    };
    let today = state.site.calendar.day_of(leadhub_store::now());
    let outcome = match input.parse(today) {
        Ok(parsed) => Ok(state
            .db
            .answer_request(&worker(&user), id, request, &parsed)
            .await?),
        Err(errors) => Err(errors),
    };
    answer(&state, &user, id, outcome, "answer", sent).await
}

// ---------------------------------------------------------------------------------------
// The legal lookup: is this person working with LEAD, and who is their case manager?

/// What the lookup tells of one person it may tell of.
struct Found {
    id: ParticipantId,
    name: String,
    since: Option<String>,
    case_manager: Option<String>,
    last_contact: Option<String>,
    contacts_90_days: Option<i64>,
    /// The release it is told under (and so the notice), if any.
    release: Option<String>,
    legal: bool,
}

#[derive(Template)]
#[template(path = "staff/legal_lookup.html")]
struct LookupPage {
    frame: Frame,
    csrf: String,
    phone: String,
    notice: &'static str,
    typed: Typed,
    /// `None` before a lookup; then what it may tell (empty: no information available).
    found: Option<Vec<Found>>,
}

fn lookup_page(
    state: &AppState,
    user: &StaffUser,
    typed: Typed,
    found: Option<Vec<Found>>,
) -> LookupPage {
    let mut frame = Frame::staff(state, user, "Legal lookup", "/staff/legal/lookup");
    if !typed.errors.is_empty() {
        frame.error = "Not looked up yet: see below.".into();
    }
    LookupPage {
        frame,
        csrf: user.csrf.clone(),
        phone: state.site.phone.clone(),
        notice: REDISCLOSURE_NOTICE,
        typed,
        found,
    }
}

pub async fn lookup_form(
    State(state): State<AppState>,
    user: StaffUser,
) -> Result<Response, AppError> {
    Ok(render(&lookup_page(&state, &user, Typed::default(), None))?.into_response())
}

/// A lookup is answered no sooner than this after it arrives. Scoring a known name's
/// candidates takes longer than a stranger's (measured with 100,000 people: about 11 ms of
/// work against 5 ms), which would tell a liaison who is known; a floor well above both
/// hides the difference for a request at a time.
const LOOKUP_FLOOR: std::time::Duration = std::time::Duration::from_millis(50);

/// Looks the person up (a POST, so the name and date of birth stay out of addresses and
/// logs). Someone unknown and someone the reader may not be told of get the same page, the
/// store checks the same number of people either way, and the answer waits for
/// `LOOKUP_FLOOR`.
pub async fn lookup(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let floor = tokio::time::Instant::now() + LOOKUP_FLOOR;
    let response = answer_lookup(&state, &user, &body).await;
    tokio::time::sleep_until(floor).await;
    response
}

async fn answer_lookup(
    state: &AppState,
    user: &StaffUser,
    body: &Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(body);
    let now = leadhub_store::now();
    let today = state.site.calendar.day_of(now);
    let mut errors = FormErrors::default();
    let name = errors.take(
        "name",
        leadhub_domain::text::required(&fields.get("name"), leadhub_domain::text::limits::NAME),
    );
    let born = errors.take(
        "dob",
        leadhub_domain::person::DateOfBirth::parse(&fields.get("dob"), today),
    );
    let (Some(name), Some(born)) = (name, born) else {
        let typed = Typed::new("lookup".into(), fields, &errors);
        let page = lookup_page(state, user, typed, None);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    let reader = user.reader();
    let ids = state
        .db
        .reachable_matches(&reader, user.scope, &name, born, &user.address, now)
        .await?;
    let mut found = Vec::new();
    for id in ids {
        let opened = state
            .db
            .open_participant(&reader, user.scope, id, &user.address, now)
            .await?;
        if let leadhub_store::Opened::Shown(view) = opened {
            found.push(Found {
                id,
                name: view.name.clone(),
                since: view.enrolled_at.map(|t| moment(state, t)),
                case_manager: view.case_manager.clone(),
                last_contact: view.last_contact.map(|t| moment(state, t)),
                contacts_90_days: view.contacts_90_days,
                release: view.release.as_ref().map(|(id, _)| id.to_string()),
                legal: view.legal.is_some(),
            });
        }
    }
    // The answer does not repeat the name and date of birth: the page for someone unknown
    // is then the same, byte for byte, as for someone the reader may not be told of.
    let page = lookup_page(state, user, Typed::default(), Some(found));
    Ok(render(&page)?.into_response())
}

// ---------------------------------------------------------------------------------------
// Court dates as a calendar (iCalendar), for the staff member's own calendar program.

fn utc(at: time::OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    // Every stored time is a valid instant well inside chrono's range; the epoch stands in
    // only for the impossible.
    chrono::DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_default()
}

/// An hour is blocked for each hearing: the court gives a time, not a length.
const HEARING: time::Duration = time::Duration::hours(1);
/// And ninety minutes for a case conference.
const MEETING: time::Duration = time::Duration::minutes(90);

/// The calendar: one event per court date in reach, each with the notice when it is told
/// under a release, and the case conferences for those who attend them. Served as a
/// download; the page links to it.
pub async fn calendar(
    State(state): State<AppState>,
    user: StaffUser,
) -> Result<Response, AppError> {
    use icalendar::{Class, Component, EventLike};
    let now = leadhub_store::now();
    let dates = state.db.court_dates(&worker(&user)).await?;
    let mut calendar = icalendar::Calendar::new();
    calendar.name(&format!("{}: court dates", state.site.name));
    for date in &dates {
        let case = date.case_number.as_deref().unwrap_or("nothing filed yet");
        let mut description = format!(
            "{} ({case}). {}. {}/staff/participants/{}/legal",
            date.jurisdiction,
            status_label(date.status),
            state.config.public_url.trim_end_matches('/'),
            date.participant
        );
        if let LegalAccess::Release(release) = date.access {
            description.push_str(&format!(
                "\nDisclosed under release of information {release}. {REDISCLOSURE_NOTICE}"
            ));
        }
        calendar.push(
            icalendar::Event::new()
                .uid(&format!("{}-v{}@leadhub", date.matter, date.version))
                .timestamp(utc(now))
                .summary(&format!("Court: {}", date.name))
                .description(&description)
                .location(&date.jurisdiction)
                .class(Class::Confidential)
                .starts(utc(date.at))
                .ends(utc(date.at + HEARING))
                .done(),
        );
    }
    // The case conferences the reader attends: when and where, nothing about anyone.
    if allowed(user.session.role, Action::OwgAttend).is_some() {
        for meeting in state.db.upcoming_meetings(now).await? {
            calendar.push(
                icalendar::Event::new()
                    .uid(&format!("{}@leadhub", meeting.id))
                    .timestamp(utc(now))
                    .summary("LEAD case conference (Operational Workgroup)")
                    .description(&format!(
                        "{}/staff/owg/{}",
                        state.config.public_url.trim_end_matches('/'),
                        meeting.id
                    ))
                    .location(&meeting.place)
                    .starts(utc(meeting.starts_at))
                    .ends(utc(meeting.starts_at + MEETING))
                    .done(),
            );
        }
    }
    let body = calendar.done().to_string();
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"court-dates.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}
