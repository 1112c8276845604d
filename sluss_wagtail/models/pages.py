"""The package's Wagtail pages, as abstract mixins.

Each page type keeps its behaviour, fields, panels and templates in an abstract mixin,
the way ``wagtail.contrib.forms`` keeps ``FormMixin``; the core app defines no concrete
page. The optional app ``sluss_wagtail.pages`` builds them on Wagtail's ``Page``; a site
with its own base page (``WAGTAIL_PAGE_MODEL``) builds them on that, in a few lines
(README, "Your own base page"). Core code finds them through ``sluss_wagtail.page_types``.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import AbstractPage, Site

from .. import confirmation, page_types, rate_limits, spam
from ..conf import sluss_settings
from ..links import keep_link_private
from .ideas import Idea
from .settings import SlussSettings
from .sluices import Sluice
from .translations import i18n_enabled

#: The signed cookie by which the confirmation route finds the idea just sent: its
#: status token, which the confirmation shows that browser anyway (``confirmation``:
#: HttpOnly, limited to the form page's path and to half an hour; no session).
CONFIRMATION_COOKIE = "sluss_wagtail_confirmation"
CONFIRMATION_MAX_AGE = confirmation.MAX_AGE
#: The name of the idea form's "look for similar ideas" button (``render_similar``).
SIMILAR_BUTTON = "sluss_similar"


class SlussPageMixin:
    """What every public page of the package shares.

    Where the concrete class states no ``parent_page_types`` / ``subpage_types``, the
    pages it may be placed under / may hold are those of ``parent_page_roles`` /
    ``subpage_roles`` (roles of ``sluss_wagtail.page_types``): whichever concrete
    classes the site has built on those mixins.
    """

    parent_page_roles = None
    subpage_roles = None
    #: The package's template of the page. A template at the concrete class's own
    #: ``template`` (Wagtail's ``<app_label>/<model_name>.html``) wins where there is one.
    default_template = None

    def get_template(self, request, *args, **kwargs):
        template = super().get_template(request, *args, **kwargs)
        if self.default_template and template == self.template:
            return [template, self.default_template]
        return template

    @classmethod
    def clean_parent_page_models(cls):
        if cls.parent_page_roles is not None and getattr(cls, "parent_page_types", None) is None:
            return page_types.models_of(*cls.parent_page_roles)
        return super().clean_parent_page_models()

    @classmethod
    def clean_subpage_models(cls):
        if cls.subpage_roles is not None and getattr(cls, "subpage_types", None) is None:
            return page_types.models_of(*cls.subpage_roles)
        return super().clean_subpage_models()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sluss_base_template"] = sluss_settings.BASE_TEMPLATE
        # Read only by the pages that show it (the form's privacy notice, the
        # confirmation): the others save the query.
        context["sluss_site_settings"] = SimpleLazyObject(
            lambda: SlussSettings.for_request(request)
        )
        return context


class PageImageMixin(models.Model):
    """An image with its required alternative text."""

    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("alternative text of the image"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )

    class Meta:
        abstract = True

    def get_clean_errors(self):
        """Errors of this page's own rules, as a dict; ``clean()`` raises them together."""
        errors = {}
        if self.image_id and not self.image_alt.strip():
            errors["image_alt"] = _("Describe the image for people who cannot see it.")
        return errors

    def clean(self):
        super().clean()
        errors = self.get_clean_errors()
        if errors:
            raise ValidationError(errors)


def read_listing_filters(request):
    """The goal and unit filters of a listing page, checked; nonsense is ignored."""
    filters = {}
    sdg = request.GET.get("sdg", "")
    if sdg.isdigit() and 1 <= int(sdg) <= 17:
        filters["sdg"] = int(sdg)
    unit = request.GET.get("unit", "")
    if unit.isdigit() and len(unit) < 10:
        filters["unit"] = int(unit)
    return filters


def listing_context(request, items, filters, *, per_page, child_pages):
    """What a filtered, paginated listing page shows: one page of ``items``, the filters
    (and again as a query string, for the pagination links), and the choices of goal and
    unit among ``child_pages``."""
    from .sdg import SustainableDevelopmentGoal
    from .units import OrganisationUnit

    return {
        "items": Paginator(items, per_page).get_page(request.GET.get("page")),
        "filters": filters,
        "filter_query": urlencode(filters),
        "sdg_choices": SustainableDevelopmentGoal.objects.all(),
        "unit_choices": OrganisationUnit.objects.filter(pk__in=child_pages.live().values("unit")),
    }


