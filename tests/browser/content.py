"""The public site a person meets, built with the factories for each browser test.

``build_public_site()`` makes every page and state the browser tests visit and
returns their paths (Swedish, without a language prefix); ``localized()`` adds
``/en`` for English.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from sluss_wagtail.actions import mark_duplicate
from sluss_wagtail.process import move_idea
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

#: The goal the open challenge serves (the keyboard journey filters on it) and one no
#: challenge serves (the filter with no results).
SERVED_GOAL = 11
UNSERVED_GOAL = 1

IDEA_FORM_VALUES = {
    "title": "Bänkar vid sjön",
    "description": "Ställ bänkar längs promenadstråket runt sjön.",
    "need": "Äldre orkar inte gå hela varvet utan att vila.",
    "beneficiaries": "Äldre och småbarnsföräldrar",
    "name": "Karin Lund",
    "email": "karin@exempelby.invalid",
    "phone": "0302-52 10 00",
}


def localized(path, language):
    """``path`` on the Swedish site as the page in ``language`` (``/en`` for English)."""
    return path if language == "sv" else f"/{language}{path}"


@dataclass
class PublicSite:
    submission_page: object
    challenge_index: object
    open_challenge: object
    upcoming_challenge: object
    closed_challenge: object
    showcase: object = None
    innovation: object = None
    #: The home page built from every block of ``sluss_wagtail.blocks``.
    blocks_page: object = None
    adopted_innovation: object = None
    #: The status pages by the state they show.
    status_paths: dict = field(default_factory=dict)

    @property
    def submission_path(self):
        return self.submission_page.url

    @property
    def index_path(self):
        return self.challenge_index.url


def days(n):
    return timedelta(days=n)


def idea(**fields):
    # Without an e-mail address no receipt or feedback is rendered: the build stays fast.
    return IdeaFactory(contact={"name": "Karin Lund"}, **fields)


def build_idea_form():
    """The open idea form, with a unit so the form offers the unit question too."""
    OrganisationUnitFactory(name="Grundskolan")
    return create_submission_page(intro="<p>Har du en idé som gör kommunen bättre? Berätta!</p>")


def build_challenges():
    """A challenge index with an open, an upcoming and a closed challenge (with outcome)."""
    now = timezone.now()
    unit = OrganisationUnitFactory(name="Grundskolan")
    index = create_challenge_index(intro="<p>Här frågar kommunen efter idéer.</p>")
    open_challenge = create_challenge(
        index,
        title="Tryggare skolvägar",
        opens_at=now - days(2),
        closes_at=now + days(12),
        unit=unit,
        background="<p>Trafiken runt skolorna har ökat.</p>",
        affected="<p>Barn, föräldrar och grannar.</p>",
        wanted_ideas="<p>Enkla saker som kan testas i liten skala.</p>",
        what_happens="<p>Vi läser alla idéer och svarar inom två veckor.</p>",
    )
    open_challenge.sdgs.set([SERVED_GOAL, 3])
    open_challenge.dimensions.set(["social"])
    open_challenge.save_revision().publish()
    upcoming_challenge = create_challenge(
        index,
        title="Mindre matsvinn",
        summary="Hur kan skolor och äldreboenden slänga mindre mat?",
        opens_at=now + days(5),
        closes_at=now + days(40),
    )
    closed_challenge = create_challenge(
        index,
        title="Levande centrum",
        summary="Vad skulle få fler att vilja vara i centrum på kvällen?",
        opens_at=now - days(60),
        closes_at=now - days(10),
        outcome="<p>Tre idéer testas i höst; en av dem är kvällsöppet bibliotek.</p>",
    )
    return index, open_challenge, upcoming_challenge, closed_challenge


def build_showcase():
    """A showcase with an innovation whose tests include one that failed, and one from
    another municipality."""
    showcase = create_showcase_index(intro="<p>Nya lösningar som används i kommunen.</p>")
    unit = OrganisationUnitFactory(
        name="Hemtjänst Norr", contact_email="hemtjanst@exempelby.invalid"
    )
    innovation = create_innovation(
        showcase,
        title="Digitala lås i hemtjänsten",
        unit=unit,
        contact_unit=unit,
        sdgs=[3, 9],
        tags=["hemtjänst", "digitalisering"],
        body=[
            ("heading", "Så fungerar det"),
            ("paragraph", "<p>Personalen öppnar med telefonen.</p>"),
        ],
        pilots=[
            {
                "title": "Digitala lås hos tio brukare",
                "outcome": "successful",
                "result": "40 minuter mindre per dag och lag.",
                "lessons": "Låsen behöver reservbatteri.",
            },
            {
                "title": "Kodlås på ytterdörrar",
                "outcome": "failed",
                "result": "Koderna var svåra för många brukare.",
                "lessons": "Lösningen måste fungera utan att brukaren gör något.",
            },
        ],
    )
    create_innovation(
        showcase,
        title="Lokalkalender för föreningar",
        summary="En kalender där föreningar ser skolans lediga lokaler.",
        sdgs=[11],
        origin="municipality",
        origin_name="Alingsås kommun",
        origin_url="https://www.alingsas.se/",
        status="spread",
    )
    return showcase, innovation


def build_adoptions(showcase):
    """An innovation used in two more places (confirmed), and one registration waiting."""
    from sluss_wagtail.models import AdoptionStatus
    from tests.factories import create_adoption

    innovation = create_innovation(
        showcase,
        title="Matsvinn i skolköken",
        summary="Skolköken väger svinnet varje dag och anpassar portionerna.",
        sdgs=[12],
        status="spread",
    )
    create_adoption(
        innovation,
        organisation="Skolmåltider",
        municipality="Alingsås kommun",
        adaptation="Vi väger bara på fredagar.",
        status=AdoptionStatus.CONFIRMED,
    )
    create_adoption(
        innovation,
        organisation="Kostenheten",
        municipality="Grannby kommun",
        adaptation="",
        since=None,
        status=AdoptionStatus.CONFIRMED,
    )
    create_adoption(innovation, organisation="Väntar på granskning")
    return innovation


def build_public_site():
    """Every page and state: the idea form, challenges, and ideas at several stages."""
    staff = UserFactory(username="koordinator")
    submission_page = build_idea_form()
    index, open_challenge, upcoming_challenge, closed_challenge = build_challenges()
    went_further = idea(
        challenge=closed_challenge, title="Kvällsöppet bibliotek", publish_name=True
    )
    move_idea(went_further, "pilot", user=staff, public_note="Vi testar under hösten.")

    received = idea(title="Fler papperskorgar i parken")
    pilot = idea(title="Lånecyklar för anställda")
    move_idea(pilot, "screening", user=staff, public_note="Vi tittar på idén nu.")
    move_idea(
        pilot, "pilot", user=staff, public_note="Tio cyklar lånas ut på två arbetsplatser i maj."
    )
    closed = idea(title="Konstgräs på torget")
    move_idea(
        closed,
        "closed",
        user=staff,
        public_note="Torget används för marknader och kan inte ha konstgräs.",
    )
    forwarded = idea(title="Laga gatlampan på Storgatan")
    move_idea(
        forwarded,
        "forwarded",
        user=staff,
        destination="Gatu- och parkenheten",
        public_note="Det här är en felanmälan; vi har skickat den vidare.",
    )
    showcase, innovation = build_showcase()
    adopted_innovation = build_adoptions(showcase)
    duplicate = idea(title="Cyklar att låna på jobbet")
    mark_duplicate(duplicate, pilot, user=staff, public_note="Samma idé som en som redan testas.")
    blocks_page = build_blocks_page(submission_page, open_challenge)
    return PublicSite(
        submission_page=submission_page,
        challenge_index=index,
        open_challenge=open_challenge,
        upcoming_challenge=upcoming_challenge,
        closed_challenge=closed_challenge,
        showcase=showcase,
        innovation=innovation,
        blocks_page=blocks_page,
        adopted_innovation=adopted_innovation,
        status_paths={
            "received": received.get_status_url(),
            "pilot": pilot.get_status_url(),
            "closed": closed.get_status_url(),
            "forwarded": forwarded.get_status_url(),
            "duplicate": duplicate.get_status_url(),
        },
    )


def build_blocks_page(submission_page, challenge):
    """The site's home page with a body of every block, each filled in as an editor would."""
    from wagtail.models import Site
    from wagtail.rich_text import RichText

    home = Site.objects.get(is_default_site=True).root_page.specific
    home.body = [
        ("text", RichText("<h2>Idéslussen</h2><p>Vi testar nya idéer i liten skala.</p>")),
        (
            "idea_call_to_action",
            {
                "heading": "Har du en idé?",
                "text": "Berätta för oss.",
                "page": submission_page,
                "link_text": "Lämna en idé",
            },
        ),
        ("open_challenges", {"heading": "Öppna utmaningar", "max_count": 3}),
        ("challenge_teaser", {"challenge": challenge, "heading_level": "h2"}),
        ("process_steps", {"heading": "Från idé till vardag", "descriptions": {}}),
        ("innovation_stats", {"heading": "Idéslussen i siffror", "period": "all_time"}),
        ("showcase_highlights", {"heading": "Genomförda innovationer", "max_count": 3}),
    ]
    home.save_revision().publish()
    return home
