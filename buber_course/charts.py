"""The charts of collectivization, one function per chart, in the book's one style (``style.py``:
Okabe-Ito colours with a marker and dash pattern per series, white ground, dark text). Lines are
labelled where they end, not by a colour legend.

The same conventions hold in every chart, and its footer repeats them with its sources:

- Every marker, bar end and line vertex is a figure of a row of the data: nothing is averaged or
  combined (a test reads the drawn coordinates back and finds each in the data).
- A hollow marker (a hatched bar in a range chart) is a figure another source contradicts
  (``conflicting`` in the data).
- Where several sources give figures for the same date, each is its own marker labelled with its
  source, and the line breaks there. A line joins only figures of one series on one basis, and a
  join across a gap in the counts is thin and dotted; a series of two figures is not joined.
- A thin horizontal bar spans the year or month of a figure the source does not date more
  closely, when the series also holds exact dates. Such figures are not joined to the line.
- A range chart draws each estimate from its low to its high bound; an arrow marks an estimate
  that gives one bound only ("at least", "at most").

Each function takes the rows to draw (``data.series(...)``), with the standard series as default,
and returns a matplotlib ``Figure`` that a notebook shows as an image.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib as mpl
import matplotlib.ticker  # noqa: F401  (mpl.ticker)
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from . import data
from .style import LOOKS, MUTED, OKABE_ITO, PAPER, SHADE, SIZE, TEXT, Chart, course_style, direct_label  # noqa: F401 (re-exported)
from .style import new_chart as _figure

DATA_GID = "data"  # every artist that draws a figure of the data carries it, so tests can read them back
BUBER_GID = "buber"  # and Buber's own figure, drawn beside the record
GAP_FACTOR = 1.6  # a join longer than this many times the series' usual step spans missing counts
JOIN = "_join"  # the label of a line joining two figures (markers and year bars have none)
AGREE = 0.01  # figures of one date within 1 per cent of each other: one count, rounded differently
LINE_CONVENTIONS = ("Every marker is a figure a source gives; hollow markers, figures another source contradicts. "
                    "Figures of one date within 1 per cent of each other are one count rounded differently; where "
                    "sources disagree further, each figure is labelled with its source and the line breaks there. Dotted thin joins: no count in between. Thin horizontal bars: the year or month a "
                    "figure is dated to.")
# The estimates count different things (excess deaths over a normal year's, the famine's dead, the guesses
# of observers at the time), and for several the source's own wording was not seen: the axis claims no
# kind, and the table's measure column gives each estimate's as read.
DEATHS_AXIS = "million deaths (the table gives what each estimate counts)"
RANGE_CONVENTIONS = ("Bars run from an estimate's low to its high bound; a dot is a single figure; an arrow marks "
                     "a single bound. Hatched bars and hollow dots: figures another source contradicts.")

# The winter drive of 1929-30: its events, marked on the pace chart's winter close-up and on the regions chart.
WINTER_DRIVE = ("november_plenum_1929", "cc_resolution_1930_01_05", "dizzy_with_success")
# Short labels drawn at the end of each line (a series not listed here is labelled by its id).
LABELS = {
    "share_ussr": "dated figures",
    "share_ussr_annual_official": "official annual series",
    "share_ussr_stalin_claim": "Stalin's claim for 20 Feb 1930",
    "share_ussr_agriculture": '"of agriculture", 1936',
    "share_north_caucasus": "North Caucasus",
    "share_lower_volga": "Lower Volga",
    "share_steppe_ukraine": "Steppe Ukraine",
    "share_central_black_earth": "Central Black Earth",
    "share_moscow_region": "Moscow region",
    "livestock_bse": "encyclopaedia (1 Jan)",
    "livestock_stalin1934": "Stalin 1934",
    "livestock_martens": "Martens",
    "livestock_kotkin": "Kotkin",
    "grain_harvest_official": "official (1930s)",
    "grain_harvest_revised": "revised Soviet",
    "grain_harvest_western_low": "Western low",
    "grain_procurement": "procurement (from that year's harvest)",
    "grain_export": "exports (calendar year)",
    "coop_members_consumer": "consumer co-operatives",
    "coop_members_all": "all co-operatives",
    "party_members": "party members",
    "party_members_represented": "represented at the congress",
    "mts_number": "stations counted",
    "mts_plan_1930": "planned in 1930",
    "tractors_mts": "in the stations",
    "tractors_agriculture": "in agriculture",
}
# Where a label sits beside its line's last point, when not (6, 0, "left"): (dx, dy) in points, alignment.
OFFSETS = {"share_ussr_agriculture": (8, -14, "left")}
# Buber's figures as the charts label them: his words, cut to the figure.
FIGURE_LABELS = {"ninety_per_cent": '"nearly 90 per cent", 1936', "co_operatives_ten_million": '"ten million members"',
                 "party_240000": '"the 240,000 members"'}
# How a unit is drawn: the factor to the axis unit, and the axis unit.
UNITS = {"members": (1e-6, "million members"), "million members": (1.0, "million members"),
         "party members": (1e-3, "thousand party members"),
         "party members represented at the Sixth Congress": (1e-3, "thousand party members"),
         "percent": (1.0, "per cent of peasant households")}


# --- the charts --------------------------------------------------------------------------------


def pace_chart(rows: pd.DataFrame | None = None) -> Chart:
    """How fast collectivization went and when it fell back: the USSR share, 1927-1937, and a close-up
    of winter 1929-30 (figures dated by day or month only), with the events and Buber's 1936 figure."""
    if rows is None:
        rows = data.series("share_ussr", "share_ussr_annual_official", "share_ussr_stalin_claim",
                           "share_ussr_agriculture")
    dated = rows[[data.precision(str(w)) != "year" for w in rows["date"]]]
    with course_style():
        figure, (whole, winter) = _figure(9.4, nrows=2, height_ratios=[1, 1.15])
        _draw_all(whole, rows, xlim=("1927-01-01", "1938-12-31"), ylim=(0, 109),
                  offsets={"share_ussr_stalin_claim": (-8, 8, "right")})
        _draw_all(winter, dated, xlim=("1929-08-01", "1931-03-31"), ylim=(0, 100), looks_of=rows,
                  offsets={"share_ussr_stalin_claim": (8, 16, "left")})
        _mark_figure(whole, "ninety_per_cent")
        _mark_events(whole, ["first_five_year_plan"])
        _mark_events(winter, WINTER_DRIVE, bottom={"dizzy_with_success"})
        whole.set_yticks(range(0, 101, 20))
        for ax in (whole, winter):
            ax.set_ylabel("per cent of peasant households")
        whole.set_title(f"(a) Share of peasant households in kolkhozy, USSR, {years(rows)}")
        winter.set_title("(b) The winter drive and the retreat, August 1929 to March 1931 (figures dated by day or month)")
        _date_axis(whole, years=1)
        _date_axis(winter, months=2)
        _footer(figure, rows)
    figure.alt = describe(rows, f"Two line charts of the share of peasant households in collective farms in the USSR, {years(rows)} and August 1929 to March 1931, with the events of the winter drive and Buber's figure for 1936")
    return figure


