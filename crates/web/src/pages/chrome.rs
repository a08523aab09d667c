//! What every public page shares: the frame (header, navigation, language switch, footer),
//! rendering, and form plumbing (cookies, tokens, refusals).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use askama::Template;
use axum::extract::ConnectInfo;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::response::Html;
use leadhub_domain::text::FieldError;
use leadhub_domain::{FormErrors, Language};
use time::OffsetDateTime;

use crate::error::ErrorPage;
use crate::forms::{CSRF_COOKIE, FormGuard};
use crate::locale::cookie;
use crate::{AppError, AppState, Tr};

/// One line of a refused form's summary: a link to the field and what is wrong with it.
#[derive(Debug, Clone)]
pub struct SummaryItem {
    pub href: String,
    pub text: String,
}

/// A link in the navigation or the language switch.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
    pub current: bool,
    pub lang: &'static str,
}

/// The frame around every public page.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub tr: Tr,
    /// The page's heading.
    pub title: String,
    /// The browser tab's title: the heading, prefixed with "Error:" when the page shows one.
    pub page_title: String,
    pub site_name: String,
    pub phone: String,
    pub demo: bool,
    pub nav: Vec<Link>,
    pub languages: Vec<Link>,
}

const NAV: [(&str, &str); 7] = [
    ("/", "nav-home"),
    ("/about", "nav-about"),
    ("/fits", "nav-fits"),
    ("/refer", "nav-refer"),
    ("/contact", "nav-contact"),
    ("/reach", "nav-reach"),
    ("/data", "nav-data"),
];

impl Chrome {
    /// The frame for the page at `path`, titled by the message `title_key`.
    pub fn new(state: &AppState, lang: Language, path: &str, title_key: &str) -> Self {
        let tr = Tr::new(state.i18n.clone(), lang);
        let nav = NAV
            .iter()
            .map(|(href, key)| Link {
                href: (*href).to_owned(),
                label: tr.t(key),
                current: *href == path,
                lang: "",
            })
            .collect();
        let languages = state
            .site
            .languages
            .iter()
            .map(|l| Link {
                href: format!("/language/{}?next={}", l.tag(), path),
                label: tr.t(&format!("lang-{}", l.tag())),
                current: *l == lang,
                lang: l.tag(),
            })
            .collect();
        let title = tr.t(title_key);
        Self {
            page_title: title.clone(),
            title,
            site_name: state.site.name.clone(),
            phone: state.site.phone.clone(),
            demo: state.config.demo,
            nav,
            languages,
            tr,
        }
    }

    /// "Monday, December 7 at 4:00 PM" in the page's language and the site's time zone.
    pub fn moment(&self, state: &AppState, at: OffsetDateTime) -> String {
        let local = state
            .site
            .calendar
            .local_moment(leadhub_domain::calendar::from_offset_date_time(at));
        let (hour12, key) = match local.hour {
            0 => (12, "time-am"),
            h @ 1..=11 => (h, "time-am"),
            12 => (12, "time-pm"),
            h => (h - 12, "time-pm"),
        };
        let time = self.tr.with(
            key,
            &[
                ("hour", hour12.to_string()),
                ("minute", format!("{:02}", local.minute)),
            ],
        );
        self.tr.with(
            "date-time",
            &[
                ("weekday", self.tr.t(&format!("weekday-{}", local.weekday))),
                ("month", self.tr.t(&format!("month-{}", local.month))),
                ("day", local.day.to_string()),
                ("time", time),
            ],
        )
    }

    /// A message whose only argument is the site's phone number.
    pub fn with_phone(&self, key: &str) -> String {
        self.tr.with(key, &[("phone", self.phone.clone())])
    }

    /// A `tel:` link to the site's phone.
    pub fn tel_href(&self) -> String {
        let digits: String = self.phone.chars().filter(char::is_ascii_digit).collect();
        format!("tel:+1{digits}")
    }

    /// A field error as a sentence in the page's language.
    pub fn field_error(&self, error: &FieldError) -> String {
        match error {
            FieldError::Required => self.tr.t("error-required"),
            FieldError::TooLong { max } => {
                self.tr.with("error-too-long", &[("max", max.to_string())])
            }
            FieldError::Choice => self.tr.t("error-choice"),
            FieldError::Phone => self.tr.t("error-phone"),
            FieldError::Email => self.tr.t("error-email"),
            FieldError::Reach => self.tr.t("error-reach"),
            FieldError::FollowUpContact => self.tr.t("error-followup-contact"),
            FieldError::Person => self.tr.t("error-person"),
            FieldError::Where => self.tr.t("error-where"),
            FieldError::UnknownCode => self.tr.t("error-unknown-code"),
            // Staff forms only (they speak English through `pages::staff::field_message`);
            // no public form produces these.
            FieldError::Year
            | FieldError::Consent
            | FieldError::Name
            | FieldError::TooMany { .. }
            | FieldError::Future
            | FieldError::TooLongAgo { .. }
            | FieldError::BeforeStart
            | FieldError::EndsTooSoon
            | FieldError::CaseNumber
            | FieldError::ChargeList
            | FieldError::Past
            | FieldError::OutOfRange { .. } => self.tr.t("error-choice"),
        }
    }

