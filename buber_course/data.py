"""The sourced figures of collectivization, as pandas tables that carry their units and sources.

``data/datapackage.json`` describes every table. This module reads a table, or a named series,
through ``tables.load``, where Frictionless checks what a schema can say: types, ranges, required
cells, the foreign keys to ``sources.csv`` and ``series.csv``. This module adds the rules a schema
cannot say. Within a series the rows are in date order, a range's low bound is not above its high
bound, and a series lives in the table ``series.csv`` names. A row that breaks any of these stops
with a ``DataError`` naming the file, the row and the field.

Dates are as precise as their source: ``1930``, ``1930-03`` or ``1930-03-01``, and a span is
written ``A/B``. Two dates are compared at the coarser precision, so ``1930`` may stand before or
after ``1930-08-01``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import tables
from .paths import DATA

TIME_FIELDS = ("date", "period", "year")  # the column that dates a row, first match wins
DATE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")


class DataError(tables.TableError):
    """A table, row or name is not as the data package says; the message says where."""


# --- dates -----------------------------------------------------------------------------------


def date_key(text: str) -> tuple[int, ...]:
    """``"1930-03"`` as ``(1930, 3)``: the start of a date or span, as precise as it is written."""
    match = DATE.fullmatch(str(text).split("/")[0])
    if not match:
        raise DataError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    return tuple(int(part) for part in match.groups() if part)


def period_bounds(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day a date or span covers: ``"1930"`` is 1 January to 31 December 1930."""
    first, _, last = str(text).partition("/")
    return _period(first).start_time.normalize(), _period(last or first).end_time.normalize()


def _period(text: str) -> pd.Period:
    frequency = {1: "Y", 2: "M", 3: "D"}[len(date_key(text))]
    return pd.Period(text, frequency)


def precision(text: str) -> str:
    """``"year"``, ``"month"`` or ``"day"``: how precisely a date (or a span's start) is known."""
    return ("year", "month", "day")[len(date_key(text)) - 1]


# --- reading tables ----------------------------------------------------------------------------


def table(name: str, data_dir: Path = DATA) -> pd.DataFrame:
    """One table of the data package, checked, with ``attrs``: title, file, field descriptions, sources."""
    checked = tables.load(name, data_dir, error=DataError)
    resource = checked.resource
    frame = _frame(checked)
    if "series" in frame.columns:
        _check_series_table(frame, checked, data_dir)
        _check_order(frame, checked)
    if {"low", "high"} <= set(frame.columns):
        _check_bounds(frame, checked)
    frame.attrs = {
        "name": name,
        "title": resource.title,
        "file": resource.path,
        "fields": {field.name: _describe(field) for field in resource.schema.fields},
        "sources": _citations(frame, data_dir) if cites_sources_table(resource) else {},
    }
    return frame


def series_names(data_dir: Path = DATA) -> list[str]:
    """Every series id, in the order of ``series.csv``."""
    return list(table("series", data_dir)["id"])


def series(name: str, *more: str, data_dir: Path = DATA) -> pd.DataFrame:
    """The rows of one or more named series, with their titles, units and sources in ``attrs``.

    ``series("share_ussr")`` is one series; ``series("share_ussr", "share_ussr_annual_official")``
    gives both, told apart by the ``series`` column.
    """
    registry = table("series", data_dir).set_index("id")
    names = (name, *more)
    unknown = [n for n in names if n not in registry.index]
    if unknown:
        raise DataError(f"unknown series {', '.join(map(repr, unknown))}. The series are: {', '.join(registry.index)}")
    parts, loaded = [], {}
    for n in names:
        table_name = registry.at[n, "table"]
        if table_name not in loaded:
            loaded[table_name] = table(table_name, data_dir)
        parts.append(loaded[table_name][loaded[table_name]["series"] == n])
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    units = {n: "; ".join(dict.fromkeys(frame.loc[frame["series"] == n, "unit"])) for n in names}
    frame.attrs = {
        "names": list(names),
        "titles": {n: registry.at[n, "title"] for n in names},
        "units": units,
        "files": list(dict.fromkeys(loaded[registry.at[n, "table"]].attrs["file"] for n in names)),
        "sources": {s: c for t in loaded.values() for s, c in t.attrs["sources"].items() if s in set(frame["source"])},
    }
    if len(names) == 1:
        frame.attrs |= {"title": frame.attrs["titles"][name], "unit": units[name]}
    return frame


def sources(data_dir: Path = DATA) -> pd.DataFrame:
    return table("sources", data_dir)


def events(data_dir: Path = DATA) -> pd.DataFrame:
    return table("events", data_dir)


def buber_figures(data_dir: Path = DATA) -> pd.DataFrame:
    return table("buber_figures", data_dir)


def record(figure_id: str, data_dir: Path = DATA) -> pd.DataFrame:
    """What the sources say about one of Buber's figures: the rows of its record series in the
    stretch ``record_from``-``record_to`` (Buber's own rows left out), or its event."""
    figures = buber_figures(data_dir).set_index("id")
    if figure_id not in figures.index:
        raise DataError(f"unknown figure {figure_id!r}. Buber's figures are: {', '.join(figures.index)}")
    figure = figures.loc[figure_id]
    if figure["record_event"]:
        found = events(data_dir)
        event = found[found["id"] == figure["record_event"]].reset_index(drop=True)
        event.attrs = found.attrs | {"sources": {s: c for s, c in found.attrs["sources"].items() if s in set(event["source"])}}
        return event
    if not figure["record_series"]:
        return pd.DataFrame()
    rows = series(figure["record_series"], data_dir=data_dir)
    start, end = period_bounds(figure["record_from"])[0], period_bounds(figure["record_to"])[1]
    time_field = next(f for f in TIME_FIELDS if f in rows.columns)
    inside = rows[time_field].astype(str).map(lambda when: start <= period_bounds(when)[0] <= end)
    kept = rows[inside & (rows["source"] != figure["source"])].reset_index(drop=True)
    kept.attrs = rows.attrs | {"sources": {s: c for s, c in rows.attrs["sources"].items() if s in set(kept["source"])}}
    return kept


