//! No personal data in the logs: distinctive names go through every path that handles them
//! (a public referral, an invitation, sign-ins right and wrong, a participant's record with
//! notes), with every log level on, and none of them appears in what was logged.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use leadhub_domain::access::Role;

use crate::support::{MINIMAL, TestApp};

/// Log output kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const PERSON: &str = "Zorbaline Quixtaroth";
const DESCRIPTION: &str = "sleeps behind the Vexmarrow laundromat";
const STAFF_NAME: &str = "Ulthrane Pomeroyd";
const STAFF_EMAIL: &str = "ulthrane.pomeroyd@staff.example";
const NOTE: &str = "Talked about Kessvane withdrawal";
const WRONG_PASSWORD: &str = "Plimsoll Oxbridge Wrongly";

#[tokio::test]
async fn distinctive_names_never_reach_the_logs() {
    // The process-wide subscriber (a thread-local one misses events when other tests' threads
    // settle tracing's per-call-site interest first): every test in this binary logs into
    // `captured` from here on, which only gives the search more to look through.
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("no other test sets one");
    tracing::callsite::rebuild_interest_cache();

    let app = TestApp::new().await;
    let mut fields = MINIMAL.to_vec();
    fields.extend([("person_name", PERSON), ("features", DESCRIPTION)]);
    assert_eq!(app.refer(&fields).await.status, StatusCode::SEE_OTHER);

    let admin = app.staff(Role::Admin).await;
    let browser = app.sign_in(&admin).await;
    app.confirm(&admin, &browser).await;
    let invited = app
        .post_as(
            "/staff/admin/users",
            &browser,
            &[
                ("email", STAFF_EMAIL),
                ("name", STAFF_NAME),
                ("role", "case_manager"),
            ],
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK);
    let (wrong, _) = app.post_login(STAFF_EMAIL, WRONG_PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

    let manager = app.staff(Role::CaseManager).await;
    let person = app.participant(manager.id, false).await;
    app.db
        .add_note(
            person,
            leadhub_domain::consent::Sensitivity::SubstanceUse,
            NOTE,
            &leadhub_store::Actor::System,
            leadhub_store::now(),
        )
        .await
        .unwrap();
    let pm = app.staff(Role::ProjectManager).await;
    let pm_browser = app.sign_in(&pm).await;
    let page = app
        .get_as(&format!("/staff/participants/{person}"), &pm_browser)
        .await;
    assert!(page.body.contains(NOTE));
    // A refused and a failing request log too.
    app.get("/staff/admin/audit").await;
    app.get("/refer/received/Zorbaline%20Quixtaroth").await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("/staff/participants/{id}"),
        "requests were logged: {logs}"
    );
    for secret in [
        PERSON,
        "Quixtaroth",
        DESCRIPTION,
        "Vexmarrow",
        STAFF_NAME,
        "Pomeroyd",
        STAFF_EMAIL,
        NOTE,
        "Kessvane",
        WRONG_PASSWORD,
        &admin.password,
        &admin.email,
    ] {
        assert!(!logs.contains(secret), "{secret:?} was logged");
    }
}
