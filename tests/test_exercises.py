"""Exercises: feedback that teaches and never crashes, nbgrader's student version, checks in the book."""

from __future__ import annotations

import json
import math
import re

import jupytext
import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbclient import NotebookClient

from buber_course import exercise_notebooks, feedback, text
from buber_course.paths import ROOT

QUESTIONS = {qid: entry for qid, entry in feedback.questions().items() if entry["kind"] in feedback.KINDS}
NOTEBOOKS = sorted((ROOT / "exercises").glob("lesson-*.md"))
LESSONS = exercise_notebooks.lesson_numbers()
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



@pytest.mark.parametrize("qid", QUESTIONS)
def test_each_question_asks_about_a_page_its_lesson_reads(qid):
    number = int(qid.split("-")[0][1:])
    first, last = exercise_notebooks.lesson(number)["pages"]
    assert first <= QUESTIONS[qid]["page"] <= last, f"p. {QUESTIONS[qid]['page']} is outside lesson {number} (pp. {first}-{last})"

def test_worked_examples():
    # the answers, tolerances and options are those of exercises/questions.yml
    assert feedback.check("l1-q1", "  friedrich ENGELS ").right  # case and spacing do not matter
    year = QUESTIONS["l1-q2"]["answer"]
    assert feedback.check("l1-q2", year).right and feedback.check("l1-q2", float(year)).right
    assert feedback.check("l1-q2", year - 1).status == "wrong"
    assert feedback.check("l1-q2", str(year)).status == "invalid"  # a year is a number, not text
    assert "whole number" in feedback.check("l1-q2", year - 0.5).message
    letter, options = QUESTIONS["l1-q3"]["answer"], QUESTIONS["l1-q3"]["options"]
    assert feedback.check("l1-q3", letter.lower()).right and feedback.check("l1-q3", f"{letter})").right
    unknown = chr(ord(max(options)) + 1)  # the letter after the last option
    assert f"one of the letters {', '.join(options)}" in feedback.check("l1-q3", unknown).message
    share, tolerance = QUESTIONS["l8-q1"]["answer"], QUESTIONS["l8-q1"]["tolerance"]
    assert tolerance > 0 and feedback.check("l8-q1", share - tolerance / 2).right  # within the tolerance
    assert feedback.check("l8-q1", share - 5 * tolerance).status == "wrong"
    members = QUESTIONS["l5-q1"]["answer"]
    assert not QUESTIONS["l5-q1"].get("tolerance")  # a count: only the exact number is right
    assert feedback.check("l5-q1", members).right and feedback.check("l5-q1", members + 1).status == "wrong"
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
    bad.write_text("l9-q1:\n  kind: choice\n  prompt: p\n  options: {A: x}\n  answer: B\n  hint: h\n  why: w\n")
    with pytest.raises(feedback.QuestionError, match=r"question 'l9-q1': the answer 'B' is not one of its options"):
        feedback.questions(bad)
    bad.write_text("l9-q1:\n  kind: open\n  prompt: What?\n")
    with pytest.raises(feedback.QuestionError, match=r"question 'l9-q1': missing 'model'"):
        feedback.questions(bad)
    bad.write_text("l9-x:\n  kind: open\n  prompt: What?\n  model: M\n")
    with pytest.raises(feedback.QuestionError, match=r"question 'l9-x': an id is l<lesson>-q<number>"):
        feedback.questions(bad)
    bad.write_text("l9-q1:\n  kind: text\n  why: a: b: c\n")
    with pytest.raises(feedback.QuestionError, match=r"questions.yml line 3: not valid YAML"):
        feedback.questions(bad)


# --- the notebooks ----------------------------------------------------------------------------


def lesson_questions(number: int, kinds=feedback.KINDS) -> list[str]:
    return [q for q, e in feedback.questions().items() if q.startswith(f"l{number}-") and e["kind"] in kinds]


def test_the_learners_notebooks_in_git_are_what_questions_yml_makes():
    assert [p.stem for p in NOTEBOOKS] == [f"lesson-{n}" for n in LESSONS]
    for number in LESSONS:
        path = ROOT / "exercises" / f"lesson-{number}.md"
        assert path.read_text(encoding="utf-8") == exercise_notebooks.learners_text(number), \
            f"{path.name} differs from what questions.yml makes: run `make exercises`"


