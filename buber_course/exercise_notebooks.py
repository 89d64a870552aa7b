"""The exercise notebooks, made from ``exercises/questions.yml``, the one place a question is written.

Two versions of each lesson's notebook come from the same entries:

- the **learners' version**, ``exercises/lesson-N.md`` (kept in git): what the book shows, what the
  launch button opens on Binder or a JupyterHub and what the download buttons give. Each answer cell
  holds ``None``; each check cell prints its feedback when run. It holds no solution, no hidden test
  and no model answer. ``make exercises`` writes it again after a change to ``questions.yml``, and a
  test fails while the file in git differs from what this module makes.
- the **instructors' version** (``make instructor``): an nbgrader course folder in
  ``exercises/instructor/`` whose ``source/`` notebooks carry the solutions, the hidden tests that
  award the points and the model answers, and whose ``release/`` is nbgrader's own student version,
  made by ``nbgrader generate_assignment`` (a test checks that it equals the learners' version).

The lesson's title and the chapter's paragraphs and pages it covers are read from the lesson page.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import jupytext
import nbformat

from . import feedback, text
from .paths import BOOK, ROOT

EXERCISES = ROOT / "exercises"
INSTRUCTOR = EXERCISES / "instructor"
OPEN_HEADING = "Open question"
CHART_HEADING = "Make a chart"
TEXT_STUB = "Write your answer here."  # what nbgrader leaves in an open question's answer cell
CODE_STUB = ""  # nbgrader's replacement for a solution: the learners' cell keeps its "None" line only
NBGRADER_CONFIG = f"""c = get_config()
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
c.ClearSolutions.text_stub = {TEXT_STUB!r}
"""
HOW_TO_WORK = """**How to work.** In Jupyter, on Binder or on a JupyterHub, write your answer in place of `None` in
each answer cell, then run the cell below it: the feedback says whether the answer is right, gives a
hint that points back to the text if it is not, or says "not answered yet". In the web book you can
check each answer in the box under the question instead, and your answers are kept in your browser.
Open questions have a model answer to open after you have tried (in the web book). A Binder session
is lost when you close it: download the notebook with your answers (File, Download) to keep them."""
JUPYTEXT = {"notebook_metadata_filter": "myst,-jupytext.text_representation.jupytext_version",
            "text_representation": {"extension": ".md", "format_name": "myst", "format_version": 0.13}}
LANGUAGE = {"name": "python", "pygments_lexer": "ipython3"}
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


# --- what a lesson page says about itself -------------------------------------------------------


def lesson_numbers() -> list[int]:
    return sorted({int(qid.split("-")[0][1:]) for qid in feedback.questions()})


def lesson(number: int) -> dict:
    """The lesson's title and the paragraphs and pages of the chapter it shows, from its page."""
    page = BOOK / "lessons" / f"lesson-{number}.md"
    source = page.read_text(encoding="utf-8")
    title = re.search(rf"^# Lesson {number}: (.+)$", source, re.M)
    ranges = [text.paragraph_range(spec) for spec in re.findall(r"^```\{chapter-text\} ([\d-]+)", source, re.M)]
    if not title or not ranges:
        raise feedback.QuestionError(f"{page.relative_to(ROOT)}: no '# Lesson {number}: ...' title or no chapter-text")
    chapter = text.chapter()
    first, last = ranges[0][0], ranges[-1][-1]
    pages = (chapter.paragraph(first).page, max(chapter.paragraph(last).pages))
    return {"number": number, "title": title[1], "paragraphs": (first, last), "pages": pages}


def entries(number: int) -> list[tuple[str, dict]]:
    """The lesson's questions in the order of ``questions.yml``."""
    return [(qid, entry) for qid, entry in feedback.questions().items() if qid.startswith(f"l{number}-")]


# --- the notebooks -----------------------------------------------------------------------------


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: int | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
            "task": False}
    return meta | ({"points": points} if points is not None else {})


def answer_name(qid: str) -> str:
    return f"answer_{qid.split('-q')[1]}"


def _question_cells(qid: str, entry: dict, heading: str, instructor: bool) -> list:
    options = "".join(f"\n- {letter}) {option}" for letter, option in entry.get("options", {}).items())
    cells = [nbformat.v4.new_markdown_cell(f"## {heading}\n\n{entry['prompt'].strip()}\n{options}".rstrip())]
    if entry.get("setup"):
        cells.append(nbformat.v4.new_code_cell(entry["setup"].strip()))
    name = answer_name(qid)
    answer = f"{name} = None  # {feedback.PLACEHOLDER[entry['kind']]}"
    if instructor:
        answer += f"\n### BEGIN SOLUTION\n{feedback.solution_code(qid).strip()}\n### END SOLUTION"
    cells.append(nbformat.v4.new_code_cell(answer, metadata={
        "tags": ["remove-cell"], "nbgrader": _nbgrader(f"{qid}-answer", grade=False, solution=True, locked=False)}))
    check = f'check("{qid}", {name})'
    if instructor:
        check = f"### BEGIN HIDDEN TESTS\nassert {check}.right\n### END HIDDEN TESTS\n{check}"
    cells.append(nbformat.v4.new_code_cell(check, metadata={  # in the book, the form replaces its output
        "tags": ["remove-input"],
        "nbgrader": _nbgrader(qid, grade=True, solution=False, locked=True, points=1)}))
    return cells


