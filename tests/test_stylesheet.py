"""Each page's one combined stylesheet (buber_course/sphinx_ext/stylesheet.py): it drops only rules
that cannot apply, and no rule that applies to an element of a page is lost."""

from __future__ import annotations

import hashlib
import re

import pytest
import tinycss2
from bs4 import BeautifulSoup

from buber_course.sphinx_ext.stylesheet import BLOCK_AT_RULES, _rebased, _selectors, loaded_scripts, used_rules

from .conftest import built_pages, stylesheets


def selectors_of(css: str) -> set[str]:
    """Every selector of the stylesheet, those inside @media, @supports and the like included."""
    found = set()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            found |= {tinycss2.serialize(selector).strip() for selector in _selectors(rule.prelude)}
        elif rule.type == "at-rule" and rule.lower_at_keyword in BLOCK_AT_RULES and rule.content is not None:
            found |= selectors_of(tinycss2.serialize(rule.content))
    return found


@pytest.mark.parametrize("css, words, kept", [
    (".used{color:red}", {"used"}, True),
    (".unused{color:red}", {"used"}, False),
    ("#used-id p{margin:0}", {"used-id"}, True),
    ("div.used.unused{color:red}", {"used"}, False),
    ("p:not(.unused){color:red}", set(), True),           # :not(.x) matches where .x is absent
    ("html[data-theme=dark] p{color:red}", set(), True),  # attributes are set by scripts: kept
    ("@media (max-width: 40em){.used{color:red}}", {"used"}, True),
    ("@media (max-width: 40em){.unused{color:red}}", {"used"}, False),
    ("@font-face{font-family:x;src:local(x)}", set(), True),
    ("@keyframes spin{to{transform:rotate(1turn)}}", set(), True),
    (".bs-tooltip-auto .tooltip-arrow{top:0}", {"tooltip-arrow"}, True),  # Bootstrap writes `bs-${NAME}-auto`
])
def test_a_rule_is_dropped_only_when_it_names_a_class_or_id_nothing_contains(css, words, kept):
    assert bool(used_rules(css, words).strip()) == kept


def test_a_selector_list_keeps_only_its_selectors_that_can_match():
    assert selectors_of(used_rules(".a, .b, .c{color:red}", {"a", "c"})) == {".a", ".c"}


def test_only_the_words_of_scripts_a_page_loads_keep_rules(tmp_path):
    """A class named only in a script no page loads (fontawesome.js names every icon) cannot appear;
    a script loaded by a loaded script (the comparer's cards) can add classes."""
    texts = {"comparer.js": 'load("cards.js")', "cards.js": '"qc-card"', "fontawesome.js": '"fa-beat" "fontawesome.js"'}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    page = '<script src="_static/comparer.js"></script>'
    assert sorted(loaded_scripts([page], [tmp_path / name for name in texts])) == sorted(['load("cards.js")', '"qc-card"'])


def test_a_relative_url_is_rewritten_for_the_combined_files_place(tmp_path):
    static = tmp_path / "_static"
    css = "@font-face{src:url(../vendor/fa.woff2)} a{background:url('data:image/png;base64,x')} b{x:url(#m)}"
    rebased = _rebased(css, static / "styles", static)
    assert 'url("vendor/fa.woff2")' in rebased and "url('data:image/png;base64,x')" in rebased and "url(#m)" in rebased


def test_every_url_in_a_combined_stylesheet_names_a_file_of_the_build(html_dir):
    # The theme's fonts are named from _static/styles/ as ../vendor/...; from _static/ they must still be found.
    for bundle in (html_dir / "_static").glob("book-*.css"):
        for url in re.findall(r"""url\(\s*['"]?([^'")]+)""", bundle.read_text(encoding="utf-8")):
            if not url.startswith(("data:", "#")):
                assert (bundle.parent / url.split("?")[0].split("#")[0]).is_file(), (bundle.name, url)


