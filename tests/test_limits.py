"""Length limits hold in the database too: a value that bypasses the forms is refused.

The forms say how long an answer may be (``test_hostile_input.py``); here the database
refuses an overlong value written past them, by a bug, a script or the Django admin:
a CheckConstraint on each limited text column (every database), and the columns'
own lengths (PostgreSQL; SQLite does not enforce VARCHAR lengths).
"""

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from sluss_wagtail.models import Adoption, Idea, IdeaContact
from sluss_wagtail.models.ideas import SHORT_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from tests.factories import IdeaFactory, create_innovation, create_showcase_index

pytestmark = pytest.mark.django_db

IDEA_TEXT_LIMITS = {
    "description": TEXT_MAX_LENGTH,
    "need": TEXT_MAX_LENGTH,
    "beneficiaries": SHORT_TEXT_MAX_LENGTH,
}
ADOPTION_TEXT_LIMITS = {"adaptation": 5000, "moderator_note": 2000}


def refused(write):
    """True if the database refuses ``write``; the transaction stays usable."""
    try:
        with transaction.atomic():
            write()
    except (IntegrityError, DataError):
        return True
    return False


@pytest.mark.parametrize(("field", "limit"), IDEA_TEXT_LIMITS.items())
def test_the_database_refuses_an_overlong_idea_text(field, limit):
    idea = IdeaFactory()
    assert not refused(lambda: Idea.objects.filter(pk=idea.pk).update(**{field: "å" * limit}))
    assert refused(lambda: Idea.objects.filter(pk=idea.pk).update(**{field: "å" * (limit + 1)}))
    idea.refresh_from_db()
    assert len(getattr(idea, field)) == limit


@pytest.fixture
def adoption():
    innovation = create_innovation(create_showcase_index())
    return Adoption.objects.create(
        innovation=innovation,
        organisation="Grannby kommun",
        municipality="Grannby",
        contact_email="info@grannby.invalid",
    )


@pytest.mark.parametrize(("field", "limit"), ADOPTION_TEXT_LIMITS.items())
def test_the_database_refuses_an_overlong_adoption_text(adoption, field, limit):
    rows = Adoption.objects.filter(pk=adoption.pk)
    assert not refused(lambda: rows.update(**{field: "å" * limit}))
    assert refused(lambda: rows.update(**{field: "å" * (limit + 1)}))


@pytest.mark.parametrize(("field", "limit"), ADOPTION_TEXT_LIMITS.items())
def test_the_models_limits_match_the_constraints(field, limit):
    assert Adoption._meta.get_field(field).max_length == limit


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        (Idea, "title", TITLE_MAX_LENGTH),
        (IdeaContact, "name", 200),
        (IdeaContact, "organisation", 200),
        (IdeaContact, "phone", 40),
        (IdeaContact, "email", 254),
        (Adoption, "organisation", 200),
        (Adoption, "municipality", 100),
    ],
)
def test_the_database_refuses_an_overlong_short_text_on_postgresql(model, field, limit, adoption):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce VARCHAR lengths; the forms and models do")
    assert model._meta.get_field(field).max_length == limit
    row = adoption if model is Adoption else IdeaFactory(contact={"name": "Karin"})
    if model is IdeaContact:
        row = row.contact
    assert refused(lambda: model.objects.filter(pk=row.pk).update(**{field: "x" * (limit + 1)}))
