"""Page metadata and images: citation tags, descriptions, alt texts from the charts' own descriptions,
image sizes that keep pages from shifting, and a full-size link for small screens."""

from __future__ import annotations

import re
import struct
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .. import citation


def citation_meta(app, pagename, templatename, context, doctree):
    """Zotero-readable ``citation_*`` tags on every page; pages that show the chapter also name the
    Buber pages they cover, and the reading page cites Buber's chapter itself."""
    title = re.sub(r"<[^>]+>", "", context.get("title", "")) or app.config.project
    tags = {"citation_title": title, "citation_author": app.config.author,
            "citation_publication_date": app.config.course_published, "citation_language": "en"}
    covered = [block["buber_pages"] for block in (doctree.findall(lambda n: "buber_pages" in getattr(n, "attributes", {}))
                                                  if doctree else [])]
    if covered:
        tags["citation_firstpage"] = str(min(first for first, _ in covered))
        tags["citation_lastpage"] = str(max(last for _, last in covered))
        tags["citation_inbook_title"] = citation.BOOK
    if pagename == app.config.chapter_reading_doc:
        tags.update({"citation_title": citation.CHAPTER_TITLE, "citation_author": citation.AUTHOR_SORTED,
                     "citation_publication_date": str(citation.YEAR)})
    meta = "".join(f'\n<meta name="{name}" content="{escape(value)}" />' for name, value in tags.items())
    context["metatags"] = context.get("metatags", "") + meta


NOTEBOOK_IMAGE = re.compile(r'<img alt="([^"]*)" src="([^"]*_images/([^"/]+\.png))" />')


def size_images(app, pagename, templatename, context, doctree):
    """Images a notebook drew get their width and height, so nothing moves on the page when they arrive.
    The page's first chart is fetched first (it is often the largest thing on the first screen, and a
    phone on a slow network would otherwise share the bandwidth with the scripts); the others wait
    until the reader scrolls near them. The print and e-reader editions drop these attributes."""
    sources = {name: source for source, name in app.builder.images.items()}
    first = True

    def sized(match: re.Match) -> str:
        source = Path(app.srcdir) / sources.get(match[3], "")
        if not source.is_file():
            return match[0]
        width, height = struct.unpack(">II", source.read_bytes()[16:24])  # the PNG header
        nonlocal first
        when, first = 'fetchpriority="high"' if first else 'loading="lazy"', False
        return (f'<img alt="{match[1]}" src="{match[2]}" width="{width}" height="{height}" decoding="async" {when} />'
                f'<a class="full-size" href="{match[2]}">Open the image at full size</a>')

    context["body"] = NOTEBOOK_IMAGE.sub(sized, context.get("body", ""))


class AltFromDescription(SphinxPostTransform):
    """A notebook image without alt text takes its output's plain-text form when that is a description:
    a chart of the course (``charts.Chart``) writes its own, from the rows it draws, so no alt text is
    written by hand and none can keep a number the data no longer hold. A bare repr ("<Figure ...>")
    is no description: such an image keeps no alt, and a test of the built pages names it."""

    default_priority = 3  # before myst-nb's SelectMimeType (4) keeps one form of the output
    formats = ("html",)

    def run(self, **kwargs):
        for bundle in self.document.findall(nodes.container):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            outputs = {child.get("mime_type"): child for child in bundle.children}
            plain = outputs.get("text/plain")
            description = plain.astext().strip() if plain is not None else ""
            if description.startswith("<") or not description:
                continue
            for image in (outputs[m] for m in outputs if m.startswith("image/")):
                for node in image.findall(nodes.image):
                    node["alt"] = node.get("alt") or description


def describe_page(app, pagename, templatename, context, doctree):
    """Pages without a description of their own (index, search) get the course's (SEO, previews)."""
    if 'name="description"' not in context.get("metatags", "") and app.config.course_description:
        context["metatags"] = context.get("metatags", "") + (
            f'\n<meta name="description" content="{escape(app.config.course_description)}" />')


ROOT_REDIRECT = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8" />
<meta http-equiv="Refresh" content="0; url={target}" />
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="description" content="{description}" />{icon}
</head><body><p><a href="{target}">{title}</a></p></body></html>
"""


def write_root_redirect(app, exception) -> None:
    """The site's root ``index.html``, which sends a reader to the first page, as a page of its own.
    sphinx-external-toc writes a bare ``<meta>`` refresh there unless the file exists; a browser that
    meets it asks for ``/favicon.ico``, which the book does not have, and logs the 404 as an error.
    No canonical link: the book has no address of its own (``html_baseurl``), and Lighthouse fails a
    relative one. Only ``html`` (not ``dirhtml``) is handled, the one builder the book is built with."""
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    favicon = app.config.html_favicon
    icon = f'\n<link rel="icon" href="_static/{escape(Path(favicon).name)}" />' if favicon else ""
    page = ROOT_REDIRECT.format(lang=escape(app.config.language or "en"), target=escape(f"{app.config.root_doc}.html"),
                                title=escape(app.config.html_title), description=escape(app.config.course_description),
                                icon=icon)
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


def setup(app):
    app.add_post_transform(AltFromDescription)
    app.add_config_value("course_description", "", "html")
    app.add_config_value("course_published", "", "html")
    app.connect("html-page-context", citation_meta)
    app.connect("html-page-context", describe_page)
    app.connect("html-page-context", size_images)
    app.connect("build-finished", write_root_redirect, priority=400)  # before sphinx-external-toc's (500)
