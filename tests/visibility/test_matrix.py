"""The visibility matrix (Polis issue 10): every hidden state × every viewer × every surface.

One world is built per module through the real actions: one work per state, each with its
own creator, title word, text word, canonical character tag, unwrangled freeform tag and
series, so a presence check is exact. Three readers (another user, a collection moderator,
an admin) subscribe to every creator and every series before anything is posted, so the
inbox and the digest have something to leak. Each test is one (state, surface) cell, run
for every viewer; a failing cell lists every viewer that saw what it should not.

The expectation (`seen`, `listed`, `expect`) restates the rule of `polis.works.visibility`
here, on purpose without calling it: the test must not agree with the code by construction.
Surfaces answered by the search service run with the accelerator on and off, and the test
checks which path really served them.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client, TestCase, override_settings

from polis.accounts.models import User
from polis.api.actions import token_create
from polis.collections.actions import items
from polis.collections.actions.collections import CollectionInput, collection_create
from polis.downloads.links import download_url
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.digests import digests_send
from polis.engagement.models import Bookmark
from polis.engagement.subscriptions import subscription_create
from polis.moderation.actions_content import content_hide, content_mark_spam
from polis.moderation.sanctions import user_suspend
from polis.moderation.targets import find_target
from polis.search import accel, service
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

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATES = [
    "draft",
    "public",
    "restricted",
    "deleted",
    "unrevealed",
    "anonymous",
    "hidden",
    "modhidden",  # hidden by an admin from the moderation queue, with a reason
    "spam",  # marked as spam by an admin: hidden, and counted against the account
    "chapterdraft",  # a posted work whose second of three chapters is a draft
    "suspended",  # a public work whose creator is suspended: AO3 keeps such works up
]
# States the rule treats exactly like another: a sanction on the creator is not a state of
# the work (a ban with deletion deletes the works: tests/moderation covers that).
ALIKE = {"suspended": "public"}
VIEWERS = ["guest", "other", "creator", "moderator", "admin"]
SUBSCRIBERS = {"other", "moderator", "admin"}
# The draft chapter of "chapterdraft": its title and a word of its text.
SECRET_TITLE = "Hushchapter"
SECRET_WORD = "hushword"
# Its third chapter, posted: readers know it as chapter 2.
LAST_TITLE = "Codachapter"
MISNUMBERED = re.compile(rf'Chapter 3\b|\b3\. {LAST_TITLE}|"position":\s*3\b')
REGISTERED_ONLY = "This work is only available to registered users of the Archive."

VISIBLE, RESTRICTED, HIDDEN = "visible", "restricted", "hidden"
# Hidden by staff, whichever way: the work's `hidden` switch, or moderation's actions.
STAFF_HIDDEN = {"hidden", "modhidden", "spam"}
# Moderation tells the creator, in the inbox (and by e-mail, so the digest skips it).
TOLD_CREATOR = {"modhidden", "spam"}


# --------------------------------------------------------------------------- the rule, restated


def seen(state: str, viewer: str) -> str:
    """How a viewer sees the work itself (its page): the rule, in its order."""
    state = ALIKE.get(state, state)
    if state == "deleted":
        return HIDDEN
    if viewer == "creator":
        return VISIBLE
    if state == "draft":
        return HIDDEN
    if state in STAFF_HIDDEN and viewer != "admin":
        return HIDDEN
    if state == "unrevealed" and viewer != "moderator":
        return HIDDEN
    if state == "restricted" and viewer == "guest":
        return RESTRICTED
    return VISIBLE


def listed(state: str, viewer: str) -> bool:
    """Whether listings, counts, search, OPDS, the API's lists and notices may show it:
    posted, not hidden, not unrevealed (whoever asks), and restricted only when logged in."""
    state = ALIKE.get(state, state)
    if state not in {"public", "restricted", "anonymous", "chapterdraft"}:
        return False
    return not (state == "restricted" and viewer == "guest")


def readable(state: str, viewer: str) -> bool:
    """Whether the viewer may read the posted work (its notices, the tags it carries): the
    page's answer, drafts and deleted works aside."""
    return state not in {"draft", "deleted"} and seen(state, viewer) == VISIBLE


