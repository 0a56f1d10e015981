"""FanFicFare's AO3 adapter, unchanged but for its address, reads Polis works from a live server.

Only the test points the adapter at the live server: a subclass names the server's host as
the site, keeps AO3's settings sections and swaps https for http (the test server has no TLS).
Every page, the login and the parsing are FanFicFare's own code.
"""

import os
from urllib.parse import urlsplit

import fanficfare
import pytest
from bs4 import BeautifulSoup
from fanficfare import exceptions
from fanficfare.adapters.adapter_archiveofourownorg import ArchiveOfOurOwnOrgAdapter
from fanficfare.configurable import Configuration

from polis.works.actions import ChapterInput, WorkInput, chapter_add, work_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-test-password"


@pytest.fixture
def fanficfare_for(live_server):
    """`fanficfare_for(work_id, username=…, password=…)`: FanFicFare's AO3 adapter for
    `/works/ID` on the live server, logged out until it needs an account, set up as a reader's
    personal.ini would set it up."""
    configs = []

    def make(work_id: int, *, username: str = "", password: str = ""):
        config = _configuration(live_server, username, password)
        configs.append(config)
        return config.adapter_class(config, f"https://{config.site}/works/{work_id}")

    yield make
    # Close the tool's keep-alive connections while the live server's database is still shared.
    for config in configs:
        session = config.get_fetcher().requests_session
        if session is not None:
            session.close()


def _configuration(live_server, username: str, password: str) -> Configuration:
    host = urlsplit(live_server.url).netloc

    class PolisAdapter(ArchiveOfOurOwnOrgAdapter):
        @staticmethod
        def getSiteDomain():
            return host

        @classmethod
        def getAcceptDomains(cls):
            return [host]

        def mod_url_request(self, url):
            return url.replace(f"https://{host}/", f"http://{host}/", 1)

    config = Configuration(["base_otw", "archiveofourown.org", host], "epub")
    config.read(os.path.join(os.path.dirname(fanficfare.__file__), "defaults.ini"))
    config.read_string(
        "[overrides]\n"
        "slow_down_sleep_time:0\n"
        "use_basic_cache:false\n"
        f"username:{username}\n"
        f"password:{password}\n"
    )
    config.adapter_class = PolisAdapter
    return config


def _text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


@pytest.fixture
def writer(make_user):
    return make_user("quill")


@pytest.fixture
def public_work(writer):
    pseud = writer.pseuds.get(is_default=True)
    work = work_create(
        actor=writer,
        pseuds=[pseud],
        data=WorkInput(
            title="The Lighthouse Keeper",
            rating="Teen And Up Audiences",
            warnings=["No Archive Warnings Apply"],
            categories=["F/F"],
            fandoms=["The 100 (TV)"],
            relationships=["Clarke Griffin/Lexa"],
            characters=["Clarke Griffin", "Lexa"],
            freeforms=["Slow Burn", "Lighthouses"],
            summary="<p>Two keepers, one lamp.</p>",
            notes="<p>Written for a friend.</p>",
            end_notes="<p>Thank you for reading.</p>",
            expected_chapters=2,
        ),
        chapter=ChapterInput(
            text="<p>The lamp turned all night.</p>",
            title="Dusk",
            notes="<p>First chapter note.</p>",
        ),
        post=True,
    )
    chapter_add(
        actor=writer,
        work=work,
        data=ChapterInput(
            text="<p>Morning came over the water.</p>",
            title="Dawn",
            end_notes="<p>Second chapter end note.</p>",
        ),
        post=True,
    )
    work.refresh_from_db()
    return work


@pytest.fixture
def restricted_work(writer):
    return work_create(
        actor=writer,
        pseuds=[writer.pseuds.get(is_default=True)],
        data=WorkInput(
            title="Members Only",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
            summary="<p>Behind the door.</p>",
            restricted=True,
        ),
        chapter=ChapterInput(text="<p>Only readers with an account see this.</p>"),
        post=True,
    )


