"""The print and e-reader editions (`make pdf`, `make epub`) and the print stylesheet of every page.

The PDFs and the EPUB are made once per test session from the session's strict build (the
``editions`` fixture; with two xdist workers the first makes them and the other waits), then read with
pypdf and zipfile, the EPUB checked with epubcheck where it is installed, and pages printed by Chromium
(print media) looked at and saved under _build/screenshots/.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from . import epubcheck
from buber_course import print_edition, text
from buber_course.paths import ROOT
from buber_course.sphinx_ext import print_edition as menu
from .conftest import BUILD, built_pages, exclusive

pypdf = pytest.importorskip("pypdf")

CHAPTER = text.chapter()
PAGES = print_edition.toc_pages()
LESSONS = print_edition.lesson_pages(PAGES)
SCREENSHOTS = BUILD / "screenshots"


def letters(value: str) -> str:
    """Only the letters, lower case: PDF text comes with its own line breaks, page numbers and margin
    numbers in between, so words are compared as a stream of letters."""
    return re.sub(r"[^a-zа-яäöüß]", "", unicodedata.normalize("NFKC", value).lower())


@pytest.fixture(scope="session")
def editions(html_dir):
    """Make the PDFs and the EPUB from the session's build, once per test run."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")   # one run, several workers: the first makes them
    lock = Path(tempfile.gettempdir()) / f"buber-course-editions-{hashlib.sha1(bytes(ROOT)).hexdigest()[:12]}.lock"
    with exclusive(lock):
        done = print_edition.PDF_DIR / f".made-{run}"
        if not (run and done.exists()):
            # As `make pdf` and `make epub` run them; in a process of their own, since Playwright's
            # sync API cannot start inside this session's running browser fixture.
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
            for what in ("pdf", "epub"):
                result = subprocess.run([sys.executable, "-m", "buber_course.print_edition", what], cwd=ROOT, env=env,
                                        capture_output=True, text=True)
                assert result.returncode == 0, f"make {what} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
            done.write_text("")
    return {"pdf": print_edition.PDF_DIR, "epub": print_edition.EPUB_DIR / "lenin-and-the-renewal-of-society.epub"}


@pytest.fixture(scope="session")
def course_pdf(editions):
    return pypdf.PdfReader(editions["pdf"] / print_edition.COURSE_PDF)


@pytest.fixture(scope="session")
def course_text(course_pdf) -> str:
    return "\n".join(page.extract_text() or "" for page in course_pdf.pages)


def lesson_title(page) -> str:
    return print_edition.page_title(page)


# --- quick tests: no build ---------------------------------------------------------------------


def test_the_editions_follow_the_table_of_contents():
    assert PAGES[0].docname == "book/intro" and PAGES[0].part == ""
    assert [p.docname for p in LESSONS] == [f"book/lessons/lesson-{n}" for n in range(1, 9)] + ["book/lessons/conclusion"]
    assert {p.part for p in PAGES[1:]} >= {"The chapter", "Lessons", "Exercises", "Reference"}


def test_a_pending_download_entry_is_shown_only_once_its_pdf_exists():
    entry = ('<a href="../../_downloads/print/{name}" target="_blank"\n   class="btn btn-sm btn-{kind}-pdf '
             'print-edition-pending dropdown-item"')
    page = entry.format(name="lesson-2.pdf", kind="page") + entry.format(name=print_edition.COURSE_PDF, kind="course")
    shown = menu._show_present(page, {print_edition.COURSE_PDF})
    assert shown.count(menu.PENDING) == 1 and "lesson-2.pdf" in shown.split(menu.PENDING)[0]
    assert menu._show_present(page, set()) == page


def test_the_print_stylesheet_leaves_out_the_screen_and_the_solutions():
    css = (ROOT / "buber_course" / "sphinx_ext" / "static" / "print.css").read_text()
    for selector in (".bd-sidebar-primary", ".bd-header-article", ".prev-next-area", "details.quiz-solution",
                     "details.model-answer", "form.quiz input", ".search-button"):
        assert selector in css
    assert 'content: " <" attr(href) ">"' in css


# --- the built book: stylesheet and download menu ----------------------------------------------


def test_every_page_loads_the_print_stylesheet_for_print_only(html_dir):
    for path in built_pages(html_dir):
        links = BeautifulSoup((html_dir / path).read_text(encoding="utf-8"), "html.parser").select('link[href*="print.css"]')
        assert len(links) == 1 and links[0].get("media") == "print", path


