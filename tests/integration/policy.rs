//! The Policy Coordinating Group's policy as versions: the site profile's list until one is
//! recorded, a new version with who approved it and when (bad input and a stale form kept as
//! typed), every earlier version still shown, and legal matters judged against the version
//! in force, which they record.

use axum::http::StatusCode;
use leadhub_domain::access::Role;

use crate::support::TestApp;

const CHARGES: &str = "trespass: Trespass\nshoplifting-small: Shoplifting under $500";

#[tokio::test]
async fn a_new_policy_version_applies_from_then_on_and_the_old_ones_stay() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let pm = app.staff(Role::ProjectManager).await;
    let pm_browser = app.sign_in(&pm).await;
    let cm = app.staff(Role::CaseManager).await;
    let cm_browser = app.sign_in(&cm).await;
    let evaluator = app.staff(Role::Evaluator).await;
    let evaluator_browser = app.sign_in(&evaluator).await;

    let page = app.get_as("/staff/policy", &pm_browser).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Version 0"));
    assert!(
        page.body
            .contains("Fare evasion or loitering at a transit station")
    );
    assert!(
        page.body.contains("theft-misdemeanor: Theft, misdemeanour"),
        "the form starts from the list in force"
    );
    // Anyone on staff reads it; only who manages it sees the form.
    let read = app.get_as("/staff/policy", &evaluator_browser).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.contains("Trespass"));
    assert!(!read.body.contains("Record this version"));

    let today = app
        .state
        .site
        .calendar
        .day_of(leadhub_store::now())
        .to_string();
    let eligibility = "Adults on the East Lake Street corridor whose conduct stems from substance use, mental illness or poverty.";
    let bad = app
        .post_as(
            "/staff/policy",
            &pm_browser,
            &[
                ("shown", "0"),
                ("charges", "Trespass without a key"),
                ("eligibility", eligibility),
                ("approved_by", "Chair, Policy Coordinating Group"),
                ("approved_on", &today),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Trespass without a key</textarea>"));
    assert!(bad.body.contains("One charge per line"));
    assert!(bad.body.contains(eligibility));

    let fields = [
        ("shown", "0"),
        ("charges", CHARGES),
        ("eligibility", eligibility),
        ("approved_by", "Chair, Policy Coordinating Group"),
        ("approved_on", today.as_str()),
    ];
    let recorded = app.post_as("/staff/policy", &pm_browser, &fields).await;
    assert_eq!(recorded.location(), "/staff/policy?saved=recorded");
    let page = app.get_as("/staff/policy", &pm_browser).await;
    assert!(page.body.contains(&format!(
        "Version 1 · Approved by Chair, Policy Coordinating Group on {today}"
    )));
    assert!(page.body.contains("Added: Shoplifting under $500"));
    assert!(page.body.contains("Removed: Theft, misdemeanour;"));
    assert!(page.body.contains("Earlier versions"));
    let tail = app.audit_tail(1).await;
    assert_eq!(
        (tail[0].1.as_str(), tail[0].2.as_str()),
        ("policy.record", "ok: version 1, 2 charges")
    );

    // The same form again is stale: nothing recorded, the typing kept.
    let stale = app.post_as("/staff/policy", &pm_browser, &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Shoplifting under $500</textarea>"));
    assert_eq!(
        app.test_db
            .query_strings("SELECT CAST(COUNT(*) AS TEXT) FROM pcg_policies")
            .await,
        vec!["1"]
    );

    // Legal matters are judged against version 1 from now on.
    let participant = app.participant(cm.id, false).await;
    let legal = format!("/staff/participants/{participant}/legal");
    let page = app.get_as(&legal, &cm_browser).await;
    assert!(page.body.contains("Shoplifting under $500"));
    assert!(!page.body.contains("Theft, misdemeanour"));
    let matter = |charge: &'static str| {
        [
            ("jurisdiction", "Hennepin County District Court"),
            ("charge1_listed", charge),
            ("charge1_level", "misdemeanor"),
            ("status", "pre_charge"),
        ]
    };
    let old = app
        .post_as(&legal, &cm_browser, &matter("theft-misdemeanor"))
        .await;
    assert_eq!(
        old.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no longer on the list"
    );
    let new = app
        .post_as(&legal, &cm_browser, &matter("shoplifting-small"))
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER, "{}", new.body);
    assert_eq!(
        app.test_db
            .query_strings(&format!(
                "SELECT CAST(policy_version AS TEXT) FROM legal_matters WHERE participant_id = '{participant}'"
            ))
            .await,
        vec!["1"]
    );
}
