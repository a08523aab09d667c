//! Triage for staff: the referral queue with its clocks, and one referral's page, where the
//! referrer is answered and the person is screened, looked for, and enrolled or linked.
//!
//! Every form carries the version of the referral it was shown with; the store refuses a
//! change made from a stale page, and the page comes back (409) with the referral as it is
//! now, what the person tried to do, and everything they typed. Invalid input comes back
//! (422) the same way, with a message by each field.

use leadhub_domain::results::RaceEthnicity;
use std::collections::BTreeMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use leadhub_domain::access::{Action, allowed};
use leadhub_domain::ids::{ParticipantId, ReferralId, UserId};
use leadhub_domain::language::Language;
use leadhub_domain::person::EnrolmentInput;
use leadhub_domain::referral::{AgeRange, Door, ReferralState};
use leadhub_domain::text::{self, FieldError, FormErrors, limits};
use leadhub_domain::triage::{
    Attempt, Clock, ClosureReason, ContactMethod, Move, MoveError, ScreeningInput,
};
use leadhub_store::{
    Edit, NewAttempt, QUEUE_PAGE_SIZE, QueueFilter, QueueSort, QueueView, ReferralDetail, Refusal,
    StoredReferral, Triaged,
};
use serde::Deserialize;

use super::chrome::render;
use super::form::Choice;
use super::staff::{Frame, moment};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::i18n::Tr;
use crate::{AppError, AppState};

pub fn state_label(state: ReferralState) -> &'static str {
    use ReferralState::*;
    match state {
        Received => "Received",
        Acknowledged => "Referrer answered",
        Screening => "Screening",
        Outreach => "Outreach",
        Enrolled => "Enrolled",
        NotEligible => "Not eligible",
        UnableToLocate => "Unable to locate",
        Declined => "Declined",
        Linked => "Linked to a participant",
        Closed => "Closed",
    }
}

pub fn door_label(door: Door) -> &'static str {
    match door {
        Door::Community => "Community",
        Door::SocialContact => "Police social contact",
        Door::ArrestDiversion => "Arrest diversion",
        Door::SelfReferral => "Self-referral",
        Door::Provider => "Provider",
    }
}

pub(super) fn method_label(method: ContactMethod) -> &'static str {
    match method {
        ContactMethod::Call => "Phone call",
        ContactMethod::Text => "Text message",
        ContactMethod::Email => "Email (leadhub sends a short acknowledgement)",
        ContactMethod::InPerson => "In person",
        ContactMethod::Voicemail => "Left a voicemail",
    }
}

pub(super) fn closure_label(closure: ClosureReason) -> &'static str {
    match closure {
        ClosureReason::Duplicate => "Duplicate of another referral",
        ClosureReason::Withdrawn => "Withdrawn by the referrer",
        ClosureReason::NotEligible => "Not eligible",
        ClosureReason::UnableToLocate => "Could not be found",
        ClosureReason::Declined => "The person said no",
        ClosureReason::Other => "Other (say why)",
    }
}

/// A staff form's field error as a sentence.
pub fn field_message(error: &FieldError) -> String {
    match error {
        FieldError::Required => "Answer this.".into(),
        FieldError::TooLong { max } => format!("Shorten this to {max} characters or fewer."),
        FieldError::Choice => "Choose one of the options.".into(),
        FieldError::Year => "Give a year like 1984 (or leave it empty).".into(),
        FieldError::Consent => {
            "Enrol only when the person has agreed to take part; tick the box once they have."
                .into()
        }
        FieldError::Name => "Give at least one name the person goes by.".into(),
        FieldError::TooMany { max } => format!("At most {max}."),
        FieldError::Future => "That time has not come yet.".into(),
        FieldError::TooLongAgo { days } => format!("Give a time in the last {days} days."),
        FieldError::BeforeStart => {
            "That is before this person's record begins (the month before their referral).".into()
        }
        FieldError::EndsTooSoon => {
            "Give a last day on or after the day it was signed, and not in the past.".into()
        }
        FieldError::CaseNumber => {
            "Give the case number as the court or prosecutor writes it: letters, digits and dashes."
                .into()
        }
        FieldError::OutOfRange { min, max } => format!("Give a whole number from {min} to {max}."),
        FieldError::ChargeList => "One charge per line, as a key, a colon and its name (trespass: Trespass). Keys are lower-case letters, digits, - and _, each used once.".into(),
        FieldError::Past => "Give today or a later day.".into(),
        FieldError::Person => "Give something to go on: a name, an age or birth year, or a place.".into(),
        FieldError::UnknownCode => {
            "No referral has this reference code: check it, or leave it empty.".into()
        }
        other => format!("Check this: {other}."),
    }
}

fn move_message(error: &MoveError) -> String {
    match error {
        MoveError::NotAllowed { from, to } => format!(
            "A referral that is “{}” cannot become “{}”.",
            state_label(*from),
            state_label(*to)
        ),
        MoveError::ReasonRequired(_) => "Say why, in a few words.".into(),
        MoveError::ClosureRequired => "Choose why it is closed.".into(),
        MoveError::OwnStep(to) => format!(
            "“{}” has its own step on this page (it records what that needs).",
            state_label(*to)
        ),
    }
}

