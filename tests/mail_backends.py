from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient, naming the address as SMTP servers do."""

    def send_messages(self, email_messages):
        from smtplib import SMTPRecipientsRefused

        address = email_messages[0].to[0]
        raise SMTPRecipientsRefused({address: (550, f"<{address}>: mailbox unavailable")})
