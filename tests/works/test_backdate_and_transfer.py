"""The works actions imports use: backdating chapters, moving a work to another writer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from polis.works.actions import work_backdate, work_transfer_creator

pytestmark = pytest.mark.django_db


def test_backdate_sets_chapter_dates_and_updated_and_refuses_the_future(make_work):
    work = make_work(chapters=2, published_at=datetime.date(2020, 1, 1))
    work_backdate(
        actor=work.creatorships.get().pseud.user,
        work=work,
        chapter_dates={2: datetime.date(2020, 2, 2)},
        updated=datetime.date(2020, 2, 2),
    )
    work.refresh_from_db()
    assert [c.published_at for c in work.chapters.order_by("position")] == [
        datetime.date(2020, 1, 1),
        datetime.date(2020, 2, 2),
    ]
    assert work.revised_at.date() == datetime.date(2020, 2, 2)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        work_backdate(actor=None, work=work, chapter_dates={1: tomorrow})
    assert work.chapters.get(position=1).published_at == datetime.date(2020, 1, 1)


def test_transfer_moves_the_credit_to_the_claimers_own_pseud_only(make_work, make_user):
    archivist, writer, other = make_user(), make_user(), make_user()
    work = make_work(archivist, post=False)
    with pytest.raises(ValidationError, match="your own pseuds"):
        work_transfer_creator(
            actor=other, work=work, from_user=archivist, to_pseud=writer.pseuds.get()
        )
    assert [c.pseud.user for c in work.creatorships.all()] == [archivist]
    work_transfer_creator(
        actor=writer, work=work, from_user=archivist, to_pseud=writer.pseuds.get()
    )
    assert [(c.pseud.user, c.accepted) for c in work.creatorships.all()] == [(writer, True)]
