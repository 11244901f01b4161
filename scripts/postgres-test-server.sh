#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks, on a free loopback port.
#
#   scripts/postgres-test-server.sh start DIR   initdb into DIR, start, create database parley_test and a
#                                               user with a password; prints the URL and writes it to DIR/url
#   scripts/postgres-test-server.sh stop DIR    stops the server and removes DIR
#
# Environment:
#   PARLEY_PG_FAST=1        no fsync (tests: the data is thrown away anyway)
#   PARLEY_PG_OPTIONS="..." more server settings, e.g. "-c shared_buffers=1GB"
#
# PostgreSQL refuses to run as root, so as root the server runs as `nobody`. When `nobody` cannot
# reach DIR (a parent directory is private) or DIR is too long for a unix socket path, the cluster
# lives in a directory under /tmp instead, and DIR/root says where.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2

# PostgreSQL's programs: on PATH, or where Debian puts them.
if ! command -v pg_ctl >/dev/null; then
    for bin in /usr/lib/postgresql/*/bin; do [ -x "$bin/pg_ctl" ] && PATH="$bin:$PATH"; done
fi
command -v pg_ctl >/dev/null || { echo "PostgreSQL (initdb, pg_ctl) is not installed" >&2; exit 1; }

# Runs a command as the server's user.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ ! -e "$dir/root" ] || { echo "$dir already has a server; stop it first" >&2; exit 1; }

    local root="$dir/pg"
    mkdir -p "$root"
    [ "$(id -u)" -ne 0 ] || chown nobody "$root"
    # Socket paths are limited to 107 bytes.
    if ! as_owner test -w "$root" || [ ${#root} -gt 80 ]; then
        rmdir "$root"
        root=$(mktemp -d /tmp/parley-pg.XXXXXX)
        chmod 755 "$root"
        [ "$(id -u)" -ne 0 ] || chown nobody "$root"
    fi
    echo "$root" >"$dir/root"

    as_owner initdb -D "$root/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust \
        --auth-host=scram-sha-256 >"$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; exit 1; }
    as_owner mkdir -p "$root/socket"

    local options="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$root/socket -c max_connections=300"
    [ -z "${PARLEY_PG_FAST:-}" ] || options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    options+=" ${PARLEY_PG_OPTIONS:-}"

    # Another process may take the free port before the server does: try a few.
    local port="" attempt
    for attempt in 1 2 3 4 5; do
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        if as_owner pg_ctl -D "$root/data" -l "$root/server.log" -w -t 60 -o "$options -p $port" start >/dev/null; then
            break
        fi
        port=""
    done
    [ -n "$port" ] || { echo "PostgreSQL did not start:" >&2; tail -20 "$root/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"

    local user=parley password
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    psql -q -v ON_ERROR_STOP=1 -h "$root/socket" -p "$port" -U postgres -d postgres >/dev/null <<SQL
CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE parley_test OWNER $user;
SQL
    local url="postgres://$user:$password@127.0.0.1:$port/parley_test"
    echo "$url" >"$dir/url"
    echo "$url"
}

stop() {
    [ -d "$dir" ] || return 0
    if [ -f "$dir/root" ]; then
        local root
        root=$(cat "$dir/root")
        if [ -f "$root/data/postmaster.pid" ]; then
            as_owner pg_ctl -D "$root/data" -m fast -w stop >/dev/null || true
        fi
        rm -rf "$root"
    fi
    rm -rf "$dir"
}

case "$action" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
