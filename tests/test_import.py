"""sluss_import: another installation's JSON feed becomes draft innovations here."""

import copy
import http.server
import json
import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sluss_wagtail import importing
from sluss_wagtail.models import AdoptionStatus
from sluss_wagtail.pages.models import InnovationPage
from tests.factories import create_adoption, create_innovation, create_showcase_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def showcases(db):
    ours = create_showcase_index(title="Genomförda innovationer", slug="genomforda")
    theirs = create_showcase_index(title="Andra kommuners innovationer", slug="andra")
    return ours, theirs


def exported(client, showcase):
    return client.get(showcase.url + showcase.reverse_subpage("json_feed")).content


def a_feed(**item_overrides):
    item = {
        "id": "urn:uuid:11111111-2222-3333-4444-555555555555",
        "url": "https://www.alingsas.invalid/innovationer/las/",
        "title": "Digitala lås",
        "summary": "Hemtjänsten öppnar med telefonen.",
        "content_text": "Hemtjänsten öppnar med telefonen.",
        "_sluss": {
            "id": "urn:uuid:11111111-2222-3333-4444-555555555555",
            "unit": "Hemtjänsten",
            "sdgs": [3],
            "tags": ["trygghet"],
            "status": "implemented",
            "origin": {"kind": "own", "name": None, "url": None},
            "pilots": [],
            "adoption_count": 0,
            "last_change": "2026-11-01T10:00:00+00:00",
        },
    }
    for key, value in item_overrides.items():
        if key.startswith("sluss_"):
            item["_sluss"][key[6:]] = value
        else:
            item[key] = value
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Genomförda innovationer",
        "_sluss": {"version": 1, "publisher": "Alingsås kommun"},
        "items": [item],
    }


def write(tmp_path, feed, name="feed.json"):
    path = tmp_path / name
    path.write_bytes(feed if isinstance(feed, bytes) else json.dumps(feed).encode())
    return str(path)


def run(source, into, *args):
    out = StringIO()
    call_command("sluss_import", source, "--into", str(into.pk), *args, stdout=out)
    return out.getvalue()


def drafts(index):
    return [
        page.get_latest_revision_as_object()
        for page in InnovationPage.objects.child_of(index).order_by("pk")
    ]


def test_the_round_trip_keeps_the_fields(client, showcases, tmp_path):
    ours, theirs = showcases
    original = create_innovation(
        ours,
        title="Digitala lås",
        sdgs=[3, 11],
        tags=["trygghet", "digitalt"],
        status="spread",
        pilots=[
            {
                "title": "Tio brukare",
                "outcome": "failed",
                "result": "Låsen frös.",
                "lessons": "Testa på vintern.",
            }
        ],
    )
    create_adoption(original, status=AdoptionStatus.CONFIRMED)
    source = write(tmp_path, exported(client, ours))
    output = run(source, theirs)
    assert "[1/1]" in output
    [copy_] = drafts(theirs)
    assert not copy_.live
    assert copy_.title == original.title
    assert copy_.summary == original.summary
    assert copy_.status == "spread"
    assert copy_.origin == "municipality"
    assert copy_.origin_name
    assert copy_.origin_url.endswith(original.url)
    assert copy_.source_id == f"urn:uuid:{original.translation_key}"
    assert sorted(goal.pk for goal in copy_.sdgs.all()) == [3, 11]
    assert sorted(copy_.tags.names()) == ["digitalt", "trygghet"]
    [pilot] = copy_.pilots.all()
    assert (pilot.title, pilot.outcome, pilot.result, pilot.lessons) == (
        "Tio brukare",
        "failed",
        "Låsen frös.",
        "Testa på vintern.",
    )


def test_a_second_run_updates_the_draft_and_never_duplicates(tmp_path, showcases):
    _ours, theirs = showcases
    run(write(tmp_path, a_feed()), theirs)
    output = run(write(tmp_path, a_feed(title="Digitala lås, version 2")), theirs)
    assert "[1/1]" in output
    [page] = drafts(theirs)
    assert page.title == "Digitala lås, version 2"
    assert InnovationPage.objects.child_of(theirs).count() == 1


def test_a_published_import_is_skipped(tmp_path, showcases):
    _ours, theirs = showcases
    run(write(tmp_path, a_feed()), theirs)
    page = InnovationPage.objects.child_of(theirs).get()
    page.save_revision().publish()
    run(write(tmp_path, a_feed(title="Ändrad")), theirs)
    page.refresh_from_db()
    assert page.title == "Digitala lås"


def test_a_dry_run_changes_nothing(tmp_path, showcases):
    _ours, theirs = showcases
    output = run(write(tmp_path, a_feed()), theirs, "--dry-run")
    assert "[1/1]" in output
    assert not InnovationPage.objects.child_of(theirs).exists()


