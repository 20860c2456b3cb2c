"""The built site in a real browser: every page of the table of contents opens in headless
Chromium without JavaScript errors, its images load, its internal links resolve, and its
math is typeset. Screenshots of every page go to test-artifacts/screenshots/.

Run with `make test-browser` (builds the book, installs Debian's chromium if missing).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("RNN_COURSE_SITE", REPO / "_build" / "html"))
SHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def toc_pages() -> list[str]:
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc["parts"]:
        for ch in part["chapters"]:
            pages.append(ch["file"])
            pages += [s["file"] for s in ch.get("sections", [])]
    return pages


PAGES = toc_pages()


@pytest.fixture(scope="session")
def server():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make book` first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: `make test-browser` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def test_toc_pages_exist_on_disk():
    missing = [p for p in PAGES if not (SITE / f"{p}.html").is_file()]
    assert not missing, f"pages in _toc.yml missing from the site: {missing}"


@pytest.mark.parametrize("page_path", PAGES)
def test_page_in_browser(server, browser, page_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, failed = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("requestfailed", lambda req: failed.append(req.url) if req.url.startswith(server) else None)
    url = urljoin(server, f"{page_path}.html")
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    # wait for MathJax to finish typesetting, when the page has math
    has_math = page.evaluate("document.querySelectorAll('.math').length") > 0
    if has_math:
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20_000)
        page.evaluate("MathJax.startup.promise")
        raw = page.evaluate(
            "[...document.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container'))"
            ".map(e => e.textContent.slice(0, 60))"
        )
        assert not raw, f"{page_path}: {len(raw)} formulas not typeset, e.g. {raw[:3]}"
    broken_images = page.evaluate(
        "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'))"
    )
    assert not broken_images, f"{page_path}: images that did not load: {broken_images}"
    no_alt = page.evaluate("[...document.querySelectorAll('main img')].filter(i => !i.alt).map(i => i.src)")
    if page_path.startswith("book/chapters/0") and not page_path.endswith("07_comparison"):
        assert not no_alt, f"{page_path}: figures without alt text: {no_alt[:3]}"
    links = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    for link in links:
        parsed = urlparse(link)
        if not link.startswith(server) or parsed.path.endswith("/"):
            continue
        target = SITE / unquote(parsed.path.lstrip("/"))
        assert target.exists(), f"{page_path}: broken internal link {link}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (page_path.replace("/", "__") + ".png")), full_page=False)
    page.close()
    assert not failed, f"{page_path}: requests that failed: {failed}"
    assert not errors, f"{page_path}: JavaScript errors: {errors}"


def test_solutions_are_not_published():
    assert not list(SITE.rglob("*solution*")), "files from solutions/ reached the site"
    for html in SITE.rglob("*.html"):
        assert "BEGIN SOLUTION" not in html.read_text(errors="ignore"), f"{html} shows a solution region"
