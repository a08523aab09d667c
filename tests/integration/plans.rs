//! Intervention plans (goals in the participant's words, steps, versions and history),
//! referrals out to partners with their closed loop, the partner directory, labelled goals
//! on every read path, and the printed consent form.

use axum::http::StatusCode;
use leadhub_domain::access::{Role, Scope};
use leadhub_domain::ids::{ParticipantId, PartnerId, PartnerReferralId};
use leadhub_domain::plan::{GoalStatus, ReferralOutStatus, StepStatus};
use leadhub_store::{Casework, Caseworker, Plan};

use crate::support::{Browser, Staff, TestApp};

async fn signed_in(app: &TestApp, role: Role) -> (Staff, Browser) {
    let staff = app.staff(role).await;
    let browser = app.sign_in(&staff).await;
    (staff, browser)
}

/// The plan as the participant's case manager's store call reads it.
async fn plan_of(app: &TestApp, cm: &Staff, id: ParticipantId) -> Plan {
    let worker = Caseworker {
        user: cm.id,
        role: Role::CaseManager,
        scope: Scope::Own,
        organization: None,
        address: "test",
        now: leadhub_store::now(),
    };
    match app.db.plan(&worker, id).await.unwrap() {
        Casework::Done((_, plan)) => plan,
        other => panic!("plan not readable: {other:?}"),
    }
}

