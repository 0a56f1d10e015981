"""Editing and deleting a posted work through its forms."""

import pytest
from django.urls import reverse
from django.utils import timezone

from polis.tags.models import Tag, TagType
from polis.works.models import Chapter, Creatorship, Tagging, Work
from tests.works.posting_support import _tag_names
from tests.works.support import (
    parse,
    work_form_data,
)

pytestmark = pytest.mark.django_db


def test_editing_a_work_changes_its_fields_tags_and_text(writer_client, writer, make_work):
    work = make_work(
        writer,
        title="Old Title",
        fandoms=["Original Work"],
        freeforms=["Angst", "Fluff"],
        text="<p>Old text.</p>",
    )
    url = reverse("works:edit", kwargs={"work_id": work.pk})

    form = parse(writer_client.get(url))
    assert form.select_one("input[name=title]").get("value") == "Old Title"
    assert form.select_one("input[name=freeforms]").get("value") == "Angst, Fluff"
    assert form.select_one("textarea[name=text]").text == "<p>Old text.</p>"
    assert [b.get("name") for b in form.select("form#work-form button")] == [
        "suggest_tags",
        "update",
    ]

    response = writer_client.post(
        url,
        work_form_data(
            writer,
            update="1",
            title="New Title",
            freeforms="Fluff, Hurt/Comfort",
            text="<p>New text, longer now.</p>",
            published_at=work.published_at.isoformat(),
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.title == "New Title"
    assert _tag_names(work, TagType.FREEFORM) == ["Fluff", "Hurt/Comfort"]
    assert work.chapters.get().content == "<p>New text, longer now.</p>"
    assert work.word_count == 4
    page = parse(writer_client.get(work.get_absolute_url()))
    assert page.select_one("h1.title.heading").text == "New Title"
    assert page.texts("dd.freeform.tags a.tag") == ["Fluff", "Hurt/Comfort"]


def test_editing_a_draft_and_pressing_post_publishes_it(writer_client, writer, make_work):
    work = make_work(writer, title="Draft", post=False)

    response = writer_client.post(
        reverse("works:edit", kwargs={"work_id": work.pk}),
        work_form_data(writer, post="1", title="Finished Draft"),
    )

    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert (work.title, work.posted, work.chapter_count) == ("Finished Draft", True, 1)
    assert work.published_at == timezone.localdate()


def test_delete_asks_for_confirmation_then_deletes(writer_client, writer, make_work):
    work = make_work(writer, title="Doomed", freeforms=["Angst"], chapters=2)
    url = reverse("works:delete", kwargs={"work_id": work.pk})

    confirm = writer_client.get(url)

    assert confirm.status_code == 200
    page = parse(confirm)
    assert page.select_one("main h1.heading").text == "Are you sure you want to delete “Doomed”?"
    assert page.select_one("main form[method=post] button").text == "Yes, Delete Work"
    assert Work.objects.filter(pk=work.pk).exists()

    response = writer_client.post(url, follow=True)

    assert response.redirect_chain == [
        (reverse("accounts:user_works", kwargs={"username": "writer"}), 302)
    ]
    assert "Your work Doomed was deleted." in parse(response).select_one("ul.flash").text
    assert not Work.objects.filter(pk=work.pk).exists()
    assert Chapter.objects.filter(work_id=work.pk).count() == 0
    assert Tagging.objects.filter(work_id=work.pk).count() == 0
    assert Creatorship.objects.filter(work_id=work.pk).count() == 0
    assert Tag.objects.filter(name="Angst").exists()
    assert writer_client.get(work.get_absolute_url()).status_code == 404


def test_editing_a_one_chapter_work_keeps_the_chapter_preface(writer_client, writer, make_work):
    work = make_work(writer, text="<p>Old text.</p>")
    chapter = work.chapters.get()
    writer_client.post(
        reverse("works:chapter_edit", kwargs={"work_id": work.pk, "chapter_id": chapter.pk}),
        {
            "chapter_title": "Prologue",
            "chapter_summary": "Before it all.",
            "chapter_notes": "Chapter notes.",
            "chapter_end_notes": "Chapter end notes.",
            "text_format": "html",
            "text": "<p>Old text.</p>",
            "update": "1",
        },
    )

    writer_client.post(
        reverse("works:edit", kwargs={"work_id": work.pk}),
        work_form_data(writer, update="1", text="<p>New text.</p>", published_at=work.published_at),
    )

    chapter.refresh_from_db()
    assert chapter.content == "<p>New text.</p>"
    assert (chapter.title, chapter.summary, chapter.notes, chapter.end_notes) == (
        "Prologue",
        "<p>Before it all.</p>",
        "<p>Chapter notes.</p>",
        "<p>Chapter end notes.</p>",
    )
