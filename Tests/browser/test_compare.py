"""Compare: one prompt, two models side by side, then carry on with the chosen reply."""
from selenium.webdriver.common.by import By

MOCK = "mock/mock-gpt"
OLLAMA = "ollama/mock-llama:latest"


def test_one_prompt_goes_to_two_models_and_the_chat_continues_with_the_chosen_reply(page, screenshots):
    page.open("/compare")
    for box in page.find_all("#compare-view input[name=model]"):
        if box.is_selected() != (box.get_attribute("value") in (MOCK, OLLAMA)):
            box.click()
    page.find("#compare-input").send_keys("Which is better [mock:tokens=30] [mock:delay=30]")
    page.find("#compare-send").click()
    page.wait(lambda d: len(page.find_all(".compare-pane")) == 2)
    # Both stream at once: each has text before either is done.
    page.wait(lambda d: all(p.find_element(By.CSS_SELECTOR, ".msg-body").text.strip() not in ("", "…")
                            for p in page.find_all(".compare-pane")))
    page.wait(lambda d: all(b.is_enabled() for b in page.find_all(".compare-pane .choose-reply")), timeout=30)
    page.screenshot(screenshots, "compare")
    panes = {p.get_attribute("data-model"): p for p in page.find_all(".compare-pane")}
    assert set(panes) == {MOCK, OLLAMA}
    panes[OLLAMA].find_element(By.CSS_SELECTOR, ".choose-reply").click()
    page.wait(lambda d: "/c/" in d.current_url and page.messages("assistant"))
    reply = page.messages("assistant")[0]
    assert OLLAMA in reply["who"] and reply["branch"] == "2/2"
    page.pick_model(OLLAMA)
    page.send("And then? [mock:reply=carried_on]")
    page.wait(lambda d: len(page.messages("assistant")) == 2)
    page.wait_idle()
    assert "carried on" in page.messages("assistant")[1]["body"]
