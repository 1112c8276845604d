"""Demo content for following: a confirmed follower of a demo idea and of a challenge.

``build(command, **context)`` is called from ``sluss_demo``. Moving the idea with
feedback in the admin then sends the follower an e-mail with an unsubscribe link; the
demo's console mail backend prints it where ``runserver`` runs.
"""

from django.utils import timezone

from sluss_wagtail import following, page_types, process
from sluss_wagtail.links import absolute_url
from sluss_wagtail.models import Idea, Subscription
from sluss_wagtail.models.ideas import SubmitterKind

FOLLOWER = "foljare@exempelby.invalid"


def _demo_idea():
    """A public demo idea that can still move on, or a new one."""
    found = (
        Idea.objects.public()
        .filter(stage__in=[process.RECEIVED, process.SCREENING, process.DEVELOPMENT])
        .order_by("created_at", "pk")
        .first()
    )
    if found is not None:
        return found
    idea = Idea.objects.submit(
        submission_key="demo-follow-idea",
        contact={"name": "Demo Demosson", "email": ""},
        title="Fler bänkar längs Storsjöns strandpromenad",
        description="Ställ bänkar var tredje hundra meter längs promenaden runt sjön.",
        need="Äldre och personer med rullator orkar inte gå hela varvet utan att vila.",
        submitter_kind=SubmitterKind.RESIDENT,
        publish_idea=True,
        language="sv",
    )
    # Shown in the public portfolio, as a coordinator approves it in the admin.
    from sluss_wagtail.models.portfolio import approve_for_portfolio

    approve_for_portfolio(idea, user=None, approved=True)
    return idea


def _confirmed(target):
    fields = {"idea": target} if isinstance(target, Idea) else {"page_id": target.pk}
    subscription, _created = Subscription.objects.get_or_create(
        kind=Subscription.Kind.FOLLOW,
        email=FOLLOWER,
        **fields,
        defaults={"language": "sv", "confirmed_at": timezone.now()},
    )
    return subscription


def build(command, **context):
    idea = _demo_idea()
    subscription = _confirmed(idea)
    try:
        challenge = page_types.challenge_model().objects.live().order_by("pk").first()
    except page_types.PageTypeError:
        challenge = None
    if challenge is not None:
        _confirmed(challenge)
    manage = following.link(subscription, "manage", idea)
    write = command.stdout.write
    write(f"Following: {FOLLOWER} follows the idea {idea.reference} “{idea.title}”")
    if challenge is not None:
        write(f"  and the challenge “{challenge.title}” (publish an outcome to tell them).")
    write(
        "  Move the idea with feedback to the idea giver (Innovation sluice → Ideas → "
        f"{idea.reference} → Move): the follower's e-mail, with its unsubscribe link and "
        "List-Unsubscribe headers, is printed in the console where runserver runs."
    )
    write(f"  The follower's own page: {manage}")
    write(f"  Follow it yourself: {absolute_url(following_url(idea))}")
    return subscription


def following_url(idea):
    from django.urls import reverse

    return reverse("sluss_wagtail:follow", args=["idea", idea.pk])
