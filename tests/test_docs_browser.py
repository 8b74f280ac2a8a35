"""The Swagger UI and ReDoc pages of examples/app.py in headless Chromium, with every other host blocked.

The app is served by a real uvicorn process on 127.0.0.1. Chromium resolves no other host name (and the test
reads its network log to check that no request went anywhere else), so the pages must work without internet
access: every script, style and icon comes from the app itself (``pip install "faster-api-web[all]"``, which
brings ``fasterapi-core[docs-offline]`` for Swagger UI and ``fasterapi-redoc-assets`` for ReDoc).

Needs Chromium and its driver (Debian: ``apt-get install -y chromium chromium-driver``) and the ``selenium``
package; the test is skipped, saying so, when any of them is missing. Screenshots are saved in the test's
temporary directory: ``docs.png`` (the operation list), ``docs-executed.png`` (after running an operation from
the page) and ``redoc.png``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from fasterapi_core.openapi._offline import find_redoc_assets, find_swagger_ui_assets
from fasterapi_testing.services import serve_with_uvicorn

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
INSTALL_HINT = (
    "run `python scripts/check.py --install-browser` as root on Debian, "
    "or: apt-get install -y chromium chromium-driver && pip install selenium"
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
)

pytestmark = pytest.mark.slow


def _executable(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found is not None:
            return found
    return None


# Chromium resolves no host name but the app's address: a page that needs anything from elsewhere breaks.
OFFLINE_FLAGS = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--dns-prefetch-disable")
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-error"}
NOTES_OPERATIONS = {
    ("GET", "/notes"),
    ("POST", "/notes"),
    ("GET", "/notes/{note_id}"),
    ("PUT", "/notes/{note_id}"),
    ("DELETE", "/notes/{note_id}"),
    ("GET", "/health"),
    ("GET", "/events"),
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if find_swagger_ui_assets() is None:
        pytest.fail(
            "Swagger UI's files are not installed, and the page cannot reach a CDN here: "
            'pip install "fasterapi-core[docs-offline]"'
        )
    log_file = tmp_path_factory.mktemp("docs-browser") / "uvicorn.log"
    with serve_with_uvicorn("app:app", app_dir=EXAMPLES, log_file=log_file, ready_path="/health") as url:
        yield url


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    chromium = _executable("chromium", "chromium-browser", "google-chrome")
    driver_path = _executable("chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip(f"Chromium or chromedriver is not installed ({INSTALL_HINT})")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip(f"selenium is not installed ({INSTALL_HINT})")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    for flag in OFFLINE_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    # Every request the pages make is read back from this log (Network.requestWillBeSent events).
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    # Both paths are given, so selenium never looks for (or downloads) a driver or a browser of its own.
    service = Service(executable_path=driver_path, log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def requested_urls(browser: Any) -> list[str]:
    """The URLs of every request the browser sent since the last call (from its performance log)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def assert_only_local_requests(urls: list[str], base_url: str) -> None:
    local_host = urlsplit(base_url).netloc
    parts = [urlsplit(url) for url in urls]
    elsewhere = [part.geturl() for part in parts if part.scheme not in LOCAL_SCHEMES and part.netloc != local_host]
    assert elsewhere == [], f"requests to other hosts: {elsewhere}"


