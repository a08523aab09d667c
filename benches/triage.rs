//! Triage (issue 4): the referral queue page under load with a large queue, and the job
//! queue's throughput. Prints p50/p99 latency and requests per second for the queue page as
//! the project manager sees it (64 requests in flight, through the router in process), then
//! how fast reminders and escalations are queued and run.
//!
//! `cargo bench --bench triage`; `OPEN` (default 10,000) and `CLOSED` (default 100,000) set the
//! queue; with `TEST_DATABASE_URL=postgres://…` it runs on PostgreSQL instead of SQLite.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_debug_implementations
)]

#[allow(dead_code)]
#[path = "../tests/integration/support.rs"]
mod support;

mod load;

use std::sync::Arc;
use std::time::Instant;

use axum::http::StatusCode;
use leadhub_domain::SiteProfile;
use leadhub_domain::access::Role;
use load::{count, load};
use support::TestApp;

struct Plain;

impl leadhub_store::JobServices for Plain {
    fn acknowledgement(&self, _: &str, code: &str) -> leadhub_store::Email {
        leadhub_store::Email {
            subject: code.into(),
            body: code.into(),
        }
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (open, closed) = (count("OPEN", 10_000), count("CLOSED", 100_000));
        let app = TestApp::new().await;
        let site = SiteProfile::minneapolis().unwrap();
        let keys: Vec<String> = site.places.iter().map(|p| p.key.clone()).collect();
        let started = Instant::now();
        app.db
            .seed_bench_referrals(open, closed, &site.calendar, &keys, leadhub_store::now())
            .await
            .unwrap();
        println!(
            "backend {}: seeded {open} open and {closed} closed referrals in {:.1} s",
            app.test_db.backend(),
            started.elapsed().as_secs_f64()
        );
        let pm = app.staff(Role::ProjectManager).await;
        let browser = Arc::new(app.sign_in(&pm).await);
        let app = Arc::new(app);
        for path in [
            "/staff/referrals",
            "/staff/referrals?view=overdue",
            "/staff/referrals?door=community&sort=newest",
            "/staff/referrals?page=100",
        ] {
            let (app, browser) = (app.clone(), browser.clone());
            load(&format!("GET {path}"), StatusCode::OK, move |_| {
                let (app, browser) = (app.clone(), browser.clone());
                async move { app.get_as(path, &browser).await }
            })
            .await;
        }

        // Jobs: queue the clock jobs of every unanswered referral, then run them all.
        let started = Instant::now();
        let queued = app.db.ensure_clock_jobs().await.unwrap();
        let queue_time = started.elapsed();
        let started = Instant::now();
        let later = leadhub_store::now() + time::Duration::days(90);
        let mut ran = 0;
        loop {
            let n = app.db.run_due_jobs(&Plain, &|| later, 1_000).await.unwrap();
            if n == 0 {
                break;
            }
            ran += n;
        }
        let run_time = started.elapsed();
        println!(
            "jobs: queued {} in {:.2} s ({:.0}/s); ran {ran} in {:.2} s ({:.0} jobs/s, one worker)",
            queued * 2,
            queue_time.as_secs_f64(),
            (queued * 2) as f64 / queue_time.as_secs_f64(),
            run_time.as_secs_f64(),
            ran as f64 / run_time.as_secs_f64().max(1e-9),
        );
    });
}
