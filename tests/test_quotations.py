"""The quotations: each stands verbatim on its page, ids and sets hold together, every traced original
is in its language's script at a volume and page its edition has, bad rows of either table are named,
and the shared-word rules give the right words on worked examples."""

from __future__ import annotations

import csv
import re
import json
import unicodedata

import pytest
from bs4 import BeautifulSoup
from frictionless import Package

from buber_course import quotations as Q
from buber_course import tables, text
from buber_course.paths import DATA

QUOTATIONS = Q.quotations()
SETS = Q.comparison_sets()
CHAPTER = text.chapter()


@pytest.mark.parametrize("quotation", QUOTATIONS.values(), ids=lambda q: q.id)
def test_every_quotation_stands_verbatim_on_its_page(quotation):
    assert Q.stands_on_its_page(quotation, CHAPTER), f"{quotation.id}: not on p. {quotation.page}"
    place = Q.locate(quotation, CHAPTER)
    paragraph = CHAPTER.paragraph(place.paragraph)
    assert [paragraph.text[s:e] for s, e in place.spans] == list(quotation.parts)
    assert place.spans[0][0] in Q.page_offsets(paragraph)[quotation.page]


def test_ids_are_unique_and_the_table_is_in_the_order_of_the_chapter():
    rows = list(csv.DictReader((DATA / "quotations.csv").open(encoding="utf-8")))
    assert len({r["id"] for r in rows}) == len(rows) == len(QUOTATIONS)
    places = [Q.locate(q, CHAPTER) for q in QUOTATIONS.values()]
    positions = [(p.paragraph, p.spans[0][0]) for p in places]
    assert positions == sorted(positions)


def test_no_two_quotations_overlap_on_the_reading_page():
    spans = sorted((p.paragraph, s, e) for q in QUOTATIONS.values() for p in [Q.locate(q, CHAPTER)] for s, e in p.spans)
    for (para1, _, end1), (para2, start2, _) in zip(spans, spans[1:]):
        assert para1 != para2 or end1 <= start2


def test_a_word_standing_twice_on_a_page_is_taken_where_the_chapter_quotes_it():
    # p. 105 uses "immediately" five times; Lenin's word is the first in quotation marks.
    q = Q.quotation("lenin-1917-immediately")
    place = Q.locate(q, CHAPTER)
    paragraph = CHAPTER.paragraph(place.paragraph).text
    start = place.spans[0][0]
    assert paragraph[start - 1] == '"' and paragraph[start + len("immediately")] == '"'


def test_every_comparison_set_names_existing_quotations():
    rows = list(csv.DictReader((DATA / "comparison-sets.csv").open(encoding="utf-8")))
    assert list(SETS) == [r["id"] for r in rows] and len(SETS) >= 5
    for comparison in SETS.values():
        assert len(comparison.ids) >= 2 and len(set(comparison.ids)) == len(comparison.ids), comparison.id
        assert set(comparison.ids) <= set(QUOTATIONS), comparison.id
    for required in ("engels-withering-away", "lenin-councils", "lenin-cooperatives", "stalin-1930-1933"):
        assert required in SETS
    for row in rows:  # the ids as comparison-sets.csv lists them, in its order
        assert SETS[row["id"]].ids == tuple(row["ids"].split(";")), row["id"]


def test_the_tables_validate_against_their_schema():
    report = Package(str(DATA / "datapackage.json"), basepath=str(DATA)).validate()
    names = {task.name for task in report.tasks}
    assert {"quotations", "quotation-sources", "comparison-sets"} <= names
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:10]


