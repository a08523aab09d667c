//! Static assets, compiled into the binary: nothing is fetched from anywhere else.

use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::AppError;

const CSS: &str = include_str!("../static/site.css");
const ICON: &str = include_str!("../static/icon.svg");
const LOCATE: &str = include_str!("../static/locate.js");
const MATCHES: &str = include_str!("../static/matches.js");

pub async fn serve(file: Result<Path<String>, PathRejection>) -> Result<Response, AppError> {
    let Ok(Path(file)) = file else {
        return Err(AppError::NotFound);
    };
    let (body, content_type) = match file.as_str() {
        "site.css" => (CSS, "text/css; charset=utf-8"),
        "icon.svg" => (ICON, "image/svg+xml"),
        "locate.js" => (LOCATE, "text/javascript; charset=utf-8"),
        "matches.js" => (MATCHES, "text/javascript; charset=utf-8"),
        _ => return Err(AppError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}
