//! Identity resolution in the product, on both backends: possible matches across
//! spellings with their explanation (audited), the review queue of likely duplicates, and a
//! merge of two participants' records that an unmerge undoes row for row; the pages and who
//! may use them.

use axum::http::StatusCode;
use leadhub_domain::access::Role;
use leadhub_domain::ids::ParticipantId;
use leadhub_store::{Actor, Lookup, MergeRefusal};

use crate::support::{MINIMAL, TestApp};

/// The latest `n` audit entries other than reads of the log itself, newest first.
async fn latest(app: &TestApp, n: usize) -> Vec<(String, String)> {
    app.audit_tail(20)
        .await
        .into_iter()
        .filter(|(_, action, _)| !action.starts_with("audit."))
        .map(|(_, action, outcome)| (action, outcome))
        .take(n)
        .collect()
}

/// How many audit entries there are, other than reads of the log itself.
async fn audit_count(app: &TestApp) -> usize {
    app.test_db
        .query_strings(
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action NOT LIKE 'audit.%'",
        )
        .await[0]
        .parse()
        .unwrap()
}

async fn enrol(app: &TestApp, given: &str, family: &str, born: Option<i64>) -> ParticipantId {
    let id = app
        .db
        .enrol_participant(given, family, None, &Actor::System, leadhub_store::now())
        .await
        .unwrap();
    if let Some(year) = born {
        app.test_db
            .execute(&format!(
                "UPDATE people SET birth_year = {year} WHERE id = (SELECT person_id FROM participants WHERE id = '{id}')"
            ))
            .await;
        // The keys follow the person as stored.
        app.test_db
            .execute(&format!(
                "DELETE FROM person_keys WHERE person_id = (SELECT person_id FROM participants WHERE id = '{id}')"
            ))
            .await;
        app.db
            .index_people(false, leadhub_store::now())
            .await
            .unwrap();
    }
    id
}

/// Up to `limit` possible matches for `lookup`, however unlikely.
async fn matches(app: &TestApp, lookup: &Lookup, limit: usize) -> Vec<leadhub_store::PersonMatch> {
    app.db
        .possible_matches(
            lookup,
            leadhub_store::Offered {
                at_most: limit,
                from_probability: 0.0,
            },
            &Actor::System,
            "test",
            leadhub_store::now(),
        )
        .await
        .unwrap()
}

async fn review_queue(app: &TestApp) -> Vec<leadhub_store::DuplicatePair> {
    app.db
        .duplicate_queue(10, &Actor::System, "test", leadhub_store::now())
        .await
        .unwrap()
}

#[tokio::test]
async fn possible_matches_cross_spellings_and_say_why() {
    let app = TestApp::new().await;
    let mohamed = enrol(&app, "Mohamed", "Hassan", Some(1988)).await;
    enrol(&app, "Pao", "Xiong", Some(1971)).await;
    enrol(&app, "Guadalupe", "Hernández", None).await;
    for i in 0..30 {
        enrol(&app, &format!("Other{i}"), "Person", Some(1990)).await;
    }
    let lookup = Lookup {
        name: "Maxamed Xasan".into(),
        born: Some((1985, 1990)),
        ..Lookup::default()
    };
    let found = matches(&app, &lookup, 5).await;
    let first = found.first().expect("a possible match");
    assert_eq!(first.participant_id, Some(mohamed));
    assert_eq!(first.name, "Mohamed Hassan");
    let fields: Vec<&str> = first.why.iter().map(|w| w.field).collect();
    assert!(
        fields.contains(&"given name") && fields.contains(&"family name"),
        "{fields:?}"
    );
    assert!(first.why.iter().all(|w| w.weight.is_finite()));
    assert!(
        first
            .why
            .iter()
            .find(|w| w.field == "given name")
            .unwrap()
            .weight
            > 0.0
    );

    // Names in the other order, and a nickname.
    for (name, expected) in [
        ("Xiong Pao", "Pao Xiong"),
        ("Lupe Hernandez", "Guadalupe Hernández"),
    ] {
        let lookup = Lookup {
            name: name.into(),
            ..Lookup::default()
        };
        let found = matches(&app, &lookup, 3).await;
        assert_eq!(
            found.first().map(|m| m.name.as_str()),
            Some(expected),
            "{name}"
        );
    }
    let audit = latest(&app, 1).await;
    assert_eq!(audit[0].0, "person.match");
    assert!(audit[0].1.starts_with("ok: "), "{audit:?}");
}

