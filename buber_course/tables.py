"""How the course reads its hand-kept tables (CSV, YAML): one rule for every file.

Historians open these files in Excel or LibreOffice and save them again. Excel's "CSV UTF-8" adds
a byte-order mark and ends lines with CRLF; Excel may also leave rows of empty cells below the
table. All of that loads unchanged. A file saved in another encoding (Latin-1, cp1252, Mac Roman)
cannot be read without guessing, and a guess can silently turn "Dühring" into "DÃ¼hring", so it
stops with an error naming the file and the line and saying how to save it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .paths import ROOT

SAVE_AS = ('save it as UTF-8 text (Excel: "CSV UTF-8 (Comma delimited)"; LibreOffice: character set '
           '"Unicode (UTF-8)")')
ENCODING = "utf-8-sig"  # UTF-8, with or without Excel's byte-order mark


class TableError(ValueError):
    """A hand-kept table cannot be read as the course expects; the message names the file and line."""


def shown(path: Path) -> str:
    """A file's name as a user finds it: from the repository's top (``data/people.csv``); a table in
    a copy of ``data/`` elsewhere (as tests make) is named the same way."""
    path = Path(path).resolve()
    if path.is_relative_to(ROOT):
        return path.relative_to(ROOT).as_posix()
    parts = path.parts
    return "/".join(parts[len(parts) - 1 - parts[::-1].index("data"):]) if "data" in parts else str(path)


def text(path: Path, error: type[Exception] = TableError) -> str:
    """The file's text with LF line ends, whether it was saved with or without a byte-order mark and
    with LF or CRLF; a missing file or one that is not UTF-8 raises ``error`` naming file and line."""
    path = Path(path)
    if not path.is_file():
        raise error(f"missing file: {shown(path)}")
    data = path.read_bytes()
    try:
        decoded = data.decode(ENCODING)
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise error(f"{shown(path)} line {line}: byte 0x{data[problem.start]:02x} is not UTF-8, so the file was "
                    f"saved in another encoding; {SAVE_AS}") from None
    return decoded.replace("\r\n", "\n")


def csv_rows(path: Path, fields: tuple[str, ...], error: type[Exception] = TableError) -> list[tuple[int, dict]]:
    """``(row number, row)`` pairs of a CSV table that has at least ``fields`` (the header is row 1, as
    in a spreadsheet), rows of empty cells left out; a missing file or column raises ``error``."""
    reader = csv.DictReader(io.StringIO(text(path, error), newline=""))
    missing = [f for f in fields if f not in (reader.fieldnames or [])]
    if missing:
        raise error(f"{shown(path)}: missing column(s) {', '.join(missing)} (the first line names the columns)")
    return [(number, row) for number, row in enumerate(reader, start=2) if not blank(row)]


def blank(row: dict) -> bool:
    """A row of empty cells, as spreadsheets leave below a table whose last rows were cleared."""
    return not any(str(value or "").strip() for value in row.values())


def schema_errors(resource) -> list:
    """Frictionless's findings on a table of ``data/datapackage.json``, read as UTF-8 (checked first by
    ``text``, so Frictionless does not guess an encoding); rows of empty cells are not errors."""
    resource.encoding = ENCODING
    resource.dialect.skip_blank_rows = True
    report = resource.validate()
    return report.tasks[0].errors if report.tasks else []
