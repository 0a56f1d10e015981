"""Writes that cannot go wrong quietly, on the web: a double-clicked Post makes one work, a
save from a stale form is refused with both versions shown and nothing overwritten."""

import dataclasses

import pytest
from django.urls import reverse

from polis.works.actions import ChapterInput, WorkInput, chapter_update, work_update
from polis.works.models import Chapter, PostingToken, Work
from tests.works.posting_support import NEW
from tests.works.support import chapter_form_data, parse, work_form_data

pytestmark = pytest.mark.django_db


def _token(response) -> str:
    return parse(response).select_one("input[name=form_token]").get("value")


def _version(response) -> str:
    return parse(response).select_one("input[name=form_version]").get("value")


def test_posting_form_sent_twice_makes_one_work(writer_client, writer):
    token = _token(writer_client.get(NEW))
    assert len(token) >= 32
    data = work_form_data(writer, post="1", form_token=token)

    first = writer_client.post(NEW, data)
    second = writer_client.post(NEW, data)

    work = Work.objects.get()
    assert work.posted is True
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/works/{work.pk}"
    assert work.chapters.count() == 1
    assert list(PostingToken.objects.values_list("key", "work_id")) == [(token, work.pk)]


def test_each_shown_posting_form_has_its_own_token(writer_client, writer):
    one, two = _token(writer_client.get(NEW)), _token(writer_client.get(NEW))
    assert one != two
    writer_client.post(NEW, work_form_data(writer, post="1", form_token=one, title="One"))
    writer_client.post(NEW, work_form_data(writer, post="1", form_token=two, title="Two"))
    assert sorted(Work.objects.values_list("title", flat=True)) == ["One", "Two"]


def test_a_refused_post_keeps_its_token_free_for_the_corrected_form(writer_client, writer):
    token = _token(writer_client.get(NEW))
    refused = writer_client.post(NEW, work_form_data(writer, post="1", form_token=token, text=""))
    assert refused.status_code == 200
    assert _token(refused) == token  # the re-shown form still carries it
    assert Work.objects.count() == 0 and PostingToken.objects.count() == 0

    writer_client.post(NEW, work_form_data(writer, post="1", form_token=token))
    writer_client.post(NEW, work_form_data(writer, post="1", form_token=token))
    assert Work.objects.count() == 1


def test_the_same_token_from_another_user_is_another_post(client, writer, make_user):
    other = make_user("other")
    client.force_login(writer)
    client.post(NEW, work_form_data(writer, post="1", form_token="shared-token-1"))
    client.force_login(other)
    client.post(NEW, work_form_data(other, post="1", form_token="shared-token-1"))
    assert Work.objects.count() == 2


def test_add_chapter_form_sent_twice_adds_one_chapter(writer_client, writer, make_work):
    work = make_work(writer)
    url = reverse("works:chapter_new", kwargs={"work_id": work.pk})
    token = _token(writer_client.get(url))
    data = chapter_form_data(post="1", form_token=token, chapter_title="Two")

    first = writer_client.post(url, data)
    second = writer_client.post(url, data)

    chapters = list(work.chapters.order_by("position").values_list("title", flat=True))
    assert chapters == ["", "Two"]
    added = work.chapters.get(title="Two")
    assert first["Location"] == second["Location"] == added.get_absolute_url()
    assert Work.objects.get(pk=work.pk).chapter_count == 2


def _rows(page) -> list[list[str]]:
    """The comparison table: field, what is saved now, what was typed."""
    return [
        [row.select_one("th").text.strip()] + [cell.text.strip() for cell in row.select("td")]
        for row in page.select("#stale tbody tr")
    ]


def _edit_input(work: Work, **changes) -> WorkInput:
    return dataclasses.replace(WorkInput.of(work), **changes)


