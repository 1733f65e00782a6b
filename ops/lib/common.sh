# Shared set-up for ops/run, ops/test and ops/bench. Source it; do not run it.
# It installs what is missing, and starts a project-local PostgreSQL that it stops again
# only if this invocation started it.
set -euo pipefail

EC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EC_PG_PORT="${EC_PG_PORT:-54320}"
EC_PG_DATA="$EC_ROOT/.data/postgres"
EC_PG_SOCKET_DIR="$EC_ROOT/.data/socket"
EC_PG_LOG="$EC_ROOT/.data/postgres.log"
EC_DB_NAME="${EC_DB_NAME:-emergency_command}"
EC_STARTED_POSTGRES=0
cd / # runuser keeps the working directory, which the postgres user may not be able to enter
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '\033[1m[ops]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[ops] %s\033[0m\n' "$*" >&2; exit 1; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

ensure_dotnet() {
  command -v dotnet >/dev/null || die "the .NET SDK is required (see global.json); install it and run again"
}

ensure_postgres_installed() {
  if [ -z "$(pg_bin)" ]; then
    apt_install postgresql postgresql-contrib
    # The Debian package starts its own cluster on 5432; leave it alone, we never use it.
  fi
  command -v psql >/dev/null || apt_install postgresql-client
  id postgres >/dev/null 2>&1 || die "the postgres OS user is missing after installing PostgreSQL"
}

# Browser tests drive Debian's Chromium (no browser download is possible here) through Playwright;
# chromium-driver is there for WebDriver tools on the same browser. CJK fonts make the cockpit's
# Chinese legible in screenshots.
ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  command -v chromedriver >/dev/null || apt_install chromium-driver || say "chromium-driver could not be installed (Playwright does not need it)"
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || apt_install fonts-noto-cjk || true
}

# The data folder must be reachable by the postgres user. When the clone lives somewhere it cannot
# traverse (root's home, say), keep the data under /var/lib and link it from .data/postgres.
prepare_data_dir() {
  mkdir -p "$EC_ROOT/.data"
  if ! runuser -u postgres -- test -x "$EC_ROOT/.data"; then
    local hash alt
    hash=$(printf '%s' "$EC_ROOT" | sha1sum | cut -c1-12)
    alt="/var/lib/emergency-command/$hash"
    mkdir -p "$alt/postgres" "$alt/socket"
    chown -R postgres:postgres "$alt"
    chmod 700 "$alt/postgres"
    # .data/postgres points there for people; PostgreSQL itself must be given the reachable path.
    [ -e "$EC_PG_DATA" ] || ln -sfn "$alt/postgres" "$EC_PG_DATA"
    EC_PG_DATA="$alt/postgres"
    EC_PG_SOCKET_DIR="$alt/socket"
    EC_PG_LOG="$alt/postgres.log"
  else
    mkdir -p "$EC_PG_DATA" "$EC_PG_SOCKET_DIR"
    chown postgres:postgres "$EC_PG_DATA" "$EC_PG_SOCKET_DIR"
    chmod 700 "$EC_PG_DATA"
    touch "$EC_PG_LOG" && chown postgres:postgres "$EC_PG_LOG"
  fi
}

pg_ours_running() {
  local bin; bin=$(pg_bin)
  runuser -u postgres -- "$bin/pg_ctl" -D "$EC_PG_DATA" status >/dev/null 2>&1
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts the project's PostgreSQL unless it already runs; remembers whether we started it.
start_postgres() {
  ensure_postgres_installed
  prepare_data_dir
  local bin; bin=$(pg_bin)
  if [ ! -f "$EC_PG_DATA/PG_VERSION" ]; then
    say "creating a PostgreSQL cluster in .data/postgres"
    runuser -u postgres -- "$bin/initdb" -D "$EC_PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if pg_ours_running; then
    say "PostgreSQL (.data/postgres) already runs; using it"
  else
    if port_in_use "$EC_PG_PORT"; then
      die "port $EC_PG_PORT is held by another process (another clone's PostgreSQL?). Set EC_PG_PORT=<free port> and run again; this script never touches a database it did not create."
    fi
    say "starting PostgreSQL on 127.0.0.1:$EC_PG_PORT"
    runuser -u postgres -- "$bin/pg_ctl" -D "$EC_PG_DATA" -l "$EC_PG_LOG" -w -t 60 \
      -o "-p $EC_PG_PORT -k $EC_PG_SOCKET_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    EC_STARTED_POSTGRES=1
  fi
  # Role and database, created once; the scripts only ever create, never drop, these.
  psql_admin -tAc "select 1 from pg_roles where rolname='emergency'" | grep -q 1 ||
    psql_admin -c "create role emergency login createdb password 'emergency'" >/dev/null
  psql_admin -tAc "select 1 from pg_database where datname='$EC_DB_NAME'" | grep -q 1 ||
    psql_admin -c "create database $EC_DB_NAME owner emergency" >/dev/null
  export ConnectionStrings__Marten="${ConnectionStrings__Marten:-Host=127.0.0.1;Port=$EC_PG_PORT;Database=$EC_DB_NAME;Username=emergency;Password=emergency}"
}

psql_admin() {
  runuser -u postgres -- psql -h "$EC_PG_SOCKET_DIR" -p "$EC_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

stop_postgres_if_we_started_it() {
  if [ "$EC_STARTED_POSTGRES" = 1 ]; then
    say "stopping the PostgreSQL this script started"
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$EC_PG_DATA" -m fast -w stop >/dev/null || true
    EC_STARTED_POSTGRES=0
  fi
}
