"""The sidebar: search, rename, pin, archive, delete; long chats open by windows."""
import json
import uuid

from selenium.webdriver.common.by import By


def import_chat(api, title, pairs, word=""):
    messages, parent = [], None
    for index in range(pairs):
        for role in ("user", "assistant"):
            mid = f"m{len(messages)}"
            text = f"{role} message {index} {word}".strip()
            created = f"2025-01-01T{len(messages) // 3600 % 24:02d}:{len(messages) // 60 % 60:02d}:{len(messages) % 60:02d}.000Z"
            messages.append({"id": mid, "parent_id": parent, "role": role, "content": text, "status": "complete",
                             "created_at": created})
            parent = mid
    archive = {"format": "parley.chat", "version": 1, "chat": {"title": title, "active_leaf_id": parent},
               "messages": messages}
    return api("POST", "/chats/import", json.dumps(archive).encode())["items"][0]


def test_search_finds_an_old_chat(page, api):
    word = "quokka" + uuid.uuid4().hex[:6]
    chat = import_chat(api, "An old conversation", 3, word)
    for _ in range(3):
        api("POST", "/chats", {"title": "Something newer"})
    page.open("/")
    page.find("#chat-search").send_keys(word[:9])
    hit = page.wait(lambda d: [a for a in page.find_all("#chat-list .search-hit a") if a.get_attribute("data-id") == chat["id"]])[0]
    assert word in hit.text
    hit.click()
    page.wait(lambda d: page.find("#chat-title").text == "An old conversation")
    assert word in page.messages("user")[0]["body"]


def test_rename_pin_archive_and_delete_a_chat(page, api):
    chat = import_chat(api, "Chat to manage", 1)
    page.open(f"/c/{chat['id']}")
    page.find("#chat-rename").click()
    title = page.find("dialog.modal input[name=title]")
    title.clear()
    title.send_keys("Renamed chat")
    page.find("dialog.modal .dialog-submit").click()
    page.wait(lambda d: page.find("#chat-title").text == "Renamed chat")
    page.find("#chat-pin").click()
    page.wait(lambda d: page.find_all("#chat-list li")[0].text.endswith("Renamed chat"))
    assert "📌" in page.find_all("#chat-list li")[0].text
    page.find("#chat-archive").click()
    page.wait(lambda d: not [a for a in page.find_all("#chat-list a") if a.get_attribute("data-id") == chat["id"]])
    page.find("#show-archived").click()
    page.wait(lambda d: [a for a in page.find_all("#chat-list a") if a.get_attribute("data-id") == chat["id"]])
    page.find("#chat-delete").click()
    page.find("dialog.modal .dialog-submit").click()
    page.wait(lambda d: not [a for a in page.find_all("#chat-list a") if a.get_attribute("data-id") == chat["id"]])
    assert page.driver.current_url.rstrip("/") == page.base_url


def test_a_long_chat_opens_with_its_newest_messages_and_loads_older_ones_on_scroll(page, api):
    chat = import_chat(api, "Long chat", 150)
    page.open(f"/c/{chat['id']}")
    shown = page.messages()
    assert len(shown) == 100 and shown[-1]["body"] == "assistant message 149"
    page.driver.execute_script("document.getElementById('messages').scrollTop = 0")
    page.wait(lambda d: len(page.messages()) == 200)
    page.driver.execute_script("document.getElementById('messages').scrollTop = 0")
    page.wait(lambda d: len(page.messages()) == 300)
    assert page.messages()[0]["body"] == "user message 0"
    assert not page.find_all("#messages .load-older")
