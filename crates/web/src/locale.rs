//! Which language a request is answered in: the visitor's choice (a cookie set by the language
//! switch), else their browser's `Accept-Language`, else English.

use axum::extract::FromRequestParts;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use leadhub_domain::Language;

pub const LANGUAGE_COOKIE: &str = "lang";

/// The request's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale(pub Language);

impl Locale {
    pub fn from_parts(parts: &Parts) -> Locale {
        let chosen = cookie(parts, LANGUAGE_COOKIE).and_then(|v| v.parse::<Language>().ok());
        let offered = || {
            parts
                .headers
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Language::from_accept_language)
        };
        Locale(chosen.or_else(offered).unwrap_or(Language::En))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Locale {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Locale::from_parts(parts))
    }
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}
