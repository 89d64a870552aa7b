"""`make bench`: build times, the weight of every page, Lighthouse scores, how fast the quotation
comparer answers a keyboard change, and the time and size of the print and e-reader editions; first,
the time of `make check` and `make test` (skip them with `--no-suite`). Prints a table and writes
``_build/bench.json``. With `--comparer-only`, measures only the comparer page of the existing
``_build/html`` (its weight, a chooser change, and the change of the view to the third view, Buber's
English, the original and the standard English), with no build, and writes
``_build/bench-comparer.json``. With `--pages-only`, measures only the weight and Lighthouse figures
(scores, first contentful paint, total blocking time) of every page of the existing ``_build/html``
and writes ``_build/bench-pages.json``. A page that misses a goal is measured three times, or as
many as `--runs N` says; `--cpu-slowdown N` sets Lighthouse's CPU slowdown (its default is 4). Figures
only: no assertion here, and no timing assertion in the tests.

Page weight is what a browser receives from a static host that gzips: every response a fresh page
load makes, its body gzipped at level 6, summed; pages are served that way on loopback, for
Lighthouse too (mobile preset, simulated throttling, the CPU slowed 4x unless `--cpu-slowdown N` says
otherwise).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.chromium import find as find_chromium  # noqa: E402
from tests.conftest import CHROMIUM_ARGS, built_pages  # noqa: E402

CHROMIUM = find_chromium()

HTML = ROOT / "_build" / "html"
COMPARER_PAGE = "book/quotations.html"
COMPARER_GOALS = {"response_ms": 50, "gzip_kb": 600}
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")


def timed_make(target: str) -> float:
    """Seconds a `make` target takes, installs already done (the venv and npm packages exist)."""
    start = time.perf_counter()
    subprocess.run(["make", "-s", "-C", str(ROOT), target,
                    f"VENV={Path(sys.executable).parent.parent}", f"PYTHON={sys.executable}"], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def timed_build() -> float:
    start = time.perf_counter()
    subprocess.run([JUPYTER_BOOK, "build", str(ROOT), "-W", "-n", "--keep-going", "-q"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static host that gzips every response (level 6) and counts what it sends."""

    log: list[tuple[str, int]] = []

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.log.append((self.path, len(body)))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve() -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def page_weights(base: str, pages: list[str]) -> dict[str, dict]:
    weights = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for page_path in pages:
            context = browser.new_context()  # an empty cache: a first visit
            page = context.new_page()
            GzipHandler.log.clear()
            page.goto(f"{base}/{page_path}", wait_until="networkidle")
            weights[page_path] = {"requests": len(GzipHandler.log), "gzip_bytes": sum(n for _, n in GzipHandler.log)}
            context.close()
        browser.close()
    return weights


def option(name: str, default: str) -> str:
    """The value after ``name`` on the command line, or ``default``."""
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


# Lighthouse's figures vary from run to run (total blocking time by 100 ms on one page): a page that
# misses a goal is measured twice more, and its median run (by performance) is the one reported.
# `--runs 1` measures each page once, for a quick look on a machine with little time to spare.
RUNS_WHEN_MISSED = int(option("--runs", "3"))


def cpu_slowdown() -> float:
    """The factor after ``--cpu-slowdown``, or Lighthouse's default 4; a bad one stops the run, named."""
    given = option("--cpu-slowdown", "4")
    try:
        factor = float(given)
    except ValueError:
        factor = 0.0
    if not 0 < factor < float("inf"):
        sys.exit(f"--cpu-slowdown {given}: give a positive number (Lighthouse's default is 4)")
    return factor


# Lighthouse slows the host's CPU fourfold, a factor its docs (docs/throttling.md, "Calibrating the CPU
# slowdown") size for a high-end desktop (benchmark index 1500-2000) standing in for a mid-tier phone;
# from a low-end desktop (1000-1500) they advise 2x (1-5). `--cpu-slowdown N` sets the factor, so
# that figures from machines of different speed can be compared; the default is Lighthouse's own.
CPU_SLOWDOWN = cpu_slowdown()
PAGE_GOALS = {"performance": 98, "fcp_ms": 1200, "tbt_ms": 50}  # issue 15: Lighthouse mobile, every page
METRICS = {"fcp_ms": "first-contentful-paint", "tbt_ms": "total-blocking-time"}