def test_html_in_text_is_stored_as_text_and_escaped_on_the_page(tmp_path, client, showcases):
    _ours, theirs = showcases
    run(write(tmp_path, a_feed(title="<script>alert(1)</script>", summary="<b>fet</b>")), theirs)
    page = InnovationPage.objects.child_of(theirs).get()
    assert page.title == "<script>alert(1)</script>"
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;fet&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "feed",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": "x"}).encode(),
        json.dumps(a_feed(title=42)).encode(),
        json.dumps(a_feed(title="")).encode(),
        json.dumps(a_feed(title="x" * 300)).encode(),
        json.dumps(a_feed(summary="a\x00b")).encode(),
        json.dumps(a_feed(url="javascript:alert(1)")).encode(),
        json.dumps(a_feed(sluss_status="secret")).encode(),
        json.dumps(a_feed(sluss_sdgs=[99])).encode(),
        json.dumps(a_feed(sluss_sdgs="3")).encode(),
        json.dumps(a_feed(sluss_tags=[{"x": 1}])).encode(),
        json.dumps(a_feed(sluss_pilots=[{"title": "T", "starts_on": "igår"}])).encode(),
        b"[" * 100000 + b"]" * 100000,
    ],
)
def test_a_malformed_or_hostile_feed_is_refused_and_nothing_is_imported(tmp_path, showcases, feed):
    _ours, theirs = showcases
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, feed), theirs)
    assert str(error.value)
    assert not InnovationPage.objects.child_of(theirs).exists()


def test_one_bad_item_imports_nothing(tmp_path, showcases):
    _ours, theirs = showcases
    feed = a_feed()
    bad = copy.deepcopy(feed["items"][0])
    bad["_sluss"]["id"] = "urn:other"
    bad["_sluss"]["status"] = "nonsense"
    feed["items"].append(bad)
    with pytest.raises(CommandError, match="2"):
        run(write(tmp_path, feed), theirs)
    assert not InnovationPage.objects.child_of(theirs).exists()


def test_an_oversize_file_is_refused(tmp_path, showcases, settings):
    settings.SLUSS_WAGTAIL_IMPORT_MAX_BYTES = 2048
    data = json.dumps(a_feed()).encode() + b" " * 4096
    with pytest.raises(CommandError):
        run(write(tmp_path, data), showcases[1])


def test_an_unknown_showcase_is_a_clear_error(tmp_path, showcases):
    with pytest.raises(CommandError):
        call_command("sluss_import", write(tmp_path, a_feed()), "--into", "999999")


# ---- fetching -----------------------------------------------------------------------------------


class FeedServer:
    """A local HTTP server in a thread: ``body``, ``delay`` and ``redirect`` per test."""

    def __init__(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if server.delay:
                    time.sleep(server.delay)
                if server.redirect:
                    self.send_response(302)
                    self.send_header("Location", server.redirect)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/feed+json")
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self.body = b""
        self.delay = 0
        self.redirect = None
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed/json/"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    feed_server = FeedServer()
    yield feed_server
    feed_server.close()


def test_a_feed_is_fetched_from_a_server_when_private_addresses_are_allowed(
    server, showcases, settings
):
    settings.SLUSS_WAGTAIL_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    server.body = json.dumps(a_feed()).encode()
    run(server.url, showcases[1])
    assert InnovationPage.objects.child_of(showcases[1]).count() == 1


def test_loopback_is_refused_by_default(server, showcases):
    server.body = json.dumps(a_feed()).encode()
    with pytest.raises(CommandError, match="127.0.0.1"):
        run(server.url, showcases[1])
    assert not InnovationPage.objects.child_of(showcases[1]).exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/feed.json",
        "http://192.168.1.10/feed.json",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed.json",
        "http://[::ffff:127.0.0.1]/feed.json",
        "http://localhost/feed.json",
        "http://0.0.0.0/feed.json",
    ],
)
def test_private_link_local_and_loopback_addresses_are_refused(url):
    with pytest.raises(importing.FeedError):
        importing.fetch_url(url)


@pytest.mark.parametrize(
    "source", ["file:///etc/passwd", "ftp://example.invalid/feed.json", "gopher://x/"]
)
def test_other_schemes_are_refused(source, showcases):
    with pytest.raises(CommandError):
        run(source, showcases[1])


def test_a_redirect_to_a_private_address_is_refused(server, settings):
    settings.SLUSS_WAGTAIL_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    server.redirect = "file:///etc/passwd"
    with pytest.raises(importing.FeedError):
        importing.fetch_url(server.url)


