//! Triage through the staff pages, on both backends: the queue and its clocks, claiming and
//! assigning, answering the referrer, screening, outreach, moves along the state machine,
//! linking and enrolment, stale pages, and the audit entries all of it leaves.

use axum::http::StatusCode;
use leadhub_domain::access::Role;
use leadhub_domain::ids::ReferralId;
use leadhub_store::Actor;

use crate::support::{MINIMAL, TestApp, act, open, referral};

async fn state_of(app: &TestApp, id: ReferralId) -> (String, Option<String>, bool) {
    let d = app
        .db
        .open_referral(id, &Actor::System, "test", leadhub_store::now())
        .await
        .unwrap()
        .unwrap();
    (
        d.state.code().to_owned(),
        d.assigned_name,
        d.answered_at.is_some(),
    )
}

const ELIGIBLE: &[(&str, &str)] = &[
    ("corridor", "yes"),
    ("adult", "yes"),
    ("nexus", "substance_use"),
    ("conflict", "no"),
];

#[tokio::test]
async fn the_whole_path_from_referral_to_enrolment() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(
        &app,
        &[
            ("features", "tall, grey beard, green army jacket"),
            ("places", "lake-chicago"),
            ("referrer_phone", "612-555-0142"),
            ("follow_up", "yes"),
            ("safety_notes", "Gets startled when approached from behind"),
        ],
    )
    .await;

    // In the queue, unassigned, with a running clock.
    let queue = app
        .get_as("/staff/referrals?view=unassigned", &browser)
        .await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert!(queue.body.contains(&format!("/staff/referrals/{id}")));
    assert!(queue.body.contains("grey beard"));
    assert!(
        queue.body.contains("of open time left") || queue.body.contains("Overdue"),
        "a clock is shown"
    );

    let (page, v) = open(&app, id, &browser).await;
    assert!(
        page.body.contains("Gets startled"),
        "safety notes are shown"
    );
    assert!(page.body.contains("tel:+16125550142"), "tap to call");
    let claimed = act(&app, id, &browser, "claim", &v, &[]).await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.body);
    let mine = app.get_as("/staff/referrals?view=mine", &browser).await;
    assert!(mine.body.contains(&format!("/staff/referrals/{id}")));

    let (_, v) = open(&app, id, &browser).await;
    let acked = act(
        &app,
        id,
        &browser,
        "acknowledge",
        &v,
        &[
            ("method", "call"),
            ("note", "Thanked them; will look tomorrow"),
        ],
    )
    .await;
    assert_eq!(acked.status, StatusCode::SEE_OTHER, "{}", acked.body);
    assert_eq!(state_of(&app, id).await.0, "acknowledged");
    assert!(state_of(&app, id).await.2, "the clock stopped");

    let (_, v) = open(&app, id, &browser).await;
    let screened = act(&app, id, &browser, "screen", &v, ELIGIBLE).await;
    assert_eq!(screened.status, StatusCode::SEE_OTHER, "{}", screened.body);
    assert_eq!(state_of(&app, id).await.0, "outreach");

    let (_, v) = open(&app, id, &browser).await;
    let attempt = act(
        &app,
        id,
        &browser,
        "outreach",
        &v,
        &[
            ("found", "yes"),
            ("place", "lake-chicago"),
            ("outreach_note", "At the bus shelter"),
        ],
    )
    .await;
    assert_eq!(attempt.status, StatusCode::SEE_OTHER, "{}", attempt.body);

    let enrol = app
        .get_as(&format!("/staff/referrals/{id}/enrol"), &browser)
        .await;
    assert_eq!(enrol.status, StatusCode::OK, "{}", enrol.body);
    let v = enrol.input_value("version").unwrap();
    // Categories and "prefers not to answer" contradict each other: refused, ticks kept.
    let contradictory = [
        ("version", v.as_str()),
        ("given_name", "Abdi"),
        ("consent", "yes"),
        ("race", "black_af_american"),
        ("race_reason", "prefers_not"),
    ];
    let refused = app
        .post_as(
            &format!("/staff/referrals/{id}/enrol"),
            &browser,
            &contradictory,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains(r#"value="black_af_american" checked"#),
        "{}",
        refused.body
    );
    let fields = [
        ("version", v.as_str()),
        ("given_name", "Abdi"),
        ("aliases", "Grey; Big A"),
        ("birth_year", "1971"),
        ("case_manager", &manager.id.to_string()),
        ("consent", "yes"),
        ("race", "black_af_american"),
        ("race", "white"),
        ("race_reason", ""),
    ];
    let done = app
        .post_as(&format!("/staff/referrals/{id}/enrol"), &browser, &fields)
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(done.location().starts_with("/staff/participants/"));
    assert_eq!(state_of(&app, id).await.0, "enrolled");
    // Their own answer is what Data & Results counts: one person of more than one race.
    let figures = app.get("/data.json").await;
    let figures: serde_json::Value = serde_json::from_str(&figures.body).unwrap();
    assert_eq!(
        figures["equity"]["enrolled"]["cells"][7], "<11",
        "{}",
        figures["equity"]
    );
    assert_eq!(
        figures["equity"]["enrolled"]["cells"][8], 0,
        "nobody 'not known'"
    );
    // The new participant is in the case manager's caseload and opens for them.
    let record = app.get_as(done.location(), &browser).await;
    assert_eq!(record.status, StatusCode::OK, "{}", record.body);
    assert!(record.body.contains("Abdi"));

    // The story is on the referral's page, and every step left an audit entry.
    let (page, _) = open(&app, id, &browser).await;
    for step in [
        "Assigned to",
        "Referrer contact: Phone call",
        "Screening: eligible",
        "Outreach: found at Lake St &#38; Chicago Ave",
        "Enrolled",
    ] {
        assert!(
            page.body.contains(step),
            "{step} in the history: {}",
            page.body
        );
    }
    let actions: Vec<String> = app
        .audit_tail(40)
        .await
        .into_iter()
        .map(|(_, action, _)| action)
        .collect();
    for action in [
        "referral.claim",
        "referral.acknowledge",
        "referral.screen",
        "referral.outreach",
        "referral.enrol",
        "referral.read",
        "referral.queue",
        "person.match",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} audited");
    }
    // Closed referrals leave the queue.
    let queue = app.get_as("/staff/referrals", &browser).await;
    assert!(!queue.body.contains(&format!("/staff/referrals/{id}")));
}

