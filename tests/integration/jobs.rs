//! The job queue on both backends: reminders and escalations on the response clock, the
//! acknowledgement email in the referrer's language, idempotency (a job runs once, however
//! often it is queued or claimed), and the inquiry queue that shares the clock.

use axum::http::StatusCode;
use leadhub_domain::access::Role;
use leadhub_domain::ids::ReferralId;
use leadhub_store::{Actor, Email, JOB_LEASE, JobServices};
use time::Duration;

use crate::support::{MINIMAL, TestApp, acknowledge, referral};

/// The web layer's writer: Fluent texts in the referrer's language.
fn writer(app: &TestApp) -> leadhub_web::jobs::Writer {
    leadhub_web::jobs::Writer::new(app.state.clone())
}

async fn notifications(app: &TestApp, user: leadhub_domain::ids::UserId) -> Vec<String> {
    app.db
        .notifications_for(user, leadhub_store::now())
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.body)
        .collect()
}

#[tokio::test]
async fn an_unanswered_referral_reminds_its_assignee_then_escalates_once() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let pm = app.staff(Role::ProjectManager).await;
    let id = referral(&app, MINIMAL).await;
    assert_eq!(
        app.db.job_counts().await.unwrap(),
        (2, 0),
        "remind and escalate"
    );
    // Assigned by the project manager.
    let d = app
        .db
        .open_referral(id, &Actor::System, "test", leadhub_store::now())
        .await
        .unwrap()
        .unwrap();
    let edit = leadhub_store::Edit {
        id,
        version: d.version,
        user: pm.id,
        actor: Actor::System,
        address: "test",
        now: leadhub_store::now(),
    };
    app.db
        .assign_referral(&edit, Some(manager.id))
        .await
        .unwrap();

    let w = writer(&app);
    assert_eq!(
        app.db
            .run_due_jobs(&w, &leadhub_store::now, 100)
            .await
            .unwrap(),
        0,
        "nothing is due yet"
    );
    let due = d.referral.due_at;
    // Just before it is due: the reminder, to the assignee only.
    let before = due - Duration::minutes(30);
    assert_eq!(app.db.run_due_jobs(&w, &|| before, 100).await.unwrap(), 1);
    let mine = notifications(&app, manager.id).await;
    assert_eq!(mine.len(), 1);
    assert!(mine[0].starts_with("Due soon: your referral"), "{mine:?}");
    assert!(notifications(&app, pm.id).await.is_empty());
    // Past due: the escalation, to the project manager.
    let after = due + Duration::minutes(1);
    assert_eq!(app.db.run_due_jobs(&w, &|| after, 100).await.unwrap(), 1);
    let escalated = notifications(&app, pm.id).await;
    assert_eq!(escalated.len(), 1);
    assert!(escalated[0].starts_with("Overdue: referral"));
    // Idempotent: running again, or queueing again, changes nothing.
    assert_eq!(app.db.run_due_jobs(&w, &|| after, 100).await.unwrap(), 0);
    assert_eq!(app.db.ensure_clock_jobs().await.unwrap(), 0);
    assert_eq!(app.db.job_counts().await.unwrap(), (0, 2));
    assert_eq!(notifications(&app, manager.id).await.len(), 1);
    assert_eq!(notifications(&app, pm.id).await.len(), 1);
    // The project manager's home page shows it, with a link to the referral.
    let browser = app.sign_in(&pm).await;
    let home = app.get_as("/staff", &browser).await;
    assert!(home.body.contains("Overdue: referral"));
    assert!(home.body.contains(&format!("/staff/referrals/{id}")));
}

