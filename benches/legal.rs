//! Legal coordination (issue 8) with the large demo data set: a booking feed of 10,000 rows
//! read and matched against every participant, and an Operational Workgroup agenda built
//! from the flags and read by the project manager. Prints times, counts and memory.
//!
//! `cargo bench --bench legal`; `PEOPLE` (default 100,000), `CONTACTS` (default 1,000,000)
//! and `ROWS` (default 10,000) size it; with `TEST_DATABASE_URL=postgres://…` it runs on
//! PostgreSQL. Memory is the process's resident set (Linux): the peak is reset before the
//! import, so "peak during" less "before" is what the import added at most.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_debug_implementations
)]

#[allow(dead_code)]
#[path = "../tests/integration/support.rs"]
mod support;

#[allow(dead_code)]
mod load;

use std::time::Instant;

use leadhub_domain::SiteProfile;
use leadhub_domain::access::{Role, Scope};
use leadhub_domain::booking::{self, ColumnMap};
use leadhub_domain::owg::NewMeeting;
use leadhub_store::{Actor, Caseworker, DemoSpec, Imported};
use load::count;
use support::TestApp;

/// A field of /proc/self/status in MiB (VmRSS, VmHWM).
fn memory(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resets the peak resident set to the current one (Linux 4.0 and later).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Family names no demo participant has, for the feed's strangers.
const STRANGERS: [&str; 8] = [
    "Qorxowaaye",
    "Vandermeer",
    "Okonkwo",
    "Lindqvist",
    "Castellanos-Brandt",
    "Thunderbird",
    "Nakagawa",
    "Oyelaran",
];

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let spec = DemoSpec::sized(count("PEOPLE", 100_000), count("CONTACTS", 1_000_000), 7);
        let rows = count("ROWS", 10_000);
        let app = TestApp::new().await;
        let site = SiteProfile::minneapolis().unwrap();
        let keys: Vec<String> = site.places.iter().map(|p| p.key.clone()).collect();
        let started = Instant::now();
        let summary = app
            .db
            .seed_demo(&spec, &site.calendar, &keys, leadhub_store::now())
            .await
            .unwrap();
        println!(
            "backend {}: seeded {} people, {} participants, {} contacts in {:.1} s",
            app.test_db.backend(),
            summary.people,
            summary.participants,
            summary.contacts,
            started.elapsed().as_secs_f64()
        );
        let pm = app.staff(Role::ProjectManager).await;
        let actor = Actor::User {
            id: pm.id,
            role: Role::ProjectManager,
        };

        // The feed: one row in twenty a participant as recorded (name and a date in their
        // birth year), the rest strangers with the same given names.
        let known = app
            .test_db
            .query_strings(
                "SELECT COALESCE(pe.given_name, '') || ',' || COALESCE(pe.family_name, '') || ',' || \
                 CAST(pe.birth_year AS TEXT) FROM people pe JOIN participants p ON p.person_id = pe.id \
                 WHERE pe.birth_year IS NOT NULL AND pe.given_name IS NOT NULL AND pe.family_name IS NOT NULL \
                 ORDER BY pe.id LIMIT 2000",
            )
            .await;
        let mut csv = String::from("first_name,last_name,dob,booked_at,charges,agency\n");
        for n in 0..rows {
            // Every twentieth row a different participant, the rest strangers.
            let person: Vec<&str> = known[(n / 20) % known.len()].split(',').collect();
            let (given, family, year) = (person[0], person[1], person[2]);
            let family = if n % 20 == 0 {
                family
            } else {
                STRANGERS[n % STRANGERS.len()]
            };
            csv.push_str(&format!(
                "{given},{family},{year}-06-15,2026-11-20 {:02}:{:02},Trespass; Theft,Hennepin County Sheriff\n",
                n % 24,
                n % 60
            ));
        }
        let now = leadhub_store::now();
        let t = Instant::now();
        let feed = booking::read(
            csv.as_bytes(),
            &ColumnMap::default(),
            "",
            site.calendar.time_zone(),
            now,
        )
        .unwrap();
        println!(
            "booking feed: {} rows, {:.1} MiB of CSV, read and checked in {:.0} ms",
            feed.len(),
            csv.len() as f64 / (1024.0 * 1024.0),
            t.elapsed().as_secs_f64() * 1000.0
        );
        reset_peak();
        let before = memory("VmRSS:");
        let t = Instant::now();
        let imported = app
            .db
            .import_bookings(&actor, &feed, "127.0.0.1", now)
            .await
            .unwrap();
        let took = t.elapsed().as_secs_f64();
        let Imported::Done(_, counts) = imported else {
            panic!("people changed during the bench")
        };
        println!(
            "booking import against {} participants: {:.2} s ({:.0} rows/s); {} linked, {} to review, {} discarded",
            summary.participants,
            took,
            feed.len() as f64 / took,
            counts.linked,
            counts.to_review,
            counts.discarded
        );
        println!(
            "booking import memory: resident {before:.0} MiB before, peak {:.0} MiB during, {:.0} MiB after",
            memory("VmHWM:"),
            memory("VmRSS:")
        );

        // The agenda two days from now, built, rebuilt and read by the project manager.
        let starts = now + time::Duration::days(2);
        let meeting = NewMeeting {
            starts_at: starts,
            day: site.calendar.day_of(starts),
            place: "Lake Street office".into(),
        };
        let t = Instant::now();
        let id = app
            .db
            .plan_meeting(&actor, &meeting, "127.0.0.1", now)
            .await
            .unwrap();
        println!(
            "OWG agenda built (meeting planned) in {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
        let t = Instant::now();
        app.db
            .rebuild_agenda(&actor, id, "127.0.0.1", leadhub_store::now())
            .await
            .unwrap();
        println!(
            "OWG agenda rebuilt in {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
        let worker = Caseworker {
            user: pm.id,
            role: Role::ProjectManager,
            scope: Scope::All,
            organization: None,
            address: "127.0.0.1",
            now: leadhub_store::now(),
        };
        let t = Instant::now();
        let view = app.db.meeting(&worker, id).await.unwrap().unwrap();
        let mut by_flag = std::collections::BTreeMap::new();
        for item in &view.items {
            for flag in &item.flags {
                *by_flag.entry(flag.code()).or_insert(0) += 1;
            }
        }
        println!(
            "OWG agenda read by the project manager ({} items, every participant an audited read) in {:.0} ms; items by reason: {by_flag:?}",
            view.items.len(),
            t.elapsed().as_secs_f64() * 1000.0
        );

        // The Outcomes page with the feed's arrests in the panel: the panel read, the four
        // binomial outcomes' eight fits and the arrests' Poisson fit, one request at a time.
        let browser = app.sign_in(&pm).await;
        for _ in 0..3 {
            let t = Instant::now();
            let page = app.get_as("/staff/outcomes", &browser).await;
            assert_eq!(page.status, axum::http::StatusCode::OK);
            let arrests = page
                .body
                .split("<h2 id=\"arrests-h\">")
                .nth(1)
                .and_then(|rest| rest.split("</tbody>").next())
                .unwrap_or_default()
                .split("<td")
                .skip(1)
                .map(|cell| {
                    let text = cell.split_once('>').map_or("", |(_, t)| t);
                    text.split('<').next().unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" | ");
            println!(
                "GET /staff/outcomes (project manager) with arrests: {:.0} ms; arrests row: {arrests}",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    });
}
