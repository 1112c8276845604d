"""Personal data: retention, withdrawal, right of access (export) and erasure.

What is personal data here: the ``IdeaContact`` (name, e-mail, phone,
organisation), the account an idea was sent from (``Idea.submitted_by`` and
the user of its ``submitted`` event) and the attachments. The idea itself
(title, texts, stage, history) is a public record (*allmän handling*) and
stays; erasing leaves an immutable ``erased`` event that says what went.

When did an idea *end*? At the last move into an ending stage (closed,
forwarded, implemented, spread), read from the ``moved`` events, for an idea
that is in an ending stage now. An idea moved back out of an ending stage is
not ended.
"""

import io
import json
import zipfile
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import process
from .models import Adoption, Idea, IdeaAttachment, IdeaContact, IdeaEvent

#: Ideas erased in one go by ``sluss_retention``; each batch costs a fixed number of queries.
BATCH_SIZE = 200
CONTACT_FIELDS = ("name", "email", "phone", "organisation")


class WithdrawalNotAllowed(Exception):
    """The idea cannot be withdrawn (it already was); the message says why."""


# Retention ---------------------------------------------------------------------------------


def ended_at_subquery():
    """The time of the idea's last move into an ending stage."""
    return Subquery(
        IdeaEvent.objects.filter(
            idea=OuterRef("pk"),
            kind=IdeaEvent.Kind.MOVED,
            to_stage__in=process.ENDED_STAGES,
        )
        .order_by()
        .values("idea")
        .annotate(last=Max("created_at"))
        .values("last")[:1]
    )


def has_personal_data():
    """A condition on ideas: something personal is still held."""
    return (
        Exists(IdeaContact.objects.filter(idea=OuterRef("pk")))
        | Exists(IdeaAttachment.objects.filter(idea=OuterRef("pk")))
        | Q(submitted_by__isnull=False)
    )


def site_retention():
    """(site root path, retention days) for every site, the default site last."""
    from wagtail.models import Site

    from .models import SlussSettings

    sites = sorted(Site.objects.select_related("root_page"), key=lambda site: site.is_default_site)
    return [
        (site.root_page.path, SlussSettings.for_site(site).retention_days, site.is_default_site)
        for site in sites
    ]


def retention_condition(path_lookup, ended_lookup, now):
    """A condition: ended (``ended_lookup``) longer ago than the retention of the site whose
    tree holds the page at ``path_lookup``; no page at all follows the default site."""
    condition = Q(pk__in=[])
    other_sites = Q()
    for root_path, days, is_default in site_retention():
        on_site = Q(**{f"{path_lookup}__startswith": root_path})
        if is_default:
            on_site = (on_site & other_sites) | Q(**{f"{path_lookup}__isnull": True})
        else:
            other_sites &= ~on_site
        condition |= on_site & Q(**{f"{ended_lookup}__lt": now - timedelta(days=days)})
    return condition


def ideas_past_retention(now=None):
    """Ideas that ended longer ago than their site's retention and still hold personal data.

    An idea belongs to the site of the page it was sent through; an idea
    without a page (or whose page is gone) follows the default site.
    """
    now = now or timezone.now()
    ended = (
        Idea.objects.filter(stage__in=process.ENDED_STAGES)
        .annotate(ended_at=ended_at_subquery())
        .filter(has_personal_data())
    )
    return ended.filter(retention_condition("source_page__path", "ended_at", now)).order_by("pk")


def adoptions_past_retention(now=None):
    """Adoptions decided longer ago than the retention of the innovation's site that still
    hold a contact address (the one piece of personal data an adoption has)."""
    now = now or timezone.now()
    return (
        Adoption.objects.exclude(contact_email="")
        .filter(decided_at__isnull=False)
        .filter(retention_condition("innovation__path", "decided_at", now))
        .order_by("pk")
    )


