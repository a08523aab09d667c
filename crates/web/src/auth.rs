//! Who is asking, and may they: the session cookie, the guard in front of every staff route,
//! and the `StaffUser` extractor that only the guard can satisfy.
//!
//! Staff routes are declared in one table (`pages::staff::ROUTES`), each with what it needs
//! (a signed-in person, or an action of the permission matrix). The router is built from that
//! table with this guard on every entry, so a staff handler cannot be reached without its
//! check; the authorization test walks the same table.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::access::{Action, Scope, allowed};
use leadhub_domain::credentials::Token;
use leadhub_store::{Client, SessionUser, Stage};

use crate::forms::FormFields;
use crate::locale::cookie;
use crate::pages::chrome::client_ip;
use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "lh_session";
/// The form field that carries a staff form's CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// What a staff route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any signed-in member of staff (their own account, sessions, home page).
    SignedIn,
    /// Permission for this action in the matrix.
    Action(Action),
}

impl Need {
    /// The scope granted to `role`, or `None` for a refusal.
    pub fn scope_for(self, role: leadhub_domain::access::Role) -> Option<Scope> {
        match self {
            Need::SignedIn => Some(Scope::Own),
            Need::Action(action) => allowed(role, action),
        }
    }
}

/// A signed-in member of staff, as the guard found them for this request.
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub session: SessionUser,
    pub token: Token,
    /// How far this route's permission reaches for them (own caseload, consented, all).
    pub scope: Scope,
    /// The CSRF token their forms carry.
    pub csrf: String,
    pub address: String,
    pub agent: String,
}

impl StaffUser {
    /// The reader as the participant gate sees them.
    pub fn reader(&self) -> leadhub_store::Reader {
        leadhub_store::Reader {
            id: self.session.user_id,
            role: self.session.role,
            organization: self.session.organization.clone(),
        }
    }

    pub fn client(&self) -> Client<'_> {
        Client {
            address: &self.address,
            agent: &self.agent,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for StaffUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Only the guard inserts it; a handler mounted without the guard refuses everyone.
        parts
            .extensions
            .get::<StaffUser>()
            .cloned()
            .ok_or(AppError::Unauthorized)
    }
}

/// The state the guard of one route holds.
#[derive(Debug, Clone)]
pub struct Guard {
    pub app: AppState,
    pub need: Need,
    /// The largest body the route takes.
    pub body_limit: usize,
}

/// The session token a request carries, if it is well-formed.
pub fn session_token(parts: &Parts) -> Option<Token> {
    cookie(parts, SESSION_COOKIE).and_then(Token::parse)
}

/// Client address and user agent, as sessions and the audit log record them.
pub fn client_of(parts: &Parts, state: &AppState) -> (String, String) {
    let address = client_ip(parts, state.config.trust_forwarded_for).to_string();
    let agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    (address, agent)
}

/// Checks the session, the permission and (for anything but GET/HEAD) the CSRF token, then
/// hands the request on with a `StaffUser` attached. Anonymous page requests go to `/login`.
pub async fn guard(State(guard): State<Guard>, req: Request, next: Next) -> Response {
    match admit(&guard, req).await {
        Ok(req) => next.run(req).await,
        Err(refusal) => refusal,
    }
}

