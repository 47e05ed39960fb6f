#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + pgvector cluster for tests, benchmarks and local trials.
#
#   scripts/postgres.sh install        installs PostgreSQL 15 and pgvector when missing (needs root and apt)
#   scripts/postgres.sh start [DIR]    installs if needed, starts a cluster in DIR (default: a new temp folder)
#                                      on a free 127.0.0.1 port and prints its JDBC URL on stdout (only that);
#                                      when DIR already holds a running cluster, prints its URL again
#   scripts/postgres.sh stop DIR       stops the cluster in DIR (the folder is left for the caller to remove)
#
# pgvector is not packaged for Debian 12's PostgreSQL 15, so it is built from Debian's own source package of the
# next release (trixie), against postgresql-server-dev-15. Everything is idempotent and fast once installed.
# Local connections are trusted (the cluster listens on 127.0.0.1 only and is meant to be thrown away).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_CONFIG=${PG_CONFIG:-$PG_BIN/pg_config}
DB_NAME=${GROUNDWORK_DB_NAME:-groundwork}
DB_USER=postgres

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
apt_install() {
    if [[ $apt_updated == false ]]; then
        as_root apt-get update -qq >&2
        apt_updated=true
    fi
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >&2
}

vector_installed() {
    [[ -x $PG_CONFIG ]] && [[ -f "$("$PG_CONFIG" --sharedir)/extension/vector.control" ]]
}

install() {
    if [[ ! -x $PG_BIN/initdb ]]; then
        log "installing PostgreSQL 15"
        apt_install postgresql-15
    fi
    if vector_installed; then
        return
    fi
    log "building pgvector from Debian trixie's source package"
    # postgresql-15 ships pg_config but not the server headers an extension build needs.
    if [[ ! -f "$("$PG_CONFIG" --includedir-server 2>/dev/null)/postgres.h" ]] || ! command -v make >/dev/null \
            || ! command -v gcc >/dev/null || ! command -v dpkg-source >/dev/null; then
        apt_install postgresql-server-dev-15 dpkg-dev make gcc
    fi
    # deb-src only: no binary package from trixie can ever be installed by this entry.
    local src=/etc/apt/sources.list.d/groundwork-trixie-src.sources
    if [[ ! -f $src ]]; then
        printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: trixie' 'Components: main' \
            'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | as_root tee "$src" >/dev/null
        apt_updated=false
    fi
    if [[ $apt_updated == false ]]; then
        as_root apt-get update -qq >&2
        apt_updated=true
    fi
    local work
    work=$(mktemp -d)
    (
        cd "$work"
        # _apt cannot write into a root-only temp folder; let it (avoids apt's "unsandboxed" warning).
        chmod 755 "$work"
        apt-get source -qq -o APT::Sandbox::User=root pgvector >&2
        cd pgvector-*/
        make -s PG_CONFIG="$PG_CONFIG" >&2
        as_root make -s PG_CONFIG="$PG_CONFIG" install >&2
    )
    rm -rf "$work"
    vector_installed || die "pgvector did not install into $("$PG_CONFIG" --sharedir)/extension"
    log "pgvector installed"
}

# Runs a PostgreSQL binary as the cluster's owner: initdb and postgres refuse to run as root.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
        || echo $((20000 + RANDOM % 20000))
}

jdbc_url() {
    echo "jdbc:postgresql://127.0.0.1:$1/$DB_NAME?user=$DB_USER"
}

start() {
    install
    local dir=${1:-}
    if [[ -z $dir ]]; then
        dir=$(mktemp -d -t groundwork-pg.XXXXXX)
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir" && chmod 700 "$dir"
    if [[ -f $dir/port ]] && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        jdbc_url "$(cat "$dir/port")"
        return
    fi
    if [[ ! -f $dir/data/PG_VERSION ]]; then
        as_owner "$PG_BIN/initdb" -D "$dir/data" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
            >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed in $dir/data"; }
    fi
    local port
    port=$(free_port)
    # The socket goes into the cluster folder: /var/run/postgresql may not exist or be writable.
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir' -c fsync=${GROUNDWORK_PG_FSYNC:-on}" \
        start >&2 || { tail -20 "$dir/server.log" >&2; die "the server in $dir did not start"; }
    as_owner sh -c "echo $port > '$dir/port'"
    local psql=(env PGOPTIONS='-c client_min_messages=warning' "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$DB_USER")
    if [[ -z $("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'") ]]; then
        "${psql[@]}" -d postgres -c "CREATE DATABASE $DB_NAME" >&2
    fi
    "${psql[@]}" -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS vector" >&2
    log "cluster in $dir on port $port (pgvector $("${psql[@]}" -d "$DB_NAME" -tAc \
        "SELECT extversion FROM pg_extension WHERE extname = 'vector'")); stop with: $0 stop $dir"
    jdbc_url "$port"
}

stop() {
    local dir=${1:?usage: $0 stop DIR}
    [[ -d $dir/data ]] || die "$dir holds no cluster"
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    fi
}

case "${1:-start}" in
    install) install ;;
    start) start "${2:-}" ;;
    stop) stop "${2:-}" ;;
    *) die "usage: $0 install | start [DIR] | stop DIR" ;;
esac
