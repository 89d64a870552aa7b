"""The comparer live, in a real JupyterLab started from the pinned environment on 127.0.0.1: the
notebook runs, and a chooser change runs the Python callback that shows the new pair."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import pytest

from buber_course import comparer as C
from buber_course import quotations as Q
from buber_course.paths import ROOT

NOTEBOOK = ROOT / "book" / "quotations.md"
STARTUP_S = 60
LIVE = ".jp-OutputArea-output .quotation-comparer-live"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {STARTUP_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a folder that holds the comparer notebook as .ipynb; stopped afterwards."""
    folder = tmp_path_factory.mktemp("lab")
    jupytext.write(jupytext.read(NOTEBOOK), folder / "quotations.ipynb")
    port, log = free_port(), folder / "server.log"
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", f"--ServerApp.root_dir={folder}",
               f"--LabApp.workspaces_dir={folder / 'workspaces'}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(folder / "runtime")}
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # its own group: the kernel stops with it
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


@pytest.fixture
def lab_page(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(lab) else route.abort())
    yield page
    context.close()


def shown_id(page, side: str) -> str:
    return page.locator(f"{LIVE} #qc-card-{side} article").get_attribute("data-id")


def test_the_comparer_notebook_runs_and_a_chooser_change_calls_python(lab_page, lab):
    page = lab_page
    page.goto(f"{lab}/lab/tree/quotations.ipynb")
    page.locator(".jp-NotebookPanel").wait_for()
    page.locator("#jp-main-statusbar").get_by_text("Python 3 (ipykernel) | Idle").wait_for()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    page.locator(LIVE).wait_for()
    # the last cell ran (its output may lie outside the window, so attached, not visible)
    page.locator(".jp-OutputArea-output caption", has_text="How far the quotations were traced").wait_for(state="attached")
    assert page.locator("[data-mime-type='application/vnd.jupyter.error']").count() == 0
    assert (shown_id(page, "a"), shown_id(page, "b")) == C.DEFAULT_PAIR

    # The second side's quotation chooser: its options and the new pair come from the kernel.
    new = Q.quotation("stalin-1930-for-the-present")
    chooser = page.locator(f"{LIVE} .qc-side-b select").last
    chooser.select_option(label=C.option_label(new))
    page.wait_for_function(
        "id => document.querySelector('.quotation-comparer-live #qc-card-b article')?.dataset.id === id",
        arg=new.id, timeout=30_000)
    card = page.locator(f"{LIVE} #qc-card-b article")
    assert card.locator("blockquote").text_content() == new.text
    assert card.locator("h3").text_content() == "Stalin, 1930"  # (innerText is empty while the cell is out of view)
    first = Q.quotation(C.DEFAULT_PAIR[0])
    assert page.locator(f"{LIVE} #qc-shared").text_content() == Q.shared_summary(first.text, new.text)

    # A filter: the kernel narrows the first side's chooser to Engels and shows his first quotation.
    page.locator(f"{LIVE} .qc-side-a select").first.select_option(label="Engels")
    engels = next(q for q in Q.quotations().values() if q.speaker == "Engels")
    page.wait_for_function(
        "id => document.querySelector('.quotation-comparer-live #qc-card-a article')?.dataset.id === id",
        arg=engels.id, timeout=30_000)
    offered = [o.replace("\xa0", " ") for o in page.locator(f"{LIVE} .qc-side-a select").last.locator("option").all_text_contents()]
    assert offered == [C.option_label(q) for q in Q.quotations().values() if q.speaker == "Engels"]

    # The keyboard, as the page tells readers: ArrowDown on a focused chooser changes the quotation
    # (the kernel's callback shows the next one) and does not move JupyterLab to another cell.
    chooser = page.locator(f"{LIVE} .qc-side-a select").last
    offered_ids = [q.id for q in Q.quotations().values() if q.speaker == "Engels"]
    chooser.focus()  # focus in an output makes its cell the active one
    active = page.evaluate("() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].findIndex(c => c.classList.contains('jp-mod-active'))")
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "id => document.querySelector('.quotation-comparer-live #qc-card-a article')?.dataset.id === id",
        arg=offered_ids[1], timeout=30_000)
    assert page.evaluate("() => document.activeElement.tagName") == "SELECT"
    assert page.evaluate("() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].findIndex(c => c.classList.contains('jp-mod-active'))") == active
