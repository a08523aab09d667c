//! Staff pages under `/staff`, and the one table that declares them.
//!
//! `ROUTES` names every staff route with what it needs; `routes()` builds the router from it
//! with `auth::guard` on each entry, and the authorization test walks the same list. A staff
//! handler therefore cannot exist without a rule. Staff pages are in English for now (DESIGN:
//! staff pages English first).

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use leadhub_domain::Email;
use leadhub_domain::access::{Action, Role, Scope, allowed};
use leadhub_domain::ids::{SessionId, UserId};
use leadhub_domain::text::{self, limits};
use leadhub_store::{Account, AuditFilter, AuditRow, Invitation, NewAccount, RoleChange, SignIn};
use serde::Deserialize;
use time::OffsetDateTime;

use super::chrome::{Link, render};
use super::login::MessagePage;
use super::{
    bookings, casework, community, dashboard, inquiries, inside, legal, outcomes, owg,
    participants, people, plan, policy, referrals,
};
use crate::auth::{self, Guard, Need, StaffUser, safe_next};
use crate::forms::FormFields;
use crate::{AppError, AppState};

/// A re-entered password counts for sensitive actions for this long.
const REAUTH_VALID: time::Duration = time::Duration::minutes(5);

const CONFIRM_NOTICE: &str = "Changes to accounts ask for your password (and app code) first; it then counts for five minutes.";

/// Which kind of record a route's `{id}` names, so the authorization test can try one's own
/// record and someone else's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    None,
    /// A staff account (`/staff/admin/users/{id}`).
    User,
    /// A sign-in session (`/staff/sessions/{id}/end`).
    Session,
    /// A participant (`/staff/participants/{id}`): "own" is one in the asker's reach (their
    /// caseload, or covered by a release to their organisation).
    Participant,
    /// A referral (`/staff/referrals/{id}`): the queue is the whole site's, so "own" and
    /// "other" are both simply referrals that exist.
    Referral,
    /// An inquiry from the contact form (`/staff/inquiries/{id}`), likewise the site's.
    Inquiry,
    /// An Operational Workgroup meeting (`/staff/owg/{id}`): the site's; what each attendee
    /// sees of its agenda is narrowed item by item.
    Meeting,
}

/// One staff route: method, path template, what it needs, what its `{id}` names.
#[derive(Debug, Clone, Copy)]
pub struct StaffRoute {
    pub method: &'static str,
    pub path: &'static str,
    pub need: Need,
    pub record: Record,
}

const fn route(method: &'static str, path: &'static str, need: Need, record: Record) -> StaffRoute {
    StaffRoute {
        method,
        path,
        need,
        record,
    }
}

const USERS: Need = Need::Action(Action::UsersManage);
const PARTICIPANTS: Need = Need::Action(Action::ParticipantView);
const EDIT: Need = Need::Action(Action::ParticipantEdit);
const CONSENT: Need = Need::Action(Action::ConsentManage);
const BREAK_GLASS: Need = Need::Action(Action::BreakGlass);
const BREAK_GLASS_REVIEW: Need = Need::Action(Action::BreakGlassReview);
const REFERRALS: Need = Need::Action(Action::ReferralView);
const SUBMIT: Need = Need::Action(Action::ReferralSubmit);
const TRIAGE: Need = Need::Action(Action::ReferralTriage);
const ASSIGN: Need = Need::Action(Action::WorkAssign);
const SETTINGS: Need = Need::Action(Action::SettingsManage);
const EXTRACT: Need = Need::Action(Action::DeidentifiedExtract);
const MERGE: Need = Need::Action(Action::PeopleMerge);
const LEGAL: Need = Need::Action(Action::LegalCoordinate);
const BOOKINGS: Need = Need::Action(Action::BookingsImport);
const BOOKINGS_REVIEW: Need = Need::Action(Action::BookingsReview);
const OWG_ATTEND: Need = Need::Action(Action::OwgAttend);
const OWG_RUN: Need = Need::Action(Action::OwgRun);
const POLICY: Need = Need::Action(Action::PolicyManage);
const AGGREGATES: Need = Need::Action(Action::AggregatesView);
const FEEDBACK: Need = Need::Action(Action::FeedbackReview);
const FIND: Need = Need::Action(Action::PeopleFind);

