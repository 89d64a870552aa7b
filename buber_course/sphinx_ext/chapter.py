"""Directives that put the chapter's structured text into pages.

``chapter-text`` renders a range of paragraphs. On the reading page (``:anchors: own``) paragraphs,
book pages and corrections carry the citable ids ``p-N``, ``page-NNN`` and the correction's id; anywhere else
the same marks link to those ids, so every id stays unique and the reading page owns it.
``corrections-apparatus`` renders the apparatus: every correction with a link to its place.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .. import citation, text

OWN = "own"


class page_marker(nodes.Inline, nodes.Element):
    """Where book page ``page`` begins; ``owner`` pages carry the id ``page-NNN``."""


class paragraph_number(nodes.Inline, nodes.Element):
    """The paragraph's number in the margin, a link to its citable anchor."""


class cite_this(nodes.General, nodes.Element):
    """"Cite this" for one paragraph of the reading page: the paragraph and each of its pages, in
    Chicago style and BibTeX, each with a copy button (shown by cite.js when a clipboard exists)."""


class anchor_link(nodes.Inline, nodes.TextElement):
    """A link to an anchor on another page of the book, made relative when the page is written."""


class correction_mark(nodes.Inline, nodes.TextElement):
    """A corrected reading; the scan's reading is shown on hover and focus."""


class query_mark(nodes.Inline, nodes.TextElement):
    """A queried reading, kept as the scan has it; the suggested form is shown on hover and focus."""


def _target(translator, node, anchor: str) -> str:
    """Link to ``anchor`` on this page when the page owns it, else on the doc that does."""
    if node["owner"]:
        return f"#{anchor}"
    builder = translator.builder
    return builder.get_relative_uri(builder.current_docname, node["doc"]) + f"#{anchor}"


def visit_page_marker(self, node):
    anchor = f"page-{node['page']}"
    id_attr = f' id="{anchor}"' if node["owner"] else ""
    self.body.append(
        f'<a class="page-marker"{id_attr} href="{_target(self, node, anchor)}">'
        f'<span class="visually-hidden">page </span><span class="page-number">{node["page"]}</span></a>'
    )
    raise nodes.SkipNode


def visit_paragraph_number(self, node):
    anchor = f"p-{node['number']}"
    self.body.append(
        f'<a class="paragraph-number" href="{_target(self, node, anchor)}">'
        f'<span class="visually-hidden">paragraph </span>{node["number"]}</a>'
    )
    raise nodes.SkipNode


def visit_query_mark(self, node):
    qid = node["qid"]
    _reading_mark(self, node, kind="query", row_id=qid, anchor=f"query-{qid}", note_id=f"query-note-{qid}",
                  note=f"queried, kept: elsewhere {node['suggested']}")


def visit_correction_mark(self, node):
    cid = node["cid"]
    _reading_mark(self, node, kind="correction", row_id=cid, anchor=cid, note_id=f"scan-{cid}",
                  note=f"scan: {node['scan']}")


def _reading_mark(self, node, *, kind: str, row_id: str, anchor: str, note_id: str, note: str):
    """Write the node's reading as a link (class ``kind``) to row ``row_id`` of the apparatus, then its
    ``note`` (id ``note_id``), shown on hover and focus; on the page that owns the mark the link has the
    id ``anchor``.

    Raises ``SkipNode``: the visitors that call it end there, and the node's children are not visited.
    """
    id_attr = f' id="{anchor}"' if node["owner"] else ""
    href = self.builder.get_relative_uri(self.builder.current_docname, node["apparatus"]) + f"#apparatus-{row_id}"
    self.body.append(
        f'<a class="{kind}"{id_attr} href="{href}" aria-describedby="{note_id}">{escape(node.astext())}</a>'
        f'<span class="correction-scan" id="{note_id}" role="tooltip">{escape(note)}</span>'
    )
    raise nodes.SkipNode