#[tokio::test]
async fn a_stale_page_is_refused_with_both_versions_and_the_typing_kept() {
    let app = TestApp::new().await;
    let first = app.staff(Role::CaseManager).await;
    let second = app.staff(Role::CaseManager).await;
    let (a, b) = (app.sign_in(&first).await, app.sign_in(&second).await);
    let id = referral(&app, MINIMAL).await;
    let (_, v) = open(&app, id, &a).await;
    let (_, v_b) = open(&app, id, &b).await;
    assert_eq!(v, v_b);

    let ok = act(&app, id, &a, "acknowledge", &v, &[("method", "text")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let stale = act(
        &app,
        id,
        &b,
        "move",
        &v_b,
        &[
            ("to", "closed"),
            ("closure", "withdrawn"),
            ("reason", "Caller says it was a mix-up"),
        ],
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("Someone changed this referral"));
    assert!(
        stale.body.contains("Caller says it was a mix-up"),
        "what was typed comes back"
    );
    assert!(
        stale.body.contains("Referrer answered"),
        "the referral as it is now"
    );
    assert_eq!(
        state_of(&app, id).await.0,
        "acknowledged",
        "nothing overwritten"
    );
    let tail = app.audit_tail(3).await;
    assert!(
        tail.iter()
            .any(|(_, action, outcome)| action == "referral.move" && outcome == "stale"),
        "{tail:?}"
    );

    // The fresh page's version works.
    let (_, fresh) = open(&app, id, &b).await;
    let closed = act(
        &app,
        id,
        &b,
        "move",
        &fresh,
        &[("to", "closed"), ("closure", "withdrawn")],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    assert_eq!(state_of(&app, id).await.0, "closed");
}

#[tokio::test]
async fn illegal_moves_and_missing_reasons_are_refused_with_a_message() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(&app, MINIMAL).await;
    let (_, v) = open(&app, id, &browser).await;
    // Received cannot jump to "declined".
    let page = act(
        &app,
        id,
        &browser,
        "move",
        &v,
        &[("to", "declined"), ("reason", "said no")],
    )
    .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("cannot become"), "{}", page.body);
    assert!(page.body.contains("said no"), "typed reason kept");
    // Closing needs a closure reason; "other" needs words.
    let (_, v) = open(&app, id, &browser).await;
    let page = act(&app, id, &browser, "move", &v, &[("to", "closed")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Choose why it is closed"));
    let page = act(
        &app,
        id,
        &browser,
        "move",
        &v,
        &[("to", "closed"), ("closure", "other")],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Say why"));
    // Nonsense values are field errors, not server errors; a form without a version is not ours.
    let page = act(&app, id, &browser, "move", &v, &[("to", "heaven")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = app
        .post_as(
            &format!("/staff/referrals/{id}/move"),
            &browser,
            &[("to", "closed")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert_eq!(state_of(&app, id).await.0, "received");
    // Outreach before screening does not fit.
    let page = act(&app, id, &browser, "outreach", &v, &[("found", "no")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.body.contains("does not fit"));
}

#[tokio::test]
async fn screening_asks_every_question_and_explains_a_poor_fit() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(
        &app,
        &[
            ("age_range", "under-18"),
            ("features", "young man, red hoodie"),
            ("places", "lake-cedar"),
        ],
    )
    .await;
    let (page, v) = open(&app, id, &browser).await;
    // Suggested from the referral: the corridor (a place was picked) and under 18.
    assert!(
        page.body
            .contains(r#"id="f-corridor-yes" name="corridor" value="yes" checked"#)
    );
    assert!(
        page.body
            .contains(r#"id="f-adult-no" name="adult" value="no" checked"#)
    );
    let refused = act(
        &app,
        id,
        &browser,
        "screen",
        &v,
        &[("screen_note", "met at the library")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Answer this."));
    assert!(refused.body.contains("met at the library"));
    let screened = act(
        &app,
        id,
        &browser,
        "screen",
        &v,
        &[("corridor", "yes"), ("adult", "no"), ("conflict", "no")],
    )
    .await;
    assert_eq!(screened.status, StatusCode::SEE_OTHER, "{}", screened.body);
    assert_eq!(state_of(&app, id).await.0, "not_eligible");
    let (page, _) = open(&app, id, &browser).await;
    assert!(page.body.contains("under the minimum age"));
    assert!(page.body.contains("no link to substance use"));
}

#[tokio::test]
async fn outreach_flags_places_outside_the_corridor_and_suggests_but_never_closes() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(&app, MINIMAL).await;
    let (_, v) = open(&app, id, &browser).await;
    act(&app, id, &browser, "screen", &v, ELIGIBLE).await;
    // Nicollet Ave is west of the corridor: kept, flagged.
    let (_, v) = open(&app, id, &browser).await;
    let page = act(
        &app,
        id,
        &browser,
        "outreach",
        &v,
        &[("found", "no"), ("point", "44.9483, -93.2780")],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (page, v) = open(&app, id, &browser).await;
    assert!(page.body.contains("outside the corridor"));
    assert!(!page.body.contains("consider marking"));
    let bad = act(
        &app,
        id,
        &browser,
        "outreach",
        &v,
        &[("found", "maybe"), ("point", "here")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Five misses over two weeks: suggested, and still in outreach.
    let now = leadhub_store::now();
    for days in [1, 4, 8, 12, 15] {
        let d = app
            .db
            .open_referral(id, &Actor::System, "test", now)
            .await
            .unwrap()
            .unwrap();
        let attempt = leadhub_store::NewAttempt {
            at: now - time::Duration::days(16 - days),
            place: Some("lake-cedar".into()),
            place_other: None,
            point: None,
            in_corridor: Some(true),
            found: false,
            note: None,
        };
        let edit = leadhub_store::Edit {
            id,
            version: d.version,
            user: manager.id,
            actor: Actor::System,
            address: "test",
            now,
        };
        let outcome = app.db.log_outreach(&edit, &attempt).await.unwrap();
        assert_eq!(outcome, leadhub_store::Triaged::Done(()));
    }
    let (page, _) = open(&app, id, &browser).await;
    assert!(page.body.contains("consider marking"), "suggested");
    assert_eq!(
        state_of(&app, id).await.0,
        "outreach",
        "never closed by itself"
    );
}

#[tokio::test]
async fn claiming_is_for_unassigned_referrals_and_the_project_manager_assigns() {
    let app = TestApp::new().await;
    let (one, two) = (
        app.staff(Role::CaseManager).await,
        app.staff(Role::CaseManager).await,
    );
    let manager = app.staff(Role::ProjectManager).await;
    let evaluator = app.staff(Role::Evaluator).await;
    let (b1, b2, pm) = (
        app.sign_in(&one).await,
        app.sign_in(&two).await,
        app.sign_in(&manager).await,
    );
    let id = referral(&app, MINIMAL).await;
    let (_, v) = open(&app, id, &b1).await;
    assert_eq!(
        act(&app, id, &b1, "claim", &v, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let (page, v) = open(&app, id, &b2).await;
    assert!(
        !page.body.contains("Take this referral"),
        "no claim button once taken"
    );
    let taken = act(&app, id, &b2, "claim", &v, &[]).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.body.contains("already taken"));
    // A case manager cannot assign (the matrix refuses); the project manager can.
    let refused = act(
        &app,
        id,
        &b2,
        "assign",
        &v,
        &[("assignee", &two.id.to_string())],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let (_, v) = open(&app, id, &pm).await;
    let not_staff = act(
        &app,
        id,
        &pm,
        "assign",
        &v,
        &[("assignee", &evaluator.id.to_string())],
    )
    .await;
    assert_eq!(not_staff.status, StatusCode::UNPROCESSABLE_ENTITY);
    let assigned = act(
        &app,
        id,
        &pm,
        "assign",
        &v,
        &[("assignee", &two.id.to_string())],
    )
    .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
    let (_, name, _) = state_of(&app, id).await;
    let two_name = app.db.account(two.id).await.unwrap().unwrap().name;
    assert_eq!(name, Some(two_name));
    let mine = app.get_as("/staff/referrals?view=mine", &b2).await;
    assert!(mine.body.contains(&format!("/staff/referrals/{id}")));
    let not_mine = app.get_as("/staff/referrals?view=mine", &b1).await;
    assert!(!not_mine.body.contains(&format!("/staff/referrals/{id}")));
}

#[tokio::test]
async fn overdue_is_counted_in_open_hours_and_an_answer_takes_a_referral_off_it() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let fresh = referral(&app, MINIMAL).await;
    // A referral from three weeks ago, never answered.
    let long_ago = leadhub_store::now() - time::Duration::days(21);
    let site = leadhub_domain::SiteProfile::minneapolis().unwrap();
    let due = leadhub_domain::calendar::to_offset_date_time(
        site.calendar
            .due(leadhub_domain::calendar::from_offset_date_time(long_ago), 1),
    );
    let input = leadhub_domain::referral::ReferralInput {
        features: "woman with a shopping cart".into(),
        places: vec!["lake-hiawatha".into()],
        ..Default::default()
    };
    let parsed = input.parse(&site, leadhub_domain::Language::En).unwrap();
    let old = app
        .db
        .submit_referral(&parsed, long_ago, due)
        .await
        .unwrap()
        .id;

    let overdue = app.get_as("/staff/referrals?view=overdue", &browser).await;
    assert!(overdue.body.contains(&format!("/staff/referrals/{old}")));
    assert!(!overdue.body.contains(&format!("/staff/referrals/{fresh}")));
    assert!(overdue.body.contains("Overdue by"));
    // Sorted by due time, the old one comes first.
    let queue = app.get_as("/staff/referrals?sort=due", &browser).await;
    let (a, b) = (
        queue.body.find(&format!("/staff/referrals/{old}")).unwrap(),
        queue
            .body
            .find(&format!("/staff/referrals/{fresh}"))
            .unwrap(),
    );
    assert!(a < b);
    let newest = app.get_as("/staff/referrals?sort=newest", &browser).await;
    let (a, b) = (
        newest
            .body
            .find(&format!("/staff/referrals/{old}"))
            .unwrap(),
        newest
            .body
            .find(&format!("/staff/referrals/{fresh}"))
            .unwrap(),
    );
    assert!(a > b);
    // Door filter: both are community referrals.
    let police = app
        .get_as("/staff/referrals?door=arrest_diversion", &browser)
        .await;
    assert!(!police.body.contains(&format!("/staff/referrals/{old}")));

    let (_, v) = open(&app, old, &browser).await;
    act(
        &app,
        old,
        &browser,
        "acknowledge",
        &v,
        &[("method", "voicemail")],
    )
    .await;
    let overdue = app.get_as("/staff/referrals?view=overdue", &browser).await;
    assert!(!overdue.body.contains(&format!("/staff/referrals/{old}")));
    let (page, _) = open(&app, old, &browser).await;
    assert!(
        page.body.contains("after it was due"),
        "late answers say so"
    );
}

#[tokio::test]
async fn a_referral_about_a_current_participant_is_linked_not_duplicated() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let participant = app.participant(manager.id, false).await;
    let id = referral(
        &app,
        &[("person_name", "Ayan Testperson"), ("places", "lake-cedar")],
    )
    .await;
    let page = app
        .get_as(&format!("/staff/referrals/{id}/enrol"), &browser)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Ayaan Testperson"),
        "a spelling variant is found"
    );
    assert!(page.body.contains(&participant.to_string()));
    // Enrolment is not offered before outreach; consent is required when it is.
    assert!(page.body.contains("Enrolment comes after screening"));
    let v = page.input_value("version").unwrap();
    let linked = app
        .post_as(
            &format!("/staff/referrals/{id}/link"),
            &browser,
            &[("version", &v), ("participant", &participant.to_string())],
        )
        .await;
    assert_eq!(linked.status, StatusCode::SEE_OTHER, "{}", linked.body);
    assert_eq!(state_of(&app, id).await.0, "linked");
    let (page, _) = open(&app, id, &browser).await;
    assert!(
        page.body
            .contains(&format!("/staff/participants/{participant}"))
    );
}

#[tokio::test]
async fn enrolment_needs_consent_and_a_name_and_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(&app, MINIMAL).await;
    let (_, v) = open(&app, id, &browser).await;
    act(&app, id, &browser, "screen", &v, ELIGIBLE).await;
    let (_, v) = open(&app, id, &browser).await;
    let cm = manager.id.to_string();
    let page = app
        .post_as(
            &format!("/staff/referrals/{id}/enrol"),
            &browser,
            &[
                ("version", &v),
                ("family_name", "Xiong"),
                ("birth_year", "19x4"),
                ("case_manager", &cm),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("agreed to take part"));
    assert!(page.body.contains("Give a year like 1984"));
    assert!(page.body.contains(r#"value="Xiong""#));
    assert_eq!(state_of(&app, id).await.0, "outreach");
}

#[tokio::test]
async fn a_liaison_records_an_arrest_diversion_that_the_queue_shows_with_its_charge() {
    let app = TestApp::new().await;
    let liaison = app.staff(Role::LegalLiaison).await;
    let manager = app.staff(Role::CaseManager).await;
    let (officer, cm) = (app.sign_in(&liaison).await, app.sign_in(&manager).await);
    let form = app.get_as("/staff/referrals/new", &officer).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Trespass"), "the site's divertible list");

    // Missing charge and hand-off: refused, with what was typed kept.
    let refused = app
        .post_as(
            "/staff/referrals/new",
            &officer,
            &[
                ("door", "arrest_diversion"),
                ("handoff_at", ""),
                ("features", "Young woman, blue backpack"),
                ("places", "lake-midtown-station"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Young woman, blue backpack"));
    assert!(refused.body.contains("Answer this."));

    let now = leadhub_store::now();
    let site = leadhub_domain::SiteProfile::minneapolis().unwrap();
    let local = leadhub_domain::calendar::from_offset_date_time(now - time::Duration::minutes(10))
        .to_zoned(site.calendar.time_zone().clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let sent = app
        .post_as(
            "/staff/referrals/new",
            &officer,
            &[
                ("door", "arrest_diversion"),
                ("charge", "trespass"),
                ("handoff_at", &local),
                ("features", "Young woman, blue backpack"),
                ("places", "lake-midtown-station"),
                ("concern_text", "Sleeping in the station stairwell"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(
        sent.location().starts_with("/staff/referrals/new?sent="),
        "a liaison gets the code, not the queue: {}",
        sent.location()
    );
    let done = app.get_as(sent.location(), &officer).await;
    assert!(done.body.contains("is recorded"));

    let queue = app
        .get_as("/staff/referrals?door=arrest_diversion", &cm)
        .await;
    assert!(queue.body.contains("blue backpack"), "{}", queue.body);
    let item = queue
        .body
        .find("class=\"queue-item")
        .expect("a line in the queue");
    let start = item + queue.body[item..].find("href=\"").unwrap() + "href=\"".len();
    let href: String = queue.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let page = app.get_as(&href, &cm).await;
    assert!(
        page.body.contains("Trespass (on the divertible list)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Handed over"));
    assert!(page.body.contains("Referred by"));

    // Off the list: taken, and flagged.
    let other = app
        .post_as(
            "/staff/referrals/new",
            &cm,
            &[
                ("door", "arrest_diversion"),
                ("charge", "other"),
                ("charge_other", "Criminal damage to property"),
                ("handoff_at", &local),
                ("person_name", "J."),
                ("places", "lake-cedar"),
            ],
        )
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    let page = app.get_as(other.location(), &cm).await;
    assert!(page.body.contains("not on the divertible list"));
}

#[tokio::test]
async fn steps_with_their_own_form_cannot_be_taken_with_the_stage_form() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(&app, MINIMAL).await;
    for to in ["acknowledged", "screening", "linked"] {
        let (_, v) = open(&app, id, &browser).await;
        let page = act(
            &app,
            id,
            &browser,
            "move",
            &v,
            &[("to", to), ("reason", "x")],
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{to}");
        assert!(page.body.contains("has its own step"), "{to}");
    }
    let (_, v) = open(&app, id, &browser).await;
    act(&app, id, &browser, "screen", &v, ELIGIBLE).await;
    let (_, v) = open(&app, id, &browser).await;
    let page = act(&app, id, &browser, "move", &v, &[("to", "enrolled")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        state_of(&app, id).await.0,
        "outreach",
        "no enrolment without a person"
    );
    // A closed referral takes no more contacts or claims.
    let (_, v) = open(&app, id, &browser).await;
    act(
        &app,
        id,
        &browser,
        "move",
        &v,
        &[("to", "closed"), ("closure", "duplicate")],
    )
    .await;
    let (page, _) = open(&app, id, &browser).await;
    assert!(!page.body.contains("Record the contact"));
    let d = app
        .db
        .open_referral(id, &Actor::System, "test", leadhub_store::now())
        .await
        .unwrap()
        .unwrap();
    let v = d.version.to_string();
    let late = act(&app, id, &browser, "acknowledge", &v, &[("method", "call")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_case_manager_who_enrols_becomes_the_case_manager() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let other = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(&app, MINIMAL).await;
    let (_, v) = open(&app, id, &browser).await;
    act(&app, id, &browser, "screen", &v, ELIGIBLE).await;
    let page = app
        .get_as(&format!("/staff/referrals/{id}/enrol"), &browser)
        .await;
    assert!(
        !page.body.contains("f-case_manager"),
        "no choice of caseload"
    );
    let v = page.input_value("version").unwrap();
    let other_id = other.id.to_string();
    let done = app
        .post_as(
            &format!("/staff/referrals/{id}/enrol"),
            &browser,
            &[
                ("version", &v),
                ("given_name", "Pa"),
                ("consent", "yes"),
                ("case_manager", &other_id),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let record = app.get_as(done.location(), &browser).await;
    assert_eq!(
        record.status,
        StatusCode::OK,
        "in their own caseload: {}",
        record.body
    );
}

#[tokio::test]
async fn the_code_of_a_police_referral_tells_nothing_of_its_progress() {
    let app = TestApp::new().await;
    let liaison = app.staff(Role::LegalLiaison).await;
    let officer = app.sign_in(&liaison).await;
    let sent = app
        .post_as(
            "/staff/referrals/new",
            &officer,
            &[
                ("door", "social_contact"),
                ("features", "man in a wheelchair"),
                ("places", "lake-cedar"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let code = sent.location().rsplit('=').next().unwrap().to_owned();
    let receipt = app.get(&format!("/refer/received/{code}")).await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert!(!receipt.body.contains("referral-status"));
    // A public referral's page does show it.
    let public = app.refer(MINIMAL).await;
    let page = app.get(public.location()).await;
    assert!(page.body.contains("referral-status"));
}

#[tokio::test]
async fn a_long_queue_is_counted_only_so_far_past_the_page() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let site = leadhub_domain::SiteProfile::minneapolis().unwrap();
    let keys: Vec<String> = site.places.iter().map(|p| p.key.clone()).collect();
    app.db
        .seed_bench_referrals(1_200, 10, &site.calendar, &keys, leadhub_store::now())
        .await
        .unwrap();
    let first = app.get_as("/staff/referrals", &browser).await;
    assert!(
        first.body.contains("1–50 of 1050+ open referrals"),
        "{}",
        first.body
    );
    let second = app.get_as("/staff/referrals?page=1", &browser).await;
    assert!(second.body.contains("51–100 of 1100+ open referrals"));
    let narrow = app.get_as("/staff/referrals?view=mine", &browser).await;
    assert!(
        narrow.body.contains("No open referrals match."),
        "an exact count: none"
    );
}
