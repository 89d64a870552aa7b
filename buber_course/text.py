"""The chapter as a structured text.

The scan in ``data/source/`` is the only copy of the chapter's wording. This module turns it, with
the apparatus of corrections in ``data/corrections.csv``, into numbered paragraphs that know the
book page each one starts on, every page break inside it and every corrected reading. The way back
(``scan_text``) rebuilds the scan byte for byte, so nothing of the supplied wording is lost.

Conventions of the scan: blocks are separated by one blank line; the first three blocks are title
lines; a new book page is announced by `` [NNN]`` (a space and the page number in brackets) where
the page begins; text before ``[100]`` stands on page 99. A page that begins between two paragraphs
is announced at the end of the earlier one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import tables
from .paths import DATA

SCAN = DATA / "source" / "paths-in-utopia-ch9.txt"
CORRECTIONS = DATA / "corrections.csv"
QUERIES = DATA / "queries.csv"
FIRST_PAGE, LAST_PAGE = (tables.field("corrections", "page")["constraints"][bound] for bound in ("minimum", "maximum"))
TITLE_BLOCKS = 3
PARAGRAPH_SEPARATOR = "\n\n"
PAGE_MARKER = re.compile(r" \[(\d+)\]")


class TextDataError(tables.TableError):
    """The scan or the corrections file is not as this module expects; the message says where."""


@dataclass(frozen=True)
class Correction:
    """One row of the apparatus: on ``page`` the scan reads ``original``; the text reads ``corrected``."""

    id: str
    page: int
    original: str
    corrected: str
    kind: str
    note: str
    row: int  # line number in corrections.csv, for error messages


@dataclass(frozen=True)
class Query:
    """A reading of the scan that looks wrong but is kept, because it may be the printed book's own:
    on ``page`` the scan reads ``original``; the rest of the chapter suggests ``suggested``."""

    id: str
    page: int
    original: str
    suggested: str
    note: str
    row: int


@dataclass(frozen=True)
class Queried:
    """A stretch of the text that keeps a queried reading."""

    query: Query

    @property
    def reading(self) -> str:
        return self.query.original


@dataclass(frozen=True)
class PageBreak:
    """Book page ``page`` begins here."""

    page: int


@dataclass(frozen=True)
class Corrected:
    """A stretch of the text where the reading differs from the scan."""

    correction: Correction

    @property
    def reading(self) -> str:
        return self.correction.corrected


Piece = str | PageBreak | Corrected | Queried


@dataclass(frozen=True)
class Paragraph:
    """Paragraph ``number`` (1-51): its pieces in order, with the page it starts on."""

    number: int
    page: int
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        """The reading text: corrections applied, page markers left out."""
        return "".join(reading(piece) for piece in self.pieces)

    @property
    def pages(self) -> tuple[int, ...]:
        """Every book page this paragraph has text on."""
        return (self.page, *(p.page for p in self.pieces if isinstance(p, PageBreak) and p.page != self.page))

    @property
    def corrections(self) -> tuple[Correction, ...]:
        return tuple(p.correction for p in self.pieces if isinstance(p, Corrected))

    @property
    def queries(self) -> tuple[Query, ...]:
        return tuple(p.query for p in self.pieces if isinstance(p, Queried))

    def text_on_page(self, page: int) -> str:
        """The reading text of this paragraph that stands on ``page`` (empty if none)."""
        current, out = self.page, []
        for piece in self.pieces:
            if isinstance(piece, PageBreak):
                current = piece.page
            elif current == page:
                out.append(reading(piece))
        return "".join(out)


@dataclass(frozen=True)
class Chapter:
    title_lines: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]

    def paragraph(self, number: int) -> Paragraph:
        if not 1 <= number <= len(self.paragraphs):
            raise TextDataError(f"there is no paragraph {number}: the chapter has paragraphs 1-{len(self.paragraphs)}")
        return self.paragraphs[number - 1]

    def page_text(self, page: int) -> str:
        """The reading text of one book page, paragraphs joined by a blank line."""
        if not FIRST_PAGE <= page <= LAST_PAGE:
            raise TextDataError(f"page {page} is outside the chapter's pages {FIRST_PAGE}-{LAST_PAGE}")
        parts = (p.text_on_page(page) for p in self.paragraphs if page in p.pages)
        return PARAGRAPH_SEPARATOR.join(part for part in parts if part)

    @property
    def corrections(self) -> tuple[Correction, ...]:
        return tuple(c for p in self.paragraphs for c in p.corrections)

    @property
    def queries(self) -> tuple[Query, ...]:
        return tuple(q for p in self.paragraphs for q in p.queries)


def reading(piece: Piece) -> str:
    """What a piece contributes to the reading text (a page break nothing)."""
    if isinstance(piece, PageBreak):
        return ""
    return piece.reading if isinstance(piece, (Corrected, Queried)) else piece


# --- reading the files -------------------------------------------------------------------------


def read_corrections(path: Path = CORRECTIONS) -> list[Correction]:
    """The apparatus rows, checked against the package's schema; a bad row raises an error naming it."""
    table = tables.load("corrections", file=path, error=TextDataError)
    rows = [Correction(**row, row=line) for row, line in zip(table.rows, table.numbers)]
    for c in rows:  # the one rule across cells (the schema checks each cell alone)
        if c.corrected == c.original:
            raise TextDataError(f"{table.file} row {c.row}, field corrected: the correction is the same as the original")
    return rows


