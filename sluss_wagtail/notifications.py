"""Who is told what.

Every message is rendered from ``templates/sluss_wagtail/emails/<name>_subject.txt``,
``<name>.txt`` and ``<name>.html`` (all overridable). Messages to an idea giver
are in the language the idea was sent in; messages to staff in the site's
language. A message to staff shows of an idea what its recipients may see
(``permissions.idea_visibility_for_email``): it is rendered once per group of
recipients who may see the same, so a unit reviewer's message never carries
the idea giver's personal data. Callers are tasks (``tasks.py``), enqueued after the transaction
commits, so a failing mail server never loses or rolls back anything.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import permissions, process
from .conf import sluss_settings
from .links import admin_idea_url
from .models.following import target_kind, target_title
from .models.settings import SlussSettings, page_site_url

logger = logging.getLogger(__name__)


def get_coordinator_emails(site_settings):
    return site_settings.get_coordinator_emails() if site_settings else []


def get_from_email(site_settings):
    """The site's sender address, else SLUSS_WAGTAIL_FROM_EMAIL, else DEFAULT_FROM_EMAIL."""
    if site_settings is not None and site_settings.from_email:
        return site_settings.from_email
    return sluss_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL


def render_email(name, context, *, to, language=None, site_settings=None):
    """Render the e-mail ``name`` as a message to ``to`` (a list of addresses)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"sluss_wagtail/emails/{name}_subject.txt", context)
        text = render_to_string(f"sluss_wagtail/emails/{name}.txt", context)
        html = render_to_string(f"sluss_wagtail/emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=get_from_email(site_settings),
        to=to,
    )
    message.attach_alternative(html, "text/html")
    return message


def render_staff_emails(name, context, *, to, idea=None, site_settings=None):
    """Render the e-mail ``name`` to staff ``to``: one message per group of recipients who
    may see the same of ``idea`` (or of ideas in general), with that as ``visibility``.

    The templates show the idea giver's name only ``{% if visibility.contact %}``.
    """
    groups = {}
    for address in to:
        visibility = permissions.idea_visibility_for_email(address, idea)
        groups.setdefault(visibility, []).append(address)
    return [
        render_email(
            name,
            {**context, "visibility": visibility},
            to=addresses,
            site_settings=site_settings,
        )
        for visibility, addresses in groups.items()
    ]


def get_idea_giver_email(idea):
    contact = getattr(idea, "contact", None)
    return contact.email if contact is not None and contact.email else None


def _idea_giver_context(idea, site_settings):
    with translation.override(idea.giver_language):
        status_url = idea.get_absolute_status_url()
    return {
        "idea": idea,
        "status_url": status_url,
        "site_settings": site_settings,
        "feedback_promise_days": site_settings.feedback_promise_days if site_settings else None,
    }


def send_idea_receipt(idea):
    """The receipt to the idea giver: reference number, what happens next, status link."""
    email = get_idea_giver_email(idea)
    if not email:
        return None
    site_settings = SlussSettings.for_idea(idea)
    message = render_email(
        "idea_received",
        _idea_giver_context(idea, site_settings),
        to=[email],
        language=idea.giver_language,
        site_settings=site_settings,
    )
    message.send()
    return message


def send_feedback(event):
    """A move with a public note: the idea giver reads the feedback, with the status link.

    The givers of ideas marked as duplicates of this one follow it, so they hear too,
    each from the site their own idea came through.
    """
    if not event.public_note:
        return []
    sent = []
    for idea in [event.idea, *event.idea.duplicates.select_related("contact")]:
        email = get_idea_giver_email(idea)
        if not email:
            continue
        site_settings = SlussSettings.for_idea(idea)
        context = _idea_giver_context(idea, site_settings)
        # The stage the feedback is about, even if the idea has moved on since.
        stage = process.get_stage(event.to_stage) if event.to_stage else None
        context.update({"event": event, "stage": stage})
        if idea.pk != event.idea_id:
            context["idea"] = idea
        message = render_email(
            "idea_feedback",
            context,
            to=[email],
            language=idea.giver_language,
            site_settings=site_settings,
        )
        message.send()
        sent.append(message)
    return sent


def send_innovation_published(page):
    """The idea giver hears that their idea is now shown in the showcase, if they allowed it."""
    idea = page.idea
    if idea is None or not idea.publish_idea or idea.confidential:
        return None
    email = get_idea_giver_email(idea)
    if not email:
        return None
    site_settings = SlussSettings.for_idea(idea)
    context = _idea_giver_context(idea, site_settings)
    # The innovation in the idea giver's language where it is translated, else the original,
    # on the page's own site.
    shown = type(page).objects.public().standing_for(page, idea.giver_language)
    context["page_url"] = page_site_url(shown)
    message = render_email(
        "innovation_published",
        context,
        to=[email],
        language=idea.giver_language,
        site_settings=site_settings,
    )
    message.send()
    return message


def send_new_idea_to_coordinators(idea, site_settings=None):
    """The coordinators hear of a new idea; returns the messages sent (one per group of
    recipients who may see the same of it): those of the site it came through."""
    site_settings = site_settings or SlussSettings.for_idea(idea)
    recipients = get_coordinator_emails(site_settings)
    if not recipients:
        return []
    messages = render_staff_emails(
        "new_idea",
        {"idea": idea, "admin_url": admin_idea_url(idea)},
        to=recipients,
        idea=idea,
        site_settings=site_settings,
    )
    for message in messages:
        message.send()
    return messages


def send_unit_assignment(event):
    """The unit's contact hears that an idea was routed to it (de-identified unless the
    address is an account that may see personal data); returns the messages sent."""
    idea = event.idea
    if idea.unit is None or not idea.unit.contact_email:
        return []
    site_settings = SlussSettings.for_idea(idea)
    messages = render_staff_emails(
        "unit_assigned",
        {
            "idea": idea,
            "event": event,
            "admin_url": admin_idea_url(idea),
        },
        to=[idea.unit.contact_email],
        idea=idea,
        site_settings=site_settings,
    )
    for message in messages:
        message.send()
    return messages


def send_coach_assignment(event):
    """The idea coach hears that an idea was given to them (showing of it what their
    account may see), from the idea's site; returns the messages sent."""
    idea = event.idea
    coach = idea.coach
    if coach is None or not coach.is_active or not coach.email:
        return []
    site_settings = SlussSettings.for_idea(idea)
    messages = render_staff_emails(
        "coach_assigned",
        {"idea": idea, "event": event, "coach": coach, "admin_url": admin_idea_url(idea)},
        to=[coach.email],
        idea=idea,
        site_settings=site_settings,
    )
    for message in messages:
        message.send()
    return messages


