//! Casework pages: the caseload (with "seen today" for outreach rounds), logging a contact,
//! the monthly status snapshot, and changing a participant's case manager.
//!
//! The contact form is built for a phone on the street: from the caseload, "Log contact"
//! opens a form whose defaults are the common case (now, street outreach, 15 minutes, where
//! they were last seen), so the usual contact is two taps. Whether the person is in reach
//! is decided in the store, inside each write.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::FormErrors;
use leadhub_domain::access::{Action, Scope, allowed};
use leadhub_domain::consent::{NoteInput, ReleaseInput};
use leadhub_domain::ids::{ParticipantId, ReleaseId, UserId};
use leadhub_domain::participant::{Activity, ContactInput, ContactKind, NewContact, Service};
use leadhub_domain::snapshot::{
    Coverage, Employment, IncomeSource, LivingSituation, Month, SnapshotInput, Unknown,
};
use leadhub_store::{Brief, CaseloadFilter, CaseloadLine, Casework, Caseworker, Whose};
use serde::Deserialize;
use time::OffsetDateTime;

use super::chrome::render;
use super::form::Choice;
use super::login::MessagePage;
use super::referrals::field_message;
use super::staff::{Frame, moment};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

pub fn kind_label(kind: ContactKind) -> &'static str {
    match kind {
        ContactKind::StreetOutreach => "Street outreach",
        ContactKind::Office => "Office",
        ContactKind::Phone => "Phone call",
        ContactKind::Text => "Text message",
        ContactKind::Accompaniment => "Went with them (appointment)",
        ContactKind::CourtSupport => "Court support",
    }
}

pub fn service_label(service: Service) -> &'static str {
    match service {
        Service::HarmReduction => "Harm-reduction supplies",
        Service::Food => "Food",
        Service::Transport => "Transport",
        Service::IdDocuments => "ID documents",
        Service::BenefitsApplication => "Benefits application",
        Service::HousingNavigation => "Housing navigation",
        Service::TreatmentLinkage => "Treatment linkage (on request)",
    }
}

/// The contact lengths offered as one tap; any other number can be typed.
const MINUTE_CHOICES: [u16; 6] = [5, 10, 15, 30, 60, 120];
const DEFAULT_MINUTES: &str = "15";

pub(super) fn worker(user: &StaffUser) -> Caseworker<'_> {
    Caseworker {
        user: user.session.user_id,
        role: user.session.role,
        scope: user.scope,
        organization: user.session.organization.as_deref(),
        address: &user.address,
        now: leadhub_store::now(),
    }
}

pub(super) fn participant_id(raw: &str) -> Result<ParticipantId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// The month it is now on the site's clock.
pub fn current_month(state: &AppState, now: OffsetDateTime) -> Month {
    Month::of(state.site.calendar.day_of(now))
}

/// "today", "yesterday", "12 days ago".
pub fn days_ago(state: &AppState, at: OffsetDateTime, now: OffsetDateTime) -> String {
    let day = |t: OffsetDateTime| state.site.calendar.day_of(t);
    let days = day(at).until(day(now)).map(|s| s.get_days()).unwrap_or(0);
    match days {
        i32::MIN..=0 => "today".into(),
        1 => "yesterday".into(),
        n => format!("{n} days ago"),
    }
}

/// A casework write that did not happen, for the outcomes a page has no words of its own
/// for: an unknown participant is not found, the rest are out of the person's reach.
fn not_done<T>(
    state: &AppState,
    user: &StaffUser,
    outcome: Casework<T>,
) -> Result<Response, AppError> {
    match outcome {
        Casework::NotFound => Err(AppError::NotFound),
        Casework::Done(_)
        | Casework::OutOfReach
        | Casework::BeforeStart
        | Casework::Stale
        | Casework::NotAssignable => refused_page(state, user),
    }
}

pub(super) fn refused_page(state: &AppState, user: &StaffUser) -> Result<Response, AppError> {
    let mut frame = Frame::staff(state, user, "Not in your reach", "/staff/participants");
    frame.error = "This person is not in your caseload, so nothing was saved.".into();
    let page = MessagePage {
        frame,
        message: "Ask their case manager or the project manager.".into(),
        link: "/staff/participants".into(),
        link_label: "Back to the caseload".into(),
    };
    Ok((StatusCode::FORBIDDEN, render(&page)?).into_response())
}