def test_a_combined_stylesheet_is_named_by_its_content_and_no_page_links_a_stale_one(html_dir):
    bundles = {path.name for path in (html_dir / "_static").glob("book-*.css")}
    for path in bundles:
        content = (html_dir / "_static" / path).read_text(encoding="utf-8")
        assert path == "book-" + hashlib.sha1(content.encode()).hexdigest()[:10] + ".css"
    linked = {name for page in built_pages(html_dir)
              for name in re.findall(r"_static/(book-[0-9a-f]{10}\.css)", (html_dir / page).read_text(encoding="utf-8"))}
    assert linked == bundles  # every file linked, none left over from an earlier build


def test_every_page_applies_one_stylesheet_on_screen_holding_what_it_loaded_before(html_dir):
    for page in built_pages(html_dir):
        links = BeautifulSoup((html_dir / page).read_text(encoding="utf-8"), "html.parser").select('link[rel~="stylesheet"]')
        screen = [link["href"] for link in links if link.get("media", "all") in ("all", "screen")]
        assert len(screen) == 1 and "_static/book-" in screen[0], (page, screen)
        combined = stylesheets(html_dir, page)
        assert combined[:2] == ["_static/basic.css", "_static/styles/pydata-sphinx-theme.css"], page
        assert {"_static/course.css", "_static/icons.css"} <= set(combined), page


# Pseudo-elements and pseudo-classes of a state a reader brings about (hover, focus, ...): taken off,
# so that a selector is tried on the elements it styles in some state.
STATE = re.compile(r"::[a-zA-Z-]+(\([^)]*\))?|:(hover|focus-visible|focus-within|focus|active|visited|target|"
                   r"checked|disabled|placeholder-shown|-webkit-[a-z-]+|-moz-[a-z-]+)(?![\w-])")
KINDS_OF_PAGE = ["book/intro.html", "book/reading.html", "book/lessons/lesson-3.html",
                 "book/collectivization/grain.html", "book/quotations.html", "exercises/lesson-2.html",
                 "book/timeline.html", "search.html"]
# A selector Chromium cannot parse is reported (as "unparsed: ..."), not counted as matching nothing,
# unless it is written for another browser.
# Each selector is tried without its states, or as written where taking them off leaves no selector
# (``:not(:focus-visible)``).
MATCHING = """pairs => pairs.flatMap(([bare, written]) => {
  for (const s of [bare, written]) {
    try { return document.querySelector(s) !== null ? [written] : []; } catch (e) {}
  }
  return /-moz-|-ms-/.test(written) ? [] : ["unparsed: " + written]; })"""


@pytest.mark.parametrize("path", KINDS_OF_PAGE)
def test_no_rule_that_matches_an_element_of_the_page_was_dropped(html_dir, page, site, path):
    """Checked the other way round from the code: not by words, but by asking Chromium, once the
    page and its scripts have loaded, whether any element matches each selector of the original
    stylesheets that the combined one left out. None may."""
    document = BeautifulSoup((html_dir / path).read_text(encoding="utf-8"), "html.parser")
    href = document.select_one('link[rel~="stylesheet"][href*="book-"]')["href"].split("?")[0]
    kept = selectors_of((html_dir / path).parent.joinpath(href).read_text(encoding="utf-8"))
    original = set()
    for source in stylesheets(html_dir, path):
        original |= selectors_of((html_dir / source).read_text(encoding="utf-8"))
    dropped = sorted((STATE.sub("", selector).strip() or "*", selector) for selector in original - kept)
    assert len(dropped) > 100, "too few selectors were left out for this test to mean anything"
    page.goto(f"{site}/{path}", wait_until="load")
    tooltip = page.locator('[data-bs-toggle="tooltip"]:visible').first
    if tooltip.count():
        tooltip.hover()  # Bootstrap adds the tooltip's own elements and classes only now
        page.wait_for_selector(".tooltip.show")
    assert page.evaluate(MATCHING, dropped) == []
