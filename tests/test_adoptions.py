"""Spread: "we use this too" on an innovation's page, and its moderation."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from wagtail import hooks

from sluss_wagtail import actions, process, roles
from sluss_wagtail.models import Adoption, AdoptionStatus, IdeaEvent
from tests.conftest import form_token
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_adoption,
    create_innovation,
    create_showcase_index,
    valid_adoption_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    settings.SLUSS_WAGTAIL_MIN_FILL_SECONDS = 0


@pytest.fixture
def innovation(db):
    showcase = create_showcase_index()
    unit = OrganisationUnitFactory(name="Hemtjänsten")
    idea = IdeaFactory(stage=process.IMPLEMENTED, unit=unit)
    return create_innovation(showcase, unit=unit, idea=idea)


def adopt_url(page):
    return page.url + page.reverse_subpage("adopt")


@pytest.fixture
def post_adoption(client, innovation):
    def post(page=None, follow=False, **overrides):
        page = page or innovation
        response = client.get(adopt_url(page))
        data = valid_adoption_data(form_token=form_token(response.content.decode()), **overrides)
        return client.post(adopt_url(page), data, follow=follow)

    return post


# ---- the public form --------------------------------------------------------------------------


def test_the_innovation_page_links_to_the_form_and_says_no_one_else_uses_it_yet(client, innovation):
    html = client.get(innovation.url).content.decode()
    assert f'href="{adopt_url(innovation)}"' in html
    assert gettext("We use this too") in html
    assert gettext("No one else has told us they use it yet.") in html


def test_the_form_has_labels_hints_and_autocomplete(client, innovation):
    html = client.get(adopt_url(innovation)).content.decode()
    for name in ("organisation", "municipality", "contact_email", "adaptation", "since"):
        assert f'<label class="sluss-label" for="id_{name}">' in html
    assert 'autocomplete="organization"' in html
    assert 'autocomplete="email"' in html
    assert 'id="id_since-hint"' in html


def test_a_sent_form_creates_a_pending_adoption_and_shows_a_confirmation(post_adoption, innovation):
    response = post_adoption(follow=True)
    adoption = Adoption.objects.get()
    assert adoption.status == AdoptionStatus.PENDING
    assert adoption.innovation_id == innovation.pk
    assert adoption.municipality == "Alingsås kommun"
    assert str(adoption.since) == "2026-03-15"
    html = response.content.decode()
    assert gettext("Thank you for your registration") in html
    assert response.redirect_chain[-1][0].endswith("/adopt/confirmation/")


def test_the_adoption_confirmation_is_carried_by_a_signed_cookie_not_a_session(
    client, post_adoption, innovation
):
    """As the idea's (tests/test_submission.py): a resident who registers an adoption gets
    no session, only the signed, HttpOnly cookie of ``sluss_wagtail.confirmation``."""
    from django.conf import settings

    from sluss_wagtail.models.showcase import ADOPTION_COOKIE

    response = post_adoption()
    assert response.status_code == 302
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    cookie = response.cookies[ADOPTION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == innovation.url
    assert 0 < int(cookie["max-age"]) <= 30 * 60
    adoption = Adoption.objects.get()
    assert client.get(response["Location"]).context["adoption"] == adoption
    # A cookie changed by hand (unsigned, or its signature broken) shows nothing.
    client.cookies[ADOPTION_COOKIE] = str(adoption.pk)
    assert client.get(response["Location"]).status_code == 302
    client.cookies[ADOPTION_COOKIE] = cookie.value[:-1] + ("A" if cookie.value[-1] != "A" else "B")
    assert client.get(response["Location"]).status_code == 302


def test_a_pending_adoption_is_not_shown_on_the_page(post_adoption, client, innovation):
    post_adoption()
    html = client.get(innovation.url).content.decode()
    assert "Alingsås kommun" not in html


def test_the_same_form_sent_twice_gives_one_adoption(client, innovation):
    token = form_token(client.get(adopt_url(innovation)).content.decode())
    data = valid_adoption_data(form_token=token)
    first = client.post(adopt_url(innovation), data)
    second = client.post(adopt_url(innovation), data)
    assert first.status_code == second.status_code == 302
    assert Adoption.objects.count() == 1


def test_a_flood_of_adoptions_from_one_address_gets_a_429_and_nothing_is_saved(
    post_adoption, settings
):
    settings.SLUSS_WAGTAIL_RATE_LIMITS = {"adoption": (2, 600)}
    assert post_adoption(organisation="Första").status_code == 302
    assert post_adoption(organisation="Andra").status_code == 302
    response = post_adoption(organisation="Tredje")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert sorted(Adoption.objects.values_list("organisation", flat=True)) == ["Andra", "Första"]


def test_errors_are_summarised_and_tied_to_their_fields(post_adoption):
    response = post_adoption(organisation="", contact_email="inte-en-adress", since="15/3 2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="sluss-error-summary"' in html
    assert '<a href="#id_organisation">' in html
    assert '<a href="#id_contact_email">' in html
    assert '<a href="#id_since">' in html
    assert 'aria-describedby="id_since-hint id_since-error"' in html
    assert "Fel:" in html  # in the title and before each error
    assert 'value="inte-en-adress"' in html  # nothing typed is lost
    assert not Adoption.objects.exists()


def test_a_date_in_the_future_is_refused(post_adoption):
    response = post_adoption(since="2999-01-01")
    assert response.status_code == 200
    assert not Adoption.objects.exists()


def test_a_bot_gets_a_normal_reply_and_nothing_is_stored(client, innovation, settings):
    settings.SLUSS_WAGTAIL_MIN_FILL_SECONDS = 3
    token = form_token(client.get(adopt_url(innovation)).content.decode())
    response = client.post(adopt_url(innovation), valid_adoption_data(form_token=token))
    assert response.status_code == 200
    assert gettext("Thank you for your registration") in response.content.decode()
    settings.SLUSS_WAGTAIL_MIN_FILL_SECONDS = 0
    response = client.post(
        adopt_url(innovation), valid_adoption_data(form_token=token, website="http://spam")
    )
    assert response.status_code == 200
    response = client.post(adopt_url(innovation), valid_adoption_data(form_token="forged"))
    assert response.status_code == 200
    assert not Adoption.objects.exists()


def test_the_confirmation_without_an_adoption_goes_back_to_the_form(client, innovation):
    response = client.get(innovation.url + innovation.reverse_subpage("adoption_confirmation"))
    assert response.status_code == 302
    assert response["Location"] == adopt_url(innovation)


# The adoption form's and the innovation page's query budgets: tests/test_query_budgets.py.


def used_in(count):
    return ngettext(
        "Used in %(counter)s more place.", "Used in %(counter)s more places.", count
    ) % {"counter": count}


# ---- deciding -----------------------------------------------------------------------------------


def test_confirming_the_first_adoption_elsewhere_moves_the_idea_to_spread(
    innovation, django_capture_on_commit_callbacks
):
    moderator = UserFactory()
    adoption = create_adoption(innovation)
    called = []
    with (
        hooks.register_temporarily("sluss_wagtail_adoption_confirmed", called.append),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = actions.confirm_adoption(adoption, user=moderator, note="Ringt dem")
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.CONFIRMED
    assert adoption.decided_by == moderator
    assert adoption.moderator_note == "Ringt dem"
    assert result.moved
    idea = innovation.idea
    idea.refresh_from_db()
    assert idea.stage == process.SPREAD
    event = idea.events.filter(kind=IdeaEvent.Kind.MOVED).last()
    assert "Alingsås kommun" in event.public_note
    assert called == [adoption]


def test_the_confirmed_hook_runs_and_its_old_name_too_with_a_deprecation_warning(
    innovation, django_capture_on_commit_callbacks
):
    adoption = create_adoption(innovation)
    new, old = [], []
    with (
        hooks.register_temporarily("sluss_wagtail_adoption_confirmed", new.append),
        hooks.register_temporarily("sluss_wagtail_adoption_registered", old.append),
        # (Outside the captured callbacks: the hooks run when those are executed.)
        pytest.warns(DeprecationWarning, match="sluss_wagtail_adoption_registered"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.confirm_adoption(adoption, user=UserFactory())
    assert new == [adoption]
    assert old == [adoption]


def test_an_adoption_by_the_own_unit_does_not_spread_the_idea(innovation):
    adoption = create_adoption(innovation, organisation=" hemtjänsten ")
    result = actions.confirm_adoption(adoption, user=UserFactory())
    assert not result.moved
    innovation.idea.refresh_from_db()
    assert innovation.idea.stage == process.IMPLEMENTED


def test_a_stage_the_process_does_not_allow_is_left_and_said(innovation):
    idea = innovation.idea
    idea.stage = process.CLOSED
    idea.save()
    result = actions.confirm_adoption(create_adoption(innovation), user=UserFactory())
    assert not result.moved
    assert result.stage_left == process.CLOSED
    idea.refresh_from_db()
    assert idea.stage == process.CLOSED


def test_a_decided_adoption_cannot_be_decided_again(innovation):
    from django.core.exceptions import ValidationError

    adoption = create_adoption(innovation)
    actions.reject_adoption(adoption, user=UserFactory())
    with pytest.raises(ValidationError):
        actions.confirm_adoption(adoption, user=UserFactory())
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.REJECTED


def test_a_rejected_adoption_is_never_shown(client, innovation):
    adoption = create_adoption(innovation, organisation="Skräpbolaget AB")
    actions.reject_adoption(adoption, user=UserFactory())
    assert "Skräpbolaget" not in client.get(innovation.url).content.decode()


# ---- the admin ----------------------------------------------------------------------------------


@pytest.fixture
def moderator(db):
    user = UserFactory(username="moderator")
    user.groups.add(roles.ensure_groups()[roles.MODERATORS])
    return user


INDEX = "sluss_wagtail_adoption_modeladmin_index"


def test_a_moderator_confirms_through_the_admin_and_the_page_shows_it(
    client, innovation, moderator
):
    adoption = create_adoption(innovation)
    client.force_login(moderator)
    listing = client.get(reverse(INDEX))
    assert listing.status_code == 200
    assert "Alingsås kommun" in listing.content.decode()
    inspect = client.get(reverse("sluss_wagtail_adoption_modeladmin_inspect", args=[adoption.pk]))
    assert "kontakt@alingsas.invalid" in inspect.content.decode()
    response = client.post(
        reverse("sluss_wagtail_adoption_modeladmin_confirm", args=[adoption.pk]),
        {"note": "Kontrollerad"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kontrollerad" not in html  # the note stays in the admin's record
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.CONFIRMED
    client.logout()
    page = client.get(innovation.url).content.decode()
    assert "Alingsås kommun" in page
    assert "kontakt@alingsas.invalid" not in page


def test_the_admin_says_when_the_stage_is_left(client, innovation, moderator):
    idea = innovation.idea
    idea.stage = process.CLOSED
    idea.save()
    adoption = create_adoption(innovation)
    client.force_login(moderator)
    response = client.post(
        reverse("sluss_wagtail_adoption_modeladmin_confirm", args=[adoption.pk]), follow=True
    )
    assert "Avslutad" in response.content.decode()


def test_a_moderator_rejects_through_the_admin(client, innovation, moderator):
    adoption = create_adoption(innovation)
    client.force_login(moderator)
    client.post(reverse("sluss_wagtail_adoption_modeladmin_reject", args=[adoption.pk]))
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.REJECTED


def test_deciding_needs_the_permission_and_a_post(client, innovation, moderator):
    adoption = create_adoption(innovation)
    url = reverse("sluss_wagtail_adoption_modeladmin_confirm", args=[adoption.pk])
    reviewer = UserFactory(username="granskare")
    reviewer.groups.add(roles.ensure_groups()[roles.REVIEWERS])
    client.force_login(reviewer)
    assert client.post(url).status_code in (302, 403)
    assert client.get(reverse(INDEX)).status_code in (302, 403)
    client.force_login(moderator)
    assert client.get(url).status_code == 405
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.PENDING


def test_an_overlong_note_is_refused_with_a_message(client, innovation, moderator):
    adoption = create_adoption(innovation)
    client.force_login(moderator)
    response = client.post(
        reverse("sluss_wagtail_adoption_modeladmin_confirm", args=[adoption.pk]),
        {"note": "x" * 3000},
        follow=True,
    )
    assert response.status_code == 200
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.PENDING


def test_the_admin_listing_costs_the_same_for_2_and_60_adoptions(
    client, innovation, moderator, django_assert_num_queries
):
    for n in range(2):
        create_adoption(innovation, organisation=f"Enhet {n}")
    client.force_login(moderator)
    client.get(reverse(INDEX))
    with django_assert_num_queries(ADMIN_LISTING_QUERIES):
        client.get(reverse(INDEX))
    for n in range(2, 60):
        create_adoption(innovation, organisation=f"Enhet {n}")
    with django_assert_num_queries(ADMIN_LISTING_QUERIES):
        client.get(reverse(INDEX))


ADMIN_LISTING_QUERIES = 13


# ---- hostile input ------------------------------------------------------------------------------

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TEXT_FIELDS = ("organisation", "municipality", "adaptation")


def test_markup_in_every_field_is_text_on_the_page_in_the_admin_and_in_the_feed(
    post_adoption, client, innovation, moderator
):
    response = post_adoption(
        **{name: f"{XSS} {name}" for name in TEXT_FIELDS},
        contact_email="a@b.invalid",
    )
    assert response.status_code == 302
    adoption = Adoption.objects.get()
    assert adoption.organisation.startswith("<script>")
    actions.confirm_adoption(adoption, user=moderator)
    showcase = innovation.get_parent().specific
    pages = [
        client.get(innovation.url).content.decode(),
        client.get(showcase.url + showcase.reverse_subpage("atom_feed")).content.decode(),
    ]
    client.force_login(moderator)
    pages.append(client.get(reverse(INDEX)).content.decode())
    pages.append(
        client.get(
            reverse("sluss_wagtail_adoption_modeladmin_inspect", args=[adoption.pk])
        ).content.decode()
    )
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;" in pages[0]


def test_markup_comes_back_as_text_in_the_re_rendered_form(post_adoption):
    html = post_adoption(organisation="", municipality=XSS, adaptation=XSS).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("field", [*TEXT_FIELDS, "contact_email"])
def test_a_nul_byte_is_an_error_tied_to_its_field(post_adoption, field):
    response = post_adoption(**{field: "Alings\x00ås"})
    assert response.status_code == 200
    assert f'<a href="#id_{field}">' in response.content.decode()
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    ("field", "length"),
    [("organisation", 201), ("municipality", 101), ("adaptation", 5001), ("contact_email", 300)],
)
def test_an_overlong_value_is_a_clear_error_and_the_rest_is_kept(post_adoption, field, length):
    response = post_adoption(**{field: "a" * length})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_{field}">' in html
    assert "Hemtjänsten Norr" in html or field == "organisation"
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("since", ["2026-02-30", "igår", "2026-3-1x", "9" * 50, "\x00"])
def test_a_bad_date_is_an_error(post_adoption, since):
    response = post_adoption(since=since)
    assert response.status_code == 200
    assert '<a href="#id_since">' in response.content.decode()
    assert not Adoption.objects.exists()


def test_a_post_without_a_csrf_token_is_refused(innovation):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    html = client.get(adopt_url(innovation)).content.decode()
    data = valid_adoption_data(form_token=form_token(html))
    assert client.post(adopt_url(innovation), data).status_code == 403
    assert not Adoption.objects.exists()


def test_an_adoption_of_a_draft_innovation_is_impossible(client, innovation):
    innovation.unpublish()
    assert client.get(adopt_url(innovation)).status_code == 404


def test_the_listing_filters_only_by_its_own_filters(client, innovation, moderator):
    create_adoption(innovation)
    client.force_login(moderator)
    probe = {"innovation__idea__contact__email__startswith": "a"}
    response = client.get(reverse(INDEX), probe)
    assert response.status_code == 302
    assert response["Location"] == reverse(INDEX)
    assert client.get(reverse(INDEX), {"status__exact": "pending"}).status_code == 200


def test_the_confirmation_costs_the_same_whatever_the_adoptions(
    post_adoption, client, innovation, django_assert_num_queries
):
    post_adoption()
    url = innovation.url + innovation.reverse_subpage("adoption_confirmation")
    client.get(url)
    with django_assert_num_queries(CONFIRMATION_QUERIES):
        assert client.get(url).status_code == 200
    for n in range(30):
        create_adoption(innovation, organisation=f"Enhet {n}", status=AdoptionStatus.CONFIRMED)
    with django_assert_num_queries(CONFIRMATION_QUERIES):
        assert client.get(url).status_code == 200


# Routing asks whether the innovation's idea is confidential (one query). No session is
# read: the adoption is found through its signed cookie (``sluss_wagtail.confirmation``).
CONFIRMATION_QUERIES = 12


def test_a_private_innovations_form_needs_a_login(client, innovation):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=innovation, restriction_type=PageViewRestriction.LOGIN)
    for response in (
        client.get(adopt_url(innovation)),
        client.post(adopt_url(innovation), valid_adoption_data()),
    ):
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert not Adoption.objects.exists()


def test_a_site_chooses_the_adoption_templates_through_their_get_methods(
    monkeypatch, client, post_adoption, innovation
):
    """``get_adoption_template()`` and ``get_adoption_confirmation_template()`` are what the
    views render (the ``*_template`` attributes are their defaults)."""
    page_class = type(innovation)
    monkeypatch.setattr(
        page_class, "get_adoption_template", lambda self, request: "sluss_test_base.html"
    )
    monkeypatch.setattr(
        page_class,
        "get_adoption_confirmation_template",
        lambda self, request: "sluss_test_base.html",
    )
    form = client.get(adopt_url(innovation))
    assert [t.name for t in form.templates][0] == "sluss_test_base.html"
    assert page_class.adoption_template not in [t.name for t in form.templates]
    monkeypatch.undo()  # the form's own template, to send it
    sent = post_adoption()
    monkeypatch.setattr(
        page_class,
        "get_adoption_confirmation_template",
        lambda self, request: "sluss_test_base.html",
    )
    confirmation = client.get(sent["Location"])
    names = [t.name for t in confirmation.templates]
    assert names[0] == "sluss_test_base.html"
    assert page_class.adoption_confirmation_template not in names
