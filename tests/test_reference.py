"""The reference apparatus: people, timeline and glossary stand on the pages they claim, with sources."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest

from buber_course import reference, tables, text
from buber_course.paths import DATA

CHAPTER = text.chapter()


def stands_on(form: str, page: int) -> bool:
    """The form, or an inflection of it (plural, possessive, -ism/-ist ...), on the page."""
    stem = re.sub(r"(s|es|ism|ist|ists)$", "", form) if len(form) > 5 else form
    return re.search(r"(?<!\w)" + re.escape(stem), CHAPTER.page_text(page), re.IGNORECASE) is not None


@pytest.mark.parametrize("person", reference.people(), ids=lambda p: p["id"])
def test_each_person_has_a_source_and_stands_on_every_page_listed(person):
    assert person["source"].strip() and person["role"].strip()
    pages = reference.page_list(person["pages"])
    assert pages, "a person the chapter does not mention has no place here"
    for page in pages:
        assert person["mentions"] in CHAPTER.page_text(page), f"{person['mentions']!r} not on p. {page}"


@pytest.mark.parametrize("entry", reference.glossary(), ids=lambda e: e["term"])
def test_each_term_has_a_source_and_stands_on_every_page_listed(entry):
    assert entry["source"].strip() and entry["definition"].strip()
    forms = [entry["term"].split(" (")[0], *reference.split(entry["aliases"])]
    for page in reference.page_list(entry["pages"]):
        assert any(stands_on(form, page) for form in forms), f"none of {forms} on p. {page}"


def test_timeline_dates_parse_are_ordered_and_pages_are_the_chapters():
    events = reference.timeline()
    dates = [reference.parse_date(e["date"]) for e in events]
    assert dates == sorted(dates)
    # the span the package's description of the table claims ("The events the chapter refers to, 1844-1936")
    first, last = (int(year) for year in re.findall(r"\b1[89]\d\d\b", tables.load("timeline").resource.description))
    assert dates[0].year >= first and dates[-1].year <= last
    for event in events:
        reference.page_list(event["pages"])
        if event["date_old_style"]:
            assert reference.parse_date(event["date_old_style"]) < reference.parse_date(event["date"])
            assert reference.parse_date(event["date"]).year <= 1918  # Russia left the Old Style in February 1918


def test_old_and_new_style_differ_by_thirteen_days_in_the_twentieth_century():
    for event in reference.timeline():
        if event["date_old_style"] and len(event["date"]) == 10 and len(event["date_old_style"]) == 10:
            gap = reference.parse_date(event["date"]) - reference.parse_date(event["date_old_style"])
            assert gap.days == 13, event["id"]  # Julian to Gregorian: 13 days from 1 March 1900 to 28 February 2100


# Unnamed speakers of quotations.csv and the person the record identifies (see people.csv).
IDENTIFIED = {"A Socialist (unnamed)": "unnamed_socialist", "President of the Zentrosoyus": "khinchuk",
              "Commissar for Agriculture": "yakovlev"}
UNNAMED_BODIES = {"The authorities (unnamed)"}  # Buber's "the authorities", no one body named


def test_every_quoted_speaker_is_in_people_or_a_body_in_the_glossary():
    quotations = DATA / "quotations.csv"
    people = {p["id"]: p for p in reference.people()}
    surnames = {p["name"].split()[-1] for p in people.values()}
    bodies = {form.lower() for e in reference.glossary() for form in [e["term"], *reference.split(e["aliases"])]}
    for speaker in {row["speaker"] for row in csv.DictReader(quotations.open(encoding="utf-8"))}:
        if speaker in IDENTIFIED:
            assert IDENTIFIED[speaker] in people, speaker
        elif set(speaker.replace(" and ", " ").split()) & surnames:
            assert all(name in surnames for name in speaker.replace(" and ", " ").split()[-1:]), speaker
        else:
            assert speaker in UNNAMED_BODIES or any(b in speaker.lower() for b in bodies), f"{speaker}: no person or body"


# --- bad input names the row -----------------------------------------------------------------


@pytest.fixture
def scratch_data(tmp_path):
    """A copy of data/ the test may break; each test hands it to reference as its data directory."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("source"))
    return copy