    /// Marks the page as showing a problem, in the title read first by screen readers.
    pub fn mark_error(&mut self) {
        self.page_title = format!("{}: {}", self.tr.t("error-title-prefix"), self.title);
    }

    /// The refused fields as links, in form order: `labels` maps field names to the message
    /// keys of their labels.
    pub fn summary(&self, errors: &FormErrors, labels: &[(&str, &str)]) -> Vec<SummaryItem> {
        labels
            .iter()
            .filter_map(|(field, label)| {
                let error = errors.get(field)?;
                Some(SummaryItem {
                    href: format!("#f-{field}"),
                    text: format!("{}: {}", self.tr.t(label), self.field_error(error)),
                })
            })
            .collect()
    }

    /// The sentence for `field`'s error, or "" when it has none.
    pub fn error_for(&self, errors: &FormErrors, field: &str) -> String {
        errors
            .get(field)
            .map(|e| self.field_error(e))
            .unwrap_or_default()
    }
}

pub fn render(page: &impl Template) -> Result<Html<String>, AppError> {
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    chrome: Chrome,
    body: String,
}

pub fn render_error_page(
    state: &AppState,
    lang: Language,
    page: ErrorPage,
) -> Result<Html<String>, AppError> {
    let (title_key, body_key) = page.keys();
    let chrome = Chrome::new(state, lang, "", title_key);
    let body = chrome
        .tr
        .with(body_key, &[("phone", state.site.phone.clone())]);
    render(&ErrorTemplate { chrome, body })
}

/// The browser's form cookie, or a new one to set with the response.
pub struct FormSession {
    pub cookie: String,
}

impl FormSession {
    pub fn from_parts(parts: &Parts) -> Self {
        match cookie(parts, CSRF_COOKIE).filter(|c| !c.is_empty() && c.len() <= 64) {
            Some(c) => Self {
                cookie: c.to_owned(),
            },
            None => Self {
                cookie: FormGuard::new_cookie_value(),
            },
        }
    }

    /// Headers that set (or renew) the cookie whenever a form is shown, so it outlives every
    /// form on screen. `SameSite=Lax`: browsers never send it with a POST from another site,
    /// yet a visitor arriving by a link from elsewhere keeps the cookie their open tabs use.
    pub fn headers(&self, secure: bool, lifetime: std::time::Duration) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!(
            "{CSRF_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
            self.cookie,
            lifetime.as_secs(),
            if secure { "; Secure" } else { "" }
        );
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(header::SET_COOKIE, v);
        }
        headers
    }
}

/// The address a request came from: the TCP peer, or behind a trusted proxy the last
/// `X-Forwarded-For` entry (the one the proxy itself added; earlier ones are the client's word).
pub fn client_ip(parts: &Parts, trust_forwarded_for: bool) -> IpAddr {
    let forwarded = || {
        let last_line = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()?;
        parse_forwarded(last_line.to_str().ok()?.rsplit(',').next()?)
    };
    if trust_forwarded_for && let Some(ip) = forwarded() {
        return ip;
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// `203.0.113.7`, `203.0.113.7:5678`, `2001:db8::1` or `[2001:db8::1]:5678`.
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut b = Request::get("/");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let (mut parts, ()) = b.body(()).unwrap().into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 443))));
        parts
    }

    #[test]
    fn the_proxys_own_entry_is_used_and_the_clients_ignored() {
        let p = parts(&[
            ("x-forwarded-for", "1.1.1.1, 2.2.2.2"),
            ("x-forwarded-for", "198.51.100.4:5678"),
        ]);
        assert_eq!(
            client_ip(&p, true),
            "198.51.100.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(&p, false), "10.0.0.1".parse::<IpAddr>().unwrap());
        let p = parts(&[("x-forwarded-for", "[2001:db8::7]:443")]);
        assert_eq!(
            client_ip(&p, true),
            "2001:db8::7".parse::<IpAddr>().unwrap()
        );
        let p = parts(&[("x-forwarded-for", "garbage")]);
        assert_eq!(client_ip(&p, true), "10.0.0.1".parse::<IpAddr>().unwrap());
    }
}
