"""Quotations in the built book: marked on the reading page, and the comparer shown without a kernel.

- On the reading page (``chapter-text`` with ``:anchors: own``) every quotation of
  ``data/quotations.csv`` is wrapped, after the directive has rendered the paragraphs, in a
  ``span.quotation`` with the id ``q-<id>`` and followed by a link to the comparer. The directive
  itself is not touched: this module only regroups the nodes it made.
- The comparer's notebook output carries both the live widget and the static comparer
  (``buber_course.comparer``). For HTML the static one is kept, before myst-nb picks a mime type.
- The comparer's output is marked ``static-comparer``, so that ``assets`` loads its script and
  stylesheet there only (and drops the widget scripts the static page does not use).
- Every quotation's card is written from the data at each build as ``_static/quotation-cards.js``
  (``comparer.cards_script``), which the comparer's page script loads when it is first needed.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform

from .. import comparer
from .. import quotations as Q
from .chapter import anchor_link, correction_mark, query_mark, skip

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATIC_COMPARER = 'class="quotation-comparer"'
STATIC_COMPARER_CLASS = "static-comparer"  # marks the page as the comparer's (see assets)
CARDS_SCRIPT = "quotation-cards.js"


class quotation_mark(nodes.Inline, nodes.Element):
    """One quotation (or one part of an interrupted one) in the reading text."""


class quotation_link(nodes.Inline, nodes.Element):
    """The link from a quotation to the comparer, after its closing quotation mark."""


def visit_quotation_mark(self, node):
    id_attr = f' id="{escape(node["anchor"])}"' if node["first"] else ""
    self.body.append(f'<span class="quotation"{id_attr} data-quotation="{escape(node["qid"])}">')


def depart_quotation_mark(self, node):
    self.body.append("</span>")


def visit_quotation_link(self, node):
    href = self.builder.get_relative_uri(self.builder.current_docname, node["comparer"]) + f"?a={node['qid']}#comparer"
    name = f'Compare this quotation ({escape(node["label"])})'
    self.body.append(f'<a class="quotation-compare" href="{escape(href)}" aria-label="{name}" title="{name}"></a>')
    raise nodes.SkipNode


def pass_through(self, node):
    """Other builders show the quotation's text only."""


def mark_quotations(app, doctree):
    """On the reading page, wrap each quotation's words (across page marks and corrections)."""
    if app.env.docname != app.config.chapter_reading_doc:
        return
    try:
        places = {}
        for q in Q.quotations().values():
            place = Q.locate(q)
            places.setdefault(place.paragraph, []).extend(
                (start, end, q, index, len(place.spans)) for index, (start, end) in enumerate(place.spans))
    except Q.QuotationError as error:
        raise ExtensionError(f"quotations: {error}") from None
    app.env.note_dependency(str(Q.QUOTATIONS))
    for block in doctree.findall(nodes.container):
        if "chapter-text-own" not in block["classes"]:
            continue
        for paragraph in block.findall(nodes.paragraph):
            number = next((int(i[2:]) for i in paragraph["ids"] if i.startswith("p-")), None)
            if number in places:
                _wrap(paragraph, sorted(places[number], key=lambda p: p[0]), app.config.quotation_comparer_doc)


