"""Reflow and text size: at 320 px nothing scrolls sideways; at 200 % text nothing is cut off.

WCAG 2.1 1.4.10 (reflow: 320 CSS px is a 1280 px window at 400 % zoom), 1.4.4 (resize
text to 200 % without losing content) and 1.4.12 (a person's own wider text spacing
loses nothing), on every page and state of ``helpers.STATES``, in Swedish and English.

Each state is loaded once per language, in a 320 px window, and all three checked on that
load: 320 px as it is; 320 px with wider text spacing (the style sheet removed again);
then a 1280 px window with 200 % text. A state reached by sending a form (an error, a
confirmation, the 429 page) is then reached once, not once per check.
"""

import pytest

from tests.browser.helpers import (
    DESKTOP,
    NARROW,
    STATES,
    cut_off_text,
    layout_problems,
    open_state,
    problems_with_200_percent_text,
    widen_the_text_spacing,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CUT_OFF = {"cut off": cut_off_text}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_nothing_scrolls_sideways_or_is_cut_off(new_page, base_url, public_site, language):
    page = new_page(language, NARROW)
    problems = []
    for state in STATES:
        page.set_viewport_size(NARROW)
        open_state(page, base_url, public_site, state, language)
        where = f"{state} ({page.url})"
        problems.extend(layout_problems(page, where, "at 320 px"))
        spacing = widen_the_text_spacing(page)
        problems.extend(layout_problems(page, where, "with wider text spacing at 320 px", CUT_OFF))
        spacing.evaluate("style => style.remove()")
        problems.extend(problems_with_200_percent_text(page, where, DESKTOP, checks=CUT_OFF))
    assert not problems, "Scrolls sideways or cut off:\n" + "\n".join(problems)
