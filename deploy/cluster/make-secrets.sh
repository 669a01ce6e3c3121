#!/usr/bin/env bash
# Fills OVERLAY/secrets/ with what an overlay's secretGenerator reads and that we can make:
# random passwords for each service's PostgreSQL role and Redis user, and each signing service's
# private key (a JWK, as the services read it) with its public half in secrets/service-jwks.json.
# Files already there are kept, so running it again changes nothing. The identity provider's JWKS
# (secrets/jwks.json) comes from the council group's identity provider: it must be put there.
# The keys are made by the suite's own dps-token (BUILD_DIR/platform/dps-token).
#   deploy/cluster/make-secrets.sh deploy/cluster/overlays/staging [BUILD_DIR]
set -euo pipefail
overlay=${1:?usage: make-secrets.sh OVERLAY_DIR [BUILD_DIR]}
build=${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}
token_tool="$build/platform/dps-token"
[ -x "$token_tool" ] || { echo "make-secrets: $token_tool not found: build the suite first" >&2; exit 2; }
dir="$overlay/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
umask 077
for s in qualification referral contracts relay; do
  [ -f "$dir/pg-$s" ] || openssl rand -hex 24 | tr -d '\n' >"$dir/pg-$s"
  [ -f "$dir/redis-$s" ] || openssl rand -hex 24 | tr -d '\n' >"$dir/redis-$s"
done
for s in qualification referral contracts; do
  [ -f "$dir/service-key-$s.jwk" ] ||
    "$token_tool" keygen --kid="$s-$(date -u +%Y%m%d%H%M%S)" --private="$dir/service-key-$s.jwk" \
      --public="$dir/service-jwks.json" >/dev/null
done
[ -f "$dir/jwks.json" ] || echo "make-secrets: still to provide: $dir/jwks.json" >&2
