"""Starts the mock upstream and a real `parley serve` for the compatibility tests."""
import json
import os
import shutil
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from processes import Server, free_port, wait_for  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--parley-bin", required=True)
    parser.addoption("--mock-bin", required=True)
    parser.addoption("--work-dir", default=tempfile.gettempdir())
    parser.addoption("--spec", default=str(Path(__file__).resolve().parents[3] / "shared/specs/openai-openapi.yaml"))


def fresh_directory(path):
    """An empty directory: a database left by an earlier run must not leak into this one."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="session")
def work_dir(request):
    path = Path(request.config.getoption("--work-dir")) / "compat"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def mock_url(request, work_dir):
    port = free_port()
    server = Server(
        [request.config.getoption("--mock-bin"), "--port", str(port), "--api-key", "sk-mock", "--token-delay-ms", "5"],
        work_dir / "mock.log", url=f"http://127.0.0.1:{port}")
    wait_for(f"{server.url}/api/version", server.process, server.log_path)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def parley_url(request, work_dir, mock_url):
    port = free_port()
    data = fresh_directory(work_dir / "data")
    config = work_dir / "parley.yaml"
    config.write_text(f"""
providers:
  - name: openai
    kind: openai-compatible
    base_url: {mock_url}/v1
    api_key: ${{COMPAT_MOCK_KEY}}
  - name: azure
    kind: azure-openai
    base_url: {mock_url}
    api_version: "2024-10-21"
    deployments: [mock-azure]
  - name: ollama
    kind: ollama
    base_url: {mock_url}
  - name: local
    kind: embedded
    models_dir: {Path(os.environ.get("PARLEY_TEST_MODEL", "/nonexistent/model.gguf")).parent}
aliases:
  gpt-3.5-turbo: ollama/mock-llama:latest
""")
    env = dict(os.environ, COMPAT_MOCK_KEY="sk-mock")
    # The built-in embedding model from the folder scripts/test.sh unpacked (no download at first use).
    if os.environ.get("PARLEY_TEST_EMBEDDING_MODEL_DIR"):
        env["PARLEY_EMBEDDING_MODEL_DIR"] = os.environ["PARLEY_TEST_EMBEDDING_MODEL_DIR"]
    assert os.environ.get("PARLEY_TEST_MODEL"), "PARLEY_TEST_MODEL must name the default model's GGUF file"
    server = Server(
        [request.config.getoption("--parley-bin"), "serve", "--port", str(port), "--data", str(data),
         "--config", str(config)],
        work_dir / "parley.log", url=f"http://127.0.0.1:{port}", env=env)
    wait_for(f"{server.url}/healthz", server.process, server.log_path)
    yield server.url
    server.stop()


ADMIN_PASSWORD = "compat-admin-password"


@pytest.fixture(scope="session")
def local_parley_url(request, work_dir, mock_url):
    """A second `parley serve`, in auth mode local, with a first admin from PARLEY_ADMIN_PASSWORD."""
    port = free_port()
    data = fresh_directory(work_dir / "data-local")
    config = work_dir / "parley-local.yaml"
    config.write_text(f"""
auth:
  mode: local
  bcrypt_cost: 4
providers:
  - name: openai
    kind: openai-compatible
    base_url: {mock_url}/v1
    api_key: sk-mock
  - name: ollama
    kind: ollama
    base_url: {mock_url}
