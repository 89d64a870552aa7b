"""The comparer's Python side: the live widget's choices, what a pair shows, escaping, the chart."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
from bs4 import BeautifulSoup

from buber_course import comparer as C
from buber_course import quotations as Q

QUOTATIONS = Q.quotations()


def shown(comparer: C.Comparer) -> BeautifulSoup:
    return BeautifulSoup(comparer.pair.value, "html.parser")


def cards_of(script: str) -> dict[str, dict[str, BeautifulSoup]]:
    """The cards and third views a cards script defines, each parsed."""
    prefix, _, rest = script.partition(f"window.{C.CARDS_GLOBAL} = JSON.parse(")
    assert prefix.startswith("/*") and rest.endswith(");\n"), "not a cards script"
    return {kind: {qid: BeautifulSoup(html, "html.parser").find("article") for qid, html in by_id.items()}
            for kind, by_id in json.loads(json.loads(rest.removesuffix(");\n"))).items()}


def built_cards(html_dir) -> dict[str, dict[str, BeautifulSoup]]:
    """The cards the built comparer page loads, checked to be the version its address names."""
    page = BeautifulSoup((html_dir / "book" / "quotations.html").read_text(encoding="utf-8"), "html.parser")
    script = (html_dir / "_static" / "quotation-cards.js").read_text(encoding="utf-8")
    assert page.select_one(".quotation-comparer")["data-cards-version"] == hashlib.sha1(script.encode()).hexdigest()[:8]
    return cards_of(script)


def test_choosing_two_ids_shows_their_texts_and_metadata():
    comparer = C.Comparer("engels-1877-last-act", "engels-1891-pare-down")
    assert [q.id for q in comparer.chosen] == ["engels-1877-last-act", "engels-1891-pare-down"]
    page = shown(comparer)
    cards = page.select("article.qc-card")
    assert [c["data-id"] for c in cards] == ["engels-1877-last-act", "engels-1891-pare-down"]
    first = cards[0]
    assert first.select_one("blockquote").get_text() == QUOTATIONS["engels-1877-last-act"].text
    assert first.select_one("h3").get_text() == "Engels, 1877"
    assert first.find("a", href="reading.html#page-101").get_text() == "p. 101"
    assert first.find("a", href="reading.html#q-engels-1877-last-act") is not None
    details = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in first.select("dt")}
    assert details["Date (New Style)"] == "May – July 1878"
    assert "Anti-Dühring" in details["Source found"]
    assert details["How far it was traced"] == Q.CONFIDENCE["seen"]
    assert page.select_one("#qc-shared").get_text() == "Words both quotations use (1): State"
    comparer.choose("lenin-1918-all-citizens", "lenin-1923-civilised-cooperators")
    assert shown(comparer).select_one("#qc-card-b blockquote").get_text() == QUOTATIONS["lenin-1923-civilised-cooperators"].text


def test_shared_words_are_marked_in_both_cards():
    comparer = C.Comparer("stalin-1930-by-force", "stalin-1933-weapon")
    page = shown(comparer)
    for side in ("a", "b"):
        assert [m.get_text() for m in page.select(f"#qc-card-{side} mark")] == ["collective", "economies"]
    assert page.select_one("#qc-shared").get_text() == "Words both quotations use (2): collective, economies"


def test_filters_narrow_a_chooser_and_the_pair_follows():
    comparer = C.Comparer()
    first = comparer.sides[0]
    first.filters["speaker"].value = "Engels"
    assert {QUOTATIONS[value].speaker for _, value in first.choice.options} == {"Engels"}
    first.filters["year"].value = "1891"
    assert comparer.chosen[0].id == "engels-1891-pare-down"
    assert shown(comparer).select_one("#qc-card-a").find("h3").get_text() == "Engels, 1891"
    first.filters["theme"].value = "collectivization"  # no Engels of 1891 on collectivization
    assert comparer.chosen[0] is None
    page = shown(comparer)
    assert page.select_one("#qc-card-a .qc-empty") is not None
    assert page.select_one("#qc-shared").get_text().startswith("Choose two quotations")


def test_a_comparison_set_offers_its_quotations_and_opens_with_its_first_two():
    comparer = C.Comparer()
    comparer.set_chooser.value = "lenin-councils"
    ids = Q.comparison_set("lenin-councils").ids
    assert [q.id for q in comparer.chosen] == list(ids[:2])
    assert [value for _, value in comparer.sides[1].choice.options] == list(ids)
    assert "militant organization" in comparer.reason.value
    comparer.choose("stalin-1930-by-force", "engels-1874-vanish")  # outside the set: the set is left
    assert comparer.set_chooser.value == "" and len(comparer.sides[0].choice.options) == len(QUOTATIONS)


def test_an_unknown_id_is_named():
    with pytest.raises(Q.QuotationError, match=r"unknown quotation id 'stalin-1933'; did you mean stalin-1933-weapon"):
        C.Comparer("stalin-1930-by-force", "stalin-1933")
    with pytest.raises(Q.QuotationError, match=r"unknown comparison set id 'stalin'"):
        C.Comparer().open_set("stalin")


def test_hostile_text_and_metadata_are_escaped():
    q = QUOTATIONS["stalin-1930-by-force"]
    hostile = dataclasses.replace(
        q, text='<script>alert("x")</script> & collective <b>force</b>', speaker="<img src=x onerror=alert(1)>",
        work="A & B", source=dataclasses.replace(q.source, difference="<i>n</i>", url="javascript:alert(1)"))
    card = BeautifulSoup(C.card_html(hostile, ["collective"]), "html.parser")
    assert card.find("script") is None and card.find("img") is None and card.find("b") is None and card.find("i") is None
    assert card.select_one("blockquote").get_text() == hostile.text
    assert card.select_one("h3").get_text() == "<img src=x onerror=alert(1)>, 1930"
    assert not card.find_all("a", href=lambda h: h and h.startswith("javascript"))
    assert [m.get_text() for m in card.find_all("mark")] == ["collective"]


def test_the_notebook_output_carries_the_live_widget_and_the_static_comparer():
    bundle = C.Comparer("engels-1877-last-act", "engels-1891-pare-down")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    page = BeautifulSoup(bundle["text/html"], "html.parser")
    assert page.select_one("#qc-a").find("option", selected=True)["value"] == "engels-1877-last-act"
    assert page.select_one("#qc-b").find("option", selected=True)["value"] == "engels-1891-pare-down"
    # The page carries the pair it shows; every other card comes with the cards script.
    assert [c["data-id"] for c in page.select("article.qc-card")] == ["engels-1877-last-act", "engels-1891-pare-down"]
    assert list(cards_of(C.cards_script())["cards"]) == [*QUOTATIONS, ""]
    assert page.select_one(".quotation-comparer")["data-cards-version"] == C.cards_version()
    for select in page.select("select"):
        assert page.find("label", attrs={"for": select["id"]}) is not None, select["id"]
    for option in page.select("#qc-set option[value!='']"):
        assert option["data-ids"].split(";") == list(Q.comparison_set(option["value"]).ids)


def test_dates_read_as_dates():
    assert C.format_date("1917-03-20/1917-04-08") == "20 March – 8 April 1917"
    assert C.format_date("1917-09-23/1917-09-27") == "23–27 September 1917"
    assert C.format_date("1872/1873") == "1872 – 1873"
    assert C.format_date("1905-12") == "December 1905"
    assert C.format_date("") == ""


def test_the_chart_has_alt_text_and_a_table_with_every_count():
    counts = C.counts_by_speaker_and_year()
    assert sum(sum(c.values()) for c in counts.values()) == len(QUOTATIONS)
    alt = C.chart_alt_text(counts)
    assert "Lenin: 1905 to 1923, most in 1917" in alt and "without a year are not drawn" in alt
    html = BeautifulSoup(C.speaker_year_chart()._repr_html_(), "html.parser")
    chart = html.find("svg")
    assert chart["role"] == "img" and chart["aria-label"] == alt and "viewbox" in chart.attrs
    assert "width" not in chart.attrs and html.find("img") is None  # scales with the page; nothing to fetch
    assert "Lenin" in chart.get_text() and "1917" in chart.get_text()  # labels stay text
    rows = {tr.th.get_text(): tr.find_all("td") for tr in html.select("table.qc-counts tbody tr")}
    assert int(rows["Stalin"][0].get_text()) == sum(q.speaker == "Stalin" for q in QUOTATIONS.values())
    assert html.select_one("table.qc-counts tfoot td").get_text() == str(len(QUOTATIONS))


# --- the original on each card --------------------------------------------------------------

LANGUAGES = {"ru", "de", "fr", "it"}


def details_of(card) -> dict[str, str]:
    return {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in card.select("dt")}


@pytest.mark.parametrize("q", [q for q in QUOTATIONS.values() if q.source.original], ids=lambda q: q.id)
def test_a_card_gives_the_original_in_its_language_and_its_edition_address(q):
    card = BeautifulSoup(C.card_html(q), "html.parser")
    original = card.select_one(".qc-original")
    assert original.get_text() == q.source.original and original["lang"] == q.source.language
    assert q.source.language in LANGUAGES | {"en"}
    details = details_of(card)
    assert details["Edition and page"] == q.source.address
    assert details["How far it was traced"] == Q.CONFIDENCE[q.source.confidence]
    if q.source.difference:
        assert details["How Buber differs"] == q.source.difference


def test_the_edition_address_and_the_two_styles_of_date_read_as_a_reader_expects():
    # the examples of the issue; each value is compared with what the data give
    cooperators = Q.quotation("lenin-1923-civilised-cooperators").source
    assert cooperators.address == f"PSS {cooperators.volume}, p. {cooperators.page}" == "PSS 45, p. 373"
    weapon = Q.quotation("stalin-1933-weapon").source
    assert weapon.address == f"Soch. {weapon.volume}, pp. {weapon.page} (page estimated)"
    utopia = Q.quotation("engels-1872-utopia").source
    assert utopia.address == f"MEW {utopia.volume}, p. {utopia.page}"
    assert C.format_date_original("OS 1917-04-14 / NS 1917-04-27") == "14 April 1917 (Old Style) = 27 April 1917 (New Style)"
    assert C.format_date_original("OS 1917-03-16/17 / NS 1917-03-29/30 (written); printed 1917-03-31") == (
        "16–17 March 1917 (Old Style) = 29–30 March 1917 (New Style) (written); printed 1917-03-31")
    assert C.format_date_original("1923-01-04") == "4 January 1923"
    decree = Q.quotation("lenin-1918-all-citizens")
    shown = details_of(BeautifulSoup(C.card_html(decree), "html.parser"))
    assert shown["Date in the edition"] == C.format_date_original(decree.source.date_original)
    assert "(Old Style)" in shown["Date in the edition"] and "(New Style)" in shown["Date in the edition"]


def test_a_card_without_an_original_says_how_far_it_was_traced():
    q = next(q for q in QUOTATIONS.values() if q.source.confidence == "not-found")
    card = BeautifulSoup(C.card_html(q), "html.parser")
    assert card.select_one(".qc-original") is None
    assert details_of(card)["How far it was traced"] == Q.CONFIDENCE["not-found"]


def test_hostile_originals_are_escaped():
    q = QUOTATIONS["stalin-1933-weapon"]
    hostile = dataclasses.replace(q, source=dataclasses.replace(q.source, original='<script>x</script> оружие',
                                                                 language='ru" onmouseover="alert(1)'))
    card = BeautifulSoup(C.card_html(hostile), "html.parser")
    assert card.find("script") is None and card.select_one(".qc-original").get_text() == hostile.source.original
    assert not card.select_one(".qc-original").has_attr("onmouseover")


def test_the_built_comparer_page_carries_each_original_in_its_language(html_dir):
    cards = built_cards(html_dir)["cards"]
    assert all(card["data-id"] == qid for qid, card in cards.items())
    shown = {qid: card.select_one(".qc-original") for qid, card in cards.items() if qid}
    for q in QUOTATIONS.values():
        if q.source.original:
            assert shown[q.id] is not None, q.id
            assert shown[q.id]["lang"] == q.source.language and shown[q.id].get_text() == q.source.original, q.id
        else:
            assert shown[q.id] is None, q.id
    assert {e["lang"] for e in shown.values() if e is not None} >= {"ru", "de", "fr"}


# --- the third view: Buber's English, the original, the standard English ----------------------


def marks(view, tag: str) -> list[str]:
    """The marked stretches of a column as they read, without the labels only screen readers read."""
    found = []
    for mark in view.select(tag):
        for label in mark.select(".qc-sr"):
            label.extract()
        found.append(mark.get_text())
    return found


def check_three(view, q: Q.Quotation) -> None:
    """A rendered third view against the data and quotations.diff_runs, the one rule for its marks."""
    assert view["data-id"] == q.id
    columns = view.select(".qc-three-cols > section.qc-col")
    assert [c["class"][1] for c in columns] == ["qc-col-buber", "qc-col-original", "qc-col-standard"]
    buber, original, standard = columns
    assert buber.select_one("blockquote")["lang"] == "en"
    s = q.source
    if s.original:
        shown = original.select_one("blockquote")
        assert shown["lang"] == s.language and shown.get_text() == s.original
        assert s.address in original.get_text()
    else:
        assert original.select_one("blockquote") is None and C.NO_ORIGINAL in original.get_text()
    if s.standard_english:
        expected_buber, expected_standard = Q.diff_runs(q.text, s.standard_english)
        assert standard.select_one("blockquote")["lang"] == "en"
        assert [e.get_text() for e in standard.select("del > .qc-sr:first-child")] == ["[only in the standard English: "] * len(expected_standard)
        assert [e.get_text() for e in buber.select("ins > .qc-sr:first-child")] == ["[only in Buber's English: "] * len(expected_buber)
        assert marks(standard, "del.qc-diff") == expected_standard
        assert marks(buber, "ins.qc-diff") == expected_buber
        assert standard.select_one("blockquote").get_text() == s.standard_english  # once the labels are out
    else:
        assert standard.select_one("blockquote") is None and C.NO_STANDARD in standard.get_text()
        assert not buber.select("ins") and C.NOTHING_MARKED in view.select_one(".qc-legend").get_text()
    marks(buber, "ins")
    assert buber.select_one("blockquote").get_text() == q.text


@pytest.mark.parametrize("q", QUOTATIONS.values(), ids=lambda q: q.id)
def test_the_third_view_gives_three_columns_and_marks_what_the_diff_finds(q):
    check_three(BeautifulSoup(C.three_html(q), "html.parser").select_one("article.qc-three"), q)


def test_the_third_view_legend_does_not_rely_on_colour_and_screen_readers_hear_the_marks():
    view = BeautifulSoup(C.three_html(QUOTATIONS["lenin-1923-only-task"]), "html.parser")
    legend = view.select_one(".qc-legend").get_text()
    assert "underlined" in legend and "struck through" in legend
    assert view.select_one("ins .qc-sr").get_text() == "[only in Buber's English: "
    assert view.select_one("del .qc-sr").get_text() == "[only in the standard English: "
    css = C.STYLE.read_text(encoding="utf-8")
    assert "ins.qc-diff, .qc-sample-ins {\n  text-decoration: underline" in css
    assert "del.qc-diff, .qc-sample-del { text-decoration: line-through" in css


def test_the_live_comparer_opens_the_third_view_and_goes_back():
    comparer = C.Comparer("lenin-1923-only-task", "stalin-1933-weapon")
    assert [value for _, value in comparer.view.options] == ["pair", "three"]
    comparer.view.value = "three"  # what a click or the arrow keys on the radio buttons do
    view = shown(comparer).select_one("article.qc-three")
    check_three(view, QUOTATIONS["lenin-1923-only-task"])
    assert comparer.sides[1].box.layout.display == "none"
    comparer.sides[0].choice.value = "stalin-1930-by-force"  # the chooser changes the quotation shown
    check_three(shown(comparer).select_one("article.qc-three"), QUOTATIONS["stalin-1930-by-force"])
    comparer.view.value = "pair"
    assert [c["data-id"] for c in shown(comparer).select("article.qc-card")] == ["stalin-1930-by-force", "stalin-1933-weapon"]
    comparer.show_three("engels-1877-last-act")
    check_three(shown(comparer).select_one("article.qc-three"), QUOTATIONS["engels-1877-last-act"])


def test_hostile_standard_english_is_escaped():
    q = QUOTATIONS["lenin-1923-only-task"]
    hostile = dataclasses.replace(q, source=dataclasses.replace(q.source, standard_english='<img src=x onerror=alert(1)> the only task'))
    view = BeautifulSoup(C.three_html(hostile), "html.parser")
    assert view.find("img") is None
    marks(view, "del")
    assert view.select_one(".qc-col-standard blockquote").get_text() == hostile.source.standard_english


def test_the_static_comparer_carries_every_third_view_and_the_view_chooser():
    page = BeautifulSoup(C.static_html(), "html.parser")
    radios = page.select("input[name=qc-view]")
    assert [r["value"] for r in radios] == ["pair", "three"] and radios[0].has_attr("checked")
    for radio in radios:
        assert radio.find_parent("label") is not None
    assert page.select_one("#qc-three").has_attr("hidden")
    threes = cards_of(C.cards_script())["threes"]
    assert list(threes) == list(QUOTATIONS) and all(view["data-id"] == qid for qid, view in threes.items())


def test_the_built_comparer_page_carries_each_third_view_as_python_renders_it(html_dir):
    views = built_cards(html_dir)["threes"]
    assert list(views) == list(QUOTATIONS) and all(view["data-id"] == qid for qid, view in views.items())
    for q in QUOTATIONS.values():
        check_three(views[q.id], q)
