//! "Contact us": questions and feedback that are not referrals.

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Html;
use leadhub_domain::inquiry::{InquiryInput, NewInquiry};
use leadhub_domain::{FormErrors, Language};
use leadhub_store::StoreError;
use time::OffsetDateTime;

use super::chrome::{Chrome, SummaryItem, render};
use super::form::{Choice, Limits, PublicForm, Stored, reference_code};
use crate::forms::FormFields;
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
pub struct ContactPage {
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

/// The contact form.
pub struct ContactForm;

impl PublicForm for ContactForm {
    type Input = InquiryInput;
    type Valid = NewInquiry;
    type Page = ContactPage;

    fn read(fields: &FormFields) -> InquiryInput {
        InquiryInput {
            name: fields.get("name"),
            reach: fields.get("reach"),
            message: fields.get("message"),
            preferred_language: fields.get("preferred_language"),
        }
    }

    fn page(
        state: &AppState,
        lang: Language,
        input: InquiryInput,
        errors: FormErrors,
        message: Option<String>,
        token: String,
    ) -> ContactPage {
        ContactPage::new(state, lang, input, errors, message, token)
    }

    fn parse(_: &AppState, lang: Language, input: &InquiryInput) -> Result<NewInquiry, FormErrors> {
        input.parse(lang)
    }

    async fn store(
        state: &AppState,
        inquiry: &NewInquiry,
        now: OffsetDateTime,
        due: OffsetDateTime,
    ) -> Result<Stored, StoreError> {
        let received = state.db.submit_inquiry(inquiry, now, due).await?;
        Ok(Stored::Confirmation(format!(
            "/contact/received/{}",
            received.code
        )))
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
    let code = reference_code(code)?;
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
