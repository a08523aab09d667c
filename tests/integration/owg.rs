//! Operational Workgroup case conferencing: the agenda built from the flags (bookings since
//! the last meeting, court dates within two weeks, warrants, overdue referrals, people not
//! seen for 30 days, action items not done), kept through rebuilds, each attendee shown only
//! what their role and the participants' releases allow, minutes and action items with bad
//! input kept as typed, and the follow-up on the next meeting's agenda.

use axum::http::StatusCode;
use leadhub_domain::access::Role;
use leadhub_domain::ids::ParticipantId;
use time::{Duration, OffsetDateTime};

use crate::support::{Browser, MINIMAL, Staff, TestApp};

async fn signed_in(app: &TestApp, role: Role) -> (Staff, Browser) {
    let staff = app.staff(role).await;
    let browser = app.sign_in(&staff).await;
    (staff, browser)
}

/// `at` on the site's clock as a `datetime-local` value.
fn local(app: &TestApp, at: OffsetDateTime) -> String {
    let tz = app.state.site.calendar.time_zone().clone();
    leadhub_domain::calendar::from_offset_date_time(at)
        .to_zoned(tz)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

fn boolean(app: &TestApp, value: bool) -> &'static str {
    match (app.test_db.backend(), value) {
        ("postgres", true) => "TRUE",
        ("postgres", false) => "FALSE",
        (_, true) => "1",
        (_, false) => "0",
    }
}

/// A charged matter with a warrant out and a hearing at `court`.
async fn matter(app: &TestApp, participant: ParticipantId, court: OffsetDateTime) {
    let ts = app.test_db.timestamp_sql(leadhub_store::now());
    let court = app.test_db.timestamp_sql(court);
    let id = uuid::Uuid::now_v7();
    app.test_db
        .execute(&format!(
            "INSERT INTO legal_matters (id, participant_id, jurisdiction, case_number, status, divertible, \
             next_court_at, warrant, version, created_at, changed_at) VALUES ('{id}', '{participant}', \
             'Hennepin County District Court', '27-CR-26-1234', 'charged', {}, {court}, 'active', 1, {ts}, {ts})",
            boolean(app, false)
        ))
        .await;
}

/// A booking linked `ago` before now, from an import by `by`.
async fn booking(app: &TestApp, participant: ParticipantId, by: &Staff, ago: Duration) {
    let at = app.test_db.timestamp_sql(leadhub_store::now() - ago);
    let import = uuid::Uuid::now_v7();
    app.test_db
        .execute(&format!(
            "INSERT INTO booking_imports (id, uploaded_by, uploaded_at, file_rows, linked, to_review, discarded) \
             VALUES ('{import}', '{}', {at}, 1, 1, 0, 0)",
            by.id
        ))
        .await;
    app.test_db
        .execute(&format!(
            "INSERT INTO bookings (id, participant_id, import_id, booked_at, charges, agency, probability, linked_at) \
             VALUES ('{}', '{participant}', '{import}', {at}, 'Trespass', 'Hennepin County Sheriff', 0.97, {at})",
            uuid::Uuid::now_v7()
        ))
        .await;
}

fn meeting_id(location: &str) -> String {
    location
        .trim_start_matches("/staff/owg/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

/// The card of the item about `participant` on an agenda page, or "" if there is none.
fn card<'a>(page: &'a str, participant: &ParticipantId) -> &'a str {
    let link = format!("<a href=\"/staff/participants/{participant}\">");
    let Some(at) = page.find(&link) else {
        return "";
    };
    let start = page[..at].rfind("<section").unwrap_or(0);
    let end = page[at..].find("</section>").map_or(page.len(), |e| at + e);
    &page[start..end]
}

