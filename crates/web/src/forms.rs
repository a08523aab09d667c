//! Public forms: reading a urlencoded body whatever its bytes, and telling people from bots and
//! forged submissions without any third-party service.
//!
//! A form page carries a signed token: when it was shown, bound to a random value in a
//! `SameSite=Lax` cookie (double submit). On submission the token must verify against the
//! cookie (CSRF), be at least `min_fill_time` old (people take longer than scripts), and at most
//! `max_age` old. A hidden honeypot field must stay empty. Every refusal shows the form again
//! with everything typed kept.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub const CSRF_COOKIE: &str = "lh_form";
pub const TOKEN_FIELD: &str = "form_token";
/// The honeypot: a text field hidden from people (and from screen readers) that bots fill in.
pub const HONEYPOT_FIELD: &str = "website";

/// A urlencoded form body as (name, value) pairs, decoded leniently: invalid UTF-8 becomes
/// U+FFFD rather than an error, so whatever a person's browser sent can be shown back.
#[derive(Debug, Clone, Default)]
pub struct FormFields(Vec<(String, String)>);

/// At most this many fields are read from a body; more is not a form of ours.
pub(crate) const MAX_FIELDS: usize = 200;

impl FormFields {
    /// Fields read some other way (a form with a file).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    pub fn parse(body: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(body)
                .take(MAX_FIELDS)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every (name, value) pair, in the order sent.
    pub fn pairs(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter()
    }

    /// Every value of `name` (checkbox groups).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Why a submission was not taken, before its content was even looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The token is missing, forged, or not bound to this browser's cookie.
    Csrf,
    TooFast,
    Expired,
    Honeypot,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::Csrf => "error-csrf",
            Refusal::TooFast => "error-too-fast",
            Refusal::Expired => "error-expired",
            Refusal::Honeypot => "error-honeypot",
        }
    }
}

/// The signing key was not usable.
#[derive(Debug, thiserror::Error)]
#[error("the form signing key is not usable")]
pub struct FormKeyError;

/// Issues and checks form tokens.
#[derive(Clone)]
pub struct FormGuard {
    /// HMAC keyed once; cloned for each token.
    keyed: HmacSha256,
    min_fill_time: Duration,
    max_age: Duration,
}

impl std::fmt::Debug for FormGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormGuard")
            .field("min_fill_time", &self.min_fill_time)
            .finish_non_exhaustive()
    }
}

impl FormGuard {
    pub fn new(
        key: &[u8],
        min_fill_time: Duration,
        max_age: Duration,
    ) -> Result<Self, FormKeyError> {
        let keyed = HmacSha256::new_from_slice(key).map_err(|_| FormKeyError)?;
        Ok(Self {
            keyed,
            min_fill_time,
            max_age,
        })
    }

