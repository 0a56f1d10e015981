"""Work skins in the API: the caller's own skins and choosing one on their work."""

import pytest

from polis.works.models import WorkSkin
from tests.api.conftest import fields

SKIN = ".phone { color: #036; }"


def put(api, path, body):
    return api._send("put", path, body)


@pytest.mark.django_db
def test_create_list_update_and_delete_a_skin(api_as, alice):
    api = api_as(alice)

    created = api.post("/skins", {"title": "Phone", "css": SKIN})

    assert created.status_code == 201
    skin_id = created.json()["id"]
    assert created.json() == {
        "id": skin_id,
        "title": "Phone",
        "description": "",
        "css": "#workskin .phone { color: #036; }\n",
    }
    assert [s["title"] for s in api.get("/me/skins").json()] == ["Phone"]
    patched = api.patch(f"/skins/{skin_id}", {"css": "p { margin: 0 }"})
    assert patched.json()["css"] == "#workskin p { margin: 0; }\n"
    assert patched.json()["title"] == "Phone"
    assert api.delete(f"/skins/{skin_id}").status_code == 204
    assert WorkSkin.objects.count() == 0


@pytest.mark.django_db
def test_hostile_css_answers_every_problem_on_css(api_as, alice):
    response = api_as(alice).post(
        "/skins", {"title": "Bad", "css": "@import 'x.css';\np { behavior: url(x) }"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "css", "message": "Line 1: @import is not allowed (only @media)."},
        {"field": "css", "message": "Line 2: The property “behavior” is not allowed."},
    ]
    assert WorkSkin.objects.count() == 0


@pytest.mark.django_db
def test_someone_elses_skin_is_missing(api_as, alice, bob):
    skin_id = api_as(alice).post("/skins", {"title": "Phone", "css": SKIN}).json()["id"]
    api = api_as(bob)

    assert api.get(f"/skins/{skin_id}").status_code == 404
    assert api.patch(f"/skins/{skin_id}", {"title": "Mine"}).status_code == 404
    assert api.delete(f"/skins/{skin_id}").status_code == 404
    assert api.get("/me/skins").json() == []


@pytest.mark.django_db
def test_choose_a_skin_on_a_work(api_as, alice, bob, make_work, client):
    api = api_as(alice)
    work = make_work(alice)
    skin_id = api.post("/skins", {"title": "Phone", "css": SKIN}).json()["id"]
    bobs = api_as(bob).post("/skins", {"title": "Bob's", "css": SKIN}).json()["id"]

    response = put(api, f"/works/{work.pk}/skin", {"skin_id": skin_id})

    assert response.status_code == 200
    assert response.json() == {
        "work_id": work.pk,
        "skin_id": skin_id,
        "stylesheet": f"http://testserver/works/{work.pk}/skin.css",
    }
    assert client.get(f"/works/{work.pk}/skin.css").status_code == 200
    refused = put(api, f"/works/{work.pk}/skin", {"skin_id": bobs})
    assert refused.status_code == 400
    assert fields(refused) == ["skin_id"]
    assert put(api_as(bob), f"/works/{work.pk}/skin", {"skin_id": bobs}).status_code == 404
    cleared = put(api, f"/works/{work.pk}/skin", {"skin_id": None})
    assert cleared.json() == {"work_id": work.pk, "skin_id": None, "stylesheet": None}
    assert fields(put(api, f"/works/{work.pk}/skin", {})) == ["skin_id"]