#[tokio::test]
async fn an_answer_before_the_due_time_makes_the_reminders_moot() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let pm = app.staff(Role::ProjectManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(&app, MINIMAL).await;
    acknowledge(&app, id, &browser, "call").await;
    let later = leadhub_store::now() + Duration::days(30);
    assert_eq!(
        app.db
            .run_due_jobs(&writer(&app), &|| later, 100)
            .await
            .unwrap(),
        2
    );
    assert!(notifications(&app, pm.id).await.is_empty());
    assert!(notifications(&app, manager.id).await.is_empty());
    assert_eq!(
        app.db.job_counts().await.unwrap(),
        (0, 2),
        "both done, as moot"
    );
}

#[tokio::test]
async fn a_job_whose_lease_ran_out_is_done_by_the_next_worker_and_only_once() {
    let app = TestApp::new().await;
    let pm = app.staff(Role::ProjectManager).await;
    referral(&app, MINIMAL).await;
    let late = leadhub_store::now() + Duration::days(30);
    let w = writer(&app);
    let first = app.db.claim_job(late).await.unwrap().expect("a due job");
    let second = app
        .db
        .claim_job(late)
        .await
        .unwrap()
        .expect("the other job");
    assert_ne!(
        first.key, second.key,
        "a claimed job is not handed out twice"
    );
    assert!(app.db.claim_job(late).await.unwrap().is_none());
    // The first worker stalls past its lease; another takes the job over and does it.
    let taken_over = app
        .db
        .claim_job(late + JOB_LEASE + Duration::seconds(1))
        .await
        .unwrap()
        .expect("a lapsed lease frees the job");
    assert!(taken_over.key == first.key || taken_over.key == second.key);
    assert!(app.db.run_job(&taken_over, &w, late).await.unwrap());
    let stalled = if taken_over.key == first.key {
        &first
    } else {
        &second
    };
    assert!(
        !app.db.run_job(stalled, &w, late).await.unwrap(),
        "the stalled worker finds its lease gone and does nothing"
    );
    let other = if taken_over.key == first.key {
        &second
    } else {
        &first
    };
    assert!(app.db.run_job(other, &w, late).await.unwrap());
    // The referral was unassigned: both messages went to the project manager, once each.
    assert_eq!(notifications(&app, pm.id).await.len(), 2);
}

#[tokio::test]
async fn concurrent_workers_run_each_job_once() {
    let app = TestApp::new().await;
    app.staff(Role::ProjectManager).await;
    for _ in 0..10 {
        referral(&app, MINIMAL).await;
    }
    let late = leadhub_store::now() + Duration::days(30);
    let w = writer(&app);
    let clock = || late;
    let runs =
        futures_util::future::join_all((0..4).map(|_| app.db.run_due_jobs(&w, &clock, 100))).await;
    let total: usize = runs.into_iter().map(|r| r.unwrap()).sum();
    assert_eq!(total, 20);
    assert_eq!(app.db.job_counts().await.unwrap(), (0, 20));
}

#[tokio::test]
async fn an_email_acknowledgement_is_written_in_the_referrers_language_and_says_nothing_personal() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let admin = app.staff(Role::Admin).await;
    let browser = app.sign_in(&manager).await;
    // A Somali-language referral (the language cookie) with an email address.
    let session = app.open_form("/refer").await;
    let mut fields = vec![("form_token", session.token.as_str())];
    fields.extend_from_slice(&[
        ("features", "Nin dheer, jaakad cagaaran"),
        ("places", "lake-chicago"),
        ("referrer_email", "ayaan@example.org"),
        ("follow_up", "yes"),
    ]);
    let sent = app
        .post_raw(
            "/refer",
            Some(&format!("{}; lang=so", session.cookie)),
            crate::support::encode(&fields).into_bytes(),
            &[],
        )
        .await;
    let stored = app.stored_referral(&sent).await;
    assert_eq!(stored.language, "so");
    let id: ReferralId = stored.id.parse().unwrap();
    let done = acknowledge(&app, id, &browser, "email").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        app.db
            .run_due_jobs(&writer(&app), &leadhub_store::now, 100)
            .await
            .unwrap(),
        1
    );
    let outbox = app
        .db
        .outbox(&Actor::System, "test", leadhub_store::now())
        .await
        .unwrap();
    assert_eq!(outbox.len(), 1);
    let message = &outbox[0];
    assert_eq!(message.recipient, "ayaan@example.org");
    assert!(
        message.body.contains("Waad ku mahadsan tahay"),
        "{}",
        message.body
    );
    let code = stored
        .code
        .parse::<leadhub_domain::ReferenceCode>()
        .unwrap();
    assert!(message.body.contains(&code.to_string()));
    assert!(message.body.contains(&format!("/refer/received/{code}")));
    assert!(!message.body.contains("jaakad"), "nothing about the person");
    // An administrator reads it on the outbox page; the read is audited.
    let admin_browser = app.sign_in(&admin).await;
    let page = app.get_as("/staff/admin/outbox", &admin_browser).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ayaan@example.org"));
    assert!(page.body.contains("held"));
    assert_eq!(app.audit_tail(1).await[0].1, "outbox.read");
    // The status link says only "being worked on".
    let status = app.get(&format!("/refer/received/{code}")).await;
    assert!(status.body.contains("A case manager is working on it."));
}