def send_assessment_request(request):
    """The assessor hears that an idea waits for their assessment, and by when: its
    reference and a link to the assessment form, nothing of its giver (the form shows
    the idea de-identified); from the site the idea came through."""
    from .links import admin_assessment_url

    address = request.assessor.email if request.assessor.is_active else ""
    if not address:
        return []
    idea = request.idea
    messages = render_staff_emails(
        "assessment_requested",
        {
            "idea": idea,
            "request": request,
            "assessment_url": admin_assessment_url(request),
        },
        to=[address],
        idea=idea,
        site_settings=SlussSettings.for_idea(idea),
    )
    for message in messages:
        message.send()
    return messages


def send_feedback_reminders(now=None):
    """For each site: tell its coordinators of every idea that came through it, and each
    unit's contact of its own, that waited past the site's feedback promise without
    feedback, from the site's sender. Returns the messages sent."""
    from .stats import waiting_for_feedback_per_site

    now = now or timezone.now()
    sent = []
    for site_id, promise_days, ideas in waiting_for_feedback_per_site(now=now):
        site_settings = SlussSettings.for_site_id(site_id)
        for recipients, batch in _reminder_batches(site_settings, ideas, now):
            # A list of ideas by reference and title: nothing of their givers, for anyone.
            for message in render_staff_emails(
                "feedback_reminder",
                {"ideas": batch, "promise_days": promise_days},
                to=recipients,
                site_settings=site_settings,
            ):
                message.send()
                sent.append(message)
    return sent


