"""The quotation comparer: two quotations side by side, their provenance, the words they share.

One comparer, two ways of running it:

- live, in Jupyter (JupyterLab, Binder, a JupyterHub): ``Comparer()`` is an ipywidgets panel whose
  choosers call Python, which renders the pair with ``quotations.highlight``;
- in the static book, with no kernel: the same object also offers an HTML rendering
  (``static_html``) of the choosers and the first pair. Every quotation's card, rendered here, stands
  in a script of its own (``cards_script``), which the book writes beside its page scripts: the page
  stays light to load, and the cards arrive after it has painted. The book's page script
  (``sphinx_ext/static/quotation-comparer.js``) only swaps cards and marks the words whose compared
  forms, exported by ``quotations.highlight``, stand in both.

Everything shown is escaped here; the page script builds no HTML from data.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from html import escape
from pathlib import Path

from . import quotations as Q

READING_URL = "reading.html"
DEFAULT_PAIR = ("stalin-1930-by-force", "stalin-1933-weapon")
CARDS_GLOBAL = "quotationCards"  # the name cards_script gives the cards in the page
STYLE = Path(__file__).parent / "sphinx_ext" / "static" / "quotations.css"
SIDES = (("a", "First quotation"), ("b", "Second quotation"))
# English whatever the locale: calendar.month_name follows LC_TIME, which sphinx-build sets from the machine's
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
ALL = ""
NO_YEAR = "none"
CHOOSE_TWO = "Choose two quotations to see the words they share."
SAME_TWICE = "Both sides show the same quotation: choose another one for one of them."
LOADING = "Loading the other quotations\u2026"  # said by the page script while the cards are on their way
VIEWS = (("pair", "Two quotations side by side"),
         ("three", "One quotation: Buber's English, the original and the standard English"))
ONLY_BUBER, ONLY_STANDARD = "only in Buber's English", "only in the standard English"
NO_STANDARD = "The course's data give no standard English for this passage."
NOTHING_MARKED = "Nothing is marked: the course's data give no standard English to compare Buber's with."
NO_ORIGINAL = "No original-language passage was found."
LANGUAGES = {"ru": "Russian", "de": "German", "fr": "French", "it": "Italian", "en": "English"}
THEME_LABELS = {"withering-away": "withering away"}  # the others read as they are written ("co-operatives")
# JupyterLab takes the arrow keys of a focused drop-down for its own cell navigation (ipywidgets issue
# 3912); Lumino leaves alone the keys of an element marked data-lm-suppress-shortcuts. This output marks
# the comparer's drop-downs and the view's radio buttons as they appear, so that the arrow keys change
# them, as the page says.
KEYS_TO_CHOOSERS = """(function () {
  const mark = () => document.querySelectorAll(".quotation-comparer-live :is(select, input[type=radio]):not([data-lm-suppress-shortcuts])")
    .forEach((s) => s.setAttribute("data-lm-suppress-shortcuts", "true"));
  mark();  /* the widgets may appear after this output: one watcher marks them as they come */
  if (!window.buberComparerKeys) {
    window.buberComparerKeys = new MutationObserver(mark);
    window.buberComparerKeys.observe(document.body, {childList: true, subtree: true});
  }
})();"""


# --- cards: one quotation with its metadata and provenance ------------------------------------


def format_date(date: str) -> str:
    """``1917-03-20/1917-04-08`` as ``20 March – 8 April 1917`` (the table's dates, for reading)."""
    if "/" not in date:
        return _one_date(date) if date else ""
    start, end = date.split("/")
    first, last = start.split("-"), end.split("-")
    if len(first) == len(last) == 3 and first[:2] == last[:2]:
        return f"{int(first[2])}–{_one_date(end)}"
    if len(first) > 1 and first[0] == last[0]:
        return f"{_one_date(start).removesuffix(' ' + first[0])} – {_one_date(end)}"
    return f"{_one_date(start)} – {_one_date(end)}"


def _one_date(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def option_label(q: Q.Quotation) -> str:
    words = q.text if len(q.text) <= 60 else q.text[:58].rsplit(" ", 1)[0] + " …"
    return f"p. {q.page} · {q.label} · {words}"


def format_date_original(value: str) -> str:
    """The edition's date for reading: ``OS 1917-04-14 / NS 1917-04-27`` as ``14 April 1917 (Old Style) =
    27 April 1917 (New Style)``, with what follows it (``(written); printed ...``) kept; an ISO date or span
    as ``format_date`` gives it; anything else as it stands."""
    styles = re.fullmatch(r"OS (\S+) / NS (\S+)(.*)", value)
    if styles:
        old, new, rest = styles.groups()
        return (f"{format_date(_full_span(old))} (Old Style) = {format_date(_full_span(new))} (New Style)"
                + (f" {rest.strip()}" if rest.strip() else ""))
    if re.fullmatch(r"\d{4}(-\d\d){0,2}(/\d{4}(-\d\d){0,2})?", value):
        return format_date(value)
    return value


def _full_span(value: str) -> str:
    """``1917-03-16/17`` (the edition's short span) as ``1917-03-16/1917-03-17``."""
    short = re.fullmatch(r"(\d{4}-\d\d-)(\d\d)/(\d\d)", value)
    return f"{short.group(1)}{short.group(2)}/{short.group(1)}{short.group(3)}" if short else value


def _lang(value: str, language: str) -> str:
    return f' lang="{escape(language)}"' if language else ""


def card_html(q: Q.Quotation, shared=(), reading_url: str = READING_URL) -> str:
    """One quotation: who, when, the words (shared ones marked), where in Buber, the original passage
    (marked with its language), its edition address, how far it was traced and how Buber differs."""
    s = q.source
    language = s.language if s else ""
    rows = [
        ("In Buber", f'<a href="{escape(reading_url)}#page-{q.page}">p. {q.page}</a> '
                     f'(<a href="{escape(reading_url)}#{escape(q.anchor)}">the quotation in the text</a>)'),
        ("Work or occasion, as the chapter gives it", escape(q.work) or "not named"),
        ("Source found", (escape(s.work) if s else "") or "none"),
        ("Title in the original", f'<span class="qc-original-title"{_lang(s.work_original, language)}>{escape(s.work_original)}</span>'
         if s and s.work_original else ""),
        ("Date (New Style)", escape(format_date(q.date))),
        ("Date in the edition", escape(format_date_original(s.date_original)) if s else ""),
        ("Edition and page", escape(s.address) if s else ""),
        ("Online", f'<a href="{escape(s.url)}">{escape(s.url.removeprefix("https://"))}</a>'
                   if s and s.url.startswith(("https://", "http://")) else escape(s.url if s else "")),
        ("How far it was traced", escape(Q.CONFIDENCE[q.confidence])),
        ("How Buber differs", escape(s.difference) if s else ""),
        ("Note", escape(s.note) if s else ""),
    ]
    details = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows if value)
    original = (f'<figure class="qc-original-figure"><figcaption class="qc-original-label">In the original '
                f'({LANGUAGES.get(language, language or "language not given")}):</figcaption>'
                f'<p class="qc-original"{_lang(s.original, language)}>{escape(s.original)}</p></figure>'
                if s and s.original else "")
    return (
        f'<article class="qc-card" data-id="{escape(q.id)}">'
        f'<h3 class="qc-who">{escape(q.label)}</h3>'
        f'<blockquote class="qc-text">{Q.highlight(q.text, shared)}</blockquote>'
        f'{original}'
        f'<dl class="qc-meta">{details}</dl></article>'
    )


def three_html(q: Q.Quotation, reading_url: str = READING_URL) -> str:
    """The third view of one quotation: Buber's English, the original and the standard English side by
    side (stacked on a narrow screen), the words each English has that the other has not marked by
    ``quotations.word_diff`` (underlined: only in Buber's; struck through: only in the standard), with
    a legend and labels that screen readers read. A column the data cannot fill says so."""
    s = q.source
    standard = s.standard_english if s else ""
    only_buber, only_standard = Q.word_diff(q.text, standard) if standard else ([], [])
    language = LANGUAGES.get(s.language, s.language) if s and s.original else ""
    buber = (f'<blockquote class="qc-three-text" lang="en">{Q.diff_html(q.text, only_buber, "ins", ONLY_BUBER)}</blockquote>'
             f'<p class="qc-three-where">Hull\'s translation, <a href="{escape(reading_url)}#{escape(q.anchor)}">p. {q.page}</a></p>')
    if s and s.original:
        original = (f'<blockquote class="qc-three-text qc-original"{_lang(s.original, s.language)}>{escape(s.original)}</blockquote>'
                    f'<p class="qc-three-where">{escape(s.address or s.edition_note)}</p>')
    else:
        original = f'<p class="qc-missing">{NO_ORIGINAL} {escape(Q.CONFIDENCE[q.confidence])}.</p>'
    if standard:
        english = (f'<blockquote class="qc-three-text" lang="en">{Q.diff_html(standard, only_standard, "del", ONLY_STANDARD)}</blockquote>'
                   + (f'<p class="qc-three-where">{escape(s.standard_source)}</p>' if s.standard_source else ""))
    else:
        english = f'<p class="qc-missing">{NO_STANDARD}</p>'
    columns = (("buber", "Buber's English", buber),
               ("original", f"The original ({language})" if language else "The original", original),
               ("standard", "The standard English", english))
    if standard:
        legend = (f'<p class="qc-legend">What differs ({len(only_buber)} stretch{"es" if len(only_buber) != 1 else ""} only in '
                  f"Buber's English, {len(only_standard)} only in the standard English): "
                  '<span class="qc-sample-ins">underlined</span> words stand only in Buber\'s English, '
                  '<span class="qc-sample-del">struck through</span> words only in the standard English (capitals, hyphens '
                  'and a plural -s aside); the original is not marked.</p>')
    else:
        legend = f'<p class="qc-legend">{NOTHING_MARKED}</p>'
    cols = "".join(f'<section class="qc-col qc-col-{key}" aria-label="{escape(title)}"><h4 class="qc-col-title">{escape(title)}</h4>'
                   f"{body}</section>" for key, title, body in columns)
    difference = (f'<p class="qc-three-difference"><strong>How Buber differs:</strong> {escape(s.difference)}</p>'
                  if s and s.difference else "")
    return (f'<article class="qc-three" data-id="{escape(q.id)}"><h3 class="qc-who">{escape(q.label)}</h3>{legend}'
            f'<div class="qc-three-cols">{cols}</div>{difference}</article>')


def empty_card_html() -> str:
    return '<article class="qc-card qc-empty" data-id=""><p>No quotation matches these filters.</p></article>'


def pair_html(first: Q.Quotation | None, second: Q.Quotation | None, reading_url: str = READING_URL) -> str:
    """The shared-words sentence and the two cards, as the comparer shows them."""
    if first and second and first.id == second.id:
        shared, summary = [], SAME_TWICE
    elif first and second:
        shared = Q.shared_words(first.text, second.text)
        summary = Q.shared_summary(first.text, second.text)
    else:
        shared, summary = [], CHOOSE_TWO
    cards = [card_html(q, shared, reading_url) if q else empty_card_html() for q in (first, second)]
    slots = "".join(f'<section class="qc-slot" id="qc-card-{side}" aria-label="{title}">{card}</section>'
                    for (side, title), card in zip(SIDES, cards))
    return f'<p class="qc-shared" id="qc-shared" aria-live="polite">{escape(summary)}</p><div class="qc-pair">{slots}</div>'


# --- what the choosers offer ------------------------------------------------------------------


def speakers() -> list[str]:
    counts = Counter(q.speaker for q in Q.quotations().values())
    return sorted(counts, key=lambda s: (-counts[s], s))


def years() -> list[int]:
    return sorted({q.year for q in Q.quotations().values() if q.year})


def filter_options(kind: str) -> list[tuple[str, str]]:
    """(label, value) for the speaker, theme and year filters; the value "" means all."""
    if kind == "speaker":
        return [("All speakers", ALL)] + [(s, s) for s in speakers()]
    if kind == "theme":
        return [("All themes", ALL)] + [(THEME_LABELS.get(t, t), t) for t in Q.THEMES]
    return [("All years", ALL)] + [(str(y), str(y)) for y in years()] + [("No year given", NO_YEAR)]


def matches(q: Q.Quotation, speaker: str = ALL, theme: str = ALL, year: str = ALL) -> bool:
    return ((not speaker or q.speaker == speaker) and (not theme or theme in q.themes)
            and (not year or (str(q.year) if q.year else NO_YEAR) == year))


def choices(within=None, **filters) -> list[Q.Quotation]:
    """The quotations a chooser offers: those of the set (in its order) or all, then filtered."""
    pool = [Q.quotation(i) for i in within] if within else list(Q.quotations().values())
    return [q for q in pool if matches(q, **filters)]


# --- the static comparer (the book) ------------------------------------------------------------


def _select(select_id: str, label: str, options, selected: str = ALL, attrs: str = "") -> str:
    items = "".join(f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(text)}</option>'
                    for text, value in options)
    return (f'<div class="qc-field"><label for="{select_id}">{label}</label>'
            f'<select id="{select_id}"{attrs}>{items}</select></div>')


