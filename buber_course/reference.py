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
            raise ReferenceDataError(f"{table.file} row {table.numbers[index]} ({events[index]['id']}): date "
                                     f"{events[index]['date']} comes before the previous row's "
                                     f"{events[index - 1]['date']}; keep the table in date order")
    return events


def glossary(data_dir: Path = DATA) -> tuple[dict, ...]:
    return rows("glossary", data_dir)


def errata(data_dir: Path = DATA) -> tuple[dict, ...]:
    """The corrections made after first publication, newest first (by date, then id)."""
    return tuple(sorted(rows("errata", data_dir), key=lambda row: (row["date"], row["id"]), reverse=True))


# --- the timeline chart ---------------------------------------------------------------------------

PERIODS = [  # (label, first year): rows of the chart, each in its own look, readable without colour
    ("Marx and Engels", 1840),
    ("Towards revolution, 1900-1917", 1900),
    ("Lenin in power, 1918-1924", 1918),
    ("Stalin and the village, 1925-1936", 1925),
]
SPLIT = 1916  # the axis is split here: eight decades before, two after, where most events are
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


def _period(year: float) -> int:
    return max(i for i, (_, first) in enumerate(PERIODS) if int(year) >= first)


def timeline_chart():
    """The timeline on a split axis (1840-1916 | 1916-1937): one row per period, a bar for a span;
    its description (``alt``) is made from the rows it draws."""
    from .style import LOOKS, OKABE_ITO, SIZE, course_style, direct_label, new_chart

    events = timeline()
    with course_style():
        figure, axes = new_chart(3.2, width=10, ncols=2, sharey=True, width_ratios=[1, 2])
        for ax, (start, end) in zip(axes, [(1840, SPLIT), (SPLIT, 1937)]):
            ax.set_xlim(start, end)
            ax.grid(axis="y", visible=False)
        for event in events:
            begin = _year(event["date"])
            finish = _year(event["date"].split("/")[-1]) if "/" in event["date"] else begin
            row = _period(begin)
            ax, look = axes[0] if begin < SPLIT else axes[1], LOOKS[row]
            ax.plot([begin, max(finish, begin)], [row, row], color=look["color"], linewidth=3, solid_capstyle="butt")
            ax.plot(begin, row, marker=look["marker"], color=look["color"], markersize=5, markeredgecolor=OKABE_ITO["black"],
                    markeredgewidth=0.4)
            if event["id"] in KEY_EVENTS:
                above = list(KEY_EVENTS).index(event["id"]) % 2 == 0  # alternate so neighbours do not collide
                direct_label(ax, KEY_EVENTS[event["id"]], (begin, row), (0, 9 if above else -14), size="footer", ha="center")
        axes[0].set_yticks(range(len(PERIODS)), [label for label, _ in PERIODS], fontsize=SIZE["footer"])
        axes[0].set_ylim(-0.6, len(PERIODS) - 0.3)
        axes[0].set_xticks(range(1840, SPLIT, 20))
        axes[1].set_xticks(range(1917, 1938, 3))
        for ax in axes:
            ax.tick_params(axis="x", labelsize=SIZE["footer"])
        axes[1].tick_params(axis="y", left=False)
        figure.suptitle(f"Events chapter IX refers to (the axis is split at {SPLIT})", fontsize=SIZE["body"])
        figure.text(0.01, 0, "Source: data/timeline.csv (a source for each event is in the table below).",
                    va="top", fontsize=SIZE["small"])
    figure.alt = timeline_description(events)
    return figure


def timeline_description(events) -> str:
    """The chart's alt text: its span, and for each period how many events and from when to when."""
    years = [int(_year(e["date"])) for e in events]
    rows = []
    for index, (label, _) in enumerate(PERIODS):
        own = [y for y in years if _period(y) == index]
        if own:
            rows.append(f"{label}: {len(own)} event{'s' if len(own) > 1 else ''}, {min(own)} to {max(own)}")
    return (f"Timeline chart from {min(years)} to {max(years)}, the axis split at {SPLIT}. Each event the chapter "
            f"refers to is a marker on its date, or a bar for a span, in one row per period. " + "; ".join(rows)
            + ". The table below lists the same events with their dates.")
