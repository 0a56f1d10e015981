"""Blurbs are rendered once and served from the cache (polis.search.fragments), and every
change a blurb shows reaches the next listing: edit, chapter post, restrict, hide, delete,
orphan, wrangling, renames, kudos and comment counts, mutes and the blocklist, a trim of the
change log. The accelerator answers the listings and the cache is on, as in production."""

import re
from dataclasses import replace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polis.accounts.actions import pseud_update, user_change_username
from polis.engagement.comments import comment_create
from polis.engagement.kudos import kudos_give
from polis.engagement.relations import mute_add
from polis.search import fragments
from polis.search.actions import tag_block_add
from polis.search.models import WorkChange
from polis.tags.models import Tag
from polis.tags.wrangling import tag_rename
from polis.works.actions import (
    ChapterInput,
    WorkInput,
    chapter_add,
    work_delete,
    work_set_hidden,
    work_update,
)
from polis.works.orphaning import work_orphan

pytestmark = pytest.mark.django_db

BLURB = re.compile(r'<li class="work blurb group" id="work_(\d+)".*?</dl>\s*</li>', re.S)


def blurbs(response) -> dict[int, str]:
    assert response.status_code == 200
    return {int(m.group(1)): m.group(0) for m in BLURB.finditer(response.content.decode())}


def title_of(html: str) -> str:
    return re.search(r'<a href="/works/\d+">([^<]*)</a>', html).group(1)


def stat(html: str, name: str) -> str | None:
    found = re.search(rf'<dd class="{name}"[^>]*>([^<]*)</dd>', html)
    return found.group(1) if found else None


def edit(work, **changes):
    data = replace(WorkInput.of(work), **changes)
    return work_update(actor=work.creatorships.first().pseud.user, work=work, data=data)


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def work(make_work, writer):
    return make_work(writer, title="First Title", freeforms=["Fluff"])


def test_a_second_listing_serves_blurbs_from_the_cache_without_loading_works(client, work):
    first = blurbs(client.get("/works"))
    with CaptureQueriesContext(connection) as queries:
        second = blurbs(client.get("/works"))
    assert second == first
    assert title_of(second[work.pk]) == "First Title"
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "works_tagging" not in sql and "works_creatorship" not in sql
    version = fragments.versions([work.pk])[work.pk]
    assert cache.get(fragments.blurb_key(work.pk, version)) == str(first[work.pk]) + "\n"


def test_an_edit_shows_on_the_next_listing(client, work):
    blurbs(client.get("/works"))
    edit(work, title="Second Title", summary="<p>New summary.</p>")
    shown = blurbs(client.get("/works"))[work.pk]
    assert title_of(shown) == "Second Title"
    assert "New summary." in shown


def test_a_posted_chapter_shows_on_the_next_listing(client, work, writer):
    before = blurbs(client.get("/works"))[work.pk]
    assert (stat(before, "chapters"), stat(before, "words")) == ("1/?", "3")
    chapter_add(actor=writer, work=work, data=ChapterInput(text="<p>Two more</p>"), post=True)
    after = blurbs(client.get("/works"))[work.pk]
    assert (stat(after, "chapters"), stat(after, "words")) == ("2/?", "5")


def test_restricting_takes_it_from_guests_and_shows_the_lock_to_members(client, work, make_user):
    assert 'alt="(Restricted)"' not in blurbs(client.get("/works"))[work.pk]
    edit(work, restricted=True)
    assert blurbs(client.get("/works")) == {}
    client.force_login(make_user("member"))
    assert 'alt="(Restricted)"' in blurbs(client.get("/works"))[work.pk]


def test_hidden_and_deleted_works_leave_the_listing(client, make_work, writer, make_user):
    hidden, deleted, kept = (make_work(writer, title=t) for t in ("Hidden", "Deleted", "Kept"))
    assert set(blurbs(client.get("/works"))) == {hidden.pk, deleted.pk, kept.pk}
    work_set_hidden(actor=make_user("chief", is_staff=True), work=hidden, hidden=True)
    work_delete(actor=writer, work=deleted)
    shown = blurbs(client.get("/works"))
    assert list(shown) == [kept.pk]
    assert "Hidden" not in client.get("/works").content.decode()


def test_an_orphaned_work_names_orphan_account(client, work, writer):
    assert (
        '<a rel="author" href="/users/writer/pseuds/writer">writer</a>'
        in blurbs(client.get("/works"))[work.pk]
    )
    work_orphan(actor=writer, work=work, keep_pseud_name=False)
    shown = blurbs(client.get("/works"))[work.pk]
    assert (
        '<a rel="author" href="/users/orphan_account/pseuds/orphan_account">orphan_account</a>'
        in shown
    )
    assert ">writer<" not in shown