def _quotation_select(side: str, chosen: str) -> str:
    """The first chooser lists every quotation; the second only its choice (the page script copies the rest)."""
    offered = Q.quotations().values() if side == "a" else [Q.quotation(chosen)]
    items = "".join(
        f'<option value="{escape(q.id)}" data-speaker="{escape(q.speaker)}" data-themes="{escape(Q.LIST_SEPARATOR.join(q.themes))}" '
        f'data-year="{q.year or NO_YEAR}"{" selected" if q.id == chosen else ""}>{escape(option_label(q))}</option>'
        for q in offered)
    return (f'<div class="qc-field qc-field-choice"><label for="qc-{side}">Quotation</label>'
            f'<select id="qc-{side}" class="qc-choice">{items}</select></div>')


@functools.cache
def cards_script(reading_url: str = READING_URL) -> str:
    """Every quotation's card (and the card for no match, under ``""``) and its third view, by id, as the
    script the static comparer's page loads (``window.quotationCards``). They are one JSON string: a
    browser reads that several times faster than the same object written as code, and this file is
    large (about 780 KB)."""
    every = Q.quotations().values()
    cards = {"cards": {**{q.id: card_html(q, (), reading_url) for q in every}, "": empty_card_html()},
             "threes": {q.id: three_html(q, reading_url) for q in every}}
    json_literal = json.dumps(json.dumps(cards, ensure_ascii=False), ensure_ascii=False)  # the JSON as a JS string
    return (f"/* Written by buber_course.comparer.cards_script from the course's data. */\n"
            f"window.{CARDS_GLOBAL} = JSON.parse({json_literal});\n")


