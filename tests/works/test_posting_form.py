"""Post New Work at /works/new: the form, and its three buttons (preview, draft, post)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polis.tags.models import TagType
from tests.works.posting_support import NEW, _only_work, _tag_names
from tests.works.support import (
    listed_work_ids,
    parse,
    work_form_data,
)

pytestmark = pytest.mark.django_db


def test_new_work_form_uses_ao3_labels(writer_client):
    response = writer_client.get(NEW)

    assert response.status_code == 200
    page = parse(response)
    labels = {node.text.rstrip(" *") for node in page.select("form#work-form label")}
    legends = {node.text.rstrip(" *") for node in page.select("form#work-form legend")}
    for label in [
        "Fandoms",
        "Relationships",
        "Characters",
        "Additional Tags",
        "Work Title",
        "Summary",
        "Notes",
        "Notes at the end",
        "Language",
        "Work Text",
        "Rating",
        "Only show your work to registered users",
        "This work is complete",
        "Chapters expected",
        "Publication date",
        "Add co-creators",
    ]:
        assert label in labels, label
    assert {"Archive Warnings", "Category", "Creator/Pseud(s)"} <= legends
    assert [b.get("name") for b in page.select("form#work-form button")] == [
        "suggest_tags",
        "preview",
        "save_draft",
        "post",
    ]


def test_new_work_form_needs_a_login(client):
    response = client.get(NEW)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={NEW}"


def test_preview_saves_a_draft_and_shows_it_then_post_makes_it_public(writer_client, writer):
    response = writer_client.post(NEW, work_form_data(writer, preview="1"))

    work = _only_work()
    assert response.status_code == 302
    assert response["Location"] == reverse("works:preview", kwargs={"work_id": work.pk})
    assert work.posted is False
    assert work.chapter_count == 1  # the chapter that posting will publish
    assert work.chapters.get().posted is False

    preview = writer_client.get(response["Location"])
    assert preview.status_code == 200
    page = parse(preview)
    assert page.select_one("h2.title.heading").text == "The Lighthouse"
    assert "This is a draft: nobody else can see it until you post it." in page.text
    assert page.select_one("div.userstuff.module p").text == "The lamp turned all night."
    assert listed_work_ids(writer_client.get(reverse("works:index"))) == []

    posted = writer_client.post(reverse("works:post", kwargs={"work_id": work.pk}))

    assert posted.status_code == 302
    assert posted["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.posted is True
    assert work.published_at == timezone.localdate()
    assert work.chapter_count == 1
    assert work.word_count == 5
    assert work.chapters.get().posted is True
    assert listed_work_ids(Client().get(reverse("works:index"))) == [work.pk]


def test_save_draft_keeps_the_work_hidden_and_says_so(writer_client, writer):
    response = writer_client.post(NEW, work_form_data(writer, save_draft="1"), follow=True)

    work = _only_work()
    assert response.redirect_chain == [(reverse("works:preview", kwargs={"work_id": work.pk}), 302)]
    assert "Draft was successfully created." in parse(response).select_one("ul.flash").text
    assert work.posted is False
    assert work.published_at is None
    assert Client().get(work.get_absolute_url()).status_code == 404


def test_post_directly_stores_every_field(writer_client, writer):
    data = work_form_data(
        writer,
        post="1",
        rating="Mature",
        warnings=["Graphic Depictions Of Violence", "Major Character Death"],
        fandoms="The 100 (TV), Original Work",
        categories=["F/F", "Gen"],
        relationships="Clarke Griffin/Lexa, Clarke Griffin & Raven Reyes",
        characters="Clarke Griffin, Lexa",
        freeforms="Angst, Hurt/Comfort",
        title="  Heda  ",
        summary="<p>A <em>commander</em> falls.</p>",
        notes="Thanks to my beta.",
        end_notes="Comments welcome.",
        language="de",
        restricted="on",
        expected_chapters="3",
        text_format="text",
        text="First paragraph.\n\nSecond paragraph.",
    )

    response = writer_client.post(NEW, data, follow=True)

    work = _only_work()
    assert response.redirect_chain == [(work.get_absolute_url(), 302)]
    assert "Work was successfully posted." in parse(response).select_one("ul.flash").text
    assert work.title == "Heda"
    assert work.rating == "Mature"
    assert work.summary == "<p>A <em>commander</em> falls.</p>"
    assert work.notes == "<p>Thanks to my beta.</p>"
    assert work.end_notes == "<p>Comments welcome.</p>"
    assert work.language == "de"
    assert work.restricted is True
    assert work.posted is True
    assert work.complete is False
    assert work.expected_chapters == 3
    assert work.chapter_total_display == "1/3"
    assert work.word_count == 4
    chapter = work.chapters.get()
    assert chapter.text_format == "text"
    assert chapter.source == "First paragraph.\n\nSecond paragraph."
    assert chapter.content == "<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    assert _tag_names(work, TagType.RATING) == ["Mature"]
    assert _tag_names(work, TagType.WARNING) == [
        "Graphic Depictions Of Violence",
        "Major Character Death",
    ]
    assert _tag_names(work, TagType.CATEGORY) == ["F/F", "Gen"]
    assert _tag_names(work, TagType.FANDOM) == ["Original Work", "The 100 (TV)"]
    assert _tag_names(work, TagType.RELATIONSHIP) == [
        "Clarke Griffin & Raven Reyes",
        "Clarke Griffin/Lexa",
    ]
    assert _tag_names(work, TagType.CHARACTER) == ["Clarke Griffin", "Lexa"]
    assert _tag_names(work, TagType.FREEFORM) == ["Angst", "Hurt/Comfort"]
    assert list(work.creatorships.values_list("pseud__name", "accepted")) == [("writer", True)]