def _reminder_batches(site_settings, ideas, now):
    """(recipients, ideas) of one site's reminders: its coordinators all, each unit's
    contact its own."""
    for idea in ideas:
        idea.days_waiting = (now - idea.created_at).days
        idea.admin_url = admin_idea_url(idea)
    batches = []
    coordinators = get_coordinator_emails(site_settings)
    if coordinators and ideas:
        batches.append((coordinators, ideas))
    by_unit = {}
    for idea in ideas:
        if idea.unit is not None and idea.unit.contact_email:
            by_unit.setdefault(idea.unit.contact_email, []).append(idea)
    batches.extend(([address], unit_ideas) for address, unit_ideas in by_unit.items())
    # Each idea coach the reminders for their own ideas (unless they hear as a coordinator),
    # while they may still see them (``permissions.may_coach``).
    by_coach = {}
    for idea in ideas:
        coach = idea.coach
        if coach is None or not coach.is_active or coach.email in ("", *coordinators):
            continue
        if permissions.may_coach(coach, idea):
            by_coach.setdefault(coach.email, []).append(idea)
    batches.extend(([address], coached) for address, coached in by_coach.items())
    return batches


# Followers (``following``) --------------------------------------------------------------


def send_follow_confirmation(subscription):
    """The one message an address gets before it is confirmed: the signed, expiring link
    that confirms it (double opt-in)."""
    from . import following

    target = subscription.target
    if subscription.is_confirmed or not subscription.email or target is None:
        return None
    site_settings = following.site_settings_of(target)
    message = render_email(
        "follow_confirm",
        {
            "subscription": subscription,
            "target_title": target_title(target),
            "target_kind": target_kind(target),
            "confirm_url": following.link(subscription, "confirm", target),
            "valid_days": following.CONFIRM_MAX_AGE.days,
            "site_settings": site_settings,
        },
        to=[subscription.email],
        language=subscription.language,
        site_settings=site_settings,
    )
    message.send()
    from .models.following import Subscription

    Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    return message


def _send_to_followers(name, kind, object_id, target, context):
    """``name`` to every confirmed follower of ``target`` not yet told of ``object_id``,
    each in their language, with their own unsubscribe link (also in the headers)."""
    from . import following

    site_settings = following.site_settings_of(target)
    sent = []
    recipients = following.not_yet_told(following.followers(target), kind, object_id)
    for subscription in recipients.order_by("pk"):
        unsubscribe_url = following.link(subscription, "unsubscribe", target)
        message = render_email(
            name,
            {
                **context,
                "target_title": target_title(target),
                "target_kind": target_kind(target),
                "target_url": following.target_url(target),
                "unsubscribe_url": unsubscribe_url,
                "manage_url": following.link(subscription, "manage", target),
                "site_settings": site_settings,
            },
            to=[subscription.email],
            language=subscription.language,
            site_settings=site_settings,
        )
        message.extra_headers.update(following.unsubscribe_headers(unsubscribe_url))
        message.send()
        following.record_told(subscription, kind, object_id)
        sent.append(message)
    return sent


def send_follower_feedback(event):
    """A move of a public idea with public feedback: its followers read the feedback."""
    from .models.emails import FailedEmail
    from .models.ideas import Idea

    if not event.public_note or not Idea.objects.public().filter(pk=event.idea_id).exists():
        return []
    stage = process.get_stage(event.to_stage) if event.to_stage else None
    return _send_to_followers(
        "follower_feedback",
        FailedEmail.Kind.FOLLOWER_FEEDBACK,
        event.pk,
        event.idea,
        {"event": event, "stage": stage},
    )


def send_follower_outcome(page, revision_id):
    """A challenge's outcome was published: its followers read it."""
    from .models.emails import FailedEmail

    if not (getattr(page, "outcome", "") or "").strip() or not page.live:
        return []
    return _send_to_followers(
        "follower_outcome",
        FailedEmail.Kind.FOLLOWER_OUTCOME,
        revision_id,
        page,
        {"page": page},
    )


