"""Gifts through the API: a work's gifts, taking one back, a user's gifts received."""

import pytest

from polis.collections.actions.collections import collection_reveal
from polis.collections.actions.gifts import gift_add, gift_refuse
from polis.collections.actions.items import item_add
from polis.collections.models import Gift
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("stranger", 404), ("creator", 200)]
)
def test_only_creators_list_a_works_gifts(make_user, make_work, token_for, who, status):
    writer = make_user("writer")
    make_user("fan")
    work = make_work(writer)
    gift = gift_add(actor=writer, work=work, recipient="fan")
    users = {"creator": writer, "stranger": make_user("stranger")}
    api = ApiClient(token_for(users[who])) if who in users else ApiClient()

    response = api.get(f"/works/{work.pk}/gifts")

    assert response.status_code == status
    if status == 200:
        assert response.json() == [
            {"id": gift.pk, "work_id": work.pk, "recipient": "fan", "refused": False}
        ]


def test_a_creator_takes_back_a_gift_but_not_a_refused_one(make_user, make_work, token_for):
    writer, fan, other = make_user("writer"), make_user("fan"), make_user("other")
    work = make_work(writer)
    kept = gift_add(actor=writer, work=work, recipient="fan")
    refused = gift_refuse(actor=other, gift=gift_add(actor=writer, work=work, recipient="other"))
    api = ApiClient(token_for(writer))

    stranger = ApiClient(token_for(make_user())).delete(f"/works/{work.pk}/gifts/{kept.pk}")
    assert stranger.status_code == 404
    blocked = api.delete(f"/works/{work.pk}/gifts/{refused.pk}")
    assert blocked.status_code == 400
    assert blocked.json()["errors"] == [
        {
            "field": None,
            "message": "The recipient refused this gift; it is kept so it stays refused.",
        }
    ]
    assert api.delete(f"/works/{work.pk}/gifts/{kept.pk}").status_code == 204
    assert list(Gift.objects.values_list("pk", flat=True)) == [refused.pk]
    assert not Gift.objects.filter(recipient=fan).exists()


def test_a_users_gifts_hide_unrevealed_works_and_anonymous_creators(
    make_collection, make_user, make_work, token_for
):
    owner, writer, fan = make_user("owner"), make_user("writer"), make_user("fan")
    collection = make_collection(owner, name="swap", anonymous=True, unrevealed=True)
    work = make_work(writer, title="Secret Gift")
    item_add(actor=writer, collection=collection, work=work)
    gift_add(actor=writer, work=work, recipient="fan")

    assert ApiClient().get("/users/fan/gifts").json()["results"] == []
    assert ApiClient(token_for(fan)).get("/users/fan/gifts").json()["count"] == 0

    collection_reveal(actor=owner, collection=collection, works=True, creators=False)
    shown = ApiClient().get("/users/fan/gifts").json()["results"]
    assert [(g["work"]["title"], g["work"]["creators"]) for g in shown] == [("Secret Gift", [])]
    assert "writer" not in ApiClient().get("/users/fan/gifts").text

    collection_reveal(actor=owner, collection=collection, works=True, creators=True)
    shown = ApiClient().get("/users/fan/gifts").json()["results"]
    assert [c["username"] for c in shown[0]["work"]["creators"]] == ["writer"]
    assert ApiClient().get("/users/nobody/gifts").status_code == 404


def test_refused_gifts_show_only_to_their_recipient(make_user, make_work, token_for):
    writer, fan = make_user("writer"), make_user("fan")
    gift = gift_refuse(
        actor=fan, gift=gift_add(actor=writer, work=make_work(writer, title="No"), recipient="fan")
    )

    assert ApiClient().get("/users/fan/gifts").json()["count"] == 0
    own = ApiClient(token_for(fan)).get("/users/fan/gifts").json()["results"]
    assert [(g["id"], g["refused"]) for g in own] == [(gift.pk, True)]
