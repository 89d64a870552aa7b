"""The quotations of the chapter: look-up, verification against the reading text, shared words.

``data/quotations.csv`` holds Buber's side: one row per quotation the chapter attributes to someone,
its words exactly as they stand in the reading text (``buber_course.text``, corrections applied), and
the record's date of the words. ``data/quotation-sources.csv`` holds, for each id, where the words were
traced: the original-language passage, edition, volume and page, what was seen and how Buber differs.
This module joins the two tables by id; both are read through ``tables.load``, which checks them
against their schema in ``data/datapackage.json``, so a malformed row of either names the file, row
and field. Only the rules that tie cells or tables together are written here. ``data/comparison-sets.csv`` groups quotations a teacher would set
side by side.

Where the chapter interrupts a quotation with its own words ("he says"), the row gives the quoted
parts in order, joined by ``GAP``. This module is the ONE place for the rules that turn a quotation
into words and mark the words two quotations share: the live comparer, the static book's comparer
(whose page script only compares the words exported here) and the tests all call it.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, replace
from datetime import date as Day
from functools import cache
from html import escape
from pathlib import Path

from . import tables, text
from .paths import DATA

QUOTATIONS = DATA / "quotations.csv"  # the columns, types and allowed values of the three tables are in the
SOURCES = DATA / "quotation-sources.csv"  # package's schema (data/datapackage.json); tables.load checks them
COMPARISON_SETS = DATA / "comparison-sets.csv"
SET_ORDERS = tuple(tables.field("comparison-sets", "order")["constraints"]["enum"])  # order_problem checks the claim
GAP = " [...] "  # the course's mark where the chapter's own words interrupt a quotation
MAX_GAP = 80  # characters of the chapter's own words allowed between two parts ("he continues")
LIST_SEPARATOR = ";"
CONFIDENCE = {  # labels of the schema's confidence values (a test checks that both name the same values)
    "seen": "Original seen: the passage was read in the original edition",
    "seen-quoted": "Seen only as quoted in another work",
    "seen-work": "Work seen; the passage itself was not",
    "probable": "Probable source, not confirmed",
    "not-found": "No source found",
}
# The themes a quotation may have: the schema's pattern for the column is "(a|b|...)(;(a|b|...))*".
THEMES = tuple(re.match(r"\(([^()]*)\)", tables.field("quotations", "themes")["constraints"]["pattern"])[1].split("|"))
QUOTE_MARKS = "\"'"
EDITIONS = {  # edition code: (how the book cites it, the volumes it has)
    "PSS": ("PSS", range(1, 56)),  # Lenin, Polnoe sobranie sochinenii, 5th ed., 55 volumes
    "Soch": ("Soch.", range(1, 19)),  # Stalin, Sochineniya
    "MEW": ("MEW", range(1, 44)),  # Marx/Engels, Werke, 43 volumes (Ergänzungsbände not used)
    "other": ("", range(1, 56)),  # the edition is named in edition_note
}
ESTIMATED = "page estimated"  # how edition_note begins where the page was interpolated, not read


class QuotationError(tables.TableError):
    """A quotation or comparison set is unknown, malformed or not where its row says; the message says which."""


@dataclass(frozen=True)
class Quotation:
    id: str
    speaker: str
    year: int | None
    date: str
    page: int
    text: str
    work: str
    themes: tuple[str, ...]
    source: Source | None = None  # where it was traced (quotation-sources.csv); set when both tables are read
    row: int = 0  # line in quotations.csv, for error messages

    @property
    def parts(self) -> tuple[str, ...]:
        """The stretches the chapter quotes, in order (one unless the chapter interrupts the quotation)."""
        return tuple(self.text.split(GAP))

    @property
    def label(self) -> str:
        return f"{self.speaker}, {self.year}" if self.year else f"{self.speaker}, no year given"

    @property
    def confidence(self) -> str:
        return self.source.confidence if self.source else "not-found"

    @property
    def traced_to_page(self) -> bool:
        """Was the original traced to a volume and page of an edition?"""
        return bool(self.source and self.source.volume and self.source.page)

    @property
    def anchor(self) -> str:
        """Its id on the reading page (``q-`` keeps it apart from ``p-N``, ``page-NNN`` and ``cNN``)."""
        return f"q-{self.id}"


@dataclass(frozen=True)
class Source:
    """Where a quotation was traced: one row of quotation-sources.csv."""

    id: str
    work: str
    work_original: str
    date_original: str
    language: str
    original: str
    edition: str
    volume: int | None
    page: str
    edition_note: str
    standard_english: str
    standard_source: str
    url: str
    seen: str
    difference: str
    confidence: str
    note: str
    row: int = 0

    @property
    def page_estimated(self) -> bool:
        return self.edition_note.startswith(ESTIMATED)

    @property
    def address(self) -> str:
        """Edition, volume and page as the book cites them: "PSS 45, p. 373", "Soch. 13, pp. 228-229
        (page estimated)", "MEW 18, p. 280"; for another edition, the edition named in edition_note."""
        if not self.page:
            return ""
        pages = f"pp. {self.page}" if "-" in self.page else f"p. {self.page}"
        if self.edition == "other":
            return f"{self.edition_note}, {pages}"
        name = EDITIONS[self.edition][0] if self.edition in EDITIONS else self.edition
        where = f"{name} {self.volume}, {pages}" if self.volume else f"{name}, {pages}"
        return where + (" (page estimated)" if self.page_estimated else "")