#[tokio::test]
async fn indexing_passes_over_a_person_who_gives_no_keys() {
    let app = TestApp::new().await;
    // A family name alone: no key rule applies.
    enrol(&app, "", "Onlyfamily", None).await;
    app.test_db.execute("DELETE FROM person_keys").await;
    enrol(&app, "Hodan", "Ali", None).await;
    app.test_db.execute("DELETE FROM person_keys").await;
    assert_eq!(
        app.db
            .index_people(true, leadhub_store::now())
            .await
            .unwrap(),
        2
    );
    // Only the person without keys is looked at again, once.
    assert_eq!(
        app.db
            .index_people(true, leadhub_store::now())
            .await
            .unwrap(),
        1
    );
    assert!(
        !app.test_db
            .query_strings("SELECT person_id FROM person_keys")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn enrolling_the_same_person_twice_puts_the_pair_in_the_review_queue() {
    let app = TestApp::new().await;
    let first = enrol(&app, "Fadumo", "Warsame", None).await;
    let second = enrol(&app, "Faadumo", "Warsame", None).await;
    enrol(&app, "Tou", "Vang", None).await;
    let queue = review_queue(&app).await;
    assert_eq!(queue.len(), 1, "{queue:?}");
    let pair = &queue[0];
    let ids = [
        pair.a.participant_id.unwrap(),
        pair.b.participant_id.unwrap(),
    ];
    assert!(ids.contains(&first) && ids.contains(&second));
    assert!(pair.probability >= leadhub_store::REVIEW_THRESHOLD);
    let given = pair
        .why
        .iter()
        .find(|w| w.field == "given name")
        .expect("the given name counted");
    assert_eq!(given.label, "a known variant or other name");
    assert!(given.weight > 0.0);

    assert!(
        app.db
            .mark_different(
                pair.a.person_id,
                pair.b.person_id,
                &Actor::System,
                leadhub_store::now()
            )
            .await
            .unwrap()
    );
    let queue = review_queue(&app).await;
    assert!(queue.is_empty());
}

/// Every row that belongs to a participant, as "table:row:participant", sorted.
async fn owned_rows(app: &TestApp) -> Vec<String> {
    let mut rows = Vec::new();
    for table in [
        "contacts",
        "notes",
        "releases",
        "status_snapshots",
        "plan_goals",
        "referrals",
        "legal_matters",
        "bookings",
        "booking_candidates",
    ] {
        let sql = format!(
            "SELECT '{table}:' || id || ':' || COALESCE(participant_id, '') FROM {table} ORDER BY id"
        );
        rows.extend(app.test_db.query_strings(&sql).await);
    }
    rows.sort();
    rows
}

async fn participants(app: &TestApp) -> Vec<String> {
    app.test_db
        .query_strings(
            "SELECT id || ':' || person_id || ':' || COALESCE(case_manager_id, '') || ':' || COALESCE(referral_id, '') \
             FROM participants ORDER BY id",
        )
        .await
}

#[tokio::test]
async fn merge_moves_every_record_and_unmerge_puts_each_back() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let pm = app.staff(Role::ProjectManager).await;
    let cm = app.staff(Role::CaseManager).await;
    let survivor = app.participant(cm.id, true).await;
    let absorbed = app.participant(cm.id, true).await;
    let other = app.participant(cm.id, false).await;
    let ts = app.test_db.timestamp_sql(leadhub_store::now());
    for (id, participant) in [
        ("c-1", absorbed),
        ("c-2", absorbed),
        ("c-3", survivor),
        ("c-4", other),
    ] {
        app.test_db
            .execute(&format!(
                "INSERT INTO contacts (id, participant_id, at, kind, minutes) VALUES ('{id}', '{participant}', {ts}, 'street', 10)"
            ))
            .await;
    }
    app.test_db
        .execute(&format!(
            "INSERT INTO status_snapshots (id, participant_id, month, living, employment, income, coverage, recorded_at) \
             VALUES ('s-1', '{absorbed}', '2026-11', 'street', 'none', 'none', 'none', {ts})"
        ))
        .await;
    app.test_db
        .execute(&format!(
            "INSERT INTO legal_matters (id, participant_id, jurisdiction, status, divertible, warrant, version, \
             created_at, changed_at) VALUES ('m-1', '{absorbed}', 'Hennepin County District Court', 'charged', \
             {}, 'active', 1, {ts}, {ts})",
            if app.test_db.backend() == "postgres" { "FALSE" } else { "0" }
        ))
        .await;
    app.test_db
        .execute(&format!(
            "INSERT INTO booking_imports (id, uploaded_by, uploaded_at, file_rows, linked, to_review, discarded) \
             VALUES ('i-1', '{}', {ts}, 2, 1, 1, 0)",
            pm.id
        ))
        .await;
    app.test_db
        .execute(&format!(
            "INSERT INTO bookings (id, participant_id, import_id, booked_at, charges, agency, probability, linked_at) \
             VALUES ('b-1', '{absorbed}', 'i-1', {ts}, 'Trespass', 'Hennepin County Sheriff', 0.97, {ts})"
        ))
        .await;
    app.test_db
        .execute(&format!(
            "INSERT INTO booking_reviews (id, import_id, given_name, family_name, born_on, booked_at, charges, agency, created_at) \
             VALUES ('r-1', 'i-1', 'Ayaan', 'Testperson', '1990-01-01', {ts}, 'Theft', 'Metro Transit Police', {ts})"
        ))
        .await;
    app.test_db
        .execute(&format!(
            "INSERT INTO booking_candidates (id, review_id, participant_id, position, probability) \
             VALUES ('bc-1', 'r-1', '{absorbed}', 0, 0.7), ('bc-2', 'r-1', '{other}', 1, 0.6)"
        ))
        .await;
    let sent = app.refer(MINIMAL).await;
    let referral = app.stored_referral(&sent).await.id;
    app.test_db
        .execute(&format!(
            "UPDATE referrals SET participant_id = '{absorbed}' WHERE id = '{referral}'"
        ))
        .await;
    let rows_before = owned_rows(&app).await;
    let participants_before = participants(&app).await;

    let actor = Actor::User {
        id: pm.id,
        role: Role::ProjectManager,
    };
    let now = leadhub_store::now();
    assert_eq!(
        app.db
            .merge_participants(survivor, survivor, "same", &actor, now)
            .await
            .unwrap(),
        Err(MergeRefusal::Same)
    );
    let merge = app
        .db
        .merge_participants(
            survivor,
            absorbed,
            "same date of birth and street name",
            &actor,
            now,
        )
        .await
        .unwrap()
        .unwrap();
    let moved = owned_rows(&app).await;
    assert!(
        moved
            .iter()
            .all(|row| !row.ends_with(&absorbed.to_string())),
        "{moved:?}"
    );
    assert_eq!(moved.len(), rows_before.len(), "a merge deletes nothing");
    let survivor_rows = moved
        .iter()
        .filter(|row| row.ends_with(&survivor.to_string()))
        .count();
    let owned = |rows: &[String], p: ParticipantId| {
        rows.iter().filter(|r| r.ends_with(&p.to_string())).count()
    };
    assert_eq!(
        survivor_rows,
        owned(&rows_before, survivor) + owned(&rows_before, absorbed)
    );
    assert_eq!(
        participants(&app).await.len(),
        participants_before.len() - 1
    );
    assert_eq!(
        app.db
            .merge_participants(survivor, absorbed, "again", &actor, now)
            .await
            .unwrap(),
        Err(MergeRefusal::NoSuchParticipant)
    );
    let audit = latest(&app, 2).await;
    assert_eq!(
        audit[0],
        (
            "participant.merge".into(),
            "refused: no such participant".into()
        )
    );
    assert_eq!(audit[1], ("participant.merge".into(), "ok".into()));

    assert_eq!(
        app.db.unmerge(&merge, &actor, now).await.unwrap(),
        Ok(absorbed)
    );
    assert_eq!(owned_rows(&app).await, rows_before);
    assert_eq!(participants(&app).await, participants_before);
    assert_eq!(
        app.db.unmerge(&merge, &actor, now).await.unwrap(),
        Err(MergeRefusal::NoSuchMerge)
    );
    let audit = latest(&app, 2).await;
    assert_eq!(
        audit[0],
        (
            "participant.unmerge".into(),
            "refused: no such merge".into()
        )
    );
    assert_eq!(audit[1], ("participant.unmerge".into(), "ok".into()));
    // Both are findable again, as themselves.
    let lines = app.db.recent_merges(5).await.unwrap();
    assert_eq!(lines.len(), 1);
    assert!(lines[0].undone_at.is_some());
}

#[tokio::test]
async fn merged_participants_keeps_every_column_of_participants() {
    let app = TestApp::new().await;
    let columns = |table: &str| {
        let sql = match app.test_db.backend() {
            "sqlite" => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY name"),
            _ => format!(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = '{table}' ORDER BY column_name"
            ),
        };
        let app = &app;
        async move { app.test_db.query_strings(&sql).await }
    };
    let mut archived = columns("merged_participants").await;
    archived.retain(|c| c != "merge_id");
    assert_eq!(archived, columns("participants").await);
}

#[tokio::test]
async fn the_review_page_merges_and_undoes_for_the_project_manager_only() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let pm = app.staff(Role::ProjectManager).await;
    let first = enrol(&app, "Abdirahman", "Jama", None).await;
    let second = enrol(&app, "Cabdiraxmaan", "Jaamac", None).await;
    let browser = app.sign_in(&pm).await;
    let page = app.get_as("/staff/people/duplicates", &browser).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("Abdirahman Jama and Cabdiraxmaan Jaamac")
            || page
                .body
                .contains("Cabdiraxmaan Jaamac and Abdirahman Jama"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("given name: a known variant or other name")
    );

    // Without a reason nothing happens, and the page says why.
    let pair = format!("{first} {second}");
    let refused = app
        .post_as(
            "/staff/people/merge",
            &browser,
            &[
                ("survivor", &first.to_string()),
                ("pair", &pair),
                ("reason", " "),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Say why these are one person"));
    let merged = app
        .post_as(
            "/staff/people/merge",
            &browser,
            &[
                ("survivor", &second.to_string()),
                ("pair", &pair),
                ("reason", "Somali and English spellings"),
            ],
        )
        .await;
    assert_eq!(merged.status, 303, "{}", merged.body);
    assert_eq!(merged.location(), format!("/staff/participants/{second}"));
    let page = app.get_as("/staff/people/duplicates", &browser).await;
    assert!(page.body.contains("No possible duplicates are waiting"));
    assert!(page.body.contains("Undo this merge"));
    let merge = app
        .test_db
        .query_strings("SELECT id FROM person_merges")
        .await
        .remove(0);
    let undone = app
        .post_as("/staff/people/unmerge", &browser, &[("merge", &merge)])
        .await;
    assert_eq!(undone.status, 303);
    assert_eq!(
        app.test_db
            .query_strings("SELECT id FROM participants ORDER BY id")
            .await
            .len(),
        2
    );

    for role in [
        Role::CaseManager,
        Role::LegalLiaison,
        Role::CommunityLead,
        Role::Evaluator,
        Role::Admin,
    ] {
        let staff = app.staff(role).await;
        let browser = app.sign_in(&staff).await;
        let page = app.get_as("/staff/people/duplicates", &browser).await;
        assert_eq!(page.status, 403, "{role:?}");
        let post = app
            .post_as("/staff/people/unmerge", &browser, &[("merge", &merge)])
            .await;
        assert_eq!(post.status, 403, "{role:?}");
    }
}

#[tokio::test]
async fn the_enrolment_page_offers_known_people_and_its_panel_updates_alone() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let cm = app.staff(Role::CaseManager).await;
    enrol(&app, "William", "Beaulieu", None).await;
    let sent = app.refer(MINIMAL).await;
    let referral = app.stored_referral(&sent).await.id;
    let browser = app.sign_in(&cm).await;
    let page = app
        .get_as(
            &format!("/staff/referrals/{referral}/enrol?name=Bill+Beaulieu"),
            &browser,
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("William Beaulieu"), "{}", page.body);
    assert!(page.body.contains("/static/matches.js"));
    let entries_before = audit_count(&app).await;
    let fragment = app
        .get_as(
            &format!("/staff/referrals/{referral}/matches?name=Bill+Bowley"),
            &browser,
        )
        .await;
    assert_eq!(fragment.status, 200);
    assert!(
        fragment.body.starts_with("<div id=\"matches\""),
        "{}",
        fragment.body
    );
    assert!(fragment.body.contains("William Beaulieu"));
    assert!(!fragment.body.contains("<html"));
    // One audit entry per keystroke: the referral read to match it.
    let entries = app
        .test_db
        .query_strings(
            "SELECT action || ' ' || record_type || ' ' || COALESCE(record_id, '-') || ' ' || outcome \
             FROM audit_log WHERE action NOT LIKE 'audit.%' ORDER BY seq DESC LIMIT 1",
        )
        .await;
    assert_eq!(
        entries[0],
        format!("person.match referral {referral} ok: 1 shown")
    );
    assert_eq!(audit_count(&app).await, entries_before + 1, "{entries:?}");

    // A referral no one made: 404, and the attempt is on record.
    let missing = leadhub_domain::ids::ReferralId::new();
    let gone = app
        .get_as(
            &format!("/staff/referrals/{missing}/matches?name=Bill"),
            &browser,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(
        latest(&app, 1).await[0],
        ("person.match".to_owned(), "not_found".to_owned())
    );
}

#[tokio::test]
async fn find_a_person_looks_everyone_up_by_any_name_form_for_who_may() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    let mohamed = enrol(&app, "Mohamed", "Hassan", Some(1988)).await;
    enrol(&app, "Pao", "Xiong", Some(1971)).await;
    for i in 0..20 {
        enrol(&app, &format!("Other{i}"), "Person", Some(1990)).await;
    }
    let cm = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&cm).await;
    let form = app.get_as("/staff/people/find", &browser).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!form.body.contains("possible match"));

    // A nickname, the names the other way round, an age instead of a year.
    let page = app
        .post_as(
            "/staff/people/find",
            &browser,
            &[("name", "Hassan Mo"), ("age_range", "36-50")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let list = page.body.find("<ul class=\"candidates\"").unwrap();
    let first = list + page.body[list..].find("<strong>").unwrap();
    assert!(
        page.body[first..].starts_with("<strong>Mohamed Hassan</strong>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("/staff/participants/{mohamed}"))
    );
    assert!(
        !page.body.contains("Pao Xiong"),
        "unlikely people are not offered"
    );
    assert_eq!(
        latest(&app, 1).await[0].0,
        "person.match",
        "an audited read"
    );

    // Nothing to go on, and bad input, come back with what was typed.
    let empty = app.post_as("/staff/people/find", &browser, &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("Give something to go on: a name, an age or birth year, or a place.")
    );
    let bad = app
        .post_as(
            "/staff/people/find",
            &browser,
            &[
                ("name", "Xyooj Pao"),
                ("birth_year", "19711"),
                ("place", "mars"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.input_value("name").as_deref(), Some("Xyooj Pao"));
    assert_eq!(bad.input_value("birth_year").as_deref(), Some("19711"));
    assert!(bad.body.contains("id=\"f-birth_year-error\""));
    assert!(bad.body.contains("id=\"f-place-error\""));

    // A Hmong clan name in its other spelling, with the year.
    let pao = app
        .post_as(
            "/staff/people/find",
            &browser,
            &[("name", "Xyooj Pao"), ("birth_year", "1971")],
        )
        .await;
    assert!(
        pao.body.contains("<strong>Pao Xiong</strong>"),
        "{}",
        pao.body
    );

    // The community lead, the evaluator and the liaison may not look people up.
    for role in [Role::CommunityLead, Role::Evaluator, Role::LegalLiaison] {
        let other = app.staff(role).await;
        let other_browser = app.sign_in(&other).await;
        let refused = app
            .post_as("/staff/people/find", &other_browser, &[("name", "Mohamed")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}");
    }
}

/// The family name's part in `name`'s best match: its weight and frequency part.
async fn family_part(app: &TestApp, name: &str) -> (f64, f64, f64) {
    let lookup = Lookup {
        name: name.into(),
        ..Lookup::default()
    };
    let found = matches(app, &lookup, 1).await;
    let first = found.first().expect("a possible match");
    assert_eq!(first.name, name);
    let family = first.why.iter().find(|w| w.field == "family name").unwrap();
    (family.weight, family.frequency, first.probability)
}

#[tokio::test]
async fn a_clan_name_many_share_counts_for_less_once_names_are_counted() {
    let app = TestApp::builder().rate_limit(1_000).build().await;
    for given in [
        "Pa", "Kou", "Tou", "Mai", "Yer", "Chue", "Neng", "Lee", "Xia", "Bao", "Nou", "Ka",
    ] {
        enrol(&app, given, "Vang", None).await;
    }
    enrol(&app, "Pa", "Thao", None).await;
    // Thirty more families of one, so that Vang is common among many names.
    for i in 0..30u8 {
        let letters = format!("{}{}", char::from(b'a' + i / 26), char::from(b'a' + i % 26));
        enrol(
            &app,
            &format!("Ka{letters}"),
            &format!("Lor{letters}"),
            None,
        )
        .await;
    }

    // Before any count, a name is a name.
    let (vang_before, vang_frequency, _) = family_part(&app, "Pa Vang").await;
    let (thao_before, _, _) = family_part(&app, "Pa Thao").await;
    assert_eq!(vang_frequency, 0.0);
    assert!((vang_before - thao_before).abs() < 1e-9);

    let now = leadhub_store::now();
    let count = app.db.count_names(now).await.unwrap();
    assert_eq!(count.people, 43);
    // Vang and Pa are shared; Thao, and every given name but Pa, is one person's and kept
    // nowhere.
    let kept = app
        .test_db
        .query_strings("SELECT field || ':' || value || ':' || CAST(people AS TEXT) FROM name_counts ORDER BY field, value")
        .await;
    assert_eq!(kept, ["first_name:pa:2", "last_name:vang:12"]);
    assert_eq!(count.kept, 2);
    assert_eq!(
        latest(&app, 1).await[0],
        (
            "names.count".to_owned(),
            "ok: 43 people, 2 values shared".to_owned()
        )
    );

    let (vang, vang_frequency, vang_likely) = family_part(&app, "Pa Vang").await;
    let (thao, thao_frequency, thao_likely) = family_part(&app, "Pa Thao").await;
    assert!(vang_frequency < -1.0, "{vang_frequency}");
    assert!(thao_frequency > 1.0, "{thao_frequency}");
    assert!(vang < vang_before && thao > thao_before);
    assert!(thao_likely > vang_likely);

    // The page says why.
    let cm = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&cm).await;
    let page = app
        .post_as("/staff/people/find", &browser, &[("name", "Pa Vang")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("family name: the same, common here, so it counts for less"),
        "{}",
        page.body
    );

    // Counted once a day.
    assert_eq!(app.db.count_names_if_stale(now).await.unwrap(), None);
    let tomorrow = now + leadhub_store::NAME_COUNTS_KEPT_FOR + time::Duration::minutes(1);
    let again = app.db.count_names_if_stale(tomorrow).await.unwrap();
    assert_eq!(again.map(|c| c.people), Some(43));
}
