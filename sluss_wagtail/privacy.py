"""Personal data: retention, withdrawal, right of access (export) and erasure.

What is personal data here, and every place it is copied to, is one list:
``COPIES`` below. Erasure (the status page, the admin, ``sluss_retention``), the
right-of-access export (GDPR art. 15) and the withdrawal of the publishing consent
all go through it, so a feature that copies personal data somewhere new adds one
entry there and is erased, exported and unpublished with the rest.

The idea itself (title, texts, stage, history) is a public record (*allmän
handling*) and stays; erasing leaves an immutable ``erased`` event that says what
went (the keys of the copies that held something).

When did an idea *end*? At the last move into an ending stage (closed,
forwarded, implemented, spread), read from the ``moved`` events, for an idea
that is in an ending stage now (``Idea.objects.ended()``). An idea moved back out
of an ending stage is not ended.
"""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import page_types, process
from .caching import IDEAS
from .models.adoptions import Adoption
from .models.dialogue import DialogueMessage
from .models.following import Subscription
from .models.ideas import Idea, IdeaAttachment, IdeaContact, IdeaEvent
from .redaction import Rewrite, names_on, page_revisions, rewrite_innovation_pages, scrubber

#: Ideas erased in one go by ``sluss_retention``; each batch costs a fixed number of queries
#: (and a few more for each innovation page that names an idea giver).
BATCH_SIZE = 200
CONTACT_FIELDS = ("name", "email", "phone", "organisation")
#: What stands where an erased text was: in a correction's original, in a page's text.
ERASED_MARKER = _("(erased)")
#: What stands where the giver's name was on a page after they withdrew their consent.
REMOVED_MARKER = _("(removed)")
#: The summary of an innovation page that only quoted the giver's text, after they
#: withdrew their consent (the summary is required: it cannot just be emptied).
WITHDRAWN_SUMMARY = _("The idea giver's own text is no longer published here, at their request.")
#: The title of such a page (the words the promote action uses without consent).
WITHDRAWN_TITLE = _("Innovation from idea %(reference)s")


class WithdrawalNotAllowed(Exception):
    """The idea cannot be withdrawn (it already was); the message says why."""