def read_queries(path: Path = QUERIES) -> list[Query]:
    """The queried readings, checked against the package's schema; a bad row raises an error naming it."""
    table = tables.load("queries", file=path, error=TextDataError)
    return [Query(**row, row=line) for row, line in zip(table.rows, table.numbers)]


def parse(scan: str, corrections: list[Correction], queries: list[Query] = ()) -> Chapter:
    """The structured chapter from the scan's wording, the apparatus and the queried readings."""
    blocks = scan.split(PARAGRAPH_SEPARATOR)
    titles, raw = blocks[:TITLE_BLOCKS], blocks[TITLE_BLOCKS:]
    paragraphs = _paragraphs(raw)
    for item in [*corrections, *queries]:
        paragraphs = _apply(paragraphs, item)
    return Chapter(tuple(titles), tuple(Paragraph(n, page, tuple(pieces)) for n, page, pieces in paragraphs))


def _paragraphs(raw: list[str]) -> list[tuple[int, int, list[Piece]]]:
    """Split each block at its page markers; a marker ending a block opens the next paragraph."""
    result, page, carried = [], FIRST_PAGE, []
    for number, block in enumerate(raw, start=1):
        start, pieces = page, list(carried)
        parts = PAGE_MARKER.split(block)
        for index, part in enumerate(parts):
            if index % 2 == 0:
                if part:
                    pieces.append(part)
                continue
            if int(part) != page + 1:
                raise TextDataError(f"paragraph {number}: page marker [{part}] follows page {page}")
            page = int(part)
            pieces.append(PageBreak(page))
        carried = []
        if block.endswith("]") and isinstance(pieces[-1], PageBreak):
            carried = [pieces.pop()]
        if pieces and isinstance(pieces[0], PageBreak):
            start = pieces[0].page
        result.append((number, start, pieces))
    if page != LAST_PAGE:
        raise TextDataError(f"the scan ends on page {page}, not {LAST_PAGE}")
    return result


