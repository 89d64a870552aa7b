"""Every override of the theme, of myst-nb and of docutils' HTML in one place, with the versions it
was written for.

The course changes what sphinx-book-theme 1.3.0 (on pydata-sphinx-theme 0.17.1), myst-nb 1.4.0 and
myst-parser 3.0.1 print in a few places, for page weight, for accessibility (WCAG 2.1 AA, checked by
axe-core) and to mend upstream bugs:

- ``templates/static/webpack-macros.html``: the theme's own asset macros, less its two stylesheets
  (each page's one stylesheet holds them: ``stylesheet``), less the script preloads in the head and
  the script of its 1.5 MB FontAwesome (``icons.css`` draws the few icons shown; see ``icons``), and
  Bootstrap's 81 KB bundle, which ``static/bootstrap-on-demand.js`` fetches the first time a reader
  points at, focuses or presses a header button with a tooltip or the download menu, or scrolls (the
  back-to-top button): run as the theme runs it, on every page, it held a slow phone's main thread
  while the page loaded. pydata-sphinx-theme.js itself needs it at load only for the sidebar's
  collapse button (``setupCollapseSidebarButton``), which no page of the book shows.
- ``templates/layout.html``: the theme's layout, less three render-blocking search scripts that only
  its optional search-as-you-type uses (the search box submits to search.html and still works), and
  with its colour theme worked out in the head from the reader's mode, as the theme's ``setTheme``
  does, before the first paint (the theme does it in its deferred script, and the text moved when it
  did: a layout shift).
- ``templates/search.html``: the theme's search page, its three search scripts deferred (the 320 KB
  index held the first paint back).
- ``templates/search-button-field.html``: the search button without ``aria-label="Search"``, so its
  name is its visible text "Search Ctrl+K" (axe: label-content-name-mismatch, WCAG 2.5.3).
- ``visit_citation``: bibliography entries as list items (axe: aria-required-children).
- ``no_top_navbar``: no top navbar. sphinx-book-theme 1.3.0 means to leave it empty (its theme.conf sets
  ``navbar_persistent`` empty), but pydata-sphinx-theme 0.17.1 reads only the user's options and adds
  its search field there. The page then shows a second search strip above the article and a hidden
  duplicate of the menu button, the first ``.primary-toggle`` in the page, to which both themes'
  scripts bind: on a phone the menu did not open, on a laptop the sidebar did not collapse.
- ``UnescapeLinks``: myst-parser 3.0.1 HTML-escapes the address of an external link when it parses it,
  and the HTML writer escapes it again, so ``?a=1&b=2`` reached readers as ``&amp;amp;``.
- ``register_anchors``: myst-parser 3.0.1 resolves a link ``[p. 113](reading.md#page-113)`` only
  against the headings of the page it names (their slugs, in its internal ``myst_slugs``), not against
  explicit targets (executablebooks/MyST-Parser#1151). The chapter's page and paragraph anchors are
  entered there, so that such links resolve and a wrong one fails the strict build.
- ``drop_published_templates``: the themes keep Jinja sources in their static folders, which Sphinx
  then publishes as files nobody can use (``_static/webpack-macros.html``).

Templates and visitors depend on the exact markup of those versions, so the build stops when
another version is installed instead of printing pages that are subtly broken.
"""

from __future__ import annotations

from html import escape, unescape
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform

WRITTEN_FOR = {"pydata-sphinx-theme": "0.17.1", "sphinx-book-theme": "1.3.0", "myst-nb": "1.4.0", "myst-parser": "3.0.1"}
THEME_TEMPLATES_IN_STATIC = ("webpack-macros.html", "sbt-webpack-macros.html")


def check_versions(installed=None) -> None:
    """Stop the build, naming both versions, when a package the overrides depend on has changed."""
    installed = installed or metadata.version
    changed = [(name, wanted, installed(name)) for name, wanted in WRITTEN_FOR.items() if installed(name) != wanted]
    if changed:
        found = "; ".join(f"{name} {have} is installed, the overrides were written for {wanted}"
                          for name, wanted, have in changed)
        raise ExtensionError(
            f"{found}. Install the pinned versions (`make book` installs requirements.lock into .venv), or port "
            "the overrides listed in buber_course/sphinx_ext/theme.py to the new version and update WRITTEN_FOR.")


class UnescapeLinks(SphinxPostTransform):
    default_priority = 10

    def run(self, **kwargs):
        for reference in self.document.findall(nodes.reference):
            if "&amp;" in reference.get("refuri", ""):
                reference["refuri"] = unescape(reference["refuri"])


def drop_published_templates(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        for name in THEME_TEMPLATES_IN_STATIC:
            (Path(app.outdir) / "_static" / name).unlink(missing_ok=True)


def register_anchors(app, doctree):
    """The anchors the chapter's blocks carry (``#page-113``, ``#p-29``), as MyST's link targets."""
    slugs = app.env.metadata[app.env.docname].setdefault("myst_slugs", {})
    for block in doctree.findall(nodes.container):
        for anchor, label in block.get("anchors", []):
            slugs[anchor] = (None, anchor, label)


def no_top_navbar(app, config) -> None:
    config.html_theme_options.setdefault("navbar_persistent", [])


def visit_citation(self, node):
    """docutils marks each bibliography entry ``role="doc-biblioentry"`` inside ``role="list"``: a
    deprecated role, and a list without list items (axe: aria-required-children). Use list items."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup(app):
    from sphinx.writers.html5 import HTML5Translator

    check_versions()
    app.connect("config-inited", no_top_navbar)
    app.connect("doctree-read", register_anchors)
    app.add_post_transform(UnescapeLinks)
    app.connect("build-finished", drop_published_templates)
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))

