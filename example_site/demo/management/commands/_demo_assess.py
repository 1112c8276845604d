"""Demo: assessment by criteria and a council's decision (called by ``sluss_demo``).

The default sluice gets the default criteria (in the site's language: Swedish in the
demo); one demo idea is assessed by two assessors; the idea council (*idérådet*)
grants money for a small-scale test. Running it again changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from sluss_wagtail import assessing, process, roles
from sluss_wagtail.models import Decision, Idea, Sluice

PASSWORD = "sluss-demo-2026"
ASSESSORS = [
    ("bedomare", "Berit", "Bedömare"),
    ("natverk", "Nils", "Nätverksson"),
]
IDEA_KEY = "demo-assess-lanecyklar"
IDEA = {
    "title": "Lånecyklar för hemtjänsten",
    "description": (
        "Hemtjänstens personal kör bil mellan korta besök i centrum. Med elcyklar att "
        "låna kommer de fram lika fort, slipper leta parkering och får röra på sig."
    ),
    "need": "Bilarna räcker inte till på morgonen och parkeringen tar tid.",
    "beneficiaries": "Personalen i hemtjänsten och de äldre som får besök i tid.",
}
#: Each assessor's score per criterion (in the default criteria's order) and a comment
#: on the first.
SCORES = {
    "bedomare": ([5, 4, 4, 4, 5, 3], "Stor nytta: mindre stress och fler besök i tid."),
    "natverk": ([4, 3, 3, 5, 5, 3], "Kräver laddplats och förvaring i personalrummet."),
}


def _user(username, first_name, last_name, group):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username,
            f"{username}@exempelby.invalid",
            PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
    user.groups.add(group)
    return user


def build(command, **context):
    """Build the assessment demo; returns the idea. ``context`` may give ``admin`` (who
    asks and records) and ``page`` (the idea form the idea came through)."""
    admin = context.get("admin") or get_user_model().objects.filter(is_superuser=True).first()
    sluice = Sluice.objects.get(pk=Sluice.objects.default_pk())
    criteria = assessing.create_default_criteria(sluice)
    groups = roles.ensure_groups()
    assessors = [_user(*row, groups[roles.ASSESSORS]) for row in ASSESSORS]
    idea = Idea.objects.filter(submission_key=IDEA_KEY).first()
    if idea is None:
        idea = Idea.objects.submit(
            submission_key=IDEA_KEY,
            contact={"name": "Karin Lund", "email": "karin.lund@exempelby.invalid"},
            submitter_kind="employee",
            publish_idea=True,
            publish_name=False,
            language="sv",
            source_page=context.get("page"),
            **IDEA,
        )
        process.move_idea(idea, process.SCREENING, user=admin, public_note="Vi bedömer nu din idé.")
    if not idea.assessment_requests.exists():
        requests = assessing.request_assessments(
            idea, assessors, user=admin, due_on=timezone.localdate() + timedelta(days=14)
        )
        for request in requests:
            scores, comment = SCORES[request.assessor.username]
            assessing.submit_assessment(
                request,
                user=request.assessor,
                scores={c.pk: score for c, score in zip(criteria, scores, strict=False)},
                comments={criteria[0].pk: comment},
            )
    if not Decision.objects.filter(idea=idea).exists():
        assessing.decide(
            idea,
            "test",
            user=admin,
            reasons=(
                "Idérådet vill pröva lånecyklar i liten skala: tre elcyklar i hemtjänst "
                "Norr under hösten. Vi hör av oss med resultatet."
            ),
            internal_note="Bedömningen gav högt på nytta och hållbarhet.",
            body="Idérådet",
            present="Ingrid Innovationsledare, Gustav Enhetschef, Berit Bedömare",
            amount_granted=Decimal("45000"),
            funding_source="Innovationsfonden",
        )
    if command is not None:
        command.stdout.write(
            "  'bedomare' and 'natverk': assessors (Waiting for my assessment); "
            f"idea {idea.reference} assessed and decided by the idea council"
        )
    return idea
