from django.core.management.base import BaseCommand

from ...tasks import resend_failed_emails


class Command(BaseCommand):
    help = (
        "Send again the e-mails about ideas that could not be sent (a mail server that was "
        "down). Each is sent once: safe to run from cron, also while another run is going."
    )

    def handle(self, *args, **options):
        results = resend_failed_emails()
        self.stdout.write(
            "{sent} sent, {obsolete} with nothing to send any more, {failed} failed again, "
            "{skipped} taken by another run.".format(**results)
        )
        if results["failed"]:
            # Cron mails a command's error output: someone hears that mail still fails.
            self.stderr.write(f"{results['failed']} e-mail(s) still not sent.")
