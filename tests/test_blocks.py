"""The editors' blocks: each renders what it promises, previews in the editor, and costs a
fixed number of queries however much content there is."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from sluss_wagtail import blocks, process
from tests.factories import (
    IdeaFactory,
    OrganisationUnitFactory,
    UserFactory,
    create_challenge,
    create_challenge_index,
    create_innovation,
    create_showcase_index,
    create_submission_page,
)

pytestmark = pytest.mark.django_db

BLOCKS = [
    blocks.IdeaCallToActionBlock,
    blocks.OpenChallengesBlock,
    blocks.ChallengeTeaserBlock,
    blocks.ShowcaseHighlightsBlock,
    blocks.ProcessStepsBlock,
    blocks.InnovationStatsBlock,
]


@pytest.fixture
def site_content(no_search_indexing):
    now = timezone.now()
    school = OrganisationUnitFactory(name="Skola Centrum")
    index = create_challenge_index()
    open_challenge = create_challenge(
        index,
        title="Tryggare skolvägar",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=10),
        unit=school,
    )
    open_challenge.sdgs.set([11])
    other_open = create_challenge(
        index, title="Mer grönska", opens_at=now - timedelta(days=1), closes_at=now + timedelta(5)
    )
    closed = create_challenge(
        index,
        title="Levande centrum",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=10),
    )
    showcase = create_showcase_index()
    locks = create_innovation(showcase, title="Digitala lås", sdgs=[3], tags=["hemtjänst"])
    calendar = create_innovation(showcase, title="Lokalkalender", sdgs=[11], status="spread")
    return {
        "school": school,
        "open": open_challenge,
        "other_open": other_open,
        "closed": closed,
        "locks": locks,
        "calendar": calendar,
    }


def render(block_class, raw, django_assert_num_queries, queries):
    """Render the block from its stored form; count the queries of the rendering alone."""
    block = block_class()
    value = block.to_python(raw)
    block.render(value)  # Wagtail's caches (the site's root paths) are warm, as on a live site
    with django_assert_num_queries(queries):
        return block.render(value)


@pytest.mark.parametrize("block_class", BLOCKS)
def test_every_block_previews_in_the_editor(site_content, block_class):
    block = block_class()
    assert block.meta.icon and block.meta.description
    assert block.meta.template.startswith("sluss_wagtail/blocks/")
    html = block.render(block.get_preview_value())
    assert "style=" not in html and "<script" not in html


def test_the_call_to_action_links_to_the_form(django_assert_num_queries):
    page = create_submission_page()
    raw = {"heading": "Har du en idé?", "text": "Berätta!", "page": page.pk, "link_text": "Lämna"}
    html = render(blocks.IdeaCallToActionBlock, raw, django_assert_num_queries, 0)
    assert "<h2>Har du en idé?</h2>" in html
    assert f'href="{page.url}">Lämna</a>' in html


def test_open_challenges_lists_only_the_open_ones_closing_soonest_first(
    site_content, django_assert_num_queries
):
    # The challenges: the view restrictions for public() come from the cache, warmed by
    # the first render (``restrictions.unrestricted``; Wagtail's public() read them each
    # time, a second query).
    html = render(blocks.OpenChallengesBlock, {"max_count": 5}, django_assert_num_queries, 1)
    titles = re.findall(r'<a href="[^"]+">([^<]+)</a>', html)
    assert titles == ["Mer grönska", "Tryggare skolvägar"]
    html = render(blocks.OpenChallengesBlock, {"max_count": 1}, django_assert_num_queries, 1)
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', html) == ["Mer grönska"]


def test_open_challenges_filters_by_unit_and_goal(site_content, django_assert_num_queries):
    by_unit = {"max_count": 3, "unit": str(site_content["school"].pk)}
    html = render(blocks.OpenChallengesBlock, by_unit, django_assert_num_queries, 1)
    assert "Tryggare skolvägar" in html and "Mer grönska" not in html
    html = render(blocks.OpenChallengesBlock, {"sdg": "11"}, django_assert_num_queries, 1)
    assert "Tryggare skolvägar" in html and "Mer grönska" not in html


def test_open_challenges_when_none_is_open(django_assert_num_queries):
    html = render(
        blocks.OpenChallengesBlock, {"heading": "Utmaningar"}, django_assert_num_queries, 1
    )
    assert html.strip() == ""
    raw = {"heading": "Utmaningar", "empty_text": "Ingen utmaning är öppen just nu."}
    html = render(blocks.OpenChallengesBlock, raw, django_assert_num_queries, 1)
    assert "Ingen utmaning är öppen just nu." in html


def test_a_challenge_teaser(site_content, django_assert_num_queries):
    raw = {"challenge": site_content["closed"].pk, "heading_level": "h3"}
    html = render(blocks.ChallengeTeaserBlock, raw, django_assert_num_queries, 0)
    assert re.search(
        r'<h3 class="sluss-card__title"><a href="[^"]+">Levande centrum</a></h3>', html
    )
    assert "Avslutad" in html  # its status, in the page's language


def test_showcase_highlights_newest_chosen_and_filtered(site_content, django_assert_num_queries):
    # The innovations, public ones only, in one query (the view restrictions a subquery).
    html = render(blocks.ShowcaseHighlightsBlock, {"max_count": 3}, django_assert_num_queries, 1)
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', html) == ["Lokalkalender", "Digitala lås"]
    chosen = {"innovations": [site_content["locks"].pk, site_content["calendar"].pk]}
    html = render(blocks.ShowcaseHighlightsBlock, chosen, django_assert_num_queries, 1)
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', html) == ["Digitala lås", "Lokalkalender"]
    html = render(
        blocks.ShowcaseHighlightsBlock, {"tag": "hemtjänst"}, django_assert_num_queries, 1
    )
    assert "Digitala lås" in html and "Lokalkalender" not in html
    html = render(blocks.ShowcaseHighlightsBlock, {"sdg": "11"}, django_assert_num_queries, 1)
    assert "Lokalkalender" in html and "Digitala lås" not in html


def test_process_steps_come_from_the_process_with_our_own_words(django_assert_num_queries):
    raw = {"heading": "Så går det till", "descriptions": {"pilot": "Vi provar i en skola."}}
    html = render(blocks.ProcessStepsBlock, raw, django_assert_num_queries, 0)
    labels = re.findall(r'<span class="sluss-steps__label">([^<]+)</span>', html)
    assert labels == [str(process.get_stage(key).label) for key in process.FORWARD_PATH]
    assert "Vi provar i en skola." in html
    assert str(process.get_stage(process.SCREENING).description) in html


def test_the_stats_block_counts_live(django_assert_num_queries):
    staff = UserFactory(username="koordinator")
    for _n in range(2):
        IdeaFactory()
    tested = IdeaFactory()
    process.move_idea(tested, "pilot", user=staff)
    raw = {"figures": ["received", "tested"], "period": "this_year"}

    def counts(html):
        figures = re.findall(
            r'<dt class="sluss-figures__label">([^<]+)</dt>\s*'
            r'<dd class="sluss-figures__count">(\d+)',
            html,
        )
        return [count for _label, count in figures]

    # Counted once (the ideas' figures in one query, the confirmed adoptions of public
    # innovations in another, with the restricted pages' paths read first), then read
    # from the cache until the ideas change.
    with django_assert_num_queries(3):
        blocks.InnovationStatsBlock().render(blocks.InnovationStatsBlock().to_python(raw))
    html = render(blocks.InnovationStatsBlock, raw, django_assert_num_queries, 0)
    assert counts(html) == ["3", "1"]
    IdeaFactory()
    html = render(blocks.InnovationStatsBlock, raw, django_assert_num_queries, 0)
    assert counts(html) == ["4", "1"]
    html = render(blocks.InnovationStatsBlock, {"period": "all_time"}, django_assert_num_queries, 0)
    assert html.count("sluss-figures__item") == 5


def test_the_example_home_page_is_built_from_every_block(settings, client, no_search_indexing):
    settings.DEBUG = True
    call_command("sluss_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = Site.objects.get(is_default_site=True).root_page.specific
    used = {block.block_type for block in home.body}
    assert used == {
        "text",
        "idea_call_to_action",
        "open_challenges",
        "challenge_teaser",
        "process_steps",
        "innovation_stats",
        "showcase_highlights",
    }
    html = client.get(home.url).content.decode()
    for marker in (
        "sluss-block--cta",
        "sluss-block--challenges",
        "sluss-block--challenge",
        "sluss-block--process",
        "sluss-block--stats",
        "sluss-block--showcase",
        "Så fungerar idéslussen",
    ):
        assert marker in html, marker
