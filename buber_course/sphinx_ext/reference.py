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


def setup(app):
    app.add_directive("course-glossary", CourseGlossary)
    app.add_directive("people-index", PeopleIndex)
    app.add_directive("timeline-table", TimelineTable)