def apply_retention(*, now=None, apply=False, batch_size=BATCH_SIZE, progress=None):
    """Erase the personal data of every idea past retention; returns how many ideas.

    A dry run (``apply=False``) counts and changes nothing. ``progress`` is
    called after each batch with (done, total). Running it again finds nothing
    more to do.
    """
    ideas = ideas_past_retention(now)
    pks = list(ideas.values_list("pk", flat=True))
    if not apply:
        return pks
    done = 0
    for start in range(0, len(pks), batch_size):
        batch = pks[start : start + batch_size]
        erase_ideas(batch, user=None, reason=_("The retention period ended."))
        done += len(batch)
        if progress:
            progress(done, len(pks))
    return pks


# Erasure ----------------------------------------------------------------------------------


def erase_ideas(pks, *, user, reason):
    """Erase the personal data of the ideas ``pks`` in one go; the ideas stay.

    A fixed number of queries, whatever the number of ideas: the contacts,
    attachments (and their files), the submitting account, and one ``erased``
    event per idea that held something. Returns the events.
    """
    pks = list(pks)
    with transaction.atomic():
        contacts = set(IdeaContact.objects.filter(idea__in=pks).values_list("idea_id", flat=True))
        files = list(IdeaAttachment.objects.filter(idea__in=pks).values_list("idea_id", "file"))
        accounts = set(
            Idea.objects.filter(pk__in=pks, submitted_by__isnull=False).values_list("pk", flat=True)
        )
        IdeaContact.objects.filter(idea__in=pks).delete()
        # Each file leaves the storage after commit (signal_handlers.on_attachment_deleted).
        IdeaAttachment.objects.filter(idea__in=pks).delete()
        Idea.objects.filter(pk__in=accounts).update(submitted_by=None, updated_at=timezone.now())
        # The submitting account names the idea giver. The history is otherwise never
        # edited; erasing personal data is the one change the law asks of it.
        IdeaEvent.objects.filter(idea__in=accounts, kind=IdeaEvent.Kind.SUBMITTED).update(user=None)
        files_by_idea = {}
        for idea_pk, name in files:
            files_by_idea.setdefault(idea_pk, []).append(name)
        now = timezone.now()
        events = [
            IdeaEvent(
                idea_id=pk,
                kind=IdeaEvent.Kind.ERASED,
                user=user if getattr(user, "is_authenticated", False) else None,
                internal_note=str(reason),
                # Stable keys, not words: the history is read in any language.
                changes={
                    "erased": [
                        part
                        for part, held in (
                            ("contact", pk in contacts),
                            ("account", pk in accounts),
                            ("attachments", pk in files_by_idea),
                        )
                        if held
                    ]
                },
                created_at=now,
            )
            for pk in pks
            if pk in contacts or pk in accounts or pk in files_by_idea
        ]
        IdeaEvent.objects.bulk_create(events)
    return events


def erase_adoption_contacts(adoptions):
    """Erase the contact address of these adoptions; the registration stays (once confirmed
    it is public on the innovation's page). Returns how many held one."""
    return adoptions.exclude(contact_email="").update(contact_email="")


def erase_contact(idea, *, user=None, reason=""):
    """Erase one idea's personal data at once (the idea giver's wish, or a coordinator's)."""
    return erase_ideas([idea.pk], user=user, reason=reason)


# Withdrawal -------------------------------------------------------------------------------


def can_withdraw(idea):
    return not idea.events.filter(kind=IdeaEvent.Kind.WITHDRAWN).exists()


def withdraw(idea):
    """The idea giver withdraws the idea: closed if the process allows, and recorded anyway.

    An idea already implemented or spread stays where it is (the work is done
    and a public record), and so does an idea whose duplicates follow it; the
    withdrawal is recorded as an event either way.
    """
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if not can_withdraw(idea):
            raise WithdrawalNotAllowed(_("You have already withdrawn this idea."))
        # An idea that others' duplicates follow stays open for them: the
        # coordinators decide; the withdrawal is recorded either way.
        closable = process.is_allowed(
            idea.stage, process.CLOSED, resume_stage=idea.stage_before_parking
        )
        if closable and not idea.duplicates.exists():
            with translation.override(idea.language or None):
                note = str(_("The idea giver withdrew the idea."))
            process.move_idea(idea, process.CLOSED, user=None, public_note=note)
        return idea.events.create(kind=IdeaEvent.Kind.WITHDRAWN, to_stage=idea.stage)


