"""Browsing indexes in the API: media and their fandoms, and languages, with work counts."""

from django.http import HttpRequest
from ninja import Field, Router, Schema

from polis.api import output
from polis.api.auth import READ, viewer
from polis.api.schemas import READ_ERRORS, ErrorOut
from polis.search.indexes import Counted, language_counts, media_fandoms, media_index
from polis.tags.access import access_media

router = Router(tags=["tags"])


class FandomCountOut(Schema):
    name: str
    works: int = Field(..., description="Listed works the caller may see in this fandom.")
    url: str = Field(..., description="The fandom's works page.")


class MediaOut(Schema):
    name: str
    fandom_count: int
    top_fandoms: list[FandomCountOut]
    url: str | None = Field(..., description="Its fandom index; null for uncategorized ones.")


class MediaListOut(Schema):
    media: list[MediaOut]


class MediaFandomsOut(Schema):
    media: str
    fandoms: list[FandomCountOut]


class LanguageOut(Schema):
    code: str
    name: str
    works: int
    url: str = Field(..., description="The works index filtered to this language.")


class LanguageListOut(Schema):
    languages: list[LanguageOut]


def _fandom(request: HttpRequest, counted: Counted) -> dict:
    return {
        "name": counted.name,
        "works": counted.count,
        "url": output.absolute(request, counted.url),
    }


@router.get("/media", response={200: MediaListOut, READ_ERRORS: ErrorOut}, **READ)
def media_list(request: HttpRequest) -> dict:
    """Every media with fandoms that have works the caller may see, its biggest five
    fandoms, and then the fandoms under no media (as `/media` shows them)."""
    return {
        "media": [
            {
                "name": entry.name,
                "fandom_count": entry.total,
                "top_fandoms": [_fandom(request, f) for f in entry.top],
                "url": output.absolute(request, entry.url) if entry.url else None,
            }
            for entry in media_index(viewer(request))
        ]
    }


@router.get("/media/{name}/fandoms", response={200: MediaFandomsOut, READ_ERRORS: ErrorOut}, **READ)
def media_fandom_list(request: HttpRequest, name: str) -> dict:
    """The fandoms of one media by name; `name` is escaped as in tag page URLs."""
    media = access_media(viewer(request), name)
    fandoms = media_fandoms(viewer(request), media)
    return {"media": media.name, "fandoms": [_fandom(request, f) for f in fandoms]}


@router.get("/languages", response={200: LanguageListOut, READ_ERRORS: ErrorOut}, **READ)
def language_list(request: HttpRequest) -> dict:
    """Each language with listed works the caller may see, by its name."""
    return {
        "languages": [
            {
                "code": c.code,
                "name": c.name,
                "works": c.count,
                "url": output.absolute(request, c.url),
            }
            for c in language_counts(viewer(request))
        ]
    }
