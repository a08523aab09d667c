//! What each role sees of one participant's record page, as snapshots (`insta`): the same
//! record, with notes of every label, a contact with a substance-use service, goals of
//! every kind of label and a release to the liaison's organisation, opened by each role.
//! A change in what any role sees shows up as a snapshot diff to review; both backends must
//! produce the same snapshots.

use axum::http::StatusCode;
use leadhub_domain::access::Role;
use leadhub_domain::ids::ParticipantId;

use crate::support::{Browser, TestApp};

/// The page's main content as text, one line per block, with what differs from run to run
/// (ids, times, staff numbers) replaced by placeholders.
fn readable(body: &str) -> String {
    let main = body
        .split_once("<main")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</main>"))
        .map_or(body, |(main, _)| main);
    let blocks = regex::Regex::new(
        r"(?i)</?(p|li|h1|h2|h3|dt|dd|summary|legend|label|option|button|tr|th|td)\b[^>]*>",
    )
    .unwrap();
    let tags = regex::Regex::new(r"<[^>]*>").unwrap();
    let text = blocks.replace_all(main, "\n");
    let text = tags.replace_all(&text, "");
    let ids =
        regex::Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap();
    let times = regex::Regex::new(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?").unwrap();
    let staff = regex::Regex::new(r"Staff \d+").unwrap();
    let months = regex::Regex::new(r"\b\d{4}-\d{2}\b").unwrap();
    let text = ids.replace_all(&text, "[id]");
    let text = times.replace_all(&text, "[time]");
    let text = months.replace_all(&text, "[month]");
    let text = staff.replace_all(&text, "Staff [n]");
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        .replace("&#38;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
}

/// A participant with something of every label, in `cm`'s caseload, with a release of
/// everything to the test organisation.
async fn full_record(
    app: &TestApp,
    cm: &Browser,
    cm_id: leadhub_domain::ids::UserId,
) -> ParticipantId {
    let id = app.participant(cm_id, true).await;
    let logged = app
        .post_as(
            &format!("/staff/participants/{id}/contact"),
            cm,
            &[
                ("kind", "street_outreach"),
                ("minutes", "15"),
                ("place", "lake-chicago"),
                ("services", "harm_reduction"),
                ("services", "food"),
                ("note", "asked about the clinic"),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    for (domain, words) in [
        ("housing", "A place with a door that locks"),
        ("health", "Get my feet looked at"),
        ("substance_use", "Use less, on my own terms"),
    ] {
        let added = app
            .post_as(
                &format!("/staff/participants/{id}/goals"),
                cm,
                &[("domain", domain), ("words", words)],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    id
}

#[tokio::test]
async fn each_role_sees_what_its_permission_and_the_consent_allow() {
    let app = TestApp::new().await;
    let cm = app.staff(Role::CaseManager).await;
    let cm_browser = app.sign_in(&cm).await;
    let id = full_record(&app, &cm_browser, cm.id).await;
    let path = format!("/staff/participants/{id}");

    let page = app.get_as(&path, &cm_browser).await;
    assert_eq!(page.status, StatusCode::OK);
    insta::assert_snapshot!("record_case_manager_own", readable(&page.body));

    for role in [
        Role::ProjectManager,
        Role::LegalLiaison,
        Role::CommunityLead,
        Role::Evaluator,
        Role::Admin,
    ] {
        let staff = app.staff(role).await;
        let browser = app.sign_in(&staff).await;
        let page = app.get_as(&path, &browser).await;
        insta::assert_snapshot!(
            format!("record_{}", role.code()),
            format!("{}\n{}", page.status.as_u16(), readable(&page.body))
        );
    }

    // Another case manager: refused, then what breaking the glass shows.
    let colleague = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&colleague).await;
    let refused = app.get_as(&path, &browser).await;
    insta::assert_snapshot!(
        "record_case_manager_other",
        format!("{}\n{}", refused.status.as_u16(), readable(&refused.body))
    );
    let opened = app
        .post_as(
            &format!("{path}/break-glass"),
            &browser,
            &[(
                "reason",
                "They are at the office asking for their case manager",
            )],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let glass = app.get_as(&path, &browser).await;
    insta::assert_snapshot!("record_case_manager_break_glass", readable(&glass.body));
}