def regions_chart(rows: pd.DataFrame | None = None) -> Chart:
    """The share in five regions, 1927-1931: how unevenly the drive and the retreat went."""
    if rows is None:
        rows = data.series("share_north_caucasus", "share_lower_volga", "share_steppe_ukraine",
                           "share_central_black_earth", "share_moscow_region")
    with course_style():
        figure, (ax,) = _figure(5.6)
        _draw_all(ax, rows, xlim=("1927-03-01", "1931-10-31"), ylim=(0, 100))
        _mark_events(ax, WINTER_DRIVE, bottom={"dizzy_with_success"})
        ax.set_ylabel("per cent of peasant households")
        ax.set_title(f"Share of peasant households in kolkhozy, five regions, {years(rows)}")
        _date_axis(ax, years=1)
        _footer(figure, rows)
    figure.alt = describe(rows, f"Line chart of the share of peasant households in collective farms in five regions, {years(rows)}")
    return figure


def livestock_chart(rows: pd.DataFrame | None = None) -> Chart:
    """Herds of cattle, horses, pigs and sheep and goats, 1928-1934, one panel each, series kept apart."""
    if rows is None:
        rows = data.series("livestock_bse", "livestock_stalin1934", "livestock_martens", "livestock_kotkin")
    rows = rows[rows["unit"] == "million head"]
    animals = {"cattle": "Cattle", "horses": "Horses", "pigs": "Pigs", "sheep_goats": "Sheep and goats"}
    with course_style():
        figure, axes = _figure(7.8, nrows=2, ncols=2)
        for ax, (animal, title) in zip(axes, animals.items()):
            _mark_drive(ax, label=ax is axes[0])
            _draw_all(ax, rows[rows["animal"] == animal], xlim=("1927-07-01", "1937-06-30"), ylim=(0, None), looks_of=rows)
            ax.set_title(title)
            ax.set_ylabel("million head")
            _date_axis(ax, years=2)
        _footer(figure, rows)
    figure.alt = describe(rows, f"Four line charts of the Soviet herds, {years(rows)}, one for each kind of animal, each count kept apart", by='animal')
    return figure