def visit_anchor_link(self, node):
    href = (self.builder.get_relative_uri(self.builder.current_docname, node["doc"])
            + node.get("query", "") + f"#{node['anchor']}")
    self.body.append(f'<a class="reference internal" href="{href}">{escape(node.astext())}</a>')
    raise nodes.SkipNode


def visit_cite_this(self, node):
    number, pages, url = node["number"], node["pages"], node["url"]
    entries = [(f"Paragraph {number}, {citation.page_range(pages)}", f"p{number}", pages, number)]
    entries += [(f"Page {page} only", f"p{number}-page{page}", [page], None) for page in pages if len(pages) > 1]
    html = [f'<details class="cite-this"><summary>Cite paragraph {number}</summary><div class="cite-this-body">']
    for label, key, cited, paragraph in entries:
        chicago = escape(citation.chicago(cited, paragraph))
        html.append(f'<p class="cite-label">{escape(label)}</p>'
                    f'<p class="citation-text" id="cite-{key}">{chicago}</p>'
                    f'{_copy_button(f"cite-{key}", f"Chicago citation, {label}")}')
    bib_id = f"cite-p{number}-bibtex"
    # A div, not a pre: pydata-sphinx-theme.js measures every pre at load and on resize (does it
    # scroll?), and in Chromium each measure inside a closed panel lays that panel out: 51 of them
    # cost about 230 ms of main thread unthrottled, more on a phone. The entry wraps (course.css),
    # so it never scrolls and needs no tab stop.
    html.append(f'<div class="citation-bibtex" id="{bib_id}">'
                f'{escape(citation.bibtex(pages, number, url))}</div>{_copy_button(bib_id, f"BibTeX, paragraph {number}")}')
    self.body.append("".join(html) + "</div></details>\n")
    raise nodes.SkipNode


def _copy_button(target: str, what: str) -> str:
    return (f'<button type="button" class="copy-citation" data-copy-from="{target}" hidden>'
            f'Copy<span class="visually-hidden"> {escape(what)}</span></button>')


def visit_as_text(self, node):
    """Other builders show the reading text of a correction and nothing of the margin marks."""
    if isinstance(node, (correction_mark, query_mark, anchor_link)):
        self.visit_Text(nodes.Text(node.astext()))
    raise nodes.SkipNode


def skip(self, node):
    raise nodes.SkipNode


LEGEND = [  # (how the mark looks, what it means): the marks of the reading text, explained on its page
    ('<span class="legend-mark">12</span>', "Paragraph 12 begins: the number in the left margin links to the paragraph, "
                                            "and \u201cCite paragraph 12\u201d under it gives its citation."),
    ('<span class="legend-mark">|<b>108</b></span>', "Book page 108 begins at the bar; the number stands in the right "
                                                     "margin (on a phone, raised after the bar)."),
    ('<a class="correction legend-mark" tabindex="-1">word</a>', "A corrected reading of the scan: hover, focus or "
                                                                  "tap it to see what the scan reads; it links to the apparatus."),
    ('<a class="query legend-mark" tabindex="-1">word</a>', "A reading of the scan that looks wrong but is kept, "
                                                            "because it may be the printed book's own: hover, focus or "
                                                            "tap it to see the form the rest of the chapter suggests."),
    ('<span class="quotation-compare legend-mark" aria-hidden="true"></span>', "After a quotation: opens it in the "
                                                                              "comparer, beside another."),
]


def ways_in(pages, numbers) -> str:
    """Links to every book page and paragraph, and the legend of the marks (reading page only)."""
    page_links = " ".join(f'<a href="#page-{page}">{page}</a>' for page in range(pages[0], pages[-1] + 1))
    para_links = " ".join(f'<a href="#p-{n}">{n}</a>' for n in numbers)
    legend = "".join(f"<dt>{mark}</dt><dd>{escape(meaning)}</dd>" for mark, meaning in LEGEND)
    return (f'<nav class="chapter-jump" aria-label="Go to a page or paragraph">'
            f'<p><span class="chapter-jump-label">Go to page</span> {page_links}</p>'
            f'<p><span class="chapter-jump-label">Go to paragraph</span> {para_links}</p></nav>'
            f'<details class="chapter-legend"><summary>What the marks in the text mean</summary><dl>{legend}</dl></details>')


