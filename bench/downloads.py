"""Benchmark: EPUB (and HTML) generation for a 500,000-word, 100-chapter work, in memory."""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polis.settings")

import django  # noqa: E402

django.setup()

from polis.core.sanitizer import sanitize_html  # noqa: E402
from polis.core.wordcount import count_words  # noqa: E402
from polis.downloads.epub import write_epub  # noqa: E402
from polis.downloads.html import write_html  # noqa: E402
from polis.downloads.preface import Book, BookChapter, TagGroup  # noqa: E402

WORDS = [
    "the", "a", "and", "of", "to", "in", "she", "he", "they", "said", "was", "it", "that",
    "with", "for", "on", "her", "his", "as", "at", "but", "not", "night", "storm", "sword",
    "river", "crown", "whisper", "shadow", "light", "ancient", "promise", "heart", "city",
    "war", "quietly", "suddenly", "never", "always", "finally", "Clarke", "Lexa", "Octavia",
    "Bellamy", "Raven", "Polis",
]  # fmt: skip


def _paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    if rng.random() < 0.3:
        text = f"&ldquo;{text[:80]},&rdquo; she said. {text[80:]}"
    if rng.random() < 0.2:
        text = text.replace(" the ", " <em>the</em> ", 1).replace(" war ", " <strong>war</strong> ")
    return f"<p>{text}</p>"


def make_book(*, words: int, chapters: int, seed: int = 1) -> Book:
    """A Book like a long posted work: sanitized HTML paragraphs of about 60 words."""
    rng = random.Random(seed)
    per_chapter = words // chapters
    book_chapters = []
    for number in range(1, chapters + 1):
        paragraphs = [_paragraph(rng, 60) for _ in range(per_chapter // 60)]
        if number % 10 == 0:
            paragraphs.insert(len(paragraphs) // 2, "<hr><p align='center'>* * *</p>")
        book_chapters.append(
            BookChapter(
                number=number,
                heading=f"Chapter {number}: Part {number}",
                title=f"Part {number}",
                summary=sanitize_html(f"<p>What happens in part {number}.</p>"),
                notes=sanitize_html("<p>Thanks for reading!</p>") if number % 5 == 0 else "",
                content=sanitize_html("\n".join(paragraphs), allow_class=True),
                end_notes="",
            )
        )
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    return Book(
        work_id=1,
        title="The Long Road to Polis",
        byline=["benchmark"],
        language="en",
        language_name="English",
        direction="ltr",
        tags=[
            TagGroup("Fandom", "fandom", ["The 100 (TV)"]),
            TagGroup("Relationship", "relationship", ["Clarke Griffin/Lexa"]),
        ],
        stats=[("Published", "2025-01-01"), ("Words", f"{words:,}"), ("Chapters", "100/100")],
        published=now.date(),
        modified=now,
        summary="<p>A very long story.</p>",
        notes="",
        end_notes="<p>The end.</p>",
        chapters=book_chapters,
        site_name="Polis",
        work_url="",
    )


def _time(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=500_000)
    parser.add_argument("--chapters", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    book = make_book(words=args.words, chapters=args.chapters)
    words = sum(count_words(chapter.content) for chapter in book.chapters)
    print(f"work: {words:,} words, {len(book.chapters)} chapters")
    for name, writer in (("EPUB", write_epub), ("HTML", write_html)):
        size = len(writer(book))
        times = _time(lambda writer=writer: writer(book), args.repeat)
        print(
            f"{name}: {size / 1e6:.1f} MB, best {min(times):.2f} s, "
            f"median {statistics.median(times):.2f} s over {args.repeat} runs"
        )


if __name__ == "__main__":
    main()