def _chart_cells(qid: str, entry: dict, instructor: bool) -> list:
    code = entry["stub"].strip()
    if instructor:
        code += f"\n### BEGIN SOLUTION\n{entry['solution'].strip()}\n### END SOLUTION"
    return [nbformat.v4.new_markdown_cell(f"## {CHART_HEADING}\n\n{entry['prompt'].strip()}"),
            nbformat.v4.new_code_cell(code, metadata={
                "tags": ["remove-input"],
                "nbgrader": _nbgrader(qid, grade=False, solution=True, locked=False)})]


def _open_cells(qid: str, entry: dict, instructor: bool) -> list:
    answer = entry["model"].strip() if instructor else TEXT_STUB
    return [nbformat.v4.new_markdown_cell(f"## {OPEN_HEADING}\n\n{entry['prompt'].strip()}"),
            nbformat.v4.new_markdown_cell(answer, metadata={
                "nbgrader": _nbgrader(qid, grade=True, solution=True, locked=False, points=2)})]


def notebook(number: int, instructor: bool = False) -> nbformat.NotebookNode:
    """Lesson ``number``'s exercise notebook: the learners' version, or the instructors' for nbgrader."""
    info = lesson(number)
    (first, last), (start, end) = info["paragraphs"], info["pages"]
    description = (f"Exercises for lesson {number} of the course on Buber's chapter on Lenin ({info['title']}, "
                   f"pp. {start}-{end}), with instant feedback and model answers.")
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# Exercises for lesson {number}: {info['title']}\n\n"
            f"These exercises go with [lesson {number}](../book/lessons/lesson-{number}.md), on Buber's text on "
            f"[pp. {start}-{end}](../book/reading.md#page-{start}) (paragraphs {first}-{last}).\n\n{HOW_TO_WORK}"),
        nbformat.v4.new_code_cell("from buber_course.feedback import check", metadata={"tags": ["remove-cell"]}),
    ]
    asked = 0
    for qid, entry in entries(number):
        if entry["kind"] == "open":
            cells += _open_cells(qid, entry, instructor)
        elif entry["kind"] == "chart":
            cells += _chart_cells(qid, entry, instructor)
        else:
            asked += 1
            cells += _question_cells(qid, entry, f"Question {asked}" + (" (data)" if entry.get("setup") else ""),
                                     instructor)
    metadata = {"jupytext": JUPYTEXT, "kernelspec": KERNEL, "language_info": LANGUAGE,
                "myst": {"html_meta": {"description lang=en": description}}}
    return nbformat.v4.new_notebook(cells=cells, metadata=metadata)


def learners_text(number: int) -> str:
    """The learners' notebook as the MyST text file kept in ``exercises/``."""
    return jupytext.writes(notebook(number), fmt="md:myst")


def write_learners_notebooks() -> list[Path]:
    written = []
    for number in lesson_numbers():
        path = EXERCISES / f"lesson-{number}.md"
        path.write_text(learners_text(number), encoding="utf-8")
        written.append(path)
    return written


def write_instructors_course(destination: Path = INSTRUCTOR) -> Path:
    """An nbgrader course folder: ``source/`` with the solutions, ``release/`` made by nbgrader."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    (destination / "nbgrader_config.py").write_text(NBGRADER_CONFIG, encoding="utf-8")  # for nbgrader's own commands
    config = Config()
    config.CourseDirectory.root = str(destination)
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    config.ClearSolutions.text_stub = TEXT_STUB
    bin_dir = str(Path(sys.executable).parent)  # nbgrader's gradebook calls alembic from this environment
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    api = NbGraderAPI(config=config)
    for number in lesson_numbers():
        name = f"lesson-{number}"
        (destination / "source" / name).mkdir(parents=True)
        nbformat.write(notebook(number, instructor=True), destination / "source" / name / f"{name}.ipynb")
        result = api.generate_assignment(name, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not release {name}:\n{result['log'][-3000:]}")
    return destination


def main(argv: list[str]) -> int:
    if argv[1:] == ["--instructor"]:
        print(f"wrote {write_instructors_course().relative_to(ROOT)}/ (source/ with solutions, release/ by nbgrader)")
    else:
        for path in write_learners_notebooks():
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