def in_site_language(text):
    """Text stored in the database (a marker) in the site's language, not the visitor's."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


# Retention ---------------------------------------------------------------------------------


def has_personal_data():
    """A condition on ideas: something personal is still held, in one of the copies of
    ``COPIES`` that can tell (``held``)."""
    conditions = [copy.held() for copy in COPIES if copy.held]
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


def site_retention():
    """(site, retention days) for every site, the default site last."""
    from wagtail.models import Site

    from .models.settings import SlussSettings

    sites = sorted(Site.objects.select_related("root_page"), key=lambda site: site.is_default_site)
    return [(site, SlussSettings.for_site_id(site.pk).retention_days) for site in sites]


def _ended_before(ended_lookup, now, days):
    return Q(**{f"{ended_lookup}__lt": now - timedelta(days=days)})


def idea_retention_condition(ended_lookup, now):
    """A condition on ideas: ended (``ended_lookup``) longer ago than the retention of the
    site the idea came through (``Idea.site``); an idea without one follows the default
    site, as ``SlussSettings.for_idea`` does (the standard retention without any)."""
    from .models.settings import SlussSettings

    condition = Q(pk__in=[])
    without_site = Q(site__isnull=True)
    any_default = False
    for site, days in site_retention():
        of_site = Q(site=site)
        if site.is_default_site:
            of_site |= without_site
            any_default = True
        condition |= of_site & _ended_before(ended_lookup, now, days)
    if not any_default:
        standard = SlussSettings._meta.get_field("retention_days").default
        condition |= without_site & _ended_before(ended_lookup, now, standard)
    return condition


def page_retention_condition(path_lookup, ended_lookup, now):
    """A condition: ended (``ended_lookup``) longer ago than the retention of the site whose
    tree holds the page at ``path_lookup``; no page at all follows the default site."""
    condition = Q(pk__in=[])
    other_sites = Q()
    for site, days in site_retention():
        on_site = Q(**{f"{path_lookup}__startswith": site.root_page.path})
        if site.is_default_site:
            on_site = (on_site & other_sites) | Q(**{f"{path_lookup}__isnull": True})
        else:
            other_sites &= ~on_site
        condition |= on_site & _ended_before(ended_lookup, now, days)
    return condition


def ideas_past_retention(now=None):
    """Ideas that ended longer ago than their site's retention and still hold personal data.

    An idea belongs to the site it came through (``Idea.site``); an idea without one
    follows the default site.
    """
    now = now or timezone.now()
    ended = Idea.objects.ended().filter(has_personal_data())
    return ended.filter(idea_retention_condition("ended_at", now)).order_by("pk")


def adoptions_past_retention(now=None):
    """Adoptions decided longer ago than the retention of the innovation's site that still
    hold a contact address (the one piece of personal data an adoption has)."""
    now = now or timezone.now()
    return (
        Adoption.objects.exclude(contact_email="")
        .filter(decided_at__isnull=False)
        .filter(page_retention_condition("innovation__path", "decided_at", now))
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


# Where personal data is copied to ---------------------------------------------------------


@dataclass(frozen=True)
class PersonalDataCopy:
    """One place an idea giver's personal data is held or copied to.

    ``erase(pks)`` erases it for the ideas ``pks`` and returns the pks of those that
    held some (in a fixed number of queries). ``export(ideas)`` says what is held,
    ``{idea pk: data}``, for the right of access; the ideas come with their contact,
    account, events and attachments read. ``files(ideas)`` yields ``(path in the ZIP,
    open file)`` for the export. ``unpublish(pks)`` takes it off every public page when
    the giver withdraws the publishing consent, and returns the pks it changed.
    """

    key: str
    erase: Callable
    export: Callable | None = None
    files: Callable | None = None
    unpublish: Callable | None = None
    #: ``held()``: a condition on ideas, true while this copy holds something of theirs;
    #: retention finds the ideas to erase by it.
    held: Callable | None = None


# Names (and text) on innovation pages, in every revision -------------------------------


def _contact_names(pks):
    names = {}
    for idea_pk, name in IdeaContact.objects.filter(idea__in=pks).values_list("idea", "name"):
        names.setdefault(idea_pk, set()).add(name)
    return names


def erase_page_names(pks):
    """The giver's name: the page's ``idea_giver_name`` and the name wherever it stands in
    the page's text, in the page and in every revision (read before the contact goes)."""
    contact_names = _contact_names(pks)
    marker = in_site_language(ERASED_MARKER)
    return rewrite_innovation_pages(
        pks,
        lambda page, names: Rewrite(
            names=names | contact_names.get(page.idea_id, set()), name_marker=marker
        ),
    )


def giver_texts(ideas):
    """What each idea's giver wrote, by idea pk: the texts now, and the originals kept in
    the correction events (unless erased)."""
    texts = {}
    erased = {in_site_language(ERASED_MARKER)}
    for idea in ideas:
        own = texts.setdefault(idea.pk, set())
        own.update(getattr(idea, field) for field in ("title", "description", "need"))
        own.add(idea.beneficiaries)
    corrections = IdeaEvent.objects.filter(
        idea__in=list(texts), kind=IdeaEvent.Kind.CORRECTED
    ).values_list("idea", "changes")
    for idea_pk, changes in corrections:
        for change in (changes or {}).values():
            if isinstance(change, dict):
                texts[idea_pk].update(str(change.get(side) or "") for side in ("old", "new"))
    return {pk: {text for text in own if text and text not in erased} for pk, own in texts.items()}


def unpublish_pages(pks):
    """The giver withdrew the publishing consent: their name leaves the pages (as in
    erasure), and so does their text where the page still quotes it — a title that is
    their title, a summary cut from their description, a block of the body that holds
    their text, a slug (the page's address) made from their title, which becomes the
    idea's reference. What the municipality wrote itself stays: it is the municipality's
    record.
    """
    ideas = {idea.pk: idea for idea in Idea.objects.filter(pk__in=pks)}
    texts = giver_texts(ideas.values())
    contact_names = _contact_names(pks)
    marker = in_site_language(REMOVED_MARKER)
    summary = in_site_language(WITHDRAWN_SUMMARY)

    def make_rewrite(page, names):
        idea = ideas[page.idea_id]
        with translation.override(settings.LANGUAGE_CODE):
            title = str(WITHDRAWN_TITLE % {"reference": idea.reference})
        slug = slugify(idea.reference)
        if page.get_siblings(inclusive=False).filter(slug=slug).exists():
            slug = f"{slug}-{page.pk}"
        return Rewrite(
            names=names | contact_names.get(page.idea_id, set()),
            name_marker=marker,
            giver_texts=texts.get(page.idea_id, ()),
            replacements={"title": title, "draft_title": title, "summary": summary},
            new_slug=slug,
        )

    return rewrite_innovation_pages(pks, make_rewrite)


