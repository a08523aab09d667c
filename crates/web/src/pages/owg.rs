//! Operational Workgroup case conferencing: the meetings, planning the next one (its agenda
//! is built from the flags at once), the agenda as each attendee may see it, and for the
//! project manager who runs it: rebuilding the agenda, minutes, taking an item off, action
//! items and marking them done, and putting someone on the next agenda from their record.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::FormErrors;
use leadhub_domain::access::{Action, allowed};
use leadhub_domain::consent::REDISCLOSURE_NOTICE;
use leadhub_domain::ids::{ActionItemId, AgendaItemId, MeetingId};
use leadhub_domain::owg::{
    ACTION_MAX, ActionInput, CADENCE_DAYS, Flag, MINUTES_MAX, MeetingInput, parse_minutes,
};
use leadhub_store::{ItemAbout, ItemEdit, ItemView, MeetingChange, MeetingView};

use super::casework::{participant_id, worker};
use super::chrome::render;
use super::staff::{Frame, moment};
use super::typed::{SavedQuery, Sent, Typed};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

/// Meetings listed.
const MEETINGS_LISTED: i64 = 30;

pub fn flag_label(flag: Flag) -> &'static str {
    match flag {
        Flag::NewBooking => "Booked since the last meeting",
        Flag::CourtSoon => "Court date within two weeks",
        Flag::Warrant => "Warrant out",
        Flag::ReferralOverdue => "Referral not answered in time",
        Flag::NotSeen => "Not seen for 30 days",
        Flag::ActionOverdue => "Action item overdue",
        Flag::FollowUp => "Action item to follow up",
        Flag::Added => "Put on the agenda by hand",
    }
}

fn runs(user: &StaffUser) -> bool {
    allowed(user.session.role, Action::OwgRun).is_some()
}

struct MeetingRow {
    id: MeetingId,
    when: String,
    place: String,
    items: i64,
}

#[derive(Template)]
#[template(path = "staff/owg.html")]
struct MeetingsPage {
    frame: Frame,
    csrf: String,
    runs: bool,
    meetings: Vec<MeetingRow>,
    starts_at: String,
    place: String,
    typed: Typed,
}

async fn meetings_page(
    state: &AppState,
    user: &StaffUser,
    typed: Typed,
) -> Result<MeetingsPage, AppError> {
    let mut frame = Frame::staff(state, user, "Case conferencing", "/staff/owg");
    if !typed.errors.is_empty() {
        frame.error = "Not planned yet: see below.".into();
    }
    let meetings = state.db.meetings(MEETINGS_LISTED).await?;
    // The next one two weeks after the last, at the same time; or two weeks from today.
    let tz = state.site.calendar.time_zone().clone();
    let next = meetings.first().map_or_else(
        || leadhub_store::now() + time::Duration::days(CADENCE_DAYS),
        |m| m.starts_at + time::Duration::days(CADENCE_DAYS),
    );
    let local = leadhub_domain::calendar::from_offset_date_time(next).to_zoned(tz);
    let default_start = if meetings.is_empty() {
        local.strftime("%Y-%m-%dT14:00").to_string()
    } else {
        local.strftime("%Y-%m-%dT%H:%M").to_string()
    };
    let place = meetings
        .first()
        .map(|m| m.place.clone())
        .unwrap_or_default();
    Ok(MeetingsPage {
        frame,
        csrf: user.csrf.clone(),
        runs: runs(user),
        meetings: meetings
            .iter()
            .map(|m| MeetingRow {
                id: m.id,
                when: moment(state, m.starts_at),
                place: m.place.clone(),
                items: m.items,
            })
            .collect(),
        starts_at: typed.value("meeting", "starts_at", &default_start),
        place: typed.value("meeting", "place", &place),
        typed,
    })
}

pub async fn list(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    Ok(render(&meetings_page(&state, &user, Typed::default()).await?)?.into_response())
}

