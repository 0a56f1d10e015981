"""Filter sets stay exact after every wrangling change: listings, searches, the background path."""

import pytest
from django.core.exceptions import ValidationError

from polis.tags import filters
from polis.tags.models import USER_DEFINED_TYPES, FilterTagging, MetaTagging, Tag, TagType
from polis.tags.wrangling import (
    tag_add_meta,
    tag_make_synonym,
    tag_remove_meta,
    tag_remove_synonym,
    tag_rename,
    tag_set_canonical,
)
from tests.works.support import listed_work_ids, main_heading

pytestmark = [pytest.mark.django_db, pytest.mark.both_search_engines]

CLEXA_WORKS = "/tags/Clarke Griffin*s*Lexa/works"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def filter_names(work) -> list[str]:
    """The work's filter set, without the fixed tags (rating, warnings) every work has."""
    return sorted(
        Tag.objects.filter(
            pk__in=FilterTagging.objects.filter(work=work).values("tag_id"),
            type__in=USER_DEFINED_TYPES,
        ).values_list("name", flat=True)
    )


@pytest.fixture
def clexa(make_work, canonical):
    """A canonical ship with one work, and a work tagged only with the unwrangled "Clexa"."""
    ship = canonical("Clarke Griffin/Lexa", TagType.RELATIONSHIP)
    canonical_work = make_work(title="Canonical", relationships=["Clarke Griffin/Lexa"])
    synonym_work = make_work(title="Nickname", relationships=["Clexa"])
    return ship, canonical_work, synonym_work


def test_synonym_works_appear_under_canonical_filter_and_leave_with_the_synonym(
    client, wrangler, clexa
):
    ship, canonical_work, synonym_work = clexa
    nickname = Tag.objects.get(name="Clexa")
    assert listed_work_ids(client.get(CLEXA_WORKS)) == [canonical_work.pk]
    assert filter_names(synonym_work) == []

    tag_make_synonym(actor=wrangler, tag=nickname, of=ship)

    assert listed_work_ids(client.get(CLEXA_WORKS)) == [synonym_work.pk, canonical_work.pk]
    assert main_heading(client.get(CLEXA_WORKS)) == "1 - 2 of 2 Works in Clarke Griffin/Lexa"
    assert filter_names(synonym_work) == ["Clarke Griffin/Lexa"]

    tag_remove_synonym(actor=wrangler, tag=nickname)

    assert listed_work_ids(client.get(CLEXA_WORKS)) == [canonical_work.pk]
    assert filter_names(synonym_work) == []


def test_a_synonym_also_filters_by_name_on_the_search_page(client, wrangler, clexa):
    ship, canonical_work, synonym_work = clexa
    tag_make_synonym(actor=wrangler, tag=Tag.objects.get(name="Clexa"), of=ship)

    response = client.get("/works/search", {"work_search[relationship_names]": "clexa"})

    assert listed_work_ids(response) == [synonym_work.pk, canonical_work.pk]


def test_making_a_tag_canonical_puts_its_works_in_its_filter_set(client, wrangler, make_work):
    work = make_work(freeforms=["Slow Burn"])
    tag = Tag.objects.get(name="Slow Burn")
    url = "/works"
    # Filtering by id goes straight to filter sets (a name would be ignored while unwrangled).
    params = {"include_work_search[freeform_ids][]": tag.pk}
    assert listed_work_ids(client.get(url, params)) == []

    tag_set_canonical(actor=wrangler, tag=tag, canonical=True)
    assert listed_work_ids(client.get(url, params)) == [work.pk]

    tag_set_canonical(actor=wrangler, tag=tag, canonical=False)
    assert listed_work_ids(client.get(url, params)) == []


@pytest.mark.parametrize("order", ["top link first", "bottom link first"])
def test_meta_tags_three_deep_find_works_of_the_lowest_sub_tag(
    client, wrangler, canonical, make_work, order
):
    a, b, c = canonical("Alpha"), canonical("Beta"), canonical("Gamma")
    work = make_work(freeforms=["Gamma"])
    other = make_work(freeforms=["Beta"])
    links = [(b, a), (c, b)] if order == "top link first" else [(c, b), (b, a)]
    for sub, meta in links:
        tag_add_meta(actor=wrangler, sub=sub, meta=meta)

    assert listed_work_ids(client.get("/tags/Alpha/works")) == [other.pk, work.pk]
    assert listed_work_ids(client.get("/tags/Gamma/works")) == [work.pk]
    search = client.get("/works/search", {"work_search[freeform_names]": "Alpha"})
    assert listed_work_ids(search) == [other.pk, work.pk]
    both = client.get("/tags/Alpha/works", {"work_search[other_tag_names]": "Gamma"})
    assert listed_work_ids(both) == [work.pk]
    assert filter_names(work) == ["Alpha", "Beta", "Gamma"]


def test_removing_a_middle_link_takes_works_out_of_the_top_meta_tag(
    client, wrangler, meta_chain, make_work
):
    a, b, c = meta_chain("Alpha", "Beta", "Gamma")
    work = make_work(freeforms=["Gamma"])

    tag_remove_meta(actor=wrangler, sub=c, meta=b)

    assert listed_work_ids(client.get("/tags/Alpha/works")) == []
    assert listed_work_ids(client.get("/tags/Beta/works")) == []
    assert listed_work_ids(client.get("/tags/Gamma/works")) == [work.pk]
    assert filter_names(work) == ["Gamma"]


