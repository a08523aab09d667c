//! Case management after enrolment: logging contacts (one, or "seen today" for a round),
//! bad input, reach, inactive and active again, monthly status snapshots, caseload views,
//! changing the case manager with versions, and what each role's record page shows.

use axum::http::StatusCode;
use leadhub_domain::access::Role;
use leadhub_domain::ids::ParticipantId;
use leadhub_store::Actor;
use time::Duration;

use crate::support::{Browser, Staff, TestApp};

async fn contacts(app: &TestApp) -> i64 {
    app.db.demo_counts().await.unwrap().2
}

/// A participant enrolled `days` ago in `case_manager`'s caseload, with no contacts.
async fn enrolled_days_ago(app: &TestApp, case_manager: &Staff, days: i64) -> ParticipantId {
    let at = leadhub_store::now() - Duration::days(days);
    app.db
        .enrol_participant(
            "Hodan",
            "Warsame",
            Some(case_manager.id),
            &Actor::System,
            at,
        )
        .await
        .unwrap()
}

async fn signed_in(app: &TestApp, role: Role) -> (Staff, Browser) {
    let staff = app.staff(role).await;
    let browser = app.sign_in(&staff).await;
    (staff, browser)
}

#[tokio::test]
async fn the_common_contact_takes_the_defaults_and_two_requests() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;

    let caseload = app.get_as("/staff/participants", &browser).await;
    assert_eq!(caseload.status, StatusCode::OK);
    let form_link = format!("/staff/participants/{id}/contact");
    assert!(caseload.body.contains(&form_link), "{}", caseload.body);

    let form = app.get_as(&form_link, &browser).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    // The defaults are the common case: street outreach, 15 minutes, now.
    assert!(form.body.contains(r#"value="street_outreach" checked"#));
    assert!(form.body.contains(r#"value="15" checked"#));
    assert_eq!(form.input_value("at").as_deref(), Some(""));

    let before = contacts(&app).await;
    let saved = app
        .post_as(
            &form_link,
            &browser,
            &[
                ("kind", "street_outreach"),
                ("minutes", "15"),
                ("place", "lake-chicago"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/staff/participants?logged=1");
    assert_eq!(contacts(&app).await, before + 1);
    let last = app.audit_tail(1).await;
    assert_eq!(last[0].1, "contact.log");
    assert_eq!(last[0].2, "ok");

    let record = app
        .get_as(&format!("/staff/participants/{id}"), &browser)
        .await;
    assert!(
        record.body.contains("Street outreach · 15 min"),
        "{}",
        record.body
    );
    assert!(record.body.contains("Lake St &#38; Chicago Ave"));
    // The next contact starts where this one was.
    let again = app.get_as(&form_link, &browser).await;
    assert!(again.body.contains(r#"value="lake-chicago" selected"#));
}

#[tokio::test]
async fn bad_contacts_are_refused_by_field_with_the_typing_kept_and_nothing_saved() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;
    let path = format!("/staff/participants/{id}/contact");
    let before = contacts(&app).await;
    let tomorrow = (leadhub_store::now() + Duration::days(2))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let page = app
        .post_as(
            &path,
            &browser,
            &[
                ("kind", "street_outreach"),
                ("minutes_other", "900"),
                ("at", &tomorrow[..16]),
                ("services", "food"),
                ("services", "cash"),
                ("note", "brought socks, talked about the winter shelter"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Give a whole number from 1 to 720."));
    assert!(page.body.contains("That time has not come yet."));
    assert!(page.body.contains("Choose one of the options."));
    assert!(
        page.body
            .contains("brought socks, talked about the winter shelter")
    );
    assert!(page.body.contains(r#"value="900""#));
    assert!(page.body.contains(r#"value="food" checked"#));
    assert_eq!(contacts(&app).await, before);

    // A time before enrolment is refused by the store, with the same page.
    let old = (leadhub_store::now() - Duration::days(3))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let early = app
        .post_as(
            &path,
            &browser,
            &[("kind", "phone"), ("minutes", "5"), ("at", &old[..16])],
        )
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    assert!(early.body.contains("before this person"));
    assert_eq!(contacts(&app).await, before);

    // A point outside the corridor is kept, and flagged.
    let outside = app
        .post_as(
            &path,
            &browser,
            &[
                ("kind", "accompaniment"),
                ("minutes", "120"),
                ("point", "44.9778,-93.2650"),
            ],
        )
        .await;
    assert_eq!(outside.status, StatusCode::SEE_OTHER, "{}", outside.body);
    let record = app
        .get_as(&format!("/staff/participants/{id}"), &browser)
        .await;
    assert!(
        record.body.contains("outside the corridor"),
        "{}",
        record.body
    );
}

#[tokio::test]
async fn contacts_for_someone_elses_participant_are_refused_and_audited() {
    let app = TestApp::new().await;
    let (_, browser) = signed_in(&app, Role::CaseManager).await;
    let colleague = app.staff(Role::CaseManager).await;
    let theirs = app.participant(colleague.id, false).await;
    let before = contacts(&app).await;
    let page = app
        .post_as(
            &format!("/staff/participants/{theirs}/contact"),
            &browser,
            &[("kind", "phone"), ("minutes", "5")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(contacts(&app).await, before);
    let last = app.audit_tail(1).await;
    assert_eq!(last[0].1, "contact.log");
    assert_eq!(last[0].2, "refused: out_of_reach");
    // The form itself is not shown either.
    let form = app
        .get_as(&format!("/staff/participants/{theirs}/contact"), &browser)
        .await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn seen_today_logs_everyone_ticked_or_no_one() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let colleague = app.staff(Role::CaseManager).await;
    let (a, b) = (
        app.participant(cm.id, false).await,
        app.participant(cm.id, false).await,
    );
    let theirs = app.participant(colleague.id, false).await;
    let before = contacts(&app).await;
    let (a, b, theirs) = (a.to_string(), b.to_string(), theirs.to_string());

    let mixed = app
        .post_as(
            "/staff/participants/seen",
            &browser,
            &[
                ("participant", &a),
                ("participant", &theirs),
                ("minutes", "5"),
            ],
        )
        .await;
    assert_eq!(mixed.status, StatusCode::FORBIDDEN);
    assert_eq!(contacts(&app).await, before, "nothing saved half-way");

    let none = app
        .post_as("/staff/participants/seen", &browser, &[("minutes", "5")])
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Tick the people you saw first."));

    // A refused round comes back with what was chosen.
    let bad_minutes = app
        .post_as(
            "/staff/participants/seen",
            &browser,
            &[
                ("participant", &a),
                ("minutes", "0"),
                ("place", "lake-cedar"),
            ],
        )
        .await;
    assert_eq!(bad_minutes.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_minutes.body.contains(&format!(
        r#"value="{a}" id="seen-{a}" aria-label="Seen: Ayaan Testperson" checked"#
    )));
    assert!(bad_minutes.body.contains(r#"value="lake-cedar" selected"#));
    assert_eq!(contacts(&app).await, before);

    let done = app
        .post_as(
            "/staff/participants/seen",
            &browser,
            &[
                ("participant", &a),
                ("participant", &b),
                ("minutes", "5"),
                ("place", "lake-cedar"),
                ("view", "unseen7"),
                ("whose", "mine"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        done.location(),
        "/staff/participants?whose=mine&view=unseen7&seen=2"
    );
    assert_eq!(contacts(&app).await, before + 2);
    let entries = app.audit_tail(2).await;
    assert!(
        entries
            .iter()
            .all(|e| e.1 == "contact.log_seen" && e.2 == "ok")
    );
    let page = app.get_as(done.location(), &browser).await;
    assert!(page.body.contains("Logged “seen today” for 2 people."));
}

#[tokio::test]
async fn inactive_after_the_sites_days_and_active_again_at_the_next_contact() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let quiet = enrolled_days_ago(&app, &cm, 100).await;
    let recent = enrolled_days_ago(&app, &cm, 10).await;

    let caseload = app
        .get_as("/staff/participants?view=unseen30", &browser)
        .await;
    assert!(caseload.body.contains(&quiet.to_string()));
    assert!(!caseload.body.contains(&recent.to_string()));
    assert!(caseload.body.contains("<strong>inactive</strong>"));
    let week = app
        .get_as("/staff/participants?view=unseen7", &browser)
        .await;
    assert!(week.body.contains(&recent.to_string()));

    let record = app
        .get_as(&format!("/staff/participants/{quiet}"), &browser)
        .await;
    assert!(
        record.body.contains("<dd>inactive since"),
        "{}",
        record.body
    );
    assert!(record.body.contains("Not seen 100 days ago"));

    let saved = app
        .post_as(
            &format!("/staff/participants/{quiet}/contact"),
            &browser,
            &[("kind", "street_outreach"), ("minutes", "10")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let record = app
        .get_as(&format!("/staff/participants/{quiet}"), &browser)
        .await;
    assert!(record.body.contains("<dd>active since"), "{}", record.body);
    // The history keeps the inactive stretch.
    assert!(record.body.contains("<li>inactive:"));
    let caseload = app
        .get_as("/staff/participants?view=unseen30", &browser)
        .await;
    assert!(!caseload.body.contains(&quiet.to_string()));
}

#[tokio::test]
async fn monthly_status_keeps_every_answer_and_never_takes_unknown_for_none() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;
    let record_path = format!("/staff/participants/{id}");
    let path = format!("{record_path}/status");

    let before = app.get_as(&record_path, &browser).await;
    assert!(before.body.contains("Record the monthly status for"));
    let due = app
        .get_as("/staff/participants?view=status", &browser)
        .await;
    assert!(due.body.contains(&id.to_string()));

    let form = app.get_as(&path, &browser).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let month = leadhub_web::current_month(&app.state, leadhub_store::now()).to_string();

    // An untouched question is asked again, not stored as "none".
    let page = app
        .post_as(
            &path,
            &browser,
            &[
                ("month", &month),
                ("living", "116"),
                ("employment", "looking"),
                ("income", "ga"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(r#"value="116" selected"#));
    assert!(page.body.contains(r#"value="ga" checked"#));

    let saved = app
        .post_as(
            &path,
            &browser,
            &[
                ("month", &month),
                ("living", "116"),
                ("employment", "looking"),
                ("income", "ga"),
                ("coverage_answer", "dont_know"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let record = app.get_as(&record_path, &browser).await;
    assert!(record.body.contains("Place not meant for habitation"));
    assert!(record.body.contains("(unsheltered)"));
    assert!(record.body.contains("General Assistance"));
    assert!(
        record.body.contains("not known (doesn&#39;t know)"),
        "{}",
        record.body
    );
    assert!(!record.body.contains("Record the monthly status for"));

    // A correction is a new answer; the earlier one stays.
    let corrected = app
        .post_as(
            &path,
            &browser,
            &[
                ("month", &month),
                ("living", "101"),
                ("employment", "looking"),
                ("income_answer", "none"),
                ("coverage_answer", "yes"),
                ("coverage", "medicaid"),
            ],
        )
        .await;
    assert_eq!(corrected.status, StatusCode::SEE_OTHER);
    let record = app.get_as(&record_path, &browser).await;
    assert!(record.body.contains("Emergency shelter"));
    assert!(record.body.contains("Earlier months"));
    assert!(record.body.contains("Place not meant for habitation"));

    // Months outside the record are refused.
    let far = app
        .post_as(
            &path,
            &browser,
            &[
                ("month", "2001-01"),
                ("living", "116"),
                ("employment", "looking"),
                ("income_answer", "none"),
                ("coverage_answer", "none"),
            ],
        )
        .await;
    assert_eq!(far.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(far.body.contains("before this person"));
    let future = app
        .post_as(
            &path,
            &browser,
            &[
                ("month", "2999-01"),
                ("living", "116"),
                ("employment", "looking"),
                ("income_answer", "none"),
                ("coverage_answer", "none"),
            ],
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_case_manager_changes_only_from_the_current_version() {
    let app = TestApp::new().await;
    let (_, pm_browser) = signed_in(&app, Role::ProjectManager).await;
    let first = app.staff(Role::CaseManager).await;
    let second = app.staff(Role::CaseManager).await;
    let id = app.participant(first.id, false).await;
    let path = format!("/staff/participants/{id}/case-manager");
    let record = app
        .get_as(&format!("/staff/participants/{id}"), &pm_browser)
        .await;
    let version = record
        .input_value("version")
        .expect("the form carries the version");

    let changed = app
        .post_as(
            &path,
            &pm_browser,
            &[
                ("version", &version),
                ("case_manager", &second.id.to_string()),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    // The same page again is stale now.
    let stale = app
        .post_as(
            &path,
            &pm_browser,
            &[
                ("version", &version),
                ("case_manager", &first.id.to_string()),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale
            .body
            .contains("Someone changed this record after you opened it")
    );
    let record = app
        .get_as(&format!("/staff/participants/{id}"), &pm_browser)
        .await;
    assert!(record.body.contains("Case manager changed.") || record.status == StatusCode::OK);
    let evaluator = app.staff(Role::Evaluator).await;
    let refused = app
        .post_as(
            &path,
            &pm_browser,
            &[
                ("version", &record.input_value("version").unwrap()),
                ("case_manager", &evaluator.id.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The second case manager now holds the caseload.
    let browser = app.sign_in(&second).await;
    let caseload = app.get_as("/staff/participants", &browser).await;
    assert!(caseload.body.contains(&id.to_string()));
}

#[tokio::test]
async fn each_role_sees_on_the_record_only_what_it_may() {
    let app = TestApp::new().await;
    let (cm, cm_browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, true).await;
    let path = format!("/staff/participants/{id}");
    let logged = app
        .post_as(
            &format!("{path}/contact"),
            &cm_browser,
            &[
                ("kind", "street_outreach"),
                ("minutes", "15"),
                ("services", "harm_reduction"),
                ("services", "food"),
                ("note", "asked about the clinic"),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER);

    // Their own case manager: everything, and the forms.
    let own = app.get_as(&path, &cm_browser).await;
    for shown in [
        "Log a contact",
        "Harm-reduction supplies, Food",
        "asked about the clinic",
        "Releases of information",
        "a substance_use note",
        "Active and inactive periods",
    ] {
        assert!(own.body.contains(shown), "case manager sees {shown}");
    }

    // The project manager: everything, and the case manager form, no contact form of
    // their own caseload's kind (they may log for anyone).
    let (_, pm) = signed_in(&app, Role::ProjectManager).await;
    let page = app.get_as(&path, &pm).await;
    assert!(page.body.contains(r#"name="case_manager""#));
    assert!(page.body.contains("Harm-reduction supplies"));

    // A liaison under a release: participation, case manager and engagement, never
    // contacts' details, releases, status, or health and substance-use notes.
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let page = app.get_as(&path, &liaison).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("Disclosed under a release of information")
    );
    for hidden in [
        "Log a contact",
        "Harm-reduction",
        "asked about the clinic",
        "Releases of information",
        "a substance_use note",
        "a health note",
        "Latest status",
    ] {
        assert!(!page.body.contains(hidden), "liaison must not see {hidden}");
    }

    // Another case manager who breaks the glass: contacts without notes or substance-use
    // services, general notes only, no forms.
    let (_, other) = signed_in(&app, Role::CaseManager).await;
    let refused = app.get_as(&path, &other).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let opened = app
        .post_as(
            &format!("{path}/break-glass"),
            &other,
            &[(
                "reason",
                "Found them hurt at the station; need their case manager now",
            )],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let page = app.get_as(&path, &other).await;
    assert!(page.body.contains("Street outreach · 15 min"));
    assert!(page.body.contains("Food"));
    for hidden in [
        "Harm-reduction",
        "asked about the clinic",
        "Log a contact",
        "Releases of information",
        "a substance_use note",
    ] {
        assert!(
            !page.body.contains(hidden),
            "break-glass must not see {hidden}"
        );
    }

    // Aggregate roles never open a record.
    for role in [Role::CommunityLead, Role::Evaluator, Role::Admin] {
        let (_, b) = signed_in(&app, role).await;
        assert_eq!(
            app.get_as(&path, &b).await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
    }
}

#[tokio::test]
async fn the_team_view_and_caseload_sizes() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let colleague = app.staff(Role::CaseManager).await;
    let mine = app.participant(cm.id, false).await;
    let theirs = app.participant(colleague.id, false).await;

    let own = app.get_as("/staff/participants", &browser).await;
    assert!(own.body.contains(&mine.to_string()));
    assert!(!own.body.contains(&theirs.to_string()));
    let team = app.get_as("/staff/participants?whose=team", &browser).await;
    assert!(team.body.contains(&theirs.to_string()));
    // Colleagues' people can be seen in the list, not logged for.
    assert!(
        !team
            .body
            .contains(&format!("/staff/participants/{theirs}/contact"))
    );
    assert!(
        team.body
            .contains(&format!("/staff/participants/{mine}/contact"))
    );
    assert!(!team.body.contains("Caseload sizes"));

    let (_, pm) = signed_in(&app, Role::ProjectManager).await;
    let page = app.get_as("/staff/participants", &pm).await;
    assert!(page.body.contains("Caseload sizes"));
    assert!(page.body.contains(&theirs.to_string()));
    assert!(
        page.body
            .contains(&format!("/staff/participants/{theirs}/contact"))
    );
    let last = app.audit_tail(1).await;
    assert_eq!(last[0].1, "caseload.list");
}

#[tokio::test]
async fn labelled_notes_are_written_from_the_record_and_follow_their_label() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, true).await;
    let path = format!("/staff/participants/{id}");

    let empty = app
        .post_as(
            &format!("{path}/notes"),
            &browser,
            &[("sensitivity", "health")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Answer this."));
    assert!(empty.body.contains(r#"value="health" checked"#));

    let saved = app
        .post_as(
            &format!("{path}/notes"),
            &browser,
            &[
                ("sensitivity", "substance_use"),
                ("body", "wants a detox bed next week"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let own = app.get_as(&path, &browser).await;
    assert!(own.body.contains("wants a detox bed next week"));
    let last = app.audit_tail(2).await;
    assert!(last.iter().any(|e| e.1 == "note.write" && e.2 == "ok"));

    // Under the release, the liaison never sees it.
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let page = app.get_as(&path, &liaison).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("detox"));

    // Nobody outside the caseload writes one.
    let (_, other) = signed_in(&app, Role::CaseManager).await;
    let refused = app
        .post_as(
            &format!("{path}/notes"),
            &other,
            &[("sensitivity", "general"), ("body", "seen at the market")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_release_recorded_on_the_record_opens_the_record_to_that_organisation_until_revoked() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;
    let path = format!("/staff/participants/{id}");
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    assert_eq!(
        app.get_as(&path, &liaison).await.status,
        StatusCode::FORBIDDEN
    );

    let bad = app
        .post_as(
            &format!("{path}/releases"),
            &browser,
            &[
                ("discloser", "LEAD Minneapolis case management"),
                ("recipient", crate::support::TEST_ORGANIZATION),
                ("purpose", "coordinate a pending case"),
                ("signed_on", "2001-01-01"),
                ("expires_on", "2001-12-31"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("Give a last day on or after the day it was signed")
    );
    assert!(bad.body.contains("coordinate a pending case"));
    assert_eq!(
        app.get_as(&path, &liaison).await.status,
        StatusCode::FORBIDDEN
    );

    let today = leadhub_store::now().date();
    let next_year = today.replace_year(today.year() + 1).unwrap();
    let recorded = app
        .post_as(
            &format!("{path}/releases"),
            &browser,
            &[
                ("discloser", "LEAD Minneapolis case management"),
                ("recipient", crate::support::TEST_ORGANIZATION),
                ("covers", "participation"),
                ("covers", "case_manager"),
                ("purpose", "coordinate a pending case"),
                ("signed_on", &(today - Duration::days(1)).to_string()),
                ("expires_on", &next_year.to_string()),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let page = app.get_as(&path, &liaison).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("covering: participation, case_manager"));
    // Without "progress", not even whether they are active (that tells how lately they
    // were seen).
    assert!(!page.body.contains("<dt>Status</dt>"));
    assert!(!page.body.contains("Active and inactive periods"));
    assert!(!page.body.contains("Contacts in the last 90 days"));

    let own = app.get_as(&path, &browser).await;
    let release = own
        .body
        .split(r#"name="release" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a revoke button")
        .to_owned();
    let revoked = app
        .post_as(
            &format!("{path}/releases/revoke"),
            &browser,
            &[("release", &release)],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_as(&path, &liaison).await.status,
        StatusCode::FORBIDDEN
    );
    let twice = app
        .post_as(
            &format!("{path}/releases/revoke"),
            &browser,
            &[("release", &release)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let record = app.get_as(&path, &browser).await;
    assert!(record.body.contains("revoked · signed"));
}
