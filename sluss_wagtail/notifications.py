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
from .links import admin_idea_url, page_site_url
from .models import SlussSettings

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
    return batches
