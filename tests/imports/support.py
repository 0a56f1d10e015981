"""Files the import tests make: an AO3-shaped download and work page, an .odt, an export ZIP."""
# ruff: noqa: E501 (pages as archives write them, one tag a line)

import io
import json
import zipfile

AO3_DOWNLOAD = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>The Lighthouse Keeper - Archive of Our Own</title></head>
<body>
<div id="preface">
  <p class="message"><b>The Lighthouse Keeper</b><br/>
  Posted originally on the <a href="http://archiveofourown.org/">Archive of Our Own</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a href="/tags/Teen%20And%20Up%20Audiences">Teen And Up Audiences</a></dd>
      <dt>Archive Warning:</dt><dd><a href="#">Creator Chose Not To Use Archive Warnings</a></dd>
      <dt>Category:</dt><dd><a href="#">F/F</a>, <a href="#">Gen</a></dd>
      <dt>Fandom:</dt><dd><a href="#">Harbour Tales (TV)</a></dd>
      <dt>Relationship:</dt><dd><a href="#">Maren Holt/Ines Varga</a></dd>
      <dt>Characters:</dt><dd><a href="#">Maren Holt</a>, <a href="#">Ines Varga</a></dd>
      <dt>Additional Tags:</dt><dd><a href="#">Slow Burn</a>, <a href="#">lighthouses</a></dd>
      <dt>Language:</dt><dd>English</dd>
      <dt>Series:</dt><dd>Part 2 of <a href="#">Harbour Lights</a>, Part 1 of <a href="#">Lamps, Oil</a></dd>
      <dt>Stats:</dt><dd>Published: 2019-03-04 Updated: 2019-05-06 Words: 40 Chapters: 2/3</dd>
    </dl>
    <h1>The Lighthouse Keeper</h1>
    <div class="byline">by <a rel="author" href="#">saltwind</a></div>
    <p>Summary</p>
    <blockquote class="userstuff"><p>Maren keeps the light; Ines keeps <em>secrets</em>.</p></blockquote>
    <p>Notes</p>
    <blockquote class="userstuff"><p>Written for a prompt.</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group">
    <h2 class="heading">Chapter 1: Fog</h2>
    <p>Chapter Summary</p><blockquote class="userstuff"><p>The fog rolls in.</p></blockquote>
    <p>Chapter Notes</p><blockquote class="userstuff"><p>Short one.</p></blockquote>
  </div>
  <div class="userstuff"><p>The lamp turned all night.</p><script>alert(1)</script></div>
  <div class="meta group"><p>Chapter End Notes</p>
    <blockquote class="userstuff"><p>More soon.</p></blockquote></div>
  <div class="meta group"><h2 class="heading">Chapter 2</h2></div>
  <div class="userstuff"><p onclick="x()">Morning came grey.</p></div>
</div>
<div id="afterword"><div class="meta"><p>End Notes</p>
  <blockquote class="userstuff"><p>Thanks for reading.</p></blockquote></div></div>
</body></html>
"""

AO3_WORK_PAGE = """<!DOCTYPE html><html><head><title>Tide | Polis</title></head><body>
<div class="wrapper"><dl class="work meta group">
  <dt class="rating tags">Rating:</dt><dd class="rating tags"><ul><li><a class="tag" href="#">General Audiences</a></li></ul></dd>
  <dt class="warning tags">Archive Warning:</dt><dd class="warning tags"><ul><li><a class="tag" href="#">No Archive Warnings Apply</a></li></ul></dd>
  <dt class="fandom tags">Fandom:</dt><dd class="fandom tags"><ul><li><a class="tag" href="#">Harbour Tales (TV)</a></li></ul></dd>
  <dt class="freeform tags">Additional Tags:</dt><dd class="freeform tags"><ul><li><a class="tag" href="#">Tide Pools</a></li></ul></dd>
  <dt class="language">Language:</dt><dd class="language">Deutsch</dd>
  <dt class="stats">Stats:</dt><dd class="stats"><dl class="stats">
    <dt class="published">Published:</dt><dd class="published">2020-07-01</dd>
    <dt class="status">Completed:</dt><dd class="status">2020-08-15</dd>
    <dt class="chapters">Chapters:</dt><dd class="chapters">2/2</dd></dl></dd>