/// Every staff route. Adding one here without a handler (or a handler without a line here)
/// fails `routes()` at start-up and the authorization test.
pub const ROUTES: &[StaffRoute] = &[
    route("GET", "/staff", Need::SignedIn, Record::None),
    route("GET", "/staff/sessions", Need::SignedIn, Record::None),
    route(
        "POST",
        "/staff/sessions/{id}/end",
        Need::SignedIn,
        Record::Session,
    ),
    route("POST", "/staff/sign-out", Need::SignedIn, Record::None),
    route("GET", "/staff/reauth", Need::SignedIn, Record::None),
    route("POST", "/staff/reauth", Need::SignedIn, Record::None),
    route("GET", "/staff/admin/users", USERS, Record::None),
    route("POST", "/staff/admin/users", USERS, Record::None),
    route("GET", "/staff/admin/users/{id}", USERS, Record::User),
    route("POST", "/staff/admin/users/{id}/role", USERS, Record::User),
    route(
        "POST",
        "/staff/admin/users/{id}/disable",
        USERS,
        Record::User,
    ),
    route(
        "POST",
        "/staff/admin/users/{id}/enable",
        USERS,
        Record::User,
    ),
    route("POST", "/staff/admin/users/{id}/reset", USERS, Record::User),
    route(
        "GET",
        "/staff/admin/audit",
        Need::Action(Action::AuditView),
        Record::None,
    ),
    route(
        "GET",
        "/staff/admin/outbox",
        Need::Action(Action::OutboxView),
        Record::None,
    ),
    route("GET", "/staff/participants", PARTICIPANTS, Record::None),
    route("POST", "/staff/participants/seen", EDIT, Record::None),
    route(
        "GET",
        "/staff/participants/{id}",
        PARTICIPANTS,
        Record::Participant,
    ),
    route(
        "GET",
        "/staff/participants/{id}/contact",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/contact",
        EDIT,
        Record::Participant,
    ),
    route(
        "GET",
        "/staff/participants/{id}/status",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/status",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/case-manager",
        ASSIGN,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/notes",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/releases",
        CONSENT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/releases/revoke",
        CONSENT,
        Record::Participant,
    ),
    route(
        "GET",
        "/staff/participants/{id}/break-glass",
        BREAK_GLASS,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/break-glass",
        BREAK_GLASS,
        Record::Participant,
    ),
    route(
        "GET",
        "/staff/participants/{id}/consent-form",
        CONSENT,
        Record::Participant,
    ),
    route(
        "GET",
        "/staff/participants/{id}/plan",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/goals",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/goals/change",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/steps",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/steps/change",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/referrals-out",
        EDIT,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/referrals-out/answer",
        EDIT,
        Record::Participant,
    ),
    route("GET", "/staff/legal/lookup", LEGAL, Record::None),
    route("POST", "/staff/legal/lookup", LEGAL, Record::None),
    route("GET", "/staff/legal/court-dates.ics", LEGAL, Record::None),
    route("GET", "/staff/bookings", BOOKINGS, Record::None),
    route("POST", "/staff/bookings", BOOKINGS, Record::None),
    route(
        "GET",
        "/staff/bookings/review",
        BOOKINGS_REVIEW,
        Record::None,
    ),
    route(
        "POST",
        "/staff/bookings/review",
        BOOKINGS_REVIEW,
        Record::None,
    ),
    route("GET", "/staff/policy", Need::SignedIn, Record::None),
    route("POST", "/staff/policy", POLICY, Record::None),
    route("GET", "/staff/owg", OWG_ATTEND, Record::None),
    route("POST", "/staff/owg", OWG_RUN, Record::None),
    route("GET", "/staff/owg/{id}", OWG_ATTEND, Record::Meeting),
    route("POST", "/staff/owg/{id}/rebuild", OWG_RUN, Record::Meeting),
    route("POST", "/staff/owg/{id}/items", OWG_RUN, Record::Meeting),
    route("POST", "/staff/owg/{id}/actions", OWG_RUN, Record::Meeting),
    route(
        "POST",
        "/staff/owg/{id}/actions/done",
        OWG_RUN,
        Record::Meeting,
    ),
    route(
        "POST",
        "/staff/participants/{id}/owg",
        OWG_RUN,
        Record::Participant,
    ),
    route(
        "GET",
        "/staff/participants/{id}/legal",
        LEGAL,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/legal",
        LEGAL,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/legal/change",
        LEGAL,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/legal/requests",
        LEGAL,
        Record::Participant,
    ),
    route(
        "POST",
        "/staff/participants/{id}/legal/requests/answer",
        LEGAL,
        Record::Participant,
    ),
    route("GET", "/staff/partners", EDIT, Record::None),
    route("POST", "/staff/partners", SETTINGS, Record::None),
    route("GET", "/staff/results", AGGREGATES, Record::None),
    route(
        "POST",
        "/staff/results/publish",
        Need::Action(Action::ResultsPublish),
        Record::None,
    ),
    route("GET", "/staff/community", AGGREGATES, Record::None),
    route("GET", "/staff/feedback", FEEDBACK, Record::None),
    route("POST", "/staff/feedback", FEEDBACK, Record::None),
    route("GET", "/staff/outcomes", EXTRACT, Record::None),
    route("GET", "/staff/outcomes/panel.csv", EXTRACT, Record::None),
    route(
        "GET",
        "/staff/outcomes/dictionary.csv",
        EXTRACT,
        Record::None,
    ),
    route("POST", "/staff/partners/change", SETTINGS, Record::None),
    route(
        "GET",
        "/staff/break-glass",
        BREAK_GLASS_REVIEW,
        Record::None,
    ),
    route(
        "POST",
        "/staff/break-glass/reviewed",
        BREAK_GLASS_REVIEW,
        Record::None,
    ),
    route("GET", "/staff/referrals", REFERRALS, Record::None),
    route("GET", "/staff/referrals/new", SUBMIT, Record::None),
    route("POST", "/staff/referrals/new", SUBMIT, Record::None),
    route("GET", "/staff/referrals/{id}", REFERRALS, Record::Referral),
    route(
        "POST",
        "/staff/referrals/{id}/claim",
        TRIAGE,
        Record::Referral,
    ),
    route(
        "POST",
        "/staff/referrals/{id}/assign",
        ASSIGN,
        Record::Referral,
    ),
    route(
        "POST",
        "/staff/referrals/{id}/acknowledge",
        TRIAGE,
        Record::Referral,
    ),
    route(
        "POST",
        "/staff/referrals/{id}/screen",
        TRIAGE,
        Record::Referral,
    ),
    route(
        "POST",
        "/staff/referrals/{id}/outreach",
        TRIAGE,
        Record::Referral,
    ),
    route(
        "POST",
        "/staff/referrals/{id}/move",
        TRIAGE,
        Record::Referral,
    ),
    route(
        "GET",
        "/staff/referrals/{id}/enrol",
        TRIAGE,
        Record::Referral,
    ),
    route(
        "POST",
        "/staff/referrals/{id}/enrol",
        TRIAGE,
        Record::Referral,
    ),
    route(
        "POST",
        "/staff/referrals/{id}/link",
        TRIAGE,
        Record::Referral,
    ),
    route(
        "GET",
        "/staff/referrals/{id}/matches",
        TRIAGE,
        Record::Referral,
    ),
    route("GET", "/staff/people/find", FIND, Record::None),
    route("POST", "/staff/people/find", FIND, Record::None),
    route("GET", "/staff/people/duplicates", MERGE, Record::None),
    route("POST", "/staff/people/merge", MERGE, Record::None),
    route("POST", "/staff/people/different", MERGE, Record::None),
    route("POST", "/staff/people/unmerge", MERGE, Record::None),
    route("GET", "/staff/inquiries", REFERRALS, Record::None),
    route("GET", "/staff/inquiries/{id}", REFERRALS, Record::Inquiry),
    route(
        "POST",
        "/staff/inquiries/{id}/answer",
        TRIAGE,
        Record::Inquiry,
    ),
    route(
        "POST",
        "/staff/inquiries/{id}/close",
        TRIAGE,
        Record::Inquiry,
    ),
];

fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/staff") => get(home),
        ("GET", "/staff/sessions") => get(sessions),
        ("POST", "/staff/sessions/{id}/end") => post(end_session),
        ("POST", "/staff/sign-out") => post(sign_out),
        ("GET", "/staff/reauth") => get(show_reauth),
        ("POST", "/staff/reauth") => post(submit_reauth),
        ("GET", "/staff/admin/users") => get(users),
        ("POST", "/staff/admin/users") => post(invite),
        ("GET", "/staff/admin/users/{id}") => get(user),
        ("POST", "/staff/admin/users/{id}/role") => post(change_role),
        ("POST", "/staff/admin/users/{id}/disable") => post(disable),
        ("POST", "/staff/admin/users/{id}/enable") => post(enable),
        ("POST", "/staff/admin/users/{id}/reset") => post(reset),
        ("GET", "/staff/admin/audit") => get(audit),
        ("GET", "/staff/admin/outbox") => get(outbox),
        ("GET", "/staff/results") => get(dashboard::results),
        ("GET", "/staff/community") => get(community::show),
        ("GET", "/staff/feedback") => get(community::review_page),
        ("POST", "/staff/feedback") => post(community::review),
        ("POST", "/staff/results/publish") => post(dashboard::publish),
        ("GET", "/staff/outcomes") => get(outcomes::page),
        ("GET", "/staff/outcomes/panel.csv") => get(outcomes::panel_csv),
        ("GET", "/staff/outcomes/dictionary.csv") => get(outcomes::dictionary_csv),
        ("GET", "/staff/participants") => get(casework::caseload),
        ("POST", "/staff/participants/seen") => post(casework::seen),
        ("GET", "/staff/participants/{id}") => get(participants::show),
        ("GET", "/staff/participants/{id}/contact") => get(casework::contact_form),
        ("POST", "/staff/participants/{id}/contact") => post(casework::log_contact),
        ("GET", "/staff/participants/{id}/status") => get(casework::status_form),
        ("POST", "/staff/participants/{id}/status") => post(casework::record_status),
        ("POST", "/staff/participants/{id}/case-manager") => post(casework::change_case_manager),
        ("POST", "/staff/participants/{id}/notes") => post(casework::write_note),
        ("POST", "/staff/participants/{id}/releases") => post(casework::add_release),
        ("POST", "/staff/participants/{id}/releases/revoke") => post(casework::revoke_release),
        ("GET", "/staff/participants/{id}/break-glass") => get(participants::break_glass_form),
        ("POST", "/staff/participants/{id}/break-glass") => post(participants::break_glass),
        ("GET", "/staff/participants/{id}/consent-form") => get(casework::consent_form),
        ("GET", "/staff/participants/{id}/plan") => get(plan::show),
        ("POST", "/staff/participants/{id}/goals") => post(plan::add_goal),
        ("POST", "/staff/participants/{id}/goals/change") => post(plan::change_goal),
        ("POST", "/staff/participants/{id}/steps") => post(plan::add_step),
        ("POST", "/staff/participants/{id}/steps/change") => post(plan::change_step),
        ("POST", "/staff/participants/{id}/referrals-out") => post(plan::send_referral),
        ("POST", "/staff/participants/{id}/referrals-out/answer") => post(plan::answer_referral),
        ("GET", "/staff/legal/lookup") => get(legal::lookup_form),
        ("POST", "/staff/legal/lookup") => post(legal::lookup),
        ("GET", "/staff/legal/court-dates.ics") => get(legal::calendar),
        ("GET", "/staff/bookings") => get(bookings::feed),
        ("POST", "/staff/bookings") => post(bookings::import),
        ("GET", "/staff/bookings/review") => get(bookings::reviews),
        ("POST", "/staff/bookings/review") => post(bookings::decide),
        ("GET", "/staff/policy") => get(policy::show),
        ("POST", "/staff/policy") => post(policy::record),
        ("GET", "/staff/owg") => get(owg::list),
        ("POST", "/staff/owg") => post(owg::plan),
        ("GET", "/staff/owg/{id}") => get(owg::show),
        ("POST", "/staff/owg/{id}/rebuild") => post(owg::rebuild),
        ("POST", "/staff/owg/{id}/items") => post(owg::edit_item),
        ("POST", "/staff/owg/{id}/actions") => post(owg::add_action),
        ("POST", "/staff/owg/{id}/actions/done") => post(owg::complete_action),
        ("POST", "/staff/participants/{id}/owg") => post(owg::put_on_agenda),
        ("GET", "/staff/participants/{id}/legal") => get(legal::show),
        ("POST", "/staff/participants/{id}/legal") => post(legal::add_matter),
        ("POST", "/staff/participants/{id}/legal/change") => post(legal::change_matter),
        ("POST", "/staff/participants/{id}/legal/requests") => post(legal::ask),
        ("POST", "/staff/participants/{id}/legal/requests/answer") => post(legal::answer_request),
        ("GET", "/staff/partners") => get(plan::partners),
        ("POST", "/staff/partners") => post(plan::add_partner),
        ("POST", "/staff/partners/change") => post(plan::change_partner),
        ("GET", "/staff/break-glass") => get(participants::review),
        ("POST", "/staff/break-glass/reviewed") => post(participants::mark_reviewed),
        ("GET", "/staff/referrals") => get(referrals::queue),
        ("GET", "/staff/referrals/new") => get(inside::form),
        ("POST", "/staff/referrals/new") => post(inside::submit),
        ("GET", "/staff/referrals/{id}") => get(referrals::show),
        ("POST", "/staff/referrals/{id}/claim") => post(referrals::claim),
        ("POST", "/staff/referrals/{id}/assign") => post(referrals::assign),
        ("POST", "/staff/referrals/{id}/acknowledge") => post(referrals::acknowledge),
        ("POST", "/staff/referrals/{id}/screen") => post(referrals::screen),
        ("POST", "/staff/referrals/{id}/outreach") => post(referrals::outreach),
        ("POST", "/staff/referrals/{id}/move") => post(referrals::move_to),
        ("GET", "/staff/referrals/{id}/enrol") => get(referrals::enrol_form),
        ("POST", "/staff/referrals/{id}/enrol") => post(referrals::enrol),
        ("POST", "/staff/referrals/{id}/link") => post(referrals::link),
        ("GET", "/staff/referrals/{id}/matches") => get(referrals::matches_fragment),
        ("GET", "/staff/people/find") => get(people::find_form),
        ("POST", "/staff/people/find") => post(people::find),
        ("GET", "/staff/people/duplicates") => get(people::duplicates),
        ("POST", "/staff/people/merge") => post(people::merge),
        ("POST", "/staff/people/different") => post(people::different),
        ("POST", "/staff/people/unmerge") => post(people::unmerge),
        ("GET", "/staff/inquiries") => get(inquiries::queue),
        ("GET", "/staff/inquiries/{id}") => get(inquiries::show),
        ("POST", "/staff/inquiries/{id}/answer") => post(inquiries::answer),
        ("POST", "/staff/inquiries/{id}/close") => post(inquiries::close),
        _ => return None,
    })
}

