"""A mail backend for tests: refuses every address that starts with "fail"."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class EmailBackend(LocmemBackend):
    """Refuses "fail…" for good (550), "later…" for now (450 greylisting) and breaks on
    "broken…" with an error of our own (not the server's)."""

    def send_messages(self, messages):
        for message in messages:
            if any(address.startswith("fail") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
            if any(address.startswith("later") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (450, b"try again later")})
            if any(address.startswith("broken") for address in message.to):
                raise ValueError("a template that cannot be rendered")
        return super().send_messages(messages)


class UnreachableBackend(LocmemBackend):
    """A mail server that cannot be reached: every send fails before the server answers."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
