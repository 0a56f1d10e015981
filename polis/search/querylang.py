"""AO3's search language for the free-text box and `work_search[query]`: text into a tree.

    sing* "slow burn" title:Song creators:alice -angst (fluff OR crack)
    kudos_count:>100 word_count:1000-5000 revised_at:<2 weeks created_at:>2024-01-01
    complete:true language:en fandoms:"The 100 (TV)" tag:Fluff NOT summary:war

One parser for every engine: the SQL backends (polis.search.backends.sql) compile the tree to
SQL, the accelerator (polis.search.accel) answers its counted, dated and flag leaves from its
arrays and asks SQL for the ids of the others. A query that cannot be understood raises
QueryError with a message for the reader, never an empty result.

Precedence, loosest first: juxtaposition or `AND`; `OR`; `NOT` / `-`. So `a b OR c` is
`a AND (b OR c)` (as the box always read it). Parentheses nest at most MAX_DEPTH deep: the
recursive descent recurses once per level, so its depth is capped by that constant, never by
the reader's input; chains of `NOT`/`-` are counted in a loop.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

MAX_LENGTH = 1000
MAX_DEPTH = 5
MAX_TERMS = 50
# Text fields → where they are matched (columns of the full-text index).
TEXT_FIELDS = {
    "title": "title",
    "summary": "summary",
    "notes": "notes",
    "creators": "creators",
    "creator": "creators",
    "author": "creators",
}
TAG_FIELDS = {"tag": None, "tags": None, "fandoms": "fandom", "fandom": "fandom"}
COUNT_FIELDS = ("word_count", "hits", "kudos_count", "comments_count", "bookmarks_count")
DATE_FIELDS = ("revised_at", "created_at")
FLAG_FIELDS = ("complete", "restricted")
FIELD_NAMES = sorted(
    {*TEXT_FIELDS, *TAG_FIELDS, *COUNT_FIELDS, *DATE_FIELDS, *FLAG_FIELDS, "language"}
)
_UNITS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
_EPOCH = datetime.date(1970, 1, 1)
_OLDEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
_TRUE = {"true": True, "t": True, "yes": True, "y": True, "1": True}
_FALSE = {"false": False, "f": False, "no": False, "n": False, "0": False}


class QueryError(ValueError):
    """The reader's query cannot be understood; the message says why."""


