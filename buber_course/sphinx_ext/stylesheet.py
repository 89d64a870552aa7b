"""Each page's screen stylesheets as one file that holds only the rules the book can use.

A phone on a slow network waits for every stylesheet in the page's head before it paints anything,
and each file costs a round trip: the theme's seven stylesheets (about 80 KB gzipped, most of it
Bootstrap rules no page uses) held the first paint back by more than a second. So each page links one
stylesheet, ``_static/book-<digest>.css``, made of the stylesheets it would have loaded, in their
order, less the rules whose class or id selectors name something that no built page and no script a
page loads contains (the way PurgeCSS decides, on words rather than on the DOM, so a class that a
script adds at run time is kept). A script counts when a page or a counted script names its file:
the theme's fontawesome.js, which no page loads, names every icon and animation class. Pages that
load the same stylesheets share one file.

The files are written when the build has finished, from every page then in the output folder (an
incremental build rewrites only some pages), and named by their content, so that a browser never
keeps a stale copy. Each file names the stylesheets it combines in its first line, so a page that an
incremental build left unchanged keeps its file. Relative ``url(...)``s are rewritten for the file's
place in ``_static/``. Under ``-j`` the pages' sources, gathered in worker processes, would be lost:
the book is built without it.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import tinycss2
from sphinx.errors import ExtensionError

# What pydata-sphinx-theme 0.17.1's ``head_pre_assets`` macro links before Sphinx's own stylesheets
# (its theme.css only @imports basic.css); the macro is emptied in templates/static/webpack-macros.html.
THEME_STYLESHEETS = ("_static/basic.css", "_static/styles/pydata-sphinx-theme.css")
HEADER = "Combined by buber_course/sphinx_ext/stylesheet.py, less the rules no page uses, from:"
WORD = re.compile(r"[A-Za-z0-9_-]+")
# A page links ``book-<digest>.css``: at first the digest of its sources' names, once the build has
# finished the digest of the file's content (so that a changed rule is a new address, never a stale cache).
LINK = re.compile(r"_static/(book-[0-9a-f]{10}\.css)(?:\?v=[0-9a-f]+)?")
URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
BLOCK_AT_RULES = {"media", "supports", "layer", "container"}
# Classes that scripts build from parts, so that no file holds the whole word: Bootstrap's
# `bs-${NAME}-auto` (bs-tooltip-auto, bs-popover-auto) places the tooltips' arrows.
BUILT_AT_RUN_TIME = ("bs-",)


def is_screen(css) -> bool:
    return css.attributes.get("media", "all") in ("all", "screen") and "alternate" not in css.attributes.get("rel", "")


def combinable(css) -> bool:
    """A local screen stylesheet (one from another site stays a link of its own)."""
    return is_screen(css) and "://" not in str(css.filename)


def one_stylesheet(app, pagename, templatename, context, doctree):
    """Link the page's screen stylesheets as one file (written at the end of the build)."""
    if app.builder.name != "html":
        return
    screen = sorted((css for css in context["css_files"] if combinable(css)), key=lambda css: css.priority)
    sources = THEME_STYLESHEETS + tuple(str(css.filename) for css in screen)
    name = _digest_name("\n".join(sources))
    if not hasattr(app.builder, "course_stylesheets"):
        app.builder.course_stylesheets = {}
    app.builder.course_stylesheets[name] = sources
    context["css_files"][:] = [css for css in context["css_files"] if not combinable(css)]
    app.add_css_file(name, priority=0)


def write_stylesheets(app, exception) -> None:
    """Write each combined stylesheet the pages link, named by its content, point the pages at it and
    remove the combined files no page links any longer."""
    if exception is not None or app.builder.name != "html":
        return
    outdir, static = Path(app.outdir), Path(app.outdir) / "_static"
    pages = {path: path.read_text(encoding="utf-8") for path in outdir.rglob("*.html")}
    linked = {name for page in pages.values() for name in LINK.findall(page)}
    made_now = getattr(app.builder, "course_stylesheets", {})
    sources = {name: _sources(static / name, made_now) for name in sorted(linked)}
    scripts = loaded_scripts(pages.values(), list(static.rglob("*.js")))
    words = {word for text in [*pages.values(), *scripts] for word in WORD.findall(text)}
    written = {}  # each distinct combination once, under the name of its content
    for combined in set(sources.values()):
        content = _combined(outdir, combined, words)
        written[combined] = _digest_name(content)
        (static / written[combined]).write_text(content, encoding="utf-8")
    final = {name: written[combined] for name, combined in sources.items()}
    for path, page in pages.items():
        pointed = LINK.sub(lambda link: f"_static/{final[link[1]]}", page)
        if pointed != page:
            path.write_text(pointed, encoding="utf-8")
    for old in set(static.glob("book-*.css")) - {static / name for name in final.values()}:
        old.unlink()


