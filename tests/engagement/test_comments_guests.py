"""Comments from guests: name and address required, names of users refused, address hidden."""

import pytest

from polis.engagement.models import Comment
from tests.engagement.comment_support import GUEST, _post
from tests.engagement.conftest import client_for
from tests.works.support import parse

pytestmark = pytest.mark.django_db


def test_guest_comment_needs_a_name_and_address_and_keeps_the_text(cast):
    people, work = cast

    response = _post(client_for(people, "anonymous"), work, text="Hello there", name="", email="")

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("textarea#id_text").text == "Hello there"
    assert set(page.texts("#error li")) == {
        "Guest name: This field is required.",
        "Guest e-mail: This field is required.",
    }
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("name", ["reader", "READER", "  Writer ", "bore (Guest)"])
def test_guests_cannot_use_the_name_of_a_user_or_pseud(cast, name):
    people, work = cast

    response = _post(
        client_for(people, "anonymous"), work, text="Fake", name=name, email="x@example.org"
    )

    assert response.status_code == 200
    assert (
        parse(response)
        .select_one("#error li")
        .text.startswith("Guest name: That name belongs to someone with an account here.")
    )
    assert Comment.objects.count() == 0


def test_guest_comment_shows_the_name_marked_as_guest_and_never_the_address(cast, client):
    people, work = cast
    _post(client_for(people, "anonymous"), work, **GUEST)

    response = client.get(work.get_absolute_url())

    assert parse(response).select_one("li.comment h4.byline .guest").text == "Wanderer (Guest)"
    assert "wanderer@example.org" not in response.content.decode()
