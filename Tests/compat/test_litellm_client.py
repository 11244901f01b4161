"""LiteLLM used as a client library, through both of Parley's surfaces."""
import os

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
import litellm  # noqa: E402

MODELS = ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama:latest"]


@pytest.mark.parametrize("model", MODELS)
def test_completion_through_the_openai_surface(parley_url, model):
    response = litellm.completion(model=f"openai/{model}", api_base=f"{parley_url}/v1", api_key="unused",
                                  messages=[{"role": "user", "content": "Hi litellm"}])
    assert response.choices[0].message.content == "Hello from the mock upstream. You said: Hi litellm"
    assert response.usage.total_tokens > 0
    chunks = litellm.completion(model=f"openai/{model}", api_base=f"{parley_url}/v1", api_key="unused",
                                messages=[{"role": "user", "content": "Stream"}], stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == "Hello from the mock upstream. You said: Stream"


@pytest.mark.parametrize("model", MODELS)
def test_completion_through_the_ollama_surface(parley_url, model):
    response = litellm.completion(model=f"ollama_chat/{model}", api_base=f"{parley_url}/ollama",
                                  messages=[{"role": "user", "content": "Hi ollama"}])
    assert response.choices[0].message.content == "Hello from the mock upstream. You said: Hi ollama"
    generated = litellm.completion(model=f"ollama/{model}", api_base=f"{parley_url}/ollama",
                                   messages=[{"role": "user", "content": "Hi generate"}])
    assert "Hi generate" in generated.choices[0].message.content


@pytest.mark.parametrize("model", ["local/smollm2"])
def test_embedded_model_through_the_openai_surface(parley_url, model):
    response = litellm.completion(model=f"openai/{model}", api_base=f"{parley_url}/v1", api_key="unused",
                                  messages=[{"role": "user", "content": "Hi"}], max_tokens=8)
    assert response.choices[0].message.content.strip()


@pytest.mark.parametrize("model", ["local/smollm2"])
def test_embedded_model_through_the_ollama_surface(parley_url, model):
    response = litellm.completion(model=f"ollama_chat/{model}", api_base=f"{parley_url}/ollama",
                                  messages=[{"role": "user", "content": "Hi"}], max_tokens=8)
    assert response.choices[0].message.content.strip()
