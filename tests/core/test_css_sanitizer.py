"""The one CSS sanitizer (polis.core.css): AO3's subset, scoped under #workskin, and a corpus
of hostile CSS that must be refused, each with the problem it names."""

import pytest

from polis.core.css import MAX_LENGTH, CssError, sanitize_work_skin


def problems(css: str) -> list[str]:
    with pytest.raises(CssError) as caught:
        sanitize_work_skin(css)
    return caught.value.problems


def test_a_usual_skin_is_scoped_and_rewritten():
    css = """
    /* a text-message skin */
    .phone { border: 1px solid #ccc; border-radius: 8px; padding: .5em !important; }
    #workskin .phone p.sent, .phone > .received:not(.old) { color: rgb(0, 0, 128); }
    #workskin { font-family: "Courier New", monospace; }
    span[lang="fr"]::before { content: "« "; }
    * { box-sizing: border-box }
    p:nth-child(2n+1) { background: linear-gradient(to right, #fff, #eee); }
    p.logo { background-image: url("/static/polis/lock.svg"); }
    @media (max-width: 40em) { .phone { width: 100%; } }
    """

    assert sanitize_work_skin(css) == (
        "#workskin .phone { border: 1px solid #ccc; border-radius: 8px;"
        " padding: .5em !important; }\n"
        "#workskin .phone p.sent, #workskin .phone > .received:not(.old)"
        " { color: rgb(0, 0, 128); }\n"
        '#workskin { font-family: "Courier New", monospace; }\n'
        '#workskin span[lang="fr"]::before { content: "« "; }\n'
        "#workskin * { box-sizing: border-box; }\n"
        "#workskin p:nth-child(2n+1) { background: linear-gradient(to right, #fff, #eee); }\n"
        '#workskin p.logo { background-image: url("/static/polis/lock.svg"); }\n'
        "@media (max-width: 40em) {\n  #workskin .phone { width: 100%; }\n}\n"
    )


def test_the_output_is_a_fixed_point():
    css = '.a { color: red; content: "x"; } @media print { .b { display: none } }'
    once = sanitize_work_skin(css)
    assert sanitize_work_skin(once) == once


HOSTILE = [
    # Script through URLs, in every spelling.
    (
        "a { background: url(javascript:alert(1)) }",
        "Line 1: “url([bad url])” is not allowed in a value.",
    ),
    (
        "a { background: url('javascript:alert(1)') }",
        "Line 1: url(javascript:alert(1)) is not one of the archive's own images.",
    ),
    (
        'a { background: url("data:text/html,<script>") }',
        "Line 1: url(data:text/html,<script>) is not one of the archive's own images.",
    ),
    (
        "a { background: \\75rl(javascript:x) }",
        "Line 1: url(javascript:x) is not one of the archive's own images.",
    ),
    (
        "a { background: u\\rl('javascript:x') }",
        "Line 1: url(javascript:x) is not one of the archive's own images.",
    ),
    (
        "a { background: URL(//evil.example/t.png) }",
        "Line 1: url(//evil.example/t.png) is not one of the archive's own images.",
    ),
    (
        "a { background: url(https://evil.example/t.png) }",
        "Line 1: url(https://evil.example/t.png) is not one of the archive's own images.",
    ),
    (
        "a { background: url(/static/../../etc/passwd) }",
        "Line 1: url(/static/../../etc/passwd) is not one of the archive's own images.",
    ),
    (
        "a { background: url('/static/x\\\\y.png') }",
        "Line 1: url(/static/x\\y.png) is not one of the archive's own images.",
    ),
    ("a { background: image-set('x.png' 1x) }", "Line 1: The function image-set() is not allowed."),
    # Old browsers' script hooks.
    ("a { width: expression(alert(1)) }", "Line 1: The function expression() is not allowed."),
    ("a { width: EXPRESSION(alert(1)) }", "Line 1: The function expression() is not allowed."),
    ("a { width: expr\\65ssion(alert(1)) }", "Line 1: The function expression() is not allowed."),
    ("a { width: ex/**/pression(alert(1)) }", "Line 1: The function pression() is not allowed."),
    ("a { behavior: url(/static/x.htc) }", "Line 1: The property “behavior” is not allowed."),
    (
        "a { -moz-binding: url(/static/x.xml#x) }",
        "Line 1: The property “-moz-binding” is not allowed.",
    ),
    (
        "a { be/**/havior: url(x) }",
        "Line 1: This declaration could not be read"
        " (EOF reached before {} block for a qualified rule.).",
    ),
    (
        "a { -webkit-user-modify: read-write }",
        "Line 1: The property “-webkit-user-modify” is not allowed.",
    ),
    # At-rules that fetch or define things.
    ("@import url(/static/x.css);", "Line 1: @import is not allowed (only @media)."),
    ("@import 'x.css'; a { color: red }", "Line 1: @import is not allowed (only @media)."),
    ("@\\69mport 'x.css';", "Line 1: @import is not allowed (only @media)."),
    (
        "@font-face { font-family: x; src: url(/static/x.woff) }",
        "Line 1: @font-face is not allowed (only @media).",
    ),
    (
        "@namespace svg url(http://www.w3.org/2000/svg);",
        "Line 1: @namespace is not allowed (only @media).",
    ),
    ("@charset 'utf-8';", "Line 1: @charset is not allowed (only @media)."),
    ("@keyframes k { from { color: red } }", "Line 1: @keyframes is not allowed (only @media)."),
    ("@media screen { @import 'x.css'; }", "Line 1: @import is not allowed (only @media)."),
    (
        "@media screen { @media print { a { color: red } } }",
        "Line 1: @media cannot be inside another @media.",
    ),
    ("@media url(x) { a { color: red } }", "Line 1: This media query is not allowed."),
    # Breaking out of the stylesheet or the page's markup.
    (
        "</style><script>alert(1)</script>",
        "Line 1: This could not be read (EOF reached before {} block for a qualified rule.).",
    ),
    (
        "a { color: red } </style><script>alert(1)</script> b { color: blue }",
        "Line 1: “<” is not allowed in a selector.",
    ),
    ("a { font-family: x</style><script> }", "Line 1: “<” is not allowed in a value."),
    # Selectors that mean the page around the work.
    ("html { background: red }", "Line 1: “html” is the page, not the work."),
    ("body { display: none }", "Line 1: “body” is the page, not the work."),
    ("BODY > * { display: none }", "Line 1: “body” is the page, not the work."),
    ("h\\74ml { color: red }", "Line 1: “html” is the page, not the work."),
    (":root { color: red }", "Line 1: “:root” is the page, not the work."),
    (":host { color: red }", "Line 1: “:host” is the page, not the work."),
    (".x:not(body) { color: red }", "Line 1: “body” is the page, not the work."),
    ("+ #footer { display: none }", "Line 1: “+” here would reach outside #workskin."),
    ("~ * { display: none }", "Line 1: “~” here would reach outside #workskin."),
    ("#workskin ~ #footer { display: none }", "Line 1: “~” here would reach outside #workskin."),
    ("#workskin.x { color: red }", "Line 1: Write #workskin alone or followed by a space."),
    ("a:has(b) { color: red }", "Line 1: “has(b)” is not allowed in a selector."),
    # Covering the page from inside the work.
    ("#workskin { position: fixed; top: 0; z-index: 99 }", None),
    ("p { position: fixed }", "Line 1: position may be static, relative or absolute."),
    ("p { position: sticky }", "Line 1: position may be static, relative or absolute."),
    # Reaching the page's own variables or defining new ones.
    ("p { color: var(--ink) }", "Line 1: The function var() is not allowed."),
    ("p { --x: red }", "Line 1: Custom properties (--name) are not allowed."),
    ("p { color: attr(title) }", "Line 1: The function attr() is not allowed."),
    ("p { color: env(safe-area-inset-top) }", "Line 1: The function env() is not allowed."),
    # Nesting and junk.
    ("p { a { color: red } }", "Line 1: Rules cannot be nested inside a rule."),
    ("p { color: }", "Line 1: “color” has no value."),
]


