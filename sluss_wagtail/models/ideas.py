import hmac
import secrets
from datetime import timedelta
from functools import partial

import swapper
from django.conf import settings
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from swapper import get_model_name
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .. import process
from ..attachments import attachment_upload_to, get_attachment_storage
from ..conf import sluss_settings
from ..page_types import challenge_choices
from ..signals import idea_submitted
from ..spam import sent_before
from .constraints import text_length_constraints
from .sdg import SustainabilityDimension, SustainableDevelopmentGoal
from .sluices import (
    Sluice,
    SluiceMemberMixin,
    SluiceMemberQuerySet,
    layout,
    sluice_pk_for_new_idea,
)
from .units import OrganisationUnit

swapper.set_app_prefix("wagtailcore", "wagtail")

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
SHORT_TEXT_MAX_LENGTH = 2_000


class SubmitterKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    EMPLOYEE = "employee", _("Employee")
    ASSOCIATION = "association", _("Association")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    """How an idea reached the sluice: the public form, or registered in the admin on the
    giver's behalf (assisted intake, ``sluss_wagtail.admin.intake``)."""

    WEB = "web", _("Web form")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


#: Kinds of submitter who submit on behalf of an organisation and must name it.
ORGANISATION_KINDS = frozenset({SubmitterKind.ASSOCIATION, SubmitterKind.BUSINESS})


def new_status_token():
    """An unguessable token for the idea giver's private status link."""
    return secrets.token_urlsafe(min(48, max(16, int(sluss_settings.STATUS_TOKEN_BYTES))))


#: Characters of a status token the database looks up (the selector); the rest (144 bits
#: with the default 24-byte token) is compared in constant time. A database index
#: compares the whole token byte by byte and could leak, through its timing, how much
#: of a guess was right.
STATUS_TOKEN_SELECTOR_LENGTH = 8
STATUS_TOKEN_MIN_LENGTH = 22  # what the smallest allowed token, 16 bytes, gives


class ReferenceCounter(SluiceMemberMixin, models.Model):
    """The last reference number a sluice handed out in a year: one row per sluice and year."""

    sluice = models.ForeignKey(
        Sluice,
        verbose_name=_("sluice"),
        on_delete=models.CASCADE,
        related_name="reference_counters",
    )
    year = models.PositiveIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(
                fields=["sluice", "year"], name="sluss_referencecounter_sluice_year"
            )
        ]

    def __str__(self):
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_number(cls, year, sluice=None):
        """Take the next number of ``year`` in ``sluice`` (the default sluice by default);
        call inside a transaction.

        The UPDATE comes first: it takes the row lock (PostgreSQL) or the
        database write lock (SQLite), so a concurrent submission waits until
        this transaction ends and then reads the number after ours. On
        PostgreSQL and SQLite the UPDATE returns the number (one query).
        """
        sluice_pk = getattr(sluice, "pk", sluice) or Sluice.objects.default_pk()
        number = cls._increment_returning(year, sluice_pk)
        if number is not None:
            return number
        counter = cls.objects.filter(year=year, sluice_id=sluice_pk)
        if counter.update(last_number=F("last_number") + 1):
            return counter.values_list("last_number", flat=True).get()
        try:
            with transaction.atomic():
                cls.objects.create(year=year, sluice_id=sluice_pk, last_number=1)
            return 1
        except IntegrityError:
            # Another transaction created the year's row first; take the next one.
            counter.update(last_number=F("last_number") + 1)
            return counter.values_list("last_number", flat=True).get()

    @classmethod
    def _increment_returning(cls, year, sluice_pk):
        """``UPDATE … RETURNING`` where the database has it: the new number, or None
        (no row for the sluice and year yet, or a database without it)."""
        connection = connections[router.db_for_write(cls)]
        if connection.vendor not in ("postgresql", "sqlite") or not (
            connection.features.can_return_columns_from_insert
        ):
            return None
        quote = connection.ops.quote_name
        number = quote("last_number")
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(cls._meta.db_table)} SET {number} = {number} + 1 "
                f"WHERE {quote('year')} = %s AND {quote('sluice_id')} = %s RETURNING {number}",
                [year, sluice_pk],
            )
            row = cursor.fetchone()
        return row[0] if row else None


def format_reference(year, number, sluice=None):
    """The reference number ``number`` of ``year`` in the format of ``sluice`` (a sluice or
    its primary key; its own format, else ``SLUSS_WAGTAIL_REFERENCE_FORMAT``)."""
    sluice_pk = getattr(sluice, "pk", sluice)
    own = layout().formats.get(sluice_pk) if sluice_pk else None
    return (own or sluss_settings.REFERENCE_FORMAT).format(year=year, number=number)


