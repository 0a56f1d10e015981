"""Tag test helpers: wranglers and roles, tags made and wrangled through the real actions."""

import pytest
from django.test import Client

from polis.accounts.models import User
from polis.tags.actions import tags_find_or_create
from polis.tags.models import Tag, TagType
from polis.tags.wrangling import tag_add_meta, tag_set_canonical

# Everyone a restricted surface is checked against (STYLE.md's permission matrix).
ROLES = ["anonymous", "user", "creator", "wrangler", "admin"]
REFUSED = {"anonymous", "user", "creator"}


@pytest.fixture(autouse=True)
def _fresh_search_accelerator():
    """The search accelerator keeps per-process arrays; rolled-back tests must not leak."""
    try:
        from polis.search import accel
    except ImportError:  # no accelerator in this tree
        yield
        return
    accel.reset()
    yield
    accel.reset()


@pytest.fixture
def wrangler(make_user) -> User:
    return make_user("wrangler", is_tag_wrangler=True)


@pytest.fixture
def tag_of(db):
    """`tag_of("Name", TagType.CHARACTER)`: the tag with this name, created when missing."""

    def get(name: str, tag_type: str = TagType.FREEFORM) -> Tag:
        return tags_find_or_create(names=[name], tag_type=tag_type)[0]

    return get


@pytest.fixture
def canonical(wrangler, tag_of):
    """`canonical("Name", type)`: the tag, made canonical by a wrangler."""

    def make(name: str, tag_type: str = TagType.FREEFORM) -> Tag:
        return tag_set_canonical(actor=wrangler, tag=tag_of(name, tag_type), canonical=True)

    return make


@pytest.fixture
def meta_chain(wrangler, canonical):
    """`meta_chain("A", "B", "C")`: canonical freeforms with A ⊃ B ⊃ C."""

    def make(*names: str) -> list[Tag]:
        tags = [canonical(name) for name in names]
        for meta, sub in zip(tags, tags[1:], strict=False):
            tag_add_meta(actor=wrangler, sub=sub, meta=meta)
        return tags

    return make


@pytest.fixture
def client_as(make_user, wrangler):
    """`client_as(role, creator=user)`: a client for one of ROLES."""

    def make(role: str, creator: User | None = None) -> Client:
        client = Client()
        user = {
            "anonymous": lambda: None,
            "user": lambda: make_user("reader"),
            "creator": lambda: creator or make_user("writer"),
            "wrangler": lambda: wrangler,
            "admin": lambda: make_user("admin", is_superuser=True, is_staff=True),
        }[role]()
        if user is not None:
            client.force_login(user)
        return client

    return make


def tag_state(*names: str) -> list[tuple]:
    """Everything wrangling can change about these tags, to check that nothing did."""
    rows = []
    for tag in Tag.objects.filter(name__in=names).order_by("name"):
        rows.append(
            (
                tag.name,
                tag.type,
                tag.canonical,
                tag.merger.name if tag.merger_id else None,
                sorted(tag.parent_links.values_list("parent__name", flat=True)),
                sorted(tag.child_links.values_list("child__name", flat=True)),
                sorted(tag.meta_links.values_list("meta__name", flat=True)),
                sorted(tag.sub_links.values_list("sub__name", flat=True)),
            )
        )
    return rows
