"""The works search's query parameters, each named and documented in the OpenAPI schema.

They are the web search's own (`work_search[query]`, `include_work_search[fandom_ids][]`…),
so a URL copied from `/works/search` works with `/api/v1` in front. The values are read by
the same `polis.search.params.parse_search` as the page's; the schema says what each one
takes. A parameter the schema does not name is refused (400 naming it), never ignored.
"""

from django.http import HttpRequest
from ninja import Field
from pydantic import create_model

from polis.api.errors import ApiValidationError
from polis.api.schemas import PageParams
from polis.search.params import ID_FIELDS
from polis.search.query import Sort
from polis.search.querylang import FIELD_NAMES

QUERY_HELP = (
    'AO3\'s search language over every field: words (all must match), `"a phrase"`, '
    "`sing*` (a trailing wildcard), `a OR b`, `NOT a` or `-a`, parentheses (at most 5 deep), "
    "and fields: "
    + ", ".join(f"`{name}:`" for name in FIELD_NAMES)
    + ". Counts take `>N`, `<N`, `A-B` or `N` (`kudos_count:>100`); `revised_at:` and "
    "`created_at:` take ages (`<2 weeks`, `>1 year`, `1-2 months`) or dates (`>2024-01-31`, "
    "`2024-01-01-2024-06-30`). `restricted:` is for authenticated callers. A query that "
    "cannot be read is a 400 naming `work_search[query]`."
)
_COUNT = "`N`, `>N`, `<N` or `A-B` (commas allowed): e.g. `>5000`."
_TRI = {"enum": ["T", "F", ""]}
_NAMES = "Tag names, comma-separated; a tag not wrangled yet filters by the works carrying it."

# (name inside work_search[...], description, extra JSON schema)
TEXT_PARAMS: list[tuple[str, str, dict | None]] = [
    ("query", QUERY_HELP, None),
    ("title", "Words of the title, in the same language as `query`.", None),
    ("creators", "Creator names (pseuds or usernames), comma-separated; exact names.", None),
    ("fandom_names", _NAMES + " Fandoms only.", None),
    ("character_names", _NAMES + " Characters only.", None),
    ("relationship_names", _NAMES + " Relationships only.", None),
    ("freeform_names", _NAMES + " Additional tags only.", None),
    ("other_tag_names", _NAMES + " Any type.", None),
    ("excluded_tag_names", "Tag names to leave out, comma-separated.", None),
    ("crossover", "`T`: crossovers only; `F`: no crossovers.", _TRI),
    ("complete", "`T`: complete works only; `F`: works in progress only.", _TRI),
    ("single_chapter", "`1`: single-chapter works only.", {"enum": ["1", "0", ""]}),
    ("language_id", "A language code, e.g. `en`.", None),
    ("word_count", "Word count: " + _COUNT, None),
    ("hits", "Hits: " + _COUNT, None),
    ("kudos_count", "Kudos: " + _COUNT, None),
    ("comments_count", "Comments: " + _COUNT, None),
    ("bookmarks_count", "Bookmarks: " + _COUNT, None),
    ("words_from", "At least this many words.", None),
    ("words_to", "At most this many words.", None),
    ("revised_at", "Date updated as an age: `< 2 weeks`, `> 1 year`, `1-2 months`.", None),
    ("date_from", "Updated on or after this date (`2024-12-31`).", None),
    ("date_to", "Updated on or before this date (`2024-12-31`).", None),
    (
        "sort_column",
        "The order; best match (`_score`) by default when there is a query.",
        {"enum": [sort.value for sort in Sort]},
    ),
    ("sort_direction", "`asc` or `desc`.", {"enum": ["asc", "desc"]}),
]
LIST_PREFIXES = {
    "include_work_search": "Works carrying every one of these tags (ids), as the sidebar's "
    "include boxes.",
    "exclude_work_search": "Works carrying none of these tags (ids), as the sidebar's "
    "exclude boxes.",
    "work_search": "Works carrying every one of these tags (ids).",
}


def _fields() -> dict:
    fields: dict = {}
    for name, description, extra in TEXT_PARAMS:
        alias = f"work_search[{name}]"
        fields[f"ws_{name}"] = (
            str | None,
            Field(None, alias=alias, description=description, json_schema_extra=extra),
        )
    for prefix, description in LIST_PREFIXES.items():
        for name, tag_type in ID_FIELDS.items():
            alias = f"{prefix}[{name}][]"
            fields[f"{prefix}_{name}"] = (
                list[int] | None,
                Field(None, alias=alias, description=f"{description} Type: {tag_type}."),
            )
    return fields


WorkSearchParams = create_model("WorkSearchParams", __base__=PageParams, **_fields())

KNOWN = frozenset(
    {"page", "per_page"}
    | {field.alias for field in WorkSearchParams.model_fields.values() if field.alias}
)


def refuse_unknown(request: HttpRequest, known: frozenset[str] = KNOWN) -> None:
    """A parameter the schema does not name is a 400 naming it (a typo must not be ignored)."""
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise ApiValidationError(
            [(name, "Unknown parameter.") for name in unknown],
            detail="Unknown parameters: " + ", ".join(unknown[:10]) + ".",
        )