class ChapterText(SphinxDirective):
    """Render paragraphs N-M of the chapter from ``data/`` (never copied into a page)."""

    required_arguments = 1
    option_spec = {"anchors": lambda value: directives.choice(value, (OWN, "link"))}

    def run(self):
        try:
            numbers = text.paragraph_range(self.arguments[0])
            chapter = text.chapter()
        except text.TextDataError as error:
            raise self.error(f"chapter-text: {error}") from None
        owner = self.options.get("anchors") == OWN
        for source in (text.SCAN, text.CORRECTIONS, text.QUERIES):  # the text is made from all three
            self.env.note_dependency(str(source))
        block = nodes.container(classes=["chapter-text", "chapter-text-own" if owner else "chapter-text-excerpt"])
        if not owner:
            block += self._caption(chapter, numbers)
        for index, number in enumerate(numbers):
            block += self._paragraph(chapter.paragraph(number), owner, first=index == 0)
        pages = sorted({pg for n in numbers for pg in chapter.paragraph(n).pages})
        block["buber_pages"] = (pages[0], pages[-1])
        if not owner:
            return [block]
        url = self.config.html_baseurl.rstrip("/")
        url = f"{url}/{self.config.chapter_reading_doc}.html" if url else ""
        for para, number in zip(list(block.children), numbers):
            block.insert(block.index(para) + 1, cite_this(number=number, pages=chapter.paragraph(number).pages,
                                                          url=url and f"{url}#p-{number}"))
        block["anchors"] = [(f"p-{n}", f"¶ {n}") for n in numbers] + [(f"page-{page}", f"p. {page}") for page in pages]
        return [nodes.raw("", ways_in(pages, numbers), format="html"), block]

    def _caption(self, chapter, numbers):
        first, last = chapter.paragraph(numbers[0]), chapter.paragraph(numbers[-1])
        pages = f"{first.page}" if first.page == last.pages[-1] else f"{first.page}-{last.pages[-1]}"
        paras = f"¶ {numbers[0]}" if len(numbers) == 1 else f"¶¶ {numbers[0]}-{numbers[-1]}"
        return nodes.paragraph("", f"Buber, Paths in Utopia, p{'p' if '-' in pages else ''}. {pages} ({paras})",
                               classes=["chapter-text-caption"])

    def _paragraph(self, paragraph: text.Paragraph, owner: bool, first: bool):
        common = {"owner": owner, "doc": self.config.chapter_reading_doc}
        para = nodes.paragraph(classes=["chapter-paragraph"])
        if owner:
            para["ids"].append(f"p-{paragraph.number}")
        para += paragraph_number(number=paragraph.number, **common)
        pieces = list(paragraph.pieces)
        if first and not isinstance(pieces[0], text.PageBreak):
            # The block starts on a page that began earlier: show which, without owning its id
            # unless this is the chapter's first page.
            para += page_marker(page=paragraph.page, **{**common, "owner": owner and paragraph.number == 1})
        for piece in pieces:
            if isinstance(piece, text.PageBreak):
                para += page_marker(page=piece.page, **common)
            elif isinstance(piece, text.Corrected):
                para += self._correction(piece.correction, owner)
            elif isinstance(piece, text.Queried):
                para += query_mark("", piece.query.original, qid=piece.query.id, suggested=piece.query.suggested,
                                   owner=owner, apparatus=self.config.chapter_apparatus_doc)
            else:
                para += nodes.Text(piece)
        return para

    def _correction(self, correction: text.Correction, owner: bool):
        lead, scan, reading, tail = text.display_parts(correction)
        mark = correction_mark(
            "", reading, cid=correction.id, scan=scan, owner=owner, apparatus=self.config.chapter_apparatus_doc
        )
        return [*([nodes.Text(lead)] if lead else []), mark, *([nodes.Text(tail)] if tail else [])]


