//! Data & Results: the public counters and tables, counted from data built here, on both
//! backends; the first site's demo; bad as-of days; CSV; the chart snapshots.

use axum::http::StatusCode;
use leadhub_domain::SiteProfile;
use leadhub_store::{
    Actor, DemoSpec, FIRST_SITE_CONTACTS, FIRST_SITE_ENROLLED, FIRST_SITE_REFERRALS,
};
use serde_json::Value;
use time::macros::datetime;

use crate::support::{MINIMAL, TestApp};

async fn figures(app: &TestApp, as_of: &str) -> Value {
    let page = app.get(&format!("/data.json?as_of={as_of}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

/// Moves every referral received after `after` (all of the test's) to `at`.
async fn received_at(app: &TestApp, ids: &[String], at: time::OffsetDateTime) {
    let list = ids
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE referrals SET received_at = {} WHERE id IN ({list})",
        app.test_db.timestamp_sql(at)
    );
    app.test_db.execute(&sql).await;
}

async fn refer_many(app: &TestApp, n: usize, referrer: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let mut fields = MINIMAL.to_vec();
        fields[0] = ("referrer_type", referrer);
        let sent = app.refer(&fields).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        ids.push(app.stored_referral(&sent).await.id.to_string());
    }
    ids
}

#[tokio::test]
async fn counters_count_what_was_recorded_up_to_the_end_of_the_as_of_day() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    // January 2024: 12 referrals from residents, 11 from businesses. One more business
    // referral at 23:30 on January 31 in Minneapolis, which is February 1 in UTC.
    let residents = refer_many(&app, 12, "resident").await;
    let businesses = refer_many(&app, 11, "business").await;
    let late = refer_many(&app, 1, "business").await;
    received_at(&app, &residents, datetime!(2024-01-10 15:00 UTC)).await;
    received_at(&app, &businesses, datetime!(2024-01-11 15:00 UTC)).await;
    received_at(&app, &late, datetime!(2024-02-01 05:30 UTC)).await;

    // 12 enrolled in January; one at 23:00 on 2024-03-25 local time (04:00 UTC the next
    // day), one at 00:30 on 2024-03-26 local time.
    let actor = Actor::System;
    let mut participants = Vec::new();
    for i in 0..12 {
        let at = datetime!(2024-01-20 16:00 UTC) + time::Duration::minutes(i);
        participants.push(
            app.db
                .enrol_participant("Test", "Person", None, &actor, at)
                .await
                .unwrap(),
        );
    }
    for at in [
        datetime!(2024-03-26 04:00 UTC),
        datetime!(2024-03-26 05:30 UTC),
    ] {
        app.db
            .enrol_participant("Late", "Person", None, &actor, at)
            .await
            .unwrap();
    }
    // 30 contacts in February, 5 on April 2 (after the as-of day).
    let mut values = Vec::new();
    for (n, p) in participants.iter().cycle().take(35).enumerate() {
        let at = if n < 30 {
            datetime!(2024-02-15 17:00 UTC) + time::Duration::minutes(n as i64)
        } else {
            datetime!(2024-04-02 17:00 UTC)
        };
        values.push(format!(
            "('c{n}', '{p}', {}, 'street', 15)",
            app.test_db.timestamp_sql(at)
        ));
    }
    app.test_db
        .execute(&format!(
            "INSERT INTO contacts (id, participant_id, at, kind, minutes) VALUES {}",
            values.join(", ")
        ))
        .await;

    let f = figures(&app, "2024-03-25").await;
    assert_eq!(f["as_of"], "2024-03-25");
    assert_eq!(f["period_start"], "2023-01-01");
    assert_eq!(f["referrals_received"], 24);
    assert_eq!(
        f["enrolled_clients"], 13,
        "23:00 local is still the as-of day; 00:30 is not"
    );
    assert_eq!(f["client_contacts"], 30);
    let months = f["months"].as_array().unwrap();
    assert_eq!(months.len(), 15, "2023-01 to 2024-03");
    let jan = months.iter().position(|m| m == "2024-01").unwrap();
    assert_eq!(
        f["referrals_by_month"]["row_totals"][jan], 24,
        "the late referral counts in January on the site's clock"
    );
    assert_eq!(
        f["enrolments_by_month"]["cells"][jan + 2],
        "<11",
        "March: one person"
    );
    assert_eq!(
        f["enrolments_by_month"]["cells"][jan], "suppressed",
        "else 13 − 12 gives March's one person away"
    );
    assert_eq!(f["contacts_by_month"][jan + 1], 30);
    assert_eq!(f["referrals_by_community_source"]["cells"][0], 12);
    assert_eq!(f["referrals_by_community_source"]["cells"][1], 12);
    assert_eq!(
        f["equity"]["enrolled"]["cells"][8], 13,
        "nobody was asked: everyone is 'not known'"
    );

    // A day later the 14th enrolment counts.
    let f = figures(&app, "2024-03-26").await;
    assert_eq!(f["enrolled_clients"], 14);
    let f = figures(&app, "2024-04-02").await;
    assert_eq!(f["client_contacts"], 35);
    assert_eq!(
        f["contacts_by_month"].as_array().unwrap().last().unwrap(),
        5,
        "contacts are never suppressed"
    );

    // Before anything happened: zeros, not errors.
    let f = figures(&app, "2023-06-30").await;
    assert_eq!(f["referrals_received"], 0);
    assert_eq!(f["enrolled_clients"], 0);
    assert_eq!(f["client_contacts"], 0);
    let page = app.get("/data?as_of=2023-06-30").await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn small_numbers_are_never_published() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let ids = refer_many(&app, 3, "visitor").await;
    received_at(&app, &ids, datetime!(2024-01-10 15:00 UTC)).await;
    let f = figures(&app, "2024-03-25").await;
    assert_eq!(f["referrals_received"], "<11");
    assert_eq!(f["referrals_by_community_source"]["cells"][2], "<11");
    let json = f.to_string();
    assert!(
        !json.contains(":3,") && !json.contains(",3,") && !json.contains("[3"),
        "{json}"
    );
    let page = app.get("/data?as_of=2024-03-25").await;
    assert!(page.body.contains("fewer than 11"), "{}", page.body);
    let csv = app
        .get("/data/community-sources.csv?as_of=2024-03-25")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.body.starts_with("source,referrals\n"), "{}", csv.body);
    assert!(csv.body.contains("visitor,<11\n"), "{}", csv.body);
}

