# The local identity for one machine: sourced by ./dps.
#
# A deployment points the suite at its councils' identity provider (DPS_AUTH_JWKS_FILE,
# DPS_AUTH_ISSUER, DPS_AUTH_AUDIENCE). On one machine `./dps up` stands in for one: it makes a
# signing key for users' tokens (`./dps token ROLE ORGANISATION` mints one) and a key per
# service for the services' own tokens, under $STATE/auth (private keys mode 600, never in the
# repository or the logs).

DEV_ISSUER=dps-dev-idp
DEV_AUDIENCE=dps
SIGNING_SERVICES=(qualification referral contracts)

# identity_init DIR BUILD: the keys and key sets, made once.
identity_init() {
  local dir=$1/auth build=$2
  local token_tool=$build/platform/dps-token
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [ ! -f "$dir/idp-key.jwk" ]; then
    "$token_tool" keygen --kid="dev-idp-$(date -u +%Y%m%d%H%M%S)" --private="$dir/idp-key.jwk" \
      --public="$dir/idp.jwks" >/dev/null
  fi
  local service
  for service in "${SIGNING_SERVICES[@]}"; do
    if [ ! -f "$dir/service-$service.jwk" ]; then
      "$token_tool" keygen --kid="$service-$(date -u +%Y%m%d%H%M%S)" \
        --private="$dir/service-$service.jwk" --public="$dir/services.jwks" >/dev/null
    fi
  done
}

# identity_env DIR NAME: the settings one process starts with.
identity_env() {
  local dir=$1/auth name=$2
  echo "DPS_AUTH_JWKS_FILE=$dir/idp.jwks"
  echo "DPS_AUTH_ISSUER=$DEV_ISSUER"
  echo "DPS_AUTH_AUDIENCE=$DEV_AUDIENCE"
  echo "DPS_SERVICE_JWKS_FILE=$dir/services.jwks"
  [ -f "$dir/service-$name.jwk" ] && echo "DPS_SERVICE_KEY_FILE=$dir/service-$name.jwk"
  # A service keeping an audit chain signs checkpoints of it with that key, and appends each to
  # a file outside the database too (platform/audit/checkpoint.h).
  case " ${SIGNING_SERVICES[*]} " in
    *" $name "*)
      mkdir -p "$1/audit"
      echo "DPS_AUDIT_CHECKPOINT_FILE=$1/audit/$name.checkpoints"
      ;;
  esac
  return 0
}

# identity_token DIR BUILD ROLE ORGANISATION [USER]: prints a user's token from the local
# identity provider, valid for 8 hours.
identity_token() {
  local dir=$1/auth build=$2 role=$3 organisation=$4 user=${5:-}
  case "$role" in ROLE_*) ;; *) role="ROLE_$(echo "$role" | tr 'a-z-' 'A-Z_')" ;; esac
  [ -n "$user" ] || user="$(echo "$role" | tr 'A-Z_' 'a-z-' | sed 's/^role-//')@$organisation"
  "$build/platform/dps-token" mint --key="$dir/idp-key.jwk" --issuer="$DEV_ISSUER" \
    --audience="$DEV_AUDIENCE" --sub="$user" --role="$role" --org="$organisation"
}
