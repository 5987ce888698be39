"""Pages every visitor shares: the front page, statements required by law, health."""

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetView
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.login_limits import seconds_refused
from core.mail import QueuedPasswordResetForm
from core.unavailable import UNAVAILABLE, standalone_page, unavailable_response
from lib.ratelimit import allow, too_many

logger = logging.getLogger(__name__)


@require_safe
def home(request):
    return render(request, "core/home.html")


@require_safe
@login_required
def after_login(request):
    """Where a login lands: the programme office on its overview, a coordinator on their
    rounds (LOGIN_REDIRECT_URL; a ``next`` the login was given still wins)."""
    if request.user.is_staff:
        return redirect("programme:overview")
    return redirect("assessments:coordinator_home")


@require_safe
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_safe
def privacy(request):
    return render(
        request,
        "core/privacy.html",
        {
            "retention_days": settings.DIGILYFT_UNSUBMITTED_RETENTION_DAYS,
            "cookie_days": settings.DIGILYFT_RESUME_COOKIE_DAYS,
            "threshold": settings.DIGILYFT_ANONYMITY_THRESHOLD,
            "webinar_days": settings.DIGILYFT_WEBINAR_RETENTION_DAYS,
        },
    )


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # any failure means "not healthy"; say which
        database = f"error: {exc.__class__.__name__}"
    healthy = database == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "vendor": connection.vendor},
        status=200 if healthy else 503,
    )


def error_400(request, exception=None):
    return render(
        request, "core/error.html", {"status": 400, "message": _message(exception)}, status=400
    )


def error_403(request, exception=None):
    return render(
        request, "core/error.html", {"status": 403, "message": _message(exception)}, status=403
    )


def error_404(request, exception=None):
    return render(
        request, "core/error.html", {"status": 404, "message": _message(exception)}, status=404
    )


def error_500(request):
    """Rendered without the request, so that it needs neither the database nor the session.

    Django calls it while handling the exception; one from a database that is down (also
    outside a view, e.g. saving the session) becomes the 503 of ``core/unavailable.py``."""
    exception = sys.exc_info()[1]
    if isinstance(exception, UNAVAILABLE):
        return unavailable_response(request, exception)
    return standalone_page(500)


def _message(exception) -> str:
    """Our own views raise with a translated, user-facing message; Django's resolver passes a
    dict of technical details, which is never shown."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return str(message) if isinstance(message, str) else ""


@require_http_methods(["GET", "HEAD", "POST"])
def login(request):
    """Django's login page. An address with too many wrong passwords this hour, for any
    usernames (password spraying, ``core.login_limits``), gets the 429 page and its password
    is not checked; django-axes locks a username on one address after fewer."""
    if request.method == "POST":
        wait = seconds_refused(request)
        if wait:
            return too_many(request, wait)
    return LoginView.as_view()(request)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login while its username is locked for this client."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=429,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request):
    """Django's password reset, with at most DIGILYFT_PASSWORD_RESET_LIMIT mails to one address
    per window, sent by the worker (``core.mail``). Over the limit the visitor sees the usual
    "check your inbox" page (nothing tells whether the address has an account) and no mail is
    sent."""
    if request.method == "POST":
        address = request.POST.get("email", "").strip().lower()
        if address and not allow(
            "password-reset",
            address,
            settings.DIGILYFT_PASSWORD_RESET_LIMIT,
            settings.DIGILYFT_PASSWORD_RESET_WINDOW_MINUTES * 60,
        ):
            logger.warning("Password reset refused: too many for one address")
            return redirect("password_reset_done")
    return PasswordResetView.as_view(form_class=QueuedPasswordResetForm)(request)
