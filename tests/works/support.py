"""Helpers for page tests: a tiny HTML tree with CSS-like selection, and posting-form data."""

import re
from html.parser import HTMLParser
from itertools import count

from django.http import HttpResponse

from polis.accounts.models import User

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Elements that do not break a line: their text joins the text around them without a space.
INLINE_ELEMENTS = frozenset(
    {"a", "abbr", "acronym", "b", "big", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd",
     "label", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt",
     "u", "var"}
)  # fmt: skip
_COMPOUND = re.compile(r"^(?P<tag>[a-z0-9*]+)?(?P<rest>(?:[.#][\w-]+|\[[^\]]+\])*)$", re.I)
_PART = re.compile(r"[.#][\w-]+|\[[^\]]+\]")


class Node:
    """An element: its tag, attributes, children (nodes and strings) and document order."""

    def __init__(self, tag: str, attrs: dict[str, str | None], order: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.order = order
        self.children: list[Node | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    @property
    def text(self) -> str:
        """The text inside, whitespace collapsed as a browser shows it."""
        return " ".join(self._raw_text().split())

    def _raw_text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in INLINE_ELEMENTS:
                parts.append(child._raw_text())
            else:
                parts.append(f" {child._raw_text()} ")
        return "".join(parts)

    def descendants(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.descendants()

    def select(self, selector: str) -> list["Node"]:
        """Descendant selectors of compounds: `dl.work.meta dd.rating a.tag`, `img[alt=x]`."""
        found = [self]
        for compound in selector.split():
            matcher = _compile(compound)
            seen: dict[int, Node] = {}
            for root in found:
                for node in root.descendants():
                    if matcher(node):
                        seen.setdefault(node.order, node)
            found = [seen[key] for key in sorted(seen)]
        return found

    def select_one(self, selector: str) -> "Node":
        nodes = self.select(selector)
        assert len(nodes) == 1, f"{selector!r} matched {len(nodes)} elements"
        return nodes[0]

    def texts(self, selector: str) -> list[str]:
        return [node.text for node in self.select(selector)]


def _compile(compound: str):
    match = _COMPOUND.match(compound)
    assert match, f"unsupported selector {compound!r}"
    tag = match["tag"]
    checks = []
    for part in _PART.findall(match["rest"]):
        if part.startswith("."):
            checks.append(lambda n, c=part[1:]: c in n.classes)
        elif part.startswith("#"):
            checks.append(lambda n, i=part[1:]: n.get("id") == i)
        else:
            name, _, value = part[1:-1].partition("=")
            if value:
                value = value.strip("\"'")
                checks.append(lambda n, a=name, v=value: n.get(a) == v)
            else:
                checks.append(lambda n, a=name: a in n.attrs)

    def matcher(node: Node) -> bool:
        if tag and tag != "*" and node.tag != tag.lower():
            return False
        return all(check(node) for check in checks)

    return matcher


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._order = count()
        self.root = Node("#document", {}, next(self._order))
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), next(self._order))
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs), next(self._order)))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str | bytes | HttpResponse) -> Node:
    if isinstance(html, HttpResponse):
        html = html.content
    if isinstance(html, bytes):
        html = html.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def listed_work_ids(response: HttpResponse) -> list[int]:
    """The works shown as blurbs (`li.work.blurb`) on a listing page, in page order."""
    return [
        int(node.get("id").removeprefix("work_"))
        for node in parse(response).select("li.work.blurb")
    ]


def main_heading(response: HttpResponse) -> str:
    return parse(response).select("main h1.heading")[0].text


def work_form_data(user: User, **overrides) -> dict:
    """What a writer types into Post New Work, as the browser sends it."""
    data = {
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Original Work",
        "categories": [],
        "relationships": "",
        "characters": "",
        "freeforms": "",
        "title": "The Lighthouse",
        "pseuds": [user.pseuds.get(is_default=True).pk],
        "co_creators": "",
        "summary": "",
        "notes": "",
        "end_notes": "",
        "language": "en",
        "expected_chapters": "",
        "published_at": "",
        "text_format": "html",
        "text": "<p>The lamp turned all night.</p>",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def chapter_form_data(**overrides) -> dict:
    data = {
        "chapter_title": "",
        "chapter_summary": "",
        "chapter_notes": "",
        "text_format": "html",
        "text": "<p>Another chapter.</p>",
        "chapter_end_notes": "",
    }
    data.update(overrides)
    return data


def admin_change_form(client, url: str, selector: str) -> dict:
    """An admin change form (at `url`, the form `selector`) as a browser would send it back
    unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    (form,) = parse(response).select(selector)
    data: dict[str, object] = {}
    for node in form.select("input"):
        name, kind = node.get("name"), node.get("type")
        if not name or kind in {"submit", "button", "file"}:
            continue
        if kind == "checkbox":
            if "checked" in node.attrs:
                data[name] = node.get("value") or "on"
            continue
        data[name] = node.get("value") or ""
    for node in form.select("textarea"):
        data[node.get("name")] = "".join(c for c in node.children if isinstance(c, str))
    for node in form.select("select"):
        chosen = [o.get("value") for o in node.select("option") if "selected" in o.attrs]
        if "multiple" in node.attrs:
            data[node.get("name")] = chosen
        elif chosen:
            data[node.get("name")] = chosen[0]
    return data
