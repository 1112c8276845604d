from django.core.management.base import BaseCommand

from ...notifications import send_feedback_reminders, send_follow_up_reminders


class Command(BaseCommand):
    help = (
        "Tell coordinators and unit contacts which ideas have waited past the feedback "
        "promise without feedback, and benefit owners which follow-ups have come. Safe to "
        "run from cron."
    )

    def handle(self, *args, **options):
        messages = send_feedback_reminders() + send_follow_up_reminders()
        for message in messages:
            self.stdout.write(f"Sent to {', '.join(message.to)}: {message.subject}")
        self.stdout.write(f"{len(messages)} reminder(s) sent.")