def cards_version(reading_url: str = READING_URL) -> str:
    """What the page puts in the cards script's address, so that a browser never shows stale cards."""
    return hashlib.sha1(cards_script(reading_url).encode()).hexdigest()[:8]


def static_html(first: str = DEFAULT_PAIR[0], second: str = DEFAULT_PAIR[1], reading_url: str = READING_URL) -> str:
    """The comparer for a page without a kernel: the choosers and the pair (the cards of the others
    come with ``cards_script``)."""
    a, b = Q.quotation(first), Q.quotation(second)
    set_items = f'<option value="{ALL}">All quotations</option>' + "".join(
        f'<option value="{escape(s.id)}" data-ids="{escape(Q.LIST_SEPARATOR.join(s.ids))}" '
        f'data-reason="{escape(s.reason)}">{escape(s.title)}</option>' for s in Q.comparison_sets().values())
    sides = "".join(
        f'<fieldset class="qc-side" data-side="{side}"><legend>{title}</legend>'
        + _quotation_select(side, (a if side == "a" else b).id)
        + '<details class="qc-filters"><summary>Filter by speaker, theme or year</summary>'
        + "".join(_select(f"qc-{side}-{kind}", kind.capitalize(), filter_options(kind), attrs=f' data-filter="{kind}"')
                  for kind in ("speaker", "theme", "year"))
        + "</details></fieldset>"
        for side, title in SIDES)
    view = ('<fieldset class="qc-view"><legend>View</legend>' + "".join(
        f'<label class="qc-view-choice"><input type="radio" name="qc-view" id="qc-view-{key}" value="{key}"'
        f'{" checked" if key == "pair" else ""}> {escape(label)}</label>' for key, label in VIEWS) + "</fieldset>")
    return (
        f'<div class="quotation-comparer" id="comparer" data-summary-none="{escape(Q.SHARED_NONE)}" '
        f'data-summary-some="{escape(Q.SHARED_SOME)}" data-summary-empty="{CHOOSE_TWO}" '
        f'data-summary-same="{SAME_TWICE}" data-summary-loading="{LOADING}" '
        f'data-cards-version="{cards_version(reading_url)}">'
        f'<div class="qc-controls">{view}<div class="qc-field qc-field-set"><label for="qc-set">Comparison set</label>'
        f'<select id="qc-set">{set_items}</select></div><p class="qc-set-reason" id="qc-set-reason"></p>'
        f'<div class="qc-sides">{sides}</div></div>'
        f"{pair_html(a, b, reading_url)}"
        f'<section class="qc-three-slot" id="qc-three" aria-label="Three versions of the first quotation" hidden></section></div>'
    )


