"""Every public page and every admin view runs a fixed number of queries, whatever the data.

``BUDGETS`` is the one table: a row names a view, arranges its data at a size and
says how many queries the request may run. Each row is checked twice, at a small
and at a large size (``SIZES``), against the same number: a view whose count grows
with the data fails at the large size. The numbers are the same on SQLite and on
PostgreSQL; a change in one is a change in the cost of every page view.

Adding a row (for a new page or admin view):

1. Write ``arrange_<view>(size)``. It builds what the view shows, with ``size``
   driving everything that could grow (ideas, events, pages, tags, pilots …), and
   returns a ``Visit``: the URL, the logged-in user, the method and data.
   Use the factories: ``create_ideas_in_bulk`` and ``create_innovations_in_bulk``
   build hundreds of rows in a few queries.
2. Add ``Budget("<name>", <queries>, arrange_<view>)`` to ``BUDGETS``, with a
   comment that says what the queries are.
3. Run ``pytest tests/test_query_budgets.py -k <name>``: a wrong number fails with
   the list of queries run, so the budget is read off the first run; a number
   that differs between the two sizes is an N+1 to fix, not a budget to raise.

Before the counted request the view is visited once (``Visit.warm_up``) so that
Wagtail's per-process caches (the site's root paths, the content types) are warm,
as they are on a running site. The cache is empty at the start of every row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sluss_wagtail import process
from sluss_wagtail.caching import IDEAS
from sluss_wagtail.links import idea_admin_path, inbox_path
from sluss_wagtail.models import Idea, Pilot
from sluss_wagtail.pages.models import InnovationPage
from tests.conftest import form_token, valid_idea_data
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_admin_user,
    create_adoption,
    create_challenge,
    create_challenge_index,
    create_coordinator,
    create_ideas_in_bulk,
    create_innovation,
    create_innovations_in_bulk,
    create_public_idea,
    create_reviewed_unit,
    create_reviewer,
    create_showcase_index,
    create_submission_page,
    grant,
    index_in_bulk,
    valid_adoption_data,
)

pytestmark = pytest.mark.django_db

#: Every row runs at both sizes; ``size`` scales what each view could be slowed by.
SIZES = (2, 40)


@dataclass
class Visit:
    """The request a row counts."""

    url: str
    method: str = "get"
    #: The form data, or a callable that makes it from the warm-up response (a form token).
    data: dict | Callable | None = None
    user: object = None
    status: int = 200
    #: GET this URL once before counting (None: the counted URL itself, for a GET).
    warm_up: str | None = None
    #: Also count what runs after the transaction commits (e-mails, hooks).
    on_commit: bool = False
    #: Called with the response and the size, to check the page showed what it should.
    check: Callable | None = None
    #: Called with the client before the warm-up (e.g. to send a form first).
    prepare: Callable | None = None
    #: The request reads only a page of ideas: every query on the ideas' table is a
    #: count, has a LIMIT or looks up given ideas. (A listing that takes len() of its
    #: queryset runs as many queries as one that counts, but reads every row.)
    bounded: bool = False
    #: Empty the cache after the warm-up: count what a request costs when the cache
    #: has just been invalidated (a publish, a move).
    cold: bool = False
    #: Start a new generation of ``caching.IDEAS`` after the warm-up, as every change of
    #: an idea does: count what the first request after a change costs.
    ideas_changed: bool = False


@dataclass(frozen=True)
class Budget:
    name: str
    queries: int
    arrange: Callable[[int], Visit] = field(repr=False)


# Shared set-ups ---------------------------------------------------------------------------


def coordinator():
    return create_coordinator(username="koordinator")


def units(size):
    """``size`` units with reviewer groups; the first is returned."""
    first = create_reviewed_unit("Parkenheten")
    for n in range(size - 1):
        create_reviewed_unit(f"Enhet {n}")
    return first


def ideas_with_everything(size, **fields):
    """``10 * size`` ideas across stages, units, challenges, tags and goals."""
    unit = units(size)
    stages = [process.RECEIVED, process.SCREENING, process.DEVELOPMENT, process.PILOT]
    ideas = []
    for n, stage in enumerate(stages):
        ideas += create_ideas_in_bulk(
            10 * size // len(stages), stage=stage, unit=unit if n % 2 else None, **fields
        )
    tagged = Idea.tags.through
    from taggit.models import Tag

    tags = [Tag.objects.get_or_create(name=f"tagg {n}")[0] for n in range(size)]
    tagged.objects.bulk_create(
        tagged(content_object=idea, tag=tags[n % len(tags)]) for n, idea in enumerate(ideas)
    )
    Idea.sdgs.through.objects.bulk_create(
        Idea.sdgs.through(idea=idea, sustainabledevelopmentgoal_id=n % 17 + 1)
        for n, idea in enumerate(ideas)
    )
    return ideas


def idea_with_history(size, user):
    """An idea with ``size`` events, made by different people, each with feedback."""
    idea = IdeaFactory()
    stages = iter(
        [process.SCREENING, process.DEVELOPMENT, process.PILOT, process.EVALUATION]
        + [process.PILOT, process.EVALUATION] * size
    )
    for n in range(size - 1):
        by = user if n % 2 else UserFactory()
        process.move_idea(idea, next(stages), user=by, public_note=f"Återkoppling {n}")
    return idea


INBOX_URL = inbox_path()


def action_url(idea, action):
    return idea_admin_path(idea, action)


def listed(count):
    """A check that the listing page shows ``count(size)`` rows."""

    def check(response, size):
        assert len(response.context["object_list"]) == count(size)

    return check


def cards(count):
    def check(response, size):
        assert response.content.decode().count('class="sluss-card"') == count(size)

    return check


# Public pages ------------------------------------------------------------------------------


def arrange_submission_page(size):
    return Visit(create_submission_page().url)


def arrange_submission_page_with_units(size):
    OrganisationUnitFactory.create_batch(size)
    return Visit(create_submission_page().url, check=_one_unit_list)


def _one_unit_list(response, size):
    assert response.content.decode().count('class="sluss-select"') == 1


def arrange_submission_post(size, on_commit=False):
    create_ideas_in_bulk(size)
    IdeaFactory()  # the year's reference counter exists, as on any day but the first
    page = create_submission_page()

    def data(warm_up):
        return valid_idea_data(form_token=form_token(warm_up.content.decode()))

    before = Idea.objects.count()

    def check(response, size):
        assert Idea.objects.count() == before + 1
        if on_commit:
            assert len(mail.outbox) == 1  # the receipt; no coordinators' addresses are set

    return Visit(
        page.url,
        method="post",
        data=data,
        status=302,
        warm_up=page.url,
        on_commit=on_commit,
        check=check,
    )


def arrange_confirmation(size):
    create_ideas_in_bulk(size)
    page = create_submission_page()

    def send_an_idea(client):
        html = client.get(page.url).content.decode()
        client.post(page.url, valid_idea_data(form_token=form_token(html)))

    def check(response, size):
        assert "IDE-" in response.content.decode()

    return Visit(page.url + "confirmation/", prepare=send_an_idea, check=check)


def feedback_notes(response, size):
    assert response.content.decode().count('class="sluss-timeline__note"') == size - 1


def arrange_status_page(size):
    idea = idea_with_history(size, coordinator())
    return Visit(idea.get_status_url(), check=feedback_notes)


def arrange_status_page_of_a_duplicate(size):
    original = idea_with_history(size, coordinator())
    duplicate = IdeaFactory()
    Idea.objects.filter(pk=duplicate.pk).update(duplicate_of=original)
    return Visit(duplicate.get_status_url(), check=feedback_notes)


def arrange_challenge_index(size):
    index = create_challenge_index()
    now = timezone.now()
    for n in range(size):
        # Open, closed and upcoming ones mixed.
        opens_at = now + timedelta(days=3) if n % 4 == 0 else now - timedelta(days=n % 5 + 1)
        create_challenge(
            index,
            title=f"Utmaning {n}",
            opens_at=opens_at,
            closes_at=opens_at + timedelta(days=1 + n % 9),
        )
    return Visit(index.url)


def arrange_challenge_page(size, closed=False):
    index = create_challenge_index()
    now = timezone.now()
    opens_at = now - timedelta(days=30)
    closes_at = now - timedelta(days=1) if closed else now + timedelta(days=9)
    challenge = create_challenge(index, opens_at=opens_at, closes_at=closes_at)
    create_ideas_in_bulk(10 * size, challenge=challenge, stage=process.PILOT, publish_idea=True)
    return Visit(challenge.url)


def arrange_showcase(size, query="", cold=False):
    showcase = create_showcase_index()
    OrganisationUnitFactory.create_batch(size)
    create_innovations_in_bulk(
        showcase, 10 * size, tags=[(2, "digitalt"), (3, "skola")], sdgs=[(1, 3), (2, 11)]
    )
    if "q=" in query:
        index_in_bulk(InnovationPage)
    return Visit(showcase.url + query, check=None if query else cards(lambda size: 12), cold=cold)


def arrange_innovation_page(size):
    showcase = create_showcase_index()
    unit = OrganisationUnitFactory()
    page = create_innovation(
        showcase,
        title="Digitala lås",
        pilots=[{"title": f"Test {n}", "outcome": "successful"} for n in range(size)],
        sdgs=list(range(1, min(size, 17) + 1)),
        tags=[f"tagg {n}" for n in range(size)],
        unit=unit,
        contact_unit=unit,
    )
    for n in range(size):
        create_adoption(page, organisation=f"Enhet {n}", status="confirmed")

    def check(response, size):
        assert response.context["adoption_count"] == size

    return Visit(page.url, check=check)


def arrange_adoption_form(size):
    page = create_innovation(create_showcase_index(), title="Digitala lås")
    for n in range(size):
        create_adoption(page, organisation=f"Enhet {n}", status="confirmed")
    return Visit(page.url + page.reverse_subpage("adopt"))


def arrange_adoption_post(size):
    visit = arrange_adoption_form(size)

    def data(response):
        return valid_adoption_data(form_token=form_token(response.content.decode()))

    return Visit(visit.url, method="post", data=data, status=302, warm_up=visit.url)


def arrange_feed(size, route):
    showcase = create_showcase_index()
    OrganisationUnitFactory.create_batch(size)
    create_innovations_in_bulk(
        showcase, 10 * size, tags=[(2, "digitalt"), (3, "skola")], sdgs=[(1, 3), (2, 11)]
    )
    return Visit(showcase.url + showcase.reverse_subpage(route))


def arrange_status_step(size, url_name):
    idea = idea_with_history(size, coordinator())
    return Visit(reverse(f"sluss_wagtail:{url_name}", args=[idea.status_token]))


# The admin ---------------------------------------------------------------------------------


def arrange_inbox(size, query="", ideas_changed=False):
    ideas_with_everything(size)
    return Visit(
        INBOX_URL + query,
        user=coordinator(),
        check=listed(lambda size: min(10 * size, 50)) if not query else None,
        bounded=True,
        ideas_changed=ideas_changed,
    )


def arrange_reviewers_inbox(size):
    unit = units(size)
    create_ideas_in_bulk(10 * size, unit=unit)
    create_ideas_in_bulk(3)
    reviewer = create_reviewer(unit, username="granskare")
    return Visit(
        INBOX_URL, user=reviewer, check=listed(lambda size: min(10 * size, 50)), bounded=True
    )


def arrange_inbox_filtered(size):
    ideas_with_everything(size)
    unit_pk = Idea.objects.filter(unit__isnull=False).values_list("unit", flat=True).first()
    query = f"?stage__exact=development&unit__id__exact={unit_pk}&tag=tagg-0&sdg=3"
    return Visit(INBOX_URL + query, user=coordinator(), bounded=True)


BOARD_URL = inbox_path("board")


def arrange_board(size, query=""):
    """The board: more ideas per stage at the large size than a column shows."""
    user = coordinator()
    for stage in (process.RECEIVED, process.SCREENING, process.DEVELOPMENT):
        create_ideas_in_bulk(10 * size, stage=stage)

    def check(response, size):
        shown = sum(len(column["ideas"]) for column in response.context["columns"])
        per_column = response.context["view"].cards_per_column
        assert shown == 3 * min(10 * size, per_column)
        assert response.content.decode().count('class="sluss-admin-card"') == shown

    return Visit(BOARD_URL + query, user=user, check=None if query else check, bounded=True)


def arrange_export(size, export_format):
    ideas_with_everything(size)
    return Visit(f"{INBOX_URL}?export={export_format}", user=coordinator(), warm_up=INBOX_URL)


def arrange_inspect(size):
    user = coordinator()
    idea = idea_with_history(size, user)

    def check(response, size):
        assert len(response.context["events"]) == size
        assert response.content.decode().count("sluss-admin-timeline__event") == size

    return Visit(idea_admin_path(idea), user=user, check=check)


def arrange_adoptions_listing(size):
    page = create_innovation(create_showcase_index(), title="Digitala lås")
    for n in range(10 * size):
        create_adoption(page, organisation=f"Enhet {n}")
    moderator = create_admin_user(
        "wagtailadmin.access_admin",
        "sluss_wagtail.view_adoption",
        "sluss_wagtail.change_adoption",
        username="moderator",
    )
    return Visit(reverse("sluss_wagtail_adoption_modeladmin_index"), user=moderator)


def arrange_dashboard(size, ideas_changed=False):
    ideas_with_everything(size)
    return Visit(reverse("wagtailadmin_home"), user=coordinator(), ideas_changed=ideas_changed)


def arrange_report(size, query, ideas_changed=False):
    ideas_with_everything(size)
    url = reverse("sluss_wagtail_innovation_report")
    return Visit(url + query, user=coordinator(), warm_up=url, ideas_changed=ideas_changed)


def arrange_register(size):
    ideas_with_everything(size)
    return Visit(reverse("sluss_wagtail_register_export"), user=coordinator())


def arrange_personal_data(size):
    for _ in range(size):
        IdeaFactory(contact={"name": "Anna", "email": "anna@exempelby.invalid"})
    url = reverse("sluss_wagtail_personal_data")
    user = create_admin_user(
        "wagtailadmin.access_admin",
        "sluss_wagtail.view_all_ideas",
        "sluss_wagtail.view_ideacontact",
        username="dataskydd",
    )
    # The address goes by POST only (never in a URL, so never in an access log).
    data = {"email": "anna@exempelby.invalid", "action": "find"}
    return Visit(url, method="post", data=data, user=user, warm_up=url)


def arrange_action(size, action, data):
    # As the coordinators' role: they may see (and so mark) confidential ideas.
    user = grant(coordinator(), "sluss_wagtail.view_confidential_idea")
    idea = idea_with_history(size, user)
    create_ideas_in_bulk(size)
    OrganisationUnitFactory.create_batch(size)
    values = data(idea) if callable(data) else data
    return Visit(
        action_url(idea, action),
        method="post",
        data={f"{action}-{name}": value for name, value in values.items()},
        user=user,
        status=302,
        warm_up=idea_admin_path(idea),
    )


def arrange_action_form(size, action):
    user = coordinator()
    idea = idea_with_history(size, user)
    create_ideas_in_bulk(size)

    def check(response, size):
        assert response.context["form"].prefix == action

    return Visit(action_url(idea, action), user=user, check=check)


def arrange_pilot_action(size, action, data):
    """An action on an idea in the pilot stage with a small-scale test recorded."""
    user = coordinator()
    idea = idea_with_history(4, user)  # screening, development, pilot
    assert idea.stage == process.PILOT
    unit = OrganisationUnitFactory()
    for n in range(size):
        pilot = Pilot.objects.create(
            idea=idea,
            title=f"Test {n}",
            hypothesis="Fler vilar.",
            success_criteria="Fler går varvet.",
            result="Det fungerade." if action == "decide_pilot" else "",
            outcome="successful" if action == "decide_pilot" else "",
        )
        pilot.units.set([unit])
    values = data(pilot)
    return Visit(
        action_url(idea, action),
        method="post",
        data={f"{action}-{name}": value for name, value in values.items()},
        user=user,
        status=302,
        warm_up=idea_admin_path(idea),
    )


def arrange_unit_listing(size):
    for n in range(size):
        unit = OrganisationUnitFactory(name=f"Enhet {n}")
        unit.reviewer_group = Group.objects.create(name=f"Granskare {n}")
        unit.save()
    url = reverse("sluss_wagtail_organisationunit_modeladmin_index")
    return Visit(url, user=coordinator(), check=listed(lambda size: size))


# The public portfolio and the similar-idea hint (portfolio) -------------------------------


def public_ideas_in_bulk(number, **fields):
    """``number`` ideas approved for the portfolio, each with public feedback and goals."""
    from sluss_wagtail.models import IdeaEvent
    from sluss_wagtail.models.portfolio import PortfolioEntry

    fields.setdefault("publish_idea", True)
    ideas = create_ideas_in_bulk(number, **fields)
    PortfolioEntry.objects.bulk_create(PortfolioEntry(idea=idea, approved=True) for idea in ideas)
    IdeaEvent.objects.bulk_create(
        IdeaEvent(idea=idea, kind=IdeaEvent.Kind.MOVED, to_stage="screening", public_note="Bra.")
        for idea in ideas
    )
    Idea.sdgs.through.objects.bulk_create(
        Idea.sdgs.through(idea=idea, sustainabledevelopmentgoal_id=n % 17 + 1)
        for n, idea in enumerate(ideas)
    )
    return ideas


def arrange_portfolio(size, query=""):
    from tests.factories import create_portfolio

    unit = units(size)
    public_ideas_in_bulk(10 * size, unit=unit)
    create_ideas_in_bulk(10 * size)  # not approved: never counted, never shown
    page = create_portfolio()

    def check(response, size):
        assert response.content.decode().count("sluss-card__title") == min(12, 10 * size)

    return Visit(page.url + query, check=check if not query else None, bounded=True)


def arrange_portfolio_idea(size):
    from tests.factories import create_portfolio

    ideas = public_ideas_in_bulk(10 * size)
    return Visit(f"{create_portfolio().url}idea/{ideas[0].pk}/")


def arrange_similar_hint(size):
    from sluss_wagtail import similar
    from tests.factories import create_portfolio

    similar.uses_trigrams(Idea)  # asked once per process, as a server would have
    public_ideas_in_bulk(10 * size)
    create_portfolio()
    create_innovations_in_bulk(create_showcase_index(), size)

    def check(response, size):
        assert response.content.decode().count("sluss-similar__item") == min(5, size)

    return Visit(
        reverse("sluss_wagtail:similar_ideas"),
        method="post",
        data={"title": "Idé innovation", "description": ""},
        warm_up=None,
        check=check,
    )


def arrange_similar_without_script(size):
    from sluss_wagtail import similar
    from tests.factories import create_portfolio

    similar.uses_trigrams(Idea)  # asked once per process, as a server would have
    public_ideas_in_bulk(10 * size)
    create_portfolio()
    page = create_submission_page()

    def data(warm_up):
        token = form_token(warm_up.content.decode())
        return {**valid_idea_data(form_token=token, title="Idé"), "sluss_similar": "1"}

    return Visit(page.url, method="post", data=data, warm_up=page.url)


def arrange_portfolio_action(size):
    return arrange_action(
        size,
        "portfolio",
        {"approved": "on", "public_title": "Ljusare gångvägar", "public_summary": "Vi prövar."},
    )


# The table ---------------------------------------------------------------------------------


def idea_with_thread(size, user):
    """An idea with a history and ``size`` messages each way, every answer with a file."""
    from sluss_wagtail import attachments, dialogue
    from tests.factories import image_bytes

    idea = idea_with_history(size, user)
    for n in range(size):
        dialogue.write_to_giver(idea, user=user, text=f"Fråga {n}")
        upload = SimpleUploadedFile(f"bild{n}.jpg", image_bytes(), content_type="image/jpeg")
        dialogue.answer(idea, text=f"Svar {n}", attachments=[attachments.clean_upload(upload)])
    return idea


def arrange_status_page_with_thread(size):
    idea = idea_with_thread(size, coordinator())

    def check(response, size):
        assert response.content.decode().count('class="sluss-dialogue__text"') >= 2 * size

    return Visit(idea.get_status_url(), check=check)


def arrange_dialogue_answer(size):
    idea = idea_with_thread(size, coordinator())
    url = reverse("sluss_wagtail:dialogue_answer", args=[idea.status_token])

    def data(warm_up):
        return {"text": "Ett svar till.", "form_token": form_token(warm_up.content.decode())}

    return Visit(url, method="post", data=data, status=302, warm_up=idea.get_status_url())


def arrange_inspect_with_thread(size):
    user = coordinator()
    idea = idea_with_thread(size, user)

    def check(response, size):
        html = response.content.decode()
        assert html.count("sluss-dialogue-thread__message--") >= 2 * size
        assert "bild1.jpg" in html

    return Visit(idea_admin_path(idea), user=user, check=check)


def arrange_dialogue_write(size, method="get"):
    user = coordinator()
    idea = idea_with_thread(size, user)
    url = reverse("sluss_wagtail_dialogue_write", args=[idea.pk])
    if method == "get":
        return Visit(url, user=user)
    return Visit(
        url,
        method="post",
        data={"kind": "question", "text": "En fråga till."},
        user=user,
        status=302,
        warm_up=url,
    )


BUDGETS = [
    # Public pages.
    # Routing: the site, the pages on the way, aliases, view restrictions (6); the site
    # settings; whether the form offers units.
    Budget("submission page", 8, arrange_submission_page),
    # The same: whether the form offers units is the query that lists them, however many.
    Budget("submission page with units", 8, arrange_submission_page_with_units),
    # Routing (6); in a savepoint the reference counter (UPDATE … RETURNING), the idea
    # (a repeat fails on the form's unique key), its contact and its first event. The
    # confirmation is carried by a signed cookie: no session is read or written. The
    # statistics' counts, in the same transaction (``stats.retally``): the new idea's cells
    # made if new and counted, in one upsert (two), its own record (one); its first event
    # changes nothing counted, which the submission knows (none).
    Budget("submission post", 14, arrange_submission_post),
    # The same, and after the commit the receipt (the idea with its contact; the
    # settings of the site it came through, with the site's address) and the
    # coordinators' note (the idea again: its site says whose coordinators; the
    # settings, from the cache, name none here, so nothing is sent).
    Budget(
        "submission post with receipts",
        17,
        lambda size: arrange_submission_post(size, on_commit=True),
    ),
    # Routing (6), the idea with its contact and challenge (found by the signed cookie),
    # the site's settings for the page.
    Budget("confirmation", 8, arrange_confirmation),
    # The idea (with the original it may duplicate), its public events, the site, the
    # thread with its giver (``dialogue``: its files counted and the answers on taking
    # part, in the same query), and its implementation plan.
    Budget("status page", 5, arrange_status_page),
    Budget("status page of a duplicate", 5, arrange_status_page_of_a_duplicate),
    # The open challenges counted and listed, public ones only: the restricted pages'
    # paths from the cache (``restrictions.unrestricted``), not read again (before: 11).
    Budget("challenge index", 10, arrange_challenge_index),
    Budget("challenge page, open", 13, arrange_challenge_page),
    Budget("challenge page, closed", 12, lambda size: arrange_challenge_page(size, closed=True)),
    # Routing (6); the count, the page of innovations and the units come from the
    # cache; the innovations shown with their units and goals (8); the goals for the
    # filter (9). Images add their renditions in one query. The site settings are
    # read only by pages with the form (the privacy notice). The benefits of the cards
    # shown, in one query (10).
    Budget("showcase", 10, arrange_showcase),
    # Just after a publish or a move: the restricted pages' paths (+1), and the count,
    # the page of innovations and the units read again, public ones only (14); and the
    # cards' benefits (+1). A search is a subquery of the count and of the page
    # (searching.found_pks), not a query of its own that reads every match.
    Budget("showcase, cache invalidated", 15, lambda size: arrange_showcase(size, cold=True)),
    Budget(
        "showcase, search, cache invalidated",
        15,
        lambda size: arrange_showcase(size, "?q=innovation", cold=True),
    ),
    Budget("showcase, tag filter", 10, lambda size: arrange_showcase(size, "?tag=digitalt")),
    Budget("showcase, all filters", 10, lambda size: arrange_showcase(size, "?tag=skola&sdg=3")),
    Budget("showcase, search", 10, lambda size: arrange_showcase(size, "?q=innovation")),
    # Routing (8), both units in one query (9); the pilots, goals and tags come from
    # the cache (tests/test_innovation_cache.py: it is never stale).
    # And the confirmed adoptions, in one query however many (10); its benefits and its
    # implementation plan, never cached: follow-ups change without a new revision (11; the
    # plan of a page made from an idea one more).
    Budget("innovation page", 11, arrange_innovation_page),
    # The innovation's routing and its confirmed adoptions, however many adoptions. Sent:
    # routing, the adoption inserted in a savepoint (a repeat is found only when the
    # insert fails on the form's keys); a signed cookie carries it to the confirmation
    # (``confirmation``: no session, whose insert cost 4 queries more).
    Budget("adoption form", 9, arrange_adoption_form),
    Budget("adoption post", 11, arrange_adoption_post),
    # Routing and the page of innovations with their units, goals, tags, pilots and
    # adoption counts, however many innovations; their benefits in one query (11).
    Budget("json feed", 11, lambda size: arrange_feed(size, "json_feed")),
    Budget("atom feed", 11, lambda size: arrange_feed(size, "atom_feed")),
    # The status page's confirmation steps: as the status page, and what it says about
    # the contact, the files and an earlier withdrawal.
    Budget("status: withdraw", 5, lambda size: arrange_status_step(size, "idea_withdraw")),
    Budget("status: erase", 5, lambda size: arrange_status_step(size, "idea_erase")),
    # The admin.
    # The session, the user, the user's and groups' permissions, the admin profile (5);
    # the filters' choices: units, challenges, the tags of the user's ideas, the goals
    # (9); the count of all ideas (10), which is also the listing's when nothing is
    # filtered or searched, else the filtered ones' (11); Wagtail's menu: locales,
    # page, collection and site permissions (+4); the page of ideas with their units
    # and challenges, and the units of the bulk form (+2): 16 unfiltered, else 17.
    # The counts come from the cache (caching.IDEAS) until the ideas change: 15, else 15.
    Budget("inbox", 15, arrange_inbox),
    Budget("inbox of a unit reviewer", 15, arrange_reviewers_inbox),
    Budget("inbox, filtered", 13, arrange_inbox_filtered),
    Budget("inbox, search", 15, lambda size: arrange_inbox(size, "?q=bänkar")),
    Budget("inbox, search, ideas changed", 17, lambda size: arrange_inbox(size, "?q=bänkar", True)),
    Budget("inbox, ordered by days in stage", 15, lambda size: arrange_inbox(size, "?o=-8")),
    # The board: as the inbox up to the menu (filters, menu: 13) and a page of cards per open
    # stage that has ideas (three of five), each with its past-promise mark; the counts per
    # stage come from the cache until the ideas change (caching.IDEAS), then they are one
    # query (+1). Filtered to a stage without ideas, no column is read.
    Budget("inbox board", 16, arrange_board),
    Budget(
        "inbox board, filtered", 13, lambda size: arrange_board(size, "?stage__exact=pilot&q=a")
    ),
    Budget(
        "inbox board, ideas changed",
        17,
        lambda size: replace(arrange_board(size), ideas_changed=True),
    ),
    Budget("inbox, CSV export", 12, lambda size: arrange_export(size, "csv")),
    Budget("inbox, XLSX export", 12, lambda size: arrange_export(size, "xlsx")),
    # The session, the user, the permissions, the profile (5); the idea with its unit,
    # challenge, original, contact and account (6); its tags, goals, dimensions,
    # duplicates, and its events with their users (11); Wagtail's menu (15); its
    # small-scale tests and innovation pages (17); its attachments (18) and its e-mails
    # not sent (19); its confirmed supporters and followers, counted in one (20); the
    # thread with its giver (21); its benefits and its implementation steps (23; a
    # benefit's follow-ups one more). The actions are a menu of links: their forms cost
    # nothing here. For a coordinator the assessment panel: the current assessments, the
    # requests waiting and the decisions (26); "possibly the same as" and the idea's
    # portfolio entry (28).
    Budget("idea inspect", 28, arrange_inspect),
    # An action's own page: as above up to the idea (6), Wagtail's menu, and the form's
    # choices (the stages need none).
    Budget("action form: move", 10, lambda size: arrange_action_form(size, "move")),
    Budget("adoptions listing", 13, arrange_adoptions_listing),
    # The figures of the dashboard and the report come from the cache until the ideas
    # change; then they are counted again (stats.compute: the settings, the counts, the
    # recent ideas without feedback, the adoptions; last year's headline: two). And
    # "Waiting for me": the ideas the user coaches (none here), one; the givers' answers
    # not yet read, one; the follow-ups due, one.
    Budget("dashboard", 20, arrange_dashboard),
    Budget(
        # (And the benefits realised and the follow-ups on time, counted again: +2.)
        # (And this year's decisions and the money they granted: +1.)
        "dashboard, ideas changed",
        28,
        lambda size: arrange_dashboard(size, ideas_changed=True),
    ),
    Budget("innovation report", 11, lambda size: arrange_report(size, "")),
    Budget(
        # (And the benefits realised and the follow-ups on time: +2.)
        # (And the decisions: the kinds and the money, the money per unit, challenge and
        # month: +4.)
        "innovation report, ideas changed",
        20,
        lambda size: arrange_report(size, "", ideas_changed=True),
    ),
    Budget("innovation report, CSV", 5, lambda size: arrange_report(size, "?export=csv")),
    Budget("register of ideas", 13, arrange_register),
    # With the address's subscriptions (following and support) beside its ideas and adoptions.
    Budget("personal data", 12, arrange_personal_data),
    # Every action that changes what an idea is counted under brings the statistics'
    # counts in step in its transaction (``stats.retally``): the idea locked and read with
    # its events, goals and pilots, and its record (five), the cells changed (one upsert
    # per change counted: one or two), its record written (one); a new event of the
    # change asks its record (one). (Before the upsert, two more for a move.)
    Budget(
        "action: move",
        25,
        lambda size: arrange_action(
            size, "move", {"to_stage": process.PARKED, "public_note": "Vi väntar."}
        ),
    ),
    Budget(
        "action: unit",
        25,
        lambda size: arrange_action(
            size, "assign_unit", lambda idea: {"unit": OrganisationUnitFactory(name="Ny").pk}
        ),
    ),
    Budget(
        "action: duplicate",
        26,
        lambda size: arrange_action(
            size, "mark_duplicate", lambda idea: {"reference": IdeaFactory().reference}
        ),
    ),
    # And whether an innovation page built from the idea is live (to unpublish it).
    Budget(
        "action: confidential",
        18,
        lambda size: arrange_action(size, "confidential", {"confidential": "on"}),
    ),
    Budget("action: tags", 41, lambda size: arrange_action(size, "tags", {"tags": "park, bänk"})),
    # (27: the reference is unique per sluice now, and a correction, which never
    # changes the reference or the sluice, no longer checks it.)
    Budget(
        "action: correction",
        27,
        lambda size: arrange_action(
            size,
            "correct",
            {"title": "Rättad titel", "description": "Rättad.", "need": "Rättat."},
        ),
    ),
    Budget(
        "action: new small-scale test",
        27,
        lambda size: arrange_action(
            size,
            "add_pilot",
            lambda idea: {
                "title": "Bänkar på prov",
                "hypothesis": "Fler vilar.",
                "success_criteria": "Fler går varvet.",
                "units": [OrganisationUnitFactory(name="Parken").pk],
            },
        ),
    ),
    Budget(
        "action: pilot result",
        25,
        lambda size: arrange_pilot_action(
            size,
            "pilot_result",
            lambda pilot: {"pilot": pilot.pk, "outcome": "successful", "result": "Bra."},
        ),
    ),
    Budget(
        # (The pilot's decision, the move it makes and their events: the counts +28.)
        "action: pilot decision",
        54,
        lambda size: arrange_pilot_action(
            size, "decide_pilot", lambda pilot: {"pilot": pilot.pk, "decision": "scale_up"}
        ),
    ),
    Budget("unit listing", 13, arrange_unit_listing),
    # The public portfolio (portfolio): routing (6), the page's site for its sluice, the
    # page of ideas with their entries, units, challenges and contacts, their goals and
    # their public feedback (prefetched), the goals and units for the filters. Which ideas,
    # how many and the units with public ideas come from the cache until the ideas change
    # (caching.IDEAS); then the count, the page's keys and the units are read again (+3).
    Budget("portfolio", 12, arrange_portfolio),
    Budget(
        "portfolio, search and filters",
        12,
        lambda size: arrange_portfolio(size, "?q=idé&stage=received&sdg=3"),
    ),
    Budget(
        "portfolio, ideas changed",
        15,
        lambda size: replace(arrange_portfolio(size), ideas_changed=True),
    ),
    # Routing (6), the page's site, the idea with its entry, unit, challenge and contact,
    # its goals, its public feedback and its small-scale tests.
    Budget("portfolio idea page", 11, arrange_portfolio_idea),
    # The site and the sluices (5, uncached: the endpoint answers POSTs only, so nothing
    # warms it), the restricted pages' paths and the portfolio page for the links (2, from
    # the cache until a page or a restriction changes), the ideas, the open challenges,
    # the innovations, and the sites' root paths for the pages' links; whatever the number
    # of ideas. (Before the cached portfolio page and restricted paths: 13.)
    Budget("similar hint", 11, arrange_similar_hint),
    # Routing (6), the form (its units), and the hint as above.
    Budget("similar hint without a script", 13, arrange_similar_without_script),
    # The action's page (as any action) and the entry read, locked and saved.
    Budget("action: portfolio", 18, arrange_portfolio_action),
    # The dialogue with the idea giver (``dialogue``).
    # As the status page: the thread with its files counted is one query however long.
    Budget("status page with a thread", 5, arrange_status_page_with_thread),
    # The idea, whether anyone wrote to the giver; in a savepoint the answer and its event.
    Budget("dialogue: answer", 6, arrange_dialogue_answer),
    # As the idea's page, and the files of the answers (one query however many); the
    # giver's answers read by the user (one upsert).
    Budget("idea inspect with a thread", 30, arrange_inspect_with_thread),
    # The session, the user, the permissions, the profile, the idea with its contact,
    # whether the user may handle it, Wagtail's menu.
    Budget("dialogue: write form", 11, arrange_dialogue_write),
    # As the form; in a savepoint the message and its event.
    Budget("dialogue: write", 11, lambda size: arrange_dialogue_write(size, method="post")),
]


# Following and support (``following_views``) -------------------------------------------


def _followed_idea(size):
    """A public idea with ``size`` confirmed followers and supporters."""
    from sluss_wagtail.models import Subscription

    idea = create_public_idea()
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(kind=kind, idea=idea, email=f"f{n}@exempelby.invalid", confirmed_at=now)
        for n in range(size)
        for kind in ("follow", "support")
    )
    return idea


def arrange_follow_form(size):
    idea = _followed_idea(size)
    return Visit(reverse("sluss_wagtail:follow", args=["idea", idea.pk]))


def arrange_follow_post(size):
    idea = _followed_idea(size)
    url = reverse("sluss_wagtail:follow", args=["idea", idea.pk])
    return Visit(
        url,
        method="post",
        warm_up=url,
        on_commit=True,
        data=lambda warm: {
            "email": "ny@exempelby.invalid",
            "form_token": form_token(warm.content.decode()),
        },
    )


def arrange_support_by_user(size):
    idea = _followed_idea(size)
    url = reverse("sluss_wagtail:support", args=[idea.pk])
    return Visit(
        url,
        method="post",
        warm_up=url,
        user=UserFactory(),
        data=lambda warm: {"form_token": form_token(warm.content.decode())},
    )


def _address_following(size):
    """One address following ``size`` ideas and a challenge."""
    from sluss_wagtail.models import Subscription

    now = timezone.now()
    index = create_challenge_index()
    challenge = create_challenge(
        index, opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=3)
    )
    ideas = public_ideas_in_bulk(size)
    subscriptions = [
        Subscription.objects.create(
            kind="follow", idea=idea, email="fan@exempelby.invalid", confirmed_at=now
        )
        for idea in ideas
    ]
    subscriptions.append(
        Subscription.objects.create(
            kind="follow", page=challenge, email="fan@exempelby.invalid", confirmed_at=now
        )
    )
    return subscriptions


def arrange_follow_manage(size):
    from sluss_wagtail import following

    first = _address_following(size)[0]
    url = reverse("sluss_wagtail:follow_manage", args=[following.make_token(first, "manage")])

    def check(response, size):
        assert len(response.context["items"]) == size + 1

    return Visit(url, check=check)


def arrange_follow_confirm(size):
    from sluss_wagtail import following
    from sluss_wagtail.models import Subscription

    idea = _followed_idea(size)
    pending = Subscription.objects.create(kind="follow", idea=idea, email="ny@exempelby.invalid")
    url = reverse("sluss_wagtail:follow_confirm", args=[following.make_token(pending, "confirm")])
    return Visit(url, method="post", warm_up=url)


def arrange_follow_unsubscribe(size):
    from sluss_wagtail import following

    first = _address_following(size)[0]
    url = reverse(
        "sluss_wagtail:follow_unsubscribe", args=[following.make_token(first, "unsubscribe")]
    )
    return Visit(url, method="post", warm_up=url)


BUDGETS += [
    # The site and its settings; the public idea (its withdrawn/erased test in the query).
    Budget("follow form", 3, arrange_follow_form),
    # The public idea; get_or_create (SELECT, and the INSERT in a savepoint: 4); the site
    # and its settings; after the commit the confirmation: the subscription with its
    # idea, the idea's settings, the time it was sent.
    Budget("follow post", 10, arrange_follow_post),
    # The session and the user; the public idea; get_or_create (4); the user's groups
    # and permissions as the page's menu reads them; the site and its settings.
    Budget("support by a user", 11, arrange_support_by_user),
    # The subscription; its idea; whether it is still public; the UPDATE; read again;
    # the site and its settings.
    Budget("follow confirm", 8, arrange_follow_confirm),
    # The subscription; everything the address follows, with their ideas and pages; the
    # site and its settings; one more for the pages' titles.
    Budget("follow manage", 5, arrange_follow_manage),
    # The subscription, its idea; the address's others; the delete (its notices first);
    # the site and its settings.
    Budget("follow unsubscribe", 9, arrange_follow_unsubscribe),
]
# The idea coach and assisted intake (``admin.coach``, ``admin.intake``) ------------------


def coached(size):
    """A coordinator who coaches ``size`` open ideas among ``10 * size``."""
    from sluss_wagtail import actions

    user = coordinator()
    ideas_with_everything(size)
    for idea in Idea.objects.all()[:size]:
        actions.assign_coach(idea, user, user=user)
    Idea.objects.update(stage=process.RECEIVED)
    return user


def arrange_coach_form(size):
    """The coach action's form: the candidates, each asked whether they may see the idea."""
    user = coordinator()
    idea = idea_with_history(size, user)
    create_ideas_in_bulk(size)

    def check(response, size):
        assert response.context["form"].prefix == "coach"

    return Visit(action_url(idea, "coach"), user=user, check=check)