def export_page_names(ideas):
    """The pages that name the giver (now, or in a revision), with the names found."""
    innovations = page_types.innovation_model().objects
    pages = list(innovations.filter(idea__in=[idea.pk for idea in ideas]).order_by("pk"))
    revisions = page_revisions(pages)
    found = {}
    for page in pages:
        names = names_on(page, revisions[page.pk])
        if names:
            found.setdefault(page.idea_id, []).append(
                {
                    "page": page.pk,
                    "title": page.title,
                    "live": page.live,
                    "name_shown": page.idea_giver_name,
                    "names_in_revisions": sorted(names),
                }
            )
    return found


# The originals of corrected texts -----------------------------------------------------------


def redact_corrections(pks):
    """The original text a coordinator corrected (it may hold what the correction took out:
    a personal identity number, a name) is replaced by a marker; the event stays."""
    marker = in_site_language(ERASED_MARKER)
    changed = []
    for event in IdeaEvent.objects.filter(idea__in=pks, kind=IdeaEvent.Kind.CORRECTED):
        changes = {
            field: (
                {**change, "old": marker}
                if isinstance(change, dict) and change.get("old") not in ("", None, marker)
                else change
            )
            for field, change in (event.changes or {}).items()
        }
        if changes != event.changes:
            event.changes = changes
            changed.append(event)
    # The history is otherwise never edited; erasing personal data is the one change the
    # law asks of it (IdeaEvent.save refuses updates, a bulk update is deliberate).
    IdeaEvent.objects.bulk_update(changed, ["changes"], batch_size=100)
    return {event.idea_id for event in changed}


def export_corrections(ideas):
    found = {}
    for idea in ideas:
        for event in idea.events.all():
            if event.kind != IdeaEvent.Kind.CORRECTED:
                continue
            for field, change in (event.changes or {}).items():
                if isinstance(change, dict):
                    found.setdefault(idea.pk, []).append(
                        {
                            "when": event.created_at.isoformat(),
                            "field": field,
                            "original": change.get("old", ""),
                            "corrected": change.get("new", ""),
                        }
                    )
    return found


# The contact, the account and the attachments --------------------------------------------


def erase_contacts(pks):
    contacts = IdeaContact.objects.filter(idea__in=pks)
    held = set(contacts.values_list("idea_id", flat=True))
    contacts.delete()
    return held


def export_contacts(ideas):
    return {
        idea.pk: {field: getattr(idea.contact, field) for field in CONTACT_FIELDS}
        for idea in ideas
        if getattr(idea, "contact", None) is not None
    }


def erase_accounts(pks):
    held = set(
        Idea.objects.filter(pk__in=pks, submitted_by__isnull=False).values_list("pk", flat=True)
    )
    Idea.objects.filter(pk__in=held).update(submitted_by=None, updated_at=timezone.now())
    # The submitting account names the idea giver in the first event too.
    IdeaEvent.objects.filter(idea__in=held, kind=IdeaEvent.Kind.SUBMITTED).update(user=None)
    return held


def export_accounts(ideas):
    return {idea.pk: idea.submitted_by.get_username() for idea in ideas if idea.submitted_by}


def erase_attachments(pks):
    attachments = IdeaAttachment.objects.filter(idea__in=pks)
    held = set(attachments.values_list("idea_id", flat=True))
    # Each file leaves the storage after commit (signal_handlers.on_attachment_deleted).
    attachments.delete()
    return held


def attachment_path(attachment):
    return f"attachments/{attachment.idea.reference}/{attachment.pk}-{attachment.original_name}"


def export_attachments(ideas):
    return {
        idea.pk: [
            {
                "file": attachment_path(attachment),
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            }
            for attachment in idea.attachments.all()
        ]
        for idea in ideas
    }


def attachment_files(ideas):
    for idea in ideas:
        for attachment in idea.attachments.all():
            try:
                handle = attachment.file.open("rb")
            except FileNotFoundError:
                continue
            yield attachment_path(attachment), handle


# The dialogue with the idea giver ----------------------------------------------------------


