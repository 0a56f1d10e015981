"""Reading comfort in a real Chromium: phones (360 x 800), dark mode, the text's measure and
the reading preferences, measured from the laid-out page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 800}
LONG_TEXT = "".join(
    f"<p>Paragraph {n}: the rain had not stopped for three days, and Clarke counted the drops "
    "on the window until she lost count somewhere past forty and started again.</p>"
    for n in range(1, 30)
)
TAGS = {
    "relationships": ["Clarke Griffin/Lexa", "Octavia Blake & Raven Reyes"],
    "characters": ["Clarke Griffin", "Lexa", "Octavia Blake", "Raven Reyes", "Bellamy Blake"],
    "freeforms": ["Rain", "Slow Burn", "Hurt/Comfort", "Found Family", "Post-Canon"],
    "summary": "Three days of rain, and what Clarke counts while it falls.",
    "notes": "Thanks to my beta.",
}

# Controls a finger taps; links inside running text are exempt (WCAG 2.5.8).
TAP_TARGETS = "button, summary, select, input:not([type=hidden]), .actions a, nav a, .pagination a"


def small_targets(page) -> list[str]:
    return page.eval_on_selector_all(
        TAP_TARGETS,
        """els => els.filter(e => e.getClientRects().length)
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.width < 24 || r.height < 24)
            .map(([e, r]) => `${e.outerHTML.slice(0, 80)} ${r.width}x${r.height}`)""",
    )


def phone(browser_page):
    browser_page.set_viewport_size(PHONE)
    return browser_page


def test_a_tag_listing_on_a_phone_shows_the_first_work_on_the_first_screen(
    page, live_server, make_user, make_work
):
    writer = make_user("quill")
    for n in range(3):
        make_work(writer, title=f"Forty Drops {n}", fandoms=["The 100 (TV)"], **TAGS)
    phone(page).goto(f"{live_server.url}/tags/The 100 (TV)/works")

    disclosure = page.locator("details.filters-disclosure")
    expect(disclosure).not_to_have_attribute("open", "")
    expect(page.get_by_label("Sort by")).to_be_hidden()
    first = page.locator("li.blurb").first.bounding_box()
    assert first["y"] + 60 < PHONE["height"], first
    assert small_targets(page) == []

    page.get_by_text("Filter works", exact=True).click()  # a plain <details>: no script
    expect(page.get_by_label("Sort by")).to_be_visible()
    assert small_targets(page) == []


def test_a_work_on_a_phone_starts_its_text_on_the_first_screen(
    page, live_server, make_user, make_work
):
    work = make_work(make_user("quill"), title="Forty Drops", text=LONG_TEXT, **TAGS)
    phone(page).goto(f"{live_server.url}/works/{work.pk}")

    first_paragraph = page.locator("#chapters .userstuff p").first
    box = first_paragraph.bounding_box()
    assert box["y"] + 24 < PHONE["height"], box
    expect(page.locator("dl.work.meta")).to_be_hidden()
    expect(page.locator("ul.work.navigation.actions")).to_be_hidden()
    assert small_targets(page) == []

    page.get_by_text("Tags and stats", exact=True).click()
    expect(page.locator("dd.freeform.tags")).to_contain_text("Found Family")
    page.get_by_text("Work actions", exact=True).click()
    expect(page.get_by_text("Download", exact=True)).to_be_visible()


def test_a_logged_in_reader_on_a_phone_has_large_enough_controls_everywhere(
    page, live_server, make_user, make_work
):
    from polis.engagement.comments import comment_create

    writer = make_user("quill")
    work = make_work(writer, title="Forty Drops", text=LONG_TEXT, chapters=2, **TAGS)
    comment_create(actor=make_user("fan"), work=work, text="Lovely.")
    make_user("reader")
    phone(page).goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill("reader")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log In").click()
    expect(page.get_by_role("link", name="Hi, reader!")).to_be_visible()

    for path in (f"/works/{work.pk}", "/works", "/preferences", "/settings"):
        page.goto(f"{live_server.url}{path}")
        for summary in page.locator("details.work-header > summary").all():
            summary.click()
        assert small_targets(page) == [], path
    page.goto(f"{live_server.url}/works/{work.pk}")
    assert page.locator("#chapters .userstuff p").first.bounding_box()["y"] + 24 < 800


def test_on_a_wide_screen_filters_and_work_header_are_shown_without_opening(
    page, live_server, make_user, make_work
):
    work = make_work(make_user("quill"), title="Forty Drops", text=LONG_TEXT, **TAGS)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(f"{live_server.url}/works")
    expect(page.get_by_label("Sort by")).to_be_visible()
    expect(page.get_by_text("Filter works", exact=True)).to_be_hidden()
    page.goto(f"{live_server.url}/works/{work.pk}")
    expect(page.locator("dd.freeform.tags")).to_be_visible()
    expect(page.get_by_text("Tags and stats", exact=True)).to_be_hidden()

    # The chapter text stops at a comfortable measure: at most 70 of the font's "0" a line.
    measure = page.eval_on_selector(
        "#chapters .userstuff",
        """el => {
            const zero = document.createElement("span");
            zero.textContent = "0".repeat(100);
            zero.style.whiteSpace = "nowrap";
            zero.style.position = "absolute";
            el.appendChild(zero);
            const ch = zero.getBoundingClientRect().width / 100;
            zero.remove();
            return el.getBoundingClientRect().width / ch;
        }""",
    )
    assert 69 <= measure <= 70.5, measure


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_follows_the_system_unless_the_reader_chose(page, live_server):
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server.url}/preferences")
    assert background(page) == "rgb(22, 22, 22)"
    page.emulate_media(color_scheme="light")
    assert background(page) == "rgb(255, 255, 255)"

    page.get_by_label("Dark", exact=True).check()
    page.get_by_label("Text size").select_option("130")
    page.get_by_label("Text width").select_option("narrow")
    page.get_by_role("button", name="Save Reading Preferences").click()

    expect(page.get_by_text("Your reading preferences were saved.")).to_be_visible()
    page.wait_for_load_state("load")
    assert background(page) == "rgb(22, 22, 22)"  # the system still says light
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20.8px"

    page.emulate_media(color_scheme="dark")
    page.get_by_label("Light", exact=True).check()
    page.get_by_label("Site skin").select_option("high-contrast")
    page.get_by_role("button", name="Save Reading Preferences").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\btheme-light skin-high-contrast\b"))
    page.wait_for_load_state("load")
    assert background(page) == "rgb(255, 255, 255)"  # high contrast: black on white
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"


def color_of(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).color")


def test_a_work_skin_styles_only_the_work_and_readers_can_turn_it_off(
    page, live_server, make_user, make_work
):
    from polis.works.skins import skin_create, work_choose_skin

    writer = make_user("quill")
    work = make_work(writer, text='<p class="sms">Where are you?</p><p>Rain.</p>')
    css = (
        "p.sms { color: rgb(0, 128, 0); }\n"
        "a { color: rgb(255, 0, 255) !important; }\n"
        ".sms::after { content: 'x'; position: absolute; top: -2000px; left: 0; }"
    )
    work_choose_skin(actor=writer, work=work, skin=skin_create(actor=writer, title="S", css=css))

    page.goto(f"{live_server.url}/works/{work.pk}")
    assert color_of(page, "#chapters p.sms") == "rgb(0, 128, 0)"
    assert color_of(page, "#header .logo a") != "rgb(255, 0, 255)"
    assert color_of(page, "#footer a") != "rgb(255, 0, 255)"
    assert color_of(page, "#workskin h3.byline a") == "rgb(255, 0, 255)"
    # contain: paint: what the skin moves out of the work is not painted over the page.
    assert page.eval_on_selector("#workskin", "el => getComputedStyle(el).contain") == "paint"

    page.goto(f"{live_server.url}/preferences")
    page.get_by_label("Hide creators' styles (work skins)").check()
    page.get_by_role("button", name="Save Reading Preferences").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bno-work-skins\b"))
    page.goto(f"{live_server.url}/works/{work.pk}")
    assert color_of(page, "#chapters p.sms") == "rgb(42, 42, 42)"


@pytest.mark.parametrize(
    ("skin", "bg"),
    [
        ("default", "rgb(255, 255, 255)"),
        ("dark", "rgb(22, 22, 22)"),
        ("high-contrast", "rgb(255, 255, 255)"),
        ("low-vision", "rgb(255, 255, 255)"),
        ("parchment", "rgb(244, 236, 216)"),
    ],
)
def test_each_site_skin_loads(page, live_server, skin, bg):
    page.emulate_media(color_scheme="light")
    page.goto(f"{live_server.url}/preferences")
    page.get_by_label("Site skin").select_option(skin)
    page.get_by_role("button", name="Save Reading Preferences").click()
    expect(page.locator("html")).to_have_class(re.compile(rf"\bskin-{skin}\b"))
    page.wait_for_load_state("load")

    assert background(page) == bg
    size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert size == ("22px" if skin == "low-vision" else "16px")
