#!/usr/bin/env bash
# Benchmarks ParleyStorage on a large database, on SQLite (a file in a temporary directory) and on
# PostgreSQL (a throwaway server from scripts/postgres-test-server.sh, stopped afterwards). Each run
# seeds an empty database (1,000,000 messages for search, a user with 100,000 chats, a 10,000-message
# chat) and prints seed times and a table of figures with their targets.
#
#   bench/store/run.sh [--scale FRACTION] [sqlite] [postgres]
#
# --scale 0.1 seeds a tenth of the data, for a quick try. PostgreSQL runs with its default durability
# (fsync on) and shared_buffers=1GB, as a server given a few GB of memory would be.
set -euo pipefail
cd "$(dirname "$0")/../.."

scale=()
backends=()
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) scale=(--scale "$2"); shift 2 ;;
        sqlite | postgres) backends+=("$1"); shift ;;
        *) echo "usage: $0 [--scale FRACTION] [sqlite] [postgres]" >&2; exit 2 ;;
    esac
done
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)

swift build -c release --product parley-store-bench >&2
bench="$(swift build -c release --show-bin-path)/parley-store-bench"

work=$(mktemp -d /tmp/parley-store-bench.XXXXXX)
cleanup() {
    scripts/postgres-test-server.sh stop "$work/postgres" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores" >&2
for backend in "${backends[@]}"; do
    case "$backend" in
        sqlite)
            "$bench" --sqlite "$work/sqlite" "${scale[@]}"
            echo "  database size: $(du -sh "$work/sqlite" | cut -f1)"
            rm -rf "$work/sqlite"
            ;;
        postgres)
            url=$(PARLEY_PG_OPTIONS="-c shared_buffers=1GB -c max_wal_size=4GB" \
                scripts/postgres-test-server.sh start "$work/postgres")
            "$bench" --postgres "$url" "${scale[@]}"
            echo "  database size: $(psql "$url" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")"
            scripts/postgres-test-server.sh stop "$work/postgres"
            ;;
    esac
done