def arrange_intake(size):
    create_ideas_in_bulk(size)
    OrganisationUnitFactory.create_batch(size)
    user = create_admin_user(
        "wagtailadmin.access_admin", "sluss_wagtail.register_idea", username="kundcenter"
    )
    return Visit(reverse("sluss_wagtail_intake"), user=user)


def arrange_intake_post(size, on_commit=False):
    visit = arrange_intake(size)
    visit.method = "post"
    visit.status = 302
    visit.warm_up = visit.url
    visit.on_commit = on_commit
    visit.data = lambda response: valid_idea_data(
        form_token=form_token(response.content.decode()), channel="phone", language="sv"
    )
    return visit


def arrange_intake_receipt(size):
    from sluss_wagtail import actions
    from sluss_wagtail.models import IdeaEvent

    visit = arrange_intake(size)
    idea = IdeaFactory(channel="phone")
    actions.record(idea, IdeaEvent.Kind.REGISTERED, user=visit.user, changes={"channel": "x"})
    visit.url = reverse("sluss_wagtail_intake_receipt", args=[idea.pk])
    return visit


BUDGETS.extend(
    [
        # The dashboard of a coach: "My ideas" lists ten and counts them all (one more).
        Budget("dashboard of a coach", 21, lambda size: Visit(HOME_URL_, user=coached(size))),
        # The inbox filtered to "My ideas": the filter adds no query.
        Budget(
            "inbox, my ideas",
            15,
            lambda size: Visit(INBOX_URL + "?coach=me", user=coached(size), bounded=True),
        ),
        # The candidates (one query) and, per candidate, their permissions and whether
        # they see the idea: the staff who may see ideas, not the ideas, drive it (here
        # the coordinator alone).
        Budget("action form: coach", 14, arrange_coach_form),
        # The form again (as above), the idea locked and read again, the coach saved, its
        # event, and the signal's after-commit e-mail not counted.
        Budget(
            "action: coach",
            22,
            lambda size: arrange_action(size, "coach", lambda idea: {"coach": coordinator().pk}),
        ),
        # The customer centre's form: the session, the user, the permissions and profile,
        # Wagtail's menu, the sluices it may register in, the default sluice's units.
        Budget("intake form", 11, arrange_intake),
        # The session, the user, the permissions and profile, the sluices; in a savepoint
        # the sluice's main site, the submission path of the public form (the reference
        # counter, the idea, its contact, its first event, which the statistics' counts know
        # from the submission, as in "submission post") and the event with the channel.
        Budget("intake post", 23, arrange_intake_post),
        # The same, and after the commit the receipt and the coordinators' note (the idea,
        # the site's settings, made on this first use, and the site's address).
        Budget(
            "intake post with receipts",
            31,
            lambda size: arrange_intake_post(size, on_commit=True),
        ),
        # The session, the user, the permissions; the idea with its contact, who registered
        # it, the site's settings (the address from the cache).
        Budget("intake receipt", 7, arrange_intake_receipt),
    ]
)
HOME_URL_ = reverse("wagtailadmin_home")
# Benefits realisation ------------------------------------------------------------------------