def test_a_synonym_of_a_sub_tag_is_found_under_the_meta_tag(
    client, wrangler, meta_chain, make_work, tag_of
):
    meta_chain("Alpha", "Beta")
    work = make_work(freeforms=["beta-ish"])

    tag_make_synonym(actor=wrangler, tag=tag_of("beta-ish"), of=Tag.objects.get(name="Beta"))

    assert listed_work_ids(client.get("/tags/Alpha/works")) == [work.pk]


@pytest.mark.parametrize(
    ("sub", "meta", "message"),
    [
        (
            "Alpha",
            "Beta",
            "“Beta” is already below “Alpha”; making it a meta tag would make a cycle.",
        ),
        (
            "Alpha",
            "Gamma",
            "“Gamma” is already below “Alpha”; making it a meta tag would make a cycle.",
        ),
        (
            "Beta",
            "Beta",
            "“Beta” is already below “Beta”; making it a meta tag would make a cycle.",
        ),
    ],
    ids=["two-cycle", "three-cycle", "self"],
)
def test_meta_cycles_are_refused_and_change_nothing(wrangler, meta_chain, sub, meta, message):
    meta_chain("Alpha", "Beta", "Gamma")
    before = sorted(MetaTagging.objects.values_list("meta__name", "sub__name"))

    with pytest.raises(ValidationError) as refused:
        tag_add_meta(actor=wrangler, sub=Tag.objects.get(name=sub), meta=Tag.objects.get(name=meta))

    assert refused.value.messages == [message]
    assert "cycle" in refused.value.messages[0]
    assert sorted(MetaTagging.objects.values_list("meta__name", "sub__name")) == before
    assert before == [("Alpha", "Beta"), ("Beta", "Gamma")]


def test_a_synonym_of_a_synonym_is_refused_with_the_reason(wrangler, clexa, tag_of):
    ship, _, synonym_work = clexa
    nickname = tag_make_synonym(actor=wrangler, tag=Tag.objects.get(name="Clexa"), of=ship)
    other = tag_of("Heda/Wanheda", TagType.RELATIONSHIP)

    with pytest.raises(ValidationError) as refused:
        tag_make_synonym(actor=wrangler, tag=other, of=nickname)

    assert refused.value.messages == [
        "“Clexa” is a synonym of “Clarke Griffin/Lexa”; a synonym must point at a canonical tag."
    ]
    other.refresh_from_db()
    assert (other.canonical, other.merger_id) == (False, None)


def test_renaming_a_tag_updates_full_text_search(client, wrangler, make_work, tag_of):
    work = make_work(freeforms=["Moonbeams"])
    make_work(freeforms=["Sunshine"])

    def found(query: str) -> list[int]:
        return listed_work_ids(client.get("/works/search", {"work_search[query]": query}))

    assert found("Moonbeams") == [work.pk]
    assert found("Starlight") == []

    tag_rename(actor=wrangler, tag=tag_of("Moonbeams"), name="Starlight")

    assert found("Starlight") == [work.pk]
    assert found("Moonbeams") == []
    assert client.get("/tags/Starlight").status_code == 200
    assert client.get("/tags/Moonbeams").status_code == 404


def test_large_changes_run_in_the_background_after_commit(
    client, settings, monkeypatch, wrangler, clexa, django_capture_on_commit_callbacks
):
    ship, canonical_work, synonym_work = clexa
    settings.TASKS = IMMEDIATE_TASKS
    monkeypatch.setattr(filters, "SYNC_LIMIT", 1)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tag_make_synonym(actor=wrangler, tag=Tag.objects.get(name="Clexa"), of=ship)
        # Two works are touched, more than the limit: nothing is recomputed inline.
        assert listed_work_ids(client.get(CLEXA_WORKS)) == [canonical_work.pk]

    # Queueing the task; then, as the immediate backend ran it, telling index listeners.
    assert [callback.__module__ for callback in callbacks] == [
        "polis.core.queueing",  # the refresh, queued with the change (ImmediateBackend: on commit)
        "polis.search.indexing",
    ]
    assert listed_work_ids(client.get(CLEXA_WORKS)) == [synonym_work.pk, canonical_work.pk]
    assert filter_names(synonym_work) == ["Clarke Griffin/Lexa"]


def test_a_large_rename_reindexes_in_the_background(
    client, settings, monkeypatch, wrangler, make_work, tag_of, django_capture_on_commit_callbacks
):
    work = make_work(freeforms=["Moonbeams"])
    settings.TASKS = IMMEDIATE_TASKS
    monkeypatch.setattr(filters, "SYNC_LIMIT", 0)

    def found(query: str) -> list[int]:
        return listed_work_ids(client.get("/works/search", {"work_search[query]": query}))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tag_rename(actor=wrangler, tag=tag_of("Moonbeams"), name="Starlight")
        assert found("Starlight") == []

    assert [callback.__module__ for callback in callbacks] == [
        "polis.core.queueing",  # the refresh, queued with the change (ImmediateBackend: on commit)
        "polis.search.indexing",
    ]
    assert found("Starlight") == [work.pk]
