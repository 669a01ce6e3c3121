#!/usr/bin/env bash
# The benchmarks, each beside a baseline measured in the same run on the same machine.
# Run through ./dps bench, which builds and starts throwaway PostgreSQL and Redis first and
# exports DPS_TEST_PG_URL, DPS_TEST_REDIS_ADDRESS, DPS_TEST_REDIS_PORT and DPS_BUILD_DIR.
#   ./dps bench [events|scoring|qualification|all]  (default all)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/local/servers.sh"  # free_port
what=${1:-all}
EVENTS=${DPS_BENCH_EVENTS:-20000}
BUILD=$DPS_BUILD_DIR
url=${DPS_TEST_PG_URL%/postgres}/dps_bench

bench_events() {
  psql "$DPS_TEST_PG_URL" -q -c "DROP DATABASE IF EXISTS dps_bench" -c "CREATE DATABASE dps_bench" >/dev/null
  echo "== events: outbox -> relay -> Redis Streams -> consumer ($EVENTS events, one transaction each)"
  local ours; ours=$("$BUILD/platform/outbox_bench" "$url" "$DPS_TEST_REDIS_ADDRESS" "$EVENTS")
  echo "$ours" | sed 's/^/  /'

  # Baseline 1: pgbench running the producer's own transaction (BEGIN, INSERT, COMMIT), one client.
  local script; script=$(mktemp)
  printf 'BEGIN;\n%s\nCOMMIT;\n' "INSERT INTO bench.outbox (stream, event_type, aggregate_id, request_id, payload) VALUES ('dps.pgbench', 'bench.event', '1', '', 'x') RETURNING event_id::text;" >"$script"
  local pgbench_tps
  pgbench_tps=$(/usr/lib/postgresql/15/bin/pgbench -n -c 1 -t "$EVENTS" -f "$script" "$url" 2>/dev/null \
    | awk '/^tps/ {print int($3)}')
  rm -f "$script"
  echo "  baseline pgbench same transaction (1 client): ${pgbench_tps} tps"

  # Baseline 2: redis-benchmark doing XADD of an entry the size of ours, one client, no pipeline.
  local xadd
  xadd=$(redis-benchmark -p "$DPS_TEST_REDIS_PORT" -c 1 -n "$EVENTS" -q \
    XADD dps.redisbench '*' event_id 3fa85f64-5717-4562-b3fc-2c963f66afa6 type bench.event \
    aggregate_id 1 request_id '' created_at 2026-11-21T00:00:00.000000Z payload x \
    | tr '\r' '\n' | awk '/requests per second/ {print int($(NF-5))}' | tail -1)
  echo "  baseline redis-benchmark XADD (1 client): ${xadd} requests/s"

  local write drain steady
  write=$(echo "$ours" | awk -F= '/write_only/ {print $2}')
  drain=$(echo "$ours" | awk -F= '/drain_events/ {print $2}')
  steady=$(echo "$ours" | awk -F= '/steady_end_to_end/ {print $2}')
  awk -v w="$write" -v d="$drain" -v s="$steady" -v pg="$pgbench_tps" -v x="$xadd" 'BEGIN {
    printf "  ratio outbox write / pgbench: %.2f\n", w / pg;
    printf "  ratio drain / redis XADD: %.2f\n", d / x;
    printf "  ratio steady end-to-end / pgbench: %.2f\n", s / pg }'
}

bench_scoring() {
  local bench=$BUILD/services/scoring/scoring_benchmark
  [ -x "$bench" ] || return 0
  echo "== scoring engine (in process, and over gRPC beside an empty gRPC call)"
  "$bench"
  # The same comparison against the service as deployed: a dps-scoring process of its own.
  echo "== scoring over gRPC to a dps-scoring process, beside an empty call to it"
  local port metrics pid keys token
  port=$(free_port)
  metrics=$(free_port)
  # Its own identity provider, as ./dps up makes one: the process trusts it, the client carries
  # one of its tokens, so every call is authenticated as in production.
  keys=$(mktemp -d /tmp/dps-bench-keys.XXXXXX)
  "$BUILD/platform/dps-token" keygen --kid=bench --private="$keys/idp.jwk" --public="$keys/idp.jwks"
  "$BUILD/platform/dps-token" keygen --kid=bench-services --private="$keys/service.jwk" \
    --public="$keys/services.jwks"
  token=$("$BUILD/platform/dps-token" mint --key="$keys/idp.jwk" --issuer=bench --audience=dps \
    --sub=bench --role=ROLE_PLACING_OFFICER --org=bench)
  DPS_GRPC_ADDRESS=127.0.0.1:$port DPS_METRICS_ADDRESS=127.0.0.1:$metrics \
    DPS_AUTH_JWKS_FILE="$keys/idp.jwks" DPS_AUTH_ISSUER=bench DPS_AUTH_AUDIENCE=dps \
    DPS_SERVICE_JWKS_FILE="$keys/services.jwks" \
    "$BUILD/services/scoring/dps-scoring" >/dev/null 2>&1 &
  pid=$!
  local tries=0 status=0
  until "$BUILD/platform/dps-health-probe" "127.0.0.1:$port" 1 >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ $tries -lt 50 ] || { kill $pid; echo "dps-scoring did not become healthy" >&2; return 1; }
    sleep 0.2
  done
  "$bench" --benchmark_filter=NONE --target="127.0.0.1:$port" --token="$token" || status=$?
  kill $pid
  rm -rf "$keys"
  return $status
}

bench_qualification() {
  if [ -x "$BUILD/services/qualification/eligibility_bench" ]; then
    echo "== qualification eligibility query"
    "$BUILD/services/qualification/eligibility_bench" "$DPS_TEST_PG_URL"
  fi
}

case "$what" in
  events) bench_events ;;
  scoring) bench_scoring ;;
  qualification) bench_qualification ;;
  all) bench_events; bench_scoring; bench_qualification ;;
  *) echo "usage: ./dps bench [events|scoring|qualification|all]" >&2; exit 2 ;;
esac
