use axum::http::StatusCode;
use leadhub_domain::ReferenceCode;
use leadhub_store::Actor;

use crate::support::TestApp;

/// Form fields as (name, value) pairs.
type Fields<'a> = &'a [(&'a str, &'a str)];

#[tokio::test]
async fn an_inquiry_is_received_with_a_code_and_a_promise() {
    let app = TestApp::new().await;
    let session = app.open_form("/contact").await;
    let page = app
        .post_form(
            "/contact",
            &session,
            &[
                ("name", "Hodan"),
                ("reach", "hodan@example.org"),
                ("message", "How can my shop work with LEAD?"),
                ("preferred_language", "so"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(page.location().starts_with("/contact/received/"));
    let done = app.get(page.location()).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("We will answer you by"));

    let code: ReferenceCode = page.location().rsplit('/').next().unwrap().parse().unwrap();
    let (name, reach, message, lang) = app
        .db
        .read_inquiry(&code, &Actor::System)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(name.as_deref(), Some("Hodan"));
    assert_eq!(reach, "hodan@example.org");
    assert_eq!(message, "How can my shop work with LEAD?");
    assert_eq!(lang, "so");
}

#[tokio::test]
async fn an_inquiry_needs_a_way_to_answer_and_a_message() {
    let app = TestApp::new().await;
    let session = app.open_form("/contact").await;
    let cases: [(Fields, &str, &str); 5] = [
        (&[("message", "hi")], "reach", "Please fill this in."),
        (
            &[("reach", "tomorrow"), ("message", "hi")],
            "reach",
            "Please give a phone number or an email address.",
        ),
        (
            &[("reach", "a@b"), ("message", "hi")],
            "reach",
            "Please enter an email address",
        ),
        (
            &[("reach", "612-555-0100")],
            "message",
            "Please fill this in.",
        ),
        (
            &[
                ("reach", "612-555-0100"),
                ("message", "hi"),
                ("preferred_language", "klingon"),
            ],
            "preferred_language",
            "Please choose one of the options.",
        ),
    ];
    for (fields, field, message) in cases {
        let page = app.post_form("/contact", &session, fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            page.body.contains(&format!("id=\"f-{field}-error\"")),
            "{field}"
        );
        assert!(page.body.contains(message), "{field}: {message}");
    }
    let long = "m".repeat(leadhub_domain::text::limits::LONG + 1);
    let page = app
        .post_form(
            "/contact",
            &session,
            &[("reach", "612-555-0100"), ("message", &long)],
        )
        .await;
    assert!(
        page.body
            .contains("Please shorten this to 4000 characters or fewer.")
    );
    assert!(page.body.contains(&long), "typed text kept");
}
