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

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_sync_on_every_connection() {
    let t = TestDb::new().await;
    match t.db.sqlite_durability().await.unwrap() {
        // 2 = FULL: a commit is on disk before leadhub acknowledges it.
        Some(settings) => assert!(
            settings
                .iter()
                .all(|(mode, sync)| mode == "wal" && *sync == 2),
            "{settings:?}"
        ),
        None => assert_eq!(t.backend(), "postgres"),
    }
}

#[tokio::test]
async fn an_in_memory_sqlite_database_is_refused() {
    let error = leadhub_store::Db::connect("sqlite::memory:")
        .await
        .unwrap_err();
    assert!(
        matches!(error, leadhub_store::StoreError::InMemory),
        "{error}"
    );
}
