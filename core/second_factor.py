"""The programme office's second factor: a TOTP code (django-otp) after the password.

Staff see every organisation and webinar participants' names, so a staff account reaches no
page but these (and logging in or out) until it has typed a code from its authenticator app in
this session. Required unless ``DIGILYFT_STAFF_OTP_REQUIRED`` (``STAFF_OTP_REQUIRED``) is
false, which only the local demo sets. Coordinators are not asked for one.

Enrolling writes nothing until the first code is right: the new secret travels in a signed
form field, and the device is stored only when the code made from it matches.
"""

import django_otp
import segno
from django.conf import settings
from django.core import signing
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from lib.second_factor import confirmed_device, redirect_to_second_factor, required_for

__all__ = ["confirmed_device", "redirect_to_second_factor", "required_for"]

SETUP_SALT = "digilyft.second-factor.setup"
SETUP_MAX_AGE = 30 * 60  # seconds a setup page's secret stays valid
# Pages a staff member reaches before the code: logging in and out, resetting a password,
# the second factor's own pages, the language switch and health.
OPEN_URL_NAMES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "core:healthz",
    "core:second_factor",
    "core:second_factor_setup",
}


class StaffSecondFactorMiddleware:
    """Sends a staff member without a code in this session to the code page from every page
    outside ``OPEN_URL_NAMES`` (the office's pages, /admin/ and all the rest). Requests with
    no session cookie are anonymous and pass untouched (no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.path.startswith(settings.STATIC_URL)
            and required_for(request.user)
            and not _is_open(request.path_info)
        ):
            return redirect_to_second_factor(request)
        return self.get_response(request)


def _is_open(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in OPEN_URL_NAMES


# --- enrolling ---------------------------------------------------------------------------


def new_setup(user) -> str:
    """A signed token that carries a fresh secret for ``user`` to the confirming POST."""
    return signing.dumps({"user": user.pk, "key": default_key()}, salt=SETUP_SALT)


def setup_key(user, token: str) -> str | None:
    """The secret in a setup token, or None when it is forged, old or another user's."""
    try:
        data = signing.loads(token, salt=SETUP_SALT, max_age=SETUP_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        return None
    key = data.get("key")
    return key if isinstance(key, str) else None


def unsaved_device(user, key: str) -> TOTPDevice:
    return TOTPDevice(user=user, key=key, name="authenticator", confirmed=True)


def setup_details(user, key: str) -> dict:
    """What the setup page shows: the QR code (SVG markup), the secret for typing, grouped."""
    device = unsaved_device(user, key)
    url = device.config_url
    secret = url.split("secret=", 1)[1].split("&", 1)[0]
    return {
        "qr_svg": segno.make(url, error="m").svg_inline(scale=5, border=2, omitsize=False),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }


def enrol(request, key: str, code: str) -> TOTPDevice | None:
    """Stores the device when ``code`` is right for ``key`` and marks this session verified;
    None (nothing stored) otherwise."""
    user = request.user
    device = unsaved_device(user, key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    if not totp.verify(int(code), device.tolerance):
        return None
    if confirmed_device(user) is not None:
        return None
    device.last_t = totp.t()
    device.save()
    django_otp.login(request, device)
    return device


# --- verifying ---------------------------------------------------------------------------


def seconds_to_wait(device: TOTPDevice) -> int:
    """0 when a code may be tried now; else how long django-otp's throttling still refuses
    one (it doubles after each wrong code: 1, 2, 4 … seconds)."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds() + 0.999))


def verify(request, device: TOTPDevice, code: str) -> bool:
    """True and this session verified when ``code`` is right (each code works once)."""
    if not device.verify_token(code):
        return False
    django_otp.login(request, device)
    return True
