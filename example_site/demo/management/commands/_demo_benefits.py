"""Demo content for benefits realisation (``sluss_demo`` calls ``build``).

The demo innovation (digital keys in the home care) gets two expected benefits: one
realised at its 6-month follow-up, one still waiting for its follow-ups; an implementation
plan in three steps; and the second showcase imports it from the first one's JSON feed, so
the copy shows the benefits as the other municipality measured them.
"""

import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from sluss_wagtail import benefits, feeds, importing, page_types
from sluss_wagtail.models import Benefit, Idea, ImplementationStep
from sluss_wagtail.models.benefits import add_months

DEMO_IDEA = "demo-2"


def build(command, *, other_showcase=None, admin=None, **context):
    """Benefits, follow-ups and steps of the demo innovation; the import into
    ``other_showcase`` (the showcase of other municipalities' innovations)."""
    idea = Idea.objects.filter(submission_key=DEMO_IDEA).first()
    innovation = page_types.innovation_model().objects.filter(idea=idea).first() if idea else None
    if innovation is None:
        return
    owner = get_user_model().objects.filter(username="koordinator").first() or admin
    today = timezone.localdate()
    if not Benefit.objects.filter(idea=idea).exists():
        # Counted from seven months ago: the 6-month follow-up was done a month ago.
        started = add_months(today, -7)
        hours = Benefit(
            idea=idea,
            kind="hours",
            title="Mindre tid på att hämta och lämna nycklar",
            unit_of_measure="timmar per år",
            baseline=0,
            expected=1200,
            for_whom="Personalen i hemtjänsten",
            owner=owner,
            starts_on=started,
        )
        benefits.record_benefit(hours, user=owner, months=[6, 12])
        six_months = hours.follow_ups.order_by("due_on").first()
        benefits.record_follow_up(
            six_months,
            user=owner,
            measured_value=1350,
            how_measured="Tidrapporter från tre lag, jämfört med samma månader året före.",
            comment="Mer än väntat: inga borttappade nycklar att leta efter.",
        )
        # The record shows it done on its date, as it was.
        six_months.__class__.objects.filter(pk=six_months.pk).update(
            recorded_at=timezone.now() - timedelta(days=30)
        )
        benefits.close_benefit(
            hours,
            "realised",
            user=owner,
            lessons="Nyttan kom redan första halvåret; reservbatterier behövs i varje bil.",
        )
        money = Benefit(
            idea=idea,
            kind="money",
            title="Lägre kostnad för borttappade nycklar och låsbyten",
            unit_of_measure="kr per år",
            baseline=85000,
            expected=20000,
            for_whom="Hemtjänsten",
            owner=owner,
            starts_on=add_months(today, -2),
        )
        benefits.record_benefit(money, user=owner, months=[6, 12])
    if not ImplementationStep.objects.filter(idea=idea).exists():
        for title, status, start, end in (
            ("Införande i Hemtjänst Norr", "done", -6, -5),
            ("Införande i Hemtjänst Söder", "in_progress", -1, 1),
            ("Införande i Hemtjänst Centrum", "planned", 2, 3),
        ):
            benefits.save_step(
                ImplementationStep(
                    idea=idea,
                    title=title,
                    status=status,
                    starts_on=add_months(today, start),
                    ends_on=add_months(today, end),
                ),
                user=owner,
            )
    if other_showcase is not None:
        import_into(innovation.get_parent().specific, other_showcase, user=admin)


def import_into(showcase, other_showcase, *, user=None):
    """The second showcase imports the first one's JSON feed, as ``sluss_import`` would from
    its address, and publishes the copy (an import makes drafts; an editor publishes)."""
    site = showcase.get_site()
    request = RequestFactory().get(
        showcase.url + showcase.reverse_subpage("json_feed"),
        HTTP_HOST=site.hostname,
        SERVER_PORT=site.port,
    )
    data = feeds.json_feed(showcase, request).content
    source = site.root_url + showcase.url + showcase.reverse_subpage("json_feed")
    feed = importing.parse_feed(data, source=source)
    # Only the demo innovation: the rest of the showcase is for the lead's own import line.
    feed.items = [item for item in feed.items if item.benefits]
    for change in importing.run_import(feed, other_showcase, user=user):
        if change.page is not None and not change.page.live:
            change.page.save_revision(user=user).publish(user=user)
    return json.loads(data)
