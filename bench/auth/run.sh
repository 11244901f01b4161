#!/usr/bin/env bash
# Auth benchmark: what refusing costs (requests/s of unauthenticated and wrongly-authenticated requests
# against authenticated ones), the latency an API-key check adds, and the key check in process.
# Usage: bench/auth/run.sh [seconds per measurement, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
swift build -c release --product parley
swift build -c release --product parley-auth-bench
bin=$(swift build -c release --show-bin-path)
"$bin/parley-auth-bench" 200000
exec python3 bench/auth/run.py --bin "$bin" --duration "${1:-10}"
