"""Which scripts and stylesheets a page loads, decided from what the page's doctree holds.

Jupyter Book and its extensions register their assets for every page. Here a page keeps each of
them only when its doctree holds what the asset serves (a code block for the copy button, a
notebook cell for myst-nb's stylesheet, ...), and the course's own page scripts are added with
Sphinx's public API, ``app.add_js_file`` inside ``html-page-context``, only where they are used.
Pages without a doctree (search, the general index) get the theme's assets only.
"""

from __future__ import annotations

from docutils import nodes

from .chapter import cite_this, correction_mark, query_mark
from .exercises import QUIZ_CLASS
from .quotation_marks import STATIC_COMPARER_CLASS, WIDGET_STATE, quotation_mark



def has_class(doctree, predicate) -> bool:
    return any(predicate(name) for node in doctree.findall(nodes.Element) for name in node.get("classes", []))


def has_node(doctree, kind) -> bool:
    return next(iter(doctree.findall(kind)), None) is not None


def notebook_cells(doctree) -> bool:
    return any(node.get("nb_element") for node in doctree.findall(nodes.container))


def static_comparer(doctree) -> bool:
    return has_class(doctree, STATIC_COMPARER_CLASS.__eq__)


# Assets Jupyter Book registers for every page (matched by a part of their file name or inline
# code), and what a page must hold to keep them. thebe is off: notebooks launch on Binder instead.
THEME_ASSETS = [
    (("clipboard.min.js", "copybutton.js", "copybutton.css"), lambda tree: has_node(tree, nodes.literal_block)),
    (("togglebutton", "toggleHint", "toggleOpenOnPrint"), lambda tree: has_class(tree, {"toggle", "dropdown"}.__contains__)),
    (("design-tabs.js", "sphinx-design"), lambda tree: has_class(tree, lambda name: name.startswith("sd-"))),
    (("sphinx-thebe", "THEBE_JS_URL"), lambda tree: False),
    (("mystnb.",), notebook_cells),
]

# The course's own assets, each added where the page holds what it serves.
COURSE_SCRIPTS = [
    ("cite.js", lambda tree: has_node(tree, cite_this)),
    ("corrections.js", lambda tree: has_node(tree, correction_mark) or has_node(tree, query_mark)),
    ("quiz.js", lambda tree: has_class(tree, QUIZ_CLASS.__eq__)),
    ("quotation-comparer.js", static_comparer),
]
COURSE_STYLESHEETS = [
    ("quotations.css", lambda tree: static_comparer(tree) or has_node(tree, quotation_mark)),
]


def _asset_text(asset) -> str:
    return (asset.filename or "") + str(asset.attributes.get("body", ""))


def add_course_assets(app, pagename, templatename, context, doctree):
    if doctree is None:
        return
    for script, needed in COURSE_SCRIPTS:
        if needed(doctree):
            app.add_js_file(script, loading_method="defer")
    for stylesheet, needed in COURSE_STYLESHEETS:
        if needed(doctree):
            app.add_css_file(stylesheet)


def prune_theme_assets(app, pagename, templatename, context, doctree):
    """Drop the registered assets the page does not use, keeping one copy of each script
    (sphinx-thebe registers one twice). On the comparer's page the widget scripts and saved widget
    state myst-nb adds for the live comparer go too: the static comparer's page script replaces them."""
    unused = [names for names, needed in THEME_ASSETS if doctree is None or not needed(doctree)]
    widget_scripts = set(app.config.nb_ipywidgets_js) if doctree is not None and static_comparer(doctree) else set()

    def wanted(asset) -> bool:
        text = _asset_text(asset)
        if widget_scripts and (asset.filename in widget_scripts or asset.attributes.get("type") == WIDGET_STATE):
            return False
        return not any(name in text for names in unused for name in names)

    seen, scripts = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key not in seen and wanted(script):
            seen.add(key)
            scripts.append(script)
    # In place: the lists are the builder's, to which ``app.add_js_file`` adds a page's own assets.
    context["script_files"][:] = scripts
    context["css_files"][:] = [css for css in context["css_files"] if wanted(css)]


def defer_scripts(app, pagename, templatename, context, doctree):
    """Load every script of the head with ``defer``: a script without it stops the parser, and so the
    first paint, until it has arrived and run. Inline scripts (pydata-sphinx-theme's
    ``DOCUMENTATION_OPTIONS.pagename = ...``) become module scripts, which run deferred, in document
    order with the others, so they still find the deferred ``documentation_options.js`` run before them."""
    files = context["script_files"]  # the builder's list, to which ``app.add_js_file`` appends
    for index, js in enumerate(list(files)):
        if not _blocks_parsing(js):
            continue
        if js.filename:
            app.add_js_file(str(js.filename).removeprefix("_static/"), priority=js.priority, loading_method="defer",
                            **js.attributes)
        else:
            app.add_js_file(None, priority=js.priority, **{**js.attributes, "type": "module"})
        files[index] = files.pop()  # where the blocking script stood, so that every script keeps its turn


def _blocks_parsing(js) -> bool:
    attributes = js.attributes
    return not ({"defer", "async"} & attributes.keys()) and attributes.get("type", "text/javascript") == "text/javascript"


def setup(app):
    # On every page: each has the theme's header, whose tooltips and download menu it serves.
    app.add_js_file("bootstrap-on-demand.js", loading_method="defer")
    app.add_css_file("course.css")
    app.add_css_file("icons.css")
    app.connect("html-page-context", add_course_assets)
    app.connect("html-page-context", prune_theme_assets, priority=900)
    app.connect("html-page-context", defer_scripts, priority=940)
