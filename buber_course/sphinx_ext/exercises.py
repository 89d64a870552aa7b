"""Exercise pages in the static book: what the learners' notebook needs when no kernel runs.

The page is the learners' notebook (``buber_course.exercise_notebooks``). Its answer cells are
removed from the page and its check cells are empty there; after each check cell this extension
puts the question's form, which ``quiz.js`` checks in the browser, with the answer in a closed
``<details>``. The options of a choice question, which the notebook lists for Jupyter, are the
form's radio buttons here, so the list goes. An open question gets a text box and its model answer;
the chart to make gets the model chart's code. Answers are kept in the browser (``quiz.js``).
"""

from __future__ import annotations

import re
from html import escape

from docutils import nodes
from markdown_it import MarkdownIt
from sphinx.util import logging

from .. import feedback
from ..exercise_notebooks import OPEN_HEADING, TEXT_STUB

logger = logging.getLogger(__name__)
QUIZ_CLASS = "quiz-form"  # marks the page as one that needs quiz.js (see assets)
OPTION = re.compile(r"[A-Z]\) ")
KEEP_NOTE = ('<p class="quiz-storage">Your answers on this page are kept in this browser only. '
             '<button type="button" class="quiz-clear">Clear my answers</button></p>')


def _html(html: str) -> nodes.raw:
    return nodes.raw("", html, format="html", classes=[QUIZ_CLASS])


def _grade_id(node) -> str:
    return (node.get("cell_metadata") or {}).get("nbgrader", {}).get("grade_id", "")


def _drop_option_list(cell) -> None:
    """The notebook's list of options ("- A) ...") before a choice question's cells."""
    for sibling in list(cell.parent.children[: cell.parent.index(cell)]):
        if isinstance(sibling, nodes.bullet_list) and all(OPTION.match(item.astext()) for item in sibling.children):
            sibling.parent.remove(sibling)


def _open_answer(qid: str) -> str:
    entry = feedback.question(qid)
    return (f'<form class="quiz-open" data-question="{escape(qid)}"><label for="{escape(qid)}-text">Your answer</label>'
            f'<textarea id="{escape(qid)}-text" name="{escape(qid)}" rows="6"></textarea></form>'
            f'<details class="model-answer"><summary>Model answer (open it after you have written your own)</summary>'
            f'{MarkdownIt().render(entry["model"])}</details>')


def add_exercise_forms(app, doctree, docname):
    cells = [c for c in doctree.findall(nodes.container) if _grade_id(c)]
    if not cells:
        return
    for cell in cells:
        qid = _grade_id(cell)
        try:
            entry = feedback.question(qid)
        except feedback.QuestionError as error:
            logger.warning(str(error), location=cell)  # the strict build turns this into a failure
            continue
        if entry["kind"] == "chart":
            code = nodes.literal_block(entry["solution"], entry["solution"], language="python")
            cell.parent.insert(cell.parent.index(cell) + 1, [
                _html('<details class="model-answer"><summary>Show the code of a model chart</summary>'),
                code, _html("</details>")])
        elif entry["kind"] in feedback.KINDS:
            if entry["kind"] == "choice":
                _drop_option_list(cell)
            cell.children = [_html(feedback.Quiz(qid)._repr_html_())]  # in place of "Not answered yet"
    lesson = re.search(r"lesson-(\d+)$", docname)
    section = next((s for s in doctree.findall(nodes.section) if s[0].astext() == OPEN_HEADING), None)
    opened = [q for q, e in feedback.questions().items() if e["kind"] == "open" and lesson and q.startswith(f"l{lesson[1]}-")]
    if section is not None and opened:
        stub = next(p for p in section.findall(nodes.paragraph) if p.astext() == TEXT_STUB)
        stub.replace_self(_html(_open_answer(opened[0])))
    intro = next((p for p in doctree.findall(nodes.paragraph) if p.astext().startswith("How to work.")), None)
    if intro is not None:
        intro.parent.insert(intro.parent.index(intro) + 1, _html(KEEP_NOTE))


def setup(app):
    app.connect("doctree-resolved", add_exercise_forms)