/// The staff router: every entry of `ROUTES` behind its guard.
pub fn routes(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    for entry in ROUTES {
        let Some(method_router) = handler(entry.method, entry.path) else {
            // A declared route without a handler: refuse everyone rather than start without
            // the rule (the authorization test fails on the 500s this gives).
            tracing::error!(path = entry.path, "staff route without a handler");
            continue;
        };
        let body_limit = crate::upload::body_limit(entry.path);
        let guard = Guard {
            app: state.clone(),
            need: entry.need,
            body_limit,
        };
        let guarded =
            method_router.route_layer(axum::middleware::from_fn_with_state(guard, auth::guard));
        // The router's own limit is for forms; an upload route's extractors take its own.
        router = router.route(
            entry.path,
            guarded.layer(axum::extract::DefaultBodyLimit::max(body_limit)),
        );
    }
    router
}

/// The frame around every staff page (and the sign-in pages, with no user).
#[derive(Debug, Clone)]
pub struct Frame {
    pub title: String,
    pub error: String,
    pub notice: String,
    pub demo: bool,
    pub user: Option<FrameUser>,
    pub nav: Vec<Link>,
}

#[derive(Debug, Clone)]
pub struct FrameUser {
    pub name: String,
    pub role: String,
    pub csrf: String,
}

