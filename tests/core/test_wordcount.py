"""Tests for AO3-style word counting and count formatting."""

import pytest

from polis.core.wordcount import count_words, format_count


@pytest.mark.parametrize(
    ("html", "words"),
    [
        ("Hello world", 2),
        ("don't stop", 2),
        ("don\u2019t stop", 2),
        ("well-known fact", 2),
        ("\u2014 ... ! - ? ***", 0),
        ("wait\u2014what", 2),
        ("one--two", 2),
        ("Hello, world! How are you?", 5),
        ("snake_case and ______ breaks", 3),
        ("", 0),
        ("   \n\t ", 0),
    ],
)
def test_words_are_runs_of_letters_joined_by_apostrophes_and_hyphens(html: str, words: int) -> None:
    assert count_words(html) == words


@pytest.mark.parametrize(
    ("html", "words"),
    [
        ("<p>one</p><p>two</p>", 2),
        ("one<br>two", 2),
        ("<ul><li>a</li><li>b</li></ul>", 2),
        ("<b>Hel</b>lo <i>there</i>", 2),
        ('<p class="x" title="many words in a title">text</p>', 1),
        ("<p>kept</p><script>var a = 1; var b = 2;</script><!-- not counted -->", 1),
        ("Tom &amp; Jerry&nbsp;forever", 3),
        ("&lt;angle&gt; brackets", 2),
    ],
)
def test_markup_is_ignored_and_blocks_separate_words(html: str, words: int) -> None:
    assert count_words(html) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("東京は晴れ", 5),
        ("Hello 世界", 3),
        ("Hello世界", 3),
        ("안녕하세요 세계", 7),
        ("コーヒーを飲む", 7),
        ("「こんにちは」。", 5),
        ("สวัสดี", 6),
        ("𠀀𠀁", 2),
    ],
)
def test_cjk_hangul_and_thai_characters_count_one_word_each(text: str, words: int) -> None:
    assert count_words(text) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("नमस्ते दुनिया", 2),
        ("cafe\u0301 au lait", 3),
        ("Привет, мир", 2),
        ("مرحبا بالعالم", 2),
    ],
)
def test_combining_marks_do_not_split_words(text: str, words: int) -> None:
    assert count_words(text) == words


def test_long_chapter_is_counted() -> None:
    paragraph = "<p>It was a dark and stormy night; the rain fell in torrents.</p>\n"
    assert count_words(paragraph * 1000) == 12_000


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (1234567, "1,234,567"), (-4321, "-4,321")],
)
def test_format_count_uses_comma_thousands_separators(n: int, text: str) -> None:
    assert format_count(n) == text
