"""``make epub``: an EPUB 3 of the course, made from the built HTML book.

Why not Sphinx's epub builder: tried first (``jupyter-book build --builder custom --custom-builder
epub``, in folders of its own). With the external table of contents its navigation held one entry
(the root page) and its spine eight items that are not in its manifest (the exercise pages); the raw
HTML of the course's directives (answer forms, ``<input>`` without end tags, ``<style>`` in the body,
scripts) made files that are not XHTML, and epubcheck reported 12 fatal errors and 797 errors. Mending
that output would mean patching the builder; the book's own pages are already built and checked.

So the EPUB is written here from the built pages' article bodies, the way the PDF is
(``print_edition``: the same reading order, and the same cuts: no solutions, answer forms, buttons or
scripts). Each page is one XHTML document that keeps its ids, so the reading text's ``page-NNN`` and
``p-N`` anchors, the apparatus entries and the glossary terms stay link targets; links between pages
point at the other documents; links that lead outside the book (downloads, the search page) become
plain text. The navigation document holds the parts, their pages and each page's sections, and a
``page-list`` that maps the printed book's pages 99-128 to the reading text's page anchors, so an
e-reader's "go to page" follows Buber's pagination. Figures keep their alt texts (the inline SVG chart
of the quotations page keeps its ``role="img"`` and ``aria-label``). A short stylesheet of its own sets
the chapter's marks inline (e-readers have no margins to put them in). Checked by ``epubcheck``
(tests/test_print.py).
"""

from __future__ import annotations

import html
import posixpath
import re
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from . import citation as buber
from .print_edition import (EPUB_DIR, HTML, Page, article, article_title, citation, heading_text, strip_for_print,
                            toc_pages)
from .text import FIRST_PAGE, LAST_PAGE