def grain_chart(rows: pd.DataFrame | None = None) -> Chart:
    """Grain harvested (three estimates side by side, each its own line; nothing is shaded) and grain
    taken and exported."""
    if rows is None:
        rows = data.series("grain_harvest_official", "grain_harvest_revised", "grain_harvest_western_low",
                           "grain_procurement", "grain_export")
    harvest = rows[rows["measure"] == "harvest"]
    with course_style():
        figure, (top, bottom) = _figure(8.4, nrows=2, height_ratios=[1.25, 1])
        _draw_all(top, harvest, xlim=("1927-10-01", "1936-12-31"), ylim=(0, 100), looks_of=rows)
        _draw_all(bottom, rows[rows["measure"] != "harvest"], xlim=("1927-10-01", "1936-12-31"), ylim=(0, None),
                  looks_of=rows)
        for ax in (top, bottom):
            ax.set_ylabel("million tonnes")
            _date_axis(ax, years=1)
        top.set_title("(a) Grain harvest, USSR: three estimates side by side")
        bottom.set_title("(b) Grain taken by the state (procurement) and grain exported")
        _footer(figure, rows)
    figure.alt = describe(rows, "Two charts of Soviet grain: the harvest in three estimates, and the grain the state procured and exported")
    return figure


def mechanization_chart(rows: pd.DataFrame | None = None) -> Chart:
    """Machine-tractor stations and the tractors in them, as counted (plans kept apart)."""
    if rows is None:
        rows = data.series("mts_number", "mts_plan_1930", "tractors_mts", "tractors_agriculture")
    panels = [("stations", "(a) Machine-tractor stations: counted, and planned in 1930"),
              ("tractors", "(b) Tractors: in the stations, and in agriculture as a whole")]
    with course_style():
        figure, axes = _figure(7.2, nrows=2)
        for ax, (unit, title) in zip(axes, panels):  # the unit is the axis label
            _draw_all(ax, rows[rows["unit"] == unit], xlim=("1927-10-01", "1942-12-31"), ylim=(0, None), looks_of=rows)
            ax.set_title(title)
            ax.set_ylabel(unit)
            ax.yaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
            _date_axis(ax, years=2)
        _footer(figure, rows)
    figure.alt = describe(rows, f"Two charts of the machine-tractor stations and their tractors, {years(rows)}")
    return figure


def deportation_chart(rows: pd.DataFrame | None = None) -> Chart:
    """Peasant families and persons deported in 1930-1931, count by count."""
    if rows is None:
        rows = data.series("deported_families", "deported_persons")
    panels = [(n, *_range_unit(rows[rows["series"] == n]["unit"].iloc[0])) for n in dict.fromkeys(rows["series"])]
    counts = [(rows["series"] == n).sum() for n, *_ in panels]
    with course_style():
        figure, axes = _figure(1.5 + 0.5 * sum(counts), nrows=len(panels), height_ratios=counts)
        for ax, (name, scale, unit) in zip(axes, panels):
            part = rows[rows["series"] == name]
            _ranges(ax, part, scale, unit, top=pd.concat([part["low"], part["high"]]).max() * scale)
            ax.set_title(rows.attrs.get("titles", {}).get(name, name))
        _footer(figure, rows, RANGE_CONVENTIONS)
    figure.alt = describe(rows, f"Range chart of the peasant families and persons deported in {years(rows)}, count by count")
    return figure


def famine_chart(rows: pd.DataFrame | None = None) -> Chart:
    """Deaths in the famine of the early 1930s, estimate by estimate: the USSR, Ukraine and Kazakhstan."""
    if rows is None:
        rows = data.series("famine_deaths_ussr", "famine_deaths_ukraine", "famine_deaths_kazakhstan")
    names = list(dict.fromkeys(rows["series"]))
    counts = [(rows["series"] == n).sum() for n in names]
    top = pd.concat([rows["low"], rows["high"]]).max() * 1e-6
    with course_style():
        figure, axes = _figure(1.7 + 0.36 * sum(counts), nrows=len(names), height_ratios=counts)
        for ax, name in zip(axes, names):
            part = rows[rows["series"] == name]
            _ranges(ax, part, 1e-6, DEATHS_AXIS, top=top)
            ax.set_title(rows.attrs.get("titles", {}).get(name, name))
        _footer(figure, rows, RANGE_CONVENTIONS)
    figure.alt = describe(rows, f"Range chart of the famine deaths, estimate by estimate (their periods span {years(rows)})")
    return figure


