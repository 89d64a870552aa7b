"""The comparer in the built book, as a reader meets it: headless Chromium, offline, keyboard only."""

from __future__ import annotations

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
    from .conftest import built_pages

    for path in built_pages(html_dir):
        html = (html_dir / path).read_text(encoding="utf-8")
        assert ("quotation-comparer.js" in html) == (path == "book/quotations.html"), path
        assert ("quotations.css" in html) == (path in ("book/quotations.html", "book/reading.html")), path
        assert "widget-state+json" not in html and "embed-amd" not in html, path
