#!/usr/bin/env bash
# ./dps as the README tells a newcomer to use it, in a temporary state folder on free ports:
# up, status, up again (harmless), down, up (the data is still there), logs, down.
#   dps_script_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
root=$1
export DPS_BUILD_DIR=$2
export DPS_STATE_DIR; DPS_STATE_DIR=$(mktemp -d /tmp/dps-script-test.XXXXXX)
chmod 755 "$DPS_STATE_DIR"
source "$root/deploy/local/servers.sh"

fail() { echo "FAILED: $*" >&2; exit 1; }

# Seven consecutive free ports for gRPC and seven for metrics, from a random base.
free_run() {
  local base
  for _ in $(seq 1 50); do
    base=$((20000 + RANDOM % 20000))
    local ok=1 p
    for p in $(seq "$base" $((base + 7))); do
      if (echo >/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then ok=0; break; fi
    done
    [ $ok = 1 ] && { echo "$base"; return; }
  done
  fail "no free port range"
}
export DPS_GRPC_PORT_BASE; DPS_GRPC_PORT_BASE=$(free_run)
export DPS_METRICS_PORT_BASE; DPS_METRICS_PORT_BASE=$(free_run)
export DPS_PG_PORT; DPS_PG_PORT=$(free_port)
export DPS_REDIS_PORT; DPS_REDIS_PORT=$(free_port)
export DPS_GATEWAY_PORT; DPS_GATEWAY_PORT=$(free_port)

cleanup() { "$root/dps" down >/dev/null 2>&1 || true; rm -rf "$DPS_STATE_DIR"; }
trap cleanup EXIT

dps() { "$root/dps" "$@"; }

dps up 2>&1 | tail -2
dps status || fail "status after up"
curl -fsS "http://127.0.0.1:$DPS_GATEWAY_PORT/readyz" | grep -q '"status":"ready"' || fail "readyz"

url=$(pg_url "$DPS_STATE_DIR" "$DPS_PG_PORT" dps)
demo_members() { psql "$url" -tAc "SELECT count(*) FROM qualification.memberships WHERE state = 'QUALIFIED'"; }
[ "$(demo_members)" -gt 0 ] || fail "no demo data after up"
members_before=$(demo_members)
psql "$url" -q -c "CREATE TABLE public.kept (x int)" -c "INSERT INTO public.kept VALUES (42)"
pids_before=$(cat "$DPS_STATE_DIR"/run/*.pid | sort)

dps up >/dev/null 2>&1 || fail "second up"
[ "$(cat "$DPS_STATE_DIR"/run/*.pid | sort)" = "$pids_before" ] || fail "second up restarted processes"

dps down 2>&1 | tail -1
if dps status >/dev/null; then fail "status says healthy after down"; fi

dps up >/dev/null 2>&1 || fail "up after down"
[ "$(psql "$url" -tAc 'SELECT x FROM public.kept')" = 42 ] || fail "data lost across down and up"
[ "$(demo_members)" = "$members_before" ] || fail "demo data loaded twice"
# logs follows the file until stopped; timeout stops it.
relay_log=$(timeout 2 "$root/dps" logs relay 2>/dev/null || true)
grep -q '"msg":"serving"' <<<"$relay_log" || fail "logs relay"

dps down 2>&1 | tail -1
echo "dps script: up with demo data, status, idempotent up, down, up with data kept and demo data not doubled, logs, down: all as expected"
