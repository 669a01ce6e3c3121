# Private PostgreSQL and Redis servers for one machine: sourced by ./dps.
# Nothing here touches the system's own PostgreSQL or Redis services: each server lives in a
# folder of ours, listens on 127.0.0.1 only, and is started and stopped by these functions.

# Privilege (README, "Security"): the superuser "dps" is for these scripts alone. Each service
# connects as its own role (dps_<service>) owning only its schema, and logs in to Redis as its
# own ACL user (dps-<service>); only the relay may add to the event streams. Every password is
# generated into DIR/secrets/ (mode 600) and reaches a program through a file or the
# environment, never its command line, which every local user can read in /proc.

PG_BIN=/usr/lib/postgresql/15/bin
# The services with a PostgreSQL role and a Redis user of their own.
PRIVILEGED_SERVICES=(qualification referral contracts relay)
# The service schemas, each owned by its service's role (the relay owns none).
SERVICE_SCHEMAS=(qualification referral contracts)
# The streams each service consumes through its consumer groups (space-separated).
declare -A CONSUMED_STREAMS=([qualification]="dps.contracts" [referral]="dps.qualification dps.contracts" [contracts]="dps.referral dps.qualification")

# PostgreSQL refuses to run as root; as root we run it as the system's postgres user.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Redis need not run as root either: as root we run it as the system's redis user (Debian's
# redis-server package makes it), or a "dps" system user made for the purpose.
redis_owner() {
  if id -u redis >/dev/null 2>&1; then echo redis; return; fi
  id -u dps >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin dps
  echo dps
}
as_redis_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$(redis_owner)" -- "$@"; else "$@"; fi
}

# secret DIR NAME: the path of DIR/secrets/NAME, a random password made on first use (mode 600).
secret() {
  local dir=$1/secrets name=$2
  if [ ! -f "$dir/$name" ]; then
    # The state folder itself keeps the usual mode: the database's owner must reach into it.
    mkdir -p "$1"
    (umask 077; mkdir -p "$dir"; openssl rand -hex 24 | tr -d '\n' >"$dir/$name")
  fi
  echo "$dir/$name"
}

