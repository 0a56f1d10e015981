"""Deeply nested markup: refused when saved, and never able to break a PDF or EPUB build.

A chapter of 10,000 nested `<div>`s used to be accepted; every PDF request then died in
WeasyPrint, which recurses once per level, with a RecursionError.
"""

import pytest
from django.core.exceptions import ValidationError

from polis.core.sanitizer import MAX_NESTING_DEPTH, TOO_DEEP, nesting_depth
from polis.downloads.epub import write_epub
from polis.downloads.pdf import render_pdf_document
from polis.downloads.preface import book_for
from polis.works.actions import ChapterInput, chapter_add
from polis.works.models import Chapter
from tests.downloads.support import add_chapters, epub_zip

pytestmark = pytest.mark.django_db


def _nested(depth: int, tag: str = "div") -> str:
    return f"<{tag}>" * depth + "The bottom." + f"</{tag}>" * depth


def _lists(levels: int) -> str:
    return "<ul><li>" * levels + "The bottom." + "</li></ul>" * levels


def _tables(levels: int) -> str:
    return "<table><tbody><tr><td>" * levels + "The bottom." + "</td></tr></tbody></table>" * levels


def test_a_chapter_nested_10000_deep_is_refused_on_its_text(make_work):
    work = make_work()
    creator = work.creatorships.get().pseud.user

    with pytest.raises(ValidationError) as refused:
        chapter_add(actor=creator, work=work, data=ChapterInput(text=_nested(10_000)), post=True)

    assert refused.value.message_dict == {"text": [TOO_DEEP]}
    assert work.chapters.count() == 1


def test_markup_as_deep_as_allowed_builds_a_pdf_and_an_epub(make_work):
    work = add_chapters(
        make_work(text=_nested(MAX_NESTING_DEPTH)),
        [
            ChapterInput(text=_nested(MAX_NESTING_DEPTH, "blockquote")),
            ChapterInput(text=_lists(MAX_NESTING_DEPTH // 2)),
            ChapterInput(text=_tables(MAX_NESTING_DEPTH // 4)),
        ],
    )
    assert [nesting_depth(c.content) for c in work.chapters.order_by("position")] == [100] * 4

    document = render_pdf_document(book_for(work))
    epub = epub_zip(write_epub(book_for(work)))

    assert len(document.pages) >= 4
    assert document.write_pdf().startswith(b"%PDF-")
    for number in range(1, 5):
        page = epub.read(f"EPUB/text/chapter-{number:03d}.xhtml").decode()
        assert "The bottom." in page


def test_deeper_markup_saved_before_the_limit_still_builds_keeping_its_text(make_work):
    work = make_work()
    # Chapters saved before the sanitizer refused deep markup may hold any depth.
    Chapter.objects.filter(work=work).update(content=_nested(10_000))

    document = render_pdf_document(book_for(work))
    page = epub_zip(write_epub(book_for(work))).read("EPUB/text/chapter-001.xhtml").decode()

    assert document.write_pdf().startswith(b"%PDF-")
    assert "The bottom." in page
    body = page[page.index("<body") : page.index("</body>")]
    assert nesting_depth(body) <= MAX_NESTING_DEPTH + 5  # the page's own wrappers
