"""A mail backend for tests: refuses every address that starts with "fail"."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class EmailBackend(LocmemBackend):
    def send_messages(self, messages):
        for message in messages:
            if any(address.startswith("fail") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


class UnreachableBackend(LocmemBackend):
    """A mail server that cannot be reached: every send fails before the server answers."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