def test_the_schema_names_a_malformed_quotation_row(tmp_path):
    descriptor = json.loads((DATA / "datapackage.json").read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] == "quotations"]
    rows = (DATA / "quotations.csv").read_text(encoding="utf-8").splitlines()
    rows.append("Bad Id,Lenin,17,1917-13-45/x,131,text,,no-such-theme")
    (tmp_path / "quotations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = Package(str(tmp_path / "datapackage.json"), basepath=str(tmp_path)).validate()
    messages = " ".join(e.message for t in report.tasks for e in t.errors)
    assert not report.valid
    for value in ("Bad Id", "131", "no-such-theme", "17"):
        assert value in messages, value


def test_unknown_id_names_it_and_points_at_close_ids():
    with pytest.raises(Q.QuotationError, match=r"unknown quotation id 'stalin-1933-weapons'; did you mean stalin-1933-weapon"):
        Q.quotation("stalin-1933-weapons")
    with pytest.raises(Q.QuotationError, match=r"unknown quotation id 'zzz'; see the id column"):
        Q.quotation("zzz")
    with pytest.raises(Q.QuotationError, match=r"unknown comparison set id 'lenin-council'; did you mean lenin-councils"):
        Q.comparison_set("lenin-council")


def write(tmp_path, name, header, rows):
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def columns(name: str) -> tuple[str, ...]:
    return tuple(f["name"] for f in tables.schema(name)["fields"])


FIELDS, SET_FIELDS, SOURCE_FIELDS = columns("quotations"), columns("comparison-sets"), columns("quotation-sources")
GOOD = ["x-1917-y", "Lenin", "1917", "", "113", "All power to the Soviets!", "", "soviets"]
GOOD_SOURCE = dict.fromkeys(SOURCE_FIELDS, "") | {
    "id": "x-1917-y", "language": "ru", "original": "Вся власть Советам!", "edition": "PSS", "volume": "34",
    "page": "343", "confidence": "seen"}


def write_pair(tmp_path, rows=(GOOD,), sources=(GOOD_SOURCE,)):
    """quotations.csv and quotation-sources.csv side by side; returns the path of the first."""
    write(tmp_path, "quotation-sources.csv", SOURCE_FIELDS, [[s.get(f, "") for f in SOURCE_FIELDS] for s in sources])
    return write(tmp_path, "quotations.csv", FIELDS, list(rows))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({0: "Bad Id"}, r"quotations.csv row 2, field id: 'Bad Id' breaks the constraint pattern .*lower-case words"),
        ({4: "131"}, r"quotations.csv row 2, field page: '131' breaks the constraint maximum 128"),
        ({4: "p113"}, r"quotations.csv row 2, field page: 'p113' is not an integer"),
        ({2: "17"}, r"quotations.csv row 2, field year: '17' breaks the constraint minimum 1840"),
        ({2: "1999"}, r"quotations.csv row 2, field year: '1999' breaks the constraint maximum 1950"),
        ({5: ""}, r"quotations.csv row 2, field text: the cell is empty"),
        ({1: "  "}, r"quotations.csv row 2, field speaker: '  ' breaks the constraint pattern"),  # blank is empty
        ({7: "soviets;astrology"}, r"quotations.csv row 2, field themes: 'soviets;astrology' breaks the constraint pattern"),
    ],
)
def test_a_malformed_quotation_row_is_named(tmp_path, change, message):
    row = [change.get(i, value) for i, value in enumerate(GOOD)]
    with pytest.raises(Q.QuotationError, match=message):
        Q.read_quotations(write_pair(tmp_path, [row]))


def test_duplicate_ids_missing_columns_and_files_are_named(tmp_path):
    with pytest.raises(Q.QuotationError, match=r"quotations.csv row 3, field id: 'x-1917-y' is used twice"):
        Q.read_quotations(write_pair(tmp_path, [GOOD, GOOD]))
    with pytest.raises(Q.QuotationError, match=r"missing column\(s\) work, themes"):
        Q.read_quotations(write(tmp_path, "q.csv", FIELDS[:-2], [GOOD[:-2]]))
    with pytest.raises(Q.QuotationError, match=r"missing file: .*nowhere.csv"):
        Q.read_quotations(tmp_path / "nowhere.csv")


