"""Tests for converting plain text, Markdown and HTML input into sanitized HTML."""

import pytest

from polis.core.sanitizer import sanitize_html, strip_tags
from polis.core.text import TextFormat, html_to_text, to_html

STORY_TEXT = (
    "    The lighthouse keeper's daughter had not spoken in three days.\r\n"
    "\r\n"
    '"Tea & toast?" her father asked, the way he always did. She shook her head.\r\n'
    "He left the plate by the door anyway.   \r\n"
    "\r\n"
    "\r\n"
    "That night she found the note, in the cramped hand she knew too well:\r\n"
    "\r\n"
    "  The sea keeps what it takes,\r\n"
    "  the shore keeps what it's given,\r\n"
    "  and I keep <nothing> at all.\r\n"
    " \t \r\n"
    "She read it twice -- then folded it small & put it in her pocket.\r\n"
    "\r\n"
)

STORY_HTML = (
    "<p>The lighthouse keeper's daughter had not spoken in three days.</p>\n"
    '<p>"Tea &amp; toast?" her father asked, the way he always did. She shook her head.<br>\n'
    "He left the plate by the door anyway.</p>\n"
    "<p>That night she found the note, in the cramped hand she knew too well:</p>\n"
    "<p>The sea keeps what it takes,<br>\n"
    "the shore keeps what it's given,<br>\n"
    "and I keep &lt;nothing&gt; at all.</p>\n"
    "<p>She read it twice -- then folded it small &amp; put it in her pocket.</p>"
)


def test_plain_text_story_becomes_paragraphs_with_line_breaks() -> None:
    assert to_html(STORY_TEXT, TextFormat.TEXT) == STORY_HTML


def test_plain_text_accepts_the_format_as_a_string() -> None:
    assert to_html(STORY_TEXT, "text") == STORY_HTML


def test_plain_text_with_old_mac_line_endings() -> None:
    assert to_html("one\rtwo\r\rthree", "text") == "<p>one<br>\ntwo</p>\n<p>three</p>"


def test_plain_text_markup_is_shown_not_interpreted() -> None:
    source = '<script>alert("x")</script> <b onclick="x()">bold</b>'
    assert to_html(source, "text") == (
        '<p>&lt;script&gt;alert("x")&lt;/script&gt; &lt;b onclick="x()"&gt;bold&lt;/b&gt;</p>'
    )


@pytest.mark.parametrize("fmt", list(TextFormat))
@pytest.mark.parametrize("source", ["", "   ", "\r\n\r\n", " \t\n "])
def test_blank_input_gives_empty_output(source: str, fmt: TextFormat) -> None:
    assert to_html(source, fmt) == ""


def test_html_with_only_hostile_content_gives_empty_output() -> None:
    assert to_html("<script>alert(1)</script>", "html") == ""


def test_html_dropped_content_leaves_no_empty_paragraph() -> None:
    source = "a\n\n<script>x</script>\n\n<!-- note\n\nto self -->\n\nb"
    assert to_html(source, "html") == "<p>a</p>\n<p>b</p>"


def test_html_inline_markup_spanning_a_blank_line_continues_into_the_next_paragraph() -> None:
    # HTML5 parsing re-opens the <em>; the whitespace between paragraphs gets one too.
    assert to_html("<em>a\n\nb</em>", "html") == ("<p><em>a</em></p><em>\n</em><p><em>b</em></p>")


MARKDOWN_SOURCE = """\
## Chapter One

It was *very* dark, and **very** cold, and ~~not~~ quite midnight.
The second line joins the first.

- bread & butter
- tea

| Name | Age |
|:-----|----:|
| Ann  | 30  |

<script>alert("x")</script>

[safe](https://example.com) and [bad](javascript:alert(1))
"""

MARKDOWN_HTML = """\
<h2>Chapter One</h2>
<p>It was <em>very</em> dark, and <strong>very</strong> cold, and <s>not</s> quite midnight.
The second line joins the first.</p>
<ul>
<li>bread &amp; butter</li>
<li>tea</li>
</ul>
<table>
<thead>
<tr>
<th align="left">Name</th>
<th align="right">Age</th>
</tr>
</thead>
<tbody>
<tr>
<td align="left">Ann</td>
<td align="right">30</td>
</tr>
</tbody>
</table>
<p>&lt;script&gt;alert("x")&lt;/script&gt;</p>
<p><a href="https://example.com" rel="nofollow">safe</a> and [bad](javascript:alert(1))</p>"""


def test_markdown_renders_emphasis_lists_tables_and_escapes_raw_html() -> None:
    assert to_html(MARKDOWN_SOURCE, TextFormat.MARKDOWN) == MARKDOWN_HTML


def test_markdown_inline_html_is_escaped() -> None:
    assert to_html("a <b>b</b> c", "markdown") == "<p>a &lt;b&gt;b&lt;/b&gt; c</p>"


def test_markdown_data_image_loses_its_source() -> None:
    assert to_html("![pic](data:image/png;base64,AAAA)", "markdown") == '<p><img alt="pic"></p>'


def test_markdown_code_block_class_follows_allow_class() -> None:
    source = "```python\nprint(1)\n```"
    assert to_html(source, "markdown") == (
        '<pre><code class="language-python">print(1)\n</code></pre>'
    )
    assert to_html(source, "markdown", allow_class=False) == "<pre><code>print(1)\n</code></pre>"


def test_html_with_bare_newlines_becomes_paragraphs() -> None:
    source = "Hi <em>there</em>,\r\nfriend.\r\n\r\nSecond &amp; <b onclick='x()'>last</b>.\n\n\n"
    assert to_html(source, TextFormat.HTML) == (
        "<p>Hi <em>there</em>,<br>\nfriend.</p>\n<p>Second &amp; <b>last</b>.</p>"
    )


def test_html_with_block_tags_is_only_sanitized() -> None:
    source = '<p align="center">One</p>\n\n<p>Two<script>x</script></p>'
    assert to_html(source, "html") == '<p align="center">One</p>\n\n<p>Two</p>'


@pytest.mark.parametrize(
    "source", ["a<br>b\nc", "<div>a\nb</div>", "<BLOCKQUOTE>a\nb</BLOCKQUOTE>", "<hr/>a\nb"]
)
def test_html_newlines_are_left_alone_when_any_block_tag_is_present(source: str) -> None:
    assert "<p>" not in to_html(source, "html")


def test_html_tags_that_merely_start_like_block_tags_do_not_count_as_blocks() -> None:
    assert to_html("<pre-x>a</pre-x>\nb", "html") == "<p>a<br>\nb</p>"


def test_html_class_follows_allow_class() -> None:
    source = '<p class="note">x</p>'
    assert to_html(source, "html") == source
    assert to_html(source, "html", allow_class=False) == "<p>x</p>"


@pytest.mark.parametrize("fmt", list(TextFormat))
def test_output_is_already_sanitized(fmt: TextFormat) -> None:
    out = to_html(STORY_TEXT + MARKDOWN_SOURCE, fmt)
    assert sanitize_html(out, allow_class=True) == out


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError):
        to_html("x", "rtf")


def test_html_to_text_is_the_sanitizer_strip_tags() -> None:
    assert html_to_text is strip_tags
    assert html_to_text(STORY_HTML).splitlines()[1] == (
        '"Tea & toast?" her father asked, the way he always did. She shook her head.'
    )
