"""axe-core finds no WCAG 2.1 A or AA violation on any public page, in either language.

Covered: the idea form (empty, with errors, the confirmation), the status page at
several stages (received, pilot, closed, forwarded, a duplicate), challenges (open, with
errors, upcoming, closed with its outcome), the challenge index (all, filtered, no
results), the 404 page and the 429 page (too many attempts). Not covered yet, because
those pages did not exist when these tests were written: the showcase (with and without
filters, no results), innovation pages with pilots and adoptions, the adoption form
(with errors) and a page built from every block. Add their states to
``helpers.STATES`` (and ``PAGE_TYPES``) as they land; the reflow, text size, focus and
screenshot tests pick them up from there too.
"""

import pytest

from tests.browser.content import localized
from tests.browser.helpers import PAGE_TYPES, axe_violations, describe_violations, open_state

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_no_wcag_21_aa_violations(new_page, base_url, public_site, page_type, language):
    page = new_page(language)
    problems = []
    for state in PAGE_TYPES[page_type]:
        open_state(page, base_url, public_site, state, language)
        lang = page.evaluate("document.documentElement.lang")
        if lang != language:
            problems.append(f"{state} ({page.url}): <html lang={lang!r}>, expected {language!r}")
        violations = axe_violations(page)
        if violations:
            problems.append(
                f"{state} ({page.url}): {len(violations)} violation(s)\n"
                + describe_violations(violations)
            )
    assert not problems, "WCAG 2.1 A/AA problems:\n" + "\n".join(problems)


def test_the_fields_about_the_person_say_what_they_ask_for(new_page, base_url, idea_form_page):
    page = new_page("sv")
    page.goto(base_url + localized(idea_form_page.url, "sv"))
    purposes = {
        field: page.locator(f"#id_{field}").get_attribute("autocomplete")
        for field in ("name", "email", "phone")
    }
    # WCAG 2.1 1.3.5 (AA), which axe does not check.
    assert purposes == {"name": "name", "email": "email", "phone": "tel"}
    assert page.locator("#id_phone").get_attribute("type") == "tel"