EPUB = EPUB_DIR / "lenin-and-the-renewal-of-society.epub"
XHTML_NS, EPUB_NS, SVG_NS, XLINK_NS = ("http://www.w3.org/1999/xhtml", "http://www.idpf.org/2007/ops",
                                       "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}
# html.parser lowers every name; SVG's mixed-case ones are put back.
SVG_NAMES = {name.lower(): name for name in (
    "viewBox", "preserveAspectRatio", "textLength", "lengthAdjust", "gradientUnits", "gradientTransform",
    "patternUnits", "clipPathUnits", "markerWidth", "markerHeight", "refX", "refY", "linearGradient",
    "radialGradient", "clipPath", "textPath", "foreignObject", "markerUnits", "stdDeviation")}
NAMESPACED = {"xlink:href": f"{{{XLINK_NS}}}href", "epub:type": f"{{{EPUB_NS}}}type"}  # other prefixed names are dropped
DROP_ATTRIBUTES = {"loading", "decoding", "fetchpriority", "tabindex", "onclick", "target", "rel", "xmlns", "xmlns:xlink", "version"}

STYLESHEET = """\
body { font-family: serif; line-height: 1.5; margin: 0 .5em; }
h1, h2, h3, h4 { font-family: sans-serif; line-height: 1.25; page-break-after: avoid; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; } h3 { font-size: 1.1em; }
p.part-title { font-family: sans-serif; font-size: 1.8em; font-weight: bold; margin-top: 30%; text-align: center; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.chapter-text-excerpt { border-left: 3px solid #999; padding-left: .6em; margin: 1em 0; }
.chapter-text-caption { font-family: sans-serif; font-size: .85em; color: #444; }
a.paragraph-number { font-family: sans-serif; font-size: .75em; font-weight: bold; margin-right: .4em; color: #444; text-decoration: none; }
a.page-marker { font-family: sans-serif; color: #444; text-decoration: none; }
a.page-marker::before { content: "|"; padding: 0 .1em; }
a.page-marker .page-number { font-size: .7em; font-weight: bold; vertical-align: super; }
a.correction, a.query { color: inherit; text-decoration: underline dotted; }
.correction-scan { display: none; }
nav.chapter-jump { font-family: sans-serif; font-size: .85em; }
nav.chapter-jump a { display: inline-block; min-width: 1.8em; text-align: center; }
table { border-collapse: collapse; font-size: .8em; margin: .5em 0 1em; }
th, td { border-bottom: 1px solid #bbb; padding: .2em .4em; text-align: left; vertical-align: top; }
caption { font-weight: bold; text-align: left; padding-bottom: .3em; }
pre { white-space: pre-wrap; font-size: .8em; background: #f4f4f4; padding: .4em; }
img, svg { max-width: 100%; height: auto; }
.errata-notice { border-left: 4px solid #c60; padding: .3em .6em; }
.print-options p { margin: .1em 0 .1em 1.2em; }
blockquote { margin: 1em 1.5em; }
dt { font-weight: bold; }
"""


def serialize(tag: Tag, svg: bool = False) -> ET.Element:
    """A parsed HTML element as an XHTML (or SVG) element: void elements close, names keep their case."""
    svg = svg or tag.name == "svg"
    name = SVG_NAMES.get(tag.name, tag.name)
    element = ET.Element(f"{{{SVG_NS}}}{name}" if svg else f"{{{XHTML_NS}}}{name}")
    for key, value in tag.attrs.items():
        if key in DROP_ATTRIBUTES or key.startswith("on") or (":" in key and key not in NAMESPACED):
            continue
        value = " ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
        element.set(NAMESPACED.get(key) or (SVG_NAMES.get(key, key) if svg else key), value)
    last = None
    for child in tag.children:
        if isinstance(child, Tag):
            if ":" in child.name or (svg and child.name == "metadata"):
                continue          # an SVG's RDF metadata (matplotlib's): nothing a reader sees
            last = serialize(child, svg)
            element.append(last)
        elif type(child) is NavigableString:  # plain text only, none of its subclasses (comments, CDATA...)
            if last is None:
                element.text = (element.text or "") + str(child)
            else:
                last.tail = (last.tail or "") + str(child)
    return element


def xhtml_document(title: str, body: list[Tag] | Tag, styles: list[str], depth: int, epub_type: str = "") -> bytes:
    """One XHTML content document; ``depth`` is how many folders down it lies (for the stylesheet)."""
    for prefix, uri in (("", XHTML_NS), ("epub", EPUB_NS), ("svg", SVG_NS), ("xlink", XLINK_NS)):
        ET.register_namespace(prefix, uri)
    root = ET.Element(f"{{{XHTML_NS}}}html", {"lang": "en", "xml:lang": "en"})
    head = ET.SubElement(root, f"{{{XHTML_NS}}}head")
    ET.SubElement(head, f"{{{XHTML_NS}}}meta", {"charset": "utf-8"})
    ET.SubElement(head, f"{{{XHTML_NS}}}title").text = title
    ET.SubElement(head, f"{{{XHTML_NS}}}link", {"rel": "stylesheet", "type": "text/css",
                                                "href": "../" * depth + "epub.css"})
    if styles:
        ET.SubElement(head, f"{{{XHTML_NS}}}style").text = "\n".join(styles)
    body_element = ET.SubElement(root, f"{{{XHTML_NS}}}body", {f"{{{EPUB_NS}}}type": epub_type} if epub_type else {})
    for node in body if isinstance(body, list) else [body]:
        body_element.append(serialize(node))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + ET.tostring(root, encoding="unicode")).encode()


def fragment(soup_text: str) -> list[Tag]:
    return [n for n in BeautifulSoup(soup_text, "html.parser").contents if isinstance(n, Tag)]