def change(name: str, start: str, end: str, by: str, data_dir: Path = DATA) -> pd.DataFrame:
    """A series' figures at two dates side by side, one line per ``by`` (e.g. animal), and the change
    between them in per cent, rounded."""
    rows = series(name, data_dir=data_dir)
    time_field = next(f for f in TIME_FIELDS if f in rows.columns)
    rows = rows[rows[time_field].astype(str).isin([start, end])]
    missing = {start, end} - set(rows[time_field].astype(str))
    if missing:
        raise DataError(f"series {name!r} has no figure dated {', '.join(sorted(missing))}")
    table = rows.pivot(index=by, columns=time_field, values="value").rename_axis(columns=None)[[start, end]]
    table["change, per cent"] = (100 * (table[end] / table[start] - 1)).round()
    table = table.reset_index()
    table.attrs = {"sources": rows.attrs["sources"]}
    return table


def overview(data_dir: Path = DATA) -> pd.DataFrame:
    """One line per series: its table, number of rows, first and last date, units and sources."""
    lines = []
    for name in series_names(data_dir):
        rows = series(name, data_dir=data_dir)
        time_field = next(f for f in TIME_FIELDS if f in rows.columns)
        dates = sorted(map(str, rows[time_field]), key=lambda d: period_bounds(d)[0])
        lines.append({"series": name, "title": rows.attrs["title"], "file": rows.attrs["files"][0],
                      "rows": len(rows), "from": dates[0], "to": dates[-1], "unit": rows.attrs["unit"],
                      "sources": ", ".join(rows.attrs["sources"])})
    return pd.DataFrame(lines)


# --- checks ------------------------------------------------------------------------------------


def _frame(checked: tables.Table) -> pd.DataFrame:
    """The rows as pandas holds them: numbers as floats, integers as Int64, dates as timestamps."""
    frame = pd.DataFrame(list(checked.rows), columns=checked.resource.schema.field_names)
    for field in checked.resource.schema.fields:
        if field.type == "number":  # Frictionless gives a Decimal
            frame[field.name] = pd.to_numeric(frame[field.name].map(lambda v: None if v is None else float(v)))
        elif field.type == "integer":
            frame[field.name] = frame[field.name].astype("Int64")
        elif field.type == "date":
            frame[field.name] = pd.to_datetime(frame[field.name])
    return frame


def _check_series_table(frame: pd.DataFrame, checked: tables.Table, data_dir: Path) -> None:
    """A series lives in the table ``series.csv`` names (a foreign key says only that the series exists)."""
    registry = dict(table("series", data_dir)[["id", "table"]].values)
    name = checked.resource.name
    for row, series_name in zip(checked.numbers, frame["series"]):
        if registry.get(series_name) != name:
            raise DataError(f"{checked.file} row {row}, field series: series {series_name!r} belongs to table "
                            f"{registry.get(series_name)!r} in series.csv, not to {name!r}")


def _check_order(frame: pd.DataFrame, checked: tables.Table) -> None:
    """Within a series, no row may be dated before an earlier row (compared at the coarser precision)."""
    time_field = next(f for f in TIME_FIELDS if f in frame.columns)
    earlier: dict[str, list[tuple[tuple[int, ...], str, int]]] = {}
    for row, name, when in zip(checked.numbers, frame["series"], frame[time_field].astype(str)):
        key = date_key(when)
        for before, before_text, before_row in earlier.get(name, []):
            common = min(len(key), len(before))
            if key[:common] < before[:common]:
                raise DataError(f"{checked.file} row {row}, field {time_field}: {when} comes after {before_text} "
                                f"(row {before_row}) in series {name!r}; rows must be in date order within a series")
        earlier.setdefault(name, []).append((key, when, row))


def _check_bounds(frame: pd.DataFrame, checked: tables.Table) -> None:
    """A range has at least one bound, and its low bound is not above its high one (a rule across cells)."""
    for row, low, high in zip(checked.numbers, frame["low"], frame["high"]):
        if pd.isna(low) and pd.isna(high):
            raise DataError(f"{checked.file} row {row}, fields low and high: both are empty; give at least one bound")
        if low > high:
            raise DataError(f"{checked.file} row {row}, field low: {low:,.10g} is above the high bound {high:,.10g}")


def _describe(field) -> str:
    unit = field.to_descriptor().get("unit")
    return f"{field.description} [{unit}]" if unit else field.description


def cites_sources_table(resource) -> bool:
    """Whether the table's ``source`` column holds ids of ``sources.csv`` (the figures' tables);
    the reference tables (people, timeline, glossary) cite in free text instead."""
    keys = resource.schema.to_descriptor().get("foreignKeys", [])
    return any(key["fields"] in ("source", ["source"]) and key["reference"]["resource"] == "sources" for key in keys)


def _citations(frame: pd.DataFrame, data_dir: Path) -> dict[str, str]:
    found = table("sources", data_dir).set_index("id")
    return {s: citation(found.loc[s]) for s in dict.fromkeys(frame["source"]) if s}


def citation(source) -> str:
    """A row of sources.csv as a reference: author, title (year), locator, its kind; the work it was
    read in, where that is another (the best source first, the intermediary second); the address."""
    read_in = f" Read in {source['read_in']}." if source.get("read_in") else ""
    return (f"{source['author']}, {source['title']} ({source['year']}), {source['locator']} [{source['kind']}]."
            f"{read_in} At: {source['seen_at']}")
