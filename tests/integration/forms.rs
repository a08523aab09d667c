//! Every validation rule and every guard of the public forms, through the router.

use std::time::Duration;

use axum::http::StatusCode;
use leadhub_domain::text::limits;

use crate::support::{MINIMAL, TestApp, encode};

/// The minimal referral with `extra` fields set (replacing any of the same name).
fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut fields: Vec<_> = MINIMAL
        .iter()
        .copied()
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .collect();
    fields.extend_from_slice(extra);
    fields
}

/// Form fields as (name, value) pairs.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// Sends a referral that must be refused, and checks the message, the field's error and
/// that nothing was stored.
async fn refused(
    app: &TestApp,
    fields: &[(&str, &str)],
    field: &str,
    message: &str,
) -> crate::support::Page {
    let page = app.refer(fields).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{field}: {}",
        page.body
    );
    assert!(
        page.body.contains("Please check the fields marked below"),
        "{field}: no summary"
    );
    assert!(
        page.body.contains(&format!("id=\"f-{field}-error\"")),
        "{field}: no error next to the field"
    );
    assert!(page.body.contains(message), "{field}: expected {message:?}");
    assert_eq!(
        app.db.referral_count().await.unwrap(),
        0,
        "{field}: a refused referral was stored"
    );
    page
}

#[tokio::test]
async fn each_referral_rule_explains_itself_next_to_its_field() {
    let app = TestApp::new().await;
    let long_name = "n".repeat(limits::NAME + 1);
    let long_features = "f".repeat(limits::DESCRIPTION + 1);
    let cases: Vec<(Fields, &str, String)> = vec![
        (
            vec![("referrer_type", "business"), ("places", "lake-chicago")],
            "person_name",
            "Please give a name, a nickname or a short description".into(),
        ),
        (
            vec![("referrer_type", "business"), ("features", "short")],
            "places",
            "Please choose a place or describe where".into(),
        ),
        (
            with(&[("referrer_type", "martian")]),
            "referrer_type",
            "Please choose one of the options.".into(),
        ),
        (
            with(&[("referrer_phone", "555-0142")]),
            "referrer_phone",
            "Please enter a US phone number".into(),
        ),
        (
            with(&[("referrer_email", "not an email")]),
            "referrer_email",
            "Please enter an email address".into(),
        ),
        (
            with(&[("follow_up", "yes")]),
            "referrer_phone",
            "To be contacted, please give a phone number".into(),
        ),
        (
            with(&[("follow_up", "perhaps")]),
            "follow_up",
            "Please choose one of the options.".into(),
        ),
        (
            with(&[("age_range", "ancient")]),
            "age_range",
            "Please choose one of the options.".into(),
        ),
        (
            with(&[("places", "atlantis")]),
            "places",
            "Please choose one of the options.".into(),
        ),
        (
            with(&[("times", "teatime")]),
            "times",
            "Please choose one of the options.".into(),
        ),
        (
            with(&[("concerns", "jaywalking")]),
            "concerns",
            "Please choose one of the options.".into(),
        ),
        (
            {
                let mut f = with(&[]);
                f.push(("person_name", long_name.as_str()));
                f
            },
            "person_name",
            format!(
                "Please shorten this to {} characters or fewer.",
                limits::NAME
            ),
        ),
        (
            vec![
                ("referrer_type", "business"),
                ("places", "lake-chicago"),
                ("features", long_features.as_str()),
            ],
            "features",
            format!(
                "Please shorten this to {} characters or fewer.",
                limits::DESCRIPTION
            ),
        ),
    ];
    for (fields, field, message) in cases {
        refused(&app, &fields, field, &message).await;
    }
}

#[tokio::test]
async fn a_refused_form_comes_back_with_everything_typed() {
    let app = TestApp::new().await;
    let page = refused(
        &app,
        &[
            ("referrer_type", "visitor"),
            ("referrer_name", "Ana María"),
            ("referrer_phone", "12"),
            ("person_name", "Smiley"),
            ("places", "lake-cedar"),
            ("places", "powderhorn-park"),
            ("times", "evening"),
            ("concerns", "bathroom"),
            ("concern_text", "In the café bathroom most afternoons"),
            ("safety_notes", "Calm, likes to talk"),
        ],
        "referrer_phone",
        "US phone number",
    )
    .await;
    assert_eq!(
        page.input_value("referrer_name").as_deref(),
        Some("Ana María")
    );
    assert_eq!(page.input_value("referrer_phone").as_deref(), Some("12"));
    assert_eq!(page.input_value("person_name").as_deref(), Some("Smiley"));
    for checked in [
        "id=\"f-referrer_type-visitor\" name=\"referrer_type\" value=\"visitor\" checked",
        "value=\"lake-cedar\" checked",
        "value=\"powderhorn-park\" checked",
        "value=\"evening\" checked",
        "value=\"bathroom\" checked",
    ] {
        assert!(page.body.contains(checked), "not kept: {checked}");
    }
    assert!(
        page.body
            .contains(">In the café bathroom most afternoons</textarea>")
    );
    assert!(page.body.contains(">Calm, likes to talk</textarea>"));
}

