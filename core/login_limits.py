"""Password spraying from one address: every wrong password counts against the client's address
(``lib.clientip``) in ``CACHES["limits"]``, whatever the username. Past
``DIGILYFT_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR`` the login page refuses that address's
attempts until the hour is over (``core.views.login``), without checking the password. The
lockout per username and address (django-axes) stays as it is, and other addresses are not
affected."""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from lib.clientip import client_ip
from lib.ratelimit import seconds_blocked, seconds_to_wait

SCOPE = "login-failures"
WINDOW_SECONDS = 3600


@receiver(user_login_failed, dispatch_uid="digilyft-login-failures-per-address")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        seconds_to_wait(
            SCOPE,
            client_ip(request),
            settings.DIGILYFT_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR,
            WINDOW_SECONDS,
        )


def seconds_refused(request) -> int:
    """0 while the address may try a password; else the seconds until it may again."""
    return seconds_blocked(
        SCOPE,
        client_ip(request),
        settings.DIGILYFT_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR,
        WINDOW_SECONDS,
    )
