"""The print and e-reader editions: ``make pdf`` and ``make epub``.

Why these tools. The PDF is Chromium's own print of the built HTML pages, driven by Playwright (both
already used by the tests; Debian's ``chromium`` installs everywhere the course runs). It prints what
readers see, with the book's own stylesheets, its charts as built, and ``print.css``; Chromium embeds
subsets of the fonts, writes a bookmark outline from the headings (``outline=True``), tags the PDF for
screen readers (``tagged=True``) and numbers the pages in its footer. WeasyPrint would need the same
stylesheets rewritten for a second engine and does not run the theme's layout; Sphinx's LaTeX builder
would need a TeX installation of several hundred MB with Cyrillic and Greek support, and would lose
the chapter's margin marks and the charts' HTML tables, which are the point of a printed copy.

The course's PDF is ONE combined document, printed once: the article bodies of the built pages in
``_toc.yml`` order, under a title page with the course's citation (from ``CITATION.cff``) and a
contents list. Each page's ids are prefixed with the page's name (``book-reading--page-113``) and every
link between pages is rewritten to those ids, so the links work inside the PDF; the outline follows the
parts (level 1) and pages (level 2). Exercises are printed without their solutions and answer forms
(their choices stay, as a list). Each lesson is printed alone as well (``lesson-N.pdf``, a handout),
with links to the rest of the book kept as plain text. The PDFs go to ``_build/pdf/`` and into the
built book's ``_downloads/print/``, where the download menu's entries point
(``buber_course.sphinx_ext.print_edition``).

The EPUB is made from the same article bodies (``buber_course.epub_edition``, which says why not with
Sphinx's epub builder); neither edition touches the HTML build or its incremental state.
"""

from __future__ import annotations

import argparse
import html
import os
import posixpath
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup

from . import citation as buber  # Buber's chapter (``citation()`` below is the course's own)
from .paths import ROOT
from .text import FIRST_PAGE, LAST_PAGE

BUILD = ROOT / "_build"
HTML = BUILD / "html"
PDF_DIR = BUILD / "pdf"
EPUB_DIR = BUILD / "epub"
WORK = PDF_DIR / ".work"            # the combined HTML documents printed (kept for looking into)
COURSE_PDF = "lenin-and-the-renewal-of-society.pdf"
STYLESHEET = Path(__file__).parent / "sphinx_ext" / "static" / "print.css"
FOOTER = ('<div style="width:100%;font-size:8px;font-family:\'DejaVu Sans\',sans-serif;color:#444;'
          'padding:0 15mm;display:flex;justify-content:space-between">'
          '<span>{title}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}
# Attributes that name an id of the same page.
ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "headers")


@dataclass
class Page:
    docname: str     # "book/reading"
    part: str        # the part's caption in _toc.yml, "" for the root page

    @property
    def slug(self) -> str:
        return self.docname.replace("/", "-")

    @property
    def html_path(self) -> Path:
        return HTML / f"{self.docname}.html"


def toc_pages(toc: Path = ROOT / "_toc.yml") -> list[Page]:
    """The book's pages in reading order, each with its part."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    pages = [Page(data["root"], "")]
    for part in data.get("parts", []):
        for chapter in part.get("chapters", []):
            pages.append(Page(chapter["file"], part["caption"]))
    return pages


def lesson_pages(pages: list[Page]) -> list[Page]:
    return [page for page in pages if page.docname.startswith("book/lessons/")]


def lesson_pdf_name(page: Page) -> str:
    return page.docname.rsplit("/", 1)[1] + ".pdf"


# --- the combined document ---------------------------------------------------------------------


def article(page: Page) -> BeautifulSoup:
    soup = BeautifulSoup(page.html_path.read_text(encoding="utf-8"), "html.parser")
    body = soup.select_one("article.bd-article")
    if body is None:
        raise SystemExit(f"make pdf: {page.html_path} has no article (build the book first: make book)")
    return body


def page_title(page: Page) -> str:
    return article_title(article(page))


def article_title(body) -> str:
    """The text of a page's article's h1 ("" if it has none)."""
    heading = body.find("h1")
    return heading_text(heading) if heading else ""


def heading_text(heading) -> str:
    """A heading's text without its permalink mark."""
    return " ".join(heading.get_text(" ", strip=True).replace("#", "").split())