#[tokio::test]
async fn the_agenda_is_built_from_the_flags_and_each_attendee_sees_what_they_may() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let (pm, pm_browser) = signed_in(&app, Role::ProjectManager).await;
    let (cm1, cm1_browser) = signed_in(&app, Role::CaseManager).await;
    let (cm2, _) = signed_in(&app, Role::CaseManager).await;
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let now = leadhub_store::now();
    let starts = now + Duration::days(2);

    // In court soon with a warrant out, released to the liaison's office.
    let court = app.participant(cm1.id, true).await;
    matter(&app, court, starts + Duration::days(3)).await;
    // Not seen for 35 days.
    let lapsed = app.participant(cm1.id, false).await;
    let long_ago = app.test_db.timestamp_sql(now - Duration::days(35));
    app.test_db
        .execute(&format!(
            "UPDATE participants SET last_seen_at = {long_ago} WHERE id = '{lapsed}'"
        ))
        .await;
    // Booked yesterday, in someone else's caseload.
    let booked = app.participant(cm2.id, false).await;
    booking(&app, booked, &pm, Duration::days(1)).await;
    // Seen today, nothing legal: not on the agenda.
    let quiet = app.participant(cm1.id, true).await;
    // A referral past its answer.
    let sent = app.refer(MINIMAL).await;
    let referral = app.stored_referral(&sent).await;
    let overdue = app.test_db.timestamp_sql(now - Duration::hours(2));
    app.test_db
        .execute(&format!(
            "UPDATE referrals SET due_at = {overdue} WHERE id = '{}'",
            referral.id
        ))
        .await;

    // Planning: bad input is kept, then the meeting is planned and its agenda built.
    let bad = app
        .post_as(
            "/staff/owg",
            &pm_browser,
            &[
                ("starts_at", "next tuesday"),
                ("place", "Lake Street office"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.input_value("place").as_deref(),
        Some("Lake Street office")
    );
    let when = local(&app, starts);
    let planned = app
        .post_as(
            "/staff/owg",
            &pm_browser,
            &[("starts_at", &when), ("place", "Lake Street office")],
        )
        .await;
    assert_eq!(planned.status, StatusCode::SEE_OTHER, "{}", planned.body);
    let meeting = meeting_id(planned.location());
    let path = format!("/staff/owg/{meeting}");
    assert_eq!(
        app.test_db
            .query_strings(&format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM owg_items WHERE meeting_id = '{meeting}'"
            ))
            .await,
        vec!["4"]
    );

    // The project manager sees every item with its reasons.
    let page = app.get_as(&path, &pm_browser).await;
    assert_eq!(page.status, StatusCode::OK);
    let court_card = card(&page.body, &court);
    assert!(
        court_card.contains("Court date within two weeks"),
        "{court_card}"
    );
    assert!(court_card.contains("Warrant out"));
    assert!(court_card.contains("Hennepin County District Court 27-CR-26-1234"));
    assert!(card(&page.body, &lapsed).contains("Not seen for 30 days"));
    assert!(card(&page.body, &booked).contains("Booked since the last meeting"));
    assert!(card(&page.body, &quiet).is_empty());
    let code: leadhub_domain::ReferenceCode = referral.code.parse().unwrap();
    assert!(page.body.contains(&format!("Referral {code}")));

    // A case manager: their own caseload and the referral; the other caseload's item is
    // only counted.
    let page = app.get_as(&path, &cm1_browser).await;
    assert!(!card(&page.body, &court).is_empty());
    assert!(!card(&page.body, &lapsed).is_empty());
    assert!(card(&page.body, &booked).is_empty());
    assert!(page.body.contains("Referral not answered in time"));
    assert!(page.body.contains("1 other item(s)"));
    assert!(
        !page.body.contains("Add an action item"),
        "only who runs it edits"
    );

    // The liaison: only the released participant, only the legal reasons, under the notice.
    let page = app.get_as(&path, &liaison).await;
    let court_card = card(&page.body, &court);
    assert!(court_card.contains("Disclosed under a release of information"));
    assert!(court_card.contains("Court date within two weeks"));
    assert!(card(&page.body, &lapsed).is_empty());
    assert!(card(&page.body, &booked).is_empty());
    assert!(!page.body.contains("Referral not answered in time"));
    assert!(page.body.contains("3 other item(s)"));
    let outcomes = app
        .test_db
        .query_strings(&format!(
            "SELECT outcome FROM audit_log WHERE action = 'participant.read' AND record_id = '{court}' \
             AND outcome LIKE 'disclosed under release %: owg'"
        ))
        .await;
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");

    // Minutes too long are kept as typed; then saved.
    let item: String = app
        .test_db
        .query_strings(&format!(
            "SELECT id FROM owg_items WHERE participant_id = '{court}'"
        ))
        .await
        .concat();
    let long = "x".repeat(leadhub_domain::owg::MINUTES_MAX + 1);
    let page = app
        .post_as(
            &format!("{path}/items"),
            &pm_browser,
            &[("item", &item), ("minutes", &long)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(&long));
    let minutes = "Prosecutor will ask the court to quash the warrant if they come in this week.";
    let saved = app
        .post_as(
            &format!("{path}/items"),
            &pm_browser,
            &[("item", &item), ("minutes", minutes)],
        )
        .await;
    assert_eq!(saved.location(), format!("{path}?saved=item"));

    // An action due yesterday is refused; one due next week is kept.
    let today = app.state.site.calendar.day_of(now);
    let yesterday = today.yesterday().unwrap().to_string();
    let next_week = (today + jiff::Span::new().days(7)).to_string();
    let fields = |due: &str| {
        vec![
            ("item", item.clone()),
            ("words", "Walk them to the warrant desk".to_owned()),
            ("owner", "Ana Ruiz".to_owned()),
            ("agency", "LEAD case management".to_owned()),
            ("due_on", due.to_owned()),
        ]
    };
    let late = fields(&yesterday);
    let late: Vec<(&str, &str)> = late.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = app
        .post_as(&format!("{path}/actions"), &pm_browser, &late)
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let court_card = card(&page.body, &court);
    assert!(
        court_card.contains("value=\"Ana Ruiz\""),
        "what was typed is kept"
    );
    assert!(court_card.contains("aria-invalid=\"true\""));
    let good = fields(&next_week);
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let added = app
        .post_as(&format!("{path}/actions"), &pm_browser, &good)
        .await;
    assert_eq!(added.location(), format!("{path}?saved=action"));

    // A rebuild picks up a new flag and keeps the minutes.
    booking(&app, lapsed, &pm, Duration::hours(1)).await;
    let rebuilt = app
        .post_as(&format!("{path}/rebuild"), &pm_browser, &[])
        .await;
    assert_eq!(rebuilt.location(), format!("{path}?saved=rebuilt"));
    let page = app.get_as(&path, &pm_browser).await;
    assert!(card(&page.body, &lapsed).contains("Booked since the last meeting"));
    assert!(card(&page.body, &court).contains(minutes));
    assert!(card(&page.body, &court).contains("Walk them to the warrant desk"));

    // By hand, from the record.
    let by_hand = app
        .post_as(
            &format!("/staff/participants/{quiet}/owg"),
            &pm_browser,
            &[],
        )
        .await;
    assert_eq!(by_hand.location(), format!("{path}?saved=item"));
    let page = app.get_as(&path, &pm_browser).await;
    assert!(card(&page.body, &quiet).contains("Put on the agenda by hand"));

    // Both meetings are in the calendar, with nothing about anyone.
    let ics = app
        .get_as("/staff/legal/court-dates.ics", &pm_browser)
        .await;
    assert!(ics.body.contains("LEAD case conference"));

    // The next meeting follows up the action not done, and does not bring back the lapse
    // the group has already discussed.
    let second = local(&app, starts + Duration::days(14));
    let planned = app
        .post_as(
            "/staff/owg",
            &pm_browser,
            &[("starts_at", &second), ("place", "Lake Street office")],
        )
        .await;
    let next = format!("/staff/owg/{}", meeting_id(planned.location()));
    let page = app.get_as(&next, &pm_browser).await;
    let court_card = card(&page.body, &court);
    assert!(court_card.contains("Action item overdue"), "{court_card}");
    assert!(court_card.contains("Walk them to the warrant desk (Ana Ruiz, LEAD case management"));
    assert!(card(&page.body, &lapsed).is_empty(), "{}", page.body);
    let action_id = app
        .test_db
        .query_strings("SELECT id FROM owg_actions")
        .await
        .concat();
    let done = app
        .post_as(
            &format!("{path}/actions/done"),
            &pm_browser,
            &[("action", &action_id)],
        )
        .await;
    assert_eq!(done.location(), format!("{path}?saved=done"));
    let tail = app.audit_tail(1).await;
    assert_eq!(
        (tail[0].1.as_str(), tail[0].2.as_str()),
        ("owg.action", "ok: done")
    );
}
