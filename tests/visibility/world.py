"""The visibility matrix's world: one work per hidden state, built through the real actions
(tests/visibility/test_matrix.py says what it holds), and a logged-in client per viewer."""

from dataclasses import dataclass, field
from pathlib import Path

from django.test import Client, TestCase

from polis.accounts.models import User
from polis.api.actions import token_create
from polis.collections.actions import items
from polis.collections.actions.collections import CollectionInput, collection_create
from polis.downloads.links import download_url
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.subscriptions import subscription_create
from polis.moderation.actions_content import content_hide, content_mark_spam
from polis.moderation.sanctions import user_suspend
from polis.moderation.targets import find_target
from polis.tags.actions import tags_find_or_create
from polis.tags.wrangling import tag_set_canonical
from polis.works.actions import (
    ChapterInput,
    WorkInput,
    chapter_add,
    work_create,
    work_delete,
    work_set_hidden,
)
from polis.works.series import series_add_work, series_create
from tests.api.conftest import ApiClient
from tests.visibility.rule import (
    LAST_TITLE,
    SECRET_TITLE,
    SECRET_WORD,
    STATES,
    SUBSCRIBERS,
)

# --------------------------------------------------------------------------- the world


@dataclass
class Subject:
    """One state's work and everything that names it."""

    state: str
    creator: User
    work_id: int
    chapter_id: int
    series_id: int
    download: str
    epub: str
    title: str
    word: str  # a word of its text, for full-text search
    character: str  # a canonical character tag of its own (tag pages, feeds, facets)
    freeform: str  # an unwrangled tag of its own (autocomplete)
    secret_chapter_id: int | None = None
    twin_id: int = 0  # a public work whose only rare tag it shares with this one


@dataclass
class World:
    users: dict[str, User]
    tokens: dict[str, str]
    subjects: dict[str, Subject]
    digests: dict[str, str] = field(default_factory=dict)
    data_dir: Path | None = None
    clients: dict = field(default_factory=dict)
    # Answers by (accelerator on, viewer, path): the world does not change between cells,
    # so a listing every state reads (/works, /opds/works) is asked once per viewer.
    answers: dict = field(default_factory=dict)


def _user(username: str, **extra) -> User:
    # No password: hashing one costs a real Argon2 run here, and force_login needs none.
    return User.objects.create_user(username=username, email=f"{username}@example.org", **extra)


def _step():
    """One request's worth of writes: what it defers to its commit runs at its end."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _build() -> World:
    chief = _user("chief", is_staff=True, is_superuser=True)
    users = {"other": _user("reader"), "moderator": _user("keeper"), "admin": chief}
    with _step():
        fests = {
            name: collection_create(
                actor=users["moderator"],
                data=CollectionInput(name=name, title=name.title(), **flags),
            )
            for name, flags in [
                ("veilfest", {"unrevealed": True}),
                ("maskfest", {"anonymous": True}),
                ("plainfest", {}),
            ]
        }
    twins = {}
    for state in STATES:  # made first: the subjects are the newest works in every listing
        cap = state.capitalize()
        twin_writer = _user(f"twin{state}")
        with _step():
            (twin_tag,) = tags_find_or_create(names=[f"Twin{cap}"], tag_type="freeform")
            tag_set_canonical(actor=chief, tag=twin_tag, canonical=True)
            twins[state] = work_create(
                actor=twin_writer,
                pseuds=[twin_writer.pseuds.get(is_default=True)],
                data=WorkInput(
                    title=f"Mirror{cap}",
                    rating="General Audiences",
                    warnings=["No Archive Warnings Apply"],
                    fandoms=["Original Work"],
                    freeforms=[f"Twin{cap}"],
                ),
                chapter=ChapterInput(text="<p>Reflections.</p>"),
                post=True,
            )
    subjects = {}
    for state in STATES:
        cap = state.capitalize()
        creator = _user(f"pen{state}")
        title, word = f"Vellum{cap}", f"inkword{state}"
        character, freeform = f"Sigil{cap}", f"Rune{cap}"
        with _step():
            (tag,) = tags_find_or_create(names=[character], tag_type="character")
            tag_set_canonical(actor=chief, tag=tag, canonical=True)
            series = series_create(actor=creator, title=f"Saga{cap}")
            for subscriber in SUBSCRIBERS:
                subscription_create(actor=users[subscriber], target=creator)
                subscription_create(actor=users[subscriber], target=series)
        with _step():
            work = work_create(
                actor=creator,
                pseuds=[creator.pseuds.get(is_default=True)],
                data=WorkInput(
                    title=title,
                    rating="General Audiences",
                    warnings=["No Archive Warnings Apply"],
                    fandoms=["Original Work"],
                    characters=[character],
                    freeforms=[freeform, f"Twin{cap}"],
                    restricted=state == "restricted",
                ),
                chapter=ChapterInput(text=f"<p>Plain words and {word} in them.</p>"),
                post=state != "draft",
            )
        with _step():
            series_add_work(actor=creator, series=series, work=work)
        subject = Subject(
            state=state,
            creator=creator,
            work_id=work.pk,
            chapter_id=work.chapters.get().pk,
            series_id=series.pk,
            download=download_url(work, "html"),
            epub=download_url(work, "epub"),
            title=title,
            word=word,
            character=character,
            freeform=freeform,
            twin_id=twins[state].pk,
        )
        if state == "deleted":
            with _step():
                bookmark_create(actor=users["other"], work=work, notes="Kept for later.")
        elif state != "draft":  # bookmarked while public; bookmark searches must follow
            with _step():
                bookmark_create(actor=users["other"], work=work)
        with _step():
            if state == "deleted":
                work_delete(actor=creator, work=work)
            elif state == "unrevealed":
                items.item_add(actor=creator, collection=fests["veilfest"], work=work)
            elif state == "anonymous":
                items.item_add(actor=creator, collection=fests["maskfest"], work=work)
            elif state == "hidden":
                work_set_hidden(actor=chief, work=work, hidden=True)
            elif state == "modhidden":
                content_hide(actor=chief, target=find_target("work", work.pk), reason="Harassment.")
            elif state == "spam":
                content_mark_spam(actor=chief, target=find_target("work", work.pk))
            elif state == "suspended":
                user_suspend(actor=chief, user=creator, days=30, reason="Matrix: suspended.")
            elif state == "chapterdraft":
                draft = chapter_add(
                    actor=creator,
                    work=work,
                    data=ChapterInput(text=f"<p>{SECRET_WORD} here.</p>", title=SECRET_TITLE),
                    post=False,
                )
                subject.secret_chapter_id = draft.pk
                chapter_add(
                    actor=creator,
                    work=work,
                    data=ChapterInput(text="<p>The end.</p>", title=LAST_TITLE),
                    post=True,
                )
        subjects[state] = subject
    tokens = {name: token_create(actor=user, name="matrix")[1] for name, user in users.items()}
    for state, subject in subjects.items():
        tokens[f"creator:{state}"] = token_create(actor=subject.creator, name="matrix")[1]
    return World(users=users, tokens=tokens, subjects=subjects)


def _login(world: World) -> dict[str, tuple[Client, ApiClient]]:
    """One web and one API client per viewer (each state's creator too), logged in once."""
    clients = {"guest": (Client(), ApiClient())}
    people = {**world.users, **{f"creator:{s}": sub.creator for s, sub in world.subjects.items()}}
    for key, user in people.items():
        client = Client()
        client.force_login(user)
        clients[key] = (client, ApiClient(world.tokens[key]))
    return clients
