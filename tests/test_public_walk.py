"""A confidential idea's innovation appears on no public URL of the example site.

The walk starts where a visitor, a search engine and another municipality start (the
home page with the package's blocks, the sitemap, the feeds, the API, the site's
search, the showcase's filters, search and pages) and follows every link it finds on
the site. The innovation, planted with a title and a summary nobody else uses, is
first seen on the walk (so the walk can see it), then marked confidential: after that
it is on none of the pages, also after an editor tries to publish it again, and also
when its idea is marked behind Wagtail's back while the page stays live (the caches
still name it then).
"""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from sluss_wagtail import actions, process
from sluss_wagtail.models import Idea
from sluss_wagtail.pages.models import InnovationPage
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_challenge,
    create_challenge_index,
    create_coordinator,
    create_innovation,
    create_showcase_index,
    grant,
    innovation_edit_data,
)
from tests.worlds import world_per_module

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Zebrakodad nattpatrull"
SECRET_SUMMARY = "Kvarteret Ugglans skyddade adress delas med nattpatrullen."
SECRET_WORD = "Zebrakodad"
#: (The word alone comes back where a visitor searched for it: the search box, a feed's url.)
SECRETS = (SECRET_TITLE, SECRET_SUMMARY)
#: Ideas that are never public (not approved for the portfolio, no publishing consent,
#: withdrawn, erased): on no public URL at any time.
NEVER_TITLES = (
    "Ugglemossens ogodkända idé",
    "Ugglemossens samtyckeslösa idé",
    "Ugglemossens återtagna idé",
    "Ugglemossens raderade idé",
)

#: Never part of the public site (the admin, files, the idea giver's private links).
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/")
MAX_URLS = 400


