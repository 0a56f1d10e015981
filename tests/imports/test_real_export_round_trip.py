"""The account export's own ZIP (polis/rights/export.py) imports back through Import New Work:
the two halves of docs/export-format.md, tested against each other, not against a ZIP the test
wrote by hand."""

import pytest

from polis.imports.actions import ImportOptions, import_file
from polis.rights.export import export_write
from polis.works.models import Work
from polis.works.series import series_add_work, series_create

pytestmark = pytest.mark.django_db


def test_a_real_export_imports_back_as_drafts_with_what_it_holds(make_user, make_work, tmp_path):
    writer = make_user("scribe")
    first = make_work(
        writer,
        title="Two Roads",
        chapters=2,
        summary="A summary of roads.",
        freeforms=["Road Trips"],
        relationships=["Aksel Brun/Tomas Vik"],
    )
    second = make_work(writer, title="The Long Way")
    series = series_create(actor=writer, title="Roads")
    series_add_work(actor=writer, series=series, work=first)
    series_add_work(actor=writer, series=series, work=second)
    path = tmp_path / "polis-export-scribe.zip"
    export_write(writer, path)

    newcomer = make_user("newcomer")
    works = import_file(
        actor=newcomer, name=path.name, data=path.read_bytes(), options=ImportOptions()
    )
    assert sorted(w.title for w in works) == ["The Long Way", "Two Roads"]
    copy = Work.objects.get(pk=next(w.pk for w in works if w.title == "Two Roads"))
    original = Work.objects.get(pk=first.pk)
    assert copy.posted is False  # a draft to review before posting
    assert copy.summary == original.summary
    assert [c.content for c in copy.chapters.order_by("position")] == [
        c.content for c in original.chapters.order_by("position")
    ]
    assert sorted(t.name for t in copy.tags.all()) == sorted(t.name for t in original.tags.all())
    assert [p.user for p in copy.pseuds.all()] == [newcomer]
    assert sorted(copy.series.values_list("title", flat=True)) == ["Roads"]
