#!/usr/bin/env bash
# HTTP load measurements with wrk against a release build on SQLite, on this machine only
# (127.0.0.1), bounded in time. Prints p50/p99 latency and throughput for GET / and POST /refer,
# the server's idle and loaded memory, and the binary size; then runs the criterion benches.
#   scripts/bench.sh            # demo-sized data
#   PEOPLE=100000 CONTACTS=1000000 scripts/bench.sh   # the large data set (a few minutes to seed)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18080} CONNECTIONS=${CONNECTIONS:-64} DURATION=${DURATION:-15s}
PEOPLE=${PEOPLE:-} CONTACTS=${CONTACTS:-}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

cargo build --release --locked -q
bin=target/release/leadhub
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/bench.db"
echo "binary size: $(du -h "$bin" | cut -f1) ($(stat -c %s "$bin") bytes)"

if [ -n "$PEOPLE" ]; then
  start=$(date +%s.%N)
  "$bin" demo --people "$PEOPLE" --contacts "${CONTACTS:-0}"
  echo "demo --people $PEOPLE --contacts ${CONTACTS:-0}: $(echo "$(date +%s.%N) - $start" | bc) s, database $(du -sh "$work" | cut -f1)"
fi

# Forms accept immediate submissions and a very high rate here: this measures the server, not
# the abuse guards.
LEADHUB_FORMS__MIN_FILL_SECONDS=0 LEADHUB_FORMS__RATE_LIMIT_BURST=4000000000 LEADHUB_FORMS__RATE_LIMIT_PER_HOUR=4000000000 \
  RUST_LOG=warn "$bin" serve ${PEOPLE:+} $([ -z "$PEOPLE" ] && echo --demo) --bind "127.0.0.1:$PORT" 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
sleep 1
echo "serve idle RSS: $(ps -o rss= -p "$server" | awk '{printf "%.1f MB", $1/1024}')"

# A form token and its cookie, reused by every POST (tokens stay valid for a day).
curl -fs -c "$work/jar" "http://127.0.0.1:$PORT/refer" -o "$work/refer.html"
token=$(grep -o 'name="form_token" value="[^"]*"' "$work/refer.html" | sed 's/.*value="//; s/"$//')
cookie=$(awk '$6=="lh_form" {print "lh_form=" $7}' "$work/jar")
body="form_token=$token&referrer_type=business&features=tall%2C+grey+beard&places=lake-chicago"
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$cookie"
LUA

for target in "GET /" "POST /refer"; do
  set -- $target
  echo "== $target ($CONNECTIONS connections, $DURATION)"
  if [ "$1" = GET ]; then
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$2" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
  else
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/post.lua" "http://127.0.0.1:$PORT$2" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
  fi
done
echo "serve RSS after load: $(ps -o rss= -p "$server" | awk '{printf "%.1f MB", $1/1024}')"
kill "$server"; wait "$server" 2>/dev/null || true

cargo bench --locked --bench public -- --noplot 2>/dev/null | grep -E 'time:' -B1 | grep -v '^--' || true
