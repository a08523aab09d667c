//! The public forms' shared flow: show a form; on submission admit it (CSRF, bots, rate limit),
//! parse it, store it and redirect to its confirmation, or show it again with everything typed
//! and the reason. Each form says only what differs (`PublicForm`).

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::calendar::{from_offset_date_time, to_offset_date_time};
use leadhub_domain::text::limits;
use leadhub_domain::{FormErrors, Language, ReferenceCode};
use leadhub_store::StoreError;
use time::OffsetDateTime;

use super::chrome::{FormSession, client_ip, render};
use crate::forms::{CSRF_COOKIE, FormFields, HONEYPOT_FIELD, Refusal, TOKEN_FIELD};
use crate::locale::{Locale, cookie};
use crate::{AppError, AppState};

/// What differs between public forms.
pub trait PublicForm: 'static {
    /// The form as typed.
    type Input: Default + Send;
    /// A valid submission.
    type Valid: Send + Sync;
    type Page: askama::Template;

    fn read(fields: &FormFields) -> Self::Input;

    /// The form as first shown, from the page's query string (a link may fill a field in).
    fn prefill(_query: &FormFields) -> Self::Input {
        Self::Input::default()
    }

    fn page(
        state: &AppState,
        lang: Language,
        input: Self::Input,
        errors: FormErrors,
        message: Option<String>,
        token: String,
    ) -> Self::Page;

    fn parse(
        state: &AppState,
        lang: Language,
        input: &Self::Input,
    ) -> Result<Self::Valid, FormErrors>;

    /// Stores a valid submission received at `now`, due at `due`.
    fn store(
        state: &AppState,
        valid: &Self::Valid,
        now: OffsetDateTime,
        due: OffsetDateTime,
    ) -> impl Future<Output = Result<Stored, StoreError>> + Send;
}

/// How storing a valid submission ended.
pub enum Stored {
    /// Stored: the path of its confirmation.
    Confirmation(String),
    /// Refused for what only the store can tell (a reference code no record has): nothing
    /// was stored, and the form is shown again with these fields marked.
    Refused(FormErrors),
}

/// `GET` of a public form.
pub async fn show<F: PublicForm>(
    State(state): State<AppState>,
    Locale(lang): Locale,
    parts: Parts,
) -> Result<Response, AppError> {
    let state = &state;
    let session = FormSession::from_parts(&parts);
    let token = state.forms.issue(&session.cookie);
    let query = FormFields::parse(parts.uri.query().unwrap_or_default().as_bytes());
    let page = F::page(
        state,
        lang,
        F::prefill(&query),
        FormErrors::default(),
        None,
        token,
    );
    form_page(state, &session, StatusCode::OK, &page)
}

/// `POST` of a public form.
pub async fn submit<F: PublicForm>(
    State(state): State<AppState>,
    Locale(lang): Locale,
    parts: Parts,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let state = &state;
    let submission = Submission::read(&parts, body)?;
    let input = F::read(&submission.fields);
    let again = |status: StatusCode, errors: FormErrors, message: String, input: F::Input| {
        let token = state.forms.issue(&submission.session.cookie);
        let page = F::page(state, lang, input, errors, Some(message), token);
        form_page(state, &submission.session, status, &page)
    };
    if let Err((status, message)) = submission.admit(state, lang) {
        return again(status, FormErrors::default(), message, input);
    }
    let valid = match F::parse(state, lang, &input) {
        Ok(valid) => valid,
        Err(errors) => {
            return again(
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                check_the_fields(state, lang),
                input,
            );
        }
    };
    let (now, due) = received_now(state);
    match F::store(state, &valid, now, due).await {
        Ok(Stored::Confirmation(path)) => Ok(Redirect::to(&path).into_response()),
        Ok(Stored::Refused(errors)) => again(
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            check_the_fields(state, lang),
            input,
        ),
        Err(error) => {
            let (status, message) = save_failed(state, lang, &error);
            again(status, FormErrors::default(), message, input)
        }
    }
}

/// One option of a radio or checkbox group, as shown.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
    /// The label's language when it differs from the page's (language names), else "".
    pub lang: &'static str,
}

/// A form page, shown first or again, with the browser's form cookie set or renewed.
fn form_page(
    state: &AppState,
    session: &FormSession,
    status: StatusCode,
    page: &impl askama::Template,
) -> Result<Response, AppError> {
    let cookie = session.headers(state.config.https, state.config.max_form_age);
    Ok((status, cookie, render(page)?).into_response())
}

