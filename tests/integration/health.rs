use axum::http::StatusCode;
use leadhub_store::MIGRATION_VERSIONS;

use crate::support::{TestApp, TestDb};

#[tokio::test]
async fn healthz_names_the_database() {
    let app = TestApp::new().await;
    let page = app.get("/healthz").await;
    assert_eq!(page.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"], app.test_db.backend());
    assert_eq!(page.headers["content-type"], "application/json");
}

#[tokio::test]
async fn healthz_reports_an_unreachable_database() {
    let app = TestApp::new().await;
    app.db.close().await;
    let page = app.get("/healthz").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.body.contains("\"status\":\"unavailable\""),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn migrations_apply_every_listed_version_and_are_idempotent() {
    let t = TestDb::new().await;
    t.db.migrate().await.unwrap();
    let applied = t.db.applied_migrations().await.unwrap();
    let listed: Vec<i64> = MIGRATION_VERSIONS.iter().map(|m| m.version).collect();
    assert_eq!(applied, listed);
}
