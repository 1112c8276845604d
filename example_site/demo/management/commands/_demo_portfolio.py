"""Demo content of the public portfolio: ``build(command, **context)``, called by
``sluss_demo`` after the ideas, the challenges and the showcase exist; safe to run again.

A portfolio page under the home page, and demo ideas approved for it at several stages:
one in a small-scale test with a test that failed, one implemented, one spread, one
parked, and a closed one with its decision. Typing "bänkar vid sjön" in the idea form
shows "Sittbänkar längs promenadstråket vid sjön" as similar.
"""

from wagtail.models import Site

from sluss_wagtail.models import Idea, Pilot
from sluss_wagtail.models.portfolio import PortfolioEntry, approve_for_portfolio
from sluss_wagtail.page_types import portfolio_models

#: (submission key of a demo idea, public title, public summary); empty: the giver's own.
APPROVED = [
    ("demo-1", "", "Tre bänkar står vid sjön i sommar som ett test i liten skala."),
    ("demo-2", "", "Hemtjänsten öppnar hos brukarna med telefonen i stället för nycklar."),
    ("demo-3", "Läxhjälp i föreningens lokaler", ""),
    ("demo-4", "", ""),
    ("demo-6", "", ""),
    ("demo-8", "", "Föreningar ser och bokar skolans lokaler på kvällarna."),
    ("demo-c2", "", ""),
    ("demo-c3", "", ""),
    ("demo-c4", "", ""),
]

FAILED_TEST = {
    "title": "Bänkar utan ryggstöd",
    "hypothesis": "Enkla bänkar räcker för att fler ska orka gå varvet.",
    "success_criteria": "Fler går hela varvet enligt räkningen i juni.",
    "outcome": "failed",
    "result": "Lika många gick hela varvet; de äldre vi frågade satt inte på bänkarna.",
    "lessons": "Bänkarna behöver ryggstöd och armstöd för att äldre ska kunna använda dem.",
}


def build(command, *, home=None, admin=None, **context):
    """The portfolio page and the approved demo ideas; returns the page."""
    if home is None:
        home = Site.objects.get(is_default_site=True).root_page.specific
    models = portfolio_models()
    if not models:
        return None  # no app builds a portfolio page
    model = models[0]
    page = model.objects.child_of(home).first()
    if page is None:
        page = model(
            title="Idéer på gång",
            slug="ideer-pa-gang",
            intro="<p>Här visar vi idéer som kommunen arbetar med just nu, var de är i "
            "processen och vad vi har lärt oss, också av tester som inte fungerade. Idégivaren "
            "har godkänt att idén visas.</p>",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    bench = Idea.objects.filter(submission_key="demo-1").first()
    if bench is not None and not bench.pilots.filter(title=FAILED_TEST["title"]).exists():
        Pilot.objects.create(idea=bench, **FAILED_TEST)
    approved = 0
    for key, title, summary in APPROVED:
        idea = Idea.objects.filter(submission_key=key).first()
        if idea is None or PortfolioEntry.objects.filter(idea=idea).exists():
            continue
        approve_for_portfolio(
            idea, user=admin, approved=True, public_title=title, public_summary=summary
        )
        approved += 1
    if command is not None:
        command.stdout.write(f"Public portfolio: {page.full_url} ({approved} ideas approved now)")
    return page