def lighthouse(base: str, page_path: str) -> dict[str, int] | None:
    """The four category scores and, from the performance audits, first contentful paint and total
    blocking time (simulated mobile, in ms), with the host's benchmark index (Lighthouse's measure of
    the CPU it ran on: its CPU slowdown is applied to what this host observes, so a slower or busier
    host gives longer times for the same page); None without the npm tools."""
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        return None
    out = ROOT / "_build" / "lighthouse.json"
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run([str(binary), f"{base}/{page_path}", f"--chrome-flags={flags}", "--output=json",
                    f"--output-path={out}", f"--throttling.cpuSlowdownMultiplier={CPU_SLOWDOWN:g}", "--quiet"],
                   check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(out.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in
              ("performance", "accessibility", "best-practices", "seo")}
    return (scores | {key: round(report["audits"][audit]["numericValue"]) for key, audit in METRICS.items()}
            | {"host_index": round(report["environment"]["benchmarkIndex"]),
               "cpu_slowdown": report["configSettings"]["throttling"]["cpuSlowdownMultiplier"]})


def bench_pages() -> list[str]:
    """Every built page, and the root ``index.html`` (a redirect stub, which ``built_pages`` leaves
    out, but the first page a reader opens: its accessibility, best practices and SEO count too)."""
    return ["index.html", *built_pages(HTML)]


def misses_a_goal(scores: dict[str, int]) -> bool:
    return (scores["performance"] < PAGE_GOALS["performance"]
            or any(scores[key] > PAGE_GOALS[key] for key in METRICS))


def lighthouse_median(base: str, page_path: str) -> dict[str, int] | None:
    runs = [lighthouse(base, page_path)]
    if runs[0] and misses_a_goal(runs[0]):
        runs += [lighthouse(base, page_path) for _ in range(RUNS_WHEN_MISSED - 1)]
        runs.sort(key=lambda run: run["performance"])
    return runs[len(runs) // 2]


def lighthouse_pages(base: str, pages: list[str], weights: dict[str, dict]) -> dict[str, dict]:
    """Every page's weight and Lighthouse figures, printed as a table, then the worst page of each goal."""
    print(f"Lighthouse mobile, the CPU slowed {CPU_SLOWDOWN:g}x (Lighthouse's default 4x; --cpu-slowdown N to change)")
    print(f"{'page':44} {'requests':>8} {'KB gzip':>8}  perf/a11y/bp/seo   FCP ms  TBT ms  host index")
    results = {}
    for page_path in pages:
        scores = lighthouse_median(base, page_path)
        results[page_path] = {**weights[page_path], "lighthouse": scores}
        shown = (f"{'/'.join(str(scores[k]) for k in ('performance', 'accessibility', 'best-practices', 'seo')):17}"
                 f"{scores['fcp_ms']:>7} {scores['tbt_ms']:>7} {scores['host_index']:>11}") if scores else "(npm ci for lighthouse)"
        print(f"{page_path:44} {weights[page_path]['requests']:>8} {weights[page_path]['gzip_bytes'] / 1000:>8.1f}  {shown}")
    measured = {page: r["lighthouse"] for page, r in results.items() if r["lighthouse"]}
    if measured:
        worst_score = min(measured, key=lambda page: measured[page]["performance"])
        print(f"\nworst performance {measured[worst_score]['performance']} ({worst_score}; goal >= {PAGE_GOALS['performance']})")
        for key in METRICS:
            worst = max(measured, key=lambda page: measured[page][key])
            print(f"worst {key.removesuffix('_ms').upper()} {measured[worst][key]} ms ({worst}; goal <= {PAGE_GOALS[key]} ms)")
        indices = sorted(run["host_index"] for run in measured.values())
        print(f"host benchmark index {statistics.median(indices):.0f} (median; {indices[0]}-{indices[-1]})")
        for category in ("accessibility", "best-practices", "seo"):
            below = sorted(page for page in measured if measured[page][category] < 100)
            print(f"{category} below 100: {', '.join(below) or 'none'}")
    return results


# In the page: time from a key press on a chooser to the new pair shown (the page script's
# "qc-rendered" event, fired once the cards and marks are in the DOM) and to the next painted frame.
COMPARER_TIMER = """() => {
  window.qcTimes = [];
  let pressed = 0;
  document.addEventListener("keydown", () => { pressed = performance.now(); }, true);
  document.querySelector(".quotation-comparer").addEventListener("qc-rendered", () => {
    const shown = performance.now() - pressed;
    requestAnimationFrame(() => setTimeout(() => window.qcTimes.push([shown, performance.now() - pressed]), 0));
  });
}"""


def arrow_key_times(page, selector: str, changes: int) -> list[list[float]]:
    """ArrowDown and ArrowUp in turn on the element ``selector``, ``changes`` times, each waiting for
    the comparer to answer; per key, [ms to the change shown, ms to the next painted frame]."""
    page.evaluate(COMPARER_TIMER)
    page.locator(selector).focus()
    for n in range(1, changes + 1):
        page.keyboard.press("ArrowDown" if n % 2 else "ArrowUp")
        page.wait_for_function(f"() => window.qcTimes.length >= {n}", timeout=5000)
    return page.evaluate("() => window.qcTimes")


def comparer_response(base: str, changes: int = 30) -> dict[str, float]:
    """Median and slowest time (ms) from an arrow key on the first quotation chooser to the new
    text and highlighting, over ``changes`` changes, in Chromium with the page served gzipped."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/{COMPARER_PAGE}", wait_until="networkidle")
        times = arrow_key_times(page, "#qc-a", changes)
        browser.close()
    shown, painted = sorted(t[0] for t in times), sorted(t[1] for t in times)
    return {"changes": changes, "shown_median_ms": round(statistics.median(shown), 1), "shown_max_ms": round(shown[-1], 1),
            "painted_median_ms": round(statistics.median(painted), 1), "painted_max_ms": round(painted[-1], 1)}


def editions() -> dict:
    """`make pdf` (with the book already built, so it prints only) and `make epub`: times and sizes."""
    from pypdf import PdfReader

    times = {f"make_{target}_s": round(timed_make(target), 1) for target in ("pdf", "epub")}
    files = sorted((ROOT / "_build" / "pdf").glob("*.pdf")) + sorted((ROOT / "_build" / "epub").glob("*.epub"))
    sizes = {path.name: path.stat().st_size for path in files}
    course = ROOT / "_build" / "pdf" / "lenin-and-the-renewal-of-society.pdf"
    pages = len(PdfReader(course).pages) if course.is_file() else None
    print(f"\nmake pdf {times['make_pdf_s']:.1f} s; make epub {times['make_epub_s']:.1f} s; the course PDF has {pages} pages")
    for name, size in sizes.items():
        print(f"  {name:45} {size / 1e6:6.2f} MB")
    return {**times, "course_pdf_pages": pages, "bytes": sizes}


THREE_VIEW_QUOTATION = "lenin-1923-only-task"  # an original and a standard English, marks in both


def view_response(base: str, changes: int = 30) -> dict[str, float]:
    """Time (ms) from an arrow key on the view's radio buttons to the view shown: to the third view
    (one quotation, three versions, what differs marked) and back to the pair, alternately; then a
    quotation chooser change inside the third view. Chromium, the page served gzipped."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/{COMPARER_PAGE}?a={THREE_VIEW_QUOTATION}", wait_until="networkidle")
        toggles = arrow_key_times(page, "#qc-view-pair", changes)
        page.locator("#qc-view-three").check()
        within = arrow_key_times(page, "#qc-a", changes)
        browser.close()
    to_three = sorted(t[0] for t in toggles[0::2])
    to_three_painted = sorted(t[1] for t in toggles[0::2])
    to_pair = sorted(t[0] for t in toggles[1::2])
    chooser = sorted(t[0] for t in within)
    return {"changes": changes, "to_three_median_ms": round(statistics.median(to_three), 1), "to_three_max_ms": round(to_three[-1], 1),
            "to_three_painted_median_ms": round(statistics.median(to_three_painted), 1),
            "to_three_painted_max_ms": round(to_three_painted[-1], 1),
            "to_pair_median_ms": round(statistics.median(to_pair), 1), "to_pair_max_ms": round(to_pair[-1], 1),
            "chooser_in_three_median_ms": round(statistics.median(chooser), 1), "chooser_in_three_max_ms": round(chooser[-1], 1)}


def print_view(view: dict) -> None:
    print(f"third view: view change to it {view['to_three_median_ms']} ms (median of {view['changes'] // 2}, slowest "
          f"{view['to_three_max_ms']} ms; to the next painted frame {view['to_three_painted_median_ms']} ms, slowest "
          f"{view['to_three_painted_max_ms']} ms); back to the pair {view['to_pair_median_ms']} ms (slowest "
          f"{view['to_pair_max_ms']} ms); a chooser change in it {view['chooser_in_three_median_ms']} ms (slowest "
          f"{view['chooser_in_three_max_ms']} ms); goal < {COMPARER_GOALS['response_ms']} ms")


def comparer_only() -> None:
    """The comparer page of the existing build: weight, a chooser change, the third view."""
    server, base = serve()
    weight = page_weights(base, [COMPARER_PAGE])[COMPARER_PAGE]
    response, view = comparer_response(base), view_response(base)
    server.shutdown()
    results = {**weight, **response, "view": view, "goals": COMPARER_GOALS}
    print(f"{COMPARER_PAGE}: {weight['requests']} requests, {weight['gzip_bytes'] / 1000:.1f} KB gzipped "
          f"(goal < {COMPARER_GOALS['gzip_kb']} KB)")
    print(f"chooser change to new text and highlighting {response['shown_median_ms']} ms (median of {response['changes']}, "
          f"slowest {response['shown_max_ms']} ms; painted {response['painted_median_ms']} ms, slowest {response['painted_max_ms']} ms)")
    print_view(view)
    (ROOT / "_build" / "bench-comparer.json").write_text(json.dumps(results, indent=1))


def pages_only() -> None:
    """Weight and Lighthouse figures of every page of the existing build, with no build and no suite."""
    server, base = serve()
    pages = bench_pages()
    results = {"pages": lighthouse_pages(base, pages, page_weights(base, pages)), "page_goals": PAGE_GOALS}
    server.shutdown()
    (ROOT / "_build" / "bench-pages.json").write_text(json.dumps(results, indent=1))


def main() -> None:
    if "--comparer-only" in sys.argv:
        comparer_only()
        return
    if "--pages-only" in sys.argv:
        pages_only()
        return
    # The suites first: `make test` builds from clean into _build, which the rest measures again.
    suites = {} if "--no-suite" in sys.argv else {f"make_{t}_s": round(timed_make(t), 1) for t in ("check", "test")}
    if suites:
        print(f"make check {suites['make_check_s']:.1f} s; make test {suites['make_test_s']:.1f} s (installs done)")
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    clean = timed_build()
    rebuild = timed_build()
    server, base = serve()
    pages = bench_pages()
    weights = page_weights(base, pages)
    results = {**suites, "clean_build_s": round(clean, 1), "no_change_rebuild_s": round(rebuild, 1), "pages": {}}
    print(f"clean build {clean:.1f} s; rebuild with nothing changed {rebuild:.1f} s\n")
    results["pages"] = lighthouse_pages(base, pages, weights)
    results["page_goals"] = PAGE_GOALS
    if COMPARER_PAGE in weights:
        response = comparer_response(base)
        view = view_response(base)
        results["comparer"] = {**response, "view": view, "gzip_bytes": weights[COMPARER_PAGE]["gzip_bytes"], "goals": COMPARER_GOALS}
        print(f"\nquotation comparer: keyboard change to new text and highlighting {response['shown_median_ms']} ms "
              f"(median of {response['changes']}, slowest {response['shown_max_ms']} ms; to the next painted frame "
              f"{response['painted_median_ms']} ms, slowest {response['painted_max_ms']} ms; goal < "
              f"{COMPARER_GOALS['response_ms']} ms); page {weights[COMPARER_PAGE]['gzip_bytes'] / 1000:.1f} KB gzipped "
              f"(goal < {COMPARER_GOALS['gzip_kb']} KB)")
        print_view(view)
    server.shutdown()
    results["editions"] = editions()
    (ROOT / "_build" / "bench.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