# --- the live comparer (Jupyter) ---------------------------------------------------------------


class _Side:
    """One column of the live comparer: three filters and the quotation chooser."""

    def __init__(self, side: str, title: str, widgets):
        style, layout = {"description_width": "6.5em"}, widgets.Layout(width="100%")
        self.filters = {kind: widgets.Dropdown(options=filter_options(kind), value=ALL, description=kind.capitalize(),
                                               style=style, layout=layout) for kind in ("speaker", "theme", "year")}
        self.choice = widgets.Dropdown(options=[], description="Quotation", style=style, layout=layout)
        self.box = widgets.VBox([widgets.HTML(f"<h3>{title}</h3>"), *self.filters.values(), self.choice],
                                layout=widgets.Layout(flex="1 1 20em", min_width="0"))
        self.box.add_class(f"qc-side-{side}")

    def refill(self, within) -> None:
        """Offer the quotations that match the filters, keeping the current one if it still does."""
        offered = choices(within, **{kind: w.value for kind, w in self.filters.items()})
        current = self.choice.value
        self.choice.options = [(option_label(q), q.id) for q in offered]
        ids = [q.id for q in offered]
        self.choice.value = current if current in ids else (ids[0] if ids else None)

    def reset(self) -> None:
        for widget in self.filters.values():
            widget.value = ALL

    @property
    def quotation(self) -> Q.Quotation | None:
        return Q.quotation(self.choice.value) if self.choice.value else None


