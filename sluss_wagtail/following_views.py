"""Public views of following and support (``following``): no account needed.

The follow and support forms are spam-protected and rate limited like every public
form (``spam``). Whatever was sent, the answer is the same: the form never tells
whether an address already follows. The links from the e-mails carry a signed token
(``following.read_token``); a page behind one is kept private (``keep_link_private``).
"""

from django import forms
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from . import following, rate_limits, spam
from .conf import sluss_settings
from .links import keep_link_private
from .models import SlussSettings, Subscription
from .models.following import target_kind, target_title

TEMPLATES = "sluss_wagtail/following/"


class FollowForm(spam.SpamProtectedForm):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like name@example.com."),
        },
    )


def _target(kind, pk):
    """The public thing ``kind`` ``pk`` (a 404 for anything that is not public)."""
    if kind == "idea":
        found = following.public_idea(pk)
    elif kind == "page":
        found = following.public_page(pk)
    else:
        found = None
    if found is None:
        raise Http404
    return found


def _context(request, **extra):
    try:
        site_settings = SlussSettings.for_request(request)
    except Exception:  # no Wagtail site for this host
        site_settings = None
    return {
        "sluss_base_template": sluss_settings.BASE_TEMPLATE,
        "sluss_site_settings": site_settings,
        **extra,
    }


def _render(request, template, status=200, **context):
    response = TemplateResponse(
        request, TEMPLATES + template, _context(request, **context), status=status
    )
    response["Cache-Control"] = "no-store, private"
    return response


def follow_action(kind, target, support=False):
    if support:
        return reverse("sluss_wagtail:support", args=[target.pk])
    return reverse("sluss_wagtail:follow", args=[kind, target.pk])


@method_decorator(rate_limits.rate_limit("follow"), name="post")
class FollowView(View):
    """Follow a public idea, a challenge or an innovation: GET shows the form (for a
    visitor without the include), POST asks for the confirmation e-mail."""

    http_method_names = ["get", "post"]
    support = False

    def get_target(self):
        return _target(self.kwargs["kind"], self.kwargs["pk"])

    def page(self, request, target, form, status=200):
        return _render(
            request,
            "follow_page.html",
            status=status,
            target=target,
            target_title=target_title(target),
            target_kind=target_kind(target),
            form=form,
            action=follow_action(self.kwargs.get("kind", "idea"), target, self.support),
            support=self.support,
            support_meaning=following.SUPPORT_MEANING,
        )

    def get(self, request, *args, **kwargs):
        target = self.get_target()
        return self.page(request, target, FollowForm())

    def post(self, request, *args, **kwargs):
        target = self.get_target()
        form = FollowForm(request.POST)
        if form.is_bot():
            # A normal-looking answer, and nothing stored or sent.
            return self.sent(request, target)
        if not form.is_valid():
            return self.page(request, target, form, status=400)
        kind = Subscription.Kind.SUPPORT if self.support else Subscription.Kind.FOLLOW
        subscription, ask = following.subscribe(target, form.cleaned_data["email"], kind=kind)
        if ask:
            following.request_confirmation(subscription)
        return self.sent(request, target)

    def sent(self, request, target):
        return _render(
            request,
            "follow_sent.html",
            target_title=target_title(target),
            support=self.support,
            valid_days=following.CONFIRM_MAX_AGE.days,
        )


