"""Auth mode `local`: the sign-in page, a signed-in session (CSRF token on every change), API keys, sign-out."""
import os

import pytest
from processes import Server, free_port, wait_for
from selenium.webdriver.common.by import By

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def local_url(request, work_dir, parley):
    if parley["frames"] is None:
        pytest.skip("needs a Parley started by the tests")
    mock_port, port = free_port(), free_port()
    mock = Server([request.config.getoption("--mock-bin"), "--port", str(mock_port)], work_dir / "mock-local.log")
    wait_for(f"http://127.0.0.1:{mock_port}/api/version", mock.process, mock.log_path)
    data = work_dir / "data-local"
    data.mkdir(exist_ok=True)
    config = work_dir / "parley-local.yaml"
    config.write_text(f"""
auth:
  mode: local
  bcrypt_cost: 4
default_model: mock/mock-gpt
providers:
  - name: mock
    kind: openai-compatible
    base_url: http://127.0.0.1:{mock_port}/v1
""")
    env = dict(os.environ, PARLEY_ADMIN_USERNAME="boss", PARLEY_ADMIN_PASSWORD=PASSWORD)
    server = Server([request.config.getoption("--parley-bin"), "serve", "--port", str(port), "--data", str(data),
                     "--config", str(config)], work_dir / "parley-local.log", env=env)
    wait_for(f"http://127.0.0.1:{port}/healthz", server.process, server.log_path)
    yield f"http://127.0.0.1:{port}"
    server.stop()
    mock.stop()


def sign_in(page, password):
    page.find("#login-username").clear()
    page.find("#login-username").send_keys("boss")
    page.find("#login-password").clear()
    page.find("#login-password").send_keys(password)
    page.find("#login-submit").click()


def test_sign_in_chat_keys_and_sign_out(page, local_url, screenshots):
    page.base_url = local_url
    page.driver.delete_all_cookies()
    page.driver.get(f"{local_url}/")
    page.wait(lambda d: page.find("#login-view").is_displayed())
    page.screenshot(screenshots, "login")
    sign_in(page, "wrong password")
    page.wait(lambda d: "Wrong username or password" in page.find("#login-error").text)
    sign_in(page, PASSWORD)
    page.wait(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    assert not page.find("#login-view").is_displayed()
    assert page.find("#whoami").text == "Administrator"
    assert page.find("#nav-admin").is_displayed()

    # Changes carry the session's CSRF token: a message is sent and answered.
    page.send("Hello while signed in")
    page.wait(lambda d: len(page.messages("assistant")) == 1)
    page.wait_idle()
    assert "You said: Hello while signed in" in page.messages("assistant")[0]["body"]

    page.open("/account")
    page.wait(lambda d: page.find_all("#account-view table"))
    page.find("#new-key").click()
    page.find("dialog.modal input[type=text]").send_keys("laptop")
    page.find("dialog.modal .dialog-submit").click()
    secret = page.wait(lambda d: page.find_all("dialog.modal input.secret"))[0].get_attribute("value")
    assert secret.startswith("pk_")
    page.find("dialog.modal .dialog-cancel").click()
    page.wait(lambda d: any("laptop" in row.text for row in page.find_all("#account-view tbody tr")))

    page.find("#logout").click()
    page.wait(lambda d: page.find_all("#login-view") and page.find("#login-view").is_displayed())
    assert page.driver.current_url.endswith("/login")
