"""Starts the mock upstream, a real `parley serve` and headless Chromium for the web UI tests.

    pytest Tests/browser --parley-bin .build/debug/parley --mock-bin .build/debug/parley-mock

`--parley-url` tests a server that is already running instead (the frame test is skipped there).
"""
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from processes import Server, free_port, wait_for  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--parley-bin")
    parser.addoption("--mock-bin")
    parser.addoption("--parley-url", help="a running Parley to test instead of starting one")
    parser.addoption("--work-dir", default=tempfile.gettempdir())


@pytest.fixture(scope="session")
def work_dir(request):
    path = Path(request.config.getoption("--work-dir")) / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def screenshots(request):
    path = Path(request.config.getoption("--work-dir")) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


class FramePages:
    """Two origins other than Parley's, each serving a page that frames Parley."""

    def __init__(self, parley_url):
        self.servers = []
        self.ports = [free_port(), free_port()]
        for port in self.ports:
            page = (f'<!doctype html><title>host</title><h1>Portal</h1>'
                    f'<iframe id="parley" src="{parley_url}/" width="900" height="600" title="Parley"></iframe>').encode()

            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self, page=page):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    self.wfile.write(page)

                def log_message(self, *args):
                    pass

            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)

    @property
    def allowed(self):
        return f"http://127.0.0.1:{self.ports[0]}"

    @property
    def refused(self):
        return f"http://127.0.0.1:{self.ports[1]}"

    def close(self):
        for server in self.servers:
            server.shutdown()


@pytest.fixture(scope="session")
def frame_pages(parley):
    if parley["frames"] is None:
        pytest.skip("frame test needs a Parley started by the tests")
    return parley["frames"]


@pytest.fixture(scope="session")
def parley(request, work_dir):
    running = request.config.getoption("--parley-url")
    if running:
        yield {"url": running.rstrip("/"), "frames": None}
        return
    mock_port, port = free_port(), free_port()
    mock = Server([request.config.getoption("--mock-bin"), "--port", str(mock_port), "--token-delay-ms", "20"],
                  work_dir / "mock.log")
    wait_for(f"http://127.0.0.1:{mock_port}/api/version", mock.process, mock.log_path)
    # Parley is reached as localhost, the frame pages as 127.0.0.1: other origins.
    url = f"http://localhost:{port}"
    frames = FramePages(url)
    data = work_dir / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    model = os.environ.get("PARLEY_TEST_MODEL")
    assert model, "PARLEY_TEST_MODEL must name the default model's GGUF file"
    config = work_dir / "parley.yaml"
    config.write_text(f"""
providers:
  - name: local
    kind: embedded
    models_dir: {Path(model).parent}
  - name: mock
    kind: openai-compatible
    base_url: http://127.0.0.1:{mock_port}/v1
  - name: ollama
    kind: ollama
    base_url: http://127.0.0.1:{mock_port}
ui:
  frame_ancestors: ["'self'", "{frames.allowed}"]
""")
    env = dict(os.environ)
    if os.environ.get("PARLEY_TEST_EMBEDDING_MODEL_DIR"):
        # Documents attached in the UI are embedded by the built-in model the test script unpacked.
        env["PARLEY_EMBEDDING_MODEL_DIR"] = os.environ["PARLEY_TEST_EMBEDDING_MODEL_DIR"]
    server = Server([request.config.getoption("--parley-bin"), "serve", "--port", str(port), "--data", str(data),
                     "--config", str(config)], work_dir / "parley.log", env=env)
    wait_for(f"{url}/healthz", server.process, server.log_path)
    yield {"url": url, "frames": frames}
    frames.close()
    server.stop()
    mock.stop()


@pytest.fixture(scope="session")
def base_url(parley):
    return parley["url"]


@pytest.fixture(scope="session")
def api(base_url):
    """Calls the native API directly (to set up what a test needs)."""

    def call(method, path, body=None):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(f"{base_url}/api/v1{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read()
            return json.loads(text) if text else None

    return call


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--disable-gpu", "--no-first-run", "--disable-features=Translate"]:
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Chromium's own driver, so that Selenium never looks for one on the network.
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


class Page:
    """The UI as a test drives it."""

    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url

    def open(self, path="/", theme="light", width=1280, height=900):
        self.driver.set_window_size(width, height)
        self.driver.get(f"{self.base_url}{path}")
        self.driver.execute_script("localStorage.setItem('parley.theme', arguments[0])", theme)
        self.driver.get(f"{self.base_url}{path}")
        self.wait(lambda d: d.execute_script("return document.body.dataset.ready") == "true", timeout=20)
        return self

    def wait(self, condition, timeout=20):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05,
                             ignored_exceptions=(StaleElementReferenceException,)).until(condition)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def pick_model(self, model_id):
        self.driver.execute_script(
            "const s = document.getElementById('model-picker'); s.value = arguments[0];"
            "s.dispatchEvent(new Event('change'));", model_id)
        self.wait(lambda d: d.execute_script("return document.getElementById('model-picker').value") == model_id)

    def send(self, text):
        box = self.find("#composer-input")
        box.click()
        self.driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
                                   box, text)
        from selenium.webdriver.common.keys import Keys
        box.send_keys(Keys.ENTER)

    def replies(self):
        return self.find_all("#messages .msg-assistant")

    def messages(self, role=None):
        """What the chat shows, read in one go (elements are redrawn as replies stream)."""
        return self.driver.execute_script("""
            return [...document.querySelectorAll('#messages .msg')].filter((m) => !arguments[0] || m.classList.contains('msg-' + arguments[0]))
              .map((m) => ({id: m.dataset.id, status: m.dataset.status, body: m.querySelector('.msg-body').innerText,
                who: m.querySelector('.who').innerText, meta: m.querySelector('.msg-meta')?.innerText || '',
                branch: m.querySelector('.branch-pos')?.innerText || null}));""", role)

    def wait_idle(self, timeout=60):
        """Until no reply streams and the chat was read back."""
        self.wait(lambda d: d.find_element(By.ID, "stop-button").get_attribute("hidden") is not None
                  and not d.find_elements(By.CSS_SELECTOR, '#messages [data-status="streaming"]'), timeout)
        time.sleep(0.3)

    def errors(self):
        return [entry for entry in self.driver.get_log("browser")
                if entry["level"] == "SEVERE" and "/auth/session" not in entry["message"]
                and "favicon" not in entry["message"]]

    def screenshot(self, directory, name):
        self.driver.save_screenshot(str(directory / f"{name}.png"))


@pytest.fixture
def page(browser, base_url):
    browser.get_log("browser")
    return Page(browser, base_url)