@pytest.mark.parametrize("number", LESSONS)
def test_the_instructors_solutions_pass_their_hidden_tests(number):
    notebook = exercise_notebooks.notebook(number, instructor=True)
    namespace = {}
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        exec(cell.source, namespace)  # in order: placeholders, solutions, then each hidden test's assert
    checked = [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
               if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    assert checked == lesson_questions(number)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for qid in lesson_questions(number, ("choice",)):
        for letter, option in QUESTIONS[qid]["options"].items():
            assert f"{letter}) {option}" in markdown, f"{qid}: option {letter} is not asked"
    for qid in lesson_questions(number, ("open",)):
        assert feedback.question(qid)["model"].strip() in markdown  # the model answer, for nbgrader's graders


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_learners_notebook_holds_no_solution_hidden_test_or_model_answer(path):
    source = path.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "model-answer", ".right"):
        assert marker not in source, f"{path.name}: {marker}"
    number = int(path.stem.split("-")[1])
    for qid in lesson_questions(number):
        if "solution" in QUESTIONS[qid]:
            assert QUESTIONS[qid]["solution"].strip() not in source, f"{path.name}: the solution of {qid}"
        assert not re.search(rf"^{exercise_notebooks.answer_name(qid)} = (?!None)", source, re.M), qid
    for qid in lesson_questions(number, ("open", "chart")):
        entry = feedback.question(qid)
        assert (entry.get("model") or entry["solution"]).strip()[:60] not in source, f"{path.name}: {qid}"


@pytest.fixture(scope="module")
def instructor_course(tmp_path_factory):
    return exercise_notebooks.write_instructors_course(tmp_path_factory.mktemp("course"))


def test_nbgrader_releases_exactly_the_learners_version(instructor_course):
    for number in LESSONS:
        name = f"lesson-{number}"
        released = nbformat.read(instructor_course / "release" / name / f"{name}.ipynb", as_version=4)
        learners = jupytext.read(ROOT / "exercises" / f"{name}.md")
        assert [(c.cell_type, c.source.strip()) for c in released.cells] == \
               [(c.cell_type, c.source.strip()) for c in learners.cells], name


def run(notebook) -> None:
    NotebookClient(notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()


def shown_feedback(notebook) -> list[str]:
    checks = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith("check(")]
    assert checks and not any(o.output_type == "error" for c in checks for o in c.outputs)
    return ["".join(o.get("data", {}).get("text/plain", "") for o in c.outputs) for c in checks]


@pytest.mark.book  # runs a kernel
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_learners_notebook_prints_its_feedback_when_run(path):
    notebook = jupytext.read(path)
    run(notebook)
    assert all("Not answered yet" in shown for shown in shown_feedback(notebook)), path.name
    for cell in notebook.cells:  # a learner who answers every question rightly
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id.endswith("-answer"):
            cell.source = feedback.solution_code(grade_id.removesuffix("-answer"))
    run(notebook)
    assert all(shown.count("Right.") == 1 for shown in shown_feedback(notebook)), path.name


# --- the static book --------------------------------------------------------------------------


def test_every_exercise_page_has_a_checker_per_question_and_collapsed_solutions(html_dir):
    from bs4 import BeautifulSoup

    for number in LESSONS:
        page = BeautifulSoup((html_dir / "exercises" / f"lesson-{number}.html").read_text(), "html.parser")
        article = page.select_one("article")
        assert [f["data-question"] for f in page.select("form.quiz")] == lesson_questions(number)
        assert len(page.select("details.quiz-solution")) == len(lesson_questions(number))
        assert not page.select("details.quiz-solution[open], details.model-answer[open]")
        for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "answer_1 = None", exercise_notebooks.TEXT_STUB):
            assert marker not in article.get_text(), f"lesson {number}: {marker!r} shows in the book"
        # the options of a choice question are its radio buttons, not also a list above them
        assert not [li for li in article.select("li") if re.match(r"[A-Z]\) ", li.get_text(strip=True))]
        for qid in lesson_questions(number, ("open",)):
            assert page.select_one(f'form.quiz-open[data-question="{qid}"] textarea')
            assert page.select_one("details.model-answer")
        assert page.select_one("button.quiz-clear")


# --- one normalization rule for the kernel and the static book ------------------------------------

NORMALIZATION_CASES = json.loads((ROOT / "tests" / "normalization-cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("typed", "expected"), NORMALIZATION_CASES)
def test_a_typed_answer_is_normalized_by_the_shared_rule_in_python(typed, expected):
    assert feedback.normalize(typed) == expected


@pytest.mark.book
def test_the_static_books_quiz_script_normalizes_by_the_same_rule(browser):
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><html lang='en'><body></body></html>")
    page.add_script_tag(path=str(ROOT / "buber_course" / "sphinx_ext" / "static" / "quiz.js"))
    got = page.evaluate("(cases) => cases.map(([typed]) => normalize(typed))", NORMALIZATION_CASES)
    page.close()
    assert got == [expected for _, expected in NORMALIZATION_CASES]
