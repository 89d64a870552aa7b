"""The lessons: the chapter's paragraphs each shown once, in order, with commentary between them."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from buber_course.paths import ROOT

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
LESSONS = [c["file"] for part in TOC.get("parts", []) for c in part["chapters"]
           if re.fullmatch(r"book/lessons/lesson-\d+", c["file"])]
WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")


def lesson_page(html_dir, lesson) -> BeautifulSoup:
    return BeautifulSoup((html_dir / f"{lesson}.html").read_text(encoding="utf-8"), "html.parser").select_one("article")


def shown_paragraphs(article) -> list[list[int]]:
    """The paragraph numbers of each text block, in page order."""
    return [[int(a["href"].rsplit("#p-", 1)[1]) for a in block.select("a.paragraph-number")]
            for block in article.select("div.chapter-text-excerpt")]


def section(article, title: str):
    heading = next((h for h in article.find_all(["h2", "h3"]) if h.get_text(strip=True).rstrip("#").startswith(title)), None)
    return heading.find_parent("section") if heading else None


def commentary_words(article) -> int:
    """Words of the lesson's own prose: outside the chapter's text, goals, questions and code cells."""
    article = BeautifulSoup(str(article), "html.parser")
    for skip in [*article.select("div.chapter-text-excerpt"), *article.select("div.cell, script"),
                 section(article, "Learning goals"),
                 section(article, "Discussion questions"), *article.find_all(["h1", "h2", "h3"])]:
        if skip is not None:
            skip.decompose()
    return len(WORDS.findall(article.get_text(" ")))


def test_lessons_show_every_paragraph_once_in_order(html_dir):
    if not LESSONS:
        pytest.skip("no lesson is in _toc.yml yet")
    shown = [n for lesson in LESSONS for block in shown_paragraphs(lesson_page(html_dir, lesson)) for n in block]
    assert shown == list(range(1, len(shown) + 1)), "paragraphs missing, repeated or out of order"
    if len(LESSONS) == 8:
        assert shown == list(range(1, 52))


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_has_goals_text_blocks_with_commentary_questions_and_citations(html_dir, lesson):
    article = lesson_page(html_dir, lesson)
    goals = section(article, "Learning goals")
    assert goals is not None and len(goals.select("li")) >= 3
    questions = section(article, "Discussion questions")
    assert questions is not None and len(questions.select("li")) >= 3
    blocks = article.select("div.chapter-text-excerpt")
    assert blocks and all(1 <= len(b.select("p.chapter-paragraph")) <= 3 for b in blocks)
    for block in blocks:  # commentary follows every text block before the next one starts
        following = block.find_next(lambda tag: tag.name == "p" and not tag.find_parent("div", class_="chapter-text")
                                    or tag.name == "div" and "chapter-text-excerpt" in tag.get("class", []))
        assert following is not None and following.name == "p", f"{lesson}: a text block without commentary after it"
    assert 1800 <= commentary_words(article) <= 3500, commentary_words(article)
    links = [a.get("href", "") for a in article.find_all("a")]
    assert any(h.startswith("../bibliography.html#") for h in links), "no citation"
    assert any(h.startswith("../glossary.html#term-") for h in links), "no glossary term"
    assert any(h.startswith("../people.html#") for h in links), "no person"
