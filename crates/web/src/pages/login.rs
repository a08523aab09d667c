//! Signing in (`/login`, `/login/code`) and setting up an account from an invitation
//! (`/enrol/{token}`). These pages are outside the staff guard: they are how one gets past it.
//! Their forms carry the public forms' cookie-bound token (CSRF) without the fill-time check,
//! since password managers fill them at once.

use askama::Template;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::credentials::{
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, NewPassword, PasswordProblem, Token,
};
use leadhub_store::{Client, Enrolled, SecondFactor, SignIn, Stage};
use serde::Deserialize;

use super::chrome::{FormSession, render};
use super::form::read_fields;
use super::staff::Frame;
use crate::auth::{client_of, redirect_with_session, safe_next, session_token};
use crate::forms::{CSRF_COOKIE, FormFields};
use crate::locale::cookie;
use crate::{AppError, AppState};

const TOKEN_FIELD: &str = "form_token";

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage {
    frame: Frame,
    form_token: String,
    next: String,
    email: String,
}

#[derive(Template)]
#[template(path = "staff/code.html")]
struct CodePage {
    frame: Frame,
    form_token: String,
    next: String,
}

#[derive(Template)]
#[template(path = "staff/enrol.html")]
struct EnrolPage {
    frame: Frame,
    form_token: String,
    token: String,
    name: String,
    email: String,
    role: String,
    expires: String,
    needs_code: bool,
    min_password: usize,
    qr_svg: String,
    secret: String,
    password_error: String,
    code_error: String,
}

