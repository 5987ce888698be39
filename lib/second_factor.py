"""Whether a staff account still owes its second factor in this session, and where to send
it: what both the staff-page decorator (``lib.access``) and the middleware
(``core.second_factor``) ask. The code pages themselves live in ``core``."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice


def required_for(user) -> bool:
    """True while ``user`` is staff, has not typed a code in this session, and the setting
    asks for one."""
    if not settings.DIGILYFT_STAFF_OTP_REQUIRED:
        return False
    if not (user.is_authenticated and user.is_staff):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def redirect_to_second_factor(request):
    """To the code page (or to enrolling, without a device), coming back here afterwards."""
    name = "core:second_factor" if confirmed_device(request.user) else "core:second_factor_setup"
    target = reverse(name)
    if request.method in ("GET", "HEAD"):
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)
