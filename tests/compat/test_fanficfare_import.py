"""An EPUB written by FanFicFare (from a Polis work on a live server) imports back."""

import io

import pytest
from fanficfare.writers import getWriter

from polis.imports.actions import ImportOptions, import_file
from polis.works.models import TAG_FIELDS, Work, tags_of_type
from tests.compat.test_fanficfare import fanficfare_for, public_work, writer  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_fanficfare_epub_imports_as_a_draft(fanficfare_for, public_work, make_user):  # noqa: F811
    adapter = fanficfare_for(public_work.pk)
    story = adapter.getStory()
    out = io.BytesIO()
    getWriter("epub", adapter.configuration, adapter).writeStory(outstream=out)
    importer = make_user("mover")

    (work,) = import_file(
        actor=importer, name="lighthouse.epub", data=out.getvalue(), options=ImportOptions()
    )

    work = Work.objects.prefetch_related("taggings__tag").get(pk=work.pk)
    assert story.getMetadata("title") == work.title == "The Lighthouse Keeper"
    assert work.posted is False
    assert work.import_record.creators == ["quill"]
    chapters = list(work.chapters.order_by("position"))
    assert [c.title for c in chapters] == ["Dusk", "Dawn"]
    assert "The lamp turned all night." in chapters[0].content
    assert "Morning came over the water." in chapters[1].content
    tags = {field: [t.name for t in tags_of_type(work, tt)] for tt, field in TAG_FIELDS.items()}
    assert tags["rating"] == ["Teen And Up Audiences"]
    assert tags["warnings"] == ["No Archive Warnings Apply"]
    assert tags["categories"] == ["F/F"]
    assert tags["fandoms"] == ["The 100 (TV)"]
    assert tags["relationships"] == ["Clarke Griffin/Lexa"]
    assert tags["characters"] == ["Clarke Griffin", "Lexa"]
    assert tags["freeforms"] == ["Lighthouses", "Slow Burn"]
    assert work.summary == "<p>Two keepers, one lamp.</p>"
    assert work.complete is True