@dataclass(frozen=True)
class Surface:
    name: str
    # Answered by the search service: run with the accelerator on as well as off.
    searched: bool = False
    # The accelerator serves it when on (creator scopes always go to SQL).
    accelerated: bool = False
    # Scoped to the creator: names them by design, and never lists an anonymous work.
    creator_scoped: bool = False


SURFACES = [
    Surface("work"),
    Surface("chapter"),
    Surface("full_work"),
    Surface("navigate"),
    Surface("works_listing", searched=True, accelerated=True),
    Surface("tag_listing", searched=True, accelerated=True),
    Surface("user_listing", searched=True, creator_scoped=True),
    Surface("pseud_listing", searched=True, creator_scoped=True),
    Surface("tag_count", searched=True, accelerated=True),
    Surface("facet_count", searched=True, accelerated=True),
    Surface("user_count", searched=True, creator_scoped=True),
    Surface("pseud_count", searched=True, creator_scoped=True),
    Surface("search", searched=True, accelerated=True),
    Surface("atom_feed"),
    Surface("opds_latest", searched=True, accelerated=True),
    Surface("opds_search", searched=True, accelerated=True),
    Surface("api_works", searched=True, accelerated=True),
    Surface("api_work"),
    Surface("api_tag_works", searched=True, accelerated=True),
    Surface("api_user_works", searched=True, creator_scoped=True),
    Surface("download"),
    Surface("download_epub"),
    Surface("series"),
    Surface("api_series"),
    Surface("inbox"),
    Surface("api_inbox"),
    Surface("digest"),
    Surface("autocomplete"),
    Surface("api_tags"),
    Surface("api_tag_search"),
    Surface("bookmark_search"),
    Surface("api_bookmark_search"),
    # A public "twin" work sharing a canonical tag with the subject lists it as similar.
    Surface("similar"),
    Surface("api_similar"),
]
BY_NAME = {surface.name: surface for surface in SURFACES}
OBJECT_SURFACES = {"api_work", "download", "download_epub"}
PAGE_SURFACES = {"work", "chapter", "full_work", "navigate"}
COUNT_SURFACES = {"tag_count", "user_count", "pseud_count", "api_tag_works", "api_user_works"}
NOTICE_SURFACES = {"inbox", "api_inbox", "digest"}
TAG_SURFACES = {"autocomplete", "api_tags", "api_tag_search"}


@dataclass(frozen=True)
class Expect:
    status: int = 200
    present: bool = False  # the work's title is in the answer
    count: int | None = None  # the number a count surface shows
    registered_only: bool = False  # the registered-users message


