"""The book as readers use it on a phone (390 px), a tablet (768 px) and a laptop (1366 px): by touch
and by keyboard, with what they see checked, not only what the page holds."""

from __future__ import annotations

import re

import pytest

from buber_course import quotations as Q
from buber_course import text

PHONE, TABLET, LAPTOP = 390, 768, 1366
HEIGHT = {PHONE: 844, TABLET: 1024, LAPTOP: 900}
CHAPTER = text.chapter()


@pytest.fixture
def device(browser, site):
    """``open(path, width)``: a fresh page at that width (touch below 1000 px), offline but for the book."""
    contexts = []

    def open_page(path: str, width: int):
        context = browser.new_context(viewport={"width": width, "height": HEIGHT.get(width, 900)},
                                      has_touch=width < 1000, is_mobile=width < 500)
        contexts.append(context)
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site) else route.abort())
        page.goto(f"{site}/{path}", wait_until="networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()


def in_viewport(page, selector: str) -> bool:
    """The element's box starts inside the window, and nothing else is drawn over its middle."""
    return page.evaluate("""(selector) => {
        const element = document.querySelector(selector);
        const box = element.getBoundingClientRect();
        if (box.top < 0 || box.top >= innerHeight || box.left < 0 || box.right > innerWidth) return false;
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + Math.min(box.height / 2, 10));
        return element.contains(hit);
    }""", selector)


# --- finding one's way: the menu -----------------------------------------------------------------


@pytest.mark.parametrize("width", [PHONE, TABLET])
def test_the_menu_opens_by_touch_and_leads_to_a_chapter(device, width):
    page = device("book/lessons/lesson-1.html", width)
    page.tap(".bd-header-article .primary-toggle")
    menu = page.locator("#pst-primary-sidebar-modal")
    menu.get_by_role("link", name=re.compile("^Lesson 3:")).wait_for(state="visible")
    page.screenshot(path=_shot(f"menu-open-{width}"))
    menu.get_by_role("link", name=re.compile("^Lesson 3:")).tap()
    page.wait_for_url(re.compile(r"lessons/lesson-3\.html"))
    # the tooltip of the menu button does not stay in the way of the search button
    page.tap(".bd-header-article .search-button")
    page.locator("#pst-search-dialog").wait_for(state="visible")


def test_the_menu_opens_by_keyboard_and_leads_to_a_chapter(device):
    page = device("book/lessons/lesson-1.html", PHONE)
    page.locator(".bd-header-article .primary-toggle").focus()
    page.keyboard.press("Enter")
    page.locator("#pst-primary-sidebar-modal").wait_for(state="visible")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim().startsWith('Lesson 3:')"):
            break
    else:
        pytest.fail("Tab never reached the link to lesson 3 in the menu")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"lessons/lesson-3\.html"))


def test_on_a_laptop_the_menu_button_folds_the_sidebar_away_and_back(device):
    page = device("book/lessons/lesson-1.html", LAPTOP)
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    page.click(".bd-header-article .primary-toggle")
    page.wait_for_function("() => getComputedStyle(document.querySelector('#pst-primary-sidebar')).visibility === 'hidden'")
    page.click(".bd-header-article .primary-toggle")
    page.wait_for_function("() => getComputedStyle(document.querySelector('#pst-primary-sidebar')).visibility === 'visible'")
    # no second, empty search strip above the page: the top navbar is empty and takes no room
    assert page.locator("#pst-header button, #pst-header input").count() == 0
    assert page.evaluate("() => document.querySelector('#pst-header').getBoundingClientRect().height") == 0


# --- the header's buttons: Bootstrap fetched when a reader first reaches for one -----------------


def press(page, selector: str, width: int) -> None:
    """A tap on the device fixture's touch screens (below 1000 px), a click above."""
    (page.tap if width < 1000 else page.click)(selector)


def bootstrap_fetches(page) -> int:
    return page.evaluate("""() => performance.getEntriesByType("resource")
        .filter((entry) => new URL(entry.name).pathname.endsWith("/scripts/bootstrap.js")).length""")