class Site_:
    """The example site with the package's pages and blocks, one innovation from an idea."""

    def __init__(self):
        self.coordinator = grant(create_coordinator(), "sluss_wagtail.view_confidential_idea")
        self.unit = OrganisationUnitFactory(name="Trygghetsenheten")
        now = timezone.now()
        challenges = create_challenge_index()
        self.challenge = create_challenge(
            challenges, opens_at=now - timedelta(days=30), closes_at=now + timedelta(days=30)
        )
        self.showcase = create_showcase_index()
        # More than a page of innovations, so that the showcase has a second page.
        for n in range(13):
            create_innovation(
                self.showcase,
                title=f"Öppen innovation {n}",
                slug=f"oppen-{n}",
                sdgs=[11],
                tags=["trygghet"],
                unit=self.unit,
                revision=False,
            )
        self.idea = IdeaFactory(
            title=SECRET_TITLE,
            description=SECRET_SUMMARY,
            publish_idea=True,
            challenge=self.challenge,
        )
        process.move_idea(self.idea, process.IMPLEMENTED, user=self.coordinator)
        page = actions.promote_idea(self.idea, self.showcase, user=self.coordinator)
        page.summary = SECRET_SUMMARY
        page.unit = self.unit
        page.save_revision()
        page.sdgs.set([11])
        page.tags.set(["trygghet"])
        page.save_revision().publish()
        self.page = InnovationPage.objects.get(pk=page.pk)
        self.set_up_portfolio()
        self.set_up_home()

    def set_up_portfolio(self):
        """The public portfolio (portfolio): the planted idea approved for it, beside open
        ones, and ideas that are never public whatever is asked."""
        from sluss_wagtail import privacy
        from tests.factories import approve_for_portfolio, create_portfolio

        self.portfolio = create_portfolio()
        approve_for_portfolio(self.idea)
        for n in range(13):
            open_idea = IdeaFactory(title=f"Öppen idé {n}", unit=self.unit)
            approve_for_portfolio(open_idea)
        unapproved = IdeaFactory(title=NEVER_TITLES[0])
        no_consent = IdeaFactory(title=NEVER_TITLES[1], publish_idea=False)
        withdrawn = IdeaFactory(title=NEVER_TITLES[2])
        approve_for_portfolio(withdrawn)
        privacy.withdraw(withdrawn)
        erased = IdeaFactory(title=NEVER_TITLES[3])
        approve_for_portfolio(erased)
        privacy.erase_contact(erased)
        # Approved (behind the form's back, which refuses it): still never shown.
        from sluss_wagtail.models.portfolio import PortfolioEntry

        PortfolioEntry.objects.create(idea=no_consent, approved=True)
        self.never = [unapproved, no_consent, withdrawn, erased]

    def set_up_home(self):
        home = Site.objects.get(is_default_site=True).root_page.specific
        home.body = [
            ("showcase_highlights", {"heading": "Nyast", "max_count": 12}),
            # An editor chose the innovation by hand.
            ("showcase_highlights", {"heading": "Utvalt", "innovations": [self.page]}),
            ("showcase_highlights", {"heading": "Trygghet", "tag": "trygghet", "max_count": 12}),
            ("innovation_stats", {"heading": "Siffror", "period": "all_time"}),
            ("open_challenges", {"heading": "Utmaningar"}),
            ("challenge_teaser", {"challenge": self.challenge}),
        ]
        home.save_revision().publish()

    def start_urls(self):
        showcase = self.showcase.url
        feeds = [showcase + "feed/json/", showcase + "feed/atom/"]
        filters = [
            "",
            "?page=2",
            "?tag=trygghet",
            "?sdg=11",
            f"?unit={self.unit.pk}",
            "?status=implemented",
            "?origin=own",
            f"?q={SECRET_WORD}",
            "?q=nattpatrull",
        ]
        api = "/api/v2/pages/"
        portfolio = self.portfolio.url
        portfolio_urls = [
            portfolio + query
            for query in (
                "",
                "?page=2",
                f"?q={SECRET_WORD}",
                "?q=nattpatrull",
                f"?unit={self.unit.pk}",
                "?stage=implemented",
                "?stage=received",
                "?sdg=11",
            )
        ]
        portfolio_urls += [
            f"{portfolio}idea/{pk}/" for pk in Idea.objects.values_list("pk", flat=True)
        ]
        return [
            *portfolio_urls,
            "/",
            "/en/",
            "/sitemap.xml",
            f"/search/?query={SECRET_WORD}",
            "/search/?query=nattpatrull+adress",
            *[showcase + query for query in filters],
            *[feed + query for feed in feeds for query in ("", f"?q={SECRET_WORD}", "?sdg=11")],
            api,
            f"{api}?limit=20",
            f"{api}?offset=10",
            f"{api}?type=sluss_wagtail_pages.InnovationPage&fields=*&limit=20",
            f"{api}?search={SECRET_WORD}",
            f"{api}?search={SECRET_WORD}&type=sluss_wagtail_pages.InnovationPage",
            f"{api}?child_of={self.showcase.pk}&limit=20",
            f"{api}{self.page.pk}/",
            f"{api}find/?html_path={urlsplit(self.page.full_url).path}",
            *[f"{api}{pk}/" for pk in Page.objects.live().values_list("pk", flat=True)],
            self.page.url,
            self.page.url + self.page.reverse_subpage("adopt"),
            self.challenge.url,
        ]


# Built once for the module (tests/worlds.py): each test rolls back what it changes.
_site, world = world_per_module(Site_)


@pytest.fixture
def site(world):
    return world


def links(response):
    """The site's own addresses a page (or the sitemap, or a feed) links to."""
    text = response.content.decode()
    found = re.findall(r'(?:href|src)="([^"]+)"', text)
    found += re.findall(r"<loc>([^<]+)</loc>", text)
    found += re.findall(r'"(?:url|html_url|detail_url|home_page_url)": ?"([^"]+)"', text)
    for link in found:
        link = unescape(link)
        parts = urlsplit(urljoin(response.wsgi_request.build_absolute_uri(), link))
        if parts.hostname not in ("testserver", "www.exempelby.invalid", "localhost"):
            continue
        if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.startswith("/idesluss/"):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def walk(client, site):
    """Every public URL reachable from the start, with its response."""
    seen, queue, visited = set(), list(site.start_urls()), {}
    while queue and len(visited) < MAX_URLS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 301, 302, 404), (url, response.status_code)
        visited[url] = response
        if response.status_code == 200:
            queue.extend(link for link in links(response) if link not in seen)
    return visited


def secret_shown(visited):
    return sorted(
        url
        for url, response in visited.items()
        if any(secret in response.content.decode() for secret in SECRETS)
    )


def never_shown(visited):
    return sorted(
        url
        for url, response in visited.items()
        if any(title in response.content.decode() for title in NEVER_TITLES)
    )


def hinted(client, *titles):
    """What the idea form's similar-idea hint answers for ``titles`` (it is under the
    package's own URLs, which the walk skips, and answers POSTs)."""
    return "".join(
        client.post(reverse("sluss_wagtail:similar_ideas"), {"title": title}).content.decode()
        for title in titles
    )


