#!/usr/bin/env bash
# Fills OVERLAY/secrets/ with what an overlay's secretGenerator reads and that we can make:
# random passwords for each service's PostgreSQL role and Redis user, and each signing service's
# private key. Files already there are kept, so running it again changes nothing. The identity
# provider's JWKS (secrets/jwks.json) comes from the council group's identity provider and the
# services' public JWKS (secrets/service-jwks.json) from their keys: both must be put there.
#   deploy/cluster/make-secrets.sh deploy/cluster/overlays/staging
set -euo pipefail
overlay=${1:?usage: make-secrets.sh OVERLAY_DIR}
dir="$overlay/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
umask 077
for s in qualification referral contracts relay; do
  [ -f "$dir/pg-$s" ] || openssl rand -hex 24 | tr -d '\n' >"$dir/pg-$s"
  [ -f "$dir/redis-$s" ] || openssl rand -hex 24 | tr -d '\n' >"$dir/redis-$s"
done
for s in qualification referral contracts; do
  [ -f "$dir/service-key-$s.pem" ] ||
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/service-key-$s.pem"
done
missing=()
for f in jwks.json service-jwks.json; do [ -f "$dir/$f" ] || missing+=("$dir/$f"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make-secrets: still to provide: ${missing[*]}" >&2
fi
