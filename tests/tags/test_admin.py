"""The tag admin changes tags through the wrangling actions: works' listings follow."""

import pytest
from django.test import Client

from polis.tags.models import Tag, TagType
from polis.works.models import Work
from tests.works.support import listed_work_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    client = Client()
    client.force_login(make_user("staffer", is_staff=True, is_superuser=True))
    return client


def _form(tag: Tag, **changes) -> dict:
    data = {
        "name": tag.name,
        "type": tag.type,
        "canonical": "on" if tag.canonical else "",
        "merger": tag.merger_id or "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def _titles(response) -> list[str]:
    ids = listed_work_ids(response)
    names = dict(Work.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [names[work_id] for work_id in ids]


def test_a_synonym_made_in_the_admin_moves_its_works_under_the_canonical_tag(
    staff, make_work, canonical, tag_of
):
    canonical("Angst")
    make_work(title="Sad One", freeforms=["sadfic"])
    sadfic = tag_of("sadfic")
    assert _titles(Client().get("/tags/Angst/works")) == []

    angst = Tag.objects.get(name="Angst")

    response = staff.post(f"/admin/tags/tag/{sadfic.pk}/change/", _form(sadfic, merger=angst.pk))

    assert response.status_code == 302
    sadfic.refresh_from_db()
    assert sadfic.merger.name == "Angst"
    assert _titles(Client().get("/tags/Angst/works")) == ["Sad One"]


def test_canonical_set_in_the_admin_goes_through_wrangling(staff, make_work, tag_of):
    make_work(title="Fluffy", freeforms=["Fluff"])
    fluff = tag_of("Fluff")

    response = staff.post(f"/admin/tags/tag/{fluff.pk}/change/", _form(fluff, canonical="on"))

    assert response.status_code == 302
    fluff.refresh_from_db()
    assert fluff.canonical is True
    page = Client().get(f"/works?work_search[freeform_ids][]={fluff.pk}")
    assert _titles(page) == ["Fluffy"]


def test_a_rename_in_the_admin_reaches_search(staff, make_work, tag_of):
    make_work(title="Waves", freeforms=["seaside"])
    tag = tag_of("seaside")

    response = staff.post(f"/admin/tags/tag/{tag.pk}/change/", _form(tag, name="Lighthouses"))

    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.key) == ("Lighthouses", "lighthouses")
    found = Client().get("/works/search?work_search[query]=lighthouses")
    assert _titles(found) == ["Waves"]


def test_a_refused_wrangling_change_shows_why_and_changes_nothing(staff, tag_of):
    fixed = Tag.objects.get(type=TagType.RATING, name="Mature")

    response = staff.post(
        f"/admin/tags/tag/{fixed.pk}/change/", _form(fixed, name="Grown-up"), follow=True
    )

    assert response.redirect_chain == [(f"/admin/tags/tag/{fixed.pk}/change/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["“Mature” is a fixed Rating tag."]
    fixed.refresh_from_db()
    assert fixed.name == "Mature"


def test_tags_cannot_be_added_or_deleted_in_the_admin(staff, tag_of):
    tag = tag_of("Fluff")

    assert staff.get("/admin/tags/tag/add/").status_code == 403
    assert staff.post(f"/admin/tags/tag/{tag.pk}/delete/", {"post": "yes"}).status_code == 403
    response = staff.post(
        "/admin/tags/tag/",
        {"action": "delete_selected", "_selected_action": [tag.pk], "post": "yes"},
    )
    assert response.status_code == 200  # no such action: the list is shown again
    assert Tag.objects.filter(pk=tag.pk).exists()
