//! The permission matrix, enforced: every staff route (from the router's own table) × every
//! role and anonymous × one's own record and someone else's. A new staff route is covered
//! without touching this file; a route the table declares but the router does not serve, or
//! serves without its check, fails here.

use axum::http::StatusCode;
use leadhub_domain::access::{Role, Scope};
use leadhub_web::{Record, StaffRoute, staff_routes};

use crate::support::{Browser, Staff, TestApp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    Own,
    Other,
}

/// The concrete path for `route` as `who` asks for their own or another's record.
async fn path_for(
    app: &TestApp,
    route: &StaffRoute,
    who: &Staff,
    whose: Whose,
    other: &Staff,
) -> String {
    let subject = match whose {
        Whose::Own => who,
        Whose::Other => other,
    };
    let id = match route.record {
        Record::None => return route.path.to_owned(),
        Record::User => subject.id.to_string(),
        // Own: in the asker's caseload and released to their organisation; other: in
        // someone else's caseload, released to no one.
        Record::Participant => app
            .participant(subject.id, whose == Whose::Own)
            .await
            .to_string(),
        // The queue is the whole site's: any referral will do for either.
        Record::Referral => {
            let sent = app.refer(crate::support::MINIMAL).await;
            app.stored_referral(&sent).await.id
        }
        Record::Inquiry => app.inquiry("How do I refer someone?").await.to_string(),
        // Meetings are the site's: any will do for either.
        Record::Meeting => {
            let now = leadhub_store::now();
            let meeting = leadhub_domain::owg::NewMeeting {
                starts_at: now + time::Duration::days(7),
                day: jiff::civil::date(2030, 1, 8),
                place: "Lake Street office".into(),
            };
            app.db
                .plan_meeting(&leadhub_store::Actor::System, &meeting, "127.0.0.1", now)
                .await
                .unwrap()
                .to_string()
        }
        Record::Session => app
            .db
            .sessions_of(subject.id, leadhub_store::now(), Default::default())
            .await
            .unwrap()
            .first()
            .expect("the account has signed in")
            .id
            .to_string(),
    };
    route.path.replace("{id}", &id)
}

/// Sends the route's request; forms carry the asker's own password and app code, so a
/// route that checks them (re-authentication) answers on permission, not on a wrong password.
async fn send(
    app: &TestApp,
    route: &StaffRoute,
    path: &str,
    asker: Option<(&Staff, &Browser)>,
) -> crate::support::Page {
    match (route.method, asker) {
        ("GET", Some((_, b))) => app.get_as(path, b).await,
        ("GET", None) => app.get(path).await,
        (_, Some((staff, b))) if route.path == "/staff/reauth" => {
            let code = staff.fresh_code().await;
            let fields = [
                ("role", "evaluator"),
                ("next", "/staff"),
                ("password", staff.password.as_str()),
                ("code", code.as_str()),
            ];
            app.post_as(path, b, &fields).await
        }
        (_, Some((_, b))) => {
            app.post_as(path, b, &[("role", "evaluator"), ("next", "/staff")])
                .await
        }
        (_, None) => {
            app.post_raw(path, None, b"role=evaluator".to_vec(), &[])
                .await
        }
    }
}

#[tokio::test]
async fn every_staff_route_is_guarded_for_every_role_and_record() {
    let app = TestApp::new().await;
    let routes = staff_routes();
    assert!(!routes.is_empty());
    let mut checked = 0;
    // One signed-in account per role for requests that change nothing (pages, refusals);
    // requests that may change something get a fresh account and session each, since some
    // end sessions, disable accounts or change roles.
    let mut standing = std::collections::HashMap::new();
    for role in Role::ALL {
        let staff = app.staff(role).await;
        let browser = app.sign_in(&staff).await;
        standing.insert(role, (staff, browser));
    }
    for route in &routes {
        let variants: &[Whose] = if route.record == Record::None {
            &[Whose::Own]
        } else {
            &[Whose::Own, Whose::Other]
        };
        // Anonymous: page requests are sent to sign in, anything else is a 401.
        let other = app.staff(Role::Evaluator).await;
        app.sign_in(&other).await;
        for whose in variants {
            let path = path_for(&app, route, &other, *whose, &other).await;
            let page = send(&app, route, &path, None).await;
            if route.method == "GET" {
                assert_eq!(
                    page.status,
                    StatusCode::SEE_OTHER,
                    "anonymous {} {path}",
                    route.method
                );
                assert!(
                    page.location().starts_with("/login?next="),
                    "anonymous {path}"
                );
            } else {
                assert_eq!(
                    page.status,
                    StatusCode::UNAUTHORIZED,
                    "anonymous {} {path}",
                    route.method
                );
            }
            checked += 1;
        }
        for role in Role::ALL {
            for whose in variants {
                let changes_something =
                    route.method != "GET" && route.need.scope_for(role).is_some();
                let (who, browser) = if changes_something {
                    let who = app.staff(role).await;
                    let browser = app.sign_in(&who).await;
                    (who, browser)
                } else {
                    standing[&role].clone()
                };
                let path = path_for(&app, route, &who, *whose, &other).await;
                let page = send(&app, route, &path, Some((&who, &browser))).await;
                let case = format!("{role} {} {path} ({whose:?})", route.method);
                match route.need.scope_for(role) {
                    None => {
                        assert_eq!(page.status, StatusCode::FORBIDDEN, "{case}");
                        let last = app.audit_tail(1).await;
                        assert_eq!(last[0].1, "staff.access", "{case}");
                        assert_eq!(last[0].2, "forbidden", "{case}");
                    }
                    Some(_) => {
                        let refused_by_scope = route.record == Record::Participant
                            && *whose == Whose::Other
                            && matches!(
                                route.need.scope_for(role),
                                Some(Scope::Own | Scope::Consented)
                            );
                        assert!(
                            refused_by_scope
                                || ![
                                    StatusCode::UNAUTHORIZED,
                                    StatusCode::FORBIDDEN,
                                    StatusCode::INTERNAL_SERVER_ERROR
                                ]
                                .contains(&page.status),
                            "{case}: {} {}",
                            page.status,
                            page.body
                        );
                        if route.record == Record::Session && *whose == Whose::Other {
                            // Sessions are one's own only: someone else's is not found.
                            assert_eq!(page.status, StatusCode::NOT_FOUND, "{case}");
                        }
                        let narrow = matches!(
                            route.need.scope_for(role),
                            Some(Scope::Own | Scope::Consented)
                        );
                        if route.record == Record::Participant && *whose == Whose::Other && narrow {
                            // Out of their caseload, or not covered by a release: refused.
                            assert_eq!(page.status, StatusCode::FORBIDDEN, "{case}");
                        }
                    }
                }
                checked += 1;
            }
        }
    }
    let cases: usize = routes
        .iter()
        .map(|r| if r.record == Record::None { 1 } else { 2 } * (Role::ALL.len() + 1))
        .sum();
    assert_eq!(checked, cases);
}

#[tokio::test]
async fn ids_that_do_not_exist_are_not_found() {
    let app = TestApp::new().await;
    let admin = app.staff(Role::Admin).await;
    let browser = app.sign_in(&admin).await;
    app.confirm(&admin, &browser).await;
    let missing = leadhub_domain::ids::UserId::new();
    for path in [
        format!("/staff/admin/users/{missing}"),
        "/staff/admin/users/not-an-id".to_owned(),
    ] {
        assert_eq!(
            app.get_as(&path, &browser).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let post = app
        .post_as(
            &format!("/staff/admin/users/{missing}/disable"),
            &browser,
            &[],
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
}
