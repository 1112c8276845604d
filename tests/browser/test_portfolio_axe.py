"""The public portfolio and the idea form's similar-idea hint in a browser: axe-core
finds no WCAG 2.1 A or AA violation, the hint appears as one types (the script) and
through the button (no script), and sending anyway works."""

import pytest

from tests.browser.content import localized
from tests.browser.helpers import axe_violations, describe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def portfolio_site(transactional_db):
    from sluss_wagtail import process
    from tests.factories import (
        IdeaFactory,
        OrganisationUnitFactory,
        UserFactory,
        approve_for_portfolio,
        create_portfolio,
        create_submission_page,
    )

    staff = UserFactory(username="koordinator")
    unit = OrganisationUnitFactory(name="Gata och park")
    portfolio = create_portfolio(intro="<p>Idéer som kommunen arbetar med.</p>")
    bench = IdeaFactory(title="Sittbänkar längs promenadstråket vid sjön", unit=unit)
    process.move_idea(bench, process.SCREENING, user=staff, public_note="Vi bedömer idén.")
    approve_for_portfolio(bench, public_summary="Tre bänkar testas i sommar.")
    closed = IdeaFactory(title="Lånecyklar vid stationen")
    process.move_idea(closed, process.CLOSED, user=staff, public_note="Kräver upphandling.")
    approve_for_portfolio(closed)
    for n in range(13):
        approve_for_portfolio(IdeaFactory(title=f"Idé om parker {n}"))
    form = create_submission_page(intro="<p>Har du en idé?</p>")
    return {"portfolio": portfolio, "bench": bench, "form": form}


def assert_no_violations(page, state):
    violations = axe_violations(page)
    assert not violations, f"{state} ({page.url}):\n" + describe_violations(violations)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_portfolio_and_an_idea_page_pass_axe(new_page, base_url, portfolio_site, language):
    page = new_page(language)
    url = localized(portfolio_site["portfolio"].url, language)
    for state, path in (
        ("listing", url),
        ("page 2", url + "?page=2"),
        ("search", url + "?q=bänkar"),
        ("no results", url + "?q=zzzzzz"),
        ("closed", url + "?stage=closed"),
        ("idea page", f"{url}idea/{portfolio_site['bench'].pk}/"),
    ):
        page.goto(base_url + path)
        assert_no_violations(page, state)


def test_the_hint_appears_as_one_types_and_passes_axe(new_page, base_url, portfolio_site):
    page = new_page("sv")
    page.goto(base_url + portfolio_site["form"].url)
    page.fill("#id_title", "Bänkar vid sjön")
    page.locator(".sluss-similar__hint").wait_for()
    assert "Sittbänkar längs promenadstråket vid sjön" in page.inner_text("#sluss-similar-results")
    assert_no_violations(page, "form with the hint")


def test_the_hint_does_not_push_the_field_one_writes_in_out_of_sight(
    new_page, base_url, portfolio_site
):
    """The hint can come back while one already writes further down (a slow server): it
    grows above the focused field, and the field stays where it was on the screen. The
    answer is held back here until the focus is on a radio button below the hint."""
    from django.urls import reverse

    page = new_page("sv", {"width": 1280, "height": 3000})
    held = []
    page.route("**" + reverse("sluss_wagtail:similar_ideas"), lambda route: held.append(route))
    page.goto(base_url + portfolio_site["form"].url)
    # A window that just shows the radio buttons at its foot with the page at its top: the
    # browser's own scroll anchoring does nothing there.
    bottom = page.evaluate(
        "document.querySelector('#id_submitter_kind').getBoundingClientRect().bottom"
    )
    page.set_viewport_size({"width": 1280, "height": int(bottom) + 20})
    page.focus("#id_title")
    page.keyboard.type("Bänkar vid sjön")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the form never asked for the hint"
    page.focus("#id_submitter_kind")
    where = "document.activeElement.getBoundingClientRect().top"
    top = page.evaluate(where)
    assert page.evaluate("window.scrollY") == 0
    held[0].continue_()
    page.locator(".sluss-similar__hint").wait_for()
    assert page.evaluate("document.activeElement.id") == "id_submitter_kind"
    assert abs(page.evaluate(where) - top) < 2


def test_the_button_gives_the_hint_by_sending_the_form(new_page, base_url, portfolio_site):
    """The step for a browser without a script: the button sends the form and the page comes
    back with the hint and what was typed. With the script the hint comes as one types and
    the button is hidden (out of the keyboard's way); it is pressed here from the script,
    so that axe checks the page it sends back (axe needs the script)."""
    page = new_page("sv")
    page.goto(base_url + portfolio_site["form"].url)
    assert not page.is_visible("button[name=sluss_similar]")
    page.fill("#id_title", "Bänkar vid sjön")
    with page.expect_navigation():
        page.evaluate("document.querySelector('button[name=sluss_similar]').click()")
    assert "Sittbänkar längs promenadstråket vid sjön" in page.content()
    assert page.input_value("#id_title") == "Bänkar vid sjön"
    assert_no_violations(page, "form with the hint, sent by the button")


def test_without_a_script_the_button_gives_the_hint(browser, live_server, portfolio_site):
    """The same with JavaScript off. (axe runs as a script in the page, so it is checked on
    the page above, with the same markup.)"""
    from tests.browser.helpers import DESKTOP

    context = browser.new_context(
        java_script_enabled=False, viewport=DESKTOP, locale="sv-SE", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(live_server.url + portfolio_site["form"].url)
        page.fill("#id_title", "Bänkar vid sjön")
        with page.expect_navigation():
            page.click("button[name=sluss_similar]")
        assert "Sittbänkar längs promenadstråket vid sjön" in page.content()
        assert page.input_value("#id_title") == "Bänkar vid sjön"
    finally:
        context.close()
