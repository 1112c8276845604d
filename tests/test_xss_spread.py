"""Every XSS vector of the corpus through spread: the adoption form ("we use this too"),
the open feeds, the API and the import.

Each vector goes through the real form (GET for the token, then POST) in every field a
person fills, and is shown as text on the confirmation, on the innovation page once
confirmed, on the idea giver's status page and e-mail (the idea spread, and to whom),
and in the admin's listing and inspect view. The feeds and the API carry an
innovation's editor-entered text as data: JSON with the exact string, Atom as
well-formed XML whose text a feed reader never runs. An imported feed full of vectors
becomes drafts whose edit view and preview show them as text.
"""

import html as html_lib
import json
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sluss_wagtail import actions, importing, process, roles
from sluss_wagtail.models import Adoption, AdoptionStatus
from sluss_wagtail.pages.models import InnovationPage
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
from tests.worlds import world_rolled_back
from tests.xss_vectors import (
    XSS_VECTORS,
    assert_no_live_vector,
    assert_shown_as_text,
    live_vectors,
)

# How stored text is escaped does not depend on the database engine (the vectors hold no
# character an engine stores differently: test_the_vectors_are_stored_alike_by_every_engine),
# so the PostgreSQL run leaves these out (`once`); what it stores differently (NUL bytes,
# search syntax) is in test_hostile_input and test_search_input, which run on both.
pytestmark = [pytest.mark.django_db, pytest.mark.once]

ATOM = "{http://www.w3.org/2005/Atom}"
TEXT_FIELDS = ("organisation", "municipality", "adaptation")
API_URL = "/api/v2/pages/"
INDEX = "sluss_wagtail_adoption_modeladmin_index"


@pytest.fixture
def showcase(db):
    return create_showcase_index()


@pytest.fixture
def innovation(showcase):
    unit = OrganisationUnitFactory(name="Hemtjänsten")
    idea = IdeaFactory(stage=process.IMPLEMENTED, unit=unit)
    return create_innovation(showcase, unit=unit, idea=idea)


@pytest.fixture
def moderator(db):
    user = UserFactory(username="moderator")
    user.groups.add(roles.ensure_groups()[roles.MODERATORS])
    return user


def adopt_url(page):
    return page.url + page.reverse_subpage("adopt")


def post_adoption(client, page, **overrides):
    """Open the form like a browser, then send it."""
    token = form_token(client.get(adopt_url(page)).content.decode())
    data = valid_adoption_data(form_token=token, **overrides)
    return client.post(adopt_url(page), data, follow=True)


def hostile_fields(vector):
    # Each field its own marker, so that each one is seen to be shown as text.
    return {name: f"{vector} {name}" for name in TEXT_FIELDS}


def atom_url(showcase):
    return showcase.url + showcase.reverse_subpage("atom_feed")


def json_url(showcase):
    return showcase.url + showcase.reverse_subpage("json_feed")


