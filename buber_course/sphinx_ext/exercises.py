"""Exercise pages in the static book: a checker form for every answer cell.

In Jupyter a learner writes an answer in a cell whose nbgrader ``grade_id`` is ``<question>-answer``
and runs the ``check("<question>", ...)`` cell after it. The book has no kernel: there the check
cell is removed, the answer cell (holding the solution) is collapsed, and this extension puts the
same question after it as a form that ``quiz.js`` checks in the browser.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

from .. import feedback

logger = logging.getLogger(__name__)
ANSWER_SUFFIX = "-answer"
QUIZ_CLASS = "quiz-form"  # marks the page as one that needs quiz.js (see assets)


def add_quiz_forms(app, doctree, docname):
    for cell in list(doctree.findall(nodes.container)):
        grade_id = (cell.get("cell_metadata") or {}).get("nbgrader", {}).get("grade_id", "")
        if not grade_id.endswith(ANSWER_SUFFIX):
            continue
        try:
            form = feedback.Quiz(grade_id.removesuffix(ANSWER_SUFFIX))._repr_html_()
        except feedback.QuestionError as error:
            logger.warning(str(error), location=cell)  # the strict build turns this into a failure
            continue
        cell.parent.insert(cell.parent.index(cell) + 1, nodes.raw("", form, format="html", classes=[QUIZ_CLASS]))


def setup(app):
    app.connect("doctree-resolved", add_quiz_forms)