const NAV: [(&str, &str, Option<Action>); 21] = [
    ("/staff", "Home", None),
    ("/staff/referrals", "Referrals", Some(Action::ReferralView)),
    ("/staff/inquiries", "Inquiries", Some(Action::ReferralView)),
    (
        "/staff/referrals/new",
        "Make a referral",
        Some(Action::ReferralSubmit),
    ),
    (
        "/staff/participants",
        "Caseload",
        Some(Action::ParticipantView),
    ),
    ("/staff/partners", "Partners", Some(Action::ParticipantEdit)),
    (
        "/staff/legal/lookup",
        "Legal lookup",
        Some(Action::LegalCoordinate),
    ),
    ("/staff/owg", "Case conferencing", Some(Action::OwgAttend)),
    ("/staff/policy", "Diversion policy", None),
    (
        "/staff/bookings",
        "Booking feed",
        Some(Action::BookingsImport),
    ),
    (
        "/staff/people/find",
        "Find a person",
        Some(Action::PeopleFind),
    ),
    (
        "/staff/people/duplicates",
        "Possible duplicates",
        Some(Action::PeopleMerge),
    ),
    (
        "/staff/results",
        "Data & Results",
        Some(Action::AggregatesView),
    ),
    (
        "/staff/community",
        "Community view",
        Some(Action::AggregatesView),
    ),
    (
        "/staff/feedback",
        "Community feedback",
        Some(Action::FeedbackReview),
    ),
    (
        "/staff/outcomes",
        "Outcomes",
        Some(Action::DeidentifiedExtract),
    ),
    (
        "/staff/break-glass",
        "Break-the-glass review",
        Some(Action::BreakGlassReview),
    ),
    ("/staff/admin/users", "Accounts", Some(Action::UsersManage)),
    ("/staff/admin/audit", "Audit log", Some(Action::AuditView)),
    ("/staff/admin/outbox", "Outbox", Some(Action::OutboxView)),
    ("/staff/sessions", "My sessions", None),
];

impl Frame {
    /// For pages seen before signing in.
    pub fn public(state: &AppState, title: &str) -> Self {
        Self {
            title: title.to_owned(),
            error: String::new(),
            notice: String::new(),
            demo: state.config.demo,
            user: None,
            nav: Vec::new(),
        }
    }

    /// For a signed-in person: the menu shows only what their role may open.
    pub fn staff(state: &AppState, user: &StaffUser, title: &str, path: &str) -> Self {
        let role = user.session.role;
        let nav = NAV
            .iter()
            .filter(|(_, _, action)| action.is_none_or(|a| allowed(role, a).is_some()))
            .map(|(href, label, _)| Link {
                href: (*href).to_owned(),
                label: (*label).to_owned(),
                current: *href == path,
                lang: "",
            })
            .collect();
        Self {
            user: Some(FrameUser {
                name: user.session.name.clone(),
                role: role.to_string(),
                csrf: user.csrf.clone(),
            }),
            nav,
            ..Self::public(state, title)
        }
    }
}

/// A time on the site's wall clock, e.g. "2026-11-27 14:05".
pub fn moment(state: &AppState, at: OffsetDateTime) -> String {
    let tz = state.site.calendar.time_zone().clone();
    let local = leadhub_domain::calendar::from_offset_date_time(at).to_zoned(tz);
    local.strftime("%Y-%m-%d %H:%M").to_string()
}

#[derive(Template)]
#[template(path = "staff/home.html")]
struct HomePage {
    frame: Frame,
    /// Reminders and escalations: (when, what, link).
    notifications: Vec<(String, String, String)>,
    name: String,
    role: String,
    since: String,
    permissions: Vec<(&'static str, &'static str)>,
}

async fn home(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    let role = user.session.role;
    let permissions = Action::ALL
        .iter()
        .filter_map(|a| allowed(role, *a).map(|scope| (a.code(), scope_words(scope))))
        .collect();
    let notifications = state
        .db
        .notifications_for(user.session.user_id, leadhub_store::now())
        .await?
        .into_iter()
        .map(|n| {
            let href = match (n.kind.as_str(), n.record_type.as_str()) {
                ("booking", _) => format!("/staff/participants/{}/legal", n.record_id),
                (_, "inquiry") => format!("/staff/inquiries/{}", n.record_id),
                _ => format!("/staff/referrals/{}", n.record_id),
            };
            (moment(&state, n.created_at), n.body, href)
        })
        .collect();
    let page = HomePage {
        frame: Frame::staff(&state, &user, "Staff home", "/staff"),
        notifications,
        name: user.session.name.clone(),
        role: role.to_string(),
        since: moment(&state, user.session.signed_in_at),
        permissions,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "staff/outbox.html")]
struct OutboxPage {
    frame: Frame,
    /// A mail server is set up (messages are sent, not only held).
    mail: bool,
    /// (written, to, subject, body, sent or held).
    messages: Vec<(String, String, String, String, String)>,
}

/// Messages to people outside leadhub. With no mail server set up they stay here, held, for
/// an administrator to read (and pass on by hand if need be).
async fn outbox(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    let mail = state.mailer.is_some();
    let messages = state
        .db
        .outbox(&user.session.actor(), &user.address, leadhub_store::now())
        .await?
        .into_iter()
        .map(|m| {
            let sent = match (m.sent_at, &m.last_error, mail) {
                (Some(at), _, _) => format!("sent {}", moment(&state, at)),
                (None, Some(error), _) => format!("not sent yet; the mail server said: {error}"),
                (None, None, true) => "waiting to be sent".to_owned(),
                (None, None, false) => "held: no mail server is set up".to_owned(),
            };
            (
                moment(&state, m.created_at),
                m.recipient,
                m.subject,
                m.body,
                sent,
            )
        })
        .collect();
    let page = OutboxPage {
        frame: Frame::staff(&state, &user, "Outbox", "/staff/admin/outbox"),
        mail,
        messages,
    };
    Ok(render(&page)?.into_response())
}

