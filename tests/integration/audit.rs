//! The audit log refuses changes, and `verify_audit_chain` catches the ones made around it.

use leadhub_store::AuditVerification;
use sqlx::Connection;

use crate::support::{MINIMAL, TestApp};

/// Runs raw SQL on the test database with its own connection, as someone with database access
/// (not leadhub) would. Returns whether the statement succeeded.
async fn raw(url: &str, sql: &str) -> bool {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut c).await.is_ok()
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut c).await.is_ok()
    }
}

/// An app whose audit log holds exactly `n` entries: its start-up entry and `n - 1` referrals.
async fn app_with_entries(n: usize) -> TestApp {
    let app = TestApp::new().await;
    assert_eq!(
        app.db.audit_len().await.unwrap(),
        1,
        "start-up writes one entry (the form key)"
    );
    for _ in 1..n {
        assert_eq!(app.refer(MINIMAL).await.status, 303);
    }
    assert_eq!(
        app.db.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact { entries: n as u64 }
    );
    app
}

async fn drop_guards(url: &str) {
    let sql = if url.starts_with("sqlite") {
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
    } else {
        "ALTER TABLE audit_log DISABLE TRIGGER USER"
    };
    assert!(raw(url, sql).await, "could not drop the audit triggers");
}

fn broken_at(result: AuditVerification) -> i64 {
    match result {
        AuditVerification::Broken { seq, .. } => seq,
        AuditVerification::Intact { entries } => {
            panic!("tampering not detected ({entries} entries intact)")
        }
    }
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_audit_entries() {
    let app = app_with_entries(2).await;
    let url = &app.test_db.url;
    assert!(
        !raw(
            url,
            "UPDATE audit_log SET actor = 'someone else' WHERE seq = 1"
        )
        .await
    );
    assert!(!raw(url, "DELETE FROM audit_log WHERE seq = 2").await);
    assert_eq!(app.db.audit_len().await.unwrap(), 2);
}

#[tokio::test]
async fn verification_names_the_first_edited_entry() {
    let app = app_with_entries(4).await;
    drop_guards(&app.test_db.url).await;
    assert!(
        raw(
            &app.test_db.url,
            "UPDATE audit_log SET action = 'referral.read' WHERE seq = 3"
        )
        .await
    );
    assert_eq!(broken_at(app.db.verify_audit_chain().await.unwrap()), 3);
}

#[tokio::test]
async fn verification_notices_a_deleted_entry() {
    let app = app_with_entries(4).await;
    drop_guards(&app.test_db.url).await;
    assert!(raw(&app.test_db.url, "DELETE FROM audit_log WHERE seq = 2").await);
    assert_eq!(broken_at(app.db.verify_audit_chain().await.unwrap()), 2);
}

#[tokio::test]
async fn verification_notices_reordered_entries() {
    let app = app_with_entries(4).await;
    drop_guards(&app.test_db.url).await;
    let swap = "UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; \
                UPDATE audit_log SET seq = 3 WHERE seq = 100;";
    assert!(raw(&app.test_db.url, swap).await);
    assert_eq!(broken_at(app.db.verify_audit_chain().await.unwrap()), 2);
}

#[tokio::test]
async fn verification_notices_entries_cut_off_the_end() {
    let app = app_with_entries(3).await;
    drop_guards(&app.test_db.url).await;
    assert!(raw(&app.test_db.url, "DELETE FROM audit_log WHERE seq = 3").await);
    assert_eq!(broken_at(app.db.verify_audit_chain().await.unwrap()), 3);
    // The head itself refuses to move back.
    assert!(!raw(&app.test_db.url, "UPDATE audit_head SET seq = 2").await);
}

#[tokio::test]
async fn concurrent_writers_keep_one_unbroken_chain() {
    let app = TestApp::new().await;
    let sends = (0..64).map(|_| app.refer(MINIMAL));
    for page in futures_util::future::join_all(sends).await {
        assert_eq!(page.status, 303, "{}", page.body);
    }
    assert_eq!(
        app.db.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact { entries: 65 }
    );
}

#[tokio::test]
async fn every_one_of_many_concurrent_reads_leaves_its_entry_in_an_intact_chain() {
    let app = TestApp::new().await;
    let manager = app.staff(leadhub_domain::access::Role::CaseManager).await;
    let person = app.participant(manager.id, false).await;
    let reader = leadhub_store::Reader {
        id: manager.id,
        role: leadhub_domain::access::Role::CaseManager,
        organization: None,
    };
    let before = app.db.audit_len().await.unwrap();
    let reads = (0..64).map(|_| {
        let db = app.db.clone();
        let reader = reader.clone();
        tokio::spawn(async move {
            db.open_participant(
                &reader,
                leadhub_domain::access::Scope::Own,
                person,
                "test",
                leadhub_store::now(),
            )
            .await
            .unwrap()
        })
    });
    for read in futures_util::future::join_all(reads).await {
        assert!(matches!(read.unwrap(), leadhub_store::Opened::Shown(_)));
    }
    assert_eq!(app.db.audit_len().await.unwrap(), before + 64);
    assert!(matches!(
        app.db.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact { .. }
    ));
}
