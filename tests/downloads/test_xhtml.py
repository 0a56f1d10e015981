"""HTML → XHTML: well-formed output whose structure HTML5 allows, exact for common markup."""

from xml.etree import ElementTree as ET

import pytest

from polis.downloads.xhtml import XhtmlDocument


def convert(html: str, images=lambda src: None, reserved=()) -> str:
    document = XhtmlDocument(images=images, reserved_ids=reserved)
    fragment = document.convert(html)
    document.finish()
    return str(fragment)


@pytest.mark.parametrize(
    "html, xhtml",
    [
        ("<p>a &amp; b &lt;c&gt;<br>d</p>", "<p>a &amp; b &lt;c&gt;<br/>d</p>"),
        ("<p>x&nbsp;y</p>", "<p>x\u00a0y</p>"),
        ('<p align="center">c</p>', '<p class="align-center">c</p>'),
        ("<center>c</center>", '<div class="center">c</div>'),
        ("<strike>s</strike><tt>t</tt>", '<s>s</s><span class="tt">t</span>'),
        ("<acronym title='t'>A</acronym>", '<abbr title="t">A</abbr>'),
        ("<ul><li>a</li>b</ul>", "<ul><li>a</li><li>b</li></ul>"),
        ("<dl><dd>d</dd><dt>t</dt></dl>", "<dl><dt></dt><dd>d</dd><dt>t</dt><dd></dd></dl>"),
        ("<span><p>p</p></span>", '<span><span class="p">p</span></span>'),
        ("<hr>", "<hr/>"),
        (
            '<ol start="3" type="i" reversed><li>x</li></ol>',
            '<ol start="3" type="i"><li>x</li></ol>',
        ),
        ('<ul type="disc"><li>x</li></ul>', "<ul><li>x</li></ul>"),
        ('<p lang="fr" dir="rtl">x</p>', '<p lang="fr" xml:lang="fr" dir="rtl">x</p>'),
        ('<p lang="no good" dir="up">x</p>', "<p>x</p>"),
        ("<p>\x00\x08ok\x0b</p>", "<p>ok</p>"),
        (
            '<img src="https://e.org/x.png" alt="A &amp; B">',
            '<span class="image-alt">A &amp; B</span>',
        ),
        ('<img src="https://e.org/x.png">', ""),
    ],
)
def test_conversion(html, xhtml):
    assert convert(html) == xhtml


def test_links_keep_only_safe_targets_and_defined_fragments():
    html = (
        '<a href="#n1" rel="nofollow">1</a> <a href="#gone" rel="nofollow">2</a> '
        '<a href="/works/1" rel="nofollow">3</a> <a href="javascript:x">4</a> '
        '<a href="https://e.org/a b" rel="nofollow">5</a> <a name="n1">n</a> <a name="n1">dup</a>'
    )
    assert convert(html) == (
        '<a href="#n1">1</a> <a>2</a> <a>3</a> <a>4</a> '
        '<a href="https://e.org/a%20b" rel="nofollow">5</a> <a id="n1">n</a> <a>dup</a>'
    )


def test_relative_links_become_absolute_with_a_site_url(settings):
    settings.POLIS_SITE_URL = "https://archive.example/"
    assert convert('<a href="/works/1">w</a>') == '<a href="https://archive.example/works/1">w</a>'


def test_reserved_ids_are_not_taken_by_the_writer():
    assert convert('<a name="chapter-2">x</a>', reserved={"chapter-2"}) == "<a>x</a>"


def test_images_go_through_the_image_source():
    seen = []

    def images(src):
        seen.append(src)
        return "../images/x.png"

    out = convert('<img src="/media/x.png" alt="x" width="10" height="50%" border="1">', images)
    assert seen == ["/media/x.png"]
    assert out == '<img src="../images/x.png" alt="x" width="10"/>'


def test_output_is_always_well_formed():
    nasty = (
        "<p><b>unclosed <i>tags</p><table><tr><td>x<td>y</table></b>"
        "<div><span><ul><li><table><caption>c</caption><tr><th><h1>h</h1></th></tr></table>"
        "</li></ul></span></div></b></i></em>stray end tags"
    )
    ET.fromstring(f"<root>{convert(nasty)}</root>")