def assert_nowhere(client, site):
    visited = walk(client, site)
    assert len(visited) > 40  # the walk did reach the site
    assert secret_shown(visited) == []
    assert never_shown(visited) == []
    assert client.get(f"{site.portfolio.url}idea/{site.idea.pk}/").status_code == 404
    assert SECRET_TITLE not in hinted(client, SECRET_TITLE, SECRET_SUMMARY)
    page_url = site.page.url or f"{site.showcase.url}{site.page.slug}/"
    assert client.get(page_url).status_code == 404
    assert client.get(page_url + "adopt/").status_code == 404
    assert client.get(f"/api/v2/pages/{site.page.pk}/").status_code == 404
    # The sitemap has addresses, not titles: the page's own is not there.
    assert site.page.slug not in visited["/sitemap.xml"].content.decode()
    return visited


def seen_while_public(client, site):
    """The walk before a change: it sees the innovation where it is listed (so the walk can
    see it), the ideas of the public portfolio, and never an idea that is not public."""
    visited = walk(client, site)
    shown = secret_shown(visited)
    for expected in (
        "/",
        site.page.url,
        # (Which page of the showcase lists it depends on the database: pages saved
        # without a publishing date sort first on PostgreSQL.)
        f"{site.showcase.url}?q={SECRET_WORD}",
        site.showcase.url + "feed/json/",
        f"/search/?query={SECRET_WORD}",
        f"/api/v2/pages/{site.page.pk}/",
        # The portfolio (portfolio) lists it and gives it a page of its own.
        f"{site.portfolio.url}?q={SECRET_WORD}",
        f"{site.portfolio.url}idea/{site.idea.pk}/",
    ):
        assert expected in shown
    assert never_shown(visited) == []
    # The open ideas are there: the walk reached the portfolio's pages.
    assert any("Öppen idé 12" in response.content.decode() for response in visited.values())
    return visited


def test_the_walk_sees_the_public_innovation_and_never_an_idea_that_is_not_public(client, site):
    visited = seen_while_public(client, site)
    assert site.page.slug in visited["/sitemap.xml"].content.decode()
    assert SECRET_TITLE in hinted(client, SECRET_TITLE)
    assert not set(site.never) & set(Idea.objects.public())
    for idea in site.never:
        assert client.get(f"{site.portfolio.url}idea/{idea.pk}/").status_code == 404
    assert not any(title in hinted(client, title) for title in NEVER_TITLES)


def test_an_idea_taken_out_of_the_portfolio_is_on_no_public_url(client, site):
    from sluss_wagtail.models.portfolio import PortfolioEntry

    seen_while_public(client, site)
    PortfolioEntry.objects.filter(idea=site.idea).update(approved=False)
    visited = walk(client, site)
    portfolio_pages = [url for url in visited if url.startswith(site.portfolio.url)]
    assert len(portfolio_pages) > 10
    assert [url for url in secret_shown(visited) if url.startswith(site.portfolio.url)] == []
    assert client.get(f"{site.portfolio.url}idea/{site.idea.pk}/").status_code == 404


def test_a_confidential_ideas_innovation_is_on_no_public_url(client, site):
    seen_while_public(client, site)  # the caches now hold the innovation
    actions.set_confidential(site.idea, True, user=site.coordinator)
    assert_nowhere(client, site)


def test_nor_after_an_editor_publishes_it_again(client, site):
    actions.set_confidential(site.idea, True, user=site.coordinator)
    editor = UserFactory(username="redaktor", is_superuser=True, is_staff=True)
    client.force_login(editor)
    page = InnovationPage.objects.get(pk=site.page.pk)
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.post(edit, innovation_edit_data(page, **{"action-publish": "1"}))
    bulk = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    client.post(f"{bulk}?id={page.pk}", {"include_descendants": ""})
    client.logout()
    assert not InnovationPage.objects.get(pk=page.pk).live
    assert_nowhere(client, site)


def test_nor_when_the_idea_is_marked_behind_wagtails_back(client, site):
    seen_while_public(client, site)  # the caches now hold the innovation
    Idea.objects.filter(pk=site.idea.pk).update(confidential=True)
    assert InnovationPage.objects.get(pk=site.page.pk).live  # still live, and cached
    assert_nowhere(client, site)