def figure_chart(figure_id: str, also: tuple[str, ...] = ()) -> Chart:
    """One of Buber's figures beside the record: the record's rows in the stretch the figure concerns
    (``also`` adds series) and Buber's figure across the date he gives; for a period, two bars."""
    figure_row = data.buber_figures().set_index("id").loc[figure_id]
    record = data.record(figure_id)
    with course_style():
        if figure_row["record_event"]:
            return _period_chart(figure_row, record)
        extra = [data.series(name) for name in also]
        rows = pd.concat([record, *extra], ignore_index=True)
        rows.attrs = {"sources": {k: v for frame in (record, *extra) for k, v in frame.attrs["sources"].items()}}
        rows["value"] = rows["value"] * rows["unit"].map(lambda unit: UNITS.get(unit, (1.0, unit))[0])
        scale, axis_unit = UNITS.get(figure_row["unit"], (1.0, figure_row["unit"]))
        start = data.period_bounds(figure_row["record_from"])[0]
        end = max(data.period_bounds(figure_row["record_to"])[1], data.period_bounds(figure_row["date"])[1])
        room = (end - start) * 0.3
        chart, (ax,) = _figure(4.8)
        _mark_figure(ax, figure_id, scale=scale)
        _draw_all(ax, rows, xlim=(start - room / 6, end + room), ylim=(0, None))
        ax.set_ylabel(axis_unit)
        ax.set_title(f"Buber, p. {figure_row['page']}, and the record")
        days = (end - start).days
        _date_axis(ax, months=3) if days < 1100 else _date_axis(ax, years=1 if days < 3000 else 2)
        _footer(chart, rows, buber=True)
    chart.alt = describe(rows, f"Buber's figure on p. {figure_row['page']}, \"{figure_row['quote']}\" "
                               f"({_cell(figure_row['value'])} {figure_row['unit']}, {figure_row['date']}), drawn as a "
                               f"black bar beside the record")
    return chart


def _period_chart(figure_row, record: pd.DataFrame) -> Chart:
    """Buber's dates for a period against the record's, as two bars on one time axis."""
    chart, (ax,) = _figure(2.9)
    event = record.iloc[0]
    derived = " (the start derived from the plan's length)" if event["confidence"] == "derived" else ""
    bars = [(f"The record: {event['start']:%-d %B %Y} to {event['end']:%-d %B %Y}{derived}", (event["start"], event["end"]), False),
            (f"Buber, p. {figure_row['page']}: \"{figure_row['quote']}\"", data.period_bounds(figure_row["date"]), True)]
    for y, (label, (start, end), hatched) in enumerate(bars):
        ax.barh(y, end - start, left=start, height=0.45, color=PAPER if hatched else LOOKS[0]["color"],
                edgecolor=TEXT if hatched else LOOKS[0]["color"], hatch="//" if hatched else None, linewidth=1.5,
                gid=BUBER_GID if hatched else DATA_GID)
        direct_label(ax, label, (start, y + 0.25), (0, 5), size="body")
    ax.set_yticks([])
    ax.set_ylim(-0.5, 1.9)
    ax.set_xlim(pd.Timestamp("1925-07-01"), pd.Timestamp("1933-12-31"))
    ax.set_title(f"{event['label']}: Buber's dates and the record")
    _date_axis(ax, years=1)
    _footer(chart, record, buber=True, conventions="")
    chart.alt = (f"Two bars on a time line: {bars[0][0]}; {bars[1][0]}, "
                 f"{data.period_bounds(figure_row['date'])[0]:%Y} to {data.period_bounds(figure_row['date'])[1]:%Y}. "
                 "The record's dates, with their source, are in the table below.")
    return chart


# --- drawing helpers ---------------------------------------------------------------------------


@dataclass
class _Label:
    x: pd.Timestamp
    y: float
    text: str
    dx: float = 6
    dy: float = 0
    ha: str = "left"


def _draw_all(ax, rows: pd.DataFrame, *, xlim: tuple, ylim: tuple, offsets: dict | None = None,
              looks_of: pd.DataFrame | None = None) -> None:
    """Each series of ``rows`` in its own look (its place in ``looks_of`` picks the look), then the
    axis limits, then the labels at the line ends, moved apart where they would overlap."""
    order = list(dict.fromkeys((looks_of if looks_of is not None else rows)["series"]))
    labels = []
    for name in dict.fromkeys(rows["series"]):
        look = LOOKS[order.index(name) % len(LOOKS)]
        label = _draw(ax, rows[rows["series"] == name], look, LABELS.get(name, name))
        dx, dy, ha = (offsets or {}).get(name, OFFSETS.get(name, (6, 0, "left")))
        labels.append(_Label(label.x, label.y, label.text, dx, dy, ha))
    ax.set_xlim(pd.Timestamp(xlim[0]), pd.Timestamp(xlim[1]))
    ax.set_ylim(*ylim)
    _place_labels(ax, labels)


