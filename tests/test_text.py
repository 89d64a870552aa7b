"""The structured text: it rebuilds the scan byte for byte and carries every correction."""

from __future__ import annotations

import csv
import re

import pytest

from buber_course import tables, text

CHAPTER = text.chapter()
SCAN = text.SCAN.read_bytes()


def test_scan_is_rebuilt_byte_for_byte_from_the_structured_text():
    assert text.scan_text(CHAPTER).encode("utf-8") == SCAN


def test_the_data_copy_is_the_supplied_file():
    supplied = text.DATA.parent.parent / "shared" / "seed" / "000_47a583e272fb1036.txt"
    if not supplied.exists():
        pytest.skip("the supplied seed is not beside this checkout")
    assert supplied.read_bytes() == SCAN


def test_paragraphs_and_pages():
    # the scan holds 54 blocks between blank lines: the 3 title lines and the chapter's 51 paragraphs
    assert len(SCAN.decode().split(text.PARAGRAPH_SEPARATOR)) == text.TITLE_BLOCKS + 51
    assert len(CHAPTER.paragraphs) == 51
    assert [p.number for p in CHAPTER.paragraphs] == list(range(1, 52))
    assert CHAPTER.title_lines == ("Martin Buber, Paths in Utopia (1949).", "IX", "LENIN AND THE RENEWAL OF SOCIETY")
    pages = sorted({page for p in CHAPTER.paragraphs for page in p.pages})
    assert pages == list(range(99, 129))  # the chapter runs over book pages 99-128: 30 pages
    assert (text.FIRST_PAGE, text.LAST_PAGE) == (99, 128)  # the bounds datapackage.json gives a page of it
    assert CHAPTER.paragraphs[0].page == 99 and CHAPTER.paragraphs[-1].page == 128
    starts = [p.page for p in CHAPTER.paragraphs]
    assert starts == sorted(starts)


def test_a_page_that_begins_between_paragraphs_opens_the_next_one():
    # The scan prints " [115]" at the end of paragraph 31; page 115 begins with paragraph 32.
    assert SCAN.decode().split("\n\n")[2 + 31].endswith("understand them. [115]")
    assert not isinstance(CHAPTER.paragraph(31).pieces[-1], text.PageBreak)
    opening = CHAPTER.paragraph(32)
    assert isinstance(opening.pieces[0], text.PageBreak) and opening.page == 115
    assert opening.text.startswith("In the same speech Lenin declared")


def test_every_page_marker_of_the_scan_is_a_page_break():
    markers = [int(m) for m in re.findall(r" \[(\d+)\]", SCAN.decode())]
    breaks = [piece.page for p in CHAPTER.paragraphs for piece in p.pieces if isinstance(piece, text.PageBreak)]
    # the scan marks where each page after the first begins: [100] to [128], 29 markers
    assert markers == breaks == list(range(100, 129))


def test_reading_text_has_no_page_markers_and_no_scanning_errors():
    reading = "\n".join(p.text for p in CHAPTER.paragraphs)
    assert not re.search(r"\[\d+\]", reading)
    for error in ("necessaiy", "irmtroduce", "pc5lemicizing", "sma.ll", "nex.t", "lateT", "metlods", "volu ntary"):
        assert error not in reading, error
    assert "revolutionary-political, indeed party-political" in reading


@pytest.mark.parametrize("correction", text.read_corrections(), ids=lambda c: c.id)
def test_each_correction_stands_corrected_on_its_page(correction):
    assert correction.corrected in CHAPTER.page_text(correction.page)
    assert correction in CHAPTER.corrections
    assert correction.original in SCAN.decode()


def test_every_paragraph_has_balanced_double_quotes():
    for p in CHAPTER.paragraphs:
        assert p.text.count('"') % 2 == 0, f"paragraph {p.number}"


def test_period_spellings_are_not_corrected():
    reading = "\n".join(p.text for p in CHAPTER.paragraphs)
    for word in ("connexion", "to-day", "organization"):
        assert word in reading
    assert not any(c.original.strip() in ("connexion", "to-day") for c in CHAPTER.corrections)


def test_display_parts_mark_only_the_changed_words():
    parts = text.display_parts(text.Correction("x", 128, 'Max "Weber in 1918', "Max Weber in 1918", "k", "", 0))
    assert parts == ("Max ", '"Weber', "Weber", " in 1918")
    for c in CHAPTER.corrections:
        lead, scan, reading, tail = text.display_parts(c)
        assert lead + scan + tail == c.original and lead + reading + tail == c.corrected