def _apply(paragraphs, correction: Correction | Query):
    """Split the one plain stretch of text holding ``correction.original`` on its page (a query the same
    way, its reading kept)."""
    hits = []
    for index, (_, start, pieces) in enumerate(paragraphs):
        page = start
        for position, piece in enumerate(pieces):
            if isinstance(piece, PageBreak):
                page = piece.page
            elif isinstance(piece, str) and page == correction.page:
                hits += [(index, position, m.start()) for m in re.finditer(re.escape(correction.original), piece)]
    where = f"{(CORRECTIONS if isinstance(correction, Correction) else QUERIES).name} row {correction.row} ({correction.id})"
    if not hits:
        raise TextDataError(f"{where}: original {correction.original!r} is not on page {correction.page}")
    if len(hits) > 1:
        raise TextDataError(f"{where}: original {correction.original!r} stands {len(hits)} times on page "
                            f"{correction.page}; add neighbouring words to make it unique")
    index, position, offset = hits[0]
    number, start, pieces = paragraphs[index]
    text = pieces[position]
    mark = (Corrected if isinstance(correction, Correction) else Queried)(correction)
    replacement = [text[:offset], mark, text[offset + len(correction.original):]]
    pieces = pieces[:position] + [p for p in replacement if p != ""] + pieces[position + 1 :]
    return paragraphs[:index] + [(number, start, pieces)] + paragraphs[index + 1 :]


def scan_text(chapter: Chapter) -> str:
    """The scan's wording, rebuilt from the structured text (the inverse of ``parse``)."""
    blocks = list(chapter.title_lines)
    for paragraph in chapter.paragraphs:
        pieces = list(paragraph.pieces)
        if pieces and isinstance(pieces[0], PageBreak):
            blocks[-1] += _scan(pieces.pop(0))
        blocks.append("".join(_scan(piece) for piece in pieces))
    return PARAGRAPH_SEPARATOR.join(blocks)


def _scan(piece: Piece) -> str:
    if isinstance(piece, PageBreak):
        return f" [{piece.page}]"
    if isinstance(piece, Queried):
        return piece.query.original
    return piece.correction.original if isinstance(piece, Corrected) else piece


@cache
def chapter() -> Chapter:
    """The chapter as the course reads it (cached: the files do not change during a build)."""
    if not SCAN.exists():
        raise TextDataError(f"missing file: {SCAN}")
    return parse(SCAN.read_text(encoding="utf-8"), read_corrections(), read_queries())


def paragraph_range(spec: str) -> range:
    """``"3"`` or ``"3-5"`` as a range of paragraph numbers, checked against the chapter."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", spec)
    if not match:
        raise TextDataError(f"paragraph range {spec!r} is not of the form N or N-M")
    first, last = int(match[1]), int(match[2] or match[1])
    count = len(chapter().paragraphs)
    if not 1 <= first <= last <= count:
        raise TextDataError(f"paragraph range {spec!r} is outside 1-{count}")
    return range(first, last + 1)


def display_parts(correction: Correction) -> tuple[str, str, str, str]:
    """``(lead, scan, reading, tail)``: the whole words a correction changes, and what stays.

    Rows carry neighbouring words to be unique on their page; a reader should see only the word
    that changed marked, so the common lead and tail, cut at a space, are left unmarked.
    """
    original, corrected = correction.original, correction.corrected
    head = len(os.path.commonprefix([original, corrected]))
    foot = len(os.path.commonprefix([original[head:][::-1], corrected[head:][::-1]]))
    lead_end = corrected.rfind(" ", 0, head) + 1
    tail_len = _tail_from_space(corrected, len(corrected) - foot)
    if lead_end == len(corrected) - tail_len:  # a pure deletion between words: mark the next word
        tail_len = _tail_from_space(corrected, lead_end + 1)
    lead = corrected[:lead_end]
    tail = corrected[len(corrected) - tail_len :] if tail_len else ""
    return lead, original[len(lead) : len(original) - len(tail)], corrected[len(lead) : len(corrected) - len(tail)], tail


def _tail_from_space(text: str, position: int) -> int:
    """Length of the tail of ``text`` from the first space at or after ``position``."""
    space = text.find(" ", position)
    return 0 if space == -1 else len(text) - space


def words_per_page(chapter: Chapter) -> dict[int, int]:
    """How many words of the reading text stand on each book page (a word cut by a page break
    counts on the page where it begins)."""
    return {page: len(chapter.page_text(page).split()) for page in range(FIRST_PAGE, LAST_PAGE + 1)}
