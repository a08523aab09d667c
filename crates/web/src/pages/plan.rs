//! The intervention plan page (goals in the participant's words, their steps, referrals out
//! to partners, and the history of each), and the partner directory.
//!
//! Every change names the version its page showed: a stale one comes back as the plan as it
//! is now, with what was typed still in its form and a conflict notice, never applied over
//! someone else's change. Whether the person is in reach, and which labelled goals the
//! reader may see, is decided in the store.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::FormErrors;
use leadhub_domain::access::{Action, allowed};
use leadhub_domain::ids::{GoalId, ParticipantId, PartnerId, PartnerReferralId, StepId};
use leadhub_domain::plan::{
    AnswerInput, DeclineReason, GOAL_WORDS, GoalDomain, GoalInput, GoalStatus, PartnerInput,
    PartnerKind, ReferralOutInput, ReferralOutStatus, STEP_WORDS, StepInput, StepOwner, StepStatus,
};
use leadhub_store::{Casework, ChangedState, GoalView, PartnerChange, Plan, ReferralOutView};

use super::casework::{participant_id, worker};
use super::chrome::render;
use super::staff::{Frame, moment};
use super::typed::{SavedQuery, Sent, Typed, choices};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

pub fn domain_label(domain: GoalDomain) -> &'static str {
    match domain {
        GoalDomain::Housing => "Housing",
        GoalDomain::Health => "Health",
        GoalDomain::SubstanceUse => "Substance use",
        GoalDomain::Legal => "Legal",
        GoalDomain::IncomeBenefits => "Income and benefits",
        GoalDomain::Documents => "Documents and ID",
        GoalDomain::Relationships => "Relationships and family",
        GoalDomain::Safety => "Safety",
    }
}

pub fn goal_status_label(status: GoalStatus) -> &'static str {
    match status {
        GoalStatus::Working => "Working on it",
        GoalStatus::Reached => "Reached",
        GoalStatus::SetAside => "Set aside for now",
    }
}

fn owner_label(owner: StepOwner) -> &'static str {
    match owner {
        StepOwner::Participant => "They do it",
        StepOwner::CaseManager => "Case manager",
        StepOwner::Together => "Together",
        StepOwner::Partner => "A partner organisation",
        StepOwner::Someone => "Someone else",
    }
}

fn step_status_label(status: StepStatus) -> &'static str {
    match status {
        StepStatus::ToDo => "To do",
        StepStatus::Done => "Done",
        StepStatus::Dropped => "Dropped",
    }
}

pub fn partner_kind_label(kind: PartnerKind) -> &'static str {
    match kind {
        PartnerKind::Housing => "Housing",
        PartnerKind::Treatment => "Treatment",
        PartnerKind::Health => "Health care",
        PartnerKind::Benefits => "Benefits",
        PartnerKind::IdDocuments => "ID documents",
        PartnerKind::LegalAid => "Legal aid",
        PartnerKind::Employment => "Employment",
        PartnerKind::Food => "Food",
        PartnerKind::Other => "Other",
    }
}

pub fn referral_status_label(status: ReferralOutStatus) -> &'static str {
    match status {
        ReferralOutStatus::Sent => "Sent, waiting for an answer",
        ReferralOutStatus::Accepted => "Accepted",
        ReferralOutStatus::Declined => "Declined",
        ReferralOutStatus::Completed => "Completed",
    }
}

fn reason_label(reason: DeclineReason) -> &'static str {
    match reason {
        DeclineReason::NoCapacity => "No room or waiting list",
        DeclineReason::NotEligible => "Not eligible",
        DeclineReason::PersonChoseNot => "The person chose not to go ahead",
        DeclineReason::NoResponse => "No answer from the partner",
        DeclineReason::Other => "Other (say what)",
    }
}

struct StepRow {
    key: String,
    id: StepId,
    version: i64,
    words: String,
    owner: &'static str,
    owner_label: &'static str,
    due: String,
    status: &'static str,
    status_label: &'static str,
}

struct GoalRow {
    key: String,
    step_key: String,
    id: GoalId,
    version: i64,
    domain: &'static str,
    domain_label: &'static str,
    words: String,
    status: &'static str,
    status_label: &'static str,
    changed: String,
    steps: Vec<StepRow>,
    history: Vec<String>,
}