def test_a_stale_work_edit_is_refused_and_shows_both_versions(writer_client, writer, make_work):
    work = make_work(writer, title="First Title", text="<p>Old text.</p>")
    url = reverse("works:edit", kwargs={"work_id": work.pk})
    opened = writer_client.get(url)
    version = _version(opened)
    # Meanwhile, from another open form (or the API), the work is saved with a new title.
    work_update(
        actor=writer, work=Work.objects.get(pk=work.pk), data=_edit_input(work, title="Their Title")
    )

    response = writer_client.post(
        url,
        work_form_data(
            writer,
            update="1",
            form_version=version,
            title="My Title",
            text="<p>My new text.</p>",
            published_at=work.published_at.isoformat(),
        ),
    )

    assert response.status_code == 200
    saved = Work.objects.get(pk=work.pk)
    assert saved.title == "Their Title"
    assert saved.chapters.get().source == "<p>Old text.</p>"
    page = parse(response)
    assert "changed while you were editing" in page.select_one("#stale h3").text
    rows = _rows(page)
    assert rows == [
        ["Work Text", "<p>Old text.</p>", "<p>My new text.</p>"],
        ["Work Title", "Their Title", "My Title"],
    ]
    assert "nothing was saved" in page.select_one("#error").text
    # The writer's input is kept in the form, now on the saved version.
    assert page.select_one("input[name=title]").get("value") == "My Title"
    assert page.select_one("textarea[name=text]").text == "<p>My new text.</p>"
    assert _version(response) == saved.updated_at.isoformat() != version

    # Saving again (having seen both) is a choice, and it saves.
    again = writer_client.post(
        url,
        work_form_data(
            writer, update="1", form_version=_version(response), title="My Title",
            text="<p>My new text.</p>",
        ),
    )  # fmt: skip
    assert again.status_code == 302
    assert Work.objects.get(pk=work.pk).title == "My Title"


def test_an_edit_on_the_current_version_saves(writer_client, writer, make_work):
    work = make_work(writer, title="First Title")
    url = reverse("works:edit", kwargs={"work_id": work.pk})
    version = _version(writer_client.get(url))
    response = writer_client.post(
        url, work_form_data(writer, update="1", form_version=version, title="Second")
    )
    assert response.status_code == 302
    assert Work.objects.get(pk=work.pk).title == "Second"


def test_a_stale_chapter_edit_is_refused_and_shows_both_versions(writer_client, writer, make_work):
    work = make_work(writer, chapters=2)
    chapter = work.chapters.get(position=2)
    url = reverse("works:chapter_edit", kwargs={"work_id": work.pk, "chapter_id": chapter.pk})
    version = _version(writer_client.get(url))
    chapter_update(
        actor=writer,
        chapter=Chapter.objects.get(pk=chapter.pk),
        data=ChapterInput(text="<p>Theirs.</p>", title="Their Chapter"),
    )

    response = writer_client.post(
        url,
        chapter_form_data(
            update="1", form_version=version, chapter_title="Mine", text="<p>Mine.</p>"
        ),
    )

    assert response.status_code == 200
    saved = Chapter.objects.get(pk=chapter.pk)
    assert (saved.title, saved.source) == ("Their Chapter", "<p>Theirs.</p>")
    page = parse(response)
    rows = _rows(page)
    assert rows == [
        ["Chapter Title", "Their Chapter", "Mine"],
        ["Chapter Text", "<p>Theirs.</p>", "<p>Mine.</p>"],
    ]
    assert page.select_one("input[name=chapter_title]").get("value") == "Mine"
    assert page.select_one("textarea[name=text]").text == "<p>Mine.</p>"


def test_work_create_refuses_more_chapters_than_the_setting(writer, settings):
    from django.core.exceptions import ValidationError

    from polis.works.actions import work_create

    settings.POLIS_MAX_CHAPTERS_PER_POST = 2
    with pytest.raises(ValidationError) as refused:
        work_create(
            actor=writer,
            pseuds=[writer.pseuds.get(is_default=True)],
            data=WorkInput(
                title="Too Long",
                rating="General Audiences",
                warnings=["No Archive Warnings Apply"],
                fandoms=["Original Work"],
            ),
            chapter=ChapterInput(text="<p>1</p>"),
            more_chapters=[ChapterInput(text="<p>2</p>"), ChapterInput(text="<p>3</p>")],
            post=True,
        )
    assert refused.value.message_dict == {
        "chapters": [
            "You sent 3 chapters; one post can have at most 2. "
            "Post the first ones, then add the rest."
        ]
    }
    assert Work.objects.count() == 0