def read_api(client):
    """Every innovation in the API, page by page (it gives at most 20 at a time)."""
    items = []
    while True:
        response = client.get(
            API_URL,
            {
                "type": "sluss_wagtail_pages.InnovationPage",
                "fields": "*",
                "offset": len(items),
                "limit": 20,
            },
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        data = json.loads(response.content)
        items += data["items"]
        if not data["items"] or len(items) >= data["meta"]["total_count"]:
            return items


def read_feeds(client, showcase):
    """The JSON feed (parsed), the Atom feed (raw and parsed) and the API's items."""
    json_response = client.get(json_url(showcase))
    atom_response = client.get(atom_url(showcase))
    for response in (json_response, atom_response):
        assert response.status_code == 200
    assert json_response["Content-Type"].startswith("application/feed+json")
    raw_atom = atom_response.content.decode()
    return (
        json.loads(json_response.content),
        raw_atom,
        ElementTree.fromstring(atom_response.content),
        read_api(client),
    )


def assert_atom_text_is_inert(element):
    """The text of an Atom element, as a feed reader shows it: never live markup.

    ``type="html"`` (or xhtml) tells the reader to render the text as HTML, so then
    the text itself must pass; plain text (the default) is never rendered."""
    kind = element.get("type", "text")
    text = element.text or ""
    if kind != "text":
        assert_no_live_vector(text)
        return html_lib.unescape(text)
    return text


# ---- the adoption form, one vector at a time ---------------------------------------------------


class TestEveryVectorInTheAdoptionForm:
    """One innovation (of an implemented idea) and one moderator for every vector: built once
    for the class (``world_rolled_back``); each test's adoption, confirmation and move roll
    back with the test, so each vector starts from the same innovation, pending nothing."""

    @pytest.fixture(scope="class")
    @classmethod
    def world(cls, django_db_setup, django_db_blocker):
        def build():
            unit = OrganisationUnitFactory(name="Hemtjänsten")
            idea = IdeaFactory(stage=process.IMPLEMENTED, unit=unit)
            page = create_innovation(create_showcase_index(), unit=unit, idea=idea)
            user = UserFactory(username="moderator")
            user.groups.add(roles.ensure_groups()[roles.MODERATORS])
            return {"innovation": page.pk, "moderator": user.pk}

        yield from world_rolled_back(django_db_blocker, build)

    @pytest.fixture
    def innovation(self, world, db):
        return InnovationPage.objects.get(pk=world["innovation"])

    @pytest.fixture
    def moderator(self, world, db):
        return UserFactory._meta.model.objects.get(pk=world["moderator"])

    @pytest.mark.parametrize("vector", XSS_VECTORS)
    def test_every_vector_in_every_adoption_field_is_text_wherever_it_is_shown(
        self, client, innovation, moderator, vector, django_capture_on_commit_callbacks
    ):
        fields = hostile_fields(vector)
        response = post_adoption(client, innovation, **fields)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0].endswith("/adopt/confirmation/")
        adoption = Adoption.objects.get()
        for name, value in fields.items():
            assert getattr(adoption, name) == value, name  # stored exactly as typed

        # The confirmation names the organisation and the municipality.
        confirmation = response.content.decode()
        assert_shown_as_text(confirmation, fields["organisation"])
        assert_shown_as_text(confirmation, fields["municipality"])

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            actions.confirm_adoption(adoption, user=moderator)
        # The idea giver hears that the idea spread, and from whom: as text.
        [message] = mail.outbox
        assert fields["organisation"] in message.body  # plain text: as typed
        for alternative, _mimetype in message.alternatives:
            assert_shown_as_text(alternative, fields["organisation"])
            assert_shown_as_text(alternative, fields["municipality"])
        assert "\n" not in message.subject and "\r" not in message.subject

        # The idea giver reads who uses it now on the idea's status page.
        idea = innovation.idea
        idea.refresh_from_db()
        assert idea.stage == process.SPREAD
        status = client.get(idea.get_status_url()).content.decode()
        assert_shown_as_text(status, fields["organisation"])
        assert_shown_as_text(status, fields["municipality"])

        page = client.get(innovation.url).content.decode()
        for value in fields.values():
            assert_shown_as_text(page, value)
        assert "kontakt@alingsas.invalid" not in page

        client.force_login(moderator)
        listing = client.get(reverse(INDEX))
        assert listing.status_code == 200
        listing = listing.content.decode()
        assert_shown_as_text(listing, fields["organisation"])
        assert_shown_as_text(listing, fields["municipality"])
        inspect = client.get(
            reverse("sluss_wagtail_adoption_modeladmin_inspect", args=[adoption.pk])
        )
        assert inspect.status_code == 200
        inspect = inspect.content.decode()
        for value in fields.values():
            assert_shown_as_text(inspect, value)


def test_a_vector_as_e_mail_address_is_refused_and_shown_back_as_text(
    client, innovation, no_rate_limits
):
    url = adopt_url(innovation)
    token = form_token(client.get(url).content.decode())
    for vector in XSS_VECTORS:
        data = valid_adoption_data(form_token=token, contact_email=vector)
        response = client.post(url, data, follow=True)
        html = response.content.decode()
        if response.redirect_chain:
            # Accepted as an address: it is only ever shown in the admin (tested below).
            token = form_token(client.get(url).content.decode())  # a new opened form
            continue
        assert_no_live_vector(html)
        if vector.strip():
            assert escape(vector.strip()) in html, vector  # what was typed is kept, as text
        # The next address is typed into the form shown back, as a person corrects it.
        token = form_token(html)
    # None of these is an e-mail address.
    assert not Adoption.objects.exists()


def test_pending_and_confirmed_adoptions_with_every_vector_leave_the_feeds_and_api_inert(
    client, innovation, showcase, moderator
):
    # The feeds carry only the number of confirmed adoptions, never their text.
    for number, vector in enumerate(XSS_VECTORS):
        adoption = create_adoption(
            innovation, **hostile_fields(vector), contact_email=f"a{number}@b.invalid"
        )
        if number % 2:
            actions.confirm_adoption(adoption, user=moderator)
    confirmed = Adoption.objects.filter(status=AdoptionStatus.CONFIRMED).count()
    json_feed, raw_atom, atom, api = read_feeds(client, showcase)
    [item] = json_feed["items"]
    assert item["_sluss"]["adoption_count"] == confirmed
    [api_item] = api
    assert api_item["sluss"]["adoption_count"] == confirmed
    assert_no_live_vector(raw_atom)
    for entry in atom.iter(f"{ATOM}entry"):
        for element in entry:
            assert_atom_text_is_inert(element)
    text = json.dumps(json_feed) + raw_atom + json.dumps(api)
    for vector in XSS_VECTORS:
        assert f"{vector} organisation" not in text


# ---- editor-entered text in the feeds and the API -------------------------------------------


