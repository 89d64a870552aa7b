"""Feedback on exercise answers: in a notebook (``check``) and in the static book (``quiz``).

Every checkable question is one entry of ``exercises/questions.yml``: its kind (a number, a year, a
choice, a short text), the right answer, a hint that points back to the page of the text or the
data, and why the right answer is right. ``check`` turns any answer into feedback and never raises:
a blank answer is "not answered yet", an answer of the wrong kind says what kind is expected. The
static book gets the same entry as JSON, read by ``quiz.js``; the messages come from here.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from . import tables
from .paths import ROOT

QUESTIONS = ROOT / "exercises" / "questions.yml"
KINDS = ("number", "year", "choice", "text")  # questions that ``check`` answers
UNCHECKED = {"open": ("prompt", "model"), "chart": ("prompt", "stub", "solution", "alt")}  # and their fields
PLACEHOLDER = {  # the comment of an answer cell in a notebook: how to write the answer in Python
    "number": "your answer as a number, e.g. 12.5",
    "year": "your answer as a year, e.g. 1917",
    "choice": 'your answer: one letter in quotation marks, e.g. "A"',
    "text": 'your answer in quotation marks, e.g. "Marx"',
}
NOT_ANSWERED = "Not answered yet: replace the placeholder with your answer and run the cell again."
EXPECTED = {
    "number": "This question expects a number{unit}, for example 12.5 (not text, not a list).",
    "year": "This question expects a year, written as a whole number such as 1917.",
    "choice": "This question expects one of the letters {letters}.",
    "text": "This question expects a short text in quotation marks, for example \"Marx\".",
}


class QuestionError(ValueError):
    """The question file is missing or an entry is malformed; the message names the question."""


@dataclass(frozen=True)
class Feedback:
    status: str  # "blank", "invalid", "wrong" or "right"
    message: str

    @property
    def right(self) -> bool:
        return self.status == "right"

    def __str__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        return f'<p class="feedback feedback-{self.status}" role="status">{escape(self.message)}</p>'


@cache
def questions(path: Path = QUESTIONS) -> dict[str, dict]:
    import yaml

    try:
        entries = yaml.safe_load(tables.text(path, QuestionError)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise QuestionError(f"{path.name}{line}: not valid YAML ({getattr(error, 'problem', error)})") from None
    for qid, entry in entries.items():
        _validate(qid, entry)
    return entries


def _validate(qid: str, entry: dict) -> None:
    where = f"{QUESTIONS.name}, question {qid!r}"
    if not re.fullmatch(r"l\d+-(q\d+|open|chart)", str(qid)):
        raise QuestionError(f"{where}: an id is l<lesson>-q<number>, l<lesson>-open or l<lesson>-chart")
    if not isinstance(entry, dict) or entry.get("kind") not in (*KINDS, *UNCHECKED):
        raise QuestionError(f"{where}: 'kind' must be one of {', '.join((*KINDS, *UNCHECKED))}")
    required = UNCHECKED.get(entry["kind"], ("prompt", "answer", "hint", "why"))
    for field in required:
        if entry.get(field) in (None, ""):
            raise QuestionError(f"{where}: missing {field!r}")
    if entry["kind"] == "choice" and entry["answer"] not in entry.get("options", {}):
        raise QuestionError(f"{where}: the answer {entry['answer']!r} is not one of its options")


def question(qid: str) -> dict:
    entries = questions()
    if qid not in entries:
        close = [q for q in entries if q.split("-")[0] == qid.split("-")[0]]
        raise QuestionError(f"unknown question {qid!r}; questions of that lesson: {', '.join(close) or 'none'}")
    return entries[qid]


def checked_question(qid: str) -> dict:
    entry = question(qid)
    if entry["kind"] not in KINDS:
        raise QuestionError(f"question {qid!r} is an {entry['kind']} question: it has a model answer, not a check")
    return entry


def solution_code(qid: str) -> str:
    """The answer cell's solution in the instructors' notebook: the entry's code, or the answer itself."""
    entry = checked_question(qid)
    answer = entry["answer"]
    value = json.dumps(answer, ensure_ascii=False) if isinstance(answer, str) else repr(answer)
    return entry.get("solution") or f"answer_{qid.split('-q')[1]} = {value}"


