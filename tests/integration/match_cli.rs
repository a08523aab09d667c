//! `leadhub match` end to end: a generated file with ground truth deduplicated (pairs and
//! clusters), two files linked across spellings, the same bytes on every run, and bad files
//! refused with the line and column and nothing written.

use std::collections::HashMap;
use std::path::Path;

use crate::support::run_leadhub;

async fn leadhub(args: &[&str]) -> std::process::Output {
    run_leadhub(args, &[]).await
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn assert_success(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn dedupe_writes_pairs_and_clusters_that_follow_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv");
    let (pairs, clusters) = (
        dir.path().join("pairs.csv"),
        dir.path().join("clusters.csv"),
    );
    let generate = [
        "match",
        "generate",
        "--records",
        "1500",
        "--seed",
        "3",
        "--out",
        path(&people),
    ];
    assert_success(&leadhub(&generate).await);
    let dedupe = [
        "match",
        "dedupe",
        path(&people),
        "--map",
        "true_id=",
        "--ages-as-of",
        "2026",
        "--out",
        path(&pairs),
        "--clusters",
        path(&clusters),
    ];
    let output = leadhub(&dedupe).await;
    assert_success(&output);
    assert!(String::from_utf8_lossy(&output.stderr).contains("1500 records"));

    let mut truth = HashMap::new();
    let mut reader = csv::Reader::from_path(&people).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        truth.insert(row[0].to_owned(), row[14].to_owned());
    }
    let written = text(&pairs);
    let mut lines = written.lines();
    assert_eq!(lines.next(), Some("id_l,id_r,probability"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 300, "only {} pairs", rows.len());
    let correct = rows.iter().filter(|r| truth[r[0]] == truth[r[1]]).count();
    assert!(
        correct * 10 >= rows.len() * 9,
        "{correct} of {} pairs are one person",
        rows.len()
    );
    for row in &rows {
        assert!(row[0] < row[1], "{row:?} is not in id order");
        let p: f64 = row[2].parse().unwrap();
        assert!(
            (0.5..=1.0).contains(&p),
            "{row:?} is below the default threshold"
        );
    }
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(sorted, rows, "pairs are sorted by ids");

    // Every pair's records share a cluster; every record has one.
    let clusters = text(&clusters);
    let cluster_of: HashMap<&str, &str> = clusters
        .lines()
        .skip(1)
        .map(|l| l.split_once(',').unwrap())
        .collect();
    assert_eq!(cluster_of.len(), 1500);
    for row in &rows {
        assert_eq!(cluster_of[row[0]], cluster_of[row[1]]);
    }

    // The same input gives the same bytes.
    let again = dir.path().join("again.csv");
    let mut args = dedupe.to_vec();
    args[8] = path(&again);
    assert_success(&leadhub(&args).await);
    assert_eq!(text(&again), written);
}

#[tokio::test]
async fn link_finds_the_same_people_across_spellings() {
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("generated.csv");
    let generate = [
        "match",
        "generate",
        "--records",
        "800",
        "--seed",
        "5",
        "--out",
        path(&generated),
    ];
    assert_success(&leadhub(&generate).await);
    let left = dir.path().join("left.csv");
    let right = dir.path().join("right.csv");
    let base = text(&generated);
    // The generated people give the model data to learn from; the rows added name the
    // corridor's people as different records spell them.
    let header = base.lines().next().unwrap();
    let body: Vec<&str> = base.lines().skip(1).collect();
    let (l, r) = body.split_at(body.len() / 2);
    std::fs::write(
        &left,
        format!(
            "{header}\n{}\nx1,Maxamed,Cabdi,Xasan,,1988-04-02,,M,2900 Chicago Ave,55407,,,,,q1\n\
             x2,Pao,,Xyooj,,1971-06-15,,M,,,,,,,q2\n",
            l.join("\n")
        ),
    )
    .unwrap();
    std::fs::write(
        &right,
        format!(
            "{header}\n{}\ny1,Mohamed,,Hassan,,1988-02-04,,male,2900 Chicago Ave,55407,,,,,q1\n\
             y2,Xiong,,Pao,,,55,man,,,,,,,q2\n",
            r.join("\n")
        ),
    )
    .unwrap();
    let pairs = dir.path().join("pairs.csv");
    let output = leadhub(&[
        "match",
        "link",
        path(&left),
        path(&right),
        "--map",
        "true_id=",
        "--ages-as-of",
        "2026",
        "--threshold",
        "0.1",
        "--out",
        path(&pairs),
    ])
    .await;
    assert_success(&output);
    let written = text(&pairs);
    for (l, r) in [("x1", "y1"), ("x2", "y2")] {
        assert!(
            written
                .lines()
                .any(|line| line.starts_with(&format!("{l},{r},"))),
            "{l} and {r} not linked:\n{}",
            written
                .lines()
                .filter(|line| line.starts_with('x'))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    // Link pairs run from the left file to the right one.
    for line in written.lines().skip(1) {
        let (id_l, rest) = line.split_once(',').unwrap();
        let id_r = rest.split(',').next().unwrap();
        assert!(l.iter().any(|row| row.starts_with(&format!("{id_l},"))) || id_l.starts_with('x'));
        assert!(r.iter().any(|row| row.starts_with(&format!("{id_r},"))) || id_r.starts_with('y'));
    }
}

#[tokio::test]
async fn bad_files_are_refused_naming_the_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 6] = [
        ("empty", b"", "empty"),
        ("no_id", b"first_name\nAmina\n", "no id column"),
        (
            "duplicate",
            b"id,first_name\n1,Amina\n1,Hodan\n",
            "line 3: the id \"1\" is already used on line 2",
        ),
        (
            "unknown",
            b"id,shoe_size\n1,44\n",
            "\"shoe_size\" is not a column",
        ),
        (
            "bad_date",
            b"id,dob\n1,1990-02-30\n",
            "line 2, column dob: \"1990-02-30\" is not a date",
        ),
        (
            "not_utf8",
            b"id,last_name\n1,Mu\xf1oz\n",
            "line 2, column last_name: the text is not UTF-8",
        ),
    ];
    for (name, content, expected) in cases {
        let input = dir.path().join(format!("{name}.csv"));
        std::fs::write(&input, content).unwrap();
        let out = dir.path().join(format!("{name}-pairs.csv"));
        let output = leadhub(&["match", "dedupe", path(&input), "--out", path(&out)]).await;
        assert!(!output.status.success(), "{name} was accepted");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: pairs were written");
    }
    let threshold = leadhub(&[
        "match",
        "dedupe",
        "x.csv",
        "--out",
        "y.csv",
        "--threshold",
        "2",
    ])
    .await;
    assert!(String::from_utf8_lossy(&threshold.stderr).contains("--threshold"));
}