""")
    env = dict(os.environ, PARLEY_ADMIN_PASSWORD=ADMIN_PASSWORD)
    server = Server(
        [request.config.getoption("--parley-bin"), "serve", "--port", str(port), "--data", str(data),
         "--config", str(config)],
        work_dir / "parley-local.log", url=f"http://127.0.0.1:{port}", env=env)
    wait_for(f"{server.url}/healthz", server.process, server.log_path)
    yield server.url
    server.stop()


@pytest.fixture
def mock_requests(mock_url):
    """What the mock upstream received during the test: a function returning the recorded requests."""
    urllib.request.urlopen(urllib.request.Request(f"{mock_url}/mock/requests", method="DELETE")).read()

    def recorded(path_prefix=""):
        with urllib.request.urlopen(f"{mock_url}/mock/requests") as response:
            return [r for r in json.loads(response.read()) if r["path"].startswith(path_prefix) and r["method"] == "POST"]

    return recorded


# Which upstream path each provider of the compat configuration is reached by.
PROVIDER_PATHS = {"openai": "/v1/chat/completions", "azure": "/openai/deployments/", "ollama": "/api/chat"}


@pytest.fixture(scope="session")
def parley_log(work_dir):
    return work_dir / "parley.log"


@pytest.fixture(scope="session")
def openai_schemas(request, work_dir):
    """The official OpenAI schemas, ready for jsonschema (OpenAPI's `nullable` made into JSON Schema)."""
    import yaml
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    spec_path = Path(request.config.getoption("--spec"))
    cache = work_dir / "openai-openapi.json"
    if cache.exists() and cache.stat().st_mtime > spec_path.stat().st_mtime:
        spec = json.loads(cache.read_text())
    else:
        spec = yaml.load(spec_path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        cache.write_text(json.dumps(spec, default=str))

    def fix(node):
        if isinstance(node, dict):
            if node.get("nullable") is True:
                # OpenAPI's `nullable` admits null even where an `enum` lists the other values.
                if isinstance(node.get("enum"), list) and None not in node["enum"]:
                    node["enum"].append(None)
                if "type" in node and isinstance(node["type"], str):
                    node["type"] = [node["type"], "null"]
                elif "$ref" in node or "allOf" in node or "oneOf" in node or "anyOf" in node:
                    inner = {k: v for k, v in node.items() if k != "nullable"}
                    node.clear()
                    node["anyOf"] = [inner, {"type": "null"}]
            for value in list(node.values()):
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(spec)
    registry = Registry().with_resource("urn:openai", Resource.opaque(spec))

    def validate(instance, name):
        schema = {"$ref": f"urn:openai#/components/schemas/{name}"}
        validator = Draft202012Validator(schema, registry=registry)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
        assert not errors, f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])

    return validate


# The compatibility matrix (client x surface x provider), printed at the end of the run.
_results = []
CLIENTS = {"test_openai_client": ("openai", "/v1"), "test_ollama_client": ("ollama", "/ollama"),
           "test_litellm_client": ("litellm", None), "test_langchain_client": ("langchain-openai", "/v1")}


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _results.append((report.nodeid, report.outcome))


def pytest_terminal_summary(terminalreporter):
    cells = {}
    for nodeid, outcome in _results:
        module = nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")
        if module not in CLIENTS:
            continue
        client, surface = CLIENTS[module]
        if surface is None:
            surface = "/ollama" if "ollama_surface" in nodeid else "/v1"
        provider = "-"
        if "[" in nodeid:
            param = nodeid.split("[", 1)[1].rstrip("]")
            provider = {"openai": "openai-compatible", "azure": "azure-openai", "ollama": "ollama",
                        "local": "embedded"}.get(param.split("/")[0], param)
        passed, total = cells.get((client, surface, provider), (0, 0))
        cells[(client, surface, provider)] = (passed + (outcome == "passed"), total + 1)
    if not cells:
        return
    terminalreporter.write_line("")
    terminalreporter.write_line("Compatibility matrix (client x surface x provider: passed/checks)")
    terminalreporter.write_line(f"{'client':<18}{'surface':<10}{'provider':<20}{'result':>8}")
    for (client, surface, provider), (passed, total) in sorted(cells.items()):
        status = "pass" if passed == total else "FAIL"
        terminalreporter.write_line(f"{client:<18}{surface:<10}{provider:<20}{passed:>3}/{total:<3} {status}")
