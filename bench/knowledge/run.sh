#!/usr/bin/env bash
# Benchmarks ParleyKnowledge: ingestion of a 200-page PDF (pages/s) and a 100,000-row CSV (rows/s), and
# hybrid / full-text / vector query latency (p50, p99) over 100,000 chunks, on SQLite and PostgreSQL.
# LibreChat's users waited over an hour for a 1.3 MB PDF (its issue #4071); these are the figures here.
#
#   bench/knowledge/run.sh [--model-dir DIR] [--queries-with-model] [--quick] [sqlite] [postgres]
#
# --model-dir: the files of all-MiniLM-L6-v2 (model.safetensors, vocab.txt, tokenizer.json) to embed with
# the built-in model; without it ingestion runs without vectors (extraction, chunking, full-text index)
# and queries use random vectors for their vector half. --queries-with-model: the model embeds the
# queries only, not the PDF and the CSV (the query figures in minutes). --quick: a tenth of the sizes.
# To measure queries again without seeding: run the bench binary with a data directory of your own, then
# again with --queries-only (see Sources/parley-knowledge-bench/main.swift).
# Local embedding throughput against sentence-transformers is bench/knowledge/embed.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

options=()
backends=()
while [ $# -gt 0 ]; do
    case "$1" in
        --model-dir) options+=(--model-dir "$2"); shift 2 ;;
        --queries-with-model) options+=(--ingest-without-vectors); shift ;;
        --quick) options+=(--pages 20 --rows 10000 --chunks 10000 --queries 100); shift ;;
        sqlite | postgres) backends+=("$1"); shift ;;
        *) echo "usage: $0 [--model-dir DIR] [--queries-with-model] [--quick] [sqlite] [postgres]" >&2; exit 2 ;;
    esac
done
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
command -v pdftotext >/dev/null || { echo "pdftotext missing: apt-get install poppler-utils" >&2; exit 1; }

swift build -c release --product parley-knowledge-bench >&2
bench="$(swift build -c release --show-bin-path)/parley-knowledge-bench"

work=$(mktemp -d /tmp/parley-knowledge-bench.XXXXXX)
cleanup() {
    scripts/postgres-test-server.sh stop "$work/postgres" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores" >&2
for backend in "${backends[@]}"; do
    case "$backend" in
        sqlite) "$bench" "$work/sqlite" "${options[@]}" ;;
        postgres)
            url=$(scripts/postgres-test-server.sh start "$work/postgres")
            "$bench" "$work/pg-data" --database-url "$url" "${options[@]}"
            scripts/postgres-test-server.sh stop "$work/postgres"
            ;;
    esac
done
