//! `leadhub serve`.

use std::net::SocketAddr;

use anyhow::Context;
use leadhub_store::Backend;
use tokio::net::TcpListener;

use super::commands::{connect, demo_accounts, first_site, seed_demo};
use super::{Config, ServeArgs};

pub async fn serve(mut config: Config, args: ServeArgs) -> anyhow::Result<()> {
    if let Some(bind) = args.bind {
        config.server.bind = bind;
    }
    let site = config.site()?;
    let db = connect(&config).await?;
    if db.backend() == Backend::Sqlite || args.migrate || config.database.migrate_on_start {
        db.migrate().await.context("applying migrations")?;
    }
    if args.demo {
        let was_empty = db.is_empty().await?;
        if was_empty {
            seed_demo(&db, &site, &first_site(&site)).await?;
        } else {
            tracing::info!("database not empty: demo data not added");
        }
        demo_accounts(&db, &site, was_empty).await?;
    }
    let queued = db.ensure_clock_jobs().await.context("queueing reminders")?;
    if queued > 0 {
        tracing::info!(
            queued,
            "reminders queued for unanswered referrals and inquiries"
        );
    }
    let state = leadhub_web::AppState::new(db.clone(), site, config.web(args.demo)?).await?;
    if state.mailer.is_some() {
        let unsent = db.queue_unsent_emails(leadhub_store::now()).await?;
        if unsent > 0 {
            tracing::info!(unsent, "held emails queued for sending");
        }
    }
    // The matching model is fitted once per process (about half a second); done now on a
    // thread of its own, not on the first request that shows possible matches. Not on
    // tokio's blocking pool: the runtime waits for that at shutdown, and a stop signal must
    // not wait for a fit nobody needs any more.
    std::thread::spawn(|| {
        let _fitted = leadhub_matching::lookup_model(1);
    });
    let worker = leadhub_web::jobs::spawn_worker(state.clone());
    let counter = leadhub_web::jobs::spawn_name_counter(state.clone());
    let app = leadhub_web::router(state);
    let listener = TcpListener::bind(config.server.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.bind))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, database = db.backend().name(), "leadhub is listening");
    eprintln!("leadhub: open http://{address}/");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("server error")?;
    worker.abort();
    counter.abort();
    db.close().await;
    tracing::info!("leadhub stopped");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM; in-flight requests are then finished.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
