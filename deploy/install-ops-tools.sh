#!/usr/bin/env bash
# Installs, into DIR (the build folder's ops-tools/), what the offline cluster check needs and
# cannot take from the machine as it is:
# - kubectl from Debian's kubernetes-client package (for `kubectl kustomize`). When the package is
#   installed, its kubectl is used. Otherwise the package is fetched with apt-get download and
#   unpacked into DIR rather than installed, since another package's kubectl may own
#   /usr/bin/kubectl (as on our development machines) and only Debian's is used here.
# - the npm packages of deploy/cluster/check, exactly as its lockfile pins them (npm ci), into
#   DIR/node. Node and npm come from Debian (nodejs, npm) when the machine has neither.
# - the OpenAPI linter the gateway's document is checked with, as its lockfile pins it, into
#   DIR/openapi-check.
# Run by ./dps before each build; it does nothing when everything is already there.
#   deploy/install-ops-tools.sh DIR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:?usage: install-ops-tools.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
say() { printf 'dps: %s\n' "$*" >&2; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if installed kubernetes-client; then
  ln -sfn /usr/bin/kubectl "$dir/kubectl"
elif [ ! -x "$dir/debian/usr/bin/kubectl" ]; then
  say "unpacking Debian's kubernetes-client into $dir/debian"
  rm -rf "$dir/download" && mkdir -p "$dir/download"
  fetch() { (cd "$dir/download" && apt-get download -q -o APT::Sandbox::User=root kubernetes-client) >/dev/null; }
  fetch || { $sudo apt-get update -qq && fetch; }
  dpkg-deb -x "$dir"/download/kubernetes-client_*.deb "$dir/debian"
  rm -rf "$dir/download"
  ln -sfn debian/usr/bin/kubectl "$dir/kubectl"
else
  ln -sfn debian/usr/bin/kubectl "$dir/kubectl"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing nodejs npm"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
check="$root/deploy/cluster/check"
if ! cmp -s "$check/package-lock.json" "$dir/node/package-lock.json" || [ ! -d "$dir/node/node_modules" ]; then
  say "installing the cluster check's npm packages (pinned by deploy/cluster/check/package-lock.json)"
  rm -rf "$dir/node" && mkdir -p "$dir/node"
  cp "$check/package.json" "$check/package-lock.json" "$dir/node/"
  (cd "$dir/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# The OpenAPI linter (Redocly's CLI) the gateway's document is checked with, pinned by
# services/gateway/openapi-check/package-lock.json, into DIR/openapi-check.
openapi="$root/services/gateway/openapi-check"
if [ -L "$dir/openapi-check" ]; then rm -f "$dir/openapi-check"; fi
if ! cmp -s "$openapi/package-lock.json" "$dir/openapi-check/package-lock.json" || [ ! -d "$dir/openapi-check/node_modules" ]; then
  say "installing the OpenAPI check's npm packages (pinned by services/gateway/openapi-check/package-lock.json)"
  rm -rf "$dir/openapi-check" && mkdir -p "$dir/openapi-check"
  cp "$openapi/package.json" "$openapi/package-lock.json" "$dir/openapi-check/"
  (cd "$dir/openapi-check" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