def strip_for_print(body, keep_navigation: bool = False) -> None:
    """What a printed copy leaves out: solutions, answer forms, the screen's buttons and panels (an
    e-reader keeps the reading text's "go to a page or paragraph" links: ``keep_navigation``)."""
    cuts = ("details.quiz-solution, details.model-answer, .quiz-storage, form.quiz-open, a.headerlink, script, "
            "details.chapter-legend, .cite-this, a.quotation-compare, a.full-size, .correction-scan, button, noscript")
    for node in body.select(cuts if keep_navigation else cuts + ", nav.chapter-jump"):
        node.decompose()
    for form in body.select("form"):
        options = [" ".join(label.get_text(" ", strip=True).split()) for label in form.select("label.quiz-option")]
        if options:
            soup = BeautifulSoup("", "html.parser")
            block = soup.new_tag("div", attrs={"class": "print-options"})
            block.extend(soup.new_tag("p", string=text) for text in options)
            form.replace_with(block)
        else:
            form.decompose()
    for details in body.select("details"):
        details["open"] = ""


def relink(body, page: Page, targets: dict[str, str], resource_base: Path) -> None:
    """Prefix the page's ids, point links between pages at those ids (or drop them to plain text when
    the target is not in this document) and point images and styles at the built book's files."""
    prefix = page.slug + "--"
    ids = {node["id"] for node in body.find_all(id=True)}
    for node in body.find_all(id=True):
        node["id"] = prefix + node["id"]
    for name in ID_REFERENCES:
        for node in body.find_all(attrs={name: True}):
            value = node[name]
            words = value if isinstance(value, list) else value.split()
            node[name] = " ".join(prefix + w if w in ids else w for w in words)
    for style in body.find_all("style"):
        style.string = re.sub(r"#([A-Za-z][\w-]*)", lambda m: "#" + prefix + m.group(1) if m.group(1) in ids
                              else m.group(0), style.string or "")
    here = posixpath.dirname(page.docname)
    for link in body.find_all("a", href=True):
        href = link["href"]
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto"):
            if " ".join(link.get_text(" ", strip=True).split()) in (href, href.rstrip("/")):
                link["class"] = [*link.get("class", []), "url-shown"]
            continue
        if not parts.path:       # "#frag" on the same page
            link["href"] = "#" + prefix + parts.fragment if parts.fragment in ids else "#" + page.slug
            continue
        target = posixpath.normpath(posixpath.join(here, parts.path))
        docname = target[:-5] if target.endswith(".html") else None
        if docname in targets:
            link["href"] = "#" + targets[docname] + ("--" + parts.fragment if parts.fragment else "")
        else:            # a file or page not in this document: the text stays, with its classes
            link.name = "span"
            for name in ("href", "target", "rel", "tabindex"):
                link.attrs.pop(name, None)
    for node in body.find_all(src=True):
        source = node["src"]
        if not urlsplit(source).scheme:
            node["src"] = os.path.relpath(HTML / posixpath.normpath(posixpath.join(here, source)), resource_base)
        for name in ("loading", "decoding", "fetchpriority"):  # a printed page loads every image at once
            node.attrs.pop(name, None)


def citation() -> dict:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    authors = ", ".join(a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
                        for a in cff["authors"])
    year = str(cff["date-released"])[:4]
    return {"title": cff["title"], "authors": authors, "year": year, "version": cff.get("version", ""),
            "url": cff["repository-code"], "date": str(cff["date-released"])}


