"""Factories for the package's models; pages are built under the default site's root."""

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Site

from sluss_wagtail import page_types
from sluss_wagtail.models import Idea, IdeaContact, OrganisationUnit
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
    page = page_types.get_model("idea_submission")(**kwargs)
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
    parent = parent or Site.objects.get(is_default_site=True).root_page
    kwargs.setdefault("title", "Utmaningar")
    kwargs.setdefault("slug", "utmaningar")
    index = page_types.get_model("challenge_index")(**kwargs)
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


def create_challenge(index, *, opens_at, closes_at, **kwargs):
    """A published challenge under ``index``."""
    from django.utils.text import slugify

    kwargs.setdefault("title", "Tryggare skolvägar")
    kwargs.setdefault("slug", slugify(kwargs["title"]))
    kwargs.setdefault("summary", "Hur kan fler barn gå och cykla tryggt till skolan?")
    kwargs.setdefault("problem", "<p>Många barn skjutsas med bil.</p>")
    challenge = page_types.challenge_model()(opens_at=opens_at, closes_at=closes_at, **kwargs)
    index.add_child(instance=challenge)
    challenge.save_revision().publish()
    return challenge


def create_ideas_in_bulk(number, **fields):
    """``number`` ideas in one INSERT, without events or contacts: for counting queries.

    ``bulk_create`` sends no signals: the cached figures are made out of date here, as
    code that changes ideas without signals must.
    """
    import secrets

    from sluss_wagtail.caching import IDEAS
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
    created = Idea.objects.bulk_create(ideas)
    IDEAS.bump()
    return created


def create_showcase_index(parent=None, **kwargs):
    """A showcase index, published under ``parent`` (the default site's root page)."""
    parent = parent or Site.objects.get(is_default_site=True).root_page
    kwargs.setdefault("title", "Genomförda innovationer")
    kwargs.setdefault("slug", "genomforda-innovationer")
    showcase = page_types.showcase_model()(**kwargs)
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

    kwargs.setdefault("title", "Digitala lås i hemtjänsten")
    kwargs.setdefault("slug", slugify(kwargs["title"]))
    kwargs.setdefault("summary", "Hemtjänsten öppnar med telefonen i stället för nycklar.")
    page = page_types.innovation_model()(live=publish, **kwargs)
    pilot_model = page_types.innovation_pilot_model()
    page.pilots = [pilot_model(**pilot) for pilot in pilots]
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


def create_innovations_in_bulk(showcase, number, *, tags=(), sdgs=(), **fields):
    """``number`` live innovation pages under ``showcase`` in a few INSERTs.

    ``Page.add_child`` locks and reads the tree for every page; here the
    materialised paths are computed the way treebeard does (``_get_path``)
    and the rows of both tables are inserted in batches. The search index is
    not touched: ``index_in_bulk()`` builds it afterwards when a test searches.
    ``tags`` and ``sdgs`` are given to every ``k``-th page as ``(k, value)`` pairs.
    """
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from taggit.models import Tag
    from wagtail.models import Page

    from sluss_wagtail.pages.models import InnovationPage, InnovationPageTag

    showcase = Page.objects.get(pk=showcase.pk)
    content_type = ContentType.objects.get_for_model(InnovationPage)
    last = showcase.get_last_child()
    first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    fields.setdefault("summary", "Hemtjänsten öppnar med telefonen i stället för nycklar.")
    now = timezone.now()
    batch = uuid.uuid4().hex[:6]
    pages = []
    for n in range(number):
        slug = f"innovation-{batch}-{n}"
        published = now - timezone.timedelta(minutes=number - n)
        pages.append(
            InnovationPage(
                title=f"Innovation {batch} {n}",
                draft_title=f"Innovation {batch} {n}",
                slug=slug,
                content_type=content_type,
                path=Page._get_path(showcase.path, showcase.depth + 1, first_step + n),
                depth=showcase.depth + 1,
                numchild=0,
                url_path=f"{showcase.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                locale_id=showcase.locale_id,
                translation_key=uuid.uuid4(),
                **fields,
            )
        )
    with transaction.atomic():
        # The base rows through Page's own bulk_create (it returns their ids), then the
        # innovation rows with the same ids: bulk_create refuses multi-table models, so
        # they go through the manager's _insert, which is what bulk_create itself calls.
        base_fields = {f.attname for f in Page._meta.concrete_fields}
        bases = Page.objects.bulk_create(
            [Page(**{name: getattr(page, name) for name in base_fields}) for page in pages],
            batch_size=1000,
        )
        for page, base in zip(pages, bases, strict=True):
            page.pk = page.page_ptr_id = base.pk
            page.id = base.pk
            page._state.adding = False
        local_fields = InnovationPage._meta.local_concrete_fields
        for start in range(0, len(pages), 1000):
            InnovationPage._base_manager._insert(pages[start : start + 1000], fields=local_fields)
        Page.objects.filter(pk=showcase.pk).update(numchild=F("numchild") + number)
        through = InnovationPage.sdgs.through
        through.objects.bulk_create(
            [
                through(innovationpage_id=page.pk, sustainabledevelopmentgoal_id=goal)
                for every, goal in sdgs
                for n, page in enumerate(pages)
                if n % every == 0
            ],
            batch_size=1000,
        )
        tag_objects = {name: Tag.objects.get_or_create(name=name)[0] for _, name in tags}
        InnovationPageTag.objects.bulk_create(
            [
                InnovationPageTag(content_object_id=page.pk, tag=tag_objects[name])
                for every, name in tags
                for n, page in enumerate(pages)
                if n % every == 0
            ],
            batch_size=1000,
        )
    return pages


