//! "Contact us": questions and feedback that are not referrals.

use askama::Template;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadhub_domain::calendar::{from_offset_date_time, to_offset_date_time};
use leadhub_domain::inquiry::InquiryInput;
use leadhub_domain::{FormErrors, Language, ReferenceCode};

use super::chrome::{Chrome, FormSession, render};
use super::form::{Choice, Limits, Submission};
use crate::locale::Locale;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage {
    chrome: Chrome,
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
        let chrome = Chrome::new(state, lang, "/contact", "contact-title");
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
            })
            .collect();
        languages.push(Choice {
            value: "other".into(),
            label: chrome.tr.t("contact-language-other"),
            checked: selected == "other",
        });
        Self {
            chrome,
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
    Ok((session.headers(state.config.https), render(&page)?).into_response())
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
    let again = |status: StatusCode,
                 errors: FormErrors,
                 message: String,
                 input: InquiryInput|
     -> Result<Response, AppError> {
        let token = state.forms.issue(&submission.session.cookie);
        let page = ContactPage::new(&state, lang, input, errors, Some(message), token);
        Ok((
            status,
            submission.session.headers(state.config.https),
            render(&page)?,
        )
            .into_response())
    };
    if let Err((status, message)) = submission.admit(&state, lang) {
        return again(status, FormErrors::default(), message, input);
    }
    match input.parse(lang) {
        Err(errors) => {
            let message = Chrome::new(&state, lang, "/contact", "contact-title")
                .tr
                .t("form-has-errors");
            again(StatusCode::UNPROCESSABLE_ENTITY, errors, message, input)
        }
        Ok(inquiry) => {
            let now = leadhub_store::now();
            let due = state.site.calendar.due(
                from_offset_date_time(now),
                state.site.response_business_days,
            );
            let received = state
                .db
                .submit_inquiry(&inquiry, now, to_offset_date_time(due))
                .await?;
            Ok(Redirect::to(&format!("/contact/received/{}", received.code)).into_response())
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
