//! Case management (issue 6) with the large demo data set: a participant's record and plan
//! as the project manager opens them (every read audited), the caseload pages, and logging a contact,
//! each with 64 requests in flight through the router in process. Prints p50/p99 and
//! requests per second.
//!
//! `cargo bench --bench casework`; `ONLY=text` runs the measurements whose label has it;
//! `PEOPLE` (default 100,000) and `CONTACTS` (default
//! 1,000,000) size the data; with `TEST_DATABASE_URL=postgres://…` it runs on PostgreSQL.

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
use leadhub_store::DemoSpec;
use load::{count, load};
use support::TestApp;

/// The participant links on a page.
fn participant_links(body: &str) -> Vec<String> {
    let mut links: Vec<String> = body
        .match_indices("href=\"/staff/participants/")
        .map(|(i, _)| {
            let rest = &body[i + 6..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .filter(|l| l.len() == "/staff/participants/".len() + 36)
        .collect();
    links.dedup();
    links
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let spec = DemoSpec::sized(count("PEOPLE", 100_000), count("CONTACTS", 1_000_000), 7);
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
        // What the job worker does once a day: the lookups below weigh names by these.
        let counting = Instant::now();
        let counted = app.db.count_names(leadhub_store::now()).await.unwrap();
        println!(
            "counted the names of {} people ({} values shared) in {:.1} s",
            counted.people,
            counted.kept,
            counting.elapsed().as_secs_f64()
        );
        let pm = app.staff(Role::ProjectManager).await;
        let cm = app.staff(Role::CaseManager).await;
        app.db
            .seed_demo_caseload(cm.id, "Hennepin County Attorney")
            .await
            .unwrap();
        let pm_browser = Arc::new(app.sign_in(&pm).await);
        let cm_browser = Arc::new(app.sign_in(&cm).await);
        let app = Arc::new(app);

        // Possible matches as a case manager types: the enrolment panel of one referral,
        // for a rotation of people's names as recorded, against everyone indexed.
        {
            let referral = app.test_db.query_strings("SELECT id FROM referrals ORDER BY received_at, reference_code LIMIT 1").await;
            let names = app
                .test_db
                .query_strings(
                    "SELECT COALESCE(given_name, '') || ' ' || COALESCE(family_name, '') FROM people ORDER BY id LIMIT 500",
                )
                .await;
            let paths: Arc<Vec<String>> = Arc::new(
                names
                    .iter()
                    .map(|n| {
                        let name: String = form_urlencoded::byte_serialize(n.as_bytes()).collect();
                        format!("/staff/referrals/{}/matches?name={name}", referral[0])
                    })
                    .collect(),
            );
            let (app, browser) = (app.clone(), cm_browser.clone());
            load(
                "GET /staff/referrals/{id}/matches?name=… (case manager)",
                StatusCode::OK,
                move |n| {
                    let (app, browser, paths) = (app.clone(), browser.clone(), paths.clone());
                    async move { app.get_as(&paths[n % paths.len()], &browser).await }
                },
            )
            .await;
        }

        // The legal lookup as a liaison whose organisation no one has a release to: known
        // participants by their recorded name and birth year (not consented), then strangers
        // with the same given names. Both answers are "no information available"; the two
        // latencies show how far the work differs.
        {
            let liaison = Arc::new(app.sign_in(&app.staff(Role::LegalLiaison).await).await);
            let known = app
                .test_db
                .query_strings(
                    "SELECT COALESCE(pe.given_name, '') || ' ' || COALESCE(pe.family_name, '') || '|' || \
                     CAST(pe.birth_year AS TEXT) FROM people pe JOIN participants p ON p.person_id = pe.id \
                     WHERE pe.birth_year IS NOT NULL ORDER BY pe.id LIMIT 500",
                )
                .await;
            let known: Vec<(String, String)> = known
                .iter()
                .filter_map(|row| row.split_once('|'))
                .map(|(name, year)| (name.to_owned(), format!("{year}-06-15")))
                .collect();
            let strangers: Vec<(String, String)> = known
                .iter()
                .map(|(name, dob)| {
                    let given = name.split_whitespace().next().unwrap_or("Hodan");
                    (format!("{given} Qorxowaaye"), dob.clone())
                })
                .collect();
            for (label, people) in [
                ("POST /staff/legal/lookup (liaison, known but not consented)", known),
                ("POST /staff/legal/lookup (liaison, strangers)", strangers),
            ] {
                let people = Arc::new(people);
                let (app, browser) = (app.clone(), liaison.clone());
                load(label, StatusCode::OK, move |n| {
                    let (app, browser, people) = (app.clone(), browser.clone(), people.clone());
                    async move {
                        let (name, dob) = &people[n % people.len()];
                        let fields = [("name", name.as_str()), ("dob", dob.as_str())];
                        let page = app.post_as("/staff/legal/lookup", &browser, &fields).await;
                        assert!(page.body.contains("No information available."));
                        page
                    }
                })
                .await;
            }
        }

        // Records: a rotation of participants from the team view (each with about 15
        // contacts, as the data set has on average).
        let team = app.get_as("/staff/participants", &pm_browser).await;
        let records = Arc::new(participant_links(&team.body));
        assert!(records.len() > 100, "{} records", records.len());
        {
            let (app, browser, records) = (app.clone(), pm_browser.clone(), records.clone());
            load(
                "GET /staff/participants/{id} (project manager)",
                StatusCode::OK,
                move |n| {
                    let (app, browser, records) = (app.clone(), browser.clone(), records.clone());
                    async move { app.get_as(&records[n % records.len()], &browser).await }
                },
            )
            .await;
        }
        // The plan page of the same people (two in three have goals): goals, steps, the
        // history of each and the partner directory for the referral form.
        {
            let (app, browser, records) = (app.clone(), pm_browser.clone(), records.clone());
            load(
                "GET /staff/participants/{id}/plan (project manager)",
                StatusCode::OK,
                move |n| {
                    let (app, browser, records) = (app.clone(), browser.clone(), records.clone());
                    async move {
                        let path = format!("{}/plan", records[n % records.len()]);
                        app.get_as(&path, &browser).await
                    }
                },
            )
            .await;
        }
        for path in ["/staff/participants", "/staff/participants?view=unseen14"] {
            let (app, browser) = (app.clone(), cm_browser.clone());
            load(
                &format!("GET {path} (case manager)"),
                StatusCode::OK,
                move |_| {
                    let (app, browser) = (app.clone(), browser.clone());
                    async move { app.get_as(path, &browser).await }
                },
            )
            .await;
        }
        {
            let (app, browser) = (app.clone(), pm_browser.clone());
            load(
                "GET /staff/participants?whose=team&view=unseen30 (project manager)",
                StatusCode::OK,
                move |_| {
                    let (app, browser) = (app.clone(), browser.clone());
                    async move {
                        app.get_as("/staff/participants?whose=team&view=unseen30", &browser)
                            .await
                    }
                },
            )
            .await;
        }

        // Data & Results: one count from the database (what a cache miss costs), then the
        // public page and its JSON as visitors get them (counted once, then kept).
        {
            let site = SiteProfile::minneapolis().unwrap();
            let today = site.calendar.day_of(leadhub_store::now());
            let period =
                leadhub_domain::results::parse_as_of(None, site.program_start, today).unwrap();
            let times = if load::wanted("Data & Results counted") { 3 } else { 0 };
            for _ in 0..times {
                let started = Instant::now();
                let counts = app.db.result_counts(period, &site.calendar).await.unwrap();
                println!(
                    "Data & Results counted from the database in {:.1} ms ({} contacts)",
                    started.elapsed().as_secs_f64() * 1000.0,
                    counts.client_contacts()
                );
            }
        }
        for path in ["/data", "/data.json"] {
            let app = app.clone();
            load(&format!("GET {path} (public)"), StatusCode::OK, move |_| {
                let app = app.clone();
                async move { app.get(path).await }
            })
            .await;
        }

        // Outcomes (issue 9): the panel read from the database and eight GEE fits, each time
        // the page is asked for; then the de-identified export.
        for path in ["/staff/outcomes", "/staff/outcomes/panel.csv"] {
            if !load::wanted(path) {
                continue;
            }
            for _ in 0..3 {
                let started = Instant::now();
                let page = app.get_as(path, &pm_browser).await;
                assert_eq!(page.status, StatusCode::OK);
                println!(
                    "GET {path} (project manager), one at a time: {:.0} ms, {} bytes",
                    started.elapsed().as_secs_f64() * 1000.0,
                    page.body.len()
                );
            }
        }

        // Logging contacts into the case manager's caseload.
        let mine = app.get_as("/staff/participants", &cm_browser).await;
        let own: Arc<Vec<String>> = Arc::new(
            participant_links(&mine.body)
                .into_iter()
                .map(|l| format!("{l}/contact"))
                .collect(),
        );
        assert!(!own.is_empty());
        let (app2, browser) = (app.clone(), cm_browser.clone());
        load(
            "POST /staff/participants/{id}/contact (case manager)",
            StatusCode::SEE_OTHER,
            move |n| {
                let (app, browser, own) = (app2.clone(), browser.clone(), own.clone());
                async move {
                    app.post_as(
                        &own[n % own.len()],
                        &browser,
                        &[
                            ("kind", "street_outreach"),
                            ("minutes", "15"),
                            ("place", "lake-chicago"),
                            ("services", "food"),
                        ],
                    )
                    .await
                }
            },
        )
        .await;
    });
}