def test_renaming_a_pseud_or_the_account_changes_the_byline(client, work, writer):
    blurbs(client.get("/works"))
    user_change_username(actor=writer, new_username="author")
    shown = blurbs(client.get("/works"))[work.pk]
    assert '<a rel="author" href="/users/author/pseuds/author">author</a>' in shown
    pseud = writer.pseuds.create(name="Pen")
    work.creatorships.update(pseud=pseud)
    # Crediting a pseud is an action of its own (it reindexes); here only the rename counts.
    WorkChange.objects.create(work_id=work.pk)
    blurbs(client.get("/works"))
    pseud_update(actor=writer, pseud=pseud, name="Quill")
    shown = blurbs(client.get("/works"))[work.pk]
    assert '<a rel="author" href="/users/author/pseuds/Quill">Quill (author)</a>' in shown


def test_a_renamed_tag_shows_its_new_name_and_link(client, work, make_user):
    blurbs(client.get("/works"))
    fluff = Tag.objects.get(name="Fluff")
    tag_rename(
        actor=make_user("wrangler", is_tag_wrangler=True), tag=fluff, name="Tooth-Rotting Fluff"
    )
    shown = blurbs(client.get("/works"))[work.pk]
    assert (
        '<a class="tag" href="/tags/Tooth-Rotting%20Fluff/works">Tooth-Rotting Fluff</a>' in shown
    )
    assert ">Fluff<" not in shown


def test_kudos_and_comments_count_on_the_next_listing(client, work, make_user):
    before = blurbs(client.get("/works"))[work.pk]
    assert (stat(before, "kudos"), stat(before, "comments")) == (None, None)
    kudos_give(actor=make_user("fan"), work=work)
    comment_create(actor=make_user("talker"), work=work, text="<p>Lovely.</p>")
    after = blurbs(client.get("/works"))[work.pk]
    assert (stat(after, "kudos"), stat(after, "comments")) == ("1", "1")


def test_mutes_take_works_and_counts_out_for_that_reader_only(client, work, make_work, make_user):
    loud, troll, reader = make_user("loud"), make_user("troll"), make_user("reader")
    theirs = make_work(loud, title="Loud Work")
    comment_create(actor=troll, work=work, text="<p>first!</p>")
    comment_create(actor=make_user("friend"), work=work, text="<p>Lovely.</p>")
    client.force_login(reader)
    assert stat(blurbs(client.get("/works"))[work.pk], "comments") == "2"
    mute_add(actor=reader, target=loud)
    mute_add(actor=reader, target=troll)
    shown = blurbs(client.get("/works"))
    assert list(shown) == [work.pk]
    assert stat(shown[work.pk], "comments") == "1"
    client.logout()
    guest = blurbs(client.get("/works"))
    assert set(guest) == {work.pk, theirs.pk}
    assert stat(guest[work.pk], "comments") == "2"


def test_the_blocklist_takes_works_out_for_that_reader_only(client, work, make_work, make_user):
    other = make_work(title="Angst Work", freeforms=["Angst"])
    reader = make_user("reader")
    client.force_login(reader)
    assert set(blurbs(client.get("/works"))) == {work.pk, other.pk}
    tag_block_add(actor=reader, name="Angst")
    assert list(blurbs(client.get("/works"))) == [work.pk]
    assert list(blurbs(client.get("/"))) == [work.pk]
    client.logout()
    assert set(blurbs(client.get("/works"))) == {work.pk, other.pk}


def test_the_home_page_follows_every_change(client, work, make_work):
    assert title_of(blurbs(client.get("/"))[work.pk]) == "First Title"
    edit(work, title="Home Title")
    newer = make_work(title="Newer")
    shown = blurbs(client.get("/"))
    assert list(shown) == [newer.pk, work.pk]
    assert title_of(shown[work.pk]) == "Home Title"


def test_a_trimmed_log_never_revives_an_older_fragment(client, work):
    blurbs(client.get("/works"))
    old_version = fragments.versions([work.pk])[work.pk]
    edit(work, title="After Edit")
    blurbs(client.get("/works"))
    newest = fragments.versions([work.pk])[work.pk]
    # The trim (polis.search.changelog): the work's rows go, a marker row stays.
    WorkChange.objects.filter(work_id=work.pk).delete()
    WorkChange.objects.create(work_id=-(newest + 1))
    trimmed = fragments.versions([work.pk])[work.pk]
    assert trimmed > newest > old_version
    assert title_of(blurbs(client.get("/works"))[work.pk]) == "After Edit"