def test_swagger_ui_lists_expands_and_runs_operations(browser: Any, base_url: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(base_url + "/docs")
    assert browser.title == "Notes - Swagger UI"

    # The operation list is rendered from /openapi.json by the Swagger UI script the app serves itself.
    wait.until(expected_conditions.presence_of_all_elements_located((By.CSS_SELECTOR, ".opblock")))
    summaries = {
        (
            block.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text,
            block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute("data-path"),
        )
        for block in browser.find_elements(By.CSS_SELECTOR, ".opblock")
    }
    assert summaries >= NOTES_OPERATIONS
    scripts = [element.get_attribute("src") for element in browser.find_elements(By.TAG_NAME, "script")]
    assert base_url + "/docs/assets/swagger-ui-bundle.js" in scripts
    icon = browser.find_element(By.CSS_SELECTOR, 'link[rel="shortcut icon"]').get_attribute("href")
    assert icon == base_url + "/docs/assets/favicon-32x32.png"
    overview = tmp_path / "docs.png"
    assert browser.save_screenshot(str(overview))

    # Expanding an operation shows its parameters.
    read_note = browser.find_element(By.ID, "operations-notes-read_note_notes__note_id__get")
    read_note.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    wait.until(lambda _: "is-open" in (read_note.get_attribute("class") or ""))
    parameters = wait.until(lambda _: read_note.find_elements(By.CSS_SELECTOR, ".parameters .parameter__name"))
    assert "note_id" in {parameter.text.split()[0] for parameter in parameters if parameter.text}

    # "Try it out" then "Execute" sends a real request from the page to the server and shows the answer.
    health = browser.find_element(By.ID, "operations-ops-health_health_get")
    health.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    wait.until(lambda _: health.find_elements(By.CSS_SELECTOR, ".try-out__btn"))[0].click()
    wait.until(lambda _: health.find_elements(By.CSS_SELECTOR, ".btn.execute"))[0].click()
    live = wait.until(lambda _: health.find_elements(By.CSS_SELECTOR, ".live-responses-table tbody .response"))
    assert live[0].find_element(By.CSS_SELECTOR, ".response-col_status").text.strip() == "200"
    body = live[0].find_element(By.CSS_SELECTOR, ".response-col_description pre")
    assert json.loads(body.text) == {"status": "ok"}

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", live[0])
    executed = tmp_path / "docs-executed.png"
    assert browser.save_screenshot(str(executed))
    assert overview.stat().st_size > 10_000
    assert executed.stat().st_size > 10_000

    # Everything the page needed came from the app: its script, style, icon, the document and the API call.
    urls = requested_urls(browser)
    assert {
        base_url + "/docs/assets/swagger-ui-bundle.js",
        base_url + "/docs/assets/swagger-ui.css",
        base_url + "/openapi.json",
        base_url + "/health",
    } <= set(urls)
    assert_only_local_requests(urls, base_url)


def test_redoc_renders_the_operations(browser: Any, base_url: str, tmp_path: Path) -> None:
    if find_redoc_assets() is None:
        pytest.skip(
            "ReDoc's script is not installed, and the page cannot reach a CDN here: "
            'pip install "faster-api-web[all]" (fasterapi-redoc-assets, built from assets/redoc)'
        )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(base_url + "/redoc")
    assert browser.title == "Notes - ReDoc"

    # ReDoc renders one section per operation, with its method and path, from /openapi.json.
    sections = wait.until(lambda _: browser.find_elements(By.CSS_SELECTOR, '[data-section-id^="operation/"]'))
    assert len(sections) >= len(NOTES_OPERATIONS)
    rendered = set()
    for section in browser.find_elements(By.CSS_SELECTOR, '[data-section-id^="operation/"]'):
        method = section.find_element(By.CSS_SELECTOR, ".http-verb").get_attribute("textContent")
        path = section.find_element(By.CSS_SELECTOR, ".http-verb + span").get_attribute("textContent")
        rendered.add((method.strip().upper(), path.strip()))
    assert rendered >= NOTES_OPERATIONS
    headings = {
        (heading.get_attribute("textContent") or "").strip() for heading in browser.find_elements(By.CSS_SELECTOR, "h2")
    }
    assert {"Read Note", "Create Note", "Health"} <= headings

    scripts = [element.get_attribute("src") for element in browser.find_elements(By.TAG_NAME, "script")]
    assert base_url + "/redoc/assets/redoc.standalone.js" in scripts
    icon = browser.find_element(By.CSS_SELECTOR, 'link[rel="shortcut icon"]').get_attribute("href")
    assert icon == base_url + "/redoc/assets/favicon-32x32.png"
    screenshot = tmp_path / "redoc.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000

    urls = requested_urls(browser)
    assert {base_url + "/redoc/assets/redoc.standalone.js", base_url + "/openapi.json"} <= set(urls)
    assert_only_local_requests(urls, base_url)