def arrange_innovation_page_with_benefits(size):
    """An innovation of an idea with ``size`` benefits, each followed up, and ``size`` steps."""
    from sluss_wagtail.models import ImplementationStep
    from tests.factories import create_benefit

    idea = IdeaFactory(stage="implemented")
    for n in range(size):
        create_benefit(idea, title=f"Nytta {n}", follow_ups_done={0: 100 + n})
        ImplementationStep.objects.create(idea=idea, title=f"Enhet {n}")
    page = create_innovation(create_showcase_index(), title="Digitala lås", idea=idea)

    def check(response, size):
        assert len(response.context["benefit_rows"]) == size
        assert len(response.context["implementation_steps"]) == size

    return Visit(page.url, check=check)


def arrange_showcase_by_benefit(size):
    from tests.factories import create_benefit

    showcase = create_showcase_index()
    for n in range(size):
        idea = IdeaFactory(stage="implemented")
        create_benefit(idea, kind="money" if n % 2 else "hours")
        # Saved live as a publish saves it, with its dates, without the revision history
        # the listing never reads (as the bulk ones below).
        published = timezone.now()
        create_innovation(
            showcase,
            title=f"Innovation {n}",
            slug=f"innovation-{n}",
            idea=idea,
            revision=False,
            first_published_at=published,
            last_published_at=published,
        )
    create_innovations_in_bulk(showcase, 10 * size)

    def check(response, size):
        assert len(response.context["innovations"]) == min(size // 2, 12)

    return Visit(showcase.url + "?benefit=money", check=check)


def arrange_follow_up_page(size):
    from tests.factories import create_benefit

    owner = create_admin_user("wagtailadmin.access_admin", username="nyttoagare")
    idea = idea_with_history(size, coordinator())
    benefit = create_benefit(idea, owner=owner)
    for n in range(size):
        create_benefit(idea, owner=owner, title=f"Nytta {n}")
    url = reverse("sluss_wagtail_benefit_follow_up", args=[benefit.follow_ups.first().pk])
    return Visit(url, user=owner)


def arrange_dashboard_with_follow_ups(size):
    from tests.factories import create_benefit

    user = coordinator()
    ideas_with_everything(size)
    for n in range(size):
        create_benefit(IdeaFactory(stage="implemented"), owner=user, title=f"Nytta {n}")

    def check(response, size):
        assert "sluss-follow-ups-due" in response.content.decode()

    return Visit(reverse("wagtailadmin_home"), user=user, check=check)


def arrange_add_benefit(size):
    def data(idea):
        return {
            "kind": "hours",
            "title": "Färre nyckelturer",
            "expected": "400",
            "starts_on": "2026-01-01",
            "owner": create_admin_user("wagtailadmin.access_admin", username="agare").pk,
            "months": "6, 12",
        }

    return arrange_action(size, "add_benefit", data)


BUDGETS += [
    # As the innovation page; its benefits and its plan, one query each however many (12).
    Budget("innovation page with benefits", 12, arrange_innovation_page_with_benefits),
    # As the showcase; the kind a subquery of the listing's own queries.
    Budget("showcase, filtered by kind of benefit", 10, arrange_showcase_by_benefit),
    # The session, the user, the permissions, the profile; the follow-up with its benefit,
    # idea and owner; Wagtail's menu (10).
    Budget("benefit follow-up page", 10, arrange_follow_up_page),
    # As the dashboard; the follow-ups due in one query however many.
    Budget("dashboard with follow-ups due", 20, arrange_dashboard_with_follow_ups),
    # As an action; the owner and the benefit checked, saved with its follow-ups and event.
    Budget("action: add benefit", 21, arrange_add_benefit),
]


def consume(response):
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"size{size}")
@pytest.mark.parametrize("budget", BUDGETS, ids=lambda budget: budget.name)
def test_query_budget(
    budget,
    size,
    client,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    no_search_indexing,
):
    visit = budget.arrange(size)
    if visit.user is not None:
        client.force_login(visit.user)
    if visit.prepare is not None:
        visit.prepare(client)
    warm_up = None
    if visit.warm_up or visit.method == "get":
        warm_up = consume(client.get(visit.warm_up or visit.url))
        assert warm_up.status_code == 200
    if visit.cold:
        cache.clear()
    if visit.ideas_changed:
        IDEAS.bump()
    data = visit.data(warm_up) if callable(visit.data) else visit.data
    with (
        django_assert_num_queries(budget.queries) as captured,
        django_capture_on_commit_callbacks(execute=visit.on_commit),
    ):
        response = consume(getattr(client, visit.method)(visit.url, data))
    assert response.status_code == visit.status, response
    if visit.bounded:
        for query in captured.captured_queries:
            sql = query["sql"]
            if 'FROM "sluss_wagtail_idea"' in sql:
                assert "COUNT(" in sql or "LIMIT" in sql or " IN (" in sql, sql
    if visit.check:
        visit.check(response, size)