def _draw(ax, rows: pd.DataFrame, look: dict, label: str) -> _Label:
    """One series: a marker per figure, where its row puts it; a line only through what the series
    gives date after date. Figures of one date within ``AGREE`` of each other are one count rounded
    differently, and the line passes through the first of them. Where sources disagree at a date,
    each figure is its own marker, labelled with its source, and the line breaks there. Figures the
    source dates only by year among exact dates get a bar across the year instead; a join over a gap in
    the counts is thin and dotted; a series of two figures is not joined (a line would claim a steady
    change)."""
    when = rows[_time_field(rows)].astype(str)
    points = pd.DataFrame({
        "x": [_mid(w) for w in when], "y": rows["value"].to_numpy(dtype=float),
        "precision": [data.precision(w) for w in when], "contested": (rows["confidence"] == "conflicting").to_numpy(),
        "bounds": [data.period_bounds(w) for w in when], "source": rows["source"].to_numpy(),
        # one basis, however sure the source is of it ("calendar year (presumed)" is a calendar year)
        "basis": [re.sub(r"\s*\(.*\)", "", b) for b in rows["basis"]] if "basis" in rows.columns else [""] * len(rows)})
    mixed = points["precision"].nunique() > 1
    spread = points.groupby("x")["y"].transform(lambda ys: ys.max() - ys.min() > AGREE * ys.abs().max())
    placed: dict = {}  # labels of disputed dates, stacked so that close figures' labels do not collide
    for (x, y), same in points.groupby(["x", "y"], sort=False):
        first = same.iloc[0]
        if mixed and first.precision != "day":
            ax.plot(first.bounds, [y, y], color=look["color"], linewidth=1, solid_capstyle="butt", gid=DATA_GID)
        ax.plot([x], [y], linestyle="none", marker=look["marker"], color=look["color"],
                markerfacecolor=PAPER if same["contested"].all() else look["color"], zorder=3, gid=DATA_GID)
        if spread.loc[same.index].any():  # sources disagree at this date: say whose figure this is
            names = [short_citation(source) for source in dict.fromkeys(same["source"])]
            text = names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")
            stacked = placed.setdefault(x, [])
            direct_label(ax, text, (x, y), (7, -9 * len(stacked)), size="small", color=MUTED, va="center")
            stacked.append(text)
    single = ~spread & ~points.duplicated("x") & ~points.groupby("x")["contested"].transform("all")
    joinable = points[single & ((points["precision"] != "year") | (not mixed))]
    last = None
    for _, part in joinable.groupby("basis"):
        part = part.sort_values("x")
        if len(part) < 3:
            continue
        steps = part["x"].diff().dropna()
        usual = steps.median()
        for (x0, y0), (x1, y1), step in zip(part[["x", "y"]].values[:-1], part[["x", "y"]].values[1:], steps):
            gap = step > usual * GAP_FACTOR
            ax.plot([x0, x1], [y0, y1], color=look["color"], zorder=2, gid=DATA_GID, label=JOIN,
                    linestyle=(0, (1, 2)) if gap else look["linestyle"], linewidth=1 if gap else 2)
        last = part
    end = (last if last is not None else points.sort_values("x")).iloc[-1]
    return _Label(end["x"], float(end["y"]), label)


def _place_labels(ax, labels: list[_Label], gap: float = 13) -> None:
    """Write the line-end labels. Labels whose lines end near one another are set in one column just
    right of the last of those ends, one under the other (gap in pixels), each joined to its line's end
    by a thin leader when it had to move, so that no label sits on another label or on a marker."""
    ax.figure.draw_without_rendering()  # final layout, so pixel positions are the drawn ones
    inside = [l for l in labels if ax.get_xlim()[0] <= mdates.date2num(l.x) <= ax.get_xlim()[1]]
    anchors = {id(l): ax.transData.transform((mdates.date2num(l.x), l.y)) for l in inside}
    pixels_per_point = ax.figure.dpi / 72
    placed: list[tuple[float, float]] = []
    for label in sorted(inside, key=lambda l: -(anchors[id(l)][1] + l.dy * pixels_per_point)):
        x, y = anchors[id(label)]
        near = [a for a in anchors.values() if 0 <= a[0] - x < 200]  # this end and ends just right of it
        column = max(a[0] for a in near) if label.ha == "left" else x
        want = y + label.dy * pixels_per_point
        for other_x, other_y in placed:
            if abs(other_x - column) < 170 and want > other_y - gap:
                want = other_y - gap
        placed.append((column, want))
        dx = (column - x) / pixels_per_point + label.dx
        moved = abs(dx - label.dx) > 4 or abs(want - y - label.dy * pixels_per_point) > 4
        direct_label(ax, label.text, (label.x, label.y), (dx, (want - y) / pixels_per_point), va="center", ha=label.ha,
                     arrowprops={"arrowstyle": "-", "color": MUTED, "lw": 0.6, "shrinkA": 0, "shrinkB": 4} if moved else None)