fn scope_words(scope: Scope) -> &'static str {
    match scope {
        Scope::Own => "your own caseload",
        Scope::Consented => "what a participant's release of information covers",
        Scope::All => "the whole site",
    }
}

struct SessionLine {
    id: String,
    created: String,
    last_seen: String,
    address: String,
    agent: String,
    active: bool,
    current: bool,
}

#[derive(Template)]
#[template(path = "staff/sessions.html")]
struct SessionsPage {
    frame: Frame,
    csrf: String,
    idle_minutes: u64,
    lifetime_hours: u64,
    sessions: Vec<SessionLine>,
}

async fn sessions(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    let policy = state.config.session;
    let list = state
        .db
        .sessions_of(user.session.user_id, leadhub_store::now(), policy)
        .await?;
    let sessions = list
        .into_iter()
        .map(|s| SessionLine {
            current: s.id == user.session.session_id,
            id: s.id.to_string(),
            created: moment(&state, s.created_at),
            last_seen: moment(&state, s.last_seen),
            address: s.address,
            agent: s.agent,
            active: s.active,
        })
        .collect();
    let page = SessionsPage {
        frame: Frame::staff(&state, &user, "My sessions", "/staff/sessions"),
        csrf: user.csrf.clone(),
        idle_minutes: policy.idle.as_secs() / 60,
        lifetime_hours: policy.lifetime.as_secs() / 3600,
        sessions,
    };
    Ok(render(&page)?.into_response())
}

async fn end_session(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: SessionId = id.parse().map_err(|_| AppError::NotFound)?;
    // Only one's own sessions: someone else's id is "not found", as if it did not exist.
    let ended = state
        .db
        .end_own_session(&user.session, id, &user.address, leadhub_store::now())
        .await?;
    if !ended {
        return Err(AppError::NotFound);
    }
    if id == user.session.session_id {
        return Ok(auth::signed_out("/login"));
    }
    Ok(Redirect::to("/staff/sessions").into_response())
}

async fn sign_out(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    state
        .db
        .sign_out(&user.token, &user.address, leadhub_store::now())
        .await?;
    Ok(auth::signed_out("/login"))
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "staff/reauth.html")]
struct ReauthPage {
    frame: Frame,
    csrf: String,
    next: String,
    needs_code: bool,
}

fn reauth_page(
    state: &AppState,
    user: &StaffUser,
    next: &str,
    status: StatusCode,
    error: &str,
) -> Result<Response, AppError> {
    let mut frame = Frame::staff(state, user, "Confirm it is you", "");
    frame.error = error.to_owned();
    let page = ReauthPage {
        frame,
        csrf: user.csrf.clone(),
        next: safe_next(next),
        needs_code: user.session.role.sees_personal_data(),
    };
    Ok((status, render(&page)?).into_response())
}

async fn show_reauth(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    reauth_page(&state, &user, &query.next, StatusCode::OK, "")
}

async fn submit_reauth(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let next = fields.get("next");
    let answer = state
        .db
        .reauthenticate(
            &user.session,
            &user.token,
            &fields.get("password"),
            &fields.get("code"),
            user.client(),
            leadhub_store::now(),
        )
        .await?;
    match answer {
        SignIn::SignedIn(_) | SignIn::SecondFactor(_) => {
            Ok(Redirect::to(&safe_next(&next)).into_response())
        }
        SignIn::Wrong => reauth_page(
            &state,
            &user,
            &next,
            StatusCode::UNAUTHORIZED,
            "That password (or code) is not right.",
        ),
        SignIn::Wait(_) => reauth_page(
            &state,
            &user,
            &next,
            StatusCode::TOO_MANY_REQUESTS,
            "Too many tries. Wait a few minutes, then try again.",
        ),
    }
}

/// For account changes: `Some(redirect)` to the confirmation page (returning to `back`) when
/// the person has not re-entered their password in the last few minutes. A stolen session
/// alone cannot invite, promote, disable or reset anyone.
fn confirm_first(user: &StaffUser, back: &str) -> Option<Response> {
    if recently_confirmed(user) {
        return None;
    }
    let next: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    Some(Redirect::to(&format!("/staff/reauth?next={next}")).into_response())
}

/// One's own role and access are changed by another administrator, never by oneself (so no
/// one locks themselves out, or raises their own role).
fn not_yourself(
    state: &AppState,
    user: &StaffUser,
    id: UserId,
) -> Result<Option<Response>, AppError> {
    if id != user.session.user_id {
        return Ok(None);
    }
    let page = MessagePage {
        frame: Frame::staff(state, user, "Not on your own account", "/staff/admin/users"),
        message: "Your own role, access and sign-in are changed by another administrator.".into(),
        link: format!("/staff/admin/users/{id}"),
        link_label: "Back".into(),
    };
    Ok(Some((StatusCode::CONFLICT, render(&page)?).into_response()))
}

/// Whether the person re-entered their password within the last few minutes.
fn recently_confirmed(user: &StaffUser) -> bool {
    user.session
        .reauthenticated_at
        .is_some_and(|at| leadhub_store::now() - at < REAUTH_VALID)
}

fn role_choices(selected: Option<Role>) -> Vec<(&'static str, bool)> {
    Role::ALL
        .iter()
        .map(|r| (r.code(), Some(*r) == selected))
        .collect()
}