@dataclass(frozen=True)
class ComparisonSet:
    id: str
    title: str
    reason: str
    ids: tuple[str, ...]
    row: int = 0
    order: str = "listed"  # one of SET_ORDERS


# --- reading the tables ------------------------------------------------------------------------


def read_quotations(path: Path = QUOTATIONS, sources: Path | None = None) -> tuple[Quotation, ...]:
    """Every row of quotations.csv joined with its row of quotation-sources.csv (by default the one
    beside it), both checked; a bad row of either raises an error naming the file, row and field.
    The package's foreign key says each source row is a quotation's; the join adds the other way
    round and the order, which a schema cannot say."""
    table = tables.load("quotations", file=path, error=QuotationError)
    quotations = tuple(Quotation(**row | {"themes": tuple(row["themes"].split(LIST_SEPARATOR))}, row=line)
                       for row, line in zip(table.rows, table.numbers))
    sources = sources or path.parent / SOURCES.name
    traced = read_sources(sources)
    by_id = {s.id: s for s in traced}
    for q in quotations:
        if q.id not in by_id:
            raise QuotationError(f"{table.file} row {q.row}, field id: {q.id!r} has no row in {tables.shown(sources)} "
                                 f"(every quotation has one)")
    for source, q in zip(traced, quotations):
        if source.id != q.id:
            raise QuotationError(f"{tables.shown(sources)} row {source.row}, field id: {source.id!r} is out of order; "
                                 f"keep the rows in the order of {table.file} (expected {q.id!r} here)")
    if len(traced) > len(quotations):  # the package's foreign key looks in the quotations beside the sources
        extra = traced[len(quotations)]
        raise QuotationError(f"{tables.shown(sources)} row {extra.row}, field id: {extra.id!r} is not a quotation "
                             f"of {table.file}")
    return tuple(replace(q, source=by_id[q.id]) for q in quotations)


def read_sources(path: Path = SOURCES) -> tuple[Source, ...]:
    """The rows of quotation-sources.csv, checked against the package's schema and the rules across
    its cells; the first problem raises an error naming the file, row and field."""
    table = tables.load("quotation-sources", file=path, error=QuotationError)
    for row, line in zip(table.rows, table.numbers):
        _check_source(row, f"{table.file} row {line}")
    return tuple(Source(**row, row=line) for row, line in zip(table.rows, table.numbers))


def _check_source(row: dict, where: str) -> None:
    """The rules the schema cannot say: they tie one cell to another."""
    if row["confidence"] not in CONFIDENCE:  # the schema allows it but the book has no label for it
        raise QuotationError(f"{where}, field confidence: {row['confidence']!r} has no label in quotations.CONFIDENCE")
    volume, edition = row["volume"], row["edition"]
    if volume and edition in EDITIONS and volume not in EDITIONS[edition][1]:
        span = EDITIONS[edition][1]
        raise QuotationError(f"{where}, field volume: {edition} has volumes {span.start}-{span.stop - 1}, not {volume}")
    if "-" in row["page"]:
        first, last = (int(p) for p in row["page"].split("-"))
        if last <= first:
            raise QuotationError(f"{where}, field page: {row['page']!r} does not run forward")
    if row["confidence"] in ("seen", "seen-quoted"):
        for field in ("original", "language", "edition", "page"):
            if not row[field].strip():
                raise QuotationError(f"{where}, field {field}: empty, but confidence {row['confidence']!r} "
                                     f"says the passage was read")


