//! The booking feed: a CSV upload matched against participants. Sure matches are linked and
//! the case manager told; unsure ones wait for review and are never linked until someone
//! says whose they are; rows that match no participant are counted and kept nowhere. A bad
//! file imports nothing and says why, line by line.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leadhub_domain::access::Role;
use leadhub_domain::ids::{ParticipantId, UserId};
use leadhub_store::Actor;

use crate::support::{Browser, Page, TestApp};

const BOUNDARY: &str = "leadhubTestBoundary7MA4YWxkTrZu0gW";

/// A multipart body: the text fields, then the file as `feed` (if any).
fn multipart(fields: &[(&str, &str)], file: Option<&[u8]>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some(file) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"feed\"; filename=\"bookings.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(app: &TestApp, browser: &Browser, body: Vec<u8>) -> Page {
    let request = Request::post("/staff/bookings")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, &browser.cookies)
        .body(Body::from(body))
        .unwrap();
    app.request(request).await
}

/// Uploads `csv` with the session's token and `fields`.
async fn upload(app: &TestApp, browser: &Browser, csv: &str, fields: &[(&str, &str)]) -> Page {
    let mut all = vec![("csrf", browser.csrf.as_str())];
    all.extend_from_slice(fields);
    post_multipart(app, browser, multipart(&all, Some(csv.as_bytes()))).await
}

/// A participant of `case_manager` with this name and recorded birth year.
async fn enrolled(
    app: &TestApp,
    case_manager: UserId,
    given: &str,
    family: &str,
    born: u16,
) -> ParticipantId {
    let id = app
        .db
        .enrol_participant(
            given,
            family,
            Some(case_manager),
            &Actor::System,
            leadhub_store::now(),
        )
        .await
        .unwrap();
    app.test_db
        .execute(&format!(
            "UPDATE people SET birth_year = {born} WHERE id = (SELECT person_id FROM participants WHERE id = '{id}')"
        ))
        .await;
    id
}

async fn count(app: &TestApp, sql: &str) -> String {
    app.test_db.query_strings(sql).await.concat()
}

const FEED: &str = "Name,DOB,Booked_At,Released_At,Charges,Agency,Booking_Number\r\n\
    \"XIONG, PAO\",01/31/1990,11/20/2026 23:15,,Trespass,Hennepin County Sheriff,2026-041234\r\n\
    Mohamed Hassan,1984-03-07,2026-11-21 08:00,2026-11-22 10:30,Theft,Minneapolis Police,\r\n\
    Zebulon Quartermaine,1950-06-01,2026-11-21 09:00,,Loitering,Minneapolis Police,\r\n";

/// Pao Xiong (one of a kind) and two Mohamed Hassans born the same year.
struct Caseload {
    pao: ParticipantId,
    mo1: ParticipantId,
    mo2: ParticipantId,
}

async fn caseload(app: &TestApp, cm: UserId) -> Caseload {
    Caseload {
        pao: enrolled(app, cm, "Pao", "Xiong", 1990).await,
        mo1: enrolled(app, cm, "Mohamed", "Hassan", 1984).await,
        mo2: enrolled(app, cm, "Mohamed", "Hassan", 1984).await,
    }
}

async fn signed_in(app: &TestApp, role: Role) -> (UserId, Browser) {
    let staff = app.staff(role).await;
    let browser = app.sign_in(&staff).await;
    (staff.id, browser)
}

