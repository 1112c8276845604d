"""Every admin screen of the package has Wagtail's header with breadcrumbs, as Wagtail 8's
own views do: each page the package registers that answers with HTML, for a coordinator
and for a reviewer who also assesses (the world of ``test_deidentification``)."""

from pathlib import Path

import pytest

import sluss_wagtail
from tests.test_deidentification import World, admin_urls

pytestmark = pytest.mark.django_db

TEMPLATES = Path(sluss_wagtail.__file__).parent / "templates"
#: Wagtail's own breadcrumbs (``wagtailadmin/shared/breadcrumbs.html``).
BREADCRUMBS = 'data-controller="w-breadcrumbs"'
#: Still on wagtail-modeladmin's own templates (its old header, no breadcrumbs): the
#: units', adoptions', criteria's and sluices' listings, forms and histories. Left of
#: issue 19; the list may only shrink.
MODELADMIN_DEFAULTS = (
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


@pytest.mark.parametrize("who", ["coordinator", "reviewer"])
def test_every_screen_has_wagtails_breadcrumbs(client, world, who):
    client.force_login(getattr(world, who))
    seen, without = [], []
    for url, html in pages_of(client, admin_urls(world)[1:]):  # not Wagtail's dashboard
        if 'class="sluss-receipt' in html or url.endswith("/results/"):
            continue  # the printable receipt (a sheet of paper); a report's results fragment
        seen.append(url)
        if BREADCRUMBS not in html:
            without.append(url)
    assert len(seen) >= (15 if who == "coordinator" else 4), seen
    left = [url for url in without if url.startswith(MODELADMIN_DEFAULTS)]
    assert [url for url in without if url not in left] == []
    # Each of the old screens is still there and still without: else shorten the list.
    assert {
        prefix for prefix in MODELADMIN_DEFAULTS if any(u.startswith(prefix) for u in left)
    } == ({prefix for prefix in MODELADMIN_DEFAULTS if any(u.startswith(prefix) for u in seen)})


def test_no_template_uses_wagtails_old_header():
    # The old header has no breadcrumbs. A workflow task's modal keeps its modal header.
    users = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "wagtailadmin/shared/header.html" in path.read_text(encoding="utf-8")
    )
    assert users == ["sluss_wagtail/admin/workflow_approve.html"]