/// Open time (in the site's hours) as "3 h 20 min".
fn open_time(d: SignedDuration) -> String {
    let minutes = d.as_secs().max(0) / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// A clock as words and a style: "due", "soon", "overdue" or "answered".
pub(super) fn clock_words(
    state: &AppState,
    clock: Clock,
    due: time::OffsetDateTime,
) -> (String, &'static str) {
    const SOON: SignedDuration = SignedDuration::from_hours(2);
    match clock {
        Clock::Running { left } => (
            format!(
                "Due {} · {} of open time left",
                moment(state, due),
                open_time(left)
            ),
            if left <= SOON { "soon" } else { "due" },
        ),
        Clock::Overdue { by } => (
            format!(
                "Overdue by {} of open time (due {})",
                open_time(by),
                moment(state, due)
            ),
            "overdue",
        ),
        Clock::Answered { at: Some(at), late } => (
            format!(
                "Answered {}{}",
                moment(state, at),
                if late { ", after it was due" } else { "" }
            ),
            "answered",
        ),
        Clock::Answered { at: None, .. } => ("Answered".into(), "answered"),
    }
}

fn referral_id(raw: &str) -> Result<ReferralId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

fn place_names(state: &AppState, keys: &[String], other: Option<&str>) -> Vec<String> {
    keys.iter()
        .map(|k| {
            state
                .site
                .place(k)
                .map_or_else(|| k.clone(), |p| p.name.clone())
        })
        .chain(other.map(str::to_owned))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The queue

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    view: String,
    #[serde(default)]
    door: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
}

impl QueueQuery {
    /// Only known values reach the store; anything else falls back to the default.
    fn filter(&self) -> QueueFilter {
        QueueFilter {
            view: QueueView::ALL
                .into_iter()
                .find(|v| v.code() == self.view)
                .unwrap_or_default(),
            door: self.door.parse().ok(),
            state: self
                .state
                .parse()
                .ok()
                .filter(|s: &ReferralState| !s.is_final()),
            sort: QueueSort::ALL
                .into_iter()
                .find(|s| s.code() == self.sort)
                .unwrap_or_default(),
            page: self.page.parse().unwrap_or(0).min(10_000),
        }
    }
}

struct QueueItem {
    href: String,
    code: String,
    person: String,
    places: String,
    door: &'static str,
    state: &'static str,
    clock: String,
    clock_class: &'static str,
    received: String,
    assigned: String,
}

#[derive(Template)]
#[template(path = "staff/referrals.html")]
struct QueuePageView {
    frame: Frame,
    views: Vec<(&'static str, &'static str, bool)>,
    /// A door, stage or order other than the default was chosen: the filters show open.
    filtered: bool,
    doors: Vec<(&'static str, &'static str, bool)>,
    states: Vec<(&'static str, &'static str, bool)>,
    sorts: Vec<(&'static str, &'static str, bool)>,
    items: Vec<QueueItem>,
    total: i64,
    /// "+" when there are more than `total`.
    more: &'static str,
    first: i64,
    last: i64,
    previous: Option<String>,
    next: Option<String>,
}

fn view_label(view: QueueView) -> &'static str {
    match view {
        QueueView::Open => "All open",
        QueueView::Mine => "Mine",
        QueueView::Unassigned => "Unassigned",
        QueueView::Overdue => "Overdue",
    }
}

fn sort_label(sort: QueueSort) -> &'static str {
    match sort {
        QueueSort::Due => "Due soonest",
        QueueSort::Newest => "Newest",
        QueueSort::Oldest => "Oldest",
    }
}

fn queue_link(filter: &QueueFilter, page: u32) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("view", filter.view.code());
    if let Some(d) = filter.door {
        s.append_pair("door", d.code());
    }
    if let Some(st) = filter.state {
        s.append_pair("state", st.code());
    }
    s.append_pair("sort", filter.sort.code());
    s.append_pair("page", &page.to_string());
    format!("/staff/referrals?{}", s.finish())
}

pub async fn queue(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<QueueQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter();
    let now = leadhub_store::now();
    let page = state
        .db
        .referral_queue(
            &filter,
            user.session.user_id,
            &user.session.actor(),
            &user.address,
            now,
        )
        .await?;
    let items = page
        .lines
        .iter()
        .map(|line| {
            let clock = Clock::of(
                &state.site.calendar,
                line.state == ReferralState::Received,
                line.due_at,
                line.answered_at,
                now,
            );
            let (clock, clock_class) = clock_words(&state, clock, line.due_at);
            QueueItem {
                href: format!("/staff/referrals/{}", line.id),
                code: display_code(&line.code),
                person: if line.person.is_empty() {
                    "(no description)".into()
                } else {
                    line.person.clone()
                },
                places: place_names(&state, &line.places, line.places_other.as_deref()).join("; "),
                door: door_label(line.door),
                state: state_label(line.state),
                clock,
                clock_class,
                received: moment(&state, line.received_at),
                assigned: line.assigned.clone().unwrap_or_else(|| "Unassigned".into()),
            }
        })
        .collect();
    let offset = i64::from(filter.page) * QUEUE_PAGE_SIZE;
    let shown = i64::try_from(page.lines.len()).unwrap_or(0);
    let page_view = QueuePageView {
        frame: Frame::staff(&state, &user, "Referral queue", "/staff/referrals"),
        views: QueueView::ALL
            .iter()
            .map(|v| (v.code(), view_label(*v), *v == filter.view))
            .collect(),
        doors: Door::ALL
            .iter()
            .map(|d| (d.code(), door_label(*d), Some(*d) == filter.door))
            .collect(),
        states: ReferralState::ALL
            .iter()
            .filter(|s| !s.is_final())
            .map(|s| (s.code(), state_label(*s), Some(*s) == filter.state))
            .collect(),
        sorts: QueueSort::ALL
            .iter()
            .map(|s| (s.code(), sort_label(*s), *s == filter.sort))
            .collect(),
        filtered: filter.door.is_some()
            || filter.state.is_some()
            || filter.sort != QueueSort::default(),
        items,
        total: page.total,
        more: if page.total_is_exact { "" } else { "+" },
        first: if shown == 0 { 0 } else { offset + 1 },
        last: offset + shown,
        previous: (filter.page > 0).then(|| queue_link(&filter, filter.page - 1)),
        next: (offset + shown < page.total).then(|| queue_link(&filter, filter.page + 1)),
    };
    Ok(render(&page_view)?.into_response())
}

/// A stored code as people read it: `K7QM-4Z2P`.
pub(super) fn display_code(code: &str) -> String {
    match code.parse::<leadhub_domain::ReferenceCode>() {
        Ok(c) => c.to_string(),
        Err(_) => code.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// One referral

/// The forms of the referral page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Claim,
    Assign,
    Acknowledge,
    Screen,
    Outreach,
    Move,
}

impl Form {
    fn describe(self) -> &'static str {
        match self {
            Form::Claim => "take this referral",
            Form::Assign => "assign this referral",
            Form::Acknowledge => "record a contact with the referrer",
            Form::Screen => "record a screening",
            Form::Outreach => "record an outreach attempt",
            Form::Move => "move this referral",
        }
    }
}

