//! leadhub's web layer: the axum router, pages, forms and the HTTP rules that hold everywhere
//! (security headers, body limits, localisation, error pages).

mod auth;
mod error;
mod forms;
mod health;
pub mod i18n;
pub mod jobs;
mod locale;
pub mod mail;
mod middleware;
mod pages;
mod rate_limit;
mod statics;
pub mod upload;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use leadhub_domain::SiteProfile;
use leadhub_store::Db;
use tower_http::timeout::RequestBodyTimeoutLayer;

pub use auth::Need;
pub use error::AppError;
pub use forms::FormGuard;
pub use i18n::{I18n, Tr};
pub use mail::SmtpMailer;
pub use pages::current_month;
pub use pages::staff::{Record, StaffRoute, route_table as staff_routes};
pub use rate_limit::RateLimit;

/// Largest request body accepted, in bytes; a full referral is far below it.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Longest a request (including reading its body) may take.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Set cookies `Secure` and send HSTS: the site is reached over HTTPS.
    pub https: bool,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a proxy
    /// that sets it).
    pub trust_forwarded_for: bool,
    /// A public form sent sooner than this after it was shown is treated as a bot's.
    pub min_fill_time: Duration,
    /// A public form older than this must be sent again.
    pub max_form_age: Duration,
    pub rate_limit: RateLimit,
    /// Demo mode: every page says the data is invented.
    pub demo: bool,
    /// How long staff sessions last.
    pub session: leadhub_store::SessionPolicy,
    /// The address people use to reach the site (for links given out, like set-up links).
    pub public_url: String,
    /// The mail server emails go through; none means they stay in the outbox.
    pub mail: Option<MailSettings>,
}

/// Where emails go out, and from whom.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtps://user:password@host`, `smtp://host:587?tls=required` or `smtp://127.0.0.1:25`.
    pub smtp_url: String,
    pub from: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            https: false,
            trust_forwarded_for: false,
            min_fill_time: Duration::from_secs(3),
            max_form_age: Duration::from_secs(24 * 3600),
            rate_limit: RateLimit::default(),
            demo: false,
            session: leadhub_store::SessionPolicy::default(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            mail: None,
        }
    }
}

/// Everything a handler may need.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub site: Arc<SiteProfile>,
    pub i18n: Arc<I18n>,
    pub config: Arc<WebConfig>,
    pub forms: FormGuard,
    pub limiter: rate_limit::Limiter,
    /// The mail server, when one is set up.
    pub mailer: Option<Arc<mail::SmtpMailer>>,
    /// Data & Results figures recently counted.
    pub results: pages::results::ResultsCache,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    I18n(#[from] i18n::I18nError),
    #[error(transparent)]
    Store(#[from] leadhub_store::StoreError),
    #[error(transparent)]
    FormKey(#[from] forms::FormKeyError),
    #[error(transparent)]
    Mail(#[from] mail::MailError),
}

impl AppState {
    /// Builds the state; reads (or creates) the form-signing key in the database.
    pub async fn new(db: Db, site: SiteProfile, config: WebConfig) -> Result<Self, StartError> {
        let secret = db.secret("form_signing_key").await?;
        let mailer = match &config.mail {
            Some(m) => Some(Arc::new(mail::SmtpMailer::new(&m.smtp_url, &m.from)?)),
            None => None,
        };
        Ok(Self {
            mailer,
            forms: FormGuard::new(secret.as_bytes(), config.min_fill_time, config.max_form_age)?,
            limiter: rate_limit::Limiter::new(config.rate_limit),
            db,
            site: Arc::new(site),
            i18n: Arc::new(I18n::load()?),
            config: Arc::new(config),
            results: pages::results::ResultsCache::default(),
        })
    }
}

impl AppState {
    /// The site profile with the divertible charges of the Policy Coordinating Group's policy
    /// in force (the profile's own list until a version is recorded).
    pub async fn site_now(&self) -> Result<SiteProfile, AppError> {
        let policy = self
            .db
            .current_policy(&self.site.divertible_charges)
            .await?;
        let mut site = (*self.site).clone();
        site.divertible_charges = policy.charges;
        Ok(site)
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(pages::routes())
        .merge(pages::staff::routes(&state))
        .route("/healthz", get(health::healthz))
        .route("/static/{file}", get(statics::serve))
        .fallback(pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A slow client cannot hold a connection and a task for ever.
        .layer(RequestBodyTimeoutLayer::new(REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn(middleware::reject_large_bodies))
        .layer(axum::middleware::from_fn(middleware::time_limit))
        // Outside the layers above, so their refusals become pages too.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::localize_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ));
    middleware::request_id_and_trace(app).with_state(state)
}