@pytest.mark.parametrize("reach", ["pointer", "keyboard"])
def test_a_tooltip_shows_at_the_first_reach_for_its_button_though_bootstrap_came_only_then(device, reach):
    page = device("book/intro.html", LAPTOP)
    page.wait_for_timeout(300)  # the page has loaded and is idle: nothing has asked for Bootstrap
    assert bootstrap_fetches(page) == 0 and page.evaluate("typeof window.bootstrap") == "undefined"
    button = page.locator(".bd-header-article .theme-switch-button")
    name = button.get_attribute("data-bs-title")
    if reach == "pointer":
        button.hover()
    else:
        button.focus()
    tooltip = page.locator(".tooltip.show")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text() == name and bootstrap_fetches(page) == 1
    if reach == "pointer":
        page.mouse.move(5, 600)  # away from the header: the tooltip goes, as Bootstrap's own listener decides
    else:
        page.keyboard.press("Tab")
    tooltip.wait_for(state="detached")


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_download_menu_opens_at_the_first_tap_and_lists_this_page_s_files(device, width):
    page = device("book/lessons/lesson-3.html", width)
    assert bootstrap_fetches(page) == 0
    press(page, ".dropdown-download-buttons .dropdown-toggle", width)
    menu = page.locator(".dropdown-download-buttons .dropdown-menu")
    menu.wait_for(state="visible")
    page.screenshot(path=_shot(f"download-menu-{width}"))
    items = menu.locator(".dropdown-item")
    shown = [items.nth(i) for i in range(items.count()) if items.nth(i).is_visible()]  # a PDF not yet made is hidden
    assert any("lesson-3" in (item.get_attribute("href") or "") for item in shown)
    assert page.locator(".dropdown-download-buttons .dropdown-toggle").get_attribute("aria-expanded") == "true"
    press(page, "article h1", width)  # a tap or a click elsewhere closes it
    menu.wait_for(state="hidden")


def test_an_activation_without_pointer_or_focus_opens_the_download_menu_once_bootstrap_has_come(device):
    """A screen reader may activate a button with a bare click event: nothing had asked for Bootstrap
    before it, so the press waits for the bundle and then opens the menu."""
    page = device("book/lessons/lesson-3.html", PHONE)
    page.evaluate("() => document.querySelector('.dropdown-download-buttons .dropdown-toggle').click()")
    page.locator(".dropdown-download-buttons .dropdown-menu").wait_for(state="visible")
    assert bootstrap_fetches(page) == 1


