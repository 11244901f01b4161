"""The UI inside another site's iframe (Backstage's Backchat): shown where `ui.frame_ancestors`
allows that site, refused elsewhere."""
import urllib.request

from selenium.webdriver.common.by import By


def inside_frame(page, host):
    page.driver.get(f"{host}/")
    frame = page.wait(lambda d: d.find_elements(By.ID, "parley"))[0]
    page.driver.switch_to.frame(frame)
    try:
        return page.driver.execute_script(
            "return {ready: document.body && document.body.dataset.ready || null, "
            "composer: !!document.getElementById('composer-input'), url: location.href}")
    finally:
        page.driver.switch_to.default_content()


def test_the_ui_loads_in_a_frame_of_an_allowed_origin(page, frame_pages, screenshots):
    page.driver.set_window_size(1280, 900)
    page.wait(lambda d: inside_frame(page, frame_pages.allowed)["ready"] == "true", timeout=20)
    assert inside_frame(page, frame_pages.allowed)["composer"]
    page.screenshot(screenshots, "iframe-allowed")


def test_the_ui_is_refused_in_a_frame_of_another_origin(page, frame_pages, screenshots):
    page.driver.get(f"{frame_pages.refused}/")
    page.wait(lambda d: d.find_elements(By.ID, "parley"))
    page.driver.implicitly_wait(0)
    import time
    time.sleep(1.5)
    state = inside_frame(page, frame_pages.refused)
    assert not state["composer"] and state["ready"] is None
    page.screenshot(screenshots, "iframe-refused")


def test_ui_responses_carry_the_configured_frame_ancestors(base_url, frame_pages):
    with urllib.request.urlopen(f"{base_url}/") as response:
        policy = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {frame_pages.allowed}" in policy
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