def check(qid: str, answer: object) -> Feedback:
    """Feedback on ``answer`` to question ``qid``; never raises for any answer."""
    entry = checked_question(qid)
    if _is_blank(answer):
        return Feedback("blank", NOT_ANSWERED)
    value = _as_kind(entry, answer)
    if value is None:
        return Feedback("invalid", _expected(entry))
    if _matches(entry, value):
        return Feedback("right", f"Right. {entry['why']}")
    return Feedback("wrong", f"Not quite. {entry['hint']}")


def _is_blank(answer: object) -> bool:
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and answer.strip() in ("", "..."))


def _as_kind(entry: dict, answer: object):
    """The answer as the question's kind of value, or None when it is not of that kind."""
    kind = entry["kind"]
    if kind in ("number", "year"):
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            return None
        if isinstance(answer, int):  # a whole number, possibly too large for a float: then surely wrong
            return float(answer) if abs(answer) < 10**300 else math.inf
        if not math.isfinite(answer) or (kind == "year" and answer != int(answer)):
            return None
        return answer
    if not isinstance(answer, str):
        return None
    if kind == "choice":
        letter = answer.strip().upper().rstrip(").")
        return letter if letter in entry["options"] else None
    return normalize(answer)


def _matches(entry: dict, value) -> bool:
    kind = entry["kind"]
    if kind == "number":
        return abs(value - float(entry["answer"])) <= float(entry.get("tolerance", 0))
    if kind == "year":
        return value == float(entry["answer"])
    if kind == "choice":
        return value == entry["answer"]
    return value in {normalize(a) for a in [entry["answer"], *entry.get("also", [])]}


def _expected(entry: dict) -> str:
    unit = f" ({entry['unit']})" if entry.get("unit") else ""
    return EXPECTED[entry["kind"]].format(unit=unit, letters=", ".join(entry.get("options", {})))


def normalize(text: str) -> str:
    """Case, accents, punctuation and spacing do not matter in a short text answer; letters of any
    script are kept. The static book's quiz.js applies the same rule, and both are tested against
    tests/normalization-cases.json."""
    text = unicodedata.normalize("NFKD", text).lower()
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").replace("ß", "ss")
    return re.sub(r"[\W_]+", " ", text).strip()


# --- the static book ---------------------------------------------------------------------------


class Quiz:
    """A question as the static book shows it: a form that ``quiz.js`` checks in the browser, and the
    answer with its reason in a closed ``<details>``. The book's Sphinx extension puts one after every
    ``check("id", ...)`` cell of an exercise page."""

    BLANK = {"choice": "Choose one of the options first, then press Check.",
             "default": "Type your answer first, then press Check."}

    def __init__(self, qid: str):
        self.qid, self.entry = qid, checked_question(qid)

    def spec(self) -> dict:
        entry = self.entry
        accepted = [normalize(a) for a in [entry["answer"], *entry.get("also", [])]] if entry["kind"] == "text" else None
        return {"kind": entry["kind"], "answer": entry["answer"] if accepted is None else accepted,
                "tolerance": entry.get("tolerance", 0), "options": list(entry.get("options", {})),
                "right": f"Right. {entry['why']}", "wrong": f"Not quite. {entry['hint']}",
                "blank": self.BLANK.get(entry["kind"], self.BLANK["default"]), "invalid": _expected(entry)}

    def answer_text(self) -> str:
        entry = self.entry
        if entry["kind"] == "choice":
            return f"{entry['answer']}) {entry['options'][entry['answer']]}"
        return f"{entry['answer']}{' ' + entry['unit'] if entry.get('unit') else ''}"

    def _repr_html_(self) -> str:
        qid, entry = escape(self.qid), self.entry
        if entry["kind"] == "choice":
            field = "".join(
                f'<label class="quiz-option"><input type="radio" name="{qid}" value="{escape(letter)}"> '
                f'{escape(letter)}) {escape(str(text))}</label>' for letter, text in entry["options"].items())
            field = f'<fieldset><legend>Your answer</legend>{field}</fieldset>'
        else:
            field = (f'<label for="{qid}-input">Your answer</label> '
                     f'<input id="{qid}-input" name="{qid}" type="text" autocomplete="off">')
        spec = escape(json.dumps(self.spec()), quote=True)
        return (f'<form class="quiz" data-question="{qid}" data-spec="{spec}">'
                f'<p class="quiz-title">Check your answer here (no kernel needed)</p>{field} '
                f'<button type="submit">Check</button>'
                f'<p class="feedback" role="status" aria-live="polite"></p></form>'
                f'<details class="quiz-solution"><summary>Show the answer</summary>'
                f'<p><strong>{escape(self.answer_text())}</strong>. {escape(entry["why"])}</p></details>')
