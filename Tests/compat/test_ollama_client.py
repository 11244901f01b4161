"""The official `ollama` Python package against Parley's Ollama surface, for every kind of provider."""
import ollama
import pytest

from conftest import PROVIDER_PATHS

MODELS = ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama:latest"]


@pytest.fixture(scope="module")
def client(parley_url):
    return ollama.Client(host=f"{parley_url}/ollama")


def provider_of(model):
    return model.split("/")[0]


def test_list_shows_every_provider(client):
    names = {m.model for m in client.list().models}
    assert {"openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama:latest"} <= names


@pytest.mark.parametrize("model", MODELS)
def test_show(client, model):
    shown = client.show(model)
    assert shown.modelfile and "completion" in (shown.capabilities or [])


@pytest.mark.parametrize("model", MODELS)
def test_chat_keeps_roles_and_system_prompt(client, mock_requests, model):
    response = client.chat(model=model, messages=[
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "First"},
        {"role": "assistant", "content": "Ok"},
        {"role": "user", "content": "Hello ollama"}], options={"temperature": 0.2, "num_predict": 50})
    assert response.message.content == "Hello from the mock upstream. You said: Hello ollama"
    assert response.done and response.done_reason == "stop"
    assert response.eval_count > 0 and response.prompt_eval_count > 0 and response.total_duration > 0
    sent = mock_requests(PROVIDER_PATHS[provider_of(model)])[-1]["body"]
    assert [m["role"] for m in sent["messages"]] == ["system", "user", "assistant", "user"]
    assert sent["messages"][0]["content"] == "You are terse."


@pytest.mark.parametrize("model", MODELS)
def test_chat_stream(client, model):
    parts = list(client.chat(model=model, messages=[{"role": "user", "content": "Stream"}], stream=True))
    assert "".join(p.message.content for p in parts) == "Hello from the mock upstream. You said: Stream"
    assert parts[-1].done and parts[-1].eval_count > 0
    assert all(not p.done for p in parts[:-1])


@pytest.mark.parametrize("model", MODELS)
def test_generate(client, model):
    response = client.generate(model=model, prompt="Why is the sky blue?")
    assert response.response == "Hello from the mock upstream. You said: Why is the sky blue?"
    streamed = "".join(p.response for p in client.generate(model=model, prompt="Again", stream=True))
    assert streamed == "Hello from the mock upstream. You said: Again"


@pytest.mark.parametrize("model", MODELS)
def test_tool_calls(client, model):
    response = client.chat(model=model, messages=[{"role": "user", "content": "cats [mock:tool=lookup]"}],
                           tools=[{"type": "function", "function": {"name": "lookup", "description": "Look up",
                                   "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}}])
    call = response.message.tool_calls[0]
    assert call.function.name == "lookup"
    assert call.function.arguments == {"query": "cats"}


@pytest.mark.parametrize("model", ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-embed:latest"])
def test_embed(client, model):
    result = client.embed(model=model, input=["one", "two"])
    assert len(result.embeddings) == 2 and len(result.embeddings[0]) == 8
    old = client.embeddings(model=model, prompt="one")
    assert old.embedding == pytest.approx(result.embeddings[0])


def test_images_reach_the_upstream(client, mock_requests):
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    client.chat(model="openai/mock-gpt", messages=[{"role": "user", "content": "What?", "images": [png]}])
    content = mock_requests("/v1/chat/completions")[-1]["body"]["messages"][0]["content"]
    assert content[1]["image_url"]["url"] == f"data:image/png;base64,{png}"


def test_errors(client):
    with pytest.raises(ollama.ResponseError) as raised:
        client.chat(model="no-such-model", messages=[{"role": "user", "content": "Hi"}])
    assert raised.value.status_code == 404
    with pytest.raises(ollama.ResponseError):
        client.chat(model="openai/mock-gpt", messages=[{"role": "user", "content": "[mock:fault=500]"}])


@pytest.mark.parametrize("model", ["local/smollm2"])
def test_embedded_model_chat_and_generate(client, model):
    response = client.chat(model=model, messages=[{"role": "user", "content": "Hello!"}],
                           options={"temperature": 0, "num_predict": 12})
    assert response.message.content.strip()
    assert 0 < response.eval_count <= 12 and response.prompt_eval_count > 0
    assert response.eval_duration > 0 and response.prompt_eval_duration > 0 and response.total_duration > 0
    parts = list(client.generate(model=model, prompt="Count to three.", stream=True, options={"num_predict": 8}))
    assert "".join(p.response for p in parts).strip() and parts[-1].done
    assert any(m.model == "local/smollm2" or m.model.startswith("local/") for m in client.ps().models)