#[tokio::test]
async fn an_email_acknowledgement_needs_an_address() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(
        &app,
        &[
            ("features", "red cap"),
            ("places", "lake-cedar"),
            ("referrer_phone", "612-555-0100"),
        ],
    )
    .await;
    let refused = acknowledge(&app, id, &browser, "email").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("left no email address"));
    assert_eq!(app.db.job_counts().await.unwrap().0, 2, "no email job");
}

/// A writer for tests that do not look at the text.
struct Plain;

impl JobServices for Plain {
    fn acknowledgement(&self, _: &str, code: &str) -> Email {
        Email {
            subject: code.into(),
            body: code.into(),
        }
    }
}

#[tokio::test]
async fn inquiries_have_the_same_clock_answer_and_closure() {
    let app = TestApp::new().await;
    let manager = app.staff(Role::CaseManager).await;
    let pm = app.staff(Role::ProjectManager).await;
    let browser = app.sign_in(&manager).await;
    let id = app
        .inquiry("Can LEAD help my cousin find a shelter bed?")
        .await;
    let queue = app.get_as("/staff/inquiries", &browser).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("shelter bed"));
    assert!(queue.body.contains("of open time left") || queue.body.contains("Overdue"));

    let page = app
        .get_as(&format!("/staff/inquiries/{id}"), &browser)
        .await;
    let v = page.input_value("version").unwrap();
    // Closing an unanswered inquiry needs a reason.
    let refused = app
        .post_as(
            &format!("/staff/inquiries/{id}/close"),
            &browser,
            &[("version", &v)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("choose why it is closed"));
    let answered = app
        .post_as(
            &format!("/staff/inquiries/{id}/answer"),
            &browser,
            &[
                ("version", &v),
                ("method", "call"),
                ("note", "Gave the shelter line"),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    // The old page is stale now.
    let stale = app
        .post_as(
            &format!("/staff/inquiries/{id}/close"),
            &browser,
            &[("version", &v)],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    // Answered: the reminder is moot; closing needs nothing more.
    let later = leadhub_store::now() + Duration::days(30);
    app.db.run_due_jobs(&Plain, &|| later, 100).await.unwrap();
    assert!(notifications(&app, pm.id).await.is_empty());
    let page = app
        .get_as(&format!("/staff/inquiries/{id}"), &browser)
        .await;
    let v = page.input_value("version").unwrap();
    let closed = app
        .post_as(
            &format!("/staff/inquiries/{id}/close"),
            &browser,
            &[("version", &v)],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let queue = app.get_as("/staff/inquiries", &browser).await;
    assert!(!queue.body.contains("shelter bed"));
    let page = app
        .get_as(&format!("/staff/inquiries/{id}"), &browser)
        .await;
    assert!(page.body.contains("Gave the shelter line"));

    // An unanswered one escalates to the project manager.
    app.inquiry("Who do I call about a man sleeping in our doorway?")
        .await;
    app.db.run_due_jobs(&Plain, &|| later, 100).await.unwrap();
    let escalated = notifications(&app, pm.id).await;
    assert!(
        escalated.iter().any(|n| n.starts_with("Overdue: inquiry")),
        "{escalated:?}"
    );
}

/// A mail server on 127.0.0.1 that speaks just enough SMTP, keeps what it is given, and refuses
/// the first `refusals` messages (450, "try again later").
async fn fake_smtp(refusals: usize) -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        let mut refused = 0;
        while let Ok((socket, _)) = listener.accept().await {
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
            let mut data: Option<String> = None;
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(body) = data.as_mut() {
                    if line == "." {
                        let message = data.take().unwrap();
                        if refused < refusals {
                            refused += 1;
                            write.write_all(b"450 try again later\r\n").await.unwrap();
                        } else {
                            store.lock().unwrap().push(message);
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        }
                    } else {
                        body.push_str(&line);
                        body.push('\n');
                    }
                    continue;
                }
                let reply: &[u8] = match line.get(..4).map(str::to_ascii_uppercase).as_deref() {
                    Some("EHLO") => b"250-fake\r\n250 8BITMIME\r\n",
                    Some("DATA") => {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    }
                    Some("QUIT") => {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    }
                    _ => b"250 ok\r\n",
                };
                write.write_all(reply).await.unwrap();
            }
        }
    });
    (port, received)
}

