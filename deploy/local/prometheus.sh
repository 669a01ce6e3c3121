# Debian's Prometheus scraping the local suite, with the suite's rules loaded: sourced by ./dps
# (`./dps up --with-prometheus`) and by tests/observability/prometheus_systest.sh.
# It lives in a folder of ours, listens on 127.0.0.1 only, and is started and stopped here.

PROMETHEUS_RULES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../observability/prometheus" && pwd)"

# prometheus_config FILE INTERVAL JOB=HOST:PORT...: a configuration scraping each process's
# /metrics every INTERVAL as job dps-JOB, with the suite's rules.
prometheus_config() {
  local file=$1 interval=$2; shift 2
  {
    echo "# Written by deploy/local/prometheus.sh; rewritten at each start."
    echo "global:"
    echo "  scrape_interval: $interval"
    echo "  evaluation_interval: $interval"
    echo "rule_files:"
    echo "  - $PROMETHEUS_RULES_DIR/dps-rules.yaml"
    echo "scrape_configs:"
    local target
    for target in "$@"; do
      echo "  - job_name: dps-${target%%=*}"
      echo "    static_configs:"
      echo "      - targets: ['${target#*=}']"
    done
  } >"$file"
}

# prometheus_start DIR PORT CONFIG: starts Prometheus with its data in DIR/prometheus and waits
# until it is ready.
prometheus_start() {
  local dir=$1 port=$2 config=$3
  command -v prometheus >/dev/null || { echo "dps: Debian's prometheus package is not installed (deploy/install-deps.sh installs it)" >&2; return 1; }
  if [ -f "$dir/prometheus.pid" ] && kill -0 "$(cat "$dir/prometheus.pid")" 2>/dev/null; then
    curl -fsS -X POST "http://127.0.0.1:$port/-/reload" >/dev/null 2>&1 && return 0
  fi
  mkdir -p "$dir/prometheus"
  setsid prometheus --config.file="$config" --storage.tsdb.path="$dir/prometheus" \
    --web.listen-address="127.0.0.1:$port" --web.enable-lifecycle \
    --storage.tsdb.retention.time=15d >>"$dir/prometheus.log" 2>&1 &
  echo $! >"$dir/prometheus.pid"
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$dir/prometheus.pid")" 2>/dev/null || break
    sleep 0.2
  done
  tail -5 "$dir/prometheus.log" >&2
  echo "dps: Prometheus did not start on port $port (see $dir/prometheus.log)" >&2
  return 1
}

# prometheus_stop DIR
prometheus_stop() {
  local dir=$1 pid
  [ -f "$dir/prometheus.pid" ] || return 0
  pid=$(cat "$dir/prometheus.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/prometheus.pid"
}
