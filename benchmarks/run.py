"""Benchmarks of sluss_wagtail, side by side with Wagtail's own pages: ``make bench``.

Builds its own data in a database of its own (a temporary SQLite file, or the
PostgreSQL database in ``DATABASE_URL``, dropped and created again), then runs
every case many times in this one process after a warm-up, through Django's test
client (the whole middleware stack, no network), and prints the median of each
variant and the ratio of the two variants of a case. The variants of a case run
in alternation, so a machine that slows down slows both.

    SLUSS_BENCH_SCALE=0.02 make bench     # small sizes, while developing
    make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/sluss_bench

Exits non-zero if a ratio misses its target. Results go to
``benchmarks/results/<database>-<time>.json``. Benchmarks are not tests: the
query budgets in ``tests/test_query_budgets.py`` are what CI holds the code to.
"""

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_site")]

SCALE = float(os.environ.get("SLUSS_BENCH_SCALE", "1"))
REPEATS = int(os.environ.get("SLUSS_BENCH_REPEATS", "40"))
WARM_UP = 5


def scaled(number, minimum):
    return max(minimum, int(number * SCALE))


SHOWCASE_SMALL, SHOWCASE_LARGE = 10, scaled(10_000, 100)
INBOX_SMALL, INBOX_LARGE = 100, scaled(100_000, 1_000)
STATS_SMALL, STATS_LARGE = 1_000, scaled(100_000, 2_000)

TARGETS = {
    "showcase": 1.2,
    "showcase, tag filter": 1.2,
    "showcase, search": 1.2,
    # The first request after a change: Wagtail's search backend (the database's) each time.
    "showcase, search, after a publish": 3.0,
    "inbox": 1.3,
    "inbox, stage filter": 1.3,
    "inbox, search": 1.3,
    # The first request after a change of the ideas: the counts afresh.
    "inbox, ideas changed": 1.3,
    "inbox, stage filter, ideas changed": 1.3,
    "inbox, search, ideas changed": 1.3,
    # The anchor: the same ideas in a plain Wagtail ModelViewSet index (benchmarks app).
    "inbox vs ModelViewSet": 1.3,
    "inbox, stage filter vs ModelViewSet": 1.3,
    "inbox, search vs ModelViewSet": 1.3,
    "inbox, ideas changed vs ModelViewSet": 1.3,
    "inbox, stage filter, ideas changed vs ModelViewSet": 1.3,
    "inbox, search, ideas changed vs ModelViewSet": 1.3,
    "inbox board": 1.3,
    "portfolio": 1.3,
    "portfolio idea page": 1.3,
    "idea page (assessments, dialogue, benefits)": 1.3,
    "similar-idea hint": 1.5,
    "similar-idea hint vs form page": 1.0,
    "idea submission vs form page": 1.5,
    "idea submission, worker backend": None,
    "innovation page vs plain page": 1.5,
    "stats": 2.0,
    "stats, ideas changed": 3.0,
}


def prepare_database():
    url = os.environ.get("DATABASE_URL")
    if not url:
        folder = tempfile.mkdtemp(prefix="sluss-bench-")
        os.environ["SLUSS_BENCH_SQLITE"] = str(Path(folder) / "bench.sqlite3")
        return "sqlite"
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"A plain database name, please: {name!r}")
    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return "postgresql"


# Building the data -----------------------------------------------------------------------


