//! Legal matters and the coordination log: versions and charges kept, the divertible list,
//! bad input kept as typed, requests linked to plan goals with who decided what, and a legal
//! liaison who sees any of it only under a release covering legal matters (a logged
//! disclosure with the 42 CFR 2.32 notice, health and substance-use goals never shown).

use axum::http::StatusCode;
use leadhub_domain::access::Role;
use leadhub_domain::consent::{Category, REDISCLOSURE_NOTICE, Release};
use leadhub_domain::ids::ParticipantId;

use crate::support::{Browser, Staff, TEST_ORGANIZATION, TestApp};

async fn signed_in(app: &TestApp, role: Role) -> (Staff, Browser) {
    let staff = app.staff(role).await;
    let browser = app.sign_in(&staff).await;
    (staff, browser)
}

const MATTER: &[(&str, &str)] = &[
    ("jurisdiction", "Hennepin County District Court"),
    ("case_number", "27-cr-26-1234"),
    ("charge1_listed", "trespass"),
    ("charge1_level", "misdemeanor"),
    ("charge2_words", "Assault in the fifth degree"),
    ("charge2_level", "misdemeanor"),
    ("status", "charged"),
    ("next_court", "2027-01-12T09:30"),
    ("warrant", "none"),
    ("prosecutor", "Minneapolis City Attorney"),
];

fn legal(id: ParticipantId) -> String {
    format!("/staff/participants/{id}/legal")
}

/// Adds `MATTER` as `browser` and returns its id.
async fn add_matter(app: &TestApp, browser: &Browser, id: ParticipantId) -> String {
    let page = app.post_as(&legal(id), browser, MATTER).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), format!("{}?saved=matter", legal(id)));
    let ids = app
        .test_db
        .query_strings(&format!(
            "SELECT id FROM legal_matters WHERE participant_id = '{id}' ORDER BY created_at DESC"
        ))
        .await;
    ids[0].clone()
}

/// `MATTER` with some fields changed, for the change form.
fn changed<'a>(
    matter: &'a str,
    version: &'a str,
    with: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = MATTER
        .iter()
        .filter(|(k, _)| !with.iter().any(|(w, _)| w == k))
        .copied()
        .collect();
    fields.extend_from_slice(with);
    fields.push(("matter", matter));
    fields.push(("version", version));
    fields
}

fn has_notice(body: &str) -> bool {
    body.contains(&REDISCLOSURE_NOTICE.replace('\'', "&#39;")) || body.contains(REDISCLOSURE_NOTICE)
}

