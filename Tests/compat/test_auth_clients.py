"""Real clients against Parley in auth mode local: API keys from the native API used by the official
`openai` and `ollama` packages; wrong, revoked, out-of-scope and rate-limited keys raise the errors those
packages raise for OpenAI and Ollama themselves."""
import json
import urllib.request

import ollama
import openai
import pytest

from conftest import ADMIN_PASSWORD


def native(url, method, path, body=None, headers=None):
    request = urllib.request.Request(f"{url}/api/v1{path}", method=method, headers=dict(headers or {}),
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request) as response:
        return response.status, dict(response.headers), json.loads(response.read() or b"null")


@pytest.fixture(scope="module")
def admin(local_parley_url):
    """Headers of a signed-in admin session (cookie and CSRF token)."""
    _, headers, body = native(local_parley_url, "POST", "/auth/login",
                              {"username": "admin", "password": ADMIN_PASSWORD})
    return {"Cookie": headers["Set-Cookie"].split(";")[0], "X-CSRF-Token": body["csrf_token"]}


def make_key(url, admin, **fields):
    _, _, body = native(url, "POST", "/keys", dict({"name": "compat"}, **fields), admin)
    return body["key"]["id"], body["secret"]


def test_openai_client_with_a_key(local_parley_url, admin):
    _, secret = make_key(local_parley_url, admin)
    client = openai.OpenAI(base_url=f"{local_parley_url}/v1", api_key=secret, max_retries=0)
    assert "openai/mock-gpt" in {model.id for model in client.models.list().data}
    reply = client.chat.completions.create(model="openai/mock-gpt", messages=[{"role": "user", "content": "Hi"}])
    assert "You said: Hi" in reply.choices[0].message.content
    chunks = list(client.chat.completions.create(
        model="openai/mock-gpt", messages=[{"role": "user", "content": "Hi"}], stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices).endswith("You said: Hi")


def test_openai_client_refused_without_a_valid_key(local_parley_url, admin):
    wrong = openai.OpenAI(base_url=f"{local_parley_url}/v1", api_key="pk_not-a-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.models.list()
    key_id, secret = make_key(local_parley_url, admin)
    client = openai.OpenAI(base_url=f"{local_parley_url}/v1", api_key=secret, max_retries=0)
    client.models.list()
    native(local_parley_url, "DELETE", f"/keys/{key_id}", None, admin)
    with pytest.raises(openai.AuthenticationError):
        client.models.list()


def test_openai_client_sees_scopes_model_lists_and_limits(local_parley_url, admin):
    _, embeddings_only = make_key(local_parley_url, admin, scopes=["embeddings"])
    client = openai.OpenAI(base_url=f"{local_parley_url}/v1", api_key=embeddings_only, max_retries=0)
    with pytest.raises(openai.PermissionDeniedError):
        client.chat.completions.create(model="openai/mock-gpt", messages=[{"role": "user", "content": "Hi"}])
    assert client.embeddings.create(model="openai/mock-gpt", input="hello").data

    _, one_model = make_key(local_parley_url, admin, models=["openai/mock-gpt"])
    client = openai.OpenAI(base_url=f"{local_parley_url}/v1", api_key=one_model, max_retries=0)
    assert [model.id for model in client.models.list().data] == ["openai/mock-gpt"]
    with pytest.raises(openai.PermissionDeniedError):
        client.chat.completions.create(model="ollama/mock-llama:latest", messages=[{"role": "user", "content": "x"}])

    _, slow = make_key(local_parley_url, admin, requests_per_minute=1)
    client = openai.OpenAI(base_url=f"{local_parley_url}/v1", api_key=slow, max_retries=0)
    client.models.list()
    with pytest.raises(openai.RateLimitError) as raised:
        client.models.list()
    assert int(raised.value.response.headers["retry-after"]) >= 1

    _, tiny_budget = make_key(local_parley_url, admin, daily_tokens=3)
    client = openai.OpenAI(base_url=f"{local_parley_url}/v1", api_key=tiny_budget, max_retries=0)
    client.chat.completions.create(model="openai/mock-gpt", messages=[{"role": "user", "content": "Hello there"}])
    with pytest.raises(openai.RateLimitError, match="daily budget"):
        client.chat.completions.create(model="openai/mock-gpt", messages=[{"role": "user", "content": "More"}])


def test_ollama_client_with_a_key(local_parley_url, admin):
    _, secret = make_key(local_parley_url, admin)
    client = ollama.Client(host=f"{local_parley_url}/ollama", headers={"Authorization": f"Bearer {secret}"})
    assert "ollama/mock-llama:latest" in {model.model for model in client.list().models}
    reply = client.chat(model="ollama/mock-llama:latest", messages=[{"role": "user", "content": "Hi"}])
    assert "You said: Hi" in reply.message.content
    anonymous = ollama.Client(host=f"{local_parley_url}/ollama")
    with pytest.raises(ollama.ResponseError) as raised:
        anonymous.list()
    assert raised.value.status_code == 401


def test_users_and_keys_made_with_the_command_line_work_at_once(request, work_dir, local_parley_url):
    """`parley users create` and `parley keys create` write the database the running server uses."""
    import subprocess
    parley = request.config.getoption("--parley-bin")
    common = ["--data", str(work_dir / "data-local"), "--config", str(work_dir / "parley-local.yaml")]
    made = subprocess.run([parley, "users", "create", "cli-user", "--password-stdin", *common],
                          input="cli-user-password\n", capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    refused = subprocess.run([parley, "users", "create", "cli-user-2", *common], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "--password-stdin" in refused.stderr
    key = subprocess.run([parley, "keys", "create", "--user", "cli-user", "--name", "cli", "--scope", "chat", *common],
                         capture_output=True, text=True)
    assert key.returncode == 0, key.stderr
    secret = key.stdout.strip()
    assert secret.startswith("pk_") and secret not in key.stderr
    client = openai.OpenAI(base_url=f"{local_parley_url}/v1", api_key=secret, max_retries=0)
    assert client.chat.completions.create(
        model="openai/mock-gpt", messages=[{"role": "user", "content": "From the CLI"}]).choices[0].message.content
    listed = subprocess.run([parley, "keys", "list", "--user", "cli-user", *common], capture_output=True, text=True)
    key_id = listed.stdout.split("\t")[0]
    assert secret not in listed.stdout and "active" in listed.stdout
    revoked = subprocess.run([parley, "keys", "revoke", key_id, *common], capture_output=True, text=True)
    assert revoked.returncode == 0, revoked.stderr
    # The server caches verified keys for up to 10 s; a key revoked from another process is refused after that.
    import time
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            client.models.list()
            time.sleep(0.5)
        except openai.AuthenticationError:
            break
    else:
        pytest.fail("a key revoked with the command line was still accepted after 15 s")
    signed = native(local_parley_url, "POST", "/auth/login", {"username": "cli-user", "password": "cli-user-password"})
    assert signed[0] == 200
