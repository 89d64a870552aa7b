"""The lessons: the chapter's paragraphs each shown once, in order, with commentary between them."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup

from buber_course import tables
from buber_course.paths import ROOT

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
LESSONS = [c["file"] for part in TOC.get("parts", []) for c in part["chapters"]
           if re.fullmatch(r"book/lessons/lesson-\d+", c["file"])]
SYLLABUS_LESSONS = {row["lesson"] for row in tables.load("syllabus").rows if row["lesson"] is not None}
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
    if len(LESSONS) == len(SYLLABUS_LESSONS):  # every lesson the syllabus plans is written: the whole chapter
        assert shown == [p.number for p in CHAPTER.paragraphs]


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


# --- what the commentary quotes from the chapter ------------------------------------------------

from buber_course import text  # noqa: E402

CHAPTER = text.chapter()
COMMENTARY = sorted((ROOT / "book" / "lessons").glob("*.md"))
QUOTED = re.compile(r'"([^"\n]{3,300}?)"')
PAGE_REF = re.compile(r"\b(pp?)\.\s*(\d{2,3})(?:\s*[-–]\s*(\d{2,3}))?((?:,\s*\d{2,3})*)")
BUBER_SAYS = re.compile(r"\bBuber\b(?: \w+){0,3}? (?:writes|calls|says|speaks of|asks|puts it|uses|names|adds|concludes|grants|"
                        r"insists|describes|quotes|speaks|has)\b[^.;!?]{0,40}$")


def prose_sentences(path):
    """The commentary's sentences (outside code cells, directives and front matter), with their line
    numbers and whether they cite a source: ``(line, sentence, cites)``."""
    source = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    source = re.sub(r"```\{?[\w-]*\}?.*?```", lambda m: "\n" * m[0].count("\n"), source, flags=re.S)
    for number, line in enumerate(source.split("\n"), start=1):
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", line):
            cites = "{cite" in sentence
            sentence = re.sub(r"\{cite:[pt]\}`[^`]*`|\{(?:term|compare)\}`([^`<]*)(?:<[^`]*>)?`", lambda m: m[1] or "", sentence)
            yield number, re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", sentence), cites  # links as their text


def cited_pages(sentence: str) -> list[tuple[int, list[list[int]]]]:
    """Each page reference of a sentence, ``(position, pages)``: "p. 113" is ``[[113]]``, "pp. 111-114"
    ``[[111, 112, 113, 114]]`` (the words stand somewhere in it), "pp. 113, 114" ``[[113], [114]]``
    (on each page)."""
    found = []
    for match in PAGE_REF.finditer(sentence):
        _, first, last, more = match.groups()
        pages = [list(range(int(first), int(last) + 1))] if last else [[int(p)] for p in [first, *re.findall(r"\d{2,3}", more)]]
        if all(text.FIRST_PAGE <= p <= text.LAST_PAGE for group in pages for p in group):
            found.append((match.start(), pages))
    return found


def nearest(refs, position: int):
    """The page reference a quotation belongs to: the first after it, else the last before it."""
    after = [pages for start, pages in refs if start > position]
    before = [pages for start, pages in refs if start <= position]
    return after[0] if after else (before[-1] if before else None)


def words(s: str) -> str:
    return " ".join(re.sub(r"[^\w']+", " ", s.replace("--", " ")).lower().split())


def on_pages(phrase: str, pages: list[int]) -> bool:
    """On these pages, or running on across the break to the next one."""
    joined = words(" ".join(CHAPTER.page_text(p) for p in range(pages[0], min(pages[-1] + 1, text.LAST_PAGE) + 1)))
    return words(phrase) in joined


ANYWHERE = words(" ".join(p.text for p in CHAPTER.paragraphs))


def title_case(phrase: str) -> bool:
    """A title ("On Cooperation"), not a quotation."""
    return all(w[0].isupper() for w in phrase.split() if len(w) > 3)


def misquotations(path) -> list[str]:
    """Phrases of the chapter quoted with a page that does not hold them, and phrases the commentary
    gives as Buber's ("Buber calls it ...") that the chapter does not hold."""
    wrong = []
    for line, sentence, cites in prose_sentences(path):
        refs = cited_pages(sentence)
        for match in QUOTED.finditer(sentence):
            parts = [p for p in re.split(r"\s*\.\.\.\s*|\s*\[\.\.\.\]\s*", match[1]) if p]
            pages = nearest(refs, match.end())
            if title_case(match[1]) or (len(words(match[1]).split()) < 2 and pages is None):
                continue  # a title, or a term quoted without a page: not a quotation
            in_chapter = all(words(p) in ANYWHERE for p in parts)
            if in_chapter and pages is not None:
                missing = [group for group in pages if not all(on_pages(p, group) for p in parts)]
                if missing:
                    shown = ", ".join(f"{g[0]}" + (f"-{g[-1]}" if len(g) > 1 else "") for g in missing)
                    wrong.append(f"{path.name}:{line}: \"{match[1]}\" is not on p. {shown}")
            elif not in_chapter and not cites and BUBER_SAYS.search(sentence[: match.start()]):
                wrong.append(f"{path.name}:{line}: \"{match[1]}\" is given as Buber's but is not in the chapter")
    return wrong


@pytest.mark.parametrize("path", COMMENTARY, ids=lambda p: p.stem)
def test_what_the_commentary_quotes_from_the_chapter_stands_on_the_page_it_names(path):
    assert misquotations(path) == []


# --- page ranges said elsewhere agree with the lessons --------------------------------------------

from buber_course import exercise_notebooks  # noqa: E402


def test_the_instructors_session_plan_gives_each_lesson_its_own_pages():
    plan = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d) \| \[(\d+)-(\d+)\]\(reading\.md#page-(\d+)\) \|", plan, re.M)
    assert [int(n) for n, *_ in rows] == list(range(1, len(LESSONS) + 1))
    for number, first, last, anchor in rows:
        pages = exercise_notebooks.lesson(int(number))["pages"]
        assert (int(first), int(last)) == pages and int(anchor) == pages[0], f"session {number}"