async fn admit(guard: &Guard, req: Request) -> Result<Request, Response> {
    let state = &guard.app;
    let (mut parts, body) = req.into_parts();
    let writing = !matches!(parts.method, Method::GET | Method::HEAD);
    let (address, agent) = client_of(&parts, state);
    let route = route_template(&parts);
    let now = leadhub_store::now();
    let token = session_token(&parts);
    let session = match &token {
        Some(token) => state
            .db
            .session(token, now, state.config.session)
            .await
            .map_err(|e| AppError::from(e).into_response())?,
        None => None,
    };
    let (Some(token), Some(session)) = (token, session) else {
        if token_present(&parts) {
            state
                .db
                .record_refusal(None, &route, "no_session", &address)
                .await
                .map_err(|e| AppError::from(e).into_response())?;
        }
        return Err(sign_in_first(&parts, writing));
    };
    if session.stage == Stage::SecondFactor {
        return Err(if writing {
            AppError::Unauthorized.into_response()
        } else {
            Redirect::to("/login/code").into_response()
        });
    }
    let Some(scope) = guard.need.scope_for(session.role) else {
        state
            .db
            .record_refusal(Some(&session.actor()), &route, "forbidden", &address)
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        return Err(AppError::Forbidden.into_response());
    };
    let csrf = state.forms.session_token(&session.session_id.to_string());
    let body = if writing {
        let bytes = axum::body::to_bytes(body, guard.body_limit)
            .await
            .map_err(|_| AppError::PayloadTooLarge.into_response())?;
        let fields = match crate::upload::boundary(&parts.headers) {
            Some(boundary) => {
                let upload = crate::upload::read(bytes.clone(), &boundary)
                    .await
                    .unwrap_or_default();
                let fields = upload.fields.clone();
                parts.extensions.insert(upload);
                fields
            }
            None => FormFields::parse(&bytes),
        };
        if !state
            .forms
            .check_session_token(&session.session_id.to_string(), &fields.get(CSRF_FIELD))
        {
            state
                .db
                .record_refusal(Some(&session.actor()), &route, "csrf_refused", &address)
                .await
                .map_err(|e| AppError::from(e).into_response())?;
            return Err(AppError::Forbidden.into_response());
        }
        Body::from(bytes)
    } else {
        body
    };
    parts.extensions.insert(StaffUser {
        session,
        token,
        scope,
        csrf,
        address,
        agent,
    });
    Ok(Request::from_parts(parts, body))
}

fn token_present(parts: &Parts) -> bool {
    cookie(parts, SESSION_COOKIE).is_some_and(|c| !c.is_empty())
}

/// The route's template (`/staff/admin/users/{id}`), never the concrete path with its ids.
fn route_template(parts: &Parts) -> String {
    parts
        .extensions
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "staff".to_owned(), |p| p.as_str().to_owned())
}

/// Anonymous: a page request goes to the sign-in page (and comes back after); anything else
/// is a plain 401.
fn sign_in_first(parts: &Parts, writing: bool) -> Response {
    if writing {
        return AppError::Unauthorized.into_response();
    }
    let next = parts.uri.path_and_query().map_or("/staff", |p| p.as_str());
    let mut location = String::from("/login?next=");
    location.extend(form_urlencoded::byte_serialize(next.as_bytes()));
    let mut response = Redirect::to(&location).into_response();
    // The stale cookie is cleared so the sign-in page starts clean.
    response.headers_mut().extend(clear_session_cookie());
    response
}

/// Sets the session cookie: HttpOnly, SameSite=Lax (sent when following a link from an email
/// to a staff page, never with another site's POST), Secure over HTTPS, and no expiry of its
/// own: the server decides when a session ends.
pub fn session_cookie(token: &Token, secure: bool) -> HeaderMap {
    let value = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{}",
        token.as_str(),
        if secure { "; Secure" } else { "" }
    );
    one_cookie(&value)
}

pub fn clear_session_cookie() -> HeaderMap {
    one_cookie(&format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    ))
}

fn one_cookie(value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(header::SET_COOKIE, v);
    }
    headers
}

/// A local path to return to after signing in; anything else (another site, a scheme, a
/// protocol-relative `//host`) becomes `/staff`.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with("/staff")
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if local {
        next.to_owned()
    } else {
        "/staff".to_owned()
    }
}

/// An empty body with the session cookie cleared; for sign-out.
pub fn signed_out(to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().extend(clear_session_cookie());
    response
}

pub fn redirect_with_session(to: &str, token: &Token, secure: bool) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().extend(session_cookie(token, secure));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_staff_paths_are_returned_to() {
        assert_eq!(safe_next("/staff/admin/users"), "/staff/admin/users");
        assert_eq!(safe_next("https://evil.example/staff"), "/staff");
        assert_eq!(safe_next("//evil.example"), "/staff");
        assert_eq!(safe_next("/staff\\..\\x"), "/staff");
        assert_eq!(safe_next("/refer"), "/staff");
    }
}
