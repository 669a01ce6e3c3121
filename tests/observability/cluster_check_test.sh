#!/usr/bin/env bash
# The offline cluster check passes on the manifests as they are, and fails, naming the problem,
# on copies with one mistake each: a misspelt field (in a Deployment and in the PostgreSQL
# Cluster), a value of the wrong type, a setting no binary takes, a port that disagrees with its
# address, a peer target that reaches no Service.
#   cluster_check_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
root=$1
build=$2
check="$root/deploy/cluster/check/check.sh"
work=$(mktemp -d /tmp/dps-cluster-check-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

"$check" "$build" >"$work/out" 2>&1 || { cat "$work/out" >&2; fail "the manifests as they are"; }
tail -1 "$work/out"

# expect_failure NAME FILE SED_EXPRESSION EXPECTED_LINE
expect_failure() {
  local name=$1 file=$2 edit=$3 expected=$4
  rm -rf "$work/cluster" && cp -r "$root/deploy/cluster" "$work/cluster"
  sed -i "$edit" "$work/cluster/$file"
  cmp -s "$root/deploy/cluster/$file" "$work/cluster/$file" && fail "$name: the edit changed nothing"
  if "$check" "$build" "$work/cluster" >"$work/out" 2>&1; then fail "$name: the check passed"; fi
  grep -qF -- "$expected" "$work/out" || { cat "$work/out" >&2; fail "$name: no line '$expected'"; }
  echo "refused as expected ($name): $(grep -F -m1 -- "$expected" "$work/out")"
}
expect_failure "misspelt field" base/referral.yaml 's/readinessProbe:/readinesProbe:/' \
  'Deployment/dps-referral: spec.template.spec.containers[0].readinesProbe: unknown field'
expect_failure "misspelt field of the PostgreSQL Cluster" base/postgres.yaml \
  's/primaryUpdateStrategy:/primaryUpdateStrategie:/' '(primaryUpdateStrategie)'
expect_failure "wrong type" base/scoring.yaml 's/containerPort: 7103/containerPort: "seven"/' \
  'Deployment/dps-scoring: schema: data/spec/template/spec/containers/0/ports/0/containerPort must be integer'
expect_failure "unknown setting" base/referral.yaml 's/DPS_DEADLINE_INTERVAL/DPS_DEADLINE_INTERVALL/' \
  'env DPS_DEADLINE_INTERVALL: dps-referral takes no such setting'
expect_failure "port disagreeing with its address" base/qualification.yaml \
  's/value: "0.0.0.0:7101"/value: "0.0.0.0:7111"/' \
  'env DPS_GRPC_ADDRESS (0.0.0.0:7111) disagrees with container port grpc (7101)'
expect_failure "peer target reaching no Service" base/referral.yaml \
  's|dns:///dps-scoring:7103|dns:///dps-scorer:7103|' \
  'env DPS_SCORING_TARGET: dns:///dps-scorer:7103 does not reach dps-scoring'
echo "cluster check test: passed"