def loaded_scripts(pages, scripts: list[Path]) -> list[str]:
    """The texts of the scripts that pages name, and of the scripts those name, and so on (a script
    no page loads, such as the 1.5 MB fontawesome.js, is not even read)."""
    loaded, named = {}, list(pages)
    while named:
        found = {path for path in scripts if path not in loaded and any(path.name in n for n in named)}
        loaded |= {path: path.read_text(encoding="utf-8") for path in found}
        named = [loaded[path] for path in found]
    return list(loaded.values())


def _digest_name(text: str) -> str:
    return "book-" + hashlib.sha1(text.encode()).hexdigest()[:10] + ".css"


def _combined(outdir: Path, sources: tuple[str, ...], words: set[str]) -> str:
    """The sources in their order, their ``url(...)``s made relative to ``_static/``, less unused rules."""
    css = "\n".join(_rebased((outdir / source).read_text(encoding="utf-8"), (outdir / source).parent, outdir / "_static")
                    for source in sources)
    return f"/* {HEADER} {' '.join(sources)} */\n" + used_rules(css, words)


def _rebased(css: str, folder: Path, static: Path) -> str:
    """A stylesheet's relative ``url(...)``s as seen from ``_static/``, where the combined file stands
    (the theme's stylesheet in ``_static/styles/`` names its fonts as ``../vendor/...``)."""
    def rebase(match) -> str:
        url = match[2].strip()
        if url.startswith(("data:", "#", "/")) or "://" in url:
            return match[0]
        return f'url("{os.path.relpath(folder / url, static).replace(os.sep, "/")}")'
    return URL.sub(rebase, css)


def _sources(bundle: Path, made_now: dict) -> tuple[str, ...]:
    """What a page's stylesheet combines: known when this build wrote a page that links it, else
    read from the first line of the file an earlier build wrote."""
    if bundle.name in made_now:
        return made_now[bundle.name]
    first = bundle.read_text(encoding="utf-8").split("\n", 1)[0] if bundle.is_file() else ""
    if not first.startswith(f"/* {HEADER} "):
        raise ExtensionError(f"stylesheet.py: a page links _static/{bundle.name}, whose sources are not known; "
                             "build the book again from clean (`make clean book`)")
    return sources_of(first)


def sources_of(first_line: str) -> tuple[str, ...]:
    """The stylesheets a combined file holds, from its first line."""
    return tuple(first_line.removeprefix(f"/* {HEADER} ").removesuffix(" */").split())


def used_rules(css: str, words: set[str]) -> str:
    """The stylesheet less the rules none of whose selectors can match: a selector is dropped when
    it names a class or an id that is not among ``words``."""
    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude)
                         if all(name in words or name.startswith(BUILT_AT_RUN_TIME) for name in _names(s))]
            if selectors:
                kept.append(",".join(tinycss2.serialize(s).strip() for s in selectors)
                            + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in BLOCK_AT_RULES and rule.content is not None:
            inner = used_rules(tinycss2.serialize(rule.content), words)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type != "error":
            kept.append(rule.serialize())
    return "\n".join(kept)


def _selectors(prelude) -> list[list]:
    """A selector list split at its top-level commas (commas inside ``:is(...)`` stay)."""
    selectors = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _names(selector) -> set[str]:
    """The classes and ids a selector requires. What stands inside ``:not(...)``, ``:is(...)`` and the
    like is left out: it need not be present for the selector to match."""
    names = set()
    for before, token in zip([None, *selector], selector):
        if token.type == "hash" and token.is_identifier:
            names.add(token.value)
        elif token.type == "ident" and before is not None and before.type == "literal" and before.value == ".":
            names.add(token.value)
    return names


def setup(app):
    app.connect("html-page-context", one_stylesheet, priority=950)
    # Last: pydata-sphinx-theme writes its own pygments.css (light and dark) at build-finished too.
    app.connect("build-finished", write_stylesheets, priority=900)
