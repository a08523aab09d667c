//! "Contact us": questions and feedback that are not referrals.

use askama::Template;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadhub_domain::inquiry::InquiryInput;
use leadhub_domain::{FormErrors, Language, ReferenceCode};

use super::chrome::{Chrome, FormSession, SummaryItem, render};
use super::form::{
    Choice, Limits, Submission, check_the_fields, form_page, received_now, save_failed,
};
use crate::locale::Locale;
use crate::{AppError, AppState};

/// The form's fields and their labels, in the order they appear.
const LABELS: &[(&str, &str)] = &[
    ("name", "contact-name"),
    ("reach", "contact-reach"),
    ("message", "contact-message"),
    ("preferred_language", "contact-language"),
];

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage {
    chrome: Chrome,
    summary: Vec<SummaryItem>,
    input: InquiryInput,
    errors: FormErrors,
    message: Option<String>,
    token: String,
    limits: Limits,
    languages: Vec<Choice>,
}

impl ContactPage {
    fn new(
        state: &AppState,
        lang: Language,
        input: InquiryInput,
        errors: FormErrors,
        message: Option<String>,
        token: String,
    ) -> Self {
        let mut chrome = Chrome::new(state, lang, "/contact", "contact-title");
        if message.is_some() {
            chrome.mark_error();
        }
        let summary = chrome.summary(&errors, LABELS);
        let selected = if input.preferred_language.is_empty() {
            lang.tag()
        } else {
            input.preferred_language.as_str()
        };
        let mut languages: Vec<Choice> = state
            .site
            .languages
            .iter()
            .map(|l| Choice {
                value: l.tag().to_owned(),
                label: chrome.tr.t(&format!("lang-{}", l.tag())),
                checked: l.tag() == selected,
                lang: l.tag(),
            })
            .collect();
        languages.push(Choice {
            value: "other".into(),
            label: chrome.tr.t("contact-language-other"),
            checked: selected == "other",
            lang: "",
        });
        Self {
            chrome,
            summary,
            input,
            errors,
            message,
            token,
            limits: Limits::default(),
            languages,
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
    let page = ContactPage::new(
        &state,
        lang,
        InquiryInput::default(),
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
    let input = InquiryInput {
        name: submission.fields.get("name"),
        reach: submission.fields.get("reach"),
        message: submission.fields.get("message"),
        preferred_language: submission.fields.get("preferred_language"),
    };
    let again = |status: StatusCode, errors: FormErrors, message: String, input: InquiryInput| {
        let token = state.forms.issue(&submission.session.cookie);
        let page = ContactPage::new(&state, lang, input, errors, Some(message), token);
        form_page(&state, &submission.session, status, &page)
    };
    if let Err((status, message)) = submission.admit(&state, lang) {
        return again(status, FormErrors::default(), message, input);
    }
    match input.parse(lang) {
        Err(errors) => {
            let message = check_the_fields(&state, lang);
            again(StatusCode::UNPROCESSABLE_ENTITY, errors, message, input)
        }
        Ok(inquiry) => {
            let (now, due) = received_now(&state);
            match state.db.submit_inquiry(&inquiry, now, due).await {
                Ok(received) => Ok(
                    Redirect::to(&format!("/contact/received/{}", received.code)).into_response(),
                ),
                Err(error) => {
                    let (status, message) = save_failed(&state, lang, &error);
                    again(status, FormErrors::default(), message, input)
                }
            }
        }
    }
}

#[derive(Template)]
#[template(path = "contact_done.html")]
struct ContactDonePage {
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
    let due = state
        .db
        .inquiry_due(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    let chrome = Chrome::new(
        &state,
        lang,
        &format!("/contact/received/{code}"),
        "contact-done-title",
    );
    let next = chrome
        .tr
        .with("contact-done-body", &[("due", chrome.moment(&state, due))]);
    render(&ContactDonePage {
        chrome,
        code: code.to_string(),
        next,
    })
}
