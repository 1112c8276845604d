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


# People and groups of the admin: permissions are granted directly, so the tests
# do not depend on the command that creates the standard groups.

COORDINATOR_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "sluss_wagtail.view_all_ideas",
    "sluss_wagtail.view_idea",
    "sluss_wagtail.change_idea",
    "sluss_wagtail.view_ideacontact",
    "sluss_wagtail.add_organisationunit",
    "sluss_wagtail.change_organisationunit",
    "sluss_wagtail.view_organisationunit",
)
REVIEWER_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "sluss_wagtail.view_idea",
    "sluss_wagtail.change_idea",
)


def get_permissions(*names):
    """Permissions by ``app_label.codename``, looked up the way the standard groups are."""
    from sluss_wagtail.roles import get_permissions

    return get_permissions(names)


def create_admin_user(*permission_names, groups=(), **kwargs):
    """A user with exactly these permissions (``app_label.codename``) and groups."""
    user = UserFactory(**kwargs)
    user.user_permissions.set(get_permissions(*permission_names))
    user.groups.set(groups)
    return user


def create_coordinator(**kwargs):
    kwargs.setdefault("username", "coordinator")
    return create_admin_user(*COORDINATOR_PERMISSIONS, **kwargs)


def create_reviewed_unit(name):
    """A unit with its own reviewer group."""
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=f"Granskare {name}")
    return OrganisationUnitFactory(name=name, reviewer_group=group)


def create_reviewer(unit, *extra_permissions, **kwargs):
    """A member of ``unit``'s reviewer group who may see and work on its ideas."""
    return create_admin_user(
        *REVIEWER_PERMISSIONS, *extra_permissions, groups=[unit.reviewer_group], **kwargs
    )


def create_challenge_index(parent=None, **kwargs):
    """A challenge index, published under ``parent`` (the default site's root page)."""
    from sluss_wagtail.models import ChallengeIndexPage

    parent = parent or Site.objects.get(is_default_site=True).root_page
    kwargs.setdefault("title", "Utmaningar")
    kwargs.setdefault("slug", "utmaningar")
    index = ChallengeIndexPage(**kwargs)
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


def create_challenge(index, *, opens_at, closes_at, **kwargs):
    """A published challenge under ``index``."""
    from django.utils.text import slugify

    from sluss_wagtail.models import ChallengePage

    kwargs.setdefault("title", "Tryggare skolvägar")
    kwargs.setdefault("slug", slugify(kwargs["title"]))
    kwargs.setdefault("summary", "Hur kan fler barn gå och cykla tryggt till skolan?")
    kwargs.setdefault("problem", "<p>Många barn skjutsas med bil.</p>")
    challenge = ChallengePage(opens_at=opens_at, closes_at=closes_at, **kwargs)
    index.add_child(instance=challenge)
    challenge.save_revision().publish()
    return challenge


def create_ideas_in_bulk(number, **fields):
    """``number`` ideas in one INSERT, without events or contacts: for counting queries."""
    import secrets

    from sluss_wagtail.models.ideas import new_status_token

    fields.setdefault("description", "Ställ ut fler bänkar längs promenadstråket.")
    fields.setdefault("need", "Äldre behöver kunna vila.")
    fields.setdefault("submitter_kind", SubmitterKind.RESIDENT)
    batch = secrets.token_hex(4)
    ideas = [
        Idea(
            reference=f"IDE-{batch}-{n:04d}",
            status_token=new_status_token(),
            title=f"Idé {batch} {n}",
            **fields,
        )
        for n in range(number)
    ]
    return Idea.objects.bulk_create(ideas)


def create_showcase_index(parent=None, **kwargs):
    """A showcase index, published under ``parent`` (the default site's root page)."""
    from sluss_wagtail.models import ShowcaseIndexPage

    parent = parent or Site.objects.get(is_default_site=True).root_page
    kwargs.setdefault("title", "Genomförda innovationer")
    kwargs.setdefault("slug", "genomforda-innovationer")
    showcase = ShowcaseIndexPage(**kwargs)
    parent.add_child(instance=showcase)
    showcase.save_revision().publish()
    return showcase


def create_innovation(
    showcase, *, sdgs=(), tags=(), pilots=(), publish=True, revision=True, **kwargs
):
    """An innovation page under ``showcase``; ``pilots`` are dicts of InnovationPilot fields.

    ``revision=False`` saves a live page without a revision history: quicker, for tests
    that need hundreds of pages.
    """
    from django.utils.text import slugify

    from sluss_wagtail.models import InnovationPage, InnovationPilot

    kwargs.setdefault("title", "Digitala lås i hemtjänsten")
    kwargs.setdefault("slug", slugify(kwargs["title"]))
    kwargs.setdefault("summary", "Hemtjänsten öppnar med telefonen i stället för nycklar.")
    page = InnovationPage(live=publish, **kwargs)
    page.pilots = [InnovationPilot(**pilot) for pilot in pilots]
    showcase.add_child(instance=page)
    page.sdgs.set(sdgs)
    page.tags.set(list(tags))
    if revision:
        saved = page.save_revision()
        if publish:
            saved.publish()
    else:
        page.save()
    return page


def image_bytes(fmt="JPEG", size=(40, 20), *, gps=False, orientation=None, color=(200, 30, 30)):
    """A small image file; with ``gps`` an EXIF GPS position, with ``orientation`` an EXIF turn."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if gps:
        # GPSInfo: 57°41' N, 11°58' E — a position that must never leave the form.
        exif[0x8825] = {1: "N", 2: (57.0, 41.0, 0.0), 3: "E", 4: (11.0, 58.0, 0.0)}
        exif[0x010F] = "Kamerafabriken"
    if orientation:
        exif[0x0112] = orientation
    output = io.BytesIO()
    options = {"exif": exif} if (gps or orientation) else {}
    image.save(output, format=fmt, **options)
    return output.getvalue()


def pdf_bytes():
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def valid_adoption_data(**overrides):
    """What a person fills in on "we use this too"."""
    data = {
        "organisation": "Hemtjänsten Norr",
        "municipality": "Alingsås kommun",
        "contact_email": "kontakt@alingsas.invalid",
        "adaptation": "Vi använder samma lås men med egen app.",
        "since": "2026-03-15",
    }
    data.update(overrides)
    return data


def create_adoption(innovation, **kwargs):
    """An adoption of ``innovation``, pending unless ``status`` says otherwise."""
    from sluss_wagtail.models import Adoption

    fields = {**valid_adoption_data(), **kwargs}
    return Adoption.objects.create(innovation=innovation, **fields)