class Comparer:
    """Two quotations side by side. Choose with the widgets, or in code::

        comparer = Comparer("engels-1877-last-act", "engels-1891-pare-down")
        comparer.choose("lenin-1918-all-citizens", "lenin-1923-civilised-cooperators")
        comparer.open_set("lenin-councils")
    """

    def __init__(self, first: str = DEFAULT_PAIR[0], second: str = DEFAULT_PAIR[1], reading_url: str = READING_URL):
        import ipywidgets as widgets  # only the live comparer needs them

        self.reading_url = reading_url
        self.set_chooser = widgets.Dropdown(
            options=[("All quotations", ALL)] + [(s.title, s.id) for s in Q.comparison_sets().values()],
            description="Comparison set", style={"description_width": "initial"}, layout=widgets.Layout(width="auto"))
        self.reason = widgets.HTML()
        self.view = widgets.RadioButtons(options=[(label, key) for key, label in VIEWS], value="pair", description="View",
                                         layout=widgets.Layout(width="auto"))
        self.sides = [_Side(side, title, widgets) for side, title in SIDES]
        self.pair = widgets.HTML()
        style = widgets.HTML(f"<style>{STYLE.read_text(encoding='utf-8')}</style>")
        self.widget = widgets.VBox([style, self.view, self.set_chooser, self.reason,
                                    widgets.HBox([s.box for s in self.sides], layout=widgets.Layout(flex_flow="row wrap")),
                                    self.pair])
        self.widget.add_class("quotation-comparer-live")
        self._quiet = False  # set while the comparer moves its own widgets, so callbacks do not run
        for side in self.sides:
            side.choice.observe(self._show, "value")
            for widget in side.filters.values():
                widget.observe(lambda change, side=side: self._refill(side), "value")
        self.set_chooser.observe(lambda change: self._quiet or self.open_set(change["new"]), "value")
        self.view.observe(self._show, "value")
        self.choose(first, second)

    @property
    def within(self):
        """The ids of the comparison set on offer, or None for all quotations."""
        return Q.comparison_set(self.set_chooser.value).ids if self.set_chooser.value else None

    @property
    def chosen(self) -> tuple[Q.Quotation | None, Q.Quotation | None]:
        return self.sides[0].quotation, self.sides[1].quotation

    def choose(self, first: str, second: str) -> None:
        """Show these two quotations (ids as in data/quotations.csv), with every filter cleared."""
        wanted = Q.quotation(first), Q.quotation(second)  # an unknown id stops here, named
        self._quiet = True
        try:
            if self.within and not {first, second} <= set(self.within):
                self.set_chooser.value, self.reason.value = ALL, ""
            for side, q in zip(self.sides, wanted):
                side.reset()
                side.refill(self.within)
                side.choice.value = q.id
        finally:
            self._quiet = False
        self._show()

    def open_set(self, set_id: str) -> None:
        """Offer only the quotations of a comparison set, its first two side by side ("" for all)."""
        chosen = Q.comparison_set(set_id) if set_id else None  # an unknown id stops here, named
        self._quiet = True
        self.set_chooser.value = set_id
        self._quiet = False
        self.reason.value = f'<p class="qc-set-reason">{escape(chosen.reason)}</p>' if chosen else ""
        if chosen:
            self.choose(*chosen.ids[:2])
        else:
            for side in self.sides:
                self._refill(side)

    def _refill(self, side: _Side) -> None:
        if self._quiet:
            return
        self._quiet = True
        try:
            side.refill(self.within)
        finally:
            self._quiet = False
        self._show()

    def show_three(self, qid: str | None = None) -> None:
        """The third view: one quotation (this id, or the first side's) in Buber's English, the
        original and the standard English, what differs marked."""
        if qid:
            self.choose(qid, self.chosen[1].id if self.chosen[1] else qid)
        self.view.value = "three"

    def _show(self, change=None) -> None:
        if not self._quiet:
            first, second = self.chosen
            three = self.view.value == "three"
            self.sides[1].box.layout.display = "none" if three else None
            if three:
                self.pair.value = (f'<section class="qc-three-slot">{three_html(first, self.reading_url)}</section>'
                                   if first else empty_card_html())
            else:
                self.pair.value = pair_html(first, second, self.reading_url)

    def _ipython_display_(self) -> None:
        """In Jupyter: the comparer, and the script that gives its drop-downs their arrow keys."""
        from IPython.display import Javascript, display

        display(self._repr_mimebundle_(), raw=True)
        display(Javascript(KEYS_TO_CHOOSERS))

    def _repr_mimebundle_(self, **kwargs):
        """The live widget for Jupyter; the static comparer for pages without a kernel."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        first, second = self.chosen
        bundle["text/html"] = static_html(first.id if first else DEFAULT_PAIR[0],
                                          second.id if second else DEFAULT_PAIR[1], self.reading_url)
        return bundle


# --- all quotations by speaker and year: a table and a chart ------------------------------------


def counts_by_speaker_and_year() -> dict[str, Counter]:
    """For each speaker (in the order of their first year), how many quotations per year."""
    counts: dict[str, Counter] = {}
    for q in sorted(Q.quotations().values(), key=lambda q: (q.year or 9999)):
        counts.setdefault(q.speaker, Counter())[q.year or NO_YEAR] += 1
    return counts


def chart_alt_text(counts: dict[str, Counter]) -> str:
    dated = sum(n for c in counts.values() for y, n in c.items() if y != NO_YEAR)
    undated = sum(c[NO_YEAR] for c in counts.values())
    parts = []
    for speaker, c in sorted(counts.items(), key=lambda item: -sum(item[1].values())):
        years_ = sorted(y for y in c if y != NO_YEAR)
        if not years_:
            continue
        peak = max(years_, key=lambda y: c[y])
        span = f"{years_[0]}" if len(years_) == 1 else f"{years_[0]} to {years_[-1]}"
        unique_peak = sum(c[y] == c[peak] for y in years_) == 1
        most = f", most in {peak} ({c[peak]})" if len(years_) > 1 and unique_peak else ""
        parts.append(f"{speaker}: {span}{most}")
    return (f"Dot chart of the {dated} quotations that have a year, one row per speaker and one column per year; "
            f"a dot's size and the number beside it give the count. " + "; ".join(parts)
            + f". {undated} quotations without a year are not drawn. The table beside the chart gives every count.")


def chart_svg(counts: dict[str, Counter], alt: str) -> str:
    """The dot chart as inline SVG (text kept as text: a few KB gzipped), named for screen readers by ``alt``."""
    from .style import LOOKS, course_style, direct_label, inline_svg, new_chart

    columns = sorted({y for c in counts.values() for y in c if y != NO_YEAR})
    rows = [s for s, c in counts.items() if any(y != NO_YEAR for y in c)]
    with course_style():
        # tight layout's wider margins: an SVG's text is set in the reader's font, which may run wider than
        # the one matplotlib measured, and the speakers' names must not be cut off
        figure, (ax,) = new_chart(0.42 * len(rows) + 1.6, width=10, layout="tight")
        for row, speaker in enumerate(rows):
            for column, year in enumerate(columns):
                n = counts[speaker].get(year, 0)
                if n:
                    ax.scatter(column, row, s=28 * n ** 0.5, color=LOOKS[0]["color"], zorder=2)  # area grows with the count
                    direct_label(ax, str(n), (column, row), (5, 5), size="footer", zorder=3)
        ax.set_yticks(range(len(rows)), rows)
        ax.set_xticks(range(len(columns)), [str(y) for y in columns], rotation=90)
        ax.invert_yaxis()
        ax.set_xlabel("year the chapter gives (only years with quotations)")
        ax.set_title("Quotations in Buber's chapter IX by speaker and year")
    return inline_svg(figure, alt, "qc-chart-svg")


def counts_table_html(counts: dict[str, Counter]) -> str:
    body = "".join(
        f"<tr><th scope=\"row\">{escape(speaker)}</th><td>{sum(c.values())}</td>"
        f"<td>{escape(', '.join(f'{y} ({n})' for y, n in sorted(c.items(), key=lambda i: (i[0] == NO_YEAR, str(i[0])))).replace(NO_YEAR, 'no year'))}</td></tr>"
        for speaker, c in counts.items())
    total = sum(sum(c.values()) for c in counts.values())
    return ('<table class="qc-counts"><caption>Quotations by speaker and year</caption>'
            '<thead><tr><th scope="col">Speaker</th><th scope="col">Quotations</th><th scope="col">Years (quotations)</th></tr></thead>'
            f'<tbody>{body}</tbody><tfoot><tr><th scope="row">All</th><td>{total}</td><td></td></tr></tfoot></table>')


class _HTML:
    """HTML output for a notebook cell (what IPython.display.HTML does, without importing IPython)."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html


