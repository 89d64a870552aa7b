"""The built book: the whole chapter with its anchors, the apparatus, nothing loaded from outside."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from buber_course import text
from buber_course.paths import ROOT

from .conftest import built_pages

CHAPTER = text.chapter()
EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def soup(html_dir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((html_dir / page).read_text(encoding="utf-8"), "html.parser")


def reading_text_of(element) -> str:
    """The text a reader reads in a rendered paragraph, margin marks and scan notes left out."""
    element = BeautifulSoup(str(element), "html.parser")
    for mark in element.select(".paragraph-number, .page-marker, .correction-scan"):
        mark.decompose()
    return element.get_text()


def test_the_strict_build_passed_without_warnings(build_log):
    if not build_log:
        pytest.skip("BOOK_PREBUILT=1: no build in this session")
    assert "build succeeded" in build_log
    assert "WARNING" not in build_log.replace("[IPKernelApp] WARNING | Kernel is running over TCP", "")


def test_reading_page_holds_every_paragraph_in_order_with_its_anchor(html_dir):
    page = soup(html_dir, "book/reading.html")
    paragraphs = page.select("p.chapter-paragraph")
    assert [p.get("id") for p in paragraphs] == [f"p-{p.number}" for p in CHAPTER.paragraphs]
    for rendered, paragraph in zip(paragraphs, CHAPTER.paragraphs):
        assert reading_text_of(rendered) == paragraph.text, f"paragraph {paragraph.number}"


def test_reading_page_has_every_book_page_anchor_where_the_page_begins(html_dir):
    page = soup(html_dir, "book/reading.html")
    markers = page.select("a.page-marker[id]")
    assert [m["id"] for m in markers] == [f"page-{n}" for n in range(text.FIRST_PAGE, text.LAST_PAGE + 1)]
    for marker in markers:
        number = int(marker["id"].removeprefix("page-"))
        paragraph = int(marker.find_parent("p")["id"].removeprefix("p-"))
        assert number in CHAPTER.paragraph(paragraph).pages
        following = "".join(marker.find_all_next(string=True, limit=6))
        assert CHAPTER.page_text(number)[:20].strip()[:10] in following, marker["id"]


def test_corrections_are_marked_in_the_text_and_listed_in_the_apparatus(html_dir):
    reading = soup(html_dir, "book/reading.html")
    apparatus = soup(html_dir, "book/apparatus.html")
    for correction in CHAPTER.corrections:
        mark = reading.find(id=correction.id)
        assert mark is not None and "correction" in mark["class"], correction.id
        _, scan, corrected, _ = text.display_parts(correction)
        assert mark.get_text() == corrected
        note = reading.find(id=mark["aria-describedby"])
        assert note.get_text() == f"scan: {scan}"
        assert mark["href"] == f"apparatus.html#apparatus-{correction.id}"
        row = apparatus.find(id=f"apparatus-{correction.id}")
        assert row is not None, correction.id
        assert row.find("a", href=f"reading.html#{correction.id}").get_text() == corrected
        assert row.find("a", href=f"reading.html#page-{correction.page}") is not None
    assert len(apparatus.select("table.apparatus-table:not(.queries-table) tbody tr")) == len(CHAPTER.corrections)


def test_no_page_loads_anything_from_outside_the_book(html_dir):
    offenders = []
    for page in built_pages(html_dir):
        document = soup(html_dir, page)
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("source", "src"),
                               ("iframe", "src"), ("video", "src"), ("audio", "src"), ("embed", "src")):
            for element in document.find_all(tag):
                url = element.get(attribute, "")
                if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(element.get("rel", [])):
                    continue
                if EXTERNAL.match(url):
                    offenders.append(f"{page}: <{tag} {attribute}={url}>")
        for style in document.find_all("style"):
            offenders += [f"{page}: inline style url({u})" for u in re.findall(r"url\(['\"]?([^'\")]+)", style.get_text()) if EXTERNAL.match(u)]
    for css in html_dir.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if EXTERNAL.match(url):
                offenders.append(f"{css.relative_to(html_dir)}: url({url})")
    assert offenders == []


def test_no_page_loads_fontawesome_script(html_dir):
    for page in built_pages(html_dir):
        assert "fontawesome.js" not in (html_dir / page).read_text(encoding="utf-8"), page


def test_no_page_runs_bootstrap_at_load_and_each_can_fetch_it(html_dir):
    """The theme's ``<script defer src=".../bootstrap.js">`` is replaced by the address that
    bootstrap-on-demand.js fetches: a theme whose markup changed would bring the eager script back."""
    for page in built_pages(html_dir):
        soup = BeautifulSoup((html_dir / page).read_text(encoding="utf-8"), "html.parser")
        assert not [s for s in soup.find_all("script", src=True) if s["src"].split("?")[0].endswith("scripts/bootstrap.js")], page
        marker = soup.find("script", id="bootstrap-on-demand")
        assert marker is not None and marker.get("type") == "text/x-on-demand", page
        assert (html_dir / page).parent.joinpath(marker["data-src"].split("?")[0]).resolve().is_file(), page
        assert soup.find("script", src=re.compile(r"bootstrap-on-demand\.js")) is not None, page


def test_every_icon_the_theme_shows_is_drawn(html_dir):
    css = (html_dir / "_static" / "icons.css").read_text(encoding="utf-8")
    drawn = set(re.findall(r"\.fa-([a-z0-9-]+)\{--icon", css))
    modifiers = {"solid", "brands", "regular", "lg", "fw"}
    used = set()
    for page in built_pages(html_dir):
        used |= set(re.findall(r'class="[^"]*\bfa-([a-z0-9-]+)', (html_dir / page).read_text(encoding="utf-8")))
    assert used - modifiers - drawn == set()


def test_notebook_page_is_executed_and_has_launch_and_download_buttons(html_dir):
    page = soup(html_dir, "book/text-as-data.html")
    outputs = page.select(".cell_output")
    assert len(outputs) >= 5
    figure = page.select_one(".cell_output img")
    assert figure is not None and figure.get("alt", "").startswith("Bar chart of the number of words")
    links = {a.get("href", "") for a in page.find_all("a")}
    assert any(h.startswith("https://mybinder.org/v2/gh/buber-course/lenin-and-the-renewal-of-society/main")
               and "book/text-as-data.md" in h for h in links)
    assert "../_sources/book/text-as-data.ipynb" in links
    assert "../_sources/book/text-as-data.md" in links
    assert (html_dir / "_sources" / "book" / "text-as-data.ipynb").exists()


@pytest.mark.book  # a build of its own
def test_a_cell_error_fails_the_build(tmp_path):
    """The book's own execution settings turn a failing cell into a failed build."""
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    (book / "_toc.yml").write_text("format: jb-book\nroot: failing\n")
    header = (ROOT / "book" / "text-as-data.md").read_text().split("# The text as data")[0]
    (book / "failing.md").write_text(header + "# Failing\n\n```{code-cell} ipython3\n1 / 0\n```\n")
    result = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(book)],
                            capture_output=True, text=True, cwd=book)
    assert result.returncode != 0
    assert "ZeroDivisionError" in result.stdout + result.stderr


