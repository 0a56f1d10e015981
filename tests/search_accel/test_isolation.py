"""Each test sees an accelerator built from its own database, never an earlier test's arrays.

The two tests below run in this order. Rollback gives the second test's work the id the
first one's had, and its change the id the first one's change had, so arrays kept from the
first test would still say 5,000 words and leave the short work out of the listing.
"""

import pytest

from polis.search import accel
from tests.works.support import listed_work_ids

pytestmark = pytest.mark.django_db

SHORT = {"work_search[words_to]": "100"}


def _words(count: int) -> str:
    return "<p>" + " ".join(["word"] * count) + "</p>"


def test_a_long_work_is_left_out_of_short_works(client, make_work):
    make_work(text=_words(5000))
    assert accel.enabled()
    assert listed_work_ids(client.get("/works", SHORT)) == []


def test_the_next_test_sees_its_own_short_work(client, make_work):
    work = make_work(text=_words(3))
    assert listed_work_ids(client.get("/works", SHORT)) == [work.pk]
    accelerator = accel.get()
    assert accelerator.ids[: accelerator.size].tolist() == [work.pk]
