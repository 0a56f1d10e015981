"""The single-file HTML and the PDF: self-contained, typeset, with the preface and chapters."""

import re

from django.conf import settings

from polis.downloads.html import write_html
from polis.downloads.pdf import render_pdf_document, write_pdf
from polis.downloads.preface import book_for
from polis.works.actions import ChapterInput
from tests.downloads.support import add_chapters, png_bytes


def _images_work(make_work):
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "cat.png").write_bytes(png_bytes())
    return make_work(
        title="Pictures",
        text=(
            '<p><img src="/media/cat.png" alt="Local cat">'
            '<img src="https://example.org/remote.png" alt="Remote">'
            '<img src="/media/missing.png" alt="Missing"></p>'
        ),
    )


def test_html_is_one_file_without_external_stylesheet_or_script(make_work):
    html = write_html(book_for(make_work(chapters=3))).decode()
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert "<script" not in html
    assert not re.search(r"""url\((?!["']?data:)""", html)


def test_html_has_preface_chapters_and_afterword(make_work):
    work = make_work(
        title="Full",
        summary="<p>The summary.</p>",
        notes="<p>The notes.</p>",
        end_notes="<p>The end notes.</p>",
        characters=["Lexa"],
    )
    add_chapters(work, [ChapterInput(text="<p>Two.</p>", title="Second", notes="<p>N2</p>")])
    html = write_html(book_for(work)).decode()
    html = html[html.index("<body>") :]
    order = [
        '<h1 class="title" dir="ltr">Full</h1>',
        "Character:</dt>",
        ">Lexa</dd>",
        "Words:",
        "Chapters: 2/?",
        "The summary.",
        "The notes.",
        '<a href="#chapter-2" dir="ltr">Chapter 2: Second</a>',
        "Chapter 1</h2>",
        "Some words here.",
        "Chapter 2: Second</h2>",
        "N2",
        "Two.",
        "The end notes.",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)


def test_html_embeds_local_images_and_keeps_remote_ones_by_url(make_work):
    html = write_html(book_for(_images_work(make_work))).decode()
    assert '<img src="data:image/png;base64,' in html
    assert '<img src="https://example.org/remote.png" alt="Remote"/>' in html
    assert '<span class="image-alt">Missing</span>' in html
    assert "/media/" not in html


def test_pdf_is_a_pdf(make_work):
    data = write_pdf(book_for(make_work()))
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


def test_long_work_has_many_pages_with_chapters_on_new_pages(make_work):
    paragraph = "<p>" + " ".join(["word"] * 200) + "</p>"
    work = make_work(text=paragraph * 10, chapters=3)
    document = render_pdf_document(book_for(work))
    assert len(document.pages) > 5
    # Bookmarks come from the headings: the title, then each chapter, each on its own page.
    marks = [(label, target[0]) for label, target, *_ in document.make_bookmark_tree()]
    labels = [label for label, _ in marks]
    assert labels == ["A Work", "Chapter 1", "Chapter 2: Part 2", "Chapter 3: Part 3"]
    pages = [page for _, page in marks]
    assert pages == sorted(set(pages))
    assert pages[2] - pages[1] >= 2  # 2,000 words fill more than one page


def test_pdf_uses_cjk_fonts_for_japanese(make_work):
    work = make_work(title="吾輩は猫である", text="<p>名前はまだ無い。</p>", language="ja")
    data = render_pdf_document(book_for(work)).write_pdf(uncompressed_pdf=True)
    assert b"NotoSerifCJK" in data or b"NotoSansCJK" in data


def test_pdf_renders_local_images_and_never_fetches_remote_ones(make_work, monkeypatch):
    from weasyprint.urls import URLFetcher

    fetched = []
    original = URLFetcher.fetch

    def spy(self, url, *args, **kwargs):
        fetched.append(url)
        return original(self, url, *args, **kwargs)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    data = render_pdf_document(book_for(_images_work(make_work))).write_pdf(uncompressed_pdf=True)
    assert b"/Subtype /Image" in data
    assert len(fetched) == 1 and fetched[0].startswith("data:image/png;base64,")