// ---------------------------------------------------------------------------------------
// The caseload

#[derive(Debug, Default, Deserialize)]
pub struct CaseloadQuery {
    #[serde(default)]
    whose: String,
    #[serde(default)]
    view: String,
    #[serde(default)]
    logged: String,
    #[serde(default)]
    seen: String,
}

/// The caseload views, as links: code, label, filter.
const VIEWS: [(&str, &str, CaseloadFilter); 6] = [
    ("all", "Everyone", CaseloadFilter::Everyone),
    ("unseen7", "Not seen in 7 days", CaseloadFilter::NotSeen(7)),
    (
        "unseen14",
        "Not seen in 14 days",
        CaseloadFilter::NotSeen(14),
    ),
    (
        "unseen30",
        "Not seen in 30 days",
        CaseloadFilter::NotSeen(30),
    ),
    (
        "consents",
        "Consents expiring",
        CaseloadFilter::ConsentsExpiring,
    ),
    ("status", "Monthly status due", CaseloadFilter::StatusDue),
];

struct Row {
    id: ParticipantId,
    name: String,
    case_manager: String,
    seen: String,
    inactive: bool,
    consent_expires: Option<String>,
    status_due: bool,
    /// The worker may log contacts for this person.
    can_log: bool,
    /// Ticked "Seen" in a form that came back.
    ticked: bool,
}

struct Size {
    name: String,
    participants: i64,
    active: i64,
}

