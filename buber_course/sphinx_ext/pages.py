"""Page metadata: citation tags, descriptions, and image sizes that keep pages from shifting."""

from __future__ import annotations

import re
import struct
from html import escape
from pathlib import Path


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
        tags["citation_inbook_title"] = "Paths in Utopia"
    if pagename == app.config.chapter_reading_doc:
        tags.update({"citation_title": "Lenin and the Renewal of Society", "citation_author": "Buber, Martin",
                     "citation_publication_date": "1949"})
    meta = "".join(f'\n<meta name="{name}" content="{escape(value)}" />' for name, value in tags.items())
    context["metatags"] = context.get("metatags", "") + meta


NOTEBOOK_IMAGE = re.compile(r'<img alt="([^"]*)" src="([^"]*_images/([^"/]+\.png))" />')


def size_images(app, pagename, templatename, context, doctree):
    """Images a notebook drew get their width and height, so nothing moves on the page when they arrive."""
    sources = {name: source for source, name in app.builder.images.items()}

    def sized(match: re.Match) -> str:
        source = Path(app.srcdir) / sources.get(match[3], "")
        if not source.is_file():
            return match[0]
        width, height = struct.unpack(">II", source.read_bytes()[16:24])  # the PNG header
        return (f'<img alt="{match[1]}" src="{match[2]}" width="{width}" height="{height}" '
                'decoding="async" />')

    context["body"] = NOTEBOOK_IMAGE.sub(sized, context.get("body", ""))


def describe_page(app, pagename, templatename, context, doctree):
    """Pages without a description of their own (index, search) get the course's (SEO, previews)."""
    if 'name="description"' not in context.get("metatags", "") and app.config.course_description:
        context["metatags"] = context.get("metatags", "") + (
            f'\n<meta name="description" content="{escape(app.config.course_description)}" />')


def setup(app):
    app.add_config_value("course_description", "", "html")
    app.add_config_value("course_published", "", "html")
    app.connect("html-page-context", citation_meta)
    app.connect("html-page-context", describe_page)
    app.connect("html-page-context", size_images)
