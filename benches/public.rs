//! Micro-benchmarks of the public site's hot paths (criterion): parsing a referral, computing
//! its due time, and serving pages through the whole router on SQLite. HTTP load under
//! concurrency is measured by `scripts/bench.sh` with wrk.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

use std::hint::black_box;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use leadhub_domain::referral::ReferralInput;
use leadhub_domain::{Language, SiteProfile};
use leadhub_web::{AppState, WebConfig};
use tower::ServiceExt;

fn referral() -> ReferralInput {
    ReferralInput {
        referrer_type: "business".into(),
        referrer_phone: "(612) 555-0142".into(),
        features: "tall, grey beard, green army jacket, red backpack".into(),
        places: vec!["lake-chicago".into(), "lake-midtown-station".into()],
        times: vec!["morning".into()],
        concerns: vec!["transit".into()],
        concern_text: "Most mornings at the station, asks riders for change.".into(),
        ..Default::default()
    }
}

fn domain(c: &mut Criterion) {
    let site = SiteProfile::minneapolis().unwrap();
    let input = referral();
    c.bench_function("parse a referral form", |b| {
        b.iter(|| black_box(&input).parse(&site, Language::En).unwrap())
    });
    let now = jiff::Timestamp::now();
    c.bench_function("due time, one business day", |b| {
        b.iter(|| site.calendar.due(black_box(now), 1))
    });
}

fn pages(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let router = runtime.block_on(async {
        let db =
            leadhub_store::Db::connect(&format!("sqlite://{}", dir.path().join("b.db").display()))
                .await
                .unwrap();
        db.migrate().await.unwrap();
        let state = AppState::new(
            db,
            SiteProfile::minneapolis().unwrap(),
            WebConfig::default(),
        )
        .await
        .unwrap();
        leadhub_web::router(state)
    });
    let client: SocketAddr = "127.0.0.1:9".parse().unwrap();
    for path in ["/", "/refer", "/healthz"] {
        c.bench_function(&format!("GET {path} through the router"), |b| {
            b.to_async(&runtime).iter(|| async {
                let mut request = Request::get(path).body(Body::empty()).unwrap();
                request.extensions_mut().insert(ConnectInfo(client));
                let response = router.clone().oneshot(request).await.unwrap();
                black_box(response.into_body().collect().await.unwrap().to_bytes());
            });
        });
    }
}

criterion_group!(benches, domain, pages);
criterion_main!(benches);
