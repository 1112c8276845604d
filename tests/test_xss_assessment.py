"""Every XSS vector of the corpus in what assessment and decisions show: the idea on the
assessor's form (after the giver's name is taken out of it), an assessor's comments and
conflict note, and a decision's body, those present, reasons and note on the idea's
page and the status page. All of it is text, never run."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sluss_wagtail import assessing, process
from sluss_wagtail.links import idea_admin_path
from sluss_wagtail.models import Assessment, Criterion
from tests.factories import IdeaFactory, create_assessor, create_coordinator, create_criteria
from tests.worlds import world_rolled_back
from tests.xss_vectors import XSS_VECTORS, assert_no_live_vector, assert_shown_as_text

# How stored text is escaped does not depend on the database engine (the vectors hold no
# character an engine stores differently: test_the_vectors_are_stored_alike_by_every_engine),
# so the PostgreSQL run leaves these out (`once`); what it stores differently (NUL bytes,
# search syntax) is in test_hostile_input and test_search_input, which run on both.
pytestmark = [pytest.mark.django_db, pytest.mark.once]


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """The criteria, the coordinator and the assessor, made once for every vector (their
    rows are only read; each test's idea, assessment and decision roll back with it)."""

    def build():
        criteria = create_criteria()
        return [c.pk for c in criteria], create_coordinator().pk, create_assessor().pk

    yield from world_rolled_back(django_db_blocker, build)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_the_assessor_and_the_coordinator_see_every_vector_as_text(client, vector, people):
    criterion_pks, coordinator_pk, assessor_pk = people
    criteria = list(Criterion.objects.filter(pk__in=criterion_pks))
    assert len(criteria) == 2
    User = get_user_model()
    coordinator = User.objects.get(pk=coordinator_pk)
    assessor = User.objects.get(pk=assessor_pk)
    assert not Assessment.objects.exists()  # nothing of another vector's test is left
    idea = IdeaFactory(
        title=vector,
        description=vector,
        need=vector,
        beneficiaries=vector,
        contact={"name": "Karin Lund", "email": "karin@exempelby.invalid"},
    )
    (request,) = assessing.request_assessments(
        idea, [assessor], user=coordinator, due_on=timezone.localdate() + timedelta(days=1)
    )
    client.force_login(assessor)
    for url in (
        reverse("sluss_wagtail_assessments"),
        reverse("sluss_wagtail_assess", args=[request.pk]),
    ):
        html = client.get(url).content.decode()
        assert_shown_as_text(html, vector)
    data = {f"score_{c.pk}": "2" for c in criteria}
    data.update({f"comment_{c.pk}": vector for c in criteria})
    assert client.post(reverse("sluss_wagtail_assess", args=[request.pk]), data).status_code == 302
    process.move_idea(idea, process.SCREENING, user=coordinator)
    assessing.decide(
        idea,
        "test",
        user=coordinator,
        reasons=vector,
        internal_note=vector,
        body=vector,
        present=vector,
        amount_granted=100,
        funding_source=vector,
    )
    client.force_login(coordinator)
    html = client.get(idea_admin_path(idea)).content
    html = html.decode()
    assert_shown_as_text(html, vector)
    # The idea's four fields, two comments, the decision's five texts (and the history).
    assert html.count(escape(vector)) >= 11
    status = client.get(idea.get_status_url()).content.decode()
    assert_no_live_vector(status)
