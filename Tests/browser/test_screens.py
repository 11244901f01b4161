"""Screenshots of the main screens, light and dark, desktop and phone (test artifacts), and the
page's use by keyboard and on a narrow screen."""
import json

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def seed(api):
    existing = [c for c in api("GET", "/chats?limit=100")["items"] if c["title"] == "Screenshot chat"]
    if existing:
        return existing[0]
    text = ("Here is a **Markdown** reply with `inline code`, a list and a block:\n\n- one\n- two\n\n"
            "```swift\nlet greeting = \"Hello, Parley\"\nprint(greeting)\n```\n\nSee [the docs](https://example.com).")
    messages = [
        {"id": "a", "parent_id": None, "role": "user", "content": "Show me some formatting", "status": "complete",
         "created_at": "2025-01-01T10:00:00.000Z"},
        {"id": "b", "parent_id": "a", "role": "assistant", "content": text, "status": "complete",
         "created_at": "2025-01-01T10:00:01.000Z"},
    ]
    archive = {"format": "parley.chat", "version": 1, "chat": {"title": "Screenshot chat", "active_leaf_id": "b"},
               "messages": messages}
    return api("POST", "/chats/import", json.dumps(archive).encode())["items"][0]


def test_screenshots_of_the_main_screens(page, api, screenshots):
    chat = seed(api)
    for theme in ("light", "dark"):
        page.open(f"/c/{chat['id']}", theme=theme)
        assert page.driver.execute_script("return document.documentElement.dataset.theme") == theme
        page.screenshot(screenshots, f"chat-{theme}")
        page.open(f"/c/{chat['id']}", theme=theme, width=390, height=844)
        page.screenshot(screenshots, f"chat-phone-{theme}")
        page.find("#sidebar-toggle").click()
        page.wait(lambda d: page.find("#chat-search").is_displayed() and d.execute_script(
            "return document.getElementById('sidebar').getBoundingClientRect().left") >= 0)
        page.screenshot(screenshots, f"sidebar-phone-{theme}")
    page.open("/admin")
    page.wait(lambda d: page.find_all("#admin-panel tbody tr"))
    page.screenshot(screenshots, "admin")
    page.open("/account")
    page.screenshot(screenshots, "account")
    page.open("/")
    page.screenshot(screenshots, "new-chat")


def test_the_phone_layout_keeps_the_composer_and_hides_the_sidebar(page, api):
    chat = seed(api)
    page.open(f"/c/{chat['id']}", width=390, height=844)
    assert page.find("#composer-input").is_displayed()
    assert not page.find("#chat-search").is_displayed()
    width = page.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390


def test_the_chat_is_usable_by_keyboard_with_labelled_controls(page, api):
    chat = seed(api)
    page.open(f"/c/{chat['id']}")
    unlabelled = page.driver.execute_script("""
        return [...document.querySelectorAll('button, input, select, textarea')].filter((e) => e.offsetParent !== null)
          .filter((e) => !(e.getAttribute('aria-label') || e.labels?.length || e.textContent.trim()))
          .map((e) => e.outerHTML.slice(0, 80));""")
    assert unlabelled == []
    # Tab from the top reaches the skip link first, which jumps to the message box.
    page.find("body").send_keys(Keys.TAB)
    assert page.driver.switch_to.active_element.get_attribute("class") == "skip-link"
    page.driver.switch_to.active_element.send_keys(Keys.ENTER)
    page.find("#composer-input").send_keys("typed")
    assert page.find("#composer-input").get_attribute("value") == "typed"
    code_copy = page.find("#messages .copy-code")
    assert code_copy.get_attribute("aria-label") == "Copy code"
    assert page.find("#messages").get_attribute("role") == "log"
