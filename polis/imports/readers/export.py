"""Read an account export ZIP (docs/export-format.md, `polis-export` version 1) back."""

import json

from polis.imports.parsed import (
    ImportRefused,
    ParsedChapter,
    ParsedWork,
    fixed_categories,
    fixed_rating,
    fixed_warnings,
    parse_date,
)
from polis.imports.readers.archives import BoundedZip

FORMAT, VERSION = "polis-export", 1


def is_export(archive: BoundedZip) -> bool:
    return "manifest.json" in archive.names


def _json(archive: BoundedZip, name: str) -> dict:
    try:
        value = json.loads(archive.read(name))
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused(f"{name} in this export is not valid JSON.") from error
    if not isinstance(value, dict):
        raise ImportRefused(f"{name} in this export is not an object.")
    return value


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def read_export(archive: BoundedZip) -> list[ParsedWork]:
    manifest = _json(archive, "manifest.json")
    if manifest.get("format") != FORMAT:
        raise ImportRefused("This ZIP is not a Polis account export.")
    if manifest.get("version") != VERSION:
        raise ImportRefused(
            f"This export is version {manifest.get('version')}; this archive reads {VERSION}."
        )
    works = []
    for name in _strings(manifest.get("works")):
        works.append(_work(_json(archive, name)))
    return works


def _work(data: dict) -> ParsedWork:
    chapters = [
        ParsedChapter(
            html=_string(chapter.get("text")),
            title=_string(chapter.get("title")),
            summary=_string(chapter.get("summary")),
            notes=_string(chapter.get("notes")),
            end_notes=_string(chapter.get("end_notes")),
            published_at=parse_date(_string(chapter.get("published_at"))),
            posted=chapter.get("posted") is not False,
        )
        for chapter in sorted(
            (c for c in data.get("chapters") or [] if isinstance(c, dict)),
            key=lambda c: c.get("position") if isinstance(c.get("position"), int) else 0,
        )
    ]
    series = [
        (_string(entry.get("title")), entry.get("position"))
        for entry in data.get("series") or []
        if isinstance(entry, dict) and _string(entry.get("title"))
    ]
    expected = data.get("expected_chapters")
    return ParsedWork(
        title=_string(data.get("title")),
        creators=_strings(data.get("pseuds")),
        summary=_string(data.get("summary")),
        notes=_string(data.get("notes")),
        end_notes=_string(data.get("end_notes")),
        rating=fixed_rating(_string(data.get("rating"))),
        warnings=fixed_warnings(_strings(data.get("warnings"))),
        categories=fixed_categories(_strings(data.get("categories"))),
        fandoms=_strings(data.get("fandoms")),
        relationships=_strings(data.get("relationships")),
        characters=_strings(data.get("characters")),
        freeforms=_strings(data.get("freeforms")),
        language=_string(data.get("language")),
        published_at=parse_date(_string(data.get("published_at"))),
        updated_at=parse_date(_string(data.get("revised_at"))),
        complete=bool(data.get("complete")),
        expected_chapters=expected if isinstance(expected, int) and expected > 0 else None,
        restricted=bool(data.get("restricted")),
        series=[(title, pos if isinstance(pos, int) else 1) for title, pos in series],
        chapters=chapters,
        source_url=_string(data.get("url")),
    )