#[tokio::test]
async fn validation_messages_follow_the_page_language() {
    let app = TestApp::new().await;
    let session = app.open_form("/refer").await;
    let body = encode(&[
        ("form_token", &session.token),
        ("referrer_type", "resident"),
    ]);
    let cookie = format!("{}; lang=es", session.cookie);
    let page = app
        .post_raw("/refer", Some(&cookie), body.into_bytes(), &[])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("<html lang=\"es\">"));
    assert!(
        !page.body.contains("Please give a name"),
        "English error on a Spanish page"
    );
}

#[tokio::test]
async fn forms_without_a_valid_token_and_cookie_are_refused() {
    let app = TestApp::new().await;
    let session = app.open_form("/refer").await;
    let other = app.open_form("/refer").await;
    let body = |token: &str| {
        let mut f = vec![("form_token", token)];
        f.extend_from_slice(MINIMAL);
        encode(&f).into_bytes()
    };
    let cases = [
        ("no cookie", None, body(&session.token)),
        (
            "another browser's cookie",
            Some(other.cookie.as_str()),
            body(&session.token),
        ),
        (
            "forged token",
            Some(session.cookie.as_str()),
            body("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ),
        (
            "no token",
            Some(session.cookie.as_str()),
            encode(MINIMAL).into_bytes(),
        ),
    ];
    for (what, cookie, body) in cases {
        let page = app.post_raw("/refer", cookie, body, &[]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}");
        assert!(
            page.body
                .contains("We could not confirm that this form came from our site"),
            "{what}"
        );
        assert!(
            page.body.contains("tall man, grey beard"),
            "{what}: typed text lost"
        );
    }
    assert_eq!(app.db.referral_count().await.unwrap(), 0);
    // The refused page carries a fresh token (and renews the cookie) that works.
    let refused = app
        .post_raw("/refer", None, body(&session.token), &[])
        .await;
    let retry = crate::support::FormSession {
        cookie: refused.set_cookie().expect("the refusal sets a cookie"),
        token: refused
            .input_value("form_token")
            .expect("the refusal carries a token"),
    };
    let ok = app.post_form("/refer", &retry, MINIMAL).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}

#[tokio::test]
async fn the_honeypot_catches_bots_without_losing_a_persons_text() {
    let app = TestApp::new().await;
    let session = app.open_form("/refer").await;
    let page = app
        .post_form(
            "/refer",
            &session,
            &with(&[("website", "http://spam.example")]),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Leave this field empty"));
    assert!(page.body.contains("tall man, grey beard"));
    assert_eq!(
        page.input_value("website").as_deref(),
        Some(""),
        "the honeypot is emptied for a second try"
    );
    assert_eq!(app.db.referral_count().await.unwrap(), 0);
}

#[tokio::test]
async fn forms_sent_faster_than_a_person_types_are_asked_again() {
    let app = TestApp::builder()
        .min_fill(Duration::from_secs(3600))
        .build()
        .await;
    let page = app.refer(MINIMAL).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("That was very quick"));
    assert!(page.body.contains("tall man, grey beard"));
    assert_eq!(app.db.referral_count().await.unwrap(), 0);
}

#[tokio::test]
async fn each_client_is_rate_limited_and_keeps_its_text() {
    let app = TestApp::builder().rate_limit(2).build().await;
    assert_eq!(app.refer(MINIMAL).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.refer(MINIMAL).await.status, StatusCode::SEE_OTHER);
    let limited = app.refer(MINIMAL).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited
            .body
            .contains("Too many forms have been sent from your connection")
    );
    assert!(limited.body.contains("612-208-7460"));
    assert!(limited.body.contains("tall man, grey beard"));
    assert_eq!(app.db.referral_count().await.unwrap(), 2);

    // Another client is not affected.
    let mut other = app;
    other.client = "198.51.100.9:5000".parse().unwrap();
    assert_eq!(other.refer(MINIMAL).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let app = TestApp::new().await;
    let session = app.open_form("/refer").await;
    let huge = vec![b'a'; leadhub_web::MAX_BODY_BYTES + 1];
    let page = app
        .post_raw("/refer", Some(&session.cookie), huge, &[])
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.body.contains("Too much text"));

    // A body that lies about its length is cut off when read.
    let chunked = axum::http::Request::post("/refer")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", session.cookie.as_str())
        .body(axum::body::Body::from_stream(futures_util::stream::iter(
            (0..16).map(|_| Ok::<_, std::io::Error>(vec![b'a'; leadhub_web::MAX_BODY_BYTES / 8])),
        )))
        .unwrap();
    let page = app.request(chunked).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn when_the_database_fails_the_person_keeps_their_text_and_is_asked_to_resend() {
    let app = TestApp::new().await;
    let session = app.open_form("/refer").await;
    app.db.close().await;
    let page = app.post_form("/refer", &session, MINIMAL).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.body.contains("We could not save your form just now"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("tall man, grey beard"),
        "typed text lost"
    );
    assert!(page.body.contains("612-208-7460"));
}

#[tokio::test]
async fn a_refused_form_lists_its_problems_as_links_and_says_so_in_the_title() {
    let app = TestApp::new().await;
    let page = app
        .refer(&with(&[("referrer_email", "nope"), ("age_range", "x")]))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("<title>Error: Make a referral"),
        "{}",
        page.body
    );
    let age = page
        .body
        .find("href=\"#f-age_range\"")
        .expect("a link to the age field");
    let email = page
        .body
        .find("href=\"#f-referrer_email\"")
        .expect("a link to the email field");
    assert!(age < email, "links follow the form's order");
    assert!(
        page.body
            .contains("Your email: Please enter an email address")
    );
}
