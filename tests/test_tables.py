"""Every hand-kept table loads as Excel or LibreOffice saves it, and a table in another encoding is named.

Excel's "CSV UTF-8" writes a byte-order mark and CRLF line ends; a spreadsheet whose last rows were
cleared leaves rows of empty cells. Each table of the data package and the question file is saved
that way in a copy of the repository's data, loaded by the module that reads it, and compared with
the original load. A Latin-1 copy must stop with the course's own error naming the file and line.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from buber_course import data, feedback, reference, tables, text
from buber_course import quotations as Q
from buber_course.paths import DATA, ROOT

RESOURCES = {r["name"]: r["path"] for r in json.loads((DATA / "datapackage.json").read_text())["resources"]}
QUESTIONS = ROOT / "exercises" / "questions.yml"


def comparable(frame):
    return frame.astype(str).to_dict("records")


# How each table is read in the course, given a copy of data/ (the modules' own entry points).
LOADERS = {
    "corrections": lambda copy: text.read_corrections(copy / "corrections.csv"),
    "queries": lambda copy: text.read_queries(copy / "queries.csv"),
    "quotations": lambda copy: Q.read_quotations(copy / "quotations.csv"),
    "comparison-sets": lambda copy: Q.read_sets(copy / "comparison-sets.csv",
                                                {q.id: q for q in Q.read_quotations(copy / "quotations.csv")}),
    "timeline": lambda copy: reference.timeline(copy),
    **{name: (lambda copy, name=name: reference.rows(name, copy)) for name in ("people", "glossary", "errata", "syllabus")},
}


def loader(name: str):
    return LOADERS.get(name, lambda copy: comparable(data.table(name, data_dir=copy)))


def test_every_table_of_the_package_has_a_loader_here():
    # Tables the course reads through ``data.table`` need no entry; the others must be listed above.
    assert set(LOADERS) <= set(RESOURCES)


def excel_copy(content: bytes) -> bytes:
    """The same table as Excel's "CSV UTF-8" saves it, with two rows of empty cells left below."""
    lines = content.decode("utf-8").replace("\r\n", "\n").rstrip("\n").split("\n")
    columns = lines[0].count(",")
    return "\ufeff".encode() + "\r\n".join([*lines, "," * columns, "," * columns, ""]).encode("utf-8")


@pytest.fixture
def data_copy(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("source"))
    return copy


@pytest.mark.parametrize("name", RESOURCES)
def test_a_table_saved_by_excel_loads_unchanged(name, data_copy):
    expected = loader(name)(data_copy)
    path = data_copy / RESOURCES[name]
    path.write_bytes(excel_copy(path.read_bytes()))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    assert loader(name)(data_copy) == expected


@pytest.mark.parametrize("name", RESOURCES)
def test_a_table_in_another_encoding_is_named_with_its_line(name, data_copy):
    path = data_copy / RESOURCES[name]
    content = path.read_text(encoding="utf-8")
    lines = content.split("\n")
    lines.insert(2, lines[1].replace(",", ",Dühring ", 1))  # a non-ASCII letter on line 3, in Latin-1
    path.write_bytes("\n".join(lines).encode("latin-1", errors="replace"))
    with pytest.raises(ValueError) as error:
        loader(name)(data_copy)
    message = str(error.value)
    assert message.startswith(f"data/{RESOURCES[name]} line ")
    assert "is not UTF-8" in message and "save it as UTF-8" in message
    assert isinstance(error.value, ValueError) and not isinstance(error.value, UnicodeError)


def test_the_question_file_saved_with_a_byte_order_mark_and_crlf_loads_unchanged(tmp_path):
    copy = tmp_path / "questions.yml"
    copy.write_bytes("\ufeff".encode() + QUESTIONS.read_bytes().replace(b"\n", b"\r\n"))
    assert feedback.questions.__wrapped__(copy) == feedback.questions()


def test_the_question_file_in_another_encoding_is_named_with_its_line(tmp_path):
    copy = tmp_path / "questions.yml"
    content = QUESTIONS.read_text(encoding="utf-8")
    copy.write_bytes(content.replace("\n", "\n# Dühring\n", 1).encode("latin-1", errors="replace"))
    with pytest.raises(feedback.QuestionError, match=r"questions.yml line 2: byte 0xfc is not UTF-8.*save it as UTF-8"):
        feedback.questions.__wrapped__(copy)


def test_a_table_without_its_id_column_says_which_line_names_the_columns(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text("ident,page\nc1,99\n", encoding="utf-8")
    with pytest.raises(text.TextDataError, match=r"missing column\(s\) id, original.*the first line names the columns"):
        text.read_corrections(path)


def test_file_names_in_messages_start_at_the_repository(tmp_path):
    assert tables.shown(DATA / "people.csv") == "data/people.csv"
    assert tables.shown(tmp_path / "data" / "collectivization" / "grain.csv") == "data/collectivization/grain.csv"


def columns_reversed(content: bytes) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(row[::-1] for row in rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("name", RESOURCES)
def test_a_table_with_its_columns_moved_loads_unchanged(name, data_copy):
    # A historian may drag a column elsewhere in a spreadsheet: columns are found by their names.
    expected = loader(name)(data_copy)
    path = data_copy / RESOURCES[name]
    path.write_bytes(columns_reversed(path.read_bytes()))
    assert loader(name)(data_copy) == expected


def test_a_descriptor_that_is_not_json_is_named_with_its_line(data_copy):
    descriptor = data_copy / tables.DESCRIPTOR
    lines = descriptor.read_text(encoding="utf-8").split("\n")
    lines[2] += ","  # a stray comma, the commonest slip when editing JSON by hand
    descriptor.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(tables.TableError, match=r"^data/datapackage.json line \d+, column \d+: not valid JSON"):
        tables.load("people", data_copy)


def test_a_row_cut_short_names_the_missing_required_cell(data_copy):
    path = data_copy / RESOURCES["quotations"]
    lines = path.read_text(encoding="utf-8").split("\n")
    header = next(csv.reader([lines[0]]))
    lines[1] = ",".join(next(csv.reader([lines[1]]))[:2])  # the row ends after its second cell
    path.write_text("\n".join(lines), encoding="utf-8")
    first_required = next(c for c in header[2:] if tables.field("quotations", c).get("constraints", {}).get("required"))
    with pytest.raises(tables.TableError, match=rf"^data/quotations.csv row 2, field {first_required}: the cell is empty "
                                                r"or missing but a value is required"):
        tables.load("quotations", data_copy)


def test_an_unknown_column_is_named():
    with pytest.raises(tables.TableError, match=r"the table 'people' has no column 'nope'"):
        tables.field("people", "nope")
