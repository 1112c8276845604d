"""The public portfolio: ``Idea.objects.public()``, the portfolio page and an idea's page."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from sluss_wagtail import actions, privacy, process
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import Idea
from sluss_wagtail.models.portfolio import PortfolioEntry
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    approve_for_portfolio,
    create_coordinator,
    create_portfolio,
    grant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return grant(create_coordinator(), "sluss_wagtail.view_confidential_idea")


@pytest.fixture
def portfolio():
    return create_portfolio()


def public_idea(**fields):
    idea = IdeaFactory(**fields)
    approve_for_portfolio(idea)
    return idea


def test_public_needs_consent_approval_and_nothing_withheld(coordinator):
    shown = public_idea(title="Visas")
    unapproved = IdeaFactory(title="Ej godkänd")
    no_consent = IdeaFactory(title="Utan samtycke", publish_idea=False)
    PortfolioEntry.objects.create(idea=no_consent, approved=True)
    confidential = public_idea(title="Sekretess")
    actions.set_confidential(confidential, True, user=coordinator)
    withdrawn = public_idea(title="Återtagen")
    privacy.withdraw(withdrawn)
    erased = public_idea(title="Raderad")
    privacy.erase_contact(erased)
    consent_gone = public_idea(title="Samtycke återtaget")
    privacy.withdraw_consent(consent_gone)
    taken_out = public_idea(title="Uttagen")
    PortfolioEntry.objects.filter(idea=taken_out).update(approved=False)
    assert list(Idea.objects.public()) == [shown]
    assert unapproved not in Idea.objects.public()


def test_public_is_one_query(django_assert_num_queries):
    public_idea()
    with django_assert_num_queries(1):
        list(Idea.objects.public())


def test_the_portfolio_lists_public_ideas_with_stage_steps_and_feedback(
    client, portfolio, coordinator
):
    unit = OrganisationUnitFactory(name="Parkenheten")
    idea = public_idea(title="Fler bänkar i parken", unit=unit)
    idea.sdgs.set([11])
    approve_for_portfolio(idea, public_title="Bänkar längs stråket", public_summary="Vi testar.")
    process.move_idea(idea, process.SCREENING, user=coordinator, public_note="Vi tittar på den.")
    IdeaFactory(title="Hemlig plan")  # not approved
    response = client.get(portfolio.url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Bänkar längs stråket" in text
    assert "Fler bänkar i parken" not in text  # the public title stands for it
    assert "Hemlig plan" not in text
    assert "Parkenheten" in text
    sdg = client.get(portfolio.url + "?sdg=11").content.decode()
    assert "Bänkar längs stråket" in sdg
    assert "Bänkar längs stråket" not in client.get(portfolio.url + "?sdg=3").content.decode()
    page = client.get(f"{portfolio.url}idea/{idea.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Vi testar." in text and "Vi tittar på den." in text
    assert 'aria-current="step"' in text  # the steps are drawn, the current one marked
    assert "(the idea is here)" in text or "(idén är här)" in text


def test_an_idea_that_is_not_public_has_no_page(client, portfolio, coordinator):
    hidden = IdeaFactory()
    assert client.get(f"{portfolio.url}idea/{hidden.pk}/").status_code == 404
    shown = public_idea()
    assert client.get(f"{portfolio.url}idea/{shown.pk}/").status_code == 200
    actions.set_confidential(shown, True, user=coordinator)
    assert client.get(f"{portfolio.url}idea/{shown.pk}/").status_code == 404
    assert client.get(f"{portfolio.url}idea/999999/").status_code == 404
    assert client.get(f"{portfolio.url}idea/abc/").status_code == 404


def test_closed_ideas_show_their_decision_and_parked_ones_say_so(client, portfolio, coordinator):
    closed = public_idea(title="Stängd idé")
    process.move_idea(
        closed, process.CLOSED, user=coordinator, public_note="Kostar mer än den sparar."
    )
    parked = public_idea(title="Parkerad idé")
    process.move_idea(parked, process.PARKED, user=coordinator)
    text = client.get(portfolio.url).content.decode()
    assert "Kostar mer än den sparar." in text
    assert "paused" in text or "pausat" in text
    text = client.get(f"{portfolio.url}idea/{closed.pk}/").content.decode()
    assert "Kostar mer än den sparar." in text


def test_the_giver_name_only_if_allowed(client, portfolio):
    named = public_idea(publish_name=True, contact={"name": "Pia Berg", "email": "p@x.invalid"})
    unnamed = public_idea(contact={"name": "Olle Ek", "email": "o@x.invalid"})
    assert "Pia Berg" in client.get(f"{portfolio.url}idea/{named.pk}/").content.decode()
    assert "Olle Ek" not in client.get(f"{portfolio.url}idea/{unnamed.pk}/").content.decode()
    assert "Olle Ek" not in client.get(portfolio.url).content.decode()


def test_filters_search_and_pages(client, portfolio, coordinator):
    unit = OrganisationUnitFactory(name="Skolenheten")
    for n in range(14):
        public_idea(title=f"Cykelställ {n}")
    school = public_idea(title="Frukost i skolan", unit=unit)
    process.move_idea(school, process.SCREENING, user=coordinator)
    first = client.get(portfolio.url).content.decode()
    second = client.get(portfolio.url + "?page=2").content.decode()
    assert "?page=2" in first
    assert first.count("sluss-card__title") == 12 and second.count("sluss-card__title") == 3
    found = client.get(portfolio.url + "?q=frukost").content.decode()
    assert "Frukost i skolan" in found and "Cykelställ" not in found
    staged = client.get(portfolio.url + "?stage=screening").content.decode()
    assert "Frukost i skolan" in staged and "Cykelställ 3" not in staged
    by_unit = client.get(f"{portfolio.url}?unit={unit.pk}").content.decode()
    assert "Frukost i skolan" in by_unit and "Cykelställ 3" not in by_unit
    # Nonsense is ignored or finds nothing, never an error.
    nonsense = ("?stage=nonsense", "?unit=x", "?sdg=99", "?page=999", "?q=%00", "?q=" + "a" * 500)
    for query in nonsense:
        assert client.get(portfolio.url + query).status_code == 200
    assert "Cykelställ" not in client.get(portfolio.url + "?q=%22%22").content.decode()


def test_the_portfolio_needs_no_javascript(client, portfolio):
    public_idea(title="Utan skript")
    text = client.get(portfolio.url).content.decode()
    assert 'method="get"' in text and "Utan skript" in text


def test_the_approval_action_in_the_admin(client, coordinator):
    idea = IdeaFactory(title="Bättre belysning")
    client.force_login(coordinator)
    url = idea_admin_path(idea, "portfolio")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "portfolio-approved": "on",
            "portfolio-public_title": "Ljusare gångvägar",
            "portfolio-public_summary": "Kommunen prövar ny belysning.",
        },
    )
    assert response.status_code == 302
    entry = PortfolioEntry.objects.get(idea=idea)
    assert entry.approved and entry.approved_by == coordinator
    assert list(Idea.objects.public()) == [idea]
    inspect = client.get(idea_admin_path(idea))
    assert gettext("Approved for the public portfolio.") in inspect.content.decode()


def test_approval_refused_without_consent_or_for_a_confidential_idea(client, coordinator):
    idea = IdeaFactory(publish_idea=False)
    client.force_login(coordinator)
    url = idea_admin_path(idea, "portfolio")
    response = client.post(url, {"portfolio-approved": "on"})
    assert response.status_code == 200
    assert not PortfolioEntry.objects.filter(idea=idea, approved=True).exists()
    secret = IdeaFactory()
    actions.set_confidential(secret, True, user=coordinator)
    url = idea_admin_path(secret, "portfolio")
    client.post(url, {"portfolio-approved": "on"})
    assert not PortfolioEntry.objects.filter(idea=secret, approved=True).exists()


def test_the_demo_builds_a_portfolio_with_a_failed_test_and_a_closed_decision(client):
    from io import StringIO

    from django.core.management import call_command

    from demo.management.commands import _demo_portfolio

    call_command("sluss_demo", force=True, stdout=StringIO())
    page = _demo_portfolio.build(None)
    assert _demo_portfolio.build(None).pk == page.pk  # safe to run again
    public = Idea.objects.public()
    stages = set(public.values_list("stage", flat=True))
    assert {"pilot", "implemented", "spread", "parked", "closed"} <= stages
    text = client.get(page.url + "?stage=closed").content.decode()
    assert "upphandla" in text  # the closed idea's decision
    bench = Idea.objects.get(submission_key="demo-1")
    idea_page = client.get(f"{page.url}idea/{bench.pk}/").content.decode()
    assert "Bänkar utan ryggstöd" in idea_page
    # The closed challenge lists its ideas that went further through ``public()``: the
    # two the demo approved (what tests/test_demo.py expects once sluss_demo calls build).
    from sluss_wagtail import page_types

    closed = page_types.challenge_model().objects.get(slug="ensamhet-bland-aldre")
    assert closed.get_ideas_that_went_further().count() == 2
    hint = client.post(reverse("sluss_wagtail:similar_ideas"), {"title": "Bänkar vid sjön"})
    assert "Sittbänkar längs promenadstråket vid sjön" in hint.content.decode()


def test_a_site_chooses_the_ideas_page_template_through_get_idea_template(
    monkeypatch, client, portfolio
):
    page_class = type(portfolio)
    monkeypatch.setattr(
        page_class, "get_idea_template", lambda self, request: "sluss_test_base.html"
    )
    shown = public_idea()
    names = [t.name for t in client.get(f"{portfolio.url}idea/{shown.pk}/").templates]
    assert names[0] == "sluss_test_base.html"
    assert page_class.idea_template not in names


def test_the_cached_listing_follows_every_change_of_what_is_public(client, portfolio, coordinator):
    """Which ideas, their order, how many and the unit filter's choices come from the
    cache until the ideas change (``caching.IDEAS``): every change of an idea, its events
    or its portfolio entry shows at the next request."""
    unit = OrganisationUnitFactory(name="Parkenheten")
    first = public_idea(title="Första idén", unit=unit)

    def listed():
        response = client.get(portfolio.url)
        items = response.context["items"]
        units = [choice.name for choice in response.context["unit_choices"]]
        return [idea.shown_title for idea in items], items.paginator.count, units

    assert listed() == (["Första idén"], 1, ["Parkenheten"])
    assert listed() == (["Första idén"], 1, ["Parkenheten"])  # from the cache
    second = IdeaFactory(title="Andra idén")
    assert listed()[0] == ["Första idén"]  # not approved: not shown
    approve_for_portfolio(second)  # the entry's save
    assert listed() == (["Andra idén", "Första idén"], 2, ["Parkenheten"])
    process.move_idea(first, process.SCREENING, user=coordinator, public_note="Vi tittar.")
    assert listed()[0] == ["Första idén", "Andra idén"]  # the newest move first
    approve_for_portfolio(first, public_title="Bänkar i parken")
    assert listed()[0] == ["Bänkar i parken", "Andra idén"]
    privacy.withdraw(first)  # an event
    assert listed() == (["Andra idén"], 1, [])
    entry = PortfolioEntry.objects.get(idea=second)
    entry.approved = False
    entry.save()
    assert listed() == ([], 0, [])


def test_an_idea_that_left_the_public_is_not_shown_from_a_listing_cached_before(client, portfolio):
    """The cached listing names the ideas; each is read again through ``public()``, so one
    that left the public without a signal (a queryset update) is not shown."""
    shown, hidden = public_idea(title="Synlig"), public_idea(title="Dold")
    client.get(portfolio.url)
    PortfolioEntry.objects.filter(idea=hidden).update(approved=False)  # no signal
    text = client.get(portfolio.url).content.decode()
    assert shown.title in text and hidden.title not in text
