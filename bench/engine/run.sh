#!/usr/bin/env bash
# Compares Parley's engine with llama.cpp on the same GGUF file in the same run: prefill speed
# (512-token prompt), decode speed (128 tokens), peak resident memory. Prints both and the ratios.
#
#   bench/engine/run.sh [MODEL.gguf] [THREADS]
#
# llama.cpp comes from llama-cpp-python: $PARLEY_BENCH_PYTHON if set, else /work/ref/venv/bin/python
# if it has llama_cpp, else a venv created under .build/bench-venv (pip install llama-cpp-python,
# which compiles llama.cpp for this CPU: several minutes the first time).
set -euo pipefail
cd "$(dirname "$0")/../.."

MODEL="${1:-${PARLEY_TEST_MODEL:-$HOME/.parley/models/SmolLM2-135M-Instruct.Q4_1.gguf}}"
[ -f "$MODEL" ] || MODEL=/work/ref/models/SmolLM2-135M-Instruct.Q4_1.gguf
[ -f "$MODEL" ] || { echo "model not found; pass its path" >&2; exit 1; }
THREADS="${2:-2}"

PYTHON="${PARLEY_BENCH_PYTHON:-}"
if [ -z "$PYTHON" ]; then
    if /work/ref/venv/bin/python -c "import llama_cpp" 2>/dev/null; then
        PYTHON=/work/ref/venv/bin/python
    else
        if [ ! -x .build/bench-venv/bin/python ]; then
            python3 -m venv .build/bench-venv
            .build/bench-venv/bin/pip install -q llama-cpp-python numpy
        fi
        PYTHON=.build/bench-venv/bin/python
    fi
fi

PARLEY_ENGINE_ONLY=1 swift build -c release --product parley-engine-bench >&2
BENCH=.build/release/parley-engine-bench

echo "model: $MODEL, threads: $THREADS, CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
# Alternate the two, twice, and keep each one's better run: the machine may be shared.
runs=()
for round in 1 2; do
    runs+=("$("$BENCH" --model "$MODEL" --threads "$THREADS")")
    runs+=("$("$PYTHON" bench/engine/llama_cpp_bench.py --model "$MODEL" --threads "$THREADS")")
done

printf '%s\n' "${runs[@]}" | python3 -c '
import json, sys
best = {}
for line in sys.stdin:
    run = json.loads(line)
    old = best.get(run["engine"])
    if old is None:
        best[run["engine"]] = run
    else:
        for key in ("prefill_tokens_per_second", "decode_tokens_per_second"):
            old[key] = max(old[key], run[key])
        old["peak_rss_mib"] = min(old["peak_rss_mib"], run["peak_rss_mib"])
parley, llama = best["parley"], best["llama.cpp"]
print(json.dumps(parley))
print(json.dumps(llama))
print("prefill  %7.1f vs %7.1f tokens/s  ratio %.2fx" % (parley["prefill_tokens_per_second"], llama["prefill_tokens_per_second"],
      parley["prefill_tokens_per_second"] / llama["prefill_tokens_per_second"]))
print("decode   %7.1f vs %7.1f tokens/s  ratio %.2fx" % (parley["decode_tokens_per_second"], llama["decode_tokens_per_second"],
      parley["decode_tokens_per_second"] / llama["decode_tokens_per_second"]))
print("peak RSS %7.1f vs %7.1f MiB      ratio %.2fx" % (parley["peak_rss_mib"], llama["peak_rss_mib"],
      parley["peak_rss_mib"] / llama["peak_rss_mib"]))
pd = parley["peak_rss_mib"] - parley["baseline_rss_mib"]
ld = llama["peak_rss_mib"] - llama["baseline_rss_mib"]
print("RSS above process start %7.1f vs %7.1f MiB  ratio %.2fx" % (pd, ld, pd / ld))
'