def test_a_quotation_not_on_its_page_is_named(tmp_path):
    row = [*GOOD[:4], "112", *GOOD[5:]]
    (quotation,) = Q.read_quotations(write_pair(tmp_path, [row]))
    assert not Q.stands_on_its_page(quotation, CHAPTER)
    with pytest.raises(Q.QuotationError, match=r"row 2 \(x-1917-y\): its text does not stand on page 112"):
        Q.locate(quotation, CHAPTER)


def test_a_set_naming_an_unknown_quotation_is_named(tmp_path):
    path = write(tmp_path, "sets.csv", SET_FIELDS, [["s", "T", "R", "date", "stalin-1930-by-force;stalin-1933-weapn"]])
    with pytest.raises(Q.QuotationError, match=r"sets.csv row 2, field ids: unknown quotation id 'stalin-1933-weapn'; did you mean stalin-1933-weapon"):
        Q.read_sets(path, QUOTATIONS)
    path = write(tmp_path, "sets.csv", SET_FIELDS, [["s", "T", "R", "date", "stalin-1930-by-force"]])
    with pytest.raises(Q.QuotationError, match=r"sets.csv row 2, field ids: 'stalin-1930-by-force' breaks the constraint pattern .*at least two"):
        Q.read_sets(path, QUOTATIONS)
    path = write(tmp_path, "sets.csv", SET_FIELDS, [["s", "T", "R", "by-date", "stalin-1930-by-force;stalin-1933-weapon"]])
    with pytest.raises(Q.QuotationError, match=r"sets.csv row 2, field order: 'by-date' breaks the constraint enum \(one of date, chapter"):
        Q.read_sets(path, QUOTATIONS)


# --- the order each set claims -----------------------------------------------------------------


@pytest.mark.parametrize("comparison", SETS.values(), ids=lambda s: s.id)
def test_every_set_stands_in_the_order_it_claims(comparison):
    assert comparison.order in Q.SET_ORDERS
    assert set(comparison.ids) <= set(QUOTATIONS)
    assert Q.order_problem(comparison, CHAPTER) is None
    rest = comparison.ids[2:] if comparison.order.startswith("pair-then-") else comparison.ids
    kind = comparison.order.removeprefix("pair-then-")
    if kind == "date":  # computed here again from the record's dates, not from order_problem
        spans = [Q.date_span(QUOTATIONS[i]) for i in rest]
        assert None not in spans
        assert all(not (later[1] < earlier[0]) for n, earlier in enumerate(spans) for later in spans[n + 1:])
        dated = [QUOTATIONS[i].date.split("/")[0] for i in rest if QUOTATIONS[i].date]
        assert [d[:4] for d in dated] == sorted(d[:4] for d in dated)
    if kind == "chapter":
        positions = [Q.chapter_position(QUOTATIONS[i], CHAPTER) for i in rest]
        assert positions == sorted(positions)


def test_the_teachers_sets_of_issue_12_hold_what_they_should():
    arc = SETS["lenin-cooperatives"].ids
    for wanted in ("lenin-1918-a-shop", "lenin-1920-impossible", "lenin-1921-bulwark"):
        assert wanted in arc
    assert {q.id for q in QUOTATIONS.values() if q.speaker == "Lenin" and q.year == 1923} <= set(arc)
    assert {q.id for q in QUOTATIONS.values() if "co-operatives" in q.themes and q.speaker == "Lenin"} <= set(arc)
    voluntary = SETS["voluntary-or-compulsory"].ids
    assert voluntary[:2] == ("lenin-1918-all-citizens", "stalin-1930-by-force")
    assert {"lenin-1918-cooperatives-nationalized", "zentrosoyus-board-1923-free-membership", "lenin-nd-greatest-folly",
            "party-congress-1930-abuse-of-power"} <= set(voluntary)
    plan = [QUOTATIONS[i] for i in SETS["lenin-1923-stalin-1929-1933"].ids]
    assert {(q.speaker, q.year) for q in plan} <= {("Lenin", 1923)} | {("Stalin", y) for y in range(1929, 1934)}
    assert {q.speaker for q in plan[:2]} == {"Lenin", "Stalin"}
    collectivization = SETS["collectivization"]
    assert collectivization.order == "date"
    assert {q.id for q in QUOTATIONS.values() if "collectivization" in q.themes} <= set(collectivization.ids)
    for comparison in SETS.values():
        assert comparison.reason.strip() and "\n" not in comparison.reason, comparison.id  # one line a teacher reads