def speaker_year_chart() -> _HTML:
    """The chart of all quotations by speaker and year, with its alt text and the table beside it."""
    counts = counts_by_speaker_and_year()
    figure = chart_svg(counts, chart_alt_text(counts))
    return _HTML(f'<div class="qc-chart"><figure>{figure}</figure>{counts_table_html(counts)}</div>')


def sets_table() -> _HTML:
    """The comparison sets: title, why, and the quotations each holds."""
    body = "".join(
        f"<tr><th scope=\"row\">{escape(s.title)}</th><td>{escape(s.reason)}</td>"
        f"<td>{escape('; '.join(Q.quotation(i).label for i in s.ids[:2]))}"
        f"{escape(f' (+{len(s.ids) - 2} more)') if len(s.ids) > 2 else ''}</td></tr>"
        for s in Q.comparison_sets().values())
    return _HTML('<table class="qc-sets"><caption>Comparison sets</caption><thead><tr><th scope="col">Set</th>'
                 '<th scope="col">Why these belong together</th><th scope="col">Opens with</th></tr></thead>'
                 f"<tbody>{body}</tbody></table>")


def confidence_table() -> _HTML:
    """How far the quotations were traced, and how many to the page of an edition."""
    quoted = list(Q.quotations().values())
    counts = Counter(q.confidence for q in quoted)
    body = "".join(f"<tr><th scope=\"row\">{escape(label)}</th><td>{counts[key]}</td></tr>" for key, label in Q.CONFIDENCE.items())
    traced = sum(q.traced_to_page for q in quoted)
    return _HTML('<table class="qc-sets"><caption>How far the quotations were traced</caption>'
                 '<thead><tr><th scope="col">Confidence</th><th scope="col">Quotations</th></tr></thead>'
                 f'<tbody>{body}</tbody><tfoot><tr><th scope="row">All</th><td>{len(quoted)}</td></tr>'
                 f'<tr><th scope="row">Of these, traced to the page of an edition</th><td>{traced}</td></tr></tfoot></table>')
