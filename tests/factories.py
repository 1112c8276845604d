"""Factories for the package's models; pages are built under the default site's root."""

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Site

from sluss_wagtail.models import Idea, IdeaContact, IdeaSubmissionPage, OrganisationUnit
from sluss_wagtail.models.ideas import SubmitterKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@exempelby.invalid")
    first_name = "Ingrid"
    last_name = "Andersson"


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Enhet {n}")
    contact_email = "enhet@exempelby.invalid"


class IdeaFactory(factory.django.DjangoModelFactory):
    """An idea saved the way the public form saves it: through ``Idea.objects.submit``."""

    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idé nummer {n}")
    description = "Ställ ut fler bänkar längs promenadstråket."
    need = "Äldre behöver kunna vila."
    submitter_kind = SubmitterKind.RESIDENT
    publish_idea = True
    publish_name = False
    language = "sv"

    @classmethod
    def _create(cls, model_class, *args, contact=None, **kwargs):
        if contact is None:
            contact = {"name": "Karin Lund", "email": "karin@exempelby.invalid"}
        return model_class.objects.submit(contact=contact, **kwargs)


class IdeaContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaContact

    name = "Karin Lund"
    email = "karin@exempelby.invalid"


def create_submission_page(**kwargs):
    """An idea submission page, published under the default site's root page."""
    root = Site.objects.get(is_default_site=True).root_page
    kwargs.setdefault("title", "Lämna en idé")
    kwargs.setdefault("slug", "lamna-en-ide")
    page = IdeaSubmissionPage(**kwargs)
    root.add_child(instance=page)
    page.save_revision().publish()
    return page
