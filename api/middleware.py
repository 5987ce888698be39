from django.http import JsonResponse
from django.utils.translation import gettext as _

from .limits import retry_after
from .tokens import reader_for

PREFIX = "/api/v1/"


TOKEN_ONLY = (PREFIX + "x_rounds",)


class RateLimitMiddleware:
    """Anonymous use of ``/api/v1/`` is limited per address (``api.limits``): over the
    limit, a 429 that says when to try again, and nothing else is done. Authentication is
    decided first, where it changes the answer: a valid API token (``api.tokens``) is not
    limited; an unknown or revoked one, and none where one is needed (the round counts), get
    401 whatever the limit says (and count against it, so guessing tokens uses up the
    address's requests). A method the API does not take gets its
    405 in JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        request.api_token = _token_reader(request)
        if request.api_token is None:
            wait = retry_after(request)  # guesses at tokens count too
            if request.method in ("GET", "HEAD") and (
                request.headers.get("Authorization") or request.path.startswith(TOKEN_ONLY)
            ):
                return token_refused()  # (other methods get their 405 below)
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
        if response.status_code == 405:
            return _method_not_allowed(response)
        return response


def token_refused():
    """401: the token sent is unknown or revoked, or the resource needs one."""
    response = JsonResponse(
        {
            "detail": _(
                "The API token is not valid: it is unknown or was revoked. Send "
                "“Authorization: Bearer <token>”, or no Authorization header to read as anyone."
            )
        },
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="digilyft"'
    return response


def _token_reader(request):
    """The reader of a valid ``Authorization: Bearer`` token, else None."""
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
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
