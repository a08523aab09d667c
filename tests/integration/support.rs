//! `TestApp`: a leadhub router on a fresh database, and helpers to talk to it.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use leadhub_domain::SiteProfile;
use leadhub_store::Db;
use leadhub_web::{AppState, RateLimit, WebConfig};
use tower::ServiceExt;

/// A fresh, migrated, empty database on the backend under test.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    pub async fn new() -> TestDb {
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"))
        {
            Some(admin_url) => Self::postgres(&admin_url).await,
            None => Self::sqlite().await,
        }
    }

    async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("leadhub.db").display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        TestDb {
            db,
            url,
            _dir: Some(dir),
        }
    }

    async fn postgres(admin_url: &str) -> TestDb {
        use sqlx::Connection;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "lh_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            nanos
        );
        let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        TestDb {
            db,
            url,
            _dir: None,
        }
    }

    pub fn backend(&self) -> &'static str {
        self.db.backend().name()
    }

    /// Runs SQL behind leadhub's back (its own connection), panicking on failure.
    pub async fn execute(&self, sql: &str) {
        use sqlx::Connection;
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        if self.url.starts_with("sqlite") {
            let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        }
    }

    /// The first column of every row `sql` returns, as text, read behind leadhub's back.
    pub async fn query_strings(&self, sql: &str) -> Vec<String> {
        use sqlx::Connection;
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        if self.url.starts_with("sqlite") {
            let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query_scalar(sql).fetch_all(&mut c).await.unwrap()
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query_scalar(sql).fetch_all(&mut c).await.unwrap()
        }
    }

    /// A timestamp as an SQL literal in the form this backend stores.
    pub fn timestamp_sql(&self, at: time::OffsetDateTime) -> String {
        let text = leadhub_store::Stamp(at).sqlite_text().unwrap();
        if self.url.starts_with("sqlite") {
            format!("'{text}'")
        } else {
            format!("TIMESTAMPTZ '{text}'")
        }
    }
}

/// Options for the app under test.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub db: Db,
    pub test_db: TestDb,
    pub client: SocketAddr,
}

pub struct Builder {
    config: WebConfig,
}

impl Builder {
    pub fn min_fill(mut self, d: Duration) -> Self {
        self.config.min_fill_time = d;
        self
    }

    /// Sends emails through the SMTP server at `url`.
    pub fn mail(mut self, url: &str) -> Self {
        self.config.mail = Some(leadhub_web::MailSettings {
            smtp_url: url.to_owned(),
            from: "LEAD Test <lead@test.example>".to_owned(),
        });
        self
    }

    pub fn rate_limit(mut self, burst: u32) -> Self {
        self.config.rate_limit = RateLimit {
            burst: NonZeroU32::new(burst).unwrap(),
            per_hour: NonZeroU32::new(1).unwrap(),
        };
        self
    }

    pub async fn build(self) -> TestApp {
        let test_db = TestDb::new().await;
        let state = AppState::new(
            test_db.db.clone(),
            SiteProfile::minneapolis().unwrap(),
            self.config,
        )
        .await
        .unwrap();
        TestApp {
            router: leadhub_web::router(state.clone()),
            state,
            db: test_db.db.clone(),
            test_db,
            client: "203.0.113.7:40000".parse().unwrap(),
        }
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The value of a `name="…" value="…"` input.
    pub fn input_value(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" ");
        let start = self.body.find(&marker)?;
        let rest = &self.body[start..];
        let v = rest.find("value=\"")? + "value=\"".len();
        let end = rest[v..].find('"')?;
        Some(rest[v..v + end].to_owned())
    }

    /// The first cookie the response sets, as `name=value`.
    pub fn set_cookie(&self) -> Option<String> {
        self.headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
    }
}

/// A browser's form session: its cookie and the token of the form it was shown.
#[derive(Debug, Clone)]
pub struct FormSession {
    pub cookie: String,
    pub token: String,
}