/// The message above a form whose fields need attention.
fn check_the_fields(state: &AppState, lang: Language) -> String {
    crate::Tr::new(state.i18n.clone(), lang).t("form-has-errors")
}

/// Now, and when an answer to something received now is due.
fn received_now(state: &AppState) -> (OffsetDateTime, OffsetDateTime) {
    let now = leadhub_store::now();
    let due = state.site.calendar.due(
        from_offset_date_time(now),
        state.site.response_business_days,
    );
    (now, to_offset_date_time(due))
}

/// A form that passed every check could not be stored: say so, keep what was typed, and ask
/// for a resend. Logged once here; the error text holds no form content.
fn save_failed(state: &AppState, lang: Language, error: &StoreError) -> (StatusCode, String) {
    tracing::error!(%error, "a public form could not be stored");
    let tr = crate::Tr::new(state.i18n.clone(), lang);
    (
        StatusCode::SERVICE_UNAVAILABLE,
        tr.with("error-save-failed", &[("phone", state.site.phone.clone())]),
    )
}

/// Options whose labels are the messages `{prefix}{code}`, checked where `selected` says so.
pub fn choices<'a>(
    tr: &crate::Tr,
    prefix: &str,
    codes: impl IntoIterator<Item = &'a str>,
    selected: &[String],
) -> Vec<Choice> {
    codes
        .into_iter()
        .map(|code| Choice {
            value: code.to_owned(),
            label: tr.t(&format!("{prefix}{code}")),
            checked: selected.iter().any(|s| s == code),
            lang: "",
        })
        .collect()
}

/// The reference code a confirmation page's path names; anything else is not found (a path
/// that is not even text cannot name one either).
pub fn reference_code(
    path: Result<Path<String>, PathRejection>,
) -> Result<ReferenceCode, AppError> {
    let Ok(Path(code)) = path else {
        return Err(AppError::NotFound);
    };
    code.parse().map_err(|_| AppError::NotFound)
}

/// Field limits, for `maxlength` attributes that agree with the server's checks.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub name: usize,
    pub phone: usize,
    pub email: usize,
    pub short: usize,
    pub description: usize,
    pub long: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            name: limits::NAME,
            phone: limits::PHONE,
            email: limits::EMAIL,
            short: limits::SHORT,
            description: limits::DESCRIPTION,
            long: limits::LONG,
        }
    }
}

/// A posted form's fields, or the error its body earned (too large, or not readable).
pub fn read_fields(body: Result<Bytes, BytesRejection>) -> Result<FormFields, AppError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest
        }
    })?;
    Ok(FormFields::parse(&body))
}

/// A posted public form.
pub struct Submission<'a> {
    pub fields: FormFields,
    pub session: FormSession,
    parts: &'a Parts,
}

impl<'a> Submission<'a> {
    pub fn read(parts: &'a Parts, body: Result<Bytes, BytesRejection>) -> Result<Self, AppError> {
        Ok(Self {
            fields: read_fields(body)?,
            session: FormSession::from_parts(parts),
            parts,
        })
    }

    /// Whether the submission may be looked at: a genuine form of ours, filled in by a person,
    /// from a client within its rate limit. `Err` holds the status and the message to show.
    pub fn admit(&self, state: &AppState, lang: Language) -> Result<(), (StatusCode, String)> {
        let tr = crate::Tr::new(state.i18n.clone(), lang);
        let checked = state.forms.check(
            cookie(self.parts, CSRF_COOKIE),
            &self.fields.get(TOKEN_FIELD),
            &self.fields.get(HONEYPOT_FIELD),
        );
        if let Err(refusal) = checked {
            let status = if refusal == Refusal::Csrf {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            tracing::info!(?refusal, "public form refused");
            return Err((status, tr.t(refusal.message_key())));
        }
        if let Err(wait) = state
            .limiter
            .check(client_ip(self.parts, state.config.trust_forwarded_for))
        {
            let minutes = wait.as_secs().div_ceil(60).max(1);
            tracing::info!("public form rate-limited");
            let message = tr.with(
                "error-rate-limited",
                &[
                    ("minutes", minutes.to_string()),
                    ("phone", state.site.phone.clone()),
                ],
            );
            return Err((StatusCode::TOO_MANY_REQUESTS, message));
        }
        Ok(())
    }
}
