"""The client's address, for limits: the socket's peer unless trusted proxies are configured.

``X-Forwarded-For`` is set by whoever sends the request, so it is believed only as far as
``DIGILYFT_TRUSTED_PROXY_COUNT`` proxies of our own put their peer's address at its end.
"""

from django.conf import settings


def client_ip(request) -> str:
    count = settings.DIGILYFT_TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