def read_sets(path: Path = COMPARISON_SETS, known: dict[str, Quotation] | None = None) -> tuple[ComparisonSet, ...]:
    """The comparison sets; a set naming an unknown quotation raises an error naming both (a list in a
    cell, which a foreign key of the package cannot check)."""
    known = quotations() if known is None else known
    table = tables.load("comparison-sets", file=path, error=QuotationError)
    sets = []
    for row, line in zip(table.rows, table.numbers):
        ids = tuple(row["ids"].split(LIST_SEPARATOR))
        for qid in ids:
            if qid not in known:
                raise QuotationError(f"{table.file} row {line}, field ids: {_unknown(qid, known)}")
        sets.append(ComparisonSet(**row | {"ids": ids}, row=line))
    return tuple(sets)


@cache
def quotations() -> dict[str, Quotation]:
    """Every quotation by id, in the order of the chapter (cached: the files do not change in a build)."""
    return {q.id: q for q in read_quotations()}


@cache
def comparison_sets() -> dict[str, ComparisonSet]:
    return {s.id: s for s in read_sets()}


def quotation(qid: str) -> Quotation:
    """The quotation with this id; an unknown id raises an error naming it and the closest ids."""
    try:
        return quotations()[qid]
    except (KeyError, TypeError):
        raise QuotationError(_unknown(qid, quotations())) from None


def comparison_set(sid: str) -> ComparisonSet:
    try:
        return comparison_sets()[sid]
    except (KeyError, TypeError):
        raise QuotationError(_unknown(sid, comparison_sets(), kind="comparison set")) from None


