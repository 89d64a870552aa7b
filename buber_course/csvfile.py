"""Reading the course's hand-kept CSV tables with the errors a historian can act on."""

from __future__ import annotations

import csv
from pathlib import Path


def rows(path: Path, fields: tuple[str, ...], error: type[Exception]) -> list[tuple[int, dict]]:
    """``(line number, row)`` pairs of a CSV file that has at least ``fields``; a missing file or
    column raises ``error`` naming it."""
    if not path.exists():
        raise error(f"missing file: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [f for f in fields if f not in (reader.fieldnames or [])]
        if missing:
            raise error(f"{path.name}: missing column(s) {', '.join(missing)}")
        return list(enumerate(reader, start=2))
