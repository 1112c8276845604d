"""The dialogue on the status page in a browser: axe-core finds no WCAG 2.1 A or AA
violation in the thread, the answer form (empty and with errors) and the answers on taking
part, in either language; and the giver answers with the keyboard's own form, no script.

Run alone: ``pytest tests/browser/test_dialogue_axe.py -p no:xdist``.
"""

import pytest
from django.urls import reverse

from sluss_wagtail import dialogue, process
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import DialogueMessage
from tests.browser.content import localized
from tests.browser.helpers import (
    axe_violations,
    describe_violations,
    logged_in,
    violations_in,
)
from tests.factories import IdeaFactory, UserFactory, create_coordinator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def idea_with_a_thread(public_site):
    staff = UserFactory(username="idecoach", first_name="Ingrid", last_name="Berg")
    idea = IdeaFactory(
        title="Bänkar vid sjön",
        publish_idea=True,
        contact={"name": "Karin Lund", "email": "karin@exempelby.invalid"},
    )
    dialogue.write_to_giver(idea, user=staff, text="Hej! Vilken sjö tänker du på?")
    dialogue.answer(idea, text="Kyrkviken, vid promenadstråket.")
    process.move_idea(idea, process.SCREENING, user=staff, public_note="Vi bedömer idén.")
    process.move_idea(idea, process.DEVELOPMENT, user=staff, public_note="Vi utvecklar idén.")
    return idea


def assert_no_violations(page, state):
    violations = axe_violations(page)
    assert not violations, f"{state} ({page.url}):\n" + describe_violations(violations)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_status_page_with_a_thread_and_its_forms(new_page, base_url, public_site, language):
    idea = idea_with_a_thread(public_site)
    page = new_page(language)
    page.goto(base_url + localized(idea.get_status_url(), language))
    assert page.locator("#sluss-dialogue .sluss-dialogue__message").count() == 3
    assert page.locator("#sluss-take-part").count() == 1
    assert_no_violations(page, "status-dialogue")
    # The answer form sent empty: its errors, tied to the field.
    page.locator("#sluss-dialogue form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-sluss-error-summary]").count() == 1
    assert page.locator("#id_text[aria-invalid=true]").count() == 1
    assert_no_violations(page, "status-dialogue-errors")
    # An answer, then the answers on taking part.
    page.locator("#id_text").fill("Jag kan visa platsen en eftermiddag.")
    page.locator("#sluss-dialogue form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#sluss-dialogue [role=status]").count() == 1
    assert_no_violations(page, "status-dialogue-answered")
    page.locator("label[for=id_take_part]").click()
    page.locator("#sluss-take-part form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#sluss-take-part [role=status]").count() == 1
    assert_no_violations(page, "status-take-part-answered")
    assert DialogueMessage.objects.from_giver().count() == 2
    assert dialogue.participation_answers(idea)["take_part"] is True


def test_the_thread_on_the_ideas_admin_page(new_page, base_url, public_site):
    idea = idea_with_a_thread(public_site)
    page = logged_in(new_page, base_url, create_coordinator())
    page.goto(base_url + idea_admin_path(idea))
    assert page.locator("#sluss-panel-dialogue .sluss-dialogue-thread__message").count() == 3
    violations = violations_in(page, "#sluss-panel-dialogue")
    assert not violations, describe_violations(violations)
    page.goto(base_url + reverse("sluss_wagtail_dialogue_write", args=[idea.pk]))
    violations = violations_in(page, "#sluss-dialogue-write")
    assert not violations, describe_violations(violations)
