"""An account export ZIP written by the REAL exporter restores, besides its drafts, the
account's pseuds and bookmarks for whoever imports it (docs/export-format.md, "What an import
restores"), and a second import of the same ZIP adds no bookmarks or pseuds."""

import pytest
from django.test import Client

from polis.accounts.actions import pseud_create
from polis.engagement.bookmarks import bookmark_create, external_work_find_or_create
from polis.engagement.models import Bookmark, ExternalWork
from polis.imports.actions import ImportOptions, import_file, import_file_result
from polis.imports.restore import NOT_RESTORED
from polis.rights.export import export_write
from polis.works.actions import ChapterInput, WorkInput, work_create
from polis.works.models import Work

pytestmark = pytest.mark.django_db


def _quill_work(writer, pseud) -> Work:
    return work_create(
        actor=writer,
        pseuds=[pseud],
        data=WorkInput(
            title="Under Another Name",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
        ),
        chapter=ChapterInput(text="<p>Quill's words.</p>"),
        post=True,
    )


def _export(settings, make_user, make_work, tmp_path):
    settings.POLIS_SITE_URL = "https://old.example/"
    writer = make_user("scribe")
    quill = pseud_create(actor=writer, name="Quill", description="<p>My other name.</p>")
    own = make_work(writer, title="Mine Here")
    _quill_work(writer, quill)
    other = make_work(make_user("someone"), title="Their Story")
    bookmark_create(
        actor=writer,
        work=other,
        notes="<p>Loved <em>this</em>.</p>",
        tags=["Comfort Read", "Slow Burn"],
        rec=True,
        pseud=quill,
    )
    bookmark_create(actor=writer, work=own, private=True)
    elsewhere = external_work_find_or_create(
        actor=writer,
        url="https://elsewhere.example/story/7",
        title="A Story Elsewhere",
        creator="Far Writer",
        fandom="Elsewhere Fandom",
    )
    bookmark_create(actor=writer, external=elsewhere, notes="<p>Off site.</p>", tags=["Ext"])
    path = tmp_path / "polis-export-scribe.zip"
    export_write(writer, path)
    return path, other, own


def _bookmarks(user) -> list[tuple]:
    return sorted(
        (
            b.external.url,
            b.external.title,
            b.external.creator,
            b.external.fandom,
            b.work_id,
            b.notes,
            sorted(t.name for t in b.tags.all()),
            b.rec,
            b.private,
            b.pseud.name,
        )
        for b in Bookmark.objects.filter(user=user).select_related("external", "pseud")
    )


def test_an_export_restores_pseuds_and_bookmarks_once(settings, make_user, make_work, tmp_path):
    path, other, own = _export(settings, make_user, make_work, tmp_path)
    settings.POLIS_SITE_URL = "https://new.example"
    newcomer = make_user("newcomer")

    result = import_file_result(
        actor=newcomer, name=path.name, data=path.read_bytes(), options=ImportOptions()
    )

    assert result.restored.pseuds_created == ["Quill"]
    quill = newcomer.pseuds.get(name="Quill")
    assert quill.description == "<p>My other name.</p>"
    assert sorted(p.name for p in newcomer.pseuds.all()) == ["Quill", "newcomer"]
    credits = {w.title: [p.name for p in w.pseuds.all()] for w in result.works}
    assert credits == {"Mine Here": ["newcomer"], "Under Another Name": ["Quill"]}
    assert all(not w.posted for w in result.works)
    expected = [
        (
            "https://elsewhere.example/story/7",
            "A Story Elsewhere",
            "Far Writer",
            "Elsewhere Fandom",
            None,
            "<p>Off site.</p>",
            ["Ext"],
            False,
            False,
            "newcomer",
        ),
        (
            f"https://old.example/works/{other.pk}",
            "Their Story",
            "Unknown Creator",
            "Unknown Fandom",
            None,
            "<p>Loved <em>this</em>.</p>",
            ["Comfort Read", "Slow Burn"],
            True,
            False,
            "Quill",
        ),
        (
            f"https://old.example/works/{own.pk}",
            "Mine Here",
            "Unknown Creator",
            "Unknown Fandom",
            None,
            "",
            [],
            False,
            True,
            "newcomer",
        ),
    ]
    assert _bookmarks(newcomer) == sorted(expected)
    assert (result.restored.bookmarks_created, result.restored.bookmarks_already) == (3, 0)
    assert result.restored.skipped == []
    # Bookmarks elsewhere leave this archive's works' counts alone.
    assert Work.objects.get(pk=other.pk).bookmark_count == 1

    again = import_file_result(
        actor=newcomer, name=path.name, data=path.read_bytes(), options=ImportOptions()
    )
    assert again.restored.pseuds_created == []
    assert (again.restored.bookmarks_created, again.restored.bookmarks_already) == (0, 3)
    assert _bookmarks(newcomer) == sorted(expected)
    assert newcomer.pseuds.count() == 2
    assert ExternalWork.objects.filter(url__startswith="https://old.example/").count() == 2


