#!/usr/bin/env bash
# The benchmarks, each beside a baseline measured in the same run on the same machine.
# Run through ./dps bench, which builds and starts throwaway PostgreSQL and Redis first and
# exports DPS_TEST_PG_URL, DPS_TEST_REDIS_ADDRESS, DPS_TEST_REDIS_PORT and DPS_BUILD_DIR.
#   ./dps bench [events|scoring|qualification|contracts|gateway|all]  (default all)
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
  # It takes a password only on its command line, so it logs in as a user of its own that needs
  # none and may only add to its stream.
  REDISCLI_AUTH="$(cat "$DPS_TEST_REDIS_PASSWORD_FILE")" redis-cli --no-auth-warning \
    --user "$DPS_TEST_REDIS_USER" -p "$DPS_TEST_REDIS_PORT" \
    ACL SETUSER dps-bench on nopass resetkeys '~dps.redisbench' -@all +xadd +ping '+config|get' >/dev/null
  local xadd
  xadd=$(redis-benchmark -p "$DPS_TEST_REDIS_PORT" --user dps-bench -a none -c 1 -n "$EVENTS" -q \
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

# The gateway: GET /v1/referrals/{id} through it, the same GetReferral over gRPC directly, and a
# Beast server answering a fixed body, all with the same concurrency; then a bid POST through the
# gateway beside pgbench running the insert transaction a bid makes, twice: bids spread over the
# referrals (as providers answer in life: a referral's bids arrive over days) and every concurrent
# bid on the same referral (the worst case: they queue on the referral's row). Everything runs on
# this machine at once, so each figure is read against the others from the same run.
GW_CONCURRENCY=${DPS_BENCH_CONCURRENCY:-16}
GW_SECONDS=${DPS_BENCH_SECONDS:-10}
GW_REFERRALS=${DPS_BENCH_REFERRALS:-300}

bench_gateway() {
  command -v wrk >/dev/null || { echo "bench gateway: wrk is missing (apt-get install wrk)" >&2; return 1; }
  local work; work=$(mktemp -d /tmp/dps-bench-gateway.XXXXXX)
  local gw_url=${DPS_TEST_PG_URL%/postgres}/dps_gwbench
  psql "$DPS_TEST_PG_URL" -q -c "DROP DATABASE IF EXISTS dps_gwbench" -c "CREATE DATABASE dps_gwbench" >/dev/null
  # Keys, as ./dps up makes them.
  "$BUILD/platform/dps-token" keygen --kid=bench-idp --private="$work/idp.jwk" --public="$work/idp.jwks"
  local s
  for s in qualification referral contracts; do
    "$BUILD/platform/dps-token" keygen --kid="bench-$s" --private="$work/$s.jwk" --public="$work/services.jwks"
  done
  local -A grpc metrics
  for s in scoring qualification referral contracts relay; do grpc[$s]=$(free_port); metrics[$s]=$(free_port); done
  local gateway_port; gateway_port=$(free_port)
  common_env() {
    # As the administrators, whose passwords are in PGPASSFILE and DPS_TEST_REDIS_PASSWORD_FILE.
    echo "DPS_PG_URL=$gw_url DPS_REDIS_ADDRESS=$DPS_TEST_REDIS_ADDRESS DPS_AUTH_JWKS_FILE=$work/idp.jwks"
    echo "DPS_REDIS_USER=$DPS_TEST_REDIS_USER DPS_REDIS_PASSWORD_FILE=$DPS_TEST_REDIS_PASSWORD_FILE"
    echo "DPS_AUTH_ISSUER=bench DPS_AUTH_AUDIENCE=dps DPS_SERVICE_JWKS_FILE=$work/services.jwks"
    echo "DPS_GATEWAY_RATE=100000 DPS_GATEWAY_BURST=100000"
    local t; for t in scoring qualification referral contracts relay; do
      echo "DPS_$(echo "$t" | tr a-z A-Z)_TARGET=127.0.0.1:${grpc[$t]}"
    done
  }
  local pids=()
  local -A pid_of
  # Whatever happens, the processes started here stop with the benchmark.
  trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
  for s in scoring qualification referral contracts relay; do
    local key=""; [ -f "$work/$s.jwk" ] && key="DPS_SERVICE_KEY_FILE=$work/$s.jwk"
    # shellcheck disable=SC2046
    env $(common_env) $key DPS_GRPC_ADDRESS=127.0.0.1:${grpc[$s]} DPS_METRICS_ADDRESS=127.0.0.1:${metrics[$s]} \
      "$BUILD/services/$s/dps-$s" >"$work/$s.log" 2>&1 &
    pids+=($!)
    pid_of[$s]=$!
    local tries=0
    until "$BUILD/platform/dps-health-probe" "127.0.0.1:${grpc[$s]}" 1 >/dev/null 2>&1; do
      tries=$((tries + 1)); [ $tries -lt 150 ] || { echo "bench gateway: $s did not start" >&2; tail -3 "$work/$s.log" >&2; kill "${pids[@]}"; return 1; }
      sleep 0.2
    done
  done
  # shellcheck disable=SC2046
  env $(common_env) DPS_GATEWAY_ADDRESS=127.0.0.1:$gateway_port DPS_METRICS_ADDRESS=127.0.0.1:$(free_port) \
    DPS_GATEWAY_THREADS=2 "$BUILD/services/gateway/dps-gateway" >"$work/gateway.log" 2>&1 &
  pids+=($!)
  pid_of[gateway]=$!
  # Where the two cores go: CPU time (user + system, from /proc) of each process, and of every
  # PostgreSQL process together, sampled around a phase and divided by its requests.
  cpu_ticks() { local t=0 p f; for p in "$@"; do
      f=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) && t=$((t + ${f% *} + ${f#* }))
    done; echo "$t"; }
  cpu_sample() {
    echo "$(cpu_ticks "${pid_of[gateway]}") $(cpu_ticks "${pid_of[referral]}") $(cpu_ticks "${pid_of[qualification]}") $(cpu_ticks "${pid_of[relay]}") $(cpu_ticks $(pgrep -x postgres))"
  }
  cpu_report() {  # cpu_report BEFORE AFTER REQUESTS
    awk -v b="$1" -v a="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN {
      split(b, x, " "); split(a, y, " "); split("gateway referral qualification relay postgres", name, " ")
      printf "    CPU ms per request:"
      for (i = 1; i <= 5; i++) printf " %s %.2f", name[i], (y[i] - x[i]) * 1000 / hz / (n > 0 ? n : 1)
      printf "\n" }'
  }
  local floor_port; floor_port=$(free_port)
  "$BUILD/services/gateway/http-floor" "$floor_port" 2 &
  pids+=($!)
  local api=http://127.0.0.1:$gateway_port
  until curl -fsS "$api/readyz" >/dev/null 2>&1; do sleep 0.2; done

  # The demo world, and referrals enough for thousands of distinct bids.
  export DPS_DEV_IDP_KEY_FILE=$work/idp.jwk DPS_AUTH_ISSUER=bench DPS_AUTH_AUDIENCE=dps
  "$BUILD/services/qualification/tools/dps-demo-data" --target=127.0.0.1:${grpc[qualification]} \
    --data_dir="$(dirname "${BASH_SOURCE[0]}")/../data" --establishments=60 >/dev/null
  "$BUILD/services/referral/tools/dps-demo-referrals" --qualification=127.0.0.1:${grpc[qualification]} \
    --referral=127.0.0.1:${grpc[referral]} >/dev/null
  mint() { "$BUILD/platform/dps-token" mint --key="$work/idp.jwk" --issuer=bench --audience=dps \
    --sub="bench-$1" --role="$1" --org="$2"; }
  local officer; officer=$(mint ROLE_PLACING_OFFICER brighton-and-hove)
  local referral template
  template=$(curl -fsS -H "Authorization: Bearer $officer" "$api/v1/referrals" | jq -c '.referrals[0]')
  referral=$(jq -r .id <<<"$template")
  local spec; spec=$(jq -c '{spec: .spec}' <<<"$template")
  local i
  for i in $(seq 1 "$GW_REFERRALS"); do
    local id
    id=$(curl -fsS -X POST "$api/v1/referrals" -H "Authorization: Bearer $officer" \
      -H "Content-Type: application/json" -H "Idempotency-Key: bench-create-$i" -d "$spec" | jq -r .id)
    curl -fsS -X POST "$api/v1/referrals/$id:publish" -H "Authorization: Bearer $officer" \
      -H "Content-Type: application/json" -H "Idempotency-Key: bench-publish-$i" -d '{}' >/dev/null
    curl -fsS -H "Authorization: Bearer $officer" "$api/v1/referrals/$id/invitations?page.page_size=500" \
      | jq -r --arg r "$i" '.invitations[] | "\(.id) \(.provider_id) \($r)"' >>"$work/invitations.txt"
  done
  # Half the referrals for each order. Spread: the first invitation of every referral, then the
  # second of each, and so on. Grouped: a referral's invitations one after another, so the
  # concurrent requests are on the same referral.
  local half=$((GW_REFERRALS / 2))
  awk -v h="$half" '$3 > h { n[$3]++; print n[$3], $0 }' "$work/invitations.txt" | sort -s -n -k1,1 \
    | cut -d' ' -f2- >"$work/spread.txt"
  awk -v h="$half" '$3 <= h' "$work/invitations.txt" >"$work/grouped.txt"
  # One token per provider, then the Lua tables wrk reads: {invitation, token} per bid.
  declare -A provider_token
  local order invitation provider
  for order in spread grouped; do
    {  # a brace group, not a subshell: the tokens minted are kept for the next order
      echo "bids = {"
      while read -r invitation provider _; do
        [ -n "${provider_token[$provider]:-}" ] || provider_token[$provider]=$(mint ROLE_PROVIDER_USER "$provider")
        echo "  {\"$invitation\", \"${provider_token[$provider]}\"},"
      done <"$work/$order.txt"
      echo "}"
    } >"$work/bids-$order.lua"
  done
  local bid_count; bid_count=$(wc -l <"$work/spread.txt")
  # Each wrk thread takes every Nth bid, so no two requests carry the same invitation.
  cat >"$work/post_bid.lua" <<'LUA'
dofile(os.getenv("BIDS_FILE"))
local counter = 0
function setup(thread)
  thread:set("first", counter)
  counter = counter + 1
end
function init(args)
  index = first + 1
  stride = tonumber(os.getenv("WRK_THREADS"))
end
function request()
  local bid = bids[index]
  if bid == nil then
    wrk.thread:stop()
    bid = bids[1]
  end
  index = index + stride
  return wrk.format("POST", "/v1/invitations/" .. bid[1] .. "/bids", {
    ["Authorization"] = "Bearer " .. bid[2],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-bid-" .. bid[1],
  }, '{"content": {"core_fee": {"pence": "365000"}, "needs_met": ["ASD", "SEMH"], ' ..
     '"earliest_start": {"year": 2027, "month": 1, "day": 1}, "outcomes_answer": "Keyworker every day."}}')
end
function done(summary, latency, requests)
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
LUA

  # wrk's summary line as "rps p50_ms p99_ms".
  wrk_figures() {
    awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
      END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
  }
  echo "== gateway: GET /v1/referrals/{id}, $GW_CONCURRENCY connections, ${GW_SECONDS}s each"
  local through direct floor cpu_before cpu_through cpu_direct
  cpu_before=$(cpu_sample)
  through=$(wrk -t2 -c"$GW_CONCURRENCY" -d"${GW_SECONDS}s" --latency -H "Authorization: Bearer $officer" \
    "$api/v1/referrals/$referral" | wrk_figures)
  cpu_through=$(cpu_sample)
  # GetReferralRequest{id}: field 1 (tag 0x0a), its length (one byte: ids are short), the id.
  { printf '\x0a'; printf "\\x$(printf %02x "${#referral}")"; printf '%s' "$referral"; } >"$work/get_referral.bin"
  direct=$("$BUILD/services/gateway/grpc-load" --target=127.0.0.1:${grpc[referral]} \
    --method=/dps.referral.v1.ReferralService/GetReferral --request="$work/get_referral.bin" \
    --token="$officer" --concurrency="$GW_CONCURRENCY" --seconds="$GW_SECONDS" \
    | awk '{printf "%.0f %.3f %.3f\n", $6, $8, $10}')
  cpu_direct=$(cpu_sample)
  floor=$(wrk -t2 -c"$GW_CONCURRENCY" -d"${GW_SECONDS}s" --latency "http://127.0.0.1:$floor_port/" | wrk_figures)
  read -r t_rps t_p50 t_p99 <<<"$through"
  read -r d_rps d_p50 d_p99 <<<"$direct"
  read -r f_rps f_p50 f_p99 <<<"$floor"
  printf '  %-44s %9s req/s  p50 %7s ms  p99 %7s ms\n' "through the gateway (REST, JSON)" "$t_rps" "$t_p50" "$t_p99"
  cpu_report "$cpu_before" "$cpu_through" $((t_rps * GW_SECONDS))
  printf '  %-44s %9s req/s  p50 %7s ms  p99 %7s ms\n' "GetReferral over gRPC directly" "$d_rps" "$d_p50" "$d_p99"
  cpu_report "$cpu_through" "$cpu_direct" $((d_rps * GW_SECONDS))
  printf '  %-44s %9s req/s  p50 %7s ms  p99 %7s ms\n' "a Beast server answering a fixed body" "$f_rps" "$f_p50" "$f_p99"
  awk -v t="$t_rps" -v d="$d_rps" -v tp="$t_p50" -v dp="$d_p50" 'BEGIN {
    printf "  gateway / direct gRPC: throughput %.2f (target >= 0.70), p50 %.2fx (target <= 1.3)\n", t / d, tp / dp }'

  echo "== gateway: a bid POST ($bid_count distinct invitations per order, ${GW_SECONDS}s) beside pgbench running a bid's insert transaction"
  local posted p_rps p_p50 p_p99
  declare -A bid_figures bid_non2xx bid_cpu
  local statements=${DPS_BENCH_STATEMENTS:-}
  if [ -n "$statements" ]; then
    psql "$gw_url" -q -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  fi
  for order in spread grouped; do
    [ -z "$statements" ] || psql "$gw_url" -qAt -c "SELECT pg_stat_statements_reset()" >/dev/null
    cpu_before=$(cpu_sample)
    posted=$(BIDS_FILE="$work/bids-$order.lua" WRK_THREADS=2 wrk -t2 -c"$GW_CONCURRENCY" \
      -d"${GW_SECONDS}s" --latency -s "$work/post_bid.lua" "$api")
    bid_figures[$order]=$(wrk_figures <<<"$posted")
    bid_non2xx[$order]=$(sed -n 's/^non2xx=//p' <<<"$posted")
    local bids_done
    bids_done=$(awk -v r="$(cut -d' ' -f1 <<<"${bid_figures[$order]}")" -v s="$GW_SECONDS" 'BEGIN { print int(r * s) }')
    bid_cpu[$order]=$(cpu_report "$cpu_before" "$(cpu_sample)" "$bids_done")
    if [ -n "$statements" ]; then
      # Every statement of every process in the phase, the costliest first, per bid made.
      echo "  statements during the $order bids (per bid: calls, ms executing, ms planning):"
      psql "$gw_url" -qAt -F ' | ' -v n="$bids_done" <<'SQL' | sed 's/^/    /'
SELECT round(calls::numeric / greatest(:n, 1), 2), round((total_exec_time / greatest(:n, 1))::numeric, 3),
       round((total_plan_time / greatest(:n, 1))::numeric, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 150)
FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 40
SQL
    fi
  done
  # The same writes a bid makes, in one transaction: the idempotency key, the bid, the
  # invitation's state, the event in the outbox, the stored response.
  psql "$gw_url" -q >/dev/null <<'SQL'
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE IF NOT EXISTS bench.idempotency_keys (LIKE referral.idempotency_keys INCLUDING ALL);
CREATE TABLE IF NOT EXISTS bench.bids (LIKE referral.bids INCLUDING ALL);
CREATE TABLE IF NOT EXISTS bench.invitations (id text PRIMARY KEY, state text, version bigint, doc jsonb);
INSERT INTO bench.invitations SELECT g::text, 'INVITED', 1, '{}' FROM generate_series(1, 100000) g;
CREATE TABLE IF NOT EXISTS bench.outbox (LIKE referral.outbox INCLUDING ALL);
SQL
  local doc; doc=$(jq -c '.' <<<'{"content":{"core_fee":{"pence":"365000"},"outcomes_answer":"Keyworker every day."},"state":"BID_STATE_SUBMITTED","referral_id":"r","invitation_id":"i","establishment_id":"e","provider_id":"p","version":"1"}')
  cat >"$work/bid.sql" <<SQL
\set n random(1, 100000)
BEGIN;
INSERT INTO bench.idempotency_keys (scope, key, request_sha256) VALUES ('p/SubmitBid', md5(random()::text), md5('x'));
INSERT INTO bench.bids (id, referral_id, invitation_id, establishment_id, provider_id, state, doc) VALUES (gen_random_uuid()::text, 'r', gen_random_uuid()::text, 'e', 'p', 'SUBMITTED', '$doc');
UPDATE bench.invitations SET state = 'BID', version = version + 1 WHERE id = :n::text;
INSERT INTO bench.outbox (stream, event_type, aggregate_id, request_id, payload) VALUES ('dps.referral', 'referral.bid.submitted', 'b', 'r', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
UPDATE bench.idempotency_keys SET response = 'x' WHERE scope = 'p/SubmitBid' AND key = 'none';
COMMIT;
SQL
  local pg_tps
  pg_tps=$(/usr/lib/postgresql/15/bin/pgbench -n -c "$GW_CONCURRENCY" -j 2 -T "$GW_SECONDS" -f "$work/bid.sql" "$gw_url" 2>"$work/pgbench.log" \
    | awk '/^tps/ {print int($3)}') \
    || { echo "bench gateway: pgbench failed:" >&2; tail -5 "$work/pgbench.log" >&2; return 1; }
  printf '  %-44s %9s tps\n' "pgbench, the same writes" "$pg_tps"
  # The floor: every statement a bid makes PostgreSQL run, in every process, as pg_stat_statements
  # counts them (DPS_BENCH_STATEMENTS=1 above): the idempotency check, the read before the change,
  # the change, the audit chain's seal, the relay's read and mark, and the two consumers (market
  # figures and the processed-event records), in the same six transactions, with the referrals'
  # and invitations' real records. No application runs, so this is the most bids a second the
  # database allows on this machine however lean the services are. (Sixteen clients each relaying
  # would lock one another's rows where one relay reads the oldest: each relays from its own event.)
  psql "$gw_url" -q >/dev/null <<'SQL'
CREATE TABLE bench.floor_referrals (LIKE referral.referrals INCLUDING ALL);
INSERT INTO bench.floor_referrals SELECT * FROM referral.referrals;
CREATE TABLE bench.floor_invitations (LIKE referral.invitations INCLUDING ALL);
INSERT INTO bench.floor_invitations
  SELECT row_number() OVER (ORDER BY id)::text, referral_id, establishment_id, provider_id, state, version, doc
  FROM referral.invitations;
CREATE TABLE bench.audit_log (LIKE referral.audit_log INCLUDING ALL);
CREATE TABLE bench.processed_events (LIKE referral.processed_events INCLUDING ALL);
CREATE TABLE bench.market_bids (LIKE contracts.market_bids INCLUDING ALL);
SQL
  local invitations_copied
  invitations_copied=$(psql "$gw_url" -qAt -c "SELECT count(*) FROM bench.floor_invitations")
  cat >"$work/floor.sql" <<SQL
\set n random(1, $invitations_copied)
SELECT request_sha256, response FROM bench.idempotency_keys WHERE scope = 'p/SubmitBid' AND key = :n::text AND response IS NOT NULL AND created_at >= now() - interval '1 day';
BEGIN;
SELECT doc AS invitation_doc, referral_id FROM bench.floor_invitations WHERE id = :n::text \gset
SELECT doc AS referral_doc FROM bench.floor_referrals WHERE id = :referral_id \gset
COMMIT;
BEGIN;
SELECT pg_try_advisory_xact_lock(hashtextextended('p/SubmitBid' || :n::text, 0));
INSERT INTO bench.idempotency_keys (scope, key, request_sha256) VALUES ('p/SubmitBid', md5(random()::text), md5('x')) ON CONFLICT (scope, key) DO UPDATE SET request_sha256 = EXCLUDED.request_sha256;
SELECT doc FROM bench.floor_invitations WHERE id = :n::text;
SELECT doc FROM bench.floor_referrals WHERE id = :referral_id FOR UPDATE;
SELECT doc FROM bench.floor_invitations WHERE id = :n::text FOR UPDATE;
INSERT INTO bench.bids (id, referral_id, invitation_id, establishment_id, provider_id, state, version, doc) VALUES (gen_random_uuid()::text, :referral_id, gen_random_uuid()::text, 'e', 'p', 'SUBMITTED', 1, '$doc');
UPDATE bench.floor_invitations SET state = 'BID', version = version + 1, doc = :invitation_doc::jsonb WHERE id = :n::text;
UPDATE bench.floor_referrals SET state = 'OPEN', version = version + 1, doc = :referral_doc::jsonb WHERE id = :referral_id;
INSERT INTO bench.outbox (stream, event_type, aggregate_id, request_id, payload) VALUES ('dps.referral', 'referral.bid.submitted', 'b', 'r', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') RETURNING id AS outbox_id \gset
SELECT pg_notify('dps_outbox_bench', 'bench');
INSERT INTO bench.audit_log (entry_id, recorded_at, actor_user_id, actor_role, actor_organisation_id, request_id, action, aggregate_type, aggregate_id, system_id, authority_id, from_state, to_state, reason, details_json) VALUES (gen_random_uuid(), now(), 'bench-provider', 'ROLE_PROVIDER_USER', 'provider', 'request', 'SubmitBid', 'bid', 'b', 'system', 'authority', '', 'SUBMITTED', '', '{}') RETURNING staging_id \gset
SELECT state, COALESCE((doc->>'suspended')::boolean, false) FROM bench.floor_invitations WHERE referral_id = :referral_id;
UPDATE bench.idempotency_keys SET response = 'x' WHERE scope = 'p/SubmitBid' AND key = 'none';
COMMIT;
BEGIN;
UPDATE bench.audit_log SET sequence = :staging_id, prev_hash = md5(:staging_id::text), content_hash = md5('c' || :staging_id), hash = md5('h' || :staging_id) WHERE staging_id = :staging_id;
COMMIT;
BEGIN;
SELECT id, event_id::text, stream, event_type, aggregate_id, request_id, payload, created_at FROM bench.outbox WHERE published_at IS NULL AND id >= :outbox_id ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED;
UPDATE bench.outbox SET published_at = now() WHERE id IN (:outbox_id);
COMMIT;
BEGIN;
INSERT INTO bench.processed_events (consumer_group, event_id) VALUES ('market', gen_random_uuid()) ON CONFLICT DO NOTHING;
INSERT INTO bench.market_bids (bid_id, referral_id, withdrawn, submitted_at) VALUES (gen_random_uuid()::text, :referral_id, false, now()) ON CONFLICT (bid_id) DO NOTHING;
COMMIT;
BEGIN;
INSERT INTO bench.processed_events (consumer_group, event_id) VALUES ('closing', gen_random_uuid()) ON CONFLICT DO NOTHING;
COMMIT;
SQL
  local floor_tps
  floor_tps=$(/usr/lib/postgresql/15/bin/pgbench -n -M extended -c "$GW_CONCURRENCY" -j 2 -T "$GW_SECONDS" -f "$work/floor.sql" "$gw_url" 2>"$work/pgbench-floor.log" \
    | awk '/^tps/ {print int($3)}') \
    || { echo "bench gateway: pgbench (floor) failed:" >&2; tail -5 "$work/pgbench-floor.log" >&2; return 1; }
  printf '  %-44s %9s tps\n' "pgbench, every statement a bid makes" "$floor_tps"
  awk -v f="$floor_tps" -v g="$pg_tps" 'BEGIN { printf "  the database alone, a bid / the same writes: %.2f (the most the bid POST can reach)\n", f / g }'
  for order in spread grouped; do
    read -r p_rps p_p50 p_p99 <<<"${bid_figures[$order]}"
    printf '  %-44s %9s req/s  p50 %7s ms  p99 %7s ms  (%s not 2xx)\n' \
      "bid POST, $order" "$p_rps" "$p_p50" "$p_p99" "${bid_non2xx[$order]:-?}"
    echo "${bid_cpu[$order]}"
    awk -v p="$p_rps" -v g="$pg_tps" -v f="$floor_tps" -v o="$order" 'BEGIN {
      printf "  bid POST %s / pgbench: %.2f (target >= 0.50); / every statement a bid makes: %.2f\n", o, p / g, p / f }'
  done
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}

bench_qualification() {
  if [ -x "$BUILD/services/qualification/eligibility_bench" ]; then
    echo "== qualification eligibility query"
    "$BUILD/services/qualification/eligibility_bench" "$DPS_TEST_PG_URL"
  fi
}

# The contracts service: a backlog of award events drained by its award consumer beside the bare
# consumer draining the same entries, and the agreement's PDF beside the same document as HTML.
# Both baselines are measured by contracts_bench itself, in the same run (see its top comment).
CONTRACTS_AWARDS=${DPS_BENCH_AWARDS:-10000}
CONTRACTS_DOCUMENTS=${DPS_BENCH_DOCUMENTS:-200}

bench_contracts() {
  echo "== contracts: $CONTRACTS_AWARDS award events -> DRAFT IPAs, and $CONTRACTS_DOCUMENTS agreements' PDF"
  local ours
  ours=$("$BUILD/services/contracts/contracts_bench" "$DPS_TEST_PG_URL" "$DPS_TEST_REDIS_ADDRESS" \
    "$CONTRACTS_AWARDS" "$CONTRACTS_DOCUMENTS")
  echo "$ours" | sed 's/^/  /'
  awk -F= '{ v[$1] = $2 } END {
    printf "  award consumer %s IPAs/s (%s rows), bare consumer %s events/s: ratio %s\n",
      v["ipas_per_second"], v["ipas"], v["bare_consumer_events_per_second"], v["ratio_ipas_over_bare"]
    printf "    CPU ms per event: award consumer %s + PostgreSQL %s, bare consumer %s + PostgreSQL %s\n",
      v["ipa_cpu_ms_per_event_consumer"], v["ipa_cpu_ms_per_event_postgres"],
      v["bare_cpu_ms_per_event_consumer"], v["bare_cpu_ms_per_event_postgres"]
    printf "  PDF %s ms a document (p50 %s, p99 %s, CPU %s, %s bytes), HTML %s ms (CPU %s, %s bytes)\n",
      v["pdf_ms_mean"], v["pdf_ms_p50"], v["pdf_ms_p99"], v["pdf_cpu_ms_mean"], v["pdf_bytes_mean"],
      v["html_ms_mean"], v["html_cpu_ms_mean"], v["html_bytes_mean"]
    printf "  ratio PDF / HTML: %s (time), %s (CPU)\n", v["ratio_pdf_over_html_mean"], v["ratio_pdf_over_html_cpu"] }' <<<"$ours"
}

case "$what" in
  events) bench_events ;;
  scoring) bench_scoring ;;
  gateway) bench_gateway ;;
  qualification) bench_qualification ;;
  contracts) bench_contracts ;;
  all) bench_events; bench_scoring; bench_qualification; bench_contracts; bench_gateway ;;
  *) echo "usage: ./dps bench [events|scoring|qualification|contracts|gateway|all]" >&2; exit 2 ;;
esac
