//! The one error type of the web layer.
//!
//! Rules: a handler returns `AppError` for anything that is not a normal page. Expected
//! problems (not found, too large, bad request) say so plainly; internal problems are logged
//! once, here, with the request id, and the visitor sees only a generic page. Pages are
//! rendered in the visitor's language by `middleware::localize_errors`; under `/api` the same
//! errors become a JSON envelope.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("bad request")]
    BadRequest,
    /// Not signed in, or the session has ended.
    #[error("not signed in")]
    Unauthorized,
    /// Signed in, but the role (or the record's scope) does not allow it.
    #[error("forbidden")]
    Forbidden,
    #[error("service unavailable")]
    Unavailable,
    #[error("storage: {0}")]
    Store(#[from] leadhub_store::StoreError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
}

/// Which error page to show; left in the response for `localize_errors` to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    NotFound,
    TooLarge,
    BadRequest,
    Unauthorized,
    Forbidden,
    Unavailable,
    Internal,
}

impl ErrorPage {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorPage::NotFound => StatusCode::NOT_FOUND,
            ErrorPage::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorPage::BadRequest => StatusCode::BAD_REQUEST,
            ErrorPage::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorPage::Forbidden => StatusCode::FORBIDDEN,
            ErrorPage::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorPage::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ErrorPage::NotFound => "not_found",
            ErrorPage::TooLarge => "payload_too_large",
            ErrorPage::BadRequest => "bad_request",
            ErrorPage::Unauthorized => "unauthorized",
            ErrorPage::Forbidden => "forbidden",
            ErrorPage::Unavailable => "unavailable",
            ErrorPage::Internal => "internal",
        }
    }

    /// The Fluent keys of the page's title and body.
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            ErrorPage::NotFound => ("error-not-found-title", "error-not-found-body"),
            ErrorPage::TooLarge => ("error-too-large-title", "error-too-large-body"),
            ErrorPage::BadRequest => ("error-bad-request-title", "error-bad-request-body"),
            ErrorPage::Unauthorized => ("error-unauthorized-title", "error-unauthorized-body"),
            ErrorPage::Forbidden => ("error-forbidden-title", "error-forbidden-body"),
            // "Something went wrong on our side; try again or call": right for both.
            ErrorPage::Unavailable | ErrorPage::Internal => {
                ("error-internal-title", "error-internal-body")
            }
        }
    }

    /// The JSON error envelope used under `/api`.
    pub fn json(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.code(), "message": self.code().replace('_', " ") } });
        (self.status(), Json(body)).into_response()
    }
}

impl AppError {
    pub fn page(&self) -> ErrorPage {
        match self {
            AppError::NotFound => ErrorPage::NotFound,
            AppError::PayloadTooLarge => ErrorPage::TooLarge,
            AppError::BadRequest => ErrorPage::BadRequest,
            AppError::Unauthorized => ErrorPage::Unauthorized,
            AppError::Forbidden => ErrorPage::Forbidden,
            AppError::Unavailable => ErrorPage::Unavailable,
            AppError::Store(_) | AppError::Template(_) => ErrorPage::Internal,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = self.page();
        if page == ErrorPage::Internal {
            // The error text names no personal data: store errors carry the database's message,
            // never bound values.
            tracing::error!(error = %self, "internal error");
        }
        let mut response = page.status().into_response();
        response.extensions_mut().insert(page);
        response
    }
}
