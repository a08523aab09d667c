//! Browser tests: Debian's Chromium, driven by chromedriver through fantoccini, against leadhub
//! served on a random local port; axe-core checks accessibility (WCAG 2.1 A and AA).
//!
//! Needs `/usr/bin/chromium`, `/usr/bin/chromedriver` and `npm ci --prefix e2e` (scripts/test.sh
//! installs all three). Screenshots land in `target/tmp/screenshots/`.

// Tests state their expectations with unwrap/expect/panic: a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "../tests/integration/support.rs"]
mod support;

use std::net::SocketAddr;
use std::os::unix::process::CommandExt as _;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use leadhub_domain::{ReferenceCode, SiteProfile};
use leadhub_store::{Actor, Db};
use leadhub_web::{AppState, WebConfig};
use serde_json::json;
use support::PUBLIC_PAGES;

const AXE_JS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/e2e/node_modules/axe-core/axe.min.js"
);

/// leadhub on a fresh database, a chromedriver, and a browser session shaped like a phone.
struct Browser {
    client: Client,
    base: String,
    db: Db,
    test_db: support::TestDb,
    driver: DriverGuard,
}

/// Kills chromedriver and the Chromium it started (they share a process group), even after a
/// failed assertion.
struct DriverGuard {
    child: std::process::Child,
    _profile: tempfile::TempDir,
}

impl Drop for DriverGuard {
    fn drop(&mut self) {
        let pid = self.child.id();
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .status();
        let _ = self.child.wait();
    }
}

impl Browser {
    async fn start() -> Browser {
        // Short but real: the fill-time guard is exercised by people-speed typing in a browser.
        Self::start_with(WebConfig {
            min_fill_time: Duration::from_millis(500),
            ..WebConfig::default()
        })
        .await
    }

