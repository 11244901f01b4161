"""The official `openai` Python package against a running `parley serve` over the mock upstream."""
import openai
import pytest

MODELS = ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama:latest"]


@pytest.fixture(scope="module")
def client(parley_url):
    return openai.OpenAI(base_url=f"{parley_url}/v1", api_key="unused-in-auth-mode-none", max_retries=0)


def test_lists_models_of_every_provider(client, openai_schemas):
    models = client.models.list()
    ids = {model.id for model in models.data}
    assert {"openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama:latest", "gpt-3.5-turbo"} <= ids
    openai_schemas(models.model_dump(exclude_unset=True), "ListModelsResponse")


@pytest.mark.parametrize("model", MODELS)
def test_chat_without_streaming(client, openai_schemas, model):
    completion = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Hello mock"}], temperature=0.5, max_tokens=64)
    assert completion.choices[0].message.content == "Hello from the mock upstream. You said: Hello mock"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens
    openai_schemas(completion.model_dump(exclude_unset=True), "CreateChatCompletionResponse")


@pytest.mark.parametrize("model", MODELS)
def test_chat_streaming_with_usage(client, openai_schemas, model):
    stream = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Stream it"}], stream=True,
        stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello from the mock upstream. You said: Stream it"
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    for chunk in chunks:
        openai_schemas(chunk.model_dump(exclude_unset=True), "CreateChatCompletionStreamResponse")


@pytest.mark.parametrize("model", MODELS)
def test_tool_calls(client, openai_schemas, model):
    tools = [{"type": "function", "function": {
        "name": "lookup", "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}}]
    completion = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "cats [mock:tool=lookup]"}], tools=tools)
    call = completion.choices[0].message.tool_calls[0]
    assert call.function.name == "lookup"
    assert call.function.arguments == '{"query":"cats"}'
    assert completion.choices[0].finish_reason == "tool_calls"
    openai_schemas(completion.model_dump(exclude_unset=True), "CreateChatCompletionResponse")
    stream = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "cats [mock:tool=lookup]"}], tools=tools, stream=True)
    arguments = ""
    names = []
    for chunk in stream:
        openai_schemas(chunk.model_dump(exclude_unset=True), "CreateChatCompletionStreamResponse")
        for piece in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            if piece.function and piece.function.name:
                names.append(piece.function.name)
            arguments += (piece.function.arguments or "") if piece.function else ""
    assert names == ["lookup"]
    assert arguments == '{"query":"cats"}'


@pytest.mark.parametrize("model", ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-embed:latest"])
def test_embeddings(client, openai_schemas, model):
    result = client.embeddings.create(model=model, input=["one", "two"])
    assert len(result.data) == 2
    assert len(result.data[0].embedding) == 8
    assert result.data[0].embedding != result.data[1].embedding
    openai_schemas(result.model_dump(exclude_unset=True), "CreateEmbeddingResponse")
    # The SDK asks for base64 by default when numpy is absent; both must decode to the same floats.
    floats = client.embeddings.create(model=model, input="one", encoding_format="float").data[0].embedding
    assert floats == pytest.approx(result.data[0].embedding, abs=1e-6)


def test_alias_works_for_clients_that_name_one_model(client):
    completion = client.chat.completions.create(
        model="gpt-3.5-turbo", messages=[{"role": "user", "content": "Hi"}])
    assert completion.model == "ollama/mock-llama:latest"


def test_unknown_model_raises_not_found(client):
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "Hi"}])
    assert raised.value.code == "model_not_found"


def test_bad_request_raises_bad_request_error(client, openai_schemas):
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="openai/mock-gpt", messages=[{"role": "user", "content": "Hi"}],
                                       temperature=9)
    assert "temperature" in raised.value.message
    openai_schemas(raised.value.body and {"error": raised.value.body}, "ErrorResponse")


def test_error_mid_stream_raises(client):
    stream = client.chat.completions.create(
        model="openai/mock-gpt", messages=[{"role": "user", "content": "[mock:fault=drop]"}], stream=True)
    with pytest.raises(openai.APIError):
        for _ in stream:
            pass


def test_upstream_secret_never_appears_in_responses_or_logs(client, parley_log):
    client.chat.completions.create(model="openai/mock-gpt", messages=[{"role": "user", "content": "Hi"}])
    with pytest.raises(openai.APIError):
        client.chat.completions.create(model="openai/mock-gpt", messages=[{"role": "user", "content": "[mock:fault=500]"}])
    assert "sk-mock" not in parley_log.read_text()


@pytest.mark.parametrize("model", ["local/smollm2"])
def test_embedded_model_answers(client, openai_schemas, model):
    completion = client.chat.completions.create(
        model=model, messages=[{"role": "system", "content": "You are a helpful assistant."},
                               {"role": "user", "content": "What is the capital of France?"}],
        temperature=0, max_tokens=16)
    assert completion.choices[0].message.content.strip()
    assert completion.choices[0].finish_reason in ("stop", "length")
    assert 0 < completion.usage.completion_tokens <= 16 and completion.usage.prompt_tokens > 10
    openai_schemas(completion.model_dump(exclude_unset=True), "CreateChatCompletionResponse")
    greedy_again = client.chat.completions.create(
        model=model, messages=[{"role": "system", "content": "You are a helpful assistant."},
                               {"role": "user", "content": "What is the capital of France?"}],
        temperature=0, max_tokens=16)
    assert greedy_again.choices[0].message.content == completion.choices[0].message.content


@pytest.mark.parametrize("model", ["local/smollm2"])
def test_embedded_model_streams_and_seeds(client, openai_schemas, model):
    def run(seed):
        stream = client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "Tell me a story."}], stream=True,
            temperature=0.9, seed=seed, max_tokens=24, stream_options={"include_usage": True})
        chunks = list(stream)
        for chunk in chunks:
            openai_schemas(chunk.model_dump(exclude_unset=True), "CreateChatCompletionStreamResponse")
        assert chunks[-1].usage.completion_tokens > 0
        return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)

    first = run(7)
    assert first and first == run(7)
