//! Whatever arrives at the referral form, the answer is a stored referral or a message
//! (field errors, or "too much text" past the body limit), never a server error.

use axum::http::StatusCode;
use proptest::prelude::*;

use crate::support::TestApp;

const FIELDS: [&str; 18] = [
    "referrer_type",
    "referrer_name",
    "referrer_phone",
    "referrer_email",
    "follow_up",
    "person_name",
    "age_range",
    "gender",
    "build",
    "hair",
    "features",
    "places",
    "places_other",
    "times",
    "times_other",
    "concerns",
    "concern_text",
    "safety_notes",
];

fn field_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("lake-chicago".to_owned()),
        Just("resident".to_owned()),
        Just("yes".to_owned()),
        Just("612-555-0100".to_owned()),
        "\\PC{0,40}",
        ".{0,8}".prop_map(|s| s.repeat(300)),
    ]
}

fn form() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        proptest::sample::select(FIELDS.to_vec()).prop_map(str::to_owned),
        "[a-z_]{1,12}"
    ];
    proptest::collection::vec((name, field_value()), 0..24)
}

#[test]
fn any_referral_input_is_stored_or_explained_never_a_server_error() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(TestApp::new());
    let config = ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(fields in form())| {
        runtime.block_on(async {
            let before = app.db.referral_count().await.unwrap();
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let page = app.refer(&pairs).await;
            let after = app.db.referral_count().await.unwrap();
            match page.status {
                StatusCode::SEE_OTHER => prop_assert_eq!(after, before + 1),
                StatusCode::UNPROCESSABLE_ENTITY => {
                    prop_assert!(page.body.contains("Please check the fields marked below"));
                    prop_assert_eq!(after, before);
                }
                // Inputs past the body limit are refused whole, with their own message.
                StatusCode::PAYLOAD_TOO_LARGE => {
                    prop_assert!(page.body.contains("Too much text"));
                    prop_assert_eq!(after, before);
                }
                other => prop_assert!(false, "unexpected status {other}: {}", page.body),
            }
            Ok(())
        })?;
    });
}
