//! Staff accounts and the audit log (issue 3): argon2id hashing and checking, a whole
//! password sign-in through the router, and `audit verify` over a long log.
//!
//! `cargo bench --bench accounts`; `AUDIT_ENTRIES` (default 1,000,000) sets the log length
//! for the verify measurement, which runs once per backend (PostgreSQL when
//! `TEST_DATABASE_URL` is set) and prints its time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, header};
use criterion::Criterion;
use http_body_util::BodyExt;
use leadhub_domain::SiteProfile;
use leadhub_domain::access::Role;
use leadhub_domain::credentials::{NewPassword, TotpSecret};
use leadhub_store::{AuditVerification, Db, NewAccount};
use leadhub_web::{AppState, WebConfig};
use tower::ServiceExt;

const PASSWORD: &str = "velvet harbor nineteen quarries";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn passwords(c: &mut Criterion) {
    let password = NewPassword::parse(PASSWORD, PASSWORD, &[]).unwrap();
    let stored = password.hash();
    let mut group = c.benchmark_group("argon2id m=19MiB t=2 p=1");
    group.sample_size(20);
    group.bench_function("hash a new password", |b| {
        b.iter(|| black_box(password.hash()))
    });
    group.bench_function("check a password", |b| {
        b.iter(|| assert!(stored.verify(black_box(PASSWORD))))
    });
    group.finish();
}

fn sign_in(c: &mut Criterion) {
    let runtime = runtime();
    let dir = tempfile::tempdir().unwrap();
    let (router, form_cookie, token) = runtime.block_on(async {
        let db = Db::connect(&format!("sqlite://{}", dir.path().join("b.db").display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let account = NewAccount {
            email: "eve@staff.example".parse().unwrap(),
            name: "Eve".into(),
            role: Role::Evaluator,
            organization: None,
        };
        let password = NewPassword::parse(PASSWORD, PASSWORD, &[]).unwrap();
        db.add_enrolled_account(&account, &password, &TotpSecret::generate(), false)
            .await
            .unwrap();
        let state = AppState::new(
            db,
            SiteProfile::minneapolis().unwrap(),
            WebConfig::default(),
        )
        .await
        .unwrap();
        let router = leadhub_web::router(state);
        let mut request = Request::get("/login").body(Body::empty()).unwrap();
        request.extensions_mut().insert(ConnectInfo(client()));
        let response = router.clone().oneshot(request).await.unwrap();
        let cookie = response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body = String::from_utf8(
            response
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
        .unwrap();
        let token = body
            .split("name=\"form_token\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        (router, cookie, token)
    });
    let body = format!(
        "form_token={token}&email=eve%40staff.example&password=velvet+harbor+nineteen+quarries"
    );
    let mut group = c.benchmark_group("sign-in");
    group.sample_size(20);
    group.bench_function("POST /login (password right, role without app code)", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut request = Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &form_cookie)
                .body(Body::from(body.clone()))
                .unwrap();
            request.extensions_mut().insert(ConnectInfo(client()));
            let response = router.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), 303);
        });
    });
    group.finish();
}

fn client() -> SocketAddr {
    "127.0.0.1:9".parse().unwrap()
}

/// Times `audit verify` on a log of `AUDIT_ENTRIES` entries, on each available backend.
fn verify_long_log() {
    let entries: u64 = std::env::var("AUDIT_ENTRIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let runtime = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![format!(
        "sqlite://{}",
        dir.path().join("audit.db").display()
    )];
    if let Ok(admin) = std::env::var("TEST_DATABASE_URL") {
        urls.push(admin);
    }
    for url in urls {
        runtime.block_on(async {
            let db = if url.starts_with("postgres") {
                fresh_postgres(&url).await
            } else {
                Db::connect(&url).await.unwrap()
            };
            db.migrate().await.unwrap();
            let filled = Instant::now();
            db.append_bench_entries(entries).await.unwrap();
            let fill = filled.elapsed();
            let started = Instant::now();
            let result = db.verify_audit_chain().await.unwrap();
            let took = started.elapsed();
            assert!(matches!(result, AuditVerification::Intact { .. }), "{result:?}");
            println!(
                "audit verify, {} backend, {entries} entries: {:.2} s ({:.0} entries/s); appending them took {:.1} s",
                db.backend().name(),
                took.as_secs_f64(),
                entries as f64 / took.as_secs_f64(),
                fill.as_secs_f64()
            );
            db.close().await;
        });
    }
}

async fn fresh_postgres(admin_url: &str) -> Db {
    use sqlx::Connection;
    let name = format!("lh_bench_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        r#"DROP DATABASE IF EXISTS "{name}""#
    )))
    .execute(&mut admin)
    .await
    .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
        .execute(&mut admin)
        .await
        .unwrap();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    Db::connect(&format!("{base}/{name}")).await.unwrap()
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    passwords(&mut criterion);
    sign_in(&mut criterion);
    criterion.final_summary();
    verify_long_log();
}
