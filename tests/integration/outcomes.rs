//! The participant-month panel read from the records, on both backends: a participant with a
//! month not recorded, a corrected month and bookings with jail days (one across a month's
//! end, one still held, one released after the as-of day), one enrolled on the as-of day,
//! one enrolled after it; and the read is audited.

use jiff::civil::date;
use leadhub_domain::SiteProfile;
use leadhub_domain::snapshot::Employment;
use leadhub_store::{Actor, PanelUse};
use time::macros::datetime;

use crate::support::{MINIMAL, TestApp};

#[tokio::test]
async fn the_panel_has_the_baseline_and_every_month_with_unknowns_kept_unknown() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let site = SiteProfile::minneapolis().unwrap();
    let actor = Actor::System;

    // Referred on 10 March (local), enrolled on 20 March.
    let sent = app.refer(MINIMAL).await;
    let referral = app.stored_referral(&sent).await.id.to_string();
    let followed = app
        .db
        .enrol_participant(
            "Amina",
            "Test",
            None,
            &actor,
            datetime!(2026-03-20 16:00 UTC),
        )
        .await
        .unwrap();
    let today = app
        .db
        .enrol_participant(
            "Today",
            "Test",
            None,
            &actor,
            datetime!(2026-05-15 20:00 UTC),
        )
        .await
        .unwrap();
    let later = app
        .db
        .enrol_participant(
            "Later",
            "Test",
            None,
            &actor,
            datetime!(2026-05-16 15:00 UTC),
        )
        .await
        .unwrap();
    let ts = |at| app.test_db.timestamp_sql(at);
    for sql in [
        format!(
            "UPDATE referrals SET received_at = {} WHERE id = '{referral}'",
            ts(datetime!(2026-03-10 15:00 UTC))
        ),
        format!("UPDATE participants SET referral_id = '{referral}' WHERE id = '{followed}'"),
        format!(
            "INSERT INTO status_snapshots (id, participant_id, month, living, employment, income, coverage, recorded_at) VALUES \
             ('s1', '{followed}', '2026-02', '116', 'not_working', 'none', 'none', {}), \
             ('s2', '{followed}', '2026-04', '101', 'looking', 'snap', 'medicaid', {}), \
             ('s3', '{followed}', '2026-04', '435', 'part_time', 'earned snap', 'medicaid', {}), \
             ('s4', '{today}', '2026-04', '336', 'dont_know', 'prefers_not', 'not_asked', {})",
            ts(datetime!(2026-03-20 16:30 UTC)),
            ts(datetime!(2026-04-20 16:30 UTC)),
            ts(datetime!(2026-04-21 16:30 UTC)),
            ts(datetime!(2026-05-15 20:10 UTC)),
        ),
        // Two contacts in March, one in May, one on 16 May (after the as-of day), and one
        // at 23:30 on 31 March local time, which is April in UTC but March on the site.
        format!(
            "INSERT INTO contacts (id, participant_id, at, kind, minutes) VALUES \
             ('c1', '{followed}', {}, 'street', 15), ('c2', '{followed}', {}, 'street', 15), \
             ('c3', '{followed}', {}, 'street', 15), ('c4', '{followed}', {}, 'street', 15), \
             ('c5', '{today}', {}, 'office', 30)",
            ts(datetime!(2026-03-25 17:00 UTC)),
            ts(datetime!(2026-04-01 04:30 UTC)),
            ts(datetime!(2026-05-02 17:00 UTC)),
            ts(datetime!(2026-05-16 17:00 UTC)),
            ts(datetime!(2026-05-15 20:05 UTC)),
        ),
    ] {
        app.test_db.execute(&sql).await;
    }
    let admin = app.staff(leadhub_domain::access::Role::Admin).await;
    app.test_db
        .execute(&format!(
            "INSERT INTO booking_imports (id, uploaded_by, uploaded_at, file_rows, linked, to_review, discarded) \
             VALUES ('i1', '{}', {}, 5, 5, 0, 0)",
            admin.id,
            ts(datetime!(2026-05-14 20:00 UTC))
        ))
        .await;
    for (id, booked, released) in [
        // 11:00 on 28 April to 10:00 on 3 May: nights of 28–30 April and 1–2 May.
        (
            "b1",
            datetime!(2026-04-28 16:00 UTC),
            Some(datetime!(2026-05-03 15:00 UTC)),
        ),
        // Held from 10 May on.
        ("b2", datetime!(2026-05-10 15:00 UTC), None),
        // Booked on the 14th, released after the as-of day: still held on the 15th.
        (
            "b3",
            datetime!(2026-05-14 15:00 UTC),
            Some(datetime!(2026-05-17 15:00 UTC)),
        ),
    ] {
        let released = released.map_or("NULL".to_owned(), ts);
        app.test_db
            .execute(&format!(
                "INSERT INTO bookings (id, participant_id, import_id, booked_at, released_at, charges, agency, \
                 probability, linked_at) VALUES ('{id}', '{followed}', 'i1', {}, {released}, 'Trespass', \
                 'Hennepin County Sheriff', 0.97, {})",
                ts(booked),
                ts(booked)
            ))
            .await;
    }

    // Arrested and cited on 20 April (an arrest, no jail day), and a charge filed without an
    // arrest on 5 May (neither).
    for (id, at, kind) in [
        ("b4", datetime!(2026-04-20 15:00 UTC), "citation"),
        ("b5", datetime!(2026-05-05 15:00 UTC), "charge"),
    ] {
        app.test_db
            .execute(&format!(
                "INSERT INTO bookings (id, participant_id, import_id, booked_at, charges, agency, probability, \
                 linked_at, kind) VALUES ('{id}', '{followed}', 'i1', {}, 'Trespass', 'Minneapolis Police', 0.97, {}, '{kind}')",
                ts(at),
                ts(at)
            ))
            .await;
    }

    let panel = app
        .db
        .outcome_panel(
            &site.calendar,
            date(2026, 5, 15),
            &actor,
            PanelUse::Analysis,
        )
        .await
        .unwrap();
    assert_eq!(
        panel.len(),
        2,
        "the one enrolled after the as-of day is not in it"
    );
    assert!(panel.iter().all(|p| p.participant != later));
    let rows = &panel
        .iter()
        .find(|p| p.participant == followed)
        .unwrap()
        .rows;
    let months: Vec<String> = rows.iter().map(|r| r.month.to_string()).collect();
    assert_eq!(months, ["2026-02", "2026-03", "2026-04", "2026-05"]);
    assert_eq!(
        (
            rows[0].followup,
            rows[0].sheltered,
            rows[0].income_or_benefits
        ),
        (false, Some(false), Some(false))
    );
    assert_eq!(
        rows[1].contacts, 2,
        "23:30 on 31 March is March on the site's clock"
    );
    assert_eq!(
        rows[1].sheltered, None,
        "March was not recorded: unknown, not no"
    );
    assert_eq!(rows[1].days_at_risk, 22);
    assert_eq!(rows[2].permanent, Some(true), "April's correction counts");
    assert_eq!(rows[2].employment, Some(Employment::PartTime));
    assert_eq!(
        (rows[2].bookings, rows[2].jail_days, rows[2].days_at_risk),
        (1, 3, 27),
        "three nights in April"
    );
    assert_eq!(
        (rows[2].arrests, rows[3].arrests),
        (2, 2),
        "April's booking and citation; May's two bookings, not the charge"
    );
    assert_eq!(rows[3].contacts, 1);
    assert_eq!(
        (rows[3].bookings, rows[3].jail_days, rows[3].days_at_risk),
        (2, 8, 7),
        "two nights to the 3rd, and the 10th to the 15th held"
    );

    let rows = &panel.iter().find(|p| p.participant == today).unwrap().rows;
    assert_eq!(rows.len(), 2, "April's baseline and the as-of month");
    assert_eq!(rows[0].sheltered, Some(true));
    assert_eq!((rows[0].employed, rows[0].income_or_benefits), (None, None));
    assert_eq!((rows[1].contacts, rows[1].days_at_risk), (1, 1));

    let audit = app.audit_tail(3).await;
    assert!(
        audit
            .iter()
            .any(|(_, action, outcome)| action == "outcomes.analyse"
                && outcome == "ok: 2 participants, 6 months, as of 2026-05-15"),
        "{audit:?}"
    );
}