# --- the reference apparatus ------------------------------------------------------------------


def test_glossary_people_and_timeline_pages_hold_every_row_with_an_anchor(html_dir):
    from buber_course import reference

    glossary = soup(html_dir, "book/glossary.html")
    terms = {dt.get_text(" ", strip=True).rstrip("#").strip() for dt in glossary.select("dl.glossary dt")}
    assert {row["term"] for row in reference.glossary()} <= terms
    people = soup(html_dir, "book/people.html")
    for person in reference.people():
        entry = people.find(id=person["id"])
        assert entry is not None and person["name"] in entry.get_text(), person["id"]
        assert person["role"] in entry.find_next("dd").get_text()
    timeline = soup(html_dir, "book/timeline.html")
    assert len(timeline.select("table.timeline tbody tr")) == len(reference.timeline())
    assert timeline.select_one(".cell_output img")["alt"].startswith("Timeline chart")


def test_glossary_aliases_link_to_their_entry(html_dir):
    page = soup(html_dir, "book/instructors.html")
    link = page.find("a", string="Soviets")
    assert link is not None and link["href"].startswith("glossary.html#term-Soviet")


def test_bibliography_lists_every_entry_of_references_bib(html_dir):
    keys = re.findall(r"^@\w+\{([^,]+),", (ROOT / "data" / "references.bib").read_text(), re.M)
    entries = soup(html_dir, "book/bibliography.html").select("div.citation")
    assert len(entries) == len(keys) > 30  # a floor, so that a key pattern finding nothing fails (87 entries when written)