def test_every_row_has_its_own_name():
    names = [budget.name for budget in BUDGETS]
    assert len(names) == len(set(names))


def test_the_sizes_differ_enough_to_show_an_n_plus_1():
    small, large = SIZES
    assert large >= 10 * small


# Assessment by criteria and decisions (``sluss_wagtail.assessing``) ------------------------

ASSESS_WAITING_URL = reverse("sluss_wagtail_assessments")


def assessment_world(size, *, criteria=3):
    """An assessor asked about ``size`` ideas, who assessed ``size`` others; ``size``
    other assessors who assessed the first idea; ``criteria`` criteria.

    Built in bulk, a few queries whatever the size: the ideas as the public form saves them,
    and the rows ``assessing.request_assessments`` and ``submit_assessment`` make
    (``test_the_bulk_assessment_world_is_the_one_the_domain_makes`` compares the two)."""
    from sluss_wagtail import assessing
    from sluss_wagtail.models import Assessment, AssessmentRequest, AssessmentScore
    from tests.factories import (
        create_assessor,
        create_assessors_in_bulk,
        create_criteria,
        create_submitted_ideas_in_bulk,
    )

    made = create_criteria(specs=[(f"Kriterium {n}", n + 1) for n in range(criteria)])
    user = coordinator()
    assessor = create_assessor(username="bedomaren")
    due = timezone.localdate() + timedelta(days=7)
    ideas = create_submitted_ideas_in_bulk(2 * size)
    waiting, done = ideas[:size], ideas[size:]
    others = create_assessors_in_bulk([f"bedomare{n}" for n in range(size)])
    requests = AssessmentRequest.objects.bulk_create(
        [
            AssessmentRequest(idea=idea, assessor=assessor, requested_by=user, due_on=due)
            for idea in waiting + done
        ]
        + [
            AssessmentRequest(idea=waiting[0], assessor=other, requested_by=user, due_on=due)
            for other in others
        ]
    )
    # Every score 3; the other assessors' first comment "Bra.".
    answers = [(request, {}) for request in requests[size : 2 * size]]
    answers += [(request, {made[0].pk: "Bra."}) for request in requests[2 * size :]]
    total = assessing.weighted_total(
        (criterion.weight, Decimal(3 - 1) / Decimal(criterion.steps - 1)) for criterion in made
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            request=request,
            idea_id=request.idea_id,
            assessor_id=request.assessor_id,
            weighted_total=total,
        )
        for request, _comments in answers
    )
    AssessmentScore.objects.bulk_create(
        AssessmentScore(
            assessment=assessment,
            criterion=criterion,
            criterion_name=criterion.name,
            weight=criterion.weight,
            steps=criterion.steps,
            score=3,
            comment=comments.get(criterion.pk, ""),
        )
        for assessment, (_request, comments) in zip(assessments, answers, strict=True)
        for criterion in made
    )
    return user, assessor, waiting, made