struct ReferralRow {
    key: String,
    id: PartnerReferralId,
    version: i64,
    partner: String,
    kind: &'static str,
    phone: String,
    need: String,
    goal: String,
    status_label: &'static str,
    reason: &'static str,
    sent: String,
    next: Vec<(&'static str, &'static str)>,
    history: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/plan.html")]
struct PlanPage {
    frame: Frame,
    csrf: String,
    id: ParticipantId,
    goals: Vec<GoalRow>,
    referrals: Vec<ReferralRow>,
    withheld: usize,
    domains: Vec<(&'static str, &'static str)>,
    goal_statuses: Vec<(&'static str, &'static str)>,
    owners: Vec<(&'static str, &'static str)>,
    step_statuses: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    partners: Vec<(String, String)>,
    goal_max: usize,
    step_max: usize,
    typed: Typed,
}

fn goal_row(state: &AppState, goal: &GoalView) -> GoalRow {
    let steps = goal
        .steps
        .iter()
        .map(|s| StepRow {
            key: format!("step-{}", s.id),
            id: s.id,
            version: s.version,
            words: s.step.words.clone(),
            owner: s.step.owner.code(),
            owner_label: owner_label(s.step.owner),
            due: s.step.due_on.map(|d| d.to_string()).unwrap_or_default(),
            status: s.step.status.code(),
            status_label: step_status_label(s.step.status),
        })
        .collect();
    let history = goal
        .history
        .iter()
        .map(|h| {
            let by = h
                .changed_by
                .as_deref()
                .unwrap_or("someone no longer on staff");
            let what = match h.state {
                ChangedState::Goal(status) => format!(
                    "goal v{}: {}{} ({})",
                    h.version,
                    h.domain
                        .map(|d| format!("{}: ", domain_label(d)))
                        .unwrap_or_default(),
                    h.words,
                    goal_status_label(status)
                ),
                ChangedState::Step(status, owner) => format!(
                    "step v{}: {} ({}{}, {})",
                    h.version,
                    h.words,
                    owner_label(owner),
                    h.due_on.map(|d| format!(", by {d}")).unwrap_or_default(),
                    step_status_label(status)
                ),
            };
            format!("{} · {by} · {what}", moment(state, h.changed_at))
        })
        .collect();
    GoalRow {
        key: format!("goal-{}", goal.id),
        step_key: format!("step-new-{}", goal.id),
        id: goal.id,
        version: goal.version,
        domain: goal.goal.domain.code(),
        domain_label: domain_label(goal.goal.domain),
        words: goal.goal.words.clone(),
        status: goal.goal.status.code(),
        status_label: goal_status_label(goal.goal.status),
        changed: moment(state, goal.changed_at),
        steps,
        history,
    }
}

fn referral_row(state: &AppState, plan: &Plan, r: &ReferralOutView) -> ReferralRow {
    let goal = r
        .goal
        .and_then(|g| plan.goals.iter().find(|goal| goal.id == g))
        .map(|g| g.goal.words.clone())
        .unwrap_or_default();
    let history = r
        .history
        .iter()
        .map(|h| {
            let mut line = format!(
                "{} · {} · {}",
                moment(state, h.changed_at),
                h.changed_by
                    .as_deref()
                    .unwrap_or("someone no longer on staff"),
                referral_status_label(h.status)
            );
            if let Some(reason) = h.reason {
                line.push_str(&format!(": {}", reason_label(reason)));
            }
            if let Some(words) = &h.words {
                line.push_str(&format!(" ({words})"));
            }
            line
        })
        .collect();
    ReferralRow {
        key: format!("answer-{}", r.id),
        id: r.id,
        version: r.version,
        partner: r.partner.clone(),
        kind: partner_kind_label(r.partner_kind),
        phone: r.partner_phone.clone().unwrap_or_default(),
        need: r.need.clone(),
        goal,
        status_label: referral_status_label(r.status),
        reason: r.reason.map(reason_label).unwrap_or_default(),
        sent: moment(state, r.sent_at),
        next: r
            .status
            .next()
            .iter()
            .map(|s| (s.code(), referral_status_label(*s)))
            .collect(),
        history,
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let id = participant_id(&id)?;
    let notice = match query.saved.as_str() {
        "goal" => "Goal saved.",
        "step" => "Step saved.",
        "referral" => "Referral sent: record the partner's answer here when it comes.",
        "answer" => "Referral updated.",
        _ => "",
    };
    plan_response(
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

/// The plan page as it is now, with a form's typing and errors (or a conflict) when one
/// comes back.
async fn plan_response(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    typed: Typed,
    status: StatusCode,
    notice: &str,
    error: &str,
) -> Result<Response, AppError> {
    let (name, plan) = match state.db.plan(&worker(user), id).await? {
        Casework::Done(plan) => plan,
        Casework::NotFound => return Err(AppError::NotFound),
        _ => return super::casework::refused_page(state, user),
    };
    let partners = state
        .db
        .partners(true)
        .await?
        .into_iter()
        .map(|p| {
            let label = format!(
                "{} ({})",
                p.partner.name,
                partner_kind_label(p.partner.kind)
            );
            (p.id.to_string(), label)
        })
        .collect();
    let mut frame = Frame::staff(state, user, &format!("Plan: {name}"), "/staff/participants");
    frame.notice = notice.to_owned();
    frame.error = typed.page_error(error);
    let page = PlanPage {
        frame,
        csrf: user.csrf.clone(),
        id,
        goals: plan.goals.iter().map(|g| goal_row(state, g)).collect(),
        referrals: plan
            .referrals_out
            .iter()
            .map(|r| referral_row(state, &plan, r))
            .collect(),
        withheld: plan.withheld,
        domains: choices(GoalDomain::ALL, GoalDomain::code, domain_label),
        goal_statuses: choices(GoalStatus::ALL, GoalStatus::code, goal_status_label),
        owners: choices(StepOwner::ALL, StepOwner::code, owner_label),
        step_statuses: choices(StepStatus::ALL, StepStatus::code, step_status_label),
        reasons: choices(DeclineReason::ALL, DeclineReason::code, reason_label),
        partners,
        goal_max: GOAL_WORDS,
        step_max: STEP_WORDS,
        typed,
    };
    Ok((status, render(&page)?).into_response())
}

fn saved(id: ParticipantId, what: &str) -> Response {
    Redirect::to(&format!("/staff/participants/{id}/plan?saved={what}")).into_response()
}

impl Sent {
    fn version(&self) -> i64 {
        version(&self.fields)
    }

    /// The id in `field` with the parsed input; an id that is not one is an old or altered
    /// page, answered like a stale one.
    fn record<I: std::str::FromStr, T>(
        &self,
        field: &str,
        parsed: Result<T, FormErrors>,
    ) -> Result<(I, T), Refused> {
        match (self.fields.get(field).trim().parse::<I>(), parsed) {
            (Ok(record), Ok(input)) => Ok((record, input)),
            (Err(_), _) => Err(Refused::UnknownRecord),
            (Ok(_), Err(errors)) => Err(Refused::Errors(errors)),
        }
    }
}

/// The version the page showed; a missing or mangled one is no version, so stale.
fn version(fields: &FormFields) -> i64 {
    fields.get("version").trim().parse().unwrap_or(0)
}

/// Why a plan form was not taken.
enum Refused {
    Errors(FormErrors),
    UnknownRecord,
}

impl From<FormErrors> for Refused {
    fn from(errors: FormErrors) -> Self {
        Refused::Errors(errors)
    }
}

const CONFLICT: &str = "Someone changed this since you opened the page, so yours was not saved. Here is the plan as it is now; what you typed is still in its form.";

/// The page again with the form's typing: its errors (422), or the conflict (409).
async fn refused(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    refused: Refused,
    sent: Sent,
) -> Result<Response, AppError> {
    match refused {
        Refused::Errors(errors) => {
            let typed = Typed::new(sent.key, sent.fields, &errors);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            plan_response(state, user, id, typed, status, "", "").await
        }
        Refused::UnknownRecord => answer(state, user, id, Casework::<()>::Stale, "", sent).await,
    }
}

/// How a plan write is answered: saved (back to the plan with `what` saved), a conflict,
/// not found, or out of reach.
async fn answer<T>(
    state: &AppState,
    user: &StaffUser,
    id: ParticipantId,
    outcome: Casework<T>,
    what: &str,
    sent: Sent,
) -> Result<Response, AppError> {
    match outcome {
        Casework::Done(_) => Ok(saved(id, what)),
        Casework::Stale => {
            let typed = Typed::new(sent.key, sent.fields, &FormErrors::default());
            plan_response(state, user, id, typed, StatusCode::CONFLICT, "", CONFLICT).await
        }
        Casework::NotFound => Err(AppError::NotFound),
        Casework::OutOfReach | Casework::BeforeStart | Casework::NotAssignable => {
            super::casework::refused_page(state, user)
        }
    }
}

fn goal_input(fields: &FormFields) -> GoalInput {
    GoalInput {
        domain: fields.get("domain"),
        words: fields.get("words"),
        status: fields.get("status"),
    }
}

fn step_input(fields: &FormFields) -> StepInput {
    StepInput {
        words: fields.get("words"),
        owner: fields.get("owner"),
        due_on: fields.get("due_on"),
        status: fields.get("status"),
    }
}

pub async fn add_goal(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (
        participant_id(&id)?,
        Sent::new(&body, |_| "goal-new".into()),
    );
    // A new goal is being worked on: the form has no status.
    let input = GoalInput {
        status: String::new(),
        ..goal_input(&sent.fields)
    };
    let goal = match input.parse() {
        Ok(goal) => goal,
        Err(errors) => return refused(&state, &user, id, errors.into(), sent).await,
    };
    let outcome = state.db.add_goal(&worker(&user), id, &goal).await?;
    answer(&state, &user, id, outcome, "goal", sent).await
}

pub async fn change_goal(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (participant_id(&id)?, Sent::naming(&body, "goal-", "goal"));
    let (goal_id, goal) = match sent.record::<GoalId, _>("goal", goal_input(&sent.fields).parse()) {
        Ok(taken) => taken,
        Err(why) => return refused(&state, &user, id, why, sent).await,
    };
    let outcome = state
        .db
        .change_goal(&worker(&user), id, goal_id, sent.version(), &goal)
        .await?;
    answer(&state, &user, id, outcome, "goal", sent).await
}

pub async fn add_step(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (
        participant_id(&id)?,
        Sent::naming(&body, "step-new-", "goal"),
    );
    let (goal_id, step) = match sent.record::<GoalId, _>("goal", step_input(&sent.fields).parse()) {
        Ok(taken) => taken,
        Err(why) => return refused(&state, &user, id, why, sent).await,
    };
    let outcome = state
        .db
        .add_step(&worker(&user), id, goal_id, &step)
        .await?;
    answer(&state, &user, id, outcome, "step", sent).await
}

pub async fn change_step(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (participant_id(&id)?, Sent::naming(&body, "step-", "step"));
    let (step_id, step) = match sent.record::<StepId, _>("step", step_input(&sent.fields).parse()) {
        Ok(taken) => taken,
        Err(why) => return refused(&state, &user, id, why, sent).await,
    };
    let outcome = state
        .db
        .change_step(&worker(&user), id, step_id, sent.version(), &step)
        .await?;
    answer(&state, &user, id, outcome, "step", sent).await
}

pub async fn send_referral(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (
        participant_id(&id)?,
        Sent::new(&body, |_| "referral-new".into()),
    );
    let input = ReferralOutInput {
        partner: sent.fields.get("partner"),
        goal: sent.fields.get("goal"),
        need: sent.fields.get("need"),
    };
    let referral = match input.parse() {
        Ok(referral) => referral,
        Err(errors) => return refused(&state, &user, id, errors.into(), sent).await,
    };
    let outcome = state
        .db
        .send_referral_out(&worker(&user), id, &referral)
        .await?;
    answer(&state, &user, id, outcome, "referral", sent).await
}

pub async fn answer_referral(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, sent) = (
        participant_id(&id)?,
        Sent::naming(&body, "answer-", "referral"),
    );
    let input = AnswerInput {
        status: sent.fields.get("status"),
        reason: sent.fields.get("reason"),
        words: sent.fields.get("words"),
    };
    let (referral, reply) = match sent.record::<PartnerReferralId, _>("referral", input.parse()) {
        Ok(taken) => taken,
        Err(why) => return refused(&state, &user, id, why, sent).await,
    };
    let outcome = state
        .db
        .answer_referral_out(&worker(&user), id, referral, sent.version(), &reply)
        .await?;
    answer(&state, &user, id, outcome, "answer", sent).await
}

// ---------------------------------------------------------------------------------------
// The partner directory

struct PartnerRow {
    key: String,
    id: PartnerId,
    version: i64,
    name: String,
    kind: &'static str,
    kind_label: &'static str,
    phone: String,
    address: String,
    how_to_refer: String,
    active: bool,
    open_referrals: i64,
}

#[derive(Template)]
#[template(path = "staff/partners.html")]
struct PartnersPage {
    frame: Frame,
    csrf: String,
    can_manage: bool,
    partners: Vec<PartnerRow>,
    kinds: Vec<(&'static str, &'static str)>,
    typed: Typed,
}

pub async fn partners(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let notice = match query.saved.as_str() {
        "added" => "Partner added.",
        "changed" => "Partner changed.",
        _ => "",
    };
    partners_response(&state, &user, Typed::default(), StatusCode::OK, notice, "").await
}

async fn partners_response(
    state: &AppState,
    user: &StaffUser,
    typed: Typed,
    status: StatusCode,
    notice: &str,
    error: &str,
) -> Result<Response, AppError> {
    let can_manage = allowed(user.session.role, Action::SettingsManage).is_some();
    let partners = state
        .db
        .partners(!can_manage)
        .await?
        .into_iter()
        .map(|p| PartnerRow {
            key: format!("partner-{}", p.id),
            id: p.id,
            version: p.version,
            name: p.partner.name,
            kind: p.partner.kind.code(),
            kind_label: partner_kind_label(p.partner.kind),
            phone: p.partner.phone.map(|p| p.to_string()).unwrap_or_default(),
            address: p.partner.address.unwrap_or_default(),
            how_to_refer: p.partner.how_to_refer.unwrap_or_default(),
            active: p.active,
            open_referrals: p.open_referrals,
        })
        .collect();
    let mut frame = Frame::staff(state, user, "Partner organisations", "/staff/partners");
    frame.notice = notice.to_owned();
    frame.error = typed.page_error(error);
    let page = PartnersPage {
        frame,
        csrf: user.csrf.clone(),
        can_manage,
        partners,
        kinds: choices(PartnerKind::ALL, PartnerKind::code, partner_kind_label),
        typed,
    };
    Ok((status, render(&page)?).into_response())
}

fn partner_input(fields: &FormFields) -> PartnerInput {
    PartnerInput {
        name: fields.get("name"),
        kind: fields.get("kind"),
        phone: fields.get("phone"),
        address: fields.get("address"),
        how_to_refer: fields.get("how_to_refer"),
    }
}

const NAME_TAKEN: &str = "Another partner already has that name.";

pub async fn add_partner(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let form = "partner-new".to_owned();
    let partner = match partner_input(&fields).parse() {
        Ok(partner) => partner,
        Err(errors) => {
            let typed = Typed::new(form, fields, &errors);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return partners_response(&state, &user, typed, status, "", "").await;
        }
    };
    match state.db.add_partner(&worker(&user), &partner).await? {
        Some(_) => Ok(Redirect::to("/staff/partners?saved=added").into_response()),
        None => {
            let typed = Typed::new(form, fields, &FormErrors::default());
            let status = StatusCode::CONFLICT;
            partners_response(&state, &user, typed, status, "", NAME_TAKEN).await
        }
    }
}

pub async fn change_partner(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let raw = fields.get("partner");
    let form = format!("partner-{}", raw.trim());
    let Ok(partner_id) = raw.trim().parse::<PartnerId>() else {
        return Err(AppError::NotFound);
    };
    let partner = match partner_input(&fields).parse() {
        Ok(partner) => partner,
        Err(errors) => {
            let typed = Typed::new(form, fields, &errors);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return partners_response(&state, &user, typed, status, "", "").await;
        }
    };
    let active = fields.get("active") == "yes";
    let outcome = state
        .db
        .change_partner(
            &worker(&user),
            partner_id,
            version(&fields),
            &partner,
            active,
        )
        .await?;
    let (status, error) = match outcome {
        PartnerChange::Done => {
            return Ok(Redirect::to("/staff/partners?saved=changed").into_response());
        }
        PartnerChange::NotFound => return Err(AppError::NotFound),
        PartnerChange::NameTaken => (StatusCode::CONFLICT, NAME_TAKEN),
        PartnerChange::Stale => (
            StatusCode::CONFLICT,
            "Someone changed this partner since you opened the page, so yours was not saved. Here is the directory as it is now; what you typed is still in its form.",
        ),
    };
    let typed = Typed::new(form, fields, &FormErrors::default());
    partners_response(&state, &user, typed, status, "", error).await
}
