#!/usr/bin/env bash
# The alerting rules are valid (promtool check rules), their unit tests pass (promtool test
# rules), and every alert has a test where it fires and one where it stays quiet.
#   rules_test.sh SOURCE_DIR
set -euo pipefail
dir="$1/deploy/observability/prometheus"
promtool check rules "$dir/dps-rules.yaml"
promtool test rules "$dir/dps-rules.test.yaml"
alerts=$(sed -n 's/^ *- alert: *//p' "$dir/dps-rules.yaml" | sort -u)
[ -n "$alerts" ] || { echo "FAILED: no alert found" >&2; exit 1; }
python3 - "$dir/dps-rules.test.yaml" $alerts <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# Each alert_rule_test names one alert, then exp_alerts: [] (quiet) or a list (fires).
cases = re.findall(r"alertname: (\S+)\n\s+exp_alerts:( \[\])?", text)
fires = {a for a, quiet in cases if not quiet}
quiet = {a for a, q in cases if q}
missing = [f"{a}: no case where it {what}" for a in sys.argv[2:]
           for what, seen in (("fires", fires), ("stays quiet", quiet)) if a not in seen]
for m in missing:
    print("FAILED:", m)
print(f"{len(sys.argv) - 2} alerts, each with a firing and a quiet case" if not missing else "")
sys.exit(1 if missing else 0)
PY
