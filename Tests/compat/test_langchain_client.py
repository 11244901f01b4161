"""LangChain's ChatOpenAI against Parley's OpenAI surface."""
import pytest
from langchain_openai import ChatOpenAI

MODELS = ["openai/mock-gpt", "azure/mock-azure", "ollama/mock-llama:latest"]


@pytest.mark.parametrize("model", MODELS)
def test_invoke_and_stream(parley_url, model):
    chat = ChatOpenAI(model=model, base_url=f"{parley_url}/v1", api_key="unused", max_retries=0)
    reply = chat.invoke([("system", "Be brief."), ("human", "Hi langchain")])
    assert reply.content == "Hello from the mock upstream. You said: Hi langchain"
    assert reply.usage_metadata["total_tokens"] > 0
    streamed = "".join(chunk.content for chunk in chat.stream("Stream it"))
    assert streamed == "Hello from the mock upstream. You said: Stream it"


@pytest.mark.parametrize("model", MODELS)
def test_tool_calls(parley_url, model):
    chat = ChatOpenAI(model=model, base_url=f"{parley_url}/v1", api_key="unused", max_retries=0)

    def lookup(query: str) -> str:
        """Looks a query up."""
        return query

    reply = chat.bind_tools([lookup]).invoke("cats [mock:tool=lookup]")
    assert reply.tool_calls[0]["name"] == "lookup"
    assert reply.tool_calls[0]["args"] == {"query": "cats"}
    assert reply.tool_calls[0]["id"]


@pytest.mark.parametrize("model", ["local/smollm2"])
def test_embedded_model_invoke_and_stream(parley_url, model):
    chat = ChatOpenAI(model=model, base_url=f"{parley_url}/v1", api_key="unused", max_retries=0, max_tokens=8,
                      temperature=0)
    assert chat.invoke("Hi").content.strip()
    assert "".join(chunk.content for chunk in chat.stream("Hi")).strip()
