"""Keyboard-only journeys, in Swedish and English: only ``page.keyboard``, never a click.

A person sends an idea (Tab, typing, Space and arrow keys in the radios, Enter on the
button) and opens the status link from the confirmation; a person who forgot answers
lands on the error summary, follows its link to the field, fixes it and sends; a person
filters the challenges. Every focus stop must show its focus, and Tab must get through
every page and out of it again: focus is never trapped.
"""

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from sluss_wagtail.models import Idea
from tests.browser.content import IDEA_FORM_VALUES, SERVED_GOAL, localized
from tests.browser.helpers import (
    REFERENCE_RE,
    STATES,
    assert_focus_visible,
    focused,
    is_focused,
    open_state,
    tab_to,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ["sv", "en"]
SUBMIT = "form.sluss-idea-form button[type=submit]:not([name=sluss_similar])"


def press(page, key, expect_focus_on):
    """Press ``key`` and check that the focus went to ``expect_focus_on`` and shows."""
    page.keyboard.press(key)
    assert is_focused(page, expect_focus_on), (
        f"after {key} the focus is on {(focused(page) or {}).get('description')}, "
        f"not on {expect_focus_on}"
    )
    assert_focus_visible(page)


def type_into_next(page, selector, text):
    press(page, "Tab", selector)
    page.keyboard.type(text)


def checked_value(page, name):
    return page.evaluate(
        "(name) => document.querySelector(`input[name=${name}]:checked`)?.value ?? null", name
    )


def open_form(page, base_url, idea_form_page, language, *, skip_link=False):
    page.goto(base_url + localized(idea_form_page.url, language))
    if skip_link:
        # The first Tab reaches the skip link; Enter jumps past the header to the content.
        press(page, "Tab", ".skip-link")
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.id === 'main'")
        press(page, "Tab", "#id_title")
    else:
        # From the top of the page through the header to the first question.
        tab_to(page, "#id_title")


@pytest.mark.parametrize("language", LANGUAGES)
def test_send_an_idea_and_open_its_status_link_with_the_keyboard(
    new_page, base_url, idea_form_page, language
):
    page = new_page(language)
    open_form(page, base_url, idea_form_page, language, skip_link=True)
    page.keyboard.type(IDEA_FORM_VALUES["title"])
    type_into_next(page, "#id_description", IDEA_FORM_VALUES["description"])
    type_into_next(page, "#id_need", IDEA_FORM_VALUES["need"])
    type_into_next(page, "#id_beneficiaries", IDEA_FORM_VALUES["beneficiaries"])
    press(page, "Tab", "#id_attachments")
    # A radio group is one Tab stop; the arrow keys move and choose within it.
    press(page, "Tab", "#id_submitter_kind")
    press(page, "ArrowDown", "#id_submitter_kind_1")
    press(page, "ArrowUp", "#id_submitter_kind")
    assert checked_value(page, "submitter_kind") == "resident"
    press(page, "Tab", "#id_organisation")
    press(page, "Tab", "#id_unit")
    type_into_next(page, "#id_name", IDEA_FORM_VALUES["name"])
    type_into_next(page, "#id_email", IDEA_FORM_VALUES["email"])
    type_into_next(page, "#id_phone", IDEA_FORM_VALUES["phone"])
    press(page, "Tab", "#id_publish_idea")
    page.keyboard.press("Space")
    assert checked_value(page, "publish_idea") == "yes"
    press(page, "Tab", "#id_publish_name")
    press(page, "ArrowDown", "#id_publish_name_1")
    assert checked_value(page, "publish_name") == "no"
    press(page, "Tab", SUBMIT)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url == base_url + localized(idea_form_page.url, language) + "confirmation/"
    reference = REFERENCE_RE.search(page.locator(".sluss-reference").inner_text()).group(0)
    idea = Idea.objects.get(reference=reference)
    assert idea.title == IDEA_FORM_VALUES["title"]
    assert idea.language == language
    assert (idea.submitter_kind, idea.publish_idea, idea.publish_name) == ("resident", True, False)

    tab_to(page, "a.sluss-status-link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The status link keeps the language of the page it was sent from.
    assert page.url == base_url + localized(idea.get_status_url(), language)
    assert page.locator("h1").inner_text() == IDEA_FORM_VALUES["title"]
    assert reference in page.locator(".sluss-caption").inner_text()
    assert page.evaluate("document.documentElement.lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_fix_an_error_from_the_error_summary_with_the_keyboard(
    new_page, base_url, idea_form_page, language
):
    page = new_page(language)
    open_form(page, base_url, idea_form_page, language)
    page.keyboard.type(IDEA_FORM_VALUES["title"])
    type_into_next(page, "#id_description", IDEA_FORM_VALUES["description"])
    type_into_next(page, "#id_need", IDEA_FORM_VALUES["need"])
    press(page, "Tab", "#id_beneficiaries")
    press(page, "Tab", "#id_attachments")
    press(page, "Tab", "#id_submitter_kind")
    page.keyboard.press("Space")
    # The name and whether the idea may be published are forgotten.
    tab_to(page, "#id_publish_name")
    page.keyboard.press("Space")
    press(page, "Tab", SUBMIT)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.wait_for_function("document.activeElement.matches('[data-sluss-error-summary]')")
    assert_focus_visible(page)
    assert page.title().startswith("Fel:" if language == "sv" else "Error:")
    links = page.locator(".sluss-error-summary a")
    assert [links.nth(n).get_attribute("href") for n in range(links.count())] == [
        "#id_name",
        "#id_publish_idea",
    ]
    # Nothing typed is lost.
    assert page.locator("#id_title").input_value() == IDEA_FORM_VALUES["title"]

    press(page, "Tab", ".sluss-error-summary a[href='#id_name']")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'id_name'")
    assert_focus_visible(page)
    error_id = page.locator("#id_name").get_attribute("aria-describedby")
    assert page.locator(f"#{error_id}").is_visible()
    page.keyboard.type(IDEA_FORM_VALUES["name"])
    tab_to(page, "#id_publish_idea")
    page.keyboard.press("Space")
    tab_to(page, SUBMIT)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/confirmation/")
    reference = REFERENCE_RE.search(page.locator(".sluss-reference").inner_text()).group(0)
    idea = Idea.objects.select_related("contact").get(reference=reference)
    assert idea.contact.name == IDEA_FORM_VALUES["name"]
    assert idea.publish_idea is True


@pytest.mark.parametrize("language", LANGUAGES)
def test_filter_the_challenges_with_the_keyboard(new_page, base_url, challenges, language):
    index, open_challenge, upcoming_challenge, closed_challenge = challenges
    page = new_page(language)
    page.goto(base_url + localized(index.url, language))
    tab_to(page, "#sluss-filter-sdg")
    # A closed select chooses with the arrow keys: goal 11 is the 11th under "All goals".
    for _ in range(SERVED_GOAL):
        page.keyboard.press("ArrowDown")
    assert page.locator("#sluss-filter-sdg").input_value() == str(SERVED_GOAL)
    press(page, "Tab", "#sluss-filter-unit")
    press(page, "Tab", ".sluss-filters button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert f"sdg={SERVED_GOAL}" in page.url
    assert page.locator(".sluss-card__title").all_inner_texts() == [open_challenge.title]
    assert page.locator("#sluss-filter-sdg").input_value() == str(SERVED_GOAL)
    tab_to(page, f".sluss-card__title a[href$='{open_challenge.url}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == open_challenge.title


def tab_lap(page, key="Tab", limit=80):
    """Press ``key`` until the skip link at the top has the focus; the stops on the way.

    Every stop must show its focus. Past the last element the focus may leave the page
    for a press before it starts over; that is no stop. Never getting back to the skip
    link within ``limit`` presses means the focus is trapped.
    """
    stops = []
    outside = False
    for _ in range(limit):
        page.keyboard.press(key)
        if outside:
            # Coming back from the browser's own controls, the focus arrives a moment
            # after the key press returns: wait for it rather than read too early and
            # count the first stop as one more press outside the page.
            with contextlib.suppress(PlaywrightTimeoutError):
                page.wait_for_function(
                    "document.activeElement && document.activeElement !== document.body",
                    timeout=1000,
                )
        info = focused(page)
        outside = info is None
        if outside:
            continue
        assert_focus_visible(page, info)
        if info["isSkipLink"]:
            return stops
        stops.append(info["description"])
    raise AssertionError(
        f"the focus is trapped: {limit} presses of {key} never got back to the top; "
        f"the last stops were {stops[-5:]}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_focus_shows_everywhere_and_is_never_trapped(new_page, base_url, public_site, language):
    page = new_page(language)
    problems = []
    for state in STATES:
        open_state(page, base_url, public_site, state, language)
        try:
            # From where the page put the focus (the error summary, say) round to the top.
            tab_lap(page)
            if state.endswith("-errors"):
                continue  # the rest is the lap of the same form without errors
            # A whole lap from the skip link: through every form, past the footer, round.
            forward = tab_lap(page)
            if page.locator("form").count():
                assert any(stop.startswith("button") for stop in forward), forward
            # And backwards: the same stops in reverse.
            backward = tab_lap(page, "Shift+Tab")
            assert backward == forward[::-1], f"forward {forward}, backward {backward}"
        except AssertionError as error:
            problems.append(f"{state} ({page.url}): {error}")
    assert not problems, "\n".join(problems)
