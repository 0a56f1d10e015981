"""Each format read into a draft, from files the tests make (nothing is mocked)."""

import datetime
import io
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError

from polis.downloads.epub import write_epub
from polis.downloads.preface import book_for
from polis.imports.actions import ImportOptions, import_file
from polis.imports.parsed import ImportRefused
from polis.imports.readers.files import read_file
from polis.tags.actions import tags_find_or_create
from polis.tags.models import Tag, TagType
from polis.works.models import TAG_FIELDS, Work, tags_of_type
from tests.imports.support import AO3_DOWNLOAD, AO3_WORK_PAGE, odt_bytes

pytestmark = pytest.mark.django_db


def _tags(work: Work) -> dict[str, list[str]]:
    return {
        field: [tag.name for tag in tags_of_type(work, tag_type)]
        for tag_type, field in TAG_FIELDS.items()
    }


def _chapters(work: Work) -> list[tuple[str, str]]:
    return [(c.title, c.content) for c in work.chapters.order_by("position")]


def test_ao3_html_download_becomes_a_draft_with_everything_it_says(make_user):
    writer = make_user("saltwind")
    (work,) = import_file(
        actor=writer,
        name="The_Lighthouse_Keeper.html",
        data=AO3_DOWNLOAD.encode(),
        options=ImportOptions(),
    )
    work = Work.objects.prefetch_related("taggings__tag").get(pk=work.pk)
    assert work.posted is False
    assert work.title == "The Lighthouse Keeper"
    assert work.summary == "<p>Maren keeps the light; Ines keeps <em>secrets</em>.</p>"
    assert work.notes == "<p>Written for a prompt.</p>"
    assert work.end_notes == "<p>Thanks for reading.</p>"
    assert work.language == "en"
    assert work.published_at == datetime.date(2019, 3, 4)
    assert work.expected_chapters == 3 and work.complete is False
    assert _tags(work) == {
        "rating": ["Teen And Up Audiences"],
        "warnings": ["Choose Not To Use Archive Warnings"],
        "categories": ["F/F", "Gen"],
        "fandoms": ["Harbour Tales (TV)"],
        "relationships": ["Maren Holt/Ines Varga"],
        "characters": ["Ines Varga", "Maren Holt"],
        "freeforms": ["lighthouses", "Slow Burn"],
    }
    # Bodies went through the sanitizer: no script, no event handler.
    assert _chapters(work) == [
        ("Fog", "<p>The lamp turned all night.</p>"),
        ("", "<p>Morning came grey.</p>"),
    ]
    first = work.chapters.get(position=1)
    assert (first.summary, first.notes, first.end_notes) == (
        "<p>The fog rolls in.</p>",
        "<p>Short one.</p>",
        "<p>More soon.</p>",
    )
    assert sorted(s.title for s in work.series.all()) == ["Harbour Lights", "Lamps, Oil"]
    record = work.import_record
    assert record.creators == ["saltwind"]
    assert record.updated_on == datetime.date(2019, 5, 6)
    assert record.chapter_dates == [None, None]


def test_known_synonym_is_kept_and_unknown_tags_are_created_unwrangled(make_user):
    (canonical,) = tags_find_or_create(names=["Slow Burn"], tag_type=TagType.FREEFORM)
    canonical.canonical = True
    canonical.save(update_fields=["canonical"])
    (work,) = import_file(
        actor=make_user(), name="x.html", data=AO3_DOWNLOAD.encode(), options=ImportOptions()
    )
    assert Tag.objects.get(name="lighthouses").canonical is False
    assert work.taggings.filter(tag=canonical).exists()