def _unknown(key, known, kind: str = "quotation") -> str:
    close = difflib.get_close_matches(str(key), list(known), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; see the id column of data/{'quotations' if kind == 'quotation' else 'comparison-sets'}.csv"
    return f"unknown {kind} id {key!r}{hint}"


# --- the order a comparison set claims ---------------------------------------------------------


def date_span(q: Quotation) -> tuple[Day, Day] | None:
    """The first and last day the record dates the words to: its ``date`` (a day, month or year, or a
    span of them, as ``1878-05/1878-07``), else its ``year``; None where the record gives neither."""
    value = q.date or (str(q.year) if q.year else "")
    if not value:
        return None
    start, _, end = value.partition("/")
    return _day(start, first=True), _day(end or start, first=False)


def _day(value: str, first: bool) -> Day:
    parts = [int(p) for p in value.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else (1 if first else 12)
    day = parts[2] if len(parts) > 2 else (1 if first else calendar.monthrange(year, month)[1])
    return Day(year, month, day)


def chapter_position(q: Quotation, chapter: text.Chapter | None = None) -> tuple[int, int]:
    """(paragraph, offset) of the quotation's first words in the chapter: the order Buber quotes in."""
    place = locate(q, chapter)
    return place.paragraph, place.spans[0][0]


def order_problem(s: ComparisonSet, chapter: text.Chapter | None = None) -> str | None:
    """Why the set's ids do not stand in the order its ``order`` claims, or None if they do. In date
    order no quotation stands after one whose record dates it wholly later (spans that overlap, such
    as a year and a day in it, may stand either way); a quotation with neither date nor year cannot."""
    kind = s.order.removeprefix("pair-then-")
    ordered = [quotation(i) for i in (s.ids[2:] if s.order.startswith("pair-then-") else s.ids)]
    where = f"{COMPARISON_SETS.name} row {s.row} ({s.id}), order {s.order!r}"
    if kind == "date":
        spans = {q.id: date_span(q) for q in ordered}
        for q in ordered:
            if spans[q.id] is None:
                return f"{where}: {q.id} has no date or year in {QUOTATIONS.name}, so it cannot stand in date order"
        for n, earlier in enumerate(ordered):
            for later in ordered[n + 1:]:
                if spans[later.id][1] < spans[earlier.id][0]:
                    return (f"{where}: {later.id} ({later.date or later.year}) stands after {earlier.id} "
                            f"({earlier.date or earlier.year}), which the record dates later")
    elif kind == "chapter":
        for earlier, later in zip(ordered, ordered[1:]):
            if chapter_position(later, chapter) < chapter_position(earlier, chapter):
                return f"{where}: {later.id} (p. {later.page}) stands after {earlier.id} (p. {earlier.page}), which the chapter quotes later"
    return None


# --- where a quotation stands in the reading text ---------------------------------------------


def _find_parts(haystack: str, parts: tuple[str, ...], first_start: range) -> list[list[tuple[int, int]]]:
    """Every way the parts stand in ``haystack`` in order, the first beginning in ``first_start``,
    each later one after a short stretch of the chapter's own words; as lists of (start, end)."""
    found = []
    for match in re.finditer(re.escape(parts[0]), haystack):
        if match.start() not in first_start:
            continue
        spans, end = [(match.start(), match.end())], match.end()
        for part in parts[1:]:
            position = haystack.find(part, end, end + MAX_GAP + len(part))
            if position == -1:
                break
            spans.append((position, position + len(part)))
            end = position + len(part)
        if len(spans) == len(parts):
            found.append(spans)
    return found


def stands_on_its_page(q: Quotation, chapter: text.Chapter | None = None) -> bool:
    """Does the quotation stand verbatim in the reading text, beginning on its page? It may run on
    to the next page: it is looked for in that page and the following one, joined by a space."""
    chapter = chapter or text.chapter()
    here = chapter.page_text(q.page).rstrip()
    following = chapter.page_text(q.page + 1).lstrip() if q.page < text.LAST_PAGE else ""
    return bool(_find_parts(f"{here} {following}", q.parts, range(len(here))))


@dataclass(frozen=True)
class Place:
    """Where a quotation stands: its paragraph and the (start, end) of each part in its reading text."""

    paragraph: int
    spans: tuple[tuple[int, int], ...]


def page_offsets(paragraph: text.Paragraph) -> dict[int, range]:
    """For each book page the paragraph has text on, the offsets of that text in ``paragraph.text``."""
    offsets, page, position, start = {}, paragraph.page, 0, 0
    for piece in paragraph.pieces:
        if isinstance(piece, text.PageBreak):
            offsets[page] = range(start, position)
            page, start = piece.page, position
        else:
            position += len(text.reading(piece))
    offsets[page] = range(start, position)
    return offsets


def locate(q: Quotation, chapter: text.Chapter | None = None) -> Place:
    """The quotation's place in the chapter. Where its words stand more than once on the page, the
    first occurrence inside quotation marks is taken (Buber's own use of a word is not the quotation)."""
    chapter = chapter or text.chapter()
    candidates = []
    for paragraph in chapter.paragraphs:
        offsets = page_offsets(paragraph).get(q.page)
        if offsets is not None:
            candidates += [(paragraph, spans) for spans in _find_parts(paragraph.text, q.parts, offsets)]
    if not candidates:
        raise QuotationError(f"{QUOTATIONS.name} row {q.row} ({q.id}): its text does not stand on page {q.page} "
                             f"of the reading text: {q.text[:60]!r}")
    quoted = [(p, s) for p, s in candidates if s[0][0] > 0 and p.text[s[0][0] - 1] in QUOTE_MARKS]
    paragraph, spans = (quoted or candidates)[0]
    return Place(paragraph.number, tuple(spans))


# --- words, and the words two quotations share ------------------------------------------------

WORD = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*")
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can cannot could did do does doing down during each even ever every few for from
further had has have having he her here hers him himself his how i if in into is it its itself just
let like may me might more most much must my no nor not now of off on once only or other our ours out
over own per same shall she should so some such than that the their theirs them themselves then there
these they this those through thus to too under until up upon us very was we were what when where
which while who whom why will with within without would yet you your yes s dont
""".split())

PREFIXES = frozenset({"co", "re", "de", "pre", "post", "anti", "counter", "ultra", "non", "sub", "inter", "to"})


@dataclass(frozen=True)
class Token:
    """A word of a quotation: where it stands in the text and the form it is compared in."""

    start: int
    end: int
    word: str
    norm: str


def normalize(word: str) -> str:
    """The form words are compared in: lower case, no hyphen or apostrophe ("Co-operatives" and
    "Cooperatives" agree), and a plural -s dropped ("Councils" and "Council" agree)."""
    norm = re.sub(r"['\u2019-]", "", word.lower())
    if len(norm) > 4 and norm.endswith(("sses", "xes", "ches", "shes")):
        return norm[:-2]
    if len(norm) > 4 and norm.endswith("ies"):
        return norm[:-3] + "y"
    if len(norm) > 3 and norm.endswith("s") and not norm.endswith(("ss", "us", "is")):
        return norm[:-1]
    return norm


def _words(quoted: str):
    """(start, end, word): a hyphenated compound counts as its parts ("State-apparatus" shares
    "apparatus" with "State apparatus"), unless it opens with a prefix ("Co-operative", "to-day")."""
    for match in WORD.finditer(quoted):
        word = match.group()
        if "-" not in word or word.split("-")[0].lower() in PREFIXES:
            yield match.start(), match.end(), word
            continue
        position = match.start()
        for part in word.split("-"):
            yield position, position + len(part), part
            position += len(part) + 1


def tokens(quoted: str) -> list[Token]:
    """The words of a text that count in a comparison: stop words and single letters left out."""
    return [token for token in diff_tokens(quoted) if token.norm not in STOP_WORDS and len(token.norm) > 1]


def shared_words(first: str, second: str) -> list[str]:
    """The compared forms both texts use, in the order they first appear in ``first``."""
    theirs = {t.norm for t in tokens(second)}
    return list(dict.fromkeys(t.norm for t in tokens(first) if t.norm in theirs))


def highlight(quoted: str, shared) -> str:
    """The text as HTML, escaped: each counted word is a ``span.qw`` carrying its compared form, and
    the words in ``shared`` are ``mark.qw`` instead (the static page script swaps the two)."""
    shared, words = set(shared), []
    for token in tokens(quoted):
        tag = "mark" if token.norm in shared else "span"
        html = f'<{tag} class="qw" data-w="{escape(token.norm)}">{escape(token.word)}</{tag}>'
        words.append((token.start, token.end, html))
    return _with_marks(quoted, words)


def _with_marks(quoted: str, marks) -> str:
    """The text as HTML, escaped, with each ``(start, end, html)`` of ``marks`` in place of that stretch."""
    out, position = [], 0
    for start, end, html in marks:
        out += [escape(quoted[position:start]), html]
        position = end
    return "".join(out) + escape(quoted[position:])


def shared_summary(first: str, second: str) -> str:
    """One sentence naming the shared words as the first text spells them (plain text)."""
    words = shared_words(first, second)
    if not words:
        return SHARED_NONE
    spelled = {t.norm: t.word for t in reversed(tokens(first))}
    return SHARED_SOME.format(n=len(words)) + ", ".join(spelled[w] for w in words)


# --- Buber's English against the standard English: the words each has that the other has not ---------


def diff_tokens(quoted: str) -> list[Token]:
    """Every word of a text, common words included, in the form words are compared in (``normalize``)."""
    return [Token(start, end, word, normalize(word)) for start, end, word in _words(quoted)]


def word_diff(buber: str, standard: str) -> tuple[list[list[Token]], list[list[Token]]]:
    """The runs of words of Buber's English that the standard English does not have, and the runs of
    the standard English that Buber's does not have: difflib's word-level diff of the two texts in
    their compared forms (capitals, hyphens, apostrophes and a plural -s aside). The ONE rule for the
    marks of the three-version view, in the book, the live comparer and the tests."""
    ours, theirs = diff_tokens(buber), diff_tokens(standard)
    matcher = difflib.SequenceMatcher(None, [t.norm for t in ours], [t.norm for t in theirs], autojunk=False)
    changed = [opcode for opcode in matcher.get_opcodes() if opcode[0] != "equal"]
    return ([ours[i1:i2] for _, i1, i2, _, _ in changed if i2 > i1],
            [theirs[j1:j2] for _, _, _, j1, j2 in changed if j2 > j1])


def diff_runs(buber: str, standard: str) -> tuple[list[str], list[str]]:
    """The marked stretches of each text as they read (from a run's first word to its last)."""
    only_buber, only_standard = word_diff(buber, standard)
    return ([buber[r[0].start:r[-1].end] for r in only_buber], [standard[r[0].start:r[-1].end] for r in only_standard])


def diff_html(quoted: str, runs: list[list[Token]], tag: str, label: str) -> str:
    """The text as HTML, escaped, each run inside ``<tag class="qc-diff">`` opened by a label that
    only screen readers read (``[only in Buber's English: ... ]``)."""
    marks = []
    for run in runs:
        start, end = run[0].start, run[-1].end
        html = (f'<{tag} class="qc-diff"><span class="qc-sr">[{escape(label)}: </span>{escape(quoted[start:end])}'
                f'<span class="qc-sr">]</span></{tag}>')
        marks.append((start, end, html))
    return _with_marks(quoted, marks)


SHARED_NONE = "The two quotations share no words (common words such as 'the' and 'of' aside)."
SHARED_SOME = "Words both quotations use ({n}): "
