"""`polis doctor` finds each kind of drift between derived figures and rows, and repairs it."""

from io import StringIO

import pytest
from django.core.management import call_command

from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.engagement.kudos import kudos_give
from polis.search.models import WorkDoc
from polis.tags.filters import compute_filter_sets
from polis.tags.models import FilterTagging
from polis.works.models import Work

pytestmark = pytest.mark.django_db


def doctor(*args) -> tuple[int, list[str]]:
    out = StringIO()
    try:
        call_command("doctor", *args, stdout=out, stderr=StringIO())
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue().splitlines()


def test_a_sound_archive_is_all_ok(make_work, make_user):
    work = make_work(fandoms=["Doctor Who"])
    reader = make_user()
    kudos_give(actor=reader, work=work)
    comment_create(actor=reader, work=work, text="Lovely.")
    bookmark_create(actor=reader, work=work)
    assert doctor() == (
        0,
        ["counters: ok", "filter sets: ok", "search index: ok", "word counts: ok"],
    )


def test_each_drift_is_found_then_repaired(make_work, make_user):
    work = make_work(fandoms=["Doctor Who"])
    other = make_work(title="Other")
    kudos_give(actor=make_user(), work=work)
    filter_tags = len(compute_filter_sets([work.pk])[work.pk])
    Work.objects.filter(pk=work.pk).update(kudos_count=7, word_count=1)
    FilterTagging.objects.filter(work=work).delete()
    WorkDoc.objects.filter(work=other).delete()

    code, lines = doctor()
    assert code == 1
    assert lines == [
        f"counters: work {work.pk}: kudos_count 7, rows say 1 (found)",
        "counters: 1 problem(s)",
        f"filter sets: work {work.pk}: {filter_tags} filter tag(s) missing, 0 extra (found)",
        "filter sets: 1 problem(s)",
        f"search index: work {work.pk}: index figures differ: word_count, kudos_count (found)",
        f"search index: work {other.pk}: listed but not in the index (found)",
        "search index: 2 problem(s)",
        f"word counts: work {work.pk}: word_count 1, chapters say 3 (found)",
        "word counts: 1 problem(s)",
    ]
    assert filter_tags == 2  # the fandom and the rating

    assert doctor("--repair")[0] == 0
    assert doctor() == (
        0,
        ["counters: ok", "filter sets: ok", "search index: ok", "word counts: ok"],
    )
    work.refresh_from_db()
    assert (work.kudos_count, work.word_count) == (1, 3)
    assert WorkDoc.objects.filter(work=other).exists()