def test_date_order_is_read_from_the_record():
    by_force, weapon = QUOTATIONS["stalin-1930-by-force"], QUOTATIONS["stalin-1933-weapon"]
    assert Q.date_span(by_force) == (Q.Day(1930, 3, 2), Q.Day(1930, 3, 2))
    assert Q.date_span(QUOTATIONS["engels-1877-last-act"]) == (Q.Day(1878, 5, 1), Q.Day(1878, 7, 31))
    assert Q.date_span(QUOTATIONS["commissar-for-agriculture-1930-crude-methods"]) == (Q.Day(1930, 1, 1), Q.Day(1930, 12, 31))
    assert Q.date_span(QUOTATIONS["lenin-pre1917-miserable-palliatives"]) is None
    wrong = Q.ComparisonSet("s", "T", "R", ("stalin-1933-weapon", "stalin-1930-by-force"), 2, "date")
    assert "stalin-1930-by-force (1930-03-02) stands after stalin-1933-weapon (1933-01-11)" in Q.order_problem(wrong)
    undated = Q.ComparisonSet("s", "T", "R", ("stalin-1930-by-force", "lenin-pre1917-miserable-palliatives"), 2, "date")
    assert "has no date or year" in Q.order_problem(undated)
    backwards = Q.ComparisonSet("s", "T", "R", ("stalin-1933-weapon", "stalin-1930-by-force"), 2, "chapter")
    assert "which the chapter quotes later" in Q.order_problem(backwards, CHAPTER)
    assert Q.order_problem(Q.ComparisonSet("s", "T", "R", ("stalin-1933-weapon", "stalin-1930-by-force"), 2, "listed")) is None


# --- the word diff of Buber's English and the standard English -------------------------------


def test_the_word_diff_marks_what_each_english_has_that_the_other_has_not():
    buber, standard = Q.diff_runs("the only task that is left us",
                                  "the only task, indeed, that remains for us is to organize the population")
    assert buber == ["left us"]  # "is" stands in both, in that order
    assert standard == ["indeed", "remains for us", "to organize the population"]
    assert Q.diff_runs("Co-operatives of the Councils", "cooperative of the council") == ([], [])  # compared forms
    assert Q.diff_runs("same words", "same words") == ([], [])
    html = Q.diff_html("a <b> c", Q.word_diff("a <b> c", "a c")[0], "ins", "only in Buber's English")
    assert html == ('a &lt;<ins class="qc-diff"><span class="qc-sr">[only in Buber&#x27;s English: </span>b'
                    '<span class="qc-sr">]</span></ins>&gt; c')


# --- the traced originals (quotation-sources.csv) --------------------------------------------

SOURCES = {q.id: q.source for q in QUOTATIONS.values()}
READ = [s for s in SOURCES.values() if s.confidence in ("seen", "seen-quoted")]
SCRIPT = {"ru": "CYRILLIC", "de": "LATIN", "fr": "LATIN", "it": "LATIN", "en": "LATIN"}