def test_bibliography_keeps_the_case_of_titles_and_labels_entries_as_lessons_cite_them(html_dir):
    from pybtex.database import parse_file

    page = soup(html_dir, "book/bibliography.html")
    listed = " ".join(page.get_text().split())
    titles = [re.sub(r"[{}]", "", e.fields["title"]) for e in parse_file(ROOT / "data" / "references.bib").entries.values()]
    kept = [t for t in titles if t in listed]
    assert len(kept) >= 0.9 * len(titles), [t for t in titles if t not in listed][:5]  # LaTeX accents aside
    labels = {entry["id"]: entry.select_one(".label").get_text().strip("[]") for entry in page.select("div.citation")}
    assert len(set(labels.values())) == len(labels)  # "Lenin, 1972a", "Lenin, 1972b": one entry each
    cited = 0
    for path in sorted((html_dir / "book" / "lessons").glob("*.html")):
        for link in soup(html_dir, path.relative_to(html_dir).as_posix()).select('a[href*="bibliography.html#"]'):
            assert link.get_text() == labels[link["href"].split("#")[1]], f"{path.name}: {link}"
            cited += 1
    assert cited > 100  # a floor, so that a selector finding no link fails (308 citations when written)


def test_no_theme_template_is_published_as_a_file(html_dir):
    assert not list((html_dir / "_static").glob("*webpack-macros.html"))


def test_no_script_holds_back_a_page_s_first_paint(html_dir):
    """A plain script stops the parser, and so the first paint, until it has arrived and run: every
    script a page loads is deferred (the search page's 320 KB index included). Inline scripts run
    where they stand; the head's set only the colour theme, before the first paint."""
    for page in built_pages(html_dir):
        for script in soup(html_dir, page).select("script[src]"):
            assert script.has_attr("defer") or script.has_attr("async") or script.get("type") == "module", \
                f"{page}: {script['src']} blocks the parser"


def test_the_site_s_root_sends_a_reader_to_the_first_page_and_names_its_icon(html_dir):
    """A browser that opens the site's root asks for ``/favicon.ico`` unless the page names an icon,
    and logs the 404 as an error (Lighthouse's best practices fell to 96)."""
    root_doc = yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    document = soup(html_dir, "index.html")
    refresh = document.find("meta", attrs={"http-equiv": "Refresh"})
    assert refresh["content"] == f"0; url={root_doc}.html" and (html_dir / f"{root_doc}.html").is_file()
    assert document.find("a", href=f"{root_doc}.html").get_text(strip=True) == document.title.get_text()
    assert document.html["lang"] == soup(html_dir, f"{root_doc}.html").html["lang"]
    assert document.find("meta", attrs={"name": "description"})["content"]
    assert (html_dir / document.find("link", rel="icon")["href"]).is_file()
    canonical = document.find("link", rel="canonical")  # Lighthouse's SEO audit fails a relative one
    assert canonical is None or "://" in canonical["href"], canonical


def test_no_link_address_is_escaped_twice(html_dir):
    for page in built_pages(html_dir):
        assert "&amp;amp;" not in (html_dir / page).read_text(), page


def test_every_page_carries_citation_metadata(html_dir):
    for page in built_pages(html_dir):
        document = soup(html_dir, page)
        tags = {m["name"]: m["content"] for m in document.find_all("meta") if m.get("name", "").startswith("citation_")}
        assert {"citation_title", "citation_author", "citation_publication_date"} <= set(tags), page
    reading = {m["name"]: m["content"] for m in soup(html_dir, "book/reading.html").find_all("meta")
               if m.get("name", "").startswith("citation_")}
    assert reading["citation_firstpage"] == str(text.FIRST_PAGE) and reading["citation_lastpage"] == str(text.LAST_PAGE)
    assert reading["citation_author"] == "Buber, Martin"


