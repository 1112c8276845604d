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
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from sluss_wagtail import process
from sluss_wagtail.caching import IDEAS
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


INBOX_URL = reverse("sluss_wagtail_idea_modeladmin_index")


def inspect_url(idea):
    return reverse("sluss_wagtail_idea_modeladmin_inspect", args=[idea.pk])


def action_url(idea, action):
    return reverse(f"sluss_wagtail_idea_modeladmin_{action}", args=[idea.pk])


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


BOARD_URL = reverse("sluss_wagtail_idea_modeladmin_board")


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

    return Visit(inspect_url(idea), user=user, check=check)


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
        warm_up=inspect_url(idea),
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
        warm_up=inspect_url(idea),
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
    from tests.factories import create_portfolio

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
    from tests.factories import create_portfolio

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

BUDGETS = [
    # Public pages.
    # Routing: the site, the pages on the way, aliases, view restrictions (6); the site
    # settings; whether the form offers units.
    Budget("submission page", 8, arrange_submission_page),
    # The same, and the units listed in the form: one query however many.
    Budget("submission page with units", 9, arrange_submission_page_with_units),
    # Routing (6); in a savepoint the reference counter (UPDATE … RETURNING), the idea
    # (a repeat fails on the form's unique key), its contact and its first event. The
    # confirmation is carried by a signed cookie: no session is read or written.
    Budget("submission post", 12, arrange_submission_post),
    # The same, and after the commit the receipt (the idea with its contact; the
    # settings of the site it came through, with the site's address) and the
    # coordinators' note (the idea again: its site says whose coordinators; the
    # settings, from the cache, name none here, so nothing is sent).
    Budget(
        "submission post with receipts",
        15,
        lambda size: arrange_submission_post(size, on_commit=True),
    ),
    # Routing (6), the idea with its contact and challenge (found by the signed cookie),
    # the site's settings for the page.
    Budget("confirmation", 8, arrange_confirmation),
    # The idea (with the original it may duplicate), its public events, the site.
    Budget("status page", 3, arrange_status_page),
    Budget("status page of a duplicate", 3, arrange_status_page_of_a_duplicate),
    Budget("challenge index", 11, arrange_challenge_index),
    Budget("challenge page, open", 13, arrange_challenge_page),
    Budget("challenge page, closed", 12, lambda size: arrange_challenge_page(size, closed=True)),
    # Routing (6); the count, the page of innovations and the units come from the
    # cache; the innovations shown with their units and goals (8); the goals for the
    # filter (9). Images add their renditions in one query. The site settings are
    # read only by pages with the form (the privacy notice).
    Budget("showcase", 9, arrange_showcase),
    # Just after a publish or a move: the count, the page of innovations and the units
    # are read again, public ones only (the view restrictions a subquery) (13); a search
    # adds the search (14).
    Budget("showcase, cache invalidated", 13, lambda size: arrange_showcase(size, cold=True)),
    Budget(
        "showcase, search, cache invalidated",
        14,
        lambda size: arrange_showcase(size, "?q=innovation", cold=True),
    ),
    Budget("showcase, tag filter", 9, lambda size: arrange_showcase(size, "?tag=digitalt")),
    Budget("showcase, all filters", 9, lambda size: arrange_showcase(size, "?tag=skola&sdg=3")),
    Budget("showcase, search", 9, lambda size: arrange_showcase(size, "?q=innovation")),
    # Routing (8), both units in one query (9); the pilots, goals and tags come from
    # the cache (tests/test_innovation_cache.py: it is never stale).
    # And the confirmed adoptions, in one query however many (10).
    Budget("innovation page", 10, arrange_innovation_page),
    # The innovation's routing and its confirmed adoptions, however many adoptions. Sent:
    # routing, the adoption inserted in a savepoint (a repeat is found only when the
    # insert fails on the form's keys), and the new session that carries it to the
    # confirmation.
    Budget("adoption form", 9, arrange_adoption_form),
    Budget("adoption post", 15, arrange_adoption_post),
    # Routing and the page of innovations with their units, goals, tags, pilots and
    # adoption counts, however many innovations.
    Budget("json feed", 10, lambda size: arrange_feed(size, "json_feed")),
    Budget("atom feed", 10, lambda size: arrange_feed(size, "atom_feed")),
    # The status page's confirmation steps: as the status page, and what it says about
    # the contact, the files and an earlier withdrawal.
    Budget("status: withdraw", 3, lambda size: arrange_status_step(size, "idea_withdraw")),
    Budget("status: erase", 3, lambda size: arrange_status_step(size, "idea_erase")),
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
    # The board: as the inbox up to the menu (filters, menu: 13), the counts per stage in one
    # query and a page of cards per open stage (five), each with its past-promise mark.
    Budget("inbox board", 19, arrange_board),
    Budget(
        "inbox board, filtered", 19, lambda size: arrange_board(size, "?stage__exact=pilot&q=a")
    ),
    Budget("inbox, CSV export", 12, lambda size: arrange_export(size, "csv")),
    Budget("inbox, XLSX export", 12, lambda size: arrange_export(size, "xlsx")),
    # The session, the user, the permissions, the profile (5); the idea with its unit,
    # challenge, original, contact and account (6); its tags, goals, dimensions,
    # duplicates, and its events with their users (11); Wagtail's menu (15); its
    # small-scale tests and innovation pages (17); its attachments (18) and its e-mails
    # not sent (19). The actions are a menu of links: their forms cost nothing here.
    # (+2 portfolio: "possibly the same as", the idea's portfolio entry.)
    Budget("idea inspect", 21, arrange_inspect),
    # An action's own page: as above up to the idea (6), Wagtail's menu, and the form's
    # choices (the stages need none).
    Budget("action form: move", 10, lambda size: arrange_action_form(size, "move")),
    Budget("adoptions listing", 13, arrange_adoptions_listing),
    # The figures of the dashboard and the report come from the cache until the ideas
    # change; then they are counted again (stats.compute: the settings and eight queries,
    # last year's headline: two).
    Budget("dashboard", 17, arrange_dashboard),
    Budget(
        "dashboard, ideas changed", 27, lambda size: arrange_dashboard(size, ideas_changed=True)
    ),
    Budget("innovation report", 11, lambda size: arrange_report(size, "")),
    Budget(
        "innovation report, ideas changed",
        19,
        lambda size: arrange_report(size, "", ideas_changed=True),
    ),
    Budget("innovation report, CSV", 5, lambda size: arrange_report(size, "?export=csv")),
    Budget("register of ideas", 13, arrange_register),
    Budget("personal data", 11, arrange_personal_data),
    Budget(
        "action: move",
        17,
        lambda size: arrange_action(
            size, "move", {"to_stage": process.PARKED, "public_note": "Vi väntar."}
        ),
    ),
    Budget(
        "action: unit",
        18,
        lambda size: arrange_action(
            size, "assign_unit", lambda idea: {"unit": OrganisationUnitFactory(name="Ny").pk}
        ),
    ),
    Budget(
        "action: duplicate",
        19,
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
        20,
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
        18,
        lambda size: arrange_pilot_action(
            size,
            "pilot_result",
            lambda pilot: {"pilot": pilot.pk, "outcome": "successful", "result": "Bra."},
        ),
    ),
    Budget(
        "action: pilot decision",
        26,
        lambda size: arrange_pilot_action(
            size, "decide_pilot", lambda pilot: {"pilot": pilot.pk, "decision": "scale_up"}
        ),
    ),
    Budget("unit listing", 13, arrange_unit_listing),
    # The public portfolio (portfolio): routing (6), the page's site for its sluice, the
    # count, the page of ideas with their entries, units, challenges and contacts, their
    # goals and their public feedback (prefetched), the goals and units for the filters.
    Budget("portfolio", 14, arrange_portfolio),
    Budget(
        "portfolio, search and filters",
        14,
        lambda size: arrange_portfolio(size, "?q=idé&stage=received&sdg=3"),
    ),
    # Routing (6), the page's site, the idea with its entry, unit, challenge and contact,
    # its goals, its public feedback and its small-scale tests.
    Budget("portfolio idea page", 11, arrange_portfolio_idea),
    # The site and the sluices (5, uncached: the endpoint answers POSTs only, so nothing
    # warms it), the portfolio page for the links (2), the ideas, the open challenges
    # (2), the innovations; whatever the number of ideas.
    Budget("similar hint", 12, arrange_similar_hint),
    # Routing (6), the form (its units), and the hint as above.
    Budget("similar hint without a script", 14, arrange_similar_without_script),
    # The action's page (as any action) and the entry read, locked and saved.
    Budget("action: portfolio", 18, arrange_portfolio_action),
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
