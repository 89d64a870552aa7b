"""Page-level fixes: only the assets a page uses, icons without FontAwesome's script, the course CSS."""

from __future__ import annotations

import re
import struct
from html import escape
from pathlib import Path
from urllib.parse import quote

from sphinx.errors import ExtensionError

from ..paths import ROOT

FONTAWESOME_SVGS = ROOT / "node_modules" / "@fortawesome" / "fontawesome-free" / "svgs"
# The icons sphinx-book-theme draws, by FontAwesome style. A test checks that every ``fa-`` class in
# the built pages is here, so a theme upgrade that adds an icon fails loudly instead of showing a gap.
THEME_ICONS = {
    "solid": ["angle-left", "angle-right", "arrow-up", "bars", "circle-half-stroke", "download", "expand",
              "file", "file-pdf", "list", "outdent", "indent", "magnifying-glass", "moon", "sun", "rocket", "spinner",
              "arrow-up-right-from-square", "copy", "xmark", "book", "code", "pen", "lightbulb"],
    "brands": ["github"],
}


# Assets Jupyter Book adds to every page, and what in a page's body needs them. A page without that
# loads none of them (thebe is off: notebooks launch on Binder or a JupyterHub instead).
OPTIONAL_ASSETS = [
    (("clipboard.min.js", "copybutton.js", "copybutton.css"), lambda body: 'class="highlight' in body),
    (("togglebutton", "toggleHint", "toggleOpenOnPrint"), lambda body: "toggle" in body or "dropdown" in body),
    (("design-tabs.js", "sphinx-design"), lambda body: "sd-" in body),
    (("sphinx-thebe", "THEBE_JS_URL"), lambda body: False),
    (("mystnb.",), lambda body: "cell_output" in body or "cell docutils" in body),
]


def _asset_text(asset) -> str:
    return (asset.filename or "") + str(getattr(asset, "attributes", {}).get("body", ""))


def prune_assets(app, pagename, templatename, context, doctree):
    """Keep one copy of each script (sphinx-thebe registers one twice) and drop unused assets."""
    body = context.get("body", "")
    unused = [names for names, needed in OPTIONAL_ASSETS if not needed(body)]

    def wanted(asset) -> bool:
        text = _asset_text(asset)
        return not any(name in text for names in unused for name in names)

    seen, scripts = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key not in seen and wanted(script):
            seen.add(key)
            scripts.append(script)
    context["script_files"] = scripts
    context["css_files"] = [css for css in context.get("css_files", []) if wanted(css)]


def icon_css(svgs: Path = FONTAWESOME_SVGS) -> str:
    """CSS that draws the theme's icons as masks from FontAwesome Free's SVG files (CC BY 4.0)."""
    if not svgs.is_dir():
        raise ExtensionError(f"missing {svgs}: run `npm ci` (the Makefile's `book` target does) to vendor the icons")
    rules = [
        "/* Icons: Font Awesome Free 6.5.2 by Fonticons, Inc., CC BY 4.0, https://fontawesome.com/license/free */",
        ".fa-solid,.fa-brands,.fa-regular,.fas,.fab,.far{display:inline-block;width:1.1em;height:1em;vertical-align:-.125em;"
        "background-color:currentColor;-webkit-mask:var(--icon) center/contain no-repeat;"
        "mask:var(--icon) center/contain no-repeat}",
        ".fa-lg{font-size:1.25em}",
        # The theme's stylesheet would draw the same icons from 270 KB of web fonts: switch that off.
        ".fa-solid::before,.fa-brands::before,.fa-regular::before,.fas::before,.fab::before,.far::before"
        "{content:none!important}",
    ]
    for style, names in THEME_ICONS.items():
        for name in names:
            svg = (svgs / style / f"{name}.svg").read_text(encoding="utf-8")
            svg = re.sub(r"<!--.*?-->", "", svg)  # the licence comment: the header above carries it
            rules.append(f'.fa-{name}{{--icon:url("data:image/svg+xml,{quote(svg)}")}}')
    # The theme marks {download} links with the web font's download icon (a 156 KB font): draw it as a mask too.
    download = re.sub(r"<!--.*?-->", "", (svgs / "solid" / "download.svg").read_text(encoding="utf-8"))
    rules.append('a.reference.download::before{content:""!important;font:inherit;display:inline-block;width:.8em;'
                 "height:.8em;margin:0 .25em;padding:0;vertical-align:-.05em;background-color:var(--pst-color-text-muted);"
                 "-webkit-mask:var(--icon) center/contain no-repeat;mask:var(--icon) center/contain no-repeat;"
                 f'--icon:url("data:image/svg+xml,{quote(download)}")}}')
    return "\n".join(rules) + "\n"


def write_icons(app, exception):
    if exception is None and app.builder.format == "html":
        (Path(app.outdir) / "_static" / "icons.css").write_text(icon_css(), encoding="utf-8")


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
    add_page_script(context, 'class="cite-this"', "cite.js")


# Small scripts of the course, each loaded only on the pages whose body has the marker.
def add_page_script(context, marker: str, script: str) -> None:
    if marker in context.get("body", ""):
        from sphinx.builders.html._assets import _JavaScript

        context["script_files"] = [*context.get("script_files", []), _JavaScript(f"_static/{script}", defer="defer")]


def page_scripts(app, pagename, templatename, context, doctree):
    add_page_script(context, 'class="quiz"', "quiz.js")
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


def visit_citation(self, node):
    """docutils marks each bibliography entry ``role="doc-biblioentry"`` inside ``role="list"``: a
    deprecated role, and a list without list items (axe: aria-required-children). Use list items."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def visit_hidden_cell(self, node):
    """myst-nb's collapsed cell, less its ``aria-label="Toggle hidden content"``: the summary's name
    is then its visible prompt ("Show the answer cell ..."), as WCAG 2.5.3 (label in name) asks."""
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n<summary>\n'
                     f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n'
                     f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n</summary>\n')


def setup(app):
    from docutils import nodes
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
    from sphinx.writers.html5 import HTML5Translator

    app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
    app.add_config_value("course_description", "", "html")
    app.add_config_value("course_published", "", "html")
    app.connect("html-page-context", citation_meta)
    app.connect("html-page-context", page_scripts)
    app.connect("html-page-context", describe_page)
    app.add_css_file("course.css")
    app.add_css_file("icons.css")
    app.connect("build-finished", write_icons)
    app.connect("html-page-context", prune_assets, priority=900)
    app.connect("html-page-context", size_images)