/// Plans a meeting; its agenda is built from the flags as they are now.
pub async fn plan(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let input = MeetingInput {
        starts_at: fields.get("starts_at"),
        place: fields.get("place"),
    };
    let meeting = match input.parse(&state.site) {
        Ok(meeting) => meeting,
        Err(errors) => {
            let typed = Typed::new("meeting".into(), fields, &errors);
            let page = meetings_page(&state, &user, typed).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let id = state
        .db
        .plan_meeting(
            &user.session.actor(),
            &meeting,
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    Ok(Redirect::to(&format!("/staff/owg/{id}?saved=planned")).into_response())
}

// ---------------------------------------------------------------------------------------
// One meeting.

struct FactRow {
    label: &'static str,
    at: String,
    words: String,
}

struct ActionRow {
    id: ActionItemId,
    words: String,
    owner: String,
    agency: String,
    due_on: String,
    done: String,
}

struct ItemRow {
    id: AgendaItemId,
    key: String,
    action_key: String,
    title: String,
    link: String,
    case_manager: String,
    release: Option<String>,
    flags: Vec<&'static str>,
    facts: Vec<FactRow>,
    minutes: String,
    removed: bool,
    actions: Vec<ActionRow>,
}

#[derive(Template)]
#[template(path = "staff/owg_meeting.html")]
struct AgendaPage {
    frame: Frame,
    csrf: String,
    id: MeetingId,
    when: String,
    place: String,
    built: String,
    started: bool,
    runs: bool,
    items: Vec<ItemRow>,
    removed: Vec<ItemRow>,
    withheld: usize,
    notice: &'static str,
    minutes_max: usize,
    action_max: usize,
    today: String,
    typed: Typed,
}

fn fact_at(state: &AppState, flag: Flag, at: Option<time::OffsetDateTime>) -> String {
    let Some(at) = at else {
        return String::new();
    };
    let when = moment(state, at);
    match flag {
        Flag::NotSeen => format!("last contact {when}"),
        Flag::ReferralOverdue => format!("due {when}"),
        _ => when,
    }
}

fn item_row(state: &AppState, item: &ItemView) -> ItemRow {
    let (title, link, case_manager, release) = match &item.about {
        ItemAbout::Participant {
            id,
            name,
            case_manager,
            release,
        } => (
            name.clone(),
            format!("/staff/participants/{id}"),
            case_manager
                .clone()
                .unwrap_or_else(|| "no case manager".into()),
            release.map(|r| r.to_string()),
        ),
        ItemAbout::Referral { code } => (
            format!("Referral {code}"),
            String::new(),
            String::new(),
            None,
        ),
    };
    ItemRow {
        id: item.id,
        key: format!("item-{}", item.id),
        action_key: format!("action-{}", item.id),
        title,
        link,
        case_manager,
        release,
        flags: item.flags.iter().map(|f| flag_label(*f)).collect(),
        facts: item
            .facts
            .iter()
            .map(|f| FactRow {
                label: flag_label(f.flag),
                at: fact_at(state, f.flag, f.at),
                words: f.words.clone(),
            })
            .collect(),
        minutes: item.minutes.clone().unwrap_or_default(),
        removed: item.removed,
        actions: item
            .actions
            .iter()
            .map(|a| ActionRow {
                id: a.id,
                words: a.words.clone(),
                owner: a.owner.clone(),
                agency: a.agency.clone(),
                due_on: a.due_on.to_string(),
                done: a.done_at.map(|t| moment(state, t)).unwrap_or_default(),
            })
            .collect(),
    }
}

async fn agenda_response(
    state: &AppState,
    user: &StaffUser,
    meeting: MeetingId,
    typed: Typed,
    status: StatusCode,
    notice: &str,
) -> Result<Response, AppError> {
    let Some(view) = state.db.meeting(&worker(user), meeting).await? else {
        return Err(AppError::NotFound);
    };
    let mut frame = Frame::staff(state, user, "Case conferencing", "/staff/owg");
    frame.notice = notice.into();
    if !typed.errors.is_empty() {
        frame.error = "Not saved yet: see below.".into();
    }
    let page = agenda_page(state, user, &view, frame, typed);
    Ok((status, render(&page)?).into_response())
}

fn agenda_page(
    state: &AppState,
    user: &StaffUser,
    view: &MeetingView,
    frame: Frame,
    typed: Typed,
) -> AgendaPage {
    let runs = runs(user);
    let (removed, items): (Vec<ItemRow>, Vec<ItemRow>) = view
        .items
        .iter()
        .map(|i| item_row(state, i))
        .partition(|i| i.removed);
    let now = leadhub_store::now();
    AgendaPage {
        frame,
        csrf: user.csrf.clone(),
        id: view.id,
        when: moment(state, view.starts_at),
        place: view.place.clone(),
        built: moment(state, view.agenda_built_at),
        started: view.starts_at <= now,
        runs,
        items,
        // Only who runs the meeting sees what was taken off.
        removed: if runs { removed } else { Vec::new() },
        withheld: view.withheld,
        notice: REDISCLOSURE_NOTICE,
        minutes_max: MINUTES_MAX,
        action_max: ACTION_MAX,
        today: state.site.calendar.day_of(now).to_string(),
        typed,
    }
}

fn meeting_id(raw: &str) -> Result<MeetingId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let id = meeting_id(&id)?;
    let notice = match query.saved.as_str() {
        "planned" => "Meeting planned; its agenda was built from the flags.",
        "rebuilt" => "Agenda rebuilt from the flags as they are now.",
        "item" => "Item saved.",
        "action" => "Action item added.",
        "done" => "Action item marked done.",
        _ => "",
    };
    agenda_response(&state, &user, id, Typed::default(), StatusCode::OK, notice).await
}

/// Where a meeting change goes: back to the page, or the refusal it earned.
fn changed(id: MeetingId, change: MeetingChange, saved: &str) -> Result<Response, AppError> {
    match change {
        MeetingChange::Done => {
            Ok(Redirect::to(&format!("/staff/owg/{id}?saved={saved}")).into_response())
        }
        MeetingChange::NotFound | MeetingChange::NoMeeting => Err(AppError::NotFound),
        // Only a rebuild meets a started meeting, and it answers that itself.
        MeetingChange::Started => Err(AppError::BadRequest),
    }
}

pub async fn rebuild(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = meeting_id(&id)?;
    let change = state
        .db
        .rebuild_agenda(
            &user.session.actor(),
            id,
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    if change == MeetingChange::Started {
        let typed = Typed::default();
        let status = StatusCode::CONFLICT;
        let notice = "The meeting has started, so its agenda stays as it was.";
        return agenda_response(&state, &user, id, typed, status, notice).await;
    }
    changed(id, change, "rebuilt")
}

/// The item a form names: an id that is not one is an old or altered page.
fn named<I: std::str::FromStr>(fields: &FormFields, field: &str) -> Result<I, AppError> {
    fields
        .get(field)
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)
}

pub async fn edit_item(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = meeting_id(&id)?;
    let sent = Sent::naming(&body, "item-", "item");
    let item: AgendaItemId = named(&sent.fields, "item")?;
    let minutes = match parse_minutes(&sent.fields.get("minutes")) {
        Ok(minutes) => minutes,
        Err(errors) => return unsaved(&state, &user, id, sent, &errors).await,
    };
    let edit = ItemEdit {
        item,
        minutes,
        removed: sent.fields.get("removed") == "yes",
    };
    let change = state
        .db
        .edit_item(
            &user.session.actor(),
            id,
            &edit,
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    changed(id, change, "item")
}

async fn unsaved(
    state: &AppState,
    user: &StaffUser,
    id: MeetingId,
    sent: Sent,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let typed = Typed::new(sent.key, sent.fields, errors);
    agenda_response(state, user, id, typed, StatusCode::UNPROCESSABLE_ENTITY, "").await
}

pub async fn add_action(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = meeting_id(&id)?;
    let sent = Sent::naming(&body, "action-", "item");
    let item: AgendaItemId = named(&sent.fields, "item")?;
    let input = ActionInput {
        words: sent.fields.get("words"),
        owner: sent.fields.get("owner"),
        agency: sent.fields.get("agency"),
        due_on: sent.fields.get("due_on"),
    };
    let now = leadhub_store::now();
    let action = match input.parse(state.site.calendar.day_of(now)) {
        Ok(action) => action,
        Err(errors) => return unsaved(&state, &user, id, sent, &errors).await,
    };
    let change = state
        .db
        .add_action(&user.session.actor(), id, item, &action, &user.address, now)
        .await?;
    changed(id, change, "action")
}

pub async fn complete_action(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = meeting_id(&id)?;
    let fields = FormFields::parse(&body);
    let action: ActionItemId = named(&fields, "action")?;
    let change = state
        .db
        .complete_action(
            &user.session.actor(),
            id,
            action,
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    changed(id, change, "done")
}

/// From a participant's record: onto the next meeting's agenda.
pub async fn put_on_agenda(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let participant = participant_id(&id)?;
    let (change, meeting) = state
        .db
        .put_on_agenda(
            &user.session.actor(),
            participant,
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    match (change, meeting) {
        (MeetingChange::Done, Some(meeting)) => {
            Ok(Redirect::to(&format!("/staff/owg/{meeting}?saved=item")).into_response())
        }
        (MeetingChange::NoMeeting, _) => Ok(Redirect::to(&format!(
            "/staff/participants/{participant}?saved=no_meeting"
        ))
        .into_response()),
        _ => Err(AppError::NotFound),
    }
}
