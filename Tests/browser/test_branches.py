"""Regenerating a reply and editing a message make branches; the arrows move between them."""
from selenium.webdriver.common.by import By

MOCK = "mock/mock-gpt"
OLLAMA = "ollama/mock-llama:latest"


def click(page, css_in_message, role, index=0):
    message = page.find_all(f"#messages .msg-{role}")[index]
    message.find_element(By.CSS_SELECTOR, css_in_message).click()


def test_regenerate_adds_a_version_and_the_arrows_move_between_them(page):
    page.open("/")
    page.pick_model(MOCK)
    page.send("Branch me [mock:reply=first_version]")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    page.pick_model(OLLAMA)
    click(page, "button.regenerate", "assistant")
    page.wait(lambda d: page.messages("assistant") and page.messages("assistant")[0]["branch"] == "2/2")
    page.wait_idle()
    assert OLLAMA in page.messages("assistant")[0]["who"]
    click(page, "button.branch-prev", "assistant")
    page.wait(lambda d: page.messages("assistant")[0]["branch"] == "1/2")
    assert MOCK in page.messages("assistant")[0]["who"]
    assert "first version" in page.messages("assistant")[0]["body"]
    click(page, "button.branch-next", "assistant")
    page.wait(lambda d: page.messages("assistant")[0]["branch"] == "2/2")
    assert OLLAMA in page.messages("assistant")[0]["who"]
    # The version shown is the chat's: a reload shows the same.
    page.open(page.driver.current_url.replace(page.base_url, ""))
    assert page.messages("assistant")[0]["branch"] == "2/2"


def test_editing_a_message_resends_it_as_a_new_branch(page):
    page.open("/")
    page.pick_model(MOCK)
    page.send("The original question")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    click(page, "button.edit", "user")
    box = page.find("#messages .edit-input")
    box.clear()
    box.send_keys("The edited question")
    page.find("#messages .save-edit").click()
    page.wait(lambda d: page.messages("user") and page.messages("user")[0]["branch"] == "2/2")
    page.wait_idle()
    user, reply = page.messages("user")[0], page.messages("assistant")[0]
    assert user["body"] == "The edited question"
    assert "You said: The edited question" in reply["body"]
    click(page, "button.branch-prev", "user")
    page.wait(lambda d: page.messages("user")[0]["branch"] == "1/2")
    assert page.messages("user")[0]["body"] == "The original question"
    assert "You said: The original question" in page.messages("assistant")[0]["body"]