/// What was posted, and what was wrong with it, to show the page again with it.
#[derive(Debug, Default)]
struct Typed {
    form: Option<Form>,
    fields: FormFields,
    errors: BTreeMap<&'static str, String>,
    /// Set when the referral changed under the person: what they tried to do.
    stale: bool,
    /// Set when the store refused the change: why.
    refused: Option<String>,
    /// The last change was saved (the page after a redirect says so).
    saved: bool,
}

impl Typed {
    fn posted(form: Form, fields: FormFields) -> Self {
        Self {
            form: Some(form),
            fields,
            ..Default::default()
        }
    }

    fn with_errors(mut self, errors: &FormErrors) -> Self {
        for (field, error) in errors.iter() {
            self.errors.insert(field, field_message(error));
        }
        self
    }

    /// The typed value of `field` if `form` was posted, else `default`.
    fn value(&self, form: Form, field: &str, default: &str) -> String {
        if self.form == Some(form) {
            self.fields.get(field)
        } else {
            default.to_owned()
        }
    }

    fn values(&self, form: Form, field: &str) -> Vec<String> {
        if self.form == Some(form) {
            self.fields.all(field)
        } else {
            Vec::new()
        }
    }

    fn error(&self, form: Form, field: &str) -> String {
        if self.form == Some(form) {
            self.errors.get(field).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

fn choices<T: Copy>(
    options: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    checked: &[String],
) -> Vec<Choice> {
    options
        .iter()
        .map(|o| Choice {
            value: code(*o).to_owned(),
            label: label(*o),
            checked: checked.iter().any(|c| c == code(*o)),
            lang: "",
        })
        .collect()
}

fn yes_no(checked: &str, yes: &str, no: &str) -> Vec<Choice> {
    [("yes", yes), ("no", no)]
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.into(),
            label: label.into(),
            checked: checked == value,
            lang: "",
        })
        .collect()
}

struct HistoryLine {
    when: String,
    what: String,
    who: String,
}

#[derive(Template)]
#[template(path = "staff/referral.html")]
struct ReferralPage {
    frame: Frame,
    csrf: String,
    id: ReferralId,
    version: i64,
    state: &'static str,
    door: &'static str,
    language: &'static str,
    received: String,
    clock: String,
    clock_class: &'static str,
    assigned: Option<String>,
    /// What an inside referral adds: who made it, the charge, the hand-off.
    inside: Vec<(&'static str, String)>,
    can_claim: bool,
    can_assign: bool,
    can_triage: bool,
    staff: Vec<(String, String, bool)>,
    person: Vec<(&'static str, String)>,
    safety: Option<String>,
    referrer: Vec<(&'static str, String)>,
    referrer_tel: Option<String>,
    referrer_mail: Option<String>,
    wants_follow_up: bool,
    show_acknowledge: bool,
    methods: Vec<Choice>,
    ack_note: String,
    show_screen: bool,
    adult_legend: String,
    ask_corridor: bool,
    corridor: Vec<Choice>,
    adult: Vec<Choice>,
    nexus: Vec<Choice>,
    conflict: Vec<Choice>,
    screen_note: String,
    show_outreach: bool,
    outreach_places: Vec<(String, String, bool)>,
    place_other: String,
    point: String,
    found: Vec<Choice>,
    outreach_note: String,
    attempts: usize,
    suggest_unable: bool,
    moves: Vec<(&'static str, &'static str, bool)>,
    closures: Vec<(&'static str, &'static str, bool)>,
    move_reason: String,
    can_enrol: bool,
    participant: Option<String>,
    history: Vec<HistoryLine>,
    typed: Typed,
    stale_note: String,
    refused_note: String,
}

impl ReferralPage {
    fn error(&self, form: &str, field: &str) -> String {
        let form = match form {
            "acknowledge" => Form::Acknowledge,
            "screen" => Form::Screen,
            "outreach" => Form::Outreach,
            "move" => Form::Move,
            "assign" => Form::Assign,
            _ => Form::Claim,
        };
        self.typed.error(form, field)
    }
}

/// What was typed, in words, for a stale page whose form may no longer be shown.
fn typed_summary(fields: &FormFields) -> String {
    let typed: Vec<String> = fields
        .pairs()
        .filter(|(name, value)| {
            !value.trim().is_empty() && !matches!(name.as_str(), "csrf" | "version")
        })
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    if typed.is_empty() {
        String::new()
    } else {
        format!(" You had sent: {}.", typed.join("; "))
    }
}

/// The states a person may pick in the move form: enrolment and linking have their own page.
fn movable(from: ReferralState) -> Vec<ReferralState> {
    from.next_states()
        .iter()
        .copied()
        .filter(|to| leadhub_domain::triage::by_hand(from, *to))
        .collect()
}

fn history(state: &AppState, d: &ReferralDetail) -> Vec<HistoryLine> {
    let mut lines = Vec::new();
    for e in &d.events {
        let what = match (e.from, &e.reason) {
            (Some(from), Some(reason)) if from == e.to => reason.clone(),
            (_, Some(reason)) => format!("{} — {reason}", state_label(e.to)),
            (_, None) => state_label(e.to).to_owned(),
        };
        lines.push((e.at, what, e.who.clone()));
    }
    for c in &d.contacts {
        let what = match &c.note {
            Some(note) => format!("Referrer contact: {} — {note}", method_label(c.method)),
            None => format!("Referrer contact: {}", method_label(c.method)),
        };
        lines.push((c.at, what, c.who.clone()));
    }
    for s in &d.screenings {
        let labels: Vec<String> = s
            .screening
            .nexus
            .iter()
            .map(|k| {
                state
                    .site
                    .screening
                    .nexus
                    .iter()
                    .find(|n| &n.key == k)
                    .map_or_else(|| k.clone(), |n| n.label.clone())
            })
            .collect();
        let mut what = format!(
            "Screening: {} · corridor {} · adult {} · needs: {} · conflict {}",
            if s.screening.is_eligible() {
                "eligible"
            } else {
                "not eligible"
            },
            if s.screening.corridor { "yes" } else { "no" },
            if s.screening.adult { "yes" } else { "no" },
            if labels.is_empty() {
                "none".to_owned()
            } else {
                labels.join(", ")
            },
            if s.screening.conflict { "yes" } else { "no" },
        );
        if let Some(note) = &s.screening.note {
            what.push_str(&format!(" — {note}"));
        }
        lines.push((s.at, what, s.who.clone()));
    }
    for a in &d.attempts {
        let place = place_names(state, a.place.as_slice(), a.place_other.as_deref()).join("; ");
        let mut what = format!(
            "Outreach: {}{}",
            if a.found { "found" } else { "not found" },
            if place.is_empty() {
                String::new()
            } else {
                format!(" at {place}")
            }
        );
        if let Some((lat, lon)) = a.point {
            what.push_str(&format!(" ({lat:.5}, {lon:.5})"));
        }
        if a.in_corridor == Some(false) {
            what.push_str(" — outside the corridor");
        }
        if let Some(note) = &a.note {
            what.push_str(&format!(" — {note}"));
        }
        lines.push((a.at, what, a.who.clone()));
    }
    lines.sort_by_key(|(at, _, _)| *at);
    lines
        .into_iter()
        .rev()
        .map(|(at, what, who)| HistoryLine {
            when: moment(state, at),
            what,
            who,
        })
        .collect()
}

/// Who made an inside referral, the charge and whether it is divertible, the hand-off.
fn inside_facts(state: &AppState, d: &ReferralDetail) -> Vec<(&'static str, String)> {
    let mut facts = Vec::new();
    if let Some(by) = &d.referred_by {
        facts.push(("Referred by", by.clone()));
    }
    if let Some((charge, divertible)) = &d.charge {
        let note = if *divertible {
            "on the divertible list"
        } else {
            "not on the divertible list: coordinate with the prosecutor"
        };
        facts.push(("Charge", format!("{charge} ({note})")));
    }
    if let Some(at) = d.handoff_at {
        facts.push(("Handed over", moment(state, at)));
    }
    facts
}

/// What the referrer said about the person, as (label, text) pairs; empty ones left out.
fn person_facts(state: &AppState, r: &StoredReferral, en: &Tr) -> Vec<(&'static str, String)> {
    let mut person = Vec::new();
    let mut fact = |label: &'static str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            person.push((label, v));
        }
    };
    fact("Name or names", r.person_name.clone());
    let age = match r.age_range.as_str() {
        "unknown" => "Not given".to_owned(),
        range => en.t(&format!("age-{range}")),
    };
    fact("Age", Some(age));
    fact("Gender", r.gender.clone());
    fact("Build", r.build.clone());
    fact("Hair", r.hair.clone());
    fact("Other features", r.features.clone());
    fact(
        "Where",
        Some(place_names(state, &r.places, r.places_other.as_deref()).join("; ")),
    );
    let times: Vec<String> = r
        .times
        .iter()
        .map(|t| en.t(&format!("time-{t}")))
        .chain(r.times_other.clone())
        .collect();
    fact("When", Some(times.join("; ")));
    let concerns: Vec<String> = r
        .concerns
        .iter()
        .map(|c| en.t(&format!("concern-{c}")))
        .collect();
    fact("What was seen", Some(concerns.join("; ")));
    fact("In the referrer's words", r.concern_text.clone());
    person
}

/// Who the referrer is and how to reach them, as far as they said.
fn referrer_facts(r: &StoredReferral, en: &Tr) -> Vec<(&'static str, String)> {
    let mut referrer = Vec::new();
    if let Some(kind) = &r.referrer_type {
        referrer.push(("Who", en.t(&format!("referrer-{kind}"))));
    }
    if let Some(name) = &r.referrer_name {
        referrer.push(("Name", name.clone()));
    }
    if let Some(phone) = &r.referrer_phone {
        referrer.push(("Phone", phone.clone()));
    }
    if let Some(email) = &r.referrer_email {
        referrer.push(("Email", email.clone()));
    }
    referrer
}

/// Renders the referral page as it is now, with `typed` (what was just posted) kept.
async fn referral_page(
    state: &AppState,
    user: &StaffUser,
    id: ReferralId,
    typed: Typed,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = leadhub_store::now();
    let detail = state
        .db
        .open_referral(id, &user.session.actor(), &user.address, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = build_page(state, user, &detail, typed, now).await?;
    Ok((status, render(&page)?).into_response())
}

async fn build_page(
    state: &AppState,
    user: &StaffUser,
    d: &ReferralDetail,
    typed: Typed,
    now: time::OffsetDateTime,
) -> Result<ReferralPage, AppError> {
    let r = &d.referral;
    let role = user.session.role;
    let can_triage = allowed(role, Action::ReferralTriage).is_some();
    let can_assign = allowed(role, Action::WorkAssign).is_some();
    let open = !d.state.is_final();
    let en = Tr::new(state.i18n.clone(), Language::En);
    let waiting = d.state == ReferralState::Received;
    let clock = Clock::of(&state.site.calendar, waiting, r.due_at, d.answered_at, now);
    let (clock, clock_class) = clock_words(state, clock, r.due_at);

    let person = person_facts(state, r, &en);
    let referrer = referrer_facts(r, &en);

    let suggested = ScreeningInput::suggested(
        !r.places.is_empty(),
        r.age_range.parse().unwrap_or(AgeRange::Unknown),
    );
    let nexus_checked = typed.values(Form::Screen, "nexus");
    let nexus = state
        .site
        .screening
        .nexus
        .iter()
        .map(|n| Choice {
            value: n.key.clone(),
            label: n.label.clone(),
            checked: nexus_checked.contains(&n.key),
            lang: "",
        })
        .collect();
    let attempts: Vec<Attempt> = d
        .attempts
        .iter()
        .map(|a| Attempt {
            at: a.at,
            found: a.found,
        })
        .collect();
    let chosen_place = typed.value(Form::Outreach, "place", "");
    let chosen_move = typed.value(Form::Move, "to", "");
    let chosen_closure = typed.value(Form::Move, "closure", "");
    let chosen_assignee = typed.value(
        Form::Assign,
        "assignee",
        &d.assigned_to.map(|u| u.to_string()).unwrap_or_default(),
    );
    let staff = if can_assign && open {
        state
            .db
            .assignable_staff()
            .await?
            .into_iter()
            .map(|(uid, name)| {
                let id = uid.to_string();
                let selected = id == chosen_assignee;
                (id, name, selected)
            })
            .collect()
    } else {
        Vec::new()
    };
    let stale_note = if typed.stale {
        format!(
            "Someone changed this referral while you had it open, so your attempt to {} was not saved. \
             The page now shows the referral as it is.{} Check it, then send it again if it still applies.",
            typed.form.map_or("change it", Form::describe),
            typed_summary(&typed.fields)
        )
    } else {
        String::new()
    };
    let refused_note = typed.refused.clone().unwrap_or_default();
    let mut frame = Frame::staff(
        state,
        user,
        &format!("Referral {}", display_code(&r.code)),
        "/staff/referrals",
    );
    if typed.saved {
        frame.notice = "Saved.".into();
    }
    if !typed.errors.is_empty() {
        frame.error = "Nothing was saved: see the messages below.".into();
    } else if typed.stale || typed.refused.is_some() {
        frame.error = "Nothing was saved.".into();
    }
    Ok(ReferralPage {
        csrf: user.csrf.clone(),
        id: d.id,
        version: d.version,
        state: state_label(d.state),
        door: door_label(d.door),
        language: match r.language.as_str() {
            "es" => "Spanish",
            "so" => "Somali",
            "hmn" => "Hmong",
            _ => "English",
        },
        received: moment(state, r.received_at),
        clock,
        clock_class,
        assigned: d.assigned_name.clone(),
        inside: inside_facts(state, d),
        can_claim: can_triage && open && d.assigned_to.is_none(),
        can_assign: can_assign && open,
        can_triage: can_triage && open,
        staff,
        person,
        safety: r.safety_notes.clone(),
        referrer,
        referrer_tel: r
            .referrer_phone
            .as_ref()
            .map(|p| format!("tel:+1{}", p.replace('-', ""))),
        referrer_mail: r.referrer_email.as_ref().map(|e| format!("mailto:{e}")),
        wants_follow_up: r.wants_follow_up,
        show_acknowledge: can_triage && open,
        methods: choices(
            ContactMethod::ALL,
            ContactMethod::code,
            |m| method_label(m).to_owned(),
            &typed.values(Form::Acknowledge, "method"),
        ),
        ack_note: typed.value(Form::Acknowledge, "note", ""),
        show_screen: can_triage
            && matches!(
                d.state,
                ReferralState::Received | ReferralState::Acknowledged | ReferralState::Screening
            ),
        adult_legend: format!("{} or older (or appears so)?", state.site.screening.min_age),
        ask_corridor: state.site.screening.corridor,
        corridor: yes_no(
            &typed.value(Form::Screen, "corridor", &suggested.corridor),
            "Yes",
            "No",
        ),
        adult: yes_no(
            &typed.value(Form::Screen, "adult", &suggested.adult),
            "Yes",
            "No",
        ),
        nexus,
        conflict: yes_no(
            &typed.value(Form::Screen, "conflict", ""),
            "Yes, a conflict",
            "No conflict",
        ),
        screen_note: typed.value(Form::Screen, "screen_note", ""),
        show_outreach: can_triage && d.state == ReferralState::Outreach,
        outreach_places: state
            .site
            .places
            .iter()
            .map(|p| (p.key.clone(), p.name.clone(), p.key == chosen_place))
            .collect(),
        place_other: typed.value(Form::Outreach, "place_other", ""),
        point: typed.value(Form::Outreach, "point", ""),
        found: yes_no(
            &typed.value(Form::Outreach, "found", ""),
            "Found them",
            "Not found",
        ),
        outreach_note: typed.value(Form::Outreach, "outreach_note", ""),
        attempts: d.attempts.len(),
        suggest_unable: d.state == ReferralState::Outreach
            && state.site.outreach.suggests_unable_to_locate(&attempts),
        moves: movable(d.state)
            .into_iter()
            .map(|s| (s.code(), state_label(s), s.code() == chosen_move))
            .collect(),
        closures: ClosureReason::ALL
            .iter()
            .map(|c| (c.code(), closure_label(*c), c.code() == chosen_closure))
            .collect(),
        move_reason: typed.value(Form::Move, "reason", ""),
        can_enrol: can_triage && d.state.can_move_to(ReferralState::Linked),
        participant: d.participant_id.map(|p| format!("/staff/participants/{p}")),
        history: history(state, d),
        typed,
        stale_note,
        refused_note,
        frame,
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    Query(query): Query<super::typed::SavedQuery>,
) -> Result<Response, AppError> {
    let id = referral_id(&id)?;
    let typed = Typed {
        saved: !query.saved.is_empty(),
        ..Typed::default()
    };
    referral_page(&state, &user, id, typed, StatusCode::OK).await
}

/// A choice that must be made: its value, or the field's error recorded.
pub(super) fn required_choice<T: std::str::FromStr<Err = FieldError>>(
    errors: &mut FormErrors,
    field: &'static str,
    raw: &str,
) -> Option<T> {
    if raw.is_empty() {
        errors.add(field, FieldError::Required);
        return None;
    }
    errors.take(field, raw.parse())
}

/// A change by `user` to the referral (or inquiry) `id`, made from the page showing `version`.
pub(super) fn edit<Id>(user: &StaffUser, id: Id, version: i64) -> Edit<'_, Id> {
    Edit {
        id,
        version,
        user: user.session.user_id,
        actor: user.session.actor(),
        address: &user.address,
        now: leadhub_store::now(),
    }
}

/// A posted form of a referral's page: the referral, the fields, and the version the page
/// was shown with.
fn posted(id: &str, body: &Bytes) -> Result<(ReferralId, FormFields, i64), AppError> {
    let id = referral_id(id)?;
    let fields = FormFields::parse(body);
    let version = version(&fields)?;
    Ok((id, fields, version))
}

/// The version the form was shown with; a form without one is not ours.
pub(super) fn version(fields: &FormFields) -> Result<i64, AppError> {
    fields
        .get("version")
        .parse()
        .map_err(|_| AppError::BadRequest)
}

/// Answers a change: back to the referral on success (POST, redirect, GET), or the page again
/// with what was typed when the referral changed meanwhile or the change was refused.
async fn finish<T>(
    state: &AppState,
    user: &StaffUser,
    id: ReferralId,
    mut typed: Typed,
    outcome: Triaged<T>,
) -> Result<Response, AppError> {
    match outcome {
        Triaged::Done(_) => {
            Ok(Redirect::to(&format!("/staff/referrals/{id}?saved=1")).into_response())
        }
        Triaged::NotFound => Err(AppError::NotFound),
        Triaged::Stale => {
            typed.stale = true;
            referral_page(state, user, id, typed, StatusCode::CONFLICT).await
        }
        Triaged::Refused(refusal) => {
            let (status, message) = match refusal {
                Refusal::Move(e) => (StatusCode::UNPROCESSABLE_ENTITY, move_message(&e)),
                Refusal::AlreadyAssigned => (
                    StatusCode::CONFLICT,
                    "Someone has already taken this referral. The project manager can reassign it."
                        .into(),
                ),
                Refusal::NotAssignable => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Referrals go to active case managers and project managers only.".into(),
                ),
                // Not a referral's refusal; here only for completeness.
                Refusal::Inquiry(_) => (
                    StatusCode::CONFLICT,
                    "That step does not fit this referral.".into(),
                ),
                Refusal::WrongState(s) => (
                    StatusCode::CONFLICT,
                    format!(
                        "That step does not fit a referral that is “{}”.",
                        state_label(s)
                    ),
                ),
                Refusal::NoEmail => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "The referrer left no email address, or asked not to hear back: choose how you reached them instead.".into(),
                ),
                Refusal::NoSuchParticipant => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "That participant does not exist.".into(),
                ),
            };
            typed.refused = Some(message);
            referral_page(state, user, id, typed, status).await
        }
    }
}

/// Shows the page again with field errors (422).
async fn invalid(
    state: &AppState,
    user: &StaffUser,
    id: ReferralId,
    typed: Typed,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let typed = typed.with_errors(errors);
    referral_page(state, user, id, typed, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn claim(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, fields, version) = posted(&id, &body)?;
    let edit = edit(&user, id, version);
    let outcome = state.db.claim_referral(&edit).await?;
    finish(
        &state,
        &user,
        id,
        Typed::posted(Form::Claim, fields),
        outcome,
    )
    .await
}

pub async fn assign(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, fields, version) = posted(&id, &body)?;
    let raw = fields.get("assignee");
    let assignee = if raw.is_empty() {
        None
    } else {
        match raw.parse::<UserId>() {
            Ok(u) => Some(u),
            Err(_) => {
                let mut errors = FormErrors::default();
                errors.add("assignee", FieldError::Choice);
                let typed = Typed::posted(Form::Assign, fields);
                return invalid(&state, &user, id, typed, &errors).await;
            }
        }
    };
    let edit = edit(&user, id, version);
    let outcome = state.db.assign_referral(&edit, assignee).await?;
    finish(
        &state,
        &user,
        id,
        Typed::posted(Form::Assign, fields),
        outcome,
    )
    .await
}

pub async fn acknowledge(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, fields, version) = posted(&id, &body)?;
    let mut errors = FormErrors::default();
    let method: Option<ContactMethod> =
        required_choice(&mut errors, "method", &fields.get("method"));
    let note = errors.take(
        "note",
        text::optional(&fields.get("note"), limits::DESCRIPTION),
    );
    let typed = Typed::posted(Form::Acknowledge, fields);
    let (Some(method), Some(note)) = (method, note) else {
        return invalid(&state, &user, id, typed, &errors).await;
    };
    let edit = edit(&user, id, version);
    let outcome = state
        .db
        .acknowledge_referral(&edit, method, note.as_deref())
        .await?;
    finish(&state, &user, id, typed, outcome).await
}

