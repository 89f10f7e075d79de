"""A real browser (Debian's headless Chromium driven by Selenium through Debian's chromedriver; nothing is
downloaded) walks the served site and the static site: home, Goal 4, the Revised Kyoto Convention with its
evidence highlighted in its paragraph, a catalog query and its rows. Screenshots are kept under tmp_path."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from wcokg.web.export import write_site

from .conftest import OVERVIEW
from .server import free_port, start

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not look for a driver on the network
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1280,1600")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(10)
    yield driver
    driver.quit()


def walk(driver, home: str, shots: Path) -> None:
    """The reader's walk, from ``home``; a screenshot of each page in ``shots``."""
    shots.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        driver.save_screenshot(str(shots / f"{name}.png"))
        print(f"screenshot: {shots / name}.png")

    driver.get(home)
    shot("home")
    driver.find_element(By.CSS_SELECTOR, "ol.goals").find_element(By.PARTIAL_LINK_TEXT, "Trade Facilitation").click()
    assert driver.find_element(By.TAG_NAME, "h1").text.endswith("Trade Facilitation")
    shot("goal-4")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Revised Kyoto Convention").click()
    assert "Revised Kyoto Convention" in driver.find_element(By.TAG_NAME, "h1").text
    marks = driver.find_elements(By.CSS_SELECTOR, "figure.evidence blockquote mark")
    quoted = [m for m in marks if "Revised Kyoto Convention" in m.text]
    assert quoted, [m.text for m in marks]
    paragraph = quoted[0].find_element(By.XPATH, "..").text
    assert len(paragraph) > len(quoted[0].text)  # the quote stands inside its paragraph
    highlight = quoted[0].value_of_css_property("background-color")
    assert highlight not in ("rgba(0, 0, 0, 0)", "transparent"), highlight
    shot("revised-kyoto-convention")
    driver.find_element(By.LINK_TEXT, "SPARQL").click()
    driver.find_element(By.LINK_TEXT, "goals-in-order").click()
    rows = driver.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert len(rows) == 9 and "Trade Facilitation" in rows[3].text
    shot("goals-in-order")


def test_walk_the_served_site(browser, out_dir, tmp_path) -> None:
    server = start("--out", str(out_dir))
    try:
        walk(browser, server.url + "/", tmp_path / "served")
    finally:
        server.stop()


def test_walk_the_static_site(browser, out_dir, tmp_path) -> None:
    site = tmp_path / "site"
    write_site(site, out_dir, source=OVERVIEW)
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(url, timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "http.server did not answer"
                time.sleep(0.05)
        walk(browser, url, tmp_path / "static")
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