#[derive(Template)]
#[template(path = "staff/enrolled.html")]
struct EnrolledPage {
    frame: Frame,
    codes: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/message.html")]
pub struct MessagePage {
    pub frame: Frame,
    pub message: String,
    pub link: String,
    pub link_label: String,
}

/// A page with its form cookie (set or renewed), and a status.
fn with_form_cookie(
    state: &AppState,
    session: &FormSession,
    status: StatusCode,
    html: axum::response::Html<String>,
) -> Response {
    let headers: HeaderMap = session.headers(state.config.https, state.config.max_form_age);
    (status, headers, html).into_response()
}

/// The form's token must have been issued to this browser's form cookie.
fn origin_ok(state: &AppState, parts: &Parts, fields: &FormFields) -> bool {
    state
        .forms
        .check_origin(cookie(parts, CSRF_COOKIE), &fields.get(TOKEN_FIELD))
        .is_ok()
}

fn login_page(
    state: &AppState,
    parts: &Parts,
    status: StatusCode,
    email: String,
    next: &str,
    error: String,
) -> Result<Response, AppError> {
    let session = FormSession::from_parts(parts);
    let mut frame = Frame::public(state, "Sign in");
    frame.error = error;
    let page = LoginPage {
        frame,
        form_token: state.forms.issue(&session.cookie),
        next: safe_next(next),
        email,
    };
    Ok(with_form_cookie(state, &session, status, render(&page)?))
}

pub async fn show_login(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    // Already signed in: straight on.
    if let Some(token) = session_token(&parts)
        && let Some(user) = state
            .db
            .session(&token, leadhub_store::now(), state.config.session)
            .await?
        && user.stage == Stage::Active
    {
        return Ok(Redirect::to(&safe_next(&query.next)).into_response());
    }
    login_page(
        &state,
        &parts,
        StatusCode::OK,
        String::new(),
        &query.next,
        String::new(),
    )
}

fn wait_message(wait: std::time::Duration) -> String {
    let seconds = wait.as_secs().max(1);
    if seconds < 120 {
        format!("Too many tries. Wait {seconds} seconds, then try again.")
    } else {
        format!(
            "Too many tries. Wait {} minutes, then try again.",
            seconds.div_ceil(60)
        )
    }
}

pub async fn submit_login(
    State(state): State<AppState>,
    parts: Parts,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let fields = read_fields(body)?;
    let email = fields.get("email");
    let next = fields.get("next");
    if !origin_ok(&state, &parts, &fields) {
        let message = "This form had expired. Please sign in again.".to_owned();
        return login_page(&state, &parts, StatusCode::FORBIDDEN, email, &next, message);
    }
    let (address, agent) = client_of(&parts, &state);
    let client = Client {
        address: &address,
        agent: &agent,
    };
    let answer = state
        .db
        .sign_in(
            &email,
            &fields.get("password"),
            client,
            leadhub_store::now(),
            state.config.session,
        )
        .await?;
    let next = safe_next(&next);
    let secure = state.config.https;
    match answer {
        SignIn::SignedIn(token) => Ok(redirect_with_session(&next, &token, secure)),
        SignIn::SecondFactor(token) => {
            let to = format!("/login/code?next={}", encode(&next));
            Ok(redirect_with_session(&to, &token, secure))
        }
        SignIn::Wrong => {
            let message = "That email and password do not match an active account.".to_owned();
            login_page(
                &state,
                &parts,
                StatusCode::UNAUTHORIZED,
                email,
                &next,
                message,
            )
        }
        SignIn::Wait(wait) => login_page(
            &state,
            &parts,
            StatusCode::TOO_MANY_REQUESTS,
            email,
            &next,
            wait_message(wait),
        ),
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn code_page(
    state: &AppState,
    parts: &Parts,
    status: StatusCode,
    next: &str,
    error: String,
) -> Result<Response, AppError> {
    let session = FormSession::from_parts(parts);
    let mut frame = Frame::public(state, "Second step: code from your app");
    frame.error = error;
    let page = CodePage {
        frame,
        form_token: state.forms.issue(&session.cookie),
        next: safe_next(next),
    };
    Ok(with_form_cookie(state, &session, status, render(&page)?))
}

pub async fn show_code(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    if session_token(&parts).is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    code_page(&state, &parts, StatusCode::OK, &query.next, String::new())
}

pub async fn submit_code(
    State(state): State<AppState>,
    parts: Parts,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let fields = read_fields(body)?;
    let next = fields.get("next");
    if !origin_ok(&state, &parts, &fields) {
        let message = "This form had expired. Please type the code again.".to_owned();
        return code_page(&state, &parts, StatusCode::FORBIDDEN, &next, message);
    }
    let Some(token) = session_token(&parts) else {
        return start_again(&state);
    };
    let (address, agent) = client_of(&parts, &state);
    let client = Client {
        address: &address,
        agent: &agent,
    };
    let answer = state
        .db
        .second_factor(
            &token,
            &fields.get("code"),
            client,
            leadhub_store::now(),
            state.config.session,
        )
        .await?;
    match answer {
        SecondFactor::SignedIn(token) => Ok(redirect_with_session(
            &safe_next(&next),
            &token,
            state.config.https,
        )),
        SecondFactor::Wrong => code_page(
            &state,
            &parts,
            StatusCode::UNAUTHORIZED,
            &next,
            "That code is not right, or was already used. Type the code your app shows now.".into(),
        ),
        SecondFactor::Wait(wait) => code_page(
            &state,
            &parts,
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            wait_message(wait),
        ),
        SecondFactor::Expired => start_again(&state),
    }
}

fn start_again(state: &AppState) -> Result<Response, AppError> {
    let page = MessagePage {
        frame: Frame::public(state, "Sign in again"),
        message: "That sign-in took too long or has ended. Please start again.".into(),
        link: "/login".into(),
        link_label: "Sign in".into(),
    };
    Ok((StatusCode::UNAUTHORIZED, render(&page)?).into_response())
}

/// An unknown, used or expired set-up link: a plain 404, recorded (someone may be trying
/// links).
async fn link_gone(state: &AppState, parts: &Parts) -> Result<Response, AppError> {
    let (address, _) = client_of(parts, state);
    state
        .db
        .record_refusal(None, "/enrol/{token}", "unknown_or_expired_link", &address)
        .await?;
    let page = MessagePage {
        frame: Frame::public(state, "This link no longer works"),
        message: format!(
            "Set-up links work once and for {} hours. Ask your administrator for a new one.",
            leadhub_store::ENROLMENT_LIFETIME.as_secs() / 3600
        ),
        link: String::new(),
        link_label: String::new(),
    };
    Ok((StatusCode::NOT_FOUND, render(&page)?).into_response())
}

fn qr_svg(data: &str) -> String {
    use qrcode::render::svg;
    qrcode::QrCode::new(data.as_bytes())
        .map(|code| {
            code.render::<svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
async fn enrol_page(
    state: &AppState,
    parts: &Parts,
    token: &Token,
    status: StatusCode,
    error: String,
    password_error: String,
    code_error: String,
) -> Result<Response, AppError> {
    let now = leadhub_store::now();
    let Some(pending) = state.db.pending_enrolment(token, now).await? else {
        return link_gone(state, parts).await;
    };
    let session = FormSession::from_parts(parts);
    let mut frame = Frame::public(state, "Set up your account");
    frame.error = error;
    let issuer = format!("leadhub {}", state.site.name);
    let uri = pending.totp_secret.otpauth_uri(&issuer, &pending.email);
    let page = EnrolPage {
        frame,
        form_token: state.forms.issue(&session.cookie),
        token: token.as_str().to_owned(),
        expires: super::staff::moment(state, pending.expires_at),
        needs_code: pending.role.sees_personal_data(),
        min_password: MIN_PASSWORD_CHARS,
        qr_svg: qr_svg(&uri),
        secret: pending.totp_secret.base32(),
        name: pending.name,
        email: pending.email,
        role: pending.role.to_string(),
        password_error,
        code_error,
    };
    Ok(with_form_cookie(state, &session, status, render(&page)?))
}

pub async fn show_enrol(
    State(state): State<AppState>,
    parts: Parts,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some(token) = Token::parse(&token) else {
        return link_gone(&state, &parts).await;
    };
    enrol_page(
        &state,
        &parts,
        &token,
        StatusCode::OK,
        String::new(),
        String::new(),
        String::new(),
    )
    .await
}

pub async fn submit_enrol(
    State(state): State<AppState>,
    parts: Parts,
    Path(token): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let Some(token) = Token::parse(&token) else {
        return link_gone(&state, &parts).await;
    };
    let fields = read_fields(body)?;
    let refuse = |status, error: &str, password: String, code: String| {
        enrol_page(
            &state,
            &parts,
            &token,
            status,
            error.to_owned(),
            password,
            code,
        )
    };
    if !origin_ok(&state, &parts, &fields) {
        return refuse(
            StatusCode::FORBIDDEN,
            "This form had expired. Please fill it in again.",
            String::new(),
            String::new(),
        )
        .await;
    }
    let now = leadhub_store::now();
    let Some(pending) = state.db.pending_enrolment(&token, now).await? else {
        return link_gone(&state, &parts).await;
    };
    let password = fields.get("password");
    let parsed = NewPassword::parse(
        &password,
        &fields.get("repeat"),
        &[pending.name.as_str(), pending.email.as_str()],
    );
    let password = match parsed {
        Ok(p) => p,
        Err(problem) => {
            let text = password_problem(problem);
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Please choose another password.",
                text,
                String::new(),
            )
            .await;
        }
    };
    let (address, agent) = client_of(&parts, &state);
    let client = Client {
        address: &address,
        agent: &agent,
    };
    match state
        .db
        .complete_enrolment(&token, &password, &fields.get("code"), client, now)
        .await?
    {
        Enrolled::Done(codes) => {
            let page = EnrolledPage {
                frame: Frame::public(&state, "Your account is ready"),
                codes: codes.iter().map(ToString::to_string).collect(),
            };
            Ok(render(&page)?.into_response())
        }
        Enrolled::WrongCode => {
            refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The code from the app did not match. Check the app shows leadhub, then type its current code (and your password again).",
                String::new(),
                "Type the six digits the app shows now.".into(),
            )
            .await
        }
        Enrolled::Expired => link_gone(&state, &parts).await,
    }
}

fn password_problem(problem: PasswordProblem) -> String {
    match problem {
        PasswordProblem::TooShort => format!("Use at least {MIN_PASSWORD_CHARS} characters."),
        PasswordProblem::TooLong => format!("Use at most {MAX_PASSWORD_CHARS} characters."),
        PasswordProblem::Mismatch => "The two passwords are not the same.".into(),
        PasswordProblem::Guessable => "This password is common or easy to guess (for example, it contains your name or a well-known password). A few unrelated words together make a strong one.".into(),
    }
}
