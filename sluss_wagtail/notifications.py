"""Who is told what. Every message is rendered from
``templates/sluss_wagtail/emails/<name>_subject.txt``, ``<name>.txt`` and
``<name>.html``, in the language the idea was sent in.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .conf import sluss_settings

logger = logging.getLogger(__name__)


def get_site_settings():
    from wagtail.models import Site

    from .models import SlussSettings

    site = Site.objects.filter(is_default_site=True).first()
    return SlussSettings.for_site(site) if site else None


def render_email(name, context, *, to, language):
    """Render the e-mail ``name`` as a message to ``to`` (a list of addresses)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"sluss_wagtail/emails/{name}_subject.txt", context)
        text = render_to_string(f"sluss_wagtail/emails/{name}.txt", context)
        html = render_to_string(f"sluss_wagtail/emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=sluss_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(html, "text/html")
    return message


def get_idea_giver_email(idea):
    contact = getattr(idea, "contact", None)
    return contact.email if contact is not None and contact.email else None


def send_idea_receipt(idea):
    """The receipt to the idea giver: reference number, what happens next, status link."""
    email = get_idea_giver_email(idea)
    if not email:
        return None
    site_settings = get_site_settings()
    with translation.override(idea.language or settings.LANGUAGE_CODE):
        status_url = idea.get_absolute_status_url()
    context = {
        "idea": idea,
        "status_url": status_url,
        "site_settings": site_settings,
        "feedback_promise_days": site_settings.feedback_promise_days if site_settings else None,
    }
    message = render_email("idea_received", context, to=[email], language=idea.language)
    message.send()
    return message