@pytest.mark.parametrize(("css", "problem"), HOSTILE, ids=[c for c, _ in HOSTILE])
def test_hostile_css_is_refused_naming_the_problem(css, problem):
    found = problems(css)
    if problem is None:  # several problems: the test that follows checks them
        assert len(found) > 1
    else:
        assert found[0] == problem


def test_the_container_itself_cannot_be_moved_over_the_page():
    assert problems("#workskin { position: fixed; top: 0; z-index: 99; margin: -9em }") == [
        "Line 1: “position” cannot be set on #workskin itself, only inside it.",
        "Line 1: “top” cannot be set on #workskin itself, only inside it.",
        "Line 1: “z-index” cannot be set on #workskin itself, only inside it.",
        "Line 1: “margin” cannot be set on #workskin itself, only inside it.",
    ]


def test_every_problem_is_reported_with_its_line():
    css = "p { color: red }\nhtml { color: red }\n\na { behavior: x; color: blue }\n@import 'x';"
    assert problems(css) == [
        "Line 2: “html” is the page, not the work.",
        "Line 4: The property “behavior” is not allowed.",
        "Line 5: @import is not allowed (only @media).",
    ]


def test_strings_cannot_close_a_style_element_or_a_quote():
    out = sanitize_work_skin('p::after { content: "</style><b>\\"&" }')
    assert out == '#workskin p::after { content: "\\3c /style\\3e \\3c b\\3e \\22 \\26 "; }\n'
    assert "<" not in out and ">" not in out.replace("> ", "")


@pytest.mark.parametrize(
    "css",
    [
        "a { width: " + "(" * 5000 + " }",
        "a { width: " + "calc(" * 5000 + "1px }",
        ":not(" * 5000 + "a" + ")" * 5000 + " { color: red }",
        "@media " + "(" * 5000 + "print" + ")" * 5000 + " { a { color: red } }",
    ],
    ids=["parentheses", "functions", "selector", "media"],
)
def test_deep_nesting_is_refused_not_a_crash(css):
    assert problems(css) == ["Line 1: Brackets are nested more than 12 deep."]


def test_size_and_nul_limits():
    assert problems("p{}" + " " * MAX_LENGTH) == ["A skin can be at most 100,000 characters long."]
    assert problems("p { color: red\x00 }") == ["A skin cannot contain NUL characters."]
