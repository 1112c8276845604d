"""Build a believable demo of the sluice; safe to run again."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site
from wagtail.rich_text import RichText

from sluss_wagtail import actions, page_types, process, roles
from sluss_wagtail.models import (
    Adoption,
    Idea,
    OrganisationUnit,
    Pilot,
    ShowcaseReviewTask,
    Sluice,
    SlussSettings,
)
from sluss_wagtail.models.ideas import SubmitterKind

from . import (
    _demo_assess,
    _demo_benefits,
    _demo_coach,
    _demo_dialogue,
    _demo_follow,
    _demo_portfolio,
)

#: The demo of each feature that has one of its own, built in this order after the rest.
DEMO_PARTS = [
    _demo_assess,
    _demo_portfolio,
    _demo_coach,
    _demo_dialogue,
    _demo_follow,
    _demo_benefits,
]

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "sluss-demo-2026"
# (username, first name, last name, role); all share the demo password.
STAFF = [
    ("koordinator", "Ingrid", "Innovationsledare", roles.COORDINATORS),
    ("granskare", "Gustav", "Enhetschef", roles.REVIEWERS),
]
REVIEWED_UNIT = "Hemtjänst Norr"
#: The second showcase, to import other municipalities' innovations into.
OTHER_SHOWCASE_SLUG = "andra-kommuners-innovationer"

#: A second municipality in the same installation: its own site (the same server, on
#: ``localhost`` instead of ``127.0.0.1``), its own sluice, units, coordinator and ideas.
SECOND = {
    "name": "Alingsås kommun",
    "hostname": "localhost",
    "slug": "alingsas",
    "reference_format": "ALI-{year}-{number:04d}",
    "group": "Innovationsledare Alingsås",
    "coordinator": ("alingsas", "Astrid", "Alingsåsson"),
    "units": [("Stadsbyggnad", True), ("Kultur och turism", False)],
    "challenge": (
        "levande-stadskarna",
        "Levande stadskärna",
        "Stadsbyggnad",
        {
            "summary": "Hur får vi fler att stanna i stadskärnan efter fem?",
            "problem": "<p>Butikerna stänger tidigt och torget är tomt på kvällarna.</p>",
        },
    ),
    "ideas": [
        ("demo-a1", "Torghandel på torsdagskvällar", "screening"),
        ("demo-a2", "Belysta promenadstråk längs ån", "received"),
    ],
}
#: Sees both municipalities' sluices, with a filter per sluice.
NETWORK_COORDINATOR = ("natverk", "Nora", "Nätverkskoordinator")

UNITS = [
    ("Förskola Solrosen", True),
    ("Hemtjänst Norr", True),
    ("Gata och park", True),
    ("Kultur och fritid", False),
    ("Skola Centrum", False),
    ("Kontaktcenter", False),
]

# (key, kind, unit, title, description, need, contact, moves)
# Each move is (stage, public note, internal note, destination).
IDEAS = [
    (
        "demo-1",
        SubmitterKind.RESIDENT,
        "Gata och park",
        "Sittbänkar längs promenadstråket vid sjön",
        "Ställ bänkar med ryggstöd var 200:e meter längs stråket runt sjön.",
        "Äldre och personer med nedsatt ork orkar inte gå hela varvet utan att vila.",
        {"name": "Karin Lund", "email": "", "phone": "", "organisation": ""},
        [
            (
                "screening",
                "Tack! Vi bedömer nu kostnad och platser tillsammans med Gata och park.",
                "",
                "",
            ),
            ("development", "Vi tar fram ett förslag på tre platser att börja med.", "", ""),
            (
                "pilot",
                "Tre bänkar ställs ut under sommaren som ett test i liten skala.",
                "Budget 45 000 kr.",
                "",
            ),
        ],
    ),
    (
        "demo-2",
        SubmitterKind.EMPLOYEE,
        "Hemtjänst Norr",
        "Digital nyckelhantering i hemtjänsten",
        "Byt fysiska nycklar mot digitala lås som öppnas med telefonen.",
        "Vi lägger mycket tid på att hämta och lämna nycklar, och nycklar kommer bort.",
        {"name": "Ali Hassan", "email": "", "phone": "", "organisation": ""},
        [
            ("screening", "Idén bedöms tillsammans med verksamheten.", "", ""),
            ("pilot", "Vi testar digitala lås hos tio brukare i tre månader.", "", ""),
            ("evaluation", "Testet är klart och resultaten utvärderas.", "", ""),
            ("implemented", "Digitala lås införs i hela hemtjänsten under hösten.", "", ""),
        ],
    ),
    (
        "demo-3",
        SubmitterKind.ASSOCIATION,
        "Kultur och fritid",
        "Låna ut föreningens lokaler till läxhjälp",
        "Föreningen kan öppna sin lokal två kvällar i veckan för läxhjälp med volontärer.",
        "Många barn saknar en lugn plats att göra läxor på.",
        {"name": "Eva Berg", "email": "", "phone": "", "organisation": "Idrottsföreningen Kometen"},
        [("screening", "Vi pratar med skolorna om hur idén kan passa in.", "", "")],
    ),
    (
        "demo-4",
        SubmitterKind.BUSINESS,
        "",
        "Cykelpendling med lånecyklar vid stationen",
        "Företaget kan ställa elcyklar vid stationen som anställda i kommunen lånar.",
        "Kollektivtrafiken når inte alla arbetsplatser.",
        {"name": "Johan Ek", "email": "", "phone": "", "organisation": "Cykel & Co AB"},
        [
            (
                "closed",
                "Idén är bra, men kommunen måste upphandla sådana tjänster. Vi tar med den i "
                "nästa upphandling av resor.",
                "",
                "",
            )
        ],
    ),
    (
        "demo-5",
        SubmitterKind.RESIDENT,
        "",
        "Trasig gatlampa på Storgatan",
        "Lampan utanför Storgatan 12 har varit släckt i två veckor.",
        "Det är mörkt och otryggt att gå där på kvällen.",
        {"name": "Maja Ström", "email": "", "phone": "", "organisation": ""},
        [
            (
                "forwarded",
                "Det här är en felanmälan, så vi har skickat den vidare till Gata och park.",
                "",
                "Felanmälan, Gata och park",
            )
        ],
    ),
    (
        "demo-6",
        SubmitterKind.EMPLOYEE,
        "Förskola Solrosen",
        "Återbruk av material i förskolan",
        "Samla spillmaterial från företag i kommunen och använd det i skapande verksamhet.",
        "Vi köper mycket nytt pysselmaterial som används en gång.",
        {"name": "Sara Nilsson", "email": "", "phone": "", "organisation": ""},
        [
            ("screening", "", "", ""),
            ("development", "Vi letar företag som vill lämna material.", "", ""),
            ("parked", "Arbetet är pausat till hösten när fler företag har svarat.", "", ""),
        ],
    ),
    (
        "demo-7",
        SubmitterKind.OTHER,
        "",
        "Språkcafé på biblioteket",
        "Ett språkcafé där nyanlända och andra kan träffas och prata svenska.",
        "Det finns få platser att öva svenska i vardagen.",
        {"name": "Lina Ek", "email": "", "phone": "", "organisation": ""},
        [],
    ),
    (
        "demo-8",
        SubmitterKind.EMPLOYEE,
        "Skola Centrum",
        "Gemensam kalender för skolans lokaler",
        "En bokningskalender för skolans lokaler som föreningar kan se.",
        "Lokaler står tomma på kvällar medan föreningar saknar lokaler.",
        {"name": "Per Holm", "email": "", "phone": "", "organisation": ""},
        [
            ("screening", "", "", ""),
            ("development", "", "", ""),
            ("pilot", "", "", ""),
            ("evaluation", "", "", ""),
            ("implemented", "Kalendern är i drift på alla skolor.", "", ""),
            ("spread", "Två grannkommuner använder nu också kalendern.", "", ""),
        ],
    ),
]


# (slug, title, opens in days, closes in days, unit, global goals, page fields)
CHALLENGES = [
    (
        "tryggare-skolvagar",
        "Tryggare skolvägar",
        -10,
        20,
        "Skola Centrum",
        [3, 11],
        {
            "summary": "Hur kan fler barn gå och cykla tryggt till skolan?",
            "problem": "<p>Många barn skjutsas med bil till skolan, och trafiken vid skolorna "
            "blir farlig för dem som går och cyklar.</p>",
            "background": "<p>Barn som rör sig till skolan mår bättre och lär sig mer.</p>",
            "affected": "<p>Barn, föräldrar och de som bor nära skolorna.</p>",
            "wanted_ideas": "<p>Enkla idéer som kan testas under en termin.</p>",
            "what_happens": "<p>Vi läser alla idéer när utmaningen stänger och svarar inom "
            "två veckor. De bästa testas i liten skala vid en skola.</p>",
        },
    ),
    (
        "mindre-matsvinn",
        "Mindre matsvinn i skolköken",
        15,
        60,
        "Skola Centrum",
        [12],
        {
            "summary": "Hur slänger vi mindre mat i skolans kök och matsal?",
            "problem": "<p>Var femte portion i skolans matsal slängs.</p>",
        },
    ),
    (
        "ensamhet-bland-aldre",
        "Mindre ensamhet bland äldre",
        -90,
        -30,
        "Hemtjänst Norr",
        [3, 10],
        {
            "summary": "Hur kan fler äldre få sällskap i vardagen?",
            "problem": "<p>Många äldre som bor hemma träffar nästan ingen.</p>",
            "outcome": "<p>Vi fick 14 idéer. Två testas nu i liten skala: en promenadgrupp "
            "och telefonvänner.</p>",
        },
    ),
]
CHALLENGE_IDEAS = {
    "tryggare-skolvagar": [("demo-c1", "Gående skolbuss med vuxna", "screening")],
    "ensamhet-bland-aldre": [
        ("demo-c2", "Promenadgrupp varje tisdag", "pilot"),
        ("demo-c3", "Telefonvänner", "pilot"),
        ("demo-c4", "Fika i biblioteket", "closed"),
    ],
}


class Command(BaseCommand):
    help = "Build a believable demo of the innovation sluice (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Never on a real site: it creates a known admin login.",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="The port the demo is served on, so links in e-mails and the admin work.",
        )

    def handle(self, *args, force=False, port=8000, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "sluss_demo creates a known admin login; it runs only with DEBUG on."
            )
        with transaction.atomic():
            site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
            if site is None:
                raise CommandError("There is no default Wagtail site; run migrate first.")
            home = site.root_page.specific
            self.set_up_home(home, site, port)
            page = self.set_up_submission_page(home)
            units = self.set_up_units()
            admin = self.set_up_admin()
            self.set_up_staff(units)
            created = self.set_up_ideas(units, admin, page)
            created += self.set_up_challenges(home, units, admin)
            self.set_up_showcase(home, units, admin)
            self.set_up_home_body(home, page)
            other_showcase = self.set_up_spread(home)
            second_site = self.set_up_second_municipality(site, port, admin)
            context = {
                "site": site,
                "home": home,
                "page": page,
                "units": units,
                "admin": admin,
                "other_showcase": other_showcase,
            }
            for part in DEMO_PARTS:
                part.build(self, **context)
            # Set after the demo ideas, so that building them sends no e-mail.
            settings_obj = SlussSettings.for_site(site)
            settings_obj.coordinator_emails = "koordinator@exempelby.invalid"
            settings_obj.save()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {created} new ideas."))
        self.stdout.write(f"Submit an idea: {page.full_url}")
        self.stdout.write(f"Admin: {site.root_url}/admin/  (password {ADMIN_PASSWORD!r} for all)")
        self.stdout.write(f"  {ADMIN_USERNAME!r}: superuser")
        self.stdout.write(
            "  'koordinator': innovation coordinator of Exempelby, sees all its ideas"
        )
        self.stdout.write(f"  'granskare': reviews {REVIEWED_UNIT}'s ideas, without personal data")
        self.stdout.write(
            f"  {SECOND['coordinator'][0]!r}: coordinator of {SECOND['name']} "
            f"({second_site.root_url}/), sees only its ideas"
        )
        self.stdout.write(
            f"  {NETWORK_COORDINATOR[0]!r}: network coordinator, sees both sluices with a filter"
        )
        self.stdout.write("  'moderator': approves showcase pages in the review workflow")
        self.stdout.write(
            "  and confirms adoptions: Innovation sluice → Adoptions (one is waiting)"
        )
        self.stdout.write(
            "Import the showcase's feed into the other municipalities' showcase:\n"
            f"  python manage.py sluss_import {site.root_url}/genomforda-innovationer/feed/json/ "
            f"--into {other_showcase.pk}"
        )

    def set_up_home(self, home, site, port=8000):
        home.title = "Exempelby kommun"
        if hasattr(home, "intro"):
            home.intro = (
                "<p>Välkommen till Exempelby kommun. Har du en idé som kan göra kommunen bättre? "
                "Vi tar emot idéer från invånare, medarbetare, föreningar och företag, testar dem "
                "i liten skala och sprider det som fungerar.</p>"
            )
        home.save_revision().publish()
        site.site_name = "Exempelby kommun"
        site.hostname = "127.0.0.1"
        site.port = port
        site.save()
        settings_obj = SlussSettings.for_site(site)
        settings_obj.contact_email = "idesluss@exempelby.invalid"
        settings_obj.save()

    def published_child(self, parent, model, *, by_slug=False, **fields):
        """The ``model`` page under ``parent`` (with ``fields["slug"]`` if ``by_slug``),
        made from ``fields`` and published the first time."""
        children = model.objects.child_of(parent)
        if by_slug:
            children = children.filter(slug=fields["slug"])
        page = children.first()
        if page is None:
            page = model(**fields)
            parent.add_child(instance=page)
            page.save_revision().publish()
        return page

    def set_up_submission_page(self, home):
        return self.published_child(
            home,
            page_types.get_model("idea_submission"),
            title="Lämna en idé",
            slug="lamna-en-ide",
            intro=(
                "<p>Har du en idé som kan göra livet bättre för dem som bor och arbetar i "
                "kommunen? Berätta! Alla idéer läses, och du får återkoppling.</p>"
            ),
        )

    def challenge_index(self, home):
        """The challenge index under ``home``, made and published the first time."""
        return self.published_child(
            home,
            page_types.get_model("challenge_index"),
            title="Utmaningar",
            slug="utmaningar",
            intro="<p>Här beskriver kommunen problem som vi vill ha hjälp att lösa. "
            "Skicka din idé medan utmaningen är öppen.</p>",
        )

    def challenge_idea(self, challenge, key, title, **fields):
        """A resident's idea to ``challenge``, as its form would have sent it."""
        return Idea.objects.submit(
            submission_key=key,
            contact={"name": "Demo Demosson", "email": ""},
            title=title,
            description=f"{title}. En idé till utmaningen {challenge.title}.",
            need=challenge.title,
            submitter_kind=SubmitterKind.RESIDENT,
            publish_idea=True,
            language="sv",
            challenge=challenge,
            source_page=challenge,
            **fields,
        )

    def set_up_units(self, units_list=UNITS, sluice=None, email="enhet@exempelby.invalid"):
        units = {}
        sluice = sluice or Sluice.objects.default()
        for name, is_pilot in units_list:
            unit, _created = OrganisationUnit.objects.update_or_create(
                name=name,
                sluice=sluice,
                defaults={
                    "is_pilot_unit": is_pilot,
                    "contact_email": email,
                },
            )
            units[name] = unit
        return units

    def set_up_admin(self):
        User = get_user_model()
        admin = User.objects.filter(username=ADMIN_USERNAME).first()
        if admin is None:
            admin = User.objects.create_superuser(
                ADMIN_USERNAME, "admin@exempelby.invalid", ADMIN_PASSWORD
            )
            admin.first_name, admin.last_name = "Ingrid", "Innovationsledare"
            admin.save()
        return admin

    def set_up_staff(self, units):
        groups = roles.ensure_groups()
        unit = units[REVIEWED_UNIT]
        unit_group, _created = Group.objects.get_or_create(name=f"Granskare: {unit.name}")
        unit.reviewer_group = unit_group
        unit.save(update_fields=["reviewer_group"])
        User = get_user_model()
        for username, first_name, last_name, role in STAFF:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username,
                    f"{username}@exempelby.invalid",
                    ADMIN_PASSWORD,
                    first_name=first_name,
                    last_name=last_name,
                )
            user.groups.add(groups[role])
            if role == roles.REVIEWERS:
                user.groups.add(unit_group)

    def set_up_ideas(self, units, admin, page):
        created = 0
        now = timezone.now()
        for index, (key, kind, unit, title, description, need, contact, moves) in enumerate(IDEAS):
            if Idea.objects.filter(submission_key=key).exists():
                continue
            idea = Idea.objects.submit(
                submission_key=key,
                contact=contact,
                title=title,
                description=description,
                need=need,
                submitter_kind=kind,
                unit=units.get(unit),
                publish_idea=True,
                publish_name=False,
                language="sv",
                source_page=page,
                # Spread over the last weeks, so some wait past the feedback promise.
                created_at=now - timedelta(days=40 - 4 * index),
            )
            for stage, public_note, internal_note, destination in moves:
                process.move_idea(
                    idea,
                    stage,
                    user=admin,
                    public_note=public_note,
                    internal_note=internal_note,
                    destination=destination,
                )
            created += 1
        return created

    def set_up_challenges(self, home, units, admin):
        index = self.challenge_index(home)
        now = timezone.now()
        created = 0
        for slug, title, opens, closes, unit, goals, extra in CHALLENGES:
            challenge = (
                page_types.challenge_model().objects.child_of(index).filter(slug=slug).first()
            )
            if challenge is None:
                challenge = page_types.challenge_model()(
                    title=title,
                    slug=slug,
                    opens_at=now + timedelta(days=opens),
                    closes_at=now + timedelta(days=closes),
                    unit=units[unit],
                    **extra,
                )
                index.add_child(instance=challenge)
                challenge.sdgs.set(goals)
                challenge.save_revision().publish()
            for key, idea_title, stage in CHALLENGE_IDEAS.get(slug, []):
                if Idea.objects.filter(submission_key=key).exists():
                    continue
                idea = self.challenge_idea(
                    challenge, key, idea_title, created_at=challenge.opens_at + timedelta(days=1)
                )
                if stage == process.CLOSED:
                    note = (
                        "Tack! Idén liknar en annan idé som vi redan testar, så vi går inte vidare."
                    )
                else:
                    note = "Tack! Vi går vidare med din idé."
                process.move_idea(idea, stage, user=admin, public_note=note)
                created += 1
        return created

    def let_moderators_edit(self, showcase):
        """The moderators may add, change and publish pages in ``showcase``; returns them."""
        import swapper
        from django.contrib.auth import get_permission_codename
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import GroupPagePermission

        # The base page's permissions: "add_page", or "add_basepage" with a base page of
        # the site's own (WAGTAIL_PAGE_MODEL).
        page_model = swapper.load_model("wagtailcore", "Page")
        content_type = ContentType.objects.get_for_model(page_model)
        moderators = roles.ensure_groups()[roles.MODERATORS]
        for action in ("add", "change", "publish"):
            GroupPagePermission.objects.get_or_create(
                group=moderators,
                page=showcase,
                permission=Permission.objects.get(
                    content_type=content_type,
                    codename=get_permission_codename(action, page_model._meta),
                ),
            )
        return moderators

    def set_up_showcase(self, home, units, admin):
        """A showcase with a review workflow, and one innovation that went all the way."""
        from wagtail.models import Workflow, WorkflowTask

        showcase = self.published_child(
            home,
            page_types.showcase_model(),
            title="Genomförda innovationer",
            slug="genomforda-innovationer",
            intro="<p>Nya lösningar som används i kommunen, och vad testerna bakom dem "
            "lärde oss, också det som inte fungerade.</p>",
        )
        moderators = self.let_moderators_edit(showcase)
        task = ShowcaseReviewTask.objects.filter(name="Granskning av goda exempel").first()
        if task is None:
            task = ShowcaseReviewTask.objects.create(name="Granskning av goda exempel")
            task.groups.set([moderators])
            workflow = Workflow.objects.create(name="Granskning av goda exempel")
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            workflow.workflow_pages.get_or_create(page=showcase)
        User = get_user_model()
        if not User.objects.filter(username="moderator").exists():
            moderator = User.objects.create_user(
                "moderator",
                "moderator@exempelby.invalid",
                ADMIN_PASSWORD,
                first_name="Maria",
                last_name="Moderator",
            )
            moderator.groups.add(moderators)

        idea = Idea.objects.filter(submission_key="demo-2").first()
        if idea is None or page_types.innovation_model().objects.filter(idea=idea).exists():
            return
        if not idea.pilots.exists():
            Pilot.objects.create(
                idea=idea,
                title="Digitala lås hos tio brukare",
                hypothesis="Personalen lägger mindre tid på nycklar.",
                success_criteria="Minst en halvtimme mindre per dag och lag.",
                outcome="successful",
                result="40 minuter mindre per dag och lag; inga borttappade nycklar.",
                lessons="Låsen behöver reservbatteri och en rutin för byte.",
                decision="scale_up",
            )
            Pilot.objects.create(
                idea=idea,
                title="Kodlås på ytterdörrar",
                hypothesis="Brukarna kan själva ge personalen en kod.",
                success_criteria="Fungerar för nio av tio brukare.",
                outcome="failed",
                result="Många brukare tyckte att koderna var svåra att hantera.",
                lessons="Lösningen måste fungera utan att brukaren gör något.",
                decision="stop",
            )
        idea.sdgs.set([3, 9])
        idea.tags.set(["hemtjänst", "digitalisering"])
        page = actions.promote_idea(idea, showcase, user=admin)
        page.get_latest_revision().publish(user=admin)

    def set_up_home_body(self, home, submission_page):
        """The home page built from the sluice's blocks, if the site's home page has a body."""
        if not hasattr(home, "body") or len(home.body):
            return
        challenge = (
            page_types.challenge_model().objects.live().filter(slug="tryggare-skolvagar").first()
        )
        body = [
            (
                "idea_call_to_action",
                {
                    "heading": "Har du en idé?",
                    "text": "Invånare, medarbetare, föreningar och företag: berätta för oss. "
                    "Alla idéer läses, och du får återkoppling.",
                    "page": submission_page,
                    "link_text": "Lämna en idé",
                },
            ),
            (
                "open_challenges",
                {
                    "heading": "Öppna utmaningar",
                    "max_count": 3,
                    "empty_text": "Just nu är ingen utmaning öppen. Lämna gärna en idé ändå!",
                },
            ),
            (
                "text",
                RichText(
                    "<h2>Så fungerar idéslussen</h2><p>Vi testar nya idéer i liten skala "
                    "innan något ändras, och sprider det som fungerar.</p>"
                ),
            ),
            (
                "process_steps",
                {
                    "heading": "Från idé till vardag",
                    "descriptions": {
                        "screening": "Vi svarar inom två veckor och bedömer nytta och kostnad.",
                        "pilot": "Vi provar idén i en verksamhet, oftast under en termin.",
                    },
                },
            ),
            ("innovation_stats", {"heading": "Idéslussen i siffror", "period": "this_year"}),
            (
                "showcase_highlights",
                {"heading": "Genomförda innovationer", "max_count": 3},
            ),
        ]
        if challenge is not None:
            body.insert(2, ("challenge_teaser", {"challenge": challenge, "heading_level": "h2"}))
        home.body = body
        home.save_revision().publish()

    def set_up_spread(self, home):
        """A pending adoption of the demo innovation, and a second showcase to import into."""
        innovation = (
            page_types.innovation_model().objects.filter(idea__submission_key="demo-2").first()
        )
        if innovation is not None:
            Adoption.objects.get_or_create(
                submission_key="demo-adoption-1",
                defaults={
                    "innovation": innovation,
                    "organisation": "Hemtjänsten Centrum",
                    "municipality": "Grannby kommun",
                    "contact_email": "hemtjanst@grannby.invalid",
                    "adaptation": "Samma lås, men brukarna får välja om de vill ha dem.",
                    "since": date(2026, 9, 1),
                },
            )
        other = self.published_child(
            home,
            page_types.showcase_model(),
            by_slug=True,
            title="Andra kommuners innovationer",
            slug=OTHER_SHOWCASE_SLUG,
            intro="<p>Lösningar som andra kommuner har infört och som vi vill pröva.</p>",
        )
        self.let_moderators_edit(other)
        return other

    def set_up_second_municipality(self, site, port, admin):
        """Alingsås: a site of its own (``localhost``), its own sluice with its own reference
        numbers, units, coordinator and a challenge with ideas; Exempelby's coordinators
        coordinate the default sluice, and a network coordinator sees both."""
        from wagtail.models import Page

        groups = roles.ensure_groups()
        default = Sluice.objects.default()
        default.name = site.site_name
        default.save()
        default.coordinator_groups.add(groups[roles.COORDINATORS])

        home = Page.objects.filter(depth=2, slug=SECOND["slug"]).first()
        if home is None:
            home = site.root_page.specific_class(title=SECOND["name"], slug=SECOND["slug"])
            Page.get_first_root_node().add_child(instance=home)
            home.save_revision().publish()
        second_site, _created = Site.objects.update_or_create(
            hostname=SECOND["hostname"],
            port=port,
            defaults={"root_page": home, "site_name": SECOND["name"]},
        )
        sluice, _created = Sluice.objects.update_or_create(
            name=SECOND["name"], defaults={"reference_format": SECOND["reference_format"]}
        )
        sluice.sites.add(second_site)
        group, _created = Group.objects.get_or_create(name=SECOND["group"])
        group.permissions.add(*roles.get_permissions(roles.ROLES[roles.COORDINATORS][1]))
        sluice.coordinator_groups.add(group)
        settings_obj = SlussSettings.for_site(second_site)
        settings_obj.contact_email = "idesluss@alingsas.invalid"
        settings_obj.save()

        User = get_user_model()
        username, first_name, last_name = SECOND["coordinator"]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                f"{username}@alingsas.invalid",
                ADMIN_PASSWORD,
                first_name=first_name,
                last_name=last_name,
            )
        user.groups.add(group)
        username, first_name, last_name = NETWORK_COORDINATOR
        network = User.objects.filter(username=username).first()
        if network is None:
            network = User.objects.create_user(
                username,
                f"{username}@exempelby.invalid",
                ADMIN_PASSWORD,
                first_name=first_name,
                last_name=last_name,
            )
        network.groups.add(groups[roles.COORDINATORS])
        network.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="sluss_wagtail", codename="view_all_sluices"
            )
        )

        units = self.set_up_units(SECOND["units"], sluice, "enhet@alingsas.invalid")
        index = self.challenge_index(home)
        slug, title, unit, fields = SECOND["challenge"]
        challenge = page_types.challenge_model().objects.child_of(index).filter(slug=slug).first()
        now = timezone.now()
        if challenge is None:
            challenge = page_types.challenge_model()(
                title=title,
                slug=slug,
                opens_at=now - timedelta(days=5),
                closes_at=now + timedelta(days=40),
                unit=units[unit],
                **fields,
            )
            index.add_child(instance=challenge)
            challenge.save_revision().publish()
        for key, idea_title, stage in SECOND["ideas"]:
            if Idea.objects.filter(submission_key=key).exists():
                continue
            idea = self.challenge_idea(challenge, key, idea_title)
            if stage != process.RECEIVED:
                process.move_idea(idea, stage, user=admin, public_note="Tack! Vi tittar på den.")
        return second_site