class _Apparatus(SphinxDirective):
    """A table of the chapter's items of one kind, each row linked to its place in the text.

    A subclass names its ``headers``, table ``classes`` and ``source`` file (noted as a dependency),
    and gives its items (``_items``) and each item's cells after its number and page (``_cells``).
    """

    headers: tuple[str, ...]
    classes: list[str]
    source: Path

    def run(self):
        try:
            items = self._items(text.chapter())
        except text.TextDataError as error:
            raise self.error(f"{self.name}: {error}") from None
        self.env.note_dependency(str(self.source))
        rows = []
        for item in sorted(items, key=lambda item: item.id):
            number = ([nodes.Text(item.id)], f"apparatus-{item.id}")
            page = [self._link(f"page-{item.page}", str(item.page))]
            rows.append((number, page, *self._cells(item)))
        block = nodes.container(classes=["apparatus"])
        block += _table(self.headers, rows, classes=self.classes)
        block["anchors"] = [(f"apparatus-{item.id}", item.id) for item in items]
        return [block]

    def _items(self, chapter: text.Chapter) -> tuple:
        raise NotImplementedError

    def _cells(self, item) -> list:
        raise NotImplementedError

    def _link(self, anchor: str, label: str):
        return anchor_link("", label, doc=self.config.chapter_reading_doc, anchor=anchor)


class CorrectionsApparatus(_Apparatus):
    """The apparatus: a table of every correction, each row linked to its place in the text."""

    source = text.CORRECTIONS
    headers = ("No.", "Page", "The scan reads", "The text reads", "Kind", "Note")
    classes = ["apparatus-table"]

    def _items(self, chapter: text.Chapter) -> tuple:
        return chapter.corrections

    def _cells(self, correction: text.Correction) -> list:
        _, scan, corrected, _ = text.display_parts(correction)
        return [
            [nodes.literal("", scan)],
            [self._link(correction.id, corrected)],
            [nodes.Text(correction.kind.replace("-", " "))],
            [nodes.Text(correction.note)],
        ]


class QueriesApparatus(_Apparatus):
    """The readings queried but kept: a table of each, linked to its place in the text."""

    source = text.QUERIES
    headers = ("No.", "Page", "The scan reads (kept)", "The rest of the chapter suggests", "Note")
    classes = ["apparatus-table", "queries-table"]

    def _items(self, chapter: text.Chapter) -> tuple:
        return chapter.queries

    def _cells(self, query: text.Query) -> list:
        return [
            [self._link(f"query-{query.id}", query.original)],
            [nodes.Text(query.suggested)],
            [nodes.Text(query.note)],
        ]


def _table(headers, rows, classes):
    """A docutils table; a first cell given as ``(nodes, id)`` gives its row that id."""
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in headers)
    head = nodes.thead()
    head += _row([[nodes.Text(h)] for h in headers])
    group += head
    body = nodes.tbody()
    for cells in rows:
        first, row_id = cells[0]
        row = _row([first, *cells[1:]])
        row["ids"].append(row_id)
        body += row
    group += body
    return table


def _row(cells):
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", *content)
        row += entry
    return row


def setup(app):
    app.add_config_value("chapter_reading_doc", "book/reading", "env")
    app.add_config_value("chapter_apparatus_doc", "book/apparatus", "env")
    app.add_node(cite_this, html=(visit_cite_this, None), latex=(skip, None), text=(skip, None))
    for node in (page_marker, paragraph_number, correction_mark, query_mark, anchor_link):
        app.add_node(
            node,
            html=(globals()[f"visit_{node.__name__}"], None),
            latex=(visit_as_text, None),
            text=(visit_as_text, None),
        )
    app.add_directive("chapter-text", ChapterText)
    app.add_directive("corrections-apparatus", CorrectionsApparatus)
    app.add_directive("queries-apparatus", QueriesApparatus)