def _ranges(ax, rows: pd.DataFrame, scale: float, unit: str, top: float) -> None:
    """Each estimate on its own line, from its low to its high bound, labelled with who made it."""
    rows = rows.reset_index(drop=True)
    look = LOOKS[0]
    for y, row in zip(range(len(rows) - 1, -1, -1), rows.itertuples()):
        low, high = row.low * scale, row.high * scale
        face = PAPER if row.confidence == "conflicting" else look["color"]
        if pd.notna(low) and pd.notna(high) and low != high:
            ax.barh(y, high - low, left=low, height=0.45, color=face, edgecolor=look["color"], linewidth=1.5,
                    hatch="///" if face == PAPER else None, gid=DATA_GID)
            text = f"{low:,.3g} to {high:,.3g}"
        elif pd.notna(low) and pd.notna(high):
            ax.plot([low], [y], marker=look["marker"], color=look["color"], markerfacecolor=face,
                    markersize=8, gid=DATA_GID)  # a single estimate: a larger dot than a series' markers, alone on its line
            text = f"{low:,.4g}"
        else:  # one bound: an arrow from it towards the open side
            bound = low if pd.notna(low) else high
            tail = bound + 0.15 * top if pd.notna(low) else max(0, bound - 0.15 * top)
            ax.annotate("", (bound, y), xytext=(tail, y), arrowprops={"arrowstyle": "<|-", "color": look["color"], "lw": 2})
            text = f"at least {low:,.3g}" if pd.notna(low) else f"at most {high:,.3g}"
            low = high = max(bound, tail)
        direct_label(ax, text, (max(v for v in (low, high) if pd.notna(v)), y), (8, 0), size="axis", va="center")
    labels = [_estimate_label(row) for row in rows.itertuples()]
    labels = [f"{l} ({short_citation(s)})" if labels.count(l) > 1 else l for l, s in zip(labels, rows["source"])]  # same count, two reports
    ax.set_yticks(range(len(rows) - 1, -1, -1), labels, fontsize=SIZE["axis"])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlim(0, top * 1.25)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(unit)


def _range_unit(unit: str) -> tuple[float, str]:
    return (1e-3, f"thousand {unit}") if unit in ("families", "households") else (1e-6, f"million {unit}")


def _estimate_label(row) -> str:
    """'C. O Grada, 1932-1933': who made the estimate, for which years, and any qualification."""
    who = row.estimator
    if re.fullmatch(r"[A-Z][\w']+(, [A-Z][\w']+){2,}", who):  # a list of surnames
        who = who.split(",")[0] + " et al."
    who = re.sub(r", [a-z][^,]{12,}$", "", who)  # a description after the name: it is in the table
    detail = row.measure.split(", ", 1)[1] if ", " in row.measure else (re.findall(r"\((.*?)\)", row.measure) or [""])[0]
    detail = re.sub(r"\s*\((.*?)\)", r", \1", detail)
    years = re.fullmatch(r"\d{4}/\d{4}", row.period)
    period = row.period.replace("/", "-" if years else " to ")
    return f"{who}, {period}" + (f" ({detail})" if detail and detail != period else "")  # "1932 (1932)" says it once


def _mark_events(ax, ids: Sequence[str], bottom: set[str] = frozenset()) -> None:
    """Dashed lines at the events (a shaded band for a span). A span is labelled in place; a line gets a
    letter, upright, and the footer says what each letter marks, so no label has to be read sideways."""
    found = data.events().set_index("id")
    across = blended_transform_factory(ax.transData, ax.transAxes)
    key = ax.figure.__dict__.setdefault("event_key", {})
    for event_id in ids:
        event = found.loc[event_id]
        named = f"{event['label']}, {_dates_text(event['start'], event['end'])}"
        long_span = (event["end"] - event["start"]).days > 200
        if event["end"] > event["start"]:
            ax.axvspan(event["start"], event["end"] + pd.Timedelta(days=1), **SHADE)
        else:
            ax.axvline(event["start"], color=MUTED, linestyle=(0, (3, 2)), linewidth=1.2, zorder=1)
        low = event_id in bottom
        text = f" {named} " if long_span else f" {key.setdefault(named, chr(ord('A') + len(key)))} "
        ax.text(event["start"], 0.03 if low else 0.97, text, transform=across, ha="left" if long_span else "center",
                va="bottom" if low else "top", fontsize=SIZE["note" if long_span else "axis"], color=TEXT,
                fontweight="normal" if long_span else "bold",
                bbox={"facecolor": PAPER, "edgecolor": "none", "alpha": 0.85, "pad": 1})


