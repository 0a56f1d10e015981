"""Works actions that do several steps at once: each is all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from polis.search.models import WorkChange, WorkDoc
from polis.tags.models import Tag
from polis.works.actions import (
    ChapterInput,
    WorkInput,
    chapter_add,
    chapter_update,
    work_create,
    work_unpost,
    work_update,
)
from polis.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


def _data(**fields) -> WorkInput:
    return WorkInput(
        title=fields.pop("title", "Tides"),
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=fields.pop("fandoms", ["Original Work"]),
        **fields,
    )


def _create(writer, *, more, post=True, **fields) -> Work:
    return work_create(
        actor=writer,
        pseuds=[writer.pseuds.get()],
        data=_data(**fields),
        chapter=ChapterInput(text="<p>One.</p>"),
        more_chapters=more,
        post=post,
    )


def test_a_work_is_created_with_all_its_chapters_posted_together(writer):
    work = _create(
        writer,
        more=[ChapterInput(text="<p>Two.</p>", title="Second"), ChapterInput(text="<p>3</p>")],
    )

    work.refresh_from_db()
    assert (work.posted, work.chapter_count, work.word_count) == (True, 3, 3)
    assert list(work.chapters.values_list("position", "title", "posted")) == [
        (1, "", True),
        (2, "Second", True),
        (3, "", True),
    ]
    assert WorkDoc.objects.get(work=work).chapter_count == 3


def test_a_backdated_work_keeps_its_date_for_every_chapter(writer):
    day = timezone.localdate() - datetime.timedelta(days=30)

    work = _create(writer, more=[ChapterInput(text="<p>Two.</p>")], published_at=day)

    work.refresh_from_db()
    assert set(work.chapters.values_list("published_at", flat=True)) == {day}
    assert work.revised_at.date() == day


def test_a_draft_is_created_with_its_chapters_as_drafts(writer):
    work = _create(writer, more=[ChapterInput(text="<p>Two.</p>")], post=False)

    assert list(work.chapters.values_list("posted", flat=True)) == [False, False]
    assert (work.posted, work.chapter_count) == (False, 2)


def test_a_refused_later_chapter_leaves_nothing_saved(writer):
    works, tags, chapters = Work.objects.count(), Tag.objects.count(), Chapter.objects.count()
    changes = WorkChange.objects.count()

    with pytest.raises(ValidationError) as refused:
        _create(
            writer,
            more=[ChapterInput(text="<p>Two.</p>"), ChapterInput(text="<script>x()</script>")],
            freeforms=["Brand New Tag"],
        )

    assert refused.value.message_dict == {"chapters[2].text": ["The text cannot be blank."]}
    assert (Work.objects.count(), Tag.objects.count(), Chapter.objects.count()) == (
        works,
        tags,
        chapters,
    )
    assert WorkChange.objects.count() == changes


def test_work_update_replaces_the_only_chapters_text_keeping_its_preface(writer, make_work):
    work = make_work(writer, title="Tides")
    chapter = work.chapters.get()
    chapter_update(
        actor=writer, chapter=chapter, data=ChapterInput(text="<p>Old.</p>", title="Ebb")
    )

    work_update(
        actor=writer,
        work=work,
        data=_data(title="Tides Again"),
        text=ChapterInput(text="<p>New words here now.</p>"),
    )

    chapter.refresh_from_db()
    work.refresh_from_db()
    assert (chapter.title, chapter.content) == ("Ebb", "<p>New words here now.</p>")
    assert (work.title, work.word_count) == ("Tides Again", 4)


def test_a_refused_text_leaves_the_work_unchanged(writer, make_work):
    work = make_work(writer, title="Tides", text="<p>Kept text.</p>")

    with pytest.raises(ValidationError) as refused:
        work_update(
            actor=writer,
            work=work,
            data=_data(title="Renamed", freeforms=["Brand New Tag"]),
            text=ChapterInput(text="<script>x()</script>"),
        )

    assert refused.value.message_dict == {"text": ["The text cannot be blank."]}
    work = Work.objects.get(pk=work.pk)
    assert work.title == "Tides"
    assert work.chapters.get().content == "<p>Kept text.</p>"
    assert not Tag.objects.filter(name="Brand New Tag").exists()


def test_work_update_with_text_refuses_a_work_of_several_chapters(writer, make_work):
    work = make_work(writer, title="Tides", chapters=2)

    with pytest.raises(ValidationError) as refused:
        work_update(
            actor=writer, work=work, data=_data(title="Renamed"), text=ChapterInput(text="x")
        )

    assert list(refused.value.message_dict) == ["text"]
    assert Work.objects.get(pk=work.pk).title == "Tides"


def test_work_update_can_post_a_draft_in_the_same_step(writer, make_work):
    draft = make_work(writer, title="Tides", post=False)

    work_update(actor=writer, work=draft, data=_data(title="Tides, Posted"), post=True)

    draft.refresh_from_db()
    assert (draft.title, draft.posted, draft.chapters.get().posted) == ("Tides, Posted", True, True)
    assert WorkDoc.objects.filter(work=draft).exists()


def test_a_refused_chapter_post_undoes_the_chapter_edit(writer, make_work):
    draft = make_work(writer, title="Tides", post=False)
    chapter = chapter_add(actor=writer, work=draft, data=ChapterInput(text="<p>Two.</p>"))

    with pytest.raises(ValidationError) as refused:
        chapter_update(
            actor=writer, chapter=chapter, data=ChapterInput(text="<p>Changed.</p>"), post=True
        )

    assert refused.value.messages == ["Post the work before posting its chapters."]
    chapter.refresh_from_db()
    assert (chapter.content, chapter.posted) == ("<p>Two.</p>", False)


def test_unposting_makes_a_draft_again_and_leaves_the_index(writer, make_work):
    work = make_work(writer, title="Tides", chapters=2)

    work_unpost(actor=writer, work=work)

    work.refresh_from_db()
    assert (work.posted, work.chapter_count) == (False, 2)
    assert list(work.chapters.values_list("posted", flat=True)) == [True, True]
    assert not WorkDoc.objects.filter(work=work).exists()