def index_in_bulk(model, queryset=None, batch_size=1000):
    """Add ``model``'s rows (or ``queryset``) to the search index in batches, after a bulk build."""
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    backend.get_index_for_model(model).add_model(model)
    queryset = model.objects.all() if queryset is None else queryset
    pks = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        backend.add_bulk(model, list(model.objects.filter(pk__in=pks[start : start + batch_size])))


def plant_live_confidential_innovation(showcase, **kwargs):
    """A live innovation whose idea is confidential, as no Wagtail path can make one (every
    publish of it is refused): published first, its idea marked behind Wagtail's back."""
    from sluss_wagtail.models import Idea

    idea = kwargs.pop("idea", None) or IdeaFactory(stage="implemented")
    page = create_innovation(showcase, idea=idea, **kwargs)
    Idea.objects.filter(pk=idea.pk).update(confidential=True)
    idea.refresh_from_db()
    return page


def grant(user, *permission_names):
    """Give ``user`` more permissions (``app_label.codename``); returns the user, reloaded
    so that its permission cache starts afresh."""
    user.user_permissions.add(*get_permissions(*permission_names))
    return type(user).objects.get(pk=user.pk)


def innovation_edit_data(page, **extra):
    """What the page editor of ``page`` (an innovation) sends, with ``extra`` (for example
    ``{"action-publish": "1"}`` for its publish button)."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "body": streamfield([]),
            "status": page.status,
            "origin": page.origin,
            "origin_name": "",
            "origin_url": "",
            "tags": "",
            "image_alt": "",
            "idea_giver_name": "",
            "pilots": inline_formset([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


# ---- benefits realisation ---------------------------------------------------------------------


def create_benefit(idea, *, owner=None, months=(6, 12), follow_ups_done=(), **fields):
    """An expected benefit of ``idea`` recorded as the admin records it (its follow-ups
    planned); ``follow_ups_done`` maps a follow-up's index to its measured value."""
    import datetime

    from sluss_wagtail import benefits
    from sluss_wagtail.models import Benefit

    fields.setdefault("kind", "hours")
    fields.setdefault("title", "Färre timmar med pappersblanketter")
    fields.setdefault("unit_of_measure", "timmar per år")
    fields.setdefault("baseline", 0)
    fields.setdefault("expected", 400)
    fields.setdefault("starts_on", datetime.date.today() - datetime.timedelta(days=200))
    benefit = Benefit(idea=idea, owner=owner, **fields)
    benefits.record_benefit(benefit, user=owner, months=list(months))
    follow_ups = list(benefit.follow_ups.all())
    for index, value in dict(follow_ups_done).items():
        benefits.record_follow_up(
            follow_ups[index], user=owner, measured_value=value, how_measured="Tidrapporter"
        )
    return benefit


# Assessment by criteria (``sluss_wagtail.assessing``) ---------------------------------------

DEFAULT_SCALE = "Mycket låg\nLåg\nMedel\nHög\nMycket hög"


