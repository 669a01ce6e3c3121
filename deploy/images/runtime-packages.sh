#!/usr/bin/env bash
# Prints, one a line and sorted, the Debian packages that provide the shared libraries BINARY
# links directly (its ELF NEEDED entries): what its image must install. apt brings what those
# need in turn. Used to write each Containerfile and by tests/observability/images_test.sh to
# check that none has drifted from its binary.
#   deploy/images/runtime-packages.sh build/services/referral/dps-referral
set -euo pipefail
binary=${1:?usage: runtime-packages.sh BINARY}
needed=$(objdump -p "$binary" | awk '$1 == "NEEDED" {print $2}')
ldd "$binary" | while read -r name _ path _; do
  grep -qxF "$name" <<<"$needed" || continue
  owner=$(dpkg -S "$path" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null || dpkg -S "${path#/usr}" 2>/dev/null) || {
    echo "runtime-packages: no Debian package provides $path" >&2; exit 1; }
  echo "${owner%%:*}"
done | sort -u