</dl>
<div id="workskin"><div class="preface group">
  <h2 class="title heading">Tide</h2>
  <h3 class="byline heading"><a rel="author" href="/users/wave/pseuds/wave">wave</a></h3>
  <div class="summary module"><h3 class="heading">Summary:</h3><blockquote class="userstuff"><p>Low tide.</p></blockquote></div>
</div>
<div id="chapters">
  <div class="chapter" id="chapter-1"><div class="chapter preface group"><h3 class="title"><a href="#">Chapter 1</a>: Ebb</h3></div>
    <div class="userstuff module" role="article"><h3 class="landmark heading" id="work">Chapter Text</h3><p>Water leaves.</p></div></div>
  <div class="chapter" id="chapter-2"><div class="chapter preface group"><h3 class="title"><a href="#">Chapter 2</a>: Flow</h3></div>
    <div class="userstuff module" role="article"><h3 class="landmark heading">Chapter Text</h3><p>Water returns.</p></div>
    <div class="chapter preface group"><div id="chapter_2_endnotes" class="end notes module"><h3 class="heading">Notes:</h3><blockquote class="userstuff"><p>The end.</p></blockquote></div></div></div>
</div>
<div id="work_endnotes" class="end notes module"><blockquote class="userstuff"><p>Bye.</p></blockquote></div>
</div></div></body></html>
"""


def odt_bytes(paragraphs: list[tuple[str, str]]) -> bytes:
    """A minimal OpenDocument text: ("h1"|"p", text) pairs."""
    body = "".join(
        f'<text:h text:outline-level="1">{text}</text:h>'
        if kind == "h1"
        else f"<text:p>{text}</text:p>"
        for kind, text in paragraphs
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def export_zip(works: list[dict], *, version: int = 1) -> bytes:
    """An account export as docs/export-format.md describes it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        manifest = {
            "format": "polis-export",
            "version": version,
            "site": "https://old.example",
            "username": "mover",
            "exported_at": "2026-11-30T10:00:00+00:00",
            "works": [f"works/{work['id']}.json" for work in works],
        }
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("account.json", json.dumps({"username": "mover", "pseuds": []}))
        for work in works:
            archive.writestr(f"works/{work['id']}.json", json.dumps(work))
        for name in ("bookmarks", "comments", "kudos", "subscriptions", "history"):
            archive.writestr(f"{name}.json", "[]")
    return buffer.getvalue()


def exported_work(**overrides) -> dict:
    work = {
        "id": 12,
        "url": "https://old.example/works/12",
        "title": "Salt and Iron",
        "pseuds": ["mover"],
        "rating": "Mature",
        "warnings": ["Major Character Death"],
        "categories": ["M/M"],
        "fandoms": ["Harbour Tales (TV)"],
        "relationships": ["Aksel Brun/Tomas Vik"],
        "characters": ["Aksel Brun", "Tomas Vik"],
        "freeforms": ["Shipwrecks"],
        "language": "fr",
        "summary": "<p>A storm.</p>",
        "notes": "<p>Begin.</p>",
        "end_notes": "<p>Finish.</p>",
        "restricted": True,
        "complete": False,
        "expected_chapters": 3,
        "posted": True,
        "published_at": "2024-01-31",
        "revised_at": "2024-03-01T10:00:00+00:00",
        "series": [{"title": "Iron Coast", "position": 1}],
        "collections": ["harbour_fest"],
        "chapters": [
            {
                "position": 1,
                "title": "Wreck",
                "summary": "<p>Ch sum.</p>",
                "notes": "<p>Ch n.</p>",
                "end_notes": "<p>Ch end.</p>",
                "text": "<p>Timbers cracked.</p>",
                "posted": True,
                "published_at": "2024-01-31",
            },
            {
                "position": 2,
                "title": "Shore",
                "summary": "",
                "notes": "",
                "end_notes": "",
                "text": "<p>Sand, at last.</p>",
                "posted": True,
                "published_at": "2024-03-01",
            },
        ],
    }
    work.update(overrides)
    return work
