from django.http import JsonResponse
from django.utils.translation import gettext as _

from .limits import retry_after
from .tokens import reader_for

PREFIX = "/api/v1/"


class RateLimitMiddleware:
    """Anonymous use of ``/api/v1/`` is limited per address (``api.limits``): over the
    limit, a 429 that says when to try again, and nothing else is done. A valid API token
    (``api.tokens``) is not limited; an invalid one counts as anonymous. A method the API does
    not take gets its 405 in JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PREFIX):
            request.api_token = _token_reader(request)
        if request.path.startswith(PREFIX) and not getattr(request, "api_token", None):
            wait = retry_after(request)
            if wait is not None:
                response = JsonResponse(
                    {
                        "detail": _(
                            "Too many requests from your address. Try again in %(seconds)d "
                            "seconds, or download the bulk files."
                        )
                        % {"seconds": wait}
                    },
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
        response = self.get_response(request)
        if request.path.startswith(PREFIX) and response.status_code == 405:
            return _method_not_allowed(response)
        return response


def _token_reader(request):
    """The reader of a valid ``Authorization: Bearer`` token, else None (an invalid one is
    refused with 401 by the API itself, after counting against the address's limit)."""
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return reader_for(token.strip())


def _method_not_allowed(response):
    """The API answers every request in JSON, also a method it does not take."""
    answer = JsonResponse(
        {"detail": _("The API only reads: use GET (or HEAD)."), "allowed": response["Allow"]},
        status=405,
    )
    answer["Allow"] = response["Allow"]
    return answer
