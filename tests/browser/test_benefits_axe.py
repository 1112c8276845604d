"""Benefits realisation in the browser: the innovation page with its chart of realised
against expected, its table and the implementation plan has no WCAG 2.1 A or AA violation
(axe-core), in either language; the chart is hidden from assistive technology and its
figures are in the table beside it; the page reflows at 320 px without horizontal scroll;
and the showcase's kind-of-benefit filter is labelled and works."""

import datetime

import pytest

from tests.browser.content import localized
from tests.browser.helpers import axe_violations, describe_violations
from tests.factories import (
    IdeaFactory,
    create_benefit,
    create_innovation,
    create_showcase_index,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def innovation(transactional_db):
    from sluss_wagtail.models import ImplementationStep

    idea = IdeaFactory(stage="implemented")
    create_benefit(idea, follow_ups_done={0: 1350}, baseline=0, expected=1200)
    create_benefit(
        idea,
        kind="money",
        title="Lägre kostnad för låsbyten",
        unit_of_measure="kr per år",
        baseline=85000,
        expected=20000,
        starts_on=datetime.date.today(),
    )
    for title, status in (("Enhet A", "done"), ("Enhet B", "in_progress"), ("Enhet C", "planned")):
        ImplementationStep.objects.create(idea=idea, title=title, status=status)
    showcase = create_showcase_index()
    return create_innovation(showcase, title="Digitala lås", idea=idea)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_innovation_page_with_its_benefits_has_no_violations(
    new_page, base_url, innovation, language
):
    page = new_page(language)
    page.goto(base_url + localized(innovation.url, language))
    assert page.locator(".sluss-benefit").count() == 2
    # The chart is decoration; the table beside it says everything.
    assert page.locator("svg.sluss-benefit__chart[aria-hidden=true]").count() == 2
    assert page.locator(".sluss-benefit__table").first.inner_text().count("1350") == 1
    assert page.locator(".sluss-step-plan").count() == 3
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_the_benefits_reflow_at_320_pixels(new_page, base_url, innovation):
    page = new_page("sv", viewport={"width": 320, "height": 640})
    page.goto(base_url + localized(innovation.url, "sv"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"scrolls sideways: {width}px"


def test_the_showcase_filters_by_kind_of_benefit(new_page, base_url, innovation):
    create_innovation(innovation.get_parent(), title="Utan nytta")
    page = new_page("sv")
    page.goto(base_url + localized(innovation.get_parent().url, "sv"))
    page.select_option("#sluss-filter-benefit", "money")
    page.locator(".sluss-filters button[type=submit]").click()
    page.wait_for_load_state()
    titles = page.locator(".sluss-card__title").all_inner_texts()
    assert titles == ["Digitala lås"]
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
