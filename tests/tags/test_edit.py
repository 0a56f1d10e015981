"""The tag edit page: every wrangling change in one form, applied all or nothing."""

import pytest
from django.test import Client

from polis.tags.models import Tag, TagType
from polis.tags.wrangling import tag_add_meta, tag_add_parent, tag_make_synonym
from tests.tags.conftest import REFUSED, ROLES, tag_state
from tests.works.support import listed_work_ids, parse

pytestmark = pytest.mark.django_db

EDIT = "/tags/Clarke Griffin/edit"


@pytest.fixture
def clarke(wrangler, canonical, tag_of, make_work):
    """A canonical character with a fandom parent and a meta tag; an unwrangled nickname."""
    fandom = canonical("The 100 (TV)", TagType.FANDOM)
    canonical("Original Work", TagType.FANDOM)
    tag = canonical("Clarke Griffin", TagType.CHARACTER)
    tag_add_parent(actor=wrangler, child=tag, parent=fandom)
    tag_add_meta(actor=wrangler, sub=tag, meta=canonical("Griffins", TagType.CHARACTER))
    canonical("Clarke Griffin (Young)", TagType.CHARACTER)
    tag_of("Wanheda", TagType.CHARACTER)
    make_work(title="Wanheda Story", characters=["Wanheda"])
    return tag


@pytest.fixture
def wrangler_client(wrangler) -> Client:
    client = Client()
    client.force_login(wrangler)
    return client


def form_data(**changes) -> dict:
    """What the edit form sends for Clarke Griffin when nothing is changed, plus `changes`."""
    data = {
        "name": "Clarke Griffin",
        "canonical": "on",
        "synonym_of": "",
        "add_parents": "",
        "add_meta_tags": "",
        "add_sub_tags": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def all_state() -> list[tuple]:
    return tag_state(*Tag.objects.values_list("name", flat=True))


def test_the_form_shows_the_tag_as_it_is(wrangler_client, clarke):
    page = parse(wrangler_client.get(EDIT))

    assert page.select_one("input#id_name").get("value") == "Clarke Griffin"
    assert "checked" in page.select_one("input#id_canonical").attrs
    assert "value" not in page.select_one("input#id_synonym_of").attrs
    assert page.select("select#id_tag_type") == []  # only unwrangled tags change type
    assert [i.get("value") for i in page.select("input[name=remove_parents]")] == ["The 100 (TV)"]
    assert [i.get("value") for i in page.select("input[name=remove_meta_tags]")] == ["Griffins"]
    assert page.select("input[name=remove_sub_tags]") == []
    assert page.select_one("form#tag-edit input[name=csrfmiddlewaretoken]")
    for control in page.select("form#tag-edit input"):
        if control.get("type") not in {"hidden"}:
            assert page.select(f"label[for={control.get('id')}]"), control


def test_one_submission_makes_several_changes(wrangler_client, clarke):
    response = wrangler_client.post(
        EDIT,
        form_data(
            name="Clarke Griffin ",
            add_parents="Original Work",
            remove_parents=["The 100 (TV)"],
            remove_meta_tags=["Griffins"],
            add_sub_tags="Clarke Griffin (Young)",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == "/tags/Clarke%20Griffin"
    assert tag_state("Clarke Griffin") == [
        (
            "Clarke Griffin",
            "character",
            True,
            None,
            ["Original Work"],
            [],
            [],
            ["Clarke Griffin (Young)"],
        )
    ]


@pytest.mark.both_search_engines
def test_making_a_tag_a_synonym_moves_its_works_under_the_canonical(
    client, wrangler_client, clarke
):
    work_ids = list(Tag.objects.get(name="Wanheda").taggings.values_list("work_id", flat=True))
    data = {"name": "Wanheda", "synonym_of": "clarke griffin"}

    response = wrangler_client.post("/tags/Wanheda/edit", data)

    assert response.status_code == 302
    wanheda = Tag.objects.get(name="Wanheda")
    assert (wanheda.canonical, wanheda.merger) == (False, clarke)
    assert listed_work_ids(client.get("/tags/Clarke Griffin/works")) == work_ids

    wrangler_client.post("/tags/Wanheda/edit", {"name": "Wanheda", "synonym_of": ""})
    assert Tag.objects.get(name="Wanheda").merger is None
    assert listed_work_ids(client.get("/tags/Clarke Griffin/works")) == []


@pytest.mark.both_search_engines
def test_renaming_moves_the_page(wrangler_client, clarke, client):
    response = wrangler_client.post(EDIT, form_data(name="Clarke Griffin/Heda"))

    assert response["Location"] == "/tags/Clarke%20Griffin*s*Heda"
    assert client.get("/tags/Clarke Griffin*s*Heda").status_code == 200
    assert client.get("/tags/Clarke Griffin").status_code == 404


def test_an_unwrangled_tag_can_change_type_and_become_canonical(wrangler_client, clarke):
    page = parse(wrangler_client.get("/tags/Wanheda/edit"))
    assert page.select_one("select#id_tag_type option[selected]").get("value") == "character"

    response = wrangler_client.post(
        "/tags/Wanheda/edit",
        {"name": "Wanheda", "tag_type": "freeform", "canonical": "on", "synonym_of": ""},
    )

    assert response.status_code == 302
    wanheda = Tag.objects.get(name="Wanheda")
    assert (wanheda.type, wanheda.canonical) == ("freeform", True)


def errors_of(page, field: str) -> list[str]:
    return page.texts(f"#field-{field} .errorlist li")


def test_a_refused_change_undoes_the_others_and_keeps_what_was_typed(
    wrangler_client, wrangler, clarke
):
    young = Tag.objects.get(name="Clarke Griffin (Young)")
    tag_add_meta(actor=wrangler, sub=young, meta=clarke)
    before = all_state()
    # Renaming and the new parent would succeed; the meta tag would make a cycle.

    response = wrangler_client.post(
        EDIT,
        form_data(
            name="Clarke Griffin Renamed",
            add_parents="Original Work",
            add_meta_tags="Clarke Griffin (Young)",
        ),
    )

    assert response.status_code == 200
    page = parse(response)
    assert errors_of(page, "add_meta_tags") == [
        "“Clarke Griffin (Young)” is already below “Clarke Griffin Renamed”; "
        "making it a meta tag would make a cycle."
    ]
    assert errors_of(page, "name") == []
    assert page.select_one("input#id_name").get("value") == "Clarke Griffin Renamed"
    assert page.select_one("input#id_add_parents").get("value") == "Original Work"
    assert page.select_one("input#id_add_meta_tags").get("value") == "Clarke Griffin (Young)"
    assert all_state() == before
    assert page.select_one("h1.heading").text == "Edit Clarke Griffin Tag"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"add_parents": "Nobody Knows"},
            "add_parents",
            "There is no tag named “Nobody Knows”.",
        ),
        (
            {"add_parents": "Griffins"},
            "add_parents",
            "A Character tag cannot be a parent of a Character tag.",
        ),
        (
            {"synonym_of": "Griffins"},
            "synonym_of",
            "A tag cannot be both canonical and a synonym: untick “Canonical” "
            "or empty “Synonym of”.",
        ),
        (
            {"canonical": None, "synonym_of": "Wanheda"},
            "synonym_of",
            "“Wanheda” is not canonical; a synonym must point at a canonical tag.",
        ),
        (
            {"canonical": None},
            "canonical",
            "“Clarke Griffin” has meta or sub tags; remove them first.",
        ),
        (
            {"name": "Griffins"},
            "name",
            "A tag named “Griffins” already exists.",
        ),
        (
            {"add_meta_tags": "Clarke Griffin"},
            "add_meta_tags",
            "“Clarke Griffin” is already below “Clarke Griffin”; "
            "making it a meta tag would make a cycle.",
        ),
        (
            {"remove_meta_tags": ["Lexa"]},
            "remove_meta_tags",
            "Select a valid choice. Lexa is not one of the available choices.",
        ),
    ],
    ids=[
        "unknown parent",
        "wrong parent type",
        "canonical and synonym",
        "synonym of unwrangled",
        "uncanonical with meta",
        "name taken",
        "self meta",
        "not a meta",
    ],
)
def test_refusals_are_shown_next_to_their_field_and_change_nothing(
    wrangler_client, clarke, changes, field, message
):
    before = all_state()

    response = wrangler_client.post(EDIT, form_data(**changes))

    assert response.status_code == 200
    assert errors_of(parse(response), field) == [message]
    assert all_state() == before