class SupportView(FollowView):
    """ "I have the same need" on a public idea: a logged-in user is counted at once, a
    visitor once their address is confirmed."""

    support = True

    def get_target(self):
        return _target("idea", self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            target = self.get_target()
            following.support_as_user(target, request.user)
            return _render(
                request,
                "support_counted.html",
                target_title=target_title(target),
                support_meaning=following.SUPPORT_MEANING,
            )
        return super().post(request, *args, **kwargs)


class TokenView(View):
    """A page behind a link from an e-mail: GET asks, POST does (so a mail scanner that
    opens every link confirms or unsubscribes nothing)."""

    http_method_names = ["get", "post"]
    purpose = None
    template_name = None

    def get_subscription(self):
        return following.read_token(self.kwargs["token"], self.purpose)

    def refused(self, request, error):
        return keep_link_private(
            _render(
                request,
                "link_refused.html",
                status=400 if not error.expired else 410,
                message=error.message,
                expired=error.expired,
            )
        )

    def get(self, request, *args, **kwargs):
        try:
            subscription = self.get_subscription()
        except following.LinkNotValid as error:
            return self.refused(request, error)
        return keep_link_private(
            _render(request, self.template_name, **self.get_context(subscription))
        )

    def get_context(self, subscription):
        target = subscription.target
        return {
            "subscription": subscription,
            "target_title": target_title(target) if target else "",
            "token": self.kwargs["token"],
        }


@method_decorator(rate_limits.rate_limit("follow_link"), name="post")
class ConfirmView(TokenView):
    purpose = "confirm"
    template_name = "confirm.html"

    def post(self, request, *args, **kwargs):
        try:
            subscription = self.get_subscription()
        except following.LinkNotValid as error:
            return self.refused(request, error)
        if subscription.target is None or following.target_is_gone(subscription):
            following.unsubscribe(subscription)
            return self.refused(request, following.LinkNotValid(following.INVALID_MESSAGE))
        following.confirm(subscription)
        subscription.refresh_from_db()
        return keep_link_private(
            _render(
                request,
                "confirmed.html",
                **self.get_context(subscription),
                manage_url=reverse(
                    "sluss_wagtail:follow_manage",
                    args=[following.make_token(subscription, "manage")],
                ),
            )
        )


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(rate_limits.rate_limit("follow_link"), name="post")
class UnsubscribeView(TokenView):
    """One click: the button on the page, or a mail client's own (RFC 8058 posts
    ``List-Unsubscribe=One-Click`` without a CSRF token: the signed link is the proof)."""

    purpose = "unsubscribe"
    template_name = "unsubscribe.html"

    def refused(self, request, error):
        if error.gone:  # stopped already (a second click, another message's link)
            return keep_link_private(_render(request, "unsubscribed.html", target_title=""))
        return super().refused(request, error)

    def post(self, request, *args, **kwargs):
        try:
            subscription = self.get_subscription()
        except following.LinkNotValid:
            # Already gone (a second click): done, as asked.
            return keep_link_private(_render(request, "unsubscribed.html", target_title=""))
        title = self.get_context(subscription)["target_title"]
        remaining = [
            other
            for other in following.subscriptions_of_address(subscription)
            if other != subscription
        ]
        following.unsubscribe(subscription)
        manage_url = (
            reverse(
                "sluss_wagtail:follow_manage", args=[following.make_token(remaining[0], "manage")]
            )
            if remaining
            else ""
        )
        return keep_link_private(
            _render(request, "unsubscribed.html", target_title=title, manage_url=manage_url)
        )


@method_decorator(rate_limits.rate_limit("follow_link"), name="post")
class ManageView(TokenView):
    """Everything one address follows and supports, each with its own button to stop."""

    purpose = "manage"
    template_name = "manage.html"

    def get_context(self, subscription):
        context = super().get_context(subscription)
        items = []
        # The pages by their titles, not their specific types: one query for them all.
        for other in following.subscriptions_of_address(subscription).select_related("page"):
            items.append(
                {
                    "subscription": other,
                    "title": target_title(other.idea)
                    if other.idea_id
                    else (other.page.title if other.page_id else ""),
                    "unsubscribe_url": reverse(
                        "sluss_wagtail:follow_unsubscribe",
                        args=[following.make_token(other, "unsubscribe")],
                    ),
                }
            )
        context["items"] = items
        return context

    def post(self, request, *args, **kwargs):
        """Stop everything at once."""
        try:
            subscription = self.get_subscription()
        except following.LinkNotValid as error:
            return self.refused(request, error)
        for other in list(following.subscriptions_of_address(subscription)):
            following.unsubscribe(other)
        return keep_link_private(
            _render(request, "unsubscribed.html", target_title="", everything=True)
        )