def test_a_synonym_in_the_source_is_mapped_to_its_canonical_tag_as_the_posting_form_maps_it(
    make_user, client
):
    from django.urls import reverse

    from polis.tags.models import FilterTagging
    from polis.tags.wrangling import tag_make_synonym, tag_set_canonical

    wrangler = make_user("wrangler", is_tag_wrangler=True)
    (canonical,) = tags_find_or_create(
        names=["Lighthouses (Structures)"], tag_type=TagType.FREEFORM
    )
    tag_set_canonical(actor=wrangler, tag=canonical, canonical=True)
    (synonym,) = tags_find_or_create(names=["lighthouses"], tag_type=TagType.FREEFORM)
    tag_make_synonym(actor=wrangler, tag=synonym, of=canonical)
    writer = make_user("saltwind")

    (imported,) = import_file(
        actor=writer, name="x.html", data=AO3_DOWNLOAD.encode(), options=ImportOptions()
    )
    client.force_login(writer)
    response = client.post(
        reverse("works:new"),
        {
            "title": "Typed",
            "pseuds": [writer.pseuds.get().pk],
            "rating": "Teen And Up Audiences",
            "warnings": ["Choose Not To Use Archive Warnings"],
            "fandoms": "Harbour Tales (TV)",
            "freeforms": "Lighthouses, Slow Burn",  # another case: the same tag
            "language": "en",
            "text_format": "html",
            "text": "<p>The lamp turned all night.</p>",
            "save_draft": "1",
        },
    )
    assert response.status_code == 302
    typed = Work.objects.exclude(pk=imported.pk).get()

    def freeforms(work):
        return sorted(
            work.taggings.filter(tag__type=TagType.FREEFORM).values_list("tag__name", flat=True)
        )

    def filters(work):
        return sorted(
            FilterTagging.objects.filter(work=work, tag__type=TagType.FREEFORM).values_list(
                "tag__name", flat=True
            )
        )

    # The work keeps the tag as its source wrote it, and is found by the canonical tag
    # (its filter set), as a work tagged on the posting form is; the synonym filters nothing.
    assert freeforms(imported) == freeforms(typed) == ["Slow Burn", "lighthouses"]
    assert filters(imported) == filters(typed) == ["Lighthouses (Structures)"]
    assert Tag.objects.filter(name__iexact="lighthouses").count() == 1


def test_a_name_already_used_by_another_type_is_left_out(make_user):
    tags_find_or_create(names=["Slow Burn"], tag_type=TagType.CHARACTER)
    (work,) = import_file(
        actor=make_user(), name="x.html", data=AO3_DOWNLOAD.encode(), options=ImportOptions()
    )
    work = Work.objects.prefetch_related("taggings__tag").get(pk=work.pk)
    assert _tags(work)["freeforms"] == ["lighthouses"]


def test_ao3_shaped_full_work_page_is_read(make_user):
    (parsed,) = read_file("tide.html", AO3_WORK_PAGE.encode())
    assert parsed.title == "Tide"
    assert parsed.creators == ["wave"]
    assert parsed.rating == "General Audiences"
    assert parsed.fandoms == ["Harbour Tales (TV)"]
    assert parsed.freeforms == ["Tide Pools"]
    assert parsed.language == "de"
    assert (parsed.published_at, parsed.updated_at) == (
        datetime.date(2020, 7, 1),
        datetime.date(2020, 8, 15),
    )
    assert parsed.complete is True
    assert [(c.title, c.html, c.end_notes) for c in parsed.chapters] == [
        ("Ebb", "<p>Water leaves.</p>", ""),
        ("Flow", "<p>Water returns.</p>", "<p>The end.</p>"),
    ]
    assert parsed.summary == "<p>Low tide.</p>"
    assert parsed.end_notes == "<p>Bye.</p>"


def test_polis_own_epub_round_trips(make_work, make_user):
    original = make_work(
        title="Glass Harbour",
        text="<p>First light.</p>",
        chapters=2,
        summary="<p>Boats.</p>",
        characters=["Maren Holt"],
        freeforms=["Fluff"],
        published_at=datetime.date(2025, 5, 1),
    )
    data = write_epub(book_for(original))
    (work,) = import_file(
        actor=make_user(), name="Glass_Harbour.epub", data=data, options=ImportOptions()
    )
    work = Work.objects.prefetch_related("taggings__tag").get(pk=work.pk)
    assert work.title == "Glass Harbour"
    assert work.summary == "<p>Boats.</p>"
    assert _tags(work)["characters"] == ["Maren Holt"]
    assert _tags(work)["freeforms"] == ["Fluff"]
    assert _tags(work)["fandoms"] == ["Original Work"]
    assert _tags(work)["rating"] == ["General Audiences"]
    assert work.published_at == datetime.date(2025, 5, 1)
    assert _chapters(work) == [("", "<p>First light.</p>"), ("Part 2", "<p>Chapter 2 text.</p>")]