def expect(state: str, viewer: str, surface: str) -> Expect:
    """What the rule says this viewer gets from this surface for a work in this state."""
    look = seen(state, viewer)
    if surface in PAGE_SURFACES:
        if surface == "chapter" and state == "chapterdraft":
            # The chapter asked for is the draft one: its creator's alone.
            look = VISIBLE if viewer == "creator" else HIDDEN
        if look == HIDDEN:
            return Expect(status=404)
        if look == RESTRICTED:
            return Expect(registered_only=True)
        return Expect(present=True)
    if surface in OBJECT_SURFACES:
        # Drafts are never downloaded, not even by their creators.
        can_read = look == VISIBLE and not (surface != "api_work" and state == "draft")
        return Expect(status=200, present=True) if can_read else Expect(status=404)
    if surface in {"series", "api_series"}:
        # A series lists its parts as every listing does (listed works only); its creator
        # always sees the series, others when it lists a work they may read.
        shown = listed(state, viewer)
        return Expect(status=200 if shown or viewer == "creator" else 404, present=shown)
    if surface == "atom_feed":
        # A feed is the same for everyone: what a guest may read.
        return Expect(present=listed(state, "guest"))
    if surface in NOTICE_SURFACES:
        if viewer == "guest" and surface != "digest":
            return Expect(status=302 if surface == "inbox" else 401)
        if viewer == "creator" and state in TOLD_CREATOR:
            # Moderation's notice names the work to its creator, and was e-mailed at once.
            return Expect(present=surface != "digest")
        # Checked when read: a notice names a work only while the reader may read it.
        return Expect(present=viewer in SUBSCRIBERS and readable(state, viewer))
    if surface in TAG_SURFACES:
        # A tag used only by works this viewer may not read is as good as unknown to them;
        # superusers (who wrangle) see every tag.
        return Expect(present=viewer == "admin" or readable(state, viewer))
    shown = listed(state, viewer)
    if BY_NAME[surface].creator_scoped and state == "anonymous":
        shown = False
    return Expect(present=shown, count=int(shown) if surface in COUNT_SURFACES else None)


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


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module inside a transaction rolled back at its end."""
    data_dir = tmp_path_factory.mktemp("matrix")
    with (
        django_db_blocker.unblock(),
        override_settings(TASKS=IMMEDIATE_TASKS, DATA_DIR=data_dir),
        transaction.atomic(),
    ):
        built = _build()
        mail.outbox = []
        with _step():
            digests_send()
        built.digests = {message.to[0]: message.body for message in mail.outbox}
        built.data_dir = data_dir
        built.clients = _login(built)
        accel.reset()
        yield built
        accel.reset()
        transaction.set_rollback(True)


@pytest.fixture
def served(monkeypatch) -> list[str]:
    """Which path answered each search: "accelerator" or "sql"."""
    paths: list[str] = []
    accelerated = service._accelerated
    backend = service.get_backend

    def spy_accelerated(*args, **kwargs):
        paths.append("accelerator")
        return accelerated(*args, **kwargs)

    class Spied:
        def __init__(self, backend):
            self._backend = backend

        def search(self, *args, **kwargs):
            paths.append("sql")
            return self._backend.search(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self._backend, name)

    monkeypatch.setattr(service, "_accelerated", spy_accelerated)
    monkeypatch.setattr(service, "get_backend", lambda: Spied(backend()))
    return paths


# --------------------------------------------------------------------------- asking


@dataclass
class Answer:
    status: int
    body: str
    html: bool = False

    def without_own_links(self, username: str) -> str:
        """The page less the viewer's own navigation (a logged-in creator sees their name)."""
        text = re.sub(r'<nav aria-label="Your pages">.*?</nav>', "", self.main, flags=re.S)
        return text.replace(f'href="/users/{username}/saved_searches"', "")

    @property
    def main(self) -> str:
        """The page's own content: the header names whoever is logged in."""
        if self.html and '<main id="main"' in self.body:
            return self.body.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        return self.body


def _answer(response) -> Answer:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type == "application/epub+zip":
        # The book's every file: its text, its metadata (dc:creator), its navigation.
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            body = b"\n".join(book.read(name) for name in book.namelist())
    text = body.decode("utf-8", "replace")
    return Answer(response.status_code, text, html=content_type.startswith("text/html"))


def _login(world: World) -> dict[str, tuple[Client, ApiClient]]:
    """One web and one API client per viewer (each state's creator too), logged in once."""
    clients = {"guest": (Client(), ApiClient())}
    people = {**world.users, **{f"creator:{s}": sub.creator for s, sub in world.subjects.items()}}
    for key, user in people.items():
        client = Client()
        client.force_login(user)
        clients[key] = (client, ApiClient(world.tokens[key]))
    return clients


