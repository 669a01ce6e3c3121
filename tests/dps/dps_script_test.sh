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

# Every port the suite listens on, from one block that is free now: PostgreSQL, Redis, the
# gateway, then seven for gRPC and seven for metrics. The block lies below the kernel's ephemeral
# range, where the other tests' port-0 listeners and every outgoing connection take their ports.
choose_ports() {
  local base
  base=$(python3 - <<'PY'
import random, socket, sys
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    ephemeral_low = int(f.read().split()[0])
top = ephemeral_low if ephemeral_low > 20000 else 32000
for _ in range(200):
    base = random.randrange(10000, top - 17)
    held = []
    try:
        for port in range(base, base + 17):
            s = socket.socket()
            s.bind(("127.0.0.1", port))
            held.append(s)
    except OSError:
        continue
    finally:
        for s in held:
            s.close()
    print(base)
    sys.exit(0)
sys.exit(1)
PY
  ) || fail "no free block of 17 ports"
  export DPS_PG_PORT=$base DPS_REDIS_PORT=$((base + 1)) DPS_GATEWAY_PORT=$((base + 2))
  export DPS_GRPC_PORT_BASE=$((base + 3)) DPS_METRICS_PORT_BASE=$((base + 10))
}

cleanup() { "$root/dps" down >/dev/null 2>&1 || true; rm -rf "$DPS_STATE_DIR"; }
trap cleanup EXIT

dps() { "$root/dps" "$@"; }

