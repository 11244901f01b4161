"""Times the web UI in headless Chromium against a real `parley serve` and the mock upstream.

1. Navigation to a usable 1,000-message chat: from the start of navigation (performance.timeOrigin)
   to the frame after the page drew the chat's newest window and enabled the composer
   (`window.__parley.readyAt`), with a cold cache and with a warm one.
2. First token: from the moment the first `delta` event's bytes reach the page's stream reader to
   the animation frame in which it was put into the DOM (`window.__parley.firstDelta`).
"""
import argparse
import json
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def call(base, method, path, body=None):
    data = body if isinstance(body, bytes) else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(f"{base}/api/v1{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read() or b"null")


def seed_chat(base, count):
    """A chat of `count` messages with replies of realistic length and some Markdown."""
    reply = ("Here is an answer with **bold**, `code` and a list:\n\n- first point\n- second point\n\n"
             "```python\nfor i in range(3):\n    print(i)\n```\n\n" + "More words follow in this paragraph. " * 8)
    messages, parent = [], None
    for index in range(count):
        role = "user" if index % 2 == 0 else "assistant"
        text = f"Question number {index // 2}: how does this work?" if role == "user" else reply
        mid = f"m{index}"
        messages.append({"id": mid, "parent_id": parent, "role": role, "content": text, "status": "complete",
                         "created_at": f"2025-01-01T{index // 3600:02d}:{index // 60 % 60:02d}:{index % 60:02d}.000Z"})
        parent = mid
    archive = {"format": "parley.chat", "version": 1, "chat": {"title": "Benchmark chat", "active_leaf_id": parent},
               "messages": messages}
    return call(base, "POST", "/chats/import", json.dumps(archive).encode())["items"][0]["id"]


def summary(name, values):
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    print(f"{name:<44} median {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms   "
          f"min {values[0]:7.1f}   max {values[-1]:7.1f}   (n={len(values)})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parley-webui-bench-"))
    mock_port, port = free_port(), free_port()
    logs = open(work / "servers.log", "w")
    mock = subprocess.Popen([f"{args.bin}/parley-mock", "--port", str(mock_port), "--token-delay-ms", "20"],
                            stdout=logs, stderr=subprocess.STDOUT)
    (work / "parley.yaml").write_text(
        f"providers:\n  - name: mock\n    kind: openai-compatible\n    base_url: http://127.0.0.1:{mock_port}/v1\n"
        "default_model: mock/mock-gpt\n")
    parley = subprocess.Popen([f"{args.bin}/parley", "serve", "--port", str(port), "--data", str(work / "data"),
                               "--config", str(work / "parley.yaml")], stdout=logs, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    driver = None
    try:
        wait_up(f"http://127.0.0.1:{mock_port}/api/version")
        wait_up(f"{base}/healthz")
        chat = seed_chat(base, args.messages)
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"]:
            options.add_argument(argument)
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
        wait = WebDriverWait(driver, 30, poll_frequency=0.01)

        def open_chat():
            driver.get(f"{base}/c/{chat}")
            wait.until(lambda d: d.execute_script("return window.__parley && window.__parley.readyAt"))
            shown = driver.execute_script("return document.querySelectorAll('#messages .msg').length")
            assert shown == min(100, args.messages), shown
            return driver.execute_script("return window.__parley.readyAt")

        open_chat()  # the first start of the browser is not part of the figures
        cold, warm = [], []
        for _ in range(args.runs):
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            cold.append(open_chat())
            warm.append(open_chat())

        first_token = []
        driver.get(f"{base}/c/{chat}")
        wait.until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
        for run in range(args.runs):
            driver.execute_script("window.__parley.firstDelta = null")
            box = driver.find_element("id", "composer-input")
            box.send_keys(f"Run {run} [mock:tokens=20] [mock:latency=50]")
            box.send_keys(Keys.ENTER)
            wait.until(lambda d: d.execute_script("return window.__parley.firstDelta"))
            delta = driver.execute_script("return window.__parley.firstDelta")
            first_token.append(delta["shownAt"] - delta["arrivedAt"])
            wait.until(lambda d: d.execute_script(
                "return document.getElementById('stop-button').hidden && document.body.dataset.ready === 'true'"))
            time.sleep(0.6)  # the chat is read back after each reply

        print(f"\nWeb UI in headless Chromium ({driver.capabilities.get('browserVersion')}), "
              f"a {args.messages}-message chat, {args.runs} runs")
        summary("navigation -> usable chat, cold cache", cold)
        summary("navigation -> usable chat, warm cache", warm)
        summary("first token: arrival -> shown", first_token)
        print("targets: usable < 1000 ms, first token shown < 50 ms after arrival")
    finally:
        if driver:
            driver.quit()
        for process in (parley, mock):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