def test_fanficfare_reads_metadata_of_a_public_work(fanficfare_for, live_server, public_work):
    adapter = fanficfare_for(public_work.pk)

    story = adapter.getStoryMetadataOnly()

    host = urlsplit(live_server.url).netloc
    today = public_work.published_at.strftime("%Y-%m-%d")
    assert story.getMetadata("title") == "The Lighthouse Keeper"
    assert story.getList("author") == ["quill"]
    assert story.getList("authorUrl") == [f"https://{host}/users/quill/pseuds/quill"]
    assert story.getMetadata("rating") == "Teen And Up Audiences"
    assert story.getList("warnings") == ["No Archive Warnings Apply"]
    assert story.getList("ao3categories") == ["F/F"]
    assert story.getList("fandoms") == ["The 100 (TV)"]
    assert story.getList("ships") == ["Clarke Griffin/Lexa"]
    assert story.getList("characters") == ["Clarke Griffin", "Lexa"]
    assert story.getList("freeformtags") == ["Lighthouses", "Slow Burn"]
    assert story.getMetadata("language") == "English"
    assert story.getMetadata("numWords") == "10"
    assert story.getMetadata("chapterslashtotal") == "2/2"
    assert story.getMetadata("status") == "Completed"
    assert story.getMetadata("datePublished") == today
    assert _text(story.getMetadata("description")) == "Two keepers, one lamp."
    assert story.getMetadata("restricted") == ""
    assert [(c["title"], c["url"], c["date"]) for c in adapter.get_chapters()] == [
        (
            "1. Dusk",
            f"https://{host}{public_work.chapters.get(position=1).get_absolute_url()}",
            today,
        ),
        (
            "2. Dawn",
            f"https://{host}{public_work.chapters.get(position=2).get_absolute_url()}",
            today,
        ),
    ]


def test_fanficfare_reads_chapter_text_and_notes(fanficfare_for, public_work):
    adapter = fanficfare_for(public_work.pk)

    story = adapter.getStory()

    chapters = story.getChapters()
    assert [c["title"] for c in chapters] == ["1. Dusk", "2. Dawn"]
    assert _text(chapters[0]["html"]) == (
        "Author's Note: Written for a friend. "
        "Notes for the Chapter: First chapter note. "
        "The lamp turned all night."
    )
    assert _text(chapters[1]["html"]) == (
        "Morning came over the water. "
        "Notes for the Chapter: Second chapter end note. "
        "Author's Note: Thank you for reading."
    )


def test_fanficfare_logs_in_with_ao3_fields_to_read_a_restricted_work(
    fanficfare_for, restricted_work
):
    adapter = fanficfare_for(restricted_work.pk, username="quill", password=PASSWORD)

    story = adapter.getStory()

    assert story.getMetadata("title") == "Members Only"
    assert story.getMetadata("restricted") == "Restricted"
    assert story.getList("author") == ["quill"]
    assert _text(story.getMetadata("description")) == "Behind the door."
    assert [_text(c["html"]) for c in story.getChapters()] == [
        "Only readers with an account see this."
    ]


@pytest.mark.parametrize("login", ["quill", "quill@example.org"])
def test_fanficfare_logs_in_with_username_or_email(fanficfare_for, restricted_work, login):
    adapter = fanficfare_for(restricted_work.pk, username=login, password=PASSWORD)

    story = adapter.getStoryMetadataOnly()

    assert story.getMetadata("title") == "Members Only"


def test_fanficfare_with_a_wrong_password_fails_to_log_in(fanficfare_for, restricted_work):
    adapter = fanficfare_for(restricted_work.pk, username="quill", password="wrong")

    with pytest.raises(exceptions.FailedToLogin):
        adapter.getStoryMetadataOnly()


def test_fanficfare_without_an_account_is_asked_to_log_in(fanficfare_for, restricted_work):
    adapter = fanficfare_for(restricted_work.pk)

    with pytest.raises(exceptions.FailedToLogin):
        adapter.getStoryMetadataOnly()