def test_a_chosen_pseud_takes_every_work(settings, make_user, make_work, tmp_path):
    path, _other, _own = _export(settings, make_user, make_work, tmp_path)
    newcomer = make_user("newcomer")
    pen = pseud_create(actor=newcomer, name="Pen")
    works = import_file(
        actor=newcomer,
        name=path.name,
        data=path.read_bytes(),
        options=ImportOptions(pseud_id=pen.pk),
    )
    assert sorted([p.name for p in w.pseuds.all()] for w in works) == [["Pen"], ["Pen"]]
    assert sorted(p.name for p in newcomer.pseuds.all()) == ["Pen", "Quill", "newcomer"]


def test_the_import_page_says_what_was_restored_and_what_not(
    settings, make_user, make_work, tmp_path
):
    path, _other, _own = _export(settings, make_user, make_work, tmp_path)
    newcomer = make_user("newcomer")
    client = Client()
    client.force_login(newcomer)
    form = client.get("/works/import")
    assert "Comments, kudos, subscriptions, reading history" in form.content.decode()
    with path.open("rb") as upload:
        page = client.post(
            "/works/import",
            {
                "file": upload,
                "as_chapters": "0",
                "pseud": newcomer.pseuds.get(is_default=True).pk,
                "rating": "Not Rated",
                "warnings": ["No Archive Warnings Apply"],
                "fandom": "Unknown Fandom",
                "language": "en",
                "comment_permission": "everyone",
            },
            follow=True,
        )
    assert page.redirect_chain, page.context["form"].errors
    text = [str(m) for m in page.context["messages"]]
    assert text[1:] == [
        "New pseuds: Quill.",
        "Bookmarks restored: 3.",
        "Not imported from the export: "
        + " ".join(f"{what}, as {why}" for what, why in NOT_RESTORED),
    ]
    assert Bookmark.objects.filter(user=newcomer).count() == 3


def test_the_api_answers_what_an_export_restored(
    settings, make_user, make_work, tmp_path, token_for
):
    path, _other, _own = _export(settings, make_user, make_work, tmp_path)
    newcomer = make_user("newcomer")
    with path.open("rb") as upload:
        response = Client().post(
            "/api/v1/works/import/file",
            {"file": upload},
            headers={"Authorization": f"Bearer {token_for(newcomer)}"},
        )
    assert response.status_code == 201, response.content
    assert response.json()["restored"] == {
        "pseuds_created": ["Quill"],
        "bookmarks_created": 3,
        "bookmarks_already": 0,
        "skipped": [],
        "not_restored": [f"{what}: {why}" for what, why in NOT_RESTORED],
    }


def test_an_export_of_this_archive_bookmarks_its_works_themselves(
    settings, make_user, make_work, tmp_path
):
    path, other, own = _export(settings, make_user, make_work, tmp_path)  # site stays the same
    newcomer = make_user("newcomer")
    for _ in range(2):
        import_file(actor=newcomer, name=path.name, data=path.read_bytes(), options=ImportOptions())
    here = Bookmark.objects.filter(user=newcomer, work__isnull=False).select_related("pseud")
    assert sorted((b.work_id, b.pseud.name, b.rec, b.private) for b in here) == sorted(
        [(other.pk, "Quill", True, False), (own.pk, "newcomer", False, True)]
    )
    assert list(
        Bookmark.objects.filter(user=newcomer, external__isnull=False).values_list(
            "external__url", flat=True
        )
    ) == ["https://elsewhere.example/story/7"]
    assert Work.objects.get(pk=other.pk).bookmark_count == 2
    assert not ExternalWork.objects.filter(url__startswith="https://old.example/").exists()
