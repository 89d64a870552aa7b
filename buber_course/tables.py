"""How the course reads its hand-kept tables (CSV, YAML): one rule for every file, one loader for every table.

Historians open these files in Excel or LibreOffice and save them again. Excel's "CSV UTF-8" adds
a byte-order mark and ends lines with CRLF; Excel may also leave rows of empty cells below the
table. All of that loads unchanged. A file saved in another encoding (Latin-1, cp1252, Mac Roman)
cannot be read without guessing, and a guess can silently turn "Dühring" into "DÃ¼hring", so it
stops with an error naming the file and the line and saying how to save it.

Every table is a resource of ``data/datapackage.json``, and ``load`` is the one way to read it: the
schema says what a cell may hold (type, enumeration, range, pattern, required, unique, foreign key),
Frictionless checks it, and ``explain`` words the first problem once for every table. Only rules
across rows or against the text stay in the modules that read the tables.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import DATA, ROOT

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


# --- the tables of data/datapackage.json, checked against their schema ------------------------

DESCRIPTOR = "datapackage.json"  # the data package: every table's file, columns, types and constraints


@dataclass(frozen=True, eq=False)
class Table:
    """A table of the data package, checked; its rows are shared by every caller, so do not change them."""

    resource: object  # the Frictionless resource: title, path and schema
    rows: tuple[dict, ...]  # typed by the schema (int, Decimal, date; None where empty); text as written, "" where empty
    numbers: tuple[int, ...]  # each row's number as a spreadsheet shows it (the header is row 1)
    file: str  # the file as a user finds it (``data/people.csv``)


def load(name: str, data_dir: Path = DATA, *, file: Path | None = None, error: type[Exception] = TableError) -> Table:
    """The table ``name`` of ``data_dir/datapackage.json``, checked by Frictionless against its schema
    (types, enumerations, ranges, patterns, required and unique cells, keys). ``file`` reads another
    copy of the table with the same schema; its foreign keys are then looked up in the tables beside
    it. The first problem raises ``error`` naming the file, row and field. A table is read again only
    when the descriptor, the table or a table its foreign keys name has changed."""
    data_dir = Path(data_dir).resolve()
    descriptor = _descriptor(data_dir / DESCRIPTOR, error)
    resource = _find(descriptor, name, error)
    base, path = (data_dir, resource["path"]) if file is None else (Path(file).resolve().parent, Path(file).name)
    referenced = [_find(descriptor, key["reference"]["resource"], error)["path"]
                  for key in resource["schema"].get("foreignKeys", []) if key["reference"]["resource"] != name]
    state = tuple(_state(p) for p in (data_dir / DESCRIPTOR, base / path, *(base / r for r in referenced)))
    return _load(name, data_dir, base, path, state, error)


def schema(name: str, data_dir: Path = DATA) -> dict:
    """The schema of a table of the package, as the descriptor writes it (fields, keys)."""
    return _find(_descriptor(Path(data_dir).resolve() / DESCRIPTOR, TableError), name, TableError)["schema"]


def field(name: str, column: str, data_dir: Path = DATA) -> dict:
    """The descriptor of one column of a table of the package (its type, description, constraints)."""
    fields = {f["name"]: f for f in schema(name, data_dir)["fields"]}
    if column not in fields:
        raise TableError(f"{DESCRIPTOR}: the table {name!r} has no column {column!r}")
    return fields[column]


def _state(path: Path) -> tuple:
    """What a file is now. A digest, not only mtime and size: a cell rewritten with as many characters
    within one tick of the file system's clock leaves both unchanged."""
    if not path.is_file():
        return (str(path), None)
    content = path.read_bytes()
    return (str(path), path.stat().st_mtime_ns, len(content), hashlib.blake2b(content, digest_size=16).digest())


def _descriptor(path: Path, error: type[Exception]) -> dict:
    if not path.is_file():
        raise error(f"missing file: {shown(path)}")
    try:
        return _parsed(path, _state(path))
    except json.JSONDecodeError as problem:
        raise error(f"{shown(path)} line {problem.lineno}, column {problem.colno}: not valid JSON "
                    f"({problem.msg})") from None


@lru_cache(maxsize=8)
def _parsed(path: Path, state: tuple) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _find(descriptor: dict, name: str, error: type[Exception]) -> dict:
    names = [r["name"] for r in descriptor["resources"]]
    if name not in names:
        raise error(f"unknown table {name!r}. The tables are: {', '.join(names)}")
    return descriptor["resources"][names.index(name)]


