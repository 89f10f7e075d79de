"""`wcokg site`: the static site, walked by a link checker; its documents, sitemap and .htaccess."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import Graph, Literal, URIRef

from wcokg.cli import cli

from .conftest import OVERVIEW

BASE = "https://w3id.org/wcokg/"
SITE_URL = "https://wcokg.github.io/wcokg/"  # the default --site-url
SKOS = "http://www.w3.org/2004/02/skos/core#"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.links += [value for name, value in attrs if name in ("href", "src", "action") and value]


@pytest.fixture(scope="module")
def site(out_dir, tmp_path_factory) -> Path:
    from click.testing import CliRunner

    target = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(cli, ["site", str(target), "--out", str(out_dir), "--source", str(OVERVIEW)])
    assert result.exit_code == 0, result.output
    return target


def test_no_broken_link(site) -> None:
    root = site
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 100
    broken = []
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            assert not link.startswith("/"), f"{page.relative_to(root)}: absolute link {link}"
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append((str(page.relative_to(root)), link))
    assert not broken, broken[:10]


def test_every_document_in_every_type(site, out_dir) -> None:
    root = site
    label = (URIRef(BASE + "id/goal-4"), URIRef(SKOS + "prefLabel"), Literal("Trade Facilitation", lang="en"))
    for extension, fmt in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
        assert label in Graph().parse(root / f"id/goal-4.{extension}", format=fmt)
    for stem in ("index", "ontology", "shapes", "graph/data", "graph/links", "source/wco-overview-2013-06-24"):
        assert (root / f"{stem}.html").is_file(), stem
    assert (root / "dataset/wcokg.nq").read_bytes() == (out_dir / "wcokg.nq").read_bytes()


def test_catalog_questions_have_their_answer_pages(site) -> None:
    root = site
    page = (root / "sparql/goals-in-order.html").read_text(encoding="utf-8")
    assert "9 rows" in page and "Good Governance and Use of Resources" in page


def test_sitemap_lists_every_page_where_the_site_is_hosted(site) -> None:
    root = site
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in ET.parse(root / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    assert SITE_URL in urls and SITE_URL + "id/goal-4.html" in urls
    assert len(urls) == len(list(root.rglob("*.html")))
    assert all(url.startswith(SITE_URL) for url in urls)


def test_sitemap_and_canonical_links_use_the_site_url(out_dir, tmp_path, runner) -> None:
    target = tmp_path / "site"
    arguments = ["site", str(target), "--out", str(out_dir), "--source", str(OVERVIEW)]
    result = runner.invoke(cli, [*arguments, "--site-url", "https://example.org/kg/"])
    assert result.exit_code == 0, result.output
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in ET.parse(target / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    assert "https://example.org/kg/" in urls and "https://example.org/kg/id/goal-4.html" in urls
    assert all(url.startswith("https://example.org/kg/") for url in urls)
    page = (target / "id/goal-4.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/kg/id/goal-4.html">' in page


def test_static_pages_claim_nothing_a_static_host_cannot_do(site) -> None:
    for page in ("index.html", "sparql.html", "sparql/goals-in-order.html", "search.html"):
        text = (site / page).read_text(encoding="utf-8")
        for claim in ("can be looked up here", "ask for <code>text/turtle", "endpoint at", "none:"):
            assert claim not in text, (page, claim)
    query_page = (site / "sparql.html").read_text(encoding="utf-8")
    assert "This copy of the site is static and has no endpoint." in query_page
    assert '<a href="dataset/void.ttl">void.ttl</a>' in query_page
    assert (site / "dataset/void.ttl").is_file()


def test_search_index_and_page(site) -> None:
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    kyoto = next(e for e in index if e["label"] == "Revised Kyoto Convention")
    assert kyoto["href"] == "id/revised-kyoto-convention.html" and (site / kyoto["href"]).is_file()
    page = (site / "search.html").read_text(encoding="utf-8")
    assert "Without it, here is every resource by name." in " ".join(page.split())
    assert page.count("<li><a href=") == len(index)


def test_htaccess_redirects_and_negotiates(site) -> None:
    root = site
    rules = (root / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteEngine on" in rules
    for accept, extension in (
        ("text/turtle", "ttl"),
        ("application/ld\\+json", "jsonld"),
        ("application/rdf\\+xml", "rdf"),
    ):
        rule = f"RewriteRule ^(.*)$ https://wcokg.github.io/wcokg/$1.{extension} [R=303,L]"
        assert f"RewriteCond %{{HTTP_ACCEPT}} {accept}\n{rule}" in rules
    assert "RewriteRule ^(.+)$ https://wcokg.github.io/wcokg/$1.html [R=303,L]" in rules


def test_a_second_site_from_another_process_is_byte_identical(site, out_dir, tmp_path) -> None:
    # Another process: other hash seeds (set order) and other blank-node names from the parser.
    again = tmp_path / "again"
    command = [sys.executable, "-m", "wcokg", "site", str(again), "--out", str(out_dir), "--source", str(OVERVIEW)]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "random"})
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert [str(f) for f in files if (site / f).read_bytes() != (again / f).read_bytes()] == []
    # the shapes' blank nodes, numbered in order of appearance
    assert re.search(r"_:b1\b", (again / "shapes.nt").read_text())


def test_a_directory_that_is_not_a_site_is_not_replaced(out_dir, tmp_path, runner) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    result = runner.invoke(cli, ["site", str(tmp_path), "--out", str(out_dir), "--source", str(OVERVIEW)])
    assert result.exit_code == 2 and "not a site" in result.stderr
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_a_site_made_again_keeps_the_files_that_did_not_change(site, out_dir, tmp_path, runner) -> None:
    target = tmp_path / "site"
    shutil.copytree(site, target)
    (target / "id/goal-4.ttl").write_text("changed by hand")
    unchanged = (target / "index.html").stat().st_ino
    result = runner.invoke(cli, ["site", str(target), "--out", str(out_dir), "--source", str(OVERVIEW)])
    assert result.exit_code == 0, result.output
    assert (target / "index.html").stat().st_ino == unchanged  # the same file, not written again
    assert (target / "id/goal-4.ttl").read_bytes() == (site / "id/goal-4.ttl").read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_page_that_cannot_be_written_stops_the_site_in_one_line(out_dir, tmp_path, runner) -> None:
    # A resource whose name is too long for a file: whichever of the processes writing the site meets it.
    published = tmp_path / "output"
    shutil.copytree(out_dir, published)
    slug = "x" * 300
    with open(published / "wcokg.nq", "a", encoding="utf-8") as quads:
        quads.write(f'<{BASE}id/{slug}> <http://www.w3.org/2000/01/rdf-schema#label> "Long" <{BASE}graph/data> .\n')
    manifest = json.loads((published / "manifest.json").read_text())
    data = (published / "wcokg.nq").read_bytes()
    manifest["files"]["wcokg.nq"] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (published / "manifest.json").write_text(json.dumps(manifest))
    arguments = ["site", str(tmp_path / "site"), "--out", str(published), "--source", str(OVERVIEW)]
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 2
    page = tmp_path / ".site.next" / "id" / f"{slug}.html"
    assert result.stderr == f"wcokg: error: {page}: File name too long; nothing was published\n"
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def _usage(page: str, anchor: str) -> str | None:
    """The text of the usage paragraph and examples of the ontology page's section ``anchor``."""
    section = page[page.index(f'<section class="resource" id="{anchor}">') :]
    section = section[: section.index("</section>")]
    found = re.search(r'<p class="usage">.*?</ul>', section, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else None


def test_ontology_page_counts_each_terms_use_with_examples(site) -> None:
    page = (site / "ontology.html").read_text()
    # The source names nine goals ("Goal 1" … "Goal 9", lines 14-31) and states two missions (lines 6 and 11).
    goals = _usage(page, "StrategicGoal")
    assert goals.startswith("In the published data, 9 resources are of this class; for example:")
    assert "International Co-operation and Information Sharing" in goals  # Goal 1's title, line 15
    missions = _usage(page, "mission")
    assert missions.startswith("In the published data, 2 statements use this property")
    first = "World Customs Organization → to enhance the effectiveness and efficiency of Customs administrations"
    assert first in missions
    assert "→ 1 xsd:integer" in _usage(page, "goalNumber")
    # No editor has edited this build: the class of edits is defined, and used by nothing.
    assert _usage(page, "Edit") is None
