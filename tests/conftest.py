"""Fixtures shared by the whole suite: users and works made through the real actions."""

import itertools

import pytest

from polis.accounts.models import Pseud, User
from polis.works.actions import ChapterInput, WorkInput, chapter_add, work_create
from polis.works.models import Work

_counter = itertools.count(1)


@pytest.fixture
def make_user(db):
    def make(username: str | None = None, **extra) -> User:
        username = username or f"user{next(_counter)}"
        user = User.objects.create_user(
            username=username,
            email=f"{username}@example.org",
            password="a-long-test-password",
            **extra,
        )
        if not Pseud.objects.filter(user=user).exists():
            Pseud.objects.create(user=user, name=username, is_default=True)
        return user

    return make


@pytest.fixture
def make_work(db, make_user):
    def make(
        creator: User | None = None,
        *,
        title: str = "A Work",
        text: str = "<p>Some words here.</p>",
        post: bool = True,
        chapters: int = 1,
        **fields,
    ) -> Work:
        creator = creator or make_user()
        data = {
            "title": title,
            "rating": "General Audiences",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": ["Original Work"],
            **fields,
        }
        work = work_create(
            actor=creator,
            pseuds=[creator.pseuds.get(is_default=True)],
            data=WorkInput(**data),
            chapter=ChapterInput(text=text),
            post=post,
        )
        for number in range(2, chapters + 1):
            chapter_add(
                actor=creator,
                work=work,
                data=ChapterInput(text=f"<p>Chapter {number} text.</p>", title=f"Part {number}"),
                post=True,
            )
        work.refresh_from_db()
        return work

    return make