def rewrite(path, change):
    rows = list(csv.reader(path.open(encoding="utf-8")))
    change(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_a_malformed_people_row_is_named(scratch_data):
    column = list(csv.reader((scratch_data / "people.csv").open()))[0].index("born")
    rewrite(scratch_data / "people.csv", lambda rows: rows[3].__setitem__(column, "18th May 1890"))
    with pytest.raises(reference.ReferenceDataError, match=r"data/people.csv row 4, field born: '18th May 1890' breaks"):
        reference.people(scratch_data)


def test_a_people_row_without_source_is_named(scratch_data):
    column = list(csv.reader((scratch_data / "people.csv").open()))[0].index("source")
    rewrite(scratch_data / "people.csv", lambda rows: rows[5].__setitem__(column, ""))
    with pytest.raises(reference.ReferenceDataError, match=r"data/people.csv row 6, field source: the cell is empty"):
        reference.people(scratch_data)


def test_a_timeline_row_out_of_order_is_named(scratch_data):
    rewrite(scratch_data / "timeline.csv", lambda rows: rows.insert(3, [*rows.pop(10)]))
    with pytest.raises(reference.ReferenceDataError, match=r"data/timeline.csv row 5 \(.+\): date .* comes before"):
        reference.timeline(scratch_data)


def test_a_timeline_date_that_does_not_parse_is_named(scratch_data):
    column = list(csv.reader((scratch_data / "timeline.csv").open()))[0].index("date")
    rewrite(scratch_data / "timeline.csv", lambda rows: rows[2].__setitem__(column, "June 1848"))
    with pytest.raises(reference.ReferenceDataError, match=r"data/timeline.csv row 3, field date: 'June 1848' breaks"):
        reference.timeline(scratch_data)


def test_a_page_outside_the_chapter_is_named():
    with pytest.raises(reference.ReferenceDataError, match=r"pages \[131\] are outside"):
        reference.page_list("99;131")


def test_a_missing_file_and_an_unknown_table_are_named(scratch_data):
    (scratch_data / "glossary.csv").unlink()
    with pytest.raises(reference.ReferenceDataError, match=r"missing file: data/glossary.csv"):
        reference.glossary(scratch_data)
    with pytest.raises(reference.ReferenceDataError, match=r"unknown table 'persons'. The tables are: corrections, people"):
        reference.rows("persons", scratch_data)


def test_every_table_in_data_is_described_in_the_package():
    described = {r["path"] for r in json.loads((DATA / "datapackage.json").read_text())["resources"]}
    tables = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*.csv")}
    drafts = {t for t in tables if t.startswith("quotations-part")}
    assert tables - drafts <= described, tables - drafts - described


# The team's research notes live outside the repository, so a reader cannot follow a citation of them.
UNPUBLISHED_NOTES = re.compile(r"course dossier|\bQS #\d|\bPE,? discrepancy", re.IGNORECASE)


@pytest.mark.parametrize("name", ["timeline.csv", "people.csv", "glossary.csv", "quotations.csv", "quotation-sources.csv",
                                  "references.bib"])
def test_every_source_named_in_the_reference_tables_is_one_a_reader_can_find(name):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    cited = [f"{name} line {n}" for n, line in enumerate(lines, 1) if UNPUBLISHED_NOTES.search(line)]
    assert not cited, f"cites the team's unpublished notes: {cited}"


def test_every_schema_bound_on_a_chapter_page_is_the_chapters_own_range():
    # The range is written once in text.py; the package schema must say the same wherever it bounds a
    # page of the chapter (quotation-sources' pages are an edition's, with no such bound).
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    bounds = {(resource["name"], field["name"]): (field["constraints"]["minimum"], field["constraints"]["maximum"])
              for resource in package["resources"] for field in resource["schema"]["fields"]
              if "page" in field["name"] and "minimum" in field.get("constraints", {})}
    assert {"corrections", "quotations", "queries", "buber_figures"} <= {name for name, _ in bounds}
    assert set(bounds.values()) == {(text.FIRST_PAGE, text.LAST_PAGE)}, bounds


def test_the_timeline_description_counts_every_event_once():
    events = reference.timeline()
    counts = [int(n) for n in re.findall(r": (\d+) events?, ", reference.timeline_description(events))]
    assert sum(counts) == len(events)


def test_each_timeline_row_label_names_years_its_events_fall_in():
    # A row labelled "..., 1900-1917" must not hold an event of 1899 or 1918 (a label once said 1905 and
    # held Kropotkin's Mutual Aid of 1902).
    for index, (label, _) in enumerate(reference.PERIODS):
        span = re.search(r"(\d{4})-(\d{4})$", label)
        years = [int(reference._year(e["date"])) for e in reference.timeline()
                 if reference._period(reference._year(e["date"])) == index]
        if span:
            assert int(span[1]) <= min(years) and max(years) <= int(span[2]), label