def test_every_page_offers_the_course_pdf_and_a_lesson_its_own(editions, html_dir, site):
    import urllib.request

    for page in PAGES:
        soup = BeautifulSoup((html_dir / f"{page.docname}.html").read_text(encoding="utf-8"), "html.parser")
        menu_items = soup.select(".dropdown-download-buttons .dropdown-menu a")
        hrefs = {a["href"].rsplit("/", 1)[-1]: a for a in menu_items if a["href"].endswith(".pdf")}
        expected = {print_edition.COURSE_PDF} | ({print_edition.lesson_pdf_name(page)} if page in LESSONS else set())
        assert set(hrefs) == expected, page.docname
        for name, link in hrefs.items():
            assert menu.PENDING not in link.get("class", []), f"{page.docname}: {name} is still hidden"
            assert (html_dir / page.docname).parent.joinpath(link["href"]).resolve().is_file()
    with urllib.request.urlopen(f"{site}/_downloads/print/lesson-3.pdf") as response:
        assert response.status == 200 and response.read().startswith(b"%PDF-")


# --- the course's PDF --------------------------------------------------------------------------


def test_the_course_pdf_holds_every_paragraph_and_every_lesson(course_pdf, course_text):
    assert len(course_pdf.pages) > 100
    stream = letters(course_text)
    for paragraph in CHAPTER.paragraphs:
        opening = letters(" ".join(paragraph.text.split()[:8]))
        assert opening in stream, f"paragraph {paragraph.number} ({paragraph.text[:60]!r}) is not in the PDF"
    for lesson in LESSONS:
        assert letters(lesson_title(lesson)) in stream, lesson.docname
    assert len(CHAPTER.paragraphs) == 51  # the chapter's paragraphs in the scan (54 blocks less 3 title lines): all looked for


def test_the_course_pdf_has_a_title_page_with_the_citation(course_pdf):
    first = " ".join(course_pdf.pages[0].extract_text().split())
    cite = print_edition.citation()
    assert cite["title"].split(":")[0] in first and "Cite the course as" in first
    assert letters(cite["url"]) in letters(first)
    assert course_pdf.metadata.title == cite["title"]


def test_the_course_pdf_prints_exercises_without_their_solutions(course_text):
    for screen_only in ("Show the answer", "Check your answer here", "Show a model answer", "Clear my answers"):
        assert screen_only not in course_text
    assert "Question 1" in course_text


def test_the_course_pdf_keeps_the_page_markers(course_pdf):
    reading = next(i for i, item in enumerate(course_pdf.outline) if getattr(item, "title", "") == "The chapter")
    start = course_pdf.get_destination_page_number(course_pdf.outline[reading])
    words = set(" ".join(p.extract_text() for p in course_pdf.pages[start:start + 25]).split())
    missing = [n for n in range(text.FIRST_PAGE, text.LAST_PAGE + 1) if str(n) not in words]
    assert not missing, f"page markers missing from the printed reading text: {missing}"


def test_the_course_pdf_has_an_outline_of_parts_pages_and_lessons(course_pdf):
    top = [item.title for item in course_pdf.outline if not isinstance(item, list)]
    assert {p.part for p in PAGES if p.part} <= set(top)
    titles = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)
    walk(course_pdf.outline)
    for lesson in LESSONS:
        assert lesson_title(lesson) in titles, f"{lesson_title(lesson)!r} not in the outline"


def test_the_course_pdf_links_inside_itself(course_pdf):
    internal = external = 0
    for page in course_pdf.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action else ""
            assert not uri.startswith("file:"), f"a link to a file on the machine that printed it: {uri}"
            if "/Dest" in annotation or (action and action.get_object().get("/S") == "/GoTo"):
                internal += 1
            elif uri:
                external += 1
    assert internal > 200 and external > 20, (internal, external)


def fonts(reader) -> dict[str, bool]:
    """Every font the PDF uses, and whether its glyphs are embedded."""
    found = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        for font in (resources.get_object().get("/Font") or {}).values() if resources else []:
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for d in descendants:
                descriptor = d.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                embedded = font.get("/Subtype") == "/Type3" or any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(d.get("/BaseFont", font.get("/BaseFont")))] = embedded
    return found


def test_the_pdfs_embed_their_fonts_and_print_cyrillic_and_german(course_pdf, course_text, editions):
    used = fonts(course_pdf)
    assert used and all(used.values()), {name: e for name, e in used.items() if not e}
    flat = " ".join(course_text.split())
    assert "сочинял" in flat and "сфантазировал" in flat      # Lenin's Russian (lesson 1)
    assert re.search(r"D[üu]hring|Zürich|Müllberger|für", flat) and "ü" in flat   # German names and titles
    lesson = pypdf.PdfReader(editions["pdf"] / "lesson-1.pdf")
    assert all(fonts(lesson).values())


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.docname.rsplit("/", 1)[1])
def test_each_lesson_has_its_own_pdf(editions, lesson):
    reader = pypdf.PdfReader(editions["pdf"] / print_edition.lesson_pdf_name(lesson))
    assert 1 < len(reader.pages) < 60
    assert letters(lesson_title(lesson)) in letters(reader.pages[0].extract_text() + reader.pages[1].extract_text())
    assert reader.metadata.title == lesson_title(lesson)