def test_every_vector_in_an_innovations_title_summary_and_tags_is_data_in_the_feeds_and_api(
    client, showcase, no_search_indexing
):
    pages = {}
    published = timezone.now()
    for number, vector in enumerate(XSS_VECTORS):
        page = create_innovation(
            showcase,
            title=vector,
            slug=f"innovation-{number}",
            summary=f"{vector} sammanfattning",
            tags=[f"tagg {number} {vector}"[:100]],
            pilots=[{"title": f"{vector} test", "lessons": f"{vector} lärdom"}],
            # Saved live and validated as a publish saves it, with its dates, without the
            # revision it would be published from: the feeds and the API read the page.
            revision=False,
            first_published_at=published,
            last_published_at=published,
        )
        pages[page.pk] = vector

    json_feed, raw_atom, atom, api = read_feeds(client, showcase)

    items = {item["title"]: item for item in json_feed["items"]}
    assert set(items) == set(XSS_VECTORS)  # exact strings, nothing lost or changed
    for vector, item in items.items():
        assert item["summary"] == item["content_text"] == f"{vector} sammanfattning"
        assert item["_sluss"]["pilots"][0]["title"] == f"{vector} test"
        assert item["_sluss"]["pilots"][0]["lessons"] == f"{vector} lärdom"
        assert any(tag.endswith(vector[:80]) for tag in item["tags"]) or len(vector) > 80

    # Atom: well-formed (parsed above), no live markup in the XML itself, and what a
    # reader shows of each entry is the editor's text, never markup it renders.
    assert_no_live_vector(raw_atom)
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == len(XSS_VECTORS)
    titles = set()
    for entry in entries:
        title = assert_atom_text_is_inert(entry.find(f"{ATOM}title"))
        summary = assert_atom_text_is_inert(entry.find(f"{ATOM}summary"))
        assert summary == f"{title} sammanfattning"
        titles.add(title)
        for category in entry.findall(f"{ATOM}category"):
            assert category.get("term").startswith("tagg ")
    assert titles == set(XSS_VECTORS)

    api_items = {item["id"]: item for item in api}
    assert set(api_items) == set(pages)
    for pk, vector in pages.items():
        assert api_items[pk]["title"] == vector
        assert api_items[pk]["summary"] == f"{vector} sammanfattning"
        assert api_items[pk]["sluss"]["pilots"][0]["lessons"] == f"{vector} lärdom"


# ---- the import --------------------------------------------------------------------------------


#: Two vectors to an imported innovation: every vector in every field, half the pages.
IMPORT_TEXTS = [" ".join(XSS_VECTORS[n : n + 2]) for n in range(0, len(XSS_VECTORS), 2)]


def hostile_feed():
    items = []
    for number, vector in enumerate(IMPORT_TEXTS):
        source_id = f"urn:uuid:00000000-0000-0000-0000-{number:012d}"
        items.append(
            {
                "id": source_id,
                "url": f"https://www.alingsas.invalid/innovationer/{number}/",
                "title": vector,
                "summary": f"{vector} sammanfattning",
                "_sluss": {
                    "id": source_id,
                    "status": "implemented",
                    "sdgs": [3],
                    "tags": [f"tagg {number} {vector}"[:100]],
                    "pilots": [
                        {
                            "title": f"{vector} test",
                            "outcome": "failed",
                            "result": f"{vector} resultat",
                            "lessons": f"{vector} lärdom",
                        }
                    ],
                },
            }
        )
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Andra kommuner",
        "_sluss": {"version": 1, "publisher": "Alingsås <script>alert(1)</script> kommun"},
        "items": items,
    }


def test_an_imported_feed_full_of_vectors_is_text_in_the_drafts_edit_view_and_preview(
    client, showcase, tmp_path, no_search_indexing
):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(hostile_feed()), encoding="utf-8")
    feed = importing.parse_feed(importing.read_source(str(path)))
    importing.run_import(feed, showcase)

    drafts = list(InnovationPage.objects.child_of(showcase).order_by("pk"))
    assert len(drafts) == len(IMPORT_TEXTS)
    assert not any(page.live for page in drafts)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    # Wagtail's edit view has its own preview <iframe>: what a vector adds is compared
    # with the edit view of a harmless draft.
    harmless = create_innovation(showcase, slug="harmless", publish=False)
    baseline = live_vectors(
        client.get(reverse("wagtailadmin_pages:edit", args=[harmless.pk])).content.decode()
    )
    for page, vector in zip(drafts, IMPORT_TEXTS, strict=True):
        assert page.title == vector
        assert page.origin_name == "Alingsås <script>alert(1)</script> kommun"
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert edit.status_code == 200
        edit = edit.content.decode()
        assert live_vectors(edit) == baseline, vector
        for text in (vector, f"{vector} sammanfattning", f"{vector} lärdom", page.origin_name):
            assert escape(text) in edit, text
            if escape(text) != text:
                assert text not in edit, text
        revision = page.latest_revision
        preview = client.get(
            reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk])
        )
        assert preview.status_code == 200
        preview = preview.content.decode()
        for text in (vector, f"{vector} sammanfattning"):
            assert_shown_as_text(preview, text)