def erase_dialogue(pks):
    """The giver's identity leaves the thread: their name, address, phone, organisation
    and account names in every message (theirs and staff's: "Hej Anna") become a marker;
    the messages stay, a public record. Read before the contact and the account go; the
    files go with the attachments. Returns the pks of the ideas whose thread held some."""
    marker = in_site_language(ERASED_MARKER)
    now = timezone.now()
    messages = list(DialogueMessage.objects.filter(idea__in=pks, erased_at__isnull=True))
    scrubs = {
        pk: scrubber(values, marker)
        for pk, values in Idea.objects.giver_identities(
            {message.idea_id for message in messages}
        ).items()
    }
    held = set()
    for message in messages:
        text = scrubs[message.idea_id](message.text)
        if message.is_from_giver or text != message.text:
            held.add(message.idea_id)
        message.text = text
        message.erased_at = now
    # Messages are otherwise never edited (``DialogueMessage.save`` refuses): erasure is
    # the one change the law asks of them, a deliberate bulk update.
    DialogueMessage.objects.bulk_update(messages, ["text", "erased_at"], batch_size=100)
    return held


def export_dialogue(ideas):
    """The giver's own answers (their files are in the attachments)."""
    found = {}
    answers = DialogueMessage.objects.from_giver().filter(idea__in=[idea.pk for idea in ideas])
    for message in answers.prefetch_related("attachments").order_by("created_at", "pk"):
        found.setdefault(message.idea_id, []).append(
            {
                "when": message.created_at.isoformat(),
                "text": message.text,
                "files": [attachment.original_name for attachment in message.attachments.all()],
            }
        )
    return found


def withdraw_name(idea):
    """The giver no longer allows their name to be published (the status page's answer on
    taking part): ``publish_name`` goes off and the name leaves the innovation pages, in
    every revision, as in erasure; the idea's text stays published if it was."""
    contact_names = _contact_names([idea.pk])
    marker = in_site_language(REMOVED_MARKER)
    Idea.objects.filter(pk=idea.pk).update(publish_name=False, updated_at=timezone.now())
    idea.publish_name = False
    return rewrite_innovation_pages(
        [idea.pk],
        lambda page, names: Rewrite(
            names=names | contact_names.get(page.idea_id, set()), name_marker=marker
        ),
    )


#: Every place personal data is held or copied to, in the order erasure goes through them
#: (the pages first: they read the contact's name to find it in the pages' text). A new
#: copy (followers, messages, …) is one more entry here. The key names it in the
#: ``erased`` event and in the export.
COPIES = [
    PersonalDataCopy(
        "innovation_names",
        erase=erase_page_names,
        export=export_page_names,
        unpublish=unpublish_pages,
        held=lambda: Exists(
            page_types.innovation_model()
            .objects.filter(idea=OuterRef("pk"))
            .exclude(idea_giver_name="")
        ),
    ),
    # No ``held``: an original is erased with the idea's other copies; telling a kept one
    # from an erased one would mean reading every correction's JSON in the retention query.
    PersonalDataCopy("corrected_originals", erase=redact_corrections, export=export_corrections),
    # Before the contact and the account: it reads them to find the giver in the texts.
    PersonalDataCopy(
        "dialogue",
        erase=erase_dialogue,
        export=export_dialogue,
        held=lambda: Exists(
            DialogueMessage.objects.filter(
                idea=OuterRef("pk"),
                direction=DialogueMessage.Direction.FROM_GIVER,
                erased_at__isnull=True,
            )
        ),
    ),
    PersonalDataCopy(
        "contact",
        erase=erase_contacts,
        export=export_contacts,
        held=lambda: Exists(IdeaContact.objects.filter(idea=OuterRef("pk"))),
    ),
    PersonalDataCopy(
        "account",
        erase=erase_accounts,
        export=export_accounts,
        held=lambda: Q(submitted_by__isnull=False),
    ),
    PersonalDataCopy(
        "attachments",
        erase=erase_attachments,
        export=export_attachments,
        files=attachment_files,
        held=lambda: Exists(IdeaAttachment.objects.filter(idea=OuterRef("pk"))),
    ),
]
#: Public places that read the consent at every request and need no entry: a challenge
#: page lists only ideas whose givers allow publishing (``publish_idea``), with the name
#: only if they allow that too.


# Erasure ----------------------------------------------------------------------------------


