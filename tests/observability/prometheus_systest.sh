#!/usr/bin/env bash
# The suite watched by Debian's Prometheus, as `./dps up --with-prometheus` runs it, here with
# gRPC over mutual TLS between the processes (certificates made by openssl for the test):
#   1. three replicas of the qualification service start at once on a fresh database: one
#      migrates under the advisory lock, the others wait, and all three serve;
#   2. the other processes start, Prometheus starts scraping them (every second, the suite's rules
#      loaded), the gateway answers, and the demo data and the demo referral go through the real
#      APIs (the referral service calling the qualification service over TLS);
#   3. `promtool check metrics` is clean on every process's /metrics;
#   4. Prometheus, scraping every process with the suite's rules loaded, evaluates every panel
#      query of every dashboard in deploy/observability/grafana: each parses and returns data,
#      but for the few listed in NO_DATA_YET below, which this traffic cannot produce.
#   prometheus_systest.sh SOURCE_DIR BUILD_DIR   (needs DPS_TEST_PG_URL, DPS_TEST_SECRETS_DIR)
set -euo pipefail
root=$1
build=$2
source "$root/deploy/local/servers.sh"
source "$root/deploy/local/prometheus.sh"
source "$root/deploy/local/identity.sh"
: "${DPS_TEST_PG_URL:?run by ./dps test}" "${DPS_TEST_SECRETS_DIR:?run by ./dps test}"