pub async fn screen(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, fields, version) = posted(&id, &body)?;
    let input = ScreeningInput {
        corridor: fields.get("corridor"),
        adult: fields.get("adult"),
        nexus: fields.all("nexus"),
        conflict: fields.get("conflict"),
        note: fields.get("screen_note"),
    };
    let typed = Typed::posted(Form::Screen, fields);
    let screening = match input.parse(&state.site.screening) {
        Ok(s) => s,
        Err(errors) => return invalid(&state, &user, id, typed, &errors).await,
    };
    let edit = edit(&user, id, version);
    let outcome = state.db.screen_referral(&edit, &screening).await?;
    finish(&state, &user, id, typed, outcome).await
}

/// "44.9483, -93.2624" as a point, or why not.
pub async fn outreach(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, fields, version) = posted(&id, &body)?;
    let mut errors = FormErrors::default();
    let whereabouts = state.site.whereabouts(
        &fields.get("place"),
        &fields.get("place_other"),
        &fields.get("point"),
        &mut errors,
    );
    let found = match fields.get("found").as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        "" => {
            errors.add("found", FieldError::Required);
            None
        }
        _ => {
            errors.add("found", FieldError::Choice);
            None
        }
    };
    let note = errors.take(
        "outreach_note",
        text::optional(&fields.get("outreach_note"), limits::DESCRIPTION),
    );
    let typed = Typed::posted(Form::Outreach, fields);
    let (Some(whereabouts), Some(found), Some(note)) = (whereabouts, found, note) else {
        return invalid(&state, &user, id, typed, &errors).await;
    };
    let attempt = NewAttempt {
        at: leadhub_store::now(),
        place: whereabouts.place,
        place_other: whereabouts.other,
        point: whereabouts.point.map(|p| (p.lat, p.lon)),
        in_corridor: whereabouts.in_corridor,
        found,
        note,
    };
    let edit = edit(&user, id, version);
    let outcome = state.db.log_outreach(&edit, &attempt).await?;
    finish(&state, &user, id, typed, outcome).await
}