def erase_ideas(pks, *, user, reason):
    """Erase the personal data of the ideas ``pks`` in one go, everywhere it is copied
    (``COPIES``); the ideas stay. All or nothing: one transaction.

    A fixed number of queries, whatever the number of ideas (and a few for each
    innovation page of theirs), and one ``erased`` event per idea that held something,
    listing what went. Returns the events.
    """
    pks = list(pks)
    with transaction.atomic():
        went = {pk: [] for pk in pks}
        for copy in COPIES:
            for pk in copy.erase(pks):
                went[pk].append(copy.key)
        now = timezone.now()
        events = [
            IdeaEvent(
                idea_id=pk,
                kind=IdeaEvent.Kind.ERASED,
                user=user if getattr(user, "is_authenticated", False) else None,
                internal_note=str(reason),
                # Stable keys, not words: the history is read in any language.
                changes={"erased": went[pk]},
                created_at=now,
            )
            for pk in pks
            if went[pk]
        ]
        IdeaEvent.objects.bulk_create(events)
        # bulk_create and update() send no signals: the cached figures start afresh here.
        IDEAS.bump()
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
            with translation.override(idea.giver_language):
                note = str(_("The idea giver withdrew the idea."))
            process.move_idea(idea, process.CLOSED, user=None, public_note=note)
        return idea.events.create(kind=IdeaEvent.Kind.WITHDRAWN, to_stage=idea.stage)


# Publishing consent -----------------------------------------------------------------------


def has_publishing_consent(idea):
    return bool(idea.publish_idea or idea.publish_name)


def withdraw_consent(idea):
    """The idea giver withdraws the consent to publish their text and name, at any time.

    Both consents go off, and their text and name leave every public page through the
    ``unpublish`` of each copy in ``COPIES``: the name on innovation pages, and the text
    those pages still quote (see ``unpublish_pages``). What the municipality wrote on
    top of the idea stays public. Returns the ``consent_withdrawn`` event, or ``None``
    when there was no consent left to withdraw.
    """
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if not has_publishing_consent(idea):
            return None
        changes = {
            "publish_idea": {"old": idea.publish_idea, "new": False},
            "publish_name": {"old": idea.publish_name, "new": False},
        }
        idea.publish_idea = idea.publish_name = False
        idea.save(update_fields=["publish_idea", "publish_name", "updated_at"])
        unpublished = [copy.key for copy in COPIES if copy.unpublish and copy.unpublish([idea.pk])]
        if unpublished:
            changes["unpublished"] = unpublished
        return idea.events.create(kind=IdeaEvent.Kind.CONSENT_WITHDRAWN, changes=changes)


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


def subscriptions_for_email(email):
    """What the address follows and supports (``following``)."""
    return Subscription.objects.for_email(email)


def erase_subscriptions_for_email(email):
    """Erase the address as a follower and supporter (``SubscriptionQuerySet.erase``): the
    follows go, a confirmed support stays counted without it. Returns how many held it."""
    return subscriptions_for_email(email).erase()


def export_data(ideas, adoptions=None, *, email=None):
    """Everything held about the ideas' givers (and their adoptions), as a JSON-ready dict.

    The idea's own record, its history of feedback, and what every copy in ``COPIES``
    holds (under the copy's key): the contact, the account, the attachments, the names
    on innovation pages, the original texts of corrections. Internal notes are left
    out: they may be covered by secrecy and are checked by hand before they are handed
    out. Returns (the data, the ideas read).
    """
    ideas = list(
        ideas.select_related("contact", "unit", "challenge", "submitted_by")
        .prefetch_related("events", "attachments")
        .order_by("created_at", "pk")
    )
    held = {copy.key: copy.export(ideas) for copy in COPIES if copy.export}
    items = []
    for idea in ideas:
        item = {
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
            "history": [
                {
                    "when": event.created_at.isoformat(),
                    "kind": event.kind,
                    "to_stage": event.to_stage,
                    "feedback": event.public_note,
                }
                for event in idea.events.all()
            ],
        }
        for key, found in held.items():
            item[key] = found.get(idea.pk)
        items.append(item)
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
    if email is not None:
        # What the address follows and supports (``following``).
        data["following"] = subscriptions_for_email(email).export()
    return data, ideas


def export_zip(ideas, adoptions=None, *, email=None):
    """A ZIP of ``data.json`` and the files every copy holds (the attachments); returns
    (bytes, the ideas)."""
    data, ideas = export_data(ideas, adoptions, email=email)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for copy in COPIES:
            for path, handle in copy.files(ideas) if copy.files else ():
                with handle:
                    archive.writestr(path, handle.read())
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
