"""Screenshots of the main pages at desktop and phone width, for a person to look at.

Written to ``test-results/screenshots/`` (ignored by git) as
``<language>-<desktop|phone>-<state>.png``; two of them are also the pictures of the README
and the docs' front page, ``docs/form-desktop.png`` and ``docs/status-phone.png``, so they
show the pages as they are.
"""

import shutil
from pathlib import Path

import pytest

from tests.browser.helpers import DESKTOP, PHONE, SCREENSHOT_STATES, open_state

DOCS = Path(__file__).resolve().parents[2] / "docs"
#: The screenshots the docs show: (language, width, state) → the picture's name in docs/.
DOCS_PICTURES = {
    ("sv", "desktop", "idea-form"): "form-desktop",
    ("sv", "phone", "status-pilot"): "status-phone",
}

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
            picture = DOCS_PICTURES.get((language, width_name, state))
            if picture:
                shutil.copyfile(path, DOCS / f"{picture}.png")
    assert all(path.stat().st_size > 0 for path in written)