#[tokio::test]
async fn a_feed_links_the_sure_reviews_the_unsure_and_keeps_no_stranger() {
    let app = TestApp::new().await;
    let (cm, cm_browser) = signed_in(&app, Role::CaseManager).await;
    let people = caseload(&app, cm).await;
    let (_, admin) = signed_in(&app, Role::Admin).await;

    let sent = upload(&app, &admin, FEED, &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.location().starts_with("/staff/bookings?imported="));
    let page = app.get_as(sent.location(), &admin).await;
    assert_eq!(page.status, StatusCode::OK);
    for (what, n) in [
        ("Rows in the file", 3),
        ("Linked to participants", 1),
        ("Waiting for review", 1),
        ("Matched no participant, not kept", 1),
    ] {
        assert!(
            page.body.contains(&format!("<dt>{what}</dt><dd>{n}</dd>")),
            "{what}: {}",
            page.body
        );
    }
    // The uploader learns counts, never whom.
    for name in ["Xiong", "XIONG", "Hassan", "Quartermaine"] {
        assert!(!page.body.contains(name), "{name}");
    }

    let pao = people.pao;
    assert_eq!(
        app.test_db
            .query_strings(&format!(
                "SELECT agency || '|' || charges || '|' || COALESCE(booking_number, '') || '|' || COALESCE(linked_by, 'engine') \
                 || '|' || kind FROM bookings WHERE participant_id = '{pao}'"
            ))
            .await,
        vec!["Hennepin County Sheriff|Trespass|2026-041234|engine|booking"]
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS TEXT) FROM bookings").await,
        "1"
    );
    // The two Hassans are both candidates of the one row waiting; neither is linked.
    let mut candidates = app
        .test_db
        .query_strings("SELECT participant_id FROM booking_candidates")
        .await;
    candidates.sort();
    let mut both = vec![people.mo1.to_string(), people.mo2.to_string()];
    both.sort();
    assert_eq!(candidates, both);
    // The stranger is nowhere: not waiting, not in the audit log.
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS TEXT) FROM booking_reviews WHERE family_name = 'Quartermaine'"
        )
        .await,
        "0"
    );
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE outcome LIKE '%Quartermaine%' \
             OR outcome LIKE '%Xiong%' OR outcome LIKE '%Hassan%'"
        )
        .await,
        "0"
    );
    let tail = app.audit_tail(3).await;
    assert!(
        tail.iter()
            .any(|(_, action, outcome)| action == "booking.import"
                && outcome == "ok: 3 rows, 1 linked, 1 to review, 1 discarded"),
        "{tail:?}"
    );
    assert!(
        tail.iter()
            .any(|(_, action, outcome)| action == "booking.link"
                && outcome == "ok: linked by the engine"),
        "{tail:?}"
    );

    // The case manager is told, and the booking is on the legal page.
    let home = app.get_as("/staff", &cm_browser).await;
    assert!(
        home.body
            .contains(&format!("/staff/participants/{pao}/legal")),
        "{}",
        home.body
    );
    let legal = app
        .get_as(&format!("/staff/participants/{pao}/legal"), &cm_browser)
        .await;
    assert!(legal.body.contains("Hennepin County Sheriff"));
    assert!(legal.body.contains("2026-041234"));
    // 23:15 on the site's clock, as the feed gave it.
    assert!(legal.body.contains("2026-11-20 23:15"), "{}", legal.body);
}

#[tokio::test]
async fn the_project_manager_says_whose_an_unsure_booking_is() {
    let app = TestApp::new().await;
    let (cm, _) = signed_in(&app, Role::CaseManager).await;
    let people = caseload(&app, cm).await;
    let (pm, pm_browser) = signed_in(&app, Role::ProjectManager).await;
    let twice = format!(
        "{FEED}Mohamed Hassan,1984-03-07,2026-11-23 08:00,,Disorderly conduct,Metro Transit Police,\r\n"
    );
    let sent = upload(&app, &pm_browser, &twice, &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let feed = app.get_as("/staff/bookings", &pm_browser).await;
    assert!(
        feed.body.contains("Bookings to review (2)"),
        "{}",
        feed.body
    );

    let queue = app.get_as("/staff/bookings/review", &pm_browser).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("Mohamed Hassan, born 1984-03-07"));
    assert!(queue.body.contains(&people.mo1.to_string()));
    assert!(queue.body.contains(&people.mo2.to_string()));
    let reviews = app
        .test_db
        .query_strings("SELECT id FROM booking_reviews ORDER BY booked_at")
        .await;
    assert_eq!(reviews.len(), 2);

    // Someone the row was not matched with cannot be chosen; choosing nothing decides nothing.
    let pao = people.pao.to_string();
    let wrong = app
        .post_as(
            "/staff/bookings/review",
            &pm_browser,
            &[("review", &reviews[0]), ("choice", &pao)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let none = app
        .post_as(
            "/staff/bookings/review",
            &pm_browser,
            &[("review", &reviews[0])],
        )
        .await;
    assert_eq!(none.location(), "/staff/bookings/review?decided=unchosen");

    let mo2 = people.mo2.to_string();
    let linked = app
        .post_as(
            "/staff/bookings/review",
            &pm_browser,
            &[("review", &reviews[0]), ("choice", &mo2)],
        )
        .await;
    assert_eq!(linked.location(), "/staff/bookings/review?decided=linked");
    assert_eq!(
        app.test_db
            .query_strings(&format!(
                "SELECT charges || '|' || linked_by FROM bookings WHERE participant_id = '{mo2}'"
            ))
            .await,
        vec![format!("Theft|{pm}")]
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM notifications WHERE user_id = '{cm}' AND record_id = '{mo2}'"
            )
        )
        .await,
        "1"
    );
    let again = app
        .post_as(
            "/staff/bookings/review",
            &pm_browser,
            &[("review", &reviews[0]), ("choice", &mo2)],
        )
        .await;
    assert_eq!(again.location(), "/staff/bookings/review?decided=already");

    let discarded = app
        .post_as(
            "/staff/bookings/review",
            &pm_browser,
            &[("review", &reviews[1]), ("choice", "none")],
        )
        .await;
    assert_eq!(
        discarded.location(),
        "/staff/bookings/review?decided=discarded"
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS TEXT) FROM booking_reviews").await,
        "0"
    );
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS TEXT) FROM booking_candidates"
        )
        .await,
        "0"
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS TEXT) FROM bookings").await,
        "2",
        "Pao's by the engine and the one said to be Mohamed's"
    );
    let tail = app.audit_tail(4).await;
    assert!(
        tail.iter()
            .any(|(_, a, o)| a == "booking.review" && o == "ok: no one's, discarded"),
        "{tail:?}"
    );
    assert_eq!(
        app.test_db
            .query_strings("SELECT outcome FROM audit_log WHERE action = 'booking.review.read'")
            .await,
        vec!["ok: 2 shown"]
    );
}

