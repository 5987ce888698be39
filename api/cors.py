"""The open API's manners towards other web sites and other languages.

- CORS: any site may read the API from a browser (it is open data, read-only): every answer
  under ``/api/v1/`` says ``Access-Control-Allow-Origin: *``, and a preflight (``OPTIONS`` with
  ``Access-Control-Request-Method``) is answered here for GET and HEAD. No credentials: cookies
  are never asked for, so ``Access-Control-Allow-Credentials`` is never sent.
- Language: the API's messages follow ``Accept-Language`` (Swedish or English) unless the
  visitor chose a language with the site's button (the cookie wins, as on the pages).

It sits before the rate limit, so a 429 is readable from another site too, and in the
request's language.
"""

from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .middleware import PREFIX

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, Authorization, If-Modified-Since, If-None-Match"
EXPOSED_HEADERS = "Content-Language, ETag, Last-Modified, Link, Retry-After"


class OpenApiManners:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        if _is_preflight(request):
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def _is_preflight(request) -> bool:
    return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
