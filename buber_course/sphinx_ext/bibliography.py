"""The bibliography's style: titles as the works spell them, and entries labelled as they are cited.

Each entry is labelled by author and year, with a letter where one author has several works of one
year ("Lenin, 1972a", "Lenin, 1972b"), and citations in the lessons show that same label
(sphinxcontrib-bibtex's ``label`` reference style), so a reader who follows "[Lenin, 1972b]" lands on
the entry that says so, not on "[51]". pybtex's ``plain`` style would also lowercase every title after
its first letter ("Herr eugen dühring's revolution in science"); titles here keep their case.
"""

from __future__ import annotations

import re
from collections import Counter
from string import ascii_lowercase

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field, sentence


def author_year(entry) -> str:
    """"Lenin, 1917", "Marx and Engels, 1848", "Davies et al., 1980": as the lessons cite the entry."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [re.sub(r"[{}]", "", " ".join(person.last_names)) for person in persons]
    who = names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [author_year(entry) for entry in sorted_entries]
        shared, seen = Counter(labels), Counter()
        for label in labels:
            seen[label] += 1
            yield f"{label}{ascii_lowercase[seen[label] - 1]}" if shared[label] > 1 else label


class CourseStyle(PlainStyle):
    default_label_style = "course-author-year"

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)
        return sentence[title] if as_sentence else title


def setup(app):
    register_plugin("pybtex.style.labels", "course-author-year", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "course", CourseStyle)
