#!/usr/bin/env bash
# Each service's image definition (deploy/images/<service>/Containerfile) is on Debian 12's slim
# image, installs exactly the Debian packages that provide the libraries its binary links
# (deploy/images/runtime-packages.sh), copies the binary and nothing else, and runs as a user
# that is not root. So an image cannot drift from its binary.
#   images_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
root=$1
build=$2
status=0
fail() { echo "FAILED: $*" >&2; status=1; }
for service in qualification referral scoring contracts relay gateway redis; do
  file="$root/deploy/images/$service/Containerfile"
  [ -f "$file" ] || { fail "$service: no $file"; continue; }
  grep -qx 'FROM docker.io/library/debian:bookworm-slim' "$file" || fail "$service: not FROM debian:bookworm-slim"
  grep -qx 'USER 10001:10001' "$file" || fail "$service: does not run as the unprivileged user 10001"
  listed=$(awk '/apt-get install/ {on = 1; next} /rm -rf/ {on = 0} on {print $1}' "$file" | sort -u)
  if [ "$service" = redis ]; then
    expected=redis-server
    [ "$(grep -c '^COPY' "$file")" = 0 ] || fail "redis: copies files"
  else
    expected=$("$root/deploy/images/runtime-packages.sh" "$build/services/$service/dps-$service")
    if [ "$service" = contracts ]; then
      # The IPA's PDF renderer (services/contracts/document) needs its fonts, which no binary
      # links, and the libraries it links. Those are read from the renderer's own tool, so they
      # are counted even before dps-contracts calls the renderer, and never by hand.
      renderer=$("$root/deploy/images/runtime-packages.sh" \
        "$build/services/contracts/document/contracts_document_fixture_renderer")
      expected=$(printf '%s\n' $expected $renderer fonts-dejavu-core | sort -u)
    fi
    copies=$(grep '^COPY' "$file" || true)
    [ "$copies" = "COPY dps-$service /usr/local/bin/dps-$service" ] || fail "$service: copies '$copies', not its binary alone"
  fi
  if [ "$listed" != "$expected" ]; then
    fail "$service: Containerfile installs [$(echo $listed)], its binary needs [$(echo $expected)]"
  fi
done
[ $status = 0 ] && echo "images test: 7 image definitions match their binaries"
exit $status
