"""Reflow and text size: at 320 px nothing scrolls sideways; at 200 % text nothing is cut off.

WCAG 2.1 1.4.10 (reflow: 320 CSS px is a 1280 px window at 400 % zoom), 1.4.4 (resize
text to 200 % without losing content) and 1.4.12 (a person's own wider text spacing
loses nothing), on every page and state of ``helpers.STATES``, in Swedish and English.
"""

import pytest

from tests.browser.helpers import (
    DESKTOP,
    NARROW,
    STATES,
    cut_off_text,
    double_the_text_size,
    horizontal_overflow,
    open_state,
    widen_the_text_spacing,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_nothing_scrolls_sideways_at_320_px(new_page, base_url, public_site, language):
    page = new_page(language, NARROW)
    problems = []
    for state in STATES:
        open_state(page, base_url, public_site, state, language)
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(
                f"{state} ({page.url}): {overflow['scrollWidth']} px wide in a "
                f"{overflow['width']} px viewport; sticking out: {overflow['culprits']}"
            )
    assert not problems, "Pages that scroll sideways at 320 px:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_nothing_is_cut_off_at_200_percent_text(new_page, base_url, public_site, language):
    page = new_page(language, DESKTOP)
    problems = []
    for state in STATES:
        open_state(page, base_url, public_site, state, language)
        double_the_text_size(page)
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(
                f"{state} ({page.url}): scrolls sideways at 200 % text "
                f"({overflow['scrollWidth']} > {overflow['width']}): {overflow['culprits']}"
            )
        problems.extend(f"{state} ({page.url}): {problem}" for problem in cut_off_text(page))
    assert not problems, "Cut off at 200 % text:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_nothing_is_cut_off_with_wider_text_spacing(new_page, base_url, public_site, language):
    page = new_page(language, NARROW)
    problems = []
    for state in STATES:
        open_state(page, base_url, public_site, state, language)
        widen_the_text_spacing(page)
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(
                f"{state} ({page.url}): scrolls sideways with wider text spacing "
                f"({overflow['scrollWidth']} > {overflow['width']}): {overflow['culprits']}"
            )
        problems.extend(f"{state} ({page.url}): {problem}" for problem in cut_off_text(page))
    assert not problems, "Cut off with wider text spacing:\n" + "\n".join(problems)
