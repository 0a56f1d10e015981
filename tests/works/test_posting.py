"""Posting a work through /works/new: preview, drafts, tags, co-creators, dates, edit, delete."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polis.tags.models import Tag, TagType
from polis.works.models import Chapter, Creatorship, Tagging, Work
from tests.works.support import (
    listed_work_ids,
    parse,
    work_form_data,
)

pytestmark = pytest.mark.django_db

NEW = reverse("works:new")


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


def _only_work() -> Work:
    return Work.objects.get()


def _tag_names(work: Work, tag_type: str) -> list[str]:
    return sorted(
        Tagging.objects.filter(work=work, tag__type=tag_type).values_list("tag__name", flat=True)
    )


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Work, Chapter, Tag, Tagging, Creatorship)
    }


# ---------------------------------------------------------------- the form


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
        "preview",
        "save_draft",
        "post",
    ]


def test_new_work_form_needs_a_login(client):
    response = client.get(NEW)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={NEW}"


# ---------------------------------------------------------------- the three buttons


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


def test_unknown_tags_are_created_unwrangled_with_the_type_of_their_field(writer_client, writer):
    writer_client.post(
        NEW,
        work_form_data(
            writer,
            post="1",
            fandoms="Brand New Fandom",
            relationships="A/B",
            characters="Some Character",
            freeforms="Fluff",
        ),
    )

    created = {
        tag.name: (tag.type, tag.canonical, tag.merger_id)
        for tag in Tag.objects.filter(
            name__in=["Brand New Fandom", "A/B", "Some Character", "Fluff"]
        )
    }
    assert created == {
        "Brand New Fandom": (TagType.FANDOM, False, None),
        "A/B": (TagType.RELATIONSHIP, False, None),
        "Some Character": (TagType.CHARACTER, False, None),
        "Fluff": (TagType.FREEFORM, False, None),
    }


def test_tags_are_matched_without_regard_to_case(writer_client, writer, make_work):
    earlier = make_work(relationships=["Clarke Griffin/Lexa"], fandoms=["The 100 (TV)"])
    existing = Tag.objects.get(name="Clarke Griffin/Lexa")
    tags_before = Tag.objects.count()

    writer_client.post(
        NEW,
        work_form_data(
            writer, post="1", relationships="clarke griffin/lexa", fandoms="THE 100 (tv)"
        ),
    )

    work = Work.objects.exclude(pk=earlier.pk).get()
    assert Tag.objects.count() == tags_before
    assert work.tags.get(type=TagType.RELATIONSHIP) == existing
    assert _tag_names(work, TagType.FANDOM) == ["The 100 (TV)"]
    page = parse(writer_client.get(work.get_absolute_url()))
    assert page.texts("dd.relationship.tags a.tag") == ["Clarke Griffin/Lexa"]


def test_a_name_used_by_another_tag_type_is_refused_and_nothing_is_saved(
    writer_client, writer, make_work
):
    make_work(characters=["Lexa"])
    before = _counts()
    data = work_form_data(
        writer,
        post="1",
        title="Conflicted",
        fandoms="A Fandom Nobody Used Before",
        relationships="New/Pairing",
        freeforms="lexa, Fluff",
    )

    response = writer_client.post(NEW, data)

    assert response.status_code == 200
    assert _counts() == before
    assert not Tag.objects.filter(name="A Fandom Nobody Used Before").exists()
    page = parse(response)
    assert page.texts("div#error li") == [
        "Additional Tags: “Lexa” is already in the archive as a Character tag. "
        "Tag names are unique; try adding more information, e.g. the fandom."
    ]
    assert page.select_one("input[name=title]").get("value") == "Conflicted"
    assert page.select_one("input[name=freeforms]").get("value") == "lexa, Fluff"
    assert page.select_one("input[name=fandoms]").get("value") == "A Fandom Nobody Used Before"


def test_fixed_tag_names_cannot_be_reused_as_user_tags(writer_client, writer):
    before = _counts()

    response = writer_client.post(NEW, work_form_data(writer, post="1", freeforms="Gen"))

    assert response.status_code == 200
    assert _counts() == before
    assert "“Gen” is already in the archive as a Category tag." in parse(response).text


# ---------------------------------------------------------------- co-creators


@pytest.fixture
def invited_work(writer_client, writer, make_user):
    cowriter = make_user("cowriter")
    writer_client.post(
        NEW, work_form_data(writer, post="1", title="Together", co_creators="cowriter")
    )
    return _only_work(), cowriter


def _byline(client, work) -> list[tuple[str, str]]:
    page = parse(client.get(work.get_absolute_url()))
    return [(a.text, a.get("href")) for a in page.select("h3.byline a[rel=author]")]


def test_invited_co_creator_is_not_credited_before_accepting(client, invited_work):
    work, cowriter = invited_work

    assert list(work.creatorships.values_list("pseud__name", "accepted")) == [
        ("writer", True),
        ("cowriter", False),
    ]
    assert _byline(client, work) == [("writer", "/users/writer/pseuds/writer")]
    client.force_login(cowriter)
    assert (
        "You have been invited to be a co-creator of this work."
        in parse(client.get(work.get_absolute_url())).text
    )
    assert client.get(reverse("works:edit", kwargs={"work_id": work.pk})).status_code == 404


def test_accepting_an_invitation_adds_the_co_creator_to_the_byline(client, invited_work):
    work, cowriter = invited_work
    client.force_login(cowriter)

    response = client.post(
        reverse("works:creatorship", kwargs={"work_id": work.pk}), {"decision": "accept"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:creatorships", kwargs={"username": "cowriter"})
    assert _byline(client, work) == [
        ("writer", "/users/writer/pseuds/writer"),
        ("cowriter", "/users/cowriter/pseuds/cowriter"),
    ]
    assert client.get(reverse("works:edit", kwargs={"work_id": work.pk})).status_code == 200
    user_works = client.get(reverse("accounts:user_works", kwargs={"username": "cowriter"}))
    assert listed_work_ids(user_works) == [work.pk]


def test_declining_an_invitation_removes_it(client, invited_work):
    work, cowriter = invited_work
    client.force_login(cowriter)

    response = client.post(
        reverse("works:creatorship", kwargs={"work_id": work.pk}), {"decision": "decline"}
    )

    assert response.status_code == 302
    assert list(work.creatorships.values_list("pseud__name", "accepted")) == [("writer", True)]
    assert _byline(client, work) == [("writer", "/users/writer/pseuds/writer")]
    assert client.get(reverse("works:edit", kwargs={"work_id": work.pk})).status_code == 404


@pytest.mark.parametrize("who", ["stranger", "writer"])
def test_only_the_invited_user_can_answer_an_invitation(
    client, invited_work, writer, make_user, who
):
    work, _ = invited_work
    client.force_login(make_user("stranger") if who == "stranger" else writer)

    response = client.post(
        reverse("works:creatorship", kwargs={"work_id": work.pk}), {"decision": "accept"}
    )

    assert response.status_code == 404
    assert list(work.creatorships.values_list("pseud__name", "accepted")) == [
        ("writer", True),
        ("cowriter", False),
    ]


@pytest.mark.parametrize("data", [{}, {"decision": ""}, {"decision": "maybe"}])
def test_an_unclear_answer_to_an_invitation_changes_nothing(client, invited_work, data):
    work, cowriter = invited_work
    client.force_login(cowriter)

    response = client.post(reverse("works:creatorship", kwargs={"work_id": work.pk}), data)

    assert response.status_code == 400
    assert list(work.creatorships.values_list("pseud__name", "accepted")) == [
        ("writer", True),
        ("cowriter", False),
    ]


def test_co_creator_can_be_named_by_pseud_and_username(writer_client, writer, make_user):
    cowriter = make_user("cowriter")
    cowriter.pseuds.create(name="Nightjar")

    writer_client.post(NEW, work_form_data(writer, post="1", co_creators="Nightjar (cowriter)"))

    assert list(_only_work().creatorships.values_list("pseud__name", "accepted")) == [
        ("writer", True),
        ("Nightjar", False),
    ]


def test_unknown_co_creator_is_refused_with_the_typed_names_kept(writer_client, writer):
    response = writer_client.post(
        NEW, work_form_data(writer, post="1", co_creators="nobody, also nobody")
    )

    assert response.status_code == 200
    assert Work.objects.count() == 0
    page = parse(response)
    assert page.texts("div#error li") == [
        "Add co-creators: We couldn't find these users or pseuds: nobody, also nobody"
    ]
    assert page.select_one("input[name=co_creators]").get("value") == "nobody, also nobody"


# ---------------------------------------------------------------- dates


def test_backdated_work_shows_its_publication_date(writer_client, writer):
    writer_client.post(NEW, work_form_data(writer, post="1", published_at="2019-03-04"))

    work = _only_work()
    assert work.published_at == datetime.date(2019, 3, 4)
    assert work.chapters.get().published_at == datetime.date(2019, 3, 4)
    page = parse(writer_client.get(work.get_absolute_url()))
    assert page.select_one("dl.stats dd.published").text == "2019-03-04"


def test_a_backdated_work_is_listed_by_its_publication_date(writer_client, writer, make_work):
    recent = make_work(title="Recent")
    writer_client.post(
        NEW, work_form_data(writer, post="1", title="Old", published_at="2019-03-04")
    )
    old = Work.objects.get(title="Old")

    listing = parse(writer_client.get(reverse("works:index")))

    assert listed_work_ids(writer_client.get(reverse("works:index"))) == [recent.pk, old.pk]
    assert listing.select_one(f"li#work_{old.pk} p.datetime").text == "04 Mar 2019"


def test_a_publication_date_in_the_future_is_refused(writer_client, writer):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = writer_client.post(NEW, work_form_data(writer, post="1", published_at=tomorrow))

    assert response.status_code == 200
    assert Work.objects.count() == 0
    page = parse(response)
    assert page.texts("div#error li") == [
        "Publication date: The publication date cannot be in the future."
    ]
    assert page.select_one("input[name=published_at]").get("value") == tomorrow


def test_complete_on_a_new_work_shows_one_of_one(writer_client, writer):
    writer_client.post(NEW, work_form_data(writer, post="1", complete="on"))

    work = _only_work()
    assert (work.complete, work.chapter_total_display) == (True, "1/1")


def test_complete_with_more_chapters_expected_is_contradictory(writer_client, writer):
    response = writer_client.post(
        NEW, work_form_data(writer, post="1", complete="on", expected_chapters="3")
    )

    assert response.status_code == 200
    assert Work.objects.count() == 0
    assert parse(response).texts("div#error li") == [
        "Chapters expected: A complete work posted now has one chapter; leave this empty or "
        "uncheck “complete”."
    ]


# ---------------------------------------------------------------- edit and delete


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
    assert [b.get("name") for b in form.select("form#work-form button")] == ["update"]

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
    assert page.select_one("h2.title.heading").text == "New Title"
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
    assert page.select_one("main h2.heading").text == "Are you sure you want to delete “Doomed”?"
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
