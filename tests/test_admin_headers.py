"""Every admin screen of the package has Wagtail's header with breadcrumbs, as Wagtail 8's
own views do: each page the package registers that answers with HTML, for a coordinator,
for a reviewer who also assesses (the world of ``test_deidentification``) and for the
superuser who sets up the sluices. modeladmin's own screens (units, adoptions, criteria,
sluices: listings, forms, deletions, pages, histories) have it too (``admin.modeladmin``).
"""

from pathlib import Path

import pytest
from django.urls import reverse

import sluss_wagtail
from sluss_wagtail.models import Sluice
from tests.factories import UserFactory
from tests.test_deidentification import World, admin_urls

pytestmark = pytest.mark.django_db

TEMPLATES = Path(sluss_wagtail.__file__).parent / "templates"
#: Wagtail's own breadcrumbs (``wagtailadmin/shared/breadcrumbs.html``).
BREADCRUMBS = 'data-controller="w-breadcrumbs"'
#: modeladmin's own screens, which every user above meets one of.
MODELADMIN_SCREENS = (
    "/admin/sluss_wagtail/organisationunit/",
    "/admin/sluss_wagtail/adoption/",
    "/admin/sluss_wagtail/criterion/",
    "/admin/sluss_wagtail/sluice/",
)


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    return World(django_capture_on_commit_callbacks)


def pages_of(client, urls):
    for url in dict.fromkeys(urls):
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            yield url, response.content.decode()


def user_of(world, who):
    if who == "superuser":
        return UserFactory(username="natverket", is_superuser=True)
    return getattr(world, who)


@pytest.mark.parametrize("who", ["coordinator", "reviewer", "superuser"])
def test_every_screen_has_wagtails_breadcrumbs(client, world, who):
    client.force_login(user_of(world, who))
    seen, without = [], []
    for url, html in pages_of(client, admin_urls(world)[1:]):  # not Wagtail's dashboard
        if 'class="sluss-receipt' in html or url.endswith("/results/"):
            continue  # the printable receipt (a sheet of paper); a report's results fragment
        seen.append(url)
        if BREADCRUMBS not in html:
            without.append(url)
    assert len(seen) >= (4 if who == "reviewer" else 15), seen
    assert without == []
    if who == "superuser":
        # Every kind of modeladmin screen was among them: listing, forms, page, history.
        for prefix in MODELADMIN_SCREENS:
            assert any(url.startswith(prefix) for url in seen), prefix
        for action in ("create", "edit", "delete", "inspect", "history"):
            assert any(f"/{action}/" in url for url in seen), action


def test_a_units_pages_lead_back_to_the_units(client, world):
    client.force_login(user_of(world, "superuser"))
    units = reverse("sluss_wagtail_organisationunit_modeladmin_index")
    edit = reverse("sluss_wagtail_organisationunit_modeladmin_edit", args=[world.unit.pk])
    for name in ("edit", "delete", "history"):
        url = reverse(f"sluss_wagtail_organisationunit_modeladmin_{name}", args=[world.unit.pk])
        html = client.get(url).content.decode()
        assert f'href="{units}"' in html[html.index(BREADCRUMBS) :], name
        assert world.unit.name in html, name
        if name != "edit":
            # The unit itself, linked to its form, before "Delete" or "History".
            assert f'href="{edit}"' in html[html.index(BREADCRUMBS) :], name
    html = client.get(units).content.decode()
    create = reverse("sluss_wagtail_organisationunit_modeladmin_create")
    # The add button beside the breadcrumbs, as Wagtail's listings have it.
    header = html[html.index(BREADCRUMBS) : html.index("</header>")]
    assert f'href="{create}"' in header


def test_a_sluice_that_may_go_has_its_deletion_under_the_header(client, world):
    # The default sluice is never deleted; another one is, after a page that asks.
    other = Sluice.objects.create(name="Alingsås")
    client.force_login(user_of(world, "superuser"))
    response = client.get(reverse("sluss_wagtail_sluice_modeladmin_delete", args=[other.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert BREADCRUMBS in html and "Alingsås" in html


def test_no_template_uses_wagtails_old_header():
    # The old header has no breadcrumbs. A workflow task's modal keeps its modal header.
    users = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "wagtailadmin/shared/header.html" in path.read_text(encoding="utf-8")
    )
    assert users == ["sluss_wagtail/admin/workflow_approve.html"]
