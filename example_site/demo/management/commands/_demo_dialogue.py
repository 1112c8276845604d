"""Demo content for the dialogue with the idea giver (``sluss_wagtail.dialogue``), in Swedish.

``build(command, **context)`` is called by ``sluss_demo``: an idea whose giver a
coordinator asks a question, and who answers through the status link (the same
``dialogue.answer`` the status page's answer form saves through); the idea then moves
into development, which asks the giver whether they want to take part, and the giver
says yes. Running the demo again adds nothing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from sluss_wagtail import dialogue, process
from sluss_wagtail.models import Idea
from sluss_wagtail.models.ideas import SubmitterKind as Kind

DEMO_KEY = "demo-dialogue-kyrkviken"
TITLE = "Bänkar vid Kyrkviken"
QUESTION = (
    "Hej Karin! Tack för din idé. Vilken del av promenadstråket vid Kyrkviken tänker du "
    "på, och hur många bänkar behövs ungefär?"
)
ANSWER = (
    "Hej! Sträckan mellan badplatsen och bryggan, ungefär en kilometer. Tre eller fyra "
    "bänkar skulle räcka, gärna med ryggstöd."
)
FOLLOW_UP = "Tack! Vi tar med det i bedömningen och hör av oss efter nästa möte."


def _coordinator(context):
    users = get_user_model()._default_manager
    return (
        users.filter(username="koordinator").first()
        or context.get("admin")
        or users.filter(is_superuser=True).first()
    )


def build(command, **context):
    """Build the dialogue's demo; returns the idea (the one built before, if any)."""
    existing = Idea.objects.filter(submission_key=DEMO_KEY).first()
    if existing is not None:
        return existing
    coordinator = _coordinator(context)
    with transaction.atomic():
        idea = Idea.objects.submit(
            submission_key=DEMO_KEY,
            contact={"name": "Karin Lund", "email": "karin.lund@exempelby.invalid"},
            title=TITLE,
            description="Ställ fler bänkar längs promenadstråket vid Kyrkviken.",
            need="Äldre och den som har ont i benen orkar inte gå hela varvet utan att vila.",
            submitter_kind=Kind.RESIDENT,
            publish_idea=True,
            publish_name=False,
            language="sv",
            source_page=context.get("page"),
        )
        process.move_idea(
            idea, process.SCREENING, user=coordinator, public_note="Vi bedömer din idé nu."
        )
        dialogue.write_to_giver(idea, user=coordinator, text=QUESTION)
        # What the giver's answer form on the status page saves.
        dialogue.answer(idea, text=ANSWER)
        dialogue.write_to_giver(idea, user=coordinator, text=FOLLOW_UP, kind=dialogue.Kind.MESSAGE)
        process.move_idea(
            idea,
            process.DEVELOPMENT,
            user=coordinator,
            public_note="Vi utvecklar idén tillsammans med parkförvaltningen.",
        )
        dialogue.record_participation(idea, take_part=True, publish_name=True)
    stdout = getattr(command, "stdout", None)
    if stdout is not None:
        stdout.write(
            f"Dialogue: idea {idea.reference}, answered on its status page "
            f"{idea.get_absolute_status_url()}"
        )
    return idea