# Right of access --------------------------------------------------------------------------


def ideas_for_email(email, queryset=None):
    """The ideas whose contact, or the account they were sent from, has the e-mail address
    (any case)."""
    queryset = Idea.objects.all() if queryset is None else queryset
    email = (email or "").strip()
    if not email:
        return queryset.none()
    return queryset.filter(Q(contact__email__iexact=email) | Q(submitted_by__email__iexact=email))


def adoptions_for_email(email):
    """The adoptions ("we use this too") registered with the e-mail address (any case)."""
    email = (email or "").strip()
    if not email:
        return Adoption.objects.none()
    return Adoption.objects.filter(contact_email__iexact=email)


def export_data(ideas, adoptions=None):
    """Everything held about the ideas' givers (and their adoptions), as a JSON-ready dict.

    Internal notes are left out: they may be covered by secrecy and are
    checked by hand before they are handed out.
    """
    ideas = list(
        ideas.select_related("contact", "unit", "challenge", "submitted_by")
        .prefetch_related("events", "attachments")
        .order_by("created_at", "pk")
    )
    items = []
    for idea in ideas:
        contact = getattr(idea, "contact", None)
        items.append(
            {
                "reference": idea.reference,
                "title": idea.title,
                "description": idea.description,
                "need": idea.need,
                "beneficiaries": idea.beneficiaries,
                "submitter_kind": idea.submitter_kind,
                "stage": idea.stage,
                "unit": str(idea.unit) if idea.unit else None,
                "challenge": str(idea.challenge) if idea.challenge else None,
                "publish_idea": idea.publish_idea,
                "publish_name": idea.publish_name,
                "confidential": idea.confidential,
                "language": idea.language,
                "received": idea.created_at.isoformat(),
                "contact": (
                    {field: getattr(contact, field) for field in CONTACT_FIELDS}
                    if contact
                    else None
                ),
                "account": idea.submitted_by.get_username() if idea.submitted_by else None,
                "history": [
                    {
                        "when": event.created_at.isoformat(),
                        "kind": event.kind,
                        "to_stage": event.to_stage,
                        "feedback": event.public_note,
                    }
                    for event in idea.events.all()
                ],
                "attachments": [
                    {
                        "file": attachment_path(attachment),
                        "name": attachment.original_name,
                        "content_type": attachment.content_type,
                        "size": attachment.size,
                        "sha256": attachment.sha256,
                    }
                    for attachment in idea.attachments.all()
                ],
            }
        )
    adopted = [
        {
            "innovation": adoption.innovation.title,
            "organisation": adoption.organisation,
            "municipality": adoption.municipality,
            "contact_email": adoption.contact_email,
            "adaptation": adoption.adaptation,
            "since": adoption.since.isoformat() if adoption.since else None,
            "status": adoption.status,
            "registered": adoption.created_at.isoformat(),
        }
        for adoption in (adoptions.select_related("innovation") if adoptions is not None else [])
    ]
    data = {"generated_at": timezone.now().isoformat(), "ideas": items, "adoptions": adopted}
    return data, ideas


def attachment_path(attachment):
    return f"attachments/{attachment.idea.reference}/{attachment.pk}-{attachment.original_name}"


def export_zip(ideas, adoptions=None):
    """A ZIP of ``data.json`` and the attachments; returns (bytes, the ideas)."""
    data, ideas = export_data(ideas, adoptions)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for idea in ideas:
            for attachment in idea.attachments.all():
                try:
                    with attachment.file.open("rb") as handle:
                        archive.writestr(attachment_path(attachment), handle.read())
                except FileNotFoundError:
                    continue
    return buffer.getvalue(), ideas


def record_access(ideas, *, user):
    """Log that the personal data of these ideas was handed out."""
    IdeaEvent.objects.bulk_create(
        IdeaEvent(
            idea=idea,
            kind=IdeaEvent.Kind.ACCESSED,
            user=user,
            internal_note=str(_("Right of access: everything held was handed out.")),
        )
        for idea in ideas
    )
