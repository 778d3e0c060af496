#!/usr/bin/env bash
# Makes the local PostgreSQL ready for Memgate's tests: running, with pgvector, and a test database.
# pgvector is built from Debian's source package only when the server lacks it (see ../shared/OFFLINE.md).
set -euo pipefail

PGUSER_NAME=${PGUSER_NAME:-postgres}
TEST_DB=${TEST_DB:-memgate_test}
psql_admin() { psql -h 127.0.0.1 -U "$PGUSER_NAME" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }

version=$(ls /etc/postgresql | sort -n | tail -n 1)
if ! pg_isready -h 127.0.0.1 -q; then
  echo "Starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
fi

if [ -z "$(psql_admin -c "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")" ]; then
  echo "Building pgvector for PostgreSQL $version from Debian's source package"
  export DEBIAN_FRONTEND=noninteractive
  mirror=$(grep -hoE '^URIs: *[^ ]+' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | awk '{print $2}')
  mirror=${mirror:-http://deb.debian.org/debian}
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" > /etc/apt/sources.list.d/memgate-pgvector-src.sources
  apt-get update -qq
  apt-get install -y -qq "postgresql-server-dev-$version" build-essential dpkg-dev >/dev/null
  work=$(mktemp -d)
  (
    cd "$work"
    apt-get source --download-only pgvector >/dev/null
    tar xf pgvector_*.orig.tar.*
    cd "$(find . -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
    make -s PG_CONFIG="/usr/lib/postgresql/$version/bin/pg_config" >/dev/null
    make -s PG_CONFIG="/usr/lib/postgresql/$version/bin/pg_config" install >/dev/null
  )
  rm -rf "$work"
fi

if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$TEST_DB'")" ]; then
  psql_admin -c "CREATE DATABASE \"$TEST_DB\""
fi
psql_admin -d "$TEST_DB" -c 'CREATE EXTENSION IF NOT EXISTS vector'
echo "PostgreSQL ready: postgres://$PGUSER_NAME@127.0.0.1:5432/$TEST_DB (pgvector $(psql_admin -d "$TEST_DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'"))"
