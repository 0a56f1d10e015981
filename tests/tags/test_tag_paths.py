"""Tag links are built from a path reversed once (`tag_path`), and equal what reverse() gives
for every name, however odd: slashes, dots, spaces, ?, #, %, & and non-ASCII letters."""

import pytest
from django.urls import reverse, set_script_prefix

from polis.tags.models import Tag, tag_path
from polis.tags.names import tag_to_url

NAMES = [
    "Fluff",
    "Clarke Griffin/Lexa",
    "Dr. Who & The Master",
    "100% Angst? #yes",
    "Ünïcödé 日本語 ~:@!$'()*+,;=",
    "a.b*s*c",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("route", ["tags:works", "tags:show"])
def test_a_tag_path_is_what_reverse_gives(route, name):
    assert tag_path(route, name) == reverse(route, kwargs={"name": tag_to_url(name)})


def test_a_script_prefix_is_kept():
    set_script_prefix("/archive/")
    try:
        assert Tag(name="Clarke Griffin/Lexa").get_works_url() == (
            "/archive/tags/Clarke%20Griffin*s*Lexa/works"
        )
    finally:
        set_script_prefix("/")