#[tokio::test]
async fn the_outcomes_page_fits_the_models_and_the_export_is_de_identified() {
    use axum::http::StatusCode;
    use leadhub_domain::access::Role;

    let app = TestApp::new().await;
    let site = SiteProfile::minneapolis().unwrap();
    let places: Vec<String> = site.places.iter().map(|p| p.key.clone()).collect();
    let spec = leadhub_store::DemoSpec::first_site(&site.calendar, site.program_start);
    app.db
        .seed_demo(&spec, &site.calendar, &places, leadhub_store::now())
        .await
        .unwrap();

    let evaluator = app.staff(Role::Evaluator).await;
    let browser = app.sign_in(&evaluator).await;
    let page = app.get_as("/staff/outcomes", &browser).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "In permanent housing",
        "Odds ratio, after against before",
        "role=\"img\"",
        "<code>days_at_risk</code>",
        "<code>jail_days</code>",
        "Arrests before and after referral",
        "No arrests are recorded yet",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    // The demo's participants find housing after referral: the model says so with an
    // interval (two numbers "a to b") rather than an error.
    let permanent = page
        .body
        .split("<th scope=\"row\">In permanent housing</th>")
        .nth(1)
        .unwrap();
    let row = &permanent[..permanent.find("</tr>").unwrap()];
    assert!(!row.contains("Cannot be estimated"), "{row}");
    assert!(
        regex::Regex::new(r"\d+\.\d\d \(\d+\.\d\d to \d+\.\d\d\)")
            .unwrap()
            .is_match(row),
        "{row}"
    );

    let export = app.get_as("/staff/outcomes/panel.csv", &browser).await;
    assert_eq!(export.status, StatusCode::OK);
    let mut lines = export.body.lines();
    assert_eq!(
        lines.next().unwrap(),
        "participant,month,months_since_baseline,followup,sheltered,permanent,employment,employed,income_or_benefits,contacts,arrests,bookings,jail_days,days_at_risk"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 100);
    let pseudonym = regex::Regex::new("^[0-9a-f]{16}$").unwrap();
    let month = regex::Regex::new(r"^\d{4}-\d\d$").unwrap();
    for row in &rows {
        assert_eq!(row.len(), 14, "{row:?}");
        assert!(pseudonym.is_match(row[0]), "{row:?}");
        assert!(
            month.is_match(row[1]),
            "no dates finer than the month: {row:?}"
        );
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{row:?}");
        }
    }
    // Ordered by pseudonym, then month: nothing about enrolment order shows.
    let keys: Vec<(&str, &str)> = rows.iter().map(|r| (r[0], r[1])).collect();
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "rows are in pseudonym, month order"
    );
    // No participant id (and so no way back without the key) is in the export.
    let ids = app
        .test_db
        .query_strings("SELECT id FROM participants")
        .await;
    assert!(!ids.is_empty());
    for id in &ids {
        assert!(!export.body.contains(id.as_str()));
    }
    // The same person has the same pseudonym in the next export.
    let again = app.get_as("/staff/outcomes/panel.csv", &browser).await;
    assert_eq!(again.body, export.body);
    let dictionary = app.get_as("/staff/outcomes/dictionary.csv", &browser).await;
    assert!(dictionary.body.starts_with("column,meaning\nparticipant,"));

    let audit = app.audit_tail(10).await;
    for action in ["outcomes.analyse", "outcomes.export"] {
        assert!(
            audit.iter().any(|(_, a, _)| a == action),
            "{action}: {audit:?}"
        );
    }

    // Only the project manager and evaluators: the others are refused on the server.
    for role in [
        Role::CaseManager,
        Role::CommunityLead,
        Role::LegalLiaison,
        Role::Admin,
    ] {
        let staff = app.staff(role).await;
        let other = app.sign_in(&staff).await;
        for path in ["/staff/outcomes", "/staff/outcomes/panel.csv"] {
            let refused = app.get_as(path, &other).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role:?} {path}");
        }
    }
    let pm = app.staff(Role::ProjectManager).await;
    let pm_browser = app.sign_in(&pm).await;
    assert_eq!(
        app.get_as("/staff/outcomes", &pm_browser).await.status,
        StatusCode::OK
    );
}
