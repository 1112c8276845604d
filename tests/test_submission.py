"""The public idea form, from opening it to the confirmation and the receipt."""

import re

import pytest
from django.core import mail

from sluss_wagtail import process
from sluss_wagtail.models import Idea, IdeaEvent
from tests.conftest import form_token, valid_idea_data
from tests.factories import OrganisationUnitFactory

pytestmark = pytest.mark.django_db


def test_a_resident_submits_an_idea_and_gets_a_reference(
    client, post_idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea()
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert response["Location"].endswith("/confirmation/")
    assert idea.stage == process.RECEIVED
    assert idea.reference.startswith("IDE-")
    assert idea.contact.email == "karin@exempelby.invalid"
    assert idea.publish_idea is True and idea.publish_name is False
    assert list(idea.events.values_list("kind", "to_stage")) == [
        (IdeaEvent.Kind.SUBMITTED, process.RECEIVED)
    ]
    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert idea.reference in html
    assert idea.get_status_url() in html
    assert 'class="sluss-receipt-sent"' in html
    assert len(mail.outbox) == 1


def test_the_secret_status_link_does_not_leak(client, post_idea):
    response = post_idea()
    confirmation = client.get(response["Location"])
    idea = Idea.objects.get()
    status = client.get(idea.get_status_url())
    for page in (confirmation, status):
        assert page["Referrer-Policy"] == "same-origin"
        assert "noindex" in page["X-Robots-Tag"]
        assert "no-store" in page["Cache-Control"]


def test_an_employee_may_name_their_unit(client, submission_page):
    unit = OrganisationUnitFactory(name="Hemtjänst Norr")
    OrganisationUnitFactory(name="Nedlagd enhet", is_active=False)
    html = client.get(submission_page.url).content.decode()
    assert "Hemtjänst Norr" in html
    assert "Nedlagd enhet" not in html
    data = valid_idea_data(form_token=form_token(html), submitter_kind="employee", unit=unit.pk)
    assert client.post(submission_page.url, data).status_code == 302
    assert Idea.objects.get().unit == unit


def test_without_units_the_form_does_not_ask_for_one(client, submission_page):
    assert 'name="unit"' not in client.get(submission_page.url).content.decode()


def test_a_name_is_published_only_with_its_idea(post_idea):
    post_idea(publish_idea="no", publish_name="yes")
    idea = Idea.objects.get()
    assert (idea.publish_idea, idea.publish_name) == (False, False)


def test_without_an_e_mail_the_confirmation_says_to_keep_the_link(
    client, post_idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_idea(email="")
    html = client.get(response["Location"]).content.decode()
    assert 'class="sluss-receipt-sent"' not in html
    assert Idea.objects.get().get_status_url() in html
    assert mail.outbox == []


def test_the_idea_remembers_the_language_it_was_sent_in(client, submission_page):
    english_url = "/en" + submission_page.url
    html = client.get(english_url).content.decode()
    response = client.post(english_url, valid_idea_data(form_token=form_token(html)))
    assert response["Location"].startswith("/en/")
    assert Idea.objects.get().language == "en"


def test_the_error_summary_links_to_each_field_and_keeps_what_was_typed(post_idea):
    response = post_idea(title="", submitter_kind="business", organisation="", need="Behovet")
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-sluss-error-summary" in html
    assert 'href="#id_title"' in html and 'href="#id_organisation"' in html
    assert 'aria-describedby="id_title-error"' in html
    assert 'aria-invalid="true"' in html
    assert ">Behovet</textarea>" in html
    assert 'value="business" checked' in html
    assert re.search(r"<title>(Fel|Error):", html)
    assert Idea.objects.count() == 0


def test_the_confirmation_is_carried_by_a_signed_cookie_not_a_session(
    client, post_idea, submission_page
):
    from django.conf import settings

    from sluss_wagtail.models.pages import CONFIRMATION_COOKIE

    response = post_idea()
    assert response.status_code == 302
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # a resident gets no session
    cookie = response.cookies[CONFIRMATION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == submission_page.url
    assert 0 < int(cookie["max-age"]) <= 30 * 60
    idea = Idea.objects.get()
    assert client.get(response["Location"]).context["idea"] == idea
    # A cookie changed by hand (another idea's token, unsigned) shows nothing.
    other = Idea.objects.create(
        reference="IDE-X-1", title="Annan", description="x", need="y", submitter_kind="resident"
    )
    client.cookies[CONFIRMATION_COOKIE] = other.status_token
    assert client.get(response["Location"]).status_code == 302
    client.cookies[CONFIRMATION_COOKIE] = cookie.value[:-1] + (
        "A" if cookie.value[-1] != "A" else "B"
    )
    assert client.get(response["Location"]).status_code == 302


def test_the_units_are_read_once_and_kept_when_the_form_comes_back(
    client, submission_page, django_assert_num_queries
):
    from sluss_wagtail.forms import IdeaForm

    unit = OrganisationUnitFactory(name="Hemtjänst Norr")
    form = IdeaForm(page=submission_page)
    with django_assert_num_queries(1):
        assert form.offers_units()
        choices = list(form.fields["unit"].choices)
    assert [str(label) for _value, label in choices][1:] == ["Hemtjänst Norr"]
    # Sent with an error elsewhere: the form is shown again with the unit still chosen.
    html = client.get(submission_page.url).content.decode()
    data = valid_idea_data(form_token=form_token(html), unit=unit.pk, title="")
    again = client.post(submission_page.url, data).content.decode()
    assert re.search(rf'<option value="{unit.pk}"[^>]*selected', again)


def test_the_receipts_links_need_no_query_for_the_default_sites_address(
    settings, submission_page, django_assert_num_queries
):
    from wagtail.models import Site

    from sluss_wagtail.models import SlussSettings

    settings.SLUSS_WAGTAIL_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = ""
    site = Site.objects.get(is_default_site=True)
    found = SlussSettings.for_site(site)
    with django_assert_num_queries(0):
        url = found.public_url("/status/abc/")
    assert url == site.root_url.rstrip("/") + "/status/abc/"


def test_a_submitted_idea_is_counted_as_a_fresh_count_finds_it(
    post_idea, django_capture_on_commit_callbacks
):
    from sluss_wagtail import stats

    with django_capture_on_commit_callbacks(execute=True):
        post_idea()
        post_idea(title="En idé till", email="")
    # Its first event skips the tallies' look at the idea's record (the idea was counted a
    # moment before, at that stage): the kept counts are what counting afresh finds.
    found = stats.recount(repair=False)
    assert not found.differences and not found.ideas_differing
    assert Idea.objects.count() == 2


def test_the_ideas_references_are_indexed_after_the_commit_not_under_the_counters_lock(
    post_idea, django_capture_on_commit_callbacks
):
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disconnect_reference_index_signal_handlers_for_model

    registered = ReferenceIndex.is_indexed(Idea)
    # The example site's inbox registers ideas for the index (wagtail-modeladmin); here
    # they are registered for this test alone.
    ReferenceIndex.register_model(Idea)
    try:
        _ideas_references_after_commit(post_idea, django_capture_on_commit_callbacks)
    finally:
        if not registered:
            ReferenceIndex.indexed_models.discard(Idea)
            ReferenceIndex.tracked_models.discard(Idea)
            disconnect_reference_index_signal_handlers_for_model(Idea)


def _ideas_references_after_commit(post_idea, django_capture_on_commit_callbacks):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    of_ideas = ReferenceIndex.objects.filter(content_type=ContentType.objects.get_for_model(Idea))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_idea()
    idea = Idea.objects.get()
    assert not of_ideas.filter(object_id=str(idea.pk)).exists()  # not in the transaction
    for callback in callbacks:
        callback()
    # Its page is used by it, as Wagtail's own save would have recorded.
    assert of_ideas.filter(object_id=str(idea.pk), to_object_id=str(idea.source_page_id)).exists()
