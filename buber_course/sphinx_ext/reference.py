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
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import reference, tables
from .chapter import _table, anchor_link

logger = logging.getLogger(__name__)


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
        self.env.note_dependency(str(reference.DATA / tables.DESCRIPTOR))
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
        """Let ``{term}`` name an entry by an alias too, as written or in lower case (a lesson writes
        "dictatorship of the proletariat" where the glossary writes "Dictatorship of the proletariat")."""
        std = self.env.get_domain("std")
        ids = {term.astext().lower(): term["ids"][0] for node in result for term in node.findall(nodes.term)}
        for row in entries:
            for alias in reference.split(row["aliases"]):
                for name in dict.fromkeys([alias, alias.lower()]):
                    if name.lower() not in ids and ("term", name) not in std.objects:
                        std.note_object("term", name, ids[row["term"].lower()], location=self.get_location())


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
        events = self.load()
        rows = []
        for row in events:
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
        block["anchors"] = [(row["id"], row["event"]) for row in events]
        return [block]


class ErrataList(ReferenceDirective):
    """The errata page: every correction, newest first, grouped by the page it concerns in the
    book's order, each with a link to that page and section. The list is made when the page is
    written (``write_errata``), once every page's title, sections and place in the book are known;
    ``add_errata_notices`` puts a link back at the top of each corrected page."""

    table = "errata"

    def run(self):
        entries = self.load()
        if not entries:
            return [nodes.paragraph("", "No page has been corrected since the course was first published.")]
        return [errata_list(entries=entries)]


class errata_list(nodes.General, nodes.Element):
    """Placeholder for the errata, filled in by ``write_errata``."""


def group_id(row) -> str:
    """The anchor of one page's corrections of one day: ``changes-20261202-book-lessons-lesson-1``."""
    return f"changes-{row['date']:%Y%m%d}-{row['page'].replace('/', '-')}"


def book_order(env) -> dict[str, int]:
    """Each page's place in the book, walking the table of contents from the root page."""
    order: dict[str, int] = {}

    def walk(docname):
        if docname not in order:
            order[docname] = len(order)
            for child in env.toctree_includes.get(docname, []):
                walk(child)

    walk(env.config.root_doc)
    return order


def page_link(app, docname, row, section="") -> nodes.reference:
    """A link to a corrected page, named by its title, and to the section (or table row) the row
    names; a page or section that does not exist is a build error naming the row."""
    target = row["page"]
    title = app.env.titles.get(target)
    anchor = ""
    if target not in app.env.all_docs:
        logger.warning(f"data/errata.csv row {row['id']}, field page: no page {target!r} in the book", location=docname)
    elif section:
        tree = app.env.get_doctree(target)
        plain = section.replace("*", "")  # the heading as written in Markdown: "*Paths in Utopia*"
        titled = next((s for s in tree.findall(nodes.section) if s[0].astext() == plain), None)
        term = next((t for t in tree.findall(nodes.term) if t.astext() == plain and t["ids"]), None)
        if titled is not None:
            anchor = "#" + titled["ids"][0]
        elif term is not None:
            anchor = "#" + term["ids"][0]  # a glossary term
        elif any(section in node.get("ids", []) for node in tree.findall(nodes.Element)):
            anchor = "#" + section  # a row of a table page (people.html#martov)
        else:
            logger.warning(f"data/errata.csv row {row['id']}, field section: {target} has no section titled "
                           f"{section!r} and no row with that id", location=docname)
    return nodes.reference("", section.replace("*", "") or (title.astext() if title else target),
                           refuri=app.builder.get_relative_uri(docname, target) + anchor)


def write_errata(app, doctree, docname):
    """Fill the errata list: for each date, newest first, one group per page in the book's order."""
    order = book_order(app.env)
    for placeholder in list(doctree.findall(errata_list)):
        rows = sorted(placeholder["entries"], key=lambda r: (-r["date"].toordinal(), order.get(r["page"], len(order)), r["id"]))
        groups: dict[str, list[dict]] = {}
        for row in rows:
            groups.setdefault(group_id(row), []).append(row)
        overview = nodes.bullet_list(classes=["errata-overview"])
        blocks = []
        for anchor, group in groups.items():
            first = group[0]
            title = app.env.titles.get(first["page"])
            name = title.astext() if title else first["page"]
            count = f"{len(group)} change{'s' if len(group) > 1 else ''}"
            overview += nodes.list_item("", nodes.paragraph("", "", nodes.reference("", name, refuri="#" + anchor),
                                                             nodes.Text(f" ({first['date']:%-d %B %Y}, {count})")))
            heading = nodes.paragraph(classes=["errata-group"], ids=[anchor])
            heading += [nodes.strong("", "", page_link(app, docname, first)),
                        nodes.Text(f", corrected {first['date']:%-d %B %Y} ({count})")]
            items = nodes.bullet_list(classes=["errata"])
            for row in group:
                item = nodes.list_item(ids=[row["id"]])
                where = page_link(app, docname, row, row["section"] or "")  # the section, else the page itself
                item += nodes.paragraph("", "", nodes.emphasis("", "Where: "), where)
                for label, field in (("It said: ", "before"), ("It says now: ", "after"), ("Why: ", "why")):
                    item += nodes.paragraph("", "", nodes.emphasis("", label), nodes.Text(row[field]))
                items += item
            blocks += [heading, items]
        placeholder.replace_self([overview, *blocks])


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
    newest = next(row for row in changed if row["date"] == latest)
    note += nodes.reference("", "Errata and changes", internal=True,
                            refuri=app.builder.get_relative_uri(docname, errata_doc) + "#" + group_id(newest))
    note += nodes.Text(".")
    title = next(doctree.findall(nodes.title))
    title.parent.insert(title.parent.index(title) + 1, note)


def notice_keys(rows):
    """What each corrected page's notice says: how many changes and the newest group it links to."""
    changed = {}
    for row in rows:
        changed.setdefault(row["page"], []).append(row)
    return {page: (len(group), group_id(max(group, key=lambda row: row["date"]))) for page, group in changed.items()}


def pages_whose_notice_changed(app, env, added, changed, removed):
    """A page's notice comes from data/errata.csv, which the page itself never reads, so Sphinx
    would not rebuild it when a row is added: re-read each page whose notice is no longer the same."""
    try:
        now = notice_keys(reference.errata())
    except reference.ReferenceDataError:
        return []
    before = getattr(env, "errata_notice_keys", {})
    env.errata_notice_keys = now
    return [doc for doc in sorted(set(now) | set(before))
            if now.get(doc) != before.get(doc) and doc in env.found_docs and doc not in changed | added]


def setup(app):
    app.add_config_value("errata_doc", "book/errata", "env")
    app.connect("env-get-outdated", pages_whose_notice_changed)
    app.add_directive("errata-list", ErrataList)
    app.add_node(errata_list)
    app.connect("doctree-resolved", write_errata)
    app.connect("doctree-resolved", add_errata_notices)
    app.add_directive("course-glossary", CourseGlossary)
    app.add_directive("people-index", PeopleIndex)
    app.add_directive("timeline-table", TimelineTable)