def make_epub() -> Path:
    if not (HTML / "index.html").is_file():
        raise SystemExit("make epub: no built book in _build/html (run make book first)")
    cite = citation()
    pages = toc_pages()
    documents = {page.docname: f"{page.docname}.xhtml" for page in pages}
    bodies, ids, titles, sections = {}, {}, {}, {}
    for page in pages:
        body = article(page)
        titles[page.docname] = article_title(body)
        strip_for_print(body, keep_navigation=True)
        for node in body.select("svg metadata"):
            node.decompose()
        bodies[page.docname] = body
        ids[page.docname] = {node["id"] for node in body.find_all(id=True)}
        for name in ("aria-describedby", "aria-labelledby", "aria-controls", "for", "headers"):
            for node in body.find_all(attrs={name: True}):   # an id cut with what it named (a scan's reading)
                value = node[name] if isinstance(node[name], list) else node[name].split()
                kept = [word for word in value if word in ids[page.docname]]
                if kept:
                    node[name] = " ".join(kept)
                else:
                    del node[name]
        sections[page.docname] = [(target, heading_text(h)) for h in body.find_all("h2")
                                  if (target := heading_target(h))]
    images: dict[str, Path] = {}
    files: dict[str, bytes] = {}
    for page in pages:
        body = bodies[page.docname]
        styles = [style.extract().get_text() for style in body.find_all("style")]
        relink_epub(body, page, posixpath.dirname(page.docname), documents, ids, images)
        files[documents[page.docname]] = xhtml_document(titles[page.docname], body, styles,
                                                       page.docname.count("/"))
    files["title.xhtml"] = xhtml_document(cite["title"], fragment(title_page(cite)), [], 0, "frontmatter")
    files["nav.xhtml"] = navigation(pages, documents, titles, sections, ids)
    files["epub.css"] = STYLESHEET.encode("utf-8")
    files |= {name: path.read_bytes() for name, path in images.items()}
    files["content.opf"] = package(cite, pages, documents, files)
    EPUB_DIR.mkdir(parents=True, exist_ok=True)
    partial = EPUB.with_suffix(".tmp")
    with zipfile.ZipFile(partial, "w") as epub:
        epub.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        epub.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in files.items():
            epub.writestr(f"OEBPS/{name}", data, compress_type=zipfile.ZIP_DEFLATED)
    partial.replace(EPUB)
    return EPUB


def heading_target(heading: Tag) -> str | None:
    """The id a heading is reached by: its own, or that of the section it opens."""
    if heading.get("id"):
        return heading["id"]
    section = heading.parent
    if section is not None and section.name == "section" and section.get("id") and \
            section.find(re.compile(r"^h[1-6]$")) is heading:
        return section["id"]
    return None


def relink_epub(body: Tag, page: Page, here: str, documents: dict, ids: dict, images: dict) -> None:
    own = documents[page.docname]
    for link in body.find_all("a", href=True):
        parts = urlsplit(link["href"])
        if parts.scheme in ("http", "https", "mailto"):
            continue
        if not parts.path:
            if parts.fragment and parts.fragment not in ids[page.docname]:
                del link["href"]
            continue
        target = posixpath.normpath(posixpath.join(here, parts.path))
        docname = target[:-5] if target.endswith(".html") else None
        if docname in documents:
            href = posixpath.relpath(documents[docname], posixpath.dirname(own))
            if parts.fragment and parts.fragment in ids[docname]:
                href += "#" + parts.fragment
            link["href"] = href
        else:
            link.name = "span"
            for name in ("href", "download", "hreflang", "type", "target", "rel"):
                link.attrs.pop(name, None)
    for image in body.find_all("img", src=True):
        source = image["src"]
        if urlsplit(source).scheme:
            continue
        target = posixpath.normpath(posixpath.join(here, source))
        path = HTML / target
        if path.suffix.lower() not in MEDIA_TYPES or not path.is_file():
            image.decompose()
            continue
        images[target] = path
        image["src"] = posixpath.relpath(target, posixpath.dirname(own))
        if not image.get("alt"):
            image["alt"] = ""


def title_page(cite: dict) -> str:
    main, _, rest = cite["title"].partition(": ")
    return (f'<section><h1>{html.escape(main)}</h1><p><em>{html.escape(rest)}</em></p>'
            f"<p>{html.escape(cite['authors'])}, {cite['year']} (version {html.escape(cite['version'])})</p>"
            f"<p>Cite the course as: {html.escape(cite['authors'])}, <cite>{html.escape(cite['title'])}</cite>, "
            f"version {html.escape(cite['version'])}, {cite['year']}, {html.escape(cite['url'])}.</p>"
            "<p>Cite Buber's chapter by the page of the printed book: the reading text marks each page with a bar "
            f"and its number, and this book's page list takes an e-reader's \"go to page\" to pages {FIRST_PAGE}-{LAST_PAGE}.</p>"
            f"<p>The course on the web, with its notebooks, data and exercises: {html.escape(cite['url'])}. "
            f"Exercises appear here without their solutions. Made from the built book on {time.strftime('%Y-%m-%d')}.</p>"
            "</section>")