pub async fn move_to(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, fields, version) = posted(&id, &body)?;
    let mut errors = FormErrors::default();
    let to: Option<ReferralState> = required_choice(&mut errors, "to", &fields.get("to"));
    let closure = match fields.get("closure").as_str() {
        "" => Some(None),
        raw => errors.take("closure", raw.parse::<ClosureReason>().map(Some)),
    };
    let reason = errors.take(
        "reason",
        text::optional(&fields.get("reason"), limits::DESCRIPTION),
    );
    let typed = Typed::posted(Form::Move, fields);
    let (Some(to), Some(closure), Some(reason)) = (to, closure, reason) else {
        return invalid(&state, &user, id, typed, &errors).await;
    };
    let mv = Move {
        to,
        reason,
        closure: closure.filter(|_| to == ReferralState::Closed),
    };
    let edit = edit(&user, id, version);
    let outcome = state.db.move_referral(&edit, &mv).await?;
    finish(&state, &user, id, typed, outcome).await
}

// ---------------------------------------------------------------------------------------
// Identity and enrolment

#[derive(Template)]
#[template(path = "staff/referral_enrol.html")]
struct EnrolPage {
    frame: Frame,
    csrf: String,
    id: ReferralId,
    version: i64,
    code: String,
    described: String,
    can_enrol: bool,
    state: &'static str,
    query: String,
    candidates: Vec<super::people::MatchView>,
    given_name: String,
    family_name: String,
    aliases: String,
    birth_year: String,
    consent: bool,
    /// HUD's categories: code, label, ticked.
    races: Vec<(&'static str, &'static str, bool)>,
    race_reason: String,
    case_managers: Vec<(String, String, bool)>,
    /// The project manager chooses the case manager; anyone else enrolling becomes it.
    can_assign: bool,
    errors: BTreeMap<&'static str, String>,
    refused: String,
}

