"""The book's Sphinx extension: the chapter directives and the fixes that keep pages light.

Loaded from ``_config.yml`` (``sphinx: extra_extensions``). Static files and template overrides
live beside this module, not in a ``_static/`` folder at the book root: Jupyter Book 1 adds every
``.js``/``.css`` file found there to every page.
"""

from pathlib import Path

from . import (assets, bibliography, chapter, exercises, lessons, notebooks, pages, print_edition, quotation_marks,
               reference, stylesheet, theme)

HERE = Path(__file__).parent


def setup(app):
    theme.setup(app)
    bibliography.setup(app)
    chapter.setup(app)
    reference.setup(app)
    exercises.setup(app)
    lessons.setup(app)
    pages.setup(app)
    assets.setup(app)
    print_edition.setup(app)
    quotation_marks.setup(app)
    notebooks.setup(app)
    stylesheet.setup(app)
    app.connect("config-inited", _add_paths)
    # Not safe to write in parallel: stylesheet.py gathers each page's stylesheets while the pages are
    # written, and worker processes would keep them to themselves.
    return {"parallel_read_safe": True, "parallel_write_safe": False, "version": "1"}


def _add_paths(app, config):
    config.html_static_path.append(str(HERE / "static"))
    config.templates_path.insert(0, str(HERE / "templates"))
