"""axe-core finds no WCAG 2.1 A or AA violation on the following pages, in either language.

Covered: the follow box on an open challenge and on an innovation, the follow and
support forms (empty, with errors, sent), the confirmation page, the page that manages
one's subscriptions, the unsubscribe page and a refused link. Run alone:
``pytest tests/browser/test_following_axe.py -p no:xdist``.
"""

import pytest
from django.utils import timezone

from tests.browser.content import build_challenges, localized
from tests.browser.helpers import axe_violations, describe_violations
from tests.factories import create_public_idea

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def followed(transactional_db):
    from sluss_wagtail import following
    from sluss_wagtail.models import Subscription

    _index, open_challenge, _upcoming, _closed = build_challenges()
    idea = create_public_idea(title="Bänkar vid sjön", contact={"name": "Karin"})
    mine = Subscription.objects.create(
        kind="follow", idea=idea, email="fan@exempelby.invalid", confirmed_at=timezone.now()
    )
    Subscription.objects.create(kind="follow", page=open_challenge, email="fan@exempelby.invalid")
    pending = Subscription.objects.create(kind="support", idea=idea, email="ny@exempelby.invalid")
    from tests.factories import create_innovation, create_showcase_index

    innovation = create_innovation(create_showcase_index())
    return {
        "challenge": open_challenge.url,
        "innovation": innovation.url,
        "follow": f"/idesluss/follow/idea/{idea.pk}/",
        "support": f"/idesluss/support/{idea.pk}/",
        "confirm": "/idesluss/follow/confirm/" + following.make_token(pending, "confirm") + "/",
        "manage": "/idesluss/follow/manage/" + following.make_token(mine, "manage") + "/",
        "unsubscribe": "/idesluss/follow/unsubscribe/"
        + following.make_token(mine, "unsubscribe")
        + "/",
        "refused": "/idesluss/follow/manage/forged/",
    }


def send(page, email):
    form = page.locator("form.sluss-follow-form").first
    if email is not None:
        form.locator("input[name=email]").fill(email)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_wcag_21_aa_violations_on_the_following_pages(new_page, base_url, followed, language):
    page = new_page(language)
    problems = []

    def check(state):
        violations = axe_violations(page)
        if violations:
            problems.append(f"{state} ({page.url}):\n" + describe_violations(violations))

    for state in (
        "challenge",
        "innovation",
        "follow",
        "support",
        "confirm",
        "manage",
        "unsubscribe",
    ):
        page.goto(base_url + localized(followed[state], language))
        check(state)
    page.goto(base_url + localized(followed["refused"], language))
    check("refused")
    for state in ("follow", "support"):
        page.goto(base_url + localized(followed[state], language))
        send(page, "inte en adress")
        assert page.locator(".sluss-error-summary").count() == 1
        check(f"{state}-errors")
    page.goto(base_url + localized(followed["follow"], language))
    send(page, "ny.foljare@exempelby.invalid")
    check("follow-sent")
    # The box on the challenge page works without a script: it posts to the follow view.
    page.goto(base_url + localized(followed["challenge"], language))
    box = page.locator(".sluss-follow form")
    box.locator("input[name=email]").fill("box@exempelby.invalid")
    with page.expect_navigation() as navigation:
        box.locator("button[type=submit]").click()
    assert navigation.value.status == 200
    check("challenge-follow-sent")
    assert not problems, "WCAG 2.1 A/AA problems:\n" + "\n".join(problems)
