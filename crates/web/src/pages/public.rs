//! The public information pages and the language switch.

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use leadhub_domain::Language;
use serde::Deserialize;

use super::chrome::{Chrome, render};
use crate::locale::{LANGUAGE_COOKIE, Locale};
use crate::{AppError, AppState};

/// A page that is only text in the visitor's language.
macro_rules! text_page {
    ($fn_name:ident, $ty:ident, $file:literal, $path:literal, $title:literal) => {
        #[derive(Template)]
        #[template(path = $file)]
        struct $ty {
            chrome: Chrome,
        }

        pub async fn $fn_name(
            State(state): State<AppState>,
            Locale(lang): Locale,
        ) -> Result<Html<String>, AppError> {
            render(&$ty {
                chrome: Chrome::new(&state, lang, $path, $title),
            })
        }
    };
}

text_page!(home, HomePage, "home.html", "/", "home-title");
text_page!(about, AboutPage, "about.html", "/about", "about-title");
text_page!(
    governance,
    GovernancePage,
    "governance.html",
    "/governance",
    "gov-title"
);
text_page!(reach, ReachPage, "reach.html", "/reach", "reach-title");
text_page!(
    privacy,
    PrivacyPage,
    "privacy.html",
    "/privacy",
    "privacy-title"
);

/// The self-check's answers, from the query string of its GET form: nothing is stored.
#[derive(Debug, Default, Deserialize)]
pub struct CheckAnswers {
    age: Option<String>,
    place: Option<String>,
    need: Option<String>,
}

#[derive(Template)]
#[template(path = "fits.html")]
struct FitsPage {
    chrome: Chrome,
    answers: CheckAnswers,
    /// The message key of the result, once the check has been answered.
    result: Option<&'static str>,
}

impl FitsPage {
    fn answered(&self, question: &str, value: &str) -> bool {
        let answer = match question {
            "age" => &self.answers.age,
            "place" => &self.answers.place,
            _ => &self.answers.need,
        };
        answer.as_deref() == Some(value)
    }
}

impl CheckAnswers {
    /// What the answers suggest. Never a "no": every outcome invites a referral.
    fn result(&self) -> Option<&'static str> {
        let (age, place, need) = (
            self.age.as_deref()?,
            self.place.as_deref()?,
            self.need.as_deref()?,
        );
        Some(match (age, place, need) {
            ("no", _, _) => "check-result-minor",
            (_, "no", _) => "check-result-elsewhere",
            (_, _, "no") => "check-result-need",
            ("yes", "yes", "yes") => "check-result-fits",
            _ => "check-result-unsure",
        })
    }
}

pub async fn fits(
    State(state): State<AppState>,
    Locale(lang): Locale,
    answers: Result<Query<CheckAnswers>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    // Odd query strings are simply an unanswered check.
    let answers = answers.map(|Query(a)| a).unwrap_or_default();
    let result = answers.result();
    render(&FitsPage {
        chrome: Chrome::new(&state, lang, "/fits", "fits-title"),
        answers,
        result,
    })
}

#[derive(Debug, Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// Remembers the chosen language for a year and goes back to the page the visitor was on.
pub async fn switch_language(
    tag: Result<Path<String>, PathRejection>,
    query: Result<Query<SwitchQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Ok(Path(tag)) = tag else {
        return Err(AppError::NotFound);
    };
    // A query that cannot be read just means "back to the home page".
    let query = query
        .map(|Query(q)| q)
        .unwrap_or(SwitchQuery { next: None });
    let lang: Language = tag.parse().map_err(|_| AppError::NotFound)?;
    let next = query
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".to_owned());
    let mut headers = HeaderMap::new();
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.tag()
    );
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| AppError::BadRequest)?,
    );
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(&next).map_err(|_| AppError::BadRequest)?,
    );
    Ok((StatusCode::SEE_OTHER, headers).into_response())
}

/// Only paths on this site: no scheme, no `//host`, no backslash tricks (an open redirect
/// would let others borrow our name).
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.len() <= 200
        && path.chars().all(|c| c.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/refer"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "refer",
            "/a b",
        ] {
            assert!(!is_local_path(bad), "{bad}");
        }
    }

    #[test]
    fn the_self_check_never_says_no() {
        let a = |age: &str, place: &str, need: &str| CheckAnswers {
            age: Some(age.into()),
            place: Some(place.into()),
            need: Some(need.into()),
        };
        assert_eq!(a("yes", "yes", "yes").result(), Some("check-result-fits"));
        assert_eq!(
            a("unsure", "yes", "yes").result(),
            Some("check-result-unsure")
        );
        assert_eq!(a("no", "yes", "yes").result(), Some("check-result-minor"));
        assert_eq!(
            a("yes", "no", "yes").result(),
            Some("check-result-elsewhere")
        );
        assert_eq!(a("yes", "yes", "no").result(), Some("check-result-need"));
        assert_eq!(CheckAnswers::default().result(), None);
    }
}