def assessment_world_through_the_domain(size, *, criteria=3):
    """``assessment_world`` as the domain code makes it: each idea through the public form's
    ``submit``, each request and assessment through ``assessing`` (ten times slower)."""
    from sluss_wagtail import assessing
    from tests.factories import create_assessor, create_criteria

    made = create_criteria(specs=[(f"Kriterium {n}", n + 1) for n in range(criteria)])
    user = coordinator()
    assessor = create_assessor(username="bedomaren")
    due = timezone.localdate() + timedelta(days=7)
    waiting = [IdeaFactory() for _ in range(size)]
    done = [IdeaFactory() for _ in range(size)]
    for idea in waiting + done:
        assessing.request_assessments(idea, [assessor], user=user, due_on=due)
    others = [create_assessor(username=f"bedomare{n}") for n in range(size)]
    for other in others:
        assessing.request_assessments(waiting[0], [other], user=user, due_on=due)
    scores = {criterion.pk: 3 for criterion in made}
    for idea in done:
        request = idea.assessment_requests.get()
        assessing.submit_assessment(request, user=assessor, scores=scores)
    for other in others:
        request = waiting[0].assessment_requests.get(assessor=other)
        assessing.submit_assessment(
            request, user=other, scores=scores, comments={made[0].pk: "Bra."}
        )
    return user, assessor, waiting, made


