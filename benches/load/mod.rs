//! What the load benches share: sizes from the environment, percentiles, and `load`, which
//! sends requests through the router in process with a fixed number in flight.

use std::future::Future;
use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::support::Page;

pub const IN_FLIGHT: usize = 64;
pub const REQUESTS: usize = 3_200;

/// A size from the environment variable `var`, or `default`.
pub fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Whether the measurement `label` is wanted: all of them, or with `ONLY=text` those whose
/// label contains the text (`ONLY=matches cargo bench --bench casework`).
pub fn wanted(label: &str) -> bool {
    std::env::var("ONLY").map_or(true, |only| label.contains(&only))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Sends `REQUESTS` requests, `IN_FLIGHT` at a time; request `n` is `send(n)`, which must
/// answer `expected`. Prints p50, p99 and requests per second under `label`.
pub async fn load<F, Fut>(label: &str, expected: StatusCode, send: F)
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Page> + Send,
{
    if !wanted(label) {
        return;
    }
    for n in 0..20 {
        let page = send(n).await;
        assert_eq!(page.status, expected, "{label}: {}", page.body);
    }
    let started = Instant::now();
    let per_task = REQUESTS / IN_FLIGHT;
    let tasks: Vec<_> = (0..IN_FLIGHT)
        .map(|task| {
            let send = send.clone();
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(per_task);
                for i in 0..per_task {
                    let t = Instant::now();
                    let page = send(task * per_task + i).await;
                    assert_eq!(page.status, expected);
                    times.push(t.elapsed());
                }
                times
            })
        })
        .collect();
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    times.sort();
    println!(
        "{label}: p50 {:.1} ms, p99 {:.1} ms, {:.0} requests/s ({} requests, {IN_FLIGHT} in flight)",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.len() as f64 / elapsed.as_secs_f64(),
        times.len(),
    );
}
