"""The print edition in the web book: the print stylesheet on every page, and the course's PDFs in the
theme's download menu.

- ``print.css`` is added to every page with ``media="print"``: a screen never applies it (the browser
  still fetches it, at low priority and without blocking the page's rendering).
- sphinx-book-theme 1.3.0 builds the article header's download dropdown from
  ``context["header_buttons"]`` in an ``html-page-context`` handler at priority 501
  (``header_buttons.add_header_buttons``: the group labelled ``download-buttons``). The handler here runs
  after it and appends link entries to that group, the theme's documented button dicts: the lesson's
  own PDF on a lesson page, and the course's PDF on every page. The theme's ".pdf" entry, which
  calls ``window.print()``, is renamed "Print": with the print stylesheet it prints a clean handout.
- The PDFs are made from the built book by ``make pdf`` (``buber_course.print_edition``), which writes
  them into ``_build/pdf/`` and copies them into ``_build/html/_downloads/print/``. A build that finds
  them in ``_build/pdf/`` copies them there itself, so a later ``make book`` keeps the links working.
  Before any PDF exists, the entries are rendered but hidden (class ``print-edition-pending``, which
  ``course.css`` sets to ``display: none``): no reader sees a link that leads nowhere. ``make pdf``
  then removes that class from exactly those entries in the built pages (``publish`` below).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

COURSE_PDF = "lenin-and-the-renewal-of-society.pdf"
DOWNLOADS = "_downloads/print"   # inside the HTML output
PENDING = "print-edition-pending"


def page_pdf(pagename: str) -> str | None:
    """The PDF of its own a page has: the lessons and the conclusion (``book/lessons/lesson-3`` ->
    ``lesson-3.pdf``)."""
    return pagename.rsplit("/", 1)[1] + ".pdf" if pagename.startswith("book/lessons/") else None


def pdf_dir(app) -> Path:
    return Path(app.outdir).parent / "pdf"


def add_download_entries(app, pagename, templatename, context, doctree):
    if app.builder.name != "html":
        return
    group = next((b for b in context.get("header_buttons", []) if b.get("label") == "download-buttons"), None)
    if group is None:
        return
    for button in group["buttons"]:
        if button.get("label") == "download-pdf-button":
            button.update(text="Print", tooltip="Print this page (a clean handout without menus)")
    pathto = context["pathto"]
    built = pdf_dir(app)

    def entry(filename, text, tooltip, icon, label):
        pending = "" if (built / filename).is_file() else f" {PENDING}"
        return {"type": "link", "url": pathto(f"{DOWNLOADS}/{filename}", 1), "text": text, "tooltip": tooltip,
                "icon": icon, "label": label + pending}

    own = page_pdf(pagename)
    if own:
        title = "Lesson " + own[len("lesson-"):-4] if own.startswith("lesson-") else "This page"
        group["buttons"].append(entry(own, f"{title} (PDF)", "Download this page as a PDF handout",
                                      "fas fa-file-pdf", "page-pdf"))
    group["buttons"].append(entry(COURSE_PDF, "Course (PDF)", "Download the whole course as one PDF",
                                  "fas fa-book", "course-pdf"))


def copy_built_pdfs(app, exception) -> None:
    if exception is None and app.builder.name == "html" and pdf_dir(app).is_dir():
        target = Path(app.outdir) / DOWNLOADS
        for pdf in pdf_dir(app).glob("*.pdf"):
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(pdf, target / pdf.name)


def publish(html_dir: Path, pdfs: list[Path]) -> int:
    """Copy the PDFs into the built book and show their menu entries; returns the pages changed.
    Each page is replaced whole (written beside it, then renamed), so a reader never sees half a page."""
    target = html_dir / DOWNLOADS
    target.mkdir(parents=True, exist_ok=True)
    for pdf in pdfs:
        shutil.copy2(pdf, target / pdf.name)
    present = {pdf.name for pdf in pdfs}
    changed = 0
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if PENDING not in text:
            continue
        new = _show_present(text, present)
        if new != text:
            partial = page.with_name(page.name + ".tmp")
            partial.write_text(new, encoding="utf-8")
            os.replace(partial, page)
            changed += 1
    return changed


# A pending entry as the theme's link macro prints it; its href ends in the PDF's file name.
ENTRY = re.compile(r'(<a href="[^"]*?([^"/]+\.pdf)"\s+target="_blank"\s+class="btn btn-sm btn-(?:page|course)-pdf) '
                   + PENDING)


def _show_present(text: str, present: set[str]) -> str:
    """Drop the pending class from the entries whose PDF was made."""
    return ENTRY.sub(lambda m: m.group(1) if m.group(2) in present else m.group(0), text)


def setup(app):
    app.add_css_file("print.css", media="print")
    app.connect("html-page-context", add_download_entries, priority=600)
    app.connect("build-finished", copy_built_pdfs)
