"""Directives that render the reference apparatus from ``data/``: glossary, people, timeline.

Every page number becomes a link to that page of the reading text; every person and event gets an
anchor (``people.html#martov``, ``timeline.html#dizzy_with_success_1930``) that Markdown links can
use and the strict build checks.
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.domains.std import Glossary
from sphinx.util.docutils import SphinxDirective

from .. import reference
from .chapter import _table, anchor_link


def _page_links(pages: list[int], reading_doc: str) -> list[nodes.Node]:
    """``p. 99, 101`` with each number linked to its page of the reading text."""
    if not pages:
        return [nodes.Text("-")]
    links: list[nodes.Node] = [nodes.Text("pp. " if len(pages) > 1 else "p. ")]
    for index, page in enumerate(pages):
        if index:
            links.append(nodes.Text(", "))
        links.append(anchor_link("", str(page), doc=reading_doc, anchor=f"page-{page}"))
    return links


class ReferenceDirective(SphinxDirective):
    """Shared parts: data errors become build errors naming the row; the data file is a dependency."""

    table = ""

    def load(self):
        self.env.note_dependency(str(reference.DATA / f"{self.table}.csv"))
        self.env.note_dependency(str(reference.PACKAGE))
        try:
            return getattr(reference, self.table)()
        except reference.ReferenceDataError as error:
            raise self.error(f"{self.name}: {error}") from None

    def pages(self, value):
        return _page_links(reference.page_list(value), self.config.chapter_reading_doc)


class CourseGlossary(ReferenceDirective, Glossary):
    """Sphinx's glossary filled from ``data/glossary.csv``, so ``{term}`` links work; the forms a
    term takes in the chapter (its aliases) link to the same entry."""

    table = "glossary"
    has_content = False

    def run(self):
        entries = sorted(self.load(), key=lambda row: row["term"].lower())
        lines = []
        for row in entries:
            pages = ", ".join(f"[{p}]({self._reading_link(p)})" for p in reference.page_list(row["pages"]))
            lines += [row["term"], f"   {row['definition']}", ""]
            lines += [f"   *In the chapter:* {pages or 'not by this name'}. *Source:* {row['source']}", ""]
        self.content = StringList(lines, source=str(reference.DATA / "glossary.csv"))
        result = Glossary.run(self)
        self._note_aliases(entries, result)
        # No index entry per term: Sphinx's search lists an index entry under its page's title, so every
        # term found "Glossary" twice in the results (the term still links with {term} and is found).
        for entry in [n for node in result for n in node.findall(addnodes.index)]:
            entry.parent.remove(entry)
        return result

    def _reading_link(self, page: int) -> str:
        reading = self.config.chapter_reading_doc
        here = self.env.docname.rsplit("/", 1)[0]
        return (reading.removeprefix(here + "/") if reading.startswith(here + "/") else "/" + reading) + f".md#page-{page}"

    def _note_aliases(self, entries, result):
        std = self.env.get_domain("std")
        ids = {term.astext().lower(): term["ids"][0] for node in result for term in node.findall(nodes.term)}
        for row in entries:
            for alias in reference.split(row["aliases"]):
                if alias.lower() not in ids and alias.lower() not in std._terms:
                    std._note_term(alias, ids[row["term"].lower()], location=self.get_location())


class PeopleIndex(ReferenceDirective):
    """Everyone the chapter names or quotes, with dates, role, pages and sources; an anchor each."""

    table = "people"

    def run(self):
        block = nodes.container(classes=["people-index"])
        entries = nodes.definition_list()
        block += entries
        block["anchors"] = []
        for row in self.load():
            item = nodes.definition_list_item()
            item += nodes.term("", row["name"] + _life(row), ids=[row["id"]])
            body = nodes.definition()
            body += nodes.paragraph("", row["role"])
            if row["identification"] != "named":
                body += nodes.paragraph("", "", nodes.emphasis("", "Identification: "), nodes.Text(row["identification"]))
            body += nodes.paragraph("", "", nodes.emphasis("", "In the chapter: "), *self.pages(row["pages"]))
            body += nodes.paragraph("", "", nodes.emphasis("", "Source: "), nodes.Text(row["source"]))
            if row.get("note"):
                body += nodes.paragraph("", "", nodes.emphasis("", "Note: "), nodes.Text(row["note"]))
            item += body
            entries += item
            block["anchors"].append((row["id"], row["name"]))
        return [block]


def _life(row) -> str:
    born, died = row.get("born") or "", row.get("died") or ""
    return f" ({born or '?'} to {died or '?'})" if born or died else ""


class TimelineTable(ReferenceDirective):
    """The timeline as a table: New Style date, Old Style where it differs, event, pages, source."""

    table = "timeline"

    def run(self):
        headers = ("Date", "Old Style", "Event", "In the chapter", "Source and notes")
        rows = []
        for row in self.load():
            note = f" {row['note']}" if row.get("note") else ""
            rows.append((
                ([nodes.Text(row["date"])], row["id"]),
                [nodes.Text(row.get("date_old_style") or "")],
                [nodes.Text(row["event"])],
                self.pages(row["pages"]),
                [nodes.Text(row["source"] + note)],
            ))
        block = nodes.container(classes=["timeline-table"])
        block += _table(headers, rows, classes=["timeline"])
        block["anchors"] = [(row["id"], row["event"]) for row in self.load()]
        return [block]


class ErrataList(ReferenceDirective):
    """The errata page: every correction, newest first, each with a link to the page (and section)
    it concerns; ``add_errata_notices`` puts a link back at the top of each such page."""

    table = "errata"

    def run(self):
        entries = self.load()
        if not entries:
            return [nodes.paragraph("", "No page has been corrected since the course was first published.")]
        items = nodes.bullet_list(classes=["errata"])
        for row in entries:
            item = nodes.list_item(ids=[row["id"]])
            head = nodes.paragraph()
            where = f"{row['section']}" if row.get("section") else "the page"
            head += [nodes.strong("", f"{row['date']:%-d %B %Y}, "), errata_link(row["page"], row.get("section") or "")]
            head += nodes.Text(f" ({where})")
            item += head
            for label, field in (("It said: ", "before"), ("It says now: ", "after"), ("Why: ", "why")):
                item += nodes.paragraph("", "", nodes.emphasis("", label), nodes.Text(row[field]))
            items += item
        return [items]


class errata_link(nodes.Inline, nodes.TextElement):
    """A link to a corrected page and its section, resolved when the page is written."""

    def __init__(self, page: str, section: str):
        super().__init__("", "", page=page, section=section)


def resolve_errata_links(app, doctree, docname):
    """Each link of the errata page goes to its page, and to the section whose title the row names."""
    for link in list(doctree.findall(errata_link)):
        target, section = link["page"], link["section"]
        title = app.env.titles.get(target)
        anchor = ""
        if section and target in app.env.all_docs:
            tree = app.env.get_doctree(target)
            titled = next((s for s in tree.findall(nodes.section) if s[0].astext() == section), None)
            if titled is not None:
                anchor = "#" + titled["ids"][0]
            elif any(section in node.get("ids", []) for node in tree.findall(nodes.Element)):
                anchor = "#" + section  # a row of a table page (people.html#martov)
        reference = nodes.reference("", title.astext() if title else target,
                                    refuri=app.builder.get_relative_uri(docname, target) + anchor)
        link.replace_self(reference)


def add_errata_notices(app, doctree, docname):
    """At the top of a corrected page: when it was corrected, and a link to what changed."""
    try:
        changed = [row for row in reference.errata() if row["page"] == docname]
    except reference.ReferenceDataError:
        return  # the errata page itself reports the error, naming the row
    errata_doc = app.config.errata_doc
    if not changed or docname == errata_doc or errata_doc not in app.env.all_docs:
        return
    latest = max(row["date"] for row in changed)
    note = nodes.paragraph(classes=["errata-notice"])
    note += nodes.Text(f"Corrected since first publication ({len(changed)} change{'s' if len(changed) > 1 else ''}, "
                       f"latest {latest:%-d %B %Y}): see ")
    note += nodes.reference("", "Errata and changes",
                            refuri=app.builder.get_relative_uri(docname, errata_doc) + f"#{changed[0]['id']}")
    note += nodes.Text(".")
    title = next(doctree.findall(nodes.title))
    title.parent.insert(title.parent.index(title) + 1, note)


def setup(app):
    app.add_config_value("errata_doc", "book/errata", "env")
    app.add_directive("errata-list", ErrataList)
    app.add_node(errata_link)
    app.connect("doctree-resolved", resolve_errata_links)
    app.connect("doctree-resolved", add_errata_notices)
    app.add_directive("course-glossary", CourseGlossary)
    app.add_directive("people-index", PeopleIndex)
    app.add_directive("timeline-table", TimelineTable)