async fn add_goal(app: &TestApp, browser: &Browser, id: ParticipantId, domain: &str, words: &str) {
    let page = app
        .post_as(
            &format!("/staff/participants/{id}/goals"),
            browser,
            &[("domain", domain), ("words", words)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        page.location(),
        format!("/staff/participants/{id}/plan?saved=goal")
    );
}

#[tokio::test]
async fn a_goal_in_their_words_gets_steps_and_keeps_every_version() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;

    add_goal(
        &app,
        &browser,
        id,
        "documents",
        "Get my birth certificate back",
    )
    .await;
    assert_eq!(app.audit_tail(1).await[0].1, "plan.goal.add");
    let plan = plan_of(&app, &cm, id).await;
    let goal = &plan.goals[0];
    assert_eq!(goal.goal.words, "Get my birth certificate back");
    assert_eq!(goal.goal.status, GoalStatus::Working);
    assert_eq!(goal.version, 1);
    let goal_id = goal.id.to_string();

    let step = app
        .post_as(
            &format!("/staff/participants/{id}/steps"),
            &browser,
            &[
                ("goal", goal_id.as_str()),
                ("words", "Call Vital Records together"),
                ("owner", "together"),
                ("due_on", "2027-01-15"),
            ],
        )
        .await;
    assert_eq!(step.status, StatusCode::SEE_OTHER, "{}", step.body);
    let plan = plan_of(&app, &cm, id).await;
    let step = &plan.goals[0].steps[0];
    assert_eq!(step.step.status, StepStatus::ToDo);
    assert_eq!(step.step.due_on, Some(jiff::civil::date(2027, 1, 15)));

    // The record page summarises the plan and links to it.
    let record = app
        .get_as(&format!("/staff/participants/{id}"), &browser)
        .await;
    assert!(
        record.body.contains("Get my birth certificate back"),
        "{}",
        record.body
    );
    assert!(
        record
            .body
            .contains("Call Vital Records together (by 2027-01-15)")
    );
    assert!(
        record
            .body
            .contains(&format!("/staff/participants/{id}/plan"))
    );

    // "Mark done", then the goal is reached.
    let step_id = step.id.to_string();
    let done = app
        .post_as(
            &format!("/staff/participants/{id}/steps/change"),
            &browser,
            &[
                ("step", step_id.as_str()),
                ("version", "1"),
                ("words", "Call Vital Records together"),
                ("owner", "together"),
                ("due_on", "2027-01-15"),
                ("status", "done"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let reached = app
        .post_as(
            &format!("/staff/participants/{id}/goals/change"),
            &browser,
            &[
                ("goal", goal_id.as_str()),
                ("version", "1"),
                ("domain", "documents"),
                ("words", "Get my birth certificate back"),
                ("status", "reached"),
            ],
        )
        .await;
    assert_eq!(reached.status, StatusCode::SEE_OTHER, "{}", reached.body);
    assert_eq!(app.audit_tail(1).await[0].1, "plan.goal.change");

    let plan = plan_of(&app, &cm, id).await;
    let goal = &plan.goals[0];
    assert_eq!(goal.goal.status, GoalStatus::Reached);
    assert_eq!(goal.version, 2);
    assert_eq!(goal.steps[0].step.status, StepStatus::Done);
    // Four versions in all: goal v1, step v1, step v2, goal v2, oldest first.
    let versions: Vec<(bool, i64)> = goal
        .history
        .iter()
        .map(|h| (h.step.is_some(), h.version))
        .collect();
    assert_eq!(versions, [(false, 1), (true, 1), (true, 2), (false, 2)]);

    let page = app
        .get_as(&format!("/staff/participants/{id}/plan"), &browser)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("goal v1: Documents and ID: Get my birth certificate back (Working on it)"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("goal v2: Documents and ID: Get my birth certificate back (Reached)")
    );
    assert!(
        page.body
            .contains("step v1: Call Vital Records together (Together, by 2027-01-15, To do)")
    );
}

#[tokio::test]
async fn a_stale_edit_gets_a_conflict_page_that_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;
    add_goal(&app, &browser, id, "housing", "A room of my own").await;
    let goal_id = plan_of(&app, &cm, id).await.goals[0].id.to_string();
    let change = |words: &'static str| {
        let goal_id = goal_id.clone();
        let browser = &browser;
        let app = &app;
        async move {
            app.post_as(
                &format!("/staff/participants/{id}/goals/change"),
                browser,
                &[
                    ("goal", goal_id.as_str()),
                    ("version", "1"),
                    ("domain", "housing"),
                    ("words", words),
                    ("status", "working"),
                ],
            )
            .await
        }
    };
    assert_eq!(
        change("A room near my sister").await.status,
        StatusCode::SEE_OTHER
    );
    let stale = change("A room by the lake").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        stale
            .body
            .contains("Someone changed this since you opened the page")
    );
    assert!(
        stale.body.contains("A room by the lake"),
        "what was typed is kept"
    );
    assert!(
        stale.body.contains("A room near my sister"),
        "the plan as it is now"
    );
    let plan = plan_of(&app, &cm, id).await;
    assert_eq!(plan.goals[0].goal.words, "A room near my sister");
    assert_eq!(plan.goals[0].version, 2);
    // The refusal is recorded (before the reads of the conflict page and of this test).
    let refusal = app.audit_tail(5).await;
    assert!(
        refusal
            .iter()
            .any(|(_, action, outcome)| action == "plan.goal.change"
                && outcome == "refused: stale (page 1, record 2)"),
        "{refusal:?}"
    );
}

