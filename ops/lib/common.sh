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

# The server as ops/run serves it and ops/bench measures it, published into src/EmergencyCommand.Server/bin/served:
# ReadyToRun (compiled ahead of time), so the first requests after a start (a restart in an incident) do not wait on
# the JIT. EC_READY_TO_RUN=false publishes plain IL (the bench's smoke run, where minutes matter and figures do not).
EC_SERVED_DIR=bin/served
publish_server() {
  local rid
  rid=$(dotnet --info | awk '/RID:/ { print $2; exit }')
  dotnet publish "$EC_ROOT/src/EmergencyCommand.Server" -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun="${EC_READY_TO_RUN:-true}" -o "$EC_ROOT/src/EmergencyCommand.Server/$EC_SERVED_DIR" -nologo -v q -clp:ErrorsOnly
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

# Redocly's CLI lints the OpenAPI document in the tests (its recommended rules). Node.js comes from Debian when missing.
ensure_redocly() {
  command -v node >/dev/null || apt_install nodejs npm
  local dir="$EC_ROOT/.data/tools/redocly" version=2.77.0
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>=22||(a===20&&b>=19)?0:1)' || version=1.34.21
  if [ ! -x "$dir/node_modules/.bin/redocly" ] || [ "$(cat "$dir/.version" 2>/dev/null)" != "$version" ]; then
    say "installing @redocly/cli $version (npm) into .data/tools"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent "@redocly/cli@$version" >/dev/null
    echo "$version" > "$dir/.version"
  fi
  export EC_REDOCLY="$dir/node_modules/.bin/redocly"
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
# Who may log in, and how: the postgres OS user over the local socket by peer authentication, everyone else with a
# SCRAM-SHA-256 password (over TCP or the socket). Nobody is trusted for being on this machine.
PG_HBA='# Written by ops/lib/common.sh. TYPE DATABASE USER ADDRESS METHOD
local all postgres peer
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256'

secure_pg_hba() {
  if ! grep -q '^# Written by ops/lib/common.sh' "$EC_PG_DATA/pg_hba.conf" 2>/dev/null; then
    say "PostgreSQL: peer authentication for postgres on the socket, SCRAM passwords for everyone else"
    printf '%s\n' "$PG_HBA" > "$EC_PG_DATA/pg_hba.conf"
    chown postgres:postgres "$EC_PG_DATA/pg_hba.conf"
    chmod 600 "$EC_PG_DATA/pg_hba.conf"
    if pg_ours_running; then runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$EC_PG_DATA" reload >/dev/null; fi
  fi
}

# The owner role's password: made once for this clone, kept in .data (root only), never committed.
owner_password() {
  local file="$EC_ROOT/.data/owner-password"
  if [ ! -s "$file" ]; then
    mkdir -p "$EC_ROOT/.data"
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$file")
  fi
  cat "$file"
}

# Starts the project's PostgreSQL unless it already runs; remembers whether we started it. Two roles:
#   emergency_owner  owns the databases and their schema; schema changes run as it (ops: `resources setup`)
#   emergency        the application's own role: reads, writes documents, appends events; cannot update, delete or
#                    truncate events, nor change the schema (ops/lib/app-role.sql)
start_postgres() {
  ensure_postgres_installed
  prepare_data_dir
  local bin; bin=$(pg_bin)
  if [ ! -f "$EC_PG_DATA/PG_VERSION" ]; then
    say "creating a PostgreSQL cluster in .data/postgres"
    runuser -u postgres -- "$bin/initdb" -D "$EC_PG_DATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  secure_pg_hba
  if pg_ours_running; then
    say "PostgreSQL (.data/postgres) already runs; using it"
  else
    if port_in_use "$EC_PG_PORT"; then
      die "port $EC_PG_PORT is held by another process (another clone's PostgreSQL?). Set EC_PG_PORT=<free port> and run again; this script never touches a database it did not create."
    fi
    say "starting PostgreSQL on 127.0.0.1:$EC_PG_PORT"
    runuser -u postgres -- "$bin/pg_ctl" -D "$EC_PG_DATA" -l "$EC_PG_LOG" -w -t 60 \
      -o "-p $EC_PG_PORT -k $EC_PG_SOCKET_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c password_encryption=scram-sha-256" start >/dev/null
    EC_STARTED_POSTGRES=1
  fi
  # Roles and database, created once; the scripts only ever create, never drop, these. Passwords are (re)set as SCRAM.
  EC_OWNER_PASSWORD=$(owner_password)
  psql_admin -tAc "select 1 from pg_roles where rolname='emergency_owner'" | grep -q 1 ||
    psql_admin -c "create role emergency_owner login createdb" >/dev/null
  psql_admin -tAc "select 1 from pg_roles where rolname='emergency'" | grep -q 1 ||
    psql_admin -c "create role emergency login" >/dev/null
  echo "alter role emergency_owner login createdb password :'pw';" | psql_admin -v pw="$EC_OWNER_PASSWORD" >/dev/null
  psql_admin -c "alter role emergency login nocreatedb nocreaterole password 'emergency'" >/dev/null
  if psql_admin -tAc "select 1 from pg_database where datname='$EC_DB_NAME'" | grep -q 1; then
    # A database made before the two roles (owned by the app role): hand it and everything in it to the owner.
    if [ "$(psql_admin -tAc "select pg_get_userbyid(datdba) from pg_database where datname='$EC_DB_NAME'")" = emergency ]; then
      say "handing database $EC_DB_NAME and its schema to the owner role"
      psql_admin -c "alter database $EC_DB_NAME owner to emergency_owner" >/dev/null
      psql_admin -d "$EC_DB_NAME" -c "reassign owned by emergency to emergency_owner" >/dev/null
    fi
  else
    psql_admin -c "create database $EC_DB_NAME owner emergency_owner" >/dev/null
  fi
  EC_OWNER_CONNECTION="Host=127.0.0.1;Port=$EC_PG_PORT;Database=$EC_DB_NAME;Username=emergency_owner;Password=$EC_OWNER_PASSWORD"
  export ConnectionStrings__Marten="${ConnectionStrings__Marten:-Host=127.0.0.1;Port=$EC_PG_PORT;Database=$EC_DB_NAME;Username=emergency;Password=emergency}"
}

# Creates or updates the schema of the project's database as the owner role (the server's own `resources setup`),
# then gives the app role what ops/lib/app-role.sql says. Needs the server published (publish_server).
setup_schema() {
  say "schema of $EC_DB_NAME: created or updated as the owner role"
  (cd "$EC_ROOT/src/EmergencyCommand.Server" &&
    ConnectionStrings__Marten="$EC_OWNER_CONNECTION" ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Demo}" Logging__LogLevel__Default=Warning \
      dotnet "$EC_SERVED_DIR/EmergencyCommand.Server.dll" resources setup >"$EC_ROOT/.data/schema-setup.log" 2>&1) ||
    { tail -n 30 "$EC_ROOT/.data/schema-setup.log" >&2; die "the schema could not be set up (log: .data/schema-setup.log)"; }
  psql_admin -d "$EC_DB_NAME" -f "$EC_ROOT/ops/lib/app-role.sql" >/dev/null
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