def test_every_paragraph_offers_page_exact_citations(html_dir):
    from buber_course import citation

    page = soup(html_dir, "book/reading.html")
    panels = page.select("details.cite-this")
    assert len(panels) == len(CHAPTER.paragraphs)
    for panel, paragraph in zip(panels, CHAPTER.paragraphs):
        texts = [p.get_text() for p in panel.select("p.citation-text")]
        assert texts[0] == citation.chicago(paragraph.pages, paragraph.number)
        for single in paragraph.pages if len(paragraph.pages) > 1 else []:
            assert citation.chicago([single]) in texts
        assert f"pages      = {{{paragraph.pages[0]}" in panel.select_one(".citation-bibtex").get_text()
    # No pre in the panels: why, in chapter.py's visit_cite_this.
    assert not page.select("details.cite-this pre")


def test_lessons_link_to_existing_comparison_sets(html_dir):
    from buber_course import quotations

    sets = quotations.comparison_sets()
    linked = set()
    for page in built_pages(html_dir):
        for link in soup(html_dir, page).find_all("a", href=re.compile(r"quotations\.html\?set=")):
            sid = link["href"].split("?set=")[1].split("#")[0]
            assert sid in sets, f"{page}: unknown comparison set {sid}"
            linked.add(sid)
    assert "lenin-cooperatives" in linked and "stalin-1930-1933" in linked


def test_queried_readings_are_marked_in_the_text_and_listed_in_the_apparatus(html_dir):
    from buber_course import text

    reading = soup(html_dir, "book/reading.html")
    apparatus = soup(html_dir, "book/apparatus.html")
    for query in text.chapter().queries:
        mark = reading.select_one(f"a.query#query-{query.id}")
        assert mark is not None and mark.get_text() == query.original
        assert mark["href"] == f"apparatus.html#apparatus-{query.id}"
        row = apparatus.find(id=f"apparatus-{query.id}")
        assert row is not None and query.suggested in row.get_text()
        assert row.select_one(f'a[href="reading.html#query-{query.id}"]') is not None


# --- errata -----------------------------------------------------------------------------------------

from buber_course import reference  # noqa: E402


def toc_order() -> list[str]:
    toc = __import__("yaml").safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def target_exists(html_dir: Path, page: str, href: str) -> bool:
    """A relative link from ``page`` leads to a file, and to an element with its fragment if it has one."""
    path, _, fragment = href.partition("#")
    target = (html_dir / page).parent / path if path else html_dir / page
    if not target.resolve().is_file():
        return False
    return not fragment or soup(html_dir, str(target.resolve().relative_to(html_dir))).find(id=fragment) is not None


def test_the_errata_page_lists_every_correction_newest_first_by_page_in_book_order(html_dir):
    rows = {row["id"]: row for row in reference.errata()}
    page = soup(html_dir, "book/errata.html")
    items = page.select("ul.errata > li[id]")
    assert sorted(item["id"] for item in items) == sorted(rows)
    order = toc_order()
    groups = [(rows[item["id"]]["date"], rows[item["id"]]["page"]) for item in items]
    assert groups == sorted(groups, key=lambda g: (-g[0].toordinal(), order.index(g[1])))
    for item in items:
        row = rows[item["id"]]
        said = {p.find("em").get_text(): p.get_text() for p in item.find_all("p") if p.find("em")}
        assert said["It said: "].endswith(row["before"]) and said["It says now: "].endswith(row["after"])
        where = item.find("p").find("a")
        if row["section"]:
            assert where.get_text() == row["section"].replace("*", "")
            assert "#" in where["href"], f"{row['id']}: the link does not lead to the section"
        assert target_exists(html_dir, "book/errata.html", where["href"]), f"{row['id']}: {where['href']}"
    overview = page.select("ul.errata-overview a")
    assert [a["href"].lstrip("#") for a in overview] == [g["id"] for g in page.select("p.errata-group")]


def test_each_corrected_page_says_so_at_its_top_and_links_to_its_changes(html_dir):
    changed = {}
    for row in reference.errata():
        changed.setdefault(row["page"], []).append(row)
    for name, rows in changed.items():
        notice = soup(html_dir, f"{name}.html").select_one("article p.errata-notice")
        assert notice is not None, name
        assert f"({len(rows)} change" in notice.get_text(), name
        link = notice.find("a")["href"]
        assert "errata.html#changes-" in link and target_exists(html_dir, f"{name}.html", link), name
    unchanged = [p for p in toc_order() if p not in changed and p != "book/errata"]
    assert unchanged and all(not soup(html_dir, f"{p}.html").select("p.errata-notice") for p in unchanged)
