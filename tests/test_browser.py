"""A real browser (Debian's headless Chromium driven by Selenium through Debian's chromedriver; nothing is
downloaded) walks the served site and the static site: home, Goal 4, the Revised Kyoto Convention with its
evidence highlighted in its paragraph, a catalog query and its rows; finds the convention with the search box;
and runs queries in the static site's query page (Oxigraph in the browser), compared with `wcokg query`.
Screenshots are kept under tmp_path."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import rdflib
import requests
from click.testing import CliRunner
from rdflib.namespace import OWL, RDF, RDFS
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from wcokg.cli import cli
from wcokg.web.export import write_site

from .conftest import OVERVIEW
from .server import free_port, start

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
VENDOR = ("yasqe.min.js", "yasqe.min.css", "oxigraph/web.js", "oxigraph/web_bg.wasm")
"""The editor and engine .ci/run copies from npm into the package's static/vendor (git-ignored)."""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def browser():
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not look for a driver on the network
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1280,1600")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # every request the pages make
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(10)
    yield driver
    driver.quit()


def test_the_editor_and_engine_are_bundled() -> None:
    vendor = files("wcokg.web") / "static" / "vendor"
    missing = [name for name in VENDOR if not (vendor / name).is_file()]
    assert not missing, f"static/vendor lacks {missing}: run the npm install and copies of .ci/run"


@pytest.fixture(scope="module")
def static_site(out_dir, tmp_path_factory) -> Iterator[str]:
    """The static site, served by `python -m http.server` (started here, stopped by PID): its URL."""
    site = tmp_path_factory.mktemp("static") / "site"
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
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


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


def test_walk_the_served_site(browser, served, tmp_path) -> None:
    walk(browser, served + "/", tmp_path / "served")
    find_kyoto(browser, served + "/", tmp_path / "served")


def find_kyoto(driver, home: str, shots: Path) -> None:
    """Type "Kyoto" in the header's search box and follow the first suggestion."""
    driver.get(home)
    driver.find_element(By.ID, "search-box").send_keys("Kyoto")
    first = driver.find_element(By.CSS_SELECTOR, "#search-suggestions li a")
    assert first.text == "Revised Kyoto Convention"
    driver.save_screenshot(str(shots / "search-kyoto.png"))
    first.click()
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Revised Kyoto Convention")


def test_walk_the_static_site(browser, static_site, tmp_path) -> None:
    browser.get_log("performance")  # what earlier tests requested
    walk(browser, static_site, tmp_path / "static")
    find_kyoto(browser, static_site, tmp_path / "static")
    browser.get(static_site + "search.html?q=Kyoto")
    listed = browser.find_elements(By.CSS_SELECTOR, "#search-results li a")
    assert listed[0].text == "Revised Kyoto Convention", [a.text for a in listed]
    assert origins(browser) == {static_site.rstrip("/")}


def origins(driver) -> set[str]:
    """The origins of the requests the browser made since its performance log was last read."""
    found = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            parts = urlsplit(message["params"]["request"]["url"])
            found.add(f"{parts.scheme}://{parts.netloc}")
    return found


