"""The built-in embedding model (all-MiniLM-L6-v2) through real clients, against the vectors that
sentence-transformers computed for the same sentences (Tests/ParleyInferenceTests/Fixtures)."""
import json
import math
import os
from pathlib import Path

import ollama
import pytest
from openai import OpenAI

FIXTURE = Path(__file__).resolve().parents[1] / "ParleyInferenceTests" / "Fixtures" / "minilm-embeddings.json"

pytestmark = pytest.mark.skipif(
    not os.environ.get("PARLEY_TEST_EMBEDDING_MODEL_DIR"),
    reason="PARLEY_TEST_EMBEDDING_MODEL_DIR is not set (scripts/test.sh sets it)")


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / max(math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)), 1e-12)


@pytest.fixture(scope="module")
def cases():
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    # A spread of the fixture: short, accented, CJK, long past the token limit.
    return [case for case in fixture["cases"] if case["text"].strip()][::7]


@pytest.mark.parametrize("model", ["all-minilm-l6-v2", "local/all-minilm-l6-v2"])
def test_openai_client_embeddings_match_sentence_transformers(parley_url, cases, model):
    client = OpenAI(base_url=f"{parley_url}/v1", api_key="unused", max_retries=0)
    response = client.embeddings.create(model=model, input=[case["text"] for case in cases])
    assert len(response.data) == len(cases)
    assert response.usage.prompt_tokens > len(cases)
    for case, item in zip(cases, response.data):
        assert len(item.embedding) == 384
        assert cosine(item.embedding, case["embedding"]) >= 0.999, case["text"]


def test_openai_client_base64_embeddings(parley_url, cases):
    client = OpenAI(base_url=f"{parley_url}/v1", api_key="unused", max_retries=0)
    floats = client.embeddings.create(model="all-minilm-l6-v2", input=cases[0]["text"]).data[0].embedding
    # The SDK asks for base64 by default when numpy is there; ask explicitly either way.
    encoded = client.embeddings.create(model="all-minilm-l6-v2", input=cases[0]["text"], encoding_format="base64")
    assert encoded.data[0].embedding is not None
    assert cosine(floats, cases[0]["embedding"]) >= 0.999


def test_the_model_is_listed_with_the_models(parley_url):
    client = OpenAI(base_url=f"{parley_url}/v1", api_key="unused", max_retries=0)
    assert "local/all-minilm-l6-v2" in {model.id for model in client.models.list()}


def test_ollama_client_embed_matches_sentence_transformers(parley_url, cases):
    client = ollama.Client(host=f"{parley_url}/ollama")
    result = client.embed(model="all-minilm-l6-v2", input=[case["text"] for case in cases[:4]])
    assert len(result.embeddings) == 4
    for case, vector in zip(cases, result.embeddings):
        assert cosine(vector, case["embedding"]) >= 0.999, case["text"]
    old = client.embeddings(model="all-minilm-l6-v2", prompt=cases[0]["text"])
    assert cosine(old.embedding, cases[0]["embedding"]) >= 0.999


def test_chatting_with_the_embedding_model_is_refused(parley_url):
    client = OpenAI(base_url=f"{parley_url}/v1", api_key="unused", max_retries=0)
    with pytest.raises(Exception) as raised:
        client.chat.completions.create(model="all-minilm-l6-v2", messages=[{"role": "user", "content": "Hi"}])
    assert getattr(raised.value, "status_code", None) == 400
