//! Staff accounts: invitation and enrolment, sign-in with password and app code, throttling,
//! sessions (idle timeout, sign-out, disabling), role changes and CSRF, through the router.

use axum::http::StatusCode;
use leadhub_domain::access::Role;
use leadhub_domain::credentials::RecoveryCode;

use crate::support::{Browser, TestApp, encode, session_cookie};

#[tokio::test]
async fn anonymous_staff_requests_go_to_sign_in_or_get_401() {
    let app = TestApp::new().await;
    let page = app.get("/staff/admin/users?x=1").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location(),
        "/login?next=%2Fstaff%2Fadmin%2Fusers%3Fx%3D1"
    );
    let post = app
        .post_raw("/staff/admin/users", None, b"email=a%40b.org".to_vec(), &[])
        .await;
    assert_eq!(post.status, StatusCode::UNAUTHORIZED);
    assert!(post.body.contains("sign in"), "{}", post.body);
}

#[tokio::test]
async fn a_case_manager_signs_in_with_password_then_app_code() {
    let app = TestApp::new().await;
    let staff = app.staff(Role::CaseManager).await;
    let (page, cookies) = app.post_login(&staff.email, &staff.password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login/code?next=%2Fstaff");
    // Half signed in: staff pages still send them to the code step.
    let early = app.get_with("/staff", &[("cookie", &cookies)]).await;
    assert_eq!(early.location(), "/login/code");
    let done = app.post_code(&cookies, &staff.fresh_code().await).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/staff");
    // The session token changes once the second factor is in.
    let pending = session_cookie(&page).unwrap();
    let active = session_cookie(&done).unwrap();
    assert_ne!(pending, active);
    let home = app.get_with("/staff", &[("cookie", &active)]).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("case_manager"));
    let stale = app.get_with("/staff", &[("cookie", &pending)]).await;
    assert_eq!(
        stale.status,
        StatusCode::SEE_OTHER,
        "the half-way token is dead"
    );
    let actions: Vec<String> = app
        .audit_tail(10)
        .await
        .into_iter()
        .map(|e| format!("{} {}", e.1, e.2))
        .collect();
    assert!(
        actions.contains(&"sign_in.password password_ok".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"sign_in.second_factor ok".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn session_cookie_is_http_only_and_lax() {
    let app = TestApp::new().await;
    let staff = app.staff(Role::Evaluator).await;
    let (page, _) = app.post_login(&staff.email, &staff.password).await;
    let cookie = page
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("lh_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test]
async fn roles_without_personal_data_need_no_app_code() {
    let app = TestApp::new().await;
    let staff = app.staff(Role::Evaluator).await;
    let (page, _) = app.post_login(&staff.email, &staff.password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/staff");
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = TestApp::new().await;
    let staff = app.staff(Role::CaseManager).await;
    let (wrong, _) = app
        .post_login(&staff.email, "not the password at all")
        .await;
    let (unknown, _) = app
        .post_login("nobody@staff.example", "not the password at all")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let message = |p: &crate::support::Page| {
        let start = p.body.find("<div class=\"form-message\"").unwrap();
        p.body[start..start + 200].to_owned()
    };
    assert_eq!(message(&wrong), message(&unknown));
    // What was typed stays (except the password).
    assert_eq!(
        wrong.input_value("email").as_deref(),
        Some(staff.email.as_str())
    );
    assert!(!wrong.body.contains("not the password at all"));
    let outcomes: Vec<String> = app.audit_tail(5).await.into_iter().map(|e| e.2).collect();
    assert!(outcomes.contains(&"wrong_password".to_owned()));
    assert!(outcomes.contains(&"no_such_account".to_owned()));
}

#[tokio::test]
async fn repeated_failures_slow_the_account_down_even_for_the_right_password() {
    let app = TestApp::new().await;
    let staff = app.staff(Role::Evaluator).await;
    for _ in 0..4 {
        let (page, _) = app.post_login(&staff.email, "wrong guess number").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    let (page, _) = app.post_login(&staff.email, &staff.password).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.body);
    assert!(page.body.contains("Wait"));
    let outcomes: Vec<String> = app.audit_tail(1).await.into_iter().map(|e| e.2).collect();
    assert_eq!(outcomes, ["throttled"]);
}

#[tokio::test]
async fn an_app_code_works_once() {
    let app = TestApp::new().await;
    let staff = app.staff(Role::CaseManager).await;
    let code = staff.fresh_code().await;
    let (_, cookies) = app.post_login(&staff.email, &staff.password).await;
    let first = app.post_code(&cookies, &code).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let (_, cookies) = app.post_login(&staff.email, &staff.password).await;
    let replay = app.post_code(&cookies, &code).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "{}", replay.body);
    assert!(replay.body.contains("already used"));
    let outcomes: Vec<String> = app.audit_tail(1).await.into_iter().map(|e| e.2).collect();
    assert_eq!(outcomes, ["wrong_code"]);
}

/// Reads the set-up link out of the page an administrator sees after inviting someone.
fn enrolment_path(body: &str) -> String {
    let start = body.find("/enrol/").unwrap();
    body[start..start + "/enrol/".len() + 43].to_owned()
}

#[tokio::test]
async fn an_admin_invites_a_case_manager_who_sets_up_and_signs_in() {
    let app = TestApp::new().await;
    let admin = app.staff(Role::Admin).await;
    let browser = app.sign_in(&admin).await;
    // Inviting asks for the password first.
    let unconfirmed = app
        .post_as(
            "/staff/admin/users",
            &browser,
            &[
                ("email", "rosa@staff.example"),
                ("name", "Rosa Vang"),
                ("role", "case_manager"),
            ],
        )
        .await;
    assert!(unconfirmed.location().starts_with("/staff/reauth?next="));
    app.confirm(&admin, &browser).await;
    // A bad invitation keeps what was typed.
    let bad = app
        .post_as(
            "/staff/admin/users",
            &browser,
            &[
                ("email", "not-an-email"),
                ("name", "Rosa Vang"),
                ("role", "case_manager"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.input_value("name").as_deref(), Some("Rosa Vang"));
    let invited = app
        .post_as(
            "/staff/admin/users",
            &browser,
            &[
                ("email", "rosa@staff.example"),
                ("name", "Rosa Vang"),
                ("role", "case_manager"),
            ],
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let link = enrolment_path(&invited.body);
    // The same email again is refused.
    let again = app
        .post_as(
            "/staff/admin/users",
            &browser,
            &[
                ("email", "ROSA@staff.example"),
                ("name", "Rosa"),
                ("role", "evaluator"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let form = app.open_form(&link).await;
    let page = app.get_with(&link, &[("cookie", &form.cookie)]).await;
    assert!(page.body.contains("<svg"), "a QR code is shown");
    let secret = page
        .body
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let totp = leadhub_domain::credentials::TotpSecret::from_base32(&secret).unwrap();
    let weak = app
        .post_form(
            &link,
            &form,
            &[
                ("password", "rosavang2026"),
                ("repeat", "rosavang2026"),
                ("code", "000000"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("easy to guess"), "{}", weak.body);
    let password = "harbor quilt seventeen lanterns";
    let now = u64::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap();
    let done = app
        .post_form(
            &link,
            &form,
            &[
                ("password", password),
                ("repeat", password),
                ("code", &totp.code_at(now)),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes: Vec<String> = done
        .body
        .split("<li><code>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    assert!(codes.iter().all(|c| RecoveryCode::parse(c).is_some()));
    // The link worked once; trying it again is recorded.
    assert_eq!(app.get(&link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_tail(1).await[0].2, "unknown_or_expired_link");
    // Signing in with a recovery code works, once.
    let (page, cookies) = app.post_login("rosa@staff.example", password).await;
    assert_eq!(page.location(), "/login/code?next=%2Fstaff");
    let signed_in = app.post_code(&cookies, &codes[0]).await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    let (_, cookies) = app.post_login("rosa@staff.example", password).await;
    let reused = app.post_code(&cookies, &codes[0]).await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once() {
    let app = TestApp::new().await;
    let admin = app.staff(Role::Admin).await;
    let worker = app.staff(Role::CaseManager).await;
    let admin_browser = app.sign_in(&admin).await;
    let worker_browser = app.sign_in(&worker).await;
    app.confirm(&admin, &admin_browser).await;
    let path = format!("/staff/admin/users/{}/disable", worker.id);
    let done = app.post_as(&path, &admin_browser, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let after = app.get_as("/staff", &worker_browser).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login"));
    let (login, _) = app.post_login(&worker.email, &worker.password).await;
    assert_eq!(
        login.status,
        StatusCode::UNAUTHORIZED,
        "a disabled account cannot sign in"
    );
}

#[tokio::test]
async fn a_role_change_needs_reauthentication_and_applies_on_the_next_request() {
    let app = TestApp::new().await;
    let admin = app.staff(Role::Admin).await;
    let worker = app.staff(Role::Evaluator).await;
    let admin_browser = app.sign_in(&admin).await;
    let worker_browser = app.sign_in(&worker).await;
    assert_eq!(
        app.get_as("/staff/admin/users", &worker_browser)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let path = format!("/staff/admin/users/{}/role", worker.id);
    let first = app
        .post_as(&path, &admin_browser, &[("role", "project_manager")])
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert!(
        first.location().starts_with("/staff/reauth?next="),
        "{}",
        first.location()
    );
    let wrong = app
        .post_as(
            "/staff/reauth",
            &admin_browser,
            &[
                ("password", "nope nope nope"),
                ("code", "123456"),
                ("next", "/staff"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let code = admin.fresh_code().await;
    let confirmed = app
        .post_as(
            "/staff/reauth",
            &admin_browser,
            &[
                ("password", &admin.password),
                ("code", &code),
                ("next", "/staff"),
            ],
        )
        .await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
    let changed = app
        .post_as(&path, &admin_browser, &[("role", "project_manager")])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        changed.location(),
        format!("/staff/admin/users/{}", worker.id)
    );
    assert_eq!(
        app.get_as("/staff/admin/users", &worker_browser)
            .await
            .status,
        StatusCode::OK
    );
    let log: Vec<String> = app
        .audit_tail(20)
        .await
        .into_iter()
        .map(|e| format!("{} {}", e.1, e.2))
        .collect();
    assert!(
        log.contains(&"user.change_role ok: evaluator -> project_manager".to_owned()),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_forged_csrf_token_is_refused_and_recorded() {
    let app = TestApp::new().await;
    let admin = app.staff(Role::Admin).await;
    let browser = app.sign_in(&admin).await;
    let forged = Browser {
        csrf: "AAAA".into(),
        ..browser.clone()
    };
    let page = app
        .post_as(
            "/staff/admin/users",
            &forged,
            &[
                ("email", "x@staff.example"),
                ("name", "X"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let missing = app
        .post_raw(
            "/staff/sign-out",
            Some(&browser.cookies),
            encode(&[]).into_bytes(),
            &[],
        )
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let outcomes: Vec<String> = app.audit_tail(2).await.into_iter().map(|e| e.2).collect();
    assert_eq!(outcomes, ["csrf_refused", "csrf_refused"]);
    assert!(
        app.db
            .accounts()
            .await
            .unwrap()
            .iter()
            .all(|a| a.email != "x@staff.example")
    );
}

#[tokio::test]
async fn an_idle_session_ends_and_sign_out_ends_one_at_once() {
    let app = TestApp::new().await;
    let staff = app.staff(Role::Evaluator).await;
    let browser = app.sign_in(&staff).await;
    // Sixteen minutes without use (the default idle limit is fifteen).
    app.test_db
        .execute(&format!(
            "UPDATE sessions SET last_seen = {} WHERE user_id = '{}'",
            app.test_db
                .timestamp_sql(time::OffsetDateTime::now_utc() - time::Duration::minutes(16)),
            staff.id
        ))
        .await;
    let page = app.get_as("/staff", &browser).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let outcomes: Vec<String> = app
        .audit_tail(3)
        .await
        .into_iter()
        .map(|e| format!("{} {}", e.1, e.2))
        .collect();
    assert!(
        outcomes.contains(&"session.end idle".to_owned()),
        "{outcomes:?}"
    );

    let browser = app.sign_in(&staff).await;
    let out = app.post_as("/staff/sign-out", &browser, &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_as("/staff", &browser).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn people_see_and_end_their_own_sessions_only() {
    let app = TestApp::new().await;
    let one = app.staff(Role::Evaluator).await;
    let other = app.staff(Role::Evaluator).await;
    let laptop = app.sign_in(&one).await;
    let phone = app.sign_in(&one).await;
    let _theirs = app.sign_in(&other).await;
    let list = app.get_as("/staff/sessions", &laptop).await;
    assert_eq!(
        list.body.matches("<tr>").count(),
        3,
        "a header and two sessions: {}",
        list.body
    );
    let sessions = app
        .db
        .sessions_of(one.id, leadhub_store::now(), Default::default())
        .await
        .unwrap();
    let theirs = app
        .db
        .sessions_of(other.id, leadhub_store::now(), Default::default())
        .await
        .unwrap();
    let foreign = app
        .post_as(
            &format!("/staff/sessions/{}/end", theirs[0].id),
            &laptop,
            &[],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    // End the phone's session from the laptop (the newest is the phone).
    let ended = app
        .post_as(
            &format!("/staff/sessions/{}/end", sessions[0].id),
            &laptop,
            &[],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_as("/staff", &phone).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.get_as("/staff", &laptop).await.status, StatusCode::OK);
}

#[tokio::test]
async fn guessing_app_codes_after_a_known_password_is_slowed_down_too() {
    let app = TestApp::new().await;
    let staff = app.staff(Role::CaseManager).await;
    // Each round: the right password (which no longer forgets the failures), a wrong code.
    for round in 0..4 {
        let (page, cookies) = app.post_login(&staff.email, &staff.password).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "round {round}: {}",
            page.body
        );
        let code = app.post_code(&cookies, "000000").await;
        assert_eq!(code.status, StatusCode::UNAUTHORIZED, "round {round}");
    }
    let (page, _) = app.post_login(&staff.email, &staff.password).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.body);
}

#[tokio::test]
async fn unknown_emails_slow_down_exactly_like_real_ones() {
    let app = TestApp::new().await;
    let staff = app.staff(Role::Evaluator).await;
    for email in [staff.email.as_str(), "nobody-here@staff.example"] {
        let statuses: Vec<StatusCode> = {
            let mut out = Vec::new();
            for _ in 0..5 {
                out.push(app.post_login(email, "wrong guess number").await.0.status);
            }
            out
        };
        assert_eq!(
            statuses,
            [
                StatusCode::UNAUTHORIZED,
                StatusCode::UNAUTHORIZED,
                StatusCode::UNAUTHORIZED,
                StatusCode::UNAUTHORIZED,
                StatusCode::TOO_MANY_REQUESTS
            ],
            "{email}"
        );
    }
}

#[tokio::test]
async fn demo_accounts_sign_in_only_in_demo_mode() {
    use leadhub_domain::credentials::{NewPassword, TotpSecret};
    let app = TestApp::new().await;
    let password = "velvet harbor nineteen quarries";
    let account = leadhub_store::NewAccount {
        email: "demo-eve@staff.example".parse().unwrap(),
        name: "Demo Eve".into(),
        role: Role::Evaluator,
        organization: None,
    };
    let parsed = NewPassword::parse(password, password, &[]).unwrap();
    app.db
        .add_enrolled_account(&account, &parsed, &TotpSecret::generate(), true)
        .await
        .unwrap();
    let (page, _) = app.post_login("demo-eve@staff.example", password).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn administrators_do_not_change_their_own_role_or_access() {
    let app = TestApp::new().await;
    let admin = app.staff(Role::Admin).await;
    let browser = app.sign_in(&admin).await;
    app.confirm(&admin, &browser).await;
    let own = format!("/staff/admin/users/{}", admin.id);
    let role = app
        .post_as(
            &format!("{own}/role"),
            &browser,
            &[("role", "project_manager")],
        )
        .await;
    assert_eq!(role.status, StatusCode::CONFLICT);
    let disable = app.post_as(&format!("{own}/disable"), &browser, &[]).await;
    assert_eq!(disable.status, StatusCode::CONFLICT);
    assert_eq!(
        app.get_as("/staff/admin/users", &browser).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn promotion_to_a_role_that_sees_people_requires_setting_up_an_app() {
    let app = TestApp::new().await;
    let admin = app.staff(Role::Admin).await;
    let evaluator = app.staff(Role::Evaluator).await;
    // An evaluator enrolled without an app (their role needs none).
    let invitation = app
        .db
        .add_account(
            &leadhub_store::NewAccount {
                email: "no-app@staff.example".parse().unwrap(),
                name: "No App".into(),
                role: Role::Evaluator,
                organization: None,
            },
            &leadhub_store::Actor::System,
            None,
            leadhub_store::now(),
        )
        .await
        .unwrap()
        .unwrap();
    let password = "copper meadow lantern ferries";
    let parsed = leadhub_domain::credentials::NewPassword::parse(password, password, &[]).unwrap();
    let client = leadhub_store::Client {
        address: "test",
        agent: "test",
    };
    let done = app
        .db
        .complete_enrolment(&invitation.token, &parsed, "", client, leadhub_store::now())
        .await
        .unwrap();
    assert!(matches!(done, leadhub_store::Enrolled::Done(ref codes) if codes.is_empty()));
    let (page, cookies) = app.post_login("no-app@staff.example", password).await;
    assert_eq!(page.location(), "/staff");
    let session = crate::support::session_cookie(&page).unwrap();
    let _ = (cookies, evaluator);

    let browser = app.sign_in(&admin).await;
    app.confirm(&admin, &browser).await;
    let changed = app
        .post_as(
            &format!("/staff/admin/users/{}/role", invitation.user_id),
            &browser,
            &[("role", "case_manager")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(
        changed.body.contains("/enrol/"),
        "a new set-up link is shown"
    );
    // Their session has ended, and the old password no longer works.
    assert_eq!(
        app.get_with("/staff", &[("cookie", &session)]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_login("no-app@staff.example", password)
            .await
            .0
            .status,
        StatusCode::UNAUTHORIZED
    );
}
