"""The staff second factor's two pages: enrolling an authenticator app, and typing a code."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import second_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        help_text=gettext_lazy("Six digits. Spaces do not matter."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Type the six digits the app shows."))
        return code


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "core:after_login"


def _staff_only(request):
    if not request.user.is_staff:
        raise PermissionDenied(_("This page is for the programme office."))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """Enrol: scan the QR code (or type the secret) into an authenticator app, then confirm
    with the first code it shows. Only for staff without a device."""
    _staff_only(request)
    if second_factor.confirmed_device(request.user) is not None:
        return redirect("core:second_factor")
    posted = request.method == "POST"
    token = request.POST.get("setup", "") if posted else ""
    key = second_factor.setup_key(request.user, token) if posted else None
    # A forged, another user's or too old setup starts again with a new secret.
    expired = posted and key is None
    form = CodeForm(request.POST if key else None)
    if key and form.is_valid():
        if second_factor.enrol(request, key, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", _wrong_code_message())
    if key is None:
        token = second_factor.new_setup(request.user)
        key = second_factor.setup_key(request.user, token)
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "setup": token,
            "next": _next_url_field(request),
            "expired": expired,
            **second_factor.setup_details(request.user, key),
        },
        status=400 if posted else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """Type the code the authenticator app shows. Wrong codes are throttled by django-otp:
    each one doubles the wait before the next may be tried."""
    _staff_only(request)
    device = second_factor.confirmed_device(request.user)
    if device is None:
        return redirect("core:second_factor_setup")
    form = CodeForm(request.POST or None)
    status = 200
    wait = 0
    if request.method == "POST":
        wait = second_factor.seconds_to_wait(device)
        if wait:
            status = 429
        elif form.is_valid():
            if second_factor.verify(request, device, form.cleaned_data["code"]):
                return redirect(_next_url(request))
            form.add_error("code", _wrong_code_message())
            status = 400
        else:
            status = 400
    response = render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": _next_url_field(request), "wait": wait},
        status=status,
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response


def _wrong_code_message() -> str:
    return _(
        "That code is not right. Type the code the app shows now; if it still fails, check "
        "that the phone's clock is right."
    )


def _next_url_field(request) -> str:
    target = _next_url(request)
    return "" if target == "core:after_login" else target