def test_generic_epub_takes_a_chapter_per_page():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:'
            'container" version="1.0"><rootfiles><rootfile full-path="OEBPS/content.opf" '
            'media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        book.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Drift</dc:title>'
            "<dc:creator>oar</dc:creator><dc:language>en</dc:language>"
            "<dc:subject>Boats</dc:subject><dc:description>Out to sea.</dc:description>"
            "<dc:date>2018-02-03</dc:date></metadata><manifest>"
            '<item id="t" href="title_page.xhtml" media-type="application/xhtml+xml"/>'
            '<item id="c1" href="file0001.xhtml" media-type="application/xhtml+xml"/>'
            '<item id="c2" href="file0002.xhtml" media-type="application/xhtml+xml"/>'
            '</manifest><spine><itemref idref="t"/><itemref idref="c1"/><itemref idref="c2"/>'
            "</spine></package>",
        )
        page = '<html xmlns="http://www.w3.org/1999/xhtml"><body>{}</body></html>'
        book.writestr("OEBPS/title_page.xhtml", page.format("<h1>Drift</h1><p>by oar</p>"))
        book.writestr("OEBPS/file0001.xhtml", page.format("<h2>Oars</h2><p>Row.</p>"))
        book.writestr("OEBPS/file0002.xhtml", page.format("<h2>Sails</h2><p>Wind.</p>"))
    (parsed,) = read_file("drift.epub", buffer.getvalue())
    assert (parsed.title, parsed.creators, parsed.freeforms) == ("Drift", ["oar"], ["Boats"])
    assert parsed.summary == "<p>Out to sea.</p>"
    assert parsed.published_at == datetime.date(2018, 2, 3)
    assert [(c.title, c.html) for c in parsed.chapters] == [
        ("Oars", "<p>Row.</p>"),
        ("Sails", "<p>Wind.</p>"),
    ]


def test_docx_made_by_python_docx_splits_chapters_on_headings(make_user, tmp_path):
    document = docx.Document()
    document.core_properties.title = "Harbour Nights"
    document.add_heading("Chapter 1: Dusk", level=1)
    paragraph = document.add_paragraph("The boats came ")
    paragraph.add_run("home").italic = True
    paragraph.add_run(".")
    document.add_heading("Chapter 2: Dawn", level=1)
    document.add_paragraph("They left again.")
    path = tmp_path / "nights.docx"
    document.save(path)
    (work,) = import_file(
        actor=make_user(), name="nights.docx", data=path.read_bytes(), options=ImportOptions()
    )
    assert work.title == "Harbour Nights"
    assert _chapters(work) == [
        ("Dusk", "<p>The boats came <em>home</em>.</p>"),
        ("Dawn", "<p>They left again.</p>"),
    ]


def test_odt_headings_and_paragraphs(make_user):
    data = odt_bytes([("h1", "One"), ("p", "Alpha &amp; beta."), ("h1", "Two"), ("p", "Gamma.")])
    (work,) = import_file(
        actor=make_user(), name="Sea_Songs.odt", data=data, options=ImportOptions()
    )
    assert work.title == "Sea Songs"
    assert _chapters(work) == [("One", "<p>Alpha &amp; beta.</p>"), ("Two", "<p>Gamma.</p>")]


def test_plain_text_with_author_note_and_chapters(make_user):
    text = (
        "A/N: Thanks to my beta.\n\nChapter 1: Rope\n\nKnots, tied.\nTight.\n\nChapter 2\n\nUntied."
    )
    (work,) = import_file(
        actor=make_user(), name="knots.txt", data=text.encode(), options=ImportOptions()
    )
    assert work.title == "knots"
    assert work.notes == "<p>Thanks to my beta.</p>"
    assert _chapters(work) == [
        ("Rope", "<p>Knots, tied.<br>\nTight.</p>"),
        ("", "<p>Untied.</p>"),
    ]
    assert work.chapters.get(position=1).text_format == "text"


