"""The reference apparatus as data: people, timeline, glossary, errata and syllabus (``data/*.csv``).

Each table is a resource of ``data/datapackage.json``, read through ``tables.load``: a malformed row
stops the build with an error naming the file, row and field, a message a historian can act on. Every
reader takes the data directory, so that a test can hand it a copy of ``data/``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from . import tables
from .paths import DATA
from .text import FIRST_PAGE, LAST_PAGE  # the chapter's pages, from the schema


class ReferenceDataError(tables.TableError):
    """A reference table is missing or malformed; the message names the file, row and field."""


def rows(resource: str, data_dir: Path = DATA) -> tuple[dict, ...]:
    """The rows of one table of the data package, checked against its schema."""
    return tables.load(resource, data_dir, error=ReferenceDataError).rows


def page_list(value: str | None) -> list[int]:
    """``"99;100"`` as ``[99, 100]``; every page must be one of the chapter's."""
    pages = [int(p) for p in re.findall(r"\d+", value or "")]
    outside = [p for p in pages if not FIRST_PAGE <= p <= LAST_PAGE]
    if outside:
        raise ReferenceDataError(f"pages {outside} are outside the chapter's pages {FIRST_PAGE}-{LAST_PAGE}")
    return pages


def split(value: str | None) -> list[str]:
    """A semicolon-separated cell as a list of its non-empty items."""
    return [item.strip() for item in (value or "").split(";") if item.strip()]


def parse_date(value: str) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the start of a span ``A/B``) as the earliest day it means."""
    first = value.split("/")[0]
    parts = [int(p) for p in first.split("-")]
    return date(parts[0], *(parts[1:] + [1, 1][len(parts) - 1 :]))


def people(data_dir: Path = DATA) -> tuple[dict, ...]:
    return rows("people", data_dir)


def timeline(data_dir: Path = DATA) -> tuple[dict, ...]:
    """The events in date order (a table out of order is an error: it names the first such row)."""
    table = tables.load("timeline", data_dir, error=ReferenceDataError)
    events = table.rows
    for index in range(1, len(events)):
        if parse_date(events[index]["date"]) < parse_date(events[index - 1]["date"]):
            raise ReferenceDataError(
                f"{table.file} row {table.numbers[index]} ({events[index]['id']}): date {events[index]['date']} comes "
                f"before the previous row's {events[index - 1]['date']}; keep the table in date order"
            )
    return events


def glossary(data_dir: Path = DATA) -> tuple[dict, ...]:
    return rows("glossary", data_dir)


def errata(data_dir: Path = DATA) -> tuple[dict, ...]:
    """The corrections made after first publication, newest first (by date, then id)."""
    return tuple(sorted(rows("errata", data_dir), key=lambda row: (row["date"], row["id"]), reverse=True))


# --- the timeline chart ---------------------------------------------------------------------------

PERIODS = [  # (label, first year, marker): rows of the chart, readable without colour
    ("Marx and Engels", 1840, "o"),
    ("Revolution, 1905-1917", 1900, "s"),
    ("Lenin in power, 1918-1924", 1918, "D"),
    ("Stalin and the village, 1925-1936", 1925, "^"),
]
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]
KEY_EVENTS = {
    "manifesto_1848": "Manifesto",
    "paris_commune_1871": "Paris Commune",
    "petersburg_soviet_1905": "Petersburg Soviet",
    "october_revolution_1917": "October",
    "tenth_congress_1921": "NEP",
    "on_cooperation_1923": "On Cooperation",
    "dizzy_with_success_1930": "Dizzy with Success",
    "famine_1932": "famine",
}


def _year(value: str) -> float:
    day = parse_date(value)
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def timeline_chart():
    """The timeline on a split axis (1840-1916 | 1916-1937): one row per period, a bar for a span."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), sharey=True, gridspec_kw={"width_ratios": [1, 2]},
                             facecolor="white")
    for ax, (start, end) in zip(axes, [(1840, 1916), (1916, 1937)]):
        ax.set_xlim(start, end)
        ax.set_facecolor("white")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    for event in timeline():
        begin = _year(event["date"])
        finish = _year(event["date"].split("/")[-1]) if "/" in event["date"] else begin
        row = max(i for i, (_, first, _) in enumerate(PERIODS) if int(begin) >= first)
        ax = axes[0] if begin < 1916 else axes[1]
        _, _, marker = PERIODS[row]
        ax.plot([begin, max(finish, begin)], [row, row], color=OKABE_ITO[row], linewidth=3, solid_capstyle="butt")
        ax.plot(begin, row, marker=marker, color=OKABE_ITO[row], markersize=5, markeredgecolor="black",
                markeredgewidth=0.4)
        if event["id"] in KEY_EVENTS:
            above = list(KEY_EVENTS).index(event["id"]) % 2 == 0  # alternate so neighbours do not collide
            ax.annotate(KEY_EVENTS[event["id"]], (begin, row), xytext=(0, 9 if above else -14),
                        textcoords="offset points", ha="center", fontsize=7.5, color="black")
    axes[0].set_yticks(range(len(PERIODS)), [label for label, _, _ in PERIODS], fontsize=8)
    axes[0].set_ylim(-0.6, len(PERIODS) - 0.3)
    axes[0].set_xticks(range(1840, 1916, 20))
    axes[1].set_xticks(range(1917, 1938, 3))
    for ax in axes:
        ax.tick_params(axis="x", labelsize=8)
    axes[1].tick_params(axis="y", left=False)
    fig.suptitle("Events chapter IX refers to (the axis is split at 1916)", fontsize=10)
    fig.text(0.01, 0.01, "Source: data/timeline.csv (a source for each event is in the table below).", fontsize=7)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
