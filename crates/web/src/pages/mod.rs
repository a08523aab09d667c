//! Pages, one module per area; each page is a typed askama template.

mod bookings;
mod casework;
mod charts;
pub mod chrome;
mod community;
mod contact;
mod dashboard;
mod feedback;
mod form;
mod inquiries;
mod inside;
mod legal;
mod login;
mod outcomes;
mod owg;
mod participants;
mod people;
mod plan;
mod policy;
mod public;
mod refer;
mod referrals;
pub mod results;
pub mod staff;
mod typed;

pub use casework::current_month;

use axum::Router;
use axum::routing::get;

use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(public::home))
        .route("/about", get(public::about))
        .route("/fits", get(public::fits))
        .route("/governance", get(public::governance))
        .route("/reach", get(public::reach))
        .route("/privacy", get(public::privacy))
        .route("/data", get(results::data_page))
        .route("/data.json", get(results::data_json))
        .route("/data/{file}", get(results::data_csv))
        .route("/data/published/{file}", get(results::published))
        .route("/language/{tag}", get(public::switch_language))
        .route(
            "/refer",
            get(form::show::<refer::ReferralForm>).post(form::submit::<refer::ReferralForm>),
        )
        .route("/refer/received/{code}", get(refer::received))
        .route(
            "/contact",
            get(form::show::<contact::ContactForm>).post(form::submit::<contact::ContactForm>),
        )
        .route("/contact/received/{code}", get(contact::received))
        .route(
            "/feedback",
            get(form::show::<feedback::FeedbackForm>).post(form::submit::<feedback::FeedbackForm>),
        )
        .route("/feedback/thanks", get(feedback::thanks))
        .route("/login", get(login::show_login).post(login::submit_login))
        .route(
            "/login/code",
            get(login::show_code).post(login::submit_code),
        )
        .route(
            "/enrol/{token}",
            get(login::show_enrol).post(login::submit_enrol),
        )
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