def test_the_download_menu_opens_by_keyboard_and_its_entries_are_reached_by_arrows(device):
    page = device("book/lessons/lesson-3.html", LAPTOP)
    toggle = page.locator(".dropdown-download-buttons .dropdown-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    page.locator(".dropdown-download-buttons .dropdown-menu").wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    first = page.locator(".dropdown-download-buttons .dropdown-item").first
    assert page.evaluate("(item) => document.activeElement === item", first.element_handle())
    page.keyboard.press("Escape")
    page.locator(".dropdown-download-buttons .dropdown-menu").wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.classList.contains('dropdown-toggle')")


@pytest.mark.parametrize("width", [PHONE, TABLET])  # the theme shows the button below 1200 px only
def test_scrolling_back_up_a_long_page_shows_the_back_to_top_button_which_goes_to_the_top(device, width):
    page = device("book/reading.html", width)
    button = page.locator("#pst-back-to-top")
    assert not button.is_visible()
    page.mouse.wheel(0, 400)  # the first scroll, a little way from the top, brings Bootstrap
    page.wait_for_function("() => window.bootstrap !== undefined")
    for _ in range(10):  # reading down, then back up a little: a reader looking for the top
        page.mouse.wheel(0, 500)
    page.wait_for_function("() => window.scrollY > 4000")
    assert not button.is_visible()
    page.mouse.wheel(0, -300)
    button.wait_for(state="visible")
    assert in_viewport(page, "#pst-back-to-top")
    press(page, "#pst-back-to-top", width)
    page.wait_for_function("() => window.scrollY === 0")
    button.wait_for(state="hidden")  # at the top it goes


def test_a_menu_pressed_while_offline_opens_at_a_later_press(device):
    page = device("book/lessons/lesson-3.html", PHONE)
    refused = []
    page.route("**/scripts/bootstrap.js*", lambda route: refused.append(route.request.url) or route.abort())
    with page.expect_event("requestfailed", lambda request: "scripts/bootstrap.js" in request.url):
        page.evaluate("() => document.querySelector('.dropdown-download-buttons .dropdown-toggle').click()")
    assert refused and not page.locator(".dropdown-download-buttons .dropdown-menu").is_visible()
    page.unroute("**/scripts/bootstrap.js*")  # the network is back
    page.evaluate("() => document.querySelector('.dropdown-download-buttons .dropdown-toggle').click()")
    page.locator(".dropdown-download-buttons .dropdown-menu").wait_for(state="visible")


# --- the first screen: nothing moves once painted ---------------------------------------------------

# Layout shifts since the page began to load, with what moved (the observer replays the buffered ones;
# a page with none never calls it, hence the timeout).
LAYOUT_SHIFTS = """() => new Promise((done) => {
  new PerformanceObserver((list) => done(list.getEntries().filter((shift) => !shift.hadRecentInput).map((shift) => ({
    value: shift.value,
    moved: shift.sources.map((s) => s.node ? `${s.node.className || s.node.nodeName}: ${(s.node.textContent || "").trim().slice(0, 40)}` : ""),
  })))).observe({type: "layout-shift", buffered: true});
  setTimeout(() => done([]), 500);
})"""


# The colour theme of the first frame the browser paints, and the one the theme's script settles on.
FIRST_FRAME_THEME = """window.firstFrameTheme = null;
requestAnimationFrame(() => { window.firstFrameTheme = document.documentElement.dataset.theme; });"""


@pytest.mark.parametrize(("system", "saved", "expected"), [
    ("light", {}, "light"), ("dark", {}, "dark"),  # a first visit follows the system
    ("dark", {"mode": "auto", "theme": "light"}, "dark"),  # a returning reader on auto, the system since changed
    ("dark", {"mode": "light", "theme": "light"}, "light"),  # a reader who chose light keeps it
])
def test_the_first_paint_is_in_the_colour_theme_the_reader_gets(browser, site, system, saved, expected):
    """pydata-sphinx-theme settles the theme in a deferred script; painted before that in another
    theme, or in none, the page flashes and its text moves (inline code gains its padding)."""
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site) else route.abort())
    page.add_init_script(f"Object.entries({dict(saved)!r}).forEach(([k, v]) => localStorage.setItem(k, v));"
                         if saved else "localStorage.clear();")
    page.add_init_script(FIRST_FRAME_THEME)
    page.goto(f"{site}/exercises/lesson-2.html", wait_until="networkidle")
    settled = page.evaluate("document.documentElement.dataset.theme")
    assert (page.evaluate("window.firstFrameTheme"), settled) == (expected, expected)
    context.close()


@pytest.mark.parametrize("path", ["exercises/lesson-2.html", "book/reading.html", "book/quotations.html",
                                  "book/collectivization/pace.html"])
@pytest.mark.parametrize("width", [PHONE, TABLET, LAPTOP])
def test_the_text_stays_where_it_was_first_painted(device, path, width):
    """A line that jumps as the reader starts on it: the theme's colours arriving late (inline code
    without its padding), or a paragraph first painted at its estimated height. Shifts are summed as
    Lighthouse sums them; below 0.01 is sub-pixel rounding (a shift of one line scores about 0.02-0.16)."""
    page = device(path, width)
    shifts = page.evaluate(LAYOUT_SHIFTS)
    assert sum(shift["value"] for shift in shifts) < 0.01, f"{path} at {width} px: {shifts}"


CHART_LOADED = """(i) => { const image = document.querySelectorAll('.cell_output img')[i];
    return image.complete && image.naturalWidth === Number(image.getAttribute('width')); }"""


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_a_chart_page_fetches_its_first_chart_at_once_and_the_others_as_the_reader_reaches_them(device, width):
    """A phone on a slow network gives its bandwidth to the first chart (often the largest thing on the
    first screen); a chart far below loads as the reader scrolls towards it, and is there when reached."""
    page = device("book/collectivization/bubers-figures.html", width)
    charts = page.locator(".cell_output img")
    last = charts.count() - 1
    assert last >= 2 and page.evaluate(CHART_LOADED, 0)
    assert charts.first.get_attribute("fetchpriority") == "high" and charts.first.get_attribute("loading") is None
    # Chromium starts a lazy image 1,250 to 8,000 px ahead of the screen, by the connection it assumes:
    # the last chart must stand beyond the farthest of these for "not loaded yet" to be a finding
    below = page.evaluate("(i) => document.querySelectorAll('.cell_output img')[i].getBoundingClientRect().top - innerHeight", last)
    assert below > 8000, f"the last chart stands only {below:.0f} px below the first screen: the test cannot tell"
    assert charts.nth(last).get_attribute("loading") == "lazy" and not page.evaluate(CHART_LOADED, last)
    charts.nth(last).scroll_into_view_if_needed()
    page.wait_for_function(CHART_LOADED, arg=last, timeout=5000)
    page.evaluate("(i) => document.querySelectorAll('.cell_output img')[i].decode()", last)
    page.screenshot(path=_shot(f"last-chart-{width}"))
    assert in_viewport(page, f".cell_output img[src='{charts.nth(last).get_attribute('src')}']")


