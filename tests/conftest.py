"""Fixtures shared by the whole suite: users and works made through the real actions."""

import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.cache import cache

from polis.accounts.models import User
from polis.core.site_settings import site_settings_prime
from polis.downloads.guest import forget_all as forget_guest_downloads
from polis.search import accel
from polis.works.actions import ChapterInput, WorkInput, chapter_add, work_create
from polis.works.models import Work

_counter = itertools.count(1)
REAL_ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
# The accelerator's snapshots go to a scratch folder of this run, never to POLIS_DATA_DIR.
SNAPSHOT_DIR = Path(tempfile.mkdtemp(prefix="polis-test-search-"))
# Tests (or whole modules) marked `both_search_engines` run twice: once with the accelerator
# answering the listings, as in production, and once on the SQL backends alone.
SEARCH_ENGINES = {"accel": True, "sql": False}


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 (same algorithm and `argon2` prefix) with tiny costs: milliseconds, not 0.4 s."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


@pytest.fixture(autouse=True)
def _fast_argon2(settings):
    """Swap Argon2 for its cheap twin in place; tests still see Argon2 first in the list."""
    settings.PASSWORD_HASHERS = [
        f"{__name__}.FastArgon2PasswordHasher" if path == REAL_ARGON2 else path
        for path in settings.PASSWORD_HASHERS
    ]


@pytest.fixture(autouse=True)
def _no_hits_clock(settings):
    """The per-process hits-flush thread would write between a test's steps; the tests of
    that thread (tests/engagement/test_hits_clock.py) switch it back on."""
    settings.POLIS_HITS_FLUSH_THREAD = False


@pytest.fixture(autouse=True)
def _staff_mfa_off(settings):
    """Staff pages need two-factor sign-in in production (POLIS_STAFF_MFA_REQUIRED); tests of
    staff pages log staff in with force_login, so it is off here and tests/accounts/
    test_mfa.py turns it on to test it."""
    settings.POLIS_STAFF_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and caches live in the cache; tests must not share counts."""
    cache.clear()
    forget_guest_downloads()  # ids come back after a rollback: no pointer may outlive its test
    # The site settings as a warm server holds them: the defaults, which the row the
    # migrations made also holds (a test's own changes roll back with it).
    site_settings_prime()
    yield
    cache.clear()
    forget_guest_downloads()
    site_settings_prime()


def pytest_generate_tests(metafunc):
    """`@pytest.mark.both_search_engines` runs a test on each engine; with
    `(accel_bug="…")` the accelerator's run is a strict xfail: a known bug, not yet fixed."""
    marker = metafunc.definition.get_closest_marker("both_search_engines")
    if marker is None:
        return
    bug = marker.kwargs.get("accel_bug")
    accel_run = (
        pytest.param("accel", marks=pytest.mark.xfail(strict=True, reason=bug)) if bug else "accel"
    )
    metafunc.parametrize("_search_engine", [accel_run, "sql"], indirect=True)


@pytest.fixture(autouse=True)
def _search_engine(request, settings):
    """The accelerator is on, as in production (`sql` for the twin of a marked test), and each
    test starts with no arrays and no snapshot: the arrays of an earlier test would hold works
    its rollback removed, and ids come back after a rollback, so the change log cannot tell."""
    settings.POLIS_SEARCH_ACCEL = SEARCH_ENGINES[getattr(request, "param", "accel")]
    settings.POLIS_SEARCH_SNAPSHOT_DIR = SNAPSHOT_DIR
    accel.reset()
    shutil.rmtree(SNAPSHOT_DIR, ignore_errors=True)
    yield
    accel.reset()
    shutil.rmtree(SNAPSHOT_DIR, ignore_errors=True)


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


def pytest_configure(config):
    # WhiteNoise warns about a missing STATIC_ROOT; collectstatic creates it for `make serve`.
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # Persistent connections from live-server threads would block dropping the test database.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    settings.POLIS_SEARCH_SNAPSHOT_DIR = SNAPSHOT_DIR  # also for code outside any test


def pytest_unconfigure(config):
    shutil.rmtree(SNAPSHOT_DIR, ignore_errors=True)
