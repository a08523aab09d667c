//! Participants' records under the permission matrix and consent: the list of those in
//! reach, one record, breaking the glass, and the project manager's review of such openings.
//! What may be shown is decided by `Db::open_participant`; these handlers only present it.

use askama::Template;
use axum::body::Bytes;
use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::access::{Action, Scope, allowed};
use leadhub_domain::consent::{Category, REDISCLOSURE_NOTICE, Sensitivity};
use leadhub_domain::ids::{BreakGlassId, ParticipantId};
use leadhub_domain::participant::Activity;
use leadhub_domain::plan::{GoalStatus, ReferralOutStatus, StepStatus};
use leadhub_domain::snapshot::{Answer, Coverage, Housing, IncomeSource};
use leadhub_store::{Opened, ParticipantView, SnapshotView};

use super::chrome::render;
use super::form::Choice;
use super::staff::{Frame, moment};
use super::typed::{SavedQuery, Typed};
use super::{casework, plan};
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

struct ContactLine {
    when: String,
    kind: &'static str,
    minutes: i64,
    place: String,
    outside: bool,
    services: String,
    note: String,
    by: String,
}

struct SnapshotLine {
    month: String,
    living: String,
    housing: &'static str,
    employment: String,
    income: String,
    coverage: String,
    recorded: String,
}

/// A goal as the record page summarises it: (about, words, where it stands, open steps).
type GoalLine = (&'static str, String, &'static str, Vec<String>);

struct ReleaseLine {
    id: String,
    revocable: bool,
    recipient: String,
    covers: String,
    purpose: String,
    signed: String,
    expires: String,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "staff/participant.html")]