# pg_passfile DIR: libpq's password file (PGPASSFILE) for the superuser and every service role,
# so psql and the tests connect with URLs that hold no password.
pg_passfile() {
  local dir=$1 s
  (
    umask 077
    {
      echo "127.0.0.1:*:*:dps:$(cat "$dir/pg-password")"
      for s in "${PRIVILEGED_SERVICES[@]}"; do
        echo "127.0.0.1:*:*:dps_$s:$(cat "$(secret "$dir" "pg-$s")")"
      done
    } >"$dir/pgpass"
  )
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# pg_init DIR: a new cluster with a generated password for the superuser "dps", and the password
# file every client here uses (pg_passfile).
pg_init() {
  local dir=$1
  if [ ! -f "$dir/pgdata/PG_VERSION" ]; then
    mkdir -p "$dir/pgdata" "$dir/pgsock"
    (umask 077; [ -f "$dir/pg-password" ] || openssl rand -hex 24 >"$dir/pg-password")
    if [ "$(id -u)" -eq 0 ]; then
      chown -R postgres "$dir/pgdata" "$dir/pgsock"
      chown postgres "$dir/pg-password"
    fi
    as_pg_owner "$PG_BIN/initdb" -D "$dir/pgdata" -U dps --auth=scram-sha-256 \
      --pwfile="$dir/pg-password" -E UTF8 --locale=C.UTF-8 >"$dir/pg-init.log" 2>&1 \
      || { cat "$dir/pg-init.log" >&2; return 1; }
    if [ "$(id -u)" -eq 0 ]; then chown root "$dir/pg-password"; fi
  fi
  pg_passfile "$dir"
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

# pg_url DIR PORT DATABASE [ROLE]: a URL without a password (libpq finds it in PGPASSFILE, a
# service in DPS_PG_PASSWORD_FILE). ROLE defaults to the superuser.
pg_url() {
  echo "postgresql://${4:-dps}@127.0.0.1:$2/$3"
}

# as_pg_admin DIR COMMAND...: runs a PostgreSQL client with the password file of DIR.
as_pg_admin() {
  local dir=$1; shift
  PGPASSFILE="$dir/pgpass" "$@"
}

# The extensions the services' migrations use, made by the superuser since the service roles
# may not create objects in public. A migration's CREATE EXTENSION IF NOT EXISTS then finds them.
PG_EXTENSIONS=(postgis btree_gist)

# pg_create_db DIR PORT DATABASE: the database with its extensions, if missing.
pg_create_db() {
  local dir=$1 port=$2 db=$3
  local admin; admin=$(pg_url "$dir" "$port" postgres)
  if [ "$(as_pg_admin "$dir" psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    as_pg_admin "$dir" psql "$admin" -q -c "CREATE DATABASE \"$db\"" >/dev/null
  fi
  pg_extensions "$dir" "$port" "$db"
}

# pg_extensions DIR PORT DATABASE
pg_extensions() {
  local dir=$1 port=$2 db=$3 extension
  for extension in "${PG_EXTENSIONS[@]}"; do
    echo "CREATE EXTENSION IF NOT EXISTS $extension;"
  done | as_pg_admin "$dir" psql "$(pg_url "$dir" "$port" "$db")" -q -v ON_ERROR_STOP=1 >/dev/null
}

# pg_roles DIR PORT: a login role per service (dps_<service>) with its password from
# DIR/secrets/pg-<service>. Roles belong to the cluster, so every database shares them. The SQL,
# passwords included, goes to psql on its standard input, never its command line.
pg_roles() {
  local dir=$1 port=$2 s
  {
    # A statement that fails is written to the server log with its text: not these.
    echo "SET log_min_error_statement = panic;"
    echo "SET log_statement = 'none';"
    for s in "${PRIVILEGED_SERVICES[@]}"; do
      echo "SELECT 'CREATE ROLE dps_$s' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dps_$s') \\gexec"
      echo "ALTER ROLE dps_$s LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS PASSWORD '$(cat "$(secret "$dir" "pg-$s")")';"
    done
  } | as_pg_admin "$dir" psql "$(pg_url "$dir" "$port" postgres)" -q -v ON_ERROR_STOP=1 >/dev/null
}

# pg_service_schemas DIR PORT DATABASE: each service's schema, owned by its role, made here so the
# roles need no right to create schemas; only the service roles may connect. A schema made by an
# earlier version of these scripts (owned by the superuser) is handed over with all it holds.
pg_service_schemas() {
  local dir=$1 port=$2 db=$3 s
  {
    echo "SET client_min_messages = warning;"
    echo "REVOKE ALL ON DATABASE \"$db\" FROM PUBLIC;"
    echo "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
    for s in "${PRIVILEGED_SERVICES[@]}"; do
      echo "GRANT CONNECT ON DATABASE \"$db\" TO dps_$s;"
    done
    for s in "${SERVICE_SCHEMAS[@]}"; do
      echo "CREATE SCHEMA IF NOT EXISTS $s AUTHORIZATION dps_$s;"
      echo "SELECT pg_temp.dps_hand_over_schema('$s', 'dps_$s');"
    done
  } | cat "$(dirname "${BASH_SOURCE[0]}")/hand_over_schema.sql" - \
    | as_pg_admin "$dir" psql "$(pg_url "$dir" "$port" "$db")" -q -v ON_ERROR_STOP=1 >/dev/null
}

# The Redis ACL rules of each user, after "user NAME on #HASH". The relay alone adds to the
# event streams. A consumer reads, acknowledges and claims only the streams it consumes, through
# its groups, and adds only to their dead-letter streams (the selector in brackets). XREADGROUP
# and XACK need write access to a stream's key, so it is the commands, not the keys, that keep
# a consumer from adding to a stream. Everyone may PING, for health.
redis_rules() {
  local service=$1 stream keys="" dead=""
  if [ "$service" = relay ]; then
    echo "resetkeys resetchannels ~dps.* -@all +ping +xadd"
    return
  fi
  for stream in ${CONSUMED_STREAMS[$service]}; do
    keys+=" ~$stream"
    dead+=" ~$stream.dead-letter"
  done
  if [ -z "$keys" ]; then
    echo "resetkeys resetchannels -@all +ping"
  else
    echo "resetkeys resetchannels$keys -@all +ping +xreadgroup +xack +xgroup|create +xpending +xclaim +xinfo|groups ($dead -@all +xadd)"
  fi
}

# redis_acl DIR: the ACL file: the default user off, an administrator for these scripts and the
# tests (dps-admin), and a user per service, each with its password's SHA-256 only.
redis_password_hash() {  # redis_password_hash DIR SECRET
  sha256sum <"$(secret "$1" "$2")" | cut -d' ' -f1
}
redis_acl() {
  local dir=$1 s
  (
    umask 077
    {
      echo "user default off resetkeys resetchannels -@all"
      echo "user dps-admin on #$(redis_password_hash "$dir" redis-admin) ~* &* +@all"
      for s in "${PRIVILEGED_SERVICES[@]}"; do
        echo "user dps-$s on #$(redis_password_hash "$dir" "redis-$s") $(redis_rules "$s")"
      done
    } >"$dir/redis/users.acl"
  )
}

# redis_cli DIR PORT ARGS...: redis-cli as dps-admin, its password passed in the environment.
redis_cli() {
  local dir=$1 port=$2; shift 2
  REDISCLI_AUTH="$(cat "$(secret "$dir" redis-admin)")" redis-cli --no-auth-warning --user dps-admin \
    -p "$port" "$@"
}

# redis_start DIR PORT: append-only file fsynced on every write, so an acknowledged XADD
# survives a Redis crash; the users of redis_acl; not as root.
redis_start() {
  local dir=$1 port=$2
  if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then return 0; fi
  mkdir -p "$dir/redis"
  redis_acl "$dir"
  touch "$dir/redis.log" "$dir/redis.pid"
  if [ "$(id -u)" -eq 0 ]; then
    local owner; owner=$(redis_owner)
    chown -R "$owner:" "$dir/redis" "$dir/redis.log" "$dir/redis.pid"
  fi
  chmod 700 "$dir/redis"
  as_redis_owner redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/redis" \
    --aclfile "$dir/redis/users.acl" --appendonly yes --appendfsync always --save "" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 1 100); do
    redis_cli "$dir" "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "dps: Redis did not start on port $port (see $dir/redis.log)" >&2
  return 1
}

redis_stop() {
  local dir=$1 port=$2
  redis_cli "$dir" "$port" shutdown >/dev/null 2>&1 \
    || redis-cli -p "$port" shutdown >/dev/null 2>&1 || true  # one started before the users
  rm -f "$dir/redis.pid"
}