# --- the margins: book pages and paragraph numbers --------------------------------------------


@pytest.mark.parametrize(("path", "width"), [("book/reading.html", PHONE), ("book/reading.html", 1024),
                                             ("book/reading.html", 1100), ("book/reading.html", LAPTOP),
                                             ("book/lessons/lesson-2.html", LAPTOP), ("book/lessons/lesson-7.html", 1024)])
def test_the_page_numbers_in_the_margin_are_visible_and_whole(device, path, width):
    page = device(path, width)
    markers = page.locator(".page-marker .page-number")
    assert markers.count() > 0
    for index in range(min(markers.count(), 6)):
        marker = markers.nth(index)
        page.evaluate("(i) => document.querySelectorAll('.page-marker .page-number')[i].scrollIntoView({block: 'center'})", index)
        number = marker.inner_text()
        assert re.fullmatch(r"\d{2,3}", number), number
        box = marker.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{path} at {width}: page {number} is cut off"
        covering = page.evaluate("""(i) => {
            const e = document.querySelectorAll('.page-marker .page-number')[i];
            const b = e.getBoundingClientRect();
            const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
            return e.contains(hit) ? '' : (hit ? hit.className || hit.tagName : 'nothing');
        }""", index)
        assert covering == "", f"{path} at {width}: page {number} is covered by {covering}"


def test_the_page_numbers_print_whole(device):
    page = device("book/reading.html", 794)  # A4 at 96 dpi
    page.emulate_media(media="print")
    # slice(0, 30): the chapter's 30 page markers, book pages 99-128 (text.FIRST_PAGE-LAST_PAGE)
    numbers = page.evaluate("""() => [...document.querySelectorAll('.page-marker .page-number')].slice(0, 30).map(e => {
        const b = e.getBoundingClientRect();
        return [e.textContent, Math.round(b.left), Math.round(b.right), e.scrollWidth <= e.clientWidth + 1];
    })""")
    assert numbers
    for number, left, right, whole in numbers:
        assert left >= 0 and right <= 794 and whole, f"page {number} prints cut off ({left}-{right})"


# --- the reading page: ways in --------------------------------------------------------------------


def test_the_reading_page_jumps_to_a_page_and_explains_its_marks(device):
    page = device("book/reading.html", PHONE)
    jump = page.get_by_role("navigation", name="Go to a page or paragraph")
    pages = jump.locator("a[href^='#page-']").all_inner_texts()
    assert pages == [str(p) for p in range(text.FIRST_PAGE, text.LAST_PAGE + 1)]
    assert jump.locator("a[href^='#p-']").count() == len(CHAPTER.paragraphs)
    jump.get_by_role("link", name="113", exact=True).tap()
    page.wait_for_function("() => location.hash === '#page-113'")
    assert in_viewport(page, "#page-113")
    legend = page.locator("details.chapter-legend")
    assert not legend.locator("dl").is_visible()
    legend.locator("summary").tap()
    assert "corrected reading" in legend.inner_text() and "comparer" in legend.inner_text()


def test_a_tap_on_a_corrected_word_shows_the_scan_reading_before_it_leaves_the_page(device):
    page = device("book/reading.html#p-10", PHONE)
    address = page.url
    page.locator("#c01").scroll_into_view_if_needed()
    page.tap("#c01")
    assert page.locator("#scan-c01").is_visible() and page.url == address
    page.tap("#c01")
    page.wait_for_url(re.compile(r"apparatus\.html#apparatus-c01"))