def site_id_of_page(page):
    """The id of the site whose tree holds ``page`` (Wagtail's own answer, from its cached
    site root paths), or ``None`` for a page outside every site."""
    parts = page.get_url_parts() if page is not None else None
    return parts[0] if parts else None


def default_site_id():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()


def site_id_for_new_idea(*pages):
    """The site of an idea created without a request (an admin intake, an import, a
    command): that of the first of ``pages`` (its page, its challenge) on a site, else
    the default site."""
    for page in pages:
        site_id = site_id_of_page(page)
        if site_id is not None:
            return site_id
    return default_site_id()


def index_references_after_commit(instance):
    """Wagtail's reference index of ``instance`` once the transaction commits, as a task
    of Wagtail's (a worker backend takes it out of the request), as Wagtail would have
    done in the transaction. A crash in between leaves it to
    ``manage.py rebuild_references_index``."""
    from wagtail.models import ReferenceIndex
    from wagtail.tasks import update_reference_index_task

    if not ReferenceIndex.is_indexed(type(instance)):
        return  # not a model Wagtail indexes here (no admin registered it)
    transaction.on_commit(
        partial(
            update_reference_index_task.enqueue,
            instance._meta.app_label,
            instance._meta.model_name,
            str(instance.pk),
        ),
        robust=True,
    )


