//! "Make a referral": the public form, its checks, and the confirmation page.

use askama::Template;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadhub_domain::referral::{AgeRange, ConcernKind, ReferralInput, ReferrerType, TimeOfDay};
use leadhub_domain::{FormErrors, Language, ReferenceCode};

use super::chrome::{Chrome, FormSession, SummaryItem, render};
use super::form::{
    Choice, Limits, Submission, check_the_fields, choices, form_page, received_now, save_failed,
};
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
struct ReferPage {
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
            ReferrerType::ALL
                .iter()
                .map(|t| (t.code(), format!("referrer-{}", t.code()))),
            &one(&input.referrer_type),
        );
        let follow_up = choices(
            tr,
            [
                ("yes", "refer-you-followup-yes".to_owned()),
                ("no", "refer-you-followup-no".to_owned()),
            ],
            &one(&input.follow_up),
        );
        let ages = choices(
            tr,
            AgeRange::ALL
                .iter()
                .map(|a| (a.code(), format!("age-{}", a.code()))),
            &one(&input.age_range),
        );
        let times = choices(
            tr,
            TimeOfDay::ALL
                .iter()
                .map(|t| (t.code(), format!("time-{}", t.code()))),
            &input.times,
        );
        let concerns = choices(
            tr,
            ConcernKind::ALL
                .iter()
                .map(|c| (c.code(), format!("concern-{}", c.code()))),
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

pub async fn show(
    State(state): State<AppState>,
    Locale(lang): Locale,
    parts: Parts,
) -> Result<Response, AppError> {
    let session = FormSession::from_parts(&parts);
    let token = state.forms.issue(&session.cookie);
    let page = ReferPage::new(
        &state,
        lang,
        ReferralInput::default(),
        FormErrors::default(),
        None,
        token,
    );
    form_page(&state, &session, StatusCode::OK, &page)
}

pub async fn submit(
    State(state): State<AppState>,
    Locale(lang): Locale,
    parts: Parts,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let submission = Submission::read(&parts, body)?;
    let input = ReferralInput {
        referrer_type: submission.fields.get("referrer_type"),
        referrer_name: submission.fields.get("referrer_name"),
        referrer_phone: submission.fields.get("referrer_phone"),
        referrer_email: submission.fields.get("referrer_email"),
        follow_up: submission.fields.get("follow_up"),
        person_name: submission.fields.get("person_name"),
        age_range: submission.fields.get("age_range"),
        gender: submission.fields.get("gender"),
        build: submission.fields.get("build"),
        hair: submission.fields.get("hair"),
        features: submission.fields.get("features"),
        places: submission.fields.all("places"),
        places_other: submission.fields.get("places_other"),
        times: submission.fields.all("times"),
        times_other: submission.fields.get("times_other"),
        concerns: submission.fields.all("concerns"),
        concern_text: submission.fields.get("concern_text"),
        safety_notes: submission.fields.get("safety_notes"),
    };
    let again = |status: StatusCode, errors: FormErrors, message: String, input: ReferralInput| {
        let token = state.forms.issue(&submission.session.cookie);
        let page = ReferPage::new(&state, lang, input, errors, Some(message), token);
        form_page(&state, &submission.session, status, &page)
    };
    if let Err((status, message)) = submission.admit(&state, lang) {
        return again(status, FormErrors::default(), message, input);
    }
    match input.parse(&state.site, lang) {
        Err(errors) => {
            let message = check_the_fields(&state, lang);
            again(StatusCode::UNPROCESSABLE_ENTITY, errors, message, input)
        }
        Ok(referral) => {
            let (now, due) = received_now(&state);
            match state.db.submit_referral(&referral, now, due).await {
                Ok(received) => {
                    Ok(Redirect::to(&format!("/refer/received/{}", received.code)).into_response())
                }
                Err(error) => {
                    let (status, message) = save_failed(&state, lang, &error);
                    again(status, FormErrors::default(), message, input)
                }
            }
        }
    }
}

#[derive(Template)]
#[template(path = "refer_done.html")]
struct ReferDonePage {
    chrome: Chrome,
    code: String,
    next: String,
}

pub async fn received(
    State(state): State<AppState>,
    Locale(lang): Locale,
    code: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, AppError> {
    // A path that is not even text cannot name a reference code either.
    let Ok(Path(code)) = code else {
        return Err(AppError::NotFound);
    };
    let code: ReferenceCode = code.parse().map_err(|_| AppError::NotFound)?;
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
    render(&ReferDonePage {
        chrome,
        code: code.to_string(),
        next,
    })
}
