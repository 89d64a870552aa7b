"""Page-exact citations of the chapter, in Chicago style and as BibTeX.

The edition data are those of one entry, ``buber1949paths`` in data/references.bib (read with pybtex,
which the bibliography already uses): the 1949 English translation by R. F. C. Hull, as the course saw
it. Its publisher was not seen, so the entry gives none and neither do the citations. Every page that
names the book (citation tags, print and e-book title pages) takes these values from here.
"""

from __future__ import annotations

from pathlib import Path

from pybtex.database import Person, parse_file

from .paths import DATA

REFERENCES, KEY = DATA / "references.bib", "buber1949paths"


class CitationDataError(ValueError):
    """The book's entry is missing from references.bib or lacks a field; the message names both."""


def entry_fields(bib: Path = REFERENCES) -> dict[str, str]:
    """The book's fields as the entry writes them (the author as "Buber, Martin")."""
    entries = parse_file(str(bib), bib_format="bibtex").entries
    if KEY not in entries:
        raise CitationDataError(f"data/{bib.name}: no entry {KEY!r} (the edition the course cites)")
    entry = entries[KEY]
    fields = dict(entry.fields) | {"author": str(entry.persons.get("author", [""])[0])}
    missing = [f for f in ("author", "translator", "title", "coursechapter", "coursechaptertitle", "year") if not fields.get(f)]
    if missing:
        raise CitationDataError(f"data/{bib.name}, entry {KEY!r}: no field {', '.join(missing)}")
    return fields


def _first_last(name: str) -> str:
    """'Hull, R. F. C.' as 'R. F. C. Hull'."""
    person = Person(name)
    return " ".join(person.first_names + person.middle_names + person.prelast_names + person.last_names)


_FIELDS = entry_fields()
AUTHOR_SORTED, TRANSLATOR_SORTED = _FIELDS["author"], _FIELDS["translator"]  # "Buber, Martin", as BibTeX has it
AUTHOR, TRANSLATOR = _first_last(AUTHOR_SORTED), _first_last(TRANSLATOR_SORTED)
BOOK, CHAPTER_TITLE, CHAPTER, YEAR = _FIELDS["title"], _FIELDS["coursechaptertitle"], _FIELDS["coursechapter"], int(_FIELDS["year"])


def page_range(pages: list[int] | tuple[int, ...]) -> str:
    """``p. 113`` or ``pp. 112-113``."""
    first, last = min(pages), max(pages)
    return f"p. {first}" if first == last else f"pp. {first}-{last}"


def chicago(pages, paragraph: int | None = None, book: str = BOOK) -> str:
    """A Chicago-style note citation of the given pages (and the course's paragraph number); ``book``
    is the book's title as set, such as ``<cite>Paths in Utopia</cite>`` in HTML."""
    where = page_range(pages) + (f" (paragraph {paragraph} of the course's reading text)" if paragraph else "")
    return (f'{AUTHOR}, {book}, trans. {TRANSLATOR} ({YEAR}), ch. {CHAPTER}, "{CHAPTER_TITLE}," {where}.')


def bibtex(pages, paragraph: int | None = None, url: str = "") -> str:
    """A BibTeX entry for the given pages; the key names the pages so several can coexist."""
    first, last = min(pages), max(pages)
    fields = {"author": AUTHOR_SORTED, "translator": TRANSLATOR_SORTED, "title": CHAPTER_TITLE, "booktitle": BOOK,
              "chapter": CHAPTER, "year": YEAR, "pages": str(first) if first == last else f"{first}--{last}",
              "note": paragraph and f"Paragraph {paragraph} of the reading text of the course", "url": url}
    key = f"buber{YEAR}paths-p{first}" + (f"-{last}" if last != first else "")
    return "\n".join([f"@incollection{{{key},", ",\n".join(f"  {name:<10} = {{{value}}}" for name, value in fields.items()
                                                          if value), "}"])
