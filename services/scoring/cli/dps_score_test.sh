#!/usr/bin/env bash
# dps-score as an auditor runs it: the worked example scores, and a directory, a missing file,
# an unreadable file and bad JSON each exit with their code and one line naming the problem.
#   dps_score_test.sh DPS_SCORE WORKED_EXAMPLE_JSON
set -uo pipefail
score=$1
example=$2
work=$(mktemp -d /tmp/dps-score-test.XXXXXX)
trap 'chmod -R u+rw "$work"; rm -rf "$work"' EXIT
failed=0
expect() {  # expect CODE STDERR_PATTERN ARGS...
  local code=$1 pattern=$2; shift 2
  "$score" "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" != "$code" ] || ! grep -q -- "$pattern" "$work/err"; then
    echo "FAILED: dps-score $* exited $got (wanted $code), stderr: $(cat "$work/err")" >&2
    failed=1
  fi
}
"$score" "$example" >"$work/out" || { echo "FAILED: the worked example did not score" >&2; failed=1; }
grep -q '"rank"' "$work/out" || { echo "FAILED: no ranking printed" >&2; failed=1; }
"$score" - <"$example" >/dev/null || { echo "FAILED: stdin was not read" >&2; failed=1; }
mkdir "$work/dir"
expect 1 "dir: cannot be read (not a file)" "$work/dir"
expect 1 "missing.json: cannot be read (not a file)" "$work/missing.json"
printf '{' >"$work/bad.json"
expect 2 "request is not valid JSON" "$work/bad.json"
if [ "$(id -u)" -ne 0 ]; then  # root reads any file
  cp "$example" "$work/locked.json" && chmod 000 "$work/locked.json"
  expect 1 "locked.json: cannot be read" "$work/locked.json"
fi
[ "$failed" = 0 ] && echo "dps-score: passed"
exit "$failed"
