"""Attaching a file or a web page from the composer: the document is read into the chat's own
collection, its status shows beside the composer, and the next reply cites it."""
from selenium.webdriver.common.by import By

MOCK = "mock/mock-gpt"


def chips(page):
    return [{"text": chip.text, "status": chip.get_attribute("data-status")}
            for chip in page.find_all("#attachments .attachment")]


def test_a_file_attached_from_the_composer_is_read_and_cited(page, tmp_path):
    notes = tmp_path / "zephyr-notes.md"
    notes.write_text("# Zephyr project\n\nThe zephyr launch code is PLUM-4417, kept in the blue binder.\n")
    page.open("/")
    page.pick_model(MOCK)
    page.send("Start a chat about the project")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    page.find("#attach-file").send_keys(str(notes))
    page.wait(lambda d: any(c["status"] == "ready" for c in chips(page)), timeout=60)
    assert "Zephyr project" in chips(page)[0]["text"]  # the title read from the document

    page.send("What is the zephyr launch code?")
    page.wait(lambda d: len(page.replies()) == 2)
    page.wait_idle()
    reply = page.replies()[-1]
    sources = reply.find_elements(By.CSS_SELECTOR, "details.citations-box")
    assert sources, "the reply shows its sources"
    page.driver.execute_script("arguments[0].open = true", sources[0])
    assert "zephyr" in sources[0].text.lower()
    # Reopening the chat lists what is attached to it.
    page.driver.refresh()
    page.wait(lambda d: any(c["status"] == "ready" for c in chips(page)), timeout=20)
    assert page.errors() == []


def test_a_refused_url_shows_why(page):
    page.open("/")
    page.pick_model(MOCK)
    page.send("A chat for a link")
    page.wait(lambda d: len(page.replies()) == 1)
    page.wait_idle()
    page.find("#attach-url-button").click()
    field = page.find("dialog input[name=url]")
    # The metadata address of cloud machines is never fetched (nor anything private not allow-listed).
    field.send_keys("http://169.254.169.254/latest/meta-data/")
    page.find("dialog .dialog-submit").click()
    page.wait(lambda d: any(c["status"] == "failed" for c in chips(page)), timeout=30)
    failed = next(c for c in chips(page) if c["status"] == "failed")
    assert "169.254.169.254" in failed["text"] or "failed" in failed["text"]
