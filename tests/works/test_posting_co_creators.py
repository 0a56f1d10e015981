"""Co-creators named on the posting form: invitations, accepting, declining, unknown names."""

import pytest
from django.urls import reverse

from polis.works.models import Work
from tests.works.posting_support import NEW, _only_work
from tests.works.support import (
    listed_work_ids,
    parse,
    work_form_data,
)

pytestmark = pytest.mark.django_db


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
