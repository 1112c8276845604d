"""Following and support by e-mail, without an account: the one place they are decided.

Anyone may follow a public idea (``Idea.objects.public()``), a challenge or a public
innovation (``InnovationPage.objects.public()``), and say "I have the same need"
about a public idea. An address is confirmed by the link in the one e-mail it gets
before that (double opt-in); the link is signed and expires. Every message to a
follower carries a one-click unsubscribe (also as ``List-Unsubscribe`` and
``List-Unsubscribe-Post``, RFC 8058) and a link to the page where the address
manages all it follows. Every link holds the subscription's key and its own secret,
signed: never the address itself (it would end up in access logs).

Followers hear of an idea's moves with public feedback, a challenge's published
outcome and a new confirmed adoption of an innovation (``notifications``, from the
tasks, after the commit). What is sent to whom is recorded (``FollowerNotice``), so
a notice sent again reaches only those who did not get it.
"""

from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import page_types
from .models.following import FollowerNotice, Subscription, normalise_email
from .models.ideas import Idea
from .models.settings import SlussSettings
from .signals import confirmation_requested

#: How long the confirmation link works; an address not confirmed by then is deleted.
CONFIRM_MAX_AGE = timedelta(days=3)
#: How long a link to the page that manages one's subscriptions works.
MANAGE_MAX_AGE = timedelta(days=90)

SALTS = {
    "confirm": "sluss_wagtail.following.confirm",
    "unsubscribe": "sluss_wagtail.following.unsubscribe",
    "manage": "sluss_wagtail.following.manage",
}
MAX_AGES = {"confirm": CONFIRM_MAX_AGE, "unsubscribe": None, "manage": MANAGE_MAX_AGE}

EXPIRED_MESSAGE = _(
    "This link has expired. Links in our e-mails work for a limited time, for your "
    "security. Follow the page again to get a new one."
)
INVALID_MESSAGE = _(
    "This link does not work. It may have been copied incompletely, or what it was "
    "for no longer exists."
)
#: What support means, and what it does not: shown beside the button and the count.
SUPPORT_MEANING = _(
    "Saying that you have the same need tells the municipality that more people than "
    "the idea giver need this. It is not a vote: ideas are not decided by counting, "
    "and the municipality assesses every idea on its merits."
)


class LinkNotValid(Exception):
    """A link that is forged, broken, expired or whose subscription is gone; the message
    says which, in words for the visitor."""

    def __init__(self, message, *, expired=False, gone=False):
        super().__init__(str(message))
        self.message = message
        self.expired = expired
        # A genuine link whose subscription is gone (unsubscribed, erased, expired).
        self.gone = gone


# Links ----------------------------------------------------------------------------------


def make_token(subscription, purpose):
    return signing.dumps({"s": subscription.pk, "x": subscription.secret}, salt=SALTS[purpose])


def read_token(token, purpose, queryset=None):
    """The subscription ``token`` opens for ``purpose``; ``LinkNotValid`` if none."""
    max_age = MAX_AGES[purpose]
    try:
        data = signing.loads(
            token or "", salt=SALTS[purpose], max_age=max_age.total_seconds() if max_age else None
        )
        pk, secret = int(data["s"]), str(data["x"])
    except signing.SignatureExpired:
        raise LinkNotValid(EXPIRED_MESSAGE, expired=True) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkNotValid(INVALID_MESSAGE) from None
    queryset = Subscription.objects.all() if queryset is None else queryset
    found = queryset.filter(pk=pk).first()
    if found is None or not _same(found.secret, secret):
        raise LinkNotValid(INVALID_MESSAGE, gone=True)
    return found


def _same(a, b):
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


def site_settings_of(target):
    """The settings that speak for ``target``: the idea's site, or the page's."""
    if isinstance(target, Idea):
        return SlussSettings.for_idea(target)
    from .models.ideas import site_id_of_page

    return SlussSettings.for_site_id(site_id_of_page(target))