def test_markdown_and_generic_html_with_authors_note(make_user):
    markdown = "Author's Note: for K.\n\n# Nets\n\nCast *wide*.\n\n# Lines\n\nCast deep."
    (work,) = import_file(
        actor=make_user(), name="fishing.md", data=markdown.encode(), options=ImportOptions()
    )
    assert work.notes == "<p>for K.</p>"
    assert _chapters(work) == [
        ("Nets", "<p>Cast <em>wide</em>.</p>"),
        ("Lines", "<p>Cast deep.</p>"),
    ]
    page = "<html><head><title>Kelp</title></head><body><p>Green <b>and</b> long.</p></body></html>"
    (work,) = import_file(
        actor=make_user(), name="kelp.html", data=page.encode(), options=ImportOptions()
    )
    assert (work.title, _chapters(work)) == ("Kelp", [("", "<p>Green <b>and</b> long.</p>")])


def test_source_without_tags_takes_the_chosen_defaults(make_user):
    options = ImportOptions(
        rating="Explicit",
        warnings=["No Archive Warnings Apply"],
        fandom="Original Work",
        language="fr",
        restricted=True,
    )
    (work,) = import_file(actor=make_user(), name="x.txt", data=b"Words.", options=options)
    work = Work.objects.prefetch_related("taggings__tag").get(pk=work.pk)
    assert (work.rating, work.language, work.restricted) == ("Explicit", "fr", True)
    assert _tags(work)["warnings"] == ["No Archive Warnings Apply"]
    assert _tags(work)["fandoms"] == ["Original Work"]


def test_zip_bomb_epub_is_refused_before_unpacking(make_user, settings):
    settings.POLIS_IMPORT_MAX_UNPACKED = 1_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr("big.xhtml", b"\0" * 5_000_000)
    assert len(buffer.getvalue()) < 50_000
    with pytest.raises(ImportRefused, match="unpacks to more than 1000000 bytes"):
        read_file("bomb.epub", buffer.getvalue())
    with pytest.raises(ValidationError):
        import_file(
            actor=make_user(), name="bomb.docx", data=buffer.getvalue(), options=ImportOptions()
        )
    assert Work.objects.count() == 0


def test_too_large_file_and_unknown_format_are_refused(make_user, settings):
    settings.POLIS_IMPORT_MAX_BYTES = 100
    user = make_user()
    with pytest.raises(ValidationError, match="larger than 100 bytes"):
        import_file(actor=user, name="a.txt", data=b"x" * 101, options=ImportOptions())
    with pytest.raises(ValidationError, match="Polis imports HTML"):
        import_file(actor=user, name="a.pdf", data=b"%PDF", options=ImportOptions())
    assert Work.objects.count() == 0


def test_polis_own_work_page_and_html_download_are_read(make_work, client):
    from polis.downloads.html import write_html

    original = make_work(
        title="Quay",
        text="<p>Ropes creak.</p>",
        chapters=2,
        summary="<p>Docks.</p>",
        notes="<p>Hello.</p>",
        relationships=["Maren Holt/Ines Varga"],
        categories=["F/F"],
        published_at=datetime.date(2025, 6, 2),
    )
    page = client.get(f"/works/{original.pk}?view_full_work=true").content
    for name, data in (("page.html", page), ("Quay.html", write_html(book_for(original)))):
        (parsed,) = read_file(name, data)
        assert parsed.title == "Quay", name
        assert parsed.summary == "<p>Docks.</p>", name
        assert parsed.notes == "<p>Hello.</p>", name
        assert (parsed.rating, parsed.warnings, parsed.categories) == (
            "General Audiences",
            ["No Archive Warnings Apply"],
            ["F/F"],
        ), name
        assert (parsed.fandoms, parsed.relationships) == (
            ["Original Work"],
            ["Maren Holt/Ines Varga"],
        ), name
        assert parsed.language == "en", name
        assert parsed.published_at == datetime.date(2025, 6, 2), name
        assert [(c.title, c.html.strip()) for c in parsed.chapters] == [
            ("", "<p>Ropes creak.</p>"),
            ("Part 2", "<p>Chapter 2 text.</p>"),
        ], name
