"""Muting a writer takes their works out of the reader's listings and counts, not just CSS."""

import pytest

from polis.engagement.kudos import kudos_give
from polis.engagement.relations import mute_add
from polis.works.actions import chapter_delete
from tests.works.support import listed_work_ids, main_heading

pytestmark = [pytest.mark.django_db, pytest.mark.both_search_engines]


def test_muted_writers_works_leave_the_readers_listings_and_counts(client, make_user, make_work):
    loud, quiet, reader = make_user("loud"), make_user("quiet"), make_user("reader")
    loud_work = make_work(loud, title="Loud")
    quiet_work = make_work(quiet, title="Quiet")
    client.force_login(reader)
    assert listed_work_ids(client.get("/works")) == [quiet_work.pk, loud_work.pk]

    mute_add(actor=reader, target=loud)

    response = client.get("/works")
    assert listed_work_ids(response) == [quiet_work.pk]
    assert main_heading(response) == "1 - 1 of 1 Works"
    tag_page = client.get("/tags/Original Work/works")
    assert listed_work_ids(tag_page) == [quiet_work.pk]
    # Other readers still see both.
    client.force_login(make_user("other"))
    assert listed_work_ids(client.get("/works")) == [quiet_work.pk, loud_work.pk]


def test_deleting_a_chapter_takes_its_kudos_out_of_the_work_count(make_user, make_work):
    writer, fan = make_user("writer"), make_user("fan")
    work = make_work(writer, chapters=2)
    second = work.chapters.get(position=2)
    kudos_give(actor=fan, work=work, chapter=second)
    work.refresh_from_db()
    assert work.kudos_count == 1

    chapter_delete(actor=writer, chapter=second)

    work.refresh_from_db()
    assert (work.kudos_count, work.chapter_count) == (0, 1)


def test_muted_readers_comments_leave_the_counts_a_reader_sees(client, make_user, make_work):
    from polis.engagement.comments import comment_create

    writer, troll, reader = make_user("writer"), make_user("troll"), make_user("reader")
    work = make_work(writer, title="Counted")
    comment_create(actor=troll, work=work, text="<p>first!</p>")
    comment_create(actor=make_user("friend"), work=work, text="<p>Lovely.</p>")
    client.force_login(reader)
    mute_add(actor=reader, target=troll)

    listing = client.get("/works").content.decode()
    page = client.get(f"/works/{work.pk}").content.decode()

    assert '<dd class="comments">1</dd>' in listing
    assert '<dd class="comments">1</dd>' in page
    client.force_login(writer)
    assert '<dd class="comments">2</dd>' in client.get(f"/works/{work.pk}").content.decode()
