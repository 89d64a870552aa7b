"""Page-exact citations of the chapter, in Chicago style and as BibTeX.

The edition data are only those the course has seen (see data/references.bib, ``buber1949paths``):
the 1949 English translation by R. F. C. Hull. The publisher of the 1949 edition was not seen, so it
is not given.
"""

from __future__ import annotations

AUTHOR, TRANSLATOR = "Martin Buber", "R. F. C. Hull"
BOOK, CHAPTER_TITLE, CHAPTER, YEAR = "Paths in Utopia", "Lenin and the Renewal of Society", "IX", 1949


def page_range(pages: list[int] | tuple[int, ...]) -> str:
    """``p. 113`` or ``pp. 112-113``."""
    first, last = min(pages), max(pages)
    return f"p. {first}" if first == last else f"pp. {first}-{last}"


def chicago(pages, paragraph: int | None = None) -> str:
    """A Chicago-style note citation of the given pages (and the course's paragraph number)."""
    where = page_range(pages) + (f" (paragraph {paragraph} of the course's reading text)" if paragraph else "")
    return (f'{AUTHOR}, {BOOK}, trans. {TRANSLATOR} ({YEAR}), ch. {CHAPTER}, "{CHAPTER_TITLE}," {where}.')


def bibtex(pages, paragraph: int | None = None, url: str = "") -> str:
    """A BibTeX entry for the given pages; the key names the pages so several can coexist."""
    first, last = min(pages), max(pages)
    pages_field = str(first) if first == last else f"{first}--{last}"
    lines = [
        f"@incollection{{buber{YEAR}paths-p{first}" + (f"-{last}" if last != first else "") + ",",
        "  author     = {Buber, Martin},",
        "  translator = {Hull, R. F. C.},",
        f"  title      = {{{CHAPTER_TITLE}}},",
        f"  booktitle  = {{{BOOK}}},",
        f"  chapter    = {{{CHAPTER}}},",
        f"  year       = {{{YEAR}}},",
        f"  pages      = {{{pages_field}}},",
    ]
    if paragraph:
        lines.append(f"  note       = {{Paragraph {paragraph} of the reading text of the course}},")
    if url:
        lines.append(f"  url        = {{{url}}},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines + ["}"])
