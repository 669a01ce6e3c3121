#!/usr/bin/env bash
# Prints, one a line and sorted, the Debian packages that provide the shared libraries BINARY
# links directly (its ELF NEEDED entries): what its image must install. apt brings what those
# need in turn. Used to write each Containerfile and by tests/observability/images_test.sh to
# check that none has drifted from its binary.
#   deploy/images/runtime-packages.sh build/services/referral/dps-referral
set -euo pipefail
binary=${1:?usage: runtime-packages.sh BINARY}
needed=$(objdump -p "$binary" | awk '$1 == "NEEDED" {print $2}')
# Where the loader finds each; Debian 12 merged /lib into /usr/lib, and dpkg knows one of the two
# spellings, so ask for both in one dpkg call.
paths=()
while read -r name _ path _; do
  grep -qxF "$name" <<<"$needed" || continue
  paths+=("$path" "/usr${path#/usr}" "${path#/usr}")
done < <(ldd "$binary")
owners=$(dpkg -S "${paths[@]}" 2>/dev/null || true)
for name in $needed; do
  owner=$(grep -m1 "/$name\$" <<<"$owners" || true)
  [ -n "$owner" ] || { echo "runtime-packages: no Debian package provides $name" >&2; exit 1; }
  echo "${owner%%:*}"
done | sort -u
