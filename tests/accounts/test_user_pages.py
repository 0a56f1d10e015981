"""A user's public pages, drafts and co-creator requests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polis.accounts.actions import pseud_create
from polis.works.actions import ChapterInput, WorkInput, work_create
from polis.works.models import Work


def invite_co_creator(*, inviter, invitee_pseud, title: str = "Shared Story"):
    return work_create(
        actor=inviter,
        pseuds=[inviter.pseuds.get(is_default=True)],
        data=WorkInput(
            title=title,
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
        ),
        chapter=ChapterInput(text="<p>Words.</p>"),
        co_creators=[invitee_pseud],
        post=True,
    )


@pytest.mark.django_db
def test_unknown_user_is_404(client):
    assert client.get("/users/nobody").status_code == 404
    assert client.get("/users/nobody/works").status_code == 404


@pytest.mark.django_db
def test_profile_lists_pseuds_and_latest_five_works(client, alice, make_work):
    pseud_create(actor=alice, name="Night Owl", description="")
    for number in range(1, 7):
        make_work(alice, title=f"Story {number}")

    response = client.get("/users/ALICE")

    html = response.content.decode()
    assert response.status_code == 200
    assert [work.title for work in response.context["works"]] == [
        "Story 6",
        "Story 5",
        "Story 4",
        "Story 3",
        "Story 2",
    ]
    assert '<a href="/users/alice/pseuds/Night%20Owl">Night Owl</a>' in html
    assert '<a href="/users/alice/works">All works (6)</a>' in html
    assert "/users/alice/drafts" not in html
    assert "/settings" not in html.split('<main id="main"')[1]


@pytest.mark.django_db
def test_profile_shows_owner_links_only_to_owner(alice_client):
    html = alice_client.get("/users/alice").content.decode()

    assert '<a href="/users/alice/drafts">Drafts</a>' in html
    assert '<a href="/users/alice/creatorships">Co-Creator Requests</a>' in html
    assert '<a href="/users/alice/pseuds/new">New Pseud</a>' in html


@pytest.mark.django_db
def test_works_count_is_what_this_viewer_may_see(client, alice, bob, make_work):
    make_work(alice, title="Open Story")
    make_work(alice, title="Locked Story", restricted=True)
    make_work(alice, title="Unposted Story", post=False)

    titles = dict(Work.objects.values_list("pk", "title"))
    anonymous = client.get("/users/alice/works")
    client.force_login(bob)
    member = client.get("/users/alice/works")

    assert '<h1 class="heading">1 - 1 of 1 Works by alice</h1>' in anonymous.content.decode()
    assert [titles[row.pk] for row in anonymous.context["page"]] == ["Open Story"]
    assert '<h1 class="heading">1 - 2 of 2 Works by alice</h1>' in member.content.decode()
    assert [titles[row.pk] for row in member.context["page"]] == ["Locked Story", "Open Story"]


@pytest.mark.django_db
def test_works_list_queries_do_not_grow_with_works(client, alice, make_work):
    make_work(alice, title="One")
    with CaptureQueriesContext(connection) as one:
        client.get("/users/alice/works")
    make_work(alice, title="Two")
    make_work(alice, title="Three", freeforms=["Fluff"])
    with CaptureQueriesContext(connection) as three:
        client.get("/users/alice/works")

    assert len(three) == len(one)


@pytest.mark.django_db
def test_pseud_works_lists_only_that_pseud(client, alice, make_work):
    owl = pseud_create(actor=alice, name="Night Owl", description="")
    make_work(alice, title="By Default")
    work_create(
        actor=alice,
        pseuds=[owl],
        data=WorkInput(
            title="By Owl",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
        ),
        chapter=ChapterInput(text="<p>Hoot.</p>"),
        post=True,
    )

    response = client.get("/users/alice/pseuds/Night Owl/works")
    show = client.get("/users/alice/pseuds/Night Owl")

    titles = dict(Work.objects.values_list("pk", "title"))
    assert [titles[row.pk] for row in response.context["page"]] == ["By Owl"]
    assert "1 - 1 of 1 Works by Night Owl (alice)" in response.content.decode()
    assert [work.title for work in show.context["works"]] == ["By Owl"]


@pytest.mark.django_db
def test_drafts_page_lists_owners_drafts_only(alice_client, alice, make_work):
    make_work(alice, title="Secret Draft", post=False)
    make_work(alice, title="Posted Story")

    response = alice_client.get("/users/alice/drafts")

    assert response.status_code == 200
    assert [work.title for work in response.context["page"]] == ["Secret Draft"]
    assert '<h1 class="heading">1 Draft</h1>' in response.content.decode()


@pytest.mark.django_db
def test_co_creator_requests_list_pending_invitations_with_forms(client, alice, bob):
    work = invite_co_creator(inviter=bob, invitee_pseud=alice.pseuds.get())
    client.force_login(alice)

    response = client.get("/users/alice/creatorships")

    html = response.content.decode()
    assert [invitation.work.title for invitation in response.context["invitations"]] == [
        "Shared Story"
    ]
    action = f'action="/works/{work.pk}/creatorship"'
    assert html.count(action) == 2
    assert '<input type="hidden" name="decision" value="accept">' in html
    assert '<input type="hidden" name="decision" value="decline">' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 2


@pytest.mark.django_db
def test_accepting_a_request_removes_it_from_the_list(client, alice, bob):
    work = invite_co_creator(inviter=bob, invitee_pseud=alice.pseuds.get())
    client.force_login(alice)

    client.post(f"/works/{work.pk}/creatorship", {"decision": "accept"})
    response = client.get("/users/alice/creatorships")

    assert list(response.context["invitations"]) == []
    assert "You have no pending co-creator requests." in response.content.decode()