def create_criteria(sluice=None, *, challenge=None, specs=(("Nytta", 2), ("Kostnad", 1))):
    """Criteria of ``sluice`` (the default one) or ``challenge``: (name, weight) pairs,
    each on a scale of 1–5."""
    from decimal import Decimal

    from sluss_wagtail.models import Criterion, Sluice

    sluice_pk = getattr(sluice, "pk", sluice) or Sluice.objects.default_pk()
    return [
        Criterion.objects.create(
            sluice_id=sluice_pk,
            challenge=challenge,
            name=name,
            question=f"Hur bedömer du {name.lower()}?",
            scale=DEFAULT_SCALE,
            weight=Decimal(str(weight)),
            order=order,
        )
        for order, (name, weight) in enumerate(specs)
    ]


def create_assessor(**kwargs):
    """A user who may be asked to assess ideas, and nothing else."""
    kwargs.setdefault("username", "bedomare")
    return create_admin_user("wagtailadmin.access_admin", "sluss_wagtail.assess_idea", **kwargs)


# The public portfolio (portfolio) ----------------------------------------------------------


def create_portfolio(parent=None, **kwargs):
    """A portfolio page, published under ``parent`` (the default site's root page)."""
    from sluss_wagtail.pages.models import PortfolioPage

    parent = parent or Site.objects.get(is_default_site=True).root_page
    kwargs.setdefault("title", "Idéer på gång")
    kwargs.setdefault("slug", "ideer-pa-gang")
    page = PortfolioPage(**kwargs)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def approve_for_portfolio(idea, user=None, **fields):
    """``idea`` approved for the public portfolio (through the admin's own function)."""
    from sluss_wagtail.models.portfolio import approve_for_portfolio as approve

    return approve(idea, user=user, approved=True, **fields)


def create_public_idea(**fields):
    """An idea of ``Idea.objects.public()``: its giver allowed publishing and a coordinator
    approved it for the portfolio."""
    fields.setdefault("publish_idea", True)
    idea = IdeaFactory(**fields)
    approve_for_portfolio(idea)
    return idea


# ---- what the domain code makes, in bulk (for tests that need it at a large size) ----------


def create_submitted_ideas_in_bulk(number, *, contact=None, **fields):
    """``number`` ideas as ``IdeaFactory`` saves them (``Idea.objects.submit``), in a few
    queries whatever the number: ``IdeaFactory``'s fields, the year's next reference numbers
    of the default sluice, the default site, the contact and the first event; then the
    statistics' counts are brought in step (``stats.recount()``) as after any bulk load.

    ``bulk_create`` sends no signals: the after-commit e-mails and hooks of a submission are
    not enqueued (a test's transaction never commits them anyway). For the rows made, see
    ``test_query_budgets.test_the_bulk_assessment_world_is_the_one_the_domain_makes``.
    """
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from sluss_wagtail import stats
    from sluss_wagtail.caching import IDEAS
    from sluss_wagtail.models import IdeaEvent, Sluice
    from sluss_wagtail.models.ideas import ReferenceCounter, default_site_id, format_reference

    if contact is None:
        contact = {"name": "Karin Lund", "email": "karin@exempelby.invalid"}
    sluice_pk = Sluice.objects.default_pk()
    site_pk = default_site_id()
    year = timezone.localdate().year
    with transaction.atomic():
        counter, _ = ReferenceCounter.objects.get_or_create(year=year, sluice_id=sluice_pk)
        ReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + number)
        ideas = IdeaFactory.build_batch(number, **fields)
        for n, idea in enumerate(ideas, counter.last_number + 1):
            idea.sluice_id = sluice_pk
            idea.site_id = site_pk
            idea.reference = format_reference(year, n, sluice_pk)
        ideas = Idea.objects.bulk_create(ideas)
        if contact and any(contact.values()):
            IdeaContact.objects.bulk_create(IdeaContact(idea=idea, **contact) for idea in ideas)
        IdeaEvent.objects.bulk_create(
            IdeaEvent(
                idea=idea,
                kind=IdeaEvent.Kind.SUBMITTED,
                to_stage=idea.stage,
                user=idea.submitted_by,
            )
            for idea in ideas
        )
        IDEAS.bump()
        stats.recount()
    return ideas


def create_assessors_in_bulk(usernames):
    """A user per name as ``create_assessor`` makes them (``UserFactory``'s fields, the two
    permissions), in three queries whatever the number."""
    users = get_user_model().objects.bulk_create(
        UserFactory.build(username=username) for username in usernames
    )
    permissions = get_permissions("wagtailadmin.access_admin", "sluss_wagtail.assess_idea")
    through = get_user_model().user_permissions.through
    through.objects.bulk_create(
        through(user_id=user.pk, permission_id=permission.pk)
        for user in users
        for permission in permissions
    )
    return users
