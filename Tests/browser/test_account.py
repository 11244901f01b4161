"""Every user's own page: profile, instruction records, import; and the admin pages."""
import json

from selenium.webdriver.common.by import By


def test_instruction_records_follow_the_profile_switch(page):
    page.open("/account")
    box = page.wait(lambda d: page.find_all("#profile-record"))[0]
    if not box.is_selected():
        box.click()
    page.find("#profile-heading").find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    page.wait(lambda d: "Saved." in page.find("#account-view").text)
    page.open("/")
    page.pick_model("mock/mock-gpt")
    page.send("Recorded question")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    page.open("/account")
    assert page.find("#profile-record").is_selected()
    page.wait(lambda d: any("message.send" in row.text for row in page.find_all("#account-view tbody tr")))


def test_a_chat_file_is_imported_and_opened(page, work_dir):
    archive = {"format": "parley.chat", "version": 1, "chat": {"title": "Imported by file", "active_leaf_id": "b"},
               "messages": [
                   {"id": "a", "role": "user", "content": "from a file", "status": "complete",
                    "created_at": "2025-02-01T10:00:00.000Z"},
                   {"id": "b", "parent_id": "a", "role": "assistant", "content": "imported reply", "status": "complete",
                    "created_at": "2025-02-01T10:00:01.000Z"}]}
    path = work_dir / "import.json"
    path.write_text(json.dumps(archive))
    page.open("/account")
    page.find("#import-file").send_keys(str(path.resolve()))
    page.find("#import-button").click()
    page.wait(lambda d: "/c/" in d.current_url and page.find("#chat-title").text == "Imported by file")
    assert page.messages("assistant")[0]["body"] == "imported reply"


def test_admins_see_providers_test_a_connection_and_models(page):
    page.open("/admin")
    row = page.wait(lambda d: [r for r in page.find_all("#admin-panel tbody tr") if r.get_attribute("data-name") == "mock"])[0]
    row.find_element(By.XPATH, ".//button[text()='Test']").click()
    page.wait(lambda d: "ok," in row.find_element(By.CSS_SELECTOR, ".status").text)
    page.find("#tab-models").click()
    page.wait(lambda d: any("mock/mock-gpt" in r.text for r in page.find_all("#admin-panel tbody tr")))
    page.find("#tab-users").click()
    page.wait(lambda d: page.find_all("#admin-panel tbody tr"))