impl TestApp {
    /// Defaults for tests: no minimum fill time, a generous rate limit.
    pub fn builder() -> Builder {
        let mut config = WebConfig {
            min_fill_time: Duration::ZERO,
            ..WebConfig::default()
        };
        config.rate_limit = RateLimit {
            burst: NonZeroU32::new(1000).unwrap(),
            per_hour: NonZeroU32::new(1000).unwrap(),
        };
        Builder { config }
    }

    pub async fn new() -> TestApp {
        Self::builder().build().await
    }

    pub async fn request(&self, request: Request<Body>) -> Page {
        let mut request = request;
        request.extensions_mut().insert(ConnectInfo(self.client));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut builder = Request::get(path);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.request(builder.body(Body::empty()).unwrap()).await
    }

    /// Opens a form page the way a browser does, keeping its cookie and token.
    pub async fn open_form(&self, path: &str) -> FormSession {
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        FormSession {
            cookie: page.set_cookie().expect("form pages set a cookie"),
            token: page.input_value("form_token").unwrap(),
        }
    }

    /// Posts raw urlencoded bytes with a session's cookie.
    pub async fn post_raw(
        &self,
        path: &str,
        cookie: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> Page {
        let mut builder =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            builder = builder.header(header::COOKIE, c);
        }
        for (k, v) in extra {
            builder = builder.header(*k, *v);
        }
        self.request(builder.body(Body::from(body)).unwrap()).await
    }

    /// Posts `fields` with the session's token added.
    pub async fn post_form(
        &self,
        path: &str,
        session: &FormSession,
        fields: &[(&str, &str)],
    ) -> Page {
        let mut all: Vec<(&str, &str)> = vec![("form_token", &session.token)];
        all.extend_from_slice(fields);
        self.post_raw(path, Some(&session.cookie), encode(&all).into_bytes(), &[])
            .await
    }

    /// The referral a `/refer` submission was acknowledged with (asserting it was).
    pub async fn stored_referral(&self, sent: &Page) -> leadhub_store::StoredReferral {
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let code = code_from(sent.location());
        self.db
            .read_referral(&code, &leadhub_store::Actor::System)
            .await
            .unwrap()
            .expect("acknowledged, so stored")
    }