/// A release to the test organisation covering `covers`, signed yesterday.
async fn release(app: &TestApp, id: ParticipantId, covers: &[Category]) {
    let now = leadhub_store::now();
    let release = Release {
        discloser: "LEAD case management".into(),
        recipient: TEST_ORGANIZATION.into(),
        covers: covers.iter().copied().collect(),
        purpose: "coordinate a case".into(),
        signed_at: now - time::Duration::days(1),
        expires_at: now + time::Duration::days(30),
        revoked_at: None,
    };
    app.db
        .record_release(id, &release, &leadhub_store::Actor::System, now)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_matter_keeps_every_version_with_its_charges_and_refuses_a_stale_change() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;

    let matter = add_matter(&app, &browser, id).await;
    let last = app.audit_tail(1).await;
    assert_eq!(
        (last[0].1.as_str(), last[0].2.as_str()),
        ("legal.matter.add", "ok")
    );

    let page = app.get_as(&legal(id), &browser).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Hennepin County District Court 27-CR-26-1234"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Trespass (misdemeanour, on the divertible list)")
    );
    assert!(
        page.body
            .contains("Assault in the fifth degree (misdemeanour)")
    );
    assert!(
        page.body
            .contains("not divertible: coordinate with the prosecutor"),
        "one charge off the list makes the matter one to coordinate on"
    );
    assert!(page.body.contains("2027-01-12 09:30"));
    assert!(
        !has_notice(&page.body),
        "the team's own view is not a disclosure"
    );
    let read = app.audit_tail(1).await;
    assert_eq!(
        (read[0].1.as_str(), read[0].2.as_str()),
        ("participant.read", "ok: legal")
    );

    // Filing held, a warrant out, the assault charge dropped: version 2.
    let fields = changed(
        &matter,
        "1",
        &[
            ("status", "filing_held"),
            ("warrant", "active"),
            ("charge2_words", ""),
            ("charge2_level", ""),
        ],
    );
    let saved = app
        .post_as(&format!("{}/change", legal(id)), &browser, &fields)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // The same page sent again names version 1: refused, with its typing kept.
    let stale = changed(
        &matter,
        "1",
        &[
            ("status", "dismissed"),
            ("defender", "Public Defender Okafor"),
        ],
    );
    let refused = app
        .post_as(&format!("{}/change", legal(id)), &browser, &stale)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("Public Defender Okafor"),
        "what was typed is kept"
    );

    let page = app.get_as(&legal(id), &browser).await;
    assert!(page.body.contains("Filing held while engaged"));
    assert!(page.body.contains("<strong>Warrant out</strong>"));
    assert!(page.body.contains("every charge is on the divertible list"));
    assert!(page.body.contains("v1 · "), "{}", page.body);
    assert!(page.body.contains("v2 · "));
    let versions = app
        .test_db
        .query_strings(&format!(
            "SELECT CAST(version AS TEXT) || ':' || CAST(COUNT(*) AS TEXT) FROM legal_charges \
             WHERE matter_id = '{matter}' GROUP BY version ORDER BY version"
        ))
        .await;
    assert_eq!(
        versions,
        ["1:2", "2:1"],
        "each version keeps its own charges"
    );
    let status = app
        .test_db
        .query_strings(&format!(
            "SELECT status FROM legal_matters WHERE id = '{matter}'"
        ))
        .await;
    assert_eq!(status, ["filing_held"], "the stale change was not applied");

    // The record page lists the open matter beside the plan.
    let record = app
        .get_as(&format!("/staff/participants/{id}"), &browser)
        .await;
    assert!(record.body.contains("<h2 id=\"legal\">Legal matters</h2>"));
    assert!(
        record
            .body
            .contains("Hennepin County District Court 27-CR-26-1234")
    );
    assert!(record.body.contains("<strong>· warrant out</strong>"));
}