    /// A fresh random cookie value for a browser that has none.
    pub fn new_cookie_value() -> String {
        let bytes: [u8; 18] = rand::random();
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A token for a form shown now to the browser holding `cookie`.
    pub fn issue(&self, cookie: &str) -> String {
        self.issue_at(cookie, unix_now())
    }

    /// A token as if issued at `issued` (milliseconds since the epoch).
    pub fn issue_at(&self, cookie: &str, issued: u64) -> String {
        let mut token = issued.to_be_bytes().to_vec();
        token.extend_from_slice(&self.mac(cookie, issued));
        URL_SAFE_NO_PAD.encode(token)
    }

    /// Checks a submission's token and honeypot.
    pub fn check(&self, cookie: Option<&str>, token: &str, honeypot: &str) -> Result<(), Refusal> {
        let cookie = cookie.ok_or(Refusal::Csrf)?;
        let raw = URL_SAFE_NO_PAD
            .decode(token.trim())
            .map_err(|_| Refusal::Csrf)?;
        if raw.len() != 8 + 32 {
            return Err(Refusal::Csrf);
        }
        let (issued_bytes, tag) = raw.split_at(8);
        let issued = u64::from_be_bytes(issued_bytes.try_into().map_err(|_| Refusal::Csrf)?);
        let mut mac = self.keyed.clone();
        mac.update(&Self::message(cookie, issued));
        mac.verify_slice(tag).map_err(|_| Refusal::Csrf)?;
        if !honeypot.trim().is_empty() {
            return Err(Refusal::Honeypot);
        }
        let age = Duration::from_millis(unix_now().saturating_sub(issued));
        if age < self.min_fill_time {
            return Err(Refusal::TooFast);
        }
        if age > self.max_age {
            return Err(Refusal::Expired);
        }
        Ok(())
    }

    /// Checks only that a token was issued to this cookie and is not too old: for sign-in
    /// forms, which password managers fill at once, so no minimum fill time and no honeypot.
    pub fn check_origin(&self, cookie: Option<&str>, token: &str) -> Result<(), Refusal> {
        match self.check(cookie, token, "") {
            Ok(()) | Err(Refusal::TooFast) => Ok(()),
            Err(refusal) => Err(refusal),
        }
    }

    /// The CSRF token of every staff form in one session: bound to the session's public id,
    /// so it is the same on every page of a session and useless in any other.
    pub fn session_token(&self, session_id: &str) -> String {
        let mut mac = self.keyed.clone();
        mac.update(b"leadhub-staff\x1f");
        mac.update(session_id.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Whether `token` is this session's CSRF token (compared in constant time).
    pub fn check_session_token(&self, session_id: &str, token: &str) -> bool {
        let Ok(raw) = URL_SAFE_NO_PAD.decode(token.trim()) else {
            return false;
        };
        let mut mac = self.keyed.clone();
        mac.update(b"leadhub-staff\x1f");
        mac.update(session_id.as_bytes());
        mac.verify_slice(&raw).is_ok()
    }

    fn mac(&self, cookie: &str, issued: u64) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        mac.update(&Self::message(cookie, issued));
        mac.finalize().into_bytes().into()
    }

    fn message(cookie: &str, issued: u64) -> Vec<u8> {
        let mut m = b"leadhub-form\x1f".to_vec();
        m.extend_from_slice(cookie.as_bytes());
        m.push(0x1f);
        m.extend_from_slice(&issued.to_be_bytes());
        m
    }
}

/// Milliseconds since the epoch: fill times are a few seconds, so whole seconds are too coarse.
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> FormGuard {
        FormGuard::new(b"secret", Duration::from_secs(3), Duration::from_secs(3600)).unwrap()
    }

    #[test]
    fn a_token_verifies_only_with_its_cookie_after_the_fill_time() {
        let g = guard();
        let old = g.issue_at("c1", unix_now() - 10_000);
        assert_eq!(g.check(Some("c1"), &old, ""), Ok(()));
        assert_eq!(g.check(Some("c2"), &old, ""), Err(Refusal::Csrf));
        assert_eq!(g.check(None, &old, ""), Err(Refusal::Csrf));
        assert_eq!(
            g.check(Some("c1"), &g.issue("c1"), ""),
            Err(Refusal::TooFast)
        );
        assert_eq!(
            g.check(Some("c1"), &g.issue_at("c1", unix_now() - 7_200_000), ""),
            Err(Refusal::Expired)
        );
        assert_eq!(
            g.check(Some("c1"), &old, "http://spam"),
            Err(Refusal::Honeypot)
        );
    }

    #[test]
    fn forged_and_garbled_tokens_are_refused() {
        let g = guard();
        let other = FormGuard::new(b"other", Duration::ZERO, Duration::from_secs(3600)).unwrap();
        let forged = other.issue_at("c1", unix_now() - 10_000);
        assert_eq!(g.check(Some("c1"), &forged, ""), Err(Refusal::Csrf));
        for junk in ["", "abc", "!!!!", &"A".repeat(54)] {
            assert_eq!(g.check(Some("c1"), junk, ""), Err(Refusal::Csrf), "{junk}");
        }
    }

    #[test]
    fn bodies_decode_leniently() {
        let body = axum::body::Bytes::from_static(b"a=%FF%FEx&b=1&b=2&c=%3Cscript%3E");
        let f = FormFields::parse(&body);
        assert_eq!(f.get("a"), "\u{FFFD}\u{FFFD}x");
        assert_eq!(f.all("b"), vec!["1", "2"]);
        assert_eq!(f.get("c"), "<script>");
        assert_eq!(f.get("missing"), "");
    }
}
