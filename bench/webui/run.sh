#!/usr/bin/env bash
# Web UI benchmark in headless Chromium: navigation to a usable 1,000-message chat, and the time
# from a token's arrival at the browser to its being shown. Not a test: it prints figures.
# Usage: bench/webui/run.sh [runs, default 15]     (BENCH_CONFIG=debug to skip the release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r Tests/browser/requirements.txt
config=${BENCH_CONFIG:-release}
swift build -c "$config" --product parley
swift build -c "$config" --product parley-mock
exec .venv/bin/python bench/webui/bench.py --bin "$(swift build -c "$config" --show-bin-path)" --runs "${1:-15}"
