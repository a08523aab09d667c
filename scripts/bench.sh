#!/usr/bin/env bash
# HTTP load measurements with wrk against a release build on SQLite, on this machine only
# (127.0.0.1), bounded in time. Prints p50/p99 latency and throughput for GET / and POST /refer
# and for two staff pages (one writing an audit entry per read),
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

# With --demo, an empty database gets the small demo data set, and every start makes the demo
# staff accounts (printed to serve.log), which the staff page measurements sign in with.
# Forms accept immediate submissions and a very high rate here: this measures the server, not
# the abuse guards.
LEADHUB_FORMS__MIN_FILL_SECONDS=0 LEADHUB_FORMS__RATE_LIMIT_BURST=4000000000 LEADHUB_FORMS__RATE_LIMIT_PER_HOUR=4000000000 \
  RUST_LOG=warn "$bin" serve --demo --bind "127.0.0.1:$PORT" 2>"$work/serve.log" &
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
# Staff pages as the demo project manager: the staff home (a session check, no audit write)
# against a participant's record (a session check, the record's reads, and an audit entry
# written in the same transaction): the difference is the cost of auditing a read.
line=$(grep -E '^ +project_manager ' "$work/serve.log")
email=$(echo "$line" | awk '{print $2}'); password=$(echo "$line" | awk '{print $4}'); secret=$(echo "$line" | awk '{print $6}')
totp() { python3 -c 'import base64,hmac,hashlib,struct,time,sys
s=sys.argv[1]; k=base64.b32decode(s+"="*(-len(s)%8)); h=hmac.new(k,struct.pack(">Q",int(time.time())//30),hashlib.sha1).digest(); o=h[-1]&15
print("%06d"%((struct.unpack(">I",h[o:o+4])[0]&0x7fffffff)%1000000))' "$1"; }
form_token() { grep -o 'name="form_token" value="[^"]*"' "$1" | sed 's/.*value="//; s/"$//'; }
curl -fs -c "$work/staff" -b "$work/staff" "http://127.0.0.1:$PORT/login" -o "$work/login.html"
curl -s -c "$work/staff" -b "$work/staff" -o /dev/null --data-urlencode "form_token=$(form_token "$work/login.html")" \
  --data-urlencode "email=$email" --data-urlencode "password=$password" "http://127.0.0.1:$PORT/login"
curl -fs -c "$work/staff" -b "$work/staff" "http://127.0.0.1:$PORT/login/code" -o "$work/code.html"
curl -s -c "$work/staff" -b "$work/staff" -o /dev/null --data-urlencode "form_token=$(form_token "$work/code.html")" \
  --data-urlencode "code=$(totp "$secret")" "http://127.0.0.1:$PORT/login/code"
session=$(awk '$6=="lh_session" {print "lh_session=" $7}' "$work/staff")
record=$(curl -fs -H "Cookie: $session" "http://127.0.0.1:$PORT/staff/participants" | grep -o '/staff/participants/[0-9a-f-]*' | head -1)
for path in /staff "$record"; do
  echo "== GET $path as the project manager ($CONNECTIONS connections, $DURATION)"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $session" "http://127.0.0.1:$PORT$path" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
done
echo "serve RSS after load: $(ps -o rss= -p "$server" | awk '{printf "%.1f MB", $1/1024}')"
kill "$server"; wait "$server" 2>/dev/null || true

cargo bench --locked --bench public -- --noplot 2>/dev/null | grep -E 'time:' -B1 | grep -v '^--' || true
# argon2 and sign-in, then `audit verify` on AUDIT_ENTRIES (default 1,000,000) entries per backend.
cargo bench --locked --bench accounts -- --noplot 2>/dev/null | grep -E 'time:|audit verify' -B1 | grep -v '^--' || true
# The referral queue and jobs (issue 4), then casework (issue 6): a participant's record, the
# caseload pages and logging a contact under 64 requests in flight, on the large data set
# (PEOPLE/CONTACTS, default 100,000 and 1,000,000) seeded in process.
cargo bench --locked --bench triage 2>/dev/null | grep -E 'p50|jobs|seeded' || true
PEOPLE=${PEOPLE:-100000} CONTACTS=${CONTACTS:-1000000} cargo bench --locked --bench casework 2>/dev/null | grep -E 'p50|seeded|outcomes' || true
# Outcome statistics (issue 9): a binomial-exchangeable GEE fit on 176 x 19 and 100,000 x 19 rows;
# scripts/check-stats.sh bench runs statsmodels beside it.
cargo bench --locked -p leadhub-stats --bench gee -- --noplot 2>/dev/null | grep -E "time:" -B1 | grep -v "^--" || true
