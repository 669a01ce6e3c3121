#!/usr/bin/env bash
# The OpenAPI document kept in the repository is the one the gateway generates, and it is valid:
#   openapi_check.sh SOURCE_DIR BUILD_DIR
# 1. proto/openapi.json equals what dps-openapi prints now (regenerate it with
#    BUILD_DIR/services/gateway/dps-openapi > proto/openapi.json after changing a .proto);
# 2. Redocly's linter (npm @redocly/cli, pinned by services/gateway/openapi-check/package-lock.json
#    and installed by ./dps into BUILD_DIR/ops-tools) finds nothing wrong with it.
set -euo pipefail
source_dir=$1
build_dir=$2
document=$source_dir/proto/openapi.json
if ! "$build_dir/services/gateway/dps-openapi" | cmp -s - "$document"; then
  echo "FAILED: proto/openapi.json differs from what the gateway generates; run" >&2
  echo "  $build_dir/services/gateway/dps-openapi > proto/openapi.json" >&2
  exit 1
fi
redocly=$build_dir/ops-tools/openapi-check/node_modules/.bin/redocly
[ -x "$redocly" ] || { echo "FAILED: $redocly is missing (./dps installs it before building)" >&2; exit 1; }
"$redocly" lint --config "$source_dir/services/gateway/openapi-check/redocly.yaml" "$document"