work=$(mktemp -d /tmp/dps-prometheus-test.XXXXXX)
pids=()
db="dps_prometheus_$$"
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  prometheus_stop "$work"
  if [ -n "${redis_dir:-}" ]; then redis_stop "$redis_dir" "$redis_port"; rm -rf "$redis_dir"; fi
  psql "$DPS_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*" >&2
  tail -n 5 "$work"/*.log >&2 || true
  exit 1
}

# --- certificates: a CA and one certificate for 127.0.0.1, both client and server -----------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=dps-ca \
  -keyout "$work/ca.key" -out "$work/ca.pem" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign >/dev/null 2>&1
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=dps-suite \
  -keyout "$work/suite.key" -out "$work/suite.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >"$work/leaf.ext"
openssl x509 -req -days 2 -in "$work/suite.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -out "$work/suite.pem" -extfile "$work/leaf.ext" >/dev/null 2>&1
export DPS_GRPC_TLS_CERT_FILE="$work/suite.pem" DPS_GRPC_TLS_KEY_FILE="$work/suite.key" \
  DPS_GRPC_TLS_CA_FILE="$work/ca.pem"

# The local identity provider's keys, as ./dps up makes them (deploy/local/identity.sh).
identity_init "$work" "$build"
export DPS_DEV_IDP_KEY_FILE="$work/auth/idp-key.jwk" DPS_AUTH_ISSUER="$DEV_ISSUER" \
  DPS_AUTH_AUDIENCE="$DEV_AUDIENCE"

psql "$DPS_TEST_PG_URL" -qc "CREATE DATABASE $db" >/dev/null
pg_url="${DPS_TEST_PG_URL%/*}/$db"
# Each service as its own role and Redis user, as ./dps up runs it (deploy/local/servers.sh).
for name in "${SERVICE_SCHEMAS[@]}"; do
  psql "$pg_url" -qc "CREATE SCHEMA $name AUTHORIZATION dps_$name" >/dev/null
done
login_env() {  # login_env SERVICE: its PostgreSQL role and Redis user, passwords in files
  case " ${PRIVILEGED_SERVICES[*]} " in
    *" $1 "*)
      echo "DPS_PG_URL=${pg_url/:\/\/dps@/://dps_$1@}"
      echo "DPS_PG_PASSWORD_FILE=$DPS_TEST_SECRETS_DIR/pg-$1"
      echo "DPS_REDIS_USER=dps-$1"
      echo "DPS_REDIS_PASSWORD_FILE=$DPS_TEST_SECRETS_DIR/redis-$1"
      ;;
  esac
}

declare -A grpc_port metrics_port
for name in qualification referral scoring contracts relay gateway qualification-2 qualification-3; do
  grpc_port[$name]=$(free_port)
  metrics_port[$name]=$(free_port)
done
gateway_port=$(free_port)

# A Redis of its own with the test Redis's users: the services' streams and consumer groups have
# fixed names, so on the shared one another system test's processes would take its events.
# Its folder is apart from $work, which the Redis user may not enter.
redis_dir=$(mktemp -d /tmp/dps-prometheus-redis.XXXXXX)
chmod 755 "$redis_dir"
ln -s "$DPS_TEST_SECRETS_DIR" "$redis_dir/secrets"
redis_port=$(free_port)
redis_start "$redis_dir" "$redis_port"

common_env=(DPS_PG_URL="$pg_url" DPS_REDIS_ADDRESS="127.0.0.1:$redis_port" DPS_METRICS_COLLECT_INTERVAL=1s)
for name in qualification referral scoring contracts relay; do
  common_env+=("DPS_$(tr a-z A-Z <<<"$name")_TARGET=127.0.0.1:${grpc_port[$name]}")
done
start() {  # start NAME BINARY
  local name=$1 binary=$2
  # shellcheck disable=SC2046
  env "${common_env[@]}" $(identity_env "$work" "$binary") $(login_env "$binary") DPS_GRPC_ADDRESS="127.0.0.1:${grpc_port[$name]}" \
    DPS_METRICS_ADDRESS="127.0.0.1:${metrics_port[$name]}" DPS_GATEWAY_ADDRESS="127.0.0.1:$gateway_port" \
    "$build/services/$binary/dps-$binary" >"$work/$name.log" 2>&1 &
  pids+=($!)
}
serving() { "$build/platform/dps-health-probe" "127.0.0.1:${grpc_port[$1]}" 1 >/dev/null 2>&1; }
wait_for() {  # wait_for WHAT COMMAND...: polls for up to 60 s
  local what=$1; shift
  for _ in $(seq 1 300); do "$@" && return 0; sleep 0.2; done
  fail "$what"
}

# --- 1. three replicas of one service starting at once on a fresh schema -----------------------
start qualification qualification
start qualification-2 qualification
start qualification-3 qualification
for name in qualification qualification-2 qualification-3; do
  wait_for "$name serving over TLS" serving "$name"
done
applied=$(psql "$pg_url" -tAc "SELECT count(*) FROM qualification.schema_migrations")
distinct=$(psql "$pg_url" -tAc "SELECT count(DISTINCT (component, version)) FROM qualification.schema_migrations")
[ "$applied" -gt 0 ] && [ "$applied" = "$distinct" ] || fail "migrations recorded $applied times for $distinct"
# Plaintext is refused by a TLS server: the probe without certificates fails.
if env -u DPS_GRPC_TLS_CERT_FILE -u DPS_GRPC_TLS_KEY_FILE -u DPS_GRPC_TLS_CA_FILE \
  "$build/platform/dps-health-probe" "127.0.0.1:${grpc_port[qualification]}" 1 >/dev/null 2>&1; then
  fail "a plaintext client was served by a TLS server"
fi
kill -TERM "${pids[1]}" "${pids[2]}"

# --- 2. the rest of the suite, and traffic ----------------------------------------------------
for name in scoring contracts referral relay; do
  start "$name" "$name"
  wait_for "$name serving" serving "$name"
done
start gateway gateway
gateway_ready() { curl -fsS "http://127.0.0.1:$gateway_port/readyz" -o /dev/null 2>/dev/null; }
wait_for "gateway ready" gateway_ready
# Prometheus scrapes from here on, so the traffic below shows in rates.
prometheus_port=$(free_port)
targets=()
for name in qualification referral scoring contracts relay gateway; do
  targets+=("$name=127.0.0.1:${metrics_port[$name]}")
done
prometheus_config "$work/prometheus.yml" 1s "${targets[@]}"
promtool check config "$work/prometheus.yml" >/dev/null || fail "promtool check config"
prometheus_start "$work" "$prometheus_port" "$work/prometheus.yml" || fail "Prometheus start"
api="http://127.0.0.1:$prometheus_port/api/v1"
# Every target up, and the business figures, the client calls and the recording rules in.
up_count() { curl -fsS "$api/query" --data-urlencode 'query=count(up == 1)' | grep -q '"value":\[[0-9.]*,"6"\]'; }
wait_for "all six targets up" up_count
for _ in 1 2 3; do
  curl -sS "http://127.0.0.1:$gateway_port/readyz" -o /dev/null
  curl -sS "http://127.0.0.1:$gateway_port/healthz" -o /dev/null
  curl -sS "http://127.0.0.1:$gateway_port/v1/referrals" -o /dev/null  # 401: no bearer token
done
"$build/services/qualification/tools/dps-demo-data" --target="127.0.0.1:${grpc_port[qualification]}" \
  --data_dir="$root/data" >"$work/demo-data.log" 2>&1 || fail "demo data"
"$build/services/referral/tools/dps-demo-referrals" --qualification="127.0.0.1:${grpc_port[qualification]}" \
  --referral="127.0.0.1:${grpc_port[referral]}" >>"$work/demo-data.log" 2>&1 || fail "demo referral"

# --- 3. promtool check metrics on every process -----------------------------------------------
for name in qualification referral scoring contracts relay gateway; do
  curl -fsS "http://127.0.0.1:${metrics_port[$name]}/metrics" >"$work/$name.metrics"
  promtool check metrics <"$work/$name.metrics" >"$work/$name.lint" 2>&1 \
    || { cat "$work/$name.lint" >&2; fail "promtool check metrics: $name"; }
done
grep -qE '^grpc_client_handled_total\{grpc_code="OK",grpc_method="[A-Za-z]+",grpc_service="dps.qualification.v1.QualificationService",grpc_type="unary"\} [1-9]' \
  "$work/referral.metrics" || fail "the referral service's calls to qualification (over TLS) are not counted"

# --- 4. every dashboard panel through Prometheus ----------------------------------------------
has_data() { curl -fsS "$api/query" --data-urlencode "query=$1" | grep -q '"result":\[{'; }
for query in 'rate(grpc_client_handled_total[5m]) > 0' 'dps_referrals{state="OPEN"} > 0' \
             'dps:gateway_errors:ratio_rate5m' 'rate(dps_http_requests_total[5m]) > 0'; do
  wait_for "data for $query" has_data "$query"
done

python3 - "$root/deploy/observability/grafana" "$api" <<'PY'
import glob, json, os, sys, time, urllib.parse, urllib.request
folder, api = sys.argv[1], sys.argv[2]
# Panels whose series this test's traffic cannot give data: keep this list short.
NO_DATA_YET = set()
def check():
    problems, checked, waiting = [], 0, False
    for path in sorted(glob.glob(os.path.join(folder, '*.json'))):
        dashboard = json.load(open(path))
        for panel in dashboard['panels']:
            for target in panel.get('targets', []):
                expr = target['expr']
                checked += 1
                url = api + '/query?' + urllib.parse.urlencode({'query': expr})
                try:
                    answer = json.load(urllib.request.urlopen(url, timeout=10))
                except urllib.error.HTTPError as e:
                    answer = json.load(e)
                where = f"{os.path.basename(path)}: {panel['title']}: {expr}"
                if answer.get('status') != 'success':
                    problems.append(f"{where}: {answer.get('error')}")
                elif not answer['data']['result'] and expr not in NO_DATA_YET:
                    problems.append(f"{where}: no data")
                    waiting = True
                elif answer['data']['result'] and expr in NO_DATA_YET:
                    problems.append(f"{where}: has data now; take it off NO_DATA_YET")
    return problems, checked, waiting

# A rate needs two scrapes after the traffic, and each process is scraped on its own
# schedule, so a panel still empty is asked again for up to 30 s before it counts.
deadline = time.monotonic() + 30
while True:
    problems, checked, waiting = check()
    if not waiting or time.monotonic() > deadline:
        break
    time.sleep(1)
for p in problems:
    print(p)
print(f"dashboard queries: {checked} checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
PY

# The rules are loaded and evaluate without error.
rules=$(curl -fsS "$api/rules")
for group in dps-gateway-slo dps-events dps-resources dps-timers dps-market; do
  grep -q "\"name\":\"$group\"" <<<"$rules" || fail "rule group $group not loaded"
done
if grep -q '"health":"err"' <<<"$rules"; then fail "a rule fails to evaluate: $rules"; fi
echo "prometheus system test: passed"
