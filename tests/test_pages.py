"""The idea submission page as a Wagtail page: where it lives, how it renders, who fills it in."""

import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from sluss_wagtail.models import Idea, SlussSettings
from sluss_wagtail.pages.models import IdeaSubmissionPage
from tests.conftest import form_token, valid_idea_data
from tests.factories import UserFactory, create_submission_page


class IdeaSubmissionPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = create_submission_page(intro="<p>Berätta om din idé!</p>")

    def test_editors_can_place_it_anywhere(self):
        self.assertCanCreateAt(HomePage, IdeaSubmissionPage)
        self.assertCanCreateAt(IdeaSubmissionPage, IdeaSubmissionPage)

    def test_it_is_routable_and_renderable(self):
        self.assertPageIsRoutable(self.page)
        self.assertPageIsRenderable(self.page)
        self.assertPageIsRoutable(self.page, "confirmation/")

    def test_the_form_shows_the_intro_and_the_privacy_notice(self):
        response = self.client.get(self.page.url)
        self.assertContains(response, "Berätta om din idé!")
        self.assertContains(response, 'id="sluss-privacy-title"')
        self.assertContains(response, "6.1 e")

    def test_an_editor_can_replace_the_privacy_notice(self):
        site_settings = SlussSettings.for_site(Site.objects.get(is_default_site=True))
        site_settings.privacy_notice = "<p>Kommunens egen text om personuppgifter.</p>"
        site_settings.save()
        response = self.client.get(self.page.url)
        self.assertContains(response, "Kommunens egen text om personuppgifter.")
        self.assertNotContains(response, "6.1 e")

    def test_the_example_sites_template_override_wins_and_keeps_the_package_template(self):
        response = self.client.get(self.page.url)
        self.assertContains(response, 'id="example-contact-title"')
        self.assertContains(response, 'name="title"')

    def test_the_confirmation_without_a_submission_goes_back_to_the_form(self):
        response = self.client.get(self.page.url + "confirmation/")
        self.assertRedirects(response, self.page.url)

    def test_the_page_extends_the_configured_base_template(self):
        with self.settings(SLUSS_WAGTAIL_BASE_TEMPLATE="sluss_test_base.html"):
            response = self.client.get(self.page.url)
        self.assertContains(response, "<p>a different base</p>", html=True)


@pytest.mark.django_db
def test_a_logged_in_employee_finds_name_and_e_mail_filled_in_and_the_idea_linked(
    client, submission_page
):
    user = UserFactory(username="anna", first_name="Anna", last_name="Berg", email="anna@kommun.se")
    client.force_login(user)
    response = client.get(submission_page.url)
    html = response.content.decode()
    assert 'value="Anna Berg"' in html
    assert 'value="anna@kommun.se"' in html
    data = valid_idea_data(
        form_token=form_token(html),
        name="Anna Berg",
        email="anna@kommun.se",
        submitter_kind="employee",
    )
    assert client.post(submission_page.url, data).status_code == 302
    idea = Idea.objects.get()
    assert idea.submitted_by == user
    assert idea.source_page.specific == submission_page


@pytest.mark.django_db
def test_the_english_form_is_under_en(client, submission_page):
    response = client.get("/en" + submission_page.url)
    assert response.status_code == 200
    assert "Give your idea a short title" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_pages_reach_the_page_tree_through_the_swappable_page_model():
    field = Idea._meta.get_field("source_page")
    assert field.related_model is Page


@pytest.mark.django_db
def test_the_language_switch_leads_to_the_same_page(client, submission_page):
    swedish_url = submission_page.url
    html = client.get(swedish_url).content.decode()
    assert f'href="/en{swedish_url}" lang="en" hreflang="en"' in html
    html = client.get("/en" + swedish_url).content.decode()
    assert f'href="{swedish_url}" lang="sv" hreflang="sv"' in html
