"""The comparer in the built book, as a reader meets it: headless Chromium, offline, keyboard only."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from buber_course import comparer as C
from buber_course import quotations as Q

QUOTATIONS = Q.quotations()
COUNT_RENDERS = """() => { window.renders = 0;
  document.querySelector('.quotation-comparer').addEventListener('qc-rendered', () => { window.renders += 1; }); }"""


def card(page, side: str) -> dict:
    """What a side shows: its quotation id, label, text, page link, marked words."""
    slot = page.locator(f"#qc-card-{side} article")
    return {
        "id": slot.get_attribute("data-id"),
        "label": slot.locator("h3").inner_text(),
        "text": slot.locator("blockquote").text_content(),
        "page": slot.locator("dd a").first.get_attribute("href"),
        "marked": slot.locator("mark").all_text_contents(),
    }


def expected(first: str, second: str) -> tuple[dict, dict, str]:
    a, b = QUOTATIONS[first], QUOTATIONS[second]
    shared = Q.shared_words(a.text, b.text)
    marked = lambda q: [t.word for t in Q.tokens(q.text) if t.norm in shared]
    view = lambda q: {"id": q.id, "label": q.label, "text": q.text, "page": f"reading.html#page-{q.page}", "marked": marked(q)}
    return view(a), view(b), Q.shared_summary(a.text, b.text)


def open_comparer(page, site, query: str = ""):
    page.goto(f"{site}/book/quotations.html{query}", wait_until="networkidle")
    page.locator("#qc-a").wait_for()
    assert page.outside_requests == [] and page.console_errors == []


def press_keys(page, selector: str, key: str = "ArrowDown", times: int = 1) -> None:
    """Focus a chooser (as Tab would) and press a key; wait until the page script has shown the result."""
    page.evaluate(COUNT_RENDERS)
    page.locator(selector).focus()
    for _ in range(times):
        page.keyboard.press(key)
    page.wait_for_function(f"() => window.renders >= {times}", timeout=5000)


def test_the_static_comparer_shows_the_pair_python_renders(page, site):
    open_comparer(page, site)
    a, b, summary = expected(*C.DEFAULT_PAIR)
    assert card(page, "a") == a and card(page, "b") == b
    assert page.locator("#qc-shared").inner_text() == summary


def test_a_keyboard_change_of_a_chooser_shows_the_next_quotation_and_its_shared_words(page, site):
    open_comparer(page, site)
    ids = list(QUOTATIONS)
    following = ids[ids.index(C.DEFAULT_PAIR[0]) + 1]
    press_keys(page, "#qc-a")
    assert page.locator("#qc-a").input_value() == following
    a, b, summary = expected(following, C.DEFAULT_PAIR[1])
    assert card(page, "a") == a and card(page, "b") == b
    assert page.locator("#qc-shared").inner_text() == summary
    page.wait_for_url(f"**/quotations.html?a={following}&b={C.DEFAULT_PAIR[1]}*", timeout=5000)  # a shareable address


def test_the_other_cards_load_when_first_needed_and_a_failed_load_says_so(page, site):
    """The page carries its first pair; the other cards come with quotation-cards.js on the first change.
    When that script cannot be had, the sentence screen readers hear says so, and the next change tries again."""
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "quotation-cards.js" in request.url else None)
    page.route("**/quotation-cards.js*", lambda route: route.abort())
    page.goto(f"{site}/book/quotations.html", wait_until="networkidle")
    assert fetched == [], "the cards were loaded before they were needed"
    page.locator("#qc-a").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.querySelector('#qc-shared').textContent.includes('could not be loaded')", timeout=5000)
    assert card(page, "a")["id"] == C.DEFAULT_PAIR[0]  # the pair shown stays as it was
    page.unroute("**/quotation-cards.js*")
    ids = list(QUOTATIONS)
    press_keys(page, "#qc-a")
    second = ids[ids.index(C.DEFAULT_PAIR[0]) + 2]
    a, b, summary = expected(second, C.DEFAULT_PAIR[1])
    assert card(page, "a") == a and page.locator("#qc-shared").inner_text() == summary


def test_while_the_other_cards_are_on_their_way_the_page_says_so(page, site):
    """On a slow connection the first change waits for quotation-cards.js: the live sentence says the
    quotations are loading and the pair is marked busy, until the cards have come and are shown."""
    held = []
    page.route("**/quotation-cards.js*", lambda route: held.append(route))  # held, as a slow network would, until let through
    page.goto(f"{site}/book/quotations.html", wait_until="domcontentloaded")
    page.locator("#qc-a").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"() => document.querySelector('#qc-shared').textContent === {json.dumps(C.LOADING)}", timeout=5000)
    assert page.locator(".qc-pair").get_attribute("aria-busy") == "true" and len(held) == 1
    assert card(page, "a")["id"] == C.DEFAULT_PAIR[0]
    held[0].continue_()
    ids = list(QUOTATIONS)
    following = ids[ids.index(C.DEFAULT_PAIR[0]) + 1]
    page.wait_for_function(f"() => document.querySelector('#qc-card-a article').dataset.id === '{following}'", timeout=5000)
    a, b, summary = expected(following, C.DEFAULT_PAIR[1])
    assert card(page, "a") == a and page.locator("#qc-shared").inner_text() == summary
    assert page.locator(".qc-pair").get_attribute("aria-busy") is None


def test_cards_that_fail_after_a_wait_end_the_loading_sentence_and_the_busy_mark(page, site):
    held = []
    page.route("**/quotation-cards.js*", lambda route: held.append(route))
    page.goto(f"{site}/book/quotations.html", wait_until="domcontentloaded")
    page.locator("#qc-a").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.querySelector('.qc-pair').getAttribute('aria-busy') === 'true'", timeout=5000)
    held[0].abort()
    page.wait_for_function("() => document.querySelector('#qc-shared').textContent.includes('could not be loaded')", timeout=5000)
    assert page.locator(".qc-pair").get_attribute("aria-busy") is None
    assert card(page, "a")["id"] == C.DEFAULT_PAIR[0]  # the pair shown stays as it was


def test_an_address_naming_a_pair_loads_the_cards_at_once(page, site):
    first, second = list(QUOTATIONS)[:2]
    open_comparer(page, site, f"?a={first}&b={second}")
    page.wait_for_function("() => window.quotationCards !== undefined", timeout=5000)
    a, b, _ = expected(first, second)
    assert card(page, "a") == a and card(page, "b") == b


def test_keyboard_filters_narrow_the_chooser(page, site):
    open_comparer(page, site)
    speakers = [label for label, _ in C.filter_options("speaker")]
    steps = speakers.index("Engels")
    page.locator('.qc-side[data-side="b"] details.qc-filters summary').focus()
    page.keyboard.press("Enter")  # the filters fold out
    press_keys(page, "#qc-b-speaker", times=steps)
    assert page.locator("#qc-b-speaker").input_value() == "Engels"
    offered = page.locator("#qc-b option").evaluate_all("options => options.map(o => o.value)")
    assert offered == [q.id for q in QUOTATIONS.values() if q.speaker == "Engels"]
    a, b, summary = expected(C.DEFAULT_PAIR[0], offered[0])
    assert card(page, "b") == b and page.locator("#qc-shared").inner_text() == summary


def test_a_comparison_set_chosen_by_keyboard_opens_its_pair(page, site):
    open_comparer(page, site)
    sets = list(Q.comparison_sets().values())
    press_keys(page, "#qc-set")  # the first set
    first_set = sets[0]
    assert page.locator("#qc-set-reason").inner_text() == first_set.reason
    a, b, summary = expected(*first_set.ids[:2])
    assert card(page, "a") == a and card(page, "b") == b and page.locator("#qc-shared").inner_text() == summary
    assert page.locator("#qc-a option").evaluate_all("os => os.map(o => o.value)") == list(first_set.ids)


def test_a_quotation_on_the_reading_page_links_to_the_comparer(page, site):
    page.goto(f"{site}/book/reading.html#q-stalin-1933-weapon", wait_until="networkidle")
    quotation = page.locator("#q-stalin-1933-weapon")
    assert quotation.inner_text() == "From the standpoint of Leninism,"  # the first part carries the id
    link = page.locator("a.quotation-compare[href*='a=stalin-1933-weapon']")
    assert link.get_attribute("aria-label") == "Compare this quotation (Stalin, 1933)"
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/quotations.html?a=stalin-1933-weapon*")
    page.locator("#qc-card-a article[data-id='stalin-1933-weapon']").wait_for()
    assert page.outside_requests == []


def test_every_quotation_is_marked_once_on_the_reading_page(html_dir):
    reading = BeautifulSoup((html_dir / "book" / "reading.html").read_text(encoding="utf-8"), "html.parser")
    assert sorted(s["id"] for s in reading.select("span.quotation[id]")) == sorted(q.anchor for q in QUOTATIONS.values())
    for q in QUOTATIONS.values():
        parts = [s.get_text() for s in reading.select(f"span.quotation[data-quotation='{q.id}']")]
        cleaned = []
        for part in reading.select(f"span.quotation[data-quotation='{q.id}']"):
            for mark in part.select(".page-marker, .correction-scan"):
                mark.decompose()
            cleaned.append(part.get_text())
        assert cleaned == list(q.parts), q.id
        assert len(parts) == len(q.parts)
    assert len(reading.select("a.quotation-compare")) == len(QUOTATIONS)
    ids = [tag["id"] for tag in reading.find_all(id=True)]
    assert len(ids) == len(set(ids)), "an id is used twice on the reading page"


def test_the_comparer_script_loads_only_on_the_comparer_page(html_dir):
    from .conftest import built_pages, stylesheets

    for path in built_pages(html_dir):
        html = (html_dir / path).read_text(encoding="utf-8")
        assert ("quotation-comparer.js" in html) == (path == "book/quotations.html"), path
        loaded = " ".join(stylesheets(html_dir, path))
        assert ("quotations.css" in loaded) == (path in ("book/quotations.html", "book/reading.html")), path
        assert "widget-state+json" not in html and "embed-amd" not in html, path


# --- the third view: one quotation in Buber's English, the original and the standard English -------

SHOTS = Path(__file__).resolve().parent.parent / "_build" / "screenshots"
WITH_BOTH = "lenin-1923-only-task"  # an original and a standard English, and marks in both Englishes
READ_THREE = """() => {
  const view = document.querySelector('#qc-three article.qc-three');
  const marks = (col, tag) => [...view.querySelectorAll(`.qc-col-${col} ${tag}.qc-diff`)].map((m) => {
    const copy = m.cloneNode(true); copy.querySelectorAll('.qc-sr').forEach((l) => l.remove()); return copy.textContent; });
  const cols = [...view.querySelectorAll('.qc-three-cols > .qc-col')];
  return {id: view.dataset.id, columns: cols.map((c) => c.classList[1]),
          boxes: cols.map((c) => { const r = c.getBoundingClientRect(); return [Math.round(r.x), Math.round(r.y), Math.round(r.width)]; }),
          lang: view.querySelector('.qc-col-original blockquote')?.lang ?? null,
          original: view.querySelector('.qc-col-original blockquote')?.textContent ?? null,
          buber: marks('buber', 'ins'), standard: marks('standard', 'del'),
          missing: [...view.querySelectorAll('.qc-missing')].map((m) => m.textContent),
          pairHidden: document.querySelector('.qc-pair').offsetParent === null,
          secondHidden: document.querySelector('.qc-side[data-side="b"]').offsetParent === null};
}"""


def axe_violations(page) -> list[dict]:
    """axe-core on the whole page in the view the test has opened, as tests/test_browser.py runs it."""
    from .test_browser import AXE, AXE_TAGS

    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, "
                           "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def check_shown_three(shown: dict, qid: str) -> None:
    q = QUOTATIONS[qid]
    assert shown["id"] == qid
    assert shown["columns"] == ["qc-col-buber", "qc-col-original", "qc-col-standard"]
    assert shown["pairHidden"] and shown["secondHidden"]
    if q.source.original:
        assert shown["lang"] == q.source.language and shown["original"] == q.source.original
    else:
        assert C.NO_ORIGINAL in " ".join(shown["missing"])
    if q.source.standard_english:
        assert (shown["buber"], shown["standard"]) == Q.diff_runs(q.text, q.source.standard_english)
    else:
        assert shown["buber"] == [] and C.NO_STANDARD in shown["missing"]


def test_the_third_view_opens_by_keyboard_on_a_laptop_and_follows_the_chooser(page, site):
    page.set_viewport_size({"width": 1366, "height": 900})
    open_comparer(page, site, f"?a={WITH_BOTH}")
    assert page.locator("#qc-three").is_hidden()
    press_keys(page, "#qc-view-pair")  # as Tab reaches the radio buttons; the arrow key picks the next one
    assert page.locator("#qc-view-three").is_checked()
    shown = page.evaluate(READ_THREE)
    check_shown_three(shown, WITH_BOTH)
    assert shown["buber"] and shown["standard"]  # this quotation has marks in both Englishes
    (x1, y1, w1), (x2, y2, _), (x3, y3, _) = shown["boxes"]
    assert y1 == y2 == y3 and x1 < x2 < x3 and w1 > 150  # side by side
    assert page.locator(".qc-side[data-side='a'] legend").inner_text() == "Quotation"
    page.wait_for_url(f"**/quotations.html?a={WITH_BOTH}*view=three*", timeout=5000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#comparer").screenshot(path=str(SHOTS / "three-1366.png"))
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    for mode in ("light", "dark"):
        page.evaluate("mode => document.documentElement.dataset.theme = mode", mode)
        assert axe_violations(page) == [], mode
    page.evaluate("() => document.documentElement.dataset.theme = 'light'")
    ids = list(QUOTATIONS)
    press_keys(page, "#qc-a")  # the next quotation, in the same view
    following = ids[ids.index(WITH_BOTH) + 1]
    check_shown_three(page.evaluate(READ_THREE), following)
    press_keys(page, "#qc-view-three", "ArrowUp")  # back to the pair
    assert page.locator("#qc-three").is_hidden() and page.locator("#qc-card-b article").is_visible()
    assert card(page, "a")["id"] == following
    assert page.console_errors == []


def test_the_third_view_opens_by_a_tap_on_a_phone_and_stacks_its_columns(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    outside = []
    phone.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site)
                else (outside.append(route.request.url), route.abort()))
    phone.goto(f"{site}/book/quotations.html?a={WITH_BOTH}", wait_until="networkidle")
    phone.evaluate(COUNT_RENDERS)
    phone.locator("label.qc-view-choice", has=phone.locator("#qc-view-three")).tap()
    phone.wait_for_function("() => window.renders >= 1", timeout=5000)
    shown = phone.evaluate(READ_THREE)
    check_shown_three(shown, WITH_BOTH)
    (x1, y1, _), (x2, y2, _), (x3, y3, _) = shown["boxes"]
    assert x1 == x2 == x3 and y1 < y2 < y3  # stacked
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator("#comparer").screenshot(path=str(SHOTS / "three-390.png"))
    phone.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    assert axe_violations(phone) == []
    assert outside == []
    context.close()


def test_the_third_view_says_what_the_data_do_not_give(page, site):
    no_standard = next(q for q in QUOTATIONS.values() if q.source.original and not q.source.standard_english)
    no_original = next(q for q in QUOTATIONS.values() if not q.source.original)
    for q in (no_standard, no_original):
        open_comparer(page, site, f"?a={q.id}&view=three")
        page.locator(f"#qc-three article[data-id='{q.id}']").wait_for()
        check_shown_three(page.evaluate(READ_THREE), q.id)