@lru_cache(maxsize=128)
def _load(name: str, data_dir: Path, base: Path, path: str, state: tuple, error: type[Exception]) -> Table:
    resource = _package(data_dir, base, state[0], error).get_resource(name)
    resource.path = path  # the package's own file, or the copy ``load`` was given
    _check_columns(base / path, resource.schema.field_names, error)  # and the encoding, before Frictionless guesses one
    report = resource.validate()
    if report.tasks and report.tasks[0].errors:
        raise error(explain(report.tasks[0].errors[0], resource, shown(base / path)))
    rows = resource.read_rows()
    text_fields = {f.name for f in resource.schema.fields if f.type == "string"}
    typed = ({k: "" if v is None and k in text_fields else v for k, v in row.to_dict().items()} for row in rows)
    return Table(resource, tuple(typed), tuple(row.row_number for row in rows), shown(base / path))


@lru_cache(maxsize=8)
def _package(data_dir: Path, base: Path, state: tuple, error: type[Exception]):
    """The package as Frictionless reads it, its tables looked up in ``base``, each read as Excel saves it."""
    from frictionless import FrictionlessException, Package  # imported here: it takes a while, and many callers read no table

    descriptor = deepcopy(_descriptor(data_dir / DESCRIPTOR, error))
    for resource in descriptor["resources"]:  # a foreign key reads the other tables too
        resource |= {"encoding": ENCODING, "dialect": {"skipBlankRows": True}}
        # Columns are found by name: a table whose columns were moved in a spreadsheet reads the same.
        resource["schema"] = resource["schema"] | {"fieldsMatch": "equal"}
    try:
        package = Package(descriptor, basepath=str(base))
    except FrictionlessException as problem:
        raise error(f"{shown(data_dir / DESCRIPTOR)}: {problem.error.message}") from None
    return package


def _check_columns(path: Path, fields: list[str], error: type[Exception]) -> None:
    header = next(csv.reader(io.StringIO(text(path, error))), [])
    missing = [f for f in fields if f not in header]
    if missing:
        raise error(f"{shown(path)}: missing column(s) {', '.join(missing)} (the first line names the columns)")


def explain(error, resource, file: str) -> str:
    """A Frictionless finding as one sentence naming the file, row and field, and what was expected."""
    where = f"{file} row {getattr(error, 'row_number', '?')}"
    field = getattr(error, "field_name", None)
    if error.type == "type-error":
        kind = resource.schema.get_field(field).type
        return f"{where}, field {field}: {error.cell!r} is not {'an' if kind[0] in 'aeiou' else 'a'} {kind}"
    if error.type == "constraint-error":
        if error.cell == "" or _constraint(error) == "required":  # a short row's cell comes as "None"
            return f"{where}, field {field}: the cell is empty or missing but a value is required"
        return f"{where}, field {field}: {error.cell!r} breaks the constraint {_expected(error, resource.schema.get_field(field))}"
    if error.type in ("primary-key", "unique-error"):
        fields = [field] if error.type == "unique-error" else resource.schema.primary_key
        cells = ", ".join(repr(error.cells[resource.schema.field_names.index(f)]) for f in fields)
        return f"{where}, field {', '.join(fields)}: {cells} is used twice (an earlier row has it)"
    if error.type == "foreign-key":
        fields, cells = ", ".join(error.field_names), ", ".join(map(repr, error.field_cells))
        return f"{where}, field {fields}: {cells} is not an id in the {error.reference_name} table{_close(error, resource)}"
    if hasattr(error, "row_number"):
        return f"{where}: {error.message}"
    return f"{file}: {error.message}"


def _expected(error, field) -> str:
    """The constraint a cell breaks, as a reader needs it: ``maximum 128``, ``enum (one of ...)``."""
    name = _constraint(error)
    value = field.constraints.get(name)
    if name == "enum":
        return f"enum (one of {', '.join(map(str, value))})"
    if name == "pattern":  # a pattern is hard to read: the field's description says it in words
        return f"pattern {value}" + (f" ({field.description.rstrip('.')})" if field.description else "")
    return f"{name} {value}"


def _constraint(error) -> str:
    """The name of the constraint a cell breaks, from Frictionless's note (``constraint "maximum" is "128"``)."""
    return error.note.split('"')[1] if '"' in error.note else error.note


def _close(error, resource) -> str:
    """``; did you mean ...?`` with the ids of the referenced table closest to a one-column key that is not there."""
    if len(error.field_cells) != 1:
        return ""
    key = next(k for k in resource.schema.foreign_keys if k["reference"]["resource"] == error.reference_name)
    target = resource.package.get_resource(error.reference_name)
    known = [str(row[key["reference"]["fields"][0]]) for row in target.read_rows()]
    close = difflib.get_close_matches(str(error.field_cells[0]), known, n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""