# --- bad input: a clear error naming the row --------------------------------------------------


CORRECTION_FIELDS = tuple(f["name"] for f in tables.schema("corrections")["fields"])
KIND = "misread-letter"  # a kind the schema allows, so that each row below breaks one rule only


def write_corrections(tmp_path, rows, header=CORRECTION_FIELDS):
    path = tmp_path / "corrections.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("c01", "131", "necessaiy", "necessary", KIND, "n"), r"corrections.csv row 2, field page: '131' breaks the constraint maximum 128"),
        (("c01", "10x", "necessaiy", "necessary", KIND, "n"), r"corrections.csv row 2, field page: '10x' is not an integer"),
        (("c01", "105", "necessaiy", "", KIND, "n"), r"corrections.csv row 2, field corrected: the cell is empty"),
        (("c01", "105", "", "necessary", KIND, "n"), r"corrections.csv row 2, field original: the cell is empty"),
        (("c01", "105", "necessary", "necessary", KIND, "n"), r"corrections.csv row 2, field corrected: the correction is the same"),
        (("", "105", "necessaiy", "necessary", KIND, "n"), r"corrections.csv row 2, field id: the cell is empty"),
        (("c01", "105", "necessaiy", "necessary", "k", "n"), r"corrections.csv row 2, field kind: 'k' breaks the constraint enum \(one of stray"),
    ],
)
def test_malformed_correction_rows_are_named(tmp_path, row, message):
    with pytest.raises(text.TextDataError, match=message):
        text.read_corrections(write_corrections(tmp_path, [row]))


def test_original_not_on_its_page_is_named(tmp_path):
    rows = text.read_corrections(write_corrections(tmp_path, [("c07", "104", "necessaiy", "necessary", KIND, "n")]))
    with pytest.raises(text.TextDataError, match=r"row 2 \(c07\): original 'necessaiy' is not on page 104"):
        text.parse(SCAN.decode(), rows)


def test_ambiguous_original_is_named(tmp_path):
    rows = text.read_corrections(write_corrections(tmp_path, [("c09", "126", "the", "THE", KIND, "n")]))
    with pytest.raises(text.TextDataError, match=r"row 2 \(c09\): original 'the' stands \d+ times on page 126"):
        text.parse(SCAN.decode(), rows)


def test_duplicate_id_missing_column_and_missing_file_are_named(tmp_path):
    row = ("c01", "105", "necessaiy", "necessary", KIND, "n")
    with pytest.raises(text.TextDataError, match=r"corrections.csv row 3, field id: 'c01' is used twice"):
        text.read_corrections(write_corrections(tmp_path, [row, row]))
    with pytest.raises(text.TextDataError, match=r"missing column\(s\) corrected"):
        text.read_corrections(write_corrections(tmp_path, [row[:3]], header=("id", "page", "original")))
    with pytest.raises(text.TextDataError, match=r"missing file: .*nowhere.csv"):
        text.read_corrections(tmp_path / "nowhere.csv")


def test_paragraph_ranges():
    assert text.paragraph_range("3-5") == range(3, 6)
    assert text.paragraph_range("51") == range(51, 52)
    for bad in ("0", "50-52", "5-3", "a-b", ""):
        with pytest.raises(text.TextDataError, match="paragraph range"):
            text.paragraph_range(bad)


# --- readings queried, not corrected -------------------------------------------------------------


def test_queried_readings_stay_as_the_scan_has_them_and_are_marked():
    chapter = text.chapter()
    queries = text.read_queries()
    assert [q.id for q in chapter.queries] == sorted(q.id for q in queries)
    for query in queries:
        assert query.original in chapter.page_text(query.page)  # the text keeps the scan's reading
        assert query.suggested != query.original
    assert text.scan_text(chapter) == SCAN.decode()  # and the scan still rebuilds byte for byte


def test_a_malformed_query_row_is_named(tmp_path):
    path = tmp_path / "queries.csv"
    path.write_text("id,page,original,suggested,note\nq01,131,incontestible,incontestable,n\n", encoding="utf-8")
    with pytest.raises(text.TextDataError, match=r"queries.csv row 2, field page: '131' breaks the constraint maximum 128"):
        text.read_queries(path)
    path.write_text("id,page,original,suggested,note\nq01,104,incontestible,incontestable,n\n", encoding="utf-8")
    with pytest.raises(text.TextDataError, match=r"queries.csv row 2 \(q01\): original 'incontestible' is not on page 104"):
        text.parse(SCAN.decode(), [], text.read_queries(path))