def head(resource_base: Path, title: str) -> str:
    """The built book's stylesheets (as the reading page links them) and the print stylesheet."""
    page = BeautifulSoup((HTML / "book" / "reading.html").read_text(encoding="utf-8"), "html.parser")
    links = []
    for link in page.select('link[rel="stylesheet"]'):
        href = urlsplit(link["href"]).path
        path = HTML / posixpath.normpath(posixpath.join("book", href))
        media = link.get("media", "all")
        links.append(f'<link rel="stylesheet" href="{os.path.relpath(path, resource_base)}" media="{media}">')
    if not any("print.css" in line for line in links):
        links.append(f'<link rel="stylesheet" href="{os.path.relpath(STYLESHEET, resource_base)}" media="print">')
    extra = ("<style>.print-title-page{break-after:page;padding-top:30mm}"
             ".print-title-page .print-course-title{font-weight:700;font-size:2.2rem;margin:0 0 .5rem}"
             ".print-title-page .print-subtitle{font-size:1.2rem;margin:0 0 2rem}"
             ".print-title-page blockquote{border-left:3px solid #999;padding-left:.8rem;margin:1rem 0;color:#000}"
             ".print-contents{break-after:page} .print-contents ul{list-style:none;padding-left:1rem}"
             ".print-contents li{margin:.1rem 0} .print-part-title{break-before:page;font-size:2rem;margin-top:40mm}"
             ".print-page{break-before:page} .print-part-title + .print-page{break-before:auto}"
             ".print-options p{margin:.1rem 0 .1rem 1.2rem}"
             # the theme's print rule hides a page's first h1 (it prints its own title block instead)
             ".bd-main .bd-content .bd-article h1:first-of-type{display:block}</style>")
    return (f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            + "".join(links) + extra + "</head>")


def title_page(cite: dict, subtitle: str = "") -> str:
    main, _, rest = cite["title"].partition(": ")
    course = (f"{cite['authors']}, <cite>{html.escape(cite['title'])}</cite>, version {html.escape(cite['version'])}, "
              f"{cite['year']}, {html.escape(cite['url'])}.")
    chapter = buber.chicago((FIRST_PAGE, LAST_PAGE), book=f"<cite>{html.escape(buber.BOOK)}</cite>")
    return (f'<section class="print-title-page"><p class="print-course-title">{html.escape(main)}</p>'
            f'<p class="print-subtitle">{html.escape(rest)}</p>'
            + (f"<p><strong>{html.escape(subtitle)}</strong></p>" if subtitle else "")
            + f"<p>{html.escape(cite['authors'])}, {cite['year']} (version {html.escape(cite['version'])}, "
            f"released {html.escape(cite['date'])})</p>"
            f"<p>Cite the course as:</p><blockquote>{course}</blockquote>"
            f"<p>Cite Buber's chapter by the page of the printed book (in the right margin of the reading text), "
            f"for example:</p><blockquote>{chapter}</blockquote>"
            f"<p>The course on the web, with its notebooks, data and exercises: {html.escape(cite['url'])}. "
            f"This copy was printed from the built book on {time.strftime('%Y-%m-%d')}; exercises appear without "
            f"their solutions.</p></section>")


def course_document(pages: list[Page]) -> str:
    WORK.mkdir(parents=True, exist_ok=True)
    cite = citation()
    targets = {page.docname: page.slug for page in pages}
    contents, body, part = [], [], None
    for page in pages:
        node = article(page)
        title = article_title(node)
        strip_for_print(node)
        relink(node, page, targets, WORK)
        if page.part and page.part != part:
            part = page.part
            body.append(f'<h1 class="print-part-title" id="part-{len(contents)}">{html.escape(part)}</h1>')
            contents.append(f'</ul><p><strong>{html.escape(part)}</strong></p><ul>')
        if page.part:  # a page is a level below its part
            for heading in node.find_all(re.compile(r"^h[1-6]$")):
                heading.name = f"h{min(6, int(heading.name[1]) + 1)}"
        contents.append(f'<li><a href="#{page.slug}">{html.escape(title)}</a></li>')
        node.name = "section"
        node["class"] = ["bd-article", "print-page"]
        node["id"] = page.slug
        body.append(str(node))
    toc = '<nav class="print-contents" id="contents"><h1>Contents</h1><ul>' + "".join(contents) + "</ul></nav>"
    return (head(WORK, cite["title"]) + '<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">'
            + title_page(cite) + toc + "".join(body) + "</div></div></main></body></html>")