def send_follower_adoption(adoption):
    """A new confirmed adoption of a public innovation: its followers hear who uses it."""
    from . import following
    from .models.adoptions import AdoptionStatus
    from .models.emails import FailedEmail

    if adoption.status != AdoptionStatus.CONFIRMED:
        return []
    page = following.public_page(adoption.innovation_id)
    if page is None:
        return []
    return _send_to_followers(
        "follower_adoption",
        FailedEmail.Kind.FOLLOWER_ADOPTION,
        adoption.pk,
        page,
        {"adoption": adoption},
    )


# The dialogue with the idea giver (``dialogue``) --------------------------------------------


def send_dialogue_message(message):
    """A message (a question, the invitation to take part) to the idea giver, when they
    left an address: read it and answer on the status page, whose link it gives."""
    idea = message.idea
    email = get_idea_giver_email(idea)
    if not email:
        return None
    site_settings = SlussSettings.for_idea(idea)
    context = _idea_giver_context(idea, site_settings)
    context["message"] = message
    rendered = render_email(
        "dialogue_message",
        context,
        to=[email],
        language=idea.giver_language,
        site_settings=site_settings,
    )
    rendered.send()
    return rendered


def get_coach_email(idea):
    """The idea's coach's address (the ``Idea.coach`` of the coach feature), if any."""
    if getattr(idea, "coach_id", None) is None:
        return None
    coach = idea.coach
    return coach.email if coach is not None and coach.is_active and coach.email else None


def send_dialogue_answer(message):
    """The idea giver answered: the coordinators of the idea's site and its coach hear,
    each message showing of the giver what its recipients may see."""
    from .dialogue import deidentified

    idea = message.idea
    site_settings = SlussSettings.for_idea(idea)
    recipients = list(get_coordinator_emails(site_settings))
    coach_email = get_coach_email(idea)
    if coach_email and coach_email.lower() not in {r.lower() for r in recipients}:
        recipients.append(coach_email)
    if not recipients:
        return []
    deidentified(idea, [message])
    messages = render_staff_emails(
        "dialogue_answer",
        {
            "idea": idea,
            "message": message,
            "files": message.attachments.count(),
            "admin_url": admin_idea_url(idea),
        },
        to=recipients,
        idea=idea,
        site_settings=site_settings,
    )
    for rendered in messages:
        rendered.send()
    return messages


def send_follow_up_reminders(now=None):
    """Remind each benefit owner of the follow-ups that have come and that nobody recorded
    or reminded them of yet, from the site of each benefit's idea. Returns the messages sent.

    One message per owner and site; each follow-up is reminded of once (``reminded_at``)."""
    from django.db import transaction
    from django.urls import reverse

    from .links import admin_url
    from .models.benefits import BenefitFollowUp

    now = now or timezone.now()
    due = (
        BenefitFollowUp.objects.due(timezone.localdate(now))
        .filter(reminded_at=None, benefit__idea__isnull=False, benefit__owner__is_active=True)
        .exclude(benefit__owner__email="")
        .select_related("benefit", "benefit__owner", "benefit__idea")
        .order_by("due_on", "pk")
    )
    batches = {}
    for follow_up in due:
        idea = follow_up.benefit.idea
        follow_up.admin_url = admin_url(
            reverse("sluss_wagtail_benefit_follow_up", args=[follow_up.pk])
        )
        key = (follow_up.benefit.owner.email, idea.site_id)
        batches.setdefault(key, []).append(follow_up)
    sent = []
    for (address, _site_id), follow_ups in batches.items():
        idea = follow_ups[0].benefit.idea
        site_settings = SlussSettings.for_idea(idea)
        # Benefits and reference numbers only: nothing of the ideas' givers.
        for message in render_staff_emails(
            "follow_up_reminder",
            {"follow_ups": follow_ups},
            to=[address],
            idea=idea,
            site_settings=site_settings,
        ):
            message.send()
            sent.append(message)
        with transaction.atomic():
            BenefitFollowUp.objects.filter(pk__in=[f.pk for f in follow_ups]).update(
                reminded_at=now
            )
    return sent