#: What differs between two builds of the same world: when, and the sequences' numbers.
_VOLATILE = {"title", "status_token", "created_at", "updated_at", "stage_changed_at"}
_VOLATILE |= {"submitted_at", "date_joined", "last_login"}


def world_rows():
    """Every table's number of rows, and the rows of those a world of assessments makes,
    each row without what differs between two builds (primary keys: what they name)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from sluss_wagtail.models import (
        Assessment,
        AssessmentRequest,
        AssessmentScore,
        Criterion,
        IdeaContact,
        IdeaEvent,
        Sluice,
    )
    from sluss_wagtail.models.ideas import ReferenceCounter
    from sluss_wagtail.models.tallies import IdeaTally, Tally

    User = get_user_model()
    ideas = list(Idea.objects.order_by("pk").values_list("pk", flat=True))
    assert all(
        title.startswith("Idé nummer ") for title in Idea.objects.values_list("title", flat=True)
    )
    idea = {pk: f"idea {n}" for n, pk in enumerate(ideas)}
    user = dict(User.objects.values_list("pk", "username"))
    request = {
        pk: (idea[idea_pk], user[assessor_pk])
        for pk, idea_pk, assessor_pk in AssessmentRequest.objects.values_list(
            "pk", "idea", "assessor"
        )
    }
    assessment = {
        pk: ("assessment", request[request_pk])
        for pk, request_pk in Assessment.objects.values_list("pk", "request")
    }
    criterion = dict(Criterion.objects.values_list("pk", "name"))
    # (Each build makes the default sluice: on PostgreSQL with a new number.)
    sluice = {pk: ("sluice", name) for pk, name in Sluice.objects.values_list("pk", "name")}
    named = {
        Sluice: sluice,
        Idea: idea,
        User: user,
        AssessmentRequest: request,
        Assessment: assessment,
        Criterion: criterion,
    }

    def rows(model):
        found = []
        for row in model._base_manager.values():
            kept = {}
            for column in model._meta.concrete_fields:
                value = row[column.attname]
                if column.attname in _VOLATILE or (column.primary_key and not column.is_relation):
                    if model is IdeaTally and column.primary_key:
                        kept[column.name] = idea[value]  # the idea's pk, not a relation
                    continue
                if column.is_relation and value is not None:
                    value = named.get(column.related_model, {}).get(value, value)
                elif column.attname == "sluice_pk":  # the counts' cells name it by number
                    value = sluice.get(value, value)
                kept[column.name] = value
            found.append(kept)
        return sorted(found, key=repr)

    models = [Idea, IdeaContact, IdeaEvent, ReferenceCounter, Tally, IdeaTally, User]
    models += [User.user_permissions.through, User.groups.through, Criterion]
    models += [AssessmentRequest, Assessment, AssessmentScore]
    counts = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return counts, {model._meta.label: rows(model) for model in models}


def test_the_bulk_assessment_world_is_the_one_the_domain_makes():
    """``assessment_world`` builds in bulk what the domain code makes, row for row: the
    ideas as submitted (contacts, first events, reference numbers, statistics' counts), the
    assessors with their permissions, the requests, the assessments and their scores."""
    from django.db import transaction

    built = []
    for build in (assessment_world_through_the_domain, assessment_world):
        with transaction.atomic():
            build(3, criteria=2)
            built.append(world_rows())
            transaction.set_rollback(True)
        cache.clear()  # the sluices' layout names the default sluice made and rolled back
    (domain_counts, domain_rows), (bulk_counts, bulk_rows) = built
    assert bulk_counts == domain_counts
    assert domain_counts["sluss_wagtail.AssessmentScore"] == 2 * 6
    for label, rows in domain_rows.items():
        assert bulk_rows[label] == rows, label


def arrange_assessments_waiting(size):
    _user, assessor, waiting, _criteria = assessment_world(size)

    def check(response, size):
        assert len(response.context["waiting"]) == size

    return Visit(ASSESS_WAITING_URL, user=assessor, check=check)


def arrange_assessment_form(size):
    _user, assessor, waiting, _criteria = assessment_world(size, criteria=size)
    request = waiting[0].assessment_requests.get(assessor=assessor)
    return Visit(reverse("sluss_wagtail_assess", args=[request.pk]), user=assessor)


def arrange_assessment_post(size):
    _user, assessor, waiting, criteria = assessment_world(size, criteria=size)
    request = waiting[0].assessment_requests.get(assessor=assessor)
    data = {f"score_{criterion.pk}": "4" for criterion in criteria}
    data.update({f"comment_{criterion.pk}": "Ja." for criterion in criteria})
    return Visit(
        reverse("sluss_wagtail_assess", args=[request.pk]),
        method="post",
        data=data,
        user=assessor,
        status=302,
    )


def arrange_inspect_assessed(size):
    from sluss_wagtail import assessing

    user, _assessor, waiting, _criteria = assessment_world(size)
    for n in range(size):
        assessing.decide(
            IdeaFactory(), "develop", user=user, reasons=f"Beslut {n}", body="Idérådet", present="A"
        )
    idea = waiting[0]
    process.move_idea(idea, process.SCREENING, user=user)
    assessing.decide(
        idea,
        "test",
        user=user,
        reasons="Vi testar.",
        body="Idérådet",
        present="Anna, Per",
        amount_granted=1000,
        funding_source="Fonden",
    )

    def check(response, size):
        assert "sluss-panel-assessment" in response.content.decode()
        assert response.content.decode().count("Bra.") == size

    return Visit(idea_admin_path(idea), user=user, check=check)


def arrange_assessment_inbox(size, query):
    user, _assessor, _waiting, _criteria = assessment_world(size)
    create_ideas_in_bulk(size)
    return Visit(f"{INBOX_URL}?{query}", user=user, bounded=True)


def arrange_request_assessment(size, method):
    user, _assessor, waiting, _criteria = assessment_world(size)
    from sluss_wagtail.models import AssessmentRequest

    idea = IdeaFactory()
    if method == "get":
        return Visit(action_url(idea, "request_assessment"), user=user)
    # As many as may be asked at once (20), or all there are.
    assessors = AssessmentRequest.objects.values_list("assessor", flat=True).distinct()[:20]
    return Visit(
        action_url(idea, "request_assessment"),
        method="post",
        data={
            "request_assessment-assessors": list(assessors),
            "request_assessment-due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
        user=user,
        status=302,
        warm_up=idea_admin_path(idea),
    )


def arrange_decision(size, method):
    user, _assessor, waiting, _criteria = assessment_world(size)
    idea = waiting[0]
    if method == "get":
        return Visit(action_url(idea, "decide"), user=user)
    return Visit(
        action_url(idea, "decide"),
        method="post",
        data={
            "decide-kind": "test",
            "decide-decided_on": timezone.localdate().isoformat(),
            "decide-body": "Idérådet",
            "decide-present": "Anna, Per",
            "decide-reasons": "Vi testar i liten skala.",
            "decide-amount_granted": "5000",
            "decide-funding_source": "Fonden",
        },
        user=user,
        status=302,
        warm_up=idea_admin_path(idea),
    )


def arrange_assessor_dashboard(size):
    _user, assessor, _waiting, _criteria = assessment_world(size)
    return Visit(reverse("wagtailadmin_home"), user=assessor)


# Each: the session, the user and their permissions, the admin's profile and menu; then
# the rows the view shows, each list in one query (the requests with their ideas'
# contacts and accounts; the criteria; an assessment's scores in one bulk insert; the
# requests asked for in one bulk insert; a decision's move and its record).
BUDGETS += [
    Budget("assessments waiting", 11, arrange_assessments_waiting),
    Budget("assessment form", 12, arrange_assessment_form),
    Budget("assessment post", 16, arrange_assessment_post),
    # (As "idea inspect": with the thread, the followers, the benefits and the portfolio
    # beside it.)
    Budget("inspect with assessments and decisions", 29, arrange_inspect_assessed),
    Budget(
        "inbox waiting for assessment",
        15,
        lambda size: arrange_assessment_inbox(size, "assessment=waiting"),
    ),
    Budget("inbox by weighted total", 15, lambda size: arrange_assessment_inbox(size, "o=-9")),
    Budget(
        "action form: request assessment", 12, lambda size: arrange_request_assessment(size, "get")
    ),
    Budget("action: request assessment", 19, lambda size: arrange_request_assessment(size, "post")),
    Budget("action form: decision", 10, lambda size: arrange_decision(size, "get")),
    # (With the statistics' counts of the move: +15.)
    Budget("action: decision", 36, lambda size: arrange_decision(size, "post")),
    # (With the dashboard's "My ideas" and "Follow-ups due", empty here.)
    Budget("assessor's dashboard", 17, arrange_assessor_dashboard),
]


# modeladmin's own listings (``admin.modeladmin``): the criteria and the sluices ------------


def arrange_criteria_listing(size):
    from tests.factories import create_criteria

    create_criteria(specs=[(f"Kriterium {n}", 1) for n in range(size)])
    url = reverse("sluss_wagtail_criterion_modeladmin_index")
    return Visit(url, user=coordinator(), check=listed(lambda size: size))


def arrange_sluices_listing(size):
    from sluss_wagtail.models import Sluice
    from tests.factories import UserFactory

    for n in range(size):
        Sluice.objects.create(name=f"Sluss {n}")
    superuser = UserFactory(username="natverket", is_superuser=True)
    url = reverse("sluss_wagtail_sluice_modeladmin_index")
    return Visit(url, user=superuser, check=listed(lambda size: size))


# As "unit listing" (the session, the user and their permissions, the admin's menu, the
# counts, the page of rows with their sluice and challenge in one query), with the sluices
# the coordinator's criteria may be of and the sluice filter's choices (the inbox's filter:
# the sluices the reader may see, 13); a superuser's listing of sluices asks for no
# permissions.
BUDGETS += [
    Budget("criteria listing", 13, arrange_criteria_listing),
    Budget("sluices listing", 10, arrange_sluices_listing),
]
