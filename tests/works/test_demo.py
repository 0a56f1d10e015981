"""`polis demo`: the users and works it promises, exactly once."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from polis.accounts.models import Pseud, User
from polis.tags.models import Tag
from polis.works.models import Chapter, Creatorship, Work

pytestmark = pytest.mark.django_db

DEMO_USERS = ["demo_cowriter", "demo_reader", "demo_writer"]


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_creates_the_stated_users_with_the_default_password():
    output = run_demo()

    assert sorted(User.objects.values_list("username", flat=True)) == DEMO_USERS
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password("polis-demo-password")
        assert f"{username}  (password: polis-demo-password)" in output
    assert sorted(
        EmailAddress.objects.filter(verified=True, primary=True).values_list("email", flat=True)
    ) == [f"{username}@example.org" for username in DEMO_USERS]
    assert sorted(Pseud.objects.values_list("user__username", "name", "is_default")) == [
        ("demo_cowriter", "demo_cowriter", True),
        ("demo_reader", "demo_reader", True),
        ("demo_writer", "Lanternlight", False),
        ("demo_writer", "demo_writer", True),
    ]


def test_demo_password_option():
    output = run_demo("--password", "another-long-password")

    assert User.objects.get(username="demo_reader").check_password("another-long-password")
    assert "(password: another-long-password)" in output


def test_demo_creates_posted_draft_restricted_and_multichapter_works():
    run_demo()

    assert Work.objects.count() == 8
    assert Work.objects.filter(posted=True).count() == 7
    assert list(Work.objects.filter(posted=False).values_list("title", flat=True)) == [
        "Untitled Draft About Tides"
    ]
    assert list(Work.objects.filter(restricted=True).values_list("title", flat=True)) == [
        "Between the Stacks"
    ]
    assert sorted(Work.objects.values_list("rating", flat=True)) == sorted(
        [
            "General Audiences",
            "General Audiences",
            "General Audiences",
            "Teen And Up Audiences",
            "Teen And Up Audiences",
            "Mature",
            "Explicit",
            "Not Rated",
        ]
    )

    serial = Work.objects.get(title="What the Ground Remembers")
    assert serial.chapter_total_display == "3/5"
    assert serial.complete is False
    assert list(serial.chapters.values_list("position", "title", "posted")) == [
        (1, "Surveying", True),
        (2, "Boundaries", True),
        (3, "First Rain", True),
    ]
    assert Chapter.objects.count() == 10
    assert sorted(
        Chapter.objects.exclude(text_format="html").values_list("text_format", "work__title")
    ) == [
        ("markdown", "A Study in Ash"),
        ("text", "The Lighthouse Keeper's Ledger"),
    ]


def test_demo_tags_and_creators():
    run_demo()

    serial = Work.objects.get(title="What the Ground Remembers")
    assert sorted(serial.tags.values_list("type", "name")) == [
        ("category", "F/F"),
        ("character", "Clarke Griffin"),
        ("character", "Lexa (The 100)"),
        ("character", "Raven Reyes"),
        ("fandom", "The 100 (TV)"),
        ("freeform", "Post-Canon"),
        ("freeform", "Rebuilding"),
        ("freeform", "Slow Burn"),
        ("rating", "Teen And Up Audiences"),
        ("relationship", "Clarke Griffin/Lexa"),
        ("warning", "No Archive Warnings Apply"),
    ]
    assert Tag.objects.get(name="Clarke Griffin").works.count() == 2

    shared = Work.objects.get(title="Two Hands, One Map")
    assert sorted(shared.creatorships.values_list("pseud__user__username", "accepted")) == [
        ("demo_cowriter", True),
        ("demo_writer", True),
    ]
    assert list(
        Creatorship.objects.filter(work__title="The Last Ferry").values_list("pseud__name")
    ) == [("Lanternlight",)]
    assert not Creatorship.objects.filter(pseud__user__username="demo_reader").exists()


def test_second_run_creates_nothing():
    run_demo()
    counts = (
        User.objects.count(),
        Pseud.objects.count(),
        Work.objects.count(),
        Tag.objects.count(),
    )

    output = run_demo()

    assert output == (
        "The demo content is already here (user demo_writer exists); nothing to do.\n"
    )
    assert (
        User.objects.count(),
        Pseud.objects.count(),
        Work.objects.count(),
        Tag.objects.count(),
    ) == counts
