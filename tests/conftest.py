"""Shared fixtures: one clean, strict build of the book per test session, served on loopback."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from buber_course.paths import ROOT

sys.path.insert(0, str(Path(__file__).parent))  # the tests' own helpers: chromium.py
import chromium  # noqa: E402

BUILD = ROOT / "_build"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def build_log() -> str:
    """Build the book from a clean state, warnings as errors, and return the build's output.

    The execution cache is removed too, so notebooks always run: a test never passes on stale outputs.
    With several workers (`make test` runs pytest-xdist), the first to come builds and the others
    wait for it and read its log, so there is one build per run.
    Set BOOK_PREBUILT=1 to test an existing ``_build/html`` instead (quick local iteration only).
    """
    if os.environ.get("BOOK_PREBUILT") == "1":
        return ""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    with exclusive(Path(tempfile.gettempdir()) / f"buber-course-build-{hashlib.sha1(bytes(ROOT)).hexdigest()[:12]}.lock"):
        done = BUILD / f"strict-build-{run}.log" if run else None
        if done and done.exists():
            return done.read_text()
        shutil.rmtree(BUILD, ignore_errors=True)
        command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "-W", "-n", "--keep-going"]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        log = result.stdout + result.stderr
        assert result.returncode == 0, f"the strict build failed:\n{log[-6000:]}"
        if done:
            done.write_text(log)
    return log


@contextlib.contextmanager
def exclusive(lock: Path):
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def html_dir(build_log) -> Path:
    return BUILD / "html"


@pytest.fixture(scope="session")
def site(html_dir):
    """The built book served over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    executable = chromium.find()
    if executable is None:
        pytest.fail(chromium.HOW_TO_INSTALL)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    """A fresh page whose requests may only go to the local server; others are aborted and recorded."""
    context = browser.new_context()
    page = context.new_page()
    page.outside_requests = []

    def guard(route):
        if route.request.url.startswith(site) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            page.outside_requests.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


# Tests that need the built book or a browser are marked ``book``; `make check` runs the others.
SLOW_FIXTURES = {"build_log", "html_dir", "site", "browser", "page", "instructor_course"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.book)


def built_pages(html_dir: Path) -> list[str]:
    """Every page the build produces, as paths relative to the HTML root (redirect stubs aside)."""
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        relative = path.relative_to(html_dir).as_posix()
        if relative.startswith(("_static/", "_sources/")) or 'http-equiv="Refresh"' in path.read_text()[:500]:
            continue
        pages.append(relative)
    return pages


def stylesheets(html_dir: Path, page: str) -> list[str]:
    """The stylesheets a page applies on screen: the files its one combined stylesheet holds (the
    first line of ``_static/book-*.css`` names them; buber_course/sphinx_ext/stylesheet.py) and any
    other screen stylesheet it links."""
    from bs4 import BeautifulSoup

    document = BeautifulSoup((html_dir / page).read_text(encoding="utf-8"), "html.parser")
    found = []
    for link in document.select('link[rel~="stylesheet"]'):
        if link.get("media", "all") not in ("all", "screen"):
            continue
        href = link["href"].split("?")[0]
        target = (html_dir / page).parent / href
        if target.name.startswith("book-"):
            from buber_course.sphinx_ext.stylesheet import sources_of

            found += sources_of(target.read_text(encoding="utf-8").split("\n", 1)[0])
        else:
            found.append(href)
    return found