#[tokio::test]
async fn a_bad_as_of_day_is_refused_with_a_message_and_kept() {
    let app = TestApp::new().await;
    for (asked, says) in [
        ("2024-3-25", "Write the date as YYYY-MM-DD"),
        ("2024-02-30", "Write the date as YYYY-MM-DD"),
        ("2022-12-31", "The program began on 2023-01-01"),
        ("2999-01-01", "Figures are only known up to today"),
    ] {
        let page = app.get(&format!("/data?as_of={asked}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{asked}");
        assert!(page.body.contains(says), "{asked}: {}", page.body);
        assert_eq!(
            page.input_value("as_of").as_deref(),
            Some(asked),
            "what was typed stays"
        );
        let json = app.get(&format!("/data.json?as_of={asked}")).await;
        assert_eq!(json.status, StatusCode::BAD_REQUEST);
        let body: Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(body["error"]["code"], "bad_as_of");
        let csv = app.get(&format!("/data/equity.csv?as_of={asked}")).await;
        assert_eq!(csv.status, StatusCode::BAD_REQUEST);
    }
    assert_eq!(
        app.get("/data/nothing.csv").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/data/equity").await.status, StatusCode::NOT_FOUND);
    let odd = app.get("/data?as_of=%FF%FE&as_of=x").await;
    assert!(odd.status == StatusCode::OK || odd.status == StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_first_site_demo_shows_the_figures_the_site_published() {
    let app = TestApp::new().await;
    let site = SiteProfile::minneapolis().unwrap();
    let places: Vec<String> = site.places.iter().map(|p| p.key.clone()).collect();
    let spec = DemoSpec::first_site(&site.calendar, site.program_start);
    app.db
        .seed_demo(&spec, &site.calendar, &places, leadhub_store::now())
        .await
        .unwrap();
    let f = figures(&app, "2024-03-25").await;
    assert_eq!(f["referrals_received"], FIRST_SITE_REFERRALS);
    assert_eq!(f["enrolled_clients"], FIRST_SITE_ENROLLED);
    assert_eq!(f["client_contacts"], FIRST_SITE_CONTACTS);
    let page = app.get("/data?as_of=2024-03-25").await;
    assert_eq!(page.status, StatusCode::OK);
    for n in ["106", "60", "606"] {
        assert!(
            page.body
                .contains(&format!("<span class=\"counter-value\">{n}</span>")),
            "{n}"
        );
    }
    // The history goes on to today.
    let today = app.get("/data.json").await;
    let today: Value = serde_json::from_str(&today.body).unwrap();
    assert!(today["client_contacts"].as_u64().unwrap() > 606);
    // Some of the demo's participants have found housing, so the equity view has outcomes.
    assert!(
        today["equity"]["housed_known"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_u64().is_some_and(|n| n >= 11)),
        "{}",
        today["equity"]
    );
}

#[tokio::test]
async fn the_charts_are_stable_svg() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let ids = refer_many(&app, 14, "resident").await;
    received_at(&app, &ids[..11], datetime!(2023-02-10 15:00 UTC)).await;
    received_at(&app, &ids[11..], datetime!(2023-03-10 15:00 UTC)).await;
    let page = app.get("/data?as_of=2023-04-30").await;
    assert_eq!(page.status, StatusCode::OK);
    let svg: Vec<&str> = page
        .body
        .match_indices("<svg")
        .map(|(start, _)| {
            let end = page.body[start..].find("</svg>").unwrap() + start + "</svg>".len();
            &page.body[start..end]
        })
        .collect();
    assert_eq!(
        svg.len(),
        5,
        "referrals, contacts, enrolments, sources, waits"
    );
    insta::assert_snapshot!("referrals_chart", svg[0]);
    insta::assert_snapshot!("sources_chart", svg[3]);
}

#[tokio::test]
async fn a_published_quarter_is_frozen_and_published_once() {
    use leadhub_domain::access::Role;
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let ids = refer_many(&app, 12, "resident").await;
    received_at(&app, &ids, datetime!(2024-02-10 15:00 UTC)).await;
    let pm = app.staff(Role::ProjectManager).await;
    let browser = app.sign_in(&pm).await;

    // A quarter that has not ended yet cannot be published; what was chosen stays.
    let today = leadhub_domain::SiteProfile::minneapolis()
        .unwrap()
        .calendar
        .day_of(leadhub_store::now());
    let current = leadhub_domain::results::Quarter::of(today).to_string();
    let early = app
        .post_as("/staff/results/publish", &browser, &[("quarter", &current)])
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    assert!(early.body.contains("is not over until"), "{}", early.body);
    assert!(
        early
            .body
            .contains(&format!("value=\"{current}\" selected"))
    );

    let done = app
        .post_as(
            "/staff/results/publish",
            &browser,
            &[("quarter", "2024-Q1")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/staff/results?saved=published");
    let tail = app.audit_tail(5).await;
    assert!(
        tail.iter()
            .any(|(_, action, outcome)| action == "results.publish" && outcome == "ok"),
        "{tail:?}"
    );

    // Records corrected later change the live figures, not the published ones.
    let more = refer_many(&app, 5, "business").await;
    received_at(&app, &more, datetime!(2024-03-01 15:00 UTC)).await;
    let live = figures(&app, "2024-03-31").await;
    assert_eq!(live["referrals_received"], 17);
    let frozen = app.get("/data/published/2024-Q1.json").await;
    assert_eq!(frozen.status, StatusCode::OK);
    let frozen: Value = serde_json::from_str(&frozen.body).unwrap();
    assert_eq!(frozen["referrals_received"], 12);
    assert_eq!(frozen["as_of"], "2024-03-31");
    assert_eq!(frozen["definitions_version"], 1);
    let page = app.get("/data/published/2024-Q1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("They never change"), "{}", page.body);
    let public = app.get("/data").await;
    assert!(
        public.body.contains("href=\"/data/published/2024-Q1\""),
        "{}",
        public.body
    );

    // Once only: a second publication is refused and the figures stay.
    let again = app
        .post_as(
            "/staff/results/publish",
            &browser,
            &[("quarter", "2024-Q1")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("was published before"));
    let still: Value =
        serde_json::from_str(&app.get("/data/published/2024-Q1.json").await.body).unwrap();
    assert_eq!(still, frozen);
    assert_eq!(
        app.get("/data/published/2024-Q2").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/data/published/nonsense").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_dashboard_counts_for_the_months_and_door_asked() {
    use leadhub_domain::access::Role;
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let ids = refer_many(&app, 3, "resident").await;
    received_at(&app, &ids, datetime!(2024-02-10 15:00 UTC)).await;
    let pm = app.staff(Role::ProjectManager).await;
    let browser = app.sign_in(&pm).await;
    let page = app
        .get_as(
            "/staff/results?from=2024-01&to=2024-03&door=community",
            &browser,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("<th scope=\"row\">Referrals received</th><td>3</td>"),
        "{}",
        page.body
    );
    let other = app
        .get_as(
            "/staff/results?from=2024-01&to=2024-03&door=provider",
            &browser,
        )
        .await;
    assert!(
        other
            .body
            .contains("<th scope=\"row\">Referrals received</th><td>0</td>")
    );
    // The community lead sees aggregates with small counts held back, and no names.
    let lead = app.staff(Role::CommunityLead).await;
    let lead_browser = app.sign_in(&lead).await;
    // By whole quarter and every door only: months and a door are not theirs to choose.
    let seen = app
        .get_as(
            "/staff/results?period=2024-Q1&from=2024-03&door=provider",
            &lead_browser,
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert!(
        seen.body
            .contains("<th scope=\"row\">Referrals received</th><td>fewer than 11</td>")
    );
    // Nor a share that would give a held-back count away (3 received, so any part of them
    // is fewer than 11, or all of them), nor a median of so few waits.
    assert!(
        seen.body.contains(
            "<th scope=\"row\">Answered within one business day</th><td>held back (fewer than 11 with or without)</td>"
        ),
        "{}",
        seen.body
    );
    assert!(seen.body.contains(
        "<th scope=\"row\">Typical time from referral to enrolment (median)</th><td>–</td>"
    ));
    assert!(!seen.body.contains("%)"), "{}", seen.body);
    assert!(!seen.body.contains("Caseloads"));
    assert!(!seen.body.contains("name=\"door\""));
    let bad_quarter = app
        .get_as("/staff/results?period=2023-Q9", &lead_browser)
        .await;
    assert_eq!(bad_quarter.status, StatusCode::BAD_REQUEST);
    assert!(bad_quarter.body.contains("Choose one of the quarters."));
    assert!(
        !seen.body.contains("Publish</button>"),
        "only the project manager publishes"
    );
    // Bad months come back with a message and what was typed.
    let bad = app
        .get_as(
            "/staff/results?from=2024-13&to=2024-01&door=nowhere",
            &browser,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("Write the month as YYYY-MM"));
    assert!(bad.body.contains("Choose one of the doors"));
    assert_eq!(bad.input_value("from").as_deref(), Some("2024-13"));
}
