"""A base page of the site's own: the sluice's pages are the site's, built on it.

The package finds them (``page_types``); an idea goes through the site's idea page and one
through a challenge, counted on it (the showcase: tests/sites/custom_base_page).
"""

from datetime import timedelta

from django.utils import timezone
from journey import add_idea_page, send_an_idea
from wagtail.models import Site

from sluss_wagtail import page_types

site = Site.objects.get(is_default_site=True)
for role in page_types.ROLES:
    model = page_types.get_model(role)
    assert model._meta.app_label == "sluice", f"{role}: {model._meta.label}"
    assert model.__mro__[1].__name__.endswith("Mixin"), model.__mro__
print("the sluice's pages are the site's:", ", ".join(page_types.ROLES))

send_an_idea(add_idea_page(site))

index = page_types.get_model("challenge_index")(title="Challenges", slug="challenges")
site.root_page.add_child(instance=index)
index.save_revision().publish()
now = timezone.now()
challenge = page_types.challenge_model()(
    title="Safer ways to school",
    slug="safer-ways-to-school",
    summary="How could more children walk or cycle to school?",
    problem="Many children are driven the last hundred metres.",
    opens_at=now - timedelta(days=1),
    closes_at=now + timedelta(days=30),
)
index.add_child(instance=challenge)
challenge.save_revision().publish()
idea, _receipt = send_an_idea(challenge, title="Walking bus")
assert idea.challenge_id == challenge.pk and challenge.ideas.count() == 1
print("an idea to the challenge, counted on it")