def url_on_site(target, path):
    """``path`` on the public address of ``target``'s site (``links``)."""
    from .links import absolute_url
    from .models.settings import idea_site_url

    if isinstance(target, Idea):
        return idea_site_url(target, path)
    found = site_settings_of(target)
    return found.public_url(path) if found is not None else absolute_url(path)


def link(subscription, purpose, target=None):
    view = {
        "confirm": "sluss_wagtail:follow_confirm",
        "unsubscribe": "sluss_wagtail:follow_unsubscribe",
        "manage": "sluss_wagtail:follow_manage",
    }[purpose]
    path = reverse(view, args=[make_token(subscription, purpose)])
    return url_on_site(target if target is not None else subscription.target, path)


# Targets ---------------------------------------------------------------------------------


def public_idea(pk):
    return Idea.objects.public().filter(pk=pk).first()


def public_page(pk):
    """The challenge or public innovation ``pk``, specific; ``None`` if it is neither."""
    for role in ("challenge", "innovation"):
        try:
            model = page_types.get_model(role)
        except page_types.PageTypeError:
            continue
        queryset = model.objects.public() if role == "innovation" else model.objects.live()
        if role == "challenge":
            queryset = queryset.public()
        found = queryset.filter(pk=pk).first()
        if found is not None:
            return found
    return None


def target_is_gone(subscription):
    """Whether what ``subscription`` follows is no longer public."""
    if subscription.idea_id:
        return public_idea(subscription.idea_id) is None
    return public_page(subscription.page_id) is None


def target_url(target):
    """Where the public sees ``target`` (an idea's public page, where there is one)."""
    from .models.settings import page_site_url, public_idea_url

    if isinstance(target, Idea):
        return public_idea_url(target)

    return page_site_url(target)


# Subscribing -----------------------------------------------------------------------------


def subscribe(target, email, *, kind=Subscription.Kind.FOLLOW, language=""):
    """Ask to follow (or support) ``target`` from ``email``: returns the subscription and
    whether a confirmation is to be sent (a new or still unconfirmed one).

    A confirmed one is left as it is and nothing is sent: the answer to the visitor is
    the same either way, so the form never tells whether an address follows.
    """
    email = normalise_email(email)
    fields = {"idea": target} if isinstance(target, Idea) else {"page_id": target.pk}
    # get_or_create reads again if another request made it a moment ago.
    subscription, _created = Subscription.objects.get_or_create(
        kind=kind,
        email=email,
        **fields,
        defaults={"language": language or translation.get_language() or ""},
    )
    return subscription, not subscription.is_confirmed


def support_as_user(idea, user):
    """A logged-in user supports ``idea``: counted at once, once."""
    subscription, _created = Subscription.objects.get_or_create(
        kind=Subscription.Kind.SUPPORT,
        idea=idea,
        user=user,
        defaults={"confirmed_at": timezone.now(), "language": translation.get_language() or ""},
    )
    return subscription


def request_confirmation(subscription):
    """Send the confirmation e-mail after the commit: ``signals.confirmation_requested``,
    which ``signal_handlers`` turns into the task (the outbox)."""
    confirmation_requested.send(sender=Subscription, subscription=subscription)


def confirm(subscription):
    """Confirm the address; returns True if it was confirmed now (not before)."""
    return bool(
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
    )


def unsubscribe(subscription):
    """Stop following (or withdraw support). A support by address stays nowhere: the
    address and the count go together."""
    return Subscription.objects.filter(pk=subscription.pk).remove_all() > 0


def subscriptions_of_address(subscription):
    """Everything the address of ``subscription`` follows or supports."""
    if not subscription.email:
        return Subscription.objects.filter(pk=subscription.pk)
    return (
        Subscription.objects.for_email(subscription.email)
        .select_related("idea")
        .order_by("created_at", "pk")
    )


def support_count(idea):
    """How many confirmed addresses and users say they have the same need."""
    return Subscription.objects.supports().confirmed().filter(idea=idea).count()


