"""Sending, streaming, stopping, switching models, and safe rendering."""
import time

from selenium.webdriver.common.by import By

MOCK = "mock/mock-gpt"
OLLAMA = "ollama/mock-llama:latest"


def test_a_message_gets_a_reply_streamed_token_by_token(page):
    page.open("/")
    page.pick_model(MOCK)
    page.send("Count with me [mock:tokens=40] [mock:delay=40]")
    page.wait(lambda d: len(page.replies()) == 1)
    lengths = set()
    deadline = time.time() + 20
    while time.time() < deadline:
        reply = page.messages("assistant")[0]
        lengths.add(len(reply["body"]))
        if reply["status"] == "complete":
            break
        time.sleep(0.05)
    page.wait_idle()
    reply = page.messages("assistant")[0]
    # Seen growing: several partial lengths on the way to the whole reply.
    assert len([n for n in lengths if 0 < n < len(reply["body"])]) >= 3
    assert "tokens/s" in reply["meta"] and "tokens" in reply["meta"]
    assert page.driver.current_url.rstrip("/").split("/")[-2] == "c"  # the new chat has an address
    assert page.errors() == []


def test_the_built_in_model_answers_in_the_browser(page):
    page.open("/")
    page.pick_model("local/smollm2")
    page.send("Say hello.")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle(timeout=120)
    reply = page.messages("assistant")[0]
    assert reply["body"].strip() != ""
    assert "local/smollm2" in reply["who"]


def test_stop_ends_the_reply_and_keeps_what_arrived(page):
    page.open("/")
    page.pick_model(MOCK)
    page.send("A long one [mock:tokens=400] [mock:delay=50]")
    page.wait(lambda d: len(page.replies()) == 1 and len(page.messages("assistant")[0]["body"]) > 20)
    page.find("#stop-button").click()
    page.wait_idle()
    page.wait(lambda d: page.messages("assistant")[0]["status"] == "partial")
    stopped = page.messages("assistant")[0]["body"]
    assert 20 < len(stopped) < 2000
    # The partial reply was stored: it is still there after a reload.
    page.open(page.driver.current_url.replace(page.base_url, ""))
    reply = page.messages("assistant")[0]
    assert reply["status"] == "partial"
    assert "stopped" in reply["meta"]
    assert page.find("#send-button").is_displayed()


def test_switching_model_mid_chat_uses_the_new_model(page):
    page.open("/")
    page.pick_model(MOCK)
    page.send("First [mock:reply=from_the_first]")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    page.pick_model(OLLAMA)
    page.send("Second [mock:reply=from_the_second]")
    page.wait(lambda d: len(page.replies()) == 2)
    page.wait_idle()
    who = [r["who"] for r in page.messages("assistant")]
    assert MOCK in who[0] and OLLAMA in who[1]
    # The chat remembers its model.
    page.open(page.driver.current_url.replace(page.base_url, ""))
    assert page.driver.execute_script("return document.getElementById('model-picker').value") == OLLAMA


def test_html_and_script_in_a_message_show_as_text(page):
    page.open("/")
    page.pick_model(MOCK)
    hostile = '<img src=x onerror="window.pwned=1"> and <script>window.pwned=2</script> **bold** [x](javascript:alert(1))'
    page.send(hostile)
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    for message in page.find_all("#messages .msg"):
        body = message.find_element(By.CSS_SELECTOR, ".msg-body")
        assert body.find_elements(By.TAG_NAME, "img") == []
        assert body.find_elements(By.TAG_NAME, "script") == []
        assert body.find_elements(By.CSS_SELECTOR, "a[href^=javascript]") == []
    user = page.find("#messages .msg-user .msg-body")
    assert '<img src=x onerror="window.pwned=1">' in user.text and "<script>window.pwned=2</script>" in user.text
    assert user.find_element(By.TAG_NAME, "strong").text == "bold"
    # The mock echoes the message back: the reply shows it as text too.
    assert "<script>" in page.messages("assistant")[0]["body"]
    assert page.driver.execute_script("return window.pwned === undefined")


def test_code_blocks_have_a_copy_button(page):
    page.open("/")
    page.pick_model(MOCK)
    page.send("Code please\n```python\nprint('hi')\n```")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    block = page.find("#messages .msg-user .code-block")
    assert block.find_element(By.CSS_SELECTOR, "code").text == "print('hi')"
    assert block.find_element(By.CSS_SELECTOR, "button.copy-code").get_attribute("aria-label") == "Copy code"


def test_the_model_picker_offers_only_models_that_chat(page, api):
    listed = {m["id"]: m for m in api("GET", "/models")["items"]}
    embedding = [i for i, m in listed.items() if "chat" not in m["capabilities"]]
    assert "local/all-minilm-l6-v2" in embedding  # the built-in embedding model is listed by the API ...
    page.open("/")
    offered = page.driver.execute_script(
        "return [...document.querySelectorAll('#model-picker option')].map((o) => o.value)")
    assert MOCK in offered and OLLAMA in offered
    assert not set(embedding) & set(offered)  # ... but cannot be picked for a chat
