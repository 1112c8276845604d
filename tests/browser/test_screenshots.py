"""Screenshots of the main pages at desktop and phone width, for a person to look at.

Written to ``test-results/screenshots/`` (ignored by git) as
``<language>-<desktop|phone>-<state>.png``. The README's ``docs/form-desktop.png`` and
``docs/status-phone.png`` can be refreshed from ``sv-desktop-idea-form.png`` and
``sv-phone-status-pilot.png``.
"""

import pytest

from tests.browser.helpers import DESKTOP, PHONE, SCREENSHOT_STATES, open_state

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_screenshots_of_the_main_pages(new_page, base_url, public_site, screenshots, language):
    page = new_page(language, DESKTOP)
    written = []
    for state in SCREENSHOT_STATES:
        open_state(page, base_url, public_site, state, language)
        for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            path = screenshots / f"{language}-{width_name}-{state}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
    assert all(path.stat().st_size > 0 for path in written)
