"""axe-core in Chromium on every page type, logged out and logged in, with comments present:
no serious or critical violations. Light mode now; a dark scheme is one more entry in
COLOR_SCHEMES (Playwright's `color_scheme` emulates `prefers-color-scheme`)."""

import pytest

from tests.a11y.axe import violations
from tests.a11y.conftest import log_in
from tests.a11y.pages import build_archive

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COLOR_SCHEMES = ["light", "dark"]


@pytest.mark.parametrize("color_scheme", COLOR_SCHEMES)
@pytest.mark.parametrize("logged_in", [False, True], ids=["logged out", "logged in"])
def test_no_serious_or_critical_axe_violations_on_any_page_type(
    browser_for, live_server, axe, color_scheme, logged_in
):
    writer, pages = build_archive()
    page = browser_for(color_scheme)
    if logged_in:
        log_in(page, live_server, writer)
    found = {}
    for page_type in pages:
        if not page_type.shown_to(logged_in=logged_in):
            continue
        response = page.goto(live_server.url + page_type.path)
        assert response.status == 200, page_type
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {color_scheme})').matches")
        found[page_type.name] = violations(page, axe)
    assert found == {name: {} for name in found}


def _luminance(rgb: str) -> float:
    """Relative luminance (WCAG 2) of a computed `rgb(r, g, b)` colour."""
    channels = [int(part) / 255 for part in rgb.strip("rgba() ").split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, two: str) -> float:
    light, dark = sorted([_luminance(one), _luminance(two)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The header's red, darker in dark mode (polis/static/polis/reading.css), and dark's page.
HEADER = {"light": "rgb(153, 0, 0)", "dark": "rgb(109, 16, 16)"}
DARK_PAGE = "rgb(22, 22, 22)"

FOCUS_RING = """() => {
  const focused = document.activeElement, style = getComputedStyle(focused);
  let behind = focused.parentElement;
  const clear = (element) => getComputedStyle(element).backgroundColor === 'rgba(0, 0, 0, 0)';
  while (clear(behind)) behind = behind.parentElement;
  return {id: focused.id, text: focused.textContent.trim(), outline: style.outlineStyle,
          width: style.outlineWidth, color: style.outlineColor, shadow: style.boxShadow,
          background: getComputedStyle(behind).backgroundColor};
}"""


@pytest.mark.parametrize("color_scheme", COLOR_SCHEMES)
def test_the_focus_ring_stands_out_on_the_red_header_and_on_the_page(
    browser_for, live_server, color_scheme
):
    build_archive()
    page = browser_for(color_scheme)
    page.goto(live_server.url + "/works")
    rings = []
    for _ in range(12):  # the skip link, the header's links, then the page's own
        page.keyboard.press("Tab")
        rings.append(page.evaluate(FOCUS_RING))
    header = page.evaluate("getComputedStyle(document.getElementById('header')).backgroundColor")
    assert header == HEADER[color_scheme]
    by_text = {ring["text"]: ring for ring in rings}
    assert {"Skip to content", "Polis", "Works", "Log In"} <= set(by_text)
    for ring in rings:
        assert (ring["outline"], ring["width"], ring["color"]) == ("solid", "3px", "rgb(0, 0, 0)")
        assert ring["shadow"] == "rgb(255, 255, 255) 0px 0px 0px 6px"
        # One of the two rings contrasts 3:1 or more with what is behind the element.
        best = max(
            _contrast(ring["color"], ring["background"]),
            _contrast("rgb(255, 255, 255)", ring["background"]),
        )
        assert best >= 3, ring
    assert _contrast("rgb(255, 255, 255)", by_text["Works"]["background"]) > 8.9
    page_background = {"light": "rgb(255, 255, 255)", "dark": DARK_PAGE}[color_scheme]
    assert any(ring["background"] == page_background for ring in rings)  # in the page
