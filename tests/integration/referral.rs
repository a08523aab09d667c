use axum::http::StatusCode;
use leadhub_store::{Actor, AuditVerification};

use crate::support::{MINIMAL, TestApp, code_from};

#[tokio::test]
async fn a_referral_with_no_name_is_received_and_stored() {
    let app = TestApp::new().await;
    let mut fields = MINIMAL.to_vec();
    fields.extend([
        ("places", "lake-midtown-station"),
        ("times", "morning"),
        ("concerns", "transit"),
        ("age_range", "36-50"),
        ("referrer_phone", "(612) 555-0142"),
        ("follow_up", "yes"),
        ("safety_notes", "Has a dog; approach slowly."),
    ]);
    let page = app.refer(&fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(page.location().starts_with("/refer/received/"));

    let stored = app.stored_referral(&page).await;
    assert_eq!(stored.door, "community");
    assert_eq!(stored.state, "received");
    assert_eq!(stored.person_name, None);
    assert_eq!(
        stored.features.as_deref(),
        Some("tall man, grey beard, green army jacket")
    );
    assert_eq!(stored.places, vec!["lake-chicago", "lake-midtown-station"]);
    assert_eq!(stored.times, vec!["morning"]);
    assert_eq!(stored.concerns, vec!["transit"]);
    assert_eq!(stored.age_range, "36-50");
    assert_eq!(stored.referrer_phone.as_deref(), Some("612-555-0142"));
    assert!(stored.wants_follow_up);
    assert_eq!(stored.language, "en");
    assert!(stored.due_at > stored.received_at);

    let actions: Vec<String> = app
        .db
        .recent_audit(2)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, _, a, _, _)| a)
        .collect();
    assert_eq!(actions, vec!["referral.read", "referral.submit"]);
    assert!(matches!(
        app.db.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact { entries: 3 }
    ));
}

