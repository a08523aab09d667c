#!/usr/bin/env bash
# The one test command: installs and starts what the tests need on a fresh machine, then runs
# formatting and lint checks, the whole suite on SQLite, the database-facing suites again on
# PostgreSQL, and the browser tests. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUST_BACKTRACE=0 CARGO_TERM_COLOR=never
step() { printf '\n==> %s\n' "$*" >&2; }
timed() { local s=$SECONDS; "$@"; echo "    ($((SECONDS - s)) s)" >&2; }

need_apt=()
command -v pg_ctlcluster >/dev/null || need_apt+=(postgresql-15)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "installing ${need_apt[*]} (apt)"
  timed bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${need_apt[*]} >/dev/null"
fi

step "PostgreSQL"
pg_was_running=0
pg_ctlcluster 15 main status >/dev/null 2>&1 && pg_was_running=1
# shellcheck source=scripts/pg-up.sh
timed source scripts/pg-up.sh
if [ "$pg_was_running" = 0 ]; then
  trap 'pg_ctlcluster --skip-systemctl-redirect 15 main stop >/dev/null 2>&1 || true' EXIT
fi

step "npm packages for the browser tests (axe-core)"
timed npm ci --prefix e2e --no-audit --no-fund --loglevel=error

chromium_major=$(/usr/lib/chromium/chromium --version | grep -oE '[0-9]+' | head -1)
driver_major=$(/usr/bin/chromedriver --version | grep -oE '[0-9]+' | head -1)
[ "$chromium_major" = "$driver_major" ] || { echo "chromium $chromium_major != chromedriver $driver_major" >&2; exit 1; }

step "cargo fmt --check"
timed cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
timed cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests on SQLite: unit, integration and browser"
timed env -u TEST_DATABASE_URL -u DATABASE_URL cargo test --workspace --locked -- --test-threads 2

step "tests on PostgreSQL: integration and browser"
timed env TEST_DATABASE_URL="$TEST_DATABASE_URL" cargo test --locked --test integration --test browser -- --test-threads 2

step "all tests passed on SQLite and PostgreSQL"