def _mark_drive(ax, label: bool) -> None:
    """The winter drive, from the November 1929 plenum to "Dizzy with Success", as a shaded band."""
    found = data.events().set_index("id")
    start, end = found.at["november_plenum_1929", "start"], found.at["dizzy_with_success", "end"]
    ax.axvspan(start, end, **SHADE)
    if label:
        ax.text(end, 0.04, f" winter drive,\n {start:%b %Y} to {end:%b %Y}",
                transform=blended_transform_factory(ax.transData, ax.transAxes), fontsize=SIZE["note"], color=TEXT, va="bottom")


def _mark_figure(ax, figure_id: str, scale: float = 1.0) -> None:
    """Buber's figure as a thick black bar across the date he gives it, labelled with his page."""
    row = data.buber_figures().set_index("id").loc[figure_id]
    start, end = data.period_bounds(row["date"])
    y = row["value"] * scale
    ax.plot([start, end], [y, y], color=OKABE_ITO["black"], linewidth=4, solid_capstyle="butt", zorder=2.5,
            marker="|", markersize=14, markeredgewidth=2.5, gid=BUBER_GID)
    direct_label(ax, f"Buber, p. {row['page']}: {FIGURE_LABELS.get(figure_id, row['quote'])}", (end, y), (0, 11),
                 ha="right", fontweight="bold")


def _footer(figure: Figure, rows: pd.DataFrame, conventions: str = LINE_CONVENTIONS, buber: bool = False) -> None:
    """The chart's sources (short form; the full references follow in the page) and its conventions."""
    names = list(dict.fromkeys(short_citation(s, kind=True) for s in _shown_sources(rows)))
    if buber:
        names.append(short_citation("buber1949"))
    events = "; ".join(f"{letter}: {named}" for named, letter in figure.__dict__.get("event_key", {}).items())
    text = f"{'Dashed lines: ' + events + '. ' if events else ''}Sources: {'; '.join(names)}. {conventions}".strip()
    figure.text(0.005, 0, textwrap.fill(text, 150), ha="left", va="top", fontsize=SIZE["footer"], color=TEXT)


def _date_axis(ax, years: int | None = None, months: int | None = None) -> None:
    locator = mdates.MonthLocator(bymonth=range(1, 13, months)) if months else mdates.YearLocator(years or 1)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y" if months else "%Y"))