def wcokg_query(out_dir: Path, query: str) -> list[list[str]]:
    """The rows (header first) `wcokg query` prints as CSV, over the files the static site's page loads."""
    data = ["--data", str(out_dir / "wcokg.nq"), "--data", str(out_dir / "void.ttl")]
    result = CliRunner().invoke(cli, ["query", query, *data, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def run_in_page(driver) -> list[list[str]]:
    """Press Run on the query page and read the table of the answer (header first)."""
    driver.find_element(By.CSS_SELECTOR, "#query-form button[type=submit]").click()
    table = driver.find_element(By.CSS_SELECTOR, "#results table.results")
    head = [th.text.removeprefix("?") for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    rows = [
        [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    return [head, *rows]


def test_the_static_query_page_answers_as_wcokg_query(browser, static_site, out_dir, tmp_path) -> None:
    browser.get(static_site + "sparql.html")
    editor = browser.find_element(By.CSS_SELECTOR, ".CodeMirror")  # YASQE replaced the textarea
    browser.execute_script("arguments[0].CodeMirror.setValue(arguments[1])", editor, COUNT)
    assert run_in_page(browser) == wcokg_query(out_dir, COUNT)
    browser.save_screenshot(str(tmp_path / "static-count.png"))
    assert "query=SELECT" in browser.current_url  # the permalink
    permalink = browser.find_element(By.CSS_SELECTOR, "#permalink a").get_attribute("href")
    browser.get(permalink)  # a fresh page: the engine loads again and answers the query in the address
    rows = browser.find_elements(By.CSS_SELECTOR, "#results table.results tbody td")
    assert [td.text for td in rows] == [wcokg_query(out_dir, COUNT)[1][0]]
    browser.get(static_site + "sparql.html")
    Select(browser.find_element(By.ID, "starter")).select_by_value("goals-in-order")
    assert run_in_page(browser) == wcokg_query(out_dir, "goals-in-order")
    browser.save_screenshot(str(tmp_path / "static-goals-in-order.png"))
    editor = browser.find_element(By.CSS_SELECTOR, ".CodeMirror")
    browser.execute_script("arguments[0].CodeMirror.setValue(arguments[1])", editor, "SELECT * WHERE { ?s ?p }")
    browser.find_element(By.CSS_SELECTOR, "#query-form button[type=submit]").click()
    error = WebDriverWait(browser, 30).until(lambda driver: driver.find_element(By.ID, "query-error").text)
    assert error == "error at 1:25: expected one of LATERAL, SERVICE, [_]"  # columns of the text as typed


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


PICTURE = """
const svg = arguments[0], elements = [...svg.querySelectorAll("text")];
const texts = elements.map(t => t.getBoundingClientRect()), overlaps = [];
texts.forEach((a, i) => texts.slice(i + 1).forEach((b, j) => {
  const wide = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const high = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  if (wide > 1 && high > 1) overlaps.push([elements[i].textContent, elements[i + 1 + j].textContent]);
}));
const outside = [...svg.querySelectorAll(".node")].filter(n => {
  const box = n.querySelector("rect").getBoundingClientRect(), text = n.querySelector("text").getBoundingClientRect();
  return text.left < box.left || text.right > box.right;
}).map(n => n.querySelector("text").textContent);
const area = svg.getBoundingClientRect();
return {nodes: [...svg.querySelectorAll(".node > title")].map(t => t.textContent),
        edges: [...svg.querySelectorAll(".edge > title")].map(t => t.textContent),
        overlaps: overlaps, outside: outside, width: area.width, height: area.height};
"""
"""What a picture of the graph shows, as the browser lays it out: its nodes' and edges' names (their tooltips, in
full), the texts whose boxes overlap, the node texts spilling out of their boxes, and the picture's size."""


def picture(driver, selector: str, shot: Path) -> dict:
    """The picture at ``selector`` (an svg.diagram), legible: drawn, no text over another, each in its box."""
    found = driver.execute_script(PICTURE, driver.find_element(By.CSS_SELECTOR, selector))
    driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.CSS_SELECTOR, selector))
    driver.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
    assert found["width"] > 600 and found["height"] > 100, found
    assert found["overlaps"] == [] and found["outside"] == [], found
    return found


@pytest.fixture(params=["served", "static_site"])
def site(request) -> tuple[str, str]:
    """The served site or the static one: its root URL and the suffix of its pages' files."""
    if request.param == "served":
        return request.getfixturevalue("served") + "/", ""
    return request.getfixturevalue("static_site"), ".html"


def test_pictures_of_the_graph(browser, site, tmp_path) -> None:
    root, suffix = site
    browser.set_window_size(1280, 800)
    browser.get_log("performance")  # what earlier tests requested
    browser.get(root + "id/world-customs-organization" + suffix)
    name = browser.find_element(By.TAG_NAME, "h1").text

    def listed(prop: str) -> list[str]:
        cell = browser.find_element(By.XPATH, f"//th[normalize-space()='{prop}']/following-sibling::td")
        return [a.text for a in cell.find_elements(By.CSS_SELECTOR, "li > a:not(.ref)")]

    goals, units = listed("purpose"), listed("has unit")
    assert len(goals) == 9 and len(units) == 3
    browser.find_element(By.CSS_SELECTOR, "details.picture > summary").click()
    shown = picture(browser, "details.picture svg.diagram", tmp_path / "organization-picture.png")
    wanted = [f"{name} — purpose → {goal}" for goal in goals] + [f"{name} — has unit → {unit}" for unit in units]
    wanted += [f"{unit} — unit of → {name}" for unit in units]
    assert not set(wanted) - set(shown["edges"]), shown["edges"]
    assert not {name, *goals, *units} - set(shown["nodes"])

    browser.get(root)
    goals = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "ol.goals a")]
    shown = picture(browser, "figure.diagram svg.diagram", tmp_path / "home-picture.png")
    assert not {f"{name} — purpose → {goal}" for goal in goals} - set(shown["edges"]), shown["edges"]
    named = [e.split(" — ")[0] for e in shown["edges"] if " — names instrument → " in e or " — names partner → " in e]
    assert named and set(named) <= set(goals), named
    assert f"{name} — has members → Members" in shown["edges"]

    browser.get(root + "ontology" + suffix)
    shown = picture(browser, "section.picture svg.diagram", tmp_path / "ontology-picture.png")
    ontology = rdflib.Graph().parse(files("wcokg").joinpath("ontology", "wcokg.ttl"))

    def label(iri) -> str:
        return str(ontology.value(iri, RDFS.label))

    wanted = [
        f"{label(domain)} — {label(p)} → {label(range_)}"
        for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
        for domain in ontology.objects(p, RDFS.domain)
        for range_ in ontology.objects(p, RDFS.range)
        if ontology.value(domain, RDFS.label) and ontology.value(range_, RDFS.label)
    ]
    wanted += [
        f"{label(c)} — sub-class of → {label(parent)}"
        for c, parent in ontology.subject_objects(RDFS.subClassOf)
        if ontology.value(c, RDFS.label) and ontology.value(parent, RDFS.label)
    ]
    assert len(wanted) >= 10 and not set(wanted) - set(shown["edges"]), set(wanted) - set(shown["edges"])
    assert origins(browser) == {root.rstrip("/")}
