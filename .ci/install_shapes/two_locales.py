"""Two locales, Swedish and English (wagtail-localize): a page and its translation are one.

The idea page and a challenge are translated into English; an idea sent through each
language version is told in that language, and the challenge with its translation counts
both ideas as one challenge's.
"""

from datetime import timedelta

from django.utils import timezone
from journey import add_idea_page, send_an_idea
from wagtail.models import Locale, Site

from sluss_wagtail import stats
from sluss_wagtail.pages.models import ChallengeIndexPage, ChallengePage

site = Site.objects.get(is_default_site=True)
assert site.root_page.locale.language_code == "sv", site.root_page.locale
english = Locale.objects.create(language_code="en")

swedish_page = add_idea_page(site, title="Lämna en idé", slug="lamna-en-ide")
english_page = swedish_page.copy_for_translation(english, copy_parents=True)
english_page.title = "Submit an idea"
english_page.save_revision().publish()

idea, receipt = send_an_idea(english_page, title="Benches by the lake")
assert idea.language == "en", idea.language
assert "Subject: We have received your idea" in receipt, receipt[:400]
print("through /en/: the idea is in English, and so is its receipt")
idea, receipt = send_an_idea(swedish_page, title="Bänkar vid sjön")
assert idea.language == "sv", idea.language
assert "Subject: We have received your idea" not in receipt, receipt[:400]
print("through the Swedish page: the idea is in Swedish")

index = ChallengeIndexPage(title="Utmaningar", slug="utmaningar")
site.root_page.add_child(instance=index)
index.save_revision().publish()
now = timezone.now()
challenge = ChallengePage(
    title="Tryggare skolvägar",
    slug="tryggare-skolvagar",
    summary="Hur kan fler barn gå och cykla till skolan?",
    problem="Många barn skjutsas med bil de sista hundra metrarna.",
    opens_at=now - timedelta(days=1),
    closes_at=now + timedelta(days=30),
)
index.add_child(instance=challenge)
challenge.save_revision().publish()
translated = challenge.copy_for_translation(english, copy_parents=True)
translated.title = "Safer ways to school"
translated.save_revision().publish()
send_an_idea(challenge, title="Skolpatrull")
send_an_idea(translated, title="Walking bus")
assert challenge.ideas.count() == translated.ideas.count() == 2
figures = stats.compute()
[one] = [row for row in figures.by_challenge if row.key is not None]
assert one.count == 2, figures.by_challenge
print("the challenge and its translation are one challenge with both ideas")