    async fn start_with(config: WebConfig) -> Browser {
        let test_db = support::TestDb::new().await;
        let state = AppState::new(
            test_db.db.clone(),
            SiteProfile::minneapolis().unwrap(),
            config,
        )
        .await
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = leadhub_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver (apt-get install chromium-driver)");
        let profile = tempfile::tempdir().unwrap();
        let driver = DriverGuard {
            child,
            _profile: profile,
        };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let caps = json!({"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/lib/chromium/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--user-data-dir={}", driver._profile.path().display())],
            "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 1.0}}
        }});
        // chromedriver may listen a moment before it can start a session (seen once as a
        // connection reset): a few tries, then fail with the last error.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            let connected =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.as_object().unwrap().clone())
                    .connect(&format!("http://127.0.0.1:{port}"))
                    .await;
            match connected {
                Ok(client) => break client,
                Err(e) if attempt < 4 => {
                    eprintln!("Chromium session, try {attempt}: {e}");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("a Chromium session: {e}"),
            }
        };
        Browser {
            client,
            base,
            db: test_db.db.clone(),
            test_db,
            driver,
        }
    }

    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    async fn type_into(&self, css: &str, text: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .send_keys(text)
            .await
            .unwrap();
    }

    async fn clear(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .clear()
            .await
            .unwrap();
    }

    async fn choose(&self, css: &str, value: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .select_by_value(value)
            .await
            .unwrap();
    }

    async fn text(&self, css: &str) -> String {
        self.client
            .wait()
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    async fn html_lang(&self) -> String {
        self.client
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn screenshot(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(format!("{name}.png")),
            self.client.screenshot().await.unwrap(),
        )
        .unwrap();
    }

    /// axe-core's WCAG 2.1 A/AA violations on the current page.
    async fn axe_violations(&self) -> Vec<serde_json::Value> {
        let source = std::fs::read_to_string(AXE_JS).expect("axe-core: run `npm ci --prefix e2e`");
        // Passed to execute, not added as a <script>: the page's CSP would (rightly) block that.
        self.client.execute(&source, vec![]).await.unwrap();
        let result = self
            .client
            .execute(
                "return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})\
                   .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target)})));",
                vec![],
            )
            .await
            .unwrap();
        result.as_array().cloned().unwrap_or_default()
    }

    async fn url_path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        url.path().to_owned()
    }

    /// Waits (up to 10 s) until the browser is on `path`, as after a form posts and redirects.
    async fn wait_for_path(&self, path: &str) {
        for _ in 0..200 {
            if self.url_path().await == path {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "not on {path} but on {}: {}",
            self.url_path().await,
            self.source().await
        );
    }

    /// Waits (up to 10 s) until the page's source contains `needle`.
    async fn wait_for_text(&self, needle: &str) -> String {
        for _ in 0..200 {
            let source = self.source().await;
            if source.contains(needle) {
                return source;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no {needle:?} in {}", self.source().await);
    }

    async fn source(&self) -> String {
        self.client.source().await.unwrap()
    }

    /// Fails with the violations if axe finds any on the current page.
    async fn assert_accessible(&self, what: &str) {
        let violations = self.axe_violations().await;
        assert!(
            violations.is_empty(),
            "{what}: {}",
            serde_json::to_string_pretty(&violations).unwrap()
        );
    }

    /// Makes the case manager Hodan Ali, signs her in with password and app code, and waits
    /// for `next`; her account id.
    async fn sign_in_as_case_manager(&self, next: &str) -> leadhub_domain::ids::UserId {
        self.sign_in_as(
            leadhub_domain::access::Role::CaseManager,
            "hodan@staff.example",
            "Hodan Ali",
            next,
        )
        .await
    }

    /// Makes an account with `role`, signs it in with password (and app code, for roles that
    /// see personal data), and waits for
    /// `next`; its id.
    async fn sign_in_as(
        &self,
        role: leadhub_domain::access::Role,
        email: &str,
        name: &str,
        next: &str,
    ) -> leadhub_domain::ids::UserId {
        use leadhub_domain::credentials::{NewPassword, TotpSecret};
        let password = "orchard pebble lantern nineteen";
        let totp = TotpSecret::generate();
        let account = leadhub_store::NewAccount {
            email: email.parse().unwrap(),
            name: name.into(),
            role,
            organization: None,
        };
        let parsed = NewPassword::parse(password, password, &[]).unwrap();
        let id = self
            .db
            .add_enrolled_account(&account, &parsed, &totp, false)
            .await
            .unwrap();
        self.goto(next).await;
        self.type_into("#f-email", email).await;
        self.type_into("#f-password", password).await;
        self.click("button[type=submit]").await;
        // Roles that never see personal data sign in with the password alone.
        if role.sees_personal_data() {
            self.wait_for_path("/login/code").await;
            self.type_into("#f-code", &totp.code_at(unix_now())).await;
            self.click("main button[type=submit]").await;
        }
        self.wait_for_path(next).await;
        id
    }

    async fn close(self) {
        let _ = self.client.close().await;
        drop(self.driver);
    }
}

/// Waits long enough for the fill-time guard, as a person would have.
async fn pause_like_a_person() {
    tokio::time::sleep(Duration::from_millis(600)).await;
}

async fn stored_referral(db: &Db, browser: &Browser) -> leadhub_store::StoredReferral {
    let code: ReferenceCode = browser
        .text("#reference-code")
        .await
        .parse()
        .expect("a reference code on the page");
    db.read_referral(&code, &Actor::System)
        .await
        .unwrap()
        .expect("the referral is stored")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_in_somali_a_person_refers_someone_without_a_name() {
    let b = Browser::start().await;
    b.goto("/").await;
    b.click("a[hreflang='so']").await;
    assert_eq!(b.html_lang().await, "so");
    b.click("a[href='/refer']").await;
    b.type_into("#f-features", "Nin dheer, gadh cirro ah, jaakad cagaaran")
        .await;
    b.click("label[for='f-places-lake-chicago']").await;
    b.click("label[for='f-times-morning']").await;
    b.click("label[for='f-referrer_type-business']").await;
    b.click("label[for='f-follow_up-no']").await;
    pause_like_a_person().await;
    b.screenshot("refer-so-filled").await;
    b.click("form.form button[type='submit']").await;
    let code = b.text("#reference-code").await;
    assert!(code.parse::<ReferenceCode>().is_ok(), "{code}");
    assert_eq!(b.html_lang().await, "so");
    b.screenshot("refer-so-done").await;
    let stored = stored_referral(&b.db, &b).await;
    assert_eq!(stored.language, "so");
    assert_eq!(stored.person_name, None);
    assert_eq!(stored.places, vec!["lake-chicago"]);
    assert!(!stored.wants_follow_up);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_in_english_a_referral_with_a_mistake_is_fixed_and_sent() {
    let b = Browser::start().await;
    b.goto("/refer").await;
    b.type_into("#f-hair", "grey beard").await;
    b.type_into("#f-places_other", "Bus shelter by the pharmacy")
        .await;
    b.click("label[for='f-referrer_type-resident']").await;
    b.type_into("#f-referrer_phone", "555-01").await;
    pause_like_a_person().await;
    b.click("form.form button[type='submit']").await;
    // Refused with the reason next to the field, and nothing typed is lost.
    let error = b.text("#f-referrer_phone-error").await;
    assert!(error.contains("US phone number"), "{error}");
    let kept = b
        .client
        .find(Locator::Css("#f-places_other"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Bus shelter by the pharmacy"));
    b.screenshot("refer-en-error").await;
    let phone = b
        .client
        .find(Locator::Css("#f-referrer_phone"))
        .await
        .unwrap();
    phone.clear().await.unwrap();
    phone.send_keys("612-555-0142").await.unwrap();
    pause_like_a_person().await;
    b.click("form.form button[type='submit']").await;
    let next = b.text("#next-step").await;
    assert!(
        next.contains("A case manager will contact you by"),
        "{next}"
    );
    let stored = stored_referral(&b.db, &b).await;
    assert_eq!(stored.referrer_phone.as_deref(), Some("612-555-0142"));
    assert!(stored.wants_follow_up);
    assert_eq!(
        stored.places_other.as_deref(),
        Some("Bus shelter by the pharmacy")
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contact_form_sends_a_question() {
    let b = Browser::start().await;
    b.goto("/contact").await;
    b.type_into("#f-name", "Tou").await;
    b.type_into("#f-reach", "tou@example.org").await;
    b.type_into("#f-message", "Can LEAD speak at our block club meeting?")
        .await;
    b.click("label[for='f-preferred_language-hmn']").await;
    pause_like_a_person().await;
    b.click("form.form button[type='submit']").await;
    let code: ReferenceCode = b.text("#reference-code").await.parse().unwrap();
    let (_, reach, message, lang) =
        b.db.read_inquiry(&code, &Actor::System)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(reach, "tou@example.org");
    assert_eq!(message, "Can LEAD speak at our block club meeting?");
    assert_eq!(lang, "hmn");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_wcag_violations_on_any_public_page_in_any_language() {
    let b = Browser::start().await;
    let mut problems = Vec::new();
    for lang in ["en", "es", "so", "hmn"] {
        b.goto(&format!("/language/{lang}?next=/")).await;
        for path in PUBLIC_PAGES {
            b.goto(path).await;
            let violations = b.axe_violations().await;
            if !violations.is_empty() {
                problems.push(format!(
                    "{lang} {path}: {}",
                    serde_json::to_string_pretty(&violations).unwrap()
                ));
            }
        }
    }
    // Pages that only appear after an action: a refused form and a confirmation.
    b.goto("/language/en?next=/refer").await;
    pause_like_a_person().await;
    b.click("form.form button[type='submit']").await;
    b.text("#form-message").await;
    let refused = b.axe_violations().await;
    if !refused.is_empty() {
        problems.push(format!(
            "refused form: {}",
            serde_json::to_string_pretty(&refused).unwrap()
        ));
    }
    // A confirmation page and the not-found page.
    b.goto("/refer").await;
    b.type_into("#f-features", "Short, red cap").await;
    b.click("label[for='f-places-lake-cedar']").await;
    pause_like_a_person().await;
    b.click("form.form button[type='submit']").await;
    b.text("#reference-code").await;
    for (what, path) in [("confirmation", None), ("not found", Some("/nowhere"))] {
        if let Some(path) = path {
            b.goto(path).await;
        }
        let found = b.axe_violations().await;
        if !found.is_empty() {
            problems.push(format!(
                "{what}: {}",
                serde_json::to_string_pretty(&found).unwrap()
            ));
        }
    }
    b.goto("/fits?age=yes&place=unsure&need=yes").await;
    let checked = b.axe_violations().await;
    if !checked.is_empty() {
        problems.push(format!(
            "self-check result: {}",
            serde_json::to_string_pretty(&checked).unwrap()
        ));
    }
    b.screenshot("home-en").await;
    // The harness itself must see a violation when there is one.
    b.goto("/").await;
    b.client.execute("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=\"probe\">')", vec![]).await.unwrap();
    let probe = b.axe_violations().await;
    assert!(
        probe.iter().any(|v| v["id"] == "label"),
        "axe did not flag an unlabelled input: {probe:?}"
    );
    b.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn unix_now() -> u64 {
    u64::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_invites_a_case_manager_who_enrols_signs_in_and_is_signed_out_when_idle() {
    use leadhub_domain::access::Role;
    use leadhub_domain::credentials::{NewPassword, TotpSecret};
    let idle = Duration::from_secs(4);
    let b = Browser::start_with(WebConfig {
        session: leadhub_store::SessionPolicy {
            idle,
            lifetime: Duration::from_secs(3600),
            demo: false,
        },
        ..WebConfig::default()
    })
    .await;
    let admin_password = "velvet harbor nineteen quarries";
    let admin_totp = TotpSecret::generate();
    let admin = leadhub_store::NewAccount {
        email: "ada@staff.example".parse().unwrap(),
        name: "Ada Admin".into(),
        role: Role::Admin,
        organization: None,
    };
    let parsed = NewPassword::parse(admin_password, admin_password, &[]).unwrap();
    b.db.add_enrolled_account(&admin, &parsed, &admin_totp, false)
        .await
        .unwrap();

    // The administrator signs in: password, then the code from the app.
    b.goto("/staff").await;
    assert_eq!(b.url_path().await, "/login");
    b.assert_accessible("sign-in page").await;
    b.type_into("#f-email", "ada@staff.example").await;
    b.type_into("#f-password", admin_password).await;
    b.click("button[type=submit]").await;
    b.wait_for_path("/login/code").await;
    b.assert_accessible("code page").await;
    b.type_into("#f-code", &admin_totp.code_at(unix_now()))
        .await;
    b.click("main button[type=submit]").await;
    b.wait_for_path("/staff").await;

    // … confirms it is them (account changes ask), and invites a case manager.
    b.goto("/staff/reauth?next=/staff/admin/users").await;
    b.assert_accessible("confirmation page").await;
    b.type_into("#f-password", admin_password).await;
    b.type_into("#f-code", &admin_totp.code_at(unix_now() + 30))
        .await;
    b.click("main button[type=submit]").await;
    b.wait_for_path("/staff/admin/users").await;
    b.assert_accessible("accounts page").await;
    b.type_into("#f-email", "rosa@staff.example").await;
    b.type_into("#f-name", "Rosa Vang").await;
    b.click("main form[action='/staff/admin/users'] button[type=submit]")
        .await;
    let page = b.wait_for_text("/enrol/").await;
    let start = page.find("/enrol/").expect("a set-up link");
    let link = page[start..start + "/enrol/".len() + 43].to_owned();

    // The administrator signs out; the case manager sets up her account from the link.
    b.click("form.sign-out button").await;
    b.wait_for_path("/login").await;
    let rosa = b;
    rosa.goto(&link).await;
    rosa.assert_accessible("set-up page").await;
    rosa.screenshot("enrol").await;
    let secret = TotpSecret::from_base32(&rosa.text("code.secret").await).unwrap();
    let password = "copper meadow lantern ferries";
    rosa.type_into("#f-password", password).await;
    rosa.type_into("#f-repeat", password).await;
    rosa.type_into("#f-code", &secret.code_at(unix_now())).await;
    rosa.click("main button[type=submit]").await;
    rosa.wait_for_text("recovery codes").await;
    rosa.assert_accessible("recovery codes page").await;
    rosa.screenshot("enrolled").await;

    // She signs in (the next step's code: the one used at set-up works once).
    rosa.click("a.button").await;
    rosa.wait_for_path("/login").await;
    rosa.type_into("#f-email", "rosa@staff.example").await;
    rosa.type_into("#f-password", password).await;
    rosa.click("button[type=submit]").await;
    rosa.wait_for_path("/login/code").await;
    rosa.type_into("#f-code", &secret.code_at(unix_now() + 30))
        .await;
    rosa.click("main button[type=submit]").await;
    rosa.wait_for_path("/staff").await;
    assert!(rosa.source().await.contains("case_manager"));
    rosa.assert_accessible("staff home").await;
    rosa.screenshot("staff-home").await;

    // Left alone longer than the idle limit, the session ends.
    tokio::time::sleep(idle + Duration::from_secs(1)).await;
    rosa.goto("/staff/sessions").await;
    rosa.wait_for_path("/login").await;
    rosa.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_a_case_manager_answers_screens_finds_and_enrols_a_referred_person() {
    let b = Browser::start().await;

    // Someone refers a person they know only by sight.
    b.goto("/refer").await;
    b.type_into("#f-features", "Tall, grey beard, green army jacket")
        .await;
    b.click("label[for='f-places-lake-chicago']").await;
    b.type_into("#f-referrer_phone", "612-555-0199").await;
    b.click("label[for='f-follow_up-yes']").await;
    pause_like_a_person().await;
    b.click("form.form button[type='submit']").await;
    let code = b.text("#reference-code").await;

    // A case manager signs in on her phone.
    b.sign_in_as_case_manager("/staff/referrals").await;

    // The queue shows the referral with its clock; she opens it and takes it.
    let queue = b.wait_for_text(&code).await;
    assert!(queue.contains("of open time left") || queue.contains("Overdue"));
    b.assert_accessible("referral queue").await;
    b.screenshot("triage-queue").await;
    b.click("ul.queue a").await;
    b.wait_for_text("Take this referral").await;
    b.assert_accessible("referral page").await;
    b.screenshot("triage-referral").await;
    b.click("form[action$='/claim'] button").await;
    b.wait_for_text("Assigned to Hodan Ali").await;

    // She calls the referrer back: the clock stops.
    b.click("label[for='f-method-call']").await;
    b.click("form[action$='/acknowledge'] button").await;
    b.wait_for_text("Referrer contact: Phone call").await;
    assert!(b.source().await.contains("Answered"));

    // Screening: the corridor is suggested from the place picked; she confirms the rest.
    b.click("label[for='f-adult-yes']").await;
    b.click("label[for='f-nexus-extreme_poverty']").await;
    b.click("label[for='f-conflict-no']").await;
    b.click("form[action$='/screen'] button").await;
    b.wait_for_text("Screening: eligible").await;

    // Outreach: she finds him at the bus shelter.
    b.click("label[for='f-found-yes']").await;
    b.click("form[action$='/outreach'] button").await;
    b.wait_for_text("Outreach: found").await;
    b.assert_accessible("referral page in outreach").await;

    // Nobody like him is known; she enrols him with his agreement.
    b.click("a[href$='/enrol']").await;
    b.wait_for_text("Enrol as a new participant").await;
    b.assert_accessible("identity and enrolment page").await;
    b.type_into("#f-given_name", "Abdullahi").await;
    b.type_into("#f-aliases", "Grey").await;
    b.click("label[for='f-consent']").await;
    b.screenshot("triage-enrol").await;
    b.click("form[method='post'][action$='/enrol'] button")
        .await;
    b.wait_for_text("Abdullahi").await;
    assert!(b.url_path().await.starts_with("/staff/participants/"));

    // The other triage pages pass axe too: the inside referral form and the inquiry queue.
    b.goto("/staff/referrals/new").await;
    b.wait_for_text("How the referral comes").await;
    b.assert_accessible("inside referral form").await;
    b.goto("/staff/inquiries").await;
    b.wait_for_text("open inquiries").await;
    b.assert_accessible("inquiry queue").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn possible_matches_follow_what_the_case_manager_types() {
    let b = Browser::start().await;
    b.goto("/refer").await;
    b.type_into("#f-features", "Short, long black hair").await;
    b.click("label[for='f-places-lake-chicago']").await;
    pause_like_a_person().await;
    b.click("form.form button[type='submit']").await;
    b.text("#reference-code").await;
    let referral = stored_referral(&b.db, &b).await;
    b.db.enrol_participant(
        "Guadalupe",
        "Hernández",
        None,
        &Actor::System,
        leadhub_store::now(),
    )
    .await
    .unwrap();
    b.sign_in_as_case_manager(&format!("/staff/referrals/{}/enrol", referral.id))
        .await;
    b.wait_for_text("Possible matches").await;
    // She types a nickname and an unaccented surname, and does not press Search: the panel
    // follows what she types.
    b.type_into("#f-name", "Lupe Hernandez").await;
    let page = b.wait_for_text("Guadalupe Hernández").await;
    assert!(page.contains("likely the same person"), "{page}");
    assert!(page.contains("given name: a known variant or other name"));
    b.assert_accessible("enrolment page with possible matches")
        .await;
    b.screenshot("possible-matches").await;
    b.close().await;
}

#[tokio::test]
async fn on_a_phone_a_case_manager_logs_a_contact_in_two_taps_and_a_round_in_three() {
    let b = Browser::start().await;
    // Her caseload: the account comes first, then the people in it.
    let placeholder = "/staff";
    let me = b.sign_in_as_case_manager(placeholder).await;
    let mut people = Vec::new();
    for (given, family) in [("Abdullahi", "Grey"), ("Maria", "Lopez"), ("Pa", "Vang")] {
        let id =
            b.db.enrol_participant(
                given,
                family,
                Some(me),
                &Actor::System,
                leadhub_store::now(),
            )
            .await
            .unwrap();
        people.push(id);
    }
    b.goto("/staff/participants").await;
    b.wait_for_text("Abdullahi Grey").await;
    b.assert_accessible("caseload").await;
    b.screenshot("caseload").await;

    // The common contact: from the caseload, "Log contact", then "Save". Two taps.
    let started = std::time::Instant::now();
    let mut taps = 0;
    b.click(&format!(
        "a[href='/staff/participants/{}/contact']",
        people[0]
    ))
    .await;
    taps += 1;
    b.wait_for_text("Log a contact: Abdullahi Grey").await;
    b.click("main form[action$='/contact'] button[type=submit]")
        .await;
    taps += 1;
    b.wait_for_text("Contact logged.").await;
    let took = started.elapsed();
    assert_eq!(taps, 2, "the common contact is two taps from the caseload");
    eprintln!(
        "common contact: {taps} taps, {} ms in the browser",
        took.as_millis()
    );

    // The form passes axe, and so do its errors.
    b.goto(&format!("/staff/participants/{}/contact", people[1]))
        .await;
    b.assert_accessible("contact form").await;
    b.screenshot("contact-form").await;
    b.type_into("#f-minutes_other", "0").await;
    b.click("main form[action$='/contact'] button[type=submit]")
        .await;
    b.wait_for_text("Give a whole number from 1 to 720.").await;
    b.assert_accessible("contact form with an error").await;

    // An outreach round: tick two people "Seen", then log them all. Three taps.
    b.goto("/staff/participants").await;
    b.wait_for_text("Seen today").await;
    let mut taps = 0;
    for id in &people[1..] {
        b.click(&format!("label[for='seen-{id}']")).await;
        taps += 1;
    }
    b.click("#seen-form button[type=submit]").await;
    taps += 1;
    b.wait_for_text("Logged “seen today” for 2 people.").await;
    assert_eq!(taps, 3);
    let (_, _, contacts) = b.db.demo_counts().await.unwrap();
    assert_eq!(contacts, 3);

    // The record shows the contact; the monthly status form is there and accessible.
    b.goto(&format!("/staff/participants/{}", people[0])).await;
    b.wait_for_text("Street outreach · 15 min").await;
    b.assert_accessible("participant record").await;
    b.screenshot("participant-record").await;
    b.click("a[href$='/status']").await;
    b.wait_for_text("Month described").await;
    b.assert_accessible("monthly status form").await;
    b.close().await;
}

#[tokio::test]
async fn on_a_phone_a_case_manager_places_a_contact_by_location_and_writes_the_plan() {
    let b = Browser::start().await;
    let me = b.sign_in_as_case_manager("/staff").await;
    let person =
        b.db.enrol_participant(
            "Xee",
            "Yang",
            Some(me),
            &Actor::System,
            leadhub_store::now(),
        )
        .await
        .unwrap();

    // "Use my location" fills the map point from the device (stubbed here: the test machine
    // has no position), and the contact is saved at that point.
    b.goto(&format!("/staff/participants/{person}/contact"))
        .await;
    b.wait_for_text("Log a contact: Xee Yang").await;
    b.client
        .execute(
            "navigator.geolocation.getCurrentPosition = function (ok) { \
               ok({coords: {latitude: 44.948312, longitude: -93.262401, accuracy: 12}}); };",
            vec![],
        )
        .await
        .unwrap();
    b.click("button[data-locate]").await;
    b.wait_for_text("Location filled in (to about 100 m).")
        .await;
    let point = b
        .client
        .find(Locator::Css("#f-point"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        point.as_deref(),
        Some("44.948, -93.262"),
        "rounded to about 100 m"
    );
    b.assert_accessible("contact form with a located point")
        .await;
    b.click("main form[action$='/contact'] button[type=submit]")
        .await;
    b.wait_for_text("Contact logged.").await;
    assert_eq!(b.db.demo_counts().await.unwrap().2, 1);

    // The plan: the first goal, in her words, from a phone.
    b.goto(&format!("/staff/participants/{person}/plan")).await;
    b.wait_for_text("No goals yet.").await;
    b.assert_accessible("empty plan").await;
    b.click("label[for='goal-new-domain-income_benefits']")
        .await;
    b.type_into("#goal-new-words", "Get my SSI back").await;
    b.click("main form[action$='/goals'] button[type=submit]")
        .await;
    b.wait_for_text("Goal saved.").await;
    b.wait_for_text("Income and benefits: “Get my SSI back”")
        .await;
    b.assert_accessible("plan with a goal").await;
    b.screenshot("plan").await;

    // The consent form prints in Hmong, and passes axe in every language.
    for lang in ["en", "es", "so", "hmn"] {
        b.goto(&format!(
            "/staff/participants/{person}/consent-form?lang={lang}"
        ))
        .await;
        b.wait_for_text("Xee Yang").await;
        assert_eq!(b.html_lang().await, lang);
        b.assert_accessible(&format!("consent form ({lang})")).await;
    }
    b.screenshot("consent-form").await;
    b.goto("/staff/partners").await;
    b.wait_for_text("Organisations case managers refer people to")
        .await;
    b.assert_accessible("partner directory").await;
    b.close().await;
}

#[tokio::test]
async fn the_project_manager_reads_the_dashboard_and_publishes_a_quarter() {
    use leadhub_domain::access::Role;
    let b = Browser::start().await;
    b.sign_in_as(
        Role::ProjectManager,
        "amina@staff.example",
        "Amina Warsame",
        "/staff/results",
    )
    .await;
    b.wait_for_text("Change since enrolment").await;
    b.assert_accessible("staff Data & Results").await;
    b.goto("/staff/results?from=2024-13").await;
    b.wait_for_text("Write the month as YYYY-MM").await;
    b.assert_accessible("staff Data & Results with an error")
        .await;
    b.goto("/staff/results").await;
    b.click("form[action='/staff/results/publish'] button")
        .await;
    b.wait_for_text("Quarter published").await;
    b.goto("/data").await;
    b.click("a[href^='/data/published/']").await;
    b.wait_for_text("They never change").await;
    b.assert_accessible("a published quarter").await;
    b.close().await;
}

#[tokio::test]
async fn an_evaluator_reads_the_outcomes_on_the_first_sites_history() {
    use leadhub_domain::access::Role;
    let b = Browser::start().await;
    let site = SiteProfile::minneapolis().unwrap();
    let places: Vec<String> = site.places.iter().map(|p| p.key.clone()).collect();
    let spec = leadhub_store::DemoSpec::first_site(&site.calendar, site.program_start);
    b.db.seed_demo(&spec, &site.calendar, &places, leadhub_store::now())
        .await
        .unwrap();
    b.sign_in_as(
        Role::Evaluator,
        "lena@evaluation.example",
        "Lena Evaluator",
        "/staff/outcomes",
    )
    .await;
    b.wait_for_text("Odds ratio, after against before").await;
    b.assert_accessible("staff Outcomes with its interval chart")
        .await;
    b.close().await;
}

#[tokio::test]
async fn a_case_manager_records_a_legal_matter_and_asks_the_prosecutor_to_hold_filing() {
    let b = Browser::start().await;
    let me = b.sign_in_as_case_manager("/staff").await;
    let person =
        b.db.enrol_participant(
            "Hamza",
            "Farah",
            Some(me),
            &Actor::System,
            leadhub_store::now(),
        )
        .await
        .unwrap();
    b.goto(&format!("/staff/participants/{person}/legal")).await;
    b.wait_for_text("No legal matters recorded.").await;
    b.assert_accessible("no legal matters").await;

    // A form sent without charges comes back with its errors, and stays accessible.
    b.type_into("#matter-new-jurisdiction", "Hennepin County District Court")
        .await;
    b.click("main form[action$='/legal'] button[type=submit]")
        .await;
    b.wait_for_text("Not saved yet: see below.").await;
    b.assert_accessible("matter form with errors").await;

    b.choose("#matter-new-charge1_listed", "trespass").await;
    b.choose("#matter-new-charge1_level", "misdemeanor").await;
    b.type_into("#matter-new-charge2_words", "Assault in the fifth degree")
        .await;
    b.choose("#matter-new-charge2_level", "misdemeanor").await;
    b.choose("#matter-new-status", "pre_charge").await;
    b.click("main form[action$='/legal'] button[type=submit]")
        .await;
    b.wait_for_text("Legal matter saved.").await;
    b.wait_for_text("not divertible: coordinate with the prosecutor")
        .await;
    b.assert_accessible("a legal matter").await;

    b.click("section.matter details:nth-of-type(1) summary")
        .await;
    b.choose("select[name=kind]", "hold_filing").await;
    b.type_into(
        "form[action$='/legal/requests'] textarea[name=words]",
        "Housing interview next week; please hold filing until after.",
    )
    .await;
    b.click("form[action$='/legal/requests'] button[type=submit]")
        .await;
    b.wait_for_text("Request added to the coordination log.")
        .await;
    b.wait_for_text("Hold filing while they are engaged").await;
    b.assert_accessible("a matter with a request").await;
    b.screenshot("legal").await;

    b.goto("/staff/legal/lookup").await;
    b.type_into("#lookup-name", "Hamza Farah").await;
    // A date field takes typing in the browser's locale; set its value as a picker would.
    b.client
        .execute(
            "document.querySelector('#lookup-dob').value = '1990-01-15';",
            vec![],
        )
        .await
        .unwrap();
    b.click("main form button[type=submit]").await;
    b.wait_for_text("Answer").await;
    b.assert_accessible("legal lookup answer").await;
    b.close().await;
}

#[tokio::test]
async fn the_project_manager_uploads_a_booking_feed_and_builds_the_case_conference_agenda() {
    use leadhub_domain::access::Role;
    let b = Browser::start().await;
    let me = b
        .sign_in_as(
            Role::ProjectManager,
            "amina@staff.example",
            "Amina Warsame",
            "/staff/bookings",
        )
        .await;
    b.db.enrol_participant(
        "Hamza",
        "Farah",
        Some(me),
        &Actor::System,
        leadhub_store::now(),
    )
    .await
    .unwrap();
    b.wait_for_text("Upload and match").await;
    b.assert_accessible("booking feed").await;

    // A file with a formula in it imports nothing and says where.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "name,dob,booked_at,charges,agency\nHamza Farah,1990-01-15,2026-11-20 10:00,=HYPERLINK(1),MPD\n",
    )
    .unwrap();
    b.type_into("#feed-file", bad.to_str().unwrap()).await;
    b.click("main form button[type=submit]").await;
    b.wait_for_text("Problems with the file").await;
    b.wait_for_text("which a spreadsheet would run as a formula")
        .await;
    b.assert_accessible("booking feed with problems").await;

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "name,dob,booked_at,charges,agency\nHamza Farah,1990-01-15,2026-11-20 10:00,Trespass,MPD\n\
         Zebulon Quartermaine,1961-02-02,2026-11-20 11:00,Theft,MPD\n",
    )
    .unwrap();
    b.type_into("#feed-file", good.to_str().unwrap()).await;
    b.click("main form button[type=submit]").await;
    b.wait_for_text("What became of the rows").await;
    b.assert_accessible("booking feed counts").await;
    b.goto("/staff/bookings/review").await;
    b.wait_for_text("Whose booking is it?").await;
    b.assert_accessible("bookings to review").await;

    // Hamza is waiting for review (no birth year is recorded): say it is him.
    b.click("input[name=choice]:not([value=none])").await;
    b.click("main form button[type=submit]").await;
    b.wait_for_text("Linked: their case manager is told.").await;

    b.goto("/staff/owg").await;
    b.wait_for_text("Plan it and build the agenda").await;
    b.assert_accessible("case conferencing").await;
    b.type_into("#meeting-place", "LEAD office").await;
    b.click("main form button[type=submit]").await;
    b.wait_for_text("Meeting planned").await;
    b.wait_for_text("Booked since the last meeting").await;
    b.assert_accessible("an agenda").await;
    b.screenshot("owg").await;

    b.goto("/staff/policy").await;
    b.wait_for_text("In force").await;
    b.assert_accessible("diversion policy").await;
    b.click("main details summary").await;
    b.click("form[action='/staff/policy'] button[type=submit]")
        .await;
    b.wait_for_text("Not recorded yet: see below.").await;
    b.assert_accessible("policy form with errors").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referrer_rates_their_referral_and_the_project_manager_shares_the_comment() {
    use leadhub_domain::access::Role;
    let b = Browser::start().await;
    b.goto("/language/es?next=/feedback").await;
    pause_like_a_person().await;
    b.click("form.form button[type='submit']").await;
    b.text("#form-message").await;
    b.assert_accessible("the feedback form refused, in Spanish")
        .await;
    b.click("label[for='f-answered-later']").await;
    b.click("label[for='f-rating-not_well']").await;
    b.type_into(
        "#f-comment",
        "Nadie me llamó hasta el jueves, pero ayudaron a Don Chuy.",
    )
    .await;
    b.click("form.form button[type='submit']").await;
    b.text("#next-step").await;
    b.assert_accessible("feedback received, in Spanish").await;

    b.sign_in_as(
        Role::ProjectManager,
        "amina@staff.example",
        "Amina Warsame",
        "/staff/feedback",
    )
    .await;
    b.wait_for_text("Don Chuy").await;
    b.assert_accessible("the project manager's feedback review")
        .await;
    b.clear("textarea[name='wording']").await;
    b.type_into(
        "textarea[name='wording']",
        "Nobody called until Thursday, but they helped.",
    )
    .await;
    b.click("button[name='decision'][value='share']").await;
    b.wait_for_text("Shared: the Community Leadership Team")
        .await;
    // The team's view counts months that have ended: move the feedback to last month.
    let calendar = leadhub_domain::SiteProfile::minneapolis().unwrap().calendar;
    let last_month = leadhub_domain::snapshot::Month::of(calendar.day_of(leadhub_store::now()))
        .previous()
        .first_day();
    b.test_db
        .execute(&format!(
            "UPDATE community_feedback SET received_at = {}",
            b.test_db
                .timestamp_sql(calendar.start_of(last_month) + time::Duration::hours(12))
        ))
        .await;
    b.goto("/staff/community").await;
    b.wait_for_text("Nobody called until Thursday, but they helped.")
        .await;
    assert!(!b.source().await.contains("Don Chuy"));
    b.assert_accessible("the community view").await;
    b.close().await;
}
