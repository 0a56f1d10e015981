"""Word counts of user HTML by AO3's rule, and their display with thousands separators."""

import re
import unicodedata
from functools import cache

from polis.core.sanitizer import strip_tags

# Scripts written without spaces between words: each character counts as one word.
# Han (incl. radicals, 々 〇, extensions), Hiragana, Katakana (incl. ー), Hangul syllables, Thai.
_CHARACTER_WORDS = (
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0003134f"
    "\u3041-\u3096\u309d-\u309f"
    "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d"
    "\uac00-\ud7a3"
    "\u0e01-\u0e3a\u0e40-\u0e5b"
)


@cache
def _word_pattern() -> re.Pattern[str]:
    # Python's \w omits combining marks (Mn/Mc/Me), which would split words in Devanagari,
    # Arabic with harakat, decomposed accents...; AO3 (Ruby [[:word:]]) counts them as letters.
    # Built on first use: scanning the code points takes ~30 ms.
    marks: list[str] = []
    start = None
    for code in range(0x20001):
        is_mark = code < 0x20000 and unicodedata.category(chr(code)).startswith("M")
        if is_mark and start is None:
            start = code
        elif not is_mark and start is not None:
            marks.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = None
    marks.append("\U000e0100-\U000e01ef")  # variation selectors supplement
    word_char = rf"[\w{''.join(marks)}]"
    return re.compile(rf"[{_CHARACTER_WORDS}]|(?:(?![{_CHARACTER_WORDS}]){word_char})+")


# Apostrophes and hyphens join rather than split: "don't", "well-known" are one word each.
# Underscores too, so "snake_case" is one word and a "_____" scene break is none.
_JOINERS = re.compile(r"['_\u2018\u2019\u2010\u2011-]")


def count_words(html: str) -> int:
    """Count the words of `html` as AO3 does, ignoring markup and punctuation."""
    text = strip_tags(html).replace("--", "\u2014")
    return len(_word_pattern().findall(_JOINERS.sub("", text)))


def format_count(n: int) -> str:
    """Format `n` with comma thousands separators: 1234567 -> "1,234,567"."""
    return f"{n:,}"