class IdeaQuerySet(SluiceMemberQuerySet):
    def of_challenge(self, challenge):
        """The ideas sent to ``challenge`` (a page or its primary key) through any of its
        translations: a challenge and its translations are one (``models.translations``)."""
        from .translations import translations_of

        return self.filter(challenge__in=translations_of(challenge).values("pk"))

    def public(self):
        """THE ideas shown in public, the one way public code reads ideas (the portfolio,
        an idea's public page, the similar-idea hint, following and support): the giver
        allowed publishing, a coordinator approved it for the portfolio
        (``models.portfolio``), not confidential, not withdrawn, the giver's data not
        erased. One query, whatever it is combined with."""
        gone = IdeaEvent.objects.filter(
            idea=OuterRef("pk"), kind__in=[IdeaEvent.Kind.WITHDRAWN, IdeaEvent.Kind.ERASED]
        )
        return self.filter(
            publish_idea=True, confidential=False, portfolio_entry__approved=True
        ).exclude(Exists(gone))

    def waiting_for_feedback(self, days, *, now=None):
        """Open ideas received more than ``days`` ago whose giver has had no feedback.

        Duplicates are left out: their givers follow the original. The statistics
        (``stats.waiting_for_feedback``) add the promise's default and the sluices."""
        return self.filter(self.waiting_for_feedback_condition(days, now=now))

    @staticmethod
    def waiting_for_feedback_condition(days, *, now=None):
        """``waiting_for_feedback``'s condition on an idea, to annotate each row with (the
        board's "past the promise"): a subquery of the events of that one idea. (An
        ``Exists`` over ``waiting_for_feedback()`` joined to the row by its key let
        PostgreSQL find every waiting idea of the table once, at 100,000 ideas 300 ms.)"""
        now = now or timezone.now()
        feedback = IdeaEvent.objects.filter(idea=OuterRef("pk")).exclude(public_note="")
        return Q(
            stage__in=process.OPEN_STAGES,
            created_at__lt=now - timedelta(days=days),
            duplicate_of__isnull=True,
        ) & ~Exists(feedback)

    def ended(self):
        """Ideas in an ending stage now, with ``ended_at``: the time of their last move into
        one (an idea moved back out of an ending stage is not ended). Retention counts
        from it (``privacy``, ``following``)."""
        last_ending_move = (
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
        return self.filter(stage__in=process.ENDED_STAGES).annotate(
            ended_at=Subquery(last_ending_move)
        )

    def giver_identities(self, pks):
        """What names each idea's giver, by idea pk (every one of ``pks``): the contact's
        name, address, phone and organisation, and the submitting account's names; three
        queries for any number. The dialogue de-identifies by it, erasure scrubs by it."""
        from django.contrib.auth import get_user_model

        found = {pk: set() for pk in pks}
        for pk, *values in IdeaContact.objects.filter(idea__in=pks).values_list(
            "idea", "name", "email", "phone", "organisation"
        ):
            found[pk].update(values)
        accounts = self.filter(pk__in=pks, submitted_by__isnull=False).values_list(
            "pk", "submitted_by"
        )
        by_user = {}
        for pk, user_pk in accounts:
            by_user.setdefault(user_pk, []).append(pk)
        if by_user:
            users = get_user_model()._default_manager.filter(pk__in=by_user)
            for user in users:
                names = {user.get_username(), user.email, user.get_full_name()}
                for pk in by_user[user.pk]:
                    found[pk].update(names)
        return {
            pk: {value for value in values if value and len(value.strip()) >= 2}
            for pk, values in found.items()
        }

    def for_status_token(self, token):
        """The idea whose status token is ``token``, or ``None``; without a timing leak.

        The database finds the candidates by the token's first characters (the
        selector, which may leak: it is not enough to open anything); the whole token
        is then compared with ``hmac.compare_digest``. Existing links keep working:
        the token is stored as before.
        """
        token = token if isinstance(token, str) else ""
        if not STATUS_TOKEN_MIN_LENGTH <= len(token) <= 64:
            return None
        candidates = self.filter(status_token__startswith=token[:STATUS_TOKEN_SELECTOR_LENGTH])
        # SQLite's LIKE ignores case, so a few candidates may differ only in case.
        found = None
        for idea in candidates[:20]:
            if hmac.compare_digest(idea.status_token.encode(), token.encode()):
                found = idea
        return found

    def submit(self, *, contact=None, submission_key=None, form_key=None, attachments=(), **fields):
        """Save a new idea with its reference number, contact and first event.

        ``contact`` is a dict of ``IdeaContact`` fields. ``submission_key`` (the
        opened form with its answers) makes a repeated submission of the same form (a
        double click, a reload) return the idea it already created instead of a
        second one. ``form_key`` (the opened form alone) makes one opened form one
        idea at most: other answers on it raise ``spam.FormAlreadySent``.
        ``attachments`` are ``sluss_wagtail.attachments.CleanFile`` objects. ``site``
        is the site it came through (``Site.find_for_request``); without it, the site
        of its page or challenge, else the default site.
        """
        from wagtail.signal_handlers import disable_reference_index_auto_update

        if not fields.get("site") and not fields.get("site_id"):
            fields.pop("site", None)
            fields["site_id"] = site_id_for_new_idea(
                fields.get("source_page"), fields.get("challenge")
            )
        # A repeated submission fails on the unique submission key and rolls back
        # (its reference number too); the idea stored the first time is returned.
        try:
            with transaction.atomic():
                year = timezone.localdate().year
                if "sluice" not in fields and "sluice_id" not in fields:
                    fields["sluice_id"] = sluice_pk_for_new_idea(fields)
                idea = self.model(
                    submission_key=submission_key or None, form_key=form_key or None, **fields
                )
                number = ReferenceCounter.next_number(year, idea.sluice_id)
                idea.reference = format_reference(year, number, idea.sluice_id)
                # Wagtail's reference index of the idea (its pages, site, unit) after the
                # commit, not in it: five queries fewer under the counter's lock.
                with disable_reference_index_auto_update():
                    idea.save(force_insert=True)
                if contact and any(contact.values()):
                    IdeaContact.objects.create(idea=idea, **contact)
                stored = []
                try:
                    for clean_file in attachments:
                        stored.append(IdeaAttachment.store(idea, clean_file).file.name)
                except Exception:
                    # Nothing half-saved: the rows roll back, the files go too.
                    for name in stored:
                        get_attachment_storage().delete(name)
                    raise
                event = IdeaEvent(
                    idea=idea,
                    kind=IdeaEvent.Kind.SUBMITTED,
                    to_stage=idea.stage,
                    user=idea.submitted_by,
                )
                # The idea was just counted from itself (``stats.retally``), its stage
                # with it: its first event adds nothing counted, so the tallies need not
                # read the idea's record to know (a query in the transaction that holds
                # the reference counter's lock).
                event.counted_with_new_idea = True
                event.save(force_insert=True)
        except IntegrityError:
            existing = sent_before(self, submission_key, form_key)
            if existing is None:
                raise
            return existing
        index_references_after_commit(idea)
        idea_submitted.send(sender=self.model, idea=idea)
        return idea


class Idea(SluiceMemberMixin, models.Model):
    """An idea from a resident, an employee, an association or a business.

    Ideas are data, not pages: untrusted input never becomes a page. The
    idea giver's personal data lives apart, in ``IdeaContact``. An idea belongs to
    the sluice of the site it came through (``sluice``); its reference number is
    unique in that sluice.
    """

    sluice = models.ForeignKey(
        Sluice,
        verbose_name=_("sluice"),
        on_delete=models.PROTECT,
        related_name="ideas",
        editable=False,
    )
    reference = models.CharField(
        _("reference number"), max_length=40, db_index=True, editable=False
    )
    status_token = models.CharField(
        _("status token"), max_length=64, unique=True, default=new_status_token, editable=False
    )
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # The opened form the idea was sent from (``spam.SpamProtectedForm.form_key``): one
    # opened form, one idea at most.
    form_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("the idea"), max_length=TEXT_MAX_LENGTH)
    need = models.TextField(_("the need or problem it solves"), max_length=TEXT_MAX_LENGTH)
    beneficiaries = models.TextField(
        _("who would benefit"), max_length=SHORT_TEXT_MAX_LENGTH, blank=True
    )
    submitter_kind = models.CharField(
        _("kind of idea giver"), max_length=20, choices=SubmitterKind.choices
    )
    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=process.STAGE_CHOICES,
        default=process.RECEIVED,
        db_index=True,
    )
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    stage_before_parking = models.CharField(
        max_length=20, choices=process.STAGE_CHOICES, blank=True, editable=False
    )
    decision = models.TextField(_("decision"), blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    publish_idea = models.BooleanField(_("may publish the idea"), default=False)
    publish_name = models.BooleanField(_("may publish the name"), default=False)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Confidential ideas are never published and are masked in exports."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sluss_wagtail_ideas",
    )
    # A page of the challenge role (``page_types``), through the swappable page model: the
    # concrete challenge pages are the optional pages app's or the site's own.
    challenge = models.ForeignKey(
        get_model_name("wagtailcore", "Page"),
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=challenge_choices,
    )
    source_page = models.ForeignKey(
        get_model_name("wagtailcore", "Page"),
        verbose_name=_("submitted through page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The site it came through: its settings and its address speak for the idea
    # (``SlussSettings.for_idea``, ``models.settings.idea_site_url``).
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("sent through site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sluss_ideas",
        editable=False,
    )
    tags = TaggableManager(verbose_name=_("tags"), through="TaggedIdea", blank=True)
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal, verbose_name=_("sustainable development goals"), blank=True
    )
    dimensions = models.ManyToManyField(
        SustainabilityDimension, verbose_name=_("sustainability dimensions"), blank=True
    )
    language = models.CharField(_("language"), max_length=15, blank=True)
    # The idea coach (idécoach): the admin user who looks after the idea
    # (``actions.assign_coach``; one who may see it, ``permissions.may_coach``).
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("idea coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sluss_coached_ideas",
        editable=False,
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB, editable=False
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        permissions = [
            ("view_all_ideas", _("Can see the ideas of every unit")),
            ("view_confidential_idea", _("Can see confidential ideas unmasked in reports")),
            ("register_idea", _("Can register ideas on an idea giver's behalf")),
        ]
        # For the inbox, checked with EXPLAIN on PostgreSQL at 100,000 ideas: a unit's
        # or a challenge's page of ideas in the listing's order read off one index, and
        # the order of "days in this stage". The listing's own order uses created_at's
        # index, a stage filter the stage's (each stage is too common for more).
        indexes = [
            models.Index(fields=["unit", "-created_at", "-id"], name="sluss_idea_unit"),
            models.Index(fields=["challenge", "-created_at", "-id"], name="sluss_idea_challenge"),
            # The inbox filtered by a stage, in its order: SQLite otherwise reads the
            # whole stage through the stage's index and sorts it.
            models.Index(fields=["stage", "-created_at", "-id"], name="sluss_idea_stage_listing"),
            models.Index(fields=["stage_changed_at"], name="sluss_idea_stage_changed"),
            # The board's columns: a stage's ideas longest in it first, a page of them read
            # in order (without it, every idea of the stage was read and sorted).
            models.Index(fields=["stage", "stage_changed_at", "id"], name="sluss_idea_stage_board"),
        ]
        constraints = [
            # Each sluice numbers its own ideas.
            models.UniqueConstraint(
                fields=["sluice", "reference"], name="sluss_idea_reference_per_sluice"
            ),
            *text_length_constraints(
                "idea",
                {
                    "description": TEXT_MAX_LENGTH,
                    "need": TEXT_MAX_LENGTH,
                    "beneficiaries": SHORT_TEXT_MAX_LENGTH,
                },
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def stage_info(self):
        return process.get_stage(self.stage)

    @property
    def giver_language(self):
        """The language the idea giver wrote in (the site's, for an idea that has none):
        everything the idea giver is told, e-mails and feedback written by the package, is
        in it (``translation.override(idea.giver_language)``)."""
        return self.language or settings.LANGUAGE_CODE

    def get_status_url(self):
        """The idea giver's private status page (a path on this site)."""
        return reverse("sluss_wagtail:idea_status", kwargs={"token": self.status_token})

    def get_absolute_status_url(self):
        """The status page on the host of the site the idea came through."""
        from .settings import idea_site_url

        return idea_site_url(self, self.get_status_url())

    def get_public_events(self):
        """The feedback the idea giver reads, oldest first."""
        return self.events.exclude(public_note="")


class TaggedIdea(TaggedItemBase):
    content_object = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("idea tag")
        verbose_name_plural = _("idea tags")


class IdeaContact(models.Model):
    """The idea giver's personal data, kept apart from the idea.

    Only users with the ``view_ideacontact`` permission see it; everyone else
    works with the idea de-identified.
    """

    idea = models.OneToOneField(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="contact"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("idea giver's contact details")
        verbose_name_plural = _("idea givers' contact details")
        permissions = [
            ("erase_ideacontact", _("Can erase an idea giver's personal data")),
        ]

    def __str__(self):
        return self.name or self.email or str(self.idea)


class IdeaEvent(models.Model):
    """One immutable step in an idea's history.

    The history is never edited: a correction is a new event.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        MOVED = "moved", _("Moved")
        UNIT = "unit", _("Unit assigned")
        DUPLICATE = "duplicate", _("Marked as duplicate")
        CONFIDENTIAL = "confidential", _("Confidentiality changed")
        TAGS = "tags", _("Tags changed")
        CORRECTED = "corrected", _("Text corrected")
        PILOT_RECORDED = "pilot", _("Small-scale test recorded")
        PILOT_DECIDED = "pilot_decided", _("Decision after a small-scale test")
        PROMOTED = "promoted", _("Promoted to the showcase")
        WITHDRAWN = "withdrawn", _("Withdrawn by the idea giver")
        ERASED = "erased", _("Contact details erased")
        ACCESSED = "accessed", _("Personal data handed out")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Publishing consent withdrawn")
        COACH = "coach", _("Idea coach changed")
        REGISTERED = "registered", _("Registered on the idea giver's behalf")
        # The dialogue with the idea giver (``models.dialogue``).
        MESSAGE = "message", _("Message to the idea giver")
        ANSWER = "answer", _("Answer from the idea giver")
        PARTICIPATION = "participation", _("The idea giver's answer on taking part")
        BENEFIT = "benefit", _("Benefits realisation")

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_stage = models.CharField(
        _("from stage"), max_length=20, choices=process.STAGE_CHOICES, blank=True
    )
    to_stage = models.CharField(
        _("to stage"), max_length=20, choices=process.STAGE_CHOICES, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public_note = models.TextField(_("feedback to the idea giver"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    destination = models.CharField(_("forwarded to"), max_length=255, blank=True)
    # What an action changed, e.g. {"title": {"old": "...", "new": "..."}}: the
    # original text of a corrected idea stays readable here.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        # An idea's history in its order (the status page, the idea's own page).
        indexes = [
            models.Index(fields=["idea", "created_at", "id"], name="sluss_ideaevent_history")
        ]
        verbose_name = _("idea event")
        verbose_name_plural = _("idea events")

    def __str__(self):
        return f"{self.idea_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Idea events are immutable; record a new event instead.")
        super().save(*args, **kwargs)


class IdeaAttachment(models.Model):
    """A file sent with an idea, checked and cleaned by ``sluss_wagtail.attachments``.

    Kept in a private storage under a random name; the admin serves it to users
    who may see the idea. Erasure and retention delete the file too.
    """

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"),
        storage=get_attachment_storage,
        upload_to=attachment_upload_to,
        max_length=200,
    )
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("kind of file"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    @classmethod
    def store(cls, idea, clean_file):
        """Write a checked file (``attachments.CleanFile``) to the private storage and save its row.

        If the row cannot be saved, the file is deleted again.
        """
        attachment = cls(
            idea=idea,
            original_name=clean_file.original_name,
            content_type=clean_file.content_type,
            size=clean_file.size,
            sha256=clean_file.sha256,
        )
        attachment.file.save(clean_file.original_name, clean_file.as_content_file(), save=False)
        try:
            attachment.save(force_insert=True)
        except Exception:
            attachment.file.storage.delete(attachment.file.name)
            raise
        return attachment

    def get_download_url(self):
        return reverse("sluss_wagtail_attachment_download", args=[self.pk])
