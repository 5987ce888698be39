"""Absolute URLs, built in one place for pages, mails and exports alike."""

from django.conf import settings

# Where the development server runs (`make run`): the address of last resort for mails the
# background worker writes when DIGILYFT_SITE_URL is not set.
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def absolute_url(path: str, request=None) -> str:
    """``path`` (as ``reverse`` gives it) as a full URL people can click or type.

    The site's address is ``DIGILYFT_SITE_URL`` when it is set; otherwise the host the request
    came in on, and without a request (the background worker) the development server's."""
    base = settings.DIGILYFT_SITE_URL.rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return DEVELOPMENT_SITE_URL + path
