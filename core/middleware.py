from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class ChosenLanguageMiddleware:
    """Swedish unless the visitor chose English with the language button (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language instead; our users
    expect Swedish whatever language their phone is set to.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


# Paths whose pages belong to one person (a respondent's questionnaire and summary, a
# participant's evaluation, a webinar registration): never kept by a browser or proxy cache.
PRIVATE_PREFIXES = ("/s/", "/e/", "/webinars/r/")
# No page of ours uses these browser features; nothing embedded may either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; ``Cache-Control: no-store`` on private pages.
    (Content-Security-Policy comes from django-csp, the rest from SecurityMiddleware.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path_info.startswith(PRIVATE_PREFIXES):
            add_never_cache_headers(response)
        return response


class RefuseNulCharactersMiddleware:
    """A NUL character in the path or the query string is never meant: answer 400 before a
    view hands it to the database (PostgreSQL refuses NUL in text, which would be a 500).
    Form fields are covered by Django's own validator on every CharField."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.template.loader import render_to_string
            from django.utils.translation import gettext as _

            message = _("The address holds a character that is not allowed.")
            if request.path_info.startswith("/api/"):  # the API's documented error shape
                return JsonResponse({"detail": message}, status=400)
            body = render_to_string(
                "core/error.html", {"status": 400, "message": message}, request=request
            )
            return HttpResponseBadRequest(body)
        return self.get_response(request)


class HeadLikeGetMiddleware:
    """HEAD on the open data API (django-ninja routes GET only) answers as GET would, without
    the body. Django's own views allow HEAD through ``require_safe``."""

    PREFIX = "/api/v1/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD" or not request.path_info.startswith(self.PREFIX):
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD"
        if not response.streaming:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response
