"""Read an account export ZIP (docs/export-format.md, `polis-export` version 1) back."""

import json
from dataclasses import dataclass, field

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


@dataclass(kw_only=True)
class ExportPseud:
    name: str
    description: str = ""
    is_default: bool = False


@dataclass(kw_only=True)
class ExportBookmark:
    """One row of bookmarks.json: a work of the source archive (`work_id`), a work elsewhere
    (`external_url`), or neither (its work was deleted)."""

    pseud: str = ""
    work_id: int | None = None
    work_title: str = ""
    external_url: str = ""
    external_title: str = ""
    external_creator: str = ""
    external_fandom: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    private: bool = False
    rec: bool = False


@dataclass(kw_only=True)
class ExportAccount:
    """What an export holds besides its works that the import restores."""

    site: str = ""
    username: str = ""
    pseuds: list[ExportPseud] = field(default_factory=list)
    bookmarks: list[ExportBookmark] = field(default_factory=list)


def _list(archive: BoundedZip, name: str) -> list[dict]:
    if name not in archive.names:
        return []
    try:
        value = json.loads(archive.read(name))
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused(f"{name} in this export is not valid JSON.") from error
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def read_export_account(archive: BoundedZip) -> ExportAccount:
    """The manifest's site, account.json's pseuds and bookmarks.json (docs/export-format.md)."""
    manifest = _manifest(archive)
    account = _json(archive, "account.json") if "account.json" in archive.names else {}
    pseuds = [
        ExportPseud(
            name=_string(p.get("name")).strip(),
            description=_string(p.get("description")),
            is_default=p.get("is_default") is True,
        )
        for p in account.get("pseuds") or []
        if isinstance(p, dict) and _string(p.get("name")).strip()
    ]
    bookmarks = [
        ExportBookmark(
            pseud=_string(row.get("pseud")),
            work_id=row["work_id"] if isinstance(row.get("work_id"), int) else None,
            work_title=_string(row.get("work_title")),
            external_url=_string(row.get("external_url")),
            external_title=_string(row.get("external_title")),
            external_creator=_string(row.get("external_creator")),
            external_fandom=_string(row.get("external_fandom")),
            notes=_string(row.get("notes")),
            tags=_strings(row.get("tags")),
            private=row.get("private") is True,
            rec=row.get("rec") is True,
        )
        for row in _list(archive, "bookmarks.json")
    ]
    return ExportAccount(
        site=_string(manifest.get("site")),
        username=_string(manifest.get("username")),
        pseuds=pseuds,
        bookmarks=bookmarks,
    )


def _manifest(archive: BoundedZip) -> dict:
    manifest = _json(archive, "manifest.json")
    if manifest.get("format") != FORMAT:
        raise ImportRefused("This ZIP is not a Polis account export.")
    if manifest.get("version") != VERSION:
        raise ImportRefused(
            f"This export is version {manifest.get('version')}; this archive reads {VERSION}."
        )
    return manifest


def read_export(archive: BoundedZip) -> list[ParsedWork]:
    manifest = _manifest(archive)
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