struct RecordPage {
    frame: Frame,
    csrf: String,
    enrolled: Option<String>,
    last_contact: Option<String>,
    activity: Option<(&'static str, String)>,
    periods: Vec<(&'static str, String, String)>,
    tasks: Vec<String>,
    contacts: Vec<ContactLine>,
    snapshots: Vec<SnapshotLine>,
    releases: Vec<ReleaseLine>,
    goals: Vec<GoalLine>,
    /// Referrals out still open: (partner, need, where it stands).
    referrals_out: Vec<(String, String, &'static str)>,
    can_edit: bool,
    /// Whether the legal matters page is open to them (the store read the record's matters
    /// because their legal coordination reaches it).
    can_see_legal: bool,
    /// May put them on the next case conference's agenda (who runs the meetings).
    can_conference: bool,
    /// Open legal matters: (court and case, where it stands, next court date, warrant out,
    /// divertible).
    legal: Vec<(String, &'static str, String, bool, bool)>,
    forms: RecordForms,
    case_managers: Vec<(String, String, bool)>,
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
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    record_response(
        &state,
        &user,
        id,
        &query.saved,
        Typed::default(),
        StatusCode::OK,
    )
    .await
}

/// The record page as `user` may see it, with a form's typing and errors when it comes back.
pub(super) async fn record_response(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    saved: &str,
    typed: Typed,
    status: StatusCode,
) -> Result<Response, AppError> {
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
            frame: Frame::staff(state, user, "Not in your reach", "/staff/participants"),
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
    let mut page = record_page(state, user, view, saved).await?;
    page.frame.error = typed.page_error("");
    page.forms = forms(state, user, &typed);
    Ok((status, render(&page)?).into_response())
}

/// The note and release forms, filled with what was typed (or the defaults).
fn forms(state: &AppState, user: &StaffUser, typed: &Typed) -> RecordForms {
    let today = state.site.calendar.day_of(leadhub_store::now());
    let year_on = today
        .checked_add(jiff::Span::new().years(1))
        .and_then(|d| d.yesterday())
        .map(|d| d.to_string())
        .unwrap_or_default();
    let label = typed.value("note", "sensitivity", "general");
    let covers = typed.values("release", "covers");
    let release_error = |field: &str| typed.error("release", field);
    RecordForms {
        can_manage_consent: allowed(user.session.role, Action::ConsentManage).is_some(),
        labels: Sensitivity::ALL
            .iter()
            .map(|l| Choice {
                value: l.code().into(),
                label: sensitivity_label(*l).into(),
                checked: label == l.code(),
                lang: "",
            })
            .collect(),
        note_body: typed.value("note", "body", ""),
        note_error: typed.error("note", "body"),
        label_error: typed.error("note", "sensitivity"),
        release_open: typed.form == "release",
        discloser: typed.value(
            "release",
            "discloser",
            &format!("{} case management", state.site.name),
        ),
        recipient: typed.value("release", "recipient", ""),
        covers: Category::ALL
            .iter()
            .map(|c| Choice {
                value: c.code().into(),
                label: category_label(*c).into(),
                checked: covers.iter().any(|t| t == c.code()),
                lang: "",
            })
            .collect(),
        purpose: typed.value("release", "purpose", ""),
        signed_on: typed.value("release", "signed_on", &today.to_string()),
        expires_on: typed.value("release", "expires_on", &year_on),
        errors: [
            "discloser",
            "recipient",
            "covers",
            "purpose",
            "signed_on",
            "expires_on",
        ]
        .into_iter()
        .map(|f| (f, release_error(f)))
        .filter(|(_, e)| !e.is_empty())
        .collect(),
    }
}

pub fn sensitivity_label(label: Sensitivity) -> &'static str {
    match label {
        Sensitivity::General => "General",
        Sensitivity::Health => "Health (physical or mental)",
        Sensitivity::SubstanceUse => "Substance use (42 CFR Part 2)",
    }
}

pub fn category_label(category: Category) -> &'static str {
    match category {
        Category::Participation => "That they take part in LEAD, and since when",
        Category::CaseManager => "Who their case manager is",
        Category::Progress => "How often and how lately they are in contact",
        Category::Barriers => {
            "General notes on progress and barriers (never health or substance use)"
        }
        Category::Legal => "Their legal matters and the coordination on them",
    }
}

/// The forms of the record page.
#[derive(Debug, Default)]
pub(super) struct RecordForms {
    can_manage_consent: bool,
    /// The release form came back with errors: shown open.
    release_open: bool,
    labels: Vec<Choice>,
    label_error: String,
    note_body: String,
    note_error: String,
    discloser: String,
    recipient: String,
    covers: Vec<Choice>,
    purpose: String,
    signed_on: String,
    expires_on: String,
    errors: std::collections::BTreeMap<&'static str, String>,
}

impl RecordForms {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

async fn record_page(
    state: &AppState,
    user: &StaffUser,
    view: ParticipantView,
    saved: &str,
) -> Result<RecordPage, AppError> {
    let now = leadhub_store::now();
    let rules = state.site.activity;
    let own_team = view.release.is_none() && !view.break_glass;
    let can_edit = own_team
        && match allowed(user.session.role, Action::ParticipantEdit) {
            Some(Scope::All) => true,
            Some(Scope::Own) => view.case_manager_id == Some(user.session.user_id),
            Some(Scope::Consented) | None => false,
        };
    let can_assign = own_team && allowed(user.session.role, Action::WorkAssign).is_some();
    let activity = match (view.enrolled_at, view.last_seen_at) {
        (Some(enrolled), Some(seen)) => {
            let periods = rules.status_periods(enrolled, &view.contact_times, now);
            let since = periods.last().map(|p| p.from).unwrap_or(enrolled);
            let activity = rules.activity(enrolled, Some(seen), now);
            Some((activity, since, periods))
        }
        _ => None,
    };
    let month = casework::current_month(state, now);
    let mut tasks = Vec::new();
    if own_team {
        if let Some((Activity::Active, ..)) = &activity
            && view.snapshots.first().is_none_or(|s| s.month != month)
        {
            tasks.push(format!("Record the monthly status for {month}."));
        }
        if let Some(seen) = view.last_seen_at
            && now - seen >= time::Duration::days(30)
        {
            tasks.push(format!(
                "Not seen {}: look for them.",
                casework::days_ago(state, seen, now)
            ));
        }
        tasks.extend(plan_tasks(state, &view, now));
        let warning = now + time::Duration::days(leadhub_store::CONSENT_EXPIRY_WARNING_DAYS);
        for r in &view.releases {
            if r.release.is_active(now) && r.release.expires_at <= warning {
                tasks.push(format!(
                    "The release to {} expires {}: ask whether they want to renew it.",
                    r.release.recipient,
                    moment(state, r.release.expires_at)
                ));
            }
        }
    }
    let case_managers = if can_assign {
        state
            .db
            .assignable_staff()
            .await?
            .into_iter()
            .map(|(id, name)| {
                let current = view.case_manager_id == Some(id);
                (id.to_string(), name, current)
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut frame = Frame::staff(state, user, &view.name.clone(), "/staff/participants");
    frame.notice = match saved {
        "status" => "Monthly status saved.".into(),
        "note" => "Note saved.".into(),
        "release" => "Release of information recorded.".into(),
        "revoked" => "Release revoked from now on.".into(),
        "case_manager" => "Case manager changed.".into(),
        "no_meeting" => "No case conference is planned yet: plan the next one first.".into(),
        _ => String::new(),
    };
    Ok(RecordPage {
        frame,
        csrf: user.csrf.clone(),
        enrolled: view.enrolled_at.map(|at| moment(state, at)),
        last_contact: view.last_contact.map(|at| moment(state, at)),
        activity: activity
            .as_ref()
            .map(|(a, since, _)| (a.code(), moment(state, *since))),
        periods: activity
            .as_ref()
            .map(|(_, _, periods)| {
                periods
                    .iter()
                    .rev()
                    .map(|p| {
                        (
                            p.activity.code(),
                            moment(state, p.from),
                            p.until
                                .map(|u| moment(state, u))
                                .unwrap_or_else(|| "now".into()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        tasks,
        contacts: view
            .recent_contacts
            .iter()
            .map(|c| ContactLine {
                when: moment(state, c.at),
                kind: casework::kind_label(c.kind),
                minutes: c.minutes,
                place: c
                    .place
                    .as_deref()
                    .map(|k| state.site.place(k).map_or(k.to_owned(), |p| p.name.clone()))
                    .or(c.place_other.clone())
                    .unwrap_or_default(),
                outside: c.in_corridor == Some(false),
                services: c
                    .services
                    .iter()
                    .map(|s| casework::service_label(*s))
                    .collect::<Vec<_>>()
                    .join(", "),
                note: c.note.clone().unwrap_or_default(),
                by: c.logged_by.clone().unwrap_or_default(),
            })
            .collect(),
        snapshots: view
            .snapshots
            .iter()
            .map(|s| snapshot_line(state, s))
            .collect(),
        releases: view
            .releases
            .iter()
            .map(|r| ReleaseLine {
                id: r.id.to_string(),
                revocable: r.release.revoked_at.is_none() && r.release.expires_at > now,
                recipient: r.release.recipient.clone(),
                covers: r
                    .release
                    .covers
                    .iter()
                    .map(|c| c.code())
                    .collect::<Vec<_>>()
                    .join(", "),
                purpose: r.release.purpose.clone(),
                signed: moment(state, r.release.signed_at),
                // In force through the day before the stored end (the start of the next day).
                expires: moment(state, r.release.expires_at - time::Duration::minutes(1)),
                state: if r.release.revoked_at.is_some_and(|at| at <= now) {
                    "revoked"
                } else if r.release.is_active(now) {
                    "active"
                } else if r.release.expires_at <= now {
                    "expired"
                } else {
                    "not yet in force"
                },
            })
            .collect(),
        goals: view
            .plan
            .goals
            .iter()
            .filter(|g| g.goal.status != GoalStatus::SetAside)
            .map(|g| {
                let open_steps = g
                    .steps
                    .iter()
                    .filter(|s| s.step.status == StepStatus::ToDo)
                    .map(|s| match s.step.due_on {
                        Some(due) => format!("{} (by {due})", s.step.words),
                        None => s.step.words.clone(),
                    })
                    .collect();
                (
                    plan::domain_label(g.goal.domain),
                    g.goal.words.clone(),
                    plan::goal_status_label(g.goal.status),
                    open_steps,
                )
            })
            .collect(),
        referrals_out: view
            .plan
            .referrals_out
            .iter()
            .filter(|r| r.status.is_open())
            .map(|r| {
                (
                    r.partner.clone(),
                    r.need.clone(),
                    plan::referral_status_label(r.status),
                )
            })
            .collect(),
        can_edit,
        can_see_legal: view.legal.is_some(),
        can_conference: own_team && allowed(user.session.role, Action::OwgRun).is_some(),
        legal: view
            .legal
            .iter()
            .flatten()
            .map(|m| {
                (
                    format!(
                        "{} {}",
                        m.jurisdiction,
                        m.case_number.as_deref().unwrap_or("(nothing filed yet)")
                    ),
                    super::legal::status_label(m.status),
                    m.next_court_at
                        .map(|t| moment(state, t))
                        .unwrap_or_default(),
                    m.warrant == leadhub_domain::legal::WarrantStatus::Active,
                    m.divertible,
                )
            })
            .collect(),
        forms: RecordForms::default(),
        case_managers,
        notes: view
            .notes
            .iter()
            .map(|n| {
                (
                    moment(state, n.written_at),
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
    })
}

fn answer_words<T>(answer: &Answer<T>, known: impl Fn(&T) -> String) -> String {
    match answer {
        Answer::Known(value) => known(value),
        Answer::Unknown(unknown) => format!("not known ({})", unknown.label().to_lowercase()),
    }
}

fn set_words<T: Copy>(answer: &Answer<BTreeSet<T>>, label: fn(T) -> &'static str) -> String {
    answer_words(answer, |set| {
        if set.is_empty() {
            "none".into()
        } else {
            set.iter().map(|v| label(*v)).collect::<Vec<_>>().join(", ")
        }
    })
}

fn snapshot_line(state: &AppState, s: &SnapshotView) -> SnapshotLine {
    SnapshotLine {
        month: s.month.to_string(),
        living: answer_words(&s.living, |l| l.label().to_owned()),
        housing: match s.living.known().map(|l| l.housing()) {
            Some(Housing::Unsheltered) => "unsheltered",
            Some(Housing::Sheltered) => "sheltered",
            Some(Housing::Temporary) => "temporary",
            Some(Housing::Institution) => "in an institution",
            Some(Housing::Permanent) => "housed",
            Some(Housing::Other) | None => "",
        },
        employment: answer_words(&s.employment, |e| e.label().to_owned()),
        income: set_words(&s.income, IncomeSource::label),
        coverage: set_words(&s.coverage, Coverage::label),
        recorded: format!(
            "{}{}",
            moment(state, s.recorded_at),
            s.recorded_by
                .as_deref()
                .map(|by| format!(" by {by}"))
                .unwrap_or_default()
        ),
    }
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

/// A referral out with no answer after this many days becomes a task: the loop must close.
const REFERRAL_ANSWER_DAYS: i64 = 14;
/// An accepted referral not completed after this many days becomes a task too.
const REFERRAL_SERVICE_DAYS: i64 = 30;

/// The plan's tasks: steps due by today, and referrals out waiting too long for an answer.
fn plan_tasks(state: &AppState, view: &ParticipantView, now: time::OffsetDateTime) -> Vec<String> {
    let today = state.site.calendar.day_of(now);
    let mut tasks = Vec::new();
    for goal in view
        .plan
        .goals
        .iter()
        .filter(|g| g.goal.status == GoalStatus::Working)
    {
        for step in &goal.steps {
            if step.step.status == StepStatus::ToDo
                && let Some(due) = step.step.due_on
                && due <= today
            {
                tasks.push(format!("Step due {due}: {}", step.step.words));
            }
        }
    }
    for r in &view.plan.referrals_out {
        let waited = now - r.changed_at;
        match r.status {
            ReferralOutStatus::Sent if waited >= time::Duration::days(REFERRAL_ANSWER_DAYS) => {
                tasks.push(format!(
                    "No answer from {} to the referral sent {}: follow up.",
                    r.partner,
                    casework::days_ago(state, r.sent_at, now)
                ));
            }
            ReferralOutStatus::Accepted
                if waited >= time::Duration::days(REFERRAL_SERVICE_DAYS) =>
            {
                tasks.push(format!(
                    "{} accepted the referral {}: has the service started?",
                    r.partner,
                    casework::days_ago(state, r.changed_at, now)
                ));
            }
            _ => {}
        }
    }
    tasks
}