def lesson_document(page: Page) -> str:
    cite = citation()
    node = article(page)
    strip_for_print(node)
    relink(node, page, {page.docname: page.slug}, WORK)
    node.name = "section"
    node["class"] = ["bd-article"]
    node["id"] = page.slug
    note = (f'<p class="print-handout-note">From <cite>{html.escape(cite["title"])}</cite>, {cite["year"]}, '
            f'{html.escape(cite["url"])}. Printed without the solutions of its exercises.</p>')
    return (head(WORK, page_title(page)) + '<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">'
            + note + str(node) + "</div></div></main></body></html>")


# --- printing ---------------------------------------------------------------------------------


def chromium_path() -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    import chromium  # tests/chromium.py: the one rule for finding the browser

    found = chromium.find()
    if found is None:
        raise SystemExit(f"make pdf: {chromium.HOW_TO_INSTALL}")
    return found


def print_pdf(browser, document: str, name: str, footer_title: str, title: str) -> Path:
    source = WORK / (Path(name).stem + ".html")
    source.write_text(document, encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(source.as_uri(), wait_until="load")
        page.emulate_media(media="print")
        target = PDF_DIR / name
        page.pdf(path=str(target), format="A4", margin=MARGIN, print_background=False, outline=True, tagged=True,
                 display_header_footer=True, header_template="<span></span>",
                 footer_template=FOOTER.format(title=html.escape(footer_title)))
    finally:
        page.close()
    mend_outline(target, document, title)
    return target


def mend_outline(target: Path, document: str, title: str) -> None:
    """Chromium 156 writes an outline entry's title from the heading as laid out, without the space
    at each line break ("Lenin'sreading"). Put back each heading's own text, and the document's title
    and author in its metadata. The file is updated incrementally: Chromium's objects (the tagged
    structure, fonts, links) stay as written."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    headings = {}
    for heading in BeautifulSoup(document, "html.parser").find_all(re.compile(r"^h[1-6]$")):
        text = " ".join(heading.get_text(" ", strip=True).split())
        headings.setdefault(re.sub(r"\s+", "", text), text)
    writer = PdfWriter(target, incremental=True)

    def items(node):
        child = node.get("/First")
        while child is not None:
            item = child.get_object()
            yield item
            yield from items(item)
            child = item.get("/Next")

    outlines = writer._root_object.get("/Outlines")
    for item in items(outlines.get_object()) if outlines is not None else ():
        key = re.sub(r"\s+", "", str(item.get("/Title", "")))
        half = key[:len(key) // 2]
        if key not in headings and key == half * 2 and half in headings:
            key = half           # a heading laid out across a page break is named twice
        if key in headings:
            item[NameObject("/Title")] = TextStringObject(headings[key])
    writer.add_metadata({"/Title": title, "/Author": citation()["authors"],
                         "/Subject": f"{buber.AUTHOR}, {buber.BOOK}, ch. {buber.CHAPTER}, {buber.CHAPTER_TITLE}"})
    partial = target.with_suffix(".tmp")
    with partial.open("wb") as handle:
        writer.write(handle)
    os.replace(partial, target)


def make_pdf(only: list[str] | None = None) -> list[Path]:
    """The course's PDF and one per lesson, from the built HTML book; returns the files written."""
    from playwright.sync_api import sync_playwright

    from .sphinx_ext.print_edition import publish

    if not (HTML / "index.html").is_file():
        raise SystemExit("make pdf: no built book in _build/html (run make book first)")
    pages = toc_pages()
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            cite = citation()
            if only is None or "course" in only:
                written.append(print_pdf(browser, course_document(pages), COURSE_PDF, cite["title"].split(":")[0],
                                         cite["title"]))
            for page in lesson_pages(pages):
                name = lesson_pdf_name(page)
                if only is None or name[:-4] in only:
                    title = page_title(page)
                    written.append(print_pdf(browser, lesson_document(page), name, title, title))
        finally:
            browser.close()
    publish(HTML, sorted(PDF_DIR.glob("*.pdf")))
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["pdf", "epub"])
    parser.add_argument("--only", nargs="*", help="pdf: only these (course, lesson-3, ...)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.what == "pdf":
        files = make_pdf(args.only)
    else:
        from .epub_edition import make_epub

        files = [make_epub()]
    for path in files:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1e6:.2f} MB")
    print(f"make {args.what}: {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