def _wrap(paragraph: nodes.paragraph, spans, comparer_doc: str) -> None:
    """Regroup the paragraph's children so that each span of reading text sits in a quotation_mark,
    and put each quotation's link to the comparer after it (after its closing quotation mark)."""
    reading = "".join(c.astext() for c in paragraph.children if isinstance(c, (nodes.Text, correction_mark)))
    links = {end + 1 if reading[end:end + 1] in Q.QUOTE_MARKS and end < len(reading) else end: q
             for start, end, q, index, count in spans if index == count - 1}
    cuts = sorted({offset for start, end, *_ in spans for offset in (start, end)} | set(links))
    atoms, position = [], 0  # (node, start, end): text pieces cut at every quotation boundary
    for child in paragraph.children:
        length = len(child.astext()) if isinstance(child, (nodes.Text, correction_mark, query_mark)) else 0
        if isinstance(child, nodes.Text):
            inner = [c - position for c in cuts if position < c < position + length]
            edges = [0, *inner, length]
            atoms += [(nodes.Text(str(child)[a:b]), position + a, position + b) for a, b in zip(edges, edges[1:])]
        else:
            if any(position < c < position + length for c in cuts):
                raise ExtensionError(f"quotations: a quotation of paragraph {paragraph['ids']} begins or ends inside a "
                                     f"corrected word ({child.astext()!r}); widen its text in quotations.csv")
            atoms.append((child, position, position + length))
        position += length
    children, mark, marked = [], None, None

    def link(at: int) -> None:
        q = links.pop(at, None)
        if q:
            children.append(quotation_link(qid=q.id, label=q.label, comparer=comparer_doc))

    for atom, start, end in atoms:
        span = _containing(spans, start, end)
        if span is None or span is not marked:
            link(start)
        if span is None:
            children.append(atom)
            continue
        if span is not marked:
            _, _, q, index, count = span
            mark = quotation_mark(qid=q.id, anchor=q.anchor, label=q.label, first=index == 0, comparer=comparer_doc)
            marked = span
            children.append(mark)
        mark += atom
    link(position)
    paragraph.children = []
    paragraph.extend(children)


def _containing(spans, start: int, end: int):
    """The span holding a piece of text; a mark of no width (a page break) only when strictly inside."""
    for span in spans:
        if (span[0] <= start and end <= span[1]) if start < end else (span[0] < start < span[1]):
            return span
    return None


class PreferStaticComparer(SphinxPostTransform):
    """In HTML, show the comparer's static rendering, not its widget (no kernel runs in the book), and
    leave out the script that gives the live comparer's drop-downs their arrow keys in JupyterLab."""

    default_priority = 3  # before myst-nb's SelectMimeType (4) chooses by mime type
    formats = ("html",)

    def run(self, **kwargs):
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            outputs = {child.get("mime_type"): child for child in bundle.children}
            if "data-lm-suppress-shortcuts" in outputs.get("application/javascript", nodes.container()).astext():
                bundle.parent.remove(bundle)  # the live comparer's keyboard fix for JupyterLab: no use here
                continue
            if WIDGET_VIEW in outputs and STATIC_COMPARER in outputs.get("text/html", nodes.container()).astext():
                bundle.remove(outputs[WIDGET_VIEW])
                bundle["classes"].append(STATIC_COMPARER_CLASS)


def compare_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{compare}`set-id``` or ``{compare}`label <set-id>```: a link that opens the comparer on a
    comparison set of ``data/comparison-sets.csv``; an unknown set id is an error naming it."""
    from docutils.utils import unescape

    match = re.fullmatch(r"(?s)(.*?)\s*<([\w-]+)>", unescape(text))
    label, sid = (match[1], match[2]) if match else (None, unescape(text).strip())
    try:
        found = Q.comparison_set(sid)
    except Q.QuotationError as error:
        message = inliner.reporter.error(f"compare: {error}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    env = inliner.document.settings.env
    link = anchor_link(rawtext, label or found.title, doc=env.config.quotation_comparer_doc, anchor="comparer",
                       query=f"?set={sid}")
    return [link], []


def write_cards_script(app, config) -> None:
    """Written into a static folder of the build's own before the build starts, so that Sphinx copies
    it with the other static files. No page links it: the comparer's page script loads it, under the
    version the page names (``comparer.cards_version``). An incremental build keeps the two in step:
    ``notebooks`` runs the comparer's page again whenever ``data/`` or the package changes."""
    folder = Path(app.doctreedir) / "course-static"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CARDS_SCRIPT).write_text(comparer.cards_script(), encoding="utf-8")
    config.html_static_path.append(str(folder))


def setup(app):
    app.connect("config-inited", write_cards_script)
    app.add_role("compare", compare_role)
    app.add_config_value("quotation_comparer_doc", "book/quotations", "env")
    app.add_node(quotation_mark, html=(visit_quotation_mark, depart_quotation_mark),
                 latex=(pass_through, pass_through), text=(pass_through, pass_through))
    app.add_node(quotation_link, html=(visit_quotation_link, None), latex=(skip, None), text=(skip, None))
    app.connect("doctree-read", mark_quotations)
    app.add_post_transform(PreferStaticComparer)