#[derive(Template)]
#[template(path = "staff/caseload.html")]
struct CaseloadPage {
    frame: Frame,
    csrf: String,
    whose: &'static str,
    view: &'static str,
    team_allowed: bool,
    views: Vec<(String, &'static str, bool)>,
    rows: Vec<Row>,
    any_loggable: bool,
    limit_reached: bool,
    sizes: Vec<Size>,
    places: Vec<(String, String, bool)>,
    minutes: Vec<Choice>,
    seen_error: String,
}

/// The caseload of someone whose participant permission covers their own caseload or the
/// whole site (the liaisons' list of released people is `participants::list`).
pub async fn caseload(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<CaseloadQuery>,
) -> Result<Response, AppError> {
    if user.scope == Scope::Consented {
        return super::participants::list(State(state), user).await;
    }
    let mut frame = Frame::staff(&state, &user, "Caseload", "/staff/participants");
    if query.logged == "1" {
        frame.notice = "Contact logged.".into();
    } else if let Ok(n) = query.seen.parse::<usize>() {
        let people = if n == 1 {
            "1 person".to_owned()
        } else {
            format!("{n} people")
        };
        frame.notice = format!("Logged “seen today” for {people}.");
    }
    let nothing_typed = SeenTyped::default();
    caseload_page(&state, &user, &query, frame, &nothing_typed, StatusCode::OK).await
}

/// The "seen today" form as posted, to show again when it is refused.
#[derive(Debug, Default)]
struct SeenTyped {
    ticked: Vec<String>,
    minutes: String,
    place: String,
    error: String,
}

async fn caseload_page(
    state: &AppState,
    user: &StaffUser,
    query: &CaseloadQuery,
    frame: Frame,
    typed: &SeenTyped,
    status: StatusCode,
) -> Result<Response, AppError> {
    let role = user.session.role;
    let team_allowed = allowed(role, Action::CaseloadTeam).is_some();
    // Whoever sees the whole site has no caseload of their own to start from.
    let default_whose = if user.scope == Scope::All {
        "team"
    } else {
        "mine"
    };
    let whose = match query.whose.as_str() {
        "team" if team_allowed => Whose::Team,
        "mine" => Whose::Mine,
        _ if default_whose == "team" && team_allowed => Whose::Team,
        _ => Whose::Mine,
    };
    let (view, _, filter) = VIEWS
        .iter()
        .find(|(code, _, _)| *code == query.view)
        .copied()
        .unwrap_or(VIEWS[0]);
    let worker = worker(user);
    let now = worker.now;
    let rules = state.site.activity;
    let (lines, limit_reached) = state
        .db
        .caseload(
            &worker,
            whose,
            filter,
            current_month(state, now),
            rules.inactive_after_days,
        )
        .await?;
    let rows: Vec<Row> = lines
        .into_iter()
        .map(|line: CaseloadLine| {
            let activity = rules.activity(line.enrolled_at, Some(line.last_seen_at), now);
            Row {
                id: line.id,
                name: line.name,
                case_manager: line.case_manager.unwrap_or_else(|| "nobody yet".into()),
                seen: days_ago(state, line.last_seen_at, now),
                inactive: activity == Activity::Inactive,
                consent_expires: line.consent_expires.map(|at| moment(state, at)),
                status_due: activity == Activity::Active && !line.status_recorded_this_month,
                ticked: typed.ticked.iter().any(|t| *t == line.id.to_string()),
                can_log: user.scope == Scope::All
                    || line.case_manager_id == Some(user.session.user_id),
            }
        })
        .collect();
    let sizes = if allowed(role, Action::WorkAssign).is_some() {
        state
            .db
            .caseload_sizes(now, rules.inactive_after_days)
            .await?
            .into_iter()
            .map(|s| Size {
                name: s.name.unwrap_or_else(|| "No case manager".into()),
                participants: s.participants,
                active: s.active,
            })
            .collect()
    } else {
        Vec::new()
    };
    let whose_code = match whose {
        Whose::Mine => "mine",
        Whose::Team => "team",
    };
    let page = CaseloadPage {
        frame,
        csrf: user.csrf.clone(),
        whose: whose_code,
        view,
        team_allowed,
        views: VIEWS
            .iter()
            .map(|(code, label, _)| {
                (
                    format!("/staff/participants?whose={whose_code}&view={code}"),
                    *label,
                    *code == view,
                )
            })
            .collect(),
        any_loggable: rows.iter().any(|r| r.can_log),
        rows,
        limit_reached,
        sizes,
        places: state
            .site
            .places
            .iter()
            .map(|p| (p.key.clone(), p.name.clone(), p.key == typed.place))
            .collect(),
        minutes: minute_choices(if typed.minutes.is_empty() {
            "5"
        } else {
            &typed.minutes
        }),
        seen_error: typed.error.clone(),
    };
    Ok((status, render(&page)?).into_response())
}

fn minute_choices(checked: &str) -> Vec<Choice> {
    MINUTE_CHOICES
        .iter()
        .map(|m| Choice {
            value: m.to_string(),
            label: format!("{m} min"),
            checked: checked == m.to_string(),
            lang: "",
        })
        .collect()
}

/// "Seen today" for the ticked people of a caseload: one short street-outreach contact
/// each, all or none.
pub async fn seen(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let query = CaseloadQuery {
        whose: fields.get("whose"),
        view: fields.get("view"),
        ..Default::default()
    };
    let again = |error: String| SeenTyped {
        ticked: fields.all("participant"),
        minutes: fields.get("minutes"),
        place: fields.get("place"),
        error,
    };
    // A person ticked twice (a resent form) is seen once.
    let ids: Result<Vec<ParticipantId>, _> = fields
        .all("participant")
        .iter()
        .map(|id| id.parse::<ParticipantId>())
        .collect::<Result<std::collections::BTreeSet<_>, _>>()
        .map(|set| set.into_iter().collect());
    let input = ContactInput {
        kind: ContactKind::StreetOutreach.code().into(),
        minutes: fields.get("minutes"),
        place: fields.get("place"),
        ..Default::default()
    };
    let problem = match (&ids, input.parse(&state.site, leadhub_store::now())) {
        (Err(_), _) => Err("Something in the list was not a person: nothing was logged.".into()),
        (Ok(ids), _) if ids.is_empty() => Err("Tick the people you saw first.".to_owned()),
        (_, Err(errors)) => Err(errors
            .iter()
            .map(|(_, e)| field_message(e))
            .collect::<Vec<_>>()
            .join(" ")),
        (Ok(ids), Ok(contact)) => Ok((ids.clone(), contact)),
    };
    let (ids, contact) = match problem {
        Ok(ok) => ok,
        Err(message) => {
            let mut frame = Frame::staff(&state, &user, "Caseload", "/staff/participants");
            frame.error = "Nothing was logged: see below.".into();
            return caseload_page(
                &state,
                &user,
                &query,
                frame,
                &again(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state.db.log_seen(&worker(&user), &ids, &contact).await? {
        Casework::Done(n) => Ok(Redirect::to(&format!(
            "/staff/participants?whose={}&view={}&seen={n}",
            url_code(&query.whose),
            url_code(&query.view)
        ))
        .into_response()),
        Casework::BeforeStart => {
            let mut frame = Frame::staff(&state, &user, "Caseload", "/staff/participants");
            frame.error = "Nothing was logged: see below.".into();
            caseload_page(
                &state,
                &user,
                &query,
                frame,
                &again("Someone ticked was enrolled after that time.".into()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        other => not_done(&state, &user, other),
    }
}

/// A query value passed back into a link: only the known codes survive.
fn url_code(raw: &str) -> &str {
    let known = VIEWS.iter().any(|(code, _, _)| *code == raw) || matches!(raw, "mine" | "team");
    if known { raw } else { "" }
}

// ---------------------------------------------------------------------------------------
// One contact

#[derive(Template)]
#[template(path = "staff/contact_form.html")]
struct ContactPage {
    frame: Frame,
    csrf: String,
    id: ParticipantId,
    kinds: Vec<Choice>,
    minutes: Vec<Choice>,
    minutes_other: String,
    places: Vec<(String, String, bool)>,
    services: Vec<Choice>,
    at: String,
    place_other: String,
    point: String,
    note: String,
    errors: std::collections::BTreeMap<&'static str, String>,
}

impl ContactPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

fn contact_page(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    brief: &Brief,
    typed: &ContactInput,
    errors: &FormErrors,
) -> ContactPage {
    let mut frame = Frame::staff(
        state,
        user,
        &format!("Log a contact: {}", brief.name),
        "/staff/participants",
    );
    if !errors.is_empty() {
        frame.error = "The contact was not saved yet: see below.".into();
    }
    let minutes_offered = MINUTE_CHOICES
        .iter()
        .any(|m| m.to_string() == typed.minutes.trim());
    ContactPage {
        frame,
        csrf: user.csrf.clone(),
        id,
        kinds: ContactKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code().into(),
                label: kind_label(*k).into(),
                checked: typed.kind == k.code(),
                lang: "",
            })
            .collect(),
        minutes: minute_choices(typed.minutes.trim()),
        minutes_other: if minutes_offered {
            String::new()
        } else {
            typed.minutes.clone()
        },
        places: state
            .site
            .places
            .iter()
            .map(|p| (p.key.clone(), p.name.clone(), p.key == typed.place))
            .collect(),
        services: Service::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().into(),
                label: service_label(*s).into(),
                checked: typed.services.iter().any(|t| t == s.code()),
                lang: "",
            })
            .collect(),
        at: typed.at.clone(),
        place_other: typed.place_other.clone(),
        point: typed.point.clone(),
        note: typed.note.clone(),
        errors: errors
            .iter()
            .map(|(field, e)| (field, field_message(e)))
            .collect(),
    }
}

/// A casework form's page for a participant in reach (or the refusal, if not).
async fn brief_page<P: Template>(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    status: StatusCode,
    page: impl FnOnce(&Brief) -> P,
) -> Result<Response, AppError> {
    match brief_or_refusal(state, user, id).await? {
        Ok(brief) => Ok((status, render(&page(&brief))?).into_response()),
        Err(refused) => Ok(refused),
    }
}

async fn brief_or_refusal(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
) -> Result<Result<Brief, Response>, AppError> {
    match state
        .db
        .participant_brief(&worker(user), id, &state.site.calendar)
        .await?
    {
        Casework::Done(brief) => Ok(Ok(brief)),
        other => Ok(Err(not_done(state, user, other)?)),
    }
}

pub async fn contact_form(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    brief_page(&state, &user, id, StatusCode::OK, |brief| {
        let typed = ContactInput {
            kind: ContactKind::StreetOutreach.code().into(),
            minutes: DEFAULT_MINUTES.into(),
            place: brief.last_place.clone().unwrap_or_default(),
            ..Default::default()
        };
        contact_page(&state, &user, id, brief, &typed, &FormErrors::default())
    })
    .await
}

fn contact_input(fields: &FormFields) -> ContactInput {
    // A typed number wins over the tapped choice (the "other" box is there to be used).
    let other = fields.get("minutes_other");
    ContactInput {
        at: fields.get("at"),
        kind: fields.get("kind"),
        minutes: if other.trim().is_empty() {
            fields.get("minutes")
        } else {
            other
        },
        place: fields.get("place"),
        place_other: fields.get("place_other"),
        point: fields.get("point"),
        services: fields.all("services"),
        note: fields.get("note"),
    }
}

/// The contact form again, with what was typed and what was wrong (422).
async fn contact_again(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    typed: &ContactInput,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    brief_page(state, user, id, StatusCode::UNPROCESSABLE_ENTITY, |brief| {
        contact_page(state, user, id, brief, typed, errors)
    })
    .await
}

pub async fn log_contact(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let typed = contact_input(&FormFields::parse(&body));
    let contact: NewContact = match typed.parse(&state.site, leadhub_store::now()) {
        Ok(contact) => contact,
        Err(errors) => return contact_again(&state, &user, id, &typed, &errors).await,
    };
    match state.db.log_contact(&worker(&user), id, &contact).await? {
        Casework::Done(_) => Ok(Redirect::to("/staff/participants?logged=1").into_response()),
        Casework::BeforeStart => {
            let mut errors = FormErrors::default();
            errors.add("at", leadhub_domain::FieldError::BeforeStart);
            contact_again(&state, &user, id, &typed, &errors).await
        }
        other => not_done(&state, &user, other),
    }
}

// ---------------------------------------------------------------------------------------
// The monthly status snapshot

#[derive(Template)]
#[template(path = "staff/status_form.html")]
struct StatusPage {
    frame: Frame,
    csrf: String,
    id: ParticipantId,
    months: Vec<(String, bool)>,
    living: Vec<(String, &'static str, bool)>,
    employment: Vec<Choice>,
    income_answer: Vec<Choice>,
    income: Vec<Choice>,
    coverage_answer: Vec<Choice>,
    coverage: Vec<Choice>,
    errors: std::collections::BTreeMap<&'static str, String>,
}

impl StatusPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

/// Answers for a set question: some (ticked below), none, or why not known.
fn set_answers(checked: &str) -> Vec<Choice> {
    let mut answers = vec![("yes", "Yes (tick which below)"), ("none", "None")];
    answers.extend(Unknown::ALL.iter().map(|u| (u.code(), u.label())));
    answers
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.into(),
            label: label.into(),
            checked: checked == value,
            lang: "",
        })
        .collect()
}

fn ticks<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    ticked: &[String],
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: code(*v).into(),
            label: label(*v).into(),
            checked: ticked.iter().any(|t| t == code(*v)),
            lang: "",
        })
        .collect()
}

