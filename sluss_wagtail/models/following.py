"""Following and support: an e-mail address (or an account) that follows a public idea,
a challenge or an innovation, or says "I have the same need" about a public idea.

An address counts only once it is confirmed (double opt-in: the link in the
confirmation e-mail); until then nothing is sent to it but that one message, and
it is deleted when the link expires (``sluss_retention``). The address is personal
data: ``privacy.py`` erases and exports it by address and ``sluss_retention``
deletes what is no longer used.
"""

import secrets

import swapper
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import page_types
from .ideas import Idea

swapper.set_app_prefix("wagtailcore", "wagtail")


def new_secret():
    return secrets.token_urlsafe(24)


def normalise_email(email):
    """One address, one subscription: compared without surrounding space, in lower case."""
    return (email or "").strip().lower()


def public_title(idea):
    """The title the public sees of an idea (a coordinator's public title, where the
    portfolio gives one)."""
    return getattr(idea, "public_title", "") or idea.title


def target_kind(target):
    """What ``target`` is: ``"idea"``, ``"challenge"`` or ``"innovation"``."""
    if isinstance(target, Idea):
        return "idea"
    return "challenge" if isinstance(target, page_types.mixin("challenge")) else "innovation"


def target_title(target):
    return public_title(target) if isinstance(target, Idea) else target.title


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)

    def follows(self):
        return self.filter(kind=Subscription.Kind.FOLLOW)

    def supports(self):
        return self.filter(kind=Subscription.Kind.SUPPORT)

    def of_target(self, target):
        """The subscriptions of ``target``: an idea or a page."""
        if isinstance(target, Idea):
            return self.filter(idea=target)
        return self.filter(page_id=target.pk)

    def for_email(self, email):
        email = normalise_email(email)
        return self.filter(email=email) if email else self.none()

    def remove_all(self):
        """Delete these subscriptions (and what was sent to them); how many."""
        pks = list(self.values_list("pk", flat=True))
        Subscription.objects.filter(pk__in=pks).delete()
        return len(pks)

    def erase(self):
        """Erase the address of these subscriptions (``privacy``, by address): follows
        and unconfirmed supports go, a confirmed support stays counted without it.
        Returns how many held it."""
        with transaction.atomic():
            kept = self.supports().confirmed().update(email=None)
            gone = self.exclude(kind=Subscription.Kind.SUPPORT, confirmed_at__isnull=False)
            return kept + gone.remove_all()

    def export(self):
        """What these subscriptions hold, for the right of access (``privacy``)."""
        return [
            {
                "kind": subscription.kind,
                "follows": target_kind(subscription.target) if subscription.target else None,
                "title": target_title(subscription.target) if subscription.target else None,
                "reference": subscription.idea.reference if subscription.idea_id else None,
                "email": subscription.email,
                "language": subscription.language,
                "created": subscription.created_at.isoformat(),
                "confirmed": subscription.confirmed_at.isoformat()
                if subscription.confirmed_at
                else None,
                "last_message": subscription.last_sent_at.isoformat()
                if subscription.last_sent_at
                else None,
            }
            for subscription in self.select_related("idea", "page").order_by("created_at", "pk")
        ]


class Subscription(models.Model):
    """One address (or account) following, or supporting, one target."""

    class Kind(models.TextChoices):
        FOLLOW = "follow", _("Follows")
        SUPPORT = "support", _("Has the same need")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    # A challenge or an innovation (a page of either role).
    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"),
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Null once erased: a confirmed support stays counted without its address.
    email = models.EmailField(_("e-mail address"), max_length=254, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The language the address is written to in: the page's, when it was followed.
    language = models.CharField(_("language"), max_length=15, blank=True)
    # Part of every link to it: a deleted and re-made subscription's old links open nothing.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The last message sent to it (or its confirmation): retention counts from here.
    last_sent_at = models.DateTimeField(_("last message"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(idea__isnull=False) & Q(page__isnull=True))
                | (Q(idea__isnull=True) & Q(page__isnull=False)),
                name="sluss_subscription_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(kind="support") | Q(idea__isnull=False),
                name="sluss_subscription_support_of_idea",
            ),
            models.UniqueConstraint(
                fields=["kind", "idea", "email"], name="sluss_subscription_idea_email"
            ),
            models.UniqueConstraint(
                fields=["kind", "page", "email"], name="sluss_subscription_page_email"
            ),
            models.UniqueConstraint(
                fields=["kind", "idea", "user"], name="sluss_subscription_idea_user"
            ),
        ]
        indexes = [models.Index(fields=["email"], name="sluss_subscription_email")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.idea_id or self.page_id}"

    @property
    def target(self):
        if self.idea_id:
            return self.idea
        return self.page.specific if self.page_id else None

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class FollowerNotice(models.Model):
    """One message sent to one follower about one thing (an event, an adoption, a
    published outcome): a notice sent again (``sluss_resend_emails``) goes only to those
    who did not get it."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "kind", "object_id"], name="sluss_followernotice_once"
            )
        ]
        verbose_name = _("message to a follower")
        verbose_name_plural = _("messages to followers")

    def __str__(self):
        return f"{self.kind} {self.object_id} → {self.subscription_id}"