def test_the_compare_marks_are_tap_targets_of_24_px_with_a_name(device):
    page = device("book/reading.html", PHONE)
    mark = page.locator("a.quotation-compare").first
    box = mark.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    assert mark.get_attribute("title").startswith("Compare this quotation (")


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_each_cite_this_opener_is_a_tap_target_of_24_px(device, width):
    """WCAG 2.5.8: a target of 24 by 24 px at least, or with that much room around it. A "Cite this"
    line sits between two paragraphs, close to links at the end of one and the start of the next."""
    page = device("book/reading.html", width)
    heights = page.eval_on_selector_all("details.cite-this > summary", "(all) => all.map((s) => s.getBoundingClientRect().height)")
    assert len(heights) == len(CHAPTER.paragraphs)  # one "Cite this" under each paragraph
    assert min(heights) >= 24, f"a Cite this line is {min(heights):.1f} px high at {width} px"


def test_a_search_lists_each_page_once(device):
    page = device("search.html?q=kulak", LAPTOP)
    page.locator("#search-results p.search-summary").wait_for()
    found = page.locator("#search-results li > a").all_inner_texts()
    assert "Glossary" in found and len(found) == len(set(found)), found
    box = page.locator(".bd-search-container form.bd-search input").bounding_box()
    icon = page.locator(".bd-search-container form.bd-search i").bounding_box()
    padding = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.bd-search-container form.bd-search input')).paddingLeft)")
    assert box["x"] + padding >= icon["x"] + icon["width"]  # the query starts after the magnifier


# --- the comparer on a phone ----------------------------------------------------------------------


def test_on_a_phone_a_change_of_either_chooser_shows_without_scrolling(device):
    page = device("book/quotations.html#comparer", PHONE)
    for side in ("a", "b"):
        chooser = page.locator(f"#qc-{side}")
        chooser.scroll_into_view_if_needed()
        before = page.locator(f"#qc-card-{side} .qc-card").get_attribute("data-id")
        chooser.focus()
        page.keyboard.press("ArrowDown")
        page.wait_for_function("([s, id]) => document.querySelector(`#qc-card-${s} .qc-card`).dataset.id !== id",
                               arg=[side, before])
        assert in_viewport(page, f"#qc-card-{side} .qc-who"), f"the new card of side {side} is off the screen"
    page.screenshot(path=_shot("comparer-390"))


def test_a_quotation_is_not_compared_with_itself(device):
    first = next(iter(Q.quotations()))
    page = device(f"book/quotations.html?a={first}&b={first}#comparer", LAPTOP)
    assert page.locator("#qc-shared").inner_text().startswith("Both sides show the same quotation")
    assert page.locator(".quotation-comparer mark").count() == 0


def test_theme_names_read_as_written(device):
    page = device("book/quotations.html", LAPTOP)
    themes = page.locator("#qc-a-theme option").all_text_contents()
    assert "co-operatives" in themes and "co operatives" not in themes


# --- exercise pages -----------------------------------------------------------------------------


def test_answers_are_kept_across_a_reload_until_cleared(device):
    page = device("exercises/lesson-2.html", PHONE)
    page.fill("#l2-q1-input", "1874")
    page.locator('form.quiz[data-question="l2-q2"] input[value="B"]').check()
    page.fill("form.quiz-open textarea", "My own answer.")
    page.reload(wait_until="networkidle")
    assert page.input_value("#l2-q1-input") == "1874"
    assert page.locator('form.quiz[data-question="l2-q2"] input[value="B"]').is_checked()
    assert page.input_value("form.quiz-open textarea") == "My own answer."
    assert "Right" in page.locator('form.quiz[data-question="l2-q1"] .feedback').inner_text()
    page.click("button.quiz-clear")
    page.reload(wait_until="networkidle")
    assert page.input_value("#l2-q1-input") == "" and page.input_value("form.quiz-open textarea") == ""


def test_an_empty_choice_asks_for_an_option_not_for_typing(device):
    page = device("exercises/lesson-2.html", LAPTOP)
    form = page.locator('form.quiz[data-question="l2-q2"]')
    form.get_by_role("button", name="Check").click()
    assert form.locator(".feedback").inner_text() == "Choose one of the options first, then press Check."


def test_each_answer_is_shown_only_when_asked_for(device):
    page = device("exercises/lesson-1.html", PHONE)
    solution = page.locator("details.quiz-solution").first
    assert not solution.locator("p").is_visible()
    solution.locator("summary").tap()
    assert solution.locator("p").is_visible() and "Engels" in solution.inner_text()


def _shot(name: str) -> str:
    from buber_course.paths import ROOT

    folder = ROOT / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"{name}.png")
