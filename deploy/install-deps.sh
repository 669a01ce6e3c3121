#!/usr/bin/env bash
# Installs the Debian 12 packages DPS builds and runs with, if any are missing.
# Needs root (or sudo) only when something is missing; otherwise it changes nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-format
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  golang-github-gogo-googleapis-dev
  libabsl-dev libboost-dev libboost-system-dev libssl-dev nlohmann-json3-dev
  libpqxx-dev libpq-dev libhiredis-dev libcjose-dev libjansson-dev prometheus-cpp-dev catch2 libbenchmark-dev
  libpango1.0-dev libcairo2-dev fonts-dejavu-core poppler-utils
  postgresql-15 postgresql-15-postgis-3 postgresql-contrib redis-server redis-tools
  curl jq uuid-runtime procps python3 python3-protobuf python3-jsonschema openssl util-linux
  prometheus
  wrk  # the HTTP load of ./dps bench gateway
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "dps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "dps: missing packages and not root: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
$sudo apt-get update -qq
# Debian starts a package's service when it is installed (prometheus would listen on :9090). We
# run our own servers under .dps/ and want none of the machine's started: Debian's policy-rc.d
# hook says no to every start for the length of the install, unless the machine has its own.
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  guard=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$guard" >/dev/null
  $sudo chmod 755 "$guard"
  trap '$sudo rm -f "$guard"' EXIT
fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
