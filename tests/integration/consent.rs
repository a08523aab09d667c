//! The consent gate and breaking the glass, through the staff pages: what each role sees of a
//! participant, and that substance-use (Part 2) notes never reach a legal-system role.

use axum::http::StatusCode;
use leadhub_domain::access::Role;
use leadhub_domain::consent::{Category, REDISCLOSURE_NOTICE, Release};

use crate::support::{TEST_ORGANIZATION, TestApp};

const GENERAL: &str = "a general note";
const HEALTH: &str = "a health note";
const PART2: &str = "a substance_use note";

#[tokio::test]
async fn a_legal_liaison_sees_only_what_an_active_release_covers_and_never_part_2() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let liaison = app.staff(Role::LegalLiaison).await;
    let browser = app.sign_in(&liaison).await;
    let released = app.participant(manager.id, true).await;
    let page = app
        .get_as(&format!("/staff/participants/{released}"), &browser)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(GENERAL));
    assert!(!page.body.contains(HEALTH));
    assert!(!page.body.contains(PART2));
    assert!(
        !page.body.contains("notes are not shown"),
        "no count that hints at Part 2 notes"
    );
    assert!(
        page.body
            .contains(&REDISCLOSURE_NOTICE.replace('\'', "&#39;"))
            || page.body.contains(REDISCLOSURE_NOTICE)
    );
    let last = app.audit_tail(1).await;
    assert_eq!(last[0].1, "participant.read");
    assert!(
        last[0].2.starts_with("disclosed under release "),
        "{}",
        last[0].2
    );

    // The list shows only people released to the liaison's organisation.
    let unreleased = app.participant(manager.id, false).await;
    let list = app.get_as("/staff/participants", &browser).await;
    assert!(list.body.contains(&released.to_string()));
    assert!(!list.body.contains(&unreleased.to_string()));
    let refused = app
        .get_as(&format!("/staff/participants/{unreleased}"), &browser)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("Ayaan"));
    assert_eq!(app.audit_tail(1).await[0].2, "no_release");
}

#[tokio::test]
async fn a_release_narrower_revoked_expired_or_to_someone_else_shows_less_or_nothing() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let liaison = app.staff(Role::LegalLiaison).await;
    let browser = app.sign_in(&liaison).await;
    let now = leadhub_store::now();
    let release = |recipient: &str, covers: &[Category], expires_in_days: i64| Release {
        discloser: "LEAD case management".into(),
        recipient: recipient.into(),
        covers: covers.iter().copied().collect(),
        purpose: "coordinate".into(),
        signed_at: now - time::Duration::days(10),
        expires_at: now + time::Duration::days(expires_in_days),
        revoked_at: None,
    };
    let person = app.participant(manager.id, false).await;
    let path = format!("/staff/participants/{person}");
    let system = leadhub_store::Actor::System;
    // Participation only: that they are enrolled and since when; no case manager, no notes,
    // no contact figures, and not whether they are active (that tells how lately they were
    // seen, which is progress).
    let narrow = app
        .db
        .record_release(
            person,
            &release(TEST_ORGANIZATION, &[Category::Participation], 30),
            &system,
            now,
        )
        .await
        .unwrap();
    let page = app.get_as(&path, &browser).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<dt>Enrolled</dt>"));
    assert!(!page.body.contains("<dt>Status</dt>"));
    assert!(!page.body.contains("Case manager"));
    assert!(!page.body.contains(GENERAL));
    assert!(!page.body.contains("Contacts in the last 90 days"));
    // Revoked: nothing.
    app.db.revoke_release(narrow, &system, now).await.unwrap();
    assert_eq!(
        app.get_as(&path, &browser).await.status,
        StatusCode::FORBIDDEN
    );
    // Expired, or to another organisation: nothing.
    app.db
        .record_release(
            person,
            &release(TEST_ORGANIZATION, &Category::ALL, -1),
            &system,
            now,
        )
        .await
        .unwrap();
    app.db
        .record_release(
            person,
            &release("Some Other Police Department", &Category::ALL, 30),
            &system,
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        app.get_as(&path, &browser).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_case_manager_sees_their_caseload_and_breaks_the_glass_for_others() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let colleague = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let own = app.participant(manager.id, false).await;
    let page = app
        .get_as(&format!("/staff/participants/{own}"), &browser)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for note in [GENERAL, HEALTH, PART2] {
        assert!(page.body.contains(note), "{note}");
    }

    let theirs = app.participant(colleague.id, false).await;
    let path = format!("/staff/participants/{theirs}");
    let refused = app.get_as(&path, &browser).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("break-glass"));
    assert!(!refused.body.contains(GENERAL));

    let glass = format!("{path}/break-glass");
    let short = app
        .post_as(&glass, &browser, &[("reason", "need it")])
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("need it"), "what was typed stays");
    let reason = "He is in crisis at Lake & Chicago and his worker is away";
    let opened = app.post_as(&glass, &browser, &[("reason", reason)]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let page = app.get_as(&path, &browser).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("breaking the glass"));
    assert!(page.body.contains(GENERAL));
    assert!(!page.body.contains(HEALTH) && !page.body.contains(PART2));
    assert_eq!(app.audit_tail(1).await[0].2, "ok: break_glass");

    // The project manager sees it flagged, and marks it reviewed.
    let pm = app.staff(Role::ProjectManager).await;
    let pm_browser = app.sign_in(&pm).await;
    let review = app.get_as("/staff/break-glass", &pm_browser).await;
    assert!(review.body.contains("in crisis at Lake"), "{}", review.body);
    let reader = leadhub_store::Reader {
        id: pm.id,
        role: Role::ProjectManager,
        organization: None,
    };
    let event = app.db.break_glass_events(&reader, "test").await.unwrap()[0]
        .id
        .to_string();
    let done = app
        .post_as(
            "/staff/break-glass/reviewed",
            &pm_browser,
            &[("id", &event)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(app.db.break_glass_events(&reader, "test").await.unwrap()[0].reviewed);
}

#[tokio::test]
async fn the_project_manager_sees_every_record_whole() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let pm = app.staff(Role::ProjectManager).await;
    let browser = app.sign_in(&pm).await;
    let person = app.participant(manager.id, false).await;
    let page = app
        .get_as(&format!("/staff/participants/{person}"), &browser)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for note in [GENERAL, HEALTH, PART2] {
        assert!(page.body.contains(note), "{note}");
    }
    assert_eq!(app.audit_tail(1).await[0].2, "ok");
}
