"""The site's URLs plus views that fail, for the clean-failure tests."""

from django.http import HttpResponse
from django.urls import path

from digilyft.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("a bug")


def touch_session(request):
    # The view succeeds; saving the session afterwards (SessionMiddleware) needs the database.
    request.session["seen"] = True
    return HttpResponse("ok")


urlpatterns = [
    path("test-failures/boom/", boom),
    path("test-failures/session/", touch_session),
    *site_patterns,
]

handler400 = "core.views.error_400"
handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
