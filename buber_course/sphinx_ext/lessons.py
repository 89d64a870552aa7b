"""What a student or instructor looks for first: where a lesson stands, how long it takes to read,
and the seminar plan.

- Each lesson page opens with "Lesson N of 8" and its reading time, counted from the page itself:
  the words of the chapter text it shows and of the commentary (code and its output left out), at
  ``READING_SPEED`` words a minute.
- ``seminar-plan`` renders the twelve sessions of ``data/syllabus.csv``; a session that reads a lesson
  takes its title, pages, paragraphs and exercises from that lesson (``exercise_notebooks.lesson``).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import reference
from ..exercise_notebooks import lesson, lesson_numbers
from .chapter import _table

READING_SPEED = 200  # words a minute: a common figure for careful reading of argument, stated on the page
LESSON_DOC = re.compile(r"book/lessons/lesson-(\d+)$")
NOT_READ = (nodes.literal_block, nodes.raw, nodes.comment)


def reading_words(doctree) -> int:
    """Words a reader reads on the page: every text node outside code, raw HTML and comments."""
    return sum(len(text.astext().split()) for text in doctree.findall(nodes.Text)
               if not any(isinstance(parent, NOT_READ) for parent in _ancestors(text)))


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def add_lesson_header(app, doctree, docname):
    match = LESSON_DOC.search(docname)
    if not match:
        return
    words = reading_words(doctree)
    minutes = max(1, round(words / READING_SPEED))
    note = nodes.paragraph(classes=["lesson-position"])
    note += nodes.Text(f"Lesson {match[1]} of {len(lesson_numbers())} · about {minutes} minutes of reading "
                       f"({words:,} words at {READING_SPEED} words a minute), then the exercises.")
    title = next(doctree.findall(nodes.title))
    title.parent.insert(title.parent.index(title) + 1, note)


class SeminarPlan(SphinxDirective):
    """The twelve sessions: reading, exercise and written assignment for each."""

    def run(self):
        self.env.note_dependency(str(reference.DATA / "syllabus.csv"))
        try:
            sessions = reference.rows("syllabus")
        except reference.ReferenceDataError as error:
            raise self.error(f"{self.name}: {error}") from None
        rows = [self._row(session) for session in sessions]
        return [_table(["Session", "Reading", "In class", "Written assignment"], rows, ["seminar-plan"])]

    def _row(self, session: dict) -> list[list[nodes.Node]]:
        if session["lesson"]:
            info = lesson(session["lesson"])
            (start, end), (first, last) = info["pages"], info["paragraphs"]
            n = session["lesson"]
            title = f"Lesson {n}: {info['title']}"
            reading = (f"[pp. {start}-{end}](reading.md#page-{start}) (paragraphs {first}-{last}) and "
                       f"[lesson {n}](lessons/lesson-{n}.md)")
            exercise = f"[Exercises for lesson {n}](../exercises/lesson-{n}.md)"
        else:
            title, reading, exercise = session["title"], session["reading"], session["exercise"]
        heading = nodes.strong("", f"{session['session']}. {title}")
        return [([heading], f"session-{session['session']}"), self._markdown(reading), self._markdown(exercise),
                self._markdown(session["assignment"])]

    def _markdown(self, text: str) -> list[nodes.Node]:
        """A cell's Markdown as inline nodes (its one paragraph's children), links checked by the build."""
        parsed = self.parse_text_to_nodes(text)
        return list(parsed[0].children) if len(parsed) == 1 and isinstance(parsed[0], nodes.paragraph) else parsed


def setup(app):
    app.add_directive("seminar-plan", SeminarPlan)
    app.connect("doctree-resolved", add_lesson_header)
