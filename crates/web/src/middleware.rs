//! Rules applied to every request and response.

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::error::ErrorPage;
use crate::locale::Locale;
use crate::pages::chrome::render_error_page;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
/// The contact form may ask for the device's location ("use my location", which the browser
/// asks the user about); no other page, and nothing embedded, may.
const PERMISSIONS_WITH_LOCATION: &str =
    "camera=(), microphone=(), geolocation=(self), interest-cohort=()";

/// `/staff/participants/{id}/contact`.
fn asks_for_location(path: &str) -> bool {
    path.strip_prefix("/staff/participants/")
        .and_then(|rest| rest.strip_suffix("/contact"))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// Security headers on every response. Pages are not cached unless a handler says otherwise
/// (confirmation pages hold reference codes; staff pages will hold personal data).
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let permissions = if asks_for_location(req.uri().path()) {
        PERMISSIONS_WITH_LOCATION
    } else {
        PERMISSIONS
    };
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 7] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (HeaderName::from_static("permissions-policy"), permissions),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if state.config.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Refuses a body that announces more than its path's limit (`MAX_BODY_BYTES`, or an upload's)
/// before reading any of it. Bodies without a length are cut off at the same size when they
/// are read.
pub async fn reject_large_bodies(req: Request, next: Next) -> Response {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match announced {
        Some(len) if len > crate::upload::body_limit(req.uri().path()) as u64 => {
            crate::AppError::PayloadTooLarge.into_response()
        }
        _ => next.run(req).await,
    }
}

/// Ends a request that takes longer than `REQUEST_TIMEOUT` with a 503 page ("try again"). Store
/// calls give up well before this (their retries have a shorter deadline), so a form that
/// cannot be saved normally comes back with its text first.
pub async fn time_limit(req: Request, next: Next) -> Response {
    match tokio::time::timeout(crate::REQUEST_TIMEOUT, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!("request timed out");
            crate::AppError::Unavailable.into_response()
        }
    }
}

/// Turns an error marker left by `AppError` into a page in the visitor's language, or a JSON
/// envelope under `/api`.
pub async fn localize_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let locale = Locale::from_parts(&parts);
    let is_api = parts.uri.path().starts_with("/api/");
    let response = next.run(Request::from_parts(parts, body)).await;
    let Some(page) = response.extensions().get::<ErrorPage>().copied() else {
        return response;
    };
    if is_api {
        return page.json();
    }
    match render_error_page(&state, locale.0, page) {
        Ok(html) => (page.status(), html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page could not be rendered");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Body::from("Internal error"),
            )
                .into_response()
        }
    }
}

/// Request ids (`x-request-id`, always generated here: a client's own id could carry anything
/// into the logs) and one tracing span per request. Spans name the route template, never the
/// concrete path or query: those may carry reference codes or search terms.
pub fn request_id_and_trace<S>(router: axum::Router<S>) -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let x_request_id = HeaderName::from_static("x-request-id");
    router
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "unmatched".into());
            let id = req
                .extensions()
                .get::<RequestId>()
                .and_then(|id| id.header_value().to_str().ok())
                .unwrap_or_default()
                .to_owned();
            tracing::info_span!("request", method = %req.method(), route, id)
        }))
        .layer(SetRequestIdLayer::new(
            x_request_id.clone(),
            MakeRequestUuid,
        ))
        .layer(axum::middleware::map_request(move |mut req: Request| {
            let name = x_request_id.clone();
            async move {
                req.headers_mut().remove(name);
                req
            }
        }))
}
