"""The moderators' potential-givers page and the matching status in the API."""

import pytest

from polis.collections.actions import assignments as assigning
from polis.collections.actions.matching import assignments_generate
from polis.collections.models import Assignment
from tests.api.conftest import ApiClient
from tests.collections.test_exchange import exchange, run_matching  # noqa: F401 (fixture)
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(exchange, django_capture_on_commit_callbacks):  # noqa: F811
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    return challenge, mod, people


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("participant", 404), ("stranger", 404), ("mod", 200)]
)
def test_only_maintainers_see_potential_givers(matched, make_user, client, who, status):
    challenge, mod, people = matched
    users = {"participant": people["bob"], "stranger": make_user("stranger"), "mod": mod}
    if who in users:
        client.force_login(users[who])
    ann = people["ann"].challenge_signups.get()
    response = client.get(f"/collections/yuletide/matching/{ann.pk}")
    assert response.status_code == status


def test_the_page_lists_a_recipients_givers_and_sets_one(matched, client):
    challenge, mod, people = matched
    client.force_login(mod)
    ann = people["ann"].challenge_signups.get()
    page = parse(client.get(f"/collections/yuletide/matching/{ann.pk}"))
    assert page.texts("#giver-count") == ["2 potential givers, by tag overlap."]
    assert page.texts("table.potential-givers td.giver") == ["bob", "dan"]
    gift = Assignment.objects.get(challenge=challenge, recipient=ann)
    other = "dan" if gift.giver.user.username == "bob" else "bob"
    giver = people[other].challenge_signups.get()
    # Free the other giver first, as the page's "Writes for" column tells the moderator.
    for held in Assignment.objects.filter(challenge=challenge, giver=giver):
        assigning.assignment_set_giver(actor=mod, assignment=held, giver=None)
    response = client.post(
        "/collections/yuletide/matching/do",
        {"step": "giver", "assignment": gift.pk, "giver": giver.pk},
    )
    assert response.status_code == 302
    gift.refresh_from_db()
    assert (gift.giver_id, gift.score) == (giver.pk, 1)
    matching = parse(client.get("/collections/yuletide/matching"))
    assert f"({2} potential givers)" in matching.texts(f"#assignment_{gift.pk} td")[0]


def test_the_api_reports_how_many_potential_matches_were_found(matched, token_for):
    challenge, mod, _ = matched
    status = ApiClient(token_for(mod)).get("/collections/yuletide/matching").json()
    assert (status["status"], status["potential_matches"]) == ("done", 7)