class IdeaFormPageMixin(SlussPageMixin, RoutablePageMixin):
    """The idea form on a page, and the confirmation after it.

    Shared by the open inflow (``IdeaSubmissionPage``) and challenges. Extension
    points: ``form_class`` / ``get_form_class()``, ``get_idea_fields()``,
    ``accepts_ideas()``, and the templates ``template`` and
    ``confirmation_template``.
    """

    form_class = "sluss_wagtail.forms.IdeaForm"
    confirmation_template = None
    #: The rate limit (``rate_limits.check_rate_limit``) every POST of the form counts against.
    rate_limit_scope = "idea"

    def get_form_class(self):
        if isinstance(self.form_class, str):
            return import_string(self.form_class)
        return self.form_class

    def get_form(self, request, data=None, files=None):
        # The idea goes to the sluice of the site it comes through (``models.sluices``).
        sluice = Sluice.objects.pk_for_request(request)
        return self.get_form_class()(data, files, page=self, user=request.user, sluice=sluice)

    def get_idea_fields(self, request):
        """Fields of the new idea that come from the page, not the form: the page, and
        the site it was sent through (whose settings and address then speak for it).

        With ``WAGTAIL_I18N_ENABLED`` the idea's language is the page's: the giver wrote
        on the page in that language, and is told everything in it (otherwise the
        language the page was served in, ``IdeaForm.save``)."""
        fields = {"source_page": self, "site": Site.find_for_request(request)}
        if i18n_enabled():
            fields["language"] = self.locale.language_code
        return fields

    def accepts_ideas(self):
        return True

    def get_confirmation_template(self, request):
        return self.confirmation_template

    def render_form(self, request, form):
        return self.render(request, context_overrides={"form": form})

    def render_similar(self, request):
        """The form again with what was typed and the similar-idea hint (the "look for
        similar ideas" button, without a script): nothing is checked or stored."""
        from ..similar import hint_for
        from ..spam import read_form_token

        form = self.get_form(request)
        for name, field in form.fields.items():
            if name in (form.honeypot_field, form.token_field) or isinstance(
                field, forms.FileField
            ):
                continue
            value = field.widget.value_from_datadict(request.POST, {}, form.add_prefix(name))
            if value not in (None, "", []):
                form.initial[name] = value
        token = request.POST.get(form.token_field)
        if read_form_token(token) is not None:
            # The same opened form: its time and its one idea count from when it opened.
            form._renewed_token = token
        similar = hint_for(request, request.POST.get("title"), request.POST.get("description"))
        return self.render(request, context_overrides={"form": form, "similar": similar})

    @path("", name="form")
    def form_view(self, request):
        asks_similar = request.method == "POST" and SIMILAR_BUTTON in request.POST
        scope = "similar" if asks_similar else self.rate_limit_scope
        limited = rate_limits.check_rate_limit(request, scope)
        if limited:
            # Too many POSTs from this address: a 429 page, before anything is read or stored.
            return rate_limits.rate_limited_response(request, limited)
        if asks_similar and self.accepts_ideas():
            return self.render_similar(request)
        if request.method == "POST" and not self.accepts_ideas():
            # Closed while the person was writing: the page says so; nothing is stored.
            return self.render_form(request, None)
        if request.method == "POST":
            form = self.get_form(request, request.POST, request.FILES)
            if form.is_bot():
                # A caught bot sees a normal-looking reply; nothing is stored.
                return self.render(
                    request,
                    template=self.get_confirmation_template(request),
                    context_overrides={"idea": None},
                )
            if form.is_valid():
                try:
                    idea = form.save(**self.get_idea_fields(request))
                except spam.FormAlreadySent:
                    # Other answers on a form already sent: back, kept, with a new token.
                    form.refuse_as_already_sent()
                    return self.render_form(request, form)
                response = redirect(self.url + self.reverse_subpage("confirmation"))
                return confirmation.remember(
                    response,
                    request,
                    CONFIRMATION_COOKIE,
                    idea.status_token,
                    page_url=self.get_url(request),
                )
        else:
            form = self.get_form(request) if self.accepts_ideas() else None
        return self.render_form(request, form)

    @path("confirmation/", name="confirmation")
    def confirmation_view(self, request):
        token = confirmation.recall(request, CONFIRMATION_COOKIE)
        idea = (
            Idea.objects.select_related("contact", "challenge").filter(status_token=token).first()
            if token
            else None
        )
        if idea is None:
            return redirect(self.url)
        response = self.render(
            request,
            template=self.get_confirmation_template(request),
            context_overrides={"idea": idea},
        )
        return keep_link_private(response)


class IdeaSubmissionPageMixin(IdeaFormPageMixin, models.Model):
    """A page with the public idea form (the open inflow)."""

    default_template = "sluss_wagtail/pages/idea_submission_page.html"
    confirmation_template = "sluss_wagtail/pages/idea_submission_page_confirmation.html"

    intro = RichTextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown above the form: what kind of ideas you welcome and why."),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        help_text=_(
            "Shown on the confirmation page under the reference number. "
            "Leave empty for the standard text about what happens next."
        ),
    )

    content_panels = AbstractPage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("thank_you_text"),
    ]

    class Meta:
        abstract = True
        verbose_name = _("idea submission page")
        verbose_name_plural = _("idea submission pages")