def ask(world: World, subject: Subject, viewer: str, surface: str, served: list[str], on: bool):
    """This viewer's answers from this surface for this subject (the first is the surface)."""
    key = f"creator:{subject.state}" if viewer == "creator" else viewer
    web, api = world.clients[key]

    def get(client, path: str) -> Answer:
        memo = (on, key, client is api, path)
        if memo not in world.answers:
            start = len(served)
            answer = _answer(client.get(path))
            world.answers[memo] = (answer, served[start:])
            return answer
        answer, paths = world.answers[memo]
        served.extend(paths)
        return answer

    work, tag, user = subject.work_id, subject.character, subject.creator.username
    inbox_owner = subject.creator if viewer == "creator" else world.users.get(viewer)
    inbox_owner = inbox_owner or world.users["other"]
    chapter = subject.chapter_id
    if surface == "chapter" and subject.secret_chapter_id:
        chapter = subject.secret_chapter_id
    paths = {
        "work": f"/works/{work}",
        "chapter": f"/works/{work}/chapters/{chapter}",
        "full_work": f"/works/{work}?view_full_work=true",
        "navigate": f"/works/{work}/navigate",
        "works_listing": "/works",
        "facet_count": "/works",
        "tag_listing": f"/tags/{tag}/works",
        "tag_count": f"/tags/{tag}/works",
        "user_listing": f"/users/{user}/works",
        "pseud_listing": f"/users/{user}/pseuds/{user}/works",
        "user_count": f"/users/{user}",
        "pseud_count": f"/users/{user}/pseuds/{user}",
        "search": f"/works/search?work_search[query]={subject.word}",
        "atom_feed": f"/tags/{tag}/feed.atom",
        "opds_latest": "/opds/works",
        "opds_search": f"/opds/search?q={subject.word}",
        "download": subject.download,
        "download_epub": subject.epub,
        "series": f"/series/{subject.series_id}",
        # A viewer's own inbox; a guest asks for the reader's and is sent to log in.
        "inbox": f"/users/{inbox_owner.username}/inbox",
        "autocomplete": f"/autocomplete/tags?term={subject.freeform}",
        # The reader bookmarked every work (the page would echo a title asked for).
        "bookmark_search": "/bookmarks/search?bookmark_search[bookmarker]=reader",
        "similar": f"/works/{subject.twin_id}",
    }
    api_paths = {
        "api_works": "/works",
        "api_work": f"/works/{work}",
        "api_tag_works": f"/tags/{tag}/works",
        "api_user_works": f"/users/{user}/works",
        "api_series": f"/series/{subject.series_id}",
        "api_inbox": "/inbox",
        "api_tags": f"/tags?name={subject.freeform}",
        "api_tag_search": f"/tags/search?tag_search[name]={subject.freeform}",
        "api_bookmark_search": "/bookmarks/search?bookmark_search[bookmarker]=reader",
        "api_similar": f"/works/{subject.twin_id}/similar",
    }
    if surface == "digest":
        if viewer == "guest":
            return [Answer(200, "")]  # a guest has no inbox: the inbox surface checks the refusal
        address = (subject.creator if viewer == "creator" else world.users[viewer]).email
        return [Answer(200, world.digests.get(address, ""))]
    if surface in paths:
        answers = [get(web, paths[surface])]
        if surface == "search" and subject.state == "chapterdraft":
            # The draft chapter's text is not searchable: its word finds nothing.
            answers.append(get(web, f"/works/search?work_search[query]={SECRET_WORD}"))
        return answers
    return [get(api, api_paths[surface])]


_HEADING = re.compile(r'<h1 class="heading">(.*?)</h1>', re.S)


def shown_count(surface: str, subject: Subject, answer: Answer) -> int | None:
    if surface == "tag_count":
        heading = _HEADING.search(answer.main)
        found = heading and re.search(r"([\d,]+) Works", heading.group(1))
        return int(found.group(1).replace(",", "")) if found else None
    if surface in {"user_count", "pseud_count"}:
        if "o works to show yet." in answer.main:
            return 0
        of = f" by {subject.creator.username}" if surface == "pseud_count" else ""
        found = re.search(rf"All works{of} \(([\d,]+)\)", answer.main)
        return int(found.group(1)) if found else None
    if surface in {"api_tag_works", "api_user_works"}:
        return _json_count(answer)
    return None


def _json_count(answer: Answer) -> int | None:
    import json

    try:
        return json.loads(answer.body).get("count")
    except ValueError:
        return None


