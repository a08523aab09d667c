//! The Policy Coordinating Group's policy (`/staff/policy`): the divertible charges and the
//! eligibility rules in force, every earlier version with who approved it and when, and for
//! those who may record one, the form for the next version (which applies from then on to
//! legal matters and arrest-diversion referrals; what was recorded before keeps the version
//! it was judged under).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::access::{Action, allowed};
use leadhub_domain::policy::{PolicyInput, charges_text};
use leadhub_store::{PolicyRecorded, PolicyVersion};

use super::chrome::render;
use super::staff::{Frame, moment};
use super::typed::{SavedQuery, Typed};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

struct VersionRow {
    version: i64,
    approved: String,
    recorded: String,
    eligibility: String,
    charges: Vec<(String, String)>,
    added: Vec<String>,
    removed: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/policy.html")]
struct PolicyPage {
    frame: Frame,
    csrf: String,
    manages: bool,
    current: VersionRow,
    earlier: Vec<VersionRow>,
    shown: i64,
    charges: String,
    eligibility: String,
    approved_by: String,
    approved_on: String,
    today: String,
    typed: Typed,
}

fn row(state: &AppState, version: &PolicyVersion, before: Option<&PolicyVersion>) -> VersionRow {
    let keys =
        |v: &PolicyVersion| -> Vec<String> { v.charges.iter().map(|c| c.key.clone()).collect() };
    let (added, removed) = match before {
        Some(before) => {
            let (now, then) = (keys(version), keys(before));
            let label = |v: &PolicyVersion, k: &String| {
                v.charges
                    .iter()
                    .find(|c| &c.key == k)
                    .map_or_else(|| k.clone(), |c| c.label.clone())
            };
            (
                now.iter()
                    .filter(|k| !then.contains(k))
                    .map(|k| label(version, k))
                    .collect(),
                then.iter()
                    .filter(|k| !now.contains(k))
                    .map(|k| label(before, k))
                    .collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    VersionRow {
        version: version.version,
        approved: match (&version.approved_by, version.approved_on) {
            (Some(by), Some(on)) => format!("Approved by {by} on {on}"),
            _ => "The site profile's list, from before the policy was recorded here".to_owned(),
        },
        recorded: match (&version.recorded_by, version.recorded_at) {
            (Some(by), Some(at)) => format!("recorded by {by}, {}", moment(state, at)),
            (None, Some(at)) => format!("recorded {}", moment(state, at)),
            _ => String::new(),
        },
        eligibility: version.eligibility.clone().unwrap_or_default(),
        charges: version
            .charges
            .iter()
            .map(|c| (c.key.clone(), c.label.clone()))
            .collect(),
        added,
        removed,
    }
}

async fn policy_page(
    state: &AppState,
    user: &StaffUser,
    typed: Typed,
    notice: &str,
) -> Result<PolicyPage, AppError> {
    let history = state
        .db
        .policy_history(&state.site.divertible_charges)
        .await?;
    let mut frame = Frame::staff(state, user, "Diversion policy", "/staff/policy");
    frame.notice = notice.to_owned();
    if !typed.errors.is_empty() {
        frame.error = "Not recorded yet: see below.".into();
    }
    // `policy_history` always ends with version 0, so the first is the one in force.
    let profile = PolicyVersion::from_profile(&state.site.divertible_charges);
    let current = history.first().unwrap_or(&profile);
    let mut rows = history
        .iter()
        .enumerate()
        .map(|(i, v)| row(state, v, history.get(i + 1)));
    let current_row = rows.next().unwrap_or_else(|| row(state, current, None));
    Ok(PolicyPage {
        frame,
        csrf: user.csrf.clone(),
        manages: allowed(user.session.role, Action::PolicyManage).is_some(),
        current: current_row,
        earlier: rows.collect(),
        shown: current.version,
        charges: typed.value("policy", "charges", &charges_text(&current.charges)),
        eligibility: typed.value(
            "policy",
            "eligibility",
            current.eligibility.as_deref().unwrap_or_default(),
        ),
        approved_by: typed.value("policy", "approved_by", ""),
        approved_on: typed.value("policy", "approved_on", ""),
        today: state.site.calendar.day_of(leadhub_store::now()).to_string(),
        typed,
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let notice = match query.saved.as_str() {
        "recorded" => "New version recorded: it applies from now on.",
        _ => "",
    };
    let page = policy_page(&state, &user, Typed::default(), notice).await?;
    Ok(render(&page)?.into_response())
}

pub async fn record(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let input = PolicyInput {
        charges: fields.get("charges"),
        eligibility: fields.get("eligibility"),
        approved_by: fields.get("approved_by"),
        approved_on: fields.get("approved_on"),
    };
    let shown: i64 = fields
        .get("shown")
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    let now = leadhub_store::now();
    let policy = match input.parse(state.site.calendar.day_of(now)) {
        Ok(policy) => policy,
        Err(errors) => {
            let typed = Typed::new("policy".into(), fields, &errors);
            let page = policy_page(&state, &user, typed, "").await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    match state
        .db
        .record_policy(&user.session.actor(), &policy, shown, &user.address, now)
        .await?
    {
        PolicyRecorded::Recorded(_) => {
            Ok(Redirect::to("/staff/policy?saved=recorded").into_response())
        }
        PolicyRecorded::Stale(_) => {
            let typed = Typed::new(
                "policy".into(),
                fields,
                &leadhub_domain::FormErrors::default(),
            );
            let mut page = policy_page(&state, &user, typed, "").await?;
            page.frame.error = "Someone recorded a version since you opened the page, so yours was not recorded. The version in force is shown; what you typed is still in the form.".into();
            Ok((StatusCode::CONFLICT, render(&page)?).into_response())
        }
    }
}
