"""Buber's chapter is cited from one place, its entry in data/references.bib; every other copy of the
book's data (the scan's title lines, the sources table, CITATION.cff, the chapter's pages) must agree."""

from __future__ import annotations

import csv
import re

import pytest
import yaml
from pybtex.database import parse_file

from buber_course import citation, text
from buber_course.paths import DATA, ROOT

ENTRY = parse_file(str(DATA / "references.bib")).entries["buber1949paths"]


def test_the_citations_take_the_book_from_its_bib_entry():
    assert citation.AUTHOR_SORTED == str(ENTRY.persons["author"][0])
    assert (citation.TRANSLATOR_SORTED, citation.BOOK) == (ENTRY.fields["translator"], ENTRY.fields["title"])
    assert (citation.CHAPTER, citation.CHAPTER_TITLE) == (ENTRY.fields["coursechapter"], ENTRY.fields["coursechaptertitle"])
    assert citation.YEAR == int(ENTRY.fields["year"])


def test_a_citation_reads_as_it_did_before_the_entry_became_its_source():
    # the published form, written out once here so that a change to the reading of the entry shows
    assert citation.chicago([112, 113], 4) == ('Martin Buber, Paths in Utopia, trans. R. F. C. Hull (1949), ch. IX, '
                                               '"Lenin and the Renewal of Society," pp. 112-113 (paragraph 4 of the '
                                               "course's reading text).")
    assert citation.bibtex([113]).splitlines()[:3] == ["@incollection{buber1949paths-p113,", "  author     = {Buber, Martin},",
                                                       "  translator = {Hull, R. F. C.},"]


def test_the_scan_of_the_chapter_names_the_same_book_and_chapter():
    author, book, year = re.fullmatch(r"(.+), (.+) \((\d{4})\)\.", text.chapter().title_lines[0]).groups()
    assert (author, book, int(year)) == (citation.AUTHOR, citation.BOOK, citation.YEAR)
    assert text.chapter().title_lines[1:] == (citation.CHAPTER, citation.CHAPTER_TITLE.upper())


def test_the_entrys_note_gives_the_chapters_pages_of_the_reading_text():
    pages = re.search(r"Chapter (\w+) = pp\. (\d+)-(\d+)", ENTRY.fields["annote"]).groups()
    assert pages == (citation.CHAPTER, str(text.FIRST_PAGE), str(text.LAST_PAGE))


def test_the_sources_table_and_citation_cff_describe_the_same_book():
    with (DATA / "sources.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == "buber1949")
    assert int(row["year"]) == citation.YEAR and row["author"].endswith(citation.AUTHOR.split()[-1])
    for part in (citation.BOOK, f"ch. {citation.CHAPTER}", citation.CHAPTER_TITLE, citation.TRANSLATOR):
        assert part in row["title"], part
    book = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["references"][0]
    assert (book["title"], book["year"], book["section"]) == (citation.BOOK, citation.YEAR,
                                                              f"{citation.CHAPTER}. {citation.CHAPTER_TITLE}")
    assert (book["start"], book["end"]) == (text.FIRST_PAGE, text.LAST_PAGE)


@pytest.mark.parametrize("entry, message", [
    ("@misc{other,\n  title = {X}\n}\n", r"data/references\.bib: no entry 'buber1949paths'"),
    ("@misc{buber1949paths,\n  author = {Buber, Martin},\n  title = {Paths in Utopia},\n  year = {1949}\n}\n",
     r"data/references\.bib, entry 'buber1949paths': no field translator, coursechapter, coursechaptertitle"),
])
def test_a_missing_entry_or_field_is_named(tmp_path, entry, message):
    bib = tmp_path / "references.bib"
    bib.write_text(entry, encoding="utf-8")
    with pytest.raises(citation.CitationDataError, match=message):
        citation.entry_fields(bib)
