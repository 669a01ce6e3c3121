#!/usr/bin/env bash
# Renders every overlay of the cluster manifests with Debian's kubectl (kustomize) and checks
# them with check.js: schemas (strict), the manifests against the binaries' --help, and running
# safely. Offline: the tools come from BUILD_DIR/ops-tools (deploy/install-ops-tools.sh).
#   check.sh BUILD_DIR [CLUSTER_DIR]   (CLUSTER_DIR: deploy/cluster unless given)
# The overlays' Secrets are generated from files no repository holds; the check renders a copy
# with throwaway ones (make-secrets.sh, and an empty key set for the identity provider's JWKS).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:?usage: check.sh BUILD_DIR [CLUSTER_DIR]}" && pwd)
cluster=${2:-$here/..}
tools="$build/ops-tools"
[ -x "$tools/kubectl" ] && [ -d "$tools/node/node_modules" ] \
  || { echo "check.sh: $tools is incomplete: run deploy/install-ops-tools.sh $tools" >&2; exit 2; }
work=$(mktemp -d /tmp/dps-cluster-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$cluster" "$work/cluster"
rendered=()
for overlay in "$work"/cluster/overlays/*/; do
  name=$(basename "$overlay")
  rm -rf "$overlay/secrets"
  "$work/cluster/make-secrets.sh" "$overlay" "$build" 2>/dev/null
  echo '{"keys": []}' >"$overlay/secrets/jwks.json"
  for key in "$overlay"/secrets/service-key-*.jwk; do  # each key loads as the services load it
    "$build/platform/dps-token" mint --key="$key" --issuer=check --audience=check --sub=check \
      --role=ROLE_AUDITOR --org=check >/dev/null \
      || { echo "check.sh: $(basename "$key") is not a key the services can read" >&2; exit 1; }
  done
  "$tools/kubectl" kustomize "$overlay" >"$work/$name.yaml" \
    || { echo "check.sh: kubectl kustomize $name failed" >&2; exit 1; }
  rendered+=("$work/$name.yaml")
done
NODE_PATH="$tools/node/node_modules" node "$here/check.js" --build "$build" "${rendered[@]}"