#[tokio::test]
async fn bad_matter_input_is_refused_field_by_field_and_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let (cm, browser) = signed_in(&app, Role::CaseManager).await;
    let id = app.participant(cm.id, false).await;

    let page = app
        .post_as(
            &legal(id),
            &browser,
            &[
                ("jurisdiction", "Minneapolis City Attorney"),
                ("case_number", "=HYPERLINK(\"http://x\")"),
                ("charge1_listed", "not-on-the-list"),
                ("charge1_level", "misdemeanor"),
                ("status", "charged"),
                ("next_court", "soon"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("Minneapolis City Attorney"),
        "typing kept"
    );
    assert!(
        page.body
            .contains("Give the case number as the court or prosecutor writes it")
    );
    assert!(page.body.contains("Choose one of the options."));
    assert!(page.body.contains("aria-invalid=\"true\""));

    let none = app
        .post_as(
            &legal(id),
            &browser,
            &[
                ("jurisdiction", "Minneapolis City Attorney"),
                ("status", "pre_charge"),
            ],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        none.body.contains("id=\"matter-new-charges-error\""),
        "{}",
        none.body
    );

    let stored = app
        .test_db
        .query_strings("SELECT CAST(COUNT(*) AS TEXT) FROM legal_matters")
        .await;
    assert_eq!(stored, ["0"], "nothing was stored");
}

#[tokio::test]
async fn requests_link_plan_goals_and_record_who_decided_but_a_liaison_never_sees_health_goals() {
    let app = TestApp::new().await;
    let (cm, cm_browser) = signed_in(&app, Role::CaseManager).await;
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let id = app.participant(cm.id, true).await;
    for (domain, words) in [
        ("housing", "A place of my own by spring"),
        ("substance_use", "Start methadone at the clinic"),
    ] {
        let page = app
            .post_as(
                &format!("/staff/participants/{id}/goals"),
                &cm_browser,
                &[("domain", domain), ("words", words)],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let goals = app
        .test_db
        .query_strings(&format!(
            "SELECT id FROM plan_goals WHERE participant_id = '{id}' ORDER BY domain"
        ))
        .await;
    let (housing, treatment) = (goals[0].clone(), goals[1].clone());
    let matter = add_matter(&app, &cm_browser, id).await;

    let asked = app
        .post_as(
            &format!("{}/requests", legal(id)),
            &cm_browser,
            &[
                ("matter", matter.as_str()),
                ("kind", "hold_filing"),
                (
                    "words",
                    "Housing interview on the 12th; please hold filing until after.",
                ),
                ("goals", housing.as_str()),
                ("goals", treatment.as_str()),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(app.audit_tail(1).await[0].1, "legal.request.add");
    let page = app.get_as(&legal(id), &cm_browser).await;
    assert!(
        page.body.contains("Start methadone at the clinic"),
        "the team sees its own goals"
    );

    // The liaison, under the release: a disclosure with the notice, the housing goal only.
    let page = app.get_as(&legal(id), &liaison).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(has_notice(&page.body));
    assert!(page.body.contains("Housing interview on the 12th"));
    assert!(page.body.contains("A place of my own by spring"));
    assert!(
        !page.body.contains("methadone"),
        "never a substance-use goal"
    );
    assert!(page.body.contains("And 1 goals not shown to your role."));
    let read = app.audit_tail(1).await;
    assert_eq!(read[0].1, "participant.read");
    assert!(
        read[0].2.starts_with("disclosed under release ") && read[0].2.ends_with(": legal"),
        "{}",
        read[0].2
    );

    let record = app
        .get_as(&format!("/staff/participants/{id}"), &liaison)
        .await;
    assert!(
        record.body.contains("<h2 id=\"legal\">Legal matters</h2>"),
        "under a release covering legal matters"
    );

    // A liaison cannot link a goal they may not see, even by its id.
    let linked = app
        .post_as(
            &format!("{}/requests", legal(id)),
            &liaison,
            &[
                ("matter", matter.as_str()),
                ("kind", "other"),
                ("words", "Court asks"),
                ("goals", treatment.as_str()),
            ],
        )
        .await;
    assert_eq!(linked.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_tail(1).await[0].2, "refused: label");

    // The liaison records the prosecutor's answer, once.
    let request = app
        .test_db
        .query_strings(&format!(
            "SELECT id FROM legal_requests WHERE matter_id = '{matter}'"
        ))
        .await
        .remove(0);
    let today = leadhub_domain::SiteProfile::minneapolis()
        .unwrap()
        .calendar
        .day_of(leadhub_store::now())
        .to_string();
    let answer = [
        ("request", request.as_str()),
        ("answer", "agreed"),
        ("decided_by", "ACA Lee, Hennepin County Attorney"),
        ("decided_on", today.as_str()),
        ("words", "Held for 60 days; check in after the interview."),
    ];
    let answered = app
        .post_as(&format!("{}/requests/answer", legal(id)), &liaison, &answer)
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let entry = app.audit_tail(1).await;
    assert_eq!(entry[0].1, "legal.request.answer");
    assert!(
        entry[0].2.starts_with("ok: under release "),
        "{}",
        entry[0].2
    );
    let again = app
        .post_as(
            &format!("{}/requests/answer", legal(id)),
            &cm_browser,
            &answer,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "answered once");

    let page = app.get_as(&legal(id), &cm_browser).await;
    assert!(
        page.body.contains(&format!(
            "Agreed by ACA Lee, Hennepin County Attorney on {today}"
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains("Held for 60 days"));
}

#[tokio::test]
async fn a_liaison_without_a_release_covering_legal_matters_gets_the_same_refusal_as_for_no_release()
 {
    let app = TestApp::new().await;
    let (cm, cm_browser) = signed_in(&app, Role::CaseManager).await;
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let no_release = app.participant(cm.id, false).await;
    let other_categories = app.participant(cm.id, false).await;
    release(
        &app,
        other_categories,
        &[
            Category::Participation,
            Category::CaseManager,
            Category::Progress,
            Category::Barriers,
        ],
    )
    .await;
    add_matter(&app, &cm_browser, other_categories).await;

    let a = app.get_as(&legal(no_release), &liaison).await;
    let b = app.get_as(&legal(other_categories), &liaison).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(b.status, StatusCode::FORBIDDEN);
    assert_eq!(
        a.body, b.body,
        "the refusal tells nothing about the release"
    );
    assert!(!b.body.contains("Hennepin"));
    assert_eq!(app.audit_tail(1).await[0].2, "refused: no_release");

    // Writes are refused the same way, and nothing is written.
    let post = app
        .post_as(&legal(other_categories), &liaison, MATTER)
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    let count = app
        .test_db
        .query_strings(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM legal_matters WHERE participant_id = '{other_categories}'"
        ))
        .await;
    assert_eq!(count, ["1"]);

    // The record page links to legal matters only where they can be opened.
    let record = app
        .get_as(&format!("/staff/participants/{other_categories}"), &liaison)
        .await;
    assert_eq!(record.status, StatusCode::OK);
    assert!(!record.body.contains(&legal(other_categories)));
    assert!(
        !record.body.contains("Hennepin"),
        "nor in the record's summary"
    );
    let own = app
        .get_as(
            &format!("/staff/participants/{other_categories}"),
            &cm_browser,
        )
        .await;
    assert!(own.body.contains(&legal(other_categories)));
}

/// Enrols `given family`, born in `year`, in `cm`'s caseload; with a release covering
/// `covers` when given.
async fn person_born(
    app: &TestApp,
    cm: &Staff,
    (given, family, year): (&str, &str, i64),
    covers: Option<&[Category]>,
) -> ParticipantId {
    let id = app
        .db
        .enrol_participant(
            given,
            family,
            Some(cm.id),
            &leadhub_store::Actor::System,
            leadhub_store::now(),
        )
        .await
        .unwrap();
    app.test_db
        .execute(&format!(
            "UPDATE people SET birth_year = {year} WHERE id = (SELECT person_id FROM participants WHERE id = '{id}')"
        ))
        .await;
    if let Some(covers) = covers {
        release(app, id, covers).await;
    }
    id
}

async fn look_up(app: &TestApp, browser: &Browser, name: &str, dob: &str) -> crate::support::Page {
    app.post_as(
        "/staff/legal/lookup",
        browser,
        &[("name", name), ("dob", dob)],
    )
    .await
}

#[tokio::test]
async fn the_legal_lookup_tells_only_of_consented_participants_and_is_the_same_for_strangers() {
    let app = TestApp::new().await;
    let (cm, cm_browser) = signed_in(&app, Role::CaseManager).await;
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let released = person_born(
        &app,
        &cm,
        ("Abdirahman", "Warsame", 1984),
        Some(&Category::ALL),
    )
    .await;
    person_born(&app, &cm, ("Xiong", "Vang", 1990), None).await;
    person_born(
        &app,
        &cm,
        ("Maria", "Gutierrez", 1979),
        Some(&[Category::CaseManager, Category::Legal]),
    )
    .await;

    let form = app.get_as("/staff/legal/lookup", &liaison).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("href=\"/staff/legal/lookup\""),
        "in the liaison's menu"
    );

    let shown = look_up(&app, &liaison, "Abdirahman Warsame", "1984-06-02").await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("Abdirahman Warsame"), "{}", shown.body);
    assert!(shown.body.contains("Works with LEAD"));
    let cm_name = app
        .test_db
        .query_strings(&format!("SELECT name FROM users WHERE id = '{}'", cm.id))
        .await
        .remove(0);
    assert!(
        shown.body.contains(&format!("{cm_name}, through LEAD at")),
        "the case manager, to reach through LEAD"
    );
    assert!(has_notice(&shown.body));
    assert!(shown.body.contains(&legal(released)));
    let entries = app.audit_tail(2).await;
    assert_eq!(entries[0].1, "participant.read");
    assert!(
        entries[0].2.starts_with("disclosed under release "),
        "{}",
        entries[0].2
    );
    assert_eq!(
        (entries[1].1.as_str(), entries[1].2.as_str()),
        ("legal.lookup", "ok: 1 in reach")
    );

    // Not consented, consented without participation, the wrong year, a stranger: one page.
    let refused = [
        look_up(&app, &liaison, "Xiong Vang", "1990-01-15").await,
        look_up(&app, &liaison, "Maria Gutierrez", "1979-11-30").await,
        look_up(&app, &liaison, "Abdirahman Warsame", "1985-06-02").await,
        look_up(&app, &liaison, "Farhiya Stranger", "1990-01-15").await,
    ];
    for page in &refused {
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("No information available."));
        assert_eq!(page.body, refused[0].body, "byte for byte the same answer");
    }
    for name in ["Xiong", "Maria", "Abdirahman", "Farhiya"] {
        assert!(
            !refused[0].body.contains(name),
            "the answer does not repeat the name"
        );
    }

    // The case manager's own lookup reaches their caseload, consent or not.
    let own = look_up(&app, &cm_browser, "Xiong Vang", "1990-01-15").await;
    assert!(own.body.contains("Xiong Vang"), "{}", own.body);
    assert!(!has_notice(&own.body), "not a disclosure");

    // Bad input keeps what was typed.
    let bad = look_up(&app, &liaison, "Xiong Vang", "15/01/1990").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Not looked up yet: see below."));
    assert!(bad.body.contains("value=\"Xiong Vang\""));
    assert!(bad.body.contains("value=\"15/01/1990\""));
}

/// The calendar as `browser` downloads it, with folded lines joined again.
async fn calendar(app: &TestApp, browser: &Browser) -> String {
    let page = app.get_as("/staff/legal/court-dates.ics", browser).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers.get("content-type").unwrap(),
        "text/calendar; charset=utf-8"
    );
    page.body.replace("\r\n ", "")
}

#[tokio::test]
async fn the_court_date_calendar_holds_only_open_matters_in_reach_with_the_notice_under_a_release()
{
    let app = TestApp::new().await;
    let (cm, cm_browser) = signed_in(&app, Role::CaseManager).await;
    let (other_cm, other_browser) = signed_in(&app, Role::CaseManager).await;
    let (_, liaison) = signed_in(&app, Role::LegalLiaison).await;
    let released = person_born(
        &app,
        &cm,
        ("Abdirahman", "Warsame", 1984),
        Some(&Category::ALL),
    )
    .await;
    let unreleased = person_born(&app, &cm, ("Xiong", "Vang", 1990), None).await;
    let elsewhere = person_born(&app, &other_cm, ("Maria", "Gutierrez", 1979), None).await;
    add_matter(&app, &cm_browser, released).await;
    let closed = add_matter(&app, &cm_browser, unreleased).await;
    let dismissed = changed(&closed, "1", &[("status", "dismissed")]);
    let saved = app
        .post_as(
            &format!("{}/change", legal(unreleased)),
            &cm_browser,
            &dismissed,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    add_matter(&app, &other_browser, elsewhere).await;

    let own = calendar(&app, &cm_browser).await;
    assert!(own.starts_with("BEGIN:VCALENDAR\r\n"), "{own}");
    assert!(
        own.contains("SUMMARY:Court: Abdirahman Warsame\r\n"),
        "{own}"
    );
    assert!(
        own.contains("DTSTART:20270112T153000Z\r\n"),
        "09:30 in Minneapolis is 15:30 UTC"
    );
    assert!(own.contains("CLASS:CONFIDENTIAL\r\n"));
    assert!(
        !own.contains("Xiong"),
        "a dismissed matter has no court date to keep"
    );
    assert!(!own.contains("Gutierrez"), "another caseload's");
    assert!(
        !own.contains("42 CFR"),
        "the team's own calendar is not a disclosure"
    );
    let read = app.audit_tail(1).await;
    assert_eq!(
        (read[0].1.as_str(), read[0].2.as_str()),
        ("participant.read", "ok: court dates")
    );

    let told = calendar(&app, &liaison).await;
    assert_eq!(told.matches("BEGIN:VEVENT").count(), 1, "{told}");
    assert!(told.contains("SUMMARY:Court: Abdirahman Warsame"));
    assert!(
        told.contains("42 CFR part 2 prohibits unauthorized use or disclosure of these records."),
        "{told}"
    );
    let read = app.audit_tail(1).await;
    assert!(
        read[0].2.starts_with("disclosed under release ") && read[0].2.ends_with(": court dates")
    );
}