#[tokio::test]
async fn bad_plan_input_says_what_is_wrong_and_saves_nothing() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;

    let page = app
        .post_as(
            &format!("/staff/participants/{id}/goals"),
            &browser,
            &[("domain", "winning"), ("words", "   ")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Not saved yet"));
    assert!(
        page.body.contains(r#"id="goal-new-domain-error""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"id="goal-new-words-error""#));
    assert!(plan_of(&app, &cm, id).await.goals.is_empty());

    add_goal(&app, &browser, id, "income_benefits", "SSI back").await;
    let goal_id = plan_of(&app, &cm, id).await.goals[0].id.to_string();
    let page = app
        .post_as(
            &format!("/staff/participants/{id}/steps"),
            &browser,
            &[
                ("goal", goal_id.as_str()),
                ("words", "Find the denial letter"),
                ("owner", "participant"),
                ("due_on", "next week"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains(&format!(r#"id="step-new-{goal_id}-due-error""#))
    );
    assert!(
        page.body.contains(r#"value="Find the denial letter""#),
        "typing kept"
    );
    assert!(plan_of(&app, &cm, id).await.goals[0].steps.is_empty());

    // A goal of another participant is not found through this one.
    let other = app.participant(cm.id, false).await;
    let page = app
        .post_as(
            &format!("/staff/participants/{other}/steps"),
            &browser,
            &[
                ("goal", goal_id.as_str()),
                ("words", "x"),
                ("owner", "together"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(plan_of(&app, &cm, id).await.goals[0].steps.is_empty());
}

#[tokio::test]
async fn out_of_reach_plans_are_refused_and_the_refusal_recorded() {
    let app = TestApp::new().await;
    let cm = app.staff(Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;
    let (_, other) = signed_in(&app, Role::CaseManager).await;

    let page = app
        .get_as(&format!("/staff/participants/{id}/plan"), &other)
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = app
        .post_as(
            &format!("/staff/participants/{id}/goals"),
            &other,
            &[("domain", "housing"), ("words", "anything")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let last = app.audit_tail(1).await;
    assert_eq!(last[0].1, "plan.goal.add");
    assert_eq!(last[0].2, "refused: out_of_reach");
    assert!(plan_of(&app, &cm, id).await.goals.is_empty());

    // The legal liaison, even with a release, has no plan page and cannot write one.
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let released = app.participant(cm.id, true).await;
    let page = app
        .get_as(&format!("/staff/participants/{released}/plan"), &liaison)
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn labelled_goals_and_treatment_referrals_stay_with_the_participants_team() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let (_, pm) = signed_in(&app, Role::ProjectManager).await;
    let id = app.participant(cm.id, true).await;
    add_goal(&app, &browser, id, "housing", "Somewhere warm for winter").await;
    add_goal(&app, &browser, id, "substance_use", "Cut down, on my terms").await;
    let added = app
        .post_as(
            "/staff/partners",
            &pm,
            &[("name", "Cedar Clinic"), ("kind", "treatment")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let partner = app.db.partners(true).await.unwrap()[0].id.to_string();
    let sent = app
        .post_as(
            &format!("/staff/participants/{id}/referrals-out"),
            &browser,
            &[
                ("partner", partner.as_str()),
                ("need", "Assessment when ready"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    // A housing referral for the substance-use goal tells of substance use too.
    let added = app
        .post_as(
            "/staff/partners",
            &pm,
            &[("name", "Riverbend Housing"), ("kind", "housing")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let partners = app.db.partners(true).await.unwrap();
    let housing = partners
        .iter()
        .find(|p| p.partner.name == "Riverbend Housing")
        .unwrap()
        .id
        .to_string();
    let plan = plan_of(&app, &cm, id).await;
    let sud_goal = plan
        .goals
        .iter()
        .find(|g| g.goal.words == "Cut down, on my terms")
        .unwrap()
        .id
        .to_string();
    let sent = app
        .post_as(
            &format!("/staff/participants/{id}/referrals-out"),
            &browser,
            &[
                ("partner", housing.as_str()),
                ("goal", sud_goal.as_str()),
                ("need", "Sober housing bed"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    // Relabelling the clinic later does not relabel what was sent to it.
    let clinic = partners
        .iter()
        .find(|p| p.partner.name == "Cedar Clinic")
        .unwrap();
    let (clinic_id, clinic_version) = (clinic.id.to_string(), clinic.version.to_string());
    let relabelled = app
        .post_as(
            "/staff/partners/change",
            &pm,
            &[
                ("partner", clinic_id.as_str()),
                ("version", clinic_version.as_str()),
                ("name", "Cedar Clinic"),
                ("kind", "other"),
                ("active", "yes"),
            ],
        )
        .await;
    assert_eq!(
        relabelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        relabelled.body
    );

    let path = format!("/staff/participants/{id}");
    let own = app.get_as(&path, &browser).await;
    assert!(own.body.contains("Cut down, on my terms"));
    assert!(own.body.contains("Referred to Cedar Clinic"));
    assert!(own.body.contains("Sober housing bed"));

    // A colleague who breaks the glass sees the housing goal, not the substance-use goal
    // nor the treatment referral, and is told that some are left out.
    let (_, colleague) = signed_in(&app, Role::CaseManager).await;
    let opened = app
        .post_as(
            &format!("{path}/break-glass"),
            &colleague,
            &[(
                "reason",
                "Their case manager is out and they are asking for help",
            )],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let glass = app.get_as(&path, &colleague).await;
    assert!(
        glass.body.contains("Somewhere warm for winter"),
        "{}",
        glass.body
    );
    assert!(!glass.body.contains("Cut down, on my terms"));
    assert!(!glass.body.contains("Cedar Clinic"));
    assert!(!glass.body.contains("Sober housing bed"));
    assert!(
        glass
            .body
            .contains("3 goals or referrals are not shown to your role")
    );

    // Under a release, no plan at all.
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let released = app.get_as(&path, &liaison).await;
    assert_eq!(released.status, StatusCode::OK);
    for hidden in [
        "Somewhere warm",
        "Cut down",
        "Cedar Clinic",
        "Sober housing",
        "not shown to your role",
    ] {
        assert!(
            !released.body.contains(hidden),
            "liaison must not see {hidden}"
        );
    }
}

#[tokio::test]
async fn a_referral_out_closes_its_loop_and_stays_closed() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let (_, pm) = signed_in(&app, Role::ProjectManager).await;
    let id = app.participant(cm.id, false).await;

    // The directory is the project manager's to keep; case managers read it.
    let refused = app
        .post_as(
            "/staff/partners",
            &browser,
            &[("name", "X"), ("kind", "food")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = app
        .post_as(
            "/staff/partners",
            &pm,
            &[("name", ""), ("kind", "housing"), ("phone", "call them")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains(r#"id="partner-new-phone-error""#),
        "{}",
        bad.body
    );
    let added = app
        .post_as(
            "/staff/partners",
            &pm,
            &[
                ("name", "Riverbend Housing"),
                ("kind", "housing"),
                ("phone", "612 555 0100"),
                ("how_to_refer", "Call intake with the person present"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let twin = app
        .post_as(
            "/staff/partners",
            &pm,
            &[("name", "riverbend housing"), ("kind", "housing")],
        )
        .await;
    assert_eq!(twin.status, StatusCode::CONFLICT);
    assert!(twin.body.contains("Another partner already has that name"));
    let directory = app.get_as("/staff/partners", &browser).await;
    assert_eq!(directory.status, StatusCode::OK);
    assert!(directory.body.contains("612-555-0100"));
    assert!(
        !directory.body.contains("Add a partner"),
        "read-only for case managers"
    );

    add_goal(&app, &browser, id, "housing", "Inside before the cold").await;
    let goal = plan_of(&app, &cm, id).await.goals[0].id.to_string();
    let partner: PartnerId = app.db.partners(true).await.unwrap()[0].id;
    let partner = partner.to_string();
    let sent = app
        .post_as(
            &format!("/staff/participants/{id}/referrals-out"),
            &browser,
            &[
                ("partner", partner.as_str()),
                ("goal", goal.as_str()),
                ("need", "A bed this week"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(app.audit_tail(1).await[0].1, "referral_out.send");
    let referral: PartnerReferralId = plan_of(&app, &cm, id).await.referrals_out[0].id;
    let referral = referral.to_string();
    let answer = |version: &'static str, status: &'static str, reason: &'static str| {
        let referral = referral.clone();
        let (app, browser) = (&app, &browser);
        async move {
            app.post_as(
                &format!("/staff/participants/{id}/referrals-out/answer"),
                browser,
                &[
                    ("referral", referral.as_str()),
                    ("version", version),
                    ("status", status),
                    ("reason", reason),
                    ("words", ""),
                ],
            )
            .await
        }
    };
    let no_reason = answer("1", "declined", "").await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason
            .body
            .contains(&format!(r#"id="answer-{referral}-reason-error""#))
    );
    assert_eq!(
        answer("1", "accepted", "").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        answer("2", "declined", "no_capacity").await.status,
        StatusCode::SEE_OTHER
    );
    // Closed: a completed after a decline is refused as out of date.
    let closed = answer("3", "completed", "").await;
    assert_eq!(closed.status, StatusCode::CONFLICT);

    let plan = plan_of(&app, &cm, id).await;
    let r = &plan.referrals_out[0];
    assert_eq!(r.status, ReferralOutStatus::Declined);
    let statuses: Vec<ReferralOutStatus> = r.history.iter().map(|h| h.status).collect();
    assert_eq!(
        statuses,
        [
            ReferralOutStatus::Sent,
            ReferralOutStatus::Accepted,
            ReferralOutStatus::Declined
        ]
    );
    let page = app
        .get_as(&format!("/staff/participants/{id}/plan"), &browser)
        .await;
    assert!(
        page.body.contains("Declined: No room or waiting list"),
        "{}",
        page.body
    );
    assert!(page.body.contains("for “Inside before the cold”"));

    // A partner out of the directory takes no new referrals; old ones keep their history.
    let line = &app.db.partners(true).await.unwrap()[0];
    let version = line.version.to_string();
    let retired = app
        .post_as(
            "/staff/partners/change",
            &pm,
            &[
                ("partner", partner.as_str()),
                ("version", version.as_str()),
                ("name", "Riverbend Housing"),
                ("kind", "housing"),
            ],
        )
        .await;
    assert_eq!(retired.status, StatusCode::SEE_OTHER, "{}", retired.body);
    assert!(app.db.partners(true).await.unwrap().is_empty());
    // The same page sent again is out of date: refused, the directory as it is now.
    let stale = app
        .post_as(
            "/staff/partners/change",
            &pm,
            &[
                ("partner", partner.as_str()),
                ("version", version.as_str()),
                ("name", "Riverbend Housing Renamed"),
                ("kind", "housing"),
                ("active", "yes"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.body.contains("Riverbend Housing Renamed"),
        "typing kept"
    );
    assert!(app.db.partners(true).await.unwrap().is_empty());
    let again = app
        .post_as(
            &format!("/staff/participants/{id}/referrals-out"),
            &browser,
            &[("partner", partner.as_str()), ("need", "Another try")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(plan_of(&app, &cm, id).await.referrals_out.len(), 1);
}

#[tokio::test]
async fn the_consent_form_prints_in_the_language_the_person_reads() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;
    let path = format!("/staff/participants/{id}/consent-form");

    let somali = app.get_as(&format!("{path}?lang=so"), &browser).await;
    assert_eq!(somali.status, StatusCode::OK, "{}", somali.body);
    assert!(
        somali.body.contains("This translation is a draft"),
        "staff are told"
    );
    assert!(somali.body.contains(r#"<html lang="so">"#));
    assert!(
        somali
            .body
            .contains("Oggolaansho in la wadaago xog igu saabsan")
    );
    assert!(somali.body.contains("Ayaan Testperson"));
    let english = app.get_as(&path, &browser).await;
    assert!(english.body.contains("You can take back") || english.body.contains("I can take back"));
    assert!(english.body.contains("I do not have to sign this form"));
    assert_eq!(app.audit_tail(1).await[0].1, "participant.read");

    let (_, other) = signed_in(&app, Role::CaseManager).await;
    assert_eq!(
        app.get_as(&path, &other).await.status,
        StatusCode::FORBIDDEN
    );
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    assert_eq!(
        app.get_as(&path, &liaison).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn only_the_contact_form_may_ask_for_the_devices_location() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;
    let policy = |page: &crate::support::Page| {
        page.headers
            .get("permissions-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let form = app
        .get_as(&format!("/staff/participants/{id}/contact"), &browser)
        .await;
    assert!(
        policy(&form).contains("geolocation=(self)"),
        "{}",
        policy(&form)
    );
    assert!(
        form.body
            .contains(r#"<script src="/static/locate.js" defer>"#)
    );
    for path in [
        format!("/staff/participants/{id}"),
        "/".to_owned(),
        "/refer".to_owned(),
    ] {
        let page = app.get_as(&path, &browser).await;
        assert!(
            policy(&page).contains("geolocation=()"),
            "{path}: {}",
            policy(&page)
        );
    }
    let script = app.get_as("/static/locate.js", &browser).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("toFixed(3)"), "rounded to about 100 m");
}
