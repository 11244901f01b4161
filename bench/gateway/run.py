"""Drives the gateway benchmark; see run.sh. Prints what it measured, all targets in the same run."""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
# LiteLLM refuses to start without a master key; every target is sent the same Bearer token.
MASTER_KEY = "sk-bench-" + "0123456789abcdef" * 2


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: process exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url, body, connections, duration):
    threads = min(2, connections)
    run = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(HERE / "post.lua"),
         url, "--", body, MASTER_KEY], capture_output=True, text=True)
    out = run.stdout
    if run.returncode != 0 or "Requests/sec" not in out:
        raise SystemExit(f"wrk failed against {url} ({run.returncode}):\n{out}\n{run.stderr}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "requests": total,
            "non2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(1) if errors else ""}


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--litellm", required=True)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parley-bench-"))
    processes = []

    def start(cmd, log, env=None):
        process = subprocess.Popen(cmd, stdout=open(work / log, "w"), stderr=subprocess.STDOUT, env=env)
        processes.append(process)
        return process

    try:
        mock_port, parley_port, litellm_port = free_port(), free_port(), free_port()
        mock = start([f"{args.bin}/parley-mock", "--port", str(mock_port)], "mock.log")
        wait_for(f"http://127.0.0.1:{mock_port}/api/version", mock)
        (work / "parley.yaml").write_text(
            f"log_level: warning\nproviders:\n  - name: mock\n    kind: openai-compatible\n"
            f"    base_url: http://127.0.0.1:{mock_port}/v1\n    api_key: sk-bench\n")
        parley = start([f"{args.bin}/parley", "serve", "--port", str(parley_port), "--data", str(work / "data"),
                        "--config", str(work / "parley.yaml")], "parley.log")
        wait_for(f"http://127.0.0.1:{parley_port}/healthz", parley)
        # The same Parley with Swift concurrency on NIO's event loops instead of Swift's own pool (the default).
        loops_port = free_port()
        loops = start([f"{args.bin}/parley", "serve", "--port", str(loops_port), "--data", str(work / "data-pool"),
                      "--config", str(work / "parley.yaml")], "parley-loops.log",
                     env=dict(os.environ, PARLEY_TASK_EXECUTOR="event-loops"))
        wait_for(f"http://127.0.0.1:{loops_port}/healthz", loops)
        (work / "litellm.yaml").write_text(
            "model_list:\n  - model_name: mock-gpt\n    litellm_params:\n      model: openai/mock-gpt\n"
            f"      api_base: http://127.0.0.1:{mock_port}/v1\n      api_key: sk-bench\n"
            "litellm_settings:\n  set_verbose: false\n")
        env = dict(os.environ, LITELLM_LOG="ERROR", LITELLM_MASTER_KEY=MASTER_KEY)
        litellm = start([args.litellm, "--config", str(work / "litellm.yaml"), "--port", str(litellm_port),
                         "--num_workers", "1"], "litellm.log", env=env)
        wait_for(f"http://127.0.0.1:{litellm_port}/health/liveliness", litellm)

        targets = {
            "direct": (f"http://127.0.0.1:{mock_port}/v1/chat/completions", "mock-gpt"),
            "parley": (f"http://127.0.0.1:{parley_port}/v1/chat/completions", "mock/mock-gpt"),
            "parley-loops": (f"http://127.0.0.1:{loops_port}/v1/chat/completions", "mock/mock-gpt"),
            "litellm": (f"http://127.0.0.1:{litellm_port}/v1/chat/completions", "mock-gpt"),
        }

        def body(model, stream):
            return json.dumps({"model": model, "stream": stream,
                               "messages": [{"role": "user", "content": "Benchmark me"}]})

        # Idle RSS: after start-up and one request, before load.
        urllib.request.urlopen(urllib.request.Request(
            targets["parley"][0], data=body("mock/mock-gpt", False).encode(),
            headers={"content-type": "application/json"})).read()
        time.sleep(1)
        idle_rss = rss_mb(parley.pid)

        # Rounds: every target measured once per round, back to back, so that the shared machine's slow
        # and fast spells fall on all of them alike; ratios are taken within a round, then the median.
        rounds = []
        for _ in range(args.rounds):
            results = {}
            for name, (url, model) in targets.items():
                for stream in (False, True):
                    wrk(url, body(model, stream), 16, 2)  # warm-up
                    results[(name, stream, 16)] = wrk(url, body(model, stream), 16, args.duration)
                results[(name, False, 1)] = wrk(url, body(model, False), 1, args.duration)
            rounds.append(results)
        loaded_rss = rss_mb(parley.pid)

        def median(values):
            values = sorted(values)
            middle = len(values) // 2
            return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

        print(f"\nGateway benchmark ({args.rounds} rounds of {args.duration} s per row, wrk, same mock upstream, "
              f"this machine: {os.cpu_count()} cores); medians over the rounds\n")
        print(f"{'target':<12} {'mode':<10} {'conns':>5} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
              f"  req/s per round")
        for key in rounds[0]:
            name, stream, conns = key
            runs = [r[key] for r in rounds]
            errors = sum(r["non2xx"] + (1 if r["socket_errors"] else 0) for r in runs)
            print(f"{name:<12} {'stream' if stream else 'non-stream':<10} {conns:>5} "
                  f"{median([r['rps'] for r in runs]):>10.1f} {median([r['p50'] for r in runs]):>8.3f} "
                  f"{median([r['p99'] for r in runs]):>8.3f} {errors:>7}  "
                  + " ".join(f"{r['rps']:.0f}" for r in runs))
        print()

        def ratio(name, stream, over):
            per_round = [r[(name, stream, 16)]["rps"] / r[(over, stream, 16)]["rps"] for r in rounds]
            return median(per_round), per_round

        for stream in (False, True):
            mode = "stream" if stream else "non-stream"
            direct, direct_rounds = ratio("parley", stream, "direct")
            lite, lite_rounds = ratio("parley", stream, "litellm")
            print(f"{mode:<10}: Parley/direct = {direct:.2f} (target >= 0.35; rounds "
                  + " ".join(f"{x:.2f}" for x in direct_rounds) + f"); Parley/LiteLLM = {lite:.1f}x (target >= 100x; "
                  + "rounds " + " ".join(f"{x:.0f}" for x in lite_rounds) + ")")
        added = median([r[("parley", False, 1)]["p50"] - r[("direct", False, 1)]["p50"] for r in rounds])
        print(f"added p50 latency at 1 connection: {added:.3f} ms (target < 0.5 ms)")
        loops_added = median([r[("parley-loops", False, 1)]["p50"] - r[("direct", False, 1)]["p50"] for r in rounds])
        loops_ratio, _ = ratio("parley-loops", False, "direct")
        print(f"with PARLEY_TASK_EXECUTOR=event-loops: Parley/direct = {loops_ratio:.2f} non-stream, "
              f"added p50 latency at 1 connection {loops_added:.3f} ms")
        print(f"Parley RSS: {idle_rss:.1f} MB idle (target < 60 MB), {loaded_rss:.1f} MB after the load")
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