def check(world: World, subject: Subject, viewer: str, surface: str, answers) -> list[str]:
    """Every way this cell's answers break the rule, as readable lines."""
    want = expect(subject.state, viewer, surface)
    cell = f"{subject.state} × {viewer} × {surface}"
    problems = []
    first = answers[0]
    if first.status != want.status:
        problems.append(f"{cell}: status {first.status}, expected {want.status}")
        return problems
    if surface == "facet_count":
        label = f"{subject.character} (1)"  # unwrangled tags are no filters: no facet
        if (label in first.main) != want.present:
            problems.append(f"{cell}: facet “{label}” {'missing' if want.present else 'shown'}")
    elif want.count is not None:
        count = shown_count(surface, subject, first)
        if count != want.count:
            problems.append(f"{cell}: count {count}, expected {want.count}")
    if surface in TAG_SURFACES:
        present, what = f'"{subject.freeform}"' in first.body, "tag"
    else:
        present, what = subject.title in first.main, "title"
    if present != want.present:
        problems.append(f"{cell}: {what} {'missing' if want.present else 'shown'}")
    if (REGISTERED_ONLY in first.main) != want.registered_only:
        problems.append(
            f"{cell}: registered-users message {'missing' if want.registered_only else 'shown'}"
        )
    for answer in answers[:1]:
        text = answer.main
        if subject.state == "anonymous" and not BY_NAME[surface].creator_scoped:
            name = subject.creator.username
            if viewer == "creator":
                text = answer.without_own_links(name)
            if viewer == "creator" and surface == "inbox":
                continue  # their own inbox page, which holds no notice of their own work
            if name in text:
                problems.append(f"{cell}: names the anonymous creator")
        if subject.state == "chapterdraft":
            secret = SECRET_TITLE in text or SECRET_WORD in text
            shows = viewer == "creator" and surface in {"chapter", "full_work", "navigate"}
            if surface in {"work", "api_work"} and viewer == "creator":
                continue  # the creator's own page may mention their draft either way
            if secret != shows:
                problems.append(f"{cell}: draft chapter {'missing' if shows else 'shown'}")
    if subject.state == "chapterdraft" and viewer != "creator" and MISNUMBERED.search(first.main):
        problems.append(f"{cell}: numbers the chapters counting the draft")
    if len(answers) > 1 and subject.title in answers[1].main:
        problems.append(f"{cell}: the draft chapter's text finds the work")
    return problems


# --------------------------------------------------------------------------- the cells

# Leaks others are fixing in parallel branches (the lead removes these when merging).
LEAK_TAGS = "(1) tag autocomplete, tag pages and the tags API count tags used only by hidden works"
LEAK_CHAPTERS = "(2) chapter positions count draft chapters (“Chapter 3” of two posted)"
LEAK_NOTICES = (
    "(4) notices and digests written before concealment, and series naming anonymous creators"
)
# Cells a known, unfixed leak makes fail, as strict xfails naming the leak: none now.
KNOWN_LEAKS: dict[tuple[str, str], str] = {}


def _cells():
    for accelerated in (False, True):
        for state in STATES:
            for surface in SURFACES:
                if accelerated and not surface.searched:
                    continue
                marks = []
                if (state, surface.name) in KNOWN_LEAKS:
                    marks = [
                        pytest.mark.xfail(strict=True, reason=KNOWN_LEAKS[state, surface.name])
                    ]
                mode = "accel" if accelerated else "sql"
                yield pytest.param(
                    accelerated,
                    state,
                    surface.name,
                    marks=marks,
                    id=f"{mode}-{state}-{surface.name}",
                )


@pytest.fixture
def matrix_settings(settings, world):
    settings.DATA_DIR = world.data_dir
    settings.MEDIA_ROOT = world.data_dir / "media"
    settings.POLIS_SEARCH_SNAPSHOT_DIR = Path(world.data_dir) / "search"
    settings.TASKS = IMMEDIATE_TASKS
    return settings


@pytest.mark.parametrize(("accelerated", "state", "surface"), list(_cells()))
def test_every_viewer_sees_what_the_rule_allows(
    world, matrix_settings, served, accelerated, state, surface
):
    matrix_settings.POLIS_SEARCH_ACCEL = accelerated
    subject = world.subjects[state]
    problems = []
    for viewer in VIEWERS:
        served.clear()
        answers = ask(world, subject, viewer, surface, served, accelerated)
        problems += check(world, subject, viewer, surface, answers)
        spec = BY_NAME[surface]
        if spec.searched and served:
            wanted = "accelerator" if accelerated and spec.accelerated else "sql"
            if set(served) != {wanted}:
                problems.append(f"{state} × {viewer} × {surface}: served by {served}, not {wanted}")
        elif spec.searched and answers[0].status == 200:
            problems.append(f"{state} × {viewer} × {surface}: no search ran")
    assert not problems, "\n".join(problems)


def test_a_bookmark_outlives_its_deleted_work(world, client):
    reader = world.users["other"]
    kept = Bookmark.objects.filter(user=reader, work__isnull=True)
    assert [b.notes for b in kept] == ["<p>Kept for later.</p>"]
    client.force_login(reader)
    page = client.get("/users/reader/bookmarks")
    assert page.status_code == 200
    assert world.subjects["deleted"].title not in page.content.decode()