# --- the EPUB -----------------------------------------------------------------------------------


def test_the_epub_is_a_zip_with_its_documents_and_page_list(editions):
    with zipfile.ZipFile(editions["epub"]) as epub:
        assert epub.testzip() is None
        names = epub.namelist()
        assert names[0] == "mimetype" and epub.read("mimetype") == b"application/epub+zip"
        assert epub.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        for page in PAGES:
            assert f"OEBPS/{page.docname}.xhtml" in names, page.docname
        nav = BeautifulSoup(epub.read("OEBPS/nav.xhtml"), "html.parser")
        pages = [a["href"] for a in nav.select('nav[epub\\:type="page-list"] a')]
        assert pages == [f"book/reading.xhtml#page-{n}" for n in range(text.FIRST_PAGE, text.LAST_PAGE + 1)]
        reading = epub.read("OEBPS/book/reading.xhtml").decode()
        assert all(f'id="page-{n}"' in reading for n in range(text.FIRST_PAGE, text.LAST_PAGE + 1))
        assert all(f'id="p-{p.number}"' in reading for p in CHAPTER.paragraphs)
        images = [(name, img) for name in names if name.endswith(".xhtml")
                  for img in BeautifulSoup(epub.read(name), "html.parser").find_all("img")]
        assert len(images) >= 10 and all(img.get("alt", "").strip() for _, img in images)
        for name, img in images:
            assert posixpath.normpath(posixpath.join(posixpath.dirname(name), img["src"])) in names, img["src"]
        exercises = epub.read("OEBPS/exercises/lesson-1.xhtml").decode()
        assert "Question 1" in exercises and "quiz-solution" not in exercises and "<form" not in exercises


def test_the_epub_passes_epubcheck(editions):
    check = epubcheck.command()
    if check is None:
        pytest.skip(epubcheck.HOW_TO_INSTALL)
    result = subprocess.run([*check, str(editions["epub"])], capture_output=True, text=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "0 fatals / 0 errors" in report, report[-3000:]


# --- a page printed from the browser -----------------------------------------------------------


def test_a_printed_page_is_the_article_alone_with_its_page_numbers_whole(page, site):
    page.set_viewport_size({"width": 794, "height": 1123})   # A4 at 96 dpi
    page.goto(f"{site}/book/reading.html", wait_until="networkidle")
    page.emulate_media(media="print")
    for furniture in (".bd-sidebar-primary", ".bd-header-article", ".prev-next-area", ".bd-sidebar-secondary",
                      "nav.chapter-jump", ".cite-this"):
        shown = page.evaluate("(s) => [...document.querySelectorAll(s)].filter(e => getComputedStyle(e).display !== 'none' "
                              "&& e.getBoundingClientRect().height > 0).length", furniture)
        assert shown == 0, f"{furniture} prints"
    numbers = page.evaluate("""() => [...document.querySelectorAll('.page-marker .page-number')].map(e => {
        const b = e.getBoundingClientRect();
        return [e.textContent, getComputedStyle(e).display, b.left, b.right, e.scrollWidth <= e.clientWidth + 1];
    })""")
    assert [n[0] for n in numbers] == [str(n) for n in range(text.FIRST_PAGE, text.LAST_PAGE + 1)]
    for number, display, left, right, whole in numbers:
        assert display != "none" and left >= 0 and right <= 794 and whole, f"page {number} prints cut off"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "print-reading.png"))
    assert page.evaluate("getComputedStyle(document.querySelector('.paragraph-number')).display") != "none"


def test_a_printed_exercise_page_has_its_questions_and_choices_not_the_answers(page, site):
    page.set_viewport_size({"width": 794, "height": 1123})
    page.goto(f"{site}/exercises/lesson-1.html", wait_until="networkidle")
    page.emulate_media(media="print")
    visible = "(s) => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length > 0).length"
    assert page.evaluate(visible, "details.quiz-solution") == 0
    assert page.evaluate(visible, "form.quiz input, form.quiz button") == 0
    assert page.evaluate(visible, "label.quiz-option") > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "print-exercises-lesson-1.png"), full_page=True)
