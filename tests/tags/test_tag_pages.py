"""Tag pages: AO3's URL escaping of tag names, the works carrying a tag, synonyms, unknown tags."""

import pytest
from django.test import Client
from django.urls import reverse

from polis.tags.models import Tag, TagType
from polis.tags.names import tag_from_url, tag_to_url
from polis.tags.wrangling import tag_make_synonym, tag_set_canonical
from tests.works.support import (
    listed_work_ids,
    main_heading,
    parse,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "url_name"),
    [
        ("Clarke Griffin/Lexa", "Clarke Griffin*s*Lexa"),
        ("Clarke Griffin & Raven Reyes", "Clarke Griffin *a* Raven Reyes"),
        ("Dr. Who", "Dr*d* Who"),
        ("What If?", "What If*q*"),
        ("#1 Fan", "*h*1 Fan"),
        ("A/B & C.D?#", "A*s*B *a* C*d*D*q**h*"),
        ("Plain Tag", "Plain Tag"),
        ("Ünïcödé/ß", "Ünïcödé*s*ß"),
    ],
)
def test_tag_names_round_trip_through_ao3_url_escaping(name, url_name):
    assert tag_to_url(name) == url_name
    assert tag_from_url(url_name) == name


@pytest.mark.parametrize(
    "name",
    ["Clarke Griffin/Lexa", "Clarke Griffin & Raven Reyes", "Dr. Who", "What If?", "#1 Fan"],
)
def test_a_tag_link_on_the_work_page_leads_to_its_works(client, make_work, name):
    work = make_work(freeforms=[name])
    page = parse(client.get(work.get_absolute_url()))
    link = page.select_one("dd.freeform.tags a.tag")
    assert link.text == name

    response = client.get(link.get("href"))

    assert response.status_code == 200
    assert listed_work_ids(response) == [work.pk]
    assert main_heading(response) == f"1 - 1 of 1 Works in {name}"


def test_tag_works_url_uses_the_escaped_name(make_work):
    make_work(relationships=["Clarke Griffin/Lexa"])

    tag = Tag.objects.get(name="Clarke Griffin/Lexa")

    assert tag.get_works_url() == "/tags/Clarke%20Griffin*s*Lexa/works"
    assert tag.get_absolute_url() == "/tags/Clarke%20Griffin*s*Lexa"


def test_tag_lookup_ignores_case(client, make_work):
    work = make_work(relationships=["Clarke Griffin/Lexa"])

    response = client.get("/tags/clarke griffin*s*lexa/works")

    assert response.status_code == 200
    assert listed_work_ids(response) == [work.pk]


def test_tag_works_lists_only_visible_works_carrying_the_tag(client, make_user, make_work):
    writer = make_user("writer")
    public = make_work(writer, title="Public", fandoms=["Shared"])
    restricted = make_work(writer, title="Locked", fandoms=["Shared"], restricted=True)
    make_work(writer, title="Draft", fandoms=["Shared"], post=False)
    make_work(writer, title="Elsewhere", fandoms=["Other Fandom"])
    url = reverse("tags:works", kwargs={"name": "Shared"})

    anonymous = client.get(url)
    reader = Client()
    reader.force_login(make_user("reader"))
    logged_in = reader.get(url)

    assert listed_work_ids(anonymous) == [public.pk]
    assert main_heading(anonymous) == "1 - 1 of 1 Works in Shared"
    assert listed_work_ids(logged_in) == [restricted.pk, public.pk]
    assert main_heading(logged_in) == "1 - 2 of 2 Works in Shared"


def test_tag_works_pages_by_twenty(client, make_user, make_work):
    writer = make_user("writer")
    works = [make_work(writer, title=f"W{n}", freeforms=["Many"]) for n in range(21)]
    url = reverse("tags:works", kwargs={"name": "Many"})

    second = client.get(url, {"page": 2})

    assert listed_work_ids(client.get(url)) == [w.pk for w in reversed(works)][:20]
    assert listed_work_ids(second) == [works[0].pk]
    assert main_heading(second) == "21 - 21 of 21 Works in Many"
    assert main_heading(client.get(url, {"page": 5})) == "21 Works in Many"


def test_a_canonical_tag_with_no_visible_works_says_so(client, make_work, make_user):
    # A tag nobody wrangled is not shown at all then (tests/tags/test_hidden_tags.py).
    make_work(fandoms=["Only Drafts"], post=False)
    tag_set_canonical(
        actor=make_user("wrangler", is_tag_wrangler=True),
        tag=Tag.objects.get(name="Only Drafts"),
        canonical=True,
    )

    response = client.get(reverse("tags:works", kwargs={"name": "Only Drafts"}))

    assert response.status_code == 200
    assert listed_work_ids(response) == []
    assert main_heading(response) == "0 Works in Only Drafts"
    assert "No works found." in response.content.decode()


@pytest.mark.both_search_engines
def test_synonym_redirects_to_its_canonical_tag_which_lists_both(client, make_work, make_user):
    canonical_work = make_work(relationships=["Clarke Griffin/Lexa"])
    synonym_work = make_work(relationships=["Clexa"])
    wrangler = make_user(is_tag_wrangler=True)
    canonical = Tag.objects.get(name="Clarke Griffin/Lexa")
    tag_set_canonical(actor=wrangler, tag=canonical, canonical=True)
    tag_make_synonym(actor=wrangler, tag=Tag.objects.get(name="Clexa"), of=canonical)

    response = client.get(reverse("tags:works", kwargs={"name": "Clexa"}))

    assert response.status_code == 302
    assert response["Location"] == "/tags/Clarke%20Griffin*s*Lexa/works"
    listing = client.get(response["Location"])
    assert listed_work_ids(listing) == [synonym_work.pk, canonical_work.pk]
    assert main_heading(listing) == "1 - 2 of 2 Works in Clarke Griffin/Lexa"


@pytest.mark.both_search_engines
def test_tag_page_describes_the_tag(client, make_work):
    make_work(relationships=["Clarke Griffin/Lexa", "Clexa"])
    canonical = Tag.objects.get(name="Clarke Griffin/Lexa")
    canonical.canonical = True
    canonical.save(update_fields=["canonical"])
    Tag.objects.filter(name="Clexa").update(merger=canonical)

    canonical_page = parse(client.get(canonical.get_absolute_url()))
    synonym_page = parse(client.get("/tags/Clexa"))

    assert "This tag belongs to the Relationship category." in canonical_page.text
    assert canonical_page.texts("ul.tags a.tag") == ["Clexa"]
    assert "It has been made a synonym of Clarke Griffin/Lexa." in synonym_page.text


@pytest.mark.parametrize("path", ["/tags/Nope/works", "/tags/Nope", "/tags/A*s*B/works"])
def test_unknown_tags_are_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_user_tags_are_unwrangled_and_typed(make_work):
    make_work(fandoms=["New Fandom"], characters=["New Character"])

    assert Tag.objects.get(name="New Fandom").wrangling_state == "unwrangled"
    assert Tag.objects.get(name="New Character").type == TagType.CHARACTER