def build_site():
    from django.contrib.auth.models import Group
    from wagtail.models import Site

    from benchmarks.models import BenchPlainPage
    from benchmarks.pages import create_form_page
    from sluss_wagtail.models import SlussSettings
    from sluss_wagtail.pages.models import InnovationPage
    from tests.factories import (
        OrganisationUnitFactory,
        create_coordinator,
        create_innovation,
        create_innovations_in_bulk,
        create_showcase_index,
        create_submission_page,
    )

    site = Site.objects.get(is_default_site=True)
    root = site.root_page
    SlussSettings.for_site(site).save()
    units = [
        OrganisationUnitFactory(
            name=f"Enhet {n}", reviewer_group=Group.objects.create(name=f"G{n}")
        )
        for n in range(20)
    ]
    pages = {"submission": create_submission_page()}
    form_page = create_form_page(root)
    pages["form"] = form_page

    body = innovation_body()
    showcases = {}
    for size in (SHOWCASE_SMALL, SHOWCASE_LARGE):
        showcase = create_showcase_index(title=f"Showcase {size}", slug=f"showcase-{size}")
        showcases[size] = showcase
    innovation = create_innovation(
        showcases[SHOWCASE_SMALL],
        title="Digitala lås i hemtjänsten",
        body=body,
        sdgs=[3, 11],
        tags=["digitalt", "hemtjänst"],
        unit=units[0],
        contact_unit=units[0],
        pilots=[{"title": "Prov i två team", "outcome": "success", "result": "Det fungerade."}],
    )
    # At the innovation's depth in the tree (under a page, as the innovation is under
    # its showcase), so both are routed through the same number of pages.
    section = BenchPlainPage(title="Avsnitt", slug="avsnitt")
    root.add_child(instance=section)
    section.save_revision().publish()
    plain = BenchPlainPage(title="Digitala lås i hemtjänsten", slug="plain", body=body)
    section.add_child(instance=plain)
    plain.save_revision().publish()
    pages["innovation"], pages["plain"] = innovation, plain
    for size, showcase in showcases.items():
        started = time.perf_counter()
        create_innovations_in_bulk(
            showcase,
            size - (1 if size == SHOWCASE_SMALL else 0),
            tags=[(3, "digitalt"), (7, "skola")],
            sdgs=[(1, 11), (4, 3)],
            unit=units[1],
        )
        log(f"  {size} innovation pages in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    index_showcase_search()
    log(f"  the search index in {time.perf_counter() - started:.1f} s")
    assert InnovationPage.objects.child_of(showcases[SHOWCASE_LARGE]).count() == SHOWCASE_LARGE
    return {
        "pages": pages,
        "showcases": showcases,
        "units": units,
        "coordinator": create_coordinator(username="koordinator"),
    }


def index_showcase_search():
    """Words for the search: every other page is about bicycles, so the search shows a
    page of results at 10,000 and five at 10 (not one card against twelve); the index
    is built in bulk."""
    from sluss_wagtail.pages.models import InnovationPage
    from tests.factories import index_in_bulk

    pks = list(InnovationPage.objects.order_by("pk").values_list("pk", flat=True))
    InnovationPage.objects.filter(pk__in=pks[::2]).update(
        summary="Lånecyklar vid skolan: eleverna cyklar i stället för att åka bil."
    )
    index_in_bulk(InnovationPage)


def innovation_body():
    return [
        ("heading", "Så fungerar det"),
        ("paragraph", "<p>Personalen öppnar dörren med telefonen. <b>Inga nycklar</b>.</p>" * 3),
        ("quote", "Nu slipper vi springa efter nycklar."),
        ("paragraph", "<ul><li>Tryggare</li><li>Snabbare</li><li>Billigare</li></ul>"),
    ]


STAGES = ["received", "screening", "development", "pilot", "evaluation", "implemented", "closed"]
WORDS = ["bänkar", "belysning", "skolväg", "kompost", "lekplats", "cykelställ", "matsvinn"]
# The filtered and searched listings show a full page (50 ideas) at both sizes, so the
# ratio compares the same page, not 14 rows with 50: every other idea is "received"
# and mentions a "bänkbord", at 100 ideas as at 100,000.
FILTERED_STAGE = "received"
SEARCHED_WORD = "bänkbord"


def add_ideas(until, units):
    """Ideas up to ``until`` in all, in batches: stages, units and dates spread alike at
    every size; every other idea is received and about a 'bänkbord'. Each has its history
    as a site would: the submission, and for the others the move to their stage, every
    other move with feedback to the idea giver."""
    from django.db import transaction
    from django.utils import timezone

    from sluss_wagtail.caching import IDEAS
    from sluss_wagtail.models import Idea
    from sluss_wagtail.models.portfolio import PortfolioEntry

    start = Idea.objects.count()
    assert not Idea.objects.exclude(reference__startswith="IDE-B-").exists(), "only built ideas"
    now = timezone.now()
    with transaction.atomic():
        for first in range(start, until, 5_000):
            ideas = Idea.objects.bulk_create(
                built_idea(n, until, now, units) for n in range(first, min(first + 5_000, until))
            )
            add_history(ideas)
            PortfolioEntry.objects.bulk_create(
                PortfolioEntry(idea=idea, approved=True) for idea in ideas if idea.publish_idea
            )
    IDEAS.bump()  # bulk_create sends no signals: the cached counts must go, as on a site
    recount()
    analyze()


def built_idea(n, until, now, units):
    from sluss_wagtail.models import Idea
    from sluss_wagtail.models.ideas import new_status_token

    word = SEARCHED_WORD if n % 2 == 0 else WORDS[n % len(WORDS)]
    public = n % PUBLIC_EVERY == 0
    created = now - timedelta(minutes=7 * (until - n))
    return Idea(
        reference=f"IDE-B-{n:07d}",
        status_token=new_status_token(),
        title=f"Idé om {word} nummer {n}",
        description=f"Vi föreslår {word} i kvarter {n % 300}.",
        need="Fler behöver kunna vila och träffas.",
        submitter_kind="resident",
        stage=FILTERED_STAGE if n % 2 == 0 else STAGES[n // 2 % len(STAGES)],
        unit=units[n % len(units)] if n % 3 else None,
        created_at=created,
        stage_changed_at=created,
        publish_idea=public,
    )


def add_history(ideas):
    from sluss_wagtail.models import IdeaEvent

    events = []
    for idea in ideas:
        events.append(
            IdeaEvent(
                idea=idea, kind="submitted", to_stage=FILTERED_STAGE, created_at=idea.created_at
            )
        )
        if idea.stage != FILTERED_STAGE:
            events.append(
                IdeaEvent(
                    idea=idea,
                    kind="moved",
                    from_stage=FILTERED_STAGE,
                    to_stage=idea.stage,
                    public_note="Tack för idén!" if idea.pk % 2 else "",
                    created_at=idea.created_at + timedelta(days=3),
                )
            )
    IdeaEvent.objects.bulk_create(events)


def analyze():
    """Fresh planner statistics after a bulk load, as autovacuum would give a live site."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# Measuring -------------------------------------------------------------------------------


def log(message):
    print(message, flush=True)


class Variant:
    def __init__(self, name, request, check=None):
        self.name = name
        self.request = request  # a callable making one request, returning the response
        self.check = check
        self.times = []
        self.peak = None

    def run_once(self):
        started = time.perf_counter()
        response = self.request()
        elapsed = time.perf_counter() - started
        if self.check:
            self.check(response)
        return elapsed


def measure(*variants, repeats=REPEATS):
    """Warm each variant up, then run them in alternation (ABBA…), then their peak memory."""
    for variant in variants:
        for _ in range(WARM_UP):
            variant.run_once()
    for n in range(repeats):
        ordered = variants if n % 2 == 0 else variants[::-1]
        for variant in ordered:
            variant.times.append(variant.run_once())
    for variant in variants:
        tracemalloc.start()
        tracemalloc.reset_peak()
        variant.run_once()
        variant.peak = max(variant.peak or 0, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return variants


def median_ms(variant):
    return statistics.median(variant.times) * 1000


RESULTS = []


def report(case, base, other, note=""):
    """Print and keep one case: ``other`` against ``base``."""
    ratio = median_ms(other) / median_ms(base)
    target = TARGETS[case]
    ok = target is None or ratio <= target
    RESULTS.append(
        {
            "case": case,
            "base": {"name": base.name, "median_ms": median_ms(base), "peak_bytes": base.peak},
            "other": {"name": other.name, "median_ms": median_ms(other), "peak_bytes": other.peak},
            "ratio": ratio,
            "target": target,
            "ok": ok,
            "note": note,
        }
    )
    log(
        f"{case:34} {base.name:>22} {median_ms(base):8.1f} ms {base.peak / 1e6:6.1f} MB"
        f" | {other.name:>22} {median_ms(other):8.1f} ms {other.peak / 1e6:6.1f} MB"
        f" | ratio {ratio:5.2f} "
        + (f"(≤ {target}) {'ok' if ok else 'MISSED'}" if target else "(for information)")
    )


def ok_response(status=200):
    def check(response):
        assert response.status_code == status, (response.status_code, response)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)

    return check


def get(client, url, *, after=None):
    """A GET of ``url``; ``after`` (a cache generation) is bumped before each, as a
    publish or a change of an idea does, so the request counts afresh."""
    if after is None:
        return lambda: client.get(url)

    def request():
        after.bump()
        return client.get(url)

    return request


def bench_showcase(data, client):
    from sluss_wagtail.caching import SHOWCASE

    small, large = (data["showcases"][size] for size in (SHOWCASE_SMALL, SHOWCASE_LARGE))
    for case, query, after in (
        ("showcase", "", None),
        ("showcase, tag filter", "?tag=digitalt", None),
        ("showcase, search", "?q=cyklar", None),
        # For information: the search on Wagtail's search backend each time, as the
        # first request after a publish makes it (where Elasticsearch would pay off).
        ("showcase, search, after a publish", "?q=cyklar", SHOWCASE),
    ):
        a = Variant(
            f"{SHOWCASE_SMALL} pages", get(client, small.url + query, after=after), ok_response()
        )
        b = Variant(
            f"{SHOWCASE_LARGE} pages", get(client, large.url + query, after=after), ok_response()
        )
        measure(a, b)
        report(case, a, b)


INBOX_QUERIES = {
    "inbox": "",
    "inbox, stage filter": f"?stage__exact={FILTERED_STAGE}",
    "inbox, search": f"?q={SEARCHED_WORD}",
}
#: The same listings in the anchor (benchmarks.wagtail_hooks.BenchIdeaViewSet).
ANCHOR_QUERIES = {
    "inbox": "",
    "inbox, stage filter": f"?stage={FILTERED_STAGE}",
    "inbox, search": f"?q={SEARCHED_WORD}",
}
#: One idea in every ten is in the public portfolio (approved, the giver allowed it).
PUBLIC_EVERY = 10
#: What the idea giver types into the form while the similar-idea hint looks: one word
#: of the public ideas' titles (PostgreSQL's trigram word similarity compares the whole
#: text typed with each title, so a sentence finds only titles much like it).
HINT_TEXT = {"title": "Idé om bänkbord", "description": ""}


def inbox_url(query=""):
    from django.urls import reverse

    return reverse("sluss_wagtail_idea_modeladmin_index") + query


def anchor_url(query=""):
    from django.urls import reverse

    return reverse("bench_ideas:index") + query


def ideas_variants(data, client, size):
    """Every view over the ideas at one size: the inbox plain, filtered and searched
    (from the cache, and counted afresh as after a change), the board, the portfolio and
    an idea's public page, the worked idea's admin page, and the similar-idea hint."""
    from django.urls import reverse

    from sluss_wagtail.caching import IDEAS

    name = f"{size} ideas"
    variants = {}
    for case, query in INBOX_QUERIES.items():
        variants[case] = Variant(name, get(client, inbox_url(query)), ok_response())
        variants[f"{case}, ideas changed"] = Variant(
            name, get(client, inbox_url(query), after=IDEAS), ok_response()
        )
    worked, portfolio = data["worked_idea"], data["portfolio"]
    variants["inbox board"] = Variant(
        name, get(client, reverse("sluss_wagtail_idea_modeladmin_board")), ok_response()
    )
    variants["portfolio"] = Variant(name, get(client, portfolio.url), ok_response())
    variants["portfolio idea page"] = Variant(
        name, get(client, f"{portfolio.url}idea/{worked.pk}/"), ok_response()
    )
    variants["idea page (assessments, dialogue, benefits)"] = Variant(
        name,
        get(client, reverse("sluss_wagtail_idea_modeladmin_inspect", args=[worked.pk])),
        ok_response(),
    )
    variants["similar-idea hint"] = Variant(name, post_hint(client), check_hint)
    return variants


def post_hint(client):
    from django.urls import reverse

    url = reverse("sluss_wagtail:similar_ideas")
    return lambda: client.post(url, HINT_TEXT)


def check_hint(response):
    assert response.status_code == 200, response
    assert b"sluss-similar__item" in response.content, "the hint found nothing"


def anchor_variants(client, size):
    """The inbox and the anchor on the same ideas, request by request: the inbox from its
    cache and counted afresh, the anchor (which caches nothing) counting each time."""
    from sluss_wagtail.caching import IDEAS

    cases = {}
    for case, query in INBOX_QUERIES.items():
        anchor = Variant(
            "ModelViewSet", get(client, anchor_url(ANCHOR_QUERIES[case])), ok_response()
        )
        warm = Variant(f"inbox, {size} ideas", get(client, inbox_url(query)), ok_response())
        changed = Variant(
            f"inbox afresh, {size} ideas",
            get(client, inbox_url(query), after=IDEAS),
            ok_response(),
        )
        cases[case] = (anchor, warm, changed)
    return cases


def stats_variants(size):
    """The figures of all ideas as the dashboard and the report ask for them: from the
    cache, and counted afresh as after each change."""
    from sluss_wagtail import stats
    from sluss_wagtail.caching import IDEAS

    def afresh():
        IDEAS.bump()
        return stats.compute(start=None, end=None)

    return [
        Variant(f"{size} ideas", lambda: stats.compute(start=None, end=None)),
        Variant(f"{size} ideas", afresh),
    ]


def remove_ideas_after(count):
    """Back to the first ``count`` ideas and their events (they have no contacts)."""
    from sluss_wagtail.caching import IDEAS
    from sluss_wagtail.models import Idea, IdeaEvent
    from sluss_wagtail.models.portfolio import PortfolioEntry

    last = Idea.objects.order_by("pk").values_list("pk", flat=True)[count - 1]
    PortfolioEntry.objects.filter(idea_id__gt=last)._raw_delete(PortfolioEntry.objects.db)
    IdeaEvent.objects.filter(idea_id__gt=last)._raw_delete(IdeaEvent.objects.db)
    Idea.objects.filter(pk__gt=last)._raw_delete(Idea.objects.db)
    IDEAS.bump()
    recount()
    analyze()


def recount():
    """The statistics' counts after a bulk load, as ``manage.py sluss_recount_stats`` after
    an import without signals: the ideas' changes otherwise keep them in step."""
    from sluss_wagtail import stats

    started = time.perf_counter()
    found = stats.recount()
    log(f"  counted {found.ideas} ideas afresh in {time.perf_counter() - started:.1f} s")
    # The recount leaves a few hundred thousand objects to collect: not in the next timing.
    gc.collect()


def measure_at(variants):
    for variant in variants:
        measure(variant, repeats=REPEATS // 2)


def work_on_first_idea(data):
    """The first idea, worked on as this wave's views show it: assessed against the
    criteria, a question and its answer through the status link, a benefit to follow up,
    and in the public portfolio."""
    from django.utils import timezone

    from sluss_wagtail import assessing, dialogue
    from sluss_wagtail.models import Idea
    from tests.factories import create_assessor, create_benefit, create_criteria

    idea = Idea.objects.order_by("pk").first()
    user = data["coordinator"]
    criteria = create_criteria()
    for n in range(3):
        assessor = create_assessor(username=f"bedomare{n}")
        assessing.request_assessments(
            idea, [assessor], user=user, due_on=timezone.localdate() + timedelta(days=7)
        )
        assessing.submit_assessment(
            idea.assessment_requests.get(assessor=assessor),
            user=assessor,
            scores={criterion.pk: 3 + n % 2 for criterion in criteria},
        )
    dialogue.write_to_giver(idea, user=user, text="Hur många bänkar behövs?")
    dialogue.answer(idea, text="Tre, vid skolvägen.")
    create_benefit(idea, owner=user)
    return idea


def bench_ideas(data, client):
    """Every view over the ideas at 100 and at 100,000 ideas, the stats at 1,000 and at
    100,000; at 100,000 the inbox against the anchor and the hint against the form page.

    The ideas grow between the variants, so they cannot alternate request by request:
    the small size is measured before the large one is built and again after it is
    removed (A B A), half the repeats each time, so a machine that slows down during
    the run slows both sides alike. The anchor and the inbox, and the hint and the form
    page, see the same ideas: they alternate request by request."""
    from sluss_wagtail.models import Idea
    from tests.factories import create_portfolio

    units = data["units"]
    # The ideas sent by the submission case go first: the inbox starts from nothing.
    Idea.objects.all().delete()
    client.force_login(data["coordinator"])
    add_ideas(INBOX_SMALL, units)
    data["worked_idea"] = work_on_first_idea(data)
    data["portfolio"] = create_portfolio()
    small = ideas_variants(data, client, INBOX_SMALL)
    large = ideas_variants(data, client, INBOX_LARGE)
    stats_small, stats_large = stats_variants(STATS_SMALL), stats_variants(STATS_LARGE)
    biggest = max(INBOX_LARGE, STATS_LARGE)
    anchored = anchor_variants(client, INBOX_LARGE)
    form_page = Variant(
        "form page (contrib.forms)", get(client, data["pages"]["form"].url), ok_response()
    )
    hint = Variant(f"hint, {INBOX_LARGE} ideas", post_hint(client), check_hint)
    for turn in range(2):
        add_ideas(INBOX_SMALL, units)
        measure_at(small.values())
        add_ideas(STATS_SMALL, units)
        measure_at(stats_small)
        if turn == 0:
            started = time.perf_counter()
            add_ideas(biggest, units)
            log(f"  {biggest} ideas in {time.perf_counter() - started:.1f} s")
            measure_at(large.values())
            for variants in anchored.values():
                measure(*variants)
            measure(form_page, hint)
            explain_inbox(client)
            measure_at(stats_large)
            remove_ideas_after(INBOX_SMALL)
    for case in small:
        report(case, small[case], large[case])
    for case, (anchor, warm, changed) in anchored.items():
        report(f"{case} vs ModelViewSet", anchor, warm)
        report(f"{case}, ideas changed vs ModelViewSet", anchor, changed)
    report("similar-idea hint vs form page", form_page, hint)
    report("stats", stats_small[0], stats_large[0])
    report("stats, ideas changed", stats_small[1], stats_large[1])
    client.logout()


def bench_stats(data):
    """The statistics alone (``SLUSS_BENCH_CASES=stats``), as ``bench_ideas`` measures
    them (A B A): for a quick look at them without the rest."""
    from sluss_wagtail.models import Idea

    Idea.objects.all().delete()
    small, large = stats_variants(STATS_SMALL), stats_variants(STATS_LARGE)
    add_ideas(STATS_SMALL, data["units"])
    measure_at(small)
    add_ideas(STATS_LARGE, data["units"])
    measure_at(large)
    remove_ideas_after(STATS_SMALL)
    measure_at(small)
    report("stats", small[0], large[0])
    report("stats, ideas changed", small[1], large[1])


PLANS = {}


def explain_inbox(client):
    """PostgreSQL's plan for each query of the inbox on the ideas' table, at the large
    size: which index it uses (kept in the results as ``plans``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    if connection.vendor != "postgresql":
        return
    url = reverse("sluss_wagtail_idea_modeladmin_index")
    try:
        for case, query in INBOX_QUERIES.items():
            with CaptureQueriesContext(connection) as captured:
                client.get(url + query)
            plans = []
            for executed in captured.captured_queries:
                sql = executed["sql"]
                if 'FROM "sluss_wagtail_idea"' not in sql or not sql.startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN ANALYZE " + sql)
                    plan = [row[0] for row in cursor.fetchall()]
                plans.append({"sql": sql[:300], "plan": plan})
                nodes = [line.strip() for line in plan if "Scan" in line or "Index" in line]
                log(f"  plan, {case}: {' / '.join(nodes[:3])[:160]}")
            PLANS[case] = plans
    except Exception as error:  # a plan is information; it never fails the benchmark
        log(f"  no plan: {error}")


def bench_pages(data, client):
    from django.core import mail

    from tests.conftest import form_token, valid_idea_data

    pages = data["pages"]
    submission, form_page = pages["submission"], pages["form"]
    form_data = {
        **valid_idea_data(),
        "submitter_kind": "resident",
        "publish_idea": "yes",
        "publish_name": "no",
    }

    def post_idea():
        # Each idea needs the form's token, as a browser has it: fetched untimed.
        token = form_token(client.get(submission.url).content.decode())
        data = valid_idea_data(form_token=token, title=f"Bänkar {time.perf_counter_ns()}")
        started = time.perf_counter()
        response = client.post(submission.url, data)
        post_idea.elapsed = time.perf_counter() - started
        return response

    class TimedPost(Variant):
        def run_once(self):
            response = self.request()
            self.check(response)
            mail.outbox = []
            return post_idea.elapsed

    def post_form():
        client.get(form_page.url)
        started = time.perf_counter()
        response = client.post(form_page.url, form_data)
        post_form.elapsed = time.perf_counter() - started
        return response

    class TimedFormPost(Variant):
        def run_once(self):
            response = self.request()
            self.check(response)
            assert b"Tack!" in response.content
            mail.outbox = []
            return post_form.elapsed

    a = TimedFormPost("form page (contrib.forms)", post_form, ok_response())
    b = TimedPost("IdeaSubmissionPage", post_idea, ok_response(302))
    # For information, no target: with a worker task backend (TASKS_BACKEND, as a busy
    # site runs) the receipt and the coordinators' note leave the request.
    c = TimedPost("IdeaSubmissionPage, worker", with_worker_backend(post_idea), ok_response(302))
    measure(a, b, c)
    report("idea submission vs form page", a, b)
    report("idea submission, worker backend", a, c)
    a = Variant("plain Wagtail page", get(client, pages["plain"].url), ok_response())
    b = Variant("InnovationPage", get(client, pages["innovation"].url), ok_response())
    measure(a, b)
    report("innovation page vs plain page", a, b)


def with_worker_backend(request):
    """``request`` with the tasks enqueued for a worker, not run in the request."""
    from django.test import override_settings

    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    try:
        import django.tasks  # noqa: F401
    except ImportError:  # Django 5.2
        dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def run():
        with override_settings(TASKS=dummy):
            return request()

    return run


def machine():
    import django
    import wagtail

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024**2:.0f} GiB"
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": ram,
        "load": " ".join(f"{value:.1f}" for value in os.getloadavg()),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "platform": platform.platform(),
    }


def main():
    database = prepare_database()
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import translation

    setup_test_environment()  # the test client's response.context, locmem mail
    translation.activate("sv")
    log(f"sluss_wagtail benchmarks on {database} (scale {SCALE}, {REPEATS} repeats)")
    about = machine()
    log(", ".join(f"{key} {value}" for key, value in about.items()))
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"  migrated in {time.perf_counter() - started:.1f} s")
    data = build_site()
    analyze()
    client = Client()
    log("")
    cases = os.environ.get("SLUSS_BENCH_CASES")
    if cases == "stats":
        bench_stats(data)
    elif cases == "ideas":
        # The views over the ideas alone (the inbox, its anchor, the board, the portfolio,
        # the idea pages, the hint and the stats), without the pages and the showcase.
        bench_ideas(data, client)
    elif cases == "showcase":
        bench_showcase(data, client)
    else:
        bench_pages(data, client)
        bench_showcase(data, client)
        bench_ideas(data, client)
    results = {
        "database": database,
        "database_version": connection.Database.sqlite_version
        if database == "sqlite"
        else connection.pg_version,
        "scale": SCALE,
        "repeats": REPEATS,
        "sizes": {
            "showcase": [SHOWCASE_SMALL, SHOWCASE_LARGE],
            "inbox": [INBOX_SMALL, INBOX_LARGE],
            "stats": [STATS_SMALL, STATS_LARGE],
        },
        "machine": about,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "results": RESULTS,
        "plans": PLANS,
    }
    folder = ROOT / "benchmarks" / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"{database}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    log(f"\nResults in {path.relative_to(ROOT)}")
    missed = [result["case"] for result in RESULTS if not result["ok"]]
    if missed:
        log(f"Missed their targets: {', '.join(missed)}")
        return 1
    return 0


def git_revision():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


if __name__ == "__main__":
    sys.exit(main())
