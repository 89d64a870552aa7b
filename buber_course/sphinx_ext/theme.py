"""Every override of the theme, of myst-nb and of docutils' HTML in one place, with the versions it
was written for.

The course changes what sphinx-book-theme 1.3.0 (on pydata-sphinx-theme 0.17.1) and myst-nb 1.4.0
print in a few places, for page weight and for accessibility (WCAG 2.1 AA, checked by axe-core):

- ``templates/static/webpack-macros.html``: the theme's own asset macros, less the script of its
  1.5 MB FontAwesome (``icons.css`` draws the few icons shown; see ``icons``).
- ``templates/layout.html``: the theme's layout, less three render-blocking search scripts that only
  its optional search-as-you-type uses (the search box submits to search.html and still works).
- ``templates/search-button-field.html``: the search button without ``aria-label="Search"``, so its
  name is its visible text "Search Ctrl+K" (axe: label-content-name-mismatch, WCAG 2.5.3).
- ``visit_citation``: bibliography entries as list items (axe: aria-required-children).
- ``visit_hidden_cell``: myst-nb's collapsed cell whose summary is named by its visible prompt.

Templates and visitors depend on the exact markup of those versions, so the build stops when
another version is installed instead of printing pages that are subtly broken.
"""

from __future__ import annotations

from html import escape
from importlib import metadata

from sphinx.errors import ExtensionError

WRITTEN_FOR = {"pydata-sphinx-theme": "0.17.1", "sphinx-book-theme": "1.3.0", "myst-nb": "1.4.0"}


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


def without_fontawesome(html) -> str:
    """The theme's ``head_js_preload`` macro less the lines that load FontAwesome's script."""
    from markupsafe import Markup

    return Markup("\n".join(line for line in str(html).splitlines()
                             if "fontawesome.js" not in line and "custom icons" not in line))


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

    check_versions()
    app.connect("builder-inited", _add_template_filter)
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))


def _add_template_filter(app):
    templates = getattr(app.builder, "templates", None)
    if templates is not None:
        templates.environment.filters["without_fontawesome"] = without_fontawesome
