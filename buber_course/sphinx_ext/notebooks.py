"""Pages with code cells are read (and so executed) again when the package or the data they draw on
change.

myst-nb (``execute_notebooks: force``) runs a page's cells whenever Sphinx reads the page, but Sphinx
reads a page again only when its own source changes. The charts and tables of those pages come from
``buber_course`` and ``data/``, so without this a changed module or table would leave old outputs
in an incremental build (a clean build, as in ``make test``, was always right).
"""

import hashlib
from pathlib import Path

from ..paths import DATA, ROOT

# Tables no code cell reads: the pages that show them are Sphinx directives with their own dependencies.
NOT_READ_BY_CELLS = {"errata.csv", "syllabus.csv"}


def inputs_digest() -> str:
    """One fingerprint of the package's modules and the data tables the cells can read."""
    files = sorted([*(ROOT / "buber_course").rglob("*.py"),
                    *(p for p in DATA.rglob("*") if p.is_file() and p.name not in NOT_READ_BY_CELLS)])
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def pages_with_code_cells(app, env, added, changed, removed):
    """Every page with code cells, when the fingerprint differs from the last build's."""
    digest = inputs_digest()
    if getattr(env, "notebook_inputs_digest", None) == digest:
        return []
    env.notebook_inputs_digest = digest
    return [doc for doc in sorted(env.found_docs - added - changed)
            if "```{code-cell}" in Path(env.doc2path(doc)).read_text(encoding="utf-8")]


def setup(app):
    app.connect("env-get-outdated", pages_with_code_cells)