#[tokio::test]
async fn a_bad_file_imports_nothing_and_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let (cm, _) = signed_in(&app, Role::CaseManager).await;
    caseload(&app, cm).await;
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let bad = "last,first,birth,in,offense\r\n\
        Xiong,Pao,1990-01-31,2026-11-20 23:15,Trespass\r\n\
        Hassan,Mohamed,1984-03-07,2026-11-21 08:00,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\r\n\
        Cruz,Lupe,1979-02-30,2026-11-21 08:00,Theft\r\n";
    let columns = "last=last_name, first=first_name\nbirth=dob, in=booked_at, offense=charges";
    let page = upload(
        &app,
        &liaison,
        bad,
        &[("agency", "Metro Transit Police"), ("columns", columns)],
    )
    .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("Nothing was imported"));
    assert!(
        page.body
            .contains("Line 3, column charges: the cell starts with =")
    );
    assert!(!page.body.contains("HYPERLINK"));
    assert!(
        page.body
            .contains("Line 4, column dob: &#34;1979-02-30&#34; is not a date of birth")
    );
    assert_eq!(
        page.input_value("agency").as_deref(),
        Some("Metro Transit Police")
    );
    assert!(
        page.body
            .contains("in=booked_at, offense=charges</textarea>")
    );
    for table in ["booking_imports", "bookings", "booking_reviews"] {
        assert_eq!(
            count(&app, &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}")).await,
            "0",
            "{table}"
        );
    }

    // The same file without its column names says which header it does not know.
    let page = upload(&app, &liaison, bad, &[("agency", "Metro Transit Police")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Line 1, column 1: &#34;last&#34; is not a column this reads")
    );
    // No file at all.
    let all = [("csrf", liaison.csrf.as_str())];
    let page = post_multipart(&app, &liaison, multipart(&all, None)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("The file is empty"));

    // Corrected, the liaison's upload goes through and tells them only counts.
    let good = "last,first,birth,in,offense\r\nXiong,Pao,1990-01-31,2026-11-20 23:15,Trespass\r\n";
    let sent = upload(
        &app,
        &liaison,
        good,
        &[("agency", "Metro Transit Police"), ("columns", columns)],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = app.get_as(sent.location(), &liaison).await;
    assert!(
        page.body
            .contains("<dt>Linked to participants</dt><dd>1</dd>")
    );
    assert!(!page.body.contains("Xiong"));
    assert!(
        !page.body.contains("Bookings to review"),
        "a liaison does not review"
    );
}

#[tokio::test]
async fn an_upload_too_large_or_without_its_token_is_refused() {
    let app = TestApp::new().await;
    let (_, admin) = signed_in(&app, Role::Admin).await;
    let no_token = post_multipart(&app, &admin, multipart(&[], Some(FEED.as_bytes()))).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);

    let huge = vec![b'a'; leadhub_web::upload::MAX_UPLOAD_BYTES + 1];
    let all = [("csrf", admin.csrf.as_str())];
    let page = post_multipart(&app, &admin, multipart(&all, Some(&huge))).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);

    // A body an upload may have is still too large for any other form.
    let big_form = format!("csrf={}&name={}", admin.csrf, "a".repeat(100_000));
    let page = app
        .post_raw(
            "/staff/admin/users",
            Some(&admin.cookies),
            big_form.into_bytes(),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    for table in ["booking_imports", "bookings"] {
        assert_eq!(
            count(&app, &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}")).await,
            "0"
        );
    }
}