def _dates_text(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {end:%b %Y}"
    return f"{start:%b %Y} to {end:%b %Y}"


def _time_field(rows: pd.DataFrame) -> str:
    return next(f for f in data.TIME_FIELDS if f in rows.columns)


def years(rows: pd.DataFrame) -> str:
    """'1927-1937': the first and the last year the rows' dates or periods reach (one year: '1930')."""
    bounds = [data.period_bounds(str(when)) for when in rows[_time_field(rows)]]
    first, last = min(start for start, _ in bounds).year, max(end for _, end in bounds).year
    return str(first) if first == last else f"{first}-{last}"


def _mid(when: str) -> pd.Timestamp:
    start, end = data.period_bounds(when)
    return start + (end - start) / 2


# --- tables and references beside the charts -----------------------------------------------------


def short_citation(source_id: str, kind: bool = False) -> str:
    """'R. W. Davies (1980)': the author, or the title where the author is unknown, and the year;
    with ``kind``, 'R. W. Davies (1980, scholarly)'."""
    source = data.sources().set_index("id").loc[source_id]
    name = re.split(r" \(|, ", source["author"])[0]
    title = re.split(r" \(|, ", source["title"])[0]
    if name.startswith(("Anonymous", "Unidentified")) and not title.startswith("("):
        name = title
    return f"{name} ({source['year']}{', ' + source['kind'] if kind else ''})"


def table_view(rows: pd.DataFrame, caption: str):
    """The rows of a chart as a captioned HTML table, for reading, screen readers and copying. A
    ``{years}`` in the caption becomes the years the rows span, so the caption follows the data.

    A column with one value throughout goes into the caption instead (series, value, source and
    confidence always stay columns). The table scrolls sideways
    inside its own region when the screen is narrow; that region takes keyboard focus, so it can
    be scrolled without a mouse.
    """
    from IPython.display import HTML

    if "{years}" in caption:  # a table without dates (the overview of the series) has no span
        caption = caption.replace("{years}", years(rows))
    kept = ("series", "value", "source", "confidence")
    constant = [c for c in rows.columns if c not in kept and len(rows) > 1 and rows[c].nunique(dropna=False) == 1]
    shown = rows.drop(columns=constant)
    if "source" in shown.columns:  # author, year and kind, as a reader names a source (the ids stay in the CSV)
        shown = shown.assign(source=[short_citation(s, kind=True) if s else "" for s in shown["source"]])
    if constant:
        caption += " (" + "; ".join(f"{c}: {_cell(rows[c].iloc[0])}" for c in constant) + ")"
    styles = {c: [{"selector": "td", "props": "white-space: nowrap"}] for c in shown.columns if c in data.TIME_FIELDS}
    styles |= {c: [{"selector": "td", "props": "min-width: 18em"}] for c in shown.columns if c == "note"}
    table = (shown.style.hide(axis="index").set_caption(caption).format(_cell).set_table_styles(styles)
             .set_table_attributes('class="dataframe data-table"'))
    label = caption.replace('"', "&quot;")
    return HTML(f'<div class="data-table-region" role="region" aria-label="{label}" tabindex="0">{table.to_html()}</div>')


def _cell(value) -> str:
    """A number without trailing zeros and with thousands separators, a date as YYYY-MM-DD."""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "" if pd.isna(value) else f"{value:,.10g}"
    return "" if value is pd.NA else str(value)


def describe(rows: pd.DataFrame, chart: str, by: str | None = None) -> str:
    """A chart's description for readers who cannot see it, from the rows it draws: for each series (and
    each ``by`` value, such as the animal), how many figures, the first and the last, the highest."""
    parts = [chart + "."]
    titles = data.table("series").set_index("id")["title"].to_dict() | rows.attrs.get("titles", {})
    units = rows.attrs.get("units", {})
    for key, part in rows.groupby(["series", by] if by else ["series"], sort=False):
        name = key[0]
        label = titles.get(name, name) + (f", {key[1].replace('_', ' ')}" if by else "")
        if {"low", "high"} <= set(part.columns):
            parts.append(f"{label}: {len(part)} estimate{'s' if len(part) > 1 else ''}, {_reach(part, part['unit'].iloc[0])}.")
            continue
        when = part[_time_field(part)].astype(str)
        order = sorted(range(len(part)), key=lambda i: data.period_bounds(when.iloc[i])[0])
        first, last = order[0], order[-1]
        top = int(part["value"].to_numpy(dtype=float).argmax())
        unit = units.get(name, part["unit"].iloc[0])
        text = (f"{label} ({unit}): {len(part)} figure{'s' if len(part) > 1 else ''}, "
                f"{_cell(part['value'].iloc[first])} for {when.iloc[first]}")
        if len(part) > 1:
            text += f" to {_cell(part['value'].iloc[last])} for {when.iloc[last]}"
        if top not in (first, last):
            text += f"; highest {_cell(part['value'].iloc[top])} for {when.iloc[top]}"
        parts.append(text + ".")
    parts.append("Every figure, with its source, is in the table below the chart.")
    return " ".join(parts)


def _reach(part: pd.DataFrame, unit: str) -> str:
    """How far a series' estimates reach, saying where a row gives one bound only (an upper bound is
    "at most", not a figure)."""
    low, high = part["low"], part["high"]
    bounds = pd.concat([low, high]).dropna()
    if len(part) == 1 and low.isna().iloc[0] != high.isna().iloc[0]:
        return f"{'at most' if low.isna().iloc[0] else 'at least'} {_cell(bounds.iloc[0])} {unit}"
    reach = _cell(bounds.min()) if bounds.min() == bounds.max() else f"from {_cell(bounds.min())} to {_cell(bounds.max())}"
    one_bound = [f"{n} with {kind} only" for n, kind in (((low.isna() & high.notna()).sum(), "an upper bound"),
                                                          ((high.isna() & low.notna()).sum(), "a lower bound")) if n]
    return f"{reach} {unit}" + (f" ({'; '.join(one_bound)})" if one_bound else "")


def sources_list(*shown: pd.DataFrame | str):
    """The full references of the rows shown (or of source ids), as a Markdown list."""
    from IPython.display import Markdown

    found, table = {}, data.sources().set_index("id")
    for item in shown:
        found |= {item: data.citation(table.loc[item])} if isinstance(item, str) else _shown_sources(item)
    lines = [f"- {_markdown(text)}" for text in found.values()]
    return Markdown("**Sources**, the best first and the work it was read in second; the kind in brackets "
                    "(statistical handbook, scholarly, encyclopaedia, official, popular, partisan, or unconfirmed: "
                    "a copy no one vouches for):\n\n" + "\n".join(lines))


def _shown_sources(rows: pd.DataFrame) -> dict[str, str]:
    """The references in ``attrs`` of the sources the rows still cite (a filtered table keeps all)."""
    cited = set(rows["source"]) if "source" in rows.columns else set()
    return {s: text for s, text in rows.attrs.get("sources", {}).items() if s in cited}


def _markdown(text: str) -> str:
    """Plain text safe in Markdown, its web addresses turned into links."""
    parts = re.split(r"(https?://[^\s;,]+)", text)
    return "".join(f"<{p}>" if p.startswith("http") else re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", p) for p in parts)
