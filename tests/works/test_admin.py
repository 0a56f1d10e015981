"""The Django admin writes works through their actions: every listing follows at once."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from polis.engagement.bookmarks import bookmark_create
from polis.engagement.models import Bookmark
from polis.search import accel
from polis.search.models import WorkDoc
from polis.tags.models import Tag
from polis.tags.names import tag_key
from polis.tags.wrangling import tag_set_canonical
from polis.works.models import Chapter, Work
from tests.search.support import facet_counts
from tests.works.support import admin_change_form, listed_work_ids

ATOM = "{http://www.w3.org/2005/Atom}"
FANDOM = "The 100 (TV)"
TAG_WORKS = "/tags/The%20100%20(TV)/works"
TAG_FEED = "/tags/The%20100%20(TV)/feed.atom"
SEARCH = "/works/search?work_search[query]=lighthouse"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["sql", "accelerator"])
def search_engine(request, settings, tmp_path):
    """Listings answered by the SQL backend, and by the accelerator as production runs it
    (which follows the index's change log, not the rows)."""
    settings.POLIS_SEARCH_ACCEL = request.param == "accelerator"
    settings.POLIS_SEARCH_SNAPSHOT_DIR = tmp_path / "search"
    accel.reset()
    yield request.param
    accel.reset()


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user("staffer", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def works(make_user, make_work):
    writer = make_user("writer")
    made = {
        title: make_work(
            writer,
            title=title,
            fandoms=[FANDOM],
            summary=f"<p>A lighthouse story: {title}.</p>",
        )
        for title in ("Kept", "Target")
    }
    tag = Tag.objects.get(key=tag_key(FANDOM))
    tag_set_canonical(actor=make_user("wrangler", is_tag_wrangler=True), tag=tag, canonical=True)
    return made


def _titles(ids: list[int]) -> list[str]:
    names = dict(Work.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [names.get(work_id, f"deleted #{work_id}") for work_id in ids]


def _atom_titles(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    root = ET.fromstring(response.content)
    return sorted(entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry"))


def everywhere(guest: Client) -> dict[str, object]:
    """What a guest finds on every surface that lists works."""
    api = guest.get("/api/v1/works")
    assert api.status_code == 200, api.content[:300]
    works = guest.get("/works")
    return {
        "works": sorted(_titles(listed_work_ids(works))),
        "tag": sorted(_titles(listed_work_ids(guest.get(TAG_WORKS)))),
        "search": sorted(_titles(listed_work_ids(guest.get(SEARCH)))),
        "feed": _atom_titles(guest.get(TAG_FEED)),
        "opds": _atom_titles(guest.get("/opds/works")),
        "api": sorted(work["title"] for work in api.json()["results"]),
        "sidebar": facet_counts(works)["fandom_ids"],
    }


def _only(*titles: str) -> dict[str, object]:
    listed = sorted(titles)
    return {
        "works": listed,
        "tag": listed,
        "search": listed,
        "feed": listed,
        "opds": listed,
        "api": listed,
        "sidebar": {FANDOM: len(titles)},
    }


def change_form(staff: Client, work: Work) -> dict:
    """The admin's change form for the work as the browser would send it back unchanged."""
    return admin_change_form(staff, f"/admin/works/work/{work.pk}/change/", "form#work_form")


def save_in_admin(staff: Client, work: Work, **changes) -> None:
    data = change_form(staff, work)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    response = staff.post(f"/admin/works/work/{work.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]


def test_both_works_are_listed_everywhere_to_begin_with(works):
    assert everywhere(Client()) == _only("Kept", "Target")


def test_unposting_in_the_admin_takes_the_work_out_of_every_listing(staff, works):
    guest = Client()
    assert everywhere(guest) == _only("Kept", "Target")  # and now the pages are cached

    save_in_admin(staff, works["Target"], posted=None)

    target = Work.objects.get(pk=works["Target"].pk)
    assert target.posted is False
    assert everywhere(guest) == _only("Kept")
    assert guest.get(f"/works/{target.pk}").status_code == 404


def test_restricting_in_the_admin_hides_the_work_from_guests_everywhere(staff, works):
    guest = Client()
    assert everywhere(guest) == _only("Kept", "Target")

    save_in_admin(staff, works["Target"], restricted="on")

    assert Work.objects.get(pk=works["Target"].pk).restricted is True
    assert everywhere(guest) == _only("Kept")


def test_hidden_is_read_only_in_the_admin_hiding_goes_through_moderation(staff, works, make_user):
    """A ticked "hidden" in a crafted post changes nothing and records nothing: staff hide
    from the moderation queue, which records why and tells the creator."""
    from polis.core.models import AuditEntry

    guest = Client()
    assert everywhere(guest) == _only("Kept", "Target")
    page = staff.get(f"/admin/works/work/{works['Target'].pk}/change/").content.decode()
    assert 'name="hidden"' not in page

    save_in_admin(staff, works["Target"], hidden="on")

    target = Work.objects.get(pk=works["Target"].pk)
    assert (target.hidden, target.posted) == (False, True)
    assert everywhere(guest) == _only("Kept", "Target")
    assert not AuditEntry.objects.filter(target_type="work").exists()


def test_reposting_in_the_admin_lists_the_work_again(staff, works):
    guest = Client()
    save_in_admin(staff, works["Target"], posted=None)
    assert everywhere(guest) == _only("Kept")

    save_in_admin(staff, works["Target"], posted="on")

    assert everywhere(guest) == _only("Kept", "Target")


def test_deleting_in_the_admin_drops_the_work_everywhere_and_keeps_bookmarks(
    staff, works, make_user
):
    reader = make_user("reader")
    bookmark_create(actor=reader, work=works["Target"], notes="Loved it.")
    guest = Client()
    assert everywhere(guest) == _only("Kept", "Target")

    response = staff.post(f"/admin/works/work/{works['Target'].pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert list(Work.objects.values_list("title", flat=True)) == ["Kept"]
    assert everywhere(guest) == _only("Kept")
    bookmark = Bookmark.objects.get(user=reader)
    assert (bookmark.work_id, bookmark.work_deleted, bookmark.notes) == (
        None,
        True,
        "<p>Loved it.</p>",
    )


def test_bulk_deleting_in_the_admin_drops_every_selected_work_everywhere(staff, works, make_work):
    other = make_work(title="Third", fandoms=[FANDOM], summary="<p>Another lighthouse.</p>")
    guest = Client()
    assert everywhere(guest) == _only("Kept", "Target", "Third")

    response = staff.post(
        "/admin/works/work/",
        {
            "action": "delete_selected",
            "_selected_action": [works["Target"].pk, other.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert list(Work.objects.values_list("title", flat=True)) == ["Kept"]
    assert everywhere(guest) == _only("Kept")


def test_counters_and_dates_cannot_be_changed_by_a_crafted_post(staff, works):
    work = works["Target"]
    before = Work.objects.filter(pk=work.pk).values().get()

    save_in_admin(
        staff,
        work,
        chapter_count="9",
        word_count="12345",
        hit_count="500",
        kudos_count="40",
        comment_count="30",
        bookmark_count="20",
        revised_at_0="2020-01-01",
        revised_at_1="00:00:00",
    )

    after = Work.objects.filter(pk=work.pk).values().get()
    assert after == before | {"updated_at": after["updated_at"]}


def test_chapter_text_and_counts_cannot_be_changed_by_a_crafted_post(staff, works):
    chapter = works["Target"].chapters.get()
    before = Chapter.objects.filter(pk=chapter.pk).values().get()
    response = staff.get(f"/admin/works/chapter/{chapter.pk}/change/")
    assert response.status_code == 200

    response = staff.post(
        f"/admin/works/chapter/{chapter.pk}/change/",
        {
            "work": works["Kept"].pk,
            "position": "7",
            "title": "Renamed",
            "summary": "",
            "notes": "",
            "end_notes": "",
            "text_format": "markdown",
            "source": "Forged text.",
            "content": "<p>Forged text.</p>",
            "word_count": "999",
            "posted": "",
            "published_at": "2020-01-01",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    after = Chapter.objects.filter(pk=chapter.pk).values().get()
    assert after == before | {"title": "Renamed", "updated_at": after["updated_at"]}
    assert everywhere(Client()) == _only("Kept", "Target")


def test_a_refused_change_shows_why_and_saves_nothing(staff, works):
    work = works["Target"]
    data = change_form(staff, work)
    data.update(title="Renamed", expected_chapters="0", restricted="on")

    response = staff.post(f"/admin/works/work/{work.pk}/change/", data, follow=True)

    assert response.redirect_chain == [(f"/admin/works/work/{work.pk}/change/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "This work already has 1 posted chapters; expect at least 1, or leave it empty."
    ]
    work.refresh_from_db()
    assert (work.title, work.restricted, work.expected_chapters) == ("Target", False, None)
    assert everywhere(Client()) == _only("Kept", "Target")


def test_a_title_and_rating_changed_in_the_admin_reach_the_listings(staff, works):
    save_in_admin(staff, works["Target"], title="Retitled", rating="Mature")

    work = Work.objects.get(pk=works["Target"].pk)
    assert work.rating == "Mature"
    assert sorted(t.name for t in work.tags.filter(type="rating")) == ["Mature"]
    assert everywhere(Client()) == _only("Kept", "Retitled")


def test_tags_creators_and_chapters_cannot_be_changed_through_the_inlines(staff, works, make_user):
    work = works["Target"]
    other_tag = Tag.objects.get(key=tag_key("No Archive Warnings Apply"))
    stranger = make_user("stranger").pseuds.get()
    tagging = work.taggings.order_by("pk").first()
    chapter = work.chapters.get()
    before = (
        sorted(work.taggings.values_list("tag_id", flat=True)),
        list(work.creatorships.values_list("pseud_id", "accepted")),
        list(work.chapters.values_list("pk", "title", "position")),
    )
    data = change_form(staff, work)
    data.update(
        {
            "taggings-TOTAL_FORMS": "2",
            "taggings-INITIAL_FORMS": "1",
            "taggings-0-id": tagging.pk,
            "taggings-0-work": work.pk,
            "taggings-0-tag": other_tag.pk,
            "taggings-0-DELETE": "on",
            "taggings-1-work": work.pk,
            "taggings-1-tag": Tag.objects.get(key=tag_key("Mature")).pk,
            "creatorships-TOTAL_FORMS": "1",
            "creatorships-INITIAL_FORMS": "0",
            "creatorships-0-work": work.pk,
            "creatorships-0-pseud": stranger.pk,
            "creatorships-0-accepted": "on",
            "chapters-TOTAL_FORMS": "1",
            "chapters-INITIAL_FORMS": "1",
            "chapters-0-id": chapter.pk,
            "chapters-0-work": work.pk,
            "chapters-0-title": "Forged",
            "chapters-0-position": "5",
            "chapters-0-DELETE": "on",
        }
    )

    response = staff.post(f"/admin/works/work/{work.pk}/change/", data)

    assert response.status_code == 302
    after = (
        sorted(work.taggings.values_list("tag_id", flat=True)),
        list(work.creatorships.values_list("pseud_id", "accepted")),
        list(work.chapters.values_list("pk", "title", "position")),
    )
    assert after == before


def test_works_cannot_be_added_in_the_admin(staff, works):
    assert staff.get("/admin/works/work/add/").status_code == 403
    assert staff.get("/admin/works/chapter/add/").status_code == 403


def test_a_chapter_preface_edited_in_the_admin_is_sanitized_and_revises_the_work(staff, works):
    chapter = works["Kept"].chapters.get()
    revised = works["Kept"].revised_at

    response = staff.post(
        f"/admin/works/chapter/{chapter.pk}/change/",
        {
            "title": "Beacon",
            "summary": '<p onclick="steal()">Seen from the sea.</p><script>x()</script>',
            "notes": "",
            "end_notes": "",
        },
    )

    assert response.status_code == 302
    chapter.refresh_from_db()
    assert (chapter.title, chapter.summary) == ("Beacon", "<p>Seen from the sea.</p>")
    # Revised now, in the work and in the index the listings sort by.
    work = Work.objects.get(pk=works["Kept"].pk)
    assert work.revised_at > revised
    assert WorkDoc.objects.get(work=work).revised_at == work.revised_at


def test_deleting_a_works_only_chapter_in_the_admin_is_refused(staff, works):
    chapter = works["Target"].chapters.get()

    response = staff.post(
        f"/admin/works/chapter/{chapter.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert response.redirect_chain == [(f"/admin/works/chapter/{chapter.pk}/change/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "A work needs at least one chapter; delete the work instead."
    ]
    assert Chapter.objects.filter(pk=chapter.pk).exists()


def test_deleting_a_chapter_in_the_admin_recounts_the_work(staff, make_work):
    work = make_work(title="Two Parts", chapters=2)
    second = work.chapters.get(position=2)

    response = staff.post(f"/admin/works/chapter/{second.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    work.refresh_from_db()
    assert (work.chapter_count, list(work.chapters.values_list("position", flat=True))) == (
        1,
        [1],
    )
