"""The package's admin screens in a browser: the inbox as a list and as a board, an idea's
workspace and an action's form.

- axe-core finds no WCAG 2.1 A or AA violation in what the package renders. Wagtail's own
  chrome around it (the sidebar, the slim header's breadcrumbs and buttons, the filter
  drilldown's dropdown) is Wagtail's: the checks run on the package's regions only.
- Nothing scrolls sideways at 1024, 1280 and 1600 px, nor with 200 % text at 1280 px.
- A coordinator moves an idea from the board with the keyboard alone.
- Screenshots for the docs: ``docs/admin-inbox.png``, ``docs/admin-board.png``,
  ``docs/admin-idea.png``.
"""

from pathlib import Path

import pytest

from sluss_wagtail import process
from sluss_wagtail.links import idea_admin_path, inbox_path
from tests.browser.helpers import (
    describe_violations,
    logged_in,
    problems_at_widths,
    problems_with_200_percent_text,
    tab_to,
    violations_in,
)
from tests.factories import IdeaFactory, create_coordinator, create_reviewed_unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOCS = Path(__file__).resolve().parents[2] / "docs"
WIDTHS = (1024, 1280, 1600)
WINDOW = {"width": 1280, "height": 900}
INBOX_URL = inbox_path()
BOARD_URL = inbox_path("board")

#: Long words and long titles, as the public sends them: the columns wrap between words.
TITLES = (
    "Cykelpool för hemtjänstens personal i centrala Lerum",
    "Solceller på förskolornas tak och en tävling om energin",
    "Digitala nyckelskåp till gruppbostäderna",
    "Läxhjälp på biblioteket med pensionärer som volontärer",
    "Återbruksrum för möbler i kommunhuset",
    "Ny belysning längs promenadstråket vid Aspen",
)


@pytest.fixture
def workday(transactional_db):
    """A coordinator's inbox: ideas in several stages and units, one with a long history."""
    coordinator = create_coordinator()
    park = create_reviewed_unit("Park- och naturförvaltningen")
    school = create_reviewed_unit("Förskole- och grundskoleförvaltningen")
    ideas = []
    for number, title in enumerate(TITLES):
        idea = IdeaFactory(title=title, unit=park if number % 2 else school)
        idea.tags.add("hållbarhet", "energi" if number % 2 else "trygghet")
        ideas.append(idea)
    process.move_idea(ideas[1], process.SCREENING, user=coordinator, public_note="Vi bedömer.")
    process.move_idea(ideas[2], process.SCREENING, user=coordinator, public_note="Tack!")
    process.move_idea(ideas[2], process.DEVELOPMENT, user=coordinator, public_note="Vi utvecklar.")
    process.move_idea(ideas[3], process.PILOT, user=coordinator, public_note="Vi testar.")
    return coordinator, ideas


def action_url(action, idea):
    return idea_admin_path(idea, action)


def screens(ideas):
    """Each screen with the part of it that is the package's own."""
    return {
        "inbox": (INBOX_URL, ".sluss-admin-listing"),
        "board": (BOARD_URL, ".sluss-admin-listing"),
        "idea": (idea_admin_path(ideas[2]), ".sluss-admin-workspace"),
        "move form": (action_url("move", ideas[2]), ".sluss-admin-action-page"),
    }


def results_cut_off(page):
    """The inbox's table does not fit its region: a title clipped behind a scroll bar, or
    its last row cut off at the bottom (issue 19: "its scroll wrapper is shorter than the
    table")."""
    return page.evaluate(
        """() => {
            const r = document.querySelector('.sluss-admin-results');
            const cut = [];
            if (r.scrollWidth > r.clientWidth) cut.push('sideways: ' + r.scrollWidth
                + ' > ' + r.clientWidth);
            if (r.scrollHeight > r.clientHeight + 1) cut.push('at the bottom: '
                + r.scrollHeight + ' > ' + r.clientHeight);
            return cut;
        }"""
    )


def test_no_violation_the_package_causes_and_nothing_scrolls_sideways(new_page, base_url, workday):
    # Each screen is loaded once, at 1280 px: axe, then the window resized to each width,
    # then 200 % text.
    coordinator, ideas = workday
    page = logged_in(new_page, base_url, coordinator, WINDOW)
    problems = []
    for name, (url, region) in screens(ideas).items():
        page.goto(base_url + url)
        assert page.locator(region).count() == 1, name
        if violations := violations_in(page, region):
            problems.append(f"{name}:\n{describe_violations(violations)}")
        checks = {"the table is cut off": results_cut_off} if name == "inbox" else None
        problems.extend(
            problems_at_widths(page, name, WIDTHS, height=WINDOW["height"], checks=checks)
        )
        if name != "inbox":  # a table of eight columns at 200 % text scrolls inside its region
            problems.extend(problems_with_200_percent_text(page, name, WINDOW))
    assert not problems, "\n".join(problems)


def test_the_bulk_actions_show_once_an_idea_is_ticked(new_page, base_url, workday):
    coordinator, ideas = workday
    page = logged_in(new_page, base_url, coordinator)
    page.goto(base_url + INBOX_URL)
    footer = page.locator("[data-sluss-bulk]")
    assert footer.is_hidden()
    page.locator(f"#sluss-select-{ideas[0].pk}").check()
    assert footer.is_visible()
    assert "1" in footer.locator("[data-sluss-bulk-count]").inner_text()


def test_a_coordinator_moves_an_idea_from_the_board_with_the_keyboard(new_page, base_url, workday):
    coordinator, ideas = workday
    idea = ideas[0]
    # Tall enough for the whole move form: Wagtail scrolls smoothly, and a focus check in
    # the middle of a scroll would see the field still outside the window.
    page = logged_in(new_page, base_url, coordinator, {"width": 1280, "height": 1100})
    page.goto(base_url + BOARD_URL)
    menu = f'.sluss-admin-card[data-idea="{idea.pk}"] summary'
    tab_to(page, menu, limit=120)
    page.keyboard.press("Enter")
    move_link = f'.sluss-admin-card[data-idea="{idea.pk}"] a[href*="/move/"]'
    tab_to(page, move_link)
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_move-to_stage")
    tab_to(page, "#id_move-to_stage")
    # The first stage offered is the next step (screening): the keyboard keeps it.
    assert page.eval_on_selector("#id_move-to_stage", "el => el.value") == process.SCREENING
    tab_to(page, "#id_move-public_note")
    page.keyboard.type("Tack för idén, vi bedömer den nu.")
    tab_to(page, ".sluss-admin-action-page button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{BOARD_URL}*")
    column = page.locator("#sluss-column-screening").locator("xpath=..")
    assert column.locator(f'.sluss-admin-card[data-idea="{idea.pk}"]').count() == 1


def test_screenshots_for_the_docs(new_page, base_url, workday):
    coordinator, ideas = workday
    page = logged_in(new_page, base_url, coordinator, {"width": 1280, "height": 800})
    for name, url in (
        ("admin-inbox", INBOX_URL),
        ("admin-board", BOARD_URL),
        ("admin-idea", idea_admin_path(ideas[2])),
    ):
        page.goto(base_url + url)
        path = DOCS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