fn status_page(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    brief: &Brief,
    typed: &SnapshotInput,
    errors: &FormErrors,
) -> StatusPage {
    let mut frame = Frame::staff(
        state,
        user,
        &format!("Monthly status: {}", brief.name),
        "/staff/participants",
    );
    if !errors.is_empty() {
        frame.error = "The status was not saved yet: see below.".into();
    }
    let current = current_month(state, leadhub_store::now());
    let mut months = Vec::new();
    let mut month = current;
    while month >= brief.first_month && months.len() < 24 {
        months.push((month.to_string(), typed.month == month.to_string()));
        month = month.previous();
    }
    let mut living: Vec<(String, &'static str, bool)> = LivingSituation::ALL
        .iter()
        .map(|l| (l.code().to_owned(), l.label(), typed.living == l.code()))
        .collect();
    living.extend(
        Unknown::ALL
            .iter()
            .map(|u| (u.code().to_owned(), u.label(), typed.living == u.code())),
    );
    let mut employment = ticks(
        Employment::ALL,
        Employment::code,
        Employment::label,
        std::slice::from_ref(&typed.employment),
    );
    employment.extend(ticks(
        Unknown::ALL,
        Unknown::code,
        Unknown::label,
        std::slice::from_ref(&typed.employment),
    ));
    StatusPage {
        frame,
        csrf: user.csrf.clone(),
        id,
        months,
        living,
        employment,
        income_answer: set_answers(&typed.income_answer),
        income: ticks(
            IncomeSource::ALL,
            IncomeSource::code,
            IncomeSource::label,
            &typed.income,
        ),
        coverage_answer: set_answers(&typed.coverage_answer),
        coverage: ticks(
            Coverage::ALL,
            Coverage::code,
            Coverage::label,
            &typed.coverage,
        ),
        errors: errors
            .iter()
            .map(|(field, e)| (field, field_message(e)))
            .collect(),
    }
}

pub async fn status_form(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let typed = SnapshotInput {
        month: current_month(&state, leadhub_store::now()).to_string(),
        ..Default::default()
    };
    brief_page(&state, &user, id, StatusCode::OK, |brief| {
        status_page(&state, &user, id, brief, &typed, &FormErrors::default())
    })
    .await
}

/// The status form again, with what was typed and what was wrong (422).
async fn status_again(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    typed: &SnapshotInput,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    brief_page(state, user, id, StatusCode::UNPROCESSABLE_ENTITY, |brief| {
        status_page(state, user, id, brief, typed, errors)
    })
    .await
}

pub async fn record_status(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let fields = FormFields::parse(&body);
    let typed = SnapshotInput {
        month: fields.get("month"),
        living: fields.get("living"),
        employment: fields.get("employment"),
        income_answer: fields.get("income_answer"),
        income: fields.all("income"),
        coverage_answer: fields.get("coverage_answer"),
        coverage: fields.all("coverage"),
    };
    let current = current_month(&state, leadhub_store::now());
    // The store holds the month to the participant's own start; here only to the calendar.
    let earliest = "1900-01".parse().unwrap_or(current);
    let snapshot = match typed.parse(earliest, current) {
        Ok(snapshot) => snapshot,
        Err(errors) => return status_again(&state, &user, id, &typed, &errors).await,
    };
    match state
        .db
        .record_snapshot(&worker(&user), id, &snapshot, &state.site.calendar)
        .await?
    {
        Casework::Done(_) => {
            Ok(Redirect::to(&format!("/staff/participants/{id}?saved=status")).into_response())
        }
        Casework::BeforeStart => {
            let mut errors = FormErrors::default();
            errors.add("month", leadhub_domain::FieldError::BeforeStart);
            status_again(&state, &user, id, &typed, &errors).await
        }
        other => not_done(&state, &user, other),
    }
}

// ---------------------------------------------------------------------------------------
// The case manager

pub async fn change_case_manager(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let fields = FormFields::parse(&body);
    let version: Option<i64> = fields.get("version").parse().ok();
    let case_manager: Option<UserId> = fields.get("case_manager").parse().ok();
    let (Some(version), Some(case_manager)) = (version, case_manager) else {
        return message(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a case manager from the list.",
            id,
        );
    };
    match state
        .db
        .change_case_manager(&worker(&user), id, version, case_manager)
        .await?
    {
        Casework::Done(()) => Ok(Redirect::to(&format!(
            "/staff/participants/{id}?saved=case_manager"
        ))
        .into_response()),
        Casework::Stale => message(
            &state,
            &user,
            StatusCode::CONFLICT,
            "Someone changed this record after you opened it, so your change was not made. Open the record again to see it as it is now, then choose again.",
            id,
        ),
        Casework::NotAssignable => message(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            "That person cannot hold a caseload (only active case managers and project managers can).",
            id,
        ),
        other => not_done(&state, &user, other),
    }
}

fn message(
    state: &AppState,
    user: &StaffUser,
    status: StatusCode,
    text: &str,
    id: ParticipantId,
) -> Result<Response, AppError> {
    let mut frame = Frame::staff(state, user, "Not changed", "/staff/participants");
    frame.error = text.to_owned();
    let page = MessagePage {
        frame,
        message: String::new(),
        link: format!("/staff/participants/{id}"),
        link_label: "Back to the record".into(),
    };
    Ok((status, render(&page)?).into_response())
}

// ---------------------------------------------------------------------------------------
// Notes and releases, from the record page

async fn record_again(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    form: &'static str,
    fields: FormFields,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    super::participants::record_response(
        state,
        user,
        id,
        "",
        super::typed::Typed::new(form.to_owned(), fields, errors),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn saved(id: ParticipantId, what: &str) -> Response {
    Redirect::to(&format!("/staff/participants/{id}?saved={what}")).into_response()
}

pub async fn write_note(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let fields = FormFields::parse(&body);
    let input = NoteInput {
        sensitivity: fields.get("sensitivity"),
        body: fields.get("body"),
    };
    let (label, text) = match input.parse() {
        Ok(note) => note,
        Err(errors) => return record_again(&state, &user, id, "note", fields, &errors).await,
    };
    match state
        .db
        .write_note(&worker(&user), id, label, &text)
        .await?
    {
        Casework::Done(_) => Ok(saved(id, "note")),
        other => not_done(&state, &user, other),
    }
}

pub async fn add_release(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let fields = FormFields::parse(&body);
    let input = ReleaseInput {
        discloser: fields.get("discloser"),
        recipient: fields.get("recipient"),
        covers: fields.all("covers"),
        purpose: fields.get("purpose"),
        signed_on: fields.get("signed_on"),
        expires_on: fields.get("expires_on"),
    };
    let release = match input.parse(&state.site, leadhub_store::now()) {
        Ok(release) => release,
        Err(errors) => return record_again(&state, &user, id, "release", fields, &errors).await,
    };
    match state.db.add_release(&worker(&user), id, &release).await? {
        Casework::Done(_) => Ok(saved(id, "release")),
        other => not_done(&state, &user, other),
    }
}

pub async fn revoke_release(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let release: Option<ReleaseId> = FormFields::parse(&body).get("release").parse().ok();
    let Some(release) = release else {
        // Out of reach is said first, whatever else is wrong.
        if let Err(refused) = brief_or_refusal(&state, &user, id).await? {
            return Ok(refused);
        }
        return message(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose the release to revoke from the record.",
            id,
        );
    };
    match state
        .db
        .revoke_participant_release(&worker(&user), id, release)
        .await?
    {
        Casework::Done(()) => Ok(saved(id, "revoked")),
        Casework::Stale => message(
            &state,
            &user,
            StatusCode::CONFLICT,
            "That release is not this person's, or was revoked already.",
            id,
        ),
        other => not_done(&state, &user, other),
    }
}

// ---------------------------------------------------------------------------------------
// The printed consent form

#[derive(Template)]
#[template(path = "staff/consent_form.html")]
struct ConsentFormPage {
    tr: crate::i18n::Tr,
    lang: &'static str,
    id: ParticipantId,
    name: String,
    site: String,
    languages: Vec<(&'static str, String, bool)>,
    covers: Vec<String>,
    intro: String,
    revoke: String,
    no_condition: String,
    demo: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ConsentFormQuery {
    #[serde(default)]
    lang: String,
}

/// A release of information to print, in the language the participant reads, with their
/// name filled in and the rest left for them to fill in and sign (then staff record it).
pub async fn consent_form(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    Query(query): Query<ConsentFormQuery>,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let lang = leadhub_domain::Language::ALL
        .into_iter()
        .find(|l| l.tag() == query.lang)
        .unwrap_or(leadhub_domain::Language::En);
    let brief = match brief_or_refusal(&state, &user, id).await? {
        Ok(brief) => brief,
        Err(refused) => return Ok(refused),
    };
    let tr = crate::i18n::Tr::new(state.i18n.clone(), lang);
    let site = state.site.name.clone();
    let with_site = |key: &str| tr.with(key, &[("site", site.clone())]);
    let covers = [
        "consent-form-cover-participation",
        "consent-form-cover-case-manager",
        "consent-form-cover-progress",
        "consent-form-cover-barriers",
    ]
    .iter()
    .map(|key| with_site(key))
    .collect();
    let (intro, revoke, no_condition) = (
        with_site("consent-form-intro"),
        with_site("consent-form-revoke"),
        with_site("consent-form-no-condition"),
    );
    let page = ConsentFormPage {
        languages: leadhub_domain::Language::ALL
            .iter()
            .map(|l| (l.tag(), tr.t(&format!("lang-{}", l.tag())), *l == lang))
            .collect(),
        tr,
        lang: lang.tag(),
        id,
        name: brief.name,
        site,
        covers,
        intro,
        revoke,
        no_condition,
        demo: state.config.demo,
    };
    Ok(render(&page)?.into_response())
}