#[derive(Template)]
#[template(path = "staff/users.html")]
struct UsersPage {
    frame: Frame,
    csrf: String,
    accounts: Vec<Account>,
    roles: Vec<(&'static str, bool)>,
    email: String,
    name: String,
    email_error: String,
    name_error: String,
}

async fn users_page(
    state: &AppState,
    user: &StaffUser,
    typed: (String, String, Option<Role>),
    errors: (String, String),
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut frame = Frame::staff(state, user, "Accounts", "/staff/admin/users");
    if !recently_confirmed(user) {
        frame.notice = CONFIRM_NOTICE.into();
    }
    if !errors.0.is_empty() || !errors.1.is_empty() {
        frame.error = "The invitation was not sent: see below.".into();
    }
    let page = UsersPage {
        frame,
        csrf: user.csrf.clone(),
        accounts: state.db.accounts().await?,
        roles: role_choices(typed.2.or(Some(Role::CaseManager))),
        email: typed.0,
        name: typed.1,
        email_error: errors.0,
        name_error: errors.1,
    };
    Ok((status, render(&page)?).into_response())
}

async fn users(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    users_page(
        &state,
        &user,
        Default::default(),
        Default::default(),
        StatusCode::OK,
    )
    .await
}

/// The page that shows a new set-up link, once.
fn invitation_page(
    state: &AppState,
    user: &StaffUser,
    who: &str,
    invitation: &Invitation,
) -> Result<Response, AppError> {
    let link = format!(
        "{}/enrol/{}",
        state.config.public_url.trim_end_matches('/'),
        invitation.token.as_str()
    );
    let page = MessagePage {
        frame: Frame::staff(state, user, "Set-up link", "/staff/admin/users"),
        message: format!(
            "Give this link to {who} in person or by a channel you trust. It works once, until {}, and is shown only now: {link}",
            moment(state, invitation.expires_at)
        ),
        link: "/staff/admin/users".into(),
        link_label: "Back to accounts".into(),
    };
    Ok(render(&page)?.into_response())
}

async fn invite(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Some(confirm) = confirm_first(&user, "/staff/admin/users") {
        return Ok(confirm);
    }
    let fields = FormFields::parse(&body);
    let (email_text, name_text) = (fields.get("email"), fields.get("name"));
    let role = fields.get("role").parse::<Role>().ok();
    let email = email_text.parse::<Email>();
    let name = text::required(&name_text, limits::NAME);
    let (email, name, role) = match (email, name, role) {
        (Ok(email), Ok(name), Some(role)) => (email, name, role),
        (email, name, role) => {
            let email_error = if email.is_err() {
                "Enter an email address like name@example.org."
            } else {
                ""
            };
            let name_error = if name.is_err() {
                "Enter the person's name."
            } else {
                ""
            };
            return users_page(
                &state,
                &user,
                (email_text, name_text, role),
                (email_error.into(), name_error.into()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let organization = text::optional(&fields.get("organization"), limits::SHORT)
        .ok()
        .flatten();
    let account = NewAccount {
        email,
        name,
        role,
        organization,
    };
    let invitation = state
        .db
        .add_account(
            &account,
            &user.session.actor(),
            Some(&user.address),
            leadhub_store::now(),
        )
        .await?;
    let Some(invitation) = invitation else {
        return users_page(
            &state,
            &user,
            (email_text, name_text, Some(role)),
            (
                "There is already an account with this email.".into(),
                String::new(),
            ),
            StatusCode::CONFLICT,
        )
        .await;
    };
    invitation_page(&state, &user, &account.name, &invitation)
}

fn user_id(id: &str) -> Result<UserId, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

#[derive(Template)]
#[template(path = "staff/user.html")]
struct UserPage {
    frame: Frame,
    csrf: String,
    account: Account,
    created: String,
    roles: Vec<(&'static str, bool)>,
}

async fn user(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let account = state
        .db
        .account(user_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut frame = Frame::staff(&state, &user, &account.name.clone(), "/staff/admin/users");
    if !recently_confirmed(&user) {
        frame.notice = CONFIRM_NOTICE.into();
    }
    let page = UserPage {
        frame,
        csrf: user.csrf.clone(),
        created: moment(&state, account.created_at),
        roles: role_choices(Some(account.role)),
        account,
    };
    Ok(render(&page)?.into_response())
}

async fn change_role(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = user_id(&id)?;
    if let Some(refused) = not_yourself(&state, &user, id)? {
        return Ok(refused);
    }
    if let Some(confirm) = confirm_first(&user, &format!("/staff/admin/users/{id}")) {
        return Ok(confirm);
    }
    let role: Role = FormFields::parse(&body)
        .get("role")
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    let changed = state
        .db
        .change_role(
            id,
            role,
            &user.session.actor(),
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    match changed {
        RoleChange::NotFound => Err(AppError::NotFound),
        RoleChange::Changed => {
            Ok(Redirect::to(&format!("/staff/admin/users/{id}")).into_response())
        }
        RoleChange::NeedsEnrolment(invitation) => {
            let name = state
                .db
                .account(id)
                .await?
                .map(|a| a.name)
                .unwrap_or_default();
            invitation_page(
                &state,
                &user,
                &format!(
                    "{name} (the new role needs an authenticator app, so they set up their sign-in again)"
                ),
                &invitation,
            )
        }
    }
}

async fn set_disabled(
    state: &AppState,
    user: &StaffUser,
    id: &str,
    disabled: bool,
) -> Result<Response, AppError> {
    let id = user_id(id)?;
    if let Some(refused) = not_yourself(state, user, id)? {
        return Ok(refused);
    }
    if let Some(confirm) = confirm_first(user, &format!("/staff/admin/users/{id}")) {
        return Ok(confirm);
    }
    let found = state
        .db
        .set_disabled(
            id,
            disabled,
            &user.session.actor(),
            &user.address,
            leadhub_store::now(),
        )
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/staff/admin/users/{id}")).into_response())
}

async fn disable(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    set_disabled(&state, &user, &id, true).await
}

async fn enable(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    set_disabled(&state, &user, &id, false).await
}

async fn reset(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = user_id(&id)?;
    if let Some(refused) = not_yourself(&state, &user, id)? {
        return Ok(refused);
    }
    if let Some(confirm) = confirm_first(&user, &format!("/staff/admin/users/{id}")) {
        return Ok(confirm);
    }
    let account = state.db.account(id).await?.ok_or(AppError::NotFound)?;
    let invitation = state
        .db
        .reset_sign_in(
            id,
            &user.session.actor(),
            Some(&user.address),
            leadhub_store::now(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    invitation_page(&state, &user, &account.name, &invitation)
}

#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    #[serde(default)]
    user: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    record: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    before: Option<i64>,
}

struct AuditLine {
    seq: i64,
    at: String,
    actor: String,
    role: String,
    action: String,
    record: String,
    subject: String,
    address: String,
    outcome: String,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    frame: Frame,
    rows: Vec<AuditLine>,
    filter_user: String,
    filter_person: String,
    filter_record: String,
    filter_from: String,
    filter_until: String,
    older: String,
}

/// Midnight at the start of `date` (YYYY-MM-DD) on the site's clock, plus `days`.
fn local_midnight(state: &AppState, date: &str, days: i64) -> Option<OffsetDateTime> {
    let date: jiff::civil::Date = date.trim().parse().ok()?;
    let date = date.checked_add(jiff::Span::new().days(days)).ok()?;
    let zoned = date
        .to_zoned(state.site.calendar.time_zone().clone())
        .ok()?;
    Some(leadhub_domain::calendar::to_offset_date_time(
        zoned.timestamp(),
    ))
}

const AUDIT_PAGE: i64 = 200;

async fn audit(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let mut frame = Frame::staff(&state, &user, "Audit log", "/staff/admin/audit");
    let actor = if query.user.trim().is_empty() {
        String::new()
    } else {
        match state.db.account_by_email(&query.user).await? {
            Some(a) => format!("user:{}", a.id),
            None => {
                frame.error = "No account has that email; showing no entries.".into();
                "user:none".into()
            }
        }
    };
    let filter = AuditFilter {
        actor,
        record_id: query.record.trim().to_owned(),
        subject: query.person.trim().to_owned(),
        from: local_midnight(&state, &query.from, 0),
        until: local_midnight(&state, &query.until, 1),
        before_seq: query.before,
    };
    let rows = state
        .db
        .audit_entries(&filter, AUDIT_PAGE, &user.session.actor(), &user.address)
        .await?;
    let older = match rows.last() {
        Some(last) if i64::try_from(rows.len()).unwrap_or(0) == AUDIT_PAGE => {
            let mut query_string = form_urlencoded::Serializer::new(String::new());
            query_string
                .append_pair("user", &query.user)
                .append_pair("person", &query.person)
                .append_pair("record", &query.record)
                .append_pair("from", &query.from)
                .append_pair("until", &query.until)
                .append_pair("before", &last.seq.to_string());
            format!("/staff/admin/audit?{}", query_string.finish())
        }
        _ => String::new(),
    };
    let page = AuditPage {
        frame,
        rows: rows.into_iter().map(|r| audit_line(&state, r)).collect(),
        filter_user: query.user,
        filter_person: query.person,
        filter_record: query.record,
        filter_from: query.from,
        filter_until: query.until,
        older,
    };
    Ok(render(&page)?.into_response())
}

fn audit_line(state: &AppState, row: AuditRow) -> AuditLine {
    AuditLine {
        seq: row.seq,
        at: moment(state, row.at),
        actor: row.actor,
        role: row.role.unwrap_or_default(),
        action: row.action,
        record: match row.record_id {
            Some(id) => format!("{} {id}", row.record_type),
            None => row.record_type,
        },
        subject: row.subject.unwrap_or_default(),
        address: row.address.unwrap_or_default(),
        outcome: row.outcome,
    }
}

/// Every staff route as `(method, path)`, for tests and documentation.
pub fn route_table() -> Vec<StaffRoute> {
    ROUTES.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Method;

    #[test]
    fn every_declared_route_has_a_handler_and_a_known_method() {
        for r in ROUTES {
            assert!(
                handler(r.method, r.path).is_some(),
                "{} {}",
                r.method,
                r.path
            );
            assert!(Method::from_bytes(r.method.as_bytes()).is_ok());
            assert!(r.path.starts_with("/staff"));
            assert_eq!(
                r.path.contains("{id}"),
                r.record != Record::None,
                "{}",
                r.path
            );
        }
    }
}