def test_an_unknown_tag_has_no_edit_page(wrangler_client, clarke):
    assert wrangler_client.get("/tags/Nobody/edit").status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_wranglers_and_admins_may_edit(client_as, clarke, role, method):
    before = all_state()
    client = client_as(role)

    if method == "get":
        response = client.get(EDIT)
    else:
        response = client.post(EDIT, form_data(name="Changed", remove_parents=["The 100 (TV)"]))

    if role == "anonymous":
        assert response.status_code == 302
        # `next` holds the percent-encoded path, encoded once more as a query value.
        assert response["Location"] == "/accounts/login/?next=/tags/Clarke%2520Griffin/edit"
    elif role in REFUSED:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if method == "get" else 302)
    if role in REFUSED or method == "get":
        assert all_state() == before
    else:
        assert tag_state("Changed")[0][:5] == ("Changed", "character", True, None, [])


def test_a_synonym_of_a_synonym_is_refused_on_the_page(wrangler_client, wrangler, clarke, tag_of):
    tag_make_synonym(actor=wrangler, tag=Tag.objects.get(name="Wanheda"), of=clarke)
    tag_of("Commander of Death", TagType.CHARACTER)
    before = all_state()

    response = wrangler_client.post(
        "/tags/Commander of Death/edit",
        {"name": "Commander of Death", "synonym_of": "Wanheda", "tag_type": "character"},
    )

    assert errors_of(parse(response), "synonym_of") == [
        "“Wanheda” is a synonym of “Clarke Griffin”; a synonym must point at a canonical tag."
    ]
    assert all_state() == before
