//! `leadhub stats gee` end to end: the stored panel gives statsmodels' figures in RESULT.json,
//! and bad files get a message naming the row and column, with nothing written.

use crate::support::run_leadhub;

const PANEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/stats/tests/data/panel.csv"
);
const EXPECTED: &str = include_str!("../../crates/stats/tests/data/expected.json");

async fn gee(csv: &str, out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let out = out.to_str().unwrap();
    let mut args = vec!["stats", "gee", "--csv", csv, "--out", out];
    args.extend_from_slice(extra);
    run_leadhub(&args, &[]).await
}

const HOUSED: [&str; 8] = [
    "--outcome",
    "housed",
    "--predictors",
    "followup,contacts",
    "--cluster",
    "participant",
    "--corr",
    "exchangeable",
];

#[tokio::test]
async fn stats_gee_writes_the_estimates_statsmodels_gives() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("result.json");
    let output = gee(PANEL, &out, &HOUSED).await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("176 clusters") && stdout.contains("odds ratio"),
        "{stdout}"
    );

    let result: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let expected: serde_json::Value = serde_json::from_str(EXPECTED).unwrap();
    let expected = &expected["binomial_exchangeable"];
    assert_eq!(result["n_obs"], expected["n_obs"]);
    assert_eq!(result["n_clusters"], expected["n_clusters"]);
    assert_eq!(result["iterations"], expected["iterations"]);
    let alpha = (result["alpha"].as_f64().unwrap() - expected["alpha"].as_f64().unwrap()).abs();
    assert!(alpha < 1e-6, "alpha differs by {alpha}");
    let names: Vec<&str> = result["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Intercept", "followup", "contacts"]);
    for (got, want) in result["params"]
        .as_array()
        .unwrap()
        .iter()
        .zip(expected["params"].as_array().unwrap())
    {
        for key in ["coef", "se", "z", "p", "exp", "ci_low", "ci_high"] {
            let (a, b) = (got[key].as_f64().unwrap(), want[key].as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-6 * b.abs().max(1.0),
                "{key}: {a} vs {b}"
            );
        }
    }

    // The same input gives the same bytes.
    let again = dir.path().join("again.json");
    assert!(gee(PANEL, &again, &HOUSED).await.status.success());
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
}

#[tokio::test]
async fn bad_files_and_arguments_are_refused_with_a_message_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("result.json");
    let write = |name: &str, text: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let cases: [(String, &[&str], &str); 6] = [
        (write("empty.csv", b""), &HOUSED, "the file is empty"),
        (
            write("columns.csv", b"participant,housed,followup\na,1,0\n"),
            &HOUSED,
            "column \"contacts\" is not in the header",
        ),
        (
            write(
                "text.csv",
                b"participant,housed,followup,contacts\na,1,0,1\na,0,1,=HYPERLINK(\"x\")\n",
            ),
            &HOUSED,
            "line 3, column \"contacts\": \"=HYPERLINK(\"x\")\" is not a number",
        ),
        (
            write(
                "bytes.csv",
                b"participant,housed,followup,contacts\na,1,\xff,1\n",
            ),
            &HOUSED,
            "line 2, column \"followup\": the bytes are not UTF-8",
        ),
        (
            PANEL.to_owned(),
            &[
                "--outcome",
                "housed",
                "--predictors",
                "followup",
                "--cluster",
                "participant",
                "--family",
                "gaussian",
            ],
            "unknown family \"gaussian\"",
        ),
        (
            "/nonexistent/panel.csv".to_owned(),
            &HOUSED,
            "cannot open /nonexistent/panel.csv",
        ),
    ];
    for (csv, args, message) in &cases {
        let output = gee(csv, &out, args).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{csv}");
        assert!(stderr.contains(message), "{csv}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists(), "{csv}: a result was written");
    }
}
