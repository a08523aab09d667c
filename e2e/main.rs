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
    _test_db: support::TestDb,
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
        let test_db = support::TestDb::new().await;
        // Short but real: the fill-time guard is exercised by people-speed typing in a browser.
        let config = WebConfig {
            min_fill_time: Duration::from_millis(500),
            ..WebConfig::default()
        };
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
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.as_object().unwrap().clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        Browser {
            client,
            base,
            db: test_db.db.clone(),
            _test_db: test_db,
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