def navigation(pages, documents, titles, sections, ids) -> bytes:
    items, part, open_part = [], None, False
    for page in pages:
        if page.part != part:
            if open_part:
                items.append("</ol></li>")
            part = page.part
            if part:
                items.append(f"<li><span>{html.escape(part)}</span><ol>")
                open_part = True
        entries = "".join(f'<li><a href="{documents[page.docname]}#{section}">{html.escape(text)}</a></li>'
                          for section, text in sections[page.docname])
        items.append(f'<li><a href="{documents[page.docname]}">{html.escape(titles[page.docname])}</a>'
                     + (f"<ol>{entries}</ol>" if entries else "") + "</li>")
    if open_part:
        items.append("</ol></li>")
    reading = next(page for page in pages if page.docname.endswith("/reading"))
    page_ids = sorted((int(i[5:]) for i in ids[reading.docname] if re.fullmatch(r"page-\d+", i)))
    page_list = "".join(f'<li><a href="{documents[reading.docname]}#page-{n}">{n}</a></li>' for n in page_ids)
    markup = (f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>'
              f'<li><a href="title.xhtml">Title page and citation</a></li>{"".join(items)}</ol></nav>'
              f'<nav epub:type="page-list" id="page-list" hidden=""><h2>Pages of the printed book</h2>'
              f"<ol>{page_list}</ol></nav>"
              f'<nav epub:type="landmarks" id="landmarks" hidden=""><h2>Landmarks</h2><ol>'
              f'<li><a epub:type="titlepage" href="title.xhtml">Title page</a></li>'
              f'<li><a epub:type="bodymatter" href="{documents[reading.docname]}">The chapter</a></li></ol></nav>')
    return xhtml_document("Contents", fragment(markup), [], 0)


CONTAINER = """<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def package(cite: dict, pages: list[Page], documents: dict, files: dict) -> bytes:
    manifest, ids = [], {}
    for number, name in enumerate(files):
        ids[name] = "nav" if name == "nav.xhtml" else f"item-{number}"
        suffix = Path(name).suffix.lower()
        media = ("application/xhtml+xml" if suffix == ".xhtml" else "text/css" if suffix == ".css"
                 else MEDIA_TYPES.get(suffix))
        if name == "nav.xhtml":
            properties = ' properties="nav"'
        elif suffix == ".xhtml" and b"<svg:svg" in files[name]:
            properties = ' properties="svg"'
        else:
            properties = ""
        manifest.append(f'<item id="{ids[name]}" href="{html.escape(name)}" media-type="{media}"{properties}/>')
    reading_order = ["title.xhtml"] + [documents[page.docname] for page in pages]
    spine = [f'<itemref idref="{ids[name]}"/>' for name in reading_order]
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id">{html.escape(cite['url'])}</dc:identifier>
    <dc:title>{html.escape(cite['title'])}</dc:title>
    <dc:creator>{html.escape(cite['authors'])}</dc:creator>
    <dc:language>en</dc:language>
    <dc:date>{html.escape(cite['date'])}</dc:date>
    <dc:description>A course on chapter {buber.CHAPTER} of {buber.AUTHOR}'s {buber.BOOK} ({buber.YEAR}), pp. {FIRST_PAGE}-{LAST_PAGE}: the text with its page and paragraph numbers, commentary, sourced data and exercises.</dc:description>
    <meta property="dcterms:modified">{modified}</meta>
  </metadata>
  <manifest>
    {chr(10).join('    ' + m for m in manifest).strip()}
  </manifest>
  <spine>
    {chr(10).join('    ' + s for s in spine).strip()}
  </spine>
</package>
""".encode("utf-8")
