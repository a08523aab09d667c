//! "Make a referral": the public form, its checks, and the confirmation page.

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Html;
use leadhub_domain::referral::Door;
use leadhub_domain::referral::{
    AgeRange, ConcernKind, NewReferral, ReferralInput, ReferrerType, TimeOfDay,
};
use leadhub_domain::triage::PublicStatus;
use leadhub_domain::{FormErrors, Language};
use leadhub_store::StoreError;
use time::OffsetDateTime;

use super::chrome::{Chrome, SummaryItem, render};
use super::form::{Choice, Limits, PublicForm, Stored, choices, reference_code};
use crate::forms::FormFields;
use crate::locale::Locale;
use crate::{AppError, AppState};

/// The form's fields and their labels, in the order they appear.
const LABELS: &[(&str, &str)] = &[
    ("person_name", "refer-person-name"),
    ("age_range", "refer-person-age"),
    ("gender", "refer-person-gender"),
    ("build", "refer-person-build"),
    ("hair", "refer-person-hair"),
    ("features", "refer-person-features"),
    ("places", "refer-places"),
    ("places_other", "refer-places-other"),
    ("times", "refer-times"),
    ("times_other", "refer-times-other"),
    ("concerns", "refer-concern-kinds"),
    ("concern_text", "refer-concern-text"),
    ("safety_notes", "refer-safety"),
    ("referrer_type", "refer-you-type"),
    ("referrer_name", "refer-you-name"),
    ("referrer_phone", "refer-you-phone"),
    ("referrer_email", "refer-you-email"),
    ("follow_up", "refer-you-followup"),
];

#[derive(Template)]
#[template(path = "refer.html")]
pub struct ReferPage {
    chrome: Chrome,
    summary: Vec<SummaryItem>,
    input: ReferralInput,
    errors: FormErrors,
    message: Option<String>,
    token: String,
    limits: Limits,
    referrer_types: Vec<Choice>,
    follow_up: Vec<Choice>,
    ages: Vec<Choice>,
    places: Vec<Choice>,
    times: Vec<Choice>,
    concerns: Vec<Choice>,
}

impl ReferPage {
    fn new(
        state: &AppState,
        lang: Language,
        input: ReferralInput,
        errors: FormErrors,
        message: Option<String>,
        token: String,
    ) -> Self {
        let mut chrome = Chrome::new(state, lang, "/refer", "refer-title");
        if message.is_some() {
            chrome.mark_error();
        }
        let summary = chrome.summary(&errors, LABELS);
        let tr = &chrome.tr;
        let one = |v: &str| vec![v.to_owned()];
        let referrer_types = choices(
            tr,
            "referrer-",
            ReferrerType::ALL.iter().map(|t| t.code()),
            &one(&input.referrer_type),
        );
        let follow_up = choices(
            tr,
            "refer-you-followup-",
            ["yes", "no"],
            &one(&input.follow_up),
        );
        let ages = choices(
            tr,
            "age-",
            AgeRange::ALL.iter().map(|a| a.code()),
            &one(&input.age_range),
        );
        let times = choices(
            tr,
            "time-",
            TimeOfDay::ALL.iter().map(|t| t.code()),
            &input.times,
        );
        let concerns = choices(
            tr,
            "concern-",
            ConcernKind::ALL.iter().map(|c| c.code()),
            &input.concerns,
        );
        let places = state
            .site
            .places
            .iter()
            .map(|p| Choice {
                value: p.key.clone(),
                label: p.name.clone(),
                checked: input.places.contains(&p.key),
                lang: "",
            })
            .collect();
        Self {
            chrome,
            summary,
            input,
            errors,
            message,
            token,
            limits: Limits::default(),
            referrer_types,
            follow_up,
            ages,
            places,
            times,
            concerns,
        }
    }

    fn error(&self, field: &str) -> String {
        self.chrome.error_for(&self.errors, field)
    }
}

/// The referral form.
pub struct ReferralForm;

impl PublicForm for ReferralForm {
    type Input = ReferralInput;
    type Valid = NewReferral;
    type Page = ReferPage;

    fn read(fields: &FormFields) -> ReferralInput {
        ReferralInput {
            referrer_type: fields.get("referrer_type"),
            referrer_name: fields.get("referrer_name"),
            referrer_phone: fields.get("referrer_phone"),
            referrer_email: fields.get("referrer_email"),
            follow_up: fields.get("follow_up"),
            person_name: fields.get("person_name"),
            age_range: fields.get("age_range"),
            gender: fields.get("gender"),
            build: fields.get("build"),
            hair: fields.get("hair"),
            features: fields.get("features"),
            places: fields.all("places"),
            places_other: fields.get("places_other"),
            times: fields.all("times"),
            times_other: fields.get("times_other"),
            concerns: fields.all("concerns"),
            concern_text: fields.get("concern_text"),
            safety_notes: fields.get("safety_notes"),
        }
    }

    fn page(
        state: &AppState,
        lang: Language,
        input: ReferralInput,
        errors: FormErrors,
        message: Option<String>,
        token: String,
    ) -> ReferPage {
        ReferPage::new(state, lang, input, errors, message, token)
    }

    fn parse(
        state: &AppState,
        lang: Language,
        input: &ReferralInput,
    ) -> Result<NewReferral, FormErrors> {
        input.parse(&state.site, lang)
    }

    async fn store(
        state: &AppState,
        referral: &NewReferral,
        now: OffsetDateTime,
        due: OffsetDateTime,
    ) -> Result<Stored, StoreError> {
        let received = state.db.submit_referral(referral, now, due).await?;
        Ok(Stored::Confirmation(format!(
            "/refer/received/{}",
            received.code
        )))
    }
}

#[derive(Template)]
#[template(path = "refer_done.html")]
struct ReferDonePage {
    chrome: Chrome,
    code: String,
    next: String,
    status: String,
}

pub async fn received(
    State(state): State<AppState>,
    Locale(lang): Locale,
    code: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, AppError> {
    let code = reference_code(code)?;
    let receipt = state
        .db
        .referral_receipt(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    let chrome = Chrome::new(
        &state,
        lang,
        &format!("/refer/received/{code}"),
        "refer-done-title",
    );
    let due = chrome.moment(&state, receipt.due_at);
    let key = if receipt.wants_follow_up {
        "refer-done-followup"
    } else {
        "refer-done-no-followup"
    };
    let next = chrome.tr.with(key, &[("due", due)]);
    // Received, being worked on or closed: nothing about the person, nor whether LEAD knew them.
    // Only for referrals from the public: an officer holding an arrest diversion's code must
    // not learn from here how the person's case goes.
    let public_door = matches!(receipt.door, Door::Community | Door::SelfReferral);
    let status = if public_door {
        chrome.tr.t(match PublicStatus::of(receipt.state) {
            PublicStatus::Received => "refer-status-received",
            PublicStatus::BeingWorked => "refer-status-being-worked",
            PublicStatus::Closed => "refer-status-closed",
        })
    } else {
        String::new()
    };
    render(&ReferDonePage {
        chrome,
        code: code.to_string(),
        next,
        status,
    })
}