    /// Opens the referral form and sends `fields`.
    pub async fn refer(&self, fields: &[(&str, &str)]) -> Page {
        let session = self.open_form("/refer").await;
        self.post_form("/refer", &session, fields).await
    }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The reference code in a `/refer/received/CODE` redirect.
pub fn code_from(location: &str) -> leadhub_domain::ReferenceCode {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

/// The smallest referral the form accepts: no name, a description and a place.
pub const MINIMAL: &[(&str, &str)] = &[
    ("referrer_type", "business"),
    ("features", "tall man, grey beard, green army jacket"),
    ("places", "lake-chicago"),
];

/// Every public page, for tests that visit them all.
pub const PUBLIC_PAGES: [&str; 10] = [
    "/",
    "/about",
    "/fits",
    "/governance",
    "/reach",
    "/privacy",
    "/refer",
    "/contact",
    "/feedback",
    "/data",
];

/// Runs `leadhub` with `args` and extra environment variables, and waits for it to finish.
pub async fn run_leadhub(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_leadhub"));
    command
        .args(args)
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null());
    command.output().await.unwrap()
}

/// Starts `leadhub serve` on a free local port against `database_url` and waits until it
/// accepts connections. The server is killed when the child is dropped.
pub async fn spawn_server(
    database_url: &str,
    env: &[(&str, &str)],
) -> (tokio::process::Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = tokio::process::Command::new(env!("CARGO_BIN_EXE_leadhub"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (server, port);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("leadhub serve did not start on port {port}");
}

/// A staff account made for a test, ready to sign in.
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: leadhub_domain::ids::UserId,
    pub email: String,
    pub password: String,
    pub totp: leadhub_domain::credentials::TotpSecret,
    /// The last app code step used, so a second sign-in in the same 30 s uses the next step.
    last_step: std::sync::Arc<std::sync::Mutex<u64>>,
}

/// A signed-in browser: its cookies and its session's CSRF token.
#[derive(Debug, Clone)]
pub struct Browser {
    pub cookies: String,
    pub csrf: String,
}

static STAFF_COUNTER: AtomicU32 = AtomicU32::new(0);

/// The organisation every test account works for (what test releases name).
pub const TEST_ORGANIZATION: &str = "Test County Attorney's Office";

impl Staff {
    /// A code from the app that the server has not seen yet for this account.
    pub async fn fresh_code(&self) -> String {
        loop {
            if let Some(code) = self.try_code() {
                return code;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// The next unused step if the server would accept it now (one step ahead at most).
    fn try_code(&self) -> Option<String> {
        let now = u64::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap();
        let step = now / 30;
        let mut last = self.last_step.lock().unwrap();
        let wanted = step.max(*last + 1);
        (wanted <= step + 1).then(|| {
            *last = wanted;
            self.totp.code_at(wanted * 30)
        })
    }
}

impl TestApp {
    /// An account with `role`, its password and app set (as `serve --demo` makes them).
    pub async fn staff(&self, role: leadhub_domain::access::Role) -> Staff {
        use leadhub_domain::credentials::{NewPassword, Token, TotpSecret};
        let n = STAFF_COUNTER.fetch_add(1, Ordering::Relaxed);
        let email = format!("{}-{n}@staff.example", role.code().replace('_', "-"));
        let password = Token::generate().as_str().to_owned();
        let totp = TotpSecret::generate();
        let account = leadhub_store::NewAccount {
            email: email.parse().unwrap(),
            name: format!("Staff {n}"),
            role,
            organization: Some(TEST_ORGANIZATION.to_owned()),
        };
        let parsed = NewPassword::parse(&password, &password, &[]).unwrap();
        let id = self
            .db
            .add_enrolled_account(&account, &parsed, &totp, false)
            .await
            .unwrap();
        Staff {
            id,
            email,
            password,
            totp,
            last_step: Default::default(),
        }
    }

    /// A participant in `case_manager`'s caseload, with a release to `TEST_ORGANIZATION`
    /// when `released`, and one note of each label.
    pub async fn participant(
        &self,
        case_manager: leadhub_domain::ids::UserId,
        released: bool,
    ) -> leadhub_domain::ids::ParticipantId {
        use leadhub_domain::consent::{Category, Release, Sensitivity};
        let actor = leadhub_store::Actor::System;
        let now = leadhub_store::now();
        let id = self
            .db
            .enrol_participant("Ayaan", "Testperson", Some(case_manager), &actor, now)
            .await
            .unwrap();
        for label in Sensitivity::ALL {
            let body = format!("a {} note", label.code());
            self.db
                .add_note(id, label, &body, &actor, now)
                .await
                .unwrap();
        }
        if released {
            let release = Release {
                discloser: "LEAD case management".into(),
                recipient: TEST_ORGANIZATION.into(),
                covers: Category::ALL.into(),
                purpose: "coordinate a case".into(),
                signed_at: now - time::Duration::days(1),
                expires_at: now + time::Duration::days(30),
                revoked_at: None,
            };
            self.db
                .record_release(id, &release, &actor, now)
                .await
                .unwrap();
        }
        id
    }

    /// An inquiry from the contact form, received now; its id.
    pub async fn inquiry(&self, message: &str) -> leadhub_domain::InquiryId {
        let input = leadhub_domain::inquiry::InquiryInput {
            name: "Hodan".into(),
            reach: "hodan@example.org".into(),
            message: message.into(),
            preferred_language: "so".into(),
        };
        let parsed = input.parse(leadhub_domain::Language::En).unwrap();
        let now = leadhub_store::now();
        let due = now + time::Duration::days(1);
        self.db.submit_inquiry(&parsed, now, due).await.unwrap().id
    }

    /// A GET with cookies.
    pub async fn get_as(&self, path: &str, browser: &Browser) -> Page {
        self.get_with(path, &[("cookie", &browser.cookies)]).await
    }

    /// A staff form POST with the session's CSRF token added.
    pub async fn post_as(&self, path: &str, browser: &Browser, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = vec![("csrf", &browser.csrf)];
        all.extend_from_slice(fields);
        self.post_raw(path, Some(&browser.cookies), encode(&all).into_bytes(), &[])
            .await
    }

    /// Posts the sign-in form; returns the response and the browser's cookies after it.
    pub async fn post_login(&self, email: &str, password: &str) -> (Page, String) {
        let form = self.open_form("/login").await;
        let page = self
            .post_form("/login", &form, &[("email", email), ("password", password)])
            .await;
        let cookies = match session_cookie(&page) {
            Some(session) => format!("{}; {session}", form.cookie),
            None => form.cookie,
        };
        (page, cookies)
    }

    /// Posts the second-step form with `code`, from a browser holding `cookies`.
    pub async fn post_code(&self, cookies: &str, code: &str) -> Page {
        let page = self.get_with("/login/code", &[("cookie", cookies)]).await;
        let token = page.input_value("form_token").unwrap();
        self.post_raw(
            "/login/code",
            Some(cookies),
            encode(&[("form_token", &token), ("code", code)]).into_bytes(),
            &[],
        )
        .await
    }

    /// Signs `staff` in through the pages (password, then the app code when the role needs
    /// one) and returns the signed-in browser.
    pub async fn sign_in(&self, staff: &Staff) -> Browser {
        let (page, cookies) = self.post_login(&staff.email, &staff.password).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let form_cookie = cookies.split("; ").next().unwrap().to_owned();
        let session = if page.location().starts_with("/login/code") {
            let done = self.post_code(&cookies, &staff.fresh_code().await).await;
            assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
            session_cookie(&done).unwrap()
        } else {
            session_cookie(&page).unwrap()
        };
        let cookies = format!("{form_cookie}; {session}");
        let home = self.get_with("/staff", &[("cookie", &cookies)]).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        Browser {
            csrf: home.input_value("csrf").unwrap(),
            cookies,
        }
    }

    /// Re-enters `staff`'s password and a fresh app code, as account changes ask.
    pub async fn confirm(&self, staff: &Staff, browser: &Browser) {
        let code = staff.fresh_code().await;
        let fields = [
            ("password", staff.password.as_str()),
            ("code", code.as_str()),
            ("next", "/staff"),
        ];
        let page = self.post_as("/staff/reauth", browser, &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }

    /// Audit entries (newest first) as `(actor, action, outcome)`.
    pub async fn audit_tail(&self, n: i64) -> Vec<(String, String, String)> {
        let filter = leadhub_store::AuditFilter::default();
        self.db
            .audit_entries(&filter, n, &leadhub_store::Actor::System, "test")
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.actor, r.action, r.outcome))
            .collect()
    }
}

/// The `lh_session=…` cookie a response sets, if any.
pub fn session_cookie(page: &Page) -> Option<String> {
    page.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("lh_session=") && !v.starts_with("lh_session=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

// Triage: referrals and the forms of their page.

use leadhub_domain::ids::ReferralId;

/// A community referral through the public form; its id.
pub async fn referral(app: &TestApp, fields: &[(&str, &str)]) -> ReferralId {
    let sent = app.refer(fields).await;
    app.stored_referral(&sent).await.id.parse().unwrap()
}

/// The referral page and the version its forms carry.
pub async fn open(app: &TestApp, id: ReferralId, browser: &Browser) -> (Page, String) {
    let page = app.get_as(&format!("/staff/referrals/{id}"), browser).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // A finished referral has no forms, so no version.
    let version = page.input_value("version").unwrap_or_default();
    (page, version)
}

/// Posts a form of the referral page with the version it was shown with.
pub async fn act(
    app: &TestApp,
    id: ReferralId,
    browser: &Browser,
    action: &str,
    version: &str,
    fields: &[(&str, &str)],
) -> Page {
    let mut all = vec![("version", version)];
    all.extend_from_slice(fields);
    app.post_as(&format!("/staff/referrals/{id}/{action}"), browser, &all)
        .await
}

/// Records a contact with the referrer (`method`) from a fresh referral page.
pub async fn acknowledge(app: &TestApp, id: ReferralId, browser: &Browser, method: &str) -> Page {
    let (_, version) = open(app, id, browser).await;
    act(
        app,
        id,
        browser,
        "acknowledge",
        &version,
        &[("method", method)],
    )
    .await
}
