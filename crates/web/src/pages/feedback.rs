//! "How did your referral go?": the public feedback form and its thank-you page. The form
//! asks for no name and no way to reach the sender; a reference code links the feedback to
//! its referral, for the project manager only.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use leadhub_domain::ReferenceCode;
use leadhub_domain::feedback::{Answered, FeedbackInput, NewFeedback, Rating, UNSAID};
use leadhub_domain::referral::ReferrerType;
use leadhub_domain::text::FieldError;
use leadhub_domain::{FormErrors, Language};
use leadhub_store::{FeedbackSent, StoreError};
use time::OffsetDateTime;

use super::chrome::{Chrome, SummaryItem, render};
use super::form::{Choice, Limits, PublicForm, Stored, choices};
use crate::forms::FormFields;
use crate::locale::Locale;
use crate::{AppError, AppState};

/// The form's fields and their labels, in the order they appear.
const LABELS: &[(&str, &str)] = &[
    ("code", "feedback-code"),
    ("answered", "feedback-answered"),
    ("rating", "feedback-rating"),
    ("respondent", "refer-you-type"),
    ("comment", "feedback-comment"),
];

#[derive(Template)]
#[template(path = "feedback.html")]
pub struct FeedbackPage {
    chrome: Chrome,
    summary: Vec<SummaryItem>,
    input: FeedbackInput,
    errors: FormErrors,
    message: Option<String>,
    token: String,
    limits: Limits,
    answered: Vec<Choice>,
    ratings: Vec<Choice>,
    respondents: Vec<Choice>,
}

impl FeedbackPage {
    fn error(&self, field: &str) -> String {
        self.chrome.error_for(&self.errors, field)
    }
}

/// The feedback form.
pub struct FeedbackForm;

impl PublicForm for FeedbackForm {
    type Input = FeedbackInput;
    type Valid = NewFeedback;
    type Page = FeedbackPage;

    fn read(fields: &FormFields) -> FeedbackInput {
        FeedbackInput {
            code: fields.get("code"),
            respondent: fields.get("respondent"),
            answered: fields.get("answered"),
            rating: fields.get("rating"),
            comment: fields.get("comment"),
        }
    }

    /// The confirmation page links here with its code, so nobody has to copy it.
    fn prefill(query: &FormFields) -> FeedbackInput {
        FeedbackInput {
            code: query.get("code"),
            ..FeedbackInput::default()
        }
    }

    fn page(
        state: &AppState,
        lang: Language,
        input: FeedbackInput,
        errors: FormErrors,
        message: Option<String>,
        token: String,
    ) -> FeedbackPage {
        // Switching language keeps a code that came with the link (a code is letters and
        // digits only, so it is safe in the path it travels in).
        let path = match input.code.trim().parse::<ReferenceCode>() {
            Ok(code) => format!("/feedback?code={}", code.as_str()),
            Err(_) => "/feedback".to_owned(),
        };
        let mut chrome = Chrome::new(state, lang, &path, "feedback-title");
        if message.is_some() {
            chrome.mark_error();
        }
        let summary = chrome.summary(&errors, LABELS);
        let tr = &chrome.tr;
        let one = |v: &str| vec![v.to_owned()];
        let answered = choices(
            tr,
            "feedback-answered-",
            Answered::ALL.iter().map(|a| a.code()),
            &one(&input.answered),
        );
        let ratings = choices(
            tr,
            "feedback-rating-",
            Rating::ALL.iter().map(|r| r.code()),
            &one(&input.rating),
        );
        let mut respondents = choices(
            tr,
            "referrer-",
            ReferrerType::ALL.iter().map(|t| t.code()),
            &one(&input.respondent),
        );
        respondents.push(Choice {
            value: UNSAID.to_owned(),
            label: tr.t("feedback-respondent-unsaid"),
            checked: input.respondent == UNSAID,
            lang: "",
        });
        FeedbackPage {
            chrome,
            summary,
            input,
            errors,
            message,
            token,
            limits: Limits::default(),
            answered,
            ratings,
            respondents,
        }
    }

    fn parse(
        _state: &AppState,
        lang: Language,
        input: &FeedbackInput,
    ) -> Result<NewFeedback, FormErrors> {
        input.parse(lang)
    }

    async fn store(
        state: &AppState,
        feedback: &NewFeedback,
        now: OffsetDateTime,
        _due: OffsetDateTime,
    ) -> Result<Stored, StoreError> {
        Ok(match state.db.submit_feedback(feedback, now).await? {
            FeedbackSent::Received(_) => Stored::Confirmation("/feedback/thanks".into()),
            FeedbackSent::UnknownCode => {
                let mut errors = FormErrors::default();
                errors.add("code", FieldError::UnknownCode);
                Stored::Refused(errors)
            }
        })
    }
}

#[derive(Template)]
#[template(path = "feedback_done.html")]
struct FeedbackDonePage {
    chrome: Chrome,
}

pub async fn thanks(
    State(state): State<AppState>,
    Locale(lang): Locale,
) -> Result<Html<String>, AppError> {
    render(&FeedbackDonePage {
        chrome: Chrome::new(&state, lang, "/feedback/thanks", "feedback-done-title"),
    })
}
