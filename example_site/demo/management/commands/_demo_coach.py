"""Demo content for the idea coach and assisted intake (``sluss_demo`` calls ``build``).

A customer-centre user (``kundcenter``) who registered an idea from a phone call and one
from a letter, and an idea coach (``idecoach``) who looks after a few of the ideas. Safe to
run again: nothing is made twice. Every login has the demo's password.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from sluss_wagtail import actions, permissions, process, roles
from sluss_wagtail.models import Idea, IdeaEvent, Sluice
from sluss_wagtail.models.ideas import Channel, SubmitterKind

#: (username, first name, last name, role)
CUSTOMER_CENTRE_USER = ("kundcenter", "Kim", "Karlsson", roles.CUSTOMER_CENTRE)
COACH_USER = ("idecoach", "Ida", "Lindqvist", roles.COORDINATORS)
#: How many of the demo's open ideas the coach looks after.
COACHED = 3

#: Ideas taken in on the giver's behalf: (key, channel, title, description, need, contact).
ASSISTED_IDEAS = [
    (
        "demo-coach-phone",
        Channel.PHONE,
        "Ledstänger vid trappan till vårdcentralen",
        "Sätt upp ledstänger på båda sidor av den branta trappan upp till vårdcentralen, "
        "och gärna en bänk halvvägs.",
        "Många äldre vågar inte gå trappan när det är halt och tar i stället en lång omväg.",
        {"name": "Elsa Berg", "phone": "0302-12 34 56"},
    ),
    (
        "demo-coach-letter",
        Channel.LETTER,
        "Lånecyklar för besökare på äldreboendet",
        "Låt anhöriga låna en tandemcykel eller rullstolscykel på äldreboendet, så att de "
        "kan ta med de boende ut på en tur.",
        "De boende kommer sällan ut, och anhöriga har inget sätt att ta med dem längre bort.",
        {"name": "Göran Ek", "email": ""},
    ),
]


def _user(command, username, first_name, last_name, role, groups):
    from .sluss_demo import ADMIN_PASSWORD

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username,
            f"{username}@exempelby.invalid",
            ADMIN_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
    user.groups.add(groups[role])
    return user


def _assisted_idea(key, channel, title, description, need, contact, *, registrar):
    idea = Idea.objects.filter(submission_key=key).first()
    if idea is not None:
        return idea, False
    default = Sluice.objects.default()
    site = default.get_main_site()
    idea = Idea.objects.submit(
        submission_key=key,
        contact=contact,
        title=title,
        description=description,
        need=need,
        submitter_kind=SubmitterKind.RESIDENT,
        publish_idea=True,
        publish_name=False,
        language="sv",
        channel=channel,
        sluice_id=default.pk,
        **({"site": site} if site is not None else {}),
    )
    from sluss_wagtail.admin.intake import channel_label

    actions.record(
        idea,
        IdeaEvent.Kind.REGISTERED,
        user=registrar,
        changes={"channel": channel_label(channel)},
    )
    return idea, True


def build(command, **context):
    """The customer centre's user and two ideas it registered, and an idea coach with ideas.
    Returns how many ideas were made."""
    groups = roles.ensure_groups()
    admin = context.get("admin")
    created = 0
    with transaction.atomic():
        registrar = _user(command, *CUSTOMER_CENTRE_USER, groups)
        coach = _user(command, *COACH_USER, groups)
        phone_idea = None
        for key, channel, title, description, need, contact in ASSISTED_IDEAS:
            idea, new = _assisted_idea(
                key, channel, title, description, need, contact, registrar=registrar
            )
            created += new
            phone_idea = phone_idea or idea
        if not Idea.objects.filter(coach=coach).exists():
            open_ideas = Idea.objects.filter(
                stage__in=process.OPEN_STAGES, coach__isnull=True, sluice__is_default=True
            ).exclude(pk=phone_idea.pk)
            chosen = [phone_idea, *open_ideas.order_by("created_at", "pk")[: COACHED - 1]]
            for idea in chosen:
                if permissions.may_coach(coach, idea):
                    actions.assign_coach(
                        idea,
                        coach,
                        user=admin,
                        internal_note="Ida tar hand om idén och håller kontakten med idégivaren.",
                    )
    command.stdout.write(
        "  'kundcenter': customer centre, registers ideas from calls, visits and letters "
        "(Innovation sluice → Register an idea); sees no inbox"
    )
    command.stdout.write(
        "  'idecoach': idea coach of a few ideas: “My ideas” on the dashboard and in the inbox"
    )
    return created
