#!/usr/bin/env bash
# Fuzzes the matching engine's CSV reader and comparators with libFuzzer (cargo-fuzz).
# cargo-fuzz needs a nightly compiler's flags; RUSTC_BOOTSTRAP lets the stable one take them.
#   scripts/fuzz-matching.sh            # each target for 60 seconds
#   SECONDS_EACH=600 scripts/fuzz-matching.sh csv_reader
set -euo pipefail
cd "$(dirname "$0")/../crates/matching/fuzz"
command -v cargo-fuzz > /dev/null || cargo install --locked cargo-fuzz
targets=${*:-csv_reader names dates records}
for target in $targets; do
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -- -max_total_time="${SECONDS_EACH:-60}" -max_len=65536
done
