#!/usr/bin/env bash
# A local Citus cluster for Memgate's tests and bench: a coordinator and two workers (PostgreSQL 15
# with Citus and pgvector), each on its own port and data directory. Builds and installs Citus from
# the vendored source when the extension is missing (see ../shared/OFFLINE.md, section Citus), then
# starts the cluster, or reuses it when it runs, and a spare node on the next port that belongs to
# no cluster (the scale-out test adds it to the cluster of a database of its own). Its last line is
# the coordinator's database URL; the line before it names the spare node.
#
#   MEMGATE_CITUS_DIR   where the nodes keep their data (default /var/tmp/memgate-citus)
#   CITUS_PORT          the coordinator's port; workers take the next ones (default 5441)
#   CITUS_WORKERS       how many workers to start (default 2)
#   CITUS_TARBALL       the Citus source (default ../shared/vendor/citus-13.2.2.tar.gz)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
version=15
bin=/usr/lib/postgresql/$version/bin
base=${MEMGATE_CITUS_DIR:-/var/tmp/memgate-citus}
port=${CITUS_PORT:-5441}
workers=${CITUS_WORKERS:-2}
database=memgate
as_postgres() { runuser -u postgres -- "$@"; }
psql_on() { local p=$1 db=$2; shift 2; psql -h 127.0.0.1 -p "$p" -U postgres -d "$db" -v ON_ERROR_STOP=1 -Atq "$@"; }

find_tarball() {
  for candidate in "${CITUS_TARBALL:-}" "$repo/../shared/vendor/citus-13.2.2.tar.gz" /work/shared/vendor/citus-13.2.2.tar.gz; do
    if [ -n "$candidate" ] && [ -f "$candidate" ]; then echo "$candidate"; return; fi
  done
  echo "setup-citus: the Citus source was not found (set CITUS_TARBALL to citus-13.2.2.tar.gz)" >&2
  exit 1
}

# pgvector for PostgreSQL 15 comes with the local PostgreSQL's setup.
if [ ! -f "/usr/share/postgresql/$version/extension/vector.control" ]; then
  bash "$repo/scripts/setup-postgres.sh" >/dev/null
fi

if [ ! -f "/usr/share/postgresql/$version/extension/citus.control" ]; then
  tarball=$(find_tarball)
  echo "Building Citus from $tarball (about 5 minutes on two cores)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "postgresql-server-dev-$version" build-essential libzstd-dev liblz4-dev libcurl4-openssl-dev \
    libkrb5-dev libssl-dev libselinux1-dev libxslt1-dev libpam0g-dev >/dev/null
  work=$(mktemp -d)
  tar xzf "$tarball" -C "$work"
  (
    cd "$work"/citus-*
    # PostgreSQL 15.20 exports have_createdb_privilege(), which Citus defines itself for < 16:
    # Citus's copy is renamed and the name pointed at it.
    perl -0pi -e 's/static inline bool\nhave_createdb_privilege\(void\)/static inline bool\ncitus_have_createdb_privilege(void)/' \
      src/include/pg_version_compat.h
    perl -0pi -e 's/(citus_have_createdb_privilege\(void\)\n\{.*?\n\}\n)/$1#define have_createdb_privilege citus_have_createdb_privilege\n/s' \
      src/include/pg_version_compat.h
    ./configure --quiet PG_CONFIG="$bin/pg_config" >/dev/null
    make -s -j"$(nproc)" >/dev/null
    make -s install >/dev/null
  )
  rm -rf "$work"
fi

# One node: initialised once, configured for Citus, started unless it runs.
start_node() {
  local dir=$1 p=$2
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 >/dev/null
    cat >>"$dir/postgresql.conf" <<CONF
port = $p
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_preload_libraries = 'citus'
max_connections = 300
# Citus runs a maintenance daemon per database (deadlock detection, cleanup, background jobs):
# the test suites make a database each.
max_worker_processes = 64
# Shard moves without blocking writes use logical replication.
wal_level = logical
max_wal_senders = 20
max_replication_slots = 20
# A statement that waits over deadlock_timeout (1 s) for a lock is logged: a stall is explained in server.log.
log_lock_waits = on
CONF
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null
  fi
  if [ -z "$(psql_on "$p" postgres -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
    psql_on "$p" postgres -c "CREATE DATABASE $database"
  fi
  # Once the node belongs to the cluster, Citus refuses DDL on it, even CREATE EXTENSION IF NOT EXISTS.
  for extension in citus vector; do
    if [ -z "$(psql_on "$p" "$database" -c "SELECT 1 FROM pg_extension WHERE extname = '$extension'")" ]; then
      psql_on "$p" "$database" -c "CREATE EXTENSION $extension"
    fi
  done
}

start_node "$base/coordinator" "$port"
for i in $(seq 1 "$workers"); do start_node "$base/worker$i" $((port + i)); done
# A spare node, ready but in no cluster: the scale-out test adds it to its own database's cluster.
spare=$((port + workers + 1))
start_node "$base/spare" "$spare"

psql_on "$port" "$database" -c "SELECT citus_set_coordinator_host('127.0.0.1', $port)" >/dev/null
for i in $(seq 1 "$workers"); do
  p=$((port + i))
  if [ -z "$(psql_on "$port" "$database" -c "SELECT 1 FROM pg_dist_node WHERE nodeport = $p")" ]; then
    psql_on "$port" "$database" -c "SELECT citus_add_node('127.0.0.1', $p)" >/dev/null
  fi
done

echo "Citus $(psql_on "$port" "$database" -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'") ready: coordinator $port, workers $(psql_on "$port" "$database" -c "SELECT string_agg(nodeport::text, ', ' ORDER BY nodeport) FROM pg_dist_node WHERE noderole = 'primary' AND nodeport <> $port")"
echo "spare node (not in the cluster): postgres://postgres@127.0.0.1:$spare/$database"
echo "postgres://postgres@127.0.0.1:$port/$database"
