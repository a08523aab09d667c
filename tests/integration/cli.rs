//! The binary itself: configuration printing and graceful shutdown.

use std::time::Duration;

use crate::support::{TestDb, run_leadhub, spawn_server};

#[tokio::test]
async fn print_config_layers_the_environment_and_hides_the_password() {
    let output = run_leadhub(
        &["print-config"],
        &[
            (
                "DATABASE_URL",
                "postgres://lead:very-secret@db.internal:5432/leadhub",
            ),
            ("LEADHUB_SERVER__BIND", "0.0.0.0:9090"),
            ("LEADHUB_FORMS__RATE_LIMIT_BURST", "3"),
        ],
    )
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("bind = \"0.0.0.0:9090\""), "{text}");
    assert!(text.contains("rate_limit_burst = 3"), "{text}");
    assert!(
        text.contains("postgres://lead:********@db.internal:5432/leadhub"),
        "{text}"
    );
    assert!(!text.contains("very-secret"));
}

#[tokio::test]
async fn unknown_configuration_keys_are_refused_with_a_message() {
    let output = run_leadhub(
        &["print-config"],
        &[("LEADHUB_SERVER__BIDN", "0.0.0.0:9090")],
    )
    .await;
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("bidn"));
}

#[tokio::test]
async fn serve_stops_cleanly_on_sigterm() {
    let test_db = TestDb::new().await;
    let (mut server, _port) = spawn_server(&test_db.url, &[]).await;
    let pid = server.id().unwrap().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::time::timeout(Duration::from_secs(10), server.wait())
        .await
        .expect("stopped in time")
        .unwrap();
    assert!(status.success(), "exit status {status}");
}

#[tokio::test]
async fn docs_metrics_is_the_output_of_leadhub_metrics() {
    let output = run_leadhub(&["metrics"], &[]).await;
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    let documented =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/METRICS.md")).unwrap();
    assert_eq!(
        printed, documented,
        "run `leadhub metrics > docs/METRICS.md`"
    );
}

#[tokio::test]
async fn docs_permissions_is_the_output_of_leadhub_permissions() {
    let output = run_leadhub(&["permissions"], &[]).await;
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    let documented =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/PERMISSIONS.md"))
            .unwrap();
    assert_eq!(
        printed, documented,
        "run `leadhub permissions > docs/PERMISSIONS.md`"
    );
}

#[tokio::test]
async fn a_configuration_file_sits_between_defaults_and_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leadhub.toml");
    std::fs::write(
        &file,
        "[server]\nbind = \"127.0.0.1:7000\"\nhttps = true\n[forms]\nmin_fill_seconds = 5\n",
    )
    .unwrap();
    let output = run_leadhub(
        &["--config", file.to_str().unwrap(), "print-config"],
        &[("LEADHUB_FORMS__MIN_FILL_SECONDS", "7")],
    )
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("bind = \"127.0.0.1:7000\""),
        "the file beats the default: {text}"
    );
    assert!(text.contains("https = true"));
    assert!(
        text.contains("min_fill_seconds = 7"),
        "the environment beats the file: {text}"
    );
    assert!(
        text.contains("max_age_hours = 24"),
        "defaults fill the rest"
    );
}

#[tokio::test]
async fn user_add_prints_a_set_up_link_that_works_once() {
    let app = crate::support::TestApp::new().await;
    let url = app.test_db.url.clone();
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("LEADHUB_SERVER__PUBLIC_URL", "https://lead.example.org/"),
    ];
    let args = [
        "user",
        "add",
        "--email",
        "first.admin@staff.example",
        "--name",
        "First Admin",
        "--role",
        "admin",
    ];
    let output = run_leadhub(&args, &env).await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let link = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let path = link
        .strip_prefix("https://lead.example.org")
        .unwrap_or_else(|| panic!("{link}"))
        .to_owned();
    assert!(path.starts_with("/enrol/"));
    assert_eq!(app.get(&path).await.status, axum::http::StatusCode::OK);
    // The same email again is refused; a bad role is named.
    let again = run_leadhub(&args, &env).await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let bad_role = run_leadhub(
        &[
            "user",
            "add",
            "--email",
            "x@staff.example",
            "--name",
            "X",
            "--role",
            "boss",
        ],
        &env,
    )
    .await;
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("unknown role"));
    // A reset makes a new link; the old one stops working.
    let reset = run_leadhub(
        &[
            "user",
            "reset-sign-in",
            "--email",
            "First.Admin@staff.example",
        ],
        &env,
    )
    .await;
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    assert_eq!(
        app.get(&path).await.status,
        axum::http::StatusCode::NOT_FOUND
    );
    let audit = app.audit_tail(3).await;
    assert!(
        audit
            .iter()
            .any(|e| e.0 == "operator" && e.1 == "user.create"),
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .any(|e| e.0 == "operator" && e.1 == "user.reset_sign_in"),
        "{audit:?}"
    );
}
