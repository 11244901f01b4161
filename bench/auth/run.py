"""Drives the auth benchmark; see run.sh. Two Parleys with no providers (so that the route itself costs
little and the check is what is measured): one in auth mode none (the baseline), one in auth mode local.
Every row hits GET /v1/models; all rows are measured in the same run."""
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

ADMIN_PASSWORD = "bench-admin-password"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: process exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url, headers, connections, duration):
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True).stdout
    if "Requests/sec" not in out:
        raise SystemExit(f"wrk failed against {url}:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": to_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
            "p99": to_ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "non2xx": int(bad.group(1)) if bad else 0}


def status_of(url, headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parley-auth-bench-"))
    processes = []
    try:
        none_port, local_port = free_port(), free_port()
        (work / "none.yaml").write_text("log_level: error\nproviders: []\n")
        (work / "local.yaml").write_text("log_level: error\nauth:\n  mode: local\nproviders: []\n")
        for port, name in ((none_port, "none"), (local_port, "local")):
            env = dict(os.environ, PARLEY_ADMIN_PASSWORD=ADMIN_PASSWORD)
            process = subprocess.Popen(
                [f"{args.bin}/parley", "serve", "--port", str(port), "--data", str(work / f"data-{name}"),
                 "--config", str(work / f"{name}.yaml")], stdout=open(work / f"{name}.log", "w"),
                stderr=subprocess.STDOUT, env=env)
            processes.append(process)
            wait_for(f"http://127.0.0.1:{port}/healthz", process)

        local = f"http://127.0.0.1:{local_port}"
        login = urllib.request.Request(
            f"{local}/api/v1/auth/login", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"username": "admin", "password": ADMIN_PASSWORD}).encode())
        with urllib.request.urlopen(login) as response:
            cookie = response.headers["Set-Cookie"].split(";")[0]
            csrf = json.loads(response.read())["csrf_token"]
        create = urllib.request.Request(
            f"{local}/api/v1/keys", method="POST",
            headers={"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": csrf},
            data=json.dumps({"name": "bench"}).encode())
        with urllib.request.urlopen(create) as response:
            secret = json.loads(response.read())["secret"]

        rows = {
            "auth none (baseline)": (f"http://127.0.0.1:{none_port}/v1/models", {}, 200),
            "valid API key": (f"{local}/v1/models", {"Authorization": f"Bearer {secret}"}, 200),
            "session cookie": (f"{local}/v1/models", {"Cookie": cookie}, 200),
            "no credentials": (f"{local}/v1/models", {}, 401),
            "wrong API key": (f"{local}/v1/models", {"Authorization": "Bearer pk_" + "x" * 43}, 401),
            "revoked-looking garbage": (f"{local}/v1/models", {"Authorization": "Bearer nonsense"}, 401),
        }
        for name, (url, headers, expected) in rows.items():
            got = status_of(url, headers)
            assert got == expected, f"{name}: expected {expected}, got {got}"

        results = {}
        for name, (url, headers, _) in rows.items():
            wrk(url, headers, 16, 2)
            results[(name, 16)] = wrk(url, headers, 16, args.duration)
        for name in ("auth none (baseline)", "valid API key"):
            url, headers, _ = rows[name]
            results[(name, 1)] = wrk(url, headers, 1, args.duration)

        print(f"\nAuth benchmark (GET /v1/models, {args.duration} s per row, wrk, this machine: "
              f"{os.cpu_count()} cores, same run)\n")
        print(f"{'credentials':<26} {'conns':>5} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'status':>7}")
        for (name, conns), r in results.items():
            print(f"{name:<26} {conns:>5} {r['rps']:>10.1f} {r['p50']:>8.3f} {r['p99']:>8.3f} "
                  f"{rows[name][2]:>7}")
        base = results[("valid API key", 16)]["rps"]
        print()
        for name in ("no credentials", "wrong API key", "revoked-looking garbage"):
            print(f"refused ({name}): {results[(name, 16)]['rps'] / base:.2f}x the rate of authenticated requests")
        added = results[("valid API key", 1)]["p50"] - results[("auth none (baseline)", 1)]["p50"]
        print(f"added p50 latency of an API-key check over HTTP at 1 connection: {added * 1000:.0f} µs "
              f"(target < 50 µs)")
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
