//! The participant-month panel read from the records, on both backends: a participant with a
//! month not recorded and a corrected month, one enrolled on the as-of day, one enrolled
//! after it; and the read is audited.

use jiff::civil::date;
use leadhub_domain::SiteProfile;
use leadhub_domain::snapshot::Employment;
use leadhub_store::Actor;
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

    let panel = app
        .db
        .outcome_panel(&site.calendar, date(2026, 5, 15), &actor)
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
    assert_eq!(rows[3].contacts, 1);
    assert_eq!(rows[3].days_at_risk, 15);

    let rows = &panel.iter().find(|p| p.participant == today).unwrap().rows;
    assert_eq!(rows.len(), 2, "April's baseline and the as-of month");
    assert_eq!(rows[0].sheltered, Some(true));
    assert_eq!((rows[0].employed, rows[0].income_or_benefits), (None, None));
    assert_eq!((rows[1].contacts, rows[1].days_at_risk), (1, 1));

    let audit = app.audit_tail(3).await;
    assert!(
        audit
            .iter()
            .any(|(_, action, outcome)| action == "outcomes.panel"
                && outcome == "ok: 2 participants, 6 months, as of 2026-05-15"),
        "{audit:?}"
    );
}
