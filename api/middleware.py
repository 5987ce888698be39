from django.http import JsonResponse
from django.utils.translation import gettext as _

from .limits import retry_after

PREFIX = "/api/v1/"


class RateLimitMiddleware:
    """Anonymous use of ``/api/v1/`` is limited per address (``api.limits``): over the
    limit, a 429 that says when to try again, and nothing else is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
        return self.get_response(request)
