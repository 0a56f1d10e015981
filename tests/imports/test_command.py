"""`polis import_works`: operators import URLs and files from scripts, through the same
actions as Import New Work; a progress bar for many, exit status 1 when any source failed."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polis.imports.models import ImportedWork, ImportJob
from polis.works.models import Work
from tests.imports.support import AO3_DOWNLOAD, AO3_WORK_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(tmp_path, site, settings):
    settings.POLIS_IMPORT_ALLOWED_HOSTS = "127.0.0.1"
    site.page("/works/7?view_full_work=true&view_adult=true", AO3_WORK_PAGE)
    download = tmp_path / "keeper.html"
    download.write_text(AO3_DOWNLOAD)
    notes = tmp_path / "notes.txt"
    notes.write_text("A/N: hi\n\nThe text.")
    return {"download": download, "notes": notes, "url": site.url("/works/7"), "site": site}


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_works", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_files_and_urls_become_drafts_of_the_user_with_a_progress_bar(make_user, sources):
    writer = make_user("wave")

    out, err, failure = _run(
        str(sources["download"]), sources["url"], str(sources["notes"]), "--user", "wave"
    )

    assert failure is None
    works = {work.title: work for work in Work.objects.all()}
    assert sorted(works) == ["The Lighthouse Keeper", "Tide", "notes"]
    assert all(w.posted is False and w.pseuds.get().user == writer for w in works.values())
    assert out.splitlines() == [
        f"{works[title].pk}\t{title}\t/works/{works[title].pk}/preview"
        for title in ("The Lighthouse Keeper", "Tide", "notes")  # in the order given
    ]
    assert "3/3" in err and "100%" in err
    assert err.splitlines()[-1] == "Imported 3 sources as drafts of wave."
    # The same actions as the page: a job for the URL, an import record for every draft.
    job = ImportJob.objects.get()
    assert (job.owner, job.urls, job.status, job.errors) == (writer, [sources["url"]], "done", [])
    assert sorted(ImportedWork.objects.values_list("work__title", "importer__username")) == [
        ("The Lighthouse Keeper", "wave"),
        ("Tide", "wave"),
        ("notes", "wave"),
    ]
    assert (works["notes"].notes, works["Tide"].language) == ("<p>hi</p>", "de")


def test_options_apply_to_every_draft(make_user, sources):
    writer = make_user("wave")
    writer.pseuds.create(name="Tidewriter")

    out, _, failure = _run(
        str(sources["notes"]),
        "--user=wave",
        "--pseud=tidewriter",
        "--restricted",
        "--fandom=Harbour Tales (TV)",
        "--warning=Major Character Death",
        "--warning=Graphic Depictions Of Violence",
        "--verbosity=0",
    )

    assert failure is None
    work = Work.objects.get()
    assert (work.restricted, work.pseuds.get().name) == (True, "Tidewriter")
    assert sorted(
        work.tags.filter(type__in=["fandom", "warning"]).values_list("name", flat=True)
    ) == [
        "Graphic Depictions Of Violence",
        "Harbour Tales (TV)",
        "Major Character Death",
    ]


def test_a_failed_source_is_reported_the_others_imported_and_the_exit_status_is_1(
    make_user, sources, tmp_path
):
    make_user("wave")
    missing = tmp_path / "missing.epub"
    gone = sources["site"].url("/gone")
    err = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command(
            "import_works",
            str(missing),
            str(sources["download"]),
            gone,
            "--user",
            "wave",
            stdout=io.StringIO(),
            stderr=err,
        )

    # `polis` exits with the error's return code (run_from_argv: sys.exit(returncode)).
    assert (failed.value.returncode, str(failed.value)) == (
        1,
        "2 of 3 sources could not be imported.",
    )
    assert f"{missing}: No such file or directory" in err.getvalue().splitlines()
    assert f"{gone}: The page answered 404 Not Found." in err.getvalue().splitlines()
    assert list(Work.objects.values_list("title", flat=True)) == ["The Lighthouse Keeper"]
    assert ImportJob.objects.get().status == "failed"


def test_an_unknown_user_or_bad_options_import_nothing(make_user, sources):
    make_user("wave")
    assert _run(str(sources["notes"]), "--user", "nobody")[2] == "No user named 'nobody'."
    assert _run(str(sources["notes"]), "--user", "wave", "--language", "xx")[2] == (
        "Choose a language."
    )
    assert _run(str(sources["notes"]), "--user", "wave", "--pseud", "other")[2] == (
        "wave has no pseud named 'other'."
    )
    assert Work.objects.count() == 0


def test_as_chapters_makes_one_work_of_the_urls(make_user, sources):
    make_user("wave")
    site = sources["site"]
    site.page("/one.html", "<html><head><title>One</title></head><body><p>First.</p></body></html>")
    site.page(
        "/two.html", "<html><head><title>Two</title></head><body><p>Second.</p></body></html>"
    )

    out, _, failure = _run(
        site.url("/one.html"), site.url("/two.html"), "--as-chapters", "--user", "wave"
    )

    assert failure is None
    work = Work.objects.get()
    assert out.splitlines() == [f"{work.pk}\t{work.title}\t/works/{work.pk}/preview"]
    assert [c.content for c in work.chapters.order_by("position")] == [
        "<p>First.</p>",
        "<p>Second.</p>",
    ]
    assert ImportJob.objects.get().as_chapters is True
