"""The built book as a reader meets it: in headless Chromium, offline, checked by axe-core."""

from __future__ import annotations

import json

import pytest

import yaml

from buber_course.paths import ROOT

from .conftest import built_pages

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def toc_pages() -> list[str]:
    """The pages of ``_toc.yml`` (known before the build, so each gets its own test)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [f"{f}.html" for f in files] + ["genindex.html", "search.html"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_every_built_page_is_checked_here(html_dir):
    assert sorted(built_pages(html_dir)) == sorted(toc_pages())


@pytest.mark.parametrize("path", toc_pages())
def test_page_loads_offline_with_no_accessibility_violation_and_fits_every_screen(page, site, path):
    response = page.goto(f"{site}/{path}", wait_until="networkidle")
    assert response.ok, f"{path}: HTTP {response.status}"
    assert page.outside_requests == [], f"{path} asked the internet for {page.outside_requests}"
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")  # no mid-fade colours
    for mode in ("light", "dark"):
        page.evaluate("mode => document.documentElement.dataset.theme = mode", mode)
        violations = axe_violations(page)
        assert violations == [], f"{path} ({mode} mode): {json.dumps(violations, indent=1)}"
    assert page.console_errors == [], f"{path}: console errors {page.console_errors}"
    for width in (1366, 768, 390):  # a laptop, a tablet, a phone: nothing wider than the screen
        page.set_viewport_size({"width": width, "height": 900})
        extra = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert extra <= 0, f"{path} is {extra} px wider than a {width} px screen"


def test_keyboard_focus_on_a_corrected_word_shows_the_scan_reading(page, site):
    page.goto(f"{site}/book/reading.html#p-10", wait_until="networkidle")
    note = page.locator("#scan-c01")
    assert not note.is_visible()
    page.locator("#c01").focus()  # as Tab would; the next test walks there with the real Tab key
    assert note.is_visible() and note.inner_text() == "scan: necessaiy"
    page.keyboard.press("Enter")
    page.wait_for_url("**/apparatus.html#apparatus-c01")
    assert page.locator("#apparatus-c01").is_visible()


def test_tab_key_reaches_corrections_in_reading_order(page, site):
    page.goto(f"{site}/book/reading.html#p-50", wait_until="networkidle")
    page.locator("#p-50 .paragraph-number").focus()
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id"))
    assert "c17" in reached, reached
    assert page.locator("#scan-c17").is_visible() or "c18" in reached


def test_a_page_anchor_opens_the_reading_text_at_that_page(page, site):
    page.goto(f"{site}/book/reading.html#page-113", wait_until="networkidle")
    box = page.locator("#page-113").bounding_box()
    header = page.locator(".bd-header-article").bounding_box()
    assert box is not None and header is not None
    assert header["y"] + header["height"] <= box["y"] < page.viewport_size["height"], "the page marker is hidden"
    assert page.locator("#page-113 .page-number").inner_text() == "113"


@pytest.mark.parametrize("path", ["book/reading.html", "book/quotations.html", "book/lessons/lesson-8.html",
                                  "exercises/lesson-8.html", "book/collectivization/pace.html"])
def test_page_on_a_phone_has_no_accessibility_violation_and_no_sideways_scroll(browser, site, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site) else route.abort())
    phone.goto(f"{site}/{path}", wait_until="networkidle")
    phone.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    assert axe_violations(phone) == []
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} scrolls sideways on a phone ({width} px)"
    context.close()


def test_search_finds_a_word_of_the_chapter(page, site):
    page.goto(f"{site}/book/intro.html", wait_until="networkidle")
    page.keyboard.press("Control+k")
    field = page.locator(".bd-search input[name=q]:visible").first
    field.fill("Kropotkin")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=Kropotkin*")
    page.wait_for_function("() => /found \\d+ page/.test(document.querySelector('#search-results')?.textContent)",
                           timeout=15000)  # results arrive page by page; wait for Sphinx's summary
    results = page.locator("#search-results li a")
    assert any("reading.html" in (results.nth(i).get_attribute("href") or "") for i in range(results.count()))


def test_cite_this_copies_a_page_exact_citation_by_keyboard(browser, site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    reader = context.new_page()
    reader.goto(f"{site}/book/reading.html#p-29", wait_until="networkidle")
    summary = reader.locator("#p-29 + details.cite-this summary")
    summary.focus()
    reader.keyboard.press("Enter")
    button = reader.locator("#p-29 + details.cite-this button.copy-citation").first
    assert button.is_visible()
    button.focus()
    reader.keyboard.press("Enter")
    reader.wait_for_function("() => document.activeElement.textContent.startsWith('Copied')")
    copied = reader.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Martin Buber, Paths in Utopia") and "pp. 112-113 (paragraph 29" in copied
    context.close()


def test_cite_this_bibtex_wraps_on_a_phone_and_copies_with_its_lines(browser, site):
    """The BibTeX entry is a wrapping div, not a pre (the theme's script measures every pre at load):
    on a phone it must still fit its panel, in a monospace face, and copy line by line."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  permissions=["clipboard-read", "clipboard-write"])
    reader = context.new_page()
    reader.goto(f"{site}/book/reading.html#p-29", wait_until="networkidle")
    reader.locator("#p-29 + details.cite-this summary").tap()
    entry = reader.locator("#cite-p29-bibtex")
    entry.wait_for(state="visible")
    # Shown line by line: the rendered text keeps the entry's line breaks.
    assert entry.evaluate("(e) => e.innerText === e.textContent")
    fits = entry.evaluate("(e) => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().right <= innerWidth")
    assert fits, "the BibTeX entry runs out of its panel at 390 px"
    assert "monospace" in entry.evaluate("(e) => getComputedStyle(e).fontFamily").lower()
    copy = reader.locator("#p-29 + details.cite-this button.copy-citation[data-copy-from='cite-p29-bibtex']")
    copy.tap()
    reader.wait_for_function("(button) => button.textContent.startsWith('Copied')", arg=copy.element_handle())
    copied = reader.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@") and copied.count("\n") >= 3 and copied == entry.text_content()
    context.close()


def test_static_exercise_check_answered_wrongly_then_rightly(page, site):
    page.goto(f"{site}/exercises/lesson-2.html", wait_until="networkidle")
    form = page.locator('form.quiz[data-question="l2-q3"]')
    field = form.get_by_label("Your answer")
    field.fill("")
    field.press("Enter")
    from buber_course.feedback import Quiz

    assert form.locator(".feedback").inner_text() == Quiz("l2-q3").spec()["blank"]  # not yet answered
    field.fill("equality")
    field.press("Enter")  # the keyboard submits the form
    assert form.locator(".feedback").inner_text().startswith("Not quite. The formula opens paragraph 6 on p. 104.")
    field.fill("Freedom")
    form.get_by_role("button", name="Check").click()
    assert form.locator(".feedback").inner_text().startswith("Right.")
    choice = page.locator('form.quiz[data-question="l2-q2"]')
    choice.get_by_label("A) Anti-Duehring (1877)").check()
    choice.get_by_role("button", name="Check").click()
    assert choice.locator(".feedback").inner_text().startswith("Not quite.")
    choice.get_by_label("C) the Foreword to Marx's Civil War in France (1891)").check()
    choice.get_by_role("button", name="Check").click()
    assert choice.locator(".feedback").inner_text().startswith("Right.")


def test_a_lesson_opens_the_comparer_on_its_comparison_set(page, site):
    from buber_course import quotations

    chosen = quotations.comparison_set("lenin-cooperatives")
    page.goto(f"{site}/book/lessons/lesson-7.html", wait_until="networkidle")
    page.get_by_role("link", name="Lenin on the Co-operatives").first.click()
    page.wait_for_url("**/quotations.html?set=lenin-cooperatives*")
    page.wait_for_load_state("networkidle")
    shown = page.locator("#comparer").inner_text()
    assert quotations.quotation(chosen.ids[0]).text[:40] in shown