impl EnrolPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct EnrolQuery {
    #[serde(default)]
    name: String,
}

impl EnrolQuery {
    /// The name searched for, if one was typed (one too long to be a name is ignored).
    fn name(&self) -> Option<String> {
        text::optional(&self.name, limits::NAME).ok().flatten()
    }
}

/// What was typed on the enrolment page, kept when it comes back.
#[derive(Debug, Default)]
struct EnrolTyped {
    input: EnrolmentInput,
    case_manager: String,
    query: Option<String>,
    errors: BTreeMap<&'static str, String>,
    refused: String,
}

async fn enrol_page(
    state: &AppState,
    user: &StaffUser,
    id: ReferralId,
    typed: EnrolTyped,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = leadhub_store::now();
    let actor = user.session.actor();
    let d = state
        .db
        .open_referral(id, &actor, &user.address, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = &d.referral;
    let query = typed
        .query
        .clone()
        .or_else(|| r.person_name.clone())
        .unwrap_or_default();
    let candidates =
        super::people::possible_matches(state, user, &lookup(state, r, &query)).await?;
    let chosen = if typed.case_manager.is_empty() {
        d.assigned_to.unwrap_or(user.session.user_id).to_string()
    } else {
        typed.case_manager.clone()
    };
    let case_managers = state
        .db
        .assignable_staff()
        .await?
        .into_iter()
        .map(|(uid, name)| {
            let id = uid.to_string();
            let selected = id == chosen;
            (id, name, selected)
        })
        .collect();
    let described = [&r.person_name, &r.gender, &r.build, &r.hair, &r.features]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let mut frame = Frame::staff(
        state,
        user,
        &format!("Who is referral {} about?", display_code(&r.code)),
        "/staff/referrals",
    );
    if !typed.errors.is_empty() || !typed.refused.is_empty() {
        frame.error = "Nothing was saved: see below.".into();
    }
    let page = EnrolPage {
        frame,
        csrf: user.csrf.clone(),
        id,
        version: d.version,
        code: display_code(&r.code),
        described,
        can_enrol: d.state.can_move_to(ReferralState::Enrolled),
        state: state_label(d.state),
        query,
        candidates,
        given_name: typed.input.given_name,
        family_name: typed.input.family_name,
        aliases: typed.input.aliases,
        birth_year: typed.input.birth_year,
        consent: typed.input.consent == "yes",
        races: RaceEthnicity::ALL
            .iter()
            .map(|r| {
                (
                    r.code(),
                    r.label(),
                    typed.input.race.iter().any(|t| t == r.code()),
                )
            })
            .collect(),
        race_reason: typed.input.race_reason,
        case_managers,
        can_assign: allowed(user.session.role, Action::WorkAssign).is_some(),
        errors: typed.errors,
        refused: typed.refused,
    };
    Ok((status, render(&page)?).into_response())
}

/// What the enrolment page looks for: the name typed (or the referral's) with the rest of
/// the referral's description.
fn lookup(
    state: &AppState,
    r: &leadhub_store::StoredReferral,
    name: &str,
) -> leadhub_store::Lookup {
    let this_year = state.site.calendar.day_of(leadhub_store::now()).year();
    let looks = [&r.build, &r.hair, &r.features]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    leadhub_store::Lookup {
        name: name.to_owned(),
        born: r
            .age_range
            .parse::<AgeRange>()
            .ok()
            .and_then(|range| range.birth_years(this_year)),
        sex: r.gender.clone().unwrap_or_default(),
        looks,
        places: r.places.clone(),
    }
}

/// GET /staff/referrals/{id}/matches?name=: the possible-matches panel alone, for the
/// enrolment page's script.
pub async fn matches_fragment(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    Query(query): Query<EnrolQuery>,
) -> Result<Response, AppError> {
    let id = referral_id(&id)?;
    let name = query.name().unwrap_or_default();
    let found = state
        .db
        .referral_matches(
            id,
            |referral| lookup(&state, referral, &name),
            super::people::OFFERED,
            &user.session.actor(),
            &user.address,
            leadhub_store::now(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    let fragment = super::people::MatchesFragment {
        id: id.to_string(),
        csrf: user.csrf.clone(),
        version: found.version,
        query: name,
        candidates: found
            .matches
            .into_iter()
            .map(super::people::match_view)
            .collect(),
    };
    Ok(render(&fragment)?.into_response())
}

pub async fn enrol_form(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    Query(query): Query<EnrolQuery>,
) -> Result<Response, AppError> {
    let id = referral_id(&id)?;
    let query = query.name();
    let typed = EnrolTyped {
        input: EnrolmentInput {
            given_name: String::new(),
            ..Default::default()
        },
        query,
        ..Default::default()
    };
    enrol_page(&state, &user, id, typed, StatusCode::OK).await
}

fn refusal_words(refusal: &Refusal) -> (StatusCode, String) {
    match refusal {
        Refusal::Move(e) => (StatusCode::CONFLICT, move_message(e)),
        Refusal::NotAssignable => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose an active case manager.".into(),
        ),
        Refusal::NoSuchParticipant => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "That participant does not exist.".into(),
        ),
        Refusal::AlreadyAssigned
        | Refusal::WrongState(_)
        | Refusal::NoEmail
        | Refusal::Inquiry(_) => (
            StatusCode::CONFLICT,
            "That step does not fit the referral as it is now.".into(),
        ),
    }
}

pub async fn enrol(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, fields, version) = posted(&id, &body)?;
    let mut typed = EnrolTyped {
        input: EnrolmentInput {
            given_name: fields.get("given_name"),
            family_name: fields.get("family_name"),
            aliases: fields.get("aliases"),
            birth_year: fields.get("birth_year"),
            consent: fields.get("consent"),
            race: fields.all("race"),
            race_reason: fields.get("race_reason"),
        },
        // Only the project manager chooses someone else's caseload; anyone else enrolling
        // becomes the case manager themselves, whatever the form says.
        case_manager: if allowed(user.session.role, Action::WorkAssign).is_some() {
            fields.get("case_manager")
        } else {
            user.session.user_id.to_string()
        },
        ..Default::default()
    };
    let now = leadhub_store::now();
    let person = typed.input.parse(now.year());
    let case_manager = typed.case_manager.parse::<UserId>();
    let (Ok(person), Ok(case_manager)) = (&person, &case_manager) else {
        let mut errors = person.err().unwrap_or_default();
        if case_manager.is_err() {
            errors.add("case_manager", FieldError::Choice);
        }
        typed.errors = errors.iter().map(|(f, e)| (f, field_message(e))).collect();
        return enrol_page(&state, &user, id, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let edit = edit(&user, id, version);
    let outcome = state
        .db
        .enrol_from_referral(&edit, person, *case_manager)
        .await?;
    match outcome {
        Triaged::Done(participant) => {
            Ok(Redirect::to(&format!("/staff/participants/{participant}")).into_response())
        }
        Triaged::NotFound => Err(AppError::NotFound),
        Triaged::Stale => {
            typed.refused =
                "Someone changed this referral while you had it open; nothing was saved. \
                 Check the referral, then send again."
                    .into();
            enrol_page(&state, &user, id, typed, StatusCode::CONFLICT).await
        }
        Triaged::Refused(refusal) => {
            let (status, words) = refusal_words(&refusal);
            typed.refused = words;
            enrol_page(&state, &user, id, typed, status).await
        }
    }
}

pub async fn link(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (id, fields, version) = posted(&id, &body)?;
    let Ok(participant) = fields.get("participant").parse::<ParticipantId>() else {
        return Err(AppError::BadRequest);
    };
    let edit = edit(&user, id, version);
    let outcome = state.db.link_referral(&edit, participant).await?;
    match outcome {
        Triaged::Done(()) => Ok(Redirect::to(&format!("/staff/referrals/{id}")).into_response()),
        Triaged::NotFound => Err(AppError::NotFound),
        Triaged::Stale => {
            let typed = EnrolTyped {
                refused: "Someone changed this referral while you had it open; nothing was saved."
                    .into(),
                ..Default::default()
            };
            enrol_page(&state, &user, id, typed, StatusCode::CONFLICT).await
        }
        Triaged::Refused(refusal) => {
            let (status, words) = refusal_words(&refusal);
            let typed = EnrolTyped {
                refused: words,
                ..Default::default()
            };
            enrol_page(&state, &user, id, typed, status).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_time_reads_naturally() {
        assert_eq!(open_time(SignedDuration::from_mins(45)), "45 min");
        assert_eq!(open_time(SignedDuration::from_mins(120)), "2 h");
        assert_eq!(open_time(SignedDuration::from_mins(200)), "3 h 20 min");
        assert_eq!(open_time(SignedDuration::from_mins(-5)), "0 min");
    }

    #[test]
    fn unknown_queue_parameters_fall_back_to_defaults() {
        let q = QueueQuery {
            view: "everything; DROP TABLE".into(),
            door: "back-door".into(),
            state: "closed".into(),
            sort: "random()".into(),
            page: "-3".into(),
        };
        assert_eq!(q.filter(), QueueFilter::default());
        let q = QueueQuery {
            view: "overdue".into(),
            door: "arrest_diversion".into(),
            state: "outreach".into(),
            sort: "oldest".into(),
            page: "2".into(),
        };
        let f = q.filter();
        assert_eq!(f.view, QueueView::Overdue);
        assert_eq!(f.door, Some(Door::ArrestDiversion));
        assert_eq!(f.state, Some(ReferralState::Outreach));
        assert_eq!(f.sort, QueueSort::Oldest);
        assert_eq!(f.page, 2);
    }
}
