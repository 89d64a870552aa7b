"""The collectivization figures: every row sourced and in order, clear errors for bad input, the charts
accessible and sourced, and the chart pages built with their figures, tables and downloads."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
import matplotlib.dates as mdates
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from buber_course import charts, data, text
from buber_course.paths import DATA, ROOT

PACKAGE = json.loads((DATA / "datapackage.json").read_text())
TABLES = [r["name"] for r in PACKAGE["resources"] if "series" in [f["name"] for f in r["schema"]["fields"]]]
FIGURES = [r for r in PACKAGE["resources"] if r["path"].startswith("collectivization/")]
SOURCED = [r["name"] for r in FIGURES if "source" in [f["name"] for f in r["schema"]["fields"]]]
CHART_PAGES = ["pace", "livestock", "grain", "land-and-machines", "deportation-and-famine", "bubers-figures"]


def csv_rows(path: str) -> list[dict]:
    """The rows of a file of data/ as the CSV holds them (text), read here without the package."""
    with (DATA / path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


FIGURE_ROWS = {row["id"]: row for row in csv_rows("collectivization/buber_figures.csv")}


def record_rows(figure_id: str, path: str) -> list[dict]:
    """The rows of ``path`` a figure's record holds, by its row of buber_figures.csv: those of its record
    series whose date begins within record_from-record_to, the figure's own source left out."""
    figure = FIGURE_ROWS[figure_id]
    start, end = data.period_bounds(figure["record_from"])[0], data.period_bounds(figure["record_to"])[1]
    return [row for row in csv_rows(path) if row["series"] == figure["record_series"]
            and row["source"] != figure["source"] and start <= data.period_bounds(row["date"])[0] <= end]


# --- the data as supplied ------------------------------------------------------------------------


def test_every_series_loads_with_its_unit_and_the_references_of_its_sources():
    names = data.series_names()
    assert len(names) == len(set(names)) == len(csv_rows("collectivization/series.csv")) > 40  # a floor: 60 when written
    for name in names:
        rows = data.series(name)
        assert len(rows) > 0, name
        assert set(rows["series"]) == {name}
        assert rows.attrs["unit"] and rows.attrs["title"], name
        assert set(rows["source"]) == set(rows.attrs["sources"]), name
        assert all(reference.count(" At: ") == 1 for reference in rows.attrs["sources"].values())


@pytest.mark.parametrize("name", SOURCED)
def test_every_row_cites_a_source_that_is_in_sources_csv(name):
    known = set(data.sources()["id"])
    cited = set(data.table(name)["source"])
    assert "" not in cited
    assert cited <= known, cited - known


@pytest.mark.parametrize("resource", FIGURES, ids=lambda r: r["name"])
def test_values_lie_in_the_ranges_the_schema_gives(resource):
    frame = data.table(resource["name"])
    for field in resource["schema"]["fields"]:
        limits = field.get("constraints", {})
        values = frame[field["name"]].dropna()
        if "minimum" in limits:
            assert (values >= limits["minimum"]).all(), field["name"]
        if "maximum" in limits:
            assert (values <= limits["maximum"]).all(), field["name"]
        if "enum" in limits:
            assert set(values) <= set(limits["enum"]), field["name"]


@pytest.mark.parametrize("name", TABLES)
def test_rows_are_in_date_order_within_every_series(name):
    """No row may end before an earlier row of its series begins (a span counts from its first part)."""
    frame = data.table(name)
    time_field = next(f for f in data.TIME_FIELDS if f in frame.columns)
    for series_name, rows in frame.groupby("series", sort=False):
        starts = [data.period_bounds(str(when).split("/")[0]) for when in rows[time_field]]
        for index, (_, end) in enumerate(starts[1:], start=1):
            assert end >= max(start for start, _ in starts[:index]), f"{series_name}: row {index} of the series"


def test_a_series_lives_in_the_table_series_csv_names():
    registry = data.table("series").set_index("id")["table"]
    for name in TABLES:
        assert set(data.table(name)["series"]) == set(registry[registry == name].index), name


