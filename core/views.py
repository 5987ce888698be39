"""Pages every visitor shares: the front page, statements required by law, health."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return render(request, "core/home.html")


@require_GET
@login_required
def after_login(request):
    """Where a login lands: the programme office on its overview, a coordinator on their
    rounds (LOGIN_REDIRECT_URL; a ``next`` the login was given still wins)."""
    if request.user.is_staff:
        return redirect("programme:overview")
    return redirect("assessments:coordinator_home")


@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_GET
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
@require_GET
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
    return render(request, "core/error.html", {"status": 500, "message": ""}, status=500)


def _message(exception) -> str:
    """Our own views raise with a translated, user-facing message; Django's resolver passes a
    dict of technical details, which is never shown."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return str(message) if isinstance(message, str) else ""
