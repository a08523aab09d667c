#!/usr/bin/env bash
# Agreement of `leadhub stats gee` with statsmodels' GEE: installs statsmodels from PyPI into a
# virtual environment (target/check-stats-venv), generates participant-month panels, fits the
# same models with both and compares every reported number to 1e-6.
#   scripts/check-stats.sh            # compare on several generated panels (exits 1 on a difference)
#   scripts/check-stats.sh fixtures   # rewrite crates/stats/tests/data (the Rust tests' expected values)
#   scripts/check-stats.sh bench      # time and peak memory of both, 176 x 19 and 100,000 x 19 rows
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-check}
venv=target/check-stats-venv
if [ ! -x "$venv/bin/python" ] || ! cmp -s scripts/check-stats-requirements.txt "$venv/requirements.txt"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/check-stats-requirements.txt
  cp scripts/check-stats-requirements.txt "$venv/requirements.txt"
fi
if [ "$mode" = bench ]; then
  cargo build --release --locked -q
  bin=target/release/leadhub
else
  cargo build --locked -q
  bin=target/debug/leadhub
fi
case "$mode" in
  check) "$venv/bin/python" scripts/check_stats.py check "$bin" ;;
  fixtures) "$venv/bin/python" scripts/check_stats.py fixtures "$bin" crates/stats/tests/data ;;
  bench) "$venv/bin/python" scripts/check_stats.py bench "$bin" ;;
  *) echo "usage: $0 [check|fixtures|bench]" >&2; exit 2 ;;
esac