# --- the tree --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """Words in order (a phrase when more than one); `prefix`: the last one is a stem (`sing*`).
    `field` "" is any text (title, summary, notes, tags, creators, chapters)."""

    field: str
    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class TagName:
    """Works carrying a tag of this name, as written or through their filter set (its
    synonyms and sub tags); `tag_type` None is any type. `prefix`: names starting so."""

    tag_type: str | None
    key: str
    prefix: bool = False


@dataclass(frozen=True)
class Between:
    """`field` within [low, high]: counts as numbers; `revised_at` in epoch seconds with the
    high end excluded; `created_at` (the posting date) in days since 1970, both ends in."""

    field: str
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Flag:
    field: str  # "complete" or "restricted"
    value: bool


@dataclass(frozen=True)
class Language:
    code: str


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


Node = Text | TagName | Between | Flag | Language | And | Or | Not


def walk(node: Node, negated: bool = False):
    """Every leaf with whether it sits under an odd number of NOTs."""
    if isinstance(node, And | Or):
        for child in node.children:
            yield from walk(child, negated)
    elif isinstance(node, Not):
        yield from walk(node.child, not negated)
    else:
        yield node, negated


# --- reading ---------------------------------------------------------------------------------
_SPACE = re.compile(r"\s+")
_FIELD = re.compile(r"([A-Za-z_]+):")
_WORD = re.compile(r"[^\W_]+")
_COUNT_VALUE = re.compile(r"\s*([<>]\s*[\d,]+|[\d,]+\s*-\s*[\d,]+|[\d,]+)(?=[\s()]|$)")
_DATE = r"\d{4}-\d{2}-\d{2}"
_AGE = r"\d{1,5}(?:\s*-\s*\d{1,5})?\s*(?:hour|day|week|month|year)s?(?:\s+ago)?"
_DATE_VALUE = re.compile(
    rf"\s*([<>]?\s*(?:{_DATE}(?:\s*-\s*{_DATE})?|{_AGE}))(?=[\s()]|$)", re.IGNORECASE
)
_BARE = re.compile(r'[^\s()"]+')


def _words(text: str) -> tuple[str, ...]:
    """Letters and digits, lower case: both engines tokenise text the same way."""
    return tuple(word.casefold() for word in _WORD.findall(text))


class _Reader:
    def __init__(self, text: str, *, allow_restricted: bool, now: datetime.datetime):
        self.text = text
        self.pos = 0
        self.terms = 0
        self.allow_restricted = allow_restricted
        self.now = now

    # tokens -----------------------------------------------------------------------------
    def skip(self) -> None:
        match = _SPACE.match(self.text, self.pos)
        if match:
            self.pos = match.end()

    def peek_keyword(self) -> str | None:
        self.skip()
        for keyword in ("AND", "OR", "NOT", "&&", "||"):
            end = self.pos + len(keyword)
            if self.text.startswith(keyword, self.pos) and (
                end == len(self.text) or self.text[end].isspace() or self.text[end] in "()"
            ):
                return {"&&": "AND", "||": "OR"}.get(keyword, keyword)
        return None

    def take_keyword(self, keyword: str) -> None:
        self.skip()
        self.pos += len(keyword) if self.text.startswith(keyword, self.pos) else 2

    def at_end(self) -> bool:
        self.skip()
        return self.pos >= len(self.text)

    # grammar ----------------------------------------------------------------------------
    def query(self, depth: int) -> Node | None:
        """AND of OR-groups, up to a `)` (depth > 0) or the end."""
        parts: list[Node] = []
        while True:
            if self.at_end() or self.text[self.pos] == ")":
                break
            keyword = self.peek_keyword()
            if keyword == "AND":
                if not parts:
                    raise QueryError("“AND” needs something to search for on both sides.")
                self.take_keyword("AND")
                if self.at_end() or self.text[self.pos] == ")":
                    raise QueryError("“AND” needs something to search for on both sides.")
                continue
            if keyword == "OR":
                raise QueryError("“OR” needs something to search for on both sides.")
            node = self.any_of(depth)
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def any_of(self, depth: int) -> Node | None:
        options = [self.unary(depth)]
        while self.peek_keyword() == "OR":
            self.take_keyword("OR")
            if self.at_end() or self.text[self.pos] == ")" or self.peek_keyword() in {"OR", "AND"}:
                raise QueryError("“OR” needs something to search for on both sides.")
            options.append(self.unary(depth))
        kept = [option for option in options if option is not None]
        if len(kept) < len(options):
            # `a OR !!!`: an empty side would make the OR match everything.
            raise QueryError("“OR” needs something to search for on both sides.")
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def unary(self, depth: int) -> Node | None:
        negations = 0
        while True:
            if self.peek_keyword() == "NOT":
                self.take_keyword("NOT")
                negations += 1
            elif not self.at_end() and self.text[self.pos] == "-":
                self.pos += 1
                negations += 1
            else:
                break
            if self.at_end() or self.text[self.pos].isspace() or self.text[self.pos] == ")":
                raise QueryError("“NOT” and “-” need something to leave out right after them.")
        node = self.atom(depth)
        if node is None:
            return None
        return Not(node) if negations % 2 else node

    def atom(self, depth: int) -> Node | None:
        self.skip()
        char = self.text[self.pos]
        if char == "(":
            if depth >= MAX_DEPTH:
                raise QueryError(f"Parentheses can nest at most {MAX_DEPTH} deep.")
            self.pos += 1
            inner = self.query(depth + 1)
            self.skip()
            if self.pos >= len(self.text):
                raise QueryError("A “(” has no matching “)”.")
            self.pos += 1
            if inner is None:
                raise QueryError("“()” has nothing inside to search for.")
            return inner
        if char == ")":
            raise QueryError("A “)” has no matching “(”.")
        self.count()
        match = _FIELD.match(self.text, self.pos)
        if match and (match[1].lower() in FIELD_NAMES or self._looks_like_field(match)):
            self.pos = match.end()
            return self.field(match[1].lower())
        value, quoted = self.value()
        return self.text_node("", value, quoted)

    def _looks_like_field(self, match: re.Match) -> bool:
        rest = self.text[match.end() : match.end() + 1]
        if "_" in match[1] or rest in {"<", ">"}:
            fields = ", ".join(f"{name}:" for name in FIELD_NAMES)
            raise QueryError(f"There is no field “{match[1]}:”. Fields are {fields}.")
        return False

    def count(self) -> None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError(f"Search for at most {MAX_TERMS} terms at once.")

    def value(self) -> tuple[str, bool]:
        """A quoted phrase or a bare word (up to a space or parenthesis)."""
        if self.pos < len(self.text) and self.text[self.pos] == '"':
            end = self.text.find('"', self.pos + 1)
            if end < 0:
                raise QueryError('A quotation mark (“"”) is not closed.')
            value = self.text[self.pos + 1 : end]
            self.pos = end + 1
            if self.text.startswith("*", self.pos):
                self.pos += 1
                value += "*"
            return value, True
        match = _BARE.match(self.text, self.pos)
        if not match:
            return "", False
        self.pos = match.end()
        return match[0], False

    def text_node(self, field: str, value: str, quoted: bool) -> Node | None:
        prefix = value.endswith("*")
        core = value.rstrip("*")
        if "*" in core or (prefix and not quoted and not _WORD.search(core[-1:] or " ")):
            raise QueryError(f"“{value}”: a wildcard “*” can only end a word, as in “sing*”.")
        words = _words(core)
        if not words:
            if field:
                raise QueryError(f"“{field}:” needs something to search for after it.")
            return None
        return Text(field=field, words=words, prefix=prefix)

    def field(self, name: str) -> Node:
        label = f"“{name}:”"
        if name in COUNT_FIELDS:
            match = _COUNT_VALUE.match(self.text, self.pos)
            if not match:
                raise QueryError(
                    f"{label} use a number, “<1000”, “>5000” or “1000-5000”, not “{self._rest()}”."
                )
            self.pos = match.end()
            low, high = _count_range(match[1], label)
            return Between(name, low, high)
        if name in DATE_FIELDS:
            match = _DATE_VALUE.match(self.text, self.pos)
            if not match:
                raise QueryError(
                    f"{label} use an age like “<2 weeks” or “>1 year”, a date like "
                    f"“>2024-01-31”, or two dates “2024-01-01-2024-06-30”, not “{self._rest()}”."
                )
            self.pos = match.end()
            return self._date_range(name, match[1], label)
        value, quoted = self.value()
        if name in FLAG_FIELDS:
            if name == "restricted" and not self.allow_restricted:
                raise QueryError("“restricted:” is only for readers who are logged in.")
            flag = {**_TRUE, **_FALSE}.get(value.casefold())
            if flag is None:
                raise QueryError(f"{label} use true or false, not “{value}”.")
            return Flag(name, flag)
        if name == "language":
            code = _language(value)
            if code is None:
                raise QueryError(f"{label} there is no language “{value}”.")
            return Language(code)
        if name in TAG_FIELDS:
            prefix = value.endswith("*")
            from polis.tags.names import tag_key

            key = tag_key(value.rstrip("*")) if value.rstrip("*").strip() else ""
            if not key:
                raise QueryError(f"{label} needs a tag name after it.")
            return TagName(TAG_FIELDS[name], key, prefix)
        return self.text_node(TEXT_FIELDS[name], value, quoted)

    def _rest(self) -> str:
        match = _BARE.match(self.text, self.pos) if self.pos < len(self.text) else None
        return match[0] if match else ""

    # values -----------------------------------------------------------------------------
    def _date_range(self, name: str, value: str, label: str) -> Between:
        try:
            return self._dates(name, value, label)
        except (OverflowError, ValueError) as error:
            if isinstance(error, QueryError):
                raise
            raise QueryError(f"{label} “{value.strip()}” reaches outside the calendar.") from None

    def _dates(self, name: str, value: str, label: str) -> Between:
        value = value.strip().lower()
        sign = value[0] if value[0] in "<>" else ""
        body = value.lstrip("<>").strip()
        dates = re.fullmatch(rf"({_DATE})(?:\s*-\s*({_DATE}))?", body)
        if dates:
            first = _date(dates[1], label)
            last = _date(dates[2], label) if dates[2] else first
            if last < first:
                raise QueryError(f"{label} the range {value} runs backwards.")
            if sign == ">":
                first, last = last + datetime.timedelta(days=1), None
            elif sign == "<":
                first, last = None, first - datetime.timedelta(days=1)
        else:
            first, last = self._age(body, sign)
        if name == "created_at":
            return Between(
                name,
                (first - _EPOCH).days if first else None,
                (last - _EPOCH).days if last else None,
            )
        tz = timezone.get_current_timezone()

        def start(day: datetime.date) -> int:
            return int(datetime.datetime.combine(day, datetime.time.min, tzinfo=tz).timestamp())

        return Between(
            name,
            start(first) if first else None,
            start(last + datetime.timedelta(days=1)) if last else None,
        )

    def _age(self, body: str, sign: str) -> tuple[datetime.date | None, datetime.date | None]:
        """Ages as whole days back from today (the reader's timezone): `<2 weeks` is the last
        14 days and today, `>1 year` before 365 days ago, `1-2 weeks` between."""
        match = re.fullmatch(
            r"(\d+)(?:\s*-\s*(\d+))?\s*(hour|day|week|month|year)s?(?:\s+ago)?", body
        )
        first, second, unit = int(match[1]), match[2], match[3]
        today = timezone.localdate(self.now)

        def ago(n: float) -> datetime.date:
            days = min(int(n * _UNITS[unit]), (today - _OLDEST.date()).days)
            return today - datetime.timedelta(days=days)

        if second is not None:
            low, high = sorted((first, int(second)))
            return ago(high), ago(low)
        if sign == "<":
            return ago(first), None
        if sign == ">":
            return None, ago(first) - datetime.timedelta(days=1)
        return ago(first + 1), ago(first)


def _count_range(value: str, label: str) -> tuple[int | None, int | None]:
    value = value.replace(",", "").replace(" ", "")
    numbers = [int(n) for n in re.findall(r"\d+", value)]
    if any(n >= 10**12 for n in numbers):
        raise QueryError(f"{label} {value} is too large a number.")
    if value.startswith(">"):
        return numbers[0] + 1, None
    if value.startswith("<"):
        return None, max(numbers[0] - 1, 0)
    if len(numbers) == 2:
        if numbers[0] > numbers[1]:
            raise QueryError(f"{label} the range {value} runs backwards.")
        return numbers[0], numbers[1]
    return numbers[0], numbers[0]


def _date(text: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise QueryError(f"{label} “{text}” is not a date.") from None


def _language(value: str) -> str | None:
    from polis.works.languages import LANGUAGES

    wanted = value.casefold()
    for code, name in LANGUAGES:
        if wanted in {code.casefold(), name.casefold()}:
            return code
    return None


def parse_query(
    text: str, *, allow_restricted: bool = True, now: datetime.datetime | None = None
) -> Node | None:
    """The tree of a query, None when it asks for nothing; QueryError when it can't be read."""
    text = text.replace("\x00", "")
    if len(text) > MAX_LENGTH:
        raise QueryError(f"A search can be at most {MAX_LENGTH} characters long.")
    reader = _Reader(text, allow_restricted=allow_restricted, now=now or timezone.now())
    node = reader.query(0)
    if not reader.at_end():
        raise QueryError("A “)” has no matching “(”.")
    return node


def retarget(node: Node | None, field: str) -> Node | None:
    """The same tree with its any-field text matched in `field` only (the form's Title box
    takes the same syntax as the query box)."""
    if node is None:
        return None
    if isinstance(node, Text):
        return Text(field or node.field, node.words, node.prefix) if not node.field else node
    if isinstance(node, And | Or):
        return type(node)(tuple(retarget(child, field) for child in node.children))
    if isinstance(node, Not):
        return Not(retarget(node.child, field))
    return node


def rank_tree(node: Node | None) -> Node | None:
    """What best-match ranks by: the query's text conjuncts (every match carries them), or
    else any of its positive text leaves. None when there is no text to rank by."""
    if node is None:
        return None

    def pure(item: Node) -> bool:
        return all(isinstance(leaf, Text) and not neg for leaf, neg in walk(item))

    if pure(node):
        return node
    if isinstance(node, And):
        conjuncts = [child for child in node.children if pure(child)]
        if conjuncts:
            return conjuncts[0] if len(conjuncts) == 1 else And(tuple(conjuncts))
    leaves = [leaf for leaf, neg in walk(node) if isinstance(leaf, Text) and not neg]
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else Or(tuple(leaves))


def is_conjunct(part: Node, node: Node) -> bool:
    """Whether every work matching `node` matches `part` (its rank tree)."""
    if part == node:
        return True
    if isinstance(node, And):
        parts = part.children if isinstance(part, And) else (part,)
        return all(item in node.children for item in parts)
    return False
