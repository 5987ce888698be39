"""Clean failure while the database is down.

Whatever a request needs (a respondent's link, a coordinator's session), a database that
refuses connections, drops them or runs out of statement time raises ``OperationalError`` or
``InterfaceError``. Instead of a 500 the visitor gets a 503 with ``Retry-After``: a page that
needs neither the database nor the session, or, for the autosave, the JSON its script shows
(``{"saved": false, "error": …}``). Everything recovers by itself once the database answers
again: connections are health-checked before reuse (``CONN_HEALTH_CHECKS``). The home page,
login form, privacy and accessibility pages need no database and answer all the same
(``PagesWithoutDatabaseMiddleware``).
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

logger = logging.getLogger("digilyft.unavailable")

UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
# The views whose callers read JSON.
_JSON_VIEWS = {"assessments:respond_autosave"}


def standalone_page(status: int) -> HttpResponse:
    """The 500 or 503 page, rendered without the request (no context processors: no user,
    no session, no messages), so that it renders whatever state the database is in."""
    response = HttpResponse(
        render_to_string("core/standalone_error.html", {"status": status}), status=status
    )
    response["Cache-Control"] = "no-store"
    return response


def wants_json(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in _JSON_VIEWS:
        return True
    return "application/json" in request.headers.get("Accept", "")


def unavailable_response(request, exc: Exception) -> HttpResponse:
    logger.error("Database unavailable (%s): %s", exc.__class__.__name__, exc)
    if wants_json(request):
        response = JsonResponse(
            {
                "saved": False,
                "retry": True,
                "error": _(
                    "Your answer is not saved yet: the service is temporarily unavailable. "
                    "It will be saved when you try again in a minute."
                ),
            },
            status=503,
        )
        response["Cache-Control"] = "no-store"
    else:
        response = standalone_page(503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database that is down, while a view runs, into a 503 (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            return unavailable_response(request, exception)
        return None


# Pages that need no database (GET): to a logged-in visitor they show who is logged in, which
# needs the session and the user from the database. When the database cannot tell, they are
# shown as to a visitor who is not logged in, instead of a 503.
_PAGES_WITHOUT_DATABASE = {"core:home", "login", "core:privacy", "core:accessibility"}


class PagesWithoutDatabaseMiddleware:
    """After AuthenticationMiddleware: on the pages of ``_PAGES_WITHOUT_DATABASE``, a session
    that cannot be read (the database is down or silent, ``lib/dbwait.py``) leaves the visitor
    anonymous for this request; the session itself is kept (nothing is saved or deleted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and _needs_no_database(request.path_info)
        ):
            try:
                request.user.is_authenticated  # noqa: B018 (loads the session and the user)
            except UNAVAILABLE as exc:
                logger.warning("Page shown without its user (%s)", exc.__class__.__name__)
                request.user = AnonymousUser()
        return self.get_response(request)


def _needs_no_database(path: str) -> bool:
    try:
        return resolve(path).view_name in _PAGES_WITHOUT_DATABASE
    except Resolver404:
        return False