def support_counts(ideas):
    """``{idea pk: count}`` for many ideas, in one query."""
    rows = (
        Subscription.objects.supports()
        .confirmed()
        .filter(idea__in=ideas)
        .values("idea")
        .annotate(n=Count("pk"))
    )
    return {row["idea"]: row["n"] for row in rows}


def counts_for_admin(idea):
    """``{"support": n, "followers": n}`` of confirmed ones, in one query."""
    return (
        Subscription.objects.confirmed()
        .filter(idea=idea)
        .aggregate(
            support=Count("pk", filter=Q(kind=Subscription.Kind.SUPPORT)),
            followers=Count("pk", filter=Q(kind=Subscription.Kind.FOLLOW)),
        )
    )


# Telling followers -----------------------------------------------------------------------


def followers(target):
    """The confirmed followers of ``target`` who still have an address; for a page, of
    any of its translations (a challenge and its translations are one)."""
    queryset = Subscription.objects.follows().confirmed().exclude(email__isnull=True)
    if isinstance(target, Idea):
        return queryset.filter(idea=target)
    from .models.translations import translations_of

    return queryset.filter(page__in=translations_of(target).values("pk"))


def not_yet_told(queryset, kind, object_id):
    told = FollowerNotice.objects.filter(kind=kind, object_id=object_id).values("subscription_id")
    return queryset.exclude(pk__in=told)


def record_told(subscription, kind, object_id):
    now = timezone.now()
    FollowerNotice.objects.get_or_create(
        subscription=subscription, kind=kind, object_id=object_id, defaults={"sent_at": now}
    )
    Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)


def unsubscribe_headers(unsubscribe_url):
    """RFC 2369 and RFC 8058: a mail client's own unsubscribe button posts to the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def outcome_changed(page, revision=None):
    """Whether a published challenge's outcome is new: not empty and not what the page
    showed when it was published before."""
    outcome = (getattr(page, "outcome", "") or "").strip()
    if not outcome:
        return False
    from wagtail.models import PageLogEntry

    earlier = (
        PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.publish")
        .exclude(revision__isnull=True)
        .exclude(revision_id=getattr(revision, "pk", None))
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if earlier is None:
        return True
    return (earlier.revision.content.get("outcome") or "").strip() != outcome


def retention_candidates(now=None):
    """What ``sluss_retention`` removes: ``(unconfirmed, of ended ideas, idle)``.

    Unconfirmed addresses whose link has expired; followers and supporters of ideas that
    ended longer ago than their site's retention; followers of a page not written to
    (nor confirmed) for longer than the retention of the page's site.
    """
    from django.db.models.functions import Coalesce

    from . import privacy

    now = now or timezone.now()
    unconfirmed = Subscription.objects.pending().filter(created_at__lt=now - CONFIRM_MAX_AGE)
    ended_ideas = (
        Idea.objects.ended().filter(privacy.idea_retention_condition("ended_at", now)).values("pk")
    )
    of_ended = (
        Subscription.objects.confirmed()
        .filter(idea__in=ended_ideas)
        .exclude(kind=Subscription.Kind.SUPPORT, email__isnull=True)
    )
    idle = (
        Subscription.objects.confirmed()
        .filter(page__isnull=False)
        .annotate(active_at=Coalesce("last_sent_at", "confirmed_at"))
        .filter(privacy.page_retention_condition("page__path", "active_at", now))
    )
    return unconfirmed, of_ended, idle


def apply_retention(*, now=None, apply=False):
    """Remove what is past retention (``retention_candidates``); returns how many. A
    confirmed support of an ended idea stays counted without its address."""
    unconfirmed, of_ended, idle = retention_candidates(now)
    if not apply:
        return unconfirmed.count() + of_ended.count() + idle.count()
    with transaction.atomic():
        done = unconfirmed.remove_all()
        done += of_ended.filter(kind=Subscription.Kind.SUPPORT).update(email=None)
        done += of_ended.filter(kind=Subscription.Kind.FOLLOW).remove_all()
        done += idle.remove_all()
    return done