def test_an_oversize_response_is_refused(server, settings):
    settings.SLUSS_WAGTAIL_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    settings.SLUSS_WAGTAIL_IMPORT_MAX_BYTES = 4096
    server.body = b" " * 100_000
    with pytest.raises(importing.FeedError, match="4096"):
        importing.fetch_url(server.url)


def test_a_slow_server_times_out(server, settings):
    settings.SLUSS_WAGTAIL_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    settings.SLUSS_WAGTAIL_IMPORT_TIMEOUT_SECONDS = 0.5
    server.delay = 2
    started = time.monotonic()
    with pytest.raises(importing.FeedError):
        importing.fetch_url(server.url)
    assert time.monotonic() - started < 2


# ---- the admin view -----------------------------------------------------------------------------


@pytest.fixture
def editor(showcases):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from tests.factories import UserFactory

    group = Group.objects.create(name="Redaktörer")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=showcases[1],
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="add_page"
        ),
    )
    user = UserFactory(username="redaktor")
    user.groups.add(group)
    return user


IMPORT_URL = "/admin/sluss_wagtail/import/"


def test_the_import_and_the_promote_action_offer_the_same_showcases(showcases, editor):
    """ "Showcases this user may add pages to" is one function (``permissions``), which the
    import and the promote action both ask."""
    from sluss_wagtail import permissions
    from sluss_wagtail.admin.forms import PromoteForm
    from sluss_wagtail.admin.importing import user_can_import
    from tests.factories import IdeaFactory, UserFactory

    assert list(permissions.showcases_for_user(editor)) == [showcases[1]]
    promote = PromoteForm(IdeaFactory(), editor)
    assert list(promote.fields["showcase"].queryset) == [showcases[1]]
    assert user_can_import(editor)
    assert not user_can_import(UserFactory(username="ingen"))


def test_the_admin_previews_then_imports(client, server, settings, showcases, editor):
    settings.SLUSS_WAGTAIL_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    server.body = json.dumps(a_feed(title="<b>Digitala lås</b>")).encode()
    client.force_login(editor)
    form = client.get(IMPORT_URL).content.decode()
    assert "Andra kommuners innovationer" in form
    assert "Genomförda innovationer" not in form  # no permission there
    data = {"source": server.url, "showcase": showcases[1].pk, "confirm": "preview"}
    preview = client.post(IMPORT_URL, data)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "&lt;b&gt;Digitala lås&lt;/b&gt;" in html
    assert not InnovationPage.objects.child_of(showcases[1]).exists()
    done = client.post(IMPORT_URL, {**data, "confirm": "import"})
    assert done.status_code == 302
    assert InnovationPage.objects.child_of(showcases[1]).count() == 1


def test_the_admin_refuses_a_showcase_without_permission_and_bad_sources(client, showcases, editor):
    client.force_login(editor)
    attempts = [
        ("https://x.invalid/", showcases[0].pk, "showcase"),
        ("file:///etc/passwd", showcases[1].pk, "source"),
        ("http://127.0.0.1/feed.json", showcases[1].pk, "source"),
        ("inte en adress", showcases[1].pk, "source"),
    ]
    for source, showcase, field in attempts:
        response = client.post(IMPORT_URL, {"source": source, "showcase": showcase})
        assert response.status_code == 200
        assert response.context["form"].errors[field]
    assert not InnovationPage.objects.exists()


def test_the_admin_view_needs_a_showcase_to_add_to(client, showcases):
    from tests.factories import create_admin_user

    client.force_login(create_admin_user())
    assert client.get(IMPORT_URL).status_code in (302, 403)


def test_control_characters_never_reach_the_terminal_or_the_page(tmp_path, showcases):
    _ours, theirs = showcases
    output = run(write(tmp_path, a_feed(title="Lås\x1b[2J\x9b31m\x7f i hemtjänsten")), theirs)
    assert "\x1b" not in output and "\x9b" not in output and "\x7f" not in output
    assert InnovationPage.objects.child_of(theirs).get().title == "Lås[2J31m i hemtjänsten"


def test_a_showcase_in_the_explorer_offers_the_import_to_those_who_may_add(
    client, showcases, editor
):
    ours, theirs = showcases
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_explore", args=[theirs.pk])).content.decode()
    url = f"{reverse('sluss_wagtail_import')}?showcase={theirs.pk}"
    assert f'href="{url}"' in html
    assert (
        url.split("?")[0]
        not in client.get(reverse("wagtailadmin_explore", args=[ours.pk])).content.decode()
    )
    form = client.get(url).context["form"]
    assert str(form["showcase"].value()) == str(theirs.pk)