def test_units_of_the_grain_and_share_tables_are_stated_in_the_package():
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in PACKAGE["resources"]}
    assert fields["grain"]["value"]["unit"] == "million tonnes"
    assert fields["households_share"]["value"]["unit"] == "percent"
    assert data.series("grain_export").attrs["unit"] == "million tonnes"


def test_dates_are_read_as_spans_at_the_precision_given():
    assert data.period_bounds("1930") == (pd.Timestamp("1930-01-01"), pd.Timestamp("1930-12-31"))
    assert data.period_bounds("1930-02") == (pd.Timestamp("1930-02-01"), pd.Timestamp("1930-02-28"))
    assert data.period_bounds("1930-02-20") == (pd.Timestamp("1930-02-20"), pd.Timestamp("1930-02-20"))
    assert data.period_bounds("1930-01/1931-09-30") == (pd.Timestamp("1930-01-01"), pd.Timestamp("1931-09-30"))
    assert [data.precision(d) for d in ("1930", "1930-02", "1930-02-20")] == ["year", "month", "day"]
    with pytest.raises(data.DataError, match="'spring 1930' is not a date"):
        data.date_key("spring 1930")


def test_bubers_quotations_stand_on_the_pages_given():
    chapter = text.chapter()
    for figure in data.buber_figures().itertuples():
        assert figure.quote in chapter.page_text(figure.page), figure.id


def test_bubers_figures_agree_with_the_rows_that_cite_buber():
    figures = data.buber_figures().set_index("id")
    coop = data.series("coop_members_buber").iloc[0]
    assert (coop["value"], coop["unit"]) == (figures.at["co_operatives_ten_million", "value"], figures.at["co_operatives_ten_million", "unit"])
    party = data.series("party_members")
    assert party.loc[party["source"] == "buber1949", "value"].tolist() == [figures.at["party_240000", "value"]]


def test_the_record_of_a_figure_leaves_out_bubers_own_rows_and_keeps_its_stretch():
    party, stretch = data.record("party_240000"), FIGURE_ROWS["party_240000"]
    assert "buber1949" not in set(party["source"]) and set(party["series"]) == {"party_members"}
    assert party["date"].min() == stretch["record_from"] and party["date"].max() == stretch["record_to"]
    assert sorted(party["date"]) == sorted(r["date"] for r in record_rows("party_240000", "collectivization/party_membership.csv"))
    # every figure of share_ussr from 1932 to 1937 (record_from/record_to of the row) but Buber's own
    ninety = {r["date"] for r in record_rows("ninety_per_cent", SHARES)}
    assert set(data.record("ninety_per_cent")["date"]) == ninety and len(ninety) > 1
    plan = data.record("five_year_plan")
    event = next(r for r in csv_rows("collectivization/events.csv") if r["id"] == FIGURE_ROWS["five_year_plan"]["record_event"])
    assert plan["start"].tolist() == [pd.Timestamp(event["start"])] and plan["end"].tolist() == [pd.Timestamp(event["end"])]
    assert list(plan.attrs["sources"]) == [event["source"]]
    assert data.record("cities_654").empty
    with pytest.raises(data.DataError, match="unknown figure 'ninety'. Buber's figures are: party_240000"):
        data.record("ninety")


def test_change_between_two_dates_is_worked_out_per_animal():
    herds = data.change("livestock_bse", "1929-01-01", "1934-01-01", by="animal").set_index("animal")
    cattle = {r["date"]: float(r["value"]) for r in csv_rows("collectivization/livestock.csv")
              if r["series"] == "livestock_bse" and r["animal"] == "cattle"}
    before, after = cattle["1929-01-01"], cattle["1934-01-01"]
    assert herds.loc["cattle", "1929-01-01"] == before and herds.loc["cattle", "1934-01-01"] == after
    assert herds.loc["cattle", "change, per cent"] == round(100 * (after - before) / before) != 0
    with pytest.raises(data.DataError, match="has no figure dated 1935-01-01"):
        data.change("livestock_bse", "1929-01-01", "1935-01-01", by="animal")


