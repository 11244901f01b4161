#!/usr/bin/env bash
# Gateway benchmark: the mock upstream, Parley and LiteLLM's proxy (on the same mock) under wrk, all in
# one run. Usage: bench/gateway/run.sh [seconds per measurement, default 5] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
venv=${BENCH_VENV:-.bench-venv}
[ -x "$venv/bin/litellm" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q 'litellm[proxy]'; }
swift build -c release --product parley
swift build -c release --product parley-mock
exec python3 bench/gateway/run.py --bin "$(swift build -c release --show-bin-path)" --litellm "$venv/bin/litellm" \
    --duration "${1:-5}" --rounds "${2:-3}"
