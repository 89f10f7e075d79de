"""A real browser (Debian's headless Chromium driven by Selenium through Debian's chromedriver; nothing is
downloaded) walks the served site and the static site: home, Goal 4, the Revised Kyoto Convention with its
evidence highlighted in its paragraph, a catalog query and its rows. Screenshots are kept under tmp_path."""

from __future__ import annotations

import os
import re
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


CURIE = re.compile(r"^[a-z][\w-]*:\w+$")


@pytest.fixture(scope="module")
def served(out_dir):
    server = start("--out", str(out_dir))
    yield server.url
    server.stop()


def first_screen(driver, url: str) -> None:
    """``url`` in a 1280 × 800 viewport, scrolled to the top."""
    driver.set_window_size(1280, 800)
    driver.get(url)
    driver.execute_script("window.scrollTo(0, 0)")


def on_first_screen(driver, element) -> bool:
    height = driver.execute_script("return window.innerHeight")
    return element.rect["y"] + element.rect["height"] <= height and element.is_displayed()


def paragraphs_once(driver, selector: str = "figure.evidence blockquote") -> None:
    """No paragraph of the source is shown twice (its number, if any, aside)."""
    found = [re.sub(r"^\S*\d+ ", "", " ".join(e.text.split())) for e in driver.find_elements(By.CSS_SELECTOR, selector)]
    quoted = [text for text in found if text]
    assert quoted and len(quoted) == len(set(quoted)), quoted


def test_the_organizations_first_screen_says_what_it_is(browser, served, tmp_path) -> None:
    first_screen(browser, served + "/id/world-customs-organization")
    browser.save_screenshot(str(tmp_path / "organization.png"))
    assert on_first_screen(browser, browser.find_element(By.TAG_NAME, "h1"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "World Customs Organization"
    facts = {dt.text: dt for dt in browser.find_elements(By.CSS_SELECTOR, "dl.facts dt")}
    for name, value in (("also known as", "WCO"), ("founded", "1952")):
        row = facts[name].find_element(By.XPATH, "following-sibling::dd[1]")
        assert row.text.startswith(value) and on_first_screen(browser, row), (name, row.text)
    purpose = browser.find_element(By.XPATH, "//th[normalize-space()='purpose']/following-sibling::td")
    goals = purpose.find_elements(By.CSS_SELECTOR, "li")
    assert len(goals) == 9 and all(on_first_screen(browser, goal) for goal in goals), [g.rect for g in goals]
    assert browser.execute_script("return document.body.scrollHeight") < 5 * 800


@pytest.mark.parametrize("path", ["/id/world-customs-organization", "/id/goal-2", "/id/members"])
def test_properties_are_named_in_words_and_paragraphs_quoted_once(browser, served, path) -> None:
    first_screen(browser, served + path)
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "th.property, dl.facts dt, a.property")]
    assert names and not [name for name in names if CURIE.match(name)], names
    paragraphs_once(browser)


def test_the_source_page_opens_on_its_coloured_text(browser, served, tmp_path) -> None:
    first_screen(browser, served + "/source/wco-overview-2013-06-24")
    browser.save_screenshot(str(tmp_path / "source.png"))
    claimed = browser.find_elements(By.CSS_SELECTOR, ".source a.claimed")
    assert claimed and on_first_screen(browser, claimed[0])
    colour = claimed[0].value_of_css_property("background-color")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), colour
    assert claimed[0].get_attribute("href").startswith(served + "/id/")
    kept = browser.find_element(By.CSS_SELECTOR, ".source .quarantined").text
    assert "[kept out: contact request; phone number; text after the end of the document; web link]" in kept
    paragraphs_once(browser, ".source .line")