def scripts(text: str) -> dict[str, int]:
    """How many letters of each script (CYRILLIC, LATIN, ...) the text has."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split()[0]
            counts[script] = counts.get(script, 0) + 1
    return counts


def test_every_quotation_has_exactly_one_source_row_in_the_same_order():
    rows = list(csv.DictReader((DATA / "quotation-sources.csv").open(encoding="utf-8")))
    assert [r["id"] for r in rows] == list(QUOTATIONS)
    assert all(q.source is not None and q.source.id == q.id for q in QUOTATIONS.values())


def test_the_confidence_labels_are_the_values_the_schema_allows():
    field = tables.field("quotation-sources", "confidence")
    assert list(Q.CONFIDENCE) == field["constraints"]["enum"]


@pytest.mark.parametrize("source", READ, ids=lambda s: s.id)
def test_every_read_original_is_in_the_script_of_its_language(source):
    assert source.original.strip() and source.language in SCRIPT, source.id
    letters = scripts(source.original)
    wanted = SCRIPT[source.language]
    # a Russian passage may quote a German word or a newspaper's name; its letters are still mostly Cyrillic
    assert letters.get(wanted, 0) >= 0.8 * sum(letters.values()), (source.id, letters)
    if wanted == "LATIN":
        assert "CYRILLIC" not in letters, source.id


@pytest.mark.parametrize("source", READ, ids=lambda s: s.id)
def test_every_read_original_has_a_volume_and_page_its_edition_has(source):
    assert source.edition in Q.EDITIONS and source.volume, source.id
    assert source.volume in Q.EDITIONS[source.edition][1], source.id
    pages = [int(p) for p in source.page.split("-")]
    assert 1 <= pages[0] <= pages[-1] < 1000, source.id
    assert source.address.startswith(f"{Q.EDITIONS[source.edition][0]} {source.volume}, p") or source.edition == "other"


def test_the_editions_volume_ranges_are_those_of_the_editions():
    # PSS, 5th ed.: 55 volumes; Stalin's Sochineniya: 18; MEW: 43 (the Ergänzungsbände are not used here)
    assert {code: (r.start, r.stop - 1) for code, (_, r) in Q.EDITIONS.items() if code != "other"} == {
        "PSS": (1, 55), "Soch": (1, 18), "MEW": (1, 43)}
    used = {(s.edition, s.volume) for s in READ}
    assert all(v in Q.EDITIONS[e][1] for e, v in used)


def test_the_edition_address_reads_as_the_book_cites_it():
    for source in READ:
        pages = "pp." if "-" in source.page else "p."
        assert f"{pages} {source.page}" in source.address, source.id
        assert source.address.endswith("(page estimated)") == source.page_estimated, source.id
    assert any(s.page_estimated for s in READ)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"volume": "XXXIII"}, r"quotation-sources.csv row 2, field volume: 'XXXIII' is not an integer"),
        ({"language": "russian"}, r"quotation-sources.csv row 2, field language: 'russian' breaks the constraint"),
        ({"id": ""}, r"quotation-sources.csv row 2, field id: the cell is empty or missing but a value is required"),
        ({"id": "x-1917-z"}, r"quotation-sources.csv row 2, field id: 'x-1917-z' is not an id in the quotations table; did you mean x-1917-y"),
        ({"page": "p. 343"}, r"quotation-sources.csv row 2, field page: 'p. 343' breaks the constraint"),
        ({"page": "343-341"}, r"quotation-sources.csv row 2, field page: '343-341' does not run forward"),
        ({"volume": "56"}, r"quotation-sources.csv row 2, field volume: '56' breaks the constraint"),
        ({"edition": "Soch", "volume": "19"}, r"quotation-sources.csv row 2, field volume: Soch has volumes 1-18, not 19"),
        ({"confidence": "certain"}, r"quotation-sources.csv row 2, field confidence: 'certain' breaks the constraint"),
        ({"original": ""}, r"quotation-sources.csv row 2, field original: empty, but confidence 'seen' says"),
    ],
)
def test_a_malformed_source_row_is_named(tmp_path, change, message):
    with pytest.raises(Q.QuotationError, match=message):
        Q.read_quotations(write_pair(tmp_path, sources=[GOOD_SOURCE | change]))


def test_a_quotation_without_its_source_row_or_out_of_order_is_named(tmp_path):
    with pytest.raises(Q.QuotationError, match=r"quotations.csv row 2, field id: 'x-1917-y' has no row in .*quotation-sources.csv"):
        Q.read_quotations(write_pair(tmp_path, sources=[]))
    other = [*GOOD[:1], *GOOD[1:]]
    other[0] = "x-1917-z"
    both = [GOOD_SOURCE | {"id": "x-1917-z"}, GOOD_SOURCE]
    with pytest.raises(Q.QuotationError, match=r"quotation-sources.csv row 2, field id: 'x-1917-z' is out of order"):
        Q.read_quotations(write_pair(tmp_path, [GOOD, other], both))
    # Sources read from another folder: the package's foreign key looks at the quotations beside them,
    # so the join itself must refuse a source row that is none of the quotations read.
    other_folder = write_pair(tmp_path / "two", [GOOD, other], [GOOD_SOURCE, GOOD_SOURCE | {"id": "x-1917-z"}]) \
        if (tmp_path / "two").mkdir() is None else None
    with pytest.raises(Q.QuotationError, match=r"quotation-sources.csv row 3, field id: 'x-1917-z' is not a quotation "
                                               r"of .*quotations.csv"):
        Q.read_quotations(write_pair(tmp_path, [GOOD]), sources=other_folder.parent / "quotation-sources.csv")
    with pytest.raises(Q.QuotationError, match=r"missing file: .*quotation-sources.csv"):
        Q.read_quotations(write(tmp_path / "alone", "quotations.csv", FIELDS, [GOOD]) if (tmp_path / "alone").mkdir() is None else None)


# --- the words two quotations share: worked examples -----------------------------------------


def test_words_are_compared_without_case_hyphens_plurals_or_stop_words():
    assert [t.norm for t in Q.tokens("The Co-operatives of the Councils")] == ["cooperative", "council"]
    assert [t.norm for t in Q.tokens("Cooperatives; to-day; classes; societies")] == ["cooperative", "today", "class", "society"]
    # a compound counts as its parts, so "State-apparatus" and "State apparatus" agree
    assert [t.word for t in Q.tokens("the new State-apparatus")] == ["new", "State", "apparatus"]
    assert Q.shared_words("Commune-State", "the Commune State") == ["commune", "state"]


def test_shared_words_of_stalin_1930_and_1933():
    a, b = Q.quotation("stalin-1930-by-force"), Q.quotation("stalin-1933-weapon")
    assert Q.shared_words(a.text, b.text) == ["collective", "economy"]
    assert Q.shared_summary(a.text, b.text) == "Words both quotations use (2): collective, economies"


def test_shared_words_of_engels_1877_and_1891():
    a, b = Q.quotation("engels-1877-last-act"), Q.quotation("engels-1891-pare-down")
    assert Q.shared_words(a.text, b.text) == ["state"]
    html = Q.highlight(a.text, ["state"])
    assert html.count("<mark") == 1 and '<mark class="qw" data-w="state">State</mark>' in html


def test_no_shared_words_is_said_plainly():
    assert Q.shared_summary("wither away", "a weapon") == Q.SHARED_NONE


def test_highlighting_keeps_the_text_and_escapes_it():
    hostile = 'Soviets <script>alert("x")</script> & "State" power'
    html = Q.highlight(hostile, Q.shared_words(hostile, "state power"))
    parsed = BeautifulSoup(html, "html.parser")
    assert parsed.find("script") is None and "&lt;" in html and "&amp;" in html
    assert parsed.get_text() == hostile
    assert [m.get_text() for m in parsed.find_all("mark")] == ["State", "power"]


def test_the_themes_pattern_repeats_one_list_of_themes():
    # THEMES is read from the first group of the schema's pattern; the pattern must be that list, then
    # the same list after each ';', or a theme allowed only after a ';' would be missing from THEMES.
    alternatives = "|".join(Q.THEMES)
    assert tables.field("quotations", "themes")["constraints"]["pattern"] == f"({alternatives})(;({alternatives}))*"
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", theme) for theme in Q.THEMES)
