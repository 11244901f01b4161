"""The prompt library, and settings with presets."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def test_a_prompt_with_a_variable_is_asked_for_and_inserted_from_the_slash_search(page, screenshots):
    page.open("/prompts")
    page.find("#new-prompt").click()
    dialog = page.find("dialog.modal")
    dialog.find_element(By.CSS_SELECTOR, "input[name=title]").send_keys("Translator")
    dialog.find_element(By.CSS_SELECTOR, "textarea[name=body]").send_keys("Translate into {{language}}: hello")
    dialog.find_element(By.CSS_SELECTOR, "input[name=shared]").click()
    dialog.find_element(By.CSS_SELECTOR, ".dialog-submit").click()
    page.wait(lambda d: any("Translator" in c.text for c in page.find_all("#prompt-list .prompt-card")))
    page.screenshot(screenshots, "prompts")
    page.open("/")
    box = page.find("#composer-input")
    box.send_keys("/transl")
    page.wait(lambda d: page.find("#slash-popup").is_displayed()
              and any("Translator" in item.text for item in page.find_all("#slash-popup .slash-item")))
    box.send_keys(Keys.ENTER)
    variable = page.wait(lambda d: page.find_all("dialog.modal input[data-variable=language]"))[0]
    variable.send_keys("French")
    page.find("dialog.modal .dialog-submit").click()
    page.wait(lambda d: page.find("#composer-input").get_attribute("value") == "Translate into French: hello")


def test_settings_and_presets_survive_a_reload(page, screenshots):
    page.open("/")
    page.pick_model("mock/mock-gpt")
    page.send("Settings chat")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    page.find("#chat-settings").click()
    dialog = page.wait(lambda d: page.find_all("#settings-dialog"))[0]
    dialog.find_element(By.ID, "set-system").send_keys("You are terse.")
    for field, value in (("set-temperature", "0.3"), ("set-top-p", "0.9"), ("set-max-tokens", "64"), ("set-stop", "END, STOP")):
        element = dialog.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)
    dialog.find_element(By.ID, "preset-name").send_keys("Terse")
    dialog.find_element(By.ID, "preset-default").click()
    dialog.find_element(By.ID, "save-preset").click()
    page.wait(lambda d: any(p.get_attribute("data-name") == "Terse" for p in page.find_all("#preset-list .preset")))
    page.screenshot(screenshots, "settings")
    dialog.find_element(By.CSS_SELECTOR, ".dialog-submit").click()
    page.wait(lambda d: not page.find_all("#settings-dialog"))

    page.open(page.driver.current_url.replace(page.base_url, ""))
    page.find("#chat-settings").click()
    dialog = page.wait(lambda d: page.find_all("#settings-dialog"))[0]
    values = {f: dialog.find_element(By.ID, f).get_attribute("value")
              for f in ("set-system", "set-temperature", "set-top-p", "set-max-tokens", "set-stop")}
    assert values == {"set-system": "You are terse.", "set-temperature": "0.3", "set-top-p": "0.9",
                      "set-max-tokens": "64", "set-stop": "END, STOP"}
    preset = page.wait(lambda d: [p for p in page.find_all("#preset-list .preset") if p.get_attribute("data-name") == "Terse"])[0]
    assert "default" in preset.text
    # Applying a preset fills the form.
    dialog.find_element(By.ID, "set-temperature").clear()
    dialog.find_element(By.ID, "set-system").clear()
    preset.find_element(By.CSS_SELECTOR, ".apply-preset").click()
    assert dialog.find_element(By.ID, "set-temperature").get_attribute("value") == "0.3"
    assert dialog.find_element(By.ID, "set-system").get_attribute("value") == "You are terse."
    dialog.find_element(By.CSS_SELECTOR, ".dialog-cancel").click()


def test_the_chat_settings_reach_the_model(page, api):
    page.open("/")
    page.pick_model("mock/mock-gpt")
    page.send("Short one [mock:tokens=50]")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    page.find("#chat-settings").click()
    dialog = page.wait(lambda d: page.find_all("#settings-dialog"))[0]
    dialog.find_element(By.ID, "set-max-tokens").send_keys("5")
    dialog.find_element(By.CSS_SELECTOR, ".dialog-submit").click()
    page.wait(lambda d: not page.find_all("#settings-dialog"))
    page.send("Again [mock:tokens=50]")
    page.wait(lambda d: len(page.replies()) == 2)
    page.wait_idle()
    assert len(page.messages("assistant")[1]["body"].split()) == 5
