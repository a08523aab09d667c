//! Pages, one module per area; each page is a typed askama template.

pub mod chrome;
mod contact;
mod form;
mod public;
mod refer;

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
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