# --- bad input gives a clear error ------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def rewrite(path: Path, change) -> None:
    """Apply ``change`` to the rows (dicts, header excluded) of a CSV file and write it back."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rows = change(rows) or rows
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(path: Path, row: int, field: str, value: str) -> None:
    """Set one cell; ``row`` counts as the error messages do (the header is row 1)."""
    def change(rows):
        rows[row - 2][field] = value
    rewrite(path, change)


SHARES = "collectivization/households_share.csv"


def test_an_unknown_series_lists_the_series_that_exist():
    with pytest.raises(data.DataError) as error:
        data.series("share_ussa")
    message = str(error.value)
    assert message.startswith("unknown series 'share_ussa'. The series are: share_ussr, ")
    assert all(name in message for name in ("grain_export", "famine_deaths_ussr", "party_members"))


def test_an_unknown_table_lists_the_tables():
    with pytest.raises(data.DataError, match="unknown table 'harvests'. The tables are: corrections, .*, sources, series"):
        data.table("harvests")


@pytest.mark.parametrize(("row", "field", "cell", "load", "message"), [
    (5, "source", "", lambda d: data.series("share_ussr", data_dir=d),
     "row 5, field source: the cell is empty or missing but a value is required"),
    (7, "source", "nobody1999", lambda d: data.table("households_share", data_dir=d),
     "row 7, field source: 'nobody1999' is not an id in the sources table"),
    (9, "value", "about 50", lambda d: data.series("share_ussr", data_dir=d),
     "row 9, field value: 'about 50' is not a number"),
], ids=["missing source", "unknown source", "wrong type"])
def test_a_malformed_row_is_named(data_copy, row, field, cell, load, message):
    set_cell(data_copy / SHARES, row, field, cell)
    with pytest.raises(data.DataError) as error:
        load(data_copy)
    assert str(error.value) == f"data/{SHARES} {message}"  # named from the repository's top, as every table is


def test_a_value_outside_its_range_is_named(data_copy):
    set_cell(data_copy / SHARES, 9, "value", "130")
    with pytest.raises(data.DataError, match=r"row 9, field value: '130' breaks the constraint .*maximum"):
        data.table("households_share", data_dir=data_copy)


def test_a_date_out_of_order_within_a_series_is_named(data_copy):
    def swap_moscow(rows):
        first, second = [i for i, r in enumerate(rows) if r["series"] == "share_moscow_region"]
        rows[first], rows[second] = rows[second], rows[first]
    rewrite(data_copy / SHARES, swap_moscow)
    rows = list(csv.DictReader((data_copy / SHARES).open(encoding="utf-8")))
    late = next(i for i, r in enumerate(rows, start=2) if r["series"] == "share_moscow_region")
    with pytest.raises(data.DataError) as error:
        data.series("share_moscow_region", data_dir=data_copy)
    assert str(error.value) == (
        f"data/{SHARES} row {late + 1}, field date: 1930-03-01 comes after 1930-05-01 (row {late}) in series "
        "'share_moscow_region'; rows must be in date order within a series")


def test_a_row_filed_under_another_tables_series_is_named(data_copy):
    set_cell(data_copy / SHARES, 3, "series", "grain_export")
    with pytest.raises(data.DataError, match=f"{SHARES} row 3, field series: series 'grain_export' belongs to table 'grain'"):
        data.table("households_share", data_dir=data_copy)


def test_a_range_whose_low_bound_is_above_its_high_bound_is_named(data_copy):
    set_cell(data_copy / "collectivization/repression_famine.csv", 4, "low", "9999999")
    with pytest.raises(data.DataError, match="repression_famine.csv row 4, field low: 9,999,999 is above the high bound 1,803,392"):
        data.table("repression_famine", data_dir=data_copy)


def test_a_missing_file_is_named(data_copy):
    (data_copy / "collectivization" / "grain.csv").unlink()
    with pytest.raises(data.DataError, match="missing file: .*collectivization/grain.csv"):
        data.series("grain_export", data_dir=data_copy)


def test_an_edited_file_is_read_again(data_copy):
    rows = list(csv.DictReader((data_copy / "collectivization/grain.csv").open(encoding="utf-8")))
    first = next(i for i, r in enumerate(rows, start=2) if r["series"] == "grain_export")
    supplied = float(rows[first - 2]["value"])  # the row as the file holds it (the header is row 1)
    assert data.series("grain_export", data_dir=data_copy)["value"].iloc[0] == supplied
    set_cell(data_copy / "collectivization/grain.csv", first, "value", str(supplied + 1))
    assert data.series("grain_export", data_dir=data_copy)["value"].iloc[0] == supplied + 1


# --- the charts ----------------------------------------------------------------------------------------


CHARTS = {
    "pace": charts.pace_chart, "regions": charts.regions_chart, "livestock": charts.livestock_chart,
    "grain": charts.grain_chart, "deportation": charts.deportation_chart, "famine": charts.famine_chart,
    "mechanization": charts.mechanization_chart,
    "party": lambda: charts.figure_chart("party_240000"), "plan": lambda: charts.figure_chart("five_year_plan"),
    "co-operatives": lambda: charts.figure_chart("co_operatives_ten_million", also=("coop_members_all",)),
}


def luminance(colour) -> float:
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


@pytest.fixture(scope="module")
def drawn():
    return {name: make() for name, make in CHARTS.items()}


def all_texts(figure):
    return [t for t in figure.findobj(lambda artist: hasattr(artist, "get_text")) if t.get_text().strip()]


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_prints_its_sources_under_it(drawn, name):
    footer = [t.get_text() for t in drawn[name].texts if "Sources: " in t.get_text()]
    assert len(footer) == 1
    assert footer[0].count("(") >= 2  # short references: author (year)


def test_the_footer_names_every_source_of_the_rows_drawn():
    rows = data.series("grain_export")
    footer = next(t.get_text() for t in charts.grain_chart(data.series("grain_procurement", "grain_export")).texts
                  if "Sources: " in t.get_text())
    for source in rows["source"].unique():
        assert charts.short_citation(source).split(" (")[0] in footer.replace("\n", " "), source


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_is_white_with_text_of_at_least_4_5_to_1_contrast(drawn, name):
    figure = drawn[name]
    assert to_rgb(figure.get_facecolor()) == (1, 1, 1)
    for item in all_texts(figure):
        ratio = (1.05) / (luminance(item.get_color()) + 0.05)
        assert ratio >= 4.5, f"{item.get_text()!r}: {ratio:.1f}:1"


def test_series_differ_by_colour_marker_and_dash_so_greyscale_reads():
    assert all(look["color"] in charts.OKABE_ITO.values() for look in charts.LOOKS)
    for key in ("color", "marker", "linestyle"):
        values = [str(look[key]) for look in charts.LOOKS]
        assert len(set(values)) == len(values), key


def test_lines_are_labelled_where_they_end_not_by_a_legend(drawn):
    for name, figure in drawn.items():
        assert all(ax.get_legend() is None for ax in figure.axes), name
    labels = {t.get_text() for ax in drawn["pace"].axes for t in ax.texts}
    assert {"dated figures", "official annual series", "Stalin's claim for 20 Feb 1930"} <= labels


def test_the_share_chart_marks_the_events_and_bubers_1936_figure(drawn):
    figure = drawn["pace"]
    labels = " | ".join(t.get_text() for t in [*figure.texts, *(t for ax in figure.axes for t in ax.texts)]).replace("\n", " ")
    events = data.events().set_index("id")
    for event_id in ("november_plenum_1929", "cc_resolution_1930_01_05", "dizzy_with_success", "first_five_year_plan"):
        assert events.at[event_id, "label"] in labels, event_id
    assert 'Buber, p. 126: "nearly 90 per cent", 1936' in labels
    upright = [t for ax in figure.axes for t in ax.texts if t.get_rotation() != 0]
    assert upright == [], "a label has to be read sideways"


def data_points(figure) -> list[tuple[str, float, float]]:
    """Every point the chart draws for a figure of the data: (axes title, x, y) in data coordinates."""
    found = []
    for ax in figure.axes:
        for artist in ax.get_children():
            if artist.get_gid() != charts.DATA_GID:
                continue
            if isinstance(artist, Line2D):
                xs = artist.get_xdata()
                xs = xs if isinstance(xs[0], (float, int)) else mdates.date2num(xs)
                found += [(ax.get_title(), float(x), float(y)) for x, y in zip(xs, artist.get_ydata())]
            elif isinstance(artist, Rectangle):
                found += [(ax.get_title(), artist.get_x(), artist.get_y()),
                          (ax.get_title(), artist.get_x() + artist.get_width(), artist.get_y())]
    return found


def allowed_values(rows) -> list[float]:
    numbers = [rows[c] for c in ("value", "low", "high") if c in rows.columns]
    values = pd.concat(numbers).dropna().astype(float)
    return [v * k for v in values for k in (1.0, 1e-3, 1e-6)]  # range charts draw thousands or millions


def allowed_dates(rows) -> list[float]:
    when = rows[[f for f in data.TIME_FIELDS if f in rows.columns][0]].astype(str)
    spans = [data.period_bounds(w) for w in when]
    return [float(mdates.date2num(d)) for start, end in spans for d in (start, end, start + (end - start) / 2)]


CHART_ROWS = {
    "pace": ("share_ussr", "share_ussr_annual_official", "share_ussr_stalin_claim", "share_ussr_agriculture"),
    "regions": ("share_north_caucasus", "share_lower_volga", "share_steppe_ukraine", "share_central_black_earth",
                "share_moscow_region"),
    "livestock": ("livestock_bse", "livestock_stalin1934", "livestock_martens", "livestock_kotkin"),
    "grain": ("grain_harvest_official", "grain_harvest_revised", "grain_harvest_western_low", "grain_procurement",
              "grain_export"),
    "deportation": ("deported_families", "deported_persons"),
    "famine": ("famine_deaths_ussr", "famine_deaths_ukraine", "famine_deaths_kazakhstan"),
}


@pytest.mark.parametrize("name", CHART_ROWS)
def test_every_drawn_point_is_a_figure_of_the_data(drawn, name):
    rows = data.series(*CHART_ROWS[name])
    values, dates = allowed_values(rows), allowed_dates(rows)
    points = data_points(drawn[name])
    assert points, "the chart marks no artist as drawing the data"
    ranges = name in ("deportation", "famine")  # estimates on rows of their own: x is the figure, y a row number
    for title, x, y in points:
        drawn_value = x if ranges else y
        assert any(abs(drawn_value - v) <= 1e-9 * max(1, abs(v)) for v in values), \
            f"{name}, {title}: {drawn_value} is not a figure of the data"
        if not ranges:
            assert any(abs(x - d) < 1e-6 for d in dates), f"{name}, {title}: a point at {x} is not a date of the data"


def test_sources_that_disagree_at_a_date_are_each_drawn_and_named(drawn):
    whole = drawn["pace"].axes[0]
    marked = {round(float(line.get_ydata()[0]), 3) for line in whole.lines
              if line.get_gid() == charts.DATA_GID and len(line.get_ydata()) == 1}
    disputed = [r for r in csv_rows(SHARES) if r["series"] == "share_ussr" and r["date"] == "1930-02-01"]
    figures = {round(float(r["value"]), 3) for r in disputed}
    assert len(figures) == len(disputed) > 1  # the sources for 1 February 1930 each give their own figure
    assert figures <= marked  # and each is its own marker
    names = {t.get_text() for t in whole.texts}
    rows = data.series("share_ussr")
    feb = rows[rows["date"].astype(str) == "1930-02-01"]
    assert len(feb) == len(disputed)
    for source in feb["source"]:
        assert charts.short_citation(source) in names, source
    feb_x = mdates.date2num(pd.Timestamp("1930-02-01"))
    joined = [line for line in whole.lines if line.get_gid() == charts.DATA_GID and line.get_label() == charts.JOIN]
    assert not any(abs(x - feb_x) < 1 for line in joined for x in mdates.date2num(line.get_xdata())), \
        "a line runs through figures the sources dispute"


def test_a_contested_figure_is_hollow(drawn):
    rows = data.series("share_ussr")
    whole = charts.pace_chart(rows).axes[0]
    hollow = [line for line in whole.lines if line.get_marker() not in ("None", "", None)
              and line.get_markerfacecolor() == "white"]
    contested = rows[rows["confidence"] == "conflicting"]
    assert len(hollow) == len(contested.drop_duplicates(["date", "value"]))


def test_every_chart_describes_itself_from_its_rows(drawn):
    pace = repr(drawn["pace"])
    peak = data.series("share_ussr")["value"].max()
    assert pace.startswith("Two line charts") and charts._cell(peak) in pace
    assert all(not repr(figure).startswith("<") for figure in drawn.values())


def test_a_range_description_says_where_an_estimate_gives_one_bound_only():
    """An upper bound alone is "at most", not a figure: the text for readers who cannot see the chart
    must not turn it into an exact count (nor a lower bound alone)."""
    famine = data.series("famine_deaths_ussr", "famine_deaths_ukraine", "famine_deaths_kazakhstan",
                         "famine_deaths_north_caucasus", "famine_deaths_volga")
    checked = 0
    for _, part in famine.groupby("series"):
        text = charts.describe(part, "Chart")
        only_high, only_low = part["low"].isna() & part["high"].notna(), part["high"].isna() & part["low"].notna()
        if len(part) == 1 and (only_high | only_low).all():
            bound, word = (part["high"], "at most") if only_high.all() else (part["low"], "at least")
            assert f"{word} {charts._cell(bound.iloc[0])}" in text and "from" not in text, text
            checked += 1
        for count, kind in ((only_high.sum(), "an upper bound"), (only_low.sum(), "a lower bound")):
            if count and len(part) > 1:
                assert f"{count} with {kind} only" in text, text
                checked += 1
    assert checked, "no estimate of the famine gives one bound only: the test checks nothing"


def test_a_range_chart_draws_one_bar_or_dot_per_estimate(drawn):
    famine = data.series("famine_deaths_ussr", "famine_deaths_ukraine", "famine_deaths_kazakhstan")
    labels = [label.get_text() for ax in drawn["famine"].axes for label in ax.get_yticklabels()]
    assert len(labels) == len(famine)
    for label in labels:  # no year or span of years twice ("S. Kulchytsky, 1932", not "1932 (1932)")
        years = re.findall(r"\b1[89]\d\d(?:-1[89]\d\d)?\b", label)
        assert len(years) == len(set(years)), label


def test_a_famine_axis_claims_no_kind_of_count_and_the_table_gives_each():
    """Excess deaths (above a normal year's), the famine's dead and the guesses of observers at the
    time are different counts, and the estimates mix them: no axis calls its estimates one kind, and
    the table beside the chart gives every estimate's measure."""
    famine = data.series("famine_deaths_ussr", "famine_deaths_ukraine", "famine_deaths_kazakhstan",
                         "famine_deaths_north_caucasus", "famine_deaths_volga")
    excess = famine["measure"].str.contains("excess", case=False)
    assert excess.any() and not excess.all(), "the rows no longer mix kinds of count: the test has nothing to check"
    for ax in charts.famine_chart(famine).axes:
        assert "deaths" in ax.get_xlabel() and not re.search(r"excess|famine", ax.get_xlabel()), ax.get_xlabel()
    table = charts.table_view(famine, caption="Deaths").data
    for measure in set(famine["measure"]):
        assert html.escape(measure) in table, measure


def test_a_chart_shows_in_a_notebook_as_a_png(drawn):
    png = drawn["plan"]._repr_png_()
    assert png.startswith(b"\x89PNG") and len(png) < 120_000


def test_tables_beside_the_charts_have_captions_and_take_keyboard_focus():
    html = charts.table_view(data.series("share_moscow_region"), caption="Moscow").data
    page = BeautifulSoup(html, "html.parser")
    region = page.select_one("div.data-table-region")
    assert region["tabindex"] == "0" and region["role"] == "region" and region["aria-label"].startswith("Moscow")
    assert page.select_one("table caption").get_text().startswith("Moscow (region: Moscow region")
    first = next(r for r in csv_rows(SHARES) if r["series"] == "share_moscow_region")
    assert [c.get_text() for c in page.select("tbody tr td")][:2] == [first["series"], first["date"]]


def test_the_sources_list_gives_full_references_with_links():
    listing = charts.sources_list(data.series("share_ussr_stalin_claim"), "vorobev2013").data
    cited = {r["source"] for r in csv_rows(SHARES) if r["series"] == "share_ussr_stalin_claim"} | {"vorobev2013"}
    assert listing.count("\n- ") == len(cited) and "`" not in listing  # full references, no internal ids
    assert "<https://sites.google.com/view/collectivizationintheussr/document-3>" in listing


# --- the built pages -----------------------------------------------------------------------------------


def page_soup(html_dir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((html_dir / "book" / "collectivization" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("name", CHART_PAGES)
def test_each_chart_page_shows_its_figures_with_alt_text_and_a_table_after_each(html_dir, name):
    page = page_soup(html_dir, name)
    figures = page.select(".cell_output img")
    assert figures, f"{name}: no figure"
    for figure in figures:
        assert len(figure.get("alt", "")) > 150, f"{name}: alt text too short: {figure.get('alt')!r}"
        assert figure.get("alt").endswith("in the table below.") or "table below" in figure["alt"]
        assert (html_dir / "book" / "collectivization" / figure["src"]).resolve().exists()
        assert int(figure["width"]) > 700 and int(figure["height"]) > 200
        table = figure.find_next("table", class_="data-table")
        next_figure = figure.find_next("img")
        assert table is not None and (next_figure is None or table in next_figure.find_all_previous("table")), name
        assert table.find("caption").get_text().strip()
    assert len(page.select("table.data-table")) >= len(figures)
    listed = " ".join(strong.find_next("ul").get_text(" ") for strong in page.find_all("strong", string="Sources"))
    assert listed, f"{name}: no list of sources"
    for table in page.select("table.data-table"):
        headers = [th.get_text(strip=True) for th in table.select("thead th")]
        if "source" in headers:  # each source a table names is given in full in a list on the page
            column = headers.index("source")
            for row in table.select("tbody tr"):
                label = row.select("td")[column].get_text(strip=True)  # "title (year, kind)"
                title = re.sub(r" \((?:[^()]|\([^()]*\))*\)$", "", label)
                assert title in listed, f"{name}: {title!r} is in a table but not in the list of sources"


@pytest.mark.parametrize("name", CHART_PAGES)
def test_each_chart_page_links_the_csv_file_for_download(html_dir, name):
    page = page_soup(html_dir, name)
    links = [a for a in page.select("a.download") if a["href"].endswith(".csv")]
    assert links, name
    for link in links:
        built = (html_dir / "book" / "collectivization" / link["href"]).resolve()
        original = next(DATA.rglob(Path(link["href"]).name))
        assert built.read_bytes() == original.read_bytes()


def test_the_overview_page_offers_every_data_file(html_dir):
    page = page_soup(html_dir, "about")
    offered = {Path(a["href"]).name for a in page.select("a.download")}
    files = {p.name for p in (DATA / "collectivization").glob("*.csv")} | {"sources.csv", "datapackage.json"}
    assert offered == files
    assert page.select_one("table.data-table caption").get_text().startswith("Every series")


def test_bubers_figures_page_cites_the_reading_pages(html_dir):
    page = page_soup(html_dir, "bubers-figures")
    targets = {a["href"] for a in page.find_all("a", href=True) if "reading.html#page-" in a["href"]}
    source = (ROOT / "book" / "collectivization" / "bubers-figures.md").read_text(encoding="utf-8")
    charted = re.findall(r'^charts\.figure_chart\(\s*"([^"]+)"', source, re.M)  # the figures the page draws
    assert charted and {f"../reading.html#page-{FIGURE_ROWS[f]['page']}" for f in charted} <= targets
    assert len(page.select(".cell_output img")) == len(charted)


@pytest.mark.parametrize("name", ["about", *CHART_PAGES])
def test_each_page_has_a_description_of_its_own(html_dir, name):
    description = page_soup(html_dir, name).find("meta", attrs={"name": "description"})
    assert description is not None and 80 < len(description["content"]) <= 170


def test_download_links_draw_their_icon_without_the_web_font(page, site):
    fonts = []
    page.on("request", lambda request: request.url.endswith((".woff2", ".woff", ".ttf")) and fonts.append(request.url))
    page.goto(f"{site}/book/collectivization/about.html", wait_until="networkidle")
    assert page.locator("a.reference.download").count() > 10
    icon = page.evaluate("getComputedStyle(document.querySelector('a.reference.download'), '::before').maskImage")
    assert icon.startswith('url("data:image/svg+xml')
    assert fonts == []