# This machine is shared: another program may take one of our ports between choosing and
# listening. Only that failure is retried, on a new block; any other failure of up is the test's.
for attempt in 1 2 3; do
  choose_ports
  if up_output=$(dps up 2>&1); then break; fi
  grep -qE 'cannot listen|could not bind|Address already in use|did not start on port' <<<"$up_output" \
    && [ "$attempt" -lt 3 ] || { echo "$up_output" >&2; fail "up"; }
  echo "dps script: a port was taken, trying another block: $(grep -m1 -E 'listen|bind|port' <<<"$up_output")"
  dps down >/dev/null 2>&1 || true
  rm -rf "${DPS_STATE_DIR:?}"/*
done
tail -2 <<<"$up_output"
dps status || fail "status after up"
curl -fsS "http://127.0.0.1:$DPS_GATEWAY_PORT/readyz" | grep -q '"status":"ready"' || fail "readyz"

# Privilege (README, "Security"). No process's command line holds a password: every local user
# can read command lines (ps, /proc/PID/cmdline).
secrets=("$DPS_STATE_DIR/pg-password" "$DPS_STATE_DIR"/secrets/*)
[ ${#secrets[@]} -ge 9 ] || fail "expected the superuser's and 8 service passwords, found ${#secrets[*]}"
command_lines=$(ps -e -o args=)
for secret_file in "${secrets[@]}"; do
  [ "$(stat -c %a "$secret_file")" = 600 ] || fail "$secret_file is not mode 600"
  # The password as grep's pattern file: as an argument, grep's own command line would hold it.
  if grep -qF -f "$secret_file" <<<"$command_lines"; then
    fail "a command line holds the password in $secret_file"
  fi
done
# Neither server runs as root.
redis_user=$(ps -o user= -p "$(cat "$DPS_STATE_DIR/redis.pid")")
pg_user=$(ps -o user= -p "$(head -1 "$DPS_STATE_DIR/pgdata/postmaster.pid")")
[ "$redis_user" != root ] && [ -n "$redis_user" ] || fail "Redis runs as '$redis_user'"
[ "$pg_user" != root ] && [ -n "$pg_user" ] || fail "PostgreSQL runs as '$pg_user'"
# Each service as its own role, with no superuser among them, and each reaching only its schema.
export PGPASSFILE="$DPS_STATE_DIR/pgpass"
url=$(pg_url "$DPS_STATE_DIR" "$DPS_PG_PORT" dps)
roles=$(psql "$url" -tAc "SELECT string_agg(DISTINCT usename, ',' ORDER BY usename) FROM pg_stat_activity WHERE datname = 'dps' AND usename LIKE 'dps_%'")
[ "$roles" = dps_contracts,dps_qualification,dps_referral,dps_relay ] || fail "services connected as '$roles'"
[ "$(psql "$url" -tAc "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'dps\_%' AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls)")" = 0 ] \
  || fail "a service role has more than a login"
[ "$(psql "$url" -tAc "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'referral'")" = dps_referral ] \
  || fail "the referral schema is not its role's"
referral_url=$(pg_url "$DPS_STATE_DIR" "$DPS_PG_PORT" dps dps_referral)
if psql "$referral_url" -tAc "SELECT count(*) FROM qualification.memberships" >/dev/null 2>&1; then
  fail "the referral role reads the qualification schema"
fi
# Redis: the default user is off, a consumer cannot forge an event, the relay can add one.
if redis-cli -p "$DPS_REDIS_PORT" ping 2>/dev/null | grep -q PONG; then fail "Redis answers without a login"; fi
as_user() {  # as_user SERVICE REDIS-ARGS...
  local service=$1; shift
  REDISCLI_AUTH="$(cat "$DPS_STATE_DIR/secrets/redis-$service")" \
    redis-cli --no-auth-warning --user "dps-$service" -p "$DPS_REDIS_PORT" "$@"
}
forged=$(as_user referral XADD dps.qualification '*' event_id forged type forged 2>&1 || true)
grep -q NOPERM <<<"$forged" || fail "the referral user's XADD to dps.qualification was not refused: $forged"
grep -q NOPERM <<<"$(as_user relay XADD dps.qualification.probe '*' x 1 2>&1 || true)" \
  && fail "the relay user may not add to a dps stream"
redis_cli "$DPS_STATE_DIR" "$DPS_REDIS_PORT" DEL dps.qualification.probe >/dev/null
demo_members() { psql "$url" -tAc "SELECT count(*) FROM qualification.memberships WHERE state = 'QUALIFIED'"; }
[ "$(demo_members)" -gt 0 ] || fail "no demo data after up"
members_before=$(demo_members)
# The walkthrough's demo system (two open referrals, one awarded) and the five seed systems, each
# with one referral open and one awarded among its referrals in every state.
open_referrals() { psql "$url" -tAc "SELECT count(*) FROM referral.referrals WHERE state = 'OPEN'"; }
[ "$(open_referrals)" = 7 ] || fail "not the seven open demo referrals after up: $(open_referrals)"
awarded=$(psql "$url" -tAc "SELECT count(*) FROM referral.referrals WHERE state = 'AWARDED'")
[ "$awarded" = 6 ] || fail "not the six awarded demo referrals after up: $awarded"
[ "$(psql "$url" -tAc "SELECT count(*) FROM qualification.purchasing_systems WHERE state = 'LIVE'")" = 6 ] \
  || fail "not the demo system and the five seed systems LIVE after up"
states=$(psql "$url" -tAc "SELECT string_agg(DISTINCT state, ',' ORDER BY state) FROM referral.referrals")
[ "$states" = AWAITING_PARENTAL_CHOICE,AWARDED,CLOSED,DRAFT,EVALUATED,NO_SUITABLE_OFFER,OPEN,WITHDRAWN ] \
  || fail "the demo referrals are not in every state: $states"
[ "$(psql "$url" -tAc "SELECT count(DISTINCT establishment_id) FROM qualification.memberships WHERE state = 'QUALIFIED'")" -ge 274 ] \
  || fail "fewer than the 250 + 24 demo establishments qualified"
# The contracts service draws up each award's agreement from its event, within seconds.
for _ in $(seq 1 150); do
  drafted=$(psql "$url" -tAc "SELECT count(*) FROM contracts.ipas WHERE state = 'DRAFT'")
  [ "$drafted" = 6 ] && break
  sleep 0.2
done
[ "$drafted" = 6 ] || fail "not a draft agreement for each awarded demo referral: $drafted"
invitations() { psql "$url" -tAc "SELECT count(*) FROM referral.invitations"; }
[ "$(invitations)" -gt 0 ] || fail "the demo referral invited no one"
invitations_before=$(invitations)
# The README's curl walkthrough, word for word (only the gateway's port differs here).
walkthrough=$(sed -n '/<!-- walkthrough:begin -->/,/<!-- walkthrough:end -->/p' "$root/README.md" \
  | sed -e '/^<!--/d' -e '/^```/d' -e "s|127.0.0.1:8080|127.0.0.1:$DPS_GATEWAY_PORT|")
[ -n "$walkthrough" ] || fail "no walkthrough in README.md"
(cd "$root" && bash -euo pipefail -c "$walkthrough") >"$DPS_STATE_DIR/walkthrough.out" 2>&1 \
  || { cat "$DPS_STATE_DIR/walkthrough.out" >&2; fail "the README walkthrough"; }
grep -q '"status": 403' "$DPS_STATE_DIR/walkthrough.out" || fail "the walkthrough's sealed bid"
grep -q '"state": "IPA_STATE_SIGNED"' "$DPS_STATE_DIR/walkthrough.out" \
  || fail "the walkthrough's agreement signed by both parties"
signed() { psql "$url" -tAc "SELECT count(*) FROM contracts.ipas WHERE state = 'SIGNED'"; }
[ "$(signed)" = 1 ] || fail "the walkthrough's agreement is not SIGNED in the database"

psql "$url" -q -c "CREATE TABLE public.kept (x int)" -c "INSERT INTO public.kept VALUES (42)"
pids_before=$(cat "$DPS_STATE_DIR"/run/*.pid | sort)

dps up >/dev/null 2>&1 || fail "second up"
[ "$(cat "$DPS_STATE_DIR"/run/*.pid | sort)" = "$pids_before" ] || fail "second up restarted processes"

dps down 2>&1 | tail -1
if dps status >/dev/null; then fail "status says healthy after down"; fi

dps up >/dev/null 2>&1 || fail "up after down"
[ "$(psql "$url" -tAc 'SELECT x FROM public.kept')" = 42 ] || fail "data lost across down and up"
[ "$(demo_members)" = "$members_before" ] || fail "demo data loaded twice"
[ "$(open_referrals)" = 6 ] && [ "$(invitations)" = "$invitations_before" ] \
  || fail "demo referrals published twice"
grep -q "demo systems: loaded on" <<<"$(dps up 2>&1)" || fail "a third up loaded the demo systems again"
# logs follows the file until stopped; timeout stops it.
relay_log=$(timeout 2 "$root/dps" logs relay 2>/dev/null || true)
grep -q '"msg":"serving"' <<<"$relay_log" || fail "logs relay"

dps down 2>&1 | tail -1
echo "dps script: up with demo data (the walkthrough's system with two open referrals and an awarded one with its draft agreement; the five seed systems with 250 establishments and referrals in every state), no password on a command line, a role and a Redis user per service, the README walkthrough to a signed agreement, status, idempotent up, down, up with data kept and demo data not doubled, logs, down: all as expected"
