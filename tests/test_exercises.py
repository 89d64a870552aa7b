"""Exercises: feedback that teaches and never crashes, nbgrader's student version, checks in the book."""

from __future__ import annotations

import math
import re

import jupytext
import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbclient import NotebookClient

from buber_course import feedback, student, text
from buber_course.paths import ROOT

QUESTIONS = feedback.questions()
NOTEBOOKS = sorted((ROOT / "exercises").glob("lesson-*.md"))
CHAPTER = text.chapter()


def wrong_answer(entry: dict):
    """A well-formed answer of the question's kind that is not the right one."""
    kind, answer = entry["kind"], entry["answer"]
    if kind == "number":
        return float(answer) + 100
    if kind == "year":
        return int(answer) + 1
    if kind == "choice":
        return next(letter for letter in entry["options"] if letter != answer)
    return "Nobody at all"


# --- the question bank ------------------------------------------------------------------------


@pytest.mark.parametrize("qid", QUESTIONS)
def test_each_question_stands_on_its_page_and_gives_teaching_feedback(qid):
    entry = QUESTIONS[qid]
    assert entry["evidence"] in CHAPTER.page_text(entry["page"]), f"evidence not on p. {entry['page']}"
    assert feedback.check(qid, entry["answer"]).right
    blank = feedback.check(qid, None)
    assert blank.status == "blank" and "Not answered yet" in blank.message
    wrong = feedback.check(qid, wrong_answer(entry))
    assert wrong.status == "wrong" and entry["hint"] in wrong.message
    assert re.search(r"\bp\. \d{2,3}\b|paragraph \d+", entry["hint"]), "a hint points back to a page of the text"


def test_worked_examples():
    assert feedback.check("l1-q1", "  friedrich ENGELS ").right  # case and spacing do not matter
    assert feedback.check("l1-q2", 1918).right and feedback.check("l1-q2", 1918.0).right
    assert feedback.check("l1-q2", 1917).status == "wrong"
    assert feedback.check("l1-q2", "1918").status == "invalid"  # a year is a number, not text
    assert "whole number" in feedback.check("l1-q2", 1917.5).message
    assert feedback.check("l1-q3", "b").right and feedback.check("l1-q3", "B)").right
    assert "one of the letters A, B, C, D" in feedback.check("l1-q3", "E").message
    assert feedback.check("l8-q1", 89.5).right and feedback.check("l8-q1", 85).status == "wrong"
    assert feedback.check("l5-q1", 240000).right and feedback.check("l5-q1", 240_001).status == "wrong"
    assert feedback.check("l8-q2", "dizzy with success!").right


@settings(max_examples=300, deadline=None)
@given(qid=st.sampled_from(sorted(QUESTIONS)), answer=st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.lists(st.integers()), st.dictionaries(st.text(), st.integers()),
    st.just(Ellipsis), st.just("<script>alert(1)</script> & friends"), st.just(10**400),
))
def test_check_never_crashes_and_says_what_is_expected(qid, answer):
    result = feedback.check(qid, answer)
    assert result.status in {"blank", "invalid", "wrong", "right"} and result.message
    if result.status == "invalid":
        assert result.message.startswith("This question expects")
    html = result._repr_html_()
    assert "<script>" not in html and 'role="status"' in html


def test_huge_and_nan_numbers_are_named_as_not_a_number():
    assert feedback.check("l5-q1", math.nan).status == "invalid"
    assert feedback.check("l5-q1", math.inf).status == "invalid"
    assert feedback.check("l5-q1", 10**400).status == "wrong"  # a number, just not the right one


def test_unknown_question_and_malformed_entries_are_named(tmp_path):
    with pytest.raises(feedback.QuestionError, match=r"unknown question 'l1-q9'; questions of that lesson: l1-q1"):
        feedback.check("l1-q9", "x")
    bad = tmp_path / "questions.yml"
    bad.write_text("l9-q1:\n  kind: essay\n  answer: x\n")
    with pytest.raises(feedback.QuestionError, match=r"question 'l9-q1': 'kind' must be one of"):
        feedback.questions(bad)
    bad.write_text("l9-q1:\n  kind: choice\n  options: {A: x}\n  answer: B\n  hint: h\n  why: w\n")
    with pytest.raises(feedback.QuestionError, match=r"question 'l9-q1': the answer 'B' is not one of its options"):
        feedback.questions(bad)
    bad.write_text("l9-q1:\n  kind: text\n  why: a: b: c\n")
    with pytest.raises(feedback.QuestionError, match=r"questions.yml line 3: not valid YAML"):
        feedback.questions(bad)


# --- the notebooks ----------------------------------------------------------------------------


def answer_cells(notebook):
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.cell_type == "code" and grade_id.endswith("-answer"):
            yield grade_id.removesuffix("-answer"), cell


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_solutions_agree_with_the_question_bank(path):
    notebook = jupytext.read(path)
    namespace, asked = {}, []
    answers = {cell.source: qid for qid, cell in answer_cells(notebook)}
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        exec(cell.source, namespace)  # the instructor's notebook, in order: placeholders, then solutions
        if cell.source in answers:
            qid = answers[cell.source]
            value = namespace[re.search(r"^(answer_\d+) =", cell.source, re.M)[1]]
            assert feedback.check(qid, value).right, qid
            asked.append(qid)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for qid in (q for q in asked if QUESTIONS[q]["kind"] == "choice"):
        for letter, option in QUESTIONS[qid]["options"].items():
            assert f"{letter}) {option}" in markdown, f"{qid}: option {letter} differs from questions.yml"
    assert asked == [q for q in QUESTIONS if q.startswith(path.stem.replace("lesson-", "l") + "-")]
    assert any(c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "markdown" for c in notebook.cells)


@pytest.fixture(scope="module")
def student_notebooks(tmp_path_factory):
    return student.make_student_version(tmp_path_factory.mktemp("student"))


def test_student_version_has_no_solution_text(student_notebooks):
    assert [p.stem for p in student_notebooks] == [p.stem for p in NOTEBOOKS]
    for path in student_notebooks:
        source = path.read_text()
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "model-answer", ".right"):
            assert marker not in source, f"{path.name}: {marker}"
        instructor = jupytext.read(ROOT / "exercises" / f"{path.stem}.md")
        for qid, cell in answer_cells(instructor):
            solution = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0].strip()
            assert solution not in source, f"{path.name}: the solution of {qid}"


def test_student_version_runs_as_a_learner_first_opens_it(student_notebooks):
    for path in student_notebooks:
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
        checks = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith("check(")]
        assert checks
        for cell in checks:
            shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            assert "Not answered yet" in shown, f"{path.name}: {shown!r}"
            assert not any(o.output_type == "error" for o in cell.outputs)


# --- the static book --------------------------------------------------------------------------


def test_every_exercise_page_has_a_checker_per_question_and_collapsed_solutions(html_dir):
    from bs4 import BeautifulSoup

    for path in NOTEBOOKS:
        page = BeautifulSoup((html_dir / "exercises" / f"{path.stem}.html").read_text(), "html.parser")
        forms = [f["data-question"] for f in page.select("form.quiz")]
        assert forms == [q for q in QUESTIONS if q.startswith(path.stem.replace("lesson-", "l") + "-")]
        assert "### BEGIN HIDDEN TESTS" not in page.get_text()
        for answer in page.select("details.hide.above-input"):
            assert "open" not in answer.attrs
        assert page.select("details.model-answer") and not page.select("details.model-answer[open]")