async fn acknowledge_by_email(app: &TestApp) {
    let manager = app.staff(Role::CaseManager).await;
    let browser = app.sign_in(&manager).await;
    let id = referral(
        app,
        &[
            ("features", "red cap"),
            ("places", "lake-cedar"),
            ("referrer_email", "shop@example.org"),
        ],
    )
    .await;
    let done = acknowledge(app, id, &browser, "email").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
}

#[tokio::test]
async fn with_a_mail_server_the_acknowledgement_is_sent_once() {
    let (port, received) = fake_smtp(0).await;
    let app = TestApp::builder()
        .mail(&format!("smtp://127.0.0.1:{port}"))
        .build()
        .await;
    acknowledge_by_email(&app).await;
    let w = writer(&app);
    let now = leadhub_store::now();
    // Writing the message queues its sending; a second round finds nothing left to do.
    assert_eq!(app.db.run_due_jobs(&w, &|| now, 100).await.unwrap(), 2);
    assert_eq!(app.db.run_due_jobs(&w, &|| now, 100).await.unwrap(), 0);
    let messages = received.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains("To: shop@example.org"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("lead@test.example"));
    let outbox = app
        .db
        .outbox(&Actor::System, "test", leadhub_store::now())
        .await
        .unwrap();
    assert!(outbox[0].sent_at.is_some());
}

#[tokio::test]
async fn a_refused_email_is_tried_again_later_and_then_sent() {
    let (port, received) = fake_smtp(1).await;
    let app = TestApp::builder()
        .mail(&format!("smtp://127.0.0.1:{port}"))
        .build()
        .await;
    acknowledge_by_email(&app).await;
    let w = writer(&app);
    let now = leadhub_store::now();
    app.db.run_due_jobs(&w, &|| now, 100).await.unwrap();
    assert!(
        received.lock().unwrap().is_empty(),
        "refused the first time"
    );
    let outbox = app.db.outbox(&Actor::System, "test", now).await.unwrap();
    assert!(outbox[0].sent_at.is_none());
    // Not before its wait is over; then sent.
    assert_eq!(app.db.run_due_jobs(&w, &|| now, 100).await.unwrap(), 0);
    let later = now + Duration::minutes(10);
    assert_eq!(app.db.run_due_jobs(&w, &|| later, 100).await.unwrap(), 1);
    assert_eq!(received.lock().unwrap().len(), 1);
}
