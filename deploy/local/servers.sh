# Private PostgreSQL and Redis servers for one machine: sourced by ./dps.
# Nothing here touches the system's own PostgreSQL or Redis services: each server lives in a
# folder of ours, listens on 127.0.0.1 only, and is started and stopped by these functions.

PG_BIN=/usr/lib/postgresql/15/bin

# PostgreSQL refuses to run as root; as root we run it as the system's postgres user.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# pg_init DIR: a new cluster with a generated password for the superuser "dps".
pg_init() {
  local dir=$1
  [ -f "$dir/pgdata/PG_VERSION" ] && return 0
  mkdir -p "$dir/pgdata" "$dir/pgsock"
  umask 077
  [ -f "$dir/pg-password" ] || openssl rand -hex 24 > "$dir/pg-password"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres "$dir/pgdata" "$dir/pgsock"
    chown postgres "$dir/pg-password"
  fi
  as_pg_owner "$PG_BIN/initdb" -D "$dir/pgdata" -U dps --auth=scram-sha-256 \
    --pwfile="$dir/pg-password" -E UTF8 --locale=C.UTF-8 >"$dir/pg-init.log" 2>&1 \
    || { cat "$dir/pg-init.log" >&2; return 1; }
}

# pg_start DIR PORT
pg_start() {
  local dir=$1 port=$2
  if as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/pgdata" status >/dev/null 2>&1; then return 0; fi
  touch "$dir/postgres.log"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir/postgres.log"
  as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/pgdata" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir/pgsock -c listen_addresses=127.0.0.1 -c max_connections=300" \
    start >/dev/null || { tail -20 "$dir/postgres.log" >&2; return 1; }
}

pg_stop() {
  local dir=$1
  [ -f "$dir/pgdata/PG_VERSION" ] || return 0
  as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_url DIR PORT DATABASE
pg_url() {
  echo "postgresql://dps:$(cat "$1/pg-password")@127.0.0.1:$2/$3"
}

# pg_create_db DIR PORT DATABASE: the database with PostGIS, if missing.
pg_create_db() {
  local dir=$1 port=$2 db=$3
  local admin; admin=$(pg_url "$dir" "$port" postgres)
  if [ "$(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql "$admin" -q -c "CREATE DATABASE \"$db\"" >/dev/null
  fi
  psql "$(pg_url "$dir" "$port" "$db")" -q -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
}

# redis_start DIR PORT: append-only file fsynced on every write, so an acknowledged XADD
# survives a Redis crash.
redis_start() {
  local dir=$1 port=$2
  mkdir -p "$dir/redis"
  if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then return 0; fi
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/redis" \
    --appendonly yes --appendfsync always --save "" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "dps: Redis did not start on port $port (see $dir/redis.log)" >&2
  return 1
}

redis_stop() {
  local dir=$1 port=$2
  redis-cli -p "$port" shutdown >/dev/null 2>&1 || true
  rm -f "$dir/redis.pid"
}