#[tokio::test]
async fn the_confirmation_page_shows_the_code_and_when_to_expect_a_call() {
    let app = TestApp::new().await;
    let mut fields = MINIMAL.to_vec();
    fields.push(("referrer_email", "owner@example.org"));
    let sent = app.refer(&fields).await;
    let page = app.get(sent.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    let code = code_from(sent.location());
    assert!(page.body.contains(&code.to_string()), "code shown");
    assert!(
        page.body.contains("A case manager will contact you by"),
        "{}",
        page.body
    );
    assert!(page.body.contains(" at ") && (page.body.contains(" AM") || page.body.contains(" PM")));
    assert_eq!(page.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn the_answer_is_the_same_for_a_known_and_an_unknown_person() {
    let app = TestApp::new().await;
    // The same description twice: the second time, the person is "known".
    let first = app.refer(MINIMAL).await;
    let second = app.refer(MINIMAL).await;
    let (a, b) = (
        app.get(first.location()).await,
        app.get(second.location()).await,
    );
    assert_eq!(a.status, b.status);
    // Only the code and the due time (which may differ by the seconds between the two sends)
    // are blanked; every other byte must be identical.
    let normalise = |page: &crate::support::Page, code: String| {
        let body = page.body.replace(&code, "CODE");
        let start = body.find("id=\"next-step\"").unwrap();
        let by = start + body[start..].find(" by ").unwrap();
        let end = by + body[by..].find("</p>").unwrap();
        format!("{}DUE{}", &body[..by], &body[end..])
    };
    let code_a = code_from(first.location()).to_string();
    let code_b = code_from(second.location()).to_string();
    assert_eq!(normalise(&a, code_a), normalise(&b, code_b));
}

#[tokio::test]
async fn unknown_and_malformed_codes_are_not_found() {
    let app = TestApp::new().await;
    for path in [
        "/refer/received/ABCD-EFGH",
        "/refer/received/not-a-code",
        "/refer/received/%FF",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Page not found"));
    }
}

#[tokio::test]
async fn hostile_and_unusual_text_is_stored_exactly_and_shown_escaped() {
    let app = TestApp::new().await;
    let script = "<script>alert('x')</script> \"quoted\" & <b>bold</b>";
    let rtl = "رجل طويل مع لحية رمادية 🧔🏽‍♂️";
    let long_word = "Supercalifragilistic".repeat(40);
    let mut fields = MINIMAL.to_vec();
    fields.extend([
        ("person_name", script),
        ("hair", rtl),
        ("concern_text", long_word.as_str()),
    ]);
    let page = app.refer(&fields).await;
    let stored = app.stored_referral(&page).await;
    assert_eq!(stored.person_name.as_deref(), Some(script));
    assert_eq!(stored.hair.as_deref(), Some(rtl));
    assert_eq!(stored.concern_text.as_deref(), Some(long_word.as_str()));

    // Shown back in a refused form: escaped, never live markup.
    let refused = app.refer(&[("person_name", script), ("hair", rtl)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !refused.body.contains("<script>alert"),
        "script must be escaped"
    );
    assert!(
        refused.body.contains("&#60;script&#62;") || refused.body.contains("&lt;script&gt;"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(rtl));
}

#[tokio::test]
async fn malformed_utf8_is_stored_with_replacement_characters() {
    let app = TestApp::new().await;
    let session = app.open_form("/refer").await;
    let mut body = format!(
        "form_token={}&referrer_type=resident&places=lake-cedar&features=tall%20",
        session.token
    )
    .into_bytes();
    body.extend_from_slice(b"%FF%FE\xff\xfe man");
    let page = app
        .post_raw("/refer", Some(&session.cookie), body, &[])
        .await;
    let stored = app.stored_referral(&page).await;
    let features = stored.features.unwrap();
    assert!(
        features.starts_with("tall ") && features.ends_with(" man"),
        "{features}"
    );
    assert!(features.contains('\u{FFFD}'));
}

#[tokio::test]
async fn a_somali_referral_is_answered_in_somali_and_stored_as_such() {
    let app = TestApp::new().await;
    let session = app.open_form("/refer").await;
    let body = crate::support::encode(&[
        ("form_token", &session.token),
        ("referrer_type", "resident"),
        ("features", "nin dheer, gadh cirro leh"),
        ("places", "lake-bloomington"),
    ]);
    let cookie = format!("{}; lang=so", session.cookie);
    let page = app
        .post_raw("/refer", Some(&cookie), body.into_bytes(), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let done = app
        .get_with(page.location(), &[("cookie", "lang=so")])
        .await;
    assert!(done.body.contains("<html lang=\"so\">"));
    let stored = app.stored_referral(&page).await;
    assert_eq!(stored.language, "so");
}

#[tokio::test]
async fn timestamps_sort_by_time_in_sql_on_both_backends() {
    use time::macros::datetime;
    let app = TestApp::new().await;
    let referral = leadhub_domain::referral::ReferralInput {
        features: "tall".into(),
        places: vec!["lake-cedar".into()],
        ..Default::default()
    }
    .parse(
        &leadhub_domain::SiteProfile::minneapolis().unwrap(),
        leadhub_domain::Language::En,
    )
    .unwrap();
    // Inserted out of order; a whole second and a fraction of the same second.
    let later = datetime!(2026-11-27 16:24:05.25 UTC);
    let earlier = datetime!(2026-11-27 16:24:05 UTC);
    let a = app
        .db
        .submit_referral(&referral, later, later)
        .await
        .unwrap();
    let b = app
        .db
        .submit_referral(&referral, earlier, earlier)
        .await
        .unwrap();
    let url = &app.test_db.url;
    let sql = "SELECT reference_code FROM referrals WHERE received_at < $1 ORDER BY received_at";
    let bound = leadhub_store::Stamp(datetime!(2026-11-27 16:24:05.5 UTC));
    let codes: Vec<String> = if url.starts_with("sqlite") {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql)
            .bind(bound)
            .fetch_all(&mut c)
            .await
            .unwrap()
    } else {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql)
            .bind(bound)
            .fetch_all(&mut c)
            .await
            .unwrap()
    };
    assert_eq!(
        codes,
        vec![b.code.as_str().to_owned(), a.code.as_str().to_owned()]
    );
    let stored = app
        .db
        .read_referral(&b.code, &Actor::System)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.received_at, earlier, "read back exactly");
}
